//! S3 bucket operations: the bucket list, creation, location, deletion
//! and the bucket policy.

use super::*;

pub(super) fn list_buckets(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let caller = &req.authn.caller;
    let buckets = s3::list_buckets(req.svc, caller)?;
    let doc = xml::ListAllMyBucketsResult {
        ns: xml::Ns,
        owner: xml::Owner {
            id: canonical_id(&caller.account),
        },
        buckets: xml::Buckets {
            bucket: buckets
                .into_iter()
                .map(|b| xml::BucketEntry {
                    name: b.name,
                    creation_date: xml::Timestamp(b.created),
                    bucket_region: b.region,
                })
                .collect(),
        },
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
    let b = s3::head_bucket(req.svc, &req.authn.caller, req.bucket()?)?;
    let mut r = req.empty(200);
    set_header(&mut r, "x-amz-bucket-region", &b.region);
    set_header(&mut r, "x-amz-bucket-arn", &b.arn());
    Ok(r)
}

pub(super) fn get_bucket_location(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let b = s3::get_bucket_location(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = xml::LocationConstraint {
        ns: xml::Ns,
        region: (b.region != "us-east-1").then(|| b.region.clone()),
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
