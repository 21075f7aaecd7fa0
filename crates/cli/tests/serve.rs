//! `rootward serve` as a process: start-up output, the bootstrap file, a
//! `kill -9` that loses nothing acknowledged, and shutdown on SIGTERM/SIGINT
//! (in-flight requests finish within the grace; a second signal exits at
//! once; nothing acknowledged is lost either way).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::process::{Child, Command};

use common::config;

const KEY: &str = "AKIASERVETEST0000001";
const SECRET: &str = "serveTestSecret0123456789abcdefghijklmno";

/// Starts the server on a free port; returns the child and its URL.
fn start(data: &std::path::Path) -> (Child, String, Vec<String>) {
    start_with(data, &[])
}

fn start_with(data: &std::path::Path, extra: &[&str]) -> (Child, String, Vec<String>) {
    let mut cmd = common::serve_command(data, KEY, SECRET);
    cmd.args(extra);
    common::spawn(cmd)
}

fn iam(url: &str) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&config(url, KEY, SECRET, None))
}

#[tokio::test]
async fn kill_9_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, url, lines) = start(&data);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("export AWS_ACCESS_KEY_ID=AKIASERVETEST0000001 ")),
        "{lines:?}"
    );
    let creds = std::fs::read_to_string(data.join("bootstrap-credentials")).unwrap();
    assert!(creds.contains(SECRET));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(data.join("bootstrap-credentials"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let health = std::process::Command::new("python3")
        .args(["-c", &format!("import urllib.request;print(urllib.request.urlopen('{url}/_rootward/health').status)")])
        .output();
    if let Ok(h) = health {
        assert_eq!(String::from_utf8_lossy(&h.stdout).trim(), "200");
    }

    // Acknowledged writes, then SIGKILL right after the last answer.
    let client = iam(&url);
    for i in 0..20 {
        client
            .create_user()
            .user_name(format!("user{i:02}"))
            .send()
            .await
            .unwrap();
    }
    client
        .put_user_policy()
        .user_name("user19")
        .policy_name("P")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#)
        .send()
        .await
        .unwrap();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let (mut child, url, lines) = start(&data);
    assert!(
        !lines.iter().any(|l| l.starts_with("export")),
        "no second bootstrap: {lines:?}"
    );
    let client = iam(&url);
    let users = client.list_users().max_items(100).send().await.unwrap();
    assert_eq!(users.users().len(), 21, "admin + 20 users");
    let p = client
        .get_user_policy()
        .user_name("user19")
        .policy_name("P")
        .send()
        .await
        .unwrap();
    assert!(p.policy_document().contains("s3%3A*"));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn demo_seeds_the_seed_scenario_organization() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, url, lines) = start_with(&data, &["--demo"]);
    let seeded = lines
        .iter()
        .find(|l| l.starts_with("# demo: organization seeded"))
        .unwrap();
    let id_of = |name: &str| {
        let rest = seeded.split(name).nth(1).unwrap();
        rest.split(|c: char| !c.is_ascii_digit() && c != ' ')
            .next()
            .unwrap()
            .trim()
            .to_owned()
    };
    let payments = id_of("Legacy Payments ");
    let sandbox = id_of("Sandbox ");
    let operator = lines
        .iter()
        .skip_while(|l| !l.contains("Breaking Glass operator"))
        .nth(1)
        .unwrap()
        .clone();
    let field = |name: &str| {
        operator
            .split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{name}=")))
            .unwrap()
            .to_owned()
    };
    let (key, secret) = (field("AWS_ACCESS_KEY_ID"), field("AWS_SECRET_ACCESS_KEY"));
    let demo_file = std::fs::read_to_string(data.join("demo-credentials")).unwrap();
    assert!(demo_file.contains(&secret));

    // The operator audits the accounts through AssumeRoot.
    let sts = aws_sdk_sts::Client::new(&config(&url, &key, &secret, None));
    let audit = |account: String| {
        let sts = sts.clone();
        let url = url.clone();
        async move {
            let out = sts
                .assume_root()
                .target_principal(account)
                .task_policy_arn(
                    aws_sdk_sts::types::PolicyDescriptorType::builder()
                        .arn("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
                        .build(),
                )
                .send()
                .await
                .unwrap();
            let c = out.credentials().unwrap();
            let iam = aws_sdk_iam::Client::new(&config(
                &url,
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token()),
            ));
            let summary = iam.get_account_summary().send().await.unwrap();
            let map = summary.summary_map().unwrap().clone();
            let get = |k: &str| {
                *map.get(&aws_sdk_iam::types::SummaryKeyType::from(k))
                    .unwrap()
            };
            (
                get("AccountPasswordPresent"),
                get("AccountMFAEnabled"),
                get("AccountAccessKeysPresent"),
            )
        }
    };
    assert_eq!(audit(payments).await, (1, 1, 1));
    assert_eq!(audit(sandbox).await, (0, 0, 0));

    // A second start reuses the state and seeds nothing.
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut child, _, lines) = start_with(&data, &["--demo"]);
    assert!(lines.iter().any(|l| l.contains("not fresh")), "{lines:?}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn kill_9_under_sixteen_concurrent_writers_loses_no_acknowledged_write_nor_its_event() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, url, _) = start(&data);
    let acked = std::sync::Arc::new(shared::Acked::default());
    let writers: Vec<_> = (0..16)
        .map(|w| {
            let client = iam(&url);
            let acked = acked.clone();
            tokio::spawn(async move {
                for i in 0.. {
                    let name = format!("w{w}-{i}");
                    match client.create_user().user_name(&name).send().await {
                        Ok(_) => acked.push(name),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    // Let them write for a while, then SIGKILL in the middle of it.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    for w in writers {
        let _ = w.await;
    }
    let acked = acked.take();
    assert!(acked.len() > 16, "only {} writes acknowledged", acked.len());

    let (mut child, url, _) = start(&data);
    let client = iam(&url);
    let mut present = std::collections::HashSet::new();
    let mut pages = client.list_users().into_paginator().items().send();
    while let Some(u) = pages.next().await {
        present.insert(u.unwrap().user_name().to_owned());
    }
    let mut traced = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    for record in records_named(&url, "CreateUser").await {
        // An outbox replayed after the kill stores no event twice.
        let id = record["eventID"].as_str().unwrap().to_owned();
        assert!(ids.insert(id.clone()), "event {id} stored twice");
        if record["errorCode"].is_null() {
            traced.insert(
                record["requestParameters"]["userName"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    for name in &acked {
        assert!(present.contains(name), "acknowledged user {name} lost");
        assert!(
            traced.contains(name),
            "acknowledged user {name} has no event"
        );
    }
    // Nothing was committed without its event either.
    for name in present.iter().filter(|n| n.starts_with('w')) {
        assert!(
            traced.contains(name),
            "user {name} exists without its event"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// AssumeRole stores nothing but its event, synced while the answer waits
/// (issue 15): a `kill -9` among sixteen callers loses no acknowledged
/// session's event.
#[tokio::test]
async fn kill_9_under_sixteen_assume_role_callers_loses_no_acknowledged_event() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, url, _) = start(&data);
    iam(&url)
        .create_role()
        .role_name("fleet")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let acked = std::sync::Arc::new(shared::Acked::default());
    let callers: Vec<_> = (0..16)
        .map(|w| {
            let sts = aws_sdk_sts::Client::new(&config(&url, KEY, SECRET, None));
            let acked = acked.clone();
            tokio::spawn(async move {
                for i in 0.. {
                    let out = sts
                        .assume_role()
                        .role_arn("arn:aws:iam::111111111111:role/fleet")
                        .role_session_name(format!("c{w}-{i}"))
                        .send()
                        .await;
                    match out {
                        Ok(o) => acked.push(o.credentials().unwrap().access_key_id().to_owned()),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    for c in callers {
        let _ = c.await;
    }
    let acked = acked.take();
    assert!(
        acked.len() > 16,
        "only {} sessions acknowledged",
        acked.len()
    );

    let (mut child, url, _) = start(&data);
    let mut traced = std::collections::HashSet::new();
    for record in records_named(&url, "AssumeRole").await {
        if let Some(k) = record["responseElements"]["credentials"]["accessKeyId"].as_str() {
            traced.insert(k.to_owned());
        }
    }
    for key in &acked {
        assert!(
            traced.contains(key),
            "acknowledged session {key} has no event"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Every CloudTrail record of the event history named `name`, through
/// LookupEvents (all pages).
async fn records_named(url: &str, name: &str) -> Vec<serde_json::Value> {
    let trail = aws_sdk_cloudtrail::Client::new(&config(url, KEY, SECRET, None));
    let mut events = trail
        .lookup_events()
        .lookup_attributes(
            aws_sdk_cloudtrail::types::LookupAttribute::builder()
                .attribute_key(aws_sdk_cloudtrail::types::LookupAttributeKey::EventName)
                .attribute_value(name)
                .build()
                .unwrap(),
        )
        .into_paginator()
        .items()
        .send();
    let mut records = Vec::new();
    while let Some(e) = events.next().await {
        records.push(serde_json::from_str(e.unwrap().cloud_trail_event().unwrap()).unwrap());
    }
    records
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Waits for the child to exit (at most `max`); how long it took.
fn exits_within(child: &mut Child, max: std::time::Duration) -> std::time::Duration {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            return start.elapsed();
        }
        if start.elapsed() > max {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("still running after {max:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A connection holding a request head without its final blank line.
fn half_sent(url: &str) -> std::net::TcpStream {
    use std::io::Write as _;
    let addr = url.trim_start_matches("http://");
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.write_all(format!("POST / HTTP/1.1\r\nhost: {addr}\r\ncontent-length: 5\r\n").as_bytes())
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    c
}

#[tokio::test]
async fn sigterm_with_a_half_sent_request_exits_at_the_shutdown_grace() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url, _) = start_with(
        &dir.path().join("data"),
        &["--shutdown-grace", "1", "--header-read-timeout", "30"],
    );
    let _held = half_sent(&url);
    signal(&child, "TERM");
    let took = exits_within(&mut child, std::time::Duration::from_secs(10));
    assert!(
        took >= std::time::Duration::from_millis(800) && took < std::time::Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_second_signal_exits_at_once_and_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, url, _) = start_with(
        &data,
        &["--shutdown-grace", "60", "--header-read-timeout", "60"],
    );
    let client = iam(&url);
    for i in 0..10 {
        client
            .create_user()
            .user_name(format!("kept{i}"))
            .send()
            .await
            .unwrap();
    }
    let _held = half_sent(&url);
    signal(&child, "TERM");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "waits for the grace");
    signal(&child, "INT");
    let took = exits_within(&mut child, std::time::Duration::from_secs(5));
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");

    let (mut child, url, _) = start(&data);
    let users = iam(&url).list_users().send().await.unwrap();
    assert_eq!(users.users().len(), 11, "admin + 10 users");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Acknowledged names, shared between the writers.
mod shared {
    #[derive(Default)]
    pub struct Acked(std::sync::Mutex<Vec<String>>);
    impl Acked {
        pub fn push(&self, name: String) {
            self.0.lock().unwrap().push(name);
        }
        pub fn take(&self) -> Vec<String> {
            std::mem::take(&mut *self.0.lock().unwrap())
        }
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_is_private_even_when_an_older_version_left_it_open() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("outbox")).unwrap();
    std::fs::write(data.join("outbox/old-message.json"), b"{}").unwrap();
    std::fs::write(data.join("trail.ndjson"), b"").unwrap();
    for p in [
        data.join("outbox/old-message.json"),
        data.join("trail.ndjson"),
    ] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    for p in [&data, &data.join("outbox")] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (mut child, url, _) = start(&data);
    // Some writes so that every file (WAL and shared memory included) exists.
    iam(&url).create_user().user_name("x").send().await.unwrap();
    let mut seen = 0;
    let mut stack = vec![data.clone()];
    while let Some(p) = stack.pop() {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        if p.is_dir() {
            assert_eq!(mode, 0o700, "{}", p.display());
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        } else {
            assert_eq!(mode, 0o600, "{}", p.display());
            seen += 1;
        }
    }
    for f in [
        "state.db",
        "state.db-wal",
        "trail.db",
        "master.key",
        "bootstrap-credentials",
    ] {
        assert!(data.join(f).exists(), "{f}");
    }
    assert!(seen >= 7, "{seen} files");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn sigterm_finishes_in_flight_requests_and_exits_at_once_when_idle() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, url, _) = start_with(&data, &["--shutdown-grace", "30"]);
    let client = iam(&url);
    client
        .create_user()
        .user_name("before")
        .send()
        .await
        .unwrap();
    // Keep-alive connections of the SDK are idle: they do not hold the exit.
    signal(&child, "TERM");
    let took = exits_within(&mut child, std::time::Duration::from_secs(10));
    assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    let (mut child, url, _) = start(&data);
    let users = iam(&url).list_users().send().await.unwrap();
    assert_eq!(users.users().len(), 2);
    child.kill().unwrap();
    child.wait().unwrap();
}
