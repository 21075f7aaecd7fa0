//! AWS Organizations (spec 03): the organization tree, accounts, SCPs, trusted
//! services, delegated administrators and invitations.
//!
//! Every operation first asks the policy engine for `organizations:<Op>` in the
//! caller's account (identity policies, boundary, session policies, SCPs), then
//! applies the Organizations caller rules of spec 03 §3.3: writes from the
//! management account only, reads also from a delegated administrator.

pub mod accounts;
pub mod handshakes;
pub mod model;
pub mod organization;
pub mod policies;
pub mod services;
pub mod state;
pub mod tags;
pub mod units;

use crate::authz::Caller;
use crate::error::CoreError;
use crate::ident::AccountId;
use crate::service::Service;
use crate::state::State;
use model::Organization;

/// An Organizations failure, named after its exception shape (the server
/// gives each its `__type`; every one is an HTTP 400, spec 03 §3.5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    /// `AWSOrganizationsNotInUseException`.
    #[error("{0}")]
    AwsOrganizationsNotInUse(String),
    /// `AccessDeniedException`.
    #[error("{0}")]
    AccessDenied(String),
    /// `AccountAlreadyRegisteredException`.
    #[error("{0}")]
    AccountAlreadyRegistered(String),
    /// `AccountNotFoundException`.
    #[error("{0}")]
    AccountNotFound(String),
    /// `AccountAlreadyClosedException`.
    #[error("{0}")]
    AccountAlreadyClosed(String),
    /// `AccountNotRegisteredException`.
    #[error("{0}")]
    AccountNotRegistered(String),
    /// `AlreadyInOrganizationException`.
    #[error("{0}")]
    AlreadyInOrganization(String),
    /// `ChildNotFoundException`.
    #[error("{0}")]
    ChildNotFound(String),
    /// `CreateAccountStatusNotFoundException`.
    #[error("{0}")]
    CreateAccountStatusNotFound(String),
    /// `DestinationParentNotFoundException`.
    #[error("{0}")]
    DestinationParentNotFound(String),
    /// `DuplicateAccountException`.
    #[error("{0}")]
    DuplicateAccount(String),
    /// `DuplicateHandshakeException`.
    #[error("{0}")]
    DuplicateHandshake(String),
    /// `DuplicateOrganizationalUnitException`.
    #[error("{0}")]
    DuplicateOrganizationalUnit(String),
    /// `DuplicatePolicyAttachmentException`.
    #[error("{0}")]
    DuplicatePolicyAttachment(String),
    /// `DuplicatePolicyException`.
    #[error("{0}")]
    DuplicatePolicy(String),
    /// `HandshakeNotFoundException`.
    #[error("{0}")]
    HandshakeNotFound(String),
    /// `InvalidHandshakeTransitionException`.
    #[error("{0}")]
    InvalidHandshakeTransition(String),
    /// `MalformedPolicyDocumentException`.
    #[error("{0}")]
    MalformedPolicyDocument(String),
    /// `MasterCannotLeaveOrganizationException`.
    #[error("{0}")]
    MasterCannotLeaveOrganization(String),
    /// `OrganizationNotEmptyException`.
    #[error("{0}")]
    OrganizationNotEmpty(String),
    /// `OrganizationalUnitNotEmptyException`.
    #[error("{0}")]
    OrganizationalUnitNotEmpty(String),
    /// `OrganizationalUnitNotFoundException`.
    #[error("{0}")]
    OrganizationalUnitNotFound(String),
    /// `ParentNotFoundException`.
    #[error("{0}")]
    ParentNotFound(String),
    /// `PolicyInUseException`.
    #[error("{0}")]
    PolicyInUse(String),
    /// `PolicyNotAttachedException`.
    #[error("{0}")]
    PolicyNotAttached(String),
    /// `PolicyNotFoundException`.
    #[error("{0}")]
    PolicyNotFound(String),
    /// `PolicyTypeAlreadyEnabledException`.
    #[error("{0}")]
    PolicyTypeAlreadyEnabled(String),
    /// `PolicyTypeNotAvailableForOrganizationException`.
    #[error("{0}")]
    PolicyTypeNotAvailableForOrganization(String),
    /// `PolicyTypeNotEnabledException`.
    #[error("{0}")]
    PolicyTypeNotEnabled(String),
    /// `RootNotFoundException`.
    #[error("{0}")]
    RootNotFound(String),
    /// `SourceParentNotFoundException`.
    #[error("{0}")]
    SourceParentNotFound(String),
    /// `TargetNotFoundException`.
    #[error("{0}")]
    TargetNotFound(String),
    /// `ConstraintViolationException`, with its `Reason`.
    #[error("{message}")]
    ConstraintViolation {
        /// The `Reason` (a value of the model's enum).
        reason: &'static str,
        /// The message.
        message: String,
    },
    /// `HandshakeConstraintViolationException`, with its `Reason`.
    #[error("{message}")]
    HandshakeConstraintViolation {
        /// The `Reason` (a value of the model's enum).
        reason: &'static str,
        /// The message.
        message: String,
    },
    /// `InvalidInputException`, with its `Reason`.
    #[error("{message}")]
    InvalidInput {
        /// The `Reason` (a value of the model's enum).
        reason: &'static str,
        /// The message.
        message: String,
    },
}

