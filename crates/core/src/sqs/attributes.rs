//! Message attributes (`MessageAttributes` of `SendMessage`, spec 04 §4.2):
//! SQS's checks, the digest `MD5OfMessageAttributes` and the selection
//! `ReceiveMessage` answers by `MessageAttributeNames`.
//!
//! The rules are the API reference's (`MessageAttributeNames`,
//! `MessageAttributeValue`); the messages are AWS's where one was found
//! answered by SQS, and marked UNCONFIRMED where not.

use std::collections::BTreeMap;

use md5::{Digest, Md5};

use super::model::MessageAttribute;
use super::{CoreError, invalid_parameter};

/// At most this many attributes per message.
pub const MAX_ATTRIBUTES: usize = 10;

/// Names and data types are at most this many characters long (the
/// developer guide's "up to 256 characters").
const MAX_NAME: usize = 256;

/// The base data types; a custom label may follow a period
/// (`String.json`, `Binary.gif`, `Number.int`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    String,
    Number,
    Binary,
}

impl Base {
    fn of(data_type: &str) -> Option<Base> {
        match data_type.split_once('.').map_or(data_type, |(b, _)| b) {
            "String" => Some(Base::String),
            "Number" => Some(Base::Number),
            "Binary" => Some(Base::Binary),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Base::String => "String",
            Base::Number => "Number",
            Base::Binary => "Binary",
        }
    }
}

