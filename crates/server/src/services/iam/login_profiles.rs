//! CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile,
//! ChangePassword.
//! The password comes in and is handed to the domain to hash; it never goes out.

use rootward_core::clock::iso8601;
use rootward_core::iam::login_profiles;
use rootward_core::model::LoginProfile;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

/// The profile; the root user's shows no `UserName` ([live]).
fn profile_xml(user: &Option<String>, l: &LoginProfile) -> Xml {
    let mut x = Xml::new();
    x.open("LoginProfile")
        .opt("UserName", user.as_deref())
        .elem("CreateDate", &iso8601(l.created))
        .elem(
            "PasswordResetRequired",
            if l.password_reset_required {
                "true"
            } else {
                "false"
            },
        )
        .close("LoginProfile");
    x
}

pub(super) fn create_login_profile(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (user, l) = login_profiles::create_login_profile(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.str("Password"),
        p.bool("PasswordResetRequired")?.unwrap_or(false),
    )
    .map_err(from_core)?;
    Ok(Some(profile_xml(&user, &l)))
}

pub(super) fn get_login_profile(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (user, l) = login_profiles::get_login_profile(ctx.svc, ctx.caller, p.str("UserName"))
        .map_err(from_core)?;
    Ok(Some(profile_xml(&user, &l)))
}

pub(super) fn update_login_profile(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    login_profiles::update_login_profile(
        ctx.svc,
        ctx.caller,
        p.required("UserName")?,
        p.str("Password"),
        p.bool("PasswordResetRequired")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_login_profile(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    login_profiles::delete_login_profile(ctx.svc, ctx.caller, p.str("UserName"))
        .map_err(from_core)?;
    Ok(None)
}

pub(super) fn change_password(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    login_profiles::change_password(
        ctx.svc,
        ctx.caller,
        p.required("OldPassword")?,
        p.required("NewPassword")?,
    )
    .map_err(from_core)?;
    Ok(None)
}
