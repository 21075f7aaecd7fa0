//! Centralized root access through the AWS SDK for Rust: the IAM features,
//! delegation, `AssumeRoot` and its decision procedure, the root-credential
//! operations inside root sessions, and their expiry (spec 01 §1.5 flows A–D,
//! G, H; spec 02 §2.3–2.6).

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_organizations::types::PolicyType;
use aws_sdk_sts::types::PolicyDescriptorType;
use rootward_core::model::{AccessKey, KeyOwner, KeyStatus, Record};
use rootward_core::secret::Secret;

pub(crate) use crate::common::root::{AUDIT, admin_role_in, root_session};
use crate::common::root::{S3_UNLOCK, created};
use crate::common::{ACCOUNT, Server};

pub(crate) const DELETE: &str = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials";
const CREATE_PASSWORD: &str = "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword";

pub(crate) struct Zone {
    pub member: String,
    pub delegated: String,
}

/// Flow A up to A2: an organization with a member and a future delegated
/// administrator; trusted access and the features are left to the test.
pub(crate) async fn organization(s: &Server) -> Zone {
    let org = aws_sdk_organizations::Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    Zone {
        member: created(&org, "member").await,
        delegated: created(&org, "breakglass").await,
    }
}

pub(crate) async fn enable_everything(s: &Server, z: &Zone) {
    let org = aws_sdk_organizations::Client::new(&s.admin());
    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let iam = aws_sdk_iam::Client::new(&s.admin());
    iam.enable_organizations_root_credentials_management()
        .send()
        .await
        .unwrap();
    iam.enable_organizations_root_sessions()
        .send()
        .await
        .unwrap();
    org.register_delegated_administrator()
        .account_id(&z.delegated)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
}

fn task(arn: &str) -> PolicyDescriptorType {
    PolicyDescriptorType::builder().arn(arn).build()
}

/// Gives a member's root user a long-term access key (AWS makes those only
/// through root sign-in; spec 02 §2.6.1 asks tests for a seeding hook).
fn seed_root_key(s: &Server, account: &str, id: &str) {
    s.svc
        .put(Record::AccessKey(AccessKey {
            id: id.to_owned(),
            secret: Secret::new("rootKeySecret000000000000000000000000000".to_owned()),
            account: account.to_owned(),
            owner: KeyOwner::Root,
            status: KeyStatus::Active,
            created: s.svc.now(),
            last_used: None,
        }))
        .unwrap();
}

#[tokio::test]
async fn flow_a_features_need_trusted_access_and_the_management_account() {
    let s = Server::start().await;
    let z = organization(&s).await;
    let iam = aws_sdk_iam::Client::new(&s.admin());
    let org = aws_sdk_organizations::Client::new(&s.admin());

    // A3: trusted access is off.
    let e = iam.list_organizations_features().send().await.unwrap_err();
    let raw = e.raw_response().map(|r| r.status().as_u16());
    let e = e.into_service_error();
    assert_eq!(e.code(), Some("ServiceAccessNotEnabledException"));
    assert_eq!(raw, Some(400));
    assert_eq!(
        e.message(),
        Some(
            format!(
                "Trusted Access for IAM not enabled by organization of input account {ACCOUNT}."
            )
            .as_str()
        )
    );

    // A4–A7.
    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let f = iam.list_organizations_features().send().await.unwrap();
    assert!(f.organization_id().unwrap().starts_with("o-"));
    assert!(f.enabled_features().is_empty());
    let f = iam
        .enable_organizations_root_credentials_management()
        .send()
        .await
        .unwrap();
    assert_eq!(
        f.enabled_features()
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>(),
        ["RootCredentialsManagement"]
    );
    let f = iam
        .enable_organizations_root_sessions()
        .send()
        .await
        .unwrap();
    assert_eq!(
        f.enabled_features()
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>(),
        ["RootSessions", "RootCredentialsManagement"]
    );
    // Idempotent.
    iam.enable_organizations_root_sessions()
        .send()
        .await
        .unwrap();

    // A8–A10.
    org.register_delegated_administrator()
        .account_id(&z.delegated)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let da = aws_sdk_iam::Client::new(&admin_role_in(&s, &z.delegated).await);
    let e = da
        .enable_organizations_root_sessions()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("CallerIsNotManagementAccountException"));
    assert_eq!(
        da.list_organizations_features()
            .send()
            .await
            .unwrap()
            .enabled_features()
            .len(),
        2
    );
    let member = aws_sdk_iam::Client::new(&admin_role_in(&s, &z.member).await);
    let e = member
        .list_organizations_features()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        e.code(),
        Some("AccountNotManagementOrDelegatedAdministratorException")
    );
    assert_eq!(
        e.message(),
        Some(
            format!(
                "Input account {} is neither management account nor delegated admin.",
                z.member
            )
            .as_str()
        )
    );

    // Flow H: the delegated administrator may disable; trusted access stays
    // while it is registered; the flags survive trusted access going off.
    let f = da
        .disable_organizations_root_sessions()
        .send()
        .await
        .unwrap();
    assert_eq!(f.enabled_features().len(), 1);
    let e = org
        .disable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("ConstraintViolationException"));
    org.deregister_delegated_administrator()
        .account_id(&z.delegated)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    org.disable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let e = iam
        .list_organizations_features()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("ServiceAccessNotEnabledException"));
    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let f = iam.list_organizations_features().send().await.unwrap();
    assert_eq!(
        f.enabled_features()
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>(),
        ["RootCredentialsManagement"]
    );

    // No organization at all.
    let other = Server::start().await;
    let e = aws_sdk_iam::Client::new(&other.admin())
        .list_organizations_features()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("OrganizationNotFoundException"));
}

