//! A request's input, decoded by its protocol into the model's members and
//! read by handlers through [`Input`].
//!
//! Every protocol decodes into the same tree ([`rootward_model::Value`] by
//! model member name): the query protocol from form parameters
//! (`Tags.member.1.Key`), the JSON protocols from the body's object. The
//! tree is checked against the operation's constraints by the generated
//! validator before a handler sees it ([`validate`]), and the trail's
//! `requestParameters` are written from it ([`crate::trail`]).

use std::collections::BTreeMap;

use rootward_model::{Member, Scalar, ValidationErrors, Value, Violation, shape::lower_first};

use crate::error::ApiError;

/// A structure's members as decoded, by model member name, in model order.
pub type Members<'a> = Vec<(&'a str, Value<'a>)>;

/// How a service answers input that breaks the model's constraints
/// (IAM's `ValidationError`, Organizations' `InvalidInputException`, …).
pub type Invalid = fn(&ValidationErrors) -> ApiError;

/// Checks decoded `input` against the operation's input `members`; a
/// failure is answered in the service's words by `invalid`.
pub fn validate(
    members: &[Member],
    input: &[(&str, Value<'_>)],
    invalid: Invalid,
) -> Result<(), ApiError> {
    rootward_model::validate(members, input).map_err(|e| invalid(&e))
}

/// The decoded members of a request (or of one structure inside it), as
/// handlers read them. Validation has already run, so a value has the type
/// its member's shape says; the accessors still fail closed (a missing
/// member the domain needs is the service's validation error).
#[derive(Clone, Copy)]
pub struct Input<'a> {
    members: &'a [(&'a str, Value<'a>)],
    invalid: Invalid,
}

impl std::fmt::Debug for Input<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.members.iter().map(|(k, _)| k))
            .finish()
    }
}

impl<'a> Input<'a> {
    /// A view over decoded members.
    pub fn new(members: &'a [(&'a str, Value<'a>)], invalid: Invalid) -> Input<'a> {
        Input { members, invalid }
    }

    /// The members present.
    pub fn members(&self) -> &'a [(&'a str, Value<'a>)] {
        self.members
    }

    /// A member's value.
    pub fn get(&self, name: &str) -> Option<&'a Value<'a>> {
        self.members
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// Whether a member is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn fail(&self, v: Violation) -> ApiError {
        (self.invalid)(&ValidationErrors(vec![v]))
    }

    /// The service's error for a member the call cannot do without.
    pub fn missing(&self, name: &str) -> ApiError {
        self.fail(Violation::missing(lower_first(name)))
    }

    /// An optional member read as one of `choices` (a domain narrower than
    /// the model's enum: `Expired` is a model `statusType` no call takes).
    pub fn one_of<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, ApiError> {
        let Some(value) = self.str(name) else {
            return Ok(None);
        };
        match choices.iter().find(|(k, _)| *k == value) {
            Some((_, t)) => Ok(Some(*t)),
            None => {
                let allowed: Vec<&str> = choices.iter().map(|(k, _)| *k).collect();
                Err(self.fail(Violation::not_in(lower_first(name), value, &allowed)))
            }
        }
    }

    /// An optional string member.
    pub fn str(&self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// A string member the call cannot do without.
    pub fn required(&self, name: &str) -> Result<&'a str, ApiError> {
        self.str(name).ok_or_else(|| self.missing(name))
    }

