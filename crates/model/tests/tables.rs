//! The generated tables agree with themselves and with the models' facts.

use rootward_model::{
    Dispatch, Fault, JsonVersion, Location, Protocol, account, cloudtrail, ec2, iam, organizations,
    s3, sqs, sts,
};

macro_rules! each_service {
    ($m:ident => $body:block) => {{
        {
            use account as $m;
            $body
        }
        {
            use cloudtrail as $m;
            $body
        }
        {
            use ec2 as $m;
            $body
        }
        {
            use iam as $m;
            $body
        }
        {
            use organizations as $m;
            $body
        }
        {
            use s3 as $m;
            $body
        }
        {
            use sqs as $m;
            $body
        }
        {
            use sts as $m;
            $body
        }
    }};
}

#[test]
fn operation_names_round_trip_and_are_sorted() {
    each_service!(m => {
        let all = m::Operation::ALL;
        assert!(!all.is_empty());
        assert!(all.windows(2).all(|w| w[0].name() < w[1].name()));
        for op in all {
            assert_eq!(m::Operation::from_name(op.name()), Some(*op));
            assert_eq!(op.info().name, op.name());
        }
        assert_eq!(m::Operation::from_name("NoSuchOperation"), None);
        assert_eq!(m::SERVICE.model_source, "botocore 1.43.11");
    });
}

#[test]
fn every_model_pattern_is_understood_by_the_matcher() {
    let mut patterns = 0;
    each_service!(m => {
        for shape in m::SHAPES {
            if shape.pattern.is_some() {
                patterns += 1;
                // accountAliasType (IAM) needs the negative lookahead.
                assert!(shape.compiled_pattern().is_some(), "{}: {:?}", shape.name, shape.pattern);
            }
        }
    });
    assert!(patterns > 50, "{patterns}");
}

#[test]
fn implemented_operations_have_an_action_and_memory_reads_are_read_only() {
    each_service!(m => {
        for op in m::Operation::ALL {
            let info = op.info();
            if let Some(f) = info.facts {
                assert!(f.action.contains(':'), "{}", info.name);
                if f.dispatch == Dispatch::Memory {
                    assert!(f.read_only && !f.data_event, "{}", info.name);
                }
            }
        }
    });
}

#[test]
fn protocol_bindings_come_from_the_models() {
    assert_eq!(
        iam::SERVICE.protocol,
        Protocol::Query {
            version: "2010-05-08",
            xml_namespace: "https://iam.amazonaws.com/doc/2010-05-08/"
        }
    );
    assert_eq!(
        sts::SERVICE.protocol,
        Protocol::Query {
            version: "2011-06-15",
            xml_namespace: "https://sts.amazonaws.com/doc/2011-06-15/"
        }
    );
    assert_eq!(
        organizations::SERVICE.protocol,
        Protocol::Json {
            version: JsonVersion::V1_1,
            target_prefix: "AWSOrganizationsV20161128",
            query_compatible: false
        }
    );
    assert_eq!(
        sqs::SERVICE.protocol,
        Protocol::Json {
            version: JsonVersion::V1_0,
            target_prefix: "AmazonSQS",
            query_compatible: true
        }
    );
    assert_eq!(
        cloudtrail::SERVICE.protocol,
        Protocol::Json {
            version: JsonVersion::V1_1,
            target_prefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101",
            query_compatible: false
        }
    );
    assert_eq!(s3::SERVICE.protocol, Protocol::RestXml);
    assert_eq!(account::SERVICE.protocol, Protocol::RestJson);
    assert!(matches!(
        ec2::SERVICE.protocol,
        Protocol::Ec2 {
            version: "2016-11-15",
            ..
        }
    ));
    assert_eq!(ec2::Operation::ALL, &[ec2::Operation::DescribeRegions]);
    assert_eq!(iam::SERVICE.signing_name, "iam");
    assert_eq!(account::SERVICE.signing_name, "account");
}