impl OrgError {
    /// The `Reason`, on the shapes that carry one.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            OrgError::ConstraintViolation { reason, .. }
            | OrgError::HandshakeConstraintViolation { reason, .. }
            | OrgError::InvalidInput { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

impl From<OrgError> for CoreError {
    fn from(e: OrgError) -> Self {
        CoreError::Organizations(e)
    }
}

/// An Organizations failure whose shape carries only a message.
pub fn err(shape: fn(String) -> OrgError, message: impl Into<String>) -> CoreError {
    CoreError::Organizations(shape(message.into()))
}

/// `InvalidInputException` with a reason.
pub fn invalid(reason: &'static str, message: impl Into<String>) -> CoreError {
    CoreError::Organizations(OrgError::InvalidInput {
        reason,
        message: message.into(),
    })
}

/// `ConstraintViolationException` with a reason.
pub fn constraint(reason: &'static str, message: impl Into<String>) -> CoreError {
    CoreError::Organizations(OrgError::ConstraintViolation {
        reason,
        message: message.into(),
    })
}

/// `HandshakeConstraintViolationException` with a reason.
pub fn handshake_constraint(reason: &'static str, message: impl Into<String>) -> CoreError {
    CoreError::Organizations(OrgError::HandshakeConstraintViolation {
        reason,
        message: message.into(),
    })
}

/// The refusal of a management-only or reader-only operation ([live]: HTTP 400).
pub fn forbidden() -> CoreError {
    err(
        OrgError::AccessDenied,
        "You don't have permissions to access this resource.",
    )
}

/// The caller's account is in no organization.
// UNCONFIRMED message (spec 03 §3.3): the recommended text.
pub fn not_in_use() -> CoreError {
    err(
        OrgError::AwsOrganizationsNotInUse,
        "Your account is not a member of an organization.",
    )
}

/// Asks the policy engine for `organizations:<op>` on `resource`.
pub fn authorize(
    svc: &Service,
    caller: &Caller,
    op: &str,
    resource: &str,
) -> Result<(), CoreError> {
    svc.authorize(caller, &format!("organizations:{op}"), resource, None, &[])
        .map_err(|e| match e {
            CoreError::AccessDenied(m) => err(OrgError::AccessDenied, m),
            other => other,
        })
}

/// The caller's organization.
pub fn org_of<'a>(state: &'a State, caller: &Caller) -> Result<&'a Organization, CoreError> {
    state.org.org_of(&caller.account).ok_or_else(not_in_use)
}

/// The caller's organization, when the caller is its management account.
pub fn as_management<'a>(state: &'a State, caller: &Caller) -> Result<&'a Organization, CoreError> {
    let org = org_of(state, caller)?;
    if org.management_account == caller.account {
        Ok(org)
    } else {
        Err(forbidden())
    }
}

/// The caller's organization, when the caller may read its structure: the
/// management account or a delegated administrator for any service.
pub fn as_reader<'a>(state: &'a State, caller: &Caller) -> Result<&'a Organization, CoreError> {
    let org = org_of(state, caller)?;
    if org.management_account == caller.account || state.org.is_delegated_admin(&caller.account) {
        Ok(org)
    } else {
        Err(forbidden())
    }
}

/// The paging inputs of a `List*` operation.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageRequest<'a> {
    /// `NextToken` from the previous page.
    pub next_token: Option<&'a str>,
    /// `MaxResults` (1–20).
    pub max_results: Option<i64>,
    /// What the listing is (a fingerprint of the operation's other inputs):
    /// a token answers only the listing that issued it, as AWS's tokens
    /// are bound to their call.
    pub scope: u64,
}

