use aws_sdk_sts::Client;

use crate::common::{ACCOUNT, Server};

#[tokio::test]
async fn get_caller_identity_names_the_admin_user() {
    let s = Server::start().await;
    let sts = Client::new(&s.admin());
    let id = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(id.account(), Some(ACCOUNT));
    assert_eq!(id.arn(), Some("arn:aws:iam::111111111111:user/admin"));
    assert!(id.user_id().unwrap().starts_with("AIDA"));
}

#[tokio::test]
async fn session_tokens_work_until_they_expire() {
    let s = Server::start().await;
    let sts = Client::new(&s.admin());
    let out = sts
        .get_session_token()
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    assert!(c.access_key_id().starts_with("ASIA"));
    let temp = Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    let id = temp.get_caller_identity().send().await.unwrap();
    assert_eq!(id.arn(), Some("arn:aws:iam::111111111111:user/admin"));

    // Without the token the key is refused.
    let no_token = Client::new(&s.config(c.access_key_id(), c.secret_access_key(), None));
    let err = no_token.get_caller_identity().send().await.unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("InvalidClientTokenId")
    );

    // Fifteen minutes later it has expired.
    s.clock.advance(901);
    let err = temp.get_caller_identity().send().await.unwrap_err();
    assert_eq!(err.into_service_error().meta().code(), Some("ExpiredToken"));
}

#[tokio::test]
async fn bad_signatures_and_unknown_keys_are_refused() {
    let s = Server::start().await;
    let wrong_secret = Client::new(&s.config(crate::common::ADMIN_KEY, "not-the-secret", None));
    let err = wrong_secret.get_caller_identity().send().await.unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("SignatureDoesNotMatch")
    );
    let unknown = Client::new(&s.config("AKIAUNKNOWNKEY000000", "x", None));
    let err = unknown.get_caller_identity().send().await.unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("InvalidClientTokenId")
    );
}

#[tokio::test]
async fn a_skewed_clock_is_refused() {
    let s = Server::start().await;
    s.clock.advance(20 * 60);
    let sts = Client::new(&s.admin());
    let err = sts.get_caller_identity().send().await.unwrap_err();
    let e = err.into_service_error();
    assert_eq!(e.meta().code(), Some("SignatureDoesNotMatch"));
    assert!(
        e.meta()
            .message()
            .unwrap()
            .starts_with("Signature expired:"),
        "{:?}",
        e.meta().message()
    );
}

