//! Load benchmark of the endpoint: signed requests per second and p50/p99
//! latency at 1 and 16 concurrent connections for `sts:GetCallerIdentity`,
//! `sts:AssumeRole` (one durable session per call) and
//! `organizations:ListAccounts` in an organization of 1,000 accounts, driven by
//! the AWS SDK for Rust
//! on loopback, beside a baseline from the same run: a bare axum handler that
//! only verifies SigV4 (the least any endpoint must do per request).
//!
//! `cargo bench -p rootward-server --bench load` (add `-- SECONDS` to change
//! the 3-second window per measurement, `-- SECONDS gci` to measure only the
//! baseline and `sts:GetCallerIdentity`). The client shares the machine's
//! cores with the server, so read the figures as ratios to the baseline.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use axum::body::{Body, to_bytes};
use axum::http::{Request, Response};
use rootward_core::Service;
use rootward_core::bootstrap::bootstrap;
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

fn config(url: &str) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .endpoint_url(url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                KEY, SECRET, None, None, "load",
            )),
        )
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build()
}

struct Stats {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

/// Runs `op` from `concurrency` tasks for `window`; `op` answers whether the
/// call succeeded.
async fn measure<F, Fut>(op: F, concurrency: usize, window: Duration) -> Stats
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    // Warm the connection pool and caches.
    for _ in 0..50 {
        op().await;
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            while start.elapsed() < window {
                let t = Instant::now();
                if !op().await {
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

fn report(name: &str, conns: usize, s: &Stats, base_rps: f64) {
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

/// An organization of 1,000 accounts (the management account and 999 created
/// ones) and a role to assume, made through the domain API.
fn populate(svc: &Service) {
    let caller = svc.credential(KEY, None).unwrap().caller;
    rootward_core::org::organization::create_organization(svc, &caller, None).unwrap();
    for n in 0..999 {
        let email = format!("member{n}@example.com");
        let name = format!("member{n}");
        rootward_core::org::accounts::create_account(
            svc,
            &caller,
            rootward_core::org::accounts::CreateAccount {
                email: &email,
                account_name: &name,
                ..Default::default()
            },
        )
        .unwrap();
    }
    // A bucket with a 1 KiB object and a 20-statement policy.
    rootward_core::s3::create_bucket(svc, &caller, "bench-bucket", None).unwrap();
    rootward_core::s3::put_object(
        svc,
        &caller,
        "bench-bucket",
        "one-kib",
        vec![7u8; 1024],
        Default::default(),
    )
    .unwrap();
    rootward_core::s3::put_bucket_policy(svc, &caller, "bench-bucket", &bench_policy()).unwrap();
    rootward_core::iam::roles::create_role(
        svc,
        &caller,
        rootward_core::iam::roles::CreateRole {
            name: "LoadRole",
            trust_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#,
            ..Default::default()
        },
    )
    .unwrap();
}

/// A 20-statement bucket policy (allows and denies with conditions).
fn bench_policy() -> String {
    let statements: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r#"{{"Sid":"S{i}","Effect":"{}","Principal":{{"AWS":"arn:aws:iam::1111111111{:02}:root"}},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bench-bucket","arn:aws:s3:::bench-bucket/p{i}/*"],"Condition":{{"IpAddress":{{"aws:SourceIp":"10.{i}.0.0/16"}}}}}}"#,
                if i % 5 == 0 { "Deny" } else { "Allow" },
                i
            )
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn main() {
    let window = Duration::from_secs(
        std::env::args()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(3),
    );
    let only_gci = std::env::args().nth(2).as_deref() == Some("gci");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let mut setup = rootward_server::Config::new(dir.path());
        setup.master_key = rootward_server::MasterKeySource::Ephemeral;
        setup.history = false;
        setup.trail_delivery = None;
        setup.outbox = false;
        let server = rootward_server::Server::open(setup).unwrap();
        let svc = server.svc().clone();
        bootstrap(&svc, Some("111111111111"), Some(KEY), Some(SECRET)).unwrap();
        populate(&svc);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let rootward_url = format!("http://{}", listener.local_addr().unwrap());
        let state = server.state().clone();
        tokio::spawn(async move {
            let _server = server;
            rootward_server::serve(listener, state, std::future::pending()).await
        });

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
        let base_sts = aws_sdk_sts::Client::new(&config(&base_url));
        let sts = aws_sdk_sts::Client::new(&config(&rootward_url));
        let org = aws_sdk_organizations::Client::new(&config(&rootward_url));
        let iam = aws_sdk_iam::Client::new(&config(&rootward_url));
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&config(&rootward_url))
                .force_path_style(true)
                .build(),
        );
        let first = org.list_accounts().send().await.unwrap();
        assert_eq!(first.accounts().len(), 20);
        assert!(first.next_token().is_some());
        for conns in [1usize, 16] {
            let c = base_sts.clone();
            let b = measure(
                move || {
                    let c = c.clone();
                    async move { c.get_caller_identity().send().await.is_ok() }
                },
                conns,
                window,
            )
            .await;
            report("baseline: bare axum + SigV4 verify", conns, &b, b.rps);
            let c = sts.clone();
            let s = measure(
                move || {
                    let c = c.clone();
                    async move { c.get_caller_identity().send().await.is_ok() }
                },
                conns,
                window,
            )
            .await;
            report("rootward: sts:GetCallerIdentity", conns, &s, b.rps);
            if only_gci {
                continue;
            }
            let c = sts.clone();
            let s = measure(
                move || {
                    let c = c.clone();
                    async move {
                        c.assume_role()
                            .role_arn("arn:aws:iam::111111111111:role/LoadRole")
                            .role_session_name("load")
                            .send()
                            .await
                            .is_ok()
                    }
                },
                conns,
                window,
            )
            .await;
            report(
                "rootward: sts:AssumeRole (writes its event)",
                conns,
                &s,
                b.rps,
            );
            let c = iam.clone();
            let n = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let s = measure(
                move || {
                    let c = c.clone();
                    let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    async move {
                        c.create_user()
                            .user_name(format!("load-{conns}-{i}"))
                            .send()
                            .await
                            .is_ok()
                    }
                },
                conns,
                window,
            )
            .await;
            report("rootward: iam:CreateUser (a write)", conns, &s, b.rps);
            let c = org.clone();
            let s = measure(
                move || {
                    let c = c.clone();
                    async move { c.list_accounts().send().await.is_ok() }
                },
                conns,
                window,
            )
            .await;
            report(
                "rootward: organizations:ListAccounts (1,000)",
                conns,
                &s,
                b.rps,
            );
            let c = s3.clone();
            let s = measure(
                move || {
                    let c = c.clone();
                    async move {
                        match c
                            .get_object()
                            .bucket("bench-bucket")
                            .key("one-kib")
                            .send()
                            .await
                        {
                            Ok(o) => o.body.collect().await.is_ok(),
                            Err(_) => false,
                        }
                    }
                },
                conns,
                window,
            )
            .await;
            report("rootward: s3:GetObject (1 KiB)", conns, &s, b.rps);
            let c = s3.clone();
            let s = measure(
                move || {
                    let c = c.clone();
                    async move {
                        c.get_bucket_policy()
                            .bucket("bench-bucket")
                            .send()
                            .await
                            .is_ok()
                    }
                },
                conns,
                window,
            )
            .await;
            report(
                "rootward: s3:GetBucketPolicy (20 statements)",
                conns,
                &s,
                b.rps,
            );
        }
    });
}
