//! SigV4 reading and verification of arbitrary requests never panic: the
//! input is split into lines, `METHOD PATH?QUERY` first, then `name: value`
//! headers; whatever parses is verified against a fixed secret, in both the
//! S3 and the other services' canonical forms.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rootward_sigv4::{ChunkVerifier, RequestParts, ServiceKind, parse, verify};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    let (method, target) = first.split_once(' ').unwrap_or(("GET", first));
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let headers: Vec<(&str, &str)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k, v.trim_start()))
        .collect();
    let req = RequestParts {
        method,
        raw_path,
        raw_query,
        headers: &headers,
        payload_hash: Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    };
    if let Ok(Some(auth)) = parse(&req) {
        let now = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        let skew = time::Duration::minutes(15);
        for kind in [ServiceKind::S3, ServiceKind::Other] {
            let _ = verify(
                &auth,
                &req,
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                kind,
                now,
                skew,
            );
        }
        let mut chunks = ChunkVerifier::new(&auth, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        let _ = chunks.chunk(data, &"0".repeat(64));
        let _ = chunks.trailer(data, &"0".repeat(64));
    }
});
