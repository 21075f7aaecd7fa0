//! A minimal XML writer for response bodies (escaping included).

/// Builds an XML document as a string.
#[derive(Debug, Default)]
pub struct Xml {
    buf: String,
}

/// Appends `s` escaped for element content or an attribute: the runs
/// between special characters are copied whole (a session token is 700
/// bytes with none; pushing it a char at a time was 2% of AssumeRole's CPU).
pub(crate) fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        // `i` is at an ASCII byte, so on a char boundary.
        out.push_str(s.get(start..i).unwrap_or_default());
        out.push_str(entity);
        start = i + 1;
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
}
