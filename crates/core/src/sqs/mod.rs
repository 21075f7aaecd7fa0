//! Amazon SQS (spec 04 §4.2): queues per account and region, their
//! attributes and policy, and messages with visibility timeouts.
//!
//! Every operation is authorized as `sqs:<Action>` on the queue ARN with the
//! queue policy as the resource-based policy, through
//! [`Service::authorize_on_resource`]; `GetQueueAttributes`,
//! `SetQueueAttributes` (spec 04 §4.2.3) and `GetQueueUrl` (so that the
//! unlock task can find the queue) carry the owner-root exception.
//! Failures are [`SqsError`]s named after SQS's error shapes
//! (`QueueDoesNotExist`, `QueueNameExists`, …); the server maps them to
//! their codes, statuses and query-compatible codes.
//!
//! A FIFO queue's sends need a group and a deduplication id (sent, or the
//! body's SHA-256 under content-based deduplication) and take no delay of
//! their own; both ids are kept and answered, with a sequence number. A
//! deduplication id seen on the queue in the last 5 minutes is accepted
//! and answered with the first message's id, but not stored again. Every
//! queue delivers in send order, but the one-at-a-time delivery of a
//! message group is not modelled (docs/supported.md).

pub mod attributes;
mod batch;
mod messages;
pub mod model;
pub mod state;
mod tags;
pub mod waiters;

use std::collections::BTreeMap;

use md5::{Digest, Md5};
use time::{Duration, OffsetDateTime};

use crate::authz::{Caller, OnResource};
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;
use model::{Message, MessageAttribute, Queue, queue_arn, queue_key};

pub use batch::{
    BatchEntry, BatchOutcome, MAX_BATCH_PAYLOAD, VisibilityChange, change_message_visibility_batch,
    delete_message_batch, send_message_batch,
};
pub use messages::{
    ReceiveRequest, SendRequest, Sent, change_message_visibility, delete_message, md5_hex,
    purge_queue, receive_message, send_message,
};
pub use tags::{list_queue_tags, tag_queue, untag_queue};

/// An SQS failure, named after its error shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqsError {
    /// The queue does not exist (or the caller may not know it does).
    #[error("The specified queue does not exist.")]
    QueueDoesNotExist,
    /// A queue of that name exists with other attributes.
    #[error("{0}")]
    QueueNameExists(String),
    /// A parameter's value is not valid.
    #[error("{0}")]
    InvalidParameterValue(String),
    /// A required parameter is absent (its name).
    #[error("The request must contain the parameter {0}.")]
    MissingParameter(String),
    /// An attribute SQS does not know, or one that may not be set (its name).
    #[error("Unknown Attribute {0}.")]
    InvalidAttributeName(String),
    /// An attribute's value is not valid.
    #[error("{0}")]
    InvalidAttributeValue(String),
    /// The message body holds characters SQS does not allow.
    #[error("{0}")]
    InvalidMessageContents(String),
    /// A receipt handle that does not name a received message.
    #[error("{0}")]
    ReceiptHandleIsInvalid(String),
    /// A purge within 60 seconds of the last.
    #[error("{0}")]
    PurgeQueueInProgress(String),
    /// A queue of that name was deleted less than 60 seconds ago.
    #[error(
        "You must wait 60 seconds after deleting a queue before you can create another with the same name."
    )]
    QueueDeletedRecently,
    /// A batch request without entries.
    #[error("{0}")]
    EmptyBatchRequest(String),
    /// A batch request of more than ten entries.
    #[error("{0}")]
    TooManyEntriesInBatchRequest(String),
    /// Two entries of a batch share an id.
    #[error("{0}")]
    BatchEntryIdsNotDistinct(String),
    /// A batch entry id that is not 1–80 of `[A-Za-z0-9_-]`.
    #[error("{0}")]
    InvalidBatchEntryId(String),
    /// The messages of a batch are larger together than SQS allows.
    #[error("{0}")]
    BatchRequestTooLong(String),
    /// A feature SQS reserves (list values of message attributes).
    #[error("{0}")]
    UnsupportedOperation(String),
}

