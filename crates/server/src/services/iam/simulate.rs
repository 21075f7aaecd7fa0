//! SimulatePrincipalPolicy and SimulateCustomPolicy: query parameters into the
//! policy crate's simulator request, its results into `EvaluationResults`.

use rootward_core::iam::simulate;
use rootward_policy::simulate::{
    ContextEntry, Position, SimulateCustomPolicyRequest, SimulatePolicyResponse,
};

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn owned(v: Vec<&str>) -> Vec<String> {
    v.into_iter().map(str::to_owned).collect()
}

fn request(p: &Input<'_>) -> Result<SimulateCustomPolicyRequest, ApiError> {
    let context_entries = p
        .structs("ContextEntries")
        .iter()
        .filter_map(|e| {
            Some(ContextEntry {
                context_key_name: e.str("ContextKeyName")?.to_owned(),
                context_key_values: owned(e.list("ContextKeyValues")),
                context_key_type: e.str("ContextKeyType").unwrap_or("string").to_owned(),
            })
        })
        .collect();
    let max_items = p.int("MaxItems")?.map(|m| usize::try_from(m).unwrap_or(0));
    Ok(SimulateCustomPolicyRequest {
        policy_input_list: owned(p.list("PolicyInputList")),
        permissions_boundary_policy_input_list: owned(p.list("PermissionsBoundaryPolicyInputList")),
        action_names: owned(p.list("ActionNames")),
        resource_arns: owned(p.list("ResourceArns")),
        resource_policy: p.str("ResourcePolicy").map(str::to_owned),
        resource_owner: p.str("ResourceOwner").map(str::to_owned),
        caller_arn: p.str("CallerArn").map(str::to_owned),
        context_entries,
        resource_handling_option: p.str("ResourceHandlingOption").map(str::to_owned),
        max_items,
        marker: p.str("Marker").map(str::to_owned),
        service_control_policy_input_levels: None,
        assume_root_task_policy: None,
    })
}

fn position(x: &mut Xml, name: &str, pos: Position) {
    x.open(name)
        .elem("Line", &pos.line.to_string())
        .elem("Column", &pos.column.to_string())
        .close(name);
}

fn response(out: &SimulatePolicyResponse) -> Xml {
    let mut x = Xml::new();
    x.open("EvaluationResults");
    for r in &out.evaluation_results {
        x.open("member")
            .elem("EvalActionName", &r.eval_action_name)
            .elem("EvalResourceName", &r.eval_resource_name)
            .elem("EvalDecision", &r.eval_decision)
            .open("MatchedStatements");
        for m in &r.matched_statements {
            x.open("member")
                .elem("SourcePolicyId", &m.source_policy_id)
                .elem("SourcePolicyType", &m.source_policy_type);
            position(&mut x, "StartPosition", m.start_position);
            position(&mut x, "EndPosition", m.end_position);
            x.close("member");
        }
        x.close("MatchedStatements").open("MissingContextValues");
        for k in &r.missing_context_values {
            x.elem("member", k);
        }
        x.close("MissingContextValues");
        if let Some(o) = &r.organizations_decision_detail {
            x.open("OrganizationsDecisionDetail")
                .elem(
                    "AllowedByOrganizations",
                    if o.allowed_by_organizations {
                        "true"
                    } else {
                        "false"
                    },
                )
                .close("OrganizationsDecisionDetail");
        }
        if let Some(b) = &r.permissions_boundary_decision_detail {
            x.open("PermissionsBoundaryDecisionDetail")
                .elem(
                    "AllowedByPermissionsBoundary",
                    if b.allowed_by_permissions_boundary {
                        "true"
                    } else {
                        "false"
                    },
                )
                .close("PermissionsBoundaryDecisionDetail");
        }
        x.close("member");
    }
    x.close("EvaluationResults");
    super::truncation(&mut x, out.marker.clone());
    x
}

pub(super) fn simulate_custom_policy(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let req = request(p)?;
    let out = simulate::simulate_custom(ctx.svc, ctx.caller, &req).map_err(from_core)?;
    Ok(Some(response(&out)))
}

pub(super) fn simulate_principal_policy(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let source = p.required("PolicySourceArn")?;
    let req = request(p)?;
    let out = simulate::simulate_principal(ctx.svc, ctx.caller, source, &req).map_err(from_core)?;
    Ok(Some(response(&out)))
}
