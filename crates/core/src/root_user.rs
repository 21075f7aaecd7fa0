//! Stand-ins for the AWS sign-in page: what a person can do there as an
//! account's root user, and nothing more. Sign-up (a standalone account with
//! a root password), sign-in (temporary root credentials, with the MFA code
//! when the root user has a device), root MFA enrolment, and the
//! forgotten-password flow (a one-time token mailed to the root e-mail's
//! outbox, kept in the store only as its SHA-256).
//!
//! Failures of e-mail, password or code give one message whatever was wrong,
//! and repeated failures per e-mail are throttled in memory. Passwords, seeds
//! and tokens never reach `Debug` output or logs.
//!
//! Why this file is longer than our ~600-line guide: it is one concern, the
//! one type [`RootConsole`] whose flows (sign-up, sign-in, MFA, password
//! recovery) share the per-e-mail throttle, the single failure message and
//! the account lookup by e-mail; split apart, each flow would need those
//! internals opened to its siblings.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use parking_lot::Mutex;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::error::CoreError;
use crate::iam::login_profiles::{check_password, hash_password, verify_password};
use crate::iam::mfa;
use crate::ids;
use crate::model::{
    Account, Change, KeyOwner, LoginProfile, MfaDevice, Record, RecoveryToken, Session,
    SessionPrincipal, login_profile_key, mfa_key, table,
};
use crate::org::model::ROOT_CREDENTIALS_MANAGEMENT;
use crate::secret::Secret;
use crate::service::Service;
use crate::state::State;

/// Failed attempts per e-mail before sign-in is refused for a while.
pub const MAX_FAILURES: usize = 5;
/// The window the failures are counted in, and the lock-out.
pub const FAILURE_WINDOW_SECS: i64 = 300;
/// Lifetime of a sign-in session.
pub const SESSION_SECS: i64 = 3600;
/// Lifetime of a recovery token.
pub const TOKEN_SECS: i64 = 3600;

/// The one answer to a wrong e-mail, password or MFA code.
pub const BAD_CREDENTIALS: &str = "Your authentication information is incorrect. Please try again.";
/// The answer while an e-mail is throttled.
pub const THROTTLED: &str = "Too many failed sign-in attempts. Wait a few minutes and try again.";
/// The answer to a reset when centralized root access keeps the root user
/// without a password.
pub const RECOVERY_DISABLED: &str = "Password recovery is disabled for this account. Your organization manages the root user credentials of this account centrally; ask its administrator to allow password recovery.";
/// The answer to an unknown, used or expired token.
pub const BAD_TOKEN: &str = "This password reset link is invalid or has expired.";
/// The answer of forgot-password, whatever the e-mail.
pub const RECOVERY_SENT: &str =
    "If an account uses this e-mail address, we sent it a message with a password reset link.";

/// What went wrong at the sign-in page, with a message for the person; the
/// server gives each its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleError {
    /// The input is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// The e-mail, password or MFA code is wrong.
    #[error("{}", BAD_CREDENTIALS)]
    BadCredentials,
    /// The person may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// What was named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// It conflicts with what exists.
    #[error("{0}")]
    Conflict(String),
    /// Too many failed sign-ins in a short time.
    #[error("{}", THROTTLED)]
    Throttled,
    /// Something broke inside (logged, answered without detail).
    #[error("Something went wrong. Try again later.")]
    Internal,
}

impl From<CoreError> for ConsoleError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Constraints(e) => ConsoleError::Invalid(e.to_string()),
            CoreError::Validation(m)
            | CoreError::InvalidInput(m)
            | CoreError::PasswordPolicyViolation(m)
            | CoreError::InvalidAuthenticationCode(m) => ConsoleError::Invalid(m),
            CoreError::NoSuchEntity(m) => ConsoleError::NotFound(m),
            CoreError::EntityAlreadyExists(m)
            | CoreError::LimitExceeded(m)
            | CoreError::DeleteConflict(m) => ConsoleError::Conflict(m),
            CoreError::AccessDenied(m) => ConsoleError::Forbidden(m),
            CoreError::MalformedPolicy(_)
            | CoreError::Organizations(_)
            | CoreError::S3(_)
            | CoreError::CloudTrail(_)
            | CoreError::Account(_)
            | CoreError::Ec2(_)
            | CoreError::PolicyNotAttachable(_)
            | CoreError::OrganizationNotFound(_)
            | CoreError::OrganizationNotInAllFeaturesMode(_)
            | CoreError::ServiceAccessNotEnabled(_)
            | CoreError::AccountNotManagementOrDelegatedAdministrator(_)
            | CoreError::CallerIsNotManagementAccount(_)
            | CoreError::Sts(_)
            | CoreError::Sqs(_)
            | CoreError::DuplicateCertificate(_)
            | CoreError::MalformedCertificate(_)
            | CoreError::ReportNotPresent(_)
            | CoreError::ReportExpired(_)
            | CoreError::InvalidUserType(_)
            | CoreError::EntityTemporarilyUnmodifiable(_)
            | CoreError::UnmodifiableEntity(_)
            | CoreError::Internal(_) => ConsoleError::Internal,
        }
    }
}

