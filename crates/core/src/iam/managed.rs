//! Managed policies as entities: CreatePolicy, GetPolicy, DeletePolicy,
//! ListPolicies, their versions, and ListEntitiesForPolicy. Customer-managed
//! policies are stored; AWS-managed ones are built in and read-only.
//!
//! Why this file is longer than our ~600-line guide: it is one concern, a
//! managed policy's life (the policy, its versions, who uses it); every
//! operation goes through the same lookup (`policy_for`), the same
//! customer-only guard and the same usage counts, which a split would have
//! to open to sibling modules.

use std::collections::{BTreeMap, HashMap};

use crate::authz::Caller;
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, ManagedPolicy, PolicyVersion, Record, table};
use crate::service::Service;
use crate::state::State;

use super::builtin::is_task_policy;
use super::catalogue;
use super::{check_name, check_path};

/// At most this many versions per policy (`VersionsPerPolicyQuota`).
pub const MAX_VERSIONS: usize = 5;
/// Customer-managed policies per account (`PoliciesQuota`).
pub const POLICIES_QUOTA: usize = 1500;

/// A managed policy's description (without its documents) and its use in
/// the caller's account.
#[derive(Debug, Clone)]
pub struct PolicyInfo {
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Path.
    pub path: String,
    /// `ANPA…`.
    pub id: String,
    /// Description.
    pub description: Option<String>,
    /// The default version id.
    pub default_version: String,
    /// Creation time.
    pub created: time::OffsetDateTime,
    /// Last update.
    pub updated: time::OffsetDateTime,
    /// Users, groups and roles it is attached to.
    pub attachment_count: usize,
    /// Users and roles it is the permissions boundary of.
    pub boundary_count: usize,
    /// `IsAttachable`: true for every managed policy, the root-task ones
    /// included, as GetPolicy reports them live (spec 05 §5.1), although
    /// attaching one is refused ([`check_attachable`]).
    pub attachable: bool,
    /// Tags (customer-managed policies only).
    pub tags: Vec<crate::model::Tag>,
}

/// One version of a policy, as the version operations report it.
#[derive(Debug, Clone)]
pub struct VersionInfo {
    /// `v1`, `v2`, …
    pub id: String,
    /// The document and its creation time.
    pub version: PolicyVersion,
    /// Whether it is the default version.
    pub is_default: bool,
}

/// The account owning a policy ARN (`aws` for AWS-managed policies).
pub fn policy_owner(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (arn_, _, iam, _, account, rest) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (arn_ == "arn" && iam == "iam" && rest.starts_with("policy/")).then_some(account)
}

fn invalid_arn(arn: &str) -> CoreError {
    CoreError::InvalidInput(format!("ARN {arn} is not valid."))
}

fn no_such_policy(arn: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("Policy {arn} does not exist or is not attachable."))
}

/// Whether `caller_account` may see and attach the policy: its own customer
/// policies and AWS-managed ones.
pub fn visible(state: &State, account: &str, arn: &str) -> bool {
    matches!(policy_owner(arn), Some(o) if o == "aws" || o == account)
        && state.managed_policy_exists(arn)
}

/// `NoSuchEntity` unless the policy exists and the account may attach it;
/// `PolicyNotAttachable` for root-task policies (spec 05 §5.1).
pub fn check_attachable(state: &State, account: &str, arn: &str) -> Result<(), CoreError> {
    if !visible(state, account, arn) {
        return Err(no_such_policy(arn));
    }
    if is_task_policy(arn) {
        return Err(CoreError::PolicyNotAttachable(format!(
            "Policy {arn} is not attachable."
        )));
    }
    Ok(())
}

/// `NoSuchEntity` unless the policy may be a permissions boundary here
/// (root-task policies may not: `PolicyNotAttachable`).
pub fn check_boundary(state: &State, account: &str, arn: &str) -> Result<(), CoreError> {
    check_attachable(state, account, arn)
}

