//! JSON text → [`Document`]: the structural rules of spec 06 §6.1 that hold
//! for every kind of policy. Problems are collected, not stopped at, so that
//! `rootward policy validate` can list them all.

use crate::ast::{
    ConditionEntry, Document, Effect, Matchers, PrincipalElement, PrincipalKind, Statement, Version,
};
use crate::error::{PolicyError, Problem};
use crate::json::{self, Json, JsonValue, Member, Span};
use crate::operator::Operator;

/// Largest policy text accepted at all (IAM's API limit for any policy string).
pub const MAX_TEXT_LEN: usize = 131_072;

/// Parses a policy document and checks its structure.
pub fn parse(text: &str) -> Result<Document, PolicyError> {
    parse_within(text, MAX_TEXT_LEN)
}

/// [`parse`] without [`MAX_TEXT_LEN`], for documents that come with the
/// program rather than from a request (AWS managed policies, one of which is
/// over 150,000 bytes). The nesting limit still holds.
pub fn parse_shipped(text: &str) -> Result<Document, PolicyError> {
    parse_within(text, usize::MAX)
}

fn parse_within(text: &str, max_len: usize) -> Result<Document, PolicyError> {
    match parse_lenient_within(text, max_len) {
        (Some(doc), problems) if problems.is_empty() => Ok(doc),
        (_, mut problems) => {
            if problems.is_empty() {
                problems.push(Problem::new("", "policy document is not valid", None));
            }
            Err(PolicyError { problems })
        }
    }
}

/// Parses as far as possible: the document (when its shape allows one) and
/// every structural problem found on the way, so that kind rules can be
/// checked too and all problems reported at once.
pub fn parse_lenient(text: &str) -> (Option<Document>, Vec<Problem>) {
    parse_lenient_within(text, MAX_TEXT_LEN)
}

fn parse_lenient_within(text: &str, max_len: usize) -> (Option<Document>, Vec<Problem>) {
    if text.len() > max_len {
        let msg = format!(
            "policy text is {} bytes, over the {max_len}-byte limit",
            text.len()
        );
        return (None, vec![Problem::new("", msg, None)]);
    }
    if text.trim().is_empty() {
        return (
            None,
            vec![Problem::new("", "policy document is empty", None)],
        );
    }
    let json = match json::parse(text) {
        Ok(j) => j,
        Err(e) => return (None, PolicyError::from(e).problems),
    };
    let mut p = Problems::default();
    let doc = document(&json, &mut p, text);
    (doc, p.0)
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, path: &str, msg: impl Into<String>, span: Option<Span>) {
        self.0.push(Problem::new(path, msg, span.map(|s| s.start)));
    }
}

