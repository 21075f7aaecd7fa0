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

#[test]
fn an_organization_and_its_scps_survive_reopen() {
    use rootward_core::org::{accounts, organization, policies as scps, units};
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    let admin = caller(&svc, "AKIAROOTWARDTEST0001");
    let org = organization::create_organization(&svc, &admin, None)
        .unwrap()
        .org;
    let ou = units::create_ou(&svc, &admin, &org.root_id, "Workloads").unwrap();
    accounts::create_account(
        &svc,
        &admin,
        accounts::CreateAccount {
            email: "app@example.com",
            account_name: "app",
            ..Default::default()
        },
    )
    .unwrap();
    let app = accounts::list_accounts(&svc, &admin, Default::default())
        .unwrap()
        .items
        .into_iter()
        .find(|a| a.name == "app")
        .unwrap()
        .id;
    accounts::move_account(&svc, &admin, &app, &org.root_id, &ou.id).unwrap();
    let deny = scps::create_policy(
        &svc,
        &admin,
        scps::CreatePolicy {
            content: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
            description: "",
            name: "NoS3",
            policy_type: "SERVICE_CONTROL_POLICY",
        },
    )
    .unwrap();
    scps::attach_policy(&svc, &admin, &deny.id, &ou.id).unwrap();
    drop(svc);

    let svc = open(dir.path());
    let state = svc.read();
    let levels = state.org.scp_levels(&app).unwrap();
    // Root (FullAWSAccess), the OU (FullAWSAccess + NoS3), the account (FullAWSAccess).
    let ids: Vec<Vec<&str>> = levels
        .iter()
        .map(|l| {
            let mut ids: Vec<&str> = l.iter().map(|p| p.id()).collect();
            ids.sort_by_key(|id| *id != "p-FullAWSAccess");
            ids
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            vec!["p-FullAWSAccess"],
            vec!["p-FullAWSAccess", deny.id.as_str()],
            vec!["p-FullAWSAccess"]
        ]
    );
    assert!(state.org.scp_levels("111111111111").is_none());
}

#[test]
fn expired_sessions_are_purged_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let clock = SystemClock::default();
    let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let svc = Service::open(Box::new(store), Arc::new(clock.clone())).unwrap();
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    let admin = caller(&svc, "AKIAROOTWARDTEST0001");
    let short = rootward_core::sts::get_session_token(&svc, &admin, Some(900)).unwrap();
    let long = rootward_core::sts::get_session_token(&svc, &admin, Some(7_200)).unwrap();
    assert_eq!(svc.purge_expired_sessions().unwrap(), 0);
    clock.advance(901);
    assert_eq!(svc.purge_expired_sessions().unwrap(), 1);
    assert!(svc.credential(&short.access_key_id).is_none());
    assert!(svc.credential(&long.access_key_id).is_some());
    drop(svc);
    let svc = open(dir.path());
    assert!(svc.credential(&short.access_key_id).is_none());
}
