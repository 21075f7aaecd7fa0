use rootward_policy::{
    Context, Decision, Policies, Policy, PolicyKind, Principal, Request, evaluate,
};

pub const MEMBER: &str = "222222222222";

pub fn policy(id: &str, kind: PolicyKind, text: &str) -> Policy {
    Policy::parse(id, text, kind).unwrap_or_else(|e| panic!("{id} should parse: {e}"))
}

pub fn identity(text: &str) -> Policy {
    policy("identity", PolicyKind::Identity, text)
}

/// A statement list wrapped in a 2012-10-17 document.
pub fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

pub fn alice() -> Principal {
    Principal::user("arn:aws:iam::111111111111:user/alice")
}

/// Decides `action` on `resource` for `principal` with only identity policies.
pub fn decide_identity(
    principal: &Principal,
    policies: &[&Policy],
    action: &str,
    resource: &str,
    ctx: &Context,
) -> Decision {
    let ctx = ctx.clone().with_principal(principal);
    let req = Request {
        principal,
        action,
        resource,
        context: &ctx,
    };
    evaluate(
        &req,
        &Policies {
            identity: policies,
            ..Policies::default()
        },
    )
    .decision
}
