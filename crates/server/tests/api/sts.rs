use aws_sdk_sts::Client;

use crate::common::{ACCOUNT, Server};

#[tokio::test]
async fn get_caller_identity_names_the_admin_user() {
    let s = Server::start().await;
    let sts = Client::new(&s.admin());
    let id = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(id.account(), Some(ACCOUNT));
    assert_eq!(id.arn(), Some("arn:aws:iam::111111111111:user/admin"));
    assert!(id.user_id().unwrap().starts_with("AIDA"));
}

#[tokio::test]
async fn session_tokens_work_until_they_expire() {
    let s = Server::start().await;
    let sts = Client::new(&s.admin());
    let out = sts
        .get_session_token()
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    assert!(c.access_key_id().starts_with("ASIA"));
    let temp = Client::new(&s.config(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    ));
    let id = temp.get_caller_identity().send().await.unwrap();
    assert_eq!(id.arn(), Some("arn:aws:iam::111111111111:user/admin"));

    // Without the token the key is refused.
    let no_token = Client::new(&s.config(c.access_key_id(), c.secret_access_key(), None));
    let err = no_token.get_caller_identity().send().await.unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("InvalidClientTokenId")
    );

    // Fifteen minutes later it has expired.
    s.clock.advance(901);
    let err = temp.get_caller_identity().send().await.unwrap_err();
    assert_eq!(err.into_service_error().meta().code(), Some("ExpiredToken"));
}

#[tokio::test]
async fn bad_signatures_and_unknown_keys_are_refused() {
    let s = Server::start().await;
    let wrong_secret = Client::new(&s.config(crate::common::ADMIN_KEY, "not-the-secret", None));
    let err = wrong_secret.get_caller_identity().send().await.unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("SignatureDoesNotMatch")
    );
    let unknown = Client::new(&s.config("AKIAUNKNOWNKEY000000", "x", None));
    let err = unknown.get_caller_identity().send().await.unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("InvalidClientTokenId")
    );
}

#[tokio::test]
async fn a_skewed_clock_is_refused() {
    let s = Server::start().await;
    s.clock.advance(20 * 60);
    let sts = Client::new(&s.admin());
    let err = sts.get_caller_identity().send().await.unwrap_err();
    let e = err.into_service_error();
    assert_eq!(e.meta().code(), Some("SignatureDoesNotMatch"));
    assert!(
        e.meta()
            .message()
            .unwrap()
            .starts_with("Signature expired:"),
        "{:?}",
        e.meta().message()
    );
}
