//! `sts:AssumeRoot`'s decision procedure (spec 02 §2.3.2), one test per row,
//! on the domain alone (no HTTP).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::MANAGEMENT;
use rootward_core::authz::Caller;
use rootward_core::iam::{features, policies, users};
use rootward_core::org::services;
use rootward_core::sts::{self, AssumeRoot};
use rootward_core::{CoreError, Service};

const AUDIT: &str = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";
const S3_UNLOCK: &str = "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy";

struct World {
    svc: Service,
    admin: Caller,
    member: String,
    _dir: tempfile::TempDir,
}

/// An organization with one member; trusted access and the features as asked.
fn world(trusted: bool, credentials_management: bool, root_sessions: bool) -> World {
    let common::Org {
        svc, admin, dir, ..
    } = common::organization();
    let member = common::member_account(&svc, &admin, "member");
    if trusted {
        services::enable_service_access(&svc, &admin, "iam.amazonaws.com").unwrap();
        if credentials_management {
            features::enable_root_credentials_management(&svc, &admin).unwrap();
        }
        if root_sessions {
            features::enable_root_sessions(&svc, &admin).unwrap();
        }
    }
    World {
        svc,
        admin,
        member,
        _dir: dir,
    }
}

fn input<'a>(target: &'a str, task: &'a str) -> AssumeRoot<'a> {
    AssumeRoot {
        target_principal: target,
        task_policy_arn: task,
        duration: None,
        global_endpoint: false,
    }
}

fn denied(r: Result<rootward_core::model::Session, CoreError>) -> String {
    match r {
        Err(CoreError::AccessDenied(m)) => m,
        other => panic!("expected AccessDenied, got {other:?}"),
    }
}

fn generic(caller_arn: &str, target: &str) -> String {
    format!(
        "User: {caller_arn} is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::{target}:root"
    )
}

#[test]
fn row_1_the_global_endpoint_answers_unknown_operation() {
    let w = world(true, true, true);
    let mut i = input(&w.member, AUDIT);
    i.global_endpoint = true;
    match sts::assume_root(&w.svc, &w.admin, i) {
        Err(CoreError::Sts(sts::StsError::UnknownOperation)) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn row_3_validation_comes_before_authorization_and_reports_every_constraint() {
    let w = world(true, true, true);
    // A caller that would be denied still gets the validation error first.
    users::create_user(&w.svc, &w.admin, "nobody", None).unwrap();
    let key = rootward_core::iam::access_keys::create_access_key(&w.svc, &w.admin, Some("nobody"))
        .unwrap();
    let nobody = w.svc.credential(&key.id, None).unwrap().caller;
    // The model's constraints (all of them reported at once) are checked
    // on decode (`rootward_model::validate`, tested in crates/model); the
    // domain holds to the duration bound whoever calls.
    let r = sts::assume_root(
        &w.svc,
        &nobody,
        AssumeRoot {
            duration: Some(901),
            ..input(&w.member, AUDIT)
        },
    );
    match r {
        Err(e @ CoreError::Constraints(_)) => assert_eq!(
            e.to_string(),
            "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"
        ),
        other => panic!("{other:?}"),
    }
    for (target, task, message) in [
        (
            "12345678901x",
            AUDIT,
            "Request must contain a valid target principal",
        ),
        (
            &w.member,
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "Request must contain valid AWS managed task policy ARN",
        ),
    ] {
        match sts::assume_root(&w.svc, &nobody, input(target, task)) {
            Err(CoreError::Validation(m)) => assert_eq!(m, message),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn row_4_a_root_caller_or_root_session_is_refused_with_the_generic_message() {
    let w = world(true, true, true);
    let root = sts::assume_root(&w.svc, &w.admin, input(&w.member, AUDIT)).unwrap();
    let session = w
        .svc
        .credential(&root.access_key_id, Some(root.token.expose()))
        .unwrap()
        .caller;
    let m = denied(sts::assume_root(&w.svc, &session, input(&w.member, AUDIT)));
    assert_eq!(
        m,
        generic(&format!("arn:aws:iam::{}:root", w.member), &w.member)
    );
}

#[test]
fn row_4_a_users_own_session_token_is_refused_with_the_generic_message() {
    // GetSessionToken credentials call no STS API but AssumeRole and
    // GetCallerIdentity, even those of an administrator who may AssumeRoot.
    let w = world(true, true, true);
    let gst = sts::get_session_token(&w.svc, &w.admin, None, None, None).unwrap();
    let session = w
        .svc
        .credential(&gst.access_key_id, Some(gst.token.expose()))
        .unwrap()
        .caller;
    assert!(session.is_session_token());
    let arn = session.arn(&w.svc.read());
    let m = denied(sts::assume_root(&w.svc, &session, input(&w.member, AUDIT)));
    assert_eq!(m, generic(&arn, &w.member));
    // The same administrator's long-term key may.
    assert!(sts::assume_root(&w.svc, &w.admin, input(&w.member, AUDIT)).is_ok());
}

#[test]
fn row_5_a_caller_without_the_permission_is_refused_without_a_reason() {
    let w = world(true, true, true);
    users::create_user(&w.svc, &w.admin, "bob", None).unwrap();
    policies::put_user_policy(
        &w.svc,
        &w.admin,
        "bob",
        "deny",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"},{"Effect":"Deny","Action":"sts:AssumeRoot","Resource":"*","Condition":{"StringEquals":{"sts:TaskPolicyArn":"arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}}}]}"#,
    )
    .unwrap();
    let key =
        rootward_core::iam::access_keys::create_access_key(&w.svc, &w.admin, Some("bob")).unwrap();
    let bob = w.svc.credential(&key.id, None).unwrap().caller;
    // An explicit deny by task: no "with an explicit deny" suffix.
    let m = denied(sts::assume_root(&w.svc, &bob, input(&w.member, AUDIT)));
    assert_eq!(
        m,
        generic(&format!("arn:aws:iam::{MANAGEMENT}:user/bob"), &w.member)
    );
    // Another task is allowed by the same policy.
    sts::assume_root(&w.svc, &bob, input(&w.member, S3_UNLOCK)).unwrap();
}

