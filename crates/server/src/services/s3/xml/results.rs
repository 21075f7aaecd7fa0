//! The result documents of bucket, listing, object and multipart calls,
//! each tested below against the exact bytes S3 sends, and the request
//! documents of DeleteObjects, CreateBucket and CompleteMultipartUpload
//! (checked first by [`crate::services::s3::documents`]).

use serde::{Deserialize, Serialize};

use super::{Ignored, Ns, Owner, Text, Timestamp};

// ---------------------------------------------------------------- buckets

/// `ListAllMyBucketsResult` (ListBuckets).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAllMyBucketsResult {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The caller's account.
    pub owner: Owner,
    /// The buckets.
    pub buckets: Buckets,
    /// The prefix asked for, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Where the next page starts, when more buckets follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
}

/// `Buckets`.
#[derive(Debug, Serialize)]
pub struct Buckets {
    /// One `Bucket` each.
    #[serde(rename = "Bucket")]
    pub bucket: Vec<BucketEntry>,
}

/// One `Bucket` of ListBuckets.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketEntry {
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: Timestamp,
    /// Its region.
    pub bucket_region: String,
}

/// `PolicyStatus` (GetBucketPolicyStatus).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyStatus {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// Whether the bucket policy makes the bucket public.
    pub is_public: bool,
}

/// `LocationConstraint` (GetBucketLocation): the region as the root's
/// text, empty for `us-east-1`.
#[derive(Debug, Serialize)]
pub struct LocationConstraint {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The region, `None` for `us-east-1`.
    #[serde(rename = "$text", skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

// ---------------------------------------------------------------- listings

/// `ListBucketResult` (ListObjects and ListObjectsV2: the members of the
/// other version are `None`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListBucketResult {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The bucket.
    pub name: String,
    /// The prefix asked for (`""` when none).
    pub prefix: String,
    /// V1: the marker asked for (`""` when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// V1: where the next page starts (with a delimiter, when truncated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
    /// V2: keys and common prefixes on this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_count: Option<usize>,
    /// V2: the token asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    /// V2: the next page's token, when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_continuation_token: Option<String>,
    /// V2: the key asked to start after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_after: Option<String>,
    /// The page size.
    pub max_keys: usize,
    /// The delimiter asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// `url` when keys are percent-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_type: Option<String>,
    /// More keys follow.
    pub is_truncated: bool,
    /// The objects.
    pub contents: Vec<Contents>,
    /// The common prefixes.
    pub common_prefixes: Vec<CommonPrefix>,
}

/// One object of a listing.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Contents {
    /// Its key.
    pub key: String,
    /// When it was written.
    pub last_modified: Timestamp,
    /// Its ETag, quoted.
    #[serde(rename = "ETag")]
    pub etag: String,
    /// Its size in bytes.
    pub size: u64,
    /// `STANDARD`.
    pub storage_class: &'static str,
    /// Its owner: always in V1, in V2 with `fetch-owner=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
}

/// One `CommonPrefixes` of a listing.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CommonPrefix {
    /// The prefix.
    pub prefix: String,
}

// ---------------------------------------------------------------- objects

/// An object's checksum members, as results carry them (at most one
/// algorithm's value, then its type).
#[derive(Debug, Default, Serialize)]
pub struct Checksums {
    /// `ChecksumCRC32`.
    #[serde(rename = "ChecksumCRC32", skip_serializing_if = "Option::is_none")]
    pub crc32: Option<String>,
    /// `ChecksumCRC32C`.
    #[serde(rename = "ChecksumCRC32C", skip_serializing_if = "Option::is_none")]
    pub crc32c: Option<String>,
    /// `ChecksumCRC64NVME`.
    #[serde(rename = "ChecksumCRC64NVME", skip_serializing_if = "Option::is_none")]
    pub crc64nvme: Option<String>,
    /// `ChecksumSHA1`.
    #[serde(rename = "ChecksumSHA1", skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
    /// `ChecksumSHA256`.
    #[serde(rename = "ChecksumSHA256", skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// `ChecksumType` (`FULL_OBJECT`, `COMPOSITE`).
    #[serde(rename = "ChecksumType", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
}

impl Checksums {
    /// The members of a stored checksum (none without one).
    pub fn of(c: Option<&rootward_core::s3::checksum::Checksum>) -> Checksums {
        use rootward_core::s3::checksum::Algorithm;
        let Some(c) = c else {
            return Checksums::default();
        };
        let mut out = Checksums {
            kind: Some(c.kind.name()),
            ..Checksums::default()
        };
        let value = Some(c.value.clone());
        match c.algorithm {
            Algorithm::Crc32 => out.crc32 = value,
            Algorithm::Crc32c => out.crc32c = value,
            Algorithm::Crc64Nvme => out.crc64nvme = value,
            Algorithm::Sha1 => out.sha1 = value,
            Algorithm::Sha256 => out.sha256 = value,
        }
        out
    }
}

