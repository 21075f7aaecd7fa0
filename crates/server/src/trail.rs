//! What the protocol layer gives the trail: request parameters in CloudTrail's
//! shape (lower-camel names, nested members, secrets hidden) and the call's
//! outcome.

use serde_json::{Map, Value};

/// The value CloudTrail shows instead of a secret.
pub const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// Whether a parameter holds a secret (passwords, keys, MFA codes, tokens).
pub fn is_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "password",
        "secret",
        "privatekey",
        "authenticationcode",
        "token",
        "code1",
        "code2",
    ]
    .iter()
    .any(|s| n.contains(s))
        && n != "nexttoken"
}

fn lower_camel(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Query parameters (`TaskPolicyArn.arn=…`, `PolicyArns.member.1.arn=…`) as
/// CloudTrail's `requestParameters` object.
pub fn from_query<'a>(params: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let mut root = Map::new();
    let mut sorted: Vec<(&str, &str)> = params
        // The SigV4 parameters of a presigned request are authentication, not
        // request parameters.
        .filter(|(k, _)| {
            *k != "Action"
                && *k != "Version"
                && !k.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("x-amz-"))
        })
        .collect();
    sorted.sort();
    for (key, value) in sorted {
        let parts: Vec<&str> = key.split('.').filter(|p| *p != "member").collect();
        let mut node = &mut root;
        let last = parts.len().saturating_sub(1);
        for (i, part) in parts.iter().enumerate() {
            let name = lower_camel(part);
            if i == last {
                let v = if is_secret(part) {
                    HIDDEN.to_owned()
                } else {
                    value.to_owned()
                };
                node.insert(name, Value::String(v));
                break;
            }
            let entry = node
                .entry(name)
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            match entry {
                Value::Object(m) => node = m,
                _ => break,
            }
        }
    }
    Value::Object(root)
}

/// A JSON request body as `requestParameters`: top-level names lower-camel,
/// secrets hidden.
pub fn from_json(body: &[u8]) -> Value {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = if is_secret(&k) {
                        Value::String(HIDDEN.into())
                    } else {
                        v
                    };
                    (lower_camel(&k), v)
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// The `resources` of a query-protocol call, from the parameters that name
/// them (IAM users, groups, roles and policies; STS roles; SQS queues).
pub fn resources_from_query<'a>(
    service: &str,
    account: &str,
    params: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in params {
        let r = match (service, k) {
            ("iam", "UserName") => ("AWS::IAM::User", format!("arn:aws:iam::{account}:user/{v}")),
            ("iam", "GroupName") => (
                "AWS::IAM::Group",
                format!("arn:aws:iam::{account}:group/{v}"),
            ),
            ("iam", "RoleName") => ("AWS::IAM::Role", format!("arn:aws:iam::{account}:role/{v}")),
            ("iam", "PolicyArn") => ("AWS::IAM::Policy", v.to_owned()),
            ("iam", "AccessKeyId") | ("sts", "AccessKeyId") => {
                ("AWS::IAM::AccessKey", v.to_owned())
            }
            ("sts", "RoleArn") => ("AWS::IAM::Role", v.to_owned()),
            ("sqs", "QueueUrl") => ("AWS::SQS::Queue", v.to_owned()),
            _ => continue,
        };
        out.push((r.0.to_owned(), r.1));
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_nest_and_hide_secrets() {
        let v = from_query(
            [
                ("Action", "AssumeRoot"),
                ("TargetPrincipal", "222222222222"),
                ("TaskPolicyArn.arn", "arn:x"),
                ("Password", "hunter2"),
                ("PolicyArns.member.1.arn", "arn:y"),
            ]
            .into_iter(),
        );
        assert_eq!(v["targetPrincipal"], "222222222222");
        assert_eq!(v["taskPolicyArn"]["arn"], "arn:x");
        assert_eq!(v["password"], HIDDEN);
        assert!(v.get("action").is_none());
        assert!(!v.to_string().contains("hunter2"));
        let presigned = from_query(
            [
                ("Action", "GetCallerIdentity"),
                ("X-Amz-Signature", "abc"),
                ("x-amz-security-token", "t"),
                (
                    "X-Amz-Credential",
                    "AKIA/20261123/us-east-1/sts/aws4_request",
                ),
            ]
            .into_iter(),
        );
        assert_eq!(presigned, serde_json::json!({}));
        let j = from_json(br#"{"ServicePrincipal":"iam.amazonaws.com","NewPassword":"x"}"#);
        assert_eq!(j["servicePrincipal"], "iam.amazonaws.com");
        assert_eq!(j["newPassword"], HIDDEN);
        let r = resources_from_query(
            "iam",
            "111111111111",
            [
                ("UserName", "bob"),
                ("PolicyArn", "arn:aws:iam::aws:policy/X"),
                ("Path", "/"),
            ]
            .into_iter(),
        );
        assert_eq!(
            r,
            vec![
                (
                    "AWS::IAM::Policy".to_owned(),
                    "arn:aws:iam::aws:policy/X".to_owned()
                ),
                (
                    "AWS::IAM::User".to_owned(),
                    "arn:aws:iam::111111111111:user/bob".to_owned()
                ),
            ]
        );
    }
}
