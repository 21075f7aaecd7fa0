//! The centralized root access features: Enable/Disable
//! OrganizationsRootCredentialsManagement / OrganizationsRootSessions,
//! ListOrganizationsFeatures (spec 02 §2.5).

use rootward_core::CoreError;
use rootward_core::Service;
use rootward_core::authz::Caller;
use rootward_core::iam::features::{self, Features};

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn answer(
    ctx: &Ctx<'_>,
    f: fn(&Service, &Caller) -> Result<Features, CoreError>,
) -> Result<Option<Xml>, ApiError> {
    let out = f(ctx.svc, ctx.caller).map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("OrganizationId", &out.organization_id);
    x.open("EnabledFeatures");
    for f in &out.enabled {
        x.elem("member", f);
    }
    x.close("EnabledFeatures");
    Ok(Some(x))
}

pub(super) fn list_organizations_features(
    ctx: &Ctx<'_>,
    _: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    answer(ctx, features::list)
}

pub(super) fn enable_root_credentials_management(
    ctx: &Ctx<'_>,
    _: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    answer(ctx, features::enable_root_credentials_management)
}

pub(super) fn enable_root_sessions(ctx: &Ctx<'_>, _: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    answer(ctx, features::enable_root_sessions)
}

pub(super) fn disable_root_credentials_management(
    ctx: &Ctx<'_>,
    _: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    answer(ctx, features::disable_root_credentials_management)
}

pub(super) fn disable_root_sessions(ctx: &Ctx<'_>, _: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    answer(ctx, features::disable_root_sessions)
}
