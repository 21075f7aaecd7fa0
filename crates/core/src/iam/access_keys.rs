//! Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey,
//! DeleteAccessKey, GetAccessKeyLastUsed. Without `UserName` they act on the
//! caller itself (the root user's own keys for a root caller).

use crate::authz::{Caller, CallerKind};
use crate::error::CoreError;
use crate::ids;
use crate::model::{AccessKey, Change, KeyOwner, KeyStatus, Record, table};
use crate::secret::Secret;
use crate::service::Service;

/// The key owner and the resource ARN a request names.
fn target(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<(KeyOwner, String), CoreError> {
    match (user, &caller.kind) {
        (Some(n), _) => {
            let state = svc.read();
            let u = state.user(&caller.account, n);
            let arn = u
                .map(|u| u.arn())
                .unwrap_or_else(|| crate::ident::Arn::user(&caller.account, "/", n).to_string());
            Ok((
                KeyOwner::User(u.map(|u| u.name.clone()).unwrap_or_else(|| n.to_owned())),
                arn,
            ))
        }
        (None, CallerKind::User { name, .. }) => {
            let arn = svc
                .read()
                .user(&caller.account, name)
                .map(|u| u.arn())
                .unwrap_or_default();
            Ok((KeyOwner::User(name.clone()), arn))
        }
        (None, CallerKind::Root) => Ok((
            KeyOwner::Root,
            crate::ident::Arn::root(&caller.account).to_string(),
        )),
        (None, CallerKind::Role { .. }) => Err(CoreError::Validation(
            "Must specify userName when calling with non-User credentials".into(),
        )),
    }
}

fn check_user_exists(svc: &Service, caller: &Caller, owner: &KeyOwner) -> Result<(), CoreError> {
    if let KeyOwner::User(n) = owner
        && svc.read().user(&caller.account, n).is_none()
    {
        return Err(CoreError::NoSuchEntity(format!(
            "The user with name {n} cannot be found."
        )));
    }
    Ok(())
}

/// `iam:CreateAccessKey`: at most two keys per principal.
pub fn create_access_key(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<AccessKey, CoreError> {
    let (owner, arn) = target(svc, caller, user)?;
    svc.authorize(caller, "iam:CreateAccessKey", &arn, None, &[])?;
    check_user_exists(svc, caller, &owner)?;
    let now = svc.now();
    svc.mutate(|state| {
        let count = state
            .access_keys
            .values()
            .filter(|k| k.account == caller.account && k.owner == owner)
            .count();
        if count >= 2 {
            return Err(CoreError::LimitExceeded(
                "Cannot exceed quota for AccessKeysPerUser: 2".into(),
            ));
        }
        let key = AccessKey {
            id: ids::long_term_key_id(&caller.account),
            secret: Secret::new(ids::secret_access_key()),
            account: caller.account.clone(),
            owner: owner.clone(),
            status: KeyStatus::Active,
            created: now,
            last_used: None,
        };
        Ok((key.clone(), vec![Change::Put(Record::AccessKey(key))]))
    })
}

/// `iam:ListAccessKeys`, oldest first.
pub fn list_access_keys(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<Vec<AccessKey>, CoreError> {
    let (owner, arn) = target(svc, caller, user)?;
    svc.authorize(caller, "iam:ListAccessKeys", &arn, None, &[])?;
    check_user_exists(svc, caller, &owner)?;
    let mut keys: Vec<AccessKey> = svc
        .read()
        .access_keys
        .values()
        .filter(|k| k.account == caller.account && k.owner == owner)
        .cloned()
        .collect();
    keys.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    Ok(keys)
}

fn no_such_key(id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The Access Key with id {id} cannot be found."))
}

/// `iam:UpdateAccessKey`.
pub fn update_access_key(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    id: &str,
    status: KeyStatus,
) -> Result<(), CoreError> {
    let (owner, arn) = target(svc, caller, user)?;
    svc.authorize(caller, "iam:UpdateAccessKey", &arn, None, &[])?;
    svc.mutate(|state| {
        let mut k = state
            .access_keys
            .get(id)
            .filter(|k| k.account == caller.account && k.owner == owner)
            .cloned()
            .ok_or_else(|| no_such_key(id))?;
        k.status = status;
        Ok(((), vec![Change::Put(Record::AccessKey(k))]))
    })
}

/// `iam:DeleteAccessKey`: the key stops authenticating at once.
pub fn delete_access_key(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    id: &str,
) -> Result<(), CoreError> {
    let (owner, arn) = target(svc, caller, user)?;
    svc.authorize(caller, "iam:DeleteAccessKey", &arn, None, &[])?;
    svc.mutate(|state| {
        state
            .access_keys
            .get(id)
            .filter(|k| k.account == caller.account && k.owner == owner)
            .ok_or_else(|| no_such_key(id))?;
        Ok(((), vec![Change::Delete(table::ACCESS_KEYS, id.to_owned())]))
    })
}

/// `iam:GetAccessKeyLastUsed`: the key and its owner's name (`None` for root).
pub fn get_access_key_last_used(
    svc: &Service,
    caller: &Caller,
    id: &str,
) -> Result<AccessKey, CoreError> {
    let key = svc
        .read()
        .access_keys
        .get(id)
        .filter(|k| k.account == caller.account)
        .cloned()
        .ok_or_else(|| CoreError::AccessDenied(format!("User: {} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key {id}", caller.arn(&svc.read()))))?;
    let arn = match &key.owner {
        KeyOwner::Root => crate::ident::Arn::root(&key.account).to_string(),
        KeyOwner::User(n) => svc
            .read()
            .user(&key.account, n)
            .map(|u| u.arn())
            .unwrap_or_default(),
    };
    svc.authorize(caller, "iam:GetAccessKeyLastUsed", &arn, None, &[])?;
    Ok(key)
}

/// How stale a key's recorded last use may get before it is rewritten. AWS
/// itself reports last use with a granularity of hours; a minute keeps the
/// extra writes negligible under load.
pub const LAST_USED_GRANULARITY: time::Duration = time::Duration::minutes(1);

/// Records that a long-term key signed a request for `service` in `region`
/// (`GetAccessKeyLastUsed`, the credential report). Written only when the
/// recorded use is older than [`LAST_USED_GRANULARITY`] or was elsewhere, and
/// never waited for: it rides along with the next commit
/// ([`Service::mutate_later`]).
pub fn note_use(svc: &Service, key_id: &str, service: &str, region: &str) -> Result<(), CoreError> {
    let now = svc.now();
    let fresh = |k: &AccessKey| {
        k.last_used.as_ref().is_some_and(|u| {
            now - u.at < LAST_USED_GRANULARITY && u.service == service && u.region == region
        })
    };
    match svc.read().access_keys.get(key_id) {
        Some(k) if !fresh(k) => {}
        _ => return Ok(()),
    }
    svc.mutate_later(|state| {
        let Some(k) = state.access_keys.get(key_id) else {
            return Ok(((), Vec::new()));
        };
        if fresh(k) {
            return Ok(((), Vec::new()));
        }
        let mut k = k.clone();
        k.last_used = Some(crate::model::LastUsed {
            at: now,
            service: service.to_owned(),
            region: region.to_owned(),
        });
        Ok(((), vec![Change::Put(Record::AccessKey(k))]))
    })
}
