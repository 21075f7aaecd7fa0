//! The decision: every applicable policy, in AWS's order (spec 06 §6.4, §6.5).
//!
//! 1. An explicit `Deny` in any policy wins.
//! 2. SCPs: at each level of the account's path, some SCP must allow.
//! 3. Identity and resource-based policies must grant, by the same-account or
//!    cross-account rule; the root user holds its own account's rights.
//! 4. A permissions boundary and session policies must also allow, unless a
//!    same-account resource policy names the caller directly.
//! 5. An AssumeRoot task policy is a deny-only ceiling: it takes part in step 1
//!    and never requires an Allow.

use std::fmt;

use crate::ast::Effect;
use crate::context::{Principal, PrincipalType, Request};
use crate::json::Span;
use crate::policy::{Grant, Policy, service_hash};

/// The three outcomes of IAM's simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed.
    Allowed,
    /// Denied by a matching `Deny` statement.
    ExplicitDeny,
    /// Denied because nothing allowed it.
    ImplicitDeny,
}

impl Decision {
    /// The name IAM's simulator uses (`allowed`, `explicitDeny`, `implicitDeny`).
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a policy comes from in a request's evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// An Organizations service control policy.
    ServiceControl,
    /// The resource's own policy (bucket, queue, trust).
    ResourceBased,
    /// A policy of the caller (user, group, role).
    IdentityBased,
    /// The caller's permissions boundary.
    PermissionsBoundary,
    /// A session policy, including an AssumeRoot task policy.
    Session,
}

impl PolicyType {
    /// The noun phrase of denial messages: `identity-based policy`, … but
    /// `permissions boundary` alone (spec 06 §6.4 step 7).
    pub fn phrase(self) -> &'static str {
        match self {
            PolicyType::ServiceControl => "service control policy",
            PolicyType::ResourceBased => "resource-based policy",
            PolicyType::IdentityBased => "identity-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
        }
    }

    /// `a` or `an`, as the message needs.
    pub fn article(self) -> &'static str {
        match self {
            PolicyType::IdentityBased => "an",
            _ => "a",
        }
    }

    /// The words AWS uses in denial messages (spec 06 §6.9).
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::ServiceControl => "service control",
            PolicyType::ResourceBased => "resource-based",
            PolicyType::IdentityBased => "identity-based",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session",
        }
    }
}

/// Every policy that applies to one request. Built by the caller (the
/// endpoint's authorization pipeline, or the simulator).
#[derive(Debug, Clone, Copy, Default)]
pub struct Policies<'a> {
    /// Identity-based policies of the caller (user + groups, or the role).
    pub identity: &'a [&'a Policy],
    /// The resource's policy, if it has one.
    pub resource: Option<&'a Policy>,
    /// The account owning the resource; `None` means the caller's own account.
    pub resource_owner: Option<&'a str>,
    /// The caller's permissions boundary.
    pub permissions_boundary: Option<&'a Policy>,
    /// Session policies of an AssumeRole / federation session: they must also allow.
    pub session: &'a [&'a Policy],
    /// The task policy of an AssumeRoot session: deny-only (spec 05 §5.4).
    pub task_policy: Option<&'a Policy>,
    /// SCPs along the caller's account path (root, OUs, account), one slice per
    /// level. `None` when SCPs do not apply (management account, no organization).
    pub scp_levels: Option<&'a [&'a [&'a Policy]]>,
    /// Leave the resource policy's `Deny` statements out (the owner-root
    /// policy-management exception, spec 04 §4.1.4 / §4.2.3). The caller
    /// decides when it applies.
    pub skip_resource_policy_denies: bool,
    /// The resource policy must grant by itself (a role's trust policy: no
    /// identity policy lets anyone assume a role its trust does not name).
    pub require_resource_grant: bool,
}

/// A statement that took part in the decision.
#[derive(Debug, Clone, Copy)]
pub struct MatchedStatement<'a> {
    /// The policy holding it.
    pub policy: &'a Policy,
    /// Why the policy was in the evaluation.
    pub policy_type: PolicyType,
    /// Its position in the policy's `Statement` list.
    pub index: usize,
}

impl MatchedStatement<'_> {
    /// The statement's `Sid`.
    pub fn sid(&self) -> Option<&str> {
        self.policy.sid(self.index)
    }

    /// Where it stands in the policy text.
    pub fn span(&self) -> Option<Span> {
        self.policy.statement_span(self.index)
    }
}

impl fmt::Display for MatchedStatement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} policy `{}` statement {}",
            self.policy_type.as_str(),
            self.policy.id(),
            self.index
        )?;
        if let Some(sid) = self.sid() {
            write!(f, " (`{sid}`)")?;
        }
        Ok(())
    }
}

