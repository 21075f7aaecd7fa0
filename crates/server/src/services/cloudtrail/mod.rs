//! CloudTrail (JSON 1.1): `LookupEvents` over the event history (spec 04
//! §4.3.5), and trails as configuration ([`trails`]).

mod trails;

use rootward_core::trail::Lookup;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::error::{ApiError, from_core};
use crate::protocol::json::{Input, timestamp};
use crate::services::Ctx;

/// The `X-Amz-Target` prefix botocore sends; the AWS SDK for Rust sends the
/// short form `CloudTrail_20131101.<Operation>`.
pub const TARGET_PREFIX: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";

/// The operation of an `X-Amz-Target`, in either form.
pub fn operation(target: Option<&str>) -> Result<&str, ApiError> {
    crate::protocol::json::operation(target, TARGET_PREFIX)
        .or_else(|_| crate::protocol::json::operation(target, "CloudTrail_20131101"))
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

fn missing(name: &str) -> ApiError {
    ApiError::new(
        "InvalidParameterException",
        400,
        format!("Value null at '{name}' failed to satisfy constraint: Member must not be null"),
    )
}

/// Runs a CloudTrail operation.
pub fn call(op: &str, ctx: &Ctx<'_>, body: &[u8]) -> Result<Option<Value>, ApiError> {
    let input = Input::parse(body, missing)?;
    match op {
        "LookupEvents" => lookup_events(ctx, &input, body),
        "CreateTrail" => trails::create_trail(ctx, &input, body),
        "DescribeTrails" => trails::describe_trails(ctx, &input, body),
        "ListTrails" => trails::list_trails(ctx),
        "GetTrail" => trails::get_trail(ctx, &input),
        "GetTrailStatus" => trails::get_trail_status(ctx, &input),
        "StartLogging" => trails::start_logging(ctx, &input),
        "StopLogging" => trails::stop_logging(ctx, &input),
        "GetEventSelectors" => trails::get_event_selectors(ctx, &input),
        "PutEventSelectors" => trails::put_event_selectors(ctx, &input, body),
        "DeleteTrail" => trails::delete_trail(ctx, &input),
        _ => Err(crate::protocol::json::unknown_operation()),
    }
}

/// A timestamp member: epoch seconds (number) or an ISO-8601 string.
fn time_member(v: Option<&Value>, name: &str) -> Result<Option<OffsetDateTime>, ApiError> {
    let bad = || {
        ApiError::new(
            "InvalidTimeRangeException",
            400,
            format!("{name} is not a valid time"),
        )
    };
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let secs = n.as_f64().ok_or_else(bad)?;
            #[expect(
                clippy::cast_possible_truncation,
                reason = "epoch milliseconds fit an i128"
            )]
            let ms = (secs * 1_000.0) as i128;
            OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000)
                .map(Some)
                .map_err(|_| bad())
        }
        Some(Value::String(s)) => {
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
    match from_core(e) {
        a if a.code == "AccessDenied" => ApiError::new("AccessDeniedException", 400, a.message),
        a => a,
    }
}

fn lookup_events(ctx: &Ctx<'_>, i: &Input, body: &[u8]) -> Result<Option<Value>, ApiError> {
    ctx.svc
        .authorize(ctx.caller, "cloudtrail:LookupEvents", "*", None, &[])
        .map_err(error)?;
    let raw: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let attributes = raw
        .get("LookupAttributes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
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
            let key = a.get("AttributeKey").and_then(Value::as_str).unwrap_or("");
            let value = a
                .get("AttributeValue")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !KEYS.contains(&key) || value.is_empty() || value.chars().count() > 2000 {
                return Err(ApiError::new(
                    "InvalidLookupAttributesException",
                    400,
                    format!("The lookup attribute {key} is not valid."),
                ));
            }
            Some((key.to_owned(), value.to_owned()))
        }
    };
    let start = time_member(raw.get("StartTime"), "StartTime")?;
    let end = time_member(raw.get("EndTime"), "EndTime")?;
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(ApiError::new(
            "InvalidTimeRangeException",
            400,
            "Start time must be before end time.",
        ));
    }
    if let Some(c) = i.str("EventCategory")?
        && c != "insight"
    {
        return Err(ApiError::new(
            "InvalidEventCategoryException",
            400,
            "Invalid EventCategory.",
        ));
    }
    let max = i.int("MaxResults")?.unwrap_or(50);
    if !(1..=50).contains(&max) {
        return Err(ApiError::new(
            "InvalidMaxResultsException",
            400,
            "MaxResults must be between 1 and 50.",
        ));
    }
    // A token is bound to the query it continues.
    let mut fingerprint = raw.clone();
    if let Value::Object(m) = &mut fingerprint {
        m.remove("NextToken");
        m.remove("MaxResults");
    }
    let fp = format!("{:016x}", fxhash(fingerprint.to_string().as_bytes()));
    let offset = match i.str("NextToken")? {
        None => 0,
        Some(t) => t
            .split_once(':')
            .filter(|(_, f)| *f == fp)
            .and_then(|(o, _)| o.parse::<usize>().ok())
            .ok_or_else(|| ApiError::new("InvalidNextTokenException", 400, "Invalid NextToken."))?,
    };
    let limit = usize::try_from(max).unwrap_or(50);
    // Global services' events live in us-east-1; others in the endpoint's region.
    let trail = ctx
        .svc
        .trail()
        .ok_or_else(|| ApiError::new("OperationNotPermittedException", 400, "No event history."))?;
    let events = trail
        .lookup(&Lookup {
            account: ctx.caller.account.clone(),
            region: ctx.caller.region.clone(),
            attribute,
            start,
            end,
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
                "EventTime": timestamp(e.time),
                "EventSource": e.source,
                "Username": e.username,
                "Resources": e.resources.iter().map(|(t, n)| json!({"ResourceType": t, "ResourceName": n})).collect::<Vec<_>>(),
                "CloudTrailEvent": e.json,
            })
        })
        .collect();
    let mut answer = json!({ "Events": out });
    if more && let Value::Object(m) = &mut answer {
        m.insert(
            "NextToken".into(),
            Value::String(format!("{}:{fp}", offset + limit)),
        );
    }
    Ok(Some(answer))
}

fn fxhash(bytes: &[u8]) -> u64 {
    // FNV-1a: a stable fingerprint, not a security boundary.
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
