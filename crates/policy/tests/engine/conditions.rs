//! Every condition operator, qualifier and policy variable (spec 06 §6.6, §6.7),
//! as a table: condition block, request context, whether the condition holds.

use rootward_policy::{Context, Decision};

use crate::common::{alice, decide_identity, identity};

fn ctx(single: &[(&str, &str)], lists: &[(&str, &[&str])]) -> Context {
    let mut c = Context::new();
    for (k, v) in single {
        c.set(k, *v);
    }
    for (k, vs) in lists {
        c.set_list(k, vs.iter().copied());
    }
    c
}

/// Whether an Allow statement guarded by `condition` allows the request.
fn holds(version: &str, condition: &str, c: &Context) -> bool {
    let text = format!(
        r#"{{{version}"Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{condition}}}]}}"#
    );
    let p = identity(&text);
    decide_identity(&alice(), &[&p], "s3:GetObject", "arn:aws:s3:::b/k", c) == Decision::Allowed
}

fn check(cases: &[(&str, Context, bool)]) {
    for (condition, c, want) in cases {
        assert_eq!(
            holds(r#""Version":"2012-10-17","#, condition, c),
            *want,
            "condition {condition} with {c:?}"
        );
    }
}

#[test]
fn string_operators() {
    let team = || ctx(&[("aws:PrincipalTag/team", "Blue")], &[]);
    check(&[
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"Blue"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#,
            team(),
            false,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":["red","Blue"]}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/Team":"Blue"}}"#,
            team(),
            false,
        ),
        (
            r#"{"StringEquals":{"AWS:PRINCIPALTAG/team":"Blue"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/team":"Blue"}}"#,
            team(),
            false,
        ),
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/team":["red","green"]}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"BLUE"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"bLuE"}}"#,
            team(),
            false,
        ),
        (
            r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"red"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringLike":{"aws:PrincipalTag/team":"B*"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringLike":{"aws:PrincipalTag/team":"b*"}}"#,
            team(),
            false,
        ),
        (
            r#"{"StringLike":{"aws:PrincipalTag/team":"Bl?e"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringNotLike":{"aws:PrincipalTag/team":"R*"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringNotLike":{"aws:PrincipalTag/team":["R*","*ue"]}}"#,
            team(),
            false,
        ),
        // Absent key: positive false, negated true.
        (
            r#"{"StringEquals":{"aws:PrincipalTag/dept":"x"}}"#,
            team(),
            false,
        ),
        (
            r#"{"StringNotEquals":{"aws:PrincipalTag/dept":"x"}}"#,
            team(),
            true,
        ),
        (
            r#"{"StringNotLike":{"aws:PrincipalTag/dept":"x*"}}"#,
            team(),
            true,
        ),
        // An empty value counts as absent (spec 06 §6.3, UNCONFIRMED).
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":""}}"#,
            ctx(&[("aws:PrincipalTag/team", "")], &[]),
            false,
        ),
    ]);
}

