//! CloudTrail event history through the AWS SDK for Rust: the AssumeRoot
//! event in the operator's account, the root session's calls in the member
//! account, denials, hidden secrets, and `LookupEvents` filters and paging.

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::error::ProvideErrorMetadata;
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use serde_json::Value;

use crate::common::{ACCOUNT, Server};
use crate::root_access::{AUDIT, admin_role_in, enable_everything, organization, root_session};

fn by(key: LookupAttributeKey, value: &str) -> LookupAttribute {
    LookupAttribute::builder()
        .attribute_key(key)
        .attribute_value(value)
        .build()
        .unwrap()
}

#[tokio::test]
async fn assume_root_and_the_root_session_are_traced_in_their_accounts() {
    let s = Server::start().await;
    let z = organization(&s).await;
    enable_everything(&s, &z).await;

    // The delegated administrator's operator opens an audit session.
    let operator = admin_role_in(&s, &z.delegated).await;
    let session = root_session(&s, &operator, &z.member, AUDIT).await;
    let session_key = {
        use aws_credential_types::provider::ProvideCredentials;
        session
            .credentials_provider()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id()
            .to_owned()
    };
    let iam = aws_sdk_iam::Client::new(&session);
    iam.get_account_summary().send().await.unwrap();
    iam.delete_access_key()
        .access_key_id("AKIANOSUCHKEY0000001")
        .send()
        .await
        .unwrap_err();
    // A refused AssumeRoot is traced too.
    aws_sdk_sts::Client::new(&operator)
        .assume_root()
        .target_principal(ACCOUNT)
        .task_policy_arn(
            aws_sdk_sts::types::PolicyDescriptorType::builder()
                .arn(AUDIT)
                .build(),
        )
        .send()
        .await
        .unwrap_err();

    // In the delegated administrator's account: the AssumeRoot events.
    let da_trail = Client::new(&operator);
    let out = da_trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "AssumeRoot"))
        .send()
        .await
        .unwrap();
    let events = out.events();
    assert_eq!(events.len(), 2, "{events:?}");
    // Newest first: the refusal, then the success.
    let refused: Value = serde_json::from_str(events[0].cloud_trail_event().unwrap()).unwrap();
    assert_eq!(refused["errorCode"], "AccessDenied");
    assert_eq!(refused["responseElements"], Value::Null);
    let ok: Value = serde_json::from_str(events[1].cloud_trail_event().unwrap()).unwrap();
    assert_eq!(events[1].event_source(), Some("sts.amazonaws.com"));
    assert_eq!(events[1].read_only(), Some("false"));
    assert_eq!(events[1].username(), Some("operator"));
    assert_eq!(ok["userIdentity"]["type"], "AssumedRole");
    assert_eq!(ok["userIdentity"]["accountId"], z.delegated.as_str());
    assert_eq!(
        ok["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"],
        "OrganizationAccountAccessRole"
    );
    assert_eq!(ok["userIdentity"]["sessionContext"]["assumedRoot"], "true");
    assert_eq!(
        ok["requestParameters"]["targetPrincipal"],
        z.member.as_str()
    );
    assert_eq!(ok["requestParameters"]["taskPolicyArn"]["arn"], AUDIT);
    assert_eq!(
        ok["responseElements"]["credentials"]["accessKeyId"],
        session_key.as_str()
    );
    // Spec 04 §4.3.2: AssumeRoot answers credentials only (no role session,
    // no source identity here), and the record has just them, without the
    // token.
    let members: Vec<_> = ok["responseElements"].as_object().unwrap().keys().collect();
    assert_eq!(members, ["credentials"]);
    let credentials: Vec<_> = ok["responseElements"]["credentials"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(credentials, ["accessKeyId", "expiration"]);
    assert_eq!(ok["recipientAccountId"], z.delegated.as_str());
    assert_eq!(ok["eventType"], "AwsApiCall");
    assert_eq!(ok["awsRegion"], "us-east-1");
    let text = events[1].cloud_trail_event().unwrap();
    assert!(
        !text.contains("sessionToken") && !text.contains("SecretAccessKey"),
        "{text}"
    );

    // In the member account: the root session's calls, found by its key.
    let member_trail = Client::new(&admin_role_in(&s, &z.member).await);
    let out = member_trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::AccessKeyId, &session_key))
        .send()
        .await
        .unwrap();
    let names: Vec<_> = out
        .events()
        .iter()
        .map(|e| e.event_name().unwrap())
        .collect();
    assert_eq!(names, ["DeleteAccessKey", "GetAccountSummary"]);
    let denied: Value = serde_json::from_str(out.events()[0].cloud_trail_event().unwrap()).unwrap();
    assert_eq!(denied["errorCode"], "AccessDenied");
    assert_eq!(denied["eventSource"], "iam.amazonaws.com");
    let summary: Value =
        serde_json::from_str(out.events()[1].cloud_trail_event().unwrap()).unwrap();
    assert_eq!(summary["userIdentity"]["type"], "Root");
    assert_eq!(
        summary["userIdentity"]["arn"],
        format!("arn:aws:iam::{}:root", z.member)
    );
    assert_eq!(summary["userIdentity"]["principalId"], z.member.as_str());
    assert_eq!(summary["userIdentity"]["accessKeyId"], session_key.as_str());
    assert_eq!(
        summary["userIdentity"]["sessionContext"]["attributes"]["mfaAuthenticated"],
        "false"
    );
    assert!(
        summary["userIdentity"]["sessionContext"]
            .get("sessionIssuer")
            .is_none()
    );
    assert_eq!(out.events()[1].username(), Some("root"));
    assert_eq!(summary["readOnly"], true);
}

