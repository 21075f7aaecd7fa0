//! The live audit behind the Accounts page: the organization's tree, then
//! `rootward_operator::audit::audit` over every member, each row recorded as
//! its account finishes (the page's script polls for rows finished since the
//! last poll). One audit at a time; "Re-audit" starts a new generation.
//! Actions re-audit the accounts they changed ([`refresh`]).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rootward_operator::Failure;
use rootward_operator::audit::{AuditJob, AuditReport, AuditRow, RootState, audit, audit_one};
use rootward_operator::runner::{Observer, never};
use rootward_operator::select::{Member, Target, Unit, tree};

use crate::Console;

/// Where the audit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Not started.
    Idle,
    /// Listing the organization's accounts.
    Listing,
    /// Auditing.
    Running,
    /// Every account has a row.
    Done,
    /// The accounts could not be listed.
    Failed(String),
}

/// The audit's state.
#[derive(Debug)]
pub struct State {
    /// Starts at 1 with the first audit; each re-audit adds one.
    pub generation: u64,
    /// Where it is.
    pub phase: Phase,
    /// Member accounts (never the management account), by name.
    pub members: Vec<Member>,
    /// The OUs, by path.
    pub units: Vec<Unit>,
    /// Rows of the accounts finished, by id.
    pub rows: HashMap<String, AuditRow>,
    /// The sequence number of each account's last (re)written row: the
    /// page's script asks for the rows written after the number it has.
    /// One entry per account (an account written again moves), so the log
    /// never outgrows the organization.
    pub finished: HashMap<String, u64>,
    /// Rows written in this generation (the last sequence number given).
    pub seq: u64,
    /// When the audit started.
    pub started: Option<Instant>,
    /// How long it took.
    pub took: Option<Duration>,
}

impl Default for State {
    fn default() -> State {
        State {
            generation: 0,
            phase: Phase::Idle,
            members: Vec::new(),
            units: Vec::new(),
            rows: HashMap::new(),
            finished: HashMap::new(),
            seq: 0,
            started: None,
            took: None,
        }
    }
}

impl State {
    fn record(&mut self, row: AuditRow) {
        self.seq += 1;
        self.finished.insert(row.account_id.clone(), self.seq);
        self.rows.insert(row.account_id.clone(), row);
    }

    /// The ids whose rows were written after `since`, in the order written.
    pub fn written_since(&self, since: u64) -> Vec<&str> {
        let mut out: Vec<(u64, &str)> = self
            .finished
            .iter()
            .filter(|(_, n)| **n > since)
            .map(|(id, n)| (*n, id.as_str()))
            .collect();
        out.sort_unstable();
        out.into_iter().map(|(_, id)| id).collect()
    }

    /// The member with this id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// The report of every member (the CLI's document), in the order of
    /// `order` (the CLI's: `ListAccounts`, what `rootward audit --all`
    /// audits in), members it does not name after them by name.
    pub fn report(&self, order: &[Target]) -> AuditReport {
        let mut ids: Vec<&str> = order
            .iter()
            .map(|t| t.id.as_str())
            .filter(|id| self.member(id).is_some())
            .collect();
        for m in &self.members {
            if !ids.contains(&m.id.as_str()) {
                ids.push(&m.id);
            }
        }
        let mut seen = std::collections::HashSet::new();
        let rows = ids
            .into_iter()
            .filter(|id| seen.insert(*id))
            .filter_map(|id| self.rows.get(id).cloned())
            .collect();
        AuditReport::new(rows, false)
    }
}

/// The console's live audit.
#[derive(Debug, Default)]
pub struct Live {
    state: RwLock<State>,
}

impl Live {
    /// Reads the state.
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> Option<R> {
        self.state.read().ok().map(|s| f(&s))
    }

    fn write(&self, f: impl FnOnce(&mut State)) {
        if let Ok(mut s) = self.state.write() {
            f(&mut s);
        }
    }
}

struct Recorder {
    console: Arc<Console>,
    generation: u64,
}

impl Observer<RootState> for Recorder {
    fn done(&mut self, _: usize, target: &Target, result: &Result<RootState, Failure>) {
        let row = AuditRow::new(target.clone(), result.clone());
        let generation = self.generation;
        self.console.live.write(|s| {
            if s.generation == generation {
                s.record(row);
            }
        });
    }
}

