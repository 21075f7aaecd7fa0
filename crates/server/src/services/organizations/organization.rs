//! CreateOrganization, DescribeOrganization, DeleteOrganization,
//! EnableAllFeatures, ListRoots, EnablePolicyType, DisablePolicyType.

use rootward_core::ident::Arn;
use rootward_core::org::model::Organization;
use rootward_core::org::organization::{self as dom, OrgDescription};
use serde_json::{Value, json};

use super::e;
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::protocol::json::timestamp;
use crate::services::Ctx;

fn policy_types(org: &Organization) -> Value {
    Value::Array(
        org.policy_types
            .iter()
            .map(|t| json!({"Type": t, "Status": "ENABLED"}))
            .collect(),
    )
}

pub(crate) fn org_json(d: &OrgDescription) -> Value {
    let o = &d.org;
    json!({
        "Id": o.id,
        "Arn": o.arn(),
        "FeatureSet": o.feature_set,
        "MasterAccountArn": o.account_arn(&o.management_account),
        "MasterAccountId": o.management_account,
        "MasterAccountEmail": d.management_email,
        "AvailablePolicyTypes": policy_types(o),
    })
}

pub(crate) fn root_json(o: &Organization) -> Value {
    json!({
        "Id": o.root_id,
        "Arn": o.root_arn(),
        "Name": "Root",
        "PolicyTypes": policy_types(o),
    })
}

pub(crate) fn create_organization(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let d = dom::create_organization(ctx.svc, ctx.caller, i.str("FeatureSet")).map_err(e)?;
    Ok(Some(json!({"Organization": org_json(&d)})))
}

pub(crate) fn describe_organization(
    ctx: &Ctx<'_>,
    _: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let d = dom::describe_organization(ctx.svc, ctx.caller).map_err(e)?;
    Ok(Some(json!({"Organization": org_json(&d)})))
}

pub(crate) fn delete_organization(ctx: &Ctx<'_>, _: &Input<'_>) -> Result<Option<Value>, ApiError> {
    dom::delete_organization(ctx.svc, ctx.caller).map_err(e)?;
    Ok(None)
}

pub(crate) fn enable_all_features(ctx: &Ctx<'_>, _: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let h = dom::enable_all_features(ctx.svc, ctx.caller).map_err(e)?;
    let o = &h.org;
    Ok(Some(json!({"Handshake": {
        "Id": h.id,
        "Arn": Arn::organizations(
            &o.management_account,
            "handshake",
            &o.id,
            &format!("enable_all_features/{}", h.id),
        )
        .to_string(),
        "Parties": [{"Id": o.id, "Type": "ORGANIZATION"}],
        "State": "ACCEPTED",
        "RequestedTimestamp": timestamp(h.at),
        "ExpirationTimestamp": timestamp(h.at + time::Duration::days(90)),
        "Action": "ENABLE_ALL_FEATURES",
        "Resources": [{"Value": o.id, "Type": "ORGANIZATION"}],
    }})))
}

pub(crate) fn list_roots(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let o = dom::list_roots(ctx.svc, ctx.caller).map_err(e)?;
    let page = rootward_core::org::page(std::iter::once(o), super::page_req(ctx, i)?).map_err(e)?;
    Ok(super::paged("Roots", page, root_json))
}

pub(crate) fn enable_policy_type(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let o = dom::enable_policy_type(
        ctx.svc,
        ctx.caller,
        i.required("RootId")?,
        i.required("PolicyType")?,
    )
    .map_err(e)?;
    Ok(Some(json!({"Root": root_json(&o)})))
}

pub(crate) fn disable_policy_type(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let o = dom::disable_policy_type(
        ctx.svc,
        ctx.caller,
        i.required("RootId")?,
        i.required("PolicyType")?,
    )
    .map_err(e)?;
    Ok(Some(json!({"Root": root_json(&o)})))
}
