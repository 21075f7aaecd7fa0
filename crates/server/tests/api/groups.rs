//! Groups: membership, policies, authorization through a group, conflicts.

use aws_sdk_iam::Client;

use crate::common::{Server, code, user_with_key};

const LIST_USERS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;

#[tokio::test]
async fn groups_grant_their_policies_to_members() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    let g = iam
        .create_group()
        .group_name("Ops")
        .path("/eng/")
        .send()
        .await
        .unwrap();
    let g = g.group().unwrap();
    assert_eq!(g.arn(), "arn:aws:iam::111111111111:group/eng/Ops");
    assert!(g.group_id().starts_with("AGPA"));
    assert_eq!(
        code(iam.create_group().group_name("ops").send().await),
        "EntityAlreadyExists"
    );
    iam.create_group()
        .group_name("Auditors")
        .send()
        .await
        .unwrap();

    let bob = Client::new(&user_with_key(&s, &iam, "bob").await);
    assert_eq!(code(bob.list_users().send().await), "AccessDenied");

    // An attached policy on the group: bob may list once he is a member.
    iam.attach_group_policy()
        .group_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(code(bob.list_users().send().await), "AccessDenied");
    iam.add_user_to_group()
        .group_name("Ops")
        .user_name("bob")
        .send()
        .await
        .unwrap();
    assert!(bob.list_users().send().await.is_ok());
    // Detaching denies again, at once.
    iam.detach_group_policy()
        .group_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let err = bob
        .list_users()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("AccessDenied"));
    assert!(
        err.meta()
            .message()
            .unwrap()
            .contains("because no identity-based policy allows the iam:ListUsers action")
    );

    // An inline group policy works the same way; a group deny wins.
    iam.put_group_policy()
        .group_name("Ops")
        .policy_name("List")
        .policy_document(LIST_USERS)
        .send()
        .await
        .unwrap();
    assert!(bob.list_users().send().await.is_ok());
    let got = iam
        .get_group_policy()
        .group_name("Ops")
        .policy_name("List")
        .send()
        .await
        .unwrap();
    assert!(got.policy_document().contains("iam%3AListUsers"));
    assert_eq!(
        iam.list_group_policies()
            .group_name("Ops")
            .send()
            .await
            .unwrap()
            .policy_names(),
        ["List"]
    );
    iam.put_group_policy()
        .group_name("Auditors")
        .policy_name("Deny")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    iam.add_user_to_group()
        .group_name("Auditors")
        .user_name("bob")
        .send()
        .await
        .unwrap();
    let err = bob
        .list_users()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        err.meta()
            .message()
            .unwrap()
            .contains("with an explicit deny in an identity-based policy")
    );
    iam.remove_user_from_group()
        .group_name("Auditors")
        .user_name("bob")
        .send()
        .await
        .unwrap();
    assert!(bob.list_users().send().await.is_ok());
    assert_eq!(
        code(
            iam.put_group_policy()
                .group_name("Ops")
                .policy_name("Bad")
                .policy_document("{")
                .send()
                .await
        ),
        "MalformedPolicyDocument"
    );

    // Reading groups.
    let got = iam.get_group().group_name("Ops").send().await.unwrap();
    let users: Vec<&str> = got.users().iter().map(|u| u.user_name()).collect();
    assert_eq!(users, ["bob"]);
    let for_bob = iam
        .list_groups_for_user()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = for_bob.groups().iter().map(|g| g.group_name()).collect();
    assert_eq!(names, ["Ops"]);
    let all = iam.list_groups().send().await.unwrap();
    let names: Vec<&str> = all.groups().iter().map(|g| g.group_name()).collect();
    assert_eq!(names, ["Auditors", "Ops"]);
    let eng = iam.list_groups().path_prefix("/eng/").send().await.unwrap();
    assert_eq!(eng.groups().len(), 1);
    iam.attach_group_policy()
        .group_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();
    let attached = iam
        .list_attached_group_policies()
        .group_name("Ops")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attached.attached_policies()[0].policy_name(),
        Some("IAMFullAccess")
    );
    assert_eq!(
        code(
            iam.attach_group_policy()
                .group_name("Ops")
                .policy_arn("arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy")
                .send()
                .await
        ),
        "PolicyNotAttachable"
    );
    assert_eq!(
        code(iam.get_group().group_name("Nope").send().await),
        "NoSuchEntity"
    );
    assert_eq!(
        code(
            iam.add_user_to_group()
                .group_name("Ops")
                .user_name("nobody")
                .send()
                .await
        ),
        "NoSuchEntity"
    );

    // Conflicts: a member user cannot be deleted; a group with members or policies neither.
    iam.delete_access_key()
        .user_name("bob")
        .access_key_id(
            iam.list_access_keys()
                .user_name("bob")
                .send()
                .await
                .unwrap()
                .access_key_metadata()[0]
                .access_key_id()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(iam.delete_user().user_name("bob").send().await),
        "DeleteConflict"
    );
    assert_eq!(
        code(iam.delete_group().group_name("Ops").send().await),
        "DeleteConflict"
    );
    iam.remove_user_from_group()
        .group_name("Ops")
        .user_name("bob")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(iam.delete_group().group_name("Ops").send().await),
        "DeleteConflict"
    );
    iam.delete_group_policy()
        .group_name("Ops")
        .policy_name("List")
        .send()
        .await
        .unwrap();
    iam.detach_group_policy()
        .group_name("Ops")
        .policy_arn("arn:aws:iam::aws:policy/IAMFullAccess")
        .send()
        .await
        .unwrap();

    // Rename, then delete.
    iam.update_group()
        .group_name("Ops")
        .new_group_name("Platform")
        .new_path("/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(iam.get_group().group_name("Ops").send().await),
        "NoSuchEntity"
    );
    let p = iam.get_group().group_name("Platform").send().await.unwrap();
    assert_eq!(
        p.group().unwrap().arn(),
        "arn:aws:iam::111111111111:group/Platform"
    );
    assert_eq!(
        code(
            iam.update_group()
                .group_name("Platform")
                .new_group_name("Auditors")
                .send()
                .await
        ),
        "EntityAlreadyExists"
    );
    iam.delete_group()
        .group_name("Platform")
        .send()
        .await
        .unwrap();
    iam.delete_user().user_name("bob").send().await.unwrap();
}

#[tokio::test]
async fn get_group_pages_its_users() {
    let s = Server::start().await;
    let iam = Client::new(&s.admin());
    iam.create_group().group_name("Many").send().await.unwrap();
    for i in 0..3 {
        let n = format!("m{i}");
        iam.create_user().user_name(&n).send().await.unwrap();
        iam.add_user_to_group()
            .group_name("Many")
            .user_name(&n)
            .send()
            .await
            .unwrap();
    }
    let page = iam
        .get_group()
        .group_name("Many")
        .max_items(2)
        .send()
        .await
        .unwrap();
    assert!(page.is_truncated());
    assert_eq!(page.users().len(), 2);
    let rest = iam
        .get_group()
        .group_name("Many")
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.users().len(), 1);
    assert!(!rest.is_truncated());
}
