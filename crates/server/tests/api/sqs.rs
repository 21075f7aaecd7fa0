//! Amazon SQS through the AWS SDK for Rust (JSON 1.0 with query-compatible
//! errors), raw JSON 1.0 and query-form requests, the lock-out by a deny-all
//! queue policy and its rescue by an `SQSUnlockQueuePolicy` root session.

use aws_sdk_sqs::error::ProvideErrorMetadata;
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};

use crate::common::root::{
    AUDIT, SQS_UNLOCK, admin_role_in, organization_with_root_sessions, root_session,
};
use crate::common::{ACCOUNT, ADMIN_KEY, Server};

/// The AWS error code of a failed SQS call (the query-compatible code).
fn code<E, R>(r: Result<R, aws_sdk_sqs::error::SdkError<E>>) -> String
where
    E: ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    r.unwrap_err().code().unwrap_or_default().to_owned()
}

fn lock_policy(account: &str, queue: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"arn:aws:sqs:us-east-1:{account}:{queue}"}}]}}"#
    )
}

async fn create(sqs: &aws_sdk_sqs::Client, name: &str) -> String {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn queues_are_created_listed_found_and_deleted() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    assert!(
        sqs.list_queues()
            .send()
            .await
            .unwrap()
            .queue_urls()
            .is_empty()
    );
    let url = create(&sqs, "orders").await;
    assert_eq!(url, format!("{}/{ACCOUNT}/orders", s.url));
    create(&sqs, "orders-dlq").await;
    create(&sqs, "billing").await;
    let fifo = sqs
        .create_queue()
        .queue_name("jobs.fifo")
        .attributes(QueueAttributeName::FifoQueue, "true")
        .send()
        .await
        .unwrap();
    assert!(fifo.queue_url().unwrap().ends_with("/jobs.fifo"));

    // Idempotent with identical attributes; another value is QueueNameExists.
    let again = sqs
        .create_queue()
        .queue_name("orders")
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .send()
        .await
        .unwrap();
    assert_eq!(again.queue_url(), Some(url.as_str()));
    let r = sqs
        .create_queue()
        .queue_name("orders")
        .attributes(QueueAttributeName::VisibilityTimeout, "45")
        .send()
        .await;
    let e = r.unwrap_err().into_service_error();
    assert!(e.is_queue_name_exists(), "{e:?}");
    assert_eq!(e.code(), Some("QueueAlreadyExists"));
    for bad in ["has space", "x.fifo", &"x".repeat(81)] {
        let r = sqs.create_queue().queue_name(bad).send().await;
        assert_eq!(code(r), "InvalidParameterValue", "{bad}");
    }

    let all = sqs.list_queues().send().await.unwrap();
    assert_eq!(all.queue_urls().len(), 4);
    assert!(all.next_token().is_none());
    let prefixed = sqs
        .list_queues()
        .queue_name_prefix("orders")
        .send()
        .await
        .unwrap();
    assert_eq!(
        prefixed.queue_urls(),
        [url.clone(), format!("{}/{ACCOUNT}/orders-dlq", s.url)]
    );
    // Pages of one.
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = sqs
            .list_queues()
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        seen.extend(page.queue_urls().iter().cloned());
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 4);
    assert_eq!(
        code(sqs.list_queues().max_results(1001).send().await),
        "InvalidParameterValue"
    );
    assert_eq!(
        code(sqs.list_queues().next_token("bogus").send().await),
        "InvalidParameterValue"
    );

    let found = sqs
        .get_queue_url()
        .queue_name("orders")
        .send()
        .await
        .unwrap();
    assert_eq!(found.queue_url(), Some(url.as_str()));
    sqs.delete_queue().queue_url(&url).send().await.unwrap();
    let r = sqs.get_queue_url().queue_name("orders").send().await;
    let e = r.unwrap_err().into_service_error();
    assert!(e.is_queue_does_not_exist(), "{e:?}");
    assert_eq!(e.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
    assert_eq!(e.message(), Some("The specified queue does not exist."));
    let r = sqs.delete_queue().queue_url(&url).send().await;
    assert_eq!(code(r), "AWS.SimpleQueueService.NonExistentQueue");
    assert_eq!(
        sqs.list_queues().send().await.unwrap().queue_urls().len(),
        3
    );
}

#[tokio::test]
async fn messages_are_sent_received_hidden_and_deleted() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "work").await;
    let sent = sqs
        .send_message()
        .queue_url(&url)
        .message_body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent.md5_of_message_body(),
        Some("5d41402abc4b2a76b9719d911017c592")
    );
    assert_eq!(sent.message_id().unwrap().len(), 36);
    sqs.send_message()
        .queue_url(&url)
        .message_body("world")
        .send()
        .await
        .unwrap();

    let got = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap();
    let msgs = got.messages();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].body(), Some("hello"));
    assert_eq!(msgs[1].body(), Some("world"));
    assert_eq!(msgs[0].message_id(), sent.message_id());
    assert_eq!(
        msgs[0].md5_of_body(),
        Some("5d41402abc4b2a76b9719d911017c592")
    );
    let attrs = msgs[0].attributes().unwrap();
    assert_eq!(
        attrs
            .get(&MessageSystemAttributeName::ApproximateReceiveCount)
            .map(String::as_str),
        Some("1")
    );
    assert!(attrs.contains_key(&MessageSystemAttributeName::SentTimestamp));
    assert!(attrs.contains_key(&MessageSystemAttributeName::SenderId));
    let first_handle = msgs[0].receipt_handle().unwrap().to_owned();

    // Invisible for the visibility timeout (30 s by default).
    let none = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert!(none.messages().is_empty());
    let counts = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .unwrap();
    let a = counts.attributes().unwrap();
    assert_eq!(a[&QueueAttributeName::ApproximateNumberOfMessages], "0");
    // SSE-SQS, on by default for new queues.
    assert_eq!(a[&QueueAttributeName::SqsManagedSseEnabled], "true");
    assert_eq!(
        a[&QueueAttributeName::ApproximateNumberOfMessagesNotVisible],
        "2"
    );
    s.clock.advance(31);
    let again = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(1)
        .visibility_timeout(5)
        .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
        .send()
        .await
        .unwrap();
    let m = &again.messages()[0];
    assert_eq!(m.body(), Some("hello"));
    assert_eq!(
        m.attributes().unwrap()[&MessageSystemAttributeName::ApproximateReceiveCount],
        "2"
    );
    // The stale handle deletes nothing; the latest one does.
    sqs.delete_message()
        .queue_url(&url)
        .receipt_handle(&first_handle)
        .send()
        .await
        .unwrap();
    sqs.delete_message()
        .queue_url(&url)
        .receipt_handle(m.receipt_handle().unwrap())
        .send()
        .await
        .unwrap();
    let r = sqs
        .delete_message()
        .queue_url(&url)
        .receipt_handle("not-a-handle")
        .send()
        .await;
    let e = r.unwrap_err().into_service_error();
    assert!(e.is_receipt_handle_is_invalid(), "{e:?}");
    s.clock.advance(6);
    let rest = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(rest.messages().len(), 1);
    assert_eq!(rest.messages()[0].body(), Some("world"));

    // Bounds and contents.
    let r = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(11)
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");
    let r = sqs
        .send_message()
        .queue_url(&url)
        .message_body("bad \u{0} char")
        .send()
        .await;
    assert_eq!(code(r), "InvalidMessageContents");
    let r = sqs
        .send_message()
        .queue_url(&url)
        .message_body("x")
        .delay_seconds(901)
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");

    // Delays, then purge (once a minute).
    sqs.send_message()
        .queue_url(&url)
        .message_body("later")
        .delay_seconds(10)
        .send()
        .await
        .unwrap();
    let none = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert!(none.messages().is_empty());
    sqs.purge_queue().queue_url(&url).send().await.unwrap();
    let r = sqs.purge_queue().queue_url(&url).send().await;
    let e = r.unwrap_err().into_service_error();
    assert!(e.is_purge_queue_in_progress(), "{e:?}");
    assert_eq!(
        e.code(),
        Some("AWS.SimpleQueueService.PurgeQueueInProgress")
    );
    s.clock.advance(61);
    let none = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert!(none.messages().is_empty());
    let r = sqs
        .send_message()
        .queue_url(format!("{}/{ACCOUNT}/missing", s.url))
        .message_body("x")
        .send()
        .await;
    assert_eq!(code(r), "AWS.SimpleQueueService.NonExistentQueue");
}

#[tokio::test]
async fn attributes_are_read_set_and_checked() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = sqs
        .create_queue()
        .queue_name("tuned")
        .attributes(QueueAttributeName::DelaySeconds, "2")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let all = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .unwrap();
    let a = all.attributes().unwrap();
    assert_eq!(
        a[&QueueAttributeName::QueueArn],
        format!("arn:aws:sqs:us-east-1:{ACCOUNT}:tuned")
    );
    assert_eq!(a[&QueueAttributeName::DelaySeconds], "2");
    assert_eq!(a[&QueueAttributeName::VisibilityTimeout], "30");
    assert_eq!(a[&QueueAttributeName::MessageRetentionPeriod], "345600");
    assert_eq!(a[&QueueAttributeName::MaximumMessageSize], "1048576");
    assert_eq!(a[&QueueAttributeName::ReceiveMessageWaitTimeSeconds], "0");
    assert!(a.contains_key(&QueueAttributeName::CreatedTimestamp));
    assert!(a.contains_key(&QueueAttributeName::LastModifiedTimestamp));
    assert!(!a.contains_key(&QueueAttributeName::Policy));

    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:{ACCOUNT}:tuned"}}]}}"#
    );
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::VisibilityTimeout, "60")
        .attributes(QueueAttributeName::Policy, &policy)
        .send()
        .await
        .unwrap();
    let some = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::VisibilityTimeout)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await
        .unwrap();
    let a = some.attributes().unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[&QueueAttributeName::VisibilityTimeout], "60");
    assert_eq!(a[&QueueAttributeName::Policy], policy);
    // An empty policy removes it.
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, "")
        .send()
        .await
        .unwrap();
    let none = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await
        .unwrap();
    assert!(none.attributes().is_none_or(|a| a.is_empty()));

    for (name, value, want) in [
        ("VisibilityTimeout", "43201", "InvalidAttributeValue"),
        ("MessageRetentionPeriod", "59", "InvalidAttributeValue"),
        ("DelaySeconds", "soon", "InvalidAttributeValue"),
        ("Policy", "{not json", "InvalidAttributeValue"),
        (
            "Policy",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#,
            "InvalidAttributeValue",
        ),
        (
            "QueueArn",
            "arn:aws:sqs:us-east-1:1:x",
            "InvalidAttributeName",
        ),
        ("Colour", "blue", "InvalidAttributeName"),
    ] {
        let r = sqs
            .set_queue_attributes()
            .queue_url(&url)
            .attributes(QueueAttributeName::from(name), value)
            .send()
            .await;
        assert_eq!(code(r), want, "{name}={value}");
    }
    let r = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::from("Colour"))
        .send()
        .await;
    assert_eq!(code(r), "InvalidAttributeName");
    let r = sqs
        .get_queue_attributes()
        .queue_url("not a url")
        .send()
        .await;
    assert_eq!(code(r), "InvalidAddress");
}

