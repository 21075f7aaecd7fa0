//! The privileged actions: each has a confirmation page naming the accounts
//! (GET), then runs on a POST (with the CSRF token) and redirects to its
//! result (POST-redirect-GET). Results show AWS's error code and message on
//! failure. Unlock backups are written before any change and can be
//! downloaded.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use rootward_operator::delete::{DeleteJob, delete as delete_job};
use rootward_operator::recovery::{allow_recovery as allow_job, warning};
use rootward_operator::runner::{Quiet, never};
use rootward_operator::select::{Member, Target};
use rootward_operator::unlock::{
    UnlockReport, default_backup, queue_of, queue_on, unix_now, unlock_bucket as bucket_job,
    unlock_queue as queue_job,
};

use super::detail::member_or_refusal;
use super::{Section, csrf, failure, layout, param, query, see_other};
use crate::Console;
use crate::live;
use crate::security::{Ctx, Flash, Form};

fn page(c: &Console, ctx: &Ctx, title: &str, body: Markup) -> Response {
    layout(
        title,
        Section::None,
        ctx,
        &c.config.aws.caller.arn,
        body,
        false,
    )
    .into_response()
}

fn keep(c: &Console, ctx: &Ctx, title: &str, body: Markup) -> Response {
    let id = c.results.keep(&ctx.session, title, body);
    see_other(&format!("/results/{id}"))
}

/// The members named, each once; a refusal page when one is not a member.
async fn members(c: &Arc<Console>, ctx: &Ctx, ids: &[String]) -> Result<Vec<Member>, Response> {
    let mut out: Vec<Member> = Vec::new();
    for id in ids {
        if out.iter().any(|m| &m.id == id) {
            continue;
        }
        out.push(member_or_refusal(c, ctx, id).await?);
    }
    Ok(out)
}

fn names(ms: &[Member]) -> Markup {
    html! {
        ul class="named" {
            @for m in ms { li { strong { (m.name) } " " code { (m.id) } } }
        }
    }
}

/// `GET /delete?account=…`: the confirmation naming the accounts.
pub async fn confirm_delete(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    req: Request,
) -> Response {
    let ids: Vec<String> = query(req.uri().query())
        .into_iter()
        .filter(|(k, v)| k == "account" && !v.is_empty())
        .map(|(_, v)| v)
        .collect();
    if ids.is_empty() {
        c.security.flash(
            &ctx.session,
            Flash::Error("Select at least one account first.".into()),
        );
        return see_other("/accounts");
    }
    let ms = match members(&c, &ctx, &ids).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let n = ms.len();
    let what = if n == 1 {
        "1 account".to_owned()
    } else {
        format!("{n} accounts")
    };
    let body = html! {
        h1 { "Delete root credentials of " (what) "?" }
        p class="warning" role="alert" { "Every root credential of these accounts is deleted: the password, access keys, signing certificates and MFA devices. Anything that still signs in or calls AWS as their root user stops working." }
        (names(&ms))
        form method="post" action="/delete" {
            (csrf(&ctx))
            @for m in &ms { input type="hidden" name="account" value=(m.id); }
            button type="submit" class="danger" { "Delete root credentials of " (what) }
            " "
            a href="/accounts" { "Cancel" }
        }
    };
    page(&c, &ctx, "Confirm deletion", body)
}