/// A message in the root e-mail's mailbox. The token is in clear here (it is
/// the person's mailbox) and nowhere else.
#[derive(Clone, Serialize)]
pub struct Message {
    /// The root e-mail.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// The recovery token the body carries.
    pub token: String,
    /// When it was sent (RFC 3339).
    pub sent_at: String,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("sent_at", &self.sent_at)
            .finish_non_exhaustive()
    }
}

/// What the sign-in page keeps besides the store: the outbox and the
/// failure counts.
#[derive(Default)]
pub struct RootConsole {
    outbox_dir: Option<PathBuf>,
    outbox: Mutex<Vec<Message>>,
    failures: Mutex<HashMap<String, Vec<OffsetDateTime>>>,
}

impl std::fmt::Debug for RootConsole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootConsole")
            .field("outbox_dir", &self.outbox_dir)
            .finish_non_exhaustive()
    }
}

/// Who signs in at the sign-in page.
#[derive(Debug, Clone, Copy)]
pub enum Principal<'a> {
    /// The root user, by the account's e-mail.
    Root {
        /// The root e-mail.
        email: &'a str,
    },
    /// An IAM user with a login profile, by account id and user name.
    User {
        /// The account id.
        account: &'a str,
        /// The user name (case-insensitive, as IAM compares names).
        user_name: &'a str,
    },
}

impl Principal<'_> {
    /// The key failures are counted under (the same throttle for both kinds).
    fn throttle_key(&self) -> String {
        match self {
            Principal::Root { email } => normalise(email),
            Principal::User { account, user_name } => format!(
                "user:{}/{}",
                account.trim(),
                user_name.trim().to_ascii_lowercase()
            ),
        }
    }
}

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct SignIn {
    /// The account.
    pub account: String,
    /// Whose password it was.
    pub principal: KeyOwner,
    /// Temporary credentials of the root user.
    pub session: Session,
}

/// A virtual device made for the root user at the sign-in page.
#[derive(Debug, Clone)]
pub struct NewDevice {
    /// Its serial.
    pub serial: String,
    /// Its base32 seed.
    pub seed: Secret,
}

fn normalise(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

fn check_email(email: &str) -> Result<(), ConsoleError> {
    let ok = (6..=64).contains(&email.len())
        && email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(ConsoleError::Invalid(
            "Enter a valid e-mail address.".into(),
        ))
    }
}

fn account_by_email<'a>(state: &'a State, email: &str) -> Option<&'a Account> {
    let wanted = normalise(email);
    state
        .accounts
        .values()
        .find(|a| normalise(&a.email) == wanted)
}

/// A hash to verify against when the e-mail is unknown, so that a wrong
/// e-mail costs as much time as a wrong password.
fn dummy_hash() -> Option<&'static Secret> {
    static DUMMY: OnceLock<Option<Secret>> = OnceLock::new();
    DUMMY
        .get_or_init(|| hash_password("not-a-password-of-anyone-1A!").ok())
        .as_ref()
}

