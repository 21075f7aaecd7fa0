//! `rootward enable [--delegate ACCOUNT]`: IAM trusted access, both
//! features, and optionally the delegated administrator; idempotent, prints
//! what changed and what already was (`rootward_operator::enable`).

use clap::Args;
use rootward_operator::aws::connect;
use rootward_operator::enable::enable;
use rootward_operator::select::account_id;

use crate::ops::Exit;
use crate::ops::args::AwsArgs;
use crate::ops::output::{self, Format};

/// Options of `rootward enable`.
#[derive(Debug, Args)]
pub struct EnableArgs {
    /// Register this member account as IAM's delegated administrator.
    #[arg(long, value_parser = account_id)]
    delegate: Option<String>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Runs `rootward enable`; exit 1 when a step failed (later steps that
/// depend on it are still tried and reported).
pub async fn run_enable(args: EnableArgs) -> Result<Exit, String> {
    let aws = connect(&args.aws.options()).await?;
    let report = enable(&aws, args.delegate.as_deref()).await;
    if args.aws.output == Format::Json {
        output::json(&report)?;
    } else {
        output::print(args.aws.output, &report.table(), None);
    }
    Ok(Exit::of(!report.failed()))
}
