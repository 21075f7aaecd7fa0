//! First start on an empty store: one account with an IAM user `admin` that
//! has `AdministratorAccess`, and its access key.

use crate::error::CoreError;
use crate::ids;
use crate::model::{AccessKey, Account, Change, KeyOwner, KeyStatus, Record, User};
use crate::secret::Secret;
use crate::service::Service;

/// What the first start created (printed once by `rootward serve`).
#[derive(Debug, Clone)]
pub struct Bootstrap {
    /// The account id.
    pub account_id: String,
    /// The admin user's access key id.
    pub access_key_id: String,
    /// The admin user's secret access key.
    pub secret_access_key: Secret,
}

/// Creates the first account when the store is empty; `None` when it is not.
/// `account_id`, `access_key_id` and `secret` fix what would otherwise be random.
pub fn bootstrap(
    svc: &Service,
    account_id: Option<&str>,
    access_key_id: Option<&str>,
    secret: Option<&str>,
) -> Result<Option<Bootstrap>, CoreError> {
    if let Some(a) = account_id
        && !(a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(CoreError::Validation(format!(
            "account id `{a}` must be 12 digits"
        )));
    }
    if let Some(k) = access_key_id
        && !(k.len() >= 16 && k.len() <= 128 && k.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err(CoreError::Validation(
            "bootstrap access key id must be 16-128 letters and digits".into(),
        ));
    }
    let now = svc.now();
    svc.mutate(|state| {
        if !state.accounts.is_empty() {
            return Ok((None, Vec::new()));
        }
        let account = account_id
            .map(str::to_owned)
            .unwrap_or_else(ids::account_id);
        let key = AccessKey {
            id: access_key_id
                .map(str::to_owned)
                .unwrap_or_else(|| ids::long_term_key_id(&account)),
            secret: Secret::new(
                secret
                    .map(str::to_owned)
                    .unwrap_or_else(ids::secret_access_key),
            ),
            account: account.clone(),
            owner: KeyOwner::User("admin".into()),
            status: KeyStatus::Active,
            created: now,
            last_used: None,
        };
        let user = User {
            account: account.clone(),
            name: "admin".into(),
            path: "/".into(),
            id: ids::unique_id("AIDA"),
            created: now,
            inline_policies: Default::default(),
            attached_policies: vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()],
            permissions_boundary: None,
            password_last_used: None,
            tags: Vec::new(),
        };
        let out = Bootstrap {
            account_id: account.clone(),
            access_key_id: key.id.clone(),
            secret_access_key: key.secret.clone(),
        };
        Ok((
            Some(out),
            vec![
                Change::Put(Record::Account(Account {
                    id: account.clone(),
                    name: "management".into(),
                    email: format!("root+{account}@rootward.invalid"),
                    created: now,
                    root_password_last_used: None,
                    alias: None,
                    closed: None,
                    closed_by: None,
                    regions: Default::default(),
                })),
                Change::Put(Record::User(user)),
                Change::Put(Record::AccessKey(key)),
            ],
        ))
    })
}
