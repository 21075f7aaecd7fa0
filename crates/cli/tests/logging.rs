//! `rootward serve`'s log (issue 12 item 10): one span per request with its
//! id, service, operation, caller and outcome, as text or JSON on stderr,
//! and never a secret: the real binary is driven through calls that carry
//! secret access keys, session tokens, passwords, TOTP seeds and codes,
//! presigned URLs and a password-reset token, with `RUST_LOG=trace`, and the
//! whole log is searched for each of them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::io::Read;
use std::process::{Child, Command};
use std::time::Duration;

use common::config;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "AKIALOGTEST000000001";
const SECRET: &str = "logTestSecret0123456789abcdefghijklmnopq";

/// Starts the server with `RUST_LOG` = `filter` and these flags; its stderr
/// goes to a file read back by [`stop`].
fn start(dir: &std::path::Path, filter: Option<&str>, extra: &[&str]) -> (Child, String) {
    let log = std::fs::File::create(dir.join("stderr.log")).unwrap();
    let mut cmd = common::serve_command(&dir.join("data"), KEY, SECRET);
    cmd.args(extra).env_remove("RUST_LOG").stderr(log);
    if let Some(f) = filter {
        cmd.env("RUST_LOG", f);
    }
    let (child, url, _) = common::spawn(cmd);
    (child, url)
}

/// Stops the server with SIGTERM; its whole log.
fn stop(mut child: Child, dir: &std::path::Path) -> String {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut log = String::new();
    std::fs::File::open(dir.join("stderr.log"))
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    log
}

