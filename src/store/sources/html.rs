//! HTML in: the text of the body, with paragraphs and line breaks as the block elements make
//! them, runs of white space as one space (except in `<pre>`), `<h1>`–`<h6>` as headings, the
//! `<title>` as the title, a `page-break-before`/`break-before: page` style as a page break.
//! Scripts, styles and the rest of the head are left out. Parsed by html5gum's tokenizer,
//! which decodes character references. It never fetches anything a page refers to.

use html5gum::{Token, Tokenizer};

use super::{Builder, Converted, txt};

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "table",
    "tr",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "address",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// The text of an HTML file.
pub fn convert(bytes: &[u8]) -> Result<Converted, String> {
    let source = txt::decode(bytes)?;
    let mut b = Builder::default();
    let mut skip = 0usize; // inside <script>, <style>, <head> bits other than <title>
    let mut in_title = false;
    let mut title = String::new();
    let mut pre = 0usize;
    let mut heading: Option<(u8, String, usize)> = None;
    // A space is owed before the next word (collapsed white space).
    let mut space = false;
    for token in Tokenizer::new(source.as_str()) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                match name.as_str() {
                    "script" | "style" | "template" | "noscript" if !tag.self_closing => skip += 1,
                    "title" => in_title = true,
                    "br" => {
                        b.line_break();
                        space = false;
                    }
                    "pre" => pre += 1,
                    _ => {}
                }
                if let Some(style) = tag.attributes.get(b"style".as_slice()) {
                    let style: String = String::from_utf8_lossy(&style.value)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if style.contains("page-break-before:always")
                        || style.contains("break-before:page")
                    {
                        b.end_paragraph();
                        b.page_break();
                    }
                }
                if BLOCKS.contains(&name.as_str()) {
                    b.end_paragraph();
                    space = false;
                }
                if let Some(level) = heading_level(&name) {
                    heading = Some((level, String::new(), b.position()));
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                match name.as_str() {
                    "script" | "style" | "template" | "noscript" => skip = skip.saturating_sub(1),
                    "title" => in_title = false,
                    "pre" => pre = pre.saturating_sub(1),
                    _ => {}
                }
                if heading_level(&name).is_some()
                    && let Some((level, text, at)) = heading.take()
                {
                    b.heading_at(at, level, &text);
                }
                if BLOCKS.contains(&name.as_str()) {
                    b.end_paragraph();
                    space = false;
                }
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s);
                if in_title {
                    title.push_str(&s);
                } else if skip == 0 {
                    if let Some((_, text, _)) = heading.as_mut() {
                        text.push_str(&s);
                    }
                    if pre > 0 {
                        b.push(&s);
                    } else {
                        for (i, word) in s.split(|c: char| c.is_ascii_whitespace()).enumerate() {
                            if i > 0 {
                                space = true;
                            }
                            if word.is_empty() {
                                continue;
                            }
                            if space && !b.at_line_start() {
                                b.push_char(' ');
                            }
                            space = false;
                            b.push(word);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    b.title(&title);
    Ok(b.finish())
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_headings_and_page_breaks() {
        let html = "<!DOCTYPE html><html><head><title>Intervju 3</title><style>p{x:1}</style>\
            </head><body><h1>Innled&shy;ning</h1><p>Vi  møtte\n  <b>ledelsen</b> &amp; de \
            ansatte.</p><script>var a = 1;</script>\
            <p style=\"page-break-before: always\">Side&nbsp;to<br>ny linje</p></body></html>";
        let c = convert(html.as_bytes()).unwrap();
        assert_eq!(
            c.text,
            "Innled\u{ad}ning\n\nVi møtte ledelsen & de ansatte.\n\nSide\u{a0}to\nny linje\n"
        );
        assert_eq!(c.title.as_deref(), Some("Intervju 3"));
        assert_eq!(c.headings.len(), 1);
        assert_eq!(
            (c.headings[0].at, c.headings[0].text.as_str()),
            (0, "Innled\u{ad}ning")
        );
        // "Innled­ning\n\n" is 13 code points, "Vi møtte ledelsen & de ansatte.\n\n" 33.
        assert_eq!(c.page_breaks, vec![46]);
    }
}
