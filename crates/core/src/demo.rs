//! `rootward serve --demo`: the seed scenario's organization on a fresh data
//! directory, made through the same operations a person would use — sign-up
//! and sign-in pages for the older accounts, Organizations, IAM and STS for
//! the rest.
//!
//! - the management account (the bootstrap account) with its `admin` user;
//! - "Breaking Glass", created by `CreateAccount`, IAM's delegated
//!   administrator, with two break-glass IAM users allowed `sts:AssumeRoot`;
//! - "Sandbox", created by `CreateAccount` and never signed into (no root
//!   credentials);
//! - three older accounts that signed up on their own and joined by
//!   invitation, with root passwords, MFA, access keys and a certificate;
//! - trusted access for IAM and both root-access features enabled.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::iam::{access_keys, mfa, policies, signing_certificates, users};
use crate::model::AccessKey;
use crate::org::{accounts, handshakes, organization, services};
use crate::root_user::RootConsole;
use crate::service::Service;
use crate::sts;

/// A demo credential printed once.
#[derive(Debug, Clone)]
pub struct DemoCredentials {
    /// What it is.
    pub label: String,
    /// The key.
    pub key: AccessKey,
}

/// What the demo made.
#[derive(Debug, Clone, Default)]
pub struct Demo {
    /// Breaking Glass's account id.
    pub breaking_glass: String,
    /// Sandbox's account id.
    pub sandbox: String,
    /// The older accounts: (name, id).
    pub legacy: Vec<(String, String)>,
    /// Credentials to print.
    pub credentials: Vec<DemoCredentials>,
}

/// A body of one PEM `CERTIFICATE` block (a minimal DER SEQUENCE): enough for
/// IAM's shape checks, not a usable certificate.
const DEMO_CERTIFICATE: &str =
    "-----BEGIN CERTIFICATE-----\nMAsCAQECAgTSAgIWLg==\n-----END CERTIFICATE-----\n";

/// The break-glass operators' policy: root sessions for every task.
const OPERATOR_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"RootSessions","Effect":"Allow","Action":"sts:AssumeRoot","Resource":"*"},{"Sid":"SeeTheOrganization","Effect":"Allow","Action":["organizations:Describe*","organizations:List*","iam:ListOrganizationsFeatures","cloudtrail:LookupEvents","sts:GetCallerIdentity"],"Resource":"*"}]}"#;

fn caller_of(svc: &Service, key_id: &str) -> Result<Caller, CoreError> {
    caller_with(svc, key_id, None)
}

fn caller_with(svc: &Service, key_id: &str, token: Option<&str>) -> Result<Caller, CoreError> {
    svc.credential(key_id, token)
        .map(|c| c.caller)
        .map_err(|e| CoreError::Internal(format!("demo: key {key_id}: {e}")))
}

fn console(e: crate::root_user::ConsoleError) -> CoreError {
    CoreError::Internal(format!("demo: {e:?}"))
}

fn created(svc: &Service, admin: &Caller, email: &str, name: &str) -> Result<String, CoreError> {
    let status = accounts::create_account(
        svc,
        admin,
        accounts::CreateAccount {
            email,
            account_name: name,
            ..Default::default()
        },
    )?;
    let status = accounts::describe_create_account_status(svc, admin, &status.id)?;
    status
        .account_id
        .ok_or_else(|| CoreError::Internal(format!("demo: {name} was not created")))
}

