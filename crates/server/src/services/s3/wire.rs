//! S3's wire plumbing: addressing (path and virtual-hosted style), the
//! aws-chunked body encoding with its chunk signatures and trailing
//! checksums, domain errors in S3's words. The error document and the
//! request-id headers are REST-XML's ([`crate::protocol::rest_xml`]); the
//! documents are [`super::documents`] and [`super::xml`].

pub use crate::protocol::rest_xml::{
    Fail as S3Fail, error_response, host_id, internal, not_implemented, response, set_header,
};
use axum::http::request::Parts;
use rootward_core::CoreError;
use rootward_core::s3::checksum::Claim;
use rootward_sigv4::ChunkVerifier;

/// The namespace of S3 result documents.
pub const NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

impl From<CoreError> for S3Fail {
    fn from(e: CoreError) -> S3Fail {
        super::error::from_core(e)
    }
}

/// Bucket and key of a request, from the `Host` header (virtual-hosted style:
/// `BUCKET.s3[.REGION].amazonaws.com`, `BUCKET.localhost`) or the path.
pub fn address(parts: &Parts) -> Result<(Option<String>, Option<String>), S3Fail> {
    let host = parts
        .headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let path = percent_decode(parts.uri.path())
        .ok_or_else(|| S3Fail::new("InvalidURI", 400, "Couldn't parse the specified URI."))?;
    let path = path.strip_prefix('/').unwrap_or(&path);
    if let Some(bucket) = virtual_host_bucket(&host) {
        let key = (!path.is_empty()).then(|| path.to_owned());
        return Ok((Some(bucket), key));
    }
    if path.is_empty() {
        return Ok((None, None));
    }
    match path.split_once('/') {
        Some((b, k)) if !k.is_empty() => Ok((Some(b.to_owned()), Some(k.to_owned()))),
        Some((b, _)) => Ok((Some(b.to_owned()), None)),
        None => Ok((Some(path.to_owned()), None)),
    }
}

fn virtual_host_bucket(host: &str) -> Option<String> {
    if let Some(b) = host.strip_suffix(".localhost") {
        return (!b.is_empty()).then(|| b.to_owned());
    }
    let rest = host.strip_suffix(".amazonaws.com")?;
    let i = rest.rfind(".s3")?;
    let (bucket, tail) = rest.split_at(i);
    let tail = tail.strip_prefix(".s3")?;
    (!bucket.is_empty() && (tail.is_empty() || tail.starts_with('.') || tail.starts_with('-')))
        .then(|| bucket.to_owned())
}

/// The request's query string, its names and values decoded strictly: one
/// that is not UTF-8 once percent-decoded (`prefix=%FF`) is refused, as
/// such a path is ([`address`]), never altered into U+FFFD
/// [UNCONFIRMED: S3's answer to such a query string; `InvalidURI` is its
/// answer to a URI it cannot parse].
pub fn query(parts: &Parts) -> Result<Vec<(String, String)>, S3Fail> {
    crate::protocol::query::decode_form(parts.uri.query().unwrap_or("").as_bytes())
        .map_err(|_| S3Fail::new("InvalidURI", 400, "Couldn't parse the specified URI."))
}

/// Percent-decodes a path (`+` stays `+`); `None` when not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(hs) = std::str::from_utf8(h)
            && let Ok(v) = u8::from_str_radix(hs, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes for `encoding-type=url` listings (`/` kept).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Header value, if valid text.
pub fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

fn incomplete() -> S3Fail {
    S3Fail::new(
        "IncompleteBody",
        400,
        "The request body terminated unexpectedly",
    )
}

fn bad_chunk_signature() -> S3Fail {
    S3Fail::new(
        "SignatureDoesNotMatch",
        403,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    )
}

/// The least size of a signed chunk other than the last one carrying data.
pub const MIN_SIGNED_CHUNK: usize = 8192;

/// A signed chunk under [`MIN_SIGNED_CHUNK`] followed by more data: S3
/// refuses it with `InvalidChunkSizeError`, in the words SDKs report
/// ("Only the last chunk is allowed to have a size less than 8192 bytes")
/// [UNCONFIRMED: the status; 403 as in S3's error code list as we read it].
fn chunk_too_small() -> S3Fail {
    S3Fail::new(
        "InvalidChunkSizeError",
        403,
        "Only the last chunk is allowed to have a size less than 8192 bytes",
    )
}

/// The bytes of a request: the body, or its aws-chunked decoding (chunk
/// signatures verified with `verifier` for the signed forms), with the
/// checksum the request claims in an `x-amz-checksum-*` header or trailer
/// (not verified yet: [`payload`] verifies it, `PutObject` and `UploadPart`
/// hand it to the domain, which verifies and stores it).
pub fn payload_with_claim(
    parts: &Parts,
    body: &[u8],
    verifier: Option<&ChunkVerifier>,
) -> Result<(Vec<u8>, Option<Claim>), S3Fail> {
    let sha = header(parts, "x-amz-content-sha256").unwrap_or("");
    let chunked = sha.starts_with("STREAMING-")
        || header(parts, "content-encoding").is_some_and(|v| v.contains("aws-chunked"));
    let (data, trailers) = if chunked {
        let signed = sha.starts_with("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        let mut v = match (signed, verifier) {
            (true, Some(v)) => Some(v.clone()),
            (true, None) => return Err(bad_chunk_signature()),
            (false, _) => None,
        };
        decode_chunked(body, v.as_mut())?
    } else {
        (body.to_vec(), Vec::new())
    };
    if chunked
        && let Some(n) = header(parts, "x-amz-decoded-content-length")
        && n.trim().parse::<usize>().ok() != Some(data.len())
    {
        return Err(incomplete());
    }
    let headers = parts
        .headers
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)));
    let claim = Claim::from_request(headers, &trailers)?;
    Ok((data, claim))
}

