//! The write path (issue 12 item 8, issue 15): a call's changes and its trail
//! event are committed together; concurrent calls share commits; a commit
//! that fails loses nothing acknowledged and leaves no unacknowledged change
//! in memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::iam::users;
use rootward_core::keys::{Keys, MasterKey};
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::store::{Row, Store, StoreError, Write};
use rootward_core::trail::sqlite::SqliteTrail;
use rootward_core::trail::{Lookup, Trail};
use rootward_core::{CoreError, Service};

/// A SQLite store that counts commits and can be made to fail.
struct Flaky {
    inner: SqliteStore,
    commits: Arc<AtomicUsize>,
    fail: Arc<AtomicBool>,
}

impl Store for Flaky {
    fn load(&self) -> Result<Vec<Row>, StoreError> {
        self.inner.load()
    }
    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(StoreError("disk full".into()));
        }
        self.commits.fetch_add(1, Ordering::SeqCst);
        self.inner.commit(writes)
    }
    fn get_blob(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.get_blob(key)
    }
}

struct Opened {
    svc: Arc<Service>,
    commits: Arc<AtomicUsize>,
    fail: Arc<AtomicBool>,
}

fn open(dir: &std::path::Path) -> Opened {
    let commits = Arc::new(AtomicUsize::new(0));
    let fail = Arc::new(AtomicBool::new(false));
    let store = Flaky {
        inner: SqliteStore::open(&dir.join("state.db")).unwrap(),
        commits: commits.clone(),
        fail: fail.clone(),
    };
    let keys = Keys::new(
        &MasterKey::read_or_create(&dir.join("master.key")).unwrap(),
        None,
    );
    let svc =
        Arc::new(Service::open(Box::new(store), Arc::new(SystemClock::default()), keys).unwrap());
    let history = SqliteTrail::open(&dir.join("trail.db")).unwrap();
    svc.set_trail(
        Trail::start(
            Arc::new(history),
            None,
            rootward_core::trail::DEFAULT_RETENTION,
        )
        .unwrap(),
    );
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    Opened { svc, commits, fail }
}

fn call(svc: &Service, caller: &rootward_core::authz::Caller, name: &str) -> Result<(), CoreError> {
    let unit = svc.begin();
    let result = users::create_user(svc, caller, name, None).map(|_| ());
    let request = serde_json::json!({ "userName": name });
    svc.finish(
        unit,
        Some(&rootward_core::trail::event::Call {
            caller,
            service: "iam",
            operation: "CreateUser",
            global: true,
            read_only: false,
            data_event: false,
            request,
            response: None,
            error: None,
            request_id: "r",
            resources: Vec::new(),
            host: None,
            shared_with: None,
        }),
    )?;
    result
}

/// The bootstrap administrator, as a caller.
fn admin(svc: &Service) -> rootward_core::authz::Caller {
    svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller
}

fn created_users(svc: &Service) -> usize {
    let trail = svc.trail().unwrap();
    trail
        .lookup(&Lookup {
            account: "111111111111".into(),
            region: "us-east-1".into(),
            attribute: Some(("EventName".into(), "CreateUser".into())),
            start: None,
            end: None,
            until_seq: None,
            offset: 0,
            limit: 10_000,
        })
        .unwrap()
        .len()
}

#[test]
fn sixteen_concurrent_writers_share_commits_and_every_acknowledged_write_and_event_survives() {
    let dir = tempfile::tempdir().unwrap();
    let o = open(dir.path());
    let admin = admin(&o.svc);
    let before = o.commits.load(Ordering::SeqCst);
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let svc = o.svc.clone();
            let admin = admin.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    call(&svc, &admin, &format!("u{t}-{i}")).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let commits = o.commits.load(Ordering::SeqCst) - before;
    assert!(
        commits < 400,
        "{commits} commits for 400 writes: no grouping"
    );
    drop(o);
    // Reopened: every acknowledged user, and the event of each, is there.
    let o = open(dir.path());
    let users = o.svc.read().users_of("111111111111").count();
    assert_eq!(users, 400 + 1);
    assert_eq!(created_users(&o.svc), 400);
}

#[test]
fn a_failed_commit_answers_an_error_and_memory_keeps_nothing_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let o = open(dir.path());
    let admin = admin(&o.svc);
    call(&o.svc, &admin, "kept").unwrap();
    o.fail.store(true, Ordering::SeqCst);
    assert!(matches!(
        call(&o.svc, &admin, "lost"),
        Err(CoreError::Internal(_))
    ));
    assert!(o.svc.read().user("111111111111", "lost").is_none());
    assert!(o.svc.read().user("111111111111", "kept").is_some());
    o.fail.store(false, Ordering::SeqCst);
    // The service goes on: the same name can be created now.
    call(&o.svc, &admin, "lost").unwrap();
    assert!(o.svc.read().user("111111111111", "lost").is_some());
}

/// The rows of the outbox in the store at `dir`.
fn outbox_rows(dir: &std::path::Path) -> usize {
    SqliteStore::open(&dir.join("state.db"))
        .unwrap()
        .load()
        .unwrap()
        .into_iter()
        .filter(|r| r.table == rootward_core::service::OUTBOX)
        .count()
}

/// After a crash between the history's commit and the outbox's deletion,
/// the outbox is replayed: an event the history already holds is not stored
/// a second time (the history has no unique index on the event id; issue
/// 15), one it lacks is.
#[test]
fn a_replayed_outbox_stores_each_event_once() {
    let dir = tempfile::tempdir().unwrap();
    {
        let o = open(dir.path());
        let admin = admin(&o.svc);
        call(&o.svc, &admin, "first").unwrap();
        o.svc.trail().unwrap().flush();
        assert_eq!(created_users(&o.svc), 1);
        // The service ends without another commit, as in a crash: the
        // outbox still holds the event the history has stored.
    }
    assert_eq!(outbox_rows(dir.path()), 1);
    {
        let o = open(dir.path());
        o.svc.trail().unwrap().flush();
        assert_eq!(created_users(&o.svc), 1, "the replay stored a second copy");
    }
    // A history that lacks the event (it was lost with its file) gets it.
    assert_eq!(outbox_rows(dir.path()), 1);
    for f in ["trail.db", "trail.db-wal", "trail.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    let o = open(dir.path());
    o.svc.trail().unwrap().flush();
    assert_eq!(created_users(&o.svc), 1, "the replay lost the event");
    o.svc.tidy_outbox().unwrap();
    assert_eq!(outbox_rows(dir.path()), 0);
}
