//! Shapes and members: the input side of an operation with the constraints
//! the validator checks ([`crate::validate`]).

use std::sync::OnceLock;

use crate::pattern::Pattern;

/// What kind of value a shape holds (botocore `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `string` (enums included: see [`Shape::enum_values`]).
    String,
    /// `blob`: base64 in JSON and query, raw bytes as a REST payload.
    Blob,
    /// `boolean`.
    Boolean,
    /// `integer` (32-bit).
    Integer,
    /// `long` (64-bit).
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `timestamp`.
    Timestamp,
    /// `list`: [`Shape::element`] is the member shape.
    List,
    /// `map`: [`Shape::key`] and [`Shape::element`] (the value shape).
    Map,
    /// `structure` (and `union`): [`Shape::members`].
    Structure,
}

/// A shape reachable from some operation's input, with its constraints.
///
/// `min`/`max` bound a string's length in characters, a list's or map's
/// number of entries, or a number's value, as botocore's `min`/`max` do.
#[derive(Debug)]
pub struct Shape {
    /// The shape's name in the model (`userNameType`).
    pub name: &'static str,
    /// What the shape holds.
    pub kind: Kind,
    /// Smallest length, count or value.
    pub min: Option<i64>,
    /// Largest length, count or value.
    pub max: Option<i64>,
    /// Regular expression a string must match whole, as the model writes it
    /// (Java syntax; the validator checks the common subset, see
    /// [`crate::validate`]).
    pub pattern: Option<&'static str>,
    /// Allowed values of a string enum, in model order (empty: any).
    pub enum_values: &'static [&'static str],
    /// The shape is marked `sensitive`: its values are never echoed.
    pub sensitive: bool,
    /// A list's member shape, or a map's value shape.
    pub element: Option<&'static Shape>,
    /// A map's key shape.
    pub key: Option<&'static Shape>,
    /// A structure's members, in model order.
    pub members: &'static [Member],
    /// A list or map serialized flattened (query protocol: no `.member.`).
    pub flattened: bool,
    /// The compiled [`Shape::pattern`], built on first use.
    pub(crate) compiled: OnceLock<Option<Pattern>>,
}

impl Shape {
    /// The compiled pattern; `None` when the shape has none or it is
    /// outside the supported subset (the crate's tests rule that out).
    pub fn compiled_pattern(&self) -> Option<&Pattern> {
        self.compiled
            .get_or_init(|| self.pattern.and_then(|p| Pattern::new(p).ok()))
            .as_ref()
    }
}

/// Where a member travels in a request (REST protocols; everything else is
/// [`Location::Body`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// In the body (JSON object, form parameter, XML element).
    Body,
    /// A URI label (`{Bucket}`).
    Uri,
    /// A query-string parameter.
    Query,
    /// An HTTP header.
    Header,
    /// Every header with this prefix (`x-amz-meta-`).
    Headers,
    /// The HTTP status code (outputs only).
    StatusCode,
    /// The whole body (the structure's `payload` member).
    Payload,
}

/// A member of a structure.
#[derive(Debug)]
pub struct Member {
    /// The member's name in the model (`UserName`).
    pub name: &'static str,
    /// Its name on the wire: `locationName` (header, query, label, XML
    /// element) or `queryName` (EC2), else the member name.
    pub wire: &'static str,
    /// Where it travels.
    pub location: Location,
    /// The model lists it under `required`.
    pub required: bool,
    /// The member or its shape is `sensitive`: never echoed in a message,
    /// a log or the trail.
    pub sensitive: bool,
    /// Its shape.
    pub shape: &'static Shape,
}

/// A member of an operation's output, in model order (what encoders write).
#[derive(Debug, Clone, Copy)]
pub struct OutputMember {
    /// The member's name in the model.
    pub name: &'static str,
    /// Its name on the wire (see [`Member::wire`]).
    pub wire: &'static str,
    /// Where it travels.
    pub location: Location,
    /// The member or its shape is `sensitive` (credentials, passwords).
    pub sensitive: bool,
}

impl Member {
    /// The name AWS's validation messages use: the member name with a
    /// lower-case first letter (`TargetPrincipal` → `targetPrincipal`).
    pub fn message_name(&self) -> String {
        lower_first(self.name)
    }
}

/// `TargetPrincipal` → `targetPrincipal`.
pub fn lower_first(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
