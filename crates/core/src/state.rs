//! The in-memory state: every record, indexed for the hot path, with the
//! policies compiled once. Changed only through [`State::apply`], after the
//! change is durable.

use std::collections::{BTreeMap, HashMap};

use rootward_policy::{Policy, PolicyKind};

use crate::error::CoreError;
use crate::model::{
    AccessKey, Account, Change, KeyOwner, ManagedPolicy, Record, User, table, user_key,
};
use crate::model::{CredentialReport, MfaDevice, RecoveryToken, SigningCertificate, mfa_key};
use crate::model::{Group, LoginProfile, Role, login_profile_key};
use crate::policy_cache::compile_stored;

/// Every record, plus compiled policies.
#[derive(Default)]
pub struct State {
    /// Accounts by id.
    pub accounts: BTreeMap<String, Account>,
    /// Users by `ACCOUNT/lower-case name`.
    pub users: BTreeMap<String, User>,
    /// Long-term keys by id.
    pub access_keys: HashMap<String, AccessKey>,
    /// User keys (`ACCOUNT/lower-case name`) by unique id (`AIDA…`).
    pub users_by_id: HashMap<String, String>,
    /// Role keys by unique id (`AROA…`).
    pub roles_by_id: HashMap<String, String>,
    /// Customer-managed policies by ARN. AWS managed ones are in
    /// [`crate::iam::catalogue`]; [`State::managed_policy`] finds either.
    pub policies: BTreeMap<String, ManagedPolicy>,
    /// Compiled default versions of customer-managed policies, by ARN.
    pub compiled_managed: HashMap<String, Policy>,
    /// Compiled inline user policies, by `user key` then policy name.
    pub compiled_inline: HashMap<String, Vec<Policy>>,
    /// Roles by `ACCOUNT/lower-case name`.
    pub roles: BTreeMap<String, Role>,
    /// Compiled inline role policies and trust policy, by role key.
    pub compiled_roles: HashMap<String, (Vec<Policy>, Policy)>,
    /// AWS Organizations.
    pub org: crate::org::state::OrgState,
    /// Groups by `ACCOUNT/lower-case name`.
    pub groups: BTreeMap<String, Group>,
    /// Compiled inline group policies, by group key.
    pub compiled_groups: HashMap<String, Vec<Policy>>,
    /// Login profiles by [`login_profile_key`].
    pub login_profiles: BTreeMap<String, LoginProfile>,
    /// MFA devices by [`mfa_key`].
    pub mfa_devices: BTreeMap<String, MfaDevice>,
    /// Signing certificates by id.
    pub signing_certificates: BTreeMap<String, SigningCertificate>,
    /// Root password recovery tokens by hash.
    pub recovery_tokens: HashMap<String, RecoveryToken>,
    /// Credential reports by account.
    pub credential_reports: HashMap<String, CredentialReport>,
    /// Amazon SQS queues and messages.
    pub sqs: crate::sqs::state::SqsState,
    /// Amazon S3: buckets, compiled bucket policies, object metadata.
    pub s3: crate::s3::state::S3State,
    /// CloudTrail trails by `ACCOUNT/HOMEREGION/NAME`.
    pub trails: BTreeMap<String, crate::cloudtrail::model::Trail>,
    /// Account Management: contacts.
    pub account: crate::account::AccountState,
    /// Account password policies by account.
    pub password_policies: HashMap<String, crate::model::PasswordPolicy>,
    /// Instance profiles by `ACCOUNT/lower-case name`.
    pub instance_profiles: BTreeMap<String, crate::model::InstanceProfile>,
    /// Service-last-accessed reports by job id.
    pub access_reports: HashMap<String, crate::model::AccessReport>,
    /// Service-linked role deletion tasks by task id.
    pub slr_deletions: HashMap<String, crate::model::SlrDeletion>,
    /// OpenID Connect identity providers by ARN.
    pub oidc_providers: BTreeMap<String, crate::model::OidcProvider>,
}

