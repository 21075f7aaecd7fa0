//! Amazon SQS (spec 04 §4.2, spec 08 §8.4): the operation table, queue URLs,
//! JSON 1.0 answers and errors with their query-compatible codes, and the
//! query form of older SDKs (form parameters in, XML out). The domain is
//! `rootward_core::sqs`.

mod wire;

use std::collections::BTreeMap;

use axum::http::request::Parts;
use rootward_core::CoreError;
use rootward_core::sqs::model::MessageAttribute;
use rootward_core::sqs::{
    self as domain, BatchEntry, BatchOutcome, QueueRef, ReceiveRequest, SendRequest,
    VisibilityChange,
};
use serde_json::{Map, Value, json};

use rootward_model::sqs::Operation;
use rootward_model::{Constraint, ValidationErrors};

use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::services::{Ctx, Output};

/// One request: the caller and the endpoint the client called (for queue
/// URLs).
pub(super) struct Req<'a> {
    ctx: &'a Ctx<'a>,
    endpoint: String,
}

type Handler = fn(&Req<'_>, &Input<'_>) -> Result<Option<Value>, ApiError>;

/// The handler of each SQS operation this endpoint serves (`None`: not
/// served; the operation tables mark exactly these as implemented).
pub(super) fn handler(op: Operation) -> Option<Handler> {
    use Operation::*;
    Some(match op {
        ChangeMessageVisibility => change_message_visibility,
        ChangeMessageVisibilityBatch => change_message_visibility_batch,
        CreateQueue => create_queue,
        DeleteMessage => delete_message,
        DeleteMessageBatch => delete_message_batch,
        DeleteQueue => delete_queue,
        GetQueueAttributes => get_queue_attributes,
        GetQueueUrl => get_queue_url,
        ListQueueTags => list_queue_tags,
        ListQueues => list_queues,
        PurgeQueue => purge_queue,
        ReceiveMessage => receive_message,
        SendMessage => send_message,
        SendMessageBatch => send_message_batch,
        SetQueueAttributes => set_queue_attributes,
        TagQueue => tag_queue,
        UntagQueue => untag_queue,
        _ => return None,
    })
}

/// A required member is absent.
pub fn missing(name: &str) -> ApiError {
    wire::with_query_code(ApiError::new(
        "MissingParameter",
        400,
        format!("The request must contain the parameter {name}."),
    ))
}

/// How SQS answers input that breaks the model's constraints: an absent
/// member of the request is `MissingParameter` (one of a nested structure
/// `InvalidParameterValue`), a name outside an attribute-name enum
/// `InvalidAttributeName`, anything else `InvalidParameterValue`, each with
/// its query-compatible code [UNCONFIRMED: AWS's messages for these; the
/// model's SQS constraints are only those enums].
pub fn invalid(e: &ValidationErrors) -> ApiError {
    match e.0.first() {
        // A member required inside a structure of a map or a list (a
        // message attribute's `DataType`) is not a parameter of the
        // request: SQS answers InvalidParameterValue [UNCONFIRMED: the
        // message; Coral's validation text is given].
        Some(v) if v.kind() == Constraint::Required && v.path.contains('.') => {
            wire::with_query_code(ApiError::new("InvalidParameterValue", 400, e.to_string()))
        }
        // A batch without `Entries`: the query form cannot tell an empty
        // list from an absent one, and SQS answers both EmptyBatchRequest
        // [UNCONFIRMED: the message, which names the operation's entry
        // type in AWS's answers; the operation is not known here].
        Some(v) if v.kind() == Constraint::Required && v.path == "entries" => {
            wire::with_query_code(ApiError::modelled(
                &rootward_model::sqs::ER_EMPTY_BATCH_REQUEST,
                "There should be at least one batch request entry in the request.",
            ))
        }
        Some(v) if v.kind() == Constraint::Required => {
            let mut name = v.path.clone();
            if let Some(first) = name.get(..1).map(str::to_ascii_uppercase) {
                name.replace_range(..1, &first);
            }
            missing(&name)
        }
        Some(v) if matches!(v.kind(), Constraint::Enum | Constraint::Entries) => {
            wire::with_query_code(ApiError::new("InvalidAttributeName", 400, e.to_string()))
        }
        _ => wire::with_query_code(ApiError::new("InvalidParameterValue", 400, e.to_string())),
    }
}

