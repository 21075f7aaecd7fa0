//! IAM UpdateUser and ChangePassword, through the AWS SDK for Rust.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::Tag;
use rootward_core::iam::mfa::code_at;

use crate::common::{ACCOUNT, Server, code};

const ADMIN_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

#[tokio::test]
async fn update_user_renames_and_moves_everything_keyed_by_name() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_user()
        .user_name("bob")
        .tags(Tag::builder().key("team").value("red").build().unwrap())
        .permissions_boundary("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    let id = iam
        .get_user()
        .user_name("bob")
        .send()
        .await
        .unwrap()
        .user()
        .unwrap()
        .user_id()
        .to_owned();
    let k = iam
        .create_access_key()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    let k = k.access_key().unwrap();
    let bob = s.config(k.access_key_id(), k.secret_access_key(), None);
    iam.put_user_policy()
        .user_name("bob")
        .policy_name("all")
        .policy_document(ADMIN_POLICY)
        .send()
        .await
        .unwrap();
    iam.attach_user_policy()
        .user_name("bob")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    iam.create_login_profile()
        .user_name("bob")
        .password("Correct-Horse-1")
        .send()
        .await
        .unwrap();
    iam.create_group().group_name("devs").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("devs")
        .user_name("bob")
        .send()
        .await
        .unwrap();
    iam.upload_signing_certificate()
        .user_name("bob")
        .certificate_body(include_str!("fixtures/cert1.pem"))
        .send()
        .await
        .unwrap();
    let d = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("bob-phone")
        .send()
        .await
        .unwrap();
    let d = d.virtual_mfa_device().unwrap();
    let serial = d.serial_number().to_owned();
    let seed = String::from_utf8(d.base32_string_seed().unwrap().as_ref().to_vec()).unwrap();
    let now = s.svc.now();
    iam.enable_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .authentication_code1(code_at(&seed, now - time::Duration::seconds(30)).unwrap())
        .authentication_code2(code_at(&seed, now).unwrap())
        .send()
        .await
        .unwrap();

    // A taken name, a missing user.
    iam.create_user().user_name("carol").send().await.unwrap();
    let e = iam
        .update_user()
        .user_name("bob")
        .new_user_name("Carol")
        .send()
        .await;
    assert_eq!(code(e), "EntityAlreadyExists");
    let e = iam
        .update_user()
        .user_name("nobody")
        .new_user_name("somebody")
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");

    iam.update_user()
        .user_name("bob")
        .new_user_name("robert")
        .new_path("/staff/")
        .send()
        .await
        .unwrap();

    let e = iam.get_user().user_name("bob").send().await;
    assert_eq!(code(e), "NoSuchEntity");
    let u = iam.get_user().user_name("robert").send().await.unwrap();
    let u = u.user().unwrap();
    assert_eq!(u.user_id(), id, "the user id stays");
    assert_eq!(u.path(), "/staff/");
    assert_eq!(u.arn(), format!("arn:aws:iam::{ACCOUNT}:user/staff/robert"));
    assert_eq!(u.tags()[0].key(), "team");
    assert_eq!(
        u.permissions_boundary().unwrap().permissions_boundary_arn(),
        Some("arn:aws:iam::aws:policy/AdministratorAccess")
    );
    let keys = iam
        .list_access_keys()
        .user_name("robert")
        .send()
        .await
        .unwrap();
    assert_eq!(keys.access_key_metadata().len(), 1);
    assert_eq!(keys.access_key_metadata()[0].user_name(), Some("robert"));
    let pols = iam
        .list_user_policies()
        .user_name("robert")
        .send()
        .await
        .unwrap();
    assert_eq!(pols.policy_names(), ["all"]);
    let att = iam
        .list_attached_user_policies()
        .user_name("robert")
        .send()
        .await
        .unwrap();
    assert_eq!(att.attached_policies().len(), 1);
    let lp = iam
        .get_login_profile()
        .user_name("robert")
        .send()
        .await
        .unwrap();
    assert_eq!(lp.login_profile().unwrap().user_name(), "robert");
    let e = iam.get_login_profile().user_name("bob").send().await;
    assert_eq!(code(e), "NoSuchEntity");
    let groups = iam
        .list_groups_for_user()
        .user_name("robert")
        .send()
        .await
        .unwrap();
    assert_eq!(groups.groups()[0].group_name(), "devs");
    let g = iam.get_group().group_name("devs").send().await.unwrap();
    assert_eq!(g.users()[0].user_name(), "robert");
    let certs = iam
        .list_signing_certificates()
        .user_name("robert")
        .send()
        .await
        .unwrap();
    assert_eq!(certs.certificates().len(), 1);
    assert_eq!(certs.certificates()[0].user_name(), "robert");
    let mfa = iam
        .list_mfa_devices()
        .user_name("robert")
        .send()
        .await
        .unwrap();
    assert_eq!(mfa.mfa_devices()[0].serial_number(), serial);

    // The existing key authenticates as the renamed user, and its inline
    // policy still grants.
    let me = aws_sdk_sts::Client::new(&bob)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.user_id(), Some(id.as_str()));
    assert_eq!(
        me.arn(),
        Some(format!("arn:aws:iam::{ACCOUNT}:user/staff/robert").as_str())
    );
    Client::new(&bob).list_users().send().await.unwrap();

    // A path alone; a change of case only.
    iam.update_user()
        .user_name("robert")
        .new_user_name("Robert")
        .send()
        .await
        .unwrap();
    let u = iam.get_user().user_name("robert").send().await.unwrap();
    assert_eq!(u.user().unwrap().user_name(), "Robert");
    assert_eq!(u.user().unwrap().path(), "/staff/");
    iam.get_login_profile()
        .user_name("Robert")
        .send()
        .await
        .unwrap();

    // What the rename wrote is durable.
    let s2 = s.reopen().await;
    let iam2 = Client::new(&s2.admin());
    let u = iam2.get_user().user_name("robert").send().await.unwrap();
    assert_eq!(u.user().unwrap().user_id(), id);
    let keys = iam2
        .list_access_keys()
        .user_name("Robert")
        .send()
        .await
        .unwrap();
    assert_eq!(keys.access_key_metadata().len(), 1);
}

