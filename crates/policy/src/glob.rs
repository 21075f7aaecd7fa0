//! Wildcard patterns: `*` matches any run of characters (including none),
//! `?` exactly one character (spec 06 §6.2.1, §6.6.1).
//!
//! A pattern is compiled once into the cheapest matcher that fits it (any,
//! exact, prefix, suffix or a token list), and matching never allocates.

/// One piece of a compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// Literal text.
    Lit(Box<str>),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    One,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glob {
    /// `*` alone: matches everything.
    Any,
    /// No wildcard: the whole text must be equal.
    Exact(Box<str>),
    /// `text*`: the text must start with this.
    Prefix(Box<str>),
    /// `*text`: the text must end with this.
    Suffix(Box<str>),
    /// Anything else.
    Tokens(Box<[Token]>),
}

/// Builds token lists. Text pushed with [`Builder::pattern`] treats `*` and `?`
/// as wildcards; text pushed with [`Builder::literal`] does not (policy-variable
/// values and the `${*}` / `${?}` escapes).
#[derive(Debug, Default)]
pub struct Builder {
    tokens: Vec<Token>,
    lit: String,
}

impl Builder {
    /// Appends pattern text: `*` and `?` are wildcards.
    pub fn pattern(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '*' => {
                    self.flush();
                    // `**` is the same as `*`.
                    if self.tokens.last() != Some(&Token::Star) {
                        self.tokens.push(Token::Star);
                    }
                }
                '?' => {
                    self.flush();
                    self.tokens.push(Token::One);
                }
                c => self.lit.push(c),
            }
        }
    }

    /// Appends literal text: every character stands for itself.
    pub fn literal(&mut self, text: &str) {
        self.lit.push_str(text);
    }

    fn flush(&mut self) {
        if !self.lit.is_empty() {
            let lit = std::mem::take(&mut self.lit);
            self.tokens.push(Token::Lit(lit.into_boxed_str()));
        }
    }

    /// Finishes the pattern, choosing the cheapest matcher.
    pub fn build(mut self) -> Glob {
        self.flush();
        let t = self.tokens;
        match t.as_slice() {
            [] => Glob::Exact("".into()),
            [Token::Star] => Glob::Any,
            [Token::Lit(l)] => Glob::Exact(l.clone()),
            [Token::Lit(l), Token::Star] => Glob::Prefix(l.clone()),
            [Token::Star, Token::Lit(l)] => Glob::Suffix(l.clone()),
            _ => Glob::Tokens(t.into_boxed_slice()),
        }
    }
}

impl Glob {
    /// Compiles a pattern where `*` and `?` are wildcards.
    pub fn new(pattern: &str) -> Glob {
        // Fast paths for the common shapes: `*`, no wildcard, one trailing `*`.
        match pattern.find(['*', '?']) {
            None => return Glob::Exact(pattern.into()),
            Some(0) if pattern == "*" => return Glob::Any,
            Some(i) if i + 1 == pattern.len() && pattern.ends_with('*') => {
                return Glob::Prefix(pattern.get(..i).unwrap_or_default().into());
            }
            _ => {}
        }
        let mut b = Builder::default();
        b.pattern(pattern);
        b.build()
    }

    /// Compiles a pattern, reusing the string's memory when it has no wildcard.
    pub fn from_owned(pattern: String) -> Glob {
        if pattern.contains(['*', '?']) {
            Glob::new(&pattern)
        } else {
            Glob::Exact(pattern.into_boxed_str())
        }
    }

    /// A pattern that matches exactly this text.
    pub fn exact(text: &str) -> Glob {
        Glob::Exact(text.into())
    }

    /// Whether the text matches, case-sensitively.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_with(text, false)
    }

    /// Whether the text matches, ignoring ASCII case (action names).
    pub fn matches_ignore_ascii_case(&self, text: &str) -> bool {
        self.matches_with(text, true)
    }

    fn matches_with(&self, text: &str, fold: bool) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(l) => eq(l.as_bytes(), text.as_bytes(), fold),
            Glob::Prefix(l) => text
                .as_bytes()
                .get(..l.len())
                .is_some_and(|head| eq(l.as_bytes(), head, fold)),
            Glob::Suffix(l) => text
                .len()
                .checked_sub(l.len())
                .and_then(|at| text.as_bytes().get(at..))
                .is_some_and(|tail| eq(l.as_bytes(), tail, fold)),
            Glob::Tokens(t) => match_tokens(t, text, fold),
        }
    }
}

