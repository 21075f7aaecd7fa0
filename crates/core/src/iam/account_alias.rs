//! The account alias: CreateAccountAlias, DeleteAccountAlias,
//! ListAccountAliases. An account has at most one alias, and an alias names
//! one account across the whole endpoint (it stands for the account at the
//! sign-in page, as AWS's do).

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record};
use crate::service::Service;

fn authorize(svc: &Service, caller: &Caller, action: &str) -> Result<(), CoreError> {
    // IAM authorizes the account-level operations on `*`.
    svc.authorize(caller, action, "*", None, &[])
}

/// `iam:ListAccountAliases`: the account's alias, if it has one.
pub fn list(svc: &Service, caller: &Caller) -> Result<Vec<String>, CoreError> {
    authorize(svc, caller, "iam:ListAccountAliases")?;
    Ok(svc
        .read()
        .accounts
        .get(&caller.account)
        .and_then(|a| a.alias.clone())
        .into_iter()
        .collect())
}

/// `iam:CreateAccountAlias`: sets the account's alias (3–63 lower-case
/// letters, digits and single hyphens, neither first nor last: the model's
/// pattern, checked on decode), replacing the one it had. An alias another
/// account holds is `EntityAlreadyExists`.
pub fn create(svc: &Service, caller: &Caller, alias: &str) -> Result<(), CoreError> {
    authorize(svc, caller, "iam:CreateAccountAlias")?;
    svc.mutate(|state| {
        if state
            .accounts
            .values()
            .any(|a| a.id != caller.account && a.alias.as_deref() == Some(alias))
        {
            // UNCONFIRMED wording: AWS's code is EntityAlreadyExists (409).
            return Err(CoreError::EntityAlreadyExists(format!(
                "The account alias {alias} already exists."
            )));
        }
        let mut account = state.account_record(&caller.account)?.clone();
        // The same alias again changes nothing; another one replaces it (an
        // account has one alias, and the console's "edit" sets a new one
        // with this call).
        account.alias = Some(alias.to_owned());
        Ok(((), vec![Change::Put(Record::Account(account))]))
    })
}

/// `iam:DeleteAccountAlias`: removes the account's alias, which must be the
/// one named (else `NoSuchEntity`).
pub fn delete(svc: &Service, caller: &Caller, alias: &str) -> Result<(), CoreError> {
    authorize(svc, caller, "iam:DeleteAccountAlias")?;
    svc.mutate(|state| {
        let mut account = state
            .accounts
            .get(&caller.account)
            .filter(|a| a.alias.as_deref() == Some(alias))
            .cloned()
            .ok_or_else(|| {
                CoreError::NoSuchEntity(format!("The account alias {alias} cannot be found."))
            })?;
        account.alias = None;
        Ok(((), vec![Change::Put(Record::Account(account))]))
    })
}
