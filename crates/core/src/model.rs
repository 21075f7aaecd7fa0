//! The durable records of the domain. Each is one row of the store.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::secret::Secret;

pub use crate::iam::model::*;

/// An AWS account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Account {
    /// 12-digit id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Root user e-mail.
    pub email: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The root user's last sign-in with its password (`GetUser`
    /// `PasswordLastUsed`); kept when the password is deleted, as IAM keeps it.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub root_password_last_used: Option<OffsetDateTime>,
    /// The account alias (`CreateAccountAlias`), unique across accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// When Organizations' `CloseAccount` closed it. Kept on the account,
    /// not its membership: a closed account stays closed wherever it goes
    /// (removed from its organization, its principals are still refused).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub closed: Option<OffsetDateTime>,
    /// The organization that closed it (its 30-day closure quota counts
    /// the account even once it has left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    /// The opt-in regions Account Management's `EnableRegion` and
    /// `DisableRegion` changed, by name: the latest change and when. A
    /// region never changed is as the region list has it (`DISABLED` for an
    /// opt-in region).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regions: BTreeMap<String, crate::account::model::RegionOptChange>,
}

/// A tag (IAM and Organizations resources): key and value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tag {
    /// 1–128 characters.
    pub key: String,
    /// 0–256 characters.
    pub value: String,
}

/// Who a temporary session acts as.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum SessionPrincipal {
    /// `GetSessionToken` of an IAM user.
    User {
        /// The user's name.
        name: String,
        /// The user's unique id (`AIDA…`): a user re-created under the same
        /// name has another, and the old sessions are refused.
        id: String,
    },
    /// `GetSessionToken` of the root user, or a root sign-in.
    Root,
    /// An `AssumeRole` session.
    Role {
        /// The role ARN.
        role_arn: String,
        /// The role's unique id (`AROA…`).
        role_id: String,
        /// `RoleSessionName`.
        session_name: String,
    },
}

/// A temporary credential set (`ASIA…`): the claims its token carries
/// ([`crate::tokens`]) and, once issued, its credentials. Never stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// `ASIA…`.
    pub access_key_id: String,
    /// The secret access key (derived from the token and the server key).
    pub secret: Secret,
    /// The session token the client must present.
    pub token: Secret,
    /// The account the principal belongs to.
    pub account: String,
    /// Who.
    pub principal: SessionPrincipal,
    /// Issued at.
    pub issued: OffsetDateTime,
    /// Expires at.
    pub expires: OffsetDateTime,
    /// Session policy documents (AssumeRole `Policy`), which must also allow.
    pub session_policies: Vec<String>,
    /// `SourceIdentity`, when set.
    pub source_identity: Option<String>,
    /// Managed session policies (AssumeRole `PolicyArns`), which must also allow.
    pub session_policy_arns: Vec<String>,
    /// Session tags (AssumeRole `Tags`): `aws:PrincipalTag/…` in the session.
    pub tags: BTreeMap<String, String>,
    /// The task policy ARN of an `AssumeRoot` session (its deny-only ceiling);
    /// `Some` exactly for AssumeRoot sessions, which see `aws:AssumedRoot`.
    pub task_policy: Option<String>,
    /// Whether the session was issued after an MFA check.
    pub mfa: bool,
    /// Whether `GetSessionToken` issued it (a user's or the root user's own
    /// temporary credentials, with that API's limits; not a sign-in's).
    pub session_token: bool,
}

impl Session {
    /// A session of `principal` in `account` from `issued` to `expires`, with
    /// no policies, tags or task; credentials are filled in when it is issued
    /// ([`crate::Service::issue_session`]).
    pub fn new(
        account: &str,
        principal: SessionPrincipal,
        issued: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Session {
        Session {
            access_key_id: String::new(),
            secret: Secret::new(""),
            token: Secret::new(""),
            account: account.to_owned(),
            principal,
            issued,
            expires,
            session_policies: Vec::new(),
            source_identity: None,
            session_policy_arns: Vec::new(),
            tags: BTreeMap::new(),
            task_policy: None,
            mfa: false,
            session_token: false,
        }
    }
}

/// One durable row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind")]
pub enum Record {
    /// An account.
    Account(Account),
    /// An IAM user.
    User(User),
    /// A long-term access key.
    AccessKey(AccessKey),
    /// An IAM role.
    Role(Role),
    /// A managed policy.
    Policy(ManagedPolicy),
    /// An organization.
    Organization(crate::org::model::Organization),
    /// An organizational unit.
    OrgUnit(crate::org::model::OrgUnit),
    /// An account's membership of an organization.
    OrgMember(crate::org::model::Membership),
    /// An organization policy (SCP).
    OrgPolicy(crate::org::model::OrgPolicy),
    /// An organization policy attachment.
    OrgAttachment(crate::org::model::Attachment),
    /// A `CreateAccount` request's status.
    CreateAccountStatus(crate::org::model::CreateAccountStatus),
    /// A handshake (invitation).
    Handshake(crate::org::model::Handshake),
    /// An IAM group.
    Group(Group),
    /// A login profile.
    LoginProfile(LoginProfile),
    /// An MFA device (virtual or hardware).
    MfaDevice(MfaDevice),
    /// An X.509 signing certificate.
    SigningCertificate(SigningCertificate),
    /// A one-time root password recovery token (its hash only).
    RecoveryToken(RecoveryToken),
    /// An account's last credential report.
    CredentialReport(CredentialReport),
    /// An SQS queue.
    SqsQueue(crate::sqs::model::Queue),
    /// An SQS message.
    SqsMessage(crate::sqs::model::Message),
    /// An S3 bucket (with its policy).
    Bucket(crate::s3::model::Bucket),
    /// An S3 object's metadata (its bytes are a blob).
    S3Object(crate::s3::model::Object),
    /// An S3 multipart upload in progress (its parts' bytes are blobs).
    S3Upload(crate::s3::model::Upload),
    /// A CloudTrail trail.
    Trail(Box<crate::cloudtrail::model::Trail>),
    /// An account's primary contact (Account Management).
    ContactInformation(Box<crate::account::model::AccountContact>),
    /// An account's alternate contact of one type (Account Management).
    AlternateContact(crate::account::model::AccountAlternateContact),
    /// An account's password policy.
    PasswordPolicy(PasswordPolicy),
    /// An IAM instance profile.
    InstanceProfile(InstanceProfile),
    /// A service-last-accessed report.
    AccessReport(AccessReport),
    /// The tags of an organization resource.
    OrgTags(crate::org::model::OrgTags),
    /// A service-linked role's deletion task.
    SlrDeletion(SlrDeletion),
    /// An OpenID Connect identity provider.
    OidcProvider(OidcProvider),
}

/// The tables of the store (the schema is `crate::store::schema`).
pub use crate::store::schema::names as table;

/// The store key of a user.
pub fn user_key(account: &str, name: &str) -> String {
    format!("{account}/{}", name.to_ascii_lowercase())
}

/// One change to the state.
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "changes are built a few at a time per write and consumed at once; boxing every record would add an allocation to each"
)]
pub enum Change {
    /// Insert or replace a record.
    Put(Record),
    /// Remove the record with this key from this table.
    Delete(&'static str, String),
    /// Write a blob (S3 object bytes), atomically with the other changes; the
    /// in-memory state ignores it.
    PutBlob {
        /// Blob key.
        key: String,
        /// The bytes.
        value: Vec<u8>,
    },
    /// Remove a blob; the in-memory state ignores it.
    DeleteBlob {
        /// Blob key.
        key: String,
    },
}
