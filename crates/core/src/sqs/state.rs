//! The in-memory view of every queue and message, with queue policies
//! compiled once per change, and the names of queues deleted in the last
//! minute.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use parking_lot::Mutex;
use rootward_policy::{Policy, PolicyKind};
use time::{Duration, OffsetDateTime};

use super::model::{Message, Queue};
use crate::model::{Record, table};

/// Queues, their compiled policies and their messages.
#[derive(Default)]
pub struct SqsState {
    /// Queues by `ACCOUNT/REGION/NAME`.
    pub queues: BTreeMap<String, Queue>,
    /// Compiled queue policies by queue key.
    pub policies: HashMap<String, Arc<Policy>>,
    /// Messages by queue key, then by sequence (send order).
    pub messages: HashMap<String, BTreeMap<String, Message>>,
}

impl SqsState {
    /// Applies a stored SQS record.
    pub fn put(&mut self, r: Record) {
        match r {
            Record::SqsQueue(q) => {
                let key = q.key();
                match q.policy().map(|doc| {
                    crate::policy_cache::compile_stored(&q.arn(), doc, PolicyKind::Resource)
                }) {
                    Some(p) => {
                        self.policies.insert(key.clone(), Arc::new(p));
                    }
                    None => {
                        self.policies.remove(&key);
                    }
                }
                self.queues.insert(key, q);
            }
            Record::SqsMessage(m) => {
                self.messages
                    .entry(m.queue.clone())
                    .or_default()
                    .insert(m.seq.clone(), m);
            }
            _ => {}
        }
    }

    /// Removes a stored SQS record.
    pub fn delete(&mut self, t: &str, key: &str) {
        match t {
            table::SQS_QUEUES => {
                self.queues.remove(key);
                self.policies.remove(key);
                self.messages.remove(key);
            }
            table::SQS_MESSAGES => {
                if let Some((queue, seq)) = key.rsplit_once('/')
                    && let Some(msgs) = self.messages.get_mut(queue)
                {
                    msgs.remove(seq);
                }
            }
            _ => {}
        }
    }

    /// A queue by owner, region and name.
    pub fn queue(&self, account: &str, region: &str, name: &str) -> Option<&Queue> {
        self.queues
            .get(&super::model::queue_key(account, region, name))
    }

    /// The queues of an account in a region, in name order.
    pub fn queues_of<'a>(
        &'a self,
        account: &str,
        region: &str,
    ) -> impl Iterator<Item = &'a Queue> + 'a {
        let prefix = format!("{account}/{region}/");
        self.queues
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .map(|(_, q)| q)
    }

    /// The messages of a queue, in send order.
    pub fn messages_of<'a>(&'a self, queue_key: &str) -> impl Iterator<Item = &'a Message> + 'a {
        self.messages
            .get(queue_key)
            .into_iter()
            .flat_map(|m| m.values())
    }
}

/// How long a deleted queue's name stays taken (`QueueDeletedRecently`).
pub const DELETED_QUEUE_NAME_HELD: Duration = Duration::seconds(60);

/// The queues deleted in the last [`DELETED_QUEUE_NAME_HELD`], by store key,
/// with their deletion time by the server's clock. Kept in memory only: a
/// restart frees the names, a harmless difference from SQS for the minute
/// this lasts. Entries older than a minute are forgotten whenever the
/// memory is used, so it holds at most the deletions of the last minute.
#[derive(Default)]
pub struct DeletedQueues {
    deleted: Mutex<HashMap<String, OffsetDateTime>>,
}

impl DeletedQueues {
    /// Remembers that the queue `key` was deleted at `now`.
    pub fn remember(&self, key: &str, now: OffsetDateTime) {
        let mut d = self.deleted.lock();
        forget_old(&mut d, now);
        d.insert(key.to_owned(), now);
    }

    /// Whether the queue `key` was deleted less than a minute before `now`.
    pub fn recently(&self, key: &str, now: OffsetDateTime) -> bool {
        let mut d = self.deleted.lock();
        forget_old(&mut d, now);
        d.contains_key(key)
    }

