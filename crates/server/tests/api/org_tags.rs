//! Organizations tags on accounts, OUs, roots and policies, through the SDK.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::error::ProvideErrorMetadata;
use aws_sdk_organizations::types::Tag;

use crate::common::Server;

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

fn code<E: ProvideErrorMetadata>(e: &E) -> String {
    e.code().unwrap_or("").to_owned()
}

async fn tags_of(org: &Client, id: &str) -> Vec<(String, String)> {
    let out = org
        .list_tags_for_resource()
        .resource_id(id)
        .send()
        .await
        .unwrap();
    out.tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

#[tokio::test]
async fn accounts_ous_roots_and_policies_take_tags_on_create_and_later() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();

    let ou = org
        .create_organizational_unit()
        .parent_id(&root)
        .name("Workloads")
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    let ou = ou.organizational_unit().unwrap().id().unwrap().to_owned();
    assert_eq!(tags_of(&org, &ou).await, [("env".into(), "prod".into())]);

    let req = org
        .create_account()
        .email("tagged@example.com")
        .account_name("tagged")
        .tags(tag("cost-center", "42"))
        .send()
        .await
        .unwrap();
    let req = req
        .create_account_status()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let st = org
        .describe_create_account_status()
        .create_account_request_id(&req)
        .send()
        .await
        .unwrap();
    let account = st
        .create_account_status()
        .unwrap()
        .account_id()
        .unwrap()
        .to_owned();
    assert_eq!(
        tags_of(&org, &account).await,
        [("cost-center".into(), "42".into())]
    );

    let scp = org
        .create_policy()
        .name("DenyLeave")
        .description("")
        .r#type(aws_sdk_organizations::types::PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#)
        .tags(tag("owner", "security"))
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
    assert_eq!(
        tags_of(&org, &scp).await,
        [("owner".into(), "security".into())]
    );

    assert!(tags_of(&org, &root).await.is_empty());
    org.tag_resource()
        .resource_id(&root)
        .tags(tag("org", "main"))
        .tags(tag("tier", "1"))
        .send()
        .await
        .unwrap();
    org.tag_resource()
        .resource_id(&root)
        .tags(tag("tier", "2"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags_of(&org, &root).await,
        [("org".into(), "main".into()), ("tier".into(), "2".into())]
    );
    org.untag_resource()
        .resource_id(&root)
        .tag_keys("org")
        .tag_keys("absent")
        .send()
        .await
        .unwrap();
    assert_eq!(tags_of(&org, &root).await, [("tier".into(), "2".into())]);

    // Paging.
    let many: Vec<Tag> = (0..25).map(|i| tag(&format!("k{i:02}"), "v")).collect();
    org.tag_resource()
        .resource_id(&ou)
        .set_tags(Some(many))
        .send()
        .await
        .unwrap();
    let first = org
        .list_tags_for_resource()
        .resource_id(&ou)
        .send()
        .await
        .unwrap();
    assert_eq!(first.tags().len(), 20);
    let next = org
        .list_tags_for_resource()
        .resource_id(&ou)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(next.tags().len(), 6);
    assert!(next.next_token().is_none());

    // Leaving the organization drops the account's tags.
    org.remove_account_from_organization()
        .account_id(&account)
        .send()
        .await
        .unwrap();
    let e = org
        .list_tags_for_resource()
        .resource_id(&account)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "TargetNotFoundException");
}

#[tokio::test]
async fn tagging_answers_organizations_errors() {
    let s = Server::start().await;
    let org = Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();

    let e = org
        .tag_resource()
        .resource_id("ou-abcd-12345678")
        .tags(tag("k", "v"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "TargetNotFoundException");
    let e = org
        .list_tags_for_resource()
        .resource_id("999999999999")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "TargetNotFoundException");
    let e = org
        .tag_resource()
        .resource_id("not an id")
        .tags(tag("k", "v"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "InvalidInputException");
    assert!(e.meta().message().is_some());

    let e = org
        .tag_resource()
        .resource_id(&root)
        .tags(tag("k", "a"))
        .tags(tag("k", "b"))
        .send()
        .await
        .unwrap_err();
    let raw = format!("{e:?}");
    assert_eq!(code(&e.into_service_error()), "InvalidInputException");
    assert!(raw.contains("DUPLICATE_TAG_KEY"), "{raw}");
    let e = org
        .tag_resource()
        .resource_id(&root)
        .tags(tag(&"k".repeat(129), "v"))
        .send()
        .await
        .unwrap_err();
    assert!(format!("{e:?}").contains("MAX_LENGTH_EXCEEDED"));

    let fifty: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
    org.tag_resource()
        .resource_id(&root)
        .set_tags(Some(fifty))
        .send()
        .await
        .unwrap();
    let e = org
        .tag_resource()
        .resource_id(&root)
        .tags(tag("one-more", "v"))
        .send()
        .await
        .unwrap_err();
    let raw = format!("{e:?}");
    assert_eq!(
        code(&e.into_service_error()),
        "ConstraintViolationException"
    );
    assert!(raw.contains("MAX_TAG_LIMIT_EXCEEDED"), "{raw}");

    // A member account (not the management account) cannot tag.
    let req = org
        .create_account()
        .email("member@example.com")
        .account_name("member")
        .send()
        .await
        .unwrap();
    let st = org
        .describe_create_account_status()
        .create_account_request_id(req.create_account_status().unwrap().id().unwrap())
        .send()
        .await
        .unwrap();
    let member = st
        .create_account_status()
        .unwrap()
        .account_id()
        .unwrap()
        .to_owned();
    let creds = aws_sdk_sts::Client::new(&s.admin())
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("tagger")
        .send()
        .await
        .unwrap();
    let c = creds.credentials().unwrap();
    let as_member = Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    let e = as_member
        .tag_resource()
        .resource_id(&member)
        .tags(tag("k", "v"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(code(&e), "AccessDeniedException");
}
