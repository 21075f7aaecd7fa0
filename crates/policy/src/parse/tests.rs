use super::*;

fn problems(text: &str) -> Vec<String> {
    parse(text)
        .unwrap_err()
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn accepts_object_or_array_statements_and_string_or_list_values() {
    let d = parse(r#"{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*","*"]}}"#).unwrap();
    assert_eq!(d.version, Version::V2012_10_17);
    assert_eq!(d.statements.len(), 1);
    assert_eq!(d.statements[0].resource.as_ref().unwrap().values.len(), 2);
    let d = parse(r#"{"Statement":[{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"*"}]}"#)
        .unwrap();
    assert_eq!(d.version, Version::Absent);
    assert!(d.statements[0].action.negated);
}

#[test]
fn reports_every_structural_problem_with_its_element() {
    let p = problems(
        r#"{"Version":"2013-01-01","Statement":[{"Effect":"Permit","Action":"s3GetObject","Resource":"bucket","Foo":1}]}"#,
    );
    let all = p.join("\n");
    assert!(
        all.contains("Version: unsupported version `2013-01-01`"),
        "{all}"
    );
    assert!(
        all.contains("Statement[0].Effect: invalid effect `Permit`"),
        "{all}"
    );
    assert!(
        all.contains("Statement[0].Action: action `s3GetObject`"),
        "{all}"
    );
    assert!(
        all.contains("Statement[0].Resource: resource `bucket` must be in ARN format"),
        "{all}"
    );
    assert!(all.contains("Statement[0]: unknown element `Foo`"), "{all}");
}

#[test]
fn rejects_bad_shapes() {
    for (text, needle) in [
        ("[]", "must be a JSON object"),
        ("{}", "missing required element `Statement`"),
        (r#"{"Statement":[]}"#, "at least one statement"),
        (r#"{"Statement":"x"}"#, "must be an object or an array"),
        (
            r#"{"Statement":{"Action":"*","Resource":"*"}}"#,
            "missing required element `Effect`",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Resource":"*"}}"#,
            "missing required element `Action`",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}"#,
            "empty list",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":[1],"Resource":"*"}}"#,
            "list items must be strings",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}}"#,
            "not both",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}}"#,
            "unknown condition operator",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":{}}}}}"#,
            "condition values must be",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Principal":{"Bob":"x"}}}"#,
            "unknown principal type `Bob`",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Principal":{"AWS":"arn:aws:iam::*:root"}}}"#,
            "wildcards are not allowed",
        ),
        (
            r#"{"Statement":[{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            "duplicate statement id",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*"}}"#,
            "duplicate key `Effect`",
        ),
        ("{\"Statement\": ", "invalid JSON"),
        ("  ", "empty"),
    ] {
        let all = problems(text).join("\n");
        assert!(all.contains(needle), "{text}: {all}");
    }
}

#[test]
fn condition_values_keep_scalar_text() {
    let d = parse(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"a":[1.5, 2]},"Bool":{"b":true}}}}"#).unwrap();
    let c = &d.statements[0].conditions;
    assert_eq!(c[0].values, vec!["1.5", "2"]);
    assert_eq!(c[1].values, vec!["true"]);
}
