//! CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
//! ListOpenIDConnectProviders, DeleteOpenIDConnectProvider,
//! Add/RemoveClientIDToOpenIDConnectProvider,
//! UpdateOpenIDConnectProviderThumbprint (tags: `tags`).

use rootward_core::clock::iso8601;
use rootward_core::iam::oidc_providers as oidc;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

const ARN: &str = "OpenIDConnectProviderArn";

fn members(x: &mut Xml, name: &str, items: &[String]) {
    x.open(name);
    for i in items {
        x.elem("member", i);
    }
    x.close(name);
}

pub(super) fn create_open_id_connect_provider(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let tags = super::tags_param(p, "Tags");
    let created = oidc::create_open_id_connect_provider(
        ctx.svc,
        ctx.caller,
        p.required("Url")?,
        &p.list("ClientIDList"),
        &p.list("ThumbprintList"),
        &tags,
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.elem(ARN, &created.arn);
    super::tags_xml(&mut x, &created.tags);
    Ok(Some(x))
}

pub(super) fn get_open_id_connect_provider(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let o = oidc::get_open_id_connect_provider(ctx.svc, ctx.caller, p.required(ARN)?)
        .map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("Url", &o.url);
    members(&mut x, "ClientIDList", &o.client_ids);
    members(&mut x, "ThumbprintList", &o.thumbprints);
    x.elem("CreateDate", &iso8601(o.created));
    super::tags_xml(&mut x, &o.tags);
    Ok(Some(x))
}

pub(super) fn list_open_id_connect_providers(
    ctx: &Ctx<'_>,
    _p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let all = oidc::list_open_id_connect_providers(ctx.svc, ctx.caller).map_err(from_core)?;
    let mut x = Xml::new();
    x.open("OpenIDConnectProviderList");
    for o in &all {
        x.open("member").elem("Arn", &o.arn).close("member");
    }
    x.close("OpenIDConnectProviderList");
    Ok(Some(x))
}

pub(super) fn delete_open_id_connect_provider(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    oidc::delete_open_id_connect_provider(ctx.svc, ctx.caller, p.required(ARN)?)
        .map_err(from_core)?;
    Ok(None)
}

pub(super) fn add_client_id_to_open_id_connect_provider(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    oidc::add_client_id(
        ctx.svc,
        ctx.caller,
        p.required(ARN)?,
        p.required("ClientID")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn remove_client_id_from_open_id_connect_provider(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    oidc::remove_client_id(
        ctx.svc,
        ctx.caller,
        p.required(ARN)?,
        p.required("ClientID")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn update_open_id_connect_provider_thumbprint(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    oidc::update_thumbprints(
        ctx.svc,
        ctx.caller,
        p.required(ARN)?,
        &p.list("ThumbprintList"),
    )
    .map_err(from_core)?;
    Ok(None)
}
