//! The wire protocols. Services never build envelopes themselves.

pub mod input;
pub mod json;
pub mod query;
pub mod rest_json;
pub mod xml;
