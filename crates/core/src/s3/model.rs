//! The durable S3 records: buckets (with their policy text) and object
//! metadata. Object bytes are blobs of the store, keyed by [`Object::blob`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::checksum::{Algorithm, Checksum, ChecksumType};
use super::config::BucketConfig;

/// A bucket.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Bucket {
    /// Globally unique name.
    pub name: String,
    /// The owning account.
    pub owner: String,
    /// The region it was created in (`us-east-1` when no `LocationConstraint`).
    pub region: String,
    /// The `LocationConstraint` it was created with when that is not its
    /// region's name: only `EU`, eu-west-1's legacy name, which
    /// `GetBucketLocation` keeps answering (S3 API reference,
    /// GetBucketLocation: "Buckets with a LocationConstraint of EU reside in
    /// eu-west-1"). `None` for every other bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_location: Option<String>,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The bucket policy, exactly as put.
    #[serde(default)]
    pub policy: Option<String>,
    /// Versioning, logging, encryption, tags, website, Block Public Access,
    /// Object Ownership.
    #[serde(default)]
    pub config: Box<BucketConfig>,
}

impl Bucket {
    /// What `GetBucketLocation` answers: the legacy constraint it was
    /// created with, else its region; `None` (an empty element) for
    /// us-east-1.
    pub fn location_constraint(&self) -> Option<&str> {
        match &self.legacy_location {
            Some(l) => Some(l),
            None => (self.region != "us-east-1").then_some(self.region.as_str()),
        }
    }

    /// `arn:aws:s3:::NAME`.
    pub fn arn(&self) -> String {
        crate::ident::Arn::bucket(&self.name).to_string()
    }
}

/// An object's metadata.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Object {
    /// Its bucket.
    pub bucket: String,
    /// Its key.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// `"<md5 hex>"`, quotes included.
    pub etag: String,
    /// `Content-Type` as given (`binary/octet-stream` when none was).
    pub content_type: String,
    /// Other representation headers as given (`Content-Encoding`,
    /// `Content-Disposition`, `Cache-Control`, `Content-Language`), lower-case names.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// User metadata (`x-amz-meta-NAME`), names lower-case without the prefix.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Last write.
    #[serde(with = "time::serde::rfc3339")]
    pub last_modified: OffsetDateTime,
    /// The account that wrote it.
    pub writer: String,
    /// The store key of its bytes (new for every write).
    pub blob: String,
    /// Its checksum (`None` for objects stored before checksums were kept).
    #[serde(default)]
    pub checksum: Option<Box<Checksum>>,
}

impl Object {
    /// The store key of the record: `BUCKET/KEY`.
    pub fn store_key(&self) -> String {
        format!("{}/{}", self.bucket, self.key)
    }

    /// The ARN of the object: `arn:aws:s3:::BUCKET/KEY`.
    pub fn arn(&self) -> String {
        crate::ident::Arn::object(&self.bucket, &self.key).to_string()
    }
}

/// One uploaded part of a multipart upload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Part {
    /// `"<md5 hex>"`.
    pub etag: String,
    /// Size in bytes.
    pub size: u64,
    /// The store key of its bytes.
    pub blob: String,
    /// When it was uploaded.
    #[serde(with = "time::serde::rfc3339")]
    pub last_modified: OffsetDateTime,
    /// Its checksum, when the request sent one or the upload names an
    /// algorithm.
    #[serde(default)]
    pub checksum: Option<Checksum>,
}

/// A multipart upload in progress.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Upload {
    /// Upload id.
    pub id: String,
    /// Target bucket.
    pub bucket: String,
    /// Target key.
    pub key: String,
    /// The account that started it.
    pub initiator: String,
    /// Start time.
    #[serde(with = "time::serde::rfc3339")]
    pub initiated: OffsetDateTime,
    /// `Content-Type` of the future object.
    pub content_type: String,
    /// Representation headers of the future object.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// User metadata of the future object.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Parts by number.
    #[serde(default)]
    pub parts: BTreeMap<u32, Part>,
    /// The checksum algorithm it was created with (`x-amz-checksum-algorithm`).
    #[serde(default)]
    pub checksum_algorithm: Option<Algorithm>,
    /// The checksum type it was created with (`x-amz-checksum-type`).
    #[serde(default)]
    pub checksum_type: Option<ChecksumType>,
}
