//! Rootward's AWS-compatible endpoint: one listener for every service.
//!
//! A connection is accepted by [`listener`] under [`limits`] (connection
//! cap, header, body and keep-alive timeouts, body budget, shutdown grace).
//! A request then goes through [`app`] top to bottom: request id and its
//! log span ([`request_log`]) → health check and the sign-in page stand-ins
//! ([`console`]) → the signature found and its key looked up, before the
//! body ([`auth::identify`]) → body, under the budget → SigV4 verified
//! ([`auth::authenticate`]) → service from the credential scope → the
//! service's protocol ([`protocol`]) → the operation table of the service
//! ([`services`]) → the domain (`rootward-core`) → the protocol's envelope.
//! Every failure becomes the protocol's own error envelope ([`error`]).

pub mod app;
pub mod auth;
pub mod console;
pub mod error;
pub mod limits;
pub mod listener;
pub mod protocol;
pub mod request_log;
pub mod server;
pub mod services;
pub mod signin_pages;
pub mod trail;

pub use app::AppState;
pub use limits::Limits;
pub use listener::{Served, Stop, serve, serve_until};
pub use server::{Config, MasterKeySource, OpenError, Server};
