//! Tags of IAM users, roles and customer-managed policies: TagUser,
//! UntagUser, ListUserTags and the same for roles and policies, the `Tags`
//! of the create calls, and the condition keys tags feed
//! (`aws:RequestTag/…`, `aws:TagKeys`, `aws:ResourceTag/…`,
//! `iam:ResourceTag/…`, `aws:PrincipalTag/…`).

use crate::authz::{Caller, CallerKind};
use crate::error::CoreError;
use crate::model::{Change, Record, Tag};
use crate::service::Service;
use crate::state::State;

/// Most tags on one IAM resource.
pub const MAX_TAGS: usize = 50;

/// Checks tag keys beyond the model (whose length and pattern, 1–128
/// characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, are checked on decode): not
/// `aws:`-prefixed.
pub fn check_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<(), CoreError> {
    for k in keys {
        // UNCONFIRMED message: AWS reserves the prefix (InvalidInput).
        if k.to_ascii_lowercase().starts_with("aws:") {
            return Err(CoreError::InvalidInput(
                "Tag keys starting with 'aws:' are reserved for AWS use.".into(),
            ));
        }
    }
    Ok(())
}

/// Checks the `Tags` of a request beyond the model (at most 50, keys and
/// values by their length and pattern: checked on decode): no reserved key,
/// no key twice (keys compare case-insensitively).
pub fn check_tags(tags: &[Tag]) -> Result<(), CoreError> {
    for (i, t) in tags.iter().enumerate() {
        check_keys([t.key.as_str()])?;
        if tags
            .iter()
            .take(i)
            .any(|o| o.key.eq_ignore_ascii_case(&t.key))
        {
            return Err(CoreError::InvalidInput(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.".into(),
            ));
        }
    }
    Ok(())
}

/// `existing` with `new` set: a key already there (case-insensitively) takes
/// the new value; at most [`MAX_TAGS`] in all (`LimitExceeded`).
pub fn merged(existing: &[Tag], new: &[Tag]) -> Result<Vec<Tag>, CoreError> {
    let mut out = existing.to_vec();
    for t in new {
        match out.iter_mut().find(|o| o.key.eq_ignore_ascii_case(&t.key)) {
            Some(o) => *o = t.clone(),
            None => out.push(t.clone()),
        }
    }
    if out.len() > MAX_TAGS {
        return Err(CoreError::LimitExceeded(
            "The number of tags has reached the maximum limit.".into(),
        ));
    }
    Ok(out)
}

/// `existing` without the keys (case-insensitively).
pub fn removed(existing: &[Tag], keys: &[&str]) -> Vec<Tag> {
    existing
        .iter()
        .filter(|t| !keys.iter().any(|k| k.eq_ignore_ascii_case(&t.key)))
        .cloned()
        .collect()
}

/// The condition keys of a request carrying tags: `aws:RequestTag/KEY` and
/// `aws:TagKeys` (multi-valued).
pub fn request_keys(tags: &[Tag]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = tags
        .iter()
        .map(|t| (format!("aws:RequestTag/{}", t.key), t.value.clone()))
        .collect();
    out.extend(
        tags.iter()
            .map(|t| ("aws:TagKeys".to_owned(), t.key.clone())),
    );
    out
}

/// `aws:TagKeys` of an untag request.
pub fn tag_keys(keys: &[&str]) -> Vec<(String, String)> {
    keys.iter()
        .map(|k| ("aws:TagKeys".to_owned(), (*k).to_owned()))
        .collect()
}

