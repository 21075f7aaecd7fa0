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

/// The continuation token of a page that ends with `last` (a key, or a
/// bucket name for ListBuckets): its base64, so that the next page resumes
/// after that name whether or not it still exists.
pub(super) fn continuation_token(last: &str) -> String {
    URL_SAFE_NO_PAD.encode(last)
}

/// The name a [`continuation_token`] resumes after; any other token (an
/// empty one among them: no page ends with an empty name) is
/// `InvalidArgument`.
pub(super) fn resumes_after(token: &str) -> Result<String, S3Fail> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|name| !name.is_empty())
        .ok_or_else(|| {
            invalid_argument(
                "The continuation token provided is incorrect",
                "continuation-token",
                token,
            )
        })
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
    // `url` is the one encoding S3 knows.
    let url = match req.param("encoding-type") {
        None => false,
        Some("url") => true,
        Some(other) => {
            return Err(invalid_argument(
                "Invalid Encoding Method specified in Request",
                "encoding-type",
                other,
            ));
        }
    };
    let prefix = req.param("prefix").unwrap_or("");
    let delimiter = req.param("delimiter").filter(|d| !d.is_empty());
    let token = match req.param("continuation-token").filter(|_| v2) {
        Some(t) => Some(resumes_after(t)?),
        None => None,
    };
    // V1 always names each object's owner; V2 only when asked to
    // (`fetch-owner=true`, as botocore serializes a boolean).
    let fetch_owner = !v2
        || req
            .param("fetch-owner")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
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
    let enc = |s: &str| {
        if url {
            wire::url_encode(s)
        } else {
            s.to_owned()
        }
    };
    let key_count = page.objects.len() + page.common_prefixes.len();
    let next = page.last.as_deref().filter(|_| page.truncated);
    let doc = xml::ListBucketResult {
        ns: xml::Ns,
        name: bucket.to_owned(),
        prefix: enc(prefix),
        marker: (!v2).then(|| enc(start_after.unwrap_or(""))),
        next_marker: next.filter(|_| !v2 && delimiter.is_some()).map(enc),
        key_count: v2.then_some(key_count),
        continuation_token: req
            .param("continuation-token")
            .filter(|_| v2)
            .map(str::to_owned),
        next_continuation_token: next.filter(|_| v2).map(continuation_token),
        start_after: start_after.filter(|_| v2).map(enc),
        max_keys,
        delimiter: delimiter.map(enc),
        encoding_type: url.then(|| "url".to_owned()),
        is_truncated: page.truncated,
        contents: page
            .objects
            .iter()
            .map(|o| xml::Contents {
                key: enc(&o.key),
                last_modified: xml::Timestamp(o.last_modified),
                etag: o.etag.clone(),
                size: o.size,
                storage_class: "STANDARD",
                owner: fetch_owner.then(|| xml::Owner {
                    id: canonical_id(page.owner(o)),
                }),
            })
            .collect(),
        common_prefixes: page
            .common_prefixes
            .iter()
            .map(|p| xml::CommonPrefix { prefix: enc(p) })
            .collect(),
    };
    xml::ok(req.request_id, "ListBucketResult", &doc)
}
