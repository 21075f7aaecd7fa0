//! The event history in its own SQLite file: blocks of events (one per
//! account and region of each batch, see [`encode_block`]) with an index
//! per account, region and time. WAL with `synchronous=NORMAL`: a committed batch survives
//! `kill -9` of the server (the WAL is written before the commit returns);
//! only an operating-system crash or power loss can drop the last batches of
//! read-only calls, which keeps the per-request cost of auditing every call
//! low. Batches holding the event of a call answered only once its event is
//! stored (one that issued credentials) are committed with
//! `synchronous=FULL`, like the state store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use rusqlite::{Connection, params};
use time::OffsetDateTime;

use super::{Lookup, TrailEvent, TrailStore};
use crate::store::StoreError;

/// A SQLite event history.
///
/// The event id has no index: the one place a repeat can come from, an
/// outbox replayed after a crash, asks [`TrailStore::contains`] first,
/// which finds an event by its account, region and time.
///
/// Histories written before blocks hold their events one per row in the
/// `events` table (some with a unique index on the event id). Those rows
/// are read as they are, beside the blocks, until the retention purges
/// them; nothing is written there any more. Moving them into blocks would
/// hold the start-up for as long as copying 90 days of events takes.
pub struct SqliteTrail {
    conn: Mutex<Connection>,
    /// A second connection to the same file with `synchronous=FULL`, for
    /// the batches that must be synced (instead of switching the pragma
    /// back and forth around each one).
    synced: Mutex<Connection>,
    /// The database file; its log is beside it with `-wal` appended.
    path: PathBuf,
    /// The directory's entry for the log has been synced.
    dir_synced: AtomicBool,
}

/// The dictionary the records are compressed with (format 1). Never edit
/// it: the records stored with it are read with it (a test pins its digest);
/// a better one is a new format number.
const RECORD_DICT_V1: &[u8] = include_bytes!("record_dict_v1.json");

/// The first byte of a compressed record: its format.
const RECORD_V1: u8 = 1;

/// A record larger than this is refused when read (a damaged length).
const RECORD_MAX: usize = 16 << 20;

/// A record as stored, one per row, before blocks: format 1, an LZ4 block (its length prepended) over
/// [`RECORD_DICT_V1`], a skeleton of CloudTrail records whose keys and
/// common values the block refers back to. A record of ~1 KiB takes ~300
/// bytes, a row ~500 instead of ~1.2 KiB: the history's commits write
/// fewer pages, the synced ones that AssumeRole waits for among them
/// (issue 15, alternating 5 s runs at 16 connections: `pwrite`s per
/// AssumeRole 2.32 → 1.70, its p99 4.2-5.0 → 2.9-3.6 ms for the same
/// req/s, and 0.74-0.96 against 1.28-1.45 ms at one connection; a
/// member-role ListUsers answered a median of 7% more calls, 0.95-1.15 in
/// five rounds). Stored as a BLOB; rows written before as TEXT are read as
/// they are.
#[cfg(test)]
fn pack(json: &str) -> Vec<u8> {
    pack_bytes(RECORD_V1, json.as_bytes())
}

/// `format`, then `input` compressed as [`pack`] does (records and blocks
/// alike). The format byte, the length (as
/// `compress_prepend_size_with_dict` writes it) and the block, in one buffer
/// (not compressed into one and copied into another).
fn pack_bytes(format: u8, input: &[u8]) -> Vec<u8> {
    let len = u32::try_from(input.len()).unwrap_or(u32::MAX);
    let size = 5 + lz4_flex::block::get_maximum_output_size(input.len());
    let mut out = Vec::with_capacity(size);
    out.push(format);
    out.extend_from_slice(&len.to_le_bytes());
    out.resize(size, 0);
    let written = out
        .get_mut(5..)
        .map(|block| lz4_flex::block::compress_into_with_dict(input, block, RECORD_DICT_V1));
    match written {
        Some(Ok(n)) => out.truncate(5 + n),
        // Cannot happen (the buffer has the worst case's room); the bytes
        // then go the longer way.
        _ => {
            let block = lz4_flex::block::compress_prepend_size_with_dict(input, RECORD_DICT_V1);
            out.truncate(1);
            out.extend_from_slice(&block);
        }
    }
    out
}

/// The bytes back from what [`pack_bytes`] stored with `format`; an error
/// (never a panic) for another format, damaged bytes, or more than `max`.
fn unpack_bytes(format: u8, stored: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let Some((&found, block)) = stored.split_first() else {
        return Err("a stored event record is empty".to_owned());
    };
    if found != format {
        return Err("a stored event record has an unknown format".to_owned());
    }
    let (size, _) = lz4_flex::block::uncompressed_size(block)
        .map_err(|e| format!("a stored event record is damaged: {e}"))?;
    if size > max {
        return Err(format!("a stored event record claims {size} bytes"));
    }
    lz4_flex::block::decompress_size_prepended_with_dict(block, RECORD_DICT_V1)
        .map_err(|e| format!("a stored event record is damaged: {e}"))
}

/// The record back from what [`pack`] stored; an error (never a panic) for
/// an unknown format or damaged bytes.
fn unpack(stored: &[u8]) -> Result<String, String> {
    let bytes = unpack_bytes(RECORD_V1, stored, RECORD_MAX)?;
    String::from_utf8(bytes).map_err(|_| "a stored event record is not UTF-8".to_owned())
}

/// The `json` column: a packed record (BLOB) or, in rows stored before
/// records were compressed, the text itself.
fn record_column(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    use rusqlite::types::{FromSqlError, Type, ValueRef};
    match r.get_ref(i)? {
        ValueRef::Blob(b) => unpack(b).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, Type::Blob, Box::new(StoreError(e)))
        }),
        ValueRef::Text(t) => String::from_utf8(t.to_vec())
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            i,
            other.data_type(),
            Box::new(FromSqlError::InvalidType),
        )),
    }
}

fn err(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

fn nanos(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

/// The first and last stored instant (nanoseconds) of a lookup's range.
/// Events are stored to the nanosecond but records show `eventTime` in whole
/// seconds, so the range is taken at that precision: an event shown at
/// second `S` is in it when `start`'s second ≤ `S` ≤ `end`'s second (a
/// lookup from `T` to `T` finds the events shown at `T`).
fn second_range(q: &Lookup) -> (i64, i64) {
    const SECOND: i128 = 1_000_000_000;
    let second = |t: OffsetDateTime| i128::from(t.unix_timestamp()) * SECOND;
    let clamp = |n: i128| i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX });
    (
        q.start.map_or(i64::MIN, |t| clamp(second(t))),
        q.end.map_or(i64::MAX, |t| clamp(second(t) + SECOND - 1)),
    )
}

