//! Building the CloudTrail record of one call (spec 04 §4.3.2–4.3.4).

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::TrailEvent;
use crate::authz::{Caller, CallerKind};
use crate::state::State;

/// What the protocol layer knows about a finished call.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// The caller.
    pub caller: &'a Caller,
    /// SigV4 service name (`iam`, `sts`, `s3`, …).
    pub service: &'a str,
    /// Operation name.
    pub operation: &'a str,
    /// The request went to a global endpoint (IAM, Organizations, global STS).
    pub global: bool,
    /// `requestParameters` (secrets already left out).
    pub request: Value,
    /// `responseElements` (secrets already left out), for successful writes.
    pub response: Option<Value>,
    /// `errorCode` and `errorMessage` of a failed call.
    pub error: Option<(&'a str, &'a str)>,
    /// The request id answered.
    pub request_id: &'a str,
    /// `resources`: (type, ARN).
    pub resources: Vec<(String, String)>,
    /// The `Host` header the client sent.
    pub host: Option<&'a str>,
}

fn iso(t: OffsetDateTime) -> String {
    let t = t - time::Duration::nanoseconds(i64::from(t.nanosecond()));
    t.format(&Rfc3339).unwrap_or_default()
}

/// Whether the call is a data event, which CloudTrail's event history does not
/// keep (S3 object operations, SQS message operations).
pub fn is_data_event(service: &str, operation: &str) -> bool {
    match service {
        "s3" => matches!(
            operation,
            "GetObject"
                | "PutObject"
                | "HeadObject"
                | "DeleteObject"
                | "DeleteObjects"
                | "ListObjects"
                | "ListObjectsV2"
                | "CopyObject"
        ),
        "sqs" => matches!(
            operation,
            "SendMessage" | "ReceiveMessage" | "DeleteMessage" | "ChangeMessageVisibility"
        ),
        _ => false,
    }
}

/// Whether AWS marks the operation read-only.
pub fn read_only(operation: &str) -> bool {
    [
        "Get", "List", "Describe", "Head", "Lookup", "Simulate", "Generate",
    ]
    .iter()
    .any(|p| operation.starts_with(p))
}

/// The `userIdentity` element and the `Username` lookups show.
fn identity(state: &State, caller: &Caller) -> (Value, Option<String>) {
    let mut id = Map::new();
    let attributes = caller
        .token_issued
        .map(|t| json!({"creationDate": iso(t), "mfaAuthenticated": "false"}));
    match &caller.kind {
        CallerKind::Root => {
            id.insert("type".into(), "Root".into());
            id.insert("principalId".into(), caller.account.clone().into());
            id.insert(
                "arn".into(),
                format!("arn:aws:iam::{}:root", caller.account).into(),
            );
            id.insert("accountId".into(), caller.account.clone().into());
            id.insert("accessKeyId".into(), caller.access_key_id.clone().into());
            if let Some(a) = attributes {
                id.insert("sessionContext".into(), json!({"attributes": a}));
            }
            (Value::Object(id), Some("root".into()))
        }
        CallerKind::User { name } => {
            id.insert("type".into(), "IAMUser".into());
            id.insert("principalId".into(), caller.user_id(state).into());
            id.insert("arn".into(), caller.arn(state).into());
            id.insert("accountId".into(), caller.account.clone().into());
            id.insert("accessKeyId".into(), caller.access_key_id.clone().into());
            id.insert("userName".into(), name.clone().into());
            if let Some(a) = attributes {
                id.insert("sessionContext".into(), json!({"attributes": a}));
            }
            (Value::Object(id), Some(name.clone()))
        }
        CallerKind::Role {
            role_arn,
            role_id,
            session_name,
        } => {
            id.insert("type".into(), "AssumedRole".into());
            id.insert("principalId".into(), caller.user_id(state).into());
            id.insert("arn".into(), caller.arn(state).into());
            id.insert("accountId".into(), caller.account.clone().into());
            id.insert("accessKeyId".into(), caller.access_key_id.clone().into());
            let mut ctx = json!({
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": role_id,
                    "arn": role_arn,
                    "accountId": caller.account,
                    "userName": role_arn.rsplit('/').next().unwrap_or(role_arn),
                },
                "webIdFederationData": {},
                "attributes": attributes.unwrap_or_else(|| json!({})),
            });
            if let (Some(si), Value::Object(m)) = (&caller.source_identity, &mut ctx) {
                m.insert("sourceIdentity".into(), si.clone().into());
            }
            id.insert("sessionContext".into(), ctx);
            (Value::Object(id), Some(session_name.clone()))
        }
    }
}

