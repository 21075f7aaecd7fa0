//! An organization with a member account, centralized root access enabled,
//! and the SDK configs of its role and root sessions (shared by the tests of
//! services that the root-task policies unlock).

use aws_sdk_sts::types::PolicyDescriptorType;

use super::Server;

/// `IAMAuditRootUserCredentials`.
pub const AUDIT: &str = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";
/// `S3UnlockBucketPolicy`.
pub const S3_UNLOCK: &str = "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy";

/// Creates an account in the organization; its id.
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

/// An organization with one member account, IAM trusted access and both
/// root-access features on; the member's id.
pub async fn member_with_root_access(s: &Server) -> String {
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

/// An SDK config for a session of `OrganizationAccountAccessRole` in `account`.
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

/// `AssumeRoot` as `operator` into `target` for `task_arn`; the session's config.
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
    s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
}