/// `POST /delete`: deletes, re-audits, shows the per-account result.
pub async fn delete(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Extension(form): Extension<Form>,
) -> Response {
    let ms = match members(&c, &ctx, &form.all("account")).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    if ms.is_empty() {
        return see_other("/accounts");
    }
    let targets: Vec<Target> = ms
        .iter()
        .map(|m| Target {
            id: m.id.clone(),
            name: Some(m.name.clone()),
        })
        .collect();
    let job = DeleteJob {
        dry_run: false,
        thorough: false,
        ledger: c.ledger(),
        limits: c.config.limits,
    };
    let report = delete_job(&c.config.aws, targets.clone(), &job, never, &mut Quiet).await;
    live::refresh_many(&c, targets).await;
    let failed = report.accounts.iter().filter(|r| r.error.is_some()).count();
    let body = html! {
        h1 { "Root credentials deleted" }
        p role="status" {
            (report.accounts.len() - failed) " of " (report.accounts.len()) " accounts done"
            @if failed > 0 { ", " strong { (failed) " failed" } }
            ". " (report.summary_line())
        }
        div class="scroll" {
            table {
                caption class="sr" { "Result per account" }
                thead { tr { th scope="col" { "Account" } th scope="col" { "Before" } th scope="col" { "Result" } th scope="col" { "Deleted" } th scope="col" { "After" } th scope="col" { "Error" } } }
                tbody {
                    @for r in &report.accounts {
                        tr data-account=(r.account_id) {
                            td { a href={"/accounts/" (r.account_id)} { (r.account_name.as_deref().unwrap_or(&r.account_id)) } " " code { (r.account_id) } }
                            td { (r.class_before.name()) }
                            td class="status" { (r.status) }
                            td { (r.to_delete()) }
                            td class="after" { (r.class_after.map(|c| c.name()).unwrap_or("—")) }
                            td { @if let Some(e) = &r.error { (failure(e)) } }
                        }
                    }
                }
            }
        }
        @for r in &report.accounts { @for n in &r.notes { p class="muted" { (n) } } }
        p { a href="/accounts" { "Back to the accounts" } }
    };
    keep(&c, &ctx, "Deletion result", body)
}

/// `GET /accounts/{id}/allow-recovery`: the warning and the reason.
pub async fn confirm_recovery(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
) -> Response {
    let m = match member_or_refusal(&c, &ctx, &id).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let body = html! {
        h1 { "Allow password recovery for " (m.name) " (" (m.id) ")?" }
        p class="warning" role="alert" { "Warning: " (warning(&m.id, &c.config.aws.caller.arn)) }
        form method="post" action={"/accounts/" (m.id) "/allow-recovery"} class="stack" {
            (csrf(&ctx))
            label for="reason" { "Reason (a ticket or incident; recorded in the recovery ledger)" }
            input id="reason" name="reason" maxlength="500" autocomplete="off";
            div {
                button type="submit" class="danger" { "Allow password recovery for " (m.name) }
                " "
                a href={"/accounts/" (m.id)} { "Cancel" }
            }
        }
    };
    page(&c, &ctx, "Confirm password recovery", body)
}

/// `POST /accounts/{id}/allow-recovery`.
pub async fn allow_recovery(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Extension(form): Extension<Form>,
    Path(id): Path<String>,
) -> Response {
    let m = match member_or_refusal(&c, &ctx, &id).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let result = allow_job(
        &c.config.aws,
        &c.config.org,
        &m.id,
        form.get("reason"),
        &c.config.ledger,
    )
    .await;
    live::refresh(&c, &m.id).await;
    let body = html! {
        h1 { "Password recovery for " (m.name) }
        @match &result {
            Err(e) => p class="error" role="alert" { "Nothing was done: " (e) },
            Ok(r) => {
                table class="kv" {
                    tbody {
                        tr { th scope="row" { "Account" } td { (r.account_id) } }
                        tr { th scope="row" { "Result" } td class="status" { (r.status) } }
                        tr { th scope="row" { "Login profile created" } td { (r.login_profile_created.as_deref().unwrap_or("—")) } }
                        tr { th scope="row" { "Requested by" } td { (r.requested_by) } }
                        tr { th scope="row" { "Reason" } td { (r.reason.as_deref().unwrap_or("—")) } }
                        tr { th scope="row" { "Ledger" } td { (r.ledger.as_deref().unwrap_or("—")) } }
                    }
                }
                @if r.status == "created-not-recorded" { p class="error" role="alert" { strong { "The root login profile was created, but it was not recorded in the ledger." } " Until it is, the audit shows this account's recovery profile as a password. Fix the ledger, or delete the root credentials again." } }
                @if let Some(e) = &r.error { p class="error" role="alert" { (failure(e)) } }
                @if r.status == "already-present" { p { "The root user already has a login profile; it was not recorded in the ledger, since no one knows whether it is a real password." } }
            }
        }
        p { a href={"/accounts/" (m.id)} { "Back to " (m.name) } }
    };
    keep(&c, &ctx, "Password recovery", body)
}

