//! Inline and attached user policies, permissions boundaries.

use rootward_core::iam::policies;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn put_user_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    policies::put_user_policy(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        p.required("PolicyName")?,
        p.required("PolicyDocument")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn get_user_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let user = p.required("UserName")?;
    let name = p.required("PolicyName")?;
    let doc = policies::get_user_policy(ctx.svc, ctx.caller, user, name).map_err(from_core)?;
    let encoded = super::encode_document(&doc);
    let mut x = Xml::new();
    x.elem("UserName", user)
        .elem("PolicyName", name)
        .elem("PolicyDocument", &encoded);
    Ok(Some(x))
}

pub(super) fn delete_user_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    policies::delete_user_policy(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        p.required("PolicyName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_user_policies(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let names = policies::list_user_policies(ctx.svc, ctx.caller, p.required("UserName")?)
        .map_err(from_core)?;
    let (page, next) = super::paginate_by(names, p, Clone::clone)?;
    let mut x = Xml::new();
    x.open("PolicyNames");
    for n in &page {
        x.elem("member", n);
    }
    x.close("PolicyNames");
    super::truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn attach_user_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    policies::attach_user_policy(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn detach_user_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    policies::detach_user_policy(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_attached_user_policies(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let all = policies::list_attached_user_policies(ctx.svc, ctx.caller, p.required("UserName")?)
        .map_err(from_core)?;
    let (page, next) = super::paginate_by(all, p, |(_, arn)| arn.clone())?;
    let mut x = Xml::new();
    x.open("AttachedPolicies");
    for (name, arn) in &page {
        x.open("member")
            .elem("PolicyName", name)
            .elem("PolicyArn", arn)
            .close("member");
    }
    x.close("AttachedPolicies");
    super::truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn put_user_permissions_boundary(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    policies::set_user_permissions_boundary(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        Some(p.required("PermissionsBoundary")?),
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_user_permissions_boundary(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    policies::set_user_permissions_boundary(ctx.svc, ctx.caller, p.required("UserName")?, None)
        .map_err(from_core)?;
    Ok(None)
}
