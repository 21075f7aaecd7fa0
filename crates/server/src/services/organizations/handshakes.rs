//! Invitations: InviteAccountToOrganization, Accept/Decline/CancelHandshake,
//! DescribeHandshake, ListHandshakesFor{Account,Organization}.

use rootward_core::ident::Arn;
use rootward_core::org::handshakes::{self as dom, HandshakeInfo};
use serde_json::{Value, json};

use super::{e, page_req, paged};
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::protocol::json::timestamp;
use crate::services::Ctx;

fn handshake_json(i: &HandshakeInfo) -> Value {
    let h = &i.handshake;
    let (mgmt, feature_set) = i
        .org
        .as_ref()
        .map(|o| (o.management_account.clone(), o.feature_set.clone()))
        .unwrap_or_default();
    let mut resources = vec![
        json!({"Value": h.org, "Type": "ORGANIZATION", "Resources": [
            {"Value": i.management_email, "Type": "MASTER_EMAIL"},
            {"Value": i.management_name, "Type": "MASTER_NAME"},
            {"Value": feature_set, "Type": "ORGANIZATION_FEATURE_SET"},
        ]}),
        json!({"Value": h.account, "Type": "ACCOUNT"}),
    ];
    if let Some(n) = &h.notes {
        resources.push(json!({"Value": n, "Type": "NOTES"}));
    }
    json!({
        "Id": h.id,
        "Arn": Arn::organizations(
            &mgmt,
            "handshake",
            &h.org,
            &format!("{}/{}", h.action.to_ascii_lowercase(), h.id),
        )
        .to_string(),
        "Parties": [
            {"Id": h.org, "Type": "ORGANIZATION"},
            {"Id": h.account, "Type": "ACCOUNT"},
        ],
        "State": h.state,
        "RequestedTimestamp": timestamp(h.requested),
        "ExpirationTimestamp": timestamp(h.expires),
        "Action": h.action,
        "Resources": resources,
    })
}

fn one(h: &HandshakeInfo) -> Option<Value> {
    Some(json!({"Handshake": handshake_json(h)}))
}

pub(crate) fn invite_account_to_organization(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let target = i.object("Target").ok_or_else(|| super::missing("Target"))?;
    let h = dom::invite_account(
        ctx.svc,
        ctx.caller,
        target.required("Id")?,
        target.required("Type")?,
        i.str("Notes"),
    )
    .map_err(e)?;
    Ok(one(&h))
}

pub(crate) fn accept_handshake(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    Ok(one(&dom::accept(
        ctx.svc,
        ctx.caller,
        i.required("HandshakeId")?,
    )
    .map_err(e)?))
}

pub(crate) fn decline_handshake(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    Ok(one(&dom::decline(
        ctx.svc,
        ctx.caller,
        i.required("HandshakeId")?,
    )
    .map_err(e)?))
}

pub(crate) fn cancel_handshake(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    Ok(one(&dom::cancel(
        ctx.svc,
        ctx.caller,
        i.required("HandshakeId")?,
    )
    .map_err(e)?))
}

pub(crate) fn describe_handshake(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    Ok(one(&dom::describe_handshake(
        ctx.svc,
        ctx.caller,
        i.required("HandshakeId")?,
    )
    .map_err(e)?))
}

fn action_filter(i: &Input<'_>) -> Result<Option<String>, ApiError> {
    Ok(match i.object("Filter") {
        Some(f) => f.str("ActionType").map(str::to_owned),
        None => None,
    })
}

pub(crate) fn list_handshakes_for_account(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let action = action_filter(i)?;
    let page = dom::list_for_account(ctx.svc, ctx.caller, action.as_deref(), page_req(ctx, i)?)
        .map_err(e)?;
    Ok(paged("Handshakes", page, handshake_json))
}

pub(crate) fn list_handshakes_for_organization(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let action = action_filter(i)?;
    let page =
        dom::list_for_organization(ctx.svc, ctx.caller, action.as_deref(), page_req(ctx, i)?)
            .map_err(e)?;
    Ok(paged("Handshakes", page, handshake_json))
}
