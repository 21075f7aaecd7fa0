//! Organizations through the AWS SDK for Rust: a landing zone with OUs,
//! accounts and an SCP that bounds member accounts; the caller rules of the
//! management account and delegated administrators; invitations; paging; and
//! the JSON 1.1 error envelope.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::error::ProvideErrorMetadata;
use aws_sdk_organizations::types::{ChildType, HandshakeParty, HandshakePartyType, PolicyType};
use rootward_core::model::{AccessKey, Account, KeyOwner, KeyStatus, Record};
use rootward_core::secret::Secret;

use crate::common::{ACCOUNT, Server};

/// Creates a standalone account whose root user has an access key (what a
/// sign-up gives), for invitation tests.
fn standalone(s: &Server, id: &str, key: &str, secret: &str) {
    s.svc
        .put(Record::Account(Account {
            id: id.to_owned(),
            name: format!("standalone {id}"),
            email: format!("root+{id}@example.com"),
            created: s.svc.now(),
            root_password_last_used: None,
            alias: None,
            closed: None,
            closed_by: None,
            regions: Default::default(),
        }))
        .unwrap();
    s.svc
        .put(Record::AccessKey(AccessKey {
            id: key.to_owned(),
            secret: Secret::new(secret.to_owned()),
            account: id.to_owned(),
            owner: KeyOwner::Root,
            status: KeyStatus::Active,
            created: s.svc.now(),
            last_used: None,
        }))
        .unwrap();
}

fn code<E: ProvideErrorMetadata>(e: &E) -> &str {
    e.code().unwrap_or("")
}

/// Assumes `OrganizationAccountAccessRole` in `account` as the admin.
async fn into_member(s: &Server, account: &str) -> aws_config::SdkConfig {
    let out = aws_sdk_sts::Client::new(&s.admin())
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("landing-zone")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
}

async fn root_id(org: &Client) -> String {
    let roots = org.list_roots().send().await.unwrap();
    roots.roots()[0].id().unwrap().to_owned()
}

async fn create_account(org: &Client, name: &str) -> String {
    let out = org
        .create_account()
        .email(format!("{name}@example.com"))
        .account_name(name)
        .send()
        .await
        .unwrap();
    let status = out.create_account_status().unwrap();
    assert_eq!(status.state().unwrap().as_str(), "IN_PROGRESS");
    let done = org
        .describe_create_account_status()
        .create_account_request_id(status.id().unwrap())
        .send()
        .await
        .unwrap();
    let done = done.create_account_status().unwrap();
    assert_eq!(done.state().unwrap().as_str(), "SUCCEEDED");
    done.account_id().unwrap().to_owned()
}

