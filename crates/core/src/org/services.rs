//! Trusted access for AWS services and delegated administrators.

use time::OffsetDateTime;

use super::accounts::{AccountInfo, info, member};
use super::model::Stamp;
use super::{
    OrgError, Page, PageRequest, as_management, as_reader, authorize, constraint, err, invalid,
    page, page_by,
};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::ident::AccountId;
use crate::model::{Change, Record};
use crate::service::Service;

/// Principals that take at most one delegated administrator.
// UNCONFIRMED (spec 03 §3.4): IAM is recommended to allow exactly one.
const SINGLE_ADMIN: &[&str] = &["iam.amazonaws.com"];

/// Checks the shape of a service principal (`name.amazonaws.com`).
pub fn check_principal(p: &str) -> Result<(), CoreError> {
    let ok = p.len() <= 128
        && p.strip_suffix(".amazonaws.com").is_some_and(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        });
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "UNRECOGNIZED_SERVICE_PRINCIPAL",
            "You specified an unrecognized service principal.",
        ))
    }
}

/// `organizations:EnableAWSServiceAccess` (idempotent: the first date stays).
pub fn enable_service_access(
    svc: &Service,
    caller: &Caller,
    principal: &str,
) -> Result<(), CoreError> {
    check_principal(principal)?;
    authorize(svc, caller, "EnableAWSServiceAccess", "*")?;
    let now = svc.now();
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        if org.feature_set != "ALL" {
            return Err(constraint(
                "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
                "This operation requires the organization to have all features enabled.",
            ));
        }
        if org.trusted_services.contains_key(principal) {
            return Ok(((), Vec::new()));
        }
        let mut org = org.clone();
        org.trusted_services
            .insert(principal.to_owned(), Stamp(now));
        Ok(((), vec![Change::Put(Record::Organization(org))]))
    })
}

/// `organizations:DisableAWSServiceAccess`: refused while the service has a
/// delegated administrator ([live] message).
pub fn disable_service_access(
    svc: &Service,
    caller: &Caller,
    principal: &str,
) -> Result<(), CoreError> {
    check_principal(principal)?;
    authorize(svc, caller, "DisableAWSServiceAccess", "*")?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        if org.delegated_admins.values().any(|s| s.contains_key(principal)) {
            return Err(constraint(
                "DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE",
                "You have delegated administrator/s for this service. De-register them in order to disable service access.",
            ));
        }
        if !org.trusted_services.contains_key(principal) {
            return Ok(((), Vec::new()));
        }
        let mut org = org.clone();
        org.trusted_services.remove(principal);
        Ok(((), vec![Change::Put(Record::Organization(org))]))
    })
}

