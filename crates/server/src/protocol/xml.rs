//! A minimal XML writer for response bodies (escaping included).

/// Builds an XML document as a string.
#[derive(Debug, Default)]
pub struct Xml {
    buf: String,
}

/// Appends `s` escaped for element content or an attribute: the runs
/// between special characters are copied whole (a session token is 700
/// bytes with none; pushing it a char at a time was 2% of AssumeRole's CPU).
///
/// Besides the five markup characters:
/// - a carriage return is written `&#xD;`, as AWS's query services do: an
///   XML parser turns a raw CR (or CR LF) into LF, so an SQS message body
///   would reach the client altered and fail its `MD5OfBody` check;
/// - characters XML 1.0 cannot carry at all, even as references (C0
///   controls other than tab, LF and CR; U+FFFE, U+FFFF), are written as
///   U+FFFD, so that an error message echoing such input is still a
///   document every client parses (SQS refuses them in message bodies
///   before they are stored). What AWS writes for them is UNCONFIRMED.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (entity, len) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\r' => ("&#xD;", 1),
            0..=8 | 0x0b | 0x0c | 0x0e..=0x1f => ("\u{FFFD}", 1),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xef if matches!(bytes.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => ("\u{FFFD}", 3),
            _ => continue,
        };
        // `i` is at an ASCII byte or the lead byte of a character, so on a
        // char boundary.
        out.push_str(s.get(start..i).unwrap_or_default());
        out.push_str(entity);
        start = i + len;
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

impl Xml {
    /// An empty document.
    pub fn new() -> Xml {
        Xml::default()
    }

    /// `<name>`.
    pub fn open(&mut self, name: &str) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push('>');
        self
    }

    /// `<name xmlns="ns">`.
    pub fn open_ns(&mut self, name: &str, ns: &str) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push_str(" xmlns=\"");
        escape_into(&mut self.buf, ns);
        self.buf.push_str("\">");
        self
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
        self
    }

    /// `<name>text</name>`.
    pub fn elem(&mut self, name: &str, text: &str) -> &mut Self {
        self.open(name);
        escape_into(&mut self.buf, text);
        self.close(name)
    }

    /// `<name>text</name>` when there is a value.
    pub fn opt(&mut self, name: &str, text: Option<&str>) -> &mut Self {
        if let Some(t) = text {
            self.elem(name, t);
        }
        self
    }

    /// Appends already-built XML.
    pub fn raw(&mut self, xml: &str) -> &mut Self {
        self.buf.push_str(xml);
        self
    }

    /// The document.
    pub fn finish(self) -> String {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text() {
        let mut x = Xml::new();
        x.open_ns("R", "ns").elem("A", "<&>\"'").close("R");
        assert_eq!(
            x.finish(),
            "<R xmlns=\"ns\"><A>&lt;&amp;&gt;&quot;&apos;</A></R>"
        );
    }

    fn escape(s: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, s);
        out
    }

    #[test]
    fn escapes_between_runs_of_any_text() {
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("a<b>c"), "a&lt;b&gt;c");
        assert_eq!(escape("&&"), "&amp;&amp;");
        assert_eq!(escape("é<ü>'ñ'"), "é&lt;ü&gt;&apos;ñ&apos;");
        assert_eq!(escape("tail&"), "tail&amp;");
    }

    #[test]
    fn carriage_returns_are_references_and_what_xml_cannot_carry_is_replaced() {
        assert_eq!(escape("a\r\nb\rc"), "a&#xD;\nb&#xD;c");
        assert_eq!(escape("tab\there"), "tab\there");
        assert_eq!(escape("ab\u{1}\u{1b}cd\0"), "ab\u{FFFD}\u{FFFD}cd\u{FFFD}");
        assert_eq!(
            escape("x\u{FFFE}y\u{FFFF}z\u{FFFD}"),
            "x\u{FFFD}y\u{FFFD}z\u{FFFD}"
        );
        // Other characters encoded from EF stay as they are.
        assert_eq!(escape("\u{F000}\u{FFEE}"), "\u{F000}\u{FFEE}");
    }
}
