//! One tracing span per request (issue 12 item 10): request id, method and
//! path, then the service, operation and caller ARN as they become known,
//! and the outcome (HTTP status, AWS error code). Errors logged while the
//! request is served (an internal failure's detail) sit inside it.
//!
//! What is never recorded: query strings (a presigned URL carries its
//! signature and session token there), header values, bodies, secrets,
//! tokens, passwords, MFA seeds and codes. The subscriber is installed by
//! `rootward serve`; without one every call here costs next to nothing.

use tracing::Span;
use tracing::field::Empty;

/// The span of a request.
pub fn span(request_id: &str, method: &str, path: &str) -> Span {
    tracing::info_span!(
        "request",
        id = request_id,
        method,
        path,
        service = Empty,
        operation = Empty,
        caller = Empty,
        status = Empty,
        error = Empty,
    )
}

/// The SigV4 service the request was for.
pub fn service(name: &str) {
    Span::current().record("service", name);
}

/// The operation called.
pub fn operation(name: &str) {
    Span::current().record("operation", name);
}

/// The authenticated caller's ARN, computed only when the span is recorded.
pub fn caller(arn: impl FnOnce() -> String) {
    let span = Span::current();
    if !span.is_disabled() {
        span.record("caller", arn());
    }
}

/// The AWS error code answered.
pub fn error(code: &str) {
    Span::current().record("error", code);
}

/// Records the status and logs the request's end: `debug` for a success,
/// `info` for a client error, `error` for a server error (whose cause was
/// logged inside the span where it happened).
pub fn finish(span: &Span, status: u16) {
    span.record("status", status);
    let _entered = span.enter();
    match status {
        500.. => tracing::error!(status, "request failed"),
        400..=499 => tracing::info!(status, "request refused"),
        _ => tracing::debug!(status, "request served"),
    }
}
