//! What a request brings to evaluation: who is calling, and the condition-key
//! values (spec 06 §6.3).

use std::borrow::Cow;
use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use smallvec::SmallVec;

/// The kinds of caller (the values of `aws:PrincipalType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// An account's root user, long-term or through an AssumeRoot session.
    Account,
    /// An IAM user.
    User,
    /// A role session.
    AssumedRole,
    /// A federated user.
    FederatedUser,
    /// An AWS service principal such as `iam.amazonaws.com`.
    Service,
    /// No credentials at all.
    Anonymous,
}

impl PrincipalType {
    /// The value of `aws:PrincipalType`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::Account => "Account",
            PrincipalType::User => "User",
            PrincipalType::AssumedRole => "AssumedRole",
            PrincipalType::FederatedUser => "FederatedUser",
            PrincipalType::Service => "Service",
            PrincipalType::Anonymous => "Anonymous",
        }
    }
}

/// The caller, as the evaluator needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// What kind of caller.
    pub kind: PrincipalType,
    /// The caller's ARN as shown in denial messages: user ARN, assumed-role
    /// session ARN, root ARN; for a service its name; `*` for anonymous.
    pub arn: String,
    /// The value of `aws:PrincipalArn`: the role ARN for role sessions, else `arn`.
    pub principal_arn: String,
    /// The caller's account, when it has one.
    pub account: Option<String>,
    /// True only for AssumeRoot session credentials (spec 05 §5.6).
    pub assumed_root: bool,
}

impl Principal {
    /// The root user of an account, long-term credentials.
    pub fn root(account: &str) -> Principal {
        let arn = format!("arn:aws:iam::{account}:root");
        Principal {
            kind: PrincipalType::Account,
            principal_arn: arn.clone(),
            arn,
            account: Some(account.to_owned()),
            assumed_root: false,
        }
    }

    /// The root user of an account through an AssumeRoot session.
    pub fn assumed_root(account: &str) -> Principal {
        Principal {
            assumed_root: true,
            ..Principal::root(account)
        }
    }

    /// An IAM user, from its ARN (`arn:aws:iam::ACCOUNT:user/PATH/NAME`).
    pub fn user(arn: &str) -> Principal {
        Principal {
            kind: PrincipalType::User,
            arn: arn.to_owned(),
            principal_arn: arn.to_owned(),
            account: account_of(arn),
            assumed_root: false,
        }
    }

