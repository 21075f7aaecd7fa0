//! Long polls (`ReceiveMessage` with a wait time): the receivers waiting on
//! each queue, woken when a message is sent to it, when it is deleted, or
//! when the server stops.
//!
//! A waiter holds the thread its call runs on (calls that may wait run on
//! the blocking pool, never on an async worker), so their number is
//! bounded: beyond [`MAX_WAITERS`] a receive answers at once, as a short
//! poll would, rather than exhaust the pool.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

/// At most this many receives wait at once (the blocking pool has 512
/// threads; the rest stay for every other call).
pub const MAX_WAITERS: usize = 64;

/// The longest a waiter sleeps before it looks at its queue again: a
/// delayed message or an expired visibility timeout makes a message
/// visible without a send to wake anybody.
const RECHECK: Duration = Duration::from_millis(250);

#[derive(Default)]
struct Inner {
    /// By queue key: how many sends (and deletions) woke its waiters, and
    /// how many wait.
    queues: HashMap<String, (u64, usize)>,
    /// Waiters, all queues together.
    active: usize,
    /// The server is stopping: nobody waits any more.
    closed: bool,
}

/// The long polls in progress.
#[derive(Default)]
pub struct Waiters {
    inner: Mutex<Inner>,
    woken: Condvar,
}

/// One receive's place among the waiters of its queue; leaving it (drop)
/// frees the place.
pub struct Waiter<'a> {
    waiters: &'a Waiters,
    queue: String,
    seen: u64,
}

impl Waiters {
    /// A place among the waiters of `queue`, unless [`MAX_WAITERS`] wait
    /// already or the server is stopping.
    pub fn join(&self, queue: &str) -> Option<Waiter<'_>> {
        let mut inner = self.inner.lock();
        if inner.closed || inner.active >= MAX_WAITERS {
            return None;
        }
        inner.active += 1;
        let entry = inner.queues.entry(queue.to_owned()).or_insert((0, 0));
        entry.1 += 1;
        let seen = entry.0;
        Some(Waiter {
            waiters: self,
            queue: queue.to_owned(),
            seen,
        })
    }

    /// Wakes the waiters of `queue` (a message was sent to it, or it was
    /// deleted).
    pub fn notify(&self, queue: &str) {
        let mut inner = self.inner.lock();
        if let Some(entry) = inner.queues.get_mut(queue) {
            entry.0 = entry.0.wrapping_add(1);
            drop(inner);
            self.woken.notify_all();
        }
    }

    /// Ends every wait, now and from now on (the server is stopping).
    pub fn close(&self) {
        self.inner.lock().closed = true;
        self.woken.notify_all();
    }

    /// How many receives wait.
    pub fn active(&self) -> usize {
        self.inner.lock().active
    }
}

impl Waiter<'_> {
    /// Sleeps until the queue is woken after the last look (returns at
    /// once if it was woken meanwhile), `deadline` passes, a short while
    /// passes, or the server stops. `false`: stop waiting (the deadline
    /// passed or the server is stopping).
    pub fn wait(&mut self, deadline: Instant) -> bool {
        let mut inner = self.waiters.inner.lock();
        loop {
            if inner.closed {
                return false;
            }
            let current = inner.queues.get(&self.queue).map_or(self.seen, |e| e.0);
            if current != self.seen {
                self.seen = current;
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            let until = deadline.min(now + RECHECK);
            if self.waiters.woken.wait_until(&mut inner, until).timed_out() {
                return Instant::now() < deadline && !inner.closed;
            }
        }
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        let mut inner = self.waiters.inner.lock();
        inner.active = inner.active.saturating_sub(1);
        if let Some(entry) = inner.queues.get_mut(&self.queue) {
            entry.1 = entry.1.saturating_sub(1);
            if entry.1 == 0 {
                inner.queues.remove(&self.queue);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notify_wakes_a_waiter_and_the_number_of_waiters_is_bounded() {
        let w = Waiters::default();
        let places: Vec<_> = (0..MAX_WAITERS).filter_map(|_| w.join("a/r/q")).collect();
        assert_eq!(places.len(), MAX_WAITERS);
        assert!(w.join("a/r/other").is_none());
        drop(places);
        assert_eq!(w.active(), 0);

        let mut one = w.join("a/r/q").unwrap();
        w.notify("a/r/q");
        let t = Instant::now();
        assert!(one.wait(t + Duration::from_secs(5)));
        assert!(t.elapsed() < Duration::from_secs(1));
        // Nothing new: it sleeps until the deadline.
        let t = Instant::now();
        assert!(!one.wait(t + Duration::from_millis(300)) || t.elapsed() < RECHECK * 2);

        std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(100));
                w.close();
            });
            let t = Instant::now();
            let mut stop = false;
            while !stop {
                stop = !one.wait(t + Duration::from_secs(10));
            }
            assert!(t.elapsed() < Duration::from_secs(2));
        });
        assert!(w.join("a/r/q").is_none());
    }
}
