//! Identifiers as AWS shapes them (spec 02 §2.2).

use rand::Rng;
use rand::distr::Alphanumeric;

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| {
            char::from(
                BASE32
                    .get(rng.random_range(0..BASE32.len()))
                    .copied()
                    .unwrap_or(b'A'),
            )
        })
        .collect()
}

/// A 12-digit account id that does not start with 0.
pub fn account_id() -> String {
    let mut rng = rand::rng();
    format!(
        "{}{:011}",
        rng.random_range(1..10),
        rng.random_range(0..100_000_000_000u64)
    )
}

/// Bits 7–46 of a key id's first six bytes: the account id.
const KEY_ACCOUNT_MASK: u64 = 0x7fff_ffff_ff80;

/// An access key id of `prefix` that carries `account` as AWS's key ids
/// do: 16 base-32 characters of ten bytes whose first six hold the account
/// id shifted left by seven bits (the top bit and the low seven random), the
/// other four random. [`account_of_key`] reads the account back, as
/// `GetAccessKeyInfo` and offline tools do with AWS's ids. An id that is not
/// a 12-digit account falls back to ten random bytes.
fn key_id_for(prefix: &str, account: &str) -> String {
    let mut rng = rand::rng();
    let mut bytes: [u8; 10] = rng.random();
    if let Ok(n) = account.parse::<u64>()
        && account.len() == 12
    {
        let z = (u64::from(bytes[0] & 0x80) << 40) | (n << 7) | u64::from(bytes[5] & 0x7f);
        let be = z.to_be_bytes();
        bytes[..6].copy_from_slice(&be[2..8]);
    } else {
        return format!("{prefix}{}", base32(16));
    }
    format!("{prefix}{}", data_encoding::BASE32_NOPAD.encode(&bytes))
}

/// The account an `AKIA…`/`ASIA…` key id carries ([`key_id_for`]); `None`
/// when it is not one (another prefix, not 16 base-32 characters).
pub fn account_of_key(key_id: &str) -> Option<String> {
    let body = key_id
        .strip_prefix("AKIA")
        .or_else(|| key_id.strip_prefix("ASIA"))?;
    if body.len() != 16 {
        return None;
    }
    let bytes = data_encoding::BASE32_NOPAD.decode(body.as_bytes()).ok()?;
    let mut be = [0u8; 8];
    be[2..8].copy_from_slice(bytes.get(..6)?);
    let account = (u64::from_be_bytes(be) & KEY_ACCOUNT_MASK) >> 7;
    Some(format!("{account:012}"))
}

/// A long-term access key id of `account`: `AKIA` + 16 base-32 characters.
pub fn long_term_key_id(account: &str) -> String {
    key_id_for("AKIA", account)
}

/// A temporary access key id of `account`: `ASIA` + 16 base-32 characters.
pub fn temporary_key_id(account: &str) -> String {
    key_id_for("ASIA", account)
}

/// A 40-character secret access key.
pub fn secret_access_key() -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
    let mut rng = rand::rng();
    (0..40)
        .map(|_| {
            char::from(
                CHARS
                    .get(rng.random_range(0..CHARS.len()))
                    .copied()
                    .unwrap_or(b'a'),
            )
        })
        .collect()
}

/// An opaque session token.
pub fn session_token() -> String {
    let body: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(160)
        .map(char::from)
        .collect();
    format!("IQoJb3JpZ2luX2Vj{body}")
}

/// A unique id with an IAM prefix (`AIDA` users, `AROA` roles, `ANPA` policies).
pub fn unique_id(prefix: &str) -> String {
    format!("{prefix}{}", base32(17))
}

/// A random (version 4) UUID, lower-case hex in the 8-4-4-4-12 layout.
pub fn uuid() -> String {
    let mut rng = rand::rng();
    let h: String = (0..32)
        .map(|_| char::from_digit(rng.random_range(0..16u32), 16).unwrap_or('0'))
        .collect();
    let part = |a: usize, b: usize| h.get(a..b).unwrap_or("0").to_owned();
    format!(
        "{}-{}-4{}-a{}-{}",
        part(0, 8),
        part(8, 12),
        part(13, 16),
        part(17, 20),
        part(20, 32)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let a = account_id();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| b.is_ascii_digit()) && !a.starts_with('0'));
        let long = long_term_key_id("123456789012");
        assert!(long.starts_with("AKIA") && long.len() == 20, "{long}");
        assert!(temporary_key_id("123456789012").starts_with("ASIA"));
        // The account reads back, as from AWS's own ids.
        for account in [
            "123456789012",
            "000000000001",
            "999999999999",
            "111111111111",
        ] {
            for _ in 0..50 {
                assert_eq!(
                    account_of_key(&long_term_key_id(account)).as_deref(),
                    Some(account)
                );
                assert_eq!(
                    account_of_key(&temporary_key_id(account)).as_deref(),
                    Some(account)
                );
            }
        }
        // AWS's documented example key id decodes as AWS's tools decode it.
        assert_eq!(
            account_of_key("ASIAY34FZKBOKMUTVV7A").as_deref(),
            Some("609629065308")
        );
        assert_eq!(account_of_key("AKIAshort"), None);
        assert_eq!(account_of_key("AIDAY34FZKBOKMUTVV7A"), None);
        assert_eq!(secret_access_key().len(), 40);
        assert_eq!(unique_id("AIDA").len(), 21);
    }
}
