//! The message operations (`SendMessage`, `ReceiveMessage`,
//! `DeleteMessage`, `PurgeQueue`) and their identifiers, split from the
//! queue operations in `sqs/mod.rs`; access checks and errors stay there.

use super::*;

/// The inputs of `SendMessage`.
#[derive(Debug, Clone, Default)]
pub struct SendRequest<'a> {
    /// `MessageBody`.
    pub body: &'a str,
    /// `DelaySeconds` (default: the queue's).
    pub delay: Option<i64>,
    /// `MessageAttributes`, by name (a missing `DataType` is empty).
    pub attributes: BTreeMap<String, MessageAttribute>,
    /// `MessageGroupId`.
    pub group_id: Option<&'a str>,
    /// `MessageDeduplicationId`.
    pub dedup_id: Option<&'a str>,
}

/// What `SendMessage` answers.
#[derive(Debug, Clone)]
pub struct Sent {
    /// `MessageId`.
    pub id: String,
    /// `MD5OfMessageBody`.
    pub md5: String,
    /// `MD5OfMessageAttributes` (only with attributes).
    pub md5_attributes: Option<String>,
    /// `SequenceNumber` (FIFO queues).
    pub sequence_number: Option<String>,
}

/// Hex MD5 of a text.
pub fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

fn random_hex(n: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from_digit(rng.random_range(0..16u32), 16).unwrap_or('0'))
        .collect()
}

pub(super) fn uuid() -> String {
    crate::ids::uuid()
}

/// The characters SQS accepts in a body (XML 1.0's).
pub(super) fn allowed_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{a}' | '\u{d}' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

/// `SendMessage`: the body and its attributes, checked as SQS does, stored
/// with the message.
pub fn send_message(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    req: SendRequest<'_>,
) -> Result<Sent, CoreError> {
    let queue = access(svc, caller, "SendMessage", q, false)?;
    send_to(svc, caller, &queue, req)
}

