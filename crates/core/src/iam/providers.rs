//! Identity providers and credentials this endpoint cannot create, listed as
//! IAM lists them for an account that has none: ListSAMLProviders,
//! ListOpenIDConnectProviders, ListServerCertificates,
//! ListServiceSpecificCredentials. Each is authorized as on AWS, so a caller
//! without the permission gets `AccessDenied`, not an empty list.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::service::Service;

/// `iam:ListSAMLProviders`, `iam:ListOpenIDConnectProviders`,
/// `iam:ListServerCertificates`: authorized on `*`; there are none.
pub fn list_none(svc: &Service, caller: &Caller, action: &str) -> Result<(), CoreError> {
    svc.authorize(caller, action, "*", None, &[])
}

/// `iam:ListServiceSpecificCredentials`: of a user (which must exist) or of
/// the caller; there are none.
pub fn list_service_specific_credentials(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<(), CoreError> {
    let arn = match user {
        Some(u) => svc
            .read()
            .user(&caller.account, u)
            .map(crate::model::User::arn)
            .unwrap_or_else(|| crate::ident::Arn::user(&caller.account, "/", u).to_string()),
        None => caller.arn(&svc.read()),
    };
    svc.authorize(
        caller,
        "iam:ListServiceSpecificCredentials",
        &arn,
        None,
        &[],
    )?;
    if let Some(u) = user
        && svc.read().user(&caller.account, u).is_none()
    {
        return Err(CoreError::NoSuchEntity(format!(
            "The user with name {u} cannot be found."
        )));
    }
    Ok(())
}
