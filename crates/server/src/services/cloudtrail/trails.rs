//! CloudTrail trails over JSON 1.1: requests decoded into the domain's
//! inputs (`rootward_core::cloudtrail::trails`), trails encoded in the
//! model's shapes.

use rootward_core::clock::iso8601;
use rootward_core::cloudtrail::CloudTrailError;
use rootward_core::cloudtrail::model::{
    AdvancedEventSelector, DataResource, EventSelector, FieldSelector, ReadWriteType, Trail,
};
use rootward_core::cloudtrail::trails::{self as domain, CreateTrail, Selectors, UpdateTrail};
use serde_json::{Map, Value, json};

use super::error;
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::protocol::json::timestamp;
use crate::services::Ctx;

fn strings(i: &Input<'_>, name: &str) -> Vec<String> {
    i.list(name).into_iter().map(str::to_owned).collect()
}

/// A trail as `DescribeTrails` and `GetTrail` show it.
fn trail(t: &Trail) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), t.name.clone().into());
    m.insert("S3BucketName".into(), t.s3_bucket.clone().into());
    if let Some(p) = &t.s3_key_prefix {
        m.insert("S3KeyPrefix".into(), p.clone().into());
    }
    m.insert(
        "IncludeGlobalServiceEvents".into(),
        t.include_global_service_events.into(),
    );
    m.insert("IsMultiRegionTrail".into(), t.is_multi_region.into());
    m.insert("HomeRegion".into(), t.home_region.clone().into());
    m.insert("TrailARN".into(), t.arn().into());
    m.insert("LogFileValidationEnabled".into(), false.into());
    m.insert(
        "HasCustomEventSelectors".into(),
        t.has_custom_event_selectors.into(),
    );
    m.insert("HasInsightSelectors".into(), false.into());
    m.insert(
        "IsOrganizationTrail".into(),
        t.is_organization_trail().into(),
    );
    Value::Object(m)
}

/// `Name` as a trail name or ARN.
fn name<'a>(i: &Input<'a>) -> Result<&'a str, ApiError> {
    i.required("Name")
}

pub(super) fn create_trail(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let tags = tags_in(i);
    let input = CreateTrail {
        name: name(i)?.to_owned(),
        s3_bucket: i.required("S3BucketName")?.to_owned(),
        s3_key_prefix: i.str("S3KeyPrefix").map(str::to_owned),
        sns_topic_name: i.str("SnsTopicName").map(str::to_owned),
        include_global_service_events: i.bool("IncludeGlobalServiceEvents")?,
        is_multi_region: i.bool("IsMultiRegionTrail")?,
        enable_log_file_validation: i.bool("EnableLogFileValidation")?,
        cloudwatch_logs_log_group_arn: i.str("CloudWatchLogsLogGroupArn").map(str::to_owned),
        cloudwatch_logs_role_arn: i.str("CloudWatchLogsRoleArn").map(str::to_owned),
        kms_key_id: i.str("KmsKeyId").map(str::to_owned),
        is_organization_trail: i.bool("IsOrganizationTrail")?,
        tags,
    };
    let t = domain::create_trail(ctx.svc, ctx.caller, input).map_err(error)?;
    Ok(Some(created(&t)))
}

/// A trail as `CreateTrail` and `UpdateTrail` answer it.
fn created(t: &Trail) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), t.name.clone().into());
    m.insert("S3BucketName".into(), t.s3_bucket.clone().into());
    if let Some(p) = &t.s3_key_prefix {
        m.insert("S3KeyPrefix".into(), p.clone().into());
    }
    m.insert(
        "IncludeGlobalServiceEvents".into(),
        t.include_global_service_events.into(),
    );
    m.insert("IsMultiRegionTrail".into(), t.is_multi_region.into());
    m.insert("TrailARN".into(), t.arn().into());
    m.insert("LogFileValidationEnabled".into(), false.into());
    m.insert(
        "IsOrganizationTrail".into(),
        t.is_organization_trail().into(),
    );
    Value::Object(m)
}

