//! Typed identifiers: an [`AccountId`], an [`Arn`], an [`AccessKeyId`], an
//! [`OrganizationId`]. Each parses (validates) once, where a string enters
//! the domain, and formats itself; ARNs are built by constructors, not by
//! `format!`.

use std::fmt;
use std::str::FromStr;

/// A string that is not the identifier it should be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not 12 decimal digits.
    #[error("`{0}` is not a 12-digit account id")]
    AccountId(String),
    /// Not `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    #[error("`{0}` is not an ARN")]
    Arn(String),
    /// Not 16–128 word characters.
    #[error("`{0}` is not an access key id")]
    AccessKeyId(String),
    /// Not `o-` and 10–32 lower-case letters or digits.
    #[error("`{0}` is not an organization id")]
    OrganizationId(String),
}

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(String);

impl AccountId {
    /// Checks `s` is 12 decimal digits.
    pub fn parse(s: &str) -> Result<AccountId, IdError> {
        if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AccountId(s.to_owned()))
        } else {
            Err(IdError::AccountId(s.to_owned()))
        }
    }

    /// A new random account id (not starting with 0).
    pub fn generate() -> AccountId {
        AccountId(crate::ids::account_id())
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The account's root user: `arn:aws:iam::ACCOUNT:root`.
    pub fn root_arn(&self) -> Arn {
        Arn::root(&self.0)
    }

    /// The account named by an `sts:AssumeRoot` target principal: the
    /// account id itself, or its root user's ARN (spec 02 §2.3.2).
    pub fn from_target_principal(s: &str) -> Result<AccountId, IdError> {
        if let Ok(a) = AccountId::parse(s) {
            return Ok(a);
        }
        let arn = Arn::parse(s)?;
        match (arn.partition(), arn.service(), arn.region(), arn.resource()) {
            ("aws", "iam", "", "root") => AccountId::parse(arn.account()),
            _ => Err(IdError::AccountId(s.to_owned())),
        }
    }
}

impl PartialEq<str> for AccountId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for AccountId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

/// An Amazon Resource Name: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`
/// (the resource may hold further `:`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Arn {
    partition: String,
    service: String,
    region: String,
    account: String,
    resource: String,
}

impl Arn {
    /// Parses an ARN: six `:`-separated parts, the first `arn`, a partition,
    /// a service and a resource that are not empty.
    pub fn parse(s: &str) -> Result<Arn, IdError> {
        let bad = || IdError::Arn(s.to_owned());
        let mut parts = s.splitn(6, ':');
        let mut next = || parts.next().ok_or_else(bad);
        let (arn, partition, service, region, account, resource) =
            (next()?, next()?, next()?, next()?, next()?, next()?);
        if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
            return Err(bad());
        }
        Ok(Arn {
            partition: partition.to_owned(),
            service: service.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            resource: resource.to_owned(),
        })
    }

    /// An ARN in the `aws` partition.
    pub fn new(service: &str, region: &str, account: &str, resource: impl Into<String>) -> Arn {
        Arn {
            partition: "aws".to_owned(),
            service: service.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            resource: resource.into(),
        }
    }

    /// An IAM ARN (global: no region): `arn:aws:iam::ACCOUNT:RESOURCE`.
    pub fn iam(account: &str, resource: impl Into<String>) -> Arn {
        Arn::new("iam", "", account, resource)
    }

    /// An account's root user: `arn:aws:iam::ACCOUNT:root`.
    pub fn root(account: &str) -> Arn {
        Arn::iam(account, "root")
    }

    /// An IAM user: `arn:aws:iam::ACCOUNT:userPATHNAME` (`path` starts and
    /// ends with `/`).
    pub fn user(account: &str, path: &str, name: &str) -> Arn {
        Arn::iam(account, format!("user{path}{name}"))
    }

    /// An IAM role: `arn:aws:iam::ACCOUNT:rolePATHNAME`.
    pub fn role(account: &str, path: &str, name: &str) -> Arn {
        Arn::iam(account, format!("role{path}{name}"))
    }

    /// An IAM group: `arn:aws:iam::ACCOUNT:groupPATHNAME`.
    pub fn group(account: &str, path: &str, name: &str) -> Arn {
        Arn::iam(account, format!("group{path}{name}"))
    }

    /// An IAM instance profile: `arn:aws:iam::ACCOUNT:instance-profilePATHNAME`.
    pub fn instance_profile(account: &str, path: &str, name: &str) -> Arn {
        Arn::iam(account, format!("instance-profile{path}{name}"))
    }

    /// A customer-managed IAM policy: `arn:aws:iam::ACCOUNT:policyPATHNAME`.
    pub fn policy(account: &str, path: &str, name: &str) -> Arn {
        Arn::iam(account, format!("policy{path}{name}"))
    }

    /// A virtual MFA device: `arn:aws:iam::ACCOUNT:mfaPATHNAME`.
    pub fn mfa(account: &str, path: &str, name: &str) -> Arn {
        Arn::iam(account, format!("mfa{path}{name}"))
    }

    /// An account (Account Management): `arn:aws:account::ACCOUNT:account`.
    pub fn account_management(account: &str) -> Arn {
        Arn::new("account", "", account, "account")
    }

    /// An account of an organization (Account Management):
    /// `arn:aws:account::MGMT:account/o-…/ACCOUNT`.
    pub fn member_account(management: &str, org: &str, account: &str) -> Arn {
        Arn::new(
            "account",
            "",
            management,
            format!("account/{org}/{account}"),
        )
    }

    /// An STS role session: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub fn assumed_role(account: &str, role: &str, session: &str) -> Arn {
        Arn::new("sts", "", account, format!("assumed-role/{role}/{session}"))
    }

    /// An Organizations resource of the organization `org` managed from
    /// `management`: `arn:aws:organizations::MGMT:KIND/o-…/ID`; the
    /// organization itself is `organization/o-…` (use
    /// [`Arn::organization`]).
    pub fn organizations(management: &str, kind: &str, org: &str, id: &str) -> Arn {
        Arn::new(
            "organizations",
            "",
            management,
            format!("{kind}/{org}/{id}"),
        )
    }

    /// An organization: `arn:aws:organizations::MGMT:organization/o-…`.
    pub fn organization(management: &str, org: &str) -> Arn {
        Arn::new(
            "organizations",
            "",
            management,
            format!("organization/{org}"),
        )
    }

    /// An S3 bucket: `arn:aws:s3:::BUCKET`.
    pub fn bucket(bucket: &str) -> Arn {
        Arn::new("s3", "", "", bucket)
    }

    /// An S3 object: `arn:aws:s3:::BUCKET/KEY`.
    pub fn object(bucket: &str, key: &str) -> Arn {
        Arn::new("s3", "", "", format!("{bucket}/{key}"))
    }

    /// An SQS queue: `arn:aws:sqs:REGION:ACCOUNT:NAME`.
    pub fn queue(region: &str, account: &str, name: &str) -> Arn {
        Arn::new("sqs", region, account, name)
    }

    /// A CloudTrail trail: `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`.
    pub fn trail(region: &str, account: &str, name: &str) -> Arn {
        Arn::new("cloudtrail", region, account, format!("trail/{name}"))
    }

    /// The partition (`aws`).
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// The service (`iam`).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The region (empty for global services).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The account (empty for S3 buckets).
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The resource (`root`, `user/alice`, `trail/main`).
    pub fn resource(&self) -> &str {
        &self.resource
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

impl FromStr for Arn {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Arn::parse(s)
    }
}