#[tokio::test]
async fn a_deny_all_policy_locks_the_queue_until_an_unlock_root_session_removes_it() {
    let s = Server::start().await;
    let member = organization_with_root_sessions(&s).await;
    let admin = admin_role_in(&s, &member).await;
    let sqs = aws_sdk_sqs::Client::new(&admin);
    let url = create(&sqs, "locked-queue").await;
    assert_eq!(url, format!("{}/{member}/locked-queue", s.url));
    sqs.send_message()
        .queue_url(&url)
        .message_body("before")
        .send()
        .await
        .unwrap();
    let lock = lock_policy(&member, "locked-queue");
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, &lock)
        .send()
        .await
        .unwrap();

    // Locked out: the account's own administrator.
    let r = sqs
        .send_message()
        .queue_url(&url)
        .message_body("x")
        .send()
        .await;
    let e = r.unwrap_err().into_service_error();
    assert_eq!(e.code(), Some("AccessDenied"));
    assert_eq!(
        e.message(),
        Some(format!("Access to the resource {url} is denied.").as_str())
    );
    let r = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");
    let r = sqs
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, "")
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");
    let r = sqs.get_queue_url().queue_name("locked-queue").send().await;
    assert_eq!(code(r), "AccessDenied");

    // A root session for another task cannot touch the queue.
    let audit = aws_sdk_sqs::Client::new(&root_session(&s, &s.admin(), &member, AUDIT).await);
    let r = audit
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");
    let r = audit
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, "")
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");

    // The SQSUnlockQueuePolicy root session finds, reads and unlocks it.
    let root = aws_sdk_sqs::Client::new(&root_session(&s, &s.admin(), &member, SQS_UNLOCK).await);
    let listed = root.list_queues().send().await.unwrap();
    assert_eq!(listed.queue_urls(), std::slice::from_ref(&url));
    let found = root
        .get_queue_url()
        .queue_name("locked-queue")
        .send()
        .await
        .unwrap();
    assert_eq!(found.queue_url(), Some(url.as_str()));
    let got = root
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await
        .unwrap();
    assert_eq!(got.attributes().unwrap()[&QueueAttributeName::Policy], lock);
    let r = root
        .send_message()
        .queue_url(&url)
        .message_body("root")
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");
    let r = root.receive_message().queue_url(&url).send().await;
    assert_eq!(code(r), "AccessDenied");
    root.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, "")
        .send()
        .await
        .unwrap();

    // Unlocked: the administrator works again.
    sqs.send_message()
        .queue_url(&url)
        .message_body("after")
        .send()
        .await
        .unwrap();
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let bodies: Vec<_> = got.messages().iter().filter_map(|m| m.body()).collect();
    assert_eq!(bodies, ["before", "after"]);
}

#[tokio::test]
async fn another_account_uses_a_queue_when_its_policy_allows() {
    let s = Server::start().await;
    let member = organization_with_root_sessions(&s).await;
    let owner = aws_sdk_sqs::Client::new(&admin_role_in(&s, &member).await);
    let url = create(&owner, "shared").await;
    // The management account's admin user, by queue URL.
    let other = aws_sdk_sqs::Client::new(&s.admin());
    let r = other
        .send_message()
        .queue_url(&url)
        .message_body("x")
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");
    let r = other
        .get_queue_url()
        .queue_name("shared")
        .queue_owner_aws_account_id(&member)
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");

    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":["sqs:SendMessage","sqs:GetQueueUrl","sqs:SetQueueAttributes"],"Resource":"arn:aws:sqs:us-east-1:{member}:shared"}}]}}"#
    );
    owner
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, policy)
        .send()
        .await
        .unwrap();
    other
        .send_message()
        .queue_url(&url)
        .message_body("from the management account")
        .send()
        .await
        .unwrap();
    let found = other
        .get_queue_url()
        .queue_name("shared")
        .queue_owner_aws_account_id(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(found.queue_url(), Some(url.as_str()));
    // Not granted: receiving; never cross-account: setting attributes.
    let r = other.receive_message().queue_url(&url).send().await;
    assert_eq!(code(r), "AccessDenied");
    let r = other
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, "")
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");
    // The queue is not in the caller's own list.
    assert!(
        other
            .list_queues()
            .send()
            .await
            .unwrap()
            .queue_urls()
            .is_empty()
    );
    let got = owner
        .receive_message()
        .queue_url(&url)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.messages()[0].body(),
        Some("from the management account")
    );
}

#[tokio::test]
async fn queues_and_messages_survive_a_restart() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "durable").await;
    let lock = lock_policy(ACCOUNT, "other");
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, &lock)
        .attributes(QueueAttributeName::VisibilityTimeout, "5")
        .send()
        .await
        .unwrap();
    for body in ["one", "two"] {
        sqs.send_message()
            .queue_url(&url)
            .message_body(body)
            .send()
            .await
            .unwrap();
    }
    let first = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert_eq!(first.messages()[0].body(), Some("one"));

    let s2 = s.reopen().await;
    let sqs2 = aws_sdk_sqs::Client::new(&s2.admin());
    let url2 = format!("{}/{ACCOUNT}/durable", s2.url);
    assert_eq!(
        sqs2.list_queues().send().await.unwrap().queue_urls(),
        std::slice::from_ref(&url2)
    );
    let a = sqs2
        .get_queue_attributes()
        .queue_url(&url2)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .unwrap();
    let a = a.attributes().unwrap();
    assert_eq!(a[&QueueAttributeName::Policy], lock);
    assert_eq!(a[&QueueAttributeName::VisibilityTimeout], "5");
    assert_eq!(a[&QueueAttributeName::ApproximateNumberOfMessages], "1");
    assert_eq!(
        a[&QueueAttributeName::ApproximateNumberOfMessagesNotVisible],
        "1"
    );
    let got = sqs2
        .receive_message()
        .queue_url(&url2)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages()[0].body(), Some("two"));
    // The handle of the earlier receipt still deletes its message.
    sqs2.delete_message()
        .queue_url(&url2)
        .receipt_handle(first.messages()[0].receipt_handle().unwrap())
        .send()
        .await
        .unwrap();
    s2.clock.advance(6);
    let got = sqs2
        .receive_message()
        .queue_url(&url2)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let bodies: Vec<_> = got.messages().iter().filter_map(|m| m.body()).collect();
    assert_eq!(bodies, ["two"]);
}

#[tokio::test]
async fn json_errors_carry_the_query_code_header() {
    let s = Server::start().await;
    let json = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AmazonSQS.GetQueueUrl"),
        ("x-amzn-query-mode", "true"),
    ];
    let r = s.raw_post("sqs", &json, br#"{"QueueName":"nope"}"#).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("AWS.SimpleQueueService.NonExistentQueue;Sender")
    );
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
    let v = r.json();
    assert_eq!(v["__type"], "com.amazonaws.sqs#QueueDoesNotExist");
    assert_eq!(v["message"], "The specified queue does not exist.");
    assert!(v.get("Message").is_none());

    let r = s.raw_post("sqs", &json, b"{not json").await;
    assert_eq!(r.status, 400);
    assert!(
        r.json()["__type"]
            .as_str()
            .unwrap()
            .ends_with("#SerializationException")
    );
    let r = s.raw_post("sqs", &json, b"{}").await;
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("MissingParameter;Sender")
    );
    let unknown = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AmazonSQS.Nope"),
    ];
    let r = s.raw_post("sqs", &unknown, b"{}").await;
    assert_eq!(r.status, 400);
    assert!(
        r.json()["__type"]
            .as_str()
            .unwrap()
            .ends_with("#UnknownOperationException")
    );
    // A JSON request that names no operation is answered in JSON, not in
    // the query form's XML (the probe's D10): signed, and unsigned with a
    // target that is not visible ASCII.
    let r = s
        .raw_post(
            "sqs",
            &[("content-type", "application/x-amz-json-1.0")],
            b"{}",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
    assert!(
        r.json()["__type"]
            .as_str()
            .unwrap()
            .ends_with("#UnknownOperationException"),
        "{}",
        r.body
    );
    for headers in [
        vec![
            (
                "content-type".to_owned(),
                "application/x-amz-json-1.0".to_owned(),
            ),
            ("x-amz-target".to_owned(), "AmazonSQS.Send\u{e9}".to_owned()),
        ],
        vec![
            (
                "content-type".to_owned(),
                "application/x-amz-json-1.1".to_owned(),
            ),
            ("x-amz-target".to_owned(), "\u{e9}.GetThing".to_owned()),
        ],
        vec![(
            "content-type".to_owned(),
            "application/x-amz-json-1.0".to_owned(),
        )],
    ] {
        let r = s.raw_send("POST", "/", &headers, b"{}").await;
        assert_eq!(r.status, 403, "{headers:?} {}", r.body);
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("application/x-amz-json-1.")),
            "{headers:?} {:?}",
            r.headers
        );
        assert!(
            r.json()["__type"]
                .as_str()
                .unwrap()
                .ends_with("MissingAuthenticationTokenException"),
            "{headers:?} {}",
            r.body
        );
    }

    // Success of an operation without output: 200, empty body.
    let create = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AmazonSQS.CreateQueue"),
    ];
    let r = s.raw_post("sqs", &create, br#"{"QueueName":"raw"}"#).await;
    assert_eq!(r.status, 200);
    let url = r.json()["QueueUrl"].as_str().unwrap().to_owned();
    let purge = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AmazonSQS.PurgeQueue"),
    ];
    let body = serde_json::json!({ "QueueUrl": url }).to_string();
    let r = s.raw_post("sqs", &purge, body.as_bytes()).await;
    assert_eq!((r.status, r.body.as_str()), (200, ""));

    // Authentication failures speak JSON 1.0 with the query code too.
    let bad = aws_sdk_sqs::Client::new(&s.config(ADMIN_KEY, "wrong-secret", None));
    let r = bad.list_queues().send().await;
    let e = r.unwrap_err();
    assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
    let r = bad.list_queues().send().await.unwrap_err();
    let raw = r.raw_response().unwrap();
    assert_eq!(raw.status().as_u16(), 403);
    assert_eq!(
        raw.headers().get("x-amzn-query-error"),
        Some("SignatureDoesNotMatch;Sender")
    );
    let unknown = aws_sdk_sqs::Client::new(&s.config("AKIANOSUCHKEY0000000", "x", None));
    assert_eq!(
        code(unknown.list_queues().send().await),
        "InvalidClientTokenId"
    );
}

