//! Authentication: SigV4 on every request (spec 07), and which service and
//! protocol the request speaks. No anonymous access reaches a service.

use std::net::SocketAddr;

use axum::http::request::Parts;
use rootward_core::Service;
use rootward_core::authz::{Caller, CredentialError};
use rootward_sigv4::{Auth, RequestParts, ServiceKind, SigError};
use sha2::{Digest, Sha256};
use time::Duration;

use crate::error::ApiError;
use crate::protocol::query;
pub use crate::protocol::{Protocol, SQS_JSON, protocol_by_shape, protocol_of};

/// The greatest clock difference accepted (spec 07 §7.5).
pub const MAX_SKEW: Duration = Duration::minutes(15);

/// The service a request's SigV4 credential scope names
/// (`AKID/DATE/REGION/SERVICE/aws4_request`, from the `Authorization` header or
/// the presigned `X-Amz-Credential`, `/` maybe as `%2F`), read without
/// verifying anything: for choosing an error envelope or a thread before the
/// signature is checked.
pub fn scope_service(parts: &Parts) -> Option<&str> {
    let credential = match parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        Some(h) => h.split("Credential=").nth(1)?,
        None => parts
            .uri
            .query()?
            .split('&')
            .find_map(|p| p.strip_prefix("X-Amz-Credential="))?,
    };
    let credential = credential.split([',', ' ']).next()?;
    // `AKID/DATE/REGION/SERVICE/aws4_request`, with `/` or (in a presigned
    // query) `%2F` between the pieces: the piece before the last.
    let rest = credential
        .strip_suffix("/aws4_request")
        .or_else(|| credential.strip_suffix("%2Faws4_request"))?;
    let start = rest
        .rfind('/')
        .map(|i| i + 1)
        .max(rest.rfind("%2F").map(|i| i + 3))
        .unwrap_or(0);
    rest.get(start..)
}

/// The protocol a request seems to speak before its signature is read (for
/// errors that happen first): its credential scope's service when it names
/// one, else what the request looks like.
pub fn protocol_guess(parts: &Parts) -> Protocol {
    if let Some(service) = scope_service(parts) {
        return protocol_of(service, parts);
    }
    if crate::protocol::rest_xml::looks_like_s3(parts) {
        return Protocol::RestXml;
    }
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if target.starts_with("AmazonSQS.") {
        SQS_JSON
    } else if crate::protocol::looks_like_json(parts) {
        // A target that is not UTF-8, or a JSON body that names none: JSON
        // all the same, never IAM's XML.
        protocol_by_shape(parts)
    } else {
        let host = parts
            .headers
            .get("host")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if host.starts_with("sts.") {
            Protocol::Query(query::STS)
        } else {
            Protocol::Query(query::IAM)
        }
    }
}

/// An authenticated request.
#[derive(Debug)]
pub struct Authenticated {
    /// Who.
    pub caller: Caller,
    /// The SigV4 service name (`iam`, `sts`, …).
    pub service: String,
    /// Its protocol.
    pub protocol: Protocol,
    /// The request went to the global STS host.
    pub global_endpoint: bool,
    /// S3 aws-chunked uploads signed chunk by chunk: the verifier seeded with
    /// the request's signature.
    pub chunks: Option<rootward_sigv4::ChunkVerifier>,
}

fn json_code(query_code: &str) -> &'static str {
    match query_code {
        "MissingAuthenticationToken" => "MissingAuthenticationTokenException",
        "IncompleteSignature" => "IncompleteSignatureException",
        "InvalidClientTokenId" => "UnrecognizedClientException",
        "ExpiredToken" => "ExpiredTokenException",
        "AccessDenied" => "AccessDeniedException",
        _ => "InvalidSignatureException",
    }
}

/// An authentication failure in the words of the protocol (spec 07 §7.9).
fn fail(
    protocol: Protocol,
    code: &str,
    status: u16,
    message: impl Into<String>,
) -> (Protocol, ApiError) {
    let message = message.into();
    match protocol {
        Protocol::Query(_) | Protocol::Ec2 => (protocol, ApiError::new(code, status, message)),
        Protocol::RestJson => {
            let mut e = ApiError::new(json_code(code), status, message);
            e.query_code = Some(code.into());
            (protocol, e)
        }
        Protocol::Json {
            query_compatible, ..
        } => {
            // SQS (awsQueryCompatible) keeps the query status and code.
            let json_status = if code == "MissingAuthenticationToken" || query_compatible.is_some()
            {
                status
            } else {
                400
            };
            let mut e = ApiError::new(json_code(code), json_status, message);
            e.query_code = Some(code.into());
            (protocol, e)
        }
        Protocol::RestXml => (
            protocol,
            crate::protocol::rest_xml::auth_error(code, message),
        ),
    }
}

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