fn endpoint(parts: &Parts) -> String {
    let header = |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok());
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    let host = header("host")
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{scheme}://{host}")
}

/// `/ACCOUNT/NAME` → (`ACCOUNT`, `NAME`).
fn split_queue_path(path: &str) -> Option<(&str, &str)> {
    let (account, name) = path.trim_matches('/').split_once('/')?;
    (account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && !name.contains('/'))
    .then_some((account, name))
}

fn request<'a>(ctx: &'a Ctx<'a>) -> Req<'a> {
    Req {
        ctx,
        endpoint: endpoint(ctx.parts),
    }
}

/// The queue a request's path names (`POST /ACCOUNT/NAME`), as the
/// `QueueUrl` member of an operation that has one and was not given it.
/// Query clients (the AWS SDK for Java v1's `QueueUrlHandler`, boto2) and
/// the API reference's query examples address a queue by the URL they post
/// to and send no `QueueUrl` parameter. Filled in before the model's
/// validation, so that `QueueUrl` is required of a request that names its
/// queue neither way. A `QueueUrl` member, when given, wins over the path
/// [UNCONFIRMED: what SQS answers when the two name different queues; spec
/// 04 does not say].
pub fn fill_queue_url(
    members: &'static [rootward_model::Member],
    parts: &Parts,
    object: &mut Map<String, Value>,
) {
    if !members.iter().any(|m| m.name == "QueueUrl")
        || !matches!(object.get("QueueUrl"), None | Some(Value::Null))
    {
        return;
    }
    if let Some((account, name)) = split_queue_path(parts.uri.path()) {
        let url = format!("{}/{account}/{name}", endpoint(parts));
        object.insert("QueueUrl".to_owned(), Value::String(url));
    }
}

/// Runs an SQS operation; a body of `None` answers an empty body.
pub fn call(
    op: Operation,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<Value>>, ApiError> {
    match handler(op) {
        Some(h) => h(&request(ctx), input).map(Output::from),
        None => Err(crate::protocol::json::unknown_operation()),
    }
}

/// The query form of older SDKs (form parameters in, XML out; spec 04
/// §4.2.1): its members as the JSON input they stand for, answered with
/// the same handlers.
pub mod query_form {
    pub use super::wire::{members_xml, members_xml_of, query_members};

    /// The namespace of the query form's answers.
    pub const NAMESPACE: &str = "http://queue.amazonaws.com/doc/2012-11-05/";
}

/// Domain errors in SQS's words; `resource` is the URL a denial names.
fn e(resource: &str) -> impl Fn(CoreError) -> ApiError + '_ {
    move |err| wire::from_core(err, resource)
}

impl Req<'_> {
    fn url(&self, account: &str, name: &str) -> String {
        format!("{}/{account}/{name}", self.endpoint)
    }

    /// The request's queue URL: the `QueueUrl` member (which the path fills
    /// when absent, [`fill_queue_url`]).
    fn queue_url(&self, i: &Input<'_>) -> Result<String, ApiError> {
        i.str("QueueUrl")
            .map(str::to_owned)
            .ok_or_else(|| missing("QueueUrl"))
    }
}

/// The account and name of a queue URL (any host: clients may name the AWS
/// host and send to this endpoint).
fn parse_url(url: &str) -> Result<(&str, &str), ApiError> {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or(""),
        None => url,
    };
    split_queue_path(path).ok_or_else(|| {
        wire::with_query_code(ApiError::new(
            "InvalidAddress",
            404,
            format!("The address {url} is not valid for this endpoint."),
        ))
    })
}

