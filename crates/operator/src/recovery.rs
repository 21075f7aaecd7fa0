//! Allow password recovery: an `IAMCreateRootUserPassword` session runs
//! `CreateLoginProfile` (no password: the root e-mail owner can then use the
//! forgotten-password flow), and who asked is recorded in the recovery
//! ledger, which the audit uses for its `recovery-enabled` rule.
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
use serde::{Deserialize, Serialize};

use crate::audit::date;
use crate::aws::Aws;
use crate::error::{Failure, sdk};
use crate::root::{RootSession, Task};
use crate::select::Org;
use crate::table::{Table, cell};

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
    /// Lines that did not parse (`PATH:LINE: not a ledger entry, ignored`).
    pub warnings: Vec<String>,
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
                None => l.warnings.push(format!(
                    "{}:{}: not a ledger entry, ignored",
                    path.display(),
                    n + 1
                )),
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

/// Opens the ledger for appending, creating it (0600) and its missing
/// directories (0700): `allow-recovery` does this before it changes
/// anything, so a ledger that cannot be written stops it first.
pub fn open_ledger(path: &Path) -> Result<std::fs::File, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::files::create_private_dir_all(dir)
            .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    }
    crate::files::private_file()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open the ledger `{}`: {e}", path.display()))
}

/// Writes one entry to an open ledger (synced before it returns).
fn write_entry(f: &mut std::fs::File, path: &Path, entry: &Entry) -> Result<(), String> {
    let line = serde_json::to_string(entry).map_err(|e| e.to_string())? + "\n";
    f.write_all(line.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write the ledger `{}`: {e}", path.display()))
}

/// Appends one entry (synced before it returns).
pub fn append(path: &Path, entry: &Entry) -> Result<(), String> {
    write_entry(&mut open_ledger(path)?, path, entry)
}

/// The document of `allow-recovery` (`--output json`).
#[derive(Debug, Clone, Serialize)]
pub struct RecoveryReport {
    /// The member account.
    pub account_id: String,
    /// `created`, `created-not-recorded` (the profile was made but the
    /// ledger write failed: `error` says why), `already-present` or `error`.
    pub status: &'static str,
    /// `CreateDate` of the profile made.
    pub login_profile_created: Option<String>,
    /// The caller's ARN.
    pub requested_by: String,
    /// Why.
    pub reason: Option<String>,
    /// The ledger the entry went to.
    pub ledger: Option<String>,
    /// AWS's refusal.
    pub error: Option<Failure>,
}

impl RecoveryReport {
    /// The table (and CSV) columns.
    pub fn table(&self) -> Table {
        let mut t = Table::new(&[
            "account",
            "status",
            "login_profile_created",
            "requested_by",
            "error",
        ]);
        t.row(vec![
            self.account_id.clone(),
            self.status.to_owned(),
            cell(self.login_profile_created.as_deref()),
            self.requested_by.clone(),
            self.error
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ]);
        t
    }
}

/// The warning shown before recovery is allowed.
pub fn warning(account: &str, caller_arn: &str) -> String {
    format!(
        "this re-opens the root password of account {account}: whoever controls its root e-mail address can set a password and sign in as root. Requested by {caller_arn}."
    )
}

/// The longest reason recorded (characters).
pub const MAX_REASON: usize = 500;

/// A reason fit for the ledger: at most [`MAX_REASON`] characters, one
/// line, no control characters and no bidirectional overrides (which
/// would make the ledger and the pages show text other than what it holds).
pub fn check_reason(reason: &str) -> Result<(), String> {
    let n = reason.chars().count();
    if n > MAX_REASON {
        return Err(format!(
            "the reason is {n} characters long; at most {MAX_REASON} are recorded"
        ));
    }
    if let Some(c) = reason
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(format!(
            "the reason holds the character U+{:04X}: one line of printable text only",
            u32::from(c)
        ));
    }
    Ok(())
}

