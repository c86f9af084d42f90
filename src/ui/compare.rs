//! The compare screen: the marked journeys' maps side by side (stacked on a narrow terminal),
//! stepped in lockstep; under them one chart of their progress curves (or the themes' mean
//! curves with their spread), and the obstacle × journey matrix — or, on Tab, the journeys most
//! like the first one. Everything drawn comes from the cached [`CompareView`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Clear, Dataset, GraphType, Paragraph};

use crate::analysis::view::{CompareView, SAMPLES};
use crate::app::state::{App, CompareFocus};
use crate::model::Step;
use crate::ui::atlas::bar;
use crate::ui::glyphs;
use crate::ui::help::centred;
use crate::ui::map::MapView;
use crate::ui::text::{inert, truncate, width};

/// The narrowest a side-by-side pane may be; narrower, the panes are stacked.
const PANE_MIN_WIDTH: u16 = 34;

/// The narrowest a map pane may be when the panes are too low to stack (four journeys at 80
/// columns): a small map each, its step's terrain by glyph.
const NARROW_PANE: u16 = 16;

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App) {
    let look = &app.look;
    let Some(v) = &app.session.analysis.compare else {
        draw_header(frame, header, app, None);
        if crate::ui::draw_computing(frame, body, app, "Compare") {
            return;
        }
        let text = vec![
            Line::styled("Nothing to compare yet.", look.title()),
            Line::raw(""),
            Line::raw("Mark 2 to 4 journeys with m in the atlas (1) or the journey screen (2),"),
            Line::raw("or whole themes with M; then come back here with 3."),
        ];
        let block = look.block(true).title(" Compare ");
        let inner = block.inner(body);
        frame.render_widget(block, body);
        frame.render_widget(Paragraph::new(text), inner);
        return;
    };
    draw_header(frame, header, app, Some(v));
    // Themes list their journeys: as many rows as the longest list, no more; journeys' maps
    // take half the height.
    let half = (body.height / 2).max(6);
    let panes_h = if v.themes.is_empty() {
        half
    } else {
        let most = v
            .themes
            .iter()
            .map(|t| v.journeys.iter().filter(|l| l.theme == t.id).count())
            .max()
            .unwrap_or(0) as u16;
        let stacked = body.width / (v.themes.len().max(1) as u16) < PANE_MIN_WIDTH;
        let per = most + 2;
        let want = if stacked {
            per * v.themes.len() as u16
        } else {
            per
        };
        want.clamp(6, half)
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Length(panes_h), Constraint::Min(0)]).areas(body);
    if v.themes.is_empty() {
        draw_journey_panes(frame, top, app, v);
    } else {
        draw_theme_panes(frame, top, app, v);
    }
    let chart_w = if bottom.width >= 100 {
        bottom.width / 2
    } else {
        bottom.width * 9 / 20
    };
    let [chart_area, right] =
        Layout::horizontal([Constraint::Length(chart_w), Constraint::Min(0)]).areas(bottom);
    draw_chart(frame, chart_area, app, v);
    if app.compare.focus == CompareFocus::Similar {
        draw_similar(frame, right, app, v);
    } else {
        draw_matrix(frame, right, app, v);
    }
    if app.compare.cell.is_some() {
        draw_cell(frame, body, app, v);
    }
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, v: Option<&CompareView>) {
    let look = &app.look;
    let mut spans = vec![
        Span::styled(" terreng ", look.title()),
        Span::styled("· compare ", look.accent()),
    ];
    if let Some(v) = v {
        let what = if v.themes.is_empty() {
            format!("{} journeys", v.journeys.len())
        } else {
            format!("{} themes, {} journeys", v.themes.len(), v.journeys.len())
        };
        let lockstep = if app.compare.by_position || !v.themes.is_empty() {
            "lockstep by position"
        } else {
            "lockstep by step"
        };
        spans.push(Span::raw(format!(
            "· {what} · {lockstep} · codes: {}",
            v.source
        )));
    }
    let line = Line::from(spans);
    frame.render_widget(Paragraph::new(line), area);
}

/// Splits an area into `n` panes side by side, or stacked when side by side would be too
/// narrow.
fn pane_areas(area: Rect, n: usize) -> Vec<Rect> {
    let n = n.max(1) as u32;
    let side_by_side = u32::from(area.width) / n >= u32::from(PANE_MIN_WIDTH);
    let constraints = (0..n).map(|_| Constraint::Ratio(1, n));
    if side_by_side {
        Layout::horizontal(constraints).split(area).to_vec()
    } else {
        Layout::vertical(constraints).split(area).to_vec()
    }
}

