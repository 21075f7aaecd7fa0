//! The AWS query protocol (IAM, STS; spec 08 §8.2): form parameters in, XML
//! envelopes out.

use std::collections::HashMap;

use rootward_model::{Kind, Member, Shape, Value};

use crate::error::ApiError;
use crate::protocol::input::Members;
use crate::protocol::xml::Xml;

/// The decoded parameters of a query-protocol request.
#[derive(Debug, Default, Clone)]
pub struct Params {
    map: HashMap<String, String>,
}

/// A form whose percent-decoded bytes are not UTF-8: refused, never
/// altered (the lossy decoding put U+FFFD in their place, and a message
/// other than the one sent was stored and its digest answered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8;

/// The pairs of `application/x-www-form-urlencoded` text, decoded as
/// `form_urlencoded::parse` does (`&`-separated, empty pairs skipped, the
/// name ends at the first `=`, `+` is a space, `%` not followed by two hex
/// digits stays as it is), but strictly: a name or value whose bytes are
/// not UTF-8 fails the whole form.
pub fn decode_form(form: &[u8]) -> Result<Vec<(String, String)>, NotUtf8> {
    form.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut halves = pair.splitn(2, |&b| b == b'=');
            let name = halves.next().unwrap_or_default();
            let value = halves.next().unwrap_or_default();
            Ok((decode_component(name)?, decode_component(value)?))
        })
        .collect()
}

/// One component of a form: `+` a space, `%XX` a byte, the rest as is.
fn decode_component(raw: &[u8]) -> Result<String, NotUtf8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied();
    while let Some(b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let mut ahead = bytes.clone();
                match (ahead.next().and_then(hex), ahead.next().and_then(hex)) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        bytes = ahead;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
    }
    String::from_utf8(out).map_err(|_| NotUtf8)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// How the query protocol (IAM, STS, SQS's query form, EC2) refuses a form
/// that is not UTF-8 once percent-decoded: `InvalidQueryParameter`, 400,
/// "The AWS query string is malformed or does not adhere to AWS standards"
/// in the Common Errors of the IAM, STS and SQS API references
/// [UNCONFIRMED: what these services answer for this input; the list's
/// `MalformedQueryString` is a 404, and SQS documents
/// `InvalidMessageContents` only for a message body's characters].
pub fn not_utf8() -> ApiError {
    ApiError::new(
        "InvalidQueryParameter",
        400,
        "The AWS query string is malformed or does not adhere to AWS standards: a parameter is not UTF-8 once percent-decoded.",
    )
}

impl Params {
    /// Decodes `application/x-www-form-urlencoded` text (body or query
    /// string), strictly ([`decode_form`]). Later occurrences of a name
    /// replace earlier ones.
    pub fn parse(form: &[u8]) -> Result<Params, NotUtf8> {
        Ok(Params {
            map: decode_form(form)?.into_iter().collect(),
        })
    }

    /// Adds the parameters of another source (the query string of a POST).
    pub fn merge(&mut self, other: Params) {
        for (k, v) in other.map {
            self.map.entry(k).or_insert(v);
        }
    }

    /// Every parameter, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// An optional parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// Whether some parameter's name starts with `prefix`.
    fn has_prefix(&self, prefix: &str) -> bool {
        self.map.keys().any(|k| k.starts_with(prefix))
    }
}

/// The members of `members` a query request carries (spec 08 §8.2.1):
/// scalars as `Name=value`, structures as `Name.Child=…`, lists as
/// `Name.member.N=…` (`Name.N` when flattened; `Name=` alone is an empty
/// list), maps as `Name.entry.N.key=…&Name.entry.N.value=…`. Parameters the
/// model does not name are left out.
pub fn decode<'p>(members: &'static [Member], params: &'p Params) -> Members<'p> {
    decode_struct(members, params, "", false)
}

/// [`decode`] in EC2's dialect: every list is `Name.N` (no `.member.`),
/// named by the member's `queryName` (the model's wire name).
pub fn decode_ec2<'p>(members: &'static [Member], params: &'p Params) -> Members<'p> {
    decode_struct(members, params, "", true)
}

