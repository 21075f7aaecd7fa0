//! STS: GetCallerIdentity and GetSessionToken (spec 02 §2.4).

use time::Duration;

use crate::authz::{Caller, CallerKind};
use rootward_model::Rule;

use crate::error::{CoreError, constraint};
use crate::ident::AccountId;
use crate::model::{Session, SessionPrincipal};
use crate::service::Service;

/// An STS failure that is neither a validation error nor a denial.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StsError {
    /// The operation is not served at this endpoint (`AssumeRoot` at the
    /// global endpoint, spec 02 §2.3.2 row 1): STS answers `InvalidAction`.
    #[error("Unknown Operation")]
    UnknownOperation,
}

/// `GetCallerIdentity`: (UserId, Account, Arn). Never authorized (spec 06 §6.2.1).
pub fn get_caller_identity(svc: &Service, caller: &Caller) -> (String, String, String) {
    let state = svc.read();
    (
        caller.user_id(&state),
        caller.account.clone(),
        caller.arn(&state),
    )
}

/// `sts:GetAccessKeyInfo`: the account an access key id belongs to,
/// whoever asks (the caller needs `sts:GetAccessKeyInfo`). As AWS does, the
/// account is read out of the key id itself (`AKIA…` and `ASIA…` ids carry
/// it: [`crate::ids::account_of_key`]), so a session's key, a deleted key or
/// another endpoint's key is answered too; a key this endpoint holds whose
/// id does not carry it (a bootstrap key given on the command line) is
/// answered from the store. Anything else is a `ValidationError`
/// (UNCONFIRMED: AWS documents no error for this call).
pub fn get_access_key_info(
    svc: &Service,
    caller: &Caller,
    access_key_id: &str,
) -> Result<String, CoreError> {
    svc.authorize(caller, "sts:GetAccessKeyInfo", "*", None, &[])?;
    if let Some(k) = svc.read().access_keys.get(access_key_id) {
        return Ok(k.account.clone());
    }
    crate::ids::account_of_key(access_key_id).ok_or_else(|| {
        CoreError::Validation(format!(
            "The access key ID {access_key_id} is not a valid access key ID."
        ))
    })
}

/// The MFA a `GetSessionToken` or `AssumeRole` request names: the device
/// `serial` must be the caller's own (its IAM user's, or its root user's
/// when the root user calls), enabled, and `code` its current code (one
/// step of drift either way). `Ok(false)`: no MFA given; `Ok(true)`: MFA
/// checked. Anything else is refused with STS's `AccessDenied` messages.
pub fn check_mfa(
    svc: &Service,
    caller: &Caller,
    serial: Option<&str>,
    code: Option<&str>,
) -> Result<bool, CoreError> {
    let (serial, code) = match (serial, code) {
        (None, None) => return Ok(false),
        (Some(s), Some(c)) => (s, c),
        _ => {
            return Err(CoreError::AccessDenied(
                "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.".into(),
            ));
        }
    };
    let unknown = || {
        CoreError::AccessDenied(
            "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.".into(),
        )
    };
    let owner = match &caller.kind {
        CallerKind::User { name, .. } => crate::iam::model::KeyOwner::User(name.clone()),
        CallerKind::Root if caller.task_policy.is_none() => crate::iam::model::KeyOwner::Root,
        // A role session or a root session has no device of its own.
        _ => return Err(unknown()),
    };
    let seed = {
        let state = svc.read();
        let device = state
            .mfa_devices
            .get(&crate::iam::model::mfa_key(&caller.account, serial))
            .filter(|d| d.owner.as_ref() == Some(&owner) && d.enabled.is_some())
            .ok_or_else(unknown)?;
        device.seed.is_some()
    };
    // A device without a seed here (a seeded hardware device) cannot be
    // checked: refused like a wrong code (fail closed). A code is good once:
    // a code used already (or an earlier one) is refused like a wrong one,
    // as AWS does.
    let ok = seed && crate::iam::mfa::use_code(svc, &caller.account, &owner, Some(serial), code)?;
    if !ok {
        return Err(CoreError::AccessDenied(
            "MultiFactorAuthentication failed with invalid MFA one time pass code. ".into(),
        ));
    }
    Ok(true)
}

