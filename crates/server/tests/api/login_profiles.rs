//! Login profiles, the account summary, and what survives a restart.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::SummaryKeyType;
use rootward_core::model::{KeyOwner, login_profile_key};

use crate::common::{ACCOUNT, Server, code, user_with_key};

#[tokio::test]
async fn login_profiles_hash_the_password_and_follow_iam_errors() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("erin").send().await.unwrap();
    let err = iam
        .get_login_profile()
        .user_name("erin")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("NoSuchEntity"));
    assert_eq!(
        err.meta().message(),
        Some("Login Profile for User erin cannot be found.")
    );

    let out = iam
        .create_login_profile()
        .user_name("erin")
        .password("Initial-Passw0rd")
        .password_reset_required(true)
        .send()
        .await
        .unwrap();
    let lp = out.login_profile().unwrap();
    assert_eq!(lp.user_name(), "erin");
    assert!(lp.password_reset_required());
    assert_eq!(
        code(
            iam.create_login_profile()
                .user_name("erin")
                .password("Initial-Passw0rd")
                .send()
                .await
        ),
        "EntityAlreadyExists"
    );
    assert_eq!(
        code(
            iam.create_login_profile()
                .user_name("nobody")
                .password("Initial-Passw0rd")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    iam.create_user().user_name("weak").send().await.unwrap();
    assert_eq!(
        code(
            iam.create_login_profile()
                .user_name("weak")
                .password("short")
                .send()
                .await
        ),
        "PasswordPolicyViolation"
    );

    // Only a salted Argon2id hash is kept.
    {
        let state = s.svc.read();
        let stored = state
            .login_profiles
            .get(&login_profile_key(ACCOUNT, &KeyOwner::User("erin".into())))
            .unwrap();
        let hash = stored.password_hash.as_ref().unwrap();
        assert!(hash.expose().starts_with("$argon2id$"));
        assert!(!hash.expose().contains("Initial-Passw0rd"));
        assert!(rootward_core::iam::login_profiles::verify_password(
            hash,
            "Initial-Passw0rd"
        ));
        assert!(!format!("{stored:?}").contains("argon2"));
    }

    iam.update_login_profile()
        .user_name("erin")
        .password("Second-Passw0rd")
        .password_reset_required(false)
        .send()
        .await
        .unwrap();
    let got = iam
        .get_login_profile()
        .user_name("erin")
        .send()
        .await
        .unwrap();
    assert!(!got.login_profile().unwrap().password_reset_required());
    {
        let state = s.svc.read();
        let stored = state
            .login_profiles
            .get(&login_profile_key(ACCOUNT, &KeyOwner::User("erin".into())))
            .unwrap();
        assert!(rootward_core::iam::login_profiles::verify_password(
            stored.password_hash.as_ref().unwrap(),
            "Second-Passw0rd"
        ));
    }

    // A user with a login profile cannot be deleted.
    assert_eq!(
        code(iam.delete_user().user_name("erin").send().await),
        "DeleteConflict"
    );
    iam.delete_login_profile()
        .user_name("erin")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(iam.delete_login_profile().user_name("erin").send().await),
        "NoSuchEntity"
    );
    assert_eq!(
        code(
            iam.update_login_profile()
                .user_name("erin")
                .password("Third-Passw0rd")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    iam.delete_user().user_name("erin").send().await.unwrap();

    // Without UserName an IAM user acts on itself (and needs the permission).
    let frank = Client::new(&user_with_key(&s, &iam, "frank").await);
    assert_eq!(code(frank.get_login_profile().send().await), "AccessDenied");
    iam.put_user_policy()
        .user_name("frank")
        .policy_name("Self")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*LoginProfile","Resource":"arn:aws:iam::111111111111:user/${aws:username}"}}"#)
        .send()
        .await
        .unwrap();
    frank
        .create_login_profile()
        .password("Franks-Passw0rd")
        .send()
        .await
        .unwrap();
    assert_eq!(
        frank
            .get_login_profile()
            .send()
            .await
            .unwrap()
            .login_profile()
            .unwrap()
            .user_name(),
        "frank"
    );
    assert_eq!(
        code(frank.get_login_profile().user_name("weak").send().await),
        "AccessDenied"
    );
}

#[tokio::test]
async fn account_summary_counts_entities() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("u1").send().await.unwrap();
    iam.create_group().group_name("g1").send().await.unwrap();
    iam.create_policy()
        .policy_name("p1")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#)
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("g1")
        .policy_arn("arn:aws:iam::111111111111:policy/p1")
        .send()
        .await
        .unwrap();
    let out = iam.get_account_summary().send().await.unwrap();
    let m = out.summary_map().unwrap();
    let get = |k: SummaryKeyType| *m.get(&k).unwrap();
    assert_eq!(get(SummaryKeyType::Users), 2);
    assert_eq!(get(SummaryKeyType::Groups), 1);
    assert_eq!(get(SummaryKeyType::Roles), 0);
    assert_eq!(get(SummaryKeyType::Policies), 1);
    // admin's AdministratorAccess and g1's p1.
    assert_eq!(get(SummaryKeyType::PolicyVersionsInUse), 2);
    assert_eq!(get(SummaryKeyType::AccountAccessKeysPresent), 0);
    assert_eq!(get(SummaryKeyType::AccountPasswordPresent), 0);
    assert_eq!(get(SummaryKeyType::AccountMfaEnabled), 0);
    assert_eq!(get(SummaryKeyType::UsersQuota), 5000);
    assert_eq!(get(SummaryKeyType::VersionsPerPolicyQuota), 5);
    assert_eq!(get(SummaryKeyType::AttachedPoliciesPerRoleQuota), 20);
    assert_eq!(m.len(), 34);
}

#[tokio::test]
async fn groups_policy_versions_and_login_profiles_survive_a_restart() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("gina").send().await.unwrap();
    iam.create_group().group_name("Keep").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("Keep")
        .user_name("gina")
        .send()
        .await
        .unwrap();
    iam.create_policy()
        .policy_name("Versioned")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}}"#)
        .send()
        .await
        .unwrap();
    let arn = "arn:aws:iam::111111111111:policy/Versioned";
    iam.create_policy_version()
        .policy_arn(arn)
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}}"#)
        .set_as_default(true)
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("Keep")
        .policy_arn(arn)
        .send()
        .await
        .unwrap();
    iam.create_login_profile()
        .user_name("gina")
        .password("Ginas-Passw0rd")
        .send()
        .await
        .unwrap();

    let again = s.reopen().await;
    let iam = Client::new(&again.admin());
    let g = iam.get_group().group_name("Keep").send().await.unwrap();
    assert_eq!(g.users()[0].user_name(), "gina");
    let p = iam.get_policy().policy_arn(arn).send().await.unwrap();
    assert_eq!(p.policy().unwrap().default_version_id(), Some("v2"));
    assert_eq!(p.policy().unwrap().attachment_count(), Some(1));
    let v = iam
        .list_policy_versions()
        .policy_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(v.versions().len(), 2);
    assert!(
        iam.get_login_profile()
            .user_name("gina")
            .send()
            .await
            .is_ok()
    );
    // The compiled default version (v2: GetUser only) decides after the restart.
    let k = iam
        .create_access_key()
        .user_name("gina")
        .send()
        .await
        .unwrap();
    let k = k.access_key().unwrap();
    let gina = Client::new(&again.config(k.access_key_id(), k.secret_access_key(), None));
    assert!(gina.get_user().user_name("gina").send().await.is_ok());
    assert_eq!(code(gina.list_users().send().await), "AccessDenied");
}