/// `SendMessage` to a queue the caller may send to (the checks and the
/// store of one message; `SendMessageBatch` runs each entry through it).
pub(super) fn send_to(
    svc: &Service,
    caller: &Caller,
    queue: &Queue,
    req: SendRequest<'_>,
) -> Result<Sent, CoreError> {
    let SendRequest {
        body,
        delay: requested_delay,
        attributes,
        group_id,
        dedup_id,
    } = req;
    if body.is_empty() {
        return Err(missing_parameter("MessageBody"));
    }
    if let Some(c) = body.chars().find(|c| !allowed_char(*c)) {
        return Err(fail(
            SqsError::InvalidMessageContents,
            format!(
                "Invalid binary character '#x{:X}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
                u32::from(c)
            ),
        ));
    }
    attributes::check(&attributes)?;
    // Attributes count towards the size (API reference, MessageAttributeValue).
    let max = numeric(queue, "MaximumMessageSize");
    let size = body.len() + attributes::size(&attributes);
    if i64::try_from(size).unwrap_or(i64::MAX) > max {
        return Err(invalid_parameter(format!(
            "One or more parameters are invalid. Reason: Message must be shorter than {max} bytes."
        )));
    }
    let delay = match requested_delay {
        None => numeric(queue, "DelaySeconds"),
        Some(d) if (0..=900).contains(&d) => d,
        Some(d) => {
            return Err(invalid_parameter(format!(
                "Value {d} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."
            )));
        }
    };
    let fifo = queue.is_fifo();
    let dedup_id = fifo_ids(queue, body, requested_delay, group_id, dedup_id)?;
    let sender = caller.user_id(&svc.read());
    let now = svc.now();
    let key = queue.key();
    let message = Message {
        queue: key.clone(),
        // Set when the message is stored, after the queue's last.
        seq: String::new(),
        id: uuid(),
        body: body.to_owned(),
        md5: md5_hex(body),
        sender,
        sent: now,
        visible_at: now + Duration::seconds(delay),
        receive_count: 0,
        first_received: None,
        receipt_handle: None,
        received_at: None,
        attributes,
        group_id: group_id.map(str::to_owned),
        dedup_id,
        sequence_number: None,
    };
    let md5_attributes = attributes::md5_of(&message.attributes);
    // Under DeduplicationScope=messageGroup an id is only a duplicate
    // within its group.
    let dedup_key = message.dedup_id.as_ref().map(|d| {
        match (
            queue
                .attributes
                .get("DeduplicationScope")
                .map(String::as_str),
            &message.group_id,
        ) {
            (Some("messageGroup"), Some(g)) => format!("{g}\n{d}"),
            _ => d.clone(),
        }
    });
    let mut duplicate = false;
    let sent = svc.mutate(|st| {
        if !st.sqs.queues.contains_key(&key) {
            return Err(no_queue());
        }
        if let Some(dk) = &dedup_key
            && let Some(first) = first_sent(svc, st, &key, dk, &message, now)
        {
            // Accepted, not delivered again: answered with the first
            // message's id and sequence number (the digests are of what was
            // sent now: SDKs check them against their request).
            duplicate = true;
            return Ok((
                Sent {
                    id: first.id,
                    md5: message.md5.clone(),
                    md5_attributes: md5_attributes.clone(),
                    sequence_number: first.sequence_number,
                },
                Vec::new(),
            ));
        }
        // Send order, strictly: after the queue's latest message even when
        // the clock reads the same nanosecond twice (or went back).
        let latest = st
            .sqs
            .messages
            .get(&key)
            .and_then(|m| m.last_key_value())
            .and_then(|(seq, _)| seq.get(..24)?.parse::<i128>().ok());
        let nanos = latest.map_or(now.unix_timestamp_nanos(), |l| {
            now.unix_timestamp_nanos().max(l + 1)
        });
        let mut message = message.clone();
        message.seq = format!("{nanos:024}{}", random_hex(8));
        message.sequence_number = fifo.then(|| nanos.to_string());
        if let Some(dk) = &dedup_key {
            // Remembered under the writer's lock, so that a second send of
            // the same id cannot come between.
            svc.sqs_dedup.remember(
                &key,
                dk,
                state::FirstSent {
                    id: message.id.clone(),
                    sequence_number: message.sequence_number.clone(),
                    at: now,
                },
            );
        }
        Ok((
            Sent {
                id: message.id.clone(),
                md5: message.md5.clone(),
                md5_attributes: md5_attributes.clone(),
                sequence_number: message.sequence_number.clone(),
            },
            vec![Change::Put(Record::SqsMessage(message))],
        ))
    })?;
    if !duplicate {
        // Long polls on the queue look again.
        svc.sqs_waiters.notify(&key);
    }
    Ok(sent)
}

/// The message first sent on the queue `key` under the deduplication key
/// `dk` in the last 5 minutes: remembered, or (after a restart) still
/// stored.
fn first_sent(
    svc: &Service,
    st: &crate::state::State,
    key: &str,
    dk: &str,
    message: &Message,
    now: OffsetDateTime,
) -> Option<state::FirstSent> {
    if let Some(first) = svc.sqs_dedup.seen(key, dk, now) {
        return Some(first);
    }
    st.sqs
        .messages_of(key)
        .find(|m| {
            // A key of group and id (they are printable: no line feed)
            // under DeduplicationScope=messageGroup.
            let per_group = dk.contains('\n');
            m.dedup_id == message.dedup_id
                && (!per_group || m.group_id == message.group_id)
                && now - m.sent < state::DEDUPLICATION_INTERVAL
        })
        .map(|m| state::FirstSent {
            id: m.id.clone(),
            sequence_number: m.sequence_number.clone(),
            at: m.sent,
        })
}

