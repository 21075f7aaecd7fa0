//! `rootward unlock-bucket` and `rootward unlock-queue`: back up, then
//! delete or replace a member bucket's or queue's policy
//! (`rootward_operator::unlock`).

use std::path::PathBuf;

use clap::Args;
use rootward_operator::aws::connect;
use rootward_operator::select::{account_id, organization};
use rootward_operator::unlock::{
    UnlockReport, default_backup, queue_of, queue_on, replacement, unix_now, unlock_bucket,
    unlock_queue,
};

use crate::ops::Exit;
use crate::ops::args::AwsArgs;
use crate::ops::output::{self, Format};

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

fn finish(report: &UnlockReport, format: Format) -> Result<Exit, String> {
    if format == Format::Json {
        output::json(report)?;
    } else {
        output::print(format, &report.table(), None);
    }
    Ok(Exit::of(report.error.is_none()))
}

/// Runs `rootward unlock-bucket`.
pub async fn run_bucket(args: BucketArgs) -> Result<Exit, String> {
    let new = args.replace_with.as_deref().map(replacement).transpose()?;
    let backup = args
        .backup
        .clone()
        .unwrap_or_else(|| default_backup(&args.account, &args.bucket, unix_now()));
    let aws = connect(&args.aws.options()).await?;
    let org = organization(&aws).await?;
    let report = unlock_bucket(
        &aws,
        &org,
        &args.account,
        &args.bucket,
        new.as_deref(),
        &backup,
    )
    .await?;
    finish(&report, args.aws.output)
}

/// Runs `rootward unlock-queue`.
pub async fn run_queue(args: QueueArgs) -> Result<Exit, String> {
    let name = queue_of(&args.account, &args.queue_url).map_err(|e| {
        e.replace(
            &format!("not {}", args.account),
            &format!("not --account {}", args.account),
        )
    })?;
    let new = args.replace_with.as_deref().map(replacement).transpose()?;
    let backup = args
        .backup
        .clone()
        .unwrap_or_else(|| default_backup(&args.account, &name, unix_now()));
    let aws = connect(&args.aws.options()).await?;
    queue_on(&aws, &args.queue_url)?;
    let org = organization(&aws).await?;
    let report = unlock_queue(
        &aws,
        &org,
        &args.account,
        &args.queue_url,
        new.as_deref(),
        &backup,
    )
    .await?;
    finish(&report, args.aws.output)
}
