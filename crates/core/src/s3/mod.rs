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
mod object;
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

pub use object::{
    Deleted, ListRequest, Listing, PutObject, copy_object, delete_object, delete_objects,
    get_object, head_object, list_objects, put_object,
};

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
    /// The location constraint names no region a bucket can be created in
    /// (a made-up name, an empty one), or names `us-east-1`, which is said by
    /// omitting the configuration, never by naming it (spec 04 §4.1.2
    /// CreateBucket).
    #[error("The specified location-constraint is not valid")]
    InvalidLocationConstraint {
        /// The constraint given.
        location: String,
    },
    /// The location constraint (`None`: none given, which means us-east-1)
    /// is not the region of the regional endpoint the request was signed
    /// for.
    #[error(
        "The {} location constraint is incompatible for the region specific endpoint this request was sent to.",
        .constraint.as_deref().unwrap_or("unspecified")
    )]
    IllegalLocationConstraint {
        /// The bucket.
        bucket: String,
        /// The constraint given, as given; `None` when the request names none.
        constraint: Option<String>,
        /// The region of an existing bucket asked for at another region's
        /// endpoint (answered as `Region`, where clients look for it).
        region: Option<String>,
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

fn snapshot(svc: &Service, caller: &Caller, name: &str) -> Result<Snapshot, CoreError> {
    let snap = snapshot_anywhere(svc, name)?;
    // A bucket of an opt-in region is served at that region's endpoint
    // only: asked for at another (the global endpoint among them), S3
    // answers `IllegalLocationConstraintException` naming the bucket's
    // region, and clients (botocore's region redirector) retry there, where
    // the account's credentials are taken only while it has the region
    // enabled (checked on authentication). So a disabled region's buckets
    // are out of reach, as Account Management's DisableRegion says. The
    // message is S3's for a bucket created there; that it names the
    // bucket's region for other calls is UNCONFIRMED (clients report the
    // code and use the region it carries).
    if crate::ec2::is_opt_in(&snap.bucket.region) && caller.region != snap.bucket.region {
        return Err(CoreError::from(S3Error::IllegalLocationConstraint {
            bucket: name.to_owned(),
            constraint: Some(snap.bucket.region.clone()),
            region: Some(snap.bucket.region.clone()),
        }));
    }
    Ok(snap)
}

/// The bucket and its policy whatever the region the request was signed
/// for (`HeadBucket` and `GetBucketLocation`, which clients use to find a
/// bucket's region).
fn snapshot_anywhere(svc: &Service, name: &str) -> Result<Snapshot, CoreError> {
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
    let region = bucket_region(name, location, &caller.region)?;
    let arn = crate::ident::Arn::bucket(name).to_string();
    // `s3:LocationConstraint`, S3's key for restricting bucket creation to
    // regions: the constraint as sent, absent when none is (UNCONFIRMED
    // for that case: the S3 user guide's examples all send one).
    let extra: Vec<(&str, &str)> = location
        .map(|l| ("s3:LocationConstraint", l))
        .into_iter()
        .collect();
    svc.authorize(caller, "s3:CreateBucket", &arn, None, &extra)?;
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
            legacy_location: location.filter(|l| *l == "EU").map(str::to_owned),
            created: svc.now(),
            policy: None,
            config: Box::new(config::BucketConfig::new_bucket(ownership)),
        };
        Ok((true, vec![Change::Put(Record::Bucket(bucket))]))
    })
}

/// The location constraints `CreateBucket` takes: the commercial regions
/// (those `DescribeRegions` lists, [`crate::ec2::REGIONS`]) but us-east-1,
/// and `EU`, the legacy name of eu-west-1 (botocore's
/// `BucketLocationConstraint`; its China and GovCloud regions belong to
/// other partitions, whose endpoints this one is not). Returns the region a
/// constraint names, or `None` when it names none.
fn constraint_region(constraint: &str) -> Option<&'static str> {
    if constraint == "EU" {
        return Some("eu-west-1");
    }
    crate::ec2::REGIONS
        .iter()
        .map(|(r, _)| *r)
        .find(|r| *r == constraint && *r != "us-east-1")
}

