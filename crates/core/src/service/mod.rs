//! [`Service`]: the state, its store, its keys and its clock, with the one
//! way to change the state: [`Service::mutate`].
//!
//! # The write path
//!
//! A change is decided on the current state and applied in memory under the
//! writer lock, then committed to the store together with the trail event of
//! the call that made it, and only then acknowledged:
//!
//! * A call runs as a **unit** ([`Service::begin`]): the changes its domain
//!   functions make are gathered, and when the call is finished
//!   ([`Service::finish`]) they are committed in one transaction with the
//!   call's event (an outbox row, moved to the event history afterwards). A
//!   `kill -9` keeps both or neither.
//! * **Group commit**: units are committed in the order their first change
//!   was applied; whoever waits first commits every finished unit waiting
//!   at that moment in one transaction (one `fsync`), then wakes the others.
//! * A change is visible to readers from the moment it is applied, up to one
//!   commit before it is acknowledged (as with Redis' `appendfsync always`);
//!   if a commit fails, every unit not yet committed fails and the state is
//!   loaded again from the store, so memory never keeps what the store lost.
//! * Calls that issue credentials (AssumeRole, AssumeRoot, GetSessionToken)
//!   store nothing ([`crate::tokens`]) but their event: it is committed
//!   straight to the history, synced and group-committed the same way
//!   ([`crate::trail::Trail::record_synced`]), before the credentials are
//!   handed out.
//! * The events of other calls that changed nothing go to the history's
//!   batching writer and are not waited for.
//!
//! This module is over 600 lines on purpose: the write path (units, the
//! commit queue, group commit, recovery after a failed commit) is one
//! protocol whose invariants are easier to check in one file. Loading the
//! state is in [`load`].

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use parking_lot::{Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard};
use time::OffsetDateTime;

use crate::clock::Clock;
use crate::error::CoreError;
use crate::keys::Keys;
use crate::model::{Change, Record, Session};
use crate::policy_cache::PolicyCache;
use crate::sealing;
use crate::state::State;
use crate::store::{Store, Write};
use crate::trail::TrailEvent;

mod load;
use load::load;

/// The store table of trail events committed with their changes and not yet
/// in the event history (the outbox), keyed by event id.
pub const OUTBOX: &str = "trail_outbox";

/// The store table of facts about the store itself (the master key check).
pub const META: &str = "meta";

const KEY_CHECK: &str = "key_check";

static SERVICES: AtomicU64 = AtomicU64::new(1);

/// A unit's place in the commit order.
enum Slot {
    /// Its call is still running.
    Open,
    /// Finished: ready to commit.
    Sealed {
        writes: Vec<Write>,
        events: Vec<TrailEvent>,
    },
}

/// Units waiting to be committed, in the order of their first change.
#[derive(Default)]
struct Queue {
    next_seq: u64,
    slots: VecDeque<(u64, Slot)>,
    /// Every unit up to this one is committed or failed.
    done_upto: u64,
    /// Units that failed, with why.
    failed: HashMap<u64, String>,
    /// Somebody is committing.
    leader: bool,
}

impl Queue {
    fn register(&mut self, slot: Slot) -> u64 {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.slots.push_back((seq, slot));
        seq
    }
}

/// The call running on this thread: its changes are committed together.
struct OpenUnit {
    service: u64,
    seq: Option<u64>,
    writes: Vec<Write>,
    durable: bool,
}

thread_local! {
    static UNIT: RefCell<Option<OpenUnit>> = const { RefCell::new(None) };
    /// Inside [`with_deferred_sync`]: the synced commits the calls left to
    /// their caller.
    static DEFERRED: RefCell<Option<Vec<crate::trail::Synced>>> = const { RefCell::new(None) };
}

