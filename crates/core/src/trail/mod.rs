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

/// One `LookupEvents` query of one account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// At most one attribute: (key, value).
    pub attribute: Option<(String, String)>,
    /// Inclusive lower bound.
    pub start: Option<OffsetDateTime>,
    /// Inclusive upper bound.
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
    /// Appends events atomically and durably.
    fn append(&self, events: &[TrailEvent]) -> Result<(), StoreError>;
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
}

struct Shared {
    inbox: Mutex<Inbox>,
    /// Wakes the writer.
    wake: Condvar,
    /// A batch was committed, or taken (room for more).
    done: Condvar,
}

/// How long the writer gathers events into one commit when nobody waits.
/// Events of read-only calls reach the store at most this much later (plus
/// the commit); a call that changed something asks for its commit at once.
const GATHER: StdDuration = StdDuration::from_millis(2);

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
            wake: Condvar::new(),
            done: Condvar::new(),
        });
        let writer = {
            let shared = shared.clone();
            let store = store.clone();
            std::thread::Builder::new()
                .name("trail-writer".into())
                .spawn(move || write_loop(&shared, store.as_ref(), out, retention))
                .map_err(|e| CoreError::Internal(format!("trail writer: {e}")))?
        };
        Ok(Trail {
            shared,
            store,
            writer: Some(writer),
        })
    }

    /// Records an event (committed shortly after); returns its sequence
    /// number (see [`Trail::committed`]).
    pub fn record(&self, event: TrailEvent) -> u64 {
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
        // Woken once per batch, not once per event: while the writer gathers
        // or commits, it picks new events up without being signalled.
        if inbox.idle {
            inbox.idle = false;
            self.shared.wake.notify_one();
        }
        inbox.recorded
    }

    /// The sequence number up to which every recorded event is in the store
    /// (a batch that failed to store holds it back).
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

    /// The sequence number of the newest stored event.
    pub fn last_seq(&self) -> Result<u64, CoreError> {
        Ok(self.store.last_seq()?)
    }
}

impl Drop for Trail {
    /// Commits what is pending, then stops the writer.
    fn drop(&mut self) {
        self.flush();
        self.shared.inbox.lock().closed = true;
        self.shared.wake.notify_one();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

/// Makes the calling thread (the writer) the last to get a core when requests
/// want it: a nice value of 19. On Linux the nice value is per thread. Under a
/// steady load a commit of a few hundred events then waits for a free moment
/// instead of holding up the calls in flight for a millisecond or two (which
/// measured as the p99 of the whole endpoint); a call that changed something
/// still waits for its own event, and recording waits once [`MAX_PENDING`]
/// events are queued, so the writer cannot fall behind for long.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(None, 19) {
        tracing::debug!(error = %e, "trail: writer priority unchanged");
    }
}

