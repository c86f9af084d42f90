//! Text from files made safe and measured for the terminal.
//!
//! Every string that comes from a journey, the catalogue or a note passes through [`inert`]
//! before it is drawn: control characters (ESC, BEL, backspace, carriage return, the C1 CSI and
//! OSC introducers…) become visible replacements and never reach the terminal as commands.
//! Widths are measured with `unicode-width`, never `len()`, so Norwegian letters and wide glyphs
//! keep columns straight.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use crate::model::inert::inert;

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `max` columns, with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if s.width() <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// Words of `s` wrapped to lines of at most `max` columns (a word longer than a line is cut).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in s.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split_whitespace() {
            let w = word.width();
            if used > 0 && used + 1 + w > max {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if used > 0 {
                line.push(' ');
                used += 1;
            }
            if w > max {
                let cut = truncate(word, max.saturating_sub(used).max(1));
                used += cut.width();
                line.push_str(&cut);
            } else {
                line.push_str(word);
                used += w;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(inert("a\u{1b}[31mred\u{7}"), "a␛[31mred␇");
        assert_eq!(inert("osc\u{9d}0;x\u{9c}"), "osc�0;x�");
        assert_eq!(inert("back\u{8}space\rret"), "back␈space␍ret");
        assert_eq!(inert("del\u{7f}"), "del␡");
        assert_eq!(inert("line\nnext\ttab"), "line next tab");
        assert_eq!(inert("rtl\u{202e}x"), "rtl�x");
        assert!(matches!(inert("Ærlig og grei"), Cow::Borrowed(_)));
    }

    #[test]
    fn widths_count_columns() {
        assert_eq!(width("øæå"), 3);
        assert_eq!(width("山"), 2);
        assert_eq!(truncate("fjellvegg", 5), "fjel…");
        assert_eq!(truncate("山山山", 4), "山…");
        assert_eq!(truncate("kort", 10), "kort");
        assert_eq!(truncate("x", 0), "");
    }

    #[test]
    fn wrap_keeps_lines_within_width() {
        let lines = wrap("Gruppene som ville bedre samarbeidet i lederteam", 12);
        assert!(lines.iter().all(|l| width(l) <= 12), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "Gruppene som ville bedre samarbeidet i lederteam"
        );
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
        assert!(
            wrap("ordsomerforlangtforlinja", 5)
                .iter()
                .all(|l| width(l) <= 5)
        );
    }
}
