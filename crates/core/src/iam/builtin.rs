//! The AWS-managed identity policies the endpoint ships (`arn:aws:iam::aws:policy/…`),
//! and the five root-task policies (spec 05), read-only.

use std::collections::BTreeMap;

use rootward_policy::managed::{TASK_POLICIES, TASK_POLICY_PATH};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::model::{ManagedPolicy, PolicyVersion};

const ADMINISTRATOR_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const READ_ONLY_ACCESS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","iam:Generate*","iam:Simulate*","organizations:Describe*","organizations:List*","s3:Get*","s3:List*","s3:Head*","sqs:Get*","sqs:List*","sqs:Receive*","cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","cloudtrail:Lookup*","sts:GetCallerIdentity","sts:GetSessionToken"],"Resource":"*"}]}"#;
const IAM_FULL_ACCESS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}"#;
const ORGANIZATIONS_FULL_ACCESS: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AWSOrganizationsFullAccess","Effect":"Allow","Action":"organizations:*","Resource":"*"},{"Sid":"AWSOrganizationsFullAccessAccountManagement","Effect":"Allow","Action":["account:PutAlternateContact","account:DeleteAlternateContact","account:GetAlternateContact","account:GetContactInformation","account:PutContactInformation","account:ListRegions","account:EnableRegion","account:DisableRegion"],"Resource":"*"},{"Sid":"AWSOrganizationsFullAccessCreateSLR","Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*","Condition":{"StringEquals":{"iam:AWSServiceName":"organizations.amazonaws.com"}}}]}"#;

fn managed(
    name: &str,
    path: &str,
    id: &str,
    doc: &str,
    created: OffsetDateTime,
    description: Option<&str>,
) -> ManagedPolicy {
    let mut versions = BTreeMap::new();
    versions.insert(
        "v1".to_owned(),
        PolicyVersion {
            document: doc.to_owned(),
            created,
        },
    );
    ManagedPolicy {
        arn: format!("arn:aws:iam::aws:policy{path}{name}"),
        name: name.to_owned(),
        path: path.to_owned(),
        id: id.to_owned(),
        description: description.map(str::to_owned),
        versions,
        default_version: "v1".to_owned(),
        created,
        updated: created,
        last_version: 1,
    }
}

/// Every AWS-managed policy the endpoint knows.
pub fn aws_managed_policies() -> Vec<ManagedPolicy> {
    let created = datetime!(2015-02-06 18:39:46 UTC);
    let mut out = vec![
        managed(
            "AdministratorAccess",
            "/",
            "ANPAIWMBCKSKIEE64ZLYK",
            ADMINISTRATOR_ACCESS,
            created,
            Some("Provides full access to AWS services and resources."),
        ),
        managed(
            "ReadOnlyAccess",
            "/",
            "ANPAILL3HVNFSB6DCOWYQ",
            READ_ONLY_ACCESS,
            created,
            Some("Provides read-only access to AWS services and resources."),
        ),
        managed(
            "IAMFullAccess",
            "/",
            "ANPAI7XKCFMBPM3QQRRVQ",
            IAM_FULL_ACCESS,
            created,
            Some("Provides full access to IAM via the AWS Management Console."),
        ),
        managed(
            "AWSOrganizationsFullAccess",
            "/",
            "ANPAJZXBNRCJKNLQHSB5M",
            ORGANIZATIONS_FULL_ACCESS,
            created,
            Some("Provides full access to AWS Organizations."),
        ),
    ];
    for t in TASK_POLICIES {
        let created = time::OffsetDateTime::parse(
            t.create_date,
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap_or(created);
        out.push(managed(
            t.name,
            TASK_POLICY_PATH,
            t.policy_id,
            t.document,
            created,
            None,
        ));
    }
    out
}

/// Whether an ARN names one of the five root-task policies (never attachable; spec 05 §5.1).
pub fn is_task_policy(arn: &str) -> bool {
    rootward_policy::managed::task_policy(arn).is_some()
}
