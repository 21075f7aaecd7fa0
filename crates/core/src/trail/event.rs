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
    /// CloudTrail's `readOnly` for the operation (its supplementary table).
    pub read_only: bool,
    /// A data event, which CloudTrail's event history does not keep (S3
    /// object and SQS message operations, by the supplementary table).
    pub data_event: bool,
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
                crate::ident::Arn::root(&caller.account).to_string().into(),
            );
            id.insert("accountId".into(), caller.account.clone().into());
            id.insert("accessKeyId".into(), caller.access_key_id.clone().into());
            if let Some(a) = attributes {
                id.insert("sessionContext".into(), json!({"attributes": a}));
            }
            (Value::Object(id), Some("root".into()))
        }
        CallerKind::User { name, .. } => {
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
    let id = event_id(now);
    let read_only = call.read_only;
    let empty = matches!(&call.request, Value::Object(m) if m.is_empty());
    // Written straight to text, with the members in the order a sorted map
    // would give them.
    let record = Record {
        aws_region: &region,
        error_code: call.error.map(|(code, _)| code),
        error_message: call.error.map(|(_, message)| message),
        event_category: "Management",
        event_id: &id,
        event_name: call.operation,
        event_source: &source,
        event_time: iso(now),
        event_type: "AwsApiCall",
        event_version: "1.10",
        management_event: true,
        read_only,
        recipient_account_id: &call.caller.account,
        request_id: call.request_id,
        request_parameters: (!empty).then_some(&call.request),
        resources: call
            .resources
            .iter()
            .map(|(t, arn)| Resource {
                arn,
                account_id: &call.caller.account,
                kind: t,
            })
            .collect(),
        response_elements: call.response.as_ref(),
        source_ip_address: call.caller.source_ip.as_deref().unwrap_or_default(),
        tls_details: call.host.map(|h| TlsDetails {
            client_provided_host_header: h,
        }),
        user_agent: call.caller.user_agent.as_deref().unwrap_or_default(),
        user_identity: &user_identity,
    };
    let json = serde_json::to_string(&record).unwrap_or_default();
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
        json,
    }
}

/// One CloudTrail record, members in sorted order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    aws_region: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<&'a str>,
    event_category: &'static str,
    #[serde(rename = "eventID")]
    event_id: &'a str,
    event_name: &'a str,
    event_source: &'a str,
    event_time: String,
    event_type: &'static str,
    event_version: &'static str,
    management_event: bool,
    read_only: bool,
    recipient_account_id: &'a str,
    #[serde(rename = "requestID")]
    request_id: &'a str,
    request_parameters: Option<&'a Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    resources: Vec<Resource<'a>>,
    response_elements: Option<&'a Value>,
    #[serde(rename = "sourceIPAddress")]
    source_ip_address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls_details: Option<TlsDetails<'a>>,
    user_agent: &'a str,
    user_identity: &'a Value,
}

#[derive(serde::Serialize)]
struct Resource<'a> {
    #[serde(rename = "ARN")]
    arn: &'a str,
    #[serde(rename = "accountId")]
    account_id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct TlsDetails<'a> {
    client_provided_host_header: &'a str,
}

/// An event id: a version 7 UUID (RFC 9562), the Unix time in milliseconds
/// followed by random bits. CloudTrail's own ids look like version 4; a
/// time-ordered id is still a UUID, and it lets the history's id index grow at
/// its end instead of touching a random page per event.
fn event_id(now: OffsetDateTime) -> String {
    use rand::Rng;
    let mut b: [u8; 16] = rand::rng().random();
    let ms = u64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    for (i, byte) in ms.to_be_bytes().iter().skip(2).enumerate() {
        if let Some(slot) = b.get_mut(i) {
            *slot = *byte;
        }
    }
    if let Some(v) = b.get_mut(6) {
        *v = 0x70 | (*v & 0x0f);
    }
    if let Some(v) = b.get_mut(8) {
        *v = 0x80 | (*v & 0x3f);
    }
    let mut s = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{x:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_version_7_uuids_in_time_order() {
        let t = OffsetDateTime::from_unix_timestamp(1_800_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let a = event_id(t);
        let b = event_id(t + time::Duration::milliseconds(1));
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('7'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
        assert!(a < b);
        // 1_800_000_000_000 ms = 0x01a3185c5000.
        assert!(a.starts_with("01a3185c-5000-7"));
        assert_ne!(event_id(t), event_id(t));
    }
}