fn as_refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The tags of the IAM resource an ARN names in `state`, as condition keys:
/// `aws:ResourceTag/KEY` for users, roles, customer-managed policies and
/// instance profiles, and `iam:ResourceTag/KEY` for users and roles.
pub fn resource_context(state: &State, arn: &str) -> Vec<(String, String)> {
    let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
        return Vec::new();
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return Vec::new();
    };
    let Some((kind, path_name)) = resource.split_once('/') else {
        return Vec::new();
    };
    let name = path_name.rsplit('/').next().unwrap_or(path_name);
    let (tags, iam) = match kind {
        "user" => match state.user(account, name).filter(|u| u.arn() == arn) {
            Some(u) => (&u.tags, true),
            None => return Vec::new(),
        },
        "role" => match state.role(account, name).filter(|r| r.arn() == arn) {
            Some(r) => (&r.tags, true),
            None => return Vec::new(),
        },
        "policy" => match state.policies.get(arn) {
            Some(p) => (&p.tags, false),
            None => return Vec::new(),
        },
        "instance-profile" => match state
            .instance_profiles
            .get(&crate::model::user_key(account, name))
            .filter(|p| p.arn() == arn)
        {
            Some(p) => (&p.tags, false),
            None => return Vec::new(),
        },
        "oidc-provider" => match state.oidc_providers.get(arn) {
            Some(p) => (&p.tags, false),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let mut out = Vec::with_capacity(tags.len() * 2);
    for t in tags {
        out.push((format!("aws:ResourceTag/{}", t.key), t.value.clone()));
        if iam {
            out.push((format!("iam:ResourceTag/{}", t.key), t.value.clone()));
        }
    }
    out
}

/// The caller's own principal tags: an IAM user's tags, or the tags of a
/// session's role (session tags are laid over them by the caller).
pub fn principal_tags<'a>(state: &'a State, caller: &Caller) -> &'a [Tag] {
    match &caller.kind {
        CallerKind::User { id, .. } => state.user_by_id(id).map(|u| u.tags.as_slice()),
        CallerKind::Role { role_id, .. } => state.role_by_id(role_id).map(|r| r.tags.as_slice()),
        CallerKind::Root => None,
    }
    .unwrap_or(&[])
}

/// Which IAM resource a tag operation acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taggable {
    /// A user (`TagUser` …).
    User,
    /// A role (`TagRole` …).
    Role,
    /// A customer-managed policy (`TagPolicy` …), by ARN.
    Policy,
    /// An instance profile (`TagInstanceProfile` …).
    InstanceProfile,
    /// A virtual MFA device (`TagMFADevice` …), by serial number.
    MfaDevice,
    /// An OpenID Connect provider (`TagOpenIDConnectProvider` …), by ARN.
    OidcProvider,
}

impl Taggable {
    fn noun(self) -> &'static str {
        match self {
            Taggable::User => "User",
            Taggable::Role => "Role",
            Taggable::Policy => "Policy",
            Taggable::InstanceProfile => "InstanceProfile",
            Taggable::MfaDevice => "MFADevice",
            Taggable::OidcProvider => "OpenIDConnectProvider",
        }
    }
}

/// The ARN and current tags of the named resource (`NoSuchEntity` when
/// absent; AWS managed policies cannot be tagged).
fn find(
    state: &State,
    account: &str,
    what: Taggable,
    id: &str,
) -> Result<(String, Vec<Tag>), CoreError> {
    let found = match what {
        Taggable::User => state.user(account, id).map(|u| (u.arn(), u.tags.clone())),
        Taggable::Role => state.role(account, id).map(|r| (r.arn(), r.tags.clone())),
        Taggable::Policy => state
            .policies
            .get(id)
            .filter(|p| super::managed::policy_owner(&p.arn) == Some(account))
            .map(|p| (p.arn.clone(), p.tags.clone())),
        Taggable::InstanceProfile => state
            .instance_profiles
            .get(&crate::model::user_key(account, id))
            .map(|p| (p.arn(), p.tags.clone())),
        Taggable::MfaDevice => state
            .mfa_devices
            .get(&crate::model::mfa_key(account, id))
            .filter(|d| d.is_virtual)
            .map(|d| (d.serial.clone(), d.tags.clone())),
        Taggable::OidcProvider => state
            .oidc_providers
            .get(id)
            .filter(|p| p.account == account)
            .map(|p| (p.arn.clone(), p.tags.clone())),
    };
    found.ok_or_else(|| match what {
        Taggable::User => {
            CoreError::NoSuchEntity(format!("The user with name {id} cannot be found."))
        }
        Taggable::Role => {
            CoreError::NoSuchEntity(format!("The role with name {id} cannot be found."))
        }
        Taggable::Policy => {
            CoreError::NoSuchEntity(format!("Policy {id} does not exist or is not attachable."))
        }
        Taggable::InstanceProfile => {
            CoreError::NoSuchEntity(format!("Instance Profile {id} cannot be found."))
        }
        Taggable::MfaDevice => CoreError::NoSuchEntity(format!(
            "VirtualMFADevice with serial number {id} doesn't exist."
        )),
        Taggable::OidcProvider => super::oidc_providers::no_such_provider(id),
    })
}

