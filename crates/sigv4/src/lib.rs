//! Server-side verification of AWS Signature Version 4 (`AWS4-HMAC-SHA256`),
//! spec 07.
//!
//! The crate owns: finding a request's signature (Authorization header or
//! presigned query), the canonical request and string to sign, signing-key
//! derivation, the constant-time comparison, and the clock, scope-form and S3
//! header rules. It takes the request as plain strings ([`RequestParts`]) and
//! depends on no HTTP framework.
//!
//! It leaves out: looking up access keys and session tokens, deciding whether
//! the scope's region and service fit the endpoint (see [`Auth::check_scope`]),
//! mapping [`SigError`] to AWS error codes and statuses, decoding aws-chunked
//! bodies (their chunk signatures are checked with [`ChunkVerifier`]), SigV4a
//! and SigV2.
//! There is deliberately no signer.
//!
//! ```no_run
//! # use rootward_sigv4::{parse, verify, RequestParts, ServiceKind};
//! # fn secret_for(_: &str) -> String { String::new() }
//! # let (headers, body_hash) = (vec![("host", "iam.amazonaws.com")], "e3b0…".to_owned());
//! let parts = RequestParts {
//!     method: "POST",
//!     raw_path: "/",
//!     raw_query: "",
//!     headers: &headers,
//!     payload_hash: Some(&body_hash),
//! };
//! match parse(&parts) {
//!     Ok(Some(auth)) => {
//!         let secret = secret_for(auth.access_key_id());
//!         let now = time::OffsetDateTime::now_utc();
//!         let kind = ServiceKind::of(auth.service());
//!         verify(&auth, &parts, &secret, kind, now, time::Duration::minutes(15))?;
//!     }
//!     Ok(None) => { /* anonymous */ }
//!     Err(e) => return Err(e),
//! }
//! # Ok::<(), rootward_sigv4::SigError>(())
//! ```

mod amz_date;
mod auth;
mod authorization_header;
mod canonical;
mod chunked;
mod error;
mod key;
mod presigned;
mod request;
mod uri_encode;
mod verify;

#[cfg(test)]
mod suite_tests;

pub use auth::{Auth, parse};
pub use chunked::ChunkVerifier;
pub use error::SigError;
pub use key::{SigningKeys, hex_lower, signing_key};
pub use request::RequestParts;
pub use verify::{ServiceKind, verify, verify_with_signing_key};