/// Runs `f` (calls on this thread) so that a call whose only write is its
/// trail event (it issued credentials) does not wait for that event's synced
/// commit inside [`Service::finish`]: the waits are handed back instead, and
/// the caller must await every one of them, and answer an internal error if
/// one fails, before it answers the call. For async callers, which must not
/// hold their thread while a commit is synced.
pub fn with_deferred_sync<R>(f: impl FnOnce() -> R) -> (R, Vec<crate::trail::Synced>) {
    let outer = DEFERRED.with(|d| d.borrow_mut().replace(Vec::new()));
    let result = f();
    let deferred = DEFERRED.with(|d| {
        let mut d = d.borrow_mut();
        let mine = d.take().unwrap_or_default();
        *d = outer;
        mine
    });
    (result, deferred)
}

/// A call in progress ([`Service::begin`]); [`Service::finish`] ends it.
/// Dropped unfinished (a bug or a panic), it commits its changes without an
/// event and logs that.
pub struct Unit<'a> {
    svc: &'a Service,
    active: bool,
}

impl Drop for Unit<'_> {
    fn drop(&mut self) {
        if self.active
            && let Some(unit) = self.svc.take_unit()
            && unit.seq.is_some()
        {
            tracing::error!(
                "a call ended without finishing its unit: its changes are committed without a trail event"
            );
            let _ = self.svc.seal_and_wait(unit, Vec::new());
        }
    }
}

/// The domain service shared by every request.
pub struct Service {
    id: u64,
    store: Box<dyn Store>,
    state: RwLock<State>,
    writer: Mutex<()>,
    queue: Mutex<Queue>,
    committed: Condvar,
    clock: Arc<dyn Clock>,
    keys: Keys,
    trail: std::sync::OnceLock<crate::trail::Trail>,
    /// Outbox events handed to the history: (history sequence, event id).
    handed: Mutex<Vec<(u64, String)>>,
    /// Outbox events found at start, handed to the history when it is set.
    replay: Mutex<Vec<TrailEvent>>,
    s3_max_object_size: AtomicUsize,
    policies: PolicyCache,
    /// Session tokens already opened ([`crate::tokens::TokenCache`]).
    pub(crate) tokens: crate::tokens::TokenCache,
    /// SQS queues deleted in the last minute (`QueueDeletedRecently`).
    pub(crate) sqs_deleted: crate::sqs::state::DeletedQueues,
    /// SQS long polls in progress.
    pub(crate) sqs_waiters: crate::sqs::waiters::Waiters,
    /// The deduplication ids FIFO queues accepted in the last 5 minutes.
    pub(crate) sqs_dedup: crate::sqs::state::Deduplication,
}

fn to_writes(keys: &Keys, changes: &[Change]) -> Result<Vec<Write>, CoreError> {
    changes
        .iter()
        .map(|c| match c {
            Change::Put(r) => {
                let sealed = sealing::seal(keys, r);
                let value = serde_json::to_vec(sealed.as_ref().unwrap_or(r))
                    .map_err(|e| CoreError::Internal(e.to_string()))?;
                Ok(Write::Put {
                    table: r.table(),
                    key: r.key(),
                    value,
                })
            }
            Change::Delete(table, key) => Ok(Write::Delete {
                table,
                key: key.clone(),
            }),
            Change::PutBlob { key, value } => Ok(Write::PutBlob {
                key: key.clone(),
                value: value.clone(),
            }),
            Change::DeleteBlob { key } => Ok(Write::DeleteBlob { key: key.clone() }),
        })
        .collect()
}

fn outbox_write(event: &TrailEvent) -> Result<Write, CoreError> {
    Ok(Write::Put {
        table: OUTBOX,
        key: event.id.clone(),
        value: serde_json::to_vec(event).map_err(|e| CoreError::Internal(e.to_string()))?,
    })
}

