//! IAM's policy simulator: the request and response of `SimulateCustomPolicy`
//! (field names as in the IAM API model), run on this engine.
//!
//! The endpoint's `SimulateCustomPolicy` and `SimulatePrincipalPolicy` and the
//! `rootward policy simulate` command share these types.
//!
//! Rootward extensions, absent from AWS's API: `ServiceControlPolicyInputLevels`
//! (SCPs per level of the caller's account path, root first) and
//! `AssumeRootTaskPolicy` (a task policy text, which makes the caller an
//! AssumeRoot session of the `CallerArn` account's root user).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::context::Request;
use crate::context::{Context, Principal};
use crate::error::PolicyError;
use crate::eval::{Decision, Policies, PolicyType, evaluate};
use crate::policy::Policy;
use crate::validate::PolicyKind;

/// One `ContextEntries` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ContextEntry {
    /// The key, e.g. `aws:SourceIp`.
    pub context_key_name: String,
    /// Its values.
    #[serde(default)]
    pub context_key_values: Vec<String>,
    /// `string`, `stringList`, `numeric`, `numericList`, `boolean`, `booleanList`,
    /// `ip`, `ipList`, `binary`, `binaryList`, `date` or `dateList`.
    pub context_key_type: String,
}

/// The input of `SimulateCustomPolicy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SimulateCustomPolicyRequest {
    /// Identity-based policies of the simulated caller.
    pub policy_input_list: Vec<String>,
    /// Its permissions boundary (at most one).
    #[serde(default)]
    pub permissions_boundary_policy_input_list: Vec<String>,
    /// The actions to simulate.
    pub action_names: Vec<String>,
    /// The resources; `*` when empty.
    #[serde(default)]
    pub resource_arns: Vec<String>,
    /// A resource-based policy attached to every simulated resource.
    #[serde(default)]
    pub resource_policy: Option<String>,
    /// The account owning resources whose ARN has no account (`arn:aws:iam::ACCOUNT:root` or an id).
    #[serde(default)]
    pub resource_owner: Option<String>,
    /// The simulated caller (user, role, assumed-role session or root ARN).
    #[serde(default)]
    pub caller_arn: Option<String>,
    /// Condition key values.
    #[serde(default)]
    pub context_entries: Vec<ContextEntry>,
    /// Accepted for compatibility; EC2 scenarios do not change the result here.
    #[serde(default)]
    pub resource_handling_option: Option<String>,
    /// Page size.
    #[serde(default)]
    pub max_items: Option<usize>,
    /// Where the previous page stopped.
    #[serde(default)]
    pub marker: Option<String>,
    /// Rootward extension: SCP texts per level (root, OUs, account).
    #[serde(default)]
    pub service_control_policy_input_levels: Option<Vec<Vec<String>>>,
    /// Rootward extension: the task policy of an AssumeRoot session.
    #[serde(default)]
    pub assume_root_task_policy: Option<String>,
}

/// A line and column in a policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// A statement that decided, as IAM reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatementRef {
    /// `PolicyInputList.1`, `ResourcePolicy`, …
    pub source_policy_id: String,
    /// `user`, `group`, `role`, `aws-managed`, `user-managed`, `resource` or `none`.
    pub source_policy_type: String,
    /// Where the statement starts.
    pub start_position: Position,
    /// Where it ends.
    pub end_position: Position,
    /// Rootward extension: the statement's `Sid`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<String>,
}

/// `OrganizationsDecisionDetail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrganizationsDecisionDetail {
    /// Whether the SCPs allowed the action.
    pub allowed_by_organizations: bool,
}

/// `PermissionsBoundaryDecisionDetail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PermissionsBoundaryDecisionDetail {
    /// Whether the boundary allowed the action.
    pub allowed_by_permissions_boundary: bool,
}

/// One `EvaluationResults` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EvaluationResult {
    /// The action.
    pub eval_action_name: String,
    /// The resource.
    pub eval_resource_name: String,
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub eval_decision: String,
    /// The statements that decided.
    pub matched_statements: Vec<StatementRef>,
    /// Condition keys the policies use that the request did not supply.
    pub missing_context_values: Vec<String>,
    /// Present when SCPs were simulated.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub organizations_decision_detail: Option<OrganizationsDecisionDetail>,
    /// Present when a boundary was simulated.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub permissions_boundary_decision_detail: Option<PermissionsBoundaryDecisionDetail>,
    /// Rootward extension: the AWS-style denial message, for denials.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub denial_message: Option<String>,
}

/// The output of `SimulateCustomPolicy` / `SimulatePrincipalPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SimulatePolicyResponse {
    /// One result per action and resource.
    pub evaluation_results: Vec<EvaluationResult>,
    /// Whether more results follow.
    pub is_truncated: bool,
    /// Where to continue.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub marker: Option<String>,
}

/// Why a simulation could not run (IAM: `InvalidInput`, `MalformedPolicyDocument`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulateError {
    /// An input policy is malformed.
    #[error("{input}: {error}")]
    MalformedPolicy {
        /// `PolicyInputList.1`, …
        input: String,
        /// The problems.
        error: PolicyError,
    },
    /// A parameter is out of range or inconsistent.
    #[error("{0}")]
    InvalidInput(String),
}

