//! Organization policies (service control policies): create, describe,
//! update, delete, attach, detach, and their listings.

use rootward_policy::PolicyKind;

use super::accounts::is_parent;
use super::model::{Attachment, FULL_AWS_ACCESS_ID, OrgPolicy, Organization, SCP, attachment_key};
use super::organization::POLICY_TYPES;
use super::{
    OrgError, Page, PageRequest, as_management, as_reader, authorize, check_id, constraint, err,
    id_body, invalid, page_by,
};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;
use crate::state::State;

/// The most SCPs attached to one target.
pub const MAX_ATTACHED: usize = 5;
/// The most customer policies of one type in an organization.
pub const MAX_POLICIES: usize = 1_000;

/// A policy as Organizations describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInfo {
    /// `p-…`.
    pub id: String,
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// `SERVICE_CONTROL_POLICY`.
    pub policy_type: String,
    /// Whether AWS manages it (`FullAWSAccess`).
    pub aws_managed: bool,
    /// The document, as submitted.
    pub content: String,
}

fn full_aws_access(org: &Organization) -> PolicyInfo {
    PolicyInfo {
        id: FULL_AWS_ACCESS_ID.to_owned(),
        arn: org.policy_arn(FULL_AWS_ACCESS_ID),
        name: "FullAWSAccess".to_owned(),
        description: "Allows access to every operation".to_owned(),
        policy_type: SCP.to_owned(),
        aws_managed: true,
        content: rootward_policy::managed::FULL_AWS_ACCESS.to_owned(),
    }
}

fn policy_info(org: &Organization, p: &OrgPolicy) -> PolicyInfo {
    PolicyInfo {
        id: p.id.clone(),
        arn: org.policy_arn(&p.id),
        name: p.name.clone(),
        description: p.description.clone(),
        policy_type: p.policy_type.clone(),
        aws_managed: false,
        content: p.content.clone(),
    }
}

fn policy_not_found() -> CoreError {
    err(
        OrgError::PolicyNotFound,
        "We can't find a policy with the PolicyId that you specified.",
    )
}

fn immutable() -> CoreError {
    invalid(
        "IMMUTABLE_POLICY",
        "You specified a policy that is managed by AWS and can't be modified.",
    )
}

/// A policy of `org` by id (`p-FullAWSAccess` included).
fn find(state: &State, org: &Organization, id: &str) -> Result<PolicyInfo, CoreError> {
    if id == FULL_AWS_ACCESS_ID {
        return Ok(full_aws_access(org));
    }
    state
        .org
        .policies
        .get(id)
        .filter(|p| p.org == org.id)
        .map(|p| policy_info(org, p))
        .ok_or_else(policy_not_found)
}

fn check_policy_id(id: &str) -> Result<(), CoreError> {
    if id == FULL_AWS_ACCESS_ID {
        return Ok(());
    }
    check_id("policyId", id, "p-").map_err(|_| {
        invalid(
            "INVALID_SYNTAX_POLICY_ID",
            "You specified an invalid policy ID.",
        )
    })
}

/// Checks the type names Rootward accepts: the model's enum, of which only
/// service control policies are implemented.
fn check_type(t: &str) -> Result<(), CoreError> {
    if !POLICY_TYPES.contains(&t) {
        return Err(invalid(
            "INVALID_ENUM_POLICY_TYPE",
            "You specified an invalid policy type string.",
        ));
    }
    if t != SCP {
        return Err(err(
            OrgError::PolicyTypeNotAvailableForOrganization,
            format!("Rootward implements service control policies only, not {t}."),
        ));
    }
    Ok(())
}

fn check_content(content: &str) -> Result<(), CoreError> {
    if content.chars().count() > 5_120 {
        return Err(constraint(
            "POLICY_CONTENT_LIMIT_EXCEEDED",
            "You have exceeded the maximum size of a policy document (5,120 characters).",
        ));
    }
    match rootward_policy::check(content, PolicyKind::Scp).first() {
        None => Ok(()),
        Some(p) => Err(err(
            OrgError::MalformedPolicyDocument,
            format!(
                "The provided policy document does not meet the requirements of the specified policy type: {p}"
            ),
        )),
    }
}

