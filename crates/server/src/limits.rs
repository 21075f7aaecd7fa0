//! The limits that hold before a request is authenticated (issue 12 items 5
//! and 6): how long a client may take, how many connections it may hold, and
//! how many request-body bytes the endpoint buffers at once. Each has a
//! `rootward serve` flag (docs/security.md, "Limits and timeouts").
//!
//! This module owns the numbers, the global body budget and the reading of a
//! body under them; the connections themselves are [`crate::listener`]'s.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// The endpoint's limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// From accept, or from the first byte after an idle keep-alive period,
    /// to the end of the request head; then the connection is closed.
    pub header_read_timeout: Duration,
    /// The longest wait for the next piece of a request body; then the
    /// request is answered `RequestTimeout` and the connection closed.
    pub body_idle_timeout: Duration,
    /// The longest a connection may sit with no request in flight and no byte
    /// moving either way (an idle keep-alive connection, or a client that does
    /// not read its answer); then it is closed.
    pub keep_alive_timeout: Duration,
    /// The most connections open at once; further ones are closed on accept.
    pub max_connections: usize,
    /// The most request-body bytes buffered at once across all connections.
    pub max_buffered_bytes: usize,
    /// After a shutdown signal, how long in-flight requests may finish.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(20),
            keep_alive_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_buffered_bytes: 48 * 1024 * 1024,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// The body bytes all connections may buffer at once: a semaphore of bytes.
/// A request reserves its declared `Content-Length` before reading a byte of
/// its body (a chunked body reserves as it arrives) and gives it back when it
/// has been answered.
#[derive(Debug)]
pub struct BodyBudget {
    bytes: Arc<Semaphore>,
    total: usize,
    wait: Duration,
}

/// Bytes of the [`BodyBudget`] held by one request; given back on drop.
#[derive(Debug, Default)]
pub struct Reservation(Option<OwnedSemaphorePermit>);

impl Reservation {
    /// How many bytes are held.
    pub fn bytes(&self) -> usize {
        self.0.as_ref().map_or(0, OwnedSemaphorePermit::num_permits)
    }
}

impl BodyBudget {
    /// A budget of `total` bytes; a request waits at most `wait` for room.
    pub fn new(total: usize, wait: Duration) -> BodyBudget {
        let total = total.min(Semaphore::MAX_PERMITS);
        BodyBudget {
            bytes: Arc::new(Semaphore::new(total)),
            total,
            wait,
        }
    }

    /// The bytes free now.
    pub fn available(&self) -> usize {
        self.bytes.available_permits()
    }

    /// Adds `n` bytes to `held`, waiting for room up to the budget's wait.
    async fn reserve(&self, held: &mut Reservation, n: usize) -> Result<(), BodyError> {
        if n == 0 {
            return Ok(());
        }
        if held.bytes().saturating_add(n) > self.total {
            return Err(BodyError::TooLarge);
        }
        let n = u32::try_from(n).map_err(|_| BodyError::TooLarge)?;
        let permit = match self.bytes.clone().try_acquire_many_owned(n) {
            Ok(p) => p,
            Err(_) => {
                match tokio::time::timeout(self.wait, self.bytes.clone().acquire_many_owned(n))
                    .await
                {
                    Ok(Ok(p)) => p,
                    _ => return Err(BodyError::Busy),
                }
            }
        };
        match &mut held.0 {
            Some(p) => p.merge(permit),
            None => held.0 = Some(permit),
        }
        Ok(())
    }
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the request's limit (or than the whole budget).
    TooLarge,
    /// No byte arrived within the body idle timeout.
    Timeout,
    /// No room in the budget within the wait.
    Busy,
    /// The client stopped sending before the declared end.
    Incomplete,
}

impl BodyError {
    /// The error in the query/JSON protocols' words; S3 words its own
    /// (`services::s3::body_error`).
    pub fn api_error(self) -> ApiError {
        match self {
            BodyError::TooLarge => {
                ApiError::new("RequestEntityTooLarge", 413, "Request body is too large")
            }
            // UNCONFIRMED for the query and JSON services: S3's code, with
            // HTTP 408 as the status of a request the client did not finish.
            BodyError::Timeout => ApiError::new("RequestTimeout", 408, TIMEOUT_MESSAGE),
            BodyError::Busy => ApiError::new(
                "ServiceUnavailable",
                503,
                "Service is unable to handle request.",
            ),
            BodyError::Incomplete => ApiError::new(
                "IncompleteBody",
                400,
                "The request body terminated unexpectedly",
            ),
        }
    }
}

/// S3's wording of a body idle timeout.
pub const TIMEOUT_MESSAGE: &str = "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.";

/// A request with both `Transfer-Encoding` and `Content-Length` (RFC 9112
/// §6.3: a server may reject it, and must close the connection). The code is
/// UNCONFIRMED for AWS; the status is the RFC's.
pub fn conflicting_framing() -> ApiError {
    ApiError::new(
        "InvalidRequest",
        400,
        "The request carries both Transfer-Encoding and Content-Length.",
    )
}

