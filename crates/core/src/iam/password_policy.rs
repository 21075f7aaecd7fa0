//! The account password policy: GetAccountPasswordPolicy,
//! UpdateAccountPasswordPolicy, DeleteAccountPasswordPolicy, and the check
//! every password set for an IAM user goes through.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, PasswordPolicy, Record, table};
use crate::service::Service;

/// The symbols a `RequireSymbols` policy accepts (IAM's list).
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

/// `UpdateAccountPasswordPolicy`'s parameters; `None` takes IAM's default.
#[derive(Debug, Clone, Default)]
pub struct Update {
    /// 6–128 (default 6).
    pub minimum_length: Option<i64>,
    /// Default false.
    pub require_symbols: Option<bool>,
    /// Default false.
    pub require_numbers: Option<bool>,
    /// Default false.
    pub require_uppercase: Option<bool>,
    /// Default false.
    pub require_lowercase: Option<bool>,
    /// Default false.
    pub allow_users_to_change: Option<bool>,
    /// 1–1095 (default: passwords do not expire).
    pub max_age: Option<i64>,
    /// 1–24 (default: no reuse prevention).
    pub reuse_prevention: Option<i64>,
    /// Default false.
    pub hard_expiry: Option<bool>,
}

/// A count the model bounds (`MinimumPasswordLength` 6–128,
/// `MaxPasswordAge` 1–1095, `PasswordReusePrevention` 1–24: checked on
/// decode) as stored.
fn count(value: i64) -> Result<u32, CoreError> {
    u32::try_from(value).map_err(|_| CoreError::Internal(format!("count {value} out of range")))
}

fn no_policy(account: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "The Password Policy with domain name {account} cannot be found."
    ))
}

fn account_arn(caller: &Caller) -> String {
    // IAM authorizes the account-level operations on `*`.
    let _ = caller;
    "*".to_owned()
}

/// `iam:GetAccountPasswordPolicy` (`NoSuchEntity` when none is set).
pub fn get(svc: &Service, caller: &Caller) -> Result<PasswordPolicy, CoreError> {
    svc.authorize(
        caller,
        "iam:GetAccountPasswordPolicy",
        &account_arn(caller),
        None,
        &[],
    )?;
    svc.read()
        .password_policies
        .get(&caller.account)
        .cloned()
        .ok_or_else(|| no_policy(&caller.account))
}

/// `iam:UpdateAccountPasswordPolicy`: sets the whole policy; every parameter
/// left out takes its default (as IAM does, not the previous value).
pub fn update(svc: &Service, caller: &Caller, u: &Update) -> Result<(), CoreError> {
    let policy = PasswordPolicy {
        account: caller.account.clone(),
        minimum_length: count(u.minimum_length.unwrap_or(6))?,
        require_symbols: u.require_symbols.unwrap_or(false),
        require_numbers: u.require_numbers.unwrap_or(false),
        require_uppercase: u.require_uppercase.unwrap_or(false),
        require_lowercase: u.require_lowercase.unwrap_or(false),
        allow_users_to_change: u.allow_users_to_change.unwrap_or(false),
        max_age: u.max_age.map(count).transpose()?,
        reuse_prevention: u.reuse_prevention.map(count).transpose()?,
        hard_expiry: u.hard_expiry.unwrap_or(false),
    };
    svc.authorize(
        caller,
        "iam:UpdateAccountPasswordPolicy",
        &account_arn(caller),
        None,
        &[],
    )?;
    svc.mutate(|_| Ok(((), vec![Change::Put(Record::PasswordPolicy(policy))])))
}

/// `iam:DeleteAccountPasswordPolicy` (`NoSuchEntity` when none is set).
pub fn delete(svc: &Service, caller: &Caller) -> Result<(), CoreError> {
    svc.authorize(
        caller,
        "iam:DeleteAccountPasswordPolicy",
        &account_arn(caller),
        None,
        &[],
    )?;
    svc.mutate(|state| {
        if !state.password_policies.contains_key(&caller.account) {
            return Err(no_policy(&caller.account));
        }
        Ok((
            (),
            vec![Change::Delete(
                table::PASSWORD_POLICIES,
                caller.account.clone(),
            )],
        ))
    })
}

/// Whether `password` satisfies `policy`.
pub fn satisfies(policy: &PasswordPolicy, password: &str) -> bool {
    let len = u32::try_from(password.chars().count()).unwrap_or(u32::MAX);
    len >= policy.minimum_length
        && (!policy.require_symbols || password.chars().any(|c| SYMBOLS.contains(c)))
        && (!policy.require_numbers || password.chars().any(|c| c.is_ascii_digit()))
        && (!policy.require_uppercase || password.chars().any(|c| c.is_ascii_uppercase()))
        && (!policy.require_lowercase || password.chars().any(|c| c.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> PasswordPolicy {
        PasswordPolicy {
            account: "111111111111".into(),
            minimum_length: 14,
            require_symbols: true,
            require_numbers: true,
            require_uppercase: true,
            require_lowercase: true,
            allow_users_to_change: true,
            max_age: Some(90),
            reuse_prevention: Some(24),
            hard_expiry: false,
        }
    }

    #[test]
    fn each_rule_of_the_policy_is_enforced() {
        let p = policy();
        assert!(satisfies(&p, "Correct-Horse-42"));
        assert!(!satisfies(&p, "Short-Horse-1"), "13 characters");
        assert!(!satisfies(&p, "CorrectHorse4242"), "no symbol");
        assert!(!satisfies(&p, "Correct-Horse-xx"), "no digit");
        assert!(!satisfies(&p, "correct-horse-42"), "no upper case");
        assert!(!satisfies(&p, "CORRECT-HORSE-42"), "no lower case");
        assert!(
            !satisfies(&p, "Correct~Horse~42"),
            "`~` is not one of IAM's symbols"
        );
    }
}
