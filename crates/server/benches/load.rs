//! Load benchmark of the endpoint: signed requests per second and p50/p99
//! latency at 1 and 16 concurrent connections, driven by the AWS SDK for Rust
//! on loopback, beside a baseline from the same run: a bare axum handler that
//! only verifies SigV4 (the least any endpoint must do per request).
//!
//! `cargo bench -p rootward-server --bench load` (add `-- SECONDS` to change
//! the 3-second window per measurement). The client shares the machine's
//! cores with the server, so read the figures as ratios to the baseline.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use axum::body::{Body, to_bytes};
use axum::http::{Request, Response};
use rootward_core::Service;
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::store::sqlite::SqliteStore;
use rootward_server::AppState;
use sha2::{Digest, Sha256};

/// The allocator of the `rootward` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const KEY: &str = "AKIALOADBENCH0000001";
const SECRET: &str = "loadBenchSecret0123456789abcdefghijklmno";

/// The baseline: verify SigV4 with a fixed secret, answer a fixed body.
async fn baseline(req: Request<Body>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let hash = hex::encode(Sha256::digest(&body));
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
        .collect();
    let rp = rootward_sigv4::RequestParts {
        method: parts.method.as_str(),
        raw_path: parts.uri.path(),
        raw_query: parts.uri.query().unwrap_or(""),
        headers: &headers,
        payload_hash: Some(&hash),
    };
    let ok = match rootward_sigv4::parse(&rp) {
        Ok(Some(auth)) => rootward_sigv4::verify(
            &auth,
            &rp,
            SECRET,
            rootward_sigv4::ServiceKind::Other,
            time::OffsetDateTime::now_utc(),
            time::Duration::minutes(15),
        )
        .is_ok(),
        _ => false,
    };
    let xml = if ok {
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/admin</Arn><UserId>AIDAEXAMPLE</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    } else {
        "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>"
    };
    let mut r = Response::new(Body::from(xml));
    if !ok {
        *r.status_mut() = axum::http::StatusCode::FORBIDDEN;
    }
    r
}

fn sts_client(url: &str) -> aws_sdk_sts::Client {
    let conf = aws_config::SdkConfig::builder()
        .endpoint_url(url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                KEY, SECRET, None, None, "load",
            )),
        )
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    aws_sdk_sts::Client::new(&conf)
}

struct Stats {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

async fn measure(client: &aws_sdk_sts::Client, concurrency: usize, window: Duration) -> Stats {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let c = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            while start.elapsed() < window {
                let t = Instant::now();
                if c.get_caller_identity().send().await.is_err() {
                    errors += 1;
                }
                lat.push(t.elapsed());
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    let pick = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Stats {
        rps: all.len() as f64 / elapsed,
        p50: pick(0.50),
        p99: pick(0.99),
        errors,
    }
}

fn main() {
    let window = Duration::from_secs(
        std::env::args()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(3),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
        let svc =
            Arc::new(Service::open(Box::new(store), Arc::new(SystemClock::default())).unwrap());
        bootstrap(&svc, Some("111111111111"), Some(KEY), Some(SECRET)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let rootward_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(rootward_server::serve(
            listener,
            AppState { svc },
            std::future::pending(),
        ));

        let base = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", base.local_addr().unwrap());
        let app = axum::Router::new().fallback(baseline);
        tokio::spawn(async move {
            axum::serve(
                base,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });

        println!(
            "load: {}s per measurement, AWS SDK for Rust client on loopback",
            window.as_secs()
        );
        println!(
            "{:<46} {:>5} {:>10} {:>10} {:>10} {:>7}",
            "target", "conns", "req/s", "p50", "p99", "errors"
        );
        for conns in [1usize, 16] {
            let mut base_rps = 0.0;
            for (name, url) in [
                ("baseline: bare axum + SigV4 verify", &base_url),
                ("rootward: sts:GetCallerIdentity", &rootward_url),
            ] {
                let client = sts_client(url);
                // Warm the connection pool and caches.
                for _ in 0..50 {
                    let _ = client.get_caller_identity().send().await;
                }
                let s = measure(&client, conns, window).await;
                if base_rps == 0.0 {
                    base_rps = s.rps;
                }
                println!(
                    "{:<46} {:>5} {:>10.0} {:>10.1?} {:>10.1?} {:>7}   ({:.2}x baseline)",
                    name,
                    conns,
                    s.rps,
                    s.p50,
                    s.p99,
                    s.errors,
                    s.rps / base_rps
                );
            }
        }
    });
}
