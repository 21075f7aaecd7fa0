//! `rootward delete-credentials`: per account, an audit session reads what
//! the root user has (the plan), an `IAMDeleteRootUserCredentials` session
//! deletes it (deactivates MFA devices and deletes virtual ones, deletes
//! access keys, signing certificates and the password), and a second audit
//! session checks the result. `--dry-run` stops after the plan; without
//! `--yes` the tool asks for confirmation showing the account count.

use std::collections::BTreeMap;
use std::io::BufRead as _;
use std::path::PathBuf;
use std::sync::Arc;

use aws_sdk_iam::error::ProvideErrorMetadata as _;
use clap::Args;
use serde::Serialize;

use super::audit::{Class, RootState, count, read_state, summary_line};
use super::recovery::{Ledger, ledger_path};
use crate::ops::Exit;
use crate::ops::aws::{Aws, AwsArgs, connect};
use crate::ops::error::{Failure, sdk};
use crate::ops::output::{self, Format, Table};
use crate::ops::root::{RootSession, Task};
use crate::ops::runner::run;
use crate::ops::select::{Selection, organization, resolve};

/// Options of `rootward delete-credentials`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    selection: Selection,
    /// Show the plan (an audit per account) and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
    /// Read every credential list even when `GetAccountSummary` says none exist.
    #[arg(long)]
    thorough: bool,
    /// The recovery ledger (for the classes before and after).
    #[arg(long, env = "ROOTWARD_LEDGER")]
    ledger: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// What was deleted in one account.
#[derive(Debug, Default, Serialize)]
struct Deleted {
    password: bool,
    access_keys: Vec<String>,
    signing_certificates: Vec<String>,
    /// Serial numbers deactivated.
    mfa_devices_deactivated: Vec<String>,
    /// Virtual MFA devices deleted after deactivation.
    mfa_devices_deleted: Vec<String>,
}

/// One account (`--output json`: `accounts[]`).
#[derive(Debug, Serialize)]
struct Row {
    account_id: String,
    account_name: Option<String>,
    class_before: Class,
    /// `planned` (dry run), `deleted`, `nothing-to-delete`, `failed`.
    status: &'static str,
    /// What would be / was deleted (the audit before).
    plan: Option<RootState>,
    deleted: Deleted,
    class_after: Option<Class>,
    error: Option<Failure>,
}

#[derive(Debug, Serialize)]
struct Report {
    dry_run: bool,
    accounts: Vec<Row>,
    summary_after: BTreeMap<&'static str, usize>,
    interrupted: bool,
}

struct Done {
    before: RootState,
    deleted: Deleted,
    after: Option<RootState>,
    error: Option<Failure>,
}

async fn delete_all(
    session: &RootSession,
    plan: &RootState,
    d: &mut Deleted,
) -> Result<(), Failure> {
    let iam = session.iam();
    let step = |what: &str, f: Failure| Failure::new(f.code, format!("{what}: {}", f.message));
    for serial in &plan.mfa_devices {
        iam.deactivate_mfa_device()
            .serial_number(serial)
            .send()
            .await
            .map_err(|e| step("DeactivateMFADevice", sdk(e)))?;
        d.mfa_devices_deactivated.push(serial.clone());
        if serial.starts_with("arn:") {
            match iam
                .delete_virtual_mfa_device()
                .serial_number(serial)
                .send()
                .await
            {
                Ok(_) => d.mfa_devices_deleted.push(serial.clone()),
                // Deactivated is enough to stop its use; report, don't fail.
                // The delete task's policy denies this call for device ARNs
                // (they are not the root ARN; spec 05 §5.4), so say that
                // plainly rather than repeat AWS's long denial.
                Err(e) => {
                    let f = sdk(e);
                    let why = if f.code == "AccessDenied" {
                        "the delete task does not allow deleting virtual devices; it stays, unassigned".to_owned()
                    } else {
                        format!("{}: {}", f.code, f.message)
                    };
                    eprintln!(
                        "rootward: {}: virtual MFA device {serial} deactivated, not deleted ({why})",
                        session.account()
                    );
                }
            }
        }
    }
    for k in &plan.access_keys {
        iam.delete_access_key()
            .access_key_id(&k.access_key_id)
            .send()
            .await
            .map_err(|e| step("DeleteAccessKey", sdk(e)))?;
        d.access_keys.push(k.access_key_id.clone());
    }
    for c in &plan.signing_certificates {
        iam.delete_signing_certificate()
            .certificate_id(&c.certificate_id)
            .send()
            .await
            .map_err(|e| step("DeleteSigningCertificate", sdk(e)))?;
        d.signing_certificates.push(c.certificate_id.clone());
    }
    if plan.password.is_some() {
        match iam.delete_login_profile().send().await {
            Ok(_) => d.password = true,
            Err(e) if e.as_service_error().and_then(|s| s.code()) == Some("NoSuchEntity") => {}
            Err(e) => return Err(step("DeleteLoginProfile", sdk(e))),
        }
    }
    Ok(())
}

