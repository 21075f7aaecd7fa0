//! A strict JSON reader that keeps source positions.
//!
//! Policy documents need three things that general-purpose JSON crates do not
//! give together: the line and column of every value (IAM's simulator reports
//! the start and end of each matched statement, and our validation messages
//! point at the offending element), rejection of duplicate object keys (IAM
//! refuses them), and a hard nesting limit so that hostile input cannot
//! exhaust the stack. This module is that reader: RFC 8259 JSON, nothing
//! more, never a panic.

use std::borrow::Cow;
use std::fmt;

/// Deepest nesting of arrays and objects accepted. Real policies nest four levels.
pub const MAX_DEPTH: usize = 64;

/// A position in the source text: 1-based line, 1-based column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column number, counted in characters.
    pub column: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// The extent of a value in the source: from its first character to just after its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Where the value starts.
    pub start: Loc,
    /// Where the value ends (the position after its last character).
    pub end: Loc,
}

/// A JSON value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Json<'a> {
    /// The value.
    pub value: JsonValue<'a>,
    /// Where it stands in the source.
    pub span: Span,
}

/// The JSON value kinds. Numbers keep their source text.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped (borrowed from the source when it has no escape).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object, members in source order; keys are unique.
    Object(Vec<Member<'a>>),
}

/// One member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The key.
    pub key: Cow<'a, str>,
    /// Where the key stands.
    pub key_span: Span,
    /// The value.
    pub value: Json<'a>,
}

impl JsonValue<'_> {
    /// The JSON type name used in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }
}

/// A syntax error: what went wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at {loc}")]
pub struct JsonError {
    /// What went wrong.
    pub message: String,
    /// Where.
    pub loc: Loc,
}

/// Parses a complete JSON text.
pub fn parse(text: &str) -> Result<Json<'_>, JsonError> {
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        col: 1,
    };
    // A UTF-8 byte order mark is tolerated, as IAM does.
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.err("unexpected characters after the JSON document"));
    }
    Ok(v)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    col: u32,
}

impl<'a> Parser<'a> {
    fn loc(&self) -> Loc {
        Loc {
            line: self.line,
            column: self.col,
        }
    }

    fn err(&self, msg: impl Into<String>) -> JsonError {
        JsonError {
            message: msg.into(),
            loc: self.loc(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Advances over one byte, keeping line and column (columns count characters).
    fn bump(&mut self) {
        if let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'\n' {
                self.line = self.line.saturating_add(1);
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character starts here.
                self.col = self.col.saturating_add(1);
            }
        }
    }

    /// Skips a run of plain string characters (no quote, backslash or control
    /// character, so no newline): one scan, then the column moves by the
    /// number of characters in the run.
    fn skip_plain(&mut self) {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len());
        let chars = rest
            .get(..n)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        self.pos += n;
        self.col = self
            .col
            .saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn expect_literal(&mut self, lit: &str) -> Result<(), JsonError> {
        if self.src.get(self.pos..self.pos + lit.len()) == Some(lit.as_bytes()) {
            for _ in 0..lit.len() {
                self.bump();
            }
            Ok(())
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        let start = self.loc();
        let value = match self.peek() {
            None => return Err(self.err("unexpected end of input")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b't') => {
                self.expect_literal("true")?;
                JsonValue::Bool(true)
            }
            Some(b'f') => {
                self.expect_literal("false")?;
                JsonValue::Bool(false)
            }
            Some(b'n') => {
                self.expect_literal("null")?;
                JsonValue::Null
            }
            Some(b'-' | b'0'..=b'9') => JsonValue::Number(self.number()?),
            Some(_) => return Err(self.err("expected a JSON value")),
        };
        Ok(Json {
            value,
            span: Span {
                start,
                end: self.loc(),
            },
        })
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue<'a>, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        self.bump(); // '{'
        // Policy objects hold a handful of members: one allocation, usually no growth.
        let mut members: Vec<Member<'a>> = Vec::with_capacity(6);
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(JsonValue::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a string key"));
            }
            let key_start = self.loc();
            let key = self.string()?;
            let key_span = Span {
                start: key_start,
                end: self.loc(),
            };
            if members.iter().any(|m| m.key == key) {
                return Err(JsonError {
                    message: format!("duplicate key `{key}`"),
                    loc: key_start,
                });
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:` after an object key"));
            }
            self.bump();
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(JsonValue::Object(members));
                }
                _ => return Err(self.err("expected `,` or `}` in an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue<'a>, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        self.bump(); // '['
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(JsonValue::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(JsonValue::Array(items));
                }
                _ => return Err(self.err("expected `,` or `]` in an array")),
            }
        }
    }

    fn number(&mut self) -> Result<&'a str, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.bump();
                }
            }
            _ => return Err(self.err("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.err("invalid `\\u` escape")),
            };
            v = v * 16 + u32::from(d);
            self.bump();
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.bump(); // opening quote
        // Fast path: no escape before the closing quote, borrow from the source.
        let start = self.pos;
        self.skip_plain();
        if self.peek() == Some(b'"') {
            let s = self.text.get(start..self.pos).unwrap_or_default();
            self.bump();
            return Ok(Cow::Borrowed(s));
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            // Copy the run of plain characters in one go.
            let run_start = self.pos;
            self.skip_plain();
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.bump();
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.bump();
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.bump();
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.peek() != Some(b'\\') {
                                    return Err(self.err("unpaired surrogate in `\\u` escape"));
                                }
                                self.bump();
                                if self.peek() != Some(b'u') {
                                    return Err(self.err("unpaired surrogate in `\\u` escape"));
                                }
                                self.bump();
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("unpaired surrogate in `\\u` escape"));
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            match c {
                                Some(c) => out.push(c),
                                None => return Err(self.err("unpaired surrogate in `\\u` escape")),
                            }
                            continue;
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    };
                    self.bump();
                    out.push(c);
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_values_with_positions() {
        let j = parse("{\n  \"a\": [1, \"x\\u00e9\", true, null]\n}").unwrap();
        let JsonValue::Object(m) = &j.value else {
            panic!("object")
        };
        assert_eq!(m[0].key, "a");
        assert_eq!(m[0].key_span.start, Loc { line: 2, column: 3 });
        let JsonValue::Array(items) = &m[0].value.value else {
            panic!("array")
        };
        assert_eq!(items[1].value, JsonValue::String("xé".into()));
        assert_eq!(j.span.end, Loc { line: 3, column: 2 });
    }

    #[test]
    fn rejects_duplicate_keys() {
        let e = parse(r#"{"Effect":"Allow","Effect":"Deny"}"#).unwrap_err();
        assert!(e.message.contains("duplicate key `Effect`"), "{e}");
        assert_eq!(e.loc.column, 19);
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "tru",
            "01",
            "1.",
            "\"\\x\"",
            "\"a",
            "{}x",
            "\"\u{1}\"",
            "\"\\ud800\"",
            "-",
            "1e",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn limits_depth() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().message.contains("deeply"));
    }

    #[test]
    fn decodes_surrogate_pairs() {
        let j = parse(r#""\ud83d\ude00""#).unwrap();
        assert_eq!(j.value, JsonValue::String("😀".into()));
    }
}
