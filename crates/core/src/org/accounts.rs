//! Accounts of an organization: create (with `OrganizationAccountAccessRole`),
//! describe, list, move, remove, leave.

use time::OffsetDateTime;

use super::model::{CreateAccountStatus, Membership, Organization};
use super::organization::default_scp;
use super::{
    OrgError, Page, PageRequest, as_management, as_reader, authorize, check_id, constraint, err,
    id_body, invalid, org_of, page, page_by,
};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::ident::AccountId;
use crate::ids;
use crate::model::{Account, Change, Record, Role, table};
use crate::service::Service;
use crate::state::State;

/// An account as Organizations describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountInfo {
    /// 12 digits.
    pub id: String,
    /// `arn:aws:organizations::MGMT:account/o-…/ID`.
    pub arn: String,
    /// Root user e-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// `CREATED` or `INVITED`.
    pub joined_method: String,
    /// When it joined.
    pub joined: OffsetDateTime,
    /// `State`: `ACTIVE`, or `CLOSED` once closed (the 90-day post-closure
    /// period; this endpoint never ends it).
    pub state: &'static str,
    /// The deprecated `Status`: `ACTIVE`, or `SUSPENDED` once closed.
    pub status: &'static str,
}

/// The description of a member account.
pub fn info(state: &State, org: &Organization, m: &Membership) -> AccountInfo {
    let account = state.accounts.get(&m.account);
    let closed = account.is_some_and(|a| a.closed.is_some());
    AccountInfo {
        id: m.account.clone(),
        arn: org.account_arn(&m.account),
        email: account.map(|a| a.email.clone()).unwrap_or_default(),
        name: account.map(|a| a.name.clone()).unwrap_or_default(),
        joined_method: m.joined_method.clone(),
        joined: m.joined,
        state: if closed { "CLOSED" } else { "ACTIVE" },
        status: if closed { "SUSPENDED" } else { "ACTIVE" },
    }
}

fn account_not_found() -> CoreError {
    err(
        OrgError::AccountNotFound,
        "You specified an account that doesn't exist.",
    )
}

/// The membership of an account of `org`.
pub(crate) fn member<'a>(
    state: &'a State,
    org: &Organization,
    account: &str,
) -> Result<&'a Membership, CoreError> {
    state
        .org
        .members
        .get(account)
        .filter(|m| m.org == org.id)
        .ok_or_else(account_not_found)
}

/// Whether `id` names the root or an OU of `org`.
pub(crate) fn is_parent(state: &State, org: &Organization, id: &str) -> bool {
    id == org.root_id || state.org.units.get(id).is_some_and(|u| u.org == org.id)
}

/// Inputs of `CreateAccount`.
#[derive(Debug, Default)]
pub struct CreateAccount<'a> {
    /// The root user's e-mail.
    pub email: &'a str,
    /// The account name.
    pub account_name: &'a str,
    /// The administrator role to create (`OrganizationAccountAccessRole`).
    pub role_name: Option<&'a str>,
    /// `ALLOW` / `DENY` (recorded by AWS for billing; accepted and ignored).
    pub iam_user_access_to_billing: Option<&'a str>,
}

fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    (6..=64).contains(&e.len())
        && !local.is_empty()
        && !e.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain
            .split_once('.')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
}

