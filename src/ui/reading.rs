//! Draws the reading view of a source: its wrapped lines from the first in view, the page and
//! section in the margin where they change, cited passages, candidate passages from an
//! imported project, search hits and the selection marked in the text and in a gutter.
//!
//! A pure function of the [`Reading`] and the marks it is given; it computes no layout of its
//! own (the lines are the reading view's), so a click can be mapped back with
//! [`Reading::position_at`]. Marks show by a symbol in the gutter and by underline, not by
//! colour alone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use crate::app::reading::Reading;
use crate::ui::text::{inert, truncate, width};
use crate::ui::theme::Look;

/// What a stretch of the text is, in the order a letter under several shows them (the first
/// wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// Being selected.
    Selection,
    /// Found by the search.
    Hit,
    /// Cited as evidence by a step.
    Cited,
    /// A coded segment from an imported project, not yet evidence.
    Candidate,
}

impl MarkKind {
    /// The gutter's symbol for a line that holds a mark of this kind.
    pub fn gutter(self, ascii: bool) -> &'static str {
        match (self, ascii) {
            (MarkKind::Selection, false) => "▶",
            (MarkKind::Selection, true) => ">",
            (MarkKind::Hit, _) => "/",
            (MarkKind::Cited, false) => "▍",
            (MarkKind::Cited, true) => "|",
            (MarkKind::Candidate, false) => "┆",
            (MarkKind::Candidate, true) => ":",
        }
    }
}

/// A marked stretch of the text, in code points (half-open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub kind: MarkKind,
}

/// How wide the margin for page and section is, at most.
pub const MARGIN: u16 = 14;

/// Draws the reading view into `area` of `buf`: a margin of `margin_width` columns (the label
/// `margin(line_start)` returns, shown where it differs from the line above), a gutter column,
/// and the text. Returns the rectangle the text itself is in, for hit-testing clicks.
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    reading: &Reading,
    marks: &[Mark],
    margin: &dyn Fn(usize) -> String,
    margin_width: u16,
    look: &Look,
) -> Rect {
    let margin_width = margin_width.min(area.width / 3);
    let text_x = area.x + margin_width + 1;
    let text_area = Rect {
        x: text_x,
        y: area.y,
        width: area.width.saturating_sub(margin_width + 1),
        height: area.height,
    };
    let mut previous = reading
        .top
        .checked_sub(1)
        .and_then(|i| reading.lines().get(i))
        .map(|l| margin(l.start));
    let selection = reading.selection();
    for (row, line) in reading
        .lines()
        .iter()
        .skip(reading.top)
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + row as u16;
        let label = margin(line.start);
        if previous.as_ref() != Some(&label) && margin_width > 1 {
            let shown = truncate(&label, margin_width as usize - 1);
            buf.set_string(area.x, y, inert(&shown), look.dim());
        }
        previous = Some(label);
        // The strongest mark on the line goes in the gutter.
        let on_line = |m: &Mark| m.start < line.end.max(line.start + 1) && m.end > line.start;
        let strongest = marks
            .iter()
            .filter(|m| on_line(m))
            .map(|m| m.kind)
            .chain(
                selection
                    .filter(|&(s, e)| s < line.end.max(line.start + 1) && e > line.start)
                    .map(|_| MarkKind::Selection),
            )
            .min();
        if let Some(kind) = strongest {
            buf.set_string(
                area.x + margin_width,
                y,
                kind.gutter(look.ascii),
                style_of(kind, look),
            );
        }
        let mut x = text_x;
        for pos in line.start..line.end {
            let letter = reading.slice(pos, pos + 1);
            let shown = inert(&letter);
            let w = width(&shown) as u16;
            if x + w > text_area.x + text_area.width {
                break;
            }
            let mut style = look.text();
            let kind = marks
                .iter()
                .filter(|m| m.start <= pos && pos < m.end)
                .map(|m| m.kind)
                .chain(
                    selection
                        .filter(|&(s, e)| s <= pos && pos < e)
                        .map(|_| MarkKind::Selection),
                )
                .min();
            if let Some(kind) = kind {
                style = style.patch(style_of(kind, look));
            }
            if pos == reading.cursor {
                style = style.add_modifier(Modifier::REVERSED | Modifier::UNDERLINED);
            }
            buf.set_string(x, y, &shown, style);
            x += w;
        }
        // The cursor on an empty line, or at a line's end, still shows.
        if reading.cursor == line.end && line.start == line.end && x < text_area.x + text_area.width
        {
            buf.set_string(
                x,
                y,
                " ",
                look.text()
                    .add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
            );
        }
    }
    text_area
}

fn style_of(kind: MarkKind, look: &Look) -> Style {
    match kind {
        MarkKind::Selection => look.selected(),
        MarkKind::Hit => look.warning().add_modifier(Modifier::UNDERLINED),
        MarkKind::Cited => look.accent().add_modifier(Modifier::UNDERLINED),
        MarkKind::Candidate => look.dim().add_modifier(Modifier::ITALIC),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn the_margin_names_a_page_once_and_the_gutter_marks_cited_lines() {
        let text = "Først kom vi.\nSå gikk det sakte.\nTil slutt stoppet det.";
        let mut r = Reading::new(text, 23);
        r.go(14);
        let area = Rect::new(0, 0, 30, 3);
        let mut buf = Buffer::empty(area);
        // Page 2 starts at "Til" (33).
        let margin = |pos: usize| {
            if pos < 33 {
                "p. 1".into()
            } else {
                "p. 2".into()
            }
        };
        let cited = [Mark {
            start: 14,
            end: 18,
            kind: MarkKind::Cited,
        }];
        let text_area = draw(&mut buf, area, &r, &cited, &margin, 6, &Look::default());
        let lines = rows(&buf);
        assert_eq!(lines[0], "p. 1   Først kom vi.          ");
        // The second line is on the same page: no label; the gutter marks the citation.
        assert_eq!(lines[1], "      ▍Så gikk det sakte.     ");
        assert_eq!(lines[2], "p. 2   Til slutt stoppet det. ");
        assert_eq!(text_area, Rect::new(7, 0, 23, 3));
        // The cited letters are underlined; the cursor (on "S") is reversed too.
        assert!(buf[(7, 1)].modifier.contains(Modifier::UNDERLINED));
        assert!(buf[(7, 1)].modifier.contains(Modifier::REVERSED));
        assert!(!buf[(12, 1)].modifier.contains(Modifier::UNDERLINED));
    }

    #[test]
    fn a_selection_outranks_a_citation_and_control_characters_are_inert() {
        let mut r = Reading::new("a\u{1b}b cd", 20);
        r.anchor = Some(0);
        r.go(2);
        let area = Rect::new(0, 0, 10, 1);
        let mut buf = Buffer::empty(area);
        let cited = [Mark {
            start: 0,
            end: 5,
            kind: MarkKind::Cited,
        }];
        draw(
            &mut buf,
            area,
            &r,
            &cited,
            &|_| String::new(),
            0,
            &Look::default(),
        );
        assert_eq!(rows(&buf)[0], "▶a␛b cd   ");
    }
}
