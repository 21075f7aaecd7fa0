//! CloudTrail event history (spec 04 §4.3): every authenticated call becomes
//! an event of the account and region where it happened.
//!
//! Events go to their own store ([`TrailStore`], a second SQLite file by
//! default) through a background writer that commits them in batches. A call
//! that changed something is answered only after its event is committed; the
//! events of read-only calls follow within milliseconds (CloudTrail itself
//! delivers within minutes). A lookup first waits for everything recorded
//! before it to be committed. Optionally each event is
//! also appended as one JSON line to a file for log shippers.

pub mod event;
pub mod sqlite;

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use parking_lot::{Condvar, Mutex};
use time::OffsetDateTime;

use crate::error::CoreError;
use crate::store::StoreError;

/// One recorded event, with the fields `LookupEvents` filters on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TrailEvent {
    /// `eventID` (UUID).
    pub id: String,
    /// `recipientAccountId`.
    pub account: String,
    /// `awsRegion`.
    pub region: String,
    /// `eventTime`.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// `eventName`.
    pub name: String,
    /// `eventSource`, e.g. `sts.amazonaws.com`.
    pub source: String,
    /// `readOnly`.
    pub read_only: bool,
    /// `userIdentity.accessKeyId`.
    pub access_key: Option<String>,
    /// The user name `LookupEvents` shows (`root` for root).
    pub username: Option<String>,
    /// `resources`: (type, name).
    pub resources: Vec<(String, String)>,
    /// The whole record as JSON text.
    pub json: String,
}

/// The `ResourceName` `LookupEvents` shows for a resource recorded as
/// (`kind`, `arn`): the name its owner gave it where the type has one
/// (an IAM user's, group's, role's or instance profile's name, an S3
/// bucket's), else what was recorded (an access key's id, a policy's ARN,
/// other ARNs). CloudTrail documents resource names as user-created names
/// and shows a bucket's as its name; which types AWS shows by ARN is
/// UNCONFIRMED. Lookups by `ResourceName` take either form.
pub fn resource_name<'a>(kind: &str, arn: &'a str) -> &'a str {
    match kind {
        "AWS::IAM::User" | "AWS::IAM::Group" | "AWS::IAM::Role" | "AWS::IAM::InstanceProfile"
            if arn.starts_with("arn:") =>
        {
            arn.rsplit('/').next().unwrap_or(arn)
        }
        "AWS::S3::Bucket" => arn.strip_prefix("arn:aws:s3:::").unwrap_or(arn),
        _ => arn,
    }
}

/// One `LookupEvents` query of one account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// At most one attribute: (key, value).
    pub attribute: Option<(String, String)>,
    /// Inclusive lower bound, to the second (records show `eventTime` in
    /// whole seconds: an event shown at this bound's second is in range).
    pub start: Option<OffsetDateTime>,
    /// Inclusive upper bound, to the second (every event shown at this
    /// bound's second is in range).
    pub end: Option<OffsetDateTime>,
    /// Only events stored up to this sequence number: a paged lookup pins
    /// its first page's newest event, so that events recorded meanwhile
    /// (the lookups' own among them) never shift later pages.
    pub until_seq: Option<u64>,
    /// Events to skip (paging).
    pub offset: usize,
    /// At most this many.
    pub limit: usize,
}

/// Durable event history.
pub trait TrailStore: Send + Sync + 'static {
    /// Appends events atomically; once it returns they survive the end of
    /// the process (`kill -9`).
    fn append(&self, events: &[TrailEvent]) -> Result<(), StoreError>;
    /// [`TrailStore::append`], and the events also survive a power loss or
    /// an operating-system crash once it returns (the events of calls that
    /// are answered only after their event is stored).
    fn append_synced(&self, events: &[TrailEvent]) -> Result<(), StoreError> {
        self.append(events)
    }
    /// Events matching `q`, newest first.
    fn lookup(&self, q: &Lookup) -> Result<Vec<TrailEvent>, StoreError>;
    /// Drops events older than `before` (never the newest one: sequence
    /// numbers must not go back).
    fn purge(&self, before: OffsetDateTime) -> Result<(), StoreError>;
    /// At most `limit` events stored after sequence number `seq`, in order,
    /// with their sequence numbers (trails deliver from here).
    fn after(&self, seq: u64, limit: usize) -> Result<Vec<(u64, TrailEvent)>, StoreError>;
    /// The sequence number of the newest event (0 when none).
    fn last_seq(&self) -> Result<u64, StoreError>;
    /// Once it returns, every event committed before it was called also
    /// survives a power loss or an operating-system crash (trail delivery
    /// syncs before it reads, so that it never delivers an event the
    /// history could lose afterwards).
    fn sync(&self) -> Result<(), StoreError>;
    /// Whether this event (same id, account, region and time) is stored: an
    /// outbox replayed after a crash may hold events the history already
    /// has, and the history does not refuse repeats by itself.
    fn contains(&self, event: &TrailEvent) -> Result<bool, StoreError>;
}

