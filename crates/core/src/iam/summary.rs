//! `GetAccountSummary`: the account's IAM counts, root-credential flags and
//! quotas (spec 02 §2.6.4).

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{KeyOwner, login_profile_key};
use crate::service::Service;

use super::managed::policy_owner;

/// Quotas as a real account reported them in 2026 (spec 02 §2.6.4).
const QUOTAS: &[(&str, i64)] = &[
    ("AccessKeysPerUserQuota", 2),
    ("AssumeRolePolicySizeQuota", 2048),
    ("AttachedPoliciesPerGroupQuota", 10),
    ("AttachedPoliciesPerRoleQuota", 20),
    ("AttachedPoliciesPerUserQuota", 10),
    ("GlobalEndpointTokenVersion", 1),
    ("GroupPolicySizeQuota", 5120),
    ("GroupsPerUserQuota", 10),
    ("GroupsQuota", 300),
    ("InstanceProfilesQuota", 1000),
    ("PoliciesQuota", 1500),
    ("PolicySizeQuota", 6144),
    ("PolicyVersionsInUseQuota", 10000),
    ("RolePolicySizeQuota", 10240),
    ("RolesQuota", 1000),
    ("ServerCertificatesQuota", 20),
    ("SigningCertificatesPerUserQuota", 2),
    ("UserPolicySizeQuota", 2048),
    ("UsersQuota", 5000),
    ("VersionsPerPolicyQuota", 5),
];

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `iam:GetAccountSummary`: every `SummaryMap` key, in name order.
pub fn get_account_summary(
    svc: &Service,
    caller: &Caller,
) -> Result<Vec<(&'static str, i64)>, CoreError> {
    svc.authorize(caller, "iam:GetAccountSummary", "*", None, &[])?;
    let state = svc.read();
    let account = caller.account.as_str();
    let prefix = format!("{account}/");
    let users: Vec<_> = state.users_of(account).collect();
    let roles: Vec<_> = state
        .roles
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, r)| r)
        .collect();
    let groups: Vec<_> = state.groups_of(account).collect();
    let policies = state
        .policies
        .keys()
        .filter(|arn| policy_owner(arn) == Some(account))
        .count();
    // Managed-policy attachments in the account (each attached version is in use).
    let attachments = users
        .iter()
        .map(|u| u.attached_policies.len())
        .sum::<usize>()
        + roles
            .iter()
            .map(|r| r.attached_policies.len())
            .sum::<usize>()
        + groups
            .iter()
            .map(|g| g.attached_policies.len())
            .sum::<usize>();
    let root_keys = state
        .access_keys
        .values()
        .any(|k| k.account == account && k.owner == KeyOwner::Root);
    let root_password = state
        .login_profiles
        .contains_key(&login_profile_key(account, &KeyOwner::Root));
    let root_mfa = !state.mfa_devices_for(account, &KeyOwner::Root).is_empty();
    let root_certs = !state.certificates_for(account, &KeyOwner::Root).is_empty();
    let mfa_devices = state.mfa_devices_of(account).count();
    let mfa_in_use = state
        .mfa_devices_of(account)
        .filter(|d| d.owner.is_some())
        .count();
    let mut out: Vec<(&'static str, i64)> = vec![
        ("AccountAccessKeysPresent", i64::from(root_keys)),
        ("AccountMFAEnabled", i64::from(root_mfa)),
        ("AccountPasswordPresent", i64::from(root_password)),
        ("AccountSigningCertificatesPresent", i64::from(root_certs)),
        ("Groups", count(groups.len())),
        ("InstanceProfiles", 0),
        ("MFADevices", count(mfa_devices)),
        ("MFADevicesInUse", count(mfa_in_use)),
        ("Policies", count(policies)),
        ("PolicyVersionsInUse", count(attachments)),
        ("Providers", 0),
        ("Roles", count(roles.len())),
        ("ServerCertificates", 0),
        ("Users", count(users.len())),
    ];
    out.extend_from_slice(QUOTAS);
    out.sort_by_key(|(k, _)| *k);
    Ok(out)
}
