//! The generated tables, one module per service: written by `cargo xtask codegen`
//! from `models/`. Do not edit.

pub mod account;
pub mod cloudtrail;
pub mod ec2;
pub mod iam;
pub mod organizations;
pub mod s3;
pub mod sqs;
pub mod sts;
