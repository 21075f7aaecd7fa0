//! Issue 14 §3–4 in the domain, on a real SQLite store and event history,
//! without HTTP: CloudTrail trails (organization trails, log file delivery,
//! a restart between an event and its delivery), S3 bucket configuration and
//! checksums, Account Management contacts, the EC2 region list.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::Read as _;
use std::sync::Arc;

use rootward_core::account::model::{AlternateContact, AlternateContactType, ContactInformation};
use rootward_core::account::{self, AccountError};
use rootward_core::authz::{Caller, CallerKind};
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::cloudtrail::delivery::deliver_once;
use rootward_core::cloudtrail::model::{
    AdvancedEventSelector, EventSelector, FieldSelector, ReadWriteType,
};
use rootward_core::cloudtrail::trails::{self, CreateTrail, Selectors};
use rootward_core::ec2::{self, DescribeRegions};
use rootward_core::keys::{Keys, MasterKey};
use rootward_core::org::{accounts, organization, services};
use rootward_core::s3::checksum::{Algorithm, ChecksumType, Claim};
use rootward_core::s3::config::{
    self, EncryptionRule, ObjectOwnership, PublicAccessBlock, Tag, Versioning, VersioningStatus,
    Website,
};
use rootward_core::s3::{self, ListRequest, PutObject};
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::trail::sqlite::SqliteTrail;
use rootward_core::trail::{Trail as History, TrailEvent};
use rootward_core::{CoreError, Service};
use time::OffsetDateTime;

const MGMT: &str = "111111111111";

fn open(dir: &std::path::Path) -> Arc<Service> {
    let store = SqliteStore::open(&dir.join("state.db")).unwrap();
    let keys = Keys::new(
        &MasterKey::read_or_create(&dir.join("master.key")).unwrap(),
        None,
    );
    let svc =
        Arc::new(Service::open(Box::new(store), Arc::new(SystemClock::default()), keys).unwrap());
    let history = SqliteTrail::open(&dir.join("trail.db")).unwrap();
    svc.set_trail(
        History::start(
            Arc::new(history),
            None,
            rootward_core::trail::DEFAULT_RETENTION,
        )
        .unwrap(),
    );
    bootstrap(
        &svc,
        Some(MGMT),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    svc
}

/// The root user of `account` calling in `region`.
fn root(account: &str, region: &str) -> Caller {
    Caller {
        account: account.to_owned(),
        kind: CallerKind::Root,
        access_key_id: "AKIAROOTCALLER000001".to_owned(),
        token_issued: None,
        session_policies: Vec::new(),
        session_policy_arns: Vec::new(),
        tags: Vec::new(),
        task_policy: None,
        source_identity: None,
        source_ip: Some("127.0.0.1".to_owned()),
        user_agent: None,
        region: region.to_owned(),
        secure_transport: true,
        mfa: false,
        session_token: false,
    }
}

/// The failure's variant name (the domain's word for it).
fn variant(e: &impl std::fmt::Debug) -> String {
    format!("{e:?}")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_owned()
}

fn code(e: CoreError) -> String {
    match e {
        CoreError::CloudTrail(e) => variant(&e),
        CoreError::S3(e) => variant(&e),
        CoreError::Account(AccountError::ResourceNotFound(_)) => "ResourceNotFoundException".into(),
        CoreError::Account(AccountError::Validation { .. }) => "ValidationException".into(),
        CoreError::Ec2(e) => format!("{e:?}"),
        CoreError::AccessDenied(_) => "AccessDenied".into(),
        other => panic!("unexpected {other:?}"),
    }
}

/// AWS's documented bucket policy for CloudTrail log files.
fn trail_bucket_policy(bucket: &str, paths: &[String]) -> String {
    let resources: Vec<String> = paths
        .iter()
        .map(|p| format!("\"arn:aws:s3:::{bucket}/{p}\""))
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::{bucket}"}},{{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{{"Service":"cloudtrail.amazonaws.com"}},"Action":"s3:PutObject","Resource":[{}],"Condition":{{"StringEquals":{{"s3:x-amz-acl":"bucket-owner-full-control"}}}}}}]}}"#,
        resources.join(",")
    )
}

/// An event of the history, as the protocol layer would record it.
fn event(account: &str, region: &str, name: &str, read_only: bool) -> TrailEvent {
    let id = format!(
        "{name}-{}",
        OffsetDateTime::now_utc().unix_timestamp_nanos()
    );
    TrailEvent {
        json: format!(
            r#"{{"eventID":"{id}","eventName":"{name}","eventSource":"iam.amazonaws.com","awsRegion":"{region}","recipientAccountId":"{account}","readOnly":{read_only}}}"#
        ),
        id,
        account: account.to_owned(),
        region: region.to_owned(),
        time: OffsetDateTime::now_utc(),
        name: name.to_owned(),
        source: "iam.amazonaws.com".to_owned(),
        read_only,
        access_key: None,
        username: None,
        resources: Vec::new(),
    }
}

fn record(svc: &Service, events: Vec<TrailEvent>) {
    let history = svc.trail().unwrap();
    for e in events {
        history.record(e);
    }
    history.flush();
}

