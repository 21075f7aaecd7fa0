//! Multipart uploads: create, upload parts (each a blob), complete (the parts
//! concatenated into one object, ETag `md5(md5s)-N`), abort.

use md5::{Digest, Md5};

use super::checksum::{Algorithm, Checksum, ChecksumType, Claim};
use super::model::{Object, Part, Upload};
use super::{PutObject, S3Error, authorize, no_such_bucket, s3_err, snapshot};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, Record, table};
use crate::service::Service;

/// The smallest part other than the last (5 MiB).
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;

fn no_such_upload(id: &str) -> CoreError {
    CoreError::from(S3Error::NoSuchUpload {
        upload_id: id.to_owned(),
    })
}

fn upload_of(svc: &Service, bucket: &str, key: &str, id: &str) -> Result<Upload, CoreError> {
    svc.read()
        .s3
        .uploads
        .get(id)
        .filter(|u| u.bucket == bucket && u.key == key)
        .cloned()
        .ok_or_else(|| no_such_upload(id))
}

/// `CreateMultipartUpload` (`s3:PutObject`): the upload id.
pub fn create(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
    input: PutObject,
) -> Result<String, CoreError> {
    let snap = snapshot(svc, caller, bucket)?;
    authorize(svc, caller, "s3:PutObject", &snap, Some(key), &[])?;
    let checksum_type = upload_checksum_type(input.checksum_algorithm, input.checksum_type)?;
    let upload = Upload {
        id: crate::ids::unique_id("MPU"),
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        initiator: caller.account.clone(),
        initiated: svc.now(),
        content_type: input
            .content_type
            .unwrap_or_else(|| "binary/octet-stream".to_owned()),
        headers: input.headers,
        metadata: input.metadata,
        parts: Default::default(),
        checksum_algorithm: input.checksum_algorithm,
        checksum_type,
    };
    let id = upload.id.clone();
    svc.mutate(|state| {
        if !state.s3.buckets.contains_key(bucket) {
            return Err(no_such_bucket(bucket));
        }
        Ok(((), vec![Change::Put(Record::S3Upload(upload))]))
    })?;
    Ok(id)
}

/// The checksum type an upload created with `algorithm` gets when it asks
/// for `asked`: by default full-object for CRC64NVME, composite otherwise.
pub fn checksum_type_for(algorithm: Algorithm, asked: Option<ChecksumType>) -> ChecksumType {
    asked.unwrap_or(if algorithm == Algorithm::Crc64Nvme {
        ChecksumType::FullObject
    } else {
        ChecksumType::Composite
    })
}

/// The checksum type of a new upload: CRC64NVME only combines into a
/// full-object checksum, SHA-1 and SHA-256 only into a composite one; the
/// others are composite unless `FULL_OBJECT` is asked for.
fn upload_checksum_type(
    algorithm: Option<Algorithm>,
    asked: Option<ChecksumType>,
) -> Result<Option<ChecksumType>, CoreError> {
    // UNCONFIRMED wording of both refusals.
    match (algorithm, asked) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(s3_err(
            S3Error::InvalidRequest,
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
        )),
        (Some(a), asked) => {
            let kind = checksum_type_for(a, asked);
            let allowed = match kind {
                ChecksumType::FullObject => a.is_crc(),
                ChecksumType::Composite => a != Algorithm::Crc64Nvme,
            };
            if !allowed {
                return Err(s3_err(
                    S3Error::InvalidRequest,
                    format!(
                        "The {} checksum type cannot be used with the {} checksum algorithm.",
                        kind.name(),
                        a.name().to_ascii_lowercase()
                    ),
                ));
            }
            Ok(Some(kind))
        }
    }
}

/// `UploadPart` (`s3:PutObject`): the part's ETag and checksum. The claim
/// of the request is verified; an upload created with an algorithm needs
/// its parts' checksums in that algorithm (computed here when the request
/// sends none).
#[expect(clippy::too_many_arguments, reason = "the inputs of one S3 operation")]
pub fn upload_part(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
    id: &str,
    number: u32,
    body: Vec<u8>,
    claim: Option<&Claim>,
) -> Result<(String, Option<Checksum>), CoreError> {
    let snap = snapshot(svc, caller, bucket)?;
    authorize(svc, caller, "s3:PutObject", &snap, Some(key), &[])?;
    if !(1..=10_000).contains(&number) {
        return Err(s3_err(
            S3Error::InvalidArgument,
            "Part number must be an integer between 1 and 10000, inclusive",
        ));
    }
    let upload = upload_of(svc, bucket, key, id)?;
    let max = svc.s3_max_object_size();
    if body.len() > max {
        return Err(CoreError::from(S3Error::EntityTooLarge {
            proposed_size: None,
            max_size_allowed: None,
        }));
    }
    let checksum = match (claim, upload.checksum_algorithm) {
        (Some(c), Some(a)) if c.algorithm != a => {
            // UNCONFIRMED wording.
            return Err(s3_err(
                S3Error::InvalidRequest,
                format!(
                    "Checksum Type mismatch occurred, expected checksum Type: {}, actual checksum Type: {}",
                    a.name().to_ascii_lowercase(),
                    c.algorithm.name().to_ascii_lowercase()
                ),
            ));
        }
        (Some(c), _) => Some(c.verify(&body)?),
        (None, Some(a)) => Some(Checksum::of(a, &body)),
        (None, None) => None,
    };
    let part = Part {
        etag: format!("\"{}\"", hex::encode(Md5::digest(&body))),
        size: body.len() as u64,
        blob: crate::ids::unique_id("S3PART"),
        last_modified: svc.now(),
        checksum: checksum.clone(),
    };
    let etag = part.etag.clone();
    svc.mutate(move |state| {
        let mut upload = state
            .s3
            .uploads
            .get(id)
            .cloned()
            .ok_or_else(|| no_such_upload(id))?;
        let mut changes = Vec::with_capacity(3);
        if let Some(old) = upload.parts.get(&number) {
            changes.push(Change::DeleteBlob {
                key: old.blob.clone(),
            });
        }
        changes.push(Change::PutBlob {
            key: part.blob.clone(),
            value: body,
        });
        upload.parts.insert(number, part);
        changes.push(Change::Put(Record::S3Upload(upload)));
        Ok(((), changes))
    })?;
    Ok((etag, checksum))
}

