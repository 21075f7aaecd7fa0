//! ARN patterns: six colon-separated fields, each matched on its own so that a
//! wildcard never crosses a field boundary, except in the last (resource)
//! field, which may hold `/` and `:` (spec 06 §6.2.2, §6.6.1 Arn*).

use crate::context::Context;
use crate::glob::Glob;
use crate::template::Template;

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

/// A compiled ARN pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnPattern {
    /// `*`: any resource, including none.
    Any,
    /// Field by field: `arn`, partition, service, region, account; then the resource.
    Fields(Box<[Glob; 5]>, Glob),
    /// Text that is not an ARN: matched as a whole.
    Opaque(Glob),
    /// A pattern holding policy variables: substituted, then split, per request.
    /// A substituted value that contains `*` or `?` then acts as a wildcard
    /// (UNCONFIRMED corner; AWS documents no such values).
    Dynamic(Template),
}

impl ArnPattern {
    /// Compiles a pattern; `substitute` enables policy variables (2012-10-17).
    pub fn new(pattern: &str, substitute: bool) -> ArnPattern {
        if pattern == "*" {
            return ArnPattern::Any;
        }
        let t = Template::parse(pattern, substitute);
        if !t.is_static() {
            return ArnPattern::Dynamic(t);
        }
        let text = t.render(&Context::default()).unwrap_or_default();
        match split(&text) {
            Some([a, p, s, r, acct, res]) => ArnPattern::Fields(
                Box::new([
                    Glob::new(a),
                    Glob::new(p),
                    Glob::new(s),
                    Glob::new(r),
                    Glob::new(acct),
                ]),
                Glob::new(res),
            ),
            None => ArnPattern::Opaque(Glob::new(&text)),
        }
    }

    /// Whether the ARN matches; `None` when a variable cannot be resolved.
    pub fn matches(&self, arn: &str, ctx: &Context) -> Option<bool> {
        match self {
            ArnPattern::Any => Some(true),
            // A pattern of fewer than six fields never matches a full ARN: its
            // wildcards would have to cross field boundaries [inferred].
            ArnPattern::Opaque(g) => Some(split(arn).is_none() && g.matches(arn)),
            ArnPattern::Fields(head, tail) => {
                let Some([a, p, s, r, acct, res]) = split(arn) else {
                    return Some(false);
                };
                let [ga, gp, gs, gr, gacct] = head.as_ref();
                Some(
                    ga.matches(a)
                        && gp.matches(p)
                        && gs.matches(s)
                        && gr.matches(r)
                        && gacct.matches(acct)
                        && tail.matches(res),
                )
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
}
