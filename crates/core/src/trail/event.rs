//! Building the CloudTrail record of one call (spec 04 §4.3.2–4.3.4).

use serde_json::Value;
use time::OffsetDateTime;

use super::TrailEvent;
use crate::authz::{Caller, CallerKind};
use crate::clock::iso8601;
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
    /// `resources`.
    pub resources: Vec<CallResource>,
    /// The `Host` header the client sent.
    pub host: Option<&'a str>,
    /// Another account the call acted in, which receives its own copy of
    /// the record (a cross-account `AssumeRole`: the role's account sees who
    /// assumed its role), both carrying one `sharedEventID`.
    pub shared_with: Option<&'a str>,
}

/// One of a record's `resources`: a resource the call names, with the
/// account that owns it (spec 04 §4.3: a bucket policy deleted by another
/// account is still the bucket owner's resource).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallResource {
    /// `type` (`AWS::S3::Bucket`).
    pub kind: String,
    /// `ARN`.
    pub arn: String,
    /// The owner, for ARNs that name no account (S3 buckets): `None` takes
    /// the account the ARN names, else the caller's.
    pub owner: Option<String>,
}

impl CallResource {
    /// A resource whose owner is the account its ARN names (or the caller's).
    pub fn new(kind: impl Into<String>, arn: impl Into<String>) -> CallResource {
        CallResource {
            kind: kind.into(),
            arn: arn.into(),
            owner: None,
        }
    }

    /// The record's `accountId`: the owner given, else the account the ARN
    /// names, else `caller`'s.
    pub fn account<'a>(&'a self, caller: &'a str) -> &'a str {
        if let Some(owner) = &self.owner {
            return owner;
        }
        let named = self.arn.split(':').nth(4).unwrap_or_default();
        if named.len() == 12 && named.bytes().all(|b| b.is_ascii_digit()) {
            named
        } else {
            caller
        }
    }
}

/// The `userIdentity` element, written straight to text: members in the
/// order a sorted map would give them (as every object of the record), and
/// no intermediate JSON tree per call.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct UserIdentity<'a> {
    access_key_id: &'a str,
    account_id: &'a str,
    arn: String,
    principal_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_context: Option<SessionContext<'a>>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_name: Option<&'a str>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionContext<'a> {
    /// AWS's AssumeRoot example marks the caller's session context
    /// (UNCONFIRMED semantics, spec 04 §4.3.2): reproduced for AssumeRoot
    /// events.
    #[serde(skip_serializing_if = "Option::is_none")]
    assumed_root: Option<&'static str>,
    /// `{}` for a role session issued without a token time.
    attributes: Attributes,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_issuer: Option<SessionIssuer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_identity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_id_federation_data: Option<Empty>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Attributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    creation_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_authenticated: Option<&'static str>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionIssuer<'a> {
    account_id: &'a str,
    arn: &'a str,
    principal_id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    user_name: &'a str,
}

/// `{}`.
#[derive(serde::Serialize)]
struct Empty {}

/// The `userIdentity` element and the `Username` lookups show.
fn identity<'a>(
    state: &State,
    caller: &'a Caller,
    assumed_root: bool,
) -> (UserIdentity<'a>, Option<String>) {
    let attributes = caller.token_issued.map(|t| Attributes {
        creation_date: Some(iso8601(t)),
        mfa_authenticated: Some(if caller.mfa { "true" } else { "false" }),
    });
    let marked = assumed_root.then_some("true");
    let plain_context = |attributes: Option<Attributes>| {
        attributes.map(|a| SessionContext {
            assumed_root: marked,
            attributes: a,
            session_issuer: None,
            source_identity: None,
            web_id_federation_data: None,
        })
    };
    match &caller.kind {
        CallerKind::Root => (
            UserIdentity {
                access_key_id: &caller.access_key_id,
                account_id: &caller.account,
                arn: crate::ident::Arn::root(&caller.account).to_string(),
                principal_id: caller.account.clone(),
                session_context: plain_context(attributes),
                kind: "Root",
                user_name: None,
            },
            Some("root".into()),
        ),
        CallerKind::User { name, .. } => (
            UserIdentity {
                access_key_id: &caller.access_key_id,
                account_id: &caller.account,
                arn: caller.arn(state),
                principal_id: caller.user_id(state),
                session_context: plain_context(attributes),
                kind: "IAMUser",
                user_name: Some(name),
            },
            Some(name.clone()),
        ),
        CallerKind::Role {
            role_arn,
            role_id,
            session_name,
        } => (
            UserIdentity {
                access_key_id: &caller.access_key_id,
                account_id: &caller.account,
                arn: caller.arn(state),
                principal_id: caller.user_id(state),
                session_context: Some(SessionContext {
                    assumed_root: marked,
                    attributes: attributes.unwrap_or(Attributes {
                        creation_date: None,
                        mfa_authenticated: None,
                    }),
                    session_issuer: Some(SessionIssuer {
                        account_id: &caller.account,
                        arn: role_arn,
                        principal_id: role_id,
                        kind: "Role",
                        user_name: role_arn.rsplit('/').next().unwrap_or(role_arn),
                    }),
                    source_identity: caller.source_identity.as_deref(),
                    web_id_federation_data: Some(Empty {}),
                }),
                kind: "AssumedRole",
                user_name: None,
            },
            Some(session_name.clone()),
        ),
    }
}