#[tokio::test]
async fn a_landing_zone_with_an_scp_that_bounds_member_accounts() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());

    // Not yet in an organization.
    let e = org
        .describe_organization()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AWSOrganizationsNotInUseException");

    let created = org.create_organization().send().await.unwrap();
    let o = created.organization().unwrap();
    assert!(o.id().unwrap().starts_with("o-"));
    assert_eq!(o.master_account_id(), Some(ACCOUNT));
    assert_eq!(o.feature_set().unwrap().as_str(), "ALL");
    let e = org
        .create_organization()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AlreadyInOrganizationException");

    let roots = org.list_roots().send().await.unwrap();
    let root = &roots.roots()[0];
    let root_id = root.id().unwrap().to_owned();
    assert_eq!(root.name(), Some("Root"));
    assert_eq!(
        root.policy_types()[0].r#type().unwrap(),
        &PolicyType::ServiceControlPolicy
    );

    // OUs: Security and Workloads, Workloads/Prod.
    let ou = |name: &'static str, parent: String| {
        let org = org.clone();
        async move {
            org.create_organizational_unit()
                .parent_id(parent)
                .name(name)
                .send()
                .await
                .unwrap()
                .organizational_unit()
                .unwrap()
                .id()
                .unwrap()
                .to_owned()
        }
    };
    let security = ou("Security", root_id.clone()).await;
    let workloads = ou("Workloads", root_id.clone()).await;
    let prod = ou("Prod", workloads.clone()).await;
    assert!(prod.starts_with(&format!("ou-{}-", root_id.trim_start_matches("r-"))));
    let e = org
        .create_organizational_unit()
        .parent_id(&root_id)
        .name("Security")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "DuplicateOrganizationalUnitException");
    let d = org
        .describe_organizational_unit()
        .organizational_unit_id(&prod)
        .send()
        .await
        .unwrap();
    assert_eq!(d.organizational_unit().unwrap().name(), Some("Prod"));

    // Accounts, moved into the OUs.
    let audit = create_account(&org, "audit").await;
    let app = create_account(&org, "app").await;
    for (account, dest) in [(&audit, &security), (&app, &prod)] {
        org.move_account()
            .account_id(account)
            .source_parent_id(&root_id)
            .destination_parent_id(dest)
            .send()
            .await
            .unwrap();
    }
    let e = org
        .move_account()
        .account_id(&app)
        .source_parent_id(&prod)
        .destination_parent_id(&prod)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "DuplicateAccountException");
    let parents = org.list_parents().child_id(&app).send().await.unwrap();
    assert_eq!(parents.parents()[0].id(), Some(prod.as_str()));
    let children = org
        .list_children()
        .parent_id(&workloads)
        .child_type(ChildType::OrganizationalUnit)
        .send()
        .await
        .unwrap();
    assert_eq!(children.children().len(), 1);
    let accounts = org.list_accounts().send().await.unwrap();
    assert_eq!(accounts.accounts().len(), 3);
    let described = org
        .describe_account()
        .account_id(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.account().unwrap().email(),
        Some("app@example.com")
    );

    // An SCP on Workloads that denies creating IAM users.
    let scp = org
        .create_policy()
        .name("DenyIamUsers")
        .description("no IAM users in workloads")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoUsers","Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let scp_id = scp
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.attach_policy()
        .policy_id(&scp_id)
        .target_id(&workloads)
        .send()
        .await
        .unwrap();
    let e = org
        .attach_policy()
        .policy_id(&scp_id)
        .target_id(&workloads)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "DuplicatePolicyAttachmentException");

    // In the app account (under Workloads/Prod) the SCP denies; in audit it does not.
    let app_iam = aws_sdk_iam::Client::new(&into_member(&s, &app).await);
    let e = app_iam
        .create_user()
        .user_name("bob")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("AccessDenied"));
    let msg = e.meta().message().unwrap();
    assert!(
        msg.contains("iam:CreateUser") && msg.contains("service control policy"),
        "{msg}"
    );
    app_iam.list_users().send().await.unwrap();
    let audit_iam = aws_sdk_iam::Client::new(&into_member(&s, &audit).await);
    audit_iam
        .create_user()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    // The management account is never bounded by SCPs.
    org.attach_policy()
        .policy_id(&scp_id)
        .target_id(ACCOUNT)
        .send()
        .await
        .unwrap();
    aws_sdk_iam::Client::new(&s.admin())
        .create_user()
        .user_name("carol")
        .send()
        .await
        .unwrap();

    // In the audit account, a user limited by a policy and a boundary.
    audit_iam
        .attach_user_policy()
        .user_name("bob")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    audit_iam
        .put_user_permissions_boundary()
        .user_name("bob")
        .permissions_boundary("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let key = audit_iam
        .create_access_key()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let bob =
        aws_sdk_iam::Client::new(&s.config(key.access_key_id(), key.secret_access_key(), None));
    let users = bob.list_users().send().await.unwrap();
    assert_eq!(
        users.users()[0].arn(),
        format!("arn:aws:iam::{audit}:user/bob")
    );
    let e = bob
        .create_user()
        .user_name("eve")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let msg = e.meta().message().unwrap();
    assert!(msg.contains("permissions boundary"), "{msg}");

    // Removing FullAWSAccess from Security leaves nothing allowed there.
    let e = org
        .detach_policy()
        .policy_id("p-FullAWSAccess")
        .target_id(&security)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "ConstraintViolationException");
    let only_read = org
        .create_policy()
        .name("ReadOnly")
        .description("")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:List*","iam:Get*"],"Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let only_read = only_read
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.attach_policy()
        .policy_id(&only_read)
        .target_id(&security)
        .send()
        .await
        .unwrap();
    org.detach_policy()
        .policy_id("p-FullAWSAccess")
        .target_id(&security)
        .send()
        .await
        .unwrap();
    let e = audit_iam
        .create_user()
        .user_name("dave")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("AccessDenied"));
    audit_iam.list_users().send().await.unwrap();

    // Policies in use cannot be deleted; listings show attachments.
    let e = org
        .delete_policy()
        .policy_id(&scp_id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "PolicyInUseException");
    let targets = org
        .list_targets_for_policy()
        .policy_id(&scp_id)
        .send()
        .await
        .unwrap();
    assert_eq!(targets.targets().len(), 2);
    let on_workloads = org
        .list_policies_for_target()
        .target_id(&workloads)
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let mut names: Vec<_> = on_workloads
        .policies()
        .iter()
        .map(|p| p.name().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["DenyIamUsers", "FullAWSAccess"]);
    let full = org
        .describe_policy()
        .policy_id("p-FullAWSAccess")
        .send()
        .await
        .unwrap();
    let summary = full.policy().unwrap().policy_summary().unwrap();
    assert!(summary.aws_managed());
    assert_eq!(
        summary.arn(),
        Some("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess")
    );

    // A member account may not read the organization's structure.
    let app_org = Client::new(&into_member(&s, &app).await);
    let e = app_org
        .list_accounts()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");
    let mine = app_org.describe_organization().send().await.unwrap();
    assert_eq!(
        mine.organization().unwrap().master_account_id(),
        Some(ACCOUNT)
    );

    // Empty OUs can go; the organization cannot while it has members.
    let e = org
        .delete_organizational_unit()
        .organizational_unit_id(&workloads)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "OrganizationalUnitNotEmptyException");
    let e = org
        .delete_organization()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "OrganizationNotEmptyException");
}

