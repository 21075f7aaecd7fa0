//! The five AssumeRoot task policies (spec 05): each session may do exactly
//! its task's actions, on the root resource where the task says so, and
//! nothing else.

use rootward_policy::managed::{TASK_POLICIES, task_policy};
use rootward_policy::{Context, Decision, Policies, PolicyKind, Principal, Request, evaluate};

use crate::common::{MEMBER, policy};

/// Every action the five task policies mention, plus some they do not.
const ACTIONS: &[&str] = &[
    "iam:ListAccessKeys",
    "iam:ListSigningCertificates",
    "iam:GetLoginProfile",
    "iam:ListMFADevices",
    "iam:GetAccountSummary",
    "iam:GetUser",
    "iam:GetAccessKeyLastUsed",
    "iam:CreateLoginProfile",
    "iam:DeleteAccessKey",
    "iam:DeleteSigningCertificate",
    "iam:DeleteLoginProfile",
    "iam:DeactivateMFADevice",
    "iam:DeleteVirtualMFADevice",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:GetBucketPolicy",
    "s3:ListAllMyBuckets",
    "sqs:SetQueueAttributes",
    "sqs:GetQueueAttributes",
    "sqs:ListQueues",
    "sqs:GetQueueUrl",
    // Never allowed by any task.
    "iam:CreateAccessKey",
    "iam:CreateUser",
    "iam:UpdateLoginProfile",
    "s3:GetObject",
    "s3:PutObject",
    "sqs:SendMessage",
    "sqs:DeleteQueue",
    "sts:AssumeRoot",
    "organizations:LeaveOrganization",
];

/// The allowed set of each task (spec 05 §5.4): (action, must target the root ARN).
fn allowed(task: &str) -> &'static [(&'static str, bool)] {
    match task {
        "IAMAuditRootUserCredentials" => &[
            ("iam:ListAccessKeys", true),
            ("iam:ListSigningCertificates", true),
            ("iam:GetLoginProfile", true),
            ("iam:ListMFADevices", true),
            ("iam:GetAccountSummary", false),
            ("iam:GetUser", true),
            ("iam:GetAccessKeyLastUsed", true),
        ],
        "IAMCreateRootUserPassword" => &[
            ("iam:CreateLoginProfile", true),
            ("iam:GetLoginProfile", true),
        ],
        "IAMDeleteRootUserCredentials" => &[
            ("iam:DeleteAccessKey", true),
            ("iam:DeleteSigningCertificate", true),
            ("iam:DeleteLoginProfile", true),
            ("iam:DeactivateMFADevice", true),
            ("iam:DeleteVirtualMFADevice", true),
            ("iam:ListAccessKeys", true),
            ("iam:ListSigningCertificates", true),
            ("iam:GetLoginProfile", true),
            ("iam:ListMFADevices", true),
            ("iam:GetUser", true),
            ("iam:GetAccessKeyLastUsed", true),
        ],
        "S3UnlockBucketPolicy" => &[
            ("s3:DeleteBucketPolicy", false),
            ("s3:PutBucketPolicy", false),
            ("s3:GetBucketPolicy", false),
            ("s3:ListAllMyBuckets", false),
        ],
        "SQSUnlockQueuePolicy" => &[
            ("sqs:SetQueueAttributes", false),
            ("sqs:GetQueueAttributes", false),
            ("sqs:ListQueues", false),
            ("sqs:GetQueueUrl", false),
        ],
        other => panic!("unknown task {other}"),
    }
}

/// Resources to try each action on: the member's root, an IAM user, an MFA
/// device, a bucket, a queue of the member, a queue of another account, `*`.
const RESOURCES: &[&str] = &[
    "arn:aws:iam::222222222222:root",
    "arn:aws:iam::222222222222:user/bob",
    "arn:aws:iam::222222222222:mfa/root-account-mfa-device",
    "arn:aws:s3:::locked-bucket",
    "arn:aws:sqs:us-east-1:222222222222:locked-queue",
    "arn:aws:sqs:us-east-1:333333333333:other-queue",
    "*",
];

