//! The signing key and the signature (spec 07 §7.4).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    #[expect(
        clippy::expect_used,
        reason = "HMAC takes keys of any length; new_from_slice cannot fail"
    )]
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Derives the SigV4 signing key for one day, region and service:
/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`
/// (spec 07 §7.4). `date` is `YYYYMMDD`, as in the credential scope.
///
/// The key is valid for every request of that scope, so a server may cache it
/// per (access key id, date, region, service) and call
/// [`crate::verify_with_signing_key`]. Treat it as a secret.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut k_secret = Vec::with_capacity(4 + secret_access_key.len());
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret_access_key.as_bytes());
    let k_date = hmac(&k_secret, date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// Most signing keys a [`SigningKeys`] keeps.
const CACHED_KEYS: usize = 4_096;

/// Signing keys already derived, per access key id and credential scope
/// (date, region, service), each kept with the secret it was derived from:
/// a request signed with the same secret for the same scope skips the four
/// HMACs of [`signing_key`]; a different secret for the key id (a rotated or
/// recreated key) derives again. Bounded: when full it starts over.
#[derive(Default)]
pub struct SigningKeys {
    map: std::sync::Mutex<std::collections::HashMap<String, Derived>>,
}

/// A signing key and the secret it was derived from.
type Derived = (Vec<u8>, [u8; 32]);

impl SigningKeys {
    /// The signing key of `secret_access_key` for `auth`'s scope.
    pub fn key_for(&self, auth: &crate::Auth, secret_access_key: &str) -> [u8; 32] {
        let id = format!(
            "{}/{}/{}/{}",
            auth.access_key_id(),
            auth.scope_date(),
            auth.region(),
            auth.service()
        );
        if let Ok(map) = self.map.lock()
            && let Some((secret, key)) = map.get(&id)
            && bool::from(secret.as_slice().ct_eq(secret_access_key.as_bytes()))
        {
            return *key;
        }
        let key = signing_key(
            secret_access_key,
            auth.scope_date(),
            auth.region(),
            auth.service(),
        );
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CACHED_KEYS {
                map.clear();
            }
            map.insert(id, (secret_access_key.as_bytes().to_vec(), key));
        }
        key
    }
}

/// Lower-case hex of `bytes`. (`hex::encode` collects `char`s into a
/// `String` one at a time: 2% of a GetCallerIdentity's CPU over the
/// request's hashes and ids.)
pub fn hex_lower(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len() * 2];
    // Cannot fail: the output is twice the input's length.
    let _ = hex::encode_to_slice(bytes, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Lower-case hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex_lower(&Sha256::digest(data))
}

/// Lower-case hex `HMAC-SHA256(signing_key, string_to_sign)`.
pub(crate) fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex_lower(&hmac(signing_key, string_to_sign.as_bytes()))
}

/// Compares two signatures in constant time (for equal lengths).
pub(crate) fn signatures_equal(computed: &str, provided: &str) -> bool {
    computed.as_bytes().ct_eq(provided.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(hex_lower(&[]), "");
        assert_eq!(hex_lower(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
    }

    #[test]
    fn signing_key_matches_aws_documentation_vector() {
        // spec 07 §7.11.1
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex::encode(key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn signature_matches_iam_list_users_vector() {
        // spec 07 §7.11.2
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        let sts = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n\
                   f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";
        assert_eq!(
            signature(&key, sts),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    fn auth(key_id: &str, date: &str) -> crate::Auth {
        crate::Auth {
            access_key_id: key_id.into(),
            scope_date: date.into(),
            region: "us-east-1".into(),
            service: "iam".into(),
            terminator: "aws4_request".into(),
            signed_headers: Vec::new(),
            signature: String::new(),
            amz_date: String::new(),
            request_time: time::OffsetDateTime::UNIX_EPOCH,
            security_token: None,
            expires: None,
        }
    }

    #[test]
    fn cached_signing_keys_follow_the_secret_and_the_scope() {
        let keys = SigningKeys::default();
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let a = auth("AKIDEXAMPLE", "20150830");
        let expected = signing_key(secret, "20150830", "us-east-1", "iam");
        assert_eq!(keys.key_for(&a, secret), expected);
        assert_eq!(keys.key_for(&a, secret), expected);
        // A new secret for the same key id and scope derives again.
        assert_eq!(
            keys.key_for(&a, "another-secret"),
            signing_key("another-secret", "20150830", "us-east-1", "iam")
        );
        // Another day is another key.
        assert_eq!(
            keys.key_for(&auth("AKIDEXAMPLE", "20150831"), secret),
            signing_key(secret, "20150831", "us-east-1", "iam")
        );
    }

    #[test]
    fn empty_body_hash() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn signature_comparison() {
        assert!(signatures_equal("abc", "abc"));
        assert!(!signatures_equal("abc", "abd"));
        assert!(!signatures_equal("abc", "ab"));
    }
}
