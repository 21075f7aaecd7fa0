#![allow(clippy::unwrap_used)]
use super::*;

fn code(e: CoreError) -> &'static str {
    match e {
        CoreError::CloudTrail(CloudTrailError::InvalidTrailName(_)) => "InvalidTrailNameException",
        CoreError::CloudTrail(CloudTrailError::CloudTrailArnInvalid(_)) => {
            "CloudTrailARNInvalidException"
        }
        _ => "other",
    }
}

#[test]
fn trail_names_follow_cloudtrail_rules() {
    for ok in ["abc", "my-trail", "Org.Trail_1", &"a".repeat(128)] {
        assert!(validate_name(ok).is_ok(), "{ok}");
    }
    for bad in [
        "ab",
        "-abc",
        "abc-",
        "my--trail",
        "my-_trail",
        "a b c",
        "10.0.0.1",
        &"a".repeat(129),
    ] {
        assert_eq!(
            code(validate_name(bad).unwrap_err()),
            "InvalidTrailNameException",
            "{bad}"
        );
    }
}

#[test]
fn trail_arns_parse_or_are_refused() {
    assert_eq!(
        parse_arn("arn:aws:cloudtrail:eu-west-1:111111111111:trail/t1").unwrap(),
        ("eu-west-1".into(), "111111111111".into(), "t1".into())
    );
    for bad in [
        "arn:aws:cloudtrail:eu-west-1:111111111111:eventdatastore/x",
        "arn:aws:s3:::bucket",
        "arn:aws:cloudtrail:eu-west-1:1111:trail/t",
        "arn:aws:cloudtrail",
    ] {
        assert_eq!(
            code(parse_arn(bad).unwrap_err()),
            "CloudTrailARNInvalidException"
        );
    }
}

#[test]
fn tags_follow_cloudtrail_rules() {
    let tag = |k: &str, v: Option<&str>| (k.to_owned(), v.map(str::to_owned));
    let ok = [
        tag("env", Some("prod")),
        tag("Équipe sécurité", Some("a.b:c/d=e+f-g@h_1")),
        tag("flag", None),
        tag(&"k".repeat(128), Some(&"v".repeat(256))),
    ];
    assert!(check_tags(&ok).is_ok());
    let invalid = |e: CoreError| {
        matches!(
            e,
            CoreError::CloudTrail(CloudTrailError::InvalidTagParameter(_))
        )
    };
    for bad in [
        vec![tag("", Some("v"))],
        vec![tag(&"k".repeat(129), None)],
        vec![tag("k", Some(&"v".repeat(257)))],
        vec![tag("no#hash", None)],
        vec![tag("k", Some("tab\there"))],
        vec![tag("AWS:reserved", None)],
        vec![tag("dup", Some("1")), tag("dup", Some("2"))],
    ] {
        assert!(invalid(check_tags(&bad).unwrap_err()), "{bad:?}");
    }
}
