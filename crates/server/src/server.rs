//! One way to start an endpoint (issue 13): [`Server::open`] wires the
//! store, the master key, the CloudTrail event history and its delivery to
//! trails, the S3 object limit, the clock and the connection limits from a
//! [`Config`]; `rootward serve`, the API tests, the operator test fixture,
//! the load bench and the examples all start it this way. Bootstrapping the
//! first account stays with the caller (`rootward_core::bootstrap`), as does
//! the listening socket ([`Server::serve_until`]).

use std::path::PathBuf;
use std::sync::Arc;

use rootward_core::Service;
use rootward_core::clock::{Clock, SystemClock};
use rootward_core::cloudtrail::delivery::{self, Delivery};
use rootward_core::keys::{Keys, MasterKey};
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::trail::Trail;
use rootward_core::trail::sqlite::SqliteTrail;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::listener::{Served, Stop};
use crate::{AppState, Limits};

/// Where the master key that seals secrets at rest and session tokens
/// comes from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// A key file, created (mode 0600) when missing: `DATA/master.key` by
    /// default.
    File(PathBuf),
    /// A key file that must exist (`--master-key-file`).
    ExistingFile(PathBuf),
    /// The key itself, base64 (`ROOTWARD_MASTER_KEY`).
    Text(String),
    /// A key that lives as long as the process (benches, throwaway tests).
    Ephemeral,
}

/// Everything an endpoint is started with.
#[derive(Clone)]
pub struct Config {
    /// The data directory: `state.db`, `trail.db`, the sign-in stand-ins'
    /// outbox.
    pub data: PathBuf,
    /// The master key.
    pub master_key: MasterKeySource,
    /// During a key rotation, the previous key file.
    pub previous_master_key: Option<PathBuf>,
    /// Keep the CloudTrail event history (`DATA/trail.db`); without it
    /// `LookupEvents` answers that there is none.
    pub history: bool,
    /// Also append every event as one JSON line to this file.
    pub trail_file: Option<PathBuf>,
    /// How long the event history keeps events.
    pub trail_retention: time::Duration,
    /// How often logging trails' events are delivered to their buckets
    /// (`None`: never).
    pub trail_delivery: Option<std::time::Duration>,
    /// The largest S3 object accepted.
    pub s3_max_object_size: usize,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Connection and request limits.
    pub limits: Limits,
    /// Write the sign-in stand-ins' outbox under `DATA/outbox/` (else it is
    /// kept in memory).
    pub outbox: bool,
}

impl Config {
    /// The defaults of `rootward serve` on the data directory `data`.
    pub fn new(data: impl Into<PathBuf>) -> Config {
        let data = data.into();
        Config {
            master_key: MasterKeySource::File(data.join("master.key")),
            data,
            previous_master_key: None,
            history: true,
            trail_file: None,
            trail_retention: rootward_core::trail::DEFAULT_RETENTION,
            trail_delivery: Some(std::time::Duration::from_secs(5)),
            s3_max_object_size: rootward_core::s3::DEFAULT_MAX_OBJECT_SIZE,
            clock: Arc::new(SystemClock::default()),
            limits: Limits::default(),
            outbox: true,
        }
    }
}

/// Why an endpoint could not be started.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OpenError(String);

fn failed(e: impl std::fmt::Display) -> OpenError {
    OpenError(e.to_string())
}

/// A started endpoint, not yet listening.
pub struct Server {
    svc: Arc<Service>,
    state: AppState,
    // Stops (joining its thread) when the server is dropped.
    _delivery: Option<Delivery>,
}

impl Server {
    /// Opens the store and the event history under `config.data` and
    /// starts trail delivery.
    pub fn open(config: Config) -> Result<Server, OpenError> {
        let current = match &config.master_key {
            MasterKeySource::File(p) => Some(MasterKey::read_or_create(p)),
            MasterKeySource::ExistingFile(p) => Some(MasterKey::read(p)),
            MasterKeySource::Text(t) => Some(MasterKey::from_text(t)),
            MasterKeySource::Ephemeral => None,
        };
        let keys = match current {
            None => Keys::ephemeral(),
            Some(current) => {
                let previous = match &config.previous_master_key {
                    Some(p) => Some(MasterKey::read(p).map_err(failed)?),
                    None => None,
                };
                Keys::new(&current.map_err(failed)?, previous.as_ref())
            }
        };
        let store = SqliteStore::open(&config.data.join("state.db")).map_err(failed)?;
        let svc =
            Arc::new(Service::open(Box::new(store), config.clock.clone(), keys).map_err(failed)?);
        if config.history {
            let history = SqliteTrail::open(&config.data.join("trail.db")).map_err(failed)?;
            let trail = Trail::start(
                Arc::new(history),
                config.trail_file.clone(),
                config.trail_retention,
            )
            .map_err(failed)?;
            svc.set_trail(trail);
        }
        let delivery = match config.trail_delivery {
            Some(every) => Some(delivery::start(&svc, every).map_err(failed)?),
            None => None,
        };
        svc.set_s3_max_object_size(config.s3_max_object_size);
        let state = AppState::new(svc.clone(), config.outbox.then_some(config.data.as_path()))
            .with_limits(config.limits);
        Ok(Server {
            svc,
            state,
            _delivery: delivery,
        })
    }

    /// The domain.
    pub fn svc(&self) -> &Arc<Service> {
        &self.svc
    }

    /// What every request shares (the sign-in stand-ins among it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves on `listener` until `stop` says otherwise ([`crate::serve_until`]).
    pub async fn serve_until(
        &self,
        listener: TcpListener,
        stop: watch::Receiver<Stop>,
    ) -> std::io::Result<Served> {
        crate::listener::serve_until(listener, self.state.clone(), stop).await
    }
}