/// A request whose signature has been found and parsed, and whose access
/// key exists and is active: what can be checked before its body is read
/// (issue 12 item 5). [`authenticate`] finishes the work once the body is in.
pub struct Identified {
    auth: Auth,
    protocol: Protocol,
    cred: rootward_core::authz::Credential,
}

impl Identified {
    /// The SigV4 service of the credential scope.
    pub fn service(&self) -> &str {
        self.auth.service()
    }

    /// The protocol of that service.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
}

fn header_pairs(parts: &Parts) -> Vec<(&str, &str)> {
    parts
        .headers
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
        .collect()
}

/// A signature that cannot be read. S3 names a malformed presigned query
/// apart from a malformed header (`AuthorizationQueryParametersError`, e.g.
/// for `X-Amz-Expires` over 604800); the query and JSON services answer
/// `IncompleteSignature` for both (spec 07 §7.9; UNCONFIRMED for the
/// presigned form there).
fn malformed(guess: Protocol, parts: &Parts, message: String) -> (Protocol, ApiError) {
    if matches!(guess, Protocol::RestXml)
        && !parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
    {
        return (
            guess,
            ApiError::new("AuthorizationQueryParametersError", 400, message),
        );
    }
    fail(guess, "IncompleteSignature", 400, message)
}

/// Finds and parses the request's signature and looks its access key up,
/// from the head alone. A signature that is missing or cannot be read is
/// answered in the protocol the request seems to speak
/// ([`protocol_guess`]); anything after that in the protocol of the
/// signature's service.
pub fn identify(svc: &Service, parts: &Parts) -> Result<Identified, (Protocol, ApiError)> {
    let headers = header_pairs(parts);
    let req = RequestParts {
        method: parts.method.as_str(),
        raw_path: parts.uri.path(),
        raw_query: parts.uri.query().unwrap_or(""),
        headers: &headers,
        payload_hash: None,
    };
    let auth: Auth = match rootward_sigv4::parse(&req) {
        Ok(Some(a)) => a,
        Ok(None) => {
            return Err(fail(
                protocol_guess(parts),
                "MissingAuthenticationToken",
                403,
                "Request is missing Authentication Token",
            ));
        }
        Err(e) => {
            let guess = protocol_guess(parts);
            // Signature Version 2 at S3: its own answer (`InvalidRequest`,
            // "Please use AWS4-HMAC-SHA256.").
            if matches!(guess, Protocol::RestXml)
                && matches!(&e, rootward_sigv4::SigError::UnsupportedAlgorithm(a) if a == "AWS")
            {
                return Err((guess, crate::protocol::rest_xml::sig_error(&e, false)));
            }
            return Err(malformed(guess, parts, e.to_string()));
        }
    };
    let protocol = protocol_of(auth.service(), parts);
    // The key, and for temporary credentials the token that carries the
    // session: present, this server's, for this key and unexpired (checked
    // before the clock skew, so that an expired session says so). A long-term
    // key that comes with a session token is refused like a wrong token. All
    // of it from the head, before the body is read (issue 12 item 5).
    let cred = match svc.credential(auth.access_key_id(), auth.security_token()) {
        Ok(c) => c,
        Err(CredentialError::UnknownKey) => {
            return Err(fail(protocol, "InvalidClientTokenId", 403, INVALID_TOKEN));
        }
        Err(CredentialError::ExpiredToken) => {
            return Err(fail(
                protocol,
                "ExpiredToken",
                400,
                "The security token included in the request is expired",
            ));
        }
        Err(e @ (CredentialError::InvalidToken | CredentialError::PrincipalGone)) => {
            tracing::info!(key = %auth.access_key_id(), reason = %e, "credentials refused");
            if matches!(protocol, Protocol::RestXml) {
                return Err((protocol, crate::protocol::rest_xml::invalid_token()));
            }
            return Err(fail(protocol, "InvalidClientTokenId", 403, INVALID_TOKEN));
        }
    };
    Ok(Identified {
        auth,
        protocol,
        cred,
    })
}

