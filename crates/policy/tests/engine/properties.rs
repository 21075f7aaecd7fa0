//! Invariants checked on generated inputs (proptest).

use proptest::prelude::*;
use rootward_policy::glob::Glob;
use rootward_policy::{
    Context, Decision, Policies, Policy, PolicyKind, Principal, Request, evaluate,
};

/// The obvious exponential matcher, as the reference.
fn reference(p: &[char], t: &[char]) -> bool {
    match (p.first(), t.first()) {
        (None, None) => true,
        (None, Some(_)) => false,
        (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
        (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
        (Some(c), Some(d)) => c == d && reference(&p[1..], &t[1..]),
        (Some(_), None) => false,
    }
}

fn statement() -> impl Strategy<Value = String> {
    let effect = prop_oneof![Just("Allow"), Just("Deny")];
    let action = prop_oneof![
        Just("\"*\""),
        Just("\"s3:*\""),
        Just("\"s3:Get*\""),
        Just("[\"s3:GetObject\",\"sqs:*\"]"),
        Just("\"iam:List*\""),
        Just("\"sqs:SendMessage\""),
    ];
    let not = prop_oneof![Just(""), Just("Not")];
    let resource = prop_oneof![
        Just("\"*\""),
        Just("\"arn:aws:s3:::b/*\""),
        Just("\"arn:aws:s3:::other/*\""),
        Just("\"arn:aws:sqs:*:*:*\""),
    ];
    let condition = prop_oneof![
        Just(""),
        Just(",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"blue\"}}"),
        Just(",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"),
        Just(",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"),
    ];
    (effect, not.clone(), action, not, resource, condition).prop_map(|(e, na, a, nr, r, c)| {
        format!(r#"{{"Effect":"{e}","{na}Action":{a},"{nr}Resource":{r}{c}}}"#)
    })
}

fn decide(statements: &[String], action: &str, resource: &str) -> Decision {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let p = Policy::parse("p", &text, PolicyKind::Identity).unwrap();
    let alice = Principal::user("arn:aws:iam::111111111111:user/alice");
    let mut ctx = Context::new();
    ctx.set("aws:PrincipalTag/team", "blue")
        .set("aws:SourceIp", "10.1.2.3")
        .set("aws:SecureTransport", "true");
    let ctx = ctx.with_principal(&alice);
    let ids = [&p];
    evaluate(
        &Request {
            principal: &alice,
            action,
            resource,
            context: &ctx,
        },
        &Policies {
            identity: &ids,
            ..Policies::default()
        },
    )
    .decision
}

fn request() -> impl Strategy<Value = (&'static str, &'static str)> {
    let action = prop_oneof![
        Just("s3:GetObject"),
        Just("s3:PutObject"),
        Just("sqs:SendMessage"),
        Just("iam:ListUsers")
    ];
    let resource = prop_oneof![
        Just("arn:aws:s3:::b/k"),
        Just("arn:aws:s3:::other/k"),
        Just("arn:aws:sqs:us-east-1:1:q"),
        Just("*")
    ];
    (action, resource)
}

proptest! {
    #[test]
    fn glob_agrees_with_the_reference_matcher(p in "[ab*?]{0,8}", t in "[ab]{0,10}") {
        let pc: Vec<char> = p.chars().collect();
        let tc: Vec<char> = t.chars().collect();
        prop_assert_eq!(Glob::new(&p).matches(&t), reference(&pc, &tc), "pattern {:?} text {:?}", p, t);
    }

    #[test]
    fn adding_a_deny_never_yields_allowed(
        stmts in prop::collection::vec(statement(), 1..8),
        extra in statement().prop_filter("a Deny", |s| s.contains("\"Deny\"")),
        (action, resource) in request(),
    ) {
        let before = decide(&stmts, action, resource);
        let mut more = stmts.clone();
        more.push(extra);
        let after = decide(&more, action, resource);
        if before != Decision::Allowed {
            prop_assert_ne!(after, Decision::Allowed);
        }
        if after == Decision::Allowed {
            prop_assert_eq!(before, Decision::Allowed);
        }
    }

    #[test]
    fn statement_order_does_not_matter(
        stmts in prop::collection::vec(statement(), 1..8),
        seed in any::<u64>(),
        (action, resource) in request(),
    ) {
        let mut shuffled = stmts.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = usize::try_from(s >> 33).unwrap() % (i + 1);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(decide(&stmts, action, resource), decide(&shuffled, action, resource));
    }

    #[test]
    fn parser_never_panics_on_arbitrary_text(s in ".{0,200}") {
        let _ = rootward_policy::check(&s, PolicyKind::Identity);
    }

    #[test]
    fn adding_an_allow_never_removes_access(
        stmts in prop::collection::vec(statement(), 1..8),
        extra in statement().prop_filter("an Allow", |s| s.contains("\"Allow\"")),
        (action, resource) in request(),
    ) {
        let before = decide(&stmts, action, resource);
        let mut more = stmts.clone();
        more.push(extra);
        if before == Decision::Allowed {
            prop_assert_eq!(decide(&more, action, resource), Decision::Allowed);
        }
    }
}
