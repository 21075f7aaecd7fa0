//! The hand-written supplementary table of a service (`models/extra/*.txt`):
//! what the model lacks. Format in `models/README.md`.

use std::collections::BTreeMap;

/// A resource rule: name, CloudTrail type, ARN template.
#[derive(Debug, Clone)]
pub struct Resource {
    pub name: String,
    pub kind: String,
    pub template: String,
}

impl Resource {
    /// The input members the template names.
    pub fn members(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = self.template.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            if name != "account" {
                out.push(name.to_owned());
            }
            rest = &rest[open + close + 1..];
        }
        out
    }
}

/// A query-compatible error code (Smithy `awsQueryError`) the botocore
/// model dropped.
#[derive(Debug, Clone)]
pub struct QueryError {
    pub code: String,
    pub status: u16,
    pub sender: bool,
}

/// One operation's row.
#[derive(Debug, Clone)]
pub struct Row {
    pub action: String,
    pub read_only: bool,
    pub data_event: bool,
    pub implemented: bool,
    /// The `Dispatch` variant: `Memory`, `Issue` or `Blocking`.
    pub dispatch: &'static str,
    /// `None`: `auto`.
    pub resources: Option<Vec<String>>,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Extra {
    pub resources: Vec<Resource>,
    pub errors: BTreeMap<String, QueryError>,
    pub unrouted: BTreeMap<String, String>,
    pub rows: BTreeMap<String, Row>,
}

fn yes_no(v: &str, what: &str, line: usize) -> Result<bool, String> {
    match v {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(format!("line {line}: {what} must be yes or no, not `{v}`")),
    }
}

pub fn parse(text: &str) -> Result<Extra, String> {
    let mut extra = Extra::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let cols: Vec<&str> = content.split_whitespace().collect();
        match cols[0] {
            "resource" => {
                let [_, name, kind, template] = cols[..] else {
                    return Err(format!("line {line}: resource NAME TYPE TEMPLATE"));
                };
                extra.resources.push(Resource {
                    name: name.to_owned(),
                    kind: kind.to_owned(),
                    template: template.to_owned(),
                });
            }
            "error" => {
                let [_, shape, code, status, fault] = cols[..] else {
                    return Err(format!(
                        "line {line}: error SHAPE CODE STATUS sender|receiver"
                    ));
                };
                let status = status
                    .parse()
                    .map_err(|_| format!("line {line}: bad status `{status}`"))?;
                let sender = match fault {
                    "sender" => true,
                    "receiver" => false,
                    _ => return Err(format!("line {line}: fault must be sender or receiver")),
                };
                extra.errors.insert(
                    shape.to_owned(),
                    QueryError {
                        code: code.to_owned(),
                        status,
                        sender,
                    },
                );
            }
            "unrouted" => {
                if cols.len() < 3 {
                    return Err(format!("line {line}: unrouted OPERATION REASON…"));
                }
                extra
                    .unrouted
                    .insert(cols[1].to_owned(), cols[2..].join(" "));
            }
            op => {
                let [_, action, ro, data, imp, dispatch, resources] = cols[..] else {
                    return Err(format!(
                        "line {line}: OPERATION ACTION READONLY DATA IMPLEMENTED DISPATCH RESOURCES"
                    ));
                };
                let dispatch = match dispatch {
                    "memory" => "Memory",
                    "issue" => "Issue",
                    "blocking" => "Blocking",
                    _ => {
                        return Err(format!(
                            "line {line}: dispatch must be memory, issue or blocking"
                        ));
                    }
                };
                let resources = match resources {
                    "auto" => None,
                    "-" => Some(Vec::new()),
                    list => Some(list.split(',').map(str::to_owned).collect()),
                };
                let row = Row {
                    action: action.to_owned(),
                    read_only: yes_no(ro, "readonly", line)?,
                    data_event: yes_no(data, "data", line)?,
                    implemented: yes_no(imp, "implemented", line)?,
                    dispatch,
                    resources,
                    line,
                };
                if extra.rows.insert(op.to_owned(), row).is_some() {
                    return Err(format!("line {line}: second row for {op}"));
                }
            }
        }
    }
    Ok(extra)
}
