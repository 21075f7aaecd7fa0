//! Session tokens that carry their session: nothing per session is stored.
//!
//! A session token is the session's claims (principal and its unique id,
//! account, session name, session policies, tags, source identity, the
//! AssumeRoot task, issue and expiry times, MFA) sealed with
//! XChaCha20-Poly1305 under the key of the day it was issued
//! ([`crate::keys`]). The session's secret access key is an HMAC of the
//! token under the same day's key, so the server derives it again on every
//! request and no session secret exists at rest. Revocation goes through the
//! principal's unique id (a deleted and re-created principal has a new one)
//! and `aws:TokenIssueTime` conditions.
//!
//! Wire form: `IQoJb3JpZ2luX2Vj` (the prefix AWS tokens share) followed by
//! URL-safe base64 of `version (1) ‖ epoch (u32, big-endian) ‖ nonce (24) ‖
//! ciphertext`. The version and epoch are authenticated as associated data.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::keys::{Keys, Opened, aead_open, aead_seal};
use crate::model::{Session, SessionPrincipal};
use crate::secret::Secret;

/// The prefix of every session token.
pub const TOKEN_PREFIX: &str = "IQoJb3JpZ2luX2Vj";

const VERSION: u8 = 1;

/// Longest accepted token text (a token with ten session policy ARNs, a
/// 2,048-character policy and 50 tags stays far below).
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Why a presented token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a token of this server, altered, or issued for another access key.
    #[error("the security token is invalid")]
    Invalid,
    /// A genuine token past its expiry.
    #[error("the security token is expired")]
    Expired,
}

/// The sealed claims (short names keep tokens short).
#[derive(Serialize, Deserialize)]
struct Claims {
    #[serde(rename = "k")]
    access_key_id: String,
    #[serde(rename = "a")]
    account: String,
    #[serde(rename = "p")]
    principal: SessionPrincipal,
    #[serde(rename = "i")]
    issued: i64,
    #[serde(rename = "e")]
    expires: i64,
    #[serde(rename = "sp", default, skip_serializing_if = "Vec::is_empty")]
    session_policies: Vec<String>,
    #[serde(rename = "pa", default, skip_serializing_if = "Vec::is_empty")]
    session_policy_arns: Vec<String>,
    #[serde(rename = "t", default, skip_serializing_if = "BTreeMap::is_empty")]
    tags: BTreeMap<String, String>,
    #[serde(rename = "si", default, skip_serializing_if = "Option::is_none")]
    source_identity: Option<String>,
    #[serde(rename = "tp", default, skip_serializing_if = "Option::is_none")]
    task_policy: Option<String>,
    #[serde(rename = "m", default, skip_serializing_if = "std::ops::Not::not")]
    mfa: bool,
    #[serde(rename = "g", default, skip_serializing_if = "std::ops::Not::not")]
    session_token: bool,
}

/// The day number of a time (the epoch of its token key).
fn epoch_of(t: OffsetDateTime) -> u32 {
    u32::try_from(t.unix_timestamp().div_euclid(86_400)).unwrap_or(0)
}

fn subkey(day_key: &[u8; 32], purpose: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(day_key) {
        mac.update(purpose);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// The secret access key of a token: 40 characters of base64 of an HMAC of
/// the token bytes.
fn secret_of(day_key: &[u8; 32], token_bytes: &[u8]) -> Secret {
    let key = subkey(day_key, b"rootward/session-secret/v1");
    let mut text = String::new();
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) {
        mac.update(token_bytes);
        text = STANDARD.encode(mac.finalize().into_bytes());
    }
    text.truncate(40);
    Secret::new(text)
}

fn unix(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

fn from_unix(s: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(s).ok()
}

/// Seals `session`'s claims into a new token: fills in its access key id,
/// secret access key and token. Only whole seconds of the issue and expiry
/// times are kept.
pub fn issue(keys: &Keys, mut session: Session) -> Session {
    session.access_key_id = crate::ids::temporary_key_id(&session.account);
    let claims = Claims {
        access_key_id: session.access_key_id.clone(),
        account: session.account.clone(),
        principal: session.principal.clone(),
        issued: unix(session.issued),
        expires: unix(session.expires),
        session_policies: session.session_policies.clone(),
        session_policy_arns: session.session_policy_arns.clone(),
        tags: session.tags.clone(),
        source_identity: session.source_identity.clone(),
        task_policy: session.task_policy.clone(),
        mfa: session.mfa,
        session_token: session.session_token,
    };
    let epoch = epoch_of(session.issued);
    let day_key = keys.current_token_key(epoch);
    let mut header = vec![VERSION];
    header.extend_from_slice(&epoch.to_be_bytes());
    let plain = serde_json::to_vec(&claims).unwrap_or_default();
    let sealed = aead_seal(
        &subkey(&day_key, b"rootward/session-seal/v1"),
        &plain,
        &header,
    );
    let mut bytes = header;
    bytes.extend_from_slice(&sealed);
    session.secret = secret_of(&day_key, &bytes);
    session.token = Secret::new(format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes)));
    if let (Some(i), Some(e)) = (from_unix(claims.issued), from_unix(claims.expires)) {
        session.issued = i;
        session.expires = e;
    }
    session
}