fn document(json: &Json, p: &mut Problems, text: &str) -> Option<Document> {
    // One pass over the text for both size measures.
    let (size, whitespace) = if text.is_ascii() {
        (
            text.len(),
            text.bytes().filter(u8::is_ascii_whitespace).count(),
        )
    } else {
        text.chars().fold((0, 0), |(n, w), c| {
            (n + 1, w + usize::from(c.is_whitespace()))
        })
    };
    let JsonValue::Object(members) = &json.value else {
        p.push(
            "",
            format!(
                "policy document must be a JSON object, not {}",
                json.value.type_name()
            ),
            Some(json.span),
        );
        return None;
    };
    let mut version = Version::Absent;
    let mut id = None;
    let mut statements = None;
    for m in members {
        match m.key.as_ref() {
            "Version" => match &m.value.value {
                JsonValue::String(s) if s == "2012-10-17" => version = Version::V2012_10_17,
                JsonValue::String(s) if s == "2008-10-17" => version = Version::V2008_10_17,
                other => {
                    p.0.push(
                        Problem::new(
                            "Version",
                            format!("unsupported version {}", describe(other)),
                            Some(m.value.span.start),
                        )
                        .with_help("use \"2012-10-17\""),
                    );
                }
            },
            "Id" => id = string(&m.value, "Id", p),
            "Statement" => statements = Some(&m.value),
            other => unknown(p, "", other, m),
        }
    }
    let Some(stmts) = statements else {
        p.push("", "missing required element `Statement`", Some(json.span));
        return None;
    };
    let items: Vec<&Json> = match &stmts.value {
        JsonValue::Object(_) => vec![stmts],
        JsonValue::Array(a) if a.is_empty() => {
            p.push(
                "Statement",
                "must contain at least one statement",
                Some(stmts.span),
            );
            return None;
        }
        JsonValue::Array(a) => a.iter().collect(),
        other => {
            p.push(
                "Statement",
                format!(
                    "must be an object or an array of objects, not {}",
                    other.type_name()
                ),
                Some(stmts.span),
            );
            return None;
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        if let Some(s) = statement(i, item, p) {
            out.push(s);
        }
    }
    // Statement ids must be unique within a policy.
    for (i, s) in out.iter().enumerate() {
        if let Some(sid) = &s.sid
            && out.iter().take(i).any(|o| o.sid.as_deref() == Some(sid))
        {
            p.push(
                &format!("Statement[{}].Sid", s.index),
                format!("duplicate statement id `{sid}`"),
                Some(s.span),
            );
        }
    }
    Some(Document {
        version,
        id,
        statements: out,
        size,
        size_without_whitespace: size - whitespace,
    })
}

fn describe(v: &JsonValue) -> String {
    match v {
        JsonValue::String(s) => format!("`{s}`"),
        other => other.type_name().to_owned(),
    }
}

fn unknown(p: &mut Problems, path: &str, key: &str, m: &Member) {
    let at = if path.is_empty() {
        String::new()
    } else {
        path.to_owned()
    };
    p.0.push(Problem::new(
        at,
        format!("unknown element `{key}`"),
        Some(m.key_span.start),
    ));
}

fn string(v: &Json, path: &str, p: &mut Problems) -> Option<String> {
    match &v.value {
        JsonValue::String(s) => Some(s.to_string()),
        other => {
            p.push(
                path,
                format!("must be a string, not {}", other.type_name()),
                Some(v.span),
            );
            None
        }
    }
}

/// A string or a non-empty array of strings.
fn string_list(v: &Json, path: &str, p: &mut Problems) -> Option<Vec<String>> {
    match &v.value {
        JsonValue::String(s) => Some(vec![s.to_string()]),
        JsonValue::Array(a) if a.is_empty() => {
            p.push(path, "must not be an empty list", Some(v.span));
            None
        }
        JsonValue::Array(a) => {
            let mut out = Vec::with_capacity(a.len());
            for item in a {
                match &item.value {
                    JsonValue::String(s) => out.push(s.to_string()),
                    other => {
                        p.push(
                            path,
                            format!("list items must be strings, not {}", other.type_name()),
                            Some(item.span),
                        );
                        return None;
                    }
                }
            }
            Some(out)
        }
        other => {
            p.push(
                path,
                format!(
                    "must be a string or an array of strings, not {}",
                    other.type_name()
                ),
                Some(v.span),
            );
            None
        }
    }
}

fn statement(index: usize, json: &Json, p: &mut Problems) -> Option<Statement> {
    let path = format!("Statement[{index}]");
    let JsonValue::Object(members) = &json.value else {
        p.push(
            &path,
            format!("must be an object, not {}", json.value.type_name()),
            Some(json.span),
        );
        return None;
    };
    let before = p.0.len();
    let mut sid = None;
    let mut effect = None;
    let mut principal: Option<PrincipalElement> = None;
    let mut action: Option<Matchers> = None;
    let mut resource: Option<Matchers> = None;
    let mut conditions = Vec::new();
    // One buffer for every element path: built without allocating per member.
    let mut here_buf = String::with_capacity(64);
    for m in members {
        here_buf.clear();
        here_buf.push_str(&path);
        here_buf.push('.');
        here_buf.push_str(&m.key);
        let here = here_buf.as_str();
        match m.key.as_ref() {
            "Sid" => sid = string(&m.value, here, p),
            "Effect" => match &m.value.value {
                JsonValue::String(s) if s == "Allow" => effect = Some(Effect::Allow),
                JsonValue::String(s) if s == "Deny" => effect = Some(Effect::Deny),
                other => p.0.push(
                    Problem::new(
                        here,
                        format!("invalid effect {}", describe(other)),
                        Some(m.value.span.start),
                    )
                    .with_help("use \"Allow\" or \"Deny\""),
                ),
            },
            "Principal" | "NotPrincipal" => {
                if principal.is_some() {
                    p.push(
                        here,
                        "a statement may have `Principal` or `NotPrincipal`, not both",
                        Some(m.key_span),
                    );
                } else {
                    principal = principal_element(&m.value, m.key == "NotPrincipal", here, p);
                }
            }
            "Action" | "NotAction" => {
                if action.is_some() {
                    p.push(
                        here,
                        "a statement may have `Action` or `NotAction`, not both",
                        Some(m.key_span),
                    );
                } else if let Some(values) = string_list(&m.value, here, p) {
                    for a in &values {
                        if let Err(msg) = check_action(a) {
                            p.push(here, msg, Some(m.value.span));
                        }
                    }
                    action = Some(Matchers {
                        negated: m.key == "NotAction",
                        values,
                        span: m.value.span,
                    });
                }
            }
            "Resource" | "NotResource" => {
                if resource.is_some() {
                    p.push(
                        here,
                        "a statement may have `Resource` or `NotResource`, not both",
                        Some(m.key_span),
                    );
                } else if let Some(values) = string_list(&m.value, here, p) {
                    for r in &values {
                        if let Err(msg) = check_resource(r) {
                            p.push(here, msg, Some(m.value.span));
                        }
                    }
                    resource = Some(Matchers {
                        negated: m.key == "NotResource",
                        values,
                        span: m.value.span,
                    });
                }
            }
            "Condition" => condition(&m.value, here, p, &mut conditions),
            other => unknown(p, &path, other, m),
        }
    }
    if effect.is_none() && !p.0.iter().skip(before).any(|e| e.path.ends_with(".Effect")) {
        p.push(&path, "missing required element `Effect`", Some(json.span));
    }
    if action.is_none() && !p.0.iter().skip(before).any(|e| e.path.ends_with("Action")) {
        p.push(
            &path,
            "missing required element `Action` or `NotAction`",
            Some(json.span),
        );
    }
    Some(Statement {
        index,
        sid,
        effect: effect?,
        principal,
        action: action?,
        resource,
        conditions,
        span: json.span,
    })
}

/// `*`, or `service:pattern` with a service prefix of letters, digits and dashes.
fn check_action(a: &str) -> Result<(), String> {
    if a == "*" {
        return Ok(());
    }
    match a.split_once(':') {
        Some((svc, name))
            if !svc.is_empty()
                && !name.is_empty()
                && svc
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'*' || b == b'?') =>
        {
            Ok(())
        }
        _ => Err(format!(
            "action `{a}` must be `*` or `service:ActionName` (actions must be prefaced by a vendor, e.g. `iam`, `s3`)"
        )),
    }
}

