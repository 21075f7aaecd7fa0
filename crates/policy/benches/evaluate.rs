//! Benchmarks of the policy engine.
//!
//! * `decision/realistic_caller/*`: one [`evaluate`] call for an IAM user with
//!   ten attached identity policies (60 statements) under a three-level SCP
//!   chain; one request ends `allowed` (granted by the last policy), the other
//!   `implicitDeny`.
//! * `parse_compile/6kb_policy`: [`Policy::parse`] of an identity policy just
//!   under the 6,144-character limit.
//! * `baseline/hashmap_lookup`: 20 `HashMap<String, String>` lookups, so that
//!   the numbers above can be read as a ratio against the same run.
//!
//! Every input is built once, outside the timing loops, and the expected
//! decisions are asserted before anything is measured.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

/// The allocator of the `rootward` binary, so that the figures are the ones
/// the endpoint sees. Comment it out to measure with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use rootward_policy::{
    Context, Decision, Policies, Policy, PolicyKind, PolicyType, Principal, Request, evaluate,
};

/// The caller.
const ALICE: &str = "arn:aws:iam::111111111111:user/ops/alice";

/// The request that ends `allowed`: only the last identity policy grants it.
const ALLOWED: (&str, &str) = (
    "s3:PutObject",
    "arn:aws:s3:::home-bucket/home/alice/reports/2025-06.csv",
);

/// The request that ends `implicitDeny`: no statement allows or denies it.
const IMPLICIT_DENY: (&str, &str) = ("iam:CreateUser", "arn:aws:iam::111111111111:user/ops/bob");

/// AWS's `FullAWSAccess` SCP.
const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// OU level: deny every regional action outside the approved regions.
const DENY_REGIONS: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyOutsideApprovedRegions",
      "Effect": "Deny",
      "NotAction": [
        "iam:*", "organizations:*", "route53:*", "cloudfront:*", "sts:*",
        "support:*", "budgets:*", "waf:*", "globalaccelerator:*"
      ],
      "Resource": "*",
      "Condition": {
        "StringNotEquals": { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] }
      }
    }
  ]
}"#;

/// Account level: the seed scenario's "deny long-term root" SCP (spec 05 §5.6).
const DENY_ROOT: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": {
        "ArnLike": { "aws:PrincipalArn": ["arn:aws:iam::*:root"] },
        "Null": { "aws:AssumedRoot": "true" }
      }
    }
  ]
}"#;

