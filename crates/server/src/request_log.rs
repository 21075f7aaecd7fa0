//! One tracing span per request (issue 12 item 10): request id, method and
//! path, then the service, operation and caller ARN, and the outcome (HTTP
//! status, AWS error code). Errors logged while the request is served (an
//! internal failure's detail) sit inside it.
//!
//! What is learnt while the request is served is kept in a task-local
//! [`Facts`] and written to the span only when its end is logged (a refusal
//! or a failure at the default level; every request at `debug`): recording
//! four fields into a span as they became known cost 3% of the server's CPU
//! under a read load whose successes are never logged (issue 15).
//!
//! What is never recorded: query strings (a presigned URL carries its
//! signature and session token there), header values, bodies, secrets,
//! tokens, passwords, MFA seeds and codes. The subscriber is installed by
//! `rootward serve`; without one every call here costs next to nothing.

use std::cell::RefCell;
use std::future::Future;

use tracing::Span;
use tracing::field::Empty;

/// What a request turned out to be, as far as it got.
#[derive(Debug, Default)]
pub struct Facts {
    service: Option<String>,
    operation: Option<String>,
    caller: Option<String>,
    error: Option<String>,
}

tokio::task_local! {
    static FACTS: RefCell<Facts>;
}

/// The span of a request: its id at once; the method and path are
/// written with the other facts when its end is logged ([`finish`]), as
/// formatting fields into a span costs even when nothing is logged.
pub fn span(request_id: &str) -> Span {
    tracing::info_span!(
        "request",
        id = request_id,
        method = Empty,
        path = Empty,
        service = Empty,
        operation = Empty,
        caller = Empty,
        status = Empty,
        error = Empty,
    )
}

/// Runs a request's future with room for its facts; returns its output and
/// what it learnt.
pub async fn scope<T>(fut: impl Future<Output = T>) -> (T, Facts) {
    FACTS
        .scope(RefCell::new(Facts::default()), async move {
            let out = fut.await;
            (out, FACTS.with(RefCell::take))
        })
        .await
}

/// Takes the facts learnt so far, to carry them to another thread
/// ([`in_thread`]); the caller gives them back with [`restore`].
pub fn take() -> Facts {
    FACTS.try_with(RefCell::take).unwrap_or_default()
}

/// Runs `f` (on a thread outside the request's task) with the request's
/// facts; returns its output and the facts, to [`restore`].
pub fn in_thread<T>(facts: Facts, f: impl FnOnce() -> T) -> (T, Facts) {
    FACTS.sync_scope(RefCell::new(facts), || {
        let out = f();
        (out, FACTS.with(RefCell::take))
    })
}

/// Gives back the facts taken with [`take`].
pub fn restore(facts: Facts) {
    let _ = FACTS.try_with(|c| *c.borrow_mut() = facts);
}

fn note(f: impl FnOnce(&mut Facts)) {
    // Outside a request's scope (a unit test calling a handler): nothing to
    // note.
    let _ = FACTS.try_with(|c| f(&mut c.borrow_mut()));
}

/// The SigV4 service the request was for.
pub fn service(name: &str) {
    note(|f| f.service = Some(name.to_owned()));
}

/// The operation called.
pub fn operation(name: &str) {
    note(|f| f.operation = Some(name.to_owned()));
}

/// The authenticated caller's ARN, computed only when the request's end is
/// logged (given its status).
pub fn caller(status: u16, arn: impl FnOnce() -> String) {
    if logged(status) {
        note(|f| f.caller = Some(arn()));
    }
}

/// The AWS error code answered.
pub fn error(code: &str) {
    note(|f| f.error = Some(code.to_owned()));
}

/// Whether the end of a request answered with `status` is logged.
fn logged(status: u16) -> bool {
    match status {
        500.. => tracing::enabled!(tracing::Level::ERROR),
        400..=499 => tracing::enabled!(tracing::Level::INFO),
        _ => tracing::enabled!(tracing::Level::DEBUG),
    }
}

/// Records the facts and the status and logs the request's end: `debug`
/// for a success, `info` for a client error, `error` for a server error
/// (whose cause was logged inside the span where it happened).
pub fn finish(span: &Span, method: &str, path: &str, status: u16, facts: Facts) {
    if span.is_disabled() || !logged(status) {
        return;
    }
    span.record("method", method);
    span.record("path", path);
    let Facts {
        service,
        operation,
        caller,
        error,
    } = facts;
    span.record("service", service);
    span.record("operation", operation);
    span.record("caller", caller);
    span.record("error", error);
    span.record("status", status);
    let _entered = span.enter();
    match status {
        500.. => tracing::error!(status, "request failed"),
        400..=499 => tracing::info!(status, "request refused"),
        _ => tracing::debug!(status, "request served"),
    }
}
