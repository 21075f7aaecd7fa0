use aws_sdk_iam::Client;

use crate::common::Server;

#[tokio::test]
async fn users_keys_and_policies_round_trip() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let u = iam
        .create_user()
        .user_name("alice")
        .path("/ops/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        u.user().unwrap().arn(),
        "arn:aws:iam::111111111111:user/ops/alice"
    );
    let err = iam
        .create_user()
        .user_name("alice")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.into_service_error()
            .is_entity_already_exists_exception()
    );

    let users = iam.list_users().send().await.unwrap();
    let names: Vec<&str> = users.users().iter().map(|u| u.user_name()).collect();
    assert_eq!(names, ["admin", "alice"]);

    let key = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let alice = Client::new(&s.config(key.access_key_id(), key.secret_access_key(), None));

    // No policy yet: denied with AWS's message.
    let err = alice
        .list_users()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("AccessDenied"));
    assert_eq!(
        err.meta().message(),
        Some(
            "User: arn:aws:iam::111111111111:user/ops/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::111111111111:user/ because no identity-based policy allows the iam:ListUsers action"
        )
    );

    iam.put_user_policy()
        .user_name("alice")
        .policy_name("ReadUsers")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:List*","iam:Get*"],"Resource":"*"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(alice.list_users().send().await.unwrap().users().len(), 2);
    let got = iam
        .get_user_policy()
        .user_name("alice")
        .policy_name("ReadUsers")
        .send()
        .await
        .unwrap();
    // IAM returns documents URL-encoded (RFC 3986), as AWS does.
    assert!(
        got.policy_document().contains("iam%3AList*"),
        "{}",
        got.policy_document()
    );

    let err = iam
        .put_user_policy()
        .user_name("alice")
        .policy_name("Bad")
        .policy_document("{\"Statement\":[]}")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.into_service_error()
            .is_malformed_policy_document_exception()
    );

    // A deleted key stops authenticating at once.
    iam.delete_access_key()
        .user_name("alice")
        .access_key_id(key.access_key_id())
        .send()
        .await
        .unwrap();
    let err = alice
        .list_users()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("InvalidClientTokenId"));
}

#[tokio::test]
async fn pagination_follows_marker_and_max_items() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    for i in 0..5 {
        iam.create_user()
            .user_name(format!("u{i}"))
            .send()
            .await
            .unwrap();
    }
    let page = iam.list_users().max_items(4).send().await.unwrap();
    assert!(page.is_truncated());
    assert_eq!(page.users().len(), 4);
    let rest = iam
        .list_users()
        .max_items(4)
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert!(!rest.is_truncated());
    assert_eq!(rest.users().len(), 2);
}

