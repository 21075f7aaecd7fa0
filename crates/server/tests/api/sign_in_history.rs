//! Sign-in history (issue 14 §1): root and IAM-user sign-ins on the sign-in
//! page stand-in set `PasswordLastUsed` (`GetUser`) and `password_last_used`
//! in the next credential report, read through the AWS SDK for Rust; IAM
//! users sign in with account id, user name, password and MFA code, under
//! the same throttle and the one failure message.

use std::collections::HashMap;

use aws_sdk_iam::Client;
use rootward_core::iam::mfa::code_at;
use rootward_core::root_user::{BAD_CREDENTIALS, MAX_FAILURES, THROTTLED};
use serde_json::json;

use crate::common::{ACCOUNT, Server};

const PASSWORD: &str = "Correct-Horse-1";

/// The credential report's rows by user name.
async fn report(iam: &Client) -> HashMap<String, HashMap<String, String>> {
    iam.generate_credential_report().send().await.unwrap();
    let r = iam.get_credential_report().send().await.unwrap();
    let csv = String::from_utf8(r.content().unwrap().as_ref().to_vec()).unwrap();
    let mut lines = csv.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .map(|l| {
            let row: HashMap<String, String> = header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect();
            (row["user"].clone(), row)
        })
        .collect()
}

fn is_report_time(v: &str) -> bool {
    v.ends_with("+00:00")
        && time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339).is_ok()
}

#[tokio::test]
async fn root_without_password_reports_no_information_and_users_without_password_na() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("nopass").send().await.unwrap();
    let rows = report(&iam).await;
    // The bootstrap account's root user has no password and never signed in.
    let root = &rows["<root_account>"];
    assert_eq!(root["password_enabled"], "false");
    assert_eq!(root["password_last_used"], "no_information");
    assert_eq!(rows["nopass"]["password_enabled"], "false");
    assert_eq!(rows["nopass"]["password_last_used"], "N/A");
}

#[tokio::test]
async fn a_root_sign_in_sets_password_last_used() {
    let s = Server::start().await;
    let id = s.signup("history@example.com", PASSWORD).await;
    let before = s.svc.now();
    let root = Client::new(&s.signin("history@example.com", PASSWORD, None).await);
    let user = root.get_user().send().await.unwrap();
    let user = user.user().unwrap();
    assert_eq!(user.arn(), format!("arn:aws:iam::{id}:root"));
    let used = user
        .password_last_used()
        .expect("PasswordLastUsed after a sign-in");
    assert!(used.secs() >= before.unix_timestamp() - 1, "{used:?}");
    let rows = report(&root).await;
    let row = &rows["<root_account>"];
    assert_eq!(row["password_enabled"], "true");
    assert!(is_report_time(&row["password_last_used"]), "{row:?}");
}

#[tokio::test]
async fn iam_users_sign_in_with_account_user_name_and_password() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    for name in ["alice", "bob"] {
        iam.create_user().user_name(name).send().await.unwrap();
        iam.create_login_profile()
            .user_name(name)
            .password(PASSWORD)
            .send()
            .await
            .unwrap();
    }
    iam.create_user().user_name("carol").send().await.unwrap();
    assert!(
        iam.get_user()
            .user_name("alice")
            .send()
            .await
            .unwrap()
            .user()
            .unwrap()
            .password_last_used()
            .is_none(),
        "never signed in"
    );

    // The user name is compared as IAM compares names.
    let r = s
        .console(
            "signin",
            json!({"account_id": ACCOUNT, "user_name": "ALICE", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let body = r.json();
    assert_eq!(body["account_id"], ACCOUNT);
    assert_eq!(body["user_name"], "alice");
    let c = &body["credentials"];
    let alice = s.config(
        c["AccessKeyId"].as_str().unwrap(),
        c["SecretAccessKey"].as_str().unwrap(),
        c["SessionToken"].as_str(),
    );
    let who = aws_sdk_sts::Client::new(&alice)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        who.arn(),
        Some(format!("arn:aws:iam::{ACCOUNT}:user/alice").as_str())
    );

    let got = iam.get_user().user_name("alice").send().await.unwrap();
    assert!(got.user().unwrap().password_last_used().is_some());
    let listed = iam.list_users().send().await.unwrap();
    let alice_listed = listed
        .users()
        .iter()
        .find(|u| u.user_name() == "alice")
        .unwrap();
    assert!(alice_listed.password_last_used().is_some());

    let rows = report(&iam).await;
    assert!(
        is_report_time(&rows["alice"]["password_last_used"]),
        "{:?}",
        rows["alice"]
    );
    assert_eq!(rows["bob"]["password_enabled"], "true");
    assert_eq!(rows["bob"]["password_last_used"], "no_information");
    assert_eq!(rows["carol"]["password_last_used"], "N/A");

    // Wrong password, unknown user, a user without a password, an unknown
    // account: one status, one message.
    let mut answers = Vec::new();
    for (account, user, password) in [
        (ACCOUNT, "bob", "Wrong-Horse-1"),
        (ACCOUNT, "nobody", PASSWORD),
        (ACCOUNT, "carol", PASSWORD),
        ("999999999999", "bob", PASSWORD),
    ] {
        let r = s
            .console(
                "signin",
                json!({"account_id": account, "user_name": user, "password": password}),
            )
            .await;
        answers.push((r.status, r.json()["error"].as_str().unwrap().to_owned()));
    }
    for a in &answers {
        assert_eq!(a, &(401, BAD_CREDENTIALS.to_owned()));
    }
    // A user name without an account id is a bad request, not a panic.
    let r = s
        .console("signin", json!({"user_name": "bob", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

#[tokio::test]
async fn an_iam_user_with_mfa_needs_the_code_and_failures_are_throttled() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("dave").send().await.unwrap();
    iam.create_login_profile()
        .user_name("dave")
        .password(PASSWORD)
        .send()
        .await
        .unwrap();
    let d = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("dave-phone")
        .send()
        .await
        .unwrap();
    let d = d.virtual_mfa_device().unwrap();
    let serial = d.serial_number().to_owned();
    let seed = String::from_utf8(d.base32_string_seed().unwrap().as_ref().to_vec()).unwrap();
    let now = s.svc.now();
    iam.enable_mfa_device()
        .user_name("dave")
        .serial_number(&serial)
        .authentication_code1(code_at(&seed, now - time::Duration::seconds(60)).unwrap())
        .authentication_code2(code_at(&seed, now - time::Duration::seconds(30)).unwrap())
        .send()
        .await
        .unwrap();

    let signin = |mfa: Option<String>| json!({"account_id": ACCOUNT, "user_name": "dave", "password": PASSWORD, "mfa_code": mfa});
    let r = s.console("signin", signin(None)).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (401, json!(BAD_CREDENTIALS))
    );
    let r = s
        .console("signin", signin(Some(code_at(&seed, s.svc.now()).unwrap())))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The same throttle as the root user's: after MAX_FAILURES, even the
    // right password is refused for a while.
    for _ in 0..MAX_FAILURES {
        let r = s.console("signin", signin(Some("000000".into()))).await;
        assert_eq!(r.status, 401);
    }
    let r = s
        .console("signin", signin(Some(code_at(&seed, s.svc.now()).unwrap())))
        .await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (429, json!(THROTTLED))
    );
}
