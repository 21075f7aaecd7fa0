//! Spec 07 §7.11: every vector verifies with the right secret at the right
//! time, and fails with a wrong secret or a tampered request. The canonical
//! request and string to sign are read from the mismatch error.

use rootward_sigv4::{ServiceKind, SigError, signing_key, verify_with_signing_key};
use time::Duration;
use time::macros::datetime;

use crate::common::{
    DOC_SECRET, Req, SESSION_SECRET, SESSION_TOKEN, SIGNED_AT, SKEW, USER_SECRET, fixture,
    secret_for, sha256_hex,
};

/// Verifying with a wrong secret must fail with the canonical request and
/// string to sign of the fixtures.
fn assert_rebuilds(
    req: &Req,
    kind: ServiceKind,
    now: time::OffsetDateTime,
    creq: &str,
    sts: Option<&str>,
) {
    match req.verify("not-the-secret", kind, now) {
        Err(SigError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        }) => {
            assert_eq!(canonical_request, creq);
            if let Some(sts) = sts {
                assert_eq!(string_to_sign, sts);
            }
        }
        other => panic!("expected a signature mismatch, got {other:?}"),
    }
}

fn assert_mismatch(req: &Req, secret: &str, kind: ServiceKind, what: &str) {
    let result = req.verify(secret, kind, SIGNED_AT);
    assert!(
        matches!(result, Err(SigError::SignatureMismatch { .. })),
        "{what}: {result:?}"
    );
}

#[test]
fn signing_key_matches_documentation_vector() {
    // §7.11.1
    let key = signing_key(DOC_SECRET, "20150830", "us-east-1", "iam");
    assert_eq!(
        hex::encode(key),
        "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
    );
    // §7.11.4 AssumeRoot
    let key = signing_key(USER_SECRET, "20241120", "us-east-1", "sts");
    assert_eq!(
        hex::encode(key),
        "02bf16baecedf7ef158cf6272f03a63bfdd51d6f4d883e2947a779476f8ae82f"
    );
}

