//! One module per AWS service: its one dispatch `match` over the service's
//! generated `Operation` enum, and its handlers, grouped by AWS noun.
//!
//! [`Api`] names the services this endpoint knows (by SigV4 signing name,
//! each with its pinned model) and [`Op`] one operation of any of them; the
//! pipeline in [`crate::app`] routes a request to an [`Op`] through its
//! protocol, then calls the service here.

pub mod account;
pub mod cloudtrail;
pub mod ec2;
pub mod iam;
pub mod organizations;
pub mod s3;
pub mod sqs;
pub mod sts;

use axum::http::request::Parts;
use rootward_core::Service;
use rootward_core::authz::Caller;
use rootward_model::OperationInfo;

use crate::error::ApiError;
use crate::protocol::input::{Input, Invalid};
use crate::protocol::xml::Xml;

/// A service this endpoint knows, by its pinned model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// IAM (query).
    Iam,
    /// STS (query).
    Sts,
    /// Organizations (JSON 1.1).
    Organizations,
    /// SQS (JSON 1.0, query-compatible; also its older query form).
    Sqs,
    /// CloudTrail (JSON 1.1).
    CloudTrail,
    /// S3 (REST-XML).
    S3,
    /// Account Management (REST-JSON).
    Account,
    /// EC2 (EC2 query).
    Ec2,
}

impl Api {
    /// Every service served.
    pub const ALL: &'static [Api] = &[
        Api::Iam,
        Api::Sts,
        Api::Organizations,
        Api::Sqs,
        Api::CloudTrail,
        Api::S3,
        Api::Account,
        Api::Ec2,
    ];

    /// The service a SigV4 credential scope names (`iam`, `s3`, …).
    pub fn from_signing_name(name: &str) -> Option<Api> {
        Api::ALL
            .iter()
            .copied()
            .find(|a| a.model().signing_name == name)
    }

    /// The service's pinned model.
    pub fn model(self) -> &'static rootward_model::Service {
        match self {
            Api::Iam => &rootward_model::iam::SERVICE,
            Api::Sts => &rootward_model::sts::SERVICE,
            Api::Organizations => &rootward_model::organizations::SERVICE,
            Api::Sqs => &rootward_model::sqs::SERVICE,
            Api::CloudTrail => &rootward_model::cloudtrail::SERVICE,
            Api::S3 => &rootward_model::s3::SERVICE,
            Api::Account => &rootward_model::account::SERVICE,
            Api::Ec2 => &rootward_model::ec2::SERVICE,
        }
    }

    /// The operation named `name`, when this endpoint serves it.
    pub fn operation(self, name: &str) -> Option<Op> {
        let op = match self {
            Api::Iam => rootward_model::iam::Operation::from_name(name).map(Op::Iam),
            Api::Sts => rootward_model::sts::Operation::from_name(name).map(Op::Sts),
            Api::Organizations => {
                rootward_model::organizations::Operation::from_name(name).map(Op::Organizations)
            }
            Api::Sqs => rootward_model::sqs::Operation::from_name(name).map(Op::Sqs),
            Api::CloudTrail => {
                rootward_model::cloudtrail::Operation::from_name(name).map(Op::CloudTrail)
            }
            Api::S3 => rootward_model::s3::Operation::from_name(name).map(Op::S3),
            Api::Account => rootward_model::account::Operation::from_name(name).map(Op::Account),
            Api::Ec2 => rootward_model::ec2::Operation::from_name(name).map(Op::Ec2),
        }?;
        op.info().implemented().then_some(op)
    }

    /// The operation a REST request names by method and path over the
    /// service's generated routes, when this endpoint serves it (REST-JSON
    /// services; S3 routes in [`s3`]).
    pub fn route(self, req: &impl rootward_model::rest::HttpRequest) -> Option<Op> {
        let op = match self {
            Api::Account => crate::protocol::rest_json::route(rootward_model::account::ROUTES, req)
                .map(Op::Account),
            _ => None,
        }?;
        op.info().implemented().then_some(op)
    }

    /// How the service answers input that breaks the model's constraints.
    pub fn invalid(self) -> Invalid {
        match self {
            Api::Iam => iam::invalid,
            Api::Sts => sts::invalid,
            Api::Organizations => organizations::invalid,
            Api::Sqs => sqs::invalid,
            Api::CloudTrail => cloudtrail::invalid,
            Api::S3 => s3::invalid,
            Api::Account => account::invalid,
            Api::Ec2 => ec2::invalid,
        }
    }

    /// Whether CloudTrail records the service's calls in `us-east-1`
    /// whatever the caller's region (global services, and STS called on its
    /// global endpoint; spec 04 §4.3.1). Account Management's endpoint is
    /// global too.
    pub fn global(self, global_endpoint: bool) -> bool {
        match self {
            Api::Iam | Api::Organizations | Api::Account => true,
            Api::Sts => global_endpoint,
            Api::Sqs | Api::CloudTrail | Api::S3 | Api::Ec2 => false,
        }
    }
}

/// One operation of a served service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// IAM.
    Iam(rootward_model::iam::Operation),
    /// STS.
    Sts(rootward_model::sts::Operation),
    /// Organizations.
    Organizations(rootward_model::organizations::Operation),
    /// SQS.
    Sqs(rootward_model::sqs::Operation),
    /// CloudTrail.
    CloudTrail(rootward_model::cloudtrail::Operation),
    /// S3.
    S3(rootward_model::s3::Operation),
    /// Account Management.
    Account(rootward_model::account::Operation),
    /// EC2.
    Ec2(rootward_model::ec2::Operation),
}

