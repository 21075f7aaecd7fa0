//! `rootward policy validate` and `rootward policy simulate`.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use rootward_policy::PolicyKind;
use rootward_policy::simulate::{
    SimulateCustomPolicyRequest, SimulateError, simulate_custom_policy,
};

/// The `policy` subcommands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Check a policy document; print each problem, or nothing and exit 0.
    Validate {
        /// The policy file (`-` for standard input).
        file: PathBuf,
        /// What the policy is used as.
        #[arg(long, default_value = "identity", value_parser = parse_kind)]
        kind: PolicyKind,
    },
    /// Simulate requests, IAM SimulateCustomPolicy style; print the result as JSON.
    Simulate {
        /// A JSON file shaped like SimulateCustomPolicy's input (`-` for standard input).
        #[arg(long)]
        input: PathBuf,
    },
}

fn parse_kind(s: &str) -> Result<PolicyKind, String> {
    s.parse()
}

fn read(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
    }
}

/// Runs a `policy` subcommand.
pub fn run(cmd: PolicyCommand) -> ExitCode {
    match cmd {
        PolicyCommand::Validate { file, kind } => validate(&file, kind),
        PolicyCommand::Simulate { input } => simulate(&input),
    }
}

fn validate(file: &Path, kind: PolicyKind) -> ExitCode {
    let text = match read(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rootward: {e}");
            return ExitCode::from(2);
        }
    };
    let problems = rootward_policy::check(&text, kind);
    if problems.is_empty() {
        return ExitCode::SUCCESS;
    }
    for p in &problems {
        println!("{}: {p}", file.display());
    }
    ExitCode::from(1)
}

fn simulate(input: &Path) -> ExitCode {
    let text = match read(input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rootward: {e}");
            return ExitCode::from(2);
        }
    };
    let req: SimulateCustomPolicyRequest = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "rootward: `{}` is not a SimulateCustomPolicy request: {e}",
                input.display()
            );
            return ExitCode::from(2);
        }
    };
    match simulate_custom_policy(&req) {
        Ok(resp) => match serde_json::to_string_pretty(&resp) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("rootward: cannot print the result: {e}");
                ExitCode::from(2)
            }
        },
        Err(SimulateError::MalformedPolicy {
            input: which,
            error,
        }) => {
            eprintln!("rootward: MalformedPolicyDocument: {which}:");
            for p in &error.problems {
                eprintln!("  {p}");
            }
            ExitCode::from(2)
        }
        Err(SimulateError::InvalidInput(m)) => {
            eprintln!("rootward: InvalidInput: {m}");
            ExitCode::from(2)
        }
    }
}
