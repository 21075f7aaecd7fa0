//! IAM groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
//! membership, and the group's inline and attached policies. A user's groups'
//! policies take part in its authorization (see `authz`).

use crate::authz::Caller;
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, Group, Record, User, table, user_key};
use crate::service::Service;

use super::managed::check_attachable;
use super::{check_name, check_path};

/// `GroupsPerUserQuota`.
pub const GROUPS_PER_USER: usize = 10;
/// `AttachedPoliciesPerGroupQuota`.
pub const POLICIES_PER_GROUP: usize = 10;
/// `GroupsQuota`.
pub const GROUPS_QUOTA: usize = 300;

fn no_such_group(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The group with name {name} cannot be found."))
}

fn no_such_user(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The user with name {name} cannot be found."))
}

fn group_arn(svc: &Service, caller: &Caller, name: &str) -> String {
    svc.read()
        .group(&caller.account, name)
        .map(Group::arn)
        .unwrap_or_else(|| crate::ident::Arn::group(&caller.account, "/", name).to_string())
}

/// Authorizes `action` on the group, then returns it.
fn group_for(svc: &Service, caller: &Caller, action: &str, name: &str) -> Result<Group, CoreError> {
    svc.authorize(caller, action, &group_arn(svc, caller, name), None, &[])?;
    svc.read()
        .group(&caller.account, name)
        .cloned()
        .ok_or_else(|| no_such_group(name))
}

/// Re-reads the group inside a mutation, applies `f` and stores it.
fn update(
    svc: &Service,
    caller: &Caller,
    name: &str,
    f: impl FnOnce(&mut Group) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    svc.mutate(|state| {
        let mut g = state
            .group(&caller.account, name)
            .cloned()
            .ok_or_else(|| no_such_group(name))?;
        f(&mut g)?;
        Ok(((), vec![Change::Put(Record::Group(g))]))
    })
}

/// `iam:CreateGroup`.
pub fn create_group(
    svc: &Service,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
) -> Result<Group, CoreError> {
    check_name("groupName", name, 128)?;
    let path = path.unwrap_or("/");
    check_path(path)?;
    let arn = crate::ident::Arn::group(&caller.account, path, name).to_string();
    svc.authorize(caller, "iam:CreateGroup", &arn, None, &[])?;
    let now = svc.now();
    svc.mutate(|state| {
        if state.group(&caller.account, name).is_some() {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Group with name {name} already exists."
            )));
        }
        if state.groups_of(&caller.account).count() >= GROUPS_QUOTA {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for GroupsPerAccount: {GROUPS_QUOTA}"
            )));
        }
        let g = Group {
            account: caller.account.clone(),
            name: name.to_owned(),
            path: path.to_owned(),
            id: ids::unique_id("AGPA"),
            created: now,
            members: Vec::new(),
            inline_policies: Default::default(),
            attached_policies: Vec::new(),
        };
        Ok((g.clone(), vec![Change::Put(Record::Group(g))]))
    })
}

