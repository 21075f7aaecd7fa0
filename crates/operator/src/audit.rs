//! The audit: an `IAMAuditRootUserCredentials` session per account
//! reads the root user's password (login profile), access keys with last
//! use, MFA devices and signing certificates, and classifies the account.
//!
//! Reads: `GetAccountSummary` first (its four root flags say what exists);
//! then `GetLoginProfile` + `GetUser` only when a password is present,
//! `ListAccessKeys` + `GetAccessKeyLastUsed` only with keys, `ListMFADevices`
//! only with MFA, `ListSigningCertificates` only with certificates
//! (`thorough` makes every read regardless of the flags). A compliant
//! account costs two requests: `AssumeRoot` and `GetAccountSummary`.
//!
//! # The `recovery-enabled` rule
//!
//! Through public APIs a login profile made by an `IAMCreateRootUserPassword`
//! session ("allow password recovery") looks exactly like a real root
//! password: `GetLoginProfile` succeeds for both, `GetAccountSummary` says
//! `AccountPasswordPresent = 1` for both, and the credential report says
//! `password_enabled = true` for both. So the tool reports
//! `recovery-enabled` only when it *knows*: the login profile's `CreateDate`
//! equals one recorded in the recovery ledger by `allow-recovery` for that
//! account, and `GetUser` shows no password sign-in since
//! (`PasswordLastUsed` absent or older than the profile; AWS and
//! `rootward serve` set it at each sign-in with the password). Every other login
//! profile is a password: `password-with-mfa` or `password-without-mfa`.
//! A password set by the e-mail owner through "forgot password" but never
//! used to sign in is invisible to every public API; such an account stays
//! `recovery-enabled` until that sign-in.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::error::ProvideErrorMetadata as _;
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use aws_sdk_iam::types::SummaryKeyType;
use serde::Serialize;

use crate::aws::Aws;
use crate::error::{Failure, sdk};
use crate::recovery::Ledger;
use crate::root::{RootSession, Task};
use crate::runner::{Interrupt, Limits, Observer, run};
use crate::select::Target;
use crate::table::{Table, cell};

/// The class of an account, most severe last (summary order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// No password, keys or certificates: compliant under central management.
    NoRootCredentials,
    /// A login profile made by `allow-recovery`, known from the ledger.
    RecoveryEnabled,
    /// A root password, with MFA.
    PasswordWithMfa,
    /// A root password without MFA.
    PasswordWithoutMfa,
    /// Root signing certificates.
    SigningCertificatesPresent,
    /// Root access keys.
    AccessKeysPresent,
    /// The account could not be audited.
    Error,
}

/// Every class, in summary order.
pub const CLASSES: [Class; 7] = [
    Class::NoRootCredentials,
    Class::RecoveryEnabled,
    Class::PasswordWithMfa,
    Class::PasswordWithoutMfa,
    Class::SigningCertificatesPresent,
    Class::AccessKeysPresent,
    Class::Error,
];

impl Class {
    /// The class's name in every output.
    pub fn name(self) -> &'static str {
        match self {
            Class::NoRootCredentials => "no-root-credentials",
            Class::RecoveryEnabled => "recovery-enabled",
            Class::PasswordWithMfa => "password-with-mfa",
            Class::PasswordWithoutMfa => "password-without-mfa",
            Class::SigningCertificatesPresent => "signing-certificates-present",
            Class::AccessKeysPresent => "access-keys-present",
            Class::Error => "error",
        }
    }
}

/// The root user's login profile.
#[derive(Debug, Clone, Serialize)]
pub struct Password {
    /// `CreateDate` of the login profile.
    pub created: String,
    /// `PasswordLastUsed` of the root user, when AWS reports it.
    pub last_used: Option<String>,
    /// The ledger knows this profile as made by `allow-recovery` and no
    /// sign-in with a password followed.
    pub recovery_only: bool,
}

/// A root access key.
#[derive(Debug, Clone, Serialize)]
pub struct Key {
    /// `AKIA…`.
    pub access_key_id: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// `CreateDate`.
    pub created: Option<String>,
    /// `LastUsedDate`, absent when never used.
    pub last_used: Option<String>,
    /// The service of the last use (`N/A` when never used).
    pub last_used_service: Option<String>,
    /// The region of the last use.
    pub last_used_region: Option<String>,
}

