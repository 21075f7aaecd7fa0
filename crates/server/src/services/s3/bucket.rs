//! S3 bucket operations: the bucket list, creation, location, deletion
//! and the bucket policy.

use super::*;

/// The most buckets a ListBuckets page holds, and the page size of a
/// paginated ListBuckets that names no `max-buckets`.
const MAX_BUCKETS: usize = 10_000;

/// ListBuckets' own parameters: any of them asks for a paginated listing.
const LIST_BUCKETS_PARAMETERS: [&str; 4] = [
    "prefix",
    "bucket-region",
    "max-buckets",
    "continuation-token",
];

/// `ListBuckets`, in name order. Plain (`aws s3 ls`), every bucket of the
/// caller's account in one page, with neither `Prefix` nor
/// `ContinuationToken`. With any of [`LIST_BUCKETS_PARAMETERS`], a page of
/// at most `max-buckets` (1–10000, 10000 by default, as botocore documents)
/// of the buckets whose names start with `prefix` (echoed) and that are in
/// `bucket-region`; when more follow, `ContinuationToken` resumes after the
/// page's last name (by name, not position: that bucket may be deleted
/// between pages).
pub(super) fn list_buckets(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let caller = &req.authn.caller;
    // Read as max-keys is, with max-keys' wording; the range's message is
    // the one S3-compatible servers give (neither spec 04 nor botocore has
    // it: UNCONFIRMED).
    let max_buckets = req
        .param("max-buckets")
        .map(|v| {
            let n = v.parse::<i32>().map_err(|_| {
                invalid_argument(
                    "Provided max-buckets not an integer or within integer range",
                    "max-buckets",
                    v,
                )
            })?;
            usize::try_from(n)
                .ok()
                .filter(|n| (1..=MAX_BUCKETS).contains(n))
                .ok_or_else(|| {
                    invalid_argument(
                        &format!(
                            "Argument max-buckets must be an integer between 1 and {MAX_BUCKETS}"
                        ),
                        "max-buckets",
                        v,
                    )
                })
        })
        .transpose()?;
    // botocore: "Requests made to a Regional endpoint that is different
    // from the bucket-region parameter are not supported" (S3's wording of
    // the refusal is UNCONFIRMED).
    let region = req.param("bucket-region");
    if let Some(r) = region.filter(|r| !r.eq_ignore_ascii_case(&caller.region)) {
        return Err(invalid_argument(
            "Requests with bucket-region specified must be made to the corresponding regional endpoint",
            "bucket-region",
            r,
        ));
    }
    let prefix = req.param("prefix");
    let buckets = s3::list_buckets(req.svc, caller)?;
    // An empty token is no position: the listing starts at the beginning.
    let after = match req.param("continuation-token").filter(|t| !t.is_empty()) {
        Some(t) => Some(resumes_after(t)?),
        None => None,
    };
    let paged = LIST_BUCKETS_PARAMETERS.iter().any(|p| req.has(p));
    let page_size = match max_buckets {
        Some(n) => n,
        None if paged => MAX_BUCKETS,
        None => usize::MAX,
    };
    let mut matching = buckets
        .into_iter()
        .filter(|b| after.as_deref().is_none_or(|a| b.name.as_str() > a))
        .filter(|b| prefix.is_none_or(|p| b.name.starts_with(p)))
        .filter(|b| region.is_none_or(|r| b.region.eq_ignore_ascii_case(r)));
    let page: Vec<_> = matching.by_ref().take(page_size).collect();
    let more = matching.next().is_some();
    let doc = xml::ListAllMyBucketsResult {
        ns: xml::Ns,
        owner: xml::Owner {
            id: canonical_id(&caller.account),
        },
        continuation_token: page
            .last()
            .filter(|_| more)
            .map(|b| continuation_token(&b.name)),
        buckets: xml::Buckets {
            bucket: page
                .into_iter()
                .map(|b| xml::BucketEntry {
                    name: b.name,
                    creation_date: xml::Timestamp(b.created),
                    bucket_region: b.region,
                })
                .collect(),
        },
        prefix: prefix.map(str::to_owned),
    };
    xml::ok(req.request_id, "ListAllMyBucketsResult", &doc)
}

pub(super) fn create_bucket(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let name = req.bucket()?;
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    // The configuration is optional: an empty body is a bucket in us-east-1.
    let location = if data.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        documents::create_bucket_configuration(&data)?
    };
    let ownership = match header(req.parts, "x-amz-object-ownership") {
        None => None,
        Some(o) => Some(s3::config::ObjectOwnership::from_name(o).ok_or_else(|| {
            S3Fail::new(
                "InvalidArgument",
                400,
                format!("Invalid x-amz-object-ownership header: {o}"),
            )
        })?),
    };
    s3::create_bucket_with(
        req.svc,
        &req.authn.caller,
        name,
        location.as_deref(),
        ownership,
    )?;
    let mut r = req.empty(200);
    set_header(&mut r, "location", &format!("/{name}"));
    set_header(&mut r, "x-amz-bucket-arn", &format!("arn:aws:s3:::{name}"));
    Ok(r)
}

pub(super) fn head_bucket(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let name = req.bucket()?;
    let b = match s3::head_bucket(req.svc, &req.authn.caller, name) {
        Ok(b) => b,
        Err(e) => {
            let fail = S3Fail::from(e);
            // A bucket that exists but is not the caller's to read: the 403
            // still names its region, as S3's does.
            if fail.status == 403
                && let Some(region) = s3::region_of(req.svc, name)
            {
                let mut r = wire::error_response(&fail, None, req.request_id, true);
                set_header(&mut r, "x-amz-bucket-region", &region);
                return Ok(r);
            }
            return Err(fail);
        }
    };
    let mut r = req.empty(200);
    set_header(&mut r, "x-amz-bucket-region", &b.region);
    set_header(&mut r, "x-amz-bucket-arn", &b.arn());
    Ok(r)
}

pub(super) fn get_bucket_location(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let b = s3::get_bucket_location(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = xml::LocationConstraint {
        ns: xml::Ns,
        region: b.location_constraint().map(str::to_owned),
    };
    xml::ok(req.request_id, "LocationConstraint", &doc)
}

pub(super) fn delete_bucket(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::delete_bucket(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(req.empty(204))
}

pub(super) fn get_bucket_policy(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let text = s3::get_bucket_policy(req.svc, &req.authn.caller, req.bucket()?)?;
    let mut r = response(200, req.request_id, Body::from(text));
    set_header(&mut r, "content-type", "application/json");
    Ok(r)
}

pub(super) fn put_bucket_policy(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    let text = String::from_utf8(data).map_err(|_| {
        S3Fail::new(
            "MalformedPolicy",
            400,
            "Policies must be valid JSON and the first byte must be '{'",
        )
    })?;
    s3::put_bucket_policy(req.svc, &req.authn.caller, req.bucket()?, &text)?;
    Ok(req.empty(204))
}

pub(super) fn delete_bucket_policy(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    s3::delete_bucket_policy(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(req.empty(204))
}

pub(super) fn get_bucket_policy_status(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let public = s3::get_bucket_policy_status(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = xml::PolicyStatus {
        ns: xml::Ns,
        is_public: public,
    };
    xml::ok(req.request_id, "PolicyStatus", &doc)
}