#[tokio::test]
async fn move_account_from_a_parent_that_is_not_the_accounts_is_source_parent_not_found() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let roots = org.list_roots().send().await.unwrap();
    let root_id = roots.roots()[0].id().unwrap().to_owned();
    let ou = |name: &'static str| {
        let org = org.clone();
        let root_id = root_id.clone();
        async move {
            org.create_organizational_unit()
                .parent_id(root_id)
                .name(name)
                .send()
                .await
                .unwrap()
                .organizational_unit()
                .unwrap()
                .id()
                .unwrap()
                .to_owned()
        }
    };
    let security = ou("Security").await;
    let workloads = ou("Workloads").await;
    let app = create_account(&org, "app").await;
    let missing_ou = format!("ou-{}-zzzzzzzz", root_id.trim_start_matches("r-"));
    let fails = |account: String, source: String, destination: String| {
        let org = org.clone();
        async move {
            org.move_account()
                .account_id(account)
                .source_parent_id(source)
                .destination_parent_id(destination)
                .send()
                .await
                .unwrap_err()
                .into_service_error()
        }
    };

    // Security exists but the account is under the root.
    let e = fails(app.clone(), security.clone(), workloads.clone()).await;
    assert_eq!(code(&e), "SourceParentNotFoundException");
    assert_eq!(
        e.message(),
        Some("We can't find a source root or OU with the ParentId that you specified.")
    );
    // The source is checked before the destination.
    let e = fails(app.clone(), security.clone(), missing_ou.clone()).await;
    assert_eq!(code(&e), "SourceParentNotFoundException");
    // The account is checked first.
    let e = fails("999999999999".into(), security.clone(), workloads.clone()).await;
    assert_eq!(code(&e), "AccountNotFoundException");
    let e = fails(app.clone(), root_id.clone(), missing_ou).await;
    assert_eq!(code(&e), "DestinationParentNotFoundException");
    let parents = org.list_parents().child_id(&app).send().await.unwrap();
    assert_eq!(parents.parents()[0].id(), Some(root_id.as_str()));

    // From its real parent it moves.
    org.move_account()
        .account_id(&app)
        .source_parent_id(&root_id)
        .destination_parent_id(&workloads)
        .send()
        .await
        .unwrap();
    let parents = org.list_parents().child_id(&app).send().await.unwrap();
    assert_eq!(parents.parents()[0].id(), Some(workloads.as_str()));
}

#[tokio::test]
async fn a_member_writing_a_malformed_policy_is_denied_before_the_document_is_read() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let app = create_account(&org, "app").await;
    let scp = org
        .create_policy()
        .name("DenyNothing")
        .description("a policy to update")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let scp_id = scp
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();

    // The member's role may do anything in IAM's eyes, but it is not the
    // management account: the document is never looked at.
    let member = Client::new(&into_member(&s, &app).await);
    let e = member
        .create_policy()
        .name("Mine")
        .description("")
        .r#type(PolicyType::ServiceControlPolicy)
        .content("{}")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");
    let e = member
        .update_policy()
        .policy_id(&scp_id)
        .content("{}")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");

    // The management account's document is checked.
    let e = org
        .create_policy()
        .name("Mine")
        .description("")
        .r#type(PolicyType::ServiceControlPolicy)
        .content("{}")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "MalformedPolicyDocumentException");
    let e = org
        .update_policy()
        .policy_id(&scp_id)
        .content("{}")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "MalformedPolicyDocumentException");
    let listed = org
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = listed.policies().iter().filter_map(|p| p.name()).collect();
    assert!(
        names.contains(&"DenyNothing") && !names.contains(&"Mine"),
        "{names:?}"
    );
}