#[test]
fn rest_operations_carry_method_uri_and_status() {
    let http = s3::Operation::DeleteBucketPolicy.info().http;
    assert_eq!(
        (http.method, http.uri, http.status),
        ("DELETE", "/{Bucket}?policy", 204)
    );
    let http = s3::Operation::GetObject.info().http;
    assert_eq!(
        (http.method, http.uri, http.status),
        ("GET", "/{Bucket}/{Key+}", 200)
    );
    let bucket = s3::Operation::GetObject
        .info()
        .input_member("Bucket")
        .unwrap();
    assert_eq!(
        (bucket.location, bucket.wire, bucket.required),
        (Location::Uri, "Bucket", true)
    );
    let range = s3::Operation::GetObject
        .info()
        .input_member("Range")
        .unwrap();
    assert_eq!((range.location, range.wire), (Location::Header, "Range"));
    let policy = s3::Operation::PutBucketPolicy
        .info()
        .input_member("Policy")
        .unwrap();
    assert_eq!(policy.location, Location::Payload);
    let http = account::Operation::GetAlternateContact.info().http;
    assert_eq!((http.method, http.uri), ("POST", "/getAlternateContact"));
}

#[test]
fn query_errors_use_the_modelled_code_and_status() {
    let e = iam::Operation::GetUser
        .info()
        .error("NoSuchEntityException")
        .unwrap();
    assert_eq!(
        (e.code, e.status, e.fault),
        ("NoSuchEntity", 404, Fault::Sender)
    );
    assert_eq!(e.query_code, None);
    // No `error` trait: the shape name, 400, sender (spec 08 §8.2.6).
    let e = iam::Operation::EnableOrganizationsRootSessions
        .info()
        .error("ServiceAccessNotEnabledException")
        .unwrap();
    assert_eq!(
        (e.code, e.status, e.fault),
        ("ServiceAccessNotEnabledException", 400, Fault::Sender)
    );
    let e = iam::ERRORS
        .iter()
        .find(|e| e.shape == "ServiceFailureException")
        .unwrap();
    assert_eq!(
        (e.code, e.status, e.fault),
        ("ServiceFailure", 500, Fault::Receiver)
    );
    let e = sts::Operation::AssumeRole
        .info()
        .error("ExpiredTokenException")
        .unwrap();
    assert_eq!((e.code, e.status), ("ExpiredTokenException", 400));
}

#[test]
fn sqs_errors_carry_their_query_compatible_codes() {
    let e = sqs::Operation::GetQueueUrl
        .info()
        .error("QueueDoesNotExist")
        .unwrap();
    assert_eq!(e.code, "QueueDoesNotExist");
    assert_eq!(
        e.query_code,
        Some("AWS.SimpleQueueService.NonExistentQueue")
    );
    assert_eq!((e.status, e.fault), (400, Fault::Sender));
    let e = sqs::ERRORS
        .iter()
        .find(|e| e.shape == "QueueNameExists")
        .unwrap();
    assert_eq!(e.query_code, Some("QueueAlreadyExists"));
    let e = sqs::ERRORS
        .iter()
        .find(|e| e.shape == "InvalidAddress")
        .unwrap();
    assert_eq!((e.status, e.query_code), (404, Some("InvalidAddress")));
    let e = sqs::ERRORS
        .iter()
        .find(|e| e.shape == "PurgeQueueInProgress")
        .unwrap();
    assert_eq!(e.status, 403);
    // No awsQueryError trait: the shape name, 400.
    let e = sqs::ERRORS
        .iter()
        .find(|e| e.shape == "InvalidAttributeName")
        .unwrap();
    assert_eq!(
        (e.query_code, e.status),
        (Some("InvalidAttributeName"), 400)
    );
    let e = organizations::ERRORS
        .iter()
        .find(|e| e.shape == "ServiceException")
        .unwrap();
    assert_eq!((e.status, e.fault), (500, Fault::Receiver));
}

