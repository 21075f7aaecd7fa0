//! Enable: IAM trusted access, both features, and optionally the delegated
//! administrator; idempotent, each step says what changed and what already
//! was.

use serde::Serialize;

use crate::aws::Aws;
use crate::error::{Failure, sdk};
use crate::status::{IAM, delegated, features, trusted_access};
use crate::table::{Table, cell};

/// One step (`--output json`: `steps[]`).
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `trusted-access`, `root-credentials-management`, `root-sessions`,
    /// `delegated-administrator`.
    pub step: &'static str,
    /// `changed`, `unchanged` or `failed`.
    pub status: &'static str,
    /// The account for `delegated-administrator`.
    pub account_id: Option<String>,
    /// AWS's refusal.
    pub error: Option<Failure>,
}

/// The document of `enable` (`--output json`).
#[derive(Debug, Clone, Serialize)]
pub struct EnableReport {
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl EnableReport {
    /// A step failed.
    pub fn failed(&self) -> bool {
        self.steps.iter().any(|s| s.error.is_some())
    }

    /// The table (and CSV) columns.
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["step", "status", "account", "error"]);
        for s in &self.steps {
            t.row(vec![
                s.step.to_owned(),
                s.status.to_owned(),
                cell(s.account_id.as_deref()),
                s.error
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ]);
        }
        t
    }
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

/// Turns everything on (what `rootward enable` runs); a failed step does
/// not stop the later ones, which are still tried and reported.
pub async fn enable(aws: &Aws, delegate: Option<&str>) -> EnableReport {
    let mut steps = Vec::new();
    let r = async {
        if trusted_access(aws).await? {
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
    let current = features(aws).await;
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
    if let Some(d) = delegate {
        let r = async {
            if delegated(aws).await?.iter().any(|a| a == d) {
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
        s.account_id = Some(d.to_owned());
        steps.push(s);
    }
    EnableReport { steps }
}
