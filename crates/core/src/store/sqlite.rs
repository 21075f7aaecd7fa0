//! The embedded backend: SQLite in WAL mode with `synchronous=FULL`, so that a
//! committed batch survives `kill -9` and power loss.

use std::path::Path;

use parking_lot::Mutex;
use rusqlite::{Connection, params};

use super::{Row, Store, StoreError, Write};

/// A SQLite database file holding every table.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

fn err(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

impl SqliteStore {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             PRAGMA foreign_keys=ON;
             PRAGMA secure_delete=FAST;",
        )
        .map_err(err)?;
        conn.execute_batch(super::schema::SQLITE_TABLES)
            .map_err(err)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }
}

impl Store for SqliteStore {
    fn load(&self) -> Result<Vec<Row>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn
            .prepare("SELECT tbl, key, value FROM kv")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Row {
                    table: r.get(0)?,
                    key: r.get(1)?,
                    value: r.get(2)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn.lock();
        let tx = conn.transaction().map_err(err)?;
        for w in writes {
            match w {
                Write::Put { table, key, value } => {
                    tx.execute(
                        "INSERT INTO kv (tbl, key, value) VALUES (?1, ?2, ?3)
                         ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value",
                        params![table, key, value],
                    )
                    .map_err(err)?;
                }
                Write::Delete { table, key } => {
                    tx.execute(
                        "DELETE FROM kv WHERE tbl = ?1 AND key = ?2",
                        params![table, key],
                    )
                    .map_err(err)?;
                }
                Write::PutBlob { key, value } => {
                    tx.execute(
                        "INSERT INTO blobs (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        params![key, value],
                    )
                    .map_err(err)?;
                }
                Write::DeleteBlob { key } => {
                    tx.execute("DELETE FROM blobs WHERE key = ?1", params![key])
                        .map_err(err)?;
                }
            }
        }
        tx.commit().map_err(err)
    }

    /// Zeroes freed content, rebuilds the file and empties the WAL, so that
    /// no byte of a deleted or replaced row is left in either file.
    fn scrub(&self) -> Result<(), StoreError> {
        let conn = self.conn.lock();
        conn.execute_batch(
            "PRAGMA secure_delete=ON;
             VACUUM;
             PRAGMA wal_checkpoint(TRUNCATE);
             PRAGMA secure_delete=FAST;",
        )
        .map_err(err)
    }

    fn get_blob(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn
            .prepare_cached("SELECT value FROM blobs WHERE key = ?1")
            .map_err(err)?;
        let mut rows = stmt.query(params![key]).map_err(err)?;
        match rows.next().map_err(err)? {
            Some(r) => Ok(Some(r.get(0).map_err(err)?)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_the_store_contract_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        {
            let s = SqliteStore::open(&path).unwrap();
            super::super::contract::run(&s).unwrap();
        }
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.load().unwrap().len(), 2);
        assert_eq!(s.get_blob("b1").unwrap(), Some(b"new".to_vec()));
    }
}
