//! Drawing the annotation side: the note editor with its code picker, the orphaned notes
//! panel, the question before quitting with unsaved changes, and the status line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::editor::EditorFocus;
use crate::app::state::{App, NoteStatus};
use crate::ui::help::centred;
use crate::ui::text::{inert, truncate, width};

/// The last `room` columns of `s`.
fn tail(s: &str, room: usize) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for ch in s.chars().rev() {
        let w = width(ch.encode_utf8(&mut [0; 4]));
        if used + w > room {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.into_iter().rev().collect()
}

/// The most rows the status line takes; a longer message is cut there.
pub const STATUS_ROWS: u16 = 3;

/// The status line: the command being typed, a message (what a key did, what changed), work
/// in progress, or where notes are saved and whether the last change is on disk. A message
/// wraps over up to [`STATUS_ROWS`] rows rather than lose its end at 80 columns.
pub fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    if let Some(line) = &app.command {
        // The end of a long line stays in view, with the cursor after it.
        let room = usize::from(area.width).saturating_sub(2);
        let shown = tail(&inert(line), room);
        let x = area.x + 1 + width(&shown) as u16;
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(":", look.key()),
                Span::raw(shown),
            ])),
            area,
        );
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    if app.flash.is_none()
        && app.session.analysis.computing().is_none()
        && let Some(l) = &app.session.loading
    {
        let text = if !l.journeys_done() {
            format!(
                "loading: {} of {} journey files read; what is in the list can be used now",
                l.files_done, l.files
            )
        } else {
            "loading: every journey is in; reading the notes (annotating waits for them)"
                .to_string()
        };
        let ratio = if l.files == 0 {
            1.0
        } else {
            l.files_done as f64 / l.files as f64
        };
        let gauge = ratatui::widgets::LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(truncate(&text, usize::from(area.width) / 2 + 20).into_owned())
            .filled_style(look.accent())
            .unfilled_style(look.dim());
        frame.render_widget(gauge, area);
        return;
    }
    let Some((text, style)) = status_message(app) else {
        return;
    };
    let lines: Vec<Line> = status_lines(&text, area.width)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The rows the status line needs at a width: none with nothing to say, one for a command
/// being typed or for loading, and as many as its message wraps to, up to [`STATUS_ROWS`].
pub fn status_rows(app: &App, width: u16) -> u16 {
    if app.command.is_some() {
        return 1;
    }
    if app.flash.is_none()
        && app.session.analysis.computing().is_none()
        && app.session.loading.is_some()
    {
        return 1;
    }
    status_message(app).map_or(0, |(text, _)| status_lines(&text, width).len() as u16)
}

/// A message wrapped to the width, in at most [`STATUS_ROWS`] rows, cut with "…" beyond.
fn status_lines(text: &str, width: u16) -> Vec<String> {
    let w = usize::from(width).saturating_sub(1).max(1);
    let mut lines = crate::ui::text::wrap(text, w);
    let most = usize::from(STATUS_ROWS);
    if lines.len() > most {
        lines.truncate(most);
        let last = lines.last_mut().expect("rows");
        *last = truncate(&format!("{last} …"), w).into_owned();
    }
    lines.into_iter().map(|l| format!(" {l}")).collect()
}

/// The message of the status line and its style, if there is one: a flash, the analysis being
/// computed, or the state of the notes.
fn status_message(app: &App) -> Option<(String, ratatui::style::Style)> {
    let look = &app.look;
    let blind = if app.session.blind {
        "BLIND: others' notes hidden · "
    } else {
        ""
    };
    if let Some(flash) = &app.flash {
        return Some((
            inert(&format!("{blind}{flash}")).into_owned(),
            look.accent(),
        ));
    }
    if let Some(what) = &app.sources.adding {
        return Some((inert(&format!("{blind}{what}")).into_owned(), look.dim()));
    }
    if let Some(what) = app.session.analysis.computing() {
        let text = format!("{blind}computing: {what}… (what is shown is the last result)");
        return Some((inert(&text).into_owned(), look.dim()));
    }
    let n = app.session.notes.as_ref()?;
    let unsaved = n.store.unsaved();
    let (text, style) = match &n.status {
        _ if !unsaved.is_empty() && !matches!(n.status, NoteStatus::Failed(_)) => (
            format!("{} journey file(s) not saved yet; retrying", unsaved.len()),
            look.warning(),
        ),
        NoteStatus::Ready => (
            format!(
                "notes: {} as {}",
                n.store.root().join(n.store.analyst()).display(),
                n.store.analyst()
            ),
            look.dim(),
        ),
        NoteStatus::Saved { path, at } => (
            format!(
                "saved {} to {path}",
                at.replace('T', " ").trim_end_matches('Z')
            ),
            look.dim(),
        ),
        NoteStatus::Merged { path, conflicts: 0 } => (
            format!("saved to {path}, merged with changes made elsewhere"),
            look.accent(),
        ),
        NoteStatus::Merged { path, conflicts } => (
            format!(
                "saved to {path}, merged; {conflicts} note(s) edited in two places kept as conflict copies"
            ),
            look.warning(),
        ),
        NoteStatus::Beside { path, conflicts } => (
            format!(
                "saved to {path}: the journey's own file is broken and left as it is (see the \
                 problems); once repaired, it takes these notes back{}",
                if *conflicts > 0 {
                    format!("; {conflicts} note(s) edited in two places kept as conflict copies")
                } else {
                    String::new()
                }
            ),
            look.warning(),
        ),
        NoteStatus::Failed(e) => (
            format!("NOT SAVED — kept in memory, retrying: {e}"),
            look.warning(),
        ),
        NoteStatus::Info(s) => (s.clone(), look.accent()),
    };
    Some((inert(&format!("{blind}{text}")).into_owned(), style))
}

