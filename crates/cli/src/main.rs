//! `rootward`: the AWS-compatible endpoint (`serve`) and the operator tool.
//!
//! Exit codes, for every command: 0 clean, 1 findings (e.g. policy problems),
//! 2 usage or set-up error (unreadable or malformed input).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Policy(cmd) => commands::policy::run(cmd),
        Command::Serve(args) => commands::serve::run(args),
    }
}
