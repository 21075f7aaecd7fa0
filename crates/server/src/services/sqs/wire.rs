//! SQS on the wire: error codes (JSON `__type` and query-compatible code),
//! and the query form's members and XML.

use rootward_core::CoreError;
use rootward_model::sqs::ER_INVALID_ATTRIBUTE_VALUE;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::protocol::query::Params;
use crate::protocol::xml::Xml;

/// The query-compatible code of an SQS error code: the generated table's
/// (Smithy `awsQueryError`; spec 04 §4.4); a code the model does not
/// declare is its own, but for SQS's denial, which the query API calls
/// `AccessDenied`.
fn query_code(code: &str) -> &str {
    if code == "AccessDeniedException" {
        return "AccessDenied";
    }
    rootward_model::sqs::ERRORS
        .iter()
        .find(|i| i.code == code)
        .and_then(|i| i.query_code)
        .unwrap_or(code)
}

/// Sets the query-compatible code of an SQS error.
pub fn with_query_code(mut e: ApiError) -> ApiError {
    e.query_code = Some(query_code(&e.code).into());
    e
}

/// Domain error → SQS error; a denial names `resource` (a queue URL or the
/// endpoint), as SQS does, and the engine's reason stays in the debug log.
/// A failure in another service's words (reached only through shared
/// paths) is an `InvalidParameterValue` with its message.
pub fn from_core(e: CoreError, resource: &str) -> ApiError {
    match e {
        CoreError::Sqs(e) => crate::error::from_sqs(e),
        CoreError::AccessDenied(detail) => {
            tracing::debug!(%detail, "sqs request denied");
            with_query_code(ApiError::new(
                "AccessDeniedException",
                403,
                format!("Access to the resource {resource} is denied."),
            ))
        }
        CoreError::MalformedPolicy(m) => {
            with_query_code(ApiError::modelled(&ER_INVALID_ATTRIBUTE_VALUE, m))
        }
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal failure");
            let mut e = ApiError::new(
                "InternalError",
                500,
                "We encountered an internal error. Please try again.",
            );
            e.query_code = Some("InternalError".into());
            e
        }
        e @ (CoreError::NoSuchEntity(_)
        | CoreError::EntityAlreadyExists(_)
        | CoreError::LimitExceeded(_)
        | CoreError::DeleteConflict(_)
        | CoreError::Validation(_)
        | CoreError::Constraints(_)
        | CoreError::Organizations(_)
        | CoreError::S3(_)
        | CoreError::CloudTrail(_)
        | CoreError::Account(_)
        | CoreError::Ec2(_)
        | CoreError::InvalidInput(_)
        | CoreError::PasswordPolicyViolation(_)
        | CoreError::PolicyNotAttachable(_)
        | CoreError::OrganizationNotFound(_)
        | CoreError::OrganizationNotInAllFeaturesMode(_)
        | CoreError::ServiceAccessNotEnabled(_)
        | CoreError::AccountNotManagementOrDelegatedAdministrator(_)
        | CoreError::CallerIsNotManagementAccount(_)
        | CoreError::Sts(_)
        | CoreError::DuplicateCertificate(_)
        | CoreError::MalformedCertificate(_)
        | CoreError::InvalidAuthenticationCode(_)
        | CoreError::ReportNotPresent(_)
        | CoreError::ReportExpired(_)
        | CoreError::InvalidUserType(_)
        | CoreError::EntityTemporarilyUnmodifiable(_)
        | CoreError::UnmodifiableEntity(_)) => {
            crate::error::sqs_common("InvalidParameterValue", e.to_string())
        }
    }
}

const STRINGS: &[&str] = &[
    "QueueUrl",
    "QueueName",
    "QueueNamePrefix",
    "NextToken",
    "MessageBody",
    "ReceiptHandle",
    "QueueOwnerAWSAccountId",
    "MessageGroupId",
    "MessageDeduplicationId",
];
const INTEGERS: &[&str] = &[
    "MaxResults",
    "DelaySeconds",
    "MaxNumberOfMessages",
    "VisibilityTimeout",
    "WaitTimeSeconds",
];
/// Flattened lists: query name → JSON member.
const LISTS: &[(&str, &str)] = &[
    ("AttributeName", "AttributeNames"),
    ("TagKey", "TagKeys"),
    ("MessageSystemAttributeName", "MessageSystemAttributeNames"),
    ("MessageAttributeName", "MessageAttributeNames"),
];
/// Flattened maps: query name, key and value names → JSON member.
/// (`Tag.N` is `CreateQueue`'s `tags` and `TagQueue`'s `Tags`: both are
/// set, and the member the operation lacks is ignored.)
const MAPS: &[(&str, &str, &str, &str)] = &[
    ("Attribute", "Name", "Value", "Attributes"),
    ("Tag", "Key", "Value", "tags"),
    ("Tag", "Key", "Value", "Tags"),
];
/// The entries of the batch operations (`Entries`): the query name of an
/// entry, its string and its integer members (`SendMessageBatch`'s
/// entries also carry `MessageAttribute.M.…`).
const BATCHES: &[(&str, &[&str], &[&str])] = &[
    (
        "SendMessageBatchRequestEntry",
        &[
            "Id",
            "MessageBody",
            "MessageDeduplicationId",
            "MessageGroupId",
        ],
        &["DelaySeconds"],
    ),
    (
        "DeleteMessageBatchRequestEntry",
        &["Id", "ReceiptHandle"],
        &[],
    ),
    (
        "ChangeMessageVisibilityBatchRequestEntry",
        &["Id", "ReceiptHandle"],
        &["VisibilityTimeout"],
    ),
];

