//! The trail operations. Each is authorized as `cloudtrail:<Operation>` on
//! the trail's ARN (`DescribeTrails` and `ListTrails` on `*`); a change to a
//! trail of another account (a member account changing its organization's
//! trail) is a cross-account request without a resource policy, so IAM
//! refuses it, as AWS does.

use rootward_policy::{Context, Policies, Principal, Request, evaluate};
use time::OffsetDateTime;

use super::model::{
    AdvancedEventSelector, EventSelector, LoggingPeriod, Trail, trail_arn, trail_key,
};
use super::{CloudTrailError, MAX_TRAILS_PER_REGION, SERVICE_PRINCIPAL};
mod bucket;
mod selectors;
mod tags;
#[cfg(test)]
mod tests;
mod update;

pub use bucket::{DeliveryRefused, bucket_allows, log_prefix};
pub use selectors::{DATA_RESOURCE_TYPES, put_event_selectors, selects};
pub use tags::{add_tags, get_insight_selectors, list_tags, put_insight_selectors, remove_tags};
pub use update::{UpdateTrail, update_trail};

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;
use crate::state::State;

/// The inputs of `CreateTrail`.
#[derive(Debug, Clone, Default)]
pub struct CreateTrail {
    /// `Name`.
    pub name: String,
    /// `S3BucketName`.
    pub s3_bucket: String,
    /// `S3KeyPrefix`.
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName` (not supported).
    pub sns_topic_name: Option<String>,
    /// `IncludeGlobalServiceEvents` (default true).
    pub include_global_service_events: Option<bool>,
    /// `IsMultiRegionTrail` (default false).
    pub is_multi_region: Option<bool>,
    /// `EnableLogFileValidation` (only `false` is supported: no digest files).
    pub enable_log_file_validation: Option<bool>,
    /// `CloudWatchLogsLogGroupArn` (not supported).
    pub cloudwatch_logs_log_group_arn: Option<String>,
    /// `CloudWatchLogsRoleArn` (not supported).
    pub cloudwatch_logs_role_arn: Option<String>,
    /// `KmsKeyId` (not supported).
    pub kms_key_id: Option<String>,
    /// `IsOrganizationTrail` (default false).
    pub is_organization_trail: Option<bool>,
    /// `TagsList`: key, value.
    pub tags: Vec<(String, Option<String>)>,
}

/// Event selectors to put: basic or advanced.
#[derive(Debug, Clone)]
pub enum Selectors {
    /// `EventSelectors`.
    Basic(Vec<EventSelector>),
    /// `AdvancedEventSelectors`.
    Advanced(Vec<AdvancedEventSelector>),
}

fn unknown_trail(arn: &str, caller: &Caller) -> CoreError {
    CloudTrailError::TrailNotFound(format!(
        "Unknown trail: {arn} for the user: {}",
        caller.account
    ))
    .into()
}

/// Checks a trail name: 3 to 128 letters, digits, `.`, `_` and `-`,
/// starting and ending with a letter or digit, no two of `.`, `_`, `-` side
/// by side, not an IP address.
pub fn validate_name(name: &str) -> Result<(), CoreError> {
    let bad = |why: &str| -> CoreError {
        CloudTrailError::InvalidTrailName(format!("Trail name {why}: {name}")).into()
    };
    let bytes = name.as_bytes();
    if !(3..=128).contains(&bytes.len()) {
        return Err(bad("must be between 3 and 128 characters long"));
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err(bad(
            "can contain only ASCII letters, numbers, periods, underscores and dashes",
        ));
    }
    let edge = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    if !edge(bytes.first()) || !edge(bytes.last()) {
        return Err(bad("must start and end with a letter or number"));
    }
    if bytes
        .windows(2)
        .any(|w| w.iter().all(|b| matches!(b, b'.' | b'_' | b'-')))
    {
        return Err(bad("cannot have adjacent periods, underscores or dashes"));
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(bad("cannot be formatted as an IP address"));
    }
    Ok(())
}

/// Reads a trail ARN: (region, account, name).
fn parse_arn(arn: &str) -> Result<(String, String, String), CoreError> {
    let invalid = || -> CoreError {
        CloudTrailError::CloudTrailArnInvalid(format!(
            "Invalid trail ARN: {arn}. The ARN format is arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail"
        ))
        .into()
    };
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("cloudtrail"), Some(region), Some(account), Some(res)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(invalid());
    };
    let name = res.strip_prefix("trail/").ok_or_else(invalid)?;
    if region.is_empty()
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
        || name.is_empty()
    {
        return Err(invalid());
    }
    Ok((region.to_owned(), account.to_owned(), name.to_owned()))
}

/// The organization whose trails the caller's account sees, if any.
fn org_id<'a>(state: &'a State, account: &str) -> Option<&'a str> {
    state.org.org_of(account).map(|o| o.id.as_str())
}

/// Whether `caller` sees `trail`: its own, or its organization's trail.
fn sees(state: &State, caller: &Caller, trail: &Trail) -> bool {
    trail.account == caller.account
        || trail
            .organization
            .as_deref()
            .is_some_and(|o| org_id(state, &caller.account) == Some(o))
}

/// The trails `caller` sees in `region`: those whose home it is, and the
/// multi-region ones (shadow trails) when `shadows`.
fn visible<'a>(
    state: &'a State,
    caller: &'a Caller,
    region: &'a str,
    shadows: bool,
) -> impl Iterator<Item = &'a Trail> + 'a {
    state.trails.values().filter(move |t| {
        sees(state, caller, t) && (t.home_region == region || (shadows && t.is_multi_region))
    })
}

/// Finds the trail a `Name` member names (a name, or an ARN).
fn find(state: &State, caller: &Caller, name: &str) -> Result<Trail, CoreError> {
    if name.starts_with("arn:") {
        let (region, account, trail) = parse_arn(name)?;
        return state
            .trails
            .get(&trail_key(&account, &region, &trail))
            .filter(|t| sees(state, caller, t))
            .filter(|t| t.home_region == caller.region || t.is_multi_region)
            .cloned()
            .ok_or_else(|| unknown_trail(name, caller));
    }
    validate_name(name)?;
    let mut found: Vec<&Trail> = visible(state, caller, &caller.region, true)
        .filter(|t| t.name == name)
        .collect();
    // The caller's own trail first, then one homed in this region.
    found.sort_by_key(|t| (t.account != caller.account, t.home_region != caller.region));
    found
        .first()
        .map(|t| (*t).clone())
        .ok_or_else(|| unknown_trail(&trail_arn(&caller.region, &caller.account, name), caller))
}

/// [`find`] for `GetTrailStatus` and `DescribeTrails`, where a name finds
/// only the caller's own trail homed in the region called: a shadow trail
/// (a multi-region trail seen from another region) or an organization
/// trail seen from a member is named by its ARN, as the CloudTrail API
/// reference says for those two. (Other calls find a shadow trail by name,
/// so that a change from the wrong region says `InvalidHomeRegion`.)
fn find_here(state: &State, caller: &Caller, name: &str) -> Result<Trail, CoreError> {
    if name.starts_with("arn:") {
        return find(state, caller, name);
    }
    validate_name(name)?;
    state
        .trails
        .get(&trail_key(&caller.account, &caller.region, name))
        .cloned()
        .ok_or_else(|| unknown_trail(&trail_arn(&caller.region, &caller.account, name), caller))
}

fn authorize_read(
    svc: &Service,
    caller: &Caller,
    op: &str,
    trail: &Trail,
) -> Result<(), CoreError> {
    // A member account reads its organization's trail in its own right.
    svc.authorize(caller, &format!("cloudtrail:{op}"), &trail.arn(), None, &[])
}

fn authorize_write(
    svc: &Service,
    caller: &Caller,
    op: &str,
    trail: &Trail,
) -> Result<(), CoreError> {
    let owner = (trail.account != caller.account).then_some(trail.account.as_str());
    svc.authorize(
        caller,
        &format!("cloudtrail:{op}"),
        &trail.arn(),
        owner,
        &[],
    )?;
    if trail.account != caller.account {
        return Err(CloudTrailError::NotOrganizationMasterAccount(
            "This operation can be performed only by the management account of the organization that owns the trail.".to_owned(),
        )
        .into());
    }
    if trail.home_region != caller.region {
        return Err(CloudTrailError::InvalidHomeRegion(format!(
            "This operation must be called from the trail's home region, {}.",
            trail.home_region
        ))
        .into());
    }
    Ok(())
}

/// The sequence number of the last event in the history (a new trail
/// delivers only what happens after it is created).
fn history_end(svc: &Service) -> Result<u64, CoreError> {
    match svc.trail() {
        Some(t) => t.last_seq(),
        None => Ok(0),
    }
}

/// The settings of a trail this endpoint does not support, as `CreateTrail`
/// and `UpdateTrail` take them.
struct Unsupported<'a> {
    sns_topic_name: Option<&'a str>,
    cloudwatch_logs_log_group_arn: Option<&'a str>,
    cloudwatch_logs_role_arn: Option<&'a str>,
    kms_key_id: Option<&'a str>,
    enable_log_file_validation: Option<bool>,
}

/// Refuses the settings this endpoint does not support. `UpdateTrail`
/// removes a setting with an empty string (`update`): accepted, there is
/// none; `CreateTrail` refuses any CloudWatch Logs member, as before.
fn check_unsupported(input: &Unsupported<'_>, update: bool) -> Result<(), CoreError> {
    let unsupported = |what: &str| -> CoreError {
        CloudTrailError::UnsupportedOperation(format!("{what} is not supported by this endpoint."))
            .into()
    };
    let given = |v: Option<&str>| v.is_some_and(|s| !s.is_empty());
    if given(input.sns_topic_name) {
        return Err(unsupported("SnsTopicName (SNS notifications)"));
    }
    let cloudwatch = if update {
        given(input.cloudwatch_logs_log_group_arn) || given(input.cloudwatch_logs_role_arn)
    } else {
        input.cloudwatch_logs_log_group_arn.is_some() || input.cloudwatch_logs_role_arn.is_some()
    };
    if cloudwatch {
        return Err(unsupported("Delivery to CloudWatch Logs"));
    }
    if given(input.kms_key_id) {
        return Err(unsupported("KmsKeyId (SSE-KMS log files)"));
    }
    if input.enable_log_file_validation == Some(true) {
        return Err(unsupported("EnableLogFileValidation (digest files)"));
    }
    Ok(())
}

/// The most tags a trail has.
pub const MAX_TAGS: usize = 50;

/// Whether a tag key or value has only the characters CloudTrail takes:
/// `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` (the documented rule of
/// `InvalidTagParameterException`).
fn tag_chars(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_alphabetic()
            || c.is_numeric()
            || (c.is_whitespace() && !c.is_control())
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
    })
}

/// Checks the tags of a request: each key and value, keys unique. The
/// count on the trail is checked by the caller (`TagsLimitExceeded`).
fn check_tags(tags: &[(String, Option<String>)]) -> Result<(), CoreError> {
    let bad = |m: &str| -> CoreError { CloudTrailError::InvalidTagParameter(m.to_owned()).into() };
    for (i, (k, v)) in tags.iter().enumerate() {
        if k.is_empty() || k.chars().count() > 128 {
            return Err(bad("Tag key must be between 1 and 128 characters long."));
        }
        if v.as_deref().is_some_and(|v| v.chars().count() > 256) {
            return Err(bad("Tag value must be at most 256 characters long."));
        }
        if !tag_chars(k) || v.as_deref().is_some_and(|v| !tag_chars(v)) {
            return Err(bad(
                "Tag keys and values may contain only Unicode letters, digits, white space and _ . : / = + - @.",
            ));
        }
        if k.to_ascii_lowercase().starts_with("aws:") {
            return Err(bad("Tag keys cannot start with aws:."));
        }
        if tags.iter().take(i).any(|(o, _)| o == k) {
            return Err(bad("Tag keys must be unique."));
        }
    }
    Ok(())
}

fn too_many_tags() -> CoreError {
    // UNCONFIRMED: the message; the code and the limit of 50 are AWS's.
    CloudTrailError::TagsLimitExceeded(format!(
        "The number of tags on the trail exceeds the limit of {MAX_TAGS}."
    ))
    .into()
}

/// Checks a bucket name and key prefix as `CreateTrail` and `UpdateTrail`
/// take them.
fn check_destination(bucket: Option<&str>, prefix: Option<&str>) -> Result<(), CoreError> {
    if let Some(b) = bucket
        && !crate::s3::valid_bucket_name(b)
    {
        return Err(
            CloudTrailError::InvalidS3BucketName(format!("Bucket name is not valid: {b}")).into(),
        );
    }
    if let Some(p) = prefix
        && (p.chars().count() > 200 || p.starts_with('/') || p.contains("//"))
    {
        return Err(CloudTrailError::InvalidS3Prefix(format!("Invalid S3 prefix: {p}")).into());
    }
    Ok(())
}

/// The organization of an organization trail the caller creates (or turns
/// a trail into): the caller is the management account of an organization
/// with all features and trusted access for CloudTrail.
fn organization_for(svc: &Service, caller: &Caller) -> Result<String, CoreError> {
    let state = svc.read();
    let org = state.org.org_of(&caller.account).ok_or_else(|| {
        CoreError::from(CloudTrailError::OrganizationsNotInUse(
            "This account is not a member of an organization.".to_owned(),
        ))
    })?;
    if org.management_account != caller.account {
        return Err(CloudTrailError::NotOrganizationMasterAccount(
            "The request must come from the management account of the organization to create an organization trail.".to_owned(),
        )
        .into());
    }
    if org.feature_set != "ALL" {
        return Err(CloudTrailError::OrganizationNotInAllFeaturesMode(
            "All features must be enabled in the organization to create an organization trail."
                .to_owned(),
        )
        .into());
    }
    if !org.trusted_services.contains_key(SERVICE_PRINCIPAL) {
        return Err(CloudTrailError::CloudTrailAccessNotEnabled(
            "Trusted access for CloudTrail is not enabled in the organization. Enable it with EnableAWSServiceAccess (cloudtrail.amazonaws.com) first.".to_owned(),
        )
        .into());
    }
    Ok(org.id.clone())
}

/// Whether CloudTrail may write where `trail` delivers (the bucket exists
/// and its policy allows it), in `CreateTrail`'s errors.
fn check_bucket(state: &State, trail: &Trail) -> Result<(), CoreError> {
    let key = log_prefix(trail, &trail.account, &trail.home_region);
    match bucket_allows(state, trail, &format!("{key}check")) {
        Ok(()) => Ok(()),
        Err(DeliveryRefused::NoSuchBucket) => Err(CloudTrailError::S3BucketDoesNotExist(format!(
            "S3 bucket {} does not exist.",
            trail.s3_bucket
        ))
        .into()),
        Err(DeliveryRefused::AccessDenied) => {
            Err(CloudTrailError::InsufficientS3BucketPolicy(format!(
                "Incorrect S3 bucket policy is detected for bucket: {}",
                trail.s3_bucket
            ))
            .into())
        }
    }
}

/// `CreateTrail`: a trail in the caller's account and region, not logging
/// yet. The bucket must exist and its policy must let CloudTrail write (as
/// AWS checks). An organization trail is created by the management account
/// of an organization with all features and trusted access for CloudTrail.
pub fn create_trail(
    svc: &Service,
    caller: &Caller,
    input: CreateTrail,
) -> Result<Trail, CoreError> {
    validate_name(&input.name)?;
    check_unsupported(
        &Unsupported {
            sns_topic_name: input.sns_topic_name.as_deref(),
            cloudwatch_logs_log_group_arn: input.cloudwatch_logs_log_group_arn.as_deref(),
            cloudwatch_logs_role_arn: input.cloudwatch_logs_role_arn.as_deref(),
            kms_key_id: input.kms_key_id.as_deref(),
            enable_log_file_validation: input.enable_log_file_validation,
        },
        false,
    )?;
    check_tags(&input.tags)?;
    if input.tags.len() > MAX_TAGS {
        return Err(too_many_tags());
    }
    check_destination(Some(&input.s3_bucket), input.s3_key_prefix.as_deref())?;
    let multi = input.is_multi_region.unwrap_or(false);
    let global = input.include_global_service_events.unwrap_or(true);
    if multi && !global {
        return Err(CloudTrailError::InvalidParameterCombination(
            "Multi-Region trail must include global service events.".to_owned(),
        )
        .into());
    }
    let arn = trail_arn(&caller.region, &caller.account, &input.name);
    svc.authorize(caller, "cloudtrail:CreateTrail", &arn, None, &[])?;
    if !input.tags.is_empty() {
        svc.authorize(caller, "cloudtrail:AddTags", &arn, None, &[])?;
    }
    let organization = if input.is_organization_trail == Some(true) {
        Some(organization_for(svc, caller)?)
    } else {
        None
    };
    let delivered_upto = history_end(svc)?;
    let trail = Trail {
        name: input.name.clone(),
        account: caller.account.clone(),
        home_region: caller.region.clone(),
        s3_bucket: input.s3_bucket.clone(),
        s3_key_prefix: input.s3_key_prefix.clone().filter(|p| !p.is_empty()),
        include_global_service_events: global,
        is_multi_region: multi,
        organization,
        tags: input
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().unwrap_or_default()))
            .collect(),
        created: svc.now(),
        event_selectors: None,
        advanced_event_selectors: None,
        has_custom_event_selectors: false,
        logging: Vec::new(),
        delivered_upto,
        latest_delivery: None,
        latest_delivery_attempt: None,
        latest_delivery_error: None,
    };
    svc.mutate(|state| {
        let clash = state.trails.values().any(|t| {
            t.account == caller.account
                && t.name == trail.name
                && (t.home_region == trail.home_region || t.is_multi_region || multi)
        });
        if clash {
            return Err(CloudTrailError::TrailAlreadyExists(format!(
                "Trail {} already exists for customer: {}",
                trail.name, caller.account
            ))
            .into());
        }
        let here = state
            .trails
            .values()
            .filter(|t| {
                t.account == caller.account
                    && (t.home_region == trail.home_region || t.is_multi_region || multi)
            })
            .count();
        if here >= MAX_TRAILS_PER_REGION {
            return Err(CloudTrailError::MaximumNumberOfTrailsExceeded(format!(
                "User: {} already has {MAX_TRAILS_PER_REGION} trails in {}.",
                caller.account, trail.home_region
            ))
            .into());
        }
        check_bucket(state, &trail)?;
        Ok((
            trail.clone(),
            vec![Change::Put(Record::Trail(Box::new(trail.clone())))],
        ))
    })
}

/// `DescribeTrails`: the trails named (names or ARNs; unknown ones are left
/// out), or every trail the caller sees in its region, shadow trails of
/// multi-region trails included when `include_shadow_trails`.
pub fn describe_trails(
    svc: &Service,
    caller: &Caller,
    names: &[String],
    include_shadow_trails: bool,
) -> Result<Vec<Trail>, CoreError> {
    svc.authorize(caller, "cloudtrail:DescribeTrails", "*", None, &[])?;
    let state = svc.read();
    if names.is_empty() {
        return Ok(
            visible(&state, caller, &caller.region, include_shadow_trails)
                .cloned()
                .collect(),
        );
    }
    let mut out: Vec<Trail> = Vec::new();
    for n in names {
        // A name: the caller's trail of this region only (another region's,
        // or an organization trail seen from a member, by its ARN).
        let found = find_here(&state, caller, n).ok();
        if let Some(t) = found
            && !out.iter().any(|o| o.key() == t.key())
        {
            out.push(t);
        }
    }
    Ok(out)
}

/// `ListTrails`: every trail the caller sees, in any region.
pub fn list_trails(svc: &Service, caller: &Caller) -> Result<Vec<Trail>, CoreError> {
    svc.authorize(caller, "cloudtrail:ListTrails", "*", None, &[])?;
    let state = svc.read();
    Ok(state
        .trails
        .values()
        .filter(|t| sees(&state, caller, t))
        .cloned()
        .collect())
}

/// `GetTrail`.
pub fn get_trail(svc: &Service, caller: &Caller, name: &str) -> Result<Trail, CoreError> {
    let trail = find(&svc.read(), caller, name)?;
    authorize_read(svc, caller, "GetTrail", &trail)?;
    Ok(trail)
}

/// `GetTrailStatus`: the trail, whose logging periods and delivery fields
/// answer it.
pub fn get_trail_status(svc: &Service, caller: &Caller, name: &str) -> Result<Trail, CoreError> {
    let trail = find_here(&svc.read(), caller, name)?;
    authorize_read(svc, caller, "GetTrailStatus", &trail)?;
    Ok(trail)
}

/// `GetEventSelectors`.
pub fn get_event_selectors(svc: &Service, caller: &Caller, name: &str) -> Result<Trail, CoreError> {
    let trail = find(&svc.read(), caller, name)?;
    authorize_read(svc, caller, "GetEventSelectors", &trail)?;
    Ok(trail)
}

/// Changes the trail `name` names with `f` (after authorizing `op` as a
/// change from the trail's home region), on the latest state.
fn change(
    svc: &Service,
    caller: &Caller,
    name: &str,
    op: &str,
    f: impl FnOnce(&mut Trail, OffsetDateTime),
) -> Result<Trail, CoreError> {
    let trail = find(&svc.read(), caller, name)?;
    authorize_write(svc, caller, op, &trail)?;
    let key = trail.key();
    let now = svc.now();
    svc.mutate(|state| {
        let mut t = state
            .trails
            .get(&key)
            .cloned()
            .ok_or_else(|| unknown_trail(&trail.arn(), caller))?;
        let before = t.clone();
        f(&mut t, now);
        if t == before {
            return Ok((t, Vec::new()));
        }
        Ok((t.clone(), vec![Change::Put(Record::Trail(Box::new(t)))]))
    })
}

/// Logging periods older than the event history's retention are dropped.
fn prune(t: &mut Trail, now: OffsetDateTime) {
    let horizon = now - crate::trail::DEFAULT_RETENTION;
    t.logging.retain(|p| p.stop.is_none_or(|s| s > horizon));
}

/// `StartLogging`: from now on the trail's events are delivered.
pub fn start_logging(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    change(svc, caller, name, "StartLogging", |t, now| {
        if !t.is_logging() {
            prune(t, now);
            t.logging.push(LoggingPeriod {
                start: now,
                stop: None,
            });
        }
    })
    .map(|_| ())
}

/// `StopLogging`: events after now are no longer delivered (those before
/// still are).
pub fn stop_logging(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    change(svc, caller, name, "StopLogging", |t, now| {
        if let Some(p) = t.logging.last_mut()
            && p.stop.is_none()
        {
            p.stop = Some(now);
        }
    })
    .map(|_| ())
}

/// `DeleteTrail`: the trail stops delivering (log files already delivered
/// stay in the bucket).
pub fn delete_trail(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    let trail = find(&svc.read(), caller, name)?;
    authorize_write(svc, caller, "DeleteTrail", &trail)?;
    let key = trail.key();
    svc.mutate(|state| {
        if !state.trails.contains_key(&key) {
            return Err(unknown_trail(&trail.arn(), caller));
        }
        Ok(((), vec![Change::Delete(table::TRAILS, key.clone())]))
    })
}
