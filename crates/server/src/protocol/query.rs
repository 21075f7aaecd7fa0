//! The AWS query protocol (IAM, STS; spec 08 §8.2): form parameters in, XML
//! envelopes out.

use std::collections::HashMap;

use crate::error::ApiError;
use crate::protocol::xml::Xml;

/// The decoded parameters of a query-protocol request.
#[derive(Debug, Default, Clone)]
pub struct Params {
    map: HashMap<String, String>,
}

impl Params {
    /// Decodes `application/x-www-form-urlencoded` text (body or query string).
    /// Later occurrences of a name replace earlier ones.
    pub fn parse(form: &[u8]) -> Params {
        Params {
            map: form_urlencoded::parse(form).into_owned().collect(),
        }
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

    /// A required parameter; `ValidationError` naming it (lower-camel-case) when absent.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| {
            ApiError::new(
                "ValidationError",
                400,
                format!("1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null", lower_camel(name)),
            )
        })
    }

    /// An optional integer parameter.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                ApiError::new(
                    "ValidationError",
                    400,
                    format!("1 validation error detected: Value '{v}' at '{}' failed to satisfy constraint: Member must be a number", lower_camel(name)),
                )
            }),
        }
    }
}

impl Params {
    /// A list member (`Name.member.1`, `Name.member.2`, …), in order, up to the first gap.
    pub fn list(&self, name: &str) -> Vec<&str> {
        (1..)
            .map_while(|i| self.get(&format!("{name}.member.{i}")))
            .collect()
    }

    /// An optional boolean parameter (`true` / `false`).
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::new(
                "ValidationError",
                400,
                format!(
                    "1 validation error detected: Value '{v}' at '{}' failed to satisfy constraint: Member must be a boolean",
                    lower_camel(name)
                ),
            )),
        }
    }
}

/// `UserName` → `userName`, as Coral names members in validation messages.
pub fn lower_camel(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
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

impl QueryService {
    /// The success envelope: `result` holds the members of `<{Op}Result>`;
    /// `None` omits the result element (operations without output).
    pub fn success(&self, op: &str, request_id: &str, result: Option<Xml>) -> String {
        let mut x = Xml::new();
        x.open_ns(&format!("{op}Response"), self.namespace);
        if let Some(inner) = result {
            x.open(&format!("{op}Result"));
            x.raw(&inner.finish());
            x.close(&format!("{op}Result"));
        }
        x.open("ResponseMetadata")
            .elem("RequestId", request_id)
            .close("ResponseMetadata");
        x.close(&format!("{op}Response"));
        x.finish()
    }

    /// The error envelope.
    pub fn error(&self, e: &ApiError, request_id: &str) -> String {
        let mut x = Xml::new();
        x.open_ns("ErrorResponse", self.namespace)
            .open("Error")
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
    fn decodes_forms_and_names_missing_members() {
        let p = Params::parse(b"Action=AssumeRoot&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FX&DurationSeconds=900");
        assert_eq!(
            p.get("TaskPolicyArn.arn"),
            Some("arn:aws:iam::aws:policy/root-task/X")
        );
        assert_eq!(p.int("DurationSeconds").unwrap(), Some(900));
        let e = p.required("UserName").unwrap_err();
        assert_eq!(e.code, "ValidationError");
        assert!(e.message.contains("'userName'"));
        assert!(Params::parse(b"D=x").int("D").is_err());
        let p = Params::parse(b"A.member.1=x&A.member.2=y&A.member.4=z&B=true");
        assert_eq!(p.list("A"), ["x", "y"]);
        assert_eq!(p.bool("B").unwrap(), Some(true));
        assert!(Params::parse(b"B=yes").bool("B").is_err());
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