/// Checks `MessageGroupId` and `MessageDeduplicationId` for the queue's
/// type and answers the deduplication id to keep: a FIFO queue needs a
/// group and a deduplication id (sent, or the body's SHA-256 when the queue
/// has `ContentBasedDeduplication`) and takes no per-message delay; a
/// standard queue takes a group (fair queues) but no deduplication id.
/// Deduplication itself and the one-at-a-time delivery of a group are not
/// modelled (docs/supported.md).
fn fifo_ids(
    queue: &Queue,
    body: &str,
    delay: Option<i64>,
    group_id: Option<&str>,
    dedup_id: Option<&str>,
) -> Result<Option<String>, CoreError> {
    if let Some(g) = group_id {
        check_fifo_id("MessageGroupId", g)?;
    }
    if !queue.is_fifo() {
        return match dedup_id {
            None => Ok(None),
            // UNCONFIRMED: the wording, after SQS's answer to DelaySeconds
            // on a FIFO queue.
            Some(d) => Err(invalid_parameter(format!(
                "Value {d} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type."
            ))),
        };
    }
    if let Some(d) = delay.filter(|d| *d > 0) {
        // AWS's words.
        return Err(invalid_parameter(format!(
            "Value {d} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."
        )));
    }
    if group_id.is_none() {
        return Err(missing_parameter("MessageGroupId"));
    }
    match dedup_id {
        Some(d) => {
            check_fifo_id("MessageDeduplicationId", d)?;
            Ok(Some(d.to_owned()))
        }
        None if queue
            .attributes
            .get("ContentBasedDeduplication")
            .is_some_and(|v| v == "true") =>
        {
            use sha2::Digest as _;
            Ok(Some(hex::encode(sha2::Sha256::digest(body.as_bytes()))))
        }
        // AWS's words.
        None => Err(invalid_parameter(
            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        )),
    }
}

/// Group and deduplication ids: 1 to 128 alphanumeric or punctuation
/// characters (API reference, `SendMessage`).
fn check_fifo_id(name: &str, value: &str) -> Result<(), CoreError> {
    if (1..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic()) {
        return Ok(());
    }
    // UNCONFIRMED: the wording.
    Err(invalid_parameter(format!(
        "Value {value} for parameter {name} is invalid. Reason: {name} can only include alphanumeric and punctuation characters. 1 to 128 in length."
    )))
}

/// The inputs of `ReceiveMessage`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReceiveRequest {
    /// `MaxNumberOfMessages` (1–10, default 1).
    pub max: Option<i64>,
    /// `VisibilityTimeout` (default: the queue's).
    pub visibility_timeout: Option<i64>,
    /// `WaitTimeSeconds` (0–20; default: the queue's
    /// `ReceiveMessageWaitTimeSeconds`).
    pub wait: Option<i64>,
}

