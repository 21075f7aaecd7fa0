//! Amazon S3 over REST-XML (spec 04 §4.1, spec 08 §8.5): the operation is
//! chosen by the generated router ([`router`]: method, bucket, key,
//! sub-resource query, headers) and served by the one handler table
//! ([`handler`]); the domain is `rootward_core::s3`.
//!
//! Handlers by resource, as garage's `api/s3`: [`bucket`], [`object`],
//! [`list`], [`multipart`], [`config`] (bucket configuration); wire
//! plumbing in [`wire`], the strict reader of request documents in
//! [`documents`], the documents themselves as serde structs in [`xml`]; the
//! trail event of every call is built by [`crate::trail::record`].

mod bucket;
mod config;
pub mod documents;
pub mod error;
mod list;
mod multipart;
mod object;
mod router;
pub mod wire;
pub mod xml;

pub use router::route_guess;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{Method, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rootward_core::Service;
use rootward_core::clock::iso8601;
use rootward_core::s3::checksum::{Algorithm, Checksum, ChecksumType};
use rootward_core::s3::{self, Deleted, ListRequest, model::Object};
use rootward_core::trail::event::CallResource;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::auth::Authenticated;
use crate::error::ApiError;
use rootward_model::s3::Operation;
use wire::{S3Fail, header, response, set_header};

use bucket::*;
use list::*;
use multipart::*;
use object::*;

/// How S3 answers input that breaks the model's constraints.
pub fn invalid(e: &rootward_model::ValidationErrors) -> ApiError {
    ApiError::new("InvalidArgument", 400, e.to_string())
}

/// Room for the aws-chunked framing above the largest object.
const FRAMING_ALLOWANCE: usize = 1024 * 1024;

/// The largest S3 request body read.
pub fn body_limit(svc: &Service) -> usize {
    svc.s3_max_object_size().saturating_add(FRAMING_ALLOWANCE)
}

/// The request, decoded.
struct Req<'a> {
    svc: &'a Service,
    authn: &'a Authenticated,
    parts: &'a Parts,
    query: Vec<(String, String)>,
    bucket: Option<String>,
    key: Option<String>,
    request_id: &'a str,
}

impl Req<'_> {
    fn has(&self, name: &str) -> bool {
        self.query.iter().any(|(k, _)| k == name)
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn bucket(&self) -> Result<&str, S3Fail> {
        self.bucket
            .as_deref()
            .ok_or_else(|| S3Fail::new("InvalidRequest", 400, "A bucket name is required"))
    }

    fn key(&self) -> Result<&str, S3Fail> {
        self.key
            .as_deref()
            .ok_or_else(|| S3Fail::new("InvalidRequest", 400, "A key is required"))
    }

    fn empty(&self, status: u16) -> Response<Body> {
        response(status, self.request_id, Body::empty())
    }
}

/// Bucket configuration sub-resources served (on the bucket only; on an
/// object they stay unsupported).
const BUCKET_CONFIG: &[&str] = &[
    "versioning",
    "logging",
    "encryption",
    "acl",
    "tagging",
    "website",
    "publicAccessBlock",
    "ownershipControls",
];

/// Sub-resources this endpoint does not implement.
const UNSUPPORTED: &[&str] = &[
    "acl",
    "versioning",
    "versions",
    "versionId",
    "tagging",
    "lifecycle",
    "cors",
    "website",
    "logging",
    "notification",
    "replication",
    "encryption",
    "object-lock",
    "retention",
    "legal-hold",
    "ownershipControls",
    "publicAccessBlock",
    "accelerate",
    "requestPayment",
    "inventory",
    "metrics",
    "analytics",
    "intelligent-tiering",
    "restore",
    "select",
    "torrent",
    "attributes",
];

