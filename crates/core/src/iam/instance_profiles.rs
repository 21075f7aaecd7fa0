//! Instance profiles: CreateInstanceProfile, GetInstanceProfile,
//! ListInstanceProfiles, ListInstanceProfilesForRole,
//! AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile,
//! DeleteInstanceProfile. A profile holds at most one role, and a role in a
//! profile cannot be deleted.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, InstanceProfile, Record, Role, Tag, table, user_key};
use crate::service::Service;
use crate::state::State;

use super::{check_name, check_path};

/// Most roles in one instance profile.
pub const ROLES_PER_PROFILE: usize = 1;
/// Instance profiles per account (`InstanceProfilesQuota`).
pub const PROFILES_QUOTA: usize = 1000;

fn no_such(name: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("Instance Profile {name} cannot be found."))
}

/// The instance profiles a role is in.
pub fn profiles_of_role<'a>(
    state: &'a State,
    account: &str,
    role: &str,
) -> Vec<&'a InstanceProfile> {
    let prefix = format!("{account}/");
    state
        .instance_profiles
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, p)| p)
        .filter(|p| p.roles.iter().any(|r| r.eq_ignore_ascii_case(role)))
        .collect()
}

/// A profile with its roles resolved (the answers show the whole `Role`).
#[derive(Debug, Clone)]
pub struct ProfileInfo {
    /// The profile.
    pub profile: InstanceProfile,
    /// Its roles.
    pub roles: Vec<Role>,
}

fn info(state: &State, p: &InstanceProfile) -> ProfileInfo {
    ProfileInfo {
        profile: p.clone(),
        roles: p
            .roles
            .iter()
            .filter_map(|r| state.role(&p.account, r).cloned())
            .collect(),
    }
}

fn profile_arn(svc: &Service, caller: &Caller, name: &str) -> String {
    svc.read()
        .instance_profiles
        .get(&user_key(&caller.account, name))
        .map(InstanceProfile::arn)
        .unwrap_or_else(|| {
            crate::ident::Arn::instance_profile(&caller.account, "/", name).to_string()
        })
}

/// `iam:CreateInstanceProfile`.
pub fn create_instance_profile(
    svc: &Service,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
    tags: &[Tag],
) -> Result<ProfileInfo, CoreError> {
    check_name("instanceProfileName", name, 128)?;
    let path = path.unwrap_or("/");
    check_path(path)?;
    super::tags::check_tags(tags)?;
    let arn = crate::ident::Arn::instance_profile(&caller.account, path, name).to_string();
    let keys = super::tags::create_keys(tags);
    let extra: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    svc.authorize(caller, "iam:CreateInstanceProfile", &arn, None, &extra)?;
    super::tags::authorize_create_tags(
        svc,
        caller,
        super::tags::Taggable::InstanceProfile,
        &arn,
        tags,
    )?;
    let now = svc.now();
    svc.mutate(|state| {
        let key = user_key(&caller.account, name);
        if state.instance_profiles.contains_key(&key) {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Instance Profile {name} already exists."
            )));
        }
        let prefix = format!("{}/", caller.account);
        let count = state
            .instance_profiles
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .count();
        if count >= PROFILES_QUOTA {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for InstanceProfilesPerAccount: {PROFILES_QUOTA}"
            )));
        }
        let p = InstanceProfile {
            account: caller.account.clone(),
            name: name.to_owned(),
            path: path.to_owned(),
            id: ids::unique_id("AIPA"),
            created: now,
            roles: Vec::new(),
            tags: tags.to_vec(),
        };
        Ok((
            ProfileInfo {
                profile: p.clone(),
                roles: Vec::new(),
            },
            vec![Change::Put(Record::InstanceProfile(p))],
        ))
    })
}

/// `iam:GetInstanceProfile`.
pub fn get_instance_profile(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<ProfileInfo, CoreError> {
    svc.authorize(
        caller,
        "iam:GetInstanceProfile",
        &profile_arn(svc, caller, name),
        None,
        &[],
    )?;
    let state = svc.read();
    state
        .instance_profiles
        .get(&user_key(&caller.account, name))
        .map(|p| info(&state, p))
        .ok_or_else(|| no_such(name))
}

/// `iam:ListInstanceProfiles` with `PathPrefix`, in name order.
pub fn list_instance_profiles(
    svc: &Service,
    caller: &Caller,
    path_prefix: Option<&str>,
) -> Result<Vec<ProfileInfo>, CoreError> {
    svc.authorize(
        caller,
        "iam:ListInstanceProfiles",
        &crate::ident::Arn::iam(&caller.account, "instance-profile/").to_string(),
        None,
        &[],
    )?;
    let state = svc.read();
    let prefix = format!("{}/", caller.account);
    let path = path_prefix.unwrap_or("/");
    Ok(state
        .instance_profiles
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, p)| p)
        .filter(|p| p.path.starts_with(path))
        .map(|p| info(&state, p))
        .collect())
}

