//! The rules of AWS Organizations (spec 03), one test per rule, on the domain
//! alone (no HTTP).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::MANAGEMENT;
use rootward_core::authz::Caller;
use rootward_core::org::{OrgError, accounts, organization, policies, services, units};
use rootward_core::{CoreError, Service};
const DENY_S3: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;

struct World {
    svc: Service,
    admin: Caller,
    root_id: String,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let common::Org {
        svc,
        admin,
        root_id,
        dir,
    } = common::organization();
    World {
        svc,
        admin,
        root_id,
        _dir: dir,
    }
}

fn account(w: &World, name: &str) -> String {
    common::member_account(&w.svc, &w.admin, name)
}

/// The admin role of a member account, as a caller.
fn member_admin(w: &World, account: &str) -> Caller {
    let out = rootward_core::sts::assume_role(
        &w.svc,
        &w.admin,
        rootward_core::sts::AssumeRole {
            role_arn: &format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole"),
            session_name: "test",
            ..Default::default()
        },
    )
    .unwrap();
    w.svc
        .credential(&out.session.access_key_id, Some(out.session.token.expose()))
        .unwrap()
        .caller
}

fn id(account: &str) -> rootward_core::ident::AccountId {
    rootward_core::ident::AccountId::parse(account).unwrap()
}

fn org_error(r: Result<impl std::fmt::Debug, CoreError>) -> OrgError {
    match r {
        Err(CoreError::Organizations(e)) => e,
        other => panic!("expected an Organizations error, got {other:?}"),
    }
}

fn scp(w: &World, name: &str) -> String {
    policies::create_policy(
        &w.svc,
        &w.admin,
        policies::CreatePolicy {
            content: DENY_S3,
            description: "",
            name,
            policy_type: "SERVICE_CONTROL_POLICY",
        },
    )
    .unwrap()
    .id
}

#[test]
fn writes_need_the_management_account() {
    let w = world();
    let member = account(&w, "app");
    let admin = member_admin(&w, &member);
    let e = org_error(units::create_ou(&w.svc, &admin, &w.root_id, "Rogue"));
    assert!(matches!(e, OrgError::AccessDenied(_)), "{e:?}");
}

#[test]
fn a_delegated_administrator_reads_but_does_not_write() {
    let w = world();
    let member = account(&w, "security");
    // Delegation needs the service's trusted access first.
    let e = org_error(services::register_delegated_admin(
        &w.svc,
        &w.admin,
        &id(&member),
        "iam.amazonaws.com",
    ));
    assert_eq!(e.reason(), Some("SERVICE_ACCESS_NOT_ENABLED"));
    services::enable_service_access(&w.svc, &w.admin, "iam.amazonaws.com").unwrap();
    services::register_delegated_admin(&w.svc, &w.admin, &id(&member), "iam.amazonaws.com")
        .unwrap();
    let delegated = member_admin(&w, &member);
    accounts::list_accounts(&w.svc, &delegated, Default::default()).unwrap();
    let e = org_error(units::create_ou(&w.svc, &delegated, &w.root_id, "Rogue"));
    assert!(matches!(e, OrgError::AccessDenied(_)), "{e:?}");
}

#[test]
fn an_account_outside_any_organization_gets_not_in_use() {
    let w = world();
    organization::delete_organization(&w.svc, &w.admin).unwrap();
    let e = org_error(organization::describe_organization(&w.svc, &w.admin));
    assert!(matches!(e, OrgError::AwsOrganizationsNotInUse(_)), "{e:?}");
}

