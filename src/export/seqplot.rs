//! Sequence plots as SVG: the sequence index plot (a row per journey, a cell per step
//! coloured by its state, rows grouped by cluster and sorted by distance to the medoid, the
//! journey id kept with its row) and the state distribution plot (the share of each state at
//! each position, one panel per group). Each cell carries a tooltip naming the journey, the
//! step and its state, so a printed figure can be traced back to the evidence. Beside each
//! row of the index plot is the journey's turbulence (Elzinga's, see
//! [`crate::analysis::sequence::plots`]).
//!
//! The data comes from [`crate::analysis::sequence`]; this module only draws. It writes no
//! file itself (the caller does) and knows nothing of the terminal.

use std::fmt::Write as _;

use super::num;
use super::svg::{INK, MUTED, WIDTH, open_document};
use super::xml::Writer;
use crate::analysis::sequence::Sequences;
use crate::analysis::sequence::cluster::Clustering;
use crate::analysis::sequence::plots;

const MARGIN: f64 = 40.0;
/// Room for each row's turbulence at the right of the index plot.
const TURBULENCE: f64 = 56.0;
/// Room for a panel's title above it.
const HEADER: f64 = 22.0;
/// Room for the journey ids left of the rows.
const LABELS: f64 = 110.0;

/// Colours for states: the step kinds keep one colour each (forward green, sideways blue,
/// back red, standing still grey and brown, circling purple); other states take a
/// colour-blind-safe qualitative palette (Okabe & Ito 2008, then Paul Tol's muted scheme).
fn colour(label: &str, index: usize) -> &'static str {
    const PALETTE: [&str; 16] = [
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
        "#332288", "#88CCEE", "#44AA99", "#117733", "#DDCC77", "#CC6677", "#AA4499", "#882255",
    ];
    let kind = label.split('|').next().unwrap_or(label);
    match kind {
        "Advance" => "#4daf4a",
        "Arrive" => "#1b7837",
        "Detour" => "#80b1d3",
        "Wander" => "#377eb8",
        "Retreat" => "#e41a1c",
        "Stall" => "#bdbdbd",
        "Blocked" => "#8c510a",
        "Circle" => "#984ea3",
        _ => PALETTE[index % PALETTE.len()],
    }
}

fn px(v: f64) -> String {
    num(v)
}

fn open_svg(w: &mut Writer, height: f64, title: &str, desc: &str) {
    open_document(w, (&px(WIDTH), &px(height)), title, desc, &[]);
}

fn label(w: &mut Writer, x: f64, y: f64, size: f64, anchor: &str, fill: &str, content: &str) {
    w.text(
        "text",
        &[
            ("x", &px(x)),
            ("y", &px(y)),
            ("font-size", &px(size)),
            ("text-anchor", anchor),
            ("fill", fill),
        ],
        content,
    );
}

/// The legend of the states that occur: swatches in rows; returns the height used.
fn legend(w: &mut Writer, seqs: &Sequences, top: f64) -> f64 {
    let (mut x, mut y) = (MARGIN, top);
    let right = WIDTH - MARGIN;
    for (i, s) in seqs.alphabet.iter().enumerate() {
        let width = 18.0 + 6.5 * s.chars().count() as f64 + 16.0;
        if x + width > right && x > MARGIN {
            x = MARGIN;
            y += 18.0;
        }
        w.empty(
            "rect",
            &[
                ("x", &px(x)),
                ("y", &px(y - 10.0)),
                ("width", "12"),
                ("height", "12"),
                ("fill", colour(s, i)),
            ],
        );
        label(w, x + 16.0, y, 11.0, "start", INK, s);
        x += width;
    }
    y - top + 18.0
}

/// The x axis of positions under a plot area: ticks every few steps.
fn position_axis(w: &mut Writer, left: f64, cell: f64, len: usize, y: f64) {
    let every = if len <= 20 {
        1
    } else if len <= 50 {
        5
    } else {
        10
    };
    for t in (0..len).filter(|t| (t + 1) % every == 0 || *t == 0) {
        label(
            w,
            left + (t as f64 + 0.5) * cell,
            y + 12.0,
            10.0,
            "middle",
            MUTED,
            &(t + 1).to_string(),
        );
    }
    label(
        w,
        left + len as f64 * cell / 2.0,
        y + 26.0,
        11.0,
        "middle",
        MUTED,
        "position (step)",
    );
}

