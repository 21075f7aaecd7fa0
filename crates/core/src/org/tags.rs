//! Tags of an organization's roots, OUs, accounts and policies:
//! `TagResource`, `UntagResource`, `ListTagsForResource`, and the `Tags` of
//! `CreateAccount`, `CreateOrganizationalUnit` and `CreatePolicy`.
//! Writes from the management account; reads also from a delegated
//! administrator. An account's tags go when it leaves the organization.

use super::model::{FULL_AWS_ACCESS_ID, OrgTags, Organization};
use super::{
    OrgError, Page, PageRequest, as_management, as_reader, authorize, constraint, err, invalid,
    page,
};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, Tag, table};
use crate::service::Service;
use crate::state::State;

/// Most tags on one resource.
pub const MAX_TAGS: usize = 50;

fn pattern_ok(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
    })
}

fn check_key(k: &str) -> Result<(), CoreError> {
    let n = k.chars().count();
    if n == 0 {
        return Err(invalid(
            "MIN_LENGTH_EXCEEDED",
            "You provided a value that is too short. Tag keys must have at least 1 character.",
        ));
    }
    if n > 128 {
        return Err(invalid(
            "MAX_LENGTH_EXCEEDED",
            "You provided a value that is too long. Tag keys can have at most 128 characters.",
        ));
    }
    if !pattern_ok(k) {
        return Err(invalid(
            "INVALID_PATTERN",
            format!("You specified a tag key that doesn't match the required pattern: {k}."),
        ));
    }
    // UNCONFIRMED message; the reason is the model's.
    if k.to_ascii_lowercase().starts_with("aws:") {
        return Err(invalid(
            "INVALID_SYSTEM_TAGS_PARAMETER",
            "Tag keys starting with aws: are reserved for AWS use.",
        ));
    }
    Ok(())
}

