//! Trust defects found from outside (issue 12): sessions bound to their
//! principal's unique id, no secret at rest in clear, long-term keys refused
//! with a session token, and calls whose changes are committed with their
//! trail events.

use aws_sdk_iam::error::ProvideErrorMetadata;

use crate::common::{ACCOUNT, ADMIN_KEY, ADMIN_SECRET, Server};

const TRUST_ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#;
const ADMINISTRATOR: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn code<T: std::fmt::Debug, E: ProvideErrorMetadata>(
    r: Result<T, aws_sdk_iam::error::SdkError<E>>,
) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.code().unwrap_or("<none>").to_owned(),
    }
}

async fn assume(s: &Server, role: &str) -> aws_config::SdkConfig {
    let out = aws_sdk_sts::Client::new(&s.admin())
        .assume_role()
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/{role}"))
        .role_session_name("s1")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
}

#[tokio::test]
async fn a_role_session_never_inherits_the_rights_of_a_role_recreated_under_its_name() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    let first = iam
        .create_role()
        .role_name("phoenix")
        .assume_role_policy_document(TRUST_ACCOUNT)
        .send()
        .await
        .unwrap();
    let old_id = first.role().unwrap().role_id().to_owned();
    let old = aws_sdk_iam::Client::new(&assume(&s, "phoenix").await);
    assert_eq!(code(old.list_users().send().await), "AccessDenied");

    iam.delete_role().role_name("phoenix").send().await.unwrap();
    let second = iam
        .create_role()
        .role_name("phoenix")
        .assume_role_policy_document(TRUST_ACCOUNT)
        .send()
        .await
        .unwrap();
    assert_ne!(second.role().unwrap().role_id(), old_id);
    iam.attach_role_policy()
        .role_name("phoenix")
        .policy_arn(ADMINISTRATOR)
        .send()
        .await
        .unwrap();

    // The old session belongs to a role that no longer exists: refused,
    // whatever its namesake may do.
    assert_eq!(
        code(old.create_user().user_name("intruder").send().await),
        "InvalidClientTokenId"
    );
    assert_eq!(code(old.list_users().send().await), "InvalidClientTokenId");
    // A new session of the new role has the new rights.
    let new = aws_sdk_iam::Client::new(&assume(&s, "phoenix").await);
    new.create_user().user_name("legit").send().await.unwrap();
    assert!(iam.get_user().user_name("intruder").send().await.is_err());
}

#[tokio::test]
async fn a_user_session_never_inherits_the_rights_of_a_user_recreated_under_its_name() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    iam.create_user().user_name("bob").send().await.unwrap();
    let key = iam
        .create_access_key()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let bob = s.config(key.access_key_id(), key.secret_access_key(), None);
    let t = aws_sdk_sts::Client::new(&bob)
        .get_session_token()
        .send()
        .await
        .unwrap();
    let c = t.credentials().unwrap();
    // (IAM takes no GetSessionToken credentials without MFA: the session is
    // tried on SQS, which bob may not use.)
    let session = aws_sdk_sqs::Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    assert_eq!(
        code(session.create_queue().queue_name("intruder").send().await),
        "AccessDenied"
    );

    iam.delete_access_key()
        .user_name("bob")
        .access_key_id(key.access_key_id())
        .send()
        .await
        .unwrap();
    iam.delete_user().user_name("bob").send().await.unwrap();
    iam.create_user().user_name("bob").send().await.unwrap();
    iam.attach_user_policy()
        .user_name("bob")
        .policy_arn(ADMINISTRATOR)
        .send()
        .await
        .unwrap();
    // Recreated with every right, bob's old session is still refused.
    let refused = code(session.create_queue().queue_name("intruder").send().await);
    assert!(
        refused == "InvalidClientTokenId" || refused == "UnrecognizedClientException",
        "{refused}"
    );
    let queues = aws_sdk_sqs::Client::new(&s.admin())
        .list_queues()
        .send()
        .await
        .unwrap();
    assert!(queues.queue_urls().is_empty());
}

