//! AWS Account Management over REST-JSON (issue 14 §3), through
//! aws-sdk-account: contacts of one's own account and of a member account
//! from the management account, the trail with contact details hidden.

use aws_sdk_account::Client;
use aws_sdk_account::types::{AlternateContactType, ContactInformation};
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
        code(account.list_regions().send().await),
        "UnknownOperationException"
    );
}
