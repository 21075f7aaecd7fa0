//! Root sessions (`sts:AssumeRoot`): credentials live only inside a
//! [`RootSession`], are never printed or logged (`Debug` hides them), and
//! are dropped with it when the task for the account ends.

use std::time::SystemTime;

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_sts::types::PolicyDescriptorType;

use crate::aws::Aws;
use crate::error::{Failure, sdk};

/// The five AWS-managed root-task policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// `IAMAuditRootUserCredentials`.
    Audit,
    /// `IAMDeleteRootUserCredentials`.
    DeleteCredentials,
    /// `IAMCreateRootUserPassword`.
    CreatePassword,
    /// `S3UnlockBucketPolicy`.
    S3Unlock,
    /// `SQSUnlockQueuePolicy`.
    SqsUnlock,
}

/// Every task, for parsing and listings.
pub const TASKS: [Task; 5] = [
    Task::Audit,
    Task::DeleteCredentials,
    Task::CreatePassword,
    Task::S3Unlock,
    Task::SqsUnlock,
];

const ARN_PREFIX: &str = "arn:aws:iam::aws:policy/root-task/";

impl Task {
    /// The policy name.
    pub fn policy_name(self) -> &'static str {
        match self {
            Task::Audit => "IAMAuditRootUserCredentials",
            Task::DeleteCredentials => "IAMDeleteRootUserCredentials",
            Task::CreatePassword => "IAMCreateRootUserPassword",
            Task::S3Unlock => "S3UnlockBucketPolicy",
            Task::SqsUnlock => "SQSUnlockQueuePolicy",
        }
    }

    /// The short name accepted by `--task`.
    pub fn short(self) -> &'static str {
        match self {
            Task::Audit => "audit",
            Task::DeleteCredentials => "delete-credentials",
            Task::CreatePassword => "create-password",
            Task::S3Unlock => "s3-unlock",
            Task::SqsUnlock => "sqs-unlock",
        }
    }

    /// The policy ARN sent as `TaskPolicyArn.arn`.
    pub fn arn(self) -> String {
        format!("{ARN_PREFIX}{}", self.policy_name())
    }

    /// The policy name of a task ARN (for the trail); the input when unknown.
    pub fn name_of_arn(arn: &str) -> &str {
        arn.strip_prefix(ARN_PREFIX).unwrap_or(arn)
    }
}

impl std::str::FromStr for Task {
    type Err = String;

    /// A short name, a policy name, or a policy ARN.
    fn from_str(s: &str) -> Result<Task, String> {
        TASKS
            .into_iter()
            .find(|t| s == t.short() || s == t.policy_name() || s == t.arn())
            .ok_or_else(|| {
                let names: Vec<&str> = TASKS.iter().map(|t| t.short()).collect();
                format!(
                    "unknown task `{s}` (one of {}, or the policy name or ARN)",
                    names.join(", ")
                )
            })
    }
}

/// A root session in one member account for one task.
pub struct RootSession {
    account: String,
    task: Task,
    config: SdkConfig,
    credentials: Credentials,
    expiration: Option<SystemTime>,
}

impl std::fmt::Debug for RootSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootSession")
            .field("account", &self.account)
            .field("task", &self.task)
            .field("expiration", &self.expiration)
            .field("credentials", &"** hidden **")
            .finish()
    }
}

impl RootSession {
    /// `sts:AssumeRoot` on `account` for `task`, at the regional STS endpoint
    /// of the configured region (the SDK for Rust never uses the global one).
    pub async fn assume(
        aws: &Aws,
        account: &str,
        task: Task,
        duration: Option<i32>,
    ) -> Result<RootSession, Failure> {
        let out = aws
            .sts
            .assume_root()
            .target_principal(account)
            .task_policy_arn(PolicyDescriptorType::builder().arn(task.arn()).build())
            .set_duration_seconds(duration)
            .send()
            .await
            .map_err(sdk)?;
        let c = out.credentials().ok_or_else(|| {
            Failure::new("MissingCredentials", "AssumeRoot returned no credentials")
        })?;
        let expiration = SystemTime::try_from(*c.expiration()).ok();
        let credentials = Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            expiration,
            "rootward-assume-root",
        );
        let config = aws
            .config
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(credentials.clone()))
            .build();
        Ok(RootSession {
            account: account.to_owned(),
            task,
            config,
            credentials,
            expiration,
        })
    }

    /// The member account.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// When the session ends.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// IAM as the member's root user.
    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    /// S3 as the member's root user (path-style against a custom endpoint).
    pub fn s3(&self, path_style: bool) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.config)
            .force_path_style(path_style)
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    /// SQS as the member's root user.
    pub fn sqs(&self) -> aws_sdk_sqs::Client {
        aws_sdk_sqs::Client::new(&self.config)
    }

    /// The environment a child process gets in `rootward exec` (the only
    /// place the secret leaves this struct, and only into the child).
    pub fn child_environment(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![
            (
                "AWS_ACCESS_KEY_ID",
                self.credentials.access_key_id().to_owned(),
            ),
            (
                "AWS_SECRET_ACCESS_KEY",
                self.credentials.secret_access_key().to_owned(),
            ),
        ];
        if let Some(t) = self.credentials.session_token() {
            env.push(("AWS_SESSION_TOKEN", t.to_owned()));
        }
        env
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_parse_by_short_name_policy_name_and_arn() {
        for t in TASKS {
            assert_eq!(t.short().parse::<Task>(), Ok(t));
            assert_eq!(t.policy_name().parse::<Task>(), Ok(t));
            assert_eq!(t.arn().parse::<Task>(), Ok(t));
            assert_eq!(Task::name_of_arn(&t.arn()), t.policy_name());
        }
        assert!("root".parse::<Task>().is_err());
    }
}
