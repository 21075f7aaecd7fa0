//! Overview: what `rootward status` reports, and Enable (what
//! `rootward enable` does) when something is off.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use rootward_operator::enable::enable as enable_job;
use rootward_operator::status::{ProbeOn, status_of};

use super::{Section, csrf, failure, is_account_id, layout, see_other};
use crate::Console;
use crate::security::{Ctx, Flash, Form};

/// `GET /`.
pub async fn page(State(c): State<Arc<Console>>, Extension(ctx): Extension<Ctx>) -> Response {
    let aws = &c.config.aws;
    let s = status_of(aws, c.config.org.clone(), &ProbeOn::FirstMember).await;
    let yn = |b: Option<bool>| match b {
        Some(true) => "yes".to_owned(),
        Some(false) => "no".to_owned(),
        None => "unknown".to_owned(),
    };
    let problems = s.problems();
    let body = html! {
        h1 { "Root access management" }
        @if problems.is_empty() {
            p class="ok" role="status" { "Centralized root access is on, and you can start root sessions." }
        } @else {
            div class="problems" role="alert" {
                p { "Centralized root access is not fully on:" }
                ul { @for p in &problems { li { (p) } } }
            }
        }
        section aria-labelledby="status-h" {
            h2 id="status-h" { "Status" }
            table class="kv" {
                caption class="sr" { "Organization and feature status" }
                tbody {
                    @for (k, v) in s.items(yn) {
                        tr {
                            th scope="row" { (k) }
                            td {
                                @match v.as_str() {
                                    "yes" => span class="badge on" { "yes" },
                                    "no" => span class="badge off" { "no" },
                                    _ => (v),
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(e) = &s.can_assume_root.error { p class="error" { "AssumeRoot probe: " (failure(e)) } }
        }
        @if !problems.is_empty() {
            section aria-labelledby="enable-h" {
                h2 id="enable-h" { "Enable" }
                p { "Turns on trusted access for IAM, RootCredentialsManagement and RootSessions, and optionally registers a delegated administrator. Steps already done are left as they are." }
                form method="post" action="/enable" class="stack" {
                    (csrf(&ctx))
                    label for="delegate" { "Delegated administrator (optional account id)" }
                    input id="delegate" name="delegate" inputmode="numeric" pattern="[0-9]{12}" autocomplete="off";
                    button type="submit" class="primary" { "Enable" }
                }
            }
        }
    };
    layout(
        "Overview",
        Section::Overview,
        &ctx,
        &aws.caller.arn,
        body,
        false,
    )
    .into_response()
}

/// `POST /enable`.
pub async fn enable(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Extension(form): Extension<Form>,
) -> Response {
    let delegate = form.get("delegate");
    if let Some(d) = delegate
        && !is_account_id(d)
    {
        c.security.flash(
            &ctx.session,
            Flash::Error(format!(
                "`{d}` is not a 12-digit account id; nothing was changed."
            )),
        );
        return see_other("/");
    }
    let report = enable_job(&c.config.aws, delegate).await;
    for step in &report.steps {
        let f = match &step.error {
            None => Flash::Info(format!("{}: {}", step.step, step.status)),
            Some(e) => Flash::Error(format!("{}: failed: {e}", step.step)),
        };
        c.security.flash(&ctx.session, f);
    }
    see_other("/")
}
