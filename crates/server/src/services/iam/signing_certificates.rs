//! UploadSigningCertificate, ListSigningCertificates, UpdateSigningCertificate,
//! DeleteSigningCertificate.

use rootward_core::clock::iso8601;
use rootward_core::iam::signing_certificates as certs;
use rootward_core::model::{KeyOwner, KeyStatus, SigningCertificate};

use super::{paginate_by, truncation};
use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

fn certificate_xml(x: &mut Xml, c: &SigningCertificate) {
    // The root user's certificates carry no UserName (spec 02 §2.6.3).
    if let KeyOwner::User(n) = &c.owner {
        x.elem("UserName", n);
    }
    x.elem("CertificateId", &c.id)
        .elem("CertificateBody", &c.body)
        .elem("Status", c.status.as_str())
        .elem("UploadDate", &iso8601(c.uploaded));
}

pub(super) fn upload_signing_certificate(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let c = certs::upload_signing_certificate(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("CertificateBody")?,
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    x.open("Certificate");
    certificate_xml(&mut x, &c);
    x.close("Certificate");
    Ok(Some(x))
}

pub(super) fn list_signing_certificates(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let list = certs::list_signing_certificates(ctx.svc, ctx.caller, p.str("UserName"))
        .map_err(from_core)?;
    let (page, next) = paginate_by(list, p, |c| c.id.clone())?;
    let mut x = Xml::new();
    x.open("Certificates");
    for c in &page {
        x.open("member");
        certificate_xml(&mut x, c);
        x.close("member");
    }
    x.close("Certificates");
    truncation(&mut x, next);
    Ok(Some(x))
}

pub(super) fn update_signing_certificate(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    let status = p
        .one_of(
            "Status",
            &[
                ("Active", KeyStatus::Active),
                ("Inactive", KeyStatus::Inactive),
            ],
        )?
        .ok_or_else(|| p.missing("Status"))?;
    certs::update_signing_certificate(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("CertificateId")?,
        status,
    )
    .map_err(from_core)?;
    Ok(None)
}

pub(super) fn delete_signing_certificate(
    ctx: &Ctx<'_>,
    p: &Input<'_>,
) -> Result<Option<Xml>, ApiError> {
    certs::delete_signing_certificate(
        ctx.svc,
        ctx.caller,
        p.str("UserName"),
        p.required("CertificateId")?,
    )
    .map_err(from_core)?;
    Ok(None)
}