/// An integer parameter of the query form.
fn integer(name: &str, v: &str) -> Result<Value, ApiError> {
    let n: i64 = v.trim().parse().map_err(|_| {
        with_query_code(ApiError::new(
            "InvalidParameterValue",
            400,
            format!("Value {v} for parameter {name} is invalid. Reason: Must be an integer."),
        ))
    })?;
    Ok(Value::from(n))
}

/// `ENTRY.N.MEMBER` as the JSON `Entries` list (an entry is there while it
/// has any member).
fn batch_entries(
    p: &Params,
    entry: &str,
    strings: &[&str],
    integers: &[&str],
) -> Result<Vec<Value>, ApiError> {
    let mut out = Vec::new();
    for i in 1.. {
        let prefix = format!("{entry}.{i}.");
        let mut e = Map::new();
        for name in strings {
            if let Some(v) = p.get(&format!("{prefix}{name}")) {
                e.insert((*name).to_owned(), Value::String(v.to_owned()));
            }
        }
        for name in integers {
            if let Some(v) = p.get(&format!("{prefix}{name}")) {
                e.insert((*name).to_owned(), integer(name, v)?);
            }
        }
        let attributes = message_attributes(p, &prefix);
        if !attributes.is_empty() {
            e.insert("MessageAttributes".to_owned(), Value::Object(attributes));
        }
        if e.is_empty() {
            break;
        }
        out.push(Value::Object(e));
    }
    Ok(out)
}

/// The members of a query-form request as the JSON input they stand for.
pub fn query_members(p: &Params) -> Result<Map<String, Value>, ApiError> {
    let mut m = Map::new();
    for name in STRINGS {
        if let Some(v) = p.get(name) {
            m.insert((*name).to_owned(), Value::String(v.to_owned()));
        }
    }
    for name in INTEGERS {
        if let Some(v) = p.get(name) {
            m.insert((*name).to_owned(), integer(name, v)?);
        }
    }
    for (q, j) in LISTS {
        let items: Vec<Value> = (1..)
            .map_while(|i| p.get(&format!("{q}.{i}")))
            .map(|v| Value::String(v.to_owned()))
            .collect();
        if !items.is_empty() {
            m.insert((*j).to_owned(), Value::Array(items));
        }
    }
    let attributes = message_attributes(p, "");
    if !attributes.is_empty() {
        m.insert("MessageAttributes".to_owned(), Value::Object(attributes));
    }
    for (q, strings, integers) in BATCHES {
        let entries = batch_entries(p, q, strings, integers)?;
        if !entries.is_empty() {
            m.insert("Entries".to_owned(), Value::Array(entries));
        }
    }
    for (q, k, v, j) in MAPS {
        let entries: Map<String, Value> = (1..)
            .map_while(|i| {
                let key = p.get(&format!("{q}.{i}.{k}"))?;
                let value = p.get(&format!("{q}.{i}.{v}")).unwrap_or("");
                Some((key.to_owned(), Value::String(value.to_owned())))
            })
            .collect();
        if !entries.is_empty() {
            m.insert((*j).to_owned(), Value::Object(entries));
        }
    }
    Ok(m)
}

/// `[PREFIX]MessageAttribute.N.Name` and `MessageAttribute.N.Value.{DataType,
/// StringValue, BinaryValue, StringListValue.M, BinaryListValue.M}` as the
/// JSON `MessageAttributes` map (list values kept, so that they are
/// refused as SQS refuses them rather than dropped).
fn message_attributes(p: &Params, prefix: &str) -> Map<String, Value> {
    (1..)
        .map_while(|i| {
            let name = p.get(&format!("{prefix}MessageAttribute.{i}.Name"))?;
            let field = |f: &str| p.get(&format!("{prefix}MessageAttribute.{i}.Value.{f}"));
            let mut value = Map::new();
            for f in ["DataType", "StringValue", "BinaryValue"] {
                if let Some(v) = field(f) {
                    value.insert(f.to_owned(), Value::String(v.to_owned()));
                }
            }
            for f in ["StringListValue", "BinaryListValue"] {
                let items: Vec<Value> = (1..)
                    .map_while(|j| field(&format!("{f}.{j}")))
                    .map(|v| Value::String(v.to_owned()))
                    .collect();
                if !items.is_empty() {
                    value.insert(format!("{f}s"), Value::Array(items));
                }
            }
            Some((name.to_owned(), Value::Object(value)))
        })
        .collect()
}

