//! CreateRole, GetRole, ListRoles, UpdateRole, DeleteRole, UpdateAssumeRolePolicy,
//! the role's inline and attached policies and its permissions boundary.

use rootward_core::clock::iso8601;
use rootward_core::iam::roles;
use rootward_core::model::Role;

use super::truncation;
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn role_xml(x: &mut Xml, r: &Role) {
    let trust = super::encode_document(&r.trust_policy);
    x.elem("Path", &r.path)
        .elem("RoleName", &r.name)
        .elem("RoleId", &r.id)
        .elem("Arn", &r.arn())
        .elem("CreateDate", &iso8601(r.created))
        .elem("AssumeRolePolicyDocument", &trust)
        .opt("Description", r.description.as_deref())
        .elem("MaxSessionDuration", &r.max_session_duration.to_string());
    if let Some(b) = &r.permissions_boundary {
        x.open("PermissionsBoundary")
            .elem("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
            .elem("PermissionsBoundaryArn", b)
            .close("PermissionsBoundary");
    }
}

pub(super) fn create_role(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let r = roles::create_role(
        ctx.svc,
        ctx.caller,
        roles::CreateRole {
            name: p.required("RoleName")?,
            path: p.str("Path"),
            trust_policy: p.required("AssumeRolePolicyDocument")?,
            description: p.str("Description"),
            max_session_duration: p.int("MaxSessionDuration")?,
            permissions_boundary: p.str("PermissionsBoundary"),
            tags: super::tags_param(p, "Tags"),
        },
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Role");
    role_xml(&mut x, &r);
    super::tags_xml(&mut x, &r.tags);
    x.close("Role");
    Ok(Some(x))
}

pub(super) fn get_role(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let r = roles::get_role(ctx.svc, ctx.caller, p.required("RoleName")?).map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Role");
    role_xml(&mut x, &r);
    super::tags_xml(&mut x, &r.tags);
    x.close("Role");
    Ok(Some(x))
}

pub(super) fn list_roles(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let all = roles::list_roles(ctx.svc, ctx.caller, p.str("PathPrefix")).map_err(from_core)?;
    let (page, next) = super::paginate_by(all, p, |r| r.name.to_ascii_lowercase())?;
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

pub(super) fn delete_role(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    roles::delete_role(ctx.svc, ctx.caller, p.required("RoleName")?).map_err(from_core)?;
    Ok(None)
}

pub(super) fn put_role_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
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

pub(super) fn attach_role_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    roles::attach_role_policy(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn detach_role_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    roles::detach_role_policy(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn get_role_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let role = p.required("RoleName")?;
    let name = p.required("PolicyName")?;
    let doc = roles::get_role_policy(ctx.svc, ctx.caller, role, name).map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("RoleName", role)
        .elem("PolicyName", name)
        .elem("PolicyDocument", &super::encode_document(&doc));
    Ok(Some(x))
}

pub(super) fn delete_role_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    roles::delete_role_policy(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("PolicyName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_role_policies(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let names = roles::list_role_policies(ctx.svc, ctx.caller, p.required("RoleName")?)
        .map_err(from_core)?;
    super::groups::policy_names_xml(names, p)
}

pub(super) fn list_attached_role_policies(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let all = roles::list_attached_role_policies(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.str("PathPrefix"),
    )
    .map_err(from_core)?;
    super::groups::attached_xml(all, p)
}

pub(super) fn put_role_permissions_boundary(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    roles::set_role_permissions_boundary(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        Some(p.required("PermissionsBoundary")?),
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_role_permissions_boundary(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    roles::set_role_permissions_boundary(ctx.svc, ctx.caller, p.required("RoleName")?, None)
        .map_err(from_core)?;
    Ok(None)
}

pub(super) fn update_role(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    roles::update_role(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.str("Description"),
        p.int("MaxSessionDuration")?,
    )
    .map_err(from_core)?;
    // UpdateRole has an empty result element.
    Ok(Some(Xml::new()))
}

pub(super) fn update_role_description(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let r = roles::update_role_description(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("Description")?,
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Role");
    role_xml(&mut x, &r);
    super::tags_xml(&mut x, &r.tags);
    x.close("Role");
    Ok(Some(x))
}

pub(super) fn update_assume_role_policy(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    roles::update_assume_role_policy(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
        p.required("PolicyDocument")?,
    )
    .map_err(from_core)?;
    Ok(None)
}