/// A root signing certificate.
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    /// `CertificateId`.
    pub certificate_id: String,
    /// `Active` or `Inactive`.
    pub status: String,
}

/// What the root user of one account has.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RootState {
    /// The login profile, if any.
    pub password: Option<Password>,
    /// Serial numbers of the MFA devices.
    pub mfa_devices: Vec<String>,
    /// Access keys.
    pub access_keys: Vec<Key>,
    /// Signing certificates.
    pub signing_certificates: Vec<Certificate>,
    /// `AccountMFAEnabled` of `GetAccountSummary`.
    #[serde(skip)]
    pub mfa_enabled: bool,
}

impl RootState {
    /// The single class of the account, most severe finding first. MFA
    /// matters only with a password: an account without root credentials is
    /// never "root without MFA".
    pub fn class(&self) -> Class {
        if !self.access_keys.is_empty() {
            Class::AccessKeysPresent
        } else if !self.signing_certificates.is_empty() {
            Class::SigningCertificatesPresent
        } else if let Some(p) = &self.password {
            if p.recovery_only {
                Class::RecoveryEnabled
            } else if self.mfa_enabled || !self.mfa_devices.is_empty() {
                Class::PasswordWithMfa
            } else {
                Class::PasswordWithoutMfa
            }
        } else {
            Class::NoRootCredentials
        }
    }

    /// Nothing to delete (MFA devices included).
    pub fn is_empty(&self) -> bool {
        self.password.is_none()
            && self.mfa_devices.is_empty()
            && self.access_keys.is_empty()
            && self.signing_certificates.is_empty()
    }
}

/// An SDK date as `2026-11-23T12:00:00Z`.
pub fn date(d: &DateTime) -> String {
    d.fmt(DateTimeFormat::DateTime).unwrap_or_default()
}

/// A time as `2026-11-23T12:00:00Z`.
pub fn date_of(t: std::time::SystemTime) -> String {
    date(&DateTime::from(t))
}

/// Reads the root user's credentials in an audit session.
pub async fn read_state(
    session: &RootSession,
    account: &str,
    thorough: bool,
    ledger: &Ledger,
) -> Result<RootState, Failure> {
    let iam = session.iam();
    let summary = iam.get_account_summary().send().await.map_err(sdk)?;
    let flag = |k: SummaryKeyType| {
        summary
            .summary_map()
            .and_then(|m| m.get(&k))
            .is_some_and(|v| *v > 0)
    };
    let mut state = RootState {
        mfa_enabled: flag(SummaryKeyType::AccountMfaEnabled),
        ..RootState::default()
    };
    if thorough || flag(SummaryKeyType::AccountPasswordPresent) {
        match iam.get_login_profile().send().await {
            Ok(out) => {
                if let Some(lp) = out.login_profile() {
                    let created = lp.create_date();
                    let user = iam.get_user().send().await.map_err(sdk)?;
                    let last_used = user.user().and_then(|u| u.password_last_used()).copied();
                    // The rule of the module comment: the ledger knows the
                    // profile, and no password sign-in since it was made.
                    let unused = last_used.is_none_or(|u| u.secs() < created.secs());
                    state.password = Some(Password {
                        created: date(created),
                        last_used: last_used.as_ref().map(date),
                        recovery_only: unused && ledger.knows(account, created),
                    });
                }
            }
            Err(e) if e.as_service_error().and_then(|s| s.code()) == Some("NoSuchEntity") => {}
            Err(e) => return Err(sdk(e)),
        }
    }
    if thorough || flag(SummaryKeyType::AccountAccessKeysPresent) {
        let keys = iam.list_access_keys().send().await.map_err(sdk)?;
        for k in keys.access_key_metadata() {
            let Some(id) = k.access_key_id() else {
                continue;
            };
            let used = iam
                .get_access_key_last_used()
                .access_key_id(id)
                .send()
                .await
                .map_err(sdk)?;
            let used = used.access_key_last_used();
            state.access_keys.push(Key {
                access_key_id: id.to_owned(),
                status: k
                    .status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                created: k.create_date().map(date),
                last_used: used.and_then(|u| u.last_used_date()).map(date),
                last_used_service: used.map(|u| u.service_name().to_owned()),
                last_used_region: used.map(|u| u.region().to_owned()),
            });
        }
    }
    if thorough || state.mfa_enabled {
        let mfa = iam.list_mfa_devices().send().await.map_err(sdk)?;
        state.mfa_devices = mfa
            .mfa_devices()
            .iter()
            .map(|d| d.serial_number().to_owned())
            .collect();
    }
    if thorough || flag(SummaryKeyType::AccountSigningCertificatesPresent) {
        let certs = iam.list_signing_certificates().send().await.map_err(sdk)?;
        state.signing_certificates = certs
            .certificates()
            .iter()
            .map(|c| Certificate {
                certificate_id: c.certificate_id().to_owned(),
                status: c.status().as_str().to_owned(),
            })
            .collect();
    }
    Ok(state)
}