fn check_name(name: &str) -> Result<(), CoreError> {
    if name.is_empty() || name.chars().count() > 128 {
        return Err(invalid(
            "MAX_LENGTH_EXCEEDED",
            "You specified an invalid value for name: it must have 1 to 128 characters.",
        ));
    }
    Ok(())
}

fn check_description(d: &str) -> Result<(), CoreError> {
    if d.chars().count() > 512 {
        return Err(invalid(
            "MAX_LENGTH_EXCEEDED",
            "You specified an invalid value for description: it must have at most 512 characters.",
        ));
    }
    Ok(())
}

fn duplicate() -> CoreError {
    err(
        OrgError::DuplicatePolicy,
        "A policy with the same name already exists.",
    )
}

/// Inputs of `CreatePolicy`.
#[derive(Debug, Default)]
pub struct CreatePolicy<'a> {
    /// The document.
    pub content: &'a str,
    /// Description.
    pub description: &'a str,
    /// Name.
    pub name: &'a str,
    /// Type.
    pub policy_type: &'a str,
}

/// `organizations:CreatePolicy`. The content is stored exactly as submitted.
pub fn create_policy(
    svc: &Service,
    caller: &Caller,
    input: CreatePolicy<'_>,
) -> Result<PolicyInfo, CoreError> {
    check_name(input.name)?;
    check_description(input.description)?;
    check_type(input.policy_type)?;
    authorize(svc, caller, "CreatePolicy", "*")?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        // The document is read only for a caller allowed to write policies:
        // anyone else learns nothing about it but AccessDeniedException.
        check_content(input.content)?;
        let mine = || state.org.policies.values().filter(|p| p.org == org.id);
        if input.name == "FullAWSAccess" || mine().any(|p| p.name == input.name) {
            return Err(duplicate());
        }
        if mine().count() >= MAX_POLICIES {
            return Err(constraint(
                "POLICY_NUMBER_LIMIT_EXCEEDED",
                "You have reached the maximum number of policies in your organization.",
            ));
        }
        let mut id = format!("p-{}", id_body(8));
        while state.org.policies.contains_key(&id) {
            id = format!("p-{}", id_body(8));
        }
        let p = OrgPolicy {
            id,
            org: org.id.clone(),
            name: input.name.to_owned(),
            description: input.description.to_owned(),
            policy_type: input.policy_type.to_owned(),
            content: input.content.to_owned(),
        };
        Ok((
            policy_info(org, &p),
            vec![Change::Put(Record::OrgPolicy(p))],
        ))
    })
}

/// `organizations:DescribePolicy`.
pub fn describe_policy(svc: &Service, caller: &Caller, id: &str) -> Result<PolicyInfo, CoreError> {
    check_policy_id(id)?;
    authorize(
        svc,
        caller,
        "DescribePolicy",
        &policy_resource(svc, caller, id),
    )?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    find(&state, org, id)
}

fn policy_resource(svc: &Service, caller: &Caller, id: &str) -> String {
    svc.read()
        .org
        .org_of(&caller.account)
        .map(|o| o.policy_arn(id))
        .unwrap_or_else(|| "*".to_owned())
}

/// Inputs of `UpdatePolicy`.
#[derive(Debug, Default)]
pub struct UpdatePolicy<'a> {
    /// Policy id.
    pub id: &'a str,
    /// New name.
    pub name: Option<&'a str>,
    /// New description.
    pub description: Option<&'a str>,
    /// New content.
    pub content: Option<&'a str>,
}

/// `organizations:UpdatePolicy`.
pub fn update_policy(
    svc: &Service,
    caller: &Caller,
    input: UpdatePolicy<'_>,
) -> Result<PolicyInfo, CoreError> {
    check_policy_id(input.id)?;
    if let Some(n) = input.name {
        check_name(n)?;
    }
    if let Some(d) = input.description {
        check_description(d)?;
    }
    authorize(
        svc,
        caller,
        "UpdatePolicy",
        &policy_resource(svc, caller, input.id),
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        // As in CreatePolicy: the document only after the caller.
        if let Some(c) = input.content {
            check_content(c)?;
        }
        if input.id == FULL_AWS_ACCESS_ID {
            return Err(immutable());
        }
        let mut p = state
            .org
            .policies
            .get(input.id)
            .filter(|p| p.org == org.id)
            .cloned()
            .ok_or_else(policy_not_found)?;
        if let Some(n) = input.name {
            let taken = state
                .org
                .policies
                .values()
                .any(|q| q.org == org.id && q.id != p.id && q.name == n);
            if taken || n == "FullAWSAccess" {
                return Err(duplicate());
            }
            p.name = n.to_owned();
        }
        if let Some(d) = input.description {
            p.description = d.to_owned();
        }
        if let Some(c) = input.content {
            p.content = c.to_owned();
        }
        Ok((
            policy_info(org, &p),
            vec![Change::Put(Record::OrgPolicy(p))],
        ))
    })
}