/// `iam:GetGroup`: the group and its users, in the order they were added.
pub fn get_group(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<(Group, Vec<User>), CoreError> {
    let g = group_for(svc, caller, "iam:GetGroup", name)?;
    let state = svc.read();
    let users = g
        .members
        .iter()
        .filter_map(|m| state.user(&caller.account, m).cloned())
        .collect();
    Ok((g, users))
}

/// `iam:ListGroups` with `PathPrefix`.
pub fn list_groups(
    svc: &Service,
    caller: &Caller,
    path_prefix: Option<&str>,
) -> Result<Vec<Group>, CoreError> {
    svc.authorize(
        caller,
        "iam:ListGroups",
        &crate::ident::Arn::iam(&caller.account, "group/").to_string(),
        None,
        &[],
    )?;
    let prefix = path_prefix.unwrap_or("/");
    Ok(svc
        .read()
        .groups_of(&caller.account)
        .filter(|g| g.path.starts_with(prefix))
        .cloned()
        .collect())
}

/// `iam:ListGroupsForUser`.
pub fn list_groups_for_user(
    svc: &Service,
    caller: &Caller,
    user: &str,
) -> Result<Vec<Group>, CoreError> {
    let arn = svc
        .read()
        .user(&caller.account, user)
        .map(User::arn)
        .unwrap_or_else(|| crate::ident::Arn::user(&caller.account, "/", user).to_string());
    svc.authorize(caller, "iam:ListGroupsForUser", &arn, None, &[])?;
    let state = svc.read();
    let u = state
        .user(&caller.account, user)
        .ok_or_else(|| no_such_user(user))?;
    Ok(state
        .groups_for_user(&caller.account, &u.name)
        .cloned()
        .collect())
}

/// `iam:UpdateGroup`: new name and/or path.
pub fn update_group(
    svc: &Service,
    caller: &Caller,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), CoreError> {
    if let Some(n) = new_name {
        check_name("newGroupName", n, 128)?;
    }
    if let Some(p) = new_path {
        check_path(p)?;
    }
    let g = group_for(svc, caller, "iam:UpdateGroup", name)?;
    if let Some(n) = new_name {
        let path = new_path.unwrap_or(&g.path);
        let arn = crate::ident::Arn::group(&caller.account, path, n).to_string();
        svc.authorize(caller, "iam:UpdateGroup", &arn, None, &[])?;
    }
    svc.mutate(|state| {
        let mut g = state
            .group(&caller.account, name)
            .cloned()
            .ok_or_else(|| no_such_group(name))?;
        let old_key = user_key(&g.account, &g.name);
        if let Some(n) = new_name {
            if !n.eq_ignore_ascii_case(&g.name) && state.group(&caller.account, n).is_some() {
                return Err(CoreError::EntityAlreadyExists(format!(
                    "Group with name {n} already exists."
                )));
            }
            n.clone_into(&mut g.name);
        }
        if let Some(p) = new_path {
            p.clone_into(&mut g.path);
        }
        let mut changes = Vec::with_capacity(2);
        if user_key(&g.account, &g.name) != old_key {
            changes.push(Change::Delete(table::GROUPS, old_key));
        }
        changes.push(Change::Put(Record::Group(g)));
        Ok(((), changes))
    })
}

/// `iam:DeleteGroup`: refused while it has members or policies.
pub fn delete_group(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    group_for(svc, caller, "iam:DeleteGroup", name)?;
    svc.mutate(|state| {
        let g = state
            .group(&caller.account, name)
            .ok_or_else(|| no_such_group(name))?;
        if !g.members.is_empty() {
            return Err(CoreError::DeleteConflict(
                "Cannot delete entity, must remove users from group first.".into(),
            ));
        }
        if !g.inline_policies.is_empty() || !g.attached_policies.is_empty() {
            return Err(CoreError::DeleteConflict(
                "Cannot delete entity, must delete policies first.".into(),
            ));
        }
        Ok((
            (),
            vec![Change::Delete(table::GROUPS, user_key(&g.account, &g.name))],
        ))
    })
}

/// `iam:AddUserToGroup` (adding a member twice is not an error).
pub fn add_user_to_group(
    svc: &Service,
    caller: &Caller,
    group: &str,
    user: &str,
) -> Result<(), CoreError> {
    group_for(svc, caller, "iam:AddUserToGroup", group)?;
    svc.mutate(|state| {
        let u = state
            .user(&caller.account, user)
            .ok_or_else(|| no_such_user(user))?;
        let mut g = state
            .group(&caller.account, group)
            .cloned()
            .ok_or_else(|| no_such_group(group))?;
        if g.members.iter().any(|m| m.eq_ignore_ascii_case(&u.name)) {
            return Ok(((), Vec::new()));
        }
        if state.groups_for_user(&caller.account, &u.name).count() >= GROUPS_PER_USER {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}"
            )));
        }
        g.members.push(u.name.clone());
        Ok(((), vec![Change::Put(Record::Group(g))]))
    })
}

/// `iam:RemoveUserFromGroup`.
pub fn remove_user_from_group(
    svc: &Service,
    caller: &Caller,
    group: &str,
    user: &str,
) -> Result<(), CoreError> {
    group_for(svc, caller, "iam:RemoveUserFromGroup", group)?;
    update(svc, caller, group, |g| {
        let before = g.members.len();
        g.members.retain(|m| !m.eq_ignore_ascii_case(user));
        if g.members.len() == before {
            return Err(no_such_user(user));
        }
        Ok(())
    })
}

