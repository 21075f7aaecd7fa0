//! Writes one Rust module per service from its model and supplementary
//! table.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::extra::{Extra, Resource};
use crate::json::J;
use crate::model::Model;

/// What the generator learned about a service, for the docs.
pub struct Summary {
    pub service: String,
    pub title: String,
    pub protocol: String,
    pub api_version: String,
    /// (operation, implemented, action, note)
    pub operations: Vec<(String, bool, Option<String>, String)>,
}

/// `AddUserToGroup` → `ADD_USER_TO_GROUP`, `arnType` → `ARN_TYPE`.
pub fn upper_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push('_');
        }
    }
    out
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn opt_lit(s: Option<&str>) -> String {
    match s {
        Some(s) => format!("Some({s:?})"),
        None => "None".to_owned(),
    }
}

/// Unique static identifiers for names.
struct Idents {
    prefix: &'static str,
    by_name: BTreeMap<String, String>,
    used: BTreeSet<String>,
}

impl Idents {
    fn new(prefix: &'static str) -> Idents {
        Idents {
            prefix,
            by_name: BTreeMap::new(),
            used: BTreeSet::new(),
        }
    }
    fn add(&mut self, name: &str) {
        let base = format!("{}{}", self.prefix, upper_snake(name));
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        self.by_name.insert(name.to_owned(), id);
    }
    fn get(&self, name: &str) -> String {
        self.by_name.get(name).cloned().unwrap_or_default()
    }
}

fn location(member: &J, member_name: &str, payload: Option<&str>) -> &'static str {
    match member.str("location") {
        Some("uri") => "Location::Uri",
        Some("querystring") => "Location::Query",
        Some("header") => "Location::Header",
        Some("headers") => "Location::Headers",
        Some("statusCode") => "Location::StatusCode",
        _ if payload == Some(member_name) => "Location::Payload",
        _ => "Location::Body",
    }
}

fn wire(protocol: &str, name: &str, member: &J) -> String {
    if protocol == "ec2" {
        if let Some(q) = member.str("queryName") {
            return q.to_owned();
        }
        if let Some(l) = member.str("locationName") {
            let mut c = l.chars();
            return match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            };
        }
        return name.to_owned();
    }
    member.str("locationName").unwrap_or(name).to_owned()
}

fn int_bound(shape: &J, key: &str, name: &str) -> Result<String, String> {
    match shape.num(key) {
        None => Ok("None".to_owned()),
        Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(format!("Some({})", n as i64)),
        Some(n) => Err(format!("shape {name}: non-integral {key} {n}")),
    }
}

fn kind(t: &str) -> Result<&'static str, String> {
    Ok(match t {
        "string" => "Kind::String",
        "blob" => "Kind::Blob",
        "boolean" => "Kind::Boolean",
        "integer" => "Kind::Integer",
        "long" => "Kind::Long",
        "float" => "Kind::Float",
        "double" => "Kind::Double",
        "timestamp" => "Kind::Timestamp",
        "list" => "Kind::List",
        "map" => "Kind::Map",
        "structure" | "union" => "Kind::Structure",
        other => return Err(format!("unknown shape type `{other}`")),
    })
}

/// The members of structure `shape` as `Member` literals.
fn member_literals(model: &Model, shape: &J, shapes: &Idents) -> Result<String, String> {
    let protocol = model.protocol();
    let payload = shape.str("payload");
    let required: Vec<&str> = shape
        .get("required")
        .map(J::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|r| {
            if let J::Str(s) = r {
                Some(s.as_str())
            } else {
                None
            }
        })
        .collect();
    let mut out = String::from("&[");
    for (name, m) in shape.get("members").map(J::entries).unwrap_or(&[]) {
        let target = m.str("shape").ok_or("member without shape")?;
        let sensitive = m.bool("sensitive") || model.shape(target)?.bool("sensitive");
        write!(
            out,
            "Member {{ name: {}, wire: {}, location: {}, required: {}, sensitive: {}, shape: &{} }},",
            lit(name),
            lit(&wire(protocol, name, m)),
            location(m, name, payload),
            required.contains(&name.as_str()),
            sensitive,
            shapes.get(target),
        )
        .ok();
    }
    out.push(']');
    Ok(out)
}

