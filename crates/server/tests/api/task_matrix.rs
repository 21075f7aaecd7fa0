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
    (
        "iam:ListMFADevices",
        &[
            "IAMAuditRootUserCredentials",
            "IAMDeleteRootUserCredentials",
        ],
    ),
    ("iam:DeactivateMFADevice", &["IAMDeleteRootUserCredentials"]),
    ("iam:DeleteVirtualMFADevice", &[]),
    ("iam:CreateVirtualMFADevice", &[]),
    (
        "iam:ListSigningCertificates",
        &[
            "IAMAuditRootUserCredentials",
            "IAMDeleteRootUserCredentials",
        ],
    ),
    (
        "iam:DeleteSigningCertificate",
        &["IAMDeleteRootUserCredentials"],
    ),
    ("iam:UploadSigningCertificate", &[]),
    ("sqs:ListQueues", &["SQSUnlockQueuePolicy"]),
    ("sqs:GetQueueUrl", &["SQSUnlockQueuePolicy"]),
    ("sqs:GetQueueAttributes", &["SQSUnlockQueuePolicy"]),
    ("sqs:SetQueueAttributes", &["SQSUnlockQueuePolicy"]),
    ("sqs:SendMessage", &[]),
    ("sqs:CreateQueue", &[]),
    ("s3:ListAllMyBuckets", &["S3UnlockBucketPolicy"]),
    ("s3:GetBucketPolicy", &["S3UnlockBucketPolicy"]),
    ("s3:PutBucketPolicy", &["S3UnlockBucketPolicy"]),
    ("s3:DeleteBucketPolicy", &["S3UnlockBucketPolicy"]),
    ("s3:GetObject", &[]),
    ("s3:PutObject", &[]),
    ("s3:CreateBucket", &[]),
];

const MATRIX_BUCKET_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::matrix-bucket/*"}]}"#;

/// The clients of one root session, and the member's queue.
struct Session {
    iam: aws_sdk_iam::Client,
    s3: aws_sdk_s3::Client,
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

fn code_of<E: aws_sdk_sqs::error::ProvideErrorMetadata>(e: E) -> String {
    e.code().unwrap_or("").to_owned()
}

/// Runs one operation; `true` when it was not refused with `AccessDenied`
/// (a `NoSuchEntity` or `EntityAlreadyExists` means authorization passed).
async fn allowed(op: &str, c: &Session) -> bool {
    let iam = &c.iam;
    let sqs = &c.sqs;
    let q = c.queue_url.as_str();
    let s3 = &c.s3;
    let b = "matrix-bucket";
    let code: Option<String> = match op {
        "s3:ListAllMyBuckets" => s3
            .list_buckets()
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "s3:GetBucketPolicy" => s3
            .get_bucket_policy()
            .bucket(b)
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "s3:PutBucketPolicy" => s3
            .put_bucket_policy()
            .bucket(b)
            .policy(MATRIX_BUCKET_POLICY)
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "s3:DeleteBucketPolicy" => s3
            .delete_bucket_policy()
            .bucket(b)
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "s3:GetObject" => s3
            .get_object()
            .bucket(b)
            .key("k")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "s3:PutObject" => s3
            .put_object()
            .bucket(b)
            .key("k2")
            .body(b"x".to_vec().into())
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "s3:CreateBucket" => s3
            .create_bucket()
            .bucket("matrix-new-bucket")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "iam:ListMFADevices" => iam
            .list_mfa_devices()
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "iam:DeactivateMFADevice" => iam
            .deactivate_mfa_device()
            .serial_number("GAHT00000000")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "iam:DeleteVirtualMFADevice" => iam
            .delete_virtual_mfa_device()
            .serial_number("arn:aws:iam::123456789012:mfa/none")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "iam:CreateVirtualMFADevice" => iam
            .create_virtual_mfa_device()
            .virtual_mfa_device_name("matrix")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "iam:ListSigningCertificates" => iam
            .list_signing_certificates()
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "iam:DeleteSigningCertificate" => iam
            .delete_signing_certificate()
            .certificate_id("NOSUCHCERTIFICATE000000000000000")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "iam:UploadSigningCertificate" => iam
            .upload_signing_certificate()
            .certificate_body(
                "-----BEGIN CERTIFICATE-----\nMAsCAQECAgTSAgIWLg==\n-----END CERTIFICATE-----\n",
            )
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "sqs:ListQueues" => sqs
            .list_queues()
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "sqs:GetQueueUrl" => sqs
            .get_queue_url()
            .queue_name("matrix-queue")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "sqs:GetQueueAttributes" => sqs
            .get_queue_attributes()
            .queue_url(q)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::Policy)
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "sqs:SetQueueAttributes" => sqs
            .set_queue_attributes()
            .queue_url(q)
            .attributes(aws_sdk_sqs::types::QueueAttributeName::Policy, "")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "sqs:SendMessage" => sqs
            .send_message()
            .queue_url(q)
            .message_body("x")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
        "sqs:CreateQueue" => sqs
            .create_queue()
            .queue_name("matrix-new")
            .send()
            .await
            .err()
            .map(|e| code_of(e.into_service_error())),
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
    !matches!(
        code.as_deref(),
        Some("AccessDenied" | "AccessDeniedException")
    )
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
    let member_admin = crate::root_access::admin_role_in(&s, &z.member).await;
    let queue_url = aws_sdk_sqs::Client::new(&member_admin)
        .create_queue()
        .queue_name("matrix-queue")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let admin_s3 = crate::common::s3::s3(&member_admin);
    admin_s3
        .create_bucket()
        .bucket("matrix-bucket")
        .send()
        .await
        .unwrap();
    admin_s3
        .put_object()
        .bucket("matrix-bucket")
        .key("k")
        .body(b"data".to_vec().into())
        .send()
        .await
        .unwrap();
    let mut mismatches = Vec::new();
    let mut counts = (0, 0);
    for task in TASKS {
        let arn = format!("arn:aws:iam::aws:policy/root-task/{task}");
        for (op, allowed_by) in OPERATIONS {
            // A fresh session per call, so that no call depends on another's effect.
            let session = root_session(&s, &s.admin(), &z.member, &arn).await;
            let c = Session {
                iam: aws_sdk_iam::Client::new(&session),
                s3: crate::common::s3::s3(&session),
                sqs: aws_sdk_sqs::Client::new(&session),
                queue_url: queue_url.clone(),
            };
            let got = allowed(op, &c).await;
            let want = allowed_by.contains(&task);
            if got {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
            if got != want {
                mismatches.push(format!("{task} {op}: allowed={got}, expected {want}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    assert!(counts.0 > 20 && counts.1 > 60, "allowed/denied {counts:?}");
}
