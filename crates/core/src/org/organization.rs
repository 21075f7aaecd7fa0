//! The organization itself: create, describe, delete, features, the root and
//! its policy types.

use time::OffsetDateTime;

use super::model::{Attachment, FULL_AWS_ACCESS_ID, Organization, SCP};
use super::{
    OrgError, as_management, as_reader, authorize, err, handshake_constraint, id_body, invalid,
    org_of,
};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;
use crate::state::State;

/// Every policy type of the model (`PolicyType` enum).
pub const POLICY_TYPES: &[&str] = &[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "SECURITYHUB_POLICY",
    "INSPECTOR_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
    "BEDROCK_POLICY",
    "S3_POLICY",
    "NETWORK_SECURITY_DIRECTOR_POLICY",
];

/// An organization with what its description shows beside it.
#[derive(Debug, Clone)]
pub struct OrgDescription {
    /// The organization.
    pub org: Organization,
    /// The management account's e-mail.
    pub management_email: String,
}

fn describe(state: &State, org: &Organization) -> OrgDescription {
    OrgDescription {
        org: org.clone(),
        management_email: state
            .accounts
            .get(&org.management_account)
            .map(|a| a.email.clone())
            .unwrap_or_default(),
    }
}

/// Attaches `FullAWSAccess` to a new target when SCPs are enabled.
pub(crate) fn default_scp(org: &Organization, target: &str) -> Option<Change> {
    org.scps_enabled().then(|| {
        Change::Put(Record::OrgAttachment(Attachment {
            org: org.id.clone(),
            policy: FULL_AWS_ACCESS_ID.to_owned(),
            target: target.to_owned(),
        }))
    })
}

/// `organizations:CreateOrganization`.
pub fn create_organization(
    svc: &Service,
    caller: &Caller,
    feature_set: Option<&str>,
) -> Result<OrgDescription, CoreError> {
    let feature_set = feature_set.unwrap_or("ALL");
    if !matches!(feature_set, "ALL" | "CONSOLIDATED_BILLING") {
        return Err(invalid(
            "INVALID_ENUM",
            "You specified an invalid value for featureSet.",
        ));
    }
    authorize(svc, caller, "CreateOrganization", "*")?;
    let now = svc.now();
    svc.mutate(|state| {
        if state.org.org_of(&caller.account).is_some() {
            return Err(err(
                OrgError::AlreadyInOrganization,
                "The AWS account is already a member of an organization.",
            ));
        }
        let org = Organization {
            id: crate::ident::OrganizationId::generate().into(),
            management_account: caller.account.clone(),
            feature_set: feature_set.to_owned(),
            root_id: format!("r-{}", id_body(4)),
            created: now,
            policy_types: if feature_set == "ALL" {
                vec![SCP.to_owned()]
            } else {
                Vec::new()
            },
            trusted_services: Default::default(),
            delegated_admins: Default::default(),
            iam_features: Vec::new(),
        };
        let mut changes = vec![
            Change::Put(Record::Organization(org.clone())),
            Change::Put(Record::OrgMember(super::model::Membership {
                account: caller.account.clone(),
                org: org.id.clone(),
                parent: org.root_id.clone(),
                joined_method: "CREATED".to_owned(),
                joined: now,
            })),
        ];
        changes.extend(default_scp(&org, &org.root_id));
        changes.extend(default_scp(&org, &caller.account));
        Ok((describe(state, &org), changes))
    })
}

/// `organizations:DescribeOrganization` (any member account).
pub fn describe_organization(svc: &Service, caller: &Caller) -> Result<OrgDescription, CoreError> {
    authorize(svc, caller, "DescribeOrganization", "*")?;
    let state = svc.read();
    let org = org_of(&state, caller)?;
    Ok(describe(&state, org))
}

/// `organizations:DeleteOrganization`: only an organization with no member
/// account but the management account.
pub fn delete_organization(svc: &Service, caller: &Caller) -> Result<(), CoreError> {
    authorize(svc, caller, "DeleteOrganization", "*")?;
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        if state
            .org
            .members
            .values()
            .any(|m| m.org == org.id && m.account != org.management_account)
        {
            return Err(err(OrgError::OrganizationNotEmpty, "To delete an organization you must first remove all member accounts (except the master).",
            ));
        }
        let o = &org.id;
        let mut changes = vec![
            Change::Delete(table::ORGS, o.clone()),
            Change::Delete(table::ORG_MEMBERS, org.management_account.clone()),
        ];
        let s = &state.org;
        changes.extend(s.units.values().filter(|u| &u.org == o).map(|u| Change::Delete(table::ORG_UNITS, u.id.clone())));
        changes.extend(s.policies.values().filter(|p| &p.org == o).map(|p| Change::Delete(table::ORG_POLICIES, p.id.clone())));
        changes.extend(s.attachments.values().filter(|a| &a.org == o).map(|a| Change::Delete(table::ORG_ATTACHMENTS, a.key())));
        changes.extend(s.statuses.values().filter(|c| &c.org == o).map(|c| Change::Delete(table::CREATE_ACCOUNT_STATUSES, c.id.clone())));
        changes.extend(s.handshakes.values().filter(|h| &h.org == o).map(|h| Change::Delete(table::HANDSHAKES, h.id.clone())));
        Ok(((), changes))
    })
}

