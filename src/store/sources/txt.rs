//! Plain text in: UTF-8 (a byte-order mark dropped), or Windows-1252 where the bytes are not
//! UTF-8, with line ends made `\n`. A form feed (as `pdftotext` writes between pages) is a page
//! break and becomes a line end. The words are kept exactly, line-end hyphens and soft hyphens
//! included: nothing is joined, wrapped or corrected.

use super::{Builder, Converted};

/// The text of a plain-text file.
pub fn convert(bytes: &[u8]) -> Result<Converted, String> {
    let text = decode(bytes)?;
    let mut b = Builder::default();
    for (n, page) in text.split('\u{c}').enumerate() {
        if n > 0 {
            b.line_break();
            b.page_break();
        }
        b.push(page);
    }
    Ok(b.finish())
}

/// The bytes as text: UTF-8 without a byte-order mark, else Windows-1252; CRLF and CR made LF.
/// Binary data (a NUL byte) is refused.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("binary data (a NUL byte), not text".to_string());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_latin1_and_form_feeds() {
        let c = convert("\u{feff}Første\r\nside\u{c}Andre sidens ord-\ndeling".as_bytes()).unwrap();
        assert_eq!(c.text, "Første\nside\nAndre sidens ord-\ndeling\n");
        // "Første\nside\n" is 12 code points.
        assert_eq!(c.page_breaks, vec![12]);
        // "blåbær" in Windows-1252.
        let c = convert(b"bl\xe5b\xe6r").unwrap();
        assert_eq!(c.text, "blåbær\n");
        assert!(convert(b"\x00\x01").is_err());
    }
}
