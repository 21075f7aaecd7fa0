//! Who is calling, and may they: the authorization pipeline in front of the
//! policy engine (spec 06 §6.3–6.4).

use rootward_policy::{Context, Policies, Policy, PolicyKind, Principal, Request, evaluate};

use crate::policy_cache::deny_all;
use time::OffsetDateTime;

use crate::clock::iso8601;
use crate::error::CoreError;
use crate::model::{KeyOwner, SessionPrincipal};
use crate::secret::Secret;
use crate::service::Service;
use crate::state::State;

/// The kind of caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerKind {
    /// An IAM user (long-term key, or its GetSessionToken session).
    User {
        /// User name.
        name: String,
        /// The user's unique id (`AIDA…`): policies are found by it, so a
        /// user deleted and re-created under the same name is another user.
        id: String,
    },
    /// The account's root user.
    Root,
    /// A role session.
    Role {
        /// Role ARN.
        role_arn: String,
        /// Role id (`AROA…`).
        role_id: String,
        /// Session name.
        session_name: String,
    },
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The caller's account.
    pub account: String,
    /// Who.
    pub kind: CallerKind,
    /// The access key that signed the request.
    pub access_key_id: String,
    /// When the temporary credentials were issued (`None` for long-term keys).
    pub token_issued: Option<OffsetDateTime>,
    /// Session policies that must also allow.
    pub session_policies: Vec<String>,
    /// Managed session policies (AssumeRole `PolicyArns`).
    pub session_policy_arns: Vec<String>,
    /// Session tags.
    pub tags: Vec<(String, String)>,
    /// The task policy ARN of an `AssumeRoot` session.
    pub task_policy: Option<String>,
    /// `SourceIdentity` of the session, when set.
    pub source_identity: Option<String>,
    /// Client address.
    pub source_ip: Option<String>,
    /// `User-Agent`.
    pub user_agent: Option<String>,
    /// Region of the endpoint called.
    pub region: String,
    /// Whether TLS was used.
    pub secure_transport: bool,
    /// Whether the session was issued after an MFA check.
    pub mfa: bool,
    /// Whether the credentials come from `GetSessionToken`.
    pub session_token: bool,
}

impl Caller {
    /// Whether the credentials are an IAM user's or the root user's own
    /// temporary ones from `GetSessionToken` (not a role session, a root
    /// session from `AssumeRoot`, nor a sign-in's session).
    pub fn is_session_token(&self) -> bool {
        self.session_token && self.token_issued.is_some()
    }

    /// The ARN `GetCallerIdentity` reports and denial messages name.
    pub fn arn(&self, state: &State) -> String {
        match &self.kind {
            CallerKind::Root => crate::ident::Arn::root(&self.account).to_string(),
            CallerKind::User { name, id } => state
                .user_by_id(id)
                .map(|u| u.arn())
                .unwrap_or_else(|| crate::ident::Arn::user(&self.account, "/", name).to_string()),
            CallerKind::Role {
                role_arn,
                session_name,
                ..
            } => {
                let role = role_arn.rsplit('/').next().unwrap_or(role_arn);
                crate::ident::Arn::assumed_role(&self.account, role, session_name).to_string()
            }
        }
    }

    /// The `UserId` of `GetCallerIdentity`.
    pub fn user_id(&self, _state: &State) -> String {
        match &self.kind {
            CallerKind::Root => self.account.clone(),
            CallerKind::User { id, .. } => id.clone(),
            CallerKind::Role {
                role_id,
                session_name,
                ..
            } => format!("{role_id}:{session_name}"),
        }
    }

    /// Whether this is an `AssumeRoot` session (principal root, `aws:AssumedRoot`).
    pub fn is_assumed_root(&self) -> bool {
        self.kind == CallerKind::Root && self.task_policy.is_some()
    }

    /// The engine's view of the caller.
    pub fn principal(&self, state: &State) -> Principal {
        match &self.kind {
            CallerKind::Root if self.task_policy.is_some() => {
                Principal::assumed_root(&self.account)
            }
            CallerKind::Root => Principal::root(&self.account),
            CallerKind::User { .. } => Principal::user(&self.arn(state)),
            CallerKind::Role { role_arn, .. } => {
                Principal::role_session(role_arn, &self.arn(state))
            }
        }
    }
}