impl SqliteTrail {
    /// Opens (or creates) the history at `path`.
    pub fn open(path: &Path) -> Result<SqliteTrail, StoreError> {
        // 4 MiB of page cache per connection: appends touch the last pages
        // of the table and its index, and lookups read recent events (the
        // operating system caches the file besides). At 16 MiB the cache
        // filled with pages written once and never read again, and held the
        // server's resident size above 60 MiB after a long run (issue 15);
        // at 4 MiB it stays under 50 MiB, for the same CPU per call.
        let conn = Connection::open(path).map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=NORMAL;
             PRAGMA cache_size=-4096;
             CREATE TABLE IF NOT EXISTS events (
                 seq        INTEGER PRIMARY KEY,
                 id         TEXT NOT NULL,
                 account    TEXT NOT NULL,
                 region     TEXT NOT NULL,
                 time       INTEGER NOT NULL,
                 name       TEXT NOT NULL,
                 source     TEXT NOT NULL,
                 read_only  INTEGER NOT NULL,
                 access_key TEXT,
                 username   TEXT,
                 resources  TEXT NOT NULL,
                 json       TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS events_by_time ON events (account, region, time);
             CREATE TABLE IF NOT EXISTS blocks (
                 first   INTEGER PRIMARY KEY,
                 last    INTEGER NOT NULL,
                 account TEXT NOT NULL,
                 region  TEXT NOT NULL,
                 tmin    INTEGER NOT NULL,
                 tmax    INTEGER NOT NULL,
                 events  BLOB NOT NULL,
                 records BLOB NOT NULL
             );
             CREATE INDEX IF NOT EXISTS blocks_by_time ON blocks (account, region, tmax);",
        )
        .map_err(err)?;
        let synced = Connection::open(path).map_err(err)?;
        synced
            .execute_batch(
                "PRAGMA synchronous=FULL;
                 PRAGMA cache_size=-4096;",
            )
            .map_err(err)?;
        Ok(SqliteTrail {
            conn: Mutex::new(conn),
            synced: Mutex::new(synced),
            path: path.to_owned(),
            dir_synced: AtomicBool::new(false),
        })
    }

    /// `fdatasync` of the log (of the database file when there is no log).
    ///
    /// Why this makes every batch committed before it durable, as
    /// `synchronous=FULL` does at a commit: in WAL mode a commit appends
    /// frames to the log, checksummed in a chain from the log's header, and
    /// recovery replays the frames up to the last valid commit frame; once
    /// the log is synced, every commit written before is on disk. The log is
    /// only written again from its start after a checkpoint has copied every
    /// frame into the database file, and with `synchronous=NORMAL` a
    /// checkpoint syncs the log before it starts and the database file when
    /// it is done. The log is deleted only when the last connection to it
    /// closes, which the history's own connections prevent; it is opened by
    /// name at each sync all the same, so that a sync never goes to a file
    /// the log no longer is. The first sync also syncs the directory (the
    /// log's entry in it), as SQLite does for the files it syncs itself.
    fn sync_files(&self) -> std::io::Result<()> {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        match std::fs::File::open(&wal) {
            Ok(f) => f.sync_data()?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::File::open(&self.path)?.sync_data()?;
            }
            Err(e) => return Err(e),
        }
        if !self.dir_synced.load(Ordering::Acquire) {
            let dir = match self.path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            std::fs::File::open(dir)?.sync_all()?;
            self.dir_synced.store(true, Ordering::Release);
        }
        Ok(())
    }
}

/// One `events` row (columns in the order of the `SELECT`s here).
fn row_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<TrailEvent> {
    let t: i64 = r.get(3)?;
    let resources: String = r.get(9)?;
    Ok(TrailEvent {
        id: r.get(0)?,
        account: r.get(1)?,
        region: r.get(2)?,
        time: OffsetDateTime::from_unix_timestamp_nanos(i128::from(t))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        name: r.get(4)?,
        source: r.get(5)?,
        read_only: r.get(6)?,
        access_key: r.get(7)?,
        username: r.get(8)?,
        resources: serde_json::from_str(&resources).unwrap_or_default(),
        json: record_column(r, 10)?,
    })
}

/// The first byte of a stored block of events: its format.
const BLOCK_V1: u8 = 2;

/// A block holds at most this many events: a lookup decompresses whole
/// blocks, and this bounds what one costs (~0.5 MiB of records).
const BLOCK_EVENTS: usize = 512;

/// A block spans at most this much time (nanoseconds) from its oldest to its
/// newest event, so that a lookup of a time range finds every block that
/// can hold an event of it through the index on each block's newest time
/// (`tmax` between the range's start and its end plus this span).
const BLOCK_SPAN: i64 = 60_000_000_000;

/// An event id made by the server is a version 7 UUID, whose first 48 bits
/// are the milliseconds of the call: a lookup by `EventId` reads only the
/// blocks of this much time (nanoseconds) around them.
const ID_SLACK: i64 = 300_000_000_000;

/// The events of one account and region in one batch, as one row: the
/// history stores events in blocks (issue 15). Each event used to be a row
/// of its own, with a second B-tree entry in the time index and a record
/// compressed alone; the writer's inserts were ~14% of the server's CPU for
/// a read-only call (GetCallerIdentity at 16 connections). A block is one
/// insert, one index entry and one compression per batch, and its records,
/// all alike, compress to a fraction of what each does alone. Lookups read
/// the blocks that can hold a match (by account, region and time, through
/// the index) and filter their events in memory.
///
/// The row: `first`..=`last` are the sequence numbers of its events, which
/// are consecutive (the store numbers the events of a batch group by group);
/// `tmin`/`tmax` the oldest and newest event time. Two blobs, each a format
/// byte then an LZ4 block (its length prepended, over [`RECORD_DICT_V1`]):
/// `events` ([`BLOCK_V1`]) holds what lookups filter on, the events one
/// after another, each as `id`, `time` (i64 LE nanoseconds), `name`,
/// `source`, flags (1 read-only, 2 an access key follows, 4 a user name
/// follows), the access key, the user name, the resource count (u32 LE) and
/// each resource's type and name; `records` ([`RECORDS_V1`]) the records,
/// in the same order. Every string is its length (u32 LE) and UTF-8 bytes.
/// A lookup by an attribute decompresses the small part of every block it
/// reads and the records only of blocks with a match.
fn encode_block(events: &[&TrailEvent]) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
    fn put(out: &mut Vec<u8>, s: &str) -> Result<(), StoreError> {
        let len = u32::try_from(s.len())
            .map_err(|_| StoreError("an event field is too long to store".to_owned()))?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        Ok(())
    }
    let size: usize = events.iter().map(|e| e.json.len() + 4).sum();
    let mut records = Vec::with_capacity(size);
    let mut raw = Vec::with_capacity(events.len() * 160);
    for e in events {
        put(&mut raw, &e.id)?;
        raw.extend_from_slice(&nanos(e.time).to_le_bytes());
        put(&mut raw, &e.name)?;
        put(&mut raw, &e.source)?;
        let flags = u8::from(e.read_only)
            | if e.access_key.is_some() { 2 } else { 0 }
            | if e.username.is_some() { 4 } else { 0 };
        raw.push(flags);
        if let Some(k) = &e.access_key {
            put(&mut raw, k)?;
        }
        if let Some(u) = &e.username {
            put(&mut raw, u)?;
        }
        let count = u32::try_from(e.resources.len())
            .map_err(|_| StoreError("an event has too many resources to store".to_owned()))?;
        raw.extend_from_slice(&count.to_le_bytes());
        for (kind, name) in &e.resources {
            put(&mut raw, kind)?;
            put(&mut raw, name)?;
        }
        put(&mut records, &e.json)?;
    }
    if raw.len().max(records.len()) > BLOCK_MAX {
        return Err(StoreError(format!(
            "a block of {} events takes {} bytes",
            events.len(),
            raw.len() + records.len()
        )));
    }
    Ok((pack_bytes(BLOCK_V1, &raw), pack_bytes(RECORDS_V1, &records)))
}