/// `organizations:DeletePolicy` (only when attached nowhere).
pub fn delete_policy(svc: &Service, caller: &Caller, id: &str) -> Result<(), CoreError> {
    check_policy_id(id)?;
    authorize(
        svc,
        caller,
        "DeletePolicy",
        &policy_resource(svc, caller, id),
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        if id == FULL_AWS_ACCESS_ID {
            return Err(immutable());
        }
        find(state, org, id)?;
        if state.org.attachments.values().any(|a| a.policy == id) {
            return Err(err(
                OrgError::PolicyInUse,
                "The specified policy is in use and cannot be deleted.",
            ));
        }
        let mut changes = vec![Change::Delete(table::ORG_POLICIES, id.to_owned())];
        if state.org.tags.contains_key(id) {
            changes.push(Change::Delete(table::ORG_TAGS, id.to_owned()));
        }
        Ok(((), changes))
    })
}

/// Whether `target` is the root, an OU or an account of `org`.
fn is_target(state: &State, org: &Organization, target: &str) -> bool {
    is_parent(state, org, target)
        || state
            .org
            .members
            .get(target)
            .is_some_and(|m| m.org == org.id)
}

fn target_not_found() -> CoreError {
    err(
        OrgError::TargetNotFound,
        "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    )
}

fn check_target_id(id: &str) -> Result<(), CoreError> {
    let ok = (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
        || check_id("targetId", id, "r-").is_ok()
        || check_id("targetId", id, "ou-").is_ok();
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "INVALID_PATTERN_TARGET_ID",
            "You specified a policy target ID that doesn't match the required pattern.",
        ))
    }
}

/// `organizations:AttachPolicy`.
pub fn attach_policy(
    svc: &Service,
    caller: &Caller,
    policy: &str,
    target: &str,
) -> Result<(), CoreError> {
    check_policy_id(policy)?;
    check_target_id(target)?;
    authorize(
        svc,
        caller,
        "AttachPolicy",
        &policy_resource(svc, caller, policy),
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        let p = find(state, org, policy)?;
        if !is_target(state, org, target) {
            return Err(target_not_found());
        }
        if !org.policy_types.contains(&p.policy_type) {
            return Err(err(OrgError::PolicyTypeNotEnabled, "This operation can be performed only for enabled policy types.",
            ));
        }
        if state.org.attachments.contains_key(&attachment_key(&org.id, target, policy)) {
            return Err(err(OrgError::DuplicatePolicyAttachment, "The selected policy is already attached to the specified target.",
            ));
        }
        let same_type = state
            .org
            .attached_to(&org.id, target)
            .filter(|a| state.org.policy_type(&a.policy) == Some(p.policy_type.as_str()))
            .count();
        if same_type >= MAX_ATTACHED {
            return Err(constraint(
                "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
                "You attempted to exceed the number of policies of a certain type that can be attached to an entity (5).",
            ));
        }
        let a = Attachment {
            org: org.id.clone(),
            policy: policy.to_owned(),
            target: target.to_owned(),
        };
        Ok(((), vec![Change::Put(Record::OrgAttachment(a))]))
    })
}

