//! The wire protocols. Services never build envelopes themselves.

pub mod query;
pub mod xml;