#[tokio::test]
async fn assume_role_follows_trust_identity_and_session_policies() {
    let s = Server::start().await;
    let admin = s.admin();
    let iam = aws_sdk_iam::Client::new(&admin);
    let trust_account = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}"#;
    iam.create_role()
        .role_name("Reader")
        .assume_role_policy_document(trust_account)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("Reader")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let role = iam.get_role().role_name("Reader").send().await.unwrap();
    assert_eq!(
        role.role().unwrap().arn(),
        "arn:aws:iam::111111111111:role/Reader"
    );

    // The admin (AdministratorAccess) may assume it: the trust names the account.
    let out = Client::new(&admin)
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Reader")
        .role_session_name("audit")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.assumed_role_user().unwrap().arn(),
        "arn:aws:sts::111111111111:assumed-role/Reader/audit"
    );
    let c = out.credentials().unwrap();
    let session = s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    );
    let id = Client::new(&session)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        id.arn(),
        Some("arn:aws:sts::111111111111:assumed-role/Reader/audit")
    );
    assert!(id.user_id().unwrap().starts_with("AROA") && id.user_id().unwrap().ends_with(":audit"));
    // The session has the role's permissions: reads yes, writes no.
    let role_iam = aws_sdk_iam::Client::new(&session);
    assert!(role_iam.list_users().send().await.is_ok());
    let err = role_iam
        .create_user()
        .user_name("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        err.meta().message(),
        Some(
            "User: arn:aws:sts::111111111111:assumed-role/Reader/audit is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111111111111:user/x because no identity-based policy allows the iam:CreateUser action"
        )
    );

    // A session policy narrows the session further.
    let out = Client::new(&admin)
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Reader")
        .role_session_name("narrow")
        .policy(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}}"#)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let narrow = aws_sdk_iam::Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    let err = narrow
        .list_users()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        err.meta()
            .message()
            .unwrap()
            .ends_with("because no session policy allows the iam:ListUsers action")
    );

    // A user without sts:AssumeRole permission is refused (same account, trust names only the account).
    iam.create_user().user_name("nobody").send().await.unwrap();
    let k = iam
        .create_access_key()
        .user_name("nobody")
        .send()
        .await
        .unwrap();
    let k = k.access_key().unwrap();
    let err = Client::new(&s.config(k.access_key_id(), k.secret_access_key(), None))
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Reader")
        .role_session_name("try")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("AccessDenied"));
    assert_eq!(
        err.meta().message(),
        Some(
            "User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Reader"
        )
    );

    // A trust policy naming the user directly is enough on its own.
    iam.create_role()
        .role_name("ForNobody")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/nobody"},"Action":"sts:AssumeRole"}}"#,
        )
        .send()
        .await
        .unwrap();
    assert!(
        Client::new(&s.config(k.access_key_id(), k.secret_access_key(), None))
            .assume_role()
            .role_arn("arn:aws:iam::111111111111:role/ForNobody")
            .role_session_name("ok")
            .send()
            .await
            .is_ok()
    );
    // Bad inputs.
    let err = Client::new(&admin)
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Reader")
        .role_session_name("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("ValidationError"));
    let err = iam
        .create_role()
        .role_name("Bad")
        .assume_role_policy_document(
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}"#,
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_malformed_policy_document_exception());
}

#[tokio::test]
async fn assume_role_with_managed_session_policies_and_tags() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("Ops")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    let sts = Client::new(&s.admin());

    // PolicyArns narrow the session to what ReadOnlyAccess also allows.
    let out = sts
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Ops")
        .role_session_name("narrow")
        .policy_arns(
            aws_sdk_sts::types::PolicyDescriptorType::builder()
                .arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let narrow = aws_sdk_iam::Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    narrow.list_users().send().await.unwrap();
    let e = narrow
        .create_user()
        .user_name("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("AccessDenied"));
    assert!(
        e.meta().message().unwrap().contains("session policy"),
        "{:?}",
        e.meta().message()
    );
    let e = sts
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Ops")
        .role_session_name("bad")
        .policy_arns(
            aws_sdk_sts::types::PolicyDescriptorType::builder()
                .arn("arn:aws:iam::111111111111:policy/Nope")
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("ValidationError"));

    // Tags need sts:TagSession in the trust policy.
    let tag = aws_sdk_sts::types::Tag::builder()
        .key("team")
        .value("blue")
        .build()
        .unwrap();
    let e = sts
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Ops")
        .role_session_name("tagged")
        .tags(tag.clone())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("AccessDenied"));
    iam.update_assume_role_policy()
        .role_name("Ops")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#)
        .send()
        .await
        .unwrap();
    // The role may create users only for the blue team.
    iam.put_role_policy()
        .role_name("Ops")
        .policy_name("NotBlue")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}}]}"#)
        .send()
        .await
        .unwrap();
    let out = sts
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Ops")
        .role_session_name("tagged")
        .tags(tag)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let blue = aws_sdk_iam::Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    blue.create_user()
        .user_name("from-blue")
        .send()
        .await
        .unwrap();
    let out = sts
        .assume_role()
        .role_arn("arn:aws:iam::111111111111:role/Ops")
        .role_session_name("untagged")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let plain = aws_sdk_iam::Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    let e = plain
        .create_user()
        .user_name("from-plain")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("AccessDenied"));
}