    /// A role session: the role's ARN and the session's
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`).
    pub fn role_session(role_arn: &str, session_arn: &str) -> Principal {
        Principal {
            kind: PrincipalType::AssumedRole,
            arn: session_arn.to_owned(),
            principal_arn: role_arn.to_owned(),
            account: account_of(role_arn),
            assumed_root: false,
        }
    }

    /// An AWS service principal, e.g. `iam.amazonaws.com`.
    pub fn service(name: &str) -> Principal {
        Principal {
            kind: PrincipalType::Service,
            arn: name.to_owned(),
            principal_arn: name.to_owned(),
            account: None,
            assumed_root: false,
        }
    }

    /// A caller without credentials.
    pub fn anonymous() -> Principal {
        Principal {
            kind: PrincipalType::Anonymous,
            arn: "*".to_owned(),
            principal_arn: "*".to_owned(),
            account: None,
            assumed_root: false,
        }
    }

    /// Reads a caller ARN as IAM's simulator does (`CallerArn`): root, user,
    /// role (treated as a session of that role) or assumed-role session.
    pub fn from_arn(arn: &str) -> Option<Principal> {
        let fields: Vec<&str> = arn.splitn(6, ':').collect();
        let [_, _, service, _, account, resource] = fields.as_slice() else {
            return None;
        };
        match (*service, *resource) {
            ("iam", "root") => Some(Principal::root(account)),
            ("iam", r) if r.starts_with("user/") => Some(Principal::user(arn)),
            ("iam", r) if r.starts_with("role/") => {
                let name = r.rsplit('/').next().unwrap_or(r);
                Some(Principal::role_session(
                    arn,
                    &format!("arn:aws:sts::{account}:assumed-role/{name}/simulation"),
                ))
            }
            ("sts", r) if r.starts_with("assumed-role/") => {
                let mut parts = r.splitn(3, '/');
                let _ = parts.next();
                let role = parts.next()?;
                Some(Principal::role_session(
                    &format!("arn:aws:iam::{account}:role/{role}"),
                    arn,
                ))
            }
            _ => None,
        }
    }

    /// The user name, for IAM users (`aws:username`).
    pub fn user_name(&self) -> Option<&str> {
        (self.kind == PrincipalType::User)
            .then(|| self.arn.rsplit('/').next())
            .flatten()
    }
}

fn account_of(arn: &str) -> Option<String> {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

/// Condition key names compare case-insensitively, except what follows the
/// first `/` (tag keys), which is case-sensitive (spec 06 §6.3).
pub fn normalize_key(key: &str) -> String {
    match key.split_once('/') {
        Some((head, tail)) => {
            let mut s = head.to_ascii_lowercase();
            s.push('/');
            s.push_str(tail);
            s
        }
        None => key.to_ascii_lowercase(),
    }
}

/// The normalized form of a key every authorization sets, without
/// allocating one (building the context's keys was 1% of a read's CPU).
fn static_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "aws:CurrentTime" => "aws:currenttime",
        "aws:EpochTime" => "aws:epochtime",
        "aws:RequestedRegion" => "aws:requestedregion",
        "aws:SecureTransport" => "aws:securetransport",
        "aws:SourceIp" => "aws:sourceip",
        "aws:UserAgent" => "aws:useragent",
        "aws:ResourceAccount" => "aws:resourceaccount",
        "aws:userid" => "aws:userid",
        "aws:username" => "aws:username",
        "aws:PrincipalArn" => "aws:principalarn",
        "aws:PrincipalType" => "aws:principaltype",
        "aws:PrincipalAccount" => "aws:principalaccount",
        "aws:PrincipalOrgID" => "aws:principalorgid",
        "aws:PrincipalOrgPaths" => "aws:principalorgpaths",
        "aws:AssumedRoot" => "aws:assumedroot",
        "aws:TokenIssueTime" => "aws:tokenissuetime",
        "aws:MultiFactorAuthPresent" => "aws:multifactorauthpresent",
        "aws:SourceIdentity" => "aws:sourceidentity",
        _ => return None,
    })
}

/// A key's normalized name, borrowed when it already is.
fn key_of(key: &str) -> Cow<'_, str> {
    let head = key.split_once('/').map_or(key, |(h, _)| h);
    if head.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(normalize_key(key))
    } else {
        Cow::Borrowed(key)
    }
}

/// A key's normalized name to store.
fn stored_key(key: &str) -> Cow<'static, str> {
    match static_key(key) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(normalize_key(key)),
    }
}

/// The values of one condition key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyValues {
    /// The values, as text (numbers, dates, IPs and booleans in their text
    /// form). Most keys have one, kept inline: a request sets some twenty
    /// keys, and a vector each was as many allocations more per decision.
    pub values: SmallVec<[String; 1]>,
    /// Whether the key is multi-valued (a list type), even with one value.
    pub multi: bool,
}

impl KeyValues {
    /// A key with no usable value counts as absent: no values, or a single
    /// empty string. UNCONFIRMED: the empty-string rule comes from a
    /// third-party reading of AWS's documentation (spec 06 §6.3).
    pub fn is_absent(&self) -> bool {
        match self.values.as_slice() {
            [] => true,
            [only] => only.is_empty(),
            _ => false,
        }
    }
}

/// The condition keys of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    // Fx hashing: keys are short, trusted-shape strings looked up many times per decision.
    keys: HashMap<Cow<'static, str>, KeyValues, FxBuildHasher>,
}

impl Context {
    /// An empty context, with room for the keys a request usually sets
    /// (so that filling it does not grow the table several times).
    pub fn new() -> Context {
        Context {
            keys: HashMap::with_capacity_and_hasher(32, FxBuildHasher),
        }
    }

    /// Sets a single-valued key.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.keys.insert(
            stored_key(key),
            KeyValues {
                values: smallvec::smallvec![value.into()],
                multi: false,
            },
        );
        self
    }

    /// Sets a multi-valued key.
    pub fn set_list<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.keys.insert(
            stored_key(key),
            KeyValues {
                values: values.into_iter().map(Into::into).collect(),
                multi: true,
            },
        );
        self
    }

    /// Removes a key.
    pub fn remove(&mut self, key: &str) {
        self.keys.remove(key_of(key).as_ref());
    }

    /// Looks a key up by its already-normalised name.
    pub fn get_normalized(&self, key: &str) -> Option<&KeyValues> {
        self.keys.get(key)
    }

    /// Looks a key up by name.
    pub fn get(&self, key: &str) -> Option<&KeyValues> {
        self.keys.get(key_of(key).as_ref())
    }

    /// Fills the principal keys of spec 06 §6.3 that follow from the caller:
    /// `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
    /// `aws:userid` (root only; other ids are not known here), `aws:username`,
    /// and `aws:AssumedRoot` — which is set from the principal alone and
    /// removed otherwise, so that a request can never forge it.
    pub fn with_principal(mut self, p: &Principal) -> Context {
        if p.kind != PrincipalType::Anonymous && p.kind != PrincipalType::Service {
            self.set("aws:PrincipalArn", p.principal_arn.clone());
            self.set("aws:PrincipalType", p.kind.as_str());
        }
        if let Some(a) = &p.account {
            self.set("aws:PrincipalAccount", a.clone());
            if p.kind == PrincipalType::Account {
                self.set("aws:userid", a.clone());
            }
        }
        if let Some(u) = p.user_name() {
            self.set("aws:username", u.to_owned());
        }
        if p.assumed_root {
            self.set("aws:AssumedRoot", "true");
        } else {
            self.remove("aws:AssumedRoot");
        }
        self
    }
}

