//! Replays the AWS SigV4 test suite (`tests/aws-sig-v4-test-suite/`, see its
//! README) against the verifier: each signed request is parsed, its canonical
//! request and string to sign must equal the suite's, and it must verify with
//! the suite's credentials at the suite's time.
//!
//! Cases with `"normalize": false` describe S3's path rule: they are checked
//! with S3's canonical URI and the body hash (they carry no
//! `x-amz-content-sha256`, so S3's full rules would refuse them first).
//!
//! Not replayed as a verification:
//! * `post-sts-header-after`, query form: the token was added to the URL after
//!   signing, but a server must include every query parameter but
//!   `X-Amz-Signature` (spec 07 §7.2); checked to fail.
//! * `double-encode-path` (old format): its signed request does not match its
//!   canonical request (other date, key `ANOTREAL`); only the canonical URI is
//!   compared.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::canonical::{canonical_request, canonical_uri, string_to_sign};
use crate::key::{sha256_hex, signature};
use crate::{RequestParts, ServiceKind, SigError, parse, signing_key, verify};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn suite_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/aws-sig-v4-test-suite")
        .join(case)
}

fn read(case: &str, file: &str) -> Option<String> {
    fs::read_to_string(suite_dir(case).join(file)).ok()
}

/// A request from a suite `.txt` file.
struct HttpRequest {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpRequest {
    /// Parses the suite's HTTP/1.1 text: request line (the ` HTTP/1.1` may be
    /// missing, the target may hold raw spaces and UTF-8), `Name:value` header
    /// lines, folded continuation lines kept with their line break, a blank
    /// line, the body.
    fn parse(text: &str) -> Self {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut lines = head.lines();
        let request_line = lines.next().unwrap();
        let (method, target) = request_line.split_once(' ').unwrap();
        let target = target.strip_suffix(" HTTP/1.1").unwrap_or(target);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                let last = headers.last_mut().unwrap();
                last.1.push('\n');
                last.1.push_str(line);
            } else {
                let (name, value) = line.split_once(':').unwrap();
                headers.push((name.to_owned(), value.trim_start().to_owned()));
            }
        }
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }
}

/// Checks one signed form (`header` or `query`) of a case.
fn check_form(case: &str, form: &str, ctx: &Value) {
    let Some(signed) = read(case, &format!("{form}-signed-request.txt")) else {
        return;
    };
    let req = HttpRequest::parse(&signed);
    let headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let body_hash = sha256_hex(&req.body);
    let parts = RequestParts {
        method: &req.method,
        raw_path: &req.path,
        raw_query: &req.query,
        headers: &headers,
        payload_hash: Some(&body_hash),
    };
    let auth = parse(&parts).unwrap().expect("the request is signed");
    let creds = &ctx["credentials"];
    let secret = creds["secret_access_key"].as_str().unwrap();
    assert_eq!(
        auth.access_key_id(),
        creds["access_key_id"].as_str().unwrap(),
        "{case} {form}"
    );
    assert_eq!(auth.region(), ctx["region"].as_str().unwrap());
    assert_eq!(auth.service(), ctx["service"].as_str().unwrap());
    assert_eq!(auth.is_presigned(), form == "query");
    let omit_token = ctx["omit_session_token"].as_bool().unwrap_or(false);
    if let (Some(token), false) = (creds["token"].as_str(), omit_token) {
        assert_eq!(auth.security_token(), Some(token), "{case} {form}");
    }
    let now = OffsetDateTime::parse(ctx["timestamp"].as_str().unwrap(), &Rfc3339).unwrap();
    let normalize = ctx["normalize"].as_bool().unwrap();
    let kind = if normalize {
        ServiceKind::Other
    } else {
        ServiceKind::S3
    };

    let expected_creq = read(case, &format!("{form}-canonical-request.txt")).unwrap();
    let expected_sts = read(case, &format!("{form}-string-to-sign.txt")).unwrap();
    let expected_sig = read(case, &format!("{form}-signature.txt")).unwrap();
    let creq = canonical_request(&parts, &auth, kind, &body_hash);
    let sts = string_to_sign(&auth, &creq);
    let key = signing_key(secret, auth.scope_date(), auth.region(), auth.service());

    if case == "post-sts-header-after" && form == "query" {
        // The token is in the URL but was not signed: must not verify.
        assert_ne!(creq, expected_creq);
        let result = verify(
            &auth,
            &parts,
            secret,
            ServiceKind::Other,
            now,
            Duration::minutes(15),
        );
        assert!(
            matches!(result, Err(SigError::SignatureMismatch { .. })),
            "{case} {form}: {result:?}"
        );
        return;
    }

    assert_eq!(creq, expected_creq, "{case} {form}: canonical request");
    assert_eq!(sts, expected_sts, "{case} {form}: string to sign");
    assert_eq!(
        signature(&key, &sts),
        expected_sig.trim(),
        "{case} {form}: signature"
    );
    assert_eq!(
        auth.signature(),
        expected_sig.trim(),
        "{case} {form}: signature in the request"
    );

    if normalize {
        let at = |t: OffsetDateTime| verify(&auth, &parts, secret, kind, t, Duration::minutes(15));
        assert_eq!(at(now), Ok(()), "{case} {form}");
        assert_eq!(at(now + Duration::minutes(14)), Ok(()), "{case} {form}");
        let wrong = verify(
            &auth,
            &parts,
            "wrong-secret",
            kind,
            now,
            Duration::minutes(15),
        );
        assert_eq!(
            wrong,
            Err(SigError::SignatureMismatch {
                canonical_request: expected_creq,
                string_to_sign: expected_sts
            }),
            "{case} {form}"
        );
    }
}