#[tokio::test]
async fn a_long_term_key_with_any_session_token_is_refused_on_every_protocol() {
    let s = Server::start().await;
    for token in ["garbage", "IQoJb3JpZ2luX2VjAAAA"] {
        let cfg = s.config(ADMIN_KEY, ADMIN_SECRET, Some(token));
        let sts = aws_sdk_sts::Client::new(&cfg)
            .get_caller_identity()
            .send()
            .await;
        assert_eq!(code(sts), "InvalidClientTokenId");
        let iam = aws_sdk_iam::Client::new(&cfg).list_users().send().await;
        assert_eq!(code(iam), "InvalidClientTokenId");
        let org = aws_sdk_organizations::Client::new(&cfg)
            .describe_organization()
            .send()
            .await;
        assert_eq!(code(org), "UnrecognizedClientException");
        let sqs = aws_sdk_sqs::Client::new(&cfg).list_queues().send().await;
        let sqs = code(sqs);
        assert!(
            sqs == "InvalidClientTokenId" || sqs == "UnrecognizedClientException",
            "{sqs}"
        );
        let trail = aws_sdk_cloudtrail::Client::new(&cfg)
            .lookup_events()
            .send()
            .await;
        assert_eq!(code(trail), "UnrecognizedClientException");
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&cfg)
                .force_path_style(true)
                .build(),
        )
        .list_buckets()
        .send()
        .await;
        assert_eq!(code(s3), "InvalidToken");
    }
    // Without the token the same key works.
    aws_sdk_sts::Client::new(&s.admin())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
}

/// Every byte of every file under `dir` (database, WAL, blobs, outbox, trail).
fn every_byte(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn no_secret_written_through_the_api_is_found_in_any_file_of_the_data_directory() {
    let s = Server::start().await;
    let member = crate::common::root::organization_with_root_sessions(&s).await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    let mut secrets: Vec<(String, String)> = vec![("bootstrap key".into(), ADMIN_SECRET.into())];

    iam.create_user().user_name("carol").send().await.unwrap();
    let key = iam
        .create_access_key()
        .user_name("carol")
        .send()
        .await
        .unwrap();
    secrets.push((
        "access key".into(),
        key.access_key().unwrap().secret_access_key().into(),
    ));
    let password = "Correct-Horse-Battery-Staple-42";
    iam.create_login_profile()
        .user_name("carol")
        .password(password)
        .send()
        .await
        .unwrap();
    secrets.push(("password".into(), password.into()));
    let device = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("carol-phone")
        .send()
        .await
        .unwrap();
    let seed = device
        .virtual_mfa_device()
        .unwrap()
        .base32_string_seed()
        .unwrap()
        .as_ref()
        .to_vec();
    secrets.push(("TOTP seed".into(), String::from_utf8(seed).unwrap()));

    let sts = aws_sdk_sts::Client::new(&s.admin());
    let t = sts.get_session_token().send().await.unwrap();
    let c = t.credentials().unwrap();
    secrets.push(("session secret".into(), c.secret_access_key().into()));
    secrets.push(("session token".into(), c.session_token().into()));
    iam.create_role()
        .role_name("worker")
        .assume_role_policy_document(TRUST_ACCOUNT)
        .send()
        .await
        .unwrap();
    let r = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/worker"))
        .role_session_name("worker-session")
        .send()
        .await
        .unwrap();
    let c = r.credentials().unwrap();
    secrets.push(("role session secret".into(), c.secret_access_key().into()));
    secrets.push(("role session token".into(), c.session_token().into()));
    let root = sts
        .assume_root()
        .target_principal(&member)
        .task_policy_arn(
            aws_sdk_sts::types::PolicyDescriptorType::builder()
                .arn("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let c = root.credentials().unwrap();
    secrets.push(("root session secret".into(), c.secret_access_key().into()));
    secrets.push(("root session token".into(), c.session_token().into()));
    // The root session works (its secret is derived again from its token).
    aws_sdk_iam::Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ))
    .get_account_summary()
    .send()
    .await
    .unwrap();
    // Everything is committed (and the history has its events) before the
    // scan: LookupEvents waits for every earlier event. The history stores
    // its records compressed, where a secret need not appear byte for byte:
    // the records of the calls above (the admin's, in its account) are read
    // back and searched too.
    let trail = aws_sdk_cloudtrail::Client::new(&s.admin());
    let mut records = Vec::new();
    let mut pages = trail
        .lookup_events()
        .max_results(50)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for e in page.unwrap().events() {
            records.push(e.cloud_trail_event().unwrap_or_default().to_owned());
        }
    }
    assert!(records.len() > 5, "{} records", records.len());
    for (what, secret) in &secrets {
        for r in &records {
            assert!(
                !r.contains(secret.as_str()),
                "the {what} is in an event record: {r}"
            );
        }
    }

    let files = every_byte(s.data_dir());
    assert!(files.iter().any(|(p, _)| p.ends_with("state.db")));
    assert!(files.iter().any(|(p, _)| p.ends_with("trail.db")));
    for (what, secret) in &secrets {
        for (path, bytes) in &files {
            assert!(!contains(bytes, secret), "the {what} is in clear in {path}");
        }
    }
}
