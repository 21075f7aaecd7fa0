//! The HTTP application: one handler for every service, reading top to bottom.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use rootward_core::Service;
use rootward_core::root_user::RootConsole;

use crate::auth::{self, Protocol};
use crate::console;
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::protocol::json;
use crate::protocol::query::Params;
use crate::services::{self, Ctx, Output};
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
}

impl AppState {
    /// The state of a server whose data directory is `data` (the stand-ins'
    /// outbox is written to `DATA/outbox/`; `None` keeps it in memory only).
    pub fn new(svc: Arc<Service>, data: Option<&Path>) -> AppState {
        AppState {
            svc,
            console: Arc::new(RootConsole::new(data.map(|d| d.join("outbox")))),
        }
    }
}

/// The whole service as a router (tests call it on a port-0 listener).
pub fn app(state: AppState) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
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
            if let serde_json::Value::Object(m) = &mut body {
                for (k, v) in &e.extra {
                    m.insert(k.clone(), serde_json::Value::String(v.clone()));
                }
            }
            respond(e.status, content_type, request_id, body.to_string())
        }
        Protocol::RestXml => services::s3::error_response(e, request_id),
    }
}

async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request<Body>,
) -> Response<Body> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    if parts.uri.path() == "/_rootward/health" && parts.method == Method::GET {
        return respond(200, "text/plain", &request_id, "ok\n".to_owned());
    }
    if console::is_console_path(parts.uri.path()) {
        return console::handle(&state, &parts, body, peer, &request_id).await;
    }
    let guess = auth::protocol_guess(&parts);
    let limit = match guess {
        Protocol::RestXml => services::s3::body_limit(&state.svc),
        _ => MAX_BODY,
    };
    let body = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return error_response(
                guess,
                &ApiError::new("RequestEntityTooLarge", 413, "Request body is too large"),
                &request_id,
            );
        }
    };
    // Reads served from memory run on the async worker itself; anything
    // that may wait for the disk (a commit, an object's bytes, the trail) goes
    // to the blocking pool. Deciding wrongly costs speed, never correctness.
    if served_from_memory(&parts, &body) {
        return dispatch(&state.svc, &parts, &body, peer, &request_id);
    }
    let svc = state.svc.clone();
    let rid = request_id.clone();
    let result =
        tokio::task::spawn_blocking(move || dispatch(&svc, &parts, &body, peer, &rid)).await;
    match result {
        Ok(r) => r,
        Err(_) => error_response(guess, &ApiError::internal(), &request_id),
    }
}

/// Whether a call only reads state kept in memory (it never commits, waits
/// on the trail or reads stored bytes): its operation's `dispatch` fact in
/// the supplementary table. Read before the signature is verified, from the
/// credential scope and the operation the request names; a wrong guess
/// costs speed, never correctness.
fn served_from_memory(parts: &axum::http::request::Parts, body: &[u8]) -> bool {
    let Some(api) = auth::scope_service(parts).and_then(services::Api::from_signing_name) else {
        return false;
    };
    let op = match api {
        services::Api::S3 => services::s3::route_guess(parts),
        _ => {
            let name = match parts
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
            name.and_then(|n| api.operation(n))
        }
    };
    op.and_then(|o| o.info().facts)
        .is_some_and(|f| f.dispatch == rootward_model::Dispatch::Memory)
}