struct Route {
    op: String,
    method: String,
    template: String,
    path: Vec<String>,
    literals: usize,
    tag: Option<String>,
    equals: Vec<(String, String)>,
    req_query: Vec<String>,
    req_headers: Vec<String>,
    deprecated: bool,
    // Filled in: the conditions used.
    query: Vec<String>,
    headers: Vec<String>,
}

fn routes(
    model: &Model,
    extra: &Extra,
    notes: &mut BTreeMap<String, String>,
) -> Result<Vec<Route>, String> {
    let mut all = Vec::new();
    for (name, op) in model.operations() {
        if let Some(reason) = extra.unrouted.get(name) {
            notes.insert(name.clone(), format!("not routed: {reason}"));
            continue;
        }
        let http = op.get("http").ok_or(format!("{name}: no http"))?;
        let uri = http
            .str("requestUri")
            .ok_or(format!("{name}: no requestUri"))?;
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let mut segs = Vec::new();
        let mut literals = 0;
        for s in path.split('/').filter(|s| !s.is_empty()) {
            if let Some(label) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                match label.strip_suffix('+') {
                    Some(g) => segs.push(format!("Segment::Greedy({})", lit(g))),
                    None => segs.push(format!("Segment::Label({})", lit(label))),
                }
            } else {
                literals += 1;
                segs.push(format!("Segment::Literal({})", lit(s)));
            }
        }
        let mut tag = None;
        let mut equals = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                Some((k, v)) => equals.push((k.to_owned(), v.to_owned())),
                None if tag.is_none() => tag = Some(part.to_owned()),
                None => equals.push((part.to_owned(), String::new())),
            }
        }
        let mut req_query = Vec::new();
        let mut req_headers = Vec::new();
        for (mname, m, required) in model.members(op.get("input").and_then(|i| i.str("shape")))? {
            if !required {
                continue;
            }
            let wire = m.str("locationName").unwrap_or(&mname).to_owned();
            match m.str("location") {
                Some("querystring") => req_query.push(wire),
                Some("header") => req_headers.push(wire.to_ascii_lowercase()),
                _ => {}
            }
        }
        all.push(Route {
            op: name.clone(),
            method: http.str("method").unwrap_or("GET").to_owned(),
            template: path.to_owned(),
            path: segs,
            literals,
            tag,
            equals,
            req_query,
            req_headers,
            deprecated: op.bool("deprecated"),
            query: Vec::new(),
            headers: Vec::new(),
        });
    }
    // Conditions, by (method, template, tag) group.
    let mut groups: BTreeMap<(String, String, Option<String>), Vec<usize>> = BTreeMap::new();
    for (i, r) in all.iter().enumerate() {
        groups
            .entry((r.method.clone(), r.template.clone(), r.tag.clone()))
            .or_default()
            .push(i);
    }
    for members in groups.values() {
        let shared = members.len() > 1;
        for &i in members {
            let r = &mut all[i];
            let mut q: Vec<String> = r
                .equals
                .iter()
                .map(|(k, v)| {
                    if v.is_empty() {
                        format!("QueryRule::Present({})", lit(k))
                    } else {
                        format!("QueryRule::Equals({}, {})", lit(k), lit(v))
                    }
                })
                .collect();
            if shared || r.tag.is_none() {
                q.extend(
                    r.req_query
                        .iter()
                        .map(|k| format!("QueryRule::Present({})", lit(k))),
                );
            }
            if shared {
                r.headers = r.req_headers.clone();
            }
            r.query = q;
        }
    }
    // Two routes that no request can tell apart: the deprecated one goes.
    let mut dropped = BTreeSet::new();
    for members in groups.values() {
        for (a_i, &a) in members.iter().enumerate() {
            for &b in &members[a_i + 1..] {
                let (ra, rb) = (&all[a], &all[b]);
                let same = |x: &Route, y: &Route| {
                    let mut qa = x.query.clone();
                    let mut qb = y.query.clone();
                    qa.sort();
                    qb.sort();
                    let mut ha = x.headers.clone();
                    let mut hb = y.headers.clone();
                    ha.sort();
                    hb.sort();
                    qa == qb && ha == hb
                };
                if !same(ra, rb) {
                    continue;
                }
                let (gone, kept) = match (ra.deprecated, rb.deprecated) {
                    (true, false) => (a, b),
                    (false, true) => (b, a),
                    _ => {
                        return Err(format!(
                            "{}: {} and {} share a route; list one as `unrouted` in models/extra/{}.txt",
                            model.service, ra.op, rb.op, model.service
                        ));
                    }
                };
                dropped.insert(gone);
                notes.insert(
                    all[gone].op.clone(),
                    format!("deprecated; its route selects {}", all[kept].op),
                );
            }
        }
    }
    let mut kept: Vec<Route> = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !dropped.contains(i))
        .map(|(_, r)| r)
        .collect();
    kept.sort_by(|a, b| {
        (
            &a.method,
            std::cmp::Reverse(a.literals),
            &a.template,
            a.tag.is_none(),
            std::cmp::Reverse(a.query.len() + a.headers.len()),
            &a.op,
        )
            .cmp(&(
                &b.method,
                std::cmp::Reverse(b.literals),
                &b.template,
                b.tag.is_none(),
                std::cmp::Reverse(b.query.len() + b.headers.len()),
                &b.op,
            ))
    });
    Ok(kept)
}

