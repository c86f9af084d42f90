//! The sequences screen: the journeys in view as sequences of states.
//!
//! At the left, the sequence index plot: a row per journey, a cell per step, rows grouped by
//! cluster and sorted by distance to the cluster's medoid (`★`), each row's cluster and journey
//! id kept with it. A cell is coloured by its state *and* shows the state's glyph — a kind's
//! symbol from the step strip, or a letter the legend explains — so the plot reads without
//! colour. At the right, a pane that Tab turns: the quality of each number of clusters and the
//! clusters with their medoids; themes against clusters (Cramér's V, adjusted Rand index); the
//! state distribution at each position; the transition rates; entropy per position and
//! turbulence per journey. Under them, when two journeys are aligned, the alignment in two
//! rows, and over everything, on Enter, both steps' evidence side by side.
//!
//! Everything drawn comes from the cached [`SequenceView`]; nothing is computed here but
//! what is in sight. Every id, title and state label goes through [`inert`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::analysis::sequence::By;
use crate::analysis::sequence::align::{Op, Side};
use crate::analysis::sequence::plots::Distribution;
use crate::analysis::sequence::view::{SequenceView, channel_label};
use crate::app::state::{App, SeqAlignment, SeqPane};
use crate::model::{Journey, StepKind};
use crate::ui::glyphs;
use crate::ui::help::centred;
use crate::ui::text::{inert, truncate, width, wrap};

/// Glyphs for states that are not kinds, by their place in the alphabet: letters and digits,
/// then Greek and Norwegian letters (which `--ascii` keeps, as it keeps all letters).
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\
                       ΓΔΘΛΞΠΣΦΨΩαβγδεζηθικλμνξπρστυφχψωÆØÅæøå";

/// The colour of a state: each kind keeps one colour (the kind part of a two-channel state);
/// "no codes" is grey; other states take a palette in turn.
pub fn state_color(label: &str, index: usize) -> Color {
    const PALETTE: [Color; 10] = [
        Color::Cyan,
        Color::Yellow,
        Color::LightMagenta,
        Color::LightRed,
        Color::LightCyan,
        Color::LightYellow,
        Color::Blue,
        Color::Magenta,
        Color::Green,
        Color::Red,
    ];
    match label.split('|').next().unwrap_or(label) {
        "Advance" => Color::Green,
        "Arrive" => Color::LightGreen,
        "Detour" => Color::LightBlue,
        "Wander" => Color::Blue,
        "Retreat" => Color::Red,
        "Stall" => Color::Gray,
        "Blocked" => Color::Yellow,
        "Circle" => Color::Magenta,
        "-" => Color::DarkGray,
        _ => PALETTE[index % PALETTE.len()],
    }
}

/// The glyph of state `i`: a kind's own symbol when states are kinds; otherwise a letter or
/// digit by its place in the alphabet (`?` past the 101st).
pub fn state_glyph(alphabet: &[String], by: By, i: usize, ascii: bool) -> String {
    if by == By::Kind
        && let Some(label) = alphabet.get(i)
        && let Some(k) = StepKind::ALL.iter().find(|k| k.name() == label)
    {
        return glyphs::kind(*k).get(ascii).to_string();
    }
    LETTERS
        .chars()
        .nth(i)
        .map_or_else(|| "?".to_string(), |c| c.to_string())
}

/// How states are drawn: glyphs and colours for the view's alphabet.
struct States<'a> {
    alphabet: &'a [String],
    by: By,
    ascii: bool,
    no_color: bool,
}

impl States<'_> {
    fn style(&self, i: usize) -> Style {
        if self.no_color {
            return Style::default();
        }
        let label = self.alphabet.get(i).map_or("", String::as_str);
        Style::default().bg(state_color(label, i)).fg(Color::Black)
    }

    fn glyph(&self, i: usize) -> String {
        state_glyph(self.alphabet, self.by, i, self.ascii)
    }

    fn cell(&self, i: usize, selected: bool) -> Span<'static> {
        let mut style = self.style(i);
        if selected {
            style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        Span::styled(self.glyph(i), style)
    }

    fn label(&self, i: usize) -> String {
        self.alphabet
            .get(i)
            .map_or_else(|| "?".to_string(), |s| inert(s).into_owned())
    }
}

fn states<'a>(app: &App, v: &'a SequenceView) -> States<'a> {
    States {
        alphabet: &v.base.seqs.alphabet,
        by: v.base.by,
        ascii: app.look.ascii,
        no_color: app.look.no_color,
    }
}

