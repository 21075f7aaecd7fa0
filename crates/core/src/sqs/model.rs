//! The durable records of Amazon SQS (spec 04 §4.2): queues and messages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A queue. Its settable attributes are kept as AWS spells them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Queue {
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Name (case-sensitive; FIFO names end with `.fifo`).
    pub name: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// Last change of an attribute.
    #[serde(with = "time::serde::rfc3339")]
    pub last_modified: OffsetDateTime,
    /// Settable attributes with a value (`Policy` included when set), by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// The last `PurgeQueue` (one per 60 seconds).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_purge: Option<OffsetDateTime>,
}

impl Queue {
    /// `arn:aws:sqs:REGION:ACCOUNT:NAME`.
    pub fn arn(&self) -> String {
        queue_arn(&self.region, &self.account, &self.name)
    }

    /// The store key.
    pub fn key(&self) -> String {
        queue_key(&self.account, &self.region, &self.name)
    }

    /// Whether it is a FIFO queue (`FifoQueue=true` at creation).
    pub fn is_fifo(&self) -> bool {
        self.attributes
            .get("FifoQueue")
            .is_some_and(|v| v == "true")
    }

    /// The policy document, when one is set.
    pub fn policy(&self) -> Option<&str> {
        self.attributes.get("Policy").map(String::as_str)
    }
}

/// `arn:aws:sqs:REGION:ACCOUNT:NAME`.
pub fn queue_arn(region: &str, account: &str, name: &str) -> String {
    crate::ident::Arn::queue(region, account, name).to_string()
}

/// The store key of a queue: `ACCOUNT/REGION/NAME`.
pub fn queue_key(account: &str, region: &str, name: &str) -> String {
    format!("{account}/{region}/{name}")
}

/// A message in a queue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Message {
    /// The queue's store key.
    pub queue: String,
    /// Orders messages of a queue (send time in nanoseconds, then a nonce).
    pub seq: String,
    /// `MessageId` (a UUID).
    pub id: String,
    /// The body.
    pub body: String,
    /// Hex MD5 of the body.
    pub md5: String,
    /// `SenderId`.
    pub sender: String,
    /// Sent at.
    #[serde(with = "time::serde::rfc3339")]
    pub sent: OffsetDateTime,
    /// Invisible until (delay, then visibility timeouts).
    #[serde(with = "time::serde::rfc3339")]
    pub visible_at: OffsetDateTime,
    /// How often it was received.
    pub receive_count: u32,
    /// First receipt.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub first_received: Option<OffsetDateTime>,
    /// The receipt handle of the latest receipt.
    #[serde(default)]
    pub receipt_handle: Option<String>,
    /// When the latest receipt was made (a message stays in flight at most
    /// 12 hours from it, whatever `ChangeMessageVisibility` asks).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub received_at: Option<OffsetDateTime>,
    /// Message attributes (`MessageAttributes`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, MessageAttribute>,
    /// `MessageGroupId` (FIFO queues; fair standard queues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// `MessageDeduplicationId` (FIFO queues: as sent, or the body's
    /// SHA-256 under content-based deduplication).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_id: Option<String>,
    /// `SequenceNumber` (FIFO queues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

/// A message attribute (`MessageAttributeValue`): its data type (`String`,
/// `Number` or `Binary`, optionally with a custom label: `String.json`) and
/// its value, text for `String` and `Number`, bytes for `Binary`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct MessageAttribute {
    /// `DataType`.
    pub data_type: String,
    /// `StringValue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
    /// `BinaryValue` (stored in base64, as the wire carries it).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "base64_bytes"
    )]
    pub binary_value: Option<Vec<u8>>,
}

/// Bytes as base64 text in the stored JSON (a JSON array of numbers would
/// be four times the size).
mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(bytes) => s.serialize_some(&STANDARD.encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| STANDARD.decode(t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

impl Message {
    /// The store key: `QUEUE-KEY/SEQ`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.queue, self.seq)
    }
}
