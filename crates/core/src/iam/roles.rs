//! IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, DeleteRole, the
//! trust policy, inline and attached policies, the permissions boundary.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, Record, Role, Tag, table, user_key};
use crate::service::Service;

use super::{check_name, check_path};

fn no_such_role(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The role with name {name} cannot be found."))
}

fn role_arn(svc: &Service, caller: &Caller, name: &str) -> String {
    svc.read()
        .role(&caller.account, name)
        .map(Role::arn)
        .unwrap_or_else(|| crate::ident::Arn::role(&caller.account, "/", name).to_string())
}

fn role_for(svc: &Service, caller: &Caller, action: &str, name: &str) -> Result<Role, CoreError> {
    svc.authorize(caller, action, &role_arn(svc, caller, name), None, &[])?;
    svc.read()
        .role(&caller.account, name)
        .cloned()
        .ok_or_else(|| no_such_role(name))
}

/// [`role_for`] for a change through an ordinary role operation: a
/// service-linked role is refused (`UnmodifiableEntity`).
fn modifiable_role_for(
    svc: &Service,
    caller: &Caller,
    action: &str,
    name: &str,
) -> Result<Role, CoreError> {
    let r = role_for(svc, caller, action, name)?;
    super::service_linked_roles::check_modifiable(&r)?;
    Ok(r)
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
    /// Permissions boundary policy ARN.
    pub permissions_boundary: Option<&'a str>,
    /// Tags (also need `iam:TagRole`).
    pub tags: Vec<Tag>,
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
    // `MaxSessionDuration` (3,600–43,200 s) is the model's, checked on decode.
    let max = input.max_session_duration.unwrap_or(3_600);
    let arn = crate::ident::Arn::role(&caller.account, path, input.name).to_string();
    super::tags::check_tags(&input.tags)?;
    let tag_keys = super::tags::create_keys(&input.tags);
    let extra: Vec<(&str, &str)> = input
        .permissions_boundary
        .map(|b| ("iam:PermissionsBoundary", b))
        .into_iter()
        .chain(tag_keys.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    svc.authorize(caller, "iam:CreateRole", &arn, None, &extra)?;
    super::tags::authorize_create_tags(
        svc,
        caller,
        super::tags::Taggable::Role,
        &arn,
        &input.tags,
    )?;
    super::policies::check_trust_document(input.trust_policy)?;
    if let Some(b) = input.permissions_boundary {
        super::managed::check_boundary(&svc.read(), &caller.account, b)?;
    }
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
            permissions_boundary: input.permissions_boundary.map(str::to_owned),
            tags: input.tags.clone(),
            linked_service: None,
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
        &crate::ident::Arn::iam(&caller.account, "role/").to_string(),
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
    let r = modifiable_role_for(svc, caller, "iam:DeleteRole", name)?;
    if !r.inline_policies.is_empty() || !r.attached_policies.is_empty() {
        return Err(CoreError::DeleteConflict(
            "Cannot delete entity, must delete policies first.".into(),
        ));
    }
    svc.mutate(|state| {
        if !super::instance_profiles::profiles_of_role(state, &r.account, &r.name).is_empty() {
            return Err(CoreError::DeleteConflict(
                "Cannot delete entity, must remove roles from instance profile first.".into(),
            ));
        }
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
    modifiable_role_for(svc, caller, "iam:PutRolePolicy", role)?;
    let size = super::policies::check_document_syntax(doc)?;
    svc.mutate(|state| {
        let mut r = state
            .role(&caller.account, role)
            .cloned()
            .ok_or_else(|| no_such_role(role))?;
        super::policies::check_inline_total(
            size,
            policy_name,
            &r.inline_policies,
            ("role", &r.name, super::policies::ROLE_POLICY_SIZE),
        )?;
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
    modifiable_role_for(svc, caller, "iam:AttachRolePolicy", role)?;
    super::managed::check_attachable(&svc.read(), &caller.account, policy_arn)?;
    svc.mutate(|state| {
        let mut r = state
            .role(&caller.account, role)
            .cloned()
            .ok_or_else(|| no_such_role(role))?;
        if !r.attached_policies.iter().any(|a| a == policy_arn) {
            if r.attached_policies.len() >= 20 {
                return Err(CoreError::LimitExceeded(
                    "Cannot exceed quota for PoliciesPerRole: 20".into(),
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
    modifiable_role_for(svc, caller, "iam:DetachRolePolicy", role)?;
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

/// Re-reads the role inside a mutation, applies `f` and stores it.
fn update(
    svc: &Service,
    caller: &Caller,
    name: &str,
    f: impl FnOnce(&mut Role) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    svc.mutate(|state| {
        let mut r = state
            .role(&caller.account, name)
            .cloned()
            .ok_or_else(|| no_such_role(name))?;
        f(&mut r)?;
        Ok(((), vec![Change::Put(Record::Role(r))]))
    })
}

fn no_such_role_policy(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The role policy with name {name} cannot be found."))
}

/// `iam:GetRolePolicy`.
pub fn get_role_policy(
    svc: &Service,
    caller: &Caller,
    role: &str,
    policy_name: &str,
) -> Result<String, CoreError> {
    let r = role_for(svc, caller, "iam:GetRolePolicy", role)?;
    r.inline_policies
        .get(policy_name)
        .cloned()
        .ok_or_else(|| no_such_role_policy(policy_name))
}

/// `iam:DeleteRolePolicy`.
pub fn delete_role_policy(
    svc: &Service,
    caller: &Caller,
    role: &str,
    policy_name: &str,
) -> Result<(), CoreError> {
    modifiable_role_for(svc, caller, "iam:DeleteRolePolicy", role)?;
    update(svc, caller, role, |r| {
        r.inline_policies
            .remove(policy_name)
            .map(|_| ())
            .ok_or_else(|| no_such_role_policy(policy_name))
    })
}

/// `iam:ListRolePolicies`.
pub fn list_role_policies(
    svc: &Service,
    caller: &Caller,
    role: &str,
) -> Result<Vec<String>, CoreError> {
    let r = role_for(svc, caller, "iam:ListRolePolicies", role)?;
    Ok(r.inline_policies.keys().cloned().collect())
}

/// `iam:ListAttachedRolePolicies`: (name, ARN) pairs.
pub fn list_attached_role_policies(
    svc: &Service,
    caller: &Caller,
    role: &str,
    path_prefix: Option<&str>,
) -> Result<Vec<(String, String)>, CoreError> {
    let r = role_for(svc, caller, "iam:ListAttachedRolePolicies", role)?;
    Ok(super::groups::attached_names(
        svc,
        &r.attached_policies,
        path_prefix,
    ))
}

/// `iam:PutRolePermissionsBoundary` / `iam:DeleteRolePermissionsBoundary`.
pub fn set_role_permissions_boundary(
    svc: &Service,
    caller: &Caller,
    role: &str,
    policy_arn: Option<&str>,
) -> Result<(), CoreError> {
    let action = if policy_arn.is_some() {
        "iam:PutRolePermissionsBoundary"
    } else {
        "iam:DeleteRolePermissionsBoundary"
    };
    let extra: Vec<(&str, &str)> = policy_arn
        .map(|b| ("iam:PermissionsBoundary", b))
        .into_iter()
        .collect();
    svc.authorize(caller, action, &role_arn(svc, caller, role), None, &extra)?;
    if let Some(b) = policy_arn {
        super::managed::check_boundary(&svc.read(), &caller.account, b)?;
    }
    update(svc, caller, role, |r| {
        super::service_linked_roles::check_modifiable(r)?;
        if policy_arn.is_none() && r.permissions_boundary.is_none() {
            return Err(CoreError::NoSuchEntity(format!(
                "The role {} has no permissions boundary.",
                r.name
            )));
        }
        r.permissions_boundary = policy_arn.map(str::to_owned);
        Ok(())
    })
}

/// `iam:UpdateRole`: description and longest session.
pub fn update_role(
    svc: &Service,
    caller: &Caller,
    role: &str,
    description: Option<&str>,
    max_session_duration: Option<i64>,
) -> Result<(), CoreError> {
    // `MaxSessionDuration` (3,600–43,200 s) is the model's, checked on decode.
    // `Description` (at most 1,000 characters) is the model's, checked on
    // decode.
    let r = role_for(svc, caller, "iam:UpdateRole", role)?;
    // A service-linked role's description may be edited (AWS's guide to
    // service-linked roles); its longest session may not [UNCONFIRMED].
    if max_session_duration.is_some() {
        super::service_linked_roles::check_modifiable(&r)?;
    }
    update(svc, caller, role, |r| {
        if let Some(d) = description {
            r.description = Some(d.to_owned());
        }
        if let Some(m) = max_session_duration {
            r.max_session_duration = m;
        }
        Ok(())
    })
}

/// `iam:UpdateRoleDescription`: the description alone; the role as it now
/// is.
pub fn update_role_description(
    svc: &Service,
    caller: &Caller,
    role: &str,
    description: &str,
) -> Result<Role, CoreError> {
    // `Description` (at most 1,000 characters) is the model's, checked on
    // decode.
    role_for(svc, caller, "iam:UpdateRoleDescription", role)?;
    svc.mutate(|state| {
        let mut r = state
            .role(&caller.account, role)
            .cloned()
            .ok_or_else(|| no_such_role(role))?;
        r.description = Some(description.to_owned());
        Ok((r.clone(), vec![Change::Put(Record::Role(r))]))
    })
}

/// `iam:UpdateAssumeRolePolicy`.
pub fn update_assume_role_policy(
    svc: &Service,
    caller: &Caller,
    role: &str,
    document: &str,
) -> Result<(), CoreError> {
    modifiable_role_for(svc, caller, "iam:UpdateAssumeRolePolicy", role)?;
    super::policies::check_trust_document(document)?;
    update(svc, caller, role, |r| {
        document.clone_into(&mut r.trust_policy);
        Ok(())
    })
}
