//! `SimulateCustomPolicy` semantics on the engine.

use rootward_policy::simulate::{
    ContextEntry, SimulateCustomPolicyRequest, SimulateError, simulate_custom_policy,
};

fn req(policies: &[&str], actions: &[&str], resources: &[&str]) -> SimulateCustomPolicyRequest {
    SimulateCustomPolicyRequest {
        policy_input_list: policies.iter().map(|s| (*s).to_owned()).collect(),
        action_names: actions.iter().map(|s| (*s).to_owned()).collect(),
        resource_arns: resources.iter().map(|s| (*s).to_owned()).collect(),
        ..SimulateCustomPolicyRequest::default()
    }
}

#[test]
fn results_per_action_and_resource_with_statement_positions() {
    let policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"}\n  ]\n}";
    let out = simulate_custom_policy(&req(
        &[policy],
        &["s3:GetObject", "s3:PutObject"],
        &["arn:aws:s3:::b/k"],
    ))
    .unwrap();
    assert_eq!(out.evaluation_results.len(), 2);
    let r = &out.evaluation_results[0];
    assert_eq!(
        (r.eval_action_name.as_str(), r.eval_decision.as_str()),
        ("s3:GetObject", "allowed")
    );
    let m = &r.matched_statements[0];
    assert_eq!(m.source_policy_id, "PolicyInputList.1");
    assert_eq!((m.start_position.line, m.start_position.column), (4, 5));
    assert_eq!((m.end_position.line, m.end_position.column), (4, 77));
    assert_eq!(m.sid.as_deref(), Some("Read"));
    assert_eq!(out.evaluation_results[1].eval_decision, "implicitDeny");
    assert!(
        out.evaluation_results[1]
            .denial_message
            .as_deref()
            .unwrap()
            .contains("because no identity-based policy allows the s3:PutObject action")
    );
    assert!(!out.is_truncated);
}

#[test]
fn context_entries_feed_conditions_and_missing_keys_are_listed() {
    let policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"ForAnyValue:StringEquals":{"aws:TagKeys":"env"}}}}"#;
    let mut r = req(&[policy], &["s3:GetObject"], &[]);
    r.context_entries = vec![ContextEntry {
        context_key_name: "aws:SourceIp".into(),
        context_key_values: vec!["10.9.8.7".into()],
        context_key_type: "ip".into(),
    }];
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_resource_name, "*");
    assert_eq!(out.evaluation_results[0].eval_decision, "implicitDeny");
    assert_eq!(
        out.evaluation_results[0].missing_context_values,
        vec!["aws:TagKeys"]
    );
    r.context_entries.push(ContextEntry {
        context_key_name: "aws:TagKeys".into(),
        context_key_values: vec!["team".into(), "env".into()],
        context_key_type: "stringList".into(),
    });
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_decision, "allowed");
    assert!(out.evaluation_results[0].missing_context_values.is_empty());
}

