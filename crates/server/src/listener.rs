//! The endpoint's connections: our own accept loop over hyper's HTTP/1.1
//! connections, so that the limits of [`Limits`] hold from the first byte
//! (issue 12 items 5–7); `axum::serve` exposes none of them.
//!
//! A connection is always in one of three phases:
//! - *head*: from accept, or from the first byte after an idle period, until
//!   the request head is complete. Closed when the header-read timeout
//!   passes (a client sending one byte at a time gets no more time).
//! - *busy*: a request is being served. While its body is awaited, no byte
//!   may be missing for longer than the body idle timeout (then the body
//!   fails with [`IdleTimeout`] and the request is answered
//!   `RequestTimeout`); serving it has no deadline of its own.
//! - *idle*: the answer has been handed to hyper. Closed when no byte has
//!   moved either way for the keep-alive timeout: an idle keep-alive
//!   connection, or a client that does not read its answer.
//!
//! One watchdog per connection enforces all three with no timer per request:
//! it sleeps until the connection's deadline, or for at most the shortest
//! timeout, and looks again.
//!
//! Beyond the connection cap, a new connection is closed as soon as it is
//! accepted. On [`Stop::Drain`] the listener closes, idle connections close,
//! in-flight requests finish until the shutdown grace has passed, and the
//! rest are cut; [`Stop::Now`] cuts them at once. Every write is committed
//! before it is answered, so cutting a request loses nothing acknowledged.
//!
//! Over 600 lines on purpose: the accept loop, the watchdog and the wrappers
//! of the socket and the body share one connection state, and split across
//! files each would be read without the phases they depend on.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot, watch};
use tokio::task::{Id, JoinSet};
use tokio::time::Instant;

use crate::app::AppState;
use crate::limits::{IdleTimeout, Limits};

/// What the server should be doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Serve.
    Run,
    /// Stop accepting; let in-flight requests finish within the grace.
    Drain,
    /// Close every connection now.
    Now,
}

/// How a server ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Served {
    /// Connections closed on accept because the cap was reached.
    pub refused: u64,
    /// Connections still open when the grace passed (or on [`Stop::Now`]).
    pub cut: usize,
}

/// A request whose head carried both `Transfer-Encoding` and
/// `Content-Length`; set by the listener as a request extension (hyper keeps
/// only the former, so the handler cannot see it in the headers).
#[derive(Debug, Clone, Copy)]
pub struct ConflictingFraming;

/// Serves `state` on `listener` until `shutdown` resolves, then drains (the
/// tests' and benchmarks' entry point).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (tx, rx) = watch::channel(Stop::Run);
    tokio::spawn(async move {
        shutdown.await;
        let _ = tx.send(Stop::Drain);
    });
    serve_until(listener, state, rx).await.map(|_| ())
}

/// Serves `state` on `listener` under `state`'s limits until `stop` says
/// otherwise.
pub async fn serve_until(
    listener: TcpListener,
    state: AppState,
    mut stop: watch::Receiver<Stop>,
) -> std::io::Result<Served> {
    let limits = state.limits().clone();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut tasks = JoinSet::new();
    // Each connection's drain signal (a oneshot is cheap to poll on every
    // wake-up of a connection; a shared watch channel takes a lock).
    let mut drains: HashMap<Id, oneshot::Sender<()>> = HashMap::new();
    let mut served = Served::default();
    loop {
        if *stop.borrow_and_update() != Stop::Run {
            break;
        }
        tokio::select! {
            changed = stop.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match slots.clone().try_acquire_owned() {
                    Ok(slot) => {
                        let state = state.clone();
                        let (drain, drained) = oneshot::channel();
                        let task = tasks.spawn(async move {
                            connection(stream, peer, state, drained).await;
                            drop(slot);
                        });
                        drains.insert(task.id(), drain);
                    }
                    Err(_) => {
                        served.refused += 1;
                        tracing::debug!(%peer, "connection cap reached: connection closed");
                        drop(stream);
                    }
                },
                Err(e) => {
                    // Out of descriptors, or a connection reset before accept:
                    // wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                if let Ok((id, ())) = done {
                    drains.remove(&id);
                }
            }
        }
    }
    drop(listener);
    // Waiting long polls answer now (empty), instead of holding the
    // shutdown up to 20 seconds.
    state.svc.stop_waiting();
    for (_, drain) in drains.drain() {
        let _ = drain.send(());
    }
    let open = tasks.len();
    if open > 0 {
        tracing::info!(
            connections = open,
            grace_ms = u64::try_from(limits.shutdown_grace.as_millis()).unwrap_or(u64::MAX),
            "shutting down: letting in-flight requests finish"
        );
    }
    let deadline = tokio::time::sleep(limits.shutdown_grace);
    tokio::pin!(deadline);
    while !tasks.is_empty() && *stop.borrow_and_update() != Stop::Now {
        tokio::select! {
            _ = &mut deadline => break,
            changed = stop.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            _ = tasks.join_next() => {}
        }
    }
    served.cut = tasks.len();
    if served.cut > 0 {
        tracing::warn!(connections = served.cut, "shutdown: connections cut");
    }
    tasks.shutdown().await;
    Ok(served)
}

