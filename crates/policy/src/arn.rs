//! ARN patterns: six colon-separated fields, each matched on its own so that a
//! wildcard never crosses a field boundary, except in the last (resource)
//! field, which may hold `/` and `:` (spec 06 §6.2.2, §6.6.1 Arn*).

use crate::context::Context;
use crate::glob::Glob;
use crate::template::{Template, TemplateGlob};

/// Splits an ARN at its first five colons; `None` if it has fewer than six fields.
pub fn split(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    Some([
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ])
}

/// Byte offset just after the fifth colon that is not inside `${…}`.
fn head_len(pattern: &str) -> Option<usize> {
    let b = pattern.as_bytes();
    let (mut i, mut colons, mut in_var) = (0usize, 0, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'$' if !in_var && b.get(i + 1) == Some(&b'{') => in_var = true,
            b'}' if in_var => in_var = false,
            b':' if !in_var => {
                colons += 1;
                if colons == 5 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first five fields of an ARN pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// No wildcard: the request's text up to its fifth colon must be equal.
    Exact(Box<str>),
    /// Field by field.
    Globs(Box<[Glob; 5]>),
}

/// A compiled ARN pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnPattern {
    /// `*`: any resource, including none.
    Any,
    /// The first five fields, then the resource field (which may hold variables).
    Fields(Head, TemplateGlob),
    /// Text that is not an ARN: matched as a whole.
    Opaque(Glob),
    /// Variables outside the resource field: substituted, then split, per request.
    Dynamic(Template),
}

impl ArnPattern {
    /// Compiles a pattern; `substitute` enables policy variables (2012-10-17).
    pub fn new(pattern: &str, substitute: bool) -> ArnPattern {
        if pattern == "*" {
            return ArnPattern::Any;
        }
        let Some(at) = head_len(pattern) else {
            if !(substitute && pattern.contains("${")) {
                return ArnPattern::Opaque(Glob::new(pattern));
            }
            let t = Template::parse(pattern, substitute);
            return match t.render(&Context::default()) {
                Some(text) if t.is_static() => ArnPattern::Opaque(Glob::new(&text)),
                _ => ArnPattern::Dynamic(t),
            };
        };
        let (head, tail) = pattern.split_at(at);
        if substitute && head.contains("${") {
            return ArnPattern::Dynamic(Template::parse(pattern, true));
        }
        let head = if head.contains(['*', '?']) {
            let f: Vec<&str> = head.split(':').collect();
            match f.as_slice() {
                [a, p, s, r, acct, _] => Head::Globs(Box::new([
                    Glob::new(a),
                    Glob::new(p),
                    Glob::new(s),
                    Glob::new(r),
                    Glob::new(acct),
                ])),
                _ => Head::Exact(head.into()),
            }
        } else {
            Head::Exact(head.into())
        };
        ArnPattern::Fields(head, TemplateGlob::new(tail, substitute))
    }

    /// Whether the ARN matches; `None` when a variable cannot be resolved.
    pub fn matches(&self, arn: &str, ctx: &Context) -> Option<bool> {
        match self {
            ArnPattern::Any => Some(true),
            // A pattern of fewer than six fields never matches a full ARN: its
            // wildcards would have to cross field boundaries [inferred].
            ArnPattern::Opaque(g) => Some(split(arn).is_none() && g.matches(arn)),
            ArnPattern::Fields(head, tail) => {
                let rest = match head {
                    Head::Exact(h) => match arn.strip_prefix(h.as_ref()) {
                        Some(rest) => rest,
                        None => return Some(false),
                    },
                    Head::Globs(g) => {
                        let Some([a, p, s, r, acct, res]) = split(arn) else {
                            return Some(false);
                        };
                        let [ga, gp, gs, gr, gacct] = g.as_ref();
                        if !(ga.matches(a)
                            && gp.matches(p)
                            && gs.matches(s)
                            && gr.matches(r)
                            && gacct.matches(acct))
                        {
                            return Some(false);
                        }
                        res
                    }
                };
                tail.matches(rest, ctx)
            }
            ArnPattern::Dynamic(t) => ArnPattern::new(&t.render(ctx)?, false).matches(arn, ctx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, arn: &str) -> bool {
        ArnPattern::new(p, true)
            .matches(arn, &Context::new())
            .unwrap()
    }

    #[test]
    fn fields_do_not_cross() {
        assert!(m("arn:aws:iam::*:root", "arn:aws:iam::222222222222:root"));
        assert!(!m(
            "arn:aws:iam::*:root",
            "arn:aws:iam::222222222222:user/root"
        ));
        assert!(m("arn:aws:iam::*:*", "arn:aws:iam::222222222222:user/a:b"));
        assert!(m("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c"));
        assert!(!m("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a"));
        assert!(m(
            "arn:aws:sqs:*:*:*",
            "arn:aws:sqs:us-east-1:222222222222:q"
        ));
        assert!(!m("arn:aws:sqs:*:*:*", "arn:aws:s3:::b"));
        assert!(
            !m("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket"),
            "case-sensitive"
        );
        assert!(m("*", "*"));
        assert!(
            !m("arn:aws:s3:::*", "*"),
            "only `*` matches the no-resource case"
        );
        assert!(m(
            "arn:*:iam::1?3456789012:root",
            "arn:aws:iam::123456789012:root"
        ));
        assert!(
            !m("arn:aws:iam::1*:r*", "arn:aws:iam::1:2:root"),
            "account glob stays in its field"
        );
    }

    #[test]
    fn variables_in_any_field() {
        assert!(
            !m("arn:aws:iam::123:root", "arn:aws:iam::123:root:x"),
            "exact head, exact tail"
        );
        let mut c = Context::new();
        c.set("aws:PrincipalAccount", "222222222222")
            .set("aws:username", "bob");
        let m = |p: &str, arn: &str| ArnPattern::new(p, true).matches(arn, &c);
        assert_eq!(
            m(
                "arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}",
                "arn:aws:iam::222222222222:user/bob"
            ),
            Some(true)
        );
        assert_eq!(
            m(
                "arn:aws:iam::${aws:PrincipalAccount}:root",
                "arn:aws:iam::333333333333:root"
            ),
            Some(false)
        );
        assert_eq!(
            m(
                "arn:aws:s3:::home/${aws:username}/*",
                "arn:aws:s3:::home/bob/x"
            ),
            Some(true)
        );
        assert_eq!(
            m(
                "arn:aws:s3:::home/${aws:userid}/*",
                "arn:aws:s3:::home/bob/x"
            ),
            None
        );
    }
}
