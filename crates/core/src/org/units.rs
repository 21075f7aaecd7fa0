//! Organizational units and the tree: create, describe, rename, delete, and the
//! parent/child listings.

use super::accounts::is_parent;
use super::model::{OrgUnit, Organization};
use super::organization::default_scp;
use super::{
    OrgError, Page, PageRequest, as_management, as_reader, authorize, check_id, constraint, err,
    id_body, invalid, page_by,
};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;
use crate::state::State;

/// The deepest an OU may sit below the root.
pub const MAX_DEPTH: usize = 5;

/// An OU as Organizations describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OuInfo {
    /// `ou-…`.
    pub id: String,
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// `o-…/r-…/ou-…/…/`.
    pub path: String,
}

fn ou_info(state: &State, org: &Organization, u: &OrgUnit) -> OuInfo {
    let path: String = state
        .org
        .path_of(&u.id)
        .iter()
        .map(|t| format!("{t}/"))
        .collect();
    OuInfo {
        id: u.id.clone(),
        arn: org.ou_arn(&u.id),
        name: u.name.clone(),
        path: format!("{}/{path}", org.id),
    }
}

/// Checks a parent id (`r-…` or `ou-…`).
pub fn check_parent_id(id: &str) -> Result<(), CoreError> {
    if id.starts_with("r-") {
        check_id("parentId", id, "r-")
    } else {
        check_id("parentId", id, "ou-")
    }
}

/// `ParentNotFoundException`.
pub fn parent_not_found() -> CoreError {
    err(
        OrgError::ParentNotFound,
        "We can't find a root or OU with the ParentId that you specified.",
    )
}

fn ou_not_found() -> CoreError {
    err(
        OrgError::OrganizationalUnitNotFound,
        "We can't find an OU with the OrganizationalUnitId that you specified.",
    )
}

fn check_name(name: &str) -> Result<(), CoreError> {
    if name.is_empty() || name.chars().count() > 128 {
        return Err(invalid(
            "MAX_LENGTH_EXCEEDED",
            "You specified an invalid value for name: it must have 1 to 128 characters.",
        ));
    }
    Ok(())
}

fn unit<'a>(state: &'a State, org: &Organization, id: &str) -> Result<&'a OrgUnit, CoreError> {
    state
        .org
        .units
        .get(id)
        .filter(|u| u.org == org.id)
        .ok_or_else(ou_not_found)
}

fn duplicate_name(
    state: &State,
    org: &Organization,
    parent: &str,
    name: &str,
    except: Option<&str>,
) -> bool {
    state.org.units.values().any(|u| {
        u.org == org.id && u.parent == parent && u.name == name && Some(u.id.as_str()) != except
    })
}

/// `organizations:CreateOrganizationalUnit`.
pub fn create_ou(
    svc: &Service,
    caller: &Caller,
    parent: &str,
    name: &str,
) -> Result<OuInfo, CoreError> {
    check_parent_id(parent)?;
    check_name(name)?;
    authorize(svc, caller, "CreateOrganizationalUnit", "*")?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        if !is_parent(state, org, parent) {
            return Err(parent_not_found());
        }
        // The path of the parent holds the root and the OUs above the new one.
        if state.org.path_of(parent).len() > MAX_DEPTH {
            return Err(constraint(
                "OU_DEPTH_LIMIT_EXCEEDED",
                "You have exceeded the maximum depth of OUs in your organization (5).",
            ));
        }
        if duplicate_name(state, org, parent, name, None) {
            return Err(err(
                OrgError::DuplicateOrganizationalUnit,
                "An OU with the same name already exists.",
            ));
        }
        let suffix = org.root_id.trim_start_matches("r-");
        let mut id = format!("ou-{suffix}-{}", id_body(8));
        while state.org.units.contains_key(&id) {
            id = format!("ou-{suffix}-{}", id_body(8));
        }
        let u = OrgUnit {
            id: id.clone(),
            org: org.id.clone(),
            parent: parent.to_owned(),
            name: name.to_owned(),
        };
        let mut info = ou_info(state, org, &u);
        // `path_of` cannot see the unit yet: its path is the parent's plus itself.
        let parent_path: String = state
            .org
            .path_of(parent)
            .iter()
            .map(|t| format!("{t}/"))
            .collect();
        info.path = format!("{}/{parent_path}{id}/", org.id);
        let mut changes = vec![Change::Put(Record::OrgUnit(u))];
        changes.extend(default_scp(org, &id));
        Ok((info, changes))
    })
}

