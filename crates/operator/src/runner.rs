//! The bounded concurrent runner: at most `concurrency` accounts at once,
//! each within the per-account timeout; every account ends with a result or
//! a [`Failure`] (never dropped). The first interrupt (Ctrl-C in the CLI)
//! stops starting accounts and reports what was done; a second one also
//! abandons the accounts in flight. An [`Observer`] sees each account as it
//! finishes (the CLI's progress bar, the console's live table).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::error::Failure;
use crate::select::Target;

/// How many accounts at once, and how long each may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Accounts worked on at the same time (at least 1).
    pub concurrency: usize,
    /// Time allowed per account before it is reported as `Timeout`.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            concurrency: 16,
            timeout: Duration::from_secs(120),
        }
    }
}

/// A future that completes at the next interrupt.
pub type Interrupt = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What a run reports while it goes.
pub trait Observer<T> {
    /// An account finished (in any order), with its index in the targets.
    fn done(&mut self, index: usize, target: &Target, result: &Result<T, Failure>);
    /// The first interrupt: `in_flight` accounts are finishing, no more start.
    fn interrupted(&mut self, in_flight: usize) {
        let _ = in_flight;
    }
}

/// Observes nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl<T> Observer<T> for Quiet {
    fn done(&mut self, _: usize, _: &Target, _: &Result<T, Failure>) {}
}

/// Never interrupts.
pub fn never() -> Interrupt {
    Box::pin(std::future::pending())
}

/// The next Ctrl-C; without a signal handler, never.
pub fn ctrl_c() -> Interrupt {
    Box::pin(async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

/// One account's result.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The account.
    pub target: Target,
    /// What happened.
    pub result: Result<T, Failure>,
}

/// What a run did.
#[derive(Debug)]
pub struct Run<T> {
    /// One outcome per target, in the targets' order.
    pub outcomes: Vec<Outcome<T>>,
    /// Ctrl-C stopped the run early (the accounts not run say `Interrupted`).
    pub interrupted: bool,
}

/// Runs `work` for every target, `limits.concurrency` at a time, each
/// bounded by `limits.timeout`. `interrupt` makes the future of each
/// interrupt (asked again after the first).
pub async fn run<T, F, Fut>(
    targets: Vec<Target>,
    limits: Limits,
    mut interrupt: impl FnMut() -> Interrupt,
    observer: &mut (dyn Observer<T> + Send),
    work: F,
) -> Run<T>
where
    F: Fn(Target) -> Fut,
    Fut: Future<Output = Result<T, Failure>> + Send + 'static,
    T: Send + 'static,
{
    let Limits {
        concurrency,
        timeout,
    } = limits;
    let n = targets.len();
    let mut results: Vec<Option<Result<T, Failure>>> = (0..n).map(|_| None).collect();
    let mut ids = HashMap::new();
    let mut set = JoinSet::new();
    let mut next = 0usize;
    let mut interrupts = 0u8;
    let mut ctrl_c = interrupt();
    loop {
        while interrupts == 0 && set.len() < concurrency.max(1) && next < n {
            if let Some(t) = targets.get(next) {
                let fut = work(t.clone());
                let handle = set.spawn(async move {
                    match tokio::time::timeout(timeout, fut).await {
                        Ok(r) => r,
                        Err(_) => Err(Failure::new(
                            "Timeout",
                            format!("the account took longer than {} s", timeout.as_secs()),
                        )),
                    }
                });
                ids.insert(handle.id(), next);
            }
            next += 1;
        }
        if set.is_empty() {
            break;
        }
        tokio::select! {
            joined = set.join_next_with_id() => {
                let (id, result) = match joined {
                    Some(Ok((id, r))) => (id, r),
                    Some(Err(e)) => {
                        let why = if e.is_cancelled() {
                            Failure::new("Interrupted", "abandoned by a second Ctrl-C")
                        } else {
                            Failure::new("InternalError", "the task for this account failed")
                        };
                        (e.id(), Err(why))
                    }
                    None => break,
                };
                if let Some(i) = ids.remove(&id) {
                    if let Some(t) = targets.get(i) {
                        observer.done(i, t, &result);
                    }
                    if let Some(slot) = results.get_mut(i) {
                        *slot = Some(result);
                    }
                }
            }
            () = &mut ctrl_c, if interrupts < 2 => {
                interrupts += 1;
                if interrupts == 1 {
                    observer.interrupted(set.len());
                    ctrl_c = interrupt();
                } else {
                    set.abort_all();
                }
            }
        }
    }
    let outcomes = targets
        .into_iter()
        .zip(results)
        .map(|(target, r)| Outcome {
            target,
            result: r.unwrap_or_else(|| {
                Err(Failure::new(
                    "Interrupted",
                    "not run: the run was interrupted",
                ))
            }),
        })
        .collect();
    Run {
        outcomes,
        interrupted: interrupts > 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(n: usize) -> Vec<Target> {
        (0..n)
            .map(|i| Target {
                id: format!("{i:012}"),
                name: None,
            })
            .collect()
    }

    struct Seen(Vec<usize>);

    impl Observer<String> for Seen {
        fn done(&mut self, i: usize, _: &Target, _: &Result<String, Failure>) {
            self.0.push(i);
        }
    }

    #[tokio::test]
    async fn bounded_ordered_and_timeouts_are_reported() {
        let live = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (l, p) = (live.clone(), peak.clone());
        let mut seen = Seen(Vec::new());
        let run = run(
            targets(20),
            Limits {
                concurrency: 3,
                timeout: Duration::from_millis(200),
            },
            never,
            &mut seen,
            move |t| {
                let (l, p) = (l.clone(), p.clone());
                async move {
                    let now = l.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    p.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                    let slow = t.id.ends_with('7');
                    tokio::time::sleep(Duration::from_millis(if slow { 1000 } else { 10 })).await;
                    l.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    if t.id.ends_with('5') {
                        Err(Failure::new("AccessDenied", "no"))
                    } else {
                        Ok(t.id.clone())
                    }
                }
            },
        )
        .await;
        assert!(!run.interrupted);
        seen.0.sort_unstable();
        assert_eq!(
            seen.0,
            (0..20).collect::<Vec<_>>(),
            "each account observed once"
        );
        assert!(peak.load(std::sync::atomic::Ordering::SeqCst) <= 3);
        assert_eq!(run.outcomes.len(), 20);
        for (i, o) in run.outcomes.iter().enumerate() {
            assert_eq!(o.target.id, format!("{i:012}"));
            match i {
                5 | 15 => assert_eq!(o.result.as_ref().unwrap_err().code, "AccessDenied"),
                7 | 17 => assert_eq!(o.result.as_ref().unwrap_err().code, "Timeout"),
                _ => assert_eq!(o.result.as_ref().unwrap(), &o.target.id),
            }
        }
    }
}