fn decode_struct<'p>(
    members: &'static [Member],
    params: &'p Params,
    prefix: &str,
    ec2: bool,
) -> Members<'p> {
    let mut out = Vec::new();
    // One key buffer for every member (a format! per member was a third
    // of decoding AssumeRole's dozen members, most of them absent).
    let mut key = String::with_capacity(prefix.len() + 32);
    for m in members {
        key.clear();
        key.push_str(prefix);
        key.push_str(m.wire);
        if let Some(v) = decode_value(m.shape, params, &key, ec2) {
            out.push((m.name, v));
        }
    }
    out
}

fn decode_value<'p>(
    shape: &'static Shape,
    params: &'p Params,
    key: &str,
    ec2: bool,
) -> Option<Value<'p>> {
    match shape.kind {
        Kind::Structure => {
            let prefix = format!("{key}.");
            params
                .has_prefix(&prefix)
                .then(|| Value::Struct(decode_struct(shape.members, params, &prefix, ec2)))
        }
        // An absent list or map costs no key building.
        Kind::List | Kind::Map if !params.has_prefix(key) => None,
        Kind::List => {
            let element = shape.element?;
            let base = if shape.flattened || ec2 {
                key.to_owned()
            } else {
                format!("{key}.member")
            };
            let items: Vec<Value<'p>> = (1..)
                .map_while(|i| decode_value(element, params, &format!("{base}.{i}"), ec2))
                .collect();
            if items.is_empty() {
                // `Name=` is the empty list.
                params.get(key).map(|_| Value::List(Vec::new()))
            } else {
                Some(Value::List(items))
            }
        }
        Kind::Map => {
            let value = shape.element?;
            let base = if shape.flattened {
                key.to_owned()
            } else {
                format!("{key}.entry")
            };
            let entries: Vec<(&'p str, Value<'p>)> = (1..)
                .map_while(|i| {
                    let k = params.get(&format!("{base}.{i}.key"))?;
                    let v = decode_value(value, params, &format!("{base}.{i}.value"), ec2)
                        .unwrap_or(Value::Str(""));
                    Some((k, v))
                })
                .collect();
            if entries.is_empty() {
                params.get(key).map(|_| Value::Map(Vec::new()))
            } else {
                Some(Value::Map(entries))
            }
        }
        _ => params.get(key).map(Value::Str),
    }
}

/// `InvalidAction` for a request naming another API version than the
/// service's (`Version=2099-01-01`, or an empty one): the operation is not
/// found for it, in the words of spec 08 §8.1. A request without `Version`
/// is served (lenient). Only the query services proper: SQS's query form
/// keeps its own rules.
pub fn other_version(
    op: &str,
    version: Option<&str>,
    service: &rootward_model::Service,
) -> Option<ApiError> {
    let (rootward_model::Protocol::Query { version: ours, .. }
    | rootward_model::Protocol::Ec2 { version: ours, .. }) = service.protocol
    else {
        return None;
    };
    let v = version?;
    (v != ours).then(|| {
        ApiError::new(
            "InvalidAction",
            400,
            format!("Could not find operation {op} for version {v}"),
        )
    })
}

/// `InvalidAction`: the service has no operation by that name (or this
/// endpoint does not serve it), spec 08 §8.1. A JSON service that also
/// takes the query form (`awsQueryCompatible`, SQS) answers in the words of
/// its query API, with the code also in `x-amzn-query-error` (spec 04
/// §4.2.1).
pub fn unknown_operation(op: &str, service: &rootward_model::Service) -> ApiError {
    match service.protocol {
        rootward_model::Protocol::Json {
            query_compatible: true,
            ..
        } => {
            let mut e = ApiError::new(
                "InvalidAction",
                400,
                format!("The action {op} is not valid for this endpoint."),
            );
            e.query_code = Some("InvalidAction".into());
            e
        }
        _ => ApiError::new(
            "InvalidAction",
            400,
            format!(
                "Could not find operation {op} for version {}",
                service.api_version
            ),
        ),
    }
}