/// A closed (SUSPENDED) member cannot be registered as a delegated
/// administrator (spec 03 §3.4): it would take a single-admin service's
/// only slot. The probe's D6.
#[tokio::test]
async fn a_closed_account_cannot_be_a_delegated_administrator() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let closed = create_account(&org, "closed-one").await;
    let open = create_account(&org, "breaking-glass").await;
    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    org.close_account()
        .account_id(&closed)
        .send()
        .await
        .unwrap();
    let e = org
        .register_delegated_administrator()
        .account_id(&closed)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let aws_sdk_organizations::operation::register_delegated_administrator::RegisterDelegatedAdministratorError::ConstraintViolationException(c) = e else {
        panic!("{e:?}")
    };
    assert_eq!(
        c.reason().unwrap().as_str(),
        "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR"
    );
    // The slot is still free for an active account.
    org.register_delegated_administrator()
        .account_id(&open)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let listed = org.list_delegated_administrators().send().await.unwrap();
    let ids: Vec<_> = listed
        .delegated_administrators()
        .iter()
        .filter_map(|a| a.id())
        .collect();
    assert_eq!(ids, [open.as_str()]);
}

#[tokio::test]
async fn trusted_access_and_delegated_administrators() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let admin_account = create_account(&org, "security-tooling").await;

    let e = org
        .register_delegated_administrator()
        .account_id(&admin_account)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "ConstraintViolationException");

    org.enable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let access = org
        .list_aws_service_access_for_organization()
        .send()
        .await
        .unwrap();
    assert_eq!(
        access.enabled_service_principals()[0].service_principal(),
        Some("iam.amazonaws.com")
    );
    let e = org
        .enable_aws_service_access()
        .service_principal("not a principal")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InvalidInputException");

    let e = org
        .register_delegated_administrator()
        .account_id(ACCOUNT)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "ConstraintViolationException");

    let delegate = Client::new(&into_member(&s, &admin_account).await);
    let e = delegate
        .list_accounts()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");

    org.register_delegated_administrator()
        .account_id(&admin_account)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let e = org
        .register_delegated_administrator()
        .account_id(&admin_account)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccountAlreadyRegisteredException");

    // A delegated administrator may read, not write.
    assert_eq!(
        delegate
            .list_accounts()
            .send()
            .await
            .unwrap()
            .accounts()
            .len(),
        2
    );
    let e = delegate
        .create_account()
        .email("x@example.com")
        .account_name("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");

    let admins = org
        .list_delegated_administrators()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        admins.delegated_administrators()[0].id(),
        Some(admin_account.as_str())
    );
    let services = org
        .list_delegated_services_for_account()
        .account_id(&admin_account)
        .send()
        .await
        .unwrap();
    assert_eq!(
        services.delegated_services()[0].service_principal(),
        Some("iam.amazonaws.com")
    );

    // Trusted access cannot be disabled while a delegated administrator exists.
    let e = org
        .disable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "ConstraintViolationException");
    assert_eq!(
        e.message(),
        Some(
            "You have delegated administrator/s for this service. De-register them in order to disable service access."
        )
    );
    org.deregister_delegated_administrator()
        .account_id(&admin_account)
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    let e = delegate
        .list_accounts()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");
    org.disable_aws_service_access()
        .service_principal("iam.amazonaws.com")
        .send()
        .await
        .unwrap();
    assert!(
        org.list_aws_service_access_for_organization()
            .send()
            .await
            .unwrap()
            .enabled_service_principals()
            .is_empty()
    );
}