/// `iam:ListInstanceProfilesForRole`.
pub fn list_instance_profiles_for_role(
    svc: &Service,
    caller: &Caller,
    role: &str,
) -> Result<Vec<ProfileInfo>, CoreError> {
    let arn = svc
        .read()
        .role(&caller.account, role)
        .map(Role::arn)
        .unwrap_or_else(|| crate::ident::Arn::role(&caller.account, "/", role).to_string());
    svc.authorize(caller, "iam:ListInstanceProfilesForRole", &arn, None, &[])?;
    let state = svc.read();
    if state.role(&caller.account, role).is_none() {
        return Err(CoreError::NoSuchEntity(format!(
            "The role with name {role} cannot be found."
        )));
    }
    Ok(profiles_of_role(&state, &caller.account, role)
        .into_iter()
        .map(|p| info(&state, p))
        .collect())
}

/// `iam:AddRoleToInstanceProfile`: at most one role per profile
/// (`LimitExceeded`).
pub fn add_role_to_instance_profile(
    svc: &Service,
    caller: &Caller,
    name: &str,
    role: &str,
) -> Result<(), CoreError> {
    svc.authorize(
        caller,
        "iam:AddRoleToInstanceProfile",
        &profile_arn(svc, caller, name),
        None,
        &[],
    )?;
    svc.mutate(|state| {
        let mut p = state
            .instance_profiles
            .get(&user_key(&caller.account, name))
            .cloned()
            .ok_or_else(|| no_such(name))?;
        let r = state.role(&caller.account, role).ok_or_else(|| {
            CoreError::NoSuchEntity(format!("The role with name {role} cannot be found."))
        })?;
        super::service_linked_roles::check_modifiable(r)?;
        if p.roles.iter().any(|x| x.eq_ignore_ascii_case(role)) {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Role {role} is already associated with instance profile {name}."
            )));
        }
        if p.roles.len() >= ROLES_PER_PROFILE {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for InstanceSessionsPerInstanceProfile: {ROLES_PER_PROFILE}"
            )));
        }
        p.roles.push(r.name.clone());
        Ok(((), vec![Change::Put(Record::InstanceProfile(p))]))
    })
}

/// `iam:RemoveRoleFromInstanceProfile`.
pub fn remove_role_from_instance_profile(
    svc: &Service,
    caller: &Caller,
    name: &str,
    role: &str,
) -> Result<(), CoreError> {
    svc.authorize(
        caller,
        "iam:RemoveRoleFromInstanceProfile",
        &profile_arn(svc, caller, name),
        None,
        &[],
    )?;
    svc.mutate(|state| {
        let mut p = state
            .instance_profiles
            .get(&user_key(&caller.account, name))
            .cloned()
            .ok_or_else(|| no_such(name))?;
        let before = p.roles.len();
        p.roles.retain(|x| !x.eq_ignore_ascii_case(role));
        if p.roles.len() == before {
            return Err(CoreError::NoSuchEntity(format!(
                "The role with name {role} cannot be found."
            )));
        }
        Ok(((), vec![Change::Put(Record::InstanceProfile(p))]))
    })
}

/// `iam:DeleteInstanceProfile`: refused while it holds a role.
pub fn delete_instance_profile(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<(), CoreError> {
    svc.authorize(
        caller,
        "iam:DeleteInstanceProfile",
        &profile_arn(svc, caller, name),
        None,
        &[],
    )?;
    svc.mutate(|state| {
        let key = user_key(&caller.account, name);
        let p = state
            .instance_profiles
            .get(&key)
            .ok_or_else(|| no_such(name))?;
        if !p.roles.is_empty() {
            return Err(CoreError::DeleteConflict(
                "Cannot delete entity, must remove roles from instance profile first.".into(),
            ));
        }
        Ok((
            (),
            vec![Change::Delete(table::INSTANCE_PROFILES, key.clone())],
        ))
    })
}
