//! The HTTP edge (issue 12 items 5, 6, 7, 11), over raw sockets: what is
//! refused before a byte of the body is read, the body budget, the
//! header-read, body and keep-alive timeouts, the connection cap,
//! conflicting framing, draining on shutdown, and presigned URLs valid for
//! more than a week.

use std::time::{Duration, Instant};

use rootward_server::{Limits, Stop};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{ACCOUNT, ADMIN_KEY, Server};

/// Short timeouts, so that the tests wait seconds, not minutes.
fn quick() -> Limits {
    Limits {
        header_read_timeout: Duration::from_secs(1),
        body_idle_timeout: Duration::from_secs(1),
        keep_alive_timeout: Duration::from_millis(2500),
        ..Limits::default()
    }
}

/// Everything the server sends until it closes the connection (or `max`
/// passes: then `closed` is false), and when it closed.
struct Heard {
    bytes: Vec<u8>,
    after: Duration,
    closed: bool,
}

impl Heard {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn status(&self) -> u16 {
        self.text()
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }
}

async fn listen(stream: &mut TcpStream, max: Duration) -> Heard {
    let start = Instant::now();
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = max.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return Heard {
                    bytes,
                    after: start.elapsed(),
                    closed: true,
                };
            }
            Ok(Ok(n)) => bytes.extend_from_slice(&buf[..n]),
            Err(_) => {
                return Heard {
                    bytes,
                    after: start.elapsed(),
                    closed: false,
                };
            }
        }
    }
}

async fn connect(s: &Server) -> TcpStream {
    TcpStream::connect(s.addr()).await.unwrap()
}

/// An `Authorization` header naming `key` for `service`, with a signature
/// that is never checked because the request is refused first.
fn unverified_auth(key: &str, service: &str) -> String {
    let date = time::OffsetDateTime::now_utc();
    let day = format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    format!(
        "authorization: AWS4-HMAC-SHA256 Credential={key}/{day}/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\nx-amz-date: {day}T000000Z\r\n",
        "0".repeat(64)
    )
}

/// Sends `head` (which declares a large body) and none of the body: the
/// answer must come anyway, and close the connection.
async fn refused_without_body(s: &Server, head: &str) -> Heard {
    let mut c = connect(s).await;
    c.write_all(head.replace("HOST", &s.addr()).as_bytes())
        .await
        .unwrap();
    let heard = listen(&mut c, Duration::from_secs(5)).await;
    assert!(heard.closed, "no answer without the body: {}", heard.text());
    assert!(
        heard
            .text()
            .to_ascii_lowercase()
            .contains("connection: close"),
        "{}",
        heard.text()
    );
    heard
}

#[tokio::test]
async fn a_body_without_a_signature_is_refused_before_it_is_read() {
    let s = Server::start().await;
    for (head, code, status) in [
        (
            "POST / HTTP/1.1\r\nhost: HOST\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 15000000\r\n\r\n",
            "<Code>MissingAuthenticationToken</Code>",
            403,
        ),
        (
            "POST / HTTP/1.1\r\nhost: HOST\r\nx-amz-target: AWSOrganizationsV20161128.ListAccounts\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 15000000\r\n\r\n",
            "MissingAuthenticationTokenException",
            403,
        ),
        (
            "PUT /bucket/key HTTP/1.1\r\nhost: HOST\r\ncontent-length: 15000000\r\n\r\n",
            "<Code>AccessDenied</Code>",
            403,
        ),
        (
            "PUT /bucket/key HTTP/1.1\r\nhost: HOST\r\ntransfer-encoding: chunked\r\n\r\n",
            "<Code>AccessDenied</Code>",
            403,
        ),
    ] {
        let heard = refused_without_body(&s, head).await;
        assert_eq!(heard.status(), status, "{}", heard.text());
        assert!(heard.text().contains(code), "{code}: {}", heard.text());
    }
}

