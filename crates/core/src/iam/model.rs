//! IAM's durable records: users, roles, groups, access keys, managed
//! policies, login profiles, MFA devices, signing certificates, instance
//! profiles, the password policy and the reports. Re-exported by
//! [`crate::model`], which holds the records shared across services and the
//! [`crate::model::Record`] of every table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::{Tag, user_key};
use crate::secret::Secret;

/// An IAM user.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct User {
    /// Owning account.
    pub account: String,
    /// Name (unique per account, case-insensitively).
    pub name: String,
    /// Path, `/` by default.
    pub path: String,
    /// `AIDA…` id.
    pub id: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Inline policies: name → document.
    #[serde(default)]
    pub inline_policies: BTreeMap<String, String>,
    /// Attached managed policy ARNs, in attachment order.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    /// Permissions boundary policy ARN.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    /// The user's last sign-in with a password (`PasswordLastUsed`).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub password_last_used: Option<OffsetDateTime>,
    /// Tags, in the order they were first set.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

impl User {
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:user{}{}",
            self.account, self.path, self.name
        )
    }
}

/// An IAM role.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Role {
    /// Owning account.
    pub account: String,
    /// Name (unique per account, case-insensitively).
    pub name: String,
    /// Path.
    pub path: String,
    /// `AROA…` id.
    pub id: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The trust policy (who may assume it).
    pub trust_policy: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Longest session, in seconds (3,600–43,200).
    pub max_session_duration: i64,
    /// Inline policies: name → document.
    #[serde(default)]
    pub inline_policies: BTreeMap<String, String>,
    /// Attached managed policy ARNs.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    /// Permissions boundary policy ARN.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    /// Tags, in the order they were first set.
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// For a service-linked role, the service principal it is linked to
    /// (`organizations.amazonaws.com`): only that service may change it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_service: Option<String>,
}

impl Role {
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role{}{}",
            self.account, self.path, self.name
        )
    }
}

/// Who an access key belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum KeyOwner {
    /// An IAM user, by name.
    User(String),
    /// The account's root user.
    Root,
}

/// `Active` / `Inactive`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum KeyStatus {
    /// Usable.
    Active,
    /// Refused at authentication.
    Inactive,
}

impl KeyStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
}

/// Where and when a key was last used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LastUsed {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Service name, e.g. `iam`.
    pub service: String,
    /// Region.
    pub region: String,
}

/// A long-term access key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessKey {
    /// `AKIA…`.
    pub id: String,
    /// The secret access key.
    pub secret: Secret,
    /// Owning account.
    pub account: String,
    /// Owning principal.
    pub owner: KeyOwner,
    /// Status.
    pub status: KeyStatus,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Last use.
    #[serde(default)]
    pub last_used: Option<LastUsed>,
}

/// A customer-managed or AWS-managed policy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ManagedPolicy {
    /// ARN (`arn:aws:iam::ACCOUNT|aws:policy/PATH/NAME`).
    pub arn: String,
    /// Name.
    pub name: String,
    /// Path.
    pub path: String,
    /// `ANPA…`.
    pub id: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Versions: id (`v1`, …) → document; the default one is evaluated.
    pub versions: BTreeMap<String, PolicyVersion>,
    /// The default version id.
    pub default_version: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Last update.
    #[serde(with = "time::serde::rfc3339")]
    pub updated: OffsetDateTime,
    /// The number of the last version created (ids are never reused).
    #[serde(default)]
    pub last_version: u32,
    /// Tags (customer-managed policies only).
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// One version of a managed policy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PolicyVersion {
    /// The document.
    pub document: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
}

impl ManagedPolicy {
    /// The default version's document.
    pub fn document(&self) -> &str {
        self.versions
            .get(&self.default_version)
            .map(|v| v.document.as_str())
            .unwrap_or("")
    }
}

/// An IAM group.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Group {
    /// Owning account.
    pub account: String,
    /// Name (unique per account, case-insensitively).
    pub name: String,
    /// Path.
    pub path: String,
    /// `AGPA…` id.
    pub id: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Member user names, in the order they were added.
    #[serde(default)]
    pub members: Vec<String>,
    /// Inline policies: name → document.
    #[serde(default)]
    pub inline_policies: BTreeMap<String, String>,
    /// Attached managed policy ARNs.
    #[serde(default)]
    pub attached_policies: Vec<String>,
}

impl Group {
    /// `arn:aws:iam::ACCOUNT:group/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:group{}{}",
            self.account, self.path, self.name
        )
    }
}

/// A console password ("login profile") of an IAM user or of the root user.
/// Only a salted Argon2id hash (PHC string) is kept, never the password.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct LoginProfile {
    /// Owning account.
    pub account: String,
    /// Whose password it is.
    pub owner: KeyOwner,
    /// The PHC string of the password's hash; `None` for a root profile
    /// created without a password (password recovery, spec 02 §2.6.3).
    pub password_hash: Option<Secret>,
    /// Whether a new password must be set at next sign-in.
    pub password_reset_required: bool,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
}

impl std::fmt::Debug for LoginProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginProfile")
            .field("account", &self.account)
            .field("owner", &self.owner)
            .field("password_reset_required", &self.password_reset_required)
            .finish_non_exhaustive()
    }
}

/// The store key of a login profile.
pub fn login_profile_key(account: &str, owner: &KeyOwner) -> String {
    match owner {
        KeyOwner::User(name) => user_key(account, name),
        // `#` never occurs in a user name.
        KeyOwner::Root => format!("{account}/#root"),
    }
}

