//! The storage schema: every table of the store, the record each row
//! holds and how a row's key is formed, in one place ([`Table`]). The
//! domain writes a record to [`Record::table`] under [`Record::key`] (as
//! JSON of the [`Record`]); the SQLite backend's own tables are
//! [`SQLITE_TABLES`]; the store contract suite (`store::contract`) writes
//! to every table named here.
//!
//! Table names are on disk: they never change (a test pins them).

use crate::model::Record;

/// A table of the store.
pub trait Table {
    /// Its name in the store.
    const NAME: &'static str;
    /// The record each row holds.
    type Row;
    /// The key of a row.
    fn key(row: &Self::Row) -> String;
    /// The row as the [`Record`] stored.
    fn record(row: Self::Row) -> Record;
}

/// Defines the tables holding records: one type implementing [`Table`]
/// each, the [`names`], and [`Record::table`] and [`Record::key`].
macro_rules! tables {
    ($(
        $(#[$doc:meta])*
        $table:ident: $constant:ident = $name:literal, $variant:ident($row:ty), |$r:ident| $key:expr;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $table;

            impl Table for $table {
                const NAME: &'static str = $name;
                type Row = $row;
                fn key($r: &$row) -> String {
                    $key
                }
                fn record(row: $row) -> Record {
                    Record::$variant(row)
                }
            }
        )*

        /// The table names (`names::ACCOUNTS`), also `crate::model::table`.
        pub mod names {
            $(
                $(#[$doc])*
                pub const $constant: &str = $name;
            )*
            /// Sessions of older versions, keyed by access key id: no longer written (session tokens carry their session); emptied at start.
            pub const SESSIONS: &str = "sessions";
        }

        /// The tables holding records, in [`Record`]'s order.
        pub const RECORD_TABLES: &[&str] = &[$($name),*];

        impl Record {
            /// The table the record lives in.
            pub fn table(&self) -> &'static str {
                match self {
                    $(Record::$variant(_) => $table::NAME,)*
                }
            }

            /// The record's key in its table.
            pub fn key(&self) -> String {
                match self {
                    $(Record::$variant(row) => $table::key(row),)*
                }
            }
        }
    };
}

tables! {
    /// Accounts, keyed by id.
    Accounts: ACCOUNTS = "accounts", Account(crate::model::Account), |a| a.id.clone();
    /// Users, keyed by `ACCOUNT/lower-case name`.
    Users: USERS = "users", User(crate::model::User), |u| crate::model::user_key(&u.account, &u.name);
    /// Access keys, keyed by id.
    AccessKeys: ACCESS_KEYS = "access_keys", AccessKey(crate::model::AccessKey), |k| k.id.clone();
    /// Roles, keyed by `ACCOUNT/lower-case name`.
    Roles: ROLES = "roles", Role(crate::model::Role), |r| crate::model::user_key(&r.account, &r.name);
    /// Managed policies, keyed by ARN.
    Policies: POLICIES = "policies", Policy(crate::model::ManagedPolicy), |p| p.arn.clone();
    /// Organizations, keyed by id.
    Orgs: ORGS = "orgs", Organization(crate::org::model::Organization), |o| o.id.clone();
    /// Organizational units, keyed by id.
    OrgUnits: ORG_UNITS = "org_units", OrgUnit(crate::org::model::OrgUnit), |u| u.id.clone();
    /// Organization memberships, keyed by account id.
    OrgMembers: ORG_MEMBERS = "org_members", OrgMember(crate::org::model::Membership), |m| m.account.clone();
    /// Organization policies, keyed by id.
    OrgPolicies: ORG_POLICIES = "org_policies", OrgPolicy(crate::org::model::OrgPolicy), |p| p.id.clone();
    /// Organization policy attachments, keyed by `ORG/TARGET/POLICY`.
    OrgAttachments: ORG_ATTACHMENTS = "org_attachments", OrgAttachment(crate::org::model::Attachment), |a| a.key();
    /// `CreateAccount` statuses, keyed by id.
    CreateAccountStatuses: CREATE_ACCOUNT_STATUSES = "create_account_statuses", CreateAccountStatus(crate::org::model::CreateAccountStatus), |c| c.id.clone();
    /// Handshakes, keyed by id.
    Handshakes: HANDSHAKES = "handshakes", Handshake(crate::org::model::Handshake), |h| h.id.clone();
    /// Groups, keyed by `ACCOUNT/lower-case name`.
    Groups: GROUPS = "groups", Group(crate::model::Group), |g| crate::model::user_key(&g.account, &g.name);
    /// Login profiles, keyed by `ACCOUNT/lower-case user name` or `ACCOUNT/#root`.
    LoginProfiles: LOGIN_PROFILES = "login_profiles", LoginProfile(crate::model::LoginProfile), |l| crate::model::login_profile_key(&l.account, &l.owner);
    /// MFA devices, keyed by `ACCOUNT/serial`.
    MfaDevices: MFA_DEVICES = "mfa_devices", MfaDevice(crate::model::MfaDevice), |d| crate::model::mfa_key(&d.account, &d.serial);
    /// Signing certificates, keyed by certificate id.
    SigningCertificates: SIGNING_CERTIFICATES = "signing_certificates", SigningCertificate(crate::model::SigningCertificate), |c| c.id.clone();
    /// Root password recovery tokens, keyed by the token's SHA-256 (hex).
    RecoveryTokens: RECOVERY_TOKENS = "recovery_tokens", RecoveryToken(crate::model::RecoveryToken), |t| t.token_hash.clone();
    /// Credential reports, keyed by account id.
    CredentialReports: CREDENTIAL_REPORTS = "credential_reports", CredentialReport(crate::model::CredentialReport), |r| r.account.clone();
    /// SQS queues, keyed by `ACCOUNT/REGION/NAME`.
    SqsQueues: SQS_QUEUES = "sqs_queues", SqsQueue(crate::sqs::model::Queue), |q| q.key();
    /// SQS messages, keyed by `ACCOUNT/REGION/NAME/SEQ`.
    SqsMessages: SQS_MESSAGES = "sqs_messages", SqsMessage(crate::sqs::model::Message), |m| m.key();
    /// S3 buckets, keyed by name.
    S3Buckets: S3_BUCKETS = "s3_buckets", Bucket(crate::s3::model::Bucket), |b| b.name.clone();
    /// S3 object metadata, keyed by `BUCKET/KEY`.
    S3Objects: S3_OBJECTS = "s3_objects", S3Object(crate::s3::model::Object), |o| o.store_key();
    /// S3 multipart uploads, keyed by upload id.
    S3Uploads: S3_UPLOADS = "s3_uploads", S3Upload(crate::s3::model::Upload), |u| u.id.clone();
    /// CloudTrail trails, keyed by `ACCOUNT/HOMEREGION/NAME`.
    Trails: TRAILS = "cloudtrail_trails", Trail(Box<crate::cloudtrail::model::Trail>), |t| t.key();
    /// Primary contacts, keyed by account id.
    ContactInformation: CONTACT_INFORMATION = "account_contacts", ContactInformation(Box<crate::account::model::AccountContact>), |c| c.account.clone();
    /// Alternate contacts, keyed by `ACCOUNT/TYPE`.
    AlternateContacts: ALTERNATE_CONTACTS = "account_alternate_contacts", AlternateContact(crate::account::model::AccountAlternateContact), |c| c.key();
    /// Account password policies, keyed by account id.
    PasswordPolicies: PASSWORD_POLICIES = "password_policies", PasswordPolicy(crate::model::PasswordPolicy), |p| p.account.clone();
    /// Instance profiles, keyed by `ACCOUNT/lower-case name`.
    InstanceProfiles: INSTANCE_PROFILES = "instance_profiles", InstanceProfile(crate::model::InstanceProfile), |p| crate::model::user_key(&p.account, &p.name);
    /// Service-last-accessed reports, keyed by job id.
    AccessReports: ACCESS_REPORTS = "access_reports", AccessReport(crate::model::AccessReport), |r| r.id.clone();
    /// Organization resource tags, keyed by resource id.
    OrgTags: ORG_TAGS = "org_tags", OrgTags(crate::org::model::OrgTags), |t| t.resource.clone();
    /// Service-linked role deletion tasks, keyed by task id.
    SlrDeletions: SLR_DELETIONS = "slr_deletions", SlrDeletion(crate::model::SlrDeletion), |d| d.id.clone();
    /// OpenID Connect identity providers, keyed by ARN.
    OidcProviders: OIDC_PROVIDERS = "oidc_providers", OidcProvider(crate::model::OidcProvider), |p| p.arn.clone();
}

/// Every table a store holds rows in: the record tables, the sessions of
/// older versions (emptied at start), the service's metadata and its trail
/// outbox.
pub fn all() -> Vec<&'static str> {
    let mut all = RECORD_TABLES.to_vec();
    all.extend([
        names::SESSIONS,
        crate::service::META,
        crate::service::OUTBOX,
    ]);
    all
}

