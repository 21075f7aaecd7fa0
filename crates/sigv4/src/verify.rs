//! Server verification (spec 07 §7.5 steps 4–7): scope form, clock, S3 rules,
//! payload hash, and the signature itself.

use time::{Duration, OffsetDateTime};

use crate::amz_date::format_amz_date;
use crate::auth::Auth;
use crate::canonical::{canonical_request, string_to_sign};
use crate::error::SigError;
use crate::key::{signature, signatures_equal, signing_key};
use crate::request::RequestParts;

/// Which canonicalisation rules apply (spec 07 §7.2, §7.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceKind {
    /// Amazon S3: path not normalised and encoded once; payload hash from
    /// `x-amz-content-sha256` (or `UNSIGNED-PAYLOAD` when presigned); every
    /// `x-amz-*` header must be signed.
    S3,
    /// Every other service: path normalised and double-encoded; payload hash
    /// of the received body.
    Other,
}

impl ServiceKind {
    /// The kind for a SigV4 service name: `s3` is [`ServiceKind::S3`], anything
    /// else [`ServiceKind::Other`].
    pub fn of(service: &str) -> Self {
        if service == "s3" {
            Self::S3
        } else {
            Self::Other
        }
    }
}

/// The `x-amz-content-sha256` values other than a hex digest that S3 accepts.
const S3_PAYLOAD_MARKERS: [&str; 4] = [
    "UNSIGNED-PAYLOAD",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
];

/// Verifies a parsed signature against the request and the key's secret
/// (spec 07 §7.5). Derives the signing key, then as
/// [`verify_with_signing_key`].
///
/// `now` is the server's clock; `max_skew` the allowed clock difference (this
/// project: 15 minutes). Region and service are not compared with the
/// endpoint's: use [`Auth::check_scope`].
///
/// # Errors
/// See [`verify_with_signing_key`].
pub fn verify(
    auth: &Auth,
    parts: &RequestParts<'_>,
    secret_access_key: &str,
    kind: ServiceKind,
    now: OffsetDateTime,
    max_skew: Duration,
) -> Result<(), SigError> {
    let key = signing_key(
        secret_access_key,
        &auth.scope_date,
        &auth.region,
        &auth.service,
    );
    verify_with_signing_key(auth, parts, &key, kind, now, max_skew)
}

/// Verifies a parsed signature with an already derived signing key, which must
/// be [`signing_key`] of the secret and of `auth`'s scope date, region and
/// service (a server may cache it under those four values and the key id).
///
/// Checks, in order: scope terminator and date; clock skew (header-signed:
/// `±max_skew`; presigned: not later than `now + max_skew`, and `now` not past
/// `X-Amz-Date + X-Amz-Expires`); S3 `x-amz-content-sha256` and unsigned
/// `x-amz-*` headers; the signature (constant-time comparison); S3's hex
/// `x-amz-content-sha256` against [`RequestParts::payload_hash`].
///
/// # Errors
/// [`SigError::InvalidScope`], [`SigError::Skewed`], [`SigError::PresignedExpired`],
/// [`SigError::MissingContentSha256`], [`SigError::HeadersNotSigned`],
/// [`SigError::InvalidContentSha256`], [`SigError::PayloadHashRequired`],
/// [`SigError::SignatureMismatch`], [`SigError::ContentSha256Mismatch`].
pub fn verify_with_signing_key(
    auth: &Auth,
    parts: &RequestParts<'_>,
    signing_key: &[u8; 32],
    kind: ServiceKind,
    now: OffsetDateTime,
    max_skew: Duration,
) -> Result<(), SigError> {
    check_scope_form(auth)?;
    check_time(auth, now, max_skew.abs())?;
    let payload = payload_hash(auth, parts, kind)?;
    let canonical_request = canonical_request(parts, auth, kind, &payload.canonical);
    let string_to_sign = string_to_sign(auth, &canonical_request);
    if !signatures_equal(&signature(signing_key, &string_to_sign), &auth.signature) {
        return Err(SigError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        });
    }
    if payload.body_mismatch {
        return Err(SigError::ContentSha256Mismatch);
    }
    Ok(())
}