/// Checks the `Tags` of a request (Organizations compares keys case-sensitively).
pub fn check_tags(tags: &[Tag]) -> Result<(), CoreError> {
    for (i, t) in tags.iter().enumerate() {
        check_key(&t.key)?;
        if t.value.chars().count() > 256 {
            return Err(invalid(
                "MAX_LENGTH_EXCEEDED",
                "You provided a value that is too long. Tag values can have at most 256 characters.",
            ));
        }
        if !pattern_ok(&t.value) {
            return Err(invalid(
                "INVALID_PATTERN",
                format!(
                    "You specified a tag value that doesn't match the required pattern: {}.",
                    t.value
                ),
            ));
        }
        if tags.iter().take(i).any(|o| o.key == t.key) {
            return Err(invalid(
                "DUPLICATE_TAG_KEY",
                format!("You specified the tag key {} more than once.", t.key),
            ));
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(too_many());
    }
    Ok(())
}

fn too_many() -> CoreError {
    constraint(
        "MAX_TAG_LIMIT_EXCEEDED",
        "You have exceeded the number of tags allowed on this resource.",
    )
}

fn target_not_found() -> CoreError {
    err(
        OrgError::TargetNotFound,
        "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    )
}

/// The ARN of a taggable resource of `org`, or why it cannot be tagged.
fn resource_arn(state: &State, org: &Organization, id: &str) -> Result<String, CoreError> {
    let valid = (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
        || ["r-", "ou-", "p-"].iter().any(|p| {
            id.strip_prefix(p).is_some_and(|rest| {
                !rest.is_empty()
                    && rest.len() <= 128
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
        });
    if !valid {
        return Err(invalid(
            "INVALID_PATTERN_TARGET_ID",
            "You specified a resource ID that doesn't match the required pattern.",
        ));
    }
    if id == FULL_AWS_ACCESS_ID {
        // UNCONFIRMED: AWS managed policies cannot be tagged.
        return Err(invalid(
            "IMMUTABLE_POLICY",
            "You specified a policy that is managed by AWS and can't be modified.",
        ));
    }
    if id == org.root_id {
        return Ok(org.root_arn());
    }
    if state.org.units.get(id).is_some_and(|u| u.org == org.id) {
        return Ok(org.ou_arn(id));
    }
    if state.org.members.get(id).is_some_and(|m| m.org == org.id) {
        return Ok(org.account_arn(id));
    }
    if state.org.policies.get(id).is_some_and(|p| p.org == org.id) {
        return Ok(org.policy_arn(id));
    }
    Err(target_not_found())
}

fn current(state: &State, id: &str) -> Vec<Tag> {
    state
        .org
        .tags
        .get(id)
        .map(|t| t.tags.clone())
        .unwrap_or_default()
}

fn put(org: &Organization, id: &str, tags: Vec<Tag>) -> Change {
    if tags.is_empty() {
        Change::Delete(table::ORG_TAGS, id.to_owned())
    } else {
        Change::Put(Record::OrgTags(OrgTags {
            org: org.id.clone(),
            resource: id.to_owned(),
            tags,
        }))
    }
}

fn extra(tags: &[Tag]) -> Vec<(String, String)> {
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

fn authorize_with(
    svc: &Service,
    caller: &Caller,
    op: &str,
    arn: &str,
    keys: &[(String, String)],
) -> Result<(), CoreError> {
    let refs: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    svc.authorize(caller, &format!("organizations:{op}"), arn, None, &refs)
        .map_err(|e| match e {
            CoreError::AccessDenied(m) => err(OrgError::AccessDenied, m),
            other => other,
        })
}

fn arn_for(svc: &Service, caller: &Caller, id: &str) -> String {
    let state = svc.read();
    super::org_of(&state, caller)
        .ok()
        .and_then(|o| resource_arn(&state, o, id).ok())
        .unwrap_or_else(|| "*".to_owned())
}

/// `organizations:TagResource`: adds tags, replacing the value of a key
/// already there.
pub fn tag_resource(
    svc: &Service,
    caller: &Caller,
    id: &str,
    tags: &[Tag],
) -> Result<(), CoreError> {
    check_tags(tags)?;
    authorize_with(
        svc,
        caller,
        "TagResource",
        &arn_for(svc, caller, id),
        &extra(tags),
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        resource_arn(state, org, id)?;
        let mut all = current(state, id);
        for t in tags {
            match all.iter_mut().find(|o| o.key == t.key) {
                Some(o) => o.value.clone_from(&t.value),
                None => all.push(t.clone()),
            }
        }
        if all.len() > MAX_TAGS {
            return Err(too_many());
        }
        Ok(((), vec![put(org, id, all)]))
    })
}

/// `organizations:UntagResource`: removes tags by key (absent keys are ignored).
pub fn untag_resource(
    svc: &Service,
    caller: &Caller,
    id: &str,
    keys: &[String],
) -> Result<(), CoreError> {
    for k in keys {
        check_key(k)?;
    }
    let keys_ctx: Vec<(String, String)> = keys
        .iter()
        .map(|k| ("aws:TagKeys".to_owned(), k.clone()))
        .collect();
    authorize_with(
        svc,
        caller,
        "UntagResource",
        &arn_for(svc, caller, id),
        &keys_ctx,
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        resource_arn(state, org, id)?;
        let all: Vec<Tag> = current(state, id)
            .into_iter()
            .filter(|t| !keys.contains(&t.key))
            .collect();
        Ok(((), vec![put(org, id, all)]))
    })
}

/// `organizations:ListTagsForResource`, paged.
pub fn list_tags_for_resource(
    svc: &Service,
    caller: &Caller,
    id: &str,
    req: PageRequest<'_>,
) -> Result<Page<Tag>, CoreError> {
    authorize(
        svc,
        caller,
        "ListTagsForResource",
        &arn_for(svc, caller, id),
    )?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    resource_arn(&state, org, id)?;
    page(current(&state, id).into_iter(), req)
}

/// Runs a create call that carries `Tags`: the tags are checked first, the
/// caller needs `organizations:TagResource` too (with the request's tags),
/// and they are set on the new resource (`id_of`) in the same unit.
pub fn create_tagged<T>(
    svc: &Service,
    caller: &Caller,
    tags: &[Tag],
    create: impl FnOnce() -> Result<T, CoreError>,
    id_of: impl FnOnce(&State, &T) -> Option<String>,
) -> Result<T, CoreError> {
    check_tags(tags)?;
    if !tags.is_empty() {
        authorize_with(svc, caller, "TagResource", "*", &extra(tags))?;
    }
    let out = create()?;
    if tags.is_empty() {
        return Ok(out);
    }
    svc.mutate(|state| {
        let Some(id) = id_of(state, &out) else {
            return Ok(((), Vec::new()));
        };
        let org = as_management(state, caller)?;
        Ok(((), vec![put(org, &id, tags.to_vec())]))
    })?;
    Ok(out)
}
