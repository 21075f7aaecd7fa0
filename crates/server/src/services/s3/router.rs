//! The S3 router: a request's bucket and key (path-style or
//! virtual-hosted, [`super::wire::address`]) and its method, sub-resource
//! query and headers, resolved over the generated route table
//! (`rootward_model::s3::resolve`, as garage's `router.rs`).

use axum::http::request::Parts;
use rootward_model::rest::HttpRequest;
use rootward_model::s3::Operation;

/// A request as the generated router reads it.
pub struct Routable<'a> {
    parts: &'a Parts,
    path: String,
    query: Vec<(String, String)>,
}

impl<'a> Routable<'a> {
    /// The request with its bucket and key put back into a path-style path;
    /// `None` when the address or the query string does not parse.
    pub fn new(parts: &'a Parts) -> Option<Routable<'a>> {
        let (bucket, key) = super::wire::address(parts).ok()?;
        Routable::with(parts, bucket.as_deref(), key.as_deref())
    }

    /// The request with the bucket and key already read from its address;
    /// `None` when its query string does not parse ([`super::wire::query`]).
    pub fn with(parts: &'a Parts, bucket: Option<&str>, key: Option<&str>) -> Option<Routable<'a>> {
        let path = match (bucket, key) {
            (None, _) => "/".to_owned(),
            (Some(b), None) => format!("/{b}"),
            (Some(b), Some(k)) => format!("/{b}/{k}"),
        };
        let query = super::wire::query(parts).ok()?;
        Some(Routable { parts, path, query })
    }

    /// The operation it names, or `None`.
    pub fn operation(&self) -> Option<Operation> {
        rootward_model::s3::resolve(self)
    }
}

impl HttpRequest for Routable<'_> {
    fn method(&self) -> &str {
        self.parts.method.as_str()
    }
    fn path(&self) -> &str {
        &self.path
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

/// The operation a request names, for choosing its thread before it is
/// authenticated.
pub fn route_guess(parts: &Parts) -> Option<crate::services::Op> {
    Routable::new(parts)?
        .operation()
        .map(crate::services::Op::S3)
}
