//! REST-XML (Amazon S3's protocol; spec 08 §8.5): the error document
//! (`<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId>
//! <HostId>…</HostId></Error>`, no body for `HEAD`), the request-id
//! headers, and authentication and body failures in S3's words (spec 07
//! §7.9). Routing is the generated table's (`rootward_model::s3::resolve`,
//! read by `services::s3::router`).

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use rootward_sigv4::SigError;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// An S3 error on its way to the wire, with the extra elements of `<Error>`.
#[derive(Debug, Clone)]
pub struct Fail {
    /// Code.
    pub code: String,
    /// HTTP status.
    pub status: u16,
    /// Message.
    pub message: String,
    /// Extra elements.
    pub details: Vec<(String, String)>,
}

impl Fail {
    /// A failure without extra elements.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> Fail {
        Fail {
            code: code.to_owned(),
            status,
            message: message.into(),
            details: Vec::new(),
        }
    }
}

/// `InternalError`, without detail.
pub fn internal() -> Fail {
    Fail::new(
        "InternalError",
        500,
        "We encountered an internal error. Please try again.",
    )
}

/// `NotImplemented`.
pub fn not_implemented() -> Fail {
    Fail::new(
        "NotImplemented",
        501,
        "A header or query you provided implies functionality that is not implemented.",
    )
}

/// `x-amz-id-2` for a request id.
pub fn host_id(request_id: &str) -> String {
    B64.encode(Sha256::digest(format!("rootward/{request_id}")))
}

/// A response with S3's request-id headers.
pub fn response(status: u16, request_id: &str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amz-request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&host_id(request_id)) {
        h.insert("x-amz-id-2", v);
    }
    r
}

/// Adds a header when the value is valid.
pub fn set_header(r: &mut Response<Body>, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (
        header::HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        r.headers_mut().insert(n, v);
    }
}

/// The error document (no body for `HEAD`).
pub fn error_response(
    e: &Fail,
    resource: Option<&str>,
    request_id: &str,
    head: bool,
) -> Response<Body> {
    crate::request_log::error(&e.code);
    if head {
        return response(e.status, request_id, Body::empty());
    }
    let host = host_id(request_id);
    let doc = crate::services::s3::xml::ErrorDocument {
        code: &e.code,
        message: &e.message,
        details: &e.details,
        resource,
        request_id,
        host_id: &host,
    };
    // Never fails for the element names S3's errors use; a body-less answer
    // with the error's status if it ever did.
    let body = crate::services::s3::xml::to_string("Error", &doc).unwrap_or_default();
    let mut r = response(e.status, request_id, Body::from(body));
    set_header(&mut r, "content-type", "application/xml");
    r
}