/// Attachments and boundary uses of every policy used within `account`.
fn usage_map(state: &State, account: &str) -> HashMap<String, (usize, usize)> {
    let mut out: HashMap<String, (usize, usize)> = HashMap::new();
    let prefix = format!("{account}/");
    let roles = state
        .roles
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, r)| (&r.attached_policies, r.permissions_boundary.as_ref()));
    let users = state
        .users_of(account)
        .map(|u| (&u.attached_policies, u.permissions_boundary.as_ref()));
    let groups = state
        .groups_of(account)
        .map(|g| (&g.attached_policies, None));
    for (attached, boundary) in users.chain(roles).chain(groups) {
        for a in attached {
            out.entry(a.clone()).or_default().0 += 1;
        }
        if let Some(b) = boundary {
            out.entry(b.clone()).or_default().1 += 1;
        }
    }
    out
}

/// Attachments and boundary uses of `arn` within `account`.
fn usage(state: &State, account: &str, arn: &str) -> (usize, usize) {
    let prefix = format!("{account}/");
    let in_account = |k: &String| k.starts_with(&prefix);
    let has = |v: &[String]| v.iter().any(|a| a == arn);
    let users = state.users.iter().filter(|(k, _)| in_account(k));
    let roles = state.roles.iter().filter(|(k, _)| in_account(k));
    let attached = users
        .clone()
        .filter(|(_, u)| has(&u.attached_policies))
        .count()
        + roles
            .clone()
            .filter(|(_, r)| has(&r.attached_policies))
            .count()
        + state
            .groups_of(account)
            .filter(|g| has(&g.attached_policies))
            .count();
    let boundaries = users
        .filter(|(_, u)| u.permissions_boundary.as_deref() == Some(arn))
        .count()
        + roles
            .filter(|(_, r)| r.permissions_boundary.as_deref() == Some(arn))
            .count();
    (attached, boundaries)
}

fn info(state: &State, account: &str, p: &ManagedPolicy) -> PolicyInfo {
    info_with(p, usage(state, account, &p.arn))
}

fn info_with(p: &ManagedPolicy, (attachment_count, boundary_count): (usize, usize)) -> PolicyInfo {
    PolicyInfo {
        arn: p.arn.clone(),
        name: p.name.clone(),
        path: p.path.clone(),
        id: p.id.clone(),
        description: p.description.clone(),
        default_version: p.default_version.clone(),
        created: p.created,
        updated: p.updated,
        attachment_count,
        boundary_count,
        attachable: true,
        tags: p.tags.clone(),
    }
}

fn info_aws(e: &catalogue::Entry, counts: (usize, usize)) -> PolicyInfo {
    PolicyInfo {
        arn: e.arn.to_owned(),
        name: e.name.to_owned(),
        path: e.path.to_owned(),
        id: e.id.to_owned(),
        description: e.description.map(str::to_owned),
        default_version: e.version.to_owned(),
        created: e.created(),
        updated: e.updated(),
        attachment_count: counts.0,
        boundary_count: counts.1,
        attachable: true,
        tags: Vec::new(),
    }
}