/// `GetSessionToken`: temporary credentials for the calling user or root,
/// 900–129,600 s (root: at most 3,600 s, longer requests are cut to it);
/// default 43,200 s (root: 3,600 s). With `SerialNumber` and `TokenCode`
/// the session counts as MFA-authenticated (`aws:MultiFactorAuthPresent`).
pub fn get_session_token(
    svc: &Service,
    caller: &Caller,
    duration: Option<i64>,
    serial: Option<&str>,
    code: Option<&str>,
) -> Result<Session, CoreError> {
    let principal = match &caller.kind {
        CallerKind::User { name, id } if caller.token_issued.is_none() => SessionPrincipal::User {
            name: name.clone(),
            id: id.clone(),
        },
        CallerKind::Root if caller.token_issued.is_none() => SessionPrincipal::Root,
        _ => {
            return Err(CoreError::AccessDenied(
                "Cannot call GetSessionToken with session credentials".into(),
            ));
        }
    };
    let root = principal == SessionPrincipal::Root;
    let secs = duration.unwrap_or(if root { 3_600 } else { 43_200 });
    // The model bounds 900–129,600 s (checked on decode; the domain checks
    // again for callers that do not decode). For the root user AWS cuts a
    // longer duration to one hour instead of refusing it ("if the duration
    // is longer than one hour, the session for AWS account owners defaults
    // to one hour").
    let max = 129_600;
    if secs < 900 {
        return Err(constraint(
            "durationSeconds",
            Some(&secs.to_string()),
            Rule::MinValue(900),
        ));
    }
    if secs > max {
        return Err(constraint(
            "durationSeconds",
            Some(&secs.to_string()),
            Rule::MaxValue(max),
        ));
    }
    let secs = if root { secs.min(3_600) } else { secs };
    let mfa = check_mfa(svc, caller, serial, code)?;
    let now = svc.now();
    let mut session = Session::new(
        &caller.account,
        principal,
        now,
        now + Duration::seconds(secs),
    );
    session.mfa = mfa;
    session.session_token = true;
    Ok(svc.issue_session(session))
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
    /// `PolicyArns`: managed session policies (at most 10).
    pub policy_arns: Vec<&'a str>,
    /// `Tags`: session tags (at most 50).
    pub tags: Vec<(&'a str, &'a str)>,
    /// `SerialNumber`: the caller's MFA device, with `token_code`.
    pub serial_number: Option<&'a str>,
    /// `TokenCode`: the device's current code.
    pub token_code: Option<&'a str>,
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

/// `sts:AssumeRole`: the trust policy (resource-based) and the caller's
/// identity policies decide, by the same-account / cross-account rules.
pub fn assume_role(
    svc: &Service,
    caller: &Caller,
    input: AssumeRole<'_>,
) -> Result<AssumedRole, CoreError> {
    // `roleSessionName` and `sourceIdentity` (2–64 of `[\w+=,.@-]`) are
    // the model's constraints, checked on decode.
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
            return Err(constraint("roleArn", Some(input.role_arn), Rule::RoleArn));
        }
    };
    let (role, trust, closed) = {
        let state = svc.read();
        let role = state
            .role(&account, &role_name)
            .filter(|r| r.arn() == input.role_arn)
            .cloned();
        let closed = crate::org::accounts::is_closed(&state, &account);
        let trust = role
            .as_ref()
            .and_then(|r| {
                state
                    .compiled_roles
                    .get(&crate::model::user_key(&r.account, &r.name))
            })
            .map(|(_, t)| t.clone());
        (role, trust, closed)
    };
    let (Some(role), Some(trust)) = (role, trust) else {
        return Err(denied());
    };
    // A closed account's roles issue no sessions (its principals are
    // refused; UNCONFIRMED: AWS's answer here is not documented, the
    // generic denial is the fail-closed one).
    if closed {
        return Err(denied());
    }
    // A source identity, once set, stays for the whole chain and "cannot be
    // changed during the role session" (IAM user guide, "Monitor and control
    // actions taken with assumed roles"): a chained call naming another one
    // is refused. UNCONFIRMED: AWS's error code and wording for it; we
    // answer AccessDenied, as for any other refused assumption.
    if let (Some(held), Some(asked)) = (caller.source_identity.as_deref(), input.source_identity)
        && held != asked
    {
        return Err(CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform: sts:SetSourceIdentity on resource: {}: the session's source identity cannot be changed",
            caller.arn(&svc.read()),
            input.role_arn
        )));
    }
    let source_identity = input.source_identity.or(caller.source_identity.as_deref());
    let mfa = check_mfa(svc, caller, input.serial_number, input.token_code)?;
    let mut extra = vec![("sts:RoleSessionName", input.session_name)];
    if let Some(si) = source_identity {
        extra.push(("sts:SourceIdentity", si));
    }
    if mfa {
        extra.push(("aws:MultiFactorAuthPresent", "true"));
        extra.push(("aws:MultiFactorAuthAge", "0"));
    }
    svc.authorize_trust(
        caller,
        "sts:AssumeRole",
        input.role_arn,
        &role.account,
        &trust,
        &extra,
    )
    .map_err(|e| match e {
        CoreError::AccessDenied(_) => denied(),
        other => other,
    })?;
    // A session with a source identity, set here or carried along a chain,
    // needs `sts:SetSourceIdentity` from the trust policy and the caller's
    // policies: "otherwise the assume role operation will fail" (IAM user
    // guide, "Monitor and control actions taken with assumed roles").
    if let Some(si) = source_identity {
        svc.authorize_trust(
            caller,
            "sts:SetSourceIdentity",
            input.role_arn,
            &role.account,
            &trust,
            &[("sts:SourceIdentity", si)],
        )
        .map_err(|e| match e {
            CoreError::AccessDenied(_) => CoreError::AccessDenied(format!(
                "User: {} is not authorized to perform: sts:SetSourceIdentity on resource: {}",
                caller.arn(&svc.read()),
                input.role_arn
            )),
            other => other,
        })?;
    }
    // The model sets no bound on `PolicyArns`; STS allows ten.
    if input.policy_arns.len() > 10 {
        return Err(constraint(
            "policyArns",
            None,
            Rule::MaxLengthGiven(10, input.policy_arns.len()),
        ));
    }
    for arn in &input.policy_arns {
        // An AWS managed policy or one of the role's account.
        let known = svc.read().managed_policy_exists(arn)
            && crate::ident::Arn::parse(arn).is_ok_and(|a| {
                (a.partition(), a.service(), a.region()) == ("aws", "iam", "")
                    && (a.account() == "aws" || a.account() == role.account)
            });
        if !known || crate::iam::builtin::is_task_policy(arn) {
            return Err(CoreError::Validation(format!(
                "The policy {arn} does not exist or is not attachable."
            )));
        }
    }
    // At most 50 `Tags`: the model's constraint, checked on decode.
    if !input.tags.is_empty() {
        // The `aws:` prefix is reserved for session tag keys as for IAM's
        // (the IAM user guide's tag naming rules, which session tags
        // follow). UNCONFIRMED: STS's code and message; a ValidationError
        // like STS's other input errors, in the words of IAM's.
        if let Some((k, _)) = input
            .tags
            .iter()
            .find(|(k, _)| k.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")))
        {
            return Err(CoreError::Validation(format!(
                "Tag keys starting with 'aws:' are reserved for AWS use: {k}."
            )));
        }
        // Passing session tags needs `sts:TagSession` from the trust policy and
        // the caller's policies, with each tag as `aws:RequestTag/…`.
        let request_tags: Vec<(String, &str)> = input
            .tags
            .iter()
            .map(|(k, v)| (format!("aws:RequestTag/{k}"), *v))
            .collect();
        let keys = input
            .tags
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>()
            .join(",");
        let mut tag_extra: Vec<(&str, &str)> =
            request_tags.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        tag_extra.push(("aws:TagKeys", &keys));
        svc.authorize_trust(
            caller,
            "sts:TagSession",
            input.role_arn,
            &role.account,
            &trust,
            &tag_extra,
        )
        .map_err(|e| match e {
            CoreError::AccessDenied(_) => CoreError::AccessDenied(format!(
                "User: {} is not authorized to perform: sts:TagSession on resource: {}",
                caller.arn(&svc.read()),
                input.role_arn
            )),
            other => other,
        })?;
    }
    // Below 900 s the model refuses on decode; the domain checks again.
    let chained = matches!(caller.kind, CallerKind::Role { .. });
    let secs = input.duration.unwrap_or(3_600);
    if secs < 900 {
        return Err(constraint(
            "durationSeconds",
            Some(&secs.to_string()),
            Rule::MinValue(900),
        ));
    }
    if chained && secs > 3_600 {
        return Err(CoreError::Validation(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.".into(),
        ));
    }
    if secs > role.max_session_duration {
        return Err(CoreError::Validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
                .into(),
        ));
    }
    let now = svc.now();
    let mut session = Session::new(
        &role.account,
        SessionPrincipal::Role {
            role_arn: role.arn(),
            role_id: role.id.clone(),
            session_name: input.session_name.to_owned(),
        },
        now,
        now + Duration::seconds(secs),
    );
    session.session_policies = input.policy.map(|p| vec![p.to_owned()]).unwrap_or_default();
    session.session_policy_arns = input.policy_arns.iter().map(|a| (*a).to_owned()).collect();
    session.tags = input
        .tags
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    // A source identity set once stays for every chained session.
    session.source_identity = source_identity.map(str::to_owned);
    session.mfa = mfa;
    Ok(AssumedRole {
        arn: crate::ident::Arn::assumed_role(&role.account, &role.name, input.session_name)
            .to_string(),
        assumed_role_id: format!("{}:{}", role.id, input.session_name),
        session: svc.issue_session(session),
    })
}

