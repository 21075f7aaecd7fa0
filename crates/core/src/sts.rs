//! STS: GetCallerIdentity and GetSessionToken (spec 02 §2.4).

use time::Duration;

use crate::authz::{Caller, CallerKind};
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, Record, Session, SessionPrincipal};
use crate::secret::Secret;
use crate::service::Service;

/// `GetCallerIdentity`: (UserId, Account, Arn). Never authorized (spec 06 §6.2.1).
pub fn get_caller_identity(svc: &Service, caller: &Caller) -> (String, String, String) {
    let state = svc.read();
    (
        caller.user_id(&state),
        caller.account.clone(),
        caller.arn(&state),
    )
}

/// `GetSessionToken`: temporary credentials for the calling user or root,
/// 900–129,600 s (root: at most 3,600 s); default 43,200 s.
pub fn get_session_token(
    svc: &Service,
    caller: &Caller,
    duration: Option<i64>,
) -> Result<Session, CoreError> {
    let principal = match &caller.kind {
        CallerKind::User { name } if caller.token_issued.is_none() => {
            SessionPrincipal::User { name: name.clone() }
        }
        CallerKind::Root if caller.token_issued.is_none() => SessionPrincipal::Root,
        _ => {
            return Err(CoreError::AccessDenied(
                "Cannot call GetSessionToken with session credentials".into(),
            ));
        }
    };
    let max = if principal == SessionPrincipal::Root {
        3_600
    } else {
        129_600
    };
    let secs = duration.unwrap_or(if max == 3_600 { 3_600 } else { 43_200 });
    if !(900..=max).contains(&secs) {
        return Err(CoreError::Validation(format!(
            "1 validation error detected: Value '{secs}' at 'durationSeconds' failed to satisfy constraint: Member must have value {}",
            if secs < 900 {
                "greater than or equal to 900".to_owned()
            } else {
                format!("less than or equal to {max}")
            }
        )));
    }
    let now = svc.now();
    let session = Session {
        access_key_id: ids::temporary_key_id(),
        secret: Secret::new(ids::secret_access_key()),
        token: Secret::new(ids::session_token()),
        account: caller.account.clone(),
        principal,
        issued: now,
        expires: now + Duration::seconds(secs),
        session_policies: Vec::new(),
        source_identity: None,
    };
    svc.mutate(|_| {
        Ok((
            session.clone(),
            vec![Change::Put(Record::Session(session.clone()))],
        ))
    })
}
