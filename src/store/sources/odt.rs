//! OpenDocument text (`.odt`) in: the paragraphs and headings of `content.xml` in order
//! (lists and tables included, notes and annotations not), a blank line between paragraphs.
//! Headings are `<text:h>` with their outline level. Page breaks are a paragraph style's
//! `fo:break-before`/`fo:break-after="page"` and the `<text:soft-page-break/>` LibreOffice
//! writes where a page ended when the file was saved. Spaces follow ODF's rules: `<text:s/>`
//! and `<text:tab/>` are kept, other runs of white space are one space. It reads only the
//! parts it names and never writes.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::docx::{part, xml};
use super::{Builder, Converted};

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const FO: &str = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

/// Page breaks a paragraph style asks for: (before, after).
type Breaks = HashMap<String, (bool, bool)>;

/// The text of an OpenDocument text.
pub fn convert(bytes: &[u8]) -> Result<Converted, String> {
    let content = part(bytes, "content.xml")?.ok_or("not an OpenDocument text (no content.xml)")?;
    let doc = xml("content.xml", &content)?;
    let mut breaks = Breaks::new();
    if let Some(styles) = part(bytes, "styles.xml")? {
        collect_breaks(&xml("styles.xml", &styles)?, &mut breaks);
    }
    collect_breaks(&doc, &mut breaks);
    let mut b = Builder::default();
    if let Some(meta) = part(bytes, "meta.xml")?
        && let Ok(meta) = Document::parse(&meta)
        && let Some(t) = meta
            .descendants()
            .find(|n| n.tag_name().name() == "title")
            .and_then(|n| n.text())
    {
        b.title(t);
    }
    let text = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "text" && ns(n, OFFICE))
        .ok_or("content.xml has no office:text body")?;
    walk(text, &breaks, &mut b);
    Ok(b.finish())
}

fn ns(n: &Node, uri: &str) -> bool {
    n.tag_name().namespace() == Some(uri)
}

fn collect_breaks(doc: &Document, out: &mut Breaks) {
    for s in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "style" && ns(n, STYLE))
    {
        let Some(name) = s.attribute((STYLE, "name")) else {
            continue;
        };
        let props = s
            .children()
            .find(|n| n.tag_name().name() == "paragraph-properties");
        let before = props.and_then(|p| p.attribute((FO, "break-before"))) == Some("page");
        let after = props.and_then(|p| p.attribute((FO, "break-after"))) == Some("page");
        if before || after {
            out.insert(name.to_string(), (before, after));
        }
    }
}

fn walk(node: Node, breaks: &Breaks, b: &mut Builder) {
    for child in node.children().filter(|n| n.is_element()) {
        if !ns(&child, TEXT) {
            continue;
        }
        match child.tag_name().name() {
            "p" | "h" => paragraph(child, breaks, b),
            "soft-page-break" => b.page_break(),
            "tracked-changes" | "sequence-decls" | "note" => {}
            _ => walk(child, breaks, b),
        }
    }
}

fn paragraph(p: Node, breaks: &Breaks, b: &mut Builder) {
    let (before, after) = p
        .attribute((TEXT, "style-name"))
        .and_then(|s| breaks.get(s).copied())
        .unwrap_or((false, false));
    if before {
        b.page_break();
    }
    let start = b.position();
    let mut text = String::new();
    let mut space = false;
    inline(p, b, &mut text, &mut space);
    if p.tag_name().name() == "h" {
        let level = p
            .attribute((TEXT, "outline-level"))
            .and_then(|l| l.parse::<u8>().ok())
            .unwrap_or(1);
        b.heading_at(start, level, &text);
    }
    b.end_paragraph();
    if after {
        b.page_break();
    }
}

fn inline(node: Node, b: &mut Builder, text: &mut String, space: &mut bool) {
    for n in node.children() {
        if n.is_text() {
            for (i, word) in n
                .text()
                .unwrap_or("")
                .split([' ', '\t', '\n', '\r'])
                .enumerate()
            {
                if i > 0 {
                    *space = true;
                }
                if word.is_empty() {
                    continue;
                }
                if *space && !b.at_line_start() && !text.is_empty() {
                    b.push_char(' ');
                    text.push(' ');
                }
                *space = false;
                b.push(word);
                text.push_str(word);
            }
            continue;
        }
        if !n.is_element() {
            continue;
        }
        if !ns(&n, TEXT) {
            if ns(&n, OFFICE) && n.tag_name().name() == "annotation" {
                continue;
            }
            inline(n, b, text, space);
            continue;
        }
        match n.tag_name().name() {
            "s" => {
                let count = n
                    .attribute((TEXT, "c"))
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(1000);
                b.push(&" ".repeat(count));
                text.push(' ');
                *space = false;
            }
            "tab" => {
                b.push_char('\t');
                text.push(' ');
                *space = false;
            }
            "line-break" => {
                b.line_break();
                text.push(' ');
                *space = false;
            }
            "soft-page-break" => b.page_break(),
            "note" | "bookmark" | "bookmark-start" | "bookmark-end" => {}
            _ => inline(n, b, text, space),
        }
    }
}
