//! The AWS JSON protocols (1.1: Organizations, CloudTrail; spec 08 §8.3): an
//! `X-Amz-Target` names the operation, the body is a JSON object of the input
//! members, the answer a JSON object of the output members.

use rootward_model::{Kind, Member, Shape, Value as In};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::protocol::input::Members;

/// `SerializationException`: the body is not what the protocol allows.
pub fn serialization(message: impl Into<String>) -> ApiError {
    ApiError::new("SerializationException", 400, message)
}

/// `UnknownOperationException`.
pub fn unknown_operation() -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        400,
        "The operation named by X-Amz-Target is not known to this service.",
    )
}

/// The error body. A service compatible with its query protocol
/// (`awsQueryCompatible`, SQS: `query_compatible` names it) writes its own
/// errors' `__type` as `com.amazonaws.<service>#Code`, the platform's
/// (`…Exception`) as `com.amazon.coral.service#…`, and a lower-case
/// `message` (spec 08 §8.4); the others `{"__type": Code, "Message": …}`
/// with the error's extra members.
pub fn error_body(e: &ApiError, query_compatible: Option<&str>) -> String {
    if let Some(service) = query_compatible {
        let kind = if e.code.contains('#') {
            e.code.clone()
        } else if e.code.ends_with("Exception") || e.code == "InternalFailure" {
            format!("com.amazon.coral.service#{}", e.code)
        } else {
            format!("com.amazonaws.{service}#{}", e.code)
        };
        return serde_json::json!({ "__type": kind, "message": e.message }).to_string();
    }
    let mut body = Map::new();
    body.insert("__type".to_owned(), e.code.clone().into());
    body.insert("Message".to_owned(), e.message.clone().into());
    for (k, v) in &e.extra {
        body.insert(k.clone(), v.clone().into());
    }
    Value::Object(body).to_string()
}

/// The `x-amzn-query-error` header of a query-compatible service's error:
/// `<QueryCode>;<Sender|Receiver>`.
pub fn query_error_header(e: &ApiError) -> Option<String> {
    e.query_code.as_ref().map(|c| format!("{c};{}", e.fault()))
}

/// The operation named by `X-Amz-Target: <prefix>.<Operation>`, where the
/// prefix is the model's target prefix
/// (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`) or its last
/// segment, the service's shape name (`CloudTrail_20131101`, as the AWS SDK
/// for Rust sends it).
pub fn operation<'a>(
    target: Option<&'a str>,
    service: &rootward_model::Service,
) -> Result<&'a str, ApiError> {
    let rootward_model::Protocol::Json { target_prefix, .. } = service.protocol else {
        return Err(unknown_operation());
    };
    let short = target_prefix.rsplit('.').next().unwrap_or(target_prefix);
    let (prefix, op) = target
        .and_then(|t| t.rsplit_once('.'))
        .ok_or_else(unknown_operation)?;
    if (prefix == target_prefix || prefix == short) && !op.is_empty() {
        Ok(op)
    } else {
        Err(unknown_operation())
    }
}

/// The body of a request: empty (no members) or a JSON object.
pub fn body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(serialization("The request body must be a JSON object")),
        Err(e) => Err(serialization(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

/// The members of `members` in a JSON object, each of the type its shape
/// says (`SerializationException` otherwise, as the JSON protocols answer a
/// body they cannot read). `null` is absent; members the model does not
/// name are left out.
pub fn decode<'j>(
    members: &'static [Member],
    object: &'j Map<String, Value>,
) -> Result<Members<'j>, ApiError> {
    let mut out = Vec::new();
    for m in members {
        match object.get(m.name) {
            None | Some(Value::Null) => {}
            Some(v) => out.push((m.name, decode_value(m.shape, v, m.name)?)),
        }
    }
    Ok(out)
}