/// Opens a presented token for `access_key_id`: the session it carries, with
/// its secret access key derived again. Refuses a token of another server or
/// key, an altered one, and (after authenticating it) an expired one.
pub fn open(
    keys: &Keys,
    access_key_id: &str,
    token: &str,
    now: OffsetDateTime,
) -> Result<Session, TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Invalid);
    }
    let body = token
        .strip_prefix(TOKEN_PREFIX)
        .ok_or(TokenError::Invalid)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| TokenError::Invalid)?;
    let header = bytes.get(..5).ok_or(TokenError::Invalid)?;
    let sealed = bytes.get(5..).ok_or(TokenError::Invalid)?;
    if header.first() != Some(&VERSION) {
        return Err(TokenError::Invalid);
    }
    let epoch_bytes: [u8; 4] = header
        .get(1..5)
        .and_then(|b| b.try_into().ok())
        .ok_or(TokenError::Invalid)?;
    let epoch = u32::from_be_bytes(epoch_bytes);
    // A token is never from a day after tomorrow (clock skew aside).
    if epoch > epoch_of(now).saturating_add(1) {
        return Err(TokenError::Invalid);
    }
    let mut generations = vec![Opened::Current];
    if keys.has_previous() {
        generations.push(Opened::Previous);
    }
    for which in generations {
        let Some(day_key) = keys.token_key(which, epoch) else {
            continue;
        };
        let Some(plain) = aead_open(
            &subkey(&day_key, b"rootward/session-seal/v1"),
            sealed,
            header,
        ) else {
            continue;
        };
        let claims: Claims = serde_json::from_slice(&plain).map_err(|_| TokenError::Invalid)?;
        if claims.access_key_id != access_key_id {
            return Err(TokenError::Invalid);
        }
        let (Some(issued), Some(expires)) = (from_unix(claims.issued), from_unix(claims.expires))
        else {
            return Err(TokenError::Invalid);
        };
        if expires <= now {
            return Err(TokenError::Expired);
        }
        return Ok(Session {
            access_key_id: claims.access_key_id,
            secret: secret_of(&day_key, &bytes),
            token: Secret::new(token),
            account: claims.account,
            principal: claims.principal,
            issued,
            expires,
            session_policies: claims.session_policies,
            source_identity: claims.source_identity,
            session_policy_arns: claims.session_policy_arns,
            tags: claims.tags,
            task_policy: claims.task_policy,
            mfa: claims.mfa,
            session_token: claims.session_token,
        });
    }
    Err(TokenError::Invalid)
}

/// Most sessions kept by a [`TokenCache`].
const CACHE_CAPACITY: usize = 1_024;

/// Sessions of tokens already opened, by access key id. Every call of a
/// session presents the same token: matched (in constant time) against the
/// token opened before, it is not decrypted and parsed again. Expiry is still
/// checked on every use; anything else (another token for the key id, one of
/// another server) goes through [`open`]. Bounded: when full it starts over.
#[derive(Default)]
pub struct TokenCache {
    map: parking_lot::Mutex<std::collections::HashMap<String, std::sync::Arc<Session>>>,
}