/// `organizations:CreateAccount`. AWS creates accounts asynchronously; Rootward
/// completes the work before answering but still answers `IN_PROGRESS`, and
/// `DescribeCreateAccountStatus` then shows `SUCCEEDED` (spec 03 §3.4). The new
/// account has no root credentials, and a role `RoleName` (default
/// `OrganizationAccountAccessRole`) with `AdministratorAccess` that trusts the
/// management account.
pub fn create_account(
    svc: &Service,
    caller: &Caller,
    input: CreateAccount<'_>,
) -> Result<CreateAccountStatus, CoreError> {
    if !valid_email(input.email) {
        return Err(invalid(
            "INVALID_EMAIL_ADDRESS_TARGET",
            "You specified an invalid email address.",
        ));
    }
    if input.account_name.is_empty() || input.account_name.chars().count() > 50 {
        return Err(invalid(
            "MAX_LENGTH_EXCEEDED",
            "You specified an invalid value for accountName: it must have 1 to 50 characters.",
        ));
    }
    let role_name = input.role_name.unwrap_or("OrganizationAccountAccessRole");
    if role_name.is_empty()
        || role_name.len() > 64
        || !role_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c))
    {
        return Err(invalid(
            "INVALID_ROLE_NAME",
            "You provided a role name that isn't valid.",
        ));
    }
    if let Some(b) = input.iam_user_access_to_billing
        && !matches!(b, "ALLOW" | "DENY")
    {
        return Err(invalid(
            "INVALID_ENUM",
            "You specified an invalid value for iamUserAccessToBilling.",
        ));
    }
    authorize(svc, caller, "CreateAccount", "*")?;
    let now = svc.now();
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        let mut status = CreateAccountStatus {
            id: format!("car-{}", id_body(12)),
            org: org.id.clone(),
            account_name: input.account_name.to_owned(),
            state: "SUCCEEDED".to_owned(),
            requested: now,
            completed: Some(now),
            account_id: None,
            failure_reason: None,
        };
        let taken = state
            .accounts
            .values()
            .any(|a| a.email.eq_ignore_ascii_case(input.email));
        if taken {
            status.state = "FAILED".to_owned();
            status.failure_reason = Some("EMAIL_ALREADY_EXISTS".to_owned());
            // As for a success: the request is answered IN_PROGRESS and
            // DescribeCreateAccountStatus then tells (AWS finds a taken
            // e-mail only while it works on the request; spec 03 §3.4).
            let mut answer = status.clone();
            answer.state = "IN_PROGRESS".to_owned();
            answer.completed = None;
            answer.failure_reason = None;
            return Ok((answer, vec![Change::Put(Record::CreateAccountStatus(status))]));
        }
        let mut id = ids::account_id();
        while state.accounts.contains_key(&id) {
            id = ids::account_id();
        }
        status.account_id = Some(id.clone());
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"sts:AssumeRole"}}]}}"#,
            crate::ident::Arn::root(&org.management_account)
        );
        let role = Role {
            account: id.clone(),
            name: role_name.to_owned(),
            path: "/".to_owned(),
            id: ids::unique_id("AROA"),
            created: now,
            trust_policy: trust,
            description: None,
            max_session_duration: 3_600,
            inline_policies: Default::default(),
            attached_policies: vec!["arn:aws:iam::aws:policy/AdministratorAccess".to_owned()],
            permissions_boundary: None,
            tags: Vec::new(),
            linked_service: None,
        };
        let mut changes = vec![
            Change::Put(Record::Account(Account {
                id: id.clone(),
                name: input.account_name.to_owned(),
                email: input.email.to_owned(),
                created: now,
                root_password_last_used: None,
                alias: None,
                closed: None,
                closed_by: None,
                regions: Default::default(),
            })),
            Change::Put(Record::OrgMember(Membership {
                account: id.clone(),
                org: org.id.clone(),
                parent: org.root_id.clone(),
                joined_method: "CREATED".to_owned(),
                joined: now,
            })),
            Change::Put(Record::Role(role)),
        ];
        changes.extend(default_scp(org, &id));
        let mut answer = status.clone();
        answer.state = "IN_PROGRESS".to_owned();
        answer.completed = None;
        answer.account_id = None;
        changes.push(Change::Put(Record::CreateAccountStatus(status)));
        Ok((answer, changes))
    })
}

