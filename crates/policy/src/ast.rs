//! The policy document as written: every element of spec 06 §6.1, with spans.
//!
//! This is the output of [`crate::parse`]; it is checked for structure but not
//! yet for the rules of a policy kind ([`crate::validate`]) and not compiled
//! for evaluation ([`crate::Policy`]).

use crate::json::Span;

/// The policy language version (spec 06 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `2012-10-17`: policy variables are substituted.
    V2012_10_17,
    /// `2008-10-17`: policy variables are literal text.
    V2008_10_17,
    /// No `Version` element: behaves as 2008-10-17.
    Absent,
}

impl Version {
    /// Whether `${…}` policy variables are substituted (spec 06 §6.7).
    pub fn substitutes_variables(self) -> bool {
        matches!(self, Version::V2012_10_17)
    }
}

/// A whole policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The `Version` element.
    pub version: Version,
    /// The `Id` element.
    pub id: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
    /// Number of characters of the source text, whitespace excluded (IAM's size rule).
    pub size_without_whitespace: usize,
    /// Number of characters of the source text.
    pub size: usize,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `Allow`
    Allow,
    /// `Deny`
    Deny,
}

/// A list element that may be negated: `Action`/`NotAction`, `Resource`/`NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub struct Matchers {
    /// True for the `Not…` form.
    pub negated: bool,
    /// The patterns as written.
    pub values: Vec<String>,
    /// Where the element's value stands.
    pub span: Span,
}

/// The kinds of principal in a `Principal` map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `AWS`: accounts, users, roles, sessions.
    Aws,
    /// `Service`: AWS service principals.
    Service,
    /// `Federated`: identity providers.
    Federated,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// The element name as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// A `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    /// True for `NotPrincipal`.
    pub negated: bool,
    /// `"*"` when the element is the bare string `"*"`, otherwise the map entries.
    pub any: bool,
    /// The map entries (empty when `any`).
    pub entries: Vec<(PrincipalKind, Vec<String>)>,
    /// Where the element's value stands.
    pub span: Span,
}

/// One `operator: { key: values }` entry of a `Condition`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: String,
    /// The condition key as written.
    pub key: String,
    /// The values, as strings (JSON numbers and booleans keep their text).
    pub values: Vec<String>,
    /// Where the key stands.
    pub span: Span,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Position in the `Statement` list (0-based).
    pub index: usize,
    /// The `Sid`.
    pub sid: Option<String>,
    /// The `Effect`.
    pub effect: Effect,
    /// `Principal` / `NotPrincipal`.
    pub principal: Option<PrincipalElement>,
    /// `Action` / `NotAction` (always present after parsing).
    pub action: Matchers,
    /// `Resource` / `NotResource`.
    pub resource: Option<Matchers>,
    /// The `Condition` entries, flattened in document order.
    pub conditions: Vec<ConditionEntry>,
    /// Where the statement object stands.
    pub span: Span,
}
