//! An organization with centralized root access turned on, a member
//! account's admin role and AssumeRoot sessions, shared by every test that
//! needs them.

use aws_sdk_sts::types::PolicyDescriptorType;

use super::Server;

pub const AUDIT: &str = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";
pub const SQS_UNLOCK: &str = "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy";
pub const S3_UNLOCK: &str = "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy";

/// Creates an account in the caller's organization; its id.
pub async fn created(org: &aws_sdk_organizations::Client, name: &str) -> String {
    let out = org
        .create_account()
        .email(format!("{name}@example.com"))
        .account_name(name)
        .send()
        .await
        .unwrap();
    let id = out
        .create_account_status()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.describe_create_account_status()
        .create_account_request_id(id)
        .send()
        .await
        .unwrap()
        .create_account_status()
        .unwrap()
        .account_id()
        .unwrap()
        .to_owned()
}

/// An organization managed by the bootstrap account with one member account
/// (returned), IAM trusted access and both root-access features enabled.
pub async fn organization_with_root_sessions(s: &Server) -> String {
    let org = aws_sdk_organizations::Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let member = created(&org, "member").await;
    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let iam = aws_sdk_iam::Client::new(&s.admin());
    iam.enable_organizations_root_credentials_management()
        .send()
        .await
        .unwrap();
    iam.enable_organizations_root_sessions()
        .send()
        .await
        .unwrap();
    member
}

/// An SDK config for a role session of `OrganizationAccountAccessRole` in `account`.
pub async fn admin_role_in(s: &Server, account: &str) -> aws_config::SdkConfig {
    let out = aws_sdk_sts::Client::new(&s.admin())
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("operator")
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

/// AssumeRoot as `operator` on `target` with a task policy; the session's SDK config.
pub async fn root_session(
    s: &Server,
    operator: &aws_config::SdkConfig,
    target: &str,
    task_arn: &str,
) -> aws_config::SdkConfig {
    let out = aws_sdk_sts::Client::new(operator)
        .assume_root()
        .target_principal(target)
        .task_policy_arn(PolicyDescriptorType::builder().arn(task_arn).build())
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    assert!(c.access_key_id().starts_with("ASIA"));
    s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
}
