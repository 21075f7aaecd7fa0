//! Login profiles (console passwords) of IAM users and of the root user:
//! CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile,
//! and an IAM user's own ChangePassword.
//!
//! The password is hashed with Argon2id (OWASP parameters: 19 MiB, 2 passes)
//! under a random 16-byte salt and kept only as the PHC string; the plaintext
//! is never stored or logged. Records are owned by a [`KeyOwner`], so the
//! account root user's profile (spec 02 §2.6) lives in the same table; in an
//! AssumeRoot session the operations act on it when `UserName` is omitted.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rand::RngCore;

use super::target::{RootRule, resolve};
use crate::authz::{Caller, CallerKind};
use rootward_model::Rule;

use crate::error::{CoreError, constraint};
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

/// Checks a password for an IAM user of `account`: against the account's
/// password policy when it has one, else IAM's default rules
/// ([`check_password`]).
pub fn check_password_for(svc: &Service, account: &str, password: &str) -> Result<(), CoreError> {
    let policy = svc.read().password_policies.get(account).cloned();
    match policy {
        None => check_password(password),
        Some(p) => {
            let len = password.chars().count();
            if len == 0 || len > 128 {
                return check_password(password);
            }
            if super::password_policy::satisfies(&p, password) {
                Ok(())
            } else {
                Err(CoreError::PasswordPolicyViolation(
                    "Password does not conform to the account password policy.".into(),
                ))
            }
        }
    }
}

