//! The in-memory view of every queue and message, with queue policies
//! compiled once per change.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rootward_policy::{Policy, PolicyKind};

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
