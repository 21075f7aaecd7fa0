//! The canonical request and the string to sign (spec 07 §7.2, §7.3).

use crate::auth::{ALGORITHM, Auth};
use crate::key::sha256_hex;
use crate::request::RequestParts;
use crate::uri_encode::{decode, encode, encode_path, query_pairs};
use crate::verify::ServiceKind;

/// The canonical URI. S3: the path decoded, then encoded once, not normalised.
/// Others: the path as received normalised (`.`/`..` resolved, empty segments
/// dropped), then encoded again ("double encoding"). Empty path → `/`.
pub(crate) fn canonical_uri(raw_path: &str, kind: ServiceKind) -> String {
    match kind {
        ServiceKind::S3 if raw_path.is_empty() => "/".to_owned(),
        ServiceKind::S3 => encode_path(&decode(raw_path, false)),
        ServiceKind::Other => encode_path(normalize_path(raw_path).as_bytes()),
    }
}

/// Resolves `.` and `..` segments and collapses repeated `/` (RFC 3986
/// §5.2.4 plus empty-segment removal). Keeps a trailing `/`; always absolute.
fn normalize_path(raw_path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in raw_path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let trailing = raw_path.ends_with('/') || raw_path.ends_with("/.") || raw_path.ends_with("/..");
    let mut out = String::with_capacity(raw_path.len() + 1);
    out.push('/');
    out.push_str(&segments.join("/"));
    if trailing && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// The canonical query string: every parameter but `X-Amz-Signature`, name
/// and value decoded then URI-encoded, sorted by name then value, `name=value`
/// joined with `&` (`name=` when valueless).
pub(crate) fn canonical_query(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query_pairs(raw_query)
        .filter(|(name, _)| name.as_slice() != b"X-Amz-Signature")
        .map(|(name, value)| (encode(&name), encode(&value)))
        .collect();
    pairs.sort_unstable();
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// A header value with surrounding whitespace removed and inner runs of
/// whitespace (including obsolete line folding) collapsed to one space.
fn normalize_value(value: &str) -> String {
    value.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// `name:value\n` for each signed header, in the client's SignedHeaders order;
/// repeated headers joined with `,`. A signed header absent from the request
/// contributes an empty value (the signature then fails).
pub(crate) fn canonical_headers(parts: &RequestParts<'_>, signed_headers: &[String]) -> String {
    let mut out = String::new();
    for name in signed_headers {
        let values: Vec<String> = parts.header_values(name).map(normalize_value).collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out
}

/// The canonical request, with `payload_hash` as its last line.
pub(crate) fn canonical_request(
    parts: &RequestParts<'_>,
    auth: &Auth,
    kind: ServiceKind,
    payload_hash: &str,
) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        parts.method,
        canonical_uri(parts.raw_path, kind),
        canonical_query(parts.raw_query),
        canonical_headers(parts, &auth.signed_headers),
        auth.signed_headers.join(";"),
        payload_hash
    )
}

/// The string to sign for a canonical request.
pub(crate) fn string_to_sign(auth: &Auth, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        auth.amz_date,
        auth.credential_scope(),
        sha256_hex(canonical_request.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths_for_other_services() {
        for (raw, want) in [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/a/b/..", "/a/"),
            ("/a/./b/.", "/a/b/"),
            ("/../..", "/"),
        ] {
            assert_eq!(normalize_path(raw), want, "{raw}");
        }
    }

    #[test]
    fn other_services_double_encode() {
        assert_eq!(
            canonical_uri("/example%20space/", ServiceKind::Other),
            "/example%2520space/"
        );
        assert_eq!(canonical_uri("/ሴ", ServiceKind::Other), "/%E1%88%B4");
    }

    #[test]
    fn s3_encodes_once_and_keeps_dots_and_slashes() {
        assert_eq!(canonical_uri("", ServiceKind::S3), "/");
        assert_eq!(
            canonical_uri("/my%20key/./a//b", ServiceKind::S3),
            "/my%20key/./a//b"
        );
        assert_eq!(
            canonical_uri("/a+b%2Bc%3D", ServiceKind::S3),
            "/a%2Bb%2Bc%3D"
        );
        assert_eq!(canonical_uri("/%E1%88%B4", ServiceKind::S3), "/%E1%88%B4");
        assert_eq!(canonical_uri("/100%", ServiceKind::S3), "/100%25");
    }

    #[test]
    fn query_is_sorted_reencoded_and_drops_the_signature() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("policy"), "policy=");
        assert_eq!(
            canonical_query("b=2&a=2&a=1&X-Amz-Signature=ff&c=a%20b+c&d=%7e"),
            "a=1&a=2&b=2&c=a%20b%20c&d=~"
        );
    }

    #[test]
    fn header_values_are_trimmed_collapsed_and_joined() {
        let headers = [
            ("Host", "h"),
            ("My-Header", "  a   b  "),
            ("my-header", "c\n  d"),
            ("X", "x"),
        ];
        let parts = RequestParts {
            method: "GET",
            raw_path: "/",
            raw_query: "",
            headers: &headers,
            payload_hash: None,
        };
        let signed = vec![
            "host".to_owned(),
            "my-header".to_owned(),
            "absent".to_owned(),
        ];
        assert_eq!(
            canonical_headers(&parts, &signed),
            "host:h\nmy-header:a b,c d\nabsent:\n"
        );
    }
}
