//! Rootward's AWS-compatible endpoint: one listener for every service.
//!
//! A request goes through [`app`] top to bottom: request id → health check
//! and the sign-in page stand-ins ([`console`]) →
//! body → SigV4 ([`auth`]) → service from the credential scope → the
//! service's protocol ([`protocol`]) → the operation table of the service
//! ([`services`]) → the domain (`rootward-core`) → the protocol's envelope.
//! Every failure becomes the protocol's own error envelope ([`error`]).

pub mod app;
pub mod auth;
pub mod console;
pub mod error;
pub mod protocol;
pub mod services;
pub mod signin_pages;
pub mod trail;

pub use app::{AppState, app, serve};
