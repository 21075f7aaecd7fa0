//! Unlock a bucket or a queue: in an
//! `S3UnlockBucketPolicy` / `SQSUnlockQueuePolicy` root session, save the
//! current policy to a backup file first (so nothing is lost; an existing
//! file is never overwritten and nothing changes if the backup fails), then
//! delete the policy or put the replacement, which the policy engine has
//! validated as a resource policy before any session was opened.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use aws_sdk_s3::error::ProvideErrorMetadata as _;
use aws_sdk_sqs::types::QueueAttributeName;
use rootward_policy::PolicyKind;
use serde::Serialize;

use crate::aws::Aws;
use crate::error::{Failure, sdk};
use crate::recovery::not_management;
use crate::root::{RootSession, Task};
use crate::select::{Org, account_id};
use crate::table::{Table, cell};

/// The document of `unlock-bucket` / `unlock-queue` (`--output json`).
#[derive(Debug, Clone, Serialize)]
pub struct UnlockReport {
    /// The member account.
    pub account_id: String,
    /// The bucket name or queue URL.
    pub resource: String,
    /// `deleted`, `replaced`, `none` (no policy and no replacement), `failed`.
    pub action: &'static str,
    /// The backup of the old policy, when there was one.
    pub backup: Option<String>,
    /// AWS's refusal.
    pub error: Option<Failure>,
    /// The old policy as it was saved (not in the JSON document: it is in
    /// the backup file).
    #[serde(skip)]
    pub previous_policy: Option<String>,
}

impl UnlockReport {
    /// The table (and CSV) columns.
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["account", "resource", "action", "backup", "error"]);
        t.row(vec![
            self.account_id.clone(),
            self.resource.clone(),
            self.action.to_owned(),
            cell(self.backup.as_deref()),
            self.error
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ]);
        t
    }
}

/// Validates a replacement policy as a resource policy; `label` names it in
/// the problems (a file name, `the replacement`).
pub fn check_replacement(text: &str, label: &str) -> Result<(), String> {
    let problems = rootward_policy::check(text, PolicyKind::Resource);
    if problems.is_empty() {
        Ok(())
    } else {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {label}: {p}")).collect();
        Err(format!(
            "the replacement policy is not a valid resource policy; nothing was changed:\n{}",
            lines.join("\n")
        ))
    }
}

/// Reads and validates a replacement policy file (problems are a usage error).
pub fn replacement(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    check_replacement(&text, &path.display().to_string())?;
    Ok(text)
}

/// The default backup file name: `rootward-backup-ACCOUNT-NAME-UNIXTIME.json`
/// with anything but `[A-Za-z0-9._-]` in the name replaced by `_`.
pub fn default_backup(account: &str, name: &str, unix: u64) -> PathBuf {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    PathBuf::from(format!("rootward-backup-{account}-{safe}-{unix}.json"))
}

/// Writes the backup (0600: a policy names principals, networks and
/// conditions); never overwrites; synced before the change is made.
pub fn write_backup(path: &Path, policy: &str) -> Result<(), String> {
    let mut f = crate::files::private_file()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            format!(
                "cannot create the backup `{}`: {e}; nothing was changed",
                path.display()
            )
        })?;
    f.write_all(policy.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| {
            format!(
                "cannot write the backup `{}`: {e}; nothing was changed",
                path.display()
            )
        })
}

/// The account and queue name of a queue URL (its last two path segments).
pub fn parse_queue_url(url: &str) -> Option<(String, String)> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut segs = path.split('/').filter(|s| !s.is_empty()).skip(1);
    let account = segs.next()?;
    let name = segs.next()?;
    if segs.next().is_some() || account_id(account).is_err() {
        return None;
    }
    Some((account.to_owned(), name.to_owned()))
}

/// Seconds since the epoch (backup names).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn report(
    account: &str,
    resource: &str,
    result: Result<&'static str, Failure>,
    backup: Option<&Path>,
    previous_policy: Option<String>,
) -> UnlockReport {
    let (action, error) = match result {
        Ok(a) => (a, None),
        Err(e) => ("failed", Some(e)),
    };
    UnlockReport {
        account_id: account.to_owned(),
        resource: resource.to_owned(),
        action,
        backup: backup.map(|b| b.display().to_string()),
        error,
        previous_policy,
    }
}