#[tokio::test]
async fn accounts_page_with_next_token() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    for n in 0..24 {
        org.create_account()
            .email(format!("a{n}@example.com"))
            .account_name(format!("a{n}"))
            .send()
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let out = org
            .list_accounts()
            .max_results(10)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        pages += 1;
        seen.extend(out.accounts().iter().map(|a| a.id().unwrap().to_owned()));
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25);
    let e = org
        .list_accounts()
        .max_results(21)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InvalidInputException");
    let e = org
        .list_accounts()
        .next_token("forged")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InvalidInputException");
    // A token answers only the operation that issued it: ListAccounts'
    // token given to ListRoots or ListCreateAccountStatus, and theirs given
    // back, are refused (ListRoots used to answer no root).
    let accounts_token = org
        .list_accounts()
        .max_results(1)
        .send()
        .await
        .unwrap()
        .next_token()
        .unwrap()
        .to_owned();
    let e = org
        .list_roots()
        .next_token(&accounts_token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InvalidInputException");
    let statuses_token = org
        .list_create_account_status()
        .max_results(1)
        .send()
        .await
        .unwrap()
        .next_token()
        .unwrap()
        .to_owned();
    for e in [
        org.list_accounts()
            .next_token(&statuses_token)
            .send()
            .await
            .unwrap_err()
            .into_service_error()
            .code()
            .map(str::to_owned),
        org.list_create_account_status()
            .next_token(&accounts_token)
            .send()
            .await
            .unwrap_err()
            .into_service_error()
            .code()
            .map(str::to_owned),
    ] {
        assert_eq!(e.as_deref(), Some("InvalidInputException"));
    }
    // The same email cannot make a second account.
    let out = org
        .create_account()
        .email("a0@example.com")
        .account_name("again")
        .send()
        .await
        .unwrap();
    // Answered IN_PROGRESS like any request; the status then says FAILED.
    assert_eq!(
        out.create_account_status()
            .unwrap()
            .state()
            .unwrap()
            .as_str(),
        "IN_PROGRESS"
    );
    let id = out
        .create_account_status()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let st = org
        .describe_create_account_status()
        .create_account_request_id(id)
        .send()
        .await
        .unwrap();
    let st = st.create_account_status().unwrap();
    assert_eq!(st.state().unwrap().as_str(), "FAILED");
    assert_eq!(
        st.failure_reason().unwrap().as_str(),
        "EMAIL_ALREADY_EXISTS"
    );
}

/// A clean-up that changes each page before it asks for the next (the SDK's
/// paginator, as a landing-zone script moves accounts out of a unit and
/// detaches a policy from its targets) misses nothing: the token names the
/// next page's first item, not a count of items that no longer holds.
#[tokio::test]
async fn a_clean_up_changing_each_page_before_the_next_misses_nothing() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let root = root_id(&org).await;
    let ou = org
        .create_organizational_unit()
        .parent_id(&root)
        .name("leaving")
        .send()
        .await
        .unwrap()
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let policy = org
        .create_policy()
        .name("guard")
        .description("d")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let mut accounts = Vec::new();
    for n in 0..7 {
        let id = create_account(&org, &format!("leaver{n}")).await;
        org.move_account()
            .account_id(&id)
            .source_parent_id(&root)
            .destination_parent_id(&ou)
            .send()
            .await
            .unwrap();
        org.attach_policy()
            .policy_id(&policy)
            .target_id(&id)
            .send()
            .await
            .unwrap();
        accounts.push(id);
    }
    // Move each page's accounts back to the root before the next page.
    let mut moved = Vec::new();
    let mut pages = org
        .list_accounts_for_parent()
        .parent_id(&ou)
        .max_results(2)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for a in page.unwrap().accounts() {
            let id = a.id().unwrap().to_owned();
            org.move_account()
                .account_id(&id)
                .source_parent_id(&ou)
                .destination_parent_id(&root)
                .send()
                .await
                .unwrap();
            moved.push(id);
        }
    }
    moved.sort();
    accounts.sort();
    assert_eq!(moved, accounts, "every account was moved");
    // A token answers only the listing that issued it: one of the root's
    // accounts is refused by its units' listing.
    let first = org
        .list_children()
        .parent_id(&root)
        .child_type(ChildType::Account)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let token = first.next_token().unwrap().to_owned();
    let e = org
        .list_children()
        .parent_id(&root)
        .child_type(ChildType::OrganizationalUnit)
        .next_token(&token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InvalidInputException");
    org.list_children()
        .parent_id(&root)
        .child_type(ChildType::Account)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    // Detach the policy from each page's targets before the next page.
    let mut detached = Vec::new();
    let mut pages = org
        .list_targets_for_policy()
        .policy_id(&policy)
        .max_results(3)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for t in page.unwrap().targets() {
            let id = t.target_id().unwrap().to_owned();
            org.detach_policy()
                .policy_id(&policy)
                .target_id(&id)
                .send()
                .await
                .unwrap();
            detached.push(id);
        }
    }
    detached.sort();
    assert_eq!(detached, accounts, "every target was detached");
    let left = org
        .list_targets_for_policy()
        .policy_id(&policy)
        .send()
        .await
        .unwrap();
    assert!(left.targets().is_empty());
}

