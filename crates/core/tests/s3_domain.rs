//! The S3 domain on a real SQLite store: bytes beside metadata, overwrites
//! that free the old bytes, listings, policies, and a reopen.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::s3::{self, ListRequest, PutObject};
use rootward_core::store::Store;
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::{CoreError, Service};

fn open(dir: &std::path::Path) -> Service {
    let store = SqliteStore::open(&dir.join("state.db")).unwrap();
    Service::open(
        Box::new(store),
        Arc::new(SystemClock::default()),
        rootward_core::keys::Keys::new(
            &rootward_core::keys::MasterKey::read_or_create(&dir.join("master.key")).unwrap(),
            None,
        ),
    )
    .unwrap()
}

/// The failure's variant name (the domain's word for it).
fn variant(e: &impl std::fmt::Debug) -> String {
    format!("{e:?}")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_owned()
}

fn code(e: CoreError) -> String {
    match e {
        CoreError::S3(e) => variant(&e),
        CoreError::AccessDenied(_) => "AccessDenied".into(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn objects_listings_policies_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let svc = open(dir.path());
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;

    assert!(s3::create_bucket(&svc, &admin, "bkt", None).unwrap());
    assert!(!s3::create_bucket(&svc, &admin, "bkt", None).unwrap());
    let o = s3::put_object(
        &svc,
        &admin,
        "bkt",
        "k",
        b"one".to_vec(),
        PutObject::default(),
    )
    .unwrap();
    assert_eq!(o.etag, "\"f97c5d29941bfb1b2fdab0874906ab82\"");
    assert_eq!(o.content_type, "binary/octet-stream");
    let first_blob = o.blob.clone();
    let o2 = s3::put_object(
        &svc,
        &admin,
        "bkt",
        "k",
        b"two".to_vec(),
        PutObject::default(),
    )
    .unwrap();
    assert_ne!(o2.blob, first_blob);
    assert_eq!(svc.get_blob(&first_blob).unwrap(), None, "old bytes freed");
    let (_, bytes) = s3::get_object(&svc, &admin, "bkt", "k").unwrap();
    assert_eq!(bytes, b"two");

    let bad = PutObject {
        content_md5: Some("AAAAAAAAAAAAAAAAAAAAAA==".into()),
        ..Default::default()
    };
    assert_eq!(
        code(s3::put_object(&svc, &admin, "bkt", "x", b"x".to_vec(), bad).unwrap_err()),
        "BadDigest"
    );
    assert_eq!(
        code(s3::delete_bucket(&svc, &admin, "bkt").unwrap_err()),
        "BucketNotEmpty"
    );

    for k in ["p/a", "p/b/c", "p/b/d", "q"] {
        s3::put_object(&svc, &admin, "bkt", k, Vec::new(), PutObject::default()).unwrap();
    }
    let page = s3::list_objects(
        &svc,
        &admin,
        "bkt",
        ListRequest {
            prefix: "p/",
            delimiter: Some("/"),
            max_keys: 1000,
            after: None,
        },
    )
    .unwrap();
    let keys: Vec<_> = page.objects.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["p/a"]);
    assert_eq!(page.common_prefixes, ["p/b/"]);
    let page = s3::list_objects(
        &svc,
        &admin,
        "bkt",
        ListRequest {
            prefix: "",
            delimiter: Some("/"),
            max_keys: 1,
            after: Some("k"),
        },
    )
    .unwrap();
    assert_eq!(
        (page.common_prefixes.as_slice(), page.truncated),
        (&["p/".to_owned()][..], true)
    );
    let page = s3::list_objects(
        &svc,
        &admin,
        "bkt",
        ListRequest {
            prefix: "",
            delimiter: Some("/"),
            max_keys: 1,
            after: Some("p/"),
        },
    )
    .unwrap();
    assert_eq!(page.objects[0].key, "q");
    assert!(!page.truncated);

    let policy = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}"#;
    assert_eq!(
        code(s3::put_bucket_policy(&svc, &admin, "bkt", "{}").unwrap_err()),
        "MalformedPolicy"
    );
    s3::put_bucket_policy(&svc, &admin, "bkt", policy).unwrap();
    assert_eq!(
        code(s3::get_object(&svc, &admin, "bkt", "k").unwrap_err()),
        "AccessDenied"
    );
    drop(svc);

    let svc = open(dir.path());
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    assert_eq!(s3::get_bucket_policy(&svc, &admin, "bkt").unwrap(), policy);
    assert_eq!(
        code(s3::get_object(&svc, &admin, "bkt", "k").unwrap_err()),
        "AccessDenied"
    );
    s3::delete_bucket_policy(&svc, &admin, "bkt").unwrap();
    assert_eq!(s3::get_object(&svc, &admin, "bkt", "k").unwrap().1, b"two");
    // Blobs are not part of the loaded rows.
    let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    assert!(
        store
            .load()
            .unwrap()
            .iter()
            .all(|r| !r.value.starts_with(b"two"))
    );
    assert_eq!(store.get_blob(&o2.blob).unwrap(), Some(b"two".to_vec()));
}
