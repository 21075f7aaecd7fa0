//! `rootward`: the AWS-compatible endpoint (`serve`) and the operator tool.
//!
//! Exit codes, for every command: 0 clean, 1 findings (e.g. policy problems,
//! root credentials found, accounts that failed), 2 usage or set-up error
//! (unreadable or malformed input, no credentials, no organization).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;
mod ops;

/// mimalloc: the policy engine and the endpoint allocate many small,
/// short-lived values; it is markedly faster than the system allocator for
/// that (see the policy benchmark, which uses the same allocator).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "rootward",
    version,
    about = "Centralized root access for AWS Organizations: endpoint and operator tool"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the AWS-compatible endpoint.
    Serve(commands::serve::ServeArgs),
    /// Work with IAM policy documents: validate them, simulate requests.
    #[command(subcommand)]
    Policy(commands::policy::PolicyCommand),
    /// Organization, trusted access, features, delegated administrator, and
    /// whether the caller can AssumeRoot.
    Status(commands::status::StatusArgs),
    /// Turn on trusted access for IAM and both features; optionally delegate.
    Enable(commands::enable::EnableArgs),
    /// Classify the root credentials of member accounts.
    Audit(commands::audit::AuditArgs),
    /// Delete every root credential of member accounts, then re-audit.
    DeleteCredentials(commands::delete::DeleteArgs),
    /// Re-open root password recovery for one member account.
    AllowRecovery(commands::recovery::RecoveryArgs),
    /// Back up, then delete or replace a member bucket's policy.
    UnlockBucket(commands::unlock::BucketArgs),
    /// Back up, then delete or replace a member queue's policy.
    UnlockQueue(commands::unlock::QueueArgs),
    /// Run a command with a root session's credentials in its environment.
    Exec(commands::exec::ExecArgs),
    /// AssumeRoot events of the caller's account from CloudTrail.
    Trail(commands::trail::TrailArgs),
    /// Serve the web console on loopback (prints a one-time sign-in link).
    Console(commands::console::ConsoleArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Policy(cmd) => commands::policy::run(cmd),
        Command::Serve(args) => commands::serve::run(args),
        Command::Status(a) => ops::block_on(commands::status::run_status(a)),
        Command::Enable(a) => ops::block_on(commands::enable::run_enable(a)),
        Command::Audit(a) => ops::block_on(commands::audit::run_audit(a)),
        Command::DeleteCredentials(a) => ops::block_on(commands::delete::run_delete(a)),
        Command::AllowRecovery(a) => ops::block_on(commands::recovery::run_recovery(a)),
        Command::UnlockBucket(a) => ops::block_on(commands::unlock::run_bucket(a)),
        Command::UnlockQueue(a) => ops::block_on(commands::unlock::run_queue(a)),
        Command::Exec(a) => ops::block_on_code(commands::exec::run_exec(a)),
        Command::Trail(a) => ops::block_on(commands::trail::run_trail(a)),
        Command::Console(a) => commands::console::run(a),
    }
}
