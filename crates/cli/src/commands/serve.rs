//! `rootward serve`: the AWS-compatible endpoint on an embedded store.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use rootward_core::bootstrap::{Bootstrap, bootstrap};
use rootward_server::listener::Stop;
use rootward_server::{Config, Limits, MasterKeySource, Server};
use tokio::sync::watch;

/// Options of `rootward serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:4577")]
    listen: SocketAddr,
    /// Data directory (created if missing).
    #[arg(long, default_value = "./rootward-data")]
    data: PathBuf,
    /// Account id of the first account (random when absent; first start only).
    #[arg(long)]
    account_id: Option<String>,
    /// Also append every CloudTrail event as one JSON line to this file.
    #[arg(long)]
    trail_file: Option<PathBuf>,
    /// On a fresh data directory, seed the seed scenario's organization
    /// (management account, a delegated administrator "Breaking Glass" with
    /// two operators, "Sandbox", older invited accounts with root credentials)
    /// and print the operator's credentials.
    #[arg(long)]
    demo: bool,
    /// Days the CloudTrail event history keeps events.
    #[arg(long, default_value_t = 90)]
    trail_retention_days: i64,
    /// Seconds between two deliveries of logging trails' events to their S3
    /// buckets (CloudTrail delivers about every five minutes).
    #[arg(long, default_value_t = 5)]
    trail_delivery_seconds: u64,
    /// Largest S3 object accepted, in bytes (default 16 MiB).
    #[arg(long, default_value_t = rootward_core::s3::DEFAULT_MAX_OBJECT_SIZE)]
    s3_max_object_size: usize,
    /// The master key file (32 bytes, base64) that seals secrets at rest and
    /// session tokens; default `DATA/master.key`, created on first start.
    /// `ROOTWARD_MASTER_KEY` (the key itself, base64) takes precedence.
    #[arg(long, env = "ROOTWARD_MASTER_KEY_FILE")]
    master_key_file: Option<PathBuf>,
    /// During a master key rotation: the previous key file. Secrets sealed
    /// under it are sealed again under the master key at start, and session
    /// tokens it sealed stay valid until they expire (keep it 36 hours).
    #[arg(long)]
    previous_master_key_file: Option<PathBuf>,
    /// Log format on stderr (the level comes from `RUST_LOG`, default `info`).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Seconds a client may take to send a request head, counted from the
    /// connection (or the first byte after an idle period); then it is closed.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    header_read_timeout: Duration,
    /// Seconds a request body may stay silent; then the request is answered
    /// `RequestTimeout` and the connection closed.
    #[arg(long, value_name = "SECONDS", default_value = "20", value_parser = seconds)]
    body_idle_timeout: Duration,
    /// Seconds a connection may stay open with no request in flight and no
    /// byte moving (idle keep-alive, or an answer the client does not read).
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = seconds)]
    keep_alive_timeout: Duration,
    /// Most connections open at once; more are closed as they are accepted.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    max_connections: usize,
    /// Most request-body bytes buffered at once across all connections
    /// (at least the largest request body: `--s3-max-object-size` + 1 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = 48 * 1024 * 1024)]
    max_buffered_bytes: usize,
    /// Seconds in-flight requests may take to finish after SIGTERM or SIGINT;
    /// a second signal exits at once.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = seconds)]
    shutdown_grace: Duration,
}

/// The master key: `ROOTWARD_MASTER_KEY`, else `--master-key-file`, else
/// `DATA/master.key` (created on first start, mode 0600).
fn master_key(args: &ServeArgs) -> MasterKeySource {
    match std::env::var("ROOTWARD_MASTER_KEY") {
        Ok(text) => MasterKeySource::Text(text),
        Err(_) => match &args.master_key_file {
            Some(path) => MasterKeySource::ExistingFile(path.clone()),
            None => MasterKeySource::File(args.data.join("master.key")),
        },
    }
}

/// How `rootward serve` writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event (span fields included).
    Json,
}

/// A duration in seconds (decimals allowed), at most a day.
fn seconds(s: &str) -> Result<Duration, String> {
    let n: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&n) {
        return Err(format!("`{s}` is not between 0 and 86400 seconds"));
    }
    Duration::try_from_secs_f64(n).map_err(|_| format!("`{s}` is not a number of seconds"))
}