/// The log files in `bucket`: key, and the `Records` of each.
fn log_files(
    svc: &Service,
    caller: &Caller,
    bucket: &str,
) -> Vec<(String, Vec<serde_json::Value>)> {
    let page = s3::list_objects(
        svc,
        caller,
        bucket,
        ListRequest {
            prefix: "",
            delimiter: None,
            max_keys: 1000,
            after: None,
        },
    )
    .unwrap();
    page.objects
        .iter()
        .filter(|o| o.key.ends_with(".json.gz"))
        .map(|o| {
            let (_, gz) = s3::get_object(svc, caller, bucket, &o.key).unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(gz.as_slice())
                .read_to_string(&mut text)
                .unwrap();
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            (o.key.clone(), doc["Records"].as_array().unwrap().clone())
        })
        .collect()
}

fn new_trail(name: &str, bucket: &str) -> CreateTrail {
    CreateTrail {
        name: name.to_owned(),
        s3_bucket: bucket.to_owned(),
        ..CreateTrail::default()
    }
}

#[test]
fn create_trail_checks_the_bucket_and_its_policy_and_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    assert_eq!(
        code(trails::create_trail(&svc, &me, new_trail("main", "trail-logs")).unwrap_err()),
        "S3BucketDoesNotExist"
    );
    s3::create_bucket(&svc, &me, "trail-logs", None).unwrap();
    assert_eq!(
        code(trails::create_trail(&svc, &me, new_trail("main", "trail-logs")).unwrap_err()),
        "InsufficientS3BucketPolicy"
    );
    // A policy for another account's path is not enough either.
    s3::put_bucket_policy(
        &svc,
        &me,
        "trail-logs",
        &trail_bucket_policy("trail-logs", &["AWSLogs/222222222222/*".into()]),
    )
    .unwrap();
    assert_eq!(
        code(trails::create_trail(&svc, &me, new_trail("main", "trail-logs")).unwrap_err()),
        "InsufficientS3BucketPolicy"
    );
    s3::put_bucket_policy(
        &svc,
        &me,
        "trail-logs",
        &trail_bucket_policy("trail-logs", &[format!("AWSLogs/{MGMT}/*")]),
    )
    .unwrap();
    for (bad, expected) in [("a", "InvalidTrailName"), ("my--trail", "InvalidTrailName")] {
        assert_eq!(
            code(trails::create_trail(&svc, &me, new_trail(bad, "trail-logs")).unwrap_err()),
            expected
        );
    }
    let mut multi_without_global = new_trail("main", "trail-logs");
    multi_without_global.is_multi_region = Some(true);
    multi_without_global.include_global_service_events = Some(false);
    assert_eq!(
        code(trails::create_trail(&svc, &me, multi_without_global).unwrap_err()),
        "InvalidParameterCombination"
    );
    let mut validation = new_trail("main", "trail-logs");
    validation.enable_log_file_validation = Some(true);
    assert_eq!(
        code(trails::create_trail(&svc, &me, validation).unwrap_err()),
        "UnsupportedOperation"
    );

    let t = trails::create_trail(&svc, &me, new_trail("main", "trail-logs")).unwrap();
    assert_eq!(
        t.arn(),
        format!("arn:aws:cloudtrail:us-east-1:{MGMT}:trail/main")
    );
    assert!(t.include_global_service_events && !t.is_multi_region && !t.is_logging());
    assert_eq!(
        code(trails::create_trail(&svc, &me, new_trail("main", "trail-logs")).unwrap_err()),
        "TrailAlreadyExists"
    );
    // The same name in another region is another trail; five per region.
    let west = root(MGMT, "us-west-2");
    s3::put_bucket_policy(
        &svc,
        &me,
        "trail-logs",
        &trail_bucket_policy("trail-logs", &["AWSLogs/*".into()]),
    )
    .unwrap();
    trails::create_trail(&svc, &west, new_trail("main", "trail-logs")).unwrap();
    for n in 2..=5 {
        trails::create_trail(&svc, &me, new_trail(&format!("trail{n}"), "trail-logs")).unwrap();
    }
    assert_eq!(
        code(trails::create_trail(&svc, &me, new_trail("trail6", "trail-logs")).unwrap_err()),
        "MaximumNumberOfTrailsExceeded"
    );
    assert_eq!(
        trails::describe_trails(&svc, &me, &[], true).unwrap().len(),
        5
    );
    assert_eq!(
        trails::describe_trails(&svc, &west, &[], true)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(trails::list_trails(&svc, &me).unwrap().len(), 6);
}

