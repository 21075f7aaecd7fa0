//! S3 object listings: `ListObjects` and `ListObjectsV2` (prefix,
//! delimiter, markers, continuation tokens, `encoding-type=url`).

use super::*;

pub(super) fn invalid_argument(message: &str, name: &str, value: &str) -> S3Fail {
    let mut f = S3Fail::new("InvalidArgument", 400, message);
    f.details = vec![
        ("ArgumentName".to_owned(), name.to_owned()),
        ("ArgumentValue".to_owned(), value.to_owned()),
    ];
    f
}

pub(super) fn list_objects(req: &Req<'_>, v2: bool) -> Result<Response<Body>, S3Fail> {
    let bucket = req.bucket()?;
    let max_keys = match req.param("max-keys") {
        None => 1000,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(|n| usize::try_from(n.min(1000)).unwrap_or(1000))
            .ok_or_else(|| {
                invalid_argument(
                    "Provided max-keys not an integer or within integer range",
                    "max-keys",
                    v,
                )
            })?,
    };
    let prefix = req.param("prefix").unwrap_or("");
    let delimiter = req.param("delimiter").filter(|d| !d.is_empty());
    let token = match req.param("continuation-token").filter(|_| v2) {
        Some(t) => Some(
            URL_SAFE_NO_PAD
                .decode(t)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| {
                    invalid_argument(
                        "The continuation token provided is incorrect",
                        "continuation-token",
                        t,
                    )
                })?,
        ),
        None => None,
    };
    let start_after = if v2 {
        req.param("start-after")
    } else {
        req.param("marker")
    };
    let after = token.as_deref().or(start_after);
    let page = s3::list_objects(
        req.svc,
        &req.authn.caller,
        bucket,
        ListRequest {
            prefix,
            delimiter,
            max_keys,
            after,
        },
    )?;
    let url = req.param("encoding-type") == Some("url");
    let enc = |s: &str| {
        if url {
            wire::url_encode(s)
        } else {
            s.to_owned()
        }
    };
    let mut x = Xml::new();
    x.open_ns("ListBucketResult", NS)
        .elem("Name", bucket)
        .elem("Prefix", &enc(prefix));
    if v2 {
        x.elem(
            "KeyCount",
            &(page.objects.len() + page.common_prefixes.len()).to_string(),
        );
        if let Some(t) = req.param("continuation-token") {
            x.elem("ContinuationToken", t);
        }
        if page.truncated
            && let Some(last) = &page.last
        {
            x.elem("NextContinuationToken", &URL_SAFE_NO_PAD.encode(last));
        }
        if let Some(s) = start_after {
            x.elem("StartAfter", &enc(s));
        }
    } else {
        x.elem("Marker", &enc(start_after.unwrap_or("")));
        if page.truncated
            && delimiter.is_some()
            && let Some(last) = &page.last
        {
            x.elem("NextMarker", &enc(last));
        }
    }
    x.elem("MaxKeys", &max_keys.to_string());
    if let Some(d) = delimiter {
        x.elem("Delimiter", &enc(d));
    }
    if url {
        x.elem("EncodingType", "url");
    }
    x.elem("IsTruncated", if page.truncated { "true" } else { "false" });
    for o in &page.objects {
        x.open("Contents")
            .elem("Key", &enc(&o.key))
            .elem("LastModified", &timestamp(o.last_modified))
            .elem("ETag", &o.etag)
            .elem("Size", &o.size.to_string())
            .elem("StorageClass", "STANDARD");
        if !v2 {
            x.open("Owner")
                .elem("ID", &canonical_id(&o.writer))
                .close("Owner");
        }
        x.close("Contents");
    }
    for p in &page.common_prefixes {
        x.open("CommonPrefixes")
            .elem("Prefix", &enc(p))
            .close("CommonPrefixes");
    }
    x.close("ListBucketResult");
    Ok(xml_ok(req.request_id, x))
}
