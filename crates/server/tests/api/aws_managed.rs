//! AWS managed policies from the shipped catalogue: read, listed, attached
//! and evaluated as on AWS.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{EntityType, PolicyScopeType};

use crate::common::{Server, code, user_with_key};

const SECURITY_AUDIT: &str = "arn:aws:iam::aws:policy/SecurityAudit";
const VIEW_ONLY: &str = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";

#[tokio::test]
async fn any_aws_managed_policy_can_be_read_with_its_default_version() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let p = iam
        .get_policy()
        .policy_arn(SECURITY_AUDIT)
        .send()
        .await
        .unwrap();
    let p = p.policy().unwrap();
    assert_eq!(p.policy_name(), Some("SecurityAudit"));
    assert_eq!(p.path(), Some("/"));
    assert!(p.policy_id().unwrap().starts_with("ANPA"));
    assert_eq!(p.attachment_count(), Some(0));
    assert!(p.is_attachable());
    let version = p.default_version_id().unwrap().to_owned();
    assert!(version.starts_with('v'));

    let v = iam
        .get_policy_version()
        .policy_arn(SECURITY_AUDIT)
        .version_id(&version)
        .send()
        .await
        .unwrap();
    let v = v.policy_version().unwrap();
    assert!(v.is_default_version());
    let doc = urlencoding_decode(v.document().unwrap());
    assert!(doc.contains("iam:GenerateCredentialReport"), "{doc}");
    assert_eq!(
        code(
            iam.get_policy_version()
                .policy_arn(SECURITY_AUDIT)
                .version_id("v1")
                .send()
                .await
        ),
        "NoSuchEntity"
    );

    let view = iam.get_policy().policy_arn(VIEW_ONLY).send().await.unwrap();
    assert_eq!(view.policy().unwrap().path(), Some("/job-function/"));
    iam.get_policy()
        .policy_arn("arn:aws:iam::aws:policy/AWSSupportAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            iam.get_policy()
                .policy_arn("arn:aws:iam::aws:policy/NoSuchManagedPolicy")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
}

/// The SDK hands the document back still URL-encoded.
fn urlencoding_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn list_policies_scope_aws_pages_through_the_whole_catalogue() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let first = iam
        .list_policies()
        .scope(PolicyScopeType::Aws)
        .send()
        .await
        .unwrap();
    assert!(first.is_truncated());
    assert_eq!(first.policies().len(), 100);
    let all: Vec<_> = iam
        .list_policies()
        .scope(PolicyScopeType::Aws)
        .max_items(1000)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .unwrap();
    assert!(all.len() > 1500, "{}", all.len());
    let names: Vec<&str> = all.iter().filter_map(|p| p.policy_name()).collect();
    for n in [
        "SecurityAudit",
        "ViewOnlyAccess",
        "AWSSupportAccess",
        "AdministratorAccess",
        "IAMAuditRootUserCredentials",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    let arns: Vec<&str> = all.iter().filter_map(|p| p.arn()).collect();
    assert!(arns.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
    let job = iam
        .list_policies()
        .scope(PolicyScopeType::Aws)
        .path_prefix("/job-function/")
        .send()
        .await
        .unwrap();
    assert!(
        job.policies()
            .iter()
            .all(|p| p.path() == Some("/job-function/"))
    );
    assert!(job.policies().len() >= 10);
}

#[tokio::test]
async fn attached_security_audit_grants_what_it_grants_on_aws() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let auditor = Client::new(&user_with_key(&s, &iam, "auditor").await);
    assert_eq!(
        code(auditor.list_users().send().await),
        "AccessDenied",
        "nothing attached yet"
    );
    iam.attach_user_policy()
        .user_name("auditor")
        .policy_arn(SECURITY_AUDIT)
        .send()
        .await
        .unwrap();
    auditor.list_users().send().await.unwrap();
    auditor.list_roles().send().await.unwrap();
    auditor
        .get_policy()
        .policy_arn(SECURITY_AUDIT)
        .send()
        .await
        .unwrap();
    auditor.generate_credential_report().send().await.unwrap();
    assert_eq!(
        code(auditor.create_user().user_name("mallory").send().await),
        "AccessDenied"
    );
    assert_eq!(
        code(
            auditor
                .attach_user_policy()
                .user_name("auditor")
                .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
                .send()
                .await
        ),
        "AccessDenied"
    );

    let e = iam
        .list_entities_for_policy()
        .policy_arn(SECURITY_AUDIT)
        .entity_filter(EntityType::User)
        .send()
        .await
        .unwrap();
    assert_eq!(e.policy_users().len(), 1);
    assert_eq!(e.policy_users()[0].user_name(), Some("auditor"));
    let p = iam
        .get_policy()
        .policy_arn(SECURITY_AUDIT)
        .send()
        .await
        .unwrap();
    assert_eq!(p.policy().unwrap().attachment_count(), Some(1));
    let attached = iam
        .list_attached_user_policies()
        .user_name("auditor")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attached.attached_policies()[0].policy_name(),
        Some("SecurityAudit")
    );
}
