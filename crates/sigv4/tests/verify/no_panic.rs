//! `parse` and `verify` never panic, whatever the request holds.

use proptest::prelude::*;
use rootward_sigv4::{RequestParts, ServiceKind, parse, verify};
use time::{Duration, OffsetDateTime};

/// Header names that matter to SigV4, and a few that do not.
fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Authorization".to_owned()),
        Just("X-Amz-Date".to_owned()),
        Just("Date".to_owned()),
        Just("Host".to_owned()),
        Just("X-Amz-Content-SHA256".to_owned()),
        Just("X-Amz-Security-Token".to_owned()),
        "x-amz-[a-z]{0,6}",
        "[A-Za-z-]{0,10}",
    ]
}

/// Values mixing SigV4 syntax with arbitrary text.
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "AWS4-HMAC-SHA256 [A-Za-z0-9=,/; %._-]{0,120}",
        "AWS4-HMAC-SHA256 Credential=[A-Z0-9]{0,4}(/[a-z0-9_-]{0,8}){0,6}, SignedHeaders=[a-z;-]{0,20}, Signature=[0-9a-fA-F]{0,70}",
        "[0-9]{8}T[0-9]{6}Z",
        "(Mon|Wed), [0-9]{2} (Nov|Feb) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT",
        "[0-9a-f]{64}|UNSIGNED-PAYLOAD",
    ]
}

fn query() -> impl Strategy<Value = String> {
    let param = prop_oneof![
        "X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)=[A-Za-z0-9%/+=;._~-]{0,40}",
        "[A-Za-z0-9%+=._~-]{0,12}",
        "X-Amz-Expires=-?[0-9]{0,25}",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Date=[0-9]{8}T[0-9]{6}Z",
    ];
    prop::collection::vec(param, 0..10).prop_map(|p| p.join("&"))
}

fn instant() -> impl Strategy<Value = OffsetDateTime> {
    prop_oneof![
        Just(OffsetDateTime::UNIX_EPOCH),
        Just(time::PrimitiveDateTime::MIN.assume_utc()),
        Just(time::PrimitiveDateTime::MAX.assume_utc()),
        (0i64..4_102_444_800).prop_map(|s| OffsetDateTime::from_unix_timestamp(s).unwrap()),
    ]
}

fn skew() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::minutes(15)),
        Just(Duration::MAX),
        Just(Duration::MIN),
        any::<i64>().prop_map(Duration::seconds)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_and_verify_never_panic(
        method in "[A-Z]{0,7}|.{0,8}",
        path in ".{0,30}",
        raw_query in query(),
        headers in prop::collection::vec((header_name(), header_value()), 0..8),
        payload in proptest::option::of(".{0,70}"),
        now in instant(),
        max_skew in skew(),
        secret in ".{0,50}",
    ) {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let parts = RequestParts {
            method: &method,
            raw_path: &path,
            raw_query: &raw_query,
            headers: &headers,
            payload_hash: payload.as_deref(),
        };
        if let Ok(Some(auth)) = parse(&parts) {
            for kind in [ServiceKind::S3, ServiceKind::Other] {
                let _ = verify(&auth, &parts, &secret, kind, now, max_skew);
            }
            let _ = auth.check_scope("us-east-1", "s3");
            let _ = format!("{auth:?}");
        }
    }
}
