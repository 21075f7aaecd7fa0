//! The event history in its own SQLite file, with an index per account,
//! region and time. WAL with `synchronous=NORMAL`: a committed batch survives
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
/// The event id has no index of its own: it was one of three B-tree inserts
/// per event and one or two of the pages each commit writes to the log, and
/// dropping it took about an eighth of a read-only call's CPU
/// (GetCallerIdentity at 16 connections, 40-42 to 35-36 µs of server CPU per
/// request; issue 15). The one place a repeat can come from, an outbox
/// replayed after a crash, asks [`TrailStore::contains`] first, which finds
/// an event by its account, region and time. A history created before this
/// (`id ... UNIQUE`) keeps its index and works the same; rebuilding it would
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

/// A record as stored: format 1, an LZ4 block (its length prepended) over
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
fn pack(json: &str) -> Vec<u8> {
    // The format byte, the length (as `compress_prepend_size_with_dict`
    // writes it) and the block, in one buffer (not compressed into one and
    // copied into another).
    let input = json.as_bytes();
    let len = u32::try_from(input.len()).unwrap_or(u32::MAX);
    let size = 5 + lz4_flex::block::get_maximum_output_size(input.len());
    let mut out = Vec::with_capacity(size);
    out.push(RECORD_V1);
    out.extend_from_slice(&len.to_le_bytes());
    out.resize(size, 0);
    let written = out
        .get_mut(5..)
        .map(|block| lz4_flex::block::compress_into_with_dict(input, block, RECORD_DICT_V1));
    match written {
        Some(Ok(n)) => out.truncate(5 + n),
        // Cannot happen (the buffer has the worst case's room); the record
        // then goes the longer way.
        _ => {
            let block = lz4_flex::block::compress_prepend_size_with_dict(input, RECORD_DICT_V1);
            out.truncate(1);
            out.extend_from_slice(&block);
        }
    }
    out
}

