//! Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole,
//! GetServiceLinkedRoleDeletionStatus, and the guard that keeps the ordinary
//! role operations off them (`UnmodifiableEntity`).
//!
//! A service-linked role is named `AWSServiceRoleFor<Service>` (with
//! `_<CustomSuffix>` where the service takes one), lives under
//! `/aws-service-role/<service principal>/` and trusts only its service to
//! assume it. Only the services of [`SERVICES`] are known: AWS's names are
//! not derivable from the principal (`guardduty` → `AmazonGuardDuty`).

use crate::authz::Caller;
use crate::error::CoreError;
use crate::ids;
use crate::model::{Change, Record, Role, SlrDeletion, table, user_key};
use crate::service::Service;

/// A service that links roles: its principal, the name after
/// `AWSServiceRoleFor`, and whether it takes a `CustomSuffix`.
#[derive(Debug, Clone, Copy)]
pub struct LinkedService {
    /// Service principal (`AWSServiceName`).
    pub principal: &'static str,
    /// `AWSServiceRoleFor` + this is the role's name.
    pub role_suffix: &'static str,
    /// Whether `CustomSuffix` is accepted.
    pub custom_suffix: bool,
}

const fn svc(
    principal: &'static str,
    role_suffix: &'static str,
    custom_suffix: bool,
) -> LinkedService {
    LinkedService {
        principal,
        role_suffix,
        custom_suffix,
    }
}

/// The services whose service-linked role names are known, from each
/// service's "Using service-linked roles" documentation. Which of them take
/// a `CustomSuffix` is documented for Auto Scaling; the others are taken as
/// not [UNCONFIRMED].
pub const SERVICES: &[LinkedService] = &[
    svc("access-analyzer.amazonaws.com", "AccessAnalyzer", false),
    svc("autoscaling.amazonaws.com", "AutoScaling", true),
    svc("cloudtrail.amazonaws.com", "CloudTrail", false),
    svc("config.amazonaws.com", "Config", false),
    svc("ecs.amazonaws.com", "ECS", false),
    svc("elasticbeanstalk.amazonaws.com", "ElasticBeanstalk", false),
    svc(
        "elasticloadbalancing.amazonaws.com",
        "ElasticLoadBalancing",
        false,
    ),
    svc("guardduty.amazonaws.com", "AmazonGuardDuty", false),
    svc("organizations.amazonaws.com", "Organizations", false),
    svc("rds.amazonaws.com", "RDS", false),
    svc("securityhub.amazonaws.com", "SecurityHub", false),
    svc("spot.amazonaws.com", "EC2Spot", false),
    svc("ssm.amazonaws.com", "AmazonSSM", false),
    svc("sso.amazonaws.com", "SSO", false),
    svc("support.amazonaws.com", "Support", false),
    svc("trustedadvisor.amazonaws.com", "TrustedAdvisor", false),
];

/// The refusal of an ordinary role operation on a service-linked role.
pub fn unmodifiable(role: &Role) -> CoreError {
    CoreError::UnmodifiableEntity(format!(
        "Cannot perform the operation on the protected role '{}' - this role is only modifiable by AWS",
        role.name
    ))
}

/// Refuses a change to a service-linked role through the ordinary role
/// operations (`DeleteRole`, `UpdateAssumeRolePolicy`, `PutRolePolicy`, …):
/// botocore lists `UnmodifiableEntity` for each of them.
pub fn check_modifiable(role: &Role) -> Result<(), CoreError> {
    if role.linked_service.is_some() {
        Err(unmodifiable(role))
    } else {
        Ok(())
    }
}

