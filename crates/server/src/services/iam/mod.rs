//! IAM (query protocol): the operation table. Handlers live by AWS noun.

mod access_keys;
mod account_alias;
mod authorization_details;
mod credential_report;
mod features;
mod groups;
mod instance_profiles;
mod last_accessed;
mod login_profiles;
mod managed;
mod mfa;
mod oidc_providers;
mod password_policy;
mod policies;
mod providers;
mod roles;
mod service_linked_roles;
mod signing_certificates;
mod simulate;
mod summary;
mod tags;
mod users;

use rootward_model::ValidationErrors;
use rootward_model::iam::{Operation, SERVICE};

use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::{Ctx, Output};

type Handler = fn(&Ctx<'_>, &Input<'_>) -> Result<Option<Xml>, ApiError>;

/// The handler of each IAM operation this endpoint serves (`None`: not
/// served; the operation tables mark exactly these as implemented).
pub(super) fn handler(op: Operation) -> Option<Handler> {
    use Operation::*;
    Some(match op {
        AddClientIDToOpenIDConnectProvider => {
            oidc_providers::add_client_id_to_open_id_connect_provider
        }
        AddRoleToInstanceProfile => instance_profiles::add_role_to_instance_profile,
        AddUserToGroup => groups::add_user_to_group,
        AttachGroupPolicy => groups::attach_group_policy,
        AttachRolePolicy => roles::attach_role_policy,
        AttachUserPolicy => policies::attach_user_policy,
        ChangePassword => login_profiles::change_password,
        CreateAccessKey => access_keys::create_access_key,
        CreateAccountAlias => account_alias::create_account_alias,
        CreateGroup => groups::create_group,
        CreateInstanceProfile => instance_profiles::create_instance_profile,
        CreateLoginProfile => login_profiles::create_login_profile,
        CreateOpenIDConnectProvider => oidc_providers::create_open_id_connect_provider,
        CreatePolicy => managed::create_policy,
        CreatePolicyVersion => managed::create_policy_version,
        CreateRole => roles::create_role,
        CreateServiceLinkedRole => service_linked_roles::create_service_linked_role,
        CreateUser => users::create_user,
        CreateVirtualMFADevice => mfa::create_virtual_mfa_device,
        DeactivateMFADevice => mfa::deactivate_mfa_device,
        DeleteAccessKey => access_keys::delete_access_key,
        DeleteAccountAlias => account_alias::delete_account_alias,
        DeleteAccountPasswordPolicy => password_policy::delete_account_password_policy,
        DeleteGroup => groups::delete_group,
        DeleteGroupPolicy => groups::delete_group_policy,
        DeleteInstanceProfile => instance_profiles::delete_instance_profile,
        DeleteLoginProfile => login_profiles::delete_login_profile,
        DeleteOpenIDConnectProvider => oidc_providers::delete_open_id_connect_provider,
        DeletePolicy => managed::delete_policy,
        DeletePolicyVersion => managed::delete_policy_version,
        DeleteRole => roles::delete_role,
        DeleteRolePermissionsBoundary => roles::delete_role_permissions_boundary,
        DeleteRolePolicy => roles::delete_role_policy,
        DeleteServiceLinkedRole => service_linked_roles::delete_service_linked_role,
        DeleteSigningCertificate => signing_certificates::delete_signing_certificate,
        DeleteUser => users::delete_user,
        DeleteUserPermissionsBoundary => policies::delete_user_permissions_boundary,
        DeleteUserPolicy => policies::delete_user_policy,
        DeleteVirtualMFADevice => mfa::delete_virtual_mfa_device,
        DetachGroupPolicy => groups::detach_group_policy,
        DetachRolePolicy => roles::detach_role_policy,
        DetachUserPolicy => policies::detach_user_policy,
        DisableOrganizationsRootCredentialsManagement => {
            features::disable_root_credentials_management
        }
        DisableOrganizationsRootSessions => features::disable_root_sessions,
        EnableMFADevice => mfa::enable_mfa_device,
        EnableOrganizationsRootCredentialsManagement => {
            features::enable_root_credentials_management
        }
        EnableOrganizationsRootSessions => features::enable_root_sessions,
        GenerateCredentialReport => credential_report::generate_credential_report,
        GenerateServiceLastAccessedDetails => last_accessed::generate_service_last_accessed_details,
        GetAccessKeyLastUsed => access_keys::get_access_key_last_used,
        GetAccountAuthorizationDetails => authorization_details::get_account_authorization_details,
        GetAccountPasswordPolicy => password_policy::get_account_password_policy,
        GetAccountSummary => summary::get_account_summary,
        GetCredentialReport => credential_report::get_credential_report,
        GetGroup => groups::get_group,
        GetGroupPolicy => groups::get_group_policy,
        GetInstanceProfile => instance_profiles::get_instance_profile,
        GetLoginProfile => login_profiles::get_login_profile,
        GetMFADevice => mfa::get_mfa_device,
        GetOpenIDConnectProvider => oidc_providers::get_open_id_connect_provider,
        GetPolicy => managed::get_policy,
        GetPolicyVersion => managed::get_policy_version,
        GetRole => roles::get_role,
        GetRolePolicy => roles::get_role_policy,
        GetServiceLastAccessedDetails => last_accessed::get_service_last_accessed_details,
        GetServiceLinkedRoleDeletionStatus => {
            service_linked_roles::get_service_linked_role_deletion_status
        }
        GetUser => users::get_user,
        GetUserPolicy => policies::get_user_policy,
        ListAccessKeys => access_keys::list_access_keys,
        ListAccountAliases => account_alias::list_account_aliases,
        ListAttachedGroupPolicies => groups::list_attached_group_policies,
        ListAttachedRolePolicies => roles::list_attached_role_policies,
        ListAttachedUserPolicies => policies::list_attached_user_policies,
        ListEntitiesForPolicy => managed::list_entities_for_policy,
        ListGroupPolicies => groups::list_group_policies,
        ListGroups => groups::list_groups,
        ListGroupsForUser => groups::list_groups_for_user,
        ListInstanceProfileTags => tags::list_instance_profile_tags,
        ListMFADeviceTags => tags::list_mfa_device_tags,
        ListInstanceProfiles => instance_profiles::list_instance_profiles,
        ListInstanceProfilesForRole => instance_profiles::list_instance_profiles_for_role,
        ListMFADevices => mfa::list_mfa_devices,
        ListOpenIDConnectProviderTags => tags::list_open_id_connect_provider_tags,
        ListOpenIDConnectProviders => oidc_providers::list_open_id_connect_providers,
        ListOrganizationsFeatures => features::list_organizations_features,
        ListPolicies => managed::list_policies,
        ListPolicyTags => tags::list_policy_tags,
        ListPolicyVersions => managed::list_policy_versions,
        ListRolePolicies => roles::list_role_policies,
        ListRoleTags => tags::list_role_tags,
        ListRoles => roles::list_roles,
        ListSAMLProviders => providers::list_saml_providers,
        ListServerCertificates => providers::list_server_certificates,
        ListServiceSpecificCredentials => providers::list_service_specific_credentials,
        ListSigningCertificates => signing_certificates::list_signing_certificates,
        ListUserPolicies => policies::list_user_policies,
        ListUserTags => tags::list_user_tags,
        ListUsers => users::list_users,
        ListVirtualMFADevices => mfa::list_virtual_mfa_devices,
        PutGroupPolicy => groups::put_group_policy,
        PutRolePermissionsBoundary => roles::put_role_permissions_boundary,
        PutRolePolicy => roles::put_role_policy,
        PutUserPermissionsBoundary => policies::put_user_permissions_boundary,
        PutUserPolicy => policies::put_user_policy,
        RemoveClientIDFromOpenIDConnectProvider => {
            oidc_providers::remove_client_id_from_open_id_connect_provider
        }
        RemoveRoleFromInstanceProfile => instance_profiles::remove_role_from_instance_profile,
        RemoveUserFromGroup => groups::remove_user_from_group,
        ResyncMFADevice => mfa::resync_mfa_device,
        SetDefaultPolicyVersion => managed::set_default_policy_version,
        SimulateCustomPolicy => simulate::simulate_custom_policy,
        SimulatePrincipalPolicy => simulate::simulate_principal_policy,
        TagInstanceProfile => tags::tag_instance_profile,
        TagMFADevice => tags::tag_mfa_device,
        TagOpenIDConnectProvider => tags::tag_open_id_connect_provider,
        TagPolicy => tags::tag_policy,
        TagRole => tags::tag_role,
        TagUser => tags::tag_user,
        UntagInstanceProfile => tags::untag_instance_profile,
        UntagMFADevice => tags::untag_mfa_device,
        UntagOpenIDConnectProvider => tags::untag_open_id_connect_provider,
        UntagPolicy => tags::untag_policy,
        UntagRole => tags::untag_role,
        UntagUser => tags::untag_user,
        UpdateAccessKey => access_keys::update_access_key,
        UpdateAccountPasswordPolicy => password_policy::update_account_password_policy,
        UpdateAssumeRolePolicy => roles::update_assume_role_policy,
        UpdateGroup => groups::update_group,
        UpdateLoginProfile => login_profiles::update_login_profile,
        UpdateOpenIDConnectProviderThumbprint => {
            oidc_providers::update_open_id_connect_provider_thumbprint
        }
        UpdateRoleDescription => roles::update_role_description,
        UpdateRole => roles::update_role,
        UpdateUser => users::update_user,
        UpdateSigningCertificate => signing_certificates::update_signing_certificate,
        UploadSigningCertificate => signing_certificates::upload_signing_certificate,
        _ => return None,
    })
}

