//! Policies of users: inline (`PutUserPolicy` …) and managed attachments
//! (`AttachUserPolicy` …), permissions boundaries.

use rootward_policy::PolicyKind;

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, User};
use crate::service::Service;

use super::builtin::is_task_policy;
use super::check_name;

fn user_for(svc: &Service, caller: &Caller, action: &str, name: &str) -> Result<User, CoreError> {
    let arn = svc
        .read()
        .user(&caller.account, name)
        .map(User::arn)
        .unwrap_or_else(|| crate::ident::Arn::user(&caller.account, "/", name).to_string());
    svc.authorize(caller, action, &arn, None, &[])?;
    svc.read()
        .user(&caller.account, name)
        .cloned()
        .ok_or_else(|| {
            CoreError::NoSuchEntity(format!("The user with name {name} cannot be found."))
        })
}

/// `UserPolicySizeQuota`: a user's inline policies together.
pub const USER_POLICY_SIZE: usize = 2_048;
/// `GroupPolicySizeQuota`.
pub const GROUP_POLICY_SIZE: usize = 5_120;
/// `RolePolicySizeQuota`.
pub const ROLE_POLICY_SIZE: usize = 10_240;
/// `PolicySizeQuota`: one managed policy version.
pub const POLICY_SIZE: usize = 6_144;
/// `AssumeRolePolicySizeQuota` (`ACLSizePerRole`): a trust policy.
pub const TRUST_POLICY_SIZE: usize = 2_048;

/// An identity policy's grammar and semantics, before its size is weighed
/// against a quota (a malformed document is refused first). Returns its
/// size without whitespace, for [`check_inline_total`].
pub fn check_document_syntax(doc: &str) -> Result<usize, CoreError> {
    let (problems, size) = rootward_policy::check_unsized(doc, PolicyKind::Identity);
    match problems.first() {
        None => Ok(size.unwrap_or(usize::MAX)),
        Some(p) => Err(CoreError::MalformedPolicy(p.to_string())),
    }
}

/// A managed policy version within `PolicySizeQuota`.
pub fn check_managed_document(doc: &str) -> Result<(), CoreError> {
    check_quota_document(doc, PolicyKind::Identity, POLICY_SIZE, || {
        format!("Cannot exceed quota for PolicySize: {POLICY_SIZE}")
    })
    .map(|_| ())
}

/// A trust policy within `ACLSizePerRole`.
pub fn check_trust_document(doc: &str) -> Result<(), CoreError> {
    check_quota_document(doc, PolicyKind::Trust, TRUST_POLICY_SIZE, || {
        format!("Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_SIZE}")
    })
    .map(|_| ())
}

/// Checks a document that counts toward an IAM quota instead of its kind's
/// size limit: problems are a malformed document, a size over `limit` is
/// `LimitExceeded` with `exceeded`'s message (spec 02's quotas; AWS's
/// wording). Returns its size without whitespace.
pub fn check_quota_document(
    doc: &str,
    kind: PolicyKind,
    limit: usize,
    exceeded: impl FnOnce() -> String,
) -> Result<usize, CoreError> {
    let (problems, size) = rootward_policy::check_unsized(doc, kind);
    if let Some(p) = problems.first() {
        return Err(CoreError::MalformedPolicy(p.to_string()));
    }
    let size = size.unwrap_or(usize::MAX);
    if size > limit {
        return Err(CoreError::LimitExceeded(exceeded()));
    }
    Ok(size)
}

/// Checks an inline policy `name` of `size` characters without whitespace
/// (from [`check_document_syntax`]) of `owner` (`user`, `group`, `role`):
/// the sum of its inline policies, this one in place of any of the same
/// name, may not exceed `limit` (2,048 for a user, 5,120 for a group,
/// 10,240 for a role: `UserPolicySizeQuota`, `GroupPolicySizeQuota`,
/// `RolePolicySizeQuota`). The stored ones were validated when written:
/// they are only measured.
pub fn check_inline_total(
    size: usize,
    name: &str,
    others: &std::collections::BTreeMap<String, String>,
    (owner, owner_name, limit): (&str, &str, usize),
) -> Result<(), CoreError> {
    let rest: usize = others
        .iter()
        .filter(|(n, _)| n.as_str() != name)
        .map(|(_, d)| rootward_policy::quota_size(d).unwrap_or(0))
        .sum();
    if size.saturating_add(rest) > limit {
        return Err(CoreError::LimitExceeded(format!(
            "Maximum policy size of {limit} bytes exceeded for {owner} {owner_name}"
        )));
    }
    Ok(())
}

/// `iam:PutUserPolicy`.
pub fn put_user_policy(
    svc: &Service,
    caller: &Caller,
    user: &str,
    policy_name: &str,
    doc: &str,
) -> Result<(), CoreError> {
    check_name("policyName", policy_name, 128)?;
    let u = user_for(svc, caller, "iam:PutUserPolicy", user)?;
    let size = check_document_syntax(doc)?;
    svc.mutate(|state| {
        let mut u = state.user(&u.account, &u.name).cloned().unwrap_or(u);
        check_inline_total(
            size,
            policy_name,
            &u.inline_policies,
            ("user", &u.name, USER_POLICY_SIZE),
        )?;
        u.inline_policies
            .insert(policy_name.to_owned(), doc.to_owned());
        Ok(((), vec![Change::Put(Record::User(u))]))
    })
}

