//! CloudTrail (JSON 1.1): `LookupEvents` over the event history (spec 04
//! §4.3.5), and trails as configuration ([`trails`]).

mod trails;

use rootward_core::trail::Lookup;
use serde_json::{Value, json};
use time::OffsetDateTime;

use rootward_model::ValidationErrors;
use rootward_model::Value as In;
use rootward_model::cloudtrail::Operation;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::json::timestamp;
use crate::services::{Ctx, Output};

type Handler = fn(&Ctx<'_>, &Input<'_>) -> Result<Option<Value>, ApiError>;

/// The handler of each CloudTrail operation this endpoint serves (`None`:
/// not served; the operation tables mark exactly these as implemented).
pub(super) fn handler(op: Operation) -> Option<Handler> {
    use Operation::*;
    Some(match op {
        LookupEvents => lookup_events,
        CreateTrail => trails::create_trail,
        DescribeTrails => trails::describe_trails,
        ListTrails => trails::list_trails,
        GetTrail => trails::get_trail,
        GetTrailStatus => trails::get_trail_status,
        StartLogging => trails::start_logging,
        StopLogging => trails::stop_logging,
        GetEventSelectors => trails::get_event_selectors,
        PutEventSelectors => trails::put_event_selectors,
        DeleteTrail => trails::delete_trail,
        UpdateTrail => trails::update_trail,
        AddTags => trails::add_tags,
        RemoveTags => trails::remove_tags,
        ListTags => trails::list_tags,
        GetInsightSelectors => trails::get_insight_selectors,
        PutInsightSelectors => trails::put_insight_selectors,
        ListPublicKeys => list_public_keys,
        _ => return None,
    })
}

const KEYS: &[&str] = &[
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
];

/// How CloudTrail answers input that breaks the model's constraints:
/// `InvalidParameterException` with the Coral message [UNCONFIRMED], but a
/// `MaxResults` out of its range alone is `InvalidMaxResultsException`, as
/// LookupEvents documents (spec 04).
pub fn invalid(e: &ValidationErrors) -> ApiError {
    let code = if !e.0.is_empty()
        && e.0
            .iter()
            .all(|v| v.path == "maxResults" || v.path == "MaxResults")
    {
        "InvalidMaxResultsException"
    } else {
        "InvalidParameterException"
    };
    ApiError::new(code, 400, e.to_string())
}

/// Runs a CloudTrail operation.
pub fn call(
    op: Operation,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<Value>>, ApiError> {
    match handler(op) {
        Some(h) => h(ctx, input).map(Output::from),
        None => Err(crate::protocol::json::unknown_operation()),
    }
}

/// A timestamp member: epoch seconds (number) or an ISO-8601 string.
fn time_member(i: &Input<'_>, name: &str) -> Result<Option<OffsetDateTime>, ApiError> {
    let bad = || {
        ApiError::new(
            "InvalidTimeRangeException",
            400,
            format!("{name} is not a valid time"),
        )
    };
    match i.get(name) {
        None => Ok(None),
        Some(In::Int(_) | In::Float(_)) => {
            let secs = i.number(name).ok_or_else(bad)?;
            // Beyond what a date can be (1e300, an infinity): not a time,
            // rather than a number saturated into one.
            if !secs.is_finite() || secs.abs() > 1e12 {
                return Err(bad());
            }
            #[expect(
                clippy::cast_possible_truncation,
                reason = "bounded above: epoch milliseconds fit an i128"
            )]
            let ms = (secs * 1_000.0) as i128;
            ms.checked_mul(1_000_000)
                .and_then(|n| OffsetDateTime::from_unix_timestamp_nanos(n).ok())
                .map(Some)
                .ok_or_else(bad)
        }
        Some(In::Str(s)) => {
            OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .map(Some)
                .map_err(|_| bad())
        }
        Some(_) => Err(bad()),
    }
}

/// A domain failure in CloudTrail's words (its `AccessDeniedException` is
/// an HTTP 400).
fn error(e: rootward_core::CoreError) -> ApiError {
    match e {
        rootward_core::CoreError::AccessDenied(m) => {
            ApiError::modelled(&rootward_model::cloudtrail::ER_ACCESS_DENIED_EXCEPTION, m)
        }
        e => from_core(e),
    }
}

/// `ListPublicKeys`: the keys that sign log file validation digests. None
/// are produced here (`EnableLogFileValidation` is refused), so the list is
/// empty; the time range is still checked as AWS checks it.
fn list_public_keys(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    ctx.svc
        .authorize(ctx.caller, "cloudtrail:ListPublicKeys", "*", None, &[])
        .map_err(error)?;
    let start = time_member(i, "StartTime")?;
    let end = time_member(i, "EndTime")?;
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(ApiError::new(
            "InvalidTimeRangeException",
            400,
            "Start time must be before end time.",
        ));
    }
    if i.has("NextToken") {
        return Err(ApiError::modelled(
            &rootward_model::cloudtrail::ER_INVALID_TOKEN_EXCEPTION,
            "Invalid NextToken.",
        ));
    }
    Ok(Some(json!({ "PublicKeyList": [] })))
}

