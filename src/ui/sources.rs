//! The sources screen: the study's sources in a list (title, size, passages cited and by how
//! many journeys, candidates from an imported project), and the reading view of one — the text
//! wrapped, the page and section in the margin, cited passages, coded passages, search hits
//! and the selection marked — with a panel saying what is under the cursor and where a
//! selected passage would go. A wide terminal lists the source's passages beside the text.
//!
//! A pure function of the app's state; the layout of the text is the reading view's, and
//! [`reading_size`] tells `update` the size it is laid out for. Every string from a file goes
//! through `inert`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::sources::{Citation, OpenSource, SourceText};
use crate::app::state::App;
use crate::store::sources::verify::{excerpt, thousands};
use crate::text::plural;
use crate::ui::Hits;
use crate::ui::reading::{MARGIN, Mark, MarkKind};
use crate::ui::text::{inert, truncate};

/// Rows of the passage panel under the text, borders included.
const INFO_ROWS: u16 = 5;

/// The reading view's parts in the body: the text's block, the panel under it, and, on a
/// wide terminal, the list of the source's passages beside them.
pub struct ReadingLayout {
    pub text: Rect,
    pub info: Rect,
    pub side: Option<Rect>,
}

/// Lays the reading view out in `body`.
pub fn reading_layout(body: Rect) -> ReadingLayout {
    let side_w = if body.width >= 150 {
        (body.width * 2 / 5).clamp(40, 80)
    } else {
        0
    };
    let [main, side] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(side_w)]).areas(body);
    let [text, info] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(INFO_ROWS)]).areas(main);
    ReadingLayout {
        text,
        info,
        side: (side_w > 0).then_some(side),
    }
}

/// The body of a terminal of `w`×`h`: less the header, the status line and the key bar.
fn body_of(w: u16, h: u16) -> Rect {
    Rect::new(0, 1, w, h.saturating_sub(3))
}

/// How wide the margin for page and section is in a text block of inner width `inner`, for a
/// source that has pages or headings (`margin`), else none.
fn margin_width(inner: u16, margin: bool) -> u16 {
    if margin { MARGIN.min(inner / 3) } else { 0 }
}

/// The columns and rows the text of a source is laid out in on a terminal of `w`×`h`
/// (`margin`: the source has pages or headings to show beside it).
pub fn reading_size(w: u16, h: u16, margin: bool) -> (usize, usize) {
    let inner = look_inner(reading_layout(body_of(w, h)).text);
    let cols = inner
        .width
        .saturating_sub(margin_width(inner.width, margin) + 1);
    (usize::from(cols.max(1)), usize::from(inner.height.max(1)))
}

