//! `rootward unlock-bucket` and `rootward unlock-queue`: in an
//! `S3UnlockBucketPolicy` / `SQSUnlockQueuePolicy` root session, save the
//! current policy to a backup file first (so nothing is lost; an existing
//! file is never overwritten and nothing changes if the backup fails), then
//! delete the policy or put the replacement, which the policy engine has
//! validated as a resource policy before any session was opened.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use aws_sdk_s3::error::ProvideErrorMetadata as _;
use aws_sdk_sqs::types::QueueAttributeName;
use clap::Args;
use rootward_policy::PolicyKind;
use serde::Serialize;

use crate::ops::Exit;
use crate::ops::aws::{AwsArgs, connect};
use crate::ops::error::{Failure, sdk};
use crate::ops::output::{self, Format, Table};
use crate::ops::root::{RootSession, Task};
use crate::ops::select::{account_id, organization};

/// Options of `rootward unlock-bucket`.
#[derive(Debug, Args)]
pub struct BucketArgs {
    /// The member account that owns the bucket.
    #[arg(long, value_parser = account_id)]
    account: String,
    /// The bucket.
    #[arg(long)]
    bucket: String,
    /// Put this policy instead of deleting the current one.
    #[arg(long, value_name = "FILE")]
    replace_with: Option<PathBuf>,
    /// Where to save the current policy (default: `rootward-backup-ACCOUNT-BUCKET-TIME.json` here).
    #[arg(long, value_name = "FILE")]
    backup: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Options of `rootward unlock-queue`.
#[derive(Debug, Args)]
pub struct QueueArgs {
    /// The member account that owns the queue.
    #[arg(long, value_parser = account_id)]
    account: String,
    /// The queue URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`).
    #[arg(long)]
    queue_url: String,
    /// Put this policy instead of deleting the current one.
    #[arg(long, value_name = "FILE")]
    replace_with: Option<PathBuf>,
    /// Where to save the current policy (default: `rootward-backup-ACCOUNT-QUEUE-TIME.json` here).
    #[arg(long, value_name = "FILE")]
    backup: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// `--output json` of both commands.
#[derive(Debug, Serialize)]
struct Report {
    account_id: String,
    /// The bucket name or queue URL.
    resource: String,
    /// `deleted`, `replaced`, `none` (no policy and no replacement), `failed`.
    action: &'static str,
    /// The backup of the old policy, when there was one.
    backup: Option<String>,
    error: Option<Failure>,
}

/// Reads and validates a replacement policy (problems are a usage error).
pub fn replacement(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let problems = rootward_policy::check(&text, PolicyKind::Resource);
    if problems.is_empty() {
        Ok(text)
    } else {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("  {}: {p}", path.display()))
            .collect();
        Err(format!(
            "the replacement policy is not a valid resource policy; nothing was changed:\n{}",
            lines.join("\n")
        ))
    }
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

/// Writes the backup; never overwrites; synced before the change is made.
pub fn write_backup(path: &Path, policy: &str) -> Result<(), String> {
    let mut f = std::fs::OpenOptions::new()
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

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

enum Outcome {
    Done {
        action: &'static str,
        backup: Option<PathBuf>,
    },
    Failed(Failure, Option<PathBuf>),
}

fn finish(
    account: String,
    resource: String,
    outcome: Outcome,
    format: Format,
) -> Result<Exit, String> {
    let (action, backup, error) = match outcome {
        Outcome::Done { action, backup } => (action, backup, None),
        Outcome::Failed(e, backup) => ("failed", backup, Some(e)),
    };
    let report = Report {
        account_id: account,
        resource,
        action,
        backup: backup.map(|b| b.display().to_string()),
        error,
    };
    let exit = if report.error.is_some() {
        Exit::Findings
    } else {
        Exit::Clean
    };
    if format == Format::Json {
        output::json(&report)?;
    } else {
        let mut t = Table::new(&["account", "resource", "action", "backup", "error"]);
        t.row(vec![
            report.account_id.clone(),
            report.resource.clone(),
            report.action.to_owned(),
            output::cell(report.backup.as_deref()),
            report
                .error
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ]);
        output::print(format, &t, None);
    }
    Ok(exit)
}

async fn session(
    aws_args: &AwsArgs,
    account: &str,
    task: Task,
) -> Result<(crate::ops::aws::Aws, Result<RootSession, Failure>), String> {
    let aws = connect(aws_args).await?;
    let org = organization(&aws).await?;
    if account == org.management {
        return Err(format!(
            "{account} is the management account, which is never a target of root sessions"
        ));
    }
    let s = RootSession::assume(&aws, account, task, None).await;
    Ok((aws, s))
}

/// Runs `rootward unlock-bucket`.
pub async fn run_bucket(args: BucketArgs) -> Result<Exit, String> {
    let new = args.replace_with.as_deref().map(replacement).transpose()?;
    let backup = args
        .backup
        .clone()
        .unwrap_or_else(|| default_backup(&args.account, &args.bucket, unix_now()));
    let (aws, s) = session(&args.aws, &args.account, Task::S3Unlock).await?;
    let outcome = match s {
        Err(e) => Outcome::Failed(e, None),
        Ok(s) => {
            let s3 = s.s3(aws.path_style);
            let current = match s3.get_bucket_policy().bucket(&args.bucket).send().await {
                Ok(out) => Ok(out.policy().map(str::to_owned)),
                Err(e)
                    if e.as_service_error().and_then(|e| e.code())
                        == Some("NoSuchBucketPolicy") =>
                {
                    Ok(None)
                }
                Err(e) => Err(sdk(e)),
            };
            match current {
                Err(e) => Outcome::Failed(e, None),
                Ok(current) => {
                    let saved = match &current {
                        Some(p) => {
                            write_backup(&backup, p)?;
                            Some(backup.clone())
                        }
                        None => None,
                    };
                    let r = match (&new, &current) {
                        (Some(p), _) => s3
                            .put_bucket_policy()
                            .bucket(&args.bucket)
                            .policy(p)
                            .send()
                            .await
                            .map(|_| "replaced")
                            .map_err(sdk),
                        (None, Some(_)) => s3
                            .delete_bucket_policy()
                            .bucket(&args.bucket)
                            .send()
                            .await
                            .map(|_| "deleted")
                            .map_err(sdk),
                        (None, None) => Ok("none"),
                    };
                    match r {
                        Ok(action) => Outcome::Done {
                            action,
                            backup: saved,
                        },
                        Err(e) => Outcome::Failed(e, saved),
                    }
                }
            }
        }
    };
    finish(args.account, args.bucket, outcome, args.aws.output)
}

/// Runs `rootward unlock-queue`.
pub async fn run_queue(args: QueueArgs) -> Result<Exit, String> {
    let (owner, name) = parse_queue_url(&args.queue_url)
        .ok_or_else(|| format!("`{}` is not a queue URL (…/ACCOUNT/NAME)", args.queue_url))?;
    if owner != args.account {
        return Err(format!(
            "the queue URL names account {owner}, not --account {}",
            args.account
        ));
    }
    let new = args.replace_with.as_deref().map(replacement).transpose()?;
    let backup = args
        .backup
        .clone()
        .unwrap_or_else(|| default_backup(&args.account, &name, unix_now()));
    let (_aws, s) = session(&args.aws, &args.account, Task::SqsUnlock).await?;
    let outcome = match s {
        Err(e) => Outcome::Failed(e, None),
        Ok(s) => {
            let sqs = s.sqs();
            let current = sqs
                .get_queue_attributes()
                .queue_url(&args.queue_url)
                .attribute_names(QueueAttributeName::Policy)
                .send()
                .await
                .map(|out| {
                    out.attributes()
                        .and_then(|a| a.get(&QueueAttributeName::Policy))
                        .filter(|p| !p.is_empty())
                        .cloned()
                })
                .map_err(sdk);
            match current {
                Err(e) => Outcome::Failed(e, None),
                Ok(current) => {
                    let saved = match &current {
                        Some(p) => {
                            write_backup(&backup, p)?;
                            Some(backup.clone())
                        }
                        None => None,
                    };
                    let (value, action) = match (&new, &current) {
                        (Some(p), _) => (Some(p.clone()), "replaced"),
                        // An empty `Policy` removes the queue policy.
                        (None, Some(_)) => (Some(String::new()), "deleted"),
                        (None, None) => (None, "none"),
                    };
                    let r = match value {
                        Some(v) => sqs
                            .set_queue_attributes()
                            .queue_url(&args.queue_url)
                            .attributes(QueueAttributeName::Policy, v)
                            .send()
                            .await
                            .map(|_| action)
                            .map_err(sdk),
                        None => Ok(action),
                    };
                    match r {
                        Ok(action) => Outcome::Done {
                            action,
                            backup: saved,
                        },
                        Err(e) => Outcome::Failed(e, saved),
                    }
                }
            }
        }
    };
    finish(args.account, args.queue_url, outcome, args.aws.output)
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
        let e = write_backup(&p, "other").unwrap_err();
        assert!(e.contains("nothing was changed"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), policy);
        assert_eq!(
            default_backup("222222222222", "my/queue name", 7),
            PathBuf::from("rootward-backup-222222222222-my_queue_name-7.json")
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