fn decide(task: &str, principal: &Principal, action: &str, resource: &str) -> Decision {
    let t = task_policy(&format!("arn:aws:iam::aws:policy/root-task/{task}")).unwrap();
    let p = policy(t.arn, PolicyKind::Session, t.document);
    let mut ctx = Context::new();
    if let Some(acct) = resource.split(':').nth(4).filter(|a| !a.is_empty()) {
        ctx.set("aws:ResourceAccount", acct);
    }
    let ctx = ctx.with_principal(principal);
    let req = Request {
        principal,
        action,
        resource,
        context: &ctx,
    };
    evaluate(
        &req,
        &Policies {
            task_policy: Some(&p),
            resource_owner: None,
            ..Policies::default()
        },
    )
    .decision
}

#[test]
fn each_task_allows_exactly_its_actions() {
    let session = Principal::assumed_root(MEMBER);
    for t in TASK_POLICIES {
        let allowed = allowed(t.name);
        for action in ACTIONS {
            for resource in RESOURCES {
                let got = decide(t.name, &session, action, resource);
                let want = match allowed.iter().find(|(a, _)| a == action) {
                    None => Decision::ExplicitDeny,
                    Some((_, true)) if *resource != "arn:aws:iam::222222222222:root" => {
                        Decision::ExplicitDeny
                    }
                    // GetQueueAttributes on another account's queue (spec 05 §5.4).
                    Some(_)
                        if *action == "sqs:GetQueueAttributes"
                            && resource.contains("333333333333") =>
                    {
                        Decision::ExplicitDeny
                    }
                    Some(_) => Decision::Allowed,
                };
                assert_eq!(got, want, "{}: {action} on {resource}", t.name);
            }
        }
    }
}

#[test]
fn a_task_policy_never_helps_a_non_root_caller() {
    // The task policies only deny; for an IAM user they add no Allow, and the
    // S3/SQS ones deny their own actions to any non-root principal.
    let bob = Principal::user("arn:aws:iam::222222222222:user/bob");
    assert_eq!(
        decide(
            "S3UnlockBucketPolicy",
            &bob,
            "s3:DeleteBucketPolicy",
            "arn:aws:s3:::locked-bucket"
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        decide(
            "SQSUnlockQueuePolicy",
            &bob,
            "sqs:SetQueueAttributes",
            "arn:aws:sqs:us-east-1:222222222222:q"
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        decide(
            "IAMAuditRootUserCredentials",
            &bob,
            "iam:GetUser",
            "arn:aws:iam::222222222222:root"
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn get_queue_attributes_without_a_resource_account_is_denied() {
    // StringNotEqualsIfExists: with aws:ResourceAccount absent the Deny applies (spec 06 §6.6.3).
    let t = task_policy("arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy").unwrap();
    let p = policy(t.arn, PolicyKind::Session, t.document);
    let session = Principal::assumed_root(MEMBER);
    let ctx = Context::new().with_principal(&session);
    let req = Request {
        principal: &session,
        action: "sqs:GetQueueAttributes",
        resource: "arn:aws:sqs:us-east-1:222222222222:q",
        context: &ctx,
    };
    let e = evaluate(
        &req,
        &Policies {
            task_policy: Some(&p),
            ..Policies::default()
        },
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(
        e.matched[0].sid(),
        Some("DenyGettingQueueAttributesOnNonOwnQueue")
    );
}

#[test]
fn task_policies_are_valid_session_policies_with_only_denies() {
    for t in TASK_POLICIES {
        let p = policy(t.arn, PolicyKind::Session, t.document);
        assert!(
            p.effects().all(|e| e == rootward_policy::ast::Effect::Deny),
            "{}",
            t.name
        );
        assert!(t.arn.ends_with(t.name) && t.arn.starts_with("arn:aws:iam::aws:policy/root-task/"));
    }
    assert!(task_policy("arn:aws:iam::aws:policy/root-task/Unknown").is_none());
}
