//! PDF in: the text layer of each page, by pdf-extract (on lopdf), with a page break between
//! pages. A PDF whose pages have no text (a scan without OCR) is refused with an error that
//! says so. Ligature characters (U+FB00–U+FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) are spelt out, so that a
//! quote typed with `fi` matches; everything else — Norwegian letters, soft hyphens, a hyphen
//! at a line end — stays as the text layer has it. An encrypted PDF is read where it opens
//! with the empty password. A panic inside the extractor is caught and reported as an error
//! about the file; it must never end terreng.

use super::{Builder, Converted};

/// The message for a PDF without a text layer.
pub const NO_TEXT: &str = "the PDF has no text layer (a scanned document?); run OCR on it first (for example `ocrmypdf in.pdf out.pdf`) and add the result";

/// The text of a PDF, a page at a time.
pub fn convert(bytes: &[u8]) -> Result<Converted, String> {
    // The extractor is a large parser of untrusted input: a panic inside it is an error about
    // this file, not the end of terreng.
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| "the PDF could not be read (the text extractor failed on it)".to_string())?
        .map_err(|e| format!("not a readable PDF: {e}"))?;
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(NO_TEXT.to_string());
    }
    let mut b = Builder::default();
    for (n, page) in pages.iter().enumerate() {
        if n > 0 {
            b.end_paragraph();
            b.page_break();
        }
        let page = spell_ligatures(page.trim_matches('\n'));
        b.push(&page);
    }
    Ok(b.finish())
}

/// `s` with the Latin ligature characters spelt as their letters.
pub fn spell_ligatures(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_are_spelt_out() {
        assert_eq!(
            spell_ligatures("e\u{fb00}ektiv \u{fb01}nne o\u{fb03}sielt"),
            "effektiv finne offisielt"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(convert(b"%PDF-1.4\n garbage").is_err());
        assert!(convert(b"").is_err());
    }
}