/// How IAM answers input that breaks the model's constraints (spec 08 §8.1).
pub fn invalid(e: &ValidationErrors) -> ApiError {
    ApiError::new("ValidationError", 400, e.to_string())
}

/// Runs an IAM operation; a body of `None` means no result element.
pub fn call(
    op: Operation,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<Xml>>, ApiError> {
    match handler(op) {
        Some(h) => h(ctx, input).map(Output::from),
        None => Err(crate::protocol::query::unknown_operation(
            op.name(),
            &SERVICE,
        )),
    }
}

/// Writes `IsTruncated` (and `Marker`) after a list (`Marker`/`MaxItems`, spec 02).
/// `MaxItems` is within 1–1000 by the model's constraints. The marker is
/// the position of the next item ([`paginate_by`] for lists that change
/// between pages).
pub(crate) fn paginate<T>(
    items: Vec<T>,
    p: &Input<'_>,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    paginate_by(items, p, |_| String::new())
}

fn invalid_marker() -> ApiError {
    ApiError::new("ValidationError", 400, "Invalid Marker")
}

/// [`paginate`] for a list whose items `key` names (a user's, role's or
/// group's name, a policy's ARN): the marker also names the first item of
/// the next page, so that a client deleting each page before it asks for
/// the next (a boto3 paginator loop that cleans up) resumes at that item,
/// not at a count of items that no longer holds. Found by its key wherever
/// it now is; gone, the list resumes at the first item after it when the
/// list is in `key` order, else at the position, as [`paginate`] does.
///
/// A marker is opaque to clients, as AWS's are: `N` or `N.` followed by
/// the key in hexadecimal, where `N` is the next item's position.
pub(crate) fn paginate_by<T>(
    items: Vec<T>,
    p: &Input<'_>,
    key: impl Fn(&T) -> String,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let start = match p.str("Marker") {
        None => 0,
        Some(m) => rootward_core::paging::start(&items, m, &key).ok_or_else(invalid_marker)?,
    };
    let max = usize::try_from(p.int("MaxItems")?.unwrap_or(100)).unwrap_or(100);
    let total = items.len();
    let next_key = items.get(start.saturating_add(max)).map(&key);
    let page: Vec<T> = items.into_iter().skip(start).take(max).collect();
    let end = start + page.len();
    // IAM's markers are at most 320 characters (the model's `markerType`):
    // a longer key (a policy's deep path) leaves the marker a position.
    let next = (end < total).then(|| {
        let keyed = rootward_core::paging::encode(end, &next_key.unwrap_or_default());
        if keyed.len() > 320 {
            end.to_string()
        } else {
            keyed
        }
    });
    Ok((page, next))
}

/// The `Tags` list of a request (`Tags.member.N.Key` / `.Value`).
pub(crate) fn tags_param(p: &Input<'_>, name: &str) -> Vec<rootward_core::model::Tag> {
    p.structs(name)
        .iter()
        .filter_map(|t| {
            Some(rootward_core::model::Tag {
                key: t.str("Key")?.to_owned(),
                value: t.str("Value").unwrap_or("").to_owned(),
            })
        })
        .collect()
}

/// `<Tags>` with its members, when there are tags (IAM leaves it out otherwise).
pub(crate) fn tags_xml(x: &mut Xml, tags: &[rootward_core::model::Tag]) {
    if tags.is_empty() {
        return;
    }
    x.open("Tags");
    for t in tags {
        x.open("member")
            .elem("Key", &t.key)
            .elem("Value", &t.value)
            .close("member");
    }
    x.close("Tags");
}

/// IAM returns policy documents URL-encoded, spaces as `%20`.
pub(crate) fn encode_document(doc: &str) -> String {
    form_urlencoded::byte_serialize(doc.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub(crate) fn truncation(x: &mut Xml, next: Option<String>) {
    x.elem("IsTruncated", if next.is_some() { "true" } else { "false" });
    x.opt("Marker", next.as_deref());
}
