//! The codebook screen: every code by class and category, with its mark and how often journeys
//! and notes use it; beside (or under) the list, the selected code's definition, origin, look
//! and where it is used. Rows are made in `update`; only those in view are drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::codebook::CodeRow;
use crate::app::state::App;
use crate::model::FeatureClass;
use crate::model::codebook::Usage;
use crate::text::plural;
use crate::ui::glyphs;
use crate::ui::text::{inert, truncate, width, wrap};

/// "3 steps 2 notes" (short: "3 st 2 nt"), "unused".
fn counts(u: &Usage, long: bool) -> String {
    let mut parts = Vec::new();
    let count = |n: usize, one: &str, many: &str, short: &str| {
        if long {
            plural(n, one, many)
        } else {
            format!("{n} {short}")
        }
    };
    if !u.steps.is_empty() {
        parts.push(count(u.steps.len(), "step", "steps", "st"));
    }
    if !u.notes.is_empty() {
        parts.push(count(u.notes.len(), "note", "notes", "nt"));
    }
    if parts.is_empty() {
        if u.aliases.is_empty() {
            "unused".to_string()
        } else {
            "—".to_string()
        }
    } else {
        parts.join(" ")
    }
}

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App) {
    let look = &app.look;
    let t = app.terrain();
    let file = match app.catalogue_path() {
        Ok(p) => p.display().to_string(),
        Err(_) => "the bundled catalogue (read-only)".to_string(),
    };
    let head = Line::from(vec![
        Span::styled(" terreng ", look.title()),
        Span::styled("· codebook ", look.accent()),
        Span::raw(
            truncate(
                &inert(&format!(
                    "· {} · {}{} · {file}",
                    plural(t.obstacles.len(), "obstacle", "obstacles"),
                    plural(t.enablers.len(), "enabler", "enablers"),
                    if t.unsorted.is_empty() {
                        String::new()
                    } else {
                        format!(", {} unsorted", t.unsorted.len())
                    }
                )),
                usize::from(header.width).saturating_sub(20),
            )
            .into_owned(),
        ),
    ]);
    frame.render_widget(Paragraph::new(head), header);
    let (list, detail) = if body.width >= 120 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        (a, b)
    } else {
        let detail_h = (body.height / 2).clamp(5, 10);
        let [a, b] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(detail_h)]).areas(body);
        (a, b)
    };
    draw_list(frame, list, app);
    draw_detail(frame, detail, app);
}