#[test]
fn numeric_operators() {
    let n = || ctx(&[("s3:max-keys", "10")], &[]);
    check(&[
        (r#"{"NumericEquals":{"s3:max-keys":"10"}}"#, n(), true),
        (r#"{"NumericEquals":{"s3:max-keys":10.0}}"#, n(), true),
        (r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#, n(), false),
        (
            r#"{"NumericNotEquals":{"s3:max-keys":["1","2"]}}"#,
            n(),
            true,
        ),
        (r#"{"NumericLessThan":{"s3:max-keys":"11"}}"#, n(), true),
        (r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#, n(), false),
        (
            r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#,
            n(),
            true,
        ),
        (r#"{"NumericGreaterThan":{"s3:max-keys":"9.5"}}"#, n(), true),
        (r#"{"NumericGreaterThan":{"s3:max-keys":"10"}}"#, n(), false),
        (
            r#"{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}"#,
            n(),
            true,
        ),
        // Unparseable values never match.
        (r#"{"NumericEquals":{"s3:max-keys":"ten"}}"#, n(), false),
        (
            r#"{"NumericEquals":{"s3:max-keys":"10"}}"#,
            ctx(&[("s3:max-keys", "x")], &[]),
            false,
        ),
        (r#"{"NumericLessThan":{"s3:other":"10"}}"#, n(), false),
    ]);
}

#[test]
fn date_operators() {
    let now = || ctx(&[("aws:CurrentTime", "2024-11-20T12:00:00Z")], &[]);
    check(&[
        (
            r#"{"DateEquals":{"aws:CurrentTime":"2024-11-20T12:00:00Z"}}"#,
            now(),
            true,
        ),
        (
            r#"{"DateEquals":{"aws:CurrentTime":"1732104000"}}"#,
            now(),
            true,
        ),
        (
            r#"{"DateNotEquals":{"aws:CurrentTime":"2024-11-20T12:00:00Z"}}"#,
            now(),
            false,
        ),
        (
            r#"{"DateLessThan":{"aws:CurrentTime":"2024-11-21"}}"#,
            now(),
            true,
        ),
        (
            r#"{"DateLessThan":{"aws:CurrentTime":"2024-11-20"}}"#,
            now(),
            false,
        ),
        (
            r#"{"DateLessThanEquals":{"aws:CurrentTime":"2024-11-20T12:00:00+00:00"}}"#,
            now(),
            true,
        ),
        (
            r#"{"DateGreaterThan":{"aws:CurrentTime":"2024-11-20T11:59:59Z"}}"#,
            now(),
            true,
        ),
        (
            r#"{"DateGreaterThan":{"aws:CurrentTime":"2024-11-20T13:00:00+02:00"}}"#,
            now(),
            true,
        ),
        (
            r#"{"DateGreaterThanEquals":{"aws:CurrentTime":"2025-01-01T00:00:00Z"}}"#,
            now(),
            false,
        ),
        (
            r#"{"DateGreaterThan":{"aws:CurrentTime":"not a date"}}"#,
            now(),
            false,
        ),
        (
            r#"{"DateLessThan":{"aws:EpochTime":"2024-11-21"}}"#,
            ctx(&[("aws:EpochTime", "1732104000")], &[]),
            true,
        ),
    ]);
}

#[test]
fn bool_binary_ip_and_null() {
    let c = || {
        ctx(
            &[
                ("aws:SecureTransport", "true"),
                ("aws:SourceIp", "203.0.113.7"),
                ("s3:x-amz-content", "aGVsbG8="),
            ],
            &[],
        )
    };
    let v6 = || ctx(&[("aws:SourceIp", "2001:db8::1")], &[]);
    check(&[
        (r#"{"Bool":{"aws:SecureTransport":"true"}}"#, c(), true),
        (r#"{"Bool":{"aws:SecureTransport":"TRUE"}}"#, c(), true),
        (r#"{"Bool":{"aws:SecureTransport":false}}"#, c(), false),
        (
            r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#,
            c(),
            false,
        ),
        (
            r#"{"BinaryEquals":{"s3:x-amz-content":"aGVsbG8="}}"#,
            c(),
            true,
        ),
        (
            r#"{"BinaryEquals":{"s3:x-amz-content":"d29ybGQ="}}"#,
            c(),
            false,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            c(),
            true,
        ),
        (r#"{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}"#, c(), true),
        (
            r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","198.51.100.0/24"]}}"#,
            c(),
            false,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            c(),
            true,
        ),
        (
            r#"{"NotIpAddress":{"aws:SourceIp":"203.0.0.0/16"}}"#,
            c(),
            false,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#,
            v6(),
            true,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"2001:db9::/32"}}"#,
            v6(),
            false,
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            v6(),
            false,
        ),
        (r#"{"IpAddress":{"aws:SourceIp":"not-a-cidr"}}"#, c(), false),
        (r#"{"Null":{"aws:MultiFactorAuthAge":"true"}}"#, c(), true),
        (r#"{"Null":{"aws:MultiFactorAuthAge":"false"}}"#, c(), false),
        (r#"{"Null":{"aws:SourceIp":"false"}}"#, c(), true),
        (r#"{"Null":{"aws:SourceIp":"true"}}"#, c(), false),
    ]);
}

#[test]
fn arn_operators() {
    let c = || {
        ctx(
            &[(
                "aws:SourceArn",
                "arn:aws:sqs:us-east-1:222222222222:locked-queue",
            )],
            &[],
        )
    };
    check(&[
        (
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sqs:us-east-1:222222222222:locked-queue"}}"#,
            c(),
            true,
        ),
        (
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sqs:*:222222222222:*"}}"#,
            c(),
            true,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sqs:us-*:*:locked-*"}}"#,
            c(),
            true,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sqs:*"}}"#,
            c(),
            false,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sqs:us-east-1:222222222222:Locked-queue"}}"#,
            c(),
            false,
        ),
        (
            r#"{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sqs:*:333333333333:*"}}"#,
            c(),
            true,
        ),
        (
            r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:sqs:*:*:*"}}"#,
            c(),
            false,
        ),
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sqs:us-east-1:2222*:locked-queue"}}"#,
            c(),
            true,
        ),
        // A wildcard does not cross a field boundary.
        (
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sqs:us-east-1*:locked-queue"}}"#,
            c(),
            false,
        ),
    ]);
}

#[test]
fn if_exists_qualifier() {
    let present = || ctx(&[("aws:ResourceAccount", "222222222222")], &[]);
    let absent = Context::new;
    check(&[
        (
            r#"{"StringEqualsIfExists":{"aws:ResourceAccount":"222222222222"}}"#,
            present(),
            true,
        ),
        (
            r#"{"StringEqualsIfExists":{"aws:ResourceAccount":"333333333333"}}"#,
            present(),
            false,
        ),
        (
            r#"{"StringEqualsIfExists":{"aws:ResourceAccount":"333333333333"}}"#,
            absent(),
            true,
        ),
        (
            r#"{"StringNotEqualsIfExists":{"aws:ResourceAccount":"222222222222"}}"#,
            absent(),
            true,
        ),
        (
            r#"{"NumericLessThanIfExists":{"s3:max-keys":"5"}}"#,
            absent(),
            true,
        ),
        (
            r#"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            absent(),
            true,
        ),
        (
            r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}"#,
            absent(),
            true,
        ),
        (
            r#"{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sqs:*:*:*"}}"#,
            absent(),
            true,
        ),
        (
            r#"{"DateLessThanIfExists":{"aws:CurrentTime":"2020-01-01"}}"#,
            absent(),
            true,
        ),
    ]);
}

#[test]
fn set_qualifiers_on_multi_valued_keys() {
    let tags = || ctx(&[], &[("aws:TagKeys", &["env", "team"])]);
    let none = Context::new;
    let empty = || ctx(&[], &[("aws:TagKeys", &[])]);
    check(&[
        (
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["team","owner"]}}"#,
            tags(),
            true,
        ),
        (
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["owner"]}}"#,
            tags(),
            false,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team","owner"]}}"#,
            tags(),
            true,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}"#,
            tags(),
            false,
        ),
        // Absent or empty: ForAnyValue false, ForAllValues vacuously true.
        (
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}"#,
            none(),
            false,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}"#,
            none(),
            true,
        ),
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}"#,
            empty(),
            true,
        ),
        (
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}"#,
            empty(),
            false,
        ),
        // Negated inner operators apply per context value.
        (
            r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["owner"]}}"#,
            tags(),
            true,
        ),
        (
            r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["team"]}}"#,
            tags(),
            false,
        ),
        (
            r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["team"]}}"#,
            tags(),
            true,
        ),
        (
            r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["team","env"]}}"#,
            tags(),
            false,
        ),
        (
            r#"{"ForAnyValue:StringLike":{"aws:TagKeys":"te*"}}"#,
            tags(),
            true,
        ),
        // With IfExists.
        (
            r#"{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":["env"]}}"#,
            none(),
            true,
        ),
        (
            r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["env"]}}"#,
            none(),
            true,
        ),
        // No qualifier on a multi-valued key: any value matches (positive).
        (r#"{"StringEquals":{"aws:TagKeys":"team"}}"#, tags(), true),
        (
            r#"{"StringNotEquals":{"aws:TagKeys":"team"}}"#,
            tags(),
            false,
        ),
        // Pair ForAllValues with Null:false, as AWS recommends.
        (
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]},"Null":{"aws:TagKeys":"false"}}"#,
            none(),
            false,
        ),
    ]);
}