/// One audited account (`--output json`: `accounts[]`).
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    /// The account id.
    pub account_id: String,
    /// Its name, when the organization listed it.
    pub account_name: Option<String>,
    /// Its class.
    pub class: Class,
    /// The root user's login profile (`null` without one, or on error).
    pub password: Option<Password>,
    /// MFA serials (`null` on error).
    pub mfa_devices: Option<Vec<String>>,
    /// Access keys (`null` on error).
    pub access_keys: Option<Vec<Key>>,
    /// Signing certificates (`null` on error).
    pub signing_certificates: Option<Vec<Certificate>>,
    /// Why the account could not be audited.
    pub error: Option<Failure>,
}

impl AuditRow {
    /// The row of one account's outcome.
    pub fn new(target: Target, result: Result<RootState, Failure>) -> AuditRow {
        match result {
            Ok(s) => AuditRow {
                account_id: target.id,
                account_name: target.name,
                class: s.class(),
                password: s.password,
                mfa_devices: Some(s.mfa_devices),
                access_keys: Some(s.access_keys),
                signing_certificates: Some(s.signing_certificates),
                error: None,
            },
            Err(e) => AuditRow {
                account_id: target.id,
                account_name: target.name,
                class: Class::Error,
                password: None,
                mfa_devices: None,
                access_keys: None,
                signing_certificates: None,
                error: Some(e),
            },
        }
    }

    /// The `password` cell: `recovery`, `yes`, `no`, or empty on error.
    pub fn password_cell(&self) -> &'static str {
        match (&self.password, &self.error) {
            (_, Some(_)) => "",
            (Some(p), _) if p.recovery_only => "recovery",
            (Some(_), _) => "yes",
            (None, _) => "no",
        }
    }
}

/// The audit's document (`rootward audit --output json`).
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    /// One row per account, in the targets' order.
    pub accounts: Vec<AuditRow>,
    /// Counts per class, every class present.
    pub summary: BTreeMap<&'static str, usize>,
    /// The run was interrupted.
    pub interrupted: bool,
}

impl AuditReport {
    /// The report of these rows.
    pub fn new(accounts: Vec<AuditRow>, interrupted: bool) -> AuditReport {
        AuditReport {
            summary: count(accounts.iter().map(|r| r.class)),
            accounts,
            interrupted,
        }
    }

    /// Every account is `no-root-credentials` and the run was complete.
    pub fn clean(&self) -> bool {
        !self.interrupted
            && self
                .accounts
                .iter()
                .all(|r| r.class == Class::NoRootCredentials)
    }

    /// The summary line (`audit: N accounts: …`).
    pub fn summary_line(&self) -> String {
        summary_line("audit", &self.summary)
    }

    /// The table (and CSV) columns.
    pub fn table(&self) -> Table {
        let mut t = Table::new(&[
            "account",
            "name",
            "class",
            "password",
            "mfa",
            "access_keys",
            "certificates",
            "error",
        ]);
        for r in &self.accounts {
            t.row(vec![
                r.account_id.clone(),
                cell(r.account_name.as_deref()),
                r.class.name().to_owned(),
                r.password_cell().to_owned(),
                n(&r.mfa_devices),
                n(&r.access_keys),
                n(&r.signing_certificates),
                r.error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ]);
        }
        t
    }
}

