//! The sign-in page stand-ins under `/_rootward/`: unsigned JSON in, JSON
//! out, answered before SigV4 like the health check. The logic is the
//! domain's ([`rootward_core::root_user`]); this is the HTTP glue.
//!
//! | Route | In | Out |
//! |---|---|---|
//! | `POST /_rootward/signup` | `email`, `password`, `account_name` | `account_id` |
//! | `POST /_rootward/signin` | `email` (root) or `account_id` + `user_name` (IAM user), `password`, `mfa_code`? | `account_id`, `user_name` (IAM user), `credentials` |
//! | `POST /_rootward/mfa/create` | `email`, `password`, `mfa_code`? | `serial_number`, `base32_seed` |
//! | `POST /_rootward/mfa/enable` | `email`, `password`, `mfa_code`?, `serial_number`, `code1`, `code2` | `{}` |
//! | `POST /_rootward/forgot-password` | `email` | `message` (always the same) |
//! | `POST /_rootward/reset-password` | `token`, `new_password` | `account_id` |
//! | `GET /_rootward/outbox?email=…` | (loopback peers only) | list of messages |
//!
//! Failures are `{"error": "…"}` with a 4xx status; never a 500 for bad input.
//!
//! The same routes also answer a browser: a GET of `/signin`,
//! `/forgot-password`, `/reset-password` or `/mailbox`, or a form POST, gets
//! the HTML pages of [`crate::signin_pages`].

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use rootward_core::clock::iso8601;
use rootward_core::model::KeyOwner;
use rootward_core::root_user::{ConsoleError, Principal, RECOVERY_SENT};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::error::console_status;

/// Largest stand-in request body.
const MAX_BODY: usize = 64 * 1024;

fn reply(status: u16, request_id: &str, body: &Value) -> Response<Body> {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Answers may carry credentials, seeds or tokens.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    r
}

fn error(status: u16, request_id: &str, message: &str) -> Response<Body> {
    reply(status, request_id, &json!({ "error": message }))
}

fn bad_request(message: impl Into<String>) -> ConsoleError {
    ConsoleError::Invalid(message.into())
}

/// A required string field.
fn field<'a>(v: &'a Value, name: &str) -> Result<&'a str, ConsoleError> {
    match v.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(bad_request(format!("The field `{name}` must be a string."))),
        None => Err(bad_request(format!("The field `{name}` is missing."))),
    }
}

/// An optional string field (`null` and `""` count as absent).
fn optional<'a>(v: &'a Value, name: &str) -> Result<Option<&'a str>, ConsoleError> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad_request(format!("The field `{name}` must be a string."))),
    }
}

/// Whether `path` is a stand-in route (answered by [`handle`]).
pub fn is_console_path(path: &str) -> bool {
    path.starts_with("/_rootward/") && path != "/_rootward/health"
}

/// Answers a stand-in request.
pub async fn handle(
    state: &AppState,
    parts: &axum::http::request::Parts,
    body: Body,
    peer: SocketAddr,
    request_id: &str,
) -> Response<Body> {
    let path = parts.uri.path().trim_start_matches("/_rootward");
    if crate::signin_pages::wants_html(parts) {
        let bytes = match to_bytes(body, MAX_BODY).await {
            Ok(b) => b,
            Err(_) => return error(413, request_id, "The request body is too large."),
        };
        return crate::signin_pages::handle(state, parts, &bytes, peer).await;
    }
    if parts.method == Method::GET && path == "/outbox" {
        if !peer.ip().is_loopback() {
            return error(
                403,
                request_id,
                "The outbox is served to local clients only.",
            );
        }
        let email = parts.uri.query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "email")
                .map(|(_, v)| v.into_owned())
        });
        let list = state.console.outbox(email.as_deref());
        return reply(
            200,
            request_id,
            &serde_json::to_value(list).unwrap_or_else(|_| json!([])),
        );
    }
    let known = [
        "/signup",
        "/signin",
        "/mfa/create",
        "/mfa/enable",
        "/forgot-password",
        "/reset-password",
    ];
    if !known.contains(&path) {
        return error(404, request_id, "Not found.");
    }
    if parts.method != Method::POST {
        return error(405, request_id, "Use POST.");
    }
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return error(413, request_id, "The request body is too large."),
    };
    let input: Value = match serde_json::from_slice(&bytes) {
        Ok(v @ Value::Object(_)) => v,
        _ => return error(400, request_id, "The request body must be a JSON object."),
    };
    let svc = state.svc.clone();
    let console = state.console.clone();
    let path = path.to_owned();
    // Password hashing is slow on purpose: off the async workers.
    let result = tokio::task::spawn_blocking(move || -> Result<Value, ConsoleError> {
        let svc = svc.as_ref();
        match path.as_str() {
            "/signup" => {
                let id = console.signup(
                    svc,
                    field(&input, "email")?,
                    field(&input, "password")?,
                    field(&input, "account_name")?,
                )?;
                Ok(json!({ "account_id": id }))
            }
            "/signin" => {
                // An IAM user signs in with `account_id` and `user_name`;
                // the root user with `email`.
                let user_name = optional(&input, "user_name")?;
                let account_id;
                let email;
                let who = match user_name {
                    Some(user_name) => {
                        account_id = field(&input, "account_id")?;
                        Principal::User {
                            account: account_id,
                            user_name,
                        }
                    }
                    None => {
                        email = field(&input, "email")?;
                        Principal::Root { email }
                    }
                };
                let s = console.signin(
                    svc,
                    &who,
                    field(&input, "password")?,
                    optional(&input, "mfa_code")?,
                )?;
                let mut out = json!({
                    "account_id": s.account,
                    "credentials": {
                        "AccessKeyId": s.session.access_key_id,
                        "SecretAccessKey": s.session.secret.expose(),
                        "SessionToken": s.session.token.expose(),
                        "Expiration": iso8601(s.session.expires),
                    }
                });
                if let (KeyOwner::User(name), Some(o)) = (&s.principal, out.as_object_mut()) {
                    o.insert("user_name".into(), json!(name));
                }
                Ok(out)
            }
            "/mfa/create" => {
                let d = console.mfa_create(
                    svc,
                    field(&input, "email")?,
                    field(&input, "password")?,
                    optional(&input, "mfa_code")?,
                )?;
                Ok(json!({ "serial_number": d.serial, "base32_seed": d.seed.expose() }))
            }
            "/mfa/enable" => {
                console.mfa_enable(
                    svc,
                    field(&input, "email")?,
                    field(&input, "password")?,
                    optional(&input, "mfa_code")?,
                    field(&input, "serial_number")?,
                    field(&input, "code1")?,
                    field(&input, "code2")?,
                )?;
                Ok(json!({}))
            }
            "/forgot-password" => {
                console.forgot_password(svc, field(&input, "email")?)?;
                Ok(json!({ "message": RECOVERY_SENT }))
            }
            _ => {
                let account = console.reset_password(
                    svc,
                    field(&input, "token")?,
                    field(&input, "new_password")?,
                )?;
                Ok(json!({ "account_id": account }))
            }
        }
    })
    .await;
    match result {
        Ok(Ok(v)) => reply(200, request_id, &v),
        Ok(Err(e)) => error(console_status(&e), request_id, &e.to_string()),
        Err(_) => error(500, request_id, "Something went wrong. Try again later."),
    }
}
