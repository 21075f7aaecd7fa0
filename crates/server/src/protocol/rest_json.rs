//! AWS REST-JSON (`restJson1`: Account Management): method and path select
//! the operation over the service's generated routes, the body is a JSON
//! object of the input members, the answer a JSON object of the output
//! members. Errors carry their code in `x-amzn-ErrorType` and a JSON body
//! `{"message": …}` (botocore's `RestJSONParser` reads the header first).

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use rootward_model::rest::{HttpRequest, Route};

use crate::error::ApiError;

/// The content type of bodies.
pub const CONTENT_TYPE: &str = "application/json";

/// The operation a request names in `routes`, or `None`.
pub fn route<O: Copy>(routes: &[Route<O>], req: &impl HttpRequest) -> Option<O> {
    rootward_model::rest::resolve(routes, req)
}

/// A request as the REST router reads it: method, path and query.
#[derive(Debug)]
pub struct Request<'a> {
    parts: &'a axum::http::request::Parts,
    query: Vec<(String, String)>,
}

impl<'a> Request<'a> {
    /// The request's head.
    pub fn new(parts: &'a axum::http::request::Parts) -> Request<'a> {
        let query = form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Request { parts, query }
    }
}

impl HttpRequest for Request<'_> {
    fn method(&self) -> &str {
        self.parts.method.as_str()
    }
    fn path(&self) -> &str {
        self.parts.uri.path()
    }
    fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn has_header(&self, name: &str) -> bool {
        self.parts.headers.contains_key(name)
    }
}

/// `UnknownOperationException`: no route matches [UNCONFIRMED: AWS's
/// services answer 404 with their own wording].
pub fn unknown_operation() -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        404,
        "No operation of this service matches the request's method and path.",
    )
}

fn respond(status: u16, request_id: &str, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    r
}

/// A success: the output object, or an empty body.
pub fn success(
    status: u16,
    request_id: &str,
    output: Option<&serde_json::Value>,
) -> Response<Body> {
    respond(
        status,
        request_id,
        output.map(serde_json::Value::to_string).unwrap_or_default(),
    )
}

/// The error answer: `x-amzn-ErrorType: <Code>` and `{"message": …}`, with
/// the error's extra members.
pub fn error(e: &ApiError, request_id: &str) -> Response<Body> {
    let mut body = serde_json::Map::new();
    body.insert("message".to_owned(), e.message.clone().into());
    for (k, v) in &e.extra {
        body.insert(k.clone(), v.clone().into());
    }
    let mut r = respond(
        e.status,
        request_id,
        serde_json::Value::Object(body).to_string(),
    );
    if let Ok(v) = HeaderValue::from_str(&e.code) {
        r.headers_mut().insert("x-amzn-errortype", v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_code_in_the_header_and_their_message_in_the_body() {
        let r = error(
            &ApiError::new("ResourceNotFoundException", 404, "No contact."),
            "rid",
        );
        assert_eq!(r.status(), 404);
        assert_eq!(r.headers()["x-amzn-errortype"], "ResourceNotFoundException");
        assert_eq!(r.headers()["x-amzn-requestid"], "rid");
        assert_eq!(r.headers()["content-type"], CONTENT_TYPE);
    }

    #[test]
    fn account_routes_resolve_by_method_and_path() {
        let req = axum::http::Request::builder()
            .method("POST")
            .uri("/getContactInformation")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        assert_eq!(
            route(rootward_model::account::ROUTES, &Request::new(&req)),
            Some(rootward_model::account::Operation::GetContactInformation)
        );
    }
}
