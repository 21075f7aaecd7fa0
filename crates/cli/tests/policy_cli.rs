//! `rootward policy …` driven as a user would: the real binary, files on disk.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn rootward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rootward"))
        .args(args)
        .output()
        .unwrap()
}

fn example(name: &str) -> String {
    let p: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "examples",
        "policy",
        name,
    ]
    .iter()
    .collect();
    p.to_str().unwrap().to_owned()
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rootward-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

#[test]
fn simulate_prints_simulate_custom_policy_results() {
    let out = rootward(&["policy", "simulate", "--input", &example("seed-scp.json")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["EvaluationResults"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["EvalActionName"], "iam:CreateLoginProfile");
    assert_eq!(results[0]["EvalDecision"], "explicitDeny");
    assert_eq!(
        results[0]["MatchedStatements"][0]["Sid"],
        "DenyRootPasswordRecreation"
    );
    assert_eq!(results[1]["EvalDecision"], "allowed");
    assert_eq!(v["IsTruncated"], false);
}

#[test]
fn simulate_checks_sts_task_policy_arn_conditions() {
    let out = rootward(&["policy", "simulate", "--input", &example("operator.json")]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["EvaluationResults"][0]["EvalDecision"], "implicitDeny");
    let allowed = std::fs::read_to_string(example("operator.json"))
        .unwrap()
        .replace("IAMDeleteRootUserCredentials", "S3UnlockBucketPolicy");
    let out = rootward(&[
        "policy",
        "simulate",
        "--input",
        &temp_file("operator-allowed.json", &allowed),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["EvaluationResults"][0]["EvalDecision"], "allowed");
    assert_eq!(
        v["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyId"],
        "PolicyInputList.1"
    );
}

#[test]
fn simulate_refuses_malformed_input_on_stderr() {
    let bad_policy = r#"{"PolicyInputList":["{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\"}}"],"ActionNames":["s3:GetObject"]}"#;
    let out = rootward(&[
        "policy",
        "simulate",
        "--input",
        &temp_file("bad-policy.json", bad_policy),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("MalformedPolicyDocument: PolicyInputList.1"),
        "{err}"
    );
    assert!(err.contains("must contain a `Resource`"), "{err}");

    let out = rootward(&[
        "policy",
        "simulate",
        "--input",
        &temp_file(
            "typo.json",
            r#"{"PolicyInputLst":[],"ActionNames":["a:b"]}"#,
        ),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `PolicyInputLst`"));

    let out = rootward(&["policy", "simulate", "--input", "/nonexistent/request.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[test]
fn validate_prints_every_problem_or_nothing() {
    let out = rootward(&["policy", "validate", &example("bad.json")]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Statement[0].Action: action `s3GetObject`"),
        "{text}"
    );
    assert!(
        text.contains("identity policies must not specify a principal"),
        "{text}"
    );
    assert!(text.contains("line 4"), "{text}");

    let good = temp_file(
        "good.json",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:CreateLoginProfile","Resource":"*","Condition":{"Bool":{"aws:AssumedRoot":"true"}}}}"#,
    );
    for kind in ["identity", "scp", "boundary", "session"] {
        let out = rootward(&["policy", "validate", "--kind", kind, &good]);
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(out.stdout.is_empty());
    }
    let out = rootward(&["policy", "validate", "--kind", "resource", &good]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("must contain a `Principal`"));

    let out = rootward(&["policy", "validate", "--kind", "nonsense", &good]);
    assert_eq!(out.status.code(), Some(2));
}
