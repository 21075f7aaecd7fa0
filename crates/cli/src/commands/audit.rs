//! `rootward audit`: classifies the root credentials of member accounts
//! (the job and the `recovery-enabled` rule: `rootward_operator::audit`).

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use rootward_operator::audit::{AuditJob, audit};
use rootward_operator::aws::connect;
use rootward_operator::recovery::{Ledger, ledger_path};
use rootward_operator::runner::ctrl_c;
use rootward_operator::select::{organization, resolve};

use crate::ops::Exit;
use crate::ops::args::{AwsArgs, SelectionArgs};
use crate::ops::output::{self, Bar, Format};

/// Options of `rootward audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    selection: SelectionArgs,
    /// Read every credential list even when `GetAccountSummary` says none exist.
    #[arg(long)]
    thorough: bool,
    /// The recovery ledger written by `allow-recovery` (see the README).
    #[arg(long, env = "ROOTWARD_LEDGER")]
    ledger: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// Loads the ledger, printing the lines it ignored.
pub fn load_ledger(path: Option<&std::path::Path>) -> Result<Arc<Ledger>, String> {
    let ledger = Ledger::load(&ledger_path(path)?)?;
    for w in &ledger.warnings {
        eprintln!("rootward: warning: {w}");
    }
    Ok(Arc::new(ledger))
}

/// Runs `rootward audit`.
pub async fn run_audit(args: AuditArgs) -> Result<Exit, String> {
    let ledger = load_ledger(args.ledger.as_deref())?;
    let aws = connect(&args.aws.options()).await?;
    let org = organization(&aws).await?;
    let targets = resolve(&aws, &org, &args.selection.selection()).await?;
    let job = AuditJob {
        thorough: args.thorough,
        ledger,
        limits: args.aws.limits(),
    };
    let mut bar = Bar::new(targets.len(), "audit");
    let report = audit(&aws, targets, &job, ctrl_c, &mut bar).await;
    drop(bar);
    let line = report.summary_line();
    if args.aws.output == Format::Json {
        output::json(&report)?;
        eprintln!("{line}");
    } else {
        output::print(args.aws.output, &report.table(), Some(&line));
    }
    Ok(Exit::of(report.clean()))
}
