//! S3 bucket configuration through the AWS SDK for Rust (issue 14 §3): what
//! a new bucket answers, each setting put, read back and deleted, S3's
//! errors, Block Public Access against a public policy, and authorization
//! with S3's action names.

use aws_sdk_s3::types::{
    BucketLoggingStatus, BucketVersioningStatus, ErrorDocument, IndexDocument, LoggingEnabled,
    ObjectOwnership, OwnershipControls, OwnershipControlsRule, Permission,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Tag, Tagging, Type,
    VersioningConfiguration, WebsiteConfiguration,
};

use crate::common::s3::{fail, s3};
use crate::common::{ACCOUNT, Server};

fn tagging(tags: &[(&str, &str)]) -> Tagging {
    Tagging::builder()
        .set_tag_set(Some(
            tags.iter()
                .map(|(k, v)| Tag::builder().key(*k).value(*v).build().unwrap())
                .collect(),
        ))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_new_bucket_answers_as_s3_answers_for_a_new_bucket() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("fresh").send().await.unwrap();

    let v = c
        .get_bucket_versioning()
        .bucket("fresh")
        .send()
        .await
        .unwrap();
    assert_eq!((v.status(), v.mfa_delete()), (None, None));
    let l = c.get_bucket_logging().bucket("fresh").send().await.unwrap();
    assert!(l.logging_enabled().is_none());
    // SSE-S3, as S3 encrypts every bucket.
    let e = c
        .get_bucket_encryption()
        .bucket("fresh")
        .send()
        .await
        .unwrap();
    let rules = e.server_side_encryption_configuration().unwrap().rules();
    assert_eq!(rules.len(), 1);
    let by_default = rules[0].apply_server_side_encryption_by_default().unwrap();
    assert_eq!(by_default.sse_algorithm(), &ServerSideEncryption::Aes256);
    assert_eq!(rules[0].bucket_key_enabled(), Some(false));
    // The owner with FULL_CONTROL.
    let acl = c.get_bucket_acl().bucket("fresh").send().await.unwrap();
    let owner = acl.owner().unwrap().id().unwrap().to_owned();
    assert_eq!(owner.len(), 64);
    let grants = acl.grants();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].permission(), Some(&Permission::FullControl));
    let grantee = grants[0].grantee().unwrap();
    assert_eq!(
        (grantee.r#type(), grantee.id()),
        (&Type::CanonicalUser, Some(owner.as_str()))
    );
    // The same canonical id as ListBuckets shows.
    let listed = c.list_buckets().send().await.unwrap();
    assert_eq!(listed.owner().unwrap().id(), Some(owner.as_str()));
    assert_eq!(
        fail(c.get_bucket_tagging().bucket("fresh").send().await),
        ("NoSuchTagSet".into(), 404)
    );
    assert_eq!(
        fail(c.get_bucket_website().bucket("fresh").send().await),
        ("NoSuchWebsiteConfiguration".into(), 404)
    );
    // Block Public Access on and ACLs disabled (S3's defaults since 2023).
    let pab = c
        .get_public_access_block()
        .bucket("fresh")
        .send()
        .await
        .unwrap();
    let p = pab.public_access_block_configuration().unwrap();
    assert_eq!(
        (
            p.block_public_acls(),
            p.ignore_public_acls(),
            p.block_public_policy(),
            p.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    let o = c
        .get_bucket_ownership_controls()
        .bucket("fresh")
        .send()
        .await
        .unwrap();
    assert_eq!(
        o.ownership_controls().unwrap().rules()[0].object_ownership(),
        &ObjectOwnership::BucketOwnerEnforced
    );
    // A bucket created with another Object Ownership.
    c.create_bucket()
        .bucket("writer-owned")
        .object_ownership(ObjectOwnership::ObjectWriter)
        .send()
        .await
        .unwrap();
    let o = c
        .get_bucket_ownership_controls()
        .bucket("writer-owned")
        .send()
        .await
        .unwrap();
    assert_eq!(
        o.ownership_controls().unwrap().rules()[0].object_ownership(),
        &ObjectOwnership::ObjectWriter
    );
    // An unknown bucket.
    assert_eq!(
        fail(c.get_bucket_versioning().bucket("nowhere").send().await),
        ("NoSuchBucket".into(), 404)
    );
}

#[tokio::test]
async fn bucket_settings_are_put_read_back_and_deleted() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("cfg").send().await.unwrap();
    c.create_bucket().bucket("cfg-logs").send().await.unwrap();

    // Versioning: enabled, then suspended.
    for status in [
        BucketVersioningStatus::Enabled,
        BucketVersioningStatus::Suspended,
    ] {
        c.put_bucket_versioning()
            .bucket("cfg")
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(status.clone())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let v = c
            .get_bucket_versioning()
            .bucket("cfg")
            .send()
            .await
            .unwrap();
        assert_eq!(v.status(), Some(&status));
    }

    // Server access logging into another bucket of the account, then off.
    let logging = |target: &str| {
        BucketLoggingStatus::builder()
            .logging_enabled(
                LoggingEnabled::builder()
                    .target_bucket(target)
                    .target_prefix("access/")
                    .build()
                    .unwrap(),
            )
            .build()
    };
    assert_eq!(
        fail(
            c.put_bucket_logging()
                .bucket("cfg")
                .bucket_logging_status(logging("no-such-target"))
                .send()
                .await
        ),
        ("InvalidTargetBucketForLogging".into(), 400)
    );
    c.put_bucket_logging()
        .bucket("cfg")
        .bucket_logging_status(logging("cfg-logs"))
        .send()
        .await
        .unwrap();
    let l = c.get_bucket_logging().bucket("cfg").send().await.unwrap();
    let enabled = l.logging_enabled().unwrap();
    assert_eq!(
        (enabled.target_bucket(), enabled.target_prefix()),
        ("cfg-logs", "access/")
    );
    c.put_bucket_logging()
        .bucket("cfg")
        .bucket_logging_status(BucketLoggingStatus::builder().build())
        .send()
        .await
        .unwrap();
    assert!(
        c.get_bucket_logging()
            .bucket("cfg")
            .send()
            .await
            .unwrap()
            .logging_enabled()
            .is_none()
    );

    // Default encryption: SSE-KMS with a bucket key, then back to SSE-S3.
    c.put_bucket_encryption()
        .bucket("cfg")
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(ServerSideEncryption::AwsKms)
                                .kms_master_key_id("alias/logs")
                                .build()
                                .unwrap(),
                        )
                        .bucket_key_enabled(true)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let e = c
        .get_bucket_encryption()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    let rule = &e.server_side_encryption_configuration().unwrap().rules()[0];
    let by_default = rule.apply_server_side_encryption_by_default().unwrap();
    assert_eq!(
        (
            by_default.sse_algorithm(),
            by_default.kms_master_key_id(),
            rule.bucket_key_enabled()
        ),
        (
            &ServerSideEncryption::AwsKms,
            Some("alias/logs"),
            Some(true)
        )
    );
    c.delete_bucket_encryption()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    let e = c
        .get_bucket_encryption()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        e.server_side_encryption_configuration().unwrap().rules()[0]
            .apply_server_side_encryption_by_default()
            .unwrap()
            .sse_algorithm(),
        &ServerSideEncryption::Aes256
    );

    // Tags: S3's rules, then a tag set read back in order, then deleted.
    for bad in [
        tagging(&[("aws:reserved", "x")]),
        tagging(&[("team", "a"), ("team", "b")]),
    ] {
        assert_eq!(
            fail(
                c.put_bucket_tagging()
                    .bucket("cfg")
                    .tagging(bad)
                    .send()
                    .await
            ),
            ("InvalidTag".into(), 400)
        );
    }
    c.put_bucket_tagging()
        .bucket("cfg")
        .tagging(tagging(&[("team", "security"), ("env", "prod & test")]))
        .send()
        .await
        .unwrap();
    let t = c.get_bucket_tagging().bucket("cfg").send().await.unwrap();
    let got: Vec<(&str, &str)> = t.tag_set().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(got, [("team", "security"), ("env", "prod & test")]);
    c.delete_bucket_tagging()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(c.get_bucket_tagging().bucket("cfg").send().await),
        ("NoSuchTagSet".into(), 404)
    );

    // Website hosting.
    assert_eq!(
        fail(
            c.put_bucket_website()
                .bucket("cfg")
                .website_configuration(WebsiteConfiguration::builder().build())
                .send()
                .await
        ),
        ("InvalidArgument".into(), 400)
    );
    c.put_bucket_website()
        .bucket("cfg")
        .website_configuration(
            WebsiteConfiguration::builder()
                .index_document(
                    IndexDocument::builder()
                        .suffix("index.html")
                        .build()
                        .unwrap(),
                )
                .error_document(ErrorDocument::builder().key("404.html").build().unwrap())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let w = c.get_bucket_website().bucket("cfg").send().await.unwrap();
    assert_eq!(w.index_document().unwrap().suffix(), "index.html");
    assert_eq!(w.error_document().unwrap().key(), "404.html");
    c.delete_bucket_website()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(c.get_bucket_website().bucket("cfg").send().await),
        ("NoSuchWebsiteConfiguration".into(), 404)
    );

    // Block Public Access: partly lifted, then removed.
    c.put_public_access_block()
        .bucket("cfg")
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let p = c
        .get_public_access_block()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    let p = p.public_access_block_configuration().unwrap();
    assert_eq!(
        (p.block_public_policy(), p.restrict_public_buckets()),
        (Some(false), Some(false))
    );
    c.delete_public_access_block()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(c.get_public_access_block().bucket("cfg").send().await),
        ("NoSuchPublicAccessBlockConfiguration".into(), 404)
    );

    // Object Ownership.
    c.put_bucket_ownership_controls()
        .bucket("cfg")
        .ownership_controls(
            OwnershipControls::builder()
                .rules(
                    OwnershipControlsRule::builder()
                        .object_ownership(ObjectOwnership::BucketOwnerPreferred)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let o = c
        .get_bucket_ownership_controls()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        o.ownership_controls().unwrap().rules()[0].object_ownership(),
        &ObjectOwnership::BucketOwnerPreferred
    );
    c.delete_bucket_ownership_controls()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fail(c.get_bucket_ownership_controls().bucket("cfg").send().await),
        ("OwnershipControlsNotFoundError".into(), 404)
    );

    // What was set survives a restart.
    c.put_bucket_tagging()
        .bucket("cfg")
        .tagging(tagging(&[("kept", "yes")]))
        .send()
        .await
        .unwrap();
    let again = s.reopen().await;
    let c = s3(&again.admin());
    let t = c.get_bucket_tagging().bucket("cfg").send().await.unwrap();
    assert_eq!(t.tag_set()[0].key(), "kept");
    let v = c
        .get_bucket_versioning()
        .bucket("cfg")
        .send()
        .await
        .unwrap();
    assert_eq!(v.status(), Some(&BucketVersioningStatus::Suspended));
}

