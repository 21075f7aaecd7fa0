//! Every operation name the server dispatches today exists in the generated
//! enum, and the supplementary tables mark exactly those as implemented.
//!
//! The lists are copied from the server's dispatch code as of this commit
//! (phase 1 of issue 13): `services/iam/mod.rs` and
//! `services/organizations/mod.rs` `OPERATIONS`, the `match` in
//! `services/sts.rs` and `services/cloudtrail.rs`, `services/sqs/mod.rs`
//! `OPERATIONS` and the S3 `route` (see `s3_router.rs`). Phase 2 replaces
//! those lists with the generated enums, which makes this structural.

use std::collections::BTreeSet;

const IAM: &[&str] = &[
    "AddUserToGroup",
    "AttachGroupPolicy",
    "AttachRolePolicy",
    "AttachUserPolicy",
    "CreateAccessKey",
    "CreateGroup",
    "CreateLoginProfile",
    "CreatePolicy",
    "CreatePolicyVersion",
    "CreateRole",
    "CreateUser",
    "CreateVirtualMFADevice",
    "DeactivateMFADevice",
    "DeleteAccessKey",
    "DeleteGroup",
    "DeleteGroupPolicy",
    "DeleteLoginProfile",
    "DeletePolicy",
    "DeletePolicyVersion",
    "DeleteRole",
    "DeleteRolePermissionsBoundary",
    "DeleteRolePolicy",
    "DeleteSigningCertificate",
    "DeleteUser",
    "DeleteUserPermissionsBoundary",
    "DeleteUserPolicy",
    "DeleteVirtualMFADevice",
    "DetachGroupPolicy",
    "DetachRolePolicy",
    "DetachUserPolicy",
    "DisableOrganizationsRootCredentialsManagement",
    "DisableOrganizationsRootSessions",
    "EnableMFADevice",
    "EnableOrganizationsRootCredentialsManagement",
    "EnableOrganizationsRootSessions",
    "GenerateCredentialReport",
    "GetAccessKeyLastUsed",
    "GetAccountSummary",
    "GetCredentialReport",
    "GetGroup",
    "GetGroupPolicy",
    "GetLoginProfile",
    "GetPolicy",
    "GetPolicyVersion",
    "GetRole",
    "GetRolePolicy",
    "GetUser",
    "GetUserPolicy",
    "ListAccessKeys",
    "ListAttachedGroupPolicies",
    "ListAttachedRolePolicies",
    "ListAttachedUserPolicies",
    "ListEntitiesForPolicy",
    "ListGroupPolicies",
    "ListGroups",
    "ListGroupsForUser",
    "ListMFADevices",
    "ListOrganizationsFeatures",
    "ListPolicies",
    "ListPolicyVersions",
    "ListRolePolicies",
    "ListRoles",
    "ListSigningCertificates",
    "ListUserPolicies",
    "ListUsers",
    "ListVirtualMFADevices",
    "PutGroupPolicy",
    "PutRolePermissionsBoundary",
    "PutRolePolicy",
    "PutUserPermissionsBoundary",
    "PutUserPolicy",
    "RemoveUserFromGroup",
    "ResyncMFADevice",
    "SetDefaultPolicyVersion",
    "SimulateCustomPolicy",
    "SimulatePrincipalPolicy",
    "UpdateAccessKey",
    "UpdateAssumeRolePolicy",
    "UpdateGroup",
    "UpdateLoginProfile",
    "UpdateRole",
    "UpdateSigningCertificate",
    "UploadSigningCertificate",
];

