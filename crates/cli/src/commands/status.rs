//! `rootward status`: the organization, the management account, IAM trusted
//! access, the two root-access features, the delegated administrators, and
//! whether the caller can AssumeRoot (probed with an audit session on one
//! member account, whose credentials are dropped at once).

use clap::Args;
use serde::Serialize;

use crate::ops::Exit;
use crate::ops::aws::{AwsArgs, connect};
use crate::ops::error::{Failure, sdk};
use crate::ops::output::{self, Format, Table};
use crate::ops::root::{RootSession, Task};
use crate::ops::select::{account_id, all_accounts, organization};

/// The service principal of IAM.
pub const IAM: &str = "iam.amazonaws.com";

/// Options of `rootward status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Probe AssumeRoot on this member account (default: the first listed).
    #[arg(long, value_parser = account_id)]
    probe_account: Option<String>,
    /// Do not probe AssumeRoot.
    #[arg(long)]
    no_probe: bool,
    #[command(flatten)]
    aws: AwsArgs,
}

/// The two IAM features.
#[derive(Debug, Serialize)]
pub struct Features {
    /// `RootCredentialsManagement`.
    pub root_credentials_management: bool,
    /// `RootSessions`.
    pub root_sessions: bool,
}

#[derive(Debug, Serialize)]
struct Probe {
    account_id: Option<String>,
    /// `yes`, `no`, or `not-probed`.
    result: &'static str,
    error: Option<Failure>,
}

/// `--output json` of `status`.
#[derive(Debug, Serialize)]
struct Report {
    organization_id: String,
    feature_set: String,
    management_account: String,
    caller_arn: String,
    caller_account: String,
    trusted_access_iam: Option<bool>,
    trusted_access_error: Option<Failure>,
    features: Option<Features>,
    features_error: Option<Failure>,
    delegated_administrators: Option<Vec<String>>,
    delegated_administrators_error: Option<Failure>,
    can_assume_root: Probe,
}

/// Whether IAM trusted access is on.
pub async fn trusted_access(aws: &crate::ops::aws::Aws) -> Result<bool, Failure> {
    let mut pages = aws
        .org
        .list_aws_service_access_for_organization()
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(sdk)?;
        if page
            .enabled_service_principals()
            .iter()
            .any(|p| p.service_principal() == Some(IAM))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The IAM features (`ListOrganizationsFeatures`).
pub async fn features(aws: &crate::ops::aws::Aws) -> Result<Features, Failure> {
    let out = aws
        .iam
        .list_organizations_features()
        .send()
        .await
        .map_err(sdk)?;
    let has = |name: &str| out.enabled_features().iter().any(|f| f.as_str() == name);
    Ok(Features {
        root_credentials_management: has("RootCredentialsManagement"),
        root_sessions: has("RootSessions"),
    })
}

/// The delegated administrators for IAM.
pub async fn delegated(aws: &crate::ops::aws::Aws) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    let mut pages = aws
        .org
        .list_delegated_administrators()
        .service_principal(IAM)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(sdk)?;
        out.extend(
            page.delegated_administrators()
                .iter()
                .filter_map(|d| d.id().map(str::to_owned)),
        );
    }
    Ok(out)
}

/// Runs `rootward status`: exit 0 when everything is on and AssumeRoot
/// works, 1 otherwise.
pub async fn run_status(args: StatusArgs) -> Result<Exit, String> {
    let aws = connect(&args.aws).await?;
    let org = organization(&aws).await?;
    let trusted = trusted_access(&aws).await;
    let feats = features(&aws).await;
    let das = delegated(&aws).await;
    let probe = if args.no_probe {
        Probe {
            account_id: None,
            result: "not-probed",
            error: None,
        }
    } else {
        let target = match &args.probe_account {
            Some(a) => Some(a.clone()),
            None => all_accounts(&aws)
                .await
                .ok()
                .and_then(|v| v.into_iter().map(|t| t.id).find(|id| *id != org.management)),
        };
        match target {
            None => Probe {
                account_id: None,
                result: "not-probed",
                error: Some(Failure::new(
                    "NoMemberAccount",
                    "no member account to probe",
                )),
            },
            Some(t) => match RootSession::assume(&aws, &t, Task::Audit, None).await {
                Ok(session) => {
                    drop(session);
                    Probe {
                        account_id: Some(t),
                        result: "yes",
                        error: None,
                    }
                }
                Err(e) => Probe {
                    account_id: Some(t),
                    result: "no",
                    error: Some(e),
                },
            },
        }
    };
    let ok = matches!(trusted, Ok(true))
        && feats
            .as_ref()
            .is_ok_and(|f| f.root_credentials_management && f.root_sessions)
        && probe.result != "no";
    let report = Report {
        organization_id: org.id,
        feature_set: org.feature_set,
        management_account: org.management,
        caller_arn: aws.caller.arn.clone(),
        caller_account: aws.caller.account.clone(),
        trusted_access_iam: trusted.as_ref().ok().copied(),
        trusted_access_error: trusted.err(),
        features_error: feats.as_ref().err().cloned(),
        features: feats.ok(),
        delegated_administrators_error: das.as_ref().err().cloned(),
        delegated_administrators: das.ok(),
        can_assume_root: probe,
    };
    if args.aws.output == Format::Json {
        output::json(&report)?;
    } else {
        let yn = |b: Option<bool>| match b {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => "unknown".to_owned(),
        };
        let mut t = Table::new(&["item", "value"]);
        let mut row = |k: &str, v: String| t.row(vec![k.to_owned(), v]);
        row("organization", report.organization_id.clone());
        row("feature set", report.feature_set.clone());
        row("management account", report.management_account.clone());
        row("caller", report.caller_arn.clone());
        row("trusted access for IAM", yn(report.trusted_access_iam));
        if let Some(e) = &report.trusted_access_error {
            row("trusted access error", e.to_string());
        }
        row(
            "RootCredentialsManagement",
            yn(report
                .features
                .as_ref()
                .map(|f| f.root_credentials_management)),
        );
        row(
            "RootSessions",
            yn(report.features.as_ref().map(|f| f.root_sessions)),
        );
        if let Some(e) = &report.features_error {
            row("features error", e.to_string());
        }
        row(
            "delegated administrators",
            report
                .delegated_administrators
                .as_ref()
                .map(|d| {
                    if d.is_empty() {
                        "none".to_owned()
                    } else {
                        d.join(" ")
                    }
                })
                .unwrap_or_else(|| "unknown".to_owned()),
        );
        if let Some(e) = &report.delegated_administrators_error {
            row("delegated administrators error", e.to_string());
        }
        let p = &report.can_assume_root;
        row(
            "caller can AssumeRoot",
            match (&p.account_id, &p.error) {
                (Some(a), None) => format!("{} (probed on {a})", p.result),
                (Some(a), Some(e)) => format!("{} (probed on {a}: {e})", p.result),
                (None, Some(e)) => format!("{} ({e})", p.result),
                (None, None) => p.result.to_owned(),
            },
        );
        output::print(args.aws.output, &t, None);
    }
    Ok(if ok { Exit::Clean } else { Exit::Findings })
}
