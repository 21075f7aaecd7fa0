//! Requests for services this endpoint does not serve are answered in that
//! service's own protocol, never as IAM (issue 14 §2), and EC2's
//! DescribeRegions over the EC2 query protocol. Raw requests signed by the
//! SDK's SigV4 signer (aws-sigv4), as no SDK of ours is built for them.

use crate::common::Server;

const FORM: (&str, &str) = (
    "content-type",
    "application/x-www-form-urlencoded; charset=utf-8",
);

#[tokio::test]
async fn a_json_service_without_a_model_gets_a_json_error_naming_it() {
    let s = Server::start().await;
    let r = s
        .raw_post(
            "logs",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", "Logs_20140328.DescribeLogGroups"),
            ],
            b"{}",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    let v = r.json();
    assert_eq!(v["__type"], "UnknownOperationException");
    let message = v["Message"].as_str().unwrap();
    assert!(
        message.contains("logs") && message.contains("DescribeLogGroups"),
        "{message}"
    );
}

#[tokio::test]
async fn a_query_service_without_a_model_gets_a_query_error_not_iams() {
    let s = Server::start().await;
    let r = s
        .raw_post(
            "monitoring",
            &[FORM],
            b"Action=ListMetrics&Version=2010-08-01",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("<Code>InvalidAction</Code>"), "{}", r.body);
    assert!(
        r.body.contains("monitoring") && r.body.contains("ListMetrics"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("iam.amazonaws.com"), "{}", r.body);
    assert!(!r.body.contains("2010-05-08"), "{}", r.body);
}

#[tokio::test]
async fn a_rest_service_without_a_model_gets_a_rest_json_error() {
    let s = Server::start().await;
    let r = s
        .raw_post("lambda", &[("content-type", "application/json")], b"{}")
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("UnknownOperationException")
    );
    let message = r.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("lambda"), "{message}");
}

#[tokio::test]
async fn ec2_describe_regions_answers_in_ec2s_query_protocol() {
    let s = Server::start().await;
    let r = s
        .raw_post("ec2", &[FORM], b"Action=DescribeRegions&Version=2016-11-15")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains(
            "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>"
        ),
        "{}",
        r.body
    );
    assert_eq!(r.body.matches("<item>").count(), 17, "{}", r.body);
    let r = s
        .raw_post(
            "ec2",
            &[FORM],
            b"Action=DescribeRegions&Version=2016-11-15&AllRegions=true&RegionName.1=eu-west-1",
        )
        .await;
    assert_eq!(r.body.matches("<item>").count(), 1, "{}", r.body);
    assert!(r.body.contains("<regionName>eu-west-1</regionName>"));
}

#[tokio::test]
async fn an_ec2_action_not_served_is_an_ec2_error_document() {
    let s = Server::start().await;
    let r = s
        .raw_post(
            "ec2",
            &[FORM],
            b"Action=DescribeInstances&Version=2016-11-15",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body
            .contains("<Response><Errors><Error><Code>InvalidAction</Code>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<RequestID>"), "{}", r.body);
    assert!(
        r.body.contains("not implemented") && r.body.contains("DescribeInstances"),
        "{}",
        r.body
    );
}