/// The request's declared `Content-Length`, if any (hyper has checked it
/// and drops it when `Transfer-Encoding` is present).
pub fn declared_length(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Whether the request says a body follows (so an answer given without
/// reading it should close the connection).
pub fn has_body(headers: &axum::http::HeaderMap) -> bool {
    declared_length(headers).is_some_and(|n| n > 0)
        || headers.contains_key(axum::http::header::TRANSFER_ENCODING)
}

/// Reads a whole body of at most `limit` bytes under `budget`: a declared
/// length is checked and reserved before the first byte is read; a chunked
/// body reserves as it arrives. The reservation is held until the caller
/// drops it (once the request has been answered).
pub async fn read_body(
    body: Body,
    declared: Option<u64>,
    limit: usize,
    budget: &BodyBudget,
) -> Result<(Bytes, Reservation), BodyError> {
    let mut held = Reservation::default();
    let declared = match declared {
        Some(n) => {
            let n = usize::try_from(n).map_err(|_| BodyError::TooLarge)?;
            if n > limit {
                return Err(BodyError::TooLarge);
            }
            budget.reserve(&mut held, n).await?;
            Some(n)
        }
        None => None,
    };
    let mut body = body;
    let mut first: Option<Bytes> = None;
    let mut rest: Option<BytesMut> = None;
    let mut received = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            if e.into_inner().is::<IdleTimeout>() {
                BodyError::Timeout
            } else {
                BodyError::Incomplete
            }
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if data.is_empty() {
            continue;
        }
        received = received.saturating_add(data.len());
        if received > limit {
            return Err(BodyError::TooLarge);
        }
        if declared.is_none() {
            budget.reserve(&mut held, data.len()).await?;
        }
        match (&mut first, &mut rest) {
            (None, _) => first = Some(data),
            (Some(f), None) => {
                let mut b = BytesMut::with_capacity(declared.unwrap_or(received).max(received));
                b.extend_from_slice(f);
                b.extend_from_slice(&data);
                rest = Some(b);
            }
            (Some(_), Some(b)) => b.extend_from_slice(&data),
        }
    }
    let bytes = match (first, rest) {
        (_, Some(b)) => b.freeze(),
        (Some(f), None) => f,
        (None, None) => Bytes::new(),
    };
    Ok((bytes, held))
}

/// The error a request body gives when its client went quiet for longer
/// than the body idle timeout (the listener's watchdog decides).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("no request body data within the body idle timeout")]
pub struct IdleTimeout;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use http_body::{Body as HttpBody, Frame};
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A body of these frames, then its end.
    struct Frames(VecDeque<&'static [u8]>);

    impl HttpBody for Frames {
        type Data = Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            Poll::Ready(
                self.get_mut()
                    .0
                    .pop_front()
                    .map(|b| Ok(Frame::data(Bytes::from_static(b)))),
            )
        }
    }

    /// A body whose client went quiet (as the listener's watchdog reports it).
    struct Quiet;

    impl HttpBody for Quiet {
        type Data = Bytes;
        type Error = IdleTimeout;
        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            Poll::Ready(Some(Err(IdleTimeout)))
        }
    }

    /// A body whose client went away.
    struct Broken;

    impl HttpBody for Broken {
        type Data = Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            Poll::Ready(Some(Err(std::io::Error::other("connection reset"))))
        }
    }

    fn chunked(parts: &[&'static [u8]]) -> Body {
        Body::new(Frames(parts.iter().copied().collect()))
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_before_reading() {
        let budget = BodyBudget::new(100, Duration::from_millis(10));
        let r = read_body(Body::from("x".repeat(50)), Some(50), 10, &budget).await;
        assert_eq!(r.unwrap_err(), BodyError::TooLarge);
        assert_eq!(budget.available(), 100);
    }

    #[tokio::test]
    async fn a_reservation_is_held_until_dropped() {
        let budget = BodyBudget::new(100, Duration::from_millis(10));
        let (bytes, held) = read_body(Body::from("x".repeat(60)), Some(60), 100, &budget)
            .await
            .unwrap();
        assert_eq!(
            (bytes.len(), held.bytes(), budget.available()),
            (60, 60, 40)
        );
        let second = read_body(Body::from("y".repeat(60)), Some(60), 100, &budget).await;
        assert_eq!(second.unwrap_err(), BodyError::Busy);
        drop(held);
        assert_eq!(budget.available(), 100);
    }

    #[tokio::test]
    async fn a_request_larger_than_the_whole_budget_is_too_large() {
        let budget = BodyBudget::new(100, Duration::from_millis(10));
        let r = read_body(Body::from("x".repeat(150)), Some(150), 1000, &budget).await;
        assert_eq!(r.unwrap_err(), BodyError::TooLarge);
    }

    #[tokio::test]
    async fn a_chunked_body_reserves_as_it_arrives_and_is_joined() {
        let budget = BodyBudget::new(100, Duration::from_millis(10));
        let (bytes, held) = read_body(chunked(&[b"abc", b"def", b"g"]), None, 100, &budget)
            .await
            .unwrap();
        assert_eq!((&bytes[..], held.bytes()), (&b"abcdefg"[..], 7));
        let r = read_body(chunked(&[b"abcdef", b"ghijkl"]), None, 8, &budget).await;
        assert_eq!(r.unwrap_err(), BodyError::TooLarge);
    }

    #[tokio::test]
    async fn a_quiet_body_is_a_timeout_and_a_broken_one_incomplete() {
        let budget = BodyBudget::new(100, Duration::from_millis(10));
        let r = read_body(Body::new(Quiet), None, 100, &budget).await;
        assert_eq!(r.unwrap_err(), BodyError::Timeout);
        let r = read_body(Body::new(Broken), Some(10), 100, &budget).await;
        assert_eq!(r.unwrap_err(), BodyError::Incomplete);
        assert_eq!(budget.available(), 100);
    }
}
