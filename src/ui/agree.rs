//! The agreement screen: how far the analysts with notes on the journeys in view agree, per
//! code and overall, and the steps where their codes differ, one after another, with each
//! analyst's codes and notes side by side. Everything drawn comes from the cached
//! [`Agreement`]; the notes shown are looked up for the one step on screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::analysis::agree::{Agreement, Disagreement, Figures, Id, show, show_percent};
use crate::app::state::App;
use crate::ui::text::{inert, truncate, width};

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App) {
    let look = &app.look;
    let a = app.session.analysis.agreement.as_ref();
    let mut head = vec![
        Span::styled(" terreng ", look.title()),
        Span::styled("· agreement ", look.accent()),
    ];
    if let Some(a) = a {
        let filter = if app.atlas.filter.is_empty() {
            String::new()
        } else {
            format!(" · filter /{}", inert(&app.atlas.filter))
        };
        let who = if a.analysts.is_empty() {
            "no analysts' notes yet".to_string()
        } else {
            inert(&a.analysts.join(", ")).into_owned()
        };
        let n = a.disagreements.len();
        head.push(Span::raw(format!(
            "· {who} · {} {} coded by two or more · {n} differ{}{filter}",
            a.steps,
            if a.steps == 1 { "step" } else { "steps" },
            if n == 1 { "s" } else { "" }
        )));
    }
    let head = truncate_line(head, usize::from(header.width));
    frame.render_widget(Paragraph::new(head), header);

    if a.is_none() && !app.session.blind && crate::ui::draw_computing(frame, body, app, "Agreement")
    {
        return;
    }
    let message = match a {
        None => Some(
            "Blind coding is on: the other analysts' notes are hidden, and so is how far you \
             agree. Start terreng without --blind to compare."
                .to_string(),
        ),
        Some(a) if a.analysts.len() < 2 => Some(
            "Agreement needs two analysts' notes on the same steps. Each analyst's notes are in \
             their own folder, annotations/<name>/; bring the others' in with git (README, \
             Working as a team)."
                .to_string(),
        ),
        Some(a) if a.overall.units == 0 => Some(format!(
            "No step in view is coded by two of {} yet: nothing to compare.",
            a.analysts.join(", ")
        )),
        _ => None,
    };
    if let Some(m) = message {
        let block = look.block(true).title(" Agreement ");
        let inner = block.inner(body);
        frame.render_widget(block, body);
        frame.render_widget(
            Paragraph::new(Line::styled(inert(&m).into_owned(), look.text()))
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let Some(a) = a else { return };
    // The figures take up to a third of the body; the disagreement the rest.
    let rows = a.per_code.len() as u16 + 4;
    let table_h = rows.min(body.height / 3).max(5);
    let [table, rest] =
        Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(body);
    draw_figures(frame, table, app, a);
    draw_disagreement(frame, rest, app, a);
}

/// A header line cut to the width.
fn truncate_line(spans: Vec<Span<'static>>, w: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let room = w.saturating_sub(used);
        if room == 0 {
            break;
        }
        let text = truncate(&s.content, room).into_owned();
        used += width(&text);
        out.push(Span::styled(text, s.style));
    }
    Line::from(out)
}

/// The κ of two analysts, or Fleiss' κ of more.
fn kappa(a: &Agreement, f: &Figures) -> Option<f64> {
    if a.analysts.len() == 2 {
        f.pairs.first().and_then(|p| p.kappa)
    } else {
        f.fleiss
    }
}

fn draw_figures(frame: &mut Frame, area: Rect, app: &App, a: &Agreement) {
    let look = &app.look;
    let kappa_name = if a.analysts.len() == 2 {
        "Cohen κ"
    } else {
        "Fleiss κ"
    };
    let block = look
        .block(false)
        .title(" Per code · overall pooled over step × code · — undefined (no variation) ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let h = usize::from(inner.height);
    if h == 0 || w < 30 {
        return;
    }
    let nums = format!("{:>6} {:>7} {:>9} {:>7}", "steps", "agree", kappa_name, "α");
    let label_w = w.saturating_sub(width(&nums) + 1);
    let row = |label: &str, f: &Figures| {
        format!(
            "{:<label_w$} {:>6} {:>7} {:>9} {:>7}",
            truncate(label, label_w),
            f.units,
            show_percent(f.percent),
            show(kappa(a, f)),
            show(f.alpha)
        )
    };
    let mut lines = vec![Line::styled(
        format!("{:<label_w$} {nums}", "code"),
        look.dim(),
    )];
    // The codes that differ on the step shown come first, so they are always in view.
    let differing: Vec<&str> = app
        .disagreement()
        .map(|d| d.differing.iter().map(|c| &**c).collect())
        .unwrap_or_default();
    let mut codes: Vec<_> = a.per_code.iter().collect();
    codes.sort_by_key(|c| !differing.contains(&c.code.as_str()));
    // Room for the codes between the heading and the overall line, one of them kept for
    // saying how many more there are when not all fit.
    let mut room = h.saturating_sub(2);
    if codes.len() > room {
        room = room.saturating_sub(1);
    }
    for c in codes.iter().take(room) {
        let label = code_label(app, &c.code);
        let style = if differing.contains(&c.code.as_str()) {
            look.accent()
        } else {
            look.text()
        };
        lines.push(Line::styled(row(&label, &c.figures), style));
    }
    if codes.len() > room {
        lines.push(Line::styled(
            format!(
                "… {} more codes (terreng agree lists all)",
                codes.len() - room
            ),
            look.dim(),
        ));
    }
    lines.push(Line::styled(row("overall", &a.overall), look.title()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A code's English name with its id, as inert text.
fn code_label(app: &App, code: &str) -> String {
    let text = match app.terrain().feature(code) {
        Some((_, f)) => format!("{} ({code})", f.en),
        None => code.to_string(),
    };
    inert(&text).into_owned()
}

fn draw_disagreement(frame: &mut Frame, area: Rect, app: &App, a: &Agreement) {
    let look = &app.look;
    let Some(d) = app.disagreement() else {
        let block = look.block(true).title(" Disagreements ");
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Paragraph::new("They agree on every step coded by two or more of them."),
            inner,
        );
        return;
    };
    let pos = app
        .agree_screen
        .pos
        .min(a.disagreements.len().saturating_sub(1));
    let (ji, si) = d.step.at;
    let journey = app.session.data.journeys.get(ji);
    let step = journey.and_then(|j| j.steps.get(si));
    let block = look.block(true).title(format!(
        " Disagreement {}/{} · ←/→ · Enter opens the step ",
        pos + 1,
        a.disagreements.len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 20 {
        return;
    }
    let w = usize::from(inner.width);
    let mut lines = vec![Line::styled(
        truncate(
            &inert(&format!(
                "{} · step {}/{} {} · {}",
                journey.map_or(&*d.step.journey, |j| j.title.as_str()),
                si + 1,
                journey.map_or(0, |j| j.steps.len()),
                d.step.step,
                step.map_or("", |s| s.title.as_str())
            )),
            w,
        )
        .into_owned(),
        look.title(),
    )];
    lines.push(Line::styled(
        "Codes that differ (↑/↓ choose, a adopts it on your note):",
        look.dim(),
    ));
    let own = app.analyst();
    let code_rows = differing_rows(app, a, d, own, w);
    let list_h = code_rows.len().min(usize::from(inner.height) / 2);
    lines.extend(code_rows.into_iter().take(list_h));
    let top_h = lines.len() as u16;
    let [top, columns] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), top);
    draw_columns(frame, columns, app, a, d, own);
}

/// One line per differing code: the cursor, the code, and who has it.
fn differing_rows(
    app: &App,
    a: &Agreement,
    d: &Disagreement,
    own: &str,
    w: usize,
) -> Vec<Line<'static>> {
    let look = &app.look;
    let chosen = app
        .agree_screen
        .code
        .min(d.differing.len().saturating_sub(1));
    let (has, lacks) = if look.ascii {
        ("+", "-")
    } else {
        ("✓", "·")
    };
    d.differing
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let who: Vec<String> = a
                .analysts
                .iter()
                .zip(&d.step.codes)
                .filter_map(|(name, codes)| {
                    let codes = codes.as_ref()?;
                    let mark = if codes.contains(code) { has } else { lacks };
                    let you = if name == own { " (you)" } else { "" };
                    Some(format!("{mark} {}{you}", inert(name)))
                })
                .collect();
            let marker = if i == chosen { look.marker() } else { " " };
            let text = format!("{marker} {}   {}", code_label(app, code), who.join("  "));
            let style = if i == chosen {
                look.selected()
            } else {
                look.text()
            };
            Line::styled(truncate(&text, w).into_owned(), style)
        })
        .collect()
}

/// Each analyst who coded the step, side by side: their codes, then their notes' text.
fn draw_columns(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    a: &Agreement,
    d: &Disagreement,
    own: &str,
) {
    let look = &app.look;
    let coders: Vec<(&String, &Vec<Id>)> = a
        .analysts
        .iter()
        .zip(&d.step.codes)
        .filter_map(|(n, c)| Some((n, c.as_ref()?)))
        .collect();
    if coders.is_empty() || area.height < 3 {
        return;
    }
    // As many columns as fit at 24 cells or more; the rest are named in the last title.
    let fit = (usize::from(area.width) / 24).clamp(1, coders.len());
    let cols = Layout::horizontal(vec![Constraint::Fill(1); fit]).split(area);
    let notes = app.journey_notes(&d.step.journey);
    for (k, ((name, codes), rect)) in coders.iter().zip(cols.iter()).enumerate() {
        let mut title = format!(
            " {}{} ",
            inert(name),
            if *name == own { " (you)" } else { "" }
        );
        if k + 1 == fit && coders.len() > fit {
            title = format!("{title}+{} more ", coders.len() - fit);
        }
        let block = look.block(false).title(title);
        let mut lines: Vec<Line> = Vec::new();
        if codes.is_empty() {
            lines.push(Line::styled("(no code)", look.dim()));
        }
        for c in codes.iter() {
            let differs = d.differing.iter().any(|x| **x == **c);
            let style = if differs { look.accent() } else { look.text() };
            let mark = match (differs, look.ascii) {
                (true, false) => "≠ ",
                (true, true) => "* ",
                (false, _) => "= ",
            };
            lines.push(Line::styled(format!("{mark}{}", code_label(app, c)), style));
        }
        for (_, n) in notes
            .iter()
            .filter(|(an, n)| an == name && *n.step == *d.step.step)
        {
            lines.push(Line::raw(""));
            for l in n.text.lines() {
                lines.push(Line::raw(inert(l).into_owned()));
            }
        }
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            *rect,
        );
    }
}
