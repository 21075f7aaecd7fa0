//! Long polls (`ReceiveMessage` with a wait time) without a thread held
//! while they wait.
//!
//! A receive that finds nothing to answer and may wait does not sleep: it
//! is *parked* ([`Parked`]: its queue, the queue's wake count when it
//! looked, its deadline) and answers nothing for now; the server's async
//! task that called it awaits until [`Parked::woken`] (a send to the queue,
//! a visibility set to 0, the queue's deletion, or the server stopping) or
//! the deadline, without a thread, then runs the receive again with the
//! same deadline ([`long_poll`]). The blocking pool (8 threads) is never
//! held by a waiting receive. At most [`MAX_WAITERS`] are parked at once;
//! beyond that a receive answers at once, as a short poll would.
//!
//! Outside [`long_poll`] (a unit test, a caller other than the server) a
//! receive never waits.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use parking_lot::Mutex;

/// At most this many receives are parked at once.
pub const MAX_WAITERS: usize = 1024;

#[derive(Default)]
struct Inner {
    /// By queue key: how many sends (visibility resets, deletions) woke it.
    woken: HashMap<String, u64>,
    /// Parked receives, all queues together.
    active: usize,
    /// The server is stopping: nobody is parked any more.
    closed: bool,
}

/// The wake counts of the queues, and the parked receives.
#[derive(Default)]
pub struct Waiters {
    inner: Arc<Mutex<Inner>>,
}

/// A receive waiting for its queue; dropping it frees its place.
pub struct Parked {
    inner: Arc<Mutex<Inner>>,
    queue: String,
    seen: u64,
    /// Until when it waits.
    pub deadline: Instant,
    /// When to look again even if nobody wakes the queue: a delayed or
    /// in-flight message becomes visible then (at most the deadline).
    pub look_again: Instant,
}

impl Waiters {
    /// How often `queue` was woken (read before looking at it, so that a
    /// send after the look is noticed).
    pub fn generation(&self, queue: &str) -> u64 {
        self.inner.lock().woken.get(queue).copied().unwrap_or(0)
    }

    /// Parks a receive on `queue` that saw `seen`, until `deadline`, unless
    /// [`MAX_WAITERS`] are parked already or the server is stopping.
    pub fn park(&self, queue: &str, seen: u64, deadline: Instant) -> Option<Parked> {
        self.park_until(queue, seen, deadline, deadline)
    }

    /// [`Waiters::park`], looking again at `look_again` (at the latest the
    /// deadline) even if the queue is not woken.
    pub fn park_until(
        &self,
        queue: &str,
        seen: u64,
        deadline: Instant,
        look_again: Instant,
    ) -> Option<Parked> {
        let mut inner = self.inner.lock();
        if inner.closed || inner.active >= MAX_WAITERS {
            return None;
        }
        inner.active += 1;
        Some(Parked {
            inner: self.inner.clone(),
            queue: queue.to_owned(),
            seen,
            deadline,
            look_again: look_again.min(deadline),
        })
    }

    /// Wakes the receives parked on `queue` (a message was sent to it or
    /// made visible, or it was deleted).
    pub fn notify(&self, queue: &str) {
        let mut inner = self.inner.lock();
        let n = inner.woken.entry(queue.to_owned()).or_insert(0);
        *n = n.wrapping_add(1);
    }

    /// Ends every wait, now and from now on (the server is stopping).
    pub fn close(&self) {
        self.inner.lock().closed = true;
    }

    /// How many receives are parked.
    pub fn active(&self) -> usize {
        self.inner.lock().active
    }
}

impl Parked {
    /// Whether to look again: the queue was woken since the receive looked,
    /// or the server is stopping. (The deadline and [`Parked::look_again`]
    /// are the caller's to watch.)
    pub fn woken(&self) -> bool {
        let inner = self.inner.lock();
        inner.closed || inner.woken.get(&self.queue).copied().unwrap_or(0) != self.seen
    }
}

impl Drop for Parked {
    fn drop(&mut self) {
        let mut inner = self.inner.lock();
        inner.active = inner.active.saturating_sub(1);
    }
}

/// The long poll in progress on this thread: the deadline of an earlier
/// attempt (`None`: the first), and where a receive leaves its parking.
struct Scope {
    deadline: Option<Instant>,
    parked: Option<Parked>,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Runs `f` (one attempt of a call) so that a receive in it may park
/// instead of answering at once: returns `f`'s output and the parked
/// receive, if one was. `deadline`: the first attempt's deadline, for the
/// attempts after it.
pub fn long_poll<R>(deadline: Option<Instant>, f: impl FnOnce() -> R) -> (R, Option<Parked>) {
    let outer = SCOPE.with(|s| {
        s.borrow_mut().replace(Scope {
            deadline,
            parked: None,
        })
    });
    let out = f();
    let parked = SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        let mine = s.take().and_then(|scope| scope.parked);
        *s = outer;
        mine
    });
    (out, parked)
}

/// Inside [`long_poll`]: `Some` of the earlier attempt's deadline.
pub(super) fn scope() -> Option<Option<Instant>> {
    SCOPE.with(|s| s.borrow().as_ref().map(|scope| scope.deadline))
}

/// Leaves a parked receive to [`long_poll`]'s caller.
pub(super) fn leave(parked: Parked) {
    SCOPE.with(|s| {
        if let Some(scope) = s.borrow_mut().as_mut() {
            scope.parked = Some(parked);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_notify_wakes_a_parked_receive_and_parking_is_bounded() {
        let w = Waiters::default();
        let deadline = Instant::now() + Duration::from_secs(5);
        let seen = w.generation("a/r/q");
        let p = w.park("a/r/q", seen, deadline).unwrap();
        assert!(!p.woken());
        w.notify("a/r/other");
        assert!(!p.woken());
        w.notify("a/r/q");
        assert!(p.woken());
        assert_eq!(w.active(), 1);
        drop(p);
        assert_eq!(w.active(), 0);

        let all: Vec<_> = (0..MAX_WAITERS)
            .filter_map(|_| w.park("a/r/q", 0, deadline))
            .collect();
        assert_eq!(all.len(), MAX_WAITERS);
        assert!(w.park("a/r/q", 0, deadline).is_none());
        drop(all);
        let p = w.park("a/r/q", w.generation("a/r/q"), deadline).unwrap();
        w.close();
        assert!(p.woken());
        assert!(w.park("a/r/q", 0, deadline).is_none());
    }

    #[test]
    fn the_scope_hands_back_what_was_parked() {
        let w = Waiters::default();
        assert_eq!(scope(), None);
        let later = Instant::now() + Duration::from_secs(1);
        let ((), parked) = long_poll(Some(later), || {
            assert_eq!(scope(), Some(Some(later)));
            leave(w.park("q", 0, later).unwrap());
        });
        assert_eq!(parked.map(|p| p.deadline), Some(later));
        assert_eq!(scope(), None);
        assert_eq!(w.active(), 0);
    }
}