/// The decision and why.
#[derive(Debug, Clone)]
pub struct Evaluation<'a> {
    /// The outcome.
    pub decision: Decision,
    /// For a denial, the kind of policy that denied (or that failed to allow).
    pub denied_by: Option<PolicyType>,
    /// The statements that decided: the matching Denies of an explicit deny,
    /// the Allows that granted an allowed request; empty for an implicit deny.
    pub matched: Vec<MatchedStatement<'a>>,
    /// Whether the SCPs allowed the request; `None` when no SCP applies.
    pub allowed_by_scps: Option<bool>,
    /// Whether the permissions boundary allowed it; `None` without a boundary.
    pub allowed_by_boundary: Option<bool>,
}

impl Evaluation<'_> {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allowed
    }

    /// The `AccessDenied` message of query-protocol services (spec 06 §6.9),
    /// or `None` when allowed.
    pub fn denial_message(&self, req: &Request<'_>) -> Option<String> {
        let t = self.denied_by?;
        let head = format!(
            "User: {} is not authorized to perform: {} on resource: {}",
            req.principal.arn, req.action, req.resource
        );
        Some(match self.decision {
            Decision::Allowed => return None,
            Decision::ExplicitDeny => {
                format!(
                    "{head} with an explicit deny in {} {} policy",
                    t.article(),
                    t.as_str()
                )
            }
            Decision::ImplicitDeny => {
                format!(
                    "{head} because no {} allows the {} action",
                    t.phrase(),
                    req.action
                )
            }
        })
    }

    /// A readable account of the decision, one line per reason.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        out.push_str(self.decision.as_str());
        match (self.decision, self.denied_by) {
            (Decision::ExplicitDeny, Some(t)) => out.push_str(&format!(
                ": explicit deny in {} {}",
                t.article(),
                t.phrase()
            )),
            (Decision::ImplicitDeny, Some(t)) => {
                out.push_str(&format!(": no {} allows it", t.phrase()))
            }
            _ => {}
        }
        for m in &self.matched {
            out.push_str(&format!(
                "\n  {} {m}",
                if self.decision == Decision::Allowed {
                    "allowed by"
                } else {
                    "denied by"
                }
            ));
        }
        out
    }
}

fn collect<'a>(
    service: u64,
    policy: &'a Policy,
    policy_type: PolicyType,
    effect: Effect,
    req: &Request<'_>,
    check_principal: bool,
    out: &mut Vec<MatchedStatement<'a>>,
) -> Grant {
    let mut best = Grant::None;
    for (index, s) in policy.statements().iter().enumerate() {
        if s.effect != effect {
            continue;
        }
        let grant = if check_principal {
            s.grant(req.principal)
        } else {
            Grant::Direct
        };
        if grant == Grant::None || !s.applies(req.action, service, req.resource, req.context) {
            continue;
        }
        best = best.max(grant);
        out.push(MatchedStatement {
            policy,
            policy_type,
            index,
        });
    }
    best
}