/// CloseAccount: the member is closed at once (State CLOSED, Status
/// SUSPENDED in DescribeAccount and the listings), stays in the
/// organization, and its principals are refused, even once it is removed;
/// the management account cannot be closed, nor an account twice, nor more
/// than the 30-day quota (10 for a small organization).
#[tokio::test]
async fn close_account_suspends_the_member_and_refuses_its_principals() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(create_account(&org, &format!("closing{n}")).await);
    }
    let member = into_member(&s, &ids[0]).await;
    let sts = aws_sdk_sts::Client::new(&member);
    sts.get_caller_identity().send().await.unwrap();

    org.close_account()
        .account_id(&ids[0])
        .send()
        .await
        .unwrap();
    let d = org
        .describe_account()
        .account_id(&ids[0])
        .send()
        .await
        .unwrap();
    let a = d.account().unwrap();
    // State CLOSED (the post-closure period), the deprecated Status SUSPENDED.
    assert_eq!(a.state().unwrap().as_str(), "CLOSED");
    #[allow(deprecated)]
    let status = a.status().unwrap().as_str().to_owned();
    assert_eq!(status, "SUSPENDED");
    let listed = org.list_accounts().send().await.unwrap();
    let states: Vec<(&str, &str)> = listed
        .accounts()
        .iter()
        .map(|a| (a.id().unwrap(), a.state().unwrap().as_str()))
        .collect();
    assert!(states.contains(&(ids[0].as_str(), "CLOSED")));
    assert!(states.contains(&(ids[1].as_str(), "ACTIVE")));
    let e = org
        .close_account()
        .account_id(&ids[0])
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccountAlreadyClosedException");
    // Its role session no longer works, nor is a new one issued.
    let r = sts.get_caller_identity().send().await;
    assert_eq!(
        r.unwrap_err().into_service_error().meta().code(),
        Some("InvalidClientTokenId")
    );
    let r = aws_sdk_sts::Client::new(&s.admin())
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
            ids[0]
        ))
        .role_session_name("after")
        .send()
        .await;
    assert_eq!(
        r.unwrap_err().into_service_error().meta().code(),
        Some("AccessDenied")
    );
    // Removed from the organization, it stays closed: the closure is the
    // account's, not its membership's.
    org.remove_account_from_organization()
        .account_id(&ids[0])
        .send()
        .await
        .unwrap();
    let r = sts.get_caller_identity().send().await;
    assert_eq!(
        r.unwrap_err().into_service_error().meta().code(),
        Some("InvalidClientTokenId")
    );

    let e = org
        .close_account()
        .account_id(ACCOUNT)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "ConstraintViolationException");
    let aws_sdk_organizations::operation::close_account::CloseAccountError::ConstraintViolationException(c) = e else {
        panic!("{e:?}")
    };
    assert_eq!(
        c.reason().unwrap().as_str(),
        "CANNOT_CLOSE_MANAGEMENT_ACCOUNT"
    );
    let e = org
        .close_account()
        .account_id("123456789012")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccountNotFoundException");
    // A member cannot close another.
    let other = Client::new(&into_member(&s, &ids[1]).await);
    let e = other
        .close_account()
        .account_id(&ids[2])
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");
    // Ten in 30 days (12 members: a tenth is less than 10), the removed
    // one among them: a removal gives no closure back.
    for id in &ids[1..10] {
        org.close_account().account_id(id).send().await.unwrap();
    }
    let e = org
        .close_account()
        .account_id(&ids[10])
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let aws_sdk_organizations::operation::close_account::CloseAccountError::ConstraintViolationException(c) = e else {
        panic!("{e:?}")
    };
    assert_eq!(c.reason().unwrap().as_str(), "CLOSE_ACCOUNT_QUOTA_EXCEEDED");
    // Kept across a restart.
    let again = s.reopen().await;
    let d = Client::new(&again.admin())
        .describe_account()
        .account_id(&ids[1])
        .send()
        .await
        .unwrap();
    assert_eq!(d.account().unwrap().state().unwrap().as_str(), "CLOSED");
}

