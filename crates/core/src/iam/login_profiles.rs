//! Login profiles (console passwords) of IAM users: CreateLoginProfile,
//! GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile.
//!
//! The password is hashed with Argon2id (OWASP parameters: 19 MiB, 2 passes)
//! under a random 16-byte salt and kept only as the PHC string; the plaintext
//! is never stored or logged. Records are owned by a [`KeyOwner`], so the
//! account root user's profile (spec 02 §2.6) fits the same table; the root
//! flows themselves are not served yet.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rand::RngCore;

use crate::authz::{Caller, CallerKind};
use crate::error::CoreError;
use crate::model::{Change, KeyOwner, LoginProfile, Record, login_profile_key, table};
use crate::secret::Secret;
use crate::service::Service;

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_password(password: &str) -> Result<Secret, CoreError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| Secret::new(h.to_string()))
        .map_err(|e| CoreError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches a stored PHC string.
pub fn verify_password(hash: &Secret, password: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash.expose())
        .is_ok()
}

/// IAM's default password policy (no account password policy is modelled):
/// 8–128 characters with at least three of upper case, lower case, digits and
/// symbols.
pub fn check_password(password: &str) -> Result<(), CoreError> {
    let len = password.chars().count();
    if len == 0 || len > 128 {
        return Err(CoreError::Validation(
            "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length between 1 and 128".into(),
        ));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if len < 8 || classes < 3 {
        return Err(CoreError::PasswordPolicyViolation(
            "Password does not conform to the account password policy.".into(),
        ));
    }
    Ok(())
}

/// The user a request names (or the calling user), with its ARN, authorized.
fn target(
    svc: &Service,
    caller: &Caller,
    action: &str,
    user: Option<&str>,
) -> Result<String, CoreError> {
    let name = match (user, &caller.kind) {
        (Some(n), _) => n.to_owned(),
        (None, CallerKind::User { name }) => name.clone(),
        // Root profiles are created in an AssumeRoot session (spec 02 §2.6.2),
        // which the endpoint does not serve yet.
        (None, CallerKind::Root) => {
            return Err(CoreError::Validation(
                "When you make this request with root user credentials, you must use an AssumeRoot session to omit the user name.".into(),
            ));
        }
        (None, CallerKind::Role { .. }) => {
            return Err(CoreError::Validation(
                "Must specify userName when calling with non-User credentials".into(),
            ));
        }
    };
    let state = svc.read();
    let found = state.user(&caller.account, &name);
    let arn = found
        .map(|u| u.arn())
        .unwrap_or_else(|| format!("arn:aws:iam::{}:user/{name}", caller.account));
    let canonical = found.map(|u| u.name.clone());
    drop(state);
    svc.authorize(caller, action, &arn, None, &[])?;
    canonical.ok_or_else(|| {
        CoreError::NoSuchEntity(format!("The user with name {name} cannot be found."))
    })
}

fn no_such_profile(user: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("Login Profile for User {user} cannot be found."))
}

/// `iam:CreateLoginProfile`.
pub fn create_login_profile(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    password: Option<&str>,
    password_reset_required: bool,
) -> Result<(String, LoginProfile), CoreError> {
    let name = target(svc, caller, "iam:CreateLoginProfile", user)?;
    let password = password.ok_or_else(|| {
        CoreError::Validation(
            "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null".into(),
        )
    })?;
    check_password(password)?;
    // Hash outside the writer lock: it is slow on purpose.
    let hash = hash_password(password)?;
    let now = svc.now();
    svc.mutate(|state| {
        let owner = KeyOwner::User(name.clone());
        if state
            .login_profiles
            .contains_key(&login_profile_key(&caller.account, &owner))
        {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Login Profile for user {name} already exists."
            )));
        }
        if state.user(&caller.account, &name).is_none() {
            return Err(CoreError::NoSuchEntity(format!(
                "The user with name {name} cannot be found."
            )));
        }
        let profile = LoginProfile {
            account: caller.account.clone(),
            owner,
            password_hash: Some(hash),
            password_reset_required,
            created: now,
        };
        Ok((
            (name.clone(), profile.clone()),
            vec![Change::Put(Record::LoginProfile(profile))],
        ))
    })
}

/// `iam:GetLoginProfile`.
pub fn get_login_profile(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<(String, LoginProfile), CoreError> {
    let name = target(svc, caller, "iam:GetLoginProfile", user)?;
    let key = login_profile_key(&caller.account, &KeyOwner::User(name.clone()));
    let profile = svc
        .read()
        .login_profiles
        .get(&key)
        .cloned()
        .ok_or_else(|| no_such_profile(&name))?;
    Ok((name, profile))
}

/// `iam:UpdateLoginProfile`: a new password and/or the reset flag.
pub fn update_login_profile(
    svc: &Service,
    caller: &Caller,
    user: &str,
    password: Option<&str>,
    password_reset_required: Option<bool>,
) -> Result<(), CoreError> {
    let name = target(svc, caller, "iam:UpdateLoginProfile", Some(user))?;
    let hash = match password {
        Some(p) => {
            check_password(p)?;
            Some(hash_password(p)?)
        }
        None => None,
    };
    let key = login_profile_key(&caller.account, &KeyOwner::User(name.clone()));
    svc.mutate(|state| {
        let mut profile = state
            .login_profiles
            .get(&key)
            .cloned()
            .ok_or_else(|| no_such_profile(&name))?;
        if let Some(h) = hash {
            profile.password_hash = Some(h);
        }
        if let Some(r) = password_reset_required {
            profile.password_reset_required = r;
        }
        Ok(((), vec![Change::Put(Record::LoginProfile(profile))]))
    })
}

/// `iam:DeleteLoginProfile`.
pub fn delete_login_profile(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<(), CoreError> {
    let name = target(svc, caller, "iam:DeleteLoginProfile", user)?;
    let key = login_profile_key(&caller.account, &KeyOwner::User(name.clone()));
    svc.mutate(|state| {
        if !state.login_profiles.contains_key(&key) {
            return Err(no_such_profile(&name));
        }
        Ok(((), vec![Change::Delete(table::LOGIN_PROFILES, key.clone())]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_phc_strings_that_verify() {
        let a = hash_password("Correct-Horse-1").unwrap();
        let b = hash_password("Correct-Horse-1").unwrap();
        assert!(a.expose().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_ne!(a, b, "a fresh salt every time");
        assert!(!a.expose().contains("Correct-Horse-1"));
        assert!(verify_password(&a, "Correct-Horse-1"));
        assert!(!verify_password(&a, "Correct-Horse-2"));
        assert_eq!(format!("{a:?}"), "***");
    }

    #[test]
    fn default_password_policy() {
        assert!(check_password("Abcdef1!").is_ok());
        assert!(matches!(
            check_password("short1A"),
            Err(CoreError::PasswordPolicyViolation(_))
        ));
        assert!(matches!(
            check_password("alllowercase"),
            Err(CoreError::PasswordPolicyViolation(_))
        ));
        assert!(matches!(check_password(""), Err(CoreError::Validation(_))));
    }
}