#[test]
fn trails_start_stop_take_selectors_and_are_deleted_from_their_home_region() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    s3::create_bucket(&svc, &me, "trail-logs", None).unwrap();
    s3::put_bucket_policy(
        &svc,
        &me,
        "trail-logs",
        &trail_bucket_policy("trail-logs", &["logs/AWSLogs/*".into()]),
    )
    .unwrap();
    let mut input = new_trail("everywhere", "trail-logs");
    input.is_multi_region = Some(true);
    input.s3_key_prefix = Some("logs".into());
    let t = trails::create_trail(&svc, &me, input).unwrap();

    // Seen as a shadow trail in another region, found by name or ARN there.
    let west = root(MGMT, "eu-west-1");
    let shadows = trails::describe_trails(&svc, &west, &[], true).unwrap();
    assert_eq!(shadows.len(), 1);
    assert_eq!(shadows[0].home_region, "us-east-1");
    assert!(
        trails::describe_trails(&svc, &west, &[], false)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        trails::get_trail(&svc, &west, "everywhere").unwrap().arn(),
        t.arn()
    );
    assert_eq!(
        trails::get_trail(&svc, &west, &t.arn()).unwrap().arn(),
        t.arn()
    );
    // Changed only from its home region.
    assert_eq!(
        code(trails::start_logging(&svc, &west, "everywhere").unwrap_err()),
        "InvalidHomeRegion"
    );

    trails::start_logging(&svc, &me, "everywhere").unwrap();
    let s = trails::get_trail_status(&svc, &me, &t.arn()).unwrap();
    assert!(s.is_logging() && s.start_logging_time().is_some() && s.stop_logging_time().is_none());
    // Starting again changes nothing.
    trails::start_logging(&svc, &me, "everywhere").unwrap();
    assert_eq!(
        trails::get_trail(&svc, &me, "everywhere")
            .unwrap()
            .logging
            .len(),
        1
    );

    // The default selector, then basic ones, then advanced ones.
    let got = trails::get_event_selectors(&svc, &me, "everywhere").unwrap();
    assert!(got.event_selectors.is_none() && !got.has_custom_event_selectors);
    let write_only = EventSelector {
        read_write_type: ReadWriteType::WriteOnly,
        ..EventSelector::default_selector()
    };
    let t = trails::put_event_selectors(
        &svc,
        &me,
        "everywhere",
        Selectors::Basic(vec![write_only.clone()]),
    )
    .unwrap();
    assert_eq!(t.event_selectors, Some(vec![write_only]));
    assert!(t.has_custom_event_selectors);
    let mut bad = EventSelector::default_selector();
    bad.data_resources
        .push(rootward_core::cloudtrail::model::DataResource {
            kind: "AWS::EC2::Instance".into(),
            values: vec![],
        });
    assert_eq!(
        code(
            trails::put_event_selectors(&svc, &me, "everywhere", Selectors::Basic(vec![bad]))
                .unwrap_err()
        ),
        "InvalidEventSelectors"
    );
    let management = AdvancedEventSelector {
        name: Some("Management events".into()),
        field_selectors: vec![FieldSelector {
            field: "eventCategory".into(),
            equals: vec!["Management".into()],
            ..FieldSelector::default()
        }],
    };
    let t = trails::put_event_selectors(&svc, &me, &t.arn(), Selectors::Advanced(vec![management]))
        .unwrap();
    assert!(t.event_selectors.is_none() && t.advanced_event_selectors.is_some());

    trails::stop_logging(&svc, &me, "everywhere").unwrap();
    let s = trails::get_trail_status(&svc, &me, "everywhere").unwrap();
    assert!(!s.is_logging() && s.stop_logging_time().is_some());

    assert_eq!(
        code(trails::delete_trail(&svc, &west, "everywhere").unwrap_err()),
        "InvalidHomeRegion"
    );
    trails::delete_trail(&svc, &me, "everywhere").unwrap();
    assert_eq!(
        code(trails::get_trail(&svc, &me, "everywhere").unwrap_err()),
        "TrailNotFound"
    );
    assert_eq!(
        code(trails::get_trail(&svc, &me, "arn:aws:s3:::nope").unwrap_err()),
        "CloudTrailArnInvalid"
    );
    // A user without cloudtrail permissions is refused.
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    rootward_core::iam::users::create_user(&svc, &admin, "nobody", None).unwrap();
    let key =
        rootward_core::iam::access_keys::create_access_key(&svc, &admin, Some("nobody")).unwrap();
    let nobody = svc.credential(&key.id, None).unwrap().caller;
    assert_eq!(
        code(trails::describe_trails(&svc, &nobody, &[], true).unwrap_err()),
        "AccessDenied"
    );
}

