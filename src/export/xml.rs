//! A small XML writer for the REFI-QDA and SVG exports: elements with attributes, escaped
//! text, indentation. Text from files is escaped, and characters XML 1.0 cannot hold (control
//! characters other than tab, line feed and carriage return) are dropped, so that no journey or
//! note can make a file that does not parse.

/// Whether XML 1.0 can hold a character.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// The bytes of UTF-8 that may start something [`push_escaped`] changes, in content (`[0]`)
/// and in attributes (`[1]`): markup, a control character, the lead byte of U+FFFE and U+FFFF,
/// and in attributes the quote.
const SPECIAL: [[bool; 256]; 2] = {
    let mut table = [[false; 256]; 2];
    let mut b = 0;
    while b < 256 {
        let markup = matches!(b as u8, b'&' | b'<' | b'>' | 0xef) || b < 0x20;
        table[0][b] = markup;
        table[1][b] = markup || b == b'"' as usize;
        b += 1;
    }
    table
};

/// Appends `s` escaped for element content or, with `quote`, for an attribute value in double
/// quotes, where line breaks and tabs are kept as character references (attribute
/// normalisation would otherwise turn them into spaces). Text with nothing to escape, most of
/// it, is copied whole.
fn push_escaped(out: &mut String, s: &str, quote: bool) {
    let special = &SPECIAL[usize::from(quote)];
    if !s.bytes().any(|b| special[usize::from(b)]) {
        out.push_str(s);
        return;
    }
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if quote => out.push_str("&quot;"),
            '\t' if quote => out.push_str("&#9;"),
            '\n' if quote => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

/// Builds an XML document as text, one element per line, indented by depth. A large document
/// can be handed on in pieces as it is made ([`Writer::take`]).
pub struct Writer {
    out: String,
    open: Vec<&'static str>,
}

impl Writer {
    /// A document that starts with the XML declaration.
    pub fn new() -> Writer {
        Writer {
            out: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_string(),
            open: Vec::new(),
        }
    }

    /// A part of a document, to be added to it with [`Writer::push`] where `depth` elements
    /// are open: no declaration, indented as it will stand, closing only what it opens.
    pub fn inside(depth: usize) -> Writer {
        Writer {
            out: String::new(),
            open: vec![""; depth],
        }
    }

    /// Adds a part written with [`Writer::inside`] at the depth this document is at.
    pub fn push(&mut self, part: &str) {
        self.out.push_str(part);
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
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            push_escaped(&mut self.out, v, true);
            self.out.push('"');
        }
    }

    /// Opens an element that will have children.
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs);
        self.out.push_str(">\n");
        self.open.push(name);
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
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
        self.out.push('>');
        push_escaped(&mut self.out, content, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// How many bytes were written and not yet taken.
    pub fn pending(&self) -> usize {
        self.out.len()
    }

    /// Takes what was written so far; the document goes on where it was, inside the elements
    /// still open.
    pub fn take(&mut self) -> String {
        let room = String::with_capacity(self.out.capacity());
        std::mem::replace(&mut self.out, room)
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

    fn text(s: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, s, false);
        out
    }

    fn attr(s: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, s, true);
        out
    }

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(text("a<b>&c\u{1b}[31m\u{0}"), "a&lt;b&gt;&amp;c[31m");
        assert_eq!(attr("say \"hi\"\nnow\t"), "say &quot;hi&quot;&#10;now&#9;");
        // Text kept as it is, whole; a line feed and a tab in content too.
        assert_eq!(text("plain ø 🙂"), "plain ø 🙂");
        assert_eq!(text("a\tb\nc\r"), "a\tb\nc&#13;");
        // U+FFFE and U+FFFF are dropped; other characters whose UTF-8 starts as theirs do
        // (0xEF: fullwidth forms) are kept.
        assert_eq!(text("\u{fffe}＄\u{ffff}\u{ff04}"), "＄\u{ff04}");
        assert_eq!(attr("＄"), "＄");
    }

    #[test]
    fn a_document_taken_in_pieces_is_the_whole_document() {
        // Taken in pieces where `pieces` is given.
        let write = |w: &mut Writer, mut pieces: Option<&mut Vec<String>>| {
            w.open("a", &[("x", "1")]);
            if let Some(p) = pieces.as_mut() {
                p.push(w.take());
            }
            w.open("b", &[]);
            w.text("c", &[("q", "\"")], "<&>");
            if let Some(p) = pieces.as_mut() {
                p.push(w.take());
            }
            w.close();
            w.empty("d", &[]);
        };
        let mut whole = Writer::new();
        write(&mut whole, None);
        let mut pieces = Vec::new();
        let mut taken = Writer::new();
        write(&mut taken, Some(&mut pieces));
        assert_eq!(taken.pending(), "  </b>\n  <d/>\n".len());
        pieces.push(taken.finish());
        assert_eq!(pieces.concat(), whole.finish());
        assert!(pieces[0].starts_with("<?xml"), "{pieces:?}");
        assert_eq!(pieces[1], "  <b>\n    <c q=\"&quot;\">&lt;&amp;&gt;</c>\n");
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
