//! Rootward's domain: accounts, IAM users and access keys, managed policies,
//! STS sessions, and the authorization pipeline that feeds the policy engine.
//!
//! The domain knows no HTTP. State lives in memory ([`state::State`]) and is
//! made durable through a [`store::Store`]: every change is committed to the
//! store before it is applied in memory and acknowledged, and a restart loads
//! the store back. Storage is a small key-value contract so that a PostgreSQL
//! backend can be added beside the SQLite one.

pub mod account;
pub mod authz;
pub mod bootstrap;
pub mod clock;
pub mod cloudtrail;
pub mod datadir;
pub mod demo;
pub mod ec2;
pub mod error;
pub mod iam;
pub mod ident;
pub mod ids;
pub mod keys;
pub mod model;
pub mod org;
pub mod paging;
pub mod policy_cache;
pub mod root_user;
pub mod s3;
pub mod sealing;
pub mod secret;
pub mod service;
pub mod sqs;
pub mod state;
pub mod store;
pub mod sts;
pub mod tokens;
pub mod trail;

pub use error::CoreError;
pub use service::Service;