/// Serves one authenticated S3 request.
pub fn handle(
    svc: &Service,
    authn: &Authenticated,
    parts: &Parts,
    body: &[u8],
    request_id: &str,
    routed: Option<rootward_model::s3::Operation>,
) -> Response<Body> {
    let head = parts.method == Method::HEAD;
    let resource = parts.uri.path().to_owned();
    let (bucket, key) = match wire::address(parts) {
        Ok(a) => a,
        Err(e) => return wire::error_response(&e, Some(&resource), request_id, head),
    };
    let query = match wire::query(parts) {
        Ok(q) => q,
        Err(e) => return wire::error_response(&e, Some(&resource), request_id, head),
    };
    let req = Req {
        svc,
        authn,
        parts,
        query,
        bucket,
        key,
        request_id,
    };
    // Routed already (before authentication, [`router::route_guess`]), or
    // resolved here: the same request gives the same route.
    let op = routed.or_else(|| {
        router::Routable::with(parts, req.bucket.as_deref(), req.key.as_deref())
            .and_then(|r| r.operation())
    });
    if let Some(op) = op {
        crate::request_log::operation(op.name());
    }
    let unit = svc.begin();
    let (outcome, response) = match route(&req, op, body) {
        Ok(out) => (Ok(out.body), out.response_elements),
        Err(e) => (Err(e), None),
    };
    let finished = crate::trail::record(
        svc,
        unit,
        crate::trail::Finished {
            api: crate::services::Api::S3,
            op: op.map(crate::services::Op::S3),
            caller: &authn.caller,
            global_endpoint: authn.global_endpoint,
            facts: crate::trail::CallFacts {
                request: request_parameters(&req),
                response,
                resources: resources(&req, op),
                shared_with: None,
            },
            error: outcome
                .as_ref()
                .err()
                .map(|f| (f.code.as_str(), f.message.as_str())),
            request_id,
            host: header(parts, "host"),
        },
    );
    if let Err(e) = finished {
        tracing::error!(error = %e, "S3 call not committed");
        let fail = S3Fail::new(
            "InternalError",
            500,
            "We encountered an internal error. Please try again.",
        );
        return wire::error_response(&fail, Some(&resource), request_id, head);
    }
    match outcome {
        Ok(r) => r,
        Err(e) => wire::error_response(&e, Some(&resource), request_id, head),
    }
}

