//! The console's guard: every request passes [`guard`].
//!
//! - **Host**: only the listening address, `localhost`/`127.0.0.1`/`[::1]`
//!   with its port, and `--allow-host` values; anything else is refused
//!   before any other work (a DNS-rebinding page cannot reach the console).
//! - **Sign-in**: a one-time link (`/signin?token=…`, 256 random bits)
//!   printed by `rootward console`; used once, it becomes a session cookie
//!   (`HttpOnly`, `SameSite=Strict`, named for the port so two consoles on
//!   one host do not collide). A request without a session gets a page
//!   saying where to find the link, and a new link is printed when the last
//!   one was used (at most every ten seconds).
//! - **CSRF**: every POST carries the session's token in a `csrf` field, and
//!   an `Origin` header, when sent, must be the console's own.
//! - **Headers**: a strict Content-Security-Policy (only the console's own
//!   script, styles and images; no inline code; no framing), `no-store`,
//!   a same-origin referrer policy, `nosniff`.
//! - **Idle expiry**: a session unused for the configured time is dropped.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore as _;
use subtle::ConstantTimeEq as _;

use crate::Console;
use crate::pages;

/// The Content-Security-Policy of every answer.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Largest form accepted.
const MAX_FORM: usize = 256 * 1024;

/// A signed-in browser.
#[derive(Debug)]
struct Session {
    csrf: String,
    last_seen: Instant,
    flash: Vec<Flash>,
}

/// A message shown once on the next page.
#[derive(Debug, Clone)]
pub enum Flash {
    /// Something done.
    Info(String),
    /// Something refused or failed.
    Error(String),
}

/// Sessions, the sign-in token and the allowed hosts.
#[derive(Debug)]
pub struct Security {
    hosts: Vec<String>,
    cookie: String,
    idle: Duration,
    sessions: Mutex<HashMap<String, Session>>,
    signin: Mutex<SigninToken>,
}

#[derive(Debug, Default)]
struct SigninToken {
    current: Option<String>,
    last_announced: Option<Instant>,
}

/// 256 random bits as hex.
fn random_token() -> String {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// What a handler knows about the request's session.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The session's id (the cookie's value).
    pub session: String,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: String,
    /// Messages to show once.
    pub flash: Vec<Flash>,
}

/// The fields of a POSTed form (the CSRF token checked and removed).
#[derive(Debug, Clone, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// The first value of `name`, trimmed; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }
}

impl Security {
    /// The guard of a console listening on `addr`.
    pub fn new(addr: SocketAddr, extra: &[String], idle: Duration) -> Security {
        let port = addr.port();
        let mut hosts = vec![addr.to_string()];
        if addr.ip().is_loopback() {
            hosts.extend([
                format!("localhost:{port}"),
                format!("127.0.0.1:{port}"),
                format!("[::1]:{port}"),
            ]);
        }
        hosts.extend(extra.iter().map(|h| h.to_ascii_lowercase()));
        Security {
            hosts,
            cookie: format!("rootward_console_{port}"),
            idle,
            sessions: Mutex::new(HashMap::new()),
            signin: Mutex::new(SigninToken::default()),
        }
    }

    /// A new one-time sign-in token; the previous one stops working.
    pub fn new_signin_token(&self) -> String {
        let t = random_token();
        if let Ok(mut s) = self.signin.lock() {
            s.current = Some(t.clone());
            s.last_announced = Some(Instant::now());
        }
        t
    }

    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| self.hosts.iter().any(|a| a == &h.to_ascii_lowercase()))
    }

    fn session_id(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == self.cookie)
            .map(|(_, v)| v.to_owned())
    }

    /// The session of this cookie, refreshed; `None` when unknown or idle
    /// too long (then it is dropped).
    fn touch(&self, id: &str) -> Option<Ctx> {
        let mut sessions = self.sessions.lock().ok()?;
        let now = Instant::now();
        sessions.retain(|_, s| now.duration_since(s.last_seen) < self.idle);
        let s = sessions.get_mut(id)?;
        s.last_seen = now;
        Some(Ctx {
            session: id.to_owned(),
            csrf: s.csrf.clone(),
            flash: std::mem::take(&mut s.flash),
        })
    }

    /// Queues a message for the session's next page.
    pub fn flash(&self, session: &str, f: Flash) {
        if let Ok(mut sessions) = self.sessions.lock()
            && let Some(s) = sessions.get_mut(session)
        {
            s.flash.push(f);
        }
    }

    /// A session unknown here: a new link is printed when the last one was
    /// used, at most every ten seconds.
    fn maybe_announce(&self, console: &Console) {
        let due = self.signin.lock().is_ok_and(|s| {
            s.current.is_none()
                && s.last_announced
                    .is_none_or(|t| t.elapsed() >= Duration::from_secs(10))
        });
        if due {
            let url = console.signin_url();
            (console.config.announce)(&url);
        }
    }
}

