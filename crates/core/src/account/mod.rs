//! AWS Account Management (issue 14 §3): an account's primary contact
//! (`GetContactInformation`, `PutContactInformation`) and its alternate
//! contacts (`GetAlternateContact`, `PutAlternateContact`,
//! `DeleteAlternateContact`), its name, e-mail and information, and its
//! regions' opt status (`ListRegions`, `GetRegionOptStatus`,
//! `EnableRegion`, `DisableRegion`; kept on the account record).
//!
//! Without `AccountId` a call acts on the caller's own account (resource
//! `arn:aws:account::ACCOUNT:account`). With it, it acts on a member
//! account of the caller's organization (resource
//! `arn:aws:account::MANAGEMENT:account/o-ORG/MEMBER`), and only when the
//! caller is the management account or a delegated administrator for
//! `account.amazonaws.com`, the organization has all features and trusted
//! access for Account Management, and the account is a member other than
//! the management account (which acts on itself without `AccountId`).
//! Anything else is `AccessDeniedException` (the exact wording AWS uses for
//! each case is UNCONFIRMED; the message names the action and resource).

pub mod model;

use std::collections::BTreeMap;

use model::{
    AccountAlternateContact, AccountContact, AlternateContact, AlternateContactType,
    ContactInformation, alternate_key,
};

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;

/// The service principal of Account Management (trusted access, delegated
/// administrators).
pub const SERVICE_PRINCIPAL: &str = "account.amazonaws.com";

/// An Account Management failure, named as the service names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// No contact of that kind is set (`ResourceNotFoundException`, 404).
    #[error("{0}")]
    ResourceNotFound(String),
    /// An input breaks the model's constraints (`ValidationException`, 400),
    /// with the fields at fault: (name, message).
    #[error("{message}")]
    Validation {
        /// The message.
        message: String,
        /// `fieldList`.
        fields: Vec<(String, String)>,
    },
    /// `EnableRegion`/`DisableRegion` of a region enabled by default
    /// (`ValidationException`, 400, reason `invalidRegionOptTarget`).
    #[error("{0}")]
    InvalidRegionOptTarget(String),
    /// A change that conflicts with one in progress (`ConflictException`,
    /// 409).
    #[error("{0}")]
    Conflict(String),
}

impl From<AccountError> for CoreError {
    fn from(e: AccountError) -> Self {
        CoreError::Account(e)
    }
}

/// Contacts by account.
#[derive(Default)]
pub struct AccountState {
    /// Primary contacts by account.
    pub contacts: BTreeMap<String, ContactInformation>,
    /// Alternate contacts by `ACCOUNT/TYPE`.
    pub alternates: BTreeMap<String, AlternateContact>,
}

impl AccountState {
    /// Applies a stored Account Management record.
    pub fn put(&mut self, r: Record) {
        match r {
            Record::ContactInformation(c) => {
                self.contacts.insert(c.account, c.info);
            }
            Record::AlternateContact(c) => {
                let key = c.key();
                self.alternates.insert(key, c.contact);
            }
            _ => {}
        }
    }

    /// Removes a stored Account Management record.
    pub fn delete(&mut self, t: &str, key: &str) {
        match t {
            table::CONTACT_INFORMATION => {
                self.contacts.remove(key);
            }
            table::ALTERNATE_CONTACTS => {
                self.alternates.remove(key);
            }
            _ => {}
        }
    }
}

fn validation(field: &str, message: &str) -> CoreError {
    AccountError::Validation {
        message: format!("Invalid {field}: {message}"),
        fields: vec![(field.to_owned(), message.to_owned())],
    }
    .into()
}

/// Checks a 12-digit account id.
fn check_account_id(id: &str) -> Result<crate::ident::AccountId, CoreError> {
    crate::ident::AccountId::parse(id)
        .map_err(|_| validation("AccountId", "must be a 12-digit account ID"))
}