/// The number in a version id (`v12` → 12).
pub fn version_number(id: &str) -> u32 {
    id.strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Authorizes `action` on the policy, then returns it (visible to the caller).
fn policy_for(
    svc: &Service,
    caller: &Caller,
    action: &str,
    arn: &str,
) -> Result<ManagedPolicy, CoreError> {
    if policy_owner(arn).is_none() {
        return Err(invalid_arn(arn));
    }
    svc.authorize(caller, action, arn, None, &[])?;
    let state = svc.read();
    if !visible(&state, &caller.account, arn) {
        return Err(no_such_policy(arn));
    }
    state
        .managed_policy(arn)
        .map(std::borrow::Cow::into_owned)
        .ok_or_else(|| no_such_policy(arn))
}

/// Refuses changes to AWS-managed policies.
fn customer_only(p: &ManagedPolicy) -> Result<(), CoreError> {
    if policy_owner(&p.arn) == Some("aws") {
        Err(CoreError::InvalidInput(format!(
            "Policy {} is an AWS managed policy and cannot be modified.",
            p.arn
        )))
    } else {
        Ok(())
    }
}

/// `iam:CreatePolicy`.
pub fn create_policy(
    svc: &Service,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
    document: &str,
    description: Option<&str>,
) -> Result<PolicyInfo, CoreError> {
    create_policy_tagged(svc, caller, name, path, document, description, &[])
}

/// `iam:CreatePolicy` with `Tags` (which also need `iam:TagPolicy`).
pub fn create_policy_tagged(
    svc: &Service,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
    document: &str,
    description: Option<&str>,
    tags: &[crate::model::Tag],
) -> Result<PolicyInfo, CoreError> {
    check_name("policyName", name, 128)?;
    let path = path.unwrap_or("/");
    check_path(path)?;
    // `Description` (at most 1,000 characters) is the model's, checked on
    // decode.
    let arn = crate::ident::Arn::policy(&caller.account, path, name).to_string();
    super::tags::check_tags(tags)?;
    let tag_keys = super::tags::create_keys(tags);
    let extra: Vec<(&str, &str)> = tag_keys
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    svc.authorize(caller, "iam:CreatePolicy", &arn, None, &extra)?;
    super::tags::authorize_create_tags(svc, caller, super::tags::Taggable::Policy, &arn, tags)?;
    super::policies::check_managed_document(document)?;
    let now = svc.now();
    svc.mutate(|state| {
        let mine: Vec<&ManagedPolicy> = state
            .policies
            .values()
            .filter(|p| policy_owner(&p.arn) == Some(caller.account.as_str()))
            .collect();
        if mine.iter().any(|p| p.name.eq_ignore_ascii_case(name)) {
            return Err(CoreError::EntityAlreadyExists(format!(
                "A policy called {name} already exists. Duplicate names are not allowed."
            )));
        }
        if mine.len() >= POLICIES_QUOTA {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for PoliciesPerAccount: {POLICIES_QUOTA}"
            )));
        }
        let mut versions = BTreeMap::new();
        versions.insert(
            "v1".to_owned(),
            PolicyVersion {
                document: document.to_owned(),
                created: now,
            },
        );
        let p = ManagedPolicy {
            arn: arn.clone(),
            name: name.to_owned(),
            path: path.to_owned(),
            id: ids::unique_id("ANPA"),
            description: description.map(str::to_owned),
            versions,
            default_version: "v1".to_owned(),
            created: now,
            updated: now,
            last_version: 1,
            tags: tags.to_vec(),
        };
        let out = info(state, &caller.account, &p);
        Ok((out, vec![Change::Put(Record::Policy(p))]))
    })
}

/// `iam:GetPolicy`.
pub fn get_policy(svc: &Service, caller: &Caller, arn: &str) -> Result<PolicyInfo, CoreError> {
    let p = policy_for(svc, caller, "iam:GetPolicy", arn)?;
    Ok(info(&svc.read(), &caller.account, &p))
}

/// `iam:DeletePolicy`: refused while attached, used as a boundary, or while
/// non-default versions remain.
pub fn delete_policy(svc: &Service, caller: &Caller, arn: &str) -> Result<(), CoreError> {
    let p = policy_for(svc, caller, "iam:DeletePolicy", arn)?;
    customer_only(&p)?;
    svc.mutate(|state| {
        let p = state.policies.get(arn).ok_or_else(|| no_such_policy(arn))?;
        let (attached, boundaries) = usage(state, &caller.account, arn);
        if attached + boundaries > 0 {
            return Err(CoreError::DeleteConflict(
                "Cannot delete a policy attached to entities.".into(),
            ));
        }
        if p.versions.len() > 1 {
            return Err(CoreError::DeleteConflict(
                "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.".into(),
            ));
        }
        Ok(((), vec![Change::Delete(table::POLICIES, arn.to_owned())]))
    })
}

/// `Scope` of `ListPolicies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// AWS-managed and the account's own.
    #[default]
    All,
    /// AWS-managed only.
    Aws,
    /// The account's own only.
    Local,
}

/// `PolicyUsageFilter` of `ListPolicies` / `ListEntitiesForPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// Used as a permissions policy (attached).
    PermissionsPolicy,
    /// Used as a permissions boundary.
    PermissionsBoundary,
}

/// Filters of `ListPolicies`.
#[derive(Debug, Clone, Default)]
pub struct ListPolicies<'a> {
    /// Whose policies.
    pub scope: Scope,
    /// Only policies attached to at least one entity.
    pub only_attached: bool,
    /// Path prefix (`/` by default).
    pub path_prefix: Option<&'a str>,
    /// Only policies used this way.
    pub usage: Option<Usage>,
}

