//! The HTTP application: one handler for every service, reading top to bottom.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, header};
use rootward_core::Service;
use rootward_core::root_user::RootConsole;
use rootward_model::Dispatch;
use tracing::Instrument;

use crate::auth::{self, Protocol};
use crate::console;
use crate::error::ApiError;
use crate::limits::{self, BodyBudget, Limits};
use crate::listener::ConflictingFraming;
use crate::protocol::input::Input;
use crate::protocol::json;
use crate::protocol::query::Params;
use crate::request_log;
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

use crate::protocol::respond;

pub use crate::protocol::error_response;

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
    let span = request_log::span(&request_id);
    // (Cheap clones: the method is an enum, the path shares its bytes.)
    let (method, uri) = (parts.method.clone(), parts.uri.clone());
    let (response, facts) =
        request_log::scope(serve(state, peer, parts, body, conflicting, &request_id))
            .instrument(span.clone())
            .await;
    request_log::finish(
        &span,
        method.as_str(),
        uri.path(),
        response.status().as_u16(),
        facts,
    );
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
    if conflicting {
        return closing(error_response(
            auth::protocol_guess(&parts),
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
                Protocol::RestXml => {
                    crate::protocol::rest_xml::auth_failure(&parts, &e, request_id)
                }
                _ => error_response(protocol, &e, request_id),
            };
            return if limits::has_body(&parts.headers) {
                closing(r)
            } else {
                r
            };
        }
    };
    // From here on, errors speak the protocol of the signature's service
    // (the protocol the request seems to speak, `auth::protocol_guess`, is
    // read from the same credential scope; only a request that failed above
    // needs it, and reading it for every call cost ~1.4% of a
    // GetCallerIdentity's CPU; issue 15).
    let protocol = identified.protocol();
    let limit = match protocol {
        Protocol::RestXml => services::s3::body_limit(&state.svc),
        _ => MAX_BODY,
    };
    let declared = limits::declared_length(&parts.headers);
    let (body, _held) = match limits::read_body(body, declared, limit, state.budget()).await {
        Ok(b) => b,
        Err(e) => {
            let r = match protocol {
                Protocol::RestXml => crate::protocol::rest_xml::body_failure(e, request_id),
                _ => error_response(protocol, &e.api_error(), request_id),
            };
            return closing(r);
        }
    };
    // Reads served from memory run on the async worker itself, and so do
    // calls that issue credentials: their only write, their trail event, is
    // synced by the history's committer while the task waits without holding
    // a thread. Anything else that may wait for the disk (a commit, an
    // object's bytes, the trail) goes to the blocking pool. Deciding wrongly
    // costs speed, never correctness.
    let named = operation_named(identified.service(), &parts, &body);
    match named.and_then(|o| o.info().facts).map(|f| f.dispatch) {
        Some(Dispatch::Memory) => {
            return dispatch(
                &state.svc, identified, &parts, &body, peer, request_id, named,
            );
        }
        Some(Dispatch::Issue) => {
            let (response, waits) = rootward_core::service::with_deferred_sync(|| {
                dispatch(
                    &state.svc, identified, &parts, &body, peer, request_id, named,
                )
            });
            for wait in waits {
                if let Err(e) = wait.await {
                    tracing::error!(error = %e, "call not committed");
                    return error_response(protocol, &ApiError::internal(), request_id);
                }
            }
            return response;
        }
        Some(Dispatch::Blocking) | None => {}
    }
    if named
        == Some(services::Op::Sqs(
            rootward_model::sqs::Operation::ReceiveMessage,
        ))
    {
        return long_poll(state, peer, parts, body, identified, request_id, named).await;
    }
    let svc = state.svc.clone();
    let rid = request_id.to_owned();
    let span = tracing::Span::current();
    let facts = request_log::take();
    let result = tokio::task::spawn_blocking(move || {
        span.in_scope(|| {
            request_log::in_thread(facts, || {
                dispatch(&svc, identified, &parts, &body, peer, &rid, named)
            })
        })
    })
    .await;
    match result {
        Ok((r, facts)) => {
            request_log::restore(facts);
            r
        }
        Err(_) => error_response(protocol, &ApiError::internal(), request_id),
    }
}

/// How often a parked long poll looks whether its queue was woken.
const LONG_POLL_TICK: std::time::Duration = std::time::Duration::from_millis(50);