/// A bordered block's inside.
fn look_inner(r: Rect) -> Rect {
    Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// The margin's label for a line starting at `pos`: the page first, so that it shows however
/// long the heading is ("p. 2 Samarbeidet").
fn margin_label(doc: &crate::model::source::Document, pos: usize) -> String {
    match (doc.page_at(pos), doc.heading_at(pos)) {
        (Some(p), Some(h)) => format!("p. {p} {}", h.text),
        (Some(p), None) => format!("p. {p}"),
        (None, Some(h)) => h.text.clone(),
        (None, None) => String::new(),
    }
}

/// Whether a source has a page or a heading to show in the margin.
pub fn has_margin(s: &SourceText) -> bool {
    !s.doc.page_breaks.is_empty() || !s.doc.headings.is_empty()
}

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App, hits: &mut Hits) {
    draw_header(frame, header, app);
    match app.sources.open_source() {
        Some((open, source)) => draw_reading(frame, body, app, open, source, hits),
        None => draw_list(frame, body, app, hits),
    }
    if let Some(pf) = &app.sources.form {
        crate::ui::form::draw(frame, body, &pf.form, &app.look);
    }
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let what = match app.sources.open_source() {
        Some((open, source)) => {
            let r = &open.reading;
            let at = source.doc.locator(r.cursor);
            format!(
                "· {} · {}{} of {} ",
                inert(&open.id),
                if at.is_empty() {
                    String::new()
                } else {
                    format!("{} · ", inert(&at))
                },
                thousands(r.cursor + usize::from(!r.is_empty())),
                thousands(r.len())
            )
        }
        None => match &app.sources.list {
            Some(list) => format!(
                "· {} · {} ",
                plural(list.len(), "source", "sources"),
                inert(&app.session.summary)
            ),
            None => "· reading the sources… ".to_string(),
        },
    };
    let spans = vec![
        Span::styled(" terreng ", look.title()),
        Span::styled("· sources ", look.accent()),
        Span::raw(what),
    ];
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// How many passages of a source are cited, and by how many journeys.
fn cited_counts(cited: &[Citation]) -> (usize, usize) {
    let mut spans: Vec<(usize, usize)> = cited.iter().map(|c| (c.start, c.end)).collect();
    spans.sort_unstable();
    spans.dedup();
    let mut journeys: Vec<usize> = cited.iter().map(|c| c.journey).collect();
    journeys.sort_unstable();
    journeys.dedup();
    (spans.len(), journeys.len())
}

fn draw_list(frame: &mut Frame, body: Rect, app: &App, hits: &mut Hits) {
    let look = &app.look;
    let sources = app.sources.sources();
    let block = look
        .block(true)
        .title(format!(" Sources · {} ", sources.len()));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    if sources.is_empty() {
        let text = if app.sources.root.is_none() {
            vec![
                Line::styled(
                    "The bundled journeys cite their seed texts by file name; they have no sources here.",
                    look.text(),
                ),
                Line::raw(""),
                Line::styled(
                    "A study of your own has them: `terreng new DIR`, then open it with `terreng --data DIR`.",
                    look.dim(),
                ),
            ]
        } else if app.sources.list.is_none() {
            vec![Line::styled("Reading the sources…", look.dim())]
        } else {
            vec![
                Line::styled("No sources in this study yet.", look.text()),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("Bring a document in: ", look.text()),
                    Span::styled(":source add PATH", look.key()),
                ]),
                Line::styled(
                    "(txt, md, docx, odt, html, pdf with a text layer, or a REFI-QDA .qdpx project)",
                    look.dim(),
                ),
            ]
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    let w = usize::from(inner.width);
    // id · title · size · cited · journeys · coded
    let nums = 38;
    let id_w = (w.saturating_sub(nums) / 3).clamp(8, 28);
    let title_w = w.saturating_sub(nums + id_w + 2).clamp(4, 60);
    let row = |id: &str, title: &str, size: &str, cited: &str, journeys: &str, coded: &str| {
        format!(
            "{:<id_w$} {:<title_w$} {:>10} {:>8} {:>9} {:>7}",
            truncate(id, id_w),
            truncate(title, title_w),
            size,
            cited,
            journeys,
            coded,
        )
    };
    let mut lines = vec![Line::styled(
        truncate(
            &format!(
                " {}",
                row("id", "title", "characters", "cited", "journeys", "coded")
            ),
            w,
        )
        .into_owned(),
        look.dim(),
    )];
    let detail_h = 4usize;
    let rows = usize::from(inner.height)
        .saturating_sub(1 + detail_h)
        .max(1);
    let sel = app.sources.selected.min(sources.len() - 1);
    let offset = sel.saturating_sub(rows - 1);
    for (i, s) in sources.iter().enumerate().skip(offset).take(rows) {
        let (cited, journeys) = cited_counts(app.sources.citations(&s.id));
        let text = row(
            &inert(&s.id),
            &inert(s.title()),
            &thousands(s.chars),
            &cited.to_string(),
            &journeys.to_string(),
            &s.doc.passages.len().to_string(),
        );
        let style = if i == sel {
            look.selected()
        } else {
            look.text()
        };
        let marker = if i == sel { look.marker() } else { " " };
        let y = inner.y + lines.len() as u16;
        hits.source_rows
            .push((Rect::new(inner.x, y, inner.width, 1), i));
        lines.push(Line::styled(
            truncate(&format!("{marker}{text}"), w).into_owned(),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    // The selected source in a few lines under the list.
    if let Some(s) = sources.get(sel)
        && inner.height as usize > detail_h + 2
    {
        let y = inner.y + inner.height - detail_h as u16;
        let area = Rect::new(inner.x, y, inner.width, detail_h as u16);
        let pages = s.doc.page_breaks.len() + 1;
        let (cited, journeys) = cited_counts(app.sources.citations(&s.id));
        let detail = vec![
            Line::styled("─".repeat(w), look.dim()),
            Line::styled(
                truncate(
                    &inert(&format!(
                        "{} · from {} ({}) · added {}",
                        s.title(),
                        s.doc.original,
                        s.doc.format.name(),
                        s.doc.added
                    )),
                    w,
                )
                .into_owned(),
                look.text(),
            ),
            Line::styled(
                truncate(
                    &format!(
                        "{} characters · {} · {} · {} passage(s) cited by {} journey(s) · {} coded elsewhere",
                        thousands(s.chars),
                        plural(pages, "page", "pages"),
                        plural(s.doc.headings.len(), "heading", "headings"),
                        cited,
                        journeys,
                        s.doc.passages.len()
                    ),
                    w,
                )
                .into_owned(),
                look.dim(),
            ),
            Line::from(vec![
                Span::styled("Enter", look.key()),
                Span::styled(" reads it · ", look.dim()),
                Span::styled(":source add PATH", look.key()),
                Span::styled(" brings another in", look.dim()),
            ]),
        ];
        frame.render_widget(Paragraph::new(detail), area);
    }
}

/// A code's label: the catalogue's English one, for an unsorted code too.
fn code_label(app: &App, id: &str) -> String {
    let t = app.terrain();
    t.feature(id)
        .map(|(_, f)| f.en.clone())
        .or_else(|| t.unsorted.iter().find(|f| f.id == id).map(|f| f.en.clone()))
        .unwrap_or_else(|| id.to_string())
}

/// "f01 s03 «Title»" for a citation.
fn step_name(app: &App, c: &Citation) -> String {
    let Some(j) = app.session.data.journeys.get(c.journey) else {
        return "?".into();
    };
    match j.steps.get(c.step) {
        Some(s) => format!("{} {} «{}»", j.id, s.id, s.title),
        None => j.id.clone(),
    }
}

fn draw_reading(
    frame: &mut Frame,
    body: Rect,
    app: &App,
    open: &OpenSource,
    source: &SourceText,
    hits: &mut Hits,
) {
    let look = &app.look;
    let layout = reading_layout(body);
    let r = &open.reading;
    let hits_n = plural(r.search.hits.len(), "hit", "hits");
    let search = match &app.sources.searching {
        Some(q) => format!(" · /{}▏ {hits_n}", inert(q)),
        None if !r.search.query.is_empty() => {
            format!(" · /{} {hits_n}", inert(&r.search.query))
        }
        None => String::new(),
    };
    let name = if source.title() == source.doc.original {
        inert(source.title()).into_owned()
    } else {
        format!(
            "{} · {}",
            inert(source.title()),
            inert(&source.doc.original)
        )
    };
    let block = look.block(true).title(
        truncate(
            &format!(" {name}{search} "),
            usize::from(layout.text.width.saturating_sub(2)),
        )
        .into_owned(),
    );
    let inner = block.inner(layout.text);
    frame.render_widget(block, layout.text);
    // The marks in view only: a search for a common letter may have thousands of hits.
    let lines = r.lines();
    let first = lines.get(r.top).map_or(0, |l| l.start);
    let last = lines
        .get(
            (r.top + usize::from(inner.height))
                .min(lines.len())
                .saturating_sub(1),
        )
        .map_or(0, |l| l.end + 1);
    let mut marks: Vec<Mark> = Vec::new();
    let from = r.search.hits.partition_point(|h| h.1 <= first);
    marks.extend(
        r.search.hits[from..]
            .iter()
            .take_while(|h| h.0 <= last)
            .map(|&(start, end)| Mark {
                start,
                end,
                kind: MarkKind::Hit,
            }),
    );
    let cited = app.sources.citations(&open.id);
    marks.extend(
        cited
            .iter()
            .filter(|c| c.start <= last && c.end >= first)
            .map(|c| Mark {
                start: c.start,
                end: c.end,
                kind: MarkKind::Cited,
            }),
    );
    marks.extend(
        source
            .doc
            .passages
            .iter()
            .filter(|p| p.start <= last && p.end >= first)
            .map(|p| Mark {
                start: p.start,
                end: p.end,
                kind: MarkKind::Candidate,
            }),
    );
    let doc = &source.doc;
    let margin = |pos: usize| margin_label(doc, pos);
    let text_area = crate::ui::reading::draw(
        frame.buffer_mut(),
        inner,
        r,
        &marks,
        &margin,
        margin_width(inner.width, has_margin(source)),
        look,
    );
    hits.reading = Some(text_area);
    draw_info(frame, layout.info, app, open, source);
    if let Some(side) = layout.side {
        draw_passages(frame, side, app, open, source);
    }
}

/// The panel under the text: what is under the cursor, the selection, and where a passage goes.
fn draw_info(frame: &mut Frame, area: Rect, app: &App, open: &OpenSource, source: &SourceText) {
    let look = &app.look;
    let block = look.block(false).title(" Passage ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let r = &open.reading;
    let cursor = r.cursor;
    let cited = app.sources.citations_at(&open.id, cursor);
    let coded: Vec<_> = source
        .doc
        .passages
        .iter()
        .filter(|p| p.start <= cursor && cursor < p.end)
        .collect();
    let line = |s: String, style| Line::styled(truncate(&inert(&s), w).into_owned(), style);
    let mut lines = Vec::new();
    let ascii = look.ascii;
    if !cited.is_empty() {
        let choice = open.cite_choice.min(cited.len() - 1);
        let names: Vec<String> = cited.iter().map(|c| step_name(app, c)).collect();
        let more = if cited.len() > 1 {
            format!(" ({} of {}; Tab: the next)", choice + 1, cited.len())
        } else {
            String::new()
        };
        lines.push(line(
            format!(
                "{} cited by {}{more} · Enter: to the step",
                MarkKind::Cited.gutter(ascii),
                names[choice]
            ),
            look.accent(),
        ));
    } else if !coded.is_empty() {
        let codes: Vec<String> = coded
            .iter()
            .flat_map(|p| p.codes.iter())
            .map(|id| code_label(app, id))
            .collect();
        lines.push(line(
            format!(
                "{} coded elsewhere: {} · Enter selects it",
                MarkKind::Candidate.gutter(ascii),
                codes.join(", ")
            ),
            look.text(),
        ));
    } else {
        let at = source.doc.locator(cursor);
        lines.push(line(
            format!(
                "{}{} of {} · ] the next cited or coded passage",
                if at.is_empty() {
                    String::new()
                } else {
                    format!("{at} · ")
                },
                thousands(cursor + 1),
                thousands(r.len())
            ),
            look.dim(),
        ));
    }
    match r.passage() {
        Some((start, end)) => lines.push(line(
            format!(
                "{} {} characters: «{}» · s a new step · e evidence · Esc cancels",
                MarkKind::Selection.gutter(ascii),
                thousands(end - start),
                excerpt(&r.slice(start, end), 50)
            ),
            look.selected(),
        )),
        None if r.anchor.is_some() => lines.push(line(
            "selecting: move to extend (l w ) } and back) · Esc cancels".into(),
            look.dim(),
        )),
        None => lines.push(line(
            "v selects (on a hit: the hit) · / searches · drag the mouse to select".into(),
            look.dim(),
        )),
    }
    lines.push(line(target_line(app), look.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Where a selected passage goes.
fn target_line(app: &App) -> String {
    let Some(j) = app.current_journey() else {
        return "no journey yet: s starts one with the passage as its first step".into();
    };
    match j
        .steps
        .get(app.journey.step.min(j.steps.len().saturating_sub(1)))
    {
        Some(s) => format!(
            "s → after {} «{}» · e → onto it · in {} «{}» · J → a new journey",
            s.id, s.title, j.id, j.title
        ),
        None => format!("s → the first step of {} «{}»", j.id, j.title),
    }
}

/// Beside the text on a wide terminal: every passage of the source cited or coded, in order.
fn draw_passages(frame: &mut Frame, area: Rect, app: &App, open: &OpenSource, source: &SourceText) {
    let look = &app.look;
    let cited = app.sources.citations(&open.id);
    let block = look.block(false).title(format!(
        " Passages · {} cited · {} coded ",
        cited.len(),
        source.doc.passages.len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let cursor = open.reading.cursor;
    let mut items: Vec<(usize, usize, Line)> = Vec::new();
    for c in cited {
        let quote = open.reading.slice(c.start, c.end);
        let here = c.start <= cursor && cursor < c.end;
        let style = if here { look.selected() } else { look.accent() };
        items.push((
            c.start,
            0,
            Line::styled(
                truncate(
                    &inert(&format!(
                        "{} {} · {}",
                        MarkKind::Cited.gutter(look.ascii),
                        step_name(app, c),
                        excerpt(&quote, 60)
                    )),
                    w,
                )
                .into_owned(),
                style,
            ),
        ));
    }
    for p in &source.doc.passages {
        let codes: Vec<String> = p.codes.iter().map(|id| code_label(app, id)).collect();
        let here = p.start <= cursor && cursor < p.end;
        let style = if here { look.selected() } else { look.text() };
        items.push((
            p.start,
            1,
            Line::styled(
                truncate(
                    &inert(&format!(
                        "{} {} · {}",
                        MarkKind::Candidate.gutter(look.ascii),
                        codes.join(", "),
                        excerpt(&open.reading.slice(p.start, p.end), 60)
                    )),
                    w,
                )
                .into_owned(),
                style,
            ),
        ));
    }
    items.sort_by_key(|(start, kind, _)| (*start, *kind));
    if items.is_empty() {
        let text = vec![
            Line::styled("No passage of this source is cited yet.", look.dim()),
            Line::styled("Select one (v) and make it a step (s).", look.dim()),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    // The passages around the cursor stay in view.
    let h = usize::from(inner.height);
    let at = items.partition_point(|(start, _, _)| *start <= cursor);
    let skip = at.saturating_sub(h / 2).min(items.len().saturating_sub(h));
    let lines: Vec<Line> = items
        .into_iter()
        .skip(skip)
        .take(h)
        .map(|(_, _, l)| l)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