#[test]
fn a_logging_trail_delivers_gzipped_records_once_even_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let me = root(MGMT, "us-east-1");
    {
        let svc = open(dir.path());
        s3::create_bucket(&svc, &me, "trail-logs", None).unwrap();
        s3::put_bucket_policy(
            &svc,
            &me,
            "trail-logs",
            &trail_bucket_policy("trail-logs", &[format!("AWSLogs/{MGMT}/*")]),
        )
        .unwrap();
        trails::create_trail(&svc, &me, new_trail("main", "trail-logs")).unwrap();
        // Before logging starts: not delivered.
        record(&svc, vec![event(MGMT, "us-east-1", "BeforeLogging", false)]);
        trails::start_logging(&svc, &me, "main").unwrap();
        record(
            &svc,
            vec![
                event(MGMT, "us-east-1", "CreateUser", false),
                event(MGMT, "us-east-1", "GetUser", true),
                // Another region (the trail is single-region) and another
                // account: not delivered.
                event(MGMT, "eu-west-1", "OtherRegion", false),
                event("222222222222", "us-east-1", "OtherAccount", false),
            ],
        );
        let r = deliver_once(&svc).unwrap();
        assert_eq!((r.files, r.events), (1, 2));
        let files = log_files(&svc, &me, "trail-logs");
        assert_eq!(files.len(), 1);
        let (key, records) = &files[0];
        let names: Vec<&str> = records
            .iter()
            .map(|r| r["eventName"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["CreateUser", "GetUser"]);
        // AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz
        let parts: Vec<&str> = key.split('/').collect();
        assert_eq!(&parts[..4], ["AWSLogs", MGMT, "CloudTrail", "us-east-1"]);
        assert_eq!(parts.len(), 8);
        let file = parts[7];
        assert!(
            file.starts_with(&format!(
                "{MGMT}_CloudTrail_us-east-1_{}{}{}T",
                parts[4], parts[5], parts[6]
            )),
            "{file}"
        );
        let random = file
            .trim_end_matches(".json.gz")
            .rsplit('_')
            .next()
            .unwrap();
        assert_eq!(random.len(), 16);
        let status = trails::get_trail_status(&svc, &me, "main").unwrap();
        assert!(status.latest_delivery.is_some() && status.latest_delivery_error.is_none());
        // Nothing new: nothing delivered.
        assert_eq!(deliver_once(&svc).unwrap().files, 0);
        // An event committed to the history and not yet delivered when the
        // server stops...
        record(&svc, vec![event(MGMT, "us-east-1", "DeleteUser", false)]);
    }
    // ... is delivered after the restart, once.
    let svc = open(dir.path());
    assert_eq!(deliver_once(&svc).unwrap().events, 1);
    assert_eq!(deliver_once(&svc).unwrap().files, 0);
    let all: Vec<String> = log_files(&svc, &me, "trail-logs")
        .into_iter()
        .flat_map(|(_, r)| {
            r.into_iter()
                .map(|e| e["eventName"].as_str().unwrap().to_owned())
        })
        .collect();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(sorted, ["CreateUser", "DeleteUser", "GetUser"]);

    // Write-only selectors leave reads out; after StopLogging nothing is
    // delivered.
    trails::put_event_selectors(
        &svc,
        &me,
        "main",
        Selectors::Basic(vec![EventSelector {
            read_write_type: ReadWriteType::WriteOnly,
            ..EventSelector::default_selector()
        }]),
    )
    .unwrap();
    record(
        &svc,
        vec![
            event(MGMT, "us-east-1", "ListUsers", true),
            event(MGMT, "us-east-1", "TagUser", false),
        ],
    );
    assert_eq!(deliver_once(&svc).unwrap().events, 1);
    trails::stop_logging(&svc, &me, "main").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    record(&svc, vec![event(MGMT, "us-east-1", "AfterStop", false)]);
    assert_eq!(deliver_once(&svc).unwrap().events, 0);

    // A bucket policy that stops allowing CloudTrail: the error shows in the
    // trail's status.
    trails::start_logging(&svc, &me, "main").unwrap();
    s3::delete_bucket_policy(&svc, &me, "trail-logs").unwrap();
    record(&svc, vec![event(MGMT, "us-east-1", "Refused", false)]);
    assert_eq!(deliver_once(&svc).unwrap().files, 0);
    assert_eq!(
        trails::get_trail_status(&svc, &me, "main")
            .unwrap()
            .latest_delivery_error
            .as_deref(),
        Some("AccessDenied")
    );
}

/// An organization: the management account, one member created in it, and
/// the member's id.
fn organization(svc: &Service) -> String {
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    organization::create_organization(svc, &admin, Some("ALL")).unwrap();
    let status = accounts::create_account(
        svc,
        &admin,
        accounts::CreateAccount {
            email: "member@example.com",
            account_name: "member",
            role_name: None,
            iam_user_access_to_billing: None,
        },
    )
    .unwrap();
    let status = accounts::describe_create_account_status(svc, &admin, &status.id).unwrap();
    status.account_id.unwrap()
}

