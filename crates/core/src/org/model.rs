//! The durable records of AWS Organizations (spec 03 §3.1–3.2).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ident::Arn;

/// The only policy type Rootward enforces.
pub const SCP: &str = "SERVICE_CONTROL_POLICY";

/// The AWS-managed SCP attached everywhere by default.
pub const FULL_AWS_ACCESS_ID: &str = "p-FullAWSAccess";

/// An organization: its root, its features, trusted services and delegated
/// administrators. Small, so it is one record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Organization {
    /// `o-…`.
    pub id: String,
    /// The management account.
    pub management_account: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    /// `r-…`.
    pub root_id: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Policy types enabled on the root.
    #[serde(default)]
    pub policy_types: Vec<String>,
    /// Trusted service principals and when they were enabled.
    #[serde(default)]
    pub trusted_services: BTreeMap<String, Stamp>,
    /// Delegated administrators: account → service principal → since.
    #[serde(default)]
    pub delegated_admins: BTreeMap<String, BTreeMap<String, Stamp>>,
    /// IAM's centralized root access features enabled for this organization
    /// (`RootCredentialsManagement`, `RootSessions`; spec 02 §2.5). They are
    /// kept while IAM trusted access is disabled, and count only while it is on.
    #[serde(default)]
    pub iam_features: Vec<String>,
}

/// The IAM service principal of trusted access.
pub const IAM_PRINCIPAL: &str = "iam.amazonaws.com";
/// IAM feature: remove and keep removed member root credentials.
pub const ROOT_CREDENTIALS_MANAGEMENT: &str = "RootCredentialsManagement";
/// IAM feature: root sessions for the S3 and SQS unlock tasks.
pub const ROOT_SESSIONS: &str = "RootSessions";

/// A serialisable timestamp.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Stamp(#[serde(with = "time::serde::rfc3339")] pub OffsetDateTime);

impl Organization {
    /// `arn:aws:organizations::MGMT:organization/o-…`.
    pub fn arn(&self) -> String {
        Arn::organization(&self.management_account, &self.id).to_string()
    }

    /// The ARN of the root.
    pub fn root_arn(&self) -> String {
        Arn::organizations(&self.management_account, "root", &self.id, &self.root_id).to_string()
    }

    /// The ARN of an account of this organization.
    pub fn account_arn(&self, account: &str) -> String {
        Arn::organizations(&self.management_account, "account", &self.id, account).to_string()
    }

    /// The ARN of an OU of this organization.
    pub fn ou_arn(&self, ou: &str) -> String {
        Arn::organizations(&self.management_account, "ou", &self.id, ou).to_string()
    }

    /// The ARN of a customer policy of this organization.
    pub fn policy_arn(&self, policy: &str) -> String {
        if policy == FULL_AWS_ACCESS_ID {
            return "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
                .to_owned();
        }
        Arn::organizations(
            &self.management_account,
            "policy",
            &self.id,
            &format!("service_control_policy/{policy}"),
        )
        .to_string()
    }

    /// Whether SCPs are enabled (and so enforced).
    pub fn scps_enabled(&self) -> bool {
        self.policy_types.iter().any(|t| t == SCP)
    }
}

/// An organizational unit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OrgUnit {
    /// `ou-…`.
    pub id: String,
    /// Organization id.
    pub org: String,
    /// Parent root or OU id.
    pub parent: String,
    /// Name (unique under its parent).
    pub name: String,
}

/// An account's place in an organization.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Membership {
    /// The account id.
    pub account: String,
    /// Organization id.
    pub org: String,
    /// Parent root or OU id.
    pub parent: String,
    /// `CREATED` or `INVITED`.
    pub joined_method: String,
    /// When it joined.
    #[serde(with = "time::serde::rfc3339")]
    pub joined: OffsetDateTime,
}

/// A customer-managed organization policy (an SCP).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OrgPolicy {
    /// `p-…`.
    pub id: String,
    /// Organization id.
    pub org: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Policy type (`SERVICE_CONTROL_POLICY`).
    pub policy_type: String,
    /// The document, exactly as submitted.
    pub content: String,
}

/// The tags of one root, OU, account or policy of an organization.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OrgTags {
    /// Organization id.
    pub org: String,
    /// The resource id (`r-…`, `ou-…`, account id, `p-…`).
    pub resource: String,
    /// The tags, in the order they were first set.
    pub tags: Vec<crate::model::Tag>,
}

/// A policy attached to a root, OU or account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Attachment {
    /// Organization id.
    pub org: String,
    /// Policy id.
    pub policy: String,
    /// Target id (root, OU or account).
    pub target: String,
}

impl Attachment {
    /// The store key: `ORG/TARGET/POLICY`.
    pub fn key(&self) -> String {
        attachment_key(&self.org, &self.target, &self.policy)
    }
}

/// The store key of an attachment.
pub fn attachment_key(org: &str, target: &str, policy: &str) -> String {
    format!("{org}/{target}/{policy}")
}

/// The status of a `CreateAccount` request.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreateAccountStatus {
    /// `car-…`.
    pub id: String,
    /// Organization id.
    pub org: String,
    /// Requested name.
    pub account_name: String,
    /// `IN_PROGRESS`, `SUCCEEDED` or `FAILED`.
    pub state: String,
    /// When requested.
    #[serde(with = "time::serde::rfc3339")]
    pub requested: OffsetDateTime,
    /// When completed.
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub completed: Option<OffsetDateTime>,
    /// The new account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub failure_reason: Option<String>,
}

/// An invitation (or another handshake) between an organization and an account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Handshake {
    /// `h-…`.
    pub id: String,
    /// Organization id.
    pub org: String,
    /// `INVITE` or `ENABLE_ALL_FEATURES`.
    pub action: String,
    /// The invited account.
    pub account: String,
    /// `OPEN`, `ACCEPTED`, `DECLINED`, `CANCELED`, `EXPIRED`.
    pub state: String,
    /// When requested.
    #[serde(with = "time::serde::rfc3339")]
    pub requested: OffsetDateTime,
    /// When it expires.
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    /// Notes of the invitation.
    #[serde(default)]
    pub notes: Option<String>,
}
