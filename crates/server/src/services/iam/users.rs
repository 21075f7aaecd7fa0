//! CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser.

use rootward_core::clock::iso8601;
use rootward_core::iam::users;
use rootward_core::model::User;

use super::truncation;
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

/// A `User` with its tags (`CreateUser`, `GetUser`; `ListUsers` has none).
pub(crate) fn user_with_tags_xml(x: &mut Xml, u: &User) {
    user_xml(x, u);
    super::tags_xml(x, &u.tags);
}

pub(crate) fn user_xml(x: &mut Xml, u: &User) {
    x.elem("Path", &u.path)
        .elem("UserName", &u.name)
        .elem("UserId", &u.id)
        .elem("Arn", &u.arn())
        .elem("CreateDate", &iso8601(u.created));
    if let Some(t) = u.password_last_used {
        x.elem("PasswordLastUsed", &iso8601(t));
    }
    if let Some(b) = &u.permissions_boundary {
        x.open("PermissionsBoundary")
            .elem("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
            .elem("PermissionsBoundaryArn", b)
            .close("PermissionsBoundary");
    }
}

pub(super) fn create_user(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let u = users::create_user_tagged(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        p.str("Path"),
        p.str("PermissionsBoundary"),
        &super::tags_param(p, "Tags"),
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("User");
    user_with_tags_xml(&mut x, &u);
    x.close("User");
    Ok(Some(x))
}

pub(super) fn get_user(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let u = users::get_user(ctx.svc, ctx.caller, p.str("UserName")).map_err(from_core)?;
    let mut x = Xml::new();
    x.open("User");
    match u {
        Some(u) => user_with_tags_xml(&mut x, &u),
        // The root user: no UserName, no Path (spec 02 §2.6.3).
        None => {
            let account = &ctx.caller.account;
            x.elem("UserId", account)
                .elem("Arn", &rootward_core::ident::Arn::root(account).to_string());
            if let Some(a) = ctx.svc.read().accounts.get(account) {
                x.elem("CreateDate", &iso8601(a.created));
                if let Some(t) = a.root_password_last_used {
                    x.elem("PasswordLastUsed", &iso8601(t));
                }
            }
        }
    }
    x.close("User");
    Ok(Some(x))
}

pub(super) fn list_users(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let all = users::list_users(ctx.svc, ctx.caller, p.str("PathPrefix")).map_err(from_core)?;
    let (page, next) = super::paginate_by(all, p, |u| u.name.to_ascii_lowercase())?;
    let mut x = Xml::new();
    x.open("Users");
    for u in &page {
        x.open("member");
        user_xml(&mut x, u);
        x.close("member");
    }
    x.close("Users");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn update_user(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    users::update_user(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        p.str("NewUserName"),
        p.str("NewPath"),
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_user(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    users::delete_user(ctx.svc, ctx.caller, p.required("UserName")?).map_err(from_core)?;
    Ok(None)
}
