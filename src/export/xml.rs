//! A small XML writer for the REFI-QDA and SVG exports: elements with attributes, escaped
//! text, indentation. Text from files is escaped, and characters XML 1.0 cannot hold (control
//! characters other than tab, line feed and carriage return) are dropped, so that no journey or
//! note can make a file that does not parse.

use std::fmt::Write as _;

/// Whether XML 1.0 can hold a character.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// Escapes text for element content.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for an attribute value in double quotes; line breaks and tabs are kept as
/// character references, which attribute normalisation would otherwise turn into spaces.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds an XML document as text, one element per line, indented by depth.
pub struct Writer {
    out: String,
    open: Vec<String>,
}

impl Writer {
    /// A document that starts with the XML declaration.
    pub fn new() -> Writer {
        Writer {
            out: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_string(),
            open: Vec::new(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", attr(v));
        }
    }

    /// Opens an element that will have children.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.out.push_str(">\n");
        self.open.push(name.to_string());
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            let _ = writeln!(self.out, "</{name}>");
        }
    }

    /// An element without children.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// An element holding text only.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], content: &str) {
        self.tag(name, attrs);
        let _ = writeln!(self.out, ">{}</{name}>", text(content));
    }

    /// The document, with every open element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(text("a<b>&c\u{1b}[31m\u{0}"), "a&lt;b&gt;&amp;c[31m");
        assert_eq!(attr("say \"hi\"\nnow\t"), "say &quot;hi&quot;&#10;now&#9;");
    }

    #[test]
    fn elements_nest_and_close() {
        let mut w = Writer::new();
        w.open("a", &[("x", "1")]);
        w.text("b", &[], "ø & 🙂");
        w.empty("c", &[("y", "<")]);
        let doc = w.finish();
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a x=\"1\">\n  <b>ø &amp; 🙂</b>\n  <c y=\"&lt;\"/>\n</a>\n"
        );
    }
}
