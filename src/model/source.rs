//! A document of a study (`sources/<id>.ron`, beside its text `sources/<id>.txt`): where the
//! text came from, and where its pages and headings begin, so that a locator is derived from a
//! position rather than typed.
//!
//! Positions are in code points (`char`s) of the UTF-8 text, as evidence spans are. Plain data:
//! no I/O, no conversion; the store converts documents and writes these files.

use serde::{Deserialize, Serialize};

/// What is known of one source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The file name the text was converted from (`intervju-03.docx`).
    pub original: String,
    pub format: Format,
    /// SHA-256 of the original file's bytes, in lower-case hex: the same file added twice is
    /// recognised by it.
    pub sha256: String,
    /// When it was added (RFC 3339, UTC).
    pub added: String,
    /// The document's own title, where the format has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where each page after the first begins (page 2 at the first position, and so on).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_breaks: Vec<usize>,
    /// The headings, in order of position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<Heading>,
    /// Passages coded in another tool (from a REFI-QDA project), offered as evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<Passage>,
}

/// The formats a source can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    Txt,
    Md,
    Docx,
    Odt,
    Html,
    Pdf,
    /// A text source of a REFI-QDA project.
    Qdpx,
}

impl Format {
    /// The format of a file by its extension (any case), if terreng reads it.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Format::Txt,
            "md" | "markdown" => Format::Md,
            "docx" => Format::Docx,
            "odt" => Format::Odt,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "qdpx" => Format::Qdpx,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Qdpx => "qdpx",
        }
    }
}

/// A heading: where it begins, its level (1 for the top) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heading {
    pub at: usize,
    pub level: u8,
    pub text: String,
}

/// A passage coded elsewhere: its span in code points and the catalogue ids of its codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub codes: Vec<String>,
}

impl Document {
    /// The page (from 1) that holds position `at`, when the document has page breaks.
    pub fn page_at(&self, at: usize) -> Option<usize> {
        if self.page_breaks.is_empty() {
            return None;
        }
        Some(1 + self.page_breaks.iter().take_while(|&&b| b <= at).count())
    }

    /// The heading under which position `at` stands: the last one that begins at or before it.
    pub fn heading_at(&self, at: usize) -> Option<&Heading> {
        self.headings.iter().take_while(|h| h.at <= at).last()
    }

    /// A locator for a passage starting at `at`: the section heading and the page, as far as
    /// the document has them ("Innledning, p. 3"; "p. 3"; "Innledning"), else empty.
    pub fn locator(&self, at: usize) -> String {
        match (self.heading_at(at), self.page_at(at)) {
            (Some(h), Some(p)) => format!("{}, p. {p}", h.text),
            (Some(h), None) => h.text.clone(),
            (None, Some(p)) => format!("p. {p}"),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document {
            original: "a.docx".into(),
            format: Format::Docx,
            sha256: String::new(),
            added: String::new(),
            title: None,
            page_breaks: vec![100, 250],
            headings: vec![
                Heading {
                    at: 0,
                    level: 1,
                    text: "Innledning".into(),
                },
                Heading {
                    at: 120,
                    level: 2,
                    text: "Funn".into(),
                },
            ],
            passages: vec![],
        }
    }

    #[test]
    fn the_locator_names_the_section_and_the_page() {
        let d = doc();
        assert_eq!(d.locator(5), "Innledning, p. 1");
        // Page 2 begins at 100 itself; the heading at 120 is not yet reached at 119.
        assert_eq!(d.locator(100), "Innledning, p. 2");
        assert_eq!(d.locator(119), "Innledning, p. 2");
        assert_eq!(d.locator(120), "Funn, p. 2");
        assert_eq!(d.locator(900), "Funn, p. 3");
        let bare = Document {
            page_breaks: vec![],
            headings: vec![],
            ..d
        };
        assert_eq!(bare.locator(5), "");
    }

    #[test]
    fn formats_are_known_by_extension_in_any_case() {
        assert_eq!(Format::from_extension("DOCX"), Some(Format::Docx));
        assert_eq!(Format::from_extension("htm"), Some(Format::Html));
        assert_eq!(Format::from_extension("rtf"), None);
    }
}