/// The expiry as CloudTrail writes it in `responseElements.credentials`
/// ("Dec 7, 2026, 7:35:29 PM").
fn trail_expiration(t: &aws_sdk_sts::primitives::DateTime) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(t.secs()).unwrap();
    t.format(time::macros::format_description!(
        "[month repr:short] [day padding:none], [year], [hour repr:12 padding:none]:[minute]:[second] [period]"
    ))
    .unwrap()
}

/// The one event named `name` of the admin's account (newest first).
async fn events_named(s: &Server, name: &str) -> Vec<Value> {
    let out = Client::new(&s.admin())
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, name))
        .send()
        .await
        .unwrap();
    out.events()
        .iter()
        .map(|e| serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap())
        .collect()
}

/// AssumeRole's event as CloudTrail has it: `responseElements` with the
/// session's key id and expiry, `assumedRoleUser` (the id and the
/// assumed-role ARN an audit links the session's own events by),
/// `sourceIdentity` when set, `packedPolicySize` when session policies are
/// passed; never the session token or the secret, anywhere in the record.
/// GetSessionToken's event has its credentials the same way.
/// (`PackedPolicySize` is deprecated in SDKs newer than the pinned models,
/// for a `SessionTokenUtilization` they do not have.)
#[tokio::test]
#[allow(deprecated)]
async fn assume_role_events_name_the_session_and_never_its_token() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    iam.create_role()
        .role_name("Audited")
        .assume_role_policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}}]}}"#
        ))
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("Audited")
        .policy_arn("arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/Audited");
    let sts = aws_sdk_sts::Client::new(&s.admin());
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}"#;
    let out = sts
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("alice-session")
        .source_identity("alice")
        .policy(policy)
        .send()
        .await
        .unwrap();
    let creds = out.credentials().unwrap();
    let user = out.assumed_role_user().unwrap();
    assert_eq!(
        user.arn(),
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/Audited/alice-session")
    );
    let packed = out.packed_policy_size().unwrap();
    // The session's own call.
    aws_sdk_iam::Client::new(&s.config(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token()),
    ))
    .list_roles()
    .send()
    .await
    .unwrap();
    // A plain AssumeRole: no source identity, no session policy.
    let plain = sts
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("plain")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.packed_policy_size(), None);

    let events = events_named(&s, "AssumeRole").await;
    assert_eq!(events.len(), 2);
    let (plain_event, event) = (&events[0], &events[1]);
    let r = &event["responseElements"];
    assert_eq!(
        r["assumedRoleUser"],
        serde_json::json!({"assumedRoleId": user.assumed_role_id(), "arn": user.arn()})
    );
    assert!(user.assumed_role_id().starts_with("AROA"));
    assert!(user.assumed_role_id().ends_with(":alice-session"));
    assert_eq!(r["sourceIdentity"], "alice");
    assert_eq!(r["packedPolicySize"], packed);
    assert_eq!(
        r["credentials"],
        serde_json::json!({
            "accessKeyId": creds.access_key_id(),
            "expiration": trail_expiration(creds.expiration()),
        })
    );
    assert_eq!(event["requestParameters"]["sourceIdentity"], "alice");
    let text = event.to_string();
    for secret in [creds.session_token(), creds.secret_access_key()] {
        assert!(!text.contains(secret), "{text}");
    }
    assert!(!text.contains("sessionToken"), "{text}");
    // The plain session's record has its role session and nothing it did
    // not ask for.
    let p = &plain_event["responseElements"];
    assert_eq!(
        p["assumedRoleUser"]["arn"],
        plain.assumed_role_user().unwrap().arn()
    );
    assert!(p.get("sourceIdentity").is_none(), "{p}");
    assert!(p.get("packedPolicySize").is_none(), "{p}");
    assert!(
        !plain_event
            .to_string()
            .contains(plain.credentials().unwrap().session_token())
    );

    // An audit links the session's own events to the AssumeRole call.
    let out = Client::new(&s.admin())
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::AccessKeyId, creds.access_key_id()))
        .send()
        .await
        .unwrap();
    let own: Vec<Value> = out
        .events()
        .iter()
        .map(|e| serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap())
        .collect();
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["eventName"], "ListRoles");
    assert_eq!(own[0]["userIdentity"]["arn"], r["assumedRoleUser"]["arn"]);
    assert_eq!(
        own[0]["userIdentity"]["principalId"],
        r["assumedRoleUser"]["assumedRoleId"]
    );
    assert_eq!(
        own[0]["userIdentity"]["sessionContext"]["sourceIdentity"],
        "alice"
    );

    // GetSessionToken: its credentials, without the token.
    let st = sts.get_session_token().send().await.unwrap();
    let c = st.credentials().unwrap();
    let events = events_named(&s, "GetSessionToken").await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["responseElements"],
        serde_json::json!({"credentials": {
            "accessKeyId": c.access_key_id(),
            "expiration": trail_expiration(c.expiration()),
        }})
    );
    let text = events[0].to_string();
    assert!(
        !text.contains(c.session_token()) && !text.contains(c.secret_access_key()),
        "{text}"
    );
}

