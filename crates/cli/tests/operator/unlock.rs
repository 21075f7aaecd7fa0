//! `unlock-bucket` and `unlock-queue` end to end: a member's admin role locks
//! itself out of a bucket and a queue with deny-all policies; the management
//! admin or the delegated administrator unlocks them with root sessions.

use aws_sdk_sqs::types::QueueAttributeName;

use crate::fixture::{Creds, Endpoint};

fn s3(ep: &Endpoint, c: &Creds) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(&ep.sdk(c))
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

fn deny_all_bucket(bucket: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{bucket}","arn:aws:s3:::{bucket}/*"]}}]}}"#
    )
}

fn deny_all_queue(account: &str, queue: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"arn:aws:sqs:us-east-1:{account}:{queue}"}}]}}"#
    )
}

fn code<E: aws_sdk_s3::error::ProvideErrorMetadata, R>(
    r: Result<R, aws_sdk_s3::error::SdkError<E>>,
) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => e
            .as_service_error()
            .and_then(|e| e.code())
            .unwrap_or("no code")
            .to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unlock_bucket_saves_the_policy_then_deletes_or_replaces_it() {
    let ep = Endpoint::start();
    let ids = ep.organization(&["app", "breakglass"]).await;
    let (app, breakglass) = (&ids[0], &ids[1]);
    let r = ep.run(&["enable", "--delegate", breakglass]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    // The member's admin role locks itself out of its own bucket.
    let role = ep.admin_role_in(app).await;
    let member = s3(&ep, &role);
    let bucket = "locked-bucket";
    member.create_bucket().bucket(bucket).send().await.unwrap();
    member
        .put_object()
        .bucket(bucket)
        .key("report.csv")
        .body(b"id,total\n1,42\n".to_vec().into())
        .send()
        .await
        .unwrap();
    let lock = deny_all_bucket(bucket);
    member
        .put_bucket_policy()
        .bucket(bucket)
        .policy(&lock)
        .send()
        .await
        .unwrap();
    let read = || member.get_object().bucket(bucket).key("report.csv").send();
    assert_eq!(code(read().await), "AccessDenied");
    assert_eq!(
        code(member.delete_bucket_policy().bucket(bucket).send().await),
        "AccessDenied"
    );

    // The management admin unlocks it: the default backup name, here.
    let cwd = tempfile::tempdir().unwrap();
    let out = ep
        .command(
            &Creds::admin(),
            &[
                "unlock-bucket",
                "--account",
                app,
                "--bucket",
                bucket,
                "--output",
                "json",
            ],
        )
        .current_dir(cwd.path())
        .output()
        .unwrap();
    let r = crate::fixture::Run::from(out);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let u = r.json();
    assert_eq!(u["account_id"], app.as_str());
    assert_eq!(u["resource"], bucket);
    assert_eq!(u["action"], "deleted");
    assert!(u["error"].is_null(), "{u}");
    let name = u["backup"].as_str().unwrap();
    assert!(
        name.starts_with(&format!("rootward-backup-{app}-{bucket}-")) && name.ends_with(".json"),
        "{name}"
    );
    assert_eq!(
        std::fs::read_to_string(cwd.path().join(name)).unwrap(),
        lock,
        "the backup is the policy verbatim"
    );
    let obj = read().await.unwrap();
    let body = obj.body.collect().await.unwrap().into_bytes();
    assert_eq!(&body[..], b"id,total\n1,42\n");
    assert_eq!(
        code(member.get_bucket_policy().bucket(bucket).send().await),
        "NoSuchBucketPolicy"
    );

    // No policy left: nothing to do, no backup.
    let backup = ep.dir.path().join("bucket-backup.json");
    let backup_arg = backup.to_str().unwrap();
    let r = ep.run(&[
        "unlock-bucket",
        "--account",
        app,
        "--bucket",
        bucket,
        "--backup",
        backup_arg,
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json()["action"], "none");
    assert!(r.json()["backup"].is_null());
    assert!(!backup.exists());

    // Locked again; the delegated administrator replaces the policy.
    member
        .put_bucket_policy()
        .bucket(bucket)
        .policy(&lock)
        .send()
        .await
        .unwrap();
    let replacement = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::{bucket}/*"}}]}}"#
    );
    let file = ep.dir.path().join("replacement.json");
    std::fs::write(&file, &replacement).unwrap();
    let operator = ep.admin_role_in(breakglass).await;
    let args = [
        "unlock-bucket",
        "--account",
        app,
        "--bucket",
        bucket,
        "--replace-with",
        file.to_str().unwrap(),
        "--backup",
        backup_arg,
        "--output",
        "json",
    ];
    let r = ep.run_as(&operator, &args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let u = r.json();
    assert_eq!(u["action"], "replaced");
    assert_eq!(u["backup"], backup_arg);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), lock);
    let now = member
        .get_bucket_policy()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    assert_eq!(now.policy(), Some(replacement.as_str()));
    read().await.unwrap();
    assert_eq!(
        code(
            member
                .delete_object()
                .bucket(bucket)
                .key("report.csv")
                .send()
                .await
        ),
        "AccessDenied",
        "the replacement is in force"
    );

    // An existing backup is never overwritten: a set-up error, no change.
    let r = ep.run_as(&operator, &args);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), lock);
    let now = member
        .get_bucket_policy()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    assert_eq!(now.policy(), Some(replacement.as_str()));

    // The table output.
    std::fs::remove_file(&backup).unwrap();
    let r = ep.run(&[
        "unlock-bucket",
        "--account",
        app,
        "--bucket",
        bucket,
        "--backup",
        backup_arg,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("deleted"), "{}", r.stdout);
    assert!(r.stdout.contains(backup_arg), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), replacement);
}

#[tokio::test(flavor = "multi_thread")]
async fn unlock_queue_saves_the_policy_then_deletes_or_replaces_it() {
    let ep = Endpoint::start();
    let ids = ep.organization(&["app", "breakglass"]).await;
    let (app, breakglass) = (&ids[0], &ids[1]);
    let r = ep.run(&["enable", "--delegate", breakglass]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    let role = ep.admin_role_in(app).await;
    let sqs = aws_sdk_sqs::Client::new(&ep.sdk(&role));
    let queue = "locked-queue";
    let url = sqs
        .create_queue()
        .queue_name(queue)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    sqs.send_message()
        .queue_url(&url)
        .message_body("hello")
        .send()
        .await
        .unwrap();
    let lock = deny_all_queue(app, queue);
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, &lock)
        .send()
        .await
        .unwrap();
    let receive = || sqs.receive_message().queue_url(&url).send();
    let denied = receive().await.unwrap_err();
    assert_eq!(
        aws_sdk_sqs::error::ProvideErrorMetadata::code(&denied),
        Some("AccessDenied"),
        "{denied:?}"
    );

    // The delegated administrator removes the policy.
    let operator = ep.admin_role_in(breakglass).await;
    let backup = ep.dir.path().join("queue-backup.json");
    let backup_arg = backup.to_str().unwrap();
    let r = ep.run_as(
        &operator,
        &[
            "unlock-queue",
            "--account",
            app,
            "--queue-url",
            &url,
            "--backup",
            backup_arg,
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let u = r.json();
    assert_eq!(u["account_id"], app.as_str());
    assert_eq!(u["resource"], url.as_str());
    assert_eq!(u["action"], "deleted");
    assert_eq!(u["backup"], backup_arg);
    assert!(u["error"].is_null(), "{u}");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), lock);
    let got = receive().await.unwrap();
    assert_eq!(got.messages()[0].body(), Some("hello"));
    let attrs = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await
        .unwrap();
    assert!(
        attrs
            .attributes()
            .and_then(|a| a.get(&QueueAttributeName::Policy))
            .is_none_or(String::is_empty),
        "{attrs:?}"
    );

    // No policy: nothing to do.
    std::fs::remove_file(&backup).unwrap();
    let r = ep.run(&[
        "unlock-queue",
        "--account",
        app,
        "--queue-url",
        &url,
        "--backup",
        backup_arg,
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json()["action"], "none");
    assert!(!backup.exists());

    // Locked again; the management admin puts a replacement.
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, &lock)
        .send()
        .await
        .unwrap();
    let replacement = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"NoPurge","Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue","Resource":"arn:aws:sqs:us-east-1:{app}:{queue}"}}]}}"#
    );
    let file = ep.dir.path().join("queue-replacement.json");
    std::fs::write(&file, &replacement).unwrap();
    let r = ep.run(&[
        "unlock-queue",
        "--account",
        app,
        "--queue-url",
        &url,
        "--replace-with",
        file.to_str().unwrap(),
        "--backup",
        backup_arg,
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json()["action"], "replaced");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), lock);
    let attrs = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await
        .unwrap();
    assert_eq!(
        attrs
            .attributes()
            .and_then(|a| a.get(&QueueAttributeName::Policy))
            .map(String::as_str),
        Some(replacement.as_str())
    );
    sqs.send_message()
        .queue_url(&url)
        .message_body("again")
        .send()
        .await
        .unwrap();
    let purge = sqs.purge_queue().queue_url(&url).send().await.unwrap_err();
    assert_eq!(
        aws_sdk_sqs::error::ProvideErrorMetadata::code(&purge),
        Some("AccessDenied")
    );

    // The URL must name --account: a usage error before any call.
    let r = ep.run(&[
        "unlock-queue",
        "--account",
        breakglass,
        "--queue-url",
        &url,
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not --account"), "{}", r.stderr);
}