/// The SQLite backend's tables: every row in `kv` by table and key, the
/// blobs (S3 object bytes) apart.
pub const SQLITE_TABLES: &str = "CREATE TABLE IF NOT EXISTS kv (
                 tbl   TEXT NOT NULL,
                 key   TEXT NOT NULL,
                 value BLOB NOT NULL,
                 PRIMARY KEY (tbl, key)
             ) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS blobs (
                 key   TEXT PRIMARY KEY NOT NULL,
                 value BLOB NOT NULL
             );";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_on_disk_never_change() {
        assert_eq!(
            all(),
            vec![
                "accounts",
                "users",
                "access_keys",
                "roles",
                "policies",
                "orgs",
                "org_units",
                "org_members",
                "org_policies",
                "org_attachments",
                "create_account_statuses",
                "handshakes",
                "groups",
                "login_profiles",
                "mfa_devices",
                "signing_certificates",
                "recovery_tokens",
                "credential_reports",
                "sqs_queues",
                "sqs_messages",
                "s3_buckets",
                "s3_objects",
                "s3_uploads",
                "cloudtrail_trails",
                "account_contacts",
                "account_alternate_contacts",
                "password_policies",
                "instance_profiles",
                "access_reports",
                "org_tags",
                "slr_deletions",
                "oidc_providers",
                "sessions",
                "meta",
                "trail_outbox",
            ]
        );
        let mut unique = all();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), all().len(), "table names are distinct");
    }

    #[test]
    fn a_record_is_stored_in_its_table_under_its_key() {
        let account = crate::model::Account {
            id: "111111111111".into(),
            name: "a".into(),
            email: "a@example.com".into(),
            created: time::OffsetDateTime::UNIX_EPOCH,
            root_password_last_used: None,
            alias: None,
            closed: None,
            closed_by: None,
            regions: Default::default(),
        };
        assert_eq!(Accounts::key(&account), "111111111111");
        let record = Accounts::record(account);
        assert_eq!(
            (record.table(), record.key()),
            ("accounts", "111111111111".to_owned())
        );
    }
}
