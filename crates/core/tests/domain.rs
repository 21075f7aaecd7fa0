//! The domain on a real SQLite store: bootstrap, IAM, authorization, restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use rootward_core::authz::{Caller, CallerKind};
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::iam::{access_keys, policies, users};
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::{CoreError, Service};

fn open(dir: &std::path::Path) -> Service {
    let store = SqliteStore::open(&dir.join("state.db")).unwrap();
    Service::open(Box::new(store), Arc::new(SystemClock::default())).unwrap()
}

fn caller(svc: &Service, key: &str) -> Caller {
    svc.credential(key).unwrap().caller
}

#[test]
fn bootstrap_creates_an_admin_once_and_state_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let b = bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap()
    .unwrap();
    assert_eq!(b.account_id, "111111111111");
    assert!(bootstrap(&svc, None, None, None).unwrap().is_none());
    let admin = caller(&svc, "AKIAROOTWARDTEST0001");
    assert_eq!(
        admin.kind,
        CallerKind::User {
            name: "admin".into()
        }
    );

    users::create_user(&svc, &admin, "alice", Some("/ops/")).unwrap();
    let key = access_keys::create_access_key(&svc, &admin, Some("alice")).unwrap();
    drop(svc);

    let svc = open(dir.path());
    assert!(bootstrap(&svc, None, None, None).unwrap().is_none());
    let alice = caller(&svc, &key.id);
    assert!(
        svc.credential(&key.id)
            .unwrap()
            .secret
            .matches(key.secret.expose())
    );
    let got = users::get_user(&svc, &alice, Some("alice"));
    assert!(
        matches!(got, Err(CoreError::AccessDenied(m)) if m == "User: arn:aws:iam::111111111111:user/ops/alice is not authorized to perform: iam:GetUser on resource: arn:aws:iam::111111111111:user/ops/alice because no identity-based policy allows the iam:GetUser action")
    );
}

#[test]
fn policies_and_boundaries_decide_what_a_user_may_do() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("s"),
    )
    .unwrap();
    let admin = caller(&svc, "AKIAROOTWARDTEST0001");
    users::create_user(&svc, &admin, "bob", None).unwrap();
    let key = access_keys::create_access_key(&svc, &admin, Some("bob")).unwrap();
    let bob = caller(&svc, &key.id);

    policies::attach_user_policy(&svc, &admin, "bob", "arn:aws:iam::aws:policy/IAMFullAccess")
        .unwrap();
    assert_eq!(users::list_users(&svc, &bob, None).unwrap().len(), 2);
    // A boundary that allows only reads caps IAMFullAccess.
    policies::set_user_permissions_boundary(
        &svc,
        &admin,
        "bob",
        Some("arn:aws:iam::aws:policy/ReadOnlyAccess"),
    )
    .unwrap();
    assert!(users::list_users(&svc, &bob, None).is_ok());
    let r = users::create_user(&svc, &bob, "eve", None);
    assert!(
        matches!(&r, Err(CoreError::AccessDenied(m)) if m.contains("because no permissions boundary allows")),
        "{r:?}"
    );
    // An inline Deny wins.
    policies::set_user_permissions_boundary(&svc, &admin, "bob", None).unwrap();
    policies::put_user_policy(&svc, &admin, "bob", "NoList", r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}}"#).unwrap();
    assert!(
        matches!(users::list_users(&svc, &bob, None), Err(CoreError::AccessDenied(m)) if m.contains("with an explicit deny in an identity-based policy"))
    );
    // Malformed documents and task policies are refused.
    assert!(matches!(
        policies::put_user_policy(&svc, &admin, "bob", "Bad", "{"),
        Err(CoreError::MalformedPolicy(_))
    ));
    assert!(matches!(
        policies::attach_user_policy(&svc, &admin, "bob", "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"),
        Err(CoreError::Validation(m)) if m.starts_with("PolicyNotAttachable")
    ));
    // Two keys at most; a deleted key stops authenticating.
    access_keys::create_access_key(&svc, &admin, Some("bob")).unwrap();
    assert!(matches!(
        access_keys::create_access_key(&svc, &admin, Some("bob")),
        Err(CoreError::LimitExceeded(_))
    ));
    access_keys::delete_access_key(&svc, &admin, Some("bob"), &key.id).unwrap();
    assert!(svc.credential(&key.id).is_none());
    assert!(matches!(
        users::delete_user(&svc, &admin, "bob"),
        Err(CoreError::DeleteConflict(_))
    ));
}
