//! Whom an IAM credential operation acts on when `UserName` is omitted
//! (spec 02 §2.6.2): the calling IAM user, or the account's root user for a
//! root caller, and never a role session.

use crate::authz::{Caller, CallerKind};
use crate::error::CoreError;
use crate::model::KeyOwner;
use crate::service::Service;

/// The principal a credential operation acts on, with the ARN it is
/// authorized against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Whose credentials.
    pub owner: KeyOwner,
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME` or `arn:aws:iam::ACCOUNT:root`.
    pub arn: String,
    /// Whether the user exists (always true for root).
    pub exists: bool,
}

/// May a root caller omit `UserName`?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootRule {
    /// Long-term root credentials, a root sign-in session and an AssumeRoot
    /// session may (`GetUser`, `ListAccessKeys`, `ListMFADevices`, …).
    AnyRoot,
    /// Only an AssumeRoot session may (`GetLoginProfile`, `CreateLoginProfile`,
    /// `DeleteLoginProfile`, `DeactivateMFADevice`).
    AssumeRootOnly,
}

/// Resolves the target of a credential operation.
pub fn resolve(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    rule: RootRule,
) -> Result<Target, CoreError> {
    let account = &caller.account;
    let name = match (user, &caller.kind) {
        (Some(n), _) => n.to_owned(),
        (None, CallerKind::User { name, .. }) => name.clone(),
        (None, CallerKind::Root) => {
            if rule == RootRule::AssumeRootOnly && !caller.is_assumed_root() {
                // UNCONFIRMED (spec 02 §2.6.2): the recommended ValidationError.
                return Err(CoreError::Validation(
                    "When you make this request with root user credentials, you must use an AssumeRoot session to omit the user name.".into(),
                ));
            }
            return Ok(Target {
                owner: KeyOwner::Root,
                arn: crate::ident::Arn::root(account).to_string(),
                exists: true,
            });
        }
        (None, CallerKind::Role { .. }) => {
            // UNCONFIRMED code (spec 02 §2.6.2); the message is the reported one.
            return Err(CoreError::Validation(
                "Must specify userName when calling with non-User credentials".into(),
            ));
        }
    };
    let state = svc.read();
    let found = state.user(account, &name);
    Ok(Target {
        owner: KeyOwner::User(found.map(|u| u.name.clone()).unwrap_or(name.clone())),
        arn: found
            .map(|u| u.arn())
            .unwrap_or_else(|| crate::ident::Arn::user(account, "/", &name).to_string()),
        exists: found.is_some(),
    })
}

impl Target {
    /// Authorizes `action` on the target, then fails with `NoSuchEntity` if the
    /// named user does not exist.
    pub fn authorize(&self, svc: &Service, caller: &Caller, action: &str) -> Result<(), CoreError> {
        svc.authorize(caller, action, &self.arn, None, &[])?;
        match &self.owner {
            KeyOwner::User(n) if !self.exists => Err(CoreError::NoSuchEntity(format!(
                "The user with name {n} cannot be found."
            ))),
            _ => Ok(()),
        }
    }
}
