//! IAM's centralized root access features (spec 02 §2.5):
//! `EnableOrganizationsRootCredentialsManagement`,
//! `EnableOrganizationsRootSessions`, their `Disable…`, and
//! `ListOrganizationsFeatures`.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record};
use crate::org::model::{IAM_PRINCIPAL, Organization, ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS};
use crate::service::Service;
use crate::state::State;

/// The organization and its enabled features, in AWS's order
/// (`RootSessions` before `RootCredentialsManagement`, [live]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    /// `o-…`.
    pub organization_id: String,
    /// Enabled features.
    pub enabled: Vec<&'static str>,
}

fn features(org: &Organization) -> Features {
    Features {
        organization_id: org.id.clone(),
        enabled: [ROOT_SESSIONS, ROOT_CREDENTIALS_MANAGEMENT]
            .into_iter()
            .filter(|f| org.iam_features.iter().any(|g| g == f))
            .collect(),
    }
}

/// Rows 2–6 of the decision procedure: the caller's organization, if the
/// caller may use these operations (`enable`: management account only).
fn check<'a>(
    state: &'a State,
    caller: &Caller,
    enable: bool,
) -> Result<&'a Organization, CoreError> {
    let account = &caller.account;
    // UNCONFIRMED messages (rows 2 and 3): wording of our own.
    let org = state.org.org_of(account).ok_or_else(|| {
        CoreError::OrganizationNotFound(format!(
            "The organization of input account {account} was not found."
        ))
    })?;
    if org.feature_set != "ALL" {
        return Err(CoreError::OrganizationNotInAllFeaturesMode(format!(
            "The organization of input account {account} does not have all features enabled."
        )));
    }
    if !org.trusted_services.contains_key(IAM_PRINCIPAL) {
        return Err(CoreError::ServiceAccessNotEnabled(format!(
            "Trusted Access for IAM not enabled by organization of input account {account}."
        )));
    }
    let management = org.management_account == *account;
    let delegated = org
        .delegated_admins
        .get(account)
        .is_some_and(|s| s.contains_key(IAM_PRINCIPAL));
    if !management && !delegated {
        return Err(CoreError::AccountNotManagementOrDelegatedAdministrator(
            format!("Input account {account} is neither management account nor delegated admin."),
        ));
    }
    if enable && !management {
        return Err(CoreError::CallerIsNotManagementAccount(format!(
            "Caller account {account} is not management account of the organization and cannot enable IAM features."
        )));
    }
    Ok(org)
}

/// `iam:ListOrganizationsFeatures`.
pub fn list(svc: &Service, caller: &Caller) -> Result<Features, CoreError> {
    svc.authorize(caller, "iam:ListOrganizationsFeatures", "*", None, &[])?;
    let state = svc.read();
    check(&state, caller, false).map(features)
}

fn set(
    svc: &Service,
    caller: &Caller,
    op: &str,
    feature: &str,
    on: bool,
) -> Result<Features, CoreError> {
    svc.authorize(caller, &format!("iam:{op}"), "*", None, &[])?;
    svc.mutate(|state| {
        let org = check(state, caller, on)?;
        let present = org.iam_features.iter().any(|f| f == feature);
        if present == on {
            return Ok((features(org), Vec::new()));
        }
        let mut org = org.clone();
        if on {
            org.iam_features.push(feature.to_owned());
        } else {
            org.iam_features.retain(|f| f != feature);
        }
        Ok((features(&org), vec![Change::Put(Record::Organization(org))]))
    })
}

/// `iam:EnableOrganizationsRootCredentialsManagement` (management account).
pub fn enable_root_credentials_management(
    svc: &Service,
    caller: &Caller,
) -> Result<Features, CoreError> {
    set(
        svc,
        caller,
        "EnableOrganizationsRootCredentialsManagement",
        ROOT_CREDENTIALS_MANAGEMENT,
        true,
    )
}

/// `iam:EnableOrganizationsRootSessions` (management account).
pub fn enable_root_sessions(svc: &Service, caller: &Caller) -> Result<Features, CoreError> {
    set(
        svc,
        caller,
        "EnableOrganizationsRootSessions",
        ROOT_SESSIONS,
        true,
    )
}

/// `iam:DisableOrganizationsRootCredentialsManagement` (management account or
/// delegated administrator). Issued root sessions keep working.
pub fn disable_root_credentials_management(
    svc: &Service,
    caller: &Caller,
) -> Result<Features, CoreError> {
    set(
        svc,
        caller,
        "DisableOrganizationsRootCredentialsManagement",
        ROOT_CREDENTIALS_MANAGEMENT,
        false,
    )
}

/// `iam:DisableOrganizationsRootSessions` (management account or delegated
/// administrator).
pub fn disable_root_sessions(svc: &Service, caller: &Caller) -> Result<Features, CoreError> {
    set(
        svc,
        caller,
        "DisableOrganizationsRootSessions",
        ROOT_SESSIONS,
        false,
    )
}
