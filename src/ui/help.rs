//! The help overlay and the key bar, both built from the keymap's descriptions, and the
//! problems overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::keymap::{Binding, Context, keys_label};
use crate::app::state::App;
use crate::ui::text::{inert, truncate, width};

/// The key bar: the keys that work in the current context, as "key what". The global keys
/// (help, quit) keep their place at the end however narrow the terminal, so the way to the
/// help screen is always in view; the context's own keys fill what room is left.
pub fn draw_key_bar(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let item_width = |b: &Binding| width(&keys_label(b)) + 1 + width(&b.desc) + 2;
    let (global, own): (Vec<&Binding>, Vec<&Binding>) = app
        .keymap
        .bar(app.context())
        .into_iter()
        .partition(|b| b.context == Context::Global);
    let reserved: usize = global.iter().map(|b| item_width(b)).sum();
    let mut room = usize::from(area.width).saturating_sub(reserved);
    let mut shown: Vec<&Binding> = Vec::new();
    for b in own {
        let w = item_width(b);
        if w > room {
            break;
        }
        room -= w;
        shown.push(b);
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for b in shown.into_iter().chain(global) {
        let w = item_width(b);
        if used + w > usize::from(area.width) {
            break;
        }
        used += w;
        spans.push(Span::styled(keys_label(b), look.key()));
        spans.push(Span::raw(format!(" {}  ", b.desc)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(r);
    r
}

/// The help overlay: every binding, by context, in the keymap's words.
pub fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let mut lines = vec![
        Line::styled(
            "terreng — walk journeys across their landscape",
            look.title(),
        ),
        Line::raw(""),
    ];
    // The keys of the screen the help was opened from come first.
    let here = match app.screen_context() {
        Context::FilterInput | Context::CommandLine => Context::Atlas,
        c => c,
    };
    let mut order = vec![here];
    order.extend(
        [
            Context::Global,
            Context::Atlas,
            Context::Journey,
            Context::Compare,
            Context::Terrain,
            Context::Agreement,
            Context::Sequences,
            Context::FilterInput,
            Context::CommandLine,
        ]
        .into_iter()
        .filter(|c| *c != here),
    );
    for ctx in order {
        lines.push(Line::styled(ctx.title(), look.accent()));
        for b in app.keymap.in_context(ctx) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", keys_label(b)), look.key()),
                Span::raw(b.desc.as_str()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Commands (after :)", look.accent()));
    for (cmd, what) in crate::app::command::SUMMARY {
        lines.push(Line::from(vec![
            Span::styled(format!("  {cmd:<23}"), look.key()),
            Span::raw(what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Mouse", look.accent()));
    lines.push(Line::raw(
        "  click a journey, a step on the map or in the strip to select it;",
    ));
    lines.push(Line::raw("  the wheel scrolls the step detail."));
    let total = lines.len() as u16;
    let h = total.saturating_add(2).min(area.height);
    let popup = centred(area, 64, h);
    let visible = h.saturating_sub(2);
    let scroll = app.help.scroll.min(total.saturating_sub(visible));
    let title = if total > visible {
        " Help — ↑/↓ scroll · Esc closes "
    } else {
        " Help — Esc closes "
    };
    frame.render_widget(Clear, popup);
    let block = look.block(true).title(title);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}

/// The problems found while loading, one per line.
pub fn draw_problems(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let popup = centred(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let inner_w = usize::from(popup.width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    if app.session.data.problems.is_empty() {
        lines.push(Line::raw("No problems: every file loaded cleanly."));
    }
    for p in &app.session.data.problems {
        let text = inert(&p.to_string()).into_owned();
        lines.push(Line::styled(
            truncate(&text, inner_w).into_owned(),
            look.warning(),
        ));
    }
    frame.render_widget(Clear, popup);
    let title = format!(
        " {} problem{} while loading {} — Esc closes ",
        app.session.data.problems.len(),
        if app.session.data.problems.len() == 1 {
            ""
        } else {
            "s"
        },
        inert(&app.session.data.source.describe())
    );
    let block = look.block(true).title(title);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((app.help.scroll, 0)),
        popup,
    );
}