/// The record back from what [`pack`] stored; an error (never a panic) for
/// an unknown format or damaged bytes.
fn unpack(stored: &[u8]) -> Result<String, String> {
    let Some((&RECORD_V1, block)) = stored.split_first() else {
        return Err("a stored event record has an unknown format".to_owned());
    };
    let (size, _) = lz4_flex::block::uncompressed_size(block)
        .map_err(|e| format!("a stored event record is damaged: {e}"))?;
    if size > RECORD_MAX {
        return Err(format!("a stored event record claims {size} bytes"));
    }
    let bytes = lz4_flex::block::decompress_size_prepended_with_dict(block, RECORD_DICT_V1)
        .map_err(|e| format!("a stored event record is damaged: {e}"))?;
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
             CREATE INDEX IF NOT EXISTS events_by_time ON events (account, region, time);",
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

/// Inserts events in one transaction (`OR IGNORE`: a history created with a
/// unique event id ignores a repeat instead of failing the batch).
fn insert(conn: &mut Connection, events: &[TrailEvent]) -> Result<(), StoreError> {
    // Immediate: the write lock is taken (or waited for, rusqlite's busy
    // timeout) before anything is read, so a purge on the other connection
    // can only delay the batch, never fail it.
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO events (id, account, region, time, name, source, read_only, access_key, username, resources, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .map_err(err)?;
        for e in events {
            let resources =
                serde_json::to_string(&e.resources).map_err(|e| StoreError(e.to_string()))?;
            stmt.execute(params![
                e.id,
                e.account,
                e.region,
                nanos(e.time),
                e.name,
                e.source,
                e.read_only,
                e.access_key,
                e.username,
                resources,
                pack(&e.json)
            ])
            .map_err(err)?;
        }
    }
    tx.commit().map_err(err)
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
        let conn = self.conn.lock();
        let mut sql = String::from(
            "SELECT id, account, region, time, name, source, read_only, access_key, username, resources, json
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
        sql.push_str(" AND seq <= ?8 ORDER BY time DESC, seq DESC LIMIT ?6 OFFSET ?7");
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
                    i64::try_from(q.limit).unwrap_or(i64::MAX),
                    i64::try_from(q.offset).unwrap_or(0),
                    q.until_seq
                        .map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX)),
                ],
                row_event,
            )
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    fn after(&self, seq: u64, limit: usize) -> Result<Vec<(u64, TrailEvent)>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, account, region, time, name, source, read_only, access_key, username, resources, json, seq
                 FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map(
                params![
                    i64::try_from(seq).unwrap_or(i64::MAX),
                    i64::try_from(limit).unwrap_or(i64::MAX)
                ],
                |r| {
                    let seq: i64 = r.get(11)?;
                    Ok((u64::try_from(seq).unwrap_or(0), row_event(r)?))
                },
            )
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    fn sync(&self) -> Result<(), StoreError> {
        self.sync_files()
            .map_err(|e| StoreError(format!("the event history could not be synced: {e}")))
    }

    fn contains(&self, e: &TrailEvent) -> Result<bool, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT 1 FROM events WHERE account = ?1 AND region = ?2 AND time = ?3 AND id = ?4 LIMIT 1",
            )
            .map_err(err)?;
        stmt.exists(params![e.account, e.region, nanos(e.time), e.id])
            .map_err(err)
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        let seq: Option<i64> = self
            .conn
            .lock()
            .query_row("SELECT MAX(seq) FROM events", [], |r| r.get(0))
            .map_err(err)?;
        Ok(seq.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
    }

    fn purge(&self, before: OffsetDateTime) -> Result<(), StoreError> {
        // Events are stored in time order (give or take the milliseconds
        // between calls racing to be recorded), so the expired ones are the
        // oldest rows: walk the rowid from its start to the first event young
        // enough to keep, instead of scanning the whole history. The newest
        // row always stays, so sequence numbers never go back (trails
        // deliver from a sequence number).
        self.conn
            .lock()
            .execute(
                "DELETE FROM events
                 WHERE seq < COALESCE(
                         (SELECT seq FROM events WHERE time >= ?1 ORDER BY seq LIMIT 1),
                         (SELECT MAX(seq) FROM events))
                   AND time < ?1",
                params![nanos(before)],
            )
            .map(|_| ())
            .map_err(err)
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
        let (kind, len): (String, i64) = t
            .conn
            .lock()
            .query_row(
                "SELECT typeof(json), length(json) FROM events LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kind, "blob");
        assert!(
            len * 2 < i64::try_from(RECORD.len()).unwrap(),
            "{len} bytes stored for {}",
            RECORD.len()
        );
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
        t.conn
            .lock()
            .execute("UPDATE events SET json = ?1", [&good[..good.len() / 2]])
            .unwrap();
        assert!(all(&t).is_err());
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
        fn any_text_comes_back(text in ".{0,2000}") {
            proptest::prop_assert_eq!(unpack(&pack(&text)).unwrap(), text);
        }
    }

    #[test]
    fn stores_filters_orders_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trail.db");
        let t = SqliteTrail::open(&path).unwrap();
        t.append(&[
            ev("a", 10, "GetUser"),
            ev("b", 20, "AssumeRoot"),
            ev("c", 30, "GetUser"),
        ])
        .unwrap();
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
        // The purge walks from the oldest row to the first one to keep: a
        // younger event is never dropped, and an old one stored after it waits
        // for a later purge.
        t.append(&[ev("d", 40, "GetUser"), ev("e", 5, "GetUser")])
            .unwrap();
        t.purge(OffsetDateTime::from_unix_timestamp(35).unwrap())
            .unwrap();
        assert_eq!(ids(t.lookup(&q(None)).unwrap()), ["d", "e"]);
        // The newest row stays, however old: sequence numbers never go back.
        let last = t.last_seq().unwrap();
        t.purge(OffsetDateTime::from_unix_timestamp(50).unwrap())
            .unwrap();
        assert_eq!(ids(t.lookup(&q(None)).unwrap()), ["e"]);
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
}