/// The region a `CreateBucket` of `location` signed for `signed` (the
/// credential scope's region, the endpoint's) creates its bucket in, as S3
/// decides it:
///
/// * a constraint that names no region (`nowhere-1`, an empty one, or
///   `us-east-1`, said only by omitting the configuration) is
///   `InvalidLocationConstraint`, "The specified location-constraint is not
///   valid", whatever the endpoint;
/// * us-east-1 (the global `s3.amazonaws.com` endpoint and its regional
///   one) creates the bucket in the region its constraint names, us-east-1
///   without one: the S3 API reference (CreateBucket) says such a request
///   is signed for us-east-1 "even if the location constraint in the request
///   specifies another Region where the bucket is to be created";
/// * any other regional endpoint creates buckets only in its own region:
///   another constraint is `IllegalLocationConstraintException`, "The
///   eu-west-2 location constraint is incompatible for the region specific
///   endpoint this request was sent to.", and none at all (which would mean
///   us-east-1) "The unspecified location constraint is incompatible …".
///
/// Spec 04 says only "omit for us-east-1"; the rest is the S3 API
/// reference and S3's answers as its clients report them (the codes and
/// messages above). That a made-up constraint is refused as not valid
/// before the endpoint is compared is inferred (UNCONFIRMED), as is an empty
/// `<LocationConstraint/>` being not valid rather than us-east-1 (clients
/// report S3 refusing it).
fn bucket_region(name: &str, location: Option<&str>, signed: &str) -> Result<String, CoreError> {
    let region = match location {
        None => "us-east-1",
        Some(l) => constraint_region(l).ok_or_else(|| {
            CoreError::from(S3Error::InvalidLocationConstraint {
                location: l.to_owned(),
            })
        })?,
    };
    // An opt-in region's buckets are made at that region's endpoint only:
    // us-east-1 refuses them as incompatible (as clients report S3 doing for
    // me-south-1, af-south-1 …; UNCONFIRMED beyond those reports). That
    // endpoint takes the account's credentials only once the account has
    // enabled the region (Account Management; checked on authentication).
    let opt_in = crate::ec2::is_opt_in(region);
    if (signed != "us-east-1" && region != signed) || (signed == "us-east-1" && opt_in) {
        return Err(CoreError::from(S3Error::IllegalLocationConstraint {
            bucket: name.to_owned(),
            constraint: location.map(str::to_owned),
            region: None,
        }));
    }
    Ok(region.to_owned())
}

/// The region of a bucket that exists, whoever asks: S3 names it in
/// `HeadBucket`'s 403 too (`x-amz-bucket-region`), where clients look for a
/// bucket's region before they retry there. A bucket's region is not a
/// secret its owner keeps (its name's DNS answers it as well).
pub fn region_of(svc: &Service, name: &str) -> Option<String> {
    svc.read().s3.buckets.get(name).map(|b| b.region.clone())
}

/// `HeadBucket`: the bucket's region.
pub fn head_bucket(svc: &Service, caller: &Caller, name: &str) -> Result<Bucket, CoreError> {
    let snap = snapshot_anywhere(svc, name)?;
    authorize(svc, caller, "s3:ListBucket", &snap, None, &[])?;
    Ok(snap.bucket)
}

/// `GetBucketLocation`: the bucket (its region).
pub fn get_bucket_location(
    svc: &Service,
    caller: &Caller,
    name: &str,
) -> Result<Bucket, CoreError> {
    let snap = snapshot_anywhere(svc, name)?;
    authorize(svc, caller, "s3:GetBucketLocation", &snap, None, &[])?;
    Ok(snap.bucket)
}

/// `DeleteBucket`: only when it holds no object.
pub fn delete_bucket(svc: &Service, caller: &Caller, name: &str) -> Result<(), CoreError> {
    let snap = snapshot(svc, caller, name)?;
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
    let snap = snapshot(svc, caller, name)?;
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
    let snap = snapshot(svc, caller, name)?;
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
    let snap = snapshot(svc, caller, name)?;
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
    let snap = snapshot(svc, caller, name)?;
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