/// Seeds the demo organization; `admin_key` is the bootstrap admin's key.
pub fn seed(
    svc: &Service,
    console_pages: &RootConsole,
    admin_key: &str,
) -> Result<Demo, CoreError> {
    let admin = caller_of(svc, admin_key)?;
    let mut demo = Demo::default();
    organization::create_organization(svc, &admin, Some("ALL"))?;
    demo.breaking_glass = created(svc, &admin, "breaking-glass@example.com", "Breaking Glass")?;
    demo.sandbox = created(svc, &admin, "sandbox@example.com", "Sandbox")?;
    services::enable_service_access(svc, &admin, crate::org::model::IAM_PRINCIPAL)?;
    crate::iam::features::enable_root_credentials_management(svc, &admin)?;
    crate::iam::features::enable_root_sessions(svc, &admin)?;
    services::register_delegated_admin(
        svc,
        &admin,
        &crate::org::account_id(&demo.breaking_glass)?,
        crate::org::model::IAM_PRINCIPAL,
    )?;

    // Two break-glass operators in the delegated administrator's account.
    let role = sts::assume_role(
        svc,
        &admin,
        sts::AssumeRole {
            role_arn: &crate::ident::Arn::role(
                &demo.breaking_glass,
                "/",
                "OrganizationAccountAccessRole",
            )
            .to_string(),
            session_name: "demo-setup",
            ..Default::default()
        },
    )?;
    let bg_admin = caller_with(
        svc,
        &role.session.access_key_id,
        Some(role.session.token.expose()),
    )?;
    for name in ["breakglass-alice", "breakglass-bob"] {
        users::create_user(svc, &bg_admin, name, Some("/breakglass/"))?;
        policies::put_user_policy(svc, &bg_admin, name, "BreakGlassOperator", OPERATOR_POLICY)?;
    }
    let key = access_keys::create_access_key(svc, &bg_admin, Some("breakglass-alice"))?;
    demo.credentials.push(DemoCredentials {
        label: format!(
            "Breaking Glass operator breakglass-alice (account {})",
            demo.breaking_glass
        ),
        key,
    });

    // Older accounts: signed up on their own, with root credentials, invited.
    let legacy: [(&str, &str, bool, bool, bool); 3] = [
        // name, email, MFA, access key, certificate
        (
            "Legacy Payments",
            "payments-root@example.com",
            true,
            true,
            false,
        ),
        ("Legacy Data", "data-root@example.com", false, false, false),
        ("Legacy Web", "web-root@example.com", false, true, true),
    ];
    for (name, email, with_mfa, with_key, with_cert) in legacy {
        let password = format!("Demo-{}-Passw0rd!", name.replace(' ', ""));
        let id = console_pages
            .signup(svc, email, &password, name)
            .map_err(console)?;
        let session = console_pages
            .signin(
                svc,
                &crate::root_user::Principal::Root { email },
                &password,
                None,
            )
            .map_err(console)?
            .session;
        let root = caller_with(svc, &session.access_key_id, Some(session.token.expose()))?;
        if with_key {
            // Printed like the operator's key, so that a rehearsal can show
            // the old root key stop working once it is deleted.
            let key = access_keys::create_access_key(svc, &root, None)?;
            demo.credentials.push(DemoCredentials {
                label: format!("{name} root user's access key (account {id})"),
                key,
            });
        }
        if with_cert {
            signing_certificates::upload_signing_certificate(svc, &root, None, DEMO_CERTIFICATE)?;
        }
        let invite = handshakes::invite_account(
            svc,
            &admin,
            &id,
            "ACCOUNT",
            Some("Welcome to the organization"),
        )?;
        handshakes::accept(svc, &root, &invite.handshake.id)?;
        if with_mfa {
            let device = console_pages
                .mfa_create(svc, email, &password, None)
                .map_err(console)?;
            let now = svc.now();
            let step = mfa::step_of(now);
            let code = |s: i64| mfa::code_at_step(device.seed.expose(), s).unwrap_or_default();
            console_pages
                .mfa_enable(
                    svc,
                    email,
                    &password,
                    None,
                    &device.serial,
                    // The step before now's: now's code is still unused, for
                    // a sign-in (a code is good once).
                    &code(step - 2),
                    &code(step - 1),
                )
                .map_err(console)?;
        }
        demo.legacy.push((name.to_owned(), id));
    }
    Ok(demo)
}