/// Events waiting for the writer, and how far it has got.
#[derive(Default)]
struct Inbox {
    events: Vec<TrailEvent>,
    /// Events recorded so far (a sequence number).
    recorded: u64,
    /// Events committed so far (stored, or given up on after an error).
    committed: u64,
    /// Events stored so far, up to the first batch that could not be.
    stored: u64,
    /// A batch failed to store: `stored` no longer advances.
    broken: bool,
    /// The writer is waiting for a first event (only then is it woken per event).
    idle: bool,
    /// Somebody waits for a commit: skip the gathering window.
    urgent: bool,
    /// The trail is being dropped.
    closed: bool,
    /// A batch is being committed (by the writer or by a caller of
    /// [`Trail::record_synced`]); one at a time, so batches keep their order.
    committing: bool,
    /// Events up to this sequence number must be committed with a sync.
    sync_upto: u64,
    /// Batches that could not be stored: (after, up to] in sequence numbers.
    failed: Vec<(u64, u64)>,
    /// Tasks waiting for events up to a sequence number ([`Synced`]).
    wakers: Vec<(u64, std::task::Waker)>,
    /// The sync committer waits for work (only then is it woken).
    sync_idle: bool,
    /// Calls that recorded with [`Trail::record_deferred`] since the last
    /// batch was taken.
    sync_calls: usize,
    /// The sync committer gathers until this many such calls wait (0: it
    /// does not gather).
    sync_want: usize,
}

impl Inbox {
    /// Takes every pending event as the next batch; the caller commits it
    /// with [`commit`].
    fn take(&mut self) -> Batch {
        self.committing = true;
        self.urgent = false;
        self.sync_calls = 0;
        Batch {
            events: std::mem::take(&mut self.events),
            after: self.committed,
            upto: self.recorded,
            sync: self.sync_upto > self.committed,
        }
    }
}

/// A batch of events taken from the inbox, in order.
struct Batch {
    events: Vec<TrailEvent>,
    /// The sequence number of the event before the first.
    after: u64,
    /// The sequence number of the last event.
    upto: u64,
    /// Commit with a sync ([`TrailStore::append_synced`]).
    sync: bool,
}

/// Commits a batch taken with [`Inbox::take`] and publishes the outcome.
/// Returns whether it was stored.
fn commit(shared: &Shared, store: &dyn TrailStore, batch: Batch) -> bool {
    let result = if batch.sync {
        store.append_synced(&batch.events)
    } else {
        store.append(&batch.events)
    };
    let ok = match result {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "trail: events could not be stored");
            false
        }
    };
    if let Some(f) = shared.out.lock().as_mut() {
        for e in &batch.events {
            let _ = writeln!(f, "{}", e.json);
        }
        let _ = f.flush();
    }
    let ready = {
        let mut inbox = shared.inbox.lock();
        inbox.committed = batch.upto;
        inbox.committing = false;
        if !ok {
            inbox.broken = true;
            inbox.failed.push((batch.after, batch.upto));
        }
        if !inbox.broken {
            inbox.stored = batch.upto;
        }
        let (ready, waiting) = std::mem::take(&mut inbox.wakers)
            .into_iter()
            .partition(|(target, _)| *target <= batch.upto);
        inbox.wakers = waiting;
        ready
    };
    shared.done.notify_all();
    for (_, waker) in ready {
        waker.wake();
    }
    ok
}