impl TokenCache {
    /// [`open`], remembering the session.
    pub fn open(
        &self,
        keys: &Keys,
        access_key_id: &str,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<std::sync::Arc<Session>, TokenError> {
        let seen = self.map.lock().get(access_key_id).cloned();
        if let Some(s) = seen.filter(|s| s.token.matches(token)) {
            if s.expires <= now {
                return Err(TokenError::Expired);
            }
            return Ok(s);
        }
        let s = std::sync::Arc::new(open(keys, access_key_id, token, now)?);
        let mut map = self.map.lock();
        if map.len() >= CACHE_CAPACITY {
            map.clear();
        }
        map.insert(access_key_id.to_owned(), s.clone());
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::MasterKey;

    fn role_session(now: OffsetDateTime) -> Session {
        let mut s = Session::new(
            "111111111111",
            SessionPrincipal::Role {
                role_arn: "arn:aws:iam::111111111111:role/phoenix".into(),
                role_id: "AROAEXAMPLEEXAMPLE123".into(),
                session_name: "s1".into(),
            },
            now,
            now + time::Duration::hours(1),
        );
        s.session_policies = vec![r#"{"Version":"2012-10-17","Statement":[]}"#.into()];
        s.tags.insert("team".into(), "blue".into());
        s
    }

    #[test]
    fn a_token_carries_its_session_and_its_secret_is_derived_again() {
        let keys = Keys::ephemeral();
        let now = OffsetDateTime::now_utc();
        let issued = issue(&keys, role_session(now));
        let token = issued.token.expose();
        assert!(token.starts_with(TOKEN_PREFIX));
        assert!(issued.access_key_id.starts_with("ASIA"));
        assert_eq!(issued.secret.expose().len(), 40);
        // Nothing of the claims is readable in the token.
        assert!(!token.contains("phoenix") && !token.contains("AROA"));
        let opened = open(&keys, &issued.access_key_id, token, now).unwrap();
        assert_eq!(opened, issued);
    }

    #[test]
    fn the_cache_answers_the_same_token_and_still_refuses_others_and_expiry() {
        let keys = Keys::ephemeral();
        let now = OffsetDateTime::now_utc();
        let issued = issue(&keys, role_session(now));
        let (akid, token) = (&issued.access_key_id, issued.token.expose());
        let cache = TokenCache::default();
        let first = cache.open(&keys, akid, token, now).unwrap();
        let again = cache.open(&keys, akid, token, now).unwrap();
        assert!(std::sync::Arc::ptr_eq(&first, &again), "opened again");
        assert_eq!(*first, issued);
        // Another token for the cached key id is opened (and refused) as usual.
        let mut altered: Vec<char> = token.chars().collect();
        let i = altered.len() / 2;
        altered[i] = if altered[i] == 'A' { 'B' } else { 'A' };
        let altered: String = altered.into_iter().collect();
        assert_eq!(
            cache.open(&keys, akid, &altered, now).err(),
            Some(TokenError::Invalid)
        );
        assert_eq!(
            cache.open(&keys, "ASIAOTHEROTHEROTHER1", token, now).err(),
            Some(TokenError::Invalid)
        );
        // Expiry is checked on every use.
        let later = now + time::Duration::hours(2);
        assert_eq!(
            cache.open(&keys, akid, token, later).err(),
            Some(TokenError::Expired)
        );
        assert!(cache.open(&keys, akid, token, now).is_ok());
    }

    #[test]
    fn a_token_is_refused_for_another_key_server_or_alteration() {
        let keys = Keys::ephemeral();
        let now = OffsetDateTime::now_utc();
        let issued = issue(&keys, role_session(now));
        let token = issued.token.expose();
        let akid = &issued.access_key_id;
        assert_eq!(
            open(&keys, "ASIAOTHEROTHEROTHER1", token, now),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            open(&Keys::ephemeral(), akid, token, now),
            Err(TokenError::Invalid)
        );
        for garbage in ["", "garbage", TOKEN_PREFIX, "IQoJb3JpZ2luX2VjAAAA"] {
            assert_eq!(open(&keys, akid, garbage, now), Err(TokenError::Invalid));
        }
        // Flip one character anywhere after the prefix.
        let chars: Vec<char> = token.chars().collect();
        for i in [TOKEN_PREFIX.len() + 2, chars.len() / 2, chars.len() - 3] {
            let mut altered = chars.clone();
            altered[i] = if altered[i] == 'A' { 'B' } else { 'A' };
            let altered: String = altered.into_iter().collect();
            assert_eq!(
                open(&keys, akid, &altered, now),
                Err(TokenError::Invalid),
                "position {i}"
            );
        }
    }

    #[test]
    fn an_expired_token_says_so_and_a_rotated_key_still_opens_old_tokens() {
        let old = MasterKey::generate();
        let new = MasterKey::generate();
        let now = OffsetDateTime::now_utc();
        let issued = issue(&Keys::new(&old, None), role_session(now));
        let rotated = Keys::new(&new, Some(&old));
        let opened = open(&rotated, &issued.access_key_id, issued.token.expose(), now).unwrap();
        assert_eq!(opened.secret, issued.secret);
        assert_eq!(
            open(
                &rotated,
                &issued.access_key_id,
                issued.token.expose(),
                now + time::Duration::hours(2)
            ),
            Err(TokenError::Expired)
        );
        // Without the previous key, the old token is just invalid.
        assert_eq!(
            open(
                &Keys::new(&new, None),
                &issued.access_key_id,
                issued.token.expose(),
                now
            ),
            Err(TokenError::Invalid)
        );
    }
}