/// A cross-account AssumeRole is recorded in both accounts, linked by one
/// `sharedEventID`: the member sees who assumed its role.
#[tokio::test]
async fn a_cross_account_assume_role_is_recorded_in_the_roles_account_too() {
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let member = create_account(&org, "traced").await;
    let session = into_member(&s, &member).await;
    let by_name = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::EventName)
        .attribute_value("AssumeRole")
        .build()
        .unwrap();
    let records = |cfg: aws_config::SdkConfig| {
        let by_name = by_name.clone();
        async move {
            let out = aws_sdk_cloudtrail::Client::new(&cfg)
                .lookup_events()
                .lookup_attributes(by_name)
                .send()
                .await
                .unwrap();
            out.events()
                .iter()
                .map(|e| {
                    serde_json::from_str::<serde_json::Value>(e.cloud_trail_event().unwrap())
                        .unwrap()
                })
                .collect::<Vec<_>>()
        }
    };
    let theirs = records(session).await;
    assert_eq!(theirs.len(), 1, "{theirs:?}");
    let mine = records(s.admin()).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    let (t, m) = (&theirs[0], &mine[0]);
    assert_eq!(t["recipientAccountId"], member.as_str());
    assert_eq!(m["recipientAccountId"], ACCOUNT);
    assert!(t["sharedEventID"].is_string());
    assert_eq!(t["sharedEventID"], m["sharedEventID"]);
    assert_ne!(t["eventID"], m["eventID"]);
    assert_eq!(t["userIdentity"]["accountId"], ACCOUNT);
    assert_eq!(
        t["responseElements"]["assumedRoleUser"]["arn"],
        format!("arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/landing-zone")
    );
    assert!(!t.to_string().contains("sessionToken"));
}

#[tokio::test]
async fn a_standalone_account_joins_by_invitation() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    standalone(
        &s,
        "222222222222",
        "AKIASTANDALONE000001",
        "standaloneSecret000000000000000000000000",
    );
    standalone(
        &s,
        "333333333333",
        "AKIASTANDALONE000002",
        "standaloneSecret000000000000000000000001",
    );
    let guest = Client::new(&s.config(
        "AKIASTANDALONE000001",
        "standaloneSecret000000000000000000000000",
        None,
    ));
    let other = Client::new(&s.config(
        "AKIASTANDALONE000002",
        "standaloneSecret000000000000000000000001",
        None,
    ));

    let invite = |target: &str, kind: HandshakePartyType| {
        org.invite_account_to_organization()
            .target(
                HandshakeParty::builder()
                    .id(target)
                    .r#type(kind)
                    .build()
                    .unwrap(),
            )
            .notes("welcome")
    };
    let h = invite("222222222222", HandshakePartyType::Account)
        .send()
        .await
        .unwrap();
    let h = h.handshake().unwrap();
    assert_eq!(h.state().unwrap().as_str(), "OPEN");
    let e = invite("root+222222222222@example.com", HandshakePartyType::Email)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "DuplicateHandshakeException");

    let mine = guest.list_handshakes_for_account().send().await.unwrap();
    assert_eq!(mine.handshakes().len(), 1);
    let id = mine.handshakes()[0].id().unwrap().to_owned();
    // Only the invited account may accept.
    let e = other
        .accept_handshake()
        .handshake_id(&id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "HandshakeNotFoundException");
    let accepted = guest
        .accept_handshake()
        .handshake_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        accepted.handshake().unwrap().state().unwrap().as_str(),
        "ACCEPTED"
    );
    let e = guest
        .accept_handshake()
        .handshake_id(&id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InvalidHandshakeTransitionException");

    let joined = org
        .describe_account()
        .account_id("222222222222")
        .send()
        .await
        .unwrap();
    assert_eq!(
        joined.account().unwrap().joined_method().unwrap().as_str(),
        "INVITED"
    );
    let e = invite("222222222222", HandshakePartyType::Account)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "HandshakeConstraintViolationException");

    // Declined invitations do not join; the member can leave again.
    let h = invite("333333333333", HandshakePartyType::Account)
        .send()
        .await
        .unwrap();
    other
        .decline_handshake()
        .handshake_id(h.handshake().unwrap().id().unwrap())
        .send()
        .await
        .unwrap();
    let e = org
        .describe_account()
        .account_id("333333333333")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccountNotFoundException");
    guest.leave_organization().send().await.unwrap();
    assert_eq!(
        org.list_accounts().send().await.unwrap().accounts().len(),
        1
    );
    org.delete_organization().send().await.unwrap();
    let e = org
        .list_roots()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AWSOrganizationsNotInUseException");
}

