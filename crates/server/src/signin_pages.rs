//! The sign-in page stand-ins as HTML, beside the JSON routes of
//! [`crate::console`]: sign in (the root user by e-mail, or an IAM user by
//! account id and user name; password; MFA code), forgot password, reset
//! password, and a loopback-only mailbox that shows the messages the
//! stand-in sent (so the recovery flow can be walked in a browser). The
//! same domain calls as the JSON routes; plain forms, no script, a strict
//! Content-Security-Policy. Credentials issued at a browser sign-in are not
//! shown (the JSON route is the way to get them).

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use maud::{DOCTYPE, Markup, html};
use rootward_core::model::KeyOwner;
use rootward_core::root_user::{Principal, RECOVERY_SENT};

use crate::error::console_status;

use crate::app::AppState;

const CSS: &str = "body{font:15px/1.45 system-ui,sans-serif;background:#f2f3f3;color:#16191f;margin:0}main{max-width:520px;margin:40px auto;background:#fff;border:1px solid #d5dbdb;border-radius:8px;padding:20px 24px}h1{font-size:22px;margin-top:0}h2{font-size:17px}form{display:flex;flex-direction:column;gap:6px;margin-bottom:18px}input{font:inherit;padding:6px 8px;border:1px solid #8c8c94;border-radius:4px}button{font:inherit;padding:7px 14px;border-radius:16px;border:1px solid #0972d3;background:#0972d3;color:#fff;font-weight:600;align-self:flex-start}.error{background:#fff0ef;border:1px solid #f5a9a6;padding:10px;border-radius:6px}.ok{background:#e9f7ea;border:1px solid #9ed8a1;padding:10px;border-radius:6px}fieldset{border:1px solid #d5dbdb;border-radius:6px;display:flex;flex-direction:column;gap:6px}a{color:#0972d3}pre{white-space:pre-wrap}";

const CSP: &str = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Whether this request is for the HTML pages: a GET of a page, or a form
/// POST (`application/x-www-form-urlencoded`).
pub fn wants_html(parts: &axum::http::request::Parts) -> bool {
    let path = parts.uri.path().trim_start_matches("/_rootward");
    let page = matches!(
        path,
        "/signin" | "/forgot-password" | "/reset-password" | "/mailbox" | "/signin.css"
    );
    let form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    page && (parts.method == Method::GET || (parts.method == Method::POST && form))
}

fn page(status: u16, title: &str, body: Markup) -> Response<Body> {
    let text = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · AWS sign-in (Rootward stand-in)" }
                link rel="stylesheet" href="/_rootward/signin.css";
            }
            body { main { (body) } }
        }
    };
    let mut r = Response::new(Body::from(text.into_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn error_box(e: Option<&str>) -> Markup {
    html! { @if let Some(e) = e { p class="error" role="alert" { (e) } } }
}

fn signin_form(error: Option<&str>) -> Markup {
    html! {
        h1 { "Sign in" }
        (error_box(error))
        form method="post" action="/_rootward/signin" {
            fieldset {
                legend { "Root user" }
                label for="email" { "Root user e-mail address" }
                input id="email" name="email" type="email" autocomplete="username";
                label for="password" { "Password" }
                input id="password" name="password" type="password" autocomplete="current-password";
                label for="mfa" { "MFA code (if the root user has an MFA device)" }
                input id="mfa" name="mfa_code" inputmode="numeric" autocomplete="one-time-code";
                button type="submit" { "Sign in as root" }
            }
        }
        form method="post" action="/_rootward/signin" {
            fieldset {
                legend { "IAM user" }
                label for="account" { "Account id" }
                input id="account" name="account_id" inputmode="numeric";
                label for="user" { "IAM user name" }
                input id="user" name="user_name" autocomplete="username";
                label for="upassword" { "Password" }
                input id="upassword" name="password" type="password" autocomplete="current-password";
                label for="umfa" { "MFA code (if the user has an MFA device)" }
                input id="umfa" name="mfa_code" inputmode="numeric" autocomplete="one-time-code";
                button type="submit" { "Sign in as IAM user" }
            }
        }
        p { a href="/_rootward/forgot-password" { "Forgot password?" } }
    }
}

fn forgot_form(error: Option<&str>) -> Markup {
    html! {
        h1 { "Root user password recovery" }
        (error_box(error))
        form method="post" action="/_rootward/forgot-password" {
            label for="email" { "Root user e-mail address" }
            input id="email" name="email" type="email" autocomplete="username";
            button type="submit" { "Send reset link" }
        }
        p { a href="/_rootward/signin" { "Back to sign-in" } }
    }
}

fn reset_form(token: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "Reset the root user password" }
        (error_box(error))
        form method="post" action="/_rootward/reset-password" {
            label for="token" { "Reset token (from the e-mail)" }
            input id="token" name="token" value=(token) autocomplete="off";
            label for="new" { "New password" }
            input id="new" name="new_password" type="password" autocomplete="new-password";
            label for="confirm" { "Confirm the new password" }
            input id="confirm" name="confirm_password" type="password" autocomplete="new-password";
            button type="submit" { "Reset password" }
        }
    }
}

