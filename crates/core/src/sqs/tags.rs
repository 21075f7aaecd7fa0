//! Queue tags (`TagQueue`, `UntagQueue`, `ListQueueTags`, and `tags` of
//! `CreateQueue`), kept in the queue's record. Cross-account permissions
//! do not apply to them (API reference): only the owner account's
//! principals may call them.

use super::*;

/// At most this many tags per queue.
pub const MAX_TAGS: usize = 50;

/// Checks tags to add: keys of 1 to 128 characters, values of at most 256
/// (SQS developer guide, "Quotas related to queues") [UNCONFIRMED: the
/// messages; SQS answers `InvalidParameterValue`].
pub(super) fn check_tags(tags: &BTreeMap<String, String>) -> Result<(), CoreError> {
    for (k, v) in tags {
        if !(1..=128).contains(&k.chars().count()) {
            return Err(invalid_parameter(
                "Tag keys must be between 1 and 128 characters in length.",
            ));
        }
        if v.chars().count() > 256 {
            return Err(invalid_parameter(
                "Tag values must be between 0 and 256 characters in length.",
            ));
        }
    }
    Ok(())
}

/// The tags a queue would hold with `added`, or `InvalidParameterValue` in
/// AWS's words when that is more than [`MAX_TAGS`].
pub(super) fn merged(
    queue: &Queue,
    added: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, CoreError> {
    let mut tags = queue.tags.clone();
    tags.extend(added.iter().map(|(k, v)| (k.clone(), v.clone())));
    if tags.len() > MAX_TAGS {
        return Err(invalid_parameter(format!(
            "Too many tags added for queue {}.",
            queue.name
        )));
    }
    Ok(tags)
}

/// `TagQueue`: adds tags, replacing the values of keys already there.
pub fn tag_queue(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    tags: &BTreeMap<String, String>,
) -> Result<(), CoreError> {
    let queue = access(svc, caller, "TagQueue", q, false)?;
    owner_only(caller, q, "TagQueue")?;
    if tags.is_empty() {
        return Err(missing_parameter("Tags"));
    }
    check_tags(tags)?;
    let key = queue.key();
    svc.mutate(|st| {
        let mut queue = st.sqs.queues.get(&key).cloned().ok_or_else(no_queue)?;
        queue.tags = merged(&queue, tags)?;
        Ok(((), vec![Change::Put(Record::SqsQueue(queue))]))
    })
}

/// `UntagQueue`: removes the tags of the given keys (absent keys are no
/// error).
pub fn untag_queue(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
    keys: &[&str],
) -> Result<(), CoreError> {
    let queue = access(svc, caller, "UntagQueue", q, false)?;
    owner_only(caller, q, "UntagQueue")?;
    if keys.is_empty() || keys.iter().any(|k| !(1..=128).contains(&k.chars().count())) {
        return Err(invalid_parameter(
            "Tag keys must be between 1 and 128 characters in length.",
        ));
    }
    let key = queue.key();
    svc.mutate(|st| {
        let mut queue = st.sqs.queues.get(&key).cloned().ok_or_else(no_queue)?;
        if !keys.iter().any(|k| queue.tags.contains_key(*k)) {
            return Ok(((), Vec::new()));
        }
        queue.tags.retain(|k, _| !keys.contains(&k.as_str()));
        Ok(((), vec![Change::Put(Record::SqsQueue(queue))]))
    })
}

/// `ListQueueTags`: the queue's tags.
pub fn list_queue_tags(
    svc: &Service,
    caller: &Caller,
    q: QueueRef<'_>,
) -> Result<BTreeMap<String, String>, CoreError> {
    let queue = access(svc, caller, "ListQueueTags", q, false)?;
    owner_only(caller, q, "ListQueueTags")?;
    Ok(queue.tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_limits() {
        let m = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        assert!(check_tags(&m("k", "")).is_ok());
        assert!(check_tags(&m(&"k".repeat(128), &"v".repeat(256))).is_ok());
        assert!(check_tags(&m("", "v")).is_err());
        assert!(check_tags(&m(&"k".repeat(129), "v")).is_err());
        assert!(check_tags(&m("k", &"v".repeat(257))).is_err());
    }
}