/// The record of `call`, at `now`.
pub fn build(state: &State, call: &Call<'_>, now: OffsetDateTime) -> TrailEvent {
    let (user_identity, username) = identity(state, call.caller, call.operation == "AssumeRoot");
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
        event_time: iso8601(now),
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
            .map(|r| Resource {
                arn: &r.arn,
                account_id: r.account(&call.caller.account),
                kind: &r.kind,
            })
            .collect(),
        response_elements: call.response.as_ref(),
        source_ip_address: call.caller.source_ip.as_deref().unwrap_or_default(),
        tls_details: call.host.map(|h| TlsDetails {
            client_provided_host_header: h,
        }),
        user_agent: call.caller.user_agent.as_deref().unwrap_or_default(),
        user_identity,
    };
    // A record is about a kilobyte: room for it at once, not grown there.
    let mut json = Vec::with_capacity(1536);
    let json = match serde_json::to_writer(&mut json, &record) {
        Ok(()) => String::from_utf8(json).unwrap_or_default(),
        Err(_) => String::new(),
    };
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
        resources: call
            .resources
            .iter()
            .map(|r| (r.kind.clone(), r.arn.clone()))
            .collect(),
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
    user_identity: UserIdentity<'a>,
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
/// time-ordered id is still a UUID, and sorts the way the history stores
/// events (the history once indexed ids, and this kept the index growing at
/// its end).
/// The copy of `event` that `account` receives of a call made from another
/// account (CloudTrail's cross-account delivery, spec 04: a cross-account
/// `AssumeRole` is recorded in both accounts, linked by `sharedEventID`):
/// its own `eventID` and `recipientAccountId`, the rest as recorded in the
/// caller's account (UNCONFIRMED: AWS's copy may show less of the caller's
/// identity). Both records get the `sharedEventID`. `None` when the record
/// cannot be read back (then only the caller's account has it).
pub fn share(event: &mut TrailEvent, account: &str, now: OffsetDateTime) -> Option<TrailEvent> {
    let mut mine: Value = serde_json::from_str(&event.json).ok()?;
    let shared = event_id(now);
    let Value::Object(m) = &mut mine else {
        return None;
    };
    m.insert("sharedEventID".to_owned(), Value::String(shared));
    let mut theirs = mine.clone();
    let id = event_id(now);
    if let Value::Object(t) = &mut theirs {
        t.insert("eventID".to_owned(), Value::String(id.clone()));
        t.insert(
            "recipientAccountId".to_owned(),
            Value::String(account.to_owned()),
        );
    }
    let (mine_json, theirs_json) = (
        serde_json::to_string(&mine).ok()?,
        serde_json::to_string(&theirs).ok()?,
    );
    event.json = mine_json;
    let mut copy = event.clone();
    copy.id = id;
    account.clone_into(&mut copy.account);
    copy.json = theirs_json;
    Some(copy)
}

