//! CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
//! AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser, and the group's
//! inline and attached policies.

use rootward_core::clock::iso8601;
use rootward_core::iam::groups;
use rootward_core::model::Group;

use super::users::user_xml;
use super::{encode_document, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn group_xml(x: &mut Xml, g: &Group) {
    x.elem("Path", &g.path)
        .elem("GroupName", &g.name)
        .elem("GroupId", &g.id)
        .elem("Arn", &g.arn())
        .elem("CreateDate", &iso8601(g.created));
}

fn groups_xml(groups: Vec<Group>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (page, next) = super::paginate_by(groups, p, |g| g.name.to_ascii_lowercase())?;
    let mut x = Xml::new();
    x.open("Groups");
    for g in &page {
        x.open("member");
        group_xml(&mut x, g);
        x.close("member");
    }
    x.close("Groups");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn create_group(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let g = groups::create_group(ctx.svc, ctx.caller, p.required("GroupName")?, p.str("Path"))
        .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Group");
    group_xml(&mut x, &g);
    x.close("Group");
    Ok(Some(x))
}

pub(super) fn get_group(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (g, users) =
        groups::get_group(ctx.svc, ctx.caller, p.required("GroupName")?).map_err(from_core)?;
    let (page, next) = super::paginate_by(users, p, |u| u.name.to_ascii_lowercase())?;
    let mut x = Xml::new();
    x.open("Group");
    group_xml(&mut x, &g);
    x.close("Group").open("Users");
    for u in &page {
        x.open("member");
        user_xml(&mut x, u);
        x.close("member");
    }
    x.close("Users");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn list_groups(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let all = groups::list_groups(ctx.svc, ctx.caller, p.str("PathPrefix")).map_err(from_core)?;
    groups_xml(all, p)
}

pub(super) fn list_groups_for_user(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let all = groups::list_groups_for_user(ctx.svc, ctx.caller, p.required("UserName")?)
        .map_err(from_core)?;
    groups_xml(all, p)
}

pub(super) fn update_group(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    groups::update_group(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.str("NewGroupName"),
        p.str("NewPath"),
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_group(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    groups::delete_group(ctx.svc, ctx.caller, p.required("GroupName")?).map_err(from_core)?;
    Ok(None)
}

pub(super) fn add_user_to_group(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    groups::add_user_to_group(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.required("UserName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn remove_user_from_group(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    groups::remove_user_from_group(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.required("UserName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn put_group_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    groups::put_group_policy(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.required("PolicyName")?,
        p.required("PolicyDocument")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn get_group_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let group = p.required("GroupName")?;
    let name = p.required("PolicyName")?;
    let doc = groups::get_group_policy(ctx.svc, ctx.caller, group, name).map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("GroupName", group)
        .elem("PolicyName", name)
        .elem("PolicyDocument", &encode_document(&doc));
    Ok(Some(x))
}

pub(super) fn delete_group_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    groups::delete_group_policy(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.required("PolicyName")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_group_policies(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let names = groups::list_group_policies(ctx.svc, ctx.caller, p.required("GroupName")?)
        .map_err(from_core)?;
    policy_names_xml(names, p)
}

/// `PolicyNames` of the List*Policies operations.
pub(super) fn policy_names_xml(names: Vec<String>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (page, next) = super::paginate_by(names, p, Clone::clone)?;
    let mut x = Xml::new();
    x.open("PolicyNames");
    for n in &page {
        x.elem("member", n);
    }
    x.close("PolicyNames");
    truncation(&mut x, next);
    Ok(Some(x))
}

/// `AttachedPolicies` of the ListAttached*Policies operations.
pub(super) fn attached_xml(
    all: Vec<(String, String)>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
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
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn attach_group_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    groups::attach_group_policy(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn detach_group_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    groups::detach_group_policy(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.required("PolicyArn")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_attached_group_policies(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let all = groups::list_attached_group_policies(
        ctx.svc,
        ctx.caller,
        p.required("GroupName")?,
        p.str("PathPrefix"),
    )
    .map_err(from_core)?;
    attached_xml(all, p)
}
