//! S3 object operations: put, copy, get and head (ranges, checksums),
//! delete one or many.

use super::*;

/// `x-amz-checksum-algorithm` (`CreateMultipartUpload`, `CopyObject`).
pub(super) fn checksum_algorithm(req: &Req<'_>) -> Result<Option<Algorithm>, S3Fail> {
    match header(req.parts, "x-amz-checksum-algorithm") {
        None => Ok(None),
        Some(a) => Algorithm::from_name(a).map(Some).ok_or_else(|| {
            S3Fail::new(
                "InvalidRequest",
                400,
                "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
            )
        }),
    }
}

/// `x-amz-checksum-<algorithm>` and `x-amz-checksum-type` of a checksum.
pub(super) fn checksum_headers(r: &mut Response<Body>, c: &Checksum) {
    set_header(r, c.algorithm.header(), &c.value);
    set_header(r, "x-amz-checksum-type", c.kind.name());
}

/// Representation headers stored with an object and given back on reads.
pub(super) const STORED_HEADERS: [&str; 5] = [
    "content-encoding",
    "content-disposition",
    "cache-control",
    "content-language",
    "expires",
];

/// The object headers of a `PutObject` (or a `CopyObject` that replaces them).
pub(super) fn object_input(req: &Req<'_>) -> s3::PutObject {
    let mut input = s3::PutObject {
        content_md5: header(req.parts, "content-md5").map(str::to_owned),
        content_type: header(req.parts, "content-type").map(str::to_owned),
        ..Default::default()
    };
    for name in STORED_HEADERS {
        if let Some(v) = header(req.parts, name) {
            // `aws-chunked` is transfer framing, not the object's encoding.
            let v: Vec<&str> = v
                .split(',')
                .map(str::trim)
                .filter(|e| !e.eq_ignore_ascii_case("aws-chunked") && !e.is_empty())
                .collect();
            if !v.is_empty() {
                input.headers.insert(name.to_owned(), v.join(", "));
            }
        }
    }
    for (k, v) in &req.parts.headers {
        if let Some(m) = k.as_str().strip_prefix("x-amz-meta-")
            && let Ok(v) = v.to_str()
        {
            input.metadata.insert(m.to_owned(), v.to_owned());
        }
    }
    input
}

pub(super) fn put_object(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let (data, claim) = wire::payload_with_claim(req.parts, body, req.authn.chunks.as_ref())?;
    let input = s3::PutObject {
        checksum: claim,
        ..object_input(req)
    };
    let o = s3::put_object(
        req.svc,
        &req.authn.caller,
        req.bucket()?,
        req.key()?,
        data,
        input,
    )?;
    let mut r = req.empty(200);
    set_header(&mut r, "etag", &o.etag);
    // The stored checksum: the one the request sent (header or trailer),
    // else the CRC64NVME computed for it.
    if let Some(c) = &o.checksum {
        checksum_headers(&mut r, c);
    }
    Ok(r)
}

pub(super) fn copy_object(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let raw = header(req.parts, "x-amz-copy-source").unwrap_or("");
    let invalid = || {
        S3Fail::new(
            "InvalidArgument",
            400,
            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
        )
    };
    let (path, version) = raw.split_once('?').unwrap_or((raw, ""));
    if !version.is_empty() {
        return Err(wire::not_implemented());
    }
    let source = wire::percent_decode(path).ok_or_else(invalid)?;
    let source = source.strip_prefix('/').unwrap_or(&source);
    let (src_bucket, src_key) = source
        .split_once('/')
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
        .ok_or_else(invalid)?;
    let replace = match header(req.parts, "x-amz-metadata-directive") {
        None | Some("COPY") => None,
        Some("REPLACE") => Some(s3::PutObject {
            content_md5: None,
            ..object_input(req)
        }),
        Some(other) => {
            return Err(S3Fail::new(
                "InvalidArgument",
                400,
                format!("Unknown metadata directive: {other}"),
            ));
        }
    };
    let o = s3::copy_object(
        req.svc,
        &req.authn.caller,
        (src_bucket, src_key),
        (req.bucket()?, req.key()?),
        replace,
        checksum_algorithm(req)?,
    )?;
    let doc = xml::CopyObjectResult {
        ns: xml::Ns,
        last_modified: xml::Timestamp(o.last_modified),
        etag: o.etag.clone(),
        checksums: xml::Checksums::of(o.checksum.as_deref()),
    };
    xml::ok(req.request_id, "CopyObjectResult", &doc)
}

