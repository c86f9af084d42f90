//! The journey screen: the landscape map with the route walked so far, the step strip under
//! it, a legend, and the detail of the current step (narrative, evidence, terrain met,
//! provenance) beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::state::{App, Focus};
use crate::model::{FeatureClass, Journey};
use crate::ui::Hits;
use crate::ui::glyphs;
use crate::ui::map::MapView;
use crate::ui::text::{inert, truncate, width, wrap};

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App, hits: &mut Hits) {
    let look = &app.look;
    let Some(j) = app.current_journey() else {
        frame.render_widget(
            Paragraph::new(" No journey to show. Press 1 for the atlas."),
            body,
        );
        return;
    };
    let ji = app.journey.journey;
    let step = app.journey.step.min(j.steps.len().saturating_sub(1));
    draw_header(frame, header, app, j, step);

    let detail_w = (body.width * 2 / 5).clamp(28, 72);
    let [left, detail_area] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(detail_w)]).areas(body);
    let view = MapView {
        journey: j,
        route: &app.session.routes[ji],
        terrain: app.terrain(),
        look,
        current: step,
        show_future: app.journey.show_future,
        noted: app.noted_steps(ji),
    };
    // The map takes at least the height its proportions want; the legend below it as many rows
    // as it has items (a list with both languages' labels), and whatever is left goes to the
    // map, so that a tall terminal draws a taller map rather than an empty legend.
    const STRIP_H: u16 = 4;
    let avail = left.height.saturating_sub(STRIP_H);
    let legend_need = view.legend().len() as u16 + 2;
    let wanted = view
        .wanted_height(left.width.saturating_sub(2), 9)
        .saturating_add(2);
    let map_h = wanted
        .max(avail.saturating_sub(legend_need))
        .min(avail.saturating_sub(2))
        .max(5);
    let [map_area, strip_area, legend_area] = Layout::vertical([
        Constraint::Length(map_h),
        Constraint::Length(STRIP_H),
        Constraint::Min(2),
    ])
    .areas(left);

    let future = if app.journey.show_future {
        ""
    } else {
        " · route ahead hidden (f)"
    };
    let playing = if app.journey.playing {
        " · ▶ playing"
    } else {
        ""
    };
    let block = look
        .block(app.journey.focus == Focus::Map)
        .title(format!(" Map{future}{playing} "));
    let inner = block.inner(map_area);
    frame.render_widget(block, map_area);
    let cells = view.render(inner, frame.buffer_mut());
    for (i, c) in cells.iter().enumerate() {
        if let Some(p) = c {
            hits.map_steps.push((Rect::new(p.x, p.y, 1, 1), i));
        }
    }

    draw_strip(
        frame,
        strip_area,
        app,
        j,
        step,
        app.journey.focus == Focus::Strip,
        hits,
    );

    // A legend cut short goes on whole at the end of the step pane, where it scrolls.
    let cut = draw_legend(frame, legend_area, &view, look);

    let block = look
        .block(app.journey.focus == Focus::Detail)
        .title(" Step ");
    let inner = block.inner(detail_area);
    frame.render_widget(block, detail_area);
    hits.detail = Some(inner);
    let w = usize::from(inner.width).max(1);
    let mut lines = detail_lines(app, j, step, w);
    if cut {
        lines.push(Line::raw(""));
        lines.push(Line::styled("The map's marks", look.accent()));
        for item in view.legend() {
            let mut text = inert(&item.label).into_owned();
            if let Some(no) = &item.no {
                text = format!("{text} / {}", inert(no));
            }
            for (k, l) in wrap(&text, w.saturating_sub(4).max(1))
                .into_iter()
                .enumerate()
            {
                let lead = if k == 0 {
                    Span::styled(format!("  {} ", item.symbol), item.style)
                } else {
                    Span::raw("    ")
                };
                lines.push(Line::from(vec![lead, Span::raw(l)]));
            }
        }
    }
    let max_scroll = lines.len().saturating_sub(1) as u16;
    frame.render_widget(
        Paragraph::new(lines).scroll((app.journey.detail_scroll.min(max_scroll), 0)),
        inner,
    );
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, j: &Journey, step: usize) {
    let look = &app.look;
    let theme = app
        .terrain()
        .theme(&j.theme)
        .map_or(j.theme.as_str(), |t| t.en.as_str());
    let right = if j.steps.is_empty() {
        " no steps yet ".to_string()
    } else {
        format!(" step {}/{} ", step + 1, j.steps.len())
    };
    let left_w = usize::from(area.width).saturating_sub(width(&right));
    let left = format!(
        " {} · {} · {}",
        inert(&j.title),
        inert(theme),
        j.provenance.label()
    );
    let left = truncate(&left, left_w).into_owned();
    let pad = left_w.saturating_sub(width(&left));
    let line = Line::from(vec![
        Span::styled(left, look.title()),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, look.accent()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The step strip: one cell per step with its kind's symbol; the current step in brackets and
/// underlined, the strip cursor marked with `^` when the strip has focus.
fn draw_strip(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    j: &Journey,
    step: usize,
    focused: bool,
    hits: &mut Hits,
) {
    let look = &app.look;
    let block = look.block(focused).title(" Steps ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 3 || inner.height == 0 {
        return;
    }
    const CELL: u16 = 3;
    let per_screen = usize::from(inner.width / CELL).max(1);
    let n = j.steps.len();
    let focus = if app.journey.focus == Focus::Strip {
        app.journey.strip_cursor
    } else {
        step
    };
    // Scroll the strip so the step in focus is visible.
    let first = focus
        .saturating_sub(per_screen.saturating_sub(1) / 2)
        .min(n.saturating_sub(per_screen));
    let noted = app.noted_steps(app.journey.journey);
    for (slot, i) in (first..n).take(per_screen).enumerate() {
        let x = inner.x + slot as u16 * CELL;
        let rect = Rect::new(x, inner.y, CELL, inner.height.min(2));
        hits.strip.push((rect, i));
        let s = &j.steps[i];
        let g = glyphs::kind(s.kind).get(look.ascii);
        let (text, style) = if i == step {
            (format!("[{g}]"), look.current())
        } else if i < step || !app.journey.show_future {
            (format!(" {g} "), look.text())
        } else {
            (format!(" {g} "), look.dim())
        };
        let hidden = i > step && !app.journey.show_future;
        let text = if hidden { "   ".to_string() } else { text };
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)),
            Rect::new(x, inner.y, CELL, 1),
        );
        if inner.height > 1 {
            let below = if app.journey.focus == Focus::Strip && i == app.journey.strip_cursor {
                Span::styled(" ^ ", look.accent())
            } else if noted.get(i).copied().unwrap_or(false) {
                Span::styled(format!(" {} ", glyphs::NOTE.get(look.ascii)), look.accent())
            } else if (i + 1) % 5 == 0 || i == 0 {
                Span::styled(format!("{:^3}", i + 1), look.dim())
            } else {
                Span::raw("   ")
            };
            frame.render_widget(Paragraph::new(below), Rect::new(x, inner.y + 1, CELL, 1));
        }
    }
}