#[tokio::test]
async fn a_cleanup_that_deletes_each_page_before_the_next_misses_nothing() {
    // The loop a clean-up script writes with a paginator: each page's users,
    // roles and groups are deleted before the next page is asked for.
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#;
    for i in 0..10 {
        let name = format!("Del-{i:02}");
        iam.create_user()
            .user_name(&name)
            .path("/del/")
            .send()
            .await
            .unwrap();
        iam.create_role()
            .role_name(&name)
            .path("/del/")
            .assume_role_policy_document(TRUST)
            .send()
            .await
            .unwrap();
        iam.create_group()
            .group_name(&name)
            .path("/del/")
            .send()
            .await
            .unwrap();
    }
    let mut users = iam
        .list_users()
        .path_prefix("/del/")
        .max_items(3)
        .into_paginator()
        .send();
    let mut deleted = 0;
    while let Some(page) = users.next().await {
        for u in page.unwrap().users() {
            iam.delete_user()
                .user_name(u.user_name())
                .send()
                .await
                .unwrap();
            deleted += 1;
        }
    }
    assert_eq!(deleted, 10);
    let mut roles = iam
        .list_roles()
        .path_prefix("/del/")
        .max_items(3)
        .into_paginator()
        .send();
    let mut deleted = 0;
    while let Some(page) = roles.next().await {
        for r in page.unwrap().roles() {
            iam.delete_role()
                .role_name(r.role_name())
                .send()
                .await
                .unwrap();
            deleted += 1;
        }
    }
    assert_eq!(deleted, 10);
    let mut marker: Option<String> = None;
    let mut deleted = 0;
    loop {
        let page = iam
            .list_groups()
            .path_prefix("/del/")
            .max_items(4)
            .set_marker(marker.clone())
            .send()
            .await
            .unwrap();
        for g in page.groups() {
            iam.delete_group()
                .group_name(g.group_name())
                .send()
                .await
                .unwrap();
            deleted += 1;
        }
        marker = page.marker().map(str::to_owned);
        if !page.is_truncated() {
            break;
        }
    }
    assert_eq!(deleted, 10);
    assert!(
        iam.list_users()
            .path_prefix("/del/")
            .send()
            .await
            .unwrap()
            .users()
            .is_empty()
    );
    // The same for a user's inline and attached policies, removed page by page.
    iam.create_user().user_name("holder").send().await.unwrap();
    for i in 0..7 {
        iam.put_user_policy()
            .user_name("holder")
            .policy_name(format!("inline-{i}"))
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#)
            .send()
            .await
            .unwrap();
    }
    for name in [
        "ReadOnlyAccess",
        "IAMReadOnlyAccess",
        "AmazonS3ReadOnlyAccess",
        "AmazonSQSReadOnlyAccess",
        "AWSCloudTrail_ReadOnlyAccess",
    ] {
        iam.attach_user_policy()
            .user_name("holder")
            .policy_arn(format!("arn:aws:iam::aws:policy/{name}"))
            .send()
            .await
            .unwrap();
    }
    let mut inline = iam
        .list_user_policies()
        .user_name("holder")
        .max_items(2)
        .into_paginator()
        .send();
    let mut removed = 0;
    while let Some(page) = inline.next().await {
        for n in page.unwrap().policy_names() {
            iam.delete_user_policy()
                .user_name("holder")
                .policy_name(n)
                .send()
                .await
                .unwrap();
            removed += 1;
        }
    }
    assert_eq!(removed, 7);
    let mut attached = iam
        .list_attached_user_policies()
        .user_name("holder")
        .max_items(2)
        .into_paginator()
        .send();
    let mut detached = 0;
    while let Some(page) = attached.next().await {
        for a in page.unwrap().attached_policies() {
            iam.detach_user_policy()
                .user_name("holder")
                .policy_arn(a.policy_arn().unwrap())
                .send()
                .await
                .unwrap();
            detached += 1;
        }
    }
    assert_eq!(detached, 5);
    // And a policy's entities (groups, users, roles), detached page by page
    // before the policy is deleted.
    let policy = iam
        .create_policy()
        .policy_name("shared")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    for i in 0..3 {
        iam.create_group()
            .group_name(format!("g{i}"))
            .send()
            .await
            .unwrap();
        iam.attach_group_policy()
            .group_name(format!("g{i}"))
            .policy_arn(&policy)
            .send()
            .await
            .unwrap();
        iam.create_user()
            .user_name(format!("u{i}"))
            .send()
            .await
            .unwrap();
        iam.attach_user_policy()
            .user_name(format!("u{i}"))
            .policy_arn(&policy)
            .send()
            .await
            .unwrap();
    }
    let mut entities = iam
        .list_entities_for_policy()
        .policy_arn(&policy)
        .max_items(2)
        .into_paginator()
        .send();
    let mut detached = 0;
    while let Some(page) = entities.next().await {
        let page = page.unwrap();
        for g in page.policy_groups() {
            iam.detach_group_policy()
                .group_name(g.group_name().unwrap())
                .policy_arn(&policy)
                .send()
                .await
                .unwrap();
            detached += 1;
        }
        for u in page.policy_users() {
            iam.detach_user_policy()
                .user_name(u.user_name().unwrap())
                .policy_arn(&policy)
                .send()
                .await
                .unwrap();
            detached += 1;
        }
    }
    assert_eq!(detached, 6);
    iam.delete_policy()
        .policy_arn(&policy)
        .send()
        .await
        .unwrap();
    // A marker that is not one of ours is refused.
    let r = iam.list_users().marker("not-a-marker").send().await;
    assert_eq!(crate::common::code(r), "ValidationError");
}