/// The ARN of the queue a URL names, in `region` (where this endpoint's
/// queues live): what CloudTrail records name a queue by.
pub(crate) fn queue_arn(url: &str, region: &str) -> Option<String> {
    let (account, name) = parse_url(url).ok()?;
    Some(domain::model::queue_arn(region, account, name))
}

/// Runs `f` on the request's queue.
fn on_queue(
    r: &Req<'_>,
    i: &Input<'_>,
    f: impl FnOnce(QueueRef<'_>) -> Result<Option<Value>, CoreError>,
) -> Result<Option<Value>, ApiError> {
    let url = r.queue_url(i)?;
    let (account, name) = parse_url(&url)?;
    f(QueueRef { account, name }).map_err(e(&url))
}

fn int(i: &Input<'_>, name: &str) -> Result<Option<i64>, ApiError> {
    i.int(name)
}

fn create_queue(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let name = i.required("QueueName")?;
    let attributes = i.map("Attributes");
    let tags = i.map("tags");
    let c = r.ctx.caller;
    let q = domain::create_queue(r.ctx.svc, c, name, &attributes, &tags)
        .map_err(e(&format!("{}/", r.endpoint)))?;
    Ok(Some(json!({ "QueueUrl": r.url(&q.account, &q.name) })))
}

fn get_queue_url(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let name = i.required("QueueName")?;
    let owner = i.str("QueueOwnerAWSAccountId");
    let c = r.ctx.caller;
    let url = r.url(owner.unwrap_or(&c.account), name);
    let q = domain::get_queue_url(r.ctx.svc, c, name, owner).map_err(e(&url))?;
    Ok(Some(json!({ "QueueUrl": r.url(&q.account, &q.name) })))
}

fn list_queues(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let page = domain::list_queues(
        r.ctx.svc,
        r.ctx.caller,
        i.str("QueueNamePrefix"),
        int(i, "MaxResults")?,
        i.str("NextToken"),
    )
    .map_err(e(&format!("{}/", r.endpoint)))?;
    let mut out = Map::new();
    if !page.queues.is_empty() {
        out.insert(
            "QueueUrls".to_owned(),
            page.queues
                .iter()
                .map(|q| Value::String(r.url(&q.account, &q.name)))
                .collect(),
        );
    }
    if let Some(t) = page.next_token {
        out.insert("NextToken".to_owned(), Value::String(t));
    }
    Ok(Some(Value::Object(out)))
}

fn delete_queue(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    on_queue(r, i, |q| {
        domain::delete_queue(r.ctx.svc, r.ctx.caller, q)?;
        Ok(None)
    })
}

fn purge_queue(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    on_queue(r, i, |q| {
        domain::purge_queue(r.ctx.svc, r.ctx.caller, q)?;
        Ok(None)
    })
}

fn get_queue_attributes(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let names: Vec<String> = i
        .list("AttributeNames")
        .into_iter()
        .map(str::to_owned)
        .collect();
    on_queue(r, i, |q| {
        let attrs = domain::get_queue_attributes(r.ctx.svc, r.ctx.caller, q, &names)?;
        let mut out = Map::new();
        if !attrs.is_empty() {
            out.insert("Attributes".to_owned(), string_map(attrs));
        }
        Ok(Some(Value::Object(out)))
    })
}

fn set_queue_attributes(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    if !i.has("Attributes") {
        return Err(missing("Attributes"));
    }
    let attrs = i.map("Attributes");
    on_queue(r, i, |q| {
        domain::set_queue_attributes(r.ctx.svc, r.ctx.caller, q, &attrs)?;
        Ok(None)
    })
}

/// The `SendMessage` input of a request (or of a batch entry); the inner
/// error: message attributes SQS refuses before the domain's checks (a
/// batch entry fails alone with it, a `SendMessage` entirely).
fn send_request<'a>(i: &Input<'a>) -> Result<Result<SendRequest<'a>, CoreError>, ApiError> {
    let body = i.required("MessageBody")?;
    let delay = int(i, "DelaySeconds")?;
    Ok(message_attributes(i).map(|attributes| SendRequest {
        body,
        delay,
        attributes,
        group_id: i.str("MessageGroupId"),
        dedup_id: i.str("MessageDeduplicationId"),
    }))
}