impl Service {
    /// Loads the state from the store, opening sealed secrets with `keys`.
    /// Rows written by older versions are brought up to date in place:
    /// clear secrets are sealed (and their old bytes scrubbed from the
    /// file), stored sessions dropped, secrets sealed under the previous
    /// master key sealed again. Fails when `keys` is not the key of the store.
    pub fn open(
        store: Box<dyn Store>,
        clock: Arc<dyn Clock>,
        keys: Keys,
    ) -> Result<Service, CoreError> {
        let loaded = load(store.as_ref(), &keys)?;
        if !loaded.migrate.is_empty() {
            store.commit(&loaded.migrate)?;
            tracing::info!(
                rows = loaded.migrate.len(),
                "store: older rows brought up to date"
            );
        }
        if loaded.scrub {
            store.scrub()?;
            tracing::info!("store: clear secrets of an older version sealed and scrubbed");
        }
        Ok(Service {
            id: SERVICES.fetch_add(1, Ordering::Relaxed),
            store,
            state: RwLock::new(loaded.state),
            writer: Mutex::new(()),
            queue: Mutex::new(Queue::default()),
            committed: Condvar::new(),
            clock,
            keys,
            trail: std::sync::OnceLock::new(),
            handed: Mutex::new(Vec::new()),
            replay: Mutex::new(loaded.outbox),
            s3_max_object_size: AtomicUsize::new(crate::s3::DEFAULT_MAX_OBJECT_SIZE),
            policies: PolicyCache::default(),
            tokens: crate::tokens::TokenCache::default(),
            sqs_deleted: crate::sqs::state::DeletedQueues::default(),
            sqs_waiters: crate::sqs::waiters::Waiters::default(),
            sqs_dedup: crate::sqs::state::Deduplication::default(),
        })
    }

    /// Sets the CloudTrail event history (once). Events committed to the
    /// outbox before a crash are handed to it now.
    pub fn set_trail(&self, trail: crate::trail::Trail) {
        if self.trail.set(trail).is_err() {
            return;
        }
        let replay = std::mem::take(&mut *self.replay.lock());
        if replay.is_empty() {
            return;
        }
        // The history may have stored some before the crash (their outbox
        // rows are deleted by a commit after the history's): those are only
        // deleted now. One that cannot be checked stays in the outbox for
        // the next start rather than risk a second copy in the history.
        let Some(trail) = self.trail.get() else {
            return;
        };
        let mut fresh = Vec::with_capacity(replay.len());
        let mut stored = Vec::new();
        let mut unchecked = 0_usize;
        for e in replay {
            match trail.contains(&e) {
                Ok(false) => fresh.push(e),
                Ok(true) => stored.push((0, e.id)),
                Err(err) => {
                    unchecked += 1;
                    tracing::error!(id = %e.id, error = %err, "trail: outbox event kept for the next start (the history cannot be read)");
                }
            }
        }
        tracing::info!(
            replayed = fresh.len(),
            already_stored = stored.len(),
            kept = unchecked,
            "trail: outbox events handed to the history"
        );
        // Delivered already: first in line (the list is in sequence order).
        self.handed.lock().splice(0..0, stored);
        self.hand_to_trail(fresh);
    }

    /// The event history, when one is set.
    pub fn trail(&self) -> Option<&crate::trail::Trail> {
        self.trail.get()
    }

    /// The keys derived from the master key.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Compiled policies by content.
    pub fn policy_cache(&self) -> &PolicyCache {
        &self.policies
    }

    /// Ends every SQS long poll, now and from now on (the server is
    /// stopping: a waiting receive must not hold the shutdown 20 seconds).
    pub fn stop_waiting(&self) {
        self.sqs_waiters.close();
    }