fn bucket_name_ok(b: &str) -> bool {
    (1..=255).contains(&b.len()) && !b.contains('/') && !b.chars().any(char::is_whitespace)
}

/// `GET /accounts/{id}/unlock-bucket?bucket=…`.
pub async fn confirm_bucket(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let q = query(req.uri().query());
    let bucket = param(&q, "bucket").unwrap_or_default().to_owned();
    confirm_unlock(&c, &ctx, &id, Unlock::Bucket(bucket)).await
}

/// `GET /accounts/{id}/unlock-queue?queue_url=…`.
pub async fn confirm_queue(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let q = query(req.uri().query());
    let url = param(&q, "queue_url").unwrap_or_default().to_owned();
    confirm_unlock(&c, &ctx, &id, Unlock::Queue(url)).await
}

enum Unlock {
    Bucket(String),
    Queue(String),
}

impl Unlock {
    fn check(&self, c: &Console, account: &str) -> Result<String, String> {
        match self {
            Unlock::Bucket(b) if bucket_name_ok(b) => Ok(b.clone()),
            Unlock::Bucket(b) => Err(format!("`{b}` is not a bucket name.")),
            Unlock::Queue(u) => {
                let name = queue_of(account, u)?;
                queue_on(&c.config.aws, u)?;
                Ok(name)
            }
        }
    }

    fn resource(&self) -> &str {
        match self {
            Unlock::Bucket(b) | Unlock::Queue(b) => b,
        }
    }

    fn noun(&self) -> &'static str {
        match self {
            Unlock::Bucket(_) => "bucket",
            Unlock::Queue(_) => "queue",
        }
    }

    fn path(&self) -> &'static str {
        match self {
            Unlock::Bucket(_) => "unlock-bucket",
            Unlock::Queue(_) => "unlock-queue",
        }
    }

    fn field(&self) -> &'static str {
        match self {
            Unlock::Bucket(_) => "bucket",
            Unlock::Queue(_) => "queue_url",
        }
    }
}

async fn confirm_unlock(c: &Arc<Console>, ctx: &Ctx, id: &str, what: Unlock) -> Response {
    let m = match member_or_refusal(c, ctx, id).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Err(e) = what.check(c, &m.id) {
        c.security.flash(&ctx.session, Flash::Error(e));
        return see_other(&format!("/accounts/{}", m.id));
    }
    let noun = what.noun();
    let body = html! {
        h1 { "Unlock " (noun) " " code { (what.resource()) } " of " (m.name) " (" (m.id) ")?" }
        p class="warning" role="alert" {
            "The " (noun) "'s current policy is saved to a backup file in " code { (c.config.backup_dir.display()) }
            " first (nothing changes if that fails), then deleted, or replaced by the policy below when you give one."
        }
        form method="post" action={"/accounts/" (m.id) "/" (what.path())} class="stack" {
            (csrf(ctx))
            input type="hidden" name=(what.field()) value=(what.resource());
            label for="replacement" { "Replacement policy (optional; validated as a resource policy)" }
            textarea id="replacement" name="replacement" rows="6" spellcheck="false" {}
            div {
                button type="submit" class="danger" { "Unlock " (noun) " of " (m.name) }
                " "
                a href={"/accounts/" (m.id)} { "Cancel" }
            }
        }
    };
    page(c, ctx, "Confirm unlock", body)
}

/// `POST /accounts/{id}/unlock-bucket`.
pub async fn unlock_bucket(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Extension(form): Extension<Form>,
    Path(id): Path<String>,
) -> Response {
    let what = Unlock::Bucket(form.get("bucket").unwrap_or_default().to_owned());
    run_unlock(&c, &ctx, &id, what, form.get("replacement")).await
}

/// `POST /accounts/{id}/unlock-queue`.
pub async fn unlock_queue(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Extension(form): Extension<Form>,
    Path(id): Path<String>,
) -> Response {
    let what = Unlock::Queue(form.get("queue_url").unwrap_or_default().to_owned());
    run_unlock(&c, &ctx, &id, what, form.get("replacement")).await
}