/// `ReceiveMessage`: up to `max` visible messages, each made invisible for
/// the visibility timeout under a new receipt handle. With a wait time (the
/// request's, else the queue's `ReceiveMessageWaitTimeSeconds`), a receive
/// that finds nothing waits until a message is visible or the time passes,
/// and answers as soon as one is (a send to the queue wakes it); a deleted
/// queue ends the wait with `QueueDoesNotExist`, a stopping server with no
/// messages. The wait is the server's, without a thread ([`waiters`]);
/// when [`waiters::MAX_WAITERS`] wait already, it answers at once.
pub fn receive_message(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    req: ReceiveRequest,
) -> Result<Vec<Message>, CoreError> {
    let queue = access(svc, caller, "ReceiveMessage", q, false)?;
    let max = req.max.unwrap_or(1);
    if !(1..=10).contains(&max) {
        return Err(invalid_parameter(format!(
            "Value {max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."
        )));
    }
    let visibility = match req.visibility_timeout {
        None => numeric(&queue, "VisibilityTimeout"),
        Some(v) if (0..=43_200).contains(&v) => v,
        Some(v) => {
            return Err(invalid_parameter(format!(
                "Value {v} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided."
            )));
        }
    };
    let wait = match req.wait {
        None => numeric(&queue, "ReceiveMessageWaitTimeSeconds").clamp(0, 20),
        Some(w) if (0..=20).contains(&w) => w,
        Some(w) => {
            return Err(invalid_parameter(format!(
                "Value {w} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."
            )));
        }
    };
    let key = queue.key();
    let max = usize::try_from(max).unwrap_or(1);
    // A wait is only possible inside the server's long-poll scope, which
    // waits without a thread and calls again with the same deadline.
    if let (true, Some(earlier)) = (wait > 0, waiters::scope()) {
        let deadline = earlier.unwrap_or_else(|| {
            std::time::Instant::now()
                + std::time::Duration::from_secs(u64::try_from(wait).unwrap_or(0))
        });
        // Read before the look, so that a send after it is noticed.
        let seen = svc.sqs_waiters.generation(&key);
        // Looked at without writing: a parked call must leave no change
        // behind (a call that wrote holds its place in the commit order).
        let (visible, next) = {
            let st = svc.read();
            let queue = st.sqs.queues.get(&key).ok_or_else(no_queue)?;
            let now = svc.now();
            // The first time a message is (or becomes) visible.
            let first = st
                .sqs
                .messages_of(&key)
                .filter(|m| !is_expired(queue, m, now))
                .map(|m| m.visible_at)
                .min();
            let visible = first.is_some_and(|at| at <= now);
            let next = first.map(|at| (at - now).max(Duration::ZERO).unsigned_abs());
            (visible, next)
        };
        let look_again = next.map_or(deadline, |d| std::time::Instant::now() + d);
        if !visible
            && std::time::Instant::now() < deadline
            && let Some(parked) = svc.sqs_waiters.park_until(&key, seen, deadline, look_again)
        {
            waiters::leave(parked);
            return Ok(Vec::new());
        }
    }
    take_visible(svc, &key, max, visibility)
}

/// Takes up to `max` visible messages of the queue `key`, each made
/// invisible for `visibility` seconds under a new receipt handle, and
/// deletes the expired ones on the way.
fn take_visible(
    svc: &Service,
    key: &str,
    max: usize,
    visibility: i64,
) -> Result<Vec<Message>, CoreError> {
    let now = svc.now();
    svc.mutate(|st| {
        let queue = st.sqs.queues.get(key).ok_or_else(no_queue)?;
        let mut changes = Vec::new();
        let mut out = Vec::new();
        for m in st.sqs.messages_of(key) {
            if is_expired(queue, m, now) {
                changes.push(Change::Delete(table::SQS_MESSAGES, m.key()));
                continue;
            }
            if m.visible_at > now || out.len() >= max {
                continue;
            }
            let mut m = m.clone();
            m.receive_count += 1;
            m.first_received.get_or_insert(now);
            m.received_at = Some(now);
            m.visible_at = now + Duration::seconds(visibility);
            m.receipt_handle = Some(new_handle(svc, key, &m.seq));
            changes.push(Change::Put(Record::SqsMessage(m.clone())));
            out.push(m);
        }
        Ok((out, changes))
    })
}

/// A new receipt handle for the message `seq` of the queue `queue_key`:
/// `rw2.SEQ.NONCE.TAG`, the nonce 32 random lower-case hexadecimal digits
/// and the tag [`crate::keys::Keys::receipt_tag`] over the queue, sequence and
/// nonce. The tag is under a key derived from the master key, so handles
/// stay valid across restarts and an altered one is told from a stale one.
fn new_handle(svc: &Service, queue_key: &str, seq: &str) -> String {
    let nonce = random_hex(32);
    let tag = svc.keys().receipt_tag(&tagged_data(queue_key, seq, &nonce));
    format!("rw2.{seq}.{nonce}.{tag}")
}

