//! [`Policy`]: a document parsed, validated for its kind and compiled once for
//! evaluation. Immutable and cheap to clone; share it across threads.

use std::sync::Arc;

use crate::arn::ArnPattern;
use crate::ast::{Document, Effect, PrincipalKind, Statement};
use crate::condition::Condition;
use crate::context::{Context, Principal, PrincipalType};
use crate::error::{PolicyError, Problem};
use crate::glob::Glob;
use crate::json::Span;
use crate::parse::parse;
use crate::validate::{PolicyKind, validate, validate_sized};

/// A compiled policy.
#[derive(Debug, Clone)]
pub struct Policy {
    id: Arc<str>,
    /// Shared by policies compiled from the same document ([`Policy::renamed`]).
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: PolicyKind,
    text: String,
    statements: Vec<CompiledStatement>,
    meta: Vec<StatementMeta>,
}

/// What explanations need of a statement once it is compiled.
#[derive(Debug)]
struct StatementMeta {
    sid: Option<String>,
    span: Span,
}

/// How strongly a resource policy's `Principal` names the caller (spec 06 §6.2.3, §6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// Not named.
    None,
    /// Named through its account (`123456789012` / `arn:aws:iam::123456789012:root`).
    Account,
    /// Named by `*`.
    Everyone,
    /// A role session named through its role's ARN.
    Role,
    /// Named by its own ARN: the user, the role session, the service.
    Direct,
}

#[derive(Debug)]
pub(crate) struct CompiledStatement {
    pub(crate) effect: Effect,
    principal: Option<CompiledPrincipal>,
    action_negated: bool,
    actions: Vec<Glob>,
    /// Hashes of the service prefixes the `Action` list can match, for a
    /// cheap first rejection; `None` when it cannot be known (`NotAction`, or a
    /// wildcard in a service prefix).
    services: Option<Box<[u64]>>,
    resource_negated: bool,
    /// `None` when the statement has no resource element (trust policies).
    resources: Option<Vec<ArnPattern>>,
    conditions: Vec<Condition>,
}

#[derive(Debug)]
struct CompiledPrincipal {
    negated: bool,
    any: bool,
    aws: Vec<String>,
    others: Vec<(PrincipalKind, String)>,
}

impl CompiledPrincipal {
    fn new(p: &crate::ast::PrincipalElement) -> CompiledPrincipal {
        let mut aws = Vec::new();
        let mut others = Vec::new();
        let mut any = p.any;
        for (kind, values) in &p.entries {
            for v in values {
                match kind {
                    PrincipalKind::Aws if v == "*" => any = true,
                    // An account id stands for the account's root ARN (spec 06 §6.2.3).
                    PrincipalKind::Aws
                        if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        aws.push(format!("arn:aws:iam::{v}:root"));
                    }
                    PrincipalKind::Aws => aws.push(v.clone()),
                    k => others.push((*k, v.clone())),
                }
            }
        }
        CompiledPrincipal {
            negated: p.negated,
            any,
            aws,
            others,
        }
    }

    /// How the element names the caller, ignoring negation.
    fn grant(&self, p: &Principal) -> Grant {
        if self.any {
            return Grant::Everyone;
        }
        let mut best = Grant::None;
        for a in &self.aws {
            if p.kind == PrincipalType::Service || p.kind == PrincipalType::Anonymous {
                break;
            }
            if *a == p.arn {
                return Grant::Direct;
            }
            if p.kind == PrincipalType::AssumedRole && *a == p.principal_arn {
                best = best.max(Grant::Role);
            } else if let Some(acct) = a
                .strip_prefix("arn:aws:iam::")
                .and_then(|r| r.strip_suffix(":root"))
                && p.account.as_deref() == Some(acct)
            {
                best = best.max(Grant::Account);
            }
        }
        for (kind, v) in &self.others {
            let fits = match kind {
                PrincipalKind::Service => p.kind == PrincipalType::Service,
                PrincipalKind::Federated => p.kind == PrincipalType::FederatedUser,
                _ => true,
            };
            if fits && *v == p.arn {
                return Grant::Direct;
            }
        }
        best
    }
}

/// 64-bit FNV-1a of a byte sequence: a fast, stable fingerprint (the same
/// input hashes the same in every process and version), not a security
/// boundary. The workspace's one FNV: the policy engine's service prefixes
/// and the server's pagination-token fingerprints.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// FNV-1a of an action's service prefix, ASCII case folded: equal prefixes
/// hash equal, so a mismatch rejects a statement without string compares.
pub(crate) fn service_hash(service: &str) -> u64 {
    fnv1a(service.bytes().map(|b| b.to_ascii_lowercase()))
}