/// The first byte of a stored block's records: their format.
const RECORDS_V1: u8 = 3;

/// A decompressed block larger than this is refused (a damaged length).
const BLOCK_MAX: usize = 256 << 20;

/// Reads what [`encode_block`] wrote, every length checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.0.len() {
            return Err("a stored block of events is cut short".to_owned());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u32(&mut self) -> Result<usize, String> {
        usize::try_from(u32::from_le_bytes(self.array()?))
            .map_err(|_| "a stored block of events is damaged".to_owned())
    }
    fn string(&mut self) -> Result<String, String> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| "a stored block of events is not UTF-8".to_owned())
    }
}

/// The events of a stored block without their records (`json` empty), with
/// their sequence numbers (`first` on); an error (never a panic) for an
/// unknown format or damaged bytes.
fn decode_events(
    stored: &[u8],
    first: u64,
    account: &str,
    region: &str,
) -> Result<Vec<(u64, TrailEvent)>, String> {
    let raw = unpack_bytes(BLOCK_V1, stored, BLOCK_MAX)?;
    let mut r = Reader(&raw);
    let mut out = Vec::new();
    let mut seq = first;
    while !r.0.is_empty() {
        let id = r.string()?;
        let time = i64::from_le_bytes(r.array()?);
        let name = r.string()?;
        let source = r.string()?;
        let [flags] = r.array()?;
        let access_key = if flags & 2 != 0 {
            Some(r.string()?)
        } else {
            None
        };
        let username = if flags & 4 != 0 {
            Some(r.string()?)
        } else {
            None
        };
        let count = r.u32()?;
        // Each resource takes at least 8 bytes: a damaged count fails here,
        // not in an allocation.
        if count > r.0.len() / 8 {
            return Err("a stored block of events is damaged".to_owned());
        }
        let mut resources = Vec::with_capacity(count);
        for _ in 0..count {
            resources.push((r.string()?, r.string()?));
        }
        out.push((
            seq,
            TrailEvent {
                id,
                account: account.to_owned(),
                region: region.to_owned(),
                time: OffsetDateTime::from_unix_timestamp_nanos(i128::from(time))
                    .map_err(|_| "a stored event has an impossible time".to_owned())?,
                name,
                source,
                read_only: flags & 1 != 0,
                access_key,
                username,
                resources,
                json: String::new(),
            },
        ));
        seq += 1;
    }
    Ok(out)
}

/// Gives the events of a block (from [`decode_events`]) whose index `keep`
/// takes their records (one per event, in order, or an error).
fn attach_records(
    events: &mut [(u64, TrailEvent)],
    stored: &[u8],
    keep: impl Fn(usize) -> bool,
) -> Result<(), String> {
    let raw = unpack_bytes(RECORDS_V1, stored, BLOCK_MAX)?;
    let mut r = Reader(&raw);
    for (i, (_, e)) in events.iter_mut().enumerate() {
        if keep(i) {
            e.json = r.string()?;
        } else {
            let n = r.u32()?;
            r.take(n)?;
        }
    }
    if r.0.is_empty() {
        Ok(())
    } else {
        Err("a stored block's records do not match its events".to_owned())
    }
}

/// The whole events of a stored block, records included.
fn decode_block(
    events: &[u8],
    records: &[u8],
    first: u64,
    account: &str,
    region: &str,
) -> Result<Vec<(u64, TrailEvent)>, String> {
    let mut out = decode_events(events, first, account, region)?;
    attach_records(&mut out, records, |_| true)?;
    Ok(out)
}

/// Whether `e` matches a lookup's attribute, as `LookupEvents` compares
/// them (an unknown key matches nothing).
fn matches(e: &TrailEvent, attribute: Option<&(String, String)>) -> bool {
    let Some((key, v)) = attribute else {
        return true;
    };
    match key.as_str() {
        "EventId" => e.id == *v,
        "EventName" => e.name == *v,
        "ReadOnly" => e.read_only == (v == "true"),
        "Username" => e.username.as_deref() == Some(v.as_str()),
        "EventSource" => e.source == *v,
        "AccessKeyId" => e.access_key.as_deref() == Some(v.as_str()),
        "ResourceType" => e.resources.iter().any(|(t, _)| t == v),
        "ResourceName" => e
            .resources
            .iter()
            .any(|(t, n)| n == v || super::resource_name(t, n) == v),
        _ => false,
    }
}

/// The milliseconds in a version 7 UUID (`None` for any other id).
fn id_millis(id: &str) -> Option<i64> {
    let b = id.as_bytes();
    if b.len() != 36 || b.get(14) != Some(&b'7') {
        return None;
    }
    let hex = format!("{}{}", id.get(0..8)?, id.get(9..13)?);
    i64::from_str_radix(&hex, 16).ok()
}

/// Newest first, as lookups answer: by time, then by sequence number.
fn newest_first(a: &(u64, TrailEvent), b: &(u64, TrailEvent)) -> std::cmp::Ordering {
    b.1.time.cmp(&a.1.time).then(b.0.cmp(&a.0))
}

/// The next sequence number: one past the newest event, in blocks or in
/// rows stored before blocks (the newest is never purged).
fn next_seq(conn: &Connection) -> Result<u64, StoreError> {
    let newest: i64 = conn
        .query_row(
            "SELECT MAX(COALESCE((SELECT last FROM blocks ORDER BY first DESC LIMIT 1), 0),
                        COALESCE((SELECT MAX(seq) FROM events), 0))",
            [],
            |r| r.get(0),
        )
        .map_err(err)?;
    Ok(u64::try_from(newest).unwrap_or(0) + 1)
}