fn arn_guess(account: &str, what: Taggable, id: &str) -> String {
    match what {
        Taggable::User => crate::ident::Arn::user(account, "/", id).to_string(),
        Taggable::Role => crate::ident::Arn::role(account, "/", id).to_string(),
        Taggable::Policy => id.to_owned(),
        Taggable::InstanceProfile => {
            crate::ident::Arn::instance_profile(account, "/", id).to_string()
        }
        Taggable::MfaDevice | Taggable::OidcProvider => id.to_owned(),
    }
}

fn with_tags(
    state: &State,
    account: &str,
    what: Taggable,
    id: &str,
    tags: Vec<Tag>,
) -> Option<Change> {
    Some(Change::Put(match what {
        Taggable::User => {
            let mut u = state.user(account, id)?.clone();
            u.tags = tags;
            Record::User(u)
        }
        Taggable::Role => {
            let mut r = state.role(account, id)?.clone();
            r.tags = tags;
            Record::Role(r)
        }
        Taggable::Policy => {
            let mut p = state.policies.get(id)?.clone();
            p.tags = tags;
            Record::Policy(p)
        }
        Taggable::InstanceProfile => {
            let mut p = state
                .instance_profiles
                .get(&crate::model::user_key(account, id))?
                .clone();
            p.tags = tags;
            Record::InstanceProfile(p)
        }
        Taggable::MfaDevice => {
            let mut d = state
                .mfa_devices
                .get(&crate::model::mfa_key(account, id))?
                .clone();
            d.tags = tags;
            Record::MfaDevice(d)
        }
        Taggable::OidcProvider => {
            let mut p = state.oidc_providers.get(id)?.clone();
            p.tags = tags;
            Record::OidcProvider(p)
        }
    }))
}

fn resource_arn(svc: &Service, caller: &Caller, what: Taggable, id: &str) -> String {
    find(&svc.read(), &caller.account, what, id)
        .map(|(arn, _)| arn)
        .unwrap_or_else(|_| arn_guess(&caller.account, what, id))
}

/// `iam:Tag{User,Role,Policy,InstanceProfile}`: adds or updates tags.
pub fn tag(
    svc: &Service,
    caller: &Caller,
    what: Taggable,
    id: &str,
    tags: &[Tag],
) -> Result<(), CoreError> {
    check_tags(tags)?;
    let arn = resource_arn(svc, caller, what, id);
    let extra = request_keys(tags);
    svc.authorize(
        caller,
        &format!("iam:Tag{}", what.noun()),
        &arn,
        None,
        &as_refs(&extra),
    )?;
    if what == Taggable::Policy && super::managed::policy_owner(id) == Some("aws") {
        return Err(CoreError::InvalidInput(format!(
            "Policy {id} is an AWS managed policy and cannot be modified."
        )));
    }
    svc.mutate(|state| {
        let (_, existing) = find(state, &caller.account, what, id)?;
        let tags = merged(&existing, tags)?;
        let change = with_tags(state, &caller.account, what, id, tags)
            .ok_or_else(|| CoreError::Internal("tagged resource vanished".into()))?;
        Ok(((), vec![change]))
    })
}