#[tokio::test]
async fn flows_b_c_d_audit_delete_and_allow_password_recovery() {
    let s = Server::start().await;
    let z = organization(&s).await;
    enable_everything(&s, &z).await;
    seed_root_key(&s, &z.member, "AKIAMEMBERROOTKEY001");
    let admin = s.admin();

    // B: an audit session from the management account.
    let audit = root_session(&s, &admin, &z.member, AUDIT).await;
    let who = aws_sdk_sts::Client::new(&audit)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        who.arn(),
        Some(format!("arn:aws:iam::{}:root", z.member).as_str())
    );
    assert_eq!(who.user_id(), Some(z.member.as_str()));
    assert_eq!(who.account(), Some(z.member.as_str()));
    let iam = aws_sdk_iam::Client::new(&audit);
    let summary = iam.get_account_summary().send().await.unwrap();
    let map = summary.summary_map().unwrap();
    let flag = |k: &str| {
        map.iter()
            .find(|(key, _)| key.as_str() == k)
            .map(|(_, v)| *v)
    };
    assert_eq!(flag("AccountAccessKeysPresent"), Some(1));
    assert_eq!(flag("AccountPasswordPresent"), Some(0));
    let user = iam.get_user().send().await.unwrap();
    let user = user.user().unwrap();
    assert_eq!(user.arn(), format!("arn:aws:iam::{}:root", z.member));
    assert_eq!(user.user_id(), z.member);
    assert_eq!(user.user_name(), "", "the root User has no UserName");
    let e = iam
        .get_login_profile()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("NoSuchEntity"));
    assert_eq!(
        e.message(),
        Some("Login Profile for User null cannot be found.")
    );
    let keys = iam.list_access_keys().send().await.unwrap();
    assert_eq!(keys.access_key_metadata().len(), 1);
    assert_eq!(
        keys.access_key_metadata()[0].access_key_id(),
        Some("AKIAMEMBERROOTKEY001")
    );
    assert!(
        iam.list_signing_certificates()
            .send()
            .await
            .unwrap()
            .certificates()
            .is_empty()
    );
    assert!(
        iam.list_mfa_devices()
            .send()
            .await
            .unwrap()
            .mfa_devices()
            .is_empty()
    );
    iam.get_access_key_last_used()
        .access_key_id("AKIAMEMBERROOTKEY001")
        .send()
        .await
        .unwrap();
    // B6, B7: outside the task.
    let e = iam
        .delete_access_key()
        .access_key_id("AKIAMEMBERROOTKEY001")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("AccessDenied"));
    let e = iam
        .list_access_keys()
        .user_name("someuser")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("AccessDenied"));
    let e = iam
        .create_user()
        .user_name("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("AccessDenied"));

    // D: allow password recovery (from the delegated administrator).
    let da = admin_role_in(&s, &z.delegated).await;
    let create = aws_sdk_iam::Client::new(
        &root_session(
            &s,
            &da,
            &format!("arn:aws:iam::{}:root", z.member),
            CREATE_PASSWORD,
        )
        .await,
    );
    let e = create
        .get_login_profile()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("NoSuchEntity"));
    let lp = create.create_login_profile().send().await.unwrap();
    let lp = lp.login_profile().unwrap();
    assert!(!lp.password_reset_required());
    assert_eq!(lp.user_name(), "");
    let e = create.create_login_profile().send().await.unwrap_err();
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(409));
    let e = e.into_service_error();
    assert_eq!(e.code(), Some("EntityAlreadyExists"));
    assert_eq!(
        e.message(),
        Some(format!("Login Profile for account {} already exists.", z.member).as_str())
    );
    let summary = iam.get_account_summary().send().await.unwrap();
    let map = summary.summary_map().unwrap();
    assert_eq!(
        map.get(&aws_sdk_iam::types::SummaryKeyType::AccountPasswordPresent),
        Some(&1)
    );

    // C: delete root credentials; the deleted key stops authenticating at once.
    let root_key = aws_sdk_sts::Client::new(&s.config(
        "AKIAMEMBERROOTKEY001",
        "rootKeySecret000000000000000000000000000",
        None,
    ));
    assert_eq!(
        root_key.get_caller_identity().send().await.unwrap().arn(),
        Some(format!("arn:aws:iam::{}:root", z.member).as_str())
    );
    let delete = aws_sdk_iam::Client::new(&root_session(&s, &admin, &z.member, DELETE).await);
    delete.delete_login_profile().send().await.unwrap();
    delete
        .delete_access_key()
        .access_key_id("AKIAMEMBERROOTKEY001")
        .send()
        .await
        .unwrap();
    let e = delete
        .get_account_summary()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        e.code(),
        Some("AccessDenied"),
        "GetAccountSummary is not a delete-task action"
    );
    let e = root_key
        .get_caller_identity()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("InvalidClientTokenId"));
    let e = delete
        .delete_login_profile()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("NoSuchEntity"));
    // A fresh audit shows nothing left.
    let audit = aws_sdk_iam::Client::new(&root_session(&s, &admin, &z.member, AUDIT).await);
    let summary = audit.get_account_summary().send().await.unwrap();
    let map = summary.summary_map().unwrap();
    for k in [
        "AccountAccessKeysPresent",
        "AccountPasswordPresent",
        "AccountMFAEnabled",
        "AccountSigningCertificatesPresent",
    ] {
        assert_eq!(
            map.get(&aws_sdk_iam::types::SummaryKeyType::from(k)),
            Some(&0),
            "{k}"
        );
    }
    assert!(
        audit
            .list_access_keys()
            .send()
            .await
            .unwrap()
            .access_key_metadata()
            .is_empty()
    );
}