#[tokio::test]
async fn unknown_operations_and_missing_parameters_get_query_errors() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let err = iam.get_user_policy().user_name("admin").send().await;
    // The SDK refuses a missing required member itself; send an empty name instead.
    assert!(err.is_err());
    let err = iam
        .get_user()
        .user_name("nobody")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_no_such_entity_exception());
}

#[tokio::test]
async fn access_key_last_use_is_recorded() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    iam.create_user().user_name("kim").send().await.unwrap();
    let key = iam
        .create_access_key()
        .user_name("kim")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let never = iam
        .get_access_key_last_used()
        .access_key_id(key.access_key_id())
        .send()
        .await
        .unwrap();
    let never = never.access_key_last_used().unwrap();
    assert!(never.last_used_date().is_none());
    assert_eq!(never.service_name(), "N/A");

    aws_sdk_sts::Client::new(&s.config(key.access_key_id(), key.secret_access_key(), None))
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    let used = iam
        .get_access_key_last_used()
        .access_key_id(key.access_key_id())
        .send()
        .await
        .unwrap();
    assert_eq!(used.user_name(), Some("kim"));
    let used = used.access_key_last_used().unwrap();
    assert_eq!(used.service_name(), "sts");
    assert_eq!(used.region(), "us-east-1");
    let at = used.last_used_date().unwrap().secs();
    assert!((at - s.svc.now().unix_timestamp()).abs() <= 2);
}

/// An identity policy of about `size` characters (no whitespace).
fn policy_of_size(size: usize) -> String {
    let head = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["#;
    let tail = r#"],"Resource":"*"}]}"#;
    let mut actions = Vec::new();
    let mut len = head.len() + tail.len();
    let mut i = 0;
    while len < size {
        let a = format!("\"iam:GetUser{i}\"");
        len += a.len() + 1;
        actions.push(a);
        i += 1;
    }
    format!("{head}{}{tail}", actions.join(","))
}

/// The code, message and HTTP status of a failed IAM call.
fn refusal<R: std::fmt::Debug, E>(
    r: Result<R, aws_sdk_iam::error::SdkError<E>>,
) -> (String, String, u16)
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug,
{
    use aws_sdk_iam::error::ProvideErrorMetadata;
    let e = r.unwrap_err();
    let status = e.raw_response().map_or(0, |r| r.status().as_u16());
    (
        e.code().unwrap_or_default().to_owned(),
        e.message().unwrap_or_default().to_owned(),
        status,
    )
}

#[tokio::test]
async fn policy_size_quotas_are_limit_exceeded_and_inline_ones_count_together() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("quota").send().await.unwrap();
    // A user's inline policies: 2,048 characters together.
    for name in ["a", "b"] {
        iam.put_user_policy()
            .user_name("quota")
            .policy_name(name)
            .policy_document(policy_of_size(800))
            .send()
            .await
            .unwrap();
    }
    let r = iam
        .put_user_policy()
        .user_name("quota")
        .policy_name("c")
        .policy_document(policy_of_size(800))
        .send()
        .await;
    assert_eq!(
        refusal(r),
        (
            "LimitExceeded".to_owned(),
            "Maximum policy size of 2048 bytes exceeded for user quota".to_owned(),
            409
        )
    );
    // Replacing one of the same name counts it once.
    iam.put_user_policy()
        .user_name("quota")
        .policy_name("b")
        .policy_document(policy_of_size(1_200))
        .send()
        .await
        .unwrap();
    // A role's: 10,240 together, so one of ~7,800 is taken.
    iam.create_role()
        .role_name("big")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("big")
        .policy_name("large")
        .policy_document(policy_of_size(7_800))
        .send()
        .await
        .unwrap();
    let r = iam
        .put_role_policy()
        .role_name("big")
        .policy_name("more")
        .policy_document(policy_of_size(3_000))
        .send()
        .await;
    assert_eq!(refusal(r).0, "LimitExceeded");
    // The role works with it: a policy past one managed policy's 6,144 is
    // evaluated, not taken for a deny-all.
    iam.put_role_policy()
        .role_name("big")
        .policy_name("list")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let session = aws_sdk_sts::Client::new(&s.admin())
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/big")
        .role_session_name("big")
        .send()
        .await
        .unwrap();
    let c = session.credentials().unwrap();
    Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ))
    .list_roles()
    .send()
    .await
    .unwrap();
    // A managed policy: 6,144; a trust policy: 2,048.
    let r = iam
        .create_policy()
        .policy_name("huge")
        .policy_document(policy_of_size(7_000))
        .send()
        .await;
    assert_eq!(
        refusal(r),
        (
            "LimitExceeded".to_owned(),
            "Cannot exceed quota for PolicySize: 6144".to_owned(),
            409
        )
    );
    let principals: Vec<String> = (0..80)
        .map(|i| format!("\"arn:aws:iam::{:012}:root\"", 100_000_000_000u64 + i))
        .collect();
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":"sts:AssumeRole"}}]}}"#,
        principals.join(",")
    );
    let r = iam
        .create_role()
        .role_name("wide")
        .assume_role_policy_document(trust)
        .send()
        .await;
    assert_eq!(
        refusal(r),
        (
            "LimitExceeded".to_owned(),
            "Cannot exceed quota for ACLSizePerRole: 2048".to_owned(),
            409
        )
    );
    // A malformed document is still MalformedPolicyDocument, whatever its size.
    let r = iam
        .put_user_policy()
        .user_name("quota")
        .policy_name("bad")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}"#)
        .send()
        .await;
    assert_eq!(refusal(r).0, "MalformedPolicyDocument");
}

