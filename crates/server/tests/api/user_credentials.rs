//! IAM users' MFA devices and signing certificates, the credential report
//! and GetAccountSummary's counts, through the AWS SDK for Rust.

use aws_sdk_iam::Client;
use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_iam::types::{AssignmentStatusType, ReportStateType, StatusType, SummaryKeyType};
use rootward_core::iam::credential_report::HEADER;
use rootward_core::iam::mfa::code_at;

use crate::common::{ACCOUNT, Server, code};

fn summary(
    s: &aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput,
    k: &str,
) -> i32 {
    *s.summary_map()
        .unwrap()
        .get(&SummaryKeyType::from(k))
        .unwrap()
}

/// The text of the QR code in a PNG (decoded with `png`, read with `rqrr`).
fn read_qr(png_bytes: &[u8]) -> String {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes.to_vec()))
        .read_info()
        .unwrap();
    let mut buf = vec![0; decoder.output_buffer_size().unwrap()];
    let info = decoder.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn a_users_virtual_mfa_device() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user().user_name("bob").send().await.unwrap();

    let created = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("bob-phone")
        .path("/team/")
        .send()
        .await
        .unwrap();
    let d = created.virtual_mfa_device().unwrap();
    let serial = d.serial_number().to_owned();
    assert_eq!(serial, format!("arn:aws:iam::{ACCOUNT}:mfa/team/bob-phone"));
    let seed = String::from_utf8(d.base32_string_seed().unwrap().as_ref().to_vec()).unwrap();
    assert_eq!(seed.len(), 64);
    // The QR code an authenticator app scans: a PNG whose code reads back as
    // IAM's documented otpauth URI with the same seed.
    let png = d.qr_code_png().expect("QRCodePNG").as_ref();
    assert_eq!(
        read_qr(png),
        format!("otpauth://totp/bob-phone@{ACCOUNT}?secret={seed}")
    );
    let e = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("bob-phone")
        .path("/team/")
        .send()
        .await;
    assert_eq!(code(e), "EntityAlreadyExists");

    let unassigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Unassigned)
        .send()
        .await
        .unwrap();
    assert_eq!(unassigned.virtual_mfa_devices().len(), 1);
    assert!(unassigned.virtual_mfa_devices()[0].user().is_none());

    let now = s.svc.now();
    let c1 = code_at(&seed, now - time::Duration::seconds(30)).unwrap();
    let c2 = code_at(&seed, now).unwrap();
    let e = iam
        .enable_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .authentication_code1(&c2)
        .authentication_code2(&c1)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("InvalidAuthenticationCode"));
    let e = iam
        .enable_mfa_device()
        .user_name("nobody")
        .serial_number(&serial)
        .authentication_code1(&c1)
        .authentication_code2(&c2)
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    iam.enable_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .authentication_code1(&c1)
        .authentication_code2(&c2)
        .send()
        .await
        .unwrap();
    let e = iam
        .enable_mfa_device()
        .user_name("admin")
        .serial_number(&serial)
        .authentication_code1(&c1)
        .authentication_code2(&c2)
        .send()
        .await;
    assert_eq!(code(e), "EntityAlreadyExists");
    iam.resync_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .authentication_code1(&c1)
        .authentication_code2(&c2)
        .send()
        .await
        .unwrap();

    let list = iam
        .list_mfa_devices()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    assert_eq!(list.mfa_devices().len(), 1);
    assert_eq!(list.mfa_devices()[0].user_name(), "bob");
    assert_eq!(list.mfa_devices()[0].serial_number(), serial);
    let assigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(AssignmentStatusType::Assigned)
        .send()
        .await
        .unwrap();
    let user = assigned.virtual_mfa_devices()[0].user().unwrap();
    assert_eq!(user.user_name(), "bob");
    assert_eq!(user.arn(), format!("arn:aws:iam::{ACCOUNT}:user/bob"));
    assert!(assigned.virtual_mfa_devices()[0].enable_date().is_some());
    let sm = iam.get_account_summary().send().await.unwrap();
    assert_eq!(summary(&sm, "MFADevices"), 1);
    assert_eq!(summary(&sm, "MFADevicesInUse"), 1);
    assert_eq!(
        summary(&sm, "AccountMFAEnabled"),
        0,
        "root flags are the root's only"
    );

    let e = iam.delete_user().user_name("bob").send().await;
    assert_eq!(code(e), "DeleteConflict", "a user with an MFA device");
    let e = iam
        .delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await;
    assert_eq!(code(e), "DeleteConflict");
    let e = iam
        .deactivate_mfa_device()
        .user_name("admin")
        .serial_number(&serial)
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    iam.deactivate_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .send()
        .await
        .unwrap();
    assert!(
        iam.list_mfa_devices()
            .user_name("bob")
            .send()
            .await
            .unwrap()
            .mfa_devices()
            .is_empty()
    );
    let sm = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        (summary(&sm, "MFADevices"), summary(&sm, "MFADevicesInUse")),
        (1, 0)
    );
    iam.delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .unwrap();
    let e = iam
        .delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    let all = iam.list_virtual_mfa_devices().send().await.unwrap();
    assert!(all.virtual_mfa_devices().is_empty());

    // A user without rights may not manage devices.
    let carol = crate::common::user_with_key(&s, &iam, "carol").await;
    let e = Client::new(&carol)
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("carol")
        .send()
        .await;
    assert_eq!(code(e), "AccessDenied");
}

