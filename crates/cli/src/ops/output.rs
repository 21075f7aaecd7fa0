//! Output: a readable table, one JSON document, or CSV, on stdout; progress
//! on stderr only when stderr is a terminal.

use std::io::IsTerminal as _;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rootward_operator::Failure;
use rootward_operator::runner::Observer;
use rootward_operator::select::Target;
use rootward_operator::table::Table;
use serde::Serialize;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON document (the schema of each command is in the README).
    Json,
    /// CSV with a header line (RFC 4180 quoting).
    Csv,
}

/// Prints a JSON document on stdout.
pub fn json<T: Serialize>(v: &T) -> Result<(), String> {
    let s = serde_json::to_string_pretty(v).map_err(|e| format!("cannot print JSON: {e}"))?;
    println!("{s}");
    Ok(())
}

/// Prints `table` as `format` (JSON is printed by the caller from its own
/// document); `summary` follows a table on stdout, and goes to stderr with CSV.
pub fn print(format: Format, table: &Table, summary: Option<&str>) {
    match format {
        Format::Table => {
            print!("{}", table.text());
            if let Some(s) = summary {
                println!("{s}");
            }
        }
        Format::Csv => {
            print!("{}", table.csv());
            if let Some(s) = summary {
                eprintln!("{s}");
            }
        }
        Format::Json => {}
    }
}

/// A progress bar on stderr when stderr is a terminal; hidden otherwise.
pub fn progress(len: usize, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {pos}/{len} accounts, {elapsed} ({eta} left)",
    ) {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_owned());
    pb
}

/// The progress bar as the runner's observer.
pub struct Bar(pub ProgressBar);

impl Bar {
    /// A bar for `len` accounts labelled `what` (hidden off a terminal).
    pub fn new(len: usize, what: &str) -> Bar {
        Bar(progress(len, what))
    }
}

impl<T> Observer<T> for Bar {
    fn done(&mut self, _: usize, _: &Target, _: &Result<T, Failure>) {
        self.0.inc(1);
    }

    fn interrupted(&mut self, in_flight: usize) {
        self.0.suspend(|| {
            eprintln!(
                "rootward: interrupted: finishing the {in_flight} accounts in flight, starting no more (Ctrl-C again to abandon them)"
            );
        });
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
