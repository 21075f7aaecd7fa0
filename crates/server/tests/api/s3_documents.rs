//! The XML documents S3 reads (issue 12 item 9): DeleteObjects, CreateBucket
//! and CompleteMultipartUpload bodies are checked against their schema, and
//! anything else is `MalformedXML` (400) with nothing done, through raw
//! requests signed by `aws-sigv4` and through aws-sdk-s3 where it will send
//! the document.

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CompletedMultipartUpload, CompletedPart, CreateBucketConfiguration,
    Delete, ObjectIdentifier,
};

use crate::common::Server;
use crate::common::s3::{fail, s3};

fn assert_malformed(r: &crate::common::RawResponse, what: &str) {
    assert_eq!(r.status, 400, "{what}: {}", r.body);
    assert!(
        r.body.contains("<Code>MalformedXML</Code>"),
        "{what}: {}",
        r.body
    );
}

const NOT_DELETE: &[(&str, &[u8])] = &[
    ("an empty body", b""),
    ("a stray element", b"<a>"),
    ("an empty stray element", b"<a/>"),
    ("invalid UTF-8", b"<Delete><Object><Key>\xff\xfe</Key></Object></Delete>"),
    ("garbage", b"\x00\x01garbage{}"),
    (
        "another operation's root",
        b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
    ),
    ("an empty Key", b"<Delete><Object><Key></Key></Object></Delete>"),
    ("no Object", b"<Delete><Quiet>true</Quiet></Delete>"),
    ("an Object without Key", b"<Delete><Object/></Delete>"),
    (
        "an unknown member",
        b"<Delete><Object><Key>keep</Key></Object><Extra/></Delete>",
    ),
    (
        "an unfinished document",
        b"<Delete><Object><Key>keep</Key></Object>",
    ),
    (
        "a DTD",
        b"<!DOCTYPE Delete [<!ENTITY k \"keep\">]><Delete><Object><Key>&k;</Key></Object></Delete>",
    ),
];

#[tokio::test]
async fn delete_objects_with_a_body_that_is_not_a_delete_document_is_malformed_xml_and_deletes_nothing()
 {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("strict").send().await.unwrap();
    c.put_object()
        .bucket("strict")
        .key("keep")
        .body(ByteStream::from_static(b"kept"))
        .send()
        .await
        .unwrap();
    for (what, body) in NOT_DELETE {
        let r = s.raw_s3("POST", "/strict?delete", None, &[], body).await;
        assert_malformed(&r, what);
    }
    let listed = c.list_objects_v2().bucket("strict").send().await.unwrap();
    assert_eq!(listed.key_count(), Some(1));
    // A valid document still works, raw and namespaced.
    let r = s
        .raw_s3(
            "POST",
            "/strict?delete",
            None,
            &[],
            br#"<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>keep</Key></Object></Delete>"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("<Deleted><Key>keep</Key></Deleted>"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn delete_objects_through_the_sdk_with_an_empty_key_or_no_object_is_malformed_xml() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("sdk-strict").send().await.unwrap();
    c.put_object()
        .bucket("sdk-strict")
        .key("keep")
        .body(ByteStream::from_static(b"kept"))
        .send()
        .await
        .unwrap();
    let empty_key = Delete::builder()
        .objects(ObjectIdentifier::builder().key("").build().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        fail(
            c.delete_objects()
                .bucket("sdk-strict")
                .delete(empty_key)
                .send()
                .await
        ),
        ("MalformedXML".into(), 400)
    );
    let none = Delete::builder().set_objects(Some(vec![])).build().unwrap();
    assert_eq!(
        fail(
            c.delete_objects()
                .bucket("sdk-strict")
                .delete(none)
                .send()
                .await
        ),
        ("MalformedXML".into(), 400)
    );
    let too_many: Vec<ObjectIdentifier> = (0..1001)
        .map(|i| {
            ObjectIdentifier::builder()
                .key(format!("k{i}"))
                .build()
                .unwrap()
        })
        .collect();
    assert_eq!(
        fail(
            c.delete_objects()
                .bucket("sdk-strict")
                .delete(
                    Delete::builder()
                        .set_objects(Some(too_many))
                        .build()
                        .unwrap()
                )
                .send()
                .await
        ),
        ("MalformedXML".into(), 400)
    );
    let listed = c
        .list_objects_v2()
        .bucket("sdk-strict")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.key_count(), Some(1));
}

