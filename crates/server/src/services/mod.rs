//! One module per AWS service: its operation table and handlers.

pub mod iam;
pub mod organizations;
pub mod s3;
pub mod sts;

use rootward_core::Service;
use rootward_core::authz::Caller;

/// What every handler gets.
pub struct Ctx<'a> {
    /// The domain.
    pub svc: &'a Service,
    /// The authenticated caller.
    pub caller: &'a Caller,
    /// Whether the request came to the global STS host (`sts.amazonaws.com`).
    pub global_endpoint: bool,
}