pub(crate) fn event_id(now: OffsetDateTime) -> String {
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
    let mut h = [0u8; 32];
    // Cannot fail: the output is twice the input's length.
    let _ = hex::encode_to_slice(b, &mut h);
    let mut s = String::with_capacity(36);
    for (i, c) in h.iter().enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            s.push('-');
        }
        s.push(char::from(*c));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(kind: CallerKind, issued: bool) -> Caller {
        Caller {
            account: "111111111111".into(),
            kind,
            access_key_id: "ASIAEXAMPLE".into(),
            token_issued: issued.then(|| {
                OffsetDateTime::from_unix_timestamp(1_800_000_000)
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            }),
            session_policies: Vec::new(),
            session_policy_arns: Vec::new(),
            tags: Vec::new(),
            task_policy: None,
            source_identity: None,
            source_ip: Some("127.0.0.1".into()),
            user_agent: Some("test".into()),
            region: "eu-west-1".into(),
            secure_transport: false,
            mfa: false,
            session_token: false,
        }
    }

    fn record(caller: &Caller, operation: &str) -> serde_json::Value {
        let call = Call {
            caller,
            service: "sts",
            operation,
            global: false,
            read_only: true,
            data_event: false,
            request: serde_json::json!({}),
            response: None,
            error: None,
            request_id: "r-1",
            resources: Vec::new(),
            host: None,
            shared_with: None,
        };
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_100)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let e = build(&State::default(), &call, now);
        let v: serde_json::Value = serde_json::from_str(&e.json).unwrap_or_default();
        // Every object's members come in sorted order, as a sorted map
        // (serde_json's `Value`) writes them again.
        assert_eq!(serde_json::to_string(&v).unwrap_or_default(), e.json);
        v["userIdentity"].clone()
    }

    #[test]
    fn user_identity_of_each_kind_of_caller() {
        use serde_json::json;
        let root = caller(CallerKind::Root, false);
        assert_eq!(
            record(&root, "GetCallerIdentity"),
            json!({"accessKeyId": "ASIAEXAMPLE", "accountId": "111111111111",
                   "arn": "arn:aws:iam::111111111111:root", "principalId": "111111111111",
                   "type": "Root"})
        );
        let mut assumed_root = caller(CallerKind::Root, true);
        assumed_root.task_policy =
            Some("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials".into());
        assert_eq!(
            record(&assumed_root, "AssumeRoot")["sessionContext"],
            json!({"assumedRoot": "true",
                   "attributes": {"creationDate": "2027-01-15T08:00:00Z", "mfaAuthenticated": "false"}})
        );
        let user = caller(
            CallerKind::User {
                name: "alice".into(),
                id: "AIDAALICE".into(),
            },
            false,
        );
        assert_eq!(
            record(&user, "GetCallerIdentity"),
            json!({"accessKeyId": "ASIAEXAMPLE", "accountId": "111111111111",
                   "arn": "arn:aws:iam::111111111111:user/alice", "principalId": "AIDAALICE",
                   "type": "IAMUser", "userName": "alice"})
        );
        let mut role = caller(
            CallerKind::Role {
                role_arn: "arn:aws:iam::111111111111:role/ops/Deployer".into(),
                role_id: "AROADEPLOYER".into(),
                session_name: "job-1".into(),
            },
            false,
        );
        role.source_identity = Some("alice".into());
        assert_eq!(
            record(&role, "ListUsers"),
            json!({"accessKeyId": "ASIAEXAMPLE", "accountId": "111111111111",
                   "arn": "arn:aws:sts::111111111111:assumed-role/Deployer/job-1",
                   "principalId": "AROADEPLOYER:job-1",
                   "sessionContext": {
                       "attributes": {},
                       "sessionIssuer": {"accountId": "111111111111",
                                         "arn": "arn:aws:iam::111111111111:role/ops/Deployer",
                                         "principalId": "AROADEPLOYER", "type": "Role",
                                         "userName": "Deployer"},
                       "sourceIdentity": "alice",
                       "webIdFederationData": {}},
                   "type": "AssumedRole"})
        );
    }

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

    #[test]
    fn a_resource_belongs_to_its_owner_then_the_account_its_arn_names() {
        let caller = "111111111111";
        let queue = CallResource::new("AWS::SQS::Queue", "arn:aws:sqs:us-east-1:222222222222:q");
        assert_eq!(queue.account(caller), "222222222222");
        let bucket = CallResource::new("AWS::S3::Bucket", "arn:aws:s3:::b");
        assert_eq!(bucket.account(caller), caller);
        let owned = CallResource {
            owner: Some("333333333333".into()),
            ..bucket
        };
        assert_eq!(owned.account(caller), "333333333333");
        let managed = CallResource::new("AWS::IAM::Policy", "arn:aws:iam::aws:policy/X");
        assert_eq!(managed.account(caller), caller);
    }
}
