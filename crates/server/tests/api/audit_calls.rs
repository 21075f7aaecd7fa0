//! The read-only IAM calls audit tools make first (issue 14 §3): the account
//! password policy, tags, identity providers, instance profiles.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::Tag;

use crate::common::{Server, code, user_with_key};

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

#[tokio::test]
async fn password_policy_is_absent_then_set_enforced_and_deleted() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    assert_eq!(
        code(iam.get_account_password_policy().send().await),
        "NoSuchEntity"
    );
    assert_eq!(
        code(iam.delete_account_password_policy().send().await),
        "NoSuchEntity"
    );
    iam.create_user().user_name("dana").send().await.unwrap();
    // Without a policy, IAM's default rules: 8 characters, three classes.
    iam.create_login_profile()
        .user_name("dana")
        .password("Abcdefg1")
        .send()
        .await
        .unwrap();

    iam.update_account_password_policy()
        .minimum_password_length(14)
        .require_symbols(true)
        .require_numbers(true)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .allow_users_to_change_password(true)
        .max_password_age(90)
        .password_reuse_prevention(24)
        .send()
        .await
        .unwrap();
    let p = iam.get_account_password_policy().send().await.unwrap();
    let p = p.password_policy().unwrap();
    assert_eq!(p.minimum_password_length(), Some(14));
    assert!(p.require_symbols() && p.require_numbers());
    assert!(p.require_uppercase_characters() && p.require_lowercase_characters());
    assert!(p.allow_users_to_change_password() && p.expire_passwords());
    assert_eq!(p.max_password_age(), Some(90));
    assert_eq!(p.password_reuse_prevention(), Some(24));
    assert_eq!(p.hard_expiry(), Some(false));

    assert_eq!(
        code(
            iam.update_login_profile()
                .user_name("dana")
                .password("Abcdefg1")
                .send()
                .await
        ),
        "PasswordPolicyViolation"
    );
    iam.create_user().user_name("eve").send().await.unwrap();
    assert_eq!(
        code(
            iam.create_login_profile()
                .user_name("eve")
                .password("NoSymbolsHere42x")
                .send()
                .await
        ),
        "PasswordPolicyViolation"
    );
    iam.create_login_profile()
        .user_name("eve")
        .password("Correct-Horse-42")
        .send()
        .await
        .unwrap();

    // Every parameter left out takes its default, not the previous value.
    iam.update_account_password_policy().send().await.unwrap();
    let p = iam.get_account_password_policy().send().await.unwrap();
    let p = p.password_policy().unwrap();
    assert_eq!(p.minimum_password_length(), Some(6));
    assert!(!p.require_symbols() && !p.expire_passwords());
    assert_eq!(p.max_password_age(), None);
    assert_eq!(
        code(
            iam.update_account_password_policy()
                .minimum_password_length(5)
                .send()
                .await
        ),
        "ValidationError"
    );

    iam.delete_account_password_policy().send().await.unwrap();
    assert_eq!(
        code(iam.get_account_password_policy().send().await),
        "NoSuchEntity"
    );
    // Kept across a restart.
    iam.update_account_password_policy()
        .minimum_password_length(20)
        .send()
        .await
        .unwrap();
    let again = s.reopen().await;
    let iam2 = Client::new(&again.admin());
    let p = iam2.get_account_password_policy().send().await.unwrap();
    assert_eq!(
        p.password_policy().unwrap().minimum_password_length(),
        Some(20)
    );
}