impl State {
    /// Builds the state from stored records.
    pub fn load(records: Vec<Record>) -> State {
        crate::policy_cache::with_shared_documents(|| {
            let mut s = State::default();
            for rec in records {
                s.apply(Change::Put(rec));
            }
            s
        })
    }

    /// Applies one change (already durable).
    pub fn apply(&mut self, change: Change) {
        match change {
            Change::Put(Record::Account(a)) => {
                self.accounts.insert(a.id.clone(), a);
            }
            Change::Put(Record::User(u)) => {
                let key = user_key(&u.account, &u.name);
                let compiled = u
                    .inline_policies
                    .iter()
                    .map(|(name, doc)| {
                        compile_stored(&format!("{}#{name}", u.arn()), doc, PolicyKind::Identity)
                    })
                    .collect();
                self.compiled_inline.insert(key.clone(), compiled);
                if let Some(old) = self.users.get(&key) {
                    self.users_by_id.remove(&old.id);
                }
                self.users_by_id.insert(u.id.clone(), key.clone());
                self.users.insert(key, u);
            }
            Change::Put(Record::Role(r)) => {
                let key = user_key(&r.account, &r.name);
                let inline = r
                    .inline_policies
                    .iter()
                    .map(|(name, doc)| {
                        compile_stored(&format!("{}#{name}", r.arn()), doc, PolicyKind::Identity)
                    })
                    .collect();
                let trust = compile_stored(
                    &format!("{}#trust", r.arn()),
                    &r.trust_policy,
                    PolicyKind::Trust,
                );
                self.compiled_roles.insert(key.clone(), (inline, trust));
                if let Some(old) = self.roles.get(&key) {
                    self.roles_by_id.remove(&old.id);
                }
                self.roles_by_id.insert(r.id.clone(), key.clone());
                self.roles.insert(key, r);
            }
            Change::Put(Record::AccessKey(k)) => {
                self.access_keys.insert(k.id.clone(), k);
            }
            Change::Put(Record::Policy(p)) => {
                // The default version decides, from the moment it is set; one
                // that does not compile denies everything it governs.
                self.compiled_managed.insert(
                    p.arn.clone(),
                    compile_stored(&p.arn, p.document(), PolicyKind::Identity),
                );
                self.policies.insert(p.arn.clone(), p);
            }
            Change::Put(
                r @ (Record::Organization(_)
                | Record::OrgUnit(_)
                | Record::OrgMember(_)
                | Record::OrgPolicy(_)
                | Record::OrgAttachment(_)
                | Record::CreateAccountStatus(_)
                | Record::Handshake(_)
                | Record::OrgTags(_)),
            ) => self.org.put(r),
            Change::Put(Record::Group(g)) => {
                let key = user_key(&g.account, &g.name);
                let compiled = g
                    .inline_policies
                    .iter()
                    .map(|(name, doc)| {
                        compile_stored(&format!("{}#{name}", g.arn()), doc, PolicyKind::Identity)
                    })
                    .collect();
                self.compiled_groups.insert(key.clone(), compiled);
                self.groups.insert(key, g);
            }
            Change::Put(r @ (Record::SqsQueue(_) | Record::SqsMessage(_))) => self.sqs.put(r),
            Change::Put(r @ (Record::Bucket(_) | Record::S3Object(_) | Record::S3Upload(_))) => {
                self.s3.put(r)
            }
            Change::Put(Record::Trail(t)) => {
                self.trails.insert(t.key(), *t);
            }
            Change::Put(r @ (Record::ContactInformation(_) | Record::AlternateContact(_))) => {
                self.account.put(r)
            }
            Change::PutBlob { .. } | Change::DeleteBlob { .. } => {}
            Change::Put(Record::LoginProfile(l)) => {
                self.login_profiles
                    .insert(login_profile_key(&l.account, &l.owner), l);
            }
            Change::Put(Record::MfaDevice(d)) => {
                self.mfa_devices.insert(mfa_key(&d.account, &d.serial), d);
            }
            Change::Put(Record::SigningCertificate(c)) => {
                self.signing_certificates.insert(c.id.clone(), c);
            }
            Change::Put(Record::RecoveryToken(t)) => {
                self.recovery_tokens.insert(t.token_hash.clone(), t);
            }
            Change::Put(Record::CredentialReport(r)) => {
                self.credential_reports.insert(r.account.clone(), r);
            }
            Change::Put(Record::PasswordPolicy(p)) => {
                self.password_policies.insert(p.account.clone(), p);
            }
            Change::Put(Record::AccessReport(r)) => {
                self.access_reports.insert(r.id.clone(), r);
            }
            Change::Put(Record::SlrDeletion(d)) => {
                self.slr_deletions.insert(d.id.clone(), d);
            }
            Change::Put(Record::OidcProvider(p)) => {
                self.oidc_providers.insert(p.arn.clone(), p);
            }
            Change::Put(Record::InstanceProfile(p)) => {
                self.instance_profiles
                    .insert(user_key(&p.account, &p.name), p);
            }
            Change::Delete(t, key) => match t {
                table::ACCOUNTS => {
                    self.accounts.remove(&key);
                }
                table::USERS => {
                    if let Some(u) = self.users.remove(&key) {
                        self.users_by_id.remove(&u.id);
                    }
                    self.compiled_inline.remove(&key);
                }
                table::ROLES => {
                    if let Some(r) = self.roles.remove(&key) {
                        self.roles_by_id.remove(&r.id);
                    }
                    self.compiled_roles.remove(&key);
                }
                table::ACCESS_KEYS => {
                    self.access_keys.remove(&key);
                }
                table::POLICIES => {
                    self.policies.remove(&key);
                    self.compiled_managed.remove(&key);
                }
                table::GROUPS => {
                    self.groups.remove(&key);
                    self.compiled_groups.remove(&key);
                }
                table::LOGIN_PROFILES => {
                    self.login_profiles.remove(&key);
                }
                table::MFA_DEVICES => {
                    self.mfa_devices.remove(&key);
                }
                table::SIGNING_CERTIFICATES => {
                    self.signing_certificates.remove(&key);
                }
                table::RECOVERY_TOKENS => {
                    self.recovery_tokens.remove(&key);
                }
                table::CREDENTIAL_REPORTS => {
                    self.credential_reports.remove(&key);
                }
                table::PASSWORD_POLICIES => {
                    self.password_policies.remove(&key);
                }
                table::INSTANCE_PROFILES => {
                    self.instance_profiles.remove(&key);
                }
                table::ACCESS_REPORTS => {
                    self.access_reports.remove(&key);
                }
                table::SLR_DELETIONS => {
                    self.slr_deletions.remove(&key);
                }
                table::OIDC_PROVIDERS => {
                    self.oidc_providers.remove(&key);
                }
                table::SQS_QUEUES | table::SQS_MESSAGES => self.sqs.delete(t, &key),
                table::S3_BUCKETS | table::S3_OBJECTS | table::S3_UPLOADS => {
                    self.s3.delete(t, &key)
                }
                table::TRAILS => {
                    self.trails.remove(&key);
                }
                table::CONTACT_INFORMATION | table::ALTERNATE_CONTACTS => {
                    self.account.delete(t, &key)
                }
                _ => self.org.delete(t, &key),
            },
        }
    }