impl CompiledStatement {
    /// Compiles a statement, moving its strings into the compiled form.
    fn new(s: Statement, substitute: bool) -> Result<CompiledStatement, String> {
        let mut conditions = Vec::with_capacity(s.conditions.len());
        for c in s.conditions {
            conditions.push(Condition::compile(c, substitute)?);
        }
        let services = if s.action.negated {
            None
        } else {
            s.action
                .values
                .iter()
                .map(|a| match a.split_once(':') {
                    Some((svc, _)) if !svc.contains(['*', '?']) => Some(service_hash(svc)),
                    _ => None,
                })
                .collect::<Option<Vec<u64>>>()
                .map(Vec::into_boxed_slice)
        };
        Ok(CompiledStatement {
            effect: s.effect,
            principal: s.principal.as_ref().map(CompiledPrincipal::new),
            action_negated: s.action.negated,
            actions: s.action.values.into_iter().map(Glob::from_owned).collect(),
            services,
            resource_negated: s.resource.as_ref().is_some_and(|r| r.negated),
            resources: s.resource.as_ref().map(|r| {
                r.values
                    .iter()
                    .map(|v| ArnPattern::new(v, substitute))
                    .collect()
            }),
            conditions,
        })
    }

    /// Whether action, resource and conditions match (the principal is checked
    /// apart). `service` is [`service_hash`] of the action's service prefix.
    pub(crate) fn applies(
        &self,
        action: &str,
        service: u64,
        resource: &str,
        ctx: &Context,
    ) -> bool {
        if let Some(svcs) = &self.services
            && !svcs.contains(&service)
        {
            return false;
        }
        let hit = self
            .actions
            .iter()
            .any(|g| g.matches_ignore_ascii_case(action));
        if hit == self.action_negated {
            return false;
        }
        if let Some(resources) = &self.resources {
            let mut hit = false;
            for r in resources {
                match r.matches(resource, ctx) {
                    Some(true) => {
                        hit = true;
                        break;
                    }
                    Some(false) => {}
                    // An unresolvable variable makes the statement not match.
                    None => return false,
                }
            }
            if hit == self.resource_negated {
                return false;
            }
        }
        self.conditions
            .iter()
            .all(|c| c.evaluate(ctx) == Some(true))
    }

    /// How the statement's principal element names the caller; statements
    /// without one (identity policies) name everyone they apply to.
    pub(crate) fn grant(&self, p: &Principal) -> Grant {
        match &self.principal {
            None => Grant::Direct,
            Some(cp) if cp.negated => {
                if cp.grant(p) == Grant::None {
                    Grant::Everyone
                } else {
                    Grant::None
                }
            }
            Some(cp) => cp.grant(p),
        }
    }
}

impl Policy {
    /// Parses, validates for `kind` and compiles a policy document. `id` names
    /// it in explanations (a policy ARN, `PolicyInputList.1`, …).
    pub fn parse(
        id: impl Into<String>,
        text: &str,
        kind: PolicyKind,
    ) -> Result<Policy, PolicyError> {
        let document = parse(text)?;
        let problems = validate(&document, kind);
        if !problems.is_empty() {
            return Err(PolicyError { problems });
        }
        Self::compile(id.into(), text, kind, document)
    }

    /// [`Policy::parse`] without the size quota of `kind` (the request-text
    /// limit still holds): for the simulator, whose inputs are documents of
    /// any origin, AWS managed ones included.
    pub fn parse_without_quota(
        id: impl Into<String>,
        text: &str,
        kind: PolicyKind,
    ) -> Result<Policy, PolicyError> {
        let document = parse(text)?;
        let problems = validate_sized(&document, kind, false);
        if !problems.is_empty() {
            return Err(PolicyError { problems });
        }
        Self::compile(id.into(), text, kind, document)
    }

    /// Parses and compiles an AWS managed identity policy: validated as an
    /// identity policy except for the size quota, which binds customer
    /// policies only (AWS's own exceed it: `ReadOnlyAccess` is far over
    /// 6,144 characters, and one is over the 131,072-byte limit of request
    /// texts).
    pub fn parse_aws_managed(id: impl Into<String>, text: &str) -> Result<Policy, PolicyError> {
        let document = crate::parse::parse_shipped(text)?;
        let problems = validate_sized(&document, PolicyKind::Identity, false);
        if !problems.is_empty() {
            return Err(PolicyError { problems });
        }
        Self::compile(id.into(), text, PolicyKind::Identity, document)
    }

