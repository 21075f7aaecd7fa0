//! Amazon S3 (spec 04 §4.1): buckets per account with global names, objects
//! whose bytes are store blobs written in the same batch as their metadata,
//! and bucket policies that take part in every authorization decision.
//!
//! Every operation asks the policy engine through
//! [`Service::authorize_on_resource`] with the bucket policy as the
//! resource-based policy; the owner-root exception applies exactly to
//! `Get/Put/DeleteBucketPolicy` (spec 04 §4.1.4).

pub mod checksum;
pub mod config;
pub mod model;
pub mod multipart;
pub mod policy;
pub mod state;

use std::collections::BTreeMap;
use std::ops::Bound;

use base64::Engine;
use md5::{Digest, Md5};
use rootward_policy::Policy;

use crate::authz::{Caller, OnResource};
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;
use model::{Bucket, Object};

/// The default largest object, in bytes (16 MiB).
pub const DEFAULT_MAX_OBJECT_SIZE: usize = 16 * 1024 * 1024;

/// An S3 failure, named after its error code; the message is S3's, the
/// fields are the extra elements of the error document. The server gives
/// each its code and HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum S3Error {
    /// The bucket does not exist.
    #[error("The specified bucket does not exist")]
    NoSuchBucket {
        /// The bucket named.
        bucket: String,
    },
    /// The object does not exist.
    #[error("The specified key does not exist.")]
    NoSuchKey {
        /// The key named.
        key: String,
    },
    /// The multipart upload does not exist (any more).
    #[error(
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
    )]
    NoSuchUpload {
        /// The upload id named.
        upload_id: String,
    },
    /// The bucket has no policy.
    #[error("The bucket policy does not exist")]
    NoSuchBucketPolicy {
        /// The bucket.
        bucket: String,
    },
    /// The bucket has no tags.
    #[error("The TagSet does not exist")]
    NoSuchTagSet {
        /// The bucket.
        bucket: String,
    },
    /// The bucket has no website configuration.
    #[error("The specified bucket does not have a website configuration")]
    NoSuchWebsiteConfiguration {
        /// The bucket.
        bucket: String,
    },
    /// The bucket has no public access block configuration.
    #[error("The public access block configuration was not found")]
    NoSuchPublicAccessBlockConfiguration {
        /// The bucket.
        bucket: String,
    },
    /// The bucket has no ownership controls.
    #[error("The bucket ownership controls were not found")]
    OwnershipControlsNotFound {
        /// The bucket.
        bucket: String,
    },
    /// The name breaks the bucket naming rules.
    #[error("The specified bucket is not valid.")]
    InvalidBucketName {
        /// The name given.
        bucket: String,
    },
    /// The location constraint is not the endpoint's region.
    #[error(
        "The {region} location constraint is incompatible for the region specific endpoint this request was sent to."
    )]
    IllegalLocationConstraint {
        /// The bucket.
        bucket: String,
        /// The region asked for.
        region: String,
    },
    /// Another account owns a bucket of that name.
    #[error(
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."
    )]
    BucketAlreadyExists {
        /// The bucket.
        bucket: String,
    },
    /// The caller owns the bucket already (outside `us-east-1`).
    #[error("Your previous request to create the named bucket succeeded and you already own it.")]
    BucketAlreadyOwnedByYou {
        /// The bucket.
        bucket: String,
    },
    /// The bucket still holds objects.
    #[error("The bucket you tried to delete is not empty")]
    BucketNotEmpty {
        /// The bucket.
        bucket: String,
    },
    /// The key is empty or longer than 1,024 bytes.
    #[error("Your key is too long")]
    KeyTooLong,
    /// The body is larger than allowed.
    #[error("Your proposed upload exceeds the maximum allowed size")]
    EntityTooLarge {
        /// The size of the body (`ProposedSize`), when told.
        proposed_size: Option<usize>,
        /// The largest size allowed (`MaxSizeAllowed`), when told.
        max_size_allowed: Option<usize>,
    },
    /// A part other than the last is smaller than 5 MiB.
    #[error("Your proposed upload is smaller than the minimum allowed object size.")]
    EntityTooSmall {
        /// The part's number.
        part_number: u32,
    },
    /// A part of a completion list was not uploaded or its ETag differs.
    #[error(
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
    )]
    InvalidPart,
    /// The parts of a completion list are not in ascending order.
    #[error("The list of parts was not in ascending order. Parts must be ordered by part number.")]
    InvalidPartOrder,
    /// A request document that does not validate.
    #[error(
        "The XML you provided was not well-formed or did not validate against our published schema"
    )]
    MalformedXml,
    /// An argument that is not valid.
    #[error("{0}")]
    InvalidArgument(String),
    /// A request that is not valid as a whole.
    #[error("{0}")]
    InvalidRequest(String),
    /// A tag set that breaks S3's rules.
    #[error("{0}")]
    InvalidTag(String),
    /// A `Content-MD5` that is not a base64 MD5 digest.
    #[error("The Content-MD5 you specified was invalid.")]
    InvalidDigest {
        /// The header's value.
        content_md5: String,
    },
    /// The body's MD5 is not the `Content-MD5` given.
    #[error("The Content-MD5 you specified did not match what we received.")]
    BadDigest {
        /// The header's value.
        expected: String,
        /// The body's MD5, base64.
        calculated: String,
    },
    /// The body's checksum is not the one claimed (code `BadDigest`).
    #[error("The {algorithm} you specified did not match the calculated checksum.")]
    BadChecksum {
        /// The checksum's header name part (`CRC32`, …).
        algorithm: String,
    },
    /// The method may not be used on the resource.
    #[error("The specified method is not allowed against this resource.")]
    MethodNotAllowed {
        /// The HTTP method named.
        method: String,
        /// The resource type (`BUCKETPOLICY`).
        resource_type: String,
    },
    /// A bucket policy that does not validate.
    #[error("{0}")]
    MalformedPolicy(String),
    /// A header or sub-resource S3 has and this endpoint does not serve.
    #[error("A header or query you provided implies functionality that is not implemented.")]
    NotImplemented,
    /// Trailers of an aws-chunked body that do not parse.
    #[error(
        "The request contained trailing data that was not well-formed or did not conform to our published schema."
    )]
    MalformedTrailer,
    /// The logging target bucket is not usable.
    #[error("{message}")]
    InvalidTargetBucketForLogging {
        /// The message.
        message: String,
        /// The target bucket.
        target_bucket: String,
    },
}

