//! GetAccountAuthorizationDetails: one page over users, groups, roles and
//! policies, in that order, documents URL-encoded as IAM sends them.

use std::collections::BTreeMap;

use rootward_core::clock::iso8601;
use rootward_core::iam::authorization_details::{self, Detail, Kind};

use super::{encode_document, paginate_by, tags_xml, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn inline_xml(x: &mut Xml, element: &str, policies: &BTreeMap<String, String>) {
    x.open(element);
    for (name, doc) in policies {
        x.open("member")
            .elem("PolicyName", name)
            .elem("PolicyDocument", &encode_document(doc))
            .close("member");
    }
    x.close(element);
}

fn attached_xml(x: &mut Xml, attached: &[(String, String)]) {
    x.open("AttachedManagedPolicies");
    for (name, arn) in attached {
        x.open("member")
            .elem("PolicyName", name)
            .elem("PolicyArn", arn)
            .close("member");
    }
    x.close("AttachedManagedPolicies");
}

fn boundary_xml(x: &mut Xml, boundary: Option<&String>) {
    if let Some(b) = boundary {
        x.open("PermissionsBoundary")
            .elem("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
            .elem("PermissionsBoundaryArn", b)
            .close("PermissionsBoundary");
    }
}

fn b(v: bool) -> &'static str {
    if v { "true" } else { "false" }
}

/// The key [`paginate_by`] resumes by: the entity's kind and
/// (case-insensitive) name, a policy's ARN.
fn detail_key(d: &Detail) -> String {
    match d {
        Detail::User(u, ..) => format!("user/{}", u.name.to_ascii_lowercase()),
        Detail::Group(g, _) => format!("group/{}", g.name.to_ascii_lowercase()),
        Detail::Role(r, ..) => format!("role/{}", r.name.to_ascii_lowercase()),
        Detail::Policy(pd) => pd.policy.arn.clone(),
    }
}

pub(super) fn get_account_authorization_details(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let mut filter = Vec::new();
    // The model's enum (`EntityType`) has been checked: every value maps.
    for f in p.list("Filter") {
        filter.extend(match f {
            "User" => Some(Kind::User),
            "Role" => Some(Kind::Role),
            "Group" => Some(Kind::Group),
            "LocalManagedPolicy" => Some(Kind::LocalManagedPolicy),
            "AWSManagedPolicy" => Some(Kind::AwsManagedPolicy),
            _ => None,
        });
    }
    let all =
        authorization_details::get_account_authorization_details(ctx.svc, ctx.caller, &filter)
            .map_err(from_core)?;
    let (page, next) = paginate_by(all, p, detail_key)?;
    let mut x = Xml::new();
    x.open("UserDetailList");
    for d in &page {
        if let Detail::User(u, groups, attached) = d {
            x.open("member")
                .elem("Path", &u.path)
                .elem("UserName", &u.name)
                .elem("UserId", &u.id)
                .elem("Arn", &u.arn())
                .elem("CreateDate", &iso8601(u.created));
            inline_xml(&mut x, "UserPolicyList", &u.inline_policies);
            x.open("GroupList");
            for g in groups {
                x.elem("member", g);
            }
            x.close("GroupList");
            attached_xml(&mut x, attached);
            boundary_xml(&mut x, u.permissions_boundary.as_ref());
            tags_xml(&mut x, &u.tags);
            x.close("member");
        }
    }
    x.close("UserDetailList");
    x.open("GroupDetailList");
    for d in &page {
        if let Detail::Group(g, attached) = d {
            x.open("member")
                .elem("Path", &g.path)
                .elem("GroupName", &g.name)
                .elem("GroupId", &g.id)
                .elem("Arn", &g.arn())
                .elem("CreateDate", &iso8601(g.created));
            inline_xml(&mut x, "GroupPolicyList", &g.inline_policies);
            attached_xml(&mut x, attached);
            x.close("member");
        }
    }
    x.close("GroupDetailList");
    x.open("RoleDetailList");
    for d in &page {
        if let Detail::Role(r, profiles, attached) = d {
            x.open("member")
                .elem("Path", &r.path)
                .elem("RoleName", &r.name)
                .elem("RoleId", &r.id)
                .elem("Arn", &r.arn())
                .elem("CreateDate", &iso8601(r.created))
                .elem(
                    "AssumeRolePolicyDocument",
                    &encode_document(&r.trust_policy),
                );
            x.open("InstanceProfileList");
            for i in profiles {
                x.open("member");
                super::instance_profiles::profile_xml(&mut x, i);
                x.close("member");
            }
            x.close("InstanceProfileList");
            inline_xml(&mut x, "RolePolicyList", &r.inline_policies);
            attached_xml(&mut x, attached);
            boundary_xml(&mut x, r.permissions_boundary.as_ref());
            tags_xml(&mut x, &r.tags);
            x.open("RoleLastUsed").close("RoleLastUsed");
            x.close("member");
        }
    }
    x.close("RoleDetailList");
    x.open("Policies");
    for d in &page {
        if let Detail::Policy(pd) = d {
            let m = &pd.policy;
            x.open("member")
                .elem("PolicyName", &m.name)
                .elem("PolicyId", &m.id)
                .elem("Arn", &m.arn)
                .elem("Path", &m.path)
                .elem("DefaultVersionId", &m.default_version)
                .elem("AttachmentCount", &pd.attachment_count.to_string())
                .elem(
                    "PermissionsBoundaryUsageCount",
                    &pd.boundary_count.to_string(),
                )
                .elem("IsAttachable", b(pd.attachable))
                .opt("Description", m.description.as_deref())
                .elem("CreateDate", &iso8601(m.created))
                .elem("UpdateDate", &iso8601(m.updated));
            x.open("PolicyVersionList");
            let mut versions: Vec<_> = m.versions.iter().collect();
            versions.sort_by_key(|(id, _)| {
                std::cmp::Reverse(rootward_core::iam::managed::version_number(id))
            });
            for (id, v) in versions {
                x.open("member")
                    .elem("Document", &encode_document(&v.document))
                    .elem("VersionId", id)
                    .elem("IsDefaultVersion", b(*id == m.default_version))
                    .elem("CreateDate", &iso8601(v.created))
                    .close("member");
            }
            x.close("PolicyVersionList");
            x.close("member");
        }
    }
    x.close("Policies");
    truncation(&mut x, next);
    Ok(Some(x))
}
