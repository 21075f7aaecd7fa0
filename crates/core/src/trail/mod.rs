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
use std::sync::mpsc;
use std::time::Duration as StdDuration;

use parking_lot::Mutex;
use time::OffsetDateTime;

use crate::error::CoreError;
use crate::store::StoreError;

/// One recorded event, with the fields `LookupEvents` filters on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailEvent {
    /// `eventID` (UUID).
    pub id: String,
    /// `recipientAccountId`.
    pub account: String,
    /// `awsRegion`.
    pub region: String,
    /// `eventTime`.
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
    /// Drops events older than `before`.
    fn purge(&self, before: OffsetDateTime) -> Result<(), StoreError>;
}

enum Msg {
    Event(Box<TrailEvent>),
    Flush(mpsc::Sender<()>),
}

/// The trail: a batching writer in front of a [`TrailStore`].
pub struct Trail {
    tx: Mutex<mpsc::Sender<Msg>>,
    store: Arc<dyn TrailStore>,
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
        let (tx, rx) = mpsc::channel::<Msg>();
        let mut out = match &file {
            Some(p) => Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|e| CoreError::Internal(format!("trail file {}: {e}", p.display())))?,
            ),
            None => None,
        };
        let writer = store.clone();
        std::thread::Builder::new()
            .name("trail-writer".into())
            .spawn(move || {
                let mut batches: u64 = 0;
                while let Ok(first) = rx.recv() {
                    let mut events = Vec::new();
                    let mut waiters = Vec::new();
                    let mut next = Some(first);
                    // Gather what arrives within a few milliseconds into one commit.
                    while let Some(m) = next.take() {
                        match m {
                            Msg::Event(e) => events.push(*e),
                            Msg::Flush(w) => waiters.push(w),
                        }
                        if events.len() < 1_000 {
                            next = rx.recv_timeout(StdDuration::from_millis(2)).ok();
                        }
                    }
                    if !events.is_empty() {
                        if let Err(e) = writer.append(&events) {
                            tracing::error!(error = %e, "trail: events could not be stored");
                        }
                        if let Some(f) = out.as_mut() {
                            for e in &events {
                                let _ = writeln!(f, "{}", e.json);
                            }
                            let _ = f.flush();
                        }
                    }
                    batches += 1;
                    if batches % 1_000 == 1 {
                        let _ = writer.purge(OffsetDateTime::now_utc() - retention);
                    }
                    for w in waiters {
                        let _ = w.send(());
                    }
                }
            })
            .map_err(|e| CoreError::Internal(format!("trail writer: {e}")))?;
        Ok(Trail {
            tx: Mutex::new(tx),
            store,
        })
    }

    /// Records an event (committed shortly after).
    pub fn record(&self, event: TrailEvent) {
        let _ = self.tx.lock().send(Msg::Event(Box::new(event)));
    }

    /// Waits until everything recorded so far is committed.
    pub fn flush(&self) {
        let (tx, rx) = mpsc::channel();
        if self.tx.lock().send(Msg::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(StdDuration::from_secs(10));
        }
    }

    /// Events matching `q`, newest first, including everything recorded before.
    pub fn lookup(&self, q: &Lookup) -> Result<Vec<TrailEvent>, CoreError> {
        self.flush();
        Ok(self.store.lookup(q)?)
    }
}
