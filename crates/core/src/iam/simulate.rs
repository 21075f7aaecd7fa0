//! `SimulateCustomPolicy` and `SimulatePrincipalPolicy` on the endpoint, run
//! by the policy crate's simulator. For a principal, the simulated policies are
//! the entity's own: inline and attached (a user's groups' too) and its
//! permissions boundary, reported under their names as IAM does.

use rootward_policy::simulate::{
    SimulateCustomPolicyRequest, SimulateError, SimulatePolicyResponse, simulate_custom_policy,
};

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::ManagedPolicy;
use crate::service::Service;
use crate::state::State;

use super::managed::policy_owner;

fn from_simulate(e: SimulateError) -> CoreError {
    // IAM answers both with `InvalidInput` for the simulator.
    CoreError::InvalidInput(e.to_string())
}

/// `iam:SimulateCustomPolicy`.
pub fn simulate_custom(
    svc: &Service,
    caller: &Caller,
    req: &SimulateCustomPolicyRequest,
) -> Result<SimulatePolicyResponse, CoreError> {
    svc.authorize(caller, "iam:SimulateCustomPolicy", "*", None, &[])?;
    if req.policy_input_list.is_empty() {
        return Err(CoreError::InvalidInput(
            "PolicyInputList must contain at least one policy".into(),
        ));
    }
    simulate_custom_policy(req).map_err(from_simulate)
}

/// A policy of the simulated entity: document, `SourcePolicyId`, `SourcePolicyType`.
struct Source {
    document: String,
    id: String,
    kind: &'static str,
}

fn managed_source(p: &ManagedPolicy) -> Source {
    Source {
        document: p.document().to_owned(),
        id: p.name.clone(),
        kind: if policy_owner(&p.arn) == Some("aws") {
            "aws-managed"
        } else {
            "user-managed"
        },
    }
}

fn inline_sources<'a>(
    policies: &'a std::collections::BTreeMap<String, String>,
    kind: &'static str,
) -> impl Iterator<Item = Source> + 'a {
    policies.iter().map(move |(name, doc)| Source {
        document: doc.clone(),
        id: name.clone(),
        kind,
    })
}

fn attached_sources<'a>(state: &'a State, arns: &'a [String]) -> impl Iterator<Item = Source> + 'a {
    arns.iter()
        .filter_map(|a| state.managed_policy(a))
        .map(|p| managed_source(&p))
}

/// The entity's identity policies and boundary, and whether it can be a caller.
fn entity_sources(
    state: &State,
    account: &str,
    arn: &str,
) -> Result<(Vec<Source>, Option<Source>, bool), CoreError> {
    let no_such = || {
        CoreError::NoSuchEntity(format!(
            "Entity {arn} does not exist or is not simulatable."
        ))
    };
    let parsed = crate::ident::Arn::parse(arn)
        .ok()
        .filter(|a| {
            (a.partition(), a.service(), a.region(), a.account()) == ("aws", "iam", "", account)
        })
        .ok_or_else(no_such)?;
    let (kind, path_name) = parsed.resource().split_once('/').ok_or_else(no_such)?;
    let name = path_name.rsplit('/').next().unwrap_or(path_name);
    let boundary = |b: &Option<String>| {
        b.as_ref()
            .and_then(|a| state.managed_policy(a))
            .map(|p| managed_source(&p))
    };
    match kind {
        "user" => {
            let u = state.user(account, name).ok_or_else(no_such)?;
            let mut out: Vec<Source> = inline_sources(&u.inline_policies, "user").collect();
            out.extend(attached_sources(state, &u.attached_policies));
            for g in state.groups_for_user(account, &u.name) {
                out.extend(inline_sources(&g.inline_policies, "group"));
                out.extend(attached_sources(state, &g.attached_policies));
            }
            Ok((out, boundary(&u.permissions_boundary), true))
        }
        "role" => {
            let r = state.role(account, name).ok_or_else(no_such)?;
            let mut out: Vec<Source> = inline_sources(&r.inline_policies, "role").collect();
            out.extend(attached_sources(state, &r.attached_policies));
            Ok((out, boundary(&r.permissions_boundary), true))
        }
        "group" => {
            let g = state.group(account, name).ok_or_else(no_such)?;
            let mut out: Vec<Source> = inline_sources(&g.inline_policies, "group").collect();
            out.extend(attached_sources(state, &g.attached_policies));
            Ok((out, None, false))
        }
        _ => Err(no_such()),
    }
}

/// `iam:SimulatePrincipalPolicy`: the entity's policies, then `PolicyInputList`
/// (additional policies); its boundary unless
/// `PermissionsBoundaryPolicyInputList` replaces it.
pub fn simulate_principal(
    svc: &Service,
    caller: &Caller,
    source_arn: &str,
    req: &SimulateCustomPolicyRequest,
) -> Result<SimulatePolicyResponse, CoreError> {
    svc.authorize(caller, "iam:SimulatePrincipalPolicy", source_arn, None, &[])?;
    let (own, boundary, is_caller) = entity_sources(&svc.read(), &caller.account, source_arn)?;
    let mut full = req.clone();
    full.policy_input_list = own
        .iter()
        .map(|s| s.document.clone())
        .chain(req.policy_input_list.iter().cloned())
        .collect();
    let own_boundary = full.permissions_boundary_policy_input_list.is_empty() && boundary.is_some();
    if own_boundary && let Some(b) = &boundary {
        full.permissions_boundary_policy_input_list = vec![b.document.clone()];
    }
    if full.caller_arn.is_none() && is_caller {
        full.caller_arn = Some(source_arn.to_owned());
    }
    let mut out = simulate_custom_policy(&full).map_err(from_simulate)?;
    // Name the entity's own policies as IAM does; renumber the added ones.
    for r in &mut out.evaluation_results {
        for m in &mut r.matched_statements {
            if let Some(n) = m
                .source_policy_id
                .strip_prefix("PolicyInputList.")
                .and_then(|n| n.parse::<usize>().ok())
            {
                match own.get(n.saturating_sub(1)) {
                    Some(s) => {
                        m.source_policy_id.clone_from(&s.id);
                        s.kind.clone_into(&mut m.source_policy_type);
                    }
                    None => {
                        m.source_policy_id =
                            format!("PolicyInputList.{}", n.saturating_sub(own.len()));
                    }
                }
            } else if own_boundary
                && m.source_policy_id == "PermissionsBoundaryPolicyInputList.1"
                && let Some(b) = &boundary
            {
                m.source_policy_id.clone_from(&b.id);
                b.kind.clone_into(&mut m.source_policy_type);
            }
        }
    }
    Ok(out)
}
