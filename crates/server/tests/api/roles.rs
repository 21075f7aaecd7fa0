//! Roles: inline and attached policies, boundaries limiting sessions, updates.

use aws_sdk_iam::Client;

use crate::common::{Server, code};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}"#;
const LIST_ONLY: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}}"#;

async fn session(s: &Server, role: &str) -> Result<Client, String> {
    let out = aws_sdk_sts::Client::new(&s.admin())
        .assume_role()
        .role_arn(format!("arn:aws:iam::111111111111:role/{role}"))
        .role_session_name("tests")
        .send()
        .await
        .map_err(|e| format!("{:?}", e.into_service_error()))?;
    let c = out.credentials().unwrap();
    Ok(Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )))
}

#[tokio::test]
async fn role_policies_boundaries_and_updates() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_role()
        .role_name("Ops")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("Ops")
        .policy_name("Lists")
        .policy_document(LIST_ONLY)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_role_policies()
            .role_name("Ops")
            .send()
            .await
            .unwrap()
            .policy_names(),
        ["Lists"]
    );
    let doc = iam
        .get_role_policy()
        .role_name("Ops")
        .policy_name("Lists")
        .send()
        .await
        .unwrap();
    assert!(doc.policy_document().contains("iam%3AListRoles"));
    assert_eq!(
        code(
            iam.get_role_policy()
                .role_name("Ops")
                .policy_name("X")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    let attached = iam
        .list_attached_role_policies()
        .role_name("Ops")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attached.attached_policies()[0].policy_arn(),
        Some("arn:aws:iam::aws:policy/IAMFullAccess")
    );

    // IAMFullAccess lets the session create users …
    let ops = session(&s, "Ops").await.unwrap();
    ops.create_user()
        .user_name("made-by-role")
        .send()
        .await
        .unwrap();
    // … until a ReadOnlyAccess boundary limits it, for new and existing sessions.
    iam.put_role_permissions_boundary()
        .role_name("Ops")
        .permissions_boundary("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let err = ops
        .create_user()
        .user_name("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        err.meta()
            .message()
            .unwrap()
            .contains("because no permissions boundary allows"),
        "{err:?}"
    );
    let bounded = session(&s, "Ops").await.unwrap();
    assert_eq!(
        code(bounded.create_user().user_name("y").send().await),
        "AccessDenied"
    );
    assert!(bounded.list_roles().send().await.is_ok());
    let role = iam.get_role().role_name("Ops").send().await.unwrap();
    assert_eq!(
        role.role()
            .unwrap()
            .permissions_boundary()
            .unwrap()
            .permissions_boundary_arn(),
        Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
    );
    iam.delete_role_permissions_boundary()
        .role_name("Ops")
        .send()
        .await
        .unwrap();
    assert!(bounded.create_user().user_name("z").send().await.is_ok());
    assert!(
        iam.get_role()
            .role_name("Ops")
            .send()
            .await
            .unwrap()
            .role()
            .unwrap()
            .permissions_boundary()
            .is_none()
    );

    // UpdateRole and UpdateAssumeRolePolicy.
    iam.update_role()
        .role_name("Ops")
        .description("operators")
        .max_session_duration(7200)
        .send()
        .await
        .unwrap();
    let r = iam.get_role().role_name("Ops").send().await.unwrap();
    assert_eq!(r.role().unwrap().description(), Some("operators"));
    assert_eq!(r.role().unwrap().max_session_duration(), Some(7200));
    assert_eq!(
        code(
            iam.update_role()
                .role_name("Ops")
                .max_session_duration(60)
                .send()
                .await
        ),
        "ValidationError"
    );
    iam.update_assume_role_policy()
        .role_name("Ops")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}"#)
        .send()
        .await
        .unwrap();
    assert!(
        session(&s, "Ops")
            .await
            .unwrap_err()
            .contains("AccessDenied")
    );
    assert_eq!(
        code(
            iam.update_assume_role_policy()
                .role_name("Ops")
                .policy_document("{")
                .send()
                .await
        ),
        "MalformedPolicyDocument"
    );

    // Delete: policies first.
    assert_eq!(
        code(iam.delete_role().role_name("Ops").send().await),
        "DeleteConflict"
    );
    iam.delete_role_policy()
        .role_name("Ops")
        .policy_name("Lists")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            iam.delete_role_policy()
                .role_name("Ops")
                .policy_name("Lists")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    iam.detach_role_policy()
        .role_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    iam.delete_role().role_name("Ops").send().await.unwrap();
}

#[tokio::test]
async fn create_role_and_user_with_a_boundary() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let r = iam
        .create_role()
        .role_name("Bounded")
        .assume_role_policy_document(TRUST)
        .permissions_boundary("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.role()
            .unwrap()
            .permissions_boundary()
            .unwrap()
            .permissions_boundary_arn(),
        Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
    );
    iam.attach_role_policy()
        .role_name("Bounded")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    let sess = session(&s, "Bounded").await.unwrap();
    assert!(sess.list_users().send().await.is_ok());
    assert_eq!(
        code(sess.create_group().group_name("g").send().await),
        "AccessDenied"
    );

    let u = iam
        .create_user()
        .user_name("carol")
        .permissions_boundary("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        u.user()
            .unwrap()
            .permissions_boundary()
            .unwrap()
            .permissions_boundary_arn(),
        Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
    );
    assert_eq!(
        code(
            iam.create_user()
                .user_name("dave")
                .permissions_boundary("arn:aws:iam::111111111111:policy/Missing")
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    assert_eq!(
        code(iam.get_user().user_name("dave").send().await),
        "NoSuchEntity"
    );
}