/// `iam:CreateServiceLinkedRole`.
pub fn create_service_linked_role(
    svc: &Service,
    caller: &Caller,
    service_name: &str,
    description: Option<&str>,
    custom_suffix: Option<&str>,
) -> Result<Role, CoreError> {
    // UNCONFIRMED: the message for a service that links no roles here.
    let linked = SERVICES
        .iter()
        .find(|s| s.principal == service_name)
        .ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "Invalid ServiceName: {service_name} does not support service-linked roles."
            ))
        })?;
    let name = match custom_suffix {
        None => format!("AWSServiceRoleFor{}", linked.role_suffix),
        Some(s) if linked.custom_suffix => format!("AWSServiceRoleFor{}_{s}", linked.role_suffix),
        // UNCONFIRMED: the message.
        Some(_) => {
            return Err(CoreError::InvalidInput(format!(
                "Custom suffix is not allowed for {service_name}"
            )));
        }
    };
    super::check_name("roleName", &name, 64)?;
    let path = format!("/aws-service-role/{service_name}/");
    let arn = crate::ident::Arn::role(&caller.account, &path, &name).to_string();
    svc.authorize(
        caller,
        "iam:CreateServiceLinkedRole",
        &arn,
        None,
        &[("iam:AWSServiceName", service_name)],
    )?;
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":["{service_name}"]}},"Action":["sts:AssumeRole"]}}]}}"#
    );
    let now = svc.now();
    svc.mutate(|state| {
        if state.role(&caller.account, &name).is_some() {
            return Err(CoreError::InvalidInput(format!(
                "Service role name {name} has been taken in this account, please try a different suffix."
            )));
        }
        let role = Role {
            account: caller.account.clone(),
            name: name.clone(),
            path: path.clone(),
            id: ids::unique_id("AROA"),
            created: now,
            trust_policy: trust.clone(),
            description: description.map(str::to_owned),
            max_session_duration: 3_600,
            inline_policies: Default::default(),
            attached_policies: Vec::new(),
            permissions_boundary: None,
            tags: Vec::new(),
            linked_service: Some(service_name.to_owned()),
        };
        Ok((role.clone(), vec![Change::Put(Record::Role(role))]))
    })
}

/// `iam:DeleteServiceLinkedRole`: deletes the role at once and answers the
/// id of a deletion task that has succeeded
/// (`task/aws-service-role/SERVICE/ROLE/UUID`). An ordinary role is a
/// `ValidationError` [UNCONFIRMED: AWS documents no answer for it].
pub fn delete_service_linked_role(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<String, CoreError> {
    let arn = svc
        .read()
        .role(&caller.account, name)
        .map(Role::arn)
        .unwrap_or_else(|| crate::ident::Arn::role(&caller.account, "/", name).to_string());
    svc.authorize(caller, "iam:DeleteServiceLinkedRole", &arn, None, &[])?;
    let now = svc.now();
    svc.mutate(|state| {
        let r = state.role(&caller.account, name).ok_or_else(|| {
            CoreError::NoSuchEntity(format!("The role with name {name} cannot be found."))
        })?;
        let Some(service) = &r.linked_service else {
            return Err(CoreError::Validation(format!(
                "Role {} is not a service-linked role.",
                r.name
            )));
        };
        if !super::instance_profiles::profiles_of_role(state, &r.account, &r.name).is_empty() {
            return Err(CoreError::DeleteConflict(
                "Cannot delete entity, must remove roles from instance profile first.".into(),
            ));
        }
        let id = format!("task/aws-service-role/{service}/{}/{}", r.name, ids::uuid());
        let task = SlrDeletion {
            id: id.clone(),
            account: caller.account.clone(),
            role_arn: r.arn(),
            created: now,
        };
        Ok((
            id,
            vec![
                Change::Delete(table::ROLES, user_key(&r.account, &r.name)),
                Change::Put(Record::SlrDeletion(task)),
            ],
        ))
    })
}

/// `iam:GetServiceLinkedRoleDeletionStatus`: `SUCCEEDED` for a task of the
/// caller's account (deletion is immediate here); another id is
/// `NoSuchEntity`.
pub fn get_service_linked_role_deletion_status(
    svc: &Service,
    caller: &Caller,
    task_id: &str,
) -> Result<&'static str, CoreError> {
    // The task id names the role: `task/aws-service-role/SERVICE/ROLE/UUID`.
    let parts: Vec<&str> = task_id.split('/').collect();
    let (service, role) = match parts.as_slice() {
        ["task", "aws-service-role", service, role, _] => (*service, *role),
        _ => {
            // UNCONFIRMED: AWS's message for a malformed id.
            return Err(CoreError::InvalidInput(format!(
                "Invalid deletion task id: {task_id}"
            )));
        }
    };
    let arn = crate::ident::Arn::role(
        &caller.account,
        &format!("/aws-service-role/{service}/"),
        role,
    )
    .to_string();
    svc.authorize(
        caller,
        "iam:GetServiceLinkedRoleDeletionStatus",
        &arn,
        None,
        &[],
    )?;
    svc.read()
        .slr_deletions
        .get(task_id)
        .filter(|t| t.account == caller.account)
        .map(|_| "SUCCEEDED")
        .ok_or_else(|| CoreError::NoSuchEntity(format!("Deletion task {task_id} cannot be found.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_service_names_a_valid_role() {
        for s in SERVICES {
            let name = format!("AWSServiceRoleFor{}", s.role_suffix);
            assert!(
                super::super::check_name("roleName", &name, 64).is_ok(),
                "{name}"
            );
            assert!(s.principal.ends_with(".amazonaws.com"));
        }
    }
}
