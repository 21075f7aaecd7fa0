//! The S3 router over the generated route table, as garage's `router.rs`
//! tests it: one row per request shape.

use rootward_model::rest::PlainRequest;
use rootward_model::s3::{Operation, resolve};

/// Method, path, query, headers, expected operation.
type Row<'a, T> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a [&'a str], T);

fn route(method: &str, path: &str, query: &[(&str, &str)], headers: &[&str]) -> Option<Operation> {
    resolve(&PlainRequest {
        method,
        path,
        query,
        headers,
    })
}

#[test]
fn service_bucket_and_object_requests_route_by_method_and_sub_resource() {
    use Operation::*;
    let rows: &[Row<Option<Operation>>] = &[
        ("GET", "/", &[], &[], Some(ListBuckets)),
        ("PUT", "/", &[], &[], None),
        ("PUT", "/b", &[], &[], Some(CreateBucket)),
        ("PUT", "/b/", &[], &[], Some(CreateBucket)),
        ("HEAD", "/b", &[], &[], Some(HeadBucket)),
        ("DELETE", "/b", &[], &[], Some(DeleteBucket)),
        ("GET", "/b", &[], &[], Some(ListObjects)),
        ("GET", "/b", &[("list-type", "2")], &[], Some(ListObjectsV2)),
        ("GET", "/b", &[("list-type", "1")], &[], Some(ListObjects)),
        (
            "GET",
            "/b",
            &[("prefix", "a/"), ("delimiter", "/")],
            &[],
            Some(ListObjects),
        ),
        ("GET", "/b", &[("policy", "")], &[], Some(GetBucketPolicy)),
        ("PUT", "/b", &[("policy", "")], &[], Some(PutBucketPolicy)),
        (
            "DELETE",
            "/b",
            &[("policy", "")],
            &[],
            Some(DeleteBucketPolicy),
        ),
        (
            "GET",
            "/b",
            &[("policyStatus", "")],
            &[],
            Some(GetBucketPolicyStatus),
        ),
        (
            "GET",
            "/b",
            &[("location", "")],
            &[],
            Some(GetBucketLocation),
        ),
        ("POST", "/b", &[("delete", "")], &[], Some(DeleteObjects)),
        ("POST", "/b", &[], &[], None),
        (
            "GET",
            "/b",
            &[("uploads", "")],
            &[],
            Some(ListMultipartUploads),
        ),
        (
            "GET",
            "/b",
            &[("versioning", "")],
            &[],
            Some(GetBucketVersioning),
        ),
        (
            "GET",
            "/b",
            &[("versions", "")],
            &[],
            Some(ListObjectVersions),
        ),
        ("GET", "/b", &[("acl", "")], &[], Some(GetBucketAcl)),
        ("GET", "/b", &[("tagging", "")], &[], Some(GetBucketTagging)),
        (
            "GET",
            "/b",
            &[("lifecycle", "")],
            &[],
            Some(GetBucketLifecycleConfiguration),
        ),
        (
            "PUT",
            "/b",
            &[("lifecycle", "")],
            &[],
            Some(PutBucketLifecycleConfiguration),
        ),
        (
            "GET",
            "/b",
            &[("notification", "")],
            &[],
            Some(GetBucketNotificationConfiguration),
        ),
        (
            "GET",
            "/b",
            &[("analytics", "")],
            &[],
            Some(ListBucketAnalyticsConfigurations),
        ),
        (
            "GET",
            "/b",
            &[("analytics", ""), ("id", "x")],
            &[],
            Some(GetBucketAnalyticsConfiguration),
        ),
        (
            "DELETE",
            "/b",
            &[("analytics", ""), ("id", "x")],
            &[],
            Some(DeleteBucketAnalyticsConfiguration),
        ),
        // Never DeleteBucket: a sub-resource the request names keeps it
        // away from the bare route.
        (
            "DELETE",
            "/b",
            &[("analytics", "")],
            &[],
            Some(DeleteBucketAnalyticsConfiguration),
        ),
        ("DELETE", "/b", &[("cors", "")], &[], Some(DeleteBucketCors)),
        ("GET", "/b", &[("session", "")], &[], Some(CreateSession)),
        ("GET", "/b/k", &[], &[], Some(GetObject)),
        ("GET", "/b/dir/sub/k.txt", &[], &[], Some(GetObject)),
        ("GET", "/b/dir/", &[], &[], Some(GetObject)),
        ("HEAD", "/b/k", &[], &[], Some(HeadObject)),
        (
            "HEAD",
            "/b/k",
            &[("partNumber", "1")],
            &[],
            Some(HeadObject),
        ),
        ("PUT", "/b/k", &[], &[], Some(PutObject)),
        ("PUT", "/b/k", &[], &["x-amz-copy-source"], Some(CopyObject)),
        (
            "PUT",
            "/b/k",
            &[("partNumber", "1"), ("uploadId", "u")],
            &[],
            Some(UploadPart),
        ),
        (
            "PUT",
            "/b/k",
            &[("partNumber", "1"), ("uploadId", "u")],
            &["x-amz-copy-source"],
            Some(UploadPartCopy),
        ),
        ("DELETE", "/b/k", &[], &[], Some(DeleteObject)),
        (
            "DELETE",
            "/b/k",
            &[("uploadId", "u")],
            &[],
            Some(AbortMultipartUpload),
        ),
        (
            "POST",
            "/b/k",
            &[("uploads", "")],
            &[],
            Some(CreateMultipartUpload),
        ),
        (
            "POST",
            "/b/k",
            &[("uploadId", "u")],
            &[],
            Some(CompleteMultipartUpload),
        ),
        ("POST", "/b/k", &[], &[], None),
        ("GET", "/b/k", &[("uploadId", "u")], &[], Some(ListParts)),
        ("GET", "/b/k", &[("acl", "")], &[], Some(GetObjectAcl)),
        (
            "GET",
            "/b/k",
            &[("tagging", "")],
            &[],
            Some(GetObjectTagging),
        ),
        (
            "DELETE",
            "/b/k",
            &[("tagging", "")],
            &[],
            Some(DeleteObjectTagging),
        ),
        ("POST", "/b/k", &[("restore", "")], &[], Some(RestoreObject)),
        (
            "POST",
            "/b/k",
            &[("select", ""), ("select-type", "2")],
            &[],
            Some(SelectObjectContent),
        ),
        ("POST", "/b/k", &[("select", "")], &[], None),
        (
            "GET",
            "/b/k",
            &[("attributes", "")],
            &["x-amz-object-attributes"],
            Some(GetObjectAttributes),
        ),
        ("PATCH", "/b/k", &[], &[], None),
    ];
    for (method, path, query, headers, want) in rows {
        assert_eq!(
            route(method, path, query, headers),
            *want,
            "{method} {path} {query:?} {headers:?}"
        );
    }
}

