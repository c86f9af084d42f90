//! The catalogue's 16 named colours as RGB for paper and for QDA programs: a white page, so
//! the light variants are deepened enough to read and white itself becomes a light grey.
//! The terminal's palette lives in `ui::theme`; this one is for files only.

use crate::model::NamedColor;

/// `#rrggbb` for a named colour (the table is the model's, so that an imported colour can be
/// matched back to its name).
pub fn hex(c: NamedColor) -> &'static str {
    c.paper_hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_colour_is_a_distinct_rgb_hex() {
        let all: std::collections::BTreeSet<&str> =
            NamedColor::ALL.iter().map(|c| hex(*c)).collect();
        assert_eq!(all.len(), 16);
        for h in all {
            assert!(h.len() == 7 && h.starts_with('#'), "{h}");
            assert!(h[1..].chars().all(|c| c.is_ascii_hexdigit()), "{h}");
        }
    }
}
