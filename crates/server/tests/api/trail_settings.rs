//! What Terraform's `aws_cloudtrail` and audit tools call on a trail besides
//! its creation: `UpdateTrail` (checked as `CreateTrail` is), the tags of a
//! trail (`AddTags`, `RemoveTags`, `ListTags`, `TagsList` on creation),
//! `Get`/`PutInsightSelectors` (Insights never enabled) and
//! `ListPublicKeys`; each authorized, in the event history and kept across
//! a restart.

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::error::ProvideErrorMetadata;
use aws_sdk_cloudtrail::types::{
    InsightSelector, InsightType, LookupAttribute, LookupAttributeKey, Tag,
};

use crate::common::s3::s3;
use crate::common::{ACCOUNT, Server, user_with_key};
use crate::trails::{code, trail_policy};

fn tag(k: &str, v: Option<&str>) -> Tag {
    Tag::builder()
        .key(k)
        .set_value(v.map(str::to_owned))
        .build()
        .unwrap()
}

fn region(config: &aws_config::SdkConfig, r: &str) -> Client {
    Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(config)
            .region(aws_sdk_cloudtrail::config::Region::new(r.to_owned()))
            .build(),
    )
}

/// Whether the event history has an event of that name.
async fn recorded(ct: &Client, name: &str) -> bool {
    !ct.lookup_events()
        .lookup_attributes(
            LookupAttribute::builder()
                .attribute_key(LookupAttributeKey::EventName)
                .attribute_value(name)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .events()
        .is_empty()
}

/// A trail `main` delivering to `trail-logs` under `audit/`.
async fn with_trail(s: &Server) -> (Client, String) {
    let admin = s.admin();
    let c = s3(&admin);
    c.create_bucket().bucket("trail-logs").send().await.unwrap();
    c.put_bucket_policy()
        .bucket("trail-logs")
        .policy(trail_policy(
            "trail-logs",
            &[format!("audit/AWSLogs/{ACCOUNT}/*")],
        ))
        .send()
        .await
        .unwrap();
    let ct = Client::new(&admin);
    let t = ct
        .create_trail()
        .name("main")
        .s3_bucket_name("trail-logs")
        .s3_key_prefix("audit")
        .tags_list(tag("env", Some("prod")))
        .send()
        .await
        .unwrap();
    (ct, t.trail_arn().unwrap().to_owned())
}

#[tokio::test]
async fn update_trail_changes_what_it_is_given_checked_as_create_trail_and_kept() {
    let s = Server::start().await;
    let (ct, arn) = with_trail(&s).await;
    let admin = s.admin();
    let c = s3(&admin);
    c.create_bucket().bucket("other-logs").send().await.unwrap();

    let update = || ct.update_trail().name("main");
    assert_eq!(
        code(update().s3_bucket_name("no-such-bucket").send().await),
        "S3BucketDoesNotExistException"
    );
    assert_eq!(
        code(update().s3_bucket_name("other-logs").send().await),
        "InsufficientS3BucketPolicyException"
    );
    // The prefix is part of what the policy must allow.
    assert_eq!(
        code(update().s3_key_prefix("elsewhere").send().await),
        "InsufficientS3BucketPolicyException"
    );
    assert_eq!(
        code(update().s3_bucket_name("Not_A_Bucket").send().await),
        "InvalidS3BucketNameException"
    );
    assert_eq!(
        code(update().s3_key_prefix("/bad").send().await),
        "InvalidS3PrefixException"
    );
    assert_eq!(
        code(
            update()
                .is_multi_region_trail(true)
                .include_global_service_events(false)
                .send()
                .await
        ),
        "InvalidParameterCombinationException"
    );
    assert_eq!(
        code(update().kms_key_id("alias/logs").send().await),
        "UnsupportedOperationException"
    );
    assert_eq!(
        code(update().enable_log_file_validation(true).send().await),
        "UnsupportedOperationException"
    );
    assert_eq!(
        code(
            ct.update_trail()
                .name("nope")
                .s3_bucket_name("trail-logs")
                .send()
                .await
        ),
        "TrailNotFoundException"
    );
    assert_eq!(
        code(ct.update_trail().name("bad..name").send().await),
        "InvalidTrailNameException"
    );
    assert_eq!(
        code(ct.update_trail().name("arn:aws:s3:::x").send().await),
        "CloudTrailARNInvalidException"
    );
    // An organization trail needs an organization, as on creation.
    assert_eq!(
        code(update().is_organization_trail(true).send().await),
        "OrganizationsNotInUseException"
    );
    // Nothing was changed by the refusals.
    let t = ct.get_trail().name("main").send().await.unwrap();
    let t = t.trail().unwrap();
    assert_eq!(t.s3_bucket_name(), Some("trail-logs"));
    assert_eq!(t.s3_key_prefix(), Some("audit"));
    assert_eq!(t.is_multi_region_trail(), Some(false));

    // Settings given change, others stay; empty strings remove what is
    // not supported anyway.
    c.put_bucket_policy()
        .bucket("other-logs")
        .policy(trail_policy(
            "other-logs",
            &[format!("AWSLogs/{ACCOUNT}/*")],
        ))
        .send()
        .await
        .unwrap();
    let u = ct
        .update_trail()
        .name(&arn)
        .s3_bucket_name("other-logs")
        .s3_key_prefix("")
        .is_multi_region_trail(true)
        .kms_key_id("")
        .sns_topic_name("")
        .send()
        .await
        .unwrap();
    assert_eq!(u.name(), Some("main"));
    assert_eq!(u.trail_arn(), Some(arn.as_str()));
    assert_eq!(u.s3_bucket_name(), Some("other-logs"));
    assert_eq!(u.s3_key_prefix(), None);
    assert_eq!(u.is_multi_region_trail(), Some(true));
    assert_eq!(u.include_global_service_events(), Some(true));
    assert_eq!(u.log_file_validation_enabled(), Some(false));
    assert_eq!(u.is_organization_trail(), Some(false));

    // A multi-region trail now shows in every region, and is changed only
    // from its home region.
    let west = region(&admin, "eu-west-1");
    let shadows = west.describe_trails().send().await.unwrap();
    assert_eq!(shadows.trail_list().len(), 1);
    assert_eq!(shadows.trail_list()[0].home_region(), Some("us-east-1"));
    assert_eq!(
        code(
            west.update_trail()
                .name(&arn)
                .is_multi_region_trail(false)
                .send()
                .await
        ),
        "InvalidHomeRegionException"
    );
    // A trail of the same name in another region clashes with it.
    assert_eq!(
        code(
            west.create_trail()
                .name("main")
                .s3_bucket_name("other-logs")
                .send()
                .await
        ),
        "TrailAlreadyExistsException"
    );

    // Without cloudtrail:UpdateTrail on the trail: refused.
    let iam = aws_sdk_iam::Client::new(&admin);
    let reader = user_with_key(&s, &iam, "reader").await;
    assert_eq!(
        code(
            Client::new(&reader)
                .update_trail()
                .name("main")
                .is_multi_region_trail(false)
                .send()
                .await
        ),
        "AccessDeniedException"
    );
    assert!(recorded(&ct, "UpdateTrail").await);

    // Kept across a restart.
    let again = s.reopen().await;
    let ct = Client::new(&again.admin());
    let t = ct.get_trail().name("main").send().await.unwrap();
    let t = t.trail().unwrap();
    assert_eq!(t.s3_bucket_name(), Some("other-logs"));
    assert_eq!(t.s3_key_prefix(), None);
    assert_eq!(t.is_multi_region_trail(), Some(true));
    // Back to a single-region trail: no longer a shadow elsewhere.
    ct.update_trail()
        .name("main")
        .is_multi_region_trail(false)
        .send()
        .await
        .unwrap();
    assert!(
        region(&again.admin(), "eu-west-1")
            .describe_trails()
            .send()
            .await
            .unwrap()
            .trail_list()
            .is_empty()
    );
}

#[tokio::test]
async fn a_trail_is_tagged_untagged_and_listed_with_aws_limits_and_errors() {
    let s = Server::start().await;
    let (ct, arn) = with_trail(&s).await;
    let tags = |ct: Client, arn: String| async move {
        let got = ct.list_tags().resource_id_list(arn).send().await.unwrap();
        assert_eq!(got.resource_tag_list().len(), 1);
        let r = &got.resource_tag_list()[0];
        r.tags_list()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().map(str::to_owned)))
            .collect::<Vec<_>>()
    };
    // TagsList on CreateTrail is kept.
    assert_eq!(
        tags(ct.clone(), arn.clone()).await,
        vec![("env".to_owned(), Some("prod".to_owned()))]
    );
    let listed = ct.list_tags().resource_id_list(&arn).send().await.unwrap();
    assert_eq!(
        listed.resource_tag_list()[0].resource_id(),
        Some(arn.as_str())
    );

    ct.add_tags()
        .resource_id(&arn)
        .tags_list(tag("team", Some("security")))
        .tags_list(tag("flag", None))
        .tags_list(tag("env", Some("dev")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags(ct.clone(), arn.clone()).await,
        vec![
            ("env".to_owned(), Some("dev".to_owned())),
            ("team".to_owned(), Some("security".to_owned())),
            ("flag".to_owned(), None),
        ]
    );
    ct.remove_tags()
        .resource_id(&arn)
        .tags_list(tag("team", None))
        .tags_list(tag("absent", None))
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags(ct.clone(), arn.clone()).await,
        vec![
            ("env".to_owned(), Some("dev".to_owned())),
            ("flag".to_owned(), None),
        ]
    );

    // Errors.
    let add = |id: &str, t: Tag| ct.add_tags().resource_id(id).tags_list(t);
    assert_eq!(
        code(add("main", tag("a", Some("b"))).send().await),
        "CloudTrailARNInvalidException"
    );
    let unknown = format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/unknown");
    assert_eq!(
        code(add(&unknown, tag("a", Some("b"))).send().await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(ct.list_tags().resource_id_list(&unknown).send().await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(
            ct.remove_tags()
                .resource_id(&unknown)
                .tags_list(tag("a", None))
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    // Only the caller's own account and region: a shadow trail's ARN from
    // another region, another account's ARN are refused in AWS's words.
    ct.update_trail()
        .name("main")
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap();
    let west = region(&s.admin(), "eu-west-1");
    let e = west
        .list_tags()
        .resource_id_list(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("CloudTrailARNInvalidException"));
    assert_eq!(
        e.message(),
        Some("Region in ARN is wrong, you can only access resources in region eu-west-1.")
    );
    let foreign = "arn:aws:cloudtrail:us-east-1:999999999999:trail/main";
    let e = ct
        .list_tags()
        .resource_id_list(foreign)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("CloudTrailARNInvalidException"));
    assert_eq!(
        e.message(),
        Some(
            format!(
                "AccountID in ARN is wrong, you can only access resources with AccountID {ACCOUNT}."
            )
            .as_str()
        )
    );
    assert_eq!(
        code(
            ct.list_tags()
                .resource_id_list(&arn)
                .set_resource_id_list(Some(vec![arn.clone(); 21]))
                .send()
                .await
        ),
        "InvalidParameterException"
    );
    let bad_name = format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/a--b");
    assert_eq!(
        code(add(&bad_name, tag("a", Some("b"))).send().await),
        "InvalidTrailNameException"
    );
    assert_eq!(
        code(add(&arn, tag("aws:reserved", Some("b"))).send().await),
        "InvalidTagParameterException"
    );
    assert_eq!(
        code(add(&arn, tag("no#hash", Some("b"))).send().await),
        "InvalidTagParameterException"
    );
    assert_eq!(
        code(
            ct.add_tags()
                .resource_id(&arn)
                .tags_list(tag("dup", Some("1")))
                .tags_list(tag("dup", Some("2")))
                .send()
                .await
        ),
        "InvalidTagParameterException"
    );
    // 50 tags at most: the trail has 2, 48 more fit, 49 do not.
    let many = |n: usize| (0..n).map(|i| tag(&format!("k{i}"), Some("v"))).collect();
    assert_eq!(
        code(
            ct.add_tags()
                .resource_id(&arn)
                .set_tags_list(Some(many(49)))
                .send()
                .await
        ),
        "TagsLimitExceededException"
    );
    assert_eq!(tags(ct.clone(), arn.clone()).await.len(), 2);
    ct.add_tags()
        .resource_id(&arn)
        .set_tags_list(Some(many(48)))
        .send()
        .await
        .unwrap();
    assert_eq!(tags(ct.clone(), arn.clone()).await.len(), 50);
    assert_eq!(
        code(
            ct.create_trail()
                .name("crowded")
                .s3_bucket_name("trail-logs")
                .s3_key_prefix("audit")
                .set_tags_list(Some(many(51)))
                .send()
                .await
        ),
        "TagsLimitExceededException"
    );

    // Authorized on the trail: a user without permissions is refused.
    let admin = s.admin();
    let iam = aws_sdk_iam::Client::new(&admin);
    let nobody = Client::new(&user_with_key(&s, &iam, "nobody").await);
    assert_eq!(
        code(nobody.list_tags().resource_id_list(&arn).send().await),
        "AccessDeniedException"
    );
    assert_eq!(
        code(
            nobody
                .add_tags()
                .resource_id(&arn)
                .tags_list(tag("a", Some("b")))
                .send()
                .await
        ),
        "AccessDeniedException"
    );
    assert!(recorded(&ct, "AddTags").await);
    assert!(recorded(&ct, "RemoveTags").await);

    // Kept across a restart.
    let again = s.reopen().await;
    let ct2 = Client::new(&again.admin());
    let kept = tags(ct2, arn.clone()).await;
    assert_eq!(kept.len(), 50);
    assert_eq!(kept[0], ("env".to_owned(), Some("dev".to_owned())));
    assert_eq!(kept[1], ("flag".to_owned(), None));
}

#[tokio::test]
async fn insights_are_not_enabled_and_no_public_keys_are_listed() {
    let s = Server::start().await;
    let (ct, arn) = with_trail(&s).await;
    for name in ["main", arn.as_str()] {
        let e = ct
            .get_insight_selectors()
            .trail_name(name)
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("InsightNotEnabledException"));
        assert_eq!(
            e.message(),
            Some(
                format!(
                    "Trail {arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again."
                )
                .as_str()
            )
        );
    }
    assert_eq!(
        code(ct.get_insight_selectors().trail_name("nope").send().await),
        "TrailNotFoundException"
    );
    assert_eq!(
        code(ct.get_insight_selectors().trail_name("-bad").send().await),
        "InvalidTrailNameException"
    );
    // Insights off (an empty list) is accepted; Insights on are not served.
    let off = ct
        .put_insight_selectors()
        .trail_name("main")
        .set_insight_selectors(Some(Vec::new()))
        .send()
        .await
        .unwrap();
    assert_eq!(off.trail_arn(), Some(arn.as_str()));
    assert!(off.insight_selectors().is_empty());
    assert_eq!(
        code(
            ct.put_insight_selectors()
                .trail_name("main")
                .insight_selectors(
                    InsightSelector::builder()
                        .insight_type(InsightType::ApiCallRateInsight)
                        .build()
                )
                .send()
                .await
        ),
        "UnsupportedOperationException"
    );
    let t = ct.get_trail().name("main").send().await.unwrap();
    assert_eq!(t.trail().unwrap().has_insight_selectors(), Some(false));

    // Without permission: refused before the answer about Insights.
    let admin = s.admin();
    let iam = aws_sdk_iam::Client::new(&admin);
    let nobody = Client::new(&user_with_key(&s, &iam, "nobody").await);
    assert_eq!(
        code(
            nobody
                .get_insight_selectors()
                .trail_name("main")
                .send()
                .await
        ),
        "AccessDeniedException"
    );
    assert!(recorded(&ct, "GetInsightSelectors").await);

    // No digest files, so no public keys.
    let keys = ct.list_public_keys().send().await.unwrap();
    assert!(keys.public_key_list().is_empty());
    let now = aws_sdk_cloudtrail::primitives::DateTime::from_secs(1_700_000_000);
    let before = aws_sdk_cloudtrail::primitives::DateTime::from_secs(1_600_000_000);
    assert_eq!(
        code(
            ct.list_public_keys()
                .start_time(now)
                .end_time(before)
                .send()
                .await
        ),
        "InvalidTimeRangeException"
    );
    assert_eq!(
        code(nobody.list_public_keys().send().await),
        "AccessDeniedException"
    );
}
