//! Model-level input validation with AWS's wording (Coral, spec 08 §8.1):
//!
//! ```text
//! 1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900
//! 2 validation errors detected: Value null at 'targetPrincipal' failed to satisfy constraint: Member must not be null; Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null
//! ```
//!
//! Rules (each marked with its evidence):
//! * members in model order, and per member: required, then length or
//!   value bounds, then pattern, then enum [order inferred; AWS's Cognito
//!   answers list length before pattern];
//! * each failed constraint is its own error, joined with `; ` [live];
//! * a path is the member name with a lower-case first letter, nested
//!   members joined with `.`, list entries as `name.N.member` (1-based):
//!   `tags.6.member.value` [live, IAM];
//! * the value is quoted as sent; a `sensitive` member's value is left out
//!   (`Value at 'password'`) [live, Cognito]; lists of strings print as
//!   `[a, b]` and maps as `{k=v}` (Java's `toString`) [live for maps];
//!   lists of structures print nothing (`Value at 'tags'`) [UNCONFIRMED:
//!   AWS prints Java object strings Rootward cannot reproduce];
//! * a list of strings or a map with a bad entry fails once at the
//!   collection, naming every constraint of the entry shape:
//!   `Member must satisfy constraint: [...]`, `Map value must satisfy
//!   constraint: [...]` (max length, min length, pattern, enum) [live for
//!   map values; lists UNCONFIRMED];
//! * a scalar sent as text that does not parse (query protocol):
//!   `Member must be a number` / `Member must be a boolean` [as the query
//!   decoder answers today; AWS's wording UNCONFIRMED].

use std::fmt;

use crate::shape::{Kind, Member, Shape, lower_first};

/// A decoded input value, borrowed from the request.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// A string, or any scalar sent as text (query protocol, headers).
    Str(&'a str),
    /// A JSON integer.
    Int(i64),
    /// A JSON number with a fraction.
    Float(f64),
    /// A JSON boolean.
    Bool(bool),
    /// A list.
    List(Vec<Value<'a>>),
    /// A map, entries in request order.
    Map(Vec<(&'a str, Value<'a>)>),
    /// A structure's members present, by model member name.
    Struct(Vec<(&'a str, Value<'a>)>),
}

/// One failed constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where (`taskPolicyArn`, `tags.1.member.key`).
    pub path: String,
    /// The value as AWS quotes it; `None` prints `Value at`, and a missing
    /// member prints `Value null at` (see [`Violation::null`]).
    pub value: Option<String>,
    /// The member is absent.
    pub null: bool,
    /// The constraint (`Member must not be null`).
    pub constraint: String,
}

/// A constraint as Coral words it (`Member must …`): the one formatter of
/// constraint texts, for the model's checks here and for the domain's checks
/// beyond the model (core).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule<'a> {
    /// `Member must not be null`.
    NotNull,
    /// `Member must have length greater than or equal to N`.
    MinLength(i64),
    /// `Member must have length less than or equal to N`.
    MaxLength(i64),
    /// `Member must have length between A and B` (IAM's wording for a
    /// length checked beyond its model).
    LengthBetween(i64, i64),
    /// `Member must have length less than or equal to N (G given)`.
    MaxLengthGiven(i64, usize),
    /// `Member must have value greater than or equal to N`.
    MinValue(i64),
    /// `Member must have value less than or equal to N`.
    MaxValue(i64),
    /// `Member must satisfy regular expression pattern: P`.
    Pattern(&'a str),
    /// `Member must satisfy enum value set: [A, B]`.
    Enum(&'a [&'a str]),
    /// `Member must be a role ARN` (STS's `roleArn` beyond the model).
    RoleArn,
}