/// A service speaking the query protocol.
#[derive(Debug, Clone, Copy)]
pub struct QueryService {
    /// The XML namespace of its responses.
    pub namespace: &'static str,
}

/// IAM's namespace.
pub const IAM: QueryService = QueryService {
    namespace: "https://iam.amazonaws.com/doc/2010-05-08/",
};
/// STS's namespace.
pub const STS: QueryService = QueryService {
    namespace: "https://sts.amazonaws.com/doc/2011-06-15/",
};

/// SQS's namespace (its query form, spec 04 §4.2.1).
pub const SQS: QueryService = QueryService {
    namespace: "http://queue.amazonaws.com/doc/2012-11-05/",
};

/// A query service this endpoint has no model of: its answers carry no
/// namespace (SDKs read the error's `Code` and `Message` without one).
pub const FOREIGN: QueryService = QueryService { namespace: "" };

impl QueryService {
    /// The success envelope: `result` holds the members of `<{Op}Result>`;
    /// `None` omits the result element (operations without output).
    pub fn success(&self, op: &str, request_id: &str, result: Option<Xml>) -> String {
        // Written straight into one buffer of the right size (the element
        // names by `format!` and the result copied from its own document
        // were 3% of a GetCallerIdentity's CPU).
        let inner = result.map(Xml::finish);
        let mut s = String::with_capacity(
            inner.as_ref().map_or(0, String::len) + 4 * op.len() + self.namespace.len() + 160,
        );
        s.push('<');
        s.push_str(op);
        s.push_str("Response xmlns=\"");
        crate::protocol::xml::escape_into(&mut s, self.namespace);
        s.push_str("\">");
        if let Some(inner) = inner {
            s.push('<');
            s.push_str(op);
            s.push_str("Result>");
            s.push_str(&inner);
            s.push_str("</");
            s.push_str(op);
            s.push_str("Result>");
        }
        s.push_str("<ResponseMetadata><RequestId>");
        crate::protocol::xml::escape_into(&mut s, request_id);
        s.push_str("</RequestId></ResponseMetadata></");
        s.push_str(op);
        s.push_str("Response>");
        s
    }

