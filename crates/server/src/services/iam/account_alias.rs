//! CreateAccountAlias, DeleteAccountAlias, ListAccountAliases.

use rootward_core::iam::account_alias;

use super::truncation;
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn create_account_alias(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    account_alias::create(ctx.svc, ctx.caller, p.required("AccountAlias")?).map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_account_alias(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    account_alias::delete(ctx.svc, ctx.caller, p.required("AccountAlias")?).map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_account_aliases(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let aliases = account_alias::list(ctx.svc, ctx.caller).map_err(from_core)?;
    let (page, next) = super::paginate(aliases, p)?;
    let mut x = Xml::new();
    x.open("AccountAliases");
    for a in &page {
        x.elem("member", a);
    }
    x.close("AccountAliases");
    truncation(&mut x, next);
    Ok(Some(x))
}