/// One page of results.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// The token of the next page.
    pub next_token: Option<String>,
}

const TOKEN_PREFIX: &str = "rw1-";

/// Cuts one page out of `items` by position: for lists nobody changes
/// while paging them (statuses, trusted services, tags). Tokens are opaque
/// to clients; a token the service did not issue is
/// `InvalidInputException` `INVALID_NEXT_TOKEN`.
pub fn page<T>(items: impl Iterator<Item = T>, req: PageRequest<'_>) -> Result<Page<T>, CoreError> {
    page_by(items, req, |_| String::new())
}

fn invalid_token() -> CoreError {
    invalid("INVALID_NEXT_TOKEN", "The specified NextToken is invalid.")
}

/// [`page`] for a list whose items `key` names (an account's, unit's,
/// policy's or handshake's id): the token also names the first item of the
/// next page, so that a client changing each page before it asks for the
/// next (a paginator loop that moves accounts out of a unit, detaches a
/// policy from its targets or deletes policies) resumes at that item, not
/// at a count of items that no longer holds. Found by its key wherever it
/// now is; gone, the list resumes at the first item after it when the list
/// is in `key` order, else at the position.
///
/// A token is `rw1-` and the listing's [`PageRequest::scope`] in
/// hexadecimal, then `.N` or `.N.` followed by the key in hexadecimal, `N`
/// being the next item's position. A token of another listing is
/// `INVALID_NEXT_TOKEN`.
pub fn page_by<T>(
    items: impl Iterator<Item = T>,
    req: PageRequest<'_>,
    key: impl Fn(&T) -> String,
) -> Result<Page<T>, CoreError> {
    let max = req.max_results.unwrap_or(20);
    if max < 1 {
        return Err(invalid(
            "MIN_VALUE_EXCEEDED",
            "You provided a value that is too small. MaxResults must be at least 1.",
        ));
    }
    if max > 20 {
        return Err(invalid(
            "MAX_VALUE_EXCEEDED",
            "You provided a value that is too large. MaxResults must be at most 20.",
        ));
    }
    let max = usize::try_from(max).unwrap_or(20);
    let items: Vec<T> = items.collect();
    let start = match req.next_token {
        None => 0,
        Some(t) => {
            let body = t.strip_prefix(TOKEN_PREFIX).ok_or_else(invalid_token)?;
            crate::paging::scoped_start(&items, body, req.scope, &key).ok_or_else(invalid_token)?
        }
    };
    let total = items.len();
    let next_key = items.get(start.saturating_add(max)).map(&key);
    let items: Vec<T> = items.into_iter().skip(start).take(max).collect();
    let end = start + items.len();
    let next_token = (end < total).then(|| {
        let token = crate::paging::scoped(req.scope, end, &next_key.unwrap_or_default());
        format!("{TOKEN_PREFIX}{token}")
    });
    Ok(Page { items, next_token })
}

impl<T> Page<T> {
    /// The page with each item mapped (paging the stored records, then
    /// building the answer only for the items on the page).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_token: self.next_token,
        }
    }
}

/// A random id body of `n` lower-case letters and digits.
pub fn id_body(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| {
            char::from(
                CHARS
                    .get(rng.random_range(0..CHARS.len()))
                    .copied()
                    .unwrap_or(b'a'),
            )
        })
        .collect()
}

/// Checks an id against its documented pattern (`InvalidInputException`
/// `INVALID_PATTERN`... for malformed ids).
pub fn check_id(what: &str, id: &str, prefix: &str) -> Result<(), CoreError> {
    let ok = id.starts_with(prefix)
        && id.len() > prefix.len()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "INVALID_PATTERN",
            format!("You specified an invalid value for {what}."),
        ))
    }
}

/// A 12-digit account id named by a request (`InvalidInputException`
/// `INVALID_PATTERN` when it is not one): the server decodes the
/// `AccountId` members with it, the domain takes [`AccountId`]s.
pub fn account_id(id: &str) -> Result<AccountId, CoreError> {
    AccountId::parse(id).map_err(|_| {
        invalid(
            "INVALID_PATTERN",
            "You specified an invalid value for accountId.",
        )
    })
}