/// `CopyObjectResult` (CopyObject).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CopyObjectResult {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// When the copy was written.
    pub last_modified: Timestamp,
    /// The copy's ETag.
    #[serde(rename = "ETag")]
    pub etag: String,
    /// The copy's checksum.
    #[serde(flatten)]
    pub checksums: Checksums,
}

/// `DeleteResult` (DeleteObjects): one entry per key, in the request's
/// order (`Deleted` ones left out when `Quiet`).
#[derive(Debug, Serialize)]
pub struct DeleteResult {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The entries.
    #[serde(rename = "$value")]
    pub entries: Vec<DeleteEntry>,
}

/// One entry of a `DeleteResult`.
#[derive(Debug, Serialize)]
pub enum DeleteEntry {
    /// A key deleted.
    Deleted {
        /// The key.
        #[serde(rename = "Key")]
        key: String,
    },
    /// A key not deleted.
    Error {
        /// The key.
        #[serde(rename = "Key")]
        key: String,
        /// Why, as an S3 error code.
        #[serde(rename = "Code")]
        code: String,
        /// Why, in words.
        #[serde(rename = "Message")]
        message: String,
    },
}

// ---------------------------------------------------------------- multipart

/// `InitiateMultipartUploadResult` (CreateMultipartUpload).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateMultipartUploadResult {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The upload's id.
    pub upload_id: String,
}

/// `CompleteMultipartUploadResult` (CompleteMultipartUpload).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompleteMultipartUploadResult {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// `/bucket/key`, the key percent-encoded.
    pub location: String,
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The object's ETag (`"…-N"`).
    #[serde(rename = "ETag")]
    pub etag: String,
    /// The object's checksum.
    #[serde(flatten)]
    pub checksums: Checksums,
}

/// The `Delete` request document of DeleteObjects.
#[derive(Debug, Deserialize)]
pub struct Delete {
    /// The objects, in the request's order.
    #[serde(rename = "Object", default)]
    pub objects: Vec<ObjectIdentifier>,
    /// `true` (or `1`): only failures are listed.
    #[serde(rename = "Quiet", default)]
    pub quiet: Option<String>,
}

/// One `Object` of a `Delete` document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectIdentifier {
    /// The key, as sent (spaces are part of a key).
    #[serde(rename = "Key", default)]
    pub key: Option<Text>,
    /// A version (not served).
    #[serde(rename = "VersionId", default)]
    pub version_id: Option<String>,
    /// A conditional delete's ETag (not served).
    #[serde(rename = "ETag", default)]
    pub etag: Option<String>,
    /// A conditional delete's time (not served).
    #[serde(rename = "LastModifiedTime", default)]
    pub last_modified_time: Option<String>,
    /// A conditional delete's size (not served).
    #[serde(rename = "Size", default)]
    pub size: Option<String>,
}

impl ObjectIdentifier {
    /// It names a version or a condition, which this endpoint does not serve.
    pub fn unserved(&self) -> bool {
        self.version_id.is_some()
            || self.etag.is_some()
            || self.last_modified_time.is_some()
            || self.size.is_some()
    }
}

/// The `CreateBucketConfiguration` request document of CreateBucket.
#[derive(Debug, Deserialize)]
pub struct CreateBucketConfiguration {
    /// The region.
    #[serde(rename = "LocationConstraint", default)]
    pub location_constraint: Option<String>,
    /// A directory bucket's location (not served).
    #[serde(rename = "Location", default)]
    pub location: Option<Ignored>,
    /// A directory bucket's type (not served).
    #[serde(rename = "Bucket", default)]
    pub bucket: Option<Ignored>,
    /// Tags at creation (not served).
    #[serde(rename = "Tags", default)]
    pub tags: Option<Ignored>,
}

/// The `CompleteMultipartUpload` request document (the root's attributes,
/// namespace bindings, are not read; [`super::documents`] checks that its
/// children are all `Part`s).
#[derive(Debug, Deserialize)]
pub struct CompleteMultipartUpload {
    /// The parts, in the request's order.
    #[serde(rename = "Part", default)]
    pub parts: Vec<CompletedPart>,
}

