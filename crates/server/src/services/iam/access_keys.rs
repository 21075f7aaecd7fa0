//! CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed.

use rootward_core::clock::iso8601;
use rootward_core::iam::access_keys;
use rootward_core::model::{KeyOwner, KeyStatus};

use super::{paginate_by, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn owner_name(o: &KeyOwner) -> Option<&str> {
    match o {
        KeyOwner::User(n) => Some(n),
        KeyOwner::Root => None,
    }
}

pub(super) fn create_access_key(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let k = access_keys::create_access_key(ctx.svc, ctx.caller, p.str("UserName"))
        .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("AccessKey")
        .opt("UserName", owner_name(&k.owner))
        .elem("AccessKeyId", &k.id)
        .elem("Status", k.status.as_str())
        .elem("SecretAccessKey", k.secret.expose())
        .elem("CreateDate", &iso8601(k.created))
        .close("AccessKey");
    Ok(Some(x))
}

pub(super) fn list_access_keys(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let keys =
        access_keys::list_access_keys(ctx.svc, ctx.caller, p.str("UserName")).map_err(from_core)?;
    let (page, next) = paginate_by(keys, p, |k| k.id.clone())?;
    let mut x = Xml::new();
    x.open("AccessKeyMetadata");
    for k in &page {
        x.open("member")
            .opt("UserName", owner_name(&k.owner))
            .elem("AccessKeyId", &k.id)
            .elem("Status", k.status.as_str())
            .elem("CreateDate", &iso8601(k.created))
            .close("member");
    }
    x.close("AccessKeyMetadata");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn update_access_key(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let status = p
        .one_of(
            "Status",
            &[
                ("Active", KeyStatus::Active),
                ("Inactive", KeyStatus::Inactive),
            ],
        )?
        .ok_or_else(|| p.missing("Status"))?;
    access_keys::update_access_key(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("AccessKeyId")?,
        status,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_access_key(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    access_keys::delete_access_key(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("AccessKeyId")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn get_access_key_last_used(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let k = access_keys::get_access_key_last_used(ctx.svc, ctx.caller, p.required("AccessKeyId")?)
        .map_err(from_core)?;
    let mut x = Xml::new();
    x.opt("UserName", owner_name(&k.owner))
        .open("AccessKeyLastUsed");
    match &k.last_used {
        Some(l) => {
            x.elem("LastUsedDate", &iso8601(l.at))
                .elem("ServiceName", &l.service)
                .elem("Region", &l.region);
        }
        None => {
            x.elem("ServiceName", "N/A").elem("Region", "N/A");
        }
    }
    x.close("AccessKeyLastUsed");
    Ok(Some(x))
}
