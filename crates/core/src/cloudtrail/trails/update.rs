//! `UpdateTrail`: changes the settings `CreateTrail` set, with its checks.
//! Split from the trail operations in `cloudtrail/trails.rs`.

use super::*;

/// The inputs of `UpdateTrail`: a member left out leaves its setting as it
/// is.
#[derive(Debug, Clone, Default)]
pub struct UpdateTrail {
    /// `Name`: the trail's name or ARN.
    pub name: String,
    /// `S3BucketName`.
    pub s3_bucket: Option<String>,
    /// `S3KeyPrefix` (empty: none).
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName` (not supported; empty: none).
    pub sns_topic_name: Option<String>,
    /// `IncludeGlobalServiceEvents`.
    pub include_global_service_events: Option<bool>,
    /// `IsMultiRegionTrail`.
    pub is_multi_region: Option<bool>,
    /// `EnableLogFileValidation` (only `false` is supported).
    pub enable_log_file_validation: Option<bool>,
    /// `CloudWatchLogsLogGroupArn` (not supported; empty: none).
    pub cloudwatch_logs_log_group_arn: Option<String>,
    /// `CloudWatchLogsRoleArn` (not supported; empty: none).
    pub cloudwatch_logs_role_arn: Option<String>,
    /// `KmsKeyId` (not supported; empty: none).
    pub kms_key_id: Option<String>,
    /// `IsOrganizationTrail`.
    pub is_organization_trail: Option<bool>,
}

/// `UpdateTrail`: from the trail's home region, by its owner. A new
/// destination (bucket, prefix, or organization, which is part of the log
/// files' keys) is checked against the bucket policy as `CreateTrail`
/// checks it; a trail turned multi-region must not clash with a trail of
/// the same name in another region nor exceed five trails in any region.
pub fn update_trail(
    svc: &Service,
    caller: &Caller,
    input: UpdateTrail,
) -> Result<Trail, CoreError> {
    let trail = find(&svc.read(), caller, &input.name)?;
    authorize_write(svc, caller, "UpdateTrail", &trail)?;
    check_unsupported(
        &Unsupported {
            sns_topic_name: input.sns_topic_name.as_deref(),
            cloudwatch_logs_log_group_arn: input.cloudwatch_logs_log_group_arn.as_deref(),
            cloudwatch_logs_role_arn: input.cloudwatch_logs_role_arn.as_deref(),
            kms_key_id: input.kms_key_id.as_deref(),
            enable_log_file_validation: input.enable_log_file_validation,
        },
        true,
    )?;
    check_destination(input.s3_bucket.as_deref(), input.s3_key_prefix.as_deref())?;
    // `Some(None)`: no longer an organization trail.
    let organization = match input.is_organization_trail {
        Some(true) if trail.organization.is_none() => Some(Some(organization_for(svc, caller)?)),
        Some(false) => Some(None),
        _ => None,
    };
    let key = trail.key();
    svc.mutate(|state| {
        let before = state
            .trails
            .get(&key)
            .cloned()
            .ok_or_else(|| unknown_trail(&trail.arn(), caller))?;
        let mut t = before.clone();
        if let Some(b) = &input.s3_bucket {
            t.s3_bucket.clone_from(b);
        }
        if let Some(p) = &input.s3_key_prefix {
            t.s3_key_prefix = Some(p.clone()).filter(|p| !p.is_empty());
        }
        if let Some(g) = input.include_global_service_events {
            t.include_global_service_events = g;
        }
        if let Some(m) = input.is_multi_region {
            t.is_multi_region = m;
        }
        if let Some(o) = &organization {
            t.organization.clone_from(o);
        }
        if t.is_multi_region && !t.include_global_service_events {
            return Err(CloudTrailError::InvalidParameterCombination(
                "Multi-Region trail must include global service events.".to_owned(),
            )
            .into());
        }
        if t.is_multi_region && !before.is_multi_region {
            check_multi_region(state, &t)?;
        }
        let moved = t.s3_bucket != before.s3_bucket
            || t.s3_key_prefix != before.s3_key_prefix
            || t.organization != before.organization;
        if moved {
            check_bucket(state, &t)?;
        }
        if t == before {
            return Ok((t, Vec::new()));
        }
        Ok((t.clone(), vec![Change::Put(Record::Trail(Box::new(t)))]))
    })
}

/// A trail turned multi-region shows in every region: no other trail of
/// the account has its name, and no region gets a sixth trail.
/// UNCONFIRMED: the codes (UpdateTrail's model declares neither; they are
/// `CreateTrail`'s for the same conflicts).
fn check_multi_region(state: &State, t: &Trail) -> Result<(), CoreError> {
    let key = t.key();
    let others: Vec<&Trail> = state
        .trails
        .values()
        .filter(|o| o.account == t.account && o.key() != key)
        .collect();
    if others.iter().any(|o| o.name == t.name) {
        return Err(CloudTrailError::TrailAlreadyExists(format!(
            "Trail {} already exists for customer: {}",
            t.name, t.account
        ))
        .into());
    }
    let regions = others
        .iter()
        .map(|o| o.home_region.as_str())
        .chain([t.home_region.as_str()]);
    for region in regions {
        let here = others
            .iter()
            .filter(|o| o.home_region == region || o.is_multi_region)
            .count();
        if here >= MAX_TRAILS_PER_REGION {
            return Err(CloudTrailError::MaximumNumberOfTrailsExceeded(format!(
                "User: {} already has {MAX_TRAILS_PER_REGION} trails in {region}.",
                t.account
            ))
            .into());
        }
    }
    Ok(())
}
