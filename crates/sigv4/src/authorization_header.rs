//! `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`
//! (spec 07 §7.1 item 1).

use crate::amz_date::{format_amz_date, parse_amz_date, parse_http_date};
use crate::auth::{ALGORITHM, Auth, Credential, parse_signed_headers};
use crate::error::SigError;
use crate::request::RequestParts;

/// Reads an Authorization header value. Components are split on `,` with any
/// spaces around them, in any order; unknown components are ignored.
pub(crate) fn parse(value: &str, parts: &RequestParts<'_>) -> Result<Auth, SigError> {
    let value = value.trim();
    let (algorithm, rest) = value
        .split_once(|c: char| c.is_ascii_whitespace())
        .unwrap_or((value, ""));
    // An empty header falls through to the "requires 'Credential' …" message.
    if !algorithm.is_empty() && algorithm != ALGORITHM {
        return Err(SigError::UnsupportedAlgorithm(algorithm.to_owned()));
    }

    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for piece in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, val)) = piece.split_once('=') else {
            return Err(SigError::Malformed(format!(
                "'{piece}' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'."
            )));
        };
        let slot = match key.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if slot.replace(val.trim()).is_some() {
            return Err(SigError::Malformed(format!(
                "Authorization header has a duplicate '{}' parameter. Authorization={value}",
                key.trim()
            )));
        }
    }

    let x_amz_date = parts.header("x-amz-date").map(str::trim);
    let date = parts.header("date").map(str::trim);

    let mut missing = String::new();
    if credential.is_none() {
        missing.push_str("Authorization header requires 'Credential' parameter. ");
    }
    if signature.is_none() {
        missing.push_str("Authorization header requires 'Signature' parameter. ");
    }
    if signed_headers.is_none() {
        missing.push_str("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if x_amz_date.is_none() && date.is_none() {
        missing.push_str(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
        );
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(SigError::Malformed(format!(
            "{missing}Authorization={value}"
        )));
    };
    if !missing.is_empty() {
        return Err(SigError::Malformed(format!(
            "{missing}Authorization={value}"
        )));
    }

    let request_time = match (x_amz_date, date) {
        (Some(d), _) => parse_amz_date(d).ok_or_else(|| {
            SigError::Malformed(format!(
                "Date must be in ISO-8601 'basic format'. Got '{d}'. See http://en.wikipedia.org/wiki/ISO_8601"
            ))
        })?,
        (None, Some(d)) => parse_http_date(d)
            .ok_or_else(|| SigError::Malformed(format!("Date must be an RFC 1123 date in GMT. Got '{d}'.")))?,
        (None, None) => return Err(SigError::Malformed(format!("{missing}Authorization={value}"))),
    };

    let credential = Credential::parse(credential)?;
    Ok(Auth {
        access_key_id: credential.access_key_id,
        scope_date: credential.scope_date,
        region: credential.region,
        service: credential.service,
        terminator: credential.terminator,
        signed_headers: parse_signed_headers(signed_headers)?,
        signature: signature.to_ascii_lowercase(),
        amz_date: format_amz_date(request_time),
        request_time,
        security_token: parts
            .header("x-amz-security-token")
            .map(|t| t.trim().to_owned()),
        expires: None,
    })
}
