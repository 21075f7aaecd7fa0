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
    /// Largest S3 object accepted, in bytes (default 16 MiB).
    #[arg(long, default_value_t = rootward_core::s3::DEFAULT_MAX_OBJECT_SIZE)]
    s3_max_object_size: usize,
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
    std::fs::create_dir_all(&args.data)
        .map_err(|e| format!("cannot create `{}`: {e}", args.data.display()))?;
    let store = SqliteStore::open(&args.data.join("state.db")).map_err(|e| e.to_string())?;
    let svc = Arc::new(
        Service::open(Box::new(store), Arc::new(SystemClock::default()))
            .map_err(|e| e.to_string())?,
    );
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
    rootward_server::serve(listener, AppState { svc }, shutdown)
        .await
        .map_err(|e| e.to_string())
}
