//! The public API of `rootward-sigv4` against spec 07: its test vectors, the
//! refusals, and robustness on arbitrary input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;
mod malformed;
mod no_panic;
mod refusals;
mod spec_vectors;