/// The outcome of the events up to `target`: `None` while they wait for
/// their commit.
fn settled(inbox: &Inbox, target: u64) -> Option<Result<(), CoreError>> {
    if inbox.committed >= target {
        let failed = inbox
            .failed
            .iter()
            .any(|(after, upto)| *after < target && target <= *upto);
        return Some(if failed {
            Err(CoreError::Internal(
                "the call's trail event could not be stored".to_owned(),
            ))
        } else {
            Ok(())
        });
    }
    inbox
        .closed
        .then(|| Err(CoreError::Internal("the trail is closed".to_owned())))
}

/// Resolves once events recorded with [`Trail::record_deferred`] are stored
/// and synced (or could not be: an error, the call must fail).
#[must_use = "the call may be answered only once its event is stored"]
pub struct Synced {
    shared: Arc<Shared>,
    target: u64,
}

impl std::future::Future for Synced {
    type Output = Result<(), CoreError>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let mut inbox = self.shared.inbox.lock();
        if let Some(result) = settled(&inbox, self.target) {
            return std::task::Poll::Ready(result);
        }
        inbox.wakers.push((self.target, cx.waker().clone()));
        std::task::Poll::Pending
    }
}

struct Shared {
    inbox: Mutex<Inbox>,
    /// Wakes the sync committer.
    sync_wake: Condvar,
    /// The file each event is also appended to, as a JSON line (written by
    /// whoever commits, in commit order).
    out: Mutex<Option<std::fs::File>>,
    /// Wakes the writer.
    wake: Condvar,
    /// A batch was committed, or taken (room for more).
    done: Condvar,
}

/// How long the writer gathers events into one commit when nobody waits.
/// Events of read-only calls reach the store at most this much later (plus
/// the commit); a call that changed something asks for its commit at once.
const GATHER: StdDuration = StdDuration::from_millis(10);

/// How often events older than the retention are dropped.
const PURGE_EVERY: StdDuration = StdDuration::from_secs(600);

/// Beyond this many uncommitted events, recording waits for the writer
/// (backpressure instead of unbounded memory). An event takes a few KiB;
/// at 20,000 a full queue held the server's resident size at 155 MiB after
/// a read storm (issue 15). The writer commits a whole batch at once, so a
/// queue of a couple of thousand keeps it busy without holding memory.
const MAX_PENDING: usize = 2_048;

/// The trail: a batching writer in front of a [`TrailStore`].
pub struct Trail {
    shared: Arc<Shared>,
    store: Arc<dyn TrailStore>,
    writer: Option<std::thread::JoinHandle<()>>,
    syncer: Option<std::thread::JoinHandle<()>>,
}

/// How long events are kept.
pub const DEFAULT_RETENTION: time::Duration = time::Duration::days(90);

