//! Durable storage: a small transactional key-value contract.
//!
//! The domain keeps its state in memory and writes every change through
//! [`Store::commit`] before acknowledging it; [`Store::load`] reads everything
//! back at start-up. A backend only has to make a batch of writes atomic and
//! durable. SQLite (WAL, `synchronous=FULL`) is the embedded backend; the same
//! contract is what a PostgreSQL backend for several replicas would implement.
//!
//! Beside the rows, a store keeps **blobs** (S3 object bytes): written in the
//! same atomic batch as the rows that describe them, read back one by one with
//! [`Store::get_blob`], and never returned by [`Store::load`], so that the
//! in-memory state holds only metadata.

pub mod schema;
pub mod sqlite;

/// A store failure. The request that caused it is answered as an internal error.
#[derive(Debug, thiserror::Error)]
#[error("store: {0}")]
pub struct StoreError(pub String);

/// One write of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Insert or replace.
    Put {
        /// Table.
        table: &'static str,
        /// Key.
        key: String,
        /// Serialized record.
        value: Vec<u8>,
    },
    /// Remove (no error when absent).
    Delete {
        /// Table.
        table: &'static str,
        /// Key.
        key: String,
    },
    /// Insert or replace a blob.
    PutBlob {
        /// Key.
        key: String,
        /// The bytes.
        value: Vec<u8>,
    },
    /// Remove a blob (no error when absent).
    DeleteBlob {
        /// Key.
        key: String,
    },
}

/// One stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Table.
    pub table: String,
    /// Key.
    pub key: String,
    /// Serialized record.
    pub value: Vec<u8>,
}

/// A durable, transactional key-value store.
pub trait Store: Send + Sync + 'static {
    /// Every row, for loading the state at start-up.
    fn load(&self) -> Result<Vec<Row>, StoreError>;
    /// Applies the writes atomically; returns only once they are durable.
    fn commit(&self, writes: &[Write]) -> Result<(), StoreError>;
    /// One blob, by key (`None` when absent).
    fn get_blob(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Removes the bytes of deleted and replaced rows from the files (after
    /// clear secrets of an older version were sealed). Default: nothing to do.
    fn scrub(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

#[cfg(any(test, feature = "store-contract"))]
pub mod contract {
    //! The contract every backend passes: a second backend in another crate
    //! runs it with `rootward-core = { features = ["store-contract"] }` and
    //! `contract::run(&store)` on a fresh, empty store.
    use super::{Row, Store, StoreError, Write};

    fn check(ok: bool, what: &str) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err(format!("store contract: {what}"))
        }
    }

    fn put(table: &'static str, key: &str, value: &[u8]) -> Write {
        Write::Put {
            table,
            key: key.to_owned(),
            value: value.to_vec(),
        }
    }

    fn sorted(rows: Vec<Row>) -> Vec<(String, String, Vec<u8>)> {
        let mut got: Vec<(String, String, Vec<u8>)> = rows
            .into_iter()
            .map(|r| (r.table, r.key, r.value))
            .collect();
        got.sort();
        got
    }

    fn store_err(e: StoreError) -> String {
        format!("store contract: {e}")
    }

    /// Runs the contract on an empty store; the first broken rule is the error.
    pub fn run(store: &dyn Store) -> Result<(), String> {
        check(
            store.load().map_err(store_err)?.is_empty(),
            "a new store is empty",
        )?;
        store
            .commit(&[
                put("t", "a", b"1"),
                put("t", "b", b"2"),
                put("u", "a", b"3"),
            ])
            .map_err(store_err)?;
        store
            .commit(&[
                put("t", "a", b"9"),
                Write::Delete {
                    table: "t",
                    key: "b".into(),
                },
                Write::Delete {
                    table: "t",
                    key: "missing".into(),
                },
            ])
            .map_err(store_err)?;
        check(
            sorted(store.load().map_err(store_err)?)
                == vec![
                    ("t".into(), "a".into(), b"9".to_vec()),
                    ("u".into(), "a".into(), b"3".to_vec()),
                ],
            "puts replace, deletes remove, a missing key deletes silently",
        )?;
        store.commit(&[]).map_err(store_err)?;

        // Blobs: committed atomically with rows, never loaded with them.
        check(
            store.get_blob("b1").map_err(store_err)?.is_none(),
            "a missing blob is None",
        )?;
        store
            .commit(&[
                put("objects", "k", b"meta"),
                Write::PutBlob {
                    key: "b1".into(),
                    value: vec![0, 1, 2, 255],
                },
                Write::PutBlob {
                    key: "b2".into(),
                    value: Vec::new(),
                },
            ])
            .map_err(store_err)?;
        check(
            store.get_blob("b1").map_err(store_err)? == Some(vec![0, 1, 2, 255]),
            "a blob reads back byte for byte",
        )?;
        check(
            store.get_blob("b2").map_err(store_err)? == Some(Vec::new()),
            "an empty blob is not a missing one",
        )?;
        check(
            store.load().map_err(store_err)?.len() == 3,
            "blobs are not loaded with the rows",
        )?;
        store
            .commit(&[
                Write::PutBlob {
                    key: "b1".into(),
                    value: b"new".to_vec(),
                },
                Write::DeleteBlob { key: "b2".into() },
                Write::DeleteBlob {
                    key: "missing".into(),
                },
                Write::Delete {
                    table: "objects",
                    key: "k".into(),
                },
            ])
            .map_err(store_err)?;
        check(
            store.get_blob("b1").map_err(store_err)? == Some(b"new".to_vec()),
            "a blob is replaced",
        )?;
        check(
            store.get_blob("b2").map_err(store_err)?.is_none(),
            "a deleted blob is gone",
        )?;

        // Every table of the schema, in one batch, read back under its name.
        let tables = super::schema::all();
        let every: Vec<Write> = tables
            .iter()
            .map(|t| put(t, "schema/key", t.as_bytes()))
            .collect();
        store.commit(&every).map_err(store_err)?;
        let loaded = sorted(store.load().map_err(store_err)?);
        check(
            tables.iter().all(|t| {
                loaded.contains(&(
                    (*t).to_owned(),
                    "schema/key".to_owned(),
                    t.as_bytes().to_vec(),
                ))
            }) && loaded.len() == tables.len() + 2,
            "a row of every table of the schema reads back in its table",
        )?;
        let gone: Vec<Write> = tables
            .iter()
            .map(|t| Write::Delete {
                table: t,
                key: "schema/key".into(),
            })
            .collect();
        store.commit(&gone).map_err(store_err)?;

        store.scrub().map_err(store_err)?;
        check(
            store.load().map_err(store_err)?.len() == 2,
            "scrubbing keeps every row",
        )
    }
}