/// An authentication failure (the query-protocol code of `auth.rs`) in S3's
/// words (spec 07 §7.9).
pub fn auth_error(query_code: &str, message: String) -> ApiError {
    match query_code {
        "MissingAuthenticationToken" | "AccessDenied" => {
            ApiError::new("AccessDenied", 403, "Access Denied")
        }
        "IncompleteSignature" => ApiError::new("AuthorizationHeaderMalformed", 400, message),
        "InvalidClientTokenId" => ApiError::new(
            "InvalidAccessKeyId",
            403,
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
        "ExpiredToken" => ApiError::new("ExpiredToken", 400, "The provided token has expired."),
        "SignatureDoesNotMatch" => ApiError::new("SignatureDoesNotMatch", 403, MISMATCH),
        other => ApiError::new(other, 403, message),
    }
}

/// A session key whose token is missing or wrong.
pub fn invalid_token() -> ApiError {
    ApiError::new(
        "InvalidToken",
        400,
        "The provided token is malformed or otherwise invalid.",
    )
}

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

/// A signature verification failure in S3's words (spec 07 §7.9); an
/// unreadable presigned query is `AuthorizationQueryParametersError`.
pub fn sig_error(e: &SigError, presigned: bool) -> ApiError {
    match e {
        // Signature Version 2 (`AWS AKID:…`, or a query's `AWSAccessKeyId`
        // and `Signature`), which boto3 still uses for some presigned URLs:
        // answered as S3 answers it where it takes SigV4 only.
        SigError::UnsupportedAlgorithm(a) if a == "AWS" => ApiError::new(
            "InvalidRequest",
            400,
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
        ),
        SigError::Malformed(_) | SigError::UnsupportedAlgorithm(_) if presigned => {
            ApiError::new("AuthorizationQueryParametersError", 400, e.to_string())
        }
        SigError::SignatureMismatch { .. } => ApiError::new("SignatureDoesNotMatch", 403, MISMATCH),
        SigError::Skewed { .. } => ApiError::new(
            "RequestTimeTooSkewed",
            403,
            "The difference between the request time and the current time is too large.",
        ),
        SigError::PresignedExpired => ApiError::new("AccessDenied", 403, "Request has expired"),
        SigError::ContentSha256Mismatch => ApiError::new(
            "XAmzContentSHA256Mismatch",
            400,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ),
        SigError::InvalidContentSha256(_) => ApiError::new(
            "InvalidArgument",
            400,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
        ),
        SigError::MissingContentSha256 => ApiError::new(
            "InvalidRequest",
            400,
            "Missing required header for this request: x-amz-content-sha256",
        ),
        SigError::HeadersNotSigned(_) => ApiError::new(
            "AccessDenied",
            403,
            "There were headers present in the request which were not signed",
        ),
        SigError::PayloadHashRequired => ApiError::internal(),
        other => ApiError::new("AuthorizationHeaderMalformed", 400, other.to_string()),
    }
}

/// Whether a request that is not (or not yet known to be) signed looks like
/// S3: its errors must then be S3-shaped.
pub fn looks_like_s3(parts: &Parts) -> bool {
    let h = |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok());
    if h("x-amz-target").is_some() {
        return false;
    }
    let query = parts.uri.query().unwrap_or("");
    if h("x-amz-content-sha256").is_some() || query.contains("%2Fs3%2Faws4_request") {
        return true;
    }
    let host = h("host").unwrap_or("");
    let host = host.split(':').next().unwrap_or(host);
    if host == "s3.amazonaws.com"
        || host.starts_with("s3.")
        || host.contains(".s3.")
        || host.ends_with(".localhost")
    {
        return true;
    }
    if parts.method == Method::POST {
        return parts.uri.path() != "/";
    }
    parts.uri.path() != "/" || !query.contains("Action=")
}

/// An authentication failure, S3-shaped (no body for `HEAD`).
pub fn auth_failure(parts: &Parts, e: &ApiError, request_id: &str) -> Response<Body> {
    let fail = Fail::new(&e.code, e.status, e.message.clone());
    error_response(&fail, None, request_id, parts.method == Method::HEAD)
}

/// A request body that could not be read, in S3's words.
pub fn body_failure(e: crate::limits::BodyError, request_id: &str) -> Response<Body> {
    use crate::limits::BodyError;
    let fail = match e {
        BodyError::TooLarge => Fail::new(
            "EntityTooLarge",
            400,
            "Your proposed upload exceeds the maximum allowed size",
        ),
        BodyError::Timeout => Fail::new("RequestTimeout", 400, crate::limits::TIMEOUT_MESSAGE),
        BodyError::Busy => Fail::new("SlowDown", 503, "Please reduce your request rate."),
        BodyError::Incomplete => Fail::new(
            "IncompleteBody",
            400,
            "You did not provide the number of bytes specified by the Content-Length HTTP header.",
        ),
    };
    error_response(&fail, None, request_id, false)
}

/// Any other protocol-level failure (body too large, internal).
pub fn api_error_response(e: &ApiError, request_id: &str) -> Response<Body> {
    let fail = if e.status == 413 {
        Fail::new(
            "EntityTooLarge",
            400,
            "Your proposed upload exceeds the maximum allowed size",
        )
    } else {
        Fail::new(&e.code, e.status, e.message.clone())
    };
    error_response(&fail, None, request_id, false)
}