pub(super) fn object_headers(r: &mut Response<Body>, o: &Object) {
    set_header(r, "etag", &o.etag);
    set_header(r, "last-modified", &http_date(o.last_modified));
    set_header(r, "content-type", &o.content_type);
    set_header(r, "accept-ranges", "bytes");
    for (k, v) in &o.headers {
        set_header(r, k, v);
    }
    for (k, v) in &o.metadata {
        set_header(r, &format!("x-amz-meta-{k}"), v);
    }
}

/// A `Range: bytes=…` header against `size`: `Ok(None)` for the whole object.
pub(super) fn range(spec: Option<&str>, size: u64) -> Result<Option<(u64, u64)>, S3Fail> {
    let Some(spec) = spec.and_then(|s| s.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    let invalid = || {
        let mut f = S3Fail::new(
            "InvalidRange",
            416,
            "The requested range is not satisfiable",
        );
        f.details = vec![
            ("RangeRequested".to_owned(), format!("bytes={spec}")),
            ("ActualObjectSize".to_owned(), size.to_string()),
        ];
        f
    };
    // Several ranges: S3 answers the whole object.
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (start, end) = match (a.trim().parse::<u64>().ok(), b.trim().parse::<u64>().ok()) {
        (Some(s), Some(e)) if s <= e => (s, e.min(size.saturating_sub(1))),
        (Some(s), None) if b.trim().is_empty() => (s, size.saturating_sub(1)),
        (None, Some(n)) if a.trim().is_empty() && n > 0 => {
            (size.saturating_sub(n), size.saturating_sub(1))
        }
        _ => return Ok(None),
    };
    if start >= size {
        return Err(invalid());
    }
    Ok(Some((start, end)))
}

pub(super) fn get_object(req: &Req<'_>, head: bool) -> Result<Response<Body>, S3Fail> {
    let (bucket, key) = (req.bucket()?, req.key()?);
    let caller = &req.authn.caller;
    let (o, bytes) = if head {
        (s3::head_object(req.svc, caller, bucket, key)?, Vec::new())
    } else {
        s3::get_object(req.svc, caller, bucket, key)?
    };
    let (status, body, len) = match range(header(req.parts, "range"), o.size)? {
        Some((start, end)) => {
            let slice = if head {
                Vec::new()
            } else {
                usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(end).ok())
                    .and_then(|(s, e)| bytes.get(s..=e))
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default()
            };
            (206, slice, Some((start, end)))
        }
        None => (200, bytes, None),
    };
    let mut r = response(status, req.request_id, Body::from(body));
    object_headers(&mut r, &o);
    // With `x-amz-checksum-mode: ENABLED` the stored checksum, so that SDKs
    // validate the download (a range has no checksum of its own).
    if len.is_none()
        && header(req.parts, "x-amz-checksum-mode")
            .is_some_and(|m| m.eq_ignore_ascii_case("ENABLED"))
        && let Some(c) = &o.checksum
    {
        checksum_headers(&mut r, c);
    }
    match len {
        Some((start, end)) => {
            set_header(
                &mut r,
                "content-range",
                &format!("bytes {start}-{end}/{}", o.size),
            );
            set_header(&mut r, "content-length", &(end - start + 1).to_string());
        }
        None => set_header(&mut r, "content-length", &o.size.to_string()),
    }
    Ok(r)
}

pub(super) fn delete_object(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::delete_object(req.svc, &req.authn.caller, req.bucket()?, req.key()?)?;
    Ok(req.empty(204))
}

pub(super) fn delete_objects(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    let documents::Delete { keys, quiet } = documents::delete(&data)?;
    let results = s3::delete_objects(req.svc, &req.authn.caller, req.bucket()?, &keys)?;
    let entries = results
        .into_iter()
        .filter_map(|r| match r {
            Deleted::Ok(key) => (!quiet).then_some(xml::DeleteEntry::Deleted { key }),
            Deleted::Failed(key, code, message) => Some(xml::DeleteEntry::Error {
                key,
                code: code.to_string(),
                message,
            }),
        })
        .collect();
    let doc = xml::DeleteResult {
        ns: xml::Ns,
        entries,
    };
    xml::ok(req.request_id, "DeleteResult", &doc)
}