/// `N accounts: a class-1, b class-2, …` over every class.
pub fn summary_line(what: &str, counts: &BTreeMap<&'static str, usize>) -> String {
    let total: usize = counts.values().sum();
    let parts: Vec<String> = CLASSES
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                counts.get(c.name()).copied().unwrap_or(0),
                c.name()
            )
        })
        .collect();
    format!("{what}: {total} accounts: {}", parts.join(", "))
}

/// Counts per class, every class present.
pub fn count(classes: impl Iterator<Item = Class>) -> BTreeMap<&'static str, usize> {
    let mut m: BTreeMap<&'static str, usize> = CLASSES.iter().map(|c| (c.name(), 0)).collect();
    for c in classes {
        *m.entry(c.name()).or_insert(0) += 1;
    }
    m
}

/// Audits one account: an audit session, then [`read_state`].
pub async fn audit_one(
    aws: Aws,
    account: String,
    thorough: bool,
    ledger: Arc<Ledger>,
) -> Result<RootState, Failure> {
    let session = RootSession::assume(&aws, &account, Task::Audit, None).await?;
    read_state(&session, &account, thorough, &ledger).await
}

fn n<T>(v: &Option<Vec<T>>) -> String {
    v.as_ref().map(|v| v.len().to_string()).unwrap_or_default()
}

/// What an audit run needs besides the targets.
#[derive(Debug, Clone)]
pub struct AuditJob {
    /// Read every list regardless of `GetAccountSummary`.
    pub thorough: bool,
    /// The recovery ledger.
    pub ledger: Arc<Ledger>,
    /// Concurrency and per-account timeout.
    pub limits: Limits,
}

/// Audits every target (what `rootward audit` runs).
pub async fn audit(
    aws: &Aws,
    targets: Vec<Target>,
    job: &AuditJob,
    interrupt: impl FnMut() -> Interrupt,
    observer: &mut (dyn Observer<RootState> + Send),
) -> AuditReport {
    let thorough = job.thorough;
    let ledger = job.ledger.clone();
    let result = run(targets, job.limits, interrupt, observer, |t| {
        audit_one(aws.clone(), t.id, thorough, ledger.clone())
    })
    .await;
    let rows = result
        .outcomes
        .into_iter()
        .map(|o| AuditRow::new(o.target, o.result))
        .collect();
    AuditReport::new(rows, result.interrupted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key {
            access_key_id: "AKIA".into(),
            status: "Active".into(),
            created: None,
            last_used: None,
            last_used_service: None,
            last_used_region: None,
        }
    }

    fn password(recovery_only: bool) -> Option<Password> {
        Some(Password {
            created: "2026-01-01T00:00:00Z".into(),
            last_used: None,
            recovery_only,
        })
    }

    #[test]
    fn classes_by_severity_and_never_root_without_mfa_for_no_credentials() {
        let mut s = RootState::default();
        assert_eq!(s.class(), Class::NoRootCredentials);
        s.mfa_enabled = false;
        assert_eq!(
            s.class(),
            Class::NoRootCredentials,
            "no password: MFA is irrelevant"
        );
        s.mfa_devices = vec!["arn:aws:iam::2:mfa/root".into()];
        assert_eq!(s.class(), Class::NoRootCredentials);
        assert!(
            !s.is_empty(),
            "an MFA device is still deleted by delete-credentials"
        );
        s.mfa_devices.clear();
        s.password = password(true);
        assert_eq!(s.class(), Class::RecoveryEnabled);
        s.password = password(false);
        assert_eq!(s.class(), Class::PasswordWithoutMfa);
        s.mfa_enabled = true;
        assert_eq!(s.class(), Class::PasswordWithMfa);
        s.signing_certificates.push(Certificate {
            certificate_id: "C".into(),
            status: "Active".into(),
        });
        assert_eq!(s.class(), Class::SigningCertificatesPresent);
        s.access_keys.push(key());
        assert_eq!(s.class(), Class::AccessKeysPresent);
    }

    #[test]
    fn summary_names_every_class() {
        let c = count(
            [
                Class::NoRootCredentials,
                Class::Error,
                Class::NoRootCredentials,
            ]
            .into_iter(),
        );
        assert_eq!(
            summary_line("audit", &c),
            "audit: 3 accounts: 2 no-root-credentials, 0 recovery-enabled, 0 password-with-mfa, 0 password-without-mfa, 0 signing-certificates-present, 0 access-keys-present, 1 error"
        );
    }
}