/// Decides which account a call acts on and authorizes `action` on it (see
/// the module documentation). `extra` adds condition keys.
fn target(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    action: &str,
    extra: &[(&str, &str)],
) -> Result<String, CoreError> {
    let Some(id) = account_id else {
        let arn = crate::ident::Arn::account_management(&caller.account).to_string();
        svc.authorize(caller, action, &arn, None, extra)?;
        return Ok(caller.account.clone());
    };
    check_account_id(id)?;
    let (arn, allowed) = {
        let state = svc.read();
        match state.org.org_of(&caller.account) {
            None => (crate::ident::Arn::account_management(id).to_string(), false),
            Some(org) => {
                let arn = crate::ident::Arn::member_account(&org.management_account, &org.id, id)
                    .to_string();
                let caller_may = org.management_account == caller.account
                    || org
                        .delegated_admins
                        .get(&caller.account)
                        .is_some_and(|s| s.contains_key(SERVICE_PRINCIPAL));
                let member = state.org.org_of(id).is_some_and(|o| o.id == org.id)
                    && id != org.management_account;
                let allowed = caller_may
                    && member
                    && org.feature_set == "ALL"
                    && org.trusted_services.contains_key(SERVICE_PRINCIPAL);
                (arn, allowed)
            }
        }
    };
    if !allowed {
        return Err(CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform: {action} on resource: {arn}",
            caller.arn(&svc.read())
        )));
    }
    svc.authorize(caller, action, &arn, None, extra)?;
    Ok(id.to_owned())
}

/// `GetContactInformation` (`account:GetContactInformation`).
pub fn get_contact_information(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
) -> Result<ContactInformation, CoreError> {
    let account = target(
        svc,
        caller,
        account_id,
        "account:GetContactInformation",
        &[],
    )?;
    svc.read()
        .account
        .contacts
        .get(&account)
        .cloned()
        .ok_or_else(|| {
            // UNCONFIRMED wording: accounts created on AWS always have one.
            AccountError::ResourceNotFound(
                "No contact information found for this account.".to_owned(),
            )
            .into()
        })
}

/// Checks a required text member's length (the model's `min`/`max`).
fn check_len(field: &str, value: &str, min: usize, max: usize) -> Result<(), CoreError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(validation(
            field,
            &format!("length must be between {min} and {max}"),
        ));
    }
    Ok(())
}

fn check_opt(field: &str, value: Option<&str>, max: usize) -> Result<(), CoreError> {
    value.map_or(Ok(()), |v| check_len(field, v, 1, max))
}

/// Checks a primary contact against the model's constraints.
pub fn validate_contact_information(c: &ContactInformation) -> Result<(), CoreError> {
    check_len("FullName", &c.full_name, 1, 50)?;
    check_len("AddressLine1", &c.address_line1, 1, 60)?;
    check_opt("AddressLine2", c.address_line2.as_deref(), 60)?;
    check_opt("AddressLine3", c.address_line3.as_deref(), 60)?;
    check_len("City", &c.city, 1, 50)?;
    check_opt("StateOrRegion", c.state_or_region.as_deref(), 50)?;
    check_opt("DistrictOrCounty", c.district_or_county.as_deref(), 50)?;
    check_len("PostalCode", &c.postal_code, 1, 20)?;
    check_len("CountryCode", &c.country_code, 2, 2)?;
    check_len("PhoneNumber", &c.phone_number, 1, 20)?;
    let phone = c.phone_number.as_bytes();
    if phone.first() != Some(&b'+')
        || phone.len() < 2
        || !phone.iter().skip(1).all(|b| {
            b.is_ascii_digit() || b.is_ascii_whitespace() || matches!(b, b'(' | b')' | b'-')
        })
    {
        return Err(validation(
            "PhoneNumber",
            "must start with + followed by digits, spaces, parentheses or dashes",
        ));
    }
    check_opt("CompanyName", c.company_name.as_deref(), 50)?;
    check_opt("WebsiteUrl", c.website_url.as_deref(), 256)?;
    Ok(())
}

/// `PutContactInformation` (`account:PutContactInformation`).
pub fn put_contact_information(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    info: ContactInformation,
) -> Result<(), CoreError> {
    validate_contact_information(&info)?;
    let account = target(
        svc,
        caller,
        account_id,
        "account:PutContactInformation",
        &[],
    )?;
    svc.mutate(|state| {
        if state.account.contacts.get(&account) == Some(&info) {
            return Ok(((), Vec::new()));
        }
        Ok((
            (),
            vec![Change::Put(Record::ContactInformation(Box::new(
                AccountContact {
                    account: account.clone(),
                    info: info.clone(),
                },
            )))],
        ))
    })
}