/// SQS `ReceiveMessage`: run on the blocking pool inside a long-poll scope
/// (`rootward_core::sqs::waiters`). A receive that finds nothing and may
/// wait is parked and answers nothing; it waits here, on the request's
/// async task without holding a thread, until its queue is woken (a send,
/// a deletion, the server stopping), a delayed or in-flight message of it
/// becomes visible, or its deadline passes, then runs
/// again, authenticated again (the request is the same), with the same
/// deadline. A client that goes away drops the task and its place.
async fn long_poll(
    state: AppState,
    peer: SocketAddr,
    parts: axum::http::request::Parts,
    body: bytes::Bytes,
    identified: auth::Identified,
    request_id: &str,
    named: Option<services::Op>,
) -> Response<Body> {
    let protocol = identified.protocol();
    let parts = Arc::new(parts);
    let mut identified = Some(identified);
    let mut deadline = None;
    loop {
        let ident = match identified.take() {
            Some(i) => i,
            None => match auth::identify(&state.svc, &parts) {
                Ok(i) => i,
                Err((p, e)) => return error_response(p, &e, request_id),
            },
        };
        let svc = state.svc.clone();
        let rid = request_id.to_owned();
        let span = tracing::Span::current();
        let facts = request_log::take();
        let (p, b) = (parts.clone(), body.clone());
        let result = tokio::task::spawn_blocking(move || {
            span.in_scope(|| {
                request_log::in_thread(facts, || {
                    rootward_core::sqs::waiters::long_poll(deadline, || {
                        dispatch(&svc, ident, &p, &b, peer, &rid, named)
                    })
                })
            })
        })
        .await;
        let ((response, parked), facts) = match result {
            Ok(r) => r,
            Err(_) => return error_response(protocol, &ApiError::internal(), request_id),
        };
        request_log::restore(facts);
        let Some(parked) = parked else {
            return response;
        };
        deadline = Some(parked.deadline);
        loop {
            let now = std::time::Instant::now();
            if parked.woken() || now >= parked.look_again {
                break;
            }
            tokio::time::sleep(LONG_POLL_TICK.min(parked.look_again - now)).await;
        }
    }
}

/// The operation a request names, read before its signature is verified
/// from its credential scope's `service`: where the call runs is this
/// operation's `dispatch` fact in the supplementary table (`None`: unknown,
/// the blocking pool), and a wrong guess there costs speed, never
/// correctness. An S3 request's operation is also handed on to its handler
/// ([`answer`]), which would otherwise resolve the same route again, only
/// when the signature turns out to be for S3.
fn operation_named(
    service: &str,
    parts: &axum::http::request::Parts,
    body: &[u8],
) -> Option<services::Op> {
    let api = services::Api::from_signing_name(service)?;
    match api {
        services::Api::S3 => services::s3::route_guess(parts),
        services::Api::Account => api.route(&crate::protocol::rest_json::Request::new(parts)),
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
    }
}

/// Where a call runs ([`operation_named`]).
#[cfg(test)]
fn dispatch_of(service: &str, parts: &axum::http::request::Parts, body: &[u8]) -> Option<Dispatch> {
    operation_named(service, parts, body)
        .and_then(|o| o.info().facts)
        .map(|f| f.dispatch)
}

/// Whether a call only reads state kept in memory (it never commits, waits
/// on the trail or reads stored bytes).
#[cfg(test)]
fn served_from_memory(parts: &axum::http::request::Parts, body: &[u8]) -> bool {
    dispatch_of(auth::scope_service(parts).unwrap_or(""), parts, body) == Some(Dispatch::Memory)
}

fn dispatch(
    svc: &Service,
    identified: auth::Identified,
    parts: &axum::http::request::Parts,
    body: &[u8],
    peer: SocketAddr,
    request_id: &str,
    named: Option<services::Op>,
) -> Response<Body> {
    request_log::service(identified.service());
    let authn = match auth::authenticate(svc, identified, parts, body, peer) {
        Ok(a) => a,
        Err((Protocol::RestXml, e)) => {
            return crate::protocol::rest_xml::auth_failure(parts, &e, request_id);
        }
        Err((protocol, e)) => return error_response(protocol, &e, request_id),
    };
    let response = answer(svc, &authn, parts, body, request_id, named);
    request_log::caller(response.status().as_u16(), || authn.caller.arn(&svc.read()));
    response
}

