//! GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails.

use rootward_core::clock::iso8601;
use rootward_core::iam::last_accessed;

use super::{paginate, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn generate_service_last_accessed_details(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let id = last_accessed::generate(
        ctx.svc,
        ctx.caller,
        p.required("Arn")?,
        p.str("Granularity"),
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("JobId", &id);
    Ok(Some(x))
}

pub(super) fn get_service_last_accessed_details(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let r = last_accessed::get(ctx.svc, ctx.caller, p.required("JobId")?).map_err(from_core)?;
    let (page, next) = paginate(r.services.clone(), p)?;
    let mut x = Xml::new();
    x.elem("JobStatus", "COMPLETED")
        .elem("JobType", &r.granularity)
        .elem("JobCreationDate", &iso8601(r.created));
    x.open("ServicesLastAccessed");
    for s in &page {
        x.open("member")
            .elem("ServiceName", last_accessed::service_name(&s.namespace));
        if let Some(t) = s.last_authenticated {
            x.elem("LastAuthenticated", &iso8601(t));
        }
        x.elem("ServiceNamespace", &s.namespace)
            .opt("LastAuthenticatedEntity", s.last_entity.as_deref())
            .opt("LastAuthenticatedRegion", s.last_region.as_deref())
            .elem("TotalAuthenticatedEntities", &s.total_entities.to_string());
        x.close("member");
    }
    x.close("ServicesLastAccessed");
    x.elem("JobCompletionDate", &iso8601(r.created));
    truncation(&mut x, next);
    Ok(Some(x))
}
