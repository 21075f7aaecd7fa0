//! A minimal XML writer for response bodies (escaping included).

/// Builds an XML document as a string.
#[derive(Debug, Default)]
pub struct Xml {
    buf: String,
}

/// Escapes text for element content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
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
        self.buf
            .push_str(&format!("<{name} xmlns=\"{}\">", escape(ns)));
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
        self.buf.push_str(&escape(text));
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
}
