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

/// A long-term access key id: `AKIA` + 16 base-32 characters.
pub fn long_term_key_id() -> String {
    format!("AKIA{}", base32(16))
}

/// A temporary access key id: `ASIA` + 16 base-32 characters.
pub fn temporary_key_id() -> String {
    format!("ASIA{}", base32(16))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let a = account_id();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| b.is_ascii_digit()) && !a.starts_with('0'));
        assert!(long_term_key_id().starts_with("AKIA") && long_term_key_id().len() == 20);
        assert!(temporary_key_id().starts_with("ASIA"));
        assert_eq!(secret_access_key().len(), 40);
        assert_eq!(unique_id("AIDA").len(), 21);
    }
}
