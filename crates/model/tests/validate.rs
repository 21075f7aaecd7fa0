//! The validator's messages on the cases the endpoint answers by hand today
//! (`grep -rn "validation error" crates`) and the spec's live examples.
//!
//! Where the hand-written message and the model disagree, the test asserts
//! the model-driven message and says why in a comment.

use rootward_model::Value::{self, Int, List, Str, Struct};
use rootward_model::{iam, sqs, sts, validate};

fn message(members: &[rootward_model::Member], input: &[(&str, Value<'_>)]) -> String {
    match validate(members, input) {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    }
}

fn assume_root(input: &[(&str, Value<'_>)]) -> String {
    message(sts::Operation::AssumeRoot.info().input, input)
}

const TASK: &str = "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy";

fn task() -> (&'static str, Value<'static>) {
    ("TaskPolicyArn", Struct(vec![("arn", Str(TASK))]))
}

#[test]
fn assume_root_missing_members_are_two_errors_in_model_order() {
    // crates/core/src/sts.rs (problems joined with "; "), spec 02 §2.3.1.
    assert_eq!(
        assume_root(&[]),
        "2 validation errors detected: Value null at 'targetPrincipal' failed to satisfy constraint: Member must not be null; Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null"
    );
    assert_eq!(
        assume_root(&[("TargetPrincipal", Str("222222222222"))]),
        "1 validation error detected: Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn assume_root_reports_every_broken_constraint_at_once() {
    // Row 3 of spec 02 §2.3.2: validation before authorization, all
    // constraints reported (formerly checked by hand in core's sts.rs).
    assert_eq!(
        assume_root(&[("DurationSeconds", Int(901))]),
        "3 validation errors detected: Value null at 'targetPrincipal' failed to satisfy constraint: Member must not be null; Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null; Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"
    );
}

#[test]
fn assume_root_duration_bounds_match_the_live_answer() {
    // Spec 08 §8.1 [live].
    assert_eq!(
        assume_root(&[
            ("TargetPrincipal", Str("222222222222")),
            task(),
            ("DurationSeconds", Str("901"))
        ]),
        "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"
    );
    assert_eq!(
        assume_root(&[
            ("TargetPrincipal", Str("222222222222")),
            task(),
            ("DurationSeconds", Int(-1))
        ]),
        "1 validation error detected: Value '-1' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0"
    );
    assert_eq!(
        assume_root(&[
            ("TargetPrincipal", Str("222222222222")),
            task(),
            ("DurationSeconds", Str("0"))
        ]),
        "ok"
    );
}

#[test]
fn assume_root_short_target_fails_its_length() {
    assert_eq!(
        assume_root(&[("TargetPrincipal", Str("12345")), task()]),
        "1 validation error detected: Value '12345' at 'targetPrincipal' failed to satisfy constraint: Member must have length greater than or equal to 12"
    );
}

#[test]
fn assume_role_names_fail_their_patterns() {
    let op = sts::Operation::AssumeRole.info().input;
    let base = |extra: (&'static str, Value<'static>)| {
        vec![
            ("RoleArn", Str("arn:aws:iam::111111111111:role/r")),
            ("RoleSessionName", Str("s1")),
            extra,
        ]
    };
    let mut bad = base(("DurationSeconds", Int(900)));
    bad[1] = ("RoleSessionName", Str("bad name"));
    assert_eq!(
        message(op, &bad),
        "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
    );
    assert_eq!(
        message(op, &base(("SourceIdentity", Str("al ice")))),
        "1 validation error detected: Value 'al ice' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
    );
    // Model bounds of AssumeRole (the role's own maximum stays a domain check).
    assert_eq!(
        message(op, &base(("DurationSeconds", Int(899)))),
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
    );
}

#[test]
fn assume_role_tags_count_and_nested_paths() {
    let op = sts::Operation::AssumeRole.info().input;
    let tag = || Struct(vec![("Key", Str("k")), ("Value", Str("v"))]);
    let input = vec![
        ("RoleArn", Str("arn:aws:iam::111111111111:role/r")),
        ("RoleSessionName", Str("s1")),
        ("Tags", List((0..51).map(|_| tag()).collect())),
    ];
    // crates/core/src/sts.rs: a list of structures is not quoted.
    assert_eq!(
        message(op, &input),
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
    );
    let input = vec![
        ("RoleArn", Str("arn:aws:iam::111111111111:role/r")),
        ("RoleSessionName", Str("s1")),
        (
            "Tags",
            List(vec![
                tag(),
                Struct(vec![("Key", Str("semi;colon")), ("Value", Str("v"))]),
            ]),
        ),
    ];
    // IAM's live answer names `tags.6.member.value` this way.
    assert_eq!(
        message(op, &input),
        "1 validation error detected: Value 'semi;colon' at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"
    );
    // PolicyArns has no count in the model: more than ten stays a domain
    // check (crates/core/src/sts.rs adds "(N given)").
    let arns = List((0..11).map(|_| Struct(vec![("arn", Str(TASK))])).collect());
    let input = vec![
        ("RoleArn", Str("arn:aws:iam::111111111111:role/r")),
        ("RoleSessionName", Str("s1")),
        ("PolicyArns", arns),
    ];
    assert_eq!(message(op, &input), "ok");
}

#[test]
fn iam_names_and_paths_fail_their_patterns() {
    let op = iam::Operation::CreateUser.info().input;
    assert_eq!(
        message(op, &[("UserName", Str("bad name!"))]),
        "1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    );
    assert_eq!(
        message(op, &[("UserName", Str("bob")), ("Path", Str("nope"))]),
        "1 validation error detected: Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"
    );
    assert_eq!(
        message(op, &[("UserName", Str("bob")), ("Path", Str("/a/b/"))]),
        "ok"
    );
}

#[test]
fn missing_required_list_is_null() {
    // crates/server/src/services/iam/simulate.rs.
    let op = iam::Operation::SimulateCustomPolicy.info().input;
    assert_eq!(
        message(op, &[("PolicyInputList", List(vec![Str("{}")]))]),
        "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn text_that_is_not_a_number_or_boolean() {
    // crates/server/src/protocol/query.rs.
    let op = iam::Operation::ListUsers.info().input;
    assert_eq!(
        message(op, &[("MaxItems", Str("abc"))]),
        "1 validation error detected: Value 'abc' at 'maxItems' failed to satisfy constraint: Member must be a number"
    );
    let op = iam::Operation::CreateLoginProfile.info().input;
    assert_eq!(
        message(op, &[("PasswordResetRequired", Str("yes"))]),
        "1 validation error detected: Value 'yes' at 'passwordResetRequired' failed to satisfy constraint: Member must be a boolean"
    );
}

#[test]
fn enums_list_the_model_values() {
    // crates/server/src/services/iam/mfa.rs: same text.
    let op = iam::Operation::ListVirtualMFADevices.info().input;
    assert_eq!(
        message(op, &[("AssignmentStatus", Str("Some"))]),
        "1 validation error detected: Value 'Some' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]"
    );
    // crates/server/src/services/iam/managed.rs (generic over the member).
    let op = iam::Operation::ListPolicies.info().input;
    assert_eq!(
        message(op, &[("Scope", Str("Mine"))]),
        "1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"
    );
    // access_keys.rs and signing_certificates.rs write `[Active, Inactive]`;
    // the pinned model's statusType also has `Expired`.
    let op = iam::Operation::UpdateAccessKey.info().input;
    assert_eq!(
        message(
            op,
            &[
                ("AccessKeyId", Str("AKIAIOSFODNN7EXAMPLE")),
                ("Status", Str("Off"))
            ]
        ),
        "1 validation error detected: Value 'Off' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"
    );
}

/// Messages the hand-written code words differently: each bound is its own
/// Coral constraint (`greater than or equal to`, `less than or equal to`, as
/// the live `durationSeconds` answer), never `between … and …`.
#[test]
fn bounds_are_separate_constraints_not_between() {
    // iam/mod.rs paginate: "Member must have value between 1 and 1000".
    let op = iam::Operation::ListUsers.info().input;
    assert_eq!(
        message(op, &[("MaxItems", Int(0))]),
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    assert_eq!(
        message(op, &[("MaxItems", Str("1001"))]),
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"
    );
    // iam/roles.rs: "Member must have value between 3600 and 43200".
    let op = iam::Operation::CreateRole.info().input;
    fn role<'a>(extra: (&'a str, Value<'a>)) -> Vec<(&'a str, Value<'a>)> {
        vec![
            ("RoleName", Str("r")),
            ("AssumeRolePolicyDocument", Str("{}")),
            extra,
        ]
    }
    assert_eq!(
        message(op, &role(("MaxSessionDuration", Int(100)))),
        "1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"
    );
    // iam/roles.rs and managed.rs leave the description out; Coral quotes
    // values that are not sensitive.
    let long = "d".repeat(1001);
    let m = message(op, &role(("Description", Str(&long))));
    assert_eq!(
        m,
        format!(
            "1 validation error detected: Value '{long}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000"
        )
    );
}

#[test]
fn sensitive_values_are_never_quoted() {
    // login_profiles.rs: "Member must have length between 1 and 128"; the
    // model's passwordType is sensitive, and an empty password fails both
    // its length and its pattern (as AWS's Cognito answer lists both).
    let op = iam::Operation::CreateLoginProfile.info().input;
    assert_eq!(
        message(op, &[("Password", Str(""))]),
        "2 validation errors detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
    );
    let long = "p".repeat(129);
    let m = message(op, &[("Password", Str(&long))]);
    assert!(!m.contains(&long));
    assert_eq!(
        m,
        "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128"
    );
}

#[test]
fn mfa_codes_fail_length_and_pattern_separately() {
    // mfa.rs: "Member must have length 6 and satisfy regular expression
    // pattern: [\d]+" in one; the model has min 6, max 6 and the pattern.
    let op = iam::Operation::EnableMFADevice.info().input;
    let input = |code1: &'static str| {
        vec![
            ("UserName", Str("bob")),
            ("SerialNumber", Str("arn:aws:iam::111111111111:mfa/bob")),
            ("AuthenticationCode1", Str(code1)),
            ("AuthenticationCode2", Str("654321")),
        ]
    };
    assert_eq!(
        message(op, &input("12345")),
        "1 validation error detected: Value '12345' at 'authenticationCode1' failed to satisfy constraint: Member must have length greater than or equal to 6"
    );
    assert_eq!(
        message(op, &input("12a456")),
        "1 validation error detected: Value '12a456' at 'authenticationCode1' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]+"
    );
    assert_eq!(message(op, &input("123456")), "ok");
}

#[test]
fn certificate_body_over_the_limit_is_quoted() {
    // signing_certificates.rs: "Value at 'certificateBody' … between 1 and 16384".
    let op = iam::Operation::UploadSigningCertificate.info().input;
    let body = "c".repeat(16385);
    let m = message(op, &[("CertificateBody", Str(&body))]);
    assert!(m.ends_with(
        "at 'certificateBody' failed to satisfy constraint: Member must have length less than or equal to 16384"
    ));
    assert!(m.starts_with("1 validation error detected: Value 'ccc"));
}

#[test]
fn scalar_lists_and_maps_fail_at_the_collection() {
    // SQS attribute names: a map keyed by an enum [UNCONFIRMED wording].
    let op = sqs::Operation::CreateQueue.info().input;
    let m = message(
        op,
        &[
            ("QueueName", Str("q")),
            ("Attributes", Value::Map(vec![("Bogus", Str("1"))])),
        ],
    );
    assert!(
        m.starts_with("1 validation error detected: Value '{Bogus=1}' at 'attributes' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [All, Policy, "),
        "{m}"
    );
}

#[test]
fn violations_name_the_kind_of_constraint_broken() {
    use rootward_model::Constraint;
    let kinds = |members: &[rootward_model::Member], input: &[(&str, Value<'_>)]| {
        validate(members, input)
            .unwrap_err()
            .0
            .iter()
            .map(|v| v.kind())
            .collect::<Vec<_>>()
    };
    let op = sts::Operation::AssumeRoot.info().input;
    assert_eq!(kinds(op, &[]), [Constraint::Required, Constraint::Required]);
    assert_eq!(
        kinds(
            op,
            &[
                ("TargetPrincipal", Str("12345")),
                task(),
                ("DurationSeconds", Str("901"))
            ]
        ),
        [Constraint::MinLength, Constraint::MaxValue]
    );
    let op = iam::Operation::CreateUser.info().input;
    assert_eq!(
        kinds(op, &[("UserName", Str("bad name!"))]),
        [Constraint::Pattern]
    );
    let op = iam::Operation::ListUsers.info().input;
    assert_eq!(kinds(op, &[("MaxItems", Str("x"))]), [Constraint::Type]);
    assert_eq!(kinds(op, &[("MaxItems", Int(0))]), [Constraint::MinValue]);
    let op = iam::Operation::ListPolicies.info().input;
    assert_eq!(kinds(op, &[("Scope", Str("Mine"))]), [Constraint::Enum]);
    let op = iam::Operation::CreateRole.info().input;
    let long = "d".repeat(1001);
    assert_eq!(
        kinds(
            op,
            &[
                ("RoleName", Str("r")),
                ("AssumeRolePolicyDocument", Str("{}")),
                ("Description", Str(&long))
            ]
        ),
        [Constraint::MaxLength]
    );
    let op = sqs::Operation::CreateQueue.info().input;
    assert_eq!(
        kinds(
            op,
            &[
                ("QueueName", Str("q")),
                ("Attributes", Value::Map(vec![("Bogus", Str("1"))]))
            ]
        ),
        [Constraint::Entries]
    );
}
