//! S3 object checksums (issue 14 §4): the five algorithms S3 verifies
//! (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256), the claim a request makes in
//! an `x-amz-checksum-*` header or aws-chunked trailer, its verification
//! against the bytes received, and the checksum stored with each object.
//!
//! As S3 does since December 2024, an object uploaded without a checksum
//! gets a full-object CRC64NVME; a multipart upload created with an
//! algorithm gets a composite checksum (the checksum of its parts'
//! checksums, `-N` appended), or a full-object one when it asked for
//! `FULL_OBJECT` with a CRC.
//!
//! The error answers follow S3's: a mismatch is `BadDigest`; a malformed
//! value, two claims, or an `x-amz-sdk-checksum-algorithm` without its
//! checksum is `InvalidRequest`. The algorithms S3 added in 2025 (SHA-512,
//! MD5, XXHASH*) are refused with `NotImplemented` rather than stored
//! unchecked.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use crc_fast::CrcAlgorithm;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::{S3Error, not_implemented, s3_err};
use crate::error::CoreError;

/// A checksum algorithm S3 verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Algorithm {
    /// CRC-32 (ISO-HDLC), 4 bytes.
    #[serde(rename = "CRC32")]
    Crc32,
    /// CRC-32C (Castagnoli), 4 bytes.
    #[serde(rename = "CRC32C")]
    Crc32c,
    /// CRC-64/NVME, 8 bytes.
    #[serde(rename = "CRC64NVME")]
    Crc64Nvme,
    /// SHA-1, 20 bytes.
    #[serde(rename = "SHA1")]
    Sha1,
    /// SHA-256, 32 bytes.
    #[serde(rename = "SHA256")]
    Sha256,
}

/// Every algorithm, in S3's order.
pub const ALGORITHMS: [Algorithm; 5] = [
    Algorithm::Crc32,
    Algorithm::Crc32c,
    Algorithm::Crc64Nvme,
    Algorithm::Sha1,
    Algorithm::Sha256,
];

/// Algorithm names S3 knows but this endpoint does not verify.
const UNVERIFIED: [&str; 5] = ["SHA512", "MD5", "XXHASH64", "XXHASH3", "XXHASH128"];

impl Algorithm {
    /// The wire name (`CRC32`, `CRC64NVME`, …).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }

    /// The header carrying the value (`x-amz-checksum-crc32`).
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The member name in S3's XML documents (`ChecksumCRC32`).
    pub fn xml_member(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "ChecksumCRC32",
            Algorithm::Crc32c => "ChecksumCRC32C",
            Algorithm::Crc64Nvme => "ChecksumCRC64NVME",
            Algorithm::Sha1 => "ChecksumSHA1",
            Algorithm::Sha256 => "ChecksumSHA256",
        }
    }

    /// The algorithm of a wire name, case-insensitively.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        ALGORITHMS
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The algorithm of a header name (lower-case).
    pub fn from_header(name: &str) -> Option<Algorithm> {
        ALGORITHMS.into_iter().find(|a| a.header() == name)
    }

    /// Whether it is a CRC (and so may be combined into a full-object
    /// checksum of a multipart upload).
    pub fn is_crc(self) -> bool {
        matches!(
            self,
            Algorithm::Crc32 | Algorithm::Crc32c | Algorithm::Crc64Nvme
        )
    }

    /// The digest's length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Algorithm::Crc32 | Algorithm::Crc32c => 4,
            Algorithm::Crc64Nvme => 8,
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
        }
    }

    /// The raw digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let crc = |a: CrcAlgorithm| crc_fast::checksum(a, data);
        match self {
            Algorithm::Crc32 => truncate32(crc(CrcAlgorithm::Crc32IsoHdlc)),
            Algorithm::Crc32c => truncate32(crc(CrcAlgorithm::Crc32Iscsi)),
            Algorithm::Crc64Nvme => crc(CrcAlgorithm::Crc64Nvme).to_be_bytes().to_vec(),
            Algorithm::Sha1 => Sha1::digest(data).to_vec(),
            Algorithm::Sha256 => Sha256::digest(data).to_vec(),
        }
    }

    /// The base64 digest of `data`, as S3 sends it.
    pub fn encode(self, data: &[u8]) -> String {
        B64.encode(self.digest(data))
    }
}

