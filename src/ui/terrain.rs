//! The terrain screen: every obstacle and enabler kind with how often it is met in the journeys
//! in view (the atlas filter narrows them), as a bar split by theme; the terrain common to all
//! of them on top; Enter lists every step where a kind is met — the coded segments — and Enter
//! on one jumps there. Only the rows on screen are drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::analysis::view::TerrainView;
use crate::app::state::App;
use crate::ui::glyphs;
use crate::ui::help::centred;
use crate::ui::text::{inert, truncate, width, wrap};

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App) {
    let look = &app.look;
    let Some(v) = &app.session.analysis.terrain else {
        crate::ui::draw_computing(frame, body, app, "Terrain");
        return;
    };
    let t = &app.terrain_screen;
    let filter = if app.atlas.filter.is_empty() {
        String::new()
    } else {
        format!(" · filter /{}", inert(&app.atlas.filter))
    };
    let head = Line::from(vec![
        Span::styled(" terreng ", look.title()),
        Span::styled("· terrain ", look.accent()),
        Span::raw(format!(
            "· {} journeys in view{filter} · {} · codes: {}",
            v.journeys,
            t.sort.label(),
            v.source
        )),
    ]);
    frame.render_widget(Paragraph::new(head), header);

    let w = usize::from(body.width.saturating_sub(2)).max(1);
    let common = common_line(app, v);
    let common_lines = wrap(&common, w);
    let common_h = (common_lines.len() as u16).clamp(1, 3) + 2;
    let [top, list] =
        Layout::vertical([Constraint::Length(common_h), Constraint::Min(0)]).areas(body);
    let block = look.block(false).title(" Common to every journey in view ");
    let inner = block.inner(top);
    frame.render_widget(block, top);
    frame.render_widget(
        Paragraph::new(
            common_lines
                .into_iter()
                .map(|l| Line::styled(l, look.text()))
                .collect::<Vec<_>>(),
        ),
        inner,
    );
    draw_rows(frame, list, app, v);
    if t.segments.is_some() {
        draw_segments(frame, body, app, v);
    }
}

fn common_line(app: &App, v: &TerrainView) -> String {
    if v.journeys == 0 {
        return "No journey in view.".to_string();
    }
    if v.common.is_empty() {
        return format!(
            "Nothing is met by all {} journeys in view (codes from {}).",
            v.journeys, v.source
        );
    }
    let names: Vec<String> = v
        .common
        .iter()
        .map(|id| match app.terrain().feature(id) {
            Some((_, f)) => format!("{} {}", glyphs::feature(f, app.look.ascii), f.en),
            None => id.clone(),
        })
        .collect();
    inert(&names.join(" · ")).into_owned()
}