impl fmt::Display for Rule<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::NotNull => f.write_str("Member must not be null"),
            Rule::MinLength(n) => write!(f, "Member must have length greater than or equal to {n}"),
            Rule::MaxLength(n) => write!(f, "Member must have length less than or equal to {n}"),
            Rule::LengthBetween(a, b) => write!(f, "Member must have length between {a} and {b}"),
            Rule::MaxLengthGiven(n, given) => write!(
                f,
                "Member must have length less than or equal to {n} ({given} given)"
            ),
            Rule::MinValue(n) => write!(f, "Member must have value greater than or equal to {n}"),
            Rule::MaxValue(n) => write!(f, "Member must have value less than or equal to {n}"),
            Rule::Pattern(p) => write!(f, "Member must satisfy regular expression pattern: {p}"),
            Rule::Enum(values) => write!(
                f,
                "Member must satisfy enum value set: [{}]",
                values.join(", ")
            ),
            Rule::RoleArn => f.write_str("Member must be a role ARN"),
        }
    }
}

/// A scalar type a query value must parse as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// An integer or a number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// What kind of constraint a [`Violation`] broke (for services that name
/// it with a reason code instead of Coral's text, as Organizations does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// A required member is absent.
    Required,
    /// A value is not of its shape's type.
    Type,
    /// Too short (or too few entries).
    MinLength,
    /// Too long (or too many entries).
    MaxLength,
    /// A number below its minimum.
    MinValue,
    /// A number above its maximum.
    MaxValue,
    /// A string not matching its pattern.
    Pattern,
    /// A string outside its enum.
    Enum,
    /// An entry of a list or map of scalars broke one of its constraints.
    Entries,
}

impl Violation {
    /// An absent member (`Value null at 'userName' … Member must not be
    /// null`); `path` as in [`Violation::path`].
    pub fn missing(path: String) -> Violation {
        Violation {
            path,
            value: None,
            null: true,
            constraint: Rule::NotNull.to_string(),
        }
    }

    /// `value` at `path` breaks `rule`; `value` `None` leaves the value out
    /// (`Value at 'password'`, for sensitive members).
    pub fn broke(path: impl Into<String>, value: Option<&str>, rule: Rule<'_>) -> Violation {
        Violation {
            path: path.into(),
            value: value.map(str::to_owned),
            null: matches!(rule, Rule::NotNull),
            constraint: rule.to_string(),
        }
    }

    /// A value outside `allowed` (a domain narrower than the model's enum,
    /// or a member read as an enum).
    pub fn not_in(path: String, value: &str, allowed: &[&str]) -> Violation {
        Violation {
            path,
            value: Some(value.to_owned()),
            null: false,
            constraint: Rule::Enum(allowed).to_string(),
        }
    }

    /// Text that is not a number or a boolean where one is expected.
    pub fn not_a(path: String, value: Option<&str>, what: Scalar) -> Violation {
        Violation {
            path,
            value: value.map(str::to_owned),
            null: false,
            constraint: match what {
                Scalar::Number => "Member must be a number",
                Scalar::Boolean => "Member must be a boolean",
            }
            .to_owned(),
        }
    }

    /// The kind of constraint broken, read from the constraint's text as
    /// this module writes it.
    pub fn kind(&self) -> Constraint {
        let c = self.constraint.as_str();
        if self.null {
            Constraint::Required
        } else if c.starts_with("Member must have length greater") {
            Constraint::MinLength
        } else if c.starts_with("Member must have length less") {
            Constraint::MaxLength
        } else if c.starts_with("Member must have value greater") {
            Constraint::MinValue
        } else if c.starts_with("Member must have value less") {
            Constraint::MaxValue
        } else if c.starts_with("Member must satisfy regular expression") {
            Constraint::Pattern
        } else if c.starts_with("Member must satisfy enum") {
            Constraint::Enum
        } else if c.contains("must satisfy constraint") {
            Constraint::Entries
        } else {
            Constraint::Type
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.value, self.null) {
            (_, true) => write!(f, "Value null at '{}'", self.path)?,
            (Some(v), false) => write!(f, "Value '{v}' at '{}'", self.path)?,
            (None, false) => write!(f, "Value at '{}'", self.path)?,
        }
        write!(f, " failed to satisfy constraint: {}", self.constraint)
    }
}

