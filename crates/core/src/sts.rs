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
        task_policy: None,
    };
    svc.mutate(|_| {
        Ok((
            session.clone(),
            vec![Change::Put(Record::Session(session.clone()))],
        ))
    })
}

/// Inputs of `AssumeRole`.
#[derive(Debug, Default)]
pub struct AssumeRole<'a> {
    /// The role's ARN.
    pub role_arn: &'a str,
    /// `RoleSessionName` (2–64 characters of `[\w+=,.@-]`).
    pub session_name: &'a str,
    /// 900 s up to the role's maximum (1 hour when chaining from a role session).
    pub duration: Option<i64>,
    /// An inline session policy, which must also allow.
    pub policy: Option<&'a str>,
    /// `SourceIdentity`.
    pub source_identity: Option<&'a str>,
}

/// The result of `AssumeRole`.
#[derive(Debug, Clone)]
pub struct AssumedRole {
    /// The new credentials.
    pub session: Session,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
    /// `AROA…:SESSION`.
    pub assumed_role_id: String,
}

fn validation(member: &str, value: &str, constraint: &str) -> CoreError {
    CoreError::Validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

/// `sts:AssumeRole`: the trust policy (resource-based) and the caller's
/// identity policies decide, by the same-account / cross-account rules.
pub fn assume_role(
    svc: &Service,
    caller: &Caller,
    input: AssumeRole<'_>,
) -> Result<AssumedRole, CoreError> {
    let name_ok = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.chars().count())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
    };
    if !name_ok(input.session_name, 2, 64) {
        return Err(validation(
            "roleSessionName",
            input.session_name,
            "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        ));
    }
    if let Some(si) = input.source_identity
        && !name_ok(si, 2, 64)
    {
        return Err(validation(
            "sourceIdentity",
            si,
            "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        ));
    }
    if let Some(doc) = input.policy {
        let problems = rootward_policy::check(doc, rootward_policy::PolicyKind::Session);
        if let Some(p) = problems.first() {
            return Err(CoreError::MalformedPolicy(p.to_string()));
        }
    }
    let denied = || {
        CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller.arn(&svc.read()),
            input.role_arn
        ))
    };
    if caller.kind == CallerKind::Root {
        return Err(CoreError::AccessDenied(
            "Roles may not be assumed by root accounts.".into(),
        ));
    }
    let fields: Vec<&str> = input.role_arn.splitn(6, ':').collect();
    let (account, role_name) = match fields.as_slice() {
        ["arn", _, "iam", "", account, resource] if resource.starts_with("role/") => (
            account.to_string(),
            resource.rsplit('/').next().unwrap_or_default().to_owned(),
        ),
        _ => {
            return Err(validation(
                "roleArn",
                input.role_arn,
                "Member must be a role ARN",
            ));
        }
    };
    let (role, trust) = {
        let state = svc.read();
        let role = state
            .role(&account, &role_name)
            .filter(|r| r.arn() == input.role_arn)
            .cloned();
        let trust = role
            .as_ref()
            .and_then(|r| {
                state
                    .compiled_roles
                    .get(&crate::model::user_key(&r.account, &r.name))
            })
            .and_then(|(_, t)| t.clone());
        (role, trust)
    };
    let (Some(role), Some(trust)) = (role, trust) else {
        return Err(denied());
    };
    let mut extra = vec![("sts:RoleSessionName", input.session_name)];
    if let Some(si) = input.source_identity {
        extra.push(("sts:SourceIdentity", si));
    }
    svc.authorize_with(
        caller,
        "sts:AssumeRole",
        input.role_arn,
        Some(&role.account),
        Some(&trust),
        &extra,
    )
    .map_err(|e| match e {
        CoreError::AccessDenied(_) => denied(),
        other => other,
    })?;
    let max = if matches!(caller.kind, CallerKind::Role { .. }) {
        3_600
    } else {
        role.max_session_duration
    };
    let secs = input.duration.unwrap_or(3_600);
    if !(900..=max).contains(&secs) {
        return Err(CoreError::Validation(format!(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role. ({secs} is outside 900..={max})"
        )));
    }
    let now = svc.now();
    let session = Session {
        access_key_id: ids::temporary_key_id(),
        secret: Secret::new(ids::secret_access_key()),
        token: Secret::new(ids::session_token()),
        account: role.account.clone(),
        principal: SessionPrincipal::Role {
            role_arn: role.arn(),
            role_id: role.id.clone(),
            session_name: input.session_name.to_owned(),
        },
        issued: now,
        expires: now + Duration::seconds(secs),
        session_policies: input.policy.map(|p| vec![p.to_owned()]).unwrap_or_default(),
        source_identity: input.source_identity.map(str::to_owned),
        task_policy: None,
    };
    let out = AssumedRole {
        arn: format!(
            "arn:aws:sts::{}:assumed-role/{}/{}",
            role.account, role.name, input.session_name
        ),
        assumed_role_id: format!("{}:{}", role.id, input.session_name),
        session: session.clone(),
    };
    svc.mutate(|_| Ok((out, vec![Change::Put(Record::Session(session))])))
}