/// `GetAlternateContact` (`account:GetAlternateContact`, condition key
/// `account:AlternateContactTypes`): `ResourceNotFoundException` when none.
pub fn get_alternate_contact(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    kind: AlternateContactType,
) -> Result<AlternateContact, CoreError> {
    let account = target(
        svc,
        caller,
        account_id,
        "account:GetAlternateContact",
        &[("account:AlternateContactTypes", kind.as_str())],
    )?;
    svc.read()
        .account
        .alternates
        .get(&alternate_key(&account, kind))
        .cloned()
        .ok_or_else(not_found)
}

fn not_found() -> CoreError {
    AccountError::ResourceNotFound(
        "No contact of the inputted alternate contact type found.".to_owned(),
    )
    .into()
}

/// Checks an alternate contact against the model's constraints.
pub fn validate_alternate_contact(c: &AlternateContact) -> Result<(), CoreError> {
    check_len("Name", &c.name, 1, 64)?;
    check_len("Title", &c.title, 1, 50)?;
    check_len("EmailAddress", &c.email_address, 1, 254)?;
    let email = c.email_address.trim();
    let valid_email = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && local
                .chars()
                .all(|ch| ch.is_alphanumeric() || "_+=.#|!&-".contains(ch))
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '.' || ch == '-' || ch == '_')
    });
    if !valid_email {
        return Err(validation("EmailAddress", "is not a valid email address"));
    }
    check_len("PhoneNumber", &c.phone_number, 1, 25)?;
    if !c
        .phone_number
        .chars()
        .all(|ch| ch.is_ascii_digit() || ch.is_ascii_whitespace() || "()+-".contains(ch))
    {
        return Err(validation(
            "PhoneNumber",
            "can contain only digits, spaces, parentheses, + and -",
        ));
    }
    Ok(())
}

/// `PutAlternateContact` (`account:PutAlternateContact`): sets (or replaces)
/// the contact of its type.
pub fn put_alternate_contact(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    contact: AlternateContact,
) -> Result<(), CoreError> {
    validate_alternate_contact(&contact)?;
    let account = target(
        svc,
        caller,
        account_id,
        "account:PutAlternateContact",
        &[("account:AlternateContactTypes", contact.kind.as_str())],
    )?;
    let row = AccountAlternateContact { account, contact };
    svc.mutate(|state| {
        if state.account.alternates.get(&row.key()) == Some(&row.contact) {
            return Ok(((), Vec::new()));
        }
        Ok(((), vec![Change::Put(Record::AlternateContact(row.clone()))]))
    })
}

