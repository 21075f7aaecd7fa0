//! The bounded concurrent runner: at most `--concurrency` accounts at once,
//! each within the per-account timeout; every account ends with a result or
//! a [`Failure`] (never dropped). Ctrl-C stops starting accounts and reports
//! what was done; a second Ctrl-C also abandons the accounts in flight.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;

use super::error::Failure;
use super::output::progress;
use super::select::Target;

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

/// The next Ctrl-C; without a signal handler, never (no early stop).
async fn interrupt() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Runs `work` for every target, `concurrency` at a time, each bounded by
/// `timeout`. `what` labels the progress bar.
pub async fn run<T, F, Fut>(
    targets: Vec<Target>,
    concurrency: usize,
    timeout: Duration,
    what: &str,
    work: F,
) -> Run<T>
where
    F: Fn(Target) -> Fut,
    Fut: Future<Output = Result<T, Failure>> + Send + 'static,
    T: Send + 'static,
{
    let n = targets.len();
    let pb = progress(n, what);
    let mut results: Vec<Option<Result<T, Failure>>> = (0..n).map(|_| None).collect();
    let mut ids = HashMap::new();
    let mut set = JoinSet::new();
    let mut next = 0usize;
    let mut interrupts = 0u8;
    let mut ctrl_c = Box::pin(interrupt());
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
                if let Some(slot) = ids.remove(&id).and_then(|i| results.get_mut(i)) {
                    *slot = Some(result);
                }
                pb.inc(1);
            }
            () = &mut ctrl_c, if interrupts < 2 => {
                interrupts += 1;
                if interrupts == 1 {
                    pb.suspend(|| eprintln!(
                        "rootward: interrupted: finishing the {} accounts in flight, starting no more (Ctrl-C again to abandon them)",
                        set.len()
                    ));
                    ctrl_c = Box::pin(interrupt());
                } else {
                    set.abort_all();
                }
            }
        }
    }
    pb.finish_and_clear();
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

    #[tokio::test]
    async fn bounded_ordered_and_timeouts_are_reported() {
        let live = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (l, p) = (live.clone(), peak.clone());
        let run = run(
            targets(20),
            3,
            Duration::from_millis(200),
            "test",
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
