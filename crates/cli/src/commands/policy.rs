//! `rootward policy validate`, `rootward policy simulate` and
//! `rootward policy generate`.

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
    /// Print a least-privilege policy for the seed scenario's roles, or the
    /// SCP that blocks root password re-creation (validated before printing).
    Generate {
        /// Which policy.
        #[arg(value_enum)]
        which: Generated,
    },
}

/// The policies `policy generate` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generated {
    /// Identity policy for operators: audit and unlock tasks, reading the
    /// organization and the trail.
    Operator,
    /// Identity policy for administrators: also delete credentials and
    /// allow password recovery.
    Administrator,
    /// SCP denying `iam:CreateLoginProfile` on member root users.
    DenyRootPasswordScp,
}

const TASK_ARN: &str = "arn:aws:iam::aws:policy/root-task/";

/// The reads the operator commands and the console make with the caller's
/// own credentials (`sts:GetCallerIdentity` needs no permission; the
/// console walks the tree from `ListRoots`).
const READS: [&str; 8] = [
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListRoots",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAWSServiceAccessForOrganization",
    "organizations:ListDelegatedAdministrators",
    "iam:ListOrganizationsFeatures",
];

/// The generated document and the kind it is validated as.
pub fn generated(which: Generated) -> (serde_json::Value, PolicyKind) {
    let tasks: &[&str] = match which {
        Generated::Operator => &[
            "IAMAuditRootUserCredentials",
            "S3UnlockBucketPolicy",
            "SQSUnlockQueuePolicy",
        ],
        Generated::Administrator => &[
            "IAMAuditRootUserCredentials",
            "S3UnlockBucketPolicy",
            "SQSUnlockQueuePolicy",
            "IAMDeleteRootUserCredentials",
            "IAMCreateRootUserPassword",
        ],
        Generated::DenyRootPasswordScp => {
            return (
                serde_json::json!({
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Sid": "DenyRootPasswordRecreation",
                        "Effect": "Deny",
                        "Action": "iam:CreateLoginProfile",
                        "Resource": "arn:aws:iam::*:root"
                    }]
                }),
                PolicyKind::Scp,
            );
        }
    };
    let arns: Vec<String> = tasks.iter().map(|t| format!("{TASK_ARN}{t}")).collect();
    (
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AssumeRootForTheseTasksOnly",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRoot",
                    "Resource": "arn:aws:iam::*:root",
                    "Condition": { "ArnEquals": { "sts:TaskPolicyArn": arns } }
                },
                {
                    "Sid": "ReadTheOrganization",
                    "Effect": "Allow",
                    "Action": READS,
                    "Resource": "*"
                },
                {
                    "Sid": "ReadAssumeRootEvents",
                    "Effect": "Allow",
                    "Action": "cloudtrail:LookupEvents",
                    "Resource": "*"
                }
            ]
        }),
        PolicyKind::Identity,
    )
}

fn generate(which: Generated) -> ExitCode {
    let (doc, kind) = generated(which);
    let text = match serde_json::to_string_pretty(&doc) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rootward: cannot print the policy: {e}");
            return ExitCode::from(2);
        }
    };
    let problems = rootward_policy::check(&text, kind);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("rootward: generated policy: {p}");
        }
        return ExitCode::from(2);
    }
    println!("{text}");
    ExitCode::SUCCESS
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
        PolicyCommand::Generate { which } => generate(which),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_policies_validate() {
        for w in [
            Generated::Operator,
            Generated::Administrator,
            Generated::DenyRootPasswordScp,
        ] {
            let (doc, kind) = generated(w);
            let text = doc.to_string();
            assert!(
                rootward_policy::check(&text, kind).is_empty(),
                "{w:?}: {text}"
            );
        }
        let (op, _) = generated(Generated::Operator);
        assert!(!op.to_string().contains("IAMDeleteRootUserCredentials"));
    }
}
