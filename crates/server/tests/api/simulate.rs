//! SimulatePrincipalPolicy and SimulateCustomPolicy on the endpoint.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{ContextEntry, ContextKeyTypeEnum, PolicyEvaluationDecisionType};

use crate::common::{Server, code, user_with_key};

const ALLOW_S3_FROM_NET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;

#[tokio::test]
async fn simulate_principal_policy_uses_the_entitys_policies() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("hal").send().await.unwrap();
    iam.create_group()
        .group_name("Readers")
        .send()
        .await
        .unwrap();
    iam.add_user_to_group()
        .group_name("Readers")
        .user_name("hal")
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("Readers")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    iam.put_user_policy()
        .user_name("hal")
        .policy_name("NoGetUser")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:GetUser","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();

    let out = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::111111111111:user/hal")
        .action_names("iam:ListUsers")
        .action_names("iam:GetUser")
        .action_names("iam:CreateUser")
        .send()
        .await
        .unwrap();
    let r = out.evaluation_results();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].eval_action_name(), "iam:ListUsers");
    assert_eq!(r[0].eval_decision(), &PolicyEvaluationDecisionType::Allowed);
    let m = &r[0].matched_statements()[0];
    assert_eq!(m.source_policy_id(), Some("ReadOnlyAccess"));
    assert_eq!(
        m.source_policy_type().map(|t| t.as_str()),
        Some("aws-managed")
    );
    assert_eq!(
        r[1].eval_decision(),
        &PolicyEvaluationDecisionType::ExplicitDeny
    );
    assert_eq!(
        r[1].matched_statements()[0].source_policy_id(),
        Some("NoGetUser")
    );
    assert_eq!(
        r[1].matched_statements()[0]
            .source_policy_type()
            .map(|t| t.as_str()),
        Some("user")
    );
    assert_eq!(
        r[2].eval_decision(),
        &PolicyEvaluationDecisionType::ImplicitDeny
    );
    assert!(r[2].matched_statements().is_empty());
    assert!(!out.is_truncated());

    // A boundary on the user takes part; paging with MaxItems/Marker.
    iam.put_user_permissions_boundary()
        .user_name("hal")
        .permissions_boundary("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    let page = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::111111111111:user/hal")
        .action_names("s3:GetObject")
        .action_names("iam:ListUsers")
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert!(page.is_truncated());
    let first = &page.evaluation_results()[0];
    assert_eq!(
        first.eval_decision(),
        &PolicyEvaluationDecisionType::ImplicitDeny
    );
    assert!(
        !first
            .permissions_boundary_decision_detail()
            .unwrap()
            .allowed_by_permissions_boundary()
    );
    let rest = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::111111111111:user/hal")
        .action_names("s3:GetObject")
        .action_names("iam:ListUsers")
        .max_items(1)
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        rest.evaluation_results()[0].eval_decision(),
        &PolicyEvaluationDecisionType::Allowed
    );

    // A group as the source; unknown entities; authorization.
    let g = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::111111111111:group/Readers")
        .action_names("iam:ListRoles")
        .send()
        .await
        .unwrap();
    assert_eq!(
        g.evaluation_results()[0].eval_decision(),
        &PolicyEvaluationDecisionType::Allowed
    );
    assert_eq!(
        code(
            iam.simulate_principal_policy()
                .policy_source_arn("arn:aws:iam::111111111111:user/nobody")
                .action_names("iam:ListUsers")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    let ivy = Client::new(&user_with_key(&s, &iam, "ivy").await);
    assert_eq!(
        code(
            ivy.simulate_principal_policy()
                .policy_source_arn("arn:aws:iam::111111111111:user/hal")
                .action_names("iam:ListUsers")
                .send()
                .await
        ),
        "AccessDenied"
    );
}

#[tokio::test]
async fn simulate_custom_policy_with_context_and_resources() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let run = |ip: Option<&str>| {
        let mut r = iam
            .simulate_custom_policy()
            .policy_input_list(ALLOW_S3_FROM_NET)
            .action_names("s3:GetObject")
            .resource_arns("arn:aws:s3:::bucket/key")
            .resource_arns("arn:aws:s3:::other/key");
        if let Some(ip) = ip {
            r = r.context_entries(
                ContextEntry::builder()
                    .context_key_name("aws:SourceIp")
                    .context_key_values(ip)
                    .context_key_type(ContextKeyTypeEnum::Ip)
                    .build(),
            );
        }
        r.send()
    };
    let out = run(Some("10.1.2.3")).await.unwrap();
    let r = out.evaluation_results();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].eval_resource_name(), Some("arn:aws:s3:::bucket/key"));
    assert_eq!(r[0].eval_decision(), &PolicyEvaluationDecisionType::Allowed);
    let m = &r[0].matched_statements()[0];
    assert_eq!(m.source_policy_id(), Some("PolicyInputList.1"));
    assert_eq!(m.start_position().unwrap().line(), 1);
    assert!(m.end_position().unwrap().column() > m.start_position().unwrap().column());
    assert_eq!(
        r[1].eval_decision(),
        &PolicyEvaluationDecisionType::ImplicitDeny
    );
    assert!(r[0].missing_context_values().is_empty());

    let out = run(None).await.unwrap();
    let r = &out.evaluation_results()[0];
    assert_eq!(
        r.eval_decision(),
        &PolicyEvaluationDecisionType::ImplicitDeny
    );
    assert_eq!(r.missing_context_values(), ["aws:SourceIp"]);

    assert_eq!(
        code(
            iam.simulate_custom_policy()
                .policy_input_list("{")
                .action_names("s3:GetObject")
                .send()
                .await
        ),
        "InvalidInput"
    );
}

fn entry(name: &str, value: &str, kind: ContextKeyTypeEnum) -> ContextEntry {
    ContextEntry::builder()
        .context_key_name(name)
        .context_key_values(value)
        .context_key_type(kind)
        .build()
}

/// Issue 14 §5: the simulator's context entries are the context, also for
/// keys that the live endpoint derives itself.
#[tokio::test]
async fn simulate_custom_policy_takes_derived_keys_from_context_entries() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let home = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#;
    let out = iam
        .simulate_custom_policy()
        .policy_input_list(home)
        .action_names("s3:GetObject")
        .resource_arns("arn:aws:s3:::home/alice/notes.txt")
        .context_entries(entry("aws:username", "alice", ContextKeyTypeEnum::String))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.evaluation_results()[0].eval_decision(),
        &PolicyEvaluationDecisionType::Allowed
    );

    let by_arn = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Auditor*"}}}}"#;
    let out = iam
        .simulate_custom_policy()
        .policy_input_list(by_arn)
        .action_names("s3:ListBucket")
        .context_entries(entry(
            "aws:PrincipalArn",
            "arn:aws:iam::222222222222:role/AuditorReadOnly",
            ContextKeyTypeEnum::String,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.evaluation_results()[0].eval_decision(),
        &PolicyEvaluationDecisionType::Allowed
    );

    let deny_root = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateLoginProfile","Resource":"*","Condition":{"Bool":{"aws:AssumedRoot":"true"}}}]}"#;
    let out = iam
        .simulate_custom_policy()
        .policy_input_list(deny_root)
        .action_names("iam:CreateLoginProfile")
        .context_entries(entry(
            "aws:AssumedRoot",
            "true",
            ContextKeyTypeEnum::Boolean,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.evaluation_results()[0].eval_decision(),
        &PolicyEvaluationDecisionType::ExplicitDeny
    );
}
