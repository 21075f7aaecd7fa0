//! The HTTP application: one handler for every service, reading top to bottom.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use rootward_core::Service;
use rootward_core::root_user::RootConsole;
use tracing::Instrument;

use crate::auth::{self, Protocol};
use crate::console;
use crate::error::ApiError;
use crate::limits::{self, BodyBudget, Limits};
use crate::listener::ConflictingFraming;
use crate::protocol::json;
use crate::protocol::query::Params;
use crate::request_log;
use crate::services::{self, Ctx};
use crate::trail;

/// Largest request body accepted (S3: see `services::s3::body_limit`).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// What every request shares.
#[derive(Clone)]
pub struct AppState {
    /// The domain.
    pub svc: Arc<Service>,
    /// The sign-in page stand-ins' outbox and failure counts.
    pub console: Arc<RootConsole>,
    edge: Arc<Edge>,
}

/// The limits, and the body budget they size.
struct Edge {
    limits: Limits,
    budget: BodyBudget,
}

impl Edge {
    fn new(limits: Limits) -> Edge {
        Edge {
            budget: BodyBudget::new(limits.max_buffered_bytes, limits.body_idle_timeout),
            limits,
        }
    }
}

impl AppState {
    /// The state of a server whose data directory is `data` (the stand-ins'
    /// outbox is written to `DATA/outbox/`; `None` keeps it in memory only),
    /// under the default [`Limits`].
    pub fn new(svc: Arc<Service>, data: Option<&Path>) -> AppState {
        AppState {
            svc,
            console: Arc::new(RootConsole::new(data.map(|d| d.join("outbox")))),
            edge: Arc::new(Edge::new(Limits::default())),
        }
    }

    /// The same state under other limits.
    pub fn with_limits(mut self, limits: Limits) -> AppState {
        self.edge = Arc::new(Edge::new(limits));
        self
    }

    /// The limits connections and requests are held to.
    pub fn limits(&self) -> &Limits {
        &self.edge.limits
    }

    /// The request-body bytes all connections may buffer at once.
    pub fn budget(&self) -> &BodyBudget {
        &self.edge.budget
    }
}

fn respond(status: u16, content_type: &str, request_id: &str, body: String) -> Response<Body> {
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

/// The error envelope of a protocol.
pub fn error_response(protocol: Protocol, e: &ApiError, request_id: &str) -> Response<Body> {
    request_log::error(&e.code);
    match protocol {
        Protocol::Query(qs) => respond(e.status, "text/xml", request_id, qs.error(e, request_id)),
        Protocol::Json { content_type } if content_type == "application/x-amz-json-1.0" => {
            let mut r = respond(
                e.status,
                content_type,
                request_id,
                services::sqs::error_body(e),
            );
            if let Some(v) =
                services::sqs::query_error_header(e).and_then(|v| HeaderValue::from_str(&v).ok())
            {
                r.headers_mut().insert("x-amzn-query-error", v);
            }
            r
        }
        Protocol::Json { content_type, .. } => {
            let mut body = serde_json::json!({ "__type": e.code, "Message": e.message });
            if let (Some(r), serde_json::Value::Object(m)) = (&e.reason, &mut body) {
                m.insert("Reason".to_owned(), serde_json::Value::String(r.clone()));
            }
            respond(e.status, content_type, request_id, body.to_string())
        }
        Protocol::RestXml => services::s3::error_response(e, request_id),
    }
}

/// Answers one request (the listener calls it for every request of every
/// connection).
pub(crate) async fn handle(
    state: AppState,
    peer: SocketAddr,
    req: Request<Body>,
) -> Response<Body> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    let conflicting = parts.extensions.get::<ConflictingFraming>().is_some();
    if parts.uri.path() == "/_rootward/health" && parts.method == Method::GET && !conflicting {
        return respond(200, "text/plain", &request_id, "ok\n".to_owned());
    }
    let span = request_log::span(&request_id, parts.method.as_str(), parts.uri.path());
    let response = serve(state, peer, parts, body, conflicting, &request_id)
        .instrument(span.clone())
        .await;
    request_log::finish(&span, response.status().as_u16());
    response
}

