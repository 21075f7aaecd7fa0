//! What the domain tests share: a service on a temporary store, bootstrapped
//! for the management account, whose organization exists, and its member
//! accounts.
#![allow(dead_code, reason = "each test binary uses part of it")]

use std::sync::Arc;

use rootward_core::Service;
use rootward_core::authz::Caller;
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::keys::Keys;
use rootward_core::org::{accounts, organization};
use rootward_core::store::sqlite::SqliteStore;

/// The management account.
pub const MANAGEMENT: &str = "111111111111";

/// An organization on a temporary store.
pub struct Org {
    /// The service.
    pub svc: Service,
    /// The management account's bootstrap administrator.
    pub admin: Caller,
    /// The organization's root (`r-…`).
    pub root_id: String,
    /// The store's directory, removed when dropped.
    pub dir: tempfile::TempDir,
}

/// A service on a temporary SQLite store, bootstrapped for [`MANAGEMENT`],
/// whose administrator has created an organization.
pub fn organization() -> Org {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let svc = Service::open(
        Box::new(store),
        Arc::new(SystemClock::default()),
        Keys::ephemeral(),
    )
    .unwrap();
    bootstrap(
        &svc,
        Some(MANAGEMENT),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    let root_id = organization::create_organization(&svc, &admin, None)
        .unwrap()
        .org
        .root_id;
    Org {
        svc,
        admin,
        root_id,
        dir,
    }
}

/// Creates the member account `name` (e-mail `name@example.com`); its id.
pub fn member_account(svc: &Service, admin: &Caller, name: &str) -> String {
    let s = accounts::create_account(
        svc,
        admin,
        accounts::CreateAccount {
            email: &format!("{name}@example.com"),
            account_name: name,
            ..Default::default()
        },
    )
    .unwrap();
    accounts::describe_create_account_status(svc, admin, &s.id)
        .unwrap()
        .account_id
        .unwrap()
}
