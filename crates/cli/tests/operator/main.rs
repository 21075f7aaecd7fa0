//! The operator commands as processes against a real `rootward serve`:
//! JSON output, exit codes, failures reported with their AWS error codes.
//!
//! Not covered yet (the endpoint lacks them today): root access keys,
//! signing certificates and MFA devices (no public API creates them; they
//! come with the sign-in stand-ins and `serve --demo`), and unlock-bucket /
//! unlock-queue end to end (S3 and SQS land in parallel branches; their
//! backup and validation logic is unit-tested in `src/commands/unlock.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod fixture;
mod flows;
mod throttle;
