//! S3 multipart uploads: create, upload a part, complete, abort.

use super::*;

pub(super) fn upload_id<'a>(req: &'a Req<'_>) -> Result<&'a str, S3Fail> {
    req.param("uploadId")
        .filter(|u| !u.is_empty())
        .ok_or_else(|| S3Fail::new("InvalidArgument", 400, "uploadId is required"))
}

pub(super) fn create_multipart_upload(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let (bucket, key) = (req.bucket()?, req.key()?);
    let algorithm = checksum_algorithm(req)?;
    let kind = match header(req.parts, "x-amz-checksum-type") {
        None => None,
        Some(t) => Some(ChecksumType::from_name(t).ok_or_else(|| {
            S3Fail::new(
                "InvalidRequest",
                400,
                "Value for x-amz-checksum-type header is invalid.",
            )
        })?),
    };
    let input = s3::PutObject {
        checksum_algorithm: algorithm,
        checksum_type: kind,
        ..object_input(req)
    };
    let id = s3::multipart::create(req.svc, &req.authn.caller, bucket, key, input)?;
    let doc = xml::InitiateMultipartUploadResult {
        ns: xml::Ns,
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        upload_id: id,
    };
    let mut r = xml::ok(req.request_id, "InitiateMultipartUploadResult", &doc)?;
    if let Some(a) = algorithm {
        set_header(&mut r, "x-amz-checksum-algorithm", a.name());
        let kind = s3::multipart::checksum_type_for(a, kind);
        set_header(&mut r, "x-amz-checksum-type", kind.name());
    }
    Ok(r)
}

pub(super) fn upload_part(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let number = req
        .param("partNumber")
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(|| {
            S3Fail::new(
                "InvalidArgument",
                400,
                "Part number must be an integer between 1 and 10000, inclusive",
            )
        })?;
    let (data, claim) = wire::payload_with_claim(req.parts, body, req.authn.chunks.as_ref())?;
    if let Some(md5) = header(req.parts, "content-md5") {
        use md5::Digest;
        if base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(&data)) != md5.trim() {
            return Err(S3Fail::new(
                "BadDigest",
                400,
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    let (etag, checksum) = s3::multipart::upload_part(
        req.svc,
        &req.authn.caller,
        req.bucket()?,
        req.key()?,
        upload_id(req)?,
        number,
        data,
        claim.as_ref(),
    )?;
    let mut r = req.empty(200);
    set_header(&mut r, "etag", &etag);
    if let Some(c) = &checksum {
        set_header(&mut r, c.algorithm.header(), &c.value);
    }
    Ok(r)
}

pub(super) fn complete_multipart_upload(
    req: &Req<'_>,
    body: &[u8],
) -> Result<Response<Body>, S3Fail> {
    let (bucket, key) = (req.bucket()?, req.key()?);
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    let parts = documents::complete_multipart_upload(&data)?;
    let o = s3::multipart::complete(
        req.svc,
        &req.authn.caller,
        bucket,
        key,
        upload_id(req)?,
        &parts,
    )?;
    let doc = xml::CompleteMultipartUploadResult {
        ns: xml::Ns,
        location: format!("/{bucket}/{}", wire::url_encode(key)),
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        etag: o.etag.clone(),
        checksums: xml::Checksums::of(o.checksum.as_deref()),
    };
    xml::ok(req.request_id, "CompleteMultipartUploadResult", &doc)
}

pub(super) fn abort_multipart_upload(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::multipart::abort(
        req.svc,
        &req.authn.caller,
        req.bucket()?,
        req.key()?,
        upload_id(req)?,
    )?;
    Ok(req.empty(204))
}
