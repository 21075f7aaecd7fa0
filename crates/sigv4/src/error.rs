//! Why a signature was refused (spec 07 §7.9).
//!
//! Variants whose text is sent to clients ([`SigError::Malformed`],
//! [`SigError::InvalidScope`], [`SigError::Skewed`], [`SigError::WrongRegion`],
//! [`SigError::WrongService`]) display the AWS wire message verbatim; the others
//! follow the project's style (lower case, no final period). No variant ever
//! holds a secret access key or a derived signing key.

use thiserror::Error;

/// A SigV4 verification failure. Each variant names the AWS error it usually
/// maps to; the server chooses the code and status per protocol (spec 07 §7.9).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SigError {
    /// The Authorization header or the presigned query parameters are incomplete
    /// or unreadable. Maps to `IncompleteSignature` (query),
    /// `IncompleteSignatureException` (JSON), `AuthorizationHeaderMalformed` or
    /// `AuthorizationQueryParametersError` (S3). The text is AWS's where known,
    /// e.g. "Authorization header requires 'Credential' parameter. …"; other
    /// wordings are UNCONFIRMED.
    #[error("{0}")]
    Malformed(String),

    /// The signing algorithm is not `AWS4-HMAC-SHA256` (SigV2, SigV4a, another
    /// scheme). Maps like [`SigError::Malformed`].
    #[error("unsupported signing algorithm `{0}`")]
    UnsupportedAlgorithm(String),

    /// The credential scope is inconsistent: wrong terminator, or a scope date
    /// other than the request date. Maps to `SignatureDoesNotMatch` /
    /// `InvalidSignatureException`; the text is AWS's (spec 07 §7.5 step 5).
    #[error("{0}")]
    InvalidScope(String),

    /// The scope names another region than the endpoint's (spec 07 §7.6).
    /// Returned only by [`crate::Auth::check_scope`]. The text is the STS wording.
    #[error("Credential should be scoped to a valid region, not '{given}'. ")]
    WrongRegion {
        /// The region in the client's credential scope.
        given: String,
        /// The endpoint's region.
        expected: String,
    },

    /// The scope names another service than the one called (spec 07 §7.6,
    /// wording UNCONFIRMED). Returned only by [`crate::Auth::check_scope`].
    #[error("Credential should be scoped to correct service: '{expected}'. ")]
    WrongService {
        /// The service in the client's credential scope.
        given: String,
        /// The service being called.
        expected: String,
    },

    /// The recomputed signature differs from the client's. Carries what the
    /// server computed, for S3's `<CanonicalRequest>`/`<StringToSign>` and for
    /// logs. Maps to `SignatureDoesNotMatch` / `InvalidSignatureException`.
    #[error("the request signature does not match")]
    SignatureMismatch {
        /// The canonical request the server built (spec 07 §7.2).
        canonical_request: String,
        /// The string to sign the server built (spec 07 §7.3).
        string_to_sign: String,
    },

    /// The request time is too far from the server's clock. `message` is AWS's
    /// "Signature expired: … is now earlier than … (… - 15 min.)" or
    /// "Signature not yet current: … is still later than … (… + 15 min.)".
    /// Maps to `SignatureDoesNotMatch` (query/JSON) or `RequestTimeTooSkewed` (S3).
    #[error("{message}")]
    Skewed {
        /// The AWS wire message.
        message: String,
    },

    /// A presigned URL is used after `X-Amz-Date + X-Amz-Expires`. Maps to
    /// `AccessDenied` "Request has expired".
    #[error("the presigned request has expired")]
    PresignedExpired,

    /// S3: `x-amz-content-sha256` is a hex digest that differs from the hash of
    /// the body the server received. Maps to `XAmzContentSHA256Mismatch`.
    #[error("`x-amz-content-sha256` does not match the body")]
    ContentSha256Mismatch,

    /// S3: `x-amz-content-sha256` is neither a hex SHA-256 nor a known
    /// `UNSIGNED-PAYLOAD`/`STREAMING-…` value. Maps to `InvalidArgument`.
    #[error("`x-amz-content-sha256` has an invalid value `{0}`")]
    InvalidContentSha256(String),

    /// S3: a header-signed request lacks `x-amz-content-sha256` (spec 07 §7.8).
    /// Maps to `InvalidRequest` "Missing required header for this request:
    /// x-amz-content-sha256" (UNCONFIRMED).
    #[error("missing required header `x-amz-content-sha256`")]
    MissingContentSha256,

    /// S3: `x-amz-*` headers present but not listed in SignedHeaders (lower-case
    /// names, sorted). Maps to `AccessDenied` "There were headers present in the
    /// request which were not signed" with `<HeadersNotSigned>`.
    #[error("headers present in the request were not signed: {}", .0.join(", "))]
    HeadersNotSigned(Vec<String>),

    /// A non-S3 request was given without the body's hash
    /// ([`crate::RequestParts::payload_hash`] is `None`): its signature covers
    /// the body, so it cannot be verified. A server bug, not a client error.
    #[error("the body's SHA-256 is required to verify this request")]
    PayloadHashRequired,
}