#[tokio::test]
async fn the_query_form_of_older_sdks_is_served() {
    let s = Server::start().await;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = s
        .raw_post(
            "sqs",
            &form,
            b"Action=CreateQueue&QueueName=legacy&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40&Version=2012-11-05",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.starts_with(
        "<CreateQueueResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><CreateQueueResult>"
    ));
    let url = format!("{}/{ACCOUNT}/legacy", s.url);
    assert!(r.body.contains(&format!("<QueueUrl>{url}</QueueUrl>")));
    assert!(r.body.contains("<ResponseMetadata><RequestId>"));

    let enc = |u: &str| form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>();
    let send = format!(
        "Action=SendMessage&QueueUrl={}&MessageBody=hi%20there&Version=2012-11-05",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, send.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<MD5OfMessageBody>"));
    let recv = format!(
        "Action=ReceiveMessage&QueueUrl={}&AttributeName.1=All&Version=2012-11-05",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, recv.as_bytes()).await;
    assert!(r.body.contains("<Message><Attribute><Name>"), "{}", r.body);
    assert!(r.body.contains("<Body>hi there</Body>"));
    let attrs = format!(
        "Action=GetQueueAttributes&QueueUrl={}&AttributeName.1=VisibilityTimeout&Version=2012-11-05",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, attrs.as_bytes()).await;
    assert!(
        r.body.contains(
            "<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>40</Value></Attribute></GetQueueAttributesResult>"
        ),
        "{}",
        r.body
    );
    let r = s
        .raw_post(
            "sqs",
            &form,
            b"Action=DeleteQueue&QueueUrl=http%3A%2F%2Fx%2F111111111111%2Fnope&Version=2012-11-05",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.starts_with(
        "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
    ), "{}", r.body);
    let r = s
        .raw_post("sqs", &form, b"Action=ListQueues&Version=2012-11-05")
        .await;
    assert!(r.body.contains(&format!(
        "<ListQueuesResult><QueueUrl>{url}</QueueUrl></ListQueuesResult>"
    )));
    let r = s
        .raw_post("sqs", &form, b"Action=Frobnicate&Version=2012-11-05")
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("<Code>InvalidAction</Code>"));
}