    /// Now, by the server clock.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// A consistent view of the state for reading.
    pub fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read()
    }

    /// Issues `session`: seals its claims into a token and derives its
    /// secret. Nothing is stored; the call that issues it waits for its trail
    /// event to be durable.
    pub fn issue_session(&self, session: Session) -> Session {
        self.mark_durable();
        crate::tokens::issue(&self.keys, session)
    }

    /// Starts a call on this thread: the changes it makes are committed
    /// together with its event by [`Service::finish`]. A call already in
    /// progress on this thread (nesting) is joined.
    pub fn begin(&self) -> Unit<'_> {
        let started = UNIT.with(|u| {
            let mut u = u.borrow_mut();
            if u.is_some() {
                return false;
            }
            *u = Some(OpenUnit {
                service: self.id,
                seq: None,
                writes: Vec::new(),
                durable: false,
            });
            true
        });
        Unit {
            svc: self,
            active: started,
        }
    }

    fn take_unit(&self) -> Option<OpenUnit> {
        UNIT.with(|u| {
            let mut u = u.borrow_mut();
            if u.as_ref().is_some_and(|x| x.service == self.id) {
                u.take()
            } else {
                None
            }
        })
    }

    /// Marks the call in progress as one whose event must be durable before
    /// it is answered (it issued credentials).
    fn mark_durable(&self) {
        UNIT.with(|u| {
            if let Some(unit) = u.borrow_mut().as_mut()
                && unit.service == self.id
            {
                unit.durable = true;
            }
        });
    }

    /// Ends a call: builds its trail event (when there is a history and the
    /// call is recorded), then, if the call changed something or issued
    /// credentials, commits its changes and the event in one transaction and
    /// waits for it; otherwise hands the event to the history's writer.
    /// An error means the changes were not committed: answer an internal
    /// error.
    pub fn finish(
        &self,
        mut unit: Unit<'_>,
        call: Option<&crate::trail::event::Call<'_>>,
    ) -> Result<(), CoreError> {
        if !unit.active {
            return Ok(());
        }
        unit.active = false;
        let Some(open) = self.take_unit() else {
            return Ok(());
        };
        let mut events = Vec::new();
        if let (Some(_), Some(call)) = (self.trail.get(), call)
            && !call.data_event
        {
            let now = self.now();
            let mut event = crate::trail::event::build(&self.read(), call, now);
            let copy = call
                .shared_with
                .filter(|a| *a != call.caller.account)
                .and_then(|a| crate::trail::event::share(&mut event, a, now));
            events.push(event);
            events.extend(copy);
        }
        if open.seq.is_some() {
            self.seal_and_wait(open, events)
        } else if open.durable {
            // Nothing changed but credentials were issued: the events alone
            // are committed, straight to the history with a sync (no detour
            // through the state store's outbox), before the answer.
            let Some(trail) = self.trail.get() else {
                return Ok(());
            };
            if events.is_empty() {
                return Ok(());
            }
            if DEFERRED.with(|d| d.borrow().is_none()) {
                return trail.record_synced(events);
            }
            let wait = trail.record_deferred(events);
            DEFERRED.with(|d| {
                if let Some(waits) = d.borrow_mut().as_mut() {
                    waits.push(wait);
                }
            });
            Ok(())
        } else {
            if let Some(t) = self.trail.get() {
                for e in events {
                    t.record(e);
                }
            }
            Ok(())
        }
    }

    /// Runs `f` on the current state to decide a change, applies the change
    /// in memory, and returns `f`'s result once the change is committed
    /// (inside a call, once the call is finished). Writers are serialised,
    /// so decisions always see the latest state.
    pub fn mutate<R>(
        &self,
        f: impl FnOnce(&State) -> Result<(R, Vec<Change>), CoreError>,
    ) -> Result<R, CoreError> {
        self.mutate_inner(f, true)
    }

    /// [`Service::mutate`] for bookkeeping nobody waits for (an access key's
    /// last use): applied now, committed in order with the next commit (or
    /// by [`Service::commit_pending`]); never part of a call's unit. A crash
    /// may lose it; it is never acknowledged.
    pub fn mutate_later(
        &self,
        f: impl FnOnce(&State) -> Result<((), Vec<Change>), CoreError>,
    ) -> Result<(), CoreError> {
        self.mutate_inner(f, false)
    }

    /// Commits whatever is waiting for a commit (changes of
    /// [`Service::mutate_later`]).
    pub fn commit_pending(&self) -> Result<(), CoreError> {
        let last = {
            let queue = self.queue.lock();
            match queue.slots.back() {
                Some((seq, _)) => *seq,
                None => return Ok(()),
            }
        };
        self.wait_committed(last)
    }

    fn mutate_inner<R>(
        &self,
        f: impl FnOnce(&State) -> Result<(R, Vec<Change>), CoreError>,
        wait: bool,
    ) -> Result<R, CoreError> {
        let unit_seq = if wait {
            UNIT.with(|u| {
                u.borrow()
                    .as_ref()
                    .filter(|x| x.service == self.id)
                    .map(|x| x.seq)
            })
        } else {
            None
        };
        let _w = self.writer.lock();
        let (result, changes) = {
            let state = self.state.read();
            f(&state)?
        };
        if changes.is_empty() {
            return Ok(result);
        }
        let writes = to_writes(&self.keys, &changes)?;
        let mut queue = self.queue.lock();
        let (seq, unit_writes) = match unit_seq {
            Some(Some(seq)) if queue.failed.contains_key(&seq) => {
                return Err(CoreError::Internal(
                    "an earlier change of this call was not committed".to_owned(),
                ));
            }
            Some(Some(seq)) => (seq, Some(writes)),
            Some(None) => (queue.register(Slot::Open), Some(writes)),
            // Not inside a call: these writes are committed on their own.
            None => (
                queue.register(Slot::Sealed {
                    writes,
                    events: Vec::new(),
                }),
                None,
            ),
        };
        drop(queue);
        {
            let mut state = self.state.write();
            for c in changes {
                state.apply(c);
            }
        }
        if let Some(writes) = unit_writes {
            UNIT.with(|u| {
                if let Some(unit) = u.borrow_mut().as_mut() {
                    unit.seq = Some(seq);
                    unit.writes.extend(writes);
                }
            });
            return Ok(result);
        }
        drop(_w);
        if wait {
            self.wait_committed(seq)?;
        }
        Ok(result)
    }

    /// Seals a finished unit with its events and waits for its commit.
    fn seal_and_wait(&self, unit: OpenUnit, events: Vec<TrailEvent>) -> Result<(), CoreError> {
        let mut writes = unit.writes;
        for e in &events {
            writes.push(outbox_write(e)?);
        }
        let seq = {
            let mut queue = self.queue.lock();
            match unit.seq {
                Some(seq) => {
                    if let Some(why) = queue.failed.get(&seq) {
                        return Err(CoreError::Internal(why.clone()));
                    }
                    match queue.slots.iter_mut().find(|(s, _)| *s == seq) {
                        Some((_, slot)) => *slot = Slot::Sealed { writes, events },
                        None => {
                            return Err(CoreError::Internal(
                                "the call's changes are no longer pending".to_owned(),
                            ));
                        }
                    }
                    seq
                }
                None => queue.register(Slot::Sealed { writes, events }),
            }
        };
        self.wait_committed(seq)
    }

    /// Waits until unit `seq` is committed, committing for everybody when
    /// nobody else is.
    fn wait_committed(&self, seq: u64) -> Result<(), CoreError> {
        let mut queue = self.queue.lock();
        loop {
            if queue.done_upto >= seq && !queue.slots.iter().any(|(s, _)| *s == seq) {
                return match queue.failed.remove(&seq) {
                    Some(why) => Err(CoreError::Internal(why)),
                    None => Ok(()),
                };
            }
            let front_sealed = matches!(queue.slots.front(), Some((_, Slot::Sealed { .. })));
            if !queue.leader && front_sealed {
                queue.leader = true;
                self.lead_commit(&mut queue);
                queue.leader = false;
                self.committed.notify_all();
                continue;
            }
            self.committed.wait(&mut queue);
        }
    }

    /// Commits every sealed unit at the front of the queue in one
    /// transaction (the caller holds the queue and is the leader).
    fn lead_commit(&self, queue: &mut MutexGuard<'_, Queue>) {
        let mut batch_writes = Vec::new();
        let mut batch_events = Vec::new();
        let mut last = queue.done_upto;
        while let Some((_, Slot::Sealed { .. })) = queue.slots.front() {
            if let Some((seq, Slot::Sealed { writes, events })) = queue.slots.pop_front() {
                batch_writes.extend(writes);
                batch_events.extend(events);
                last = seq;
            }
        }
        // Outbox events already in the history can go in the same
        // transaction.
        let delivered = self.delivered_outbox();
        batch_writes.extend(delivered.iter().map(|id| Write::Delete {
            table: OUTBOX,
            key: id.clone(),
        }));
        let result = MutexGuard::unlocked(queue, || self.store.commit(&batch_writes));
        match result {
            Ok(()) => {
                queue.done_upto = last;
                if !batch_events.is_empty() {
                    // The history's writer may apply backpressure: not under
                    // the queue lock.
                    MutexGuard::unlocked(queue, || self.hand_to_trail(batch_events));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "store: commit failed; pending changes are dropped and the state reloaded");
                self.forget_delivered(&delivered);
                MutexGuard::unlocked(queue, || self.recover(last, &e.to_string()));
            }
        }
    }

    /// After a failed commit: fails every unit up to `failed_upto` and every
    /// unit still pending, and loads the state again from the store.
    fn recover(&self, failed_upto: u64, why: &str) {
        let _w = self.writer.lock();
        let mut queue = self.queue.lock();
        let why = format!("the store could not commit: {why}");
        let first = queue.done_upto + 1;
        for seq in first..=failed_upto {
            queue.failed.insert(seq, why.clone());
        }
        let pending: Vec<u64> = queue.slots.iter().map(|(s, _)| *s).collect();
        for seq in pending {
            queue.failed.insert(seq, why.clone());
        }
        queue.slots.clear();
        queue.done_upto = queue.next_seq;
        drop(queue);
        match load(self.store.as_ref(), &self.keys) {
            Ok(loaded) => *self.state.write() = loaded.state,
            Err(e) => tracing::error!(error = %e, "store: the state could not be loaded again"),
        }
        self.committed.notify_all();
    }

    fn hand_to_trail(&self, events: Vec<TrailEvent>) {
        let Some(trail) = self.trail.get() else {
            return;
        };
        let mut handed = Vec::with_capacity(events.len());
        for e in events {
            let id = e.id.clone();
            // Synced before `stored` covers it: the outbox row is deleted
            // then, and the state store's commits are synced.
            let seq = trail.record_durable(e);
            handed.push((seq, id));
        }
        self.handed.lock().extend(handed);
    }

    /// Outbox events that the history has committed (to delete).
    fn delivered_outbox(&self) -> Vec<String> {
        let Some(trail) = self.trail.get() else {
            return Vec::new();
        };
        let stored = trail.stored();
        let mut handed = self.handed.lock();
        let split = handed.partition_point(|(seq, _)| *seq <= stored);
        handed.drain(..split).map(|(_, id)| id).collect()
    }

    fn forget_delivered(&self, ids: &[String]) {
        // They are deleted by a later commit (the history ignores repeats).
        let mut handed = self.handed.lock();
        let again: Vec<(u64, String)> = ids.iter().map(|id| (0, id.clone())).collect();
        handed.splice(0..0, again);
    }

    /// Removes from the outbox the events the history has stored (run from
    /// time to time when no write does it on the way).
    pub fn tidy_outbox(&self) -> Result<usize, CoreError> {
        let ids = self.delivered_outbox();
        if ids.is_empty() {
            return Ok(0);
        }
        let writes: Vec<Write> = ids
            .iter()
            .map(|id| Write::Delete {
                table: OUTBOX,
                key: id.clone(),
            })
            .collect();
        match self.store.commit(&writes) {
            Ok(()) => Ok(ids.len()),
            Err(e) => {
                self.forget_delivered(&ids);
                Err(e.into())
            }
        }
    }

    /// One blob (S3 object bytes) from the store.
    pub fn get_blob(&self, key: &str) -> Result<Option<Vec<u8>>, CoreError> {
        Ok(self.store.get_blob(key)?)
    }

    /// The largest S3 object accepted, in bytes.
    pub fn s3_max_object_size(&self) -> usize {
        self.s3_max_object_size.load(Ordering::Relaxed)
    }

    /// Sets the largest S3 object accepted (default
    /// [`crate::s3::DEFAULT_MAX_OBJECT_SIZE`]).
    pub fn set_s3_max_object_size(&self, bytes: usize) {
        self.s3_max_object_size.store(bytes, Ordering::Relaxed);
    }

    /// Writes one record.
    pub fn put(&self, record: Record) -> Result<(), CoreError> {
        self.mutate(|_| Ok(((), vec![Change::Put(record)])))
    }
}