/// One HTTP/1.1 exchange: status and body.
async fn http(url: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let addr = url.trim_start_matches("http://");
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(
        format!(
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out).await.unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out.split(' ').nth(1).unwrap().parse().unwrap();
    let body = out.split_once("\r\n\r\n").unwrap().1.to_owned();
    (status, body)
}

async fn console(url: &str, path: &str, body: Value) -> (u16, Value) {
    let (status, text) = http(url, "POST", &format!("/_rootward/{path}"), Some(&body)).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Whether `needle` occurs in `log` as a whole word (digits only: not inside
/// a longer run of letters, digits or a timestamp's fraction).
fn holds_code(log: &str, needle: &str) -> bool {
    log.match_indices(needle).any(|(i, _)| {
        let before = log[..i].chars().next_back();
        let after = log[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == ':')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[tokio::test]
async fn the_log_never_holds_a_secret_even_at_trace() {
    let dir = tempfile::tempdir().unwrap();
    let (child, url) = start(dir.path(), Some("trace"), &["--log-format", "json"]);
    let mut secrets: Vec<(String, String)> = vec![("bootstrap secret key".into(), SECRET.into())];
    let mut codes: Vec<String> = Vec::new();
    let admin = config(&url, KEY, SECRET, None);
    let iam = aws_sdk_iam::Client::new(&admin);

    // A user with an access key, a password (changed once) and a virtual MFA device.
    iam.create_user().user_name("alice").send().await.unwrap();
    let k = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .unwrap();
    let k = k.access_key().unwrap();
    let (alice_key, alice_secret) = (
        k.access_key_id().to_owned(),
        k.secret_access_key().to_owned(),
    );
    secrets.push(("CreateAccessKey secret".into(), alice_secret.clone()));
    for (what, password) in [
        ("CreateLoginProfile password", "Log-Test-Passw0rd-One!"),
        ("UpdateLoginProfile password", "Log-Test-Passw0rd-Two!"),
    ] {
        secrets.push((what.into(), password.into()));
    }
    iam.create_login_profile()
        .user_name("alice")
        .password("Log-Test-Passw0rd-One!")
        .send()
        .await
        .unwrap();
    iam.update_login_profile()
        .user_name("alice")
        .password("Log-Test-Passw0rd-Two!")
        .send()
        .await
        .unwrap();
    let d = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice-phone")
        .send()
        .await
        .unwrap();
    let d = d.virtual_mfa_device().unwrap();
    let seed = String::from_utf8(d.base32_string_seed().unwrap().as_ref().to_vec()).unwrap();
    secrets.push(("virtual MFA seed".into(), seed.clone()));
    let now = time::OffsetDateTime::now_utc();
    // The two codes before now's: now's is then unused (a code is good once).
    let c1 = rootward_core::iam::mfa::code_at(&seed, now - time::Duration::seconds(60)).unwrap();
    let c2 = rootward_core::iam::mfa::code_at(&seed, now - time::Duration::seconds(30)).unwrap();
    codes.extend([c1.clone(), c2.clone()]);
    iam.enable_mfa_device()
        .user_name("alice")
        .serial_number(d.serial_number())
        .authentication_code1(&c1)
        .authentication_code2(&c2)
        .send()
        .await
        .unwrap();

    // Session credentials: GetSessionToken (with an MFA code) and AssumeRole,
    // each then used with its token in a header.
    let alice = config(&url, &alice_key, &alice_secret, None);
    let sts_alice = aws_sdk_sts::Client::new(&alice);
    let c3 = rootward_core::iam::mfa::code_at(&seed, time::OffsetDateTime::now_utc()).unwrap();
    codes.push(c3.clone());
    let session = sts_alice
        .get_session_token()
        .serial_number(d.serial_number())
        .token_code(&c3)
        .send()
        .await
        .unwrap();
    let c = session.credentials().unwrap();
    secrets.push((
        "GetSessionToken secret".into(),
        c.secret_access_key().into(),
    ));
    secrets.push(("GetSessionToken token".into(), c.session_token().into()));
    let sts_session = aws_sdk_sts::Client::new(&config(
        &url,
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    sts_session.get_caller_identity().send().await.unwrap();
    iam.create_role()
        .role_name("logged")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let sts = aws_sdk_sts::Client::new(&admin);
    let role = sts
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/logged")
        .role_session_name("log-test")
        .send()
        .await
        .unwrap();
    let rc = role.credentials().unwrap();
    secrets.push(("AssumeRole secret".into(), rc.secret_access_key().into()));
    secrets.push(("AssumeRole token".into(), rc.session_token().into()));
    let role_conf = config(
        &url,
        rc.access_key_id(),
        rc.secret_access_key(),
        Some(rc.session_token()),
    );
    aws_sdk_sts::Client::new(&role_conf)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    // A wrong token and a wrong secret are refused, and not logged either.
    let wrong_token = "IQoJb3JpZ2luX2VjLogTestWrongTokenValue000000000000";
    secrets.push(("a wrong session token".into(), wrong_token.into()));
    let bad = aws_sdk_sts::Client::new(&config(
        &url,
        rc.access_key_id(),
        rc.secret_access_key(),
        Some(wrong_token),
    ));
    assert!(bad.get_caller_identity().send().await.is_err());
    let wrong_secret = "logTestWrongSecret000000000000000000000000";
    secrets.push(("a wrong secret key".into(), wrong_secret.into()));
    let bad = aws_sdk_sts::Client::new(&config(&url, KEY, wrong_secret, None));
    assert!(bad.get_caller_identity().send().await.is_err());

    // A presigned S3 URL with the session token and signature in its query.
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&admin)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket().bucket("logged").send().await.unwrap();
    s3.put_object()
        .bucket("logged")
        .key("k")
        .body(aws_sdk_s3::primitives::ByteStream::from_static(b"v"))
        .send()
        .await
        .unwrap();
    let role_s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&role_conf)
            .force_path_style(true)
            .build(),
    );
    let p = role_s3
        .get_object()
        .bucket("logged")
        .key("k")
        .presigned(
            aws_sdk_s3::presigning::PresigningConfig::expires_in(Duration::from_secs(60)).unwrap(),
        )
        .await
        .unwrap();
    let presigned = p.uri().strip_prefix(&url).unwrap().to_owned();
    let signature = presigned
        .split("X-Amz-Signature=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    secrets.push(("presigned URL signature".into(), signature));
    let (status, _) = http(&url, "GET", &presigned, None).await;
    assert_eq!(status, 403, "the role may not read the bucket");

    // The sign-in page stand-ins: passwords, session credentials, an MFA
    // seed and codes, a reset token.
    let email = "root-log@example.com";
    let (p1, p2) = ("Root-Log-Passw0rd-1", "Root-Log-Passw0rd-2");
    secrets.push(("signup password".into(), p1.into()));
    secrets.push(("reset password".into(), p2.into()));
    let (status, body) = console(
        &url,
        "signup",
        json!({"email": email, "password": p1, "account_name": "logged"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = console(&url, "signin", json!({"email": email, "password": p1})).await;
    assert_eq!(status, 200, "{body}");
    secrets.push((
        "sign-in secret".into(),
        body["credentials"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .into(),
    ));
    secrets.push((
        "sign-in token".into(),
        body["credentials"]["SessionToken"].as_str().unwrap().into(),
    ));
    let (status, body) = console(&url, "mfa/create", json!({"email": email, "password": p1})).await;
    assert_eq!(status, 200, "{body}");
    let root_seed = body["base32_seed"].as_str().unwrap().to_owned();
    let serial = body["serial_number"].as_str().unwrap().to_owned();
    secrets.push(("root MFA seed".into(), root_seed.clone()));
    let now = time::OffsetDateTime::now_utc();
    let r1 =
        rootward_core::iam::mfa::code_at(&root_seed, now - time::Duration::seconds(30)).unwrap();
    let r2 = rootward_core::iam::mfa::code_at(&root_seed, now).unwrap();
    codes.extend([r1.clone(), r2.clone()]);
    let (status, body) = console(
        &url,
        "mfa/enable",
        json!({"email": email, "password": p1, "serial_number": serial, "code1": r1, "code2": r2}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let wrong_code = if r2 == "123456" { "654321" } else { "123456" };
    codes.push(wrong_code.into());
    let (status, _) = console(
        &url,
        "signin",
        json!({"email": email, "password": p1, "mfa_code": wrong_code}),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = console(&url, "forgot-password", json!({"email": email})).await;
    assert_eq!(status, 200);
    let (_, mail) = http(
        &url,
        "GET",
        &format!("/_rootward/outbox?email={email}"),
        None,
    )
    .await;
    let mail: Value = serde_json::from_str(&mail).unwrap();
    let token = mail[0]["token"].as_str().unwrap().to_owned();
    secrets.push(("password reset token".into(), token.clone()));
    let (status, body) = console(
        &url,
        "reset-password",
        json!({"token": token, "new_password": p2}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let log = stop(child, dir.path());
    // The log is there, structured, and says what happened.
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let requests: Vec<&Value> = lines
        .iter()
        .filter(|l| l["span"]["name"] == "request" && l["status"].is_number())
        .collect();
    assert!(requests.len() >= 20, "{log}");
    let seen = |op: &str, caller: &str| {
        requests
            .iter()
            .any(|l| l["span"]["operation"] == op && l["span"]["caller"] == caller)
    };
    assert!(seen(
        "CreateAccessKey",
        "arn:aws:iam::111111111111:user/admin"
    ));
    assert!(seen(
        "GetCallerIdentity",
        "arn:aws:sts::111111111111:assumed-role/logged/log-test"
    ));
    assert!(
        requests
            .iter()
            .any(|l| l["span"]["operation"] == "GetObject"
                && l["span"]["error"] == "AccessDenied"
                && l["status"] == 403)
    );
    assert!(
        requests
            .iter()
            .all(|l| l["span"]["id"].as_str().is_some_and(|id| id.len() == 36))
    );
    // And no secret is in it.
    for (what, secret) in &secrets {
        assert!(!log.contains(secret.as_str()), "{what} in the log");
    }
    for code in &codes {
        assert!(!holds_code(&log, code), "TOTP code {code} in the log");
    }
}

#[tokio::test]
async fn the_text_log_at_the_default_level_shows_refusals_not_successes() {
    let dir = tempfile::tempdir().unwrap();
    let (child, url) = start(dir.path(), None, &[]);
    let sts = aws_sdk_sts::Client::new(&config(&url, KEY, SECRET, None));
    sts.get_caller_identity().send().await.unwrap();
    let iam = aws_sdk_iam::Client::new(&config(&url, KEY, SECRET, None));
    assert!(iam.get_user().user_name("nobody").send().await.is_err());
    // A write, served on the blocking pool: what it learnt comes back.
    assert!(iam.create_user().user_name("admin").send().await.is_err());
    let log = stop(child, dir.path());
    assert!(log.contains(" INFO "), "{log}");
    assert!(log.contains("listening"), "{log}");
    let refused: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("request refused"))
        .collect();
    assert_eq!(refused.len(), 2, "{log}");
    for field in [
        "service=\"iam\"",
        "method=\"POST\"",
        "path=\"/\"",
        "operation=\"GetUser\"",
        "caller=\"arn:aws:iam::111111111111:user/admin\"",
        "error=\"NoSuchEntity\"",
        "status=404",
    ] {
        assert!(refused[0].contains(field), "{field}: {}", refused[0]);
    }
    for field in [
        "service=\"iam\"",
        "operation=\"CreateUser\"",
        "caller=\"arn:aws:iam::111111111111:user/admin\"",
        "error=\"EntityAlreadyExists\"",
        "status=409",
    ] {
        assert!(refused[1].contains(field), "{field}: {}", refused[1]);
    }
    assert!(!log.contains("GetCallerIdentity"), "{log}");
    assert!(!log.contains(" DEBUG "), "{log}");
}