#[tokio::test]
async fn another_api_version_is_an_unknown_operation() {
    let s = Server::start().await;
    let form = [(
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )];
    let r = s
        .raw_post("iam", &form, b"Action=ListUsers&Version=2099-01-01")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>InvalidAction</Code>")
            && r.body
                .contains("Could not find operation ListUsers for version 2099-01-01"),
        "{}",
        r.body
    );
    let r = s
        .raw_post("sts", &form, b"Action=GetCallerIdentity&Version=")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    for body in [
        &b"Action=ListUsers&Version=2010-05-08"[..],
        &b"Action=ListUsers"[..],
    ] {
        let r = s.raw_post("iam", &form, body).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

/// The account alias, as an audit names accounts by it: one per account,
/// replaced by a new one, unique across accounts, kept across a restart.
#[tokio::test]
async fn the_account_alias() {
    use rootward_core::model::{AccessKey, Account, KeyOwner, KeyStatus, Record};
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let aliases = |c: &Client| {
        let c = c.clone();
        async move {
            c.list_account_aliases()
                .send()
                .await
                .unwrap()
                .account_aliases()
                .to_vec()
        }
    };
    assert!(aliases(&iam).await.is_empty());
    iam.create_account_alias()
        .account_alias("example-corp")
        .send()
        .await
        .unwrap();
    assert_eq!(aliases(&iam).await, ["example-corp"]);
    iam.create_account_alias()
        .account_alias("example-corp-2")
        .send()
        .await
        .unwrap();
    assert_eq!(aliases(&iam).await, ["example-corp-2"], "replaced");
    for bad in ["Upper", "ab", "-lead", "trail-", "two--dashes"] {
        let r = iam.create_account_alias().account_alias(bad).send().await;
        assert_eq!(crate::common::code(r), "ValidationError", "{bad}");
    }
    // Another account cannot take it.
    s.svc
        .put(Record::Account(Account {
            id: "222222222222".into(),
            name: "other".into(),
            email: "other@example.com".into(),
            created: s.svc.now(),
            root_password_last_used: None,
            alias: None,
            closed: None,
            closed_by: None,
            regions: Default::default(),
        }))
        .unwrap();
    s.svc
        .put(Record::AccessKey(AccessKey {
            id: "AKIAOTHERROOT0000001".into(),
            secret: rootward_core::secret::Secret::new(
                "otherRootSecret000000000000000000000000".to_owned(),
            ),
            account: "222222222222".into(),
            owner: KeyOwner::Root,
            status: KeyStatus::Active,
            created: s.svc.now(),
            last_used: None,
        }))
        .unwrap();
    let other = Client::new(&s.config(
        "AKIAOTHERROOT0000001",
        "otherRootSecret000000000000000000000000",
        None,
    ));
    let r = other
        .create_account_alias()
        .account_alias("example-corp-2")
        .send()
        .await;
    assert_eq!(crate::common::code(r), "EntityAlreadyExists");
    assert!(aliases(&other).await.is_empty());
    // Deleting names the alias.
    let r = iam
        .delete_account_alias()
        .account_alias("example-corp")
        .send()
        .await;
    assert_eq!(crate::common::code(r), "NoSuchEntity");
    // Kept across a restart.
    let s = s.reopen().await;
    let iam = Client::new(&s.admin());
    assert_eq!(aliases(&iam).await, ["example-corp-2"]);
    iam.delete_account_alias()
        .account_alias("example-corp-2")
        .send()
        .await
        .unwrap();
    assert!(aliases(&iam).await.is_empty());
    // A user without the permission is refused.
    let user = crate::common::user_with_key(&s, &iam, "plain").await;
    let r = Client::new(&user).list_account_aliases().send().await;
    assert_eq!(crate::common::code(r), "AccessDenied");
}

/// UpdateRoleDescription answers the role; GetMFADevice one assigned device.
#[tokio::test]
async fn update_role_description_and_get_mfa_device() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_role()
        .role_name("described")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    let out = iam
        .update_role_description()
        .role_name("described")
        .description("audits the fleet")
        .send()
        .await
        .unwrap();
    let role = out.role().unwrap();
    assert_eq!(role.role_name(), "described");
    assert_eq!(role.description(), Some("audits the fleet"));
    let got = iam.get_role().role_name("described").send().await.unwrap();
    assert_eq!(got.role().unwrap().description(), Some("audits the fleet"));
    let r = iam
        .update_role_description()
        .role_name("nobody")
        .description("x")
        .send()
        .await;
    assert_eq!(crate::common::code(r), "NoSuchEntity");

    iam.create_user()
        .user_name("mfa-user")
        .send()
        .await
        .unwrap();
    let d = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("mfa-user-phone")
        .send()
        .await
        .unwrap();
    let d = d.virtual_mfa_device().unwrap();
    let serial = d.serial_number().to_owned();
    let seed = String::from_utf8(d.base32_string_seed().unwrap().as_ref().to_vec()).unwrap();
    // Not assigned yet: not the user's.
    let r = iam
        .get_mfa_device()
        .user_name("mfa-user")
        .serial_number(&serial)
        .send()
        .await;
    assert_eq!(crate::common::code(r), "NoSuchEntity");
    let now = s.svc.now();
    iam.enable_mfa_device()
        .user_name("mfa-user")
        .serial_number(&serial)
        .authentication_code1(
            rootward_core::iam::mfa::code_at(&seed, now - time::Duration::seconds(60)).unwrap(),
        )
        .authentication_code2(
            rootward_core::iam::mfa::code_at(&seed, now - time::Duration::seconds(30)).unwrap(),
        )
        .send()
        .await
        .unwrap();
    let got = iam
        .get_mfa_device()
        .user_name("mfa-user")
        .serial_number(&serial)
        .send()
        .await
        .unwrap();
    assert_eq!(got.user_name(), Some("mfa-user"));
    assert_eq!(got.serial_number(), serial);
    assert!(got.enable_date().is_some());
}

