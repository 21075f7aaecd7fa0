//! The five task sessions against every root-credential operation (and the
//! S3 and SQS policy operations): each decision matches the task policy's
//! allowed set (spec 05 §5.4), and nothing outside the list is allowed.

use aws_sdk_iam::error::ProvideErrorMetadata;

use crate::common::Server;
use crate::root_access::{enable_everything, organization, root_session};

const TASKS: [&str; 5] = [
    "IAMAuditRootUserCredentials",
    "IAMCreateRootUserPassword",
    "IAMDeleteRootUserCredentials",
    "S3UnlockBucketPolicy",
    "SQSUnlockQueuePolicy",
];

/// The operations tried in each session, with the tasks that allow them.
const OPERATIONS: &[(&str, &[&str])] = &[
    (
        "iam:GetUser",
        &[
            "IAMAuditRootUserCredentials",
            "IAMDeleteRootUserCredentials",
        ],
    ),
    ("iam:GetAccountSummary", &["IAMAuditRootUserCredentials"]),
    (
        "iam:GetLoginProfile",
        &[
            "IAMAuditRootUserCredentials",
            "IAMCreateRootUserPassword",
            "IAMDeleteRootUserCredentials",
        ],
    ),
    ("iam:CreateLoginProfile", &["IAMCreateRootUserPassword"]),
    ("iam:DeleteLoginProfile", &["IAMDeleteRootUserCredentials"]),
    (
        "iam:ListAccessKeys",
        &[
            "IAMAuditRootUserCredentials",
            "IAMDeleteRootUserCredentials",
        ],
    ),
    ("iam:DeleteAccessKey", &["IAMDeleteRootUserCredentials"]),
    (
        "iam:GetAccessKeyLastUsed",
        &[
            "IAMAuditRootUserCredentials",
            "IAMDeleteRootUserCredentials",
        ],
    ),
    ("iam:CreateAccessKey", &[]),
    ("iam:UpdateAccessKey", &[]),
    ("iam:ListUsers", &[]),
    ("iam:CreateUser", &[]),
    ("iam:ListAccessKeys(user)", &[]),
    // MATRIX: MFA, signing certificates, S3 and SQS rows are added with those services.
];

/// Runs one operation; `true` when it was not refused with `AccessDenied`
/// (a `NoSuchEntity` or `EntityAlreadyExists` means authorization passed).
async fn allowed(op: &str, iam: &aws_sdk_iam::Client) -> bool {
    let code: Option<String> = match op {
        "iam:GetUser" => iam
            .get_user()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:GetAccountSummary" => iam
            .get_account_summary()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:GetLoginProfile" => iam
            .get_login_profile()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:CreateLoginProfile" => iam
            .create_login_profile()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:DeleteLoginProfile" => iam
            .delete_login_profile()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:ListAccessKeys" => iam
            .list_access_keys()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:DeleteAccessKey" => iam
            .delete_access_key()
            .access_key_id("AKIANOSUCHROOTKEY001")
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:GetAccessKeyLastUsed" => iam
            .get_access_key_last_used()
            .access_key_id("AKIAMATRIXROOTKEY001")
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:CreateAccessKey" => iam
            .create_access_key()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:UpdateAccessKey" => iam
            .update_access_key()
            .access_key_id("AKIAMATRIXROOTKEY001")
            .status(aws_sdk_iam::types::StatusType::Inactive)
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:ListUsers" => iam
            .list_users()
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:CreateUser" => iam
            .create_user()
            .user_name("matrix")
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        "iam:ListAccessKeys(user)" => iam
            .list_access_keys()
            .user_name("someuser")
            .send()
            .await
            .err()
            .map(|e| e.into_service_error().code().unwrap_or("").to_owned()),
        other => panic!("no call for {other}"),
    };
    code.as_deref() != Some("AccessDenied")
}

#[tokio::test]
async fn every_task_allows_exactly_its_list() {
    let s = Server::start().await;
    let z = organization(&s).await;
    enable_everything(&s, &z).await;
    s.svc
        .put(rootward_core::model::Record::AccessKey(
            rootward_core::model::AccessKey {
                id: "AKIAMATRIXROOTKEY001".into(),
                secret: rootward_core::secret::Secret::new(
                    "matrixSecret0000000000000000000000000000".to_owned(),
                ),
                account: z.member.clone(),
                owner: rootward_core::model::KeyOwner::Root,
                status: rootward_core::model::KeyStatus::Active,
                created: s.svc.now(),
                last_used: None,
            },
        ))
        .unwrap();
    let mut mismatches = Vec::new();
    for task in TASKS {
        let arn = format!("arn:aws:iam::aws:policy/root-task/{task}");
        for (op, allowed_by) in OPERATIONS {
            // A fresh session per call, so that no call depends on another's effect.
            let session = root_session(&s, &s.admin(), &z.member, &arn).await;
            let iam = aws_sdk_iam::Client::new(&session);
            let got = allowed(op, &iam).await;
            let want = allowed_by.contains(&task);
            if got != want {
                mismatches.push(format!("{task} {op}: allowed={got}, expected {want}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}