#[test]
fn an_organization_trail_is_seen_by_members_who_cannot_change_it() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    let mut org_trail = new_trail("org-trail", "org-logs");
    org_trail.is_organization_trail = Some(true);
    s3::create_bucket(&svc, &me, "org-logs", None).unwrap();
    assert_eq!(
        code(trails::create_trail(&svc, &me, org_trail.clone()).unwrap_err()),
        "OrganizationsNotInUse"
    );
    let member_id = organization(&svc);
    let org_id = svc.read().org.org_of(MGMT).unwrap().id.clone();
    s3::put_bucket_policy(
        &svc,
        &me,
        "org-logs",
        &trail_bucket_policy(
            "org-logs",
            &[format!("AWSLogs/{MGMT}/*"), format!("AWSLogs/{org_id}/*")],
        ),
    )
    .unwrap();
    assert_eq!(
        code(trails::create_trail(&svc, &me, org_trail.clone()).unwrap_err()),
        "CloudTrailAccessNotEnabled"
    );
    services::enable_service_access(&svc, &admin, "cloudtrail.amazonaws.com").unwrap();
    let member = root(&member_id, "us-east-1");
    assert_eq!(
        code(trails::create_trail(&svc, &member, org_trail.clone()).unwrap_err()),
        "NotOrganizationMasterAccount"
    );
    let t = trails::create_trail(&svc, &me, org_trail).unwrap();
    assert_eq!(t.organization.as_deref(), Some(org_id.as_str()));
    trails::start_logging(&svc, &me, "org-trail").unwrap();

    // The member lists it, with the management account's ARN, and reads it.
    let seen = trails::describe_trails(&svc, &member, &[], true).unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].arn(),
        format!("arn:aws:cloudtrail:us-east-1:{MGMT}:trail/org-trail")
    );
    assert!(seen[0].is_organization_trail());
    assert!(
        trails::get_trail_status(&svc, &member, &t.arn())
            .unwrap()
            .is_logging()
    );
    // It cannot change it.
    for r in [
        trails::stop_logging(&svc, &member, &t.arn()),
        trails::delete_trail(&svc, &member, "org-trail"),
    ] {
        assert_eq!(code(r.unwrap_err()), "AccessDenied");
    }
    // Outsiders do not see it.
    let outsider = root("333333333333", "us-east-1");
    assert!(
        trails::describe_trails(&svc, &outsider, &[], true)
            .unwrap()
            .is_empty()
    );

    // The member's events are delivered under AWSLogs/o-ORG/MEMBER/.
    record(
        &svc,
        vec![
            event(&member_id, "us-east-1", "MemberCall", false),
            event(MGMT, "us-east-1", "ManagementCall", false),
            event("333333333333", "us-east-1", "Outsider", false),
        ],
    );
    assert_eq!(deliver_once(&svc).unwrap().files, 2);
    let mut keys: Vec<(String, String)> = log_files(&svc, &me, "org-logs")
        .into_iter()
        .map(|(k, r)| {
            (
                k.split('/').take(3).collect::<Vec<_>>().join("/"),
                r[0]["eventName"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    keys.sort();
    let mut expected = vec![
        (
            format!("AWSLogs/{org_id}/{member_id}"),
            "MemberCall".to_owned(),
        ),
        (
            format!("AWSLogs/{org_id}/{MGMT}"),
            "ManagementCall".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(keys, expected);
}

#[test]
fn a_new_bucket_is_configured_as_s3_creates_buckets_and_settings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    s3::create_bucket(&svc, &me, "cfg", None).unwrap();
    assert_eq!(
        config::get_bucket_versioning(&svc, &me, "cfg").unwrap(),
        None
    );
    assert_eq!(config::get_bucket_logging(&svc, &me, "cfg").unwrap(), None);
    assert_eq!(
        config::get_bucket_encryption(&svc, &me, "cfg").unwrap(),
        vec![EncryptionRule::sse_s3()]
    );
    let acl = config::get_bucket_acl(&svc, &me, "cfg").unwrap();
    assert_eq!(acl.grants, vec![(MGMT.to_owned(), "FULL_CONTROL")]);
    assert_eq!(
        code(config::get_bucket_tagging(&svc, &me, "cfg").unwrap_err()),
        "NoSuchTagSet"
    );
    assert_eq!(
        code(config::get_bucket_website(&svc, &me, "cfg").unwrap_err()),
        "NoSuchWebsiteConfiguration"
    );
    assert_eq!(
        config::get_public_access_block(&svc, &me, "cfg").unwrap(),
        PublicAccessBlock::all()
    );
    assert_eq!(
        config::get_bucket_ownership_controls(&svc, &me, "cfg").unwrap(),
        ObjectOwnership::BucketOwnerEnforced
    );

    // Versioning can be suspended, never unset.
    config::put_bucket_versioning(
        &svc,
        &me,
        "cfg",
        Versioning {
            status: Some(VersioningStatus::Enabled),
            mfa_delete: None,
        },
    )
    .unwrap();
    config::put_bucket_versioning(
        &svc,
        &me,
        "cfg",
        Versioning {
            status: Some(VersioningStatus::Suspended),
            mfa_delete: None,
        },
    )
    .unwrap();
    assert_eq!(
        config::get_bucket_versioning(&svc, &me, "cfg")
            .unwrap()
            .unwrap()
            .status,
        Some(VersioningStatus::Suspended)
    );
    // Logging into a bucket of the same account only.
    let logging = |target: &str| {
        Some(config::Logging {
            target_bucket: target.into(),
            target_prefix: "access/".into(),
            key_format: None,
        })
    };
    assert_eq!(
        code(config::put_bucket_logging(&svc, &me, "cfg", logging("nowhere")).unwrap_err()),
        "InvalidTargetBucketForLogging"
    );
    config::put_bucket_logging(&svc, &me, "cfg", logging("cfg")).unwrap();
    assert_eq!(
        config::get_bucket_logging(&svc, &me, "cfg").unwrap(),
        logging("cfg")
    );
    config::put_bucket_logging(&svc, &me, "cfg", None).unwrap();
    assert_eq!(config::get_bucket_logging(&svc, &me, "cfg").unwrap(), None);
    // Encryption: KMS put, then deleted back to SSE-S3.
    let kms = EncryptionRule {
        sse_algorithm: "aws:kms".into(),
        kms_master_key_id: Some("alias/logs".into()),
        bucket_key_enabled: Some(true),
        blocked_encryption_types: Vec::new(),
    };
    config::put_bucket_encryption(&svc, &me, "cfg", vec![kms.clone()]).unwrap();
    assert_eq!(
        config::get_bucket_encryption(&svc, &me, "cfg").unwrap(),
        vec![kms]
    );
    let mut bad = EncryptionRule::sse_s3();
    bad.sse_algorithm = "ROT13".into();
    assert_eq!(
        code(config::put_bucket_encryption(&svc, &me, "cfg", vec![bad]).unwrap_err()),
        "MalformedXml"
    );
    config::delete_bucket_encryption(&svc, &me, "cfg").unwrap();
    assert_eq!(
        config::get_bucket_encryption(&svc, &me, "cfg").unwrap(),
        vec![EncryptionRule::sse_s3()]
    );
    // Tags, website, Block Public Access, Object Ownership: put, read, delete.
    let tags = vec![Tag {
        key: "team".into(),
        value: "security".into(),
    }];
    config::put_bucket_tagging(&svc, &me, "cfg", tags.clone()).unwrap();
    assert_eq!(config::get_bucket_tagging(&svc, &me, "cfg").unwrap(), tags);
    config::delete_bucket_tagging(&svc, &me, "cfg").unwrap();
    assert_eq!(
        code(config::get_bucket_tagging(&svc, &me, "cfg").unwrap_err()),
        "NoSuchTagSet"
    );
    assert_eq!(
        code(config::put_bucket_website(&svc, &me, "cfg", Website::default()).unwrap_err()),
        "InvalidArgument"
    );
    let site = Website {
        index_document: Some("index.html".into()),
        error_document: Some("404.html".into()),
        ..Website::default()
    };
    config::put_bucket_website(&svc, &me, "cfg", site.clone()).unwrap();
    assert_eq!(config::get_bucket_website(&svc, &me, "cfg").unwrap(), site);
    config::delete_bucket_website(&svc, &me, "cfg").unwrap();
    config::delete_public_access_block(&svc, &me, "cfg").unwrap();
    assert_eq!(
        code(config::get_public_access_block(&svc, &me, "cfg").unwrap_err()),
        "NoSuchPublicAccessBlockConfiguration"
    );
    config::put_bucket_ownership_controls(&svc, &me, "cfg", ObjectOwnership::ObjectWriter).unwrap();
    assert_eq!(
        config::get_bucket_ownership_controls(&svc, &me, "cfg").unwrap(),
        ObjectOwnership::ObjectWriter
    );
    config::delete_bucket_ownership_controls(&svc, &me, "cfg").unwrap();
    assert_eq!(
        code(config::get_bucket_ownership_controls(&svc, &me, "cfg").unwrap_err()),
        "OwnershipControlsNotFound"
    );

    // The settings survive a restart.
    config::put_bucket_tagging(&svc, &me, "cfg", tags.clone()).unwrap();
    drop(svc);
    let svc = open(dir.path());
    assert_eq!(config::get_bucket_tagging(&svc, &me, "cfg").unwrap(), tags);
    assert_eq!(
        config::get_bucket_versioning(&svc, &me, "cfg")
            .unwrap()
            .unwrap()
            .status,
        Some(VersioningStatus::Suspended)
    );

    // Authorized with S3's action names: a user allowed only
    // s3:GetEncryptionConfiguration reads the encryption and nothing else.
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    rootward_core::iam::users::create_user(&svc, &admin, "auditor", None).unwrap();
    rootward_core::iam::policies::put_user_policy(
        &svc,
        &admin,
        "auditor",
        "EncryptionOnly",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetEncryptionConfiguration","Resource":"arn:aws:s3:::cfg"}}"#,
    )
    .unwrap();
    let key =
        rootward_core::iam::access_keys::create_access_key(&svc, &admin, Some("auditor")).unwrap();
    let auditor = svc.credential(&key.id, None).unwrap().caller;
    assert!(config::get_bucket_encryption(&svc, &auditor, "cfg").is_ok());
    assert_eq!(
        code(config::get_bucket_tagging(&svc, &auditor, "cfg").unwrap_err()),
        "AccessDenied"
    );
    assert_eq!(
        code(config::delete_bucket_encryption(&svc, &auditor, "cfg").unwrap_err()),
        "AccessDenied"
    );
}

#[test]
fn block_public_policy_refuses_a_public_bucket_policy_until_it_is_lifted() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    s3::create_bucket(&svc, &me, "site", None).unwrap();
    let public = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}]}"#;
    let e = s3::put_bucket_policy(&svc, &me, "site", public).unwrap_err();
    assert!(
        matches!(&e, CoreError::AccessDenied(m) if m.contains("BlockPublicPolicy")),
        "{e:?}"
    );
    config::put_public_access_block(
        &svc,
        &me,
        "site",
        PublicAccessBlock {
            block_public_policy: false,
            ..PublicAccessBlock::all()
        },
    )
    .unwrap();
    s3::put_bucket_policy(&svc, &me, "site", public).unwrap();
}