/// Adds `Connection: close`: the answer is given without reading the body,
/// or after a body that went wrong, so the connection cannot carry another
/// request.
fn closing(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

async fn serve(
    state: AppState,
    peer: SocketAddr,
    parts: axum::http::request::Parts,
    body: Body,
    conflicting: bool,
    request_id: &str,
) -> Response<Body> {
    let guess = auth::protocol_guess(&parts);
    if conflicting {
        return closing(error_response(
            guess,
            &limits::conflicting_framing(),
            request_id,
        ));
    }
    if console::is_console_path(parts.uri.path()) {
        return console::handle(&state, &parts, body, peer, request_id).await;
    }
    // Before a byte of the body is read: the signature is there and parses,
    // and its access key exists (issue 12 item 5).
    let identified = match auth::identify(&state.svc, &parts) {
        Ok(i) => i,
        Err((protocol, e)) => {
            if let Some(s) = auth::scope_service(&parts) {
                request_log::service(s);
            }
            let r = match protocol {
                Protocol::RestXml => services::s3::auth_failure(&parts, &e, request_id),
                _ => error_response(protocol, &e, request_id),
            };
            return if limits::has_body(&parts.headers) {
                closing(r)
            } else {
                r
            };
        }
    };
    let limit = match guess {
        Protocol::RestXml => services::s3::body_limit(&state.svc),
        _ => MAX_BODY,
    };
    let declared = limits::declared_length(&parts.headers);
    let (body, _held) = match limits::read_body(body, declared, limit, state.budget()).await {
        Ok(b) => b,
        Err(e) => {
            let r = match guess {
                Protocol::RestXml => services::s3::body_failure(e, request_id),
                _ => error_response(guess, &e.api_error(), request_id),
            };
            return closing(r);
        }
    };
    // Reads served from memory run on the async worker itself; anything
    // that may wait for the disk (a commit, an object's bytes, the trail) goes
    // to the blocking pool. Deciding wrongly costs speed, never correctness.
    if served_from_memory(&parts, &body) {
        return dispatch(&state.svc, identified, &parts, &body, peer, request_id);
    }
    let svc = state.svc.clone();
    let rid = request_id.to_owned();
    let span = tracing::Span::current();
    let result = tokio::task::spawn_blocking(move || {
        span.in_scope(|| dispatch(&svc, identified, &parts, &body, peer, &rid))
    })
    .await;
    match result {
        Ok(r) => r,
        Err(_) => error_response(guess, &ApiError::internal(), request_id),
    }
}

/// Whether a call only reads state kept in memory: it never commits, waits
/// on the trail or reads stored bytes. An explicit list; everything else
/// runs on the blocking pool.
fn served_from_memory(parts: &axum::http::request::Parts, body: &[u8]) -> bool {
    let Some(service) = auth::scope_service(parts) else {
        return false;
    };
    let operation = match parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
    {
        Some(target) => target.rsplit('.').next(),
        None => {
            let form = std::str::from_utf8(body).unwrap_or("");
            parts
                .uri
                .query()
                .unwrap_or("")
                .split('&')
                .chain(form.split('&'))
                .find_map(|p| p.strip_prefix("Action="))
        }
    };
    let Some(op) = operation else {
        return false;
    };
    match service {
        "sts" => op == "GetCallerIdentity",
        "iam" => ["Get", "List", "Simulate"]
            .iter()
            .any(|p| op.starts_with(p)),
        "organizations" => op.starts_with("Describe") || op.starts_with("List"),
        "sqs" => matches!(
            op,
            "GetQueueUrl"
                | "GetQueueAttributes"
                | "ListQueues"
                | "ListQueueTags"
                | "ListDeadLetterSourceQueues"
        ),
        _ => false,
    }
}

fn dispatch(
    svc: &Service,
    identified: auth::Identified,
    parts: &axum::http::request::Parts,
    body: &[u8],
    peer: SocketAddr,
    request_id: &str,
) -> Response<Body> {
    request_log::service(identified.service());
    let authn = match auth::authenticate(svc, identified, parts, body, peer) {
        Ok(a) => a,
        Err((Protocol::RestXml, e)) => return services::s3::auth_failure(parts, &e, request_id),
        Err((protocol, e)) => return error_response(protocol, &e, request_id),
    };
    request_log::caller(|| authn.caller.arn(&svc.read()));
    let host = parts.headers.get("host").and_then(|v| v.to_str().ok());
    match authn.protocol {
        Protocol::Query(qs) => {
            let mut params = Params::parse(parts.uri.query().unwrap_or("").as_bytes());
            if parts.method == Method::POST {
                let mut form = Params::parse(body);
                form.merge(params);
                params = form;
            }
            let Some(op) = params.get("Action").map(str::to_owned) else {
                return error_response(
                    authn.protocol,
                    &ApiError::new("MissingAction", 400, "Missing Action"),
                    request_id,
                );
            };
            request_log::operation(&op);
            let ctx = Ctx::new(svc, &authn.caller, authn.global_endpoint);
            let unit = svc.begin();
            let result = match authn.service.as_str() {
                "sts" => services::sts::call(&op, &ctx, &params),
                "sqs" => services::sqs::call_query(&op, &ctx, parts, &params),
                _ => services::iam::call(&op, &ctx, &params),
            };
            let global = authn.service == "iam" || authn.global_endpoint;
            let resources =
                trail::resources_from_query(&authn.service, &authn.caller.account, params.iter());
            let result = record(
                unit,
                &ctx,
                &authn.service,
                &op,
                global,
                resources,
                trail::from_query(params.iter()),
                result,
                request_id,
                host,
            );
            match result {
                Ok(inner) => respond(
                    200,
                    "text/xml",
                    request_id,
                    qs.success(&op, request_id, inner),
                ),
                Err(e) => error_response(authn.protocol, &e, request_id),
            }
        }
        Protocol::RestXml => services::s3::handle(svc, &authn, parts, body, request_id),
        Protocol::Json { content_type } => {
            let target = parts
                .headers
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok());
            let ctx = Ctx::new(svc, &authn.caller, false);
            let unit = svc.begin();
            let (op, result) = match authn.service.as_str() {
                "organizations" => {
                    match json::operation(target, services::organizations::TARGET_PREFIX) {
                        Ok(op) => (op, services::organizations::call(op, &ctx, body)),
                        Err(e) => ("", Err(e)),
                    }
                }
                "sqs" => match json::operation(target, services::sqs::TARGET_PREFIX) {
                    Ok(op) => (op, services::sqs::call(op, &ctx, parts, body)),
                    Err(e) => ("", Err(e)),
                },
                "cloudtrail" => match services::cloudtrail::operation(target) {
                    Ok(op) => (op, services::cloudtrail::call(op, &ctx, body)),
                    Err(e) => ("", Err(e)),
                },
                other => (
                    "",
                    Err(ApiError::new(
                        "UnknownOperationException",
                        400,
                        format!("The {other} service is not implemented yet"),
                    )),
                ),
            };
            let result = if op.is_empty() {
                match svc.finish(unit, None) {
                    Ok(()) => result,
                    Err(e) => {
                        tracing::error!(error = %e, "call not committed");
                        Err(ApiError::internal())
                    }
                }
            } else {
                request_log::operation(op);
                let request = trail::from_json(body);
                let resources = match request.get("queueUrl").and_then(|v| v.as_str()) {
                    Some(url) if authn.service == "sqs" => {
                        vec![("AWS::SQS::Queue".to_owned(), url.to_owned())]
                    }
                    _ => Vec::new(),
                };
                record(
                    unit,
                    &ctx,
                    &authn.service,
                    op,
                    authn.service == "organizations",
                    resources,
                    request,
                    result,
                    request_id,
                    host,
                )
            };
            match result {
                Ok(Some(v)) => respond(200, content_type, request_id, v.to_string()),
                Ok(None) => respond(200, content_type, request_id, String::new()),
                Err(e) => error_response(authn.protocol, &e, request_id),
            }
        }
    }
}

