//! Accounts: every member account with its audit class, counts per class,
//! filters by class and OU, search by name or id, sorting, paging; live
//! while the audit runs; CSV and JSON export in the CLI's schemas; the
//! selection for bulk deletion.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use rootward_operator::audit::{AuditRow, CLASSES};
use serde_json::json;

use super::{Section, class_badge, csrf, layout, param, query, see_other};
use crate::Console;
use crate::live::{self, Phase};
use crate::security::Ctx;

/// Rows per page.
pub const PAGE: usize = 50;

/// The class filter's value for accounts not audited yet.
const PENDING: &str = "pending";

fn severity(row: Option<&AuditRow>) -> usize {
    row.and_then(|r| CLASSES.iter().position(|c| *c == r.class))
        .unwrap_or(CLASSES.len())
}

fn link(q: &[(String, String)], set: &[(&str, String)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in q {
        if !set.iter().any(|(s, _)| s == k) && !v.is_empty() {
            out.append_pair(k, v);
        }
    }
    for (k, v) in set {
        if !v.is_empty() {
            out.append_pair(k, v);
        }
    }
    format!("/accounts?{}", out.finish())
}

/// `GET /accounts`.
pub async fn page(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    req: Request,
) -> Response {
    live::start(&c, false);
    let q = query(req.uri().query());
    let class = param(&q, "class").map(str::to_owned);
    let ou = param(&q, "ou").map(str::to_owned);
    let search = param(&q, "q").map(|s| s.to_lowercase());
    let sort = param(&q, "sort").unwrap_or("name").to_owned();
    let desc = param(&q, "dir") == Some("desc");
    let page_no: usize = param(&q, "page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let body = c.live.read(|s| {
        let total = s.members.len();
        let done = s.members.iter().filter(|m| s.rows.contains_key(&m.id)).count();
        let running = matches!(s.phase, Phase::Listing | Phase::Running);
        let mut counts: Vec<(String, usize)> = CLASSES
            .iter()
            .map(|c| (c.name().to_owned(), 0))
            .collect();
        for m in &s.members {
            if let Some(r) = s.rows.get(&m.id)
                && let Some(e) = counts.iter_mut().find(|(n, _)| n == r.class.name())
            {
                e.1 += 1;
            }
        }
        // The OU's subtree by ids, as `--ou` walks it (an OU may be named
        // `Team/Evil`: name paths prove nothing).
        let under = |m: &rootward_operator::select::Member, ou: &str| {
            rootward_operator::select::in_subtree(&s.units, &m.parent_id, ou)
        };
        let mut shown: Vec<&rootward_operator::select::Member> = s
            .members
            .iter()
            .filter(|m| match class.as_deref() {
                None => true,
                Some(PENDING) => !s.rows.contains_key(&m.id),
                Some(c) => s.rows.get(&m.id).is_some_and(|r| r.class.name() == c),
            })
            .filter(|m| ou.as_deref().is_none_or(|ou| under(m, ou)))
            .filter(|m| {
                search
                    .as_deref()
                    .is_none_or(|q| m.id.contains(q) || m.name.to_lowercase().contains(q))
            })
            .collect();
        match sort.as_str() {
            "id" => shown.sort_by(|a, b| a.id.cmp(&b.id)),
            "ou" => shown.sort_by(|a, b| a.ou_path.cmp(&b.ou_path).then(a.name.cmp(&b.name))),
            "class" => shown.sort_by(|a, b| {
                severity(s.rows.get(&b.id))
                    .cmp(&severity(s.rows.get(&a.id)))
                    .then(a.name.cmp(&b.name))
            }),
            _ => shown.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id))),
        }
        if desc {
            shown.reverse();
        }
        let matching = shown.len();
        let pages = matching.div_ceil(PAGE).max(1);
        let page_no = page_no.min(pages);
        let first = (page_no - 1) * PAGE;
        let rows: Vec<_> = shown.into_iter().skip(first).take(PAGE).collect();
        let sort_link = |key: &str, label: &str| -> Markup {
            let now = sort == key;
            let next_dir = if now && !desc { "desc" } else { "asc" };
            let aria = match (now, desc) {
                (true, false) => "ascending",
                (true, true) => "descending",
                _ => "none",
            };
            html! {
                th scope="col" aria-sort=(aria) {
                    a href=(link(&q, &[("sort", key.to_owned()), ("dir", next_dir.to_owned()), ("page", String::new())])) { (label) }
                }
            }
        };
        html! {
            h1 { "Accounts" }
            @if let Phase::Failed(e) = &s.phase {
                div class="flash error" role="alert" { "The accounts could not be listed: " (e) }
            }
            div id="audit-status" data-generation=(s.generation) data-seq=(s.seq) data-running=(if running { "true" } else { "false" }) data-phase=(if s.phase == Phase::Listing { "listing" } else { "" }) data-filtered=(if class.is_some() { "true" } else { "false" }) {
                @if running {
                    label for="audit-progress" { "Auditing " span id="audit-done" { (done) } " of " span id="audit-total" { (total) } " accounts…" }
                    progress id="audit-progress" max=(total.max(1)) value=(done) {}
                } @else if let Some(t) = s.took {
                    p class="muted" { "Audit of " (total) " accounts done in " (format!("{:.1}", t.as_secs_f64())) " s." }
                }
            }
            ul class="counts" aria-label="Accounts per class" {
                @for (name, n) in &counts {
                    li {
                        a href=(link(&q, &[("class", name.clone()), ("page", String::new())])) class={"badge " (name)} {
                            span data-count=(name) { (n) } " " (name)
                        }
                    }
                }
                @if running || done < total {
                    li { a href=(link(&q, &[("class", PENDING.to_owned()), ("page", String::new())])) class="badge pending" { span data-count="pending" { (total - done) } " auditing" } }
                }
            }
            form method="get" action="/accounts" class="filters" role="search" {
                div {
                    label for="f-class" { "Class" }
                    select id="f-class" name="class" {
                        option value="" { "All classes" }
                        @for c in CLASSES {
                            option value=(c.name()) selected[class.as_deref() == Some(c.name())] { (c.name()) }
                        }
                        option value=(PENDING) selected[class.as_deref() == Some(PENDING)] { "not audited yet" }
                    }
                }
                div {
                    label for="f-ou" { "OU" }
                    select id="f-ou" name="ou" {
                        option value="" { "Whole organization" }
                        @for u in &s.units {
                            option value=(u.id) selected[ou.as_deref() == Some(u.id.as_str())] { (u.path) }
                        }
                    }
                }
                div {
                    label for="f-q" { "Name or id" }
                    input id="f-q" type="search" name="q" value=(param(&q, "q").unwrap_or_default());
                }
                input type="hidden" name="sort" value=(sort);
                @if desc { input type="hidden" name="dir" value="desc"; }
                button type="submit" { "Filter" }
                a href="/accounts" { "Clear" }
            }
            div class="toolbar" {
                form id="bulk" method="get" action="/delete" {
                    button type="submit" class="danger" { "Delete root credentials of selected accounts…" }
                }
                form method="post" action="/audit" {
                    (csrf(&ctx))
                    button type="submit" disabled[running] { "Audit again" }
                }
                span class="export" { "Export: " a href="/accounts/export.csv" download { "CSV" } " · " a href="/accounts/export.json" download { "JSON" } }
            }
            p class="muted" id="shown" {
                @if matching == 0 { "No account matches." }
                @else { "Showing " (first + 1) "–" (first + rows.len()) " of " (matching) " accounts" @if matching != total { " (" (total) " in the organization)" } "." }
            }
            div class="scroll" {
                table class="accounts" {
                    caption class="sr" { "Member accounts and the audit class of their root user" }
                    thead {
                        tr {
                            th scope="col" { span class="sr" { "Select" } }
                            (sort_link("name", "Name"))
                            (sort_link("id", "Account"))
                            (sort_link("ou", "OU"))
                            (sort_link("class", "Class"))
                            th scope="col" { "Details" }
                        }
                    }
                    tbody {
                        @for m in &rows {
                            @let row = s.rows.get(&m.id);
                            tr data-account=(m.id) {
                                td { input type="checkbox" form="bulk" name="account" value=(m.id) id={"sel-" (m.id)} aria-label={"Select " (m.name)}; }
                                td { a href={"/accounts/" (m.id)} { (m.name) } }
                                td { code { (m.id) } }
                                td { (m.ou_path) }
                                td class="class" {
                                    @match row {
                                        Some(r) => (class_badge(r.class)),
                                        None => span class="badge pending" { "auditing…" },
                                    }
                                }
                                td class="detail" {
                                    @if let Some(r) = row { (summary(r)) }
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav class="pager" aria-label="Pages" {
                    @if page_no > 1 { a href=(link(&q, &[("page", (page_no - 1).to_string())])) rel="prev" { "← Previous" } }
                    span { "Page " (page_no) " of " (pages) }
                    @if page_no < pages { a href=(link(&q, &[("page", (page_no + 1).to_string())])) rel="next" { "Next →" } }
                }
            }
        }
    });
    let body = body.unwrap_or_else(|| html! { p { "The audit state is not readable." } });
    layout(
        "Accounts",
        Section::Accounts,
        &ctx,
        &c.config.aws.caller.arn,
        body,
        true,
    )
    .into_response()
}

/// The short finding of a row: error code, or what the root user has.
pub fn summary(r: &AuditRow) -> Markup {
    if let Some(e) = &r.error {
        return html! { code class="error-code" title=(e.message) { (e.code) } };
    }
    let mut parts = Vec::new();
    if r.password.is_some() {
        parts.push(format!("password: {}", r.password_cell()));
    }
    for (n, what) in [
        (r.mfa_devices.as_ref().map_or(0, Vec::len), "MFA"),
        (r.access_keys.as_ref().map_or(0, Vec::len), "keys"),
        (
            r.signing_certificates.as_ref().map_or(0, Vec::len),
            "certificates",
        ),
    ] {
        if n > 0 {
            parts.push(format!("{what}: {n}"));
        }
    }
    html! { (parts.join(", ")) }
}

/// `GET /accounts/progress?since=SEQ`: the audit's progress and the rows
/// finished since `SEQ`, for the page's script.
pub async fn progress(State(c): State<Arc<Console>>, req: Request) -> Response {
    let q = query(req.uri().query());
    let since: u64 = param(&q, "since").and_then(|s| s.parse().ok()).unwrap_or(0);
    let doc = c.live.read(|s| {
        let total = s.members.len();
        let done = s
            .members
            .iter()
            .filter(|m| s.rows.contains_key(&m.id))
            .count();
        let mut counts = serde_json::Map::new();
        for class in CLASSES {
            counts.insert(class.name().into(), json!(0));
        }
        for m in &s.members {
            if let Some(r) = s.rows.get(&m.id)
                && let Some(v) = counts.get_mut(r.class.name())
            {
                *v = json!(v.as_u64().unwrap_or(0) + 1);
            }
        }
        counts.insert(PENDING.into(), json!(total - done));
        let rows: Vec<serde_json::Value> = s
            .written_since(since)
            .into_iter()
            .filter_map(|id| s.rows.get(id))
            .map(|r| {
                json!({
                    "account_id": r.account_id,
                    "class": r.class.name(),
                    "error_code": r.error.as_ref().map(|e| e.code.clone()),
                    "summary": summary(r).into_string(),
                })
            })
            .collect();
        json!({
            "generation": s.generation,
            "phase": match &s.phase {
                Phase::Idle => "idle",
                Phase::Listing => "listing",
                Phase::Running => "running",
                Phase::Done => "done",
                Phase::Failed(_) => "failed",
            },
            "done": done,
            "total": total,
            "seq": s.seq,
            "counts": counts,
            "rows": rows,
        })
    });
    let mut r = doc.unwrap_or_else(|| json!({})).to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn download(body: String, kind: &'static str, name: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(name));
    r
}

/// The order `rootward audit --all` reports in (`ListAccounts`), so that
/// an export is the CLI's output line for line; when it cannot be listed,
/// the members' order (by name).
async fn cli_order(c: &Console) -> Vec<rootward_operator::select::Target> {
    rootward_operator::select::all_accounts(&c.config.aws)
        .await
        .unwrap_or_default()
}

/// `GET /accounts/export.csv`: `rootward audit --all --output csv`, once
/// the audit is done.
pub async fn export_csv(State(c): State<Arc<Console>>) -> Response {
    if let Err(e) = live::settled(&c).await {
        return (StatusCode::SERVICE_UNAVAILABLE, e).into_response();
    }
    let order = cli_order(&c).await;
    let csv = c
        .live
        .read(|s| s.report(&order).table().csv())
        .unwrap_or_default();
    download(
        csv,
        "text/csv; charset=utf-8",
        "attachment; filename=\"rootward-audit.csv\"",
    )
}

/// `GET /accounts/export.json`: `rootward audit --all --output json`, once
/// the audit is done.
pub async fn export_json(State(c): State<Arc<Console>>) -> Response {
    if let Err(e) = live::settled(&c).await {
        return (StatusCode::SERVICE_UNAVAILABLE, e).into_response();
    }
    let order = cli_order(&c).await;
    let doc = c
        .live
        .read(|s| serde_json::to_string_pretty(&s.report(&order)).unwrap_or_default())
        .unwrap_or_default();
    download(
        doc,
        "application/json",
        "attachment; filename=\"rootward-audit.json\"",
    )
}

/// `POST /audit`: a new audit.
pub async fn reaudit(State(c): State<Arc<Console>>) -> Response {
    live::start(&c, true);
    see_other("/accounts")
}
