//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`
//! and the escapes `${*}`, `${?}`, `${$}` (spec 06 §6.7).
//!
//! Variables are substituted only in version 2012-10-17 documents, only in the
//! resource field of `Resource`/`NotResource` and only in values of String and
//! ARN condition operators; everywhere else `${…}` is literal text.

use crate::context::{Context, normalize_key};
use crate::glob::{Builder, Glob};

/// One piece of a value that may hold variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text as written: in patterns `*` and `?` are wildcards.
    Text(String),
    /// Literal text from an escape: never a wildcard.
    Literal(String),
    /// A variable: the normalised key and its default.
    Var {
        /// The condition key, normalised.
        key: String,
        /// The value used when the key is absent.
        default: Option<String>,
    },
}

/// A value that may hold policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

impl Template {
    /// Reads `${…}` forms when `substitute` is true; otherwise the whole text is plain.
    pub fn parse(text: &str, substitute: bool) -> Template {
        if !substitute || !text.contains("${") {
            return Template {
                parts: vec![Part::Text(text.to_owned())],
            };
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let (before, after) = rest.split_at(start);
            let Some(end) = after.find('}') else { break };
            if !before.is_empty() {
                parts.push(Part::Text(before.to_owned()));
            }
            let inner = after.get(2..end).unwrap_or_default();
            parts.push(match inner {
                "*" | "?" | "$" => Part::Literal(inner.to_owned()),
                _ => match inner.split_once(',') {
                    Some((key, default)) => {
                        let d = default.trim();
                        let d = d
                            .strip_prefix('\'')
                            .and_then(|d| d.strip_suffix('\''))
                            .unwrap_or(d);
                        Part::Var {
                            key: normalize_key(key.trim()),
                            default: Some(d.to_owned()),
                        }
                    }
                    None => Part::Var {
                        key: normalize_key(inner.trim()),
                        default: None,
                    },
                },
            });
            rest = after.get(end + 1..).unwrap_or_default();
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Template { parts }
    }

    /// True when the value has no variable to substitute.
    pub fn is_static(&self) -> bool {
        !self.parts.iter().any(|p| matches!(p, Part::Var { .. }))
    }

    /// The value of a variable part, or its default; `None` when unresolvable.
    fn resolve<'a>(ctx: &'a Context, key: &str, default: Option<&'a str>) -> Option<&'a str> {
        ctx.get_normalized(key)
            .filter(|kv| !kv.is_absent())
            .and_then(|kv| match kv.values.as_slice() {
                [only] => Some(only.as_str()),
                _ => None,
            })
            .or(default)
    }

    /// Calls `f(text, is_pattern)` for each piece after substitution; false when
    /// a variable has no value and no default (the statement then cannot match).
    fn each(&self, ctx: &Context, mut f: impl FnMut(&str, bool)) -> bool {
        for p in &self.parts {
            match p {
                Part::Text(t) => f(t, true),
                Part::Literal(t) => f(t, false),
                Part::Var { key, default } => match Self::resolve(ctx, key, default.as_deref()) {
                    Some(v) => f(v, false),
                    None => return false,
                },
            }
        }
        true
    }

    /// Runs `f` on the substituted pieces `(text, is_pattern)` without
    /// allocating for up to eight pieces; `None` when a variable is unresolvable.
    fn with_segments<R>(&self, ctx: &Context, f: impl FnOnce(&[(&str, bool)]) -> R) -> Option<R> {
        const N: usize = 8;
        if self.parts.len() <= N {
            let mut segs: [(&str, bool); N] = [("", false); N];
            for (slot, p) in segs.iter_mut().zip(&self.parts) {
                *slot = match p {
                    Part::Text(t) => (t.as_str(), true),
                    Part::Literal(t) => (t.as_str(), false),
                    Part::Var { key, default } => {
                        (Self::resolve(ctx, key, default.as_deref())?, false)
                    }
                };
            }
            Some(f(segs.get(..self.parts.len()).unwrap_or_default()))
        } else {
            let mut segs = Vec::with_capacity(self.parts.len());
            for p in &self.parts {
                segs.push(match p {
                    Part::Text(t) => (t.as_str(), true),
                    Part::Literal(t) => (t.as_str(), false),
                    Part::Var { key, default } => {
                        (Self::resolve(ctx, key, default.as_deref())?, false)
                    }
                });
            }
            Some(f(&segs))
        }
    }

    /// Whether the substituted value, read as a wildcard pattern, matches `text`
    /// (substituted values and escapes are literal). `None`: unresolvable.
    pub fn matches_glob(&self, text: &str, ctx: &Context) -> Option<bool> {
        self.with_segments(ctx, |segs| crate::glob::match_segments(segs, text))
    }

    /// Whether the substituted value equals `text`. `None`: unresolvable.
    pub fn equals(&self, text: &str, ctx: &Context) -> Option<bool> {
        self.with_segments(ctx, |segs| {
            let mut rest = text;
            for (s, _) in segs {
                match rest.strip_prefix(s) {
                    Some(r) => rest = r,
                    None => return false,
                }
            }
            rest.is_empty()
        })
    }

    /// The substituted text (wildcards kept as text).
    pub fn render(&self, ctx: &Context) -> Option<String> {
        let mut s = String::new();
        self.each(ctx, |t, _| s.push_str(t)).then_some(s)
    }

    /// The substituted value as a wildcard pattern: only text written in the
    /// policy can be a wildcard, never a substituted value or an escape.
    pub fn glob(&self, ctx: &Context) -> Option<Glob> {
        let mut b = Builder::default();
        self.each(
            ctx,
            |t, pattern| if pattern { b.pattern(t) } else { b.literal(t) },
        )
        .then(|| b.build())
    }
}

/// A wildcard pattern compiled once when static, per request when it holds variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateGlob {
    /// No variables: compiled once.
    Static(Glob),
    /// Variables: compiled when the request is known.
    Dynamic(Template),
}

