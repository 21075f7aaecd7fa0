//! The evaluation order of spec 06 §6.4–6.5 and the worked decisions of §6.10.

use rootward_policy::managed::{FULL_AWS_ACCESS, task_policy};
use rootward_policy::{
    Context, Decision, Evaluation, Policies, Policy, PolicyKind, PolicyType, Principal, Request,
    evaluate,
};

use crate::common::{MEMBER, alice, doc, identity, policy};

const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const DENY_ALL_BUCKET: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::locked-bucket","arn:aws:s3:::locked-bucket/*"]}]}"#;
const SCP_DENY_ROOT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":["arn:aws:iam::*:root"]},"Null":{"aws:AssumedRoot":"true"}}}]}"#;

fn task(name: &str) -> Policy {
    let t = task_policy(&format!("arn:aws:iam::aws:policy/root-task/{name}")).unwrap();
    policy(t.arn, PolicyKind::Session, t.document)
}

fn eval<'a>(
    principal: &Principal,
    action: &str,
    resource: &str,
    policies: &Policies<'a>,
) -> Evaluation<'a> {
    let ctx = Context::new().with_principal(principal);
    let req = Request {
        principal,
        action,
        resource,
        context: &ctx,
    };
    evaluate(&req, policies)
}

fn full() -> Policy {
    policy("FullAWSAccess", PolicyKind::Scp, FULL_AWS_ACCESS)
}

#[test]
fn row1_admin_role_is_denied_by_the_deny_all_bucket_policy() {
    let admin = identity(ADMIN);
    let bucket = policy("bucket", PolicyKind::Resource, DENY_ALL_BUCKET);
    let fa = full();
    let lvl: &[&Policy] = &[&fa];
    let levels = [lvl, lvl, lvl];
    let role = Principal::role_session(
        "arn:aws:iam::222222222222:role/Admin",
        "arn:aws:sts::222222222222:assumed-role/Admin/ops",
    );
    let ids = [&admin];
    let e = eval(
        &role,
        "s3:GetBucketPolicy",
        "arn:aws:s3:::locked-bucket",
        &Policies {
            identity: &ids,
            resource: Some(&bucket),
            resource_owner: Some(MEMBER),
            scp_levels: Some(&levels),
            ..Policies::default()
        },
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.denied_by, Some(PolicyType::ResourceBased));
    assert_eq!(e.matched.len(), 1);
    assert_eq!(e.matched[0].sid(), Some("DenyAll"));
}

/// Rows 2, 3 and 8: an S3UnlockBucketPolicy session on the member.
#[test]
fn rows_2_3_8_unlock_session_deletes_the_policy_and_nothing_else() {
    let bucket = policy("bucket", PolicyKind::Resource, DENY_ALL_BUCKET);
    let unlock = task("S3UnlockBucketPolicy");
    let fa = full();
    let deny_root = policy("deny-root", PolicyKind::Scp, SCP_DENY_ROOT);
    let root_lvl: &[&Policy] = &[&fa];
    let ou_lvl: &[&Policy] = &[&fa, &deny_root];
    let levels = [root_lvl, ou_lvl, root_lvl];
    let session = Principal::assumed_root(MEMBER);
    let policies = |skip| Policies {
        resource: Some(&bucket),
        resource_owner: Some(MEMBER),
        task_policy: Some(&unlock),
        scp_levels: Some(&levels),
        skip_resource_policy_denies: skip,
        require_resource_grant: false,
        ..Policies::default()
    };
    // Row 2 (+ row 8: the deny-root SCP does not catch AssumeRoot sessions).
    let e = eval(
        &session,
        "s3:DeleteBucketPolicy",
        "arn:aws:s3:::locked-bucket",
        &policies(true),
    );
    assert_eq!(e.decision, Decision::Allowed, "{}", e.explain());
    // Without the owner-root exception the bucket policy's Deny would win.
    let e = eval(
        &session,
        "s3:DeleteBucketPolicy",
        "arn:aws:s3:::locked-bucket",
        &policies(false),
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
    // Row 3: any other action is denied by the task policy's first statement.
    let e = eval(
        &session,
        "s3:GetObject",
        "arn:aws:s3:::locked-bucket/k",
        &policies(true),
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.denied_by, Some(PolicyType::Session));
    assert_eq!(e.matched[0].sid(), Some("DenyAllOtherActionsOnAnyResource"));
}

/// Rows 4, 5, 6: an IAMAuditRootUserCredentials session.
#[test]
fn rows_4_5_6_audit_session() {
    let audit = task("IAMAuditRootUserCredentials");
    let session = Principal::assumed_root(MEMBER);
    let policies = Policies {
        task_policy: Some(&audit),
        ..Policies::default()
    };
    let root_arn = format!("arn:aws:iam::{MEMBER}:root");
    assert_eq!(
        eval(&session, "iam:ListAccessKeys", &root_arn, &policies).decision,
        Decision::Allowed
    );
    let e = eval(
        &session,
        "iam:ListAccessKeys",
        "arn:aws:iam::222222222222:user/bob",
        &policies,
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(
        e.matched[0].sid(),
        Some("DenyAuditingCredentialsOnNonRootUserResource")
    );
    let e = eval(&session, "iam:DeleteAccessKey", &root_arn, &policies);
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.matched[0].sid(), Some("DenyAllOtherActionsOnAnyResource"));
}

/// Row 7 and 8: the SCP that blocks long-term root but lets root sessions through.
#[test]
fn row7_long_term_root_is_denied_by_the_scp_but_a_root_session_is_not() {
    let fa = full();
    let deny_root = policy("deny-root", PolicyKind::Scp, SCP_DENY_ROOT);
    let lvl: &[&Policy] = &[&fa];
    let ou: &[&Policy] = &[&fa, &deny_root];
    let levels = [lvl, ou, lvl];
    let p = Policies {
        scp_levels: Some(&levels),
        ..Policies::default()
    };
    let e = eval(
        &Principal::root(MEMBER),
        "s3:DeleteBucketPolicy",
        "arn:aws:s3:::locked-bucket",
        &p,
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.denied_by, Some(PolicyType::ServiceControl));
    let e = eval(
        &Principal::assumed_root(MEMBER),
        "s3:DeleteBucketPolicy",
        "arn:aws:s3:::locked-bucket",
        &p,
    );
    assert_eq!(e.decision, Decision::Allowed);
    // A forged aws:AssumedRoot in the request context changes nothing.
    let root = Principal::root(MEMBER);
    let mut forged = Context::new();
    forged.set("aws:AssumedRoot", "true");
    let ctx = forged.with_principal(&root);
    let req = Request {
        principal: &root,
        action: "s3:GetObject",
        resource: "*",
        context: &ctx,
    };
    assert_eq!(evaluate(&req, &p).decision, Decision::ExplicitDeny);
}

#[test]
fn row9_task_policy_arn_condition_limits_the_caller() {
    let caller = identity(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRoot","Resource":"arn:aws:iam::*:root","Condition":{"ArnEquals":{"sts:TaskPolicyArn":"arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}}}}"#,
    );
    let alice = Principal::user("arn:aws:iam::111111111111:user/alice");
    let run = |task: &str| {
        let mut c = Context::new();
        c.set(
            "sts:TaskPolicyArn",
            format!("arn:aws:iam::aws:policy/root-task/{task}"),
        );
        let c = c.with_principal(&alice);
        let req = Request {
            principal: &alice,
            action: "sts:AssumeRoot",
            resource: "arn:aws:iam::222222222222:root",
            context: &c,
        };
        let ids = [&caller];
        let e = evaluate(
            &req,
            &Policies {
                identity: &ids,
                ..Policies::default()
            },
        );
        (e.decision, e.denial_message(&req))
    };
    assert_eq!(run("IAMAuditRootUserCredentials").0, Decision::Allowed);
    let (d, msg) = run("S3UnlockBucketPolicy");
    assert_eq!(d, Decision::ImplicitDeny);
    assert_eq!(
        msg.unwrap(),
        "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::222222222222:root because no identity-based policy allows the sts:AssumeRoot action"
    );
}

#[test]
fn explicit_deny_beats_any_allow() {
    let allow = identity(ADMIN);
    let deny = identity(&doc(
        r#"{"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}"#,
    ));
    let p = [&allow, &deny];
    let e = eval(
        &alice(),
        "s3:DeleteObject",
        "arn:aws:s3:::b/k",
        &Policies {
            identity: &p,
            ..Policies::default()
        },
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(
        e.denial_message(&Request {
            principal: &alice(),
            action: "s3:DeleteObject",
            resource: "arn:aws:s3:::b/k",
            context: &Context::new()
        })
        .unwrap(),
        "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: s3:DeleteObject on resource: arn:aws:s3:::b/k with an explicit deny in an identity-based policy"
    );
    let e = eval(
        &alice(),
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &Policies {
            identity: &p,
            ..Policies::default()
        },
    );
    assert_eq!(e.decision, Decision::Allowed);
    assert_eq!(e.matched.len(), 1);
}

#[test]
fn actions_match_case_insensitively_and_resources_case_sensitively() {
    let p = identity(&doc(
        r#"{"Effect":"Allow","Action":"S3:getobj*","Resource":"arn:aws:s3:::Bucket/*"}"#,
    ));
    let ids = [&p];
    let pol = Policies {
        identity: &ids,
        ..Policies::default()
    };
    assert_eq!(
        eval(&alice(), "s3:GetObject", "arn:aws:s3:::Bucket/k", &pol).decision,
        Decision::Allowed
    );
    assert_eq!(
        eval(&alice(), "s3:GetObject", "arn:aws:s3:::bucket/k", &pol).decision,
        Decision::ImplicitDeny
    );
    // Resource `*` in a policy covers actions without a resource type; an ARN pattern does not.
    assert_eq!(
        eval(&alice(), "s3:GetObject", "*", &pol).decision,
        Decision::ImplicitDeny
    );
}

#[test]
fn not_action_and_not_resource() {
    let p = identity(&doc(
        r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::public/*"}"#,
    ));
    let ids = [&p];
    let pol = Policies {
        identity: &ids,
        ..Policies::default()
    };
    assert_eq!(
        eval(&alice(), "iam:ListUsers", "*", &pol).decision,
        Decision::ImplicitDeny
    );
    assert_eq!(
        eval(&alice(), "s3:GetObject", "arn:aws:s3:::public/x", &pol).decision,
        Decision::Allowed
    );
    assert_eq!(
        eval(&alice(), "s3:GetObject", "arn:aws:s3:::private/x", &pol).decision,
        Decision::ExplicitDeny
    );
    assert_eq!(
        eval(&alice(), "sqs:ListQueues", "*", &pol).decision,
        Decision::Allowed
    );
}

#[test]
fn scps_need_an_allow_at_every_level_and_spare_the_management_account() {
    let fa = full();
    let only_s3 = policy(
        "only-s3",
        PolicyKind::Scp,
        &doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#),
    );
    let admin = identity(ADMIN);
    let ids = [&admin];
    let root: &[&Policy] = &[&fa];
    let ou: &[&Policy] = &[&only_s3];
    let empty: &[&Policy] = &[];
    let levels = [root, ou, root];
    let member = Principal::user("arn:aws:iam::222222222222:user/ops");
    let pol = Policies {
        identity: &ids,
        scp_levels: Some(&levels),
        ..Policies::default()
    };
    assert_eq!(
        eval(&member, "s3:GetObject", "arn:aws:s3:::b/k", &pol).decision,
        Decision::Allowed
    );
    let e = eval(
        &member,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:222222222222:q",
        &pol,
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.denied_by, Some(PolicyType::ServiceControl));
    assert_eq!(e.allowed_by_scps, Some(false));
    // A level with no SCP at all allows nothing.
    let levels = [root, empty, root];
    let pol = Policies {
        identity: &ids,
        scp_levels: Some(&levels),
        ..Policies::default()
    };
    assert_eq!(
        eval(&member, "s3:GetObject", "arn:aws:s3:::b/k", &pol).decision,
        Decision::ImplicitDeny
    );
    // The management account: the caller passes no SCP levels.
    let pol = Policies {
        identity: &ids,
        scp_levels: None,
        ..Policies::default()
    };
    assert_eq!(
        eval(&member, "sqs:SendMessage", "*", &pol).decision,
        Decision::Allowed
    );
    // SCPs never grant: without identity policies nothing is allowed.
    let levels = [root, root, root];
    let pol = Policies {
        scp_levels: Some(&levels),
        ..Policies::default()
    };
    assert_eq!(
        eval(&member, "s3:GetObject", "*", &pol).decision,
        Decision::ImplicitDeny
    );
}

#[test]
fn same_account_and_cross_account_resource_policies() {
    let owner = "222222222222";
    let grant = |principal: &str| {
        policy(
            "bucket",
            PolicyKind::Resource,
            &doc(&format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
            )),
        )
    };
    let same_user = Principal::user("arn:aws:iam::222222222222:user/bob");
    let other_user = Principal::user("arn:aws:iam::333333333333:user/carol");
    let allow = identity(ADMIN);
    let with = |rp: &Policy, ids: &[&Policy], p: &Principal| {
        eval(
            p,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            &Policies {
                identity: ids,
                resource: Some(rp),
                resource_owner: Some(owner),
                ..Policies::default()
            },
        )
        .decision
    };
    let by_user = grant("arn:aws:iam::222222222222:user/bob");
    let by_account = grant(owner);
    let by_other_account = grant("arn:aws:iam::333333333333:root");
    // Same account: a grant to the user ARN is enough on its own.
    assert_eq!(with(&by_user, &[], &same_user), Decision::Allowed);
    // ... a grant to the account is not.
    assert_eq!(with(&by_account, &[], &same_user), Decision::ImplicitDeny);
    assert_eq!(with(&by_account, &[&allow], &same_user), Decision::Allowed);
    // Cross account: both the resource policy and the identity policy must allow.
    assert_eq!(
        with(&by_other_account, &[], &other_user),
        Decision::ImplicitDeny
    );
    assert_eq!(
        with(&by_other_account, &[&allow], &other_user),
        Decision::Allowed
    );
    let ids = [&allow];
    let e = eval(
        &other_user,
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &Policies {
            identity: &ids,
            resource_owner: Some(owner),
            ..Policies::default()
        },
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.denied_by, Some(PolicyType::ResourceBased));
    // A role grant covers every session of the role; a session grant only that session.
    let role_grant = grant("arn:aws:iam::222222222222:role/R");
    let s1 = Principal::role_session(
        "arn:aws:iam::222222222222:role/R",
        "arn:aws:sts::222222222222:assumed-role/R/one",
    );
    assert_eq!(with(&role_grant, &[], &s1), Decision::Allowed);
    let session_grant = grant("arn:aws:sts::222222222222:assumed-role/R/two");
    assert_eq!(with(&session_grant, &[], &s1), Decision::ImplicitDeny);
    // Anonymous callers only get what `*` grants.
    let public = policy(
        "bucket",
        PolicyKind::Resource,
        &doc(
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
        ),
    );
    assert_eq!(
        with(&public, &[], &Principal::anonymous()),
        Decision::Allowed
    );
    assert_eq!(
        with(&by_account, &[], &Principal::anonymous()),
        Decision::ImplicitDeny
    );
    // NotPrincipal in a Deny spares only the named principal.
    let not_bob = policy(
        "bucket",
        PolicyKind::Resource,
        &doc(
            r#"{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::222222222222:user/bob"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}"#,
        ),
    );
    assert_eq!(with(&not_bob, &[&allow], &same_user), Decision::Allowed);
    let eve = Principal::user("arn:aws:iam::222222222222:user/eve");
    assert_eq!(with(&not_bob, &[&allow], &eve), Decision::ExplicitDeny);
}

#[test]
fn boundaries_and_session_policies_cap_identity_grants() {
    let admin = identity(ADMIN);
    let ids = [&admin];
    let boundary = policy(
        "boundary",
        PolicyKind::Boundary,
        &doc(r#"{"Effect":"Allow","Action":["s3:*","sqs:*"],"Resource":"*"}"#),
    );
    let session = policy(
        "session",
        PolicyKind::Session,
        &doc(r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#),
    );
    let bob = Principal::user("arn:aws:iam::222222222222:user/bob");
    let pol = Policies {
        identity: &ids,
        permissions_boundary: Some(&boundary),
        ..Policies::default()
    };
    assert_eq!(
        eval(&bob, "s3:PutObject", "*", &pol).decision,
        Decision::Allowed
    );
    let e = eval(&bob, "iam:CreateUser", "*", &pol);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.denied_by, Some(PolicyType::PermissionsBoundary));
    assert_eq!(e.allowed_by_boundary, Some(false));
    let sessions = [&session];
    let pol = Policies {
        identity: &ids,
        permissions_boundary: Some(&boundary),
        session: &sessions,
        ..Policies::default()
    };
    assert_eq!(
        eval(&bob, "s3:GetObject", "*", &pol).decision,
        Decision::Allowed
    );
    let e = eval(&bob, "s3:PutObject", "*", &pol);
    assert_eq!(
        (e.decision, e.denied_by),
        (Decision::ImplicitDeny, Some(PolicyType::Session))
    );
    // A same-account resource policy naming the user is limited by neither.
    let rp = policy(
        "bucket",
        PolicyKind::Resource,
        &doc(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:user/bob"},"Action":"iam:CreateUser","Resource":"*"}"#,
        ),
    );
    let pol = Policies {
        identity: &ids,
        permissions_boundary: Some(&boundary),
        resource: Some(&rp),
        resource_owner: Some("222222222222"),
        ..Policies::default()
    };
    assert_eq!(
        eval(&bob, "iam:CreateUser", "*", &pol).decision,
        Decision::Allowed
    );
}

#[test]
fn root_user_holds_its_own_accounts_rights_only() {
    let root = Principal::root(MEMBER);
    assert_eq!(
        eval(
            &root,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            &Policies {
                resource_owner: Some(MEMBER),
                ..Policies::default()
            }
        )
        .decision,
        Decision::Allowed
    );
    assert_eq!(
        eval(
            &root,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            &Policies {
                resource_owner: Some("333333333333"),
                ..Policies::default()
            }
        )
        .decision,
        Decision::ImplicitDeny
    );
    // Resource-policy denies still apply to root.
    let bucket = policy("bucket", PolicyKind::Resource, DENY_ALL_BUCKET);
    let e = eval(
        &root,
        "s3:GetObject",
        "arn:aws:s3:::locked-bucket/k",
        &Policies {
            resource: Some(&bucket),
            resource_owner: Some(MEMBER),
            ..Policies::default()
        },
    );
    assert_eq!(e.decision, Decision::ExplicitDeny);
}

#[test]
fn explanation_names_the_deciding_statements() {
    let a = policy(
        "arn:aws:iam::111111111111:policy/A",
        PolicyKind::Identity,
        &doc(r#"{"Sid":"ReadAll","Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#),
    );
    let b = policy(
        "arn:aws:iam::111111111111:policy/B",
        PolicyKind::Identity,
        &doc(
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"NoSecret","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret/*"}"#,
        ),
    );
    let ids = [&a, &b];
    let pol = Policies {
        identity: &ids,
        ..Policies::default()
    };
    let e = eval(&alice(), "s3:GetObject", "arn:aws:s3:::public/k", &pol);
    let names: Vec<String> = e
        .matched
        .iter()
        .map(|m| format!("{}#{}", m.policy.id(), m.index))
        .collect();
    assert_eq!(
        names,
        [
            "arn:aws:iam::111111111111:policy/A#0",
            "arn:aws:iam::111111111111:policy/B#0"
        ]
    );
    let text = e.explain();
    assert!(text.starts_with("allowed"), "{text}");
    assert!(text.contains("(`ReadAll`)"), "{text}");
    let e = eval(&alice(), "s3:GetObject", "arn:aws:s3:::secret/k", &pol);
    assert_eq!(e.matched.len(), 1);
    assert_eq!(e.matched[0].sid(), Some("NoSecret"));
    assert!(e.explain().contains("denied by identity-based policy `arn:aws:iam::111111111111:policy/B` statement 1 (`NoSecret`)"));
    let e = eval(&alice(), "sqs:ListQueues", "*", &pol);
    assert!(e.matched.is_empty());
    assert_eq!(
        e.explain(),
        "implicitDeny: no identity-based policy allows it"
    );
}

#[test]
fn trust_policies_name_who_may_assume_a_role() {
    let trust = policy(
        "trust",
        PolicyKind::Trust,
        &doc(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}"#,
        ),
    );
    let ma_admin = Principal::user("arn:aws:iam::111111111111:user/admin");
    let allow = identity(ADMIN);
    let run = |p: &Principal, ids: &[&Policy]| {
        eval(
            p,
            "sts:AssumeRole",
            "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
            &Policies {
                identity: ids,
                resource: Some(&trust),
                resource_owner: Some(MEMBER),
                ..Policies::default()
            },
        )
        .decision
    };
    assert_eq!(run(&ma_admin, &[&allow]), Decision::Allowed);
    assert_eq!(run(&ma_admin, &[]), Decision::ImplicitDeny);
    assert_eq!(
        run(
            &Principal::user("arn:aws:iam::333333333333:user/x"),
            &[&allow]
        ),
        Decision::ImplicitDeny
    );
}
