//! A failed account: the AWS error code and message, never hidden.

use std::fmt::Debug;

use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use serde::Serialize;

/// Why an account (or a step) failed: AWS's error code when there is one,
/// else a code of ours (`Timeout`, `DispatchFailure`, `Interrupted`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The AWS error code (`AccessDenied`, `NoSuchEntity`, …) or ours.
    pub code: String,
    /// The message, as AWS gave it.
    pub message: String,
}

impl Failure {
    /// A failure with this code and message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Failure {
        Failure {
            code: code.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// The code and message of any SDK error (every service's `SdkError` is the
/// same generic type).
pub fn from_sdk<E, R>(e: &SdkError<E, R>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: Debug,
{
    match e {
        SdkError::ServiceError(_) => Failure::new(
            e.code().unwrap_or("Unknown"),
            e.message()
                .map(str::to_owned)
                .unwrap_or_else(|| DisplayErrorContext(e).to_string()),
        ),
        SdkError::TimeoutError(_) => {
            Failure::new("TimeoutError", DisplayErrorContext(e).to_string())
        }
        SdkError::DispatchFailure(_) => {
            Failure::new("DispatchFailure", DisplayErrorContext(e).to_string())
        }
        SdkError::ResponseError(_) => {
            Failure::new("ResponseError", DisplayErrorContext(e).to_string())
        }
        SdkError::ConstructionFailure(_) => {
            Failure::new("ConstructionFailure", DisplayErrorContext(e).to_string())
        }
        _ => Failure::new("Unknown", DisplayErrorContext(e).to_string()),
    }
}

/// `from_sdk` for `map_err`.
pub fn sdk<E, R>(e: SdkError<E, R>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: Debug,
{
    from_sdk(&e)
}