    /// How many deletions are remembered.
    pub fn len(&self) -> usize {
        self.deleted.lock().len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn forget_old(d: &mut HashMap<String, OffsetDateTime>, now: OffsetDateTime) {
    d.retain(|_, at| now - *at < DELETED_QUEUE_NAME_HELD);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleted_names_are_held_a_minute_then_forgotten() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let d = DeletedQueues::default();
        d.remember("a/r/q1", t0);
        d.remember("a/r/q2", t0 + Duration::seconds(30));
        assert!(d.recently("a/r/q1", t0 + Duration::seconds(59)));
        assert!(!d.recently("a/r/other", t0));
        assert_eq!(d.len(), 2);
        // q1 is a minute old: free and forgotten; q2 is still held.
        assert!(!d.recently("a/r/q1", t0 + Duration::seconds(60)));
        assert_eq!(d.len(), 1);
        assert!(d.recently("a/r/q2", t0 + Duration::seconds(89)));
        // Remembering forgets too: the memory never outgrows a minute.
        for i in 0..100 {
            d.remember(&format!("a/r/n{i}"), t0 + Duration::seconds(200 + i));
        }
        assert_eq!(d.len(), 60);
        assert!(!d.recently("a/r/q2", t0 + Duration::seconds(299)));
        assert!(d.recently("a/r/n99", t0 + Duration::seconds(299)));
    }
}

/// How long a FIFO queue remembers a deduplication id.
pub const DEDUPLICATION_INTERVAL: Duration = Duration::minutes(5);

/// The message a deduplication id was first sent with: its `MessageId`
/// and `SequenceNumber`, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstSent {
    /// `MessageId`.
    pub id: String,
    /// `SequenceNumber`.
    pub sequence_number: Option<String>,
    /// Sent at, by the server's clock.
    pub at: OffsetDateTime,
}

/// The deduplication ids FIFO queues accepted in the last
/// [`DEDUPLICATION_INTERVAL`], by queue key then deduplication key (the
/// id, or group and id under `DeduplicationScope=messageGroup`). Kept in
/// memory; after a restart the messages still stored stand in for it
/// (`send_to` looks at both), so only a duplicate of a message already
/// deleted before the restart is delivered again. Old entries are
/// forgotten whenever the queue's memory is used.
#[derive(Default)]
pub struct Deduplication {
    seen: Mutex<HashMap<String, HashMap<String, FirstSent>>>,
}

impl Deduplication {
    /// The message first sent on `queue` under `key` in the interval.
    pub fn seen(&self, queue: &str, key: &str, now: OffsetDateTime) -> Option<FirstSent> {
        let mut seen = self.seen.lock();
        let ids = seen.get_mut(queue)?;
        ids.retain(|_, f| now - f.at < DEDUPLICATION_INTERVAL);
        ids.get(key).cloned()
    }

    /// Remembers the message first sent on `queue` under `key`.
    pub fn remember(&self, queue: &str, key: &str, first: FirstSent) {
        let mut seen = self.seen.lock();
        let ids = seen.entry(queue.to_owned()).or_default();
        let now = first.at;
        ids.retain(|_, f| now - f.at < DEDUPLICATION_INTERVAL);
        ids.insert(key.to_owned(), first);
    }

    /// Forgets a queue (deleted).
    pub fn forget(&self, queue: &str) {
        self.seen.lock().remove(queue);
    }
}

#[cfg(test)]
mod dedup_tests {
    use super::*;

    #[test]
    fn ids_are_remembered_five_minutes_per_queue() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let d = Deduplication::default();
        let first = FirstSent {
            id: "m1".into(),
            sequence_number: Some("1".into()),
            at: t0,
        };
        d.remember("a/r/q.fifo", "k", first.clone());
        assert_eq!(
            d.seen("a/r/q.fifo", "k", t0 + Duration::seconds(299)),
            Some(first)
        );
        assert_eq!(d.seen("a/r/other.fifo", "k", t0), None);
        assert_eq!(d.seen("a/r/q.fifo", "k", t0 + Duration::seconds(300)), None);
        d.remember(
            "a/r/q.fifo",
            "k2",
            FirstSent {
                id: "m2".into(),
                sequence_number: None,
                at: t0,
            },
        );
        d.forget("a/r/q.fifo");
        assert_eq!(d.seen("a/r/q.fifo", "k2", t0), None);
    }
}
