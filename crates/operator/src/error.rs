//! A failed account: the AWS error code and message, never hidden.

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
pub fn from_sdk<E>(e: &SdkError<E>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match e {
        SdkError::ServiceError(se) => match e.code() {
            Some(code) => Failure::new(
                code,
                e.message()
                    .map(str::to_owned)
                    .unwrap_or_else(|| DisplayErrorContext(e).to_string()),
            ),
            // An answer without an AWS error code (e.g. a service the
            // endpoint does not serve): the HTTP status and the body's start.
            None => {
                let raw = se.raw();
                let body = raw
                    .body()
                    .bytes()
                    .map(|b| {
                        String::from_utf8_lossy(b)
                            .chars()
                            .take(300)
                            .collect::<String>()
                    })
                    .unwrap_or_default();
                Failure::new(format!("HTTP{}", raw.status().as_u16()), body)
            }
        },
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
pub fn sdk<E>(e: SdkError<E>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    from_sdk(&e)
}