fn eq(a: &[u8], b: &[u8], fold: bool) -> bool {
    if fold {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// Length in bytes of the character starting at `at`.
fn char_len(s: &[u8], at: usize) -> usize {
    match s.get(at) {
        Some(b) if *b < 0x80 => 1,
        Some(b) if *b >= 0xF0 => 4,
        Some(b) if *b >= 0xE0 => 3,
        Some(_) => 2,
        None => 1,
    }
}

/// Greedy matching with a single backtrack point (the last `*`), which is
/// exact for `*`/`?` patterns and linear in the common cases.
fn match_tokens(tokens: &[Token], text: &str, fold: bool) -> bool {
    let s = text.as_bytes();
    let (mut ti, mut si) = (0usize, 0usize);
    let mut resume: Option<(usize, usize)> = None;
    loop {
        let advanced = match tokens.get(ti) {
            Some(Token::Star) => {
                if ti + 1 == tokens.len() {
                    return true;
                }
                resume = Some((ti + 1, si));
                ti += 1;
                continue;
            }
            Some(Token::One) => {
                if si < s.len() {
                    si += char_len(s, si);
                    ti += 1;
                    true
                } else {
                    false
                }
            }
            Some(Token::Lit(l)) => {
                let l = l.as_bytes();
                if s.get(si..si + l.len()).is_some_and(|w| eq(l, w, fold)) {
                    si += l.len();
                    ti += 1;
                    true
                } else {
                    false
                }
            }
            None => {
                if si >= s.len() {
                    return true;
                }
                false
            }
        };
        if advanced {
            continue;
        }
        match resume {
            Some((rt, rs)) if rs < s.len() => {
                let next = rs + char_len(s, rs);
                resume = Some((rt, next));
                ti = rt;
                si = next;
            }
            _ => return false,
        }
    }
}

/// Matches `text` against a pattern given as pieces `(text, is_pattern)`: in
/// pattern pieces `*` and `?` are wildcards, in the others every character is
/// literal. Character by character, no allocation (policy variables).
pub fn match_segments(segs: &[(&str, bool)], text: &str) -> bool {
    #[derive(Clone, Copy)]
    enum Tok {
        Star,
        One,
        Lit(char),
        End,
    }
    // The token at a cursor (piece, byte offset) and the cursor after it.
    let next = |mut at: (usize, usize)| -> (Tok, (usize, usize)) {
        loop {
            let Some((piece, pattern)) = segs.get(at.0) else {
                return (Tok::End, at);
            };
            match piece.get(at.1..).and_then(|r| r.chars().next()) {
                None => at = (at.0 + 1, 0),
                Some(c) => {
                    let after = (at.0, at.1 + c.len_utf8());
                    return match (c, *pattern) {
                        ('*', true) => (Tok::Star, after),
                        ('?', true) => (Tok::One, after),
                        (c, _) => (Tok::Lit(c), after),
                    };
                }
            }
        }
    };
    let s = text.as_bytes();
    let mut p = (0usize, 0usize);
    let mut t = 0usize;
    let mut resume: Option<((usize, usize), usize)> = None;
    loop {
        let (tok, np) = next(p);
        let advanced = match tok {
            Tok::Star => {
                resume = Some((np, t));
                p = np;
                continue;
            }
            Tok::One if t < s.len() => {
                t += char_len(s, t);
                true
            }
            Tok::Lit(c) if text.get(t..).is_some_and(|r| r.starts_with(c)) => {
                t += c.len_utf8();
                true
            }
            Tok::End if t >= s.len() => return true,
            _ => false,
        };
        if advanced {
            p = np;
            continue;
        }
        match resume {
            Some((rp, rt)) if rt < s.len() => {
                let nt = rt + char_len(s, rt);
                resume = Some((rp, nt));
                p = rp;
                t = nt;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "", true),
            ("*", "anything", true),
            ("iam:List*", "iam:ListUsers", true),
            ("iam:List*", "iam:GetUser", false),
            ("s3:*Policy", "s3:GetBucketPolicy", true),
            ("s3:*Policy", "s3:GetBucketPolicyStatus", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a?c", "aéc", true),
            ("*a*b*c*", "xxaxxbxxcxx", true),
            ("*a*b*c", "xxaxxbxxcxx", false),
            ("a*a*a", "aaaa", true),
            ("a*a*a", "aa", false),
            ("", "", true),
            ("", "x", false),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("?*", "", false),
            ("*?", "x", true),
            ("**", "x", true),
            ("mississippi*ss*", "mississippi-miss", true),
        ];
        for (p, t, want) in cases {
            assert_eq!(Glob::new(p).matches(t), *want, "{p:?} vs {t:?}");
        }
    }

    #[test]
    fn case_folding_is_opt_in() {
        let g = Glob::new("iam:list*");
        assert!(g.matches_ignore_ascii_case("IAM:ListUsers"));
        assert!(!g.matches("IAM:ListUsers"));
        assert!(Glob::new("*POLICY").matches_ignore_ascii_case("s3:GetBucketPolicy"));
    }

    #[test]
    fn segments_agree_with_compiled_globs() {
        type Case<'a> = (&'a [(&'a str, bool)], &'a str, bool);
        let cases: &[Case<'_>] = &[
            (
                &[("home/", true), ("alice", false), ("/*", true)],
                "home/alice/x",
                true,
            ),
            (
                &[("home/", true), ("alice", false), ("/*", true)],
                "home/bob/x",
                false,
            ),
            (&[("a", true), ("*", false)], "a*", true),
            (&[("a", true), ("*", false)], "ab", false),
            (&[("*", true), ("", false), ("b?", true)], "xxbz", true),
            (&[], "", true),
            (&[], "x", false),
            (&[("*a*b", true)], "aab", true),
        ];
        for (segs, text, want) in cases {
            assert_eq!(match_segments(segs, text), *want, "{segs:?} vs {text:?}");
        }
    }

    #[test]
    fn literal_text_is_not_a_wildcard() {
        let mut b = Builder::default();
        b.pattern("a");
        b.literal("*");
        b.pattern("*");
        let g = b.build();
        assert!(g.matches("a*bc"));
        assert!(!g.matches("abc"));
    }
}