/// The editor: the note's text above, the code picker below (or the picker alone for `c`).
pub fn draw_editor(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let Some(e) = &app.editor else {
        return;
    };
    let popup = centred(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, popup);
    let what = if e.editing.is_some() { "Edit" } else { "New" };
    let step_title = app
        .session
        .data
        .journey(&e.journey)
        .and_then(|j| j.steps.iter().find(|s| s.id == e.step))
        .map(|s| s.title.as_str())
        .unwrap_or("");
    let for_form = app.form.as_ref().is_some_and(|f| f.picking);
    let title = if for_form {
        format!(
            " Codes of step {} · {} · Ctrl-S takes them ",
            e.step, e.journey
        )
    } else {
        format!(
            " {what} note · {} {} · {} ",
            e.journey,
            e.step,
            inert(step_title)
        )
    };
    let block = look
        .block(true)
        .title(truncate(&title, usize::from(popup.width.saturating_sub(2))).into_owned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    let [body, hint] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(inner);
    let hint_text = if e.confirm_discard {
        Line::styled(
            " Esc again discards what you wrote; Ctrl-S saves it",
            look.warning(),
        )
    } else {
        // The keys themselves are in the key bar; this says what the bar cannot.
        Line::styled(
            match e.focus {
                EditorFocus::Text => " Enter starts a new line",
                EditorFocus::Codes => " type to search (a space separates words) · ↑ ↓ move",
            },
            look.dim(),
        )
    };
    frame.render_widget(Paragraph::new(hint_text), hint);

    let (text_area, codes_area) = if e.codes_only {
        (None, body)
    } else {
        let text_h = (body.height / 2).max(3);
        let [a, b] = Layout::vertical([Constraint::Length(text_h), Constraint::Min(3)]).areas(body);
        (Some(a), b)
    };

    if let Some(a) = text_area {
        let focused = e.focus == EditorFocus::Text;
        let block = look.block(focused).title(" Text ");
        let inner = block.inner(a);
        frame.render_widget(block, a);
        frame.render_widget(&e.text, inner);
    }

    let focused = e.focus == EditorFocus::Codes;
    let chosen = e.codes.len();
    let block = look.block(focused).title(format!(
        " Codes · {chosen} chosen · search: {}{} ",
        inert(&e.query),
        if focused { "▏" } else { "" }
    ));
    let inner = block.inner(codes_area);
    frame.render_widget(block, codes_area);
    let rows = usize::from(inner.height);
    let w = usize::from(inner.width);
    // The codebook grows: below the matches, a search that names no code can become one.
    let offers = e.offers_new();
    let total = e.match_count() + if offers { 3 } else { 0 };
    let first = e
        .cursor
        .saturating_sub(rows.saturating_sub(1) / 2)
        .min(total.saturating_sub(rows));
    let mut lines = Vec::new();
    for (k, c) in e.matches().enumerate().skip(first).take(rows) {
        let on = e.codes.contains(&c.id);
        let check = if on { "[x]" } else { "[ ]" };
        let here = focused && k == e.cursor;
        let mark = if here { look.marker() } else { " " };
        let glyph = if look.ascii { &c.ascii } else { &c.glyph };
        let kind = if c.obstacle { "obstacle" } else { "enabler" };
        let label = format!("{} / {} · {} · {kind}", c.en, c.no, c.id);
        let own = if e.on_step(&c.id) {
            "on the step · "
        } else {
            ""
        };
        let room = w.saturating_sub(width(mark) + 1 + 3 + 1 + width(glyph) + 1 + width(own));
        let mut style = look.text();
        if here {
            style = look.selected();
        }
        if on {
            style = style.add_modifier(Modifier::BOLD);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), look.current()),
            Span::styled(format!("{check} "), style),
            Span::styled(format!("{glyph} "), look.accent()),
            Span::styled(own, look.dim()),
            Span::styled(truncate(&inert(&label), room).into_owned(), style),
        ]));
    }
    if offers && lines.len() < rows {
        let label = inert(e.query.trim()).into_owned();
        let n = e.match_count();
        for (k, class) in ["a new obstacle", "a new enabler"].into_iter().enumerate() {
            if n + k < first {
                continue;
            }
            let here = focused && e.offer_at() == Some(k);
            let mark = if here { look.marker() } else { " " };
            let style = if here { look.selected() } else { look.text() };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), look.current()),
                Span::styled(
                    truncate(&format!("+ {class} «{label}»"), w.saturating_sub(2)).into_owned(),
                    style,
                ),
            ]));
        }
        let hint = if n == 0 {
            "  no code is called so · Enter makes it and chooses it (↓ an enabler) · Space types a space"
        } else {
            "  End or ↓ past the last: make it a code · Enter makes it and chooses it"
        };
        lines.push(Line::styled(truncate(hint, w).into_owned(), look.dim()));
    } else if lines.is_empty() {
        lines.push(Line::styled("  no code matches the search", look.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Notes whose journey or step no longer exists, and notes waiting for their journey's file
/// to be repaired; two lines each, scrolled so that the selection is always in view.
pub fn draw_orphans(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let Some(n) = &app.session.notes else {
        return;
    };
    let orphans = app.orphans();
    let popup = centred(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, popup);
    let waiting = orphans.iter().filter(|o| o.waiting.is_some()).count();
    let title = if waiting > 0 {
        format!(
            " Notes without their step · {} · {waiting} waiting for their journey's file ",
            orphans.len()
        )
    } else {
        format!(" Notes without their step · {} ", orphans.len())
    };
    let block = look.block(true).title(title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let w = usize::from(inner.width);
    let cur = n.orphan_cursor.min(orphans.len().saturating_sub(1));
    // Below the list, the selected note in full: why it waits, or its text, wrapped, in as
    // many rows as it needs while two notes of the list stay in view.
    let full = orphans.get(cur).map(|o| match &o.waiting {
        Some(why) => format!(
            "Its notes wait, untouched, and are on their steps again once the file is \
             repaired — {why}"
        ),
        None => o.note.text.replace('\n', " "),
    });
    let wrapped = full
        .map(|f| crate::ui::text::wrap(&inert(&f), w.max(1)))
        .unwrap_or_default();
    let detail_h = if wrapped.is_empty() || inner.height < 8 {
        0
    } else {
        (wrapped.len() as u16 + 1).min(inner.height - 4)
    };
    let [inner, detail] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(detail_h)]).areas(inner);
    if detail_h > 0 {
        let mut text = vec![Line::styled("─".repeat(w), look.dim())];
        text.extend(wrapped.into_iter().map(|l| Line::styled(l, look.text())));
        frame.render_widget(Paragraph::new(text), detail);
    }
    let mut lines = Vec::new();
    if orphans.is_empty() {
        lines.push(Line::raw(
            "No orphans: every note's journey and step exist.",
        ));
    }
    // Two lines a note; the selected one in view.
    let per_screen = (usize::from(inner.height) / 2).max(1);
    let first = cur
        .saturating_sub(per_screen - 1)
        .min(orphans.len().saturating_sub(per_screen));
    for (k, o) in orphans.iter().enumerate().skip(first).take(per_screen) {
        let mark = if k == cur { look.marker() } else { " " };
        let what = match &o.waiting {
            Some(_) => format!(
                "{} {}: waiting for its file to be repaired",
                o.journey, o.note.step
            ),
            None if o.journey_exists => {
                format!("step {} is gone from {}", o.note.step, o.journey)
            }
            None => format!("journey {} is gone (step {})", o.journey, o.note.step),
        };
        let mut head = format!("{} · {what}", o.analyst);
        if !o.note.codes.is_empty() {
            head = format!("{head} · {}", o.note.codes.join(", "));
        }
        let style = if k == cur {
            look.selected()
        } else if o.waiting.is_some() {
            look.dim()
        } else {
            look.text()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), look.current()),
            Span::styled(
                truncate(&inert(&head), w.saturating_sub(2)).into_owned(),
                style,
            ),
        ]));
        let second = o.note.text.lines().next().unwrap_or("").to_string();
        lines.push(Line::styled(
            format!("    {}", truncate(&inert(&second), w.saturating_sub(4))),
            look.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The question before quitting with changes that could not be saved.
pub fn draw_confirm_quit(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let Some(n) = &app.session.notes else {
        return;
    };
    let popup = centred(area, 64.min(area.width), 9.min(area.height));
    frame.render_widget(Clear, popup);
    let block = look.block(true).title(" Unsaved notes ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let why = match &n.status {
        NoteStatus::Failed(e) => e.clone(),
        _ => String::new(),
    };
    let lines = vec![
        Line::styled(
            format!(
                "Changes to {} could not be saved:",
                n.store.unsaved().join(", ")
            ),
            look.warning(),
        ),
        Line::raw(inert(&why).into_owned()),
        Line::raw(""),
        Line::raw("Esc stays (the save is retried every few seconds)."),
        Line::raw("q quits anyway; the unsaved notes are printed on the way out."),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}
