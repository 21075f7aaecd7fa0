//! AWS clients from the standard credential chain (environment, named
//! profiles, IAM Identity Center, `credential_process`, container and
//! instance roles), with an endpoint override and a region, and the SDK's
//! adaptive retry mode.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::error::sdk;

/// How to reach AWS: the options every operator face takes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Named profile of the shared AWS config (default: the standard chain).
    pub profile: Option<String>,
    /// Region (AssumeRoot always goes to this region's STS endpoint).
    pub region: Option<String>,
    /// Endpoint of every service, e.g. a `rootward serve`.
    pub endpoint_url: Option<String>,
    /// Attempts per request (adaptive retry mode).
    pub max_attempts: u32,
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
/// `GetCallerIdentity`; every problem is a set-up error.
pub async fn connect(options: &Options) -> Result<Aws, String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(options.max_attempts.max(1)));
    if let Some(p) = &options.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &options.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &options.endpoint_url {
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
