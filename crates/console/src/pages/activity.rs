//! Activity: the AssumeRoot events of the caller's account (what
//! `rootward trail` shows), filterable by account, task and time.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use rootward_operator::root::{TASKS, Task};
use rootward_operator::trail::{lookup, parse_duration};

use super::{Section, layout, param, query};
use crate::Console;
use crate::security::Ctx;

/// `GET /activity?account=&task=&since=`.
pub async fn page(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    req: Request,
) -> Response {
    let q = query(req.uri().query());
    let account = param(&q, "account").map(str::to_owned);
    // An unknown task is an error, as a bad `since` is: silently showing
    // every task would look like a filter that found them.
    let task: Result<Option<Task>, String> = match param(&q, "task") {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| {
            let known: Vec<&str> = TASKS.iter().map(|t| t.short()).collect();
            format!("unknown task `{t}`: one of {}", known.join(", "))
        }),
    };
    let since_text = param(&q, "since").unwrap_or("24h").to_owned();
    let since = parse_duration(&since_text);
    let result = match (&task, &since) {
        (Err(e), _) | (_, Err(e)) => Err(e.clone()),
        (Ok(_), Ok(d)) => lookup(&c.config.aws, *d).await,
    };
    let task = task.ok().flatten();
    let body = html! {
        h1 { "Activity" }
        p class="muted" { "AssumeRoot events recorded by CloudTrail in account " (c.config.aws.caller.account) ": who started which root session, in which account, for which task." }
        form method="get" action="/activity" class="filters" role="search" {
            div {
                label for="a-account" { "Account" }
                input id="a-account" name="account" inputmode="numeric" value=(account.as_deref().unwrap_or_default()) autocomplete="off";
            }
            div {
                label for="a-task" { "Task" }
                select id="a-task" name="task" {
                    option value="" { "All tasks" }
                    @for t in TASKS {
                        option value=(t.short()) selected[task == Some(t)] { (t.policy_name()) }
                    }
                }
            }
            div {
                label for="a-since" { "Since" }
                input id="a-since" name="since" value=(since_text) size="6" aria-describedby="since-help";
                small id="since-help" { "e.g. 90m, 24h, 7d" }
            }
            button type="submit" { "Filter" }
        }
        @match &result {
            Err(e) => p class="error" role="alert" { (e) },
            Ok(report) => {
                @let events: Vec<_> = report.events.iter()
                    .filter(|e| account.as_deref().is_none_or(|a| e.target_account.as_deref() == Some(a)))
                    .filter(|e| task.is_none_or(|t| e.task.as_deref() == Some(t.policy_name())))
                    .collect();
                p class="muted" { (events.len()) " events since " (report.since) "." }
                div class="scroll" {
                    table class="activity" {
                        caption class="sr" { "AssumeRoot events" }
                        thead { tr { th scope="col" { "Time" } th scope="col" { "Caller" } th scope="col" { "Account" } th scope="col" { "Task" } th scope="col" { "From" } th scope="col" { "Result" } th scope="col" { "Session key" } } }
                        tbody {
                            @for e in &events {
                                tr {
                                    td { (e.time) }
                                    td class="caller" { (e.caller.as_deref().unwrap_or("—")) }
                                    td { (e.target_account.as_deref().unwrap_or("—")) }
                                    td { (e.task.as_deref().unwrap_or("—")) }
                                    td { (e.source_ip.as_deref().unwrap_or("—")) }
                                    td { @match &e.error_code { Some(code) => span class="badge error" { (code) }, None => span class="badge on" { "ok" } } }
                                    td { code { (e.session_access_key_id.as_deref().unwrap_or("—")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(
        "Activity",
        Section::Activity,
        &ctx,
        &c.config.aws.caller.arn,
        body,
        false,
    )
    .into_response()
}