/// Terminator `aws4_request`; scope date = the date of `X-Amz-Date`.
fn check_scope_form(auth: &Auth) -> Result<(), SigError> {
    if auth.terminator != "aws4_request" {
        return Err(SigError::InvalidScope(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'. ",
            auth.terminator
        )));
    }
    let request_date = auth.amz_date.get(..8).unwrap_or_default();
    if auth.scope_date != request_date {
        return Err(SigError::InvalidScope(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: \
             '{}' != '{request_date}', from '{}'.",
            auth.scope_date, auth.amz_date
        )));
    }
    Ok(())
}

/// Clock skew and presigned expiry (spec 07 §7.5 step 4, messages §7.9).
fn check_time(auth: &Auth, now: OffsetDateTime, max_skew: Duration) -> Result<(), SigError> {
    let minutes = max_skew.whole_minutes();
    let latest = now.saturating_add(max_skew);
    if auth.request_time > latest {
        return Err(SigError::Skewed {
            message: format!(
                "Signature not yet current: {} is still later than {} ({} + {minutes} min.)",
                auth.amz_date,
                format_amz_date(latest),
                format_amz_date(now)
            ),
        });
    }
    if let Some(expires) = auth.expires() {
        if now > auth.request_time.saturating_add(expires) {
            return Err(SigError::PresignedExpired);
        }
        return Ok(());
    }
    let earliest = now.saturating_sub(max_skew);
    if auth.request_time < earliest {
        return Err(SigError::Skewed {
            message: format!(
                "Signature expired: {} is now earlier than {} ({} - {minutes} min.)",
                auth.amz_date,
                format_amz_date(earliest),
                format_amz_date(now)
            ),
        });
    }
    Ok(())
}

/// The payload line of the canonical request, and whether S3's declared hex
/// hash differs from the received body's.
struct Payload {
    canonical: String,
    body_mismatch: bool,
}

fn payload_hash(
    auth: &Auth,
    parts: &RequestParts<'_>,
    kind: ServiceKind,
) -> Result<Payload, SigError> {
    match kind {
        ServiceKind::Other => match parts.payload_hash {
            Some(hash) => Ok(Payload {
                canonical: hash.to_ascii_lowercase(),
                body_mismatch: false,
            }),
            None => Err(SigError::PayloadHashRequired),
        },
        ServiceKind::S3 if auth.is_presigned() => Ok(Payload {
            canonical: "UNSIGNED-PAYLOAD".to_owned(),
            body_mismatch: false,
        }),
        ServiceKind::S3 => {
            let declared = parts
                .header("x-amz-content-sha256")
                .map(str::trim)
                .ok_or(SigError::MissingContentSha256)?;
            check_amz_headers_signed(auth, parts)?;
            if is_sha256_hex(declared) {
                let body_mismatch = parts
                    .payload_hash
                    .is_some_and(|h| !h.eq_ignore_ascii_case(declared));
                Ok(Payload {
                    canonical: declared.to_owned(),
                    body_mismatch,
                })
            } else if S3_PAYLOAD_MARKERS.contains(&declared) {
                Ok(Payload {
                    canonical: declared.to_owned(),
                    body_mismatch: false,
                })
            } else {
                Err(SigError::InvalidContentSha256(declared.to_owned()))
            }
        }
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// S3, header-signed: every `x-amz-*` header present must be signed.
fn check_amz_headers_signed(auth: &Auth, parts: &RequestParts<'_>) -> Result<(), SigError> {
    let mut unsigned: Vec<String> = parts
        .headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .filter(|name| name.starts_with("x-amz-") && !auth.signed_headers.contains(name))
        .collect();
    if unsigned.is_empty() {
        return Ok(());
    }
    unsigned.sort_unstable();
    unsigned.dedup();
    Err(SigError::HeadersNotSigned(unsigned))
}