/// The organization id of `account` and its path
/// (`o-…/r-…/ou-…/`, the form of `aws:PrincipalOrgPaths` and
/// `aws:ResourceOrgPaths`), when the account is in an organization.
fn org_paths(state: &State, account: &str) -> Option<(String, String)> {
    let org = state.org.org_of(account)?;
    let path = state.org.path_of(account);
    let ous: String = path
        .iter()
        .take(path.len().saturating_sub(1))
        .map(|t| format!("{t}/"))
        .collect();
    Some((org.id.clone(), format!("{}/{ous}", org.id)))
}

/// Where a decision looks beyond the caller's own policies.
#[derive(Clone, Copy)]
struct Scope<'a> {
    resource_owner: Option<&'a str>,
    resource_policy: Option<&'a Policy>,
    skip_denies: bool,
    require_grant: bool,
}

/// A bucket or queue a call acts on, for [`Service::authorize_on_resource`].
#[derive(Debug, Clone, Copy)]
pub struct OnResource<'a> {
    /// The resource ARN (the bucket, an object, the queue).
    pub arn: &'a str,
    /// The account owning it.
    pub owner: &'a str,
    /// Its compiled resource policy, if any.
    pub policy: Option<&'a Policy>,
    /// Whether the owner-root exception applies to this action.
    pub owner_root_exception: bool,
}

/// What the server needs to verify a signature and then name the caller.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The secret access key.
    pub secret: Secret,
    /// When the credentials expire (temporary credentials).
    pub expires: Option<OffsetDateTime>,
    /// The caller it authenticates, before request details are filled in.
    pub caller: Caller,
}

/// Why presented credentials are refused before the signature is checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    /// No such access key (or an inactive one).
    #[error("unknown or inactive access key")]
    UnknownKey,
    /// A session key without its token, with a token that is not its own, or
    /// a long-term key with a session token.
    #[error("invalid security token")]
    InvalidToken,
    /// A genuine session token past its expiry.
    #[error("expired security token")]
    ExpiredToken,
    /// The session's principal no longer exists (deleted, or deleted and
    /// re-created with another unique id).
    #[error("the principal of the credentials no longer exists")]
    PrincipalGone,
}

impl Service {
    /// Looks up the credentials of a request: a long-term key of a user or
    /// root (which must come without a session token), or a session whose
    /// token carries it ([`crate::tokens`]). A session is refused when its
    /// principal no longer exists: sessions are bound to the principal's
    /// unique id, not its name.
    pub fn credential(
        &self,
        access_key_id: &str,
        token: Option<&str>,
    ) -> Result<Credential, CredentialError> {
        let blank = |account: &str, kind: CallerKind| Caller {
            account: account.to_owned(),
            kind,
            access_key_id: access_key_id.to_owned(),
            token_issued: None,
            session_policies: Vec::new(),
            session_policy_arns: Vec::new(),
            tags: Vec::new(),
            task_policy: None,
            source_identity: None,
            source_ip: None,
            user_agent: None,
            region: "us-east-1".to_owned(),
            secure_transport: false,
            mfa: false,
            session_token: false,
        };
        // A malformed id names no key: refused as unknown (fail closed).
        let id = crate::ident::AccessKeyId::parse(access_key_id)
            .map_err(|_| CredentialError::UnknownKey)?;
        if !id.is_temporary() {
            let state = self.read();
            let k = state
                .access_keys
                .get(access_key_id)
                .ok_or(CredentialError::UnknownKey)?;
            if k.status != crate::model::KeyStatus::Active {
                return Err(CredentialError::UnknownKey);
            }
            // A long-term key signs without a session token; one that comes
            // with a token is refused, whatever the token.
            if token.is_some() {
                return Err(CredentialError::InvalidToken);
            }
            let kind = match &k.owner {
                KeyOwner::Root => CallerKind::Root,
                KeyOwner::User(name) => {
                    let Some(u) = state.user(&k.account, name) else {
                        tracing::warn!(key = %access_key_id, "an access key's user no longer exists");
                        return Err(CredentialError::UnknownKey);
                    };
                    CallerKind::User {
                        name: u.name.clone(),
                        id: u.id.clone(),
                    }
                }
            };
            return Ok(Credential {
                secret: k.secret.clone(),
                expires: None,
                caller: blank(&k.account, kind),
            });
        }
        let token = token.ok_or(CredentialError::InvalidToken)?;
        let s = self
            .tokens
            .open(self.keys(), access_key_id, token, self.now())
            .map_err(|e| match e {
                crate::tokens::TokenError::Invalid => CredentialError::InvalidToken,
                crate::tokens::TokenError::Expired => CredentialError::ExpiredToken,
            })?;
        let state = self.read();
        let kind = match &s.principal {
            SessionPrincipal::Root => {
                if !state.accounts.contains_key(&s.account) {
                    return Err(CredentialError::PrincipalGone);
                }
                CallerKind::Root
            }
            SessionPrincipal::User { id, .. } => match state.user_by_id(id) {
                Some(u) if u.account == s.account => CallerKind::User {
                    name: u.name.clone(),
                    id: u.id.clone(),
                },
                _ => return Err(CredentialError::PrincipalGone),
            },
            SessionPrincipal::Role {
                role_id,
                session_name,
                ..
            } => match state.role_by_id(role_id) {
                Some(r) if r.account == s.account => CallerKind::Role {
                    role_arn: r.arn(),
                    role_id: r.id.clone(),
                    session_name: session_name.clone(),
                },
                _ => return Err(CredentialError::PrincipalGone),
            },
        };
        let mut caller = blank(&s.account, kind);
        caller.token_issued = Some(s.issued);
        caller.session_policies.clone_from(&s.session_policies);
        caller.task_policy.clone_from(&s.task_policy);
        caller
            .session_policy_arns
            .clone_from(&s.session_policy_arns);
        caller.tags = s.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        caller.source_identity.clone_from(&s.source_identity);
        caller.mfa = s.mfa;
        caller.session_token = s.session_token;
        Ok(Credential {
            secret: s.secret.clone(),
            expires: Some(s.expires),
            caller,
        })
    }

