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

#[cfg(test)]
pub(crate) mod contract {
    //! The contract every backend passes.
    use super::*;

    pub fn run(store: &dyn Store) {
        assert!(store.load().unwrap().is_empty());
        store
            .commit(&[
                Write::Put {
                    table: "t",
                    key: "a".into(),
                    value: b"1".to_vec(),
                },
                Write::Put {
                    table: "t",
                    key: "b".into(),
                    value: b"2".to_vec(),
                },
                Write::Put {
                    table: "u",
                    key: "a".into(),
                    value: b"3".to_vec(),
                },
            ])
            .unwrap();
        store
            .commit(&[
                Write::Put {
                    table: "t",
                    key: "a".into(),
                    value: b"9".to_vec(),
                },
                Write::Delete {
                    table: "t",
                    key: "b".into(),
                },
                Write::Delete {
                    table: "t",
                    key: "missing".into(),
                },
            ])
            .unwrap();
        let mut rows = store.load().unwrap();
        rows.sort_by(|x, y| (&x.table, &x.key).cmp(&(&y.table, &y.key)));
        let got: Vec<(String, String, Vec<u8>)> = rows
            .into_iter()
            .map(|r| (r.table, r.key, r.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("t".into(), "a".into(), b"9".to_vec()),
                ("u".into(), "a".into(), b"3".to_vec())
            ]
        );
        store.commit(&[]).unwrap();

        // Blobs: committed atomically with rows, never loaded with them.
        assert_eq!(store.get_blob("b1").unwrap(), None);
        store
            .commit(&[
                Write::Put {
                    table: "objects",
                    key: "k".into(),
                    value: b"meta".to_vec(),
                },
                Write::PutBlob {
                    key: "b1".into(),
                    value: vec![0, 1, 2, 255],
                },
                Write::PutBlob {
                    key: "b2".into(),
                    value: Vec::new(),
                },
            ])
            .unwrap();
        assert_eq!(store.get_blob("b1").unwrap(), Some(vec![0, 1, 2, 255]));
        assert_eq!(store.get_blob("b2").unwrap(), Some(Vec::new()));
        assert_eq!(store.load().unwrap().len(), 3);
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
            .unwrap();
        assert_eq!(store.get_blob("b1").unwrap(), Some(b"new".to_vec()));
        assert_eq!(store.get_blob("b2").unwrap(), None);
    }
}
