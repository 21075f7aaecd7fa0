//! `rootward exec --account ID --task TASK -- COMMAND [ARGS…]`: run a command
//! with a root session's credentials in its environment only. The tool
//! prints the session's expiry on stderr and never the credentials; they
//! are dropped when the command ends. Exit status: the command's (2 when
//! the session cannot be had or the command cannot start).

use std::ffi::OsString;

use clap::Args;

use rootward_operator::audit::date_of;
use rootward_operator::aws::connect;
use rootward_operator::recovery::not_management;
use rootward_operator::root::{RootSession, Task};
use rootward_operator::select::{account_id, organization};

use crate::ops::Exit;
use crate::ops::args::AwsArgs;

/// Options of `rootward exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The member account.
    #[arg(long, value_parser = account_id)]
    account: String,
    /// The task: audit, delete-credentials, create-password, s3-unlock,
    /// sqs-unlock (or the policy name or ARN).
    #[arg(long)]
    task: Task,
    /// Session length in seconds (at most 900).
    #[arg(long, value_parser = clap::value_parser!(i32).range(0..=900))]
    duration: Option<i32>,
    #[command(flatten)]
    aws: AwsArgs,
    /// The command and its arguments.
    #[arg(last = true, required = true, num_args = 1..)]
    command: Vec<OsString>,
}

/// Variables removed from the child's environment so that nothing else
/// competes with the session's credentials.
const CLEARED: [&str; 6] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
];

/// Runs `rootward exec`; returns the command's exit status.
pub async fn run_exec(args: ExecArgs) -> Result<std::process::ExitCode, String> {
    let aws = connect(&args.aws.options()).await?;
    let org = organization(&aws).await?;
    not_management(&org, &args.account)?;
    let session = RootSession::assume(&aws, &args.account, args.task, args.duration)
        .await
        .map_err(|e| {
            format!(
                "AssumeRoot on {} for {}: {e}",
                args.account,
                args.task.policy_name()
            )
        })?;
    let expiry = session
        .expiration()
        .map(date_of)
        .unwrap_or_else(|| "unknown".into());
    eprintln!(
        "rootward: root session in {} for {} (requested by {}), expires {expiry}",
        args.account,
        args.task.policy_name(),
        aws.caller.arn
    );
    let (program, rest) = args
        .command
        .split_first()
        .ok_or("no command given after `--`")?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(rest);
    for v in CLEARED {
        cmd.env_remove(v);
    }
    cmd.envs(session.child_environment());
    if let Some(r) = aws.config.region() {
        cmd.env("AWS_REGION", r.as_ref())
            .env("AWS_DEFAULT_REGION", r.as_ref());
    }
    if let Some(u) = aws.config.endpoint_url() {
        cmd.env("AWS_ENDPOINT_URL", u);
    }
    if let Some(t) = session.expiration() {
        cmd.env("AWS_CREDENTIAL_EXPIRATION", date_of(t));
    }
    let status = cmd
        .status()
        .await
        .map_err(|e| format!("cannot run `{}`: {e}", program.to_string_lossy()));
    drop(cmd);
    drop(session);
    let status = status?;
    Ok(match status.code() {
        Some(0) => Exit::Clean.into(),
        Some(c) => std::process::ExitCode::from(u8::try_from(c).unwrap_or(1)),
        // Killed by a signal.
        None => Exit::Findings.into(),
    })
}