/// Query clients that address a queue by the URL they post to (the AWS SDK
/// for Java v1, boto2; the API reference's query examples) send no
/// `QueueUrl` parameter: the path names the queue, in the query form and
/// the JSON form alike. A `QueueUrl` parameter wins over the path
/// (UNCONFIRMED); a request that names its queue neither way still lacks
/// `QueueUrl`; an operation without a `QueueUrl` member ignores the path.
/// The probe's D1.
#[tokio::test]
async fn a_queue_is_addressed_by_the_request_path() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "by-path").await;
    let other = create(&sqs, "by-param").await;
    let path = format!("/{ACCOUNT}/by-path");
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let post = |body: String| {
        let (s, path) = (&s, &path);
        async move {
            s.raw_post_path("sqs", "us-east-1", path, None, &form, body.as_bytes())
                .await
        }
    };
    let r = post("Action=SendMessage&Version=2012-11-05&MessageBody=from-path".into()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<MD5OfMessageBody>"), "{}", r.body);
    let r = post(
        "Action=GetQueueAttributes&Version=2012-11-05&AttributeName.1=ApproximateNumberOfMessages"
            .into(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("<Name>ApproximateNumberOfMessages</Name><Value>1</Value>"),
        "{}",
        r.body
    );
    // The JSON form posted to the queue's path.
    let json = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AmazonSQS.SendMessage"),
    ];
    let r = s
        .raw_post_path(
            "sqs",
            "us-east-1",
            &path,
            None,
            &json,
            br#"{"MessageBody":"json"}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(counts(&sqs, &url).await.0, "2");
    // A QueueUrl parameter wins over the path.
    let enc = |u: &str| form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>();
    let r = post(format!(
        "Action=SendMessage&Version=2012-11-05&MessageBody=param&QueueUrl={}",
        enc(&other)
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(counts(&sqs, &other).await.0, "1");
    assert_eq!(counts(&sqs, &url).await.0, "2");
    // A path that names a queue that does not exist.
    let r = s
        .raw_post_path(
            "sqs",
            "us-east-1",
            &format!("/{ACCOUNT}/nope"),
            None,
            &form,
            b"Action=PurgeQueue&Version=2012-11-05",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body
            .contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"),
        "{}",
        r.body
    );
    // Neither: still MissingParameter.
    let r = s
        .raw_post("sqs", &form, b"Action=PurgeQueue&Version=2012-11-05")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>MissingParameter</Code>"),
        "{}",
        r.body
    );
    // ListQueues has no QueueUrl member: the path changes nothing.
    let r = post("Action=ListQueues&Version=2012-11-05".into()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&url), "{}", r.body);
    // Purged through the path, and received through it.
    let r = post("Action=ReceiveMessage&Version=2012-11-05&MaxNumberOfMessages=10".into()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<Body>"), "{}", r.body);
    let r = post("Action=PurgeQueue&Version=2012-11-05".into()).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// A query-form message body that is not UTF-8 once percent-decoded is
/// refused (`InvalidQueryParameter`; UNCONFIRMED), never stored with
/// U+FFFD in its place and answered with the digest of the altered bytes;
/// a UTF-8 one is stored exactly. The probe's D5.
#[tokio::test]
async fn a_query_form_body_that_is_not_utf8_is_refused_not_altered() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "strict").await;
    let enc = |u: &str| form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>();
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let send = format!(
        "Action=SendMessage&Version=2012-11-05&MessageBody=%FF%FE&QueueUrl={}",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, send.as_bytes()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.starts_with(
        "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type><Code>InvalidQueryParameter</Code>"
    ), "{}", r.body);
    assert_eq!(counts(&sqs, &url).await, ("0".to_owned(), "0".to_owned()));
    let send = format!(
        "Action=SendMessage&Version=2012-11-05&MessageBody=%E2%82%AC%EF%BF%BD&QueueUrl={}",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, send.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let got = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert_eq!(got.messages()[0].body(), Some("\u{20ac}\u{fffd}"));
}

/// A message body with carriage returns reaches a query-protocol client as
/// it was sent: a raw CR in XML text is read back as LF by every XML parser
/// (and CR LF as one LF), which altered the body and failed its
/// `MD5OfBody` check. CR is written `&#xD;`, as SQS does. An error message
/// echoing a control character XML cannot carry is still well-formed XML.
#[tokio::test]
async fn carriage_returns_survive_the_query_protocol() {
    let s = Server::start().await;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = s
        .raw_post(
            "sqs",
            &form,
            b"Action=CreateQueue&QueueName=cr&Version=2012-11-05",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let url = form_urlencoded::byte_serialize(format!("{}/{ACCOUNT}/cr", s.url).as_bytes())
        .collect::<String>();
    let send =
        format!("Action=SendMessage&QueueUrl={url}&MessageBody=a%0D%0Ab%0Dc&Version=2012-11-05");
    let r = s.raw_post("sqs", &form, send.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let recv = format!("Action=ReceiveMessage&QueueUrl={url}&Version=2012-11-05");
    let r = s.raw_post("sqs", &form, recv.as_bytes()).await;
    assert!(
        r.body.contains("<Body>a&#xD;\nb&#xD;c</Body>"),
        "{}",
        r.body
    );
    // MD5 of the body as sent.
    assert!(
        r.body.contains(&format!(
            "<MD5OfBody>{}</MD5OfBody>",
            hex::encode(<md5::Md5 as md5::Digest>::digest(b"a\r\nb\rc"))
        )),
        "{}",
        r.body
    );
    // IAM echoes a name with control characters in its error: the reply
    // is still XML (U+FFFD in their place), never a raw \x01.
    let r = s
        .raw_post(
            "iam",
            &form,
            b"Action=CreateUser&UserName=ab%01%1Bcd&Version=2010-05-08",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        !r.body.bytes().any(|b| b < 0x20 && b != b'\n'),
        "{:?}",
        r.body
    );
}

fn attr(data_type: &str, value: &str) -> aws_sdk_sqs::types::MessageAttributeValue {
    aws_sdk_sqs::types::MessageAttributeValue::builder()
        .data_type(data_type)
        .string_value(value)
        .build()
        .unwrap()
}

fn binary_attr(data_type: &str, value: &[u8]) -> aws_sdk_sqs::types::MessageAttributeValue {
    aws_sdk_sqs::types::MessageAttributeValue::builder()
        .data_type(data_type)
        .binary_value(aws_sdk_sqs::primitives::Blob::new(value))
        .build()
        .unwrap()
}

#[tokio::test]
async fn message_attributes_are_stored_returned_and_checked() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "attributes").await;

    // The digest of one Number attribute, as moto's tests pin AWS's answer.
    let one = sqs
        .send_message()
        .queue_url(&url)
        .message_body("one")
        .message_attributes("timestamp", attr("Number", "1493147359900"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        one.md5_of_message_attributes(),
        Some("235c5c510d26fb653d073faed50ae77c")
    );
    // Every data type, custom labels, names with periods. The digests here
    // and below were computed apart from Rootward (Python's hashlib over the
    // bytes AWS's algorithm lays out).
    let two = sqs
        .send_message()
        .queue_url(&url)
        .message_body("two")
        .message_attributes("colour", attr("String", "blue"))
        .message_attributes("count", attr("Number", "42"))
        .message_attributes("blob", binary_attr("Binary", &[0, 1, 255]))
        .message_attributes("json", attr("String.json", r#"{"a":1}"#))
        .message_attributes("foo.bar", attr("String", "x"))
        .message_attributes("foo.baz", binary_attr("Binary.gif", b"GIF"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        two.md5_of_message_attributes(),
        Some("028113c1ef9334a682683d32297fd26a")
    );
    let plain = sqs
        .send_message()
        .queue_url(&url)
        .message_body("three")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.md5_of_message_attributes(), None);

    // All of them, with their digest, when asked for `All`.
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .visibility_timeout(0)
        .message_attribute_names("All")
        .send()
        .await
        .unwrap();
    let msgs = got.messages();
    assert_eq!(msgs.len(), 3);
    let a = msgs[0].message_attributes().unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a["timestamp"].data_type(), "Number");
    assert_eq!(a["timestamp"].string_value(), Some("1493147359900"));
    assert_eq!(
        msgs[0].md5_of_message_attributes(),
        Some("235c5c510d26fb653d073faed50ae77c")
    );
    let a = msgs[1].message_attributes().unwrap();
    assert_eq!(a.len(), 6);
    assert_eq!(a["colour"].string_value(), Some("blue"));
    assert_eq!(a["count"].data_type(), "Number");
    assert_eq!(a["blob"].data_type(), "Binary");
    assert_eq!(a["blob"].binary_value().unwrap().as_ref(), &[0, 1, 255]);
    assert_eq!(a["blob"].string_value(), None);
    assert_eq!(a["json"].data_type(), "String.json");
    assert_eq!(a["json"].string_value(), Some(r#"{"a":1}"#));
    assert_eq!(a["foo.baz"].binary_value().unwrap().as_ref(), b"GIF");
    assert_eq!(
        msgs[1].md5_of_message_attributes(),
        Some("028113c1ef9334a682683d32297fd26a")
    );
    assert!(msgs[2].message_attributes().is_none_or(|a| a.is_empty()));
    assert_eq!(msgs[2].md5_of_message_attributes(), None);

    // `.*` is every attribute; `foo.*` those named `foo.…`; else exact
    // names. The digest covers the attributes answered.
    let receive = |names: &[&str]| {
        let mut r = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .visibility_timeout(0);
        for n in names {
            r = r.message_attribute_names(*n);
        }
        r.send()
    };
    let got = receive(&[".*"]).await.unwrap();
    assert_eq!(got.messages()[1].message_attributes().unwrap().len(), 6);
    let got = receive(&["foo.*"]).await.unwrap();
    let m = &got.messages()[1];
    let mut names: Vec<_> = m.message_attributes().unwrap().keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["foo.bar", "foo.baz"]);
    assert_eq!(
        m.md5_of_message_attributes(),
        Some("58766caa3e2183e4eea60fafddc02cb1")
    );
    assert!(
        got.messages()[0]
            .message_attributes()
            .is_none_or(|a| a.is_empty())
    );
    let got = receive(&["colour", "blob", "nope", "fo"]).await.unwrap();
    let m = &got.messages()[1];
    assert_eq!(m.message_attributes().unwrap().len(), 2);
    assert_eq!(
        m.md5_of_message_attributes(),
        Some("2c9e1427e57d8eabfa1d8856e43dcd94")
    );
    let got = receive(&[]).await.unwrap();
    assert!(
        got.messages()
            .iter()
            .all(|m| m.message_attributes().is_none_or(|a| a.is_empty())
                && m.md5_of_message_attributes().is_none())
    );

    // Refused as SQS refuses them, nothing stored.
    let send = |name: &str, value: aws_sdk_sqs::types::MessageAttributeValue| {
        sqs.send_message()
            .queue_url(&url)
            .message_body("bad")
            .message_attributes(name, value)
            .send()
    };
    let long = "n".repeat(257);
    for (name, value) in [
        ("AWS.trace", attr("String", "x")),
        ("amazon.x", attr("String", "x")),
        (".lead", attr("String", "x")),
        ("trail.", attr("String", "x")),
        ("two..dots", attr("String", "x")),
        ("has space", attr("String", "x")),
        ("é", attr("String", "x")),
        (long.as_str(), attr("String", "x")),
        ("t", attr("Text", "x")),
        ("t", attr("", "x")),
        ("t", attr("Number", "forty-two")),
        ("t", attr("Number", "")),
        ("t", attr("String", "bad \u{1} char")),
        ("t", binary_attr("Binary", b"")),
        ("t", binary_attr("String", b"x")),
    ] {
        let r = send(name, value.clone()).await;
        assert_eq!(code(r), "InvalidParameterValue", "{name}: {value:?}");
    }
    let e = send("empty", attr("String", ""))
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        e.message(),
        Some("Message (user) attribute 'empty' must contain a non-empty value of type 'String'.")
    );
    let mut eleven = sqs.send_message().queue_url(&url).message_body("bad");
    for i in 0..11 {
        eleven = eleven.message_attributes(format!("a{i}"), attr("String", "x"));
    }
    let e = eleven.send().await.unwrap_err().into_service_error();
    assert_eq!(e.code(), Some("InvalidParameterValue"));
    assert_eq!(
        e.message(),
        Some("Number of message attributes [11] exceeds the allowed maximum [10].")
    );
    // 256 characters and ten attributes are allowed.
    send(&"n".repeat(256), attr("String", "x")).await.unwrap();
    let mut ten = sqs.send_message().queue_url(&url).message_body("ten");
    for i in 0..10 {
        ten = ten.message_attributes(format!("a{i}"), attr("Number", "-1.5e3"));
    }
    ten.send().await.unwrap();
    // Attributes count towards the maximum message size.
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::MaximumMessageSize, "1024")
        .send()
        .await
        .unwrap();
    let r = sqs
        .send_message()
        .queue_url(&url)
        .message_body("b".repeat(1000))
        .message_attributes("big", attr("String", &"v".repeat(30)))
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");

    // A missing data type (no SDK sends one) and list values (reserved by
    // SQS) in raw JSON.
    let json = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AmazonSQS.SendMessage"),
    ];
    let body = serde_json::json!({
        "QueueUrl": url, "MessageBody": "x",
        "MessageAttributes": {"t": {"StringValue": "x"}},
    });
    let r = s.raw_post("sqs", &json, body.to_string().as_bytes()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("InvalidParameterValue;Sender")
    );
    let body = serde_json::json!({
        "QueueUrl": url, "MessageBody": "x",
        "MessageAttributes": {"t": {"DataType": "String", "StringListValues": ["a"]}},
    });
    let r = s.raw_post("sqs", &json, body.to_string().as_bytes()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("AWS.SimpleQueueService.UnsupportedOperation;Sender")
    );

    // The query form of older SDKs: attributes in, attributes out.
    let q = create(&sqs, "attributes-query").await;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let enc = |u: &str| form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>();
    let send = format!(
        "Action=SendMessage&QueueUrl={}&MessageBody=hi&MessageAttribute.1.Name=count&MessageAttribute.1.Value.DataType=Number&MessageAttribute.1.Value.StringValue=42&Version=2012-11-05",
        enc(&q)
    );
    let r = s.raw_post("sqs", &form, send.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains(
            "<MD5OfMessageAttributes>2ee5fa915753ff72599b2514463a2897</MD5OfMessageAttributes>"
        ),
        "{}",
        r.body
    );
    let recv = format!(
        "Action=ReceiveMessage&QueueUrl={}&MessageAttributeName.1=All&Version=2012-11-05",
        enc(&q)
    );
    let r = s.raw_post("sqs", &form, recv.as_bytes()).await;
    assert!(
        r.body.contains(
            "<MessageAttribute><Name>count</Name><Value><DataType>Number</DataType><StringValue>42</StringValue></Value></MessageAttribute>"
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains(
        "<MD5OfMessageAttributes>2ee5fa915753ff72599b2514463a2897</MD5OfMessageAttributes>"
    ));
}

#[tokio::test]
async fn fifo_sends_need_a_group_and_a_deduplication_id_and_keep_them() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = sqs
        .create_queue()
        .queue_name("jobs.fifo")
        .attributes(QueueAttributeName::FifoQueue, "true")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();

    // What a FIFO queue cannot do without is refused, not dropped.
    let e = sqs
        .send_message()
        .queue_url(&url)
        .message_body("x")
        .message_deduplication_id("d0")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("MissingParameter"));
    assert_eq!(
        e.message(),
        Some("The request must contain the parameter MessageGroupId.")
    );
    let e = sqs
        .send_message()
        .queue_url(&url)
        .message_body("x")
        .message_group_id("g")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidParameterValue"));
    assert_eq!(
        e.message(),
        Some(
            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
        )
    );
    let e = sqs
        .send_message()
        .queue_url(&url)
        .message_body("x")
        .message_group_id("g")
        .message_deduplication_id("d0")
        .delay_seconds(5)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidParameterValue"));
    assert_eq!(
        e.message(),
        Some(
            "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."
        )
    );
    for bad in ["has space", &"x".repeat(129)] {
        let r = sqs
            .send_message()
            .queue_url(&url)
            .message_body("x")
            .message_group_id(bad)
            .message_deduplication_id("d0")
            .send()
            .await;
        assert_eq!(code(r), "InvalidParameterValue", "{bad}");
    }
    assert!(
        sqs.receive_message()
            .queue_url(&url)
            .send()
            .await
            .unwrap()
            .messages()
            .is_empty()
    );

    // Served: the group and deduplication ids are kept; SequenceNumber
    // grows.
    let mut sent = Vec::new();
    for (body, group, dedup) in [("a", "g1", "d1"), ("b", "g2", "d2"), ("c", "g1", "d3")] {
        let r = sqs
            .send_message()
            .queue_url(&url)
            .message_body(body)
            .message_group_id(group)
            .message_deduplication_id(dedup)
            .delay_seconds(0)
            .send()
            .await
            .unwrap();
        let n: u128 = r.sequence_number().unwrap().parse().unwrap();
        sent.push(n);
    }
    assert!(sent.windows(2).all(|w| w[0] < w[1]), "{sent:?}");
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .unwrap();
    let msgs = got.messages();
    let bodies: Vec<_> = msgs.iter().filter_map(|m| m.body()).collect();
    assert_eq!(bodies, ["a", "b", "c"]);
    let a = msgs[2].attributes().unwrap();
    assert_eq!(a[&MessageSystemAttributeName::MessageGroupId], "g1");
    assert_eq!(a[&MessageSystemAttributeName::MessageDeduplicationId], "d3");
    assert_eq!(
        a[&MessageSystemAttributeName::SequenceNumber],
        sent[2].to_string()
    );
    // Only what was asked for.
    s.clock.advance(31);
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .message_system_attribute_names(MessageSystemAttributeName::MessageGroupId)
        .send()
        .await
        .unwrap();
    let a = got.messages()[0].attributes().unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[&MessageSystemAttributeName::MessageGroupId], "g1");

    // Content-based deduplication: the id is the body's SHA-256.
    let cbd = sqs
        .create_queue()
        .queue_name("content.fifo")
        .attributes(QueueAttributeName::FifoQueue, "true")
        .attributes(QueueAttributeName::ContentBasedDeduplication, "true")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let r = sqs
        .send_message()
        .queue_url(&cbd)
        .message_body("hello")
        .message_group_id("g")
        .send()
        .await
        .unwrap();
    assert!(r.sequence_number().is_some());
    let got = sqs
        .receive_message()
        .queue_url(&cbd)
        .message_system_attribute_names(MessageSystemAttributeName::MessageDeduplicationId)
        .send()
        .await
        .unwrap();
    use sha2::Digest as _;
    assert_eq!(
        got.messages()[0].attributes().unwrap()
            [&MessageSystemAttributeName::MessageDeduplicationId],
        hex::encode(sha2::Sha256::digest(b"hello"))
    );

    // A standard queue takes a group (fair queues), not a deduplication id,
    // and answers no SequenceNumber.
    let standard = create(&sqs, "standard").await;
    let r = sqs
        .send_message()
        .queue_url(&standard)
        .message_body("x")
        .message_deduplication_id("d")
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");
    let r = sqs
        .send_message()
        .queue_url(&standard)
        .message_body("x")
        .message_group_id("tenant-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.sequence_number(), None);
    let got = sqs
        .receive_message()
        .queue_url(&standard)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .unwrap();
    let a = got.messages()[0].attributes().unwrap();
    assert_eq!(a[&MessageSystemAttributeName::MessageGroupId], "tenant-1");
    assert!(!a.contains_key(&MessageSystemAttributeName::SequenceNumber));
    assert!(!a.contains_key(&MessageSystemAttributeName::MessageDeduplicationId));
}

#[tokio::test]
async fn a_deleted_queue_s_name_is_taken_for_60_seconds() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "gone").await;
    sqs.send_message()
        .queue_url(&url)
        .message_body("old")
        .send()
        .await
        .unwrap();
    sqs.delete_queue().queue_url(&url).send().await.unwrap();

    let refused = || async {
        let e = sqs
            .create_queue()
            .queue_name("gone")
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.raw_response().unwrap().status().as_u16(), 400);
        let e = e.into_service_error();
        assert!(e.is_queue_deleted_recently(), "{e:?}");
        assert_eq!(
            e.code(),
            Some("AWS.SimpleQueueService.QueueDeletedRecently")
        );
        assert_eq!(
            e.message(),
            Some(
                "You must wait 60 seconds after deleting a queue before you can create another with the same name."
            )
        );
    };
    refused().await;
    // Other names are free, the deleted queue is gone.
    create(&sqs, "kept").await;
    let r = sqs.get_queue_url().queue_name("gone").send().await;
    assert_eq!(code(r), "AWS.SimpleQueueService.NonExistentQueue");
    s.clock.advance(59);
    refused().await;
    // Sixty seconds on (by the server's clock), the name is free: a new,
    // empty queue.
    s.clock.advance(1);
    assert_eq!(create(&sqs, "gone").await, url);
    let got = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert!(got.messages().is_empty());
}

