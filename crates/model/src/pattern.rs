//! Whole-string matching of the model's `pattern` constraints.
//!
//! The models write Java regular expressions (`java.util.regex`, matched
//! with `Pattern.matches`: the whole value). This is the subset they use:
//! literals and escapes (`\uXXXX`, `\xXX`, `\t`, `\n`, `\r`, escaped
//! punctuation), `.` (and `(?s)`), classes with ranges and negation,
//! `\d \w \s` and their negations (ASCII, as Java's defaults), `\p{L}`,
//! `\p{N}`, `\p{Z}` (approximated with Rust's `char` predicates), groups,
//! `(?:…)`, alternation, `* + ? {n} {n,} {n,m}` (greedy), `^`, `$` and
//! negative lookahead `(?!…)`. A pattern outside the subset does not parse;
//! the model crate's tests parse every pattern of every table, so that
//! cannot happen at run time.
//!
//! Matching is a backtracking search with a visited set over (instruction,
//! position), so it takes at most instructions × length steps.

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern is one class repeated (`[\\w+=,.@-]*`, an ARN's
    /// printable characters `+`), as most of the models' are: tested a
    /// character at a time without the matcher (its run was 1.5% of
    /// AssumeRole's CPU).
    run_of: Option<(Class, u32, Option<u32>)>,
    prog: Vec<Inst>,
    /// Programs of negative lookaheads, by index.
    looks: Vec<Vec<Inst>>,
    dotall: bool,
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    Split(usize, usize),
    Jmp(usize),
    Start,
    End,
    NotAhead(usize),
    Match,
}

#[derive(Debug, Clone, Default)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
    preds: Vec<Pred>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pred {
    Digit(bool),
    Word(bool),
    Space(bool),
    Letter,
    Number,
    Separator,
}

impl Pred {
    fn test(self, c: char) -> bool {
        match self {
            Pred::Digit(yes) => c.is_ascii_digit() == yes,
            Pred::Word(yes) => (c.is_ascii_alphanumeric() || c == '_') == yes,
            Pred::Space(yes) => matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r') == yes,
            Pred::Letter => c.is_alphabetic() && !c.is_numeric(),
            Pred::Number => c.is_numeric(),
            Pred::Separator => matches!(
                c,
                ' ' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
                    ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
            ),
        }
    }
}

impl Class {
    fn test(&self, c: char) -> bool {
        let hit = self.ranges.iter().any(|(a, b)| (*a..=*b).contains(&c))
            || self.preds.iter().any(|p| p.test(c));
        hit != self.negated
    }
}

/// Why a pattern does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unsupported pattern: {}", self.0)
    }
}

impl std::error::Error for PatternError {}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    NotAhead(Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    dotall: bool,
}