/// What `SendMessage` answers of a sent message (a batch entry's answer
/// adds its `Id`).
fn sent_json(sent: domain::Sent) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("MD5OfMessageBody".to_owned(), sent.md5.into());
    if let Some(m) = sent.md5_attributes {
        out.insert("MD5OfMessageAttributes".to_owned(), m.into());
    }
    out.insert("MessageId".to_owned(), sent.id.into());
    if let Some(n) = sent.sequence_number {
        out.insert("SequenceNumber".to_owned(), n.into());
    }
    out
}

fn send_message(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let req = send_request(i)?.map_err(|err| wire::from_core(err, ""))?;
    on_queue(r, i, |q| {
        let sent = domain::send_message(r.ctx.svc, r.ctx.caller, q, req)?;
        Ok(Some(Value::Object(sent_json(sent))))
    })
}

/// A batch's answer: `Successful` entries (each its `Id` and what `ok`
/// makes of its outcome) and `Failed` ones (`Id`, `SenderFault`, `Code`
/// (the query-compatible code, as SQS reports it), `Message`); both
/// members are always present, as the model requires them.
fn batch_json<T>(
    outcome: BatchOutcome<T>,
    url: &str,
    ok: impl Fn(T) -> Map<String, Value>,
) -> Value {
    let mut successful = Vec::new();
    let mut failed = Vec::new();
    for (id, result) in outcome {
        match result {
            Ok(t) => {
                let mut entry = Map::new();
                entry.insert("Id".to_owned(), id.into());
                entry.extend(ok(t));
                successful.push(Value::Object(entry));
            }
            Err(err) => {
                let e = wire::from_core(err, url);
                let code = e.query_code.as_deref().unwrap_or(&e.code).to_owned();
                failed.push(json!({
                    "Id": id,
                    "SenderFault": e.status < 500,
                    "Code": code,
                    "Message": e.message,
                }));
            }
        }
    }
    json!({ "Successful": successful, "Failed": failed })
}

/// A batch's entries: each its `Id` and what `entry` reads of it.
fn batch_entries<'a, T>(
    i: &Input<'a>,
    entry: impl Fn(&Input<'a>) -> Result<T, ApiError>,
) -> Result<Vec<BatchEntry<'a, T>>, ApiError> {
    i.structs("Entries")
        .iter()
        .map(|e| {
            Ok(BatchEntry {
                id: e.required("Id")?,
                input: entry(e)?,
            })
        })
        .collect()
}

fn send_message_batch(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let entries = batch_entries(i, send_request)?;
    let url = r.queue_url(i)?;
    on_queue(r, i, |q| {
        let outcome = domain::send_message_batch(r.ctx.svc, r.ctx.caller, q, entries)?;
        Ok(Some(batch_json(outcome, &url, sent_json)))
    })
}

fn delete_message_batch(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let entries = batch_entries(i, |e| e.required("ReceiptHandle"))?;
    let url = r.queue_url(i)?;
    on_queue(r, i, |q| {
        let outcome = domain::delete_message_batch(r.ctx.svc, r.ctx.caller, q, &entries)?;
        Ok(Some(batch_json(outcome, &url, |()| Map::new())))
    })
}