const LIST_TYPES: [&str; 6] = [
    "stringList",
    "numericList",
    "booleanList",
    "ipList",
    "binaryList",
    "dateList",
];
const SCALAR_TYPES: [&str; 6] = ["string", "numeric", "boolean", "ip", "binary", "date"];

/// Simulator inputs are held to the policy language and the request-text
/// limit, not to the size quotas of stored policies: a principal's AWS
/// managed policies (`ReadOnlyAccess` is over 90,000 characters) are
/// simulated too. UNCONFIRMED whether IAM's simulator applies the 6,144
/// quota to `PolicyInputList`; it is not applied here.
fn compile(input: String, text: &str, kind: PolicyKind) -> Result<Policy, SimulateError> {
    Policy::parse_without_quota(input.clone(), text, kind)
        .map_err(|error| SimulateError::MalformedPolicy { input, error })
}

/// The account id in `arn:aws:iam::ACCOUNT:root`, or a bare id.
fn account_id(s: &str) -> Option<String> {
    let id = s.split(':').nth(4).unwrap_or(s);
    (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_owned())
}

/// A statement reference with IAM's source-policy names.
fn statement_ref(m: &crate::eval::MatchedStatement<'_>) -> StatementRef {
    let span = m.span().unwrap_or_default();
    StatementRef {
        source_policy_id: m.policy.id().to_owned(),
        source_policy_type: match m.policy_type {
            PolicyType::ResourceBased => "resource",
            _ => "none",
        }
        .to_owned(),
        start_position: Position {
            line: span.start.line,
            column: span.start.column,
        },
        end_position: Position {
            line: span.end.line,
            column: span.end.column,
        },
        sid: m.sid().map(str::to_owned),
    }
}

