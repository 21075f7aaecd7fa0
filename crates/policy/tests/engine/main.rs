//! Integration tests of the policy engine through its public API only.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;
mod conditions;
mod decisions;
mod properties;
mod simulate;
mod task_policies;
