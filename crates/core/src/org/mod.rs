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

use std::fmt;

use crate::authz::Caller;
use crate::error::CoreError;
use crate::service::Service;
use crate::state::State;
use model::Organization;

/// An Organizations exception: its shape name, message, and `Reason` when the
/// shape carries one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgError {
    /// The exception's shape name, e.g. `ConstraintViolationException`.
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// `Reason`, on the shapes that carry one.
    pub reason: Option<&'static str>,
}

impl fmt::Display for OrgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// An Organizations failure.
pub fn err(code: &'static str, message: impl Into<String>) -> CoreError {
    CoreError::Organizations(OrgError {
        code,
        message: message.into(),
        reason: None,
    })
}

/// An Organizations failure with a `Reason`.
pub fn err_reason(
    code: &'static str,
    reason: &'static str,
    message: impl Into<String>,
) -> CoreError {
    CoreError::Organizations(OrgError {
        code,
        message: message.into(),
        reason: Some(reason),
    })
}

/// `InvalidInputException` with a reason.
pub fn invalid(reason: &'static str, message: impl Into<String>) -> CoreError {
    err_reason("InvalidInputException", reason, message)
}

/// `ConstraintViolationException` with a reason.
pub fn constraint(reason: &'static str, message: impl Into<String>) -> CoreError {
    err_reason("ConstraintViolationException", reason, message)
}

/// The refusal of a management-only or reader-only operation ([live]: HTTP 400).
pub fn forbidden() -> CoreError {
    err(
        "AccessDeniedException",
        "You don't have permissions to access this resource.",
    )
}

/// The caller's account is in no organization.
// UNCONFIRMED message (spec 03 §3.3): the recommended text.
pub fn not_in_use() -> CoreError {
    err(
        "AWSOrganizationsNotInUseException",
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
            CoreError::AccessDenied(m) => err("AccessDeniedException", m),
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

/// Cuts one page out of `items`. Tokens are opaque to clients; a token the
/// service did not issue is `InvalidInputException` `INVALID_NEXT_TOKEN`.
pub fn page<T>(items: impl Iterator<Item = T>, req: PageRequest<'_>) -> Result<Page<T>, CoreError> {
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
    let start = match req.next_token {
        None => 0,
        Some(t) => t
            .strip_prefix(TOKEN_PREFIX)
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| invalid("INVALID_NEXT_TOKEN", "The specified NextToken is invalid."))?,
    };
    let max = usize::try_from(max).unwrap_or(20);
    let mut iter = items.skip(start);
    let items: Vec<T> = iter.by_ref().take(max).collect();
    let next_token = iter
        .next()
        .map(|_| format!("{TOKEN_PREFIX}{}", start + items.len()));
    Ok(Page { items, next_token })
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

/// Checks a 12-digit account id.
pub fn check_account_id(id: &str) -> Result<(), CoreError> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(invalid(
            "INVALID_PATTERN",
            "You specified an invalid value for accountId.",
        ))
    }
}