/// The writer thread: one transaction per batch.
fn write_loop(
    shared: &Shared,
    store: &dyn TrailStore,
    mut out: Option<std::fs::File>,
    retention: time::Duration,
) {
    lower_priority();
    let mut last_purge: Option<std::time::Instant> = None;
    loop {
        let (events, upto) = {
            let mut inbox = shared.inbox.lock();
            while inbox.events.is_empty() {
                if inbox.closed {
                    return;
                }
                inbox.idle = true;
                shared.wake.wait(&mut inbox);
            }
            inbox.idle = false;
            if !inbox.urgent && !inbox.closed {
                // Gather: a flush or the backpressure bound cuts this short.
                shared.wake.wait_for(&mut inbox, GATHER);
            }
            inbox.urgent = false;
            (std::mem::take(&mut inbox.events), inbox.recorded)
        };
        let ok = match store.append(&events) {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = %e, "trail: events could not be stored");
                false
            }
        };
        if let Some(f) = out.as_mut() {
            for e in &events {
                let _ = writeln!(f, "{}", e.json);
            }
            let _ = f.flush();
        }
        if last_purge.is_none_or(|t| t.elapsed() >= PURGE_EVERY) {
            last_purge = Some(std::time::Instant::now());
            if let Err(e) = store.purge(OffsetDateTime::now_utc() - retention) {
                tracing::error!(error = %e, "trail: expired events could not be purged");
            }
        }
        {
            let mut inbox = shared.inbox.lock();
            inbox.committed = upto;
            inbox.broken |= !ok;
            if !inbox.broken {
                inbox.stored = upto;
            }
        }
        shared.done.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history in memory that can be made slow.
    #[derive(Default)]
    struct Memory {
        events: Mutex<Vec<TrailEvent>>,
        batches: Mutex<usize>,
        delay: StdDuration,
    }

    impl TrailStore for Memory {
        fn append(&self, events: &[TrailEvent]) -> Result<(), StoreError> {
            std::thread::sleep(self.delay);
            self.events.lock().extend_from_slice(events);
            *self.batches.lock() += 1;
            Ok(())
        }
        fn lookup(&self, _: &Lookup) -> Result<Vec<TrailEvent>, StoreError> {
            Ok(self.events.lock().clone())
        }
        fn purge(&self, _: OffsetDateTime) -> Result<(), StoreError> {
            Ok(())
        }
        fn after(&self, seq: u64, limit: usize) -> Result<Vec<(u64, TrailEvent)>, StoreError> {
            Ok(self
                .events
                .lock()
                .iter()
                .enumerate()
                .map(|(i, e)| (i as u64 + 1, e.clone()))
                .filter(|(s, _)| *s > seq)
                .take(limit)
                .collect())
        }
        fn last_seq(&self) -> Result<u64, StoreError> {
            Ok(self.events.lock().len() as u64)
        }
    }

    fn event(n: usize) -> TrailEvent {
        TrailEvent {
            id: n.to_string(),
            account: "111111111111".into(),
            region: "us-east-1".into(),
            time: OffsetDateTime::UNIX_EPOCH,
            name: "GetCallerIdentity".into(),
            source: "sts.amazonaws.com".into(),
            read_only: true,
            access_key: None,
            username: None,
            resources: Vec::new(),
            json: "{}".into(),
        }
    }

    fn start(store: &Arc<Memory>) -> Trail {
        Trail::start(store.clone(), None, DEFAULT_RETENTION).unwrap()
    }

    #[test]
    fn flush_returns_once_everything_recorded_before_is_stored() {
        let store = Arc::new(Memory {
            delay: StdDuration::from_millis(20),
            ..Memory::default()
        });
        let trail = start(&store);
        for n in 0..10 {
            trail.record(event(n));
        }
        trail.flush();
        assert_eq!(store.events.lock().len(), 10);
        // Nothing pending: returns at once.
        trail.flush();
        assert_eq!(store.events.lock().len(), 10);
    }

    #[test]
    fn events_are_gathered_into_batches_in_order() {
        let store = Arc::new(Memory::default());
        let trail = start(&store);
        for n in 0..1_000 {
            trail.record(event(n));
        }
        trail.flush();
        let ids: Vec<String> = store.events.lock().iter().map(|e| e.id.clone()).collect();
        assert_eq!(ids, (0..1_000).map(|n| n.to_string()).collect::<Vec<_>>());
        assert!(*store.batches.lock() < 1_000, "one commit per event");
    }

    #[test]
    fn a_slow_store_holds_recording_back_and_loses_nothing() {
        let store = Arc::new(Memory {
            delay: StdDuration::from_millis(5),
            ..Memory::default()
        });
        let trail = Arc::new(start(&store));
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let trail = trail.clone();
                std::thread::spawn(move || {
                    for n in 0..(MAX_PENDING / 2 + 100) {
                        trail.record(event(w * 1_000_000 + n));
                        // Never more queued than the bound.
                        assert!(trail.shared.inbox.lock().events.len() <= MAX_PENDING);
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        trail.flush();
        assert_eq!(store.events.lock().len(), 4 * (MAX_PENDING / 2 + 100));
    }

    #[test]
    fn dropping_the_trail_commits_what_is_pending() {
        let store = Arc::new(Memory::default());
        let trail = start(&store);
        for n in 0..50 {
            trail.record(event(n));
        }
        drop(trail);
        assert_eq!(store.events.lock().len(), 50);
    }
}
