//! Fuzzes the whole document pipeline: JSON → document → validation for every
//! policy kind → compilation, and, for documents that compile as identity
//! policies, one evaluation (so compiled patterns, variables and condition
//! operators run against real request values). Nothing here may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rootward_policy::{Context, Policies, Policy, PolicyKind, Principal, Request, check, evaluate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    for kind in PolicyKind::ALL {
        let _ = check(text, kind);
    }

    let Ok(policy) = Policy::parse("fuzz", text, PolicyKind::Identity) else {
        return;
    };

    let principal = Principal::user("arn:aws:iam::111111111111:user/ops/alice");
    let mut context = Context::new();
    context
        .set("aws:SourceIp", "203.0.113.7")
        .set("aws:CurrentTime", "2024-06-01T12:00:00Z")
        .set("aws:EpochTime", "1717243200")
        .set("aws:SecureTransport", "true")
        .set("aws:MultiFactorAuthPresent", "false")
        .set("aws:MultiFactorAuthAge", "3600")
        .set("aws:PrincipalTag/team", "storage")
        .set("aws:RequestedRegion", "us-east-1")
        .set("s3:prefix", "home/alice/")
        .set_list("aws:TagKeys", ["team", "env"]);
    let context = context.with_principal(&principal);
    let request = Request {
        principal: &principal,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/k",
        context: &context,
    };
    let identity = [&policy];
    let policies = Policies {
        identity: &identity,
        ..Policies::default()
    };
    let evaluation = evaluate(&request, &policies);
    let _ = evaluation.is_allowed();
    let _ = evaluation.denial_message(&request);
    let _ = evaluation.explain();
});
