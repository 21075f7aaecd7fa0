//! The in-memory view of every organization, with SCPs compiled once.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

use rootward_policy::{Policy, PolicyKind};

use super::model::{
    Attachment, CreateAccountStatus, FULL_AWS_ACCESS_ID, Handshake, Membership, OrgPolicy, OrgUnit,
    Organization, SCP,
};
use crate::model::{Record, table};

static FULL_AWS_ACCESS: LazyLock<Policy> = LazyLock::new(|| {
    crate::policy_cache::compile_stored(
        FULL_AWS_ACCESS_ID,
        rootward_policy::managed::FULL_AWS_ACCESS,
        PolicyKind::Scp,
    )
});

/// Organizations, their trees, policies and requests.
#[derive(Default)]
pub struct OrgState {
    /// Organizations by id.
    pub orgs: BTreeMap<String, Organization>,
    /// OUs by id.
    pub units: BTreeMap<String, OrgUnit>,
    /// Memberships by account id.
    pub members: BTreeMap<String, Membership>,
    /// Customer policies by id.
    pub policies: BTreeMap<String, OrgPolicy>,
    /// Compiled customer policies by id.
    pub compiled: HashMap<String, Policy>,
    /// Attachments by `ORG/TARGET/POLICY`.
    pub attachments: BTreeMap<String, Attachment>,
    /// `CreateAccount` statuses by id.
    pub statuses: BTreeMap<String, CreateAccountStatus>,
    /// Handshakes by id.
    pub handshakes: BTreeMap<String, Handshake>,
    /// Tags of roots, OUs, accounts and policies, by resource id.
    pub tags: BTreeMap<String, super::model::OrgTags>,
    /// [`OrgState::scp_levels`] by account, computed on first use. Emptied
    /// by [`OrgState::put`] and [`OrgState::delete`] on every change of any
    /// organization record: they are the only ways this state changes
    /// (computing the levels per call was 2.5% of a member's read).
    scp_cache: parking_lot::Mutex<HashMap<String, ScpLevels>>,
}

/// The SCPs along an account's path, one list per level (root first).
pub type ScpLevels = Option<Arc<Vec<Vec<Policy>>>>;

/// Beyond this many accounts the cache of SCP levels starts again.
const SCP_CACHE_MAX: usize = 16_384;

impl OrgState {
    /// Applies a stored organization record.
    pub fn put(&mut self, r: Record) {
        self.scp_cache.get_mut().clear();
        match r {
            Record::Organization(o) => {
                self.orgs.insert(o.id.clone(), o);
            }
            Record::OrgUnit(u) => {
                self.units.insert(u.id.clone(), u);
            }
            Record::OrgMember(m) => {
                self.members.insert(m.account.clone(), m);
            }
            Record::OrgPolicy(p) => {
                self.compiled.insert(
                    p.id.clone(),
                    crate::policy_cache::compile_stored(&p.id, &p.content, PolicyKind::Scp),
                );
                self.policies.insert(p.id.clone(), p);
            }
            Record::OrgAttachment(a) => {
                self.attachments.insert(a.key(), a);
            }
            Record::CreateAccountStatus(c) => {
                self.statuses.insert(c.id.clone(), c);
            }
            Record::Handshake(h) => {
                self.handshakes.insert(h.id.clone(), h);
            }
            Record::OrgTags(t) => {
                self.tags.insert(t.resource.clone(), t);
            }
            _ => {}
        }
    }

    /// Removes a stored organization record.
    pub fn delete(&mut self, table: &str, key: &str) {
        self.scp_cache.get_mut().clear();
        match table {
            table::ORGS => {
                self.orgs.remove(key);
            }
            table::ORG_UNITS => {
                self.units.remove(key);
            }
            table::ORG_MEMBERS => {
                self.members.remove(key);
            }
            table::ORG_POLICIES => {
                self.policies.remove(key);
                self.compiled.remove(key);
            }
            table::ORG_ATTACHMENTS => {
                self.attachments.remove(key);
            }
            table::CREATE_ACCOUNT_STATUSES => {
                self.statuses.remove(key);
            }
            table::HANDSHAKES => {
                self.handshakes.remove(key);
            }
            table::ORG_TAGS => {
                self.tags.remove(key);
            }
            _ => {}
        }
    }

    /// The organization an account belongs to.
    pub fn org_of(&self, account: &str) -> Option<&Organization> {
        self.members
            .get(account)
            .and_then(|m| self.orgs.get(&m.org))
    }