pub fn draw(frame: &mut Frame, body: Rect, header: Rect, app: &App) {
    let look = &app.look;
    let result = app.session.analysis.sequences.as_ref();
    draw_header(frame, header, app, app.sequence_view());
    let v = match result {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            message(
                frame,
                body,
                app,
                vec![
                    Line::styled("These sequences could not be compared.", look.warning()),
                    Line::raw(""),
                    Line::raw(inert(e).into_owned()),
                    Line::raw(""),
                    Line::raw("d chooses another distance, c another channel."),
                ],
            );
            return;
        }
        None => {
            if crate::ui::draw_computing(frame, body, app, "Sequences") {
                return;
            }
            let text = match &app.session.loading {
                Some(_) => vec![
                    Line::raw("The study is still loading."),
                    Line::raw("Every pair of journeys is compared once every journey is in."),
                ],
                None => vec![Line::raw("Nothing computed yet.")],
            };
            message(frame, body, app, text);
            return;
        }
    };
    if v.order.is_empty() {
        message(
            frame,
            body,
            app,
            vec![
                Line::styled("No journey in view.", look.title()),
                Line::raw(""),
                Line::raw("The screen shows the journeys of the marked themes (M), else two or"),
                Line::raw("more marked journeys (m), else those the atlas filter lets through."),
            ],
        );
        return;
    }
    let align = app.sequences.align.as_ref();
    let (main, bottom) = match align {
        Some(_) => {
            let h = if body.height >= 30 { 9 } else { 7 };
            let [m, b] = Layout::vertical([Constraint::Min(0), Constraint::Length(h)]).areas(body);
            (m, Some(b))
        }
        None => (body, None),
    };
    let pane_w = (main.width * 2 / 5).clamp(38.min(main.width / 2), 76);
    let [plot, pane] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(pane_w)]).areas(main);
    draw_plot(frame, plot, app, v);
    draw_pane(frame, pane, app, v);
    if let (Some(a), Some(b)) = (align, bottom) {
        draw_alignment(frame, b, app, v, a);
        if a.evidence {
            draw_evidence(frame, body, app, a);
        }
    }
}

