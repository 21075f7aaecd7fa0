//! Loading the state from the store at start-up (and after a failed
//! commit): rows decoded and opened, older rows brought up to date.

use super::{KEY_CHECK, META, OUTBOX, to_writes};
use crate::error::CoreError;
use crate::keys::Keys;
use crate::model::{Change, Record, table};
use crate::sealing::{self, AtRest};
use crate::state::State;
use crate::store::{Store, Write};
use crate::trail::TrailEvent;

/// What loading the store found.
pub(super) struct Loaded {
    pub(super) state: State,
    /// Writes that bring older rows up to date (sealing, dropped sessions).
    pub(super) migrate: Vec<Write>,
    /// Whether clear secrets were found: their old bytes must be scrubbed.
    pub(super) scrub: bool,
    pub(super) outbox: Vec<TrailEvent>,
}

/// Decodes and opens stored records, in order, on as many threads as there
/// are cores (up to 4): start-up time is mostly this (issue 15).
fn open_rows(keys: &Keys, rows: &[crate::store::Row]) -> Vec<Result<(Record, AtRest), CoreError>> {
    let open = |row: &crate::store::Row| {
        let record: Record = serde_json::from_slice(&row.value).map_err(|e| {
            CoreError::Internal(format!("row {}/{} is unreadable: {e}", row.table, row.key))
        })?;
        sealing::open_record(keys, record)
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if threads < 2 || rows.len() < 1_000 {
        return rows.iter().map(open).collect();
    }
    let chunk = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = rows
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(open).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|p| {
                p.join().unwrap_or_else(|_| {
                    vec![Err(CoreError::Internal(
                        "a thread decoding stored rows failed".to_owned(),
                    ))]
                })
            })
            .collect()
    })
}

pub(super) fn load(store: &dyn Store, keys: &Keys) -> Result<Loaded, CoreError> {
    let rows = store.load()?;
    let mut records = Vec::with_capacity(rows.len());
    let mut migrate = Vec::new();
    let mut scrub = false;
    let mut outbox = Vec::new();
    let mut check = None;
    let mut record_rows = Vec::with_capacity(rows.len());
    for row in rows {
        match row.table.as_str() {
            META => {
                if row.key == KEY_CHECK {
                    check = Some(String::from_utf8_lossy(&row.value).into_owned());
                }
            }
            OUTBOX => match serde_json::from_slice::<TrailEvent>(&row.value) {
                Ok(e) => outbox.push(e),
                Err(e) => tracing::error!(id = %row.key, error = %e, "outbox event is unreadable"),
            },
            // Sessions of older versions: session tokens carry their session
            // now; the stored ones (with their secrets) are dropped.
            table::SESSIONS => {
                migrate.push(Write::Delete {
                    table: table::SESSIONS,
                    key: row.key,
                });
                scrub = true;
            }
            _ => record_rows.push(row),
        }
    }
    for opened in open_rows(keys, &record_rows) {
        let (record, at_rest) = opened?;
        if at_rest != AtRest::Sealed {
            scrub |= at_rest == AtRest::Clear;
            migrate.extend(to_writes(keys, &[Change::Put(record.clone())])?);
        }
        records.push(record);
    }
    match check.as_deref().map(|c| keys.accepts_key_check(c)) {
        Some(None) => {
            return Err(CoreError::Internal(
                "the master key does not match this data directory (its key check differs)"
                    .to_owned(),
            ));
        }
        Some(Some(crate::keys::Opened::Current)) => {}
        Some(Some(crate::keys::Opened::Previous)) | None => migrate.push(Write::Put {
            table: META,
            key: KEY_CHECK.to_owned(),
            value: keys.key_check().into_bytes(),
        }),
    }
    let state = State::load(records);
    Ok(Loaded {
        state,
        migrate,
        scrub,
        outbox,
    })
}
