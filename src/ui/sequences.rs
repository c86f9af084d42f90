//! The sequences screen's drawing: the sequence index plot (a row per journey, a cell per
//! step coloured by state, rows grouped by cluster with the medoid marked `★`), the legend of
//! states, and the cluster-quality table (ASW, PBC, HG, R² per k, the chosen k marked).
//!
//! A pure widget over plain data ([`SequencesView`]): it computes nothing, reads no file and
//! keeps no state; the caller (the app, once the screen is wired) fills the view from
//! [`crate::analysis::sequence`] and keeps the selection. Every id and state label goes
//! through [`inert`]. Without colour (`NO_COLOR`) a cell shows its state's initial instead.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

use super::text::{inert, truncate, width};
use crate::analysis::sequence::cluster::Quality;

/// One row of the index plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    /// The cluster, from 0, when the rows are grouped.
    pub cluster: Option<usize>,
    /// The journey's states, indices into the alphabet.
    pub states: Vec<u32>,
    pub medoid: bool,
}

/// Everything the screen draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SequencesView {
    /// Rows in display order (by cluster, then distance to the medoid).
    pub rows: Vec<Row>,
    pub alphabet: Vec<String>,
    /// `(k, quality)` for each k tried.
    pub table: Vec<(usize, Quality)>,
    /// The k shown.
    pub k: usize,
    /// The selected (row, step), highlighted.
    pub selected: Option<(usize, usize)>,
    /// The first row shown (scrolling).
    pub offset: usize,
    pub no_color: bool,
}

/// The colour of a state: step kinds keep one colour each; other states cycle a palette.
pub fn state_color(label: &str, index: usize) -> Color {
    const PALETTE: [Color; 10] = [
        Color::Cyan,
        Color::Yellow,
        Color::LightMagenta,
        Color::LightRed,
        Color::LightCyan,
        Color::LightYellow,
        Color::Blue,
        Color::Magenta,
        Color::Green,
        Color::Red,
    ];
    match label.split('|').next().unwrap_or(label) {
        "Advance" => Color::Green,
        "Arrive" => Color::LightGreen,
        "Detour" => Color::LightBlue,
        "Wander" => Color::Blue,
        "Retreat" => Color::Red,
        "Stall" => Color::Gray,
        "Blocked" => Color::Yellow,
        "Circle" => Color::Magenta,
        _ => PALETTE[index % PALETTE.len()],
    }
}

/// Width of the quality table at the right.
const TABLE: u16 = 34;
/// Width of the id column.
const IDS: usize = 12;

fn put(buf: &mut Buffer, x: u16, y: u16, s: &str, max: usize, style: Style) {
    let s = truncate(s, max);
    buf.set_stringn(x, y, s.as_ref(), max, style);
}

impl SequencesView {
    /// The screen lines of the index plot: a cluster header or a row index, in order.
    fn lines(&self) -> Vec<Option<usize>> {
        let mut out = Vec::new();
        let mut current = None;
        for (i, r) in self.rows.iter().enumerate() {
            if r.cluster.is_some() && r.cluster != current {
                current = r.cluster;
                out.push(None);
            }
            out.push(Some(i));
        }
        out
    }

    /// The (row, step) under a screen position inside `area`, for the mouse.
    pub fn hit(&self, area: Rect, x: u16, y: u16) -> Option<(usize, usize)> {
        let plot = self.plot_area(area);
        if y < plot.y || y >= plot.bottom() || x < plot.x + IDS as u16 + 1 || x >= plot.right() {
            return None;
        }
        let line = self.offset + (y - plot.y) as usize;
        let row = (*self.lines().get(line)?)?;
        let t = (x - plot.x) as usize - IDS - 1;
        (t < self.rows[row].states.len()).then_some((row, t))
    }

    fn plot_area(&self, area: Rect) -> Rect {
        let legend = 1;
        let w = if area.width >= 60 {
            area.width - TABLE - 1
        } else {
            area.width
        };
        let h = if area.width >= 60 {
            area.height.saturating_sub(legend)
        } else {
            area.height
                .saturating_sub(legend + self.table.len() as u16 + 1)
        };
        Rect::new(area.x, area.y, w, h)
    }
}