/// `organizations:ListAWSServiceAccessForOrganization`.
pub fn list_service_access(
    svc: &Service,
    caller: &Caller,
    req: PageRequest<'_>,
) -> Result<Page<(String, OffsetDateTime)>, CoreError> {
    authorize(svc, caller, "ListAWSServiceAccessForOrganization", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    page(
        org.trusted_services.iter().map(|(p, s)| (p.clone(), s.0)),
        req,
    )
}

/// `organizations:RegisterDelegatedAdministrator`.
pub fn register_delegated_admin(
    svc: &Service,
    caller: &Caller,
    account: &AccountId,
    principal: &str,
) -> Result<(), CoreError> {
    let account = account.as_str();
    check_principal(principal)?;
    authorize(svc, caller, "RegisterDelegatedAdministrator", "*")?;
    let now = svc.now();
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        member(state, org, account)?;
        if account == org.management_account {
            return Err(constraint(
                "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
                "You cannot register the management account of the organization as a delegated administrator for an AWS service.",
            ));
        }
        // Spec 03 §3.4: a suspended (closed) account is refused. The
        // message is UNCONFIRMED. A membership without an account record
        // fails closed (`account_record` errs).
        if state.account_record(account)?.closed.is_some() {
            return Err(constraint(
                "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR",
                "You cannot register a suspended account as a delegated administrator for an AWS service.",
            ));
        }
        // UNCONFIRMED (spec 03 §3.4): the recommended reason when trusted
        // access is not enabled for the service.
        if !org.trusted_services.contains_key(principal) {
            return Err(constraint(
                "SERVICE_ACCESS_NOT_ENABLED",
                "You must first enable trusted access for this service in your organization.",
            ));
        }
        if org.delegated_admins.get(account).is_some_and(|s| s.contains_key(principal)) {
            // UNCONFIRMED message (spec 08 §8.3.3 shows it as illustrative).
            return Err(err(OrgError::AccountAlreadyRegistered, "The provided account is already a delegated administrator for your organization.",
            ));
        }
        let others = org.delegated_admins.values().filter(|s| s.contains_key(principal)).count();
        if SINGLE_ADMIN.contains(&principal) && others >= 1 {
            return Err(constraint(
                "MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED",
                "You have exceeded the maximum number of delegated administrators allowed for this service.",
            ));
        }
        let mut org = org.clone();
        org.delegated_admins
            .entry(account.to_owned())
            .or_default()
            .insert(principal.to_owned(), Stamp(now));
        Ok(((), vec![Change::Put(Record::Organization(org))]))
    })
}

fn not_registered() -> CoreError {
    err(
        OrgError::AccountNotRegistered,
        "The provided account is not a registered delegated administrator for your organization.",
    )
}

/// `organizations:DeregisterDelegatedAdministrator`.
pub fn deregister_delegated_admin(
    svc: &Service,
    caller: &Caller,
    account: &AccountId,
    principal: &str,
) -> Result<(), CoreError> {
    let account = account.as_str();
    check_principal(principal)?;
    authorize(svc, caller, "DeregisterDelegatedAdministrator", "*")?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        member(state, org, account)?;
        let mut org = org.clone();
        let services = org
            .delegated_admins
            .get_mut(account)
            .ok_or_else(not_registered)?;
        if services.remove(principal).is_none() {
            return Err(not_registered());
        }
        if services.is_empty() {
            org.delegated_admins.remove(account);
        }
        Ok(((), vec![Change::Put(Record::Organization(org))]))
    })
}

/// A delegated administrator: the account and when it was first delegated.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegatedAdmin {
    /// The account.
    pub account: AccountInfo,
    /// The earliest delegation among the listed services.
    pub since: OffsetDateTime,
}

/// `organizations:ListDelegatedAdministrators`, optionally for one service.
pub fn list_delegated_admins(
    svc: &Service,
    caller: &Caller,
    principal: Option<&str>,
    req: PageRequest<'_>,
) -> Result<Page<DelegatedAdmin>, CoreError> {
    if let Some(p) = principal {
        check_principal(p)?;
    }
    authorize(svc, caller, "ListDelegatedAdministrators", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    let admins = org
        .delegated_admins
        .iter()
        .filter_map(|(account, services)| {
            let since = services
                .iter()
                .filter(|(p, _)| principal.is_none_or(|want| want == p.as_str()))
                .map(|(_, s)| s.0)
                .min()?;
            let m = state.org.members.get(account)?;
            Some(DelegatedAdmin {
                account: info(&state, org, m),
                since,
            })
        });
    page_by(admins, req, |a| a.account.id.clone())
}

/// `organizations:ListDelegatedServicesForAccount`.
pub fn list_delegated_services(
    svc: &Service,
    caller: &Caller,
    account: &AccountId,
    req: PageRequest<'_>,
) -> Result<Page<(String, OffsetDateTime)>, CoreError> {
    let account = account.as_str();
    authorize(svc, caller, "ListDelegatedServicesForAccount", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    member(&state, org, account)?;
    let services = org
        .delegated_admins
        .get(account)
        .ok_or_else(not_registered)?;
    page(services.iter().map(|(p, s)| (p.clone(), s.0)), req)
}
