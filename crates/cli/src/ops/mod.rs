//! What the operator commands share on the CLI side: the AWS and selection
//! options as flags, output on the terminal (a table, JSON, CSV, a progress
//! bar), exit codes. The jobs themselves are `rootward-operator`'s.

pub mod args;
pub mod output;

use std::process::ExitCode;

/// The exit codes of every operator command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, nothing to report.
    Clean,
    /// 1: findings, or some accounts failed.
    Findings,
    /// 2: usage or set-up error.
    Setup,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        match e {
            Exit::Clean => ExitCode::SUCCESS,
            Exit::Findings => ExitCode::from(1),
            Exit::Setup => ExitCode::from(2),
        }
    }
}

impl Exit {
    /// `Clean` when `ok`, else `Findings`.
    pub fn of(ok: bool) -> Exit {
        if ok { Exit::Clean } else { Exit::Findings }
    }
}

/// Runs an operator command on a fresh multi-threaded runtime; a set-up error
/// (`Err`) is printed on stderr and exits 2.
pub fn block_on<F>(fut: F) -> ExitCode
where
    F: std::future::Future<Output = Result<Exit, String>>,
{
    block_on_code(async { fut.await.map(ExitCode::from) })
}

/// [`block_on`] for a command that decides its own exit code (`exec`).
pub fn block_on_code<F>(fut: F) -> ExitCode
where
    F: std::future::Future<Output = Result<ExitCode, String>>,
{
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
    match runtime.block_on(fut) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rootward: {e}");
            ExitCode::from(2)
        }
    }
}
