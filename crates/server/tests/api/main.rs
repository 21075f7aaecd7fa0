//! Integration tests: the real server on a loopback port, driven by the AWS SDK for Rust.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod account;
mod audit_calls;
mod aws_managed;
mod cloudtrail;
mod common;
mod edge;
mod foreign;
mod groups;
mod iam;
mod login_profiles;
mod managed_policies;
mod oidc_providers;
mod org_tags;
mod organizations;
mod roles;
mod root_access;
mod root_user;
mod s3;
mod s3_checksums;
mod s3_config;
mod s3_documents;
mod service_linked_roles;
mod sign_in_history;
mod simulate;
mod sqs;
mod sts;
mod task_matrix;
mod trail_settings;
mod trails;
mod trust;
mod user_credentials;
mod user_updates;