/// `organizations:DescribeCreateAccountStatus`.
pub fn describe_create_account_status(
    svc: &Service,
    caller: &Caller,
    id: &str,
) -> Result<CreateAccountStatus, CoreError> {
    check_id("createAccountRequestId", id, "car-")?;
    authorize(svc, caller, "DescribeCreateAccountStatus", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    state
        .org
        .statuses
        .get(id)
        .filter(|c| c.org == org.id)
        .cloned()
        .ok_or_else(|| {
            err(OrgError::CreateAccountStatusNotFound, "We can't find an create account request with the CreateAccountRequestId that you specified.",
            )
        })
}

/// `organizations:ListCreateAccountStatus`, optionally only some `States`.
pub fn list_create_account_status(
    svc: &Service,
    caller: &Caller,
    states: &[String],
    req: PageRequest<'_>,
) -> Result<Page<CreateAccountStatus>, CoreError> {
    for s in states {
        if !matches!(s.as_str(), "IN_PROGRESS" | "SUCCEEDED" | "FAILED") {
            return Err(invalid(
                "INVALID_ENUM",
                "You specified an invalid value for states.",
            ));
        }
    }
    authorize(svc, caller, "ListCreateAccountStatus", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    page(
        state
            .org
            .statuses
            .values()
            .filter(|c| c.org == org.id)
            .filter(|c| states.is_empty() || states.contains(&c.state))
            .cloned(),
        req,
    )
}

fn account_resource(svc: &Service, caller: &Caller, account: &str) -> String {
    svc.read()
        .org
        .org_of(&caller.account)
        .map(|o| o.account_arn(account))
        .unwrap_or_else(|| "*".to_owned())
}

/// `organizations:DescribeAccount`.
pub fn describe_account(
    svc: &Service,
    caller: &Caller,
    account: &AccountId,
) -> Result<AccountInfo, CoreError> {
    let account = account.as_str();
    authorize(
        svc,
        caller,
        "DescribeAccount",
        &account_resource(svc, caller, account),
    )?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    let m = member(&state, org, account)?;
    Ok(info(&state, org, m))
}

/// `organizations:ListAccounts`, in account id order.
pub fn list_accounts(
    svc: &Service,
    caller: &Caller,
    req: PageRequest<'_>,
) -> Result<Page<AccountInfo>, CoreError> {
    authorize(svc, caller, "ListAccounts", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    Ok(page_by(
        state.org.members.values().filter(|m| m.org == org.id),
        req,
        |m| m.account.clone(),
    )?
    .map(|m| info(&state, org, m)))
}

/// `organizations:ListAccountsForParent`.
pub fn list_accounts_for_parent(
    svc: &Service,
    caller: &Caller,
    parent: &str,
    req: PageRequest<'_>,
) -> Result<Page<AccountInfo>, CoreError> {
    super::units::check_parent_id(parent)?;
    authorize(svc, caller, "ListAccountsForParent", "*")?;
    let state = svc.read();
    let org = as_reader(&state, caller)?;
    if !is_parent(&state, org, parent) {
        return Err(super::units::parent_not_found());
    }
    Ok(page_by(
        state
            .org
            .members
            .values()
            .filter(|m| m.org == org.id && m.parent == parent),
        req,
        |m| m.account.clone(),
    )?
    .map(|m| info(&state, org, m)))
}

/// `organizations:MoveAccount`.
pub fn move_account(
    svc: &Service,
    caller: &Caller,
    account: &AccountId,
    source: &str,
    destination: &str,
) -> Result<(), CoreError> {
    let account = account.as_str();
    super::units::check_parent_id(source)?;
    super::units::check_parent_id(destination)?;
    authorize(
        svc,
        caller,
        "MoveAccount",
        &account_resource(svc, caller, account),
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        let m = member(state, org, account)?;
        // The source must be the account's parent: a root or OU that exists
        // elsewhere in the organization is as wrong a source as one that
        // does not (spec 03 §3.4). Checked after the account and before the
        // destination, the order §3.4 lists them in [order UNCONFIRMED].
        if m.parent != source || !is_parent(state, org, source) {
            return Err(err(OrgError::SourceParentNotFound, "We can't find a source root or OU with the ParentId that you specified.",
            ));
        }
        if !is_parent(state, org, destination) {
            return Err(err(OrgError::DestinationParentNotFound, "We can't find the destination container (a root or OU) with the ParentId that you specified.",
            ));
        }
        if source == destination {
            return Err(err(OrgError::DuplicateAccount, "That account is already present in the specified destination.",
            ));
        }
        let mut m = m.clone();
        m.parent = destination.to_owned();
        Ok(((), vec![Change::Put(Record::OrgMember(m))]))
    })
}

/// The changes that take an account out of its organization.
fn leave(state: &State, org: &Organization, account: &str) -> Result<Vec<Change>, CoreError> {
    if account == org.management_account {
        return Err(err(
            OrgError::MasterCannotLeaveOrganization,
            "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization.",
        ));
    }
    if org
        .delegated_admins
        .get(account)
        .is_some_and(|s| !s.is_empty())
    {
        return Err(constraint(
            "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
            "You can't remove an account that is a delegated administrator. Deregister it first.",
        ));
    }
    let mut changes = vec![Change::Delete(table::ORG_MEMBERS, account.to_owned())];
    // An account's tags belong to the organization: they go when it leaves.
    if state.org.tags.contains_key(account) {
        changes.push(Change::Delete(table::ORG_TAGS, account.to_owned()));
    }
    changes.extend(
        state
            .org
            .attached_to(&org.id, account)
            .map(|a| Change::Delete(table::ORG_ATTACHMENTS, a.key())),
    );
    Ok(changes)
}

/// Whether `account` is a member account that `CloseAccount` closed.
pub fn is_closed(state: &State, account: &str) -> bool {
    state
        .accounts
        .get(account)
        .is_some_and(|a| a.closed.is_some())
}

/// How many member accounts the organization may close in a rolling 30
/// days: a tenth of its members, at least 10 and at most 1,000 (the
/// CloseAccount reference).
fn close_quota(members: usize) -> usize {
    (members / 10).clamp(10, 1_000)
}

/// `organizations:CloseAccount` (the management account, an organization
/// with all features): the member is closed at once (AWS closes it in the
/// background, `PENDING_CLOSURE` then closed; here `DescribeAccount` shows
/// `State` `CLOSED`, `Status` `SUSPENDED`, as soon as the call is
/// answered). It stays in the organization; its users', roles' and root
/// user's credentials are refused from then on, and stay refused if it is
/// removed from the organization (the closure is the account's).
pub fn close_account(svc: &Service, caller: &Caller, account: &AccountId) -> Result<(), CoreError> {
    let account = account.as_str();
    authorize(
        svc,
        caller,
        "CloseAccount",
        &account_resource(svc, caller, account),
    )?;
    let now = svc.now();
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        if org.feature_set != "ALL" {
            // UNCONFIRMED: the reference says only that an account can be
            // closed when all features are enabled.
            return Err(constraint(
                "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
                "You can close an account only when all features are enabled in the organization.",
            ));
        }
        if account == org.management_account {
            return Err(constraint(
                "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
                "You cannot close the management account with this operation.",
            ));
        }
        member(state, org, account)?;
        let mut record = state.account_record(account)?.clone();
        if record.closed.is_some() {
            return Err(err(
                OrgError::AccountAlreadyClosed,
                "You have already closed the account.",
            ));
        }
        let members = state
            .org
            .members
            .values()
            .filter(|m| m.org == org.id)
            .count();
        // Closures in the last 30 days by this organization, of accounts
        // still in it or gone since (a removal does not give a closure back).
        let recent = state
            .accounts
            .values()
            .filter(|a| a.closed_by.as_deref() == Some(org.id.as_str()))
            .filter(|a| a.closed.is_some_and(|t| now - t < time::Duration::days(30)))
            .count();
        if recent >= close_quota(members) {
            return Err(constraint(
                "CLOSE_ACCOUNT_QUOTA_EXCEEDED",
                "You have exceeded the close account quota for the past 30 days.",
            ));
        }
        record.closed = Some(now);
        record.closed_by = Some(org.id.clone());
        Ok(((), vec![Change::Put(Record::Account(record))]))
    })
}

/// `organizations:RemoveAccountFromOrganization`.
pub fn remove_account(
    svc: &Service,
    caller: &Caller,
    account: &AccountId,
) -> Result<(), CoreError> {
    let account = account.as_str();
    authorize(
        svc,
        caller,
        "RemoveAccountFromOrganization",
        &account_resource(svc, caller, account),
    )?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        member(state, org, account)?;
        Ok(((), leave(state, org, account)?))
    })
}

/// `organizations:LeaveOrganization` (a member account, for itself).
pub fn leave_organization(svc: &Service, caller: &Caller) -> Result<(), CoreError> {
    authorize(svc, caller, "LeaveOrganization", "*")?;
    svc.mutate(|state| {
        let org = org_of(state, caller)?;
        Ok(((), leave(state, org, &caller.account)?))
    })
}
