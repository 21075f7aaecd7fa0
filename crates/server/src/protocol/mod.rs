//! The wire protocols. Services never build envelopes themselves.

pub mod json;
pub mod query;
pub mod xml;
