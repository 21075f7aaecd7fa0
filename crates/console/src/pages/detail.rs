//! Account detail: a fresh audit of one account (password, MFA devices,
//! access keys with last use, signing certificates) and its privileged
//! actions.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use rootward_operator::select::Member;

use super::{Section, class_badge, failure, is_account_id, layout};
use crate::Console;
use crate::live;
use crate::security::Ctx;

/// The member `id`, or the page saying why there is none.
pub async fn member_or_refusal(c: &Arc<Console>, ctx: &Ctx, id: &str) -> Result<Member, Response> {
    let refuse = |status: StatusCode, text: String| {
        let body = html! { h1 { "Account " (id) } p { (text) } p { a href="/accounts" { "Back to the accounts" } } };
        (
            status,
            layout(
                "Account",
                Section::Accounts,
                ctx,
                &c.config.aws.caller.arn,
                body,
                false,
            ),
        )
            .into_response()
    };
    if !is_account_id(id) {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            format!("`{id}` is not a 12-digit account id."),
        ));
    }
    if id == c.config.org.management {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            format!("{id} is the management account, which is never a target of root sessions."),
        ));
    }
    if let Err(e) = live::listed(c).await {
        return Err(refuse(
            StatusCode::BAD_GATEWAY,
            format!("The accounts could not be listed: {e}"),
        ));
    }
    match c.live.read(|s| s.member(id).cloned()).flatten() {
        Some(m) => Ok(m),
        None => Err(refuse(
            StatusCode::NOT_FOUND,
            format!(
                "{id} is not an active member account of organization {}.",
                c.config.org.id
            ),
        )),
    }
}

/// `GET /accounts/{id}`.
pub async fn page(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
) -> Response {
    let m = match member_or_refusal(&c, &ctx, &id).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let row = live::refresh(&c, &id).await;
    let body = html! {
        p class="crumbs" { a href="/accounts" { "Accounts" } " / " (m.name) }
        h1 { (m.name) " " small { code { (m.id) } } }
        p { "OU: " (m.ou_path) }
        section aria-labelledby="found-h" {
            h2 id="found-h" { "Root user: " (class_badge(row.class)) }
            @if let Some(e) = &row.error {
                p class="error" role="alert" { "The account could not be audited: " (failure(e)) }
            } @else {
                (findings(&row))
            }
        }
        section aria-labelledby="actions-h" {
            h2 id="actions-h" { "Privileged actions" }
            p class="muted" { "Each action starts a task-scoped root session (sts:AssumeRoot) with your credentials and asks for a confirmation first. What your policy does not allow is refused by AWS, and the refusal is shown." }
            div class="actions" {
                form method="get" action="/delete" class="card" {
                    h3 { "Delete root credentials" }
                    p { "Deletes the root user's password, access keys, signing certificates and MFA devices (IAMDeleteRootUserCredentials)." }
                    input type="hidden" name="account" value=(m.id);
                    button type="submit" class="danger" { "Delete root credentials…" }
                }
                form method="get" action={"/accounts/" (m.id) "/allow-recovery"} class="card" {
                    h3 { "Allow password recovery" }
                    p { "Creates a root login profile without a password, so that the owner of the root e-mail address can reset it (IAMCreateRootUserPassword). Recorded in the recovery ledger." }
                    button type="submit" class="danger" { "Allow password recovery…" }
                }
                form method="get" action={"/accounts/" (m.id) "/unlock-bucket"} class="card" {
                    h3 { "Unlock an S3 bucket" }
                    p { "Saves the bucket policy to a backup, then deletes it (S3UnlockBucketPolicy)." }
                    label for="bucket" { "Bucket name" }
                    input id="bucket" name="bucket" required autocomplete="off";
                    button type="submit" class="danger" { "Unlock bucket…" }
                }
                form method="get" action={"/accounts/" (m.id) "/unlock-queue"} class="card" {
                    h3 { "Unlock an SQS queue" }
                    p { "Saves the queue policy to a backup, then removes it (SQSUnlockQueuePolicy)." }
                    label for="queue" { "Queue URL" }
                    input id="queue" name="queue_url" type="url" required autocomplete="off" placeholder={"https://sqs.REGION.amazonaws.com/" (m.id) "/NAME"};
                    button type="submit" class="danger" { "Unlock queue…" }
                }
            }
        }
    };
    layout(
        &m.name,
        Section::Accounts,
        &ctx,
        &c.config.aws.caller.arn,
        body,
        false,
    )
    .into_response()
}

fn or_dash(v: Option<&str>) -> &str {
    v.unwrap_or("—")
}

/// What the audit found, as tables.
pub fn findings(row: &rootward_operator::audit::AuditRow) -> Markup {
    let keys = row.access_keys.clone().unwrap_or_default();
    let mfa = row.mfa_devices.clone().unwrap_or_default();
    let certs = row.signing_certificates.clone().unwrap_or_default();
    html! {
        dl class="findings" {
            dt { "Password" }
            dd {
                @match &row.password {
                    None => "none",
                    Some(p) => {
                        @if p.recovery_only { "recovery allowed (no password set since)" } @else { "yes" }
                        " — created " (p.created) ", last used " (or_dash(p.last_used.as_deref()))
                    }
                }
            }
            dt { "MFA devices" }
            dd {
                @if mfa.is_empty() { "none" } @else { ul { @for d in &mfa { li { code { (d) } } } } }
            }
        }
        h3 { "Access keys" }
        @if keys.is_empty() { p { "None." } } @else {
            div class="scroll" {
                table {
                    thead { tr { th scope="col" { "Key" } th scope="col" { "Status" } th scope="col" { "Created" } th scope="col" { "Last used" } th scope="col" { "Service" } th scope="col" { "Region" } } }
                    tbody {
                        @for k in &keys {
                            tr {
                                td { code { (k.access_key_id) } }
                                td { (k.status) }
                                td { (or_dash(k.created.as_deref())) }
                                td { (or_dash(k.last_used.as_deref())) }
                                td { (or_dash(k.last_used_service.as_deref())) }
                                td { (or_dash(k.last_used_region.as_deref())) }
                            }
                        }
                    }
                }
            }
        }
        h3 { "Signing certificates" }
        @if certs.is_empty() { p { "None." } } @else {
            ul { @for c in &certs { li { code { (c.certificate_id) } " (" (c.status) ")" } } }
        }
    }
}
