//! Integration tests: the real server on a loopback port, driven by the AWS SDK for Rust.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod cloudtrail;
mod common;
mod edge;
mod groups;
mod iam;
mod login_profiles;
mod managed_policies;
mod organizations;
mod roles;
mod root_access;
mod root_user;
mod s3;
mod s3_documents;
mod simulate;
mod sqs;
mod sts;
mod task_matrix;
mod user_credentials;