/// `iam:PutGroupPolicy`.
pub fn put_group_policy(
    svc: &Service,
    caller: &Caller,
    group: &str,
    policy_name: &str,
    doc: &str,
) -> Result<(), CoreError> {
    check_name("policyName", policy_name, 128)?;
    group_for(svc, caller, "iam:PutGroupPolicy", group)?;
    let size = super::policies::check_document_syntax(doc)?;
    update(svc, caller, group, |g| {
        super::policies::check_inline_total(
            size,
            policy_name,
            &g.inline_policies,
            ("group", &g.name, super::policies::GROUP_POLICY_SIZE),
        )?;
        g.inline_policies
            .insert(policy_name.to_owned(), doc.to_owned());
        Ok(())
    })
}

fn no_such_policy(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "The group policy with name {name} cannot be found."
    ))
}

/// `iam:GetGroupPolicy`.
pub fn get_group_policy(
    svc: &Service,
    caller: &Caller,
    group: &str,
    policy_name: &str,
) -> Result<String, CoreError> {
    let g = group_for(svc, caller, "iam:GetGroupPolicy", group)?;
    g.inline_policies
        .get(policy_name)
        .cloned()
        .ok_or_else(|| no_such_policy(policy_name))
}

/// `iam:DeleteGroupPolicy`.
pub fn delete_group_policy(
    svc: &Service,
    caller: &Caller,
    group: &str,
    policy_name: &str,
) -> Result<(), CoreError> {
    group_for(svc, caller, "iam:DeleteGroupPolicy", group)?;
    update(svc, caller, group, |g| {
        g.inline_policies
            .remove(policy_name)
            .map(|_| ())
            .ok_or_else(|| no_such_policy(policy_name))
    })
}

/// `iam:ListGroupPolicies`.
pub fn list_group_policies(
    svc: &Service,
    caller: &Caller,
    group: &str,
) -> Result<Vec<String>, CoreError> {
    let g = group_for(svc, caller, "iam:ListGroupPolicies", group)?;
    Ok(g.inline_policies.keys().cloned().collect())
}

/// `iam:AttachGroupPolicy`.
pub fn attach_group_policy(
    svc: &Service,
    caller: &Caller,
    group: &str,
    policy_arn: &str,
) -> Result<(), CoreError> {
    group_for(svc, caller, "iam:AttachGroupPolicy", group)?;
    check_attachable(&svc.read(), &caller.account, policy_arn)?;
    update(svc, caller, group, |g| {
        if !g.attached_policies.iter().any(|a| a == policy_arn) {
            if g.attached_policies.len() >= POLICIES_PER_GROUP {
                return Err(CoreError::LimitExceeded(format!(
                    "Cannot exceed quota for PoliciesPerGroup: {POLICIES_PER_GROUP}"
                )));
            }
            g.attached_policies.push(policy_arn.to_owned());
        }
        Ok(())
    })
}

/// `iam:DetachGroupPolicy`.
pub fn detach_group_policy(
    svc: &Service,
    caller: &Caller,
    group: &str,
    policy_arn: &str,
) -> Result<(), CoreError> {
    group_for(svc, caller, "iam:DetachGroupPolicy", group)?;
    update(svc, caller, group, |g| {
        let before = g.attached_policies.len();
        g.attached_policies.retain(|a| a != policy_arn);
        if g.attached_policies.len() == before {
            return Err(CoreError::NoSuchEntity(format!(
                "Policy {policy_arn} was not found."
            )));
        }
        Ok(())
    })
}

/// `iam:ListAttachedGroupPolicies`: (name, ARN) pairs, filtered by the policies' path.
pub fn list_attached_group_policies(
    svc: &Service,
    caller: &Caller,
    group: &str,
    path_prefix: Option<&str>,
) -> Result<Vec<(String, String)>, CoreError> {
    let g = group_for(svc, caller, "iam:ListAttachedGroupPolicies", group)?;
    Ok(attached_names(svc, &g.attached_policies, path_prefix))
}

/// (name, ARN) of attached managed policies whose path starts with the prefix.
pub fn attached_names(
    svc: &Service,
    arns: &[String],
    path_prefix: Option<&str>,
) -> Vec<(String, String)> {
    let state = svc.read();
    let prefix = path_prefix.unwrap_or("/");
    arns.iter()
        .filter_map(|arn| state.managed_policy_name(arn).map(|np| (np, arn)))
        .filter(|((_, path), _)| path.starts_with(prefix))
        .map(|((name, _), arn)| (name.to_owned(), arn.clone()))
        .collect()
}