impl From<Arn> for String {
    fn from(a: Arn) -> String {
        a.to_string()
    }
}

/// An access key id (model `accessKeyIdType`: 16–128 word characters):
/// `AKIA…` for a long-term key, `ASIA…` for temporary credentials.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccessKeyId(String);

impl AccessKeyId {
    /// Checks `s` is 16–128 characters of `[A-Za-z0-9_]`.
    pub fn parse(s: &str) -> Result<AccessKeyId, IdError> {
        if (16..=128).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            Ok(AccessKeyId(s.to_owned()))
        } else {
            Err(IdError::AccessKeyId(s.to_owned()))
        }
    }

    /// The id of temporary credentials (`ASIA…`), issued with a session token.
    pub fn is_temporary(&self) -> bool {
        self.0.starts_with("ASIA")
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organization id (model pattern `^o-[a-z0-9]{10,32}$`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrganizationId(String);

impl OrganizationId {
    /// Checks `s` is `o-` and 10–32 lower-case letters or digits.
    pub fn parse(s: &str) -> Result<OrganizationId, IdError> {
        match s.strip_prefix("o-") {
            Some(body)
                if (10..=32).contains(&body.len())
                    && body
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) =>
            {
                Ok(OrganizationId(s.to_owned()))
            }
            _ => Err(IdError::OrganizationId(s.to_owned())),
        }
    }

    /// A new random id: `o-` and ten lower-case letters or digits.
    pub fn generate() -> OrganizationId {
        OrganizationId(format!("o-{}", crate::org::id_body(10)))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What every identifier held as a validated string has: shown as itself,
/// parsed by its `parse`, read as `&str`, given back as `String`.
macro_rules! string_id {
    ($($t:ident),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $t::parse(s)
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$t> for String {
            fn from(id: $t) -> String {
                id.0
            }
        }
    )*};
}

string_id!(AccountId, AccessKeyId, OrganizationId);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert_eq!(
            AccountId::parse("111122223333").unwrap().as_str(),
            "111122223333"
        );
        for bad in [
            "",
            "11112222333",
            "1111222233334",
            "11112222333x",
            "١١١١٢٢٢٢٣٣٣٣",
        ] {
            assert_eq!(AccountId::parse(bad), Err(IdError::AccountId(bad.into())));
        }
        let g = AccountId::generate();
        assert!(AccountId::parse(g.as_str()).is_ok() && !g.as_str().starts_with('0'));
        assert_eq!(
            AccountId::parse("111122223333")
                .unwrap()
                .root_arn()
                .to_string(),
            "arn:aws:iam::111122223333:root"
        );
    }

    #[test]
    fn a_target_principal_is_an_account_id_or_its_root_arn() {
        let a = AccountId::parse("111122223333").unwrap();
        assert_eq!(
            AccountId::from_target_principal("111122223333"),
            Ok(a.clone())
        );
        assert_eq!(
            AccountId::from_target_principal("arn:aws:iam::111122223333:root"),
            Ok(a)
        );
        for bad in [
            "12345678901x",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::1111:root",
            "arn:aws:sts::111122223333:root",
            "arn:aws:iam:eu-west-1:111122223333:root",
            "arn:aws-cn:iam::111122223333:root",
        ] {
            assert!(AccountId::from_target_principal(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arns_parse_and_format_round_trip() {
        for s in [
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/ops/alice",
            "arn:aws:s3:::bucket/key:with:colons",
            "arn:aws:sqs:eu-west-1:111122223333:jobs",
            "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main",
        ] {
            assert_eq!(Arn::parse(s).unwrap().to_string(), s);
        }
        let a = Arn::parse("arn:aws:s3:::bucket/key:with:colons").unwrap();
        assert_eq!(
            (a.service(), a.region(), a.account(), a.resource()),
            ("s3", "", "", "bucket/key:with:colons")
        );
        for bad in [
            "",
            "arn",
            "arn:aws:iam::1",
            "aws:iam::1:root",
            "arn::iam::1:root",
            "arn:aws:iam::1:",
        ] {
            assert_eq!(Arn::parse(bad), Err(IdError::Arn(bad.into())), "{bad}");
        }
    }

    #[test]
    fn arn_constructors_write_aws_shapes() {
        assert_eq!(
            Arn::root("111122223333").to_string(),
            "arn:aws:iam::111122223333:root"
        );
        assert_eq!(
            Arn::user("111122223333", "/ops/", "alice").to_string(),
            "arn:aws:iam::111122223333:user/ops/alice"
        );
        assert_eq!(
            Arn::role("111122223333", "/", "r").to_string(),
            "arn:aws:iam::111122223333:role/r"
        );
        assert_eq!(
            Arn::group("111122223333", "/", "g").to_string(),
            "arn:aws:iam::111122223333:group/g"
        );
        assert_eq!(
            Arn::instance_profile("111122223333", "/", "p").to_string(),
            "arn:aws:iam::111122223333:instance-profile/p"
        );
        assert_eq!(
            Arn::policy("111122223333", "/team/", "p").to_string(),
            "arn:aws:iam::111122223333:policy/team/p"
        );
        assert_eq!(
            Arn::mfa("111122223333", "/", "d").to_string(),
            "arn:aws:iam::111122223333:mfa/d"
        );
        assert_eq!(
            Arn::account_management("111122223333").to_string(),
            "arn:aws:account::111122223333:account"
        );
        assert_eq!(Arn::bucket("b").to_string(), "arn:aws:s3:::b");
        assert_eq!(Arn::object("b", "k/1").to_string(), "arn:aws:s3:::b/k/1");
        assert_eq!(
            Arn::queue("eu-west-1", "111122223333", "q").to_string(),
            "arn:aws:sqs:eu-west-1:111122223333:q"
        );
        assert_eq!(
            Arn::trail("eu-west-1", "111122223333", "t").to_string(),
            "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t"
        );
        assert_eq!(
            Arn::assumed_role("111122223333", "r", "s").to_string(),
            "arn:aws:sts::111122223333:assumed-role/r/s"
        );
        assert_eq!(
            Arn::member_account("111111111111", "o-abcdef1234", "222222222222").to_string(),
            "arn:aws:account::111111111111:account/o-abcdef1234/222222222222"
        );
        assert_eq!(
            Arn::organization("111111111111", "o-abcdef1234").to_string(),
            "arn:aws:organizations::111111111111:organization/o-abcdef1234"
        );
        assert_eq!(
            Arn::organizations("111111111111", "ou", "o-abcdef1234", "ou-ab12-cdef3456")
                .to_string(),
            "arn:aws:organizations::111111111111:ou/o-abcdef1234/ou-ab12-cdef3456"
        );
    }

    #[test]
    fn access_key_ids_are_word_characters_and_say_whether_temporary() {
        let long = AccessKeyId::parse(&crate::ids::long_term_key_id("123456789012")).unwrap();
        let temp = AccessKeyId::parse(&crate::ids::temporary_key_id("123456789012")).unwrap();
        assert!(!long.is_temporary() && temp.is_temporary());
        for bad in ["", "AKIASHORT", "AKIA0000000000000-00", &"A".repeat(129)] {
            assert!(AccessKeyId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn organization_ids_follow_the_model_pattern() {
        assert!(OrganizationId::parse("o-abcdef1234").is_ok());
        for bad in [
            "o-abc",
            "o-ABCDEF1234",
            "x-abcdef1234",
            "o-abcdef1234-",
            &format!("o-{}", "a".repeat(33)),
        ] {
            assert!(OrganizationId::parse(bad).is_err(), "{bad}");
        }
        let generated = OrganizationId::generate();
        assert_eq!(OrganizationId::parse(generated.as_str()), Ok(generated));
    }
}