/// What a receipt handle's tag covers: it is bound to its queue, so a
/// handle of one queue presented to another is not a handle there
/// [UNCONFIRMED: AWS is reported to answer ReceiptHandleIsInvalid then].
fn tagged_data(queue_key: &str, seq: &str, nonce: &str) -> String {
    format!("sqs-receipt/{queue_key}/{seq}.{nonce}")
}

fn lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The message a receipt handle names, once its form and tag are checked.
#[derive(Debug, Clone, Copy)]
enum Named<'a> {
    /// A handle whose tag verifies: genuine, current or stale.
    Sealed(&'a str),
    /// A handle of the untagged form earlier versions gave (`rw1.SEQ.NONCE`),
    /// still held for messages in flight across an upgrade. It cannot be
    /// told from an altered one, so it is accepted only while it is its
    /// message's current handle (fail closed: otherwise
    /// `ReceiptHandleIsInvalid`).
    Legacy(&'a str),
}

impl<'a> Named<'a> {
    fn seq(self) -> &'a str {
        match self {
            Named::Sealed(s) | Named::Legacy(s) => s,
        }
    }
}

fn invalid_handle(handle: &str) -> CoreError {
    fail(
        SqsError::ReceiptHandleIsInvalid,
        format!("The input receipt handle \"{handle}\" is not a valid receipt handle."),
    )
}

/// The message sequence a receipt handle of the queue `queue_key` names,
/// or `ReceiptHandleIsInvalid`: a handle of another form, or whose tag does
/// not verify (altered, or made for another queue or under another master
/// key). A genuine handle that names no current receipt is a stale one,
/// answered by the caller as AWS answers stale handles.
fn handle_seq<'a>(svc: &Service, queue_key: &str, handle: &'a str) -> Result<Named<'a>, CoreError> {
    let seq_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(rest) = handle.strip_prefix("rw2.") {
        let mut parts = rest.split('.');
        if let (Some(seq), Some(nonce), Some(tag), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
            && seq_ok(seq)
            && lower_hex(nonce, 32)
            && lower_hex(tag, 32)
            && svc
                .keys()
                .verifies_receipt_tag(&tagged_data(queue_key, seq, nonce), tag)
        {
            return Ok(Named::Sealed(seq));
        }
    } else if let Some((seq, nonce)) = handle
        .strip_prefix("rw1.")
        .and_then(|rest| rest.split_once('.'))
        && seq_ok(seq)
        && lower_hex(nonce, 32)
    {
        return Ok(Named::Legacy(seq));
    }
    Err(invalid_handle(handle))
}

/// `DeleteMessage` by the latest receipt handle; a genuine stale or used
/// handle succeeds without effect, as in AWS; an altered one is
/// `ReceiptHandleIsInvalid`.
pub fn delete_message(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    handle: &str,
) -> Result<(), CoreError> {
    let queue = access(svc, caller, "DeleteMessage", q, false)?;
    delete_from(svc, &queue, handle)
}

/// `DeleteMessage` on a queue the caller may delete from
/// (`DeleteMessageBatch` runs each entry through it).
pub(super) fn delete_from(svc: &Service, queue: &Queue, handle: &str) -> Result<(), CoreError> {
    let key = queue.key();
    let named = handle_seq(svc, &key, handle)?;
    svc.mutate(|st| {
        if !st.sqs.queues.contains_key(&key) {
            return Err(no_queue());
        }
        let hit = st
            .sqs
            .messages
            .get(&key)
            .and_then(|m| m.get(named.seq()))
            .filter(|m| m.receipt_handle.as_deref() == Some(handle));
        if hit.is_none() && matches!(named, Named::Legacy(_)) {
            return Err(invalid_handle(handle));
        }
        Ok((
            (),
            hit.map(|m| vec![Change::Delete(table::SQS_MESSAGES, m.key())])
                .unwrap_or_default(),
        ))
    })
}

/// The longest a message stays in flight from its receipt, in seconds.
const MAX_IN_FLIGHT: i64 = 43_200;

