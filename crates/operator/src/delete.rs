//! Delete root credentials: per account, an audit session reads what the
//! root user has (the plan), an `IAMDeleteRootUserCredentials` session
//! deletes it (deactivates MFA devices and deletes virtual ones, deletes
//! access keys, signing certificates and the password), and a second audit
//! session checks the result. A dry run stops after the plan. Confirmation
//! is the face's job (the CLI asks on stderr, the console on a page).

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::error::ProvideErrorMetadata as _;
use serde::Serialize;

use crate::audit::{Class, RootState, count, read_state, summary_line};
use crate::aws::Aws;
use crate::error::{Failure, sdk};
use crate::recovery::Ledger;
use crate::root::{RootSession, Task};
use crate::runner::{Interrupt, Limits, Observer, run};
use crate::select::Target;
use crate::table::{Table, cell};

/// What was deleted in one account.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Deleted {
    /// The login profile.
    pub password: bool,
    /// Access key ids.
    pub access_keys: Vec<String>,
    /// Certificate ids.
    pub signing_certificates: Vec<String>,
    /// Serial numbers deactivated.
    pub mfa_devices_deactivated: Vec<String>,
    /// Virtual MFA devices deleted after deactivation.
    pub mfa_devices_deleted: Vec<String>,
}

/// One account (`--output json`: `accounts[]`).
#[derive(Debug, Clone, Serialize)]
pub struct DeleteRow {
    /// The account id.
    pub account_id: String,
    /// Its name, when listed.
    pub account_name: Option<String>,
    /// The class before.
    pub class_before: Class,
    /// `planned` (dry run), `deleted`, `nothing-to-delete`, `failed`.
    pub status: &'static str,
    /// What would be / was deleted (the audit before).
    pub plan: Option<RootState>,
    /// What was deleted.
    pub deleted: Deleted,
    /// The class after (`null` in a dry run or when the re-audit failed).
    pub class_after: Option<Class>,
    /// The first failure.
    pub error: Option<Failure>,
    /// Things worth saying that are not failures (e.g. a virtual MFA device
    /// deactivated but not deleted); not in the JSON document.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// The document of `delete-credentials` (`--output json`).
#[derive(Debug, Clone, Serialize)]
pub struct DeleteReport {
    /// Only the plan.
    pub dry_run: bool,
    /// One row per account, in the targets' order.
    pub accounts: Vec<DeleteRow>,
    /// Counts per class after (the current classes in a dry run).
    pub summary_after: BTreeMap<&'static str, usize>,
    /// The run was interrupted.
    pub interrupted: bool,
}

/// One account's deletion.
#[derive(Debug)]
pub struct Done {
    before: RootState,
    deleted: Deleted,
    after: Option<RootState>,
    error: Option<Failure>,
    notes: Vec<String>,
}

async fn delete_all(
    session: &RootSession,
    plan: &RootState,
    d: &mut Deleted,
    notes: &mut Vec<String>,
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
                    notes.push(format!(
                        "{}: virtual MFA device {serial} deactivated, not deleted ({why})",
                        session.account()
                    ));
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

/// Plans and (unless `dry_run`) deletes one account's root credentials,
/// then re-audits it.
pub async fn delete_one(
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
    let mut notes = Vec::new();
    if dry_run || before.is_empty() {
        return Ok(Done {
            before,
            deleted,
            after: None,
            error: None,
            notes,
        });
    }
    let result = match RootSession::assume(&aws, &account, Task::DeleteCredentials, None).await {
        Ok(session) => delete_all(&session, &before, &mut deleted, &mut notes).await,
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
        notes,
    })
}

/// What a deletion run needs besides the targets.
#[derive(Debug, Clone)]
pub struct DeleteJob {
    /// Only the plan.
    pub dry_run: bool,
    /// Read every list regardless of `GetAccountSummary`.
    pub thorough: bool,
    /// The recovery ledger (for the classes before and after).
    pub ledger: Arc<Ledger>,
    /// Concurrency and per-account timeout.
    pub limits: Limits,
}

/// The row of one account's outcome.
pub fn row(target: Target, result: Result<Done, Failure>, dry_run: bool) -> DeleteRow {
    match result {
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
            DeleteRow {
                account_id: target.id,
                account_name: target.name,
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
                notes: d.notes,
            }
        }
        Err(e) => DeleteRow {
            account_id: target.id,
            account_name: target.name,
            class_before: Class::Error,
            status: "failed",
            plan: None,
            deleted: Deleted::default(),
            class_after: None,
            error: Some(e),
            notes: Vec::new(),
        },
    }
}

/// Deletes the root credentials of every target (what
/// `rootward delete-credentials` runs once confirmed).
pub async fn delete(
    aws: &Aws,
    targets: Vec<Target>,
    job: &DeleteJob,
    interrupt: impl FnMut() -> Interrupt,
    observer: &mut (dyn Observer<Done> + Send),
) -> DeleteReport {
    let (dry_run, thorough) = (job.dry_run, job.thorough);
    let ledger = job.ledger.clone();
    let result = run(targets, job.limits, interrupt, observer, |t| {
        delete_one(aws.clone(), t.id, dry_run, thorough, ledger.clone())
    })
    .await;
    let rows: Vec<DeleteRow> = result
        .outcomes
        .into_iter()
        .map(|o| row(o.target, o.result, dry_run))
        .collect();
    let summary_after = count(rows.iter().map(|r| {
        if dry_run {
            r.class_before
        } else {
            r.class_after.unwrap_or(Class::Error)
        }
    }));
    DeleteReport {
        dry_run,
        accounts: rows,
        summary_after,
        interrupted: result.interrupted,
    }
}

impl DeleteRow {
    /// What the plan deletes, e.g. `password 1 key 1 mfa`.
    pub fn to_delete(&self) -> String {
        self.plan
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
            .unwrap_or_default()
    }
}

impl DeleteReport {
    /// Every account ended without root credentials (in a dry run: has none).
    pub fn clean(&self) -> bool {
        !self.interrupted
            && self.accounts.iter().all(|r| {
                r.error.is_none()
                    && if self.dry_run {
                        r.plan.as_ref().is_some_and(RootState::is_empty)
                    } else {
                        r.class_after == Some(Class::NoRootCredentials)
                    }
            })
    }

    /// The summary line.
    pub fn summary_line(&self) -> String {
        summary_line(
            if self.dry_run {
                "plan (current classes)"
            } else {
                "after deletion"
            },
            &self.summary_after,
        )
    }

    /// The table (and CSV) columns.
    pub fn table(&self) -> Table {
        let mut t = Table::new(&[
            "account",
            "name",
            "before",
            "status",
            "to_delete",
            "after",
            "error",
        ]);
        for r in &self.accounts {
            t.row(vec![
                r.account_id.clone(),
                cell(r.account_name.as_deref()),
                r.class_before.name().to_owned(),
                r.status.to_owned(),
                r.to_delete(),
                r.class_after
                    .map(|c| c.name().to_owned())
                    .unwrap_or_default(),
                r.error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ]);
        }
        t
    }
}