#[test]
fn objects_keep_a_verified_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    s3::create_bucket(&svc, &me, "sums", None).unwrap();
    // No claim: CRC64NVME, as S3 computes.
    let o = s3::put_object(
        &svc,
        &me,
        "sums",
        "plain",
        b"hello".to_vec(),
        PutObject::default(),
    )
    .unwrap();
    let c = o.checksum.unwrap();
    assert_eq!(
        (c.algorithm, c.kind),
        (Algorithm::Crc64Nvme, ChecksumType::FullObject)
    );
    assert_eq!(c.value, Algorithm::Crc64Nvme.encode(b"hello"));
    // Every algorithm is verified.
    for a in [
        Algorithm::Crc32,
        Algorithm::Crc32c,
        Algorithm::Crc64Nvme,
        Algorithm::Sha1,
        Algorithm::Sha256,
    ] {
        let good = PutObject {
            checksum: Some(Claim {
                algorithm: a,
                value: a.encode(b"body"),
            }),
            ..PutObject::default()
        };
        let o = s3::put_object(&svc, &me, "sums", "k", b"body".to_vec(), good).unwrap();
        assert_eq!(o.checksum.unwrap().algorithm, a);
        let wrong = PutObject {
            checksum: Some(Claim {
                algorithm: a,
                value: a.encode(b"other"),
            }),
            ..PutObject::default()
        };
        assert_eq!(
            code(s3::put_object(&svc, &me, "sums", "k", b"body".to_vec(), wrong).unwrap_err()),
            "BadChecksum"
        );
    }
    // The stored checksum survives a read after a restart.
    drop(svc);
    let svc = open(dir.path());
    let stored = s3::head_object(&svc, &me, "sums", "k")
        .unwrap()
        .checksum
        .unwrap();
    assert_eq!(stored.value, Algorithm::Sha256.encode(b"body"));

    // A multipart upload created with SHA-256: a composite checksum of the
    // parts'; without an algorithm: the whole object's CRC64NVME.
    let part = vec![7u8; s3::multipart::MIN_PART_SIZE as usize];
    for (algorithm, expect_composite) in [(Some(Algorithm::Sha256), true), (None, false)] {
        let id = s3::multipart::create(
            &svc,
            &me,
            "sums",
            "big",
            PutObject {
                checksum_algorithm: algorithm,
                ..PutObject::default()
            },
        )
        .unwrap();
        let claim = Claim {
            algorithm: Algorithm::Crc32,
            value: Algorithm::Crc32.encode(&part),
        };
        let first = s3::multipart::upload_part(
            &svc,
            &me,
            "sums",
            "big",
            &id,
            1,
            part.clone(),
            Some(&claim),
        );
        if algorithm.is_some() {
            // A part checksum of another algorithm than the upload's.
            assert_eq!(code(first.unwrap_err()), "InvalidRequest");
        } else {
            first.unwrap();
        }
        let (e1, _) =
            s3::multipart::upload_part(&svc, &me, "sums", "big", &id, 1, part.clone(), None)
                .unwrap();
        let (e2, _) =
            s3::multipart::upload_part(&svc, &me, "sums", "big", &id, 2, b"tail".to_vec(), None)
                .unwrap();
        let o =
            s3::multipart::complete(&svc, &me, "sums", "big", &id, &[(1, e1), (2, e2)]).unwrap();
        let c = o.checksum.unwrap();
        let mut whole = part.clone();
        whole.extend_from_slice(b"tail");
        if expect_composite {
            let mut raw = Algorithm::Sha256.digest(&part);
            raw.extend(Algorithm::Sha256.digest(b"tail"));
            assert_eq!(c.value, format!("{}-2", Algorithm::Sha256.encode(&raw)));
            assert_eq!(c.kind, ChecksumType::Composite);
        } else {
            assert_eq!(c.value, Algorithm::Crc64Nvme.encode(&whole));
            assert_eq!(c.kind, ChecksumType::FullObject);
        }
    }
    // FULL_OBJECT with SHA-256 does not exist.
    let r = s3::multipart::create(
        &svc,
        &me,
        "sums",
        "x",
        PutObject {
            checksum_algorithm: Some(Algorithm::Sha256),
            checksum_type: Some(ChecksumType::FullObject),
            ..PutObject::default()
        },
    );
    assert_eq!(code(r.unwrap_err()), "InvalidRequest");
}