    /// The error envelope.
    pub fn error(&self, e: &ApiError, request_id: &str) -> String {
        let mut x = Xml::new();
        if self.namespace.is_empty() {
            x.open("ErrorResponse");
        } else {
            x.open_ns("ErrorResponse", self.namespace);
        }
        x.open("Error")
            .elem("Type", e.fault())
            .elem("Code", e.query_code.as_deref().unwrap_or(&e.code))
            .elem("Message", &e.message)
            .close("Error")
            .elem("RequestId", request_id)
            .close("ErrorResponse");
        x.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_operations_are_answered_in_the_words_of_the_services_query_api() {
        let e = unknown_operation("Nope", &rootward_model::iam::SERVICE);
        assert_eq!(
            (e.code.as_str(), e.status, e.message.as_str(), e.query_code),
            (
                "InvalidAction",
                400,
                "Could not find operation Nope for version 2010-05-08",
                None
            )
        );
        // SQS is a JSON service that also takes the query form.
        let e = unknown_operation("Nope", &rootward_model::sqs::SERVICE);
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.query_code.as_deref()),
            (
                "InvalidAction",
                "The action Nope is not valid for this endpoint.",
                Some("InvalidAction")
            )
        );
    }

    #[test]
    fn decodes_forms() {
        let p = Params::parse(b"Action=AssumeRoot&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FX&DurationSeconds=900").unwrap();
        assert_eq!(
            p.get("TaskPolicyArn.arn"),
            Some("arn:aws:iam::aws:policy/root-task/X")
        );
        assert_eq!(p.get("DurationSeconds"), Some("900"));
        let mut q = Params::parse(b"A=1&B=2").unwrap();
        q.merge(Params::parse(b"A=3&C=4").unwrap());
        assert_eq!((q.get("A"), q.get("C")), (Some("1"), Some("4")));
    }

    /// Strict decoding reads valid forms exactly as `form_urlencoded` does,
    /// and refuses a form whose decoded bytes are not UTF-8 (the probe's
    /// D5: `MessageBody=%FF%FE` was stored as U+FFFD U+FFFD).
    #[test]
    fn forms_decode_strictly() {
        for form in [
            &b"A=1&B=two+words&C=%41%2b%2F&&D&E=&=v&F=a=b"[..],
            b"P=%zz%4&Q=%",
            b"U=%E2%82%AC%F0%9F%92%96&V=%ef%bf%bd",
            "W=caf\u{e9}".as_bytes(),
            b"",
        ] {
            let lossy: Vec<(String, String)> = form_urlencoded::parse(form).into_owned().collect();
            assert_eq!(decode_form(form).unwrap(), lossy, "{form:?}");
        }
        for form in [
            &b"MessageBody=%FF%FE"[..],
            b"A=1&%C3=x",
            b"A=%E2%82",
            b"A=\xff",
            b"A=%ED%A0%80",
        ] {
            assert_eq!(decode_form(form), Err(NotUtf8), "{form:?}");
            assert!(Params::parse(form).is_err());
        }
    }

    #[test]
    fn members_decode_by_the_model() {
        use rootward_model::{iam, sts};
        let p = Params::parse(b"Action=AssumeRole&RoleArn=arn&RoleSessionName=s&DurationSeconds=900&PolicyArns.member.1.arn=a1&PolicyArns.member.2.arn=a2&Tags.member.1.Key=k&Tags.member.1.Value=v&TransitiveTagKeys.member.1=k&Unknown=x").unwrap();
        let m = decode(sts::Operation::AssumeRole.info().input, &p);
        assert_eq!(
            m,
            vec![
                ("RoleArn", Value::Str("arn")),
                ("RoleSessionName", Value::Str("s")),
                (
                    "PolicyArns",
                    Value::List(vec![
                        Value::Struct(vec![("arn", Value::Str("a1"))]),
                        Value::Struct(vec![("arn", Value::Str("a2"))]),
                    ])
                ),
                ("DurationSeconds", Value::Str("900")),
                (
                    "Tags",
                    Value::List(vec![Value::Struct(vec![
                        ("Key", Value::Str("k")),
                        ("Value", Value::Str("v"))
                    ])])
                ),
                ("TransitiveTagKeys", Value::List(vec![Value::Str("k")])),
            ]
        );
        let p = Params::parse(b"Action=AssumeRoot&TaskPolicyArn.arn=t").unwrap();
        let m = decode(sts::Operation::AssumeRoot.info().input, &p);
        assert_eq!(
            m,
            vec![(
                "TaskPolicyArn",
                Value::Struct(vec![("arn", Value::Str("t"))])
            )]
        );
        let p = Params::parse(b"Action=GetAccountAuthorizationDetails&Filter=").unwrap();
        let m = decode(
            iam::Operation::GetAccountAuthorizationDetails.info().input,
            &p,
        );
        assert_eq!(m, vec![("Filter", Value::List(Vec::new()))]);
    }

    #[test]
    fn envelopes_match_spec_08() {
        let mut inner = Xml::new();
        inner.elem("Arn", "arn:aws:iam::222222222222:root");
        let body = STS.success("GetCallerIdentity", "rid", Some(inner));
        assert_eq!(
            body,
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::222222222222:root</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
        );
        let body = IAM.success("DeleteLoginProfile", "rid", None);
        assert!(!body.contains("Result"));
        let err = IAM.error(
            &ApiError::new(
                "NoSuchEntity",
                404,
                "Login Profile for User null cannot be found.",
            ),
            "rid",
        );
        assert!(err.contains("<Type>Sender</Type><Code>NoSuchEntity</Code>"));
        assert!(err.contains("<RequestId>rid</RequestId></ErrorResponse>"));
    }
}
