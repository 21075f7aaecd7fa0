//! GenerateCredentialReport, GetCredentialReport.

use base64::Engine as _;
use rootward_core::clock::iso8601;
use rootward_core::iam::credential_report;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn generate_credential_report(
    ctx: &Ctx<'_>,
    _p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let (state, description) =
        credential_report::generate_credential_report(ctx.svc, ctx.caller).map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("State", state);
    if !description.is_empty() {
        x.elem("Description", description);
    }
    Ok(Some(x))
}

pub(super) fn get_credential_report(
    ctx: &Ctx<'_>,
    _p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let r = credential_report::get_credential_report(ctx.svc, ctx.caller).map_err(from_core)?;
    let mut x = Xml::new();
    x.elem(
        "Content",
        &base64::engine::general_purpose::STANDARD.encode(r.content.as_bytes()),
    )
    .elem("ReportFormat", "text/csv")
    .elem("GeneratedTime", &iso8601(r.generated));
    Ok(Some(x))
}
