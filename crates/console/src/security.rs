//! The console's guard: every request passes [`guard`].
//!
//! - **Origin isolation**: on loopback the console's address is a host name
//!   of its own, `rw-<random>.localhost:PORT` (browsers resolve `*.localhost`
//!   to loopback). Its cookie is host-only there, so no other web service on
//!   127.0.0.1 ever receives it, and pages of other local services are
//!   another site, so `SameSite=Strict` keeps the cookie off their requests.
//!   Requests to `127.0.0.1`/`localhost`/`[::1]` with the port are
//!   redirected there (no session is ever made on those names).
//! - **Host**: only that name (or, off loopback, the listening address) and
//!   `--allow-host` values; anything else is refused before any other work
//!   (a DNS-rebinding page cannot reach the console). Default ports (80,
//!   443) equal no port.
//! - **Fetch metadata**: a request a browser marks as coming from another
//!   site (`Sec-Fetch-Site: cross-site` or `same-site`) is refused, so no
//!   page elsewhere can make the console start root sessions.
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
use rand::{Rng as _, RngCore as _};
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
    /// The console's own `host:port`: the host of the sign-in link.
    home: String,
    /// Accepted `Host` values, canonical ([`canonical`]): `home` first,
    /// then the `--allow-host` values.
    hosts: Vec<String>,
    /// The canonical `--allow-host` values (requests through a proxy).
    proxied: Vec<String>,
    /// Loopback names redirected to `home` (canonical).
    redirected: Vec<String>,
    cookie: String,
    idle: Duration,
    link_lifetime: Duration,
    sessions: Mutex<HashMap<String, Session>>,
    signin: Mutex<SigninToken>,
}

#[derive(Debug, Default)]
struct SigninToken {
    /// The valid token and when it was made.
    current: Option<(String, Instant)>,
    last_announced: Option<Instant>,
}

/// How long a sign-in link works (once).
pub const LINK_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// 256 random bits as hex.
fn random_token() -> String {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

/// A DNS label of 12 random lowercase letters and digits (62 bits).
fn random_label() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..12)
        .filter_map(|_| ALPHABET.get(rng.random_range(0..ALPHABET.len())))
        .map(|b| char::from(*b))
        .collect()
}

/// `host[:port]` lowercased, a default port (80, 443) dropped: a browser
/// sends `Host: name` for `https://name:443/`, a proxy may pass either.
fn canonical(authority: &str) -> String {
    let a = authority.to_ascii_lowercase();
    for port in [":80", ":443"] {
        if let Some(h) = a.strip_suffix(port)
            && !h.is_empty()
            && !h.ends_with(':')
        {
            return h.to_owned();
        }
    }
    a
}

/// The scheme (`http` or `https`) and canonical authority of an `Origin`.
fn origin_authority(origin: &str) -> Option<(&'static str, String)> {
    let (scheme, rest, default) = if let Some(r) = origin.strip_prefix("http://") {
        ("http", r, ":80")
    } else if let Some(r) = origin.strip_prefix("https://") {
        ("https", r, ":443")
    } else {
        return None;
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
        return None;
    }
    let a = rest.to_ascii_lowercase();
    Some((scheme, a.strip_suffix(default).unwrap_or(&a).to_owned()))
}

