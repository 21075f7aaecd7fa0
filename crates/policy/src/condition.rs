//! Compiled conditions and their evaluation (spec 06 §6.6).
//!
//! Policy values are parsed once, when the policy is compiled: numbers, dates,
//! CIDR blocks, base-64 and patterns. A value that does not parse as the
//! operator's type never matches (spec 06 §6.6.1, a third-party reading).

use std::net::IpAddr;

use base64::Engine as _;
use ipnet::IpNet;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use crate::arn::ArnPattern;
use crate::ast::ConditionEntry;
use crate::context::{Context, normalize_key};
use crate::operator::{BaseOp, Family, Operator, SetQualifier};
use crate::template::{Template, TemplateGlob};

/// The policy values of one condition, in the form its operator compares.
#[derive(Debug, Clone)]
enum Values {
    /// `StringEquals` / `StringNotEquals`.
    Exact(Vec<Text>),
    /// `String(Not)EqualsIgnoreCase`.
    IgnoreCase(Vec<Text>),
    /// `StringLike` / `StringNotLike`.
    Like(Vec<TemplateGlob>),
    Numeric(Vec<Option<f64>>),
    Date(Vec<Option<i128>>),
    Bool(Vec<Option<bool>>),
    Binary(Vec<Option<Vec<u8>>>),
    Ip(Vec<Option<IpNet>>),
    Arn(Vec<ArnPattern>),
    Null(Vec<Option<bool>>),
}

/// A string value: rendered once when it has no variable.
#[derive(Debug, Clone)]
enum Text {
    Static(String),
    Dynamic(Template),
}

impl Text {
    fn new(s: &str, substitute: bool) -> Text {
        if !(substitute && s.contains("${")) {
            return Text::Static(s.to_owned());
        }
        let t = Template::parse(s, substitute);
        match t.render(&Context::default()) {
            Some(r) if t.is_static() => Text::Static(r),
            _ => Text::Dynamic(t),
        }
    }

    /// Compares with `f`; `None` when a variable cannot be resolved.
    fn test(&self, ctx: &Context, f: impl Fn(&str) -> bool) -> Option<bool> {
        match self {
            Text::Static(s) => Some(f(s)),
            Text::Dynamic(t) => Some(f(&t.render(ctx)?)),
        }
    }

    /// Exact equality, without allocating for variables.
    fn equals(&self, v: &str, ctx: &Context) -> Option<bool> {
        match self {
            Text::Static(s) => Some(s == v),
            Text::Dynamic(t) => t.equals(v, ctx),
        }
    }
}

/// One compiled `operator: { key: values }` entry.
#[derive(Debug, Clone)]
pub struct Condition {
    op: Operator,
    /// The key, normalised for lookups.
    key: String,
    /// The key as written (for `MissingContextValues`).
    raw_key: String,
    values: Values,
}

/// Parses a date as AWS condition operators accept it: ISO 8601 date-time,
/// date only (midnight UTC), or epoch seconds. Returns Unix nanoseconds.
pub fn parse_date(s: &str) -> Option<i128> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(t) = PrimitiveDateTime::parse(
        s,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    ) {
        return Some(t.assume_utc().unix_timestamp_nanos());
    }
    if let Ok(t) = PrimitiveDateTime::parse(
        s,
        format_description!("[year]-[month]-[day]T[hour]:[minute]Z"),
    ) {
        return Some(t.assume_utc().unix_timestamp_nanos());
    }
    if let Ok(d) = Date::parse(s, format_description!("[year]-[month]-[day]")) {
        return Some(d.midnight().assume_utc().unix_timestamp_nanos());
    }
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        let secs: f64 = s.parse().ok()?;
        if secs.is_finite() {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "epoch seconds fit in i128 nanoseconds"
            )]
            return Some((secs * 1e9) as i128);
        }
    }
    None
}

fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_base64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
}

/// A CIDR block or a bare address (`/32` for IPv4, `/128` for IPv6).
fn parse_cidr(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<IpNet>().ok().map(|n| n.addr()))
}

/// Case-insensitive comparison without allocating.
fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

