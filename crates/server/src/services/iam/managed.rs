//! CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, CreatePolicyVersion,
//! GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
//! SetDefaultPolicyVersion, ListEntitiesForPolicy.

use rootward_core::clock::iso8601;
use rootward_core::iam::managed::{self, EntityFilter, PolicyInfo, Scope, Usage, VersionInfo};

use super::{encode_document, paginate_by, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn usage(p: &Input<'_>) -> Result<Option<Usage>, ApiError> {
    p.one_of(
        "PolicyUsageFilter",
        &[
            ("PermissionsPolicy", Usage::PermissionsPolicy),
            ("PermissionsBoundary", Usage::PermissionsBoundary),
        ],
    )
}

/// `with_description`: GetPolicy and CreatePolicy report it, ListPolicies does not.
fn policy_xml(x: &mut Xml, i: &PolicyInfo, with_description: bool) {
    let p = i;
    x.elem("PolicyName", &p.name)
        .elem("PolicyId", &p.id)
        .elem("Arn", &p.arn)
        .elem("Path", &p.path)
        .elem("DefaultVersionId", &p.default_version)
        .elem("AttachmentCount", &i.attachment_count.to_string())
        .elem(
            "PermissionsBoundaryUsageCount",
            &i.boundary_count.to_string(),
        )
        .elem("IsAttachable", if i.attachable { "true" } else { "false" });
    if with_description {
        x.opt("Description", p.description.as_deref());
    }
    x.elem("CreateDate", &iso8601(p.created))
        .elem("UpdateDate", &iso8601(p.updated));
    if with_description {
        super::tags_xml(x, &p.tags);
    }
}

fn version_xml(x: &mut Xml, v: &VersionInfo, with_document: bool) {
    if with_document {
        x.elem("Document", &encode_document(&v.version.document));
    }
    x.elem("VersionId", &v.id)
        .elem(
            "IsDefaultVersion",
            if v.is_default { "true" } else { "false" },
        )
        .elem("CreateDate", &iso8601(v.version.created));
}

pub(super) fn create_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let i = managed::create_policy_tagged(
        ctx.svc,
        ctx.caller,
        p.required("PolicyName")?,
        p.str("Path"),
        p.required("PolicyDocument")?,
        p.str("Description"),
        &super::tags_param(p, "Tags"),
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Policy");
    policy_xml(&mut x, &i, true);
    x.close("Policy");
    Ok(Some(x))
}

pub(super) fn get_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let i =
        managed::get_policy(ctx.svc, ctx.caller, p.required("PolicyArn")?).map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Policy");
    policy_xml(&mut x, &i, true);
    x.close("Policy");
    Ok(Some(x))
}

pub(super) fn delete_policy(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    managed::delete_policy(ctx.svc, ctx.caller, p.required("PolicyArn")?).map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_policies(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let scope = p
        .one_of(
            "Scope",
            &[
                ("All", Scope::All),
                ("AWS", Scope::Aws),
                ("Local", Scope::Local),
            ],
        )?
        .unwrap_or(Scope::All);
    let filter = managed::ListPolicies {
        scope,
        only_attached: p.bool("OnlyAttached")?.unwrap_or(false),
        path_prefix: p.str("PathPrefix"),
        usage: usage(p)?,
    };
    let all = managed::list_policies(ctx.svc, ctx.caller, &filter).map_err(from_core)?;
    let (page, next) = super::paginate_by(all, p, |i| i.arn.clone())?;
    let mut x = Xml::new();
    x.open("Policies");
    for i in &page {
        x.open("member");
        policy_xml(&mut x, i, false);
        x.close("member");
    }
    x.close("Policies");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn create_policy_version(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let v = managed::create_policy_version(
        ctx.svc,
        ctx.caller,
        p.required("PolicyArn")?,
        p.required("PolicyDocument")?,
        p.bool("SetAsDefault")?.unwrap_or(false),
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("PolicyVersion");
    version_xml(&mut x, &v, false);
    x.close("PolicyVersion");
    Ok(Some(x))
}

pub(super) fn get_policy_version(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let v = managed::get_policy_version(
        ctx.svc,
        ctx.caller,
        p.required("PolicyArn")?,
        p.required("VersionId")?,
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("PolicyVersion");
    version_xml(&mut x, &v, true);
    x.close("PolicyVersion");
    Ok(Some(x))
}

pub(super) fn list_policy_versions(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let all = managed::list_policy_versions(ctx.svc, ctx.caller, p.required("PolicyArn")?)
        .map_err(from_core)?;
    let (page, next) = paginate_by(all, p, |v| v.id.clone())?;
    let mut x = Xml::new();
    x.open("Versions");
    for v in &page {
        x.open("member");
        version_xml(&mut x, v, false);
        x.close("member");
    }
    x.close("Versions");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn delete_policy_version(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    managed::delete_policy_version(
        ctx.svc,
        ctx.caller,
        p.required("PolicyArn")?,
        p.required("VersionId")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn set_default_policy_version(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    managed::set_default_policy_version(
        ctx.svc,
        ctx.caller,
        p.required("PolicyArn")?,
        p.required("VersionId")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_entities_for_policy(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let filter = p
        .one_of(
            "EntityFilter",
            &[
                ("User", Some(EntityFilter::User)),
                ("Role", Some(EntityFilter::Role)),
                ("Group", Some(EntityFilter::Group)),
                ("LocalManagedPolicy", None),
                ("AWSManagedPolicy", None),
            ],
        )?
        .flatten();
    let e = managed::list_entities_for_policy(
        ctx.svc,
        ctx.caller,
        p.required("PolicyArn")?,
        filter,
        p.str("PathPrefix"),
        usage(p)?,
    )
    .map_err(from_core)?;
    // One page over groups, then users, then roles.
    let all: Vec<(&str, &(String, String))> = e
        .groups
        .iter()
        .map(|g| ("Group", g))
        .chain(e.users.iter().map(|u| ("User", u)))
        .chain(e.roles.iter().map(|r| ("Role", r)))
        .collect();
    // Keyed by kind and name (in that order), so that a clean-up detaching
    // each page's entities before the next page misses none.
    let (page, next) = super::paginate_by(all, p, |(kind, (name, _))| {
        let rank = match *kind {
            "Group" => 0,
            "User" => 1,
            _ => 2,
        };
        format!("{rank}:{name}")
    })?;
    let mut x = Xml::new();
    for kind in ["Group", "User", "Role"] {
        x.open(&format!("Policy{kind}s"));
        for (_, (name, id)) in page.iter().filter(|(k, _)| *k == kind) {
            x.open("member")
                .elem(&format!("{kind}Name"), name)
                .elem(&format!("{kind}Id"), id)
                .close("member");
        }
        x.close(&format!("Policy{kind}s"));
    }
    truncation(&mut x, next);
    Ok(Some(x))
}