/// The receipt handle of the one message a receive answers.
async fn receive_one(sqs: &aws_sdk_sqs::Client, url: &str, visibility: i32) -> Option<String> {
    let got = sqs
        .receive_message()
        .queue_url(url)
        .visibility_timeout(visibility)
        .send()
        .await
        .unwrap();
    got.messages()
        .first()
        .and_then(|m| m.receipt_handle())
        .map(str::to_owned)
}

async fn counts(sqs: &aws_sdk_sqs::Client, url: &str) -> (String, String) {
    let a = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .unwrap();
    let get = |n| a.attributes().unwrap()[&n].clone();
    (
        get(QueueAttributeName::ApproximateNumberOfMessages),
        get(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
    )
}

#[tokio::test]
async fn a_message_s_visibility_is_changed_by_its_receipt_handle() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "vis").await;
    sqs.send_message()
        .queue_url(&url)
        .message_body("m")
        .send()
        .await
        .unwrap();
    let handle = receive_one(&sqs, &url, 300).await.unwrap();
    assert_eq!(receive_one(&sqs, &url, 300).await, None);
    // 0: visible again at once.
    sqs.change_message_visibility()
        .queue_url(&url)
        .receipt_handle(&handle)
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert_eq!(counts(&sqs, &url).await, ("1".into(), "0".into()));
    let handle = receive_one(&sqs, &url, 5).await.unwrap();
    // Extended from now: still hidden after the first timeout would end.
    sqs.change_message_visibility()
        .queue_url(&url)
        .receipt_handle(&handle)
        .visibility_timeout(60)
        .send()
        .await
        .unwrap();
    s.clock.advance(10);
    assert_eq!(receive_one(&sqs, &url, 5).await, None);
    s.clock.advance(55);
    let newer = receive_one(&sqs, &url, 30).await.unwrap();

    // Out of range, a malformed handle, a handle of another receipt, a
    // deleted message.
    let r = sqs
        .change_message_visibility()
        .queue_url(&url)
        .receipt_handle(&newer)
        .visibility_timeout(43_201)
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");
    let r = sqs
        .change_message_visibility()
        .queue_url(&url)
        .receipt_handle("bogus")
        .visibility_timeout(10)
        .send()
        .await;
    let e = r.unwrap_err().into_service_error();
    assert!(e.is_receipt_handle_is_invalid(), "{e:?}");
    assert_eq!(e.code(), Some("ReceiptHandleIsInvalid"));
    // Our form with a malformed nonce is not a handle either (DeleteMessage
    // took it as a stale one).
    let r = sqs
        .delete_message()
        .queue_url(&url)
        .receipt_handle("rw1.0000017966730071798691.zz")
        .send()
        .await;
    let e = r.unwrap_err().into_service_error();
    assert_eq!(e.code(), Some("ReceiptHandleIsInvalid"));
    let r = sqs
        .change_message_visibility()
        .queue_url(&url)
        .receipt_handle(&handle)
        .visibility_timeout(10)
        .send()
        .await;
    let e = r.unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameterValue"));
    assert!(
        e.message().unwrap().ends_with(
            "Reason: Message does not exist or is not available for visibility timeout change."
        ),
        "{e:?}"
    );
    // More than 12 hours in flight from the receipt.
    s.clock.advance(20);
    let r = sqs
        .change_message_visibility()
        .queue_url(&url)
        .receipt_handle(&newer)
        .visibility_timeout(43_200)
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");
    sqs.delete_message()
        .queue_url(&url)
        .receipt_handle(&newer)
        .send()
        .await
        .unwrap();
    let r = sqs
        .change_message_visibility()
        .queue_url(&url)
        .receipt_handle(&newer)
        .visibility_timeout(10)
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");

    // A handle whose timeout has ended: accepted, without effect.
    sqs.send_message()
        .queue_url(&url)
        .message_body("n")
        .send()
        .await
        .unwrap();
    let h = receive_one(&sqs, &url, 5).await.unwrap();
    s.clock.advance(6);
    sqs.change_message_visibility()
        .queue_url(&url)
        .receipt_handle(&h)
        .visibility_timeout(600)
        .send()
        .await
        .unwrap();
    assert_eq!(counts(&sqs, &url).await, ("1".into(), "0".into()));

    // The query form, and the missing parameter.
    let json = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AmazonSQS.ChangeMessageVisibility"),
    ];
    let body = serde_json::json!({ "QueueUrl": url, "ReceiptHandle": h }).to_string();
    let r = s.raw_post("sqs", &json, body.as_bytes()).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("MissingParameter;Sender")
    );
    let h = receive_one(&sqs, &url, 300).await.unwrap();
    let enc = |u: &str| form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>();
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let q = format!(
        "Action=ChangeMessageVisibility&QueueUrl={}&ReceiptHandle={}&VisibilityTimeout=0&Version=2012-11-05",
        enc(&url),
        enc(&h)
    );
    let r = s.raw_post("sqs", &form, q.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.starts_with("<ChangeMessageVisibilityResponse"));
    assert_eq!(counts(&sqs, &url).await, ("1".into(), "0".into()));
}

