//! The router of REST protocols: method + path + query (+ headers) →
//! operation, over a service's generated `ROUTES` table (as s3s'
//! `resolve_route` or garage's `Endpoint::from_request` do, but data-driven).
//!
//! The generator orders the table and decides each route's conditions:
//!
//! * the path template's segments must match (`{Label}` one non-empty
//!   segment, `{Label+}` the non-empty rest);
//! * a route whose URI names a sub-resource (`/{Bucket}?policy`, its *tag*)
//!   is a candidate only when the request carries that query parameter, and
//!   a request carrying any candidate's tag only reaches tagged routes (so
//!   `DELETE /bucket?analytics` can never fall through to `DeleteBucket`);
//! * fixed query values of the URI (`?list-type=2`) must be equal;
//! * an untagged route also needs its required query-string members
//!   (`uploadId` for `CompleteMultipartUpload`), and where several routes
//!   share method, path and tag, their required query strings and headers
//!   tell them apart (`x-amz-copy-source`: `CopyObject` before `PutObject`);
//! * the first route, in table order, whose conditions hold wins.

/// A segment of a URI template's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(&'static str),
    /// `{Name}`: one non-empty segment.
    Label(&'static str),
    /// `{Name+}`: every remaining segment, at least one character.
    Greedy(&'static str),
}

/// A condition on the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryRule {
    /// The parameter is present (any value).
    Present(&'static str),
    /// The parameter has this value.
    Equals(&'static str, &'static str),
}

/// One route of a REST service.
#[derive(Debug)]
pub struct Route<O: 'static> {
    /// The operation it selects.
    pub operation: O,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, split at `/` (empty for `/`).
    pub path: &'static [Segment],
    /// The sub-resource the URI names (`policy` in `/{Bucket}?policy`).
    pub tag: Option<&'static str>,
    /// Further query conditions.
    pub query: &'static [QueryRule],
    /// Headers that must be present.
    pub headers: &'static [&'static str],
}

/// What the router reads of a request.
pub trait HttpRequest {
    /// The method (`GET`).
    fn method(&self) -> &str;
    /// The path in path-style form, before percent-decoding matters
    /// (`/bucket/key`; a virtual-hosted request's bucket goes first).
    fn path(&self) -> &str;
    /// A query parameter's value (`Some("")` for a bare `?policy`).
    fn query(&self, name: &str) -> Option<&str>;
    /// Whether a header is present (name in lower case).
    fn has_header(&self, name: &str) -> bool;
}

/// The path's segments: leading `/` and one trailing `/` dropped.
fn segments(path: &str) -> Vec<&str> {
    let p = path.strip_prefix('/').unwrap_or(path);
    let p = p.strip_suffix('/').unwrap_or(p);
    if p.is_empty() {
        Vec::new()
    } else {
        p.split('/').collect()
    }
}

/// Whether `template` matches the path's `segments`.
pub fn path_matches(template: &[Segment], segments: &[&str]) -> bool {
    let mut rest = segments;
    for (i, seg) in template.iter().enumerate() {
        match seg {
            Segment::Greedy(_) => {
                // The rest of the path, non-empty; only ever last.
                return i + 1 == template.len() && rest.iter().any(|s| !s.is_empty());
            }
            Segment::Literal(lit) => match rest.split_first() {
                Some((s, tail)) if s == lit => rest = tail,
                _ => return false,
            },
            Segment::Label(_) => match rest.split_first() {
                Some((s, tail)) if !s.is_empty() => rest = tail,
                _ => return false,
            },
        }
    }
    rest.is_empty()
}

fn query_holds(rule: &QueryRule, req: &impl HttpRequest) -> bool {
    match rule {
        QueryRule::Present(name) => req.query(name).is_some(),
        QueryRule::Equals(name, value) => req.query(name) == Some(*value),
    }
}

/// The operation `req` names in `routes`, or `None` (the protocol's
/// unknown-operation or method-not-allowed answer).
pub fn resolve<O: Copy>(routes: &[Route<O>], req: &impl HttpRequest) -> Option<O> {
    let segs = segments(req.path());
    let method = req.method();
    let candidates = || {
        routes
            .iter()
            .filter(move |r| r.method == method)
            .filter(|r| path_matches(r.path, &segs))
    };
    let tagged = candidates().any(|r| r.tag.is_some_and(|t| req.query(t).is_some()));
    candidates()
        .filter(|r| match r.tag {
            Some(t) => req.query(t).is_some(),
            None => !tagged,
        })
        .find(|r| {
            r.query.iter().all(|q| query_holds(q, req))
                && r.headers.iter().all(|h| req.has_header(h))
        })
        .map(|r| r.operation)
}

/// A request given as plain parts, for tests and tools.
#[derive(Debug, Clone, Default)]
pub struct PlainRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The path-style path.
    pub path: &'a str,
    /// The query parameters.
    pub query: &'a [(&'a str, &'a str)],
    /// The header names present (lower case).
    pub headers: &'a [&'a str],
}

impl HttpRequest for PlainRequest<'_> {
    fn method(&self) -> &str {
        self.method
    }
    fn path(&self) -> &str {
        self.path
    }
    fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
    fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_take_one_segment_and_greedy_labels_the_rest() {
        let bucket = [Segment::Label("Bucket")];
        let object = [Segment::Label("Bucket"), Segment::Greedy("Key")];
        assert!(path_matches(&bucket, &segments("/b")));
        assert!(path_matches(&bucket, &segments("/b/")));
        assert!(!path_matches(&bucket, &segments("/")));
        assert!(!path_matches(&bucket, &segments("/b/k")));
        assert!(path_matches(&object, &segments("/b/k")));
        assert!(path_matches(&object, &segments("/b/dir/sub/k")));
        assert!(path_matches(&object, &segments("/b/dir/")));
        assert!(!path_matches(&object, &segments("/b")));
        assert!(path_matches(&[], &segments("/")));
        assert!(path_matches(
            &[Segment::Literal("listRegions")],
            &segments("/listRegions")
        ));
        assert!(!path_matches(
            &[Segment::Literal("listRegions")],
            &segments("/other")
        ));
    }
}