fn draw_list(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let cb = &app.codebook;
    let title = match (&cb.searching, &cb.merging) {
        (Some(q), _) => format!(" Codes · search: {}▏ ", inert(q)),
        (None, merging) => list_title(merging, area.width),
    };
    let block = look
        .block(true)
        .title(truncate(&title, usize::from(area.width.saturating_sub(2))).into_owned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let h = usize::from(inner.height);
    let w = usize::from(inner.width);
    if h == 0 || w < 10 {
        return;
    }
    if cb.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "No codes yet: in a code picker (c on a step, or a step's codes), type a label \
                 nothing matches and press Enter.",
                look.dim(),
            )),
            inner,
        );
        return;
    }
    // The selection in view, with a little of what is around it.
    let sel = cb.selected.min(cb.rows.len() - 1);
    let first = sel
        .saturating_sub(h / 3)
        .min(cb.rows.len().saturating_sub(h));
    let t = app.terrain();
    let mut lines = Vec::new();
    for (i, row) in cb.rows.iter().enumerate().skip(first).take(h) {
        match row {
            CodeRow::Heading {
                text,
                category: false,
            } => lines.push(Line::styled(
                truncate(&inert(text), w).into_owned(),
                look.title(),
            )),
            CodeRow::Heading {
                text,
                category: true,
            } => lines.push(Line::styled(
                truncate(&format!("  {}", inert(text)), w).into_owned(),
                look.accent(),
            )),
            CodeRow::Code { id, class, usage } => {
                let f = t
                    .raw_feature(id)
                    .map(|(_, f)| f)
                    .or_else(|| t.unsorted.iter().find(|f| f.id == *id));
                let here = i == sel;
                let merging = cb.merging.as_deref() == Some(id.as_str());
                let mark = if here { look.marker() } else { " " };
                let glyph = f.map_or("?", |f| glyphs::feature(f, look.ascii));
                let style = match (f, class) {
                    (Some(f), Some(_)) if f.merged_into.is_none() => look.named(f.color),
                    _ => look.dim(),
                };
                let right = counts(usage, w >= 70);
                let label = match f {
                    Some(f) => match &f.merged_into {
                        Some(into) => format!("{} · {id} → {into}", f.en),
                        None => format!("{} · {id}", f.en),
                    },
                    None => id.clone(),
                };
                let label = if merging {
                    format!("{label} ⇢ merging")
                } else {
                    label
                };
                let room = w.saturating_sub(4 + width(glyph) + 1 + width(&right) + 1);
                let shown = truncate(&inert(&label), room).into_owned();
                let pad = room.saturating_sub(width(&shown));
                let mut text_style = if here { look.selected() } else { look.text() };
                if f.is_some_and(|f| f.definition.is_empty()) {
                    text_style = text_style.add_modifier(Modifier::ITALIC);
                }
                lines.push(Line::from(vec![
                    Span::styled(format!("{mark}   "), look.current()),
                    Span::styled(format!("{glyph} "), style),
                    Span::styled(shown, text_style),
                    Span::raw(" ".repeat(pad + 1)),
                    Span::styled(right, look.dim()),
                ]));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App) {
    let look = &app.look;
    let block = look.block(false).title(" The code ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width).max(1);
    let cb = &app.codebook;
    let Some(CodeRow::Code { id, class, usage }) = cb.rows.get(cb.selected) else {
        return;
    };
    let t = app.terrain();
    let Some(f) = t
        .raw_feature(id)
        .map(|(_, f)| f)
        .or_else(|| t.unsorted.iter().find(|f| f.id == *id))
    else {
        return;
    };
    let class = match class {
        Some(FeatureClass::Obstacle) => "obstacle",
        Some(FeatureClass::Enabler) => "enabler",
        None => "unsorted",
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} ", glyphs::feature(f, look.ascii)),
            look.named(f.color),
        ),
        Span::styled(
            truncate(&inert(&format!("{} / {}", f.en, f.no)), w.saturating_sub(2)).into_owned(),
            look.title(),
        ),
    ])];
    let category = match &f.category {
        Some(c) => match t.category(c) {
            Some(cat) => format!(" · in {}", cat.en),
            None => format!(" · under '{c}'"),
        },
        None => String::new(),
    };
    let facts = format!(
        "{id} · {class} · {:?} · {}{category}",
        f.shape,
        f.color.name()
    );
    lines.push(Line::styled(
        truncate(&inert(&facts), w).into_owned(),
        look.dim(),
    ));
    if let Some(into) = &f.merged_into {
        lines.push(Line::styled(
            truncate(
                &inert(&format!(
                    "merged into '{into}': counts as it everywhere; kept so that notes using it resolve"
                )),
                w,
            )
            .into_owned(),
            look.accent(),
        ));
    }
    let definition = if f.definition.is_empty() {
        "No definition yet: e writes one.".to_string()
    } else {
        f.definition.clone()
    };
    for l in wrap(&inert(&definition), w).into_iter().take(4) {
        lines.push(Line::styled(l, look.text()));
    }
    let mut journeys: Vec<&str> = usage.steps.iter().map(|(j, _)| j.as_str()).collect();
    journeys.dedup();
    let analysts = app.analysts_named(usage.notes.iter().map(|(a, _, _)| a.as_str()));
    let mut used = Vec::new();
    if !usage.steps.is_empty() {
        used.push(format!(
            "{} in {}",
            plural(usage.steps.len(), "step", "steps"),
            plural(journeys.len(), "journey", "journeys")
        ));
    }
    if !usage.notes.is_empty() {
        used.push(format!(
            "{} ({})",
            plural(usage.notes.len(), "note", "notes"),
            analysts.join(", ")
        ));
    }
    if !usage.aliases.is_empty() {
        used.push(format!("aliases: {}", usage.aliases.join(", ")));
    }
    let used = if used.is_empty() {
        "Used nowhere: d deletes it.".to_string()
    } else {
        format!("Used: {}", used.join(" · "))
    };
    for l in wrap(&inert(&used), w).into_iter().take(2) {
        lines.push(Line::styled(l, look.accent()));
    }
    if let Some(o) = f.origin.describe() {
        lines.push(Line::styled(
            truncate(&inert(&format!("Label: {o}")), w).into_owned(),
            look.dim(),
        ));
    }
    // Where, as far as there is room: each step with its title, then the notes.
    let room = usize::from(inner.height).saturating_sub(lines.len() + 1);
    if room > 0 && !(usage.steps.is_empty() && usage.notes.is_empty()) {
        lines.push(Line::styled("Where:", look.dim()));
        let steps = usage.steps.iter().map(|(j, s)| {
            let title = app
                .session
                .data
                .journey(j)
                .and_then(|jj| jj.steps.iter().find(|x| x.id == *s))
                .map_or("", |x| x.title.as_str());
            format!("  {j} {s} · {title}")
        });
        let notes = usage
            .notes
            .iter()
            .map(|(a, j, _)| format!("  a note by {a} on {j}"));
        let all: Vec<String> = steps.chain(notes).collect();
        let shown = if all.len() > room {
            room - 1
        } else {
            all.len()
        };
        for l in &all[..shown] {
            lines.push(Line::styled(
                truncate(&inert(l), w).into_owned(),
                look.text(),
            ));
        }
        if shown < all.len() {
            lines.push(Line::styled(
                format!("  … and {} more", all.len() - shown),
                look.dim(),
            ));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The list's title: what it shows, or the code being merged.
fn list_title(merging: &Option<String>, width: u16) -> String {
    match merging {
        Some(id) => format!(
            " Merge '{}' into… (Enter on the code; Esc: not now) ",
            inert(id)
        ),
        None if width >= 72 => " Codes, and the journey steps and notes that use them ".into(),
        None => " Codes · st: journey steps, nt: notes ".to_string(),
    }
}