/// What the `Host` of a request makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HostCheck {
    /// The console's own name, or an `--allow-host` one (then `proxied`).
    Accepted {
        /// Through an `--allow-host` name.
        proxied: bool,
    },
    /// A loopback name: sent to the console's own name.
    Redirect,
    /// Not the console's.
    Refused,
    /// Not one `Host`, or a request target naming another authority.
    Malformed,
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
    /// The guard of a console listening on `addr`. On loopback (or on
    /// every address, `0.0.0.0`/`::`), the console's own name is
    /// `rw-<random>.localhost:PORT`; elsewhere it is the listening address.
    pub fn new(addr: SocketAddr, extra: &[String], idle: Duration) -> Security {
        let port = addr.port();
        let (home, redirected) = if addr.ip().is_loopback() || addr.ip().is_unspecified() {
            (
                format!("rw-{}.localhost:{port}", random_label()),
                vec![
                    canonical(&format!("localhost:{port}")),
                    canonical(&format!("127.0.0.1:{port}")),
                    canonical(&format!("[::1]:{port}")),
                ],
            )
        } else {
            (addr.to_string(), Vec::new())
        };
        let proxied: Vec<String> = extra.iter().map(|h| canonical(h)).collect();
        let mut hosts = vec![canonical(&home)];
        hosts.extend(proxied.iter().cloned());
        Security {
            home,
            hosts,
            proxied,
            redirected,
            cookie: format!("rootward_console_{port}"),
            idle,
            link_lifetime: LINK_LIFETIME,
            sessions: Mutex::new(HashMap::new()),
            signin: Mutex::new(SigninToken::default()),
        }
    }

    /// The console's own `host:port` (the host of its sign-in links).
    pub fn home(&self) -> &str {
        &self.home
    }

    /// A new one-time sign-in token; the previous one stops working.
    pub fn new_signin_token(&self) -> String {
        let t = random_token();
        if let Ok(mut s) = self.signin.lock() {
            let now = Instant::now();
            s.current = Some((t.clone(), now));
            s.last_announced = Some(now);
        }
        t
    }

    /// `given` is the current token, not expired: it is used up (true).
    /// A wrong token leaves the current one working.
    fn take_signin(&self, given: &str) -> bool {
        let Ok(mut s) = self.signin.lock() else {
            return false;
        };
        let ok = s
            .current
            .as_ref()
            .is_some_and(|(t, issued)| same(t, given) && issued.elapsed() < self.link_lifetime);
        if ok {
            s.current = None;
        }
        ok
    }

    /// The request's one `Host` (also checked against an absolute-form
    /// target's authority), judged.
    fn check_host(&self, req: &Request) -> HostCheck {
        let mut all = req.headers().get_all(header::HOST).iter();
        let (Some(host), None) = (all.next(), all.next()) else {
            return HostCheck::Malformed;
        };
        let Ok(host) = host.to_str() else {
            return HostCheck::Malformed;
        };
        let host = canonical(host);
        if let Some(a) = req.uri().authority()
            && canonical(a.as_str()) != host
        {
            return HostCheck::Malformed;
        }
        if self.hosts.contains(&host) {
            HostCheck::Accepted {
                proxied: self.proxied.contains(&host) && canonical(&self.home) != host,
            }
        } else if self.redirected.contains(&host) {
            HostCheck::Redirect
        } else {
            HostCheck::Refused
        }
    }

    /// The cookie gets `Secure`: the request came through an `--allow-host`
    /// name with `X-Forwarded-Proto: https`.
    fn secure(&self, req: &Request) -> bool {
        self.check_host(req) == HostCheck::Accepted { proxied: true } && over_https(req.headers())
    }

    /// An `Origin` of the console: `http://` or `https://` and an accepted
    /// host (default ports equal none).
    fn origin_allowed(&self, origin: &str) -> bool {
        origin_authority(origin).is_some_and(|(scheme, a)| {
            self.proxied.contains(&a) || (scheme == "http" && a == canonical(&self.home))
        })
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
    /// used or expired, at most every ten seconds.
    fn maybe_announce(&self, console: &Console) {
        let due = self.signin.lock().is_ok_and(|s| {
            s.current
                .as_ref()
                .is_none_or(|(_, issued)| issued.elapsed() >= self.link_lifetime)
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

/// The request came over https: through an `--allow-host` name, with the
/// proxy's `X-Forwarded-Proto: https` (its last value, the one the proxy
/// next to the console set).
fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get_all("x-forwarded-proto")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// A browser says the request comes from another site (a page of another
/// origin that is not ours: an image, a form, a script's fetch). Sent by
/// browsers to potentially trustworthy origins, `*.localhost` among them.
fn from_another_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !matches!(v, "same-origin" | "none"))
}

/// Every request: Host, then session, then (for POST) CSRF; headers on every
/// answer.
pub async fn guard(State(console): State<Arc<Console>>, mut req: Request, next: Next) -> Response {
    let sec = &console.security;
    match sec.check_host(&req) {
        HostCheck::Accepted { .. } => {}
        HostCheck::Redirect => {
            let target = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            let mut r =
                Redirect::temporary(&format!("http://{}{target}", sec.home)).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return with_headers(r);
        }
        HostCheck::Refused => {
            return with_headers(refuse(
                StatusCode::FORBIDDEN,
                "Host not allowed",
                "This console answers only to its own address, the one of the sign-in link. If you reached it through another name, start it with --allow-host NAME:PORT.",
            ));
        }
        HostCheck::Malformed => {
            return with_headers(refuse(
                StatusCode::BAD_REQUEST,
                "Bad request",
                "The request must carry exactly one Host header, matching its target.",
            ));
        }
    }
    let path = req.uri().path().to_owned();
    if path == "/signin" || path.starts_with("/assets/") {
        return with_headers(next.run(req).await);
    }
    if from_another_site(req.headers()) {
        // A page opened from elsewhere (a link, or a redirect from
        // 127.0.0.1) gets a link to itself: following it is a request of
        // the console's own origin.
        let here = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let navigation = req.method() == Method::GET
            && req
                .headers()
                .get("sec-fetch-mode")
                .is_some_and(|v| v.as_bytes() == b"navigate");
        let text = "This request came from another site, so the console did nothing.";
        let page = if navigation {
            pages::bare_with_link(
                "Request refused",
                text,
                Some((&here, "Open this page of the console")),
            )
        } else {
            pages::bare("Request refused", text)
        };
        return with_headers((StatusCode::FORBIDDEN, page).into_response());
    }
    let ctx = sec.session_id(req.headers()).and_then(|id| sec.touch(&id));
    let Some(ctx) = ctx else {
        sec.maybe_announce(&console);
        return with_headers(refuse(
            StatusCode::UNAUTHORIZED,
            "Sign in",
            "You are not signed in, or your session expired. Open the sign-in link that `rootward console` printed in its terminal (each link works once, for ten minutes; a new one has been printed if the last was used or expired).",
        ));
    };
    if req.method() == Method::POST {
        let origin_ok = match req.headers().get(header::ORIGIN) {
            None => true,
            Some(o) => o.to_str().ok().is_some_and(|o| sec.origin_allowed(o)),
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
    let secure = sec.secure(&req);
    let given = pages::query(req.uri().query())
        .into_iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v);
    let valid = given.is_some_and(|g| sec.take_signin(&g));
    if !valid {
        return refuse(
            StatusCode::FORBIDDEN,
            "Sign-in link not valid",
            "This sign-in link is not valid: each link works once, for ten minutes. Use the newest link that `rootward console` printed (a new one is printed when you open the console without a session and the last one was used or expired).",
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
        "{}={id}; HttpOnly; SameSite=Strict; Path=/{}",
        sec.cookie,
        if secure { "; Secure" } else { "" }
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// `POST /signout`: the session ends.
pub async fn signout(
    State(console): State<Arc<Console>>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    req: Request,
) -> Response {
    let sec = &console.security;
    let secure = sec.secure(&req);
    if let Ok(mut sessions) = sec.sessions.lock() {
        sessions.remove(&ctx.session);
    }
    let mut r = pages::bare(
        "Signed out",
        "You are signed out. To sign in again, use a new link from the terminal where `rootward console` runs.",
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        sec.cookie,
        if secure { "; Secure" } else { "" }
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn request(host: &[&str], target: &str, extra: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().uri(target);
        for h in host {
            b = b.header(header::HOST, *h);
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn on_loopback_the_console_has_a_host_name_of_its_own() {
        let s = Security::new(
            "127.0.0.1:4590".parse().unwrap(),
            &["Console.Example:443".into()],
            Duration::from_secs(60),
        );
        let home = s.home().to_owned();
        let label = home
            .strip_prefix("rw-")
            .and_then(|h| h.strip_suffix(".localhost:4590"))
            .unwrap();
        assert_eq!(label.len(), 12, "{home}");
        assert!(
            label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_ne!(
            Security::new(
                "127.0.0.1:4590".parse().unwrap(),
                &[],
                Duration::from_secs(60)
            )
            .home(),
            home,
            "random per console"
        );
        let check = |h: &str| s.check_host(&request(&[h], "/", &[]));
        let ok = HostCheck::Accepted { proxied: false };
        let proxied = HostCheck::Accepted { proxied: true };
        assert_eq!(check(&home), ok);
        assert_eq!(check(&home.to_uppercase()), ok);
        // The loopback names never get a session: they are sent home.
        assert_eq!(check("127.0.0.1:4590"), HostCheck::Redirect);
        assert_eq!(check("localhost:4590"), HostCheck::Redirect);
        assert_eq!(check("[::1]:4590"), HostCheck::Redirect);
        // `--allow-host NAME:443` is `NAME` and `NAME:443` (default ports).
        assert_eq!(check("console.example:443"), proxied);
        assert_eq!(check("console.example"), proxied);
        assert_eq!(check("evil.example:4590"), HostCheck::Refused);
        assert_eq!(check("127.0.0.1:4591"), HostCheck::Refused);
        assert_eq!(check("localhost"), HostCheck::Refused);
        assert_eq!(check("rw-aaaaaaaaaaaa.localhost:4590"), HostCheck::Refused);
        // No Host, two Hosts, an absolute target naming another authority.
        assert_eq!(s.check_host(&request(&[], "/", &[])), HostCheck::Malformed);
        assert_eq!(
            s.check_host(&request(&[&home, "evil.example"], "/", &[])),
            HostCheck::Malformed
        );
        assert_eq!(
            s.check_host(&request(&[&home], "http://evil.example/", &[])),
            HostCheck::Malformed
        );
        assert_eq!(
            s.check_host(&request(&[&home], &format!("http://{home}/accounts"), &[])),
            ok
        );
    }

    #[test]
    fn origins_are_the_consoles_own_over_http_or_https() {
        let s = Security::new(
            "127.0.0.1:4590".parse().unwrap(),
            &["console.example:443".into(), "plain.example:8080".into()],
            Duration::from_secs(60),
        );
        let home = s.home().to_owned();
        assert!(s.origin_allowed(&format!("http://{home}")));
        assert!(!s.origin_allowed(&format!("https://{home}")), "plain HTTP");
        assert!(s.origin_allowed("https://console.example"));
        assert!(s.origin_allowed("https://console.example:443"));
        assert!(s.origin_allowed("http://plain.example:8080"));
        assert!(!s.origin_allowed("http://127.0.0.1:4590"));
        assert!(!s.origin_allowed("http://console.example:443"));
        assert!(!s.origin_allowed("https://console.example.evil.example"));
        assert!(!s.origin_allowed("https://console.example@evil.example"));
        assert!(!s.origin_allowed("null"));
        assert!(!s.origin_allowed("ftp://console.example"));
        // Secure only over https through a proxied name.
        let secure = |host: &str, proto: &str| {
            s.secure(&request(
                &[host],
                "/signin",
                &[("x-forwarded-proto", proto)],
            ))
        };
        assert!(secure("console.example", "https"));
        assert!(!secure("console.example", "http"));
        assert!(!secure(&home, "https"), "the loopback name is plain HTTP");
    }

    #[test]
    fn off_loopback_the_listening_address_is_the_name() {
        let s = Security::new(
            "192.0.2.7:4590".parse().unwrap(),
            &[],
            Duration::from_secs(60),
        );
        assert_eq!(s.home(), "192.0.2.7:4590");
        assert_eq!(
            s.check_host(&request(&["192.0.2.7:4590"], "/", &[])),
            HostCheck::Accepted { proxied: false }
        );
        assert_eq!(
            s.check_host(&request(&["127.0.0.1:4590"], "/", &[])),
            HostCheck::Refused
        );
        let any = Security::new(
            "0.0.0.0:4590".parse().unwrap(),
            &[],
            Duration::from_secs(60),
        );
        assert!(any.home().ends_with(".localhost:4590"));
    }

    #[test]
    fn fetch_metadata_from_another_site_is_refused() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert("sec-fetch-site", HeaderValue::from_str(v).unwrap());
            from_another_site(&m)
        };
        assert!(h("cross-site"));
        assert!(h("same-site"));
        assert!(!h("same-origin"));
        assert!(!h("none"));
        assert!(!from_another_site(&HeaderMap::new()));
    }

    #[test]
    fn a_sign_in_link_works_once_and_only_for_its_lifetime() {
        let mut s = Security::new(
            "127.0.0.1:4590".parse().unwrap(),
            &[],
            Duration::from_secs(60),
        );
        let t = s.new_signin_token();
        assert!(!s.take_signin("00"), "a wrong token");
        assert!(s.take_signin(&t), "the wrong one did not burn it");
        assert!(!s.take_signin(&t), "once");
        s.link_lifetime = Duration::ZERO;
        let t = s.new_signin_token();
        assert!(!s.take_signin(&t), "expired");
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
