//! The operator commands as processes against a real `rootward serve`:
//! JSON output, exit codes, failures reported with their AWS error codes;
//! `unlock-bucket` / `unlock-queue` against the endpoint's S3 and SQS
//! (`unlock.rs`), and the whole audit/delete cycle on `serve --demo`
//! (`demo.rs`), whose older accounts have root passwords, MFA, access keys
//! and a signing certificate.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod console;
mod demo;
mod fixture;
mod flows;
mod throttle;
mod unlock;
