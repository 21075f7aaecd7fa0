//! CreateServiceLinkedRole, DeleteServiceLinkedRole,
//! GetServiceLinkedRoleDeletionStatus.

use rootward_core::iam::service_linked_roles as slr;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn create_service_linked_role(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let r = slr::create_service_linked_role(
        ctx.svc,
        ctx.caller,
        p.required("AWSServiceName")?,
        p.str("Description"),
        p.str("CustomSuffix"),
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Role");
    super::roles::role_xml(&mut x, &r);
    x.close("Role");
    Ok(Some(x))
}

pub(super) fn delete_service_linked_role(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let id = slr::delete_service_linked_role(ctx.svc, ctx.caller, p.required("RoleName")?)
        .map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("DeletionTaskId", &id);
    Ok(Some(x))
}

pub(super) fn get_service_linked_role_deletion_status(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let status = slr::get_service_linked_role_deletion_status(
        ctx.svc,
        ctx.caller,
        p.required("DeletionTaskId")?,
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("Status", status);
    Ok(Some(x))
}