impl Parser<'_> {
    fn err<T>(&self, what: &str) -> Result<T, PatternError> {
        Err(PatternError(what.to_owned()))
    }

    fn alt(&mut self) -> Result<Node, PatternError> {
        let mut branches = vec![self.concat()?];
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, PatternError> {
        let mut items = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    fn number(&mut self) -> Option<u32> {
        let mut n: Option<u32> = None;
        while let Some(d) = self.chars.peek().and_then(|c| c.to_digit(10)) {
            self.chars.next();
            n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d));
        }
        n
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, PatternError> {
        let (min, max) = match self.chars.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.chars.next();
                let min = match self.number() {
                    Some(n) => n,
                    None => return self.err("`{` without a count"),
                };
                let max = match self.chars.next() {
                    Some('}') => return Ok(Node::Repeat(Box::new(atom), min, Some(min))),
                    Some(',') => self.number(),
                    _ => return self.err("bad `{n,m}`"),
                };
                if self.chars.next() != Some('}') {
                    return self.err("bad `{n,m}`");
                }
                return Ok(Node::Repeat(Box::new(atom), min, max));
            }
            _ => return Ok(atom),
        };
        self.chars.next();
        if matches!(self.chars.peek(), Some('?' | '+')) {
            return self.err("lazy or possessive quantifier");
        }
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    fn atom(&mut self) -> Result<Node, PatternError> {
        let Some(c) = self.chars.next() else {
            return self.err("unexpected end");
        };
        match c {
            '(' => {
                let mut look = false;
                if self.chars.peek() == Some(&'?') {
                    self.chars.next();
                    match self.chars.next() {
                        Some(':') => {}
                        Some('!') => look = true,
                        Some('s') if self.chars.peek() == Some(&')') => {
                            self.chars.next();
                            self.dotall = true;
                            return Ok(Node::Concat(Vec::new()));
                        }
                        _ => return self.err("group flag"),
                    }
                }
                let inner = self.alt()?;
                if self.chars.next() != Some(')') {
                    return self.err("unclosed group");
                }
                Ok(if look {
                    Node::NotAhead(Box::new(inner))
                } else {
                    inner
                })
            }
            '[' => self.class().map(Node::Class),
            '.' => Ok(Node::Any),
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '\\' => match self.escape()? {
                Esc::Char(c) => Ok(Node::Char(c)),
                Esc::Pred(p) => Ok(Node::Class(Class {
                    preds: vec![p],
                    ..Class::default()
                })),
            },
            '*' | '+' | '?' | '{' | ')' => self.err("misplaced operator"),
            c => Ok(Node::Char(c)),
        }
    }

    fn hex(&mut self, digits: usize) -> Result<char, PatternError> {
        let mut v: u32 = 0;
        for _ in 0..digits {
            let Some(d) = self.chars.next().and_then(|c| c.to_digit(16)) else {
                return self.err("bad hex escape");
            };
            v = v * 16 + d;
        }
        // A lone surrogate cannot occur in a Rust string: match nothing.
        Ok(char::from_u32(v).unwrap_or('\u{FFFF}'))
    }

    fn escape(&mut self) -> Result<Esc, PatternError> {
        let Some(c) = self.chars.next() else {
            return self.err("trailing backslash");
        };
        Ok(match c {
            'd' => Esc::Pred(Pred::Digit(true)),
            'D' => Esc::Pred(Pred::Digit(false)),
            'w' => Esc::Pred(Pred::Word(true)),
            'W' => Esc::Pred(Pred::Word(false)),
            's' => Esc::Pred(Pred::Space(true)),
            'S' => Esc::Pred(Pred::Space(false)),
            't' => Esc::Char('\t'),
            'n' => Esc::Char('\n'),
            'r' => Esc::Char('\r'),
            'f' => Esc::Char('\x0C'),
            'u' => Esc::Char(self.hex(4)?),
            'x' => Esc::Char(self.hex(2)?),
            'p' => {
                if self.chars.next() != Some('{') {
                    return self.err("`\\p` without `{`");
                }
                let name: String = self.chars.by_ref().take_while(|c| *c != '}').collect();
                match name.as_str() {
                    "L" => Esc::Pred(Pred::Letter),
                    "N" => Esc::Pred(Pred::Number),
                    "Z" => Esc::Pred(Pred::Separator),
                    _ => return self.err("unicode class"),
                }
            }
            c if c.is_ascii_alphanumeric() => return self.err("escape"),
            c => Esc::Char(c),
        })
    }

    fn class(&mut self) -> Result<Class, PatternError> {
        let mut class = Class::default();
        if self.chars.peek() == Some(&'^') {
            self.chars.next();
            class.negated = true;
        }
        let mut first = true;
        loop {
            let Some(c) = self.chars.next() else {
                return self.err("unclosed class");
            };
            let lo = match c {
                ']' if !first => return Ok(class),
                '[' => return self.err("nested class"),
                '\\' => match self.escape()? {
                    Esc::Char(c) => c,
                    Esc::Pred(p) => {
                        class.preds.push(p);
                        first = false;
                        continue;
                    }
                },
                c => c,
            };
            first = false;
            let mut ahead = self.chars.clone();
            if ahead.next() == Some('-') && !matches!(ahead.next(), Some(']') | None) {
                self.chars.next();
                let hi = match self.chars.next() {
                    Some('\\') => match self.escape()? {
                        Esc::Char(c) => c,
                        Esc::Pred(_) => return self.err("range to a class"),
                    },
                    Some(c) => c,
                    None => return self.err("unclosed class"),
                };
                if hi < lo {
                    return self.err("reversed range");
                }
                class.ranges.push((lo, hi));
            } else {
                class.ranges.push((lo, lo));
            }
        }
    }
}

enum Esc {
    Char(char),
    Pred(Pred),
}

