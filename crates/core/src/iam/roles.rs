//! IAM roles: CreateRole, GetRole, ListRoles, DeleteRole, and their policies.

use rootward_policy::PolicyKind;

use crate::authz::Caller;
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, Record, Role, table, user_key};
use crate::service::Service;

use super::builtin::is_task_policy;
use super::policies::check_document;
use super::{check_name, check_path};

fn no_such_role(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The role with name {name} cannot be found."))
}

fn role_arn(svc: &Service, caller: &Caller, name: &str) -> String {
    svc.read()
        .role(&caller.account, name)
        .map(Role::arn)
        .unwrap_or_else(|| format!("arn:aws:iam::{}:role/{name}", caller.account))
}

fn role_for(svc: &Service, caller: &Caller, action: &str, name: &str) -> Result<Role, CoreError> {
    svc.authorize(caller, action, &role_arn(svc, caller, name), None, &[])?;
    svc.read()
        .role(&caller.account, name)
        .cloned()
        .ok_or_else(|| no_such_role(name))
}

/// Inputs of `CreateRole`.
#[derive(Debug, Default)]
pub struct CreateRole<'a> {
    /// Name.
    pub name: &'a str,
    /// Path.
    pub path: Option<&'a str>,
    /// Trust policy document.
    pub trust_policy: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Longest session (3,600–43,200 s; default 3,600).
    pub max_session_duration: Option<i64>,
}

/// `iam:CreateRole`.
pub fn create_role(
    svc: &Service,
    caller: &Caller,
    input: CreateRole<'_>,
) -> Result<Role, CoreError> {
    check_name("roleName", input.name, 64)?;
    let path = input.path.unwrap_or("/");
    check_path(path)?;
    let max = input.max_session_duration.unwrap_or(3_600);
    if !(3_600..=43_200).contains(&max) {
        return Err(CoreError::Validation(format!(
            "1 validation error detected: Value '{max}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200"
        )));
    }
    let arn = format!("arn:aws:iam::{}:role{path}{}", caller.account, input.name);
    svc.authorize(caller, "iam:CreateRole", &arn, None, &[])?;
    check_document(input.trust_policy, PolicyKind::Trust)?;
    let now = svc.now();
    svc.mutate(|state| {
        if state.role(&caller.account, input.name).is_some() {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Role with name {} already exists.",
                input.name
            )));
        }
        let role = Role {
            account: caller.account.clone(),
            name: input.name.to_owned(),
            path: path.to_owned(),
            id: ids::unique_id("AROA"),
            created: now,
            trust_policy: input.trust_policy.to_owned(),
            description: input.description.map(str::to_owned),
            max_session_duration: max,
            inline_policies: Default::default(),
            attached_policies: Vec::new(),
            permissions_boundary: None,
        };
        Ok((role.clone(), vec![Change::Put(Record::Role(role))]))
    })
}

/// `iam:GetRole`.
pub fn get_role(svc: &Service, caller: &Caller, name: &str) -> Result<Role, CoreError> {
    role_for(svc, caller, "iam:GetRole", name)
}

/// `iam:ListRoles` with `PathPrefix`.
pub fn list_roles(
    svc: &Service,
    caller: &Caller,
    path_prefix: Option<&str>,
) -> Result<Vec<Role>, CoreError> {
    svc.authorize(
        caller,
        "iam:ListRoles",
        &format!("arn:aws:iam::{}:role/", caller.account),
        None,
        &[],
    )?;
    let prefix = format!("{}/", caller.account);
    let path = path_prefix.unwrap_or("/");
    Ok(svc
        .read()
        .roles
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, r)| r)
        .filter(|r| r.path.starts_with(path))
        .cloned()
        .collect())
}

/// `iam:DeleteRole`: refused while policies are attached or inline.
pub fn delete_role(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    let r = role_for(svc, caller, "iam:DeleteRole", name)?;
    if !r.inline_policies.is_empty() || !r.attached_policies.is_empty() {
        return Err(CoreError::DeleteConflict(
            "Cannot delete entity, must delete policies first.".into(),
        ));
    }
    svc.mutate(|_| {
        Ok((
            (),
            vec![Change::Delete(table::ROLES, user_key(&r.account, &r.name))],
        ))
    })
}

/// `iam:PutRolePolicy`.
pub fn put_role_policy(
    svc: &Service,
    caller: &Caller,
    role: &str,
    policy_name: &str,
    doc: &str,
) -> Result<(), CoreError> {
    check_name("policyName", policy_name, 128)?;
    role_for(svc, caller, "iam:PutRolePolicy", role)?;
    check_document(doc, PolicyKind::Identity)?;
    svc.mutate(|state| {
        let mut r = state
            .role(&caller.account, role)
            .cloned()
            .ok_or_else(|| no_such_role(role))?;
        r.inline_policies
            .insert(policy_name.to_owned(), doc.to_owned());
        Ok(((), vec![Change::Put(Record::Role(r))]))
    })
}

/// `iam:AttachRolePolicy` (root-task policies refused, as for users).
pub fn attach_role_policy(
    svc: &Service,
    caller: &Caller,
    role: &str,
    policy_arn: &str,
) -> Result<(), CoreError> {
    role_for(svc, caller, "iam:AttachRolePolicy", role)?;
    if !svc.read().policies.contains_key(policy_arn) {
        return Err(CoreError::NoSuchEntity(format!(
            "Policy {policy_arn} does not exist or is not attachable."
        )));
    }
    if is_task_policy(policy_arn) {
        return Err(CoreError::Validation(format!(
            "PolicyNotAttachable: Policy {policy_arn} is not attachable."
        )));
    }
    svc.mutate(|state| {
        let mut r = state
            .role(&caller.account, role)
            .cloned()
            .ok_or_else(|| no_such_role(role))?;
        if !r.attached_policies.iter().any(|a| a == policy_arn) {
            if r.attached_policies.len() >= 10 {
                return Err(CoreError::LimitExceeded(
                    "Cannot exceed quota for PoliciesPerRole: 10".into(),
                ));
            }
            r.attached_policies.push(policy_arn.to_owned());
        }
        Ok(((), vec![Change::Put(Record::Role(r))]))
    })
}

/// `iam:DetachRolePolicy`.
pub fn detach_role_policy(
    svc: &Service,
    caller: &Caller,
    role: &str,
    policy_arn: &str,
) -> Result<(), CoreError> {
    role_for(svc, caller, "iam:DetachRolePolicy", role)?;
    svc.mutate(|state| {
        let mut r = state
            .role(&caller.account, role)
            .cloned()
            .ok_or_else(|| no_such_role(role))?;
        let before = r.attached_policies.len();
        r.attached_policies.retain(|a| a != policy_arn);
        if r.attached_policies.len() == before {
            return Err(CoreError::NoSuchEntity(format!(
                "Policy {policy_arn} was not found."
            )));
        }
        Ok(((), vec![Change::Put(Record::Role(r))]))
    })
}
