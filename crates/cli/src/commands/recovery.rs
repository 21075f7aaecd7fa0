//! `rootward allow-recovery --account ID`: warns, then allows password
//! recovery and records it in the recovery ledger
//! (`rootward_operator::recovery`).

use std::path::PathBuf;

use clap::Args;
use rootward_operator::aws::connect;
use rootward_operator::recovery::{
    allow_recovery, check_reason, ledger_path, not_management, warning,
};
use rootward_operator::select::{account_id, organization};

use crate::ops::Exit;
use crate::ops::args::AwsArgs;
use crate::ops::output::{self, Format};

/// Options of `rootward allow-recovery`.
#[derive(Debug, Args)]
pub struct RecoveryArgs {
    /// The member account whose root password recovery is re-opened.
    #[arg(long, value_parser = account_id)]
    account: String,
    /// Why (a ticket, an incident); recorded in the ledger (one line, at most 500 characters).
    #[arg(long)]
    reason: Option<String>,
    /// The recovery ledger.
    #[arg(long, env = "ROOTWARD_LEDGER")]
    ledger: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Runs `rootward allow-recovery`.
pub async fn run_recovery(args: RecoveryArgs) -> Result<Exit, String> {
    if let Some(r) = &args.reason {
        check_reason(r)?;
    }
    let ledger = ledger_path(args.ledger.as_deref())?;
    let aws = connect(&args.aws.options()).await?;
    let org = organization(&aws).await?;
    not_management(&org, &args.account)?;
    eprintln!(
        "rootward: warning: {}",
        warning(&args.account, &aws.caller.arn)
    );
    let report = allow_recovery(&aws, &org, &args.account, args.reason.as_deref(), &ledger).await?;
    if args.aws.output == Format::Json {
        output::json(&report)?;
    } else {
        output::print(args.aws.output, &report.table(), None);
    }
    Ok(Exit::of(report.error.is_none()))
}