#[tokio::test]
async fn flow_g_assume_root_refusals_in_order() {
    let s = Server::start().await;
    let z = organization(&s).await;
    let sts = aws_sdk_sts::Client::new(&s.admin());
    let code = |e: &aws_sdk_sts::operation::assume_root::AssumeRootError| {
        e.code().unwrap_or("").to_owned()
    };
    let msg = |e: &aws_sdk_sts::operation::assume_root::AssumeRootError| {
        e.message().unwrap_or("").to_owned()
    };
    let attempt = |target: &str, arn: &str, duration: Option<i32>| {
        sts.assume_root()
            .target_principal(target)
            .task_policy_arn(task(arn))
            .set_duration_seconds(duration)
            .send()
    };

    // Validation comes before authorization.
    let e = attempt(&z.member, AUDIT, Some(901))
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "ValidationError");
    assert_eq!(
        msg(&e),
        "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"
    );
    let e = attempt(
        &z.member,
        "arn:aws:iam::aws:policy/AdministratorAccess",
        None,
    )
    .await
    .unwrap_err()
    .into_service_error();
    assert_eq!(
        (code(&e), msg(&e)),
        (
            "ValidationError".into(),
            "Request must contain valid AWS managed task policy ARN".into()
        )
    );
    let e = attempt(
        &format!("arn:aws:iam::{}:user/alice", z.member),
        AUDIT,
        None,
    )
    .await
    .unwrap_err()
    .into_service_error();
    assert_eq!(
        (code(&e), msg(&e)),
        (
            "ValidationError".into(),
            "Request must contain a valid target principal".into()
        )
    );

    // Trusted access off: the management account hears so.
    let e = attempt(&z.member, AUDIT, None).await.unwrap_err();
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(403));
    let e = e.into_service_error();
    assert_eq!(
        (code(&e), msg(&e)),
        (
            "AccessDenied".into(),
            "Service not enabled for AWS Organizations.".into()
        )
    );

    let org = aws_sdk_organizations::Client::new(&s.admin());
    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let e = attempt(&z.member, AUDIT, None)
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        msg(&e),
        "Root credentials management feature is not enabled for your AWS Organization."
    );
    let iam = aws_sdk_iam::Client::new(&s.admin());
    iam.enable_organizations_root_credentials_management()
        .send()
        .await
        .unwrap();
    let e = attempt(&z.member, S3_UNLOCK, None)
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        msg(&e),
        "Root sessions feature is not enabled for your AWS Organization."
    );
    attempt(&z.member, AUDIT, None).await.unwrap();

    // Not the management account itself; not outside the organization.
    let generic = |target: &str| {
        format!(
            "User: arn:aws:iam::{ACCOUNT}:user/admin is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::{target}:root"
        )
    };
    let e = attempt(ACCOUNT, AUDIT, None)
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        (code(&e), msg(&e)),
        ("AccessDenied".into(), generic(ACCOUNT))
    );
    let e = attempt("999999999999", AUDIT, None)
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(msg(&e), generic("999999999999"));

    // A member account's operator (not delegated) is refused.
    let member_ops = aws_sdk_sts::Client::new(&admin_role_in(&s, &z.member).await);
    let e = member_ops
        .assume_root()
        .target_principal(&z.delegated)
        .task_policy_arn(task(AUDIT))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDenied");

    // The caller's own policies: an explicit deny on the task gives the bare message.
    iam.create_user().user_name("op").send().await.unwrap();
    iam.put_user_policy()
        .user_name("op")
        .policy_name("OnlyAudit")
        .policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRoot","Resource":"*","Condition":{{"StringEquals":{{"sts:TaskPolicyArn":"{AUDIT}"}}}}}},{{"Effect":"Deny","Action":"sts:AssumeRoot","Resource":"arn:aws:iam::{}:root"}}]}}"#,
            z.delegated
        ))
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name("op")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let op =
        aws_sdk_sts::Client::new(&s.config(key.access_key_id(), key.secret_access_key(), None));
    let try_op = |target: String, arn: &'static str| {
        op.assume_root()
            .target_principal(target)
            .task_policy_arn(task(arn))
            .send()
    };
    try_op(z.member.clone(), AUDIT).await.unwrap();
    let e = try_op(z.member.clone(), CREATE_PASSWORD)
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        msg(&e),
        format!(
            "User: arn:aws:iam::{ACCOUNT}:user/op is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::{}:root",
            z.member
        )
    );
    let e = try_op(z.delegated.clone(), AUDIT)
        .await
        .unwrap_err()
        .into_service_error();
    assert!(!msg(&e).contains("explicit deny"), "{}", msg(&e));

    // Root credentials can never call AssumeRoot, nor can a root session.
    seed_root_key(&s, ACCOUNT, "AKIAMGMTROOTKEY00001");
    let root = aws_sdk_sts::Client::new(&s.config(
        "AKIAMGMTROOTKEY00001",
        "rootKeySecret000000000000000000000000000",
        None,
    ));
    let e = root
        .assume_root()
        .target_principal(&z.member)
        .task_policy_arn(task(AUDIT))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDenied");
    let session = root_session(&s, &s.admin(), &z.member, AUDIT).await;
    let e = aws_sdk_sts::Client::new(&session)
        .assume_root()
        .target_principal(&z.delegated)
        .task_policy_arn(task(AUDIT))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDenied");

    // The global endpoint does not know the operation.
    let body = format!(
        "Action=AssumeRoot&Version=2011-06-15&TargetPrincipal={}&TaskPolicyArn.arn={}",
        z.member,
        AUDIT.replace(':', "%3A").replace('/', "%2F")
    );
    let r = s
        .raw_post_to(
            "sts",
            Some("sts.amazonaws.com"),
            &[(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("<Code>InvalidAction</Code>") && r.body.contains("Unknown Operation"),
        "{}",
        r.body
    );

    // Every refusal with its HTTP status (spec 02 §2.3.2): validation 400,
    // authorization and feature refusals 403.
    let status = |r: Result<
        aws_sdk_sts::operation::assume_root::AssumeRootOutput,
        aws_sdk_sts::error::SdkError<aws_sdk_sts::operation::assume_root::AssumeRootError>,
    >| {
        let e = r.unwrap_err();
        let status = e.raw_response().map(|r| r.status().as_u16());
        let e = e.into_service_error();
        (e.code().unwrap_or("").to_owned(), status)
    };
    let v = |c: &str| (c.to_owned(), Some(400));
    let d = |c: &str| (c.to_owned(), Some(403));
    assert_eq!(
        status(attempt(&z.member, AUDIT, Some(901)).await),
        v("ValidationError")
    );
    assert_eq!(
        status(attempt(&z.member, AUDIT, Some(-1)).await),
        v("ValidationError")
    );
    assert_eq!(
        status(attempt(&z.member, "arn:aws:iam::aws:policy/ReadOnlyAccess", None).await),
        v("ValidationError")
    );
    assert_eq!(
        status(attempt("arn:aws:iam::222:root", AUDIT, None).await),
        v("ValidationError")
    );
    assert_eq!(
        status(attempt(ACCOUNT, AUDIT, None).await),
        d("AccessDenied")
    );
    assert_eq!(
        status(attempt("999999999999", AUDIT, None).await),
        d("AccessDenied")
    );
    assert_eq!(
        status(attempt(&z.member, S3_UNLOCK, None).await),
        d("AccessDenied")
    );
    assert_eq!(
        status(
            root.assume_root()
                .target_principal(&z.member)
                .task_policy_arn(task(AUDIT))
                .send()
                .await
        ),
        d("AccessDenied")
    );
}

#[tokio::test]
async fn root_sessions_expire_and_scps_see_assumed_root() {
    let s = Server::start().await;
    let z = organization(&s).await;
    enable_everything(&s, &z).await;

    // A 60-second session works, then expires.
    let out = aws_sdk_sts::Client::new(&s.admin())
        .assume_root()
        .target_principal(&z.member)
        .task_policy_arn(task(AUDIT))
        .duration_seconds(60)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let issued = s.svc.now().unix_timestamp();
    let exp = c.expiration().secs();
    assert!(
        (exp - issued - 60).abs() <= 1,
        "expires {exp}, issued {issued}"
    );
    let session = aws_sdk_iam::Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    session.get_account_summary().send().await.unwrap();
    s.clock.advance(61);
    let e = session
        .get_account_summary()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("ExpiredToken"));

    // The seed SCP: no root password re-creation on this OU, nothing else.
    let org = aws_sdk_organizations::Client::new(&s.admin());
    let scp = org
        .create_policy()
        .name("DenyRootPasswordRecovery")
        .description("")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateLoginProfile","Resource":"*","Condition":{"Bool":{"aws:AssumedRoot":"true"}}}]}"#)
        .send()
        .await
        .unwrap();
    let scp = scp
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.attach_policy()
        .policy_id(&scp)
        .target_id(&z.member)
        .send()
        .await
        .unwrap();
    let create =
        aws_sdk_iam::Client::new(&root_session(&s, &s.admin(), &z.member, CREATE_PASSWORD).await);
    let e = create
        .create_login_profile()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("AccessDenied"));
    assert!(
        e.message().unwrap().contains("service control policy"),
        "{:?}",
        e.message()
    );
    // An IAM user of that account may still create login profiles.
    let member_iam = aws_sdk_iam::Client::new(&admin_role_in(&s, &z.member).await);
    member_iam
        .create_user()
        .user_name("dev")
        .send()
        .await
        .unwrap();
    member_iam
        .create_login_profile()
        .user_name("dev")
        .password("Str0ng-Passw0rd!")
        .send()
        .await
        .unwrap();
    // The other accounts are untouched.
    let other = aws_sdk_iam::Client::new(
        &root_session(&s, &s.admin(), &z.delegated, CREATE_PASSWORD).await,
    );
    other.create_login_profile().send().await.unwrap();
    // Disabling a feature stops new sessions, not issued ones.
    let audit = aws_sdk_iam::Client::new(&root_session(&s, &s.admin(), &z.member, AUDIT).await);
    aws_sdk_iam::Client::new(&s.admin())
        .disable_organizations_root_credentials_management()
        .send()
        .await
        .unwrap();
    audit.get_account_summary().send().await.unwrap();
    let e = aws_sdk_sts::Client::new(&s.admin())
        .assume_root()
        .target_principal(&z.member)
        .task_policy_arn(task(AUDIT))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        e.message(),
        Some("Root credentials management feature is not enabled for your AWS Organization.")
    );
}
