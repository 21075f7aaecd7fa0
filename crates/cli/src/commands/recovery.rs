//! `rootward allow-recovery --account ID`: an `IAMCreateRootUserPassword`
//! session runs `CreateLoginProfile` (no password: the root e-mail owner can
//! then use the forgotten-password flow). It warns, and records who asked in
//! the recovery ledger, which `audit` uses for its `recovery-enabled` rule.
//!
//! The ledger is a JSON-lines file (`--ledger`, `ROOTWARD_LEDGER`, default
//! `$XDG_STATE_HOME/rootward/recovery-ledger.jsonl` or
//! `~/.local/state/rootward/…`); one line per login profile created:
//! `{"time", "account_id", "login_profile_created", "requested_by", "reason"}`.
//! It holds no secret. Teams share it by pointing `--ledger` at a shared path.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use aws_sdk_iam::error::ProvideErrorMetadata as _;
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use clap::Args;
use serde::{Deserialize, Serialize};

use super::audit::date;
use crate::ops::Exit;
use crate::ops::aws::{AwsArgs, connect};
use crate::ops::error::{Failure, sdk};
use crate::ops::output::{self, Format, Table};
use crate::ops::root::{RootSession, Task};
use crate::ops::select::{account_id, organization};

/// Options of `rootward allow-recovery`.
#[derive(Debug, Args)]
pub struct RecoveryArgs {
    /// The member account whose root password recovery is re-opened.
    #[arg(long, value_parser = account_id)]
    account: String,
    /// Why (a ticket, an incident); recorded in the ledger.
    #[arg(long)]
    reason: Option<String>,
    /// The recovery ledger.
    #[arg(long, env = "ROOTWARD_LEDGER")]
    ledger: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// One ledger line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// When `allow-recovery` ran.
    pub time: String,
    /// The member account.
    pub account_id: String,
    /// `CreateDate` of the login profile it made.
    pub login_profile_created: String,
    /// The caller's ARN.
    pub requested_by: String,
    /// `--reason`.
    pub reason: Option<String>,
}

/// Login profiles known to be made by `allow-recovery`.
#[derive(Debug, Default)]
pub struct Ledger {
    created: HashMap<String, Vec<i64>>,
}

impl Ledger {
    /// Reads the ledger; a missing file is an empty ledger. Lines that do
    /// not parse are skipped with a warning (they prove nothing).
    pub fn load(path: &Path) -> Result<Ledger, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ledger::default()),
            Err(e) => return Err(format!("cannot read the ledger `{}`: {e}", path.display())),
        };
        let mut l = Ledger::default();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let parsed = serde_json::from_str::<Entry>(line).ok().and_then(|e| {
                DateTime::from_str(&e.login_profile_created, DateTimeFormat::DateTime)
                    .ok()
                    .map(|d| (e.account_id, d.secs()))
            });
            match parsed {
                Some((account, secs)) => l.created.entry(account).or_default().push(secs),
                None => eprintln!(
                    "rootward: warning: {}:{}: not a ledger entry, ignored",
                    path.display(),
                    n + 1
                ),
            }
        }
        Ok(l)
    }

    /// The ledger recorded this login profile (same account, same
    /// `CreateDate` to the second).
    pub fn knows(&self, account: &str, created: &DateTime) -> bool {
        self.created
            .get(account)
            .is_some_and(|v| v.contains(&created.secs()))
    }
}

/// The ledger's path: the option, else the default state directory.
pub fn ledger_path(arg: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(p) = arg {
        return Ok(p.to_owned());
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .ok_or("no ledger: set --ledger, ROOTWARD_LEDGER, XDG_STATE_HOME or HOME")?;
    Ok(state.join("rootward").join("recovery-ledger.jsonl"))
}

fn append(path: &Path, entry: &Entry) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    }
    let line = serde_json::to_string(entry).map_err(|e| e.to_string())? + "\n";
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open the ledger `{}`: {e}", path.display()))?;
    f.write_all(line.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write the ledger `{}`: {e}", path.display()))
}