#[tokio::test]
async fn users_roles_and_policies_carry_tags_as_aws_returns_them() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let u = iam
        .create_user()
        .user_name("tagged")
        .tags(tag("team", "ops"))
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    assert_eq!(u.user().unwrap().tags().len(), 2);
    let got = iam.get_user().user_name("tagged").send().await.unwrap();
    assert_eq!(got.user().unwrap().tags()[0].key(), "team");
    iam.tag_user()
        .user_name("tagged")
        .tags(tag("TEAM", "sec"))
        .tags(tag("owner", "alice"))
        .send()
        .await
        .unwrap();
    let t = iam
        .list_user_tags()
        .user_name("tagged")
        .send()
        .await
        .unwrap();
    let pairs: Vec<(&str, &str)> = t.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(
        pairs,
        [("TEAM", "sec"), ("env", "prod"), ("owner", "alice")]
    );
    assert!(!t.is_truncated());
    iam.untag_user()
        .user_name("tagged")
        .tag_keys("env")
        .tag_keys("absent")
        .send()
        .await
        .unwrap();
    let t = iam
        .list_user_tags()
        .user_name("tagged")
        .send()
        .await
        .unwrap();
    assert_eq!(t.tags().len(), 2);
    let page = iam
        .list_user_tags()
        .user_name("tagged")
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert!(page.is_truncated());
    assert_eq!(page.tags().len(), 1);

    // Constraints: 50 at most, AWS's key pattern, no `aws:` prefix, no key twice.
    let fifty: Vec<Tag> = (0..49).map(|i| tag(&format!("k{i}"), "v")).collect();
    iam.tag_user()
        .user_name("tagged")
        .set_tags(Some(fifty))
        .send()
        .await
        .unwrap_err();
    let forty_eight: Vec<Tag> = (0..48).map(|i| tag(&format!("k{i}"), "v")).collect();
    iam.tag_user()
        .user_name("tagged")
        .set_tags(Some(forty_eight))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            iam.tag_user()
                .user_name("tagged")
                .tags(tag("one-too-many", "v"))
                .send()
                .await
        ),
        "LimitExceeded"
    );
    assert_eq!(
        code(
            iam.tag_user()
                .user_name("tagged")
                .tags(tag("bad#key", "v"))
                .send()
                .await
        ),
        "ValidationError"
    );
    assert_eq!(
        code(
            iam.tag_role()
                .role_name("nobody")
                .tags(tag("k", "v"))
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    assert_eq!(
        code(
            iam.create_user()
                .user_name("dup")
                .tags(tag("Key", "a"))
                .tags(tag("key", "b"))
                .send()
                .await
        ),
        "InvalidInput"
    );
    assert_eq!(
        code(
            iam.create_user()
                .user_name("reserved")
                .tags(tag("aws:team", "a"))
                .send()
                .await
        ),
        "InvalidInput"
    );

    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#;
    let r = iam
        .create_role()
        .role_name("Tagged")
        .assume_role_policy_document(trust)
        .tags(tag("team", "ops"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.role().unwrap().tags().len(), 1);
    iam.tag_role()
        .role_name("Tagged")
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
    let got = iam.get_role().role_name("Tagged").send().await.unwrap();
    assert_eq!(got.role().unwrap().tags().len(), 2);
    iam.untag_role()
        .role_name("Tagged")
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    let t = iam
        .list_role_tags()
        .role_name("Tagged")
        .send()
        .await
        .unwrap();
    assert_eq!(t.tags().len(), 1);

    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let p = iam
        .create_policy()
        .policy_name("Tagged")
        .policy_document(doc)
        .tags(tag("team", "ops"))
        .send()
        .await
        .unwrap();
    let arn = p.policy().unwrap().arn().unwrap().to_owned();
    assert_eq!(p.policy().unwrap().tags().len(), 1);
    iam.tag_policy()
        .policy_arn(&arn)
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
    let got = iam.get_policy().policy_arn(&arn).send().await.unwrap();
    assert_eq!(got.policy().unwrap().tags().len(), 2);
    iam.untag_policy()
        .policy_arn(&arn)
        .tag_keys("env")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_policy_tags()
            .policy_arn(&arn)
            .send()
            .await
            .unwrap()
            .tags()
            .len(),
        1
    );
    assert_eq!(
        code(
            iam.tag_policy()
                .policy_arn("arn:aws:iam::aws:policy/SecurityAudit")
                .tags(tag("k", "v"))
                .send()
                .await
        ),
        "InvalidInput"
    );
    // Listings leave tags out, as IAM's do.
    let users = iam.list_users().send().await.unwrap();
    assert!(users.users().iter().all(|u| u.tags().is_empty()));
}

#[tokio::test]
async fn tags_feed_resource_request_and_principal_condition_keys() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let ops = Client::new(&user_with_key(&s, &iam, "ops-bot").await);
    iam.tag_user()
        .user_name("ops-bot")
        .tags(tag("team", "ops"))
        .send()
        .await
        .unwrap();
    // May read users whose team is the caller's own, and tag only with env.
    let policy = r#"{"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},
      {"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]},"StringEquals":{"aws:RequestTag/env":["dev","test"]}}},
      {"Effect":"Allow","Action":"iam:ListRoleTags","Resource":"*","Condition":{"StringEquals":{"iam:ResourceTag/env":"dev"}}}
    ]}"#;
    iam.put_user_policy()
        .user_name("ops-bot")
        .policy_name("ByTag")
        .policy_document(policy)
        .send()
        .await
        .unwrap();
    iam.create_user()
        .user_name("mine")
        .tags(tag("team", "ops"))
        .send()
        .await
        .unwrap();
    iam.create_user()
        .user_name("theirs")
        .tags(tag("team", "finance"))
        .send()
        .await
        .unwrap();
    ops.get_user().user_name("mine").send().await.unwrap();
    assert_eq!(
        code(ops.get_user().user_name("theirs").send().await),
        "AccessDenied"
    );

    ops.tag_user()
        .user_name("theirs")
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            ops.tag_user()
                .user_name("theirs")
                .tags(tag("env", "prod"))
                .send()
                .await
        ),
        "AccessDenied"
    );
    assert_eq!(
        code(
            ops.tag_user()
                .user_name("theirs")
                .tags(tag("env", "dev"))
                .tags(tag("team", "ops"))
                .send()
                .await
        ),
        "AccessDenied",
        "aws:TagKeys holds every key of the request"
    );

    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("Dev")
        .assume_role_policy_document(trust)
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("Prod")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    ops.list_role_tags().role_name("Dev").send().await.unwrap();
    assert_eq!(
        code(ops.list_role_tags().role_name("Prod").send().await),
        "AccessDenied"
    );

    // Tags on a create call need iam:TagUser as well.
    let creator = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}]}"#;
    iam.put_user_policy()
        .user_name("ops-bot")
        .policy_name("Create")
        .policy_document(creator)
        .send()
        .await
        .unwrap();
    ops.create_user().user_name("plain").send().await.unwrap();
    assert_eq!(
        code(
            ops.create_user()
                .user_name("labelled")
                .tags(tag("team", "x"))
                .send()
                .await
        ),
        "AccessDenied"
    );
    ops.create_user()
        .user_name("dev-user")
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn providers_and_credentials_that_cannot_exist_list_empty() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    assert!(
        iam.list_saml_providers()
            .send()
            .await
            .unwrap()
            .saml_provider_list()
            .is_empty()
    );
    assert!(
        iam.list_open_id_connect_providers()
            .send()
            .await
            .unwrap()
            .open_id_connect_provider_list()
            .is_empty()
    );
    let certs = iam.list_server_certificates().send().await.unwrap();
    assert!(certs.server_certificate_metadata_list().is_empty() && !certs.is_truncated());
    assert!(
        iam.list_service_specific_credentials()
            .send()
            .await
            .unwrap()
            .service_specific_credentials()
            .is_empty()
    );
    assert_eq!(
        code(
            iam.list_service_specific_credentials()
                .user_name("ghost")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    let nobody = Client::new(&user_with_key(&s, &iam, "nobody").await);
    assert_eq!(
        code(nobody.list_saml_providers().send().await),
        "AccessDenied"
    );
}

#[tokio::test]
async fn instance_profiles_hold_one_role_that_then_cannot_be_deleted() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    for r in ["Web", "Batch"] {
        iam.create_role()
            .role_name(r)
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
    }
    let p = iam
        .create_instance_profile()
        .instance_profile_name("web")
        .path("/app/")
        .tags(tag("team", "web"))
        .send()
        .await
        .unwrap();
    let p = p.instance_profile().unwrap();
    assert_eq!(
        p.arn(),
        "arn:aws:iam::111111111111:instance-profile/app/web"
    );
    assert!(p.instance_profile_id().starts_with("AIPA"));
    assert!(p.roles().is_empty());
    assert_eq!(
        code(
            iam.create_instance_profile()
                .instance_profile_name("WEB")
                .send()
                .await
        ),
        "EntityAlreadyExists"
    );
    iam.add_role_to_instance_profile()
        .instance_profile_name("web")
        .role_name("Web")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            iam.add_role_to_instance_profile()
                .instance_profile_name("web")
                .role_name("Batch")
                .send()
                .await
        ),
        "LimitExceeded"
    );
    let got = iam
        .get_instance_profile()
        .instance_profile_name("web")
        .send()
        .await
        .unwrap();
    let got = got.instance_profile().unwrap();
    assert_eq!(got.roles()[0].role_name(), "Web");
    assert_eq!(got.tags().len(), 1);
    let for_role = iam
        .list_instance_profiles_for_role()
        .role_name("Web")
        .send()
        .await
        .unwrap();
    assert_eq!(for_role.instance_profiles().len(), 1);
    assert!(
        iam.list_instance_profiles_for_role()
            .role_name("Batch")
            .send()
            .await
            .unwrap()
            .instance_profiles()
            .is_empty()
    );
    let all = iam
        .list_instance_profiles()
        .path_prefix("/app/")
        .send()
        .await
        .unwrap();
    assert_eq!(all.instance_profiles().len(), 1);

    assert_eq!(
        code(iam.delete_role().role_name("Web").send().await),
        "DeleteConflict"
    );
    assert_eq!(
        code(
            iam.delete_instance_profile()
                .instance_profile_name("web")
                .send()
                .await
        ),
        "DeleteConflict"
    );
    iam.remove_role_from_instance_profile()
        .instance_profile_name("web")
        .role_name("Web")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            iam.remove_role_from_instance_profile()
                .instance_profile_name("web")
                .role_name("Web")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    iam.delete_role().role_name("Web").send().await.unwrap();
    iam.delete_instance_profile()
        .instance_profile_name("web")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            iam.get_instance_profile()
                .instance_profile_name("web")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
}
