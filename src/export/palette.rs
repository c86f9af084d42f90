//! The catalogue's 16 named colours as RGB for paper and for QDA programs: a white page, so
//! the light variants are deepened enough to read and white itself becomes a light grey.
//! The terminal's palette lives in `ui::theme`; this one is for files only.

use crate::model::NamedColor;

/// `#rrggbb` for a named colour.
pub fn hex(c: NamedColor) -> &'static str {
    match c {
        NamedColor::Black => "#222222",
        NamedColor::Red => "#c0392b",
        NamedColor::Green => "#2e7d32",
        NamedColor::Yellow => "#b58900",
        NamedColor::Blue => "#1f5fa8",
        NamedColor::Magenta => "#8e3a8e",
        NamedColor::Cyan => "#00838f",
        NamedColor::Gray => "#7f8c8d",
        NamedColor::DarkGray => "#4d4d4d",
        NamedColor::LightRed => "#e06666",
        NamedColor::LightGreen => "#5fa55a",
        NamedColor::LightYellow => "#d4a017",
        NamedColor::LightBlue => "#5b9bd5",
        NamedColor::LightMagenta => "#c06cc0",
        NamedColor::LightCyan => "#3aa6b9",
        NamedColor::White => "#bdbdbd",
    }
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
