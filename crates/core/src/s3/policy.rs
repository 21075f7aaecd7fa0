//! Bucket-policy validation (spec 04 §4.1.4 item 5) and `IsPublic`.

use rootward_policy::ast::{Document, Effect, PrincipalKind};
use rootward_policy::{PolicyKind, parse};

/// The largest bucket policy, in bytes.
pub const MAX_POLICY_SIZE: usize = 20 * 1024;

/// Checks a bucket policy for `bucket`; the error is the `MalformedPolicy`
/// message.
pub fn validate(bucket: &str, text: &str) -> Result<(), String> {
    if text.len() > MAX_POLICY_SIZE {
        return Err(format!(
            "Policy exceeds the maximum allowed document size of {MAX_POLICY_SIZE} bytes"
        ));
    }
    if !text.trim_start().starts_with('{') {
        return Err("Policies must be valid JSON and the first byte must be '{'".to_owned());
    }
    let problems = rootward_policy::check(text, PolicyKind::Resource);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(format!("Invalid policy: {}", list.join("; ")));
    }
    let doc = parse::parse(text).map_err(|e| format!("Invalid policy: {e}"))?;
    check_s3_rules(bucket, &doc)
}

fn check_s3_rules(bucket: &str, doc: &Document) -> Result<(), String> {
    let bucket_arn = crate::ident::Arn::bucket(bucket).to_string();
    let objects_prefix = format!("{bucket_arn}/");
    for st in &doc.statements {
        let n = st.index;
        if st.principal.is_none() {
            return Err(format!("Missing required field Principal (Statement[{n}])"));
        }
        if let Some(a) = st
            .action
            .values
            .iter()
            .find(|a| *a != "*" && !a.to_ascii_lowercase().starts_with("s3:"))
        {
            return Err(format!("Policy has invalid action: {a} (Statement[{n}])"));
        }
        let Some(resource) = &st.resource else {
            return Err(format!("Missing required field Resource (Statement[{n}])"));
        };
        for r in &resource.values {
            if *r != bucket_arn && !r.starts_with(&objects_prefix) {
                return Err(format!(
                    "Policy has invalid resource: {r} (Statement[{n}]); a bucket policy may only name {bucket_arn} and {objects_prefix}…"
                ));
            }
        }
        if !st.action.negated && !resource.negated {
            let has_bucket = resource.values.contains(&bucket_arn);
            let has_objects = resource
                .values
                .iter()
                .any(|r| r.starts_with(&objects_prefix));
            for a in &st.action.values {
                let applies = match action_level(a) {
                    Some(Level::Object) => has_objects,
                    Some(Level::Bucket) => has_bucket,
                    Some(Level::Service) => false,
                    None => true,
                };
                if !applies {
                    return Err(format!(
                        "Action does not apply to any resource(s) in statement: {a} (Statement[{n}])"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// What an S3 action acts on.
enum Level {
    /// `arn:aws:s3:::BUCKET/KEY`.
    Object,
    /// `arn:aws:s3:::BUCKET`.
    Bucket,
    /// `*` only (`ListAllMyBuckets`, `CreateBucket` has a bucket, too).
    Service,
}

/// The level of an action without wildcards (`None`: a pattern, or unknown).
fn action_level(action: &str) -> Option<Level> {
    let name = action.get(3..)?.to_ascii_lowercase();
    if name.contains('*') || name.contains('?') {
        return None;
    }
    if name == "listallmybuckets" {
        return Some(Level::Service);
    }
    if name.contains("object")
        || matches!(
            name.as_str(),
            "abortmultipartupload" | "listmultipartuploadparts"
        )
    {
        return Some(Level::Object);
    }
    if name.contains("bucket") || name.starts_with("listbucket") {
        return Some(Level::Bucket);
    }
    None
}

/// The IAM users and roles a policy names by ARN: `(account, kind, name)`
/// with kind `user` or `role`, for checking that they exist.
pub fn named_principals(text: &str) -> Vec<(String, &'static str, String)> {
    let Ok(doc) = parse::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for st in &doc.statements {
        let Some(p) = &st.principal else { continue };
        for (kind, values) in &p.entries {
            if *kind != PrincipalKind::Aws {
                continue;
            }
            for v in values {
                let Some(rest) = v.strip_prefix("arn:aws:iam::") else {
                    continue;
                };
                let Some((account, resource)) = rest.split_once(':') else {
                    continue;
                };
                let (entity, path) = match resource.split_once('/') {
                    Some(("user", p)) => ("user", p),
                    Some(("role", p)) => ("role", p),
                    _ => continue,
                };
                let name = path.rsplit('/').next().unwrap_or(path);
                if !name.contains('*') && !name.contains('?') {
                    out.push((account.to_owned(), entity, name.to_owned()));
                }
            }
        }
    }
    out
}

/// Whether a policy makes the bucket public: an `Allow` to everyone without
/// any condition.
pub fn is_public(text: &str) -> bool {
    let Ok(doc) = parse::parse(text) else {
        return false;
    };
    doc.statements.iter().any(|st| {
        st.effect == Effect::Allow
            && st.conditions.is_empty()
            && st.principal.as_ref().is_some_and(|p| {
                !p.negated
                    && (p.any
                        || p.entries
                            .iter()
                            .any(|(k, v)| *k == PrincipalKind::Aws && v.iter().any(|x| x == "*")))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DENY_ALL: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::locked-bucket","arn:aws:s3:::locked-bucket/*"]}]}"#;

    #[test]
    fn accepts_the_lock_out_policy_and_rejects_bad_ones() {
        assert_eq!(validate("locked-bucket", DENY_ALL), Ok(()));
        assert!(!is_public(DENY_ALL));
        let e = validate("other-bucket", DENY_ALL).unwrap_err();
        assert!(e.contains("invalid resource"), "{e}");
        assert!(validate("b", "[]").unwrap_err().contains("first byte"));
        assert!(validate("b", "{").is_err());
        let iam = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"iam:GetUser","Resource":"arn:aws:s3:::b"}]}"#;
        assert!(validate("b", iam).unwrap_err().contains("invalid action"));
        let no_principal = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert!(validate("b", no_principal).is_err());
        let public = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert_eq!(validate("b", public), Ok(()));
        assert!(is_public(public));
        let misplaced = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b"}]}"#;
        assert!(
            validate("b", misplaced)
                .unwrap_err()
                .contains("does not apply")
        );
        let misplaced = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert!(
            validate("b", misplaced)
                .unwrap_err()
                .contains("does not apply")
        );
        let mixed = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:ListBucket","s3:GetObject","s3:Get*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}"#;
        assert_eq!(validate("b", mixed), Ok(()));
        let named = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:user/ops/alice","arn:aws:iam::111111111111:root","222222222222","arn:aws:iam::111111111111:role/R"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert_eq!(
            named_principals(named),
            vec![
                ("111111111111".to_owned(), "user", "alice".to_owned()),
                ("111111111111".to_owned(), "role", "R".to_owned())
            ]
        );
        let big = format!(
            "{{\"Statement\":[],\"Id\":\"{}\"}}",
            "x".repeat(MAX_POLICY_SIZE)
        );
        assert!(validate("b", &big).unwrap_err().contains("size"));
    }
}
