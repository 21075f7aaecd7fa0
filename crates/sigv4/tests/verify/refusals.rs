//! Requests that parse but must not verify: clock, expiry, scope, S3 rules,
//! the body hash; and nothing secret in errors or `Debug`.

use rootward_sigv4::{ServiceKind, SigError};
use time::Duration;
use time::macros::datetime;

use crate::common::{
    Req, SESSION_SECRET, SESSION_TOKEN, SIGNED_AT, USER_SECRET, assume_root, fixture,
    presigned_without, sha256_hex,
};

const SIGNED_HEADERS: &str = "SignedHeaders=content-type;host;x-amz-date";
const SIGNATURE: &str =
    "Signature=f639cef5eac9d4678afc9cc30d2acf1ac971e5c414247c8e741f02e77b29f995";

fn with_authorization(value: &str) -> Req {
    assume_root().set_header("Authorization", value)
}

#[test]
fn presigned_url_before_its_date_is_not_yet_current() {
    let req = presigned_without("");
    assert_eq!(
        req.verify(
            SESSION_SECRET,
            ServiceKind::S3,
            datetime!(2024-11-20 11:44:59 UTC)
        ),
        Err(SigError::Skewed {
            message:
                "Signature not yet current: 20241120T120000Z is still later than 20241120T115959Z \
                      (20241120T114459Z + 15 min.)"
                    .into()
        })
    );
}

#[test]
fn presigned_url_expires() {
    let req = presigned_without("");
    assert_eq!(
        req.verify(
            SESSION_SECRET,
            ServiceKind::S3,
            SIGNED_AT + Duration::seconds(301)
        ),
        Err(SigError::PresignedExpired)
    );
}

#[test]
fn clock_skew_messages_match_aws() {
    let req = assume_root();
    assert_eq!(
        req.verify(
            USER_SECRET,
            ServiceKind::Other,
            datetime!(2024-11-20 12:15:01 UTC)
        ),
        Err(SigError::Skewed {
            message: "Signature expired: 20241120T120000Z is now earlier than 20241120T120001Z \
                      (20241120T121501Z - 15 min.)"
                .into()
        })
    );
    assert_eq!(
        req.verify(
            USER_SECRET,
            ServiceKind::Other,
            datetime!(2024-11-20 11:44:59 UTC)
        ),
        Err(SigError::Skewed {
            message:
                "Signature not yet current: 20241120T120000Z is still later than 20241120T115959Z \
                      (20241120T114459Z + 15 min.)"
                    .into()
        })
    );
    // The example of spec 07 §7.9.
    let earlier = assume_root().set_header("X-Amz-Date", "20241120T114000Z");
    let err = earlier
        .verify(USER_SECRET, ServiceKind::Other, SIGNED_AT)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Signature expired: 20241120T114000Z is now earlier than 20241120T114500Z (20241120T120000Z - 15 min.)"
    );
}

#[test]
fn scope_must_end_in_aws4_request_and_match_the_date() {
    let terminator = with_authorization(&format!(
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20241120/us-east-1/sts/aws4_requests, {SIGNED_HEADERS}, {SIGNATURE}"
    ));
    assert_eq!(
        terminator.verify(USER_SECRET, ServiceKind::Other, SIGNED_AT),
        Err(SigError::InvalidScope(
            "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'. ".into()
        ))
    );
    let date = with_authorization(&format!(
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20241119/us-east-1/sts/aws4_request, {SIGNED_HEADERS}, {SIGNATURE}"
    ));
    assert_eq!(
        date.verify(USER_SECRET, ServiceKind::Other, SIGNED_AT),
        Err(SigError::InvalidScope(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: \
             '20241119' != '20241120', from '20241120T120000Z'."
                .into()
        ))
    );
}

