//! The benchmarks' baseline: a bare axum handler that only verifies SigV4
//! (the least any endpoint must do per request) and answers a fixed 200.
//!
//! ```text
//! cargo run --release -p rootward-server --example bare_verify -- \
//!     127.0.0.1:0 AKID=SECRET [AKID=SECRET …]
//! ```
//!
//! Prints `listening on http://ADDR`. Requests signed with one of the given
//! keys (session tokens are not checked, only signed over) get 200, others
//! 403. S3 requests (credential scope `s3`) use S3's canonical form.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, StatusCode};
use sha2::{Digest, Sha256};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn verify(keys: Arc<HashMap<String, String>>, req: Request<Body>) -> Response<Body> {
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
        Ok(Some(auth)) => keys.get(auth.access_key_id()).is_some_and(|secret| {
            let kind = if auth.service() == "s3" {
                rootward_sigv4::ServiceKind::S3
            } else {
                rootward_sigv4::ServiceKind::Other
            };
            rootward_sigv4::verify(
                &auth,
                &rp,
                secret,
                kind,
                time::OffsetDateTime::now_utc(),
                time::Duration::minutes(15),
            )
            .is_ok()
        }),
        _ => false,
    };
    let mut r = Response::new(Body::from(if ok { "<ok/>" } else { "<denied/>" }));
    if !ok {
        *r.status_mut() = StatusCode::FORBIDDEN;
    }
    r
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let keys: HashMap<String, String> = args
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        })
        .collect();
    let keys = Arc::new(keys);
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(move |req: Request<Body>| verify(keys.clone(), req));
    axum::serve(listener, app).await.unwrap();
}
