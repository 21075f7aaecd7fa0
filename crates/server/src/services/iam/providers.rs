//! ListSAMLProviders, ListServerCertificates, ListServiceSpecificCredentials:
//! empty lists (nothing here creates them). OpenID Connect providers are in
//! `oidc_providers`.

use rootward_core::iam::providers;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn empty(elements: &[&str], truncation: bool) -> Option<Xml> {
    let mut x = Xml::new();
    for e in elements {
        x.open(e).close(e);
    }
    if truncation {
        x.elem("IsTruncated", "false");
    }
    Some(x)
}

pub(super) fn list_saml_providers(ctx: &Ctx<'_>, _p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    providers::list_none(ctx.svc, ctx.caller, "iam:ListSAMLProviders").map_err(from_core)?;
    Ok(empty(&["SAMLProviderList"], false))
}

pub(super) fn list_server_certificates(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    super::paginate(Vec::<()>::new(), p)?;
    providers::list_none(ctx.svc, ctx.caller, "iam:ListServerCertificates").map_err(from_core)?;
    Ok(empty(&["ServerCertificateMetadataList"], true))
}

pub(super) fn list_service_specific_credentials(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    super::paginate(Vec::<()>::new(), p)?;
    providers::list_service_specific_credentials(ctx.svc, ctx.caller, p.str("UserName"))
        .map_err(from_core)?;
    Ok(empty(&["ServiceSpecificCredentials"], true))
}
