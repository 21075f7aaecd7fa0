//! The domain on a real SQLite store: bootstrap, IAM, authorization, restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use rootward_core::authz::{Caller, CallerKind};
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::iam::{access_keys, policies, users};
use rootward_core::keys::{Keys, MasterKey};
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::{CoreError, Service};

fn keys(dir: &std::path::Path) -> Keys {
    Keys::new(
        &MasterKey::read_or_create(&dir.join("master.key")).unwrap(),
        None,
    )
}

fn open(dir: &std::path::Path) -> Service {
    open_with(dir, SystemClock::default())
}

fn open_with(dir: &std::path::Path, clock: SystemClock) -> Service {
    let store = SqliteStore::open(&dir.join("state.db")).unwrap();
    Service::open(Box::new(store), Arc::new(clock), keys(dir)).unwrap()
}

fn caller(svc: &Service, key: &str) -> Caller {
    svc.credential(key, None).unwrap().caller
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
    assert!(
        matches!(&admin.kind, CallerKind::User { name, id } if name == "admin" && id.starts_with("AIDA"))
    );

    users::create_user(&svc, &admin, "alice", Some("/ops/")).unwrap();
    let key = access_keys::create_access_key(&svc, &admin, Some("alice")).unwrap();
    drop(svc);

    let svc = open(dir.path());
    assert!(bootstrap(&svc, None, None, None).unwrap().is_none());
    let alice = caller(&svc, &key.id);
    assert!(
        svc.credential(&key.id, None)
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
        policies::attach_user_policy(
            &svc,
            &admin,
            "bob",
            "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"
        ),
        Err(CoreError::PolicyNotAttachable(_))
    ));
    // Two keys at most; a deleted key stops authenticating.
    access_keys::create_access_key(&svc, &admin, Some("bob")).unwrap();
    assert!(matches!(
        access_keys::create_access_key(&svc, &admin, Some("bob")),
        Err(CoreError::LimitExceeded(_))
    ));
    access_keys::delete_access_key(&svc, &admin, Some("bob"), &key.id).unwrap();
    assert!(svc.credential(&key.id, None).is_err());
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
    accounts::move_account(
        &svc,
        &admin,
        &rootward_core::org::account_id(&app).unwrap(),
        &org.root_id,
        &ou.id,
    )
    .unwrap();
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
fn sessions_are_never_stored_outlive_a_restart_and_expire() {
    use rootward_core::authz::CredentialError;
    let dir = tempfile::tempdir().unwrap();
    let clock = SystemClock::default();
    let svc = open_with(dir.path(), clock.clone());
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    let admin = caller(&svc, "AKIAROOTWARDTEST0001");
    let short = rootward_core::sts::get_session_token(&svc, &admin, Some(900), None, None).unwrap();
    let long =
        rootward_core::sts::get_session_token(&svc, &admin, Some(7_200), None, None).unwrap();
    let check = |svc: &Service, s: &rootward_core::model::Session| {
        svc.credential(&s.access_key_id, Some(s.token.expose()))
            .map(|c| c.secret.matches(s.secret.expose()))
    };
    assert_eq!(check(&svc, &short), Ok(true));
    // A session's key without its token, with another session's token, or a
    // long-term key with a token: refused.
    assert_eq!(
        svc.credential(&short.access_key_id, None).map(|_| ()),
        Err(CredentialError::InvalidToken)
    );
    assert_eq!(
        svc.credential(&short.access_key_id, Some(long.token.expose()))
            .map(|_| ()),
        Err(CredentialError::InvalidToken)
    );
    assert_eq!(
        svc.credential("AKIAROOTWARDTEST0001", Some(short.token.expose()))
            .map(|_| ()),
        Err(CredentialError::InvalidToken)
    );
    drop(svc);
    // Nothing of the sessions is in the store, yet they outlive a restart.
    let raw = std::fs::read(dir.path().join("state.db")).unwrap();
    assert!(!raw.windows(20).any(|w| w == short.access_key_id.as_bytes()));
    clock.advance(901);
    let svc = open_with(dir.path(), clock.clone());
    assert_eq!(
        check(&svc, &short).map(|_| ()),
        Err(CredentialError::ExpiredToken)
    );
    assert_eq!(check(&svc, &long), Ok(true));
}

#[test]
fn an_older_data_directory_with_clear_secrets_is_sealed_and_scrubbed_in_place() {
    use rootward_core::model::{AccessKey, KeyOwner, KeyStatus, Record};
    use rootward_core::secret::Secret;
    use rootward_core::store::{Store, Write};
    let dir = tempfile::tempdir().unwrap();
    let secret = "OlderVersionClearSecretKey0123456789abcd";
    let session_secret = "OlderVersionSessionSecret0123456789abcde";
    {
        // What an older version wrote: the secret in clear, and a session row.
        let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
        let key = Record::AccessKey(AccessKey {
            id: "AKIAOLDERVERSION0001".into(),
            secret: Secret::new(secret),
            account: "111111111111".into(),
            owner: KeyOwner::Root,
            status: KeyStatus::Active,
            created: time::OffsetDateTime::now_utc(),
            last_used: None,
        });
        let session = format!(
            r#"{{"kind":"Session","access_key_id":"ASIAOLD","secret":"{session_secret}","token":"tok"}}"#
        );
        store
            .commit(&[
                Write::Put {
                    table: "accounts",
                    key: "111111111111".into(),
                    value: br#"{"kind":"Account","id":"111111111111","name":"a","email":"a@example.com","created":"2026-01-01T00:00:00Z"}"#.to_vec(),
                },
                Write::Put {
                    table: "access_keys",
                    key: "AKIAOLDERVERSION0001".into(),
                    value: serde_json::to_vec(&key).unwrap(),
                },
                Write::Put {
                    table: "sessions",
                    key: "ASIAOLD".into(),
                    value: session.into_bytes(),
                },
            ])
            .unwrap();
    }
    let files = |dir: &std::path::Path| -> Vec<u8> {
        let mut all = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            all.extend(std::fs::read(e.unwrap().path()).unwrap());
        }
        all
    };
    let has = |hay: &[u8], s: &str| hay.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(has(&files(dir.path()), secret));
    let svc = open(dir.path());
    let cred = svc.credential("AKIAOLDERVERSION0001", None).unwrap();
    assert!(cred.secret.matches(secret));
    drop(svc);
    let bytes = files(dir.path());
    assert!(!has(&bytes, secret), "the clear secret is still on disk");
    assert!(
        !has(&bytes, session_secret),
        "the old session is still on disk"
    );
    // Opened again, the sealed key still works, and a foreign master key is
    // refused at start.
    let svc = open(dir.path());
    assert!(
        svc.credential("AKIAOLDERVERSION0001", None)
            .unwrap()
            .secret
            .matches(secret)
    );
    drop(svc);
    let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let wrong = Service::open(
        Box::new(store),
        Arc::new(SystemClock::default()),
        Keys::ephemeral(),
    );
    assert!(matches!(wrong, Err(CoreError::Internal(m)) if m.contains("master key")));
}