impl From<SqsError> for CoreError {
    fn from(e: SqsError) -> Self {
        CoreError::Sqs(e)
    }
}

fn fail(shape: fn(String) -> SqsError, message: impl Into<String>) -> CoreError {
    CoreError::Sqs(shape(message.into()))
}

/// `QueueDoesNotExist`.
pub fn no_queue() -> CoreError {
    SqsError::QueueDoesNotExist.into()
}

/// `InvalidParameterValue`.
pub fn invalid_parameter(message: impl Into<String>) -> CoreError {
    SqsError::InvalidParameterValue(message.into()).into()
}

/// `MissingParameter`.
pub fn missing_parameter(name: &str) -> CoreError {
    SqsError::MissingParameter(name.to_owned()).into()
}

fn unknown_attribute(name: &str) -> CoreError {
    SqsError::InvalidAttributeName(name.to_owned()).into()
}

fn invalid_attribute(name: &str, reason: Option<&str>) -> CoreError {
    let mut m = format!("Invalid value for the parameter {name}.");
    if let Some(r) = reason {
        m.push_str(" Reason: ");
        m.push_str(r);
    }
    SqsError::InvalidAttributeValue(m).into()
}

/// A queue named by a request (from its URL): owner account and name. The
/// region is the caller's.
#[derive(Debug, Clone, Copy)]
pub struct QueueRef<'a> {
    /// The owner account.
    pub account: &'a str,
    /// The queue name.
    pub name: &'a str,
}

/// Numeric attributes: name, default, minimum, maximum. `MaximumMessageSize`
/// defaults to 1 MiB, its maximum, since SQS raised it from 256 KiB
/// (botocore 1.43's CreateQueue documentation: "Default: 1,048,576 bytes").
const NUMERIC: &[(&str, i64, i64, i64)] = &[
    ("DelaySeconds", 0, 0, 900),
    ("MaximumMessageSize", 1_048_576, 1_024, 1_048_576),
    ("MessageRetentionPeriod", 345_600, 60, 1_209_600),
    ("ReceiveMessageWaitTimeSeconds", 0, 0, 20),
    ("VisibilityTimeout", 30, 0, 43_200),
];

/// Settable attributes kept as given, without checks beyond their name.
const OPAQUE: &[&str] = &[
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
];

/// Attributes only read.
const READ_ONLY: &[&str] = &[
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
    "FifoQueue",
];

fn is_known(name: &str) -> bool {
    name == "Policy"
        || NUMERIC.iter().any(|(n, ..)| *n == name)
        || OPAQUE.contains(&name)
        || READ_ONLY.contains(&name)
}