impl Trail {
    /// Starts the writer thread. `file`: also append each event's JSON as a line.
    pub fn start(
        store: Arc<dyn TrailStore>,
        file: Option<PathBuf>,
        retention: time::Duration,
    ) -> Result<Trail, CoreError> {
        let out = match &file {
            Some(p) => Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|e| CoreError::Internal(format!("trail file {}: {e}", p.display())))?,
            ),
            None => None,
        };
        let shared = Arc::new(Shared {
            inbox: Mutex::new(Inbox::default()),
            out: Mutex::new(out),
            sync_wake: Condvar::new(),
            wake: Condvar::new(),
            done: Condvar::new(),
        });
        let writer = {
            let shared = shared.clone();
            let store = store.clone();
            std::thread::Builder::new()
                .name("trail-writer".into())
                .spawn(move || write_loop(&shared, store.as_ref(), retention))
                .map_err(|e| CoreError::Internal(format!("trail writer: {e}")))?
        };
        let syncer = {
            let shared = shared.clone();
            let store = store.clone();
            std::thread::Builder::new()
                .name("trail-sync".into())
                .spawn(move || sync_loop(&shared, store.as_ref()))
                .map_err(|e| CoreError::Internal(format!("trail sync committer: {e}")))?
        };
        Ok(Trail {
            shared,
            store,
            writer: Some(writer),
            syncer: Some(syncer),
        })
    }

    /// Records an event (committed shortly after); returns its sequence
    /// number (see [`Trail::committed`]).
    pub fn record(&self, event: TrailEvent) -> u64 {
        self.record_as(event, false)
    }

    /// [`Trail::record`]; `durable`: its batch is committed with a sync
    /// (marked under the same lock as the event is queued, so that no batch
    /// can take the event without the mark).
    fn record_as(&self, event: TrailEvent, durable: bool) -> u64 {
        let mut inbox = self.shared.inbox.lock();
        while inbox.events.len() >= MAX_PENDING && !inbox.closed {
            inbox.urgent = true;
            self.shared.wake.notify_one();
            self.shared
                .done
                .wait_for(&mut inbox, StdDuration::from_millis(100));
        }
        inbox.events.push(event);
        inbox.recorded += 1;
        if durable {
            inbox.sync_upto = inbox.recorded;
        }
        // Woken once per batch, not once per event: while the writer gathers
        // or commits, it picks new events up without being signalled.
        if inbox.idle {
            inbox.idle = false;
            self.shared.wake.notify_one();
        }
        inbox.recorded
    }

    /// Records an event whose call is answered already, and whose only other
    /// copy is in the state store's outbox (the event of a call that changed
    /// something): its batch is committed with a sync, by the writer in its
    /// own time, so that once [`Trail::stored`] covers it the outbox's copy
    /// can go without a power loss taking the event with it.
    pub fn record_durable(&self, event: TrailEvent) -> u64 {
        self.record_as(event, true)
    }

    /// Records the events of a call that is answered only once they are
    /// stored (a call that issued credentials and changed nothing else), and
    /// waits until they are, synced: [`Trail::record_deferred`], waited for
    /// on this thread. An error means the events were not stored: the call
    /// must fail.
    pub fn record_synced(&self, events: Vec<TrailEvent>) -> Result<(), CoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let target = self.record_deferred(events).target;
        let mut inbox = self.shared.inbox.lock();
        loop {
            if let Some(result) = settled(&inbox, target) {
                return result;
            }
            self.shared.done.wait(&mut inbox);
        }
    }

    /// Records the events of a call answered only once they are stored, for
    /// a caller that must not hold its thread while it waits (an async
    /// task): the history's sync committer (a thread at normal priority)
    /// commits them with a sync, together with every event waiting at that
    /// moment (group commit), and the returned future resolves when they are
    /// stored.
    pub fn record_deferred(&self, events: Vec<TrailEvent>) -> Synced {
        let mut inbox = self.shared.inbox.lock();
        for e in events {
            inbox.events.push(e);
            inbox.recorded += 1;
        }
        let target = inbox.recorded;
        if target > inbox.sync_upto {
            inbox.sync_upto = target;
        }
        inbox.sync_calls += 1;
        if inbox.sync_idle || (inbox.sync_want > 0 && inbox.sync_calls >= inbox.sync_want) {
            inbox.sync_idle = false;
            inbox.sync_want = 0;
            self.shared.sync_wake.notify_one();
        }
        Synced {
            shared: self.shared.clone(),
            target,
        }
    }

    /// The sequence number up to which every recorded event is in the store
    /// (a batch that failed to store holds it back); events recorded with
    /// [`Trail::record_durable`] are synced by then.
    pub fn stored(&self) -> u64 {
        self.shared.inbox.lock().stored
    }

    /// Waits until everything recorded so far is committed (at most 10 s).
    pub fn flush(&self) {
        let deadline = std::time::Instant::now() + StdDuration::from_secs(10);
        let mut inbox = self.shared.inbox.lock();
        let target = inbox.recorded;
        while inbox.committed < target && !inbox.closed {
            inbox.urgent = true;
            self.shared.wake.notify_one();
            if self
                .shared
                .done
                .wait_until(&mut inbox, deadline)
                .timed_out()
            {
                tracing::error!("trail: events not committed within 10 s");
                return;
            }
        }
    }

    /// Events matching `q`, newest first, including everything recorded before.
    pub fn lookup(&self, q: &Lookup) -> Result<Vec<TrailEvent>, CoreError> {
        self.flush();
        Ok(self.store.lookup(q)?)
    }

    /// At most `limit` stored events after sequence number `seq`, oldest
    /// first (what trails deliver; not waiting for pending events).
    pub fn events_after(
        &self,
        seq: u64,
        limit: usize,
    ) -> Result<Vec<(u64, TrailEvent)>, CoreError> {
        Ok(self.store.after(seq, limit)?)
    }

    /// Makes every committed event durable (see [`TrailStore::sync`]).
    pub fn sync(&self) -> Result<(), CoreError> {
        Ok(self.store.sync()?)
    }

    /// Whether `event` is stored already (see [`TrailStore::contains`]).
    pub fn contains(&self, event: &TrailEvent) -> Result<bool, CoreError> {
        Ok(self.store.contains(event)?)
    }

    /// The sequence number of the newest stored event.
    pub fn last_seq(&self) -> Result<u64, CoreError> {
        Ok(self.store.last_seq()?)
    }
}