fn draw_rows(frame: &mut Frame, area: Rect, app: &App, v: &TerrainView) {
    let look = &app.look;
    let block = look.block(true).title(format!(
        " Obstacles and enablers · {} · Enter: where ",
        app.terrain_screen.sort.label()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let h = usize::from(inner.height);
    if h < 2 || inner.width < 20 {
        return;
    }
    let w = usize::from(inner.width);
    // The theme key: each theme's colour as in the bars.
    let themes: Vec<&str> = v
        .rows
        .first()
        .map(|r| r.by_theme.iter().map(|(t, _)| t.as_str()).collect())
        .unwrap_or_default();
    let mut key = vec![Span::styled("bars by theme: ", look.dim())];
    // Each theme by a colour and a fill of its own, so that themes are told apart without
    // colour too.
    for (k, t) in themes.iter().enumerate() {
        key.push(Span::styled(
            format!("{} {}  ", glyphs::theme_fill(k).get(look.ascii), inert(t)),
            look.series(k),
        ));
    }
    key.push(Span::styled("· ◆ set apart (Fisher test)", look.dim()));
    // The key on as many lines as it needs, each item whole.
    let mut lines: Vec<Line> = vec![Line::default()];
    let mut used = 0;
    for span in key {
        let sw = width(&span.content);
        if used + sw > w && used > 0 {
            lines.push(Line::default());
            used = 0;
        }
        used += sw;
        lines.last_mut().expect("a line").spans.push(span);
    }
    let key_h = lines.len();
    let most = v.rows.iter().map(|r| r.steps).max().unwrap_or(0).max(1);
    let label_w = (w / 3).clamp(14, 40);
    let nums_w = 24;
    let bar_w = w.saturating_sub(label_w + nums_w + 2).max(4);
    let rows = h.saturating_sub(key_h).max(1);
    let sel = app
        .terrain_screen
        .selected
        .min(v.rows.len().saturating_sub(1));
    let first = sel
        .saturating_sub(rows.saturating_sub(1))
        .min(v.rows.len().saturating_sub(rows));
    for (i, row) in v.rows.iter().enumerate().skip(first).take(rows) {
        let here = i == sel;
        let (glyph, label, fstyle) = match app.terrain().feature(&row.code) {
            Some((_, f)) => (
                glyphs::feature(f, look.ascii).to_string(),
                f.en.clone(),
                look.named(f.color),
            ),
            None => ("?".into(), row.code.clone(), look.warning()),
        };
        let mark = if here { look.marker() } else { " " };
        let text = truncate(&inert(&label), label_w.saturating_sub(5)).into_owned();
        let pad = label_w.saturating_sub(4 + width(&text));
        let style = if here { look.selected() } else { look.text() };
        let mut spans = vec![
            Span::styled(format!("{mark} "), look.current()),
            Span::styled(format!("{glyph} "), fstyle),
            Span::styled(format!("{text}{}", " ".repeat(pad)), style),
        ];
        // The bar: each theme's share of the steps, in proportion to the most met kind.
        let mut used = 0;
        for (k, (_, n)) in row.by_theme.iter().enumerate() {
            let cells = (n * bar_w).div_ceil(most).min(bar_w - used);
            if cells > 0 {
                spans.push(Span::styled(
                    glyphs::theme_fill(k).get(look.ascii).repeat(cells),
                    look.series(k),
                ));
                used += cells;
            }
        }
        spans.push(Span::raw(" ".repeat(bar_w - used)));
        // Only where Fisher's exact test holds (see analysis::apart).
        let distinct = row
            .distinct
            .as_ref()
            .map_or(String::new(), |d| format!(" ◆ {}", short(&d.theme)));
        let nums = format!(
            " {:>3} in {:>2}/{}{distinct}",
            row.steps, row.journeys, v.journeys
        );
        spans.push(Span::styled(
            truncate(&nums, nums_w).into_owned(),
            if row.steps == 0 {
                look.dim()
            } else {
                look.text()
            },
        ));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A theme id cut to a few letters for the distinctiveness mark.
fn short(theme: &str) -> String {
    theme.chars().take(10).collect()
}

/// Every step where the selected kind is met: journey, step, and the first quote.
fn draw_segments(frame: &mut Frame, body: Rect, app: &App, v: &TerrainView) {
    let look = &app.look;
    let t = &app.terrain_screen;
    let Some(row) = v.rows.get(t.selected) else {
        return;
    };
    let label = app.terrain().feature(&row.code).map_or_else(
        || row.code.clone(),
        |(_, f)| match f.origin.tag() {
            Some(tag) => format!("{} / {} ({tag})", f.en, f.no),
            None => format!("{} / {}", f.en, f.no),
        },
    );
    let popup = centred(
        body,
        body.width.saturating_sub(4).min(110),
        (row.segments.len() as u16 * 2 + 2).clamp(4, body.height.saturating_sub(2)),
    );
    frame.render_widget(Clear, popup);
    let block = look.block(true).title(format!(
        " {} · met at {} steps · Enter jumps · Esc closes ",
        inert(&label),
        row.segments.len()
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let w = usize::from(inner.width);
    let per = 2;
    let rows = (usize::from(inner.height) / per).max(1);
    let cur = t.segments.unwrap_or(0);
    let first = cur.saturating_sub(rows.saturating_sub(1));
    let mut lines = Vec::new();
    for (k, &(ji, si)) in row.segments.iter().enumerate().skip(first).take(rows) {
        let j = &app.session.data.journeys[ji];
        let s = &j.steps[si];
        let here = k == cur;
        let head = format!("{} · step {}/{} · {}", j.id, si + 1, j.steps.len(), s.title);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", if here { look.marker() } else { " " }),
                look.current(),
            ),
            Span::styled(
                truncate(&inert(&head), w.saturating_sub(2)).into_owned(),
                if here { look.selected() } else { look.title() },
            ),
        ]));
        let quote = s
            .evidence
            .first()
            .map(|e| format!("«{}»", e.quote))
            .unwrap_or_else(|| "(no quote)".into());
        lines.push(Line::styled(
            format!("  {}", truncate(&inert(&quote), w.saturating_sub(2))),
            look.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
