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

#[tokio::test]
async fn account_authorization_details_lists_every_entity_with_filter_and_paging() {
    use aws_sdk_iam::types::EntityType;
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user()
        .user_name("ann")
        .tags(tag("team", "ops"))
        .send()
        .await
        .unwrap();
    iam.create_group().group_name("Ops").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("Ops")
        .user_name("ann")
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/SecurityAudit")
        .send()
        .await
        .unwrap();
    iam.put_user_policy()
        .user_name("ann")
        .policy_name("Inline")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("App")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    iam.create_instance_profile()
        .instance_profile_name("app")
        .send()
        .await
        .unwrap();
    iam.add_role_to_instance_profile()
        .instance_profile_name("app")
        .role_name("App")
        .send()
        .await
        .unwrap();
    let local = iam
        .create_policy()
        .policy_name("Local")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let local_arn = local.policy().unwrap().arn().unwrap().to_owned();
    iam.create_policy_version()
        .policy_arn(&local_arn)
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:Get*","Resource":"*"}]}"#)
        .set_as_default(true)
        .send()
        .await
        .unwrap();

    let d = iam
        .get_account_authorization_details()
        .send()
        .await
        .unwrap();
    let ann = d
        .user_detail_list()
        .iter()
        .find(|u| u.user_name() == Some("ann"))
        .unwrap();
    assert_eq!(ann.group_list(), ["Ops"]);
    assert_eq!(ann.user_policy_list()[0].policy_name(), Some("Inline"));
    assert!(
        ann.user_policy_list()[0]
            .policy_document()
            .unwrap()
            .contains("s3%3AListAllMyBuckets")
    );
    assert_eq!(ann.tags().len(), 1);
    let admin = d
        .user_detail_list()
        .iter()
        .find(|u| u.user_name() == Some("admin"))
        .unwrap();
    assert_eq!(
        admin.attached_managed_policies()[0].policy_name(),
        Some("AdministratorAccess")
    );
    let ops = &d.group_detail_list()[0];
    assert_eq!(
        ops.attached_managed_policies()[0].policy_name(),
        Some("SecurityAudit")
    );
    let app = d
        .role_detail_list()
        .iter()
        .find(|r| r.role_name() == Some("App"))
        .unwrap();
    assert_eq!(
        app.instance_profile_list()[0].instance_profile_name(),
        "app"
    );
    assert!(
        app.assume_role_policy_document()
            .unwrap()
            .contains("ec2.amazonaws.com")
    );
    let names: Vec<&str> = d
        .policies()
        .iter()
        .filter_map(|p| p.policy_name())
        .collect();
    assert_eq!(
        names,
        ["Local", "AdministratorAccess", "SecurityAudit"],
        "local, then AWS managed ones in use"
    );
    let lp = &d.policies()[0];
    assert_eq!(lp.default_version_id(), Some("v2"));
    assert_eq!(lp.policy_version_list().len(), 2);
    assert!(lp.policy_version_list()[0].is_default_version());

    let only_roles = iam
        .get_account_authorization_details()
        .filter(EntityType::Role)
        .send()
        .await
        .unwrap();
    assert!(only_roles.user_detail_list().is_empty() && only_roles.policies().is_empty());
    assert!(!only_roles.role_detail_list().is_empty());
    let aws_only = iam
        .get_account_authorization_details()
        .filter(EntityType::AwsManagedPolicy)
        .send()
        .await
        .unwrap();
    assert_eq!(aws_only.policies().len(), 2);

    let mut seen = 0;
    let mut marker = None;
    loop {
        let page = iam
            .get_account_authorization_details()
            .max_items(2)
            .set_marker(marker)
            .send()
            .await
            .unwrap();
        seen += page.user_detail_list().len()
            + page.group_detail_list().len()
            + page.role_detail_list().len()
            + page.policies().len();
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_owned);
    }
    let total = d.user_detail_list().len()
        + d.group_detail_list().len()
        + d.role_detail_list().len()
        + d.policies().len();
    assert_eq!(seen, total);
}

#[tokio::test]
async fn service_last_accessed_details_come_from_recorded_key_use() {
    use aws_sdk_iam::types::JobStatusType;
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let reader = Client::new(&user_with_key(&s, &iam, "reader").await);
    iam.attach_user_policy()
        .user_name("reader")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    reader.list_users().send().await.unwrap();

    let job = iam
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::111111111111:user/reader")
        .send()
        .await
        .unwrap();
    let job_id = job.job_id().unwrap();
    let r = iam
        .get_service_last_accessed_details()
        .job_id(job_id)
        .send()
        .await
        .unwrap();
    assert_eq!(r.job_status(), &JobStatusType::Completed);
    let iam_row = r
        .services_last_accessed()
        .iter()
        .find(|x| x.service_namespace() == "iam")
        .unwrap();
    assert!(iam_row.last_authenticated().is_some());
    assert_eq!(
        iam_row.last_authenticated_entity(),
        Some("arn:aws:iam::111111111111:user/reader")
    );
    assert_eq!(iam_row.last_authenticated_region(), Some("us-east-1"));
    assert_eq!(iam_row.total_authenticated_entities(), Some(1));
    let orgs = r
        .services_last_accessed()
        .iter()
        .find(|x| x.service_namespace() == "organizations")
        .unwrap();
    assert!(orgs.last_authenticated().is_none(), "allowed, never used");
    assert_eq!(orgs.total_authenticated_entities(), Some(0));

    let by_policy = iam
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    let r = iam
        .get_service_last_accessed_details()
        .job_id(by_policy.job_id().unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        r.services_last_accessed()
            .iter()
            .any(|x| x.service_namespace() == "iam" && x.last_authenticated().is_some())
    );

    assert_eq!(
        code(
            iam.generate_service_last_accessed_details()
                .arn("arn:aws:iam::111111111111:user/ghost")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    assert_eq!(
        code(
            iam.get_service_last_accessed_details()
                .job_id("00000000-0000-0000-0000-000000000000")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
}

#[tokio::test]
async fn list_virtual_mfa_devices_shows_the_devices_that_exist_by_assignment() {
    use aws_sdk_iam::types::AssignmentStatusType;
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user()
        .user_name("mfa-user")
        .send()
        .await
        .unwrap();
    for name in ["spare", "mine"] {
        iam.create_virtual_mfa_device()
            .virtual_mfa_device_name(name)
            .send()
            .await
            .unwrap();
    }
    let all = iam.list_virtual_mfa_devices().send().await.unwrap();
    assert_eq!(all.virtual_mfa_devices().len(), 2);
    let assigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Assigned)
        .send()
        .await
        .unwrap();
    assert!(assigned.virtual_mfa_devices().is_empty());
    let unassigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Unassigned)
        .send()
        .await
        .unwrap();
    let serials: Vec<&str> = unassigned
        .virtual_mfa_devices()
        .iter()
        .map(|d| d.serial_number())
        .collect();
    assert!(serials.contains(&"arn:aws:iam::111111111111:mfa/spare"));
}
