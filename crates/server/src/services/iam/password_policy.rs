//! GetAccountPasswordPolicy, UpdateAccountPasswordPolicy,
//! DeleteAccountPasswordPolicy.

use rootward_core::iam::password_policy::{self, Update};

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn b(v: bool) -> &'static str {
    if v { "true" } else { "false" }
}

pub(super) fn get_account_password_policy(
    ctx: &Ctx<'_>,
    _p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let pp = password_policy::get(ctx.svc, ctx.caller).map_err(from_core)?;
    let mut x = Xml::new();
    x.open("PasswordPolicy")
        .elem("MinimumPasswordLength", &pp.minimum_length.to_string())
        .elem("RequireSymbols", b(pp.require_symbols))
        .elem("RequireNumbers", b(pp.require_numbers))
        .elem("RequireUppercaseCharacters", b(pp.require_uppercase))
        .elem("RequireLowercaseCharacters", b(pp.require_lowercase))
        .elem("AllowUsersToChangePassword", b(pp.allow_users_to_change))
        .elem("ExpirePasswords", b(pp.max_age.is_some()));
    if let Some(age) = pp.max_age {
        x.elem("MaxPasswordAge", &age.to_string());
    }
    if let Some(n) = pp.reuse_prevention {
        x.elem("PasswordReusePrevention", &n.to_string());
    }
    x.elem("HardExpiry", b(pp.hard_expiry));
    x.close("PasswordPolicy");
    Ok(Some(x))
}

pub(super) fn update_account_password_policy(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let u = Update {
        minimum_length: p.int("MinimumPasswordLength")?,
        require_symbols: p.bool("RequireSymbols")?,
        require_numbers: p.bool("RequireNumbers")?,
        require_uppercase: p.bool("RequireUppercaseCharacters")?,
        require_lowercase: p.bool("RequireLowercaseCharacters")?,
        allow_users_to_change: p.bool("AllowUsersToChangePassword")?,
        max_age: p.int("MaxPasswordAge")?,
        reuse_prevention: p.int("PasswordReusePrevention")?,
        hard_expiry: p.bool("HardExpiry")?,
    };
    password_policy::update(ctx.svc, ctx.caller, &u).map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_account_password_policy(
    ctx: &Ctx<'_>,
    _p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    password_policy::delete(ctx.svc, ctx.caller).map_err(from_core)?;
    Ok(None)
}
