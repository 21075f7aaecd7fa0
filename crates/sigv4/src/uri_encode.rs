//! RFC 3986 encoding as SigV4 uses it (spec 07 §7.2), percent-decoding, and
//! splitting a raw query string.

/// Whether `b` is in the unreserved set `A-Z a-z 0-9 - _ . ~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `bytes` to `out`, every byte outside the unreserved set (and outside
/// `keep`) as `%` plus two upper-case hex digits.
fn encode_into(out: &mut String, bytes: &[u8], keep: Option<u8>) {
    for &b in bytes {
        if is_unreserved(b) || Some(b) == keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
}

/// The upper-case hex digit for a nibble (`n < 16`).
fn hex_digit(n: u8) -> char {
    if n < 10 {
        char::from(b'0' + n)
    } else {
        char::from(b'A' + (n - 10))
    }
}

/// URI-encodes every byte outside the unreserved set; `/` too.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    encode_into(&mut out, bytes, None);
    out
}

/// URI-encodes every byte outside the unreserved set, keeping `/`.
pub(crate) fn encode_path(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    encode_into(&mut out, bytes, Some(b'/'));
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `s`. A `%` not followed by two hex digits stays as it is.
/// With `plus_as_space`, `+` decodes to a space (form encoding, as in query
/// strings).
pub(crate) fn decode(s: &str, plus_as_space: bool) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'%' => {
                let hi = bytes.get(i).copied().and_then(hex_value);
                let lo = bytes.get(i + 1).copied().and_then(hex_value);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b'+' if plus_as_space => out.push(b' '),
            _ => out.push(b),
        }
    }
    out
}

/// The raw query split into decoded `(name, value)` pairs, in received order.
/// Empty pieces (`a&&b`, a trailing `&`) are skipped; a piece without `=` has
/// an empty value.
pub(crate) fn query_pairs(raw_query: &str) -> impl Iterator<Item = (Vec<u8>, Vec<u8>)> + '_ {
    raw_pairs(raw_query).map(|(name, value)| (decode(name, true), decode(value, true)))
}

/// The raw query split into `(name, value)` pieces, still encoded, by the
/// same rules as [`query_pairs`].
pub(crate) fn raw_pairs(raw_query: &str) -> impl Iterator<Item = (&str, &str)> + '_ {
    raw_query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
}

/// The decoded names of the query parameters, in received order (values are
/// not decoded).
pub(crate) fn query_names(raw_query: &str) -> impl Iterator<Item = Vec<u8>> + '_ {
    raw_pairs(raw_query).map(|(name, _)| decode(name, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_keeps_unreserved_and_uppercases_hex() {
        assert_eq!(encode(b"-._~AZaz09"), "-._~AZaz09");
        assert_eq!(encode(b"a b/c+d*"), "a%20b%2Fc%2Bd%2A");
        assert_eq!(encode("ሴ".as_bytes()), "%E1%88%B4");
    }

    #[test]
    fn encode_path_keeps_slash() {
        assert_eq!(encode_path(b"/a b/c"), "/a%20b/c");
    }

    #[test]
    fn decode_handles_bad_escapes_and_plus() {
        assert_eq!(decode("a%20b", false), b"a b");
        assert_eq!(decode("a%2", false), b"a%2");
        assert_eq!(decode("%zz%", false), b"%zz%");
        assert_eq!(decode("a+b", true), b"a b");
        assert_eq!(decode("a+b", false), b"a+b");
        assert_eq!(decode("%e1%88%B4", false), "ሴ".as_bytes());
    }

    #[test]
    fn query_pairs_splits_and_decodes() {
        let pairs: Vec<_> = query_pairs("policy&a=1&&b=x%3Dy=z&").collect();
        assert_eq!(
            pairs,
            vec![
                (b"policy".to_vec(), b"".to_vec()),
                (b"a".to_vec(), b"1".to_vec()),
                (b"b".to_vec(), b"x=y=z".to_vec()),
            ]
        );
    }
}