#[tokio::test]
async fn keys_certificates_versions_and_details_deleted_page_by_page_miss_nothing() {
    // Each page's items are deleted before the next page is asked for: a
    // marker that counts positions would skip what moved up.
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("holder").send().await.unwrap();
    for _ in 0..2 {
        iam.create_access_key()
            .user_name("holder")
            .send()
            .await
            .unwrap();
    }
    let mut pages = iam
        .list_access_keys()
        .user_name("holder")
        .max_items(1)
        .into_paginator()
        .send();
    let mut deleted = 0;
    while let Some(page) = pages.next().await {
        for k in page.unwrap().access_key_metadata() {
            iam.delete_access_key()
                .user_name("holder")
                .access_key_id(k.access_key_id().unwrap())
                .send()
                .await
                .unwrap();
            deleted += 1;
        }
    }
    assert_eq!(deleted, 2);

    for body in [
        include_str!("fixtures/cert1.pem"),
        include_str!("fixtures/cert2.pem"),
    ] {
        iam.upload_signing_certificate()
            .user_name("holder")
            .certificate_body(body)
            .send()
            .await
            .unwrap();
    }
    let mut pages = iam
        .list_signing_certificates()
        .user_name("holder")
        .max_items(1)
        .into_paginator()
        .send();
    let mut deleted = 0;
    while let Some(page) = pages.next().await {
        for c in page.unwrap().certificates() {
            iam.delete_signing_certificate()
                .user_name("holder")
                .certificate_id(c.certificate_id())
                .send()
                .await
                .unwrap();
            deleted += 1;
        }
    }
    assert_eq!(deleted, 2);

    const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;
    let policy = iam
        .create_policy()
        .policy_name("versioned")
        .policy_document(DOC)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    for _ in 0..4 {
        iam.create_policy_version()
            .policy_arn(&policy)
            .policy_document(DOC)
            .send()
            .await
            .unwrap();
    }
    let mut pages = iam
        .list_policy_versions()
        .policy_arn(&policy)
        .max_items(2)
        .into_paginator()
        .send();
    let mut deleted = 0;
    while let Some(page) = pages.next().await {
        for v in page.unwrap().versions() {
            if v.is_default_version() {
                continue;
            }
            iam.delete_policy_version()
                .policy_arn(&policy)
                .version_id(v.version_id().unwrap())
                .send()
                .await
                .unwrap();
            deleted += 1;
        }
    }
    assert_eq!(deleted, 4);

    for i in 0..5 {
        iam.create_user()
            .user_name(format!("Det-{i}"))
            .send()
            .await
            .unwrap();
    }
    let mut pages = iam
        .get_account_authorization_details()
        .filter(aws_sdk_iam::types::EntityType::User)
        .max_items(2)
        .into_paginator()
        .send();
    let mut deleted = 0;
    while let Some(page) = pages.next().await {
        for u in page.unwrap().user_detail_list() {
            let name = u.user_name().unwrap();
            if !name.starts_with("Det-") {
                continue;
            }
            iam.delete_user().user_name(name).send().await.unwrap();
            deleted += 1;
        }
    }
    assert_eq!(deleted, 5);
}

