//! Markdown in: the text is kept as written (markup and all, so quotes match the file); the
//! ATX headings (`# …` to `###### …`, outside code fences) are recorded as headings. It must
//! not strip or render the markup: a quote is matched against the file as written.

use super::{Builder, Converted, txt};

/// The text of a Markdown file, with its headings.
pub fn convert(bytes: &[u8]) -> Result<Converted, String> {
    let text = txt::decode(bytes)?;
    let mut b = Builder::default();
    let mut fence: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some((level, title)) = atx_heading(line) {
            b.heading(level, title);
        }
        b.push(line);
    }
    Ok(b.finish())
}

/// `(level, text)` of an ATX heading line: up to three spaces, 1–6 `#`, then a space or the end.
fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let after = &rest[hashes..];
    if !(1..=6).contains(&hashes) || !(after.is_empty() || after.starts_with([' ', '\t', '\n'])) {
        return None;
    }
    let title = after.trim().trim_end_matches('#').trim_end();
    Some((hashes as u8, title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_outside_fences() {
        let c = convert("# Innledning\nTekst.\n```\n# ikke\n```\n## Funn ##\nMer.\n".as_bytes())
            .unwrap();
        let hs: Vec<(usize, u8, &str)> = c
            .headings
            .iter()
            .map(|h| (h.at, h.level, h.text.as_str()))
            .collect();
        // "# Innledning\nTekst.\n```\n# ikke\n```\n" is 13 + 7 + 4 + 7 + 4 = 35 code points.
        assert_eq!(hs, vec![(0, 1, "Innledning"), (35, 2, "Funn")]);
        assert!(c.text.starts_with("# Innledning\n"));
    }
}