/// Unlocks a bucket: backs up its policy to `backup` (never overwriting;
/// nothing changes if that fails), then deletes it or puts `replacement`
/// (validated first). `Err` is a set-up error (the management account, an
/// invalid replacement, a backup that cannot be written).
pub async fn unlock_bucket(
    aws: &Aws,
    org: &Org,
    account: &str,
    bucket: &str,
    replacement: Option<&str>,
    backup: &Path,
) -> Result<UnlockReport, String> {
    not_management(org, account)?;
    if let Some(p) = replacement {
        check_replacement(p, "the replacement")?;
    }
    let s = match RootSession::assume(aws, account, Task::S3Unlock, None).await {
        Ok(s) => s,
        Err(e) => return Ok(report(account, bucket, Err(e), None, None)),
    };
    let s3 = s.s3(aws.path_style);
    let current = match s3.get_bucket_policy().bucket(bucket).send().await {
        Ok(out) => out.policy().map(str::to_owned),
        Err(e) if e.as_service_error().and_then(|e| e.code()) == Some("NoSuchBucketPolicy") => None,
        Err(e) => return Ok(report(account, bucket, Err(sdk(e)), None, None)),
    };
    let saved = match &current {
        Some(p) => {
            write_backup(backup, p)?;
            Some(backup)
        }
        None => None,
    };
    let r = match (replacement, &current) {
        (Some(p), _) => s3
            .put_bucket_policy()
            .bucket(bucket)
            .policy(p)
            .send()
            .await
            .map(|_| "replaced")
            .map_err(sdk),
        (None, Some(_)) => s3
            .delete_bucket_policy()
            .bucket(bucket)
            .send()
            .await
            .map(|_| "deleted")
            .map_err(sdk),
        (None, None) => Ok("none"),
    };
    Ok(report(account, bucket, r, saved, current))
}

/// The queue's owner and name from its URL, which must name `account`.
pub fn queue_of(account: &str, queue_url: &str) -> Result<String, String> {
    let (owner, name) = parse_queue_url(queue_url)
        .ok_or_else(|| format!("`{queue_url}` is not a queue URL (…/ACCOUNT/NAME)"))?;
    if owner != account {
        return Err(format!(
            "the queue URL names account {owner}, not {account}"
        ));
    }
    Ok(name)
}

/// `scheme://host[:port]` of a URL, lowercased, a default port dropped.
fn authority(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let a = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if a.is_empty() || a.contains('@') {
        return None;
    }
    let default = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    Some(format!(
        "{scheme}://{}",
        a.strip_suffix(default).unwrap_or(&a)
    ))
}

/// The hosts of SQS in `region` on AWS (`https://`).
fn sqs_hosts(region: &str) -> Vec<String> {
    let mut out: Vec<String> = ["amazonaws.com", "amazonaws.com.cn", "api.aws"]
        .iter()
        .flat_map(|suffix| {
            [
                format!("https://sqs.{region}.{suffix}"),
                format!("https://sqs-fips.{region}.{suffix}"),
                format!("https://{region}.queue.{suffix}"),
            ]
        })
        .collect();
    if region == "us-east-1" {
        out.push("https://queue.amazonaws.com".into());
    }
    out
}

/// The queue URL names the SQS endpoint the calls go to: the
/// `--endpoint-url` (scheme, host and port), else SQS of `--region` on AWS.
/// The SDK sends every call to that endpoint whatever host the URL names,
/// so a URL naming another host or region would show one queue and change
/// a namesake in this region.
pub fn queue_on_endpoint(
    endpoint_url: Option<&str>,
    region: &str,
    queue_url: &str,
) -> Result<(), String> {
    let given = authority(queue_url)
        .ok_or_else(|| format!("`{queue_url}` is not a queue URL (https://HOST/ACCOUNT/NAME)"))?;
    let ok = match endpoint_url {
        Some(ep) => authority(ep).is_some_and(|e| e == given),
        None => sqs_hosts(region).contains(&given),
    };
    if ok {
        Ok(())
    } else {
        let expected = match endpoint_url {
            Some(ep) => authority(ep).unwrap_or_else(|| ep.to_owned()),
            None => format!("https://sqs.{region}.amazonaws.com"),
        };
        Err(format!(
            "the queue URL names {given}, but the calls go to {expected}: use the queue's URL there (or run with that region or endpoint)"
        ))
    }
}

/// [`queue_on_endpoint`] for these clients.
pub fn queue_on(aws: &Aws, queue_url: &str) -> Result<(), String> {
    let region = aws
        .config
        .region()
        .map(|r| r.as_ref().to_owned())
        .unwrap_or_default();
    queue_on_endpoint(aws.config.endpoint_url(), &region, queue_url)
}

