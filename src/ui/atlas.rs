//! The atlas: every journey, grouped by theme, with a progress bar, its outcome and its
//! provenance; a minimap and a summary of the selected journey beside the list. Only the rows
//! on screen are drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::state::{App, AtlasRow};
use crate::model::Provenance;
use crate::ui::Hits;
use crate::ui::glyphs::{BAR_EMPTY, BAR_FULL};
use crate::ui::map::MapView;
use crate::ui::text::{inert, truncate, width, wrap};
use crate::ui::theme::Look;

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App, hits: &mut Hits) {
    let look = &app.look;
    draw_header(frame, header, app);

    let side = (body.width * 2 / 5).clamp(24, 60);
    let [list_area, side_area] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(side)]).areas(body);

    let title = if app.atlas.typing || !app.atlas.filter.is_empty() {
        format!(
            " Journeys · /{}{} · {} of {} ",
            inert(&app.atlas.filter),
            if app.atlas.typing { "▏" } else { "" },
            app.session.visible.len(),
            app.session.order.len()
        )
    } else {
        format!(" Journeys · {} ", app.session.order.len())
    };
    let block = look.block(true).title(title);
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    draw_rows(frame, inner, app, hits);
    draw_side(frame, side_area, app);
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let mut spans = vec![
        Span::styled(" terreng ", look.title()),
        Span::styled("· atlas ", look.accent()),
        Span::raw(format!("· {} ", inert(&app.session.summary))),
    ];
    if !app.session.data.problems.is_empty() {
        spans.push(Span::styled("· press ! to see them", look.warning()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_rows(frame: &mut Frame, area: Rect, app: &App, hits: &mut Hits) {
    let look = &app.look;
    let h = usize::from(area.height);
    if h == 0 || area.width == 0 {
        return;
    }
    if app.session.rows.is_empty() {
        let msg = if app.session.order.is_empty() && app.session.data.problems.is_empty() {
            "No journeys yet. N starts one; ? lists the keys."
        } else if app.session.order.is_empty() {
            "No journeys loaded. Press ! for the problems, N to start a journey, or q to quit."
        } else {
            "No journey matches the filter. Esc clears it."
        };
        frame.render_widget(
            Paragraph::new(msg)
                .style(look.dim())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    // Keep the selected row (and the heading above it, when it fits) in view.
    let offset = app.atlas_offset(h);

    let w = usize::from(area.width);
    for (line, row) in app.session.rows.iter().enumerate().skip(offset).take(h) {
        let y = area.y + (line - offset) as u16;
        let rect = Rect::new(area.x, y, area.width, 1);
        let l = match row {
            AtlasRow::Heading(theme) => heading(app, theme, w),
            AtlasRow::Journey(vi) => {
                hits.atlas_rows.push((rect, *vi));
                journey_row(app, *vi, *vi == app.atlas.selected, w)
            }
        };
        frame.render_widget(Paragraph::new(l), rect);
    }
}

fn heading(app: &App, theme: &str, w: usize) -> Line<'static> {
    let look = &app.look;
    let label = app
        .terrain()
        .theme(theme)
        .map_or_else(|| theme.to_string(), |t| t.en.clone());
    let first = app.session.data.journeys.iter().find(|j| j.theme == theme);
    let study = first
        .and_then(|j| j.source.seed.as_deref())
        .map(|seed| seed.chars().take(3).collect::<String>())
        .unwrap_or_default();
    // Seed 001's groups are its themes' narratives: their bars are not independent cases.
    let unit = match first {
        Some(j) if crate::analysis::stats::theme_is_the_unit(j) => " · the theme is the unit",
        _ => "",
    };
    let text = if study.is_empty() {
        format!("{}{unit}", inert(&label))
    } else {
        format!("{} · study {study}{unit}", inert(&label))
    };
    Line::styled(truncate(&text, w).into_owned(), look.accent())
}

/// The progress bar: `cells` cells, filled in proportion.
pub fn bar(progress: f64, cells: usize, look: &Look) -> String {
    let filled = ((progress.clamp(0.0, 1.0) * cells as f64).round() as usize).min(cells);
    BAR_FULL.get(look.ascii).repeat(filled) + &BAR_EMPTY.get(look.ascii).repeat(cells - filled)
}

pub fn provenance_short(p: &Provenance) -> &'static str {
    match p {
        Provenance::Documented => "doc",
        Provenance::Reconstructed(_) => "rec",
        Provenance::Hypothetical(_) => "hyp",
    }
}

/// The widths of the id and outcome columns in a list `w` wide (0 where there is no room for
/// them), and the most the title needs: the title keeps at least 36 columns, and up to 60
/// before the outcome grows to its whole length.
fn columns(app: &App, w: usize) -> (usize, usize, usize) {
    let widest = app.session.widest;
    let id_w = if w >= 90 { widest.id.min(24) + 1 } else { 0 };
    let outcome_w = if w >= 76 {
        let title = widest.title.clamp(36, 60);
        let room = w.saturating_sub(3 + id_w + 19 + 1 + title);
        room.clamp(22, widest.outcome.max(21) + 1)
    } else {
        0
    };
    (id_w, outcome_w, widest.title.max(4))
}

fn journey_row(app: &App, vi: usize, selected: bool, w: usize) -> Line<'static> {
    let look = &app.look;
    let ji = app.session.visible[vi];
    let j = &app.session.data.journeys[ji];
    let progress = app.session.routes[ji].final_progress();
    let marker = if selected { look.marker() } else { " " };
    // Marked for comparison: its number there (the pane and curve it will be).
    let mark = match app.session.marked.iter().position(|&m| m == ji) {
        Some(k) => (k + 1).to_string(),
        None if app.session.marked_themes.contains(&j.theme) => "+".to_string(),
        None => " ".to_string(),
    };
    // Columns: the id where there is room (the command line takes it; the side panel always
    // names it), the title, then bar, percent, provenance, and the outcome where there is room.
    let (id_w, outcome_w, title_most) = columns(app, w);
    let right = 10 + 1 + 4 + 1 + 3 + outcome_w;
    let title_w = w
        .saturating_sub(3 + id_w + right + 1)
        .min(title_most)
        .max(4);
    let title = truncate(&inert(&j.title), title_w).into_owned();
    let pad = title_w.saturating_sub(width(&title));
    let base = if selected {
        look.selected()
    } else {
        Style::default()
    };
    let mut spans = vec![
        Span::styled(marker.to_string(), base),
        Span::styled(format!("{mark} "), base.patch(look.accent())),
    ];
    if id_w > 0 {
        let id = truncate(&inert(&j.id), id_w - 1).into_owned();
        let pad = id_w.saturating_sub(width(&id));
        spans.push(Span::styled(
            format!("{id}{}", " ".repeat(pad)),
            base.patch(look.key()),
        ));
    }
    spans.extend([
        Span::styled(format!("{title}{} ", " ".repeat(pad)), base),
        Span::styled(bar(progress, 10, look), base.patch(look.accent())),
        Span::styled(format!(" {:>3}%", (progress * 100.0).round()), base),
        Span::styled(
            format!(" {}", provenance_short(&j.provenance)),
            base.patch(look.dim()),
        ),
    ]);
    if outcome_w > 0 {
        let outcome = truncate(&inert(&j.outcome.replace('_', " ")), outcome_w - 1).into_owned();
        spans.push(Span::styled(format!(" {outcome}"), base.patch(look.dim())));
    }
    Line::from(spans)
}

fn draw_side(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let Some(ji) = app.selected_journey() else {
        frame.render_widget(look.block(false), area);
        return;
    };
    let j = &app.session.data.journeys[ji];
    let map_h = (area.height / 2).clamp(5, 14);
    let [map_area, info_area] =
        Layout::vertical([Constraint::Length(map_h), Constraint::Min(0)]).areas(area);
    let block = look.block(false).title(" Minimap ");
    let inner = block.inner(map_area);
    frame.render_widget(block, map_area);
    let view = MapView {
        journey: j,
        route: &app.session.routes[ji],
        terrain: app.terrain(),
        look,
        current: j.steps.len().saturating_sub(1),
        show_future: true,
        noted: app.noted_steps(ji),
    };
    view.render(inner, frame.buffer_mut());

    let block = look.block(false);
    let inner = block.inner(info_area);
    frame.render_widget(block, info_area);
    let w = usize::from(inner.width).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for l in wrap(&inert(&j.title), w) {
        lines.push(Line::styled(l, look.title()));
    }
    let theme = app.terrain().theme(&j.theme).map_or("", |t| t.en.as_str());
    lines.push(Line::styled(
        truncate(&inert(theme), w).into_owned(),
        look.accent(),
    ));
    lines.push(Line::from(vec![
        Span::styled(inert(&j.id).into_owned(), look.key()),
        Span::raw(format!(
            " · {} steps · {} · {}",
            j.steps.len(),
            j.provenance.label(),
            inert(&j.outcome.replace('_', " "))
        )),
    ]));
    if app.session.notes.is_some() {
        let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
        for (analyst, _) in app.journey_notes(&j.id) {
            *by.entry(analyst).or_default() += 1;
        }
        if !by.is_empty() {
            let total: usize = by.values().sum();
            let who: Vec<String> = by
                .iter()
                .map(|(a, c)| format!("{} {c}", inert(a)))
                .collect();
            let text = format!(
                "{} {total} note{} ({})",
                crate::ui::glyphs::NOTE.get(look.ascii),
                if total == 1 { "" } else { "s" },
                who.join(", ")
            );
            lines.push(Line::styled(truncate(&text, w).into_owned(), look.accent()));
        }
    }
    for l in wrap(&format!("Goal: {}", inert(&j.goal)), w) {
        lines.push(Line::raw(l));
    }
    if let Some(t) = app.terrain().theme(&j.theme) {
        for l in wrap(&format!("“{}”", inert(&t.image)), w) {
            lines.push(Line::styled(l, look.dim()));
        }
    }
    lines.push(Line::styled("Enter opens the journey", look.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
}
