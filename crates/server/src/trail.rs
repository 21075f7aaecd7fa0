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
        .filter(|(k, _)| *k != "Action" && *k != "Version")
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
        let j = from_json(br#"{"ServicePrincipal":"iam.amazonaws.com","NewPassword":"x"}"#);
        assert_eq!(j["servicePrincipal"], "iam.amazonaws.com");
        assert_eq!(j["newPassword"], HIDDEN);
    }
}