/// `iam:ListPolicies`, in ARN order.
pub fn list_policies(
    svc: &Service,
    caller: &Caller,
    filter: &ListPolicies<'_>,
) -> Result<Vec<PolicyInfo>, CoreError> {
    svc.authorize(caller, "iam:ListPolicies", "*", None, &[])?;
    let state = svc.read();
    let prefix = filter.path_prefix.unwrap_or("/");
    let counts = usage_map(&state, &caller.account);
    let count = |arn: &str| counts.get(arn).copied().unwrap_or_default();
    let aws = catalogue::all()
        .iter()
        .filter(|_| matches!(filter.scope, Scope::All | Scope::Aws))
        .filter(|e| e.path.starts_with(prefix))
        .map(|e| info_aws(e, count(e.arn)));
    let local = state
        .policies
        .values()
        .filter(|_| matches!(filter.scope, Scope::All | Scope::Local))
        .filter(|p| policy_owner(&p.arn) == Some(caller.account.as_str()))
        .filter(|p| p.path.starts_with(prefix))
        .map(|p| info_with(p, count(&p.arn)));
    let mut out: Vec<PolicyInfo> = aws
        .chain(local)
        .filter(|i| {
            (!filter.only_attached || i.attachment_count > 0)
                && match filter.usage {
                    None => true,
                    Some(Usage::PermissionsPolicy) => i.attachment_count > 0,
                    Some(Usage::PermissionsBoundary) => i.boundary_count > 0,
                }
        })
        .collect();
    // In ARN order, as before: `arn:aws:iam::123…` sorts before `…::aws:`.
    out.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(out)
}

/// `iam:CreatePolicyVersion`: at most [`MAX_VERSIONS`] versions.
pub fn create_policy_version(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    document: &str,
    set_as_default: bool,
) -> Result<VersionInfo, CoreError> {
    let p = policy_for(svc, caller, "iam:CreatePolicyVersion", arn)?;
    customer_only(&p)?;
    super::policies::check_managed_document(document)?;
    let now = svc.now();
    svc.mutate(|state| {
        let mut p = state
            .policies
            .get(arn)
            .cloned()
            .ok_or_else(|| no_such_policy(arn))?;
        if p.versions.len() >= MAX_VERSIONS {
            return Err(CoreError::LimitExceeded(format!(
                "A managed policy can have up to {MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version."
            )));
        }
        let last = p
            .versions
            .keys()
            .map(|v| version_number(v))
            .max()
            .unwrap_or(0)
            .max(p.last_version);
        let id = format!("v{}", last + 1);
        let version = PolicyVersion {
            document: document.to_owned(),
            created: now,
        };
        p.versions.insert(id.clone(), version.clone());
        p.last_version = last + 1;
        p.updated = now;
        if set_as_default {
            p.default_version = id.clone();
        }
        Ok((
            VersionInfo {
                id,
                version,
                is_default: set_as_default,
            },
            vec![Change::Put(Record::Policy(p))],
        ))
    })
}

fn no_such_version(arn: &str, id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "Policy {arn} version {id} does not exist or is not attachable."
    ))
}

/// `iam:GetPolicyVersion`.
pub fn get_policy_version(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    id: &str,
) -> Result<VersionInfo, CoreError> {
    let p = policy_for(svc, caller, "iam:GetPolicyVersion", arn)?;
    let version = p
        .versions
        .get(id)
        .cloned()
        .ok_or_else(|| no_such_version(arn, id))?;
    Ok(VersionInfo {
        id: id.to_owned(),
        version,
        is_default: p.default_version == id,
    })
}

/// `iam:ListPolicyVersions`, newest first.
pub fn list_policy_versions(
    svc: &Service,
    caller: &Caller,
    arn: &str,
) -> Result<Vec<VersionInfo>, CoreError> {
    let p = policy_for(svc, caller, "iam:ListPolicyVersions", arn)?;
    let mut out: Vec<VersionInfo> = p
        .versions
        .iter()
        .map(|(id, v)| VersionInfo {
            id: id.clone(),
            version: v.clone(),
            is_default: *id == p.default_version,
        })
        .collect();
    out.sort_by_key(|v| std::cmp::Reverse(version_number(&v.id)));
    Ok(out)
}