fn invalid_part() -> CoreError {
    CoreError::from(S3Error::InvalidPart)
}

/// `CompleteMultipartUpload` (`s3:PutObject`) with the client's list of
/// `(part number, ETag)`: the new object.
pub fn complete(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
    id: &str,
    parts: &[(u32, String)],
) -> Result<Object, CoreError> {
    let snap = snapshot(svc, caller, bucket)?;
    authorize(svc, caller, "s3:PutObject", &snap, Some(key), &[])?;
    let upload = upload_of(svc, bucket, key, id)?;
    if parts.is_empty() {
        return Err(CoreError::from(S3Error::MalformedXml));
    }
    if parts.windows(2).any(|w| matches!(w, [a, b] if a.0 >= b.0)) {
        return Err(CoreError::from(S3Error::InvalidPartOrder));
    }
    let mut chosen = Vec::with_capacity(parts.len());
    for (i, (n, etag)) in parts.iter().enumerate() {
        let p = upload.parts.get(n).ok_or_else(invalid_part)?;
        if p.etag.trim_matches('"') != etag.trim().trim_matches('"') {
            return Err(invalid_part());
        }
        if i + 1 < parts.len() && p.size < MIN_PART_SIZE {
            return Err(CoreError::from(S3Error::EntityTooSmall { part_number: *n }));
        }
        chosen.push(p.clone());
    }
    let total: u64 = chosen.iter().map(|p| p.size).sum();
    let max = svc.s3_max_object_size();
    if usize::try_from(total).map_or(true, |t| t > max) {
        return Err(CoreError::from(S3Error::EntityTooLarge {
            proposed_size: None,
            max_size_allowed: None,
        }));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    let mut md5s = Vec::with_capacity(chosen.len() * 16);
    for p in &chosen {
        let b = svc.get_blob(&p.blob)?.ok_or_else(invalid_part)?;
        md5s.extend_from_slice(&Md5::digest(&b));
        bytes.extend_from_slice(&b);
    }
    // The object's checksum (see `upload_checksum_type`); a part without one
    // (stored by an older version) leaves a composite checksum out.
    let checksum = match (upload.checksum_algorithm, upload.checksum_type) {
        (Some(a), Some(ChecksumType::Composite)) => {
            let values: Option<Vec<&str>> = chosen
                .iter()
                .map(|p| {
                    p.checksum
                        .as_ref()
                        .filter(|c| c.algorithm == a)
                        .map(|c| c.value.as_str())
                })
                .collect();
            values.and_then(|v| Checksum::composite(a, v.into_iter()))
        }
        (Some(a), _) => Some(Checksum::of(a, &bytes)),
        (None, _) => Some(Checksum::of(Algorithm::Crc64Nvme, &bytes)),
    };
    let object = Object {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        size: total,
        etag: format!("\"{}-{}\"", hex::encode(Md5::digest(&md5s)), chosen.len()),
        content_type: upload.content_type.clone(),
        headers: upload.headers.clone(),
        metadata: upload.metadata.clone(),
        last_modified: svc.now(),
        writer: caller.account.clone(),
        blob: crate::ids::unique_id("S3OBJ"),
        checksum: checksum.map(Box::new),
    };
    let result = object.clone();
    svc.mutate(move |state| {
        let upload = state.s3.uploads.get(id).ok_or_else(|| no_such_upload(id))?;
        let mut changes = Vec::new();
        for p in upload.parts.values() {
            changes.push(Change::DeleteBlob {
                key: p.blob.clone(),
            });
        }
        if let Some(old) = state.s3.objects.get(bucket).and_then(|o| o.get(key)) {
            changes.push(Change::DeleteBlob {
                key: old.blob.clone(),
            });
        }
        changes.push(Change::PutBlob {
            key: object.blob.clone(),
            value: bytes,
        });
        changes.push(Change::Put(Record::S3Object(object)));
        changes.push(Change::Delete(table::S3_UPLOADS, id.to_owned()));
        Ok(((), changes))
    })?;
    Ok(result)
}

/// `AbortMultipartUpload` (`s3:AbortMultipartUpload`).
pub fn abort(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
    key: &str,
    id: &str,
) -> Result<(), CoreError> {
    let snap = snapshot(svc, caller, bucket)?;
    authorize(
        svc,
        caller,
        "s3:AbortMultipartUpload",
        &snap,
        Some(key),
        &[],
    )?;
    upload_of(svc, bucket, key, id)?;
    svc.mutate(|state| {
        let upload = state.s3.uploads.get(id).ok_or_else(|| no_such_upload(id))?;
        let mut changes: Vec<Change> = upload
            .parts
            .values()
            .map(|p| Change::DeleteBlob {
                key: p.blob.clone(),
            })
            .collect();
        changes.push(Change::Delete(table::S3_UPLOADS, id.to_owned()));
        Ok(((), changes))
    })
}
