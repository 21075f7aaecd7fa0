//! IAM service-linked roles, through the AWS SDK for Rust.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::DeletionTaskStatusType;

use crate::common::{ACCOUNT, Server, code};

#[tokio::test]
async fn a_service_linked_role_is_created_protected_and_deleted() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let created = iam
        .create_service_linked_role()
        .aws_service_name("organizations.amazonaws.com")
        .description("for Organizations")
        .send()
        .await
        .unwrap();
    let r = created.role().unwrap();
    assert_eq!(r.role_name(), "AWSServiceRoleForOrganizations");
    assert_eq!(r.path(), "/aws-service-role/organizations.amazonaws.com/");
    assert_eq!(
        r.arn(),
        format!(
            "arn:aws:iam::{ACCOUNT}:role/aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations"
        )
    );
    assert_eq!(r.description(), Some("for Organizations"));
    // The trust policy (URL-encoded, as IAM returns it) trusts the service.
    let trust = r.assume_role_policy_document().unwrap();
    assert!(trust.contains("organizations.amazonaws.com"), "{trust}");
    assert!(trust.contains("AssumeRole"), "{trust}");

    // Taken; a suffix the service does not take; an unknown service.
    let e = iam
        .create_service_linked_role()
        .aws_service_name("organizations.amazonaws.com")
        .send()
        .await;
    assert_eq!(code(e), "InvalidInput");
    let e = iam
        .create_service_linked_role()
        .aws_service_name("organizations.amazonaws.com")
        .custom_suffix("x")
        .send()
        .await;
    assert_eq!(code(e), "InvalidInput");
    let e = iam
        .create_service_linked_role()
        .aws_service_name("nothing.example.com")
        .send()
        .await;
    assert_eq!(code(e), "InvalidInput");
    // A service that takes a suffix.
    let r = iam
        .create_service_linked_role()
        .aws_service_name("autoscaling.amazonaws.com")
        .custom_suffix("web")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.role().unwrap().role_name(),
        "AWSServiceRoleForAutoScaling_web"
    );

    // The ordinary role operations leave it alone.
    let name = "AWSServiceRoleForOrganizations";
    let e = iam.delete_role().role_name(name).send().await;
    assert_eq!(code(e), "UnmodifiableEntity");
    let e = iam
        .update_assume_role_policy()
        .role_name(name)
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await;
    assert_eq!(code(e), "UnmodifiableEntity");
    let e = iam
        .put_role_policy()
        .role_name(name)
        .policy_name("p")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        .send()
        .await;
    assert_eq!(code(e), "UnmodifiableEntity");
    let e = iam
        .attach_role_policy()
        .role_name(name)
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await;
    assert_eq!(code(e), "UnmodifiableEntity");
    let e = iam
        .update_role()
        .role_name(name)
        .max_session_duration(7200)
        .send()
        .await;
    assert_eq!(code(e), "UnmodifiableEntity");
    // Its description may be edited.
    iam.update_role_description()
        .role_name(name)
        .description("edited")
        .send()
        .await
        .unwrap();
    // An ordinary role is not deleted through DeleteServiceLinkedRole.
    iam.create_role()
        .role_name("plain")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    let e = iam
        .delete_service_linked_role()
        .role_name("plain")
        .send()
        .await;
    assert_eq!(code(e), "ValidationError");

    let task = iam
        .delete_service_linked_role()
        .role_name(name)
        .send()
        .await
        .unwrap()
        .deletion_task_id()
        .to_owned();
    assert!(
        task.starts_with(&format!(
            "task/aws-service-role/organizations.amazonaws.com/{name}/"
        )),
        "{task}"
    );
    let e = iam.get_role().role_name(name).send().await;
    assert_eq!(code(e), "NoSuchEntity");
    let st = iam
        .get_service_linked_role_deletion_status()
        .deletion_task_id(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(st.status(), &DeletionTaskStatusType::Succeeded);
    let e = iam
        .get_service_linked_role_deletion_status()
        .deletion_task_id(format!(
            "task/aws-service-role/organizations.amazonaws.com/{name}/00000000-0000-4000-a000-000000000000"
        ))
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");
    let e = iam
        .delete_service_linked_role()
        .role_name(name)
        .send()
        .await;
    assert_eq!(code(e), "NoSuchEntity");

    // The task outlives a restart; the name is free again.
    let s2 = s.reopen().await;
    let iam2 = Client::new(&s2.admin());
    let st = iam2
        .get_service_linked_role_deletion_status()
        .deletion_task_id(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(st.status(), &DeletionTaskStatusType::Succeeded);
    let e = iam2
        .delete_role()
        .role_name("AWSServiceRoleForAutoScaling_web")
        .send()
        .await;
    assert_eq!(
        code(e),
        "UnmodifiableEntity",
        "still protected after a restart"
    );
    iam2.create_service_linked_role()
        .aws_service_name("organizations.amazonaws.com")
        .send()
        .await
        .unwrap();
}
