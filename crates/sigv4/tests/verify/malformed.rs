//! Requests whose signature cannot be read: `parse` refuses them.

use rootward_sigv4::{ServiceKind, SigError};
use time::Duration;

use crate::common::{Req, SIGNED_AT, USER_SECRET, assume_root, presigned_without};

const CREDENTIAL: &str = "Credential=AKIAIOSFODNN7EXAMPLE/20241120/us-east-1/sts/aws4_request";
const SIGNED_HEADERS: &str = "SignedHeaders=content-type;host;x-amz-date";
const SIGNATURE: &str =
    "Signature=f639cef5eac9d4678afc9cc30d2acf1ac971e5c414247c8e741f02e77b29f995";

fn with_authorization(value: &str) -> Req {
    assume_root().set_header("Authorization", value)
}

fn malformed(req: &Req) -> String {
    match req.parse() {
        Err(SigError::Malformed(message)) => message,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn request_without_signature_is_anonymous() {
    let req = Req::from_url("GET", "https://bucket.s3.amazonaws.com/key?versionId=1");
    assert_eq!(req.parse(), Ok(None));
}

#[test]
fn parse_accepts_any_order_and_spacing() {
    let value = format!("AWS4-HMAC-SHA256   {SIGNATURE} ,{CREDENTIAL},   {SIGNED_HEADERS}  ");
    let req = with_authorization(&value);
    assert_eq!(
        req.verify(USER_SECRET, ServiceKind::Other, SIGNED_AT),
        Ok(())
    );
    let upper = with_authorization(&format!(
        "AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNED_HEADERS}, {}",
        SIGNATURE
            .to_uppercase()
            .replacen("SIGNATURE", "Signature", 1)
    ));
    assert_eq!(
        upper.verify(USER_SECRET, ServiceKind::Other, SIGNED_AT),
        Ok(())
    );
}

#[test]
fn missing_credential_is_malformed() {
    let message = malformed(&with_authorization(&format!(
        "AWS4-HMAC-SHA256 {SIGNED_HEADERS}, {SIGNATURE}"
    )));
    assert_eq!(
        message,
        format!(
            "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 {SIGNED_HEADERS}, {SIGNATURE}"
        )
    );
}

#[test]
fn missing_signature_is_malformed() {
    let message = malformed(&with_authorization(&format!(
        "AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNED_HEADERS}"
    )));
    assert!(
        message.starts_with("Authorization header requires 'Signature' parameter. Authorization="),
        "{message}"
    );
}

#[test]
fn missing_signed_headers_is_malformed() {
    let message = malformed(&with_authorization(&format!(
        "AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNATURE}"
    )));
    assert!(
        message.starts_with("Authorization header requires 'SignedHeaders' parameter. "),
        "{message}"
    );
}

#[test]
fn every_missing_part_is_named() {
    let req = with_authorization("AWS4-HMAC-SHA256").without_header("X-Amz-Date");
    assert_eq!(
        malformed(&req),
        "Authorization header requires 'Credential' parameter. \
         Authorization header requires 'Signature' parameter. \
         Authorization header requires 'SignedHeaders' parameter. \
         Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. \
         Authorization=AWS4-HMAC-SHA256"
    );
}

#[test]
fn empty_authorization_header_is_malformed() {
    let message = malformed(&with_authorization(""));
    assert!(
        message.starts_with("Authorization header requires 'Credential' parameter. "),
        "{message}"
    );
}

#[test]
fn pair_without_equals_sign_is_malformed() {
    let message = malformed(&with_authorization(&format!(
        "AWS4-HMAC-SHA256 {CREDENTIAL}, SignedHeaders, {SIGNATURE}"
    )));
    assert!(
        message.starts_with("'SignedHeaders' not a valid key=value pair (missing equal-sign)"),
        "{message}"
    );
}

#[test]
fn credential_needs_five_fields() {
    let req = with_authorization(&format!(
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20241120/us-east-1/aws4_request, {SIGNED_HEADERS}, {SIGNATURE}"
    ));
    assert_eq!(
        malformed(&req),
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, \
         got 'AKIAIOSFODNN7EXAMPLE/20241120/us-east-1/aws4_request'"
    );
}

#[test]
fn host_must_be_signed() {
    let req = with_authorization(&format!(
        "AWS4-HMAC-SHA256 {CREDENTIAL}, SignedHeaders=content-type;x-amz-date, {SIGNATURE}"
    ));
    assert!(malformed(&req).contains("'host'"));
}

#[test]
fn bad_x_amz_date_is_malformed() {
    for bad in [
        "2024-11-20T12:00:00Z",
        "20241120T120000",
        "20241131T120000Z",
        "",
    ] {
        let message = malformed(&assume_root().set_header("X-Amz-Date", bad));
        assert_eq!(
            message,
            format!(
                "Date must be in ISO-8601 'basic format'. Got '{bad}'. See http://en.wikipedia.org/wiki/ISO_8601"
            )
        );
    }
}

#[test]
fn date_header_is_used_without_x_amz_date() {
    let value =
        format!("AWS4-HMAC-SHA256 {CREDENTIAL}, SignedHeaders=content-type;date;host, {SIGNATURE}");
    let req = with_authorization(&value)
        .without_header("X-Amz-Date")
        .with_header("Date", "Wed, 20 Nov 2024 12:00:00 GMT");
    let auth = req.auth();
    assert_eq!(auth.request_time(), SIGNED_AT);
    assert_eq!(auth.amz_date(), "20241120T120000Z");
    match req.verify(USER_SECRET, ServiceKind::Other, SIGNED_AT) {
        Err(SigError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        }) => {
            assert!(
                canonical_request.contains("\ndate:Wed, 20 Nov 2024 12:00:00 GMT\n"),
                "{canonical_request}"
            );
            assert!(
                string_to_sign.starts_with("AWS4-HMAC-SHA256\n20241120T120000Z\n"),
                "{string_to_sign}"
            );
        }
        other => panic!("{other:?}"),
    }
    let bad = req.set_header("Date", "20 Nov 2024");
    assert!(malformed(&bad).starts_with("Date must be an RFC 1123 date"));
}

#[test]
fn other_algorithms_are_unsupported() {
    let sigv2 = with_authorization("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=");
    assert_eq!(
        sigv2.parse(),
        Err(SigError::UnsupportedAlgorithm("AWS".into()))
    );
    let sigv4a = with_authorization(&format!(
        "AWS4-ECDSA-P256-SHA256 {CREDENTIAL}, {SIGNED_HEADERS}, {SIGNATURE}"
    ));
    assert_eq!(
        sigv4a.parse(),
        Err(SigError::UnsupportedAlgorithm(
            "AWS4-ECDSA-P256-SHA256".into()
        ))
    );
    let query = Req::from_url(
        "GET",
        "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Signature=00",
    );
    assert_eq!(
        query.parse(),
        Err(SigError::UnsupportedAlgorithm("AWS4-HMAC-SHA1".into()))
    );
    let sigv2_query = Req::from_url(
        "GET",
        "https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKID&Expires=1&Signature=x",
    );
    assert_eq!(
        sigv2_query.parse(),
        Err(SigError::UnsupportedAlgorithm("AWS".into()))
    );
}

#[test]
fn two_mechanisms_or_two_headers_are_malformed() {
    let both = Req {
        query: "X-Amz-Signature=00".into(),
        ..assume_root()
    };
    assert!(malformed(&both).starts_with("Only one auth mechanism allowed"));
    let value = format!("AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNED_HEADERS}, {SIGNATURE}");
    let twice = assume_root().with_header("authorization", &value);
    malformed(&twice);
}

#[test]
fn presigned_parameters_are_all_required() {
    for name in [
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Algorithm",
    ] {
        assert_eq!(
            malformed(&presigned_without(name)),
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, \
             X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
            "{name}"
        );
    }
}

#[test]
fn presigned_expiry_must_be_one_second_to_a_week() {
    let with_expires = |v: &str| {
        let req = presigned_without("X-Amz-Expires");
        Req {
            query: format!("{}&X-Amz-Expires={v}", req.query),
            ..req
        }
    };
    assert_eq!(
        malformed(&with_expires("604801")),
        "X-Amz-Expires must be less than a week (in seconds) that is 604800"
    );
    assert_eq!(
        malformed(&with_expires("-1")),
        "X-Amz-Expires must be non-negative"
    );
    malformed(&with_expires("0"));
    malformed(&with_expires("ten"));
    assert_eq!(
        with_expires("604800").auth().expires(),
        Some(Duration::seconds(604_800))
    );
    let bad_date = Req {
        query: presigned_without("X-Amz-Date").query + "&X-Amz-Date=2024-11-20",
        ..presigned_without("")
    };
    assert!(malformed(&bad_date).starts_with("X-Amz-Date must be in the ISO8601 Long Format"));
}