/// `TagsList`: key, value.
fn tags_in(i: &Input<'_>) -> Vec<(String, Option<String>)> {
    i.structs("TagsList")
        .into_iter()
        .map(|t| {
            let key = t.str("Key").unwrap_or("").to_owned();
            let value = t.str("Value").map(str::to_owned);
            (key, value)
        })
        .collect()
}

pub(super) fn update_trail(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let input = UpdateTrail {
        name: name(i)?.to_owned(),
        s3_bucket: i.str("S3BucketName").map(str::to_owned),
        s3_key_prefix: i.str("S3KeyPrefix").map(str::to_owned),
        sns_topic_name: i.str("SnsTopicName").map(str::to_owned),
        include_global_service_events: i.bool("IncludeGlobalServiceEvents")?,
        is_multi_region: i.bool("IsMultiRegionTrail")?,
        enable_log_file_validation: i.bool("EnableLogFileValidation")?,
        cloudwatch_logs_log_group_arn: i.str("CloudWatchLogsLogGroupArn").map(str::to_owned),
        cloudwatch_logs_role_arn: i.str("CloudWatchLogsRoleArn").map(str::to_owned),
        kms_key_id: i.str("KmsKeyId").map(str::to_owned),
        is_organization_trail: i.bool("IsOrganizationTrail")?,
    };
    let t = domain::update_trail(ctx.svc, ctx.caller, input).map_err(error)?;
    Ok(Some(created(&t)))
}

pub(super) fn add_tags(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    domain::add_tags(ctx.svc, ctx.caller, i.required("ResourceId")?, &tags_in(i)).map_err(error)?;
    Ok(Some(json!({})))
}

pub(super) fn remove_tags(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    domain::remove_tags(ctx.svc, ctx.caller, i.required("ResourceId")?, &tags_in(i))
        .map_err(error)?;
    Ok(Some(json!({})))
}

pub(super) fn list_tags(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    // Every answer is one page: a token was never handed out.
    if i.has("NextToken") {
        return Err(error(
            CloudTrailError::InvalidToken("Invalid NextToken.".to_owned()).into(),
        ));
    }
    let trails =
        domain::list_tags(ctx.svc, ctx.caller, &strings(i, "ResourceIdList")).map_err(error)?;
    let list: Vec<Value> = trails
        .iter()
        .map(|t| {
            let tags: Vec<Value> = t
                .tags
                .iter()
                .map(|(k, v)| {
                    // A tag added without a value shows none.
                    if v.is_empty() {
                        json!({ "Key": k })
                    } else {
                        json!({ "Key": k, "Value": v })
                    }
                })
                .collect();
            json!({ "ResourceId": t.arn(), "TagsList": tags })
        })
        .collect();
    Ok(Some(json!({ "ResourceTagList": list })))
}

/// `GetInsightSelectors` and `PutInsightSelectors` name a trail; event data
/// stores (CloudTrail Lake) do not exist here.
fn insight_trail<'a>(i: &Input<'a>) -> Result<&'a str, ApiError> {
    match (
        i.str("TrailName"),
        i.has("EventDataStore") || i.has("InsightsDestination"),
    ) {
        (_, true) => Err(error(
            CloudTrailError::UnsupportedOperation(
                "Event data stores (CloudTrail Lake) are not supported by this endpoint."
                    .to_owned(),
            )
            .into(),
        )),
        (Some(t), false) => Ok(t),
        // UNCONFIRMED: the code when neither is given.
        (None, false) => Err(error(
            CloudTrailError::InvalidParameterCombination(
                "You must specify either TrailName or EventDataStore.".to_owned(),
            )
            .into(),
        )),
    }
}

pub(super) fn get_insight_selectors(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let name = insight_trail(i)?;
    // Insights are never enabled: the domain always answers an error.
    match domain::get_insight_selectors(ctx.svc, ctx.caller, name) {
        Ok(never) => match never {},
        Err(e) => Err(error(e)),
    }
}