fn fields(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn get<'a>(f: &'a [(String, String)], name: &str) -> Option<&'a str> {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// Answers a page request (see [`wants_html`]).
pub async fn handle(
    state: &AppState,
    parts: &axum::http::request::Parts,
    body: &[u8],
    peer: SocketAddr,
) -> Response<Body> {
    let path = parts.uri.path().trim_start_matches("/_rootward").to_owned();
    let query = fields(parts.uri.query().unwrap_or_default().as_bytes());
    if parts.method == Method::GET {
        return match path.as_str() {
            "/signin.css" => {
                let mut r = Response::new(Body::from(CSS));
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css"));
                r
            }
            "/signin" => page(200, "Sign in", signin_form(None)),
            "/forgot-password" => page(200, "Forgot password", forgot_form(None)),
            "/reset-password" => page(
                200,
                "Reset password",
                reset_form(get(&query, "token").unwrap_or_default(), None),
            ),
            _ => mailbox(state, get(&query, "email"), peer),
        };
    }
    let form = fields(body);
    let svc = state.svc.clone();
    let console = state.console.clone();
    let result = tokio::task::spawn_blocking(move || post(&svc, &console, &path, &form)).await;
    match result {
        Ok(r) => r,
        Err(_) => page(
            500,
            "Error",
            html! { p class="error" { "Something went wrong. Try again later." } },
        ),
    }
}

fn post(
    svc: &rootward_core::Service,
    console: &rootward_core::root_user::RootConsole,
    path: &str,
    form: &[(String, String)],
) -> Response<Body> {
    let text = |name: &str| get(form, name).unwrap_or_default().to_owned();
    match path {
        "/signin" => {
            let (email, account, user) = (text("email"), text("account_id"), text("user_name"));
            let who = if user.is_empty() {
                Principal::Root { email: &email }
            } else {
                Principal::User {
                    account: &account,
                    user_name: &user,
                }
            };
            match console.signin(svc, &who, &text("password"), get(form, "mfa_code")) {
                Ok(s) => {
                    let arn = match &s.principal {
                        KeyOwner::Root => rootward_core::ident::Arn::root(&s.account).to_string(),
                        KeyOwner::User(n) => svc
                            .read()
                            .user(&s.account, n)
                            .map(rootward_core::model::User::arn)
                            .unwrap_or_else(|| {
                                rootward_core::ident::Arn::user(&s.account, "/", n).to_string()
                            }),
                    };
                    page(
                        200,
                        "Signed in",
                        html! {
                            h1 { "Signed in" }
                            p class="ok" role="status" { "You are signed in to account " (s.account) " as " code { (arn) } "." }
                            p { "The session's temporary credentials are not shown here; the JSON sign-in route returns them." }
                        },
                    )
                }
                Err(e) => page(
                    console_status(&e),
                    "Sign in",
                    signin_form(Some(&e.to_string())),
                ),
            }
        }
        "/forgot-password" => match console.forgot_password(svc, &text("email")) {
            Ok(()) => page(
                200,
                "Forgot password",
                html! {
                    h1 { "Check your e-mail" }
                    p class="ok" role="status" { (RECOVERY_SENT) }
                    p { "Rootward's stand-in delivers mail to a local mailbox: " a href={"/_rootward/mailbox?email=" (urlencode(&text("email")))} { "open the mailbox" } " (from this machine only)." }
                },
            ),
            Err(e) => page(
                console_status(&e),
                "Forgot password",
                forgot_form(Some(&e.to_string())),
            ),
        },
        "/reset-password" => {
            let token = text("token");
            if text("new_password") != text("confirm_password") {
                return page(
                    400,
                    "Reset password",
                    reset_form(&token, Some("The passwords do not match.")),
                );
            }
            match console.reset_password(svc, &token, &text("new_password")) {
                Ok(account) => page(
                    200,
                    "Password reset",
                    html! {
                        h1 { "Password reset" }
                        p class="ok" role="status" { "The root user password of account " (account) " is set. " a href="/_rootward/signin" { "Sign in" } }
                    },
                ),
                Err(e) => page(
                    console_status(&e),
                    "Reset password",
                    reset_form(&token, Some(&e.to_string())),
                ),
            }
        }
        _ => page(404, "Not found", html! { p { "Not found." } }),
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn mailbox(state: &AppState, email: Option<&str>, peer: SocketAddr) -> Response<Body> {
    if !peer.ip().is_loopback() {
        return page(
            403,
            "Mailbox",
            html! { p class="error" { "The mailbox is served to local clients only." } },
        );
    }
    let Some(email) = email else {
        return page(
            400,
            "Mailbox",
            html! { h1 { "Mailbox" } form method="get" action="/_rootward/mailbox" { label for="email" { "E-mail address" } input id="email" name="email" type="email"; button type="submit" { "Open" } } },
        );
    };
    let messages = state.console.outbox(Some(email));
    page(
        200,
        "Mailbox",
        html! {
            h1 { "Mailbox of " (email) }
            @if messages.is_empty() { p { "No messages." } }
            @for m in messages.iter().rev() {
                article {
                    h2 { (m.subject) }
                    p class="muted" { "Sent " (m.sent_at) }
                    pre { (m.body) }
                    p { a href={"/_rootward/reset-password?token=" (m.token)} { "Reset your password" } }
                }
            }
        },
    )
}
