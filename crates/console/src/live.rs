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
    /// Ids in the order their rows were (re)written; position + 1 is the
    /// sequence number the page's script asks from.
    pub finished: Vec<String>,
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
            finished: Vec::new(),
            started: None,
            took: None,
        }
    }
}

impl State {
    fn record(&mut self, row: AuditRow) {
        self.finished.push(row.account_id.clone());
        self.rows.insert(row.account_id.clone(), row);
    }

    /// The member with this id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// The report of every member (the CLI's document), in member order.
    pub fn report(&self) -> AuditReport {
        let rows = self
            .members
            .iter()
            .filter_map(|m| self.rows.get(&m.id).cloned())
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