pub(super) fn put_insight_selectors(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let name = insight_trail(i)?;
    let count = i.structs("InsightSelectors").len();
    let t = domain::put_insight_selectors(ctx.svc, ctx.caller, name, count).map_err(error)?;
    Ok(Some(json!({ "TrailARN": t.arn(), "InsightSelectors": [] })))
}

pub(super) fn describe_trails(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let names = strings(i, "trailNameList");
    let shadows = i.bool("includeShadowTrails")?.unwrap_or(true);
    let trails = domain::describe_trails(ctx.svc, ctx.caller, &names, shadows).map_err(error)?;
    Ok(Some(
        json!({ "trailList": trails.iter().map(trail).collect::<Vec<_>>() }),
    ))
}

pub(super) fn list_trails(ctx: &Ctx<'_>, _: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let trails = domain::list_trails(ctx.svc, ctx.caller).map_err(error)?;
    let list: Vec<Value> = trails
        .iter()
        .map(|t| json!({"TrailARN": t.arn(), "Name": t.name, "HomeRegion": t.home_region}))
        .collect();
    Ok(Some(json!({ "Trails": list })))
}

pub(super) fn get_trail(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let t = domain::get_trail(ctx.svc, ctx.caller, name(i)?).map_err(error)?;
    Ok(Some(json!({ "Trail": trail(&t) })))
}

pub(super) fn get_trail_status(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let t = domain::get_trail_status(ctx.svc, ctx.caller, name(i)?).map_err(error)?;
    let mut m = Map::new();
    m.insert("IsLogging".into(), t.is_logging().into());
    if let Some(e) = &t.latest_delivery_error {
        m.insert("LatestDeliveryError".into(), e.clone().into());
    }
    if let Some(d) = t.latest_delivery {
        m.insert("LatestDeliveryTime".into(), timestamp(d));
    }
    if let Some(s) = t.start_logging_time() {
        m.insert("StartLoggingTime".into(), timestamp(s));
        m.insert("TimeLoggingStarted".into(), iso8601(s).into());
    }
    if let Some(s) = t.stop_logging_time() {
        m.insert("StopLoggingTime".into(), timestamp(s));
        m.insert("TimeLoggingStopped".into(), iso8601(s).into());
    }
    if let Some(a) = t.latest_delivery_attempt {
        m.insert("LatestDeliveryAttemptTime".into(), iso8601(a).into());
    }
    if let Some(d) = t.latest_delivery {
        m.insert("LatestDeliveryAttemptSucceeded".into(), iso8601(d).into());
    }
    // No SNS notifications are sent.
    m.insert("LatestNotificationAttemptTime".into(), "".into());
    m.insert("LatestNotificationAttemptSucceeded".into(), "".into());
    Ok(Some(Value::Object(m)))
}

pub(super) fn start_logging(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    domain::start_logging(ctx.svc, ctx.caller, name(i)?).map_err(error)?;
    Ok(Some(json!({})))
}

pub(super) fn stop_logging(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    domain::stop_logging(ctx.svc, ctx.caller, name(i)?).map_err(error)?;
    Ok(Some(json!({})))
}

pub(super) fn delete_trail(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    domain::delete_trail(ctx.svc, ctx.caller, name(i)?).map_err(error)?;
    Ok(Some(json!({})))
}

