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
        &super::tags_param(p, "Tags"),
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("VirtualMFADevice").elem("SerialNumber", &d.serial);
    if let Some(seed) = &d.seed {
        let b64 = &base64::engine::general_purpose::STANDARD;
        // Blobs on the wire: base64 of the base32 text, and of the PNG.
        x.elem("Base32StringSeed", &b64.encode(seed.expose()));
        // The QR code of `otpauth://totp/$virtualMFADeviceName@$AccountName
        // ?secret=$Base32String` (IAM's documented format; the account name is
        // the account id, as the device has no user yet). It carries the
        // seed: it goes out once, here, and is never logged.
        let name = d.serial.rsplit('/').next().unwrap_or_default();
        let uri = format!(
            "otpauth://totp/{}@{}?secret={}",
            percent(name),
            d.account,
            seed.expose()
        );
        match qr_png(&uri) {
            Ok(png) => {
                x.elem("QRCodePNG", &b64.encode(png));
            }
            // The device exists and the seed goes out above: the call
            // succeeds without the picture rather than failing after the
            // write (AWS always sends both; a URI of at most ~250 bytes
            // always fits a QR code, so this is not expected).
            Err(e) => {
                tracing::error!(error = %e, "CreateVirtualMFADevice: the QR code could not be drawn");
            }
        }
    }
    super::tags_xml(&mut x, &d.tags);
    x.close("VirtualMFADevice");
    Ok(Some(x))
}

/// Percent-encodes a label for an `otpauth` URI (RFC 3986 unreserved
/// characters kept; a device name may hold `+=,.@-_`).
fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Pixels per QR module, and the quiet zone around the code, in modules.
const QR_SCALE: usize = 6;
const QR_QUIET: usize = 4;

/// A black-on-white PNG (8-bit greyscale) of `text`'s QR code.
fn qr_png(text: &str) -> Result<Vec<u8>, String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| e.to_string())?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QR_QUIET) * QR_SCALE;
    let mut pixels = vec![0xFFu8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QR_QUIET, i / modules + QR_QUIET);
        for y in my * QR_SCALE..(my + 1) * QR_SCALE {
            let row = y * side;
            if let Some(run) = pixels.get_mut(row + mx * QR_SCALE..row + (mx + 1) * QR_SCALE) {
                run.fill(0);
            }
        }
    }
    let side32 = u32::try_from(side).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side32, side32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&pixels).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
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

pub(super) fn get_mfa_device(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let (owner, d) = mfa::get_mfa_device(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("SerialNumber")?,
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    if let KeyOwner::User(n) = &owner {
        x.elem("UserName", n);
    }
    x.elem("SerialNumber", &d.serial);
    if let Some(t) = d.enabled {
        x.elem("EnableDate", &iso8601(t));
    }
    // `Certifications` (FIPS levels of hardware devices) are not known here.
    Ok(Some(x))
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
        super::tags_xml(&mut x, &d.tags);
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