fn numeric(q: &Queue, name: &str) -> i64 {
    let default = NUMERIC
        .iter()
        .find(|(n, ..)| *n == name)
        .map_or(0, |(_, d, ..)| *d);
    q.attributes
        .get(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Checks queue names: 1–80 of `[A-Za-z0-9_-]`, FIFO names ending `.fifo`.
pub fn check_name(name: &str, fifo: bool) -> Result<(), CoreError> {
    let stem = if fifo {
        name.strip_suffix(".fifo")
    } else {
        Some(name)
    };
    let ok = stem.is_some_and(|s| {
        !s.is_empty()
            && name.len() <= 80
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if ok {
        Ok(())
    } else if fifo || name.ends_with(".fifo") {
        Err(invalid_parameter(
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
        ))
    } else {
        Err(invalid_parameter(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
        ))
    }
}

/// Checks attributes to set (`creating`: by `CreateQueue`, where `FifoQueue`
/// is allowed).
fn check_attributes(attrs: &BTreeMap<String, String>, creating: bool) -> Result<(), CoreError> {
    for (k, v) in attrs {
        if let Some((_, _, min, max)) = NUMERIC.iter().find(|(n, ..)| n == k) {
            match v.trim().parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => {}
                _ => return Err(invalid_attribute(k, None)),
            }
        } else if k == "Policy" {
            if !v.is_empty() {
                let problems = rootward_policy::check(v, rootward_policy::PolicyKind::Resource);
                if let Some(p) = problems.first() {
                    return Err(invalid_attribute(k, Some(&p.message)));
                }
            }
        } else if k == "FifoQueue" && creating {
            if v != "true" && v != "false" {
                return Err(invalid_attribute(k, None));
            }
        } else if !OPAQUE.contains(&k.as_str()) {
            return Err(unknown_attribute(k));
        }
    }
    Ok(())
}

/// Whether a given attribute value equals the queue's (for `CreateQueue`'s
/// idempotence): empty `Policy` and `FifoQueue=false` mean absent.
fn same_value(q: &Queue, name: &str, given: &str) -> bool {
    if NUMERIC.iter().any(|(n, ..)| *n == name) {
        return given.trim().parse::<i64>().ok() == Some(numeric(q, name));
    }
    let current = q.attributes.get(name).map(String::as_str);
    match (name, current) {
        ("Policy", None) => given.is_empty(),
        ("FifoQueue", None) => given == "false",
        (_, Some(c)) => c == given,
        (_, None) => false,
    }
}

/// Looks a queue up and authorizes `sqs:<action>` on it, with its policy.
fn access(
    svc: &Service,
    caller: &Caller,
    action: &str,
    q: QueueRef<'_>,
    owner_root_exception: bool,
) -> Result<Queue, CoreError> {
    let region = caller.region.as_str();
    let key = queue_key(q.account, region, q.name);
    let (queue, policy) = {
        let st = svc.read();
        (
            st.sqs.queues.get(&key).cloned(),
            st.sqs.policies.get(&key).cloned(),
        )
    };
    let arn = queue_arn(region, q.account, q.name);
    svc.authorize_on_resource(
        caller,
        &format!("sqs:{action}"),
        OnResource {
            arn: &arn,
            owner: q.account,
            policy: policy.as_deref(),
            owner_root_exception,
        },
        &[],
    )?;
    queue.ok_or_else(no_queue)
}

/// Actions for which "cross-account permissions don't apply" (spec 04 §4.2.2).
fn owner_only(caller: &Caller, q: QueueRef<'_>, action: &str) -> Result<(), CoreError> {
    if caller.account == q.account {
        Ok(())
    } else {
        Err(CoreError::AccessDenied(format!(
            "sqs:{action} cannot be granted to another account"
        )))
    }
}

/// `CreateQueue`: creates the queue, or answers the existing one when every
/// given attribute has the same value (else `QueueNameExists`); a name
/// whose queue was deleted less than 60 seconds ago (by the server's clock)
/// is `QueueDeletedRecently`.
pub fn create_queue(
    svc: &Service,
    caller: &Caller,
    name: &str,
    attributes: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
) -> Result<Queue, CoreError> {
    let fifo = attributes.get("FifoQueue").is_some_and(|v| v == "true");
    check_name(name, fifo)?;
    check_attributes(attributes, true)?;
    let q = QueueRef {
        account: &caller.account,
        name,
    };
    match access(svc, caller, "CreateQueue", q, false) {
        Ok(_) => {}
        Err(CoreError::Sqs(SqsError::QueueDoesNotExist)) => {}
        Err(e) => return Err(e),
    }
    if !tags.is_empty() {
        // "To be able to tag a queue on creation, you must have the
        // sqs:CreateQueue and sqs:TagQueue permissions" (API reference).
        tags::check_tags(tags)?;
        if tags.len() > tags::MAX_TAGS {
            return Err(invalid_parameter(format!(
                "Too many tags added for queue {name}."
            )));
        }
        match access(svc, caller, "TagQueue", q, false) {
            Ok(_) => {}
            Err(CoreError::Sqs(SqsError::QueueDoesNotExist)) => {}
            Err(e) => return Err(e),
        }
    }
    let now = svc.now();
    svc.mutate(|st| {
        if let Some(existing) = st.sqs.queue(&caller.account, &caller.region, name) {
            if attributes
                .iter()
                .all(|(k, v)| same_value(existing, k, v))
            {
                return Ok((existing.clone(), Vec::new()));
            }
            return Err(fail(SqsError::QueueNameExists, format!(
                    "A queue already exists with the same name and a different value for attribute(s) {}",
                    attributes
                        .iter()
                        .filter(|(k, v)| !same_value(existing, k, v))
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if svc
            .sqs_deleted
            .recently(&queue_key(&caller.account, &caller.region, name), now)
        {
            return Err(SqsError::QueueDeletedRecently.into());
        }
        let attributes: BTreeMap<String, String> = attributes
            .iter()
            .filter(|(k, v)| !(k.as_str() == "Policy" && v.is_empty()))
            .filter(|(k, v)| !(k.as_str() == "FifoQueue" && v.as_str() == "false"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let queue = Queue {
            account: caller.account.clone(),
            region: caller.region.clone(),
            name: name.to_owned(),
            created: now,
            last_modified: now,
            attributes,
            tags: tags.clone(),
            last_purge: None,
        };
        Ok((queue.clone(), vec![Change::Put(Record::SqsQueue(queue))]))
    })
}

/// `GetQueueUrl`: the queue of `owner` (default: the caller's account).
pub fn get_queue_url(
    svc: &Service,
    caller: &Caller,
    name: &str,
    owner: Option<&str>,
) -> Result<Queue, CoreError> {
    let account = owner.unwrap_or(&caller.account);
    // The owner-root exception covers GetQueueUrl too: `SQSUnlockQueuePolicy`
    // allows exactly ListQueues, GetQueueUrl, Get/SetQueueAttributes, and a
    // root session must be able to find the queue a deny-all policy locks
    // (spec 04 §4.2.3 leaves the exception's scope UNCONFIRMED).
    access(svc, caller, "GetQueueUrl", QueueRef { account, name }, true)
}

/// `DeleteQueue`: the queue and its messages; its name is taken for the
/// next 60 seconds.
pub fn delete_queue(svc: &Service, caller: &Caller, q: QueueRef<'_>) -> Result<(), CoreError> {
    let queue = access(svc, caller, "DeleteQueue", q, false)?;
    let key = queue.key();
    let now = svc.now();
    svc.mutate(|st| {
        if !st.sqs.queues.contains_key(&key) {
            return Err(no_queue());
        }
        let mut changes: Vec<Change> = st
            .sqs
            .messages_of(&key)
            .map(|m| Change::Delete(table::SQS_MESSAGES, m.key()))
            .collect();
        changes.push(Change::Delete(table::SQS_QUEUES, key.clone()));
        // Remembered under the writer's lock, so that no CreateQueue comes
        // between the deletion and the memory of it.
        svc.sqs_deleted.remember(&key, now);
        Ok(((), changes))
    })?;
    // Its long polls end; a queue made again later starts afresh.
    svc.sqs_waiters.notify(&key);
    svc.sqs_dedup.forget(&key);
    Ok(())
}

/// One page of `ListQueues`.
#[derive(Debug, Clone)]
pub struct QueuePage {
    /// The queues.
    pub queues: Vec<Queue>,
    /// The token of the next page (only when `MaxResults` was given).
    pub next_token: Option<String>,
}

/// `ListQueues`: the caller's queues in the caller's region, by name.
pub fn list_queues(
    svc: &Service,
    caller: &Caller,
    prefix: Option<&str>,
    max_results: Option<i64>,
    next_token: Option<&str>,
) -> Result<QueuePage, CoreError> {
    let resource = crate::ident::Arn::queue(&caller.region, &caller.account, "").to_string();
    svc.authorize(caller, "sqs:ListQueues", &resource, None, &[])?;
    if let Some(m) = max_results
        && !(1..=1000).contains(&m)
    {
        return Err(invalid_parameter(format!(
            "Value {m} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000."
        )));
    }
    let after = match next_token {
        None => None,
        Some(t) => {
            Some(decode_token(t).ok_or_else(|| invalid_parameter("Invalid NextToken value."))?)
        }
    };
    let st = svc.read();
    let mut matching = st
        .sqs
        .queues_of(&caller.account, &caller.region)
        .filter(|q| prefix.is_none_or(|p| q.name.starts_with(p)))
        .filter(|q| after.as_deref().is_none_or(|a| q.name.as_str() > a));
    let limit = max_results
        .and_then(|m| usize::try_from(m).ok())
        .unwrap_or(1000);
    let queues: Vec<Queue> = matching.by_ref().take(limit).cloned().collect();
    let next_token = match (max_results, matching.next(), queues.last()) {
        (Some(_), Some(_), Some(last)) => Some(encode_token(&last.name)),
        _ => None,
    };
    Ok(QueuePage { queues, next_token })
}

fn encode_token(name: &str) -> String {
    format!("rw1-{}", hex::encode(name))
}

fn decode_token(t: &str) -> Option<String> {
    let hex = t.strip_prefix("rw1-")?;
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    String::from_utf8(bytes?).ok()
}

fn is_expired(q: &Queue, m: &Message, now: OffsetDateTime) -> bool {
    m.sent + Duration::seconds(numeric(q, "MessageRetentionPeriod")) <= now
}

/// `GetQueueAttributes`: `names` may hold `All`; attributes without a value
/// are left out.
pub fn get_queue_attributes(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    names: &[String],
) -> Result<BTreeMap<String, String>, CoreError> {
    let queue = access(svc, caller, "GetQueueAttributes", q, true)?;
    if let Some(bad) = names.iter().find(|n| *n != "All" && !is_known(n)) {
        return Err(unknown_attribute(bad));
    }
    let all = names.iter().any(|n| n == "All");
    let now = svc.now();
    let st = svc.read();
    let (mut visible, mut in_flight, mut delayed) = (0u64, 0u64, 0u64);
    for m in st.sqs.messages_of(&queue.key()) {
        if is_expired(&queue, m, now) {
            continue;
        }
        if m.visible_at <= now {
            visible += 1;
        } else if m.receive_count > 0 {
            in_flight += 1;
        } else {
            delayed += 1;
        }
    }
    let mut out = BTreeMap::new();
    for (n, ..) in NUMERIC {
        out.insert((*n).to_owned(), numeric(&queue, n).to_string());
    }
    for (k, v) in &queue.attributes {
        out.insert(k.clone(), v.clone());
    }
    // SSE-SQS is on for a queue that was not given a KMS key or told
    // otherwise: SQS has enabled it by default on new queues since October
    // 2022, and `All` shows it (UNCONFIRMED for queues made with a KMS key,
    // taken as off: one server-side encryption per queue).
    out.entry("SqsManagedSseEnabled".to_owned())
        .or_insert_with(|| {
            if queue.attributes.contains_key("KmsMasterKeyId") {
                "false".to_owned()
            } else {
                "true".to_owned()
            }
        });
    out.insert("QueueArn".to_owned(), queue.arn());
    out.insert(
        "ApproximateNumberOfMessages".to_owned(),
        visible.to_string(),
    );
    out.insert(
        "ApproximateNumberOfMessagesNotVisible".to_owned(),
        in_flight.to_string(),
    );
    out.insert(
        "ApproximateNumberOfMessagesDelayed".to_owned(),
        delayed.to_string(),
    );
    out.insert(
        "CreatedTimestamp".to_owned(),
        queue.created.unix_timestamp().to_string(),
    );
    out.insert(
        "LastModifiedTimestamp".to_owned(),
        queue.last_modified.unix_timestamp().to_string(),
    );
    if !all {
        out.retain(|k, _| names.iter().any(|n| n == k));
    }
    Ok(out)
}

/// `SetQueueAttributes`; `Policy` = `""` removes the queue policy.
pub fn set_queue_attributes(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    attributes: &BTreeMap<String, String>,
) -> Result<(), CoreError> {
    let queue = access(svc, caller, "SetQueueAttributes", q, true)?;
    owner_only(caller, q, "SetQueueAttributes")?;
    check_attributes(attributes, false)?;
    let key = queue.key();
    let now = svc.now();
    svc.mutate(|st| {
        let mut queue = st.sqs.queues.get(&key).cloned().ok_or_else(no_queue)?;
        for (k, v) in attributes {
            if k == "Policy" && v.is_empty() {
                queue.attributes.remove(k);
            } else {
                queue.attributes.insert(k.clone(), v.clone());
            }
        }
        queue.last_modified = now;
        Ok(((), vec![Change::Put(Record::SqsQueue(queue))]))
    })
}

#[cfg(test)]
mod tests {
    use super::messages::{allowed_char, uuid};
    use super::*;

    #[test]
    fn names_and_tokens() {
        assert!(check_name("orders", false).is_ok());
        assert!(check_name("a-b_C9", false).is_ok());
        assert!(check_name("jobs.fifo", true).is_ok());
        assert!(check_name("", false).is_err());
        assert!(check_name(".fifo", true).is_err());
        assert!(check_name("jobs.fifo", false).is_err());
        assert!(check_name("jobs", true).is_err());
        assert!(check_name("bad name", false).is_err());
        assert!(check_name(&"x".repeat(81), false).is_err());
        assert!(check_name(&"x".repeat(80), false).is_ok());
        assert_eq!(decode_token(&encode_token("q-1")).as_deref(), Some("q-1"));
        assert_eq!(decode_token("nope"), None);
        assert_eq!(decode_token("rw1-zz"), None);
    }

    #[test]
    fn md5_and_characters() {
        assert_eq!(md5_hex("hello"), "5d41402abc4b2a76b9719d911017c592");
        assert!(allowed_char('a') && allowed_char('\n') && allowed_char('é'));
        assert!(!allowed_char('\u{0}') && !allowed_char('\u{fffe}'));
        assert_eq!(uuid().len(), 36);
    }

    #[test]
    fn attribute_checks() {
        let m = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        assert!(check_attributes(&m("VisibilityTimeout", "60"), false).is_ok());
        let code = |r: Result<(), CoreError>| match r {
            Err(CoreError::Sqs(SqsError::InvalidAttributeValue(_))) => "InvalidAttributeValue",
            Err(CoreError::Sqs(SqsError::InvalidAttributeName(_))) => "InvalidAttributeName",
            Err(_) => "other",
            Ok(()) => "ok",
        };
        assert_eq!(
            code(check_attributes(&m("VisibilityTimeout", "99999"), false)),
            "InvalidAttributeValue"
        );
        assert_eq!(
            code(check_attributes(&m("Policy", "{"), false)),
            "InvalidAttributeValue"
        );
        assert_eq!(code(check_attributes(&m("Policy", ""), false)), "ok");
        assert_eq!(
            code(check_attributes(&m("Nope", "1"), false)),
            "InvalidAttributeName"
        );
        assert_eq!(
            code(check_attributes(&m("QueueArn", "x"), false)),
            "InvalidAttributeName"
        );
        assert_eq!(
            code(check_attributes(&m("FifoQueue", "true"), false)),
            "InvalidAttributeName"
        );
        assert_eq!(code(check_attributes(&m("FifoQueue", "true"), true)), "ok");
    }
}
