//! The rules of each kind of policy (spec 06 §6.1, §6.8): which elements it
//! must or must not have, and how large it may be.

use std::fmt;
use std::str::FromStr;

use crate::ast::{Document, Version};
use crate::error::Problem;

/// What a policy document is used as. Each kind has its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Identity-based: managed or inline policies of users, groups and roles.
    Identity,
    /// Resource-based: bucket and queue policies.
    Resource,
    /// A role's trust policy (resource-based policy of `sts:AssumeRole`).
    Trust,
    /// An Organizations service control policy.
    Scp,
    /// A permissions boundary.
    Boundary,
    /// A session policy (AssumeRole / federation) or an AssumeRoot task policy.
    Session,
}

impl PolicyKind {
    /// Every kind.
    pub const ALL: [PolicyKind; 6] = [
        PolicyKind::Identity,
        PolicyKind::Resource,
        PolicyKind::Trust,
        PolicyKind::Scp,
        PolicyKind::Boundary,
        PolicyKind::Session,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::Trust => "trust",
            PolicyKind::Scp => "scp",
            PolicyKind::Boundary => "boundary",
            PolicyKind::Session => "session",
        }
    }

    /// Largest document of this kind, and whether whitespace counts toward it.
    ///
    /// Managed policies and boundaries: 6,144 characters without whitespace;
    /// SCPs 5,120 characters; bucket/queue policies 20 KB; trust policies 2,048
    /// characters (the default quota); session policies 2,048 characters
    /// (AssumeRole's packed limit, approximated on the text).
    pub fn size_limit(self) -> (usize, bool) {
        match self {
            PolicyKind::Identity | PolicyKind::Boundary => (6_144, false),
            PolicyKind::Scp => (5_120, true),
            PolicyKind::Resource => (20_480, true),
            PolicyKind::Trust => (2_048, false),
            PolicyKind::Session => (2_048, false),
        }
    }

    fn requires_principal(self) -> bool {
        matches!(self, PolicyKind::Resource | PolicyKind::Trust)
    }

    fn requires_resource(self) -> bool {
        matches!(
            self,
            PolicyKind::Identity
                | PolicyKind::Resource
                | PolicyKind::Scp
                | PolicyKind::Boundary
                | PolicyKind::Session
        )
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PolicyKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        PolicyKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown policy kind `{s}` (identity, resource, trust, scp, boundary, session)"
                )
            })
    }
}

/// Checks a parsed document against the rules of its kind. Returns every problem.
pub fn validate(doc: &Document, kind: PolicyKind) -> Vec<Problem> {
    validate_sized(doc, kind, true)
}

/// [`validate`], with or without the size quota of `kind` (AWS managed
/// policies are not held to the quota of customer policies).
pub fn validate_sized(doc: &Document, kind: PolicyKind, check_size: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let (limit, with_ws) = if check_size {
        kind.size_limit()
    } else {
        (usize::MAX, true)
    };
    let size = if with_ws {
        doc.size
    } else {
        doc.size_without_whitespace
    };
    if size > limit {
        out.push(Problem::new(
            "",
            format!(
                "policy document is {size} characters{}, over the {limit}-character limit for {kind} policies",
                if with_ws { "" } else { " without whitespace" }
            ),
            None,
        ));
    }
    if kind == PolicyKind::Scp && doc.version == Version::V2008_10_17 {
        out.push(
            Problem::new(
                "Version",
                "service control policies use version `2012-10-17`",
                None,
            )
            .with_help("set \"Version\": \"2012-10-17\""),
        );
    }
    for s in &doc.statements {
        let path = format!("Statement[{}]", s.index);
        let at = Some(s.span.start);
        match (&s.principal, kind.requires_principal()) {
            (None, true) => out.push(Problem::new(
                &path,
                format!(
                    "statements of {kind} policies must contain a `Principal` or `NotPrincipal`"
                ),
                at,
            )),
            (Some(p), false) => out.push(
                Problem::new(
                    format!(
                        "{path}.{}",
                        if p.negated {
                            "NotPrincipal"
                        } else {
                            "Principal"
                        }
                    ),
                    format!("{kind} policies must not specify a principal"),
                    Some(p.span.start),
                )
                .with_help("principals belong in resource-based and trust policies"),
            ),
            _ => {}
        }
        if let Some(p) = &s.principal
            && p.negated
            && s.effect == crate::ast::Effect::Allow
        {
            out.push(Problem::new(
                format!("{path}.NotPrincipal"),
                "`NotPrincipal` can only be used with `\"Effect\": \"Deny\"`",
                Some(p.span.start),
            ));
        }
        match (&s.resource, kind) {
            (None, k) if k.requires_resource() => out.push(Problem::new(
                &path,
                format!("statements of {kind} policies must contain a `Resource` or `NotResource`"),
                at,
            )),
            (Some(r), PolicyKind::Trust) => out.push(Problem::new(
                format!(
                    "{path}.{}",
                    if r.negated { "NotResource" } else { "Resource" }
                ),
                "a trust policy must not contain a `Resource` or `NotResource`",
                Some(r.span.start),
            )),
            _ => {}
        }
        if kind == PolicyKind::Trust {
            for a in &s.action.values {
                let lower = a.to_ascii_lowercase();
                if !(lower == "*" || lower.starts_with("sts:")) {
                    // UNCONFIRMED wording: IAM answers MalformedPolicyDocument for non-STS actions in a trust policy.
                    out.push(Problem::new(
                        format!("{path}.Action"),
                        format!("trust policies allow only `sts:` actions, not `{a}`"),
                        Some(s.action.span.start),
                    ));
                }
            }
        }
        if matches!(
            kind,
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Scp
        ) && let Some(sid) = &s.sid
            && !sid.chars().all(|c| c.is_ascii_alphanumeric())
        {
            out.push(Problem::new(
                format!("{path}.Sid"),
                format!(
                    "statement id `{sid}` must contain only letters and digits in {kind} policies"
                ),
                at,
            ));
        }
    }
    out
}
