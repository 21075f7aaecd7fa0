//! Key material kept outside the database, and what is derived from it.
//!
//! One **master key** (32 random bytes) never enters the store: it lives in
//! `DATA/master.key` (mode 0600, created on first start) or wherever the
//! operator keeps it (`--master-key-file`, `ROOTWARD_MASTER_KEY`). From it,
//! HKDF-SHA256 derives
//!
//! * the **sealing key**: long-term secrets at rest (secret access keys, TOTP
//!   seeds) are sealed with XChaCha20-Poly1305, bound to the row they belong
//!   to (associated data), so a sealed value copied into another row does not
//!   open;
//! * the **session-token keys**, one per UTC day ("epoch"): session tokens are
//!   sealed claims ([`crate::tokens`]), so rotation is automatic and a token
//!   names the epoch of its key;
//! * the **receipt-handle key**: SQS receipt handles carry an HMAC-SHA256
//!   tag under it, so an altered handle is told from a genuine stale one
//!   and a handle stays valid across restarts;
//! * a **key check** stored in the database, so a start with the wrong master
//!   key stops with a clear message instead of failing every request.
//!
//! Rotation of the master key itself: start once with the new key as the
//! master key and the old one as the previous key; stored secrets are
//! re-sealed under the new key at start, and tokens sealed under the old one
//! stay valid until they expire (keep the previous key for the longest
//! session, 36 hours).

use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use rand::RngCore as _;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::CoreError;
use crate::secret::Secret;

/// The prefix of a sealed value at rest (version 1: XChaCha20-Poly1305).
pub const SEALED_PREFIX: &str = "rwsealed1:";

/// 32 bytes of key material that never leave memory; zeroed on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

impl MasterKey {
    /// A fresh random key.
    pub fn generate() -> MasterKey {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        MasterKey(k)
    }

    /// A key from its text form: 32 bytes in standard base64 (surrounding
    /// white space ignored).
    pub fn from_text(text: &str) -> Result<MasterKey, CoreError> {
        let mut bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| CoreError::Internal("the master key is not valid base64".to_owned()))?;
        let key: Result<[u8; 32], _> = bytes.as_slice().try_into();
        bytes.zeroize();
        key.map(MasterKey)
            .map_err(|_| CoreError::Internal("the master key must be 32 bytes".to_owned()))
    }

    /// The text form (base64).
    pub fn to_text(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Reads the key file at `path`.
    pub fn read(path: &Path) -> Result<MasterKey, CoreError> {
        let mut text = std::fs::read_to_string(path).map_err(|e| {
            CoreError::Internal(format!(
                "cannot read the master key {}: {e}",
                path.display()
            ))
        })?;
        let key = MasterKey::from_text(&text);
        text.zeroize();
        key
    }

    /// Reads the key file at `path`, or creates it (mode 0600, never
    /// overwriting) with a fresh key when it does not exist.
    pub fn read_or_create(path: &Path) -> Result<MasterKey, CoreError> {
        if path.exists() {
            return MasterKey::read(path);
        }
        let key = MasterKey::generate();
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        let mut text = key.to_text();
        text.push('\n');
        let written = opts
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()));
        text.zeroize();
        written.map_err(|e| {
            CoreError::Internal(format!(
                "cannot create the master key {}: {e}",
                path.display()
            ))
        })?;
        Ok(key)
    }

    fn derive(&self, label: &str) -> [u8; 32] {
        let hk = Hkdf::<Sha256>::new(Some(b"rootward"), &self.0);
        let mut out = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's limit of 8,160: cannot fail.
        let _ = hk.expand(label.as_bytes(), &mut out);
        out
    }
}

/// Why a sealed value did not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// Not a sealed value of a known version.
    #[error("not a sealed value")]
    Format,
    /// Neither key opens it, or it was moved to another row or altered.
    #[error("sealed value does not open under the master key")]
    Open,
}

/// One generation of derived keys.
#[derive(Zeroize, ZeroizeOnDrop)]
struct Generation {
    seal: [u8; 32],
    check: [u8; 32],
    receipt: [u8; 32],
    #[zeroize(skip)]
    master: MasterKey,
}

impl Generation {
    fn new(master: &MasterKey) -> Generation {
        Generation {
            seal: master.derive("rootward/seal/v1"),
            check: master.derive("rootward/key-check/v1"),
            receipt: master.derive("rootward/sqs-receipt/v1"),
            master: master.clone(),
        }
    }
}

/// The keys derived from the master key (and, during a rotation, from the
/// previous one).
pub struct Keys {
    current: Generation,
    previous: Option<Generation>,
    /// Session-token keys by (generation, epoch), derived on demand.
    token_keys: Mutex<Vec<(bool, u32, [u8; 32])>>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(***)")
    }
}