/// Serves one connection until it ends, times out or is cut.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    state: AppState,
    mut drain: oneshot::Receiver<()>,
) {
    let limits = state.limits().clone();
    // Answers are written whole; Nagle would only delay the last segment.
    let _ = stream.set_nodelay(true);
    let conn = Arc::new(ConnState::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        conn: conn.clone(),
        scanner: HeadScanner::default(),
    });
    let service = {
        let conn = conn.clone();
        hyper::service::service_fn(move |mut req: Request<Incoming>| {
            let state = state.clone();
            let conn = conn.clone();
            conn.busy();
            if conn.conflict.swap(false, Ordering::Relaxed) {
                req.extensions_mut().insert(ConflictingFraming);
            }
            async move {
                let body_conn = conn.clone();
                let req = req.map(|inner| {
                    Body::new(WatchedBody {
                        inner,
                        conn: body_conn,
                    })
                });
                let response = crate::app::handle(state, peer, req).await;
                Ok::<_, Infallible>(response.map(|body| Tracked {
                    inner: body,
                    conn: Some(conn),
                }))
            }
        })
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    // The header-read and keep-alive timeouts are ours (hyper's header timer
    // would also close idle keep-alive connections at the same deadline).
    // Heads are small: SigV4 headers and a session token fit in a few KiB.
    http.header_read_timeout(None)
        .keep_alive(true)
        .max_buf_size(MAX_BUF);
    let served = http.serve_connection(io, service);
    tokio::pin!(served);
    let watchdog = tokio::time::sleep_until(conn.next_check(&limits, Instant::now()));
    tokio::pin!(watchdog);
    let mut draining = false;
    loop {
        tokio::select! {
            biased;
            result = served.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                return;
            }
            () = watchdog.as_mut() => {
                let now = Instant::now();
                if conn.deadline(&limits).is_some_and(|d| d <= now) {
                    if conn.phase.load(Ordering::Relaxed) == BUSY {
                        // The body went quiet: the request answers it.
                        conn.expire_body();
                    } else {
                        tracing::debug!(%peer, phase = conn.phase_name(), "connection timed out");
                        return;
                    }
                }
                watchdog.as_mut().reset(conn.next_check(&limits, now));
            }
            _ = &mut drain, if !draining => {
                draining = true;
                served.as_mut().graceful_shutdown();
            }
        }
    }
}

/// `now + d`, or a day from now if that overflows.
fn later(now: Instant, d: Duration) -> Instant {
    now.checked_add(d)
        .or_else(|| now.checked_add(Duration::from_secs(86_400)))
        .unwrap_or(now)
}

/// hyper's read buffer, and so the largest request head (hyper's minimum
/// is 8 KiB; its default, 400 KiB, times the connection cap is too much).
const MAX_BUF: usize = 64 * 1024;

const HEAD: u8 = 0;
const BUSY: u8 = 1;
const IDLE: u8 = 2;

/// A connection's phase and clocks, shared by its socket, its service and
/// its watchdog (milliseconds since `epoch`).
#[derive(Debug)]
struct ConnState {
    epoch: Instant,
    phase: AtomicU8,
    head_since: AtomicU64,
    last_io: AtomicU64,
    conflict: AtomicBool,
    /// Since when the request's body has been awaited ([`NOT_WAITING`]: it
    /// is not), whether it went quiet too long, and who awaits it.
    body_since: AtomicU64,
    body_expired: AtomicBool,
    body_waker: Mutex<Option<Waker>>,
}

const NOT_WAITING: u64 = u64::MAX;