#[tokio::test]
async fn a_users_signing_certificates_and_the_calling_user() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let up = iam
        .upload_signing_certificate()
        .user_name("admin")
        .certificate_body(include_str!("fixtures/cert1.pem"))
        .send()
        .await
        .unwrap();
    let c = up.certificate().unwrap();
    assert_eq!(c.user_name(), "admin");
    // Without UserName: the calling user.
    let list = iam.list_signing_certificates().send().await.unwrap();
    assert_eq!(list.certificates().len(), 1);
    assert_eq!(list.certificates()[0].user_name(), "admin");
    let e = iam
        .list_signing_certificates()
        .user_name("nobody")
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    // The same body for another principal of the account is a duplicate.
    iam.create_user().user_name("dave").send().await.unwrap();
    let e = iam
        .upload_signing_certificate()
        .user_name("dave")
        .certificate_body(include_str!("fixtures/cert1.pem"))
        .send()
        .await;
    assert_eq!(code(e), "DuplicateCertificate");
    // Another user's certificate id is not found under this user.
    let e = iam
        .update_signing_certificate()
        .user_name("dave")
        .certificate_id(c.certificate_id())
        .status(StatusType::Inactive)
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    iam.upload_signing_certificate()
        .user_name("dave")
        .certificate_body(include_str!("fixtures/cert2.pem"))
        .send()
        .await
        .unwrap();
    let e = iam.delete_user().user_name("dave").send().await;
    assert_eq!(code(e), "DeleteConflict", "a user with a certificate");
    let sm = iam.get_account_summary().send().await.unwrap();
    assert_eq!(summary(&sm, "AccountSigningCertificatesPresent"), 0);
}