/// The bytes of a request, with the checksum it claims (any of S3's five
/// algorithms, header or trailer) verified: `BadDigest` when it does not
/// match.
pub fn payload(
    parts: &Parts,
    body: &[u8],
    verifier: Option<&ChunkVerifier>,
) -> Result<Vec<u8>, S3Fail> {
    let (data, claim) = payload_with_claim(parts, body, verifier)?;
    if let Some(c) = claim {
        c.verify(&data)?;
    }
    Ok(data)
}

/// The next `\r\n`-terminated line at `*pos`.
fn line<'a>(body: &'a [u8], pos: &mut usize) -> Result<&'a [u8], S3Fail> {
    let rest = body.get(*pos..).ok_or_else(incomplete)?;
    let end = rest
        .windows(2)
        .position(|w| w == b"\r\n")
        .ok_or_else(incomplete)?;
    *pos += end + 2;
    rest.get(..end).ok_or_else(incomplete)
}

/// Trailing headers of an aws-chunked body: lower-case name, value.
pub type Trailers = Vec<(String, String)>;

/// Decodes an aws-chunked body: the data, and the trailing headers.
pub fn decode_chunked(
    body: &[u8],
    mut verifier: Option<&mut ChunkVerifier>,
) -> Result<(Vec<u8>, Trailers), S3Fail> {
    let mut pos = 0usize;
    let mut data = Vec::with_capacity(body.len());
    // A signed chunk of data under the minimum, which must then be the last.
    let mut short_before = false;
    loop {
        let head = std::str::from_utf8(line(body, &mut pos)?).map_err(|_| incomplete())?;
        let (size, ext) = head.split_once(';').unwrap_or((head, ""));
        let size = usize::from_str_radix(size.trim(), 16).map_err(|_| incomplete())?;
        let chunk = body.get(pos..pos + size).ok_or_else(incomplete)?;
        pos += size;
        if let Some(v) = verifier.as_deref_mut() {
            let sig = ext
                .trim()
                .strip_prefix("chunk-signature=")
                .ok_or_else(bad_chunk_signature)?;
            if !v.chunk(chunk, sig) {
                return Err(bad_chunk_signature());
            }
            // Signed streaming only: unsigned aws-chunked bodies
            // (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`) are chunked as the
            // client's stream yields them.
            if size > 0 {
                if short_before {
                    return Err(chunk_too_small());
                }
                short_before = size < MIN_SIGNED_CHUNK;
            }
        }
        if size == 0 {
            break;
        }
        data.extend_from_slice(chunk);
        if line(body, &mut pos)? != b"" {
            return Err(incomplete());
        }
    }
    // Trailing headers, up to an empty line (or the end of the body).
    let mut trailers = Vec::new();
    let mut trailer_signature = None;
    while pos < body.len() {
        let l = std::str::from_utf8(line(body, &mut pos)?).map_err(|_| incomplete())?;
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':').ok_or_else(incomplete)?;
        let k = k.trim().to_ascii_lowercase();
        if k == "x-amz-trailer-signature" {
            trailer_signature = Some(v.trim().to_owned());
        } else {
            trailers.push((k, v.trim().to_owned()));
        }
    }
    if let Some(v) = verifier {
        if let Some(sig) = trailer_signature {
            let canonical: String = trailers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
            if !v.trailer(canonical.as_bytes(), &sig) {
                return Err(bad_chunk_signature());
            }
        } else if !trailers.is_empty() {
            return Err(bad_chunk_signature());
        }
    }
    Ok((data, trailers))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn virtual_hosts() {
        for (host, bucket) in [
            ("b1.s3.amazonaws.com", Some("b1")),
            ("my.bucket.s3.us-west-2.amazonaws.com", Some("my.bucket")),
            ("b1.s3-us-west-2.amazonaws.com", Some("b1")),
            ("b1.localhost", Some("b1")),
            ("s3.amazonaws.com", None),
            ("s3.us-east-1.amazonaws.com", None),
            ("127.0.0.1", None),
            ("localhost", None),
            ("iam.amazonaws.com", None),
        ] {
            assert_eq!(virtual_host_bucket(host).as_deref(), bucket, "{host}");
        }
    }

    #[test]
    fn chunked_bodies() {
        let body = b"5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
        let (data, trailers) = decode_chunked(body, None).unwrap();
        assert_eq!(data, b"hello world");
        assert_eq!(
            trailers,
            vec![("x-amz-checksum-crc32".into(), "DUoRhQ==".into())]
        );
        let (data, trailers) = decode_chunked(b"3\r\nabc\r\n0\r\n\r\n", None).unwrap();
        assert_eq!((data.as_slice(), trailers.len()), (&b"abc"[..], 0));
        for bad in [&b"5\r\nhel"[..], b"zz\r\n", b"3\r\nabcX\r\n0\r\n\r\n", b""] {
            assert!(decode_chunked(bad, None).is_err());
        }
    }
}