fn send_entry(id: &str, body: &str) -> aws_sdk_sqs::types::SendMessageBatchRequestEntry {
    aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
        .id(id)
        .message_body(body)
        .build()
        .unwrap()
}

#[tokio::test]
async fn batches_send_delete_and_change_visibility_entry_by_entry() {
    use aws_sdk_sqs::types::{
        ChangeMessageVisibilityBatchRequestEntry, DeleteMessageBatchRequestEntry,
    };
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "batch").await;

    // One bad entry (a body SQS refuses) fails alone.
    let with_attr = aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
        .id("b_2")
        .message_body("two")
        .message_attributes("n", attr("Number", "7"))
        .build()
        .unwrap();
    let r = sqs
        .send_message_batch()
        .queue_url(&url)
        .entries(send_entry("a-1", "one"))
        .entries(with_attr)
        .entries(send_entry("bad", "\u{1}"))
        .entries(send_entry("delayed", "later"))
        .send()
        .await
        .unwrap();
    let ok: Vec<_> = r.successful().iter().map(|e| e.id()).collect();
    assert_eq!(ok, ["a-1", "b_2", "delayed"]);
    let one = &r.successful()[0];
    assert_eq!(
        one.md5_of_message_body(),
        "f97c5d29941bfb1b2fdab0874906ab82"
    );
    assert!(one.md5_of_message_attributes().is_none());
    assert!(one.sequence_number().is_none());
    // The same digest SendMessage answers for the same attributes.
    let single = sqs
        .send_message()
        .queue_url(format!("{}/{ACCOUNT}/batch", s.url))
        .message_body("two")
        .message_attributes("n", attr("Number", "7"))
        .delay_seconds(900)
        .send()
        .await
        .unwrap();
    assert!(single.md5_of_message_attributes().is_some());
    assert_eq!(
        r.successful()[1].md5_of_message_attributes(),
        single.md5_of_message_attributes()
    );
    assert_eq!(r.failed().len(), 1);
    let f = &r.failed()[0];
    assert_eq!(
        (f.id(), f.sender_fault(), f.code()),
        ("bad", true, "InvalidMessageContents")
    );
    assert!(f.message().unwrap().contains("#x1"), "{f:?}");
    assert_eq!(counts(&sqs, &url).await, ("3".into(), "0".into()));

    // Errors of the batch as a whole.
    let r = sqs.send_message_batch().queue_url(&url).send().await;
    assert_eq!(code(r), "AWS.SimpleQueueService.EmptyBatchRequest");
    let mut too_many = sqs.send_message_batch().queue_url(&url);
    for i in 0..11 {
        too_many = too_many.entries(send_entry(&format!("e{i}"), "x"));
    }
    let e = too_many.send().await.unwrap_err().into_service_error();
    assert!(e.is_too_many_entries_in_batch_request(), "{e:?}");
    assert_eq!(
        e.code(),
        Some("AWS.SimpleQueueService.TooManyEntriesInBatchRequest")
    );
    let r = sqs
        .send_message_batch()
        .queue_url(&url)
        .entries(send_entry("x", "1"))
        .entries(send_entry("y", "2"))
        .entries(send_entry("x", "3"))
        .send()
        .await;
    let e = r.unwrap_err();
    assert_eq!(
        e.code(),
        Some("AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
    );
    assert_eq!(e.message(), Some("Id x repeated."));
    for bad in ["has.dot", &"i".repeat(81)] {
        let r = sqs
            .send_message_batch()
            .queue_url(&url)
            .entries(send_entry(bad, "1"))
            .send()
            .await;
        assert_eq!(
            code(r),
            "AWS.SimpleQueueService.InvalidBatchEntryId",
            "{bad}"
        );
    }
    let big = "b".repeat(300_000);
    let mut long = sqs.send_message_batch().queue_url(&url);
    for i in 0..4 {
        long = long.entries(send_entry(&format!("l{i}"), &big));
    }
    let e = long.send().await.unwrap_err();
    assert_eq!(e.code(), Some("AWS.SimpleQueueService.BatchRequestTooLong"));
    assert_eq!(
        e.message(),
        Some("Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.")
    );
    // Nothing of a refused batch was sent.
    assert_eq!(counts(&sqs, &url).await, ("3".into(), "0".into()));

    // Change visibility: two good handles, one malformed.
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .visibility_timeout(300)
        .send()
        .await
        .unwrap();
    let handles: Vec<String> = got
        .messages()
        .iter()
        .map(|m| m.receipt_handle().unwrap().to_owned())
        .collect();
    assert_eq!(handles.len(), 3);
    let vis = |id: &str, h: &str, t: i32| {
        ChangeMessageVisibilityBatchRequestEntry::builder()
            .id(id)
            .receipt_handle(h)
            .visibility_timeout(t)
            .build()
            .unwrap()
    };
    let r = sqs
        .change_message_visibility_batch()
        .queue_url(&url)
        .entries(vis("v0", &handles[0], 0))
        .entries(vis("v1", "nonsense", 0))
        .entries(vis("v2", &handles[1], 0))
        .entries(vis("v3", &handles[2], 50_000))
        .send()
        .await
        .unwrap();
    let ok: Vec<_> = r.successful().iter().map(|e| e.id()).collect();
    assert_eq!(ok, ["v0", "v2"]);
    let failed: Vec<_> = r
        .failed()
        .iter()
        .map(|f| (f.id(), f.code(), f.sender_fault()))
        .collect();
    assert_eq!(
        failed,
        [
            ("v1", "ReceiptHandleIsInvalid", true),
            ("v3", "InvalidParameterValue", true)
        ]
    );
    assert_eq!(counts(&sqs, &url).await, ("2".into(), "1".into()));

    // Delete: the hidden one by its handle, a malformed handle fails alone.
    let del = |id: &str, h: &str| {
        DeleteMessageBatchRequestEntry::builder()
            .id(id)
            .receipt_handle(h)
            .build()
            .unwrap()
    };
    let r = sqs
        .delete_message_batch()
        .queue_url(&url)
        .entries(del("d0", &handles[2]))
        .entries(del("d1", "nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.successful().len(), 1);
    assert_eq!(r.successful()[0].id(), "d0");
    assert_eq!(r.failed()[0].code(), "ReceiptHandleIsInvalid");
    assert_eq!(counts(&sqs, &url).await, ("2".into(), "0".into()));
    let r = sqs
        .delete_message_batch()
        .queue_url(&url)
        .entries(del("same", &handles[0]))
        .entries(del("same", &handles[1]))
        .send()
        .await;
    assert_eq!(code(r), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
    let r = sqs.delete_message_batch().queue_url(&url).send().await;
    assert_eq!(code(r), "AWS.SimpleQueueService.EmptyBatchRequest");
    let r = sqs
        .delete_message_batch()
        .queue_url(format!("{}/{ACCOUNT}/nope", s.url))
        .entries(del("d", &handles[0]))
        .send()
        .await;
    assert_eq!(code(r), "AWS.SimpleQueueService.NonExistentQueue");

    // FIFO: sequence numbers, and an entry without a group fails alone.
    let fifo = sqs
        .create_queue()
        .queue_name("batch.fifo")
        .attributes(QueueAttributeName::FifoQueue, "true")
        .attributes(QueueAttributeName::ContentBasedDeduplication, "true")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let grouped = |id: &str, body: &str| {
        aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
            .id(id)
            .message_body(body)
            .message_group_id("g")
            .build()
            .unwrap()
    };
    let r = sqs
        .send_message_batch()
        .queue_url(&fifo)
        .entries(grouped("f1", "one"))
        .entries(send_entry("f2", "no group"))
        .entries(grouped("f3", "three"))
        .send()
        .await
        .unwrap();
    let seqs: Vec<u128> = r
        .successful()
        .iter()
        .map(|e| e.sequence_number().unwrap().parse().unwrap())
        .collect();
    assert_eq!(seqs.len(), 2);
    assert!(seqs[0] < seqs[1]);
    assert_eq!(r.failed()[0].id(), "f2");
    assert_eq!(r.failed()[0].code(), "MissingParameter");
}

/// `handle` with the character at `i` changed to another hex digit.
fn altered(handle: &str, i: usize) -> String {
    let mut b = handle.as_bytes().to_vec();
    b[i] = if b[i] == b'0' { b'1' } else { b'0' };
    String::from_utf8(b).unwrap()
}

#[tokio::test]
async fn an_altered_receipt_handle_is_invalid_while_a_stale_one_deletes_nothing() {
    use aws_sdk_sqs::types::{
        ChangeMessageVisibilityBatchRequestEntry, DeleteMessageBatchRequestEntry,
    };
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "sealed").await;
    sqs.send_message()
        .queue_url(&url)
        .message_body("m")
        .send()
        .await
        .unwrap();
    let handle = receive_one(&sqs, &url, 300).await.unwrap();
    // One character changed anywhere (sequence, nonce, tag): not a handle.
    for i in [4, handle.len() / 2, handle.len() - 1] {
        let bad = altered(&handle, i);
        assert_ne!(bad, handle);
        let r = sqs
            .delete_message()
            .queue_url(&url)
            .receipt_handle(&bad)
            .send()
            .await;
        let e = r.unwrap_err().into_service_error();
        assert!(e.is_receipt_handle_is_invalid(), "{i}: {e:?}");
        let r = sqs
            .change_message_visibility()
            .queue_url(&url)
            .receipt_handle(&bad)
            .visibility_timeout(0)
            .send()
            .await;
        let e = r.unwrap_err().into_service_error();
        assert!(e.is_receipt_handle_is_invalid(), "{i}: {e:?}");
    }
    // The query protocol's code is the same.
    let enc = |u: &str| form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>();
    let q = format!(
        "Action=DeleteMessage&QueueUrl={}&ReceiptHandle={}&Version=2012-11-05",
        enc(&url),
        enc(&altered(&handle, 10))
    );
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = s.raw_post("sqs", &form, q.as_bytes()).await;
    // 404: the status of the code in AWS's Smithy model (models/extra/sqs.txt).
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(
        r.body
            .contains("<Type>Sender</Type><Code>ReceiptHandleIsInvalid</Code>"),
        "{}",
        r.body
    );
    // A handle is bound to its queue.
    let other = create(&sqs, "other").await;
    let r = sqs
        .delete_message()
        .queue_url(&other)
        .receipt_handle(&handle)
        .send()
        .await;
    assert_eq!(code(r), "ReceiptHandleIsInvalid");
    // Nothing was deleted or made visible.
    assert_eq!(counts(&sqs, &url).await, ("0".into(), "1".into()));

    // The batch forms fail the altered entry alone.
    let r = sqs
        .change_message_visibility_batch()
        .queue_url(&url)
        .entries(
            ChangeMessageVisibilityBatchRequestEntry::builder()
                .id("bad")
                .receipt_handle(altered(&handle, 20))
                .visibility_timeout(0)
                .build()
                .unwrap(),
        )
        .entries(
            ChangeMessageVisibilityBatchRequestEntry::builder()
                .id("good")
                .receipt_handle(&handle)
                .visibility_timeout(0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let ok: Vec<_> = r.successful().iter().map(|e| e.id()).collect();
    assert_eq!(ok, ["good"]);
    let failed: Vec<_> = r
        .failed()
        .iter()
        .map(|f| (f.id(), f.code(), f.sender_fault()))
        .collect();
    assert_eq!(failed, [("bad", "ReceiptHandleIsInvalid", true)]);
    assert_eq!(counts(&sqs, &url).await, ("1".into(), "0".into()));

    // Received again: the first handle is stale, and a stale genuine handle
    // deletes nothing and succeeds, as in AWS.
    let newer = receive_one(&sqs, &url, 300).await.unwrap();
    sqs.delete_message()
        .queue_url(&url)
        .receipt_handle(&handle)
        .send()
        .await
        .unwrap();
    assert_eq!(counts(&sqs, &url).await, ("0".into(), "1".into()));
    let del = |id: &str, h: &str| {
        DeleteMessageBatchRequestEntry::builder()
            .id(id)
            .receipt_handle(h)
            .build()
            .unwrap()
    };

    // Handles survive a restart (the tag key derives from the master key).
    let s2 = s.reopen().await;
    let sqs2 = aws_sdk_sqs::Client::new(&s2.admin());
    let url2 = format!("{}/{ACCOUNT}/sealed", s2.url);
    let r = sqs2
        .delete_message_batch()
        .queue_url(&url2)
        .entries(del("bad", &altered(&newer, newer.len() - 3)))
        .entries(del("stale", &handle))
        .entries(del("good", &newer))
        .send()
        .await
        .unwrap();
    let ok: Vec<_> = r.successful().iter().map(|e| e.id()).collect();
    assert_eq!(ok, ["stale", "good"]);
    let failed: Vec<_> = r
        .failed()
        .iter()
        .map(|f| (f.id(), f.code(), f.sender_fault()))
        .collect();
    assert_eq!(failed, [("bad", "ReceiptHandleIsInvalid", true)]);
    assert_eq!(counts(&sqs2, &url2).await, ("0".into(), "0".into()));
    // Deleted: its handle is stale now, still answered with success.
    sqs2.delete_message()
        .queue_url(&url2)
        .receipt_handle(&newer)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn batch_calls_are_authorized_as_their_single_action() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "guarded").await;
    // A policy that denies sqs:SendMessage denies SendMessageBatch.
    let deny = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:{ACCOUNT}:guarded"}}]}}"#
    );
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, deny)
        .send()
        .await
        .unwrap();
    let r = sqs
        .send_message_batch()
        .queue_url(&url)
        .entries(send_entry("a", "x"))
        .send()
        .await;
    assert_eq!(code(r), "AccessDenied");
    // DeleteMessageBatch is sqs:DeleteMessage, which the policy leaves.
    let r = sqs
        .delete_message_batch()
        .queue_url(&url)
        .entries(
            aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                .id("d")
                .receipt_handle(
                    "rw2.00.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef",
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    // Past the access check: the made-up handle fails on its own.
    assert_eq!(r.failed()[0].code(), "ReceiptHandleIsInvalid");
}

#[tokio::test]
async fn the_query_form_serves_batches_and_tags() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "legacy-batch").await;
    let enc = |u: &str| form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>();
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let q = format!(
        "Action=SendMessageBatch&QueueUrl={}&SendMessageBatchRequestEntry.1.Id=one&SendMessageBatchRequestEntry.1.MessageBody=hello&SendMessageBatchRequestEntry.2.Id=two&SendMessageBatchRequestEntry.2.MessageBody=world&SendMessageBatchRequestEntry.2.DelaySeconds=1000&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=a&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=String&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=b&Version=2012-11-05",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, q.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("<SendMessageBatchResult><SendMessageBatchResultEntry><Id>one</Id>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<MD5OfMessageBody>5d41402abc4b2a76b9719d911017c592</MD5OfMessageBody>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<BatchResultErrorEntry><Code>InvalidParameterValue</Code>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<Id>two</Id>") && r.body.contains("<SenderFault>true</SenderFault>"));

    let q = format!(
        "Action=TagQueue&QueueUrl={}&Tag.1.Key=team&Tag.1.Value=core&Tag.2.Key=env&Tag.2.Value=&Version=2012-11-05",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, q.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let q = format!(
        "Action=ListQueueTags&QueueUrl={}&Version=2012-11-05",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, q.as_bytes()).await;
    assert!(
        r.body.contains("<ListQueueTagsResult><Tag><Key>env</Key><Value></Value></Tag><Tag><Key>team</Key><Value>core</Value></Tag></ListQueueTagsResult>"),
        "{}",
        r.body
    );
    let q = format!(
        "Action=UntagQueue&QueueUrl={}&TagKey.1=env&Version=2012-11-05",
        enc(&url)
    );
    let r = s.raw_post("sqs", &form, q.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let tags = sqs.list_queue_tags().queue_url(&url).send().await.unwrap();
    assert_eq!(tags.tags().unwrap().len(), 1);
    assert_eq!(tags.tags().unwrap()["team"], "core");
}

#[tokio::test]
async fn queues_are_tagged_untagged_and_keep_their_tags() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = sqs
        .create_queue()
        .queue_name("tagged")
        .tags("team", "core")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let tags = |r: aws_sdk_sqs::operation::list_queue_tags::ListQueueTagsOutput| {
        let mut v: Vec<(String, String)> = r
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let list = || sqs.list_queue_tags().queue_url(&url).send();
    assert_eq!(
        tags(list().await.unwrap()),
        [("team".into(), "core".into())]
    );
    sqs.tag_queue()
        .queue_url(&url)
        .tags("team", "edge")
        .tags("env", "")
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags(list().await.unwrap()),
        [("env".into(), "".into()), ("team".into(), "edge".into())]
    );
    sqs.untag_queue()
        .queue_url(&url)
        .tag_keys("env")
        .tag_keys("absent")
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags(list().await.unwrap()),
        [("team".into(), "edge".into())]
    );

    // Limits: 50 tags, keys of 1..128, values up to 256.
    let mut many = sqs.tag_queue().queue_url(&url);
    for i in 0..50 {
        many = many.tags(format!("k{i}"), "v");
    }
    let r = many.send().await;
    let e = r.unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameterValue"));
    assert_eq!(e.message(), Some("Too many tags added for queue tagged."));
    let r = sqs
        .tag_queue()
        .queue_url(&url)
        .tags("k".repeat(129), "v")
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");
    let r = sqs
        .tag_queue()
        .queue_url(&url)
        .tags("k", "v".repeat(257))
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");
    let r = sqs.tag_queue().queue_url(&url).send().await;
    assert_eq!(code(r), "MissingParameter");
    assert_eq!(
        tags(list().await.unwrap()),
        [("team".into(), "edge".into())]
    );
    let r = sqs
        .list_queue_tags()
        .queue_url(format!("{}/{ACCOUNT}/nope", s.url))
        .send()
        .await;
    assert_eq!(code(r), "AWS.SimpleQueueService.NonExistentQueue");
    let r = sqs
        .create_queue()
        .queue_name("bad-tags")
        .tags("", "v")
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");

    // Durable: a restart keeps them.
    let s2 = s.reopen().await;
    let sqs2 = aws_sdk_sqs::Client::new(&s2.admin());
    let r = sqs2.list_queue_tags().queue_url(&url).send().await.unwrap();
    assert_eq!(tags(r), [("team".into(), "edge".into())]);
}

#[tokio::test]
async fn a_long_poll_waits_for_a_message_and_a_send_wakes_it() {
    use std::time::{Duration, Instant};
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "long").await;

    // Nothing comes: it waits the time asked.
    let t = Instant::now();
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(2)
        .send()
        .await
        .unwrap();
    assert!(got.messages().is_empty());
    let waited = t.elapsed();
    assert!(
        waited >= Duration::from_millis(1900) && waited < Duration::from_secs(6),
        "{waited:?}"
    );

    // A send wakes it long before the 20 seconds.
    let t = Instant::now();
    let receive = sqs
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(20)
        .send();
    let send = async {
        tokio::time::sleep(Duration::from_millis(700)).await;
        sqs.send_message()
            .queue_url(&url)
            .message_body("wake")
            .send()
            .await
            .unwrap();
    };
    let (got, ()) = tokio::join!(receive, send);
    let got = got.unwrap();
    assert_eq!(got.messages()[0].body(), Some("wake"));
    assert!(t.elapsed() < Duration::from_secs(8), "{:?}", t.elapsed());

    // The queue's ReceiveMessageWaitTimeSeconds when the request names none.
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::ReceiveMessageWaitTimeSeconds, "1")
        .send()
        .await
        .unwrap();
    let t = Instant::now();
    let got = sqs.receive_message().queue_url(&url).send().await.unwrap();
    assert!(got.messages().is_empty());
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    // A request's 0 answers at once.
    let t = Instant::now();
    sqs.receive_message()
        .queue_url(&url)
        .wait_time_seconds(0)
        .send()
        .await
        .unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(800),
        "{:?}",
        t.elapsed()
    );

    // Out of range.
    let r = sqs
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(21)
        .send()
        .await;
    assert_eq!(code(r), "InvalidParameterValue");

    // Deleting the queue ends its waiters.
    let t = Instant::now();
    let receive = sqs
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(20)
        .send();
    let delete = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        sqs.delete_queue().queue_url(&url).send().await.unwrap();
    };
    let (got, ()) = tokio::join!(receive, delete);
    assert_eq!(code(got), "AWS.SimpleQueueService.NonExistentQueue");
    assert!(t.elapsed() < Duration::from_secs(8), "{:?}", t.elapsed());
}

