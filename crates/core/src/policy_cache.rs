//! Compiled policies, failing closed.
//!
//! Every policy that takes part in a decision is compiled once: stored
//! policies when they are loaded or written ([`crate::state`]), session
//! policies the first time a token carrying them is seen ([`PolicyCache`],
//! by content, bounded). A policy that cannot be compiled (a document stored
//! by an older engine that this one refuses) or that cannot be found (a
//! dangling reference) is never dropped: it is replaced by [`deny_all`], so
//! every request it governs is an explicit deny, and the reason is logged.

use std::collections::HashMap;

use parking_lot::Mutex;
use rootward_policy::{Policy, PolicyKind};
use sha2::{Digest, Sha256};

/// The id a [`deny_all`] stand-in carries (seen in denial explanations).
pub const COULD_NOT_BE_EVALUATED: &str = "policy-that-could-not-be-evaluated";

/// A policy of `kind` that denies every action on every resource: the
/// stand-in for a policy that cannot be compiled or found.
pub fn deny_all(kind: PolicyKind) -> Policy {
    Policy::deny_all(COULD_NOT_BE_EVALUATED, kind)
}

thread_local! {
    /// Inside [`with_shared_documents`]: the documents compiled so far, by
    /// text, with their kind.
    static SHARED: std::cell::RefCell<Option<HashMap<String, Vec<Policy>>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` so that [`compile_stored`] compiles each distinct document once
/// (per kind): loading a state where ten thousand users carry the same
/// inline policy compiles it once and shares the compiled statements.
pub fn with_shared_documents<R>(f: impl FnOnce() -> R) -> R {
    let outer = SHARED.with(|m| m.borrow_mut().replace(HashMap::new()));
    let result = f();
    SHARED.with(|m| *m.borrow_mut() = outer);
    result
}

/// Compiles a stored policy; one that does not compile becomes [`deny_all`]
/// and is logged.
pub fn compile_stored(id: &str, text: &str, kind: PolicyKind) -> Policy {
    let shared = SHARED.with(|m| {
        m.borrow().as_ref().and_then(|m| {
            m.get(text)
                .and_then(|same| same.iter().find(|p| p.kind() == kind))
                .map(|p| p.renamed(id))
        })
    });
    if let Some(p) = shared {
        return p;
    }
    // Without the kind's size quota: a stored document was held to its
    // quota when it was written, and some quotas are not the kind's (a
    // role's inline policies may together reach 10,240 characters, one of
    // them past the 6,144 of a managed policy). Weighing it again here
    // turned such a role's every call into a denial.
    match Policy::parse_without_quota(id.to_owned(), text, kind) {
        Ok(p) => {
            SHARED.with(|m| {
                if let Some(m) = m.borrow_mut().as_mut() {
                    m.entry(text.to_owned()).or_default().push(p.clone());
                }
            });
            p
        }
        Err(e) => {
            tracing::error!(policy = %id, error = %e, "a stored policy does not compile: every request it governs is denied");
            deny_all(kind)
        }
    }
}

/// Most compiled session policies kept.
const CAPACITY: usize = 4_096;

/// Session policies (and other documents evaluated from requests) compiled
/// once, by content.
#[derive(Default)]
pub struct PolicyCache {
    map: Mutex<HashMap<[u8; 32], Policy>>,
}

impl PolicyCache {
    /// The compiled form of `text` as a policy of `kind`; [`deny_all`] when
    /// it does not compile (logged).
    pub fn get(&self, id: &str, text: &str, kind: PolicyKind) -> Policy {
        let mut h = Sha256::new();
        h.update([kind as u8]);
        h.update(id.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        let key: [u8; 32] = h.finalize().into();
        if let Some(p) = self.map.lock().get(&key) {
            return p.clone();
        }
        let compiled = compile_stored(id, text, kind);
        let mut map = self.map.lock();
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(key, compiled.clone());
        compiled
    }

    /// How many compiled policies are kept.
    pub fn len(&self) -> usize {
        self.map.lock().len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_loaded_together_are_compiled_once_per_kind_and_keep_their_names() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#;
        let (a, b, c) = with_shared_documents(|| {
            (
                compile_stored("user/a#p", doc, PolicyKind::Identity),
                compile_stored("user/b#p", doc, PolicyKind::Identity),
                compile_stored("bucket#policy", doc, PolicyKind::Resource),
            )
        });
        assert_eq!((a.id(), b.id()), ("user/a#p", "user/b#p"));
        assert_eq!(a.kind(), PolicyKind::Identity);
        // A resource policy needs a Principal: the same text is compiled
        // again as its own kind, and refused.
        assert_eq!(c.id(), COULD_NOT_BE_EVALUATED);
        // Outside, nothing is remembered.
        assert_eq!(
            compile_stored("user/d#p", doc, PolicyKind::Identity).id(),
            "user/d#p"
        );
        assert!(SHARED.with(|m| m.borrow().is_none()));
    }

    #[test]
    fn a_policy_that_does_not_compile_becomes_deny_all_and_is_cached_once() {
        let cache = PolicyCache::default();
        let bad = cache.get("session", "{not json", PolicyKind::Session);
        assert_eq!(bad.id(), COULD_NOT_BE_EVALUATED);
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let a = cache.get("session", doc, PolicyKind::Session);
        let _ = cache.get("session", doc, PolicyKind::Session);
        assert_eq!(a.id(), "session");
        assert_eq!(cache.len(), 2);
    }
}