/// The XML of an answer's members (SQS's lists and maps are flattened:
/// `QueueUrls` → `<QueueUrl>`…, `Attributes` → `<Attribute><Name>…<Value>…`,
/// `MessageAttributes` → `<MessageAttribute><Name>…<Value><DataType>…`).
pub fn members_xml(m: &Map<String, Value>, x: &mut Xml) {
    members_xml_of("", m, x);
}

/// [`members_xml`] of an operation's answer: a batch's `Successful`
/// entries are `<{Operation}ResultEntry>`, its `Failed` ones
/// `<BatchResultErrorEntry>`; `Tags` are `<Tag><Key>…<Value>…`.
pub fn members_xml_of(operation: &str, m: &Map<String, Value>, x: &mut Xml) {
    // A batch's successes come before its failures, as SQS answers them
    // (the members are otherwise in name order).
    let (failed, rest): (Vec<_>, Vec<_>) = m.iter().partition(|(k, _)| *k == "Failed");
    for (k, v) in rest.into_iter().chain(failed) {
        match v {
            Value::Array(items) if k == "Successful" || k == "Failed" => {
                let item = if k == "Failed" {
                    "BatchResultErrorEntry".to_owned()
                } else {
                    format!("{operation}ResultEntry")
                };
                for i in items {
                    if let Value::Object(o) = i {
                        x.open(&item);
                        members_xml(o, x);
                        x.close(&item);
                    }
                }
            }
            Value::Object(entries) if k == "Tags" => {
                for (key, value) in entries {
                    x.open("Tag")
                        .elem("Key", key)
                        .elem("Value", value.as_str().unwrap_or(""));
                    x.close("Tag");
                }
            }
            Value::Object(entries) => {
                let entry = k.strip_suffix('s').unwrap_or(k);
                for (name, value) in entries {
                    x.open(entry).elem("Name", name);
                    match value {
                        // A message attribute: `<Value><DataType>…`.
                        Value::Object(fields) => {
                            x.open("Value");
                            members_xml(fields, x);
                            x.close("Value");
                        }
                        other => {
                            x.elem("Value", other.as_str().unwrap_or(""));
                        }
                    }
                    x.close(entry);
                }
            }
            Value::Array(items) => {
                let item = k.strip_suffix('s').unwrap_or(k);
                for i in items {
                    match i {
                        Value::Object(o) => {
                            x.open(item);
                            members_xml(o, x);
                            x.close(item);
                        }
                        other => {
                            x.elem(item, other.as_str().unwrap_or(""));
                        }
                    }
                }
            }
            Value::String(s) => {
                x.elem(k, s);
            }
            Value::Null => {}
            other => {
                x.elem(k, &other.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let e = from_core(rootward_core::sqs::no_queue(), "u");
        assert_eq!(e.code, "QueueDoesNotExist");
        let error_body = |e: &ApiError| crate::protocol::json::error_body(e, Some("sqs"));
        let query_error_header = crate::protocol::json::query_error_header;
        assert_eq!(
            query_error_header(&e).unwrap(),
            "AWS.SimpleQueueService.NonExistentQueue;Sender"
        );
        assert_eq!(
            error_body(&e),
            r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#
        );
        let d = from_core(CoreError::AccessDenied("why".into()), "http://h/1/q");
        assert_eq!(
            (d.status, d.message.as_str()),
            (403, "Access to the resource http://h/1/q is denied.")
        );
        assert_eq!(query_error_header(&d).unwrap(), "AccessDenied;Sender");
        assert!(error_body(&d).contains("com.amazon.coral.service#AccessDeniedException"));
        let i = from_core(CoreError::Internal("secret".into()), "u");
        assert!(!i.message.contains("secret"));
        assert_eq!(query_error_header(&i).unwrap(), "InternalError;Receiver");
    }

    #[test]
    fn query_form() {
        let p = Params::parse(b"Action=CreateQueue&QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40&Attribute.2.Name=Policy&Attribute.2.Value=&AttributeName.1=All&MaxResults=5").unwrap();
        let m = query_members(&p).unwrap();
        assert_eq!(m["QueueName"], "q");
        assert_eq!(m["Attributes"]["VisibilityTimeout"], "40");
        assert_eq!(m["Attributes"]["Policy"], "");
        assert_eq!(m["AttributeNames"][0], "All");
        assert_eq!(m["MaxResults"], 5);
        let e = query_members(&Params::parse(b"MaxResults=x").unwrap()).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");

        let v = serde_json::json!({
            "QueueUrls": ["a", "b"],
            "Attributes": {"QueueArn": "arn"},
            "Messages": [{"Body": "<x>", "Attributes": {"SenderId": "s"}}],
        });
        let mut x = Xml::new();
        members_xml(v.as_object().unwrap(), &mut x);
        assert_eq!(
            x.finish(),
            "<Attribute><Name>QueueArn</Name><Value>arn</Value></Attribute><Message><Attribute><Name>SenderId</Name><Value>s</Value></Attribute><Body>&lt;x&gt;</Body></Message><QueueUrl>a</QueueUrl><QueueUrl>b</QueueUrl>"
        );
    }
}