/// Hex SHA-256 of a recovery token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl RootConsole {
    /// A console whose outbox is also written as files under `outbox_dir`.
    pub fn new(outbox_dir: Option<PathBuf>) -> RootConsole {
        RootConsole {
            outbox_dir,
            ..RootConsole::default()
        }
    }

    fn throttled(&self, key: &str, now: OffsetDateTime) -> bool {
        let mut f = self.failures.lock();
        match f.get_mut(key) {
            Some(v) => {
                v.retain(|t| (now - *t).whole_seconds() < FAILURE_WINDOW_SECS);
                v.len() >= MAX_FAILURES
            }
            None => false,
        }
    }

    fn fail(&self, key: &str, now: OffsetDateTime) -> ConsoleError {
        let mut f = self.failures.lock();
        // Bounded: stale e-mails are dropped once the map grows.
        if f.len() > 10_000 {
            f.retain(|_, v| {
                v.last()
                    .is_some_and(|t| (now - *t).whole_seconds() < FAILURE_WINDOW_SECS)
            });
        }
        f.entry(key.to_owned()).or_default().push(now);
        ConsoleError::BadCredentials
    }

    /// Checks the principal's password and (when it has an MFA device) the
    /// current code; the account id and the owner of the password. Every
    /// failure (unknown e-mail, account or user, no password, wrong password
    /// or code) gives the one message, after the same hashing work.
    fn authenticate(
        &self,
        svc: &Service,
        who: &Principal<'_>,
        password: &str,
        mfa_code: Option<&str>,
    ) -> Result<(String, KeyOwner), ConsoleError> {
        let key = who.throttle_key();
        let now = svc.now();
        if self.throttled(&key, now) {
            return Err(ConsoleError::Throttled);
        }
        let (found, hash, has_mfa) = {
            let state = svc.read();
            let found: Option<(String, KeyOwner)> = match who {
                Principal::Root { email } => {
                    account_by_email(&state, email).map(|a| (a.id.clone(), KeyOwner::Root))
                }
                Principal::User { account, user_name } => state
                    .user(account, user_name)
                    .map(|u| (u.account.clone(), KeyOwner::User(u.name.clone()))),
            };
            match found {
                Some((account, owner)) => {
                    let hash = state
                        .login_profiles
                        .get(&login_profile_key(&account, &owner))
                        .and_then(|p| p.password_hash.clone());
                    let has_mfa = !state.mfa_devices_for(&account, &owner).is_empty();
                    (Some((account, owner)), hash, has_mfa)
                }
                None => (None, None, false),
            }
        };
        let password_ok = match (&found, &hash) {
            (Some(_), Some(h)) => verify_password(h, password),
            _ => {
                if let Some(d) = dummy_hash() {
                    let _ = verify_password(d, password);
                }
                false
            }
        };
        // A code is used only once the password is right, and is good once
        // (the device remembers its step: a reused code is refused).
        let mfa_ok = !has_mfa
            || match (&found, mfa_code) {
                (Some((account, owner)), Some(code)) if password_ok => {
                    mfa::use_code(svc, account, owner, None, code).unwrap_or_else(|e| {
                        tracing::error!(error = %e, "sign-in: the MFA code's use could not be stored; refused");
                        false
                    })
                }
                _ => false,
            };
        // A closed member account signs in no more (its principals lose
        // access with the closure), whatever the password.
        let closed = found
            .as_ref()
            .is_some_and(|(account, _)| crate::org::accounts::is_closed(&svc.read(), account));
        match found {
            Some(found) if password_ok && mfa_ok && !closed => {
                self.failures.lock().remove(&key);
                Ok(found)
            }
            _ => Err(self.fail(&key, now)),
        }
    }

    /// `POST /_rootward/signup`: a standalone account whose root user has
    /// this password; its id.
    pub fn signup(
        &self,
        svc: &Service,
        email: &str,
        password: &str,
        account_name: &str,
    ) -> Result<String, ConsoleError> {
        check_email(email)?;
        let name_len = account_name.chars().count();
        if !(1..=50).contains(&name_len) || account_name.chars().any(char::is_control) {
            return Err(ConsoleError::Invalid(
                "The account name must be 1 to 50 characters.".into(),
            ));
        }
        check_password(password)?;
        let hash = hash_password(password)?;
        let now = svc.now();
        svc.mutate(|state| {
            if account_by_email(state, email).is_some() {
                return Err(CoreError::EntityAlreadyExists(
                    "An account with this e-mail address already exists.".into(),
                ));
            }
            let mut id = ids::account_id();
            while state.accounts.contains_key(&id) {
                id = ids::account_id();
            }
            let account = Account {
                id: id.clone(),
                name: account_name.to_owned(),
                email: email.trim().to_owned(),
                created: now,
                root_password_last_used: None,
                alias: None,
                closed: None,
                closed_by: None,
                regions: Default::default(),
            };
            let profile = LoginProfile {
                account: id.clone(),
                owner: KeyOwner::Root,
                password_hash: Some(hash),
                password_reset_required: false,
                created: now,
            };
            Ok((
                id,
                vec![
                    Change::Put(Record::Account(account)),
                    Change::Put(Record::LoginProfile(profile)),
                ],
            ))
        })
        .map_err(ConsoleError::from)
    }

    /// `POST /_rootward/signin`: one hour of temporary credentials of the
    /// root user (by e-mail) or of an IAM user (by account id and user
    /// name). The sign-in is recorded as the password's last use
    /// (`GetUser` `PasswordLastUsed`, the credential report's
    /// `password_last_used`) in the same commit as the session.
    ///
    /// A user whose profile says `PasswordResetRequired` signs in all the
    /// same: the stand-in has no change-password step.
    pub fn signin(
        &self,
        svc: &Service,
        who: &Principal<'_>,
        password: &str,
        mfa_code: Option<&str>,
    ) -> Result<SignIn, ConsoleError> {
        let (account, owner) = self.authenticate(svc, who, password, mfa_code)?;
        let now = svc.now();
        let principal = match &owner {
            KeyOwner::Root => SessionPrincipal::Root,
            KeyOwner::User(name) => {
                let id = svc
                    .read()
                    .user(&account, name)
                    .map(|u| u.id.clone())
                    .ok_or_else(|| ConsoleError::from(CoreError::Internal("user gone".into())))?;
                SessionPrincipal::User {
                    name: name.clone(),
                    id,
                }
            }
        };
        // The sign-in is the password's last use; the session itself is
        // never stored (its token carries it).
        svc.mutate(|state| {
            let mut changes = Vec::new();
            match &owner {
                KeyOwner::Root => {
                    if let Some(a) = state.accounts.get(&account) {
                        changes.push(Change::Put(Record::Account(Account {
                            root_password_last_used: Some(now),
                            ..a.clone()
                        })));
                    }
                }
                KeyOwner::User(name) => {
                    if let Some(u) = state.user(&account, name) {
                        changes.push(Change::Put(Record::User(crate::model::User {
                            password_last_used: Some(now),
                            ..u.clone()
                        })));
                    }
                }
            }
            Ok(((), changes))
        })?;
        let session = svc.issue_session(Session::new(
            &account,
            principal,
            now,
            now + Duration::seconds(SESSION_SECS),
        ));
        Ok(SignIn {
            account,
            principal: owner,
            session,
        })
    }

    /// `POST /_rootward/mfa/create`: a virtual device for the root user,
    /// `root-account-mfa-device`, not yet enabled (an unassigned one of that
    /// name is replaced).
    pub fn mfa_create(
        &self,
        svc: &Service,
        email: &str,
        password: &str,
        mfa_code: Option<&str>,
    ) -> Result<NewDevice, ConsoleError> {
        let (account, _) =
            self.authenticate(svc, &Principal::Root { email }, password, mfa_code)?;
        let serial = mfa::virtual_serial(&account, "/", mfa::ROOT_DEVICE_NAME);
        let now = svc.now();
        let device: MfaDevice = svc.mutate(|state| {
            if state
                .mfa_devices
                .get(&mfa_key(&account, &serial))
                .is_some_and(|d| d.owner.is_some())
            {
                return Err(CoreError::EntityAlreadyExists(
                    "The root user already has a virtual MFA device of this name.".into(),
                ));
            }
            let d = mfa::new_virtual_device(&account, serial.clone(), now);
            Ok((d.clone(), vec![Change::Put(Record::MfaDevice(d))]))
        })?;
        let seed = device.seed.ok_or(ConsoleError::Internal)?;
        Ok(NewDevice {
            serial: device.serial,
            seed,
        })
    }

    /// `POST /_rootward/mfa/enable`: enables a root device with two
    /// consecutive codes.
    #[expect(clippy::too_many_arguments, reason = "the form's fields")]
    pub fn mfa_enable(
        &self,
        svc: &Service,
        email: &str,
        password: &str,
        mfa_code: Option<&str>,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<(), ConsoleError> {
        let (account, _) =
            self.authenticate(svc, &Principal::Root { email }, password, mfa_code)?;
        mfa::enable_for(svc, &account, &KeyOwner::Root, serial, code1, code2)?;
        Ok(())
    }

    /// `POST /_rootward/forgot-password`: for a known e-mail, a one-time
    /// token (256 random bits, one hour) mailed to its outbox. The answer is
    /// the same for every e-mail.
    pub fn forgot_password(&self, svc: &Service, email: &str) -> Result<(), ConsoleError> {
        let now = svc.now();
        let Some(account) = account_by_email(&svc.read(), email).cloned() else {
            return Ok(());
        };
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let token = hex::encode(raw);
        let record = RecoveryToken {
            token_hash: token_hash(&token),
            account: account.id.clone(),
            expires: now + Duration::seconds(TOKEN_SECS),
        };
        svc.mutate(|state| {
            let mut changes: Vec<Change> = state
                .recovery_tokens
                .values()
                .filter(|t| t.expires <= now)
                .map(|t| Change::Delete(table::RECOVERY_TOKENS, t.token_hash.clone()))
                .collect();
            changes.push(Change::Put(Record::RecoveryToken(record.clone())));
            Ok(((), changes))
        })?;
        let message = Message {
            to: account.email.clone(),
            subject: "Amazon Web Services Password Assistance".into(),
            body: format!(
                "We received a request to reset the password of the root user of AWS account {} ({}).\n\nTo choose a new password, use this password reset token within one hour:\n\n{token}\n\nIf you did not ask for this, ignore this message.\n",
                account.id, account.name
            ),
            token,
            sent_at: crate::clock::iso8601(now),
        };
        self.deliver(message);
        Ok(())
    }

    fn deliver(&self, m: Message) {
        let mut outbox = self.outbox.lock();
        if let Some(dir) = &self.outbox_dir {
            let name = format!(
                "{}-{:04}.eml",
                m.sent_at.replace(':', ""),
                outbox.len() % 10_000
            );
            let text = format!(
                "To: {}\nSubject: {}\nDate: {}\n\n{}",
                m.to, m.subject, m.sent_at, m.body
            );
            let written =
                std::fs::create_dir_all(dir).and_then(|()| std::fs::write(dir.join(&name), text));
            if let Err(e) = written {
                tracing::warn!(%name, error = %e, "cannot write the outbox message");
            }
        }
        outbox.push(m);
    }

    /// `GET /_rootward/outbox`: the messages to `email` (all when `None`),
    /// oldest first.
    pub fn outbox(&self, email: Option<&str>) -> Vec<Message> {
        let wanted = email.map(normalise);
        self.outbox
            .lock()
            .iter()
            .filter(|m| wanted.as_ref().is_none_or(|w| normalise(&m.to) == *w))
            .cloned()
            .collect()
    }

    /// `POST /_rootward/reset-password`: sets the root password with a
    /// token, once. Refused (403) while the account's organization keeps its
    /// root user without a password (`RootCredentialsManagement` in force and
    /// no root login profile); the token then stays valid.
    pub fn reset_password(
        &self,
        svc: &Service,
        token: &str,
        new_password: &str,
    ) -> Result<String, ConsoleError> {
        let hash_of_token = token_hash(token);
        let now = svc.now();
        let usable = |state: &State| -> Result<String, ConsoleError> {
            let t = state
                .recovery_tokens
                .get(&hash_of_token)
                .filter(|t| t.expires > now)
                .ok_or_else(|| ConsoleError::Invalid(BAD_TOKEN.into()))?;
            let has_profile = state
                .login_profiles
                .contains_key(&login_profile_key(&t.account, &KeyOwner::Root));
            if !has_profile
                && state
                    .org
                    .iam_feature_in_force(&t.account, ROOT_CREDENTIALS_MANAGEMENT)
            {
                return Err(ConsoleError::Forbidden(RECOVERY_DISABLED.into()));
            }
            Ok(t.account.clone())
        };
        usable(&svc.read())?;
        check_password(new_password)?;
        let hash = hash_password(new_password)?;
        // A refusal decided under the writer lock commits nothing.
        svc.mutate(|state| {
            let account = match usable(state) {
                Ok(a) => a,
                Err(e) => return Ok((Err(e), Vec::new())),
            };
            let key = login_profile_key(&account, &KeyOwner::Root);
            let profile = match state.login_profiles.get(&key) {
                Some(p) => LoginProfile {
                    password_hash: Some(hash.clone()),
                    password_reset_required: false,
                    ..p.clone()
                },
                None => LoginProfile {
                    account: account.clone(),
                    owner: KeyOwner::Root,
                    password_hash: Some(hash.clone()),
                    password_reset_required: false,
                    created: now,
                },
            };
            // Every outstanding token of the account is spent.
            let mut changes: Vec<Change> = state
                .recovery_tokens
                .values()
                .filter(|t| t.account == account)
                .map(|t| Change::Delete(table::RECOVERY_TOKENS, t.token_hash.clone()))
                .collect();
            changes.push(Change::Put(Record::LoginProfile(profile)));
            Ok((Ok(account), changes))
        })?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_hash_and_messages_hide_secrets() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash("abc"), token_hash("abd"));
        let m = Message {
            to: "a@example.com".into(),
            subject: "s".into(),
            body: "token 123456".into(),
            token: "123456".into(),
            sent_at: "now".into(),
        };
        assert!(!format!("{m:?}").contains("123456"));
        assert!(check_email("root@example.com").is_ok());
        assert!(check_email("root@example").is_err());
        assert!(check_email("@example.com").is_err());
    }
}