#[tokio::test]
async fn block_public_access_refuses_a_public_policy_until_lifted() {
    let s = Server::start().await;
    let c = s3(&s.admin());
    c.create_bucket().bucket("site").send().await.unwrap();
    let public = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}]}"#;
    assert_eq!(
        fail(
            c.put_bucket_policy()
                .bucket("site")
                .policy(public)
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    c.delete_public_access_block()
        .bucket("site")
        .send()
        .await
        .unwrap();
    c.put_bucket_policy()
        .bucket("site")
        .policy(public)
        .send()
        .await
        .unwrap();
    let status = c
        .get_bucket_policy_status()
        .bucket("site")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status.policy_status().and_then(|p| p.is_public()),
        Some(true)
    );
}

#[tokio::test]
async fn configuration_calls_are_authorized_with_s3_action_names_and_traced() {
    let s = Server::start().await;
    let admin = s.admin();
    let c = s3(&admin);
    c.create_bucket().bucket("audited").send().await.unwrap();
    let iam = aws_sdk_iam::Client::new(&admin);
    iam.create_user().user_name("scanner").send().await.unwrap();
    iam.put_user_policy()
        .user_name("scanner")
        .policy_name("ReadEncryptionOnly")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetEncryptionConfiguration","s3:GetBucketPublicAccessBlock"],"Resource":"arn:aws:s3:::audited"}}"#)
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name("scanner")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let scanner = s3(&s.config(key.access_key_id(), key.secret_access_key(), None));
    scanner
        .get_bucket_encryption()
        .bucket("audited")
        .send()
        .await
        .unwrap();
    scanner
        .get_public_access_block()
        .bucket("audited")
        .send()
        .await
        .unwrap();
    for r in [
        fail(
            scanner
                .get_bucket_versioning()
                .bucket("audited")
                .send()
                .await,
        ),
        fail(scanner.get_bucket_tagging().bucket("audited").send().await),
        fail(
            scanner
                .delete_bucket_encryption()
                .bucket("audited")
                .send()
                .await,
        ),
        fail(
            scanner
                .delete_public_access_block()
                .bucket("audited")
                .send()
                .await,
        ),
    ] {
        assert_eq!(r, ("AccessDenied".into(), 403));
    }

    // Configuration calls are management events of the bucket.
    let trail = aws_sdk_cloudtrail::Client::new(&admin);
    let found = trail
        .lookup_events()
        .lookup_attributes(
            aws_sdk_cloudtrail::types::LookupAttribute::builder()
                .attribute_key(aws_sdk_cloudtrail::types::LookupAttributeKey::EventName)
                .attribute_value("GetBucketEncryption")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let e = &found.events()[0];
    assert_eq!(e.event_source(), Some("s3.amazonaws.com"));
    assert_eq!(e.read_only(), Some("true"));
    let record: serde_json::Value = serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap();
    assert_eq!(record["requestParameters"]["bucketName"], "audited");
    assert_eq!(record["recipientAccountId"], ACCOUNT);
    assert_eq!(record["resources"][0]["ARN"], "arn:aws:s3:::audited");
}
