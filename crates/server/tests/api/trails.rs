//! CloudTrail trails through the AWS SDK for Rust (issue 14 §3): creation
//! against the bucket policy, status, event selectors, logging, the log
//! files a logging trail writes to its bucket, an organization trail seen
//! by a member account that cannot change it, and deletion.

use std::io::Read as _;
use std::time::{Duration, Instant};

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::error::ProvideErrorMetadata;
use aws_sdk_cloudtrail::types::{
    AdvancedEventSelector, AdvancedFieldSelector, EventSelector, LookupAttribute,
    LookupAttributeKey, ReadWriteType,
};
use serde_json::Value;

use crate::common::root::{admin_role_in, created};
use crate::common::s3::s3;
use crate::common::{ACCOUNT, Server};

/// AWS's documented bucket policy for CloudTrail.
pub(crate) fn trail_policy(bucket: &str, paths: &[String]) -> String {
    let resources: Vec<String> = paths
        .iter()
        .map(|p| format!("\"arn:aws:s3:::{bucket}/{p}\""))
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::{bucket}"}},{{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"s3:PutObject","Resource":[{}],"Condition":{{"StringEquals":{{"s3:x-amz-acl":"bucket-owner-full-control"}}}}}}]}}"#,
        resources.join(",")
    )
}

pub(crate) fn code<E: ProvideErrorMetadata, R>(r: Result<R, E>) -> String {
    match r {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().unwrap_or_default().to_owned(),
    }
}

/// The log files in `bucket`: key, records.
async fn log_files(c: &aws_sdk_s3::Client, bucket: &str) -> Vec<(String, Vec<Value>)> {
    let listed = c.list_objects_v2().bucket(bucket).send().await.unwrap();
    let mut out = Vec::new();
    for o in listed.contents() {
        let Some(k) = o.key().filter(|k| k.ends_with(".json.gz")) else {
            continue;
        };
        let got = c.get_object().bucket(bucket).key(k).send().await.unwrap();
        let gz = got.body.collect().await.unwrap().into_bytes();
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz.as_ref())
            .read_to_string(&mut text)
            .unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        out.push((k.to_owned(), doc["Records"].as_array().unwrap().clone()));
    }
    out
}