impl ConnState {
    fn new() -> ConnState {
        ConnState {
            epoch: Instant::now(),
            phase: AtomicU8::new(HEAD),
            head_since: AtomicU64::new(0),
            last_io: AtomicU64::new(0),
            conflict: AtomicBool::new(false),
            body_since: AtomicU64::new(NOT_WAITING),
            body_expired: AtomicBool::new(false),
            body_waker: Mutex::new(None),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn at(&self, ms: u64, plus: Duration) -> Option<Instant> {
        self.epoch
            .checked_add(Duration::from_millis(ms))?
            .checked_add(plus)
    }

    /// When the connection is to be closed unless something happens first.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        match self.phase.load(Ordering::Relaxed) {
            HEAD => self.at(
                self.head_since.load(Ordering::Relaxed),
                limits.header_read_timeout,
            ),
            IDLE => self.at(
                self.last_io.load(Ordering::Relaxed),
                limits.keep_alive_timeout,
            ),
            _ => {
                let since = self.body_since.load(Ordering::Relaxed);
                if since == NOT_WAITING || self.body_expired.load(Ordering::Relaxed) {
                    return None;
                }
                // Quiet since the wait began or the last byte, whichever is later.
                let quiet = since.max(self.last_io.load(Ordering::Relaxed));
                self.at(quiet, limits.body_idle_timeout)
            }
        }
    }

    /// When the watchdog should look next: the deadline, but no later than
    /// the shortest of the timeouts from `now`. A phase change never
    /// wakes the watchdog (that would cost a timer per request); looking
    /// again this often is enough for it to be exact: a head that starts at
    /// `t` ends by `t + header`, and the watchdog looks by then, sees the new
    /// deadline and sleeps until it (likewise for an idle period).
    fn next_check(&self, limits: &Limits, now: Instant) -> Instant {
        let period = limits
            .header_read_timeout
            .min(limits.keep_alive_timeout)
            .min(limits.body_idle_timeout)
            .max(Duration::from_millis(50));
        let again = later(now, period);
        match self.deadline(limits) {
            Some(d) => d.min(again),
            None => again,
        }
    }

    fn phase_name(&self) -> &'static str {
        match self.phase.load(Ordering::Relaxed) {
            HEAD => "head",
            BUSY => "busy",
            _ => "idle",
        }
    }

    /// A request has been handed to the service.
    fn busy(&self) {
        self.body_since.store(NOT_WAITING, Ordering::Relaxed);
        self.body_expired.store(false, Ordering::Relaxed);
        self.phase.store(BUSY, Ordering::Relaxed);
    }

    /// The awaited body went quiet for too long: it fails on its next poll.
    fn expire_body(&self) {
        self.body_expired.store(true, Ordering::Relaxed);
        let waker = self.body_waker.lock().ok().and_then(|mut w| w.take());
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Its answer has been handed to hyper.
    fn idle(&self) {
        self.last_io.store(self.now_ms(), Ordering::Relaxed);
        self.phase.store(IDLE, Ordering::Relaxed);
    }
}

/// The socket, watched: every byte moved is noted; the first byte after an
/// idle period starts a new head; a head is scanned for conflicting framing.
struct Watched {
    inner: TcpStream,
    conn: Arc<ConnState>,
    scanner: HeadScanner,
}

impl Watched {
    fn read(&mut self, bytes: &[u8]) {
        let now = self.conn.now_ms();
        self.conn.last_io.store(now, Ordering::Relaxed);
        match self.conn.phase.load(Ordering::Relaxed) {
            IDLE => {
                self.conn.head_since.store(now, Ordering::Relaxed);
                self.conn.phase.store(HEAD, Ordering::Relaxed);
                self.scanner = HeadScanner::default();
            }
            HEAD => {}
            _ => return,
        }
        if self.scanner.feed(bytes) {
            self.conn.conflict.store(true, Ordering::Relaxed);
        }
    }

