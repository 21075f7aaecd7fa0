//! `rootward serve`: the AWS-compatible endpoint on an embedded store.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use rootward_core::Service;
use rootward_core::bootstrap::{Bootstrap, bootstrap};
use rootward_core::clock::SystemClock;
use rootward_core::store::sqlite::SqliteStore;
use rootward_core::trail::Trail;
use rootward_core::trail::sqlite::SqliteTrail;
use rootward_server::AppState;

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
}

/// The master key: `ROOTWARD_MASTER_KEY`, else `--master-key-file`, else
/// `DATA/master.key` (created on first start, mode 0600).
fn master_keys(args: &ServeArgs) -> Result<rootward_core::keys::Keys, String> {
    use rootward_core::keys::{Keys, MasterKey};
    let current = match std::env::var("ROOTWARD_MASTER_KEY") {
        Ok(text) => MasterKey::from_text(&text),
        Err(_) => match &args.master_key_file {
            Some(path) => MasterKey::read(path),
            None => MasterKey::read_or_create(&args.data.join("master.key")),
        },
    }
    .map_err(|e| e.to_string())?;
    let previous = match &args.previous_master_key_file {
        Some(path) => Some(MasterKey::read(path).map_err(|e| e.to_string())?),
        None => None,
    };
    Ok(Keys::new(&current, previous.as_ref()))
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

/// Runs the endpoint until SIGINT or SIGTERM.
pub fn run(args: ServeArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rootward: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rootward: {e}");
            ExitCode::from(2)
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    // Everything under the data directory is private to its owner, also
    // what an older version created with wider modes.
    rootward_core::datadir::private_umask();
    rootward_core::datadir::secure(&args.data).map_err(|e| e.to_string())?;
    let keys = master_keys(&args)?;
    let store = SqliteStore::open(&args.data.join("state.db")).map_err(|e| e.to_string())?;
    let svc = Arc::new(
        Service::open(Box::new(store), Arc::new(SystemClock::default()), keys)
            .map_err(|e| e.to_string())?,
    );
    let history = SqliteTrail::open(&args.data.join("trail.db")).map_err(|e| e.to_string())?;
    let trail = Trail::start(
        Arc::new(history),
        args.trail_file.clone(),
        time::Duration::days(args.trail_retention_days.max(1)),
    )
    .map_err(|e| e.to_string())?;
    svc.set_trail(trail);
    // Stops (joining its thread) when `serve` returns.
    let _delivery = rootward_core::cloudtrail::delivery::start(
        &svc,
        std::time::Duration::from_secs(args.trail_delivery_seconds.max(1)),
    )
    .map_err(|e| e.to_string())?;
    svc.set_s3_max_object_size(args.s3_max_object_size);
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
    let state = AppState::new(svc.clone(), Some(&args.data));
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
    println!("listening on http://{addr}");
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(t) => t,
                    Err(_) => {
                        let _ = ctrl_c.await;
                        return;
                    }
                };
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
    };
    rootward_server::serve(listener, state, shutdown)
        .await
        .map_err(|e| e.to_string())
}