const ORGANIZATIONS: &[&str] = &[
    "AcceptHandshake",
    "AttachPolicy",
    "CancelHandshake",
    "CreateAccount",
    "CreateOrganization",
    "CreateOrganizationalUnit",
    "CreatePolicy",
    "DeclineHandshake",
    "DeleteOrganization",
    "DeleteOrganizationalUnit",
    "DeletePolicy",
    "DeregisterDelegatedAdministrator",
    "DescribeAccount",
    "DescribeCreateAccountStatus",
    "DescribeHandshake",
    "DescribeOrganization",
    "DescribeOrganizationalUnit",
    "DescribePolicy",
    "DetachPolicy",
    "DisableAWSServiceAccess",
    "DisablePolicyType",
    "EnableAWSServiceAccess",
    "EnableAllFeatures",
    "EnablePolicyType",
    "InviteAccountToOrganization",
    "LeaveOrganization",
    "ListAWSServiceAccessForOrganization",
    "ListAccounts",
    "ListAccountsForParent",
    "ListChildren",
    "ListCreateAccountStatus",
    "ListDelegatedAdministrators",
    "ListDelegatedServicesForAccount",
    "ListHandshakesForAccount",
    "ListHandshakesForOrganization",
    "ListOrganizationalUnitsForParent",
    "ListParents",
    "ListPolicies",
    "ListPoliciesForTarget",
    "ListRoots",
    "ListTargetsForPolicy",
    "MoveAccount",
    "RegisterDelegatedAdministrator",
    "RemoveAccountFromOrganization",
    "UpdateOrganizationalUnit",
    "UpdatePolicy",
];

const STS: &[&str] = &[
    "AssumeRole",
    "AssumeRoot",
    "GetCallerIdentity",
    "GetSessionToken",
];

const SQS: &[&str] = &[
    "CreateQueue",
    "DeleteMessage",
    "DeleteQueue",
    "GetQueueAttributes",
    "GetQueueUrl",
    "ListQueues",
    "PurgeQueue",
    "ReceiveMessage",
    "SendMessage",
    "SetQueueAttributes",
];

const CLOUDTRAIL: &[&str] = &[
    "CreateTrail",
    "DeleteTrail",
    "DescribeTrails",
    "GetEventSelectors",
    "GetTrail",
    "GetTrailStatus",
    "ListTrails",
    "LookupEvents",
    "PutEventSelectors",
    "StartLogging",
    "StopLogging",
];

const S3: &[&str] = &[
    "AbortMultipartUpload",
    "CompleteMultipartUpload",
    "CopyObject",
    "CreateBucket",
    "CreateMultipartUpload",
    "DeleteBucket",
    "DeleteBucketEncryption",
    "DeleteBucketOwnershipControls",
    "DeleteBucketPolicy",
    "DeleteBucketTagging",
    "DeleteBucketWebsite",
    "DeleteObject",
    "DeleteObjects",
    "DeletePublicAccessBlock",
    "GetBucketAcl",
    "GetBucketEncryption",
    "GetBucketLocation",
    "GetBucketLogging",
    "GetBucketOwnershipControls",
    "GetBucketPolicy",
    "GetBucketPolicyStatus",
    "GetBucketTagging",
    "GetBucketVersioning",
    "GetBucketWebsite",
    "GetObject",
    "GetPublicAccessBlock",
    "HeadBucket",
    "HeadObject",
    "ListBuckets",
    "ListObjects",
    "ListObjectsV2",
    "PutBucketEncryption",
    "PutBucketLogging",
    "PutBucketOwnershipControls",
    "PutBucketPolicy",
    "PutBucketTagging",
    "PutBucketVersioning",
    "PutBucketWebsite",
    "PutObject",
    "PutPublicAccessBlock",
    "UploadPart",
];

macro_rules! check {
    ($module:ident, $list:expr) => {{
        use rootward_model::$module::Operation;
        for name in $list {
            assert!(
                Operation::from_name(name).is_some(),
                "{} dispatches {name}, which its model does not have",
                stringify!($module)
            );
        }
        let dispatched: BTreeSet<&str> = $list.iter().copied().collect();
        let implemented: BTreeSet<&str> = Operation::ALL
            .iter()
            .filter(|o| o.info().implemented())
            .map(|o| o.name())
            .collect();
        assert_eq!(implemented, dispatched, "{}", stringify!($module));
    }};
}

#[test]
fn every_dispatched_operation_is_modelled_and_marked_implemented() {
    check!(iam, IAM);
    check!(organizations, ORGANIZATIONS);
    check!(sts, STS);
    check!(sqs, SQS);
    check!(cloudtrail, CLOUDTRAIL);
    check!(s3, S3);
    check!(account, &[] as &[&str]);
    check!(ec2, &[] as &[&str]);
}
