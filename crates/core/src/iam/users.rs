//! IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser.

use crate::authz::{Caller, CallerKind};
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, KeyOwner, Record, Tag, User, login_profile_key, table, user_key};
use crate::service::Service;

use super::{check_name, check_path};

fn no_such_user(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The user with name {name} cannot be found."))
}

/// `iam:CreateUser`.
pub fn create_user(
    svc: &Service,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
) -> Result<User, CoreError> {
    create_user_with_boundary(svc, caller, name, path, None)
}

/// `iam:CreateUser` with its `PermissionsBoundary` parameter.
pub fn create_user_with_boundary(
    svc: &Service,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
    boundary: Option<&str>,
) -> Result<User, CoreError> {
    create_user_tagged(svc, caller, name, path, boundary, &[])
}

/// `iam:CreateUser` with `PermissionsBoundary` and `Tags` (which also need
/// `iam:TagUser`, with `aws:RequestTag/…` and `aws:TagKeys`).
pub fn create_user_tagged(
    svc: &Service,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
    boundary: Option<&str>,
    tags: &[Tag],
) -> Result<User, CoreError> {
    check_name("userName", name, 64)?;
    let path = path.unwrap_or("/");
    check_path(path)?;
    super::tags::check_tags(tags)?;
    let arn = crate::ident::Arn::user(&caller.account, path, name).to_string();
    let tag_keys = super::tags::create_keys(tags);
    let extra: Vec<(&str, &str)> = boundary
        .map(|b| ("iam:PermissionsBoundary", b))
        .into_iter()
        .chain(tag_keys.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    svc.authorize(caller, "iam:CreateUser", &arn, None, &extra)?;
    super::tags::authorize_create_tags(svc, caller, super::tags::Taggable::User, &arn, tags)?;
    if let Some(b) = boundary {
        super::managed::check_boundary(&svc.read(), &caller.account, b)?;
    }
    let now = svc.now();
    svc.mutate(|state| {
        if state.user(&caller.account, name).is_some() {
            return Err(CoreError::EntityAlreadyExists(format!(
                "User with name {name} already exists."
            )));
        }
        let user = User {
            account: caller.account.clone(),
            name: name.to_owned(),
            path: path.to_owned(),
            id: ids::unique_id("AIDA"),
            created: now,
            inline_policies: Default::default(),
            attached_policies: Vec::new(),
            permissions_boundary: boundary.map(str::to_owned),
            password_last_used: None,
            tags: tags.to_vec(),
        };
        Ok((user.clone(), vec![Change::Put(Record::User(user))]))
    })
}

/// `iam:GetUser`: the named user, or the caller itself without a name.
/// Root callers without a name get `None` (the root `User` element is built by
/// the wire layer, spec 02 §2.6.3).
pub fn get_user(
    svc: &Service,
    caller: &Caller,
    name: Option<&str>,
) -> Result<Option<User>, CoreError> {
    let name = match (name, &caller.kind) {
        (Some(n), _) => n.to_owned(),
        (None, CallerKind::User { name, .. }) => name.clone(),
        (None, CallerKind::Root) => {
            svc.authorize(
                caller,
                "iam:GetUser",
                &crate::ident::Arn::root(&caller.account).to_string(),
                None,
                &[],
            )?;
            return Ok(None);
        }
        (None, CallerKind::Role { .. }) => {
            return Err(CoreError::Validation(
                "Must specify userName when calling with non-User credentials".into(),
            ));
        }
    };
    let state = svc.read();
    let arn = state
        .user(&caller.account, &name)
        .map(User::arn)
        .unwrap_or_else(|| crate::ident::Arn::user(&caller.account, "/", &name).to_string());
    drop(state);
    svc.authorize(caller, "iam:GetUser", &arn, None, &[])?;
    svc.read()
        .user(&caller.account, &name)
        .cloned()
        .map(Some)
        .ok_or_else(|| no_such_user(&name))
}

/// `iam:ListUsers` with `PathPrefix`.
pub fn list_users(
    svc: &Service,
    caller: &Caller,
    path_prefix: Option<&str>,
) -> Result<Vec<User>, CoreError> {
    svc.authorize(
        caller,
        "iam:ListUsers",
        &crate::ident::Arn::iam(&caller.account, "user/").to_string(),
        None,
        &[],
    )?;
    let prefix = path_prefix.unwrap_or("/");
    Ok(svc
        .read()
        .users_of(&caller.account)
        .filter(|u| u.path.starts_with(prefix))
        .cloned()
        .collect())
}

/// `iam:UpdateUser`: a new name and/or path. The user id stays; everything
/// held under the user's name moves with it: access keys, the login
/// profile, assigned MFA devices, signing certificates and group
/// memberships (inline and attached policies, the boundary and tags are on
/// the user's record). AWS requires `iam:UpdateUser` on both the user's
/// current ARN and its ARN after the change; both are checked.
pub fn update_user(
    svc: &Service,
    caller: &Caller,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), CoreError> {
    if let Some(n) = new_name {
        check_name("newUserName", n, 64)?;
    }
    if let Some(p) = new_path {
        check_path(p)?;
    }
    let current = svc.read().user(&caller.account, name).cloned();
    let arn = current
        .as_ref()
        .map(User::arn)
        .unwrap_or_else(|| crate::ident::Arn::user(&caller.account, "/", name).to_string());
    svc.authorize(caller, "iam:UpdateUser", &arn, None, &[])?;
    let current = current.ok_or_else(|| no_such_user(name))?;
    if new_name.is_some() || new_path.is_some() {
        let target = crate::ident::Arn::user(
            &caller.account,
            new_path.unwrap_or(&current.path),
            new_name.unwrap_or(&current.name),
        )
        .to_string();
        if target != arn {
            svc.authorize(caller, "iam:UpdateUser", &target, None, &[])?;
        }
    }
    svc.mutate(|state| {
        let mut u = state
            .user(&caller.account, name)
            .cloned()
            .ok_or_else(|| no_such_user(name))?;
        let old_name = u.name.clone();
        if let Some(n) = new_name {
            if !n.eq_ignore_ascii_case(&old_name) && state.user(&caller.account, n).is_some() {
                return Err(CoreError::EntityAlreadyExists(format!(
                    "User with name {n} already exists."
                )));
            }
            n.clone_into(&mut u.name);
        }
        if let Some(p) = new_path {
            p.clone_into(&mut u.path);
        }
        let mut changes = Vec::new();
        let old_key = user_key(&u.account, &old_name);
        if user_key(&u.account, &u.name) != old_key {
            changes.push(Change::Delete(table::USERS, old_key));
        }
        if u.name != old_name {
            changes.extend(rename_owned(state, &caller.account, &old_name, &u.name));
        }
        changes.push(Change::Put(Record::User(u)));
        Ok(((), changes))
    })
}

/// The changes that move what is held under user `old` to user `new`
/// (names compare case-insensitively, as IAM's do).
fn rename_owned(state: &crate::state::State, account: &str, old: &str, new: &str) -> Vec<Change> {
    let owned_by_old = |o: &KeyOwner| matches!(o, KeyOwner::User(n) if n.eq_ignore_ascii_case(old));
    let new_owner = KeyOwner::User(new.to_owned());
    let mut changes = Vec::new();
    for k in state.access_keys.values() {
        if k.account == account && owned_by_old(&k.owner) {
            let mut k = k.clone();
            k.owner = new_owner.clone();
            changes.push(Change::Put(Record::AccessKey(k)));
        }
    }
    let old_profile = login_profile_key(account, &KeyOwner::User(old.to_owned()));
    if let Some(l) = state.login_profiles.get(&old_profile) {
        let mut l = l.clone();
        l.owner = new_owner.clone();
        if login_profile_key(account, &l.owner) != old_profile {
            changes.push(Change::Delete(table::LOGIN_PROFILES, old_profile));
        }
        changes.push(Change::Put(Record::LoginProfile(l)));
    }
    for d in state.mfa_devices_of(account) {
        if d.owner.as_ref().is_some_and(owned_by_old) {
            let mut d = d.clone();
            d.owner = Some(new_owner.clone());
            changes.push(Change::Put(Record::MfaDevice(d)));
        }
    }
    for c in state.signing_certificates.values() {
        if c.account == account && owned_by_old(&c.owner) {
            let mut c = c.clone();
            c.owner = new_owner.clone();
            changes.push(Change::Put(Record::SigningCertificate(c)));
        }
    }
    for g in state.groups_for_user(account, old) {
        let mut g = g.clone();
        for m in &mut g.members {
            if m.eq_ignore_ascii_case(old) {
                new.clone_into(m);
            }
        }
        changes.push(Change::Put(Record::Group(g)));
    }
    changes
}

/// `iam:DeleteUser`: refused while the user still has keys or policies.
pub fn delete_user(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    let arn = svc
        .read()
        .user(&caller.account, name)
        .map(User::arn)
        .unwrap_or_else(|| crate::ident::Arn::user(&caller.account, "/", name).to_string());
    svc.authorize(caller, "iam:DeleteUser", &arn, None, &[])?;
    svc.mutate(|state| {
        let user = state.user(&caller.account, name).ok_or_else(|| no_such_user(name))?;
        let has_keys = state.access_keys.values().any(|k| {
            k.account == caller.account
                && matches!(&k.owner, crate::model::KeyOwner::User(n) if n.eq_ignore_ascii_case(name))
        });
        if has_keys || !user.inline_policies.is_empty() || !user.attached_policies.is_empty() {
            return Err(CoreError::DeleteConflict("Cannot delete entity, must delete policies and access keys first.".into()));
        }
        if state.groups_for_user(&caller.account, &user.name).next().is_some() {
            return Err(CoreError::DeleteConflict("Cannot delete entity, must remove users from group first.".into()));
        }
        let profile = crate::model::login_profile_key(&caller.account, &crate::model::KeyOwner::User(user.name.clone()));
        if state.login_profiles.contains_key(&profile) {
            return Err(CoreError::DeleteConflict("Cannot delete entity, must delete login profile first.".into()));
        }
        let owner = crate::model::KeyOwner::User(user.name.clone());
        if !state.mfa_devices_for(&caller.account, &owner).is_empty() {
            return Err(CoreError::DeleteConflict("Cannot delete entity, must remove MFA devices first.".into()));
        }
        if !state.certificates_for(&caller.account, &owner).is_empty() {
            return Err(CoreError::DeleteConflict("Cannot delete entity, must delete signing certificates first.".into()));
        }
        Ok(((), vec![Change::Delete(table::USERS, user_key(&caller.account, name))]))
    })
}