    /// A managed policy by ARN: the account's own or an AWS managed one.
    pub fn managed_policy(&self, arn: &str) -> Option<std::borrow::Cow<'_, ManagedPolicy>> {
        match self.policies.get(arn) {
            Some(p) => Some(std::borrow::Cow::Borrowed(p)),
            None => {
                crate::iam::catalogue::get(arn).map(|e| std::borrow::Cow::Owned(e.to_managed()))
            }
        }
    }

    /// Whether a managed policy (customer or AWS) with this ARN exists.
    pub fn managed_policy_exists(&self, arn: &str) -> bool {
        self.policies.contains_key(arn) || crate::iam::catalogue::get(arn).is_some()
    }

    /// The name and path of a managed policy (customer or AWS).
    pub fn managed_policy_name(&self, arn: &str) -> Option<(&str, &str)> {
        match self.policies.get(arn) {
            Some(p) => Some((p.name.as_str(), p.path.as_str())),
            None => crate::iam::catalogue::get(arn).map(|e| (e.name, e.path)),
        }
    }

    /// The compiled default version of a managed policy (customer or AWS;
    /// AWS ones are compiled on first use).
    pub fn compiled_managed_policy(&self, arn: &str) -> Option<Policy> {
        match self.compiled_managed.get(arn) {
            Some(p) => Some(p.clone()),
            None => crate::iam::catalogue::get(arn).map(|e| e.compiled()),
        }
    }

    /// The record of `account`, which every account this endpoint knows
    /// has (bootstrap, sign-up, CreateAccount and invitations make one);
    /// missing, an internal error (fail closed).
    pub fn account_record(&self, account: &str) -> Result<&crate::model::Account, CoreError> {
        self.accounts
            .get(account)
            .ok_or_else(|| CoreError::Internal(format!("account {account} has no record")))
    }

    /// A user by account and name (names compare case-insensitively).
    pub fn user(&self, account: &str, name: &str) -> Option<&User> {
        self.users.get(&user_key(account, name))
    }

    /// A role by account and name.
    pub fn role(&self, account: &str, name: &str) -> Option<&Role> {
        self.roles.get(&user_key(account, name))
    }

    /// A role by unique id (`AROA…`).
    pub fn role_by_id(&self, id: &str) -> Option<&Role> {
        self.roles_by_id.get(id).and_then(|k| self.roles.get(k))
    }

    /// A user by unique id (`AIDA…`).
    pub fn user_by_id(&self, id: &str) -> Option<&User> {
        self.users_by_id.get(id).and_then(|k| self.users.get(k))
    }

    /// The users of an account, in name order.
    pub fn users_of<'a>(&'a self, account: &'a str) -> impl Iterator<Item = &'a User> + 'a {
        let prefix = format!("{account}/");
        self.users
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .map(|(_, u)| u)
    }

    /// A group by account and name.
    pub fn group(&self, account: &str, name: &str) -> Option<&Group> {
        self.groups.get(&user_key(account, name))
    }

    /// The groups of an account, in name order.
    pub fn groups_of<'a>(&'a self, account: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        let prefix = format!("{account}/");
        self.groups
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .map(|(_, g)| g)
    }

    /// The MFA devices of an account, by serial.
    pub fn mfa_devices_of<'a>(
        &'a self,
        account: &'a str,
    ) -> impl Iterator<Item = &'a MfaDevice> + 'a {
        self.mfa_devices
            .values()
            .filter(move |d| d.account == account)
    }

    /// The MFA devices assigned to a principal, oldest enablement first.
    pub fn mfa_devices_for(&self, account: &str, owner: &KeyOwner) -> Vec<&MfaDevice> {
        let mut v: Vec<&MfaDevice> = self
            .mfa_devices
            .values()
            .filter(|d| d.account == account)
            .filter(|d| d.owner.as_ref() == Some(owner))
            .collect();
        v.sort_by(|a, b| a.enabled.cmp(&b.enabled).then(a.serial.cmp(&b.serial)));
        v
    }

    /// The signing certificates of a principal, oldest first.
    pub fn certificates_for(&self, account: &str, owner: &KeyOwner) -> Vec<&SigningCertificate> {
        let mut v: Vec<&SigningCertificate> = self
            .signing_certificates
            .values()
            .filter(|c| c.account == account && &c.owner == owner)
            .collect();
        v.sort_by(|a, b| a.uploaded.cmp(&b.uploaded).then(a.id.cmp(&b.id)));
        v
    }

    /// The groups a user belongs to (names compare case-insensitively).
    pub fn groups_for_user<'a>(
        &'a self,
        account: &'a str,
        user: &'a str,
    ) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups_of(account)
            .filter(move |g| g.members.iter().any(|m| m.eq_ignore_ascii_case(user)))
    }
}