impl Op {
    /// Everything the model and the supplementary table say about it.
    pub fn info(self) -> &'static OperationInfo {
        match self {
            Op::Iam(o) => o.info(),
            Op::Sts(o) => o.info(),
            Op::Organizations(o) => o.info(),
            Op::Sqs(o) => o.info(),
            Op::CloudTrail(o) => o.info(),
            Op::S3(o) => o.info(),
            Op::Account(o) => o.info(),
            Op::Ec2(o) => o.info(),
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        self.info().name
    }
}

/// Runs an operation of a query-protocol service (IAM, STS); a body of
/// `None` means no result element.
pub fn call_query(
    op: Op,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<Xml>>, ApiError> {
    match op {
        Op::Iam(o) => iam::call(o, ctx, input),
        Op::Sts(o) => sts::call(o, ctx, input),
        other => Err(wrong_protocol(other)),
    }
}

/// Runs an operation of a JSON-protocol service (Organizations, SQS,
/// CloudTrail; Account over REST-JSON); a body of `None` answers an empty
/// body.
pub fn call_json(
    op: Op,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<serde_json::Value>>, ApiError> {
    match op {
        Op::Organizations(o) => organizations::call(o, ctx, input),
        Op::Sqs(o) => sqs::call(o, ctx, input),
        Op::CloudTrail(o) => cloudtrail::call(o, ctx, input),
        Op::Account(o) => account::call(o, ctx, input),
        other => Err(wrong_protocol(other)),
    }
}

/// An operation routed to a protocol its service does not speak: the
/// routers never do this.
fn wrong_protocol(op: Op) -> ApiError {
    tracing::error!(
        operation = op.name(),
        "operation routed to the wrong protocol"
    );
    ApiError::internal()
}

/// What every handler gets.
pub struct Ctx<'a> {
    /// The domain.
    pub svc: &'a Service,
    /// The authenticated caller.
    pub caller: &'a Caller,
    /// The request's head (SQS names queues by the host and path it was
    /// called on).
    pub parts: &'a Parts,
    /// Whether the request came to the global STS host (`sts.amazonaws.com`).
    pub global_endpoint: bool,
}

impl<'a> Ctx<'a> {
    /// A context for one request.
    pub fn new(
        svc: &'a Service,
        caller: &'a Caller,
        parts: &'a Parts,
        global_endpoint: bool,
    ) -> Ctx<'a> {
        Ctx {
            svc,
            caller,
            parts,
            global_endpoint,
        }
    }
}

/// What a handler answers: the output its protocol encodes, with what the
/// trail records of it besides the request.
#[derive(Debug)]
pub struct Output<B> {
    /// The output.
    pub body: B,
    /// CloudTrail's `responseElements` (never a secret).
    pub response_elements: Option<serde_json::Value>,
    /// Another account that receives a copy of the call's record.
    pub shared_with: Option<String>,
}

impl<B> From<B> for Output<B> {
    fn from(body: B) -> Output<B> {
        Output {
            body,
            response_elements: None,
            shared_with: None,
        }
    }
}

/// What the services' unit tests share.
#[cfg(test)]
pub(crate) mod test_support {
    #![allow(clippy::unwrap_used)]

    /// A service on a temporary store, with its bootstrap account's root.
    pub(crate) fn service() -> (
        tempfile::TempDir,
        rootward_core::Service,
        rootward_core::authz::Caller,
    ) {
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let store =
            rootward_core::store::sqlite::SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let keys = rootward_core::keys::Keys::new(
            &rootward_core::keys::MasterKey::read_or_create(&dir.path().join("k")).unwrap(),
            None,
        );
        let svc = rootward_core::Service::open(
            Box::new(store),
            Arc::new(rootward_core::clock::SystemClock::default()),
            keys,
        )
        .unwrap();
        let b = rootward_core::bootstrap::bootstrap(&svc, Some("111111111111"), None, None)
            .unwrap()
            .unwrap();
        let caller = svc.credential(&b.access_key_id, None).unwrap().caller;
        (dir, svc, caller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_found_by_signing_name_and_only_served_operations_route() {
        for api in Api::ALL {
            assert_eq!(Api::from_signing_name(api.model().signing_name), Some(*api));
        }
        assert_eq!(Api::from_signing_name("logs"), None);
        assert_eq!(Api::from_signing_name("account"), Some(Api::Account));
        assert_eq!(Api::from_signing_name("ec2"), Some(Api::Ec2));
        assert_eq!(
            Api::Iam.operation("GetUser"),
            Some(Op::Iam(rootward_model::iam::Operation::GetUser))
        );
        // Modelled, not served.
        assert_eq!(Api::Iam.operation("CreateSAMLProvider"), None);
        assert_eq!(Api::Iam.operation("NoSuchThing"), None);
    }
}

/// One test per service (S3's sits in `s3/mod.rs`): its dispatch table and
/// its model's `implemented` flags name exactly the same operations.
#[cfg(test)]
mod handler_tables {
    macro_rules! every_implemented_operation_has_a_handler {
        ($($service:ident),* $(,)?) => {$(
            mod $service {
                #[test]
                fn exactly_the_operations_marked_implemented_have_a_handler() {
                    for op in rootward_model::$service::Operation::ALL {
                        assert_eq!(
                            crate::services::$service::handler(*op).is_some(),
                            op.info().implemented(),
                            "{}",
                            op.name()
                        );
                    }
                }
            }
        )*};
    }

    every_implemented_operation_has_a_handler!(
        iam,
        sts,
        organizations,
        sqs,
        cloudtrail,
        account,
        ec2
    );
}