fn alternate(kind: AlternateContactType) -> AlternateContact {
    AlternateContact {
        kind,
        name: "Sec Team".into(),
        title: "Security lead".into(),
        email_address: "security@example.com".into(),
        phone_number: "+1 206 555 0100".into(),
    }
}

#[test]
fn contacts_are_set_for_oneself_and_for_members_from_the_management_account() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    let sec = AlternateContactType::Security;
    assert_eq!(
        code(account::get_alternate_contact(&svc, &me, None, sec).unwrap_err()),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(account::delete_alternate_contact(&svc, &me, None, sec).unwrap_err()),
        "ResourceNotFoundException"
    );
    account::put_alternate_contact(&svc, &me, None, alternate(sec)).unwrap();
    assert_eq!(
        account::get_alternate_contact(&svc, &me, None, sec).unwrap(),
        alternate(sec)
    );
    assert_eq!(
        code(
            account::get_alternate_contact(&svc, &me, None, AlternateContactType::Billing)
                .unwrap_err()
        ),
        "ResourceNotFoundException"
    );
    let info = ContactInformation {
        full_name: "Jane Doe".into(),
        address_line1: "1 Main St".into(),
        city: "Seattle".into(),
        postal_code: "98101".into(),
        country_code: "US".into(),
        phone_number: "+1 206-555-0100".into(),
        ..ContactInformation::default()
    };
    assert_eq!(
        code(account::get_contact_information(&svc, &me, None).unwrap_err()),
        "ResourceNotFoundException"
    );
    account::put_contact_information(&svc, &me, None, info.clone()).unwrap();
    assert_eq!(
        account::get_contact_information(&svc, &me, None).unwrap(),
        info
    );

    // For a member: an organization with trusted access for Account
    // Management is needed, and the caller must be the management account.
    let member_id = organization(&svc);
    let r = account::put_alternate_contact(&svc, &me, Some(&member_id), alternate(sec));
    assert_eq!(code(r.unwrap_err()), "AccessDenied");
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    services::enable_service_access(&svc, &admin, "account.amazonaws.com").unwrap();
    account::put_alternate_contact(&svc, &me, Some(&member_id), alternate(sec)).unwrap();
    let member = root(&member_id, "us-east-1");
    assert_eq!(
        account::get_alternate_contact(&svc, &member, None, sec).unwrap(),
        alternate(sec)
    );
    // The member cannot act on the management account, nor the management
    // account on itself with AccountId, nor on an outsider.
    for (who, target) in [(&member, MGMT), (&me, MGMT), (&me, "333333333333")] {
        assert_eq!(
            code(account::get_alternate_contact(&svc, who, Some(target), sec).unwrap_err()),
            "AccessDenied"
        );
    }
    assert_eq!(
        code(account::get_alternate_contact(&svc, &me, Some("12345"), sec).unwrap_err()),
        "ValidationException"
    );
    account::delete_alternate_contact(&svc, &me, Some(&member_id), sec).unwrap();
    assert_eq!(
        code(account::get_alternate_contact(&svc, &member, None, sec).unwrap_err()),
        "ResourceNotFoundException"
    );
    // Contacts survive a restart.
    drop(svc);
    let svc = open(dir.path());
    assert_eq!(
        account::get_alternate_contact(&svc, &me, None, sec).unwrap(),
        alternate(sec)
    );
    assert_eq!(
        account::get_contact_information(&svc, &me, None).unwrap(),
        info
    );
}

