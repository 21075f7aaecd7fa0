//! Rows with a header, as aligned text (the CLI's table) or CSV (RFC 4180
//! quoting): the one place the columns of each job's table are rendered, so
//! that the CLI's `--output csv` and the console's CSV export agree.
//!
//! A CSV field that starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return gets a leading `'`, so that a spreadsheet opening the file shows
//! it as text instead of evaluating it as a formula (account names are
//! chosen by whoever created the account, not by the operator).

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
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `Option<&str>` as a cell: empty when absent.
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

    #[test]
    fn csv_fields_that_a_spreadsheet_would_evaluate_are_text() {
        let mut t = Table::new(&["name"]);
        for n in [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1+1)",
            "\tx",
            "\rx",
            "a=b",
            "O'Brien",
        ] {
            t.row(vec![n.into()]);
        }
        assert_eq!(
            t.csv(),
            "name\n\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\n'+1+cmd|' /C calc'!A0\n'-2+3\n'@SUM(1+1)\n'\tx\n\"'\rx\"\na=b\nO'Brien\n"
        );
    }
}
