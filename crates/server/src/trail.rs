//! What a call gives the trail besides its outcome, from its decoded input
//! and its operation's table entry: `requestParameters` in CloudTrail's
//! shape (lower-camel names, nested members, sensitive members hidden, by
//! the model) and the `resources` its resource rules name.

use rootward_core::Service;
use rootward_core::authz::Caller;
use rootward_core::service::Unit;
use rootward_core::trail::event::CallResource;
use rootward_model::{Facts, Kind, Member, Shape, Value as In, shape::lower_first};
use serde_json::{Map, Value};

use crate::services::{Api, Op};

/// What a call gives its trail event besides its outcome: CloudTrail's
/// `requestParameters`, `responseElements` and `resources` (secrets
/// already left out).
#[derive(Debug, Default)]
pub struct CallFacts {
    /// `requestParameters`.
    pub request: Value,
    /// `responseElements`, for successful writes.
    pub response: Option<Value>,
    /// `resources`.
    pub resources: Vec<CallResource>,
    /// Another account that receives a copy of the record (a cross-account
    /// `AssumeRole`'s role account).
    pub shared_with: Option<String>,
}

/// One finished call, as the protocol layer hands it to [`record`].
pub struct Finished<'a> {
    /// The service called.
    pub api: Api,
    /// The operation served (`None`: the request named no operation of the
    /// service, and no event is recorded).
    pub op: Option<Op>,
    /// The caller.
    pub caller: &'a Caller,
    /// The request came to a global endpoint (`sts.amazonaws.com`).
    pub global_endpoint: bool,
    /// What the call gives the trail.
    pub facts: CallFacts,
    /// `errorCode` and `errorMessage` of a failed call.
    pub error: Option<(&'a str, &'a str)>,
    /// The request id answered.
    pub request_id: &'a str,
    /// The `Host` header the client sent.
    pub host: Option<&'a str>,
}

/// Ends a call's unit: the call's event is built here, once, from its
/// operation's table entry (name, `readOnly`, data event, global) and the
/// facts the call gave, and committed with the call's changes
/// ([`Service::finish`]). Every protocol's calls end here.
pub fn record(
    svc: &Service,
    unit: Unit<'_>,
    call: Finished<'_>,
) -> Result<(), rootward_core::CoreError> {
    let Some(op) = call.op else {
        return svc.finish(unit, None);
    };
    let info = op.info();
    let facts = info.facts;
    svc.finish(
        unit,
        Some(&rootward_core::trail::event::Call {
            caller: call.caller,
            service: call.api.model().signing_name,
            operation: info.name,
            global: call.api.global(call.global_endpoint),
            read_only: facts.is_some_and(|f| f.read_only),
            data_event: facts.is_some_and(|f| f.data_event),
            request: call.facts.request,
            response: call.facts.response,
            error: call.error,
            request_id: call.request_id,
            resources: call.facts.resources,
            host: call.host,
            shared_with: call.facts.shared_with.as_deref(),
        }),
    )
}

/// The value CloudTrail shows instead of a secret.
pub const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// Members the models do not mark `sensitive` that the trail hides all the
/// same: one-time MFA codes (IAM's `AuthenticationCode1`/`2`, STS's
/// `TokenCode`), which AWS's events show and Rootward keeps out of every
/// log.
const ALSO_HIDDEN: &[&str] = &["AuthenticationCode1", "AuthenticationCode2", "TokenCode"];

fn hidden(m: &Member) -> bool {
    m.sensitive || m.shape.sensitive || ALSO_HIDDEN.contains(&m.name)
}

/// CloudTrail's `requestParameters` of a call from its decoded input:
/// member names lower-camel at every level, values typed by their shapes
/// (query text `900` of an integer member is the number 900), sensitive
/// members [`HIDDEN`].
pub fn request_parameters(members: &[Member], input: &[(&str, In<'_>)]) -> Value {
    Value::Object(struct_json(members, input))
}

fn struct_json(members: &[Member], input: &[(&str, In<'_>)]) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, v) in input {
        let Some(m) = members.iter().find(|m| m.name == *name) else {
            continue;
        };
        let value = if hidden(m) {
            Value::String(HIDDEN.to_owned())
        } else {
            value_json(m.shape, v)
        };
        out.insert(lower_first(name), value);
    }
    out
}

/// A URL's user name and password hidden (`https://HIDDEN…@host/…`), or
/// `None` when the text is no URL with them. A credential sent in a URL
/// (an OIDC provider URL `https://u:p@host`, refused) never reaches the
/// trail [UNCONFIRMED: what CloudTrail records; Rootward's choice, as for
/// the members it hides].
fn without_userinfo(s: &str) -> Option<String> {
    let (scheme, rest) = s.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (_, host) = authority.rsplit_once('@')?;
    let after = rest.get(authority.len()..).unwrap_or("");
    Some(format!("{scheme}://{HIDDEN}@{host}{after}"))
}

fn value_json(shape: &Shape, v: &In<'_>) -> Value {
    if shape.sensitive {
        return Value::String(HIDDEN.to_owned());
    }
    match v {
        In::Str(s) => match shape.kind {
            Kind::Integer | Kind::Long => s
                .trim()
                .parse::<i64>()
                .map_or_else(|_| Value::String((*s).to_owned()), Value::from),
            Kind::Boolean => match *s {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => Value::String(other.to_owned()),
            },
            _ => Value::String(without_userinfo(s).unwrap_or_else(|| (*s).to_owned())),
        },
        In::Int(i) => Value::from(*i),
        In::Float(x) => Value::from(*x),
        In::Bool(b) => Value::Bool(*b),
        In::List(items) => Value::Array(
            items
                .iter()
                .map(|i| match shape.element {
                    Some(e) => value_json(e, i),
                    None => Value::Null,
                })
                .collect(),
        ),
        In::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, e)| {
                    let v = match shape.element {
                        Some(el) => value_json(el, e),
                        None => Value::Null,
                    };
                    ((*k).to_owned(), v)
                })
                .collect(),
        ),
        In::Struct(fields) => Value::Object(struct_json(shape.members, fields)),
    }
}