#[tokio::test]
async fn lookups_filter_page_and_hide_secrets() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    for n in 0..3 {
        iam.create_user()
            .user_name(format!("u{n}"))
            .send()
            .await
            .unwrap();
    }
    iam.create_login_profile()
        .user_name("u0")
        .password("Sup3r-Secret-Pass!")
        .send()
        .await
        .unwrap();
    let trail = Client::new(&s.admin());

    let out = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "CreateLoginProfile"))
        .send()
        .await
        .unwrap();
    let text = out.events()[0].cloud_trail_event().unwrap();
    assert!(!text.contains("Sup3r-Secret-Pass!"), "{text}");
    let e: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        e["requestParameters"]["password"],
        "HIDDEN_DUE_TO_SECURITY_REASONS"
    );
    assert_eq!(e["requestParameters"]["userName"], "u0");
    assert_eq!(e["userIdentity"]["type"], "IAMUser");
    assert_eq!(e["userIdentity"]["userName"], "admin");
    assert_eq!(e["resources"][0]["type"], "AWS::IAM::User");
    assert_eq!(
        e["resources"][0]["ARN"],
        "arn:aws:iam::111111111111:user/u0"
    );
    let users = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::ResourceType, "AWS::IAM::User"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        users.events().len(),
        4,
        "three CreateUser and one CreateLoginProfile"
    );
    // An IAM user's ResourceName is its name; a lookup takes it or the ARN.
    assert!(
        users.events()[0]
            .resources()
            .iter()
            .any(|r| r.resource_name() == Some("u0")
                || r.resource_name() == Some("u1")
                || r.resource_name() == Some("u2")),
        "{:?}",
        users.events()[0].resources()
    );
    for name in ["u0", "arn:aws:iam::111111111111:user/u0"] {
        let u0 = trail
            .lookup_events()
            .lookup_attributes(by(LookupAttributeKey::ResourceName, name))
            .send()
            .await
            .unwrap();
        assert!(
            u0.events()
                .iter()
                .any(|e| e.event_name() == Some("CreateUser")),
            "{name}"
        );
    }

    // Paging: three CreateUser events, two per page, newest first.
    let first = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "CreateUser"))
        .max_results(2)
        .send()
        .await
        .unwrap();
    let token = first.next_token().unwrap().to_owned();
    let second = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "CreateUser"))
        .max_results(2)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert!(second.next_token().is_none());
    let users: Vec<String> = first
        .events()
        .iter()
        .chain(second.events())
        .map(|e| {
            let v: Value = serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap();
            v["requestParameters"]["userName"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(users, ["u2", "u1", "u0"]);
    // The token belongs to its query.
    let e = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "CreateLoginProfile"))
        .next_token(&token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidNextTokenException"));
    // And to the account and region whose history it pages.
    let ireland = Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(&s.admin())
            .region(aws_sdk_cloudtrail::config::Region::new("eu-west-1"))
            .build(),
    );
    let e = ireland
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "CreateUser"))
        .max_results(2)
        .next_token(&token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidNextTokenException"));

    // Read-only filter and the username.
    let reads = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::ReadOnly, "true"))
        .send()
        .await
        .unwrap();
    assert!(reads.events().iter().all(|e| e.read_only() == Some("true")));
    let upper = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::ReadOnly, "TRUE"))
        .send()
        .await
        .unwrap();
    assert!(!upper.events().is_empty());
    assert!(upper.events().iter().all(|e| e.read_only() == Some("true")));
    let e = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::ReadOnly, "bogus"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidLookupAttributesException"));
    // Times no date can be (sent raw: the SDK would not) are refused, never
    // saturated into a date.
    let target = (
        "x-amz-target",
        "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
    );
    let ct = ("content-type", "application/x-amz-json-1.1");
    for body in [
        &br#"{"StartTime":1e300}"#[..],
        br#"{"EndTime":1e300}"#,
        br#"{"StartTime":-1e300,"EndTime":1}"#,
        br#"{"StartTime":1e300,"EndTime":1}"#,
    ] {
        let r = s.raw_post("cloudtrail", &[ct, target], body).await;
        assert_eq!(
            (r.status, r.json()["__type"].as_str()),
            (400, Some("InvalidTimeRangeException")),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    for body in [&br#"{"MaxResults":51}"#[..], br#"{"MaxResults":0}"#] {
        let r = s.raw_post("cloudtrail", &[ct, target], body).await;
        assert_eq!(
            (r.status, r.json()["__type"].as_str()),
            (400, Some("InvalidMaxResultsException"))
        );
    }
    let mine = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::Username, "admin"))
        .send()
        .await
        .unwrap();
    assert!(mine.events().len() >= 5);

    // Two attributes, or a bad range, are refused.
    let e = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "CreateUser"))
        .lookup_attributes(by(LookupAttributeKey::Username, "admin"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidLookupAttributesException"));
    let now = aws_sdk_cloudtrail::primitives::DateTime::from_secs(s.svc.now().unix_timestamp());
    let earlier =
        aws_sdk_cloudtrail::primitives::DateTime::from_secs(s.svc.now().unix_timestamp() - 60);
    let e = trail
        .lookup_events()
        .start_time(now)
        .end_time(earlier)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidTimeRangeException"));
    let later =
        aws_sdk_cloudtrail::primitives::DateTime::from_secs(s.svc.now().unix_timestamp() + 1);
    let window = trail
        .lookup_events()
        .start_time(earlier)
        .end_time(later)
        .send()
        .await
        .unwrap();
    assert!(!window.events().is_empty());
}

#[tokio::test]
async fn a_time_range_finds_events_at_the_seconds_their_records_show() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    iam.create_user().user_name("timed").send().await.unwrap();
    let trail = Client::new(&s.admin());
    let created = |start: Option<i64>, end: Option<i64>| {
        trail
            .lookup_events()
            .lookup_attributes(by(LookupAttributeKey::EventName, "CreateUser"))
            .set_start_time(start.map(aws_sdk_cloudtrail::primitives::DateTime::from_secs))
            .set_end_time(end.map(aws_sdk_cloudtrail::primitives::DateTime::from_secs))
            .send()
    };
    let all = created(None, None).await.unwrap();
    assert_eq!(all.events().len(), 1);
    let record: Value = serde_json::from_str(all.events()[0].cloud_trail_event().unwrap()).unwrap();
    let shown = record["eventTime"].as_str().unwrap();
    let t =
        time::OffsetDateTime::parse(shown, &time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(t.nanosecond(), 0, "{shown}");
    let t = t.unix_timestamp();
    // LookupEvents' EventTime is the record's, whole seconds.
    let listed = all.events()[0].event_time().unwrap();
    assert_eq!((listed.secs(), listed.subsec_nanos()), (t, 0));

    // From T to T: the event shown at T, whatever its fraction of a second.
    let same = created(Some(t), Some(t)).await.unwrap();
    assert_eq!(same.events().len(), 1, "{shown}");
    assert_eq!(
        created(Some(t - 5), Some(t)).await.unwrap().events().len(),
        1
    );
    assert_eq!(
        created(Some(t), Some(t + 5)).await.unwrap().events().len(),
        1
    );
    assert!(
        created(Some(t + 1), Some(t + 5))
            .await
            .unwrap()
            .events()
            .is_empty()
    );
    assert!(
        created(Some(t - 5), Some(t - 1))
            .await
            .unwrap()
            .events()
            .is_empty()
    );

    // There are no Insights events: asking for them finds nothing.
    let insights = trail
        .lookup_events()
        .event_category(aws_sdk_cloudtrail::types::EventCategory::Insight)
        .send()
        .await
        .unwrap();
    assert!(insights.events().is_empty(), "{:?}", insights.events());
    assert!(insights.next_token().is_none());
}

#[tokio::test]
async fn records_name_queues_by_arn_and_buckets_with_their_owners_account() {
    let s = Server::start().await;
    let trail = Client::new(&s.admin());
    let record = |e: &aws_sdk_cloudtrail::types::Event| -> Value {
        serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap()
    };

    // A queue is named by its ARN, not the URL the call gave.
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = sqs
        .create_queue()
        .queue_name("jobs")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "60",
        )
        .send()
        .await
        .unwrap();
    let arn = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:jobs");
    let out = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "SetQueueAttributes"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.events().len(), 1);
    let e = &out.events()[0];
    let r = record(e);
    assert_eq!(r["requestParameters"]["queueUrl"], url.as_str());
    assert_eq!(
        r["resources"],
        serde_json::json!([{"ARN": arn, "accountId": ACCOUNT, "type": "AWS::SQS::Queue"}])
    );
    assert_eq!(e.resources().len(), 1);
    assert_eq!(e.resources()[0].resource_type(), Some("AWS::SQS::Queue"));
    assert_eq!(e.resources()[0].resource_name(), Some(arn.as_str()));
    let named = |name: String| {
        trail
            .lookup_events()
            .lookup_attributes(by(LookupAttributeKey::ResourceName, &name))
            .send()
    };
    let by_arn = named(arn.clone()).await.unwrap();
    assert!(
        by_arn
            .events()
            .iter()
            .any(|e| e.event_name() == Some("SetQueueAttributes")),
        "{:?}",
        by_arn.events()
    );
    assert!(named(url.clone()).await.unwrap().events().is_empty());

    // A bucket of another account: the resource is that account's, in the
    // caller's event history.
    let member = crate::common::root::organization_with_root_sessions(&s).await;
    let owner = crate::common::s3::s3(&crate::common::root::admin_role_in(&s, &member).await);
    owner.create_bucket().bucket("theirs").send().await.unwrap();
    crate::common::s3::s3(&s.admin())
        .delete_bucket_policy()
        .bucket("theirs")
        .send()
        .await
        .unwrap_err();
    let out = trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "DeleteBucketPolicy"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.events().len(), 1);
    let r = record(&out.events()[0]);
    assert_eq!(r["recipientAccountId"], ACCOUNT);
    assert_eq!(r["userIdentity"]["accountId"], ACCOUNT);
    assert_eq!(
        r["resources"],
        serde_json::json!([{"ARN": "arn:aws:s3:::theirs", "accountId": member, "type": "AWS::S3::Bucket"}])
    );
}

