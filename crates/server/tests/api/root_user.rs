//! The sign-in page stand-ins over plain HTTP, and what the root user does
//! with a sign-in session through the AWS SDK for Rust: sign-up, sign-in,
//! a root access key, root MFA, signing certificates, throttling, the
//! forgotten-password flow and its refusal under centralized root access.

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_organizations::types::{HandshakeParty, HandshakePartyType};
use rootward_core::iam::mfa::{code_at, hardware_device};
use rootward_core::model::{
    Change, KeyOwner, LoginProfile, Record, Session, SessionPrincipal, login_profile_key, table,
};
use rootward_core::org::model::ROOT_CREDENTIALS_MANAGEMENT;
use rootward_core::root_user::{BAD_CREDENTIALS, RECOVERY_SENT};
use serde_json::json;

use crate::common::{Server, code};

const PASSWORD: &str = "Correct-Horse-1";

fn cert(n: u8) -> &'static str {
    match n {
        1 => include_str!("fixtures/cert1.pem"),
        2 => include_str!("fixtures/cert2.pem"),
        _ => include_str!("fixtures/cert3.pem"),
    }
}

fn summary_value(
    s: &aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput,
    k: &str,
) -> i32 {
    use aws_sdk_iam::types::SummaryKeyType;
    *s.summary_map()
        .unwrap()
        .get(&SummaryKeyType::from(k))
        .unwrap_or_else(|| panic!("no {k}"))
}