#[test]
fn malformed_inputs_are_refused_with_the_policy_named() {
    let err = simulate_custom_policy(&req(
        &[r#"{"Statement":{"Effect":"Allow","Action":"s3:*"}}"#],
        &["s3:GetObject"],
        &[],
    ))
    .unwrap_err();
    let SimulateError::MalformedPolicy { input, error } = err else {
        panic!("{err:?}")
    };
    assert_eq!(input, "PolicyInputList.1");
    assert!(
        error.to_string().contains("must contain a `Resource`"),
        "{error}"
    );
    assert!(matches!(
        simulate_custom_policy(&req(&[], &[], &[])),
        Err(SimulateError::InvalidInput(_))
    ));
    let mut r = req(
        &[r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#],
        &["s3:GetObject"],
        &[],
    );
    r.resource_policy = Some(
        r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#.into(),
    );
    assert!(
        matches!(simulate_custom_policy(&r), Err(SimulateError::InvalidInput(m)) if m.contains("CallerArn"))
    );
}

#[test]
fn pagination_with_max_items_and_marker() {
    let p = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
    let mut r = req(&[p], &["s3:A", "s3:B", "s3:C"], &[]);
    r.max_items = Some(2);
    let first = simulate_custom_policy(&r).unwrap();
    assert!(first.is_truncated);
    assert_eq!(first.evaluation_results.len(), 2);
    r.marker = first.marker.clone();
    let second = simulate_custom_policy(&r).unwrap();
    assert!(!second.is_truncated);
    assert_eq!(second.evaluation_results[0].eval_action_name, "s3:C");
}

#[test]
fn resource_policy_boundary_scps_and_root_sessions() {
    let admin =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
    let mut r = req(&[admin], &["s3:GetObject"], &["arn:aws:s3:::b/k"]);
    r.caller_arn = Some("arn:aws:iam::333333333333:user/carol".into());
    r.resource_owner = Some("arn:aws:iam::222222222222:root".into());
    r.resource_policy = Some(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"333333333333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#.into());
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_decision, "allowed");
    assert!(
        out.evaluation_results[0]
            .matched_statements
            .iter()
            .any(|m| m.source_policy_type == "resource")
    );

    r.permissions_boundary_policy_input_list = vec![r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*"}}"#.into()];
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_decision, "implicitDeny");
    assert!(
        !out.evaluation_results[0]
            .permissions_boundary_decision_detail
            .as_ref()
            .unwrap()
            .allowed_by_permissions_boundary
    );

    let full =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#
            .to_owned();
    let deny_clp = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:CreateLoginProfile","Resource":"*","Condition":{"Bool":{"aws:AssumedRoot":"true"}}}}"#.to_owned();
    let mut r = req(
        &[],
        &["iam:CreateLoginProfile", "iam:GetLoginProfile"],
        &["arn:aws:iam::222222222222:root"],
    );
    r.caller_arn = Some("arn:aws:iam::222222222222:root".into());
    r.service_control_policy_input_levels = Some(vec![
        vec![full.clone()],
        vec![full.clone(), deny_clp],
        vec![full],
    ]);
    r.assume_root_task_policy = Some(rootward_policy::managed::TASK_POLICIES[1].document.into());
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_decision, "explicitDeny");
    assert!(
        out.evaluation_results[0].matched_statements[0]
            .source_policy_id
            .starts_with("ServiceControlPolicyInputLevels.2")
    );
    assert_eq!(out.evaluation_results[1].eval_decision, "allowed");
    assert!(
        out.evaluation_results[1]
            .organizations_decision_detail
            .as_ref()
            .unwrap()
            .allowed_by_organizations
    );
}

fn entry(name: &str, value: &str, kind: &str) -> ContextEntry {
    ContextEntry {
        context_key_name: name.into(),
        context_key_values: vec![value.into()],
        context_key_type: kind.into(),
    }
}

/// Issue 14 §5: in the simulator the request's context entries are the
/// context, even for keys the live endpoint derives from the caller.
#[test]
fn a_supplied_aws_username_fills_the_policy_variable() {
    let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#;
    let mut r = req(
        &[p],
        &["s3:GetObject"],
        &["arn:aws:s3:::home/alice/notes.txt"],
    );
    assert_eq!(
        simulate_custom_policy(&r).unwrap().evaluation_results[0].eval_decision,
        "implicitDeny"
    );
    r.context_entries = vec![entry("aws:username", "alice", "string")];
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_decision, "allowed");
    r.resource_arns = vec!["arn:aws:s3:::home/bob/notes.txt".into()];
    assert_eq!(
        simulate_custom_policy(&r).unwrap().evaluation_results[0].eval_decision,
        "implicitDeny"
    );
}

#[test]
fn a_supplied_aws_principal_arn_is_matched_by_arn_like() {
    let p = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Auditor*"}}}}"#;
    let mut r = req(&[p], &["s3:ListBucket"], &["arn:aws:s3:::b"]);
    r.context_entries = vec![entry(
        "aws:PrincipalArn",
        "arn:aws:iam::222222222222:role/AuditorReadOnly",
        "string",
    )];
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_decision, "allowed");
    assert!(out.evaluation_results[0].missing_context_values.is_empty());
    r.context_entries = vec![entry(
        "aws:PrincipalArn",
        "arn:aws:iam::222222222222:role/Admin",
        "string",
    )];
    assert_eq!(
        simulate_custom_policy(&r).unwrap().evaluation_results[0].eval_decision,
        "implicitDeny"
    );
}

#[test]
fn a_supplied_aws_assumed_root_triggers_the_seed_scp_deny() {
    let full =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#
            .to_owned();
    let deny_clp = r#"{"Version":"2012-10-17","Statement":{"Sid":"DenyRootPasswordRecreation","Effect":"Deny","Action":"iam:CreateLoginProfile","Resource":"*","Condition":{"Bool":{"aws:AssumedRoot":"true"}}}}"#.to_owned();
    let mut r = req(
        &[&full],
        &["iam:CreateLoginProfile"],
        &["arn:aws:iam::222222222222:root"],
    );
    r.caller_arn = Some("arn:aws:iam::222222222222:root".into());
    r.service_control_policy_input_levels = Some(vec![
        vec![full.clone()],
        vec![full.clone(), deny_clp],
        vec![full],
    ]);
    assert_eq!(
        simulate_custom_policy(&r).unwrap().evaluation_results[0].eval_decision,
        "allowed"
    );
    r.context_entries = vec![entry("aws:AssumedRoot", "true", "boolean")];
    let out = simulate_custom_policy(&r).unwrap();
    assert_eq!(out.evaluation_results[0].eval_decision, "explicitDeny");
    assert_eq!(
        out.evaluation_results[0].matched_statements[0]
            .sid
            .as_deref(),
        Some("DenyRootPasswordRecreation")
    );
}