/// A query-protocol parameter that is not UTF-8 once percent-decoded, in
/// the query string or the form, is refused with IAM's XML error
/// (`InvalidQueryParameter`, 400; UNCONFIRMED), never read with U+FFFD in
/// its place (`UserName=%FF` was answered as user `\u{fffd}`). The probe's
/// D5.
#[tokio::test]
async fn a_parameter_that_is_not_utf8_is_refused() {
    let s = Server::start().await;
    let r = s
        .raw_query_signed(
            "iam",
            "GET",
            "/",
            "Action=GetUser&UserName=%FF&Version=2010-05-08",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.starts_with("<ErrorResponse"), "{}", r.body);
    assert!(
        r.body.contains("<Code>InvalidQueryParameter</Code>"),
        "{}",
        r.body
    );
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = s
        .raw_post(
            "iam",
            &form,
            b"Action=CreateUser&UserName=ok%FF&Version=2010-05-08",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>InvalidQueryParameter</Code>"),
        "{}",
        r.body
    );
    // Nothing was created; a UTF-8 name is read exactly.
    let iam = Client::new(&s.admin());
    let users = iam.list_users().send().await.unwrap();
    let names: Vec<_> = users.users().iter().map(|u| u.user_name()).collect();
    assert_eq!(names, ["admin"]);
    let r = s
        .raw_query_signed(
            "iam",
            "GET",
            "/",
            "Action=GetUser&UserName=caf%C3%A9&Version=2010-05-08",
        )
        .await;
    // (The user name pattern is ASCII; the refusal quotes the name read.)
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>ValidationError</Code>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Value &apos;caf\u{e9}&apos;"), "{}", r.body);
}
