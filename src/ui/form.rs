//! Draws a form ([`crate::app::form::Form`]) as a box over the screen: each field's label, its
//! value (the text area itself for the field that takes the keys), a hint under it, the
//! option's explanation for a choice, why a submit failed, and the keys.
//!
//! A pure function of the form; every string from a file goes through `inert`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::form::{FieldKind, Form};
use crate::ui::text::{inert, truncate};
use crate::ui::theme::Look;

/// Rows a multi-line field takes.
const TEXT_ROWS: u16 = 4;

/// Rows a field takes: its label, its value, its hint.
fn rows_of(kind: &FieldKind) -> u16 {
    match kind {
        FieldKind::Text => TEXT_ROWS + 2,
        _ => 3,
    }
}

/// Draws `form` centred in `area`; a form taller than the area scrolls to keep the field that
/// takes the keys in view.
pub fn draw(frame: &mut Frame, area: Rect, form: &Form, look: &Look) {
    let rows: u16 = form.fields.iter().map(|f| rows_of(&f.kind)).sum::<u16>() + 4;
    let width = area.width.saturating_sub(4).min(90);
    let height = rows.min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    // The first field drawn: as many before the focused one as fit.
    let room = height.saturating_sub(4);
    let focus = form.focus.min(form.fields.len().saturating_sub(1));
    let mut first = focus;
    let mut used = form.fields.get(focus).map_or(0, |f| rows_of(&f.kind));
    while first > 0 && used + rows_of(&form.fields[first - 1].kind) <= room {
        first -= 1;
        used += rows_of(&form.fields[first].kind);
    }
    let title = if rows > height {
        format!(
            " {} · field {} of {} ",
            inert(&form.title),
            focus + 1,
            form.fields.len()
        )
    } else {
        format!(" {} ", inert(&form.title))
    };
    let block = look
        .block(true)
        .title(truncate(&title, usize::from(width.saturating_sub(2))).into_owned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let w = usize::from(inner.width);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        if y + 2 > bottom.saturating_sub(2) {
            break;
        }
        let focused = i == form.focus;
        let marker = if focused { "▶ " } else { "  " };
        let mut label_style = look.title();
        if focused {
            label_style = label_style.add_modifier(Modifier::UNDERLINED);
        }
        let required = if field.required { " *" } else { "" };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(marker, look.accent()),
                Span::styled(format!("{}{required}", field.label), label_style),
            ])),
            Rect::new(inner.x, y, inner.width, 1),
        );
        y += 1;
        let value_rows = match field.kind {
            FieldKind::Text => TEXT_ROWS.min(bottom.saturating_sub(y + 3)).max(1),
            _ => 1,
        };
        let value_area = Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), value_rows);
        match &field.kind {
            FieldKind::Choice(choices) => {
                let chosen = choices.get(field.chosen);
                let (label, help) = chosen
                    .map(|c| (c.label.as_str(), c.help.as_str()))
                    .unwrap_or(("", ""));
                let line = Line::from(vec![
                    Span::styled(if focused { "‹ " } else { "  " }, look.dim()),
                    Span::styled(inert(label).into_owned(), look.text()),
                    Span::styled(if focused { " ›  " } else { "    " }, look.dim()),
                    Span::styled(inert(help).into_owned(), look.dim()),
                ]);
                frame.render_widget(Paragraph::new(line), value_area);
            }
            FieldKind::Codes => {
                let value = field.value();
                let shown = if value.is_empty() {
                    "none yet".to_string()
                } else {
                    value
                };
                let line = Line::from(vec![
                    Span::styled(if focused { "[ " } else { "  " }, look.dim()),
                    Span::styled(
                        truncate(&inert(&shown), w.saturating_sub(6)).into_owned(),
                        look.text(),
                    ),
                    Span::styled(if focused { " ]" } else { "" }, look.dim()),
                ]);
                frame.render_widget(Paragraph::new(line), value_area);
            }
            _ if focused => frame.render_widget(&field.text, value_area),
            _ => {
                let lines: Vec<Line> = field
                    .text
                    .lines()
                    .iter()
                    .take(usize::from(value_rows))
                    .map(|l| {
                        Line::styled(
                            truncate(&inert(l), w.saturating_sub(2)).into_owned(),
                            look.text(),
                        )
                    })
                    .collect();
                frame.render_widget(Paragraph::new(lines), value_area);
            }
        }
        y += value_rows;
        if !field.hint.is_empty() && y < bottom {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    truncate(&inert(&field.hint), w.saturating_sub(2)).into_owned(),
                    look.dim(),
                )),
                Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), 1),
            );
        }
        y += 1;
    }
    let keys = match form.focused().map(|f| &f.kind) {
        Some(FieldKind::Codes) => {
            "Enter or type: choose codes · Backspace takes one off · Tab next · Ctrl-S save"
        }
        Some(FieldKind::Choice(_)) => {
            "←/→ or a letter choose · Tab next · Ctrl-S save · Esc cancel"
        }
        Some(FieldKind::Text) => "Enter new line · Tab next · Ctrl-S save · Esc cancel",
        _ => "Enter or Tab next · Shift-Tab back · Ctrl-S save · Esc cancel",
    };
    if inner.height >= 2 {
        let last = Rect::new(inner.x, bottom - 1, inner.width, 1);
        let line = match &form.error {
            Some(e) => Line::styled(truncate(&inert(e), w).into_owned(), look.warning()),
            None => Line::styled(truncate(keys, w).into_owned(), look.dim()),
        };
        frame.render_widget(Paragraph::new(line), last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::form::step_form;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn shown(form: &Form, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
        t.draw(|f| draw(f, f.area(), form, &Look::default()))
            .expect("a frame");
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
            .collect()
    }

    #[test]
    fn the_step_form_shows_every_field_the_kind_explained_and_the_keys() {
        let mut form = step_form("New step · g06 after s04", "vi møttes");
        form.set("title", "Møtet");
        let screen = shown(&form, 80, 24);
        assert!(screen.contains("New step · g06 after s04"), "{screen}");
        assert!(screen.contains("▶ Kind"), "{screen}");
        assert!(
            screen.contains("‹ Advance ›  moving toward the goal"),
            "{screen}"
        );
        assert!(screen.contains("Title *"), "{screen}");
        assert!(screen.contains("Møtet"), "{screen}");
        assert!(
            screen.contains("of «vi møttes» — empty: translation pending"),
            "{screen}"
        );
        assert!(screen.contains("Ctrl-S save"), "{screen}");
        // Nothing breaks on a tiny terminal.
        let _ = shown(&form, 3, 2);
    }

    #[test]
    fn a_tall_form_scrolls_to_the_field_that_takes_the_keys() {
        let step = crate::model::edit::new_step("s01".into(), crate::model::StepKind::Stall, "");
        let mut form = crate::app::step_form::step_edit_form(
            "Edit step",
            &step,
            &crate::model::Provenance::Documented,
        );
        let top = shown(&form, 80, 21);
        assert!(top.contains("▶ Title *"), "{top}");
        assert!(!top.contains("Partial arrival"), "{top}");
        while form.focused().map(|f| f.name) != Some("partial") {
            form.move_focus(true);
        }
        let end = shown(&form, 80, 21);
        assert!(end.contains("▶ Partial arrival"), "{end}");
        assert!(end.contains("‹ no ›"), "{end}");
        assert!(!end.contains("Title *"), "{end}");
        assert!(end.contains(" of 13 "), "{end}");
    }
}
