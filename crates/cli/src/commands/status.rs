//! `rootward status`: the organization, IAM trusted access, both features,
//! the delegated administrators, and whether the caller can AssumeRoot
//! (`rootward_operator::status`).

use clap::Args;
use rootward_operator::aws::connect;
use rootward_operator::select::account_id;
use rootward_operator::status::{ProbeOn, status};

use crate::ops::Exit;
use crate::ops::args::AwsArgs;
use crate::ops::output::{self, Format};

/// Options of `rootward status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Probe AssumeRoot on this member account (default: the first listed).
    #[arg(long, value_parser = account_id)]
    probe_account: Option<String>,
    /// Do not probe AssumeRoot.
    #[arg(long)]
    no_probe: bool,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Runs `rootward status`: exit 0 when everything is on and AssumeRoot
/// works, 1 otherwise.
pub async fn run_status(args: StatusArgs) -> Result<Exit, String> {
    let aws = connect(&args.aws.options()).await?;
    let probe = match (&args.probe_account, args.no_probe) {
        (_, true) => ProbeOn::Nothing,
        (Some(a), false) => ProbeOn::Account(a.clone()),
        (None, false) => ProbeOn::FirstMember,
    };
    let report = status(&aws, &probe).await?;
    if args.aws.output == Format::Json {
        output::json(&report)?;
    } else {
        output::print(args.aws.output, &report.table(), None);
    }
    Ok(Exit::of(report.ok()))
}
