//! CreateVirtualMFADevice, EnableMFADevice, ResyncMFADevice, ListMFADevices,
//! ListVirtualMFADevices, DeactivateMFADevice, DeleteVirtualMFADevice.
//! The seed goes out once, in CreateVirtualMFADevice's answer.

use base64::Engine as _;
use rootward_core::clock::iso8601;
use rootward_core::iam::mfa::{self, Assignment};
use rootward_core::model::KeyOwner;

use super::truncation;
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn create_virtual_mfa_device(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let d = mfa::create_virtual_mfa_device(
        ctx.svc,
        ctx.caller,
        p.str("Path"),
        p.required("VirtualMFADeviceName")?,
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("VirtualMFADevice").elem("SerialNumber", &d.serial);
    if let Some(seed) = &d.seed {
        // A blob on the wire: base64 of the base32 text.
        x.elem(
            "Base32StringSeed",
            &base64::engine::general_purpose::STANDARD.encode(seed.expose()),
        );
    }
    x.close("VirtualMFADevice");
    Ok(Some(x))
}

pub(super) fn enable_mfa_device(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    mfa::enable_mfa_device(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("SerialNumber")?,
        p.required("AuthenticationCode1")?,
        p.required("AuthenticationCode2")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn resync_mfa_device(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    mfa::resync_mfa_device(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("SerialNumber")?,
        p.required("AuthenticationCode1")?,
        p.required("AuthenticationCode2")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn list_mfa_devices(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (owner, devices) =
        mfa::list_mfa_devices(ctx.svc, ctx.caller, p.str("UserName")).map_err(from_core)?;
    let (page, next) = super::paginate_by(devices, p, |d| d.serial.clone())?;
    let mut x = Xml::new();
    x.open("MFADevices");
    for d in &page {
        x.open("member");
        // The root user's devices carry no UserName (spec 02 §2.6.3).
        if let KeyOwner::User(n) = &owner {
            x.elem("UserName", n);
        }
        x.elem("SerialNumber", &d.serial);
        if let Some(t) = d.enabled {
            x.elem("EnableDate", &iso8601(t));
        }
        x.close("member");
    }
    x.close("MFADevices");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn list_virtual_mfa_devices(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let assignment = p
        .one_of(
            "AssignmentStatus",
            &[
                ("Assigned", Assignment::Assigned),
                ("Unassigned", Assignment::Unassigned),
                ("Any", Assignment::Any),
            ],
        )?
        .unwrap_or(Assignment::Any);
    let devices =
        mfa::list_virtual_mfa_devices(ctx.svc, ctx.caller, assignment).map_err(from_core)?;
    let (page, next) = super::paginate_by(devices, p, |d| d.serial.clone())?;
    let state = ctx.svc.read();
    let mut x = Xml::new();
    x.open("VirtualMFADevices");
    for d in &page {
        x.open("member").elem("SerialNumber", &d.serial);
        match &d.owner {
            Some(KeyOwner::User(n)) => {
                if let Some(u) = state.user(&d.account, n) {
                    x.open("User");
                    super::users::user_xml(&mut x, u);
                    x.close("User");
                }
            }
            Some(KeyOwner::Root) => {
                x.open("User").elem("UserId", &d.account).elem(
                    "Arn",
                    &rootward_core::ident::Arn::root(&d.account).to_string(),
                );
                if let Some(a) = state.accounts.get(&d.account) {
                    x.elem("CreateDate", &iso8601(a.created));
                }
                x.close("User");
            }
            None => {}
        }
        if let Some(t) = d.enabled {
            x.elem("EnableDate", &iso8601(t));
        }
        x.close("member");
    }
    x.close("VirtualMFADevices");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn deactivate_mfa_device(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    mfa::deactivate_mfa_device(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("SerialNumber")?,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_virtual_mfa_device(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    mfa::delete_virtual_mfa_device(ctx.svc, ctx.caller, p.required("SerialNumber")?)
        .map_err(from_core)?;
    Ok(None)
}
