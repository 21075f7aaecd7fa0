//! One module per AWS service: its operation table and handlers.

pub mod account;
pub mod cloudtrail;
pub mod ec2;
pub mod iam;
pub mod organizations;
pub mod s3;
pub mod sqs;
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
    /// What a handler wants the trail to show as `responseElements` (never a
    /// secret).
    pub trail_response: std::cell::RefCell<Option<serde_json::Value>>,
}

impl<'a> Ctx<'a> {
    /// A context for one request.
    pub fn new(svc: &'a Service, caller: &'a Caller, global_endpoint: bool) -> Ctx<'a> {
        Ctx {
            svc,
            caller,
            global_endpoint,
            trail_response: std::cell::RefCell::new(None),
        }
    }
}
