//! A question over the screen (see [`crate::app::editing::Confirm`]): what is asked, what it
//! changes, and what `y` and `n` do, in words. A pure function of the question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::app::state::App;
use crate::ui::help::centred;
use crate::ui::text::{inert, truncate, wrap};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let Some(c) = &app.confirm else {
        return;
    };
    let width = area.width.saturating_sub(4).min(76);
    let inner_w = usize::from(width.saturating_sub(2)).max(1);
    let body: usize = c.lines.iter().map(|l| wrap(l, inner_w).len().max(1)).sum();
    let height = (body as u16 + 4).min(area.height);
    let popup = centred(area, width, height);
    frame.render_widget(Clear, popup);
    let block = look
        .block(true)
        .title(truncate(&format!(" {} ", inert(&c.title)), inner_w).into_owned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .map(|l| Line::styled(inert(l).into_owned(), look.text()))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("y", look.key()),
        Span::raw(format!(" {}   ", c.yes)),
        Span::styled("n", look.key()),
        Span::raw("/"),
        Span::styled("Esc", look.key()),
        Span::raw(format!(" {}", c.no)),
    ]));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