impl Widget for &SequencesView {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let plot = self.plot_area(area);
        let lines = self.lines();
        let mut cluster_of_header = None;
        for (n, line) in lines.iter().enumerate() {
            // Find the cluster a header line introduces (the next row's).
            if line.is_none() {
                cluster_of_header = lines[n + 1..]
                    .iter()
                    .flatten()
                    .next()
                    .and_then(|&r| self.rows[r].cluster);
            }
            if n < self.offset {
                continue;
            }
            let y = plot.y + (n - self.offset) as u16;
            if y >= plot.bottom() {
                break;
            }
            match line {
                None => {
                    let c = cluster_of_header.unwrap_or(0);
                    let size = self.rows.iter().filter(|r| r.cluster == Some(c)).count();
                    let text = format!("── cluster {} ({size}) ", c + 1);
                    let style = Style::default().add_modifier(Modifier::BOLD);
                    put(buf, plot.x, y, &text, plot.width as usize, style);
                }
                Some(r) => {
                    let row = &self.rows[*r];
                    let id = if row.medoid {
                        format!("★{}", inert(&row.id))
                    } else {
                        inert(&row.id).into_owned()
                    };
                    put(buf, plot.x, y, &id, IDS, Style::default());
                    let x0 = plot.x + IDS as u16 + 1;
                    for (t, &s) in row.states.iter().enumerate() {
                        let x = x0 + t as u16;
                        if x >= plot.right() {
                            break;
                        }
                        let label = self.alphabet.get(s as usize).map_or("?", String::as_str);
                        let mut style = Style::default();
                        let symbol = if self.no_color {
                            inert(label).chars().next().unwrap_or('?').to_string()
                        } else {
                            style = style.fg(state_color(label, s as usize));
                            "█".to_string()
                        };
                        if self.selected == Some((*r, t)) {
                            style = style.add_modifier(Modifier::REVERSED);
                        }
                        buf.set_string(x, y, symbol, style);
                    }
                }
            }
        }
        // The legend under the plot.
        let mut x = plot.x;
        let y = plot.bottom();
        if y < area.bottom() {
            for (i, s) in self.alphabet.iter().enumerate() {
                let label = inert(s);
                let need = width(&label) as u16 + 3;
                if x + need > plot.right() {
                    break;
                }
                let (mark, style) = if self.no_color {
                    (
                        label.chars().next().unwrap_or('?').to_string(),
                        Style::default(),
                    )
                } else {
                    ("█".to_string(), Style::default().fg(state_color(s, i)))
                };
                buf.set_string(x, y, mark, style);
                buf.set_string(x + 2, y, label.as_ref(), Style::default());
                x += need;
            }
        }
        // The quality table: at the right, or under the legend on a narrow terminal.
        let (tx, ty) = if area.width >= 60 {
            (plot.right() + 1, area.y)
        } else {
            (area.x, y + 1)
        };
        let tw = (area.right().saturating_sub(tx)) as usize;
        if ty < area.bottom() {
            let bold = Style::default().add_modifier(Modifier::BOLD);
            put(buf, tx, ty, "  k   ASW   PBC    HG    R²", tw, bold);
        }
        for (n, (k, q)) in self.table.iter().enumerate() {
            let y = ty + 1 + n as u16;
            if y >= area.bottom() {
                break;
            }
            let mark = if *k == self.k { "▶" } else { " " };
            let text = format!(
                "{mark}{k:>2} {:>5.2} {:>5.2} {:>5.2} {:>5.2}",
                q.asw, q.pbc, q.hg, q.r2
            );
            let style = if *k == self.k {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            put(buf, tx, y, &text, tw, style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> SequencesView {
        let q = |asw| Quality {
            asw,
            pbc: 0.5,
            hg: 0.75,
            r2: 0.25,
        };
        SequencesView {
            rows: vec![
                Row {
                    id: "g01".into(),
                    cluster: Some(0),
                    states: vec![0, 1, 0],
                    medoid: true,
                },
                Row {
                    id: "g02".into(),
                    cluster: Some(0),
                    states: vec![0, 0],
                    medoid: false,
                },
                Row {
                    id: "g05\u{1b}[31m".into(),
                    cluster: Some(1),
                    states: vec![2],
                    medoid: true,
                },
            ],
            alphabet: vec!["Advance".into(), "Stall".into(), "Blocked".into()],
            table: vec![(2, q(0.61)), (3, q(0.4))],
            k: 2,
            selected: Some((0, 1)),
            offset: 0,
            no_color: false,
        }
    }

    fn row_text(buf: &Buffer, y: u16, from: u16, to: u16) -> String {
        (from..to).map(|x| buf[(x, y)].symbol()).collect()
    }

    #[test]
    fn draws_clusters_rows_cells_and_the_quality_table() {
        let v = view();
        let area = Rect::new(0, 0, 80, 10);
        let mut buf = Buffer::empty(area);
        (&v).render(area, &mut buf);
        // Line 0: cluster 1's header; 1–2: its rows; 3: cluster 2's header; 4: its row.
        assert!(row_text(&buf, 0, 0, 20).starts_with("── cluster 1 (2)"));
        assert!(row_text(&buf, 1, 0, 12).starts_with("★g01"));
        assert!(row_text(&buf, 3, 0, 20).starts_with("── cluster 2 (1)"));
        // The escape in an id is neutralised, never reaching the terminal.
        let id = row_text(&buf, 4, 0, 12);
        assert!(id.starts_with("★g05␛"), "{id}");
        // g01's cells: Advance (green), Stall (grey, selected), Advance.
        let x0 = IDS as u16 + 1;
        assert_eq!(buf[(x0, 1)].symbol(), "█");
        assert_eq!(buf[(x0, 1)].fg, Color::Green);
        assert_eq!(buf[(x0 + 1, 1)].fg, Color::Gray);
        assert!(buf[(x0 + 1, 1)].modifier.contains(Modifier::REVERSED));
        assert_eq!(buf[(x0 + 3, 1)].symbol(), " ", "g01 has three steps");
        assert_eq!(buf[(x0, 4)].fg, Color::Yellow, "Blocked");
        // The quality table at the right, the chosen k marked.
        let tx = 80 - TABLE;
        assert!(row_text(&buf, 0, tx, 80).contains("ASW"));
        assert!(row_text(&buf, 1, tx, 80).starts_with("▶ 2  0.61  0.50  0.75  0.25"));
        assert!(row_text(&buf, 2, tx, 80).starts_with("  3  0.40"));
        // The legend on the last line.
        assert!(row_text(&buf, 9, 0, 40).contains("Advance"));
    }

    #[test]
    fn without_colour_cells_show_initials_and_hit_finds_them() {
        let mut v = view();
        v.no_color = true;
        let area = Rect::new(0, 0, 80, 10);
        let mut buf = Buffer::empty(area);
        (&v).render(area, &mut buf);
        let x0 = IDS as u16 + 1;
        assert_eq!(row_text(&buf, 1, x0, x0 + 3), "ASA");
        assert_eq!(v.hit(area, x0 + 2, 1), Some((0, 2)));
        assert_eq!(v.hit(area, x0 + 2, 2), None, "g02 has two steps");
        assert_eq!(v.hit(area, x0, 0), None, "a cluster header");
    }
}
