//! TagUser, UntagUser, ListUserTags and the same for roles, customer-managed
//! policies and instance profiles.

use rootward_core::iam::tags::{self, Taggable};

use super::{tags_param, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

/// The request member naming the resource.
fn id_member(what: Taggable) -> &'static str {
    match what {
        Taggable::User => "UserName",
        Taggable::Role => "RoleName",
        Taggable::Policy => "PolicyArn",
        Taggable::InstanceProfile => "InstanceProfileName",
        Taggable::MfaDevice => "SerialNumber",
        Taggable::OidcProvider => "OpenIDConnectProviderArn",
    }
}

fn tag(what: Taggable, ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let tags = tags_param(p, "Tags");
    if tags.is_empty() {
        return Err(p.missing("Tags"));
    }
    tags::tag(
        ctx.svc,
        ctx.caller,
        what,
        p.required(id_member(what))?,
        &tags,
    )
    .map_err(from_core)?;
    Ok(None)
}

fn untag(what: Taggable, ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let keys = p.list("TagKeys");
    if keys.is_empty() {
        return Err(p.missing("TagKeys"));
    }
    tags::untag(
        ctx.svc,
        ctx.caller,
        what,
        p.required(id_member(what))?,
        &keys,
    )
    .map_err(from_core)?;
    Ok(None)
}

fn list(what: Taggable, ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let all =
        tags::list(ctx.svc, ctx.caller, what, p.required(id_member(what))?).map_err(from_core)?;
    let (page, next) = super::paginate_by(all, p, |t| t.key.clone())?;
    let mut x = Xml::new();
    // `Tags` is required in the answer, even empty.
    x.open("Tags");
    for t in &page {
        x.open("member")
            .elem("Key", &t.key)
            .elem("Value", &t.value)
            .close("member");
    }
    x.close("Tags");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn tag_user(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    tag(Taggable::User, ctx, p)
}
pub(super) fn untag_user(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    untag(Taggable::User, ctx, p)
}
pub(super) fn list_user_tags(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    list(Taggable::User, ctx, p)
}
pub(super) fn tag_role(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    tag(Taggable::Role, ctx, p)
}
pub(super) fn untag_role(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    untag(Taggable::Role, ctx, p)
}
pub(super) fn list_role_tags(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    list(Taggable::Role, ctx, p)
}
pub(super) fn tag_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    tag(Taggable::Policy, ctx, p)
}
pub(super) fn untag_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    untag(Taggable::Policy, ctx, p)
}
pub(super) fn list_policy_tags(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    list(Taggable::Policy, ctx, p)
}
pub(super) fn tag_instance_profile(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    tag(Taggable::InstanceProfile, ctx, p)
}
pub(super) fn untag_instance_profile(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    untag(Taggable::InstanceProfile, ctx, p)
}
pub(super) fn list_instance_profile_tags(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    list(Taggable::InstanceProfile, ctx, p)
}
pub(super) fn tag_mfa_device(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    tag(Taggable::MfaDevice, ctx, p)
}
pub(super) fn untag_mfa_device(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    untag(Taggable::MfaDevice, ctx, p)
}
pub(super) fn list_mfa_device_tags(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    list(Taggable::MfaDevice, ctx, p)
}
pub(super) fn tag_open_id_connect_provider(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    tag(Taggable::OidcProvider, ctx, p)
}
pub(super) fn untag_open_id_connect_provider(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    untag(Taggable::OidcProvider, ctx, p)
}
pub(super) fn list_open_id_connect_provider_tags(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    list(Taggable::OidcProvider, ctx, p)
}