#[test]
fn iam_list_users_get_verifies() {
    // §7.11.2
    let req = Req::from_url(
        "GET",
        "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
    )
    .with_header(
        "Content-Type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )
    .with_header("X-Amz-Date", "20150830T123600Z")
    .with_header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
    let now = datetime!(2015-08-30 12:36:00 UTC);
    assert_eq!(req.verify(DOC_SECRET, ServiceKind::Other, now), Ok(()));
    let sts = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n\
               f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";
    assert_rebuilds(
        &req,
        ServiceKind::Other,
        now,
        &fixture("iam_list_users_get.creq"),
        Some(sts),
    );
    let tampered = Req {
        query: "Action=ListUsers&Version=2010-05-09".into(),
        ..req
    };
    let result = tampered.verify(DOC_SECRET, ServiceKind::Other, now);
    assert!(
        matches!(result, Err(SigError::SignatureMismatch { .. })),
        "{result:?}"
    );
}

fn s3_presigned_get_object() -> Req {
    Req::from_url(
        "GET",
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    )
}

#[test]
fn s3_presigned_get_object_verifies_until_it_expires() {
    // §7.11.3
    let req = s3_presigned_get_object();
    let signed = datetime!(2013-05-24 00:00:00 UTC);
    let auth = req.auth();
    assert!(auth.is_presigned());
    assert_eq!(auth.expires(), Some(Duration::seconds(86_400)));
    for now in [
        signed,
        signed + Duration::hours(23),
        signed + Duration::seconds(86_400),
        signed - Duration::minutes(15),
    ] {
        assert_eq!(
            req.verify(USER_SECRET, ServiceKind::S3, now),
            Ok(()),
            "{now}"
        );
    }
    assert_eq!(
        req.verify(
            USER_SECRET,
            ServiceKind::S3,
            signed + Duration::seconds(86_401)
        ),
        Err(SigError::PresignedExpired)
    );
    assert_rebuilds(
        &req,
        ServiceKind::S3,
        signed,
        &fixture("s3_presigned_get_object.creq"),
        None,
    );
    let tampered = Req {
        path: "/test2.txt".into(),
        ..req
    };
    let result = tampered.verify(USER_SECRET, ServiceKind::S3, signed);
    assert!(
        matches!(result, Err(SigError::SignatureMismatch { .. })),
        "{result:?}"
    );
}

/// One §7.11.4 request: verifies; rebuilds the spec's canonical request and
/// string to sign; fails when a signed part changes.
fn check_header_vector(name: &str, kind: ServiceKind) -> Req {
    let req = Req::from_http(&fixture(&format!("{name}.http")));
    let auth = req.auth();
    assert!(!auth.is_presigned());
    assert_eq!(auth.request_time(), SIGNED_AT);
    assert_eq!(auth.amz_date(), "20241120T120000Z");
    assert_eq!(auth.region(), "us-east-1");
    assert_eq!(ServiceKind::of(auth.service()), kind);
    let secret = secret_for(auth.access_key_id());
    if auth.access_key_id().starts_with("ASIA") {
        assert_eq!(auth.security_token(), Some(SESSION_TOKEN));
    } else {
        assert_eq!(auth.security_token(), None);
    }

    assert_eq!(req.verify(secret, kind, SIGNED_AT), Ok(()), "{name}");
    for now in [SIGNED_AT - SKEW, SIGNED_AT + SKEW] {
        assert_eq!(req.verify(secret, kind, now), Ok(()), "{name} at {now}");
    }
    let sts = fixture(&format!("{name}.sts"));
    assert_rebuilds(
        &req,
        kind,
        SIGNED_AT,
        &fixture(&format!("{name}.creq")),
        Some(&sts),
    );

    // The cached-key path gives the same answers.
    req.with_parts(|parts| {
        let key = signing_key(secret, auth.scope_date(), auth.region(), auth.service());
        assert_eq!(
            verify_with_signing_key(&auth, parts, &key, kind, SIGNED_AT, SKEW),
            Ok(())
        );
        let other_day = signing_key(secret, "20241119", auth.region(), auth.service());
        let result = verify_with_signing_key(&auth, parts, &other_day, kind, SIGNED_AT, SKEW);
        assert!(
            matches!(result, Err(SigError::SignatureMismatch { .. })),
            "{name}: {result:?}"
        );
    });

    let other_secret = if secret == SESSION_SECRET {
        USER_SECRET
    } else {
        SESSION_SECRET
    };
    assert_mismatch(&req, other_secret, kind, "wrong secret");
    assert_mismatch(
        &req.clone().set_header("Host", "evil.example.com"),
        secret,
        kind,
        "host",
    );
    assert_mismatch(
        &Req {
            method: "PATCH".into(),
            ..req.clone()
        },
        secret,
        kind,
        "method",
    );
    let extra = if req.query.is_empty() {
        "extra=1".to_owned()
    } else {
        format!("{}&extra=1", req.query)
    };
    assert_mismatch(
        &Req {
            query: extra,
            ..req.clone()
        },
        secret,
        kind,
        "query",
    );
    assert_mismatch(
        &Req {
            path: "/other".into(),
            ..req.clone()
        },
        secret,
        kind,
        "path",
    );
    req
}

/// Non-S3: the body is covered through its hash.
fn check_body_is_signed(req: &Req) {
    let secret = secret_for(req.auth().access_key_id());
    let mut tampered = req.clone();
    tampered.body.extend_from_slice(b" ");
    assert_mismatch(&tampered, secret, ServiceKind::Other, "body");
}

/// S3: a changed body no longer matches the signed `x-amz-content-sha256`.
fn check_body_matches_content_sha256(req: &Req) {
    let secret = secret_for(req.auth().access_key_id());
    let mut tampered = req.clone();
    tampered.body.extend_from_slice(b"x");
    assert_eq!(
        tampered.verify(secret, ServiceKind::S3, SIGNED_AT),
        Err(SigError::ContentSha256Mismatch)
    );
    // Without the body's hash (not read yet), the declared hash is trusted.
    let unread = Req {
        payload_hash_override: Some(None),
        ..tampered
    };
    assert_eq!(unread.verify(secret, ServiceKind::S3, SIGNED_AT), Ok(()));
}

#[test]
fn sts_assume_root_verifies() {
    let req = check_header_vector("sts_assume_root", ServiceKind::Other);
    check_body_is_signed(&req);
    let req = req.set_header("Content-Type", "application/json");
    assert_mismatch(&req, USER_SECRET, ServiceKind::Other, "content-type");
}

#[test]
fn sts_get_caller_identity_with_token_verifies() {
    let req = check_header_vector("sts_get_caller_identity_session", ServiceKind::Other);
    check_body_is_signed(&req);
    let req = req.set_header("X-Amz-Security-Token", "IQoJb3JpZ2luX2VjOTHERTOKEN");
    assert_mismatch(&req, SESSION_SECRET, ServiceKind::Other, "token");
}

#[test]
fn iam_get_login_profile_in_session_verifies() {
    let req = check_header_vector("iam_get_login_profile_session", ServiceKind::Other);
    check_body_is_signed(&req);
}

#[test]
fn organizations_enable_aws_service_access_verifies() {
    let req = check_header_vector(
        "organizations_enable_aws_service_access",
        ServiceKind::Other,
    );
    check_body_is_signed(&req);
    let req = req.set_header(
        "X-Amz-Target",
        "AWSOrganizationsV20161128.DisableAWSServiceAccess",
    );
    assert_mismatch(&req, USER_SECRET, ServiceKind::Other, "target");
}

#[test]
fn s3_delete_bucket_policy_verifies() {
    let req = check_header_vector("s3_delete_bucket_policy_session", ServiceKind::S3);
    check_body_matches_content_sha256(&req);
}

#[test]
fn s3_put_bucket_policy_with_checksum_headers_verifies() {
    let req = check_header_vector("s3_put_bucket_policy_checksum_session", ServiceKind::S3);
    check_body_matches_content_sha256(&req);
    assert_eq!(
        sha256_hex(&req.body),
        "8f907b489532ad56fb7c52f3acc89b27680ed51296bf03984ce78d2b7b96076a"
    );
    let req = req.set_header("x-amz-checksum-crc32", "AAAAAA==");
    assert_mismatch(&req, SESSION_SECRET, ServiceKind::S3, "checksum");
}

#[test]
fn sqs_set_queue_attributes_verifies() {
    let req = check_header_vector("sqs_set_queue_attributes_session", ServiceKind::Other);
    check_body_is_signed(&req);
    let req = req.set_header("x-amzn-query-mode", "false");
    assert_mismatch(&req, SESSION_SECRET, ServiceKind::Other, "query mode");
}

#[test]
fn s3_presigned_get_bucket_policy_with_token_verifies() {
    // §7.11.5, 300 s
    let req = Req::from_url(
        "GET",
        &fixture("s3_presigned_get_bucket_policy_session.url"),
    );
    let auth = req.auth();
    assert!(auth.is_presigned());
    assert_eq!(auth.security_token(), Some(SESSION_TOKEN));
    assert_eq!(auth.expires(), Some(Duration::seconds(300)));
    for now in [SIGNED_AT, SIGNED_AT + Duration::seconds(300)] {
        assert_eq!(
            req.verify(SESSION_SECRET, ServiceKind::S3, now),
            Ok(()),
            "{now}"
        );
    }
    assert_eq!(
        req.verify(
            SESSION_SECRET,
            ServiceKind::S3,
            SIGNED_AT + Duration::seconds(301)
        ),
        Err(SigError::PresignedExpired)
    );
    let creq = fixture("s3_presigned_get_bucket_policy_session.creq");
    assert_rebuilds(&req, ServiceKind::S3, SIGNED_AT, &creq, None);
    let other_token = Req {
        query: req
            .query
            .replace(SESSION_TOKEN, "IQoJb3JpZ2luX2VjOTHERTOKEN"),
        ..req.clone()
    };
    assert_mismatch(&other_token, SESSION_SECRET, ServiceKind::S3, "token");
    assert_mismatch(
        &Req {
            method: "DELETE".into(),
            ..req
        },
        SESSION_SECRET,
        ServiceKind::S3,
        "method",
    );
}

#[test]
fn sts_presigned_get_caller_identity_with_token_verifies() {
    // §7.11.5, 60 s, presigned for POST with the empty body's hash
    let req = Req::from_url(
        "POST",
        &fixture("sts_presigned_get_caller_identity_session.url"),
    );
    assert_eq!(req.auth().security_token(), Some(SESSION_TOKEN));
    assert_eq!(
        req.verify(
            SESSION_SECRET,
            ServiceKind::Other,
            SIGNED_AT + Duration::seconds(60)
        ),
        Ok(())
    );
    assert_eq!(
        req.verify(
            SESSION_SECRET,
            ServiceKind::Other,
            SIGNED_AT + Duration::seconds(61)
        ),
        Err(SigError::PresignedExpired)
    );
    let creq = fixture("sts_presigned_get_caller_identity_session.creq");
    assert_rebuilds(&req, ServiceKind::Other, SIGNED_AT, &creq, None);
    assert_mismatch(
        &Req {
            method: "GET".into(),
            ..req.clone()
        },
        SESSION_SECRET,
        ServiceKind::Other,
        "method",
    );
    let with_body = Req {
        body: b"Action=AssumeRoot".to_vec(),
        ..req
    };
    assert_mismatch(&with_body, SESSION_SECRET, ServiceKind::Other, "body");
}