#[test]
fn operations_served_elsewhere_or_deprecated_are_never_routed() {
    use Operation::*;
    let routed: Vec<Operation> = rootward_model::s3::ROUTES
        .iter()
        .map(|r| r.operation)
        .collect();
    for op in [
        ListDirectoryBuckets,
        WriteGetObjectResponse,
        GetBucketLifecycle,
        PutBucketLifecycle,
        GetBucketNotification,
        PutBucketNotification,
    ] {
        assert!(!routed.contains(&op), "{op:?}");
    }
    // Everything else is.
    let unrouted = Operation::ALL
        .iter()
        .filter(|o| !routed.contains(o))
        .count();
    assert_eq!(unrouted, 6);
}

/// The operations the server's hand-written S3 router (`services/s3/mod.rs`
/// `route`) dispatches today, with a request for each: the generated router
/// picks the same operation.
#[test]
fn generated_router_agrees_with_the_hand_written_one() {
    use Operation::*;
    let rows: &[Row<Operation>] = &[
        ("GET", "/", &[], &[], ListBuckets),
        ("PUT", "/b", &[("policy", "")], &[], PutBucketPolicy),
        ("PUT", "/b", &[], &[], CreateBucket),
        ("GET", "/b", &[("policy", "")], &[], GetBucketPolicy),
        (
            "GET",
            "/b",
            &[("policyStatus", "")],
            &[],
            GetBucketPolicyStatus,
        ),
        ("GET", "/b", &[("location", "")], &[], GetBucketLocation),
        ("GET", "/b", &[("list-type", "2")], &[], ListObjectsV2),
        ("GET", "/b", &[], &[], ListObjects),
        ("HEAD", "/b", &[], &[], HeadBucket),
        ("DELETE", "/b", &[("policy", "")], &[], DeleteBucketPolicy),
        ("DELETE", "/b", &[], &[], DeleteBucket),
        ("POST", "/b", &[("delete", "")], &[], DeleteObjects),
        (
            "POST",
            "/b/k",
            &[("uploads", "")],
            &[],
            CreateMultipartUpload,
        ),
        (
            "PUT",
            "/b/k",
            &[("partNumber", "1"), ("uploadId", "u")],
            &[],
            UploadPart,
        ),
        (
            "POST",
            "/b/k",
            &[("uploadId", "u")],
            &[],
            CompleteMultipartUpload,
        ),
        (
            "DELETE",
            "/b/k",
            &[("uploadId", "u")],
            &[],
            AbortMultipartUpload,
        ),
        ("PUT", "/b/k", &[], &["x-amz-copy-source"], CopyObject),
        ("PUT", "/b/k", &[], &[], PutObject),
        ("GET", "/b/k", &[], &[], GetObject),
        ("HEAD", "/b/k", &[], &[], HeadObject),
        ("DELETE", "/b/k", &[], &[], DeleteObject),
        ("GET", "/b", &[("versioning", "")], &[], GetBucketVersioning),
        ("PUT", "/b", &[("versioning", "")], &[], PutBucketVersioning),
        ("GET", "/b", &[("logging", "")], &[], GetBucketLogging),
        ("PUT", "/b", &[("logging", "")], &[], PutBucketLogging),
        ("GET", "/b", &[("encryption", "")], &[], GetBucketEncryption),
        ("PUT", "/b", &[("encryption", "")], &[], PutBucketEncryption),
        (
            "DELETE",
            "/b",
            &[("encryption", "")],
            &[],
            DeleteBucketEncryption,
        ),
        ("GET", "/b", &[("acl", "")], &[], GetBucketAcl),
        ("GET", "/b", &[("tagging", "")], &[], GetBucketTagging),
        ("PUT", "/b", &[("tagging", "")], &[], PutBucketTagging),
        ("DELETE", "/b", &[("tagging", "")], &[], DeleteBucketTagging),
        ("GET", "/b", &[("website", "")], &[], GetBucketWebsite),
        ("PUT", "/b", &[("website", "")], &[], PutBucketWebsite),
        ("DELETE", "/b", &[("website", "")], &[], DeleteBucketWebsite),
        (
            "GET",
            "/b",
            &[("publicAccessBlock", "")],
            &[],
            GetPublicAccessBlock,
        ),
        (
            "PUT",
            "/b",
            &[("publicAccessBlock", "")],
            &[],
            PutPublicAccessBlock,
        ),
        (
            "DELETE",
            "/b",
            &[("publicAccessBlock", "")],
            &[],
            DeletePublicAccessBlock,
        ),
        (
            "GET",
            "/b",
            &[("ownershipControls", "")],
            &[],
            GetBucketOwnershipControls,
        ),
        (
            "PUT",
            "/b",
            &[("ownershipControls", "")],
            &[],
            PutBucketOwnershipControls,
        ),
        (
            "DELETE",
            "/b",
            &[("ownershipControls", "")],
            &[],
            DeleteBucketOwnershipControls,
        ),
    ];
    for (method, path, query, headers, want) in rows {
        let got = route(method, path, query, headers);
        assert_eq!(got, Some(*want), "{method} {path} {query:?}");
        assert!(want.info().implemented(), "{want:?}");
    }
    let implemented = Operation::ALL
        .iter()
        .filter(|o| o.info().implemented())
        .count();
    assert_eq!(implemented, rows.len());
}

#[test]
fn account_routes_by_path() {
    use rootward_model::account::{Operation, resolve};
    let req = |method, path| {
        resolve(&PlainRequest {
            method,
            path,
            query: &[],
            headers: &[],
        })
    };
    assert_eq!(
        req("POST", "/getAlternateContact"),
        Some(Operation::GetAlternateContact)
    );
    assert_eq!(req("POST", "/listRegions"), Some(Operation::ListRegions));
    assert_eq!(req("GET", "/listRegions"), None);
    assert_eq!(req("POST", "/nothing"), None);
}