impl Drop for Trail {
    /// Commits what is pending, then stops the writer.
    fn drop(&mut self) {
        self.flush();
        let wakers = {
            let mut inbox = self.shared.inbox.lock();
            inbox.closed = true;
            std::mem::take(&mut inbox.wakers)
        };
        for (_, w) in wakers {
            w.wake();
        }
        self.shared.wake.notify_one();
        self.shared.sync_wake.notify_one();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        if let Some(w) = self.syncer.take() {
            let _ = w.join();
        }
    }
}

/// How long the sync committer waits for the calls of a group to arrive.
const GROUP_WAIT: StdDuration = StdDuration::from_micros(200);

/// The sync committer: commits, with a sync, whenever events recorded with
/// [`Trail::record_deferred`] wait (and every event recorded before them
/// with them). Group commit: when the previous batch held several such calls
/// (concurrent callers), it first waits up to [`GROUP_WAIT`] for as many to
/// have recorded, so that one sync answers them all instead of the first few;
/// a lone caller is committed at once.
fn sync_loop(shared: &Shared, store: &dyn TrailStore) {
    let mut last_group = 0;
    loop {
        let batch = {
            let mut inbox = shared.inbox.lock();
            loop {
                if inbox.committing {
                    shared.done.wait(&mut inbox);
                    continue;
                }
                if inbox.sync_upto > inbox.committed {
                    if last_group > 1 && inbox.sync_calls < last_group && !inbox.closed {
                        inbox.sync_want = last_group;
                        shared.sync_wake.wait_for(&mut inbox, GROUP_WAIT);
                        inbox.sync_want = 0;
                        if inbox.committing || inbox.sync_upto <= inbox.committed {
                            continue;
                        }
                    }
                    last_group = inbox.sync_calls;
                    break inbox.take();
                }
                if inbox.closed {
                    return;
                }
                inbox.sync_idle = true;
                shared.sync_wake.wait(&mut inbox);
            }
        };
        commit(shared, store, batch);
    }
}

/// The writer thread: one transaction per batch. It runs at the priority of
/// the request workers. (At a nice value of 19 it fell behind under a
/// saturating read load until [`MAX_PENDING`] events waited, and then held
/// recording callers, async workers among them, until it caught up: a p99 of
/// 10 to 13 ms at 16 connections against 2.5 to 3 ms at normal priority, for
/// the same throughput within the noise; issue 15.)
fn write_loop(shared: &Shared, store: &dyn TrailStore, retention: time::Duration) {
    let mut last_purge: Option<std::time::Instant> = None;
    loop {
        let batch = {
            let mut inbox = shared.inbox.lock();
            loop {
                if inbox.committing {
                    // A caller commits; its batch may take ours with it.
                    shared.done.wait(&mut inbox);
                    continue;
                }
                if inbox.events.is_empty() {
                    if inbox.closed {
                        return;
                    }
                    inbox.idle = true;
                    shared.wake.wait(&mut inbox);
                    continue;
                }
                inbox.idle = false;
                if !inbox.urgent && !inbox.closed {
                    // Gather: a flush or the backpressure bound cuts this short.
                    shared.wake.wait_for(&mut inbox, GATHER);
                    if inbox.committing || inbox.events.is_empty() {
                        continue;
                    }
                }
                break inbox.take();
            }
        };
        commit(shared, store, batch);
        if last_purge.is_none_or(|t| t.elapsed() >= PURGE_EVERY) {
            last_purge = Some(std::time::Instant::now());
            if let Err(e) = store.purge(OffsetDateTime::now_utc() - retention) {
                tracing::error!(error = %e, "trail: expired events could not be purged");
            }
        }
    }
}

#[cfg(test)]
mod tests;
