//! Rootward's web console (`rootward console`): the operator jobs of
//! `rootward-operator` as pages, for the operator's own AWS credentials. It
//! is a face on the operator core, not a second implementation: every page
//! calls the functions the CLI commands call, so the two cannot disagree.
//!
//! Pages: Overview (what `status` reports; Enable), Accounts (every member
//! with its audit class, live while the audit runs; filters, search, sort,
//! paging, CSV/JSON export in the CLI's schemas; bulk deletion), Account
//! detail (the findings; delete credentials, allow recovery, unlock a bucket
//! or a queue with the backup shown and downloadable), Activity (the
//! AssumeRoot events of the trail). HTML is rendered on the server from
//! compile-time templates (maud); forms post and redirect; the only script
//! updates the audit's progress.
//!
//! Security ([`security`]): loopback by default and foreign `Host` headers
//! refused (DNS rebinding); a one-time sign-in link exchanged for an
//! `HttpOnly`, `SameSite=Strict` cookie; a CSRF token on every POST; a strict
//! Content-Security-Policy; idle sessions expire. Root session credentials
//! stay inside the operator core's `RootSession`: never in a page, a log or
//! a file.
//!
//! Left out: TLS (serve it on loopback, or behind a proxy that terminates
//! TLS and sets the `Host` the console allows), several operators per
//! console (each runs their own, with their own credentials).

mod live;
mod pages;
pub mod security;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use rootward_operator::aws::Aws;
use rootward_operator::recovery::Ledger;
use rootward_operator::runner::Limits;
use rootward_operator::select::Org;

/// What a console is started with.
pub struct Config {
    /// The operator's clients (the standard credential chain).
    pub aws: Aws,
    /// The organization, as described at start.
    pub org: Org,
    /// The recovery ledger (shared with `rootward allow-recovery`).
    pub ledger: PathBuf,
    /// Where unlock backups are written.
    pub backup_dir: PathBuf,
    /// Concurrency and per-account timeout of the jobs.
    pub limits: Limits,
    /// A session unused this long is signed out.
    pub idle: Duration,
    /// `Host` values allowed besides the listening address and `localhost`.
    pub allowed_hosts: Vec<String>,
    /// Tells the operator a new sign-in link (the CLI prints it).
    pub announce: Box<dyn Fn(&str) + Send + Sync>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("caller", &self.aws.caller.arn)
            .field("org", &self.org.id)
            .field("ledger", &self.ledger)
            .field("backup_dir", &self.backup_dir)
            .finish_non_exhaustive()
    }
}

/// A running console's state.
pub struct Console {
    config: Config,
    addr: SocketAddr,
    security: security::Security,
    live: live::Live,
    results: pages::Results,
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Console {
    /// A console for `config` listening on `addr`.
    pub fn new(config: Config, addr: SocketAddr) -> Arc<Console> {
        let security = security::Security::new(addr, &config.allowed_hosts, config.idle);
        Arc::new(Console {
            config,
            addr,
            security,
            live: live::Live::default(),
            results: pages::Results::default(),
        })
    }

    /// A fresh one-time sign-in link (the previous one stops working).
    pub fn signin_url(&self) -> String {
        format!(
            "http://{}/signin?token={}",
            self.security.home(),
            self.security.new_signin_token()
        )
    }

    /// The recovery ledger as it is now on disk (warnings dropped: the CLI
    /// prints them).
    fn ledger(&self) -> Arc<Ledger> {
        Arc::new(Ledger::load(&self.config.ledger).unwrap_or_default())
    }
}

/// The whole console as one service.
pub fn app(console: Arc<Console>) -> Router {
    Router::new()
        .route("/", get(pages::overview::page))
        .route("/enable", axum::routing::post(pages::overview::enable))
        .route("/accounts", get(pages::accounts::page))
        .route("/accounts/progress", get(pages::accounts::progress))
        .route("/accounts/export.csv", get(pages::accounts::export_csv))
        .route("/accounts/export.json", get(pages::accounts::export_json))
        .route("/audit", axum::routing::post(pages::accounts::reaudit))
        .route("/accounts/{id}", get(pages::detail::page))
        .route(
            "/delete",
            get(pages::actions::confirm_delete).post(pages::actions::delete),
        )
        .route(
            "/accounts/{id}/allow-recovery",
            get(pages::actions::confirm_recovery).post(pages::actions::allow_recovery),
        )
        .route(
            "/accounts/{id}/unlock-bucket",
            get(pages::actions::confirm_bucket).post(pages::actions::unlock_bucket),
        )
        .route(
            "/accounts/{id}/unlock-queue",
            get(pages::actions::confirm_queue).post(pages::actions::unlock_queue),
        )
        .route("/results/{id}", get(pages::actions::result))
        .route("/backups/{name}", get(pages::actions::backup))
        .route("/activity", get(pages::activity::page))
        .route("/signin", get(security::signin))
        .route("/signout", axum::routing::post(security::signout))
        .route("/assets/{name}", get(pages::asset))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            console.clone(),
            security::guard,
        ))
        .with_state(console)
}

/// Connections served at once; a further one is closed as soon as it is
/// accepted (a browser opens about six).
pub const MAX_CONNECTIONS: usize = 256;

/// A connection must send a request's whole header within this time (as
/// `rootward serve` does), or it is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves the console on `listener` until `shutdown` completes: HTTP/1.1
/// with a header-read timeout ([`HEADER_READ_TIMEOUT`]) and at most
/// [`MAX_CONNECTIONS`] connections, so that connections that never finish
/// their request cannot pile up.
pub async fn serve(
    listener: tokio::net::TcpListener,
    console: Arc<Console>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(console);
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors and the like: wait, then go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            let _ = http
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}