/// One request to decide.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who is calling.
    pub principal: &'a Principal,
    /// The action, e.g. `s3:GetObject` (compared case-insensitively).
    pub action: &'a str,
    /// The resource ARN, or `*` for actions without a resource type.
    pub resource: &'a str,
    /// The condition keys.
    pub context: &'a Context,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_set_without_allocating_are_normalized_as_any_other() {
        for k in [
            "aws:CurrentTime",
            "aws:EpochTime",
            "aws:RequestedRegion",
            "aws:SecureTransport",
            "aws:SourceIp",
            "aws:UserAgent",
            "aws:ResourceAccount",
            "aws:userid",
            "aws:username",
            "aws:PrincipalArn",
            "aws:PrincipalType",
            "aws:PrincipalAccount",
            "aws:PrincipalOrgID",
            "aws:PrincipalOrgPaths",
            "aws:AssumedRoot",
            "aws:TokenIssueTime",
            "aws:MultiFactorAuthPresent",
            "aws:SourceIdentity",
        ] {
            assert_eq!(static_key(k), Some(normalize_key(k).as_str()), "{k}");
            let mut c = Context::new();
            c.set(k, "v");
            for asked in [k.to_owned(), k.to_ascii_uppercase(), k.to_ascii_lowercase()] {
                assert!(c.get(&asked).is_some(), "{asked}");
            }
            assert!(c.get_normalized(&normalize_key(k)).is_some(), "{k}");
            c.remove(&k.to_ascii_uppercase());
            assert!(c.get(k).is_none(), "{k}");
        }
        let mut c = Context::new();
        c.set("AWS:PrincipalTag/Team", "a");
        assert!(c.get("aws:principaltag/Team").is_some());
        assert!(c.get("aws:principaltag/team").is_none());
    }

    #[test]
    fn keys_fold_case_except_tag_keys() {
        assert_eq!(normalize_key("AWS:AssumedRoot"), "aws:assumedroot");
        assert_eq!(
            normalize_key("aws:PrincipalTag/Team"),
            "aws:principaltag/Team"
        );
        let mut c = Context::new();
        c.set("aws:PrincipalTag/Team", "x");
        assert!(c.get("AWS:principaltag/Team").is_some());
        assert!(c.get("aws:PrincipalTag/team").is_none());
    }

    #[test]
    fn assumed_root_cannot_be_forged() {
        let mut c = Context::new();
        c.set("aws:AssumedRoot", "true");
        let c = c.with_principal(&Principal::root("222222222222"));
        assert!(c.get("aws:AssumedRoot").is_none());
        let c = c.with_principal(&Principal::assumed_root("222222222222"));
        assert_eq!(
            c.get("aws:assumedroot").unwrap().values.as_slice(),
            ["true"]
        );
    }

    #[test]
    fn reads_caller_arns() {
        let p = Principal::from_arn("arn:aws:sts::111111111111:assumed-role/Admin/alice").unwrap();
        assert_eq!(p.principal_arn, "arn:aws:iam::111111111111:role/Admin");
        assert_eq!(p.account.as_deref(), Some("111111111111"));
        let p = Principal::from_arn("arn:aws:iam::111111111111:user/ops/bob").unwrap();
        assert_eq!(p.user_name(), Some("bob"));
        assert_eq!(
            Principal::from_arn("arn:aws:iam::111111111111:root")
                .unwrap()
                .kind,
            PrincipalType::Account
        );
        assert!(Principal::from_arn("bob").is_none());
    }
}
