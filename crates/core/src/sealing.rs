//! Secrets at rest: the records that hold a long-term secret (an access
//! key's secret access key, a virtual MFA device's TOTP seed) are written
//! with that secret sealed ([`crate::keys`]) and opened again when loaded.
//! In memory the secret is clear: it is needed to verify signatures and codes.
//!
//! The sealed value is bound to its row (`table/key` as associated data).

use crate::error::CoreError;
use crate::keys::{Keys, Opened, SEALED_PREFIX};
use crate::model::{Record, table};
use crate::secret::Secret;

/// What loading a record found about its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtRest {
    /// No secret, or sealed under the current key.
    Sealed,
    /// Sealed under the previous master key: to be sealed again.
    PreviousKey,
    /// Written in clear by an older version: to be sealed.
    Clear,
}

fn aad(record: &Record) -> String {
    format!("{}/{}", record.table(), record.key())
}

/// The form of `record` that is written to the store: its secret sealed.
/// `None` when the record holds no secret (write it as it is).
pub fn seal(keys: &Keys, record: &Record) -> Option<Record> {
    match record {
        Record::AccessKey(k) => {
            let mut k = k.clone();
            k.secret = Secret::new(keys.seal(k.secret.expose(), &aad(record)));
            Some(Record::AccessKey(k))
        }
        Record::MfaDevice(d) if d.seed.is_some() => {
            let mut d = d.clone();
            d.seed = d
                .seed
                .as_ref()
                .map(|s| Secret::new(keys.seal(s.expose(), &aad(record))));
            Some(Record::MfaDevice(d))
        }
        _ => None,
    }
}

fn open(keys: &Keys, value: &Secret, aad: &str) -> Result<(Secret, AtRest), CoreError> {
    if !value.expose().starts_with(SEALED_PREFIX) {
        return Ok((value.clone(), AtRest::Clear));
    }
    match keys.unseal(value.expose(), aad) {
        Ok((s, Opened::Current)) => Ok((s, AtRest::Sealed)),
        Ok((s, Opened::Previous)) => Ok((s, AtRest::PreviousKey)),
        Err(e) => Err(CoreError::Internal(format!(
            "the secret of row {aad} cannot be opened ({e}): is this the master key of this data directory?"
        ))),
    }
}

/// Opens the secret of a loaded record.
pub fn open_record(keys: &Keys, record: Record) -> Result<(Record, AtRest), CoreError> {
    let aad = aad(&record);
    match record {
        Record::AccessKey(mut k) => {
            let (secret, at_rest) = open(keys, &k.secret, &aad)?;
            k.secret = secret;
            Ok((Record::AccessKey(k), at_rest))
        }
        Record::MfaDevice(mut d) => match d.seed.take() {
            Some(seed) => {
                let (seed, at_rest) = open(keys, &seed, &aad)?;
                d.seed = Some(seed);
                Ok((Record::MfaDevice(d), at_rest))
            }
            None => Ok((Record::MfaDevice(d), AtRest::Sealed)),
        },
        other => Ok((other, AtRest::Sealed)),
    }
}

/// Whether a table's rows may hold a secret (the tables [`seal`] covers).
pub fn holds_secrets(t: &str) -> bool {
    matches!(t, table::ACCESS_KEYS | table::MFA_DEVICES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccessKey, KeyOwner, KeyStatus};

    fn key(secret: &str) -> Record {
        Record::AccessKey(AccessKey {
            id: "AKIAEXAMPLE".into(),
            secret: Secret::new(secret),
            account: "111111111111".into(),
            owner: KeyOwner::Root,
            status: KeyStatus::Active,
            created: time::OffsetDateTime::UNIX_EPOCH,
            last_used: None,
        })
    }

    #[test]
    fn a_sealed_record_never_shows_its_secret_and_opens_again() {
        let keys = Keys::ephemeral();
        let sealed = seal(&keys, &key("wJalrXUtnFEMIK7MDENGbPxRfiCY")).unwrap();
        let json = serde_json::to_string(&sealed).unwrap();
        assert!(!json.contains("wJalrXUtnFEMIK7MDENGbPxRfiCY"));
        let (opened, at_rest) = open_record(&keys, sealed).unwrap();
        assert_eq!(opened, key("wJalrXUtnFEMIK7MDENGbPxRfiCY"));
        assert_eq!(at_rest, AtRest::Sealed);
        // An older version's clear secret loads, marked for sealing.
        let (_, at_rest) = open_record(&keys, key("clear")).unwrap();
        assert_eq!(at_rest, AtRest::Clear);
        // The wrong master key stops the load.
        let other = seal(&Keys::ephemeral(), &key("x")).unwrap();
        assert!(open_record(&keys, other).is_err());
    }
}
