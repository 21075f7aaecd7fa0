//! [`Secret`]: a string that never shows itself in `Debug` or logs, and
//! compares in constant time.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// A secret value (secret access key, session token).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The value, for signing-key derivation and the one response that hands it out.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Constant-time equality with a presented value.
    pub fn matches(&self, presented: &str) -> bool {
        ct_eq(self.0.as_bytes(), presented.as_bytes())
    }
}

/// Whether `a` and `b` are equal, in time that depends only on their
/// lengths (which are not secret; different lengths are unequal at once).
/// Eight bytes at a time: `subtle`'s own comparison of byte slices passes
/// every byte through an optimization barrier, and a session token (~1 KiB,
/// compared on every call a session makes) cost ~1% of a member-role
/// ListUsers' CPU that way (issue 15).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (a_words, a_rest) = a.as_chunks::<8>();
    let (b_words, b_rest) = b.as_chunks::<8>();
    let mut equal = subtle::Choice::from(1);
    for (x, y) in a_words.iter().zip(b_words) {
        equal &= u64::from_ne_bytes(*x).ct_eq(&u64::from_ne_bytes(*y));
    }
    equal &= a_rest.ct_eq(b_rest);
    equal.into()
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_debug_prints_the_value() {
        let s = Secret::new("wJalrXUtnFEMI");
        assert_eq!(format!("{s:?}"), "***");
        assert!(s.matches("wJalrXUtnFEMI"));
        assert!(!s.matches("wJalrXUtnFEMJ"));
        assert!(!s.matches(""));
    }

    #[test]
    fn compares_every_byte_of_any_length() {
        let a: Vec<u8> = (0..=255u8).cycle().take(1037).collect();
        for len in [0, 1, 7, 8, 9, 16, 1000, 1037] {
            let x = &a[..len];
            assert!(ct_eq(x, x));
            for i in 0..len {
                let mut y = x.to_vec();
                y[i] ^= 0x20;
                assert!(!ct_eq(x, &y), "byte {i} of {len}");
            }
            assert!(!ct_eq(x, &a[..len.saturating_sub(1)]) || len == 0);
        }
    }
}
