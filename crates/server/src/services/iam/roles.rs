//! CreateRole, GetRole, ListRoles, DeleteRole, PutRolePolicy, AttachRolePolicy, DetachRolePolicy.

use rootward_core::clock::iso8601;
use rootward_core::iam::roles;
use rootward_core::model::Role;

use super::{paginate, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::query::Params;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn role_xml(x: &mut Xml, r: &Role) {
    let trust = super::encode_document(&r.trust_policy);
    x.elem("Path", &r.path)
        .elem("RoleName", &r.name)
        .elem("RoleId", &r.id)
        .elem("Arn", &r.arn())
        .elem("CreateDate", &iso8601(r.created))
        .elem("AssumeRolePolicyDocument", &trust)
        .opt("Description", r.description.as_deref())
        .elem("MaxSessionDuration", &r.max_session_duration.to_string());
}

pub(super) fn create_role(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    let r = roles::create_role(
        ctx.svc,
        ctx.caller,
        roles::CreateRole {
            name: p.required("RoleName")?,
            path: p.get("Path"),
            trust_policy: p.required("AssumeRolePolicyDocument")?,
            description: p.get("Description"),
            max_session_duration: p.int("MaxSessionDuration")?,
        },
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Role");
    role_xml(&mut x, &r);
    x.close("Role");
    Ok(Some(x))
}

pub(super) fn get_role(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    let r = roles::get_role(ctx.svc, ctx.caller, p.required("RoleName")?).map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Role");
    role_xml(&mut x, &r);
    x.close("Role");
    Ok(Some(x))
}

pub(super) fn list_roles(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    let all = roles::list_roles(ctx.svc, ctx.caller, p.get("PathPrefix")).map_err(from_core)?;
    let (page, next) = paginate(all, p)?;
    let mut x = Xml::new();
    x.open("Roles");
    for r in &page {
        x.open("member");
        role_xml(&mut x, r);
        x.close("member");
    }
    x.close("Roles");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn delete_role(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    roles::delete_role(ctx.svc, ctx.caller, p.required("RoleName")?).map_err(from_core)?;
    Ok(None)
}

pub(super) fn put_role_policy(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    roles::put_role_policy(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("PolicyName")?,
        p.required("PolicyDocument")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn attach_role_policy(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    roles::attach_role_policy(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn detach_role_policy(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    roles::detach_role_policy(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}