#[tokio::test]
async fn pages_stay_put_while_new_events_arrive() {
    let s = Server::start().await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    for n in 0..5 {
        iam.create_user()
            .user_name(format!("p{n}"))
            .send()
            .await
            .unwrap();
    }
    let trail = Client::new(&s.admin());
    let page = |token: Option<String>| {
        trail
            .lookup_events()
            .lookup_attributes(by(LookupAttributeKey::EventName, "CreateUser"))
            .max_results(2)
            .set_next_token(token)
            .send()
    };
    let mut seen = Vec::new();
    let mut token = None;
    let mut round = 0;
    loop {
        let out = page(token).await.unwrap();
        for e in out.events() {
            let v: Value = serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap();
            seen.push(
                v["requestParameters"]["userName"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        // Newer events between two pages: they belong to a new lookup, and
        // must neither repeat nor hide events on the pages still to come.
        iam.create_user()
            .user_name(format!("new{round}"))
            .send()
            .await
            .unwrap();
        round += 1;
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["p4", "p3", "p2", "p1", "p0"]);
    let fresh = page(None).await.unwrap();
    let v: Value = serde_json::from_str(fresh.events()[0].cloud_trail_event().unwrap()).unwrap();
    assert_eq!(v["requestParameters"]["userName"], "new2");
}

#[tokio::test]
async fn the_bucket_unlock_is_traced_with_the_root_identity() {
    let s = Server::start().await;
    let z = organization(&s).await;
    enable_everything(&s, &z).await;
    let member_admin = admin_role_in(&s, &z.member).await;
    let admin_s3 = crate::common::s3::s3(&member_admin);
    admin_s3
        .create_bucket()
        .bucket("locked-bucket")
        .send()
        .await
        .unwrap();
    admin_s3
        .put_bucket_policy()
        .bucket("locked-bucket")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::locked-bucket","arn:aws:s3:::locked-bucket/*"]}]}"#)
        .send()
        .await
        .unwrap();
    let operator = admin_role_in(&s, &z.delegated).await;
    let session = root_session(
        &s,
        &operator,
        &z.member,
        "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
    )
    .await;
    crate::common::s3::s3(&session)
        .delete_bucket_policy()
        .bucket("locked-bucket")
        .send()
        .await
        .unwrap();

    let member_trail = Client::new(&member_admin);
    let out = member_trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "DeleteBucketPolicy"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.events().len(), 1);
    let e: Value = serde_json::from_str(out.events()[0].cloud_trail_event().unwrap()).unwrap();
    assert_eq!(e["eventSource"], "s3.amazonaws.com");
    assert_eq!(e["userIdentity"]["type"], "Root");
    assert_eq!(
        e["userIdentity"]["arn"],
        format!("arn:aws:iam::{}:root", z.member)
    );
    assert!(
        e["userIdentity"]["accessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("ASIA")
    );
    assert_eq!(e["requestParameters"]["bucketName"], "locked-bucket");
    assert_eq!(e["resources"][0]["type"], "AWS::S3::Bucket");
    assert_eq!(e["resources"][0]["ARN"], "arn:aws:s3:::locked-bucket");
    assert_eq!(e["readOnly"], false);
    // The lock itself was traced too, with the admin role's identity.
    let put = member_trail
        .lookup_events()
        .lookup_attributes(by(
            LookupAttributeKey::ResourceName,
            "arn:aws:s3:::locked-bucket",
        ))
        .send()
        .await
        .unwrap();
    let names: Vec<_> = put
        .events()
        .iter()
        .map(|e| e.event_name().unwrap())
        .collect();
    assert_eq!(
        names,
        ["DeleteBucketPolicy", "PutBucketPolicy", "CreateBucket"]
    );
    // A bucket's ResourceName is its name, and a lookup takes either form.
    assert_eq!(
        put.events()[0].resources()[0].resource_name(),
        Some("locked-bucket")
    );
    let by_name = member_trail
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::ResourceName, "locked-bucket"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_name.events().len(), names.len());
    // And the AssumeRoot in the delegated administrator's account.
    let da = Client::new(&operator)
        .lookup_events()
        .lookup_attributes(by(LookupAttributeKey::EventName, "AssumeRoot"))
        .send()
        .await
        .unwrap();
    assert_eq!(da.events().len(), 1);
}