/// Java's line terminators, which `.` does not match without `(?s)`.
fn is_line_end(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Repetitions are unrolled; this bounds the program a pattern may make.
const MAX_PROGRAM: usize = 20_000;

fn compile(
    node: &Node,
    prog: &mut Vec<Inst>,
    looks: &mut Vec<Vec<Inst>>,
) -> Result<(), PatternError> {
    if prog.len() > MAX_PROGRAM {
        return Err(PatternError("too large".to_owned()));
    }
    match node {
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::Any => prog.push(Inst::Any),
        Node::Class(c) => prog.push(Inst::Class(c.clone())),
        Node::Start => prog.push(Inst::Start),
        Node::End => prog.push(Inst::End),
        Node::NotAhead(inner) => {
            let mut sub = Vec::new();
            compile(inner, &mut sub, looks)?;
            sub.push(Inst::Match);
            looks.push(sub);
            prog.push(Inst::NotAhead(looks.len() - 1));
        }
        Node::Concat(items) => {
            for i in items {
                compile(i, prog, looks)?;
            }
        }
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, b) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(b, prog, looks)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    if let Some(Inst::Split(_, alt)) = prog.get_mut(split) {
                        *alt = next;
                    }
                } else {
                    compile(b, prog, looks)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                if let Some(Inst::Jmp(t)) = prog.get_mut(j) {
                    *t = end;
                }
            }
        }
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                compile(inner, prog, looks)?;
            }
            match max {
                None => {
                    // L: split(body, out); body; jmp L
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(inner, prog, looks)?;
                    prog.push(Inst::Jmp(split));
                    let out = prog.len();
                    if let Some(Inst::Split(_, o)) = prog.get_mut(split) {
                        *o = out;
                    }
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(prog.len() + 1, 0));
                        compile(inner, prog, looks)?;
                    }
                    let out = prog.len();
                    for s in splits {
                        if let Some(Inst::Split(_, o)) = prog.get_mut(s) {
                            *o = out;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// `Some` when `node` is one class repeated, anchors at its ends aside
/// (they change nothing when the whole text must match).
fn run_of(node: &Node) -> Option<(Class, u32, Option<u32>)> {
    match node {
        Node::Repeat(inner, min, max) => match inner.as_ref() {
            Node::Class(c) => Some((c.clone(), *min, *max)),
            _ => None,
        },
        Node::Concat(items) => {
            let mut items = items.as_slice();
            if let [Node::Start, rest @ ..] = items {
                items = rest;
            }
            if let [rest @ .., Node::End] = items {
                items = rest;
            }
            match items {
                [one] => run_of(one),
                _ => None,
            }
        }
        _ => None,
    }
}

impl Pattern {
    /// Compiles a model pattern.
    pub fn new(pattern: &str) -> Result<Pattern, PatternError> {
        let mut p = Parser {
            chars: pattern.chars().peekable(),
            dotall: false,
        };
        let node = p.alt()?;
        if p.chars.next().is_some() {
            return Err(PatternError("unbalanced `)`".to_owned()));
        }
        let mut prog = Vec::new();
        let mut looks = Vec::new();
        compile(&node, &mut prog, &mut looks)?;
        prog.push(Inst::Match);
        Ok(Pattern {
            run_of: run_of(&node),
            prog,
            looks,
            dotall: p.dotall,
        })
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        if let Some((class, min, max)) = &self.run_of {
            let mut n: u64 = 0;
            for c in text.chars() {
                if !class.test(c) {
                    return false;
                }
                n += 1;
            }
            return n >= u64::from(*min) && max.is_none_or(|m| n <= u64::from(m));
        }
        let chars: Vec<char> = text.chars().collect();
        self.run(&self.prog, &chars, 0, true)
    }

    /// Runs `prog` from `start`; `whole`: `Match` only counts at the end.
    fn run(&self, prog: &[Inst], chars: &[char], start: usize, whole: bool) -> bool {
        let width = chars.len() + 1;
        let mut visited = vec![false; prog.len().saturating_mul(width)];
        let mut stack = vec![(0usize, start)];
        while let Some((pc, pos)) = stack.pop() {
            let Some(seen) = visited.get_mut(pc * width + pos) else {
                continue;
            };
            if *seen {
                continue;
            }
            *seen = true;
            let here = chars.get(pos).copied();
            let step = (pc + 1, pos + 1);
            let stay = (pc + 1, pos);
            match prog.get(pc) {
                Some(Inst::Match) if !whole || pos == chars.len() => return true,
                Some(Inst::Char(c)) if here == Some(*c) => stack.push(step),
                Some(Inst::Any) if here.is_some_and(|c| self.dotall || !is_line_end(c)) => {
                    stack.push(step);
                }
                Some(Inst::Class(class)) if here.is_some_and(|c| class.test(c)) => stack.push(step),
                Some(Inst::Split(a, b)) => {
                    // Last pushed runs first: prefer `a`.
                    stack.push((*b, pos));
                    stack.push((*a, pos));
                }
                Some(Inst::Jmp(t)) => stack.push((*t, pos)),
                Some(Inst::Start) if pos == 0 => stack.push(stay),
                Some(Inst::End) if pos == chars.len() => stack.push(stay),
                Some(Inst::NotAhead(i)) => {
                    let hit = self
                        .looks
                        .get(*i)
                        .is_some_and(|sub| self.run(sub, chars, pos, false));
                    if !hit {
                        stack.push(stay);
                    }
                }
                _ => {}
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p).unwrap().matches(s)
    }

    #[test]
    fn iam_name_and_path_patterns_match_as_java_does() {
        assert!(m(r"[\w+=,.@-]+", "alice.smith@example"));
        assert!(!m(r"[\w+=,.@-]+", "alice smith"));
        assert!(!m(r"[\w+=,.@-]+", ""));
        assert!(m(r"[\w+=,.@-]*", ""));
        let path = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)";
        assert!(m(path, "/"));
        assert!(m(path, "/division_abc/subdivision_xyz/"));
        assert!(!m(path, "/no-trailing"));
        assert!(!m(path, "nolead/"));
        assert!(m(r"[\d]+", "123456"));
        assert!(!m(r"[\d]+", "12a456"));
    }

    #[test]
    fn a_run_of_one_class_is_matched_as_the_matcher_does() {
        let patterns = [
            r"[\w+=,.@-]*",
            r"[\w+=,.@-]+",
            r"^[\w+=,.@-]+$",
            r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+",
            r"[^a-c]{2,4}",
            r"[0-9]{12}",
            r"\d{3}",
        ];
        let texts = [
            "",
            "a",
            "ab",
            "abcd",
            "abcde",
            "dd",
            "zzzz",
            "zzzzz",
            "123",
            "1234",
            "111111111111",
            "alice smith",
            "alice.smith@example",
            "é",
            "tab\there",
            "\u{1F600}",
            "line\nbreak",
        ];
        for p in patterns {
            let fast = Pattern::new(p).unwrap();
            assert!(fast.run_of.is_some(), "{p}");
            let mut slow = fast.clone();
            slow.run_of = None;
            for t in texts {
                assert_eq!(fast.matches(t), slow.matches(t), "{p} on {t:?}");
            }
        }
        for p in [
            r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)",
            r"arn:.*",
            r"a[b]*",
        ] {
            assert!(Pattern::new(p).unwrap().run_of.is_none(), "{p}");
        }
    }

    #[test]
    fn anchors_alternation_counts_and_lookahead() {
        let child = r"^(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$";
        assert!(m(child, "111111111111"));
        assert!(m(child, "ou-ab12-abcdefgh"));
        assert!(!m(child, "11111111111"));
        let alias = r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$";
        assert!(m(alias, "my-alias"));
        assert!(!m(alias, "my--alias"));
        assert!(m(r"(?s).*", "two\nlines"));
        assert!(!m(r".*", "two\nlines"));
        assert!(m(r"[a-z0-9-.]{0,3}", "a.-"));
    }

    #[test]
    fn unicode_classes_and_wide_escapes() {
        let tag = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
        assert!(m(tag, "Projet été 2024"));
        assert!(!m(tag, "semi;colon"));
        // Java reads `\u10000` as U+1000 followed by `0`, and so does this.
        let arn =
            r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+";
        assert!(m(arn, "arn:aws:iam::111111111111:role/x"));
        assert!(!m(arn, "\u{1}"));
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        for p in [r"a*?", r"(?i)x", r"\p{Lu}", r"[a-[b]]", r"(", r"\k<x>"] {
            assert!(Pattern::new(p).is_err(), "{p}");
        }
    }
}