fn check_case(case: &str) {
    let ctx: Value = serde_json::from_str(&read(case, "context.json").unwrap()).unwrap();
    assert_eq!(
        ctx["credentials"]["secret_access_key"].as_str(),
        Some(SECRET)
    );
    check_form(case, "header", &ctx);
    check_form(case, "query", &ctx);
}

macro_rules! suite_cases {
    ($($name:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check_case($case);
            }
        )*

        #[test]
        fn every_v4_case_of_the_suite_is_replayed() {
            let mut on_disk: Vec<String> = fs::read_dir(suite_dir(""))
                .unwrap()
                .map(|e| e.unwrap())
                .filter(|e| e.path().join("context.json").exists())
                .map(|e| e.file_name().into_string().unwrap())
                .collect();
            on_disk.sort();
            let mut listed = vec![$($case.to_owned()),*];
            listed.sort();
            assert_eq!(on_disk, listed);
        }
    };
}

suite_cases! {
    get_header_key_duplicate => "get-header-key-duplicate",
    get_header_value_multiline => "get-header-value-multiline",
    get_header_value_order => "get-header-value-order",
    get_header_value_trim => "get-header-value-trim",
    get_relative_normalized => "get-relative-normalized",
    get_relative_relative_normalized => "get-relative-relative-normalized",
    get_relative_relative_unnormalized => "get-relative-relative-unnormalized",
    get_relative_unnormalized => "get-relative-unnormalized",
    get_slash_dot_slash_normalized => "get-slash-dot-slash-normalized",
    get_slash_dot_slash_unnormalized => "get-slash-dot-slash-unnormalized",
    get_slash_normalized => "get-slash-normalized",
    get_slash_pointless_dot_normalized => "get-slash-pointless-dot-normalized",
    get_slash_pointless_dot_unnormalized => "get-slash-pointless-dot-unnormalized",
    get_slash_unnormalized => "get-slash-unnormalized",
    get_slashes_normalized => "get-slashes-normalized",
    get_slashes_unnormalized => "get-slashes-unnormalized",
    get_space_normalized => "get-space-normalized",
    get_space_unnormalized => "get-space-unnormalized",
    get_unreserved => "get-unreserved",
    get_utf8 => "get-utf8",
    get_vanilla => "get-vanilla",
    get_vanilla_empty_query_key => "get-vanilla-empty-query-key",
    get_vanilla_query => "get-vanilla-query",
    get_vanilla_query_order_encoded => "get-vanilla-query-order-encoded",
    get_vanilla_query_order_key_case => "get-vanilla-query-order-key-case",
    get_vanilla_query_unreserved => "get-vanilla-query-unreserved",
    get_vanilla_utf8_query => "get-vanilla-utf8-query",
    get_vanilla_with_session_token => "get-vanilla-with-session-token",
    post_header_key_case => "post-header-key-case",
    post_header_key_sort => "post-header-key-sort",
    post_header_value_case => "post-header-value-case",
    post_sts_header_after => "post-sts-header-after",
    post_sts_header_before => "post-sts-header-before",
    post_vanilla => "post-vanilla",
    post_vanilla_empty_query_value => "post-vanilla-empty-query-value",
    post_vanilla_query => "post-vanilla-query",
    post_x_www_form_urlencoded => "post-x-www-form-urlencoded",
    post_x_www_form_urlencoded_parameters => "post-x-www-form-urlencoded-parameters",
}

/// Old-format case: a Lambda path with `%3A`, double-encoded to `%253A`.
#[test]
fn double_url_encode() {
    let case = "double-url-encode";
    let req = HttpRequest::parse(&read(case, "header-signed-request.txt").unwrap());
    let headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let body_hash = sha256_hex(&req.body);
    let parts = RequestParts {
        method: &req.method,
        raw_path: &req.path,
        raw_query: &req.query,
        headers: &headers,
        payload_hash: Some(&body_hash),
    };
    let auth = parse(&parts).unwrap().unwrap();
    let creq = canonical_request(&parts, &auth, ServiceKind::Other, &body_hash);
    assert_eq!(creq, read(case, "header-canonical-request.txt").unwrap());
    assert_eq!(
        string_to_sign(&auth, &creq),
        read(case, "header-string-to-sign.txt").unwrap().trim_end()
    );
    let now = auth.request_time();
    assert_eq!(
        verify(
            &auth,
            &parts,
            SECRET,
            ServiceKind::Other,
            now,
            Duration::minutes(15)
        ),
        Ok(())
    );
}

/// Old-format case: `@` and `%3D` in an API Gateway path (canonical URI only).
#[test]
fn double_encode_path() {
    let case = "double-encode-path";
    let req = HttpRequest::parse(&read(case, "header-signed-request.txt").unwrap());
    let expected = read(case, "header-canonical-request.txt").unwrap();
    let expected_uri = expected.lines().nth(1).unwrap();
    assert_eq!(canonical_uri(&req.path, ServiceKind::Other), expected_uri);
}
