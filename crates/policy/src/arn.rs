//! ARN patterns: six colon-separated fields, each matched on its own so that a
//! wildcard never crosses a field boundary, except in the last (resource)
//! field, which may hold `/` and `:` (spec 06 §6.2.2, §6.6.1 Arn*).

use crate::context::Context;
use crate::glob::Glob;
use crate::template::TemplateGlob;

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
    Fields(Box<[Glob; 5]>, TemplateGlob),
    /// Text that is not an ARN: matched as a whole.
    Opaque(TemplateGlob),
}

impl ArnPattern {
    /// Compiles a pattern; `substitute` enables policy variables in the resource field.
    pub fn new(pattern: &str, substitute: bool) -> ArnPattern {
        if pattern == "*" {
            return ArnPattern::Any;
        }
        match split(pattern) {
            Some([a, p, s, r, acct, res]) => ArnPattern::Fields(
                Box::new([
                    Glob::new(a),
                    Glob::new(p),
                    Glob::new(s),
                    Glob::new(r),
                    Glob::new(acct),
                ]),
                TemplateGlob::new(res, substitute),
            ),
            None => ArnPattern::Opaque(TemplateGlob::new(pattern, substitute)),
        }
    }

    /// Whether the ARN matches; `None` when a variable cannot be resolved.
    pub fn matches(&self, arn: &str, ctx: &Context) -> Option<bool> {
        match self {
            ArnPattern::Any => Some(true),
            ArnPattern::Opaque(g) => g.matches(arn, ctx),
            ArnPattern::Fields(head, tail) => {
                let Some([a, p, s, r, acct, res]) = split(arn) else {
                    return Some(false);
                };
                let [ga, gp, gs, gr, gacct] = head.as_ref();
                if !(ga.matches(a)
                    && gp.matches(p)
                    && gs.matches(s)
                    && gr.matches(r)
                    && gacct.matches(acct))
                {
                    return Some(false);
                }
                tail.matches(res, ctx)
            }
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