/// `*`, or an ARN with at least six colon-separated fields.
fn check_resource(r: &str) -> Result<(), String> {
    if r == "*" || (r.starts_with("arn:") && r.split(':').count() >= 6) {
        Ok(())
    } else {
        Err(format!("resource `{r}` must be in ARN format or `*`"))
    }
}

fn principal_element(
    v: &Json,
    negated: bool,
    path: &str,
    p: &mut Problems,
) -> Option<PrincipalElement> {
    match &v.value {
        JsonValue::String(s) if s == "*" => Some(PrincipalElement {
            negated,
            any: true,
            entries: Vec::new(),
            span: v.span,
        }),
        JsonValue::Object(members) if !members.is_empty() => {
            let mut entries = Vec::new();
            for m in members {
                let kind = match m.key.as_ref() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    other => {
                        p.0.push(
                            Problem::new(
                                path,
                                format!("unknown principal type `{other}`"),
                                Some(m.key_span.start),
                            )
                            .with_help("use `AWS`, `Service`, `Federated` or `CanonicalUser`"),
                        );
                        continue;
                    }
                };
                let here = format!("{path}.{}", m.key);
                if let Some(values) = string_list(&m.value, &here, p) {
                    for value in &values {
                        if let Err(msg) = check_principal(kind, value) {
                            p.push(&here, msg, Some(m.value.span));
                        }
                    }
                    entries.push((kind, values));
                }
            }
            Some(PrincipalElement {
                negated,
                any: false,
                entries,
                span: v.span,
            })
        }
        other => {
            p.push(
                path,
                format!(
                    "must be `\"*\"` or an object such as {{\"AWS\": …}}, not {}",
                    describe(other)
                ),
                Some(v.span),
            );
            None
        }
    }
}