/// The log files in `bucket` once one of their records satisfies `found`
/// (waiting up to 10 s).
async fn files_with(
    c: &aws_sdk_s3::Client,
    bucket: &str,
    found: impl Fn(&Value) -> bool,
) -> Vec<(String, Vec<Value>)> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let files = log_files(c, bucket).await;
        if files.iter().flat_map(|(_, r)| r).any(&found) || Instant::now() > deadline {
            return files;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn names(files: &[(String, Vec<Value>)]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(_, r)| {
            r.iter()
                .map(|e| e["eventName"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_trail_is_created_against_its_bucket_policy_and_delivers_gzipped_log_files() {
    let s = Server::start().await;
    let admin = s.admin();
    let ct = Client::new(&admin);
    let c = s3(&admin);
    c.create_bucket().bucket("trail-logs").send().await.unwrap();

    let create = || {
        ct.create_trail()
            .name("main")
            .s3_bucket_name("trail-logs")
            .s3_key_prefix("audit")
    };
    assert_eq!(
        code(
            ct.create_trail()
                .name("main")
                .s3_bucket_name("no-such-bucket")
                .send()
                .await
        ),
        "S3BucketDoesNotExistException"
    );
    assert_eq!(
        code(create().send().await),
        "InsufficientS3BucketPolicyException"
    );
    c.put_bucket_policy()
        .bucket("trail-logs")
        .policy(trail_policy(
            "trail-logs",
            &[format!("audit/AWSLogs/{ACCOUNT}/*")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            ct.create_trail()
                .name("-bad")
                .s3_bucket_name("trail-logs")
                .send()
                .await
        ),
        "InvalidTrailNameException"
    );
    let t = create().send().await.unwrap();
    let arn = format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main");
    assert_eq!(t.trail_arn(), Some(arn.as_str()));
    assert_eq!(
        (
            t.include_global_service_events(),
            t.is_multi_region_trail(),
            t.is_organization_trail(),
            t.log_file_validation_enabled()
        ),
        (Some(true), Some(false), Some(false), Some(false))
    );
    assert_eq!(code(create().send().await), "TrailAlreadyExistsException");

    let described = ct.describe_trails().send().await.unwrap();
    let list = described.trail_list();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (
            list[0].name(),
            list[0].s3_key_prefix(),
            list[0].home_region(),
            list[0].has_custom_event_selectors()
        ),
        (Some("main"), Some("audit"), Some("us-east-1"), Some(false))
    );
    let got = ct.get_trail().name(&arn).send().await.unwrap();
    assert_eq!(got.trail().unwrap().trail_arn(), Some(arn.as_str()));
    let listed = ct.list_trails().send().await.unwrap();
    assert_eq!(listed.trails()[0].home_region(), Some("us-east-1"));
    let status = ct.get_trail_status().name("main").send().await.unwrap();
    assert_eq!(status.is_logging(), Some(false));

    // Default selectors: every management event.
    let sel = ct
        .get_event_selectors()
        .trail_name("main")
        .send()
        .await
        .unwrap();
    let e = &sel.event_selectors()[0];
    assert_eq!(
        (e.read_write_type(), e.include_management_events()),
        (Some(&ReadWriteType::All), Some(true))
    );

    ct.start_logging().name("main").send().await.unwrap();
    let status = ct.get_trail_status().name("main").send().await.unwrap();
    assert_eq!(status.is_logging(), Some(true));
    assert!(status.start_logging_time().is_some());

    // Calls made while logging reach the bucket.
    let iam = aws_sdk_iam::Client::new(&admin);
    iam.create_user().user_name("traced").send().await.unwrap();
    let files = files_with(&c, "trail-logs", |r| r["eventName"] == "CreateUser").await;
    assert!(!files.is_empty(), "no log file delivered");
    let all = names(&files);
    assert!(all.contains(&"CreateUser".to_owned()), "{all:?}");
    let (key, records) = files
        .iter()
        .find(|(_, r)| r.iter().any(|e| e["eventName"] == "CreateUser"))
        .unwrap();
    // PREFIX/AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz
    let parts: Vec<&str> = key.split('/').collect();
    assert_eq!(parts.len(), 9, "{key}");
    assert_eq!(
        &parts[..5],
        ["audit", "AWSLogs", ACCOUNT, "CloudTrail", "us-east-1"]
    );
    assert!(
        parts[8].starts_with(&format!(
            "{ACCOUNT}_CloudTrail_us-east-1_{}{}{}T",
            parts[5], parts[6], parts[7]
        )),
        "{key}"
    );
    assert!(records.iter().all(|r| r["recipientAccountId"] == ACCOUNT));
    let create_user = records
        .iter()
        .find(|r| r["eventName"] == "CreateUser")
        .unwrap();
    assert_eq!(create_user["eventSource"], "iam.amazonaws.com");
    assert_eq!(create_user["requestParameters"]["userName"], "traced");
    let status = ct.get_trail_status().name("main").send().await.unwrap();
    assert!(status.latest_delivery_time().is_some());
    assert_eq!(status.latest_delivery_error(), None);

    // Write-only selectors: reads are left out from now on.
    let put = ct
        .put_event_selectors()
        .trail_name("main")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::WriteOnly)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(put.trail_arn(), Some(arn.as_str()));
    let described = ct.describe_trails().send().await.unwrap();
    assert_eq!(
        described.trail_list()[0].has_custom_event_selectors(),
        Some(true)
    );
    let seen: Vec<String> = log_files(&c, "trail-logs")
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    iam.list_users().send().await.unwrap();
    iam.create_user().user_name("second").send().await.unwrap();
    let new: Vec<(String, Vec<Value>)> = files_with(&c, "trail-logs", |r| {
        r["requestParameters"]["userName"] == "second"
    })
    .await
    .into_iter()
    .filter(|(k, _)| !seen.contains(k))
    .collect();
    let later = names(&new);
    assert!(later.contains(&"CreateUser".to_owned()), "{later:?}");
    assert!(!later.iter().any(|n| n == "ListUsers"), "{later:?}");

    // Advanced selectors replace basic ones.
    let advanced = ct
        .put_event_selectors()
        .trail_name(&arn)
        .advanced_event_selectors(
            AdvancedEventSelector::builder()
                .name("Management writes")
                .field_selectors(
                    AdvancedFieldSelector::builder()
                        .field("eventCategory")
                        .equals("Management")
                        .build()
                        .unwrap(),
                )
                .field_selectors(
                    AdvancedFieldSelector::builder()
                        .field("readOnly")
                        .equals("false")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert!(advanced.event_selectors().is_empty());
    let sel = ct
        .get_event_selectors()
        .trail_name("main")
        .send()
        .await
        .unwrap();
    assert_eq!(sel.advanced_event_selectors()[0].field_selectors().len(), 2);
    assert_eq!(
        code(
            ct.put_event_selectors()
                .trail_name("main")
                .event_selectors(
                    EventSelector::builder()
                        .data_resources(
                            aws_sdk_cloudtrail::types::DataResource::builder()
                                .r#type("AWS::Nothing::Here")
                                .values("arn:aws:s3")
                                .build(),
                        )
                        .build()
                )
                .send()
                .await
        ),
        "InvalidEventSelectorsException"
    );

    ct.stop_logging().name("main").send().await.unwrap();
    let status = ct.get_trail_status().name("main").send().await.unwrap();
    assert_eq!(status.is_logging(), Some(false));
    assert!(status.stop_logging_time().is_some());
    // The trail delivers the StopLogging that stopped it (detections of
    // trail tampering read it there), and nothing after it.
    iam.create_user()
        .user_name("after-stop")
        .send()
        .await
        .unwrap();
    let stopped = files_with(&c, "trail-logs", |r| r["eventName"] == "StopLogging").await;
    let after = names(&stopped);
    assert!(after.contains(&"StopLogging".to_owned()), "{after:?}");
    assert!(
        !stopped
            .iter()
            .flat_map(|(_, r)| r)
            .any(|r| r["requestParameters"]["userName"] == "after-stop"),
        "{after:?}"
    );

    // The trail calls themselves are in the event history.
    let found = ct
        .lookup_events()
        .lookup_attributes(
            LookupAttribute::builder()
                .attribute_key(LookupAttributeKey::EventName)
                .attribute_value("StopLogging")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        found.events()[0].event_source(),
        Some("cloudtrail.amazonaws.com")
    );

    ct.delete_trail().name("main").send().await.unwrap();
    assert_eq!(
        code(ct.get_trail().name("main").send().await),
        "TrailNotFoundException"
    );
    assert_eq!(
        code(ct.get_trail().name("arn:aws:s3:::not-a-trail").send().await),
        "CloudTrailARNInvalidException"
    );
    assert!(
        ct.describe_trails()
            .send()
            .await
            .unwrap()
            .trail_list()
            .is_empty()
    );
}

#[tokio::test]
async fn an_organization_trail_is_seen_by_members_who_cannot_change_it() {
    let s = Server::start().await;
    let admin = s.admin();
    let org = aws_sdk_organizations::Client::new(&admin);
    org.create_organization().send().await.unwrap();
    let org_id = org
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let member = created(&org, "member").await;
    let c = s3(&admin);
    c.create_bucket().bucket("org-logs").send().await.unwrap();
    c.put_bucket_policy()
        .bucket("org-logs")
        .policy(trail_policy(
            "org-logs",
            &[
                format!("AWSLogs/{ACCOUNT}/*"),
                format!("AWSLogs/{org_id}/*"),
            ],
        ))
        .send()
        .await
        .unwrap();
    let ct = Client::new(&admin);
    let create = || {
        ct.create_trail()
            .name("org-trail")
            .s3_bucket_name("org-logs")
            .is_organization_trail(true)
            .is_multi_region_trail(true)
    };
    assert_eq!(
        code(create().send().await),
        "CloudTrailAccessNotEnabledException"
    );
    org.enable_aws_service_access()
        .service_principal("cloudtrail.amazonaws.com")
        .send()
        .await
        .unwrap();
    let t = create().send().await.unwrap();
    assert_eq!(t.is_organization_trail(), Some(true));
    let arn = t.trail_arn().unwrap().to_owned();
    ct.start_logging().name("org-trail").send().await.unwrap();

    // The member account sees it, with the management account's ARN, in
    // every region (a multi-region trail).
    let member_admin = admin_role_in(&s, &member).await;
    let mct = Client::new(&member_admin);
    let seen = mct.describe_trails().send().await.unwrap();
    assert_eq!(seen.trail_list().len(), 1);
    let t = &seen.trail_list()[0];
    assert_eq!(t.trail_arn(), Some(arn.as_str()));
    assert!(arn.contains(&format!(":{ACCOUNT}:trail/")));
    assert_eq!(t.is_organization_trail(), Some(true));
    let west = Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(&member_admin)
            .region(aws_sdk_cloudtrail::config::Region::new("eu-west-1"))
            .build(),
    );
    assert_eq!(
        west.describe_trails()
            .send()
            .await
            .unwrap()
            .trail_list()
            .len(),
        1
    );
    let status = mct.get_trail_status().name(&arn).send().await.unwrap();
    assert_eq!(status.is_logging(), Some(true));
    // By its ARN only: a name finds the caller's own trails of the region
    // (CloudTrail's API reference), so neither the member nor the
    // management account in another region finds it by name.
    assert_eq!(
        code(mct.get_trail_status().name("org-trail").send().await),
        "TrailNotFoundException"
    );
    assert!(
        west.describe_trails()
            .trail_name_list("org-trail")
            .send()
            .await
            .unwrap()
            .trail_list()
            .is_empty()
    );
    let management_west = Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(&s.admin())
            .region(aws_sdk_cloudtrail::config::Region::new("eu-west-1"))
            .build(),
    );
    assert_eq!(
        code(
            management_west
                .get_trail_status()
                .name("org-trail")
                .send()
                .await
        ),
        "TrailNotFoundException"
    );
    let shadow = management_west
        .get_trail_status()
        .name(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(shadow.is_logging(), Some(true));
    // It cannot change it.
    assert_eq!(
        code(mct.stop_logging().name(&arn).send().await),
        "AccessDeniedException"
    );
    assert_eq!(
        code(mct.delete_trail().name(&arn).send().await),
        "AccessDeniedException"
    );
    assert_eq!(
        code(
            mct.create_trail()
                .name("mine")
                .s3_bucket_name("org-logs")
                .is_organization_trail(true)
                .send()
                .await
        ),
        "NotOrganizationMasterAccountException"
    );

    // The member's calls are delivered under AWSLogs/o-ORG/MEMBER/.
    aws_sdk_iam::Client::new(&member_admin)
        .create_user()
        .user_name("in-member")
        .send()
        .await
        .unwrap();
    let member_files: Vec<(String, Vec<Value>)> = files_with(&c, "org-logs", |r| {
        r["eventName"] == "CreateUser" && r["recipientAccountId"] == member.as_str()
    })
    .await
    .into_iter()
    .filter(|(k, _)| k.starts_with(&format!("AWSLogs/{org_id}/{member}/CloudTrail/")))
    .collect();
    assert!(
        names(&member_files).contains(&"CreateUser".to_owned()),
        "{member_files:?}"
    );
    assert!(
        member_files
            .iter()
            .flat_map(|(_, r)| r)
            .all(|r| r["recipientAccountId"] == member.as_str())
    );
}
