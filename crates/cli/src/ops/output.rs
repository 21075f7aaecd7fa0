//! Output: a readable table, one JSON document, or CSV, on stdout; progress
//! on stderr only when stderr is a terminal.

use std::io::IsTerminal as _;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
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

/// Rows with a header, rendered as a table or CSV.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row (one cell per column).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Aligned columns, one line per row, cells never wrapped.
    pub fn text(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(c.chars().count());
                }
            }
        }
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                if i + 1 == cells.len() {
                    s.push_str(c);
                } else {
                    s.push_str(&format!("{c:<w$}  "));
                }
            }
            s.trim_end().to_owned() + "\n"
        };
        let mut out = line(&self.headers);
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }

    /// CSV: header line, then rows; fields quoted when needed.
    pub fn csv(&self) -> String {
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        };
        let mut out = line(&self.headers);
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
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

/// `Option<String>` as a cell: empty when absent.
pub fn cell(v: Option<&str>) -> String {
    v.unwrap_or("").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_and_csv_quotes() {
        let mut t = Table::new(&["account", "class"]);
        t.row(vec!["222222222222".into(), "no-root-credentials".into()]);
        t.row(vec!["3".into(), "a,\"b\"".into()]);
        assert_eq!(
            t.text(),
            "account       class\n222222222222  no-root-credentials\n3             a,\"b\"\n"
        );
        assert_eq!(
            t.csv(),
            "account,class\n222222222222,no-root-credentials\n3,\"a,\"\"b\"\"\"\n"
        );
    }
}