/// The lines of the detail pane for one step, wrapped to `w` columns.
fn detail_lines(app: &App, j: &Journey, step: usize, w: usize) -> Vec<Line<'static>> {
    let look = &app.look;
    let Some(s) = j.steps.get(step) else {
        return vec![Line::raw(
            "This journey has no steps yet: A adds the first (? lists the keys for writing a journey).",
        )];
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let push_wrapped = |lines: &mut Vec<Line<'static>>, text: &str, style: Style, indent: &str| {
        for l in wrap(&inert(text), w.saturating_sub(width(indent)).max(1)) {
            lines.push(Line::styled(format!("{indent}{l}"), style));
        }
    };
    let kind = format!("{} {}", glyphs::kind(s.kind).get(look.ascii), s.kind.name());
    let mut head = vec![
        Span::styled(format!("{}/{} ", step + 1, j.steps.len()), look.dim()),
        Span::styled(kind, look.accent()),
    ];
    if let Some(when) = &s.when {
        head.push(Span::styled(format!(" · {}", inert(when)), look.dim()));
    }
    lines.push(Line::from(head));
    push_wrapped(&mut lines, &s.title, look.title(), "");
    lines.push(Line::raw(""));
    push_wrapped(&mut lines, &s.narrative, look.text(), "");

    if app.session.notes.is_some() {
        note_lines(app, &mut lines, w);
    }

    if !s.evidence.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Evidence", look.accent()));
        for e in &s.evidence {
            push_wrapped(
                &mut lines,
                &format!("«{}»", e.quote),
                look.text().add_modifier(Modifier::ITALIC),
                "  ",
            );
            if e.translation.trim().is_empty() {
                push_wrapped(&mut lines, "(translation pending)", look.dim(), "  ");
            } else {
                push_wrapped(
                    &mut lines,
                    &format!("“{}”", e.translation),
                    look.text(),
                    "  ",
                );
            }
            let place = match (&e.source, e.locator.trim().is_empty()) {
                (Some(source), false) => format!("— {source}, {}", e.locator),
                (Some(source), true) => format!("— {source}"),
                (None, _) => format!("— {}", e.locator),
            };
            push_wrapped(&mut lines, &place, look.dim(), "  ");
        }
    }

    for (title, class) in [
        ("Obstacles", FeatureClass::Obstacle),
        ("Enablers", FeatureClass::Enabler),
    ] {
        let ids = match class {
            FeatureClass::Obstacle => &s.obstacles,
            FeatureClass::Enabler => &s.enablers,
        };
        if ids.is_empty() {
            continue;
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(title, look.accent()));
        for id in ids {
            match app.terrain().feature(id) {
                Some((_, f)) => {
                    let glyph = glyphs::feature(f, look.ascii);
                    let mut text = format!("{} / {}", f.en, f.no);
                    if let Some(tag) = f.origin.tag() {
                        text = format!("{text} ({tag})");
                    }
                    let body = wrap(&inert(&text), w.saturating_sub(4).max(1));
                    for (k, l) in body.into_iter().enumerate() {
                        let lead = if k == 0 {
                            Span::styled(format!("  {glyph} "), look.named(f.color))
                        } else {
                            Span::raw("    ")
                        };
                        lines.push(Line::from(vec![lead, Span::raw(l)]));
                    }
                }
                None => push_wrapped(
                    &mut lines,
                    &format!("? {id} (not in the catalogue)"),
                    look.warning(),
                    "  ",
                ),
            }
        }
    }

    lines.push(Line::raw(""));
    let prov = s.provenance(j);
    let text = match prov.why() {
        Some(why) => format!("{}: {why}", prov.label()),
        None => prov.label().to_string(),
    };
    push_wrapped(&mut lines, &format!("Provenance — {text}"), look.dim(), "");
    lines
}