/// The record of `call`, at `now`.
pub fn build(state: &State, call: &Call<'_>, now: OffsetDateTime) -> TrailEvent {
    let (mut user_identity, username) = identity(state, call.caller);
    // AWS's AssumeRoot example marks the caller's session context (UNCONFIRMED
    // semantics, spec 04 §4.3.2): reproduced for AssumeRoot events.
    if call.operation == "AssumeRoot"
        && let Value::Object(m) = &mut user_identity
        && let Some(Value::Object(ctx)) = m.get_mut("sessionContext")
    {
        ctx.insert("assumedRoot".into(), "true".into());
    }
    let source = format!("{}.amazonaws.com", call.service);
    // Global services are recorded in us-east-1 (spec 04 §4.3.1).
    let region = if call.global {
        "us-east-1".to_owned()
    } else {
        call.caller.region.clone()
    };
    let id = uuid_v4();
    let read_only = read_only(call.operation);
    let mut e = Map::new();
    e.insert("eventVersion".into(), "1.10".into());
    e.insert("userIdentity".into(), user_identity);
    e.insert("eventTime".into(), iso(now).into());
    e.insert("eventSource".into(), source.clone().into());
    e.insert("eventName".into(), call.operation.into());
    e.insert("awsRegion".into(), region.clone().into());
    e.insert(
        "sourceIPAddress".into(),
        call.caller.source_ip.clone().unwrap_or_default().into(),
    );
    e.insert(
        "userAgent".into(),
        call.caller.user_agent.clone().unwrap_or_default().into(),
    );
    if let Some((code, message)) = call.error {
        e.insert("errorCode".into(), code.into());
        e.insert("errorMessage".into(), message.into());
    }
    e.insert(
        "requestParameters".into(),
        match &call.request {
            Value::Object(m) if m.is_empty() => Value::Null,
            v => v.clone(),
        },
    );
    e.insert(
        "responseElements".into(),
        call.response.clone().unwrap_or(Value::Null),
    );
    e.insert("requestID".into(), call.request_id.into());
    e.insert("eventID".into(), id.clone().into());
    e.insert("readOnly".into(), read_only.into());
    if !call.resources.is_empty() {
        e.insert(
            "resources".into(),
            Value::Array(
                call.resources
                    .iter()
                    .map(
                        |(t, arn)| json!({"accountId": call.caller.account, "type": t, "ARN": arn}),
                    )
                    .collect(),
            ),
        );
    }
    e.insert("eventType".into(), "AwsApiCall".into());
    e.insert("managementEvent".into(), true.into());
    e.insert(
        "recipientAccountId".into(),
        call.caller.account.clone().into(),
    );
    e.insert("eventCategory".into(), "Management".into());
    if let Some(h) = call.host {
        e.insert("tlsDetails".into(), json!({"clientProvidedHostHeader": h}));
    }
    TrailEvent {
        id,
        account: call.caller.account.clone(),
        region,
        time: now,
        name: call.operation.to_owned(),
        source,
        read_only,
        access_key: Some(call.caller.access_key_id.clone()),
        username,
        resources: call.resources.clone(),
        json: Value::Object(e).to_string(),
    }
}

fn uuid_v4() -> String {
    use rand::Rng;
    let b: [u8; 16] = rand::rng().random();
    let h = |r: std::ops::Range<usize>| -> String {
        b.get(r)
            .unwrap_or_default()
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect()
    };
    let mut s = format!(
        "{}-{}-{}-{}-{}",
        h(0..4),
        h(4..6),
        h(6..8),
        h(8..10),
        h(10..16)
    );
    // Version 4, variant 1.
    s.replace_range(14..15, "4");
    let v = match s.get(19..20) {
        Some("0" | "1" | "2" | "3" | "4" | "5" | "6" | "7") => "8",
        _ => "a",
    };
    s.replace_range(19..20, v);
    s
}