    fn wrote(&self) {
        self.conn
            .last_io
            .store(self.conn.now_ms(), Ordering::Relaxed);
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result
            && let Some(new) = buf.filled().get(before..)
            && !new.is_empty()
        {
            this.read(new);
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = result
            && n > 0
        {
            this.wrote();
        }
        result
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = result
            && n > 0
        {
            this.wrote();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Finds, in a request head read piece by piece, whether it has both a
/// `Transfer-Encoding` and a `Content-Length` header line (names compared
/// without case; only the start of each line is kept).
#[derive(Debug, Default)]
struct HeadScanner {
    start: [u8; 18],
    len: usize,
    line_bytes: usize,
    first_byte: u8,
    seen_line: bool,
    done: bool,
    transfer_encoding: bool,
    content_length: bool,
}

impl HeadScanner {
    /// Reads `bytes`; whether the head seen so far has both headers.
    fn feed(&mut self, mut bytes: &[u8]) -> bool {
        while !self.done && !bytes.is_empty() {
            match memchr::memchr(b'\n', bytes) {
                Some(i) => {
                    let (line, rest) = bytes.split_at(i);
                    self.push(line);
                    self.end_line();
                    bytes = rest.get(1..).unwrap_or_default();
                }
                None => {
                    self.push(bytes);
                    break;
                }
            }
        }
        self.transfer_encoding && self.content_length
    }

    fn push(&mut self, piece: &[u8]) {
        if self.line_bytes == 0
            && let Some(&b) = piece.first()
        {
            self.first_byte = b;
        }
        self.line_bytes = self.line_bytes.saturating_add(piece.len());
        for &b in piece {
            let Some(slot) = self.start.get_mut(self.len) else {
                break;
            };
            *slot = b.to_ascii_lowercase();
            self.len += 1;
        }
    }

    fn end_line(&mut self) {
        let blank = self.line_bytes == 0 || (self.line_bytes == 1 && self.first_byte == b'\r');
        if blank {
            // The blank line after the head ends it (blank lines before the
            // request line are tolerated, RFC 9112 §2.2).
            self.done = self.seen_line;
        } else {
            let start = self.start.get(..self.len).unwrap_or_default();
            self.transfer_encoding |= start.starts_with(b"transfer-encoding:");
            self.content_length |= start.starts_with(b"content-length:");
            self.seen_line = true;
        }
        self.len = 0;
        self.line_bytes = 0;
    }
}

/// A request body under the body idle timeout: it notes when it waits for
/// data (the watchdog's deadline) and fails with [`IdleTimeout`] once the
/// watchdog says it waited too long. No timer of its own.
struct WatchedBody {
    inner: Incoming,
    conn: Arc<ConnState>,
}

impl WatchedBody {
    fn expired(&self) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        Poll::Ready(Some(Err(Box::new(IdleTimeout))))
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl HttpBody for WatchedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.conn.body_expired.load(Ordering::Relaxed) {
            return this.expired();
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                this.conn.body_since.store(NOT_WAITING, Ordering::Relaxed);
                Poll::Ready(frame.map(|f| f.map_err(Into::into)))
            }
            Poll::Pending => {
                if let Ok(mut slot) = this.conn.body_waker.lock()
                    && !slot.as_ref().is_some_and(|w| w.will_wake(cx.waker()))
                {
                    *slot = Some(cx.waker().clone());
                }
                let now = this.conn.now_ms();
                let _ = this.conn.body_since.compare_exchange(
                    NOT_WAITING,
                    now,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                // The watchdog may have expired the body in between.
                if this.conn.body_expired.load(Ordering::Relaxed) {
                    return this.expired();
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for WatchedBody {
    fn drop(&mut self) {
        self.conn.body_since.store(NOT_WAITING, Ordering::Relaxed);
    }
}

/// A response body that marks its connection idle when hyper is done with it.
struct Tracked {
    inner: Body,
    conn: Option<Arc<ConnState>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            c.idle();
        }
    }
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict(pieces: &[&[u8]]) -> bool {
        let mut s = HeadScanner::default();
        let mut found = false;
        for p in pieces {
            found = s.feed(p);
        }
        found
    }

    #[test]
    fn a_head_with_both_framing_headers_is_found_in_any_split() {
        let head: &[u8] = b"GET /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n";
        assert!(conflict(&[head]));
        for i in 0..head.len() {
            let (a, b) = head.split_at(i);
            assert!(conflict(&[a, b]), "split at {i}");
        }
        assert!(conflict(&[
            b"GET / HTTP/1.1\r\ncontent-length: 5\r\n",
            b"TRANSFER-ENCODING: chunked\r\n\r\n"
        ]));
    }

    #[test]
    fn only_header_lines_of_the_head_count() {
        assert!(!conflict(&[
            b"POST / HTTP/1.1\r\nContent-Length: 40\r\n\r\ntransfer-encoding: chunked\r\n"
        ]));
        assert!(!conflict(&[
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        ]));
        assert!(!conflict(&[
            b"POST / HTTP/1.1\r\nX-Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
        ]));
        assert!(conflict(&[
            b"\r\nPOST / HTTP/1.1\nContent-Length: 1\nTransfer-Encoding: chunked\n\n"
        ]));
    }
}
