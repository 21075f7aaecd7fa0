//! S3 checksums through the AWS SDK for Rust and raw signed HTTP (issue 14
//! §4): every algorithm verified in the header and the aws-chunked trailer
//! form, the stored checksum returned on reads with
//! `x-amz-checksum-mode: ENABLED` so that the SDK validates the download
//! (and fails when it does not match), multipart checksums.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ChecksumAlgorithm, ChecksumMode, ChecksumType};
use rootward_core::model::Record;
use rootward_core::s3::checksum::Algorithm;

use crate::common::Server;
use crate::common::s3::{fail, s3};

#[tokio::test]
async fn every_algorithm_is_verified_stored_and_returned_on_reads() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("sums").send().await.unwrap();
    let body = b"the quick brown fox".to_vec();
    for (algorithm, ours) in [
        (ChecksumAlgorithm::Crc32, Algorithm::Crc32),
        (ChecksumAlgorithm::Crc32C, Algorithm::Crc32c),
        (ChecksumAlgorithm::Crc64Nvme, Algorithm::Crc64Nvme),
        (ChecksumAlgorithm::Sha1, Algorithm::Sha1),
        (ChecksumAlgorithm::Sha256, Algorithm::Sha256),
    ] {
        let key = format!("k-{}", ours.name());
        let expected = ours.encode(&body);
        // The SDK computes and sends the checksum; the answer carries it.
        let put = c
            .put_object()
            .bucket("sums")
            .key(&key)
            .checksum_algorithm(algorithm.clone())
            .body(ByteStream::from(body.clone()))
            .send()
            .await
            .unwrap();
        let sent = match ours {
            Algorithm::Crc32 => put.checksum_crc32(),
            Algorithm::Crc32c => put.checksum_crc32_c(),
            Algorithm::Crc64Nvme => put.checksum_crc64_nvme(),
            Algorithm::Sha1 => put.checksum_sha1(),
            Algorithm::Sha256 => put.checksum_sha256(),
        };
        assert_eq!(sent, Some(expected.as_str()), "{ours}");
        assert_eq!(put.checksum_type(), Some(&ChecksumType::FullObject));
        // Read back with checksum mode: the SDK validates the body.
        let got = c
            .get_object()
            .bucket("sums")
            .key(&key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .unwrap();
        let returned = match ours {
            Algorithm::Crc32 => got.checksum_crc32(),
            Algorithm::Crc32c => got.checksum_crc32_c(),
            Algorithm::Crc64Nvme => got.checksum_crc64_nvme(),
            Algorithm::Sha1 => got.checksum_sha1(),
            Algorithm::Sha256 => got.checksum_sha256(),
        }
        .map(str::to_owned);
        assert_eq!(returned.as_deref(), Some(expected.as_str()), "{ours}");
        assert_eq!(got.body.collect().await.unwrap().into_bytes(), body);
        let head = c
            .head_object()
            .bucket("sums")
            .key(&key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .unwrap();
        assert_eq!(head.checksum_type(), Some(&ChecksumType::FullObject));

        // A wrong value in the header: BadDigest, nothing stored.
        let header = ours.header();
        let wrong = ours.encode(b"something else");
        let r = s
            .raw_s3(
                "PUT",
                &format!("/sums/bad-{}", ours.name()),
                None,
                &[(header, wrong.as_str())],
                &body,
            )
            .await;
        assert_eq!(r.status, 400, "{ours}: {}", r.body);
        assert!(r.body.contains("<Code>BadDigest</Code>"), "{}", r.body);
        assert!(
            r.body.contains(&format!(
                "The {} you specified did not match the calculated checksum.",
                ours.name()
            )),
            "{}",
            r.body
        );
        let r = s
            .raw_s3(
                "HEAD",
                &format!("/sums/bad-{}", ours.name()),
                None,
                &[],
                b"",
            )
            .await;
        assert_eq!(r.status, 404);

        // The same in an aws-chunked trailer; the right value is stored and
        // answered in the header, as the header form is.
        for (value, status) in [(wrong.as_str(), 400), (expected.as_str(), 200)] {
            let framed = format!(
                "{:x}\r\n{}\r\n0\r\n{header}:{value}\r\n\r\n",
                body.len(),
                String::from_utf8_lossy(&body)
            );
            let len = body.len().to_string();
            let r = s
                .raw_s3(
                    "PUT",
                    &format!("/sums/trailer-{}", ours.name()),
                    None,
                    &[
                        ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                        ("content-encoding", "aws-chunked"),
                        ("x-amz-decoded-content-length", &len),
                        ("x-amz-trailer", header),
                    ],
                    framed.as_bytes(),
                )
                .await;
            assert_eq!(r.status, status, "{ours}: {}", r.body);
            if status == 200 {
                assert_eq!(r.header(header), Some(expected.as_str()));
                assert_eq!(r.header("x-amz-checksum-type"), Some("FULL_OBJECT"));
            }
        }
    }
    // Malformed values and two checksums at once are refused.
    let crc = Algorithm::Crc32c.encode(&body);
    let sha = Algorithm::Sha1.encode(&body);
    for headers in [
        vec![("x-amz-checksum-crc32c", "not base64")],
        vec![
            ("x-amz-checksum-crc32c", crc.as_str()),
            ("x-amz-checksum-sha1", sha.as_str()),
        ],
    ] {
        let r = s
            .raw_s3("PUT", "/sums/refused", None, &headers, &body)
            .await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.body.contains("<Code>InvalidRequest</Code>"), "{}", r.body);
    }
}