/// A handshake as `EnableAllFeatures` returns it.
#[derive(Debug, Clone)]
pub struct FeaturesHandshake {
    /// `h-…`.
    pub id: String,
    /// The organization.
    pub org: Organization,
    /// When.
    pub at: OffsetDateTime,
}

/// `organizations:EnableAllFeatures`. Real AWS asks every invited account to
/// approve through a handshake; Rootward switches at once (spec 03 §3.4
/// allows this simplification) and answers with an accepted handshake.
pub fn enable_all_features(svc: &Service, caller: &Caller) -> Result<FeaturesHandshake, CoreError> {
    authorize(svc, caller, "EnableAllFeatures", "*")?;
    let now = svc.now();
    svc.mutate(|state| {
        let org = as_management(state, caller)?;
        if org.feature_set == "ALL" {
            return Err(handshake_constraint(
                "ORGANIZATION_ALREADY_HAS_ALL_FEATURES",
                "This organization has already enabled all features.",
            ));
        }
        let mut org = org.clone();
        org.feature_set = "ALL".to_owned();
        let hs = FeaturesHandshake {
            id: format!("h-{}", id_body(10)),
            org: org.clone(),
            at: now,
        };
        Ok((hs, vec![Change::Put(Record::Organization(org))]))
    })
}

/// `organizations:ListRoots`: the organization (it has one root).
pub fn list_roots(svc: &Service, caller: &Caller) -> Result<Organization, CoreError> {
    authorize(svc, caller, "ListRoots", "*")?;
    let state = svc.read();
    as_reader(&state, caller).cloned()
}

fn check_policy_type(t: &str) -> Result<(), CoreError> {
    if POLICY_TYPES.contains(&t) {
        Ok(())
    } else {
        Err(invalid(
            "INVALID_ENUM_POLICY_TYPE",
            "You specified an invalid policy type string.",
        ))
    }
}

fn root_of<'a>(
    state: &'a State,
    caller: &Caller,
    root_id: &str,
) -> Result<&'a Organization, CoreError> {
    let org = as_management(state, caller)?;
    if org.root_id == root_id {
        Ok(org)
    } else {
        Err(err(
            OrgError::RootNotFound,
            "We can't find a root with the RootId that you specified.",
        ))
    }
}

/// `organizations:EnablePolicyType`. Enabling SCPs attaches `FullAWSAccess` to
/// the root, every OU and every account, as AWS does.
pub fn enable_policy_type(
    svc: &Service,
    caller: &Caller,
    root_id: &str,
    policy_type: &str,
) -> Result<Organization, CoreError> {
    super::check_id("rootId", root_id, "r-")?;
    check_policy_type(policy_type)?;
    authorize(svc, caller, "EnablePolicyType", "*")?;
    svc.mutate(|state| {
        let org = root_of(state, caller, root_id)?;
        if org.feature_set != "ALL" {
            return Err(err(OrgError::PolicyTypeNotAvailableForOrganization, "You can't use the specified policy type with the feature set currently enabled for this organization.",
            ));
        }
        if org.policy_types.iter().any(|t| t == policy_type) {
            return Err(err(OrgError::PolicyTypeAlreadyEnabled, "The specified policy type is already enabled.",
            ));
        }
        let mut org = org.clone();
        org.policy_types.push(policy_type.to_owned());
        let mut changes = Vec::new();
        if policy_type == SCP {
            let s = &state.org;
            let targets = std::iter::once(org.root_id.clone())
                .chain(s.units.values().filter(|u| u.org == org.id).map(|u| u.id.clone()))
                .chain(s.members.values().filter(|m| m.org == org.id).map(|m| m.account.clone()));
            for t in targets {
                changes.extend(default_scp(&org, &t));
            }
        }
        changes.push(Change::Put(Record::Organization(org.clone())));
        Ok((org, changes))
    })
}

/// `organizations:DisablePolicyType`: every policy of that type is detached.
pub fn disable_policy_type(
    svc: &Service,
    caller: &Caller,
    root_id: &str,
    policy_type: &str,
) -> Result<Organization, CoreError> {
    super::check_id("rootId", root_id, "r-")?;
    check_policy_type(policy_type)?;
    authorize(svc, caller, "DisablePolicyType", "*")?;
    svc.mutate(|state| {
        let org = root_of(state, caller, root_id)?;
        if !org.policy_types.iter().any(|t| t == policy_type) {
            return Err(err(
                OrgError::PolicyTypeNotEnabled,
                "This operation can be performed only for enabled policy types.",
            ));
        }
        let mut org = org.clone();
        org.policy_types.retain(|t| t != policy_type);
        let mut changes: Vec<Change> = state
            .org
            .attachments
            .values()
            .filter(|a| a.org == org.id && state.org.policy_type(&a.policy) == Some(policy_type))
            .map(|a| Change::Delete(table::ORG_ATTACHMENTS, a.key()))
            .collect();
        changes.push(Change::Put(Record::Organization(org.clone())));
        Ok((org, changes))
    })
}