/// Ends a call: its changes and its event are committed together (or the
/// event goes to the history's writer when nothing changed). A commit that
/// fails turns the answer into an internal error.
#[expect(
    clippy::too_many_arguments,
    reason = "the facts of one call, gathered in one place"
)]
fn record<T>(
    unit: rootward_core::service::Unit<'_>,
    ctx: &Ctx<'_>,
    service: &str,
    operation: &str,
    global: bool,
    resources: Vec<(String, String)>,
    request: serde_json::Value,
    result: Result<T, ApiError>,
    request_id: &str,
    host: Option<&str>,
) -> Result<T, ApiError> {
    let response = ctx.trail_response.borrow_mut().take();
    let error = result.as_ref().err();
    let finished = ctx.svc.finish(
        unit,
        Some(&rootward_core::trail::event::Call {
            caller: ctx.caller,
            service,
            operation,
            global,
            request,
            response,
            error: error.map(|e| (e.code.as_str(), e.message.as_str())),
            request_id,
            resources,
            host,
        }),
    );
    match finished {
        Ok(()) => result,
        Err(e) => {
            tracing::error!(error = %e, operation, "call not committed");
            Err(ApiError::internal())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> axum::http::request::Parts {
        let mut b = Request::builder().method(Method::POST).uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(())
            .map(|r| r.into_parts().0)
            .unwrap_or_else(|_| Request::new(()).into_parts().0)
    }

    const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261123/us-east-1/SERVICE/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

    #[test]
    fn reads_from_memory_are_recognised_by_scope_and_operation() {
        let auth = |s: &str| AUTH.replace("SERVICE", s);
        let sts = parts("/", &[("authorization", &auth("sts"))]);
        assert_eq!(auth::scope_service(&sts), Some("sts"));
        assert!(served_from_memory(
            &sts,
            b"Action=GetCallerIdentity&Version=2011-06-15"
        ));
        assert!(!served_from_memory(
            &sts,
            b"Action=AssumeRole&Version=2011-06-15"
        ));
        let presigned = parts(
            "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261123%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Signature=abc",
            &[],
        );
        assert_eq!(auth::scope_service(&presigned), Some("sts"));
        assert!(served_from_memory(&presigned, b""));
        let iam = parts("/", &[("authorization", &auth("iam"))]);
        assert!(served_from_memory(&iam, b"Action=ListUsers"));
        assert!(!served_from_memory(&iam, b"Action=CreateUser&UserName=x"));
        assert!(!served_from_memory(
            &iam,
            b"Action=GenerateCredentialReport"
        ));
        let org = |op: &str| {
            parts(
                "/",
                &[
                    ("authorization", &auth("organizations")),
                    ("x-amz-target", &format!("AWSOrganizationsV20161128.{op}")),
                ],
            )
        };
        assert!(served_from_memory(&org("ListAccounts"), b"{}"));
        assert!(served_from_memory(&org("ListHandshakesForAccount"), b"{}"));
        assert!(!served_from_memory(&org("CreateAccount"), b"{}"));
        let trail = parts(
            "/",
            &[
                ("authorization", &auth("cloudtrail")),
                ("x-amz-target", "CloudTrail_20131101.LookupEvents"),
            ],
        );
        assert!(!served_from_memory(&trail, b"{}"));
        assert!(!served_from_memory(
            &parts("/", &[]),
            b"Action=GetCallerIdentity"
        ));
    }
}