/// `DeleteAlternateContact` (`account:DeleteAlternateContact`):
/// `ResourceNotFoundException` when none.
pub fn delete_alternate_contact(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    kind: AlternateContactType,
) -> Result<(), CoreError> {
    let account = target(
        svc,
        caller,
        account_id,
        "account:DeleteAlternateContact",
        &[("account:AlternateContactTypes", kind.as_str())],
    )?;
    let key = alternate_key(&account, kind);
    svc.mutate(|state| {
        if !state.account.alternates.contains_key(&key) {
            return Err(not_found());
        }
        Ok((
            (),
            vec![Change::Delete(table::ALTERNATE_CONTACTS, key.clone())],
        ))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn contact() -> AlternateContact {
        AlternateContact {
            kind: AlternateContactType::Security,
            name: "Sec Team".into(),
            title: "CISO".into(),
            email_address: "security@example.com".into(),
            phone_number: "+1 (206) 555-0100".into(),
        }
    }

    fn fields(e: CoreError) -> Vec<String> {
        match e {
            CoreError::Account(AccountError::Validation { fields, .. }) => {
                fields.into_iter().map(|(f, _)| f).collect()
            }
            other => vec![other.to_string()],
        }
    }

    #[test]
    fn alternate_contacts_are_checked_against_the_model() {
        assert!(validate_alternate_contact(&contact()).is_ok());
        let mut c = contact();
        c.email_address = "not-an-email".into();
        assert_eq!(
            fields(validate_alternate_contact(&c).unwrap_err()),
            ["EmailAddress"]
        );
        let mut c = contact();
        c.phone_number = "call me".into();
        assert_eq!(
            fields(validate_alternate_contact(&c).unwrap_err()),
            ["PhoneNumber"]
        );
        let mut c = contact();
        c.title = String::new();
        assert_eq!(
            fields(validate_alternate_contact(&c).unwrap_err()),
            ["Title"]
        );
    }

    #[test]
    fn contact_information_is_checked_against_the_model() {
        let mut c = ContactInformation {
            full_name: "Jane Doe".into(),
            address_line1: "1 Main St".into(),
            city: "Seattle".into(),
            postal_code: "98101".into(),
            country_code: "US".into(),
            phone_number: "+1 206-555-0100".into(),
            ..ContactInformation::default()
        };
        assert!(validate_contact_information(&c).is_ok());
        c.country_code = "USA".into();
        assert_eq!(
            fields(validate_contact_information(&c).unwrap_err()),
            ["CountryCode"]
        );
        c.country_code = "US".into();
        c.phone_number = "206-555-0100".into();
        assert_eq!(
            fields(validate_contact_information(&c).unwrap_err()),
            ["PhoneNumber"]
        );
    }
}

/// What `GetAccountInformation` answers: the account's id, name and
/// creation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInformation {
    /// 12 digits.
    pub id: String,
    /// The account name.
    pub name: String,
    /// When the account was created.
    pub created: time::OffsetDateTime,
    /// `ACTIVE`, or `CLOSED` once Organizations closed it.
    pub state: &'static str,
}

/// `GetAccountInformation` (`account:GetAccountInformation`).
pub fn get_account_information(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
) -> Result<AccountInformation, CoreError> {
    let account = target(
        svc,
        caller,
        account_id,
        "account:GetAccountInformation",
        &[],
    )?;
    let state = svc.read();
    let a = state.account_record(&account)?;
    Ok(AccountInformation {
        id: a.id.clone(),
        name: a.name.clone(),
        created: a.created,
        state: if crate::org::accounts::is_closed(&state, &account) {
            "CLOSED"
        } else {
            "ACTIVE"
        },
    })
}

/// `PutAccountName` (`account:PutAccountName`): 1–50 characters of
/// `[ -;=?-~]` (the model's pattern, checked on decode). Organizations
/// shows the new name too (one record).
pub fn put_account_name(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    name: &str,
) -> Result<(), CoreError> {
    let account = target(svc, caller, account_id, "account:PutAccountName", &[])?;
    svc.mutate(|state| {
        let mut a = state.account_record(&account)?.clone();
        name.clone_into(&mut a.name);
        Ok(((), vec![Change::Put(Record::Account(a))]))
    })
}

/// `GetPrimaryEmail` (`account:GetPrimaryEmail`): the root user's e-mail of
/// a member account (`AccountId` is required: the model's), for the
/// management account or a delegated administrator, as the other calls on
/// a member.
pub fn get_primary_email(
    svc: &Service,
    caller: &Caller,
    account_id: &str,
) -> Result<String, CoreError> {
    let account = target(
        svc,
        caller,
        Some(account_id),
        "account:GetPrimaryEmail",
        &[],
    )?;
    let state = svc.read();
    state.account_record(&account).map(|a| a.email.clone())
}

/// How long an `EnableRegion` stays `ENABLING` (and a `DisableRegion`
/// `DISABLING`) before it completes. AWS takes minutes to hours; here the
/// change completes after a few seconds, read from the time it was asked
/// for (no background job: every read derives the status from the stored
/// change and the clock). A short, visible transition keeps what clients
/// see honest (a poller sees `ENABLING`, then `ENABLED`; a conflicting
/// change in between is `ConflictException`, as in AWS) without making a
/// script wait.
pub const REGION_OPT_TRANSITION_SECONDS: i64 = 5;

/// A region's opt status in `account` as Account Management names it
/// (botocore's `RegionOptStatus`): `ENABLED_BY_DEFAULT` for the regions
/// enabled in every account; for an opt-in region `DISABLED` until
/// `EnableRegion`, then `ENABLING` and `ENABLED`; after `DisableRegion`,
/// `DISABLING` and `DISABLED`. `None` for a region not in the list.
pub fn region_opt_status(
    state: &crate::state::State,
    account: &str,
    region: &str,
    now: time::OffsetDateTime,
) -> Option<&'static str> {
    let (_, opt_in) = crate::ec2::REGIONS.iter().find(|(r, _)| *r == region)?;
    if !opt_in {
        return Some("ENABLED_BY_DEFAULT");
    }
    let change = state
        .accounts
        .get(account)
        .and_then(|a| a.regions.get(region));
    Some(match change {
        None => "DISABLED",
        Some(c) => {
            let done = now >= c.at + time::Duration::seconds(REGION_OPT_TRANSITION_SECONDS);
            match (c.enable, done) {
                (true, true) => "ENABLED",
                (true, false) => "ENABLING",
                (false, true) => "DISABLED",
                (false, false) => "DISABLING",
            }
        }
    })
}

