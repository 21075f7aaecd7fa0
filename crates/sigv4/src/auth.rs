//! Finding and reading the signature of a request (spec 07 §7.1, §7.5 steps 1–2).

use std::fmt;

use time::{Duration, OffsetDateTime};

use crate::error::SigError;
use crate::request::RequestParts;
use crate::uri_encode::query_names;
use crate::{authorization_header, presigned};

/// The only algorithm verified here.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// A request's SigV4 signature as the client stated it, not yet verified.
///
/// Read with [`parse`]; check with [`crate::verify`]. Accessors expose what the
/// server needs to look the key up and to check the scope.
#[derive(Clone, PartialEq, Eq)]
pub struct Auth {
    pub(crate) access_key_id: String,
    pub(crate) scope_date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) terminator: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: String,
    pub(crate) amz_date: String,
    pub(crate) request_time: OffsetDateTime,
    pub(crate) security_token: Option<String>,
    pub(crate) expires: Option<u32>,
}

impl Auth {
    /// The access key id from the credential (`AKIA…`, `ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The credential scope's date, `YYYYMMDD`.
    pub fn scope_date(&self) -> &str {
        &self.scope_date
    }

    /// The credential scope's region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The credential scope's service (`iam`, `sts`, `s3`, …).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The credential scope, `<date>/<region>/<service>/<terminator>`.
    pub fn credential_scope(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.scope_date, self.region, self.service, self.terminator
        )
    }

    /// The client's SignedHeaders, lower-cased, in the client's order.
    pub fn signed_headers(&self) -> &[String] {
        &self.signed_headers
    }

    /// The client's signature, lower-cased (64 hex digits when well formed).
    /// For `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` uploads this is the seed signature.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The request time: `X-Amz-Date`, else the `Date` header (spec 07 §7.10).
    pub fn request_time(&self) -> OffsetDateTime {
        self.request_time
    }

    /// The request time as it enters the string to sign (`20241120T120000Z`).
    pub fn amz_date(&self) -> &str {
        &self.amz_date
    }

    /// The session token (`X-Amz-Security-Token` header or query parameter),
    /// which must match the session of an `ASIA…` key (spec 07 §7.7).
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    /// Presigned URLs: the validity from `X-Amz-Expires` (1 s to 7 days).
    pub fn expires(&self) -> Option<Duration> {
        self.expires.map(|s| Duration::seconds(i64::from(s)))
    }

    /// Whether the signature came in the query string (a presigned URL).
    pub fn is_presigned(&self) -> bool {
        self.expires.is_some()
    }

    /// Checks the scope against the endpoint's region and the called service
    /// (spec 07 §7.5 step 5, §7.6). [`crate::verify`] leaves this to the server.
    ///
    /// # Errors
    /// [`SigError::WrongRegion`] first, else [`SigError::WrongService`].
    pub fn check_scope(&self, region: &str, service: &str) -> Result<(), SigError> {
        if self.region != region {
            return Err(SigError::WrongRegion {
                given: self.region.clone(),
                expected: region.to_owned(),
            });
        }
        if self.service != service {
            return Err(SigError::WrongService {
                given: self.service.clone(),
                expected: service.to_owned(),
            });
        }
        Ok(())
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("access_key_id", &self.access_key_id)
            .field("credential_scope", &self.credential_scope())
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .field("amz_date", &self.amz_date)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "***"),
            )
            .field("expires", &self.expires)
            .finish()
    }
}

/// Finds and reads the request's signature (spec 07 §7.1): the `Authorization`
/// header, or the `X-Amz-*` query parameters of a presigned URL.
///
/// Returns `Ok(None)` when the request carries no signature at all (anonymous).
/// Only the form is checked here; [`crate::verify`] checks the rest.
///
/// # Errors
/// [`SigError::Malformed`] for incomplete or unreadable parts (missing
/// `Credential`/`SignedHeaders`/`Signature`, a credential without five fields,
/// a bad date, both an Authorization header and query parameters, …), and
/// [`SigError::UnsupportedAlgorithm`] for another algorithm than
/// `AWS4-HMAC-SHA256` (including SigV2).
pub fn parse(parts: &RequestParts<'_>) -> Result<Option<Auth>, SigError> {
    let mut headers = parts.header_values("authorization");
    let header = headers.next();
    if headers.next().is_some() {
        return Err(SigError::Malformed(
            "The request must not carry more than one Authorization header.".into(),
        ));
    }
    let mut in_query = false;
    let mut sigv2_query = (false, false);
    for name in query_names(parts.raw_query) {
        match name.as_slice() {
            b"X-Amz-Algorithm" | b"X-Amz-Credential" | b"X-Amz-Signature" => in_query = true,
            b"AWSAccessKeyId" => sigv2_query.0 = true,
            b"Signature" => sigv2_query.1 = true,
            _ => {}
        }
    }
    match (header, in_query) {
        (Some(_), true) => Err(SigError::Malformed(
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string \
             parameter or the Authorization header should be specified"
                .into(),
        )),
        (Some(value), false) => authorization_header::parse(value, parts).map(Some),
        (None, true) => presigned::parse(parts).map(Some),
        (None, false) if sigv2_query == (true, true) => Err(SigError::UnsupportedAlgorithm("AWS".into())),
        (None, false) => Ok(None),
    }
}

/// The credential's five fields, `AKID/date/region/service/aws4_request`
/// (spec 07 §7.5 step 2).
pub(crate) struct Credential {
    pub(crate) access_key_id: String,
    pub(crate) scope_date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) terminator: String,
}

impl Credential {
    /// Splits a credential string into its five fields.
    pub(crate) fn parse(value: &str) -> Result<Self, SigError> {
        let fields: Vec<&str> = value.split('/').collect();
        let [access_key_id, scope_date, region, service, terminator] = fields.as_slice() else {
            return Err(SigError::Malformed(format!(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{value}'"
            )));
        };
        Ok(Self {
            access_key_id: (*access_key_id).to_owned(),
            scope_date: (*scope_date).to_owned(),
            region: (*region).to_owned(),
            service: (*service).to_owned(),
            terminator: (*terminator).to_owned(),
        })
    }
}

/// Splits a SignedHeaders value (`host;x-amz-date`) into lower-case names.
/// Empty names are refused, and `host` must be among them (spec 07 §7.2).
pub(crate) fn parse_signed_headers(value: &str) -> Result<Vec<String>, SigError> {
    let names: Vec<String> = value
        .split(';')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    if names.iter().any(String::is_empty) {
        return Err(SigError::Malformed(format!(
            "SignedHeaders contains an empty header name: '{value}'"
        )));
    }
    if !names.iter().any(|n| n == "host") {
        return Err(SigError::Malformed(format!(
            "SignedHeaders must include 'host', got '{value}'"
        )));
    }
    Ok(names)
}
