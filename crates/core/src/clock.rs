//! One server clock for signature skew, session expiry and timestamps
//! (spec 01 §1.4), controllable in tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

/// The server's clock.
pub trait Clock: Send + Sync {
    /// Now, UTC.
    fn now(&self) -> OffsetDateTime;
}

/// The system clock, optionally shifted (tests move time forward to expire sessions).
#[derive(Debug, Default, Clone)]
pub struct SystemClock {
    offset_secs: Arc<AtomicI64>,
}

impl SystemClock {
    /// Moves this clock (and every clone) by `secs`.
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + time::Duration::seconds(self.offset_secs.load(Ordering::SeqCst))
    }
}

/// Formats a time as AWS XML does: `2024-11-20T12:15:00Z`.
pub fn iso8601(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