#[tokio::test]
async fn create_bucket_with_a_body_that_is_not_a_configuration_is_malformed_xml_and_creates_nothing()
 {
    let s = Server::start().await;
    let c = s3(&s.admin());
    for (what, body) in [
        ("a stray element", &b"<a>"[..]),
        ("an empty stray element", b"<a/>"),
        ("invalid UTF-8", b"\xff\xfe\xfd"),
        ("garbage", b"not xml at all"),
        (
            "another operation's root",
            b"<Delete><Object><Key>k</Key></Object></Delete>",
        ),
        (
            "an unknown member",
            b"<CreateBucketConfiguration><Region>eu-west-1</Region></CreateBucketConfiguration>",
        ),
    ] {
        let r = s.raw_s3("PUT", "/newbucket", None, &[], body).await;
        assert_malformed(&r, what);
        assert_eq!(
            fail(c.head_bucket().bucket("newbucket").send().await).1,
            404,
            "{what}: the bucket was created"
        );
    }
    // The configuration is optional: an empty body creates the bucket.
    let r = s.raw_s3("PUT", "/newbucket", None, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    // A valid one is read: signed for us-east-1, its constraint is the
    // bucket's region.
    c.create_bucket()
        .bucket("in-ireland")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let head = c.head_bucket().bucket("in-ireland").send().await.unwrap();
    assert_eq!(head.bucket_region(), Some("eu-west-1"));
}

#[tokio::test]
async fn create_bucket_naming_us_east_1_as_its_constraint_is_an_invalid_location_constraint() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    // us-east-1 is said by sending no configuration; naming it is refused
    // even on the us-east-1 endpoint, and no bucket is made.
    let e = c
        .create_bucket()
        .bucket("virginia")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from("us-east-1"))
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert_eq!(e.code(), Some("InvalidLocationConstraint"));
    assert_eq!(
        e.message(),
        Some("The specified location-constraint is not valid")
    );
    assert_eq!(fail(c.head_bucket().bucket("virginia").send().await).1, 404);
    // The same bucket without a configuration is in us-east-1.
    c.create_bucket().bucket("virginia").send().await.unwrap();
    let head = c.head_bucket().bucket("virginia").send().await.unwrap();
    assert_eq!(head.bucket_region(), Some("us-east-1"));
}

#[tokio::test]
async fn complete_multipart_upload_with_a_body_that_is_not_a_part_list_is_malformed_xml() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("mpu-strict").send().await.unwrap();
    let id = c
        .create_multipart_upload()
        .bucket("mpu-strict")
        .key("obj")
        .send()
        .await
        .unwrap()
        .upload_id()
        .unwrap()
        .to_owned();
    let part = c
        .upload_part()
        .bucket("mpu-strict")
        .key("obj")
        .upload_id(&id)
        .part_number(1)
        .body(ByteStream::from_static(b"only part"))
        .send()
        .await
        .unwrap();
    let etag = part.e_tag().unwrap().to_owned();
    let path = format!("/mpu-strict/obj?uploadId={id}");
    for (what, body) in [
        ("an empty body", String::new()),
        ("a stray element", "<a>".to_owned()),
        ("no part", "<CompleteMultipartUpload/>".to_owned()),
        (
            "another operation's root",
            "<Delete><Object><Key>obj</Key></Object></Delete>".to_owned(),
        ),
        (
            "a part without ETag",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>"
                .to_owned(),
        ),
        (
            "a part number that is not a number",
            format!(
                "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>"
            ),
        ),
    ] {
        let r = s.raw_s3("POST", &path, None, &[], body.as_bytes()).await;
        assert_malformed(&r, what);
    }
    assert_eq!(
        fail(
            c.complete_multipart_upload()
                .bucket("mpu-strict")
                .key("obj")
                .upload_id(&id)
                .multipart_upload(CompletedMultipartUpload::builder().build())
                .send()
                .await
        ),
        ("MalformedXML".into(), 400)
    );
    // The upload is intact: completing it properly works.
    c.complete_multipart_upload()
        .bucket("mpu-strict")
        .key("obj")
        .upload_id(&id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .parts(CompletedPart::builder().part_number(1).e_tag(etag).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// The bucket configuration documents are read through the same strict
/// reader, then their members: broken XML or a repeated member is
/// `MalformedXML` and changes nothing; members S3 does not need are
/// ignored; an empty tag value is a value.
#[tokio::test]
async fn configuration_documents_are_read_strictly_and_keep_empty_values() {
    let s = Server::start().await;
    let r = s.raw_s3("PUT", "/configured", None, &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    for (what, body) in [
        (
            "a DTD",
            &b"<!DOCTYPE t [<!ENTITY x \"y\">]><Tagging><TagSet><Tag><Key>k</Key><Value>&x;</Value></Tag></TagSet></Tagging>"[..],
        ),
        (
            "mixed content",
            b"<Tagging>text<TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>",
        ),
        ("another root", b"<TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet>"),
        (
            "a repeated Key",
            b"<Tagging><TagSet><Tag><Key>k</Key><Key>l</Key><Value>v</Value></Tag></TagSet></Tagging>",
        ),
        (
            "a Tag without Value",
            b"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>",
        ),
    ] {
        let r = s.raw_s3("PUT", "/configured?tagging", None, &[], body).await;
        assert_malformed(&r, what);
    }
    let r = s.raw_s3("GET", "/configured?tagging", None, &[], b"").await;
    assert_eq!(r.status, 404, "no tags were set: {}", r.body);

    let body = br#"<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>empty</Key><Value/></Tag><Tag><Key>team</Key><Value>a&amp;b</Value><Colour>red</Colour></Tag></TagSet></Tagging>"#;
    let r = s
        .raw_s3("PUT", "/configured?tagging", None, &[], body)
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let tags = s3(&s.admin())
        .get_bucket_tagging()
        .bucket("configured")
        .send()
        .await
        .unwrap();
    let got: Vec<_> = tags
        .tag_set()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(got, vec![("empty", ""), ("team", "a&b")]);

    let r = s
        .raw_s3(
            "PUT",
            "/configured?versioning",
            None,
            &[],
            b"<VersioningConfiguration><Status>Enabled</Status><Status>Suspended</Status></VersioningConfiguration>",
        )
        .await;
    assert_malformed(&r, "a repeated Status");
}