#[tokio::test]
async fn a_stopping_server_ends_its_long_polls() {
    use std::time::{Duration, Instant};
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "stopping").await;
    let t = Instant::now();
    let receive = sqs
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(20)
        .send();
    let stop = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        s.stop(rootward_server::Stop::Drain);
    };
    let (got, ()) = tokio::join!(receive, stop);
    assert!(got.unwrap().messages().is_empty());
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    s.stopped().await;
}

#[tokio::test]
async fn a_fifo_queue_accepts_a_duplicate_within_five_minutes_without_delivering_it() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let fifo = |name: &str, content: bool, scope: Option<&str>| {
        let mut c = sqs
            .create_queue()
            .queue_name(name)
            .attributes(QueueAttributeName::FifoQueue, "true")
            .attributes(
                QueueAttributeName::ContentBasedDeduplication,
                content.to_string(),
            );
        if let Some(scope) = scope {
            c = c.attributes(QueueAttributeName::DeduplicationScope, scope);
        }
        c.send()
    };
    let url = fifo("dedup.fifo", false, None)
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let send = |body: &str, group: &str, id: &str| {
        sqs.send_message()
            .queue_url(&url)
            .message_body(body)
            .message_group_id(group)
            .message_deduplication_id(id)
            .send()
    };
    let first = send("one", "g", "d1").await.unwrap();
    let again = send("other body", "g2", "d1").await.unwrap();
    assert_eq!(again.message_id(), first.message_id());
    assert_eq!(again.sequence_number(), first.sequence_number());
    // The digest is of what was sent now (SDKs check it).
    assert_ne!(again.md5_of_message_body(), first.md5_of_message_body());
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 1);
    // Received and deleted: still a duplicate within the interval.
    sqs.delete_message()
        .queue_url(&url)
        .receipt_handle(got.messages()[0].receipt_handle().unwrap())
        .send()
        .await
        .unwrap();
    let third = send("one", "g", "d1").await.unwrap();
    assert_eq!(third.message_id(), first.message_id());
    s.clock.advance(301);
    let later = send("one", "g", "d1").await.unwrap();
    assert_ne!(later.message_id(), first.message_id());

    // Content-based, in a batch: the second entry is the first's duplicate.
    let content = fifo("content.fifo", true, None)
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let grouped = |id: &str, body: &str| {
        aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
            .id(id)
            .message_body(body)
            .message_group_id("g")
            .build()
            .unwrap()
    };
    let r = sqs
        .send_message_batch()
        .queue_url(&content)
        .entries(grouped("a", "same"))
        .entries(grouped("b", "same"))
        .entries(grouped("c", "different"))
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = r.successful().iter().map(|e| e.message_id()).collect();
    assert_eq!(ids[0], ids[1]);
    assert_ne!(ids[0], ids[2]);
    assert_eq!(counts(&sqs, &content).await.0, "2");

    // DeduplicationScope=messageGroup: the same id in another group is new.
    let scoped = fifo("scoped.fifo", false, Some("messageGroup"))
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let send_to = |group: &str| {
        sqs.send_message()
            .queue_url(&scoped)
            .message_body("x")
            .message_group_id(group)
            .message_deduplication_id("same")
            .send()
    };
    let a = send_to("g1").await.unwrap();
    let b = send_to("g2").await.unwrap();
    let c = send_to("g1").await.unwrap();
    assert_ne!(a.message_id(), b.message_id());
    assert_eq!(a.message_id(), c.message_id());

    // After a restart the stored message still deduplicates.
    let s2 = s.reopen().await;
    // The same time as the first server's clock.
    s2.clock.advance(301);
    let sqs2 = aws_sdk_sqs::Client::new(&s2.admin());
    let r = sqs2
        .send_message()
        .queue_url(&scoped)
        .message_body("x")
        .message_group_id("g2")
        .message_deduplication_id("same")
        .send()
        .await
        .unwrap();
    assert_eq!(r.message_id(), b.message_id());
}

