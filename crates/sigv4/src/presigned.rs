//! Presigned URLs: the `X-Amz-*` query parameters (spec 07 §7.1 item 2).

use crate::amz_date::{format_amz_date, parse_amz_date};
use crate::auth::{ALGORITHM, Auth, Credential, parse_signed_headers};
use crate::error::SigError;
use crate::request::RequestParts;
use crate::uri_encode::{decode, raw_pairs};

/// The longest validity AWS allows, seven days.
const MAX_EXPIRES: i64 = 604_800;

const MISSING: &str = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, \
                       X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

/// The presigned-URL parameters, each the decoded value of its first
/// occurrence, read in one pass over the query.
#[derive(Default)]
struct Params {
    values: [Option<Result<String, Vec<u8>>>; NAMES.len()],
}

const NAMES: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
];

impl Params {
    fn read(raw_query: &str) -> Params {
        let mut p = Params::default();
        for (name, value) in raw_pairs(raw_query) {
            let name = decode(name, true);
            if let Some(slot) = NAMES
                .iter()
                .position(|n| n.as_bytes() == name.as_slice())
                .and_then(|i| p.values.get_mut(i))
                && slot.is_none()
            {
                *slot = Some(String::from_utf8(decode(value, true)).map_err(|e| e.into_bytes()));
            }
        }
        p
    }

    /// The decoded value of `name` (one of [`NAMES`]); `None` if absent.
    fn get(&self, name: &str) -> Result<Option<String>, SigError> {
        match NAMES
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.values.get(i))
        {
            Some(Some(Ok(v))) => Ok(Some(v.clone())),
            Some(Some(Err(_))) => Err(SigError::Malformed(format!("{name} must be valid UTF-8."))),
            _ => Ok(None),
        }
    }
}

/// Reads the presigned-URL parameters of a request.
pub(crate) fn parse(parts: &RequestParts<'_>) -> Result<Auth, SigError> {
    let params = Params::read(parts.raw_query);
    let algorithm = params.get("X-Amz-Algorithm")?;
    if let Some(a) = &algorithm
        && a != ALGORITHM
    {
        return Err(SigError::UnsupportedAlgorithm(a.clone()));
    }
    let credential = params.get("X-Amz-Credential")?;
    let signature = params.get("X-Amz-Signature")?;
    let date = params.get("X-Amz-Date")?;
    let signed_headers = params.get("X-Amz-SignedHeaders")?;
    let expires = params.get("X-Amz-Expires")?;
    let (
        Some(_),
        Some(credential),
        Some(signature),
        Some(date),
        Some(signed_headers),
        Some(expires),
    ) = (
        algorithm,
        credential,
        signature,
        date,
        signed_headers,
        expires,
    )
    else {
        return Err(SigError::Malformed(MISSING.into()));
    };

    let request_time = parse_amz_date(&date).ok_or_else(|| {
        SigError::Malformed(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"".into(),
        )
    })?;
    let expires = parse_expires(&expires)?;
    let credential = Credential::parse(&credential)?;
    let security_token = match params.get("X-Amz-Security-Token")? {
        Some(t) => Some(t),
        None => parts
            .header("x-amz-security-token")
            .map(|t| t.trim().to_owned()),
    };
    Ok(Auth {
        access_key_id: credential.access_key_id,
        scope_date: credential.scope_date,
        region: credential.region,
        service: credential.service,
        terminator: credential.terminator,
        signed_headers: parse_signed_headers(&signed_headers)?,
        signature: signature.to_ascii_lowercase(),
        amz_date: format_amz_date(request_time),
        request_time,
        security_token,
        expires: Some(expires),
    })
}

/// `X-Amz-Expires`: whole seconds, 1 to 604800 (spec 07 §7.5 step 4).
fn parse_expires(value: &str) -> Result<u32, SigError> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SigError::Malformed(
            "X-Amz-Expires should be a number".into(),
        ));
    }
    if value.starts_with('-') {
        return Err(SigError::Malformed(
            "X-Amz-Expires must be non-negative".into(),
        ));
    }
    match value.parse::<i64>() {
        Ok(0) => Err(SigError::Malformed(
            "X-Amz-Expires must be at least 1 second".into(),
        )),
        Ok(n) if n <= MAX_EXPIRES => u32::try_from(n)
            .map_err(|_| SigError::Malformed("X-Amz-Expires should be a number".into())),
        _ => Err(SigError::Malformed(
            "X-Amz-Expires must be less than a week (in seconds) that is 604800".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_bounds() {
        assert_eq!(parse_expires("1"), Ok(1));
        assert_eq!(parse_expires("604800"), Ok(604_800));
        for bad in [
            "0",
            "604801",
            "-5",
            "",
            "1.5",
            "abc",
            "99999999999999999999999",
        ] {
            assert!(
                matches!(parse_expires(bad), Err(SigError::Malformed(_))),
                "{bad}"
            );
        }
    }
}
