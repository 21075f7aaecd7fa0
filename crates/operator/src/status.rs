//! Status: the organization, the management account, IAM trusted
//! access, the two root-access features, the delegated administrators, and
//! whether the caller can AssumeRoot (probed with an audit session on one
//! member account, whose credentials are dropped at once).

use serde::Serialize;

use crate::aws::Aws;
use crate::error::{Failure, sdk};
use crate::root::{RootSession, Task};
use crate::select::{Org, all_accounts, organization};
use crate::table::Table;

/// The service principal of IAM.
pub const IAM: &str = "iam.amazonaws.com";

/// The two IAM features.
#[derive(Debug, Clone, Serialize)]
pub struct Features {
    /// `RootCredentialsManagement`.
    pub root_credentials_management: bool,
    /// `RootSessions`.
    pub root_sessions: bool,
}

/// Whether the caller could AssumeRoot.
#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    /// The account probed.
    pub account_id: Option<String>,
    /// `yes`, `no`, or `not-probed`.
    pub result: &'static str,
    /// Why not.
    pub error: Option<Failure>,
}

/// The document of `status` (`--output json`); each `…_error` explains a
/// `null`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    /// `o-…`.
    pub organization_id: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    /// The management account.
    pub management_account: String,
    /// The caller's ARN.
    pub caller_arn: String,
    /// The caller's account.
    pub caller_account: String,
    /// Trusted access for IAM.
    pub trusted_access_iam: Option<bool>,
    /// Why it is unknown.
    pub trusted_access_error: Option<Failure>,
    /// The two features.
    pub features: Option<Features>,
    /// Why they are unknown.
    pub features_error: Option<Failure>,
    /// IAM's delegated administrators.
    pub delegated_administrators: Option<Vec<String>>,
    /// Why they are unknown.
    pub delegated_administrators_error: Option<Failure>,
    /// The AssumeRoot probe.
    pub can_assume_root: Probe,
}

/// Which account the probe uses.
#[derive(Debug, Clone)]
pub enum ProbeOn {
    /// The first member account listed.
    FirstMember,
    /// This account.
    Account(String),
    /// No probe.
    Nothing,
}

/// Whether IAM trusted access is on.
pub async fn trusted_access(aws: &Aws) -> Result<bool, Failure> {
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
pub async fn features(aws: &Aws) -> Result<Features, Failure> {
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
pub async fn delegated(aws: &Aws) -> Result<Vec<String>, Failure> {
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

/// What `rootward status` reports: `Err` only when the organization
/// cannot be described (a set-up error).
pub async fn status(aws: &Aws, probe_on: &ProbeOn) -> Result<StatusReport, String> {
    let org = organization(aws).await?;
    Ok(status_of(aws, org, probe_on).await)
}

/// [`status`] for an organization already described.
pub async fn status_of(aws: &Aws, org: Org, probe_on: &ProbeOn) -> StatusReport {
    let trusted = trusted_access(aws).await;
    let feats = features(aws).await;
    let das = delegated(aws).await;
    let probe = match probe_on {
        ProbeOn::Nothing => Probe {
            account_id: None,
            result: "not-probed",
            error: None,
        },
        _ => {
            let target = match probe_on {
                ProbeOn::Account(a) => Some(a.clone()),
                _ => all_accounts(aws)
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
                Some(t) => match RootSession::assume(aws, &t, Task::Audit, None).await {
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
        }
    };
    StatusReport {
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
    }
}

impl StatusReport {
    /// Everything is on and AssumeRoot works (the CLI exits 0).
    pub fn ok(&self) -> bool {
        self.trusted_access_iam == Some(true)
            && self
                .features
                .as_ref()
                .is_some_and(|f| f.root_credentials_management && f.root_sessions)
            && self.can_assume_root.result != "no"
    }

    /// What is off, in words (empty when all is on).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.trusted_access_iam != Some(true) {
            out.push("trusted access for IAM is not enabled".to_owned());
        }
        match &self.features {
            Some(f) => {
                if !f.root_credentials_management {
                    out.push("RootCredentialsManagement is off".to_owned());
                }
                if !f.root_sessions {
                    out.push("RootSessions is off".to_owned());
                }
            }
            None => out.push("the features are unknown".to_owned()),
        }
        if self.can_assume_root.result == "no" {
            out.push("the caller cannot AssumeRoot".to_owned());
        }
        out
    }

    /// The CLI's `item value` table.
    pub fn table(&self) -> Table {
        let yn = |b: Option<bool>| match b {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => "unknown".to_owned(),
        };
        let mut t = Table::new(&["item", "value"]);
        for (k, v) in self.items(yn) {
            t.row(vec![k.to_owned(), v]);
        }
        t
    }

    /// The items shown, as (label, value), with `yn` for yes/no/unknown.
    pub fn items(&self, yn: impl Fn(Option<bool>) -> String) -> Vec<(&'static str, String)> {
        let mut v = vec![
            ("organization", self.organization_id.clone()),
            ("feature set", self.feature_set.clone()),
            ("management account", self.management_account.clone()),
            ("caller", self.caller_arn.clone()),
            ("trusted access for IAM", yn(self.trusted_access_iam)),
        ];
        if let Some(e) = &self.trusted_access_error {
            v.push(("trusted access error", e.to_string()));
        }
        v.push((
            "RootCredentialsManagement",
            yn(self
                .features
                .as_ref()
                .map(|f| f.root_credentials_management)),
        ));
        v.push((
            "RootSessions",
            yn(self.features.as_ref().map(|f| f.root_sessions)),
        ));
        if let Some(e) = &self.features_error {
            v.push(("features error", e.to_string()));
        }
        v.push((
            "delegated administrators",
            self.delegated_administrators
                .as_ref()
                .map(|d| {
                    if d.is_empty() {
                        "none".to_owned()
                    } else {
                        d.join(" ")
                    }
                })
                .unwrap_or_else(|| "unknown".to_owned()),
        ));
        if let Some(e) = &self.delegated_administrators_error {
            v.push(("delegated administrators error", e.to_string()));
        }
        let p = &self.can_assume_root;
        v.push((
            "caller can AssumeRoot",
            match (&p.account_id, &p.error) {
                (Some(a), None) => format!("{} (probed on {a})", p.result),
                (Some(a), Some(e)) => format!("{} (probed on {a}: {e})", p.result),
                (None, Some(e)) => format!("{} ({e})", p.result),
                (None, None) => p.result.to_owned(),
            },
        ));
        v
    }
}
