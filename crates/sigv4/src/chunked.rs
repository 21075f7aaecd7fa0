//! Chunk signatures of `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` bodies
//! (S3 aws-chunked uploads): each chunk's signature chains from the previous
//! one, starting from the seed signature of the request.

use std::fmt;

use crate::auth::Auth;
use crate::key::{sha256_hex, signature, signatures_equal, signing_key};

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Verifies the chunk (and trailer) signatures of one aws-chunked body, in order.
#[derive(Clone)]
pub struct ChunkVerifier {
    key: [u8; 32],
    amz_date: String,
    scope: String,
    previous: String,
}

impl fmt::Debug for ChunkVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkVerifier")
            .field("scope", &self.scope)
            .field("previous", &self.previous)
            .finish_non_exhaustive()
    }
}

impl ChunkVerifier {
    /// Starts from a verified request's seed signature and the key's secret.
    pub fn new(auth: &Auth, secret_access_key: &str) -> Self {
        ChunkVerifier {
            key: signing_key(
                secret_access_key,
                &auth.scope_date,
                &auth.region,
                &auth.service,
            ),
            amz_date: auth.amz_date.clone(),
            scope: auth.credential_scope(),
            previous: auth.signature.clone(),
        }
    }

    /// Checks the next chunk's `chunk-signature` (the final chunk is empty).
    pub fn chunk(&mut self, data: &[u8], provided: &str) -> bool {
        let sts = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{}\n{EMPTY_SHA256}\n{}",
            self.amz_date,
            self.scope,
            self.previous,
            sha256_hex(data)
        );
        self.advance(&sts, provided)
    }

    /// Checks `x-amz-trailer-signature` over the trailing headers, given as
    /// `name:value\n` lines.
    pub fn trailer(&mut self, canonical_trailers: &[u8], provided: &str) -> bool {
        let sts = format!(
            "AWS4-HMAC-SHA256-TRAILER\n{}\n{}\n{}\n{}",
            self.amz_date,
            self.scope,
            self.previous,
            sha256_hex(canonical_trailers)
        );
        self.advance(&sts, provided)
    }

    fn advance(&mut self, string_to_sign: &str, provided: &str) -> bool {
        let computed = signature(&self.key, string_to_sign);
        let ok = signatures_equal(&computed, &provided.to_ascii_lowercase());
        self.previous = computed;
        ok
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The AWS documentation's aws-chunked example ("Signature Calculations
    /// for the Authorization Header: Transferring Payload in Multiple Chunks").
    #[test]
    fn verifies_the_aws_documentation_example() {
        let auth = Auth {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            scope_date: "20130524".into(),
            region: "us-east-1".into(),
            service: "s3".into(),
            terminator: "aws4_request".into(),
            signed_headers: Vec::new(),
            signature: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9".into(),
            amz_date: "20130524T000000Z".into(),
            request_time: time::macros::datetime!(2013-05-24 0:00 UTC),
            security_token: None,
            expires: None,
        };
        let mut v = ChunkVerifier::new(&auth, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        let mut w = v.clone();
        assert!(v.chunk(
            &[b'a'; 65536],
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
        ));
        assert!(v.chunk(
            &[b'a'; 1024],
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
        ));
        assert!(v.chunk(
            b"",
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
        ));
        assert!(!w.chunk(
            &[b'b'; 65536],
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
        ));
    }
}