    /// Decides whether `caller` may perform `action` on `resource` (an ARN, or
    /// `*` for actions without a resource type), owned by `resource_owner`
    /// (`None`: the caller's account). `extra` adds service condition keys.
    pub fn authorize(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        resource_owner: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Result<(), CoreError> {
        self.authorize_with(caller, action, resource, resource_owner, None, extra)
    }

    /// [`Service::authorize`] with the resource's own policy (a role's trust
    /// policy, a bucket or queue policy) taking part.
    pub fn authorize_with(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        resource_owner: Option<&str>,
        resource_policy: Option<&Policy>,
        extra: &[(&str, &str)],
    ) -> Result<(), CoreError> {
        self.authorize_inner(
            caller,
            action,
            resource,
            Scope {
                resource_owner,
                resource_policy,
                skip_denies: false,
                require_grant: false,
            },
            extra,
        )
    }

    /// Authorizes `sts:AssumeRole`/`sts:TagSession` on a role: its trust
    /// policy must grant by itself, and the caller's policies decide by the
    /// usual same/cross-account rules.
    pub fn authorize_trust(
        &self,
        caller: &Caller,
        action: &str,
        role_arn: &str,
        role_account: &str,
        trust: &Policy,
        extra: &[(&str, &str)],
    ) -> Result<(), CoreError> {
        self.authorize_inner(
            caller,
            action,
            role_arn,
            Scope {
                resource_owner: Some(role_account),
                resource_policy: Some(trust),
                skip_denies: false,
                require_grant: true,
            },
            extra,
        )
    }

    /// Authorizes a call on a bucket or queue whose policy takes part, with
    /// the **owner-root exception** of spec 04 §4.1.4 / §4.2.3 when
    /// `owner_root_exception` is set (get/put/delete of the resource policy):
    /// the root user of the owner account (long-term or an AssumeRoot
    /// session) is not stopped by the resource policy's `Deny` statements.
    /// SCPs and the AssumeRoot task policy still apply.
    pub fn authorize_on_resource(
        &self,
        caller: &Caller,
        action: &str,
        on: OnResource<'_>,
        extra: &[(&str, &str)],
    ) -> Result<(), CoreError> {
        let skip = on.owner_root_exception
            && caller.kind == CallerKind::Root
            && caller.account == on.owner;
        self.authorize_inner(
            caller,
            action,
            on.arn,
            Scope {
                resource_owner: Some(on.owner),
                resource_policy: on.policy,
                skip_denies: skip,
                require_grant: false,
            },
            extra,
        )
    }

    fn authorize_inner(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        scope: Scope<'_>,
        extra: &[(&str, &str)],
    ) -> Result<(), CoreError> {
        let Scope {
            resource_owner,
            resource_policy,
            skip_denies,
            require_grant,
        } = scope;
        let state = self.read();
        let principal = caller.principal(&state);
        let now = self.now();
        let mut ctx = Context::new();
        ctx.set("aws:CurrentTime", iso8601(now))
            .set("aws:EpochTime", now.unix_timestamp().to_string())
            .set("aws:RequestedRegion", caller.region.clone())
            .set(
                "aws:SecureTransport",
                if caller.secure_transport {
                    "true"
                } else {
                    "false"
                },
            );
        if let Some(ip) = &caller.source_ip {
            ctx.set("aws:SourceIp", ip.clone());
        }
        // The principal's own tags (an IAM user's, a session's role's), then
        // the session's tags, which win over the role's.
        for t in crate::iam::tags::principal_tags(&state, caller) {
            ctx.set(&format!("aws:PrincipalTag/{}", t.key), t.value.clone());
        }
        for (k, v) in &caller.tags {
            ctx.set(&format!("aws:PrincipalTag/{k}"), v.clone());
        }
        if let Some(si) = &caller.source_identity {
            ctx.set("aws:SourceIdentity", si.clone());
        }
        if let Some(ua) = &caller.user_agent {
            ctx.set("aws:UserAgent", ua.clone());
        }
        if let Some(issued) = caller.token_issued {
            ctx.set("aws:TokenIssueTime", iso8601(issued))
                .set("aws:MultiFactorAuthPresent", caller.mfa.to_string());
            // The MFA was checked when the session was issued: its age is
            // the session's (present only for MFA sessions, as in AWS).
            if caller.mfa {
                ctx.set(
                    "aws:MultiFactorAuthAge",
                    (now - issued).whole_seconds().max(0).to_string(),
                );
            }
        }
        ctx.set(
            "aws:ResourceAccount",
            resource_owner.unwrap_or(&caller.account).to_owned(),
        );
        match &caller.kind {
            CallerKind::User { .. } => {
                ctx.set("aws:userid", caller.user_id(&state));
            }
            CallerKind::Role { .. } => {
                ctx.set("aws:userid", caller.user_id(&state));
            }
            CallerKind::Root => {}
        }
        // Present on every signed request (the global condition key
        // reference): no call here is made by an AWS service principal or
        // forwarded by a service on the caller's behalf. Absent, a Deny
        // conditioned on `"Bool": {"aws:PrincipalIsAWSService": "false"}`
        // (a pattern of AWS's own example SCPs) would never apply: a
        // condition on a missing key does not match.
        ctx.set("aws:PrincipalIsAWSService", "false")
            .set("aws:ViaAWSService", "false");
        let principal_org = org_paths(&state, &caller.account);
        // The organization of the resource's account, when it has one (the
        // caller's own, worked out once, for a call on its own account).
        let resource_org = match resource_owner {
            Some(owner) if owner != caller.account => org_paths(&state, owner),
            _ => principal_org.clone(),
        };
        if let Some((id, paths)) = principal_org {
            ctx.set("aws:PrincipalOrgID", id);
            ctx.set("aws:PrincipalOrgPaths", paths);
        }
        if let Some((id, paths)) = resource_org {
            ctx.set("aws:ResourceOrgID", id);
            ctx.set("aws:ResourceOrgPaths", paths);
        }
        // The tags of the IAM resource acted on (`aws:ResourceTag/…`, and
        // `iam:ResourceTag/…` for users and roles).
        for (k, v) in crate::iam::tags::resource_context(&state, resource) {
            ctx.set(&k, v);
        }
        // A key given more than once (or `aws:TagKeys`) is multi-valued.
        for (k, v) in extra {
            let n = extra.iter().filter(|(x, _)| x == k).count();
            if n > 1 || k.eq_ignore_ascii_case("aws:TagKeys") {
                let values: Vec<&str> = extra
                    .iter()
                    .filter(|(x, _)| x == k)
                    .map(|(_, v)| *v)
                    .collect();
                ctx.set_list(k, values);
            } else {
                ctx.set(k, *v);
            }
        }
        let ctx = ctx.with_principal(&principal);

        // The caller's policies. A reference that cannot be resolved (the
        // principal is gone, a managed policy, boundary, session policy or
        // task policy cannot be found) takes part as a policy that denies
        // everything: never a silent drop (fail closed).
        let missing = |what: &str, name: &str, kind: PolicyKind| {
            tracing::error!(caller = %caller.access_key_id, what, name, "a policy that governs the caller cannot be found: the request is denied");
            deny_all(kind)
        };
        let managed = |arn: &String, what: &str| -> Policy {
            state
                .compiled_managed_policy(arn)
                .unwrap_or_else(|| missing(what, arn, PolicyKind::Identity))
        };
        let mut identity: Vec<Policy> = Vec::new();
        let mut boundary: Option<Policy> = None;
        match &caller.kind {
            CallerKind::Role { role_id, .. } => match state.role_by_id(role_id) {
                Some(r) => {
                    if let Some((inline, _)) = state
                        .compiled_roles
                        .get(&crate::model::user_key(&r.account, &r.name))
                    {
                        identity.extend(inline.iter().cloned());
                    }
                    identity.extend(r.attached_policies.iter().map(|a| managed(a, "attached")));
                    boundary = r
                        .permissions_boundary
                        .as_ref()
                        .map(|a| managed(a, "permissions boundary"));
                }
                None => identity.push(missing("role", role_id, PolicyKind::Identity)),
            },
            CallerKind::User { id, .. } => match state.user_by_id(id) {
                Some(u) => {
                    if let Some(inline) = state
                        .compiled_inline
                        .get(&crate::model::user_key(&u.account, &u.name))
                    {
                        identity.extend(inline.iter().cloned());
                    }
                    identity.extend(u.attached_policies.iter().map(|a| managed(a, "attached")));
                    boundary = u
                        .permissions_boundary
                        .as_ref()
                        .map(|a| managed(a, "permissions boundary"));
                    // A user also has its groups' inline and attached policies.
                    for g in state.groups_for_user(&u.account, &u.name) {
                        if let Some(c) = state
                            .compiled_groups
                            .get(&crate::model::user_key(&g.account, &g.name))
                        {
                            identity.extend(c.iter().cloned());
                        }
                        identity.extend(
                            g.attached_policies
                                .iter()
                                .map(|a| managed(a, "group attached")),
                        );
                    }
                }
                None => identity.push(missing("user", id, PolicyKind::Identity)),
            },
            CallerKind::Root => {}
        }
        let identity_refs: Vec<&Policy> = identity.iter().collect();
        // Session policies: compiled once by content (they come in the token).
        let mut session: Vec<Policy> = caller
            .session_policies
            .iter()
            .map(|doc| self.policy_cache().get("session", doc, PolicyKind::Session))
            .collect();
        session.extend(
            caller
                .session_policy_arns
                .iter()
                .map(|a| managed(a, "session policy")),
        );
        let session_refs: Vec<&Policy> = session.iter().collect();
        let task_policy = caller
            .task_policy
            .as_ref()
            .map(|a| managed(a, "task policy"));
        // SCPs along the caller's account path (spec 06 §6.3), when they apply.
        let scp_owned = state.org.scp_levels(&caller.account);
        let scp_refs: Vec<Vec<&Policy>> = scp_owned
            .as_deref()
            .into_iter()
            .flatten()
            .map(|level| level.iter().collect())
            .collect();
        let scp_slices: Vec<&[&Policy]> = scp_refs.iter().map(Vec::as_slice).collect();
        let req = Request {
            principal: &principal,
            action,
            resource,
            context: &ctx,
        };
        let policies = Policies {
            identity: &identity_refs,
            resource: resource_policy,
            resource_owner,
            permissions_boundary: boundary.as_ref(),
            session: &session_refs,
            task_policy: task_policy.as_ref(),
            scp_levels: scp_owned.as_ref().map(|_| scp_slices.as_slice()),
            skip_resource_policy_denies: skip_denies,
            require_resource_grant: require_grant,
        };
        let e = evaluate(&req, &policies);
        if e.is_allowed() {
            Ok(())
        } else {
            Err(CoreError::AccessDenied(
                e.denial_message(&req)
                    .unwrap_or_else(|| "Access denied".to_owned()),
            ))
        }
    }
}
