//! `rootward console`: the web console on loopback, driven by the
//! operator's own AWS credentials (the same chain and flags as the other
//! operator commands). Prints a one-time sign-in link; see `docs/console.md`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use rootward_console::{Config, Console, serve};
use rootward_operator::aws::{Options, connect};
use rootward_operator::recovery::ledger_path;
use rootward_operator::runner::Limits;
use rootward_operator::select::organization;

/// Options of `rootward console`.
#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// Address to listen on (loopback by default; see docs/console.md before changing it).
    #[arg(long, default_value = "127.0.0.1:4590")]
    listen: SocketAddr,
    /// Another `Host` the console answers to (e.g. `console.example:443` behind a proxy; repeatable).
    #[arg(long = "allow-host", value_name = "HOST:PORT")]
    allow_hosts: Vec<String>,
    /// Minutes a signed-in browser may stay idle before it is signed out.
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=1440))]
    idle_minutes: u64,
    /// The recovery ledger (shared with `allow-recovery` and `audit`).
    #[arg(long, env = "ROOTWARD_LEDGER")]
    ledger: Option<PathBuf>,
    /// Where unlock backups are written (default: `rootward/backups` beside the ledger).
    #[arg(long)]
    backup_dir: Option<PathBuf>,
    /// Named profile of the shared AWS config (default: the standard chain).
    #[arg(long)]
    profile: Option<String>,
    /// Region (AssumeRoot always goes to this region's STS endpoint).
    #[arg(long)]
    region: Option<String>,
    /// Endpoint of every service, e.g. a `rootward serve` (also `AWS_ENDPOINT_URL`).
    #[arg(long)]
    endpoint_url: Option<String>,
    /// Accounts worked on at the same time.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// Seconds allowed per account before it is reported as `Timeout`.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
    /// Attempts per request (adaptive retry mode).
    #[arg(long, default_value_t = 8)]
    max_attempts: u32,
}

/// Runs the console until SIGINT or SIGTERM.
pub fn run(args: ConsoleArgs) -> ExitCode {
    crate::ops::block_on(async {
        let ledger = ledger_path(args.ledger.as_deref())?;
        let backup_dir = match &args.backup_dir {
            Some(d) => d.clone(),
            None => ledger
                .parent()
                .map(|p| p.join("backups"))
                .unwrap_or_else(|| PathBuf::from("rootward-backups")),
        };
        let aws = connect(&Options {
            profile: args.profile.clone(),
            region: args.region.clone(),
            endpoint_url: args.endpoint_url.clone(),
            max_attempts: args.max_attempts,
        })
        .await?;
        let org = organization(&aws).await?;
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        if !addr.ip().is_loopback() {
            eprintln!(
                "rootward: warning: the console listens on {addr}, not on loopback: anyone who can reach it and holds a sign-in link acts with your AWS credentials, over plain HTTP"
            );
        }
        println!("rootward console: signed in to AWS as {}", aws.caller.arn);
        let console = Console::new(
            Config {
                aws,
                org,
                ledger,
                backup_dir,
                limits: Limits {
                    concurrency: usize::from(args.concurrency),
                    timeout: Duration::from_secs(args.timeout.max(1)),
                },
                idle: Duration::from_secs(args.idle_minutes * 60),
                allowed_hosts: args.allow_hosts.clone(),
                announce: Box::new(|url| {
                    println!(
                        "rootward console: new sign-in link (works once, for 10 minutes): {url}"
                    );
                }),
            },
            addr,
        );
        println!("rootward console: listening on http://{addr}");
        println!(
            "rootward console: open this link to sign in (it works once, for 10 minutes): {}",
            console.signin_url()
        );
        serve(listener, console, shutdown())
            .await
            .map_err(|e| e.to_string())?;
        Ok(crate::ops::Exit::Clean)
    })
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