/// The sequence index plot: rows in `order`, grouped by cluster when a clustering is given
/// (with each cluster's size and medoid), one cell per step.
pub fn index_plot(
    seqs: &Sequences,
    order: &[usize],
    clustering: Option<&Clustering>,
    title: &str,
) -> String {
    let len = seqs.seqs.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let n = order.len().max(1);
    let row = (560.0 / n as f64).clamp(1.5, 16.0);
    let gap = if clustering.is_some() { 22.0 } else { 0.0 };
    let groups = clustering.map_or(1, |c| c.k);
    let left = MARGIN + LABELS;
    let cell = (WIDTH - MARGIN - TURBULENCE - left) / len as f64;
    let top = 64.0;
    let plot_h = row * n as f64 + gap * groups as f64;
    let legend_top = top + plot_h + 48.0;
    // Legend height, estimated generously: a row per ~6 states.
    let legend_h = 18.0 * (seqs.alphabet.len() as f64 / 5.0).ceil() + 18.0;
    let height = legend_top + legend_h + 10.0;
    let mut w = Writer::new();
    open_svg(
        &mut w,
        height,
        title,
        "Sequence index plot: one row per journey, one cell per step coloured by its state.",
    );
    label(&mut w, MARGIN, 30.0, 18.0, "start", INK, title);
    label(
        &mut w,
        MARGIN,
        48.0,
        12.0,
        "start",
        MUTED,
        &format!(
            "{} journeys; one row per journey, one cell per step{}",
            order.len(),
            if clustering.is_some() {
                ", grouped by cluster and sorted by distance to the cluster's medoid (★)"
            } else {
                ""
            }
        ),
    );
    let mut y = top;
    let mut current: Option<usize> = None;
    let show_ids = row >= 8.0;
    if show_ids {
        label(
            &mut w,
            WIDTH - MARGIN,
            top + gap - 6.0,
            10.0,
            "end",
            MUTED,
            "turbulence",
        );
    }
    for &i in order {
        if let Some(c) = clustering {
            let k = c.assignment[i];
            if current != Some(k) {
                current = Some(k);
                y += gap;
                let size = c.assignment.iter().filter(|&&a| a == k).count();
                let medoid = c.medoids.get(k).map_or("", |&m| seqs.ids[m].as_str());
                label(
                    &mut w,
                    MARGIN,
                    y - 6.0,
                    12.0,
                    "start",
                    INK,
                    &format!("cluster {} — {size} journeys, medoid {medoid}", k + 1),
                );
            }
        }
        let medoid = clustering.is_some_and(|c| c.medoids.contains(&i));
        let id = &seqs.ids[i];
        w.open("g", &[("data-journey", id)]);
        if show_ids {
            label(
                &mut w,
                left - 6.0,
                y + row * 0.5 + 4.0,
                (row * 0.75).min(11.0),
                "end",
                INK,
                &if medoid {
                    format!("★ {id}")
                } else {
                    id.to_string()
                },
            );
        }
        for (t, &s) in seqs.seqs[i].iter().enumerate() {
            let state = &seqs.alphabet[s as usize];
            let step = seqs.steps[i].get(t).map_or("", String::as_str);
            w.open(
                "rect",
                &[
                    ("x", &px(left + t as f64 * cell)),
                    ("y", &px(y)),
                    ("width", &px(cell)),
                    ("height", &px(row)),
                    ("fill", colour(state, s as usize)),
                    ("stroke", "#ffffff"),
                    ("stroke-width", if row >= 6.0 { "0.5" } else { "0" }),
                ],
            );
            w.text("title", &[], &format!("{id} {step}: {state}"));
            w.close();
        }
        if show_ids {
            label(
                &mut w,
                WIDTH - MARGIN,
                y + row * 0.5 + 4.0,
                (row * 0.75).min(11.0),
                "end",
                MUTED,
                &format!("{:.1}", plots::turbulence(&seqs.seqs[i])),
            );
        }
        w.close();
        y += row;
    }
    position_axis(&mut w, left, cell, len, y + 4.0);
    legend(&mut w, seqs, legend_top);
    w.finish()
}

