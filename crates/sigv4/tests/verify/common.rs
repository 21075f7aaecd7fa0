//! A small owned request for tests, read from the spec 07 fixtures.

use std::fs;
use std::path::Path;

use rootward_sigv4::{Auth, RequestParts, ServiceKind, SigError, parse, verify};
use sha2::{Digest, Sha256};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// AWS's documentation secret for `AKIDEXAMPLE`/`AKIAIOSFODNN7EXAMPLE` with `+`.
pub const DOC_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The long-term secret of `AKIAIOSFODNN7EXAMPLE` in spec 07 §7.11.3–7.11.4.
pub const USER_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// The session secret of `ASIAIOSFODNN7EXAMPLE` in spec 07 §7.11.4–7.11.5.
pub const SESSION_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
/// The session token of spec 07 §7.11.4–7.11.5.
pub const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
/// When the spec 07 §7.11.4 requests were signed.
pub const SIGNED_AT: OffsetDateTime = datetime!(2024-11-20 12:00:00 UTC);
/// The project's allowed clock skew.
pub const SKEW: Duration = Duration::minutes(15);

/// The secret for an access key id of the spec vectors.
pub fn secret_for(access_key_id: &str) -> &'static str {
    if access_key_id.starts_with("ASIA") {
        SESSION_SECRET
    } else {
        USER_SECRET
    }
}

/// A fixture file of `tests/fixtures/spec07`.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spec07")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// An owned request.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// `None`: the SHA-256 of `body`; `Some(x)`: `x` as the server's hash.
    pub payload_hash_override: Option<Option<String>>,
}

impl Req {
    /// `METHOD URL` (an absolute `https://host/path?query` URL); `Host` comes
    /// from the URL.
    pub fn from_url(method: &str, url: &str) -> Self {
        let rest = url.strip_prefix("https://").unwrap();
        let (host, target) = rest.split_at(rest.find('/').unwrap());
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: vec![("Host".to_owned(), host.to_owned())],
            body: Vec::new(),
            payload_hash_override: None,
        }
    }

    /// A `.http` fixture: `METHOD URL`, `Name: value` lines, blank line, body.
    pub fn from_http(text: &str) -> Self {
        let (head, body) = text.split_once("\n\n").unwrap();
        let mut lines = head.lines();
        let (method, url) = lines.next().unwrap().split_once(' ').unwrap();
        let mut req = Self::from_url(method, url);
        for line in lines {
            let (name, value) = line.split_once(':').unwrap();
            req.headers.push((name.to_owned(), value.trim().to_owned()));
        }
        req.body = body.as_bytes().to_vec();
        req
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Removes every header called `name` (any case).
    pub fn without_header(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    /// Replaces the value of every header called `name` (any case).
    pub fn set_header(mut self, name: &str, value: &str) -> Self {
        for (n, v) in &mut self.headers {
            if n.eq_ignore_ascii_case(name) {
                *v = value.to_owned();
            }
        }
        self
    }

    /// Runs `f` on the borrowed parts.
    pub fn with_parts<R>(&self, f: impl FnOnce(&RequestParts<'_>) -> R) -> R {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let hash = match &self.payload_hash_override {
            None => Some(sha256_hex(&self.body)),
            Some(h) => h.clone(),
        };
        let parts = RequestParts {
            method: &self.method,
            raw_path: &self.path,
            raw_query: &self.query,
            headers: &headers,
            payload_hash: hash.as_deref(),
        };
        f(&parts)
    }

    /// [`parse`] on this request.
    pub fn parse(&self) -> Result<Option<Auth>, SigError> {
        self.with_parts(parse)
    }

    /// The parsed signature; panics if there is none.
    pub fn auth(&self) -> Auth {
        self.parse().unwrap().expect("the request is signed")
    }

    /// [`parse`] then [`verify`] with a 15-minute skew.
    pub fn verify(
        &self,
        secret: &str,
        kind: ServiceKind,
        now: OffsetDateTime,
    ) -> Result<(), SigError> {
        self.with_parts(|parts| {
            let auth = parse(parts)?.expect("the request is signed");
            verify(&auth, parts, secret, kind, now, SKEW)
        })
    }
}

/// The AssumeRoot request of spec 07 §7.11.4.
pub fn assume_root() -> Req {
    Req::from_http(&fixture("sts_assume_root.http"))
}

/// The presigned S3 GetBucketPolicy URL of spec 07 §7.11.5, without the query
/// parameters whose text starts with `name` (none when `name` is empty).
pub fn presigned_without(name: &str) -> Req {
    let url = fixture("s3_presigned_get_bucket_policy_session.url");
    let (base, query) = url.split_once('?').unwrap();
    let query: Vec<&str> = query
        .split('&')
        .filter(|p| name.is_empty() || !p.starts_with(name))
        .collect();
    Req::from_url("GET", &format!("{base}?{}", query.join("&")))
}