fn with_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    for (k, v) in [
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        // Not `no-referrer`: with it, browsers send `Origin: null` on form
        // POSTs, which the CSRF check refuses. Same-origin keeps the
        // sign-in link out of any other site's referrer.
        ("referrer-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

fn refuse(status: StatusCode, title: &str, text: &str) -> Response {
    (status, pages::bare(title, text)).into_response()
}

/// Every request: Host, then session, then (for POST) CSRF; headers on every
/// answer.
pub async fn guard(State(console): State<Arc<Console>>, mut req: Request, next: Next) -> Response {
    let sec = &console.security;
    if !sec.host_allowed(req.headers()) {
        return with_headers(refuse(
            StatusCode::FORBIDDEN,
            "Host not allowed",
            "This console answers only to its own address. If you reached it through another name, start it with --allow-host NAME:PORT.",
        ));
    }
    let path = req.uri().path().to_owned();
    if path == "/signin" || path.starts_with("/assets/") {
        return with_headers(next.run(req).await);
    }
    let ctx = sec.session_id(req.headers()).and_then(|id| sec.touch(&id));
    let Some(ctx) = ctx else {
        sec.maybe_announce(&console);
        return with_headers(refuse(
            StatusCode::UNAUTHORIZED,
            "Sign in",
            "You are not signed in, or your session expired. Open the sign-in link that `rootward console` printed in its terminal (each link works once; a new one has been printed if the last was used).",
        ));
    };
    if req.method() == Method::POST {
        let origin_ok = match req.headers().get(header::ORIGIN) {
            None => true,
            Some(o) => o.to_str().ok().is_some_and(|o| {
                o.strip_prefix("http://")
                    .is_some_and(|h| sec.hosts.iter().any(|a| a == &h.to_ascii_lowercase()))
            }),
        };
        let (parts, body) = req.into_parts();
        let bytes = match to_bytes(body, MAX_FORM).await {
            Ok(b) => b,
            Err(_) => {
                return with_headers(refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Too large",
                    "The form is too large.",
                ));
            }
        };
        let mut fields: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let token_ok = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .is_some_and(|(_, v)| same(v, &ctx.csrf));
        if !origin_ok || !token_ok {
            return with_headers(refuse(
                StatusCode::FORBIDDEN,
                "Request refused",
                "The form's security token is missing or wrong, so nothing was done. Reload the page and try again.",
            ));
        }
        fields.retain(|(k, _)| k != "csrf");
        req = Request::from_parts(parts, Body::empty());
        req.extensions_mut().insert(Form(fields));
    }
    req.extensions_mut().insert(ctx);
    with_headers(next.run(req).await)
}

/// `GET /signin?token=…`: the one-time link becomes a session cookie.
pub async fn signin(State(console): State<Arc<Console>>, req: Request) -> Response {
    let sec = &console.security;
    let given = pages::query(req.uri().query())
        .into_iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v);
    let valid = match (sec.signin.lock(), given) {
        (Ok(mut s), Some(given)) => {
            let ok = s.current.as_deref().is_some_and(|t| same(t, &given));
            if ok {
                s.current = None;
            }
            ok
        }
        _ => false,
    };
    if !valid {
        return refuse(
            StatusCode::FORBIDDEN,
            "Sign-in link not valid",
            "This sign-in link is not valid: each link works once. Use the newest link that `rootward console` printed.",
        );
    }
    let id = random_token();
    if let Ok(mut sessions) = sec.sessions.lock() {
        sessions.insert(
            id.clone(),
            Session {
                csrf: random_token(),
                last_seen: Instant::now(),
                flash: Vec::new(),
            },
        );
    }
    let mut r = Redirect::to("/").into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}={id}; HttpOnly; SameSite=Strict; Path=/",
        sec.cookie
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// `POST /signout`: the session ends.
pub async fn signout(
    State(console): State<Arc<Console>>,
    axum::Extension(ctx): axum::Extension<Ctx>,
) -> Response {
    let sec = &console.security;
    if let Ok(mut sessions) = sec.sessions.lock() {
        sessions.remove(&ctx.session);
    }
    let mut r = pages::bare(
        "Signed out",
        "You are signed out. To sign in again, use a new link from the terminal where `rootward console` runs.",
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
        sec.cookie
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_the_listening_address_and_loopback_names_only() {
        let s = Security::new(
            "127.0.0.1:4590".parse().unwrap(),
            &["Console.Example:443".into()],
            Duration::from_secs(60),
        );
        let ok = |h: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
            s.host_allowed(&m)
        };
        assert!(ok("127.0.0.1:4590"));
        assert!(ok("localhost:4590"));
        assert!(ok("LOCALHOST:4590"));
        assert!(ok("console.example:443"));
        assert!(!ok("evil.example:4590"));
        assert!(!ok("127.0.0.1:4591"));
        assert!(!ok("localhost"));
        assert!(!s.host_allowed(&HeaderMap::new()));
    }

    #[test]
    fn tokens_compare_in_constant_time_and_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert_eq!(random_token().len(), 64);
        assert_ne!(random_token(), random_token());
    }
}