/// `iam:DeletePolicyVersion`: never the default version.
pub fn delete_policy_version(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    id: &str,
) -> Result<(), CoreError> {
    let p = policy_for(svc, caller, "iam:DeletePolicyVersion", arn)?;
    customer_only(&p)?;
    svc.mutate(|state| {
        let mut p = state
            .policies
            .get(arn)
            .cloned()
            .ok_or_else(|| no_such_policy(arn))?;
        if p.default_version == id {
            return Err(CoreError::DeleteConflict(
                "Cannot delete the default version of a policy.".into(),
            ));
        }
        if p.versions.remove(id).is_none() {
            return Err(no_such_version(arn, id));
        }
        Ok(((), vec![Change::Put(Record::Policy(p))]))
    })
}

/// `iam:SetDefaultPolicyVersion`: the new default decides from now on.
pub fn set_default_policy_version(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    id: &str,
) -> Result<(), CoreError> {
    let p = policy_for(svc, caller, "iam:SetDefaultPolicyVersion", arn)?;
    customer_only(&p)?;
    svc.mutate(|state| {
        let mut p = state
            .policies
            .get(arn)
            .cloned()
            .ok_or_else(|| no_such_policy(arn))?;
        if !p.versions.contains_key(id) {
            return Err(no_such_version(arn, id));
        }
        p.default_version = id.to_owned();
        Ok(((), vec![Change::Put(Record::Policy(p))]))
    })
}

/// An entity a policy is attached to: name and unique id.
pub type EntityRef = (String, String);

/// The result of `ListEntitiesForPolicy`.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// Groups.
    pub groups: Vec<EntityRef>,
    /// Users.
    pub users: Vec<EntityRef>,
    /// Roles.
    pub roles: Vec<EntityRef>,
}

/// `EntityFilter` of `ListEntitiesForPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityFilter {
    /// Users only.
    User,
    /// Roles only.
    Role,
    /// Groups only.
    Group,
}

/// `iam:ListEntitiesForPolicy`.
pub fn list_entities_for_policy(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    filter: Option<EntityFilter>,
    path_prefix: Option<&str>,
    usage: Option<Usage>,
) -> Result<Entities, CoreError> {
    policy_for(svc, caller, "iam:ListEntitiesForPolicy", arn)?;
    let state = svc.read();
    let prefix = path_prefix.unwrap_or("/");
    let uses = |attached: &[String], boundary: Option<&String>| {
        let a = attached.iter().any(|x| x == arn);
        let b = boundary.is_some_and(|x| x == arn);
        match usage {
            None => a || b,
            Some(Usage::PermissionsPolicy) => a,
            Some(Usage::PermissionsBoundary) => b,
        }
    };
    let want = |f: EntityFilter| filter.is_none_or(|x| x == f);
    let mut out = Entities::default();
    if want(EntityFilter::User) {
        out.users = state
            .users_of(&caller.account)
            .filter(|u| u.path.starts_with(prefix))
            .filter(|u| uses(&u.attached_policies, u.permissions_boundary.as_ref()))
            .map(|u| (u.name.clone(), u.id.clone()))
            .collect();
    }
    if want(EntityFilter::Role) {
        let key_prefix = format!("{}/", caller.account);
        out.roles = state
            .roles
            .range(key_prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&key_prefix))
            .map(|(_, r)| r)
            .filter(|r| r.path.starts_with(prefix))
            .filter(|r| uses(&r.attached_policies, r.permissions_boundary.as_ref()))
            .map(|r| (r.name.clone(), r.id.clone()))
            .collect();
    }
    if want(EntityFilter::Group) {
        out.groups = state
            .groups_of(&caller.account)
            .filter(|g| g.path.starts_with(prefix))
            .filter(|g| uses(&g.attached_policies, None))
            .map(|g| (g.name.clone(), g.id.clone()))
            .collect();
    }
    Ok(out)
}