/// `organizations:DescribeOrganizationalUnit`.
pub fn describe_ou(svc: &Service, caller: &Caller, id: &str) -> Result<OuInfo, CoreError> {
    check_id("organizationalUnitId", id, "ou-")?;
    authorize(svc, caller, "DescribeOrganizationalUnit", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    let u = unit(&state, org, id)?;
    Ok(ou_info(&state, org, u))
}

/// `organizations:UpdateOrganizationalUnit` (rename).
pub fn update_ou(
    svc: &Service,
    caller: &Caller,
    id: &str,
    name: Option<&str>,
) -> Result<OuInfo, CoreError> {
    check_id("organizationalUnitId", id, "ou-")?;
    if let Some(n) = name {
        check_name(n)?;
    }
    authorize(svc, caller, "UpdateOrganizationalUnit", "*")?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        let mut u = unit(state, org, id)?.clone();
        if let Some(n) = name {
            if duplicate_name(state, org, &u.parent, n, Some(id)) {
                return Err(err(
                    OrgError::DuplicateOrganizationalUnit,
                    "An OU with the same name already exists.",
                ));
            }
            u.name = n.to_owned();
        }
        let info = ou_info(state, org, &u);
        Ok((info, vec![Change::Put(Record::OrgUnit(u))]))
    })
}

/// `organizations:DeleteOrganizationalUnit` (only an empty OU).
pub fn delete_ou(svc: &Service, caller: &Caller, id: &str) -> Result<(), CoreError> {
    check_id("organizationalUnitId", id, "ou-")?;
    authorize(svc, caller, "DeleteOrganizationalUnit", "*")?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        unit(state, org, id)?;
        let s = &state.org;
        if s.members.values().any(|m| m.parent == id) || s.units.values().any(|u| u.parent == id) {
            return Err(err(
                OrgError::OrganizationalUnitNotEmpty,
                "You can't delete an OU that contains accounts or child OUs.",
            ));
        }
        let mut changes = vec![Change::Delete(table::ORG_UNITS, id.to_owned())];
        if s.tags.contains_key(id) {
            changes.push(Change::Delete(table::ORG_TAGS, id.to_owned()));
        }
        changes.extend(
            s.attached_to(&org.id, id)
                .map(|a| Change::Delete(table::ORG_ATTACHMENTS, a.key())),
        );
        Ok(((), changes))
    })
}

/// `organizations:ListOrganizationalUnitsForParent`.
pub fn list_ous_for_parent(
    svc: &Service,
    caller: &Caller,
    parent: &str,
    req: PageRequest<'_>,
) -> Result<Page<OuInfo>, CoreError> {
    check_parent_id(parent)?;
    authorize(svc, caller, "ListOrganizationalUnitsForParent", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    if !is_parent(&state, org, parent) {
        return Err(parent_not_found());
    }
    Ok(page_by(
        state
            .org
            .units
            .values()
            .filter(|u| u.org == org.id && u.parent == parent),
        req,
        |u| u.id.clone(),
    )?
    .map(|u| ou_info(&state, org, u)))
}

/// A child or parent: its id and `ACCOUNT` / `ORGANIZATIONAL_UNIT` / `ROOT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Id.
    pub id: String,
    /// Type.
    pub kind: &'static str,
}

/// `organizations:ListChildren`.
pub fn list_children(
    svc: &Service,
    caller: &Caller,
    parent: &str,
    child_type: &str,
    req: PageRequest<'_>,
) -> Result<Page<Node>, CoreError> {
    check_parent_id(parent)?;
    if !matches!(child_type, "ACCOUNT" | "ORGANIZATIONAL_UNIT") {
        return Err(invalid(
            "INVALID_ENUM",
            "You specified an invalid value for childType.",
        ));
    }
    authorize(svc, caller, "ListChildren", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    if !is_parent(&state, org, parent) {
        return Err(parent_not_found());
    }
    let s = &state.org;
    if child_type == "ACCOUNT" {
        page_by(
            s.members
                .values()
                .filter(|m| m.org == org.id && m.parent == parent)
                .map(|m| Node {
                    id: m.account.clone(),
                    kind: "ACCOUNT",
                }),
            req,
            |n| n.id.clone(),
        )
    } else {
        page_by(
            s.units
                .values()
                .filter(|u| u.org == org.id && u.parent == parent)
                .map(|u| Node {
                    id: u.id.clone(),
                    kind: "ORGANIZATIONAL_UNIT",
                }),
            req,
            |n| n.id.clone(),
        )
    }
}

/// `organizations:ListParents` (always one parent).
pub fn list_parents(svc: &Service, caller: &Caller, child: &str) -> Result<Vec<Node>, CoreError> {
    let valid = child.len() == 12 && child.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        check_id("childId", child, "ou-")?;
    }
    authorize(svc, caller, "ListParents", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    let s = &state.org;
    let parent = s
        .members
        .get(child)
        .filter(|m| m.org == org.id)
        .map(|m| m.parent.clone())
        .or_else(|| s.units.get(child).filter(|u| u.org == org.id).map(|u| u.parent.clone()))
        .ok_or_else(|| {
            err(OrgError::ChildNotFound, "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
            )
        })?;
    let kind = if parent.starts_with("r-") {
        "ROOT"
    } else {
        "ORGANIZATIONAL_UNIT"
    };
    Ok(vec![Node { id: parent, kind }])
}
