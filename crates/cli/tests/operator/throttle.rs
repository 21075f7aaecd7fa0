//! Throttling: a stand-in endpoint that answers `GetCallerIdentity` and
//! `DescribeOrganization` but throttles every `AssumeRoot`. The tool retries
//! (the SDK's adaptive mode, `--max-attempts`), then reports each account
//! with `Throttling`, none dropped, exit 1. (Adaptive mode is visible in
//! the run time: after throttling errors the client's rate limiter slows
//! sending down to well under one request per second.)

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn answer(mut sock: tokio::net::TcpStream, assume_root: Arc<AtomicUsize>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let n = sock.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (i + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let n = sock.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let (status, ctype, body) = if text.contains("Action=GetCallerIdentity") {
        (
            200,
            "text/xml",
            r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/admin</Arn><UserId>AIDAEXAMPLE</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#.to_owned(),
        )
    } else if text.contains("DescribeOrganization") {
        (
            200,
            "application/x-amz-json-1.1",
            r#"{"Organization":{"Id":"o-example1234","MasterAccountId":"111111111111","FeatureSet":"ALL"}}"#.to_owned(),
        )
    } else if text.contains("Action=AssumeRoot") {
        assume_root.fetch_add(1, Ordering::SeqCst);
        (
            400,
            "text/xml",
            r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>2</RequestId></ErrorResponse>"#.to_owned(),
        )
    } else {
        (400, "text/plain", "unexpected".to_owned())
    };
    let resp = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = sock.write_all(resp.as_bytes()).await;
    let _ = sock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_accounts_are_retried_then_reported() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(answer(sock, c.clone()));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_rootward"))
        .args([
            "audit",
            "--account",
            "222222222222",
            "--account",
            "333333333333",
            "--max-attempts",
            "2",
            "--output",
            "json",
        ])
        .env_clear()
        .env("HOME", dir.path())
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", &url)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE000000001")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("ROOTWARD_LEDGER", dir.path().join("ledger"))
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = report["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    for a in accounts {
        assert_eq!(a["class"], "error");
        assert_eq!(a["error"]["code"], "Throttling");
    }
    assert_eq!(report["summary"]["error"], 2);
    assert_eq!(count.load(Ordering::SeqCst), 4, "two attempts per account");
}