/// Whether an opt-in region is usable in `account` (`ENABLED`; a region
/// enabled by default always is).
pub fn region_enabled(
    state: &crate::state::State,
    account: &str,
    region: &str,
    now: time::OffsetDateTime,
) -> bool {
    matches!(
        region_opt_status(state, account, region, now),
        Some("ENABLED" | "ENABLED_BY_DEFAULT")
    )
}

/// `ListRegions` (`account:ListRegions`): every region `DescribeRegions`
/// knows with its opt status in the account, filtered by
/// `RegionOptStatusContains`.
pub fn list_regions(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    statuses: &[&str],
) -> Result<Vec<(&'static str, &'static str)>, CoreError> {
    let account = target(svc, caller, account_id, "account:ListRegions", &[])?;
    let now = svc.now();
    let state = svc.read();
    Ok(crate::ec2::REGIONS
        .iter()
        .filter_map(|(r, _)| Some((*r, region_opt_status(&state, &account, r, now)?)))
        .filter(|(_, s)| statuses.is_empty() || statuses.contains(s))
        .collect())
}

fn unknown_region() -> CoreError {
    validation("RegionName", "is not a region this endpoint knows")
}

/// `GetRegionOptStatus` (`account:GetRegionOptStatus`).
pub fn get_region_opt_status(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    region: &str,
) -> Result<&'static str, CoreError> {
    let account = target(
        svc,
        caller,
        account_id,
        "account:GetRegionOptStatus",
        &[("account:TargetRegion", region)],
    )?;
    region_opt_status(&svc.read(), &account, region, svc.now()).ok_or_else(unknown_region)
}

/// `EnableRegion` (`account:EnableRegion`) with `enable`, `DisableRegion`
/// (`account:DisableRegion`) without: starts the change (see
/// [`REGION_OPT_TRANSITION_SECONDS`]), kept on the account record.
///
/// * A region enabled by default is `ValidationException` with reason
///   `invalidRegionOptTarget` (botocore's `ValidationExceptionReason`; the
///   message is UNCONFIRMED).
/// * Enabling a `DISABLING` region, or disabling an `ENABLING` one, is
///   `ConflictException` (the model's documentation names the first case;
///   the second is its mirror, UNCONFIRMED).
/// * Enabling an `ENABLING` or `ENABLED` region, or disabling a
///   `DISABLING` or `DISABLED` one, succeeds without change (UNCONFIRMED:
///   no source says whether AWS restarts it; not restarting keeps repeated
///   calls of a script idempotent).
pub fn set_region_opt(
    svc: &Service,
    caller: &Caller,
    account_id: Option<&str>,
    region: &str,
    enable: bool,
) -> Result<(), CoreError> {
    let action = if enable {
        "account:EnableRegion"
    } else {
        "account:DisableRegion"
    };
    let account = target(
        svc,
        caller,
        account_id,
        action,
        &[("account:TargetRegion", region)],
    )?;
    let now = svc.now();
    svc.mutate(|state| {
        let status = region_opt_status(state, &account, region, now).ok_or_else(unknown_region)?;
        match (status, enable) {
            ("ENABLED_BY_DEFAULT", _) => {
                return Err(AccountError::InvalidRegionOptTarget(format!(
                    "The Region {region} is enabled by default and cannot be {}.",
                    if enable { "enabled" } else { "disabled" }
                ))
                .into());
            }
            ("DISABLING", true) | ("ENABLING", false) => {
                return Err(AccountError::Conflict(format!(
                    "The Region {region} is currently {}; try again once the change completes.",
                    if enable {
                        "being disabled"
                    } else {
                        "being enabled"
                    }
                ))
                .into());
            }
            ("ENABLING" | "ENABLED", true) | ("DISABLING" | "DISABLED", false) => {
                return Ok(((), Vec::new()));
            }
            _ => {}
        }
        let mut a = state.account_record(&account)?.clone();
        a.regions.insert(
            region.to_owned(),
            model::RegionOptChange { enable, at: now },
        );
        Ok(((), vec![Change::Put(Record::Account(a))]))
    })
}