/// IAM's default password policy (when the account has none): 8–128
/// characters with at least three of upper case, lower case, digits and
/// symbols.
pub fn check_password(password: &str) -> Result<(), CoreError> {
    let len = password.chars().count();
    if len == 0 || len > 128 {
        // Beyond the model where the console sets root passwords.
        return Err(constraint("password", None, Rule::LengthBetween(1, 128)));
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

/// The principal a request names (a user, the calling user, or in an
/// AssumeRoot session the account's root user), authorized for `action`.
fn target(
    svc: &Service,
    caller: &Caller,
    action: &str,
    user: Option<&str>,
) -> Result<KeyOwner, CoreError> {
    let t = resolve(svc, caller, user, RootRule::AssumeRootOnly)?;
    t.authorize(svc, caller, action)?;
    Ok(t.owner)
}

/// The user name a profile answer shows (`None` for the root user).
fn shown(owner: &KeyOwner) -> Option<String> {
    match owner {
        KeyOwner::User(n) => Some(n.clone()),
        KeyOwner::Root => None,
    }
}

fn no_such_profile(owner: &KeyOwner) -> CoreError {
    // The root user has no name: AWS says `null` ([live]).
    let user = match owner {
        KeyOwner::User(n) => n.as_str(),
        KeyOwner::Root => "null",
    };
    CoreError::NoSuchEntity(format!("Login Profile for User {user} cannot be found."))
}

/// `iam:CreateLoginProfile`. In an AssumeRoot session, without `UserName`
/// and without `Password`, it creates the root user's profile with no
/// password: password recovery becomes possible for the root e-mail's owner
/// (spec 02 §2.6.3).
pub fn create_login_profile(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    password: Option<&str>,
    password_reset_required: bool,
) -> Result<(Option<String>, LoginProfile), CoreError> {
    let owner = target(svc, caller, "iam:CreateLoginProfile", user)?;
    let hash = match (&owner, password) {
        (KeyOwner::Root, None) => None,
        // UNCONFIRMED (spec 02 §2.6.3): the recommended ValidationError.
        (KeyOwner::Root, Some(_)) => {
            return Err(CoreError::Validation(
                "A password cannot be specified when creating the root user's login profile in an AssumeRoot session.".into(),
            ));
        }
        (KeyOwner::User(_), None) => {
            // The model leaves `Password` optional (a root login profile
            // takes none); a user's needs one.
            return Err(constraint("password", None, Rule::NotNull));
        }
        (KeyOwner::User(_), Some(p)) => {
            check_password_for(svc, &caller.account, p)?;
            // Hash outside the writer lock: it is slow on purpose.
            Some(hash_password(p)?)
        }
    };
    let now = svc.now();
    svc.mutate(|state| {
        let key = login_profile_key(&caller.account, &owner);
        if state.login_profiles.contains_key(&key) {
            return Err(CoreError::EntityAlreadyExists(match &owner {
                KeyOwner::User(n) => format!("Login Profile for user {n} already exists."),
                KeyOwner::Root => format!(
                    "Login Profile for account {} already exists.",
                    caller.account
                ),
            }));
        }
        if let KeyOwner::User(n) = &owner
            && state.user(&caller.account, n).is_none()
        {
            return Err(CoreError::NoSuchEntity(format!(
                "The user with name {n} cannot be found."
            )));
        }
        let root = owner == KeyOwner::Root;
        let profile = LoginProfile {
            account: caller.account.clone(),
            owner: owner.clone(),
            password_hash: hash,
            password_reset_required: password_reset_required && !root,
            created: now,
        };
        Ok((
            (shown(&owner), profile.clone()),
            vec![Change::Put(Record::LoginProfile(profile))],
        ))
    })
}

/// `iam:GetLoginProfile`.
pub fn get_login_profile(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<(Option<String>, LoginProfile), CoreError> {
    let owner = target(svc, caller, "iam:GetLoginProfile", user)?;
    let key = login_profile_key(&caller.account, &owner);
    let profile = svc
        .read()
        .login_profiles
        .get(&key)
        .cloned()
        .ok_or_else(|| no_such_profile(&owner))?;
    Ok((shown(&owner), profile))
}

/// `iam:UpdateLoginProfile`: a new password and/or the reset flag.
pub fn update_login_profile(
    svc: &Service,
    caller: &Caller,
    user: &str,
    password: Option<&str>,
    password_reset_required: Option<bool>,
) -> Result<(), CoreError> {
    let owner = target(svc, caller, "iam:UpdateLoginProfile", Some(user))?;
    let hash = match password {
        Some(p) => {
            check_password_for(svc, &caller.account, p)?;
            Some(hash_password(p)?)
        }
        None => None,
    };
    let key = login_profile_key(&caller.account, &owner);
    svc.mutate(|state| {
        let mut profile = state
            .login_profiles
            .get(&key)
            .cloned()
            .ok_or_else(|| no_such_profile(&owner))?;
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
    let owner = target(svc, caller, "iam:DeleteLoginProfile", user)?;
    let key = login_profile_key(&caller.account, &owner);
    svc.mutate(|state| {
        if !state.login_profiles.contains_key(&key) {
            return Err(no_such_profile(&owner));
        }
        Ok(((), vec![Change::Delete(table::LOGIN_PROFILES, key.clone())]))
    })
}

/// `iam:ChangePassword`: the calling IAM user replaces their own password.
///
/// * A root or role caller (also a root session) is `InvalidUserType`, as
///   the AWS CLI's documentation says for root credentials.
/// * `iam:ChangePassword` on the user's own ARN decides. When the account's
///   password policy has `AllowUsersToChangePassword`, IAM grants it to
///   every user of the account without a policy of theirs (AWS's
///   documentation of that setting); here this is a grant that takes part
///   as a resource policy naming the user would, so an explicit Deny or an
///   SCP still refuses it [UNCONFIRMED].
/// * A user without a login profile is `NoSuchEntity` (as
///   `GetLoginProfile`).
/// * A wrong `OldPassword` is `AccessDenied` [UNCONFIRMED: AWS documents no
///   error for it; the brief's and the spec's recommendation].
/// * `NewPassword` must satisfy the account's password policy (or IAM's
///   default rules), as for `UpdateLoginProfile`: `PasswordPolicyViolation`.
/// * Success clears `PasswordResetRequired`.
///
/// Neither password is logged or kept: the new one only as its Argon2id
/// hash.
pub fn change_password(
    svc: &Service,
    caller: &Caller,
    old_password: &str,
    new_password: &str,
) -> Result<(), CoreError> {
    let CallerKind::User { name, .. } = &caller.kind else {
        // UNCONFIRMED: the message (AWS's is not documented).
        return Err(CoreError::InvalidUserType(
            "Only an IAM user can change its own password with ChangePassword.".into(),
        ));
    };
    let (arn, allowed_by_setting) = {
        let state = svc.read();
        let arn = state
            .user(&caller.account, name)
            .map(crate::model::User::arn)
            .ok_or_else(|| {
                CoreError::NoSuchEntity(format!("The user with name {name} cannot be found."))
            })?;
        let allowed = state
            .password_policies
            .get(&caller.account)
            .is_some_and(|p| p.allow_users_to_change);
        (arn, allowed)
    };
    if allowed_by_setting {
        let grant = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{arn}"}},"Action":"iam:ChangePassword","Resource":"{arn}"}}]}}"#
        );
        let grant = crate::policy_cache::compile_stored(
            "AllowUsersToChangePassword",
            &grant,
            rootward_policy::PolicyKind::Resource,
        );
        svc.authorize_with(caller, "iam:ChangePassword", &arn, None, Some(&grant), &[])?;
    } else {
        svc.authorize(caller, "iam:ChangePassword", &arn, None, &[])?;
    }
    let owner = KeyOwner::User(name.clone());
    let key = login_profile_key(&caller.account, &owner);
    let old_hash = svc
        .read()
        .login_profiles
        .get(&key)
        .map(|l| l.password_hash.clone())
        .ok_or_else(|| no_such_profile(&owner))?;
    // Verify and hash outside the writer lock: both are slow on purpose.
    if !old_hash
        .as_ref()
        .is_some_and(|h| verify_password(h, old_password))
    {
        return Err(CoreError::AccessDenied(
            "The old password is incorrect.".into(),
        ));
    }
    check_password_for(svc, &caller.account, new_password)?;
    let hash = hash_password(new_password)?;
    svc.mutate(|state| {
        let mut profile = state
            .login_profiles
            .get(&key)
            .cloned()
            .ok_or_else(|| no_such_profile(&owner))?;
        // The password changed (or the profile was re-created) since it was
        // verified: the request may succeed when retried.
        if profile.password_hash != old_hash {
            return Err(CoreError::EntityTemporarilyUnmodifiable(format!(
                "Login Profile for User {name} cannot be modified while it is being changed."
            )));
        }
        profile.password_hash = Some(hash);
        profile.password_reset_required = false;
        Ok(((), vec![Change::Put(Record::LoginProfile(profile))]))
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
        assert!(matches!(check_password(""), Err(CoreError::Constraints(_))));
    }
}