#[test]
fn and_across_operators_and_keys_or_across_values() {
    let c = || {
        ctx(
            &[
                ("aws:PrincipalTag/team", "blue"),
                ("aws:SourceIp", "10.1.2.3"),
            ],
            &[],
        )
    };
    check(&[
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":["red","blue"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            c(),
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"blue"},"IpAddress":{"aws:SourceIp":"192.168.0.0/16"}}"#,
            c(),
            false,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"blue","aws:SourceIp":"10.1.2.3"}}"#,
            c(),
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"blue","aws:SourceIp":"10.1.2.4"}}"#,
            c(),
            false,
        ),
    ]);
}

#[test]
fn policy_variables() {
    let c = || ctx(&[("aws:PrincipalTag/team", "blue")], &[]);
    check(&[
        // alice's aws:username comes from the principal.
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/team}"}}"#,
            c(),
            true,
        ),
        (
            r#"{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"}}"#,
            c(),
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/dept, 'blue'}"}}"#,
            c(),
            true,
        ),
        (
            r#"{"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/dept}"}}"#,
            c(),
            false,
        ),
        (
            r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/alice"}}"#,
            c(),
            true,
        ),
        // Escapes are literal characters, even in a Like pattern.
        (
            r#"{"StringLike":{"aws:PrincipalTag/team":"${*}"}}"#,
            c(),
            false,
        ),
        (r#"{"StringLike":{"aws:PrincipalTag/team":"*"}}"#, c(), true),
        (
            r#"{"StringEquals":{"k":"a${$}b${?}"}}"#,
            ctx(&[("k", "a$b?")], &[]),
            true,
        ),
        // Variables are not substituted in numeric operators.
        (
            r#"{"NumericEquals":{"n":"${aws:PrincipalTag/n}"}}"#,
            ctx(&[("n", "3"), ("aws:PrincipalTag/n", "3")], &[]),
            false,
        ),
    ]);
    // Without Version 2012-10-17 the text is literal.
    let lit = ctx(&[("aws:PrincipalTag/team", "${aws:username}")], &[]);
    assert!(holds(
        "",
        r#"{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}"#,
        &lit
    ));
    assert!(!holds(
        r#""Version":"2008-10-17","#,
        r#"{"StringEquals":{"aws:PrincipalTag/team":"alice"}}"#,
        &ctx(&[("aws:PrincipalTag/team", "${aws:username}")], &[])
    ));
    assert!(holds(
        r#""Version":"2012-10-17","#,
        r#"{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}"#,
        &ctx(&[("aws:PrincipalTag/team", "alice")], &[])
    ));
}