impl Condition {
    /// Compiles an entry; `substitute` enables policy variables (version 2012-10-17).
    pub fn compile(entry: ConditionEntry, substitute: bool) -> Result<Condition, String> {
        let op = Operator::parse(&entry.operator)?;
        let v = &entry.values;
        let values = match op.base.family() {
            Family::String => match op.base {
                BaseOp::StringLike | BaseOp::StringNotLike => {
                    Values::Like(v.iter().map(|s| TemplateGlob::new(s, substitute)).collect())
                }
                BaseOp::StringEqualsIgnoreCase | BaseOp::StringNotEqualsIgnoreCase => {
                    Values::IgnoreCase(v.iter().map(|s| Text::new(s, substitute)).collect())
                }
                _ => Values::Exact(v.iter().map(|s| Text::new(s, substitute)).collect()),
            },
            Family::Numeric => Values::Numeric(v.iter().map(|s| parse_number(s)).collect()),
            Family::Date => Values::Date(v.iter().map(|s| parse_date(s)).collect()),
            Family::Bool => Values::Bool(v.iter().map(|s| parse_bool(s)).collect()),
            Family::Binary => Values::Binary(v.iter().map(|s| parse_base64(s)).collect()),
            Family::Ip => Values::Ip(v.iter().map(|s| parse_cidr(s)).collect()),
            Family::Arn => Values::Arn(v.iter().map(|s| ArnPattern::new(s, substitute)).collect()),
            Family::Null => Values::Null(v.iter().map(|s| parse_bool(s)).collect()),
        };
        Ok(Condition {
            op,
            key: normalize_key(&entry.key),
            raw_key: entry.key,
            values,
        })
    }

    /// The condition key as written in the policy.
    pub fn written_key(&self) -> &str {
        &self.raw_key
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.op
    }

    /// Evaluates against the request's context keys. `None` means a policy
    /// variable could not be resolved: the statement then does not match.
    pub fn evaluate(&self, ctx: &Context) -> Option<bool> {
        let kv = ctx.get_normalized(&self.key);
        let absent = kv.is_none_or(|kv| kv.is_absent());
        if let Values::Null(vals) = &self.values {
            return Some(vals.contains(&Some(absent)));
        }
        let negated = self.op.base.is_negated();
        let values = match kv {
            Some(kv) if !absent => &kv.values,
            _ => {
                return Some(
                    self.op.if_exists
                        || match self.op.qualifier {
                            SetQualifier::ForAllValues => true,
                            SetQualifier::ForAnyValue => false,
                            SetQualifier::None => negated,
                        },
                );
            }
        };
        // One context value against the policy values: matches any (positive
        // operators) or none (negated operators).
        let one = |v: &str| -> Option<bool> {
            let hit = self.matches_any(v, ctx)?;
            Some(hit != negated)
        };
        let all = || -> Option<bool> {
            for v in values {
                if !one(v)? {
                    return Some(false);
                }
            }
            Some(true)
        };
        let any = || -> Option<bool> {
            for v in values {
                if one(v)? {
                    return Some(true);
                }
            }
            Some(false)
        };
        match self.op.qualifier {
            SetQualifier::ForAllValues => all(),
            SetQualifier::ForAnyValue => any(),
            // Without a qualifier a multi-valued key acts as ForAnyValue for
            // positive operators [inferred], and negated operators require that
            // no value matches.
            SetQualifier::None if negated => all(),
            SetQualifier::None => any(),
        }
    }

    /// Whether a context value matches at least one policy value, in the
    /// operator's positive sense.
    fn matches_any(&self, v: &str, ctx: &Context) -> Option<bool> {
        use BaseOp::*;
        let base = self.op.base;
        Some(match &self.values {
            Values::Exact(ts) => {
                for t in ts {
                    if t.equals(v, ctx)? {
                        return Some(true);
                    }
                }
                false
            }
            Values::IgnoreCase(ts) => {
                for t in ts {
                    if t.test(ctx, |p| eq_ignore_case(p, v))? {
                        return Some(true);
                    }
                }
                false
            }
            Values::Like(gs) => {
                for g in gs {
                    if g.matches(v, ctx)? {
                        return Some(true);
                    }
                }
                false
            }
            Values::Arn(ps) => {
                for p in ps {
                    if p.matches(v, ctx)? {
                        return Some(true);
                    }
                }
                false
            }
            Values::Numeric(ns) => {
                let Some(x) = parse_number(v) else {
                    return Some(false);
                };
                ns.iter().flatten().any(|n| match base {
                    NumericEquals | NumericNotEquals => x == *n,
                    NumericLessThan => x < *n,
                    NumericLessThanEquals => x <= *n,
                    NumericGreaterThan => x > *n,
                    _ => x >= *n,
                })
            }
            Values::Date(ds) => {
                let Some(x) = parse_date(v) else {
                    return Some(false);
                };
                ds.iter().flatten().any(|d| match base {
                    DateEquals | DateNotEquals => x == *d,
                    DateLessThan => x < *d,
                    DateLessThanEquals => x <= *d,
                    DateGreaterThan => x > *d,
                    _ => x >= *d,
                })
            }
            Values::Bool(bs) => {
                let Some(x) = parse_bool(v) else {
                    return Some(false);
                };
                bs.iter().flatten().any(|b| *b == x)
            }
            Values::Binary(bs) => {
                let Some(x) = parse_base64(v) else {
                    return Some(false);
                };
                bs.iter().flatten().any(|b| *b == x)
            }
            Values::Ip(nets) => {
                let Some(ip) = parse_ip(v) else {
                    return Some(false);
                };
                nets.iter().flatten().any(|n| n.contains(&ip))
            }
            Values::Null(_) => false,
        })
    }
}