/// The caller's identity policies, each a list of statements (without `Sid`).
const IDENTITY: &[(&str, &[&str])] = &[
    (
        "ReadOnlyBaseline",
        &[
            r#"{"Effect":"Allow","Action":["ec2:Describe*","cloudwatch:Get*","cloudwatch:List*","logs:Describe*"],"Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":["iam:List*","iam:Get*"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
            r#"{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":["tag:GetResources","tag:GetTagKeys"],"Resource":"*"}"#,
            r#"{"Effect":"Deny","NotAction":["iam:*","sts:GetCallerIdentity"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
        ],
    ),
    (
        "CorporateGuardrails",
        &[
            r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24","2001:db8::/32"]},"Bool":{"aws:ViaAWSService":"false"}}}"#,
            r#"{"Effect":"Deny","Action":["iam:DeleteAccountPasswordPolicy","iam:UpdateAccountPasswordPolicy"],"Resource":"*"}"#,
            r#"{"Effect":"Deny","Action":["s3:DeleteBucket","s3:PutBucketPolicy"],"Resource":"arn:aws:s3:::prod-*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"platform"}}}"#,
            r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-12-31T23:59:59Z"}}}"#,
            r#"{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringNotLike":{"ec2:InstanceType":["t3.*","m6i.*"]}}}"#,
            r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"43200"}}}"#,
        ],
    ),
    (
        "PlatformS3",
        &[
            r#"{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::team-platform-*","arn:aws:s3:::team-platform-*/*"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":"platform"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::team-platform-artifacts/builds/*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}"#,
            r#"{"Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::secrets-*","arn:aws:s3:::secrets-*/*"]}"#,
            r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::home-bucket","Condition":{"StringLike":{"s3:prefix":["home/","home/${aws:username}/*"]}}}"#,
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-reports/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}"#,
            r#"{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"arn:aws:kms:us-east-1:111111111111:key/*","Condition":{"StringLike":{"kms:ViaService":"s3.*.amazonaws.com"}}}"#,
        ],
    ),
    (
        "SelfServiceCredentials",
        &[
            r#"{"Effect":"Allow","Action":["iam:ChangePassword","iam:GetUser"],"Resource":"arn:aws:iam::*:user/*/${aws:username}"}"#,
            r#"{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:ListAccessKeys","iam:UpdateAccessKey"],"Resource":"arn:aws:iam::111111111111:user/*/${aws:username}","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}"#,
            r#"{"Effect":"Allow","Action":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:ResyncMFADevice"],"Resource":["arn:aws:iam::111111111111:mfa/${aws:username}","arn:aws:iam::111111111111:user/*/${aws:username}"]}"#,
            r#"{"Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorPresent":"false"}}}"#,
            r#"{"Effect":"Allow","Action":["iam:UploadSSHPublicKey","iam:DeleteSSHPublicKey","iam:UpdateSSHPublicKey"],"Resource":"arn:aws:iam::111111111111:user/*/${aws:username}"}"#,
            r#"{"Effect":"Allow","Action":["iam:CreateServiceSpecificCredential","iam:ResetServiceSpecificCredential"],"Resource":"arn:aws:iam::111111111111:user/*/${aws:username}","Condition":{"StringEquals":{"iam:ServiceSpecificCredentialServiceName":"codecommit.amazonaws.com"}}}"#,
        ],
    ),
    (
        "Ec2Operators",
        &[
            r#"{"Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances","ec2:RebootInstances"],"Resource":"arn:aws:ec2:*:111111111111:instance/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}"#,
            r#"{"Effect":"Allow","Action":"ec2:RunInstances","Resource":["arn:aws:ec2:*:111111111111:instance/*","arn:aws:ec2:*:111111111111:volume/*","arn:aws:ec2:*::image/ami-*","arn:aws:ec2:*:111111111111:subnet/*"],"Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}"#,
            r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*:*:*/*","Condition":{"StringEquals":{"ec2:CreateAction":"RunInstances"}}}"#,
            r#"{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":["platform","sre"]}}}"#,
            r#"{"Effect":"Allow","Action":"ssm:StartSession","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8:1234::/48"]}}}"#,
            r#"{"Effect":"Allow","Action":["ec2:*Snapshot*","ec2:*Image"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"sre"}}}"#,
        ],
    ),
    (
        "LambdaDeploy",
        &[
            r#"{"Effect":"Allow","Action":["lambda:UpdateFunctionCode","lambda:PublishVersion","lambda:UpdateAlias"],"Resource":"arn:aws:lambda:us-east-1:111111111111:function:platform-*"}"#,
            r#"{"Effect":"Allow","Action":["lambda:Get*","lambda:List*"],"Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/platform-lambda-*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}"#,
            r#"{"Effect":"Deny","Action":"lambda:DeleteFunction","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:user/admins/*"}}}"#,
            r#"{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:111111111111:log-group:/aws/lambda/platform-*:*"}"#,
            r#"{"Effect":"Allow","Action":"cloudformation:*","Resource":"arn:aws:cloudformation:us-east-1:111111111111:stack/platform-*/*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["project","cost-center"]}}}"#,
        ],
    ),
    (
        "DataTeamAccess",
        &[
            r#"{"Effect":"Allow","Action":["athena:StartQueryExecution","athena:GetQuery*"],"Resource":"arn:aws:athena:*:111111111111:workgroup/analytics","Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}}"#,
            r#"{"Effect":"Allow","Action":["glue:Get*","glue:BatchGet*"],"Resource":["arn:aws:glue:us-east-1:111111111111:catalog","arn:aws:glue:us-east-1:111111111111:database/analytics*","arn:aws:glue:us-east-1:111111111111:table/analytics*/*"]}"#,
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::data-lake-*/curated/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}}"#,
            r#"{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:BatchGetItem"],"Resource":"arn:aws:dynamodb:us-east-1:111111111111:table/analytics-*","Condition":{"ForAllValues:StringLike":{"dynamodb:Attributes":["pk","sk","metric_*"]}}}"#,
            r#"{"Effect":"Deny","Action":["dynamodb:DeleteTable","dynamodb:DeleteBackup"],"Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:us-east-1:111111111111:data-*"}"#,
        ],
    ),
    (
        "SecurityGuardrails",
        &[
            r#"{"Effect":"Deny","Action":["cloudtrail:StopLogging","cloudtrail:DeleteTrail","guardduty:Delete*","config:Delete*","config:Stop*"],"Resource":"*"}"#,
            r#"{"Effect":"Deny","Action":["organizations:*","account:*"],"Resource":"*"}"#,
            r#"{"Effect":"Deny","NotAction":["iam:*","sts:*","route53:*","cloudfront:*","support:*"],"Resource":"*","Condition":{"StringNotLike":{"aws:RequestedRegion":["us-*","eu-*"]}}}"#,
            r#"{"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::*/*","Condition":{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":["aws:kms","AES256"]}}}"#,
            r#"{"Effect":"Deny","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:InstanceType":["p4d.24xlarge","x2iedn.32xlarge"]}}}"#,
            r#"{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/contractors/*"}}}"#,
        ],
    ),
    (
        "ObservabilityWrite",
        &[
            r#"{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringLike":{"cloudwatch:namespace":"Platform/*"}}}"#,
            r#"{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:111111111111:log-group:/platform/*"}"#,
            r#"{"Effect":"Allow","Action":["xray:PutTraceSegments","xray:PutTelemetryRecords"],"Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:111111111111:platform-alerts-*"}"#,
            r#"{"Effect":"Allow","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:us-east-1:111111111111:parameter/platform/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"platform"}}}"#,
            r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111111111111:secret:platform/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},"Bool":{"aws:SecureTransport":"true"}}}"#,
        ],
    ),
    (
        "HomeDirectory",
        &[
            r#"{"Effect":"Allow","Action":["s3:GetBucketLocation","s3:ListBucketVersions"],"Resource":"arn:aws:s3:::home-bucket"}"#,
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home-bucket/shared/*"}"#,
            r#"{"Effect":"Deny","Action":"s3:DeleteObject*","Resource":"arn:aws:s3:::home-bucket/home/${aws:username}/archive/*"}"#,
            r#"{"Effect":"Deny","Action":"s3:PutObject","NotResource":["arn:aws:s3:::home-bucket/home/${aws:username}/*","arn:aws:s3:::team-platform-*/*","arn:aws:s3:::data-lake-*/*"]}"#,
            r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::home-bucket","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}}"#,
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::home-bucket/home/${aws:username}/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"platform"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24","2001:db8:1234::/48"]},"Bool":{"aws:SecureTransport":"true"},"DateLessThan":{"aws:CurrentTime":"2026-12-31T23:59:59Z"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:user/*"},"ForAnyValue:StringEquals":{"aws:TagKeys":["project","cost-center"]}}}"#,
        ],
    ),
];

/// A policy document from statements, each given the `Sid` `{prefix}{n}`.
fn document(prefix: &str, statements: &[&str]) -> String {
    let body: Vec<String> = statements
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let rest = s.strip_prefix('{').expect("a statement is a JSON object");
            format!("    {{\"Sid\":\"{prefix}{n}\",{rest}")
        })
        .collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}",
        body.join(",\n")
    )
}

/// The parsed inputs of the decision benchmarks.
struct Caller {
    principal: Principal,
    context: Context,
    identity: Vec<Policy>,
    root: Vec<Policy>,
    ou: Vec<Policy>,
    account: Vec<Policy>,
}

impl Caller {
    fn new() -> Caller {
        let identity = IDENTITY
            .iter()
            .map(|(name, statements)| {
                let text = document(name, statements);
                Policy::parse(
                    format!("arn:aws:iam::111111111111:policy/{name}"),
                    &text,
                    PolicyKind::Identity,
                )
                .expect("benchmark identity policies are valid")
            })
            .collect();
        let scp = |id: &str, text: &str| {
            Policy::parse(id, text, PolicyKind::Scp).expect("benchmark SCPs are valid")
        };
        let principal = Principal::user(ALICE);
        let mut context = Context::new();
        context
            .set("aws:PrincipalTag/team", "platform")
            .set("aws:SourceIp", "203.0.113.42")
            .set("aws:SecureTransport", "true")
            .set("aws:CurrentTime", "2025-06-15T12:00:00Z")
            .set("aws:EpochTime", "1749988800")
            .set("aws:RequestedRegion", "us-east-1")
            .set("aws:MultiFactorPresent", "true")
            .set("aws:MultiFactorAuthAge", "900")
            .set("s3:x-amz-server-side-encryption", "aws:kms")
            .set_list("aws:TagKeys", ["project", "owner"]);
        let context = context.with_principal(&principal);
        Caller {
            principal,
            context,
            identity,
            root: vec![scp("p-FullAWSAccess", FULL_AWS_ACCESS)],
            ou: vec![
                scp("p-FullAWSAccess", FULL_AWS_ACCESS),
                scp("p-denyregions", DENY_REGIONS),
            ],
            account: vec![
                scp("p-FullAWSAccess", FULL_AWS_ACCESS),
                scp("p-denyroot", DENY_ROOT),
            ],
        }
    }
}

/// An identity policy of varied statements, filled up to just under the 6,144
/// non-whitespace characters identity policies may hold.
fn six_kb_policy() -> String {
    const LIMIT: usize = 6_144;
    const HEADROOM: usize = 24;
    let pool: Vec<&str> = IDENTITY
        .iter()
        .flat_map(|(_, statements)| statements.iter().copied())
        .collect();
    let size = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count();
    let mut chosen: Vec<&str> = Vec::new();
    for s in pool.iter().cycle().take(pool.len() * 2) {
        chosen.push(s);
        if size(&document("S", &chosen)) > LIMIT - HEADROOM {
            chosen.pop();
        }
    }
    document("S", &chosen)
}

/// Asserts the shape the benchmark promises: ten policies, sixty statements.
fn check_caller(caller: &Caller) {
    let statements: usize = caller.identity.iter().map(|p| p.statement_count()).sum();
    assert_eq!(caller.identity.len(), 10, "ten identity policies");
    assert_eq!(statements, 60, "sixty identity statements");
}

/// Asserts a request's decision and why, so that the benchmark cannot
/// silently measure another path through the evaluator.
fn check_decision(caller: &Caller, policies: &Policies<'_>, req: &Request<'_>, expected: Decision) {
    let eval = evaluate(req, policies);
    assert_eq!(eval.decision, expected, "{}", eval.explain());
    assert_eq!(eval.allowed_by_scps, Some(true), "{}", eval.explain());
    match expected {
        Decision::Allowed => {
            // Granted by one statement of the last identity policy only.
            let last = caller.identity.last().map(Policy::id);
            assert_eq!(eval.matched.len(), 1, "{}", eval.explain());
            assert!(
                eval.matched
                    .iter()
                    .all(|m| m.policy_type == PolicyType::IdentityBased
                        && Some(m.policy.id()) == last),
                "{}",
                eval.explain()
            );
        }
        Decision::ImplicitDeny => {
            assert_eq!(eval.denied_by, Some(PolicyType::IdentityBased));
        }
        Decision::ExplicitDeny => {}
    }
}

fn bench_decision(c: &mut Criterion) {
    let caller = Caller::new();
    check_caller(&caller);

    let identity: Vec<&Policy> = caller.identity.iter().collect();
    let root: Vec<&Policy> = caller.root.iter().collect();
    let ou: Vec<&Policy> = caller.ou.iter().collect();
    let account: Vec<&Policy> = caller.account.iter().collect();
    let levels: [&[&Policy]; 3] = [&root, &ou, &account];
    let policies = Policies {
        identity: &identity,
        scp_levels: Some(&levels),
        ..Policies::default()
    };

    let mut group = c.benchmark_group("decision");
    for (name, (action, resource), expected) in [
        ("realistic_caller/allowed", ALLOWED, Decision::Allowed),
        (
            "realistic_caller/implicit_deny",
            IMPLICIT_DENY,
            Decision::ImplicitDeny,
        ),
    ] {
        let req = Request {
            principal: &caller.principal,
            action,
            resource,
            context: &caller.context,
        };
        check_decision(&caller, &policies, &req, expected);
        group.bench_function(name, |b| {
            b.iter(|| evaluate(black_box(&req), black_box(&policies)).decision);
        });
    }
    group.finish();
}

fn bench_parse(c: &mut Criterion) {
    let text = six_kb_policy();
    let size = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(
        (5_500..=6_144).contains(&size),
        "the policy has {size} non-whitespace characters"
    );
    let parsed =
        Policy::parse("six-kb", &text, PolicyKind::Identity).expect("the 6 KB policy is valid");
    assert!(parsed.statement_count() >= 20);

    let mut group = c.benchmark_group("parse_compile");
    group.bench_function("6kb_policy", |b| {
        b.iter(|| Policy::parse("six-kb", black_box(&text), PolicyKind::Identity).is_ok());
    });
    group.finish();
}

fn bench_baseline(c: &mut Criterion) {
    let map: HashMap<String, String> = (0..20)
        .map(|i| (format!("aws:ContextKey{i:02}"), format!("value-{i}")))
        .collect();
    let keys: Vec<String> = (0..20).map(|i| format!("aws:ContextKey{i:02}")).collect();
    assert!(keys.iter().all(|k| map.contains_key(k)));

    let mut group = c.benchmark_group("baseline");
    group.bench_function("hashmap_lookup", |b| {
        b.iter(|| {
            let map = black_box(&map);
            black_box(&keys)
                .iter()
                .filter_map(|k| map.get(k.as_str()))
                .map(String::len)
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench_baseline, bench_decision, bench_parse);
criterion_main!(benches);