/// Inputs of `AssumeRoot`.
#[derive(Debug, Default, Clone, Copy)]
pub struct AssumeRoot<'a> {
    /// `TargetPrincipal`: a 12-digit account id or `arn:aws:iam::ACCOUNT:root`.
    pub target_principal: &'a str,
    /// `TaskPolicyArn.arn`.
    pub task_policy_arn: &'a str,
    /// `DurationSeconds` (0–900, default 900).
    pub duration: Option<i64>,
    /// The request came to the global endpoint `sts.amazonaws.com`.
    pub global_endpoint: bool,
}

fn assume_root_denied(message: String) -> CoreError {
    CoreError::AccessDenied(message)
}

/// `sts:AssumeRoot`: a root session of a member account, scoped by a task
/// policy, in the order of spec 02 §2.3.2.
pub fn assume_root(
    svc: &Service,
    caller: &Caller,
    input: AssumeRoot<'_>,
) -> Result<Session, CoreError> {
    // 1. Regional endpoints only.
    if input.global_endpoint {
        return Err(CoreError::Sts(StsError::UnknownOperation));
    }
    // 3. Input validation: the model's constraints (a target of 12–2048
    // characters, a task policy, 0–900 s) are checked on decode, every one
    // reported. The duration bounds a root session's life, so the domain
    // holds to it whoever calls.
    let (target, task_arn) = (input.target_principal, input.task_policy_arn);
    if let Some(d) = input.duration.filter(|d| !(0..=900).contains(d)) {
        let rule = if d < 0 {
            Rule::MinValue(0)
        } else {
            Rule::MaxValue(900)
        };
        return Err(constraint("durationSeconds", Some(&d.to_string()), rule));
    }
    // Then the semantic checks: a root principal, one of the five tasks.
    let Ok(target_account) = AccountId::from_target_principal(target) else {
        return Err(CoreError::Validation(
            "Request must contain a valid target principal".into(),
        ));
    };
    let Some(task) = rootward_policy::managed::task_policy(task_arn) else {
        return Err(CoreError::Validation(
            "Request must contain valid AWS managed task policy ARN".into(),
        ));
    };
    let resource = target_account.root_arn().to_string();
    let generic = || {
        let caller_arn = caller.arn(&svc.read());
        assume_root_denied(format!(
            "User: {caller_arn} is not authorized to perform: sts:AssumeRoot on resource: {resource}"
        ))
    };
    // 4. Never a root user, nor a root session; nor a user's own
    // temporary credentials from GetSessionToken, which "cannot call any
    // AWS STS API except AssumeRole or GetCallerIdentity" (IAM user guide,
    // "Permissions for GetSessionToken").
    // UNCONFIRMED (spec 02 §2.3.2 row 4): the generic message of row 5.
    if caller.kind == CallerKind::Root || caller.is_session_token() {
        return Err(generic());
    }
    // 5. The caller's account is the management account or IAM's delegated
    // administrator; its policies allow; the target is another member.
    let (org_ok, trusted) = {
        let state = svc.read();
        match state.org.org_of(&caller.account) {
            None => (false, false),
            Some(org) => {
                let delegated = org
                    .delegated_admins
                    .get(&caller.account)
                    .is_some_and(|s| s.contains_key(crate::org::model::IAM_PRINCIPAL));
                let member = state
                    .org
                    .members
                    .get(target_account.as_str())
                    .is_some_and(|m| m.org == org.id);
                // A closed member's root is no one's to borrow (UNCONFIRMED:
                // refused like any target the caller may not reach).
                let ok = (org.management_account == caller.account || delegated)
                    && member
                    && target_account != org.management_account
                    && !crate::org::accounts::is_closed(&state, target_account.as_str());
                (
                    ok,
                    org.trusted_services
                        .contains_key(crate::org::model::IAM_PRINCIPAL),
                )
            }
        }
    };
    svc.authorize(
        caller,
        "sts:AssumeRoot",
        &resource,
        None,
        &[("sts:TaskPolicyArn", task_arn)],
    )
    .map_err(|e| match e {
        CoreError::AccessDenied(_) => generic(),
        other => other,
    })?;
    if !org_ok {
        return Err(generic());
    }
    // 6. IAM trusted access.
    if !trusted {
        return Err(assume_root_denied(
            "Service not enabled for AWS Organizations.".into(),
        ));
    }
    // 7. The task's feature.
    let feature_on = svc
        .read()
        .org
        .iam_feature_in_force(target_account.as_str(), task.feature);
    if !feature_on {
        let message = if task.feature == crate::org::model::ROOT_SESSIONS {
            "Root sessions feature is not enabled for your AWS Organization."
        } else {
            "Root credentials management feature is not enabled for your AWS Organization."
        };
        return Err(assume_root_denied(message.into()));
    }
    // 8. Issue: whole seconds, as AWS answers.
    let now = svc.now();
    let now = now - Duration::nanoseconds(i64::from(now.nanosecond()));
    let mut session = Session::new(
        target_account.as_str(),
        SessionPrincipal::Root,
        now,
        now + Duration::seconds(input.duration.unwrap_or(900)),
    );
    session.source_identity = caller.source_identity.clone();
    session.task_policy = Some(task.arn.to_owned());
    Ok(svc.issue_session(session))
}