fn check_principal(kind: PrincipalKind, value: &str) -> Result<(), String> {
    match kind {
        PrincipalKind::Aws => {
            let is_account = value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit());
            if value == "*"
                || is_account
                || (value.starts_with("arn:") && value.split(':').count() >= 6)
            {
                if value != "*" && value.contains('*') {
                    return Err(format!(
                        "invalid principal `{value}`: wildcards are not allowed in principal ARNs"
                    ));
                }
                Ok(())
            } else {
                Err(format!(
                    "invalid principal `{value}`: use an account id, an ARN or `*`"
                ))
            }
        }
        PrincipalKind::Service if value.is_empty() => {
            Err("service principal must not be empty".into())
        }
        _ => Ok(()),
    }
}

fn condition(v: &Json, path: &str, p: &mut Problems, out: &mut Vec<ConditionEntry>) {
    let JsonValue::Object(ops) = &v.value else {
        p.push(
            path,
            format!("must be an object, not {}", v.value.type_name()),
            Some(v.span),
        );
        return;
    };
    // Paths are built only when there is something to report.
    let op_at = |op: &str| format!("{path}.{op}");
    for op in ops {
        let op_path = || op_at(&op.key);
        if let Err(msg) = Operator::parse(&op.key) {
            p.push(&op_path(), msg, Some(op.key_span));
            continue;
        }
        let JsonValue::Object(keys) = &op.value.value else {
            p.push(
                &op_path(),
                format!(
                    "must be an object of condition keys, not {}",
                    op.value.value.type_name()
                ),
                Some(op.value.span),
            );
            continue;
        };
        if keys.is_empty() {
            p.push(
                &op_path(),
                "must name at least one condition key",
                Some(op.value.span),
            );
        }
        for k in keys {
            let key_path = || format!("{}.{}", op_path(), k.key);
            if k.key.is_empty() {
                p.push(
                    &key_path(),
                    "condition key must not be empty",
                    Some(k.key_span),
                );
                continue;
            }
            let values = match &k.value.value {
                JsonValue::Array(a) if a.is_empty() => {
                    p.push(&key_path(), "must not be an empty list", Some(k.value.span));
                    continue;
                }
                JsonValue::Array(a) => {
                    let mut vals = Vec::with_capacity(a.len());
                    for item in a {
                        match scalar(item) {
                            Some(s) => vals.push(s),
                            None => p.push(
                                &key_path(),
                                format!(
                                    "condition values must be strings, numbers or booleans, not {}",
                                    item.value.type_name()
                                ),
                                Some(item.span),
                            ),
                        }
                    }
                    vals
                }
                _ => match scalar(&k.value) {
                    Some(s) => vec![s],
                    None => {
                        p.push(
                            &key_path(),
                            format!(
                                "condition values must be strings, numbers or booleans, not {}",
                                k.value.value.type_name()
                            ),
                            Some(k.value.span),
                        );
                        continue;
                    }
                },
            };
            out.push(ConditionEntry {
                operator: op.key.to_string(),
                key: k.key.to_string(),
                values,
                span: k.key_span,
            });
        }
    }
}

fn scalar(v: &Json) -> Option<String> {
    match &v.value {
        JsonValue::String(s) => Some(s.to_string()),
        JsonValue::Number(n) => Some((*n).to_owned()),
        JsonValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
