//! AWS clients from the standard credential chain (environment, profiles with
//! `--profile`, IAM Identity Center, `credential_process`, container and
//! instance roles), with `--endpoint-url`/`AWS_ENDPOINT_URL` and `--region`,
//! and the SDK's adaptive retry mode.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use clap::Args;

use super::error::sdk;
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
    /// The per-account timeout.
    pub fn per_account(&self) -> Duration {
        Duration::from_secs(self.timeout.max(1))
    }
}

/// The caller's identity (`sts:GetCallerIdentity`).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The caller's ARN.
    pub arn: String,
    /// The caller's account.
    pub account: String,
}

/// The caller's clients.
#[derive(Debug, Clone)]
pub struct Aws {
    /// The loaded configuration (credentials, region, endpoint, retries).
    pub config: SdkConfig,
    /// S3 needs path-style addressing against a custom endpoint.
    pub path_style: bool,
    /// Who runs the tool.
    pub caller: Caller,
    /// STS (regional).
    pub sts: aws_sdk_sts::Client,
    /// IAM.
    pub iam: aws_sdk_iam::Client,
    /// Organizations.
    pub org: aws_sdk_organizations::Client,
}

/// Loads the configuration, then checks the credentials with
/// `GetCallerIdentity`; every problem is a set-up error (exit 2).
pub async fn connect(args: &AwsArgs) -> Result<Aws, String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(args.max_attempts.max(1)));
    if let Some(p) = &args.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &args.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &args.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(
            "no region: AssumeRoot needs a regional STS endpoint; set --region or AWS_REGION"
                .into(),
        );
    }
    if config.credentials_provider().is_none() {
        return Err("no credentials found in the standard AWS chain".into());
    }
    let path_style = config.endpoint_url().is_some();
    let sts = aws_sdk_sts::Client::new(&config);
    let who = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| format!("cannot identify the caller: {}", sdk(e)))?;
    let caller = Caller {
        arn: who.arn().unwrap_or_default().to_owned(),
        account: who.account().unwrap_or_default().to_owned(),
    };
    Ok(Aws {
        iam: aws_sdk_iam::Client::new(&config),
        org: aws_sdk_organizations::Client::new(&config),
        sts,
        config,
        path_style,
        caller,
    })
}

impl Aws {
    /// CloudTrail in the caller's account.
    pub fn cloudtrail(&self) -> aws_sdk_cloudtrail::Client {
        aws_sdk_cloudtrail::Client::new(&self.config)
    }
}