/// Unlocks a queue like [`unlock_bucket`], through `GetQueueAttributes` /
/// `SetQueueAttributes` `Policy` (an empty `Policy` removes it).
pub async fn unlock_queue(
    aws: &Aws,
    org: &Org,
    account: &str,
    queue_url: &str,
    replacement: Option<&str>,
    backup: &Path,
) -> Result<UnlockReport, String> {
    queue_of(account, queue_url)?;
    queue_on(aws, queue_url)?;
    not_management(org, account)?;
    if let Some(p) = replacement {
        check_replacement(p, "the replacement")?;
    }
    let s = match RootSession::assume(aws, account, Task::SqsUnlock, None).await {
        Ok(s) => s,
        Err(e) => return Ok(report(account, queue_url, Err(e), None, None)),
    };
    let sqs = s.sqs();
    let current = sqs
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await
        .map(|out| {
            out.attributes()
                .and_then(|a| a.get(&QueueAttributeName::Policy))
                .filter(|p| !p.is_empty())
                .cloned()
        });
    let current = match current {
        Ok(c) => c,
        Err(e) => return Ok(report(account, queue_url, Err(sdk(e)), None, None)),
    };
    let saved = match &current {
        Some(p) => {
            write_backup(backup, p)?;
            Some(backup)
        }
        None => None,
    };
    let (value, action) = match (replacement, &current) {
        (Some(p), _) => (Some(p.to_owned()), "replaced"),
        // An empty `Policy` removes the queue policy.
        (None, Some(_)) => (Some(String::new()), "deleted"),
        (None, None) => (None, "none"),
    };
    let r = match value {
        Some(v) => sqs
            .set_queue_attributes()
            .queue_url(queue_url)
            .attributes(QueueAttributeName::Policy, v)
            .send()
            .await
            .map(|_| action)
            .map_err(sdk),
        None => Ok(action),
    };
    Ok(report(account, queue_url, r, saved, current))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_is_validated_as_a_resource_policy() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.json");
        std::fs::write(
            &good,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
        )
        .unwrap();
        assert!(replacement(&good).unwrap().contains("s3:GetObject"));
        let bad = dir.path().join("bad.json");
        // A resource policy needs a principal.
        std::fs::write(
            &bad,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        )
        .unwrap();
        let e = replacement(&bad).unwrap_err();
        assert!(e.contains("nothing was changed"), "{e}");
        assert!(e.contains("bad.json"), "{e}");
        std::fs::write(&bad, "{not json").unwrap();
        assert!(replacement(&bad).is_err());
        assert!(
            replacement(&dir.path().join("missing.json"))
                .unwrap_err()
                .contains("cannot read")
        );
    }

    #[test]
    fn backups_never_overwrite_and_keep_the_policy_verbatim() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        let policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}\n";
        write_backup(&p, policy).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), policy);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the backup is private");
        }
        let e = write_backup(&p, "other").unwrap_err();
        assert!(e.contains("nothing was changed"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), policy);
        assert_eq!(
            default_backup("222222222222", "my/queue name", 7),
            PathBuf::from("rootward-backup-222222222222-my_queue_name-7.json")
        );
    }

    #[test]
    fn a_queue_url_must_name_the_endpoint_the_calls_go_to() {
        let aws = |u: &str| queue_on_endpoint(None, "eu-west-1", u);
        assert!(aws("https://sqs.eu-west-1.amazonaws.com/222222222222/q").is_ok());
        assert!(aws("https://SQS.eu-west-1.amazonaws.com:443/222222222222/q").is_ok());
        assert!(aws("https://eu-west-1.queue.amazonaws.com/222222222222/q").is_ok());
        let e = aws("https://sqs.us-east-1.amazonaws.com/222222222222/q").unwrap_err();
        assert!(e.contains("https://sqs.eu-west-1.amazonaws.com"), "{e}");
        assert!(aws("https://evil.example/222222222222/q").is_err());
        assert!(aws("http://sqs.eu-west-1.amazonaws.com/222222222222/q").is_err());
        assert!(aws("https://sqs.eu-west-1.amazonaws.com@evil.example/222222222222/q").is_err());
        assert!(queue_on_endpoint(None, "us-east-1", "https://queue.amazonaws.com/2/q").is_ok());
        let ep = |u: &str| queue_on_endpoint(Some("http://127.0.0.1:4577"), "us-east-1", u);
        assert!(ep("http://127.0.0.1:4577/222222222222/q").is_ok());
        assert!(ep("http://127.0.0.1:4578/222222222222/q").is_err());
        assert!(ep("https://evil.example/222222222222/q").is_err());
        assert!(ep("https://sqs.us-east-1.amazonaws.com/222222222222/q").is_err());
        assert!(
            queue_on_endpoint(
                Some("https://sqs.example"),
                "us-east-1",
                "https://sqs.example:443/2/q"
            )
            .is_ok()
        );
    }

    #[test]
    fn queue_urls() {
        assert_eq!(
            parse_queue_url("https://sqs.us-east-1.amazonaws.com/222222222222/locked-queue"),
            Some(("222222222222".into(), "locked-queue".into()))
        );
        assert_eq!(
            parse_queue_url("http://127.0.0.1:4577/222222222222/q.fifo"),
            Some(("222222222222".into(), "q.fifo".into()))
        );
        assert_eq!(
            parse_queue_url("https://sqs.us-east-1.amazonaws.com/q"),
            None
        );
        assert_eq!(parse_queue_url("https://h/2222/q"), None);
        assert_eq!(parse_queue_url("https://h/222222222222/q/x"), None);
    }
}