/// An MFA device: a virtual (TOTP) device, assigned or not, or a hardware
/// device of the root user. The TOTP seed is a [`Secret`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MfaDevice {
    /// Owning account.
    pub account: String,
    /// `arn:aws:iam::ACCOUNT:mfa/PATH/NAME` (virtual) or a vendor serial.
    pub serial: String,
    /// Whether it is a virtual device (else hardware).
    pub is_virtual: bool,
    /// The raw TOTP seed, base32 (RFC 4648, no padding); `None` for a
    /// hardware device whose codes cannot be checked here.
    pub seed: Option<Secret>,
    /// Who it is assigned to (enabled for).
    pub owner: Option<KeyOwner>,
    /// When it was enabled (assigned).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub enabled: Option<OffsetDateTime>,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The TOTP step of the last code this device's owner used (to enable,
    /// resync, sign in or get a session): a code is good once, so a code of
    /// that step or an earlier one is refused, as AWS refuses a reused code.
    /// Stored with the device, so a restart forgets nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_step: Option<i64>,
    /// Tags (`CreateVirtualMFADevice`'s `Tags`, `TagMFADevice`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<crate::model::Tag>,
}

/// The store key of an MFA device.
pub fn mfa_key(account: &str, serial: &str) -> String {
    format!("{account}/{serial}")
}

/// An X.509 signing certificate of an IAM user or of the root user.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SigningCertificate {
    /// `[A-Z0-9]{32}`.
    pub id: String,
    /// Owning account.
    pub account: String,
    /// Whose certificate it is.
    pub owner: KeyOwner,
    /// The PEM body as uploaded.
    pub body: String,
    /// `Active` / `Inactive`.
    pub status: KeyStatus,
    /// Upload time.
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded: OffsetDateTime,
}

/// A one-time root password recovery token: only its SHA-256 is kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecoveryToken {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// The account whose root password it resets.
    pub account: String,
    /// Expiry.
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
}

/// An account's last generated credential report (CSV).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CredentialReport {
    /// The account.
    pub account: String,
    /// When it was generated.
    #[serde(with = "time::serde::rfc3339")]
    pub generated: OffsetDateTime,
    /// The CSV text.
    pub content: String,
}

/// An account's password policy (`UpdateAccountPasswordPolicy`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// The account.
    pub account: String,
    /// 6–128.
    pub minimum_length: u32,
    /// At least one of `!@#$%^&*()_+-=[]{}|'`.
    pub require_symbols: bool,
    /// At least one digit.
    pub require_numbers: bool,
    /// At least one upper-case letter.
    pub require_uppercase: bool,
    /// At least one lower-case letter.
    pub require_lowercase: bool,
    /// Whether IAM users may change their own password.
    pub allow_users_to_change: bool,
    /// Days a password is valid (1–1095), when passwords expire.
    pub max_age: Option<u32>,
    /// Previous passwords that cannot be reused (1–24).
    pub reuse_prevention: Option<u32>,
    /// Whether an expired password blocks sign-in until an administrator resets it.
    pub hard_expiry: bool,
}

/// An IAM instance profile: a container for (at most) one role.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InstanceProfile {
    /// Owning account.
    pub account: String,
    /// Name (unique per account, case-insensitively).
    pub name: String,
    /// Path.
    pub path: String,
    /// `AIPA…` id.
    pub id: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The role names in it (IAM allows one).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

impl InstanceProfile {
    /// `arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:instance-profile{}{}",
            self.account, self.path, self.name
        )
    }
}

/// An OpenID Connect identity provider (`CreateOpenIDConnectProvider`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OidcProvider {
    /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`.
    pub arn: String,
    /// Owning account.
    pub account: String,
    /// The URL without `https://` (`HOST/PATH`), as IAM answers it.
    pub url: String,
    /// Client ids (audiences), in the order they were added.
    #[serde(default)]
    pub client_ids: Vec<String>,
    /// Server certificate thumbprints (40 hex digits each).
    #[serde(default)]
    pub thumbprints: Vec<String>,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Tags, in the order they were first set.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A `DeleteServiceLinkedRole` task: the role is deleted when the task is
/// made, so the task has succeeded from the start.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SlrDeletion {
    /// `task/aws-service-role/SERVICE/ROLE/UUID`.
    pub id: String,
    /// The account.
    pub account: String,
    /// The deleted role's ARN.
    pub role_arn: String,
    /// When it was submitted (and completed).
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
}

/// One service in a service-last-accessed report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServiceAccess {
    /// `iam`, `s3`, …
    pub namespace: String,
    /// When an entity last authenticated to it, if ever.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_authenticated: Option<OffsetDateTime>,
    /// The ARN of that entity.
    #[serde(default)]
    pub last_entity: Option<String>,
    /// The region of that access.
    #[serde(default)]
    pub last_region: Option<String>,
    /// How many of the report's entities authenticated to it.
    pub total_entities: u32,
}

/// A `GenerateServiceLastAccessedDetails` job, computed when it is made.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessReport {
    /// The job id.
    pub id: String,
    /// The account.
    pub account: String,
    /// The entity or policy reported on.
    pub arn: String,
    /// `SERVICE_LEVEL` or `ACTION_LEVEL`.
    pub granularity: String,
    /// When the job was made (and completed).
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The services.
    pub services: Vec<ServiceAccess>,
}
