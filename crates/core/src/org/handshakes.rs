//! Invitations: an organization invites a standalone account, which accepts
//! or declines (`InviteAccountToOrganization`, `AcceptHandshake`, …).

use time::Duration;

use super::model::{Handshake, Membership, Organization};
use super::organization::default_scp;
use super::{
    OrgError, Page, PageRequest, as_management, authorize, check_id, err, handshake_constraint,
    id_body, invalid, page_by,
};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record};
use crate::service::Service;
use crate::state::State;

/// How long an invitation stays open.
pub const INVITATION_LIFETIME: Duration = Duration::days(15);

/// A handshake with what its description shows beside it.
#[derive(Debug, Clone)]
pub struct HandshakeInfo {
    /// The handshake.
    pub handshake: Handshake,
    /// Its organization (when it still exists).
    pub org: Option<Organization>,
    /// The management account's e-mail.
    pub management_email: String,
    /// The management account's name.
    pub management_name: String,
}

fn describe(state: &State, h: &Handshake) -> HandshakeInfo {
    let org = state.org.orgs.get(&h.org).cloned();
    let mgmt = org
        .as_ref()
        .and_then(|o| state.accounts.get(&o.management_account));
    HandshakeInfo {
        handshake: h.clone(),
        management_email: mgmt.map(|a| a.email.clone()).unwrap_or_default(),
        management_name: mgmt.map(|a| a.name.clone()).unwrap_or_default(),
        org,
    }
}

fn not_found() -> CoreError {
    err(
        OrgError::HandshakeNotFound,
        "We can't find a handshake with the HandshakeId that you specified.",
    )
}

fn bad_transition() -> CoreError {
    err(
        OrgError::InvalidHandshakeTransition,
        "You can't perform the operation on the handshake in its current state.",
    )
}

fn already_in_org() -> CoreError {
    handshake_constraint(
        "ALREADY_IN_AN_ORGANIZATION",
        "The account is already a member of an organization.",
    )
}

/// The state a handshake is in now (an open one past its time has expired).
fn current_state(h: &Handshake, now: time::OffsetDateTime) -> &str {
    if h.state == "OPEN" && h.expires <= now {
        "EXPIRED"
    } else {
        &h.state
    }
}

/// `organizations:InviteAccountToOrganization`. `target_type` is `ACCOUNT`
/// (an account id) or `EMAIL` (the account's root e-mail).
pub fn invite_account(
    svc: &Service,
    caller: &Caller,
    target_id: &str,
    target_type: &str,
    notes: Option<&str>,
) -> Result<HandshakeInfo, CoreError> {
    if !matches!(target_type, "ACCOUNT" | "EMAIL") {
        return Err(invalid(
            "INVALID_PARTY_TYPE_TARGET",
            "You specified the wrong type for the handshake's target.",
        ));
    }
    if notes.is_some_and(|n| n.chars().count() > 1024) {
        return Err(invalid(
            "MAX_LENGTH_EXCEEDED",
            "Notes can have at most 1,024 characters.",
        ));
    }
    authorize(svc, caller, "InviteAccountToOrganization", "*")?;
    let now = svc.now();
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        let account = match target_type {
            "ACCOUNT" => state.accounts.get(target_id).map(|a| a.id.clone()),
            _ => state
                .accounts
                .values()
                .find(|a| a.email.eq_ignore_ascii_case(target_id))
                .map(|a| a.id.clone()),
        }
        .ok_or_else(|| {
            err(
                OrgError::AccountNotFound,
                "You specified an account that doesn't exist.",
            )
        })?;
        if state.org.members.contains_key(&account) {
            return Err(already_in_org());
        }
        let open = state.org.handshakes.values().any(|h| {
            h.org == org.id
                && h.account == account
                && h.action == "INVITE"
                && current_state(h, now) == "OPEN"
        });
        if open {
            return Err(err(
                OrgError::DuplicateHandshake,
                "A handshake with the same action and target already exists.",
            ));
        }
        let h = Handshake {
            id: format!("h-{}", id_body(10)),
            org: org.id.clone(),
            action: "INVITE".to_owned(),
            account,
            state: "OPEN".to_owned(),
            requested: now,
            expires: now + INVITATION_LIFETIME,
            notes: notes.map(str::to_owned),
        };
        Ok((describe(state, &h), vec![Change::Put(Record::Handshake(h))]))
    })
}

fn handshake<'a>(state: &'a State, id: &str) -> Result<&'a Handshake, CoreError> {
    state.org.handshakes.get(id).ok_or_else(not_found)
}

/// Whether the caller is a party to the handshake.
fn party(state: &State, caller: &Caller, h: &Handshake) -> bool {
    h.account == caller.account
        || state
            .org
            .orgs
            .get(&h.org)
            .is_some_and(|o| o.management_account == caller.account)
}

