//! `rootward audit --all` over a large organization on a local endpoint:
//! wall time of the tool and the requests it sent (counted from the
//! endpoint's `--trail-file`, which records every authenticated call);
//! then, in the same run over the same organization, `rootward console`:
//! time to first byte of the Accounts page, and time from that request
//! until every account's class is shown (the page's script polls
//! `/accounts/progress` until the audit is done, as this does).
//!
//! `cargo bench -p rootward --bench audit -- [ACCOUNTS] [CONCURRENCY]`
//! (default 1000 accounts, concurrency 16). Without a release build at hand,
//! `--profile dev` runs it on the debug binaries (much slower server).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;

const KEY: &str = "AKIABENCHAUDIT000001";
const SECRET: &str = "benchAuditSecret0123456789abcdefghijklmn";

fn lines(path: &std::path::Path) -> usize {
    std::fs::read_to_string(path)
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

/// The trail file once it stops growing (the writer batches).
fn settled(path: &std::path::Path) -> usize {
    let mut last = lines(path);
    loop {
        std::thread::sleep(Duration::from_millis(700));
        let now = lines(path);
        if now == last {
            return now;
        }
        last = now;
    }
}

#[tokio::main]
async fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not:
    // then this is a smoke run over a few accounts.
    let default = if all.iter().any(|a| a == "--bench") {
        1000
    } else {
        20
    };
    let args: Vec<&String> = all.iter().filter(|a| !a.starts_with("--")).collect();
    let accounts: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(default);
    let concurrency: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let dir = tempfile::tempdir().unwrap();
    let trail = dir.path().join("trail.jsonl");
    let mut server = Command::new(env!("CARGO_BIN_EXE_rootward"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--account-id",
            "111111111111",
            "--data",
        ])
        .arg(dir.path().join("data"))
        .arg("--trail-file")
        .arg(&trail)
        .env("ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID", KEY)
        .env("ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY", SECRET)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let url = loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "server exited early");
        if let Some(u) = line.trim_end().strip_prefix("listening on ") {
            break u.to_owned();
        }
    };
    std::thread::spawn(move || for _ in out.lines() {});
    let conf = aws_config::SdkConfig::builder()
        .endpoint_url(&url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                KEY, SECRET, None, None, "bench",
            )),
        )
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let org = aws_sdk_organizations::Client::new(&conf);
    org.create_organization().send().await.unwrap();
    let t = Instant::now();
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
    let mut set = tokio::task::JoinSet::new();
    for i in 0..accounts {
        let (org, sem) = (org.clone(), sem.clone());
        set.spawn(async move {
            let _p = sem.acquire().await.unwrap();
            org.create_account()
                .email(format!("a{i}@example.com"))
                .account_name(format!("a{i}"))
                .send()
                .await
                .unwrap();
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap();
    }
    eprintln!(
        "created {accounts} accounts in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let tool = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rootward"))
            .args(args)
            .env_clear()
            .env("HOME", dir.path())
            .env("AWS_CONFIG_FILE", dir.path().join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", &url)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("ROOTWARD_LEDGER", dir.path().join("ledger"))
            .output()
            .unwrap()
    };
    let e = tool(&["enable"]);
    assert_eq!(
        e.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&e.stderr)
    );
    let before = settled(&trail);
    let c = concurrency.to_string();
    let t = Instant::now();
    let r = tool(&["audit", "--all", "--output", "json", "--concurrency", &c]);
    let wall = t.elapsed();
    let after = settled(&trail);
    let report: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(report["summary"]["no-root-credentials"], accounts);
    let requests = after - before;
    println!(
        "audit --all: {accounts} accounts, concurrency {concurrency}: {:.2} s wall, {requests} requests ({:.0} req/s, {:.2} per account)",
        wall.as_secs_f64(),
        requests as f64 / wall.as_secs_f64(),
        requests as f64 / accounts as f64
    );
    console_bench(&url, dir.path(), accounts, concurrency);
    server.kill().unwrap();
    server.wait().unwrap();
}

/// One HTTP/1.1 GET on loopback: the time to the first byte of the answer,
/// and the whole answer.
fn get(addr: &str, path: &str, cookie: &str) -> (Duration, String) {
    use std::io::{Read, Write};
    let t = Instant::now();
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut first = [0u8; 1];
    conn.read_exact(&mut first).unwrap();
    let ttfb = t.elapsed();
    let mut rest = String::new();
    conn.read_to_string(&mut rest).unwrap();
    (ttfb, format!("{}{rest}", first[0] as char))
}

fn console_bench(url: &str, dir: &std::path::Path, accounts: usize, concurrency: usize) {
    let mut console = Command::new(env!("CARGO_BIN_EXE_rootward"))
        .args(["console", "--listen", "127.0.0.1:0", "--concurrency"])
        .arg(concurrency.to_string())
        .env_clear()
        .env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("ROOTWARD_LEDGER", dir.join("ledger"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(console.stdout.take().unwrap());
    let link = loop {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "console exited early"
        );
        if let Some(i) = line.find("http://")
            && line.contains("/signin?token=")
        {
            break line[i..].trim_end().to_owned();
        }
    };
    std::thread::spawn(move || for _ in out.lines() {});
    let rest = link.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    let (_, answer) = get(addr, path, "");
    let cookie = answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let t = Instant::now();
    let (ttfb, page) = get(addr, "/accounts", &cookie);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let all_shown = loop {
        let (_, p) = get(addr, "/accounts/progress", &cookie);
        let body = &p[p.find("\r\n\r\n").unwrap() + 4..];
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        if v["phase"] == "done" {
            assert_eq!(v["counts"]["no-root-credentials"], accounts);
            break t.elapsed();
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (page_ttfb, _) = get(addr, "/accounts?page=2", &cookie);
    println!(
        "console: {accounts} accounts: accounts page first byte {:.1} ms (audit starting), all classes shown after {:.2} s; a page of the finished table: first byte {:.1} ms",
        ttfb.as_secs_f64() * 1e3,
        all_shown.as_secs_f64(),
        page_ttfb.as_secs_f64() * 1e3
    );
    console.kill().unwrap();
    console.wait().unwrap();
}