#[tokio::test]
async fn a_body_signed_with_an_unknown_key_or_a_malformed_signature_is_refused_before_it_is_read() {
    let s = Server::start().await;
    let unknown = "AKIAUNKNOWNKEY000000";
    let cases = [
        (
            format!(
                "POST / HTTP/1.1\r\nhost: HOST\r\n{}content-length: 15000000\r\n\r\n",
                unverified_auth(unknown, "iam")
            ),
            "<Code>InvalidClientTokenId</Code>",
            403,
        ),
        (
            format!(
                "PUT /bucket/key HTTP/1.1\r\nhost: HOST\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n{}content-length: 15000000\r\n\r\n",
                unverified_auth(unknown, "s3")
            ),
            "<Code>InvalidAccessKeyId</Code>",
            403,
        ),
        (
            "POST / HTTP/1.1\r\nhost: HOST\r\nauthorization: AWS4-HMAC-SHA256 Credential=garbage\r\ncontent-length: 15000000\r\n\r\n".to_owned(),
            "<Code>IncompleteSignature</Code>",
            400,
        ),
    ];
    for (head, code, status) in cases {
        let heard = refused_without_body(&s, &head).await;
        assert_eq!(heard.status(), status, "{}", heard.text());
        assert!(heard.text().contains(code), "{code}: {}", heard.text());
    }
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_it_is_read() {
    let s = Server::start().await;
    let too_big = rootward_server::app::MAX_BODY + 1;
    let heard = refused_without_body(
        &s,
        &format!(
            "POST / HTTP/1.1\r\nhost: HOST\r\n{}content-length: {too_big}\r\n\r\n",
            unverified_auth(ADMIN_KEY, "iam")
        ),
    )
    .await;
    assert_eq!(heard.status(), 413, "{}", heard.text());
    assert!(heard.text().contains("<Code>RequestEntityTooLarge</Code>"));
    let s3_limit = rootward_server::services::s3::body_limit(&s.svc);
    let heard = refused_without_body(
        &s,
        &format!(
            "PUT /bucket/key HTTP/1.1\r\nhost: HOST\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n{}content-length: {}\r\n\r\n",
            unverified_auth(ADMIN_KEY, "s3"),
            s3_limit + 1
        ),
    )
    .await;
    assert_eq!(heard.status(), 400, "{}", heard.text());
    assert!(
        heard.text().contains("<Code>EntityTooLarge</Code>"),
        "{}",
        heard.text()
    );
}

#[tokio::test]
async fn bodies_beyond_the_buffer_budget_wait_then_get_slow_down() {
    let s = Server::start_with(Limits {
        max_buffered_bytes: 100_000,
        ..quick()
    })
    .await;
    let r = s.raw_s3("PUT", "/budget", None, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let head = format!(
        "PUT /budget/k HTTP/1.1\r\nhost: {}\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n{}content-length: 80000\r\n\r\n",
        s.addr(),
        unverified_auth(ADMIN_KEY, "s3")
    );
    // A holds 80,000 of the 100,000 bytes, sending a byte now and then.
    let mut a = connect(&s).await;
    a.write_all(head.as_bytes()).await.unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..20 {
            if a.write_all(b"x").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        a
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // B cannot get its 80,000 within the wait (the body idle timeout).
    let mut b = connect(&s).await;
    b.write_all(head.as_bytes()).await.unwrap();
    let heard = listen(&mut b, Duration::from_secs(5)).await;
    assert_eq!(heard.status(), 503, "{}", heard.text());
    assert!(
        heard.text().contains("<Code>SlowDown</Code>"),
        "{}",
        heard.text()
    );
    assert!(
        heard.after >= Duration::from_millis(900),
        "{:?}",
        heard.after
    );
    // Once A is gone its bytes are free again: a whole upload goes through.
    drop(trickle.await.unwrap());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let body = vec![b'y'; 80_000];
    let r = s.raw_s3("PUT", "/budget/k", None, &[], &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_slow_head_is_closed_at_the_header_read_timeout() {
    let s = Server::start_with(quick()).await;
    let c = connect(&s).await;
    let (mut rd, mut wr) = c.into_split();
    let slow = tokio::spawn(async move {
        let head = b"GET /_rootward/health HTTP/1.1\r\nhost: x\r\nx-slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        for b in head {
            if wr.write_all(&[*b]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let start = Instant::now();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(5), rd.read(&mut buf)).await;
    let after = start.elapsed();
    assert!(matches!(n, Ok(Ok(0)) | Ok(Err(_))), "still open: {n:?}");
    assert!(
        after >= Duration::from_millis(900) && after < Duration::from_millis(2500),
        "closed after {after:?}"
    );
    slow.abort();
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_at_the_header_read_timeout() {
    let s = Server::start_with(quick()).await;
    let mut c = connect(&s).await;
    let heard = listen(&mut c, Duration::from_secs(5)).await;
    assert!(heard.closed && heard.bytes.is_empty());
    assert!(
        heard.after >= Duration::from_millis(900) && heard.after < Duration::from_millis(2500),
        "{:?}",
        heard.after
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_at_the_keep_alive_timeout_not_before() {
    let s = Server::start_with(quick()).await;
    let mut c = connect(&s).await;
    let ask = format!(
        "GET /_rootward/health HTTP/1.1\r\nhost: {}\r\n\r\n",
        s.addr()
    );
    for _ in 0..2 {
        c.write_all(ask.as_bytes()).await.unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !got.ends_with(b"ok\n") {
            let n = c.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed: {}", String::from_utf8_lossy(&got));
            got.extend_from_slice(&buf[..n]);
        }
        assert!(got.starts_with(b"HTTP/1.1 200"));
    }
    // Idle: past the header-read timeout (1 s) it stays open; at the
    // keep-alive timeout (2.5 s) it is closed.
    let heard = listen(&mut c, Duration::from_secs(6)).await;
    assert!(heard.closed && heard.bytes.is_empty(), "{}", heard.text());
    assert!(
        heard.after >= Duration::from_millis(2300) && heard.after < Duration::from_millis(4500),
        "{:?}",
        heard.after
    );
}

#[tokio::test]
async fn a_quiet_body_is_answered_request_timeout() {
    let s = Server::start_with(quick()).await;
    for (head, status, code) in [
        (
            format!(
                "PUT /bucket/key HTTP/1.1\r\nhost: HOST\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n{}content-length: 100\r\n\r\n",
                unverified_auth(ADMIN_KEY, "s3")
            ),
            400,
            "<Code>RequestTimeout</Code>",
        ),
        (
            format!(
                "POST / HTTP/1.1\r\nhost: HOST\r\n{}content-length: 100\r\n\r\n",
                unverified_auth(ADMIN_KEY, "iam")
            ),
            408,
            "<Code>RequestTimeout</Code>",
        ),
    ] {
        let mut c = connect(&s).await;
        c.write_all(head.replace("HOST", &s.addr()).as_bytes())
            .await
            .unwrap();
        c.write_all(b"Action=Cre").await.unwrap();
        let heard = listen(&mut c, Duration::from_secs(5)).await;
        assert!(heard.closed);
        assert_eq!(heard.status(), status, "{}", heard.text());
        assert!(heard.text().contains(code), "{}", heard.text());
        assert!(
            heard.after >= Duration::from_millis(900) && heard.after < Duration::from_millis(2500),
            "{:?}",
            heard.after
        );
    }
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_on_accept() {
    let s = Server::start_with(Limits {
        max_connections: 4,
        ..Limits::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect(&s).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = connect(&s).await;
    let heard = listen(&mut extra, Duration::from_secs(2)).await;
    assert!(heard.closed && heard.bytes.is_empty(), "{}", heard.text());
    assert!(heard.after < Duration::from_secs(1), "{:?}", heard.after);
    // A slot freed is a slot taken.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut next = connect(&s).await;
    next.write_all(
        format!(
            "GET /_rootward/health HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
            s.addr()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let heard = listen(&mut next, Duration::from_secs(2)).await;
    assert_eq!(heard.status(), 200, "{}", heard.text());
}

#[tokio::test]
async fn transfer_encoding_with_content_length_is_answered_400() {
    let s = Server::start().await;
    let r = s.raw_s3("PUT", "/framing", None, &[], b"").await;
    assert_eq!(r.status, 200);
    // The case: a signed S3 GET, chunked and of length 0, no body.
    let signed = s.sign_s3("GET", "/framing", None, &[], b"");
    for framing in [
        "transfer-encoding: chunked\r\ncontent-length: 0\r\n",
        "content-length: 0\r\ntransfer-encoding: chunked\r\n",
    ] {
        let mut head = String::from("GET /framing HTTP/1.1\r\n");
        for (k, v) in &signed {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(framing);
        head.push_str("\r\n");
        let mut c = connect(&s).await;
        c.write_all(head.as_bytes()).await.unwrap();
        let heard = listen(&mut c, Duration::from_secs(3)).await;
        assert!(heard.closed, "{}", heard.text());
        assert_eq!(heard.status(), 400, "{}", heard.text());
        assert!(
            heard.text().contains("<Code>InvalidRequest</Code>"),
            "{}",
            heard.text()
        );
    }
    // The same request without the conflict is served.
    let r = s.raw_s3("GET", "/framing", None, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn draining_finishes_an_in_flight_request_and_accepts_no_more() {
    let s = Server::start().await;
    let body = b"Action=CreateUser&Version=2010-05-08&UserName=drained";
    let signed = s.sign_post(
        "iam",
        None,
        &[(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )],
        body,
    );
    let mut head = String::from("POST / HTTP/1.1\r\n");
    for (k, v) in &signed {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut c = connect(&s).await;
    c.write_all(head.as_bytes()).await.unwrap();
    c.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    s.stop(Stop::Drain);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        TcpStream::connect(s.addr()).await.is_err(),
        "the listener is closed"
    );
    c.write_all(&body[10..]).await.unwrap();
    let heard = listen(&mut c, Duration::from_secs(5)).await;
    assert_eq!(heard.status(), 200, "{}", heard.text());
    assert!(heard.text().contains("<UserName>drained</UserName>"));
    let served = tokio::time::timeout(Duration::from_secs(2), s.stopped())
        .await
        .unwrap();
    assert_eq!(served.cut, 0);
    assert!(s.svc.read().user(ACCOUNT, "drained").is_some());
}

#[tokio::test]
async fn draining_cuts_a_half_sent_head_at_the_grace() {
    let s = Server::start_with(Limits {
        header_read_timeout: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    let mut c = connect(&s).await;
    c.write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let start = Instant::now();
    s.stop(Stop::Drain);
    let served = s.stopped().await;
    let after = start.elapsed();
    assert_eq!(served.cut, 1);
    assert!(
        after >= Duration::from_millis(900) && after < Duration::from_millis(2000),
        "{after:?}"
    );
    assert!(listen(&mut c, Duration::from_secs(1)).await.closed);
}

#[tokio::test]
async fn a_second_stop_cuts_at_once() {
    let s = Server::start_with(Limits {
        header_read_timeout: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(30),
        ..Limits::default()
    })
    .await;
    let mut c = connect(&s).await;
    c.write_all(b"POST / HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.stop(Stop::Drain);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let start = Instant::now();
    s.stop(Stop::Now);
    let served = s.stopped().await;
    assert!(start.elapsed() < Duration::from_millis(500));
    assert_eq!(served.cut, 1);
    assert!(listen(&mut c, Duration::from_secs(1)).await.closed);
}

#[tokio::test]
async fn a_presigned_url_valid_for_more_than_a_week_is_refused_in_each_protocols_words() {
    use aws_sdk_s3::presigning::PresigningConfig;
    let s = Server::start().await;
    let c = crate::common::s3::s3(&s.admin());
    c.create_bucket().bucket("week").send().await.unwrap();
    let p = c
        .get_object()
        .bucket("week")
        .key("k")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(300)).unwrap())
        .await
        .unwrap();
    let path = p.uri().strip_prefix(&s.url).unwrap().to_owned();
    assert!(path.contains("X-Amz-Expires=300"), "{path}");
    let r = s
        .raw_send(
            "GET",
            &path.replace("X-Amz-Expires=300", "X-Amz-Expires=604801"),
            &[],
            b"",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body
            .contains("<Code>AuthorizationQueryParametersError</Code>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            "<Message>X-Amz-Expires must be less than a week (in seconds) that is 604800</Message>"
        ),
        "{}",
        r.body
    );
    // A week exactly is within the rule (the signature, changed, is not).
    let r = s
        .raw_send(
            "GET",
            &path.replace("X-Amz-Expires=300", "X-Amz-Expires=604800"),
            &[],
            b"",
        )
        .await;
    assert!(
        r.body.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        r.body
    );
    // STS (query protocol): IncompleteSignature (spec 07 §7.9).
    let credential = format!(
        "{ADMIN_KEY}%2F{}%2Fus-east-1%2Fsts%2Faws4_request",
        &path.split("X-Amz-Date=").nth(1).unwrap()[..8]
    );
    let r = s
        .raw_send(
            "POST",
            &format!(
                "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={credential}&X-Amz-Date=20260101T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature={}",
                "0".repeat(64)
            ),
            &[],
            b"",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>IncompleteSignature</Code>"),
        "{}",
        r.body
    );
}