#[test]
fn row_5_the_management_account_itself_is_not_a_target() {
    let w = world(true, true, true);
    let m = denied(sts::assume_root(&w.svc, &w.admin, input(MANAGEMENT, AUDIT)));
    assert_eq!(
        m,
        generic(&format!("arn:aws:iam::{MANAGEMENT}:user/admin"), MANAGEMENT)
    );
}

#[test]
fn row_5_an_account_outside_the_organization_is_not_a_target() {
    let w = world(true, true, true);
    let m = denied(sts::assume_root(
        &w.svc,
        &w.admin,
        input("999999999999", AUDIT),
    ));
    assert!(m.ends_with("arn:aws:iam::999999999999:root"), "{m}");
}

#[test]
fn row_6_without_trusted_access_the_service_is_not_enabled() {
    let w = world(false, false, false);
    let m = denied(sts::assume_root(&w.svc, &w.admin, input(&w.member, AUDIT)));
    assert_eq!(m, "Service not enabled for AWS Organizations.");
}

#[test]
fn row_7_each_task_needs_its_own_feature() {
    let w = world(true, false, true);
    let m = denied(sts::assume_root(&w.svc, &w.admin, input(&w.member, AUDIT)));
    assert_eq!(
        m,
        "Root credentials management feature is not enabled for your AWS Organization."
    );
    sts::assume_root(&w.svc, &w.admin, input(&w.member, S3_UNLOCK)).unwrap();
    let w = world(true, true, false);
    let m = denied(sts::assume_root(
        &w.svc,
        &w.admin,
        input(&w.member, S3_UNLOCK),
    ));
    assert_eq!(
        m,
        "Root sessions feature is not enabled for your AWS Organization."
    );
    sts::assume_root(&w.svc, &w.admin, input(&w.member, AUDIT)).unwrap();
}

#[test]
fn row_8_credentials_are_issued_for_whole_seconds_and_the_task_bounds_them() {
    let w = world(true, true, true);
    let s = sts::assume_root(&w.svc, &w.admin, input(&w.member, AUDIT)).unwrap();
    assert!(s.access_key_id.starts_with("ASIA"));
    assert_eq!(s.issued.nanosecond(), 0);
    assert_eq!((s.expires - s.issued).whole_seconds(), 900);
    let root = w
        .svc
        .credential(&s.access_key_id, Some(s.token.expose()))
        .unwrap()
        .caller;
    assert!(root.is_assumed_root());
    // The audit task allows reading the root user's credentials, nothing else.
    w.svc
        .authorize(&root, "iam:GetAccountSummary", "*", None, &[])
        .unwrap();
    assert!(matches!(
        w.svc.authorize(&root, "iam:CreateUser", "*", None, &[]),
        Err(CoreError::AccessDenied(_))
    ));
}