#[test]
fn scope_helper_compares_region_then_service() {
    let auth = assume_root().auth();
    assert_eq!(auth.check_scope("us-east-1", "sts"), Ok(()));
    let region = auth.check_scope("eu-west-1", "sts").unwrap_err();
    assert_eq!(
        region.to_string(),
        "Credential should be scoped to a valid region, not 'us-east-1'. "
    );
    assert_eq!(
        region,
        SigError::WrongRegion {
            given: "us-east-1".into(),
            expected: "eu-west-1".into()
        }
    );
    let service = auth.check_scope("us-east-1", "iam").unwrap_err();
    assert_eq!(
        service,
        SigError::WrongService {
            given: "sts".into(),
            expected: "iam".into()
        }
    );
}

fn delete_bucket_policy() -> Req {
    Req::from_http(&fixture("s3_delete_bucket_policy_session.http"))
}

#[test]
fn s3_hex_payload_hash_must_match_the_body() {
    let put = Req::from_http(&fixture("s3_put_bucket_policy_checksum_session.http"));
    let other_body = Req {
        payload_hash_override: Some(Some(sha256_hex(b"{}"))),
        ..put
    };
    assert_eq!(
        other_body.verify(SESSION_SECRET, ServiceKind::S3, SIGNED_AT),
        Err(SigError::ContentSha256Mismatch)
    );
}

#[test]
fn s3_unsigned_amz_headers_are_refused() {
    let req = delete_bucket_policy()
        .with_header("X-Amz-Acl", "private")
        .with_header("x-amz-meta-a", "1");
    assert_eq!(
        req.verify(SESSION_SECRET, ServiceKind::S3, SIGNED_AT),
        Err(SigError::HeadersNotSigned(vec![
            "x-amz-acl".into(),
            "x-amz-meta-a".into()
        ]))
    );
    // Other services do not have this rule: the extra header is just ignored.
    let sts = assume_root().with_header("X-Amz-User-Agent", "aws-cli");
    assert_eq!(
        sts.verify(USER_SECRET, ServiceKind::Other, SIGNED_AT),
        Ok(())
    );
}

#[test]
fn s3_header_signed_requests_need_content_sha256() {
    let req = delete_bucket_policy().without_header("X-Amz-Content-SHA256");
    assert_eq!(
        req.verify(SESSION_SECRET, ServiceKind::S3, SIGNED_AT),
        Err(SigError::MissingContentSha256)
    );
    let bad = delete_bucket_policy().set_header("X-Amz-Content-SHA256", "abc");
    assert_eq!(
        bad.verify(SESSION_SECRET, ServiceKind::S3, SIGNED_AT),
        Err(SigError::InvalidContentSha256("abc".into()))
    );
}

#[test]
fn s3_payload_markers_enter_the_canonical_request() {
    for marker in [
        "UNSIGNED-PAYLOAD",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    ] {
        let req = delete_bucket_policy().set_header("X-Amz-Content-SHA256", marker);
        match req.verify(SESSION_SECRET, ServiceKind::S3, SIGNED_AT) {
            Err(SigError::SignatureMismatch {
                canonical_request, ..
            }) => {
                assert!(canonical_request.ends_with(&format!(
                    "\nhost;x-amz-content-sha256;x-amz-date;x-amz-security-token\n{marker}"
                )));
            }
            other => panic!("{marker}: {other:?}"),
        }
    }
}

#[test]
fn non_s3_needs_the_body_hash() {
    let req = Req {
        payload_hash_override: Some(None),
        ..assume_root()
    };
    assert_eq!(
        req.verify(USER_SECRET, ServiceKind::Other, SIGNED_AT),
        Err(SigError::PayloadHashRequired)
    );
}

#[test]
fn secrets_stay_out_of_errors_and_debug() {
    let req = Req::from_http(&fixture("sts_get_caller_identity_session.http"));
    let auth = req.auth();
    assert!(!format!("{auth:?}").contains(SESSION_TOKEN));
    let err = req
        .verify(USER_SECRET, ServiceKind::Other, SIGNED_AT)
        .unwrap_err();
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(
            !text.contains(USER_SECRET) && !text.contains(SESSION_SECRET),
            "{text}"
        );
    }
}