/// A trail's selectors as `Get/PutEventSelectors` answer them.
fn selectors(t: &Trail) -> Value {
    let mut m = Map::new();
    m.insert("TrailARN".into(), t.arn().into());
    if let Some(advanced) = &t.advanced_event_selectors {
        let list: Vec<Value> = advanced
            .iter()
            .map(|s| {
                let fields: Vec<Value> = s
                    .field_selectors
                    .iter()
                    .map(|f| {
                        let mut o = Map::new();
                        o.insert("Field".into(), f.field.clone().into());
                        for (k, v) in [
                            ("Equals", &f.equals),
                            ("StartsWith", &f.starts_with),
                            ("EndsWith", &f.ends_with),
                            ("NotEquals", &f.not_equals),
                            ("NotStartsWith", &f.not_starts_with),
                            ("NotEndsWith", &f.not_ends_with),
                        ] {
                            if !v.is_empty() {
                                o.insert(k.into(), v.clone().into());
                            }
                        }
                        Value::Object(o)
                    })
                    .collect();
                let mut o = Map::new();
                if let Some(n) = &s.name {
                    o.insert("Name".into(), n.clone().into());
                }
                o.insert("FieldSelectors".into(), fields.into());
                Value::Object(o)
            })
            .collect();
        m.insert("AdvancedEventSelectors".into(), list.into());
    } else {
        let default = [EventSelector::default_selector()];
        let basic = t.event_selectors.as_deref().unwrap_or(&default);
        let list: Vec<Value> = basic
            .iter()
            .map(|s| {
                json!({
                    "ReadWriteType": s.read_write_type.as_str(),
                    "IncludeManagementEvents": s.include_management_events,
                    "DataResources": s.data_resources.iter().map(|d| json!({"Type": d.kind, "Values": d.values})).collect::<Vec<_>>(),
                    "ExcludeManagementEventSources": s.exclude_management_event_sources,
                })
            })
            .collect();
        m.insert("EventSelectors".into(), list.into());
    }
    Value::Object(m)
}

pub(super) fn get_event_selectors(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let t = domain::get_event_selectors(ctx.svc, ctx.caller, i.required("TrailName")?)
        .map_err(error)?;
    Ok(Some(selectors(&t)))
}

fn invalid_selectors(message: &str) -> ApiError {
    ApiError::new("InvalidEventSelectorsException", 400, message)
}

fn basic_selector(s: Input<'_>) -> Result<EventSelector, ApiError> {
    let read_write_type = match s.str("ReadWriteType") {
        None => ReadWriteType::All,
        Some(t) => ReadWriteType::from_name(t).ok_or_else(|| {
            invalid_selectors(&format!("Value {t} for ReadWriteType is invalid."))
        })?,
    };
    let data_resources = s
        .structs("DataResources")
        .into_iter()
        .map(|d| DataResource {
            kind: d.str("Type").unwrap_or("").to_owned(),
            values: strings(&d, "Values"),
        })
        .collect();
    Ok(EventSelector {
        read_write_type,
        include_management_events: s.bool("IncludeManagementEvents")?.unwrap_or(true),
        data_resources,
        exclude_management_event_sources: strings(&s, "ExcludeManagementEventSources"),
    })
}

fn advanced_selector(s: Input<'_>) -> AdvancedEventSelector {
    let field_selectors = s
        .structs("FieldSelectors")
        .into_iter()
        .map(|f| FieldSelector {
            field: f.str("Field").unwrap_or("").to_owned(),
            equals: strings(&f, "Equals"),
            starts_with: strings(&f, "StartsWith"),
            ends_with: strings(&f, "EndsWith"),
            not_equals: strings(&f, "NotEquals"),
            not_starts_with: strings(&f, "NotStartsWith"),
            not_ends_with: strings(&f, "NotEndsWith"),
        })
        .collect();
    AdvancedEventSelector {
        name: s.str("Name").map(str::to_owned),
        field_selectors,
    }
}

pub(super) fn put_event_selectors(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let trail_name = i.required("TrailName")?;
    let selectors_in = match (i.has("EventSelectors"), i.has("AdvancedEventSelectors")) {
        (true, false) => Selectors::Basic(
            i.structs("EventSelectors")
                .into_iter()
                .map(basic_selector)
                .collect::<Result<_, _>>()?,
        ),
        (false, true) => Selectors::Advanced(
            i.structs("AdvancedEventSelectors")
                .into_iter()
                .map(advanced_selector)
                .collect(),
        ),
        _ => {
            return Err(ApiError::new(
                "InvalidParameterCombinationException",
                400,
                "You must specify either EventSelectors or AdvancedEventSelectors, but not both.",
            ));
        }
    };
    let t = domain::put_event_selectors(ctx.svc, ctx.caller, trail_name, selectors_in)
        .map_err(error)?;
    Ok(Some(selectors(&t)))
}
