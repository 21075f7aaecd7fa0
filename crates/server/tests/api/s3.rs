//! Amazon S3 through the AWS SDK for Rust and raw signed HTTP: buckets,
//! objects, listings, bucket policies with their authorization rules, the
//! lock-out and its rescue by an AssumeRoot session (spec 01 §1.5 flow E),
//! presigned URLs, virtual-hosted addressing, durability across a restart.

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CreateBucketConfiguration, Delete, ObjectIdentifier,
};
use base64::Engine;

use crate::common::root::{
    AUDIT, S3_UNLOCK, admin_role_in, organization_with_root_sessions, root_session,
};
use crate::common::s3::{fail, s3};
use crate::common::{ACCOUNT, Server};

fn deny_all(bucket: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{bucket}","arn:aws:s3:::{bucket}/*"]}}]}}"#
    )
}

fn md5_b64(data: &[u8]) -> String {
    use md5::Digest;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(data))
}

fn md5_hex(data: &[u8]) -> String {
    use md5::Digest;
    hex::encode(md5::Md5::digest(data))
}

async fn put(c: &aws_sdk_s3::Client, bucket: &str, key: &str, body: &[u8]) {
    c.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.to_vec()))
        .send()
        .await
        .unwrap();
}

async fn read(c: &aws_sdk_s3::Client, bucket: &str, key: &str) -> Vec<u8> {
    c.get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes()
        .to_vec()
}

#[tokio::test]
async fn buckets_and_objects() {
    let s = Server::start().await;
    let c = s3(&s.admin());

    // Buckets.
    c.create_bucket().bucket("photos").send().await.unwrap();
    let west = s3(&aws_config::SdkConfig::builder()
        .endpoint_url(&s.url)
        .region(aws_config::Region::new("us-west-2"))
        .credentials_provider(s.admin().credentials_provider().unwrap())
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build());
    // Signed for us-west-2 without a constraint (which would mean us-east-1).
    assert_eq!(
        fail(west.create_bucket().bucket("west-bucket").send().await),
        ("IllegalLocationConstraintException".into(), 400)
    );
    west.create_bucket()
        .bucket("west-bucket")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::UsWest2)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let loc = c
        .get_bucket_location()
        .bucket("west-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(
        loc.location_constraint().map(|l| l.as_str()),
        Some("us-west-2")
    );
    assert_eq!(
        fail(
            west.create_bucket()
                .bucket("west-bucket")
                .create_bucket_configuration(
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::UsWest2)
                        .build()
                )
                .send()
                .await
        ),
        ("BucketAlreadyOwnedByYou".into(), 409)
    );
    assert_eq!(
        fail(c.create_bucket().bucket("Bad_Name").send().await),
        ("InvalidBucketName".into(), 400)
    );
    let listed = c.list_buckets().send().await.unwrap();
    let names: Vec<_> = listed.buckets().iter().filter_map(|b| b.name()).collect();
    assert_eq!(names, ["photos", "west-bucket"]);
    assert_eq!(listed.owner().and_then(|o| o.id()).map(str::len), Some(64));
    c.head_bucket().bucket("photos").send().await.unwrap();
    c.head_bucket()
        .bucket("photos")
        .expected_bucket_owner(ACCOUNT)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(
            c.head_bucket()
                .bucket("photos")
                .expected_bucket_owner("222222222222")
                .send()
                .await
        )
        .1,
        403
    );
    assert_eq!(
        fail(c.head_bucket().bucket("nope-nope").send().await).1,
        404
    );

    // Objects: ETag, Content-MD5, metadata, content type, ranges.
    let body = b"hello, rootward".to_vec();
    let out = c
        .put_object()
        .bucket("photos")
        .key("dir/hello.txt")
        .content_md5(md5_b64(&body))
        .content_type("text/plain")
        .metadata("owner", "ops")
        .body(ByteStream::from(body.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.e_tag(),
        Some(format!("\"{}\"", md5_hex(&body)).as_str())
    );
    let got = c
        .get_object()
        .bucket("photos")
        .key("dir/hello.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(got.content_type(), Some("text/plain"));
    assert_eq!(got.content_length(), Some(body.len() as i64));
    assert_eq!(
        got.metadata()
            .and_then(|m| m.get("owner"))
            .map(String::as_str),
        Some("ops")
    );
    assert_eq!(got.e_tag(), out.e_tag());
    assert!(got.last_modified().is_some());
    assert_eq!(
        got.body.collect().await.unwrap().into_bytes().as_ref(),
        body.as_slice()
    );
    let part = c
        .get_object()
        .bucket("photos")
        .key("dir/hello.txt")
        .range("bytes=7-14")
        .send()
        .await
        .unwrap();
    assert_eq!(part.content_range(), Some("bytes 7-14/15"));
    assert_eq!(
        part.body.collect().await.unwrap().into_bytes().as_ref(),
        b"rootward"
    );
    let head = c
        .head_object()
        .bucket("photos")
        .key("dir/hello.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length(), Some(15));
    assert_eq!(head.e_tag(), out.e_tag());
    assert_eq!(
        fail(
            c.put_object()
                .bucket("photos")
                .key("bad")
                .content_md5(md5_b64(b"something else"))
                .body(ByteStream::from_static(b"data"))
                .send()
                .await
        ),
        ("BadDigest".into(), 400)
    );
    assert_eq!(
        fail(
            c.put_object()
                .bucket("photos")
                .key("bad")
                .content_md5("not-md5")
                .body(ByteStream::from_static(b"data"))
                .send()
                .await
        ),
        ("InvalidDigest".into(), 400)
    );
    assert_eq!(
        fail(c.get_object().bucket("photos").key("missing").send().await),
        ("NoSuchKey".into(), 404)
    );
    assert_eq!(
        fail(
            c.get_object()
                .bucket("no-such-bucket")
                .key("k")
                .send()
                .await
        ),
        ("NoSuchBucket".into(), 404)
    );
    assert_eq!(
        fail(c.head_object().bucket("photos").key("missing").send().await).1,
        404
    );
    // Overwrite, empty object, binary bytes.
    put(&c, "photos", "dir/hello.txt", b"v2").await;
    assert_eq!(read(&c, "photos", "dir/hello.txt").await, b"v2");
    put(&c, "photos", "empty", b"").await;
    assert_eq!(read(&c, "photos", "empty").await, b"");
    let binary: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    put(&c, "photos", "bin/blob", &binary).await;
    assert_eq!(read(&c, "photos", "bin/blob").await, binary);

    // CopyObject: metadata copied, or replaced.
    c.put_object()
        .bucket("photos")
        .key("src/hello world.txt")
        .content_type("text/plain")
        .metadata("owner", "ops")
        .body(ByteStream::from_static(b"v2"))
        .send()
        .await
        .unwrap();
    let copied = c
        .copy_object()
        .bucket("photos")
        .key("copies/hello.txt")
        .copy_source("photos/src/hello%20world.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(
        copied.copy_object_result().and_then(|r| r.e_tag()),
        Some(format!("\"{}\"", md5_hex(b"v2")).as_str())
    );
    let h = c
        .head_object()
        .bucket("photos")
        .key("copies/hello.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(h.content_type(), Some("text/plain"));
    assert_eq!(
        h.metadata()
            .and_then(|m| m.get("owner"))
            .map(String::as_str),
        Some("ops")
    );
    c.copy_object()
        .bucket("photos")
        .key("copies/hello.txt")
        .copy_source("photos/copies/hello.txt")
        .metadata_directive(aws_sdk_s3::types::MetadataDirective::Replace)
        .content_type("text/markdown")
        .send()
        .await
        .unwrap();
    let h = c
        .head_object()
        .bucket("photos")
        .key("copies/hello.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(h.content_type(), Some("text/markdown"));
    assert!(h.metadata().is_none_or(|m| m.is_empty()));
    assert_eq!(
        fail(
            c.copy_object()
                .bucket("photos")
                .key("copies/hello.txt")
                .copy_source("photos/copies/hello.txt")
                .send()
                .await
        ),
        ("InvalidRequest".into(), 400)
    );
    assert_eq!(
        fail(
            c.copy_object()
                .bucket("photos")
                .key("x")
                .copy_source("photos/none")
                .send()
                .await
        ),
        ("NoSuchKey".into(), 404)
    );
    c.delete_object()
        .bucket("photos")
        .key("copies/hello.txt")
        .send()
        .await
        .unwrap();
    c.delete_object()
        .bucket("photos")
        .key("src/hello world.txt")
        .send()
        .await
        .unwrap();

    // A file-backed (streaming) body: the SDK frames it as aws-chunked with a
    // trailing checksum.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upload.bin");
    std::fs::write(&path, &binary[..200_000]).unwrap();
    c.put_object()
        .bucket("photos")
        .key("bin/streamed")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(read(&c, "photos", "bin/streamed").await, &binary[..200_000]);
    c.delete_object()
        .bucket("photos")
        .key("bin/streamed")
        .send()
        .await
        .unwrap();

    // The size limit.
    s.svc.set_s3_max_object_size(1000);
    assert_eq!(
        fail(
            c.put_object()
                .bucket("photos")
                .key("big")
                .body(ByteStream::from(vec![7u8; 1001]))
                .send()
                .await
        )
        .0,
        "EntityTooLarge"
    );
    s.svc.set_s3_max_object_size(16 * 1024 * 1024);

    // Listing: prefix, delimiter, pagination (v2 and v1).
    for k in ["a/1", "a/2", "a/b/3", "b/1", "c", "d"] {
        put(&c, "photos", k, k.as_bytes()).await;
    }
    let l = c
        .list_objects_v2()
        .bucket("photos")
        .delimiter("/")
        .send()
        .await
        .unwrap();
    let keys: Vec<_> = l.contents().iter().filter_map(|o| o.key()).collect();
    let prefixes: Vec<_> = l
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(keys, ["c", "d", "empty"]);
    assert_eq!(prefixes, ["a/", "b/", "bin/", "dir/"]);
    let l = c
        .list_objects_v2()
        .bucket("photos")
        .prefix("a/")
        .delimiter("/")
        .send()
        .await
        .unwrap();
    let keys: Vec<_> = l.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["a/1", "a/2"]);
    assert_eq!(l.common_prefixes()[0].prefix(), Some("a/b/"));
    assert_eq!(l.contents()[0].size(), Some(3));
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let page = c
            .list_objects_v2()
            .bucket("photos")
            .max_keys(3)
            .set_continuation_token(token.clone())
            .send()
            .await
            .unwrap();
        assert!(page.key_count().unwrap() <= 3);
        all.extend(
            page.contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned)),
        );
        if page.is_truncated() != Some(true) {
            break;
        }
        token = page.next_continuation_token().map(str::to_owned);
    }
    assert_eq!(
        all,
        [
            "a/1",
            "a/2",
            "a/b/3",
            "b/1",
            "bin/blob",
            "c",
            "d",
            "dir/hello.txt",
            "empty"
        ]
    );
    // Paging with a delimiter: a common prefix is never repeated.
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = c
            .list_objects_v2()
            .bucket("photos")
            .delimiter("/")
            .max_keys(2)
            .set_continuation_token(token.clone())
            .send()
            .await
            .unwrap();
        seen.extend(
            page.common_prefixes()
                .iter()
                .filter_map(|p| p.prefix().map(str::to_owned)),
        );
        seen.extend(
            page.contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned)),
        );
        if page.is_truncated() != Some(true) {
            break;
        }
        token = page.next_continuation_token().map(str::to_owned);
    }
    seen.sort();
    assert_eq!(seen, ["a/", "b/", "bin/", "c", "d", "dir/", "empty"]);
    let l = c
        .list_objects_v2()
        .bucket("photos")
        .start_after("c")
        .send()
        .await
        .unwrap();
    assert_eq!(l.contents().len(), 3);
    let v1 = c
        .list_objects()
        .bucket("photos")
        .marker("b/1")
        .max_keys(2)
        .send()
        .await
        .unwrap();
    let keys: Vec<_> = v1.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["bin/blob", "c"]);
    assert_eq!(v1.is_truncated(), Some(true));

    // Deleting.
    assert_eq!(
        fail(c.delete_bucket().bucket("photos").send().await),
        ("BucketNotEmpty".into(), 409)
    );
    c.delete_object()
        .bucket("photos")
        .key("c")
        .send()
        .await
        .unwrap();
    c.delete_object()
        .bucket("photos")
        .key("c")
        .send()
        .await
        .unwrap();
    let ids: Vec<ObjectIdentifier> = all
        .iter()
        .map(|k| ObjectIdentifier::builder().key(k).build().unwrap())
        .collect();
    let d = c
        .delete_objects()
        .bucket("photos")
        .delete(Delete::builder().set_objects(Some(ids)).build().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(d.deleted().len(), all.len());
    assert!(d.errors().is_empty());
    assert_eq!(
        c.list_objects_v2()
            .bucket("photos")
            .send()
            .await
            .unwrap()
            .key_count(),
        Some(0)
    );
    c.delete_bucket().bucket("photos").send().await.unwrap();
    assert_eq!(
        fail(c.delete_bucket().bucket("photos").send().await),
        ("NoSuchBucket".into(), 404)
    );
}

/// Spec 01 §1.5 flow E: a deny-all bucket policy locks even the account's
/// administrators out; an AssumeRoot session for `S3UnlockBucketPolicy` reads
/// and deletes the policy (and nothing else), and access comes back.
/// An SDK client signing for `region` with the admin's key.
fn s3_in(s: &Server, region: &'static str) -> aws_sdk_s3::Client {
    s3(&aws_config::SdkConfig::builder()
        .endpoint_url(&s.url)
        .region(aws_config::Region::new(region))
        .credentials_provider(s.admin().credentials_provider().unwrap())
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build())
}

/// The code, status and message of a failed CreateBucket.
fn refused<R: std::fmt::Debug>(
    r: Result<
        R,
        aws_sdk_s3::error::SdkError<
            aws_sdk_s3::operation::create_bucket::CreateBucketError,
            aws_smithy_runtime_api::http::Response,
        >,
    >,
) -> (String, u16, String) {
    let e = r.unwrap_err();
    let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
    (
        e.code().unwrap_or_default().to_owned(),
        status,
        e.message().unwrap_or_default().to_owned(),
    )
}

fn constraint(c: &str) -> CreateBucketConfiguration {
    CreateBucketConfiguration::builder()
        .location_constraint(BucketLocationConstraint::from(c))
        .build()
}

/// CreateBucket's region rules as S3 has them: signed for us-east-1 (the
/// AWS CLI with region us-east-1, `--create-bucket-configuration
/// LocationConstraint=eu-west-1`) the bucket is made in the region its
/// constraint names, and every view of it says so afterwards; signed for
/// another region only that region's buckets are made
/// (`IllegalLocationConstraintException`, also for no constraint at all);
/// a constraint that names no region is `InvalidLocationConstraint`
/// wherever it is sent.
#[tokio::test]
async fn create_bucket_region_rules_across_endpoints() {
    let s = Server::start().await;
    let east = s3_in(&s, "us-east-1");
    let ireland = s3_in(&s, "eu-west-1");

    // us-east-1 creates the bucket where the constraint says.
    east.create_bucket()
        .bucket("made-in-virginia")
        .create_bucket_configuration(constraint("eu-west-1"))
        .send()
        .await
        .unwrap();
    for c in [&east, &ireland] {
        let loc = c
            .get_bucket_location()
            .bucket("made-in-virginia")
            .send()
            .await
            .unwrap();
        assert_eq!(
            loc.location_constraint().map(|l| l.as_str()),
            Some("eu-west-1")
        );
        let head = c
            .head_bucket()
            .bucket("made-in-virginia")
            .send()
            .await
            .unwrap();
        assert_eq!(head.bucket_region(), Some("eu-west-1"));
        let listed = c.list_buckets().send().await.unwrap();
        let regions: Vec<_> = listed
            .buckets()
            .iter()
            .map(|b| (b.name(), b.bucket_region()))
            .collect();
        assert_eq!(regions, [(Some("made-in-virginia"), Some("eu-west-1"))]);
    }
    // `bucket-region` lists it at its own region's endpoint, not at
    // us-east-1's.
    let here = ireland
        .list_buckets()
        .bucket_region("eu-west-1")
        .send()
        .await
        .unwrap();
    assert_eq!(here.buckets().len(), 1);
    let there = east
        .list_buckets()
        .bucket_region("us-east-1")
        .send()
        .await
        .unwrap();
    assert!(there.buckets().is_empty());
    // It is an eu-west-1 bucket: created again from either endpoint it is
    // already ours (us-east-1's legacy 200 is for us-east-1 buckets only).
    for c in [&east, &ireland] {
        assert_eq!(
            fail(
                c.create_bucket()
                    .bucket("made-in-virginia")
                    .create_bucket_configuration(constraint("eu-west-1"))
                    .send()
                    .await
            ),
            ("BucketAlreadyOwnedByYou".into(), 409)
        );
    }
    // Its objects are served.
    put(&ireland, "made-in-virginia", "k", b"data").await;
    assert_eq!(read(&ireland, "made-in-virginia", "k").await, b"data");
    // `EU` is eu-west-1's legacy name, taken from both endpoints.
    east.create_bucket()
        .bucket("legacy-eu")
        .create_bucket_configuration(constraint("EU"))
        .send()
        .await
        .unwrap();
    ireland
        .create_bucket()
        .bucket("legacy-eu-2")
        .create_bucket_configuration(constraint("EU"))
        .send()
        .await
        .unwrap();
    // Such a bucket lives in eu-west-1, but GetBucketLocation keeps the
    // legacy `EU` it was created with, as S3 does.
    for b in ["legacy-eu", "legacy-eu-2"] {
        let head = east.head_bucket().bucket(b).send().await.unwrap();
        assert_eq!(head.bucket_region(), Some("eu-west-1"), "{b}");
        let loc = east.get_bucket_location().bucket(b).send().await.unwrap();
        assert_eq!(
            loc.location_constraint(),
            Some(&aws_sdk_s3::types::BucketLocationConstraint::Eu),
            "{b}"
        );
    }

    // An opt-in region's bucket is made at its own endpoint only.
    assert_eq!(
        refused(
            east.create_bucket()
                .bucket("opt-in-from-east")
                .create_bucket_configuration(constraint("af-south-1"))
                .send()
                .await
        ),
        (
            "IllegalLocationConstraintException".into(),
            400,
            "The af-south-1 location constraint is incompatible for the region specific endpoint this request was sent to.".into()
        )
    );
    // At its own endpoint, once the account has enabled the region: before
    // (and while it is ENABLING) the region does not take the account's
    // credentials.
    let cape = s3_in(&s, "af-south-1");
    let make_in_cape = || {
        cape.create_bucket()
            .bucket("made-in-cape-town")
            .create_bucket_configuration(constraint("af-south-1"))
            .send()
    };
    assert_eq!(
        fail(make_in_cape().await),
        ("InvalidAccessKeyId".into(), 403)
    );
    let account = aws_sdk_account::Client::new(&s.admin());
    account
        .enable_region()
        .region_name("af-south-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(make_in_cape().await),
        ("InvalidAccessKeyId".into(), 403)
    );
    s.clock.advance(6);
    make_in_cape().await.unwrap();
    let head = east
        .head_bucket()
        .bucket("made-in-cape-town")
        .send()
        .await
        .unwrap();
    assert_eq!(head.bucket_region(), Some("af-south-1"));
    // Its bucket is served at its own endpoint only: elsewhere (us-east-1
    // here) S3 names the bucket's region, where clients retry.
    let put = |client: &aws_sdk_s3::Client| {
        client
            .put_object()
            .bucket("made-in-cape-town")
            .key("k")
            .body(aws_sdk_s3::primitives::ByteStream::from_static(b"secret"))
            .send()
    };
    put(&cape).await.unwrap();
    let elsewhere = put(&east).await.unwrap_err();
    let raw = elsewhere
        .raw_response()
        .map(|r| String::from_utf8_lossy(r.body().bytes().unwrap_or_default()).into_owned())
        .unwrap_or_default();
    assert!(
        raw.contains("<Code>IllegalLocationConstraintException</Code>")
            && raw.contains("<Region>af-south-1</Region>"),
        "{raw}"
    );
    assert_eq!(
        fail(
            east.get_object()
                .bucket("made-in-cape-town")
                .key("k")
                .send()
                .await
        ),
        ("IllegalLocationConstraintException".into(), 400)
    );
    // Disabled again: refused again, and its bucket with it, at its own
    // endpoint (the credentials) and anywhere else (the region).
    account
        .disable_region()
        .region_name("af-south-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(cape.list_buckets().send().await),
        ("InvalidAccessKeyId".into(), 403)
    );
    s.clock.advance(6);
    assert_eq!(
        fail(
            cape.get_object()
                .bucket("made-in-cape-town")
                .key("k")
                .send()
                .await
        ),
        ("InvalidAccessKeyId".into(), 403)
    );
    for c in [&east, &ireland] {
        assert_eq!(
            fail(
                c.get_object()
                    .bucket("made-in-cape-town")
                    .key("k")
                    .send()
                    .await
            ),
            ("IllegalLocationConstraintException".into(), 400)
        );
        assert_eq!(
            fail(
                c.get_bucket_policy()
                    .bucket("made-in-cape-town")
                    .send()
                    .await
            ),
            ("IllegalLocationConstraintException".into(), 400)
        );
    }

    // Signed for eu-west-1: no constraint means us-east-1, which that
    // endpoint does not make.
    assert_eq!(
        refused(ireland.create_bucket().bucket("no-constraint").send().await),
        (
            "IllegalLocationConstraintException".into(),
            400,
            "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.".into()
        )
    );
    // Nor another region's bucket.
    assert_eq!(
        refused(
            ireland
                .create_bucket()
                .bucket("elsewhere")
                .create_bucket_configuration(constraint("eu-west-2"))
                .send()
                .await
        ),
        (
            "IllegalLocationConstraintException".into(),
            400,
            "The eu-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.".into()
        )
    );
    // Its own region's, yes.
    ireland
        .create_bucket()
        .bucket("made-in-ireland")
        .create_bucket_configuration(constraint("eu-west-1"))
        .send()
        .await
        .unwrap();
    let loc = east
        .get_bucket_location()
        .bucket("made-in-ireland")
        .send()
        .await
        .unwrap();
    assert_eq!(
        loc.location_constraint().map(|l| l.as_str()),
        Some("eu-west-1")
    );

    // A constraint that names no region, wherever it is sent; us-east-1
    // named is not valid either.
    let invalid = (
        "InvalidLocationConstraint".to_owned(),
        400,
        "The specified location-constraint is not valid".to_owned(),
    );
    for (c, bad) in [
        (&east, "nowhere-1"),
        (&ireland, "nowhere-1"),
        (&east, "us-east-1"),
        (&east, "eu"),
    ] {
        assert_eq!(
            refused(
                c.create_bucket()
                    .bucket("never-made")
                    .create_bucket_configuration(constraint(bad))
                    .send()
                    .await
            ),
            invalid,
            "{bad}"
        );
    }
    // An empty constraint is not us-east-1's.
    let r = s
        .raw_s3(
            "PUT",
            "/never-made",
            None,
            &[],
            b"<CreateBucketConfiguration><LocationConstraint></LocationConstraint></CreateBucketConfiguration>",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>InvalidLocationConstraint</Code>"),
        "{}",
        r.body
    );
    for b in ["never-made", "no-constraint", "elsewhere"] {
        assert_eq!(
            fail(east.head_bucket().bucket(b).send().await).1,
            404,
            "{b}"
        );
    }

    // `s3:LocationConstraint` is the constraint sent: a user allowed to
    // create buckets only in eu-west-1 does so from us-east-1, and nowhere
    // else.
    let iam = aws_sdk_iam::Client::new(&s.admin());
    let user = crate::common::user_with_key(&s, &iam, "ireland-only").await;
    iam.put_user_policy()
        .user_name("ireland-only")
        .policy_name("ireland")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:CreateBucket","Resource":"*","Condition":{"StringEquals":{"s3:LocationConstraint":"eu-west-1"}}}]}"#)
        .send()
        .await
        .unwrap();
    let limited = s3(&user);
    limited
        .create_bucket()
        .bucket("user-in-ireland")
        .create_bucket_configuration(constraint("eu-west-1"))
        .send()
        .await
        .unwrap();
    for c in [Some("us-west-2"), None] {
        let mut r = limited.create_bucket().bucket("user-elsewhere");
        if let Some(c) = c {
            r = r.create_bucket_configuration(constraint(c));
        }
        assert_eq!(fail(r.send().await), ("AccessDenied".into(), 403), "{c:?}");
    }
}

/// A query string that is not UTF-8 once percent-decoded is refused in
/// S3's words (`InvalidURI`, as for such a path; UNCONFIRMED), never read
/// with U+FFFD in its place; a UTF-8 one is read exactly. The probe's D5.
#[tokio::test]
async fn a_query_string_that_is_not_utf8_is_refused() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("strict").send().await.unwrap();
    put(&c, "strict", "\u{20ac}uro", b"x").await;
    put(&c, "strict", "\u{fffd}", b"x").await;
    let r = s
        .raw_query_signed("s3", "GET", "/strict", "list-type=2&prefix=%FF")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("<Code>InvalidURI</Code>"), "{}", r.body);
    assert!(!r.body.contains("\u{fffd}"), "{}", r.body);
    let r = s
        .raw_query_signed("s3", "GET", "/strict", "list-type=2&prefix=%E2%82%AC")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<Key>\u{20ac}uro</Key>"), "{}", r.body);
    assert!(r.body.contains("<KeyCount>1</KeyCount>"), "{}", r.body);
}

#[tokio::test]
async fn listing_no_keys_is_not_truncated_and_bad_list_arguments_are_invalid() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("listing").send().await.unwrap();
    for key in ["a", "b", "c"] {
        put(&c, "listing", key, b"x").await;
    }

    // max-keys=0: an empty page that says nothing more is to come.
    let v2 = c
        .list_objects_v2()
        .bucket("listing")
        .max_keys(0)
        .send()
        .await
        .unwrap();
    assert_eq!(v2.is_truncated(), Some(false));
    assert_eq!(v2.key_count(), Some(0));
    assert_eq!(v2.max_keys(), Some(0));
    assert_eq!(v2.next_continuation_token(), None);
    assert!(v2.contents().is_empty());
    let v1 = c
        .list_objects()
        .bucket("listing")
        .max_keys(0)
        .send()
        .await
        .unwrap();
    assert_eq!(v1.is_truncated(), Some(false));
    assert!(v1.contents().is_empty());

    // `url` is the only encoding, in both versions.
    for path in [
        "/listing?list-type=2&encoding-type=gzip",
        "/listing?encoding-type=gzip",
        "/listing?list-type=2&encoding-type=",
    ] {
        let r = s.raw_s3("GET", path, None, &[], b"").await;
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert!(
            r.body.contains("<Code>InvalidArgument</Code>"),
            "{path}: {}",
            r.body
        );
        assert!(
            r.body
                .contains("<Message>Invalid Encoding Method specified in Request</Message>"),
            "{path}: {}",
            r.body
        );
        assert!(
            r.body
                .contains("<ArgumentName>encoding-type</ArgumentName>"),
            "{path}: {}",
            r.body
        );
    }
    let r = s
        .raw_s3(
            "GET",
            "/listing?list-type=2&encoding-type=url",
            None,
            &[],
            b"",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("<EncodingType>url</EncodingType>"),
        "{}",
        r.body
    );

    // An empty continuation token is no token S3 gave.
    let r = s
        .raw_s3(
            "GET",
            "/listing?list-type=2&continuation-token=",
            None,
            &[],
            b"",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>InvalidArgument</Code>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<Message>The continuation token provided is incorrect</Message>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<ArgumentName>continuation-token</ArgumentName>"),
        "{}",
        r.body
    );
}

/// Objects' owners in listings: ListObjectsV2 lists them with
/// `fetch-owner=true` only, ListObjects (v1) always, as the same canonical
/// user ID ListBuckets gives the account.
#[tokio::test]
async fn listings_name_owners_with_fetch_owner_and_in_v1() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("owned").send().await.unwrap();
    for key in ["a", "b"] {
        put(&c, "owned", key, b"x").await;
    }
    let account = c.list_buckets().send().await.unwrap();
    let id = account.owner().and_then(|o| o.id()).unwrap().to_owned();
    assert_eq!(id.len(), 64);
    let owners = |contents: &[aws_sdk_s3::types::Object]| -> Vec<Option<String>> {
        contents
            .iter()
            .map(|o| o.owner().and_then(|o| o.id()).map(str::to_owned))
            .collect()
    };

    // v2: no owner unless asked for.
    let plain = c.list_objects_v2().bucket("owned").send().await.unwrap();
    assert_eq!(owners(plain.contents()), [None, None]);
    let not_asked = c
        .list_objects_v2()
        .bucket("owned")
        .fetch_owner(false)
        .send()
        .await
        .unwrap();
    assert_eq!(owners(not_asked.contents()), [None, None]);
    let fetched = c
        .list_objects_v2()
        .bucket("owned")
        .fetch_owner(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        owners(fetched.contents()),
        [Some(id.clone()), Some(id.clone())]
    );
    let r = s
        .raw_s3("GET", "/owned?list-type=2&fetch-owner=true", None, &[], b"")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body
            .matches(&format!("<Owner><ID>{id}</ID></Owner>"))
            .count(),
        2,
        "{}",
        r.body
    );

    // v1: always.
    let v1 = c.list_objects().bucket("owned").send().await.unwrap();
    assert_eq!(owners(v1.contents()), [Some(id.clone()), Some(id)]);
}

/// The owner listings name for an object another account wrote: the bucket
/// owner under `BucketOwnerEnforced` (new buckets' default: ACLs disabled,
/// the bucket owner owns every object), the writer under `ObjectWriter`.
#[tokio::test]
async fn listed_owners_follow_object_ownership() {
    let s = Server::start().await;
    let member = organization_with_root_sessions(&s).await;
    let owner = s3(&admin_role_in(&s, &member).await);
    let outsider = s3(&s.admin());
    let id_of = async |c: &aws_sdk_s3::Client| {
        let l = c.list_buckets().send().await.unwrap();
        l.owner().and_then(|o| o.id()).unwrap().to_owned()
    };
    let (owner_id, outsider_id) = (id_of(&owner).await, id_of(&outsider).await);
    assert_ne!(owner_id, outsider_id);

    owner
        .create_bucket()
        .bucket("enforced")
        .send()
        .await
        .unwrap();
    owner
        .create_bucket()
        .bucket("by-writer")
        .object_ownership(aws_sdk_s3::types::ObjectOwnership::ObjectWriter)
        .send()
        .await
        .unwrap();
    for bucket in ["enforced", "by-writer"] {
        let grant = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/admin"}},"Action":"s3:PutObject","Resource":"arn:aws:s3:::{bucket}/*"}}]}}"#
        );
        owner
            .put_bucket_policy()
            .bucket(bucket)
            .policy(grant)
            .send()
            .await
            .unwrap();
        put(&owner, bucket, "mine", b"x").await;
        put(&outsider, bucket, "theirs", b"x").await;
    }
    let owners = |contents: &[aws_sdk_s3::types::Object]| -> Vec<(String, String)> {
        contents
            .iter()
            .map(|o| {
                (
                    o.key().unwrap().to_owned(),
                    o.owner().and_then(|o| o.id()).unwrap().to_owned(),
                )
            })
            .collect()
    };
    for (bucket, theirs) in [("enforced", &owner_id), ("by-writer", &outsider_id)] {
        let want = [
            ("mine".to_owned(), owner_id.clone()),
            ("theirs".to_owned(), theirs.clone()),
        ];
        let v1 = owner.list_objects().bucket(bucket).send().await.unwrap();
        assert_eq!(owners(v1.contents()), want, "{bucket}");
        let v2 = owner
            .list_objects_v2()
            .bucket(bucket)
            .fetch_owner(true)
            .send()
            .await
            .unwrap();
        assert_eq!(owners(v2.contents()), want, "{bucket}");
    }
}

/// The names of a ListBuckets page, in the order given.
fn bucket_names(page: &aws_sdk_s3::operation::list_buckets::ListBucketsOutput) -> Vec<String> {
    page.buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_owned))
        .collect()
}

/// ListBuckets' own parameters (spec 04 §4.4): buckets in name order,
/// `prefix` filters and is echoed, `max-buckets` pages with a
/// `ContinuationToken` that resumes after the last name returned (the SDK's
/// paginator walks them; a bucket deleted between pages changes nothing),
/// `bucket-region` keeps the buckets of the region called; without any of
/// them the answer is every bucket in one page with neither member.
#[tokio::test]
async fn list_buckets_pages_and_filters_by_prefix_and_region() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    let west = s3(&aws_config::SdkConfig::builder()
        .endpoint_url(&s.url)
        .region(aws_config::Region::new("us-west-2"))
        .credentials_provider(s.admin().credentials_provider().unwrap())
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build());
    for b in ["qa-u-1", "qa-t-2", "other", "qa-t-1", "qa-t-3"] {
        c.create_bucket().bucket(b).send().await.unwrap();
    }
    west.create_bucket()
        .bucket("qa-t-west")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::UsWest2)
                .build(),
        )
        .send()
        .await
        .unwrap();

    // Plain ListBuckets (`aws s3 ls`): everything, one page, as before.
    let all = c.list_buckets().send().await.unwrap();
    assert_eq!(
        bucket_names(&all),
        ["other", "qa-t-1", "qa-t-2", "qa-t-3", "qa-t-west", "qa-u-1"]
    );
    assert_eq!(all.prefix(), None);
    assert_eq!(all.continuation_token(), None);
    let r = s.raw_s3("GET", "/", None, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("<Prefix>"), "{}", r.body);
    assert!(!r.body.contains("<ContinuationToken>"), "{}", r.body);

    // `aws s3api list-buckets --prefix qa-t`.
    let qa_t = c.list_buckets().prefix("qa-t").send().await.unwrap();
    assert_eq!(
        bucket_names(&qa_t),
        ["qa-t-1", "qa-t-2", "qa-t-3", "qa-t-west"]
    );
    assert_eq!(qa_t.prefix(), Some("qa-t"));
    assert_eq!(qa_t.continuation_token(), None);

    // `GET /?max-buckets=2`: two buckets and a token.
    let r = s.raw_s3("GET", "/?max-buckets=2", None, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body.matches("<Bucket>").count(), 2, "{}", r.body);
    assert!(r.body.contains("<ContinuationToken>"), "{}", r.body);

    // Pages resume by name: the last bucket of a page may go meanwhile.
    let p1 = c
        .list_buckets()
        .prefix("qa-")
        .max_buckets(2)
        .send()
        .await
        .unwrap();
    assert_eq!(bucket_names(&p1), ["qa-t-1", "qa-t-2"]);
    let token = p1.continuation_token().unwrap().to_owned();
    c.delete_bucket().bucket("qa-t-2").send().await.unwrap();
    let p2 = c
        .list_buckets()
        .prefix("qa-")
        .max_buckets(2)
        .continuation_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bucket_names(&p2), ["qa-t-3", "qa-t-west"]);
    assert_eq!(p2.prefix(), Some("qa-"));
    let p3 = c
        .list_buckets()
        .prefix("qa-")
        .max_buckets(2)
        .continuation_token(p2.continuation_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(bucket_names(&p3), ["qa-u-1"]);
    assert_eq!(p3.continuation_token(), None);
    // A page that ends with the last bucket says no more follow.
    let exact = c
        .list_buckets()
        .prefix("qa-t")
        .max_buckets(3)
        .send()
        .await
        .unwrap();
    assert_eq!(bucket_names(&exact), ["qa-t-1", "qa-t-3", "qa-t-west"]);
    assert_eq!(exact.continuation_token(), None);

    // The SDK's paginator walks every page.
    let mut pages = c.list_buckets().into_paginator().page_size(2).send();
    let (mut walked, mut count) = (Vec::new(), 0);
    while let Some(page) = pages.next().await {
        walked.extend(bucket_names(&page.unwrap()));
        count += 1;
    }
    assert_eq!(walked, ["other", "qa-t-1", "qa-t-3", "qa-t-west", "qa-u-1"]);
    assert_eq!(count, 3);

    // `bucket-region`: the buckets of the region called, and only there.
    let east = c
        .list_buckets()
        .bucket_region("us-east-1")
        .send()
        .await
        .unwrap();
    assert_eq!(bucket_names(&east), ["other", "qa-t-1", "qa-t-3", "qa-u-1"]);
    let w = west
        .list_buckets()
        .bucket_region("us-west-2")
        .send()
        .await
        .unwrap();
    assert_eq!(bucket_names(&w), ["qa-t-west"]);
    assert_eq!(
        fail(c.list_buckets().bucket_region("us-west-2").send().await),
        ("InvalidArgument".into(), 400)
    );

    // Out of range, not a number, not a token this endpoint gave.
    assert_eq!(
        fail(c.list_buckets().max_buckets(0).send().await),
        ("InvalidArgument".into(), 400)
    );
    for (query, name, message) in [
        (
            "max-buckets=0",
            "max-buckets",
            "Argument max-buckets must be an integer between 1 and 10000",
        ),
        (
            "max-buckets=10001",
            "max-buckets",
            "Argument max-buckets must be an integer between 1 and 10000",
        ),
        (
            "max-buckets=two",
            "max-buckets",
            "Provided max-buckets not an integer or within integer range",
        ),
        (
            "continuation-token=a",
            "continuation-token",
            "The continuation token provided is incorrect",
        ),
        (
            "bucket-region=us-west-2",
            "bucket-region",
            "Requests with bucket-region specified must be made to the corresponding regional endpoint",
        ),
    ] {
        let r = s.raw_s3("GET", &format!("/?{query}"), None, &[], b"").await;
        assert_eq!(r.status, 400, "{query}: {}", r.body);
        assert!(
            r.body.contains("<Code>InvalidArgument</Code>"),
            "{query}: {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("<Message>{message}</Message>")),
            "{query}: {}",
            r.body
        );
        assert!(
            r.body
                .contains(&format!("<ArgumentName>{name}</ArgumentName>")),
            "{query}: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn lock_out_and_rescue_with_s3_unlock_bucket_policy() {
    let s = Server::start().await;
    let member = organization_with_root_sessions(&s).await;
    let admin = s3(&admin_role_in(&s, &member).await);

    admin
        .create_bucket()
        .bucket("locked-bucket")
        .send()
        .await
        .unwrap();
    put(&admin, "locked-bucket", "data.txt", b"precious").await;
    let policy = deny_all("locked-bucket");
    admin
        .put_bucket_policy()
        .bucket("locked-bucket")
        .policy(&policy)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(
            admin
                .get_object()
                .bucket("locked-bucket")
                .key("data.txt")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        fail(
            admin
                .get_bucket_policy()
                .bucket("locked-bucket")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        fail(
            admin
                .delete_bucket_policy()
                .bucket("locked-bucket")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );

    // A root session for another task cannot touch the bucket.
    let audit = s3(&root_session(&s, &s.admin(), &member, AUDIT).await);
    assert_eq!(
        fail(audit.list_buckets().send().await),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        fail(
            audit
                .get_bucket_policy()
                .bucket("locked-bucket")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        fail(
            audit
                .delete_bucket_policy()
                .bucket("locked-bucket")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );

    // The unlock session.
    let unlock = s3(&root_session(&s, &s.admin(), &member, S3_UNLOCK).await);
    let names: Vec<String> = unlock
        .list_buckets()
        .send()
        .await
        .unwrap()
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_owned))
        .collect();
    assert_eq!(names, ["locked-bucket"]);
    let got = unlock
        .get_bucket_policy()
        .bucket("locked-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(got.policy(), Some(policy.as_str()));
    assert_eq!(
        fail(
            unlock
                .get_object()
                .bucket("locked-bucket")
                .key("data.txt")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    assert_eq!(
        fail(
            unlock
                .list_objects_v2()
                .bucket("locked-bucket")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    unlock
        .delete_bucket_policy()
        .bucket("locked-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(
            unlock
                .get_bucket_policy()
                .bucket("locked-bucket")
                .send()
                .await
        ),
        ("NoSuchBucketPolicy".into(), 404)
    );
    assert_eq!(
        fail(
            unlock
                .get_object()
                .bucket("locked-bucket")
                .key("data.txt")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );

    // The administrators are back in.
    assert_eq!(read(&admin, "locked-bucket", "data.txt").await, b"precious");
    // And the unlock session may also put a policy back (owner-root exception).
    unlock
        .put_bucket_policy()
        .bucket("locked-bucket")
        .policy(&policy)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(
            admin
                .get_object()
                .bucket("locked-bucket")
                .key("data.txt")
                .send()
                .await
        )
        .0,
        "AccessDenied"
    );
}

#[tokio::test]
async fn bucket_policies_grant_cross_account_reads_with_conditions() {
    let s = Server::start().await;
    let member = organization_with_root_sessions(&s).await;
    let owner = s3(&admin_role_in(&s, &member).await);
    // The management account's admin user: AdministratorAccess at home.
    let outsider = s3(&s.admin());

    owner
        .create_bucket()
        .bucket("shared-data")
        .send()
        .await
        .unwrap();
    put(&owner, "shared-data", "report.csv", b"a,b\n1,2\n").await;
    assert_eq!(
        fail(
            outsider
                .get_object()
                .bucket("shared-data")
                .key("report.csv")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    // HeadBucket's 403 still names the bucket's region, as S3's does
    // (clients find a bucket's region with it).
    let head = outsider
        .head_bucket()
        .bucket("shared-data")
        .send()
        .await
        .unwrap_err();
    let raw = head.raw_response().unwrap();
    assert_eq!(raw.status().as_u16(), 403);
    assert_eq!(raw.headers().get("x-amz-bucket-region"), Some("us-east-1"));
    // A bucket that does not exist names no region.
    let none = outsider
        .head_bucket()
        .bucket("no-such-bucket-here")
        .send()
        .await
        .unwrap_err();
    let raw = none.raw_response().unwrap();
    assert_eq!(raw.status().as_u16(), 404);
    assert_eq!(raw.headers().get("x-amz-bucket-region"), None);
    // Not the outsider's bucket: not listed.
    assert!(
        outsider
            .list_buckets()
            .send()
            .await
            .unwrap()
            .buckets()
            .is_empty()
    );

    let grant = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ReadFromManagement","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/admin"}},"Action":["s3:GetObject","s3:GetBucketPolicy"],"Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*"]}}]}}"#
    );
    owner
        .put_bucket_policy()
        .bucket("shared-data")
        .policy(&grant)
        .send()
        .await
        .unwrap();
    assert_eq!(
        read(&outsider, "shared-data", "report.csv").await,
        b"a,b\n1,2\n"
    );
    // Only the owner account's identities manage the policy: allowed → 405.
    assert_eq!(
        fail(
            outsider
                .get_bucket_policy()
                .bucket("shared-data")
                .send()
                .await
        ),
        ("MethodNotAllowed".into(), 405)
    );
    // Not allowed → 403.
    assert_eq!(
        fail(
            outsider
                .delete_bucket_policy()
                .bucket("shared-data")
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    // Writes were not granted.
    assert_eq!(
        fail(
            outsider
                .put_object()
                .bucket("shared-data")
                .key("x")
                .body(ByteStream::from_static(b"x"))
                .send()
                .await
        )
        .0,
        "AccessDenied"
    );
    let status = owner
        .get_bucket_policy_status()
        .bucket("shared-data")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status.policy_status().and_then(|p| p.is_public()),
        Some(false)
    );

    // aws:SourceIp: requests come from 127.0.0.1.
    let only_from = |cidr: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-data/*","Condition":{{"NotIpAddress":{{"aws:SourceIp":"{cidr}"}}}}}}]}}"#
        )
    };
    owner
        .put_bucket_policy()
        .bucket("shared-data")
        .policy(only_from("10.0.0.0/8"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(
            owner
                .get_object()
                .bucket("shared-data")
                .key("report.csv")
                .send()
                .await
        )
        .0,
        "AccessDenied"
    );
    owner
        .put_bucket_policy()
        .bucket("shared-data")
        .policy(only_from("127.0.0.0/8"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        read(&owner, "shared-data", "report.csv").await,
        b"a,b\n1,2\n"
    );

    // Malformed policies.
    for bad in [
        "not json".to_owned(),
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}]}"#.to_owned(),
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"iam:ListUsers","Resource":"arn:aws:s3:::shared-data"}]}"#.to_owned(),
        r#"{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-data/*"}]}"#.to_owned(),
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-data"}]}"#.to_owned(),
        format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/ghost"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared-data/*"}}]}}"#),
    ] {
        let e = owner
            .put_bucket_policy()
            .bucket("shared-data")
            .policy(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("MalformedPolicy"));
        assert!(!e.message().unwrap_or_default().is_empty());
    }
    // The name is taken for everyone else.
    assert_eq!(
        fail(outsider.create_bucket().bucket("shared-data").send().await),
        ("BucketAlreadyExists".into(), 409)
    );
}

#[tokio::test]
async fn buckets_objects_and_policies_survive_a_restart() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("durable").send().await.unwrap();
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    put(&c, "durable", "k/one", &data).await;
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::durable/*"}]}"#;
    c.put_bucket_policy()
        .bucket("durable")
        .policy(policy)
        .send()
        .await
        .unwrap();

    let again = s.reopen().await;
    let c2 = s3(&again.admin());
    assert_eq!(read(&c2, "durable", "k/one").await, data);
    let p = c2
        .get_bucket_policy()
        .bucket("durable")
        .send()
        .await
        .unwrap();
    assert_eq!(p.policy(), Some(policy));
    // The reloaded policy is enforced.
    assert_eq!(
        fail(
            c2.delete_object()
                .bucket("durable")
                .key("k/one")
                .send()
                .await
        )
        .0,
        "AccessDenied"
    );
    let l = c2.list_objects_v2().bucket("durable").send().await.unwrap();
    assert_eq!(l.contents()[0].size(), Some(100_000));
}

#[tokio::test]
async fn presigned_get_urls() {
    use aws_sdk_s3::presigning::PresigningConfig;
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("shared").send().await.unwrap();
    put(&c, "shared", "file name.txt", b"presigned!").await;
    let p = c
        .get_object()
        .bucket("shared")
        .key("file name.txt")
        .presigned(PresigningConfig::expires_in(std::time::Duration::from_secs(300)).unwrap())
        .await
        .unwrap();
    let uri = p.uri().to_owned();
    let path = uri.strip_prefix(&s.url).unwrap();
    let r = s.raw_send("GET", path, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, "presigned!");
    // Tampered: another key with the same signature.
    let r = s
        .raw_send("GET", &path.replace("file%20name", "other"), &[], b"")
        .await;
    assert_eq!(r.status, 403);
    assert!(
        r.body.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn raw_http_addressing_payload_hashes_and_error_documents() {
    let s = Server::start().await;
    let port = s.url.rsplit(':').next().unwrap().to_owned();
    let vhost = format!("vhost-bucket.localhost:{port}");

    // Virtual-hosted style, both for the bucket and its objects.
    let r = s.raw_s3("PUT", "/", Some(&vhost), &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("x-amz-request-id").is_some());
    assert!(r.header("x-amz-id-2").is_some());
    let r = s
        .raw_s3("PUT", "/notes/today.txt", Some(&vhost), &[], b"virtual")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s
        .raw_s3("GET", "/vhost-bucket/notes/today.txt", None, &[], b"")
        .await;
    assert_eq!((r.status, r.body.as_str()), (200, "virtual"));
    let aws_host = "vhost-bucket.s3.us-east-1.amazonaws.com";
    let r = s
        .raw_s3(
            "GET",
            "/?list-type=2&prefix=notes%2F",
            Some(aws_host),
            &[],
            b"",
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<Key>notes/today.txt</Key>"), "{}", r.body);
    assert!(
        r.body
            .contains("xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"")
    );

    // The error document.
    let r = s
        .raw_s3("GET", "/vhost-bucket/missing", None, &[], b"")
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/xml"));
    for part in [
        "<Error><Code>NoSuchKey</Code>",
        "<Message>The specified key does not exist.</Message>",
        "<Key>missing</Key>",
        "<Resource>/vhost-bucket/missing</Resource>",
        "<RequestId>",
        "<HostId>",
    ] {
        assert!(r.body.contains(part), "{part} in {}", r.body);
    }
    assert_eq!(r.header("x-amz-request-id").map(str::len), Some(36));
    let r = s
        .raw_s3("GET", "/no-such-bucket-here?policy", None, &[], b"")
        .await;
    assert_eq!(r.status, 404);
    assert!(
        r.body
            .contains("<BucketName>no-such-bucket-here</BucketName>")
    );
    // HEAD errors carry no body.
    let r = s
        .raw_s3("HEAD", "/vhost-bucket/missing", None, &[], b"")
        .await;
    assert_eq!((r.status, r.body.as_str()), (404, ""));
    // Policy writes answer 204; the text comes back exactly.
    let policy = r#"{ "Statement": [ {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::vhost-bucket/locked/*"} ] }"#;
    let r = s
        .raw_s3("PUT", "/vhost-bucket?policy", None, &[], policy.as_bytes())
        .await;
    assert_eq!((r.status, r.body.as_str()), (204, ""));
    let r = s.raw_s3("GET", "/?policy", Some(&vhost), &[], b"").await;
    assert_eq!((r.status, r.body.as_str()), (200, policy));
    let r = s
        .raw_s3("DELETE", "/vhost-bucket?policy", None, &[], b"")
        .await;
    assert_eq!(r.status, 204);
    let r = s
        .raw_s3("PUT", "/vhost-bucket?policy", None, &[], b"[]")
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("<Code>MalformedPolicy</Code>"),
        "{}",
        r.body
    );
    // Not implemented sub-resources.
    let r = s
        .raw_s3("GET", "/vhost-bucket?lifecycle", None, &[], b"")
        .await;
    assert_eq!(r.status, 501);
    // Bucket configuration sub-resources are served on buckets, not objects.
    let r = s
        .raw_s3("GET", "/vhost-bucket/k?tagging", None, &[], b"")
        .await;
    assert_eq!(r.status, 501);

    // Payload hashes: a wrong hex hash, UNSIGNED-PAYLOAD.
    let wrong = "0".repeat(64);
    let r = s
        .raw_s3(
            "PUT",
            "/vhost-bucket/k",
            None,
            &[("x-amz-content-sha256", &wrong)],
            b"data",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("<Code>XAmzContentSHA256Mismatch</Code>"),
        "{}",
        r.body
    );
    let r = s
        .raw_s3(
            "PUT",
            "/vhost-bucket/unsigned",
            None,
            &[("x-amz-content-sha256", "UNSIGNED-PAYLOAD")],
            b"unsigned body",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s
        .raw_s3("GET", "/vhost-bucket/unsigned", None, &[], b"")
        .await;
    assert_eq!(r.body, "unsigned body");

    // STREAMING-UNSIGNED-PAYLOAD-TRAILER (what SDKs send over TLS): aws-chunked
    // framing, the checksum in the trailer, checked.
    for (crc, status) in [("NhCmhg==", 200), ("AAAAAA==", 400)] {
        let body = format!("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n");
        let r = s
            .raw_s3(
                "PUT",
                "/vhost-bucket/trailer",
                None,
                &[
                    ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                    ("content-encoding", "aws-chunked"),
                    ("x-amz-decoded-content-length", "5"),
                    ("x-amz-trailer", "x-amz-checksum-crc32"),
                ],
                body.as_bytes(),
            )
            .await;
        assert_eq!(r.status, status, "{}", r.body);
        if status == 400 {
            assert!(r.body.contains("<Code>BadDigest</Code>"), "{}", r.body);
        }
    }
    let r = s
        .raw_s3("GET", "/vhost-bucket/trailer", None, &[], b"")
        .await;
    assert_eq!((r.status, r.body.as_str()), (200, "hello"));
    assert_eq!(r.header("content-encoding"), None);

    // Unsigned requests: S3-shaped AccessDenied, never anonymous access.
    for (m, p) in [
        ("GET", "/vhost-bucket/unsigned"),
        ("GET", "/"),
        ("PUT", "/anon-bucket"),
    ] {
        let r = s.raw_send(m, p, &[], b"").await;
        assert_eq!(r.status, 403, "{m} {p}");
        assert!(r.body.contains("<Code>AccessDenied</Code>"), "{}", r.body);
        assert!(r.header("x-amz-request-id").is_some());
    }
    // A request time far from the server's clock.
    let r = s
        .raw_send(
            "GET",
            "/vhost-bucket",
            &[
                ("x-amz-content-sha256".into(), "UNSIGNED-PAYLOAD".into()),
                ("x-amz-date".into(), "20200101T000000Z".into()),
                ("authorization".into(), format!("AWS4-HMAC-SHA256 Credential={}/20200101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={}", crate::common::ADMIN_KEY, "0".repeat(64))),
            ],
            b"",
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(
        r.body.contains("<Code>RequestTimeTooSkewed</Code>"),
        "{}",
        r.body
    );
    // A wrong key id.
    let r = s
        .raw_send(
            "GET",
            "/vhost-bucket",
            &[
                ("x-amz-content-sha256".into(), "UNSIGNED-PAYLOAD".into()),
                ("x-amz-date".into(), "20260101T000000Z".into()),
                ("authorization".into(), "AWS4-HMAC-SHA256 Credential=AKIANOSUCHKEY0000000/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000".into()),
            ],
            b"",
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(
        r.body.contains("<Code>InvalidAccessKeyId</Code>"),
        "{}",
        r.body
    );
    // Signature Version 2, in a header or a presigned URL (boto3's default
    // for some presigned URLs): S3's answer where it takes SigV4 only.
    let v2 = format!(
        "/vhost-bucket/k?AWSAccessKeyId={}&Expires=4102444800&Signature=abc%3D",
        crate::common::ADMIN_KEY
    );
    let header = format!("AWS {}:abc=", crate::common::ADMIN_KEY);
    for r in [
        s.raw_send("GET", &v2, &[], b"").await,
        s.raw_send(
            "GET",
            "/vhost-bucket/k",
            &[
                ("date".into(), "Mon, 07 Dec 2026 00:00:00 GMT".into()),
                ("authorization".into(), header.clone()),
            ],
            b"",
        )
        .await,
    ] {
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(
            r.body.contains("<Code>InvalidRequest</Code>")
                && r.body.contains("Please use AWS4-HMAC-SHA256."),
            "{}",
            r.body
        );
    }
}

/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: every chunk signed from the seed
/// signature (what SDKs with payload signing send for streaming bodies).
/// Every chunk but the last carrying data is at least 8 KiB: a smaller one
/// followed by more is `InvalidChunkSizeError` (the probe's D8).
#[tokio::test]
async fn signed_aws_chunked_uploads() {
    use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
    use sha2::Digest;

    let s = Server::start().await;
    s3(&s.admin())
        .create_bucket()
        .bucket("chunky")
        .send()
        .await
        .unwrap();
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 13) as u8 + b'a').collect();
    let sha = |b: &[u8]| hex::encode(sha2::Sha256::digest(b));
    // (tamper, size of the first chunk; the rest in 64 KiB chunks).
    for (tamper, first) in [(false, 65536), (true, 65536), (false, 100), (false, 8192)] {
        let now = std::time::SystemTime::now();
        let amz_date = {
            let t: time::OffsetDateTime = now.into();
            format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        };
        let marker = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
        let (head, tail) = data.split_at(first);
        let chunks: Vec<&[u8]> = std::iter::once(head)
            .chain(tail.chunks(65536))
            .chain(std::iter::once(&[][..]))
            .collect();
        let encoded_len: usize = chunks
            .iter()
            .map(|c| {
                format!("{:x};chunk-signature={}\r\n", c.len(), "0".repeat(64)).len() + c.len() + 2
            })
            .sum();
        let decoded = data.len().to_string();
        // The seed signature, as the SDK signer computes it.
        let seed = {
            use aws_sigv4::http_request::{
                PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
                UriPathNormalizationMode, sign,
            };
            let identity = aws_credential_types::Credentials::new(
                crate::common::ADMIN_KEY,
                crate::common::ADMIN_SECRET,
                None,
                None,
                "raw",
            )
            .into();
            let mut settings = SigningSettings::default();
            settings.percent_encoding_mode = PercentEncodingMode::Single;
            settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("s3")
                .time(now)
                .settings(settings)
                .build()
                .unwrap()
                .into();
            let host = s.url.trim_start_matches("http://").to_owned();
            let headers = [
                ("host", host.as_str()),
                ("x-amz-content-sha256", marker),
                ("x-amz-decoded-content-length", decoded.as_str()),
                ("content-encoding", "aws-chunked"),
            ];
            let req = SignableRequest::new(
                "PUT",
                format!("{}/chunky/big", s.url),
                headers.iter().copied(),
                SignableBody::Precomputed(marker.into()),
            )
            .unwrap();
            let (instructions, signature) = sign(req, &params).unwrap().into_parts();
            let mut sent: Vec<(String, String)> = headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            for (k, v) in instructions.headers() {
                sent.push((k.to_owned(), v.to_owned()));
            }
            (sent, signature)
        };
        let (headers, seed_signature) = seed;
        assert!(
            headers
                .iter()
                .any(|(k, v)| k == "x-amz-date" && *v == amz_date)
        );
        let key = generate_signing_key(crate::common::ADMIN_SECRET, now, "us-east-1", "s3");
        let scope = format!("{}/us-east-1/s3/aws4_request", &amz_date[..8]);
        let mut previous = seed_signature;
        let mut body = Vec::new();
        for c in &chunks {
            let sts = format!(
                "AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{scope}\n{previous}\n{}\n{}",
                sha(b""),
                sha(c)
            );
            let sig = calculate_signature(key.as_ref(), sts.as_bytes());
            body.extend_from_slice(format!("{:x};chunk-signature={sig}\r\n", c.len()).as_bytes());
            let mut c = c.to_vec();
            if tamper && !c.is_empty() {
                c[0] ^= 1;
            }
            body.extend_from_slice(&c);
            body.extend_from_slice(b"\r\n");
            previous = sig;
        }
        assert_eq!(body.len(), encoded_len);
        let r = s.raw_send("PUT", "/chunky/big", &headers, &body).await;
        if tamper {
            assert_eq!(r.status, 403, "{}", r.body);
            assert!(r.body.contains("SignatureDoesNotMatch"));
        } else if first < 8192 {
            assert_eq!(r.status, 403, "{}", r.body);
            assert!(
                r.body.contains("<Code>InvalidChunkSizeError</Code>"),
                "{}",
                r.body
            );
        } else {
            assert_eq!(r.status, 200, "{}", r.body);
            let got = read(&s3(&s.admin()), "chunky", "big").await;
            assert_eq!(got, data);
        }
    }
}

#[tokio::test]
async fn multipart_uploads() {
    use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("parts").send().await.unwrap();
    let p1: Vec<u8> = (0..5 * 1024 * 1024u32).map(|i| (i % 7) as u8).collect();
    let p2 = b"tail of the object".to_vec();
    let up = c
        .create_multipart_upload()
        .bucket("parts")
        .key("big.bin")
        .content_type("application/x-test")
        .send()
        .await
        .unwrap();
    let id = up.upload_id().unwrap().to_owned();
    let mut done = Vec::new();
    for (n, data) in [(1, &p1), (2, &p2)] {
        let r = c
            .upload_part()
            .bucket("parts")
            .key("big.bin")
            .upload_id(&id)
            .part_number(n)
            .body(ByteStream::from(data.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.e_tag(), Some(format!("\"{}\"", md5_hex(data)).as_str()));
        done.push(
            CompletedPart::builder()
                .part_number(n)
                .e_tag(r.e_tag().unwrap())
                .build(),
        );
    }
    // Wrong order, wrong ETag.
    let reversed: Vec<_> = done.iter().rev().cloned().collect();
    assert_eq!(
        fail(
            c.complete_multipart_upload()
                .bucket("parts")
                .key("big.bin")
                .upload_id(&id)
                .multipart_upload(
                    CompletedMultipartUpload::builder()
                        .set_parts(Some(reversed))
                        .build()
                )
                .send()
                .await
        ),
        ("InvalidPartOrder".into(), 400)
    );
    let wrong = vec![
        CompletedPart::builder()
            .part_number(1)
            .e_tag("\"0000\"")
            .build(),
    ];
    assert_eq!(
        fail(
            c.complete_multipart_upload()
                .bucket("parts")
                .key("big.bin")
                .upload_id(&id)
                .multipart_upload(
                    CompletedMultipartUpload::builder()
                        .set_parts(Some(wrong))
                        .build()
                )
                .send()
                .await
        ),
        ("InvalidPart".into(), 400)
    );
    let out = c
        .complete_multipart_upload()
        .bucket("parts")
        .key("big.bin")
        .upload_id(&id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(done))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let md5s: Vec<u8> = [&p1, &p2]
        .iter()
        .flat_map(|d| {
            use md5::Digest;
            md5::Md5::digest(d).to_vec()
        })
        .collect();
    assert_eq!(
        out.e_tag(),
        Some(format!("\"{}-2\"", md5_hex(&md5s)).as_str())
    );
    let mut whole = p1.clone();
    whole.extend_from_slice(&p2);
    assert_eq!(read(&c, "parts", "big.bin").await, whole);
    let h = c
        .head_object()
        .bucket("parts")
        .key("big.bin")
        .send()
        .await
        .unwrap();
    assert_eq!(h.content_type(), Some("application/x-test"));
    // The upload is gone.
    assert_eq!(
        fail(
            c.upload_part()
                .bucket("parts")
                .key("big.bin")
                .upload_id(&id)
                .part_number(3)
                .body(ByteStream::from_static(b"x"))
                .send()
                .await
        ),
        ("NoSuchUpload".into(), 404)
    );
    // Abort; a small non-last part is refused at completion.
    let id = c
        .create_multipart_upload()
        .bucket("parts")
        .key("small")
        .send()
        .await
        .unwrap()
        .upload_id()
        .unwrap()
        .to_owned();
    let mut small = Vec::new();
    for n in [1, 2] {
        let r = c
            .upload_part()
            .bucket("parts")
            .key("small")
            .upload_id(&id)
            .part_number(n)
            .body(ByteStream::from_static(b"tiny"))
            .send()
            .await
            .unwrap();
        small.push(
            CompletedPart::builder()
                .part_number(n)
                .e_tag(r.e_tag().unwrap())
                .build(),
        );
    }
    assert_eq!(
        fail(
            c.complete_multipart_upload()
                .bucket("parts")
                .key("small")
                .upload_id(&id)
                .multipart_upload(
                    CompletedMultipartUpload::builder()
                        .set_parts(Some(small))
                        .build()
                )
                .send()
                .await
        ),
        ("EntityTooSmall".into(), 400)
    );
    c.abort_multipart_upload()
        .bucket("parts")
        .key("small")
        .upload_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(
            c.abort_multipart_upload()
                .bucket("parts")
                .key("small")
                .upload_id(&id)
                .send()
                .await
        ),
        ("NoSuchUpload".into(), 404)
    );
}

/// S3 routes a `POST` by its resource: on an object or the service with no
/// operation named it is `405 MethodNotAllowed` (naming the method and the
/// resource type); on a bucket it is PostObject, the browser-form upload,
/// whatever the query (`?uploads` too: multipart uploads take a key), so a
/// body that is not a form is `412 PreconditionFailed` and a form, not
/// served here, `501 NotImplemented`.
#[tokio::test]
async fn posts_naming_no_operation_are_answered_as_s3_answers_them() {
    let s = Server::start().await;
    let r = s.raw_s3("PUT", "/posted", None, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);

    for (path, resource_type) in [
        ("/posted/key", "OBJECT"),
        ("/posted/key?colour=red", "OBJECT"),
        ("/", "SERVICE"),
    ] {
        let r = s.raw_s3("POST", path, None, &[], b"").await;
        assert_eq!(r.status, 405, "{path}: {}", r.body);
        for part in [
            "<Error><Code>MethodNotAllowed</Code>",
            "<Message>The specified method is not allowed against this resource.</Message>",
            "<Method>POST</Method>",
            &format!("<ResourceType>{resource_type}</ResourceType>"),
        ] {
            assert!(r.body.contains(part), "{path}: {part} in {}", r.body);
        }
    }

    for path in ["/posted?uploads", "/posted"] {
        let r = s
            .raw_s3(
                "POST",
                path,
                None,
                &[("content-type", "application/xml")],
                b"",
            )
            .await;
        assert_eq!(r.status, 412, "{path}: {}", r.body);
        for part in [
            "<Error><Code>PreconditionFailed</Code>",
            "<Message>At least one of the pre-conditions you specified did not hold</Message>",
            "<Condition>Bucket POST must be of the enclosure-type multipart/form-data</Condition>",
            "<Resource>/posted</Resource>",
        ] {
            assert!(r.body.contains(part), "{path}: {part} in {}", r.body);
        }
    }
    let r = s
        .raw_s3(
            "POST",
            "/posted",
            None,
            &[("content-type", "multipart/form-data; boundary=x")],
            b"--x--\r\n",
        )
        .await;
    assert_eq!(r.status, 501, "{}", r.body);
    assert!(r.body.contains("<Code>NotImplemented</Code>"), "{}", r.body);

    // The multipart calls themselves still route on the object.
    let r = s
        .raw_s3("POST", "/posted/key?uploads", None, &[], b"")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<UploadId>"), "{}", r.body);
}