/// Which generation opened a sealed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The current master key.
    Current,
    /// The previous master key: the value should be sealed again.
    Previous,
}

fn seal_with(key: &[u8; 32], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut nonce);
    let mut out = nonce.to_vec();
    // Encryption with a valid key and nonce cannot fail for our sizes.
    if let Ok(ct) = cipher.encrypt(
        XNonce::from_slice(&nonce),
        Payload {
            msg: plaintext,
            aad,
        },
    ) {
        out.extend_from_slice(&ct);
    }
    out
}

fn open_with(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    let nonce = sealed.get(..24)?;
    let ct = sealed.get(24..)?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}

impl Keys {
    /// The keys of `current`, accepting what `previous` sealed.
    pub fn new(current: &MasterKey, previous: Option<&MasterKey>) -> Keys {
        Keys {
            current: Generation::new(current),
            previous: previous.map(Generation::new),
            token_keys: Mutex::new(Vec::new()),
        }
    }

    /// Keys from a fresh random master key (tests, and stores kept in memory).
    pub fn ephemeral() -> Keys {
        Keys::new(&MasterKey::generate(), None)
    }

    /// Seals `plaintext` for the row named by `aad`.
    pub fn seal(&self, plaintext: &str, aad: &str) -> String {
        let sealed = seal_with(&self.current.seal, plaintext.as_bytes(), aad.as_bytes());
        format!("{SEALED_PREFIX}{}", STANDARD.encode(sealed))
    }

    /// Opens a value sealed for the row named by `aad`.
    pub fn unseal(&self, sealed: &str, aad: &str) -> Result<(Secret, Opened), SealError> {
        let body = sealed
            .strip_prefix(SEALED_PREFIX)
            .ok_or(SealError::Format)?;
        let bytes = STANDARD.decode(body).map_err(|_| SealError::Format)?;
        let attempts = [
            (Some(&self.current), Opened::Current),
            (self.previous.as_ref(), Opened::Previous),
        ];
        for (generation, which) in attempts {
            if let Some(g) = generation
                && let Some(mut plain) = open_with(&g.seal, &bytes, aad.as_bytes())
            {
                let text = String::from_utf8(plain.clone()).map_err(|_| SealError::Open);
                plain.zeroize();
                return text.map(|t| (Secret::new(t), which));
            }
        }
        Err(SealError::Open)
    }

    /// The value stored in the database to recognise the master key.
    pub fn key_check(&self) -> String {
        STANDARD.encode(self.current.check)
    }

    /// Whether `stored` is the key check of the current or previous key.
    pub fn accepts_key_check(&self, stored: &str) -> Option<Opened> {
        use subtle::ConstantTimeEq as _;
        let stored = STANDARD.decode(stored).ok()?;
        if bool::from(stored.ct_eq(&self.current.check)) {
            return Some(Opened::Current);
        }
        let previous = self.previous.as_ref()?;
        bool::from(stored.ct_eq(&previous.check)).then_some(Opened::Previous)
    }

    /// The current generation's session-token key of `epoch` (a UTC day
    /// number).
    pub(crate) fn current_token_key(&self, epoch: u32) -> [u8; 32] {
        self.token_key(Opened::Current, epoch).unwrap_or_else(|| {
            self.current
                .master
                .derive(&format!("rootward/session-token/v1/{epoch}"))
        })
    }

    /// The session-token key of `epoch` (a UTC day number), current
    /// generation or previous (`None` when there is no previous one).
    pub(crate) fn token_key(&self, which: Opened, epoch: u32) -> Option<[u8; 32]> {
        let previous = which == Opened::Previous;
        let mut cache = self.token_keys.lock();
        if let Some((_, _, k)) = cache.iter().find(|(p, e, _)| *p == previous && *e == epoch) {
            return Some(*k);
        }
        let generation = if previous {
            self.previous.as_ref()?
        } else {
            &self.current
        };
        let key = generation
            .master
            .derive(&format!("rootward/session-token/v1/{epoch}"));
        if cache.len() >= 8 {
            cache.remove(0);
        }
        cache.push((previous, epoch, key));
        Some(key)
    }

    /// The tag that authenticates `data` in an SQS receipt handle: the first
    /// 16 bytes of HMAC-SHA256 under the current receipt-handle key, in
    /// lower-case hexadecimal (32 digits).
    pub fn receipt_tag(&self, data: &str) -> String {
        receipt_mac(&self.current.receipt, data)
            .map(|m| {
                hex::encode(
                    m.finalize()
                        .into_bytes()
                        .get(..RECEIPT_TAG_BYTES)
                        .unwrap_or_default(),
                )
            })
            .unwrap_or_default()
    }

