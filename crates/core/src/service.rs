//! [`Service`]: the state, its store and its clock, with the one way to
//! change the state: [`Service::mutate`].

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::{Mutex, RwLock, RwLockReadGuard};
use time::OffsetDateTime;

use crate::clock::Clock;
use crate::error::CoreError;
use crate::iam::builtin;
use crate::model::{Change, Record};
use crate::state::State;
use crate::store::{Store, Write};

/// The domain service shared by every request.
pub struct Service {
    store: Box<dyn Store>,
    state: RwLock<State>,
    writer: Mutex<()>,
    clock: Arc<dyn Clock>,
    trail: std::sync::OnceLock<crate::trail::Trail>,
    s3_max_object_size: AtomicUsize,
}

fn to_writes(changes: &[Change]) -> Result<Vec<Write>, CoreError> {
    changes
        .iter()
        .map(|c| match c {
            Change::Put(r) => Ok(Write::Put {
                table: r.table(),
                key: r.key(),
                value: serde_json::to_vec(r).map_err(|e| CoreError::Internal(e.to_string()))?,
            }),
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

impl Service {
    /// Loads the state from the store.
    pub fn open(store: Box<dyn Store>, clock: Arc<dyn Clock>) -> Result<Service, CoreError> {
        let rows = store.load()?;
        let state = State::load(rows, builtin::aws_managed_policies())?;
        Ok(Service {
            store,
            state: RwLock::new(state),
            writer: Mutex::new(()),
            clock,
            trail: std::sync::OnceLock::new(),
            s3_max_object_size: AtomicUsize::new(crate::s3::DEFAULT_MAX_OBJECT_SIZE),
        })
    }

    /// Sets the CloudTrail event history (once).
    pub fn set_trail(&self, trail: crate::trail::Trail) {
        let _ = self.trail.set(trail);
    }

    /// The event history, when one is set.
    pub fn trail(&self) -> Option<&crate::trail::Trail> {
        self.trail.get()
    }

    /// Records a finished call in the event history (when there is one).
    pub fn record(&self, call: &crate::trail::event::Call<'_>) {
        if crate::trail::event::is_data_event(call.service, call.operation) {
            return;
        }
        if let Some(t) = self.trail.get() {
            let event = crate::trail::event::build(&self.read(), call, self.now());
            let write = !event.read_only;
            t.record(event);
            // A change is answered only once its trail event is durable too:
            // every privileged step stays traced even through `kill -9`.
            if write {
                t.flush();
            }
        }
    }

    /// Now, by the server clock.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// A consistent view of the state for reading.
    pub fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read()
    }

    /// Runs `f` on the current state to decide a change; commits the changes to
    /// the store, then applies them in memory, then returns `f`'s result. Writers
    /// are serialised, so decisions always see the latest committed state; a
    /// failed commit leaves memory untouched.
    pub fn mutate<R>(
        &self,
        f: impl FnOnce(&State) -> Result<(R, Vec<Change>), CoreError>,
    ) -> Result<R, CoreError> {
        let _w = self.writer.lock();
        let (result, changes) = {
            let state = self.state.read();
            f(&state)?
        };
        if changes.is_empty() {
            return Ok(result);
        }
        self.store.commit(&to_writes(&changes)?)?;
        let mut state = self.state.write();
        for c in changes {
            state.apply(c);
        }
        Ok(result)
    }

    /// Forgets temporary credentials that expired: they can never
    /// authenticate again. Returns how many were dropped.
    pub fn purge_expired_sessions(&self) -> Result<usize, CoreError> {
        let now = self.now();
        self.mutate(|state| {
            let expired: Vec<Change> = state
                .sessions
                .values()
                .filter(|s| s.expires <= now)
                .map(|s| Change::Delete(crate::model::table::SESSIONS, s.access_key_id.clone()))
                .collect();
            Ok((expired.len(), expired))
        })
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
