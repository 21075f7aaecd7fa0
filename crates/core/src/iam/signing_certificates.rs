//! X.509 signing certificates of IAM users and of the root user:
//! UploadSigningCertificate, ListSigningCertificates, UpdateSigningCertificate,
//! DeleteSigningCertificate. Without `UserName` they act on the caller (the
//! root user for a root caller, spec 02 §2.6.2).
//!
//! A body is accepted when it is one PEM `CERTIFICATE` block whose base64
//! decodes to a DER SEQUENCE of the right length; the certificate itself is
//! not parsed further.

use base64::Engine as _;
use rand::Rng;

use super::target::{RootRule, resolve};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, KeyStatus, Record, SigningCertificate, table};
use crate::service::Service;

/// At most this many certificates per principal.
pub const MAX_PER_PRINCIPAL: usize = 2;

/// A certificate id: 32 characters of `[A-Z0-9]`.
pub fn certificate_id() -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    (0..32)
        .map(|_| {
            char::from(
                CHARS
                    .get(rng.random_range(0..CHARS.len()))
                    .copied()
                    .unwrap_or(b'A'),
            )
        })
        .collect()
}

fn malformed() -> CoreError {
    CoreError::MalformedCertificate(
        "Unable to parse certificate. Please ensure the certificate is in PEM format.".into(),
    )
}

/// The DER bytes of a PEM `CERTIFICATE` block.
pub fn der_of(pem: &str) -> Result<Vec<u8>, CoreError> {
    let pem = pem.trim();
    let inner = pem
        .strip_prefix("-----BEGIN CERTIFICATE-----")
        .and_then(|r| r.strip_suffix("-----END CERTIFICATE-----"))
        .ok_or_else(malformed)?;
    let b64: String = inner.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|_| malformed())?;
    // A DER SEQUENCE whose length covers exactly the rest.
    let (&tag, rest) = der.split_first().ok_or_else(malformed)?;
    let (&len0, rest) = rest.split_first().ok_or_else(malformed)?;
    let (len, body) = if len0 < 0x80 {
        (usize::from(len0), rest)
    } else {
        let n = usize::from(len0 & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return Err(malformed());
        }
        let (len_bytes, body) = rest.split_at(n);
        (
            len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
            body,
        )
    };
    if tag != 0x30 || len != body.len() || len == 0 {
        return Err(malformed());
    }
    Ok(der)
}

/// `iam:UploadSigningCertificate`.
pub fn upload_signing_certificate(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    body: &str,
) -> Result<SigningCertificate, CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:UploadSigningCertificate")?;
    // `CertificateBody` (1–16,384 characters) is the model's, checked on
    // decode.
    let der = der_of(body)?;
    let now = svc.now();
    svc.mutate(|state| {
        let duplicate = state
            .signing_certificates
            .values()
            .filter(|c| c.account == caller.account)
            .any(|c| der_of(&c.body).is_ok_and(|d| d == der));
        if duplicate {
            return Err(CoreError::DuplicateCertificate(
                "The same certificate is already associated with a user in this account.".into(),
            ));
        }
        if state.certificates_for(&caller.account, &target.owner).len() >= MAX_PER_PRINCIPAL {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for CertificatesPerUser: {MAX_PER_PRINCIPAL}"
            )));
        }
        let cert = SigningCertificate {
            id: certificate_id(),
            account: caller.account.clone(),
            owner: target.owner.clone(),
            body: body.to_owned(),
            status: KeyStatus::Active,
            uploaded: now,
        };
        Ok((
            cert.clone(),
            vec![Change::Put(Record::SigningCertificate(cert))],
        ))
    })
}

/// `iam:ListSigningCertificates`, oldest first.
pub fn list_signing_certificates(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<Vec<SigningCertificate>, CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:ListSigningCertificates")?;
    Ok(svc
        .read()
        .certificates_for(&caller.account, &target.owner)
        .into_iter()
        .cloned()
        .collect())
}

fn no_such_certificate(id: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("The Certificate with id {id} cannot be found."))
}

/// `iam:UpdateSigningCertificate`.
pub fn update_signing_certificate(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    id: &str,
    status: KeyStatus,
) -> Result<(), CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:UpdateSigningCertificate")?;
    svc.mutate(|state| {
        let mut c = state
            .signing_certificates
            .get(id)
            .filter(|c| c.account == caller.account && c.owner == target.owner)
            .cloned()
            .ok_or_else(|| no_such_certificate(id))?;
        c.status = status;
        Ok(((), vec![Change::Put(Record::SigningCertificate(c))]))
    })
}

/// `iam:DeleteSigningCertificate`.
pub fn delete_signing_certificate(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    id: &str,
) -> Result<(), CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:DeleteSigningCertificate")?;
    svc.mutate(|state| {
        state
            .signing_certificates
            .get(id)
            .filter(|c| c.account == caller.account && c.owner == target.owner)
            .ok_or_else(|| no_such_certificate(id))?;
        Ok((
            (),
            vec![Change::Delete(table::SIGNING_CERTIFICATES, id.to_owned())],
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(der: &[u8]) -> String {
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::engine::general_purpose::STANDARD.encode(der)
        )
    }

    #[test]
    fn pem_blocks() {
        assert_eq!(der_of(&pem(&[0x30, 2, 1, 2])).unwrap(), [0x30, 2, 1, 2]);
        let mut long = vec![0x30, 0x81, 200];
        long.extend(std::iter::repeat_n(7u8, 200));
        assert!(der_of(&pem(&long)).is_ok());
        assert!(der_of(&pem(&[0x30, 3, 1, 2])).is_err(), "short");
        assert!(der_of(&pem(&[0x31, 2, 1, 2])).is_err(), "not a SEQUENCE");
        assert!(der_of("hello").is_err());
        assert!(der_of("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----").is_err());
        let id = certificate_id();
        assert_eq!(id.len(), 32);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        );
    }
}
