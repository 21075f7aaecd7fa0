//! `rootward trail [--since DURATION]`: AssumeRoot events of the caller's
//! account from CloudTrail (`rootward_operator::trail`).

use std::time::Duration;

use clap::Args;
use rootward_operator::aws::connect;
use rootward_operator::trail::{lookup, parse_duration};

use crate::ops::Exit;
use crate::ops::args::AwsArgs;
use crate::ops::output::{self, Format};

/// Options of `rootward trail`.
#[derive(Debug, Args)]
pub struct TrailArgs {
    /// How far back: a number with `s`, `m`, `h` or `d` (e.g. `90m`, `7d`).
    #[arg(long, default_value = "24h", value_parser = parse_duration)]
    since: Duration,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Runs `rootward trail`.
pub async fn run_trail(args: TrailArgs) -> Result<Exit, String> {
    let aws = connect(&args.aws.options()).await?;
    let report = lookup(&aws, args.since).await?;
    if args.aws.output == Format::Json {
        output::json(&report)?;
    } else {
        output::print(args.aws.output, &report.table(), None);
    }
    Ok(Exit::Clean)
}
