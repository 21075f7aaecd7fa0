//! Two costs issue 14 added, beside baselines from the same run:
//!
//! * S3 checksums: the throughput of each algorithm over a 4 MiB body,
//!   beside MD5 (the ETag every upload already pays);
//! * trail delivery: one `deliver_once` pass over N events of the history
//!   (filtering, gzip, the S3 objects and the trails' positions committed),
//!   beside appending the same N events to the history.
//!
//! `cargo bench -p rootward-core --bench trails_and_checksums [-- EVENTS]`
//! (default 10,000 events).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use rootward_core::Service;
use rootward_core::authz::{Caller, CallerKind};
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::cloudtrail::delivery::deliver_once;
use rootward_core::cloudtrail::trails::{self, CreateTrail};
use rootward_core::keys::{Keys, MasterKey};
use rootward_core::s3;
use rootward_core::s3::checksum::ALGORITHMS;
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::trail::sqlite::SqliteTrail;
use rootward_core::trail::{Trail, TrailEvent, TrailStore};
use time::OffsetDateTime;

const ACCOUNT: &str = "111111111111";

fn throughput(mut f: impl FnMut(), bytes: usize) -> f64 {
    // Warm up, then as many rounds as fit in a second.
    f();
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_secs(1) {
        f();
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    f64::from(rounds) * bytes as f64 / secs / (1024.0 * 1024.0)
}

fn checksums() {
    let body: Vec<u8> = (0..4 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let md5 = throughput(
        || {
            std::hint::black_box(Md5::digest(&body));
        },
        body.len(),
    );
    println!("checksums over 4 MiB, MiB/s (ratio to MD5, the ETag):");
    println!("  MD5 (baseline)  {md5:>8.0}");
    for a in ALGORITHMS {
        let t = throughput(
            || {
                std::hint::black_box(a.digest(&body));
            },
            body.len(),
        );
        println!("  {:<15} {t:>8.0}  ({:.2}×)", a.name(), t / md5);
    }
}

fn root() -> Caller {
    Caller {
        account: ACCOUNT.to_owned(),
        kind: CallerKind::Root,
        access_key_id: "AKIAROOTBENCH0000001".to_owned(),
        token_issued: None,
        session_policies: Vec::new(),
        session_policy_arns: Vec::new(),
        tags: Vec::new(),
        task_policy: None,
        source_identity: None,
        source_ip: None,
        user_agent: None,
        region: "us-east-1".to_owned(),
        secure_transport: true,
        mfa: false,
        session_token: false,
    }
}

fn event(n: usize) -> TrailEvent {
    let id = format!("bench-{n:08}");
    TrailEvent {
        json: format!(
            r#"{{"eventVersion":"1.10","eventID":"{id}","eventName":"CreateUser","eventSource":"iam.amazonaws.com","awsRegion":"us-east-1","recipientAccountId":"{ACCOUNT}","readOnly":false,"requestParameters":{{"userName":"user-{n}"}},"userIdentity":{{"type":"Root","accountId":"{ACCOUNT}","arn":"arn:aws:iam::{ACCOUNT}:root"}}}}"#
        ),
        id,
        account: ACCOUNT.to_owned(),
        region: "us-east-1".to_owned(),
        time: OffsetDateTime::now_utc(),
        name: "CreateUser".to_owned(),
        source: "iam.amazonaws.com".to_owned(),
        read_only: false,
        access_key: None,
        username: Some("root".to_owned()),
        resources: Vec::new(),
    }
}

fn delivery(events: usize) {
    let dir = tempfile::tempdir().unwrap();
    let keys = Keys::new(
        &MasterKey::read_or_create(&dir.path().join("master.key")).unwrap(),
        None,
    );
    let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let svc =
        Arc::new(Service::open(Box::new(store), Arc::new(SystemClock::default()), keys).unwrap());
    let history = Arc::new(SqliteTrail::open(&dir.path().join("trail.db")).unwrap());
    svc.set_trail(
        Trail::start(
            history.clone(),
            None,
            rootward_core::trail::DEFAULT_RETENTION,
        )
        .unwrap(),
    );
    bootstrap(&svc, Some(ACCOUNT), None, None).unwrap();
    let me = root();
    s3::create_bucket(&svc, &me, "bench-logs", None).unwrap();
    s3::put_bucket_policy(&svc, &me, "bench-logs", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["s3:GetBucketAcl","s3:PutObject"],"Resource":["arn:aws:s3:::bench-logs","arn:aws:s3:::bench-logs/*"]}]}"#).unwrap();
    trails::create_trail(
        &svc,
        &me,
        CreateTrail {
            name: "bench".into(),
            s3_bucket: "bench-logs".into(),
            ..CreateTrail::default()
        },
    )
    .unwrap();
    trails::start_logging(&svc, &me, "bench").unwrap();
    std::thread::sleep(Duration::from_millis(5));

    // Baseline: appending the events to the history, 500 per batch (the
    // history writer's batches).
    let batch: Vec<TrailEvent> = (0..events).map(event).collect();
    let start = Instant::now();
    for chunk in batch.chunks(500) {
        history.append(chunk).unwrap();
    }
    let append = start.elapsed();
    lookups(&history, &batch);
    let start = Instant::now();
    let report = deliver_once(&svc).unwrap();
    let deliver = start.elapsed();
    assert_eq!(report.events, events);
    let stored: u64 = svc.read().s3.objects["bench-logs"]
        .values()
        .map(|o| o.size)
        .sum();
    println!(
        "trail delivery of {events} events: {:.1} ms, {} log files, {} KiB gzipped ({:.0} events/s); appending them to the history (baseline): {:.1} ms ({:.2}× the baseline)",
        deliver.as_secs_f64() * 1e3,
        report.files,
        stored / 1024,
        events as f64 / deliver.as_secs_f64(),
        append.as_secs_f64() * 1e3,
        deliver.as_secs_f64() / append.as_secs_f64(),
    );
}

/// `LookupEvents` over the history just written: the newest page, an
/// attribute no event has (every block read), and an event by its id (the
/// bench's ids are not version 7 UUIDs: every block read as well).
fn lookups(history: &SqliteTrail, batch: &[TrailEvent]) {
    use rootward_core::trail::{Lookup, TrailStore};
    let q = |attribute: Option<(&str, &str)>| Lookup {
        account: ACCOUNT.to_owned(),
        region: "us-east-1".to_owned(),
        attribute: attribute.map(|(k, v)| (k.to_owned(), v.to_owned())),
        start: None,
        end: None,
        until_seq: None,
        offset: 0,
        limit: 50,
    };
    let time = |q: &Lookup| {
        let start = Instant::now();
        let n = history.lookup(q).unwrap().len();
        (start.elapsed().as_secs_f64() * 1e3, n)
    };
    let (newest, n1) = time(&q(None));
    let (rare, n2) = time(&q(Some(("Username", "nobody"))));
    let (by_id, n3) = time(&q(Some(("EventId", &batch[batch.len() / 2].id))));
    println!(
        "lookups in {} events: newest page {newest:.2} ms ({n1}), an attribute nothing has (every block read) {rare:.1} ms ({n2}), by id {by_id:.1} ms ({n3})",
        batch.len()
    );
}

fn main() {
    let events = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(10_000);
    checksums();
    delivery(events);
}
