//! `rootward enable [--delegate ACCOUNT]`: IAM trusted access, both
//! features, and optionally the delegated administrator; idempotent, prints
//! what changed and what already was.

use clap::Args;
use serde::Serialize;

use super::status::{IAM, delegated, features, trusted_access};
use crate::ops::Exit;
use crate::ops::aws::{AwsArgs, connect};
use crate::ops::error::{Failure, sdk};
use crate::ops::output::{self, Format, Table};
use crate::ops::select::account_id;

/// Options of `rootward enable`.
#[derive(Debug, Args)]
pub struct EnableArgs {
    /// Register this member account as IAM's delegated administrator.
    #[arg(long, value_parser = account_id)]
    delegate: Option<String>,
    #[command(flatten)]
    aws: AwsArgs,
}

/// One step (`--output json`: `steps[]`).
#[derive(Debug, Serialize)]
struct Step {
    /// `trusted-access`, `root-credentials-management`, `root-sessions`,
    /// `delegated-administrator`.
    step: &'static str,
    /// `changed`, `unchanged` or `failed`.
    status: &'static str,
    /// The account for `delegated-administrator`.
    account_id: Option<String>,
    error: Option<Failure>,
}

#[derive(Debug, Serialize)]
struct Report {
    steps: Vec<Step>,
}

fn step(step: &'static str, r: Result<bool, Failure>) -> Step {
    match r {
        Ok(changed) => Step {
            step,
            status: if changed { "changed" } else { "unchanged" },
            account_id: None,
            error: None,
        },
        Err(e) => Step {
            step,
            status: "failed",
            account_id: None,
            error: Some(e),
        },
    }
}

/// Runs `rootward enable`; exit 1 when a step failed (later steps that
/// depend on it are still tried and reported).
pub async fn run_enable(args: EnableArgs) -> Result<Exit, String> {
    let aws = connect(&args.aws).await?;
    let mut steps = Vec::new();
    let r = async {
        if trusted_access(&aws).await? {
            return Ok(false);
        }
        aws.org
            .enable_aws_service_access()
            .service_principal(IAM)
            .send()
            .await
            .map_err(sdk)?;
        Ok(true)
    }
    .await;
    steps.push(step("trusted-access", r));
    let current = features(&aws).await;
    let r = async {
        if current
            .as_ref()
            .map_err(Clone::clone)?
            .root_credentials_management
        {
            return Ok(false);
        }
        aws.iam
            .enable_organizations_root_credentials_management()
            .send()
            .await
            .map_err(sdk)?;
        Ok(true)
    }
    .await;
    steps.push(step("root-credentials-management", r));
    let r = async {
        if current.as_ref().map_err(Clone::clone)?.root_sessions {
            return Ok(false);
        }
        aws.iam
            .enable_organizations_root_sessions()
            .send()
            .await
            .map_err(sdk)?;
        Ok(true)
    }
    .await;
    steps.push(step("root-sessions", r));
    if let Some(d) = &args.delegate {
        let r = async {
            if delegated(&aws).await?.iter().any(|a| a == d) {
                return Ok(false);
            }
            aws.org
                .register_delegated_administrator()
                .account_id(d)
                .service_principal(IAM)
                .send()
                .await
                .map_err(sdk)?;
            Ok(true)
        }
        .await;
        let mut s = step("delegated-administrator", r);
        s.account_id = Some(d.clone());
        steps.push(s);
    }
    let failed = steps.iter().any(|s| s.error.is_some());
    if args.aws.output == Format::Json {
        output::json(&Report { steps })?;
    } else {
        let mut t = Table::new(&["step", "status", "account", "error"]);
        for s in &steps {
            t.row(vec![
                s.step.to_owned(),
                s.status.to_owned(),
                output::cell(s.account_id.as_deref()),
                s.error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ]);
        }
        output::print(args.aws.output, &t, None);
    }
    Ok(if failed { Exit::Findings } else { Exit::Clean })
}
