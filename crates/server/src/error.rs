//! The one table from failures to AWS error codes and HTTP statuses.

use rootward_core::CoreError;

/// An error on its way to the wire: AWS code, HTTP status, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The AWS error code (`NoSuchEntity`, `AccessDenied`, …).
    pub code: String,
    /// The HTTP status.
    pub status: u16,
    /// The message.
    pub message: String,
    /// Further members of the error body, in order: Organizations'
    /// `Reason`, S3's `<BucketName>`, `<Method>`, …
    pub extra: Vec<(String, String)>,
    /// The query-protocol code of an awsQueryCompatible service (SQS), sent
    /// in `x-amzn-query-error` beside the JSON `__type`.
    pub query_code: Option<Box<str>>,
}

impl ApiError {
    /// A new error.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.to_owned(),
            status,
            message: message.into(),
            extra: Vec::new(),
            query_code: None,
        }
    }

    /// The error with one more member in its body.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<String>) -> ApiError {
        self.extra.push((name.to_owned(), value.into()));
        self
    }

    /// `Sender` for 4xx, `Receiver` for 5xx (query protocol `<Type>`).
    pub fn fault(&self) -> &'static str {
        if self.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        }
    }

    /// The internal error, without detail.
    pub fn internal() -> ApiError {
        ApiError::new(
            "InternalFailure",
            500,
            "The request processing has failed because of an unknown error, exception or failure.",
        )
    }
}

/// Domain error → IAM/STS (query protocol) error (spec 02).
pub fn from_core(e: CoreError) -> ApiError {
    match e {
        CoreError::NoSuchEntity(m) => ApiError::new("NoSuchEntity", 404, m),
        CoreError::EntityAlreadyExists(m) => ApiError::new("EntityAlreadyExists", 409, m),
        CoreError::LimitExceeded(m) => ApiError::new("LimitExceeded", 409, m),
        CoreError::DeleteConflict(m) => ApiError::new("DeleteConflict", 409, m),
        CoreError::Validation(m) => match m.strip_prefix("PolicyNotAttachable: ") {
            Some(rest) => ApiError::new("PolicyNotAttachable", 400, rest),
            None => ApiError::new("ValidationError", 400, m),
        },
        CoreError::MalformedPolicy(m) => ApiError::new("MalformedPolicyDocument", 400, m),
        CoreError::AccessDenied(m) => ApiError::new("AccessDenied", 403, m),
        CoreError::Organizations(e) => from_org(e),
        CoreError::S3(e) => ApiError::new(e.code, e.status, e.message),
        CoreError::CloudTrail(e) => from_cloudtrail(e),
        CoreError::Account(e) => from_account(e),
        CoreError::Ec2(e) => from_ec2(e),
        CoreError::Rejected {
            code,
            status,
            message,
        } => ApiError::new(code, status, message),
        CoreError::InvalidInput(m) => ApiError::new("InvalidInput", 400, m),
        CoreError::PasswordPolicyViolation(m) => ApiError::new("PasswordPolicyViolation", 400, m),
        CoreError::DuplicateCertificate(m) => ApiError::new("DuplicateCertificate", 409, m),
        CoreError::MalformedCertificate(m) => ApiError::new("MalformedCertificate", 400, m),
        CoreError::InvalidAuthenticationCode(m) => {
            ApiError::new("InvalidAuthenticationCode", 403, m)
        }
        CoreError::ReportNotPresent(m) => ApiError::new("ReportNotPresent", 410, m),
        CoreError::ReportExpired(m) => ApiError::new("ReportExpired", 410, m),
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal failure");
            ApiError::internal()
        }
    }
}

/// CloudTrail's exceptions are all HTTP 400 (the model gives no status).
pub fn from_cloudtrail(e: rootward_core::cloudtrail::CloudTrailError) -> ApiError {
    ApiError::new(e.code(), 400, e.to_string())
}

/// Account Management's modelled errors.
pub fn from_account(e: rootward_core::account::AccountError) -> ApiError {
    use rootward_core::account::AccountError;
    match e {
        AccountError::ResourceNotFound(m) => ApiError::new("ResourceNotFoundException", 404, m),
        AccountError::Validation { message, .. } => {
            ApiError::new("ValidationException", 400, message)
        }
    }
}

/// EC2's codes (its query protocol's `<Errors>`).
pub fn from_ec2(e: rootward_core::ec2::Ec2Error) -> ApiError {
    use rootward_core::ec2::Ec2Error;
    let message = e.to_string();
    match e {
        Ec2Error::InvalidParameterValue(_) | Ec2Error::InvalidFilter(_) => {
            ApiError::new("InvalidParameterValue", 400, message)
        }
        Ec2Error::DryRunOperation => ApiError::new("DryRunOperation", 412, message),
    }
}