type Handler = fn(&Req<'_>, &[u8]) -> Result<Response<Body>, S3Fail>;

/// The handler of each S3 operation this endpoint serves (`None`: not
/// served, answered `NotImplemented`; the operation tables mark exactly
/// these as implemented). `PutBucketAcl` stays unserved: buckets here
/// carry no ACL grants.
fn handler(op: Operation) -> Option<Handler> {
    use Operation::*;
    Some(match op {
        ListBuckets => |r, _| list_buckets(r),
        CreateBucket => create_bucket,
        HeadBucket => |r, _| head_bucket(r),
        GetBucketLocation => |r, _| get_bucket_location(r),
        DeleteBucket => |r, _| delete_bucket(r),
        GetBucketPolicy => |r, _| get_bucket_policy(r),
        PutBucketPolicy => put_bucket_policy,
        DeleteBucketPolicy => |r, _| delete_bucket_policy(r),
        GetBucketPolicyStatus => |r, _| get_bucket_policy_status(r),
        ListObjects => |r, _| list_objects(r, false),
        ListObjectsV2 => |r, _| list_objects(r, true),
        DeleteObjects => delete_objects,
        PutObject => put_object,
        CopyObject => |r, _| copy_object(r),
        GetObject => |r, _| get_object(r, false),
        HeadObject => |r, _| get_object(r, true),
        DeleteObject => |r, _| delete_object(r),
        CreateMultipartUpload => |r, _| create_multipart_upload(r),
        UploadPart => upload_part,
        CompleteMultipartUpload => complete_multipart_upload,
        AbortMultipartUpload => |r, _| abort_multipart_upload(r),
        GetBucketVersioning => |r, _| config::get_versioning(r),
        PutBucketVersioning => config::put_versioning,
        GetBucketLogging => |r, _| config::get_logging(r),
        PutBucketLogging => config::put_logging,
        GetBucketEncryption => |r, _| config::get_encryption(r),
        PutBucketEncryption => config::put_encryption,
        DeleteBucketEncryption => |r, _| config::delete_encryption(r),
        GetBucketAcl => |r, _| config::get_acl(r),
        GetBucketTagging => |r, _| config::get_tagging(r),
        PutBucketTagging => config::put_tagging,
        DeleteBucketTagging => |r, _| config::delete_tagging(r),
        GetBucketWebsite => |r, _| config::get_website(r),
        PutBucketWebsite => config::put_website,
        DeleteBucketWebsite => |r, _| config::delete_website(r),
        GetPublicAccessBlock => |r, _| config::get_public_access_block(r),
        PutPublicAccessBlock => config::put_public_access_block,
        DeletePublicAccessBlock => |r, _| config::delete_public_access_block(r),
        GetBucketOwnershipControls => |r, _| config::get_ownership_controls(r),
        PutBucketOwnershipControls => config::put_ownership_controls,
        DeleteBucketOwnershipControls => |r, _| config::delete_ownership_controls(r),
        _ => return None,
    })
}

/// CloudTrail's `requestParameters` of an S3 call (spec 04 §4.3.3 shows
/// the shape): `bucketName`, the `Host` header, and the bucket
/// sub-resources the query names, each as an empty string.
fn request_parameters(req: &Req<'_>) -> serde_json::Value {
    let mut request = serde_json::Map::new();
    if let Some(b) = &req.bucket {
        request.insert("bucketName".into(), b.clone().into());
    }
    if let Some(h) = header(req.parts, "host") {
        request.insert("Host".into(), h.into());
    }
    for q in ["policy", "policyStatus", "location"]
        .iter()
        .chain(BUCKET_CONFIG)
    {
        if req.has(q) {
            request.insert((*q).into(), "".into());
        }
    }
    serde_json::Value::Object(request)
}

/// The `resources` of an S3 call: its operation's resource rules over the
/// bucket addressed (S3's rules for an operation the table has no row for:
/// its bucket all the same). A bucket ARN names no account: the record
/// gives the bucket owner's (the caller's when there is no such bucket).
fn resources(req: &Req<'_>, op: Option<Operation>) -> Vec<CallResource> {
    let rules = op
        .and_then(|o| o.info().facts)
        .map_or(rootward_model::s3::RESOURCES, |f| f.resources);
    let account = &req.authn.caller.account;
    let owner = req
        .bucket
        .as_deref()
        .and_then(|b| req.svc.read().s3.buckets.get(b).map(|b| b.owner.clone()));
    let mut out: Vec<CallResource> = rules
        .iter()
        .filter_map(|r| {
            let value = r.render(account, |m| match m {
                "Bucket" => req.bucket.as_deref(),
                _ => None,
            })?;
            Some(CallResource {
                owner: owner.clone(),
                ..CallResource::new(r.kind, value)
            })
        })
        .collect();
    out.sort();
    out
}

/// Serves the operation the generated router chose (`None`: no operation
/// of S3 takes this method on this resource).
fn route(
    req: &Req<'_>,
    op: Option<Operation>,
    body: &[u8],
) -> Result<crate::services::Output<Response<Body>>, S3Fail> {
    let config = req.key.is_none() && BUCKET_CONFIG.iter().any(|s| req.has(s));
    if !config && UNSUPPORTED.iter().any(|s| req.has(s)) {
        return Err(wire::not_implemented());
    }
    if let (Some(expected), Some(bucket)) = (
        header(req.parts, "x-amz-expected-bucket-owner"),
        req.bucket.as_deref(),
    ) {
        let owner = req
            .svc
            .read()
            .s3
            .buckets
            .get(bucket)
            .map(|b| b.owner.clone());
        if owner.is_some_and(|o| o != expected.trim()) {
            return Err(S3Fail::new("AccessDenied", 403, "Access Denied"));
        }
    }
    let Some(op) = op else {
        if req.parts.method == Method::POST && req.bucket.is_some() && req.key.is_none() {
            return Err(bucket_post(req));
        }
        let resource_type = match (&req.bucket, &req.key) {
            (None, _) => "SERVICE",
            (Some(_), None) => "BUCKET",
            (Some(_), Some(_)) => "OBJECT",
        };
        return Err(method_not_allowed(&req.parts.method, resource_type));
    };
    match handler(op) {
        // No S3 handler gives response elements yet (S3's events record
        // none; spec 04 §4.3.3).
        Some(h) => h(req, body).map(crate::services::Output::from),
        None => Err(wire::not_implemented()),
    }
}

/// A `POST` on a bucket that names no bucket operation (`?delete` is
/// DeleteObjects): S3 reads it as PostObject, the browser-form upload,
/// whatever else the query names (`?uploads` included: CreateMultipartUpload
/// takes a key). A body that is not a form is `412 PreconditionFailed`
/// with S3's `<Condition>`, as S3 answers it (seen in clients' reports and
/// S3-compatible stores' tests; the model does not describe PostObject);
/// a form upload is not served here. A `POST` on an object or the service
/// that names no operation stays `405 MethodNotAllowed`, as S3 answers.
fn bucket_post(req: &Req<'_>) -> S3Fail {
    let form = header(req.parts, "content-type").is_some_and(|t| {
        t.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("multipart/form-data"))
    });
    if form {
        return wire::not_implemented();
    }
    let mut f = S3Fail::new(
        "PreconditionFailed",
        412,
        "At least one of the pre-conditions you specified did not hold",
    );
    f.details = vec![(
        "Condition".to_owned(),
        "Bucket POST must be of the enclosure-type multipart/form-data".to_owned(),
    )];
    f
}

