//! The flags every operator command shares: how to reach AWS (the standard
//! credential chain, `--profile`, `--region`, `--endpoint-url`), output,
//! concurrency, and account selection (`--account`, `--ou`, `--all`).

use std::time::Duration;

use clap::Args;
use rootward_operator::aws::Options;
use rootward_operator::runner::Limits;
use rootward_operator::select::{Selection, account_id};

use super::output::Format;

/// Options shared by every operator command.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// Named profile of the shared AWS config (default: the standard chain).
    #[arg(long)]
    pub profile: Option<String>,
    /// Region (AssumeRoot always goes to this region's STS endpoint).
    #[arg(long)]
    pub region: Option<String>,
    /// Endpoint of every service, e.g. a `rootward serve` (also `AWS_ENDPOINT_URL`).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Output format: a table, one JSON document, or CSV.
    #[arg(long, value_enum, default_value = "table")]
    pub output: Format,
    /// Accounts worked on at the same time.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Seconds allowed per account before it is reported as `Timeout`.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// Attempts per request (adaptive retry mode: throttling slows the client down).
    #[arg(long, default_value_t = 8)]
    pub max_attempts: u32,
}

impl AwsArgs {
    /// How to reach AWS.
    pub fn options(&self) -> Options {
        Options {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            max_attempts: self.max_attempts,
        }
    }

    /// Concurrency and the per-account timeout.
    pub fn limits(&self) -> Limits {
        Limits {
            concurrency: usize::from(self.concurrency),
            timeout: Duration::from_secs(self.timeout.max(1)),
        }
    }
}

/// Which member accounts a command works on.
#[derive(Debug, Clone, Args)]
#[group(id = "selection", required = true, multiple = true)]
pub struct SelectionArgs {
    /// A member account id (repeatable).
    #[arg(long = "account", value_name = "ID", value_parser = account_id)]
    pub accounts: Vec<String>,
    /// Every active account under this OU or root, recursively (repeatable).
    #[arg(long = "ou", value_name = "OU_ID")]
    pub ous: Vec<String>,
    /// Every active account of the organization.
    #[arg(long)]
    pub all: bool,
}

impl SelectionArgs {
    /// The selection.
    pub fn selection(&self) -> Selection {
        Selection {
            accounts: self.accounts.clone(),
            ous: self.ous.clone(),
            all: self.all,
        }
    }
}