/// Starts an audit unless one is running (or, without `again`, already
/// ran).
pub fn start(console: &Arc<Console>, again: bool) {
    let mut generation = None;
    console.live.write(|s| {
        let busy = matches!(s.phase, Phase::Listing | Phase::Running);
        if busy || (!again && s.phase != Phase::Idle) {
            return;
        }
        s.generation += 1;
        s.phase = Phase::Listing;
        s.rows.clear();
        s.finished.clear();
        s.seq = 0;
        s.started = Some(Instant::now());
        s.took = None;
        generation = Some(s.generation);
    });
    let Some(generation) = generation else {
        return;
    };
    let console = console.clone();
    tokio::spawn(async move {
        let aws = &console.config.aws;
        let (members, units) = match tree(aws).await {
            Ok(t) => t,
            Err(e) => {
                console.live.write(|s| s.phase = Phase::Failed(e));
                return;
            }
        };
        let management = console.config.org.management.clone();
        let members: Vec<Member> = members.into_iter().filter(|m| m.id != management).collect();
        let targets: Vec<Target> = members
            .iter()
            .map(|m| Target {
                id: m.id.clone(),
                name: Some(m.name.clone()),
            })
            .collect();
        console.live.write(|s| {
            s.members = members;
            s.units = units;
            s.phase = Phase::Running;
        });
        let job = AuditJob {
            thorough: false,
            ledger: console.ledger(),
            limits: console.config.limits,
        };
        let mut recorder = Recorder {
            console: console.clone(),
            generation,
        };
        let report = audit(aws, targets, &job, never, &mut recorder).await;
        console.live.write(|s| {
            if s.generation == generation {
                // Rows missed by the observer (none expected) from the report.
                for r in report.accounts {
                    if !s.rows.contains_key(&r.account_id) {
                        s.record(r);
                    }
                }
                s.phase = Phase::Done;
                s.took = s.started.map(|t| t.elapsed());
            }
        });
    });
}

/// Waits until the audit is done (or failed); the state then.
pub async fn settled(console: &Arc<Console>) -> Result<(), String> {
    start(console, false);
    loop {
        let phase = console.live.read(|s| s.phase.clone());
        match phase {
            Some(Phase::Done) => return Ok(()),
            Some(Phase::Failed(e)) => return Err(e),
            None => return Err("the audit state is not readable".into()),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Audits one account now and records its row; the row.
pub async fn refresh(console: &Arc<Console>, id: &str) -> AuditRow {
    let name = console
        .live
        .read(|s| s.member(id).map(|m| m.name.clone()))
        .flatten();
    let result = audit_one(
        console.config.aws.clone(),
        id.to_owned(),
        false,
        console.ledger(),
    )
    .await;
    let row = AuditRow::new(
        Target {
            id: id.to_owned(),
            name,
        },
        result,
    );
    let r = row.clone();
    console.live.write(|s| {
        if s.member(id).is_some() {
            s.record(r);
        }
    });
    row
}

/// Starts the audit if needed and waits until the members are known.
pub async fn listed(console: &Arc<Console>) -> Result<(), String> {
    start(console, false);
    loop {
        let phase = console.live.read(|s| s.phase.clone());
        match phase {
            Some(Phase::Running | Phase::Done) => return Ok(()),
            Some(Phase::Failed(e)) => return Err(e),
            None => return Err("the audit state is not readable".into()),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

struct Refresher {
    console: Arc<Console>,
}

impl Observer<RootState> for Refresher {
    fn done(&mut self, _: usize, target: &Target, result: &Result<RootState, Failure>) {
        let row = AuditRow::new(target.clone(), result.clone());
        self.console.live.write(|s| {
            if s.member(&row.account_id).is_some() {
                s.record(row);
            }
        });
    }
}

/// Re-audits these accounts (after an action changed them) and records
/// their rows.
pub async fn refresh_many(console: &Arc<Console>, targets: Vec<Target>) {
    let job = AuditJob {
        thorough: false,
        ledger: console.ledger(),
        limits: console.config.limits,
    };
    let mut refresher = Refresher {
        console: console.clone(),
    };
    audit(&console.config.aws, targets, &job, never, &mut refresher).await;
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_change_log_keeps_one_entry_per_account() {
        let mut s = State::default();
        let row = |id: &str| {
            AuditRow::new(
                Target {
                    id: id.into(),
                    name: None,
                },
                Err(Failure::new("Timeout", "t")),
            )
        };
        for id in ["a", "b", "a", "c", "a"] {
            s.record(row(id));
        }
        assert_eq!(s.seq, 5);
        assert_eq!(s.finished.len(), 3, "bounded by the accounts");
        assert_eq!(s.written_since(0), vec!["b", "c", "a"]);
        assert_eq!(s.written_since(2), vec!["c", "a"]);
        assert_eq!(s.written_since(5), Vec::<&str>::new());
    }

    #[test]
    fn the_report_follows_the_clis_order() {
        let mut s = State::default();
        for (id, name) in [("3", "a"), ("2", "b"), ("1", "c")] {
            s.members.push(Member {
                id: id.into(),
                name: name.into(),
                parent_id: "r-1".into(),
                ou_path: "Root".into(),
            });
            s.record(AuditRow::new(
                Target {
                    id: id.into(),
                    name: Some(name.into()),
                },
                Err(Failure::new("Timeout", "t")),
            ));
        }
        let t = |id: &str| Target {
            id: id.into(),
            name: None,
        };
        let ids = |r: AuditReport| -> Vec<String> {
            r.accounts.into_iter().map(|r| r.account_id).collect()
        };
        // The CLI's order; the management account (not a member) skipped;
        // a member it does not list comes after.
        assert_eq!(
            ids(s.report(&[t("2"), t("9"), t("1")])),
            vec!["2", "1", "3"]
        );
        assert_eq!(ids(s.report(&[])), vec!["3", "2", "1"]);
    }
}
