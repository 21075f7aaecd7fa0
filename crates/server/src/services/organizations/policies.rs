//! Service control policies: CreatePolicy, DescribePolicy, UpdatePolicy,
//! DeletePolicy, AttachPolicy, DetachPolicy, and the listings.

use rootward_core::org::policies::{self as dom, PolicyInfo, TargetInfo};
use serde_json::{Value, json};

use super::{e, page_req, paged};
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::services::Ctx;

fn summary_json(p: &PolicyInfo) -> Value {
    json!({
        "Id": p.id,
        "Arn": p.arn,
        "Name": p.name,
        "Description": p.description,
        "Type": p.policy_type,
        "AwsManaged": p.aws_managed,
    })
}

fn policy_json(p: &PolicyInfo) -> Value {
    json!({"Policy": {"PolicySummary": summary_json(p), "Content": p.content}})
}

fn target_json(t: &TargetInfo) -> Value {
    json!({"TargetId": t.id, "Arn": t.arn, "Name": t.name, "Type": t.kind})
}

pub(crate) fn create_policy(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let input = dom::CreatePolicy {
        content: i.required("Content")?,
        description: i.required("Description")?,
        name: i.required("Name")?,
        policy_type: i.required("Type")?,
    };
    let tags = super::tags_input(i)?;
    let p = rootward_core::org::tags::create_tagged(
        ctx.svc,
        ctx.caller,
        &tags,
        || dom::create_policy(ctx.svc, ctx.caller, input),
        |_, p| Some(p.id.clone()),
    )
    .map_err(e)?;
    Ok(Some(policy_json(&p)))
}

pub(crate) fn describe_policy(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let p = dom::describe_policy(ctx.svc, ctx.caller, i.required("PolicyId")?).map_err(e)?;
    Ok(Some(policy_json(&p)))
}

pub(crate) fn update_policy(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let input = dom::UpdatePolicy {
        id: i.required("PolicyId")?,
        name: i.str("Name"),
        description: i.str("Description"),
        content: i.str("Content"),
    };
    let p = dom::update_policy(ctx.svc, ctx.caller, input).map_err(e)?;
    Ok(Some(policy_json(&p)))
}

pub(crate) fn delete_policy(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    dom::delete_policy(ctx.svc, ctx.caller, i.required("PolicyId")?).map_err(e)?;
    Ok(None)
}

pub(crate) fn attach_policy(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    dom::attach_policy(
        ctx.svc,
        ctx.caller,
        i.required("PolicyId")?,
        i.required("TargetId")?,
    )
    .map_err(e)?;
    Ok(None)
}

pub(crate) fn detach_policy(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    dom::detach_policy(
        ctx.svc,
        ctx.caller,
        i.required("PolicyId")?,
        i.required("TargetId")?,
    )
    .map_err(e)?;
    Ok(None)
}

pub(crate) fn list_policies(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let page = dom::list_policies(
        ctx.svc,
        ctx.caller,
        i.required("Filter")?,
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged("Policies", page, summary_json))
}

pub(crate) fn list_policies_for_target(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page = dom::list_policies_for_target(
        ctx.svc,
        ctx.caller,
        i.required("TargetId")?,
        i.required("Filter")?,
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged("Policies", page, summary_json))
}

pub(crate) fn list_targets_for_policy(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page = dom::list_targets_for_policy(
        ctx.svc,
        ctx.caller,
        i.required("PolicyId")?,
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged("Targets", page, target_json))
}