#[tokio::test]
async fn an_object_without_a_checksum_gets_crc64nvme_and_downloads_are_validated() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("plain").send().await.unwrap();
    // Sent without any checksum (a raw request): S3 computes a CRC64NVME.
    let r = s.raw_s3("PUT", "/plain/k", None, &[], b"payload").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let crc = Algorithm::Crc64Nvme.encode(b"payload");
    assert_eq!(r.header("x-amz-checksum-crc64nvme"), Some(crc.as_str()));
    let got = c
        .get_object()
        .bucket("plain")
        .key("k")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap();
    assert_eq!(got.checksum_crc64_nvme(), Some(crc.as_str()));
    assert_eq!(
        got.body.collect().await.unwrap().into_bytes().as_ref(),
        b"payload"
    );
    // Without checksum mode, no checksum header.
    let r = s.raw_s3("GET", "/plain/k", None, &[], b"").await;
    assert_eq!(r.header("x-amz-checksum-crc64nvme"), None);
    // A range has no checksum of its own.
    let r = s
        .raw_s3(
            "GET",
            "/plain/k",
            None,
            &[("x-amz-checksum-mode", "ENABLED"), ("range", "bytes=0-2")],
            b"",
        )
        .await;
    assert_eq!(
        (r.status, r.header("x-amz-checksum-crc64nvme")),
        (206, None)
    );

    // The SDK really validates: a stored checksum that does not match the
    // bytes makes the download fail.
    let mut o = s.svc.read().s3.objects["plain"]["k"].clone();
    o.checksum.as_mut().unwrap().value = Algorithm::Crc64Nvme.encode(b"tampered");
    s.svc.put(Record::S3Object(o)).unwrap();
    let got = c
        .get_object()
        .bucket("plain")
        .key("k")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap();
    assert!(
        got.body.collect().await.is_err(),
        "a wrong checksum went unnoticed"
    );
}