fn message(frame: &mut Frame, body: Rect, app: &App, lines: Vec<Line<'static>>) {
    let block = app.look.block(true).title(" Sequences ");
    let inner = block.inner(body);
    frame.render_widget(block, body);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, v: Option<&SequenceView>) {
    let look = &app.look;
    let chosen = app.sequences.distance;
    let n = v.map_or_else(|| app.sequence_journeys().len(), |v| v.order.len());
    let what = format!(
        "{} · {} · k {}",
        chosen.measure.label(),
        channel_label(chosen.by),
        app.sequences.k
    );
    let scope = format!(" ({})", inert(&app.sequence_scope()));
    let w = usize::from(area.width);
    // What is left out first when the line is too long: the scope, then the name.
    let full = format!(" terreng · sequences · {n} journeys{scope} · {what}");
    let line = if width(&full) <= w {
        Line::from(vec![
            Span::styled(" terreng ", look.title()),
            Span::styled("· sequences ", look.accent()),
            Span::raw(format!("· {n} journeys{scope} · {what}")),
        ])
    } else {
        let rest = format!("· {n} journeys · {what}");
        Line::from(vec![
            Span::styled(" sequences ", look.accent()),
            Span::raw(truncate(&rest, w.saturating_sub(11)).into_owned()),
        ])
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The first of `n` items to show in `h` lines so that item `cur` is in sight, kept near the
/// middle when the list is longer than the window.
fn window(cur: usize, n: usize, h: usize) -> usize {
    if n <= h || h == 0 {
        return 0;
    }
    cur.saturating_sub(h / 2).min(n - h)
}

fn draw_plot(frame: &mut Frame, area: Rect, app: &App, v: &SequenceView) {
    let look = &app.look;
    let st = states(app, v);
    let star = if look.ascii { "*" } else { "★" };
    let title = if area.width >= 60 {
        format!(
            " Index plot · {} clusters · {star} medoid · Enter opens the step ",
            v.k
        )
    } else {
        format!(" Index plot · {} clusters · {star} medoid ", v.k)
    };
    let block = look.block(true).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 16 {
        return;
    }
    let seqs = v.seqs();
    let w = usize::from(inner.width);
    let row = app.sequence_row(v);
    let step = app.sequences.step;
    // The columns before the cells: marker, cluster, medoid star, id.
    let kw = v.k.max(1).to_string().len();
    let id_w = v
        .order
        .iter()
        .map(|&p| width(&inert(&seqs.ids[p])))
        .max()
        .unwrap_or(4)
        .clamp(4, 16)
        .min(w / 4);
    let prefix = 1 + kw + 1 + 1 + id_w + 1;
    let longest = seqs.seqs.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let room = w.saturating_sub(prefix);
    // Wider cells where there is room (up to three columns a step), and the distance to the
    // medoid at the right when it fits too.
    let show_d = room >= longest + 7;
    let cw = if show_d {
        ((room - 7) / longest).clamp(1, 3)
    } else {
        1
    };
    let cells = if show_d { longest } else { room };
    let first_col = if step >= cells { step + 1 - cells } else { 0 };
    // The legend takes the last lines: as many as it needs, up to a sixth of the plot.
    let legend = legend_lines(&st, w);
    let legend_h = legend
        .len()
        .min((usize::from(inner.height) / 6).max(1))
        .min(usize::from(inner.height).saturating_sub(2));
    let rows_h = usize::from(inner.height) - 1 - legend_h;
    let mut lines: Vec<Line> = Vec::new();
    // The ruler: positions every five steps.
    let mut ruler: Vec<char> = vec![' '; cells * cw];
    for c in 0..cells {
        let t = first_col + c;
        if (t + 1) % 5 == 0 || t == 0 {
            let label = (t + 1).to_string();
            let end = c * cw + (cw - 1) / 2 + 1;
            if end >= label.len() {
                for (k, ch) in label.chars().enumerate() {
                    ruler[end - label.len() + k] = ch;
                }
            }
        }
    }
    let mut head = vec![Span::styled(
        format!("{:<prefix$}", truncate("step", prefix)),
        look.dim(),
    )];
    head.push(Span::styled(ruler.iter().collect::<String>(), look.dim()));
    if show_d {
        head.push(Span::styled(format!("  to {star}"), look.dim()));
    }
    lines.push(Line::from(head));
    // A blank line between clusters, when every row fits with them.
    let gaps = v.order.len() + v.k.saturating_sub(1) <= rows_h;
    let top = if gaps {
        0
    } else {
        window(row, v.order.len(), rows_h)
    };
    let mut last_cluster = None;
    for (r, &pos) in v.order.iter().enumerate().skip(top) {
        let c = v.clustering.assignment[pos];
        if gaps && last_cluster.is_some_and(|l| l != c) {
            lines.push(Line::raw(""));
        }
        last_cluster = Some(c);
        if lines.len() > rows_h {
            break;
        }
        let here = r == row;
        let ji = v.journeys[pos];
        let medoid = v.clustering.medoids.get(c) == Some(&pos);
        let mark = if here {
            look.marker()
        } else if app.sequences.first == Some(ji) {
            if look.ascii { "*" } else { "⇆" }
        } else {
            " "
        };
        let id = truncate(&inert(&seqs.ids[pos]), id_w).into_owned();
        let id_pad = format!("{id}{}", " ".repeat(id_w.saturating_sub(width(&id))));
        let mut spans = vec![
            Span::styled(mark.to_string(), look.current()),
            Span::styled(format!("{:>kw$} ", c + 1), look.series(c)),
            Span::styled(if medoid { star } else { " " }.to_string(), look.accent()),
            Span::styled(
                format!("{id_pad} "),
                if here { look.selected() } else { look.text() },
            ),
        ];
        let s = &seqs.seqs[pos];
        for (t, &state) in s.iter().enumerate().skip(first_col).take(cells) {
            let mut cell = st.cell(state as usize, here && t == step);
            if cw > 1 {
                // The glyph in the middle of its cell.
                let (l, r) = ((cw - 1) / 2, cw - 1 - (cw - 1) / 2);
                cell.content = format!("{}{}{}", " ".repeat(l), cell.content, " ".repeat(r)).into();
            }
            spans.push(cell);
        }
        if show_d {
            let pad = (longest - s.len().min(longest)) * cw;
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(
                format!(" {:>5}", short(v.to_medoid[pos] as f64)),
                look.dim(),
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.truncate(1 + rows_h);
    while lines.len() < 1 + rows_h {
        lines.push(Line::raw(""));
    }
    let total_legend = legend.len();
    for (i, l) in legend.into_iter().take(legend_h).enumerate() {
        if i + 1 == legend_h && total_legend > legend_h {
            let mut l = l;
            l.spans.push(Span::styled(" … (states pane)", look.dim()));
            lines.push(l);
        } else {
            lines.push(l);
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A number in at most five characters: 12.5, 0.333, 1234.
fn short(x: f64) -> String {
    if x == x.round() && x.abs() < 100_000.0 {
        format!("{x:.0}")
    } else if x.abs() < 10.0 {
        format!("{x:.2}")
    } else if x.abs() < 1000.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    }
}

/// The legend of the states, as lines of `w` columns: each state's cell and its label.
fn legend_lines(st: &States, w: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for i in 0..st.alphabet.len() {
        let label = truncate(&st.label(i), w.saturating_sub(3).max(1)).into_owned();
        let need = 2 + width(&label) + 2;
        if used > 0 && used + need > w {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        spans.push(st.cell(i, false));
        spans.push(Span::raw(format!(" {label}  ")));
        used += need;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

fn draw_pane(frame: &mut Frame, area: Rect, app: &App, v: &SequenceView) {
    let look = &app.look;
    let all: usize = SeqPane::ALL
        .iter()
        .map(|p| p.name().len() + 1)
        .sum::<usize>()
        + 5;
    let mut title = vec![Span::raw(" ")];
    if usize::from(area.width) < all {
        // Too narrow for every tab: the one shown, and where Tab goes.
        let i = SeqPane::ALL
            .iter()
            .position(|&p| p == app.sequences.pane)
            .unwrap_or(0);
        title.push(Span::styled(
            app.sequences.pane.name(),
            look.selected().add_modifier(Modifier::BOLD),
        ));
        title.push(Span::styled(
            format!(
                " {}/{} · Tab: {} ",
                i + 1,
                SeqPane::ALL.len(),
                app.sequences.pane.next().name()
            ),
            look.dim(),
        ));
    }
    for p in SeqPane::ALL
        .into_iter()
        .filter(|_| usize::from(area.width) >= all)
    {
        let style = if p == app.sequences.pane {
            look.selected().add_modifier(Modifier::BOLD)
        } else {
            look.dim()
        };
        if p == app.sequences.pane {
            title.push(Span::styled(format!("[{}]", p.name()), style));
        } else {
            title.push(Span::styled(p.name(), style));
        }
        title.push(Span::raw(" "));
    }
    let block = look.block(false).title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 10 {
        return;
    }
    let w = usize::from(inner.width);
    let h = usize::from(inner.height);
    let lines = match app.sequences.pane {
        SeqPane::Clusters => {
            // With room, themes against clusters under the clusters.
            let mut lines = clusters_lines(app, v, w, h);
            let themes = themes_lines(app, v, w);
            if h >= lines.len() + 1 + themes.len() {
                lines.push(Line::raw(""));
                lines.extend(themes);
            }
            lines
        }
        SeqPane::Themes => themes_lines(app, v, w),
        SeqPane::States => states_lines(app, v, w, h),
        SeqPane::Rates => rates_lines(app, v, w),
        SeqPane::Entropy => entropy_lines(app, v, w, h),
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

fn clusters_lines(app: &App, v: &SequenceView, w: usize, h: usize) -> Vec<Line<'static>> {
    let look = &app.look;
    let st = states(app, v);
    let mut lines = vec![Line::styled(
        truncate(" k   ASW   PBC    HG    R²   (+/− k)", w).into_owned(),
        look.accent(),
    )];
    let best = v
        .base
        .tried
        .iter()
        .max_by(|a, b| a.quality.asw.total_cmp(&b.quality.asw))
        .map(|t| t.clustering.k);
    for t in &v.base.tried {
        let k = t.clustering.k;
        let q = &t.quality;
        let here = k == v.k;
        let text = format!(
            "{}{k:>2} {:>5.2} {:>5.2} {:>5.2} {:>5.2}{}",
            if here { look.marker() } else { " " },
            q.asw,
            q.pbc,
            q.hg,
            q.r2,
            if Some(k) == best { "  best" } else { "" }
        );
        lines.push(Line::styled(
            truncate(&text, w).into_owned(),
            if here { look.title() } else { look.text() },
        ));
    }
    if v.base.tried.is_empty() {
        lines.push(Line::styled(
            "A typology needs two journeys or more.",
            look.dim(),
        ));
    }
    if h > lines.len() + 2 * v.k + 2 {
        lines.push(Line::styled(
            truncate("ASW ≥ 0.5 reasonable, ≥ 0.7 strong", w).into_owned(),
            look.dim(),
        ));
    }
    lines.push(Line::raw(""));
    let seqs = v.seqs();
    let two_lines = h >= lines.len() + 2 * v.k;
    for c in 0..v.clustering.k {
        let size = v.clustering.assignment.iter().filter(|&&a| a == c).count();
        let Some(&m) = v.clustering.medoids.get(c) else {
            continue;
        };
        let title = app
            .session
            .data
            .journeys
            .get(v.journeys[m])
            .map_or_else(String::new, |j| inert(&j.title).into_owned());
        let star = if look.ascii { "*" } else { "★" };
        let text = format!(
            "{:>2} ({size}) {star}{} {title}",
            c + 1,
            inert(&seqs.ids[m])
        );
        lines.push(Line::styled(
            truncate(&text, w).into_owned(),
            look.series(c),
        ));
        if two_lines {
            let mut spans = vec![Span::raw("     ")];
            for &s in seqs.seqs[m].iter().take(w.saturating_sub(5)) {
                spans.push(st.cell(s as usize, false));
            }
            lines.push(Line::from(spans));
        }
    }
    lines
}

fn themes_lines(app: &App, v: &SequenceView, w: usize) -> Vec<Line<'static>> {
    let look = &app.look;
    let t = &v.themes;
    let cell = 4;
    let label_w = w
        .saturating_sub(cell * t.cols.len())
        .clamp(6, 24)
        .min(w.saturating_sub(2));
    let mut head = format!("{:<label_w$}", "theme \\ cluster");
    head = truncate(&head, label_w).into_owned();
    head.push_str(&" ".repeat(label_w.saturating_sub(width(&head))));
    let mut spans = vec![Span::styled(head, look.accent())];
    for (c, col) in t.cols.iter().enumerate() {
        spans.push(Span::styled(
            format!("{:>cell$}", inert(col)),
            look.series(c),
        ));
    }
    let mut lines = vec![Line::from(spans)];
    for (r, theme) in t.rows.iter().enumerate() {
        let name = truncate(&inert(theme), label_w.saturating_sub(1)).into_owned();
        let mut text = format!("{name}{}", " ".repeat(label_w.saturating_sub(width(&name))));
        for n in &t.counts[r] {
            if *n == 0 {
                text.push_str(&format!("{:>cell$}", "·"));
            } else {
                text.push_str(&format!("{n:>cell$}"));
            }
        }
        lines.push(Line::raw(truncate(&text, w).into_owned()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        truncate(
            &format!("Cramér's V {:.2} · adjusted Rand {:.2}", t.cramers_v, t.ari),
            w,
        )
        .into_owned(),
        look.title(),
    ));
    for l in wrap(
        "V: how strongly cluster and theme go together (0 none, 1 each theme in clusters of its \
         own). Rand: how far the clusters are the themes (1 the same partition, 0 chance).",
        w,
    ) {
        lines.push(Line::styled(l, look.dim()));
    }
    lines
}

/// A stacked bar per position of a state distribution, `h` lines high, with a 4-column axis.
fn distribution_chart(
    st: &States,
    d: &Distribution,
    w: usize,
    h: usize,
    dim: Style,
) -> Vec<Line<'static>> {
    let cols = w.saturating_sub(5).min(d.reach.len());
    // Each position as wide as the pane allows, up to three columns.
    let cw = (w.saturating_sub(5) / cols.max(1)).clamp(1, 3);
    let mut lines = Vec::with_capacity(h);
    for r in 0..h {
        let axis = if r == 0 {
            "100%"
        } else if r + 1 == h {
            "  0%"
        } else {
            "    "
        };
        let mut spans = vec![Span::styled(format!("{axis} "), dim)];
        // The band this line stands for, its middle as a share from the bottom.
        let mid = 1.0 - (r as f64 + 0.5) / h as f64;
        for t in 0..cols {
            if d.reach[t] == 0 {
                spans.push(Span::raw(" ".repeat(cw)));
                continue;
            }
            let mut acc = 0.0;
            let mut at = None;
            for s in 0..d.counts[t].len() {
                acc += d.share(t, s);
                if mid < acc {
                    at = Some(s);
                    break;
                }
            }
            match at {
                Some(s) => {
                    let mut cell = st.cell(s, false);
                    cell.content = format!("{}{}", cell.content, " ".repeat(cw - 1)).into();
                    spans.push(cell);
                }
                None => spans.push(Span::raw(" ".repeat(cw))),
            }
        }
        lines.push(Line::from(spans));
    }
    lines
}

fn states_lines(app: &App, v: &SequenceView, w: usize, h: usize) -> Vec<Line<'static>> {
    let look = &app.look;
    let st = states(app, v);
    let row = app.sequence_row(v);
    let c = v.order.get(row).map_or(0, |&p| v.clustering.assignment[p]);
    let mut lines = Vec::new();
    let a = st.alphabet.len();
    // The chart and the legend share the pane; with room, every journey's chart too.
    let legend_h = a.min(h / 3).max(1);
    let charts_h = h.saturating_sub(legend_h);
    let both = charts_h >= 2 * 8 + 2;
    let chart_h = if both {
        (charts_h - 2) / 2
    } else {
        charts_h.saturating_sub(1).max(1)
    };
    if let Some(d) = v.clusters.get(c) {
        let size = v.clustering.assignment.iter().filter(|&&x| x == c).count();
        lines.push(Line::styled(
            truncate(
                &format!(
                    "cluster {} ({size} journey{}) · the cursor's",
                    c + 1,
                    if size == 1 { "" } else { "s" }
                ),
                w,
            )
            .into_owned(),
            look.series(c),
        ));
        lines.extend(distribution_chart(&st, d, w, chart_h, look.dim()));
    }
    if both {
        lines.push(Line::styled(
            truncate(&format!("all {} journeys in view", v.order.len()), w).into_owned(),
            look.accent(),
        ));
        lines.extend(distribution_chart(&st, &v.base.all, w, chart_h, look.dim()));
    }
    // The legend, with each state's share over every position: two to a line when there is
    // room, as many lines as are left.
    let total: usize = v.base.all.reach.iter().sum();
    let per_line = if w >= 34 { 2 } else { 1 };
    let col_w = w / per_line;
    let mut spans: Vec<Span<'static>> = Vec::new();
    for i in 0..a {
        if lines.len() >= h {
            break;
        }
        let n: usize = v.base.all.counts.iter().map(|c| c[i]).sum();
        let pct = format!(" {}%", (n * 100).checked_div(total).unwrap_or(0));
        let label = truncate(&st.label(i), col_w.saturating_sub(3 + pct.len())).into_owned();
        let used = 2 + width(&label) + pct.len();
        spans.push(st.cell(i, false));
        spans.push(Span::raw(format!(" {label}")));
        spans.push(Span::styled(pct, look.dim()));
        if (i + 1) % per_line == 0 || i + 1 == a {
            lines.push(Line::from(std::mem::take(&mut spans)));
        } else {
            spans.push(Span::raw(" ".repeat(col_w.saturating_sub(used))));
        }
    }
    lines
}

fn rates_lines(app: &App, v: &SequenceView, w: usize) -> Vec<Line<'static>> {
    let look = &app.look;
    let st = states(app, v);
    let rates = &v.base.rates;
    let a = rates.len();
    let label_w = 12.min(w / 3);
    let cell = if w.saturating_sub(label_w) >= 4 * a {
        4
    } else {
        3
    };
    let cols = (w.saturating_sub(label_w) / cell).min(a);
    let mut lines = vec![Line::styled(
        truncate("% of the moves out of a row's state into a column's", w).into_owned(),
        look.dim(),
    )];
    let mut head = vec![Span::raw(" ".repeat(label_w))];
    for j in 0..cols {
        head.push(Span::raw(" ".repeat(cell - 1)));
        head.push(st.cell(j, false));
    }
    if cols < a {
        head.push(Span::styled(" …", look.dim()));
    }
    lines.push(Line::from(head));
    for (i, row) in rates.iter().enumerate() {
        let label = truncate(&st.label(i), label_w.saturating_sub(3)).into_owned();
        let pad = label_w.saturating_sub(2 + width(&label));
        let mut spans = vec![
            st.cell(i, false),
            Span::raw(format!(" {label}{}", " ".repeat(pad))),
        ];
        for p in row.iter().take(cols) {
            let pct = (p * 100.0).round() as i64;
            let text = if pct == 0 && *p == 0.0 {
                format!("{:>cell$}", "·")
            } else {
                format!("{pct:>cell$}")
            };
            spans.push(Span::styled(
                text,
                if *p >= 0.5 { look.title() } else { look.text() },
            ));
        }
        lines.push(Line::from(spans));
    }
    lines
}

fn entropy_lines(app: &App, v: &SequenceView, w: usize, h: usize) -> Vec<Line<'static>> {
    let look = &app.look;
    let e = &v.base.all.entropy;
    let mut lines = vec![Line::styled(
        truncate("entropy per position (0 all alike, 1 evenly spread)", w).into_owned(),
        look.accent(),
    )];
    let chart_h = (h / 3).clamp(2, 8);
    let cols = w.saturating_sub(5).min(e.len());
    let cw = (w.saturating_sub(5) / cols.max(1)).clamp(1, 3);
    let full = glyphs::BAR_FULL.get(look.ascii);
    for r in 0..chart_h {
        let axis = if r == 0 {
            "1   "
        } else if r + 1 == chart_h {
            "0   "
        } else {
            "    "
        };
        // The line stands for entropy above this share.
        let floor = 1.0 - (r as f64 + 1.0) / chart_h as f64;
        let bar: String = e
            .iter()
            .take(cols)
            .map(|&x| {
                if x > floor + 1e-9 {
                    format!("{}{}", full.repeat(cw.min(2)), " ".repeat(cw - cw.min(2)))
                } else {
                    " ".repeat(cw)
                }
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{axis} "), look.dim()),
            Span::styled(bar, look.accent()),
        ]));
    }
    lines.push(Line::styled(
        truncate("turbulence per journey (Elzinga)", w).into_owned(),
        look.accent(),
    ));
    let rows = h.saturating_sub(lines.len());
    let row = app.sequence_row(v);
    let top = window(row, v.order.len(), rows);
    let max = v
        .base
        .turbulence
        .iter()
        .copied()
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let seqs = v.seqs();
    let id_w = 12.min(w / 3);
    for (r, &pos) in v.order.iter().enumerate().skip(top).take(rows) {
        let here = r == row;
        let t = v.base.turbulence[pos];
        let id = truncate(&inert(&seqs.ids[pos]), id_w).into_owned();
        let bar_w = w.saturating_sub(id_w + 10);
        let n = ((t / max) * bar_w as f64).round() as usize;
        lines.push(Line::from(vec![
            Span::styled(
                if here { look.marker() } else { " " }.to_string(),
                look.current(),
            ),
            Span::styled(
                format!(
                    "{id}{} {t:>6.2} ",
                    " ".repeat(id_w.saturating_sub(width(&id)))
                ),
                if here { look.selected() } else { look.text() },
            ),
            Span::styled(full.repeat(n), look.dim()),
        ]));
    }
    lines
}

/// The symbol of an aligned pair's operation, readable without colour.
fn op_symbol(op: Op, ascii: bool) -> &'static str {
    match (op, ascii) {
        (Op::Match, _) => "=",
        (Op::Substitute, false) => "≠",
        (Op::Substitute, true) => "x",
        (Op::Insert, _) => "+",
        (Op::Delete, false) => "−",
        (Op::Delete, true) => "-",
    }
}

fn op_words(op: Op) -> &'static str {
    match op {
        Op::Match => "matched",
        Op::Substitute => "substituted",
        Op::Insert => "inserted",
        Op::Delete => "deleted",
    }
}

/// The index of a state label in the alphabet.
fn state_index(alphabet: &[String], label: &str) -> Option<usize> {
    alphabet.iter().position(|s| s == label)
}

fn draw_alignment(frame: &mut Frame, area: Rect, app: &App, v: &SequenceView, a: &SeqAlignment) {
    let look = &app.look;
    let st = states(app, v);
    let al = &a.alignment;
    let block = look.block(true).title(format!(
        " Alignment {} ⇄ {} · {} · distance {} · ←/→ pair · Enter evidence · Esc closes ",
        inert(&al.left),
        inert(&al.right),
        v.base.measure.label(),
        short(al.total)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let id_w = width(&inert(&al.left))
        .max(width(&inert(&al.right)))
        .clamp(3, 14);
    let cells_w = w.saturating_sub(id_w + 1);
    let n = al.columns.len();
    let first = if a.column >= cells_w {
        a.column + 1 - cells_w
    } else {
        0
    };
    let pad = |s: &str| {
        let t = truncate(s, id_w).into_owned();
        format!("{t}{} ", " ".repeat(id_w.saturating_sub(width(&t))))
    };
    let gap = if look.ascii { "." } else { "·" };
    let side_cell = |side: &Option<Side>, here: bool| -> Span<'static> {
        match side
            .as_ref()
            .and_then(|s| state_index(st.alphabet, &s.state))
        {
            Some(i) => st.cell(i, here),
            None => {
                let style = if here { look.selected() } else { look.dim() };
                Span::styled(gap, style)
            }
        }
    };
    let mut left = vec![Span::styled(pad(&inert(&al.left)), look.text())];
    let mut ops = vec![Span::raw(" ".repeat(id_w + 1))];
    let mut right = vec![Span::styled(pad(&inert(&al.right)), look.text())];
    for (k, col) in al.columns.iter().enumerate().skip(first).take(cells_w) {
        let here = k == a.column;
        left.push(side_cell(&col.left, here));
        ops.push(Span::styled(
            op_symbol(col.op, look.ascii),
            if here {
                look.selected()
            } else if col.op == Op::Match {
                look.dim()
            } else {
                look.accent()
            },
        ));
        right.push(side_cell(&col.right, here));
    }
    let mut lines = vec![Line::from(left), Line::from(ops), Line::from(right)];
    let h = usize::from(inner.height);
    if let Some(col) = al.columns.get(a.column) {
        let at = |side: &Option<Side>| {
            side.as_ref()
                .map_or_else(|| "—".to_string(), |s| format!("step {}", s.position + 1))
        };
        lines.push(Line::styled(
            truncate(
                &format!(
                    "pair {} of {n}: {}, cost {} · {} {} ↔ {} {}",
                    a.column + 1,
                    op_words(col.op),
                    short(col.cost),
                    inert(&al.left),
                    at(&col.left),
                    inert(&al.right),
                    at(&col.right),
                ),
                w,
            )
            .into_owned(),
            look.title(),
        ));
        // With room, each side's step title on a line of its own.
        if h >= 7 {
            for (side, ji, id) in [
                (&col.left, a.left, &al.left),
                (&col.right, a.right, &al.right),
            ] {
                let text = match side {
                    Some(s) => {
                        let title = step_of(app, ji, &s.step)
                            .map_or_else(String::new, |st| inert(&st.title).into_owned());
                        format!("{}: {} · {title}", inert(id), inert(&s.state))
                    }
                    None => format!("{}: no step here", inert(id)),
                };
                lines.push(Line::raw(truncate(&text, w).into_owned()));
            }
        }
    }
    let key = format!(
        "{} same  {} substituted  {} only in {}  + only in {}",
        op_symbol(Op::Match, look.ascii),
        op_symbol(Op::Substitute, look.ascii),
        op_symbol(Op::Delete, look.ascii),
        inert(&al.left),
        inert(&al.right)
    );
    while lines.len() + 1 < usize::from(inner.height) {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(truncate(&key, w).into_owned(), look.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The step of data-set journey `ji` with id `step`.
fn step_of<'a>(app: &'a App, ji: usize, step: &str) -> Option<&'a crate::model::Step> {
    app.session
        .data
        .journeys
        .get(ji)?
        .steps
        .iter()
        .find(|s| s.id == step)
}

/// Both steps of the chosen aligned pair, their evidence side by side, over the screen.
fn draw_evidence(frame: &mut Frame, body: Rect, app: &App, a: &SeqAlignment) {
    let look = &app.look;
    let Some(col) = a.alignment.columns.get(a.column) else {
        return;
    };
    let popup = centred(
        body,
        body.width.saturating_sub(2),
        body.height.saturating_sub(1),
    );
    frame.render_widget(Clear, popup);
    let block = look.block(true).title(format!(
        " Pair {}: {} · cost {} · ↑/↓ scroll · Esc closes ",
        a.column + 1,
        op_words(col.op),
        short(col.cost)
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [l, _, r] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let journeys = &app.session.data.journeys;
    for (area, side, ji, other) in [
        (l, &col.left, a.left, &a.alignment.right),
        (r, &col.right, a.right, &a.alignment.left),
    ] {
        let Some(j) = journeys.get(ji) else {
            continue;
        };
        let lines = side_lines(app, j, side.as_ref(), other, usize::from(area.width));
        let most = lines.len().saturating_sub(usize::from(area.height));
        let scroll = u16::try_from(usize::from(a.scroll).min(most)).unwrap_or(0);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
    }
}

fn side_lines(
    app: &App,
    j: &Journey,
    side: Option<&Side>,
    other: &str,
    w: usize,
) -> Vec<Line<'static>> {
    let look = &app.look;
    let mut lines = vec![Line::styled(
        truncate(&format!("{} · {}", inert(&j.id), inert(&j.title)), w).into_owned(),
        look.accent(),
    )];
    let push = |lines: &mut Vec<Line<'static>>, text: &str, style: Style| {
        for l in wrap(&inert(text), w) {
            lines.push(Line::styled(l, style));
        }
    };
    let Some(side) = side else {
        push(
            &mut lines,
            &format!(
                "No step here: the pair is a step of {} with nothing in {} at this point.",
                inert(other),
                inert(&j.id)
            ),
            look.dim(),
        );
        return lines;
    };
    let Some(s) = j.steps.iter().find(|s| s.id == side.step) else {
        return lines;
    };
    let kind = format!(
        "step {}/{} · {} {} · state {}",
        side.position + 1,
        j.steps.len(),
        glyphs::kind(s.kind).get(look.ascii),
        s.kind.name(),
        inert(&side.state)
    );
    lines.push(Line::styled(truncate(&kind, w).into_owned(), look.dim()));
    push(&mut lines, &s.title, look.title());
    let codes: Vec<String> = s
        .obstacles
        .iter()
        .chain(&s.enablers)
        .map(|id| {
            app.terrain()
                .feature(id)
                .map_or_else(|| id.clone(), |(_, f)| f.en.clone())
        })
        .collect();
    if !codes.is_empty() {
        push(&mut lines, &codes.join(" · "), look.dim());
    }
    if s.evidence.is_empty() {
        push(&mut lines, "No evidence quoted for this step.", look.dim());
    }
    for e in &s.evidence {
        lines.push(Line::raw(""));
        push(
            &mut lines,
            &format!("«{}»", e.quote),
            look.text().add_modifier(Modifier::ITALIC),
        );
        if !e.translation.is_empty() {
            push(&mut lines, &format!("“{}”", e.translation), look.text());
        }
        if !e.locator.is_empty() {
            push(&mut lines, &format!("— {}", e.locator), look.dim());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_their_strip_symbols_and_other_states_letters() {
        let kinds: Vec<String> = ["Advance", "Blocked", "Stall"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(state_glyph(&kinds, By::Kind, 0, false), "→");
        assert_eq!(state_glyph(&kinds, By::Kind, 1, true), "B");
        let codes: Vec<String> = ["-", "a+b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(state_glyph(&codes, By::Codes, 0, false), "A");
        assert_eq!(state_glyph(&codes, By::Codes, 2, false), "C");
        assert_eq!(state_glyph(&codes, By::Codes, 62, false), "Γ");
        assert_eq!(state_glyph(&codes, By::Codes, 101, false), "?");
        assert_eq!(state_color("Blocked|x", 5), Color::Yellow);
        assert_eq!(state_color("-", 0), Color::DarkGray);
    }

    #[test]
    fn the_window_keeps_the_cursor_in_sight() {
        assert_eq!(window(3, 10, 20), 0);
        assert_eq!(window(0, 100, 10), 0);
        assert_eq!(window(50, 100, 10), 45);
        assert_eq!(window(99, 100, 10), 90);
        for cur in 0..100 {
            let top = window(cur, 100, 7);
            assert!(top <= cur && cur < top + 7, "{cur} {top}");
        }
    }
}
