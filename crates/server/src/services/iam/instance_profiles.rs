//! CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
//! ListInstanceProfilesForRole, AddRoleToInstanceProfile,
//! RemoveRoleFromInstanceProfile, DeleteInstanceProfile.

use rootward_core::clock::iso8601;
use rootward_core::iam::instance_profiles::{self, ProfileInfo};

use super::{tags_param, tags_xml, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn profile_xml(x: &mut Xml, i: &ProfileInfo) {
    let p = &i.profile;
    x.elem("Path", &p.path)
        .elem("InstanceProfileName", &p.name)
        .elem("InstanceProfileId", &p.id)
        .elem("Arn", &p.arn())
        .elem("CreateDate", &iso8601(p.created));
    x.open("Roles");
    for r in &i.roles {
        x.open("member");
        super::roles::role_xml(x, r);
        x.close("member");
    }
    x.close("Roles");
    tags_xml(x, &p.tags);
}

fn one(i: &ProfileInfo) -> Option<Xml> {
    let mut x = Xml::new();
    x.open("InstanceProfile");
    profile_xml(&mut x, i);
    x.close("InstanceProfile");
    Some(x)
}

fn many(all: Vec<ProfileInfo>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (page, next) = super::paginate_by(all, p, |i| i.profile.name.to_ascii_lowercase())?;
    let mut x = Xml::new();
    x.open("InstanceProfiles");
    for i in &page {
        x.open("member");
        profile_xml(&mut x, i);
        x.close("member");
    }
    x.close("InstanceProfiles");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn create_instance_profile(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let i = instance_profiles::create_instance_profile(
        ctx.svc,
        ctx.caller,
        p.required("InstanceProfileName")?,
        p.str("Path"),
        &tags_param(p, "Tags"),
    )
    .map_err(from_core)?;
    Ok(one(&i))
}

pub(super) fn get_instance_profile(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let i = instance_profiles::get_instance_profile(
        ctx.svc,
        ctx.caller,
        p.required("InstanceProfileName")?,
    )
    .map_err(from_core)?;
    Ok(one(&i))
}

pub(super) fn list_instance_profiles(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let all = instance_profiles::list_instance_profiles(ctx.svc, ctx.caller, p.str("PathPrefix"))
        .map_err(from_core)?;
    many(all, p)
}

pub(super) fn list_instance_profiles_for_role(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let all = instance_profiles::list_instance_profiles_for_role(
        ctx.svc,
        ctx.caller,
        p.required("RoleName")?,
    )
    .map_err(from_core)?;
    many(all, p)
}

pub(super) fn add_role_to_instance_profile(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    instance_profiles::add_role_to_instance_profile(
        ctx.svc,
        ctx.caller,
        p.required("InstanceProfileName")?,
        p.required("RoleName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn remove_role_from_instance_profile(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    instance_profiles::remove_role_from_instance_profile(
        ctx.svc,
        ctx.caller,
        p.required("InstanceProfileName")?,
        p.required("RoleName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_instance_profile(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    instance_profiles::delete_instance_profile(
        ctx.svc,
        ctx.caller,
        p.required("InstanceProfileName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}