/// The notes on the step, every analyst's: the selected one marked, the own analyst's
/// editable, others' labelled read-only.
fn note_lines(app: &App, lines: &mut Vec<Line<'static>>, w: usize) {
    let look = &app.look;
    let notes = app.step_notes();
    let own = app.analyst();
    lines.push(Line::raw(""));
    if notes.is_empty() {
        lines.push(Line::styled(
            "Notes — none yet; a adds one, c codes the step",
            look.dim(),
        ));
        return;
    }
    lines.push(Line::styled(
        format!("Notes · {} (] [ select, e edit, d delete)", notes.len()),
        look.accent(),
    ));
    let selected = app.journey.note_cursor.min(notes.len() - 1);
    for (k, (analyst, note)) in notes.iter().enumerate() {
        let mark = if k == selected { look.marker() } else { " " };
        let who = if *analyst == own {
            inert(analyst).into_owned()
        } else {
            format!("{} (read-only)", inert(analyst))
        };
        let when = note
            .updated
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_string();
        let mut head = vec![
            Span::styled(format!("{mark} "), look.current()),
            Span::styled(who, look.key()),
            Span::styled(format!(" · {}", inert(&when)), look.dim()),
        ];
        if note.conflict_of.is_some() {
            head.push(Span::styled(" · conflict copy", look.warning()));
        }
        let style = if k == selected {
            look.text().add_modifier(Modifier::BOLD)
        } else {
            look.text()
        };
        lines.push(Line::from(head));
        for id in &note.codes {
            let (glyph, label, s) = match app.terrain().feature(id) {
                Some((_, f)) => (
                    glyphs::feature(f, look.ascii).to_string(),
                    format!("{} / {}", f.en, f.no),
                    look.named(f.color),
                ),
                None => (
                    "?".to_string(),
                    format!("{id} (not in the catalogue)"),
                    look.warning(),
                ),
            };
            let label = truncate(&inert(&label), w.saturating_sub(6).max(1)).into_owned();
            lines.push(Line::from(vec![
                Span::styled(format!("    {glyph} "), s),
                Span::styled(label, look.dim()),
            ]));
        }
        for para in note.text.split('\n') {
            for l in wrap(&inert(para), w.saturating_sub(4).max(1)) {
                lines.push(Line::styled(format!("    {l}"), style));
            }
        }
    }
}

/// The legend: what is on the map. A list with the English and Norwegian labels where there
/// is height for it, otherwise "glyph label" items run together over two lines.
/// Returns whether it was cut short for want of room.
fn draw_legend(
    frame: &mut Frame,
    area: Rect,
    view: &MapView,
    look: &crate::ui::theme::Look,
) -> bool {
    let items = view.legend();
    let mut cut = false;
    if area.height >= 4 {
        let block = look.block(false).title(" Legend ");
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows = usize::from(inner.height);
        let mut lines = Vec::new();
        for (k, item) in items.iter().enumerate() {
            if lines.len() + 1 == rows && k + 1 < items.len() {
                lines.push(Line::styled(
                    format!(
                        "… and {} more, at the end of the step pane",
                        items.len() - k
                    ),
                    look.dim(),
                ));
                cut = true;
                break;
            }
            let mut spans = vec![
                Span::styled(item.symbol.clone(), item.style),
                Span::raw(format!(" {}", inert(&item.label))),
            ];
            if let Some(no) = &item.no {
                spans.push(Span::styled(format!(" / {}", inert(no)), look.dim()));
            }
            lines.push(Line::from(spans));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        return cut;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    let room = usize::from(area.width) * usize::from(area.height);
    for item in items {
        let label = inert(&item.label).into_owned();
        let w = width(&item.symbol) + 1 + width(&label) + 2;
        if used + w > room {
            spans.push(Span::styled("…", look.dim()));
            cut = true;
            break;
        }
        used += w;
        spans.push(Span::styled(item.symbol, item.style));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
    cut
}