fn seq_param(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Stores a batch in one transaction: its events grouped by account and
/// region (in the order each group first appears, each group's events in
/// their order), cut into blocks of at most [`BLOCK_EVENTS`] events and
/// [`BLOCK_SPAN`] of time, numbered on from the newest stored event.
fn insert(conn: &mut Connection, events: &[TrailEvent]) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    // Immediate: the write lock is taken (or waited for, rusqlite's busy
    // timeout) before anything is read, so a purge on the other connection
    // can only delay the batch, never fail it.
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    let mut next = next_seq(&tx)?;
    let mut groups: Vec<Vec<&TrailEvent>> = Vec::new();
    let mut index: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    for e in events {
        let i = *index
            .entry((e.account.as_str(), e.region.as_str()))
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        if let Some(g) = groups.get_mut(i) {
            g.push(e);
        }
    }
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO blocks (first, last, account, region, tmin, tmax, events, records)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(err)?;
        for group in &groups {
            let mut start = 0;
            while start < group.len() {
                // The block: as many events from `start` as fit.
                let (mut tmin, mut tmax) = (i64::MAX, i64::MIN);
                let mut end = start;
                while let Some(e) = group.get(end) {
                    let t = nanos(e.time);
                    let (lo, hi) = (tmin.min(t), tmax.max(t));
                    if end > start
                        && (end - start >= BLOCK_EVENTS || hi.saturating_sub(lo) > BLOCK_SPAN)
                    {
                        break;
                    }
                    (tmin, tmax) = (lo, hi);
                    end += 1;
                }
                let block = group.get(start..end).unwrap_or_default();
                let Some(e) = block.first() else { break };
                let count = u64::try_from(block.len()).unwrap_or(u64::MAX);
                let (meta, records) = encode_block(block)?;
                stmt.execute(params![
                    seq_param(next),
                    seq_param(next + count - 1),
                    e.account,
                    e.region,
                    tmin,
                    tmax,
                    meta,
                    records,
                ])
                .map_err(err)?;
                next += count;
                start = end;
            }
        }
    }
    tx.commit().map_err(err)
}

/// Column `i` of a row of `blocks`, a blob.
fn blob<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r [u8], StoreError> {
    row.get_ref(i)
        .map_err(err)?
        .as_blob()
        .map_err(|e| StoreError(e.to_string()))
}

