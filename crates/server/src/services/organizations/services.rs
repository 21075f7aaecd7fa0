//! Trusted service access and delegated administrators.

use rootward_core::org::services as dom;
use serde_json::{Value, json};

use super::{account_id, account_json, e, page_req, paged};
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::protocol::json::timestamp;
use crate::services::Ctx;

pub(crate) fn enable_aws_service_access(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    dom::enable_service_access(ctx.svc, ctx.caller, i.required("ServicePrincipal")?).map_err(e)?;
    Ok(None)
}

pub(crate) fn disable_aws_service_access(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    dom::disable_service_access(ctx.svc, ctx.caller, i.required("ServicePrincipal")?).map_err(e)?;
    Ok(None)
}

pub(crate) fn list_aws_service_access_for_organization(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page = dom::list_service_access(ctx.svc, ctx.caller, page_req(ctx, i)?).map_err(e)?;
    Ok(paged(
        "EnabledServicePrincipals",
        page,
        |(p, t)| json!({"ServicePrincipal": p, "DateEnabled": timestamp(*t)}),
    ))
}

pub(crate) fn register_delegated_administrator(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    dom::register_delegated_admin(
        ctx.svc,
        ctx.caller,
        &account_id(i)?,
        i.required("ServicePrincipal")?,
    )
    .map_err(e)?;
    Ok(None)
}

pub(crate) fn deregister_delegated_administrator(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    dom::deregister_delegated_admin(
        ctx.svc,
        ctx.caller,
        &account_id(i)?,
        i.required("ServicePrincipal")?,
    )
    .map_err(e)?;
    Ok(None)
}

pub(crate) fn list_delegated_administrators(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page = dom::list_delegated_admins(
        ctx.svc,
        ctx.caller,
        i.str("ServicePrincipal"),
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged("DelegatedAdministrators", page, |d| {
        let mut v = account_json(&d.account);
        if let Value::Object(m) = &mut v {
            m.insert("DelegationEnabledDate".into(), timestamp(d.since));
        }
        v
    }))
}

pub(crate) fn list_delegated_services_for_account(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page =
        dom::list_delegated_services(ctx.svc, ctx.caller, &account_id(i)?, page_req(ctx, i)?)
            .map_err(e)?;
    Ok(paged(
        "DelegatedServices",
        page,
        |(p, t)| json!({"ServicePrincipal": p, "DelegationEnabledDate": timestamp(*t)}),
    ))
}