fn truncate32(v: u64) -> Vec<u8> {
    u32::try_from(v & 0xffff_ffff)
        .unwrap_or_default()
        .to_be_bytes()
        .to_vec()
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `FULL_OBJECT` or `COMPOSITE` (`x-amz-checksum-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ChecksumType {
    /// The checksum of the whole object's bytes.
    #[default]
    #[serde(rename = "FULL_OBJECT")]
    FullObject,
    /// The checksum of a multipart upload's part checksums, `-N` appended.
    #[serde(rename = "COMPOSITE")]
    Composite,
}

impl ChecksumType {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumType::FullObject => "FULL_OBJECT",
            ChecksumType::Composite => "COMPOSITE",
        }
    }

    /// The type of a wire name.
    pub fn from_name(name: &str) -> Option<ChecksumType> {
        match name.trim() {
            "FULL_OBJECT" => Some(ChecksumType::FullObject),
            "COMPOSITE" => Some(ChecksumType::Composite),
            _ => None,
        }
    }
}

/// A checksum stored with an object or part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checksum {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// The base64 value (`…-N` for a composite one).
    pub value: String,
    /// Full-object or composite.
    #[serde(default)]
    pub kind: ChecksumType,
}

impl Checksum {
    /// The full-object checksum of `data`.
    pub fn of(algorithm: Algorithm, data: &[u8]) -> Checksum {
        Checksum {
            algorithm,
            value: algorithm.encode(data),
            kind: ChecksumType::FullObject,
        }
    }

    /// The composite checksum of parts whose checksums (base64) are `parts`:
    /// the checksum of their concatenated raw digests, `-N` appended.
    pub fn composite<'a>(
        algorithm: Algorithm,
        parts: impl ExactSizeIterator<Item = &'a str>,
    ) -> Option<Checksum> {
        let n = parts.len();
        let mut raw = Vec::with_capacity(n * algorithm.digest_len());
        for p in parts {
            raw.extend(B64.decode(p).ok()?);
        }
        Some(Checksum {
            algorithm,
            value: format!("{}-{n}", algorithm.encode(&raw)),
            kind: ChecksumType::Composite,
        })
    }
}

/// The checksum a request claims for its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// The value as sent (base64).
    pub value: String,
}

fn invalid_request(message: impl Into<String>) -> CoreError {
    s3_err(S3Error::InvalidRequest, message)
}

impl Claim {
    /// Reads the claim of a request from its headers and the trailers of an
    /// aws-chunked body (names lower-case). `None` when it makes none.
    pub fn from_request<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        trailers: &[(String, String)],
    ) -> Result<Option<Claim>, CoreError> {
        let mut sdk_algorithm = None;
        let mut announced = Vec::new();
        let mut found: Vec<(&str, &str)> = Vec::new();
        for (name, value) in headers {
            match name {
                "x-amz-sdk-checksum-algorithm" => sdk_algorithm = Some(value.trim()),
                "x-amz-trailer" => announced.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|t| t.starts_with("x-amz-checksum-")),
                ),
                // Headers about checksums, not claims.
                "x-amz-checksum-type" | "x-amz-checksum-mode" | "x-amz-checksum-algorithm" => {}
                n if n.starts_with("x-amz-checksum-") => found.push((n, value)),
                _ => {}
            }
        }
        for t in &announced {
            if !trailers.iter().any(|(k, _)| k.eq_ignore_ascii_case(t)) {
                // UNCONFIRMED wording: S3's answer to a trailer announced and
                // not sent.
                return Err(CoreError::from(S3Error::MalformedTrailer));
            }
        }
        found.extend(
            trailers
                .iter()
                .filter(|(k, _)| k.starts_with("x-amz-checksum-"))
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        if found.len() > 1 {
            return Err(invalid_request(
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
            ));
        }
        let claim = match found.first() {
            None => None,
            Some((name, value)) => {
                let Some(algorithm) = Algorithm::from_header(name) else {
                    let suffix = name.trim_start_matches("x-amz-checksum-");
                    if UNVERIFIED.iter().any(|u| u.eq_ignore_ascii_case(suffix)) {
                        return Err(not_implemented());
                    }
                    return Err(invalid_request(format!(
                        "Value for {name} header is invalid."
                    )));
                };
                let value = value.trim();
                if B64.decode(value).map(|d| d.len()).ok() != Some(algorithm.digest_len()) {
                    return Err(invalid_request(format!(
                        "Value for {name} header is invalid."
                    )));
                }
                Some(Claim {
                    algorithm,
                    value: value.to_owned(),
                })
            }
        };
        if let Some(sdk) = sdk_algorithm {
            match (Algorithm::from_name(sdk), &claim) {
                (Some(a), Some(c)) if a == c.algorithm => {}
                (Some(_), None) => {
                    return Err(invalid_request(
                        "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.",
                    ));
                }
                (None, _) if UNVERIFIED.iter().any(|u| u.eq_ignore_ascii_case(sdk)) => {
                    return Err(not_implemented());
                }
                _ => {
                    return Err(invalid_request(
                        "Value for x-amz-sdk-checksum-algorithm header is invalid.",
                    ));
                }
            }
        }
        Ok(claim)
    }

    /// Checks the claim against the bytes received: the checksum to store,
    /// or `BadDigest`.
    pub fn verify(&self, data: &[u8]) -> Result<Checksum, CoreError> {
        let computed = Checksum::of(self.algorithm, data);
        if computed.value != self.value {
            return Err(CoreError::from(S3Error::BadChecksum {
                algorithm: self.algorithm.to_string(),
            }));
        }
        Ok(computed)
    }
}

/// Verifies the claim of a request, if it makes one: the checksum of the
/// payload (the claimed one, or a CRC64NVME computed here, as S3 does for
/// uploads without one).
pub fn checksum_of(claim: Option<&Claim>, data: &[u8]) -> Result<Checksum, CoreError> {
    match claim {
        Some(c) => c.verify(data),
        None => Ok(Checksum::of(Algorithm::Crc64Nvme, data)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn code(e: CoreError) -> &'static str {
        match e {
            CoreError::S3(S3Error::BadChecksum { .. }) => "BadDigest",
            CoreError::S3(S3Error::InvalidRequest(_)) => "InvalidRequest",
            CoreError::S3(S3Error::MalformedTrailer) => "MalformedTrailerError",
            CoreError::S3(S3Error::NotImplemented) => "NotImplemented",
            _ => "other",
        }
    }

    #[test]
    fn digests_match_the_published_check_values() {
        // The "check" value of each CRC catalogue entry: the CRC of "123456789".
        let data = b"123456789";
        let hex = |a: Algorithm| hex::encode(a.digest(data));
        assert_eq!(hex(Algorithm::Crc32), "cbf43926");
        assert_eq!(hex(Algorithm::Crc32c), "e3069283");
        assert_eq!(hex(Algorithm::Crc64Nvme), "ae8b14860a799888");
        assert_eq!(
            hex(Algorithm::Sha1),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
        assert_eq!(
            hex(Algorithm::Sha256),
            "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"
        );
        // As S3 shows them: base64 of the big-endian digest.
        assert_eq!(Algorithm::Crc32.encode(b"hello world"), "DUoRhQ==");
    }

    #[test]
    fn a_claim_is_read_from_a_header_or_a_trailer() {
        let value = Algorithm::Crc32c.encode(b"abc");
        let c = Claim::from_request([("x-amz-checksum-crc32c", value.as_str())], &[])
            .unwrap()
            .unwrap();
        assert_eq!(c.algorithm, Algorithm::Crc32c);
        assert_eq!(c.verify(b"abc").unwrap().value, value);
        let trailers = vec![(
            "x-amz-checksum-sha1".to_owned(),
            Algorithm::Sha1.encode(b"abc"),
        )];
        let c = Claim::from_request(
            [
                ("x-amz-trailer", "x-amz-checksum-sha1"),
                ("x-amz-sdk-checksum-algorithm", "SHA1"),
            ],
            &trailers,
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.algorithm, Algorithm::Sha1);
        assert!(c.verify(b"abc").is_ok());
        assert_eq!(
            Claim::from_request([("content-type", "x")], &[]).unwrap(),
            None
        );
    }

    #[test]
    fn a_wrong_checksum_is_bad_digest_for_every_algorithm() {
        for a in ALGORITHMS {
            let claim = Claim {
                algorithm: a,
                value: a.encode(b"something else"),
            };
            let e = claim.verify(b"payload").unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("The {a} you specified did not match the calculated checksum.")
            );
            assert_eq!(code(e), "BadDigest");
        }
    }

    #[test]
    fn malformed_or_conflicting_claims_are_invalid_requests() {
        let crc = Algorithm::Crc32.encode(b"x");
        let sha = Algorithm::Sha256.encode(b"x");
        for headers in [
            vec![("x-amz-checksum-crc32", "not base64!")],
            // The right base64 for the wrong length.
            vec![("x-amz-checksum-crc64nvme", crc.as_str())],
            vec![
                ("x-amz-checksum-crc32", crc.as_str()),
                ("x-amz-checksum-sha256", sha.as_str()),
            ],
            vec![("x-amz-sdk-checksum-algorithm", "CRC32C")],
            vec![
                ("x-amz-sdk-checksum-algorithm", "SHA256"),
                ("x-amz-checksum-crc32", crc.as_str()),
            ],
            vec![("x-amz-checksum-whatever", crc.as_str())],
        ] {
            let e = Claim::from_request(headers.clone(), &[]).unwrap_err();
            assert_eq!(code(e), "InvalidRequest", "{headers:?}");
        }
        let e = Claim::from_request([("x-amz-trailer", "x-amz-checksum-crc32")], &[]).unwrap_err();
        assert_eq!(code(e), "MalformedTrailerError");
        let e = Claim::from_request([("x-amz-checksum-sha512", "AAAA")], &[]).unwrap_err();
        assert_eq!(code(e), "NotImplemented");
    }

    #[test]
    fn an_upload_without_a_claim_gets_a_crc64nvme() {
        let c = checksum_of(None, b"data").unwrap();
        assert_eq!(c.algorithm, Algorithm::Crc64Nvme);
        assert_eq!(c.kind, ChecksumType::FullObject);
        assert_eq!(c.value, Algorithm::Crc64Nvme.encode(b"data"));
    }

    #[test]
    fn a_composite_checksum_is_the_checksum_of_the_part_checksums() {
        let parts = [
            Algorithm::Sha256.encode(b"a"),
            Algorithm::Sha256.encode(b"b"),
        ];
        let c = Checksum::composite(Algorithm::Sha256, parts.iter().map(String::as_str)).unwrap();
        let mut raw = Algorithm::Sha256.digest(b"a");
        raw.extend(Algorithm::Sha256.digest(b"b"));
        assert_eq!(c.value, format!("{}-2", Algorithm::Sha256.encode(&raw)));
        assert_eq!(c.kind, ChecksumType::Composite);
    }

    #[test]
    fn stored_checksums_keep_s3_names() {
        let c = Checksum::of(Algorithm::Crc64Nvme, b"x");
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            json.contains("\"CRC64NVME\"") && json.contains("\"FULL_OBJECT\""),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Checksum>(&json).unwrap(), c);
    }
}