#[tokio::test]
async fn sign_up_sign_in_and_a_long_term_root_key() {
    let s = Server::start().await;
    let id = s.signup("owner@example.com", PASSWORD).await;
    assert_eq!(id.len(), 12);
    assert!(id.bytes().all(|b| b.is_ascii_digit()));

    // One e-mail, one account.
    let r = s
        .console(
            "signup",
            json!({"email": "OWNER@example.com", "password": PASSWORD, "account_name": "x"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Weak password, bad e-mail, missing field, malformed JSON: 400, never 500.
    for body in [
        json!({"email": "b@example.com", "password": "short", "account_name": "x"}),
        json!({"email": "nope", "password": PASSWORD, "account_name": "x"}),
        json!({"email": "b@example.com", "password": PASSWORD}),
        json!({"email": 3, "password": PASSWORD, "account_name": "x"}),
    ] {
        let r = s.console("signup", body).await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.json()["error"].is_string());
    }
    let r = s
        .unsigned("POST", "/_rootward/signin", Some(b"{\"email\":"))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string());
    let r = s.unsigned("POST", "/_rootward/nowhere", Some(b"{}")).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        s.unsigned("GET", "/_rootward/health", None).await.status,
        200
    );

    // Wrong password and unknown e-mail answer alike.
    let wrong = s
        .console(
            "signin",
            json!({"email": "owner@example.com", "password": "Wrong-Horse-1"}),
        )
        .await;
    let unknown = s
        .console(
            "signin",
            json!({"email": "nobody@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.json()["error"], BAD_CREDENTIALS);

    let r = s
        .console(
            "signin",
            json!({"email": "owner@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let body = r.json();
    assert_eq!(body["account_id"], id.as_str());
    let creds = &body["credentials"];
    assert!(creds["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    assert!(creds["Expiration"].as_str().unwrap().ends_with('Z'));

    let root = s.signin("owner@example.com", PASSWORD, None).await;
    let who = aws_sdk_sts::Client::new(&root)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(who.arn(), Some(format!("arn:aws:iam::{id}:root").as_str()));

    // As root, with no UserName: the root user's own long-term key.
    let iam = aws_sdk_iam::Client::new(&root);
    let k = iam.create_access_key().send().await.unwrap();
    let k = k.access_key().unwrap();
    assert!(k.access_key_id().starts_with("AKIA"));
    let long_term = s.config(k.access_key_id(), k.secret_access_key(), None);
    let who = aws_sdk_sts::Client::new(&long_term)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(who.arn(), Some(format!("arn:aws:iam::{id}:root").as_str()));
    assert_eq!(who.user_id(), Some(id.as_str()));
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(summary_value(&summary, "AccountAccessKeysPresent"), 1);
    assert_eq!(summary_value(&summary, "AccountPasswordPresent"), 1);
    assert_eq!(summary_value(&summary, "AccountMFAEnabled"), 0);
}

#[tokio::test]
async fn root_mfa_through_the_sign_in_page() {
    let s = Server::start().await;
    let id = s.signup("mfa@example.com", PASSWORD).await;
    let r = s
        .console(
            "mfa/create",
            json!({"email": "mfa@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let serial = r.json()["serial_number"].as_str().unwrap().to_owned();
    let seed = r.json()["base32_seed"].as_str().unwrap().to_owned();
    assert_eq!(
        serial,
        format!("arn:aws:iam::{id}:mfa/root-account-mfa-device")
    );
    assert_eq!(seed.len(), 64);

    let now = s.svc.now();
    // The two codes before now's, so that now's is unused for the sign-in.
    let earlier = code_at(&seed, now - time::Duration::seconds(60)).unwrap();
    let current = code_at(&seed, now - time::Duration::seconds(30)).unwrap();
    // Codes out of order are refused.
    let r = s
        .console(
            "mfa/enable",
            json!({"email": "mfa@example.com", "password": PASSWORD, "serial_number": serial,
                   "code1": current, "code2": earlier}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s
        .console(
            "mfa/enable",
            json!({"email": "mfa@example.com", "password": PASSWORD, "serial_number": serial,
                   "code1": earlier, "code2": current}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Sign-in now needs the current code.
    let no_code = s
        .console(
            "signin",
            json!({"email": "mfa@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(no_code.status, 401);
    assert_eq!(no_code.json()["error"], BAD_CREDENTIALS);
    let wrong = if current == "000000" {
        "111111"
    } else {
        "000000"
    };
    let bad = s
        .console(
            "signin",
            json!({"email": "mfa@example.com", "password": PASSWORD, "mfa_code": wrong}),
        )
        .await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.body, no_code.body);
    let code_now = code_at(&seed, s.svc.now()).unwrap();
    let root = s.signin("mfa@example.com", PASSWORD, Some(&code_now)).await;
    // A code is good once: the same code again is refused like a wrong one.
    let again = s
        .console(
            "signin",
            json!({"email": "mfa@example.com", "password": PASSWORD, "mfa_code": code_now}),
        )
        .await;
    assert_eq!(again.status, 401);
    assert_eq!(again.body, no_code.body);

    let iam = aws_sdk_iam::Client::new(&root);
    let list = iam.list_mfa_devices().send().await.unwrap();
    assert_eq!(list.mfa_devices().len(), 1);
    let d = &list.mfa_devices()[0];
    assert_eq!(d.serial_number(), serial);
    assert_eq!(d.user_name(), "", "no UserName for the root user");
    let v = iam
        .list_virtual_mfa_devices()
        .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Assigned)
        .send()
        .await
        .unwrap();
    let v = &v.virtual_mfa_devices()[0];
    assert_eq!(v.serial_number(), serial);
    assert_eq!(v.user().unwrap().arn(), format!("arn:aws:iam::{id}:root"));
    assert!(v.base32_string_seed().is_none(), "the seed goes out once");
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(summary_value(&summary, "AccountMFAEnabled"), 1);
    assert_eq!(summary_value(&summary, "MFADevices"), 1);
    assert_eq!(summary_value(&summary, "MFADevicesInUse"), 1);

    // The device is in use: it cannot be deleted, and a root sign-in
    // session may not deactivate it without a user name (AssumeRoot only).
    let e = iam
        .delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await;
    assert_eq!(code(e), "DeleteConflict");
    let e = iam
        .deactivate_mfa_device()
        .serial_number(&serial)
        .send()
        .await;
    assert_eq!(code(e), "ValidationError");

    // A hardware device (seeded through the domain) shows too, and an
    // AssumeRoot session for the delete task deactivates both.
    s.svc
        .put(Record::MfaDevice(hardware_device(
            &id,
            "GAHT12345678",
            KeyOwner::Root,
            None,
            s.svc.now(),
        )))
        .unwrap();
    let list = iam.list_mfa_devices().send().await.unwrap();
    let serials: Vec<&str> = list
        .mfa_devices()
        .iter()
        .map(|d| d.serial_number())
        .collect();
    assert!(serials.contains(&"GAHT12345678") && serials.contains(&serial.as_str()));
    let now = s.svc.now();
    let mut root = Session::new(
        &id,
        SessionPrincipal::Root,
        now,
        now + time::Duration::seconds(900),
    );
    root.task_policy =
        Some("arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials".into());
    let root = s.svc.issue_session(root);
    let task = aws_sdk_iam::Client::new(&s.config(
        &root.access_key_id,
        root.secret.expose(),
        Some(root.token.expose()),
    ));
    for serial in ["GAHT12345678", serial.as_str()] {
        task.deactivate_mfa_device()
            .serial_number(serial)
            .send()
            .await
            .unwrap();
    }
    let e = task
        .deactivate_mfa_device()
        .serial_number("GAHT12345678")
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    assert!(
        iam.list_mfa_devices()
            .send()
            .await
            .unwrap()
            .mfa_devices()
            .is_empty()
    );
    // The virtual device still exists, unassigned; now it can go.
    let v = iam
        .list_virtual_mfa_devices()
        .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Unassigned)
        .send()
        .await
        .unwrap();
    assert_eq!(v.virtual_mfa_devices().len(), 1);
    iam.delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .unwrap();
    // Without a device, the password alone signs in again.
    s.signin("mfa@example.com", PASSWORD, None).await;
}

#[tokio::test]
async fn repeated_failures_are_throttled() {
    let s = Server::start().await;
    s.signup("slow@example.com", PASSWORD).await;
    let attempt = |password: &'static str| {
        s.console(
            "signin",
            json!({"email": "slow@example.com", "password": password}),
        )
    };
    for _ in 0..5 {
        assert_eq!(attempt("Wrong-Horse-1").await.status, 401);
    }
    // Locked out, even with the right password.
    let r = attempt(PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.json()["error"].is_string());
    // Another e-mail is not affected.
    s.signup("fast@example.com", PASSWORD).await;
    s.signin("fast@example.com", PASSWORD, None).await;
    // After the window, the right password works.
    s.clock.advance(301);
    assert_eq!(attempt(PASSWORD).await.status, 200);
}

#[tokio::test]
async fn root_signing_certificates() {
    let s = Server::start().await;
    s.signup("certs@example.com", PASSWORD).await;
    let root = s.signin("certs@example.com", PASSWORD, None).await;
    let iam = aws_sdk_iam::Client::new(&root);

    let up = iam
        .upload_signing_certificate()
        .certificate_body(cert(1))
        .send()
        .await
        .unwrap();
    let c1 = up.certificate().unwrap();
    assert!(c1.certificate_id().len() >= 24);
    assert!(
        c1.certificate_id()
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    );
    assert_eq!(c1.status().as_str(), "Active");
    assert_eq!(c1.user_name(), "");
    let c1 = c1.certificate_id().to_owned();

    let e = iam
        .upload_signing_certificate()
        .certificate_body(cert(1))
        .send()
        .await;
    assert_eq!(code(e), "DuplicateCertificate");
    let e = iam
        .upload_signing_certificate()
        .certificate_body(
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----",
        )
        .send()
        .await;
    assert_eq!(code(e), "MalformedCertificate");
    iam.upload_signing_certificate()
        .certificate_body(cert(2))
        .send()
        .await
        .unwrap();
    let e = iam
        .upload_signing_certificate()
        .certificate_body(cert(3))
        .send()
        .await;
    assert_eq!(code(e), "LimitExceeded");

    let list = iam.list_signing_certificates().send().await.unwrap();
    assert_eq!(list.certificates().len(), 2);
    assert_eq!(list.certificates()[0].certificate_id(), c1);
    assert_eq!(
        list.certificates()[0].certificate_body().trim(),
        cert(1).trim()
    );
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        summary_value(&summary, "AccountSigningCertificatesPresent"),
        1
    );

    iam.update_signing_certificate()
        .certificate_id(&c1)
        .status(aws_sdk_iam::types::StatusType::Inactive)
        .send()
        .await
        .unwrap();
    let list = iam.list_signing_certificates().send().await.unwrap();
    assert_eq!(list.certificates()[0].status().as_str(), "Inactive");

    for c in list.certificates() {
        iam.delete_signing_certificate()
            .certificate_id(c.certificate_id())
            .send()
            .await
            .unwrap();
    }
    let e = iam
        .delete_signing_certificate()
        .certificate_id(&c1)
        .send()
        .await
        .unwrap_err();
    let e = e.into_service_error();
    assert_eq!(e.code(), Some("NoSuchEntity"));
    assert_eq!(
        e.message(),
        Some(format!("The Certificate with id {c1} cannot be found.").as_str())
    );
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        summary_value(&summary, "AccountSigningCertificatesPresent"),
        0
    );
}

/// The recovery messages in the outbox for `email`.
async fn outbox(s: &Server, email: &str) -> Vec<serde_json::Value> {
    let r = s
        .unsigned("GET", &format!("/_rootward/outbox?email={email}"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

async fn forgot(s: &Server, email: &str) -> String {
    let r = s.console("forgot-password", json!({"email": email})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["message"], RECOVERY_SENT);
    let mail = outbox(s, email).await;
    mail.last().unwrap()["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn forgotten_password_with_a_one_time_token() {
    let s = Server::start().await;
    let id = s.signup("lost@example.com", PASSWORD).await;

    // Unknown e-mails get the same answer, and no mail.
    let unknown = s
        .console("forgot-password", json!({"email": "nobody@example.com"}))
        .await;
    let known = s
        .console("forgot-password", json!({"email": "lost@example.com"}))
        .await;
    assert_eq!((unknown.status, &unknown.body), (known.status, &known.body));
    assert!(outbox(&s, "nobody@example.com").await.is_empty());
    let mail = outbox(&s, "lost@example.com").await;
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert_eq!(m["to"], "lost@example.com");
    let token = m["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 32, "at least 128 bits");
    assert!(m["body"].as_str().unwrap().contains(&token));
    assert!(m["body"].as_str().unwrap().contains(&id));
    assert!(m["subject"].is_string() && m["sent_at"].is_string());
    // Also a file under DATA/outbox/.
    let files: Vec<_> = std::fs::read_dir(s.data_dir().join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].contains("To: lost@example.com") && files[0].contains(&token));
    // The store keeps only the token's hash.
    for f in ["state.db", "state.db-wal"] {
        if let Ok(bytes) = std::fs::read(s.data_dir().join(f)) {
            let hay = String::from_utf8_lossy(&bytes);
            assert!(!hay.contains(&token), "token in clear in {f}");
        }
    }

    let reset = |token: String, password: &'static str| {
        s.console(
            "reset-password",
            json!({"token": token, "new_password": password}),
        )
    };
    let r = reset(token.clone(), "weak").await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = reset(token.clone(), "New-Horse-22").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["account_id"], id.as_str());
    // Single use; unknown tokens fail alike.
    let used = reset(token.clone(), "Other-Horse-33").await;
    assert_eq!(used.status, 400);
    let bogus = reset("0".repeat(64), "Other-Horse-33").await;
    assert_eq!((bogus.status, &bogus.body), (used.status, &used.body));

    s.signin("lost@example.com", "New-Horse-22", None).await;
    let old = s
        .console(
            "signin",
            json!({"email": "lost@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(old.status, 401);

    // Tokens expire after an hour.
    let late = forgot(&s, "lost@example.com").await;
    s.clock.advance(3601);
    assert_eq!(reset(late, "Late-Horse-44").await.status, 400);
}

#[tokio::test]
async fn password_recovery_is_disabled_under_root_credentials_management() {
    let s = Server::start().await;
    let id = s.signup("member@example.com", PASSWORD).await;
    let root = s.signin("member@example.com", PASSWORD, None).await;

    // The admin's organization invites the signed-up account; its root accepts.
    let org = aws_sdk_organizations::Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    org.invite_account_to_organization()
        .target(
            HandshakeParty::builder()
                .id(&id)
                .r#type(HandshakePartyType::Account)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let guest = aws_sdk_organizations::Client::new(&root);
    let h = guest.list_handshakes_for_account().send().await.unwrap();
    let hid = h.handshakes()[0].id().unwrap().to_owned();
    guest
        .accept_handshake()
        .handshake_id(hid)
        .send()
        .await
        .unwrap();
    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    // IAM's EnableOrganizationsRootCredentialsManagement, through the domain.
    let mut o = s.svc.read().org.orgs.values().next().unwrap().clone();
    o.iam_features.push(ROOT_CREDENTIALS_MANAGEMENT.to_owned());
    s.svc.put(Record::Organization(o)).unwrap();
    assert!(
        s.svc
            .read()
            .org
            .iam_feature_in_force(&id, ROOT_CREDENTIALS_MANAGEMENT)
    );

    // With its root password still there, recovery works…
    let token = forgot(&s, "member@example.com").await;
    let r = s
        .console(
            "reset-password",
            json!({"token": token, "new_password": "Member-Horse-2"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // …but once the root credentials are deleted (IAMDeleteRootUserCredentials),
    // the mail still goes out and the reset is refused.
    let key = login_profile_key(&id, &KeyOwner::Root);
    s.svc
        .mutate(|_| Ok(((), vec![Change::Delete(table::LOGIN_PROFILES, key)])))
        .unwrap();
    let token = forgot(&s, "member@example.com").await;
    let r = s
        .console(
            "reset-password",
            json!({"token": token, "new_password": "Member-Horse-3"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("Password recovery is disabled for this account.")
    );
    let e = s
        .console(
            "signin",
            json!({"email": "member@example.com", "password": "Member-Horse-2"}),
        )
        .await;
    assert_eq!(e.status, 401);

    // "Allow password recovery" (IAMCreateRootUserPassword's CreateLoginProfile):
    // a root profile without a password. It cannot sign in, but the same
    // token now resets it.
    s.svc
        .put(Record::LoginProfile(LoginProfile {
            account: id.clone(),
            owner: KeyOwner::Root,
            password_hash: None,
            password_reset_required: false,
            created: s.svc.now(),
        }))
        .unwrap();
    let r = s
        .console(
            "reset-password",
            json!({"token": token, "new_password": "Member-Horse-3"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    s.signin("member@example.com", "Member-Horse-3", None).await;

    // A member created by CreateAccount has no root password at all.
    let req = org
        .create_account()
        .email("app@example.com")
        .account_name("app")
        .send()
        .await
        .unwrap();
    let status = org
        .describe_create_account_status()
        .create_account_request_id(req.create_account_status().unwrap().id().unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        status
            .create_account_status()
            .unwrap()
            .account_id()
            .is_some()
    );
    let token = forgot(&s, "app@example.com").await;
    let r = s
        .console(
            "reset-password",
            json!({"token": token, "new_password": "App-Horse-44"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
}
