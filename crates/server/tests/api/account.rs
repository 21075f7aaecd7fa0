//! AWS Account Management over REST-JSON (issue 14 §3), through
//! aws-sdk-account: contacts of one's own account and of a member account
//! from the management account, the trail with contact details hidden.

use aws_sdk_account::Client;
use aws_sdk_account::types::{AlternateContactType, ContactInformation, RegionOptStatus};
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use serde_json::Value;

use crate::common::{Server, code, root};

#[tokio::test]
async fn alternate_contacts_are_put_read_and_deleted_through_the_sdk() {
    let s = Server::start().await;
    let account = Client::new(&s.admin());
    assert_eq!(
        code(
            account
                .get_alternate_contact()
                .alternate_contact_type(AlternateContactType::Security)
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    account
        .put_alternate_contact()
        .alternate_contact_type(AlternateContactType::Security)
        .name("Sec Team")
        .title("CISO")
        .email_address("sec@example.com")
        .phone_number("+1 555 0100")
        .send()
        .await
        .unwrap();
    let got = account
        .get_alternate_contact()
        .alternate_contact_type(AlternateContactType::Security)
        .send()
        .await
        .unwrap();
    let c = got.alternate_contact().unwrap();
    assert_eq!(c.email_address(), Some("sec@example.com"));
    assert_eq!(
        c.alternate_contact_type(),
        Some(&AlternateContactType::Security)
    );
    account
        .delete_alternate_contact()
        .alternate_contact_type(AlternateContactType::Security)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            account
                .get_alternate_contact()
                .alternate_contact_type(AlternateContactType::Security)
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn contact_information_of_a_member_is_kept_by_the_management_account() {
    let s = Server::start().await;
    let org = aws_sdk_organizations::Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let member = root::created(&org, "contacts").await;
    let account = Client::new(&s.admin());
    let get = || account.get_contact_information().account_id(&member).send();
    // Not before trusted access for Account Management.
    assert_eq!(code(get().await), "AccessDeniedException");
    org.enable_aws_service_access()
        .service_principal("account.amazonaws.com")
        .send()
        .await
        .unwrap();
    let info = ContactInformation::builder()
        .full_name("Jane Doe")
        .address_line1("1 Main St")
        .city("Seattle")
        .postal_code("98101")
        .country_code("US")
        .phone_number("+1 206 555 0100")
        .build()
        .unwrap();
    account
        .put_contact_information()
        .account_id(&member)
        .contact_information(info)
        .send()
        .await
        .unwrap();
    let got = get().await.unwrap();
    let c = got.contact_information().unwrap();
    assert_eq!(c.city(), "Seattle");
    assert_eq!(c.address_line2(), None);
    // The model's constraints, in Account's words.
    assert_eq!(
        code(
            account
                .get_contact_information()
                .account_id("not-an-account")
                .send()
                .await
        ),
        "ValidationException"
    );

    // Recorded in us-east-1 with the contact details hidden.
    let trail = aws_sdk_cloudtrail::Client::new(&s.admin());
    let out = trail
        .lookup_events()
        .lookup_attributes(
            LookupAttribute::builder()
                .attribute_key(LookupAttributeKey::EventName)
                .attribute_value("PutContactInformation")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let text = out.events()[0].cloud_trail_event().unwrap();
    assert!(!text.contains("Seattle"), "{text}");
    let e: Value = serde_json::from_str(text).unwrap();
    assert_eq!(e["eventSource"], "account.amazonaws.com");
    assert_eq!(e["awsRegion"], "us-east-1");
    assert_eq!(e["requestParameters"]["accountId"], member.as_str());
    assert_eq!(
        e["requestParameters"]["contactInformation"]["city"],
        "HIDDEN_DUE_TO_SECURITY_REASONS"
    );
}

#[tokio::test]
async fn an_account_operation_not_served_is_a_rest_json_error() {
    let s = Server::start().await;
    let account = Client::new(&s.admin());
    assert_eq!(
        code(
            account
                .start_primary_email_update()
                .account_id("222222222222")
                .primary_email("new@example.com")
                .send()
                .await
        ),
        "UnknownOperationException"
    );
}

/// The account's name, id, state and e-mail, as landing-zone automation
/// reads and renames member accounts; the regions and their opt status.
#[tokio::test]
async fn account_information_name_email_and_regions() {
    let s = Server::start().await;
    let org = aws_sdk_organizations::Client::new(&s.admin());
    org.create_organization().send().await.unwrap();
    let member = root::created(&org, "naming").await;
    let account = Client::new(&s.admin());
    let mine = account.get_account_information().send().await.unwrap();
    assert_eq!(mine.account_id(), Some(crate::common::ACCOUNT));
    assert_eq!(mine.account_state().map(|s| s.as_str()), Some("ACTIVE"));
    assert!(mine.account_created_date().is_some());
    // A member's, once trusted access is on.
    assert_eq!(
        code(account.get_primary_email().account_id(&member).send().await),
        "AccessDeniedException"
    );
    org.enable_aws_service_access()
        .service_principal("account.amazonaws.com")
        .send()
        .await
        .unwrap();
    let email = account
        .get_primary_email()
        .account_id(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(email.primary_email(), Some("naming@example.com"));
    account
        .put_account_name()
        .account_id(&member)
        .account_name("Renamed Workload")
        .send()
        .await
        .unwrap();
    let info = account
        .get_account_information()
        .account_id(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(info.account_name(), Some("Renamed Workload"));
    // Organizations shows the same name.
    let d = org
        .describe_account()
        .account_id(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(d.account().unwrap().name(), Some("Renamed Workload"));
    assert_eq!(
        code(
            account
                .put_account_name()
                .account_name("bad\u{7f}")
                .send()
                .await
        ),
        "ValidationException"
    );
    // Regions: the default ones and the opt-in ones (none enabled yet).
    let mut names = Vec::new();
    let mut pages = account
        .list_regions()
        .max_results(10)
        .into_paginator()
        .send();
    while let Some(p) = pages.next().await {
        for r in p.unwrap().regions() {
            names.push((
                r.region_name().unwrap().to_owned(),
                r.region_opt_status().unwrap().as_str().to_owned(),
            ));
        }
    }
    assert!(names.contains(&("us-east-1".into(), "ENABLED_BY_DEFAULT".into())));
    assert!(names.contains(&("af-south-1".into(), "DISABLED".into())));
    let disabled = account
        .list_regions()
        .region_opt_status_contains(aws_sdk_account::types::RegionOptStatus::Disabled)
        .max_results(50)
        .send()
        .await
        .unwrap();
    assert!(
        disabled
            .regions()
            .iter()
            .all(|r| r.region_opt_status().unwrap().as_str() == "DISABLED")
    );
    let st = account
        .get_region_opt_status()
        .region_name("eu-west-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        st.region_opt_status().unwrap().as_str(),
        "ENABLED_BY_DEFAULT"
    );
}

async fn opt_status(account: &Client, region: &str) -> String {
    account
        .get_region_opt_status()
        .region_name(region)
        .send()
        .await
        .unwrap()
        .region_opt_status()
        .unwrap()
        .as_str()
        .to_owned()
}

async fn listed(account: &Client, status: RegionOptStatus) -> Vec<String> {
    account
        .list_regions()
        .region_opt_status_contains(status)
        .max_results(50)
        .send()
        .await
        .unwrap()
        .regions()
        .iter()
        .map(|r| r.region_name().unwrap().to_owned())
        .collect()
}

/// An opt-in region enabled and disabled again: ENABLING then ENABLED,
/// DISABLING then DISABLED (each change completes 5 seconds after it was
/// asked for), kept across a restart, in `ListRegions`' filter and EC2's
/// `DescribeRegions`; a default region cannot be changed and a change
/// against one in progress is a conflict.
#[tokio::test]
async fn an_opt_in_region_is_enabled_and_disabled() {
    let s = Server::start().await;
    let account = Client::new(&s.admin());
    assert_eq!(opt_status(&account, "af-south-1").await, "DISABLED");
    account
        .enable_region()
        .region_name("af-south-1")
        .send()
        .await
        .unwrap();
    assert_eq!(opt_status(&account, "af-south-1").await, "ENABLING");
    assert_eq!(
        listed(&account, RegionOptStatus::Enabling).await,
        ["af-south-1"]
    );
    // Enabling again while it is enabling changes nothing; disabling now
    // conflicts.
    account
        .enable_region()
        .region_name("af-south-1")
        .send()
        .await
        .unwrap();
    let e = account
        .disable_region()
        .region_name("af-south-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_conflict_exception(), "{e:?}");
    s.clock.advance(6);
    assert_eq!(opt_status(&account, "af-south-1").await, "ENABLED");
    assert_eq!(
        listed(&account, RegionOptStatus::Enabled).await,
        ["af-south-1"]
    );
    assert!(
        !listed(&account, RegionOptStatus::Disabled)
            .await
            .contains(&"af-south-1".to_owned())
    );
    // EC2 lists it as opted in, also without AllRegions.
    let r = s
        .raw_post(
            "ec2",
            &[("content-type", "application/x-www-form-urlencoded")],
            b"Action=DescribeRegions&Version=2016-11-15",
        )
        .await;
    assert_eq!(r.body.matches("<item>").count(), 18, "{}", r.body);
    assert!(
        r.body.contains(
            "<regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint><optInStatus>opted-in</optInStatus>"
        ),
        "{}",
        r.body
    );

    // Kept on the account record: a restart keeps it.
    let s2 = s.reopen().await;
    let account2 = Client::new(&s2.admin());
    // (Its clock is a new one: moved on as the first server's was.)
    s2.clock.advance(6);
    assert_eq!(opt_status(&account2, "af-south-1").await, "ENABLED");

    // Disabled: DISABLING, then DISABLED; enabling meanwhile conflicts.
    account2
        .disable_region()
        .region_name("af-south-1")
        .send()
        .await
        .unwrap();
    assert_eq!(opt_status(&account2, "af-south-1").await, "DISABLING");
    let e = account2
        .enable_region()
        .region_name("af-south-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_conflict_exception(), "{e:?}");
    s2.clock.advance(6);
    assert_eq!(opt_status(&account2, "af-south-1").await, "DISABLED");

    // A region enabled by default is never changed.
    use aws_sdk_account::operation::disable_region::DisableRegionError;
    use aws_sdk_account::operation::enable_region::EnableRegionError;
    let e = account2
        .enable_region()
        .region_name("eu-west-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let EnableRegionError::ValidationException(v) = e else {
        panic!("{e:?}");
    };
    assert_eq!(
        v.reason().map(|r| r.as_str()),
        Some("invalidRegionOptTarget")
    );
    let e = account2
        .disable_region()
        .region_name("us-east-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let DisableRegionError::ValidationException(v) = e else {
        panic!("{e:?}");
    };
    assert_eq!(
        v.reason().map(|r| r.as_str()),
        Some("invalidRegionOptTarget")
    );
    assert_eq!(
        opt_status(&account2, "eu-west-1").await,
        "ENABLED_BY_DEFAULT"
    );
    // A region this endpoint does not know.
    assert_eq!(
        code(
            account2
                .enable_region()
                .region_name("xx-nowhere-1")
                .send()
                .await
        ),
        "ValidationException"
    );
}

/// A script that enables each page of disabled regions before asking for
/// the next misses none (the token names the next region, not a position
/// that the enabled ones no longer hold), and a token is good only for the
/// listing that issued it.
#[tokio::test]
async fn enabling_each_page_of_disabled_regions_misses_none() {
    let s = Server::start().await;
    let account = Client::new(&s.admin());
    let all_disabled = listed(&account, RegionOptStatus::Disabled).await;
    assert!(all_disabled.len() > 6, "{all_disabled:?}");
    let mut enabled = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = account
            .list_regions()
            .region_opt_status_contains(RegionOptStatus::Disabled)
            .max_results(3)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        for r in page.regions() {
            let name = r.region_name().unwrap().to_owned();
            account
                .enable_region()
                .region_name(&name)
                .send()
                .await
                .unwrap();
            enabled.push(name);
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(enabled, all_disabled);
    // Another filter's listing refuses the token.
    let first = account.list_regions().max_results(2).send().await.unwrap();
    let e = account
        .list_regions()
        .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        aws_sdk_account::error::ProvideErrorMetadata::code(&e),
        Some("ValidationException")
    );
}