/// Long polls hold no thread while they wait: on a runtime whose blocking
/// pool has two threads, six waiting receives leave room for other calls,
/// and one batch of sends wakes them all.
#[test]
fn waiting_receives_do_not_hold_the_blocking_pool() {
    use std::time::{Duration, Instant};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = Server::start().await;
        let sqs = aws_sdk_sqs::Client::new(&s.admin());
        let url = create(&sqs, "crowded").await;
        let t = Instant::now();
        let receives: Vec<_> = (0..6)
            .map(|_| {
                let sqs = sqs.clone();
                let url = url.clone();
                tokio::spawn(async move {
                    sqs.receive_message()
                        .queue_url(&url)
                        .wait_time_seconds(20)
                        .send()
                        .await
                        .unwrap()
                        .messages()
                        .len()
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(500)).await;
        // A call that commits (blocking pool) is served meanwhile.
        let other = Instant::now();
        create(&sqs, "meanwhile").await;
        assert!(
            other.elapsed() < Duration::from_secs(3),
            "{:?}",
            other.elapsed()
        );
        let mut batch = sqs.send_message_batch().queue_url(&url);
        for i in 0..6 {
            batch = batch.entries(send_entry(&format!("m{i}"), "x"));
        }
        assert_eq!(batch.send().await.unwrap().successful().len(), 6);
        let mut got = 0;
        for r in receives {
            got += r.await.unwrap();
        }
        assert_eq!(got, 6);
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    });
}

/// Tagging is a management event of the queue; batches are data events,
/// which the event history leaves out as AWS's does.
#[tokio::test]
async fn tag_calls_are_in_the_trail_and_batches_are_not() {
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "audited").await;
    sqs.tag_queue()
        .queue_url(&url)
        .tags("team", "core")
        .send()
        .await
        .unwrap();
    sqs.send_message_batch()
        .queue_url(&url)
        .entries(send_entry("a", "x"))
        .send()
        .await
        .unwrap();
    let trail = aws_sdk_cloudtrail::Client::new(&s.admin());
    let named = |name: &str| {
        trail
            .lookup_events()
            .lookup_attributes(
                LookupAttribute::builder()
                    .attribute_key(LookupAttributeKey::EventName)
                    .attribute_value(name)
                    .build()
                    .unwrap(),
            )
            .send()
    };
    let tagged = named("TagQueue").await.unwrap();
    assert_eq!(tagged.events().len(), 1);
    let e = &tagged.events()[0];
    assert_eq!(e.read_only(), Some("false"));
    assert_eq!(
        e.resources()[0].resource_name(),
        Some(format!("arn:aws:sqs:us-east-1:{ACCOUNT}:audited").as_str())
    );
    let record: serde_json::Value = serde_json::from_str(e.cloud_trail_event().unwrap()).unwrap();
    assert_eq!(record["requestParameters"]["tags"]["team"], "core");
    assert!(named("SendMessageBatch").await.unwrap().events().is_empty());
}

#[tokio::test]
async fn a_long_poll_answers_a_delayed_message_when_its_delay_ends() {
    use std::time::{Duration, Instant};
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "delayed").await;
    sqs.send_message()
        .queue_url(&url)
        .message_body("soon")
        .delay_seconds(2)
        .send()
        .await
        .unwrap();
    let t = Instant::now();
    let got = sqs
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(15)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages()[0].body(), Some("soon"));
    let waited = t.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(8),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_batch_entry_with_attribute_list_values_fails_alone() {
    let s = Server::start().await;
    let sqs = aws_sdk_sqs::Client::new(&s.admin());
    let url = create(&sqs, "lists").await;
    let listed = aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
        .id("listed")
        .message_body("x")
        .message_attributes(
            "l",
            aws_sdk_sqs::types::MessageAttributeValue::builder()
                .data_type("String")
                .string_list_values("a")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let r = sqs
        .send_message_batch()
        .queue_url(&url)
        .entries(send_entry("fine", "y"))
        .entries(listed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.successful().len(), 1);
    assert_eq!(r.successful()[0].id(), "fine");
    let f = &r.failed()[0];
    assert_eq!(
        (f.id(), f.code(), f.sender_fault()),
        (
            "listed",
            "AWS.SimpleQueueService.UnsupportedOperation",
            true
        )
    );
}