/// Refuses the management account, which is never a target of root sessions.
pub fn not_management(org: &Org, account: &str) -> Result<(), String> {
    if account == org.management {
        Err(format!(
            "{account} is the management account, which is never a target of root sessions"
        ))
    } else {
        Ok(())
    }
}

/// Allows password recovery for `account` and records it in the ledger at
/// `ledger`; an existing profile is `already-present` and not recorded (no
/// one knows whether it is a real password). The ledger is opened for
/// appending first, so a ledger that cannot be opened changes nothing
/// (`Err`, like the management account); a write that still fails after
/// the profile was made is `created-not-recorded`, with the reason in
/// `error` (`LedgerWriteFailed`). A reason that [`check_reason`] refuses
/// changes nothing either.
pub async fn allow_recovery(
    aws: &Aws,
    org: &Org,
    account: &str,
    reason: Option<&str>,
    ledger: &Path,
) -> Result<RecoveryReport, String> {
    not_management(org, account)?;
    if let Some(r) = reason {
        check_reason(r)?;
    }
    let mut file = open_ledger(ledger)?;
    let outcome = async {
        let session = RootSession::assume(aws, account, Task::CreatePassword, None).await?;
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
    let mut report = RecoveryReport {
        account_id: account.to_owned(),
        status: "error",
        login_profile_created: None,
        requested_by: aws.caller.arn.clone(),
        reason: reason.map(str::to_owned),
        ledger: None,
        error: None,
    };
    match outcome {
        Ok(Some(created)) => {
            let entry = Entry {
                time: date(&DateTime::from(std::time::SystemTime::now())),
                account_id: account.to_owned(),
                login_profile_created: created.clone(),
                requested_by: aws.caller.arn.clone(),
                reason: reason.map(str::to_owned),
            };
            report.login_profile_created = Some(created);
            match write_entry(&mut file, ledger, &entry) {
                Ok(()) => {
                    report.status = "created";
                    report.ledger = Some(ledger.display().to_string());
                }
                Err(e) => {
                    report.status = "created-not-recorded";
                    report.error = Some(Failure::new(
                        "LedgerWriteFailed",
                        format!(
                            "the login profile was created but not recorded in the ledger: {e}"
                        ),
                    ));
                }
            }
        }
        Ok(None) => report.status = "already-present",
        Err(e) => report.error = Some(e),
    }
    Ok(report)
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
        assert_eq!(l.warnings.len(), 1, "{:?}", l.warnings);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600, "the ledger is private");
            assert_eq!(
                mode(&dir.path().join("sub")),
                0o700,
                "so is its new directory"
            );
        }
        let at = |s: &str| DateTime::from_str(s, DateTimeFormat::DateTime).unwrap();
        assert!(l.knows("222222222222", &at("2026-11-23T12:00:00.400Z")));
        assert!(!l.knows("222222222222", &at("2026-11-23T12:00:01Z")));
        assert!(!l.knows("333333333333", &at("2026-11-23T12:00:00Z")));
    }

    #[test]
    fn reasons_are_one_short_line_of_text() {
        assert!(check_reason("INC-42: O'Brien & <b>co</b> — ünïcode").is_ok());
        assert!(check_reason(&"x".repeat(MAX_REASON)).is_ok());
        assert!(
            check_reason(&"é".repeat(MAX_REASON)).is_ok(),
            "characters, not bytes"
        );
        let e = check_reason(&"x".repeat(MAX_REASON + 1)).unwrap_err();
        assert!(e.contains("501 characters"), "{e}");
        for bad in [
            "a\nb",
            "a\rb",
            "a\tb",
            "a\u{0}b",
            "a\u{1b}[31mb",
            "a\u{202e}b",
            "a\u{2066}b",
        ] {
            assert!(check_reason(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_ledger_that_cannot_be_opened_is_found_before_anything_changes() {
        let dir = tempfile::tempdir().unwrap();
        let e = open_ledger(dir.path()).unwrap_err();
        assert!(e.contains("cannot open the ledger"), "{e}");
    }
}