/// `organizations:DescribeHandshake` (either party).
pub fn describe_handshake(
    svc: &Service,
    caller: &Caller,
    id: &str,
) -> Result<HandshakeInfo, CoreError> {
    check_id("handshakeId", id, "h-")?;
    authorize(svc, caller, "DescribeHandshake", "*")?;
    let state = svc.read();
    let h = handshake(&state, id)?;
    if !party(&state, caller, h) {
        return Err(not_found());
    }
    let mut info = describe(&state, h);
    info.handshake.state = current_state(h, svc.now()).to_owned();
    Ok(info)
}

/// `organizations:ListHandshakesForAccount`: the caller's invitations.
pub fn list_for_account(
    svc: &Service,
    caller: &Caller,
    action: Option<&str>,
    req: PageRequest<'_>,
) -> Result<Page<HandshakeInfo>, CoreError> {
    authorize(svc, caller, "ListHandshakesForAccount", "*")?;
    let now = svc.now();
    let state = svc.read();
    Ok(page_by(
        state
            .org
            .handshakes
            .values()
            .filter(|h| h.account == caller.account)
            .filter(|h| action.is_none_or(|a| a == h.action)),
        req,
        |h| h.id.clone(),
    )?
    .map(|h| {
        let mut i = describe(&state, h);
        i.handshake.state = current_state(h, now).to_owned();
        i
    }))
}

/// `organizations:ListHandshakesForOrganization` (management account).
pub fn list_for_organization(
    svc: &Service,
    caller: &Caller,
    action: Option<&str>,
    req: PageRequest<'_>,
) -> Result<Page<HandshakeInfo>, CoreError> {
    authorize(svc, caller, "ListHandshakesForOrganization", "*")?;
    let now = svc.now();
    let state = svc.read();
    let org = as_management(&state, caller)?;
    Ok(page_by(
        state
            .org
            .handshakes
            .values()
            .filter(|h| h.org == org.id)
            .filter(|h| action.is_none_or(|a| a == h.action)),
        req,
        |h| h.id.clone(),
    )?
    .map(|h| {
        let mut i = describe(&state, h);
        i.handshake.state = current_state(h, now).to_owned();
        i
    }))
}

/// Moves an open handshake to `to`, checked by `who` (which party may).
fn transition(
    svc: &Service,
    caller: &Caller,
    op: &str,
    id: &str,
    to: &str,
) -> Result<HandshakeInfo, CoreError> {
    check_id("handshakeId", id, "h-")?;
    authorize(svc, caller, op, "*")?;
    let now = svc.now();
    svc.mutate(|state| {
        let h = handshake(state, id)?;
        let allowed = if to == "CANCELED" {
            state
                .org
                .orgs
                .get(&h.org)
                .is_some_and(|o| o.management_account == caller.account)
        } else {
            h.account == caller.account
        };
        if !allowed {
            return Err(if party(state, caller, h) {
                super::forbidden()
            } else {
                not_found()
            });
        }
        if current_state(h, now) != "OPEN" {
            return Err(bad_transition());
        }
        let mut h = h.clone();
        h.state = to.to_owned();
        let mut changes = Vec::new();
        if to == "ACCEPTED" {
            if state.org.members.contains_key(&caller.account) {
                return Err(already_in_org());
            }
            let org = state.org.orgs.get(&h.org).ok_or_else(bad_transition)?;
            changes.push(Change::Put(Record::OrgMember(Membership {
                account: caller.account.clone(),
                org: org.id.clone(),
                parent: org.root_id.clone(),
                joined_method: "INVITED".to_owned(),
                joined: now,
            })));
            changes.extend(default_scp(org, &caller.account));
        }
        let info = describe(state, &h);
        changes.push(Change::Put(Record::Handshake(h)));
        Ok((info, changes))
    })
}

/// `organizations:AcceptHandshake` (the invited account joins, under the root).
pub fn accept(svc: &Service, caller: &Caller, id: &str) -> Result<HandshakeInfo, CoreError> {
    transition(svc, caller, "AcceptHandshake", id, "ACCEPTED")
}

/// `organizations:DeclineHandshake` (the invited account).
pub fn decline(svc: &Service, caller: &Caller, id: &str) -> Result<HandshakeInfo, CoreError> {
    transition(svc, caller, "DeclineHandshake", id, "DECLINED")
}

/// `organizations:CancelHandshake` (the management account).
pub fn cancel(svc: &Service, caller: &Caller, id: &str) -> Result<HandshakeInfo, CoreError> {
    transition(svc, caller, "CancelHandshake", id, "CANCELED")
}