/// `iam:GetUserPolicy`.
pub fn get_user_policy(
    svc: &Service,
    caller: &Caller,
    user: &str,
    policy_name: &str,
) -> Result<String, CoreError> {
    let u = user_for(svc, caller, "iam:GetUserPolicy", user)?;
    u.inline_policies.get(policy_name).cloned().ok_or_else(|| {
        CoreError::NoSuchEntity(format!(
            "The user policy with name {policy_name} cannot be found."
        ))
    })
}

/// `iam:DeleteUserPolicy`.
pub fn delete_user_policy(
    svc: &Service,
    caller: &Caller,
    user: &str,
    policy_name: &str,
) -> Result<(), CoreError> {
    let u = user_for(svc, caller, "iam:DeleteUserPolicy", user)?;
    svc.mutate(|state| {
        let mut u = state.user(&u.account, &u.name).cloned().unwrap_or(u);
        if u.inline_policies.remove(policy_name).is_none() {
            return Err(CoreError::NoSuchEntity(format!(
                "The user policy with name {policy_name} cannot be found."
            )));
        }
        Ok(((), vec![Change::Put(Record::User(u))]))
    })
}

/// `iam:ListUserPolicies`.
pub fn list_user_policies(
    svc: &Service,
    caller: &Caller,
    user: &str,
) -> Result<Vec<String>, CoreError> {
    let u = user_for(svc, caller, "iam:ListUserPolicies", user)?;
    Ok(u.inline_policies.keys().cloned().collect())
}

fn managed_exists(svc: &Service, caller: &Caller, arn: &str) -> Result<(), CoreError> {
    if super::managed::visible(&svc.read(), &caller.account, arn) {
        Ok(())
    } else {
        Err(CoreError::NoSuchEntity(format!(
            "Policy {arn} does not exist or is not attachable."
        )))
    }
}

/// `iam:AttachUserPolicy`. Root-task policies are refused (spec 05 §5.1, UNCONFIRMED
/// whether AWS refuses; recommended: `PolicyNotAttachable`).
pub fn attach_user_policy(
    svc: &Service,
    caller: &Caller,
    user: &str,
    policy_arn: &str,
) -> Result<(), CoreError> {
    let u = user_for(svc, caller, "iam:AttachUserPolicy", user)?;
    managed_exists(svc, caller, policy_arn)?;
    if is_task_policy(policy_arn) {
        return Err(CoreError::PolicyNotAttachable(format!(
            "Policy {policy_arn} is not attachable."
        )));
    }
    svc.mutate(|state| {
        let mut u = state.user(&u.account, &u.name).cloned().unwrap_or(u);
        if !u.attached_policies.iter().any(|a| a == policy_arn) {
            if u.attached_policies.len() >= 10 {
                return Err(CoreError::LimitExceeded(
                    "Cannot exceed quota for PoliciesPerUser: 10".into(),
                ));
            }
            u.attached_policies.push(policy_arn.to_owned());
        }
        Ok(((), vec![Change::Put(Record::User(u))]))
    })
}

/// `iam:DetachUserPolicy`.
pub fn detach_user_policy(
    svc: &Service,
    caller: &Caller,
    user: &str,
    policy_arn: &str,
) -> Result<(), CoreError> {
    let u = user_for(svc, caller, "iam:DetachUserPolicy", user)?;
    svc.mutate(|state| {
        let mut u = state.user(&u.account, &u.name).cloned().unwrap_or(u);
        let before = u.attached_policies.len();
        u.attached_policies.retain(|a| a != policy_arn);
        if u.attached_policies.len() == before {
            return Err(CoreError::NoSuchEntity(format!(
                "Policy {policy_arn} was not found."
            )));
        }
        Ok(((), vec![Change::Put(Record::User(u))]))
    })
}

/// `iam:ListAttachedUserPolicies`: (name, ARN) pairs.
pub fn list_attached_user_policies(
    svc: &Service,
    caller: &Caller,
    user: &str,
) -> Result<Vec<(String, String)>, CoreError> {
    let u = user_for(svc, caller, "iam:ListAttachedUserPolicies", user)?;
    let state = svc.read();
    Ok(u.attached_policies
        .iter()
        .map(|arn| {
            (
                state
                    .managed_policy_name(arn)
                    .map(|(name, _)| name.to_owned())
                    .unwrap_or_default(),
                arn.clone(),
            )
        })
        .collect())
}

/// `iam:PutUserPermissionsBoundary` / `iam:DeleteUserPermissionsBoundary`.
pub fn set_user_permissions_boundary(
    svc: &Service,
    caller: &Caller,
    user: &str,
    policy_arn: Option<&str>,
) -> Result<(), CoreError> {
    let action = if policy_arn.is_some() {
        "iam:PutUserPermissionsBoundary"
    } else {
        "iam:DeleteUserPermissionsBoundary"
    };
    let u = user_for(svc, caller, action, user)?;
    if let Some(arn) = policy_arn {
        super::managed::check_boundary(&svc.read(), &caller.account, arn)?;
    }
    svc.mutate(|state| {
        let mut u = state.user(&u.account, &u.name).cloned().unwrap_or(u);
        u.permissions_boundary = policy_arn.map(str::to_owned);
        Ok(((), vec![Change::Put(Record::User(u))]))
    })
}