/// `ChangeMessageVisibility`: the message received under `handle` becomes
/// visible `timeout` seconds from now (0: at once).
pub fn change_message_visibility(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    handle: &str,
    timeout: i64,
) -> Result<(), CoreError> {
    let queue = access(svc, caller, "ChangeMessageVisibility", q, false)?;
    change_visibility_on(svc, &queue, handle, timeout)
}

/// `ChangeMessageVisibility` on a queue the caller may change
/// (`ChangeMessageVisibilityBatch` runs each entry through it).
///
/// A handle of another form or whose tag does not verify is
/// `ReceiptHandleIsInvalid`; a genuine one whose message
/// is gone (deleted, expired) or was received again since is
/// `InvalidParameterValue` in AWS's words ("Message does not exist or is
/// not available for visibility timeout change"); one whose visibility
/// timeout has already ended succeeds without effect, as AWS answers it
/// [UNCONFIRMED: LocalStack's AWS-validated tests; AWS's model also names
/// `MessageNotInflight`, which no case found answers, so it is not used].
/// A timeout that would keep the message in flight more than 12 hours from
/// its receipt is refused, as AWS refuses it.
pub(super) fn change_visibility_on(
    svc: &Service,
    queue: &Queue,
    handle: &str,
    timeout: i64,
) -> Result<(), CoreError> {
    if !(0..=MAX_IN_FLIGHT).contains(&timeout) {
        return Err(invalid_parameter(format!(
            "Value {timeout} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided."
        )));
    }
    let key = queue.key();
    let named = handle_seq(svc, &key, handle)?;
    let now = svc.now();
    let made_visible = svc.mutate(|st| {
        let queue = st.sqs.queues.get(&key).ok_or_else(no_queue)?;
        let Some(m) = st
            .sqs
            .messages
            .get(&key)
            .and_then(|m| m.get(named.seq()))
            .filter(|m| m.receipt_handle.as_deref() == Some(handle))
            .filter(|m| !is_expired(queue, m, now))
        else {
            if matches!(named, Named::Legacy(_)) {
                return Err(invalid_handle(handle));
            }
            return Err(invalid_parameter(format!(
                "Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change."
            )));
        };
        if m.visible_at <= now {
            // Its visibility timeout ended already: nothing to change.
            return Ok((false, Vec::new()));
        }
        let received = m.received_at.unwrap_or(now);
        if now + Duration::seconds(timeout) > received + Duration::seconds(MAX_IN_FLIGHT) {
            // AWS's words.
            return Err(invalid_parameter(format!(
                "Value {timeout} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [{MAX_IN_FLIGHT} seconds]"
            )));
        }
        let mut m = m.clone();
        m.visible_at = now + Duration::seconds(timeout);
        Ok((timeout == 0, vec![Change::Put(Record::SqsMessage(m))]))
    })?;
    if made_visible {
        svc.sqs_waiters.notify(&key);
    }
    Ok(())
}

/// `PurgeQueue`: deletes every message; once per 60 seconds.
pub fn purge_queue(svc: &Service, caller: &Caller, q: QueueRef<'_>) -> Result<(), CoreError> {
    let queue = access(svc, caller, "PurgeQueue", q, false)?;
    let key = queue.key();
    let now = svc.now();
    svc.mutate(|st| {
        let mut queue = st.sqs.queues.get(&key).cloned().ok_or_else(no_queue)?;
        if queue
            .last_purge
            .is_some_and(|t| now - t < Duration::seconds(60))
        {
            return Err(fail(
                SqsError::PurgeQueueInProgress,
                format!(
                    "Only one PurgeQueue operation on {} is allowed every 60 seconds.",
                    queue.name
                ),
            ));
        }
        queue.last_purge = Some(now);
        let mut changes: Vec<Change> = st
            .sqs
            .messages_of(&key)
            .map(|m| Change::Delete(table::SQS_MESSAGES, m.key()))
            .collect();
        changes.push(Change::Put(Record::SqsQueue(queue)));
        Ok(((), changes))
    })
}