#[tokio::test]
async fn the_json_protocol_answers_in_its_own_envelope() {
    let s = Server::start().await;
    let target = |op: &'static str| format!("AWSOrganizationsV20161128.{op}");
    let ct = ("content-type", "application/x-amz-json-1.1");

    let t = target("NoSuchOperation");
    let r = s
        .raw_post("organizations", &[ct, ("x-amz-target", &t)], b"{}")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "UnknownOperationException");
    assert!(r.header("x-amzn-requestid").is_some());

    let t = target("CreateOrganization");
    let r = s
        .raw_post(
            "organizations",
            &[ct, ("x-amz-target", &t)],
            b"{\"FeatureSet\":",
        )
        .await;
    assert_eq!(
        (r.status, r.json()["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    let r = s
        .raw_post(
            "organizations",
            &[ct, ("x-amz-target", &t)],
            b"{\"FeatureSet\":7}",
        )
        .await;
    assert_eq!(r.json()["__type"], "SerializationException");
    let r = s
        .raw_post(
            "organizations",
            &[ct, ("x-amz-target", &t)],
            b"{\"FeatureSet\":\"HALF\"}",
        )
        .await;
    assert_eq!(r.json()["__type"], "InvalidInputException");
    assert_eq!(r.json()["Reason"], "INVALID_ENUM");

    let r = s
        .raw_post("organizations", &[ct, ("x-amz-target", &t)], b"")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(r.json()["Organization"]["FeatureSet"], "ALL");

    let t = target("CreateOrganizationalUnit");
    let r = s
        .raw_post(
            "organizations",
            &[ct, ("x-amz-target", &t)],
            b"{\"Name\":\"x\"}",
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "InvalidInputException");
    assert_eq!(r.json()["Reason"], "INPUT_REQUIRED");

    let t = target("EnableAWSServiceAccess");
    let r = s
        .raw_post(
            "organizations",
            &[ct, ("x-amz-target", &t)],
            br#"{"ServicePrincipal":"iam.amazonaws.com"}"#,
        )
        .await;
    assert_eq!((r.status, r.body.as_str()), (200, ""));
}

/// The global keys every signed request carries take part in SCPs: AWS's
/// example "deny unless called by an AWS service" (`aws:PrincipalIsAWSService`
/// and `aws:ViaAWSService` false) applies to a member's own calls, and
/// `aws:ResourceOrgID` / `aws:ResourceOrgPaths` name the organization and OU
/// path of the account whose resource is acted on. Before, the first two were
/// missing, so such a Deny never matched (a condition on a missing key does
/// not): the SCP failed open.
#[tokio::test]
async fn scps_see_the_global_keys_of_every_signed_request() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    let o = org.create_organization().send().await.unwrap();
    let org_id = o.organization().unwrap().id().unwrap().to_owned();
    let root = root_id(&org).await;
    let ou = org
        .create_organizational_unit()
        .parent_id(&root)
        .name("Bounded")
        .send()
        .await
        .unwrap()
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let member = create_account(&org, "bounded").await;
    org.move_account()
        .account_id(&member)
        .source_parent_id(&root)
        .destination_parent_id(&ou)
        .send()
        .await
        .unwrap();
    let scp = format!(
        r#"{{"Version":"2012-10-17","Statement":[
            {{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*",
              "Condition":{{"Bool":{{"aws:PrincipalIsAWSService":"false","aws:ViaAWSService":"false"}}}}}},
            {{"Effect":"Deny","Action":"iam:ListRoles","Resource":"*",
              "Condition":{{"StringEquals":{{"aws:ResourceOrgID":"{org_id}"}},
                            "ForAnyValue:StringLike":{{"aws:ResourceOrgPaths":"{org_id}/{root}/{ou}/*"}}}}}},
            {{"Effect":"Deny","Action":"iam:ListGroups","Resource":"*",
              "Condition":{{"Null":{{"aws:ResourceOrgID":"true"}}}}}}]}}"#
    );
    let p = org
        .create_policy()
        .name("keys")
        .description("global keys")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(scp)
        .send()
        .await
        .unwrap();
    let pid = p
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.attach_policy()
        .policy_id(&pid)
        .target_id(&ou)
        .send()
        .await
        .unwrap();
    let iam = aws_sdk_iam::Client::new(&into_member(&s, &member).await);
    let denied = |r: Result<(), String>| assert_eq!(r.unwrap_err(), "AccessDenied");
    denied(
        iam.list_users()
            .send()
            .await
            .map(|_| ())
            .map_err(|e| e.into_service_error().code().unwrap_or("").to_owned()),
    );
    denied(
        iam.list_roles()
            .send()
            .await
            .map(|_| ())
            .map_err(|e| e.into_service_error().code().unwrap_or("").to_owned()),
    );
    // The resource's account is in the organization: the key is present.
    iam.list_groups().send().await.unwrap();
    // Calls the SCP does not name still pass.
    iam.list_policies().send().await.unwrap();
}