#[tokio::test]
async fn devices_and_certificates_survive_a_restart() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.upload_signing_certificate()
        .certificate_body(include_str!("fixtures/cert1.pem"))
        .send()
        .await
        .unwrap();
    let d = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("kept")
        .send()
        .await
        .unwrap();
    let serial = d.virtual_mfa_device().unwrap().serial_number().to_owned();
    let seed = String::from_utf8(
        d.virtual_mfa_device()
            .unwrap()
            .base32_string_seed()
            .unwrap()
            .as_ref()
            .to_vec(),
    )
    .unwrap();
    let again = s.reopen().await;
    let iam = Client::new(&again.admin());
    let certs = iam.list_signing_certificates().send().await.unwrap();
    assert_eq!(certs.certificates().len(), 1);
    // The seed is kept: codes from it still enable the device.
    let now = again.svc.now();
    iam.enable_mfa_device()
        .user_name("admin")
        .serial_number(&serial)
        .authentication_code1(code_at(&seed, now - time::Duration::seconds(30)).unwrap())
        .authentication_code2(code_at(&seed, now).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_mfa_devices()
            .send()
            .await
            .unwrap()
            .mfa_devices()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_credential_report() {
    let s = Server::start().await;
    let id = s.signup("report@example.com", "Correct-Horse-1").await;
    let root = Client::new(
        &s.signin("report@example.com", "Correct-Horse-1", None)
            .await,
    );

    let e = root.get_credential_report().send().await.unwrap_err();
    assert_eq!(e.raw_response().unwrap().status().as_u16(), 410);
    assert_eq!(e.into_service_error().code(), Some("ReportNotPresent"));

    root.create_access_key().send().await.unwrap();
    root.upload_signing_certificate()
        .certificate_body(include_str!("fixtures/cert2.pem"))
        .send()
        .await
        .unwrap();
    root.create_user().user_name("erin").send().await.unwrap();

    let g = root.generate_credential_report().send().await.unwrap();
    assert_eq!(g.state(), Some(&ReportStateType::Started));
    let g = root.generate_credential_report().send().await.unwrap();
    assert_eq!(g.state(), Some(&ReportStateType::Complete));
    let r = root.get_credential_report().send().await.unwrap();
    assert_eq!(r.report_format().unwrap().as_str(), "text/csv");
    assert!(r.generated_time().is_some());
    let csv = String::from_utf8(r.content().unwrap().as_ref().to_vec()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert_eq!(lines[0], HEADER);
    let header: Vec<&str> = lines[0].split(',').collect();
    let row = |line: &str| -> std::collections::HashMap<String, String> {
        header
            .iter()
            .map(|h| h.to_string())
            .zip(line.split(',').map(str::to_owned))
            .collect()
    };
    let root_row = row(lines[1]);
    assert_eq!(root_row["user"], "<root_account>");
    assert_eq!(root_row["arn"], format!("arn:aws:iam::{id}:root"));
    assert_eq!(root_row["password_enabled"], "true");
    // The root user signed in above: the sign-in is its password's last use.
    assert!(root_row["password_last_used"].ends_with("+00:00"));
    assert!(root_row["password_last_changed"].ends_with("+00:00"));
    assert_eq!(root_row["password_next_rotation"], "not_supported");
    assert_eq!(root_row["mfa_active"], "false");
    assert_eq!(root_row["access_key_1_active"], "true");
    assert!(root_row["access_key_1_last_rotated"].ends_with("+00:00"));
    assert_eq!(root_row["access_key_1_last_used_date"], "N/A");
    assert_eq!(root_row["access_key_2_active"], "false");
    assert_eq!(root_row["cert_1_active"], "true");
    assert_eq!(root_row["cert_2_active"], "false");
    assert_eq!(root_row["cert_2_last_rotated"], "N/A");
    let erin = row(lines[2]);
    assert_eq!(erin["user"], "erin");
    assert_eq!(erin["password_enabled"], "false");
    assert_eq!(erin["password_last_used"], "N/A");
    assert_eq!(erin["access_key_1_active"], "false");

    // After four hours the report has expired (aged through the domain: the
    // SDK signs with the real clock).
    let mut old = s.svc.read().credential_reports.get(&id).unwrap().clone();
    old.generated -= time::Duration::hours(4);
    s.svc
        .put(rootward_core::model::Record::CredentialReport(old))
        .unwrap();
    let e = root.get_credential_report().send().await;
    assert_eq!(code(e), "ReportExpired");
}

/// A virtual MFA device's tags: given at creation (which then needs
/// `iam:TagMFADevice` too), shown, added, removed, listed.
#[tokio::test]
async fn a_virtual_mfa_devices_tags() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let tag = |k: &str, v: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .unwrap()
    };
    let created = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("tagged-phone")
        .tags(tag("team", "ops"))
        .send()
        .await
        .unwrap();
    let d = created.virtual_mfa_device().unwrap();
    assert_eq!(d.tags().len(), 1);
    let serial = d.serial_number().to_owned();
    iam.tag_mfa_device()
        .serial_number(&serial)
        .tags(tag("cost", "42"))
        .tags(tag("team", "sec"))
        .send()
        .await
        .unwrap();
    let listed = iam
        .list_mfa_device_tags()
        .serial_number(&serial)
        .send()
        .await
        .unwrap();
    let mut got: Vec<(String, String)> = listed
        .tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [("cost".into(), "42".into()), ("team".into(), "sec".into())]
    );
    iam.untag_mfa_device()
        .serial_number(&serial)
        .tag_keys("cost")
        .send()
        .await
        .unwrap();
    let listed = iam
        .list_mfa_device_tags()
        .serial_number(&serial)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.tags().len(), 1);
    let r = iam
        .list_mfa_device_tags()
        .serial_number(format!("arn:aws:iam::{ACCOUNT}:mfa/nobody"))
        .send()
        .await;
    assert_eq!(code(r), "NoSuchEntity");
    let r = iam
        .tag_mfa_device()
        .serial_number(&serial)
        .tags(tag("aws:reserved", "x"))
        .send()
        .await;
    assert_eq!(code(r), "InvalidInput");
}