/// The state distribution plot: for each group, stacked bars of the share of each state at
/// each position, with the group's name and size.
pub fn distribution_plot(seqs: &Sequences, groups: &[(String, Vec<usize>)], title: &str) -> String {
    let len = seqs.seqs.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let left = MARGIN + LABELS;
    let cell = (WIDTH - MARGIN - left) / len as f64;
    let panel = 110.0;
    let space = 40.0 + HEADER;
    let top = 64.0;
    let plot_h = groups.len() as f64 * (panel + space);
    let legend_top = top + plot_h + 20.0;
    let legend_h = 18.0 * (seqs.alphabet.len() as f64 / 5.0).ceil() + 18.0;
    let height = legend_top + legend_h + 10.0;
    let mut w = Writer::new();
    open_svg(
        &mut w,
        height,
        title,
        "State distribution plot: the share of each state at each position, per group.",
    );
    label(&mut w, MARGIN, 30.0, 18.0, "start", INK, title);
    label(
        &mut w,
        MARGIN,
        48.0,
        12.0,
        "start",
        MUTED,
        "share of the journeys in each state at each step; bars narrow where fewer journeys reach the step",
    );
    let mut y = top;
    for (name, members) in groups {
        let d = plots::distribution(seqs, members);
        label(
            &mut w,
            MARGIN,
            y + 12.0,
            13.0,
            "start",
            INK,
            &format!("{name} — {} journeys", members.len()),
        );
        y += HEADER;
        for (y_tick, share) in [(y, "100%"), (y + panel, "0%")] {
            label(&mut w, left - 6.0, y_tick + 4.0, 10.0, "end", MUTED, share);
        }
        let mut entropy = String::new();
        for t in 0..d.counts.len() {
            let reach = d.reach[t] as f64 / members.len().max(1) as f64;
            let bar_w = cell * 0.9 * reach.max(0.0);
            let x = left + t as f64 * cell + (cell - bar_w) / 2.0;
            let mut base = y + panel;
            for (s, _) in seqs.alphabet.iter().enumerate() {
                let share = d.share(t, s);
                if share <= 0.0 {
                    continue;
                }
                let h = share * panel;
                base -= h;
                let state = &seqs.alphabet[s];
                w.open(
                    "rect",
                    &[
                        ("x", &px(x)),
                        ("y", &px(base)),
                        ("width", &px(bar_w)),
                        ("height", &px(h)),
                        ("fill", colour(state, s)),
                    ],
                );
                w.text(
                    "title",
                    &[],
                    &format!(
                        "{name}, step {}: {state} {}% ({} of {})",
                        t + 1,
                        num(100.0 * share),
                        d.counts[t][s],
                        d.reach[t]
                    ),
                );
                w.close();
            }
            let ex = left + (t as f64 + 0.5) * cell;
            let ey = y + panel * (1.0 - d.entropy[t]);
            let _ = write!(
                entropy,
                "{}{},{}",
                if t == 0 { "M" } else { " L" },
                px(ex),
                px(ey)
            );
        }
        // Entropy per position, a line over the bars (0 at the bottom, 1 at the top).
        w.open(
            "path",
            &[
                ("d", &entropy),
                ("fill", "none"),
                ("stroke", INK),
                ("stroke-width", "1.5"),
                ("stroke-dasharray", "4 3"),
            ],
        );
        w.text(
            "title",
            &[],
            &format!("{name}: entropy of the states per step"),
        );
        w.close();
        position_axis(&mut w, left, cell, len, y + panel + 2.0);
        y += panel + space - HEADER;
    }
    label(
        &mut w,
        WIDTH - MARGIN,
        legend_top - 6.0,
        10.0,
        "end",
        MUTED,
        "dashed line: normalised entropy per step (0 bottom, 1 top)",
    );
    legend(&mut w, seqs, legend_top + 14.0);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_plot_draws_a_cell_per_step_and_keeps_ids_with_rows() {
        let s = Sequences::from_letters(&["AB", "ABC", "C"]);
        let c = Clustering {
            k: 2,
            assignment: vec![0, 0, 1],
            medoids: vec![1, 2],
        };
        let svg = index_plot(&s, &[1, 0, 2], Some(&c), "t");
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let rows: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_attribute("data-journey"))
            .collect();
        let ids: Vec<&str> = rows
            .iter()
            .filter_map(|n| n.attribute("data-journey"))
            .collect();
        assert_eq!(ids, ["2", "1", "3"]);
        // 2 + 3 + 1 cells, one rect each inside the rows.
        let cells: usize = rows
            .iter()
            .map(|r| r.children().filter(|c| c.has_tag_name("rect")).count())
            .sum();
        assert_eq!(cells, 6);
        assert!(svg.contains("cluster 2 — 1 journeys, medoid 3"));
        assert!(svg.contains("★ 2"));
    }

    #[test]
    fn distribution_bars_stack_to_the_panel() {
        let s = Sequences::from_letters(&["AB", "AA"]);
        let svg = distribution_plot(&s, &[("all".into(), vec![0, 1])], "t");
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        // Position 1: A 100%; position 2: A 50%, B 50% — three bars.
        let bars: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.children().any(|c| c.has_tag_name("title")))
            .filter_map(|n| n.attribute("height").and_then(|h| h.parse().ok()))
            .collect();
        assert_eq!(bars.len(), 3);
        assert!((bars[0] - 110.0).abs() < 1e-9);
        assert!((bars[1] + bars[2] - 110.0).abs() < 1e-9);
    }
}