fn draw_journey_panes(frame: &mut Frame, area: Rect, app: &App, v: &CompareView) {
    let look = &app.look;
    let focused = app.compare.focus == CompareFocus::Panes;
    let n = v.journeys.len().max(1) as u16;
    let mut areas = pane_areas(area, v.journeys.len());
    let stacked = areas.len() > 1 && areas[0].y != areas[1].y;
    // Too low to stack: narrow maps side by side, captioned by glyphs, where each still has
    // room for a map; else a compact list, a line per journey and its current step.
    let mut narrow = false;
    if stacked && areas.iter().any(|r| r.height < 5) {
        if area.width / n >= NARROW_PANE && area.height >= 7 {
            let constraints = (0..n).map(|_| Constraint::Ratio(1, u32::from(n)));
            areas = Layout::horizontal(constraints).split(area).to_vec();
            narrow = true;
        } else {
            draw_journey_lines(frame, area, app, v);
            return;
        }
    }
    for (k, (line, rect)) in v.journeys.iter().zip(areas).enumerate() {
        let j = &app.session.data.journeys[line.index];
        let title = if narrow {
            format!(" {} · {} ", k + 1, inert(&j.id))
        } else {
            format!(" {} · {} ", k + 1, inert(&j.title))
        };
        let block = look
            .block(focused)
            .title(Span::styled(title, look.series(k)));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        if inner.height == 0 || inner.width == 0 {
            continue;
        }
        let (step, over) = app.lockstep(j.steps.len());
        let w = usize::from(inner.width);
        let mut caption = vec![match j.steps.get(step) {
            Some(s) => {
                let head = match (over, narrow) {
                    (true, _) => format!("ended · step {}/{}", step + 1, j.steps.len()),
                    (false, true) => format!("{}/{}", step + 1, j.steps.len()),
                    (false, false) => format!("step {}/{}", step + 1, j.steps.len()),
                };
                let room = w.saturating_sub(width(&head) + 3);
                Line::from(vec![
                    Span::styled(head, look.accent()),
                    Span::raw(" · "),
                    Span::styled(truncate(&inert(&s.title), room).into_owned(), look.title()),
                ])
            }
            None => Line::styled("no steps", look.dim()),
        }];
        if let Some(s) = j.steps.get(step) {
            caption.push(if narrow {
                glyph_line(app, s, w)
            } else {
                code_line(app, s, w, 0)
            });
        }
        let cap_h = (caption.len() as u16).min(inner.height);
        let [map_area, cap_area] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(cap_h)]).areas(inner);
        if map_area.height >= 3 {
            let view = MapView {
                journey: j,
                route: &app.session.routes[line.index],
                terrain: app.terrain(),
                look,
                current: step,
                show_future: app.journey.show_future,
                noted: app.noted_steps(line.index),
            };
            view.render(map_area, frame.buffer_mut());
        }
        frame.render_widget(Paragraph::new(caption), cap_area);
    }
}

/// The compared journeys as lines: number and title in the journey's colour, then its step at
/// the lockstep position and that step's terrain.
/// A step's terrain as glyph and name in its colour, after `indent` spaces, as many as fit in
/// `w` columns, then `…`.
fn code_line(app: &App, s: &Step, w: usize, indent: usize) -> Line<'static> {
    let look = &app.look;
    let mut spans = vec![Span::raw(" ".repeat(indent))];
    let mut used = indent;
    for id in s.codes() {
        let Some((_, f)) = app.terrain().feature(id) else {
            continue;
        };
        let item = format!("{} {}  ", glyphs::feature(f, look.ascii), inert(&f.en));
        if used + width(&item) > w {
            spans.push(Span::styled("…", look.dim()));
            break;
        }
        used += width(&item);
        spans.push(Span::styled(item, look.named(f.color)));
    }
    Line::from(spans)
}

/// A step's terrain as glyphs alone, in their colours (the map's legend words them).
fn glyph_line(app: &App, s: &Step, w: usize) -> Line<'static> {
    let look = &app.look;
    let mut spans = Vec::new();
    let mut used = 0;
    for id in s.codes() {
        let Some((_, f)) = app.terrain().feature(id) else {
            continue;
        };
        if used + 2 > w {
            spans.push(Span::styled("…", look.dim()));
            break;
        }
        used += 2;
        spans.push(Span::styled(
            format!("{} ", glyphs::feature(f, look.ascii)),
            look.named(f.color),
        ));
    }
    Line::from(spans)
}