impl ServeArgs {
    fn limits(&self) -> Limits {
        Limits {
            header_read_timeout: self.header_read_timeout,
            body_idle_timeout: self.body_idle_timeout,
            keep_alive_timeout: self.keep_alive_timeout,
            max_connections: self.max_connections,
            max_buffered_bytes: self.max_buffered_bytes,
            shutdown_grace: self.shutdown_grace,
        }
    }
}

/// Installs the log: `RUST_LOG` (default `info`) to stderr, as text or JSON.
/// What is logged never includes secrets: see `rootward_server::request_log`.
fn init_logging(format: LogFormat) -> Result<(), String> {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::filter::LevelFilter;
    let filter = EnvFilter::builder()
        .with_default_directive(LevelFilter::INFO.into())
        .from_env_lossy();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    installed.map_err(|e| format!("cannot install the log: {e}"))
}

/// Turns the first SIGTERM/SIGINT into [`Stop::Drain`] and the second into
/// [`Stop::Now`]. Installed before the listener is announced.
fn watch_signals(tx: watch::Sender<Stop>) -> Result<(), String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).map_err(|e| format!("signals: {e}"))?;
        let mut int = signal(SignalKind::interrupt()).map_err(|e| format!("signals: {e}"))?;
        tokio::spawn(async move {
            for next in [Stop::Drain, Stop::Now] {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
                announce(next);
                let _ = tx.send(next);
            }
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        for next in [Stop::Drain, Stop::Now] {
            if tokio::signal::ctrl_c().await.is_err() {
                return;
            }
            announce(next);
            let _ = tx.send(next);
        }
    });
    Ok(())
}