#[test]
fn describe_regions_lists_enabled_regions_unless_all_are_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    let me = root(MGMT, "us-east-1");
    let enabled = ec2::describe_regions(&svc, &me, &DescribeRegions::default()).unwrap();
    assert_eq!(enabled.len(), 17);
    assert!(
        enabled
            .iter()
            .all(|r| r.opt_in_status == "opt-in-not-required")
    );
    let us = enabled.iter().find(|r| r.name == "us-east-1").unwrap();
    assert_eq!(us.endpoint, "ec2.us-east-1.amazonaws.com");
    let all = ec2::describe_regions(
        &svc,
        &me,
        &DescribeRegions {
            all_regions: true,
            ..DescribeRegions::default()
        },
    )
    .unwrap();
    assert_eq!(all.len(), 34);
    assert_eq!(
        all.iter()
            .filter(|r| r.opt_in_status == "not-opted-in")
            .count(),
        17
    );
    let named = ec2::describe_regions(
        &svc,
        &me,
        &DescribeRegions {
            region_names: vec!["af-south-1".into(), "eu-west-1".into()],
            ..DescribeRegions::default()
        },
    )
    .unwrap();
    assert_eq!(
        named.iter().map(|r| r.name).collect::<Vec<_>>(),
        ["af-south-1", "eu-west-1"]
    );
    let filtered = ec2::describe_regions(
        &svc,
        &me,
        &DescribeRegions {
            filters: vec![("region-name".into(), vec!["eu-*".into()])],
            ..DescribeRegions::default()
        },
    )
    .unwrap();
    assert_eq!(filtered.len(), 5);
    assert!(
        ec2::describe_regions(
            &svc,
            &me,
            &DescribeRegions {
                region_names: vec!["mars-north-1".into()],
                ..DescribeRegions::default()
            },
        )
        .is_err()
    );
    assert!(matches!(
        ec2::describe_regions(
            &svc,
            &me,
            &DescribeRegions {
                dry_run: true,
                ..DescribeRegions::default()
            }
        ),
        Err(CoreError::Ec2(ec2::Ec2Error::DryRunOperation))
    ));
}