fn lookup_events(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    ctx.svc
        .authorize(ctx.caller, "cloudtrail:LookupEvents", "*", None, &[])
        .map_err(error)?;
    let attributes = i.structs("LookupAttributes");
    if attributes.len() > 1 {
        return Err(ApiError::new(
            "InvalidLookupAttributesException",
            400,
            "You cannot specify more than one lookup attribute.",
        ));
    }
    let attribute = match attributes.first() {
        None => None,
        Some(a) => {
            let key = a.str("AttributeKey").unwrap_or("");
            let value = a.str("AttributeValue").unwrap_or("");
            // ReadOnly takes `true` or `false` (any case: UNCONFIRMED);
            // another value used to count as `false`.
            let read_only_value = key != "ReadOnly"
                || matches!(value.to_ascii_lowercase().as_str(), "true" | "false");
            if !KEYS.contains(&key)
                || value.is_empty()
                || value.chars().count() > 2000
                || !read_only_value
            {
                return Err(ApiError::new(
                    "InvalidLookupAttributesException",
                    400,
                    format!("The lookup attribute {key} is not valid."),
                ));
            }
            let value = if key == "ReadOnly" {
                value.to_ascii_lowercase()
            } else {
                value.to_owned()
            };
            Some((key.to_owned(), value))
        }
    };
    let start = time_member(i, "StartTime")?;
    let end = time_member(i, "EndTime")?;
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(ApiError::new(
            "InvalidTimeRangeException",
            400,
            "Start time must be before end time.",
        ));
    }
    // `insight` is the one category LookupEvents takes; it asks for
    // Insights events instead of management events.
    let insights = match i.str("EventCategory") {
        None => false,
        Some("insight") => true,
        Some(_) => {
            return Err(ApiError::new(
                "InvalidEventCategoryException",
                400,
                "Invalid EventCategory.",
            ));
        }
    };
    let max = i.int("MaxResults")?.unwrap_or(50);
    if !(1..=50).contains(&max) {
        return Err(ApiError::new(
            "InvalidMaxResultsException",
            400,
            "MaxResults must be between 1 and 50.",
        ));
    }
    // Insights are never enabled here, so there are no Insights events.
    if insights {
        return Ok(Some(json!({ "Events": [] })));
    }
    // A token is bound to the query it continues.
    let fingerprint: Vec<_> = i
        .members()
        .iter()
        .filter(|(k, _)| !matches!(*k, "NextToken" | "MaxResults"))
        .collect();
    // And to the account and region whose history it pages: another's
    // token is not valid there (spec 04: InvalidNextTokenException).
    let fp = format!(
        "{:016x}",
        rootward_policy::policy::fnv1a(
            format!(
                "{fingerprint:?}/{}/{}",
                ctx.caller.account, ctx.caller.region
            )
            .bytes()
        )
    );
    // Global services' events live in us-east-1; others in the endpoint's region.
    let trail = ctx
        .svc
        .trail()
        .ok_or_else(|| ApiError::new("OperationNotPermittedException", 400, "No event history."))?;
    // A token is `offset:anchor:fingerprint`: the anchor is the newest stored
    // event when the first page was asked for, so that events recorded since
    // (these lookups' own among them) never shift the later pages.
    let (offset, anchor) = match i.str("NextToken") {
        None => {
            trail.flush();
            (0, trail.last_seq().map_err(from_core)?)
        }
        Some(t) => {
            let mut parts = t.splitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(o), Some(a), Some(f)) if f == fp => o
                    .parse::<usize>()
                    .ok()
                    .zip(a.parse::<u64>().ok())
                    .ok_or_else(|| {
                        ApiError::new("InvalidNextTokenException", 400, "Invalid NextToken.")
                    })?,
                _ => {
                    return Err(ApiError::new(
                        "InvalidNextTokenException",
                        400,
                        "Invalid NextToken.",
                    ));
                }
            }
        }
    };
    let limit = usize::try_from(max).unwrap_or(50);
    let events = trail
        .lookup(&Lookup {
            account: ctx.caller.account.clone(),
            region: ctx.caller.region.clone(),
            attribute,
            start,
            end,
            until_seq: Some(anchor),
            offset,
            limit: limit + 1,
        })
        .map_err(from_core)?;
    let more = events.len() > limit;
    let out: Vec<Value> = events
        .iter()
        .take(limit)
        .map(|e| {
            json!({
                "EventId": e.id,
                "EventName": e.name,
                "ReadOnly": if e.read_only { "true" } else { "false" },
                "AccessKeyId": e.access_key,
                // Whole seconds, as the record's `eventTime` (and AWS) shows it.
                "EventTime": timestamp(e.time.replace_nanosecond(0).unwrap_or(e.time)),
                "EventSource": e.source,
                "Username": e.username,
                "Resources": e.resources.iter().map(|(t, n)| json!({"ResourceType": t, "ResourceName": rootward_core::trail::resource_name(t, n)})).collect::<Vec<_>>(),
                "CloudTrailEvent": e.json,
            })
        })
        .collect();
    let mut answer = json!({ "Events": out });
    if more && let Value::Object(m) = &mut answer {
        m.insert(
            "NextToken".into(),
            Value::String(format!("{}:{anchor}:{fp}", offset + limit)),
        );
    }
    Ok(Some(answer))
}