#[test]
fn variables_in_resources() {
    use crate::common::doc;
    let p = identity(&doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#,
    ));
    let c = Context::new();
    assert_eq!(
        decide_identity(
            &alice(),
            &[&p],
            "s3:GetObject",
            "arn:aws:s3:::home/alice/notes",
            &c
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide_identity(
            &alice(),
            &[&p],
            "s3:GetObject",
            "arn:aws:s3:::home/bob/notes",
            &c
        ),
        Decision::ImplicitDeny
    );
    // Roles have no aws:username: the statement cannot be resolved and does not match.
    let role = rootward_policy::Principal::role_session(
        "arn:aws:iam::111111111111:role/R",
        "arn:aws:sts::111111111111:assumed-role/R/s",
    );
    assert_eq!(
        decide_identity(
            &role,
            &[&p],
            "s3:GetObject",
            "arn:aws:s3:::home/alice/notes",
            &c
        ),
        Decision::ImplicitDeny
    );
    // An unresolvable Deny does not deny either.
    let deny = identity(&doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#,
    ));
    assert_eq!(
        decide_identity(
            &role,
            &[&deny],
            "s3:GetObject",
            "arn:aws:s3:::home/alice/x",
            &c
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide_identity(
            &alice(),
            &[&deny],
            "s3:GetObject",
            "arn:aws:s3:::home/alice/x",
            &c
        ),
        Decision::ExplicitDeny
    );
}
