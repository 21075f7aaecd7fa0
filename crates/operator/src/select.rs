//! Account selection: explicit accounts, every active account under OUs
//! (recursively), or every active account. The management account is never
//! a target. Also the organization's tree as the console shows it: each
//! member with its OU path.

use std::collections::HashSet;

use crate::aws::Aws;
use crate::error::sdk;

/// Which member accounts a job works on.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Member account ids.
    pub accounts: Vec<String>,
    /// Every active account under these OUs or roots, recursively.
    pub ous: Vec<String>,
    /// Every active account of the organization.
    pub all: bool,
}

/// A 12-digit account id.
pub fn account_id(s: &str) -> Result<String, String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}` is not a 12-digit account id"))
    }
}

/// A member account to work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Account id.
    pub id: String,
    /// Account name when the organization listed it.
    pub name: Option<String>,
}

/// The organization's id and management account.
#[derive(Debug, Clone)]
pub struct Org {
    /// `o-…`.
    pub id: String,
    /// The management account id.
    pub management: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
}

/// `DescribeOrganization`.
pub async fn organization(aws: &Aws) -> Result<Org, String> {
    let out = aws
        .org
        .describe_organization()
        .send()
        .await
        .map_err(|e| format!("cannot describe the organization: {}", sdk(e)))?;
    let o = out
        .organization()
        .ok_or("DescribeOrganization returned no organization")?;
    Ok(Org {
        id: o.id().unwrap_or_default().to_owned(),
        management: o.master_account_id().unwrap_or_default().to_owned(),
        feature_set: o
            .feature_set()
            .map(|f| f.as_str().to_owned())
            .unwrap_or_default(),
    })
}

/// Every active account of the organization, in listing order.
pub async fn all_accounts(aws: &Aws) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    let mut pages = aws.org.list_accounts().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| format!("cannot list the accounts: {}", sdk(e)))?;
        for a in page.accounts() {
            if is_active(a)
                && let Some(id) = a.id()
            {
                out.push(Target {
                    id: id.to_owned(),
                    name: a.name().map(str::to_owned),
                });
            }
        }
    }
    Ok(out)
}

fn is_active(a: &aws_sdk_organizations::types::Account) -> bool {
    // `State` replaces the deprecated `Status`; either may be present.
    #[allow(deprecated)]
    let status = a.status().map(|s| s.as_str().to_owned());
    let state = a.state().map(|s| s.as_str().to_owned());
    match (state, status) {
        (Some(s), _) => s == "ACTIVE",
        (None, Some(s)) => s == "ACTIVE",
        (None, None) => true,
    }
}

/// A member account with where it sits in the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Account id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// The id of its parent (root `r-…` or OU `ou-…`).
    pub parent_id: String,
    /// The names from the root down to its parent, e.g. `Root/Workloads/Prod`.
    pub ou_path: String,
}

/// An OU (or the root) with its path, for filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// `r-…` or `ou-…`.
    pub id: String,
    /// `Root/Workloads/Prod` (names, which may contain `/`: for display).
    pub path: String,
    /// The parent's id; `None` for a root.
    pub parent: Option<String>,
}

/// `parent` is `ou` or lies under it, following the parents' ids in
/// `units` (never the names: an OU may be called `Team/Evil`).
pub fn in_subtree(units: &[Unit], parent: &str, ou: &str) -> bool {
    let mut at = Some(parent);
    // A tree has no cycle; the bound keeps a malformed one from looping.
    for _ in 0..=units.len() {
        let Some(id) = at else { return false };
        if id == ou {
            return true;
        }
        at = units
            .iter()
            .find(|u| u.id == id)
            .and_then(|u| u.parent.as_deref());
    }
    false
}

/// Every active account of the organization with its OU path, and every OU,
/// walking the tree from the roots (`ListRoots`, then per parent
/// `ListOrganizationalUnitsForParent` and `ListAccountsForParent`).
pub async fn tree(aws: &Aws) -> Result<(Vec<Member>, Vec<Unit>), String> {
    let mut members = Vec::new();
    let mut units = Vec::new();
    let mut queue: Vec<Unit> = Vec::new();
    let mut pages = aws.org.list_roots().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| format!("cannot list the roots: {}", sdk(e)))?;
        for r in page.roots() {
            if let Some(id) = r.id() {
                queue.push(Unit {
                    id: id.to_owned(),
                    path: r.name().unwrap_or("Root").to_owned(),
                    parent: None,
                });
            }
        }
    }
    while let Some(unit) = queue.pop() {
        let mut pages = aws
            .org
            .list_accounts_for_parent()
            .parent_id(&unit.id)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| format!("cannot list the accounts of {}: {}", unit.id, sdk(e)))?;
            for a in page.accounts() {
                if is_active(a)
                    && let Some(id) = a.id()
                {
                    members.push(Member {
                        id: id.to_owned(),
                        name: a.name().unwrap_or_default().to_owned(),
                        parent_id: unit.id.clone(),
                        ou_path: unit.path.clone(),
                    });
                }
            }
        }
        let mut pages = aws
            .org
            .list_organizational_units_for_parent()
            .parent_id(&unit.id)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| format!("cannot list the OUs of {}: {}", unit.id, sdk(e)))?;
            for ou in page.organizational_units() {
                if let Some(id) = ou.id() {
                    queue.push(Unit {
                        id: id.to_owned(),
                        path: format!("{}/{}", unit.path, ou.name().unwrap_or(id)),
                        parent: Some(unit.id.clone()),
                    });
                }
            }
        }
        units.push(unit);
    }
    members.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    units.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((members, units))
}

/// Active accounts under `parent`, recursively through its OUs.
async fn under(aws: &Aws, parent: &str) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    let mut queue = vec![parent.to_owned()];
    while let Some(p) = queue.pop() {
        let mut pages = aws
            .org
            .list_accounts_for_parent()
            .parent_id(&p)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| format!("cannot list the accounts of {p}: {}", sdk(e)))?;
            for a in page.accounts() {
                if is_active(a)
                    && let Some(id) = a.id()
                {
                    out.push(Target {
                        id: id.to_owned(),
                        name: a.name().map(str::to_owned),
                    });
                }
            }
        }
        let mut pages = aws
            .org
            .list_organizational_units_for_parent()
            .parent_id(&p)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| format!("cannot list the OUs of {p}: {}", sdk(e)))?;
            for ou in page.organizational_units() {
                if let Some(id) = ou.id() {
                    queue.push(id.to_owned());
                }
            }
        }
    }
    Ok(out)
}

/// The selected accounts, each once, in the order given (explicit accounts
/// first). An explicit management account is a usage error; listed ones are
/// left out silently. Explicit ids are not checked against the organization:
/// an account outside it fails at AssumeRoot and is reported with its code.
pub async fn resolve(aws: &Aws, org: &Org, sel: &Selection) -> Result<Vec<Target>, String> {
    if sel.accounts.contains(&org.management) {
        return Err(format!(
            "{} is the management account, which is never a target of root sessions",
            org.management
        ));
    }
    let mut found: Vec<Target> = sel
        .accounts
        .iter()
        .map(|id| Target {
            id: id.clone(),
            name: None,
        })
        .collect();
    if sel.all {
        found.extend(all_accounts(aws).await?);
    }
    for ou in &sel.ous {
        found.extend(under(aws, ou).await?);
    }
    Ok(dedupe(found, &org.management))
}

/// Each account once (keeping a known name), never the management account.
fn dedupe(found: Vec<Target>, management: &str) -> Vec<Target> {
    let mut seen = HashSet::new();
    let mut out: Vec<Target> = Vec::new();
    for t in found {
        if t.id == management {
            continue;
        }
        if seen.insert(t.id.clone()) {
            out.push(t);
        } else if let Some(name) = t.name
            && let Some(prev) = out.iter_mut().find(|p| p.id == t.id && p.name.is_none())
        {
            prev.name = Some(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ou_filter_follows_ids_not_name_paths() {
        let u = |id: &str, path: &str, parent: Option<&str>| Unit {
            id: id.into(),
            path: path.into(),
            parent: parent.map(Into::into),
        };
        // `Team` and its sibling `Team/Evil` (a name with a slash), and a
        // real child of `Team`.
        let units = vec![
            u("r-1", "Root", None),
            u("ou-team", "Root/Team", Some("r-1")),
            u("ou-evil", "Root/Team/Evil", Some("r-1")),
            u("ou-child", "Root/Team/Child", Some("ou-team")),
        ];
        assert!(in_subtree(&units, "ou-team", "ou-team"));
        assert!(in_subtree(&units, "ou-child", "ou-team"));
        assert!(!in_subtree(&units, "ou-evil", "ou-team"));
        assert!(in_subtree(&units, "ou-evil", "r-1"));
        assert!(!in_subtree(&units, "r-1", "ou-team"));
        assert!(!in_subtree(&units, "ou-unknown", "ou-team"));
        // A cycle (never from AWS) ends.
        let cycle = vec![u("a", "A", Some("b")), u("b", "B", Some("a"))];
        assert!(!in_subtree(&cycle, "a", "c"));
    }

    fn t(id: &str, name: Option<&str>) -> Target {
        Target {
            id: id.into(),
            name: name.map(Into::into),
        }
    }

    #[test]
    fn dedupe_keeps_order_and_names_and_drops_the_management_account() {
        let out = dedupe(
            vec![
                t("222222222222", None),
                t("111111111111", Some("mgmt")),
                t("333333333333", Some("b")),
                t("222222222222", Some("a")),
            ],
            "111111111111",
        );
        assert_eq!(
            out,
            vec![t("222222222222", Some("a")), t("333333333333", Some("b"))]
        );
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(account_id("123456789012").is_ok());
        assert!(account_id("12345678901").is_err());
        assert!(account_id("12345678901x").is_err());
    }
}
