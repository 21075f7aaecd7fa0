//! The AWS-managed documents the engine ships: the five AssumeRoot task
//! policies (spec 05 §5.2, version v1 exactly as AWS serves it) and the SCP
//! `FullAWSAccess`.
//!
//! The task policies are data files under `data/root-task/`, so that a later
//! version (e.g. a v2 of `IAMDeleteRootUserCredentials` without
//! `iam:DeleteVirtualMFADevice`, spec 05 §5.3, UNCONFIRMED) can be swapped in.

/// One AWS-managed task policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskPolicy {
    /// Its name, e.g. `IAMAuditRootUserCredentials`.
    pub name: &'static str,
    /// Its ARN.
    pub arn: &'static str,
    /// Its `PolicyId` as AWS reports it.
    pub policy_id: &'static str,
    /// Create/update date of version v1.
    pub create_date: &'static str,
    /// The feature AssumeRoot needs for it (spec 02 §2.3).
    pub feature: &'static str,
    /// The default version's document.
    pub document: &'static str,
}

/// The path every task policy lives under.
pub const TASK_POLICY_PATH: &str = "/root-task/";

/// The five task policies (spec 05 §5.1).
pub const TASK_POLICIES: [TaskPolicy; 5] = [
    TaskPolicy {
        name: "IAMAuditRootUserCredentials",
        arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
        policy_id: "ANPAZKAPJZG4BDSCREYVS",
        create_date: "2024-11-06T22:27:58Z",
        feature: "RootCredentialsManagement",
        document: include_str!("../data/root-task/IAMAuditRootUserCredentials.json"),
    },
    TaskPolicy {
        name: "IAMCreateRootUserPassword",
        arn: "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
        policy_id: "ANPAZKAPJZG4OEGTN7YT5",
        create_date: "2024-11-06T22:32:59Z",
        feature: "RootCredentialsManagement",
        document: include_str!("../data/root-task/IAMCreateRootUserPassword.json"),
    },
    TaskPolicy {
        name: "IAMDeleteRootUserCredentials",
        arn: "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
        policy_id: "ANPAZKAPJZG4CX73XKORQ",
        create_date: "2024-11-06T22:47:58Z",
        feature: "RootCredentialsManagement",
        document: include_str!("../data/root-task/IAMDeleteRootUserCredentials.json"),
    },
    TaskPolicy {
        name: "S3UnlockBucketPolicy",
        arn: "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
        policy_id: "ANPAZKAPJZG4OALTIPZOF",
        create_date: "2024-11-06T21:55:56Z",
        feature: "RootSessions",
        document: include_str!("../data/root-task/S3UnlockBucketPolicy.json"),
    },
    TaskPolicy {
        name: "SQSUnlockQueuePolicy",
        arn: "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy",
        policy_id: "ANPAZKAPJZG4HPZI4FDUV",
        create_date: "2024-11-06T21:51:02Z",
        feature: "RootSessions",
        document: include_str!("../data/root-task/SQSUnlockQueuePolicy.json"),
    },
];

/// Finds a task policy by ARN (exact, as AssumeRoot compares it).
pub fn task_policy(arn: &str) -> Option<&'static TaskPolicy> {
    TASK_POLICIES.iter().find(|t| t.arn == arn)
}

/// The SCP Organizations attaches everywhere by default.
pub const FULL_AWS_ACCESS: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;