/// Runs a `SimulateCustomPolicy` request.
pub fn simulate_custom_policy(
    req: &SimulateCustomPolicyRequest,
) -> Result<SimulatePolicyResponse, SimulateError> {
    if req.action_names.is_empty() {
        return Err(SimulateError::InvalidInput(
            "ActionNames must name at least one action".into(),
        ));
    }
    if req.permissions_boundary_policy_input_list.len() > 1 {
        return Err(SimulateError::InvalidInput(
            "PermissionsBoundaryPolicyInputList accepts at most one policy".into(),
        ));
    }
    if req.resource_policy.is_some() && req.caller_arn.is_none() {
        return Err(SimulateError::InvalidInput(
            "CallerArn is required when ResourcePolicy is given".into(),
        ));
    }
    let identity = req
        .policy_input_list
        .iter()
        .enumerate()
        .map(|(i, t)| {
            compile(
                format!("PolicyInputList.{}", i + 1),
                t,
                PolicyKind::Identity,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let boundary = req
        .permissions_boundary_policy_input_list
        .iter()
        .map(|t| {
            compile(
                "PermissionsBoundaryPolicyInputList.1".into(),
                t,
                PolicyKind::Boundary,
            )
        })
        .next()
        .transpose()?;
    let resource_policy = req
        .resource_policy
        .as_deref()
        .map(|t| compile("ResourcePolicy".into(), t, PolicyKind::Resource))
        .transpose()?;
    let task_policy = req
        .assume_root_task_policy
        .as_deref()
        .map(|t| compile("AssumeRootTaskPolicy".into(), t, PolicyKind::Session))
        .transpose()?;
    let scp_levels = match &req.service_control_policy_input_levels {
        None => None,
        Some(levels) => {
            let mut out = Vec::with_capacity(levels.len());
            for (li, level) in levels.iter().enumerate() {
                let mut pols = Vec::with_capacity(level.len());
                for (pi, t) in level.iter().enumerate() {
                    pols.push(compile(
                        format!("ServiceControlPolicyInputLevels.{}.{}", li + 1, pi + 1),
                        t,
                        PolicyKind::Scp,
                    )?);
                }
                out.push(pols);
            }
            Some(out)
        }
    };

    let owner = match &req.resource_owner {
        None => None,
        Some(o) => Some(account_id(o).ok_or_else(|| {
            SimulateError::InvalidInput(format!(
                "ResourceOwner `{o}` is not an account id or root ARN"
            ))
        })?),
    };
    let principal = match &req.caller_arn {
        Some(arn) => {
            let p = Principal::from_arn(arn).ok_or_else(|| {
                SimulateError::InvalidInput(format!(
                    "CallerArn `{arn}` is not a user, role, session or root ARN"
                ))
            })?;
            if task_policy.is_some() {
                let acct = p.account.clone().unwrap_or_default();
                Principal::assumed_root(&acct)
            } else {
                p
            }
        }
        None => Principal::user(&format!(
            "arn:aws:iam::{}:user/simulated-caller",
            owner.as_deref().unwrap_or("123456789012")
        )),
    };

    // In IAM's simulator the request's context entries are the context: they
    // are laid over the keys derived from the simulated caller, so a supplied
    // `aws:username`, `aws:PrincipalArn` or `aws:AssumedRoot` is what the
    // policies see (issue 14 §5). The live endpoint derives these keys itself
    // and never takes them from a request (`Context::with_principal`).
    let mut ctx = Context::new().with_principal(&principal);
    for e in &req.context_entries {
        if LIST_TYPES.contains(&e.context_key_type.as_str()) {
            ctx.set_list(&e.context_key_name, e.context_key_values.iter().cloned());
        } else if SCALAR_TYPES.contains(&e.context_key_type.as_str()) {
            match e.context_key_values.as_slice() {
                [one] => {
                    ctx.set(&e.context_key_name, one.clone());
                }
                _ => {
                    return Err(SimulateError::InvalidInput(format!(
                        "context key `{}` of type `{}` takes exactly one value",
                        e.context_key_name, e.context_key_type
                    )));
                }
            }
        } else {
            return Err(SimulateError::InvalidInput(format!(
                "context key `{}` has unknown type `{}`",
                e.context_key_name, e.context_key_type
            )));
        }
    }

    // Condition keys the policies read that the request does not supply.
    let mut missing = BTreeSet::new();
    let all_policies = identity
        .iter()
        .chain(&boundary)
        .chain(&resource_policy)
        .chain(&task_policy)
        .chain(scp_levels.iter().flatten().flatten());
    for p in all_policies {
        for key in p.condition_keys() {
            if ctx.get(key).is_none_or(|kv| kv.is_absent()) {
                missing.insert(key.to_owned());
            }
        }
    }
    let missing: Vec<String> = missing.into_iter().collect();

    let identity_refs: Vec<&Policy> = identity.iter().collect();
    let scp_refs: Option<Vec<Vec<&Policy>>> = scp_levels
        .as_ref()
        .map(|ls| ls.iter().map(|l| l.iter().collect()).collect());
    let scp_slices: Option<Vec<&[&Policy]>> = scp_refs
        .as_ref()
        .map(|ls| ls.iter().map(Vec::as_slice).collect());

    let resources: Vec<String> = if req.resource_arns.is_empty() {
        vec!["*".to_owned()]
    } else {
        req.resource_arns.clone()
    };
    // As in IAM's simulator, the owner of the resources and of the resource
    // policy is ResourceOwner, else the caller's account; without a resource
    // policy only the caller's own policies are simulated.
    let resource_owner = match (&resource_policy, &owner) {
        (None, _) => None,
        (Some(_), Some(o)) => Some(o.clone()),
        (Some(_), None) => principal.account.clone(),
    };
    let mut results = Vec::with_capacity(req.action_names.len() * resources.len());
    for action in &req.action_names {
        for resource in &resources {
            let policies = Policies {
                identity: &identity_refs,
                resource: resource_policy.as_ref(),
                resource_owner: resource_owner.as_deref(),
                permissions_boundary: boundary.as_ref(),
                session: &[],
                task_policy: task_policy.as_ref(),
                scp_levels: scp_slices.as_deref(),
                skip_resource_policy_denies: false,
                require_resource_grant: false,
            };
            let request = Request {
                principal: &principal,
                action,
                resource,
                context: &ctx,
            };
            let e = evaluate(&request, &policies);
            results.push(EvaluationResult {
                eval_action_name: action.clone(),
                eval_resource_name: resource.clone(),
                eval_decision: e.decision.as_str().to_owned(),
                matched_statements: e.matched.iter().map(statement_ref).collect(),
                missing_context_values: missing.clone(),
                organizations_decision_detail: e.allowed_by_scps.map(|allowed_by_organizations| {
                    OrganizationsDecisionDetail {
                        allowed_by_organizations,
                    }
                }),
                permissions_boundary_decision_detail: boundary.as_ref().map(|_| {
                    PermissionsBoundaryDecisionDetail {
                        allowed_by_permissions_boundary: e
                            .allowed_by_boundary
                            .unwrap_or(e.decision != Decision::ExplicitDeny),
                    }
                }),
                denial_message: e.denial_message(&request),
            });
        }
    }
    paginate(results, req.max_items, req.marker.as_deref())
}

fn paginate(
    results: Vec<EvaluationResult>,
    max_items: Option<usize>,
    marker: Option<&str>,
) -> Result<SimulatePolicyResponse, SimulateError> {
    let start = match marker {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= results.len())
            .ok_or_else(|| SimulateError::InvalidInput(format!("invalid Marker `{m}`")))?,
    };
    let max = max_items.unwrap_or(100);
    if !(1..=1000).contains(&max) {
        return Err(SimulateError::InvalidInput(
            "MaxItems must be between 1 and 1000".into(),
        ));
    }
    let end = start.saturating_add(max).min(results.len());
    let truncated = end < results.len();
    Ok(SimulatePolicyResponse {
        evaluation_results: results.into_iter().skip(start).take(end - start).collect(),
        is_truncated: truncated,
        marker: truncated.then(|| end.to_string()),
    })
}