/// The module of one service, unformatted.
pub fn service_module(
    model: &Model,
    extra: &Extra,
    source: &str,
) -> Result<(String, Summary), String> {
    let svc = model.service.as_str();
    let md = model.metadata();
    let protocol = model.protocol();
    let api_version = md.str("apiVersion").unwrap_or("");
    let title = md.str("serviceId").unwrap_or(svc).to_owned();
    let is_rest = protocol.starts_with("rest-");

    // Check the supplementary table against the model.
    let ops: BTreeMap<&str, &J> = model
        .operations()
        .iter()
        .map(|(n, o)| (n.as_str(), o))
        .collect();
    for (name, row) in &extra.rows {
        let Some(op) = ops.get(name.as_str()) else {
            return Err(format!(
                "models/extra/{svc}.txt line {}: no operation {name} in the model",
                row.line
            ));
        };
        if !row.action.contains(':') {
            return Err(format!(
                "models/extra/{svc}.txt line {}: action `{}` is not `service:Name`",
                row.line, row.action
            ));
        }
        if row.dispatch == "Memory" && !row.read_only {
            return Err(format!(
                "models/extra/{svc}.txt line {}: {name} reads memory only but is not read-only",
                row.line
            ));
        }
        let inputs: BTreeSet<String> = model
            .members(op.get("input").and_then(|i| i.str("shape")))?
            .into_iter()
            .map(|(n, _, _)| n)
            .collect();
        for r in row.resources.iter().flatten() {
            let Some(rule) = extra.resources.iter().find(|x| &x.name == r) else {
                return Err(format!(
                    "models/extra/{svc}.txt line {}: no resource rule `{r}`",
                    row.line
                ));
            };
            if let Some(m) = rule.members().into_iter().find(|m| !inputs.contains(m)) {
                return Err(format!(
                    "models/extra/{svc}.txt line {}: {name} has no input member {m}",
                    row.line
                ));
            }
        }
    }
    let errors = model.errors();
    for shape in extra.errors.keys() {
        if !errors.contains_key(shape) {
            return Err(format!(
                "models/extra/{svc}.txt: `error {shape}` is not an error shape of the model"
            ));
        }
    }
    for name in extra.unrouted.keys() {
        if !ops.contains_key(name.as_str()) {
            return Err(format!(
                "models/extra/{svc}.txt: `unrouted {name}`: no such operation"
            ));
        }
    }

    let mut out = String::new();
    // Service.
    let proto = match protocol {
        "query" | "ec2" => format!(
            "Protocol::{} {{ version: {}, xml_namespace: {} }}",
            if protocol == "ec2" { "Ec2" } else { "Query" },
            lit(api_version),
            lit(md.str("xmlNamespace").unwrap_or(""))
        ),
        "json" => format!(
            "Protocol::Json {{ version: JsonVersion::{}, target_prefix: {}, query_compatible: {} }}",
            if md.str("jsonVersion") == Some("1.0") {
                "V1_0"
            } else {
                "V1_1"
            },
            lit(md.str("targetPrefix").unwrap_or("")),
            md.get("awsQueryCompatible").is_some()
        ),
        "rest-xml" => "Protocol::RestXml".to_owned(),
        "rest-json" => "Protocol::RestJson".to_owned(),
        other => return Err(format!("{svc}: protocol `{other}`")),
    };
    if !matches!(protocol, "json") && md.get("jsonVersion").is_some() {
        return Err(format!("{svc}: jsonVersion on a {protocol} service"));
    }
    let signing = md
        .str("signingName")
        .or(md.str("endpointPrefix"))
        .unwrap_or(svc);
    writeln!(out, "/// The service.").ok();
    writeln!(
        out,
        "pub static SERVICE: Service = Service {{ signing_name: {}, endpoint_prefix: {}, service_id: {}, api_version: {}, protocol: {proto}, global_endpoint: {}, model_source: {} }};",
        lit(signing),
        lit(md.str("endpointPrefix").unwrap_or(svc)),
        lit(&title),
        lit(api_version),
        opt_lit(md.str("globalEndpoint")),
        lit(source),
    )
    .ok();

    // Operation enum.
    let names: Vec<&str> = ops.keys().copied().collect();
    writeln!(out, "/// A {title} operation.").ok();
    writeln!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]"
    )
    .ok();
    writeln!(out, "pub enum Operation {{").ok();
    for n in &names {
        writeln!(out, "/// `{n}`.\n{n},").ok();
    }
    writeln!(out, "}}").ok();
    writeln!(out, "impl Operation {{").ok();
    writeln!(out, "/// Every operation of the model, sorted by name.").ok();
    writeln!(
        out,
        "pub const ALL: &'static [Operation] = &[{}];",
        names
            .iter()
            .map(|n| format!("Operation::{n}"))
            .collect::<Vec<_>>()
            .join(",")
    )
    .ok();
    writeln!(out, "/// The operation's name.").ok();
    writeln!(
        out,
        "pub const fn name(self) -> &'static str {{ match self {{"
    )
    .ok();
    for n in &names {
        writeln!(out, "Operation::{n} => {},", lit(n)).ok();
    }
    writeln!(out, "}} }}").ok();
    writeln!(out, "/// The operation called `name`.").ok();
    writeln!(
        out,
        "pub fn from_name(name: &str) -> Option<Operation> {{ match name {{"
    )
    .ok();
    for n in &names {
        writeln!(out, "{} => Some(Operation::{n}),", lit(n)).ok();
    }
    writeln!(out, "_ => None, }} }}").ok();
    let mut op_ids = Idents::new("OP_");
    for n in &names {
        op_ids.add(n);
    }
    writeln!(out, "/// Everything known about the operation.").ok();
    writeln!(
        out,
        "pub fn info(self) -> &'static OperationInfo {{ match self {{"
    )
    .ok();
    for n in &names {
        writeln!(out, "Operation::{n} => &{},", op_ids.get(n)).ok();
    }
    writeln!(out, "}} }}").ok();
    writeln!(out, "}}").ok();

    // Errors.
    let mut err_ids = Idents::new("ER_");
    for n in errors.keys() {
        err_ids.add(n);
    }
    let query_compatible = md.get("awsQueryCompatible").is_some();
    for (name, shape) in &errors {
        let e = shape.get("error");
        let q = extra.errors.get(name);
        let status = e
            .and_then(|e| e.num("httpStatusCode"))
            .map(|s| s as u16)
            .or(q.map(|q| q.status))
            .unwrap_or(if shape.bool("fault") { 500 } else { 400 });
        let sender = match (e.map(|e| e.bool("senderFault")), q) {
            (Some(true), _) => true,
            (_, Some(q)) => q.sender,
            _ => !(shape.bool("fault") || status >= 500),
        };
        let code = match protocol {
            "query" | "ec2" => e.and_then(|e| e.str("code")).unwrap_or(name),
            _ => name.as_str(),
        };
        let query_code = if query_compatible {
            Some(q.map(|q| q.code.as_str()).unwrap_or(name))
        } else {
            None
        };
        writeln!(
            out,
            "/// `{name}`.\npub static {}: ErrorInfo = ErrorInfo {{ shape: {}, code: {}, status: {status}, fault: Fault::{}, query_code: {} }};",
            err_ids.get(name),
            lit(name),
            lit(code),
            if sender { "Sender" } else { "Receiver" },
            opt_lit(query_code),
        )
        .ok();
    }
    writeln!(out, "/// Every modelled error, sorted by shape name.").ok();
    writeln!(
        out,
        "pub static ERRORS: &[&ErrorInfo] = &[{}];",
        errors
            .keys()
            .map(|n| format!("&{}", err_ids.get(n)))
            .collect::<Vec<_>>()
            .join(",")
    )
    .ok();

    // Resource rules.
    let mut res_ids = Idents::new("RS_");
    for r in &extra.resources {
        res_ids.add(&r.name);
        writeln!(
            out,
            "static {}: ResourceRule = ResourceRule {{ name: {}, kind: {}, template: {} }};",
            res_ids.get(&r.name),
            lit(&r.name),
            lit(&r.kind),
            lit(&r.template)
        )
        .ok();
    }
    writeln!(out, "/// The resource rules of the supplementary table.").ok();
    writeln!(
        out,
        "pub static RESOURCES: &[&ResourceRule] = &[{}];",
        extra
            .resources
            .iter()
            .map(|r| format!("&{}", res_ids.get(&r.name)))
            .collect::<Vec<_>>()
            .join(",")
    )
    .ok();

    // Shapes reachable from inputs.
    let input_shapes = model.input_shapes()?;
    let mut shape_ids = Idents::new("SH_");
    for n in &input_shapes {
        shape_ids.add(n);
    }
    for n in &input_shapes {
        let s = model.shape(n)?;
        let t = s.str("type").unwrap_or("");
        let element = match t {
            "list" => s.get("member").and_then(|m| m.str("shape")),
            "map" => s.get("value").and_then(|m| m.str("shape")),
            _ => None,
        };
        let key = if t == "map" {
            s.get("key").and_then(|m| m.str("shape"))
        } else {
            None
        };
        let enums: Vec<String> = s
            .get("enum")
            .map(J::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|v| {
                if let J::Str(s) = v {
                    Some(lit(s))
                } else {
                    None
                }
            })
            .collect();
        let members = if matches!(t, "structure" | "union") {
            member_literals(model, s, &shape_ids)?
        } else {
            "&[]".to_owned()
        };
        writeln!(
            out,
            "static {}: Shape = Shape {{ name: {}, kind: {}, min: {}, max: {}, pattern: {}, enum_values: &[{}], sensitive: {}, element: {}, key: {}, members: {members}, flattened: {}, compiled: OnceLock::new() }};",
            shape_ids.get(n),
            lit(n),
            kind(t)?,
            int_bound(s, "min", n)?,
            int_bound(s, "max", n)?,
            opt_lit(s.str("pattern")),
            enums.join(","),
            s.bool("sensitive"),
            element.map(|e| format!("Some(&{})", shape_ids.get(e))).unwrap_or("None".to_owned()),
            key.map(|e| format!("Some(&{})", shape_ids.get(e))).unwrap_or("None".to_owned()),
            s.bool("flattened"),
        )
        .ok();
    }
    writeln!(
        out,
        "/// Every shape reachable from an input, sorted by name."
    )
    .ok();
    writeln!(
        out,
        "pub static SHAPES: &[&Shape] = &[{}];",
        input_shapes
            .iter()
            .map(|n| format!("&{}", shape_ids.get(n)))
            .collect::<Vec<_>>()
            .join(",")
    )
    .ok();

    // Routes.
    let mut notes: BTreeMap<String, String> = BTreeMap::new();
    if is_rest {
        let table = routes(model, extra, &mut notes)?;
        writeln!(
            out,
            "/// The routes, in the order the router tries them ([`crate::rest`])."
        )
        .ok();
        writeln!(out, "pub static ROUTES: &[Route<Operation>] = &[").ok();
        for r in &table {
            writeln!(
                out,
                "Route {{ operation: Operation::{}, method: {}, path: &[{}], tag: {}, query: &[{}], headers: &[{}] }},",
                r.op,
                lit(&r.method),
                r.path.join(","),
                opt_lit(r.tag.as_deref()),
                r.query.join(","),
                r.headers.iter().map(|h| lit(h)).collect::<Vec<_>>().join(","),
            )
            .ok();
        }
        writeln!(out, "];").ok();
        writeln!(
            out,
            "/// The operation a request names, by method, path, query and headers."
        )
        .ok();
        writeln!(out, "pub fn resolve(req: &impl HttpRequest) -> Option<Operation> {{ crate::rest::resolve(ROUTES, req) }}").ok();
    }

    // Operations.
    let mut summary_ops = Vec::new();
    for n in &names {
        let op = ops[n];
        let http = op.get("http").ok_or(format!("{n}: no http"))?;
        let input_shape = op.get("input").and_then(|i| i.str("shape"));
        let input = match input_shape {
            Some(s) => member_literals(model, model.shape(s)?, &shape_ids)?,
            None => "&[]".to_owned(),
        };
        let mut output = String::from("&[");
        if let Some(s) = op.get("output").and_then(|o| o.str("shape")) {
            let shape = model.shape(s)?;
            let payload = shape.str("payload");
            for (mn, m) in shape.get("members").map(J::entries).unwrap_or(&[]) {
                let target = m.str("shape").unwrap_or("");
                let sensitive = m.bool("sensitive") || model.shape(target)?.bool("sensitive");
                write!(
                    output,
                    "OutputMember {{ name: {}, wire: {}, location: {}, sensitive: {sensitive} }},",
                    lit(mn),
                    lit(&wire(protocol, mn, m)),
                    location(m, mn, payload)
                )
                .ok();
            }
        }
        output.push(']');
        let errs: Vec<String> = op
            .get("errors")
            .map(J::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| e.str("shape"))
            .map(|e| format!("&{}", err_ids.get(e)))
            .collect();
        let unsigned = op.str("authtype") == Some("none")
            || op.get("auth").map(J::items).is_some_and(|a| {
                a.iter()
                    .all(|x| *x == J::Str("smithy.api#noAuth".to_owned()))
            });
        let facts = match extra.rows.get(*n) {
            None => "None".to_owned(),
            Some(row) => {
                let inputs: BTreeSet<String> = model
                    .members(input_shape)?
                    .into_iter()
                    .map(|(m, _, _)| m)
                    .collect();
                let rules: Vec<&Resource> = match &row.resources {
                    Some(list) => list
                        .iter()
                        .filter_map(|r| extra.resources.iter().find(|x| &x.name == r))
                        .collect(),
                    None => extra
                        .resources
                        .iter()
                        .filter(|r| {
                            let m = r.members();
                            !m.is_empty() && m.iter().all(|x| inputs.contains(x))
                        })
                        .collect(),
                };
                format!(
                    "Some(&Facts {{ action: {}, read_only: {}, data_event: {}, resources: &[{}], implemented: {}, dispatch: Dispatch::{} }})",
                    lit(&row.action),
                    row.read_only,
                    row.data_event,
                    rules
                        .iter()
                        .map(|r| format!("&{}", res_ids.get(&r.name)))
                        .collect::<Vec<_>>()
                        .join(","),
                    row.implemented,
                    row.dispatch
                )
            }
        };
        writeln!(
            out,
            "static {}: OperationInfo = OperationInfo {{ name: {}, http: Http {{ method: {}, uri: {}, status: {} }}, input: {input}, output: {output}, errors: &[{}], deprecated: {}, signed: {}, facts: {facts} }};",
            op_ids.get(n),
            lit(n),
            lit(http.str("method").unwrap_or("POST")),
            lit(http.str("requestUri").unwrap_or("/")),
            http.num("responseCode").map(|c| c as u16).unwrap_or(200),
            errs.join(","),
            op.bool("deprecated"),
            !unsigned,
        )
        .ok();
        let row = extra.rows.get(*n);
        let mut note = notes.get(*n).cloned().unwrap_or_default();
        if op.bool("deprecated") && note.is_empty() {
            note = "deprecated".to_owned();
        }
        summary_ops.push((
            n.to_string(),
            row.is_some_and(|r| r.implemented),
            row.map(|r| r.action.clone()),
            note,
        ));
    }
    let mut head = String::new();
    writeln!(
        head,
        "//! {title} (`{svc}` {api_version}, {protocol}): generated by `cargo xtask codegen`"
    )
    .ok();
    writeln!(
        head,
        "//! from `models/{svc}.json` ({source}) and `models/extra/{svc}.txt`."
    )
    .ok();
    writeln!(
        head,
        "//! Do not edit: change the generator or the supplementary table."
    )
    .ok();
    writeln!(head).ok();
    let uses = |module: &str, names: &[(&str, &str)]| -> String {
        let used: Vec<&str> = names
            .iter()
            .filter(|(_, probe)| out.contains(probe))
            .map(|(n, _)| *n)
            .collect();
        if used.is_empty() {
            String::new()
        } else {
            format!("use {module}::{{{}}};\n", used.join(", "))
        }
    };
    head.push_str(&uses("std::sync", &[("OnceLock", "OnceLock::")]));
    head.push_str(&uses(
        "crate::rest",
        &[
            ("HttpRequest", "HttpRequest"),
            ("QueryRule", "QueryRule::"),
            ("Route", "Route<"),
            ("Segment", "Segment::"),
        ],
    ));
    head.push_str(&uses(
        "crate::shape",
        &[
            ("Kind", "Kind::"),
            ("Location", "Location::"),
            ("Member", "Member {"),
            ("OutputMember", "OutputMember {"),
            ("Shape", "Shape {"),
        ],
    ));
    head.push_str(&uses(
        "crate::table",
        &[
            ("Dispatch", "Dispatch::"),
            ("ErrorInfo", "ErrorInfo"),
            ("Facts", "Facts {"),
            ("Fault", "Fault::"),
            ("Http", "Http {"),
            ("JsonVersion", "JsonVersion::"),
            ("OperationInfo", "OperationInfo {"),
            ("Protocol", "Protocol::"),
            ("ResourceRule", "ResourceRule"),
            ("Service", "Service {"),
        ],
    ));
    head.push('\n');
    head.push_str(&out);
    let out = head;
    Ok((
        out,
        Summary {
            service: svc.to_owned(),
            title,
            protocol: protocol.to_owned(),
            api_version: api_version.to_owned(),
            operations: summary_ops,
        },
    ))
}
