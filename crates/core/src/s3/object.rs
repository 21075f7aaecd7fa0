//! The object operations (`PutObject`, `HeadObject`, `GetObject`,
//! `CopyObject`, `DeleteObject(s)`, `ListObjects(V2)`), split from the
//! bucket operations in `s3/mod.rs`; their helpers (snapshot,
//! authorization, errors) stay there.

use super::*;

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

/// `PutObject`: metadata and bytes committed atomically; the new object.
pub fn put_object(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
    body: Vec<u8>,
    input: PutObject,
) -> Result<Object, CoreError> {
    let snap = snapshot(svc, caller, bucket)?;
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
        etag: format!("\"{}\"", hex::encode(digest)),
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
    let snap = snapshot(svc, caller, bucket)?;
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
    let snap = snapshot(svc, caller, bucket)?;
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
    let snap = snapshot(svc, caller, bucket)?;
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
    /// The bucket owner, when the bucket's Object Ownership is
    /// `BucketOwnerEnforced`: ACLs are disabled and it owns every object,
    /// whoever wrote it.
    pub enforced_owner: Option<String>,
}

impl Listing {
    /// The account that owns `object` (listings name it as `Owner`): the
    /// bucket owner under `BucketOwnerEnforced`, else the account that wrote
    /// it (`ObjectWriter`, and `BucketOwnerPreferred` since writes'
    /// `bucket-owner-full-control` ACL is not kept).
    pub fn owner<'a>(&'a self, object: &'a Object) -> &'a str {
        self.enforced_owner.as_deref().unwrap_or(&object.writer)
    }
}

/// `ListObjects` / `ListObjectsV2` (`s3:ListBucket`).
pub fn list_objects(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    req: ListRequest<'_>,
) -> Result<Listing, CoreError> {
    let snap = snapshot(svc, caller, bucket)?;
    let max_keys = req.max_keys.to_string();
    let mut extra = vec![
        ("s3:prefix", req.prefix),
        ("s3:max-keys", max_keys.as_str()),
    ];
    if let Some(d) = req.delimiter {
        extra.push(("s3:delimiter", d));
    }
    authorize(svc, caller, "s3:ListBucket", &snap, None, &extra)?;
    // Asked for no keys, S3 answers an empty page that is not truncated,
    // however many keys there are.
    if req.max_keys == 0 {
        return Ok(Listing::default());
    }
    let state = svc.read();
    let Some(objects) = state.s3.objects.get(bucket) else {
        return Ok(Listing::default());
    };
    let start = match req.after {
        Some(a) if a >= req.prefix => Bound::Excluded(a.to_owned()),
        _ => Bound::Included(req.prefix.to_owned()),
    };
    let mut page = Listing {
        enforced_owner: (snap.bucket.config.ownership
            == Some(config::ObjectOwnership::BucketOwnerEnforced))
        .then(|| snap.bucket.owner.clone()),
        ..Listing::default()
    };
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