async fn one(
    aws: Aws,
    account: String,
    dry_run: bool,
    thorough: bool,
    ledger: Arc<Ledger>,
) -> Result<Done, Failure> {
    let before = {
        let audit = RootSession::assume(&aws, &account, Task::Audit, None).await?;
        read_state(&audit, &account, thorough, &ledger).await?
    };
    let mut deleted = Deleted::default();
    if dry_run || before.is_empty() {
        return Ok(Done {
            before,
            deleted,
            after: None,
            error: None,
        });
    }
    let result = match RootSession::assume(&aws, &account, Task::DeleteCredentials, None).await {
        Ok(session) => delete_all(&session, &before, &mut deleted).await,
        Err(e) => Err(e),
    };
    // Re-audit even after a failed step: the report says what is left.
    let after = async {
        let audit = RootSession::assume(&aws, &account, Task::Audit, None).await?;
        read_state(&audit, &account, thorough, &ledger).await
    }
    .await;
    let (after, error) = match (result, after) {
        (Ok(()), Ok(a)) => (Some(a), None),
        (Err(e), a) => (a.ok(), Some(e)),
        (Ok(()), Err(e)) => (
            None,
            Some(Failure::new(e.code, format!("re-audit: {}", e.message))),
        ),
    };
    Ok(Done {
        before,
        deleted,
        after,
        error,
    })
}

fn confirm(n: usize) -> Result<bool, String> {
    eprint!(
        "rootward: delete every root credential (password, access keys, signing certificates, MFA) of {n} account{}? Type `yes` to continue: ",
        if n == 1 { "" } else { "s" }
    );
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the confirmation: {e}"))?;
    Ok(line.trim() == "yes")
}

/// Runs `rootward delete-credentials`: exit 0 when every account ends with
/// no root credentials (or, with `--dry-run`, already has none), else 1.
pub async fn run_delete(args: DeleteArgs) -> Result<Exit, String> {
    let ledger = Arc::new(Ledger::load(&ledger_path(args.ledger.as_deref())?)?);
    let aws = connect(&args.aws).await?;
    let org = organization(&aws).await?;
    let targets = resolve(&aws, &org, &args.selection).await?;
    if !args.dry_run && !args.yes && !targets.is_empty() && !confirm(targets.len())? {
        return Err("not confirmed; nothing was changed".into());
    }
    let (dry_run, thorough) = (args.dry_run, args.thorough);
    let result = run(
        targets,
        usize::from(args.aws.concurrency),
        args.aws.per_account(),
        if dry_run { "plan" } else { "delete" },
        |t| one(aws.clone(), t.id, dry_run, thorough, ledger.clone()),
    )
    .await;
    let rows: Vec<Row> = result
        .outcomes
        .into_iter()
        .map(|o| match o.result {
            Ok(d) => {
                let class_before = d.before.class();
                let nothing = d.before.is_empty();
                let class_after = if dry_run {
                    None
                } else if nothing {
                    Some(class_before)
                } else {
                    d.after.as_ref().map(RootState::class)
                };
                Row {
                    account_id: o.target.id,
                    account_name: o.target.name,
                    class_before,
                    status: if d.error.is_some() {
                        "failed"
                    } else if nothing {
                        "nothing-to-delete"
                    } else if dry_run {
                        "planned"
                    } else {
                        "deleted"
                    },
                    plan: Some(d.before),
                    deleted: d.deleted,
                    class_after,
                    error: d.error,
                }
            }
            Err(e) => Row {
                account_id: o.target.id,
                account_name: o.target.name,
                class_before: Class::Error,
                status: "failed",
                plan: None,
                deleted: Deleted::default(),
                class_after: None,
                error: Some(e),
            },
        })
        .collect();
    let clean = !result.interrupted
        && rows.iter().all(|r| {
            r.error.is_none()
                && if dry_run {
                    r.plan.as_ref().is_some_and(RootState::is_empty)
                } else {
                    r.class_after == Some(Class::NoRootCredentials)
                }
        });
    let summary_after = count(rows.iter().map(|r| {
        if dry_run {
            r.class_before
        } else {
            r.class_after.unwrap_or(Class::Error)
        }
    }));
    let line = summary_line(
        if dry_run {
            "plan (current classes)"
        } else {
            "after deletion"
        },
        &summary_after,
    );
    if args.aws.output == Format::Json {
        output::json(&Report {
            dry_run,
            accounts: rows,
            summary_after,
            interrupted: result.interrupted,
        })?;
        eprintln!("{line}");
    } else {
        let mut t = Table::new(&[
            "account",
            "name",
            "before",
            "status",
            "to_delete",
            "after",
            "error",
        ]);
        for r in &rows {
            let what = r
                .plan
                .as_ref()
                .map(|p| {
                    let mut w = Vec::new();
                    if p.password.is_some() {
                        w.push("password".to_owned());
                    }
                    for (n, label) in [
                        (p.access_keys.len(), "key"),
                        (p.signing_certificates.len(), "certificate"),
                        (p.mfa_devices.len(), "mfa"),
                    ] {
                        if n > 0 {
                            w.push(format!("{n} {label}"));
                        }
                    }
                    w.join(" ")
                })
                .unwrap_or_default();
            t.row(vec![
                r.account_id.clone(),
                output::cell(r.account_name.as_deref()),
                r.class_before.name().to_owned(),
                r.status.to_owned(),
                what,
                r.class_after
                    .map(|c| c.name().to_owned())
                    .unwrap_or_default(),
                r.error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ]);
        }
        output::print(args.aws.output, &t, Some(&line));
    }
    Ok(if clean { Exit::Clean } else { Exit::Findings })
}