#[tokio::test]
async fn update_user_needs_permission_on_the_old_and_the_new_name() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let ops = crate::common::user_with_key(&s, &iam, "ops").await;
    iam.create_user().user_name("bob").send().await.unwrap();
    iam.put_user_policy()
        .user_name("ops")
        .policy_name("rename-bob")
        .policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:UpdateUser","Resource":"arn:aws:iam::{ACCOUNT}:user/bob"}}]}}"#
        ))
        .send()
        .await
        .unwrap();
    let e = Client::new(&ops)
        .update_user()
        .user_name("bob")
        .new_user_name("robert")
        .send()
        .await;
    assert_eq!(code(e), "AccessDenied");
    iam.get_user().user_name("bob").send().await.unwrap();
}

/// Signs in as an IAM user on the sign-in page; the status.
async fn sign_in_status(s: &Server, user: &str, password: &str) -> u16 {
    s.console(
        "signin",
        serde_json::json!({"account_id": ACCOUNT, "user_name": user, "password": password}),
    )
    .await
    .status
}

#[tokio::test]
async fn change_password_lets_a_user_replace_their_own_password() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let bob = crate::common::user_with_key(&s, &iam, "bob").await;
    let bob = Client::new(&bob);
    iam.create_login_profile()
        .user_name("bob")
        .password("Correct-Horse-1")
        .password_reset_required(true)
        .send()
        .await
        .unwrap();

    // Without iam:ChangePassword (and without the account setting): denied.
    let e = bob
        .change_password()
        .old_password("Correct-Horse-1")
        .new_password("Battery-Staple-2")
        .send()
        .await;
    assert_eq!(code(e), "AccessDenied");
    // AllowUsersToChangePassword grants it to every user.
    iam.update_account_password_policy()
        .minimum_password_length(12)
        .require_numbers(true)
        .allow_users_to_change_password(true)
        .send()
        .await
        .unwrap();
    let e = bob
        .change_password()
        .old_password("Wrong-Horse-1")
        .new_password("Battery-Staple-2")
        .send()
        .await;
    assert_eq!(code(e), "AccessDenied", "a wrong old password");
    let e = bob
        .change_password()
        .old_password("Correct-Horse-1")
        .new_password("short-1")
        .send()
        .await;
    assert_eq!(code(e), "PasswordPolicyViolation");
    assert_eq!(sign_in_status(&s, "bob", "Correct-Horse-1").await, 200);

    bob.change_password()
        .old_password("Correct-Horse-1")
        .new_password("Battery-Staple-2")
        .send()
        .await
        .unwrap();
    let lp = iam
        .get_login_profile()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    assert!(
        !lp.login_profile().unwrap().password_reset_required(),
        "cleared by the change"
    );
    assert_ne!(sign_in_status(&s, "bob", "Correct-Horse-1").await, 200);
    assert_eq!(sign_in_status(&s, "bob", "Battery-Staple-2").await, 200);

    // An explicit Deny still refuses it.
    iam.put_user_policy()
        .user_name("bob")
        .policy_name("no-change")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ChangePassword","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let e = bob
        .change_password()
        .old_password("Battery-Staple-2")
        .new_password("Battery-Staple-3")
        .send()
        .await;
    assert_eq!(code(e), "AccessDenied");

    // A user without a login profile; the root user.
    let carol = crate::common::user_with_key(&s, &iam, "carol").await;
    let e = Client::new(&carol)
        .change_password()
        .old_password("Correct-Horse-1")
        .new_password("Battery-Staple-2")
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    s.signup("root@example.com", "Root-Password-1").await;
    let root = s.signin("root@example.com", "Root-Password-1", None).await;
    let e = Client::new(&root)
        .change_password()
        .old_password("Root-Password-1")
        .new_password("Battery-Staple-2")
        .send()
        .await;
    assert_eq!(code(e), "InvalidUserType");
}