    /// The organization an account manages.
    pub fn managed_by(&self, account: &str) -> Option<&Organization> {
        self.org_of(account)
            .filter(|o| o.management_account == account)
    }

    /// Policy ids attached to a target, in id order.
    pub fn attached_to<'a>(
        &'a self,
        org: &str,
        target: &str,
    ) -> impl Iterator<Item = &'a Attachment> + 'a {
        let prefix = format!("{org}/{target}/");
        self.attachments
            .range::<str, _>((
                std::ops::Bound::Included(prefix.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .map(|(_, a)| a)
    }

    /// The parent of a child (account or OU).
    pub fn parent_of(&self, child: &str) -> Option<&str> {
        if let Some(m) = self.members.get(child) {
            return Some(&m.parent);
        }
        self.units.get(child).map(|u| u.parent.as_str())
    }

    /// The targets from the root down to `child` (root first, `child` last).
    pub fn path_of<'a>(&'a self, child: &'a str) -> Vec<&'a str> {
        let mut path = vec![child];
        let mut cur = child;
        // An OU tree is at most 5 deep; the bound guards against a corrupt loop.
        for _ in 0..16 {
            match self.parent_of(cur) {
                Some(p) => {
                    path.push(p);
                    if p.starts_with("r-") {
                        break;
                    }
                    cur = p;
                }
                None => break,
            }
        }
        path.reverse();
        path
    }

    /// A compiled SCP by id (`p-FullAWSAccess` included).
    pub fn compiled_scp(&self, id: &str) -> Option<&Policy> {
        if id == FULL_AWS_ACCESS_ID {
            return Some(&FULL_AWS_ACCESS);
        }
        self.compiled.get(id)
    }

    /// The SCPs that bound a principal of `account`, one list per level of its
    /// path (root, OUs, account); `None` when SCPs do not apply: the account is
    /// in no organization, is its management account, or SCPs are disabled.
    /// An attachment whose policy cannot be found counts as a policy that
    /// denies everything (fail closed), and is logged (when the levels are
    /// computed: once after each change of the organizations).
    pub fn scp_levels(&self, account: &str) -> ScpLevels {
        if let Some(levels) = self.scp_cache.lock().get(account) {
            return levels.clone();
        }
        let levels = self.compute_scp_levels(account).map(Arc::new);
        let mut cache = self.scp_cache.lock();
        if cache.len() >= SCP_CACHE_MAX {
            cache.clear();
        }
        cache.insert(account.to_owned(), levels.clone());
        levels
    }

    fn compute_scp_levels(&self, account: &str) -> Option<Vec<Vec<Policy>>> {
        let org = self.org_of(account)?;
        if org.management_account == account || !org.scps_enabled() {
            return None;
        }
        Some(
            self.path_of(account)
                .iter()
                .map(|target| {
                    self.attached_to(&org.id, target)
                        .filter_map(|a| match self.policy_type(&a.policy) {
                            Some(SCP) => Some(self.compiled_scp(&a.policy).cloned().unwrap_or_else(
                                || crate::policy_cache::deny_all(PolicyKind::Scp),
                            )),
                            Some(_) => None,
                            None => {
                                tracing::error!(policy = %a.policy, target = %target, "an attached organization policy cannot be found: requests under it are denied");
                                Some(crate::policy_cache::deny_all(PolicyKind::Scp))
                            }
                        })
                        .collect()
                })
                .collect(),
        )
    }

    /// The type of a policy (`p-FullAWSAccess` is an SCP).
    pub fn policy_type(&self, id: &str) -> Option<&str> {
        if id == FULL_AWS_ACCESS_ID {
            return Some(SCP);
        }
        self.policies.get(id).map(|p| p.policy_type.as_str())
    }

    /// Whether an IAM feature (`RootCredentialsManagement`, `RootSessions`) is
    /// in force for `account`'s organization: the feature is enabled and IAM
    /// trusted access is on.
    pub fn iam_feature_in_force(&self, account: &str, feature: &str) -> bool {
        self.org_of(account).is_some_and(|o| {
            o.trusted_services.contains_key(super::model::IAM_PRINCIPAL)
                && o.iam_features.iter().any(|f| f == feature)
        })
    }

    /// Whether an account is a delegated administrator of its organization
    /// for any service.
    pub fn is_delegated_admin(&self, account: &str) -> bool {
        self.org_of(account)
            .and_then(|o| o.delegated_admins.get(account))
            .is_some_and(|s| !s.is_empty())
    }
}
