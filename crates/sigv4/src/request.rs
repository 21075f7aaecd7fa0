//! The parts of a received HTTP request that SigV4 covers, as plain strings.

/// A received request, as the HTTP layer saw it. Nothing here is decoded or
/// normalised: the verifier needs the bytes the client sent.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// The HTTP method as received (`GET`, `POST`, …).
    pub method: &'a str,
    /// The path as received, still percent-encoded (`/my%20key`), without the
    /// query. An empty path stands for `/`.
    pub raw_path: &'a str,
    /// The query string as received, without the leading `?`; empty if none.
    pub raw_query: &'a str,
    /// Every header in received order, repeated names as separate entries.
    /// Names in any case. `host` must be present (for HTTP/2, the `:authority`).
    pub headers: &'a [(&'a str, &'a str)],
    /// Lower-case hex SHA-256 of the body as received, or `None` when the body
    /// was not read (S3 streaming uploads). Required for non-S3 services.
    pub payload_hash: Option<&'a str>,
}

impl<'a> RequestParts<'a> {
    /// The values of every header called `name` (ASCII case-insensitive), in
    /// received order.
    pub(crate) fn header_values(&self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The first value of the header called `name`.
    pub(crate) fn header(&self, name: &'a str) -> Option<&'a str> {
        self.header_values(name).next()
    }
}