fn change_message_visibility(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let handle = i.required("ReceiptHandle")?;
    let timeout = int(i, "VisibilityTimeout")?.ok_or_else(|| missing("VisibilityTimeout"))?;
    on_queue(r, i, |q| {
        domain::change_message_visibility(r.ctx.svc, r.ctx.caller, q, handle, timeout)?;
        Ok(None)
    })
}

fn change_message_visibility_batch(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let entries = batch_entries(i, |e| {
        Ok(VisibilityChange {
            handle: e.required("ReceiptHandle")?,
            timeout: int(e, "VisibilityTimeout")?,
        })
    })?;
    let url = r.queue_url(i)?;
    on_queue(r, i, |q| {
        let outcome =
            domain::change_message_visibility_batch(r.ctx.svc, r.ctx.caller, q, &entries)?;
        Ok(Some(batch_json(outcome, &url, |()| Map::new())))
    })
}

fn tag_queue(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let tags = i.map("Tags");
    on_queue(r, i, |q| {
        domain::tag_queue(r.ctx.svc, r.ctx.caller, q, &tags)?;
        Ok(None)
    })
}

fn untag_queue(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let keys = i.list("TagKeys");
    on_queue(r, i, |q| {
        domain::untag_queue(r.ctx.svc, r.ctx.caller, q, &keys)?;
        Ok(None)
    })
}

fn list_queue_tags(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    on_queue(r, i, |q| {
        let tags = domain::list_queue_tags(r.ctx.svc, r.ctx.caller, q)?;
        let mut out = Map::new();
        if !tags.is_empty() {
            out.insert("Tags".to_owned(), string_map(tags));
        }
        Ok(Some(Value::Object(out)))
    })
}

/// The `MessageAttributes` of a request (`BinaryValue` in base64, as the
/// JSON protocol and the query form carry it). The list values the model
/// reserves "for future use" are refused as SQS refuses them, not dropped.
fn message_attributes(i: &Input<'_>) -> Result<BTreeMap<String, MessageAttribute>, CoreError> {
    use base64::Engine as _;
    let Some(rootward_model::Value::Map(entries)) = i.get("MessageAttributes") else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (name, value) in entries {
        let rootward_model::Value::Struct(fields) = value else {
            continue;
        };
        let a = Input::new(fields, invalid);
        if a.has("StringListValues") || a.has("BinaryListValues") {
            // AWS's words (answered to boto3).
            return Err(domain::SqsError::UnsupportedOperation(
                "Message attribute list values in SendMessage operation are not supported."
                    .to_owned(),
            )
            .into());
        }
        let binary_value = match a.str("BinaryValue") {
            None => None,
            Some(b) => Some(
                base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .map_err(|_| {
                        // UNCONFIRMED: AWS's answer to a BinaryValue that is
                        // not base64.
                        domain::invalid_parameter(format!(
                            "The binary value of message (user) attribute '{name}' is not valid base64."
                        ))
                    })?,
            ),
        };
        out.insert(
            (*name).to_owned(),
            MessageAttribute {
                data_type: a.str("DataType").unwrap_or_default().to_owned(),
                string_value: a.str("StringValue").map(str::to_owned),
                binary_value,
            },
        );
    }
    Ok(out)
}

/// A message attribute as the JSON protocol answers it.
fn attribute_json(a: &MessageAttribute) -> Value {
    use base64::Engine as _;
    let mut o = Map::new();
    o.insert("DataType".to_owned(), a.data_type.clone().into());
    if let Some(v) = &a.string_value {
        o.insert("StringValue".to_owned(), v.clone().into());
    }
    if let Some(b) = &a.binary_value {
        o.insert(
            "BinaryValue".to_owned(),
            base64::engine::general_purpose::STANDARD.encode(b).into(),
        );
    }
    Value::Object(o)
}

/// The message system attributes a receiver asked for.
fn wanted_attributes<'a>(i: &Input<'a>) -> Vec<&'a str> {
    let mut names = i.list("AttributeNames");
    names.extend(i.list("MessageSystemAttributeNames"));
    names
}