#[test]
fn sensitive_members_are_marked() {
    let password = iam::Operation::CreateLoginProfile
        .info()
        .input_member("Password")
        .unwrap();
    assert!(password.sensitive);
    let user = iam::Operation::CreateLoginProfile
        .info()
        .input_member("UserName")
        .unwrap();
    assert!(!user.sensitive);
    assert!(
        iam::Operation::ChangePassword
            .info()
            .input_member("NewPassword")
            .unwrap()
            .sensitive
    );
    let creds = sts::SHAPES.iter().find(|s| s.name == "Credentials");
    assert!(creds.is_none(), "output shapes are not generated");
    let out = sts::Operation::AssumeRoot.info().output;
    let names: Vec<&str> = out.iter().map(|m| m.name).collect();
    assert_eq!(names, ["Credentials", "SourceIdentity"]);
    let keys = iam::Operation::CreateAccessKey.info().output;
    assert_eq!(
        keys.iter().map(|m| m.name).collect::<Vec<_>>(),
        ["AccessKey"]
    );
}

#[test]
fn input_members_keep_model_order_and_constraints() {
    let info = sts::Operation::AssumeRoot.info();
    let names: Vec<&str> = info.input.iter().map(|m| m.name).collect();
    assert_eq!(
        names,
        ["TargetPrincipal", "TaskPolicyArn", "DurationSeconds"]
    );
    let d = info.input_member("DurationSeconds").unwrap();
    assert_eq!(
        (d.required, d.shape.min, d.shape.max),
        (false, Some(0), Some(900))
    );
    let t = info.input_member("TargetPrincipal").unwrap();
    assert_eq!(
        (t.required, t.shape.min, t.shape.max),
        (true, Some(12), Some(2048))
    );
    let status = iam::Operation::UpdateAccessKey
        .info()
        .input_member("Status")
        .unwrap();
    assert_eq!(status.shape.enum_values, ["Active", "Inactive", "Expired"]);
}

#[test]
fn trail_resources_render_from_members() {
    let rules = iam::Operation::AddUserToGroup
        .info()
        .facts
        .unwrap()
        .resources;
    let mut kinds: Vec<&str> = rules.iter().map(|r| r.kind).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["AWS::IAM::Group", "AWS::IAM::User"]);
    let user = rules.iter().find(|r| r.name == "user").unwrap();
    let arn = user.render("111111111111", |m| (m == "UserName").then_some("bob"));
    assert_eq!(arn.as_deref(), Some("arn:aws:iam::111111111111:user/bob"));
    assert_eq!(user.render("111111111111", |_| None), None);
    let bucket = s3::Operation::GetBucketPolicy
        .info()
        .facts
        .unwrap()
        .resources;
    assert_eq!(bucket.len(), 1);
    assert_eq!(
        bucket[0].render("1", |_| Some("b")).as_deref(),
        Some("arn:aws:s3:::b")
    );
    assert!(
        cloudtrail::Operation::LookupEvents
            .info()
            .facts
            .unwrap()
            .resources
            .is_empty()
    );
    let queue = sqs::Operation::SendMessage.info().facts.unwrap();
    assert!(queue.data_event);
    assert_eq!(queue.resources[0].kind, "AWS::SQS::Queue");
}

#[test]
fn credential_report_generation_is_not_served_from_memory() {
    let f = iam::Operation::GenerateCredentialReport
        .info()
        .facts
        .unwrap();
    assert_eq!(f.dispatch, Dispatch::Blocking);
    let f = sts::Operation::GetCallerIdentity.info().facts.unwrap();
    assert_eq!(f.dispatch, Dispatch::Memory);
    assert!(!sts::Operation::AssumeRoot.info().facts.unwrap().read_only);
}

#[test]
fn unsigned_operations_are_marked() {
    assert!(!sts::Operation::AssumeRoleWithWebIdentity.info().signed);
    assert!(sts::Operation::AssumeRoot.info().signed);
}