/// The `resources` of a call: the operation's resource rules (the
/// supplementary table) over its top-level string members, sorted. SQS
/// names its queues by URL; the record names them by ARN, as CloudTrail
/// does (a URL that is no queue's is left out).
pub fn resources(
    facts: &Facts,
    account: &str,
    region: &str,
    input: &[(&str, In<'_>)],
) -> Vec<CallResource> {
    let member = |name: &str| {
        input.iter().find_map(|(k, v)| match v {
            In::Str(s) if *k == name => Some(*s),
            _ => None,
        })
    };
    let mut out: Vec<CallResource> = facts
        .resources
        .iter()
        .filter_map(|r| {
            let value = r.render(account, member)?;
            let arn = if r.kind == QUEUE {
                crate::services::sqs::queue_arn(&value, region)?
            } else {
                value
            };
            Some(CallResource::new(r.kind, arn))
        })
        .collect();
    out.sort();
    out
}

/// The resource type of SQS queues, which the table names by `QueueUrl`.
const QUEUE: &str = "AWS::SQS::Queue";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_parameters_follow_the_model_and_hide_what_it_marks_sensitive() {
        use rootward_model::{iam, organizations, sts};
        let op = sts::Operation::AssumeRole.info();
        let input = vec![
            ("RoleArn", In::Str("arn:aws:iam::111111111111:role/r")),
            ("RoleSessionName", In::Str("s")),
            (
                "PolicyArns",
                In::List(vec![In::Struct(vec![("arn", In::Str("a1"))])]),
            ),
            ("DurationSeconds", In::Str("900")),
            ("TokenCode", In::Str("123456")),
        ];
        assert_eq!(
            request_parameters(op.input, &input),
            serde_json::json!({
                "roleArn": "arn:aws:iam::111111111111:role/r",
                "roleSessionName": "s",
                "policyArns": [{"arn": "a1"}],
                "durationSeconds": 900,
                "tokenCode": HIDDEN,
            })
        );
        let op = iam::Operation::CreateLoginProfile.info();
        let v = request_parameters(
            op.input,
            &[("UserName", In::Str("u")), ("Password", In::Str("hunter2"))],
        );
        assert_eq!(v["password"], HIDDEN);
        assert!(!v.to_string().contains("hunter2"));
        // A URL's user name and password never reach the trail.
        let op = iam::Operation::CreateOpenIDConnectProvider.info();
        let v = request_parameters(
            op.input,
            &[("Url", In::Str("https://u:hunter2@idp.example.com/a@b?x"))],
        );
        assert_eq!(v["url"], format!("https://{HIDDEN}@idp.example.com/a@b?x"));
        for plain in ["https://idp.example.com/a@b", "a@b.c", "no url"] {
            assert_eq!(without_userinfo(plain), None, "{plain}");
        }
        // Organizations marks names and e-mail addresses sensitive.
        let op = organizations::Operation::CreateAccount.info();
        let v = request_parameters(
            op.input,
            &[("Email", In::Str("a@b.c")), ("AccountName", In::Str("n"))],
        );
        assert_eq!(
            v,
            serde_json::json!({"email": HIDDEN, "accountName": HIDDEN})
        );
        let op = iam::Operation::AttachUserPolicy.info();
        let r = resources(
            op.facts.unwrap(),
            "111111111111",
            "us-east-1",
            &[
                ("UserName", In::Str("bob")),
                ("PolicyArn", In::Str("arn:aws:iam::aws:policy/X")),
            ],
        );
        assert_eq!(
            r,
            vec![
                CallResource::new("AWS::IAM::Policy", "arn:aws:iam::aws:policy/X"),
                CallResource::new("AWS::IAM::User", "arn:aws:iam::111111111111:user/bob"),
            ]
        );
        // Queues are named by URL in requests, by ARN in records.
        let op = rootward_model::sqs::Operation::PurgeQueue.info();
        let queue = |url: &'static str| {
            resources(
                op.facts.unwrap(),
                "111111111111",
                "eu-west-1",
                &[("QueueUrl", In::Str(url))],
            )
        };
        assert_eq!(
            queue("http://localhost:4566/222222222222/jobs"),
            vec![CallResource::new(
                "AWS::SQS::Queue",
                "arn:aws:sqs:eu-west-1:222222222222:jobs"
            )]
        );
        assert!(queue("not a queue").is_empty());
    }
}