#[tokio::test]
async fn streamed_uploads_return_their_trailing_checksum() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("streams").send().await.unwrap();
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upload.bin");
    std::fs::write(&path, &data).unwrap();
    for (algorithm, ours) in [
        (ChecksumAlgorithm::Crc32C, Algorithm::Crc32c),
        (ChecksumAlgorithm::Sha256, Algorithm::Sha256),
    ] {
        // A file-backed body: the SDK frames it as aws-chunked with the
        // checksum in the trailer.
        let put = c
            .put_object()
            .bucket("streams")
            .key("file")
            .checksum_algorithm(algorithm)
            .body(ByteStream::from_path(&path).await.unwrap())
            .send()
            .await
            .unwrap();
        let expected = ours.encode(&data);
        let answered = match ours {
            Algorithm::Crc32c => put.checksum_crc32_c(),
            _ => put.checksum_sha256(),
        };
        assert_eq!(answered, Some(expected.as_str()), "{ours}");
    }
}

#[tokio::test]
async fn multipart_uploads_keep_composite_or_full_object_checksums() {
    use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("parts").send().await.unwrap();
    let first = vec![1u8; 5 * 1024 * 1024];
    let second = b"tail".to_vec();
    for (algorithm, ours, kind) in [
        (
            ChecksumAlgorithm::Sha256,
            Algorithm::Sha256,
            ChecksumType::Composite,
        ),
        (
            ChecksumAlgorithm::Crc32C,
            Algorithm::Crc32c,
            ChecksumType::FullObject,
        ),
    ] {
        let created = c
            .create_multipart_upload()
            .bucket("parts")
            .key("big")
            .checksum_algorithm(algorithm.clone())
            .checksum_type(kind.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(created.checksum_algorithm(), Some(&algorithm));
        let id = created.upload_id().unwrap();
        let mut done = Vec::new();
        for (n, part) in [(1, &first), (2, &second)] {
            let p = c
                .upload_part()
                .bucket("parts")
                .key("big")
                .upload_id(id)
                .part_number(n)
                .checksum_algorithm(algorithm.clone())
                .body(ByteStream::from(part.clone()))
                .send()
                .await
                .unwrap();
            let mut b = CompletedPart::builder()
                .part_number(n)
                .e_tag(p.e_tag().unwrap());
            b = match ours {
                Algorithm::Sha256 => b.checksum_sha256(p.checksum_sha256().unwrap()),
                _ => b.checksum_crc32_c(p.checksum_crc32_c().unwrap()),
            };
            done.push(b.build());
        }
        let completed = c
            .complete_multipart_upload()
            .bucket("parts")
            .key("big")
            .upload_id(id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(done))
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let mut whole = first.clone();
        whole.extend_from_slice(&second);
        let expected = if kind == ChecksumType::Composite {
            let mut raw = ours.digest(&first);
            raw.extend(ours.digest(&second));
            format!("{}-2", ours.encode(&raw))
        } else {
            ours.encode(&whole)
        };
        let got = match ours {
            Algorithm::Sha256 => completed.checksum_sha256(),
            _ => completed.checksum_crc32_c(),
        };
        assert_eq!(got, Some(expected.as_str()), "{ours}");
        // The download is whole, and validated where the checksum is a
        // full-object one (SDKs skip composite ones).
        let read = c
            .get_object()
            .bucket("parts")
            .key("big")
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .unwrap();
        assert_eq!(read.checksum_type(), Some(&kind));
        assert_eq!(
            read.body.collect().await.unwrap().into_bytes().len(),
            whole.len()
        );
    }
    // A part whose checksum does not match is refused.
    let created = c
        .create_multipart_upload()
        .bucket("parts")
        .key("bad")
        .send()
        .await
        .unwrap();
    let wrong = Algorithm::Crc32.encode(b"other");
    let r = s
        .raw_s3(
            "PUT",
            &format!(
                "/parts/bad?partNumber=1&uploadId={}",
                created.upload_id().unwrap()
            ),
            None,
            &[("x-amz-checksum-crc32", wrong.as_str())],
            b"part",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("<Code>BadDigest</Code>"), "{}", r.body);
    assert_eq!(
        fail(
            c.upload_part()
                .bucket("parts")
                .key("bad")
                .upload_id("no-such-upload")
                .part_number(1)
                .body(ByteStream::from_static(b"x"))
                .send()
                .await
        ),
        ("NoSuchUpload".into(), 404)
    );
}