#[test]
fn organizational_units_nest_at_most_five_deep() {
    let w = world();
    let mut parent = w.root_id.clone();
    for depth in 1..=5 {
        parent = units::create_ou(&w.svc, &w.admin, &parent, &format!("level{depth}"))
            .unwrap()
            .id;
    }
    let e = org_error(units::create_ou(&w.svc, &w.admin, &parent, "level6"));
    assert!(
        matches!(
            e,
            OrgError::ConstraintViolation {
                reason: "OU_DEPTH_LIMIT_EXCEEDED",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_target_holds_at_most_five_scps_and_never_loses_its_last() {
    let w = world();
    // FullAWSAccess is attached to the root already: four more fit.
    for i in 0..4 {
        let id = scp(&w, &format!("p{i}"));
        policies::attach_policy(&w.svc, &w.admin, &id, &w.root_id).unwrap();
    }
    let sixth = scp(&w, "p5");
    let e = org_error(policies::attach_policy(
        &w.svc, &w.admin, &sixth, &w.root_id,
    ));
    assert_eq!(
        e.reason(),
        Some("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
    );

    let member = account(&w, "app");
    let e = org_error(policies::detach_policy(
        &w.svc,
        &w.admin,
        "p-FullAWSAccess",
        &member,
    ));
    assert_eq!(
        e.reason(),
        Some("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
    );
}

#[test]
fn a_policy_in_use_cannot_be_deleted() {
    let w = world();
    let id = scp(&w, "no-s3");
    policies::attach_policy(&w.svc, &w.admin, &id, &w.root_id).unwrap();
    let e = org_error(policies::delete_policy(&w.svc, &w.admin, &id));
    assert!(matches!(e, OrgError::PolicyInUse(_)), "{e:?}");
    policies::detach_policy(&w.svc, &w.admin, &id, &w.root_id).unwrap();
    policies::delete_policy(&w.svc, &w.admin, &id).unwrap();
}

#[test]
fn trusted_access_stays_while_a_delegated_administrator_is_registered() {
    let w = world();
    let member = account(&w, "security");
    services::enable_service_access(&w.svc, &w.admin, "iam.amazonaws.com").unwrap();
    services::register_delegated_admin(&w.svc, &w.admin, &id(&member), "iam.amazonaws.com")
        .unwrap();
    let e = org_error(services::disable_service_access(
        &w.svc,
        &w.admin,
        "iam.amazonaws.com",
    ));
    assert_eq!(
        e.reason(),
        Some("DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE")
    );
}

#[test]
fn a_closed_account_cannot_be_a_delegated_administrator() {
    let w = world();
    let member = account(&w, "closed");
    services::enable_service_access(&w.svc, &w.admin, "iam.amazonaws.com").unwrap();
    accounts::close_account(&w.svc, &w.admin, &id(&member)).unwrap();
    let e = org_error(services::register_delegated_admin(
        &w.svc,
        &w.admin,
        &id(&member),
        "iam.amazonaws.com",
    ));
    assert_eq!(
        e.reason(),
        Some("CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR")
    );
}

#[test]
fn the_management_account_cannot_be_a_delegated_administrator() {
    let w = world();
    let e = org_error(services::register_delegated_admin(
        &w.svc,
        &w.admin,
        &id(MANAGEMENT),
        "iam.amazonaws.com",
    ));
    assert_eq!(
        e.reason(),
        Some("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR")
    );
}

#[test]
fn an_email_in_use_fails_account_creation() {
    let w = world();
    account(&w, "app");
    let s = accounts::create_account(
        &w.svc,
        &w.admin,
        accounts::CreateAccount {
            email: "app@example.com",
            account_name: "again",
            ..Default::default()
        },
    )
    .unwrap();
    let s = accounts::describe_create_account_status(&w.svc, &w.admin, &s.id).unwrap();
    assert_eq!(s.state, "FAILED");
    assert_eq!(s.failure_reason.as_deref(), Some("EMAIL_ALREADY_EXISTS"));
}

#[test]
fn scps_bound_members_and_never_the_management_account() {
    let w = world();
    let member = account(&w, "app");
    let id = scp(&w, "no-s3");
    policies::attach_policy(&w.svc, &w.admin, &id, &w.root_id).unwrap();
    let admin = member_admin(&w, &member);
    match w
        .svc
        .authorize(&admin, "s3:ListAllMyBuckets", "*", None, &[])
    {
        Err(CoreError::AccessDenied(m)) => {
            assert!(m.contains("service control policy"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    w.svc
        .authorize(&w.admin, "s3:ListAllMyBuckets", "*", None, &[])
        .unwrap();
}

#[test]
fn a_member_is_bound_by_its_scps_as_they_are_after_every_change() {
    // The SCP levels of an account are cached between changes of the
    // organizations: each change below must show in the very next decision.
    let w = world();
    let member = account(&w, "app");
    let admin = member_admin(&w, &member);
    let lists = |w: &World| {
        w.svc
            .authorize(&admin, "s3:ListAllMyBuckets", "*", None, &[])
            .is_ok()
    };
    assert!(lists(&w));
    let policy = scp(&w, "no-s3");
    assert!(lists(&w), "created, not attached");
    let ou = units::create_ou(&w.svc, &w.admin, &w.root_id, "Apps")
        .unwrap()
        .id;
    policies::attach_policy(&w.svc, &w.admin, &policy, &ou).unwrap();
    assert!(lists(&w), "attached to an OU the account is not in");
    accounts::move_account(&w.svc, &w.admin, &id(&member), &w.root_id, &ou).unwrap();
    assert!(!lists(&w), "moved under it");
    policies::update_policy(
        &w.svc,
        &w.admin,
        policies::UpdatePolicy {
            id: &policy,
            name: None,
            description: None,
            content: Some(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sqs:*","Resource":"*"}]}"#,
            ),
        },
    )
    .unwrap();
    assert!(lists(&w), "its content no longer denies S3");
    policies::attach_policy(&w.svc, &w.admin, &scp(&w, "no-s3-again"), &member).unwrap();
    assert!(!lists(&w), "another attached to the account itself");
    accounts::move_account(&w.svc, &w.admin, &id(&member), &ou, &w.root_id).unwrap();
    assert!(!lists(&w), "still attached to the account wherever it is");
}
