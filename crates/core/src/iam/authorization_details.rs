//! `GetAccountAuthorizationDetails`: every user, group, role and managed
//! policy of the account with their policies, in one (paged) answer.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Group, ManagedPolicy, Role, User};
use crate::service::Service;
use crate::state::State;

use super::instance_profiles::{ProfileInfo, profiles_of_role};
use super::managed::policy_owner;

/// `Filter` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Users.
    User,
    /// Roles.
    Role,
    /// Groups.
    Group,
    /// The account's own managed policies.
    LocalManagedPolicy,
    /// AWS managed policies in use in the account.
    AwsManagedPolicy,
}

/// A managed policy and its use in the account.
#[derive(Debug, Clone)]
pub struct PolicyDetail {
    /// The policy, with every version.
    pub policy: ManagedPolicy,
    /// Users, groups and roles it is attached to.
    pub attachment_count: usize,
    /// Users and roles it bounds.
    pub boundary_count: usize,
    /// Whether it may be attached.
    pub attachable: bool,
}

/// One entry of the answer, in IAM's order: users, groups, roles, policies.
#[derive(Debug, Clone)]
pub enum Detail {
    /// A user, its group names and the (name, ARN) of its attached policies.
    User(User, Vec<String>, Vec<(String, String)>),
    /// A group and its attached policies.
    Group(Group, Vec<(String, String)>),
    /// A role, its instance profiles and its attached policies.
    Role(Role, Vec<ProfileInfo>, Vec<(String, String)>),
    /// A managed policy.
    Policy(PolicyDetail),
}

fn attached(state: &State, arns: &[String]) -> Vec<(String, String)> {
    arns.iter()
        .map(|a| {
            let name = state
                .managed_policy_name(a)
                .map(|(n, _)| n.to_owned())
                .unwrap_or_default();
            (name, a.clone())
        })
        .collect()
}

fn profile_info(state: &State, p: &crate::model::InstanceProfile) -> ProfileInfo {
    ProfileInfo {
        profile: p.clone(),
        roles: p
            .roles
            .iter()
            .filter_map(|r| state.role(&p.account, r).cloned())
            .collect(),
    }
}

/// `iam:GetAccountAuthorizationDetails` (authorized on `*`). With no filter,
/// every kind. AWS managed policies are those attached to, or bounding, an
/// entity of the account.
pub fn get_account_authorization_details(
    svc: &Service,
    caller: &Caller,
    filter: &[Kind],
) -> Result<Vec<Detail>, CoreError> {
    svc.authorize(caller, "iam:GetAccountAuthorizationDetails", "*", None, &[])?;
    let want = |k: Kind| filter.is_empty() || filter.contains(&k);
    let state = svc.read();
    let account = caller.account.as_str();
    let mut out = Vec::new();
    if want(Kind::User) {
        for u in state.users_of(account) {
            let groups = state
                .groups_for_user(account, &u.name)
                .map(|g| g.name.clone())
                .collect();
            out.push(Detail::User(
                u.clone(),
                groups,
                attached(&state, &u.attached_policies),
            ));
        }
    }
    if want(Kind::Group) {
        for g in state.groups_of(account) {
            out.push(Detail::Group(
                g.clone(),
                attached(&state, &g.attached_policies),
            ));
        }
    }
    let prefix = format!("{account}/");
    if want(Kind::Role) {
        let roles = state
            .roles
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(_, r)| r);
        for r in roles {
            let profiles = profiles_of_role(&state, account, &r.name)
                .into_iter()
                .map(|p| profile_info(&state, p))
                .collect();
            out.push(Detail::Role(
                r.clone(),
                profiles,
                attached(&state, &r.attached_policies),
            ));
        }
    }
    if want(Kind::LocalManagedPolicy) || want(Kind::AwsManagedPolicy) {
        // Uses of every policy in the account, counted once.
        let mut uses: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        let entities = state
            .users_of(account)
            .map(|u| (&u.attached_policies, u.permissions_boundary.as_ref()))
            .chain(
                state
                    .roles
                    .range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .map(|(_, r)| (&r.attached_policies, r.permissions_boundary.as_ref())),
            )
            .chain(
                state
                    .groups_of(account)
                    .map(|g| (&g.attached_policies, None)),
            );
        for (a, b) in entities {
            for arn in a {
                uses.entry(arn.as_str()).or_default().0 += 1;
            }
            if let Some(b) = b {
                uses.entry(b.as_str()).or_default().1 += 1;
            }
        }
        let detail = |p: ManagedPolicy| {
            let (a, b) = uses.get(p.arn.as_str()).copied().unwrap_or_default();
            PolicyDetail {
                // As GetPolicy reports it (spec 05 §5.1).
                attachable: true,
                policy: p,
                attachment_count: a,
                boundary_count: b,
            }
        };
        let mut policies = Vec::new();
        if want(Kind::LocalManagedPolicy) {
            policies.extend(
                state
                    .policies
                    .values()
                    .filter(|p| policy_owner(&p.arn) == Some(account))
                    .cloned()
                    .map(&detail),
            );
        }
        if want(Kind::AwsManagedPolicy) {
            policies.extend(
                uses.keys()
                    .filter(|a| policy_owner(a) == Some("aws"))
                    .filter_map(|a| super::catalogue::get(a))
                    .map(|e| detail(e.to_managed())),
            );
        }
        policies.sort_by(|a, b| a.policy.arn.cmp(&b.policy.arn));
        out.extend(policies.into_iter().map(Detail::Policy));
    }
    Ok(out)
}
