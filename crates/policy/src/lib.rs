//! The IAM policy language: parse, validate, compile, evaluate and explain.
//!
//! This crate owns every authorization decision of Rootward and nothing else:
//! it does no I/O, knows no HTTP, no storage and no AWS service. The endpoint
//! builds a [`Request`] and the applicable [`Policies`] and calls [`evaluate`];
//! the operator tool and the simulator use [`simulate`].
//!
//! Stages, each in its own module: JSON text with positions ([`json`]) →
//! document ([`parse`], [`ast`]) → rules of the policy's kind ([`validate`]) →
//! compiled [`Policy`] (patterns, CIDRs, dates parsed once) → decision
//! ([`eval`]). The specification is `shared/spec/06-policy-evaluation.md`
//! (cited as "spec 06 §…").

pub mod arn;
pub mod ast;
pub mod condition;
pub mod context;
pub mod error;
pub mod eval;
pub mod glob;
pub mod json;
pub mod managed;
pub mod operator;
pub mod parse;
pub mod policy;
pub mod simulate;
pub mod template;
pub mod validate;

pub use context::{Context, Principal, PrincipalType, Request};
pub use error::{PolicyError, Problem};
pub use eval::{Decision, Evaluation, MatchedStatement, Policies, PolicyType, evaluate};
pub use policy::{Grant, Policy};
pub use validate::PolicyKind;

/// [`check`] without the kind's size quota, and the document's size as IAM
/// counts it against its quotas (without whitespace; `None` when it does not
/// parse): for callers that apply a quota themselves, as IAM does for
/// inline policies (their total per user, group or role) and answers an
/// exceeded one with `LimitExceeded`, not as a malformed document.
pub fn check_unsized(text: &str, kind: PolicyKind) -> (Vec<Problem>, Option<usize>) {
    let (doc, mut problems) = parse::parse_lenient(text);
    let Some(doc) = doc else {
        return (problems, None);
    };
    let size = doc.size_without_whitespace;
    problems.extend(validate::validate_sized(&doc, kind, false));
    if problems.is_empty()
        && let Err(e) = Policy::compile("check".into(), text, kind, doc)
    {
        problems = e.problems;
    }
    (problems, Some(size))
}

/// The size IAM weighs a document against its quotas (characters without
/// whitespace), from parsing alone; `None` when it does not parse. For
/// documents already validated (an inline policy's stored siblings).
pub fn quota_size(text: &str) -> Option<usize> {
    parse::parse_lenient(text)
        .0
        .map(|doc| doc.size_without_whitespace)
}

/// Parses and validates a document for a kind, returning every problem found
/// (empty when the document is valid).
pub fn check(text: &str, kind: PolicyKind) -> Vec<Problem> {
    let (doc, mut problems) = parse::parse_lenient(text);
    let Some(doc) = doc else { return problems };
    problems.extend(validate::validate(&doc, kind));
    if problems.is_empty()
        && let Err(e) = Policy::compile("check".into(), text, kind, doc)
    {
        problems = e.problems;
    }
    problems
}
