//! Organizational units, ListChildren, ListParents.

use rootward_core::org::units::{self as dom, Node, OuInfo};
use serde_json::{Value, json};

use super::{e, page_req, paged};
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::services::Ctx;

fn ou_json(u: &OuInfo) -> Value {
    json!({"Id": u.id, "Arn": u.arn, "Name": u.name, "Path": u.path})
}

fn node_json(n: &Node) -> Value {
    json!({"Id": n.id, "Type": n.kind})
}

pub(crate) fn create_organizational_unit(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let (parent, name) = (i.required("ParentId")?, i.required("Name")?);
    let tags = super::tags_input(i)?;
    let u = rootward_core::org::tags::create_tagged(
        ctx.svc,
        ctx.caller,
        &tags,
        || dom::create_ou(ctx.svc, ctx.caller, parent, name),
        |_, u| Some(u.id.clone()),
    )
    .map_err(e)?;
    Ok(Some(json!({"OrganizationalUnit": ou_json(&u)})))
}

pub(crate) fn describe_organizational_unit(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let u =
        dom::describe_ou(ctx.svc, ctx.caller, i.required("OrganizationalUnitId")?).map_err(e)?;
    Ok(Some(json!({"OrganizationalUnit": ou_json(&u)})))
}

pub(crate) fn update_organizational_unit(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let u = dom::update_ou(
        ctx.svc,
        ctx.caller,
        i.required("OrganizationalUnitId")?,
        i.str("Name"),
    )
    .map_err(e)?;
    Ok(Some(json!({"OrganizationalUnit": ou_json(&u)})))
}

pub(crate) fn delete_organizational_unit(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    dom::delete_ou(ctx.svc, ctx.caller, i.required("OrganizationalUnitId")?).map_err(e)?;
    Ok(None)
}

pub(crate) fn list_organizational_units_for_parent(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page = dom::list_ous_for_parent(
        ctx.svc,
        ctx.caller,
        i.required("ParentId")?,
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged("OrganizationalUnits", page, ou_json))
}

pub(crate) fn list_children(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let page = dom::list_children(
        ctx.svc,
        ctx.caller,
        i.required("ParentId")?,
        i.required("ChildType")?,
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged("Children", page, node_json))
}

pub(crate) fn list_parents(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let parents = dom::list_parents(ctx.svc, ctx.caller, i.required("ChildId")?).map_err(e)?;
    let page = rootward_core::org::page(parents.into_iter(), page_req(ctx, i)?).map_err(e)?;
    Ok(paged("Parents", page, node_json))
}