impl TemplateGlob {
    /// Compiles a pattern that may hold variables.
    pub fn new(text: &str, substitute: bool) -> TemplateGlob {
        if !(substitute && text.contains("${")) {
            return TemplateGlob::Static(Glob::new(text));
        }
        let t = Template::parse(text, substitute);
        if t.is_static() {
            TemplateGlob::Static(t.glob(&Context::default()).unwrap_or(Glob::Any))
        } else {
            TemplateGlob::Dynamic(t)
        }
    }

    /// Whether the text matches; `None` when a variable cannot be resolved.
    pub fn matches(&self, text: &str, ctx: &Context) -> Option<bool> {
        match self {
            TemplateGlob::Static(g) => Some(g.matches(text)),
            TemplateGlob::Dynamic(t) => t.matches_glob(text, ctx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        let mut c = Context::new();
        c.set("aws:username", "alice")
            .set("aws:PrincipalTag/team", "blue");
        c
    }

    #[test]
    fn substitutes_variables_defaults_and_escapes() {
        let c = ctx();
        let r = |s: &str| Template::parse(s, true).render(&c);
        assert_eq!(r("home/${aws:username}/*").as_deref(), Some("home/alice/*"));
        assert_eq!(r("${AWS:UserName}").as_deref(), Some("alice"));
        assert_eq!(r("${aws:PrincipalTag/team}").as_deref(), Some("blue"));
        assert_eq!(
            r("${aws:PrincipalTag/Team}"),
            None,
            "tag keys are case-sensitive"
        );
        assert_eq!(
            r("${aws:PrincipalTag/dept, 'company-wide'}").as_deref(),
            Some("company-wide")
        );
        assert_eq!(r("a${*}b${?}c${$}").as_deref(), Some("a*b?c$"));
        assert_eq!(r("${aws:missing}"), None);
        assert_eq!(
            r("unterminated ${aws:username").as_deref(),
            Some("unterminated ${aws:username")
        );
        assert_eq!(
            Template::parse("${aws:username}", false)
                .render(&c)
                .as_deref(),
            Some("${aws:username}")
        );
    }

    #[test]
    fn substituted_values_are_literal_in_patterns() {
        let mut c = Context::new();
        c.set("aws:username", "a*");
        let g = TemplateGlob::new("x/${aws:username}", true);
        assert_eq!(g.matches("x/a*", &c), Some(true));
        assert_eq!(g.matches("x/abc", &c), Some(false));
        let g = TemplateGlob::new("x/${*}", true);
        assert_eq!(g.matches("x/*", &c), Some(true));
        assert_eq!(g.matches("x/y", &c), Some(false));
    }
}
