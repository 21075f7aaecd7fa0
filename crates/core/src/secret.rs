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
        self.0.as_bytes().ct_eq(presented.as_bytes()).into()
    }
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
}