/// `organizations:DetachPolicy`. While SCPs are enabled, every target keeps at
/// least one SCP.
pub fn detach_policy(
    svc: &Service,
    caller: &Caller,
    policy: &str,
    target: &str,
) -> Result<(), CoreError> {
    check_policy_id(policy)?;
    check_target_id(target)?;
    authorize(
        svc,
        caller,
        "DetachPolicy",
        &policy_resource(svc, caller, policy),
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        let p = find(state, org, policy)?;
        if !is_target(state, org, target) {
            return Err(target_not_found());
        }
        let key = attachment_key(&org.id, target, policy);
        if !state.org.attachments.contains_key(&key) {
            return Err(err(OrgError::PolicyNotAttached, "The policy isn't attached to the specified target in the specified root.",
            ));
        }
        let same_type = state
            .org
            .attached_to(&org.id, target)
            .filter(|a| state.org.policy_type(&a.policy) == Some(p.policy_type.as_str()))
            .count();
        if same_type <= 1 && org.policy_types.contains(&p.policy_type) {
            return Err(constraint(
                "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
                "You attempted to detach a policy from an entity that would leave it without any policy of that type; every entity must have at least one.",
            ));
        }
        Ok(((), vec![Change::Delete(table::ORG_ATTACHMENTS, key)]))
    })
}

/// `organizations:ListPolicies` of one type (`FullAWSAccess` first).
pub fn list_policies(
    svc: &Service,
    caller: &Caller,
    filter: &str,
    req: PageRequest<'_>,
) -> Result<Page<PolicyInfo>, CoreError> {
    if !POLICY_TYPES.contains(&filter) {
        return Err(invalid(
            "INVALID_ENUM_POLICY_TYPE",
            "You specified an invalid policy type string.",
        ));
    }
    authorize(svc, caller, "ListPolicies", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    let builtin = (filter == SCP).then(|| full_aws_access(org));
    page_by(
        builtin.into_iter().chain(
            state
                .org
                .policies
                .values()
                .filter(|p| p.org == org.id && p.policy_type == filter)
                .map(|p| policy_info(org, p)),
        ),
        req,
        |p| p.id.clone(),
    )
}

/// `organizations:ListPoliciesForTarget`.
pub fn list_policies_for_target(
    svc: &Service,
    caller: &Caller,
    target: &str,
    filter: &str,
    req: PageRequest<'_>,
) -> Result<Page<PolicyInfo>, CoreError> {
    check_target_id(target)?;
    if !POLICY_TYPES.contains(&filter) {
        return Err(invalid(
            "INVALID_ENUM_POLICY_TYPE",
            "You specified an invalid policy type string.",
        ));
    }
    authorize(svc, caller, "ListPoliciesForTarget", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    if !is_target(&state, org, target) {
        return Err(target_not_found());
    }
    page_by(
        state
            .org
            .attached_to(&org.id, target)
            .filter_map(|a| find(&state, org, &a.policy).ok())
            .filter(|p| p.policy_type == filter),
        req,
        |p| p.id.clone(),
    )
}

/// A policy target as `ListTargetsForPolicy` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    /// Id.
    pub id: String,
    /// ARN.
    pub arn: String,
    /// Name (`Root`, the OU's, or the account's).
    pub name: String,
    /// `ROOT`, `ORGANIZATIONAL_UNIT` or `ACCOUNT`.
    pub kind: &'static str,
}

/// `organizations:ListTargetsForPolicy`.
pub fn list_targets_for_policy(
    svc: &Service,
    caller: &Caller,
    policy: &str,
    req: PageRequest<'_>,
) -> Result<Page<TargetInfo>, CoreError> {
    check_policy_id(policy)?;
    authorize(
        svc,
        caller,
        "ListTargetsForPolicy",
        &policy_resource(svc, caller, policy),
    )?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    find(&state, org, policy)?;
    let targets = state
        .org
        .attachments
        .values()
        .filter(|a| a.org == org.id && a.policy == policy)
        .map(|a| {
            let t = a.target.as_str();
            if t == org.root_id {
                TargetInfo {
                    id: t.to_owned(),
                    arn: org.root_arn(),
                    name: "Root".to_owned(),
                    kind: "ROOT",
                }
            } else if let Some(u) = state.org.units.get(t) {
                TargetInfo {
                    id: t.to_owned(),
                    arn: org.ou_arn(t),
                    name: u.name.clone(),
                    kind: "ORGANIZATIONAL_UNIT",
                }
            } else {
                TargetInfo {
                    id: t.to_owned(),
                    arn: org.account_arn(t),
                    name: state
                        .accounts
                        .get(t)
                        .map(|a| a.name.clone())
                        .unwrap_or_default(),
                    kind: "ACCOUNT",
                }
            }
        });
    page_by(targets, req, |t| t.id.clone())
}
