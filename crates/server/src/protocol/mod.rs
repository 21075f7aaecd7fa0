//! The wire protocols. Services never build envelopes themselves: each
//! protocol module owns its request decoding, its rejections and its error
//! rendering, and [`Protocol`] names the one a request speaks, from the
//! pinned model of its SigV4 service, or from the request's shape for a
//! service this endpoint does not know (never IAM's).

pub mod ec2;
pub mod input;
pub mod json;
pub mod query;
pub mod rest_json;
pub mod rest_xml;
pub mod xml;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Response, StatusCode, header};

use crate::error::ApiError;
use query::QueryService;
use rootward_model::JsonVersion;

/// The wire protocol of a service.
#[derive(Debug, Clone, Copy)]
pub enum Protocol {
    /// AWS query (IAM, STS; SQS's older form).
    Query(QueryService),
    /// EC2's query protocol (its own lists and error document).
    Ec2,
    /// AWS JSON (Organizations, CloudTrail: 1.1; SQS: 1.0).
    Json {
        /// 1.0 or 1.1 (the content type).
        version: JsonVersion,
        /// `awsQueryCompatible` (SQS): errors also carry their query code,
        /// and their type names this service (its signing name).
        query_compatible: Option<&'static str>,
    },
    /// REST-XML (Amazon S3).
    RestXml,
    /// REST-JSON (`restJson1`: Account Management).
    RestJson,
}

/// The protocol a pinned model binds its service to.
pub fn protocol_of_model(model: &rootward_model::Service) -> Protocol {
    use rootward_model::Protocol as P;
    match model.protocol {
        P::Query { xml_namespace, .. } => Protocol::Query(QueryService {
            namespace: xml_namespace,
        }),
        P::Ec2 { .. } => Protocol::Ec2,
        P::Json {
            version,
            query_compatible,
            ..
        } => Protocol::Json {
            version,
            query_compatible: query_compatible.then_some(model.signing_name),
        },
        P::RestXml => Protocol::RestXml,
        P::RestJson => Protocol::RestJson,
    }
}

/// Whether a request speaks AWS JSON by its shape: an `X-Amz-Target`
/// header (whatever its bytes: one that is not UTF-8 still says JSON), or
/// an AWS JSON content type (`application/x-amz-json-1.0`/`-1.1`) without
/// one. A JSON request that names no operation is answered in JSON, never
/// in a query protocol's XML.
pub fn looks_like_json(parts: &Parts) -> bool {
    parts.headers.contains_key("x-amz-target")
        || parts
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| {
                t.to_ascii_lowercase()
                    .starts_with("application/x-amz-json-")
            })
}

/// The protocol of a service this endpoint has no model of, from the
/// request's shape (issue 14 §2): an `X-Amz-Target` or an AWS JSON content
/// type is AWS JSON (1.0 or 1.1 as the request's content type says), a
/// form or an `Action=` query is AWS query, anything else REST (REST-XML
/// when the body is XML, else REST-JSON, the protocol of most newer
/// services).
pub fn protocol_by_shape(parts: &Parts) -> Protocol {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let content_type = header("content-type").to_ascii_lowercase();
    if looks_like_json(parts) {
        return Protocol::Json {
            version: if content_type.starts_with(JsonVersion::V1_0.content_type()) {
                JsonVersion::V1_0
            } else {
                JsonVersion::V1_1
            },
            query_compatible: None,
        };
    }
    let action_query = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .any(|p| p.starts_with("Action="));
    if action_query || content_type.starts_with("application/x-www-form-urlencoded") {
        Protocol::Query(query::FOREIGN)
    } else if content_type.contains("xml") {
        Protocol::RestXml
    } else {
        Protocol::RestJson
    }
}

/// The protocol of a request to a SigV4 service: its model's (SQS speaks
/// JSON 1.0 when the request looks like JSON, [`looks_like_json`], else
/// its query form, as older SDKs send it), or the request's shape for a
/// service this endpoint does not know. An unknown service is never IAM.
pub fn protocol_of(service: &str, parts: &Parts) -> Protocol {
    if service == "sqs" && !looks_like_json(parts) {
        return Protocol::Query(query::SQS);
    }
    match crate::services::Api::from_signing_name(service) {
        Some(api) => protocol_of_model(api.model()),
        None => protocol_by_shape(parts),
    }
}

/// The JSON 1.0 protocol of SQS.
pub const SQS_JSON: Protocol = Protocol::Json {
    version: JsonVersion::V1_0,
    query_compatible: Some("sqs"),
};

/// A call to a service this endpoint does not serve, answered in that
/// service's protocol with a message naming the service and the operation
/// (issue 14 §2), so that a tool reports "not supported" rather than failing
/// to parse the answer. The codes are each protocol's unknown-operation
/// error (S3's `NotImplemented` for REST-XML) [UNCONFIRMED: AWS never
/// answers this; the wording is ours].
pub fn not_implemented(protocol: Protocol, service: &str, operation: &str) -> ApiError {
    let message = format!(
        "The {service} service is not implemented by this endpoint (operation {operation})."
    );
    match protocol {
        Protocol::Query(_) | Protocol::Ec2 => ApiError::new("InvalidAction", 400, message),
        Protocol::Json { .. } => ApiError::new("UnknownOperationException", 400, message),
        Protocol::RestJson => ApiError::new("UnknownOperationException", 404, message),
        Protocol::RestXml => ApiError::new("NotImplemented", 501, message),
    }
}

/// The operation a request to an unknown service names, as far as its
/// shape tells: the `X-Amz-Target` suffix, the `Action` parameter (query
/// string or form), or the method and path.
pub fn operation_named(parts: &Parts, body: &[u8]) -> String {
    if let Some(t) = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
    {
        return t.rsplit('.').next().unwrap_or(t).to_owned();
    }
    // Only to name the operation in a "not implemented" answer: a form
    // that is not UTF-8 names none.
    let form = query::Params::parse(body).unwrap_or_default();
    let url = query::Params::parse(parts.uri.query().unwrap_or("").as_bytes()).unwrap_or_default();
    match url.get("Action").or_else(|| form.get("Action")) {
        Some(a) => a.to_owned(),
        None => format!("{} {}", parts.method, parts.uri.path()),
    }
}

/// A response with the request id and content type every protocol sends.
pub fn respond(status: u16, content_type: &str, request_id: &str, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    r
}

/// The error answer of a protocol.
pub fn error_response(protocol: Protocol, e: &ApiError, request_id: &str) -> Response<Body> {
    crate::request_log::error(&e.code);
    match protocol {
        Protocol::Query(qs) => respond(e.status, "text/xml", request_id, qs.error(e, request_id)),
        Protocol::Ec2 => respond(
            e.status,
            ec2::CONTENT_TYPE,
            request_id,
            ec2::error_body(e, request_id),
        ),
        Protocol::Json {
            version,
            query_compatible,
        } => {
            let mut r = respond(
                e.status,
                version.content_type(),
                request_id,
                json::error_body(e, query_compatible),
            );
            if query_compatible.is_some()
                && let Some(v) =
                    json::query_error_header(e).and_then(|v| HeaderValue::from_str(&v).ok())
            {
                r.headers_mut().insert("x-amzn-query-error", v);
            }
            r
        }
        Protocol::RestJson => rest_json::error(e, request_id),
        Protocol::RestXml => rest_xml::api_error_response(e, request_id),
    }
}