/// Checks a message's attributes as SQS does: their number, each name,
/// data type and value (the first failure in name order, so that the same
/// request always fails the same way).
pub(super) fn check(attrs: &BTreeMap<String, MessageAttribute>) -> Result<(), CoreError> {
    if attrs.len() > MAX_ATTRIBUTES {
        // AWS's words (as answered by SQS to SDKs; quoted by several
        // reimplementations).
        return Err(invalid_parameter(format!(
            "Number of message attributes [{}] exceeds the allowed maximum [{MAX_ATTRIBUTES}].",
            attrs.len()
        )));
    }
    for (name, a) in attrs {
        check_name(name)?;
        check_value(name, a)?;
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), CoreError> {
    if name.is_empty() {
        // UNCONFIRMED: a reimplementation's wording.
        return Err(invalid_parameter(
            "The request must contain non-empty message (user) attribute names.",
        ));
    }
    if name.chars().count() > MAX_NAME {
        // The wording LocalStack answers (snapshot-tested against SQS) at
        // 256 bytes; the boundary here is the API reference's "up to 256
        // characters" [UNCONFIRMED which of the two AWS applies].
        return Err(invalid_parameter(
            "Message (user) attribute names must be shorter than 256 Bytes",
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        // LocalStack's wording, trailing space included [UNCONFIRMED].
        return Err(invalid_parameter(
            "Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ",
        ));
    }
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("aws.")
        || lower.starts_with("amazon.")
        || name.starts_with('.')
        || name.ends_with('.')
    {
        // LocalStack's wording [UNCONFIRMED].
        return Err(invalid_parameter(
            "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.",
        ));
    }
    if name.contains("..") {
        // UNCONFIRMED: no answer of SQS's found; the rule is the API
        // reference's.
        return Err(invalid_parameter(format!(
            "Message (user) attribute name '{name}' must not have successive '.' characters."
        )));
    }
    Ok(())
}

fn check_value(name: &str, a: &MessageAttribute) -> Result<(), CoreError> {
    if a.data_type.is_empty() {
        // UNCONFIRMED: a reimplementation's wording.
        return Err(invalid_parameter(format!(
            "The message (user) attribute '{name}' must contain a non-empty message attribute type."
        )));
    }
    let Some(base) = Base::of(&a.data_type) else {
        // UNCONFIRMED: a reimplementation's wording.
        return Err(invalid_parameter(format!(
            "The type of message (user) attribute '{name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String."
        )));
    };
    if a.data_type.chars().count() > MAX_NAME {
        // LocalStack's wording [UNCONFIRMED], the boundary as for names.
        return Err(invalid_parameter(
            "Message (user) attribute types must be shorter than 256 Bytes",
        ));
    }
    if a.data_type
        .chars()
        .any(|c| !super::messages::allowed_char(c))
    {
        // UNCONFIRMED.
        return Err(invalid_parameter(format!(
            "The type of message (user) attribute '{name}' holds characters SQS does not allow."
        )));
    }
    // SQS's words for String (answered to boto3 and the AWS CLI); the same
    // sentence for the other types [UNCONFIRMED].
    let empty = || {
        invalid_parameter(format!(
            "Message (user) attribute '{name}' must contain a non-empty value of type '{}'.",
            base.name()
        ))
    };
    let (value, other) = match base {
        Base::String | Base::Number => (
            a.string_value.as_deref().map(str::len),
            a.binary_value.is_some(),
        ),
        Base::Binary => (
            a.binary_value.as_ref().map(Vec::len),
            a.string_value.is_some(),
        ),
    };
    if value.unwrap_or(0) == 0 {
        return Err(empty());
    }
    if other {
        // UNCONFIRMED: a reimplementation's wording.
        return Err(invalid_parameter(format!(
            "Message (user) attribute '{name}' must have a single value."
        )));
    }
    let text = a.string_value.as_deref().unwrap_or("");
    if let Some(c) = text.chars().find(|c| !super::messages::allowed_char(*c)) {
        // The body's rule; the wording is UNCONFIRMED.
        return Err(invalid_parameter(format!(
            "Invalid binary character '#x{:X}' was found in the value of message (user) attribute '{name}', the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
            u32::from(c)
        )));
    }
    if base == Base::Number && !is_number(text) {
        // AWS's words (answered to boto3, as a reimplementation records).
        return Err(invalid_parameter(format!(
            "Can't cast the value of message (user) attribute '{name}' to a number."
        )));
    }
    Ok(())
}

/// A decimal number: a sign, digits with at most one point, an exponent
/// (`-1.5e3`, `0230.01`). SQS's range and precision limits (38 digits,
/// 10^-128 to 10^126) are not checked.
fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (s, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty())
        && digits(whole)
        && digits(fraction)
        && exponent.is_none_or(|e| !e.is_empty() && digits(e))
}

/// What the attributes count towards the maximum message size: names, data
/// types and values, in bytes (API reference, `MessageAttributeValue`).
pub(super) fn size(attrs: &BTreeMap<String, MessageAttribute>) -> usize {
    attrs
        .iter()
        .map(|(n, a)| {
            n.len()
                + a.data_type.len()
                + a.string_value.as_ref().map_or(0, String::len)
                + a.binary_value.as_ref().map_or(0, Vec::len)
        })
        .sum()
}

/// `MD5OfMessageAttributes`: hex MD5 over the attributes in name order,
/// each as name, data type, transport type and value, where name, data
/// type and value are each preceded by their length in four big-endian
/// bytes and the transport type is one byte, 1 for String and Number
/// (their text in UTF-8) and 2 for Binary (SQS developer guide,
/// "Calculating the MD5 message digest for message attributes"). `None`
/// without attributes: SQS then leaves the member out.
pub fn md5_of(attrs: &BTreeMap<String, MessageAttribute>) -> Option<String> {
    if attrs.is_empty() {
        return None;
    }
    let mut h = Md5::new();
    for (name, a) in attrs {
        field(&mut h, name.as_bytes());
        field(&mut h, a.data_type.as_bytes());
        match (Base::of(&a.data_type), &a.binary_value) {
            (Some(Base::Binary), Some(bytes)) => {
                h.update([2u8]);
                field(&mut h, bytes);
            }
            _ => {
                h.update([1u8]);
                field(&mut h, a.string_value.as_deref().unwrap_or("").as_bytes());
            }
        }
    }
    Some(hex::encode(h.finalize()))
}

/// One length-prefixed field of the digest.
fn field(h: &mut Md5, bytes: &[u8]) {
    // Sizes are bounded by the maximum message size, far below 4 GiB.
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    h.update(len.to_be_bytes());
    h.update(bytes);
}

/// The attributes `ReceiveMessage` answers for `names`
/// (`MessageAttributeNames`): every one for `All` or `.*`, those whose name
/// starts with `prefix.` for `prefix.*`, else those named exactly.
pub fn select(
    attrs: &BTreeMap<String, MessageAttribute>,
    names: &[&str],
) -> BTreeMap<String, MessageAttribute> {
    let wanted = |n: &str| {
        names.iter().any(|w| {
            *w == "All"
                || *w == ".*"
                || *w == n
                || w.strip_suffix('*')
                    .is_some_and(|prefix| prefix.ends_with('.') && n.starts_with(prefix))
        })
    };
    attrs
        .iter()
        .filter(|(n, _)| wanted(n))
        .map(|(n, a)| (n.clone(), a.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data_type: &str, value: &str) -> MessageAttribute {
        MessageAttribute {
            data_type: data_type.to_owned(),
            string_value: Some(value.to_owned()),
            binary_value: None,
        }
    }

    fn bytes(data_type: &str, value: &[u8]) -> MessageAttribute {
        MessageAttribute {
            data_type: data_type.to_owned(),
            string_value: None,
            binary_value: Some(value.to_vec()),
        }
    }

    fn map(entries: &[(&str, MessageAttribute)]) -> BTreeMap<String, MessageAttribute> {
        entries
            .iter()
            .map(|(n, a)| ((*n).to_owned(), a.clone()))
            .collect()
    }

    /// The digest against the bytes of the documented layout, assembled
    /// here by hand, and against digests other SQS implementations pin as
    /// AWS's (moto's tests: one Number; four attributes of every type, out
    /// of order, one of them named outside ASCII).
    #[test]
    fn the_digest_is_aws_s() {
        let one = map(&[("timestamp", text("Number", "1493147359900"))]);
        let mut laid_out = Vec::new();
        laid_out.extend_from_slice(&[0, 0, 0, 9]);
        laid_out.extend_from_slice(b"timestamp");
        laid_out.extend_from_slice(&[0, 0, 0, 6]);
        laid_out.extend_from_slice(b"Number");
        laid_out.push(1);
        laid_out.extend_from_slice(&[0, 0, 0, 13]);
        laid_out.extend_from_slice(b"1493147359900");
        let by_hand = hex::encode(Md5::digest(&laid_out));
        assert_eq!(md5_of(&one).as_deref(), Some(by_hand.as_str()));
        assert_eq!(by_hand, "235c5c510d26fb653d073faed50ae77c");

        // Binary: transport type 2, then the bytes; names in order.
        let two = map(&[
            ("z", text("String.x", "é")),
            ("b", bytes("Binary.gif", &[0, 255])),
        ]);
        let mut laid_out = Vec::new();
        laid_out.extend_from_slice(&[0, 0, 0, 1, b'b', 0, 0, 0, 10]);
        laid_out.extend_from_slice(b"Binary.gif");
        laid_out.extend_from_slice(&[2, 0, 0, 0, 2, 0, 255]);
        laid_out.extend_from_slice(&[0, 0, 0, 1, b'z', 0, 0, 0, 8]);
        laid_out.extend_from_slice(b"String.x");
        laid_out.extend_from_slice(&[1, 0, 0, 0, 2, 0xc3, 0xa9]);
        assert_eq!(md5_of(&two), Some(hex::encode(Md5::digest(&laid_out))));

        let four = map(&[
            ("ccc", text("String", "testjunk")),
            ("aaa", bytes("Binary", &[2, 3, 4])),
            ("zzz", text("Number", "0230.01")),
            ("öther_encodings", text("String", "Tüst")),
        ]);
        assert_eq!(
            md5_of(&four).as_deref(),
            Some("8ae21a7957029ef04146b42aeaa18a22")
        );
        assert_eq!(md5_of(&BTreeMap::new()), None);
    }

    #[test]
    fn selection_by_name_prefix_or_all() {
        let attrs = map(&[
            ("foo.a", text("String", "1")),
            ("foo.b", text("String", "2")),
            ("foobar", text("String", "3")),
            ("x", text("String", "4")),
        ]);
        let names =
            |wanted: &[&str]| -> Vec<String> { select(&attrs, wanted).into_keys().collect() };
        assert_eq!(names(&["All"]).len(), 4);
        assert_eq!(names(&[".*"]).len(), 4);
        assert_eq!(names(&["foo.*"]), ["foo.a", "foo.b"]);
        assert_eq!(names(&["x", "foo.b", "nope"]), ["foo.b", "x"]);
        assert_eq!(names(&["foo*", "fo"]), Vec::<String>::new());
        assert!(names(&[]).is_empty());
    }

    #[test]
    fn checks() {
        let ok = |entries: &[(&str, MessageAttribute)]| check(&map(entries)).is_ok();
        assert!(ok(&[("a-b_c.D9", text("String.json", "{}"))]));
        assert!(ok(&[(&"n".repeat(256), text("Number", "-1.5e3"))]));
        assert!(ok(&[("b", bytes("Binary", &[0]))]));
        for bad in [
            "", ".a", "a.", "a..b", "AWS.a", "aws.a", "Amazon.a", "a b", "é",
        ] {
            assert!(!ok(&[(bad, text("String", "x"))]), "{bad:?}");
        }
        assert!(!ok(&[(&"n".repeat(257), text("String", "x"))]));
        for bad in [
            text("", "x"),
            text("Text", "x"),
            text("string", "x"),
            text("String", ""),
            text("String", "\u{0}"),
            text("Binary", "x"),
            bytes("Binary", &[]),
            bytes("String", b"x"),
            text(&format!("String.{}", "l".repeat(250)), "x"),
            MessageAttribute {
                binary_value: Some(vec![1]),
                ..text("String", "x")
            },
        ] {
            assert!(!ok(&[("a", bad.clone())]), "{bad:?}");
        }
        for n in ["0", "-1", "+2.5", "0230.01", ".5", "5.", "1e10", "1E-3"] {
            assert!(is_number(n), "{n}");
        }
        for n in [
            "", "-", ".", "1.2.3", "1e", "e5", "0x10", "1_000", " 1", "NaN",
        ] {
            assert!(!is_number(n), "{n}");
        }
        let eleven: Vec<(String, MessageAttribute)> = (0..11)
            .map(|i| (format!("a{i}"), text("String", "x")))
            .collect();
        let eleven: Vec<(&str, MessageAttribute)> = eleven
            .iter()
            .map(|(n, a)| (n.as_str(), a.clone()))
            .collect();
        assert!(!ok(&eleven));
        assert!(ok(&eleven[..10]));
        assert_eq!(
            size(&map(&[
                ("ab", text("String", "xyz")),
                ("c", bytes("Binary", &[1]))
            ])),
            2 + 6 + 3 + 1 + 6 + 1
        );
    }

    /// Binary values are stored as base64 text, and read back.
    #[test]
    fn stored_as_json() {
        let a = bytes("Binary", &[0, 1, 255]);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"data_type":"Binary","binary_value":"AAH/"}"#);
        assert_eq!(serde_json::from_str::<MessageAttribute>(&json).unwrap(), a);
        let t = text("String", "x");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"data_type":"String","string_value":"x"}"#);
        assert_eq!(serde_json::from_str::<MessageAttribute>(&json).unwrap(), t);
    }
}