async fn run_unlock(
    c: &Arc<Console>,
    ctx: &Ctx,
    id: &str,
    what: Unlock,
    replacement: Option<&str>,
) -> Response {
    let m = match member_or_refusal(c, ctx, id).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let result: Result<UnlockReport, String> = async {
        let name = what.check(c, &m.id)?;
        rootward_operator::files::create_private_dir_all(&c.config.backup_dir).map_err(|e| {
            format!(
                "cannot create the backup directory `{}`: {e}; nothing was changed",
                c.config.backup_dir.display()
            )
        })?;
        let backup = c
            .config
            .backup_dir
            .join(default_backup(&m.id, &name, unix_now()));
        let (aws, org) = (&c.config.aws, &c.config.org);
        match &what {
            Unlock::Bucket(b) => bucket_job(aws, org, &m.id, b, replacement, &backup).await,
            Unlock::Queue(u) => queue_job(aws, org, &m.id, u, replacement, &backup).await,
        }
    }
    .await;
    let noun = what.noun();
    let body = html! {
        h1 { "Unlock " (noun) " " code { (what.resource()) } }
        @match &result {
            Err(e) => p class="error" role="alert" { "Nothing was changed: " (e) },
            Ok(r) => {
                table class="kv" {
                    tbody {
                        tr { th scope="row" { "Account" } td { (m.name) " " code { (r.account_id) } } }
                        tr { th scope="row" { "Result" } td class="status" { (r.action) } }
                        tr { th scope="row" { "Backup" } td {
                            @match backup_name(r.backup.as_deref()) {
                                Some(name) => { code { (r.backup.as_deref().unwrap_or_default()) } " " a href={"/backups/" (name)} download { "Download" } },
                                None => "none (there was no policy)",
                            }
                        } }
                    }
                }
                @if let Some(e) = &r.error { p class="error" role="alert" { (failure(e)) } }
                @if let Some(p) = &r.previous_policy {
                    h2 { "The policy saved in the backup" }
                    pre class="policy" { (p) }
                }
            }
        }
        p { a href={"/accounts/" (m.id)} { "Back to " (m.name) } }
    };
    keep(c, ctx, "Unlock result", body)
}

/// The file name of a backup path (what `/backups/{name}` serves).
fn backup_name(path: Option<&str>) -> Option<String> {
    let name = PathBuf::from(path?).file_name()?.to_str()?.to_owned();
    safe_backup_name(&name).then_some(name)
}

fn safe_backup_name(name: &str) -> bool {
    name.starts_with("rootward-backup-")
        && name.ends_with(".json")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// `GET /results/{id}`: a result of this session.
pub async fn result(
    State(c): State<Arc<Console>>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
) -> Response {
    match c.results.get(&ctx.session, &id) {
        Some((title, body)) => page(&c, &ctx, &title, maud::PreEscaped(body)),
        None => (
            StatusCode::NOT_FOUND,
            page(&c, &ctx, "Result", html! { h1 { "Result not found" } p { "This result is not kept any more, or belongs to another session." } }),
        )
            .into_response(),
    }
}

/// `GET /backups/{name}`: an unlock backup, downloaded.
pub async fn backup(State(c): State<Arc<Console>>, Path(name): Path<String>) -> Response {
    if !safe_backup_name(&name) {
        return super::not_found().await;
    }
    match std::fs::read(c.config.backup_dir.join(&name)) {
        Ok(bytes) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(_) => super::not_found().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_backup_files_are_served() {
        assert!(safe_backup_name("rootward-backup-222222222222-b-1.json"));
        assert!(!safe_backup_name("../state.db"));
        assert!(!safe_backup_name("rootward-backup-../../x.json"));
        assert!(!safe_backup_name("rootward-backup-a.txt"));
        assert_eq!(
            backup_name(Some("/tmp/x/rootward-backup-2-q-7.json")).as_deref(),
            Some("rootward-backup-2-q-7.json")
        );
    }
}
