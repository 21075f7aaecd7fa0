//! The AWS JSON protocols (1.1: Organizations, CloudTrail; spec 08 §8.3): an
//! `X-Amz-Target` names the operation, the body is a JSON object of the input
//! members, the answer a JSON object of the output members.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// `SerializationException`: the body is not what the protocol allows.
pub fn serialization(message: impl Into<String>) -> ApiError {
    ApiError::new("SerializationException", 400, message)
}

/// `UnknownOperationException`.
pub fn unknown_operation() -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        400,
        "The operation named by X-Amz-Target is not known to this service.",
    )
}

/// The operation named by `X-Amz-Target: <prefix>.<Operation>`.
pub fn operation<'a>(target: Option<&'a str>, prefix: &str) -> Result<&'a str, ApiError> {
    target
        .and_then(|t| t.strip_prefix(prefix))
        .and_then(|t| t.strip_prefix('.'))
        .filter(|op| !op.is_empty())
        .ok_or_else(unknown_operation)
}

/// The decoded input members of one request.
#[derive(Debug)]
pub struct Input {
    map: Map<String, Value>,
    missing: fn(&str) -> ApiError,
}

fn wrong_type(name: &str, want: &str) -> ApiError {
    serialization(format!("Member {name} must be {want}"))
}

impl Input {
    /// Decodes a body: empty or a JSON object. `missing` shapes the error for
    /// an absent required member (each service says it its own way).
    pub fn parse(body: &[u8], missing: fn(&str) -> ApiError) -> Result<Input, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Input {
                map: Map::new(),
                missing,
            });
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(Input { map, missing }),
            Ok(_) => Err(serialization("The request body must be a JSON object")),
            Err(e) => Err(serialization(format!(
                "The request body is not valid JSON: {e}"
            ))),
        }
    }

    /// An optional string member (`null` counts as absent).
    pub fn str(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong_type(name, "a string")),
        }
    }

    /// A required string member.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.str(name)?.ok_or_else(|| (self.missing)(name))
    }

    /// An optional integer member.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| wrong_type(name, "an integer")),
            Some(_) => Err(wrong_type(name, "an integer")),
        }
    }

    /// An optional list of strings.
    pub fn str_list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| wrong_type(name, "a list of strings"))
                })
                .collect(),
            Some(_) => Err(wrong_type(name, "a list of strings")),
        }
    }

    /// An optional map of strings to strings, in key order.
    pub fn str_map(
        &self,
        name: &str,
    ) -> Result<std::collections::BTreeMap<String, String>, ApiError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(std::collections::BTreeMap::new()),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|v| (k.clone(), v.to_owned()))
                        .ok_or_else(|| wrong_type(name, "a map of strings"))
                })
                .collect(),
            Some(_) => Err(wrong_type(name, "a map of strings")),
        }
    }

    /// Whether a member is present (and not `null`).
    pub fn has(&self, name: &str) -> bool {
        !matches!(self.map.get(name), None | Some(Value::Null))
    }

    /// An input built from already-decoded members (the query form of a
    /// JSON service).
    pub fn from_map(map: Map<String, Value>, missing: fn(&str) -> ApiError) -> Input {
        Input { map, missing }
    }

    /// An optional list of structures, each read as an [`Input`].
    pub fn objects(&self, name: &str) -> Result<Vec<Input>, ApiError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Object(m) => Ok(Input {
                        map: m.clone(),
                        missing: self.missing,
                    }),
                    _ => Err(wrong_type(name, "a list of structures")),
                })
                .collect(),
            Some(_) => Err(wrong_type(name, "a list of structures")),
        }
    }

    /// An optional structure member, itself read as an [`Input`].
    pub fn object(&self, name: &str) -> Result<Option<Input>, ApiError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Input {
                map: m.clone(),
                missing: self.missing,
            })),
            Some(_) => Err(wrong_type(name, "a structure")),
        }
    }
}

/// An epoch-seconds timestamp, as the JSON protocols send them.
pub fn timestamp(t: time::OffsetDateTime) -> Value {
    let secs = t.unix_timestamp_nanos() / 1_000_000;
    // Milliseconds as a fraction of a second.
    #[expect(
        clippy::cast_precision_loss,
        reason = "epoch milliseconds fit an f64 exactly"
    )]
    let v = secs as f64 / 1_000.0;
    Value::from(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing(name: &str) -> ApiError {
        ApiError::new("Missing", 400, name)
    }

    #[test]
    fn bodies() {
        assert!(Input::parse(b"", missing).is_ok());
        assert!(Input::parse(b"  {}  ", missing).is_ok());
        for bad in [&b"[]"[..], b"\"x\"", b"{", b"{\"a\":}", b"\xff"] {
            let e = Input::parse(bad, missing).unwrap_err();
            assert_eq!(e.code, "SerializationException");
        }
        let i = Input::parse(
            br#"{"A":"x","N":3,"L":["a"],"B":1,"O":{"Id":"1"}}"#,
            missing,
        )
        .unwrap();
        assert_eq!(i.required("A").unwrap(), "x");
        assert_eq!(i.required("Z").unwrap_err().code, "Missing");
        assert_eq!(i.int("N").unwrap(), Some(3));
        assert_eq!(i.str("B").unwrap_err().code, "SerializationException");
        assert_eq!(i.str_list("L").unwrap(), vec!["a".to_owned()]);
        assert_eq!(i.object("O").unwrap().unwrap().required("Id").unwrap(), "1");
    }

    #[test]
    fn targets() {
        let p = "AWSOrganizationsV20161128";
        assert_eq!(
            operation(Some("AWSOrganizationsV20161128.ListRoots"), p).unwrap(),
            "ListRoots"
        );
        assert!(operation(Some("Other.ListRoots"), p).is_err());
        assert!(operation(Some("AWSOrganizationsV20161128."), p).is_err());
        assert!(operation(None, p).is_err());
    }
}
