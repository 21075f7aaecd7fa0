//! The tags of a trail (`AddTags`, `RemoveTags`, `ListTags`) and its
//! Insights selectors (never enabled here). Split from the trail operations
//! in `cloudtrail/trails.rs`.

use super::*;

/// The trail a tag operation's `ResourceId` names: a trail ARN of the
/// caller's own account and region. A shadow trail's ARN (another region)
/// and an organization trail seen by a member (another account) are
/// refused with `CloudTrailARNInvalidException` in AWS's words (as tools
/// that list the tags of every trail `DescribeTrails` shows report them).
fn tagged(state: &State, caller: &Caller, resource_id: &str) -> Result<Trail, CoreError> {
    // UNCONFIRMED: a bare name is refused as an ARN that does not parse
    // (the API reference documents `ResourceId` as an ARN).
    let (region, account, name) = parse_arn(resource_id)?;
    // UNCONFIRMED: which of region and account is checked first.
    if region != caller.region {
        return Err(CloudTrailError::CloudTrailArnInvalid(format!(
            "Region in ARN is wrong, you can only access resources in region {}.",
            caller.region
        ))
        .into());
    }
    if account != caller.account {
        return Err(CloudTrailError::CloudTrailArnInvalid(format!(
            "AccountID in ARN is wrong, you can only access resources with AccountID {}.",
            caller.account
        ))
        .into());
    }
    validate_name(&name)?;
    state
        .trails
        .get(&trail_key(&account, &region, &name))
        .cloned()
        .ok_or_else(|| {
            // UNCONFIRMED: the message; the code is the model's.
            CloudTrailError::ResourceNotFound(format!("Resource not found: {resource_id}")).into()
        })
}

/// Changes the tags of the trail `resource_id` names (after authorizing
/// `op` as a change from the trail's home region).
fn retag(
    svc: &Service,
    caller: &Caller,
    resource_id: &str,
    op: &str,
    f: impl FnOnce(&mut Vec<(String, String)>) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    let trail = tagged(&svc.read(), caller, resource_id)?;
    authorize_write(svc, caller, op, &trail)?;
    let key = trail.key();
    svc.mutate(|state| {
        let mut t = state
            .trails
            .get(&key)
            .cloned()
            .ok_or_else(|| unknown_trail(&trail.arn(), caller))?;
        let before = t.tags.clone();
        f(&mut t.tags)?;
        if t.tags == before {
            return Ok(((), Vec::new()));
        }
        Ok(((), vec![Change::Put(Record::Trail(Box::new(t)))]))
    })
}

/// `AddTags`: adds the tags, replacing the value of a key the trail has
/// (a tag without a value has an empty one); at most 50 on the trail.
pub fn add_tags(
    svc: &Service,
    caller: &Caller,
    resource_id: &str,
    tags: &[(String, Option<String>)],
) -> Result<(), CoreError> {
    check_tags(tags)?;
    retag(svc, caller, resource_id, "AddTags", |have| {
        for (k, v) in tags {
            let v = v.clone().unwrap_or_default();
            match have.iter_mut().find(|(h, _)| h == k) {
                Some(slot) => slot.1 = v,
                None => have.push((k.clone(), v)),
            }
        }
        if have.len() > MAX_TAGS {
            return Err(too_many_tags());
        }
        Ok(())
    })
}

/// `RemoveTags`: removes the tags with the keys given (keys the trail does
/// not have are ignored). UNCONFIRMED: a value given with a key is not
/// compared (the tag goes whatever its value).
pub fn remove_tags(
    svc: &Service,
    caller: &Caller,
    resource_id: &str,
    tags: &[(String, Option<String>)],
) -> Result<(), CoreError> {
    check_tags(tags)?;
    retag(svc, caller, resource_id, "RemoveTags", |have| {
        have.retain(|(h, _)| !tags.iter().any(|(k, _)| k == h));
        Ok(())
    })
}

/// The most ARNs `ListTags` takes (the API reference: "The list has a
/// limit of 20 ARNs").
pub const MAX_LIST_TAGS: usize = 20;

/// `ListTags`: the trails named, each authorized as `cloudtrail:ListTags`
/// on its ARN, in the order given (an ARN given twice answers once).
pub fn list_tags(
    svc: &Service,
    caller: &Caller,
    resource_ids: &[String],
) -> Result<Vec<Trail>, CoreError> {
    if resource_ids.len() > MAX_LIST_TAGS {
        // UNCONFIRMED: the code for more than 20 ARNs.
        return Err(CloudTrailError::InvalidParameter(format!(
            "ResourceIdList can have at most {MAX_LIST_TAGS} ARNs."
        ))
        .into());
    }
    let mut out: Vec<Trail> = Vec::new();
    for id in resource_ids {
        let t = tagged(&svc.read(), caller, id)?;
        authorize_read(svc, caller, "ListTags", &t)?;
        if !out.iter().any(|o| o.key() == t.key()) {
            out.push(t);
        }
    }
    Ok(out)
}

/// `GetInsightSelectors`: no trail here has Insights, so after finding and
/// authorizing the trail it is always `InsightNotEnabledException`, in
/// AWS's words (as the AWS CLI documentation quotes them).
pub fn get_insight_selectors(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<std::convert::Infallible, CoreError> {
    let trail = find(&svc.read(), caller, name)?;
    authorize_read(svc, caller, "GetInsightSelectors", &trail)?;
    Err(CloudTrailError::InsightNotEnabled(format!(
        "Trail {} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.",
        trail.arn()
    ))
    .into())
}

/// `PutInsightSelectors`: an empty list (Insights off) is what every trail
/// has and is accepted; Insights themselves are not supported.
pub fn put_insight_selectors(
    svc: &Service,
    caller: &Caller,
    name: &str,
    selectors: usize,
) -> Result<Trail, CoreError> {
    let trail = find(&svc.read(), caller, name)?;
    authorize_write(svc, caller, "PutInsightSelectors", &trail)?;
    if selectors > 0 {
        return Err(CloudTrailError::UnsupportedOperation(
            "Insights (InsightSelectors) are not supported by this endpoint.".to_owned(),
        )
        .into());
    }
    Ok(trail)
}