/// Every failed constraint of a request; its `Display` is AWS's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<Violation>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} validation error{} detected: ",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Checks `input` (a structure's members present, by model name) against
/// `members` (an operation's `input`).
pub fn validate(members: &[Member], input: &[(&str, Value<'_>)]) -> Result<(), ValidationErrors> {
    let mut out = Vec::new();
    check_struct(members, input, "", &mut out);
    if out.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(out))
    }
}

fn check_struct(
    members: &[Member],
    fields: &[(&str, Value<'_>)],
    prefix: &str,
    out: &mut Vec<Violation>,
) {
    for m in members {
        // (An absent optional member, the common case, costs no path text.)
        let path = || format!("{prefix}{}", lower_first(m.name));
        match fields.iter().find(|(k, _)| *k == m.name) {
            None if m.required => out.push(Violation {
                path: path(),
                value: None,
                null: true,
                constraint: Rule::NotNull.to_string(),
            }),
            None => {}
            Some((_, v)) => check_value(m.shape, m.sensitive, v, &path(), out),
        }
    }
}

/// How AWS quotes a value, or `None` when it leaves it out.
fn render(v: &Value<'_>, sensitive: bool) -> Option<String> {
    if sensitive {
        return None;
    }
    match v {
        Value::Str(s) => Some((*s).to_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) => Some(x.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::List(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| match i {
                    Value::List(_) | Value::Map(_) | Value::Struct(_) => None,
                    scalar => render(scalar, false),
                })
                .collect();
            parts.map(|p| format!("[{}]", p.join(", ")))
        }
        Value::Map(entries) => {
            let parts: Option<Vec<String>> = entries
                .iter()
                .map(|(k, v)| match v {
                    Value::List(_) | Value::Map(_) | Value::Struct(_) => None,
                    scalar => render(scalar, false).map(|v| format!("{k}={v}")),
                })
                .collect();
            parts.map(|p| format!("{{{}}}", p.join(", ")))
        }
        Value::Struct(_) => None,
    }
}

/// The failed constraints of a scalar, as `Member must …` texts.
fn scalar_failures(shape: &Shape, v: &Value<'_>) -> Vec<String> {
    let mut out = Vec::new();
    match shape.kind {
        Kind::String => {
            let Value::Str(s) = v else {
                out.push("Member must be a string".to_owned());
                return out;
            };
            let len = i64::try_from(s.chars().count()).unwrap_or(i64::MAX);
            if let Some(min) = shape.min
                && len < min
            {
                out.push(Rule::MinLength(min).to_string());
            }
            if let Some(max) = shape.max
                && len > max
            {
                out.push(Rule::MaxLength(max).to_string());
            }
            if let (Some(p), Some(compiled)) = (shape.pattern, shape.compiled_pattern())
                && !compiled.matches(s)
            {
                out.push(Rule::Pattern(p).to_string());
            }
            if !shape.enum_values.is_empty() && !shape.enum_values.contains(s) {
                out.push(Rule::Enum(shape.enum_values).to_string());
            }
        }
        Kind::Integer | Kind::Long | Kind::Float | Kind::Double => {
            let number = match v {
                Value::Int(i) => Some(*i as f64),
                Value::Float(x) => Some(*x),
                Value::Str(s) => s.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
                _ => None,
            };
            let integral = matches!(shape.kind, Kind::Integer | Kind::Long);
            let Some(n) = number.filter(|n| !integral || n.fract() == 0.0) else {
                out.push("Member must be a number".to_owned());
                return out;
            };
            if let Some(min) = shape.min
                && n < min as f64
            {
                out.push(Rule::MinValue(min).to_string());
            }
            if let Some(max) = shape.max
                && n > max as f64
            {
                out.push(Rule::MaxValue(max).to_string());
            }
        }
        Kind::Boolean => {
            if !matches!(v, Value::Bool(_) | Value::Str("true" | "false")) {
                out.push("Member must be a boolean".to_owned());
            }
        }
        Kind::Blob | Kind::Timestamp | Kind::List | Kind::Map | Kind::Structure => {}
    }
    out
}

/// Every constraint of an entry shape, for `… must satisfy constraint: [...]`.
fn all_constraints(shape: &Shape) -> String {
    let mut c = Vec::new();
    if let Some(max) = shape.max {
        c.push(Rule::MaxLength(max).to_string());
    }
    if let Some(min) = shape.min {
        c.push(Rule::MinLength(min).to_string());
    }
    if let Some(p) = shape.pattern {
        c.push(Rule::Pattern(p).to_string());
    }
    if !shape.enum_values.is_empty() {
        c.push(Rule::Enum(shape.enum_values).to_string());
    }
    format!("[{}]", c.join(", "))
}

fn is_scalar(shape: &Shape) -> bool {
    !matches!(shape.kind, Kind::List | Kind::Map | Kind::Structure)
}

fn check_value(
    shape: &Shape,
    sensitive: bool,
    v: &Value<'_>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let sensitive = sensitive || shape.sensitive;
    let violation = |constraint: String| Violation {
        path: path.to_owned(),
        value: render(v, sensitive),
        null: false,
        constraint,
    };
    match shape.kind {
        Kind::Structure => match v {
            Value::Struct(fields) => check_struct(shape.members, fields, &format!("{path}."), out),
            _ => out.push(violation("Member must be a structure".to_owned())),
        },
        Kind::List => {
            let Value::List(items) = v else {
                out.push(violation("Member must be a list".to_owned()));
                return;
            };
            count_bounds(shape, items.len(), &violation, out);
            let Some(element) = shape.element else {
                return;
            };
            if is_scalar(element) {
                if items
                    .iter()
                    .any(|i| !scalar_failures(element, i).is_empty())
                {
                    out.push(violation(format!(
                        "Member must satisfy constraint: {}",
                        all_constraints(element)
                    )));
                }
            } else {
                for (i, item) in items.iter().enumerate() {
                    check_value(
                        element,
                        sensitive,
                        item,
                        &format!("{path}.{}.member", i + 1),
                        out,
                    );
                }
            }
        }
        Kind::Map => {
            let Value::Map(entries) = v else {
                out.push(violation("Member must be a map".to_owned()));
                return;
            };
            count_bounds(shape, entries.len(), &violation, out);
            if let Some(key) = shape.key
                && entries
                    .iter()
                    .any(|(k, _)| !scalar_failures(key, &Value::Str(k)).is_empty())
            {
                out.push(violation(format!(
                    "Map keys must satisfy constraint: {}",
                    all_constraints(key)
                )));
            }
            if let Some(value) = shape.element {
                if is_scalar(value) {
                    if entries
                        .iter()
                        .any(|(_, e)| !scalar_failures(value, e).is_empty())
                    {
                        out.push(violation(format!(
                            "Map value must satisfy constraint: {}",
                            all_constraints(value)
                        )));
                    }
                } else {
                    for (k, e) in entries {
                        check_value(value, sensitive, e, &format!("{path}.{k}"), out);
                    }
                }
            }
        }
        _ => {
            for c in scalar_failures(shape, v) {
                out.push(violation(c));
            }
        }
    }
}

fn count_bounds(
    shape: &Shape,
    n: usize,
    violation: &impl Fn(String) -> Violation,
    out: &mut Vec<Violation>,
) {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    if let Some(min) = shape.min
        && n < min
    {
        out.push(violation(Rule::MinLength(min).to_string()));
    }
    if let Some(max) = shape.max
        && n > max
    {
        out.push(violation(Rule::MaxLength(max).to_string()));
    }
}