/// Signing keys derived so far (keyed by key id, scope and secret, so one
/// process-wide cache serves every server in it).
static SIGNING_KEYS: std::sync::LazyLock<rootward_sigv4::SigningKeys> =
    std::sync::LazyLock::new(rootward_sigv4::SigningKeys::default);

/// Verifies the signature of an [`Identified`] request over its `body` and
/// names the caller.
pub fn authenticate(
    svc: &Service,
    identified: Identified,
    parts: &Parts,
    body: &[u8],
    peer: SocketAddr,
) -> Result<Authenticated, (Protocol, ApiError)> {
    let Identified {
        auth,
        protocol,
        cred,
    } = identified;
    let headers = header_pairs(parts);
    let payload_hash = rootward_sigv4::hex_lower(&Sha256::digest(body));
    let req = RequestParts {
        method: parts.method.as_str(),
        raw_path: parts.uri.path(),
        raw_query: parts.uri.query().unwrap_or(""),
        headers: &headers,
        payload_hash: Some(&payload_hash),
    };
    let service = auth.service().to_owned();
    let now = svc.now();
    let kind = if service == "s3" {
        ServiceKind::S3
    } else {
        ServiceKind::Other
    };
    let key = SIGNING_KEYS.key_for(&auth, cred.secret.expose());
    let verified = rootward_sigv4::verify_with_signing_key(&auth, &req, &key, kind, now, MAX_SKEW);
    // S3 words its own refusals (spec 07 §7.9).
    if let (Protocol::RestXml, Err(e)) = (protocol, &verified) {
        return Err((
            protocol,
            crate::protocol::rest_xml::sig_error(e, auth.is_presigned()),
        ));
    }
    match verified {
        Ok(()) => {}
        Err(SigError::SignatureMismatch { .. }) => {
            return Err(fail(protocol, "SignatureDoesNotMatch", 403, MISMATCH));
        }
        Err(SigError::Skewed { message }) => {
            return Err(fail(protocol, "SignatureDoesNotMatch", 403, message));
        }
        Err(SigError::PresignedExpired) => {
            return Err(fail(protocol, "AccessDenied", 403, "Request has expired"));
        }
        Err(SigError::InvalidScope(m)) => {
            return Err(fail(protocol, "SignatureDoesNotMatch", 403, m));
        }
        Err(e @ (SigError::WrongRegion { .. } | SigError::WrongService { .. })) => {
            return Err(fail(protocol, "SignatureDoesNotMatch", 403, e.to_string()));
        }
        Err(SigError::PayloadHashRequired) => return Err((protocol, ApiError::internal())),
        Err(e) => return Err(fail(protocol, "IncompleteSignature", 400, e.to_string())),
    }
    let host = parts
        .headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The region the credential must be scoped to (spec 07 §7.6): IAM and
    // Organizations are global, us-east-1; STS at a named regional endpoint
    // (or the global one, us-east-1) that endpoint's. A loopback or other
    // host names no region for STS: any scope is taken.
    let expected = match service.as_str() {
        "iam" | "organizations" => Some("us-east-1"),
        "sts" => sts_host_region(host),
        _ => None,
    };
    if let Some(expected) = expected
        && auth.region() != expected
    {
        return Err(fail(
            protocol,
            "SignatureDoesNotMatch",
            403,
            format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                auth.region()
            ),
        ));
    }
    // A user's (or the root user's) own temporary credentials from
    // GetSessionToken without MFA cannot call IAM: "You cannot call any IAM
    // API operations unless MFA authentication information is included in
    // the request" (IAM user guide, "Permissions for GetSessionToken"); IAM
    // answers as for a token it does not take.
    if service == "iam" && cred.caller.is_session_token() && !cred.caller.mfa {
        tracing::info!(key = %auth.access_key_id(), "GetSessionToken credentials without MFA refused by IAM");
        return Err(fail(protocol, "InvalidClientTokenId", 403, INVALID_TOKEN));
    }
    // A closed (suspended) member account's principals, its root user and
    // its role sessions among them, can no longer call AWS (the account's
    // closure); the answer is that of credentials AWS no longer takes
    // (UNCONFIRMED: AWS documents the loss of access, not the error).
    let (closed, opt_status) = {
        let state = svc.read();
        (
            rootward_core::org::accounts::is_closed(&state, &cred.caller.account),
            rootward_core::account::region_opt_status(
                &state,
                &cred.caller.account,
                auth.region(),
                svc.now(),
            ),
        )
    };
    if closed {
        tracing::info!(key = %auth.access_key_id(), account = %cred.caller.account, "credentials of a closed account refused");
        return Err(fail(protocol, "InvalidClientTokenId", 403, INVALID_TOKEN));
    }
    // An opt-in region the account has not enabled (DISABLED, or still
    // ENABLING, or DISABLING) does not take its credentials: "disabling a
    // Region will remove all IAM access to any resources that reside in
    // that Region" (Account Management's DisableRegion), and a region is
    // usable once ENABLED. Answered as credentials the region does not know
    // (UNCONFIRMED: AWS documents the loss of access, not the error). A
    // scope naming no region of the list (a test's or a proxy's) is taken.
    if opt_status.is_some_and(|s| s != "ENABLED" && s != "ENABLED_BY_DEFAULT") {
        tracing::info!(key = %auth.access_key_id(), region = %auth.region(), "credentials refused in an opt-in region the account has not enabled");
        return Err(fail(protocol, "InvalidClientTokenId", 403, INVALID_TOKEN));
    }
    if cred.expires.is_none()
        && let Err(e) = rootward_core::iam::access_keys::note_use(
            svc,
            auth.access_key_id(),
            &service,
            auth.region(),
        )
    {
        tracing::warn!(error = %e, "could not record the key's last use");
    }
    let chunks = (kind == ServiceKind::S3
        && !auth.is_presigned()
        && parts
            .headers
            .get("x-amz-content-sha256")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")))
    .then(|| rootward_sigv4::ChunkVerifier::new(&auth, cred.secret.expose()));
    let mut caller = cred.caller;
    caller.region = auth.region().to_owned();
    caller.source_ip = Some(ip_text(peer.ip()));
    caller.user_agent = parts
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok(Authenticated {
        caller,
        global_endpoint: service == "sts" && host.split(':').next() == Some("sts.amazonaws.com"),
        service,
        protocol,
        chunks,
    })
}