/// Answers an authenticated request in its service's protocol.
fn answer(
    svc: &Service,
    authn: &auth::Authenticated,
    parts: &axum::http::request::Parts,
    body: &[u8],
    request_id: &str,
    named: Option<services::Op>,
) -> Response<Body> {
    let host = parts.headers.get("host").and_then(|v| v.to_str().ok());
    let Some(api) = services::Api::from_signing_name(&authn.service) else {
        // A service this endpoint does not serve: answered in its own
        // protocol, never as IAM (issue 14 §2).
        let op = crate::protocol::operation_named(parts, body);
        request_log::operation(&op);
        let e = crate::protocol::not_implemented(authn.protocol, &authn.service, &op);
        return error_response(authn.protocol, &e, request_id);
    };
    let ctx = Ctx::new(svc, &authn.caller, parts, authn.global_endpoint);
    match authn.protocol {
        Protocol::Query(qs) => {
            let params = match form_params(parts, body) {
                Ok(p) => p,
                Err(e) => return error_response(authn.protocol, &e, request_id),
            };
            let Some(name) = params.get("Action").map(str::to_owned) else {
                return error_response(
                    authn.protocol,
                    &ApiError::new("MissingAction", 400, "Missing Action"),
                    request_id,
                );
            };
            request_log::operation(&name);
            let Some(op) = api.operation(&name) else {
                let e = crate::protocol::query::unknown_operation(&name, api.model());
                return error_response(authn.protocol, &e, request_id);
            };
            if let Some(e) =
                crate::protocol::query::other_version(&name, params.get("Version"), api.model())
            {
                return error_response(authn.protocol, &e, request_id);
            }
            let info = op.info();
            let result = if api == services::Api::Sqs {
                // SQS's query form: its members as the JSON input they
                // stand for, answered by the same handlers as JSON.
                // A queue addressed by the request path fills `QueueUrl`.
                let members = services::sqs::query_form::query_members(&params).map(|mut map| {
                    services::sqs::fill_queue_url(info.input, parts, &mut map);
                    map
                });
                match members {
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
                            services::sqs::query_form::members_xml_of(&name, m, &mut x);
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
        Protocol::Ec2 => {
            let params = match form_params(parts, body) {
                Ok(p) => p,
                Err(e) => return error_response(authn.protocol, &e, request_id),
            };
            let Some(name) = params.get("Action").map(str::to_owned) else {
                return error_response(
                    authn.protocol,
                    &ApiError::new(
                        "MissingAction",
                        400,
                        "The request must contain the parameter Action",
                    ),
                    request_id,
                );
            };
            request_log::operation(&name);
            let result = match api.operation(&name) {
                Some(op @ services::Op::Ec2(o)) => {
                    let tree = crate::protocol::query::decode_ec2(op.info().input, &params);
                    execute(&ctx, api, op, &tree, request_id, host, |_| {
                        services::ec2::call(o, &ctx, &params)
                    })
                }
                // The pinned EC2 model is trimmed to what is served, so an
                // action missing from it may well be a real EC2 action.
                _ => Err(crate::protocol::ec2::not_implemented(&name)),
            };
            match result {
                Ok(inner) => {
                    let ns = match api.model().protocol {
                        rootward_model::Protocol::Ec2 { xml_namespace, .. } => xml_namespace,
                        _ => "",
                    };
                    // AWS's answers end the namespace with a slash; the model's does not.
                    let ns = format!("{}/", ns.trim_end_matches('/'));
                    respond(
                        200,
                        crate::protocol::ec2::CONTENT_TYPE,
                        request_id,
                        crate::protocol::ec2::success(&name, &ns, request_id, inner),
                    )
                }
                Err(e) => error_response(authn.protocol, &e, request_id),
            }
        }
        Protocol::RestJson => {
            let result = match api.route(&crate::protocol::rest_json::Request::new(parts)) {
                None => Err(crate::protocol::rest_json::unknown_operation()),
                Some(op) => {
                    request_log::operation(op.name());
                    json::body(body).and_then(|object| {
                        let tree = json::decode(op.info().input, &object)?;
                        execute(&ctx, api, op, &tree, request_id, host, |input| {
                            services::call_json(op, &ctx, input)
                        })
                    })
                }
            };
            match result {
                Ok(out) => crate::protocol::rest_json::success(200, request_id, out.as_ref()),
                Err(e) => error_response(authn.protocol, &e, request_id),
            }
        }
        Protocol::RestXml => {
            // The route read before authentication, from the same request,
            // when it was read for S3 (the scope's service and the
            // authenticated one are the same string).
            let routed = match named {
                Some(services::Op::S3(o)) => Some(o),
                _ => None,
            };
            services::s3::handle(svc, authn, parts, body, request_id, routed)
        }
        Protocol::Json { version, .. } => {
            let content_type = version.content_type();
            let target = parts
                .headers
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok());
            let result = match Some(api)
                .filter(|a| matches!(a.model().protocol, rootward_model::Protocol::Json { .. }))
            {
                None => Err(json::unknown_operation()),
                Some(api) => json::operation(target, api.model())
                    .and_then(|name| {
                        request_log::operation(name);
                        api.operation(name).ok_or_else(json::unknown_operation)
                    })
                    .and_then(|op| {
                        let mut object = json::body(body)?;
                        if api == services::Api::Sqs {
                            // A queue addressed by the request path.
                            services::sqs::fill_queue_url(op.info().input, parts, &mut object);
                        }
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

/// The parameters of a query-protocol request: its form body (POST) and
/// its query string, the body's winning. Either one not UTF-8 once
/// percent-decoded fails the request ([`crate::protocol::query::not_utf8`]).
fn form_params(parts: &axum::http::request::Parts, body: &[u8]) -> Result<Params, ApiError> {
    let not_utf8 = |_| crate::protocol::query::not_utf8();
    let mut params = Params::parse(parts.uri.query().unwrap_or("").as_bytes()).map_err(not_utf8)?;
    if parts.method == Method::POST {
        let mut form = Params::parse(body).map_err(not_utf8)?;
        form.merge(params);
        params = form;
    }
    Ok(params)
}

/// Authorizes and executes one call, then records it: the input is checked
/// against the operation's model constraints (a failure is the service's
/// own validation error), `run` calls the service, and the call's trail
/// event is built once from the operation's table entry and committed with
/// the call's changes ([`trail::record`], where S3's calls end too). A
/// commit that fails turns the answer into an internal error.
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
    let (result, response, shared_with) = match result {
        Ok(out) => (Ok(out.body), out.response_elements, out.shared_with),
        Err(e) => (Err(e), None, None),
    };
    let facts = info.facts;
    let error = result
        .as_ref()
        .err()
        .map(|e| (e.code.as_str(), e.message.as_str()));
    let finished = trail::record(
        ctx.svc,
        unit,
        trail::Finished {
            api,
            op: Some(op),
            caller: ctx.caller,
            global_endpoint: ctx.global_endpoint,
            facts: trail::CallFacts {
                request: trail::request_parameters(info.input, tree),
                response,
                resources: facts
                    .map(|f| trail::resources(f, &ctx.caller.account, &ctx.caller.region, tree))
                    .unwrap_or_default(),
                shared_with,
            },
            error,
            request_id,
            host,
        },
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
        assert_eq!(
            dispatch_of("sts", &sts, b"Action=AssumeRole&Version=2011-06-15"),
            Some(Dispatch::Issue)
        );
        let presigned = parts(
            "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261123%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Signature=abc",
            &[],
        );
        assert_eq!(auth::scope_service(&presigned), Some("sts"));
        let scoped = |credential: &str| {
            auth::scope_service(&parts(
                &format!("/?X-Amz-Credential={credential}&X-Amz-Signature=abc"),
                &[],
            ))
            .map(str::to_owned)
        };
        assert_eq!(
            scoped("AKID%2F20261123%2Fus-east-1%2Fs3/aws4_request").as_deref(),
            Some("s3")
        );
        assert_eq!(
            scoped("AKID/20261123/us-east-1/sqs%2Faws4_request").as_deref(),
            Some("sqs")
        );
        assert_eq!(scoped("s3/aws4_request").as_deref(), Some("s3"));
        assert_eq!(scoped("AKID/20261123/us-east-1/s3/aws4_requests"), None);
        assert_eq!(scoped("AKID/20261123/us-east-1/s3"), None);
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
        // S3 reads of memory run on the async workers (issue 15); object
        // reads and writes do not.
        let s3 = |method: &str, uri: &str| {
            Request::builder()
                .method(method)
                .uri(uri)
                .header("host", "127.0.0.1:9000")
                .header("authorization", auth("s3"))
                .body(())
                .unwrap()
                .into_parts()
                .0
        };
        assert!(served_from_memory(&s3("GET", "/bucket?policy"), b""));
        assert!(served_from_memory(&s3("GET", "/"), b""));
        assert!(served_from_memory(&s3("HEAD", "/bucket"), b""));
        assert!(!served_from_memory(&s3("PUT", "/bucket?policy"), b"{}"));
        assert!(!served_from_memory(&s3("GET", "/bucket/key"), b""));
        // Account and EC2 reads by their routes.
        let account = Request::builder()
            .method("POST")
            .uri("/getContactInformation")
            .header("authorization", auth("account"))
            .body(())
            .unwrap()
            .into_parts()
            .0;
        assert!(served_from_memory(&account, b"{}"));
        let ec2 = parts("/", &[("authorization", &auth("ec2"))]);
        assert!(served_from_memory(
            &ec2,
            b"Action=DescribeRegions&Version=2016-11-15"
        ));
    }
}