/// Decides one request against every policy that applies to it.
pub fn evaluate<'a>(req: &Request<'_>, policies: &Policies<'a>) -> Evaluation<'a> {
    let p: &Principal = req.principal;
    let mut matched = Vec::new();
    // The action's service prefix, hashed once for every statement's prefilter.
    let service = service_hash(
        req.action
            .split_once(':')
            .map_or(req.action, |(svc, _)| svc),
    );

    // 1. Explicit deny anywhere wins (spec 06 §6.4 step 3). The first policy
    // type with a matching Deny is the one named in the message.
    let mut denied_by = None;
    let mut note = |t: PolicyType, before: usize, after: usize| {
        if after > before && denied_by.is_none() {
            denied_by = Some(t);
        }
    };
    if let Some(levels) = policies.scp_levels {
        for level in levels {
            for scp in *level {
                let n = matched.len();
                collect(
                    service,
                    scp,
                    PolicyType::ServiceControl,
                    Effect::Deny,
                    req,
                    false,
                    &mut matched,
                );
                note(PolicyType::ServiceControl, n, matched.len());
            }
        }
    }
    if let Some(rp) = policies
        .resource
        .filter(|_| !policies.skip_resource_policy_denies)
    {
        let n = matched.len();
        collect(
            service,
            rp,
            PolicyType::ResourceBased,
            Effect::Deny,
            req,
            true,
            &mut matched,
        );
        note(PolicyType::ResourceBased, n, matched.len());
    }
    for ip in policies.identity {
        let n = matched.len();
        collect(
            service,
            ip,
            PolicyType::IdentityBased,
            Effect::Deny,
            req,
            false,
            &mut matched,
        );
        note(PolicyType::IdentityBased, n, matched.len());
    }
    if let Some(b) = policies.permissions_boundary {
        let n = matched.len();
        collect(
            service,
            b,
            PolicyType::PermissionsBoundary,
            Effect::Deny,
            req,
            false,
            &mut matched,
        );
        note(PolicyType::PermissionsBoundary, n, matched.len());
    }
    for sp in policies.session.iter().copied().chain(policies.task_policy) {
        let n = matched.len();
        collect(
            service,
            sp,
            PolicyType::Session,
            Effect::Deny,
            req,
            false,
            &mut matched,
        );
        note(PolicyType::Session, n, matched.len());
    }
    if let Some(t) = denied_by {
        return Evaluation {
            decision: Decision::ExplicitDeny,
            denied_by: Some(t),
            matched,
            allowed_by_scps: None,
            allowed_by_boundary: None,
        };
    }
    let implicit = |t: PolicyType, scps: Option<bool>, boundary: Option<bool>| Evaluation {
        decision: Decision::ImplicitDeny,
        denied_by: Some(t),
        matched: Vec::new(),
        allowed_by_scps: scps,
        allowed_by_boundary: boundary,
    };

    // 2. SCP gate: an Allow at every level (step 4).
    let allowed_by_scps = match policies.scp_levels {
        None => None,
        Some(levels) => {
            let mut scratch = Vec::new();
            let ok = levels.iter().all(|level| {
                level.iter().any(|scp| {
                    scratch.clear();
                    collect(
                        service,
                        scp,
                        PolicyType::ServiceControl,
                        Effect::Allow,
                        req,
                        false,
                        &mut scratch,
                    ) != Grant::None
                })
            });
            if !ok {
                return implicit(PolicyType::ServiceControl, Some(false), None);
            }
            Some(true)
        }
    };

    // 3. Identity and resource-based grants (step 6).
    let is_root = p.kind == PrincipalType::Account;
    let mut identity_allows = is_root;
    for ip in policies.identity {
        if collect(
            service,
            ip,
            PolicyType::IdentityBased,
            Effect::Allow,
            req,
            false,
            &mut matched,
        ) != Grant::None
        {
            identity_allows = true;
        }
    }
    let resource_grant = match policies.resource {
        Some(rp) => collect(
            service,
            rp,
            PolicyType::ResourceBased,
            Effect::Allow,
            req,
            true,
            &mut matched,
        ),
        None => Grant::None,
    };
    let same_account = match (policies.resource_owner, p.account.as_deref()) {
        (None, _) => true,
        (Some(owner), Some(mine)) => owner == mine,
        (Some(_), None) => false,
    };
    if policies.require_resource_grant && resource_grant == Grant::None {
        return implicit(PolicyType::ResourceBased, allowed_by_scps, None);
    }
    if same_account {
        // A grant to the account alone does not allow a user or role of it.
        if !identity_allows && resource_grant < Grant::Everyone {
            return implicit(PolicyType::IdentityBased, allowed_by_scps, None);
        }
    } else {
        if resource_grant == Grant::None {
            return implicit(PolicyType::ResourceBased, allowed_by_scps, None);
        }
        if !identity_allows && p.account.is_some() {
            return implicit(PolicyType::IdentityBased, allowed_by_scps, None);
        }
    }
    // A same-account resource policy naming the caller itself is limited
    // neither by a boundary nor by session policies (steps 7 and 8).
    let direct = same_account && resource_grant == Grant::Direct;

    // 4. Permissions boundary (step 7).
    let mut allowed_by_boundary = None;
    if let Some(b) = policies.permissions_boundary {
        let ok = collect(
            service,
            b,
            PolicyType::PermissionsBoundary,
            Effect::Allow,
            req,
            false,
            &mut matched,
        ) != Grant::None;
        allowed_by_boundary = Some(ok);
        if !ok && !direct {
            return implicit(
                PolicyType::PermissionsBoundary,
                allowed_by_scps,
                Some(false),
            );
        }
    }

    // 5. Session policies must allow too (step 8); a task policy never needs to.
    if !policies.session.is_empty() && !direct {
        let mut ok = false;
        for sp in policies.session {
            if collect(
                service,
                sp,
                PolicyType::Session,
                Effect::Allow,
                req,
                false,
                &mut matched,
            ) != Grant::None
            {
                ok = true;
            }
        }
        if !ok {
            return implicit(PolicyType::Session, allowed_by_scps, allowed_by_boundary);
        }
    }

    Evaluation {
        decision: Decision::Allowed,
        denied_by: None,
        matched,
        allowed_by_scps,
        allowed_by_boundary,
    }
}