/// One `Part` of a `CompleteMultipartUpload` document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompletedPart {
    /// `PartNumber` (text, read by [`CompletedPart::number`]).
    #[serde(rename = "PartNumber")]
    pub part_number: String,
    /// `ETag`, as sent (quoted or not).
    #[serde(rename = "ETag")]
    pub etag: String,
    /// `ChecksumCRC32`: SDKs send the parts' checksums; the parts' bytes
    /// were checked when they were uploaded.
    #[serde(rename = "ChecksumCRC32", default)]
    pub checksum_crc32: Option<String>,
    /// `ChecksumCRC32C`.
    #[serde(rename = "ChecksumCRC32C", default)]
    pub checksum_crc32c: Option<String>,
    /// `ChecksumCRC64NVME`.
    #[serde(rename = "ChecksumCRC64NVME", default)]
    pub checksum_crc64nvme: Option<String>,
    /// `ChecksumSHA1`.
    #[serde(rename = "ChecksumSHA1", default)]
    pub checksum_sha1: Option<String>,
    /// `ChecksumSHA256`.
    #[serde(rename = "ChecksumSHA256", default)]
    pub checksum_sha256: Option<String>,
}

impl CompletedPart {
    /// The part number (`None` unless a non-negative integer).
    pub fn number(&self) -> Option<u32> {
        self.part_number.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::{Ns, Owner, Timestamp, from_str, to_string};
    use super::*;

    const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const XMLNS: &str = r#" xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;

    fn t() -> Timestamp {
        Timestamp(time::macros::datetime!(2024-11-20 12:00:00 UTC))
    }

    fn doc<T: Serialize>(root: &str, d: &T) -> String {
        let s = to_string(root, d).unwrap();
        s.strip_prefix(DECL).unwrap().to_owned()
    }

    #[test]
    fn list_buckets_result_is_written_as_s3_writes_it() {
        let d = ListAllMyBucketsResult {
            ns: Ns,
            owner: Owner { id: "ab12".into() },
            buckets: Buckets {
                bucket: vec![BucketEntry {
                    name: "b1".into(),
                    creation_date: t(),
                    bucket_region: "us-east-1".into(),
                }],
            },
            prefix: None,
            continuation_token: None,
        };
        assert_eq!(
            doc("ListAllMyBucketsResult", &d),
            format!(
                "<ListAllMyBucketsResult{XMLNS}><Owner><ID>ab12</ID></Owner><Buckets><Bucket><Name>b1</Name><CreationDate>2024-11-20T12:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>"
            )
        );
        let none = ListAllMyBucketsResult {
            ns: Ns,
            owner: Owner { id: "ab12".into() },
            buckets: Buckets { bucket: vec![] },
            prefix: None,
            continuation_token: None,
        };
        assert_eq!(
            doc("ListAllMyBucketsResult", &none),
            format!(
                "<ListAllMyBucketsResult{XMLNS}><Owner><ID>ab12</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>"
            )
        );
        let paged = ListAllMyBucketsResult {
            prefix: Some("b".into()),
            continuation_token: Some("YjE".into()),
            ..d
        };
        assert_eq!(
            doc("ListAllMyBucketsResult", &paged),
            format!(
                "<ListAllMyBucketsResult{XMLNS}><Owner><ID>ab12</ID></Owner><Buckets><Bucket><Name>b1</Name><CreationDate>2024-11-20T12:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets><Prefix>b</Prefix><ContinuationToken>YjE</ContinuationToken></ListAllMyBucketsResult>"
            )
        );
    }

    #[test]
    fn location_constraint_is_empty_for_us_east_1() {
        let us = LocationConstraint {
            ns: Ns,
            region: None,
        };
        assert_eq!(
            doc("LocationConstraint", &us),
            format!("<LocationConstraint{XMLNS}></LocationConstraint>")
        );
        let eu = LocationConstraint {
            ns: Ns,
            region: Some("eu-west-1".into()),
        };
        assert_eq!(
            doc("LocationConstraint", &eu),
            format!("<LocationConstraint{XMLNS}>eu-west-1</LocationConstraint>")
        );
    }

    fn listing() -> ListBucketResult {
        ListBucketResult {
            ns: Ns,
            name: "b".into(),
            prefix: String::new(),
            marker: None,
            next_marker: None,
            key_count: None,
            continuation_token: None,
            next_continuation_token: None,
            start_after: None,
            max_keys: 1000,
            delimiter: None,
            encoding_type: None,
            is_truncated: false,
            contents: vec![],
            common_prefixes: vec![],
        }
    }

    #[test]
    fn list_objects_v2_result_is_written_as_s3_writes_it() {
        let d = ListBucketResult {
            key_count: Some(2),
            next_continuation_token: Some("dG9r".into()),
            delimiter: Some("/".into()),
            is_truncated: true,
            contents: vec![Contents {
                key: "a&b".into(),
                last_modified: t(),
                etag: "\"9b2cf535f27731c974343645a3985328\"".into(),
                size: 3,
                storage_class: "STANDARD",
                owner: None,
            }],
            common_prefixes: vec![CommonPrefix {
                prefix: "dir/".into(),
            }],
            ..listing()
        };
        assert_eq!(
            doc("ListBucketResult", &d),
            format!(
                "<ListBucketResult{XMLNS}><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><NextContinuationToken>dG9r</NextContinuationToken><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><Contents><Key>a&amp;b</Key><LastModified>2024-11-20T12:00:00.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents><CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes></ListBucketResult>"
            )
        );
    }

    #[test]
    fn list_objects_v1_result_has_a_marker_and_owners() {
        let d = ListBucketResult {
            marker: Some(String::new()),
            encoding_type: Some("url".into()),
            contents: vec![Contents {
                key: "k".into(),
                last_modified: t(),
                etag: "\"e\"".into(),
                size: 0,
                storage_class: "STANDARD",
                owner: Some(Owner { id: "ab12".into() }),
            }],
            ..listing()
        };
        assert_eq!(
            doc("ListBucketResult", &d),
            format!(
                "<ListBucketResult{XMLNS}><Name>b</Name><Prefix></Prefix><Marker></Marker><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>k</Key><LastModified>2024-11-20T12:00:00.000Z</LastModified><ETag>&quot;e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass><Owner><ID>ab12</ID></Owner></Contents></ListBucketResult>"
            )
        );
        assert_eq!(
            doc("ListBucketResult", &listing()),
            format!(
                "<ListBucketResult{XMLNS}><Name>b</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"
            )
        );
    }

    #[test]
    fn multipart_results_are_written_as_s3_writes_them() {
        let d = InitiateMultipartUploadResult {
            ns: Ns,
            bucket: "b".into(),
            key: "k".into(),
            upload_id: "u1".into(),
        };
        assert_eq!(
            doc("InitiateMultipartUploadResult", &d),
            format!(
                "<InitiateMultipartUploadResult{XMLNS}><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>"
            )
        );
        let d = CompleteMultipartUploadResult {
            ns: Ns,
            location: "/b/a%20b".into(),
            bucket: "b".into(),
            key: "a b".into(),
            etag: "\"3858f62230ac3c915f300c664312c11f-2\"".into(),
            checksums: Checksums {
                crc32: Some("AAAAAA==-2".into()),
                kind: Some("COMPOSITE"),
                ..Checksums::default()
            },
        };
        assert_eq!(
            doc("CompleteMultipartUploadResult", &d),
            format!(
                "<CompleteMultipartUploadResult{XMLNS}><Location>/b/a%20b</Location><Bucket>b</Bucket><Key>a b</Key><ETag>&quot;3858f62230ac3c915f300c664312c11f-2&quot;</ETag><ChecksumCRC32>AAAAAA==-2</ChecksumCRC32><ChecksumType>COMPOSITE</ChecksumType></CompleteMultipartUploadResult>"
            )
        );
    }

    #[test]
    fn copy_and_delete_results_are_written_as_s3_writes_them() {
        let d = CopyObjectResult {
            ns: Ns,
            last_modified: t(),
            etag: "\"e\"".into(),
            checksums: Checksums::default(),
        };
        assert_eq!(
            doc("CopyObjectResult", &d),
            format!(
                "<CopyObjectResult{XMLNS}><LastModified>2024-11-20T12:00:00.000Z</LastModified><ETag>&quot;e&quot;</ETag></CopyObjectResult>"
            )
        );
        let d = DeleteResult {
            ns: Ns,
            entries: vec![
                DeleteEntry::Deleted { key: "a".into() },
                DeleteEntry::Error {
                    key: "b".into(),
                    code: "AccessDenied".into(),
                    message: "Access Denied".into(),
                },
            ],
        };
        assert_eq!(
            doc("DeleteResult", &d),
            format!(
                "<DeleteResult{XMLNS}><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>"
            )
        );
        let quiet = DeleteResult {
            ns: Ns,
            entries: vec![],
        };
        assert_eq!(
            doc("DeleteResult", &quiet),
            format!("<DeleteResult{XMLNS}></DeleteResult>")
        );
    }

    #[test]
    fn complete_multipart_upload_parts_are_read_as_structs() {
        let d: CompleteMultipartUpload = from_str(
            r#"<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"e1"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber><ETag>e2</ETag></Part></CompleteMultipartUpload>"#,
        )
        .unwrap();
        let got: Vec<_> = d
            .parts
            .iter()
            .map(|p| (p.number(), p.etag.as_str()))
            .collect();
        assert_eq!(got, vec![(Some(1), "\"e1\""), (Some(2), "e2")]);
        for bad in [
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag><Size>3</Size></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
        ] {
            assert_eq!(
                from_str::<CompleteMultipartUpload>(bad).unwrap_err().code,
                "MalformedXML",
                "{bad}"
            );
        }
    }
}
