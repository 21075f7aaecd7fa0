//! Amazon S3 over REST-XML (spec 04 §4.1, spec 08 §8.5): the operation is
//! chosen by the generated router ([`router`]: method, bucket, key,
//! sub-resource query, headers) and served by the one handler table
//! ([`handler`]); the domain is `rootward_core::s3`.
//!
//! Over 600 lines for now: the bucket, object, list and multipart handlers
//! still live here and are to move to their own files as garage's `api/s3`
//! splits them (issue 13, "files by concern").

mod config;
pub mod documents;
mod router;
pub mod wire;

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
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::protocol::xml::Xml;
use rootward_model::s3::Operation;
use wire::{NS, S3Fail, header, response, set_header, xml_ok};

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
) -> Response<Body> {
    let head = parts.method == Method::HEAD;
    let resource = parts.uri.path().to_owned();
    let (bucket, key) = match wire::address(parts) {
        Ok(a) => a,
        Err(e) => return wire::error_response(&e, Some(&resource), request_id, head),
    };
    let req = Req {
        svc,
        authn,
        parts,
        query: form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        bucket,
        key,
        request_id,
    };
    let op = router::Routable::with(parts, req.bucket.as_deref(), req.key.as_deref()).operation();
    if let Some(op) = op {
        crate::request_log::operation(op.name());
    }
    let unit = svc.begin();
    let outcome = route(&req, op, body);
    if let Err(e) = trail(&req, op, unit, outcome.as_ref().err()) {
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

/// Ends the call's unit: commits its changes with the event of a
/// bucket-level call (object calls are data events, which the event history
/// does not keep; spec 04 §4.3.3 shows the shape).
fn trail(
    req: &Req<'_>,
    op: Option<Operation>,
    unit: rootward_core::service::Unit<'_>,
    failure: Option<&S3Fail>,
) -> Result<(), rootward_core::CoreError> {
    let Some(op) = op else {
        return req.svc.finish(unit, None);
    };
    let facts = op.info().facts;
    let host = header(req.parts, "host");
    let mut request = serde_json::Map::new();
    let mut resources = Vec::new();
    if let Some(b) = &req.bucket {
        request.insert("bucketName".into(), b.clone().into());
        resources.push(("AWS::S3::Bucket".to_owned(), format!("arn:aws:s3:::{b}")));
    }
    if let Some(h) = host {
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
    req.svc.finish(
        unit,
        Some(&rootward_core::trail::event::Call {
            caller: &req.authn.caller,
            service: "s3",
            operation: op.name(),
            global: false,
            read_only: facts.is_some_and(|f| f.read_only),
            data_event: facts.is_some_and(|f| f.data_event),
            request: serde_json::Value::Object(request),
            response: None,
            error: failure.map(|f| (f.code.as_str(), f.message.as_str())),
            request_id: req.request_id,
            resources,
            host,
        }),
    )
}

/// Serves the operation the generated router chose (`None`: no operation
/// of S3 takes this method on this resource).
fn route(req: &Req<'_>, op: Option<Operation>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
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
        let resource_type = match (&req.bucket, &req.key) {
            (None, _) => "SERVICE",
            (Some(_), None) => "BUCKET",
            (Some(_), Some(_)) => "OBJECT",
        };
        return Err(method_not_allowed(&req.parts.method, resource_type));
    };
    match handler(op) {
        Some(h) => h(req, body),
        None => Err(wire::not_implemented()),
    }
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

fn list_buckets(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let caller = &req.authn.caller;
    let buckets = s3::list_buckets(req.svc, caller)?;
    let mut x = Xml::new();
    x.open_ns("ListAllMyBucketsResult", NS)
        .open("Owner")
        .elem("ID", &canonical_id(&caller.account))
        .close("Owner")
        .open("Buckets");
    for b in &buckets {
        x.open("Bucket")
            .elem("Name", &b.name)
            .elem("CreationDate", &timestamp(b.created))
            .elem("BucketRegion", &b.region)
            .close("Bucket");
    }
    x.close("Buckets").close("ListAllMyBucketsResult");
    Ok(xml_ok(req.request_id, x))
}

fn create_bucket(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let name = req.bucket()?;
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    // The configuration is optional: an empty body is a bucket in us-east-1.
    let location = if data.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        documents::create_bucket_configuration(&data)?
    };
    let ownership = match header(req.parts, "x-amz-object-ownership") {
        None => None,
        Some(o) => Some(s3::config::ObjectOwnership::from_name(o).ok_or_else(|| {
            S3Fail::new(
                "InvalidArgument",
                400,
                format!("Invalid x-amz-object-ownership header: {o}"),
            )
        })?),
    };
    s3::create_bucket_with(
        req.svc,
        &req.authn.caller,
        name,
        location.as_deref(),
        ownership,
    )?;
    let mut r = req.empty(200);
    set_header(&mut r, "location", &format!("/{name}"));
    set_header(&mut r, "x-amz-bucket-arn", &format!("arn:aws:s3:::{name}"));
    Ok(r)
}

fn head_bucket(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let b = s3::head_bucket(req.svc, &req.authn.caller, req.bucket()?)?;
    let mut r = req.empty(200);
    set_header(&mut r, "x-amz-bucket-region", &b.region);
    set_header(&mut r, "x-amz-bucket-arn", &b.arn());
    Ok(r)
}

fn get_bucket_location(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let b = s3::get_bucket_location(req.svc, &req.authn.caller, req.bucket()?)?;
    let mut x = Xml::new();
    x.open_ns("LocationConstraint", NS);
    if b.region != "us-east-1" {
        x.raw(&crate::protocol::xml::escape(&b.region));
    }
    x.close("LocationConstraint");
    Ok(xml_ok(req.request_id, x))
}

fn delete_bucket(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::delete_bucket(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(req.empty(204))
}

fn get_bucket_policy(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let text = s3::get_bucket_policy(req.svc, &req.authn.caller, req.bucket()?)?;
    let mut r = response(200, req.request_id, Body::from(text));
    set_header(&mut r, "content-type", "application/json");
    Ok(r)
}

fn put_bucket_policy(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    let text = String::from_utf8(data).map_err(|_| {
        S3Fail::new(
            "MalformedPolicy",
            400,
            "Policies must be valid JSON and the first byte must be '{'",
        )
    })?;
    s3::put_bucket_policy(req.svc, &req.authn.caller, req.bucket()?, &text)?;
    Ok(req.empty(204))
}

fn delete_bucket_policy(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::delete_bucket_policy(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(req.empty(204))
}

fn get_bucket_policy_status(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let public = s3::get_bucket_policy_status(req.svc, &req.authn.caller, req.bucket()?)?;
    let mut x = Xml::new();
    x.open_ns("PolicyStatus", NS)
        .elem("IsPublic", if public { "true" } else { "false" })
        .close("PolicyStatus");
    Ok(xml_ok(req.request_id, x))
}

/// `x-amz-checksum-algorithm` (`CreateMultipartUpload`, `CopyObject`).
fn checksum_algorithm(req: &Req<'_>) -> Result<Option<Algorithm>, S3Fail> {
    match header(req.parts, "x-amz-checksum-algorithm") {
        None => Ok(None),
        Some(a) => Algorithm::from_name(a).map(Some).ok_or_else(|| {
            S3Fail::new(
                "InvalidRequest",
                400,
                "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
            )
        }),
    }
}

/// `x-amz-checksum-<algorithm>` and `x-amz-checksum-type` of a checksum.
fn checksum_headers(r: &mut Response<Body>, c: &Checksum) {
    set_header(r, c.algorithm.header(), &c.value);
    set_header(r, "x-amz-checksum-type", c.kind.name());
}

/// `<ChecksumCRC32>…</ChecksumCRC32><ChecksumType>…</ChecksumType>`.
fn checksum_xml(x: &mut Xml, c: Option<&Checksum>) {
    if let Some(c) = c {
        x.elem(c.algorithm.xml_member(), &c.value)
            .elem("ChecksumType", c.kind.name());
    }
}

/// Representation headers stored with an object and given back on reads.
const STORED_HEADERS: [&str; 5] = [
    "content-encoding",
    "content-disposition",
    "cache-control",
    "content-language",
    "expires",
];

/// The object headers of a `PutObject` (or a `CopyObject` that replaces them).
fn object_input(req: &Req<'_>) -> s3::PutObject {
    let mut input = s3::PutObject {
        content_md5: header(req.parts, "content-md5").map(str::to_owned),
        content_type: header(req.parts, "content-type").map(str::to_owned),
        ..Default::default()
    };
    for name in STORED_HEADERS {
        if let Some(v) = header(req.parts, name) {
            // `aws-chunked` is transfer framing, not the object's encoding.
            let v: Vec<&str> = v
                .split(',')
                .map(str::trim)
                .filter(|e| !e.eq_ignore_ascii_case("aws-chunked") && !e.is_empty())
                .collect();
            if !v.is_empty() {
                input.headers.insert(name.to_owned(), v.join(", "));
            }
        }
    }
    for (k, v) in &req.parts.headers {
        if let Some(m) = k.as_str().strip_prefix("x-amz-meta-")
            && let Ok(v) = v.to_str()
        {
            input.metadata.insert(m.to_owned(), v.to_owned());
        }
    }
    input
}

fn put_object(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let (data, claim) = wire::payload_with_claim(req.parts, body, req.authn.chunks.as_ref())?;
    let input = s3::PutObject {
        checksum: claim,
        ..object_input(req)
    };
    let o = s3::put_object(
        req.svc,
        &req.authn.caller,
        req.bucket()?,
        req.key()?,
        data,
        input,
    )?;
    let mut r = req.empty(200);
    set_header(&mut r, "etag", &o.etag);
    // The stored checksum: the one the request sent (header or trailer),
    // else the CRC64NVME computed for it.
    if let Some(c) = &o.checksum {
        checksum_headers(&mut r, c);
    }
    Ok(r)
}

fn upload_id<'a>(req: &'a Req<'_>) -> Result<&'a str, S3Fail> {
    req.param("uploadId")
        .filter(|u| !u.is_empty())
        .ok_or_else(|| S3Fail::new("InvalidArgument", 400, "uploadId is required"))
}

fn create_multipart_upload(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let (bucket, key) = (req.bucket()?, req.key()?);
    let algorithm = checksum_algorithm(req)?;
    let kind = match header(req.parts, "x-amz-checksum-type") {
        None => None,
        Some(t) => Some(ChecksumType::from_name(t).ok_or_else(|| {
            S3Fail::new(
                "InvalidRequest",
                400,
                "Value for x-amz-checksum-type header is invalid.",
            )
        })?),
    };
    let input = s3::PutObject {
        checksum_algorithm: algorithm,
        checksum_type: kind,
        ..object_input(req)
    };
    let id = s3::multipart::create(req.svc, &req.authn.caller, bucket, key, input)?;
    let mut x = Xml::new();
    x.open_ns("InitiateMultipartUploadResult", NS)
        .elem("Bucket", bucket)
        .elem("Key", key)
        .elem("UploadId", &id)
        .close("InitiateMultipartUploadResult");
    let mut r = xml_ok(req.request_id, x);
    if let Some(a) = algorithm {
        set_header(&mut r, "x-amz-checksum-algorithm", a.name());
        let kind = s3::multipart::checksum_type_for(a, kind);
        set_header(&mut r, "x-amz-checksum-type", kind.name());
    }
    Ok(r)
}

fn upload_part(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let number = req
        .param("partNumber")
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(|| {
            S3Fail::new(
                "InvalidArgument",
                400,
                "Part number must be an integer between 1 and 10000, inclusive",
            )
        })?;
    let (data, claim) = wire::payload_with_claim(req.parts, body, req.authn.chunks.as_ref())?;
    if let Some(md5) = header(req.parts, "content-md5") {
        use md5::Digest;
        if base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(&data)) != md5.trim() {
            return Err(S3Fail::new(
                "BadDigest",
                400,
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    let (etag, checksum) = s3::multipart::upload_part(
        req.svc,
        &req.authn.caller,
        req.bucket()?,
        req.key()?,
        upload_id(req)?,
        number,
        data,
        claim.as_ref(),
    )?;
    let mut r = req.empty(200);
    set_header(&mut r, "etag", &etag);
    if let Some(c) = &checksum {
        set_header(&mut r, c.algorithm.header(), &c.value);
    }
    Ok(r)
}

fn complete_multipart_upload(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let (bucket, key) = (req.bucket()?, req.key()?);
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    let parts = documents::complete_multipart_upload(&data)?;
    let o = s3::multipart::complete(
        req.svc,
        &req.authn.caller,
        bucket,
        key,
        upload_id(req)?,
        &parts,
    )?;
    let mut x = Xml::new();
    x.open_ns("CompleteMultipartUploadResult", NS)
        .elem("Location", &format!("/{bucket}/{}", wire::url_encode(key)))
        .elem("Bucket", bucket)
        .elem("Key", key)
        .elem("ETag", &o.etag);
    checksum_xml(&mut x, o.checksum.as_deref());
    x.close("CompleteMultipartUploadResult");
    Ok(xml_ok(req.request_id, x))
}

fn abort_multipart_upload(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::multipart::abort(
        req.svc,
        &req.authn.caller,
        req.bucket()?,
        req.key()?,
        upload_id(req)?,
    )?;
    Ok(req.empty(204))
}

fn copy_object(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let raw = header(req.parts, "x-amz-copy-source").unwrap_or("");
    let invalid = || {
        S3Fail::new(
            "InvalidArgument",
            400,
            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
        )
    };
    let (path, version) = raw.split_once('?').unwrap_or((raw, ""));
    if !version.is_empty() {
        return Err(wire::not_implemented());
    }
    let source = wire::percent_decode(path).ok_or_else(invalid)?;
    let source = source.strip_prefix('/').unwrap_or(&source);
    let (src_bucket, src_key) = source
        .split_once('/')
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
        .ok_or_else(invalid)?;
    let replace = match header(req.parts, "x-amz-metadata-directive") {
        None | Some("COPY") => None,
        Some("REPLACE") => Some(s3::PutObject {
            content_md5: None,
            ..object_input(req)
        }),
        Some(other) => {
            return Err(S3Fail::new(
                "InvalidArgument",
                400,
                format!("Unknown metadata directive: {other}"),
            ));
        }
    };
    let o = s3::copy_object(
        req.svc,
        &req.authn.caller,
        (src_bucket, src_key),
        (req.bucket()?, req.key()?),
        replace,
        checksum_algorithm(req)?,
    )?;
    let mut x = Xml::new();
    x.open_ns("CopyObjectResult", NS)
        .elem("LastModified", &timestamp(o.last_modified))
        .elem("ETag", &o.etag);
    checksum_xml(&mut x, o.checksum.as_deref());
    x.close("CopyObjectResult");
    Ok(xml_ok(req.request_id, x))
}

fn object_headers(r: &mut Response<Body>, o: &Object) {
    set_header(r, "etag", &o.etag);
    set_header(r, "last-modified", &http_date(o.last_modified));
    set_header(r, "content-type", &o.content_type);
    set_header(r, "accept-ranges", "bytes");
    for (k, v) in &o.headers {
        set_header(r, k, v);
    }
    for (k, v) in &o.metadata {
        set_header(r, &format!("x-amz-meta-{k}"), v);
    }
}

/// A `Range: bytes=…` header against `size`: `Ok(None)` for the whole object.
fn range(spec: Option<&str>, size: u64) -> Result<Option<(u64, u64)>, S3Fail> {
    let Some(spec) = spec.and_then(|s| s.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    let invalid = || {
        let mut f = S3Fail::new(
            "InvalidRange",
            416,
            "The requested range is not satisfiable",
        );
        f.details = vec![
            ("RangeRequested".to_owned(), format!("bytes={spec}")),
            ("ActualObjectSize".to_owned(), size.to_string()),
        ];
        f
    };
    // Several ranges: S3 answers the whole object.
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (start, end) = match (a.trim().parse::<u64>().ok(), b.trim().parse::<u64>().ok()) {
        (Some(s), Some(e)) if s <= e => (s, e.min(size.saturating_sub(1))),
        (Some(s), None) if b.trim().is_empty() => (s, size.saturating_sub(1)),
        (None, Some(n)) if a.trim().is_empty() && n > 0 => {
            (size.saturating_sub(n), size.saturating_sub(1))
        }
        _ => return Ok(None),
    };
    if start >= size {
        return Err(invalid());
    }
    Ok(Some((start, end)))
}

fn get_object(req: &Req<'_>, head: bool) -> Result<Response<Body>, S3Fail> {
    let (bucket, key) = (req.bucket()?, req.key()?);
    let caller = &req.authn.caller;
    let (o, bytes) = if head {
        (s3::head_object(req.svc, caller, bucket, key)?, Vec::new())
    } else {
        s3::get_object(req.svc, caller, bucket, key)?
    };
    let (status, body, len) = match range(header(req.parts, "range"), o.size)? {
        Some((start, end)) => {
            let slice = if head {
                Vec::new()
            } else {
                usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(end).ok())
                    .and_then(|(s, e)| bytes.get(s..=e))
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default()
            };
            (206, slice, Some((start, end)))
        }
        None => (200, bytes, None),
    };
    let mut r = response(status, req.request_id, Body::from(body));
    object_headers(&mut r, &o);
    // With `x-amz-checksum-mode: ENABLED` the stored checksum, so that SDKs
    // validate the download (a range has no checksum of its own).
    if len.is_none()
        && header(req.parts, "x-amz-checksum-mode")
            .is_some_and(|m| m.eq_ignore_ascii_case("ENABLED"))
        && let Some(c) = &o.checksum
    {
        checksum_headers(&mut r, c);
    }
    match len {
        Some((start, end)) => {
            set_header(
                &mut r,
                "content-range",
                &format!("bytes {start}-{end}/{}", o.size),
            );
            set_header(&mut r, "content-length", &(end - start + 1).to_string());
        }
        None => set_header(&mut r, "content-length", &o.size.to_string()),
    }
    Ok(r)
}

fn delete_object(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::delete_object(req.svc, &req.authn.caller, req.bucket()?, req.key()?)?;
    Ok(req.empty(204))
}

fn delete_objects(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    let documents::Delete { keys, quiet } = documents::delete(&data)?;
    let results = s3::delete_objects(req.svc, &req.authn.caller, req.bucket()?, &keys)?;
    let mut x = Xml::new();
    x.open_ns("DeleteResult", NS);
    for r in &results {
        match r {
            Deleted::Ok(k) if !quiet => {
                x.open("Deleted").elem("Key", k).close("Deleted");
            }
            Deleted::Ok(_) => {}
            Deleted::Failed(k, code, message) => {
                x.open("Error")
                    .elem("Key", k)
                    .elem("Code", code)
                    .elem("Message", message)
                    .close("Error");
            }
        }
    }
    x.close("DeleteResult");
    Ok(xml_ok(req.request_id, x))
}

fn invalid_argument(message: &str, name: &str, value: &str) -> S3Fail {
    let mut f = S3Fail::new("InvalidArgument", 400, message);
    f.details = vec![
        ("ArgumentName".to_owned(), name.to_owned()),
        ("ArgumentValue".to_owned(), value.to_owned()),
    ];
    f
}

fn list_objects(req: &Req<'_>, v2: bool) -> Result<Response<Body>, S3Fail> {
    let bucket = req.bucket()?;
    let max_keys = match req.param("max-keys") {
        None => 1000,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(|n| usize::try_from(n.min(1000)).unwrap_or(1000))
            .ok_or_else(|| {
                invalid_argument(
                    "Provided max-keys not an integer or within integer range",
                    "max-keys",
                    v,
                )
            })?,
    };
    let prefix = req.param("prefix").unwrap_or("");
    let delimiter = req.param("delimiter").filter(|d| !d.is_empty());
    let token = match req.param("continuation-token").filter(|_| v2) {
        Some(t) => Some(
            URL_SAFE_NO_PAD
                .decode(t)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| {
                    invalid_argument(
                        "The continuation token provided is incorrect",
                        "continuation-token",
                        t,
                    )
                })?,
        ),
        None => None,
    };
    let start_after = if v2 {
        req.param("start-after")
    } else {
        req.param("marker")
    };
    let after = token.as_deref().or(start_after);
    let page = s3::list_objects(
        req.svc,
        &req.authn.caller,
        bucket,
        ListRequest {
            prefix,
            delimiter,
            max_keys,
            after,
        },
    )?;
    let url = req.param("encoding-type") == Some("url");
    let enc = |s: &str| {
        if url {
            wire::url_encode(s)
        } else {
            s.to_owned()
        }
    };
    let mut x = Xml::new();
    x.open_ns("ListBucketResult", NS)
        .elem("Name", bucket)
        .elem("Prefix", &enc(prefix));
    if v2 {
        x.elem(
            "KeyCount",
            &(page.objects.len() + page.common_prefixes.len()).to_string(),
        );
        if let Some(t) = req.param("continuation-token") {
            x.elem("ContinuationToken", t);
        }
        if page.truncated
            && let Some(last) = &page.last
        {
            x.elem("NextContinuationToken", &URL_SAFE_NO_PAD.encode(last));
        }
        if let Some(s) = start_after {
            x.elem("StartAfter", &enc(s));
        }
    } else {
        x.elem("Marker", &enc(start_after.unwrap_or("")));
        if page.truncated
            && delimiter.is_some()
            && let Some(last) = &page.last
        {
            x.elem("NextMarker", &enc(last));
        }
    }
    x.elem("MaxKeys", &max_keys.to_string());
    if let Some(d) = delimiter {
        x.elem("Delimiter", &enc(d));
    }
    if url {
        x.elem("EncodingType", "url");
    }
    x.elem("IsTruncated", if page.truncated { "true" } else { "false" });
    for o in &page.objects {
        x.open("Contents")
            .elem("Key", &enc(&o.key))
            .elem("LastModified", &timestamp(o.last_modified))
            .elem("ETag", &o.etag)
            .elem("Size", &o.size.to_string())
            .elem("StorageClass", "STANDARD");
        if !v2 {
            x.open("Owner")
                .elem("ID", &canonical_id(&o.writer))
                .close("Owner");
        }
        x.close("Contents");
    }
    for p in &page.common_prefixes {
        x.open("CommonPrefixes")
            .elem("Prefix", &enc(p))
            .close("CommonPrefixes");
    }
    x.close("ListBucketResult");
    Ok(xml_ok(req.request_id, x))
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