/// An S3 failure whose variant carries only its message.
pub(crate) fn s3_err(shape: fn(String) -> S3Error, message: impl Into<String>) -> CoreError {
    CoreError::S3(shape(message.into()))
}

impl From<S3Error> for CoreError {
    fn from(e: S3Error) -> Self {
        CoreError::S3(e)
    }
}

/// `NotImplemented`: a header or sub-resource S3 has and this endpoint does
/// not serve.
pub fn not_implemented() -> CoreError {
    S3Error::NotImplemented.into()
}

fn no_such_bucket(name: &str) -> CoreError {
    S3Error::NoSuchBucket {
        bucket: name.to_owned(),
    }
    .into()
}

fn no_such_key(key: &str) -> CoreError {
    S3Error::NoSuchKey {
        key: key.to_owned(),
    }
    .into()
}

/// Checks the bucket naming rules (general purpose buckets).
pub fn valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !["xn--", "sthree-"].iter().any(|p| name.starts_with(p))
        && !["-s3alias", "--ol-s3", ".mrap", "--x-s3"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// A bucket and its compiled policy, copied out of the state.
struct Snapshot {
    bucket: Bucket,
    policy: Option<Policy>,
}

fn snapshot(svc: &Service, name: &str) -> Result<Snapshot, CoreError> {
    let state = svc.read();
    let bucket = state
        .s3
        .buckets
        .get(name)
        .cloned()
        .ok_or_else(|| no_such_bucket(name))?;
    let policy = state.s3.policies.get(name).cloned();
    Ok(Snapshot { bucket, policy })
}

fn authorize(
    svc: &Service,
    caller: &Caller,
    action: &str,
    snap: &Snapshot,
    key: Option<&str>,
    extra: &[(&str, &str)],
) -> Result<(), CoreError> {
    let arn = match key {
        Some(k) => crate::ident::Arn::object(&snap.bucket.name, k).to_string(),
        None => snap.bucket.arn(),
    };
    svc.authorize_on_resource(
        caller,
        action,
        OnResource {
            arn: &arn,
            owner: &snap.bucket.owner,
            policy: snap.policy.as_ref(),
            owner_root_exception: false,
        },
        extra,
    )
}

/// `ListBuckets`: the buckets of the caller's account, by name.
pub fn list_buckets(svc: &Service, caller: &Caller) -> Result<Vec<Bucket>, CoreError> {
    svc.authorize(caller, "s3:ListAllMyBuckets", "*", None, &[])?;
    let state = svc.read();
    Ok(state
        .s3
        .buckets
        .values()
        .filter(|b| b.owner == caller.account)
        .cloned()
        .collect())
}

/// `CreateBucket` in `location` (`None`: us-east-1). Returns whether a bucket
/// was created (re-creating one's own bucket in us-east-1 succeeds without
/// change).
pub fn create_bucket(
    svc: &Service,
    caller: &Caller,
    name: &str,
    location: Option<&str>,
) -> Result<bool, CoreError> {
    create_bucket_with(svc, caller, name, location, None)
}

/// [`create_bucket`] with its `x-amz-object-ownership`: the new bucket is
/// configured as S3 configures new buckets ([`config::BucketConfig::new_bucket`]).
pub fn create_bucket_with(
    svc: &Service,
    caller: &Caller,
    name: &str,
    location: Option<&str>,
    ownership: Option<config::ObjectOwnership>,
) -> Result<bool, CoreError> {
    if !valid_bucket_name(name) {
        return Err(CoreError::from(S3Error::InvalidBucketName {
            bucket: name.to_owned(),
        }));
    }
    let region = match location {
        None | Some("") => "us-east-1".to_owned(),
        Some("EU") => "eu-west-1".to_owned(),
        Some(l) => l.to_owned(),
    };
    if location.is_some_and(|l| !l.is_empty()) && region != caller.region {
        return Err(CoreError::from(S3Error::IllegalLocationConstraint {
            bucket: name.to_owned(),
            region,
        }));
    }
    let arn = crate::ident::Arn::bucket(name).to_string();
    svc.authorize(caller, "s3:CreateBucket", &arn, None, &[])?;
    svc.mutate(|state| {
        if let Some(b) = state.s3.buckets.get(name) {
            if b.owner != caller.account {
                return Err(CoreError::from(S3Error::BucketAlreadyExists {
                    bucket: name.to_owned(),
                }));
            }
            if b.region == "us-east-1" && region == "us-east-1" {
                return Ok((false, Vec::new()));
            }
            return Err(CoreError::from(S3Error::BucketAlreadyOwnedByYou {
                bucket: name.to_owned(),
            }));
        }
        let bucket = Bucket {
            name: name.to_owned(),
            owner: caller.account.clone(),
            region: region.clone(),
            created: svc.now(),
            policy: None,
            config: Box::new(config::BucketConfig::new_bucket(ownership)),
        };
        Ok((true, vec![Change::Put(Record::Bucket(bucket))]))
    })
}

/// `HeadBucket`: the bucket's region.
pub fn head_bucket(svc: &Service, caller: &Caller, name: &str) -> Result<Bucket, CoreError> {
    let snap = snapshot(svc, name)?;
    authorize(svc, caller, "s3:ListBucket", &snap, None, &[])?;
    Ok(snap.bucket)
}

/// `GetBucketLocation`: the bucket (its region).
pub fn get_bucket_location(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<Bucket, CoreError> {
    let snap = snapshot(svc, name)?;
    authorize(svc, caller, "s3:GetBucketLocation", &snap, None, &[])?;
    Ok(snap.bucket)
}

/// `DeleteBucket`: only when it holds no object.
pub fn delete_bucket(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    let snap = snapshot(svc, name)?;
    authorize(svc, caller, "s3:DeleteBucket", &snap, None, &[])?;
    svc.mutate(|state| {
        if !state.s3.buckets.contains_key(name) {
            return Err(no_such_bucket(name));
        }
        if !state.s3.is_empty(name) {
            return Err(CoreError::from(S3Error::BucketNotEmpty {
                bucket: name.to_owned(),
            }));
        }
        Ok(((), vec![Change::Delete(table::S3_BUCKETS, name.to_owned())]))
    })
}

/// What `PutObject` stores besides the bytes.
#[derive(Debug, Clone, Default)]
pub struct PutObject {
    /// `Content-MD5` as sent (base64), checked against the body.
    pub content_md5: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// Other representation headers, lower-case names.
    pub headers: BTreeMap<String, String>,
    /// User metadata, lower-case names without `x-amz-meta-`.
    pub metadata: BTreeMap<String, String>,
    /// The checksum the request claims for the body (`PutObject`,
    /// `UploadPart`), verified before anything is stored.
    pub checksum: Option<checksum::Claim>,
    /// The algorithm asked for by `x-amz-checksum-algorithm`
    /// (`CreateMultipartUpload`, `CopyObject`).
    pub checksum_algorithm: Option<checksum::Algorithm>,
    /// The checksum type asked for by `x-amz-checksum-type`
    /// (`CreateMultipartUpload`).
    pub checksum_type: Option<checksum::ChecksumType>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `PutObject`: metadata and bytes committed atomically; the new object.
pub fn put_object(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
    body: Vec<u8>,
    input: PutObject,
) -> Result<Object, CoreError> {
    let snap = snapshot(svc, bucket)?;
    authorize(svc, caller, "s3:PutObject", &snap, Some(key), &[])?;
    if key.is_empty() || key.len() > 1024 {
        return Err(S3Error::KeyTooLong.into());
    }
    let max = svc.s3_max_object_size();
    if body.len() > max {
        return Err(CoreError::from(S3Error::EntityTooLarge {
            proposed_size: Some(body.len()),
            max_size_allowed: Some(max),
        }));
    }
    let digest = Md5::digest(&body);
    if let Some(md5) = &input.content_md5 {
        let given = base64::engine::general_purpose::STANDARD
            .decode(md5.trim())
            .ok()
            .filter(|d| d.len() == 16)
            .ok_or_else(|| {
                CoreError::from(S3Error::InvalidDigest {
                    content_md5: md5.clone(),
                })
            })?;
        if given.as_slice() != digest.as_slice() {
            return Err(CoreError::from(S3Error::BadDigest {
                expected: md5.clone(),
                calculated: base64::engine::general_purpose::STANDARD.encode(digest),
            }));
        }
    }
    let checksum = match (&input.checksum, input.checksum_algorithm) {
        (Some(claim), _) => claim.verify(&body)?,
        // CopyObject names the algorithm of the copy's checksum.
        (None, Some(algorithm)) => checksum::Checksum::of(algorithm, &body),
        (None, None) => checksum::checksum_of(None, &body)?,
    };
    let object = Object {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        size: body.len() as u64,
        etag: format!("\"{}\"", hex(&digest)),
        content_type: input
            .content_type
            .unwrap_or_else(|| "binary/octet-stream".to_owned()),
        headers: input.headers,
        metadata: input.metadata,
        last_modified: svc.now(),
        writer: caller.account.clone(),
        blob: crate::ids::unique_id("S3OBJ"),
        checksum: Some(Box::new(checksum)),
    };
    let result = object.clone();
    svc.mutate(move |state| {
        if !state.s3.buckets.contains_key(bucket) {
            return Err(no_such_bucket(bucket));
        }
        let mut changes = Vec::with_capacity(3);
        if let Some(old) = state.s3.objects.get(bucket).and_then(|o| o.get(key)) {
            changes.push(Change::DeleteBlob {
                key: old.blob.clone(),
            });
        }
        changes.push(Change::PutBlob {
            key: object.blob.clone(),
            value: body,
        });
        changes.push(Change::Put(Record::S3Object(object)));
        Ok(((), changes))
    })?;
    Ok(result)
}

/// The metadata of an object the caller may read; a missing key is
/// `NoSuchKey` for callers who may list the bucket, `AccessDenied` otherwise.
pub fn head_object(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
) -> Result<Object, CoreError> {
    let snap = snapshot(svc, bucket)?;
    authorize(svc, caller, "s3:GetObject", &snap, Some(key), &[])?;
    let found = svc
        .read()
        .s3
        .objects
        .get(bucket)
        .and_then(|o| o.get(key))
        .cloned();
    match found {
        Some(o) => Ok(o),
        None => {
            authorize(svc, caller, "s3:ListBucket", &snap, None, &[])?;
            Err(no_such_key(key))
        }
    }
}

/// `GetObject`: the metadata and the bytes.
pub fn get_object(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
) -> Result<(Object, Vec<u8>), CoreError> {
    let object = head_object(svc, caller, bucket, key)?;
    // A concurrent overwrite or delete may have removed these bytes.
    let bytes = svc
        .get_blob(&object.blob)?
        .ok_or_else(|| no_such_key(key))?;
    Ok((object, bytes))
}

/// `CopyObject`: the bytes of `src` written to `dst` (`s3:GetObject` on the
/// source, `s3:PutObject` on the target); `replace` gives the new metadata,
/// `None` copies the source's; `checksum_algorithm`
/// (`x-amz-checksum-algorithm`) the copy's checksum.
pub fn copy_object(
    svc: &Service,
    caller: &Caller,
    src: (&str, &str),
    dst: (&str, &str),
    replace: Option<PutObject>,
    checksum_algorithm: Option<checksum::Algorithm>,
) -> Result<Object, CoreError> {
    if src == dst && replace.is_none() {
        return Err(s3_err(
            S3Error::InvalidRequest,
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        ));
    }
    let (source, bytes) = get_object(svc, caller, src.0, src.1)?;
    // The copy's checksum: the algorithm asked for, else the source's when
    // it is a full-object one (a composite one cannot be carried over), else
    // CRC64NVME.
    let source_algorithm = source
        .checksum
        .as_ref()
        .filter(|c| c.kind == checksum::ChecksumType::FullObject)
        .map(|c| c.algorithm);
    let mut input = replace.unwrap_or(PutObject {
        content_md5: None,
        content_type: Some(source.content_type),
        headers: source.headers,
        metadata: source.metadata,
        ..PutObject::default()
    });
    input.checksum = None;
    input.checksum_algorithm = checksum_algorithm.or(source_algorithm);
    put_object(svc, caller, dst.0, dst.1, bytes, input)
}

/// `DeleteObject`: idempotent.
pub fn delete_object(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
) -> Result<(), CoreError> {
    let snap = snapshot(svc, bucket)?;
    authorize(svc, caller, "s3:DeleteObject", &snap, Some(key), &[])?;
    remove_object(svc, bucket, key)
}

fn remove_object(svc: &Service, bucket: &str, key: &str) -> Result<(), CoreError> {
    svc.mutate(|state| {
        let Some(old) = state.s3.objects.get(bucket).and_then(|o| o.get(key)) else {
            return Ok(((), Vec::new()));
        };
        Ok((
            (),
            vec![
                Change::DeleteBlob {
                    key: old.blob.clone(),
                },
                Change::Delete(table::S3_OBJECTS, old.store_key()),
            ],
        ))
    })
}

/// One key's outcome in `DeleteObjects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deleted {
    /// Deleted (or absent).
    Ok(String),
    /// Refused: key, code, message.
    Failed(String, &'static str, String),
}

/// `DeleteObjects`: each key authorized on its own; the allowed ones deleted
/// in one batch.
pub fn delete_objects(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    keys: &[String],
) -> Result<Vec<Deleted>, CoreError> {
    let snap = snapshot(svc, bucket)?;
    let mut out = Vec::with_capacity(keys.len());
    let mut allowed = Vec::with_capacity(keys.len());
    for key in keys {
        match authorize(svc, caller, "s3:DeleteObject", &snap, Some(key), &[]) {
            Ok(()) => {
                allowed.push(key.as_str());
                out.push(Deleted::Ok(key.clone()));
            }
            Err(CoreError::AccessDenied(_)) => out.push(Deleted::Failed(
                key.clone(),
                "AccessDenied",
                "Access Denied".to_owned(),
            )),
            Err(e) => return Err(e),
        }
    }
    svc.mutate(|state| {
        let Some(objects) = state.s3.objects.get(bucket) else {
            return Ok(((), Vec::new()));
        };
        let mut changes = Vec::new();
        for key in &allowed {
            if let Some(old) = objects.get(*key) {
                changes.push(Change::DeleteBlob {
                    key: old.blob.clone(),
                });
                changes.push(Change::Delete(table::S3_OBJECTS, old.store_key()));
            }
        }
        Ok(((), changes))
    })?;
    Ok(out)
}

/// The inputs of a listing, common to `ListObjects` and `ListObjectsV2`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListRequest<'a> {
    /// Only keys starting with this.
    pub prefix: &'a str,
    /// Roll keys up to common prefixes at the first occurrence after `prefix`.
    pub delimiter: Option<&'a str>,
    /// At most this many keys and common prefixes (1,000 when the client says more).
    pub max_keys: usize,
    /// Only keys and prefixes after this one (`marker`, `start-after`, or a
    /// decoded continuation token).
    pub after: Option<&'a str>,
}

/// One page of a listing.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The objects, in key order.
    pub objects: Vec<Object>,
    /// The common prefixes, in order.
    pub common_prefixes: Vec<String>,
    /// More follow.
    pub truncated: bool,
    /// The last key or common prefix of this page (the next page's `after`).
    pub last: Option<String>,
}

/// `ListObjects` / `ListObjectsV2` (`s3:ListBucket`).
pub fn list_objects(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    req: ListRequest<'_>,
) -> Result<Listing, CoreError> {
    let snap = snapshot(svc, bucket)?;
    let max_keys = req.max_keys.to_string();
    let mut extra = vec![
        ("s3:prefix", req.prefix),
        ("s3:max-keys", max_keys.as_str()),
    ];
    if let Some(d) = req.delimiter {
        extra.push(("s3:delimiter", d));
    }
    authorize(svc, caller, "s3:ListBucket", &snap, None, &extra)?;
    let state = svc.read();
    let Some(objects) = state.s3.objects.get(bucket) else {
        return Ok(Listing::default());
    };
    let start = match req.after {
        Some(a) if a >= req.prefix => Bound::Excluded(a.to_owned()),
        _ => Bound::Included(req.prefix.to_owned()),
    };
    let mut page = Listing::default();
    let mut count = 0usize;
    for (key, object) in objects.range((start, Bound::Unbounded)) {
        let Some(rest) = key.strip_prefix(req.prefix) else {
            break;
        };
        let entry = match req.delimiter.filter(|d| !d.is_empty()) {
            Some(d) => rest
                .find(d)
                .map(|i| format!("{}{}", req.prefix, rest.get(..i + d.len()).unwrap_or(rest))),
            None => None,
        };
        match entry {
            Some(cp) => {
                if page.common_prefixes.last() == Some(&cp) || req.after == Some(cp.as_str()) {
                    continue;
                }
                if count == req.max_keys {
                    page.truncated = true;
                    break;
                }
                page.common_prefixes.push(cp.clone());
                page.last = Some(cp);
            }
            None => {
                if count == req.max_keys {
                    page.truncated = true;
                    break;
                }
                page.objects.push(object.clone());
                page.last = Some(key.clone());
            }
        }
        count += 1;
    }
    Ok(page)
}

/// `Get/Put/DeleteBucketPolicy` authorization: the owner-root exception, and
/// only identities of the owner's account (others: 405 when allowed).
fn authorize_policy_op(
    svc: &Service,
    caller: &Caller,
    action: &str,
    method: &str,
    snap: &Snapshot,
) -> Result<(), CoreError> {
    let arn = snap.bucket.arn();
    svc.authorize_on_resource(
        caller,
        action,
        OnResource {
            arn: &arn,
            owner: &snap.bucket.owner,
            policy: snap.policy.as_ref(),
            owner_root_exception: true,
        },
        &[],
    )?;
    if caller.account != snap.bucket.owner {
        return Err(CoreError::from(S3Error::MethodNotAllowed {
            method: method.to_owned(),
            resource_type: "BUCKETPOLICY".to_owned(),
        }));
    }
    Ok(())
}

/// `GetBucketPolicy`: the text exactly as put.
pub fn get_bucket_policy(svc: &Service, caller: &Caller, name: &str) -> Result<String, CoreError> {
    let snap = snapshot(svc, name)?;
    authorize_policy_op(svc, caller, "s3:GetBucketPolicy", "GET", &snap)?;
    snap.bucket.policy.ok_or_else(|| {
        CoreError::from(S3Error::NoSuchBucketPolicy {
            bucket: name.to_owned(),
        })
    })
}

/// `PutBucketPolicy`: validated, then stored and compiled.
pub fn put_bucket_policy(
    svc: &Service,
    caller: &Caller,
    name: &str,
    text: &str,
) -> Result<(), CoreError> {
    let snap = snapshot(svc, name)?;
    authorize_policy_op(svc, caller, "s3:PutBucketPolicy", "PUT", &snap)?;
    policy::validate(name, text).map_err(|m| CoreError::from(S3Error::MalformedPolicy(m)))?;
    if snap.bucket.config.blocks_public_policy() && policy::is_public(text) {
        return Err(CoreError::AccessDenied(format!(
            "User: {} is not authorized to perform: s3:PutBucketPolicy on resource: \"{}\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
            caller.arn(&svc.read()),
            snap.bucket.arn()
        )));
    }
    {
        // Users and roles named by ARN must exist (in the accounts this
        // endpoint knows).
        let state = svc.read();
        for (account, kind, entity) in policy::named_principals(text) {
            let exists = match kind {
                "user" => state.user(&account, &entity).is_some(),
                _ => state.role(&account, &entity).is_some(),
            };
            if state.accounts.contains_key(&account) && !exists {
                return Err(CoreError::from(S3Error::MalformedPolicy(
                    "Invalid principal in policy".to_owned(),
                )));
            }
        }
    }
    set_policy(svc, name, Some(text.to_owned()))
}

/// `DeleteBucketPolicy`: idempotent.
pub fn delete_bucket_policy(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    let snap = snapshot(svc, name)?;
    authorize_policy_op(svc, caller, "s3:DeleteBucketPolicy", "DELETE", &snap)?;
    set_policy(svc, name, None)
}

fn set_policy(svc: &Service, name: &str, policy: Option<String>) -> Result<(), CoreError> {
    svc.mutate(|state| {
        let mut b = state
            .s3
            .buckets
            .get(name)
            .cloned()
            .ok_or_else(|| no_such_bucket(name))?;
        if b.policy == policy {
            return Ok(((), Vec::new()));
        }
        b.policy = policy;
        Ok(((), vec![Change::Put(Record::Bucket(b))]))
    })
}

/// `GetBucketPolicyStatus`: whether the policy makes the bucket public.
pub fn get_bucket_policy_status(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<bool, CoreError> {
    let snap = snapshot(svc, name)?;
    authorize(svc, caller, "s3:GetBucketPolicyStatus", &snap, None, &[])?;
    match &snap.bucket.policy {
        Some(text) => Ok(policy::is_public(text)),
        None => Err(CoreError::from(S3Error::NoSuchBucketPolicy {
            bucket: name.to_owned(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names() {
        for ok in ["abc", "locked-bucket", "a.b-c1", &"a".repeat(63)] {
            assert!(valid_bucket_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            &"a".repeat(64),
            "Upper",
            "-abc",
            "abc-",
            "a..b",
            "a.-b",
            "192.168.1.1",
            "xn--abc",
            "abc-s3alias",
            "a_b",
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }
}
