//! Customer-managed policies and their versions, through the SDK.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{PolicyScopeType, PolicyUsageType};

use crate::common::{Server, code, user_with_key};

const LIST_USERS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:GetUser"],"Resource":"*"}]}"#;
const GET_USER_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}"#;

#[tokio::test]
async fn customer_policies_versions_and_decisions() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let created = iam
        .create_policy()
        .policy_name("Readers")
        .path("/team/")
        .description("read users")
        .policy_document(LIST_USERS)
        .send()
        .await
        .unwrap();
    let p = created.policy().unwrap();
    let arn = p.arn().unwrap().to_owned();
    assert_eq!(arn, "arn:aws:iam::111111111111:policy/team/Readers");
    assert_eq!(p.default_version_id(), Some("v1"));
    assert_eq!(p.attachment_count(), Some(0));
    assert!(p.is_attachable());
    assert!(p.policy_id().unwrap().starts_with("ANPA"));

    assert_eq!(
        code(
            iam.create_policy()
                .policy_name("readers")
                .policy_document(LIST_USERS)
                .send()
                .await
        ),
        "EntityAlreadyExists"
    );
    assert_eq!(
        code(
            iam.create_policy()
                .policy_name("Bad")
                .policy_document(r#"{"Statement":[]}"#)
                .send()
                .await
        ),
        "MalformedPolicyDocument"
    );

    // Attach it to a user: the user may list.
    let alice = Client::new(&user_with_key(&s, &iam, "alice").await);
    assert_eq!(code(alice.list_users().send().await), "AccessDenied");
    iam.attach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(alice.list_users().send().await.is_ok());
    let got = iam.get_policy().policy_arn(&arn).send().await.unwrap();
    assert_eq!(got.policy().unwrap().attachment_count(), Some(1));
    assert_eq!(got.policy().unwrap().description(), Some("read users"));

    // A new version that is not the default changes nothing …
    let v2 = iam
        .create_policy_version()
        .policy_arn(&arn)
        .policy_document(GET_USER_ONLY)
        .send()
        .await
        .unwrap();
    let v2 = v2.policy_version().unwrap();
    assert_eq!(v2.version_id(), Some("v2"));
    assert!(!v2.is_default_version());
    assert!(alice.list_users().send().await.is_ok());
    // … making it the default removes ListUsers at once.
    iam.set_default_policy_version()
        .policy_arn(&arn)
        .version_id("v2")
        .send()
        .await
        .unwrap();
    assert_eq!(code(alice.list_users().send().await), "AccessDenied");
    assert!(alice.get_user().user_name("alice").send().await.is_ok());
    // And back.
    iam.set_default_policy_version()
        .policy_arn(&arn)
        .version_id("v1")
        .send()
        .await
        .unwrap();
    assert!(alice.list_users().send().await.is_ok());

    // SetAsDefault on creation.
    let v3 = iam
        .create_policy_version()
        .policy_arn(&arn)
        .policy_document(GET_USER_ONLY)
        .set_as_default(true)
        .send()
        .await
        .unwrap();
    assert!(v3.policy_version().unwrap().is_default_version());
    assert_eq!(code(alice.list_users().send().await), "AccessDenied");

    // The document comes back URL-encoded.
    let doc = iam
        .get_policy_version()
        .policy_arn(&arn)
        .version_id("v1")
        .send()
        .await
        .unwrap();
    let doc = doc.policy_version().unwrap();
    assert!(
        doc.document().unwrap().contains("iam%3AListUsers"),
        "{:?}",
        doc.document()
    );
    assert!(!doc.is_default_version());
    assert_eq!(
        code(
            iam.get_policy_version()
                .policy_arn(&arn)
                .version_id("v9")
                .send()
                .await
        ),
        "NoSuchEntity"
    );

    // At most five versions.
    iam.create_policy_version()
        .policy_arn(&arn)
        .policy_document(LIST_USERS)
        .send()
        .await
        .unwrap();
    iam.create_policy_version()
        .policy_arn(&arn)
        .policy_document(LIST_USERS)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            iam.create_policy_version()
                .policy_arn(&arn)
                .policy_document(LIST_USERS)
                .send()
                .await
        ),
        "LimitExceeded"
    );
    let versions = iam
        .list_policy_versions()
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = versions
        .versions()
        .iter()
        .filter_map(|v| v.version_id())
        .collect();
    assert_eq!(ids, ["v5", "v4", "v3", "v2", "v1"]);

    // The default version cannot be deleted; others can, and ids are not reused.
    assert_eq!(
        code(
            iam.delete_policy_version()
                .policy_arn(&arn)
                .version_id("v3")
                .send()
                .await
        ),
        "DeleteConflict"
    );
    iam.delete_policy_version()
        .policy_arn(&arn)
        .version_id("v5")
        .send()
        .await
        .unwrap();
    let v6 = iam
        .create_policy_version()
        .policy_arn(&arn)
        .policy_document(LIST_USERS)
        .send()
        .await
        .unwrap();
    assert_eq!(v6.policy_version().unwrap().version_id(), Some("v6"));

    // Entities and listing.
    let e = iam
        .list_entities_for_policy()
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(e.policy_users().len(), 1);
    assert_eq!(e.policy_users()[0].user_name(), Some("alice"));
    assert!(e.policy_roles().is_empty() && e.policy_groups().is_empty());

    let local = iam
        .list_policies()
        .scope(PolicyScopeType::Local)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = local
        .policies()
        .iter()
        .filter_map(|p| p.policy_name())
        .collect();
    assert_eq!(names, ["Readers"]);
    let aws: Vec<_> = iam
        .list_policies()
        .scope(PolicyScopeType::Aws)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .unwrap();
    assert!(
        aws.iter()
            .any(|p| p.policy_name() == Some("AdministratorAccess"))
    );
    assert!(
        aws.iter()
            .all(|p| p.arn().unwrap().starts_with("arn:aws:iam::aws:"))
    );
    let attached = iam
        .list_policies()
        .only_attached(true)
        .send()
        .await
        .unwrap();
    let mut names: Vec<&str> = attached
        .policies()
        .iter()
        .filter_map(|p| p.policy_name())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["AdministratorAccess", "Readers"]);
    let prefixed = iam
        .list_policies()
        .path_prefix("/team/")
        .send()
        .await
        .unwrap();
    assert_eq!(prefixed.policies().len(), 1);
    let boundaries = iam
        .list_policies()
        .policy_usage_filter(PolicyUsageType::PermissionsBoundary)
        .send()
        .await
        .unwrap();
    assert!(boundaries.policies().is_empty());
    let page = iam.list_policies().max_items(2).send().await.unwrap();
    assert!(page.is_truncated());
    assert_eq!(page.policies().len(), 2);

    // Delete: refused while attached and while other versions remain.
    assert_eq!(
        code(iam.delete_policy().policy_arn(&arn).send().await),
        "DeleteConflict"
    );
    iam.detach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(iam.delete_policy().policy_arn(&arn).send().await),
        "DeleteConflict"
    );
    for v in ["v1", "v2", "v4", "v6"] {
        iam.delete_policy_version()
            .policy_arn(&arn)
            .version_id(v)
            .send()
            .await
            .unwrap();
    }
    iam.delete_policy().policy_arn(&arn).send().await.unwrap();
    assert_eq!(
        code(iam.get_policy().policy_arn(&arn).send().await),
        "NoSuchEntity"
    );
    // Shorter than the model's 20 characters: the model's constraint error.
    assert_eq!(
        code(iam.get_policy().policy_arn("not-an-arn").send().await),
        "ValidationError"
    );
    assert_eq!(
        code(
            iam.get_policy()
                .policy_arn("not-an-arn-but-long-enough")
                .send()
                .await
        ),
        "InvalidInput"
    );

    // AWS-managed policies are read-only.
    assert_eq!(
        code(
            iam.create_policy_version()
                .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .policy_document(LIST_USERS)
                .send()
                .await
        ),
        "InvalidInput"
    );
    let ro = iam
        .get_policy()
        .policy_arn("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
        .send()
        .await
        .unwrap();
    // Reported attachable, as live (spec 05 §5.1), though attaching it is
    // refused; with the task it gives access for.
    let p = ro.policy().unwrap();
    assert!(p.is_attachable());
    assert!(
        p.description()
            .unwrap()
            .starts_with("Provides access required to check the presence of root user credentials"),
        "{:?}",
        p.description()
    );
    assert_eq!(
        code(
            iam.attach_user_policy()
                .user_name("admin")
                .policy_arn("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
                .send()
                .await
        ),
        "PolicyNotAttachable"
    );
}