fn dispatch(
    svc: &Service,
    parts: &axum::http::request::Parts,
    body: &[u8],
    peer: SocketAddr,
    request_id: &str,
) -> Response<Body> {
    let authn = match auth::authenticate(svc, parts, body, peer) {
        Ok(a) => a,
        Err((Protocol::RestXml, e)) => return services::s3::auth_failure(parts, &e, request_id),
        Err((protocol, e)) => return error_response(protocol, &e, request_id),
    };
    let host = parts.headers.get("host").and_then(|v| v.to_str().ok());
    let api = services::Api::from_signing_name(&authn.service);
    let ctx = Ctx::new(svc, &authn.caller, parts, authn.global_endpoint);
    match authn.protocol {
        Protocol::Query(qs) => {
            let mut params = Params::parse(parts.uri.query().unwrap_or("").as_bytes());
            if parts.method == Method::POST {
                let mut form = Params::parse(body);
                form.merge(params);
                params = form;
            }
            let Some(name) = params.get("Action").map(str::to_owned) else {
                return error_response(
                    authn.protocol,
                    &ApiError::new("MissingAction", 400, "Missing Action"),
                    request_id,
                );
            };
            let api = api.unwrap_or(services::Api::Iam);
            let Some(op) = api.operation(&name) else {
                let e = match api {
                    services::Api::Sqs => services::sqs::query_form::unknown_operation(&name),
                    _ => crate::protocol::query::unknown_operation(&name, api.model().api_version),
                };
                return error_response(authn.protocol, &e, request_id);
            };
            let info = op.info();
            let result = if api == services::Api::Sqs {
                // SQS's query form: its members as the JSON input they
                // stand for, answered by the same handlers as JSON.
                match services::sqs::query_form::query_members(&params) {
                    Err(e) => Err(e),
                    Ok(map) => match json::decode(info.input, &map) {
                        Err(e) => Err(e),
                        Ok(tree) => execute(&ctx, api, op, &tree, request_id, host, |input| {
                            services::call_json(op, &ctx, input)
                        }),
                    },
                }
                .map(|out| {
                    (!info.output.is_empty()).then(|| {
                        let mut x = crate::protocol::xml::Xml::new();
                        if let Some(serde_json::Value::Object(m)) = &out {
                            services::sqs::query_form::members_xml(m, &mut x);
                        }
                        x
                    })
                })
            } else {
                let tree = crate::protocol::query::decode(info.input, &params);
                execute(&ctx, api, op, &tree, request_id, host, |input| {
                    services::call_query(op, &ctx, input)
                })
            };
            match result {
                Ok(inner) => respond(
                    200,
                    "text/xml",
                    request_id,
                    qs.success(&name, request_id, inner),
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
            let result = match api
                .filter(|a| matches!(a.model().protocol, rootward_model::Protocol::Json { .. }))
            {
                None => Err(ApiError::new(
                    "UnknownOperationException",
                    400,
                    format!("The {} service is not implemented yet", authn.service),
                )),
                Some(api) => json::operation(target, api.model())
                    .and_then(|name| api.operation(name).ok_or_else(json::unknown_operation))
                    .and_then(|op| {
                        let object = json::body(body)?;
                        let tree = json::decode(op.info().input, &object)?;
                        execute(&ctx, api, op, &tree, request_id, host, |input| {
                            services::call_json(op, &ctx, input)
                        })
                    }),
            };
            match result {
                Ok(Some(v)) => respond(200, content_type, request_id, v.to_string()),
                Ok(None) => respond(200, content_type, request_id, String::new()),
                Err(e) => error_response(authn.protocol, &e, request_id),
            }
        }
    }
}

/// Authorizes and executes one call, then records it: the input is checked
/// against the operation's model constraints (a failure is the service's
/// own validation error), `run` calls the service, and the call's trail
/// event is built once from the operation's table entry and committed with
/// the call's changes ([`Service::finish`]). A commit that fails turns the
/// answer into an internal error.
fn execute<B>(
    ctx: &Ctx<'_>,
    api: services::Api,
    op: services::Op,
    tree: &[(&str, rootward_model::Value<'_>)],
    request_id: &str,
    host: Option<&str>,
    run: impl FnOnce(&Input<'_>) -> Result<Output<B>, ApiError>,
) -> Result<B, ApiError> {
    let info = op.info();
    let invalid = api.invalid();
    let unit = ctx.svc.begin();
    let result = crate::protocol::input::validate(info.input, tree, invalid)
        .and_then(|()| run(&Input::new(tree, invalid)));
    let (result, response) = match result {
        Ok(out) => (Ok(out.body), out.response_elements),
        Err(e) => (Err(e), None),
    };
    let facts = info.facts;
    let finished = ctx.svc.finish(
        unit,
        Some(&rootward_core::trail::event::Call {
            caller: ctx.caller,
            service: api.model().signing_name,
            operation: info.name,
            global: api.global(ctx.global_endpoint),
            read_only: facts.is_some_and(|f| f.read_only),
            data_event: facts.is_some_and(|f| f.data_event),
            request: trail::request_parameters(info.input, tree),
            response,
            error: result
                .as_ref()
                .err()
                .map(|e| (e.code.as_str(), e.message.as_str())),
            request_id,
            resources: facts
                .map(|f| trail::resources(f, &ctx.caller.account, tree))
                .unwrap_or_default(),
            host,
        }),
    );
    match finished {
        Ok(()) => result,
        Err(e) => {
            tracing::error!(error = %e, operation = info.name, "call not committed");
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