/// The region an STS host name names: `sts.amazonaws.com` is us-east-1,
/// `sts.REGION.amazonaws.com` (and `sts-fips.REGION…`) is REGION; any
/// other host (a loopback address, a proxy) names none.
fn sts_host_region(host: &str) -> Option<&str> {
    let name = host.split(':').next().unwrap_or(host);
    let rest = name.strip_suffix(".amazonaws.com")?;
    if rest == "sts" {
        return Some("us-east-1");
    }
    let region = rest
        .strip_prefix("sts.")
        .or_else(|| rest.strip_prefix("sts-fips."))?;
    (!region.is_empty() && !region.contains('.')).then_some(region)
}

/// An address as text: an IPv4 one digit by digit (its `Display` goes
/// through the formatter's padding support: 0.4% of a read's CPU).
fn ip_text(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let mut s = String::with_capacity(15);
            for (i, octet) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    s.push('.');
                }
                if octet >= 100 {
                    s.push(char::from(b'0' + octet / 100));
                }
                if octet >= 10 {
                    s.push(char::from(b'0' + octet / 10 % 10));
                }
                s.push(char::from(b'0' + octet % 10));
            }
            s
        }
        std::net::IpAddr::V6(_) => ip.to_string(),
    }
}

#[cfg(test)]
mod ip_tests {
    #[test]
    fn ipv4_text_is_as_display_writes_it() {
        for ip in [
            "0.0.0.0",
            "127.0.0.1",
            "10.20.30.40",
            "255.255.255.255",
            "1.100.9.99",
            "::1",
            "2001:db8::7",
        ] {
            let ip: std::net::IpAddr = ip.parse().unwrap();
            assert_eq!(super::ip_text(ip), ip.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sts_host_region;

    #[test]
    fn an_sts_host_names_its_region_and_other_hosts_none() {
        assert_eq!(sts_host_region("sts.amazonaws.com"), Some("us-east-1"));
        assert_eq!(sts_host_region("sts.amazonaws.com:443"), Some("us-east-1"));
        assert_eq!(
            sts_host_region("sts.eu-west-3.amazonaws.com"),
            Some("eu-west-3")
        );
        assert_eq!(
            sts_host_region("sts-fips.us-east-2.amazonaws.com:4577"),
            Some("us-east-2")
        );
        for other in [
            "127.0.0.1:4577",
            "localhost",
            "iam.amazonaws.com",
            "sts.a.b.amazonaws.com",
            "sts..amazonaws.com",
            "",
        ] {
            assert_eq!(sts_host_region(other), None, "{other}");
        }
    }
}