/// The rows stored one event per row before blocks, matching `q` (newest
/// first, at most `want`, with their sequence numbers).
fn legacy_lookup(
    conn: &Connection,
    q: &Lookup,
    want: usize,
) -> Result<Vec<(u64, TrailEvent)>, StoreError> {
    let mut sql = String::from(
        "SELECT id, account, region, time, name, source, read_only, access_key, username, resources, json, seq
         FROM events WHERE account = ?1 AND region = ?2 AND time >= ?3 AND time <= ?4",
    );
    let mut value = String::new();
    if let Some((key, v)) = &q.attribute {
        value.clone_from(v);
        sql.push_str(match key.as_str() {
            "EventId" => " AND id = ?5",
            "EventName" => " AND name = ?5",
            "ReadOnly" => " AND read_only = (?5 = 'true')",
            "Username" => " AND username = ?5",
            "EventSource" => " AND source = ?5",
            "AccessKeyId" => " AND access_key = ?5",
            "ResourceType" => " AND EXISTS (SELECT 1 FROM json_each(resources) r WHERE json_extract(r.value, '$[0]') = ?5)",
            "ResourceName" => " AND EXISTS (SELECT 1 FROM json_each(resources) r WHERE json_extract(r.value, '$[1]') = ?5)",
            _ => " AND ?5 IS NULL",
        });
    } else {
        sql.push_str(" AND ?5 = ''");
    }
    sql.push_str(" AND seq <= ?7 ORDER BY time DESC, seq DESC LIMIT ?6");
    let mut stmt = conn.prepare_cached(&sql).map_err(err)?;
    let (first, last) = second_range(q);
    let rows = stmt
        .query_map(
            params![
                q.account,
                q.region,
                first,
                last,
                value,
                i64::try_from(want).unwrap_or(i64::MAX),
                q.until_seq.map_or(i64::MAX, seq_param),
            ],
            seq_event,
        )
        .map_err(err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(err)
}

/// A row of the rows stored before blocks, with its sequence number.
fn seq_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(u64, TrailEvent)> {
    let seq: i64 = r.get(11)?;
    Ok((u64::try_from(seq).unwrap_or(0), row_event(r)?))
}

impl TrailStore for SqliteTrail {
    fn append(&self, events: &[TrailEvent]) -> Result<(), StoreError> {
        insert(&mut self.conn.lock(), events)
    }

    fn append_synced(&self, events: &[TrailEvent]) -> Result<(), StoreError> {
        // With `synchronous=FULL`, a commit in WAL mode syncs the log (and
        // with it every earlier batch, whichever connection wrote it) before
        // it returns. Batches are committed one at a time (the trail's
        // writer and sync committer take turns); only a purge on the other
        // connection can hold the write lock meanwhile, and `insert` waits
        // for it.
        insert(&mut self.synced.lock(), events)
    }

    fn lookup(&self, q: &Lookup) -> Result<Vec<TrailEvent>, StoreError> {
        let want = q.offset.saturating_add(q.limit);
        if want == 0 {
            return Ok(Vec::new());
        }
        let conn = self.conn.lock();
        let mut found = legacy_lookup(&conn, q, want)?;
        let until = q.until_seq.unwrap_or(u64::MAX);
        let (mut first, mut last) = second_range(q);
        if let Some(("EventId", id)) = q.attribute.as_ref().map(|(k, v)| (k.as_str(), v))
            && let Some(ms) = id_millis(id)
        {
            let at = ms.saturating_mul(1_000_000);
            first = first.max(at.saturating_sub(ID_SLACK));
            last = last.min(at.saturating_add(ID_SLACK));
        }
        if first <= last {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT first, tmax, events, records FROM blocks
                     WHERE account = ?1 AND region = ?2 AND tmax >= ?3 AND tmax <= ?4
                       AND tmin <= ?5 AND first <= ?6
                     ORDER BY tmax DESC",
                )
                .map_err(err)?;
            let mut rows = stmt
                .query(params![
                    q.account,
                    q.region,
                    first,
                    last.saturating_add(BLOCK_SPAN),
                    last,
                    seq_param(until),
                ])
                .map_err(err)?;
            found.sort_by(newest_first);
            found.truncate(want);
            while let Some(row) = rows.next().map_err(err)? {
                let tmax: i64 = row.get(1).map_err(err)?;
                // Every block from here on holds only events older than
                // this one: once `want` events newer than it are found,
                // none can be among the answer.
                if found.len() >= want && found.last().is_some_and(|(_, e)| nanos(e.time) > tmax) {
                    break;
                }
                let start: i64 = row.get(0).map_err(err)?;
                let mut events = decode_events(
                    blob(row, 2)?,
                    u64::try_from(start).unwrap_or(0),
                    &q.account,
                    &q.region,
                )
                .map_err(StoreError)?;
                let wanted = |seq: u64, e: &TrailEvent| {
                    let t = nanos(e.time);
                    seq <= until && first <= t && t <= last && matches(e, q.attribute.as_ref())
                };
                let keep: Vec<bool> = events.iter().map(|(seq, e)| wanted(*seq, e)).collect();
                if !keep.contains(&true) {
                    continue;
                }
                attach_records(&mut events, blob(row, 3)?, |i| {
                    keep.get(i).copied().unwrap_or(false)
                })
                .map_err(StoreError)?;
                found.extend(
                    events
                        .into_iter()
                        .zip(keep)
                        .filter_map(|(e, k)| k.then_some(e)),
                );
                found.sort_by(newest_first);
                found.truncate(want);
            }
        }
        Ok(found
            .into_iter()
            .skip(q.offset)
            .take(q.limit)
            .map(|(_, e)| e)
            .collect())
    }

    fn after(&self, seq: u64, limit: usize) -> Result<Vec<(u64, TrailEvent)>, StoreError> {
        let conn = self.conn.lock();
        let mut out = {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT id, account, region, time, name, source, read_only, access_key, username, resources, json, seq
                     FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                )
                .map_err(err)?;
            let rows = stmt
                .query_map(
                    params![seq_param(seq), i64::try_from(limit).unwrap_or(i64::MAX)],
                    seq_event,
                )
                .map_err(err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(err)?
        };
        if out.len() >= limit {
            return Ok(out);
        }
        // Blocks hold consecutive sequence numbers in order: start at the
        // one holding the next event after `seq`.
        let mut stmt = conn
            .prepare_cached(
                "SELECT first, account, region, events, records FROM blocks
                 WHERE first >= COALESCE((SELECT MAX(first) FROM blocks WHERE first <= ?1 + 1), 0)
                 ORDER BY first",
            )
            .map_err(err)?;
        let mut rows = stmt.query(params![seq_param(seq)]).map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            let start: i64 = row.get(0).map_err(err)?;
            let account: String = row.get(1).map_err(err)?;
            let region: String = row.get(2).map_err(err)?;
            let events = decode_block(
                blob(row, 3)?,
                blob(row, 4)?,
                u64::try_from(start).unwrap_or(0),
                &account,
                &region,
            )
            .map_err(StoreError)?;
            out.extend(events.into_iter().filter(|(s, _)| *s > seq));
            if out.len() >= limit {
                out.truncate(limit);
                break;
            }
        }
        Ok(out)
    }

    fn sync(&self) -> Result<(), StoreError> {
        self.sync_files()
            .map_err(|e| StoreError(format!("the event history could not be synced: {e}")))
    }

    fn contains(&self, e: &TrailEvent) -> Result<bool, StoreError> {
        let conn = self.conn.lock();
        let t = nanos(e.time);
        let legacy = conn
            .prepare_cached(
                "SELECT 1 FROM events WHERE account = ?1 AND region = ?2 AND time = ?3 AND id = ?4 LIMIT 1",
            )
            .map_err(err)?
            .exists(params![e.account, e.region, t, e.id])
            .map_err(err)?;
        if legacy {
            return Ok(true);
        }
        let mut stmt = conn
            .prepare_cached(
                "SELECT first, events FROM blocks
                 WHERE account = ?1 AND region = ?2 AND tmax >= ?3 AND tmax <= ?4 AND tmin <= ?3",
            )
            .map_err(err)?;
        let mut rows = stmt
            .query(params![
                e.account,
                e.region,
                t,
                t.saturating_add(BLOCK_SPAN)
            ])
            .map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            let start: i64 = row.get(0).map_err(err)?;
            let events = decode_events(
                blob(row, 1)?,
                u64::try_from(start).unwrap_or(0),
                &e.account,
                &e.region,
            )
            .map_err(StoreError)?;
            if events.iter().any(|(_, s)| s.id == e.id && s.time == e.time) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        Ok(next_seq(&self.conn.lock())? - 1)
    }

    fn purge(&self, before: OffsetDateTime) -> Result<(), StoreError> {
        // Blocks and rows are stored in time order (give or take the
        // milliseconds between calls racing to be recorded), so the expired
        // ones are the oldest: walk from the first to the first one young
        // enough to keep, instead of scanning the whole history. A block
        // goes once its newest event has expired. The newest block (or,
        // before any block, the newest row) always stays, so sequence
        // numbers never go back (trails deliver from a sequence number).
        let conn = self.conn.lock();
        let cut = nanos(before);
        conn.execute(
            "DELETE FROM blocks
             WHERE first < COALESCE(
                     (SELECT first FROM blocks WHERE tmax >= ?1 ORDER BY first LIMIT 1),
                     (SELECT MAX(first) FROM blocks))
               AND tmax < ?1",
            params![cut],
        )
        .map_err(err)?;
        let blocks: bool = conn
            .query_row("SELECT EXISTS (SELECT 1 FROM blocks)", [], |r| r.get(0))
            .map_err(err)?;
        let sql = if blocks {
            "DELETE FROM events
             WHERE seq < COALESCE(
                     (SELECT seq FROM events WHERE time >= ?1 ORDER BY seq LIMIT 1),
                     (SELECT MAX(seq) FROM events) + 1)
               AND time < ?1"
        } else {
            "DELETE FROM events
             WHERE seq < COALESCE(
                     (SELECT seq FROM events WHERE time >= ?1 ORDER BY seq LIMIT 1),
                     (SELECT MAX(seq) FROM events))
               AND time < ?1"
        };
        conn.execute(sql, params![cut]).map(|_| ()).map_err(err)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, secs: i64, name: &str) -> TrailEvent {
        TrailEvent {
            id: id.into(),
            account: "111111111111".into(),
            region: "us-east-1".into(),
            time: OffsetDateTime::from_unix_timestamp(secs).unwrap(),
            name: name.into(),
            source: "sts.amazonaws.com".into(),
            read_only: name.starts_with("Get"),
            access_key: Some("AKIAX".into()),
            username: Some("admin".into()),
            resources: vec![("AWS::S3::Bucket".into(), "b".into())],
            json: "{}".into(),
        }
    }

    /// A record as the server writes it (an AssumeRole's, 1 KiB).
    const RECORD: &str = r#"{"awsRegion":"us-east-1","eventCategory":"Management","eventID":"01a24f55-d6aa-7d11-81ec-82f38986fc97","eventName":"AssumeRole","eventSource":"sts.amazonaws.com","eventTime":"2026-12-07T07:09:15Z","eventType":"AwsApiCall","eventVersion":"1.10","managementEvent":true,"readOnly":false,"recipientAccountId":"111111111111","requestID":"2ab51161-d450-4528-a2c7-ea986d00441d","requestParameters":{"roleArn":"arn:aws:iam::516333755418:role/OrganizationAccountAccessRole","roleSessionName":"setup"},"resources":[{"ARN":"arn:aws:iam::516333755418:role/OrganizationAccountAccessRole","accountId":"111111111111","type":"AWS::IAM::Role"}],"responseElements":{"credentials":{"accessKeyId":"ASIAGNPLQF433762PUIQ","expiration":"Dec 7, 2026, 8:09:15 AM"}},"sourceIPAddress":"127.0.0.1","tlsDetails":{"clientProvidedHostHeader":"127.0.0.1:39781"},"userAgent":"Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v1300 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/D,N,b,e,Z cfg/retry-mode#legacy Botocore/1.43.11","userIdentity":{"accessKeyId":"AKIABENCHWRK00000001","accountId":"111111111111","arn":"arn:aws:iam::111111111111:user/admin","principalId":"AIDAP5DZBF7FPAQXZZ5MP","type":"IAMUser","userName":"admin"}}"#;

    fn all(t: &SqliteTrail) -> Result<Vec<TrailEvent>, StoreError> {
        t.lookup(&Lookup {
            account: "111111111111".into(),
            region: "us-east-1".into(),
            attribute: None,
            start: None,
            end: None,
            until_seq: None,
            offset: 0,
            limit: 50,
        })
    }

    #[test]
    fn the_record_dictionary_never_changes() {
        use sha2::Digest;
        assert_eq!(
            hex::encode(sha2::Sha256::digest(RECORD_DICT_V1)),
            "85edcbc6c3d608e7cf735c0185f5510b88615d631f89cd7be8126b47d769d6e3",
            "records stored with format 1 are read with this dictionary: make a new format instead"
        );
    }

    #[test]
    fn records_are_stored_compressed_and_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        let e = TrailEvent {
            json: RECORD.into(),
            ..ev("a", 10, "AssumeRole")
        };
        t.append(std::slice::from_ref(&e)).unwrap();
        t.append_synced(&[TrailEvent {
            id: "b".into(),
            ..e
        }])
        .unwrap();
        let blocks: Vec<(String, i64)> = t
            .conn
            .lock()
            .prepare("SELECT typeof(records), length(events) + length(records) FROM blocks")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(blocks.len(), 2);
        for (kind, len) in blocks {
            assert_eq!(kind, "blob");
            assert!(
                len * 2 < i64::try_from(RECORD.len()).unwrap(),
                "{len} bytes stored for {}",
                RECORD.len()
            );
        }
        let back = all(&t).unwrap();
        assert_eq!(back.len(), 2);
        assert!(back.iter().all(|e| e.json == RECORD));
        assert_eq!(t.after(0, 10).unwrap()[0].1.json, RECORD);
    }

    #[test]
    fn a_packed_record_is_the_format_byte_and_the_size_prepended_block() {
        let mut expected = vec![RECORD_V1];
        expected.extend(lz4_flex::block::compress_prepend_size_with_dict(
            RECORD.as_bytes(),
            RECORD_DICT_V1,
        ));
        assert_eq!(pack(RECORD), expected);
        assert_eq!(unpack(&pack("")).unwrap(), "");
    }

    #[test]
    fn rows_stored_as_text_are_read_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        t.conn
            .lock()
            .execute(
                "INSERT INTO events (id, account, region, time, name, source, read_only, resources, json)
                 VALUES ('old', '111111111111', 'us-east-1', 10, 'GetUser', 'iam.amazonaws.com', 1, '[]', ?1)",
                [RECORD],
            )
            .unwrap();
        t.append(&[ev("new", 20, "GetUser")]).unwrap();
        let back = all(&t).unwrap();
        assert_eq!(back[1].id, "old");
        assert_eq!(back[1].json, RECORD);
        assert_eq!(back[0].json, "{}");
    }

    #[test]
    fn a_damaged_record_is_an_error_never_a_panic() {
        let good = pack(RECORD);
        assert_eq!(unpack(&good).unwrap(), RECORD);
        let mut huge = good.clone();
        huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut unknown = good.clone();
        unknown[0] = 2;
        for bad in [
            &[][..],
            &[RECORD_V1][..],
            &good[..good.len() / 2],
            &huge[..],
            &unknown[..],
            &[RECORD_V1, 4, 0, 0, 0, 0xff, 0xff, 0xff][..],
        ] {
            assert!(unpack(bad).is_err(), "{bad:?}");
        }
        // Through the store: the lookup fails (no event made up or skipped).
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        t.append(&[ev("a", 10, "GetUser")]).unwrap();
        let blob: Vec<u8> = t
            .conn
            .lock()
            .query_row("SELECT events FROM blocks", [], |r| r.get(0))
            .unwrap();
        t.conn
            .lock()
            .execute("UPDATE blocks SET events = ?1", [&blob[..blob.len() / 2]])
            .unwrap();
        assert!(all(&t).is_err());
        assert!(t.after(0, 10).is_err());
        // The records alone damaged, or one record too many or too few.
        for records in [
            pack_bytes(RECORDS_V1, b"\x05\x00\x00\x00ab"),
            pack_bytes(RECORDS_V1, b""),
            pack_bytes(RECORDS_V1, b"\x00\x00\x00\x00\x00\x00\x00\x00"),
            pack_bytes(BLOCK_V1, b"\x00\x00\x00\x00"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
            t.append(&[ev("a", 10, "GetUser")]).unwrap();
            t.conn
                .lock()
                .execute("UPDATE blocks SET records = ?1", [&records])
                .unwrap();
            assert!(all(&t).is_err());
            assert!(t.after(0, 10).is_err());
            // What lookups filter on is still there: a lookup matching
            // nothing in the block does not need its records.
            assert!(t.contains(&ev("a", 10, "GetUser")).unwrap());
        }
    }

    proptest::proptest! {
        #[test]
        fn unpacking_any_bytes_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = unpack(&bytes);
            let mut v1 = vec![RECORD_V1];
            v1.extend_from_slice(&bytes);
            let _ = unpack(&v1);
        }

        #[test]
        fn decoding_any_block_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = decode_events(&bytes, 1, "a", "r");
            let _ = decode_events(&pack_bytes(BLOCK_V1, &bytes), 1, "a", "r");
            let (good, _) = encode_block(&[&ev("a", 1, "N")]).unwrap();
            let _ = decode_block(&good, &bytes, 1, "a", "r");
            let _ = decode_block(&good, &pack_bytes(RECORDS_V1, &bytes), 1, "a", "r");
        }

        #[test]
        fn any_events_come_back_from_a_block(
            fields in proptest::collection::vec((".{0,40}", ".{0,40}", proptest::option::of(".{0,20}"), proptest::prelude::any::<bool>(), 0i64..4_000_000_000_000_000_000), 1..20)
        ) {
            let events: Vec<TrailEvent> = fields.into_iter().map(|(id, json, key, read_only, t)| TrailEvent {
                id,
                time: OffsetDateTime::from_unix_timestamp_nanos(i128::from(t)).unwrap(),
                access_key: key.clone(),
                username: key.map(|k| format!("u{k}")),
                read_only,
                resources: vec![("T".into(), json.clone())],
                json,
                ..ev("", 0, "N")
            }).collect();
            let refs: Vec<&TrailEvent> = events.iter().collect();
            let (meta, records) = encode_block(&refs).unwrap();
            let back = decode_block(&meta, &records, 7, "111111111111", "us-east-1").unwrap();
            proptest::prop_assert_eq!(back.iter().map(|(s, _)| *s).collect::<Vec<_>>(), (7..7 + events.len() as u64).collect::<Vec<_>>());
            proptest::prop_assert_eq!(back.into_iter().map(|(_, e)| e).collect::<Vec<_>>(), events);
        }

        #[test]
        fn any_text_comes_back(text in ".{0,2000}") {
            proptest::prop_assert_eq!(unpack(&pack(&text)).unwrap(), text);
        }
    }

    #[test]
    fn stores_filters_orders_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trail.db");
        let t = SqliteTrail::open(&path).unwrap();
        // Three batches, three blocks.
        t.append(&[ev("a", 10, "GetUser")]).unwrap();
        t.append(&[ev("b", 20, "AssumeRoot")]).unwrap();
        t.append(&[ev("c", 30, "GetUser")]).unwrap();
        drop(t);
        let t = SqliteTrail::open(&path).unwrap();
        let q = |attribute: Option<(&str, &str)>| Lookup {
            account: "111111111111".into(),
            region: "us-east-1".into(),
            attribute: attribute.map(|(k, v)| (k.into(), v.into())),
            start: None,
            end: None,
            until_seq: None,
            offset: 0,
            limit: 50,
        };
        let ids = |v: Vec<TrailEvent>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(t.lookup(&q(None)).unwrap()), ["c", "b", "a"]);
        // Pinned to a sequence number, later events stay out of the pages.
        let first_two = t.last_seq().unwrap() - 1;
        let pinned = Lookup {
            until_seq: Some(first_two),
            ..q(None)
        };
        assert_eq!(ids(t.lookup(&pinned).unwrap()), ["b", "a"]);
        assert_eq!(
            ids(t.lookup(&q(Some(("EventName", "GetUser")))).unwrap()),
            ["c", "a"]
        );
        assert_eq!(
            ids(t.lookup(&q(Some(("ReadOnly", "false")))).unwrap()),
            ["b"]
        );
        assert_eq!(
            ids(t.lookup(&q(Some(("ResourceName", "b")))).unwrap()).len(),
            3
        );
        assert!(
            t.lookup(&q(Some(("ResourceType", "AWS::IAM::User"))))
                .unwrap()
                .is_empty()
        );
        let mut w = q(None);
        w.start = Some(OffsetDateTime::from_unix_timestamp(15).unwrap());
        w.end = Some(OffsetDateTime::from_unix_timestamp(20).unwrap());
        assert_eq!(ids(t.lookup(&w).unwrap()), ["b"]);
        t.purge(OffsetDateTime::from_unix_timestamp(25).unwrap())
            .unwrap();
        assert_eq!(ids(t.lookup(&q(None)).unwrap()), ["c"]);
        // The purge walks from the oldest block to the first one to keep: a
        // younger event is never dropped, and an old one stored after it (in
        // one block with a younger one) waits for a later purge.
        t.append(&[ev("d", 40, "GetUser"), ev("e", 5, "GetUser")])
            .unwrap();
        t.purge(OffsetDateTime::from_unix_timestamp(35).unwrap())
            .unwrap();
        assert_eq!(ids(t.lookup(&q(None)).unwrap()), ["d", "e"]);
        // The newest block stays, however old: sequence numbers never go back.
        let last = t.last_seq().unwrap();
        t.purge(OffsetDateTime::from_unix_timestamp(50).unwrap())
            .unwrap();
        assert_eq!(ids(t.lookup(&q(None)).unwrap()), ["d", "e"]);
        t.append(&[ev("f", 60, "GetUser")]).unwrap();
        assert_eq!(t.last_seq().unwrap(), last + 1);
    }

    #[test]
    fn a_time_range_covers_whole_seconds_as_records_show_them() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        let at = |secs: i64, ms: i64| {
            OffsetDateTime::from_unix_timestamp(secs).unwrap() + time::Duration::milliseconds(ms)
        };
        // Shown as second 10, 11 and 12.
        t.append(&[
            TrailEvent {
                time: at(10, 999),
                ..ev("a", 0, "GetUser")
            },
            TrailEvent {
                time: at(11, 500),
                ..ev("b", 0, "GetUser")
            },
            TrailEvent {
                time: at(12, 0),
                ..ev("c", 0, "GetUser")
            },
        ])
        .unwrap();
        let window = |start: OffsetDateTime, end: OffsetDateTime| {
            let found = t
                .lookup(&Lookup {
                    account: "111111111111".into(),
                    region: "us-east-1".into(),
                    attribute: None,
                    start: Some(start),
                    end: Some(end),
                    until_seq: None,
                    offset: 0,
                    limit: 50,
                })
                .unwrap();
            found.into_iter().map(|e| e.id).collect::<Vec<_>>()
        };
        assert_eq!(window(at(11, 0), at(11, 0)), ["b"]);
        assert_eq!(window(at(10, 0), at(10, 0)), ["a"]);
        assert_eq!(window(at(10, 0), at(11, 0)), ["b", "a"]);
        // Bounds inside a second stand for the whole second.
        assert_eq!(window(at(11, 700), at(11, 200)), ["b"]);
        assert_eq!(window(at(12, 0), at(12, 0)), ["c"]);
        assert!(window(at(13, 0), at(20, 0)).is_empty());
        assert!(window(at(0, 0), at(9, 999)).is_empty());
    }

    #[test]
    fn synced_batches_on_the_second_connection_meet_purges_without_failing() {
        let dir = tempfile::tempdir().unwrap();
        let t = std::sync::Arc::new(SqliteTrail::open(&dir.path().join("trail.db")).unwrap());
        let purger = {
            let t = t.clone();
            std::thread::spawn(move || {
                for i in 0..200 {
                    t.append(&[ev(&format!("old{i}"), 1, "GetUser")]).unwrap();
                    t.purge(OffsetDateTime::from_unix_timestamp(2).unwrap())
                        .unwrap();
                }
            })
        };
        for i in 0..200 {
            t.append_synced(&[ev(&format!("s{i}"), 100 + i, "AssumeRole")])
                .unwrap();
        }
        purger.join().unwrap();
        // Both connections' batches are in the one history, in order.
        let synced: Vec<String> = t
            .after(0, 1000)
            .unwrap()
            .into_iter()
            .map(|(_, e)| e.id)
            .filter(|id| id.starts_with('s'))
            .collect();
        assert_eq!(synced.len(), 200);
        assert_eq!(synced.first().map(String::as_str), Some("s0"));
        assert_eq!(synced.last().map(String::as_str), Some("s199"));
    }

    #[test]
    fn syncs_run_beside_appends() {
        let dir = tempfile::tempdir().unwrap();
        let t = std::sync::Arc::new(SqliteTrail::open(&dir.path().join("trail.db")).unwrap());
        t.sync().unwrap();
        let syncer = {
            let t = t.clone();
            std::thread::spawn(move || {
                for _ in 0..50 {
                    t.sync().unwrap();
                }
            })
        };
        for i in 0..200 {
            t.append(&[ev(&format!("e{i}"), 100 + i, "GetUser")])
                .unwrap();
        }
        syncer.join().unwrap();
        t.sync().unwrap();
        assert_eq!(t.last_seq().unwrap(), 200);
    }

    #[test]
    fn events_after_a_sequence_number_come_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        assert_eq!(t.last_seq().unwrap(), 0);
        assert!(t.after(0, 10).unwrap().is_empty());
        t.append(&[ev("a", 10, "A"), ev("b", 5, "B"), ev("c", 30, "C")])
            .unwrap();
        // A stored event is found by its account, region, time and id (an
        // outbox replay asks before recording).
        assert!(t.contains(&ev("b", 5, "B")).unwrap());
        assert!(!t.contains(&ev("b", 6, "B")).unwrap());
        assert!(!t.contains(&ev("x", 5, "B")).unwrap());
        assert_eq!(t.last_seq().unwrap(), 3);
        let got: Vec<(u64, String)> = t
            .after(1, 10)
            .unwrap()
            .into_iter()
            .map(|(s, e)| (s, e.id))
            .collect();
        assert_eq!(got, [(2, "b".to_owned()), (3, "c".to_owned())]);
        assert_eq!(t.after(0, 1).unwrap().len(), 1);
    }

    fn in_account(account: &str, region: &str, e: TrailEvent) -> TrailEvent {
        TrailEvent {
            account: account.into(),
            region: region.into(),
            ..e
        }
    }

    #[test]
    fn a_batch_is_stored_as_one_block_per_account_and_region() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        t.append(&[
            ev("a1", 10, "GetUser"),
            in_account("222222222222", "us-east-1", ev("b1", 11, "GetUser")),
            in_account("111111111111", "eu-west-1", ev("c1", 12, "GetUser")),
            ev("a2", 13, "GetUser"),
            in_account("222222222222", "us-east-1", ev("b2", 14, "GetUser")),
        ])
        .unwrap();
        let blocks: Vec<(i64, i64, String, String)> = t
            .conn
            .lock()
            .prepare("SELECT first, last, account, region FROM blocks ORDER BY first")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            blocks,
            [
                (1, 2, "111111111111".into(), "us-east-1".into()),
                (3, 4, "222222222222".into(), "us-east-1".into()),
                (5, 5, "111111111111".into(), "eu-west-1".into()),
            ]
        );
        let ids = |v: Vec<TrailEvent>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(all(&t).unwrap()), ["a2", "a1"]);
        let after: Vec<(u64, String)> = t
            .after(1, 10)
            .unwrap()
            .into_iter()
            .map(|(s, e)| (s, e.id))
            .collect();
        assert_eq!(
            after,
            [
                (2, "a2".to_owned()),
                (3, "b1".to_owned()),
                (4, "b2".to_owned()),
                (5, "c1".to_owned())
            ]
        );
        assert_eq!(t.after(2, 2).unwrap()[0].1.account, "222222222222");
        assert_eq!(t.last_seq().unwrap(), 5);
        assert!(
            t.contains(&in_account(
                "111111111111",
                "eu-west-1",
                ev("c1", 12, "GetUser")
            ))
            .unwrap()
        );
        assert!(!t.contains(&ev("c1", 12, "GetUser")).unwrap());
    }

    #[test]
    fn blocks_are_cut_by_count_and_by_time_span() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        let mut batch: Vec<TrailEvent> = (0..1100)
            .map(|i| ev(&format!("e{i}"), 1_000 + i / 100, "GetUser"))
            .collect();
        // Two minutes later: a block of its own although the count allows more.
        batch.push(ev("late", 1_200, "GetUser"));
        batch.push(ev("early", 1_000, "GetUser"));
        t.append(&batch).unwrap();
        let sizes: Vec<i64> = t
            .conn
            .lock()
            .prepare("SELECT last - first + 1 FROM blocks ORDER BY first")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(sizes, [512, 512, 76, 1, 1]);
        assert_eq!(t.after(0, 5000).unwrap().len(), 1102);
        // A lookup of a range far from the late event still finds the early
        // one stored after it.
        let found = t
            .lookup(&Lookup {
                start: Some(OffsetDateTime::from_unix_timestamp(1_000).unwrap()),
                end: Some(OffsetDateTime::from_unix_timestamp(1_000).unwrap()),
                limit: 1000,
                ..lookup()
            })
            .unwrap();
        assert_eq!(found.len(), 101);
    }

    fn lookup() -> Lookup {
        Lookup {
            account: "111111111111".into(),
            region: "us-east-1".into(),
            attribute: None,
            start: None,
            end: None,
            until_seq: None,
            offset: 0,
            limit: 50,
        }
    }

    #[test]
    fn pages_across_blocks_and_rows_from_before_blocks_follow_one_order() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        // Rows from before blocks, then batches whose times interleave
        // (events recorded by racing calls), some at the same second.
        for i in 0..30_i64 {
            t.conn
                .lock()
                .execute(
                    "INSERT INTO events (id, account, region, time, name, source, read_only, resources, json)
                     VALUES (?1, '111111111111', 'us-east-1', ?2, 'GetUser', 'iam.amazonaws.com', 1, '[]', '{}')",
                    params![format!("old{i}"), (100 + 7 * i) * 1_000_000_000],
                )
                .unwrap();
        }
        for b in 0..12_i64 {
            let batch: Vec<TrailEvent> = (0..25_i64)
                .map(|i| {
                    let name = if i % 3 == 0 { "AssumeRole" } else { "GetUser" };
                    ev(&format!("n{b}-{i}"), 150 + (i * 13 + b * 5) % 200, name)
                })
                .collect();
            t.append(&batch).unwrap();
        }
        let everything = t
            .lookup(&Lookup {
                limit: 10_000,
                ..lookup()
            })
            .unwrap();
        assert_eq!(everything.len(), 330);
        assert!(everything.windows(2).all(|w| w[0].time >= w[1].time));
        for attribute in [None, Some(("EventName", "AssumeRole"))] {
            let attribute = attribute.map(|(k, v): (&str, &str)| (k.to_owned(), v.to_owned()));
            let whole = t
                .lookup(&Lookup {
                    attribute: attribute.clone(),
                    limit: 10_000,
                    ..lookup()
                })
                .unwrap();
            let mut paged = Vec::new();
            for page in 0.. {
                let got = t
                    .lookup(&Lookup {
                        attribute: attribute.clone(),
                        offset: page * 7,
                        limit: 7,
                        ..lookup()
                    })
                    .unwrap();
                if got.is_empty() {
                    break;
                }
                paged.extend(got);
            }
            assert_eq!(paged, whole);
        }
    }

    #[test]
    fn an_event_id_is_found_in_the_blocks_of_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let t = SqliteTrail::open(&dir.path().join("trail.db")).unwrap();
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let id = crate::trail::event::event_id(at);
        assert_eq!(id_millis(&id), Some(1_800_000_000_000));
        assert_eq!(id_millis("not-a-uuid"), None);
        t.append(&[
            ev("x", 1_700_000_000, "GetUser"),
            TrailEvent {
                id: id.clone(),
                time: at,
                ..ev("", 0, "GetUser")
            },
        ])
        .unwrap();
        let by = |id: &str| {
            t.lookup(&Lookup {
                attribute: Some(("EventId".into(), id.into())),
                ..lookup()
            })
            .unwrap()
        };
        assert_eq!(by(&id).len(), 1);
        assert_eq!(by("x").len(), 1);
        assert!(by(&crate::trail::event::event_id(at - time::Duration::days(1))).is_empty());
    }
}