/// `iam:Untag{User,Role,Policy,InstanceProfile}`: removes tags by key
/// (absent keys are ignored).
pub fn untag(
    svc: &Service,
    caller: &Caller,
    what: Taggable,
    id: &str,
    keys: &[&str],
) -> Result<(), CoreError> {
    // At most 50 `TagKeys` of 1–128 characters: the model's, checked on decode.
    check_keys(keys.iter().copied())?;
    let arn = resource_arn(svc, caller, what, id);
    let extra = tag_keys(keys);
    svc.authorize(
        caller,
        &format!("iam:Untag{}", what.noun()),
        &arn,
        None,
        &as_refs(&extra),
    )?;
    svc.mutate(|state| {
        let (_, existing) = find(state, &caller.account, what, id)?;
        let change = with_tags(state, &caller.account, what, id, removed(&existing, keys))
            .ok_or_else(|| CoreError::Internal("tagged resource vanished".into()))?;
        Ok(((), vec![change]))
    })
}

/// `iam:List{User,Role,Policy,InstanceProfile}Tags`.
pub fn list(
    svc: &Service,
    caller: &Caller,
    what: Taggable,
    id: &str,
) -> Result<Vec<Tag>, CoreError> {
    let arn = resource_arn(svc, caller, what, id);
    svc.authorize(
        caller,
        &format!("iam:List{}Tags", what.noun()),
        &arn,
        None,
        &[],
    )?;
    if what == Taggable::Policy && super::catalogue::get(id).is_some() {
        return Ok(Vec::new());
    }
    find(&svc.read(), &caller.account, what, id).map(|(_, tags)| tags)
}

/// Authorizes the tagging part of a create call that carries tags: AWS
/// also requires `iam:Tag…` on the new resource, with the request's tags.
pub fn authorize_create_tags(
    svc: &Service,
    caller: &Caller,
    what: Taggable,
    arn: &str,
    tags: &[Tag],
) -> Result<(), CoreError> {
    check_tags(tags)?;
    if tags.is_empty() {
        return Ok(());
    }
    let extra = request_keys(tags);
    svc.authorize(
        caller,
        &format!("iam:Tag{}", what.noun()),
        arn,
        None,
        &as_refs(&extra),
    )
}

/// The condition keys of a create call's tags, for its own action.
pub fn create_keys(tags: &[Tag]) -> Vec<(String, String)> {
    request_keys(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(k: &str, v: &str) -> Tag {
        Tag {
            key: k.into(),
            value: v.into(),
        }
    }

    #[test]
    fn tag_rules() {
        // Lengths, patterns and the count are the model's (checked on
        // decode; crates/model/tests/validate.rs).
        assert!(check_tags(&[t("team", "ops"), t("cost center", "a/b=c+d@e")]).is_ok());
        assert!(matches!(
            check_tags(&[t("aws:x", "v")]),
            Err(CoreError::InvalidInput(_))
        ));
        assert!(matches!(
            check_tags(&[t("Team", "a"), t("team", "b")]),
            Err(CoreError::InvalidInput(_))
        ));
        let fifty: Vec<Tag> = (0..50).map(|i| t(&format!("k{i}"), "v")).collect();
        assert!(merged(&fifty, &[t("K0", "new")]).is_ok());
        assert!(matches!(
            merged(&fifty, &[t("k50", "v")]),
            Err(CoreError::LimitExceeded(_))
        ));
        let m = merged(&[t("team", "a")], &[t("TEAM", "b"), t("env", "prod")]).unwrap();
        assert_eq!(m, vec![t("TEAM", "b"), t("env", "prod")]);
        assert_eq!(removed(&m, &["team"]), vec![t("env", "prod")]);
    }
}
