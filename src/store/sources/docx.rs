//! Word (`.docx`) in: the paragraphs of `word/document.xml` in order (tables and text boxes
//! included, deleted text and field codes not), a blank line between paragraphs. Headings are
//! the paragraphs whose style is a built-in heading or title (by the style's name in
//! `word/styles.xml`, so a Norwegian Word's `Overskrift1` counts) or that carry an outline
//! level. Page breaks are the explicit ones (`<w:br w:type="page"/>`, "page break before");
//! Word's last-rendered breaks are only a layout hint and are not used. Soft hyphens
//! (`<w:softHyphen/>`) come through as U+00AD, non-breaking hyphens as `-`. It reads only the
//! parts it names from the zip, each at most [`MAX_PART`] bytes, and never writes.

use std::collections::HashMap;
use std::io::Read;

use roxmltree::{Document, Node};

use super::{Builder, Converted};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The largest XML part read from a document (a guard against zip bombs).
pub const MAX_PART: u64 = 256 * 1024 * 1024;

/// Reads one part of a zip container as text, `None` where it is absent.
pub fn part(bytes: &[u8], name: &str) -> Result<Option<String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a valid document (not a zip container: {e})"))?;
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("cannot read {name} in the document: {e}")),
    };
    let mut text = String::new();
    file.take(MAX_PART)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read {name} in the document: {e}"))?;
    Ok(Some(text))
}

/// Parses an XML part, with the error naming it.
pub fn xml<'a>(name: &str, text: &'a str) -> Result<Document<'a>, String> {
    Document::parse(text).map_err(|e| format!("{name} in the document is not valid XML: {e}"))
}

/// The text of a Word document.
pub fn convert(bytes: &[u8]) -> Result<Converted, String> {
    let body =
        part(bytes, "word/document.xml")?.ok_or("not a Word document (no word/document.xml)")?;
    let styles = match part(bytes, "word/styles.xml")? {
        Some(text) => heading_styles(&xml("word/styles.xml", &text)?),
        None => HashMap::new(),
    };
    let doc = xml("word/document.xml", &body)?;
    let mut b = Builder::default();
    if let Some(core) = part(bytes, "docProps/core.xml")?
        && let Ok(core) = Document::parse(&core)
        && let Some(t) = core
            .descendants()
            .find(|n| n.tag_name().name() == "title")
            .and_then(|n| n.text())
    {
        b.title(t);
    }
    let root = doc.root_element();
    let body = root
        .children()
        .find(|n| is(n, "body"))
        .ok_or("word/document.xml has no body")?;
    walk(body, &styles, &mut b);
    Ok(b.finish())
}

fn is(n: &Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

fn val<'a>(n: &Node<'a, '_>) -> Option<&'a str> {
    n.attribute((W, "val"))
}

/// Style ids of the heading styles, with their level (a title is level 1, `heading N` N).
fn heading_styles(styles: &Document) -> HashMap<String, u8> {
    let mut out = HashMap::new();
    for s in styles.descendants().filter(|n| is(n, "style")) {
        let Some(id) = s.attribute((W, "styleId")) else {
            continue;
        };
        let name = s
            .children()
            .find(|n| is(n, "name"))
            .and_then(|n| val(&n))
            .unwrap_or("")
            .to_ascii_lowercase();
        let outline = s
            .descendants()
            .find(|n| is(n, "outlineLvl"))
            .and_then(|n| val(&n))
            .and_then(|v| v.parse::<u8>().ok());
        let level = if name == "title" {
            Some(1)
        } else if let Some(n) = name.strip_prefix("heading ") {
            n.trim().parse::<u8>().ok()
        } else {
            outline.filter(|&l| l < 9).map(|l| l + 1)
        };
        if let Some(level) = level {
            out.insert(id.to_string(), level);
        }
    }
    out
}

fn walk(node: Node, styles: &HashMap<String, u8>, b: &mut Builder) {
    for child in node.children() {
        if is(&child, "p") {
            paragraph(child, styles, b);
        } else if child.is_element() && !is(&child, "sectPr") {
            walk(child, styles, b);
        }
    }
}

fn paragraph(p: Node, styles: &HashMap<String, u8>, b: &mut Builder) {
    let props = p.children().find(|n| is(n, "pPr"));
    let mut level = None;
    if let Some(props) = props {
        if props
            .children()
            .any(|n| is(&n, "pageBreakBefore") && val(&n) != Some("0"))
        {
            b.page_break();
        }
        level = props
            .children()
            .find(|n| is(n, "pStyle"))
            .and_then(|n| val(&n))
            .and_then(|id| styles.get(id).copied())
            .or_else(|| {
                props
                    .children()
                    .find(|n| is(n, "outlineLvl"))
                    .and_then(|n| val(&n))
                    .and_then(|v| v.parse::<u8>().ok())
                    .filter(|&l| l < 9)
                    .map(|l| l + 1)
            });
    }
    let start = b.position();
    let mut text = String::new();
    runs(p, b, &mut text);
    if let Some(level) = level {
        b.heading_at(start, level, &text);
    }
    b.end_paragraph();
}

/// The text of a paragraph's runs, in order, into the builder and `text`.
fn runs(node: Node, b: &mut Builder, text: &mut String) {
    for n in node.children() {
        if !n.is_element() || n.tag_name().namespace() != Some(W) {
            continue;
        }
        match n.tag_name().name() {
            "t" => {
                let t = n.text().unwrap_or("");
                b.push(t);
                text.push_str(t);
            }
            "tab" if n.parent().is_some_and(|p| is(&p, "r")) => {
                b.push_char('\t');
                text.push(' ');
            }
            "br" => {
                if n.attribute((W, "type")) == Some("page") {
                    b.page_break();
                } else {
                    b.line_break();
                    text.push(' ');
                }
            }
            "cr" => {
                b.line_break();
                text.push(' ');
            }
            "softHyphen" => b.push_char('\u{ad}'),
            "noBreakHyphen" => {
                b.push_char('-');
                text.push('-');
            }
            "pPr" | "rPr" | "delText" | "instrText" | "del" | "footnoteReference"
            | "endnoteReference" => {}
            _ => runs(n, b, text),
        }
    }
}