fn receive_message(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let req = ReceiveRequest {
        max: int(i, "MaxNumberOfMessages")?,
        visibility_timeout: int(i, "VisibilityTimeout")?,
        wait: int(i, "WaitTimeSeconds")?,
    };
    let wanted = wanted_attributes(i);
    let wants = |n: &str| wanted.iter().any(|w| *w == "All" || *w == n);
    let wanted_user = i.list("MessageAttributeNames");
    on_queue(r, i, |q| {
        let messages = domain::receive_message(r.ctx.svc, r.ctx.caller, q, req)?;
        let mut out = Map::new();
        if !messages.is_empty() {
            let list = messages
                .iter()
                .map(|m| {
                    let mut v = json!({
                        "MessageId": m.id,
                        "ReceiptHandle": m.receipt_handle,
                        "MD5OfBody": m.md5,
                        "Body": m.body,
                    });
                    let mut attrs = BTreeMap::new();
                    let millis = |t: time::OffsetDateTime| {
                        (t.unix_timestamp_nanos() / 1_000_000).to_string()
                    };
                    if wants("SenderId") {
                        attrs.insert("SenderId".to_owned(), m.sender.clone());
                    }
                    if wants("SentTimestamp") {
                        attrs.insert("SentTimestamp".to_owned(), millis(m.sent));
                    }
                    if wants("ApproximateReceiveCount") {
                        attrs.insert(
                            "ApproximateReceiveCount".to_owned(),
                            m.receive_count.to_string(),
                        );
                    }
                    if wants("ApproximateFirstReceiveTimestamp")
                        && let Some(t) = m.first_received
                    {
                        attrs.insert("ApproximateFirstReceiveTimestamp".to_owned(), millis(t));
                    }
                    for (name, value) in [
                        ("MessageGroupId", &m.group_id),
                        ("MessageDeduplicationId", &m.dedup_id),
                        ("SequenceNumber", &m.sequence_number),
                    ] {
                        if let (true, Some(v)) = (wants(name), value) {
                            attrs.insert(name.to_owned(), v.clone());
                        }
                    }
                    if let (false, Value::Object(o)) = (attrs.is_empty(), &mut v) {
                        o.insert("Attributes".to_owned(), string_map(attrs));
                    }
                    let user = domain::attributes::select(&m.attributes, &wanted_user);
                    if let (Some(md5), Value::Object(o)) =
                        (domain::attributes::md5_of(&user), &mut v)
                    {
                        o.insert("MD5OfMessageAttributes".to_owned(), md5.into());
                        o.insert(
                            "MessageAttributes".to_owned(),
                            user.iter()
                                .map(|(n, a)| (n.clone(), attribute_json(a)))
                                .collect(),
                        );
                    }
                    v
                })
                .collect();
            out.insert("Messages".to_owned(), Value::Array(list));
        }
        Ok(Some(Value::Object(out)))
    })
}

fn delete_message(r: &Req<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let handle = i.required("ReceiptHandle")?;
    on_queue(r, i, |q| {
        domain::delete_message(r.ctx.svc, r.ctx.caller, q, handle)?;
        Ok(None)
    })
}

fn string_map(m: BTreeMap<String, String>) -> Value {
    Value::Object(m.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_urls() {
        assert_eq!(
            parse_url("http://127.0.0.1:4577/111111111111/orders").unwrap(),
            ("111111111111", "orders")
        );
        assert_eq!(
            parse_url("https://sqs.us-east-1.amazonaws.com/222222222222/locked-queue").unwrap(),
            ("222222222222", "locked-queue")
        );
        for bad in [
            "nope",
            "http://h/",
            "http://h/1111/q",
            "http://h/111111111111/",
            "http://h/111111111111/a/b",
        ] {
            let e = parse_url(bad).unwrap_err();
            assert_eq!(e.code, "InvalidAddress", "{bad}");
        }
    }
}