/// `--output json` of `allow-recovery`.
#[derive(Debug, Serialize)]
struct Report {
    account_id: String,
    /// `created`, `already-present` or `error`.
    status: &'static str,
    login_profile_created: Option<String>,
    requested_by: String,
    reason: Option<String>,
    ledger: Option<String>,
    error: Option<Failure>,
}

/// Runs `rootward allow-recovery`.
pub async fn run_recovery(args: RecoveryArgs) -> Result<Exit, String> {
    let ledger = ledger_path(args.ledger.as_deref())?;
    let aws = connect(&args.aws).await?;
    let org = organization(&aws).await?;
    if args.account == org.management {
        return Err(format!(
            "{} is the management account, which is never a target of root sessions",
            args.account
        ));
    }
    eprintln!(
        "rootward: warning: this re-opens the root password of account {}: whoever controls its root e-mail address can set a password and sign in as root. Requested by {}.",
        args.account, aws.caller.arn
    );
    let outcome = async {
        let session = RootSession::assume(&aws, &args.account, Task::CreatePassword, None).await?;
        let iam = session.iam();
        match iam.create_login_profile().send().await {
            Ok(out) => Ok(out.login_profile().map(|lp| date(lp.create_date()))),
            Err(e)
                if e.as_service_error().and_then(|s| s.code()) == Some("EntityAlreadyExists") =>
            {
                Ok(None)
            }
            Err(e) => Err(sdk(e)),
        }
    }
    .await;
    let mut report = Report {
        account_id: args.account.clone(),
        status: "error",
        login_profile_created: None,
        requested_by: aws.caller.arn.clone(),
        reason: args.reason.clone(),
        ledger: None,
        error: None,
    };
    match outcome {
        Ok(Some(created)) => {
            let entry = Entry {
                time: date(&DateTime::from(std::time::SystemTime::now())),
                account_id: args.account.clone(),
                login_profile_created: created.clone(),
                requested_by: aws.caller.arn.clone(),
                reason: args.reason.clone(),
            };
            append(&ledger, &entry)?;
            report.status = "created";
            report.login_profile_created = Some(created);
            report.ledger = Some(ledger.display().to_string());
        }
        // Not recorded: nobody knows whether this one is a real password.
        Ok(None) => report.status = "already-present",
        Err(e) => report.error = Some(e),
    }
    let exit = if report.error.is_some() {
        Exit::Findings
    } else {
        Exit::Clean
    };
    if args.aws.output == Format::Json {
        output::json(&report)?;
    } else {
        let mut t = Table::new(&[
            "account",
            "status",
            "login_profile_created",
            "requested_by",
            "error",
        ]);
        t.row(vec![
            report.account_id.clone(),
            report.status.to_owned(),
            output::cell(report.login_profile_created.as_deref()),
            report.requested_by.clone(),
            report
                .error
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ]);
        output::print(args.aws.output, &t, None);
    }
    Ok(exit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_round_trip_matches_to_the_second() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/ledger.jsonl");
        assert!(Ledger::load(&path).unwrap().created.is_empty());
        append(
            &path,
            &Entry {
                time: "2026-11-23T12:00:01Z".into(),
                account_id: "222222222222".into(),
                login_profile_created: "2026-11-23T12:00:00Z".into(),
                requested_by: "arn:aws:iam::111111111111:user/admin".into(),
                reason: Some("INC-1".into()),
            },
        )
        .unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"garbage\n")
            .unwrap();
        let l = Ledger::load(&path).unwrap();
        let at = |s: &str| DateTime::from_str(s, DateTimeFormat::DateTime).unwrap();
        assert!(l.knows("222222222222", &at("2026-11-23T12:00:00.400Z")));
        assert!(!l.knows("222222222222", &at("2026-11-23T12:00:01Z")));
        assert!(!l.knows("333333333333", &at("2026-11-23T12:00:00Z")));
    }
}
