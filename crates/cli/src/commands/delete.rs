//! `rootward delete-credentials`: plans, deletes and re-audits per account
//! (`rootward_operator::delete`). `--dry-run` stops after the plan; without
//! `--yes` the tool asks for confirmation showing the account count.

use std::io::BufRead as _;
use std::path::PathBuf;

use clap::Args;
use rootward_operator::aws::connect;
use rootward_operator::delete::{DeleteJob, delete};
use rootward_operator::runner::ctrl_c;
use rootward_operator::select::{organization, resolve};

use super::audit::load_ledger;
use crate::ops::Exit;
use crate::ops::args::{AwsArgs, SelectionArgs};
use crate::ops::output::{self, Bar, Format};

/// Options of `rootward delete-credentials`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    selection: SelectionArgs,
    /// Show the plan (an audit per account) and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
    /// Read every credential list even when `GetAccountSummary` says none exist.
    #[arg(long)]
    thorough: bool,
    /// The recovery ledger (for the classes before and after).
    #[arg(long, env = "ROOTWARD_LEDGER")]
    ledger: Option<PathBuf>,
    #[command(flatten)]
    aws: AwsArgs,
}

fn confirm(n: usize) -> Result<bool, String> {
    eprint!(
        "rootward: delete every root credential (password, access keys, signing certificates, MFA) of {n} account{}? Type `yes` to continue: ",
        if n == 1 { "" } else { "s" }
    );
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the confirmation: {e}"))?;
    Ok(line.trim() == "yes")
}

/// Runs `rootward delete-credentials`: exit 0 when every account ends with
/// no root credentials (or, with `--dry-run`, already has none), else 1.
pub async fn run_delete(args: DeleteArgs) -> Result<Exit, String> {
    let ledger = load_ledger(args.ledger.as_deref())?;
    let aws = connect(&args.aws.options()).await?;
    let org = organization(&aws).await?;
    let targets = resolve(&aws, &org, &args.selection.selection()).await?;
    if !args.dry_run && !args.yes && !targets.is_empty() && !confirm(targets.len())? {
        return Err("not confirmed; nothing was changed".into());
    }
    let job = DeleteJob {
        dry_run: args.dry_run,
        thorough: args.thorough,
        ledger,
        limits: args.aws.limits(),
    };
    let mut bar = Bar::new(targets.len(), if args.dry_run { "plan" } else { "delete" });
    let report = delete(&aws, targets, &job, ctrl_c, &mut bar).await;
    drop(bar);
    for r in &report.accounts {
        for n in &r.notes {
            eprintln!("rootward: {n}");
        }
    }
    let line = report.summary_line();
    if args.aws.output == Format::Json {
        output::json(&report)?;
        eprintln!("{line}");
    } else {
        output::print(args.aws.output, &report.table(), Some(&line));
    }
    Ok(Exit::of(report.clean()))
}