    /// An optional integer member (a JSON number, or query text).
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Int(i)) => Ok(Some(*i)),
            Some(Value::Str(s)) => s.trim().parse().map(Some).map_err(|_| {
                self.fail(Violation::not_a(lower_first(name), Some(s), Scalar::Number))
            }),
            Some(_) => Err(self.fail(Violation::not_a(lower_first(name), None, Scalar::Number))),
        }
    }

    /// An optional number member that may have a fraction (timestamps in
    /// epoch seconds).
    pub fn number(&self, name: &str) -> Option<f64> {
        #[expect(
            clippy::cast_precision_loss,
            reason = "epoch seconds and counts fit an f64 exactly"
        )]
        match self.get(name) {
            Some(Value::Int(i)) => Some(*i as f64),
            Some(Value::Float(x)) => Some(*x),
            Some(Value::Str(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// An optional boolean member (a JSON boolean, or `true`/`false` text).
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Str(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::Str(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(Value::Str(s)) => Err(self.fail(Violation::not_a(
                lower_first(name),
                Some(s),
                Scalar::Boolean,
            ))),
            Some(_) => Err(self.fail(Violation::not_a(lower_first(name), None, Scalar::Boolean))),
        }
    }

    /// A list of strings, in order (empty when absent).
    pub fn list(&self, name: &str) -> Vec<&'a str> {
        match self.get(name) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::Str(s) => Some(*s),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A list of structures, each read as an [`Input`] (empty when absent).
    pub fn structs(&self, name: &str) -> Vec<Input<'a>> {
        match self.get(name) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::Struct(fields) => Some(Input::new(fields, self.invalid)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A structure member, read as an [`Input`].
    pub fn object(&self, name: &str) -> Option<Input<'a>> {
        match self.get(name) {
            Some(Value::Struct(fields)) => Some(Input::new(fields, self.invalid)),
            _ => None,
        }
    }

    /// A map of strings to strings, in key order (empty when absent).
    pub fn map(&self, name: &str) -> BTreeMap<String, String> {
        match self.get(name) {
            Some(Value::Map(entries)) => entries
                .iter()
                .filter_map(|(k, v)| match v {
                    Value::Str(s) => Some(((*k).to_owned(), (*s).to_owned())),
                    _ => None,
                })
                .collect(),
            _ => BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(e: &ValidationErrors) -> ApiError {
        ApiError::new("ValidationError", 400, e.to_string())
    }

    #[test]
    fn accessors_read_the_decoded_tree_and_fail_in_the_services_words() {
        let tree: Members<'_> = vec![
            ("UserName", Value::Str("bob")),
            ("MaxItems", Value::Str("10")),
            ("Bad", Value::Str("x")),
            ("Flag", Value::Str("true")),
            ("Names", Value::List(vec![Value::Str("a"), Value::Str("b")])),
            (
                "Tags",
                Value::List(vec![Value::Struct(vec![
                    ("Key", Value::Str("k")),
                    ("Value", Value::Str("v")),
                ])]),
            ),
            (
                "Attributes",
                Value::Map(vec![("b", Value::Str("2")), ("a", Value::Str("1"))]),
            ),
        ];
        let i = Input::new(&tree, invalid);
        assert_eq!(i.required("UserName").unwrap(), "bob");
        assert_eq!(
            i.required("GroupName").unwrap_err().message,
            "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(i.int("MaxItems").unwrap(), Some(10));
        assert_eq!(
            i.int("Bad").unwrap_err().message,
            "1 validation error detected: Value 'x' at 'bad' failed to satisfy constraint: Member must be a number"
        );
        assert_eq!(i.bool("Flag").unwrap(), Some(true));
        assert_eq!(
            i.one_of("UserName", &[("bob", 1), ("eve", 2)]).unwrap(),
            Some(1)
        );
        assert_eq!(
            i.one_of("UserName", &[("alice", 1), ("eve", 2)])
                .unwrap_err()
                .message,
            "1 validation error detected: Value 'bob' at 'userName' failed to satisfy constraint: Member must satisfy enum value set: [alice, eve]"
        );
        assert_eq!(i.one_of("Missing", &[("alice", 1)]).unwrap(), None);
        assert_eq!(i.list("Names"), ["a", "b"]);
        let tags = i.structs("Tags");
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].str("Key"), Some("k"));
        assert_eq!(
            i.map("Attributes").into_iter().collect::<Vec<_>>(),
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "2".to_owned())
            ]
        );
        assert!(i.list("Missing").is_empty());
        assert!(i.object("Missing").is_none());
    }
}
