//! IAM: users, groups, roles, access keys, login profiles, MFA devices,
//! signing certificates, policies, account summary, credential report,
//! simulation. One file per AWS noun.

pub mod access_keys;
pub mod account_alias;
pub mod authorization_details;
pub mod builtin;
pub mod catalogue;
pub mod credential_report;
pub mod features;
pub mod groups;
pub mod instance_profiles;
pub mod last_accessed;
pub mod login_profiles;
pub mod managed;
pub mod mfa;
pub mod model;
pub mod oidc_providers;
pub mod password_policy;
pub mod policies;
pub mod providers;
pub mod roles;
pub mod service_linked_roles;
pub mod signing_certificates;
pub mod simulate;
pub mod summary;
pub mod tags;
pub mod target;
pub mod users;

use rootward_model::Rule;

use crate::error::{CoreError, constraint};

/// IAM's name rule for users, groups, roles and policies: 1–64 (128 for
/// policies) characters of `[\w+=,.@-]`.
pub fn check_name(what: &str, name: &str, max: usize) -> Result<(), CoreError> {
    let ok = !name.is_empty()
        && name.chars().count() <= max
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(constraint(what, Some(name), Rule::Pattern("[\\w+=,.@-]+")))
    }
}

/// IAM's path rule: `/` or `/…/`.
pub fn check_path(path: &str) -> Result<(), CoreError> {
    if path.starts_with('/') && path.ends_with('/') && path.len() <= 512 {
        Ok(())
    } else {
        Err(constraint(
            "path",
            Some(path),
            Rule::Pattern("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"),
        ))
    }
}
