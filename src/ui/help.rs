//! The help overlay and the key bar, both built from the keymap's descriptions, and the
//! problems overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::keymap::{Binding, Context, Key, keys_label};
use crate::app::state::App;
use crate::ui::text::{inert, width};

/// The key bar: the keys that work in the current context, as "key what". The global keys
/// (help, quit) keep their place at the end however narrow the terminal, so the way to the
/// help screen is always in view; the context's own keys fill what room is left. Where a key's
/// meaning depends on the state (the picker while a search is typed, the pane in focus, the
/// orphan selected), the bar says what it does now ([`bar_items`]).
pub fn draw_key_bar(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let item_width = |b: &BarItem| width(&b.keys) + 1 + width(&b.words) + 2;
    let (global, own): (Vec<BarItem>, Vec<BarItem>) =
        bar_items(app).into_iter().partition(|b| b.global);
    let reserved: usize = global.iter().map(item_width).sum();
    let mut room = usize::from(area.width).saturating_sub(reserved);
    let mut shown: Vec<BarItem> = Vec::new();
    for b in own {
        let w = item_width(&b);
        if w > room {
            break;
        }
        room -= w;
        shown.push(b);
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for b in shown.into_iter().chain(global) {
        let w = item_width(&b);
        if used + w > usize::from(area.width) {
            break;
        }
        used += w;
        spans.push(Span::styled(b.keys, look.key()));
        spans.push(Span::raw(format!(" {}  ", b.words)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// One item of the key bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarItem {
    /// The keys as shown: "←/h".
    pub keys: String,
    /// What they do now.
    pub words: String,
    /// A key of every screen (help, quit), kept in view however narrow the bar.
    pub global: bool,
    /// The first of the keys, to press it.
    pub key: Option<Key>,
}

impl BarItem {
    fn new(keys: String, words: impl Into<String>, global: bool, key: Option<Key>) -> BarItem {
        BarItem {
            keys,
            words: words.into(),
            global,
            key,
        }
    }
}

/// What the key bar shows now, in the keymap's order and words, but for keys whose meaning
/// depends on the state.
pub fn bar_items(app: &App) -> Vec<BarItem> {
    let context = app.context();
    let mut items = Vec::new();
    let journey = context == Context::Journey;
    if journey {
        scroll_item(app, &mut items);
    }
    let bar = app.keymap.bar(context);
    let (global, own): (Vec<&Binding>, Vec<&Binding>) =
        bar.into_iter().partition(|b| b.context == Context::Global);
    for b in own {
        if let Some(desc) = words_now(app, context, b) {
            items.push(BarItem::new(
                keys_label(b),
                desc,
                false,
                b.keys.first().copied(),
            ));
        }
    }
    if journey {
        tab_item(app, &mut items);
    }
    for b in global {
        if let Some(desc) = words_now(app, context, b) {
            items.push(BarItem::new(
                keys_label(b),
                desc,
                true,
                b.keys.first().copied(),
            ));
        }
    }
    items
}

/// The first key of an action in a context.
fn first_key(app: &App, ctx: Context, action: crate::app::action::Action) -> Option<Key> {
    app.keymap
        .in_context(ctx)
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first())
        .copied()
}

/// On the journey screen, first what differs by pane: ↑/↓ scroll the step's detail when it
/// has focus (in the map and the strip they step, as ←/→ do).
fn scroll_item(app: &App, items: &mut Vec<BarItem>) {
    use crate::app::action::Action;
    if app.journey.focus == crate::app::state::Focus::Detail
        && let (Some(down), Some(up)) = (
            first_key(app, Context::Journey, Action::Down),
            first_key(app, Context::Journey, Action::Up),
        )
    {
        let keys = format!("{}/{}", down.label(), up.label());
        items.push(BarItem::new(keys, "scroll the step", false, Some(down)));
    }
}

/// Where Tab moves the focus next on the journey screen.
fn tab_item(app: &App, items: &mut Vec<BarItem>) {
    use crate::app::state::Focus;
    if let Some(tab) = first_key(app, Context::Global, crate::app::action::Action::FocusNext) {
        let next = match app.journey.focus.next() {
            Focus::Map => "to the map",
            Focus::Strip => "to the steps",
            Focus::Detail => "to the step detail",
        };
        items.push(BarItem::new(tab.label(), next, false, Some(tab)));
    }
}

/// Whether the note selected in the orphans panel waits for its journey's file.
fn orphan_waits(app: &App) -> bool {
    let Some(n) = &app.session.notes else {
        return false;
    };
    let orphans = app.orphans();
    orphans
        .get(n.orphan_cursor.min(orphans.len().saturating_sub(1)))
        .is_some_and(|o| o.waiting.is_some())
}

/// A binding's words as they hold now, or `None` when the key does nothing now.
fn words_now(app: &App, context: Context, b: &Binding) -> Option<String> {
    use crate::app::action::Action;
    let searching = app.editor.as_ref().is_some_and(|e| e.searching());
    let words = match (context, &b.action) {
        (Context::Picker, Action::Confirm) if searching => "choose the code found",
        (Context::Picker, Action::Confirm) => "save",
        (Context::Picker, Action::ToggleCode) if searching => "a space in the search",
        (Context::Picker, Action::ToggleCode) => "choose / unchoose",
        // A note waiting for its journey's file: nothing is done to it.
        (Context::Orphans, Action::Open | Action::DeleteNote) if orphan_waits(app) => {
            return None;
        }
        (Context::Orphans, Action::DeleteNote) => "delete",
        _ => return Some(b.desc.clone()),
    };
    Some(words.to_string())
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

/// The help's lines: every binding, by context, in the keymap's words.
fn help_lines(app: &App) -> Vec<Line<'static>> {
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
    // Every context's keys, but the quit question's, which says its own keys when it asks.
    order.extend(
        Context::ALL
            .into_iter()
            .filter(|c| *c != Context::ConfirmQuit)
            .filter(|c| *c != here),
    );
    for ctx in order {
        lines.push(Line::styled(ctx.title(), look.accent()));
        for b in app.keymap.in_context(ctx) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", keys_label(b)), look.key()),
                Span::raw(b.desc.clone()),
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
    lines
}

/// The help's width.
const HELP_W: u16 = 70;

/// Where the help or the problems are drawn in a body, with how many lines they have.
fn overlay_layout(app: &App, body: Rect) -> (Rect, Vec<Line<'static>>) {
    if app.overlay == crate::app::state::Overlay::Problems {
        let popup = centred(
            body,
            body.width.saturating_sub(4),
            body.height.saturating_sub(2),
        );
        let lines = problem_lines(app, usize::from(popup.width.saturating_sub(2)));
        return (popup, lines);
    }
    let lines = help_lines(app);
    let h = (lines.len() as u16).saturating_add(2).min(body.height);
    (centred(body, HELP_W, h), lines)
}

/// How far the help (or the problems) can scroll in the last known frame: its lines less the
/// rows it shows. For `update`, so that End and PgDn stop where the text ends.
pub fn overlay_scroll_max(app: &App) -> u16 {
    let Some(body) = crate::ui::body_area(app) else {
        return u16::MAX;
    };
    let (popup, lines) = overlay_layout(app, body);
    (lines.len() as u16).saturating_sub(popup.height.saturating_sub(2))
}

/// The rows a page of the help (or the problems) scrolls in the last known frame.
pub fn overlay_page(app: &App) -> u16 {
    crate::ui::body_area(app).map_or(10, |body| {
        overlay_layout(app, body).0.height.saturating_sub(3).max(1)
    })
}

/// " 12–40 of 96 " when the text does not fit.
fn position(scroll: u16, shown: u16, total: u16) -> String {
    if total <= shown {
        return String::new();
    }
    format!(
        " · lines {}–{} of {total}",
        scroll + 1,
        (scroll + shown).min(total)
    )
}

/// The help overlay: every binding, by context, in the keymap's words.
pub fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let (popup, lines) = overlay_layout(app, area);
    let total = lines.len() as u16;
    let visible = popup.height.saturating_sub(2);
    let scroll = app.help.scroll.min(total.saturating_sub(visible));
    let title = if total > visible {
        format!(
            " Help{} — Space PgUp g G · Esc closes ",
            position(scroll, visible, total)
        )
    } else {
        " Help — Esc closes ".to_string()
    };
    frame.render_widget(Clear, popup);
    let block = look.block(true).title(title);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}

/// The problems found while loading, each wrapped to the width, so that the suggestion at
/// the end of a long one is read too.
fn problem_lines(app: &App, inner_w: usize) -> Vec<Line<'static>> {
    let look = &app.look;
    let mut lines: Vec<Line> = Vec::new();
    if app.session.data.problems.is_empty() {
        lines.push(Line::raw("No problems: every file loaded cleanly."));
    }
    for p in &app.session.data.problems {
        let text = inert(&p.to_string()).into_owned();
        for (k, l) in crate::ui::text::wrap(&text, inner_w.saturating_sub(2).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if k == 0 { "• " } else { "  " };
            lines.push(Line::styled(format!("{lead}{l}"), look.warning()));
        }
    }
    lines
}

/// The problems found while loading.
pub fn draw_problems(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let (popup, lines) = overlay_layout(app, area);
    let total = lines.len() as u16;
    let visible = popup.height.saturating_sub(2);
    let scroll = app.help.scroll.min(total.saturating_sub(visible));
    frame.render_widget(Clear, popup);
    let n = app.session.data.problems.len();
    let title = format!(
        " {n} problem{} while loading {}{} — Esc closes ",
        if n == 1 { "" } else { "s" },
        inert(&app.session.data.source.describe()),
        position(scroll, visible, total)
    );
    let block = look.block(true).title(title);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{self, DataSource};
    use crate::ui::theme::Look;

    /// The help lists the keys of every screen and overlay (the quit question says its own):
    /// a context added to the keymap but not to the help would hide its keys from the user.
    #[test]
    fn the_help_lists_every_context_and_every_key() {
        let app = App::new(store::load(&DataSource::Bundled, None), Look::default());
        let text: Vec<String> = help_lines(&app)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        for ctx in Context::ALL {
            let listed = text.iter().any(|l| l == ctx.title());
            assert_eq!(listed, ctx != Context::ConfirmQuit, "{ctx:?} in the help");
            if ctx == Context::ConfirmQuit {
                continue;
            }
            for b in app.keymap.in_context(ctx) {
                let line = format!("  {:<14}{}", keys_label(b), b.desc);
                assert!(text.contains(&line), "{ctx:?}: {line:?} missing");
            }
        }
    }
}
