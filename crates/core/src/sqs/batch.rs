//! The batch operations (`SendMessageBatch`, `DeleteMessageBatch`,
//! `ChangeMessageVisibilityBatch`): the checks of the batch as a whole,
//! then each entry through its single operation's checks and change, so
//! that an entry fails exactly as the single call would while the others
//! succeed.
//!
//! A batch is authorized once, as its single action (`sqs:SendMessage`
//! for `SendMessageBatch`, …: AWS has no batch actions); a denial fails
//! the whole call. Every entry's change joins the call's unit: they are
//! committed together with the call's trail event.

use super::messages::{change_visibility_on, delete_from, send_to};
use super::*;

/// At most this many entries per batch.
pub const MAX_ENTRIES: usize = 10;

/// The largest the messages of a `SendMessageBatch` may be together, in
/// bytes (API reference: "the maximum total payload size (the sum of the
/// individual lengths of all of the batched messages) [is] 1 MiB").
pub const MAX_BATCH_PAYLOAD: usize = 1_048_576;

/// One entry of a batch: its id and its input.
#[derive(Debug, Clone)]
pub struct BatchEntry<'a, T> {
    /// `Id`.
    pub id: &'a str,
    /// The entry's input.
    pub input: T,
}

/// Each entry's id and outcome, in request order.
pub type BatchOutcome<T> = Vec<(String, Result<T, CoreError>)>;

/// One entry of `ChangeMessageVisibilityBatch`.
#[derive(Debug, Clone, Copy)]
pub struct VisibilityChange<'a> {
    /// `ReceiptHandle`.
    pub handle: &'a str,
    /// `VisibilityTimeout` (optional in the model).
    pub timeout: Option<i64>,
}

/// The checks of a batch as a whole, in the order SQS reports them: no
/// entries, too many, an id of the wrong form, two ids alike (the first
/// repeated one named). `entry` names the entries in the first message
/// (`SendMessageBatchRequestEntry`). The messages are AWS's as other SQS
/// implementations record them from AWS [UNCONFIRMED: the order of the
/// checks].
fn check_batch<T>(entry: &str, entries: &[BatchEntry<'_, T>]) -> Result<(), CoreError> {
    if entries.is_empty() {
        return Err(fail(
            SqsError::EmptyBatchRequest,
            format!("There should be at least one {entry} in the request."),
        ));
    }
    if entries.len() > MAX_ENTRIES {
        return Err(fail(
            SqsError::TooManyEntriesInBatchRequest,
            format!(
                "Maximum number of entries per request are {MAX_ENTRIES}. You have sent {}.",
                entries.len()
            ),
        ));
    }
    if entries.iter().any(|e| !valid_id(e.id)) {
        return Err(fail(
            SqsError::InvalidBatchEntryId,
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
        ));
    }
    for (i, e) in entries.iter().enumerate() {
        if entries.iter().take(i).any(|earlier| earlier.id == e.id) {
            return Err(fail(
                SqsError::BatchEntryIdsNotDistinct,
                format!("Id {} repeated.", e.id),
            ));
        }
    }
    Ok(())
}

/// Batch entry ids: 1 to 80 alphanumeric characters, hyphens or
/// underscores.
fn valid_id(id: &str) -> bool {
    (1..=80).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `SendMessageBatch`: each entry sent as `SendMessage` would send it.
/// Larger than [`MAX_BATCH_PAYLOAD`] together (bodies and message
/// attributes, as a single message's size is counted) is
/// `BatchRequestTooLong`.
///
/// An entry whose input could not be read (`Err`: message attributes SQS
/// refuses before its checks, such as list values) fails alone with that
/// error, after the checks of the batch as a whole.
pub fn send_message_batch<'a>(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    entries: Vec<BatchEntry<'a, Result<SendRequest<'a>, CoreError>>>,
) -> Result<BatchOutcome<Sent>, CoreError> {
    let queue = access(svc, caller, "SendMessage", q, false)?;
    check_batch("SendMessageBatchRequestEntry", &entries)?;
    let total: usize = entries
        .iter()
        .filter_map(|e| e.input.as_ref().ok())
        .map(|r| r.body.len() + attributes::size(&r.attributes))
        .sum();
    if total > MAX_BATCH_PAYLOAD {
        // AWS's words.
        return Err(fail(
            SqsError::BatchRequestTooLong,
            format!(
                "Batch requests cannot be longer than {MAX_BATCH_PAYLOAD} bytes. You have sent {total} bytes."
            ),
        ));
    }
    Ok(entries
        .into_iter()
        .map(|e| {
            let outcome = e.input.and_then(|r| send_to(svc, caller, &queue, r));
            (e.id.to_owned(), outcome)
        })
        .collect())
}

/// `DeleteMessageBatch`: each entry deleted as `DeleteMessage` would
/// delete it.
pub fn delete_message_batch(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    entries: &[BatchEntry<'_, &str>],
) -> Result<BatchOutcome<()>, CoreError> {
    let queue = access(svc, caller, "DeleteMessage", q, false)?;
    check_batch("DeleteMessageBatchRequestEntry", entries)?;
    Ok(entries
        .iter()
        .map(|e| (e.id.to_owned(), delete_from(svc, &queue, e.input)))
        .collect())
}

/// `ChangeMessageVisibilityBatch`: each entry changed as
/// `ChangeMessageVisibility` would change it; an entry without a
/// `VisibilityTimeout` fails with `MissingParameter` [UNCONFIRMED: AWS's
/// answer to it; the single call requires the member].
pub fn change_message_visibility_batch(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    entries: &[BatchEntry<'_, VisibilityChange<'_>>],
) -> Result<BatchOutcome<()>, CoreError> {
    let queue = access(svc, caller, "ChangeMessageVisibility", q, false)?;
    check_batch("ChangeMessageVisibilityBatchRequestEntry", entries)?;
    Ok(entries
        .iter()
        .map(|e| {
            let outcome = match e.input.timeout {
                None => Err(missing_parameter("VisibilityTimeout")),
                Some(t) => change_visibility_on(svc, &queue, e.input.handle, t),
            };
            (e.id.to_owned(), outcome)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(ids: &[&'static str]) -> Vec<BatchEntry<'static, ()>> {
        ids.iter().map(|id| BatchEntry { id, input: () }).collect()
    }

    fn code(r: Result<(), CoreError>) -> String {
        match r {
            Ok(()) => "ok".to_owned(),
            Err(CoreError::Sqs(e)) => format!("{e:?}")
                .split('(')
                .next()
                .unwrap_or_default()
                .to_owned(),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn batch_checks() {
        let check = |ids: &[&'static str]| code(check_batch("E", &entries(ids)));
        assert_eq!(check(&["a", "b-1", "C_2"]), "ok");
        assert_eq!(check(&[]), "EmptyBatchRequest");
        assert_eq!(
            check(&["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]),
            "TooManyEntriesInBatchRequest"
        );
        assert_eq!(
            check(&["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]),
            "ok"
        );
        assert_eq!(check(&["a", "b", "a"]), "BatchEntryIdsNotDistinct");
        assert_eq!(check(&["a", "b.c"]), "InvalidBatchEntryId");
        assert_eq!(check(&[""]), "InvalidBatchEntryId");
        let long: &'static str = Box::leak("x".repeat(81).into_boxed_str());
        assert_eq!(check(&[long]), "InvalidBatchEntryId");
        assert_eq!(check(&[&long[..80]]), "ok");
        let e = check_batch(
            "SendMessageBatchRequestEntry",
            &entries(&["a", "b", "b", "a"]),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "Id b repeated.");
    }
}