fn method_not_allowed(m: &Method, resource_type: &str) -> S3Fail {
    let mut f = S3Fail::new(
        "MethodNotAllowed",
        405,
        "The specified method is not allowed against this resource.",
    );
    f.details = vec![
        ("Method".to_owned(), m.as_str().to_owned()),
        ("ResourceType".to_owned(), resource_type.to_owned()),
    ];
    f
}

/// The account's 64-hex canonical user id.
fn canonical_id(account: &str) -> String {
    hex::encode(Sha256::digest(format!("rootward-canonical-user/{account}")))
}

/// `2024-01-01T00:00:00.000Z`.
fn timestamp(t: OffsetDateTime) -> String {
    let s = iso8601(t);
    match s.strip_suffix('Z') {
        Some(base) => format!("{base}.000Z"),
        None => s,
    }
}

/// `Wed, 20 Nov 2024 12:00:00 GMT`.
fn http_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        days.get(usize::from(t.weekday().number_days_from_monday()))
            .unwrap_or(&"Mon"),
        t.day(),
        months
            .get(usize::from(u8::from(t.month())).saturating_sub(1))
            .unwrap_or(&"Jan"),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(range(Some("bytes=0-4"), 10).unwrap(), Some((0, 4)));
        assert_eq!(range(Some("bytes=5-"), 10).unwrap(), Some((5, 9)));
        assert_eq!(range(Some("bytes=-3"), 10).unwrap(), Some((7, 9)));
        assert_eq!(range(Some("bytes=8-100"), 10).unwrap(), Some((8, 9)));
        assert!(range(Some("bytes=10-"), 10).is_err());
        assert_eq!(range(None, 10).unwrap(), None);
        assert_eq!(range(Some("bytes=x"), 10).unwrap(), None);
    }

    #[test]
    fn http_dates() {
        let t = time::macros::datetime!(2024-11-20 12:00:00 UTC);
        assert_eq!(http_date(t), "Wed, 20 Nov 2024 12:00:00 GMT");
        assert_eq!(timestamp(t), "2024-11-20T12:00:00.000Z");
    }

    #[test]
    fn exactly_the_operations_marked_implemented_have_a_handler() {
        for op in Operation::ALL {
            assert_eq!(
                handler(*op).is_some(),
                op.info().implemented(),
                "{}",
                op.name()
            );
        }
    }
}