fn from_org(e: rootward_core::org::OrgError) -> ApiError {
    ApiError {
        code: e.code.to_owned(),
        status: 400,
        message: e.message,
        extra: e
            .reason
            .map(|r| vec![("Reason".to_owned(), r.to_owned())])
            .unwrap_or_default(),
        query_code: None,
    }
}

/// Domain error → Organizations (JSON 1.1) error (spec 03 §3.5): every client
/// error is HTTP 400 ([live]); an internal failure is `ServiceException` 500.
pub fn from_core_org(e: CoreError) -> ApiError {
    match e {
        CoreError::Organizations(e) => from_org(e),
        CoreError::AccessDenied(m) => ApiError::new("AccessDeniedException", 400, m),
        CoreError::Rejected { code, message, .. } => ApiError::new(code, 400, message),
        CoreError::Validation(m)
        | CoreError::InvalidInput(m)
        | CoreError::PasswordPolicyViolation(m)
        | CoreError::MalformedPolicy(m)
        | CoreError::S3(rootward_core::s3::S3Error { message: m, .. })
        | CoreError::Ec2(rootward_core::ec2::Ec2Error::InvalidParameterValue(m))
        | CoreError::NoSuchEntity(m)
        | CoreError::EntityAlreadyExists(m)
        | CoreError::LimitExceeded(m)
        | CoreError::DeleteConflict(m)
        | CoreError::DuplicateCertificate(m)
        | CoreError::MalformedCertificate(m)
        | CoreError::InvalidAuthenticationCode(m)
        | CoreError::ReportNotPresent(m)
        | CoreError::ReportExpired(m) => ApiError::new("InvalidInputException", 400, m),
        e @ (CoreError::CloudTrail(_) | CoreError::Account(_) | CoreError::Ec2(_)) => {
            ApiError::new("InvalidInputException", 400, e.to_string())
        }
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal failure");
            ApiError::new(
                "ServiceException",
                500,
                "AWS Organizations can't complete your request because of an internal service error. Try again later.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_error_has_a_code_and_status() {
        let cases = [
            (CoreError::NoSuchEntity("x".into()), "NoSuchEntity", 404),
            (
                CoreError::EntityAlreadyExists("x".into()),
                "EntityAlreadyExists",
                409,
            ),
            (CoreError::LimitExceeded("x".into()), "LimitExceeded", 409),
            (CoreError::DeleteConflict("x".into()), "DeleteConflict", 409),
            (CoreError::Validation("x".into()), "ValidationError", 400),
            (
                CoreError::Validation("PolicyNotAttachable: x".into()),
                "PolicyNotAttachable",
                400,
            ),
            (
                CoreError::MalformedPolicy("x".into()),
                "MalformedPolicyDocument",
                400,
            ),
            (CoreError::AccessDenied("x".into()), "AccessDenied", 403),
            (CoreError::InvalidInput("x".into()), "InvalidInput", 400),
            (
                CoreError::PasswordPolicyViolation("x".into()),
                "PasswordPolicyViolation",
                400,
            ),
            (
                CoreError::DuplicateCertificate("x".into()),
                "DuplicateCertificate",
                409,
            ),
            (
                CoreError::MalformedCertificate("x".into()),
                "MalformedCertificate",
                400,
            ),
            (
                CoreError::InvalidAuthenticationCode("x".into()),
                "InvalidAuthenticationCode",
                403,
            ),
            (
                CoreError::ReportNotPresent("x".into()),
                "ReportNotPresent",
                410,
            ),
            (CoreError::ReportExpired("x".into()), "ReportExpired", 410),
            (
                CoreError::CloudTrail(rootward_core::cloudtrail::CloudTrailError::TrailNotFound(
                    "x".into(),
                )),
                "TrailNotFoundException",
                400,
            ),
            (
                CoreError::Account(rootward_core::account::AccountError::ResourceNotFound(
                    "x".into(),
                )),
                "ResourceNotFoundException",
                404,
            ),
            (
                CoreError::Ec2(rootward_core::ec2::Ec2Error::DryRunOperation),
                "DryRunOperation",
                412,
            ),
            (
                CoreError::Internal("secret detail".into()),
                "InternalFailure",
                500,
            ),
        ];
        for (e, code, status) in cases {
            let a = from_core(e);
            assert_eq!((a.code.as_str(), a.status), (code, status));
            assert!(!a.message.contains("secret detail"));
        }
    }
}