    /// A policy of `kind` that explicitly denies every action on every
    /// resource (to everyone, for resource and trust policies), built
    /// without parsing so it cannot fail. The stand-in for a policy that
    /// cannot be compiled or found: decisions it takes part in fail closed.
    pub fn deny_all(id: impl Into<String>, kind: PolicyKind) -> Policy {
        let principal =
            matches!(kind, PolicyKind::Resource | PolicyKind::Trust).then(|| CompiledPrincipal {
                negated: false,
                any: true,
                aws: Vec::new(),
                others: Vec::new(),
            });
        let statement = CompiledStatement {
            effect: Effect::Deny,
            principal,
            action_negated: false,
            actions: vec![Glob::new("*")],
            services: None,
            resource_negated: false,
            resources: (kind != PolicyKind::Trust).then(|| vec![ArnPattern::new("*", false)]),
            conditions: Vec::new(),
        };
        Policy {
            id: Arc::from(id.into()),
            inner: Arc::new(Inner {
                kind,
                text: String::new(),
                statements: vec![statement],
                meta: vec![StatementMeta {
                    sid: None,
                    span: Span::default(),
                }],
            }),
        }
    }

    /// Compiles a document already parsed and validated for `kind`.
    pub(crate) fn compile(
        id: String,
        text: &str,
        kind: PolicyKind,
        document: Document,
    ) -> Result<Policy, PolicyError> {
        let substitute = document.version.substitutes_variables();
        let mut statements = Vec::with_capacity(document.statements.len());
        let mut meta = Vec::with_capacity(document.statements.len());
        for mut s in document.statements {
            let (index, span) = (s.index, s.span);
            meta.push(StatementMeta {
                sid: s.sid.take(),
                span,
            });
            let c = CompiledStatement::new(s, substitute).map_err(|m| {
                PolicyError::one(Problem::new(
                    format!("Statement[{index}].Condition"),
                    m,
                    Some(span.start),
                ))
            })?;
            statements.push(c);
        }
        Ok(Policy {
            id: Arc::from(id),
            inner: Arc::new(Inner {
                kind,
                text: text.to_owned(),
                statements,
                meta,
            }),
        })
    }

    /// The name given at parse time.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The same compiled document under another name (nothing is compiled
    /// again: the compiled statements are shared).
    pub fn renamed(&self, id: impl Into<String>) -> Policy {
        Policy {
            id: Arc::from(id.into()),
            inner: self.inner.clone(),
        }
    }

    /// The kind it was validated as.
    pub fn kind(&self) -> PolicyKind {
        self.inner.kind
    }

    /// The source text.
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// The number of statements.
    pub fn statement_count(&self) -> usize {
        self.inner.statements.len()
    }

    /// The effect of each statement, in order.
    pub fn effects(&self) -> impl Iterator<Item = Effect> + '_ {
        self.inner.statements.iter().map(|s| s.effect)
    }

    /// Every condition key the policy reads, as written.
    pub fn condition_keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.inner
            .statements
            .iter()
            .flat_map(|s| s.conditions.iter().map(Condition::written_key))
    }

    /// The `Sid` of statement `index`.
    pub fn sid(&self, index: usize) -> Option<&str> {
        self.inner.meta.get(index).and_then(|m| m.sid.as_deref())
    }

    /// Where statement `index` stands in the source.
    pub fn statement_span(&self, index: usize) -> Option<Span> {
        self.inner.meta.get(index).map(|m| m.span)
    }

    pub(crate) fn statements(&self) -> &[CompiledStatement] {
        &self.inner.statements
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors_and_service_hash_folds_case() {
        assert_eq!(fnv1a(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(*b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(service_hash("S3"), service_hash("s3"));
        assert_ne!(service_hash("s3"), service_hash("iam"));
    }

    #[test]
    fn policies_are_shareable() {
        fn is_send_sync<T: Send + Sync>() {}
        is_send_sync::<Policy>();
    }

    #[test]
    fn kind_rules_apply() {
        let with_principal = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#;
        assert!(Policy::parse("p", with_principal, PolicyKind::Resource).is_ok());
        let e = Policy::parse("p", with_principal, PolicyKind::Identity).unwrap_err();
        assert!(
            e.to_string().contains("must not specify a principal"),
            "{e}"
        );
        let trust = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}}"#;
        assert!(Policy::parse("t", trust, PolicyKind::Trust).is_ok());
        let e = Policy::parse("t", trust, PolicyKind::Resource).unwrap_err();
        assert!(e.to_string().contains("must contain a `Resource`"), "{e}");
    }

    #[test]
    fn size_limits_follow_the_kind() {
        let stmt = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-with-a-long-name/*"}"#;
        let many = vec![stmt; 80].join(",");
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{many}]}}"#);
        let with_principal = text.replace(
            r#""Effect":"Allow","#,
            r#""Effect":"Allow","Principal":"*","#,
        );
        assert!(Policy::parse("big", &with_principal, PolicyKind::Resource).is_ok());
        let e = Policy::parse("big", &text, PolicyKind::Identity).unwrap_err();
        assert!(
            e.to_string()
                .contains("over the 6144-character limit for identity policies"),
            "{e}"
        );
        let e = Policy::parse("big", &text, PolicyKind::Scp).unwrap_err();
        assert!(e.to_string().contains("5120-character limit"), "{e}");
    }
}