    /// Whether `tag` ([`Keys::receipt_tag`]'s form) authenticates `data`
    /// under the current or the previous receipt-handle key (compared in
    /// constant time).
    pub fn verifies_receipt_tag(&self, data: &str, tag: &str) -> bool {
        let Ok(tag) = hex::decode(tag) else {
            return false;
        };
        if tag.len() != RECEIPT_TAG_BYTES {
            return false;
        }
        [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .any(|g| {
                receipt_mac(&g.receipt, data).is_some_and(|m| m.verify_truncated_left(&tag).is_ok())
            })
    }

    /// Whether a previous generation is configured.
    pub(crate) fn has_previous(&self) -> bool {
        self.previous.is_some()
    }
}

/// The length of a receipt-handle tag, in bytes (128 bits).
const RECEIPT_TAG_BYTES: usize = 16;

fn receipt_mac(key: &[u8; 32], data: &str) -> Option<Hmac<Sha256>> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).ok()?;
    mac.update(data.as_bytes());
    Some(mac)
}

pub(crate) fn aead_seal(key: &[u8; 32], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    seal_with(key, plaintext, aad)
}

pub(crate) fn aead_open(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    open_with(key, sealed, aad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_for_their_row_and_key() {
        let keys = Keys::ephemeral();
        let sealed = keys.seal("wJalrXUtnFEMI/K7MDENG", "access_keys/AKIA1");
        assert!(sealed.starts_with(SEALED_PREFIX));
        assert!(!sealed.contains("wJalrXUtnFEMI"));
        let (s, which) = keys.unseal(&sealed, "access_keys/AKIA1").unwrap();
        assert_eq!(s.expose(), "wJalrXUtnFEMI/K7MDENG");
        assert_eq!(which, Opened::Current);
        assert_eq!(
            keys.unseal(&sealed, "access_keys/AKIA2").unwrap_err(),
            SealError::Open
        );
        assert_eq!(
            Keys::ephemeral()
                .unseal(&sealed, "access_keys/AKIA1")
                .unwrap_err(),
            SealError::Open
        );
        assert_eq!(
            keys.unseal("plain", "access_keys/AKIA1").unwrap_err(),
            SealError::Format
        );
        // Two seals of one value differ (random nonces).
        assert_ne!(
            sealed,
            keys.seal("wJalrXUtnFEMI/K7MDENG", "access_keys/AKIA1")
        );
    }

    #[test]
    fn a_rotation_opens_what_the_previous_key_sealed() {
        let old = MasterKey::generate();
        let new = MasterKey::generate();
        let sealed = Keys::new(&old, None).seal("seed", "row");
        let rotated = Keys::new(&new, Some(&old));
        let (s, which) = rotated.unseal(&sealed, "row").unwrap();
        assert_eq!((s.expose(), which), ("seed", Opened::Previous));
        assert_eq!(
            rotated.accepts_key_check(&Keys::new(&old, None).key_check()),
            Some(Opened::Previous)
        );
        assert_eq!(
            rotated.accepts_key_check(&rotated.key_check()),
            Some(Opened::Current)
        );
        assert_eq!(
            Keys::ephemeral().accepts_key_check(&rotated.key_check()),
            None
        );
    }

    #[test]
    fn a_receipt_tag_verifies_only_its_data_under_its_key() {
        let old = MasterKey::generate();
        let keys = Keys::new(&old, None);
        let tag = keys.receipt_tag("q/1.abc");
        assert_eq!(tag.len(), 32);
        assert!(keys.verifies_receipt_tag("q/1.abc", &tag));
        assert!(!keys.verifies_receipt_tag("q/1.abd", &tag));
        assert!(!keys.verifies_receipt_tag("q/1.abc", &tag[..30]));
        assert!(!keys.verifies_receipt_tag("q/1.abc", "not hex"));
        assert!(!Keys::ephemeral().verifies_receipt_tag("q/1.abc", &tag));
        // A rotation keeps what the previous key tagged.
        let rotated = Keys::new(&MasterKey::generate(), Some(&old));
        assert!(rotated.verifies_receipt_tag("q/1.abc", &tag));
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let k = MasterKey::read_or_create(&path).unwrap();
        let again = MasterKey::read_or_create(&path).unwrap();
        assert_eq!(k.to_text(), again.to_text());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(MasterKey::from_text("not base64!").is_err());
        assert!(MasterKey::from_text(&STANDARD.encode([1u8; 16])).is_err());
        assert_eq!(format!("{k:?}"), "MasterKey(***)");
    }
}