fn decode_value<'j>(shape: &'static Shape, v: &'j Value, name: &str) -> Result<In<'j>, ApiError> {
    let wrong = |want: &str| wrong_type(name, want);
    Ok(match (shape.kind, v) {
        (Kind::String | Kind::Blob, Value::String(s)) => In::Str(s),
        (Kind::String | Kind::Blob, _) => return Err(wrong("a string")),
        (Kind::Boolean, Value::Bool(b)) => In::Bool(*b),
        (Kind::Boolean, _) => return Err(wrong("a boolean")),
        (Kind::Integer | Kind::Long, Value::Number(n)) => {
            In::Int(n.as_i64().ok_or_else(|| wrong("an integer"))?)
        }
        (Kind::Integer | Kind::Long, _) => return Err(wrong("an integer")),
        (Kind::Float | Kind::Double, Value::Number(n)) => {
            In::Float(n.as_f64().ok_or_else(|| wrong("a number"))?)
        }
        (Kind::Float | Kind::Double, _) => return Err(wrong("a number")),
        // Epoch seconds (a number) or a date text.
        (Kind::Timestamp, Value::Number(n)) => match n.as_i64() {
            Some(i) => In::Int(i),
            None => In::Float(n.as_f64().ok_or_else(|| wrong("a timestamp"))?),
        },
        (Kind::Timestamp, Value::String(s)) => In::Str(s),
        (Kind::Timestamp, _) => return Err(wrong("a timestamp")),
        (Kind::List, Value::Array(items)) => {
            let element = shape.element.ok_or_else(|| wrong("a list"))?;
            In::List(
                items
                    .iter()
                    .map(|i| decode_value(element, i, name))
                    .collect::<Result<_, _>>()?,
            )
        }
        (Kind::List, _) => return Err(wrong("a list")),
        (Kind::Map, Value::Object(entries)) => {
            let value = shape.element.ok_or_else(|| wrong("a map"))?;
            In::Map(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.as_str(), decode_value(value, v, name)?)))
                    .collect::<Result<_, ApiError>>()?,
            )
        }
        (Kind::Map, _) => return Err(wrong("a map")),
        (Kind::Structure, Value::Object(fields)) => In::Struct(decode(shape.members, fields)?),
        (Kind::Structure, _) => return Err(wrong("a structure")),
    })
}

fn wrong_type(name: &str, want: &str) -> ApiError {
    serialization(format!("Member {name} must be {want}"))
}

/// An epoch-seconds timestamp, as the JSON protocols send them.
pub fn timestamp(t: time::OffsetDateTime) -> Value {
    let secs = t.unix_timestamp_nanos() / 1_000_000;
    // Milliseconds as a fraction of a second.
    #[expect(
        clippy::cast_precision_loss,
        reason = "epoch milliseconds fit an f64 exactly"
    )]
    let v = secs as f64 / 1_000.0;
    Value::from(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_decode_by_the_model_and_types_are_checked() {
        use rootward_model::{organizations, sqs};
        let b = body(
            br#"{"Email":"a@b.c","AccountName":"n","Tags":[{"Key":"k","Value":"v"}],"Other":1}"#,
        )
        .unwrap();
        let m = decode(organizations::Operation::CreateAccount.info().input, &b).unwrap();
        assert_eq!(
            m,
            vec![
                ("Email", In::Str("a@b.c")),
                ("AccountName", In::Str("n")),
                (
                    "Tags",
                    In::List(vec![In::Struct(vec![
                        ("Key", In::Str("k")),
                        ("Value", In::Str("v"))
                    ])])
                ),
            ]
        );
        let b = body(br#"{"QueueName":"q","Attributes":{"Policy":""},"tags":{"a":"b"}}"#).unwrap();
        let m = decode(sqs::Operation::CreateQueue.info().input, &b).unwrap();
        assert_eq!(m[1], ("Attributes", In::Map(vec![("Policy", In::Str(""))])));
        let b = body(br#"{"QueueUrl":"u","MaxNumberOfMessages":"3"}"#).unwrap();
        let e = decode(sqs::Operation::ReceiveMessage.info().input, &b).unwrap_err();
        assert_eq!(e.code, "SerializationException");
        assert!(body(b"[]").is_err());
        assert!(body(b"  ").unwrap().is_empty());
    }

    #[test]
    fn targets_name_the_operation_after_the_models_prefix() {
        let p = &rootward_model::organizations::SERVICE;
        assert_eq!(
            operation(Some("AWSOrganizationsV20161128.ListRoots"), p).unwrap(),
            "ListRoots"
        );
        assert!(operation(Some("Other.ListRoots"), p).is_err());
        assert!(operation(Some("AWSOrganizationsV20161128."), p).is_err());
        assert!(operation(None, p).is_err());
        let c = &rootward_model::cloudtrail::SERVICE;
        for t in [
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
            "CloudTrail_20131101.LookupEvents",
        ] {
            assert_eq!(operation(Some(t), c).unwrap(), "LookupEvents");
        }
        assert!(operation(Some("v20131101.CloudTrail_20131101.LookupEvents"), c).is_err());
    }
}