fn draw_journey_lines(frame: &mut Frame, area: Rect, app: &App, v: &CompareView) {
    let look = &app.look;
    let block = look
        .block(app.compare.focus == CompareFocus::Panes)
        .title(" Journeys in lockstep (a taller terminal shows their maps) ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let per = if usize::from(inner.height) >= 2 * v.journeys.len() {
        2
    } else {
        1
    };
    let mut lines = Vec::new();
    for (k, line) in v.journeys.iter().enumerate() {
        let j = &app.session.data.journeys[line.index];
        let (step, over) = app.lockstep(j.steps.len());
        let Some(s) = j.steps.get(step) else {
            continue;
        };
        let head = format!(
            "{} · {} · {}step {}/{} · ",
            k + 1,
            inert(&j.id),
            if over { "ended · " } else { "" },
            step + 1,
            j.steps.len()
        );
        let title = truncate(&inert(&s.title), w.saturating_sub(width(&head))).into_owned();
        lines.push(Line::from(vec![
            Span::styled(head, look.series(k)),
            Span::styled(title, look.title()),
        ]));
        if per == 2 {
            lines.push(code_line(app, s, w, 4));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_theme_panes(frame: &mut Frame, area: Rect, app: &App, v: &CompareView) {
    let look = &app.look;
    let focused = app.compare.focus == CompareFocus::Panes;
    for (k, (theme, rect)) in v
        .themes
        .iter()
        .zip(pane_areas(area, v.themes.len()))
        .enumerate()
    {
        let title = format!(
            " {} · {} · mean {:.0}% ",
            k + 1,
            inert(&theme.name),
            theme.mean_final_progress
        );
        let block = look
            .block(focused)
            .title(Span::styled(title, look.series(k)));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let w = usize::from(inner.width);
        // Only the rows the pane has room for are made: a theme can hold thousands.
        let shown = || {
            v.journeys
                .iter()
                .filter(|l| l.theme == theme.id)
                .take(usize::from(inner.height))
        };
        // The titles as wide as the longest, so that the bars stand beside them.
        let longest = shown()
            .map(|l| width(&app.session.data.journeys[l.index].title))
            .max()
            .unwrap_or(4);
        let mut lines = Vec::new();
        for line in shown() {
            let j = &app.session.data.journeys[line.index];
            let (step, _) = app.lockstep(j.steps.len());
            let progress = line.curve.get(step).copied().unwrap_or(0.0) / 100.0;
            let right = format!(
                " {} {:>3}% {:>2}/{}",
                bar(progress, 8, look),
                (progress * 100.0).round(),
                step + 1,
                j.steps.len()
            );
            let title_w = w.saturating_sub(width(&right)).min(longest).max(4);
            let t = truncate(&inert(&j.title), title_w).into_owned();
            let pad = title_w.saturating_sub(width(&t));
            lines.push(Line::from(vec![
                Span::raw(format!("{t}{}", " ".repeat(pad))),
                Span::styled(right, look.series(k)),
            ]));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// The chart's title; per-group figures of seed 001 are not 18 independent cases, so it says
/// when they are charted.
fn progress_title(app: &App, v: &CompareView) -> String {
    // By index: a search by id per journey was 28 million comparisons a frame at XL.
    let journeys = v
        .journeys
        .iter()
        .filter_map(|c| app.session.data.journeys.get(c.index));
    match crate::analysis::stats::unit_note(journeys) {
        Some(_) => " Progress · 001: unit = theme ".to_string(),
        None => " Progress ".to_string(),
    }
}

/// A curve of the chart: its name in the legend (empty: not listed), style, marker, points.
type Series = (String, Style, Marker, Vec<(f64, f64)>);

/// One chart of the compared journeys' progress curves (or the themes' means and spread), with
/// a dotted line at the lockstep position.
fn draw_chart(frame: &mut Frame, area: Rect, app: &App, v: &CompareView) {
    let look = &app.look;
    let by_position = app.compare.by_position || !v.themes.is_empty();
    let longest = v.journeys.iter().map(|j| j.steps).max().unwrap_or(1).max(1);
    let pos = app.compare.pos.min(longest - 1);
    // Each series: name, style, marker, points.
    let mut series: Vec<Series> = Vec::new();
    let marker = |k: usize| {
        // Without colour the markers tell the curves apart.
        if look.no_color {
            [Marker::Braille, Marker::Dot, Marker::Block, Marker::Bar][k % 4]
        } else {
            Marker::Braille
        }
    };
    if v.themes.is_empty() {
        for (k, j) in v.journeys.iter().enumerate() {
            let n = j.curve.len().max(1) as f64;
            let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                .chain(j.curve.iter().enumerate().map(|(i, p)| {
                    let x = if by_position {
                        (i + 1) as f64 / n
                    } else {
                        (i + 1) as f64
                    };
                    (x, *p)
                }))
                .collect();
            series.push((
                format!("{} {}", k + 1, j.id),
                look.series(k),
                marker(k),
                pts,
            ));
        }
    } else {
        let xs: Vec<f64> = (0..SAMPLES)
            .map(|s| s as f64 / (SAMPLES - 1) as f64)
            .collect();
        for (k, t) in v.themes.iter().enumerate() {
            let line = |ys: &[f64]| -> Vec<(f64, f64)> {
                xs.iter().copied().zip(ys.iter().copied()).collect()
            };
            series.push((
                format!("{} {} mean", k + 1, t.id),
                look.series(k),
                marker(k),
                line(&t.mean),
            ));
            // The band: the lowest and highest curve, dotted, unnamed in the legend.
            for edge in [&t.min, &t.max] {
                series.push((String::new(), look.series(k), Marker::Dot, line(edge)));
            }
        }
    }
    let x_max = if by_position { 1.0 } else { longest as f64 };
    let x_now = if by_position {
        if longest > 1 {
            pos as f64 / (longest - 1) as f64
        } else {
            1.0
        }
    } else {
        (pos + 1) as f64
    };
    let cursor = vec![(x_now, 0.0), (x_now, 100.0)];
    let mut datasets: Vec<Dataset> = series
        .iter()
        .map(|(name, style, m, pts)| {
            let d = Dataset::default()
                .marker(*m)
                .graph_type(GraphType::Line)
                .style(*style)
                .data(pts);
            if name.is_empty() {
                d
            } else {
                d.name(name.clone())
            }
        })
        .collect();
    datasets.insert(
        0,
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(look.dim())
            .data(&cursor),
    );
    let x_title = if by_position {
        "share of the way"
    } else {
        "step"
    };
    let x_labels = if by_position {
        vec!["0".to_string(), "½".to_string(), "1".to_string()]
    } else {
        vec!["0".to_string(), format!("{}", longest)]
    };
    // The curves' names in the title, each in its colour, rather than a legend box over the
    // curves.
    // Where they do not fit, the numbers alone (the panes and the matrix say whose), and the
    // note on seed 001 shortened.
    let named: Vec<(&String, &Style)> = series
        .iter()
        .filter(|s| !s.0.is_empty())
        .map(|(name, style, _, _)| (name, style))
        .collect();
    let room = usize::from(area.width.saturating_sub(2));
    let head = progress_title(app, v).trim_end().to_string();
    let mut title = Vec::new();
    for (head, whole) in [
        (head.clone(), true),
        (head.clone(), false),
        (head.replace("001: unit = theme", "unit = theme"), false),
    ] {
        title = vec![Span::raw(head)];
        for (k, (name, style)) in named.iter().enumerate() {
            title.push(Span::raw(if whole || k == 0 { " · " } else { " " }));
            let shown = if whole {
                (*name).clone()
            } else {
                name.split(' ').next().unwrap_or("").to_string()
            };
            title.push(Span::styled(shown, **style));
        }
        title.push(Span::raw(" "));
        if title.iter().map(|s| width(&s.content)).sum::<usize>() <= room {
            break;
        }
    }
    let chart = Chart::new(datasets)
        .block(look.block(false).title(Line::from(title)))
        .x_axis(
            Axis::default()
                .title(Span::styled(x_title, look.dim()))
                .bounds([0.0, x_max])
                .labels(x_labels)
                .style(look.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, 100.0])
                .labels(["0", "50", "100"])
                .style(look.dim()),
        )
        .legend_position(None);
    frame.render_widget(chart, area);
}

fn draw_matrix(frame: &mut Frame, area: Rect, app: &App, v: &CompareView) {
    let look = &app.look;
    let focused = app.compare.focus == CompareFocus::Matrix;
    let m = &v.matrix;
    let title = if v.themes.is_empty() {
        " Obstacle × journey · Tab: most similar "
    } else {
        " Obstacle × theme (sums) · Tab: most similar "
    };
    let block = look.block(focused).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || inner.width < 10 {
        return;
    }
    let cols = m.columns.len();
    let cell_w = 4usize;
    // The labels as wide as the longest needs, so that the counts stand beside them however
    // wide the pane.
    let longest = m
        .codes
        .iter()
        .map(|c| {
            app.terrain()
                .feature(c)
                .map_or_else(|| width(c), |(_, f)| width(&f.en))
        })
        .max()
        .unwrap_or(4)
        + 3;
    let label_w = usize::from(inner.width)
        .saturating_sub(cols * cell_w + 1)
        .min(longest)
        .max(6);
    let mut lines = Vec::new();
    // Header: the column numbers in their series styles.
    let mut head = vec![Span::raw(" ".repeat(label_w + 1))];
    for k in 0..cols {
        head.push(Span::styled(format!("{:>cell_w$}", k + 1), look.series(k)));
    }
    lines.push(Line::from(head));
    let rows = usize::from(inner.height) - 1;
    let cur = app.compare.row.min(m.codes.len().saturating_sub(1));
    let first = cur
        .saturating_sub(rows.saturating_sub(1))
        .min(m.codes.len().saturating_sub(rows));
    for (r, code) in m.codes.iter().enumerate().skip(first).take(rows) {
        let (glyph, label, fstyle) = match app.terrain().feature(code) {
            Some((_, f)) => (
                glyphs::feature(f, look.ascii).to_string(),
                f.en.clone(),
                look.named(f.color),
            ),
            None => ("?".to_string(), code.clone(), look.warning()),
        };
        let here = focused && r == cur;
        let text = truncate(&inert(&label), label_w.saturating_sub(2)).into_owned();
        let pad = label_w.saturating_sub(2 + width(&text));
        let mut spans = vec![
            Span::styled(format!("{glyph} "), fstyle),
            Span::raw(format!("{text}{} ", " ".repeat(pad))),
        ];
        for (c, n) in m.counts[r].iter().enumerate() {
            let cell = if *n == 0 {
                format!("{:>cell_w$}", "·")
            } else {
                format!("{n:>cell_w$}")
            };
            let mut style = if *n == 0 { look.dim() } else { look.text() };
            if here && c == app.compare.col {
                style = look.selected();
            }
            spans.push(Span::styled(cell, style));
        }
        lines.push(Line::from(spans));
    }
    if m.codes.is_empty() {
        lines.push(Line::styled(
            format!("No codes from {} on these journeys.", v.source),
            look.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_similar(frame: &mut Frame, area: Rect, app: &App, v: &CompareView) {
    let look = &app.look;
    let Some(first) = v.journeys.first() else {
        return;
    };
    let block = look
        .block(true)
        .title(format!(" Most like {} · Enter opens ", inert(&first.id)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let mut lines = vec![Line::styled(
        truncate(&format!("{} · {}", first.id, first.signature), w).into_owned(),
        look.dim(),
    )];
    for (k, (id, d)) in first.nearest.iter().enumerate() {
        let here = k == app.compare.similar;
        let title = app
            .session
            .data
            .journey(id)
            .map_or_else(|| id.clone(), |j| j.title.clone());
        let text = format!("{:.2}  {}", d, inert(&title));
        let style = if here { look.selected() } else { look.text() };
        let mark = if here { look.marker() } else { " " };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), look.current()),
            Span::styled(truncate(&text, w.saturating_sub(2)).into_owned(), style),
        ]));
    }
    lines.push(Line::styled(
        truncate(
            &format!(
                "{}; 0 = the same sequence · d and c on the sequences screen (7) choose",
                v.nearest_by
            ),
            w,
        )
        .into_owned(),
        look.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The steps behind the chosen matrix cell, over the screen.
fn draw_cell(frame: &mut Frame, body: Rect, app: &App, v: &CompareView) {
    let look = &app.look;
    let c = &app.compare;
    let (Some(code), Some(steps)) = (
        v.matrix.codes.get(c.row),
        v.matrix.cells.get(c.row).and_then(|r| r.get(c.col)),
    ) else {
        return;
    };
    let label = app
        .terrain()
        .feature(code)
        .map_or_else(|| code.clone(), |(_, f)| f.en.clone());
    let popup = centred(
        body,
        body.width.saturating_sub(6).min(90),
        (steps.len() as u16 + 2).clamp(3, body.height.saturating_sub(2)),
    );
    frame.render_widget(Clear, popup);
    let block = look.block(true).title(format!(
        " {} · {} steps · Enter jumps · Esc closes ",
        inert(&label),
        steps.len()
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let w = usize::from(inner.width);
    let rows = usize::from(inner.height);
    let cur = c.cell.unwrap_or(0);
    let first = cur.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = steps
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(k, &(ji, si))| {
            let j = &app.session.data.journeys[ji];
            let s = &j.steps[si];
            let text = format!("{} · step {} · {}", j.id, si + 1, inert(&s.title));
            let here = k == cur;
            Line::from(vec![
                Span::styled(
                    format!("{} ", if here { look.marker() } else { " " }),
                    look.current(),
                ),
                Span::styled(
                    truncate(&text, w.saturating_sub(2)).into_owned(),
                    if here { look.selected() } else { look.text() },
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
