//! The per-service and per-operation tables the generator fills.

use crate::shape::{Member, OutputMember};

/// How a service's requests and responses are framed (spec 08).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `awsQuery`: form parameters in, XML out (IAM, STS).
    Query {
        /// The `Version` parameter.
        version: &'static str,
        /// The namespace of the XML answers.
        xml_namespace: &'static str,
    },
    /// `ec2`: the query protocol with EC2's naming (`queryName`, no
    /// `.member.`, no `<{Op}Result>` wrapper).
    Ec2 {
        /// The `Version` parameter.
        version: &'static str,
        /// The namespace of the XML answers.
        xml_namespace: &'static str,
    },
    /// `awsJson1_0` / `awsJson1_1`: `POST /` with `X-Amz-Target`.
    Json {
        /// 1.0 or 1.1 (the `Content-Type`).
        version: JsonVersion,
        /// The `X-Amz-Target` prefix before `.<Operation>`.
        target_prefix: &'static str,
        /// `awsQueryCompatible`: errors also carry their query code in
        /// `x-amzn-query-error` (SQS).
        query_compatible: bool,
    },
    /// `restXml`: method, path and query select the operation (S3).
    RestXml,
    /// `restJson1`: method and path select the operation (Account).
    RestJson,
}

/// The JSON protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    /// `application/x-amz-json-1.0`.
    V1_0,
    /// `application/x-amz-json-1.1`.
    V1_1,
}

impl JsonVersion {
    /// The request and response content type.
    pub const fn content_type(self) -> &'static str {
        match self {
            JsonVersion::V1_0 => "application/x-amz-json-1.0",
            JsonVersion::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// A service as its model describes it.
#[derive(Debug)]
pub struct Service {
    /// The SigV4 signing name (`iam`, `s3`, …).
    pub signing_name: &'static str,
    /// The endpoint prefix (`iam`).
    pub endpoint_prefix: &'static str,
    /// The model's `serviceId` (`IAM`).
    pub service_id: &'static str,
    /// The API version (`2010-05-08`).
    pub api_version: &'static str,
    /// The wire protocol.
    pub protocol: Protocol,
    /// The global endpoint host, for global services.
    pub global_endpoint: Option<&'static str>,
    /// The model copy these tables come from (`botocore 1.43.11`).
    pub model_source: &'static str,
}

/// The HTTP binding of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Http {
    /// The method (`POST` for query and JSON protocols).
    pub method: &'static str,
    /// The URI template, with the sub-resource query of REST operations
    /// (`/{Bucket}?policy`).
    pub uri: &'static str,
    /// The status of a success (`responseCode`, else 200).
    pub status: u16,
}

/// Who is at fault when an error is answered (the query protocol's
/// `<Type>`, the `x-amzn-query-error` suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The client (4xx).
    Sender,
    /// The service (5xx).
    Receiver,
}

impl Fault {
    /// `Sender` or `Receiver`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Fault::Sender => "Sender",
            Fault::Receiver => "Receiver",
        }
    }
}

/// A modelled error.
#[derive(Debug)]
pub struct ErrorInfo {
    /// The error shape's name (the JSON `__type`).
    pub shape: &'static str,
    /// The code on the wire of the service's protocol: the query `<Code>`
    /// (`error.code` when modelled, else the shape name), the JSON `__type`
    /// or the S3 `<Code>`.
    pub code: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Sender or receiver fault.
    pub fault: Fault,
    /// The `awsQueryError` code of an `awsQueryCompatible` service's error
    /// (`AWS.SimpleQueueService.NonExistentQueue`), sent in
    /// `x-amzn-query-error`; `None` where the service is not query-compatible.
    pub query_code: Option<&'static str>,
}

/// Where a call runs (spec: `app.rs` dispatch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dispatch {
    /// It only reads state held in memory: served on the async worker.
    Memory,
    /// It decides from state held in memory and its only write is its own
    /// trail event (it issues credentials): served on the async worker, and
    /// the answer waits, without holding a thread, until the event is
    /// stored and synced.
    Issue,
    /// It may commit, wait for the trail or read stored bytes: blocking pool.
    Blocking,
}

/// A resource CloudTrail records for a call, from the request's members.
#[derive(Debug)]
pub struct ResourceRule {
    /// The rule's name in the supplementary table (`user`).
    pub name: &'static str,
    /// The CloudTrail resource type (`AWS::IAM::User`).
    pub kind: &'static str,
    /// The ARN template: `{account}` is the caller's account, `{Member}` a
    /// top-level input member (`arn:aws:iam::{account}:user/{UserName}`).
    pub template: &'static str,
}

impl ResourceRule {
    /// The resource's ARN, or `None` when a member it names is absent.
    pub fn render<'a>(
        &self,
        account: &str,
        member: impl Fn(&str) -> Option<&'a str>,
    ) -> Option<String> {
        let mut out = String::with_capacity(self.template.len() + 32);
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            let (before, after) = rest.split_at(open);
            out.push_str(before);
            let close = after.find('}')?;
            let name = after.get(1..close)?;
            if name == "account" {
                out.push_str(account);
            } else {
                out.push_str(member(name)?);
            }
            rest = after.get(close + 1..)?;
        }
        out.push_str(rest);
        Some(out)
    }
}

/// What the model lacks, from the hand-written table in `models/extra/`.
#[derive(Debug)]
pub struct Facts {
    /// The IAM action authorized (`iam:GetUser`, `s3:ListBucket`).
    pub action: &'static str,
    /// CloudTrail's `readOnly`.
    pub read_only: bool,
    /// A data event: CloudTrail's event history does not keep it.
    pub data_event: bool,
    /// The resources recorded in the trail.
    pub resources: &'static [&'static ResourceRule],
    /// The endpoint serves it.
    pub implemented: bool,
    /// Where the call runs.
    pub dispatch: Dispatch,
}

/// Everything known about one operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The operation's name (`GetUser`).
    pub name: &'static str,
    /// Its HTTP binding.
    pub http: Http,
    /// Input members, in model order.
    pub input: &'static [Member],
    /// Output members, in model order.
    pub output: &'static [OutputMember],
    /// Modelled errors, in model order.
    pub errors: &'static [&'static ErrorInfo],
    /// The model marks it deprecated.
    pub deprecated: bool,
    /// Requests are signed (false for `authtype: none`, e.g.
    /// `AssumeRoleWithWebIdentity`).
    pub signed: bool,
    /// The supplementary facts; `None` when the table has no row for it
    /// (then it is not implemented).
    pub facts: Option<&'static Facts>,
}

impl OperationInfo {
    /// Whether the endpoint serves it.
    pub fn implemented(&self) -> bool {
        self.facts.is_some_and(|f| f.implemented)
    }

    /// The input member named `name`.
    pub fn input_member(&self, name: &str) -> Option<&'static Member> {
        self.input.iter().find(|m| m.name == name)
    }

    /// The modelled error whose shape or code is `name`.
    pub fn error(&self, name: &str) -> Option<&'static ErrorInfo> {
        self.errors
            .iter()
            .copied()
            .find(|e| e.shape == name || e.code == name)
    }
}