fn announce(next: Stop) {
    if next == Stop::Now {
        tracing::warn!("second signal: exiting now");
    } else {
        tracing::info!("signal: shutting down (a second signal exits at once)");
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

fn exports(b: &Bootstrap, addr: SocketAddr) -> String {
    format!(
        "export AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} AWS_ENDPOINT_URL=http://{addr} AWS_DEFAULT_REGION=us-east-1\n",
        b.access_key_id,
        b.secret_access_key.expose()
    )
}

/// Most threads of the blocking pool (S3 bytes, commits, the trail lookups).
const MAX_BLOCKING_THREADS: usize = 8;

/// Runs the endpoint until SIGINT or SIGTERM.
pub fn run(args: ServeArgs) -> ExitCode {
    if let Err(e) = init_logging(args.log_format) {
        eprintln!("rootward: {e}");
        return ExitCode::from(2);
    }
    // Calls that may wait for the disk run on the blocking pool. tokio's
    // default (up to 512 threads, each keeping its allocator heap) grew to
    // 74 threads and 260 MiB under 16 connections (issue 15). Commits are
    // grouped, so 8 threads keep the disk as busy as 24 did (AssumeRole at
    // 16 connections: 6.5k req/s either way; 70 MiB resident instead of 105).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rootward: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = runtime.block_on(serve(args));
    // A request cut at the deadline may still be committing on the blocking
    // pool: give it a moment (a commit is atomic either way). After a second
    // signal, wait for nothing.
    match outcome {
        Ok(Stop::Now) => runtime.shutdown_background(),
        _ => runtime.shutdown_timeout(Duration::from_secs(1)),
    }
    match outcome {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rootward: {e}");
            ExitCode::from(2)
        }
    }
}

async fn serve(args: ServeArgs) -> Result<Stop, String> {
    let limits = args.limits();
    let body_limit = args.s3_max_object_size.saturating_add(1024 * 1024);
    if limits.max_buffered_bytes < body_limit {
        return Err(format!(
            "--max-buffered-bytes ({}) must be at least the largest request body ({body_limit}: --s3-max-object-size + 1 MiB)",
            limits.max_buffered_bytes
        ));
    }
    let (stop_tx, stop_rx) = watch::channel(Stop::Run);
    watch_signals(stop_tx)?;
    // Everything under the data directory is private to its owner, also
    // what an older version created with wider modes.
    rootward_core::datadir::private_umask();
    rootward_core::datadir::secure(&args.data).map_err(|e| e.to_string())?;
    let mut config = Config::new(&args.data);
    config.master_key = master_key(&args);
    config.previous_master_key = args.previous_master_key_file.clone();
    config.trail_file = args.trail_file.clone();
    config.trail_retention = time::Duration::days(args.trail_retention_days.max(1));
    config.trail_delivery = Some(Duration::from_secs(args.trail_delivery_seconds.max(1)));
    config.s3_max_object_size = args.s3_max_object_size;
    config.limits = limits.clone();
    // Trail delivery stops (joining its thread) when `server` drops, as
    // `serve` returns.
    let server = Server::open(config).map_err(|e| e.to_string())?;
    let svc = server.svc().clone();
    let key_id = std::env::var("ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID").ok();
    let secret = std::env::var("ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY").ok();
    let created = bootstrap(
        &svc,
        args.account_id.as_deref(),
        key_id.as_deref(),
        secret.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if let Some(b) = &created {
        let lines = exports(b, addr);
        write_private(&args.data.join("bootstrap-credentials"), &lines)
            .map_err(|e| format!("cannot write the bootstrap credentials: {e}"))?;
        println!(
            "# first start: account {} with IAM user `admin` (AdministratorAccess)",
            b.account_id
        );
        print!("{lines}");
    }
    // Bookkeeping nobody waits for (access keys' last use) and the outbox
    // events already in the history are committed now and then when no
    // write does it on the way.
    let janitor = svc.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tick.tick().await;
            let svc = janitor.clone();
            let _ = tokio::task::spawn_blocking(move || {
                if let Err(e) = svc.commit_pending() {
                    tracing::error!(error = %e, "pending bookkeeping not committed");
                }
                if let Err(e) = svc.tidy_outbox() {
                    tracing::error!(error = %e, "outbox not tidied");
                }
            })
            .await;
        }
    });
    let state = server.state().clone();
    if args.demo {
        match &created {
            Some(b) => {
                let demo = rootward_core::demo::seed(&svc, &state.console, &b.access_key_id)
                    .map_err(|e| format!("demo: {e}"))?;
                let mut text = String::new();
                for c in &demo.credentials {
                    text.push_str(&format!(
                        "# demo: {}\nexport AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} AWS_ENDPOINT_URL=http://{addr} AWS_DEFAULT_REGION=us-east-1\n",
                        c.label,
                        c.key.id,
                        c.key.secret.expose()
                    ));
                }
                write_private(&args.data.join("demo-credentials"), &text)
                    .map_err(|e| format!("cannot write the demo credentials: {e}"))?;
                println!(
                    "# demo: organization seeded: Breaking Glass {} (delegated administrator), Sandbox {}, {}",
                    demo.breaking_glass,
                    demo.sandbox,
                    demo.legacy
                        .iter()
                        .map(|(n, id)| format!("{n} {id}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                print!("{text}");
            }
            None => println!("# demo: the data directory is not fresh; nothing seeded"),
        }
    }
    tracing::info!(
        %addr,
        header_read_timeout_s = limits.header_read_timeout.as_secs_f64(),
        body_idle_timeout_s = limits.body_idle_timeout.as_secs_f64(),
        keep_alive_timeout_s = limits.keep_alive_timeout.as_secs_f64(),
        max_connections = limits.max_connections,
        max_buffered_bytes = limits.max_buffered_bytes,
        shutdown_grace_s = limits.shutdown_grace.as_secs_f64(),
        "listening"
    );
    println!("listening on http://{addr}");
    let served = rootward_server::listener::serve_until(listener, state, stop_rx.clone())
        .await
        .map_err(|e| e.to_string())?;
    let stop = *stop_rx.borrow();
    if stop != Stop::Now {
        // Every acknowledged call's event reaches the trail before exit.
        let trail = svc.clone();
        let _ = tokio::task::spawn_blocking(move || {
            if let Some(t) = trail.trail() {
                t.flush();
            }
        })
        .await;
    }
    tracing::info!(cut = served.cut, refused_at_cap = served.refused, "stopped");
    Ok(stop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn flag_defaults_are_the_servers_defaults() {
        let cli = Cli::try_parse_from(["serve"]).map_err(|e| e.to_string());
        let limits = cli.map(|c| c.serve.limits());
        let d = Limits::default();
        assert_eq!(
            limits.map(|l| (
                l.header_read_timeout,
                l.body_idle_timeout,
                l.keep_alive_timeout,
                l.max_connections,
                l.max_buffered_bytes,
                l.shutdown_grace
            )),
            Ok((
                d.header_read_timeout,
                d.body_idle_timeout,
                d.keep_alive_timeout,
                d.max_connections,
                d.max_buffered_bytes,
                d.shutdown_grace
            ))
        );
    }

    #[test]
    fn seconds_accept_decimals_and_refuse_the_rest() {
        assert_eq!(seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(seconds("10"), Ok(Duration::from_secs(10)));
        for bad in ["-1", "x", "", "inf", "NaN", "86401"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }
}
