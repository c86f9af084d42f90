//! SVG figures for papers: the landscape map of one journey, or the routes of several side by
//! side on a common progress axis.
//!
//! Positions come from [`crate::model::route::layout`], the function the terminal map draws
//! with, so the figure and the screen never disagree. Each route is drawn inside a group whose
//! transform maps the layout's own units to the page (`translate(…) scale(s, -s)`, y up as in
//! the layout), so the points of a step's `<polyline>` are the layout's numbers; the step is
//! named by a `terreng:step` attribute. Everything is a vector shape: walls as ridges of
//! triangles ahead of the step, fog as shading over the steps it covers, water as waves,
//! path-shaped enablers as the route drawn in their colour, and the other obstacles and
//! enablers as numbered markers (diamonds for obstacles, discs for enablers) keyed in the
//! legend. Text is set in a font stack with common fallbacks and never inside the flipped
//! groups. Each step point carries a `<title>` (a tooltip in a browser) with its step and the
//! analysts' notes on it. No scripts, no external references, no filters: it opens the same
//! in browsers, Inkscape and `rsvg-convert`.

use std::fmt::Write as _;

use super::xml::Writer;
use super::{Scope, num, palette};
use crate::model::route::{GOAL_X, WALL_AHEAD};
use crate::model::{Feature, FeatureClass, Journey, Point, Route, Shape, Terrain, layout};

/// The namespace of terreng's own attributes in a figure.
pub const NAMESPACE: &str = "urn:terreng:svg:1";

pub(super) const FONT: &str = "'Source Sans 3', 'Source Sans Pro', 'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif";
pub(super) const INK: &str = "#222222";
pub(super) const MUTED: &str = "#666666";
const PAPER: &str = "#fbfaf6";
pub(super) const WIDTH: f64 = 960.0;
const MARGIN: f64 = 40.0;
/// Map units either side of 0..100 so that start and goal have room.
const X_PAD: f64 = 4.0;
/// A marker's size in pixels, and the room it takes.
const MARKER: f64 = 18.0;
const MARKER_STEP: f64 = 23.0;
const MARKERS_PER_ROW: usize = 3;
/// How far below a shared place the fanned steps' numbers stand, and where their markers
/// begin: below the first row of the markers of a place of one step, which may stand close.
const FAN_LABEL: f64 = 52.0;
const FAN_TOP: f64 = 68.0;
/// The dashes of a wandering step and of a hypothetical route, in layout units.
const WANDER_DASH: &str = "0.2 0.9";
const HYPOTHETICAL_DASH: &str = "2.4 1.2";

/// A pixel value for an attribute: one decimal.
fn px(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// Rough width of text in a sans-serif font, for wrapping and fitting: generous, so that
/// wider fonts in the stack still fit.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// Breaks text into lines no wider than `width` pixels at `size`.
fn wrap(s: &str, width: f64, size: f64) -> Vec<String> {
    let max = ((width / (size * 0.56)).floor() as usize).max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens text to fit `width` pixels, with an ellipsis.
fn fit(s: &str, width: f64, size: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let max = ((width / (size * 0.56)).floor() as usize).saturating_sub(1);
    let mut out: String = s.chars().take(max).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Writes a line of text.
fn text(w: &mut Writer, x: f64, y: f64, size: f64, attrs: &[(&str, &str)], content: &str) {
    let (x, y, size) = (px(x), px(y), px(size));
    let mut all: Vec<(&str, &str)> = vec![("x", &x), ("y", &y), ("font-size", &size)];
    all.extend_from_slice(attrs);
    w.text("text", &all, content);
}

/// The catalogue features of a step, with their class.
fn features<'t>(
    terrain: &'t Terrain,
    step: &crate::model::Step,
) -> Vec<(FeatureClass, &'t Feature)> {
    step.codes().filter_map(|id| terrain.feature(id)).collect()
}

/// A map of one journey's route onto the page: a uniform scale, y up.
struct Frame {
    /// Page position of the layout's origin.
    ox: f64,
    oy: f64,
    /// Pixels per layout unit.
    s: f64,
}

impl Frame {
    fn x(&self, x: f64) -> f64 {
        self.ox + x * self.s
    }
    fn y(&self, y: f64) -> f64 {
        self.oy - y * self.s
    }
    fn transform(&self) -> String {
        format!(
            "translate({} {}) scale({} {})",
            px(self.ox),
            px(self.oy),
            num(self.s),
            num(-self.s)
        )
    }
}

/// How a route is drawn: the size of its step points, where the map ends before the goal (in
/// layout units; the goal is then an arrow there), whether it is a compact row of a
/// comparison (one wall ridge per place), and the size of the kinds' tags in pixels.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    point_radius: f64,
    goal_beyond: Option<f64>,
    compact: bool,
    tag_size: f64,
}

/// The highest and lowest `y` a route's lines reach.
fn y_extent(route: &Route) -> (f64, f64) {
    route
        .steps
        .iter()
        .flat_map(|p| p.polyline())
        .fold((0.0, 0.0), |(lo, hi), p| {
            (f64::min(lo, p.y), f64::max(hi, p.y))
        })
}

/// Draws, in layout units inside a flipped group: fog, water, the route, walls and the step
/// points, with a tooltip on each point. `notes` gives each step's tooltip text.
fn draw_route(
    w: &mut Writer,
    frame: &Frame,
    journey: &Journey,
    route: &Route,
    terrain: &Terrain,
    tooltips: &[String],
    how: Drawn,
) {
    let Drawn {
        point_radius,
        goal_beyond,
        compact,
        ..
    } = how;
    w.open(
        "g",
        &[
            ("class", "route"),
            ("terreng:journey", &journey.id),
            ("transform", &frame.transform()),
        ],
    );
    // Fog: shading over the stretch of the steps it covers.
    for (step, placed) in journey.steps.iter().zip(&route.steps) {
        for (_, f) in features(terrain, step)
            .into_iter()
            .filter(|(_, f)| f.shape == Shape::Fog)
        {
            let line = placed.polyline();
            let (x0, x1) = line
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
            let (y0, y1) = line
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
            w.empty(
                "rect",
                &[
                    ("class", "fog"),
                    ("x", &num(x0 - 3.0)),
                    ("y", &num(y0 - 3.0)),
                    ("width", &num(x1 - x0 + 6.0)),
                    ("height", &num(y1 - y0 + 6.0)),
                    ("rx", "2.5"),
                    ("fill", palette::hex(f.color)),
                    ("fill-opacity", "0.16"),
                ],
            );
        }
    }
    // Water: waves across the route just after the step.
    for (step, placed) in journey.steps.iter().zip(&route.steps) {
        for (_, f) in features(terrain, step)
            .into_iter()
            .filter(|(_, f)| f.shape == Shape::Water)
        {
            let x = placed.to.x + 1.5;
            let mut d = String::new();
            for k in 0..3 {
                let xk = x + f64::from(k) * 0.9;
                let y = placed.to.y - 4.5;
                let _ = write!(d, "M{} {} ", num(xk), num(y));
                for i in 0..6 {
                    let dir = if i % 2 == 0 { 0.5 } else { -0.5 };
                    let _ = write!(d, "q{} 0.75 0 1.5 ", num(dir));
                }
            }
            w.empty(
                "path",
                &[
                    ("class", "water"),
                    ("d", d.trim_end()),
                    ("fill", "none"),
                    ("stroke", palette::hex(f.color)),
                    ("stroke-width", "0.3"),
                    ("stroke-linecap", "round"),
                ],
            );
        }
    }
    // The route, step by step; a path-shaped enabler draws its step in its colour.
    for (step, placed) in journey.steps.iter().zip(&route.steps) {
        let path = features(terrain, step)
            .into_iter()
            .find(|(_, f)| f.shape == Shape::Path);
        let (colour, width) = path.map_or((INK, "0.45"), |(_, f)| (palette::hex(f.color), "0.8"));
        let points: Vec<String> = placed
            .polyline()
            .iter()
            .map(|p| format!("{},{}", num(p.x), num(p.y)))
            .collect();
        let mut attrs = vec![
            ("class", "step"),
            ("terreng:step", step.id.as_str()),
            ("points", ""),
            ("fill", "none"),
            ("stroke", colour),
            ("stroke-width", width),
            ("stroke-linecap", "round"),
            ("stroke-linejoin", "round"),
        ];
        let joined = points.join(" ");
        attrs[2].1 = &joined;
        // A wandering step is dotted; a hypothetical route (a route not taken) dashed.
        if step.kind == crate::model::StepKind::Wander {
            attrs.push(("stroke-dasharray", WANDER_DASH));
        } else if hypothetical(journey) {
            attrs.push(("stroke-dasharray", HYPOTHETICAL_DASH));
        }
        w.empty("polyline", &attrs);
    }
    // Walls: a ridge of triangles across the route just ahead of the step; drawn once per
    // place and kind, however many steps stand at it — in a compact row, once per place for
    // every kind there, with three triangles (the tags say which kinds).
    let mut walls: Vec<(String, i64, i64)> = Vec::new();
    for (step, placed) in journey.steps.iter().zip(&route.steps) {
        let ws: Vec<&Feature> = features(terrain, step)
            .into_iter()
            .filter(|(_, f)| f.shape == Shape::Wall)
            .map(|(_, f)| f)
            .collect();
        for f in ws {
            let key = (
                if compact { String::new() } else { f.id.clone() },
                (placed.to.x * 10.0).round() as i64,
                (placed.to.y * 10.0).round() as i64,
            );
            if walls.contains(&key) {
                continue;
            }
            let here = walls
                .iter()
                .filter(|(_, x, y)| (*x, *y) == (key.1, key.2))
                .count();
            walls.push(key);
            let x = placed.to.x + WALL_AHEAD + here as f64 * 2.6;
            let mut d = String::new();
            let reach = if compact { 1 } else { 2 };
            for k in -reach..=reach {
                let y = placed.to.y + f64::from(k) * 2.2;
                let _ = write!(
                    d,
                    "M{} {}L{} {}L{} {}Z",
                    num(x - 1.2),
                    num(y - 1.0),
                    num(x + 1.2),
                    num(y - 1.0),
                    num(x),
                    num(y + 1.2)
                );
            }
            w.empty(
                "path",
                &[
                    ("class", "wall"),
                    ("d", &d),
                    ("fill", palette::hex(f.color)),
                    ("stroke", INK),
                    ("stroke-width", "0.12"),
                    ("stroke-linejoin", "round"),
                ],
            );
        }
    }
    // Start (a filled square, unlike the goal's ring), goal, and the step points with their
    // tooltips. Where the map ends before the goal, an arrow at its edge stands for it.
    let half = point_radius * 1.2;
    w.empty(
        "rect",
        &[
            ("class", "start"),
            ("x", &num(-half)),
            ("y", &num(-half)),
            ("width", &num(2.0 * half)),
            ("height", &num(2.0 * half)),
            ("fill", INK),
        ],
    );
    if let Some(edge) = goal_beyond {
        let d = format!(
            "M{} {}L{} 0L{} {}Z",
            num(edge - 2.0),
            num(1.4),
            num(edge),
            num(edge - 2.0),
            num(-1.4)
        );
        w.empty("path", &[("class", "goal-ahead"), ("d", &d), ("fill", INK)]);
    }
    for r in [1.6, 0.8].into_iter().filter(|_| goal_beyond.is_none()) {
        w.empty(
            "circle",
            &[
                ("class", "goal"),
                ("cx", &num(GOAL_X)),
                ("cy", "0"),
                ("r", &num(point_radius * r * 1.4)),
                ("fill", if r > 1.0 { PAPER } else { INK }),
                ("stroke", INK),
                ("stroke-width", "0.35"),
            ],
        );
    }
    for ((step, placed), tip) in journey.steps.iter().zip(&route.steps).zip(tooltips) {
        w.open("g", &[("class", "point"), ("terreng:step", &step.id)]);
        w.text("title", &[], tip);
        w.empty(
            "circle",
            &[
                ("cx", &num(placed.to.x)),
                ("cy", &num(placed.to.y)),
                ("r", &num(point_radius)),
                ("fill", "#ffffff"),
                ("stroke", INK),
                ("stroke-width", "0.3"),
            ],
        );
        w.close();
    }
    w.close();
}

/// Whether a journey is a route not taken, drawn dashed.
fn hypothetical(j: &Journey) -> bool {
    matches!(j.provenance, crate::model::Provenance::Hypothetical(_))
}

/// A small numbered tag: white, ringed in ink, with the kind's number from the legend, so
/// that every wall, fog, water and path kind can be told from the others when colours repeat
/// or are not printed.
fn tag(w: &mut Writer, x: f64, y: f64, n: usize, size: f64) {
    w.empty(
        "circle",
        &[
            ("class", "tag"),
            ("cx", &px(x)),
            ("cy", &px(y)),
            ("r", &px(size * 0.65)),
            ("fill", "#ffffff"),
            ("stroke", INK),
            ("stroke-width", "0.9"),
        ],
    );
    let font = if n > 9 { size * 0.8 } else { size * 0.95 };
    text(
        w,
        x,
        y + font * 0.36,
        font,
        &[
            ("text-anchor", "middle"),
            ("font-weight", "bold"),
            ("fill", INK),
        ],
        &n.to_string(),
    );
}

/// Tags each wall, fog, water and path drawn on a route with its kind's number: once per
/// place for a wall or water, once per run of consecutive steps for fog and a path, so that a
/// kind met again and again is marked once where it stands, not once per step.
fn shape_tags(
    w: &mut Writer,
    frame: &Frame,
    journey: &Journey,
    route: &Route,
    terrain: &Terrain,
    key: &Key,
    how: Drawn,
) {
    let (size, compact) = (how.tag_size, how.compact);
    let mut walls: Vec<(String, i64, i64)> = Vec::new();
    let mut previous: Vec<&str> = Vec::new();
    for (step, placed) in journey.steps.iter().zip(&route.steps) {
        let here = features(terrain, step);
        let mut fog_k = 0;
        for (_, f) in &here {
            let n = key.number(&f.id);
            if n == 0 {
                continue;
            }
            match f.shape {
                Shape::Wall => {
                    let at = (
                        (placed.to.x * 10.0).round() as i64,
                        (placed.to.y * 10.0).round() as i64,
                    );
                    if walls.iter().any(|(id, x, y)| *id == f.id && (*x, *y) == at) {
                        continue;
                    }
                    let k = walls.iter().filter(|(_, x, y)| (*x, *y) == at).count();
                    walls.push((f.id.clone(), at.0, at.1));
                    // Compact: one ridge per place, its kinds' tags side by side above it.
                    let (x, dx, top) = if compact {
                        (placed.to.x + WALL_AHEAD, k as f64 * size * 1.35, 3.4)
                    } else {
                        (placed.to.x + WALL_AHEAD + k as f64 * 2.6, 0.0, 5.6)
                    };
                    tag(
                        w,
                        frame.x(x) + dx,
                        frame.y(placed.to.y + top) - size * 0.8,
                        n,
                        size,
                    );
                }
                Shape::Water => {
                    tag(
                        w,
                        frame.x(placed.to.x + 2.4),
                        frame.y(placed.to.y + 4.5) - size * 0.8,
                        n,
                        size,
                    );
                }
                Shape::Fog if !previous.contains(&f.id.as_str()) => {
                    let line = placed.polyline();
                    let x0 = line.iter().map(|p| p.x).fold(f64::MAX, f64::min);
                    let y1 = line.iter().map(|p| p.y).fold(f64::MIN, f64::max);
                    tag(
                        w,
                        frame.x(x0 - 3.0) + fog_k as f64 * size * 1.4,
                        frame.y(y1 + 3.0),
                        n,
                        size,
                    );
                    fog_k += 1;
                }
                Shape::Path if !previous.contains(&f.id.as_str()) => {
                    let line = placed.polyline();
                    let mid = line[line.len() / 2];
                    let from = line[0];
                    let (x, y) = ((mid.x + from.x) / 2.0, (mid.y + from.y) / 2.0);
                    tag(w, frame.x(x), frame.y(y) - size * 0.9, n, size);
                }
                _ => {}
            }
        }
        previous = here.iter().map(|(_, f)| f.id.as_str()).collect();
    }
}

/// Notes on steps a journey no longer has: not on the map, but kept in the file as a
/// description, so that the figure still carries every note.
fn orphan_notes(w: &mut Writer, scope: &Scope, journey: &Journey) {
    let orphans = scope.orphans(journey);
    if orphans.is_empty() {
        return;
    }
    let mut d = format!("Notes on steps journey {} no longer has:", journey.id);
    for n in orphans {
        let _ = write!(d, "\n{} on {}: {}", n.analyst, n.note.step, n.note.text);
    }
    w.text("desc", &[("class", "orphan-notes")], &d);
}

/// A step's tooltip: number, id, kind and title, then every analyst's note on it.
fn tooltip(scope: &Scope, journey: &Journey, i: usize) -> String {
    let step = &journey.steps[i];
    let mut tip = format!(
        "{}. {} ({}, {})",
        i + 1,
        step.title,
        step.id,
        step.kind.name()
    );
    for n in scope.notes_on(&journey.id, &step.id) {
        let _ = write!(tip, "\n{}: {}", n.analyst, n.note.text);
    }
    tip
}

/// The feature legend's entries in order of first appearance, with the number a marker shows.
struct Key<'t> {
    entries: Vec<(FeatureClass, &'t Feature)>,
}

impl<'t> Key<'t> {
    /// The kind's number in the legend, from 1; every kind has one, whatever its shape.
    fn number(&self, id: &str) -> usize {
        self.entries
            .iter()
            .position(|(_, f)| f.id == id)
            .map_or(0, |i| i + 1)
    }
}

/// A numbered marker centred at a page position: a diamond for an obstacle, a disc for an
/// enabler.
fn marker(w: &mut Writer, x: f64, y: f64, class: FeatureClass, f: &Feature, n: usize) {
    let colour = palette::hex(f.color);
    let h = MARKER / 2.0;
    match class {
        FeatureClass::Obstacle => {
            let points = format!(
                "{},{} {},{} {},{} {},{}",
                px(x),
                px(y - h - 1.0),
                px(x + h + 1.0),
                px(y),
                px(x),
                px(y + h + 1.0),
                px(x - h - 1.0),
                px(y)
            );
            w.empty(
                "polygon",
                &[
                    ("class", "marker obstacle"),
                    ("points", &points),
                    ("fill", colour),
                    ("stroke", "#ffffff"),
                    ("stroke-width", "1"),
                ],
            );
        }
        FeatureClass::Enabler => {
            w.empty(
                "circle",
                &[
                    ("class", "marker enabler"),
                    ("cx", &px(x)),
                    ("cy", &px(y)),
                    ("r", &px(h)),
                    ("fill", colour),
                    ("stroke", "#ffffff"),
                    ("stroke-width", "1"),
                ],
            );
        }
    }
    let size = if n > 9 { 8.5 } else { 10.0 };
    text(
        w,
        x,
        y + size * 0.36,
        size,
        &[
            ("text-anchor", "middle"),
            ("font-weight", "bold"),
            ("fill", "#ffffff"),
        ],
        &n.to_string(),
    );
}

/// A legend symbol for a feature at a page position (its left edge, its middle line).
fn symbol(w: &mut Writer, x: f64, y: f64, class: FeatureClass, f: &Feature, key: &Key) {
    let colour = palette::hex(f.color);
    match f.shape {
        Shape::Wall => {
            let d = format!(
                "M{} {}L{} {}L{} {}ZM{} {}L{} {}L{} {}Z",
                px(x + 1.0),
                px(y + 5.0),
                px(x + 9.0),
                px(y + 5.0),
                px(x + 5.0),
                px(y - 3.0),
                px(x + 8.0),
                px(y + 5.0),
                px(x + 16.0),
                px(y + 5.0),
                px(x + 12.0),
                px(y - 3.0)
            );
            w.empty(
                "path",
                &[
                    ("d", &d),
                    ("fill", colour),
                    ("stroke", INK),
                    ("stroke-width", "0.6"),
                ],
            );
        }
        Shape::Fog => {
            w.empty(
                "rect",
                &[
                    ("x", &px(x)),
                    ("y", &px(y - 6.0)),
                    ("width", "17"),
                    ("height", "12"),
                    ("rx", "3"),
                    ("fill", colour),
                    ("fill-opacity", "0.3"),
                ],
            );
        }
        Shape::Water => {
            let d = format!("M{} {}q2 -3 4 0t4 0t4 0t4 0", px(x), px(y + 1.0));
            w.empty(
                "path",
                &[
                    ("d", &d),
                    ("fill", "none"),
                    ("stroke", colour),
                    ("stroke-width", "1.8"),
                ],
            );
        }
        Shape::Path => {
            w.empty(
                "line",
                &[
                    ("x1", &px(x)),
                    ("y1", &px(y)),
                    ("x2", &px(x + 17.0)),
                    ("y2", &px(y)),
                    ("stroke", colour),
                    ("stroke-width", "5"),
                    ("stroke-linecap", "round"),
                ],
            );
        }
        Shape::Marker | Shape::Bridge => {
            marker(w, x + 8.5, y, class, f, key.number(&f.id));
        }
    }
    // A shape's number, as its tags on the map carry it.
    if !matches!(f.shape, Shape::Marker | Shape::Bridge) {
        tag(w, x + 28.0, y, key.number(&f.id), 12.0);
    }
}

/// Writes the legend of features in two columns from `top`; returns the height used.
fn legend(w: &mut Writer, top: f64, key: &Key) -> f64 {
    if key.entries.is_empty() {
        return 0.0;
    }
    text(
        w,
        MARGIN,
        top + 14.0,
        13.0,
        &[("font-weight", "bold"), ("fill", INK)],
        "Terrain",
    );
    let col_w = (WIDTH - 2.0 * MARGIN) / 2.0;
    let mut y = [top + 36.0; 2];
    let rows = key.entries.len().div_ceil(2);
    for (i, (class, f)) in key.entries.iter().enumerate() {
        let col = i / rows;
        let x = MARGIN + col as f64 * col_w;
        symbol(w, x, y[col], *class, f, key);
        let kind = match class {
            FeatureClass::Obstacle => "obstacle",
            FeatureClass::Enabler => "enabler",
        };
        // The English label, then the Norwegian one beneath it: each wrapped, never cut.
        for line in wrap(&format!("{} ({kind})", f.en), col_w - LABEL_AT - 12.0, 11.5) {
            text(w, x + LABEL_AT, y[col] + 4.0, 11.5, &[("fill", INK)], &line);
            y[col] += 15.0;
        }
        for line in wrap(&f.no, col_w - LABEL_AT - 12.0, 10.5) {
            text(
                w,
                x + LABEL_AT,
                y[col] + 3.0,
                10.5,
                &[("fill", MUTED), ("font-style", "italic")],
                &line,
            );
            y[col] += 14.0;
        }
        y[col] += 8.0;
    }
    legend_height(key)
}

/// Where a legend entry's text starts, right of its symbol and number.
const LABEL_AT: f64 = 44.0;

/// The height [`legend`] takes: the taller of its two columns.
fn legend_height(key: &Key) -> f64 {
    if key.entries.is_empty() {
        return 0.0;
    }
    let col_w = (WIDTH - 2.0 * MARGIN) / 2.0;
    let rows = key.entries.len().div_ceil(2);
    let mut h = [36.0f64; 2];
    for (i, (class, f)) in key.entries.iter().enumerate() {
        let kind = match class {
            FeatureClass::Obstacle => "obstacle",
            FeatureClass::Enabler => "enabler",
        };
        let en = wrap(&format!("{} ({kind})", f.en), col_w - LABEL_AT - 12.0, 11.5).len();
        let no = wrap(&f.no, col_w - LABEL_AT - 12.0, 10.5).len();
        h[i / rows] += en as f64 * 15.0 + no as f64 * 14.0 + 8.0;
    }
    h[0].max(h[1])
}

/// The legend line for the figure's own symbols: start, step, goal, and what the line means.
fn symbols_line(w: &mut Writer, y: f64, numbered: bool, hypothetical: bool) {
    let mut x = MARGIN;
    let step = if numbered { "step (numbered)" } else { "step" };
    let items: [(&str, &str); 3] = [("start", "start"), ("step", step), ("goal", "goal")];
    for (kind, label) in items {
        match kind {
            "start" => w.empty(
                "rect",
                &[
                    ("x", &px(x + 1.5)),
                    ("y", &px(y - 8.5)),
                    ("width", "9"),
                    ("height", "9"),
                    ("fill", INK),
                ],
            ),
            "step" => w.empty(
                "circle",
                &[
                    ("cx", &px(x + 6.0)),
                    ("cy", &px(y - 4.0)),
                    ("r", "3.5"),
                    ("fill", "#ffffff"),
                    ("stroke", INK),
                    ("stroke-width", "1.2"),
                ],
            ),
            _ => {
                w.empty(
                    "circle",
                    &[
                        ("cx", &px(x + 6.0)),
                        ("cy", &px(y - 4.0)),
                        ("r", "6"),
                        ("fill", PAPER),
                        ("stroke", INK),
                        ("stroke-width", "1.5"),
                    ],
                );
                w.empty(
                    "circle",
                    &[
                        ("cx", &px(x + 6.0)),
                        ("cy", &px(y - 4.0)),
                        ("r", "3"),
                        ("fill", INK),
                    ],
                );
            }
        }
        text(w, x + 16.0, y, 11.0, &[("fill", INK)], label);
        x += 26.0 + text_width(label, 11.0) + 14.0;
    }
    w.empty(
        "line",
        &[
            ("x1", &px(x)),
            ("y1", &px(y - 4.0)),
            ("x2", &px(x + 24.0)),
            ("y2", &px(y - 4.0)),
            ("stroke", INK),
            ("stroke-width", "3"),
        ],
    );
    text(w, x + 30.0, y, 11.0, &[("fill", INK)], "route");
    x += 30.0 + text_width("route", 11.0) + 16.0;
    w.empty(
        "line",
        &[
            ("x1", &px(x)),
            ("y1", &px(y - 4.0)),
            ("x2", &px(x + 24.0)),
            ("y2", &px(y - 4.0)),
            ("stroke", INK),
            ("stroke-width", "3"),
            ("stroke-dasharray", "0.5 5"),
            ("stroke-linecap", "round"),
        ],
    );
    let label = "wandering, unsure of position";
    text(w, x + 30.0, y, 11.0, &[("fill", INK)], label);
    if hypothetical {
        x += 30.0 + text_width(label, 11.0) + 16.0;
        w.empty(
            "line",
            &[
                ("x1", &px(x)),
                ("y1", &px(y - 4.0)),
                ("x2", &px(x + 24.0)),
                ("y2", &px(y - 4.0)),
                ("stroke", INK),
                ("stroke-width", "3"),
                ("stroke-dasharray", "8 4"),
            ],
        );
        text(
            w,
            x + 30.0,
            y,
            11.0,
            &[("fill", INK)],
            "hypothetical: a route not taken",
        );
    }
}

/// The source line of a journey: the work and its DOI.
fn source_line(j: &Journey) -> String {
    match &j.source.doi {
        Some(doi) => format!("Source: {} https://doi.org/{doi}", j.source.work),
        None => format!("Source: {}", j.source.work),
    }
}

/// The document's opening: size, font stack, background, title and description.
fn open_svg(w: &mut Writer, height: f64, title: &str, desc: &str) {
    open_document(
        w,
        (&px(WIDTH), &px(height)),
        title,
        desc,
        &[("xmlns:terreng", NAMESPACE)],
    );
}

/// An SVG document's opening, for every figure terreng draws: the size (as written), the
/// namespaces beyond SVG's own, the font stack, a white background, the title and the
/// description.
pub(super) fn open_document(
    w: &mut Writer,
    (width, height): (&str, &str),
    title: &str,
    desc: &str,
    namespaces: &[(&str, &str)],
) {
    let view = format!("0 0 {width} {height}");
    let mut attrs = vec![("xmlns", "http://www.w3.org/2000/svg")];
    attrs.extend_from_slice(namespaces);
    attrs.extend([
        ("version", "1.1"),
        ("width", width),
        ("height", height),
        ("viewBox", &view),
        ("font-family", FONT),
    ]);
    w.open("svg", &attrs);
    w.text("title", &[], title);
    w.text("desc", &[], desc);
    w.empty(
        "rect",
        &[
            ("x", "0"),
            ("y", "0"),
            ("width", width),
            ("height", height),
            ("fill", "#ffffff"),
        ],
    );
}

/// The figure for the scope: a map for one journey, a comparison for several.
pub fn figure(scope: &Scope, progress: &mut dyn FnMut(usize, usize)) -> String {
    let total = scope.journeys.len();
    progress(0, total);
    let out = match scope.journeys.as_slice() {
        [one] => journey_map(scope, one),
        _ => comparison(scope, progress),
    };
    progress(total, total);
    out
}

/// Steps that stand at the same place, in order: (the place, step indices).
fn groups(route: &Route) -> Vec<(Point, Vec<usize>)> {
    let mut out: Vec<(Point, Vec<usize>)> = Vec::new();
    for (i, p) in route.steps.iter().enumerate() {
        match out
            .iter_mut()
            .find(|(at, _)| (at.x - p.to.x).abs() < 0.5 && (at.y - p.to.y).abs() < 0.5)
        {
            Some((_, members)) => members.push(i),
            None => out.push((p.to, vec![i])),
        }
    }
    out
}

/// "1", "1, 2", "5–10", "3, 5–7".
fn ranges(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        let mut end = start;
        while i + 1 < numbers.len() && numbers[i + 1] == end + 1 {
            i += 1;
            end = numbers[i];
        }
        parts.push(if end > start + 1 {
            format!("{start}–{end}")
        } else if end == start + 1 {
            format!("{start}, {end}")
        } else {
            start.to_string()
        });
        i += 1;
    }
    parts.join(", ")
}

/// The map of one journey.
fn journey_map(scope: &Scope, j: &Journey) -> String {
    let terrain = &scope.data.terrain;
    let route = layout(j);
    let groups = groups(&route);

    // The legend's order: features in order of first appearance along the route.
    let mut key = Key {
        entries: Vec::new(),
    };
    for step in &j.steps {
        for (class, f) in features(terrain, step) {
            if !key.entries.iter().any(|(_, e)| e.id == f.id) {
                key.entries.push((class, f));
            }
        }
    }
    // Markers per place: each marker-shaped feature once.
    let markers: Vec<Vec<(FeatureClass, &Feature)>> = groups
        .iter()
        .map(|(_, members)| {
            let mut here: Vec<(FeatureClass, &Feature)> = Vec::new();
            for &i in members {
                for (class, f) in features(terrain, &j.steps[i]) {
                    if matches!(f.shape, Shape::Marker | Shape::Bridge)
                        && !here.iter().any(|(_, e)| e.id == f.id)
                    {
                        here.push((class, f));
                    }
                }
            }
            here
        })
        .collect();
    // Where several steps share a place, each step's markers hang in a column of its own,
    // fanned out under the place with the step's number on top.
    let step_markers = |i: usize| -> Vec<(FeatureClass, &Feature)> {
        let mut here: Vec<(FeatureClass, &Feature)> = Vec::new();
        for (class, f) in features(terrain, &j.steps[i]) {
            if matches!(f.shape, Shape::Marker | Shape::Bridge)
                && !here.iter().any(|(_, e)| e.id == f.id)
            {
                here.push((class, f));
            }
        }
        here
    };
    let below_markers = groups
        .iter()
        .zip(&markers)
        .map(|((_, members), here)| {
            if members.len() > 1 {
                FAN_TOP
                    + members
                        .iter()
                        .map(|&i| step_markers(i).len())
                        .max()
                        .unwrap_or(0) as f64
                        * MARKER_STEP
            } else {
                here.len().div_ceil(MARKERS_PER_ROW) as f64 * MARKER_STEP
            }
        })
        .fold(0.0, f64::max);

    // Heading.
    let title_lines = wrap(&j.title, WIDTH - 2.0 * MARGIN, 20.0);
    let theme = terrain
        .theme(&j.theme)
        .map_or(j.theme.as_str(), |t| t.en.as_str());
    let facts = format!(
        "Theme: {theme} · {} · outcome: {} · final progress {:.0}%",
        j.provenance.label(),
        j.outcome,
        route.final_progress() * 100.0
    );
    let source_lines = wrap(&source_line(j), WIDTH - 2.0 * MARGIN, 11.5);
    let mut y = 34.0;
    let head_top = y;
    y += title_lines.len() as f64 * 25.0 + 20.0 + source_lines.len() as f64 * 15.0;

    // The map: a uniform scale over the route's own extent (to the next quarter, the whole
    // way when it nears the goal), so that a journey that stops early fills the width; room
    // above the route for labels and loops, below for markers.
    let reach = route
        .steps
        .iter()
        .flat_map(|p| p.polyline())
        .map(|p| p.x)
        .fold(0.0, f64::max)
        + WALL_AHEAD
        + 2.6 * 3.0;
    let shown = ((reach / 25.0).ceil() * 25.0).clamp(25.0, GOAL_X);
    let full = (WIDTH - 2.0 * MARGIN) / (GOAL_X + 2.0 * X_PAD);
    // At most 1.8 times the whole way's scale, so that a short route does not grow tall; the
    // map then runs on to fill the width.
    let s = ((WIDTH - 2.0 * MARGIN) / (shown + 2.0 * X_PAD)).min(full * 1.8);
    let shown = ((WIDTH - 2.0 * MARGIN) / s - 2.0 * X_PAD).min(GOAL_X);
    let goal_beyond = (shown < GOAL_X - 0.01).then_some(shown + X_PAD * 0.5);
    let (lo, hi) = y_extent(&route);
    let above = (hi + 2.5) * s + 22.0;
    let below = (-lo + 2.5) * s + 16.0 + below_markers;
    let walls_reach = 6.5 * s;
    let above = above.max(walls_reach + 6.0);
    let below = below.max(walls_reach + 6.0);
    let map_top = y + 8.0;
    let map_h = above + below;
    let frame = Frame {
        ox: MARGIN + X_PAD * s,
        oy: map_top + above,
        s,
    };
    let map_w = WIDTH - 2.0 * MARGIN;
    let axis_y = map_top + map_h + 16.0;

    // Steps list below the map, in two columns.
    let steps_top = axis_y + 30.0;
    let col_w = (WIDTH - 2.0 * MARGIN) / 2.0;
    let rows = j.steps.len().div_ceil(2);
    let steps_h = 28.0 + rows as f64 * 17.0;
    let legend_top = steps_top + steps_h + 10.0;
    let legend_h = legend_height(&key);
    let height = legend_top + legend_h + 40.0;

    let mut w = Writer::new();
    open_svg(
        &mut w,
        height,
        &format!("{} — {}", j.id, j.title),
        &format!(
            "The route of journey {} across its terrain, laid out by terreng {}. {}",
            j.id,
            env!("CARGO_PKG_VERSION"),
            source_line(j)
        ),
    );
    let mut ty = head_top;
    for line in &title_lines {
        text(
            &mut w,
            MARGIN,
            ty,
            20.0,
            &[("font-weight", "bold"), ("fill", INK)],
            line,
        );
        ty += 25.0;
    }
    text(&mut w, MARGIN, ty - 4.0, 12.5, &[("fill", INK)], &facts);
    ty += 15.0;
    for line in &source_lines {
        text(&mut w, MARGIN, ty, 11.5, &[("fill", MUTED)], line);
        ty += 15.0;
    }

    // Map background, the straight line from start to goal, and the progress axis.
    w.empty(
        "rect",
        &[
            ("class", "map"),
            ("x", &px(MARGIN)),
            ("y", &px(map_top)),
            ("width", &px(map_w)),
            ("height", &px(map_h)),
            ("fill", PAPER),
            ("stroke", "#d8d4c8"),
            ("stroke-width", "1"),
        ],
    );
    w.empty(
        "line",
        &[
            ("x1", &px(frame.x(0.0))),
            ("y1", &px(frame.y(0.0))),
            ("x2", &px(frame.x(goal_beyond.unwrap_or(GOAL_X)))),
            ("y2", &px(frame.y(0.0))),
            ("stroke", "#bbbbbb"),
            ("stroke-width", "1"),
            ("stroke-dasharray", "4 4"),
        ],
    );
    axis(&mut w, &frame, axis_y, shown);

    let tips: Vec<String> = (0..j.steps.len()).map(|i| tooltip(scope, j, i)).collect();
    let how = Drawn {
        point_radius: 0.75,
        goal_beyond,
        compact: false,
        tag_size: 12.0,
    };
    draw_route(&mut w, &frame, j, &route, terrain, &tips, how);
    shape_tags(&mut w, &frame, j, &route, terrain, &key, how);
    orphan_notes(&mut w, scope, j);

    // Labels for start and goal.
    text(
        &mut w,
        frame.x(0.0),
        frame.y(0.0) + 22.0,
        11.0,
        &[("text-anchor", "middle"), ("fill", MUTED)],
        "start",
    );
    match goal_beyond {
        None => text(
            &mut w,
            frame.x(GOAL_X),
            frame.y(0.0) + 24.0,
            11.0,
            &[("text-anchor", "middle"), ("fill", MUTED)],
            "goal",
        ),
        Some(edge) => text(
            &mut w,
            frame.x(edge - 2.6),
            frame.y(0.0) + 18.0,
            11.0,
            &[("text-anchor", "end"), ("fill", MUTED)],
            "goal at 100% →",
        ),
    }

    // Step numbers above each place, markers below it.
    for ((at, members), here) in groups.iter().zip(&markers) {
        let top = members
            .iter()
            .flat_map(|&i| route.steps[i].polyline())
            .filter(|p| (p.x - at.x).abs() < 6.0)
            .map(|p| p.y)
            .fold(at.y, f64::max);
        let numbers: Vec<usize> = members.iter().map(|i| i + 1).collect();
        text(
            &mut w,
            frame.x(at.x),
            frame.y(top) - 10.0,
            11.5,
            &[
                ("text-anchor", "middle"),
                ("font-weight", "bold"),
                ("fill", INK),
            ],
            &ranges(&numbers),
        );
        // Centred under the place, or ending at it where a wall stands just ahead.
        let walled = members.iter().any(|&i| {
            features(terrain, &j.steps[i])
                .iter()
                .any(|(_, f)| f.shape == Shape::Wall)
        });
        if members.len() > 1 {
            let n = members.len() as f64;
            for (k, &i) in members.iter().enumerate() {
                let offset = if walled {
                    k as f64 - (n - 1.0)
                } else {
                    k as f64 - (n - 1.0) / 2.0
                };
                let x = frame.x(at.x) + offset * MARKER_STEP;
                let y0 = frame.y(at.y);
                w.empty(
                    "line",
                    &[
                        ("class", "fan"),
                        ("x1", &px(frame.x(at.x))),
                        ("y1", &px(y0 + 5.0)),
                        ("x2", &px(x)),
                        ("y2", &px(y0 + FAN_LABEL - 12.0)),
                        ("stroke", MUTED),
                        ("stroke-width", "0.8"),
                    ],
                );
                text(
                    &mut w,
                    x,
                    y0 + FAN_LABEL,
                    10.5,
                    &[
                        ("text-anchor", "middle"),
                        ("font-weight", "bold"),
                        ("fill", MUTED),
                    ],
                    &(i + 1).to_string(),
                );
                for (r, (class, f)) in step_markers(i).into_iter().enumerate() {
                    let y = y0 + FAN_TOP + r as f64 * MARKER_STEP;
                    marker(&mut w, x, y, class, f, key.number(&f.id));
                }
            }
            continue;
        }
        for (k, (class, f)) in here.iter().enumerate() {
            let (row, col) = (k / MARKERS_PER_ROW, k % MARKERS_PER_ROW);
            let in_row = (here.len() - row * MARKERS_PER_ROW).min(MARKERS_PER_ROW);
            let shift = if walled {
                in_row as f64 - 1.0
            } else {
                (in_row as f64 - 1.0) / 2.0
            };
            let x = frame.x(at.x) + (col as f64 - shift) * MARKER_STEP;
            let y = frame.y(at.y) + 20.0 + row as f64 * MARKER_STEP;
            marker(&mut w, x, y, *class, f, key.number(&f.id));
        }
    }

    // The steps.
    text(
        &mut w,
        MARGIN,
        steps_top + 14.0,
        13.0,
        &[("font-weight", "bold"), ("fill", INK)],
        "Steps",
    );
    for (i, step) in j.steps.iter().enumerate() {
        let (col, row) = (i / rows.max(1), i % rows.max(1));
        let x = MARGIN + col as f64 * col_w;
        let y = steps_top + 34.0 + row as f64 * 17.0;
        text(
            &mut w,
            x + 18.0,
            y,
            11.5,
            &[
                ("text-anchor", "end"),
                ("font-weight", "bold"),
                ("fill", INK),
            ],
            &(i + 1).to_string(),
        );
        let kind = step.kind.name();
        text(&mut w, x + 24.0, y, 11.5, &[("fill", MUTED)], kind);
        let title = fit(&step.title, col_w - 100.0, 11.5);
        text(&mut w, x + 84.0, y, 11.5, &[("fill", INK)], &title);
    }
    symbols_line(&mut w, legend_top + legend_h + 22.0, true, hypothetical(j));
    legend(&mut w, legend_top, &key);
    w.finish()
}

/// The progress axis under a map, from 0 to `to` (layout units): ticks at every quarter.
fn axis(w: &mut Writer, frame: &Frame, y: f64, to: f64) {
    w.empty(
        "line",
        &[
            ("x1", &px(frame.x(0.0))),
            ("y1", &px(y)),
            ("x2", &px(frame.x(to))),
            ("y2", &px(y)),
            ("stroke", MUTED),
            ("stroke-width", "1"),
        ],
    );
    for q in (0..=4).filter(|q| f64::from(*q) * 25.0 <= to + 0.01) {
        let x = frame.x(f64::from(q) * 25.0);
        w.empty(
            "line",
            &[
                ("x1", &px(x)),
                ("y1", &px(y)),
                ("x2", &px(x)),
                ("y2", &px(y + 4.0)),
                ("stroke", MUTED),
                ("stroke-width", "1"),
            ],
        );
        text(
            w,
            x,
            y + 16.0,
            10.5,
            &[("text-anchor", "middle"), ("fill", MUTED)],
            &format!("{}%", q * 25),
        );
    }
    text(
        w,
        frame.x(to / 2.0),
        y + 30.0,
        10.5,
        &[("text-anchor", "middle"), ("fill", MUTED)],
        "progress toward the goal",
    );
}

/// Several journeys' routes, one row each on a common progress axis, grouped by theme.
fn comparison(scope: &Scope, progress: &mut dyn FnMut(usize, usize)) -> String {
    let terrain = &scope.data.terrain;
    let label_w = 250.0;
    let right = 52.0;
    let s = (WIDTH - 2.0 * MARGIN - label_w - right) / (GOAL_X + 2.0 * X_PAD);
    let x0 = MARGIN + label_w;

    // Works cited, in order of first appearance.
    let mut works: Vec<String> = Vec::new();
    for j in &scope.journeys {
        let line = source_line(j);
        if !works.contains(&line) {
            works.push(line);
        }
    }
    let mut source_lines = Vec::new();
    for wk in &works {
        source_lines.extend(wrap(wk, WIDTH - 2.0 * MARGIN, 11.0));
    }

    // Rows: a theme heading before each theme's first journey.
    struct Row<'a> {
        journey: &'a Journey,
        route: Route,
        top: f64,
        above: f64,
        height: f64,
        heading: Option<String>,
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut y = 34.0 + 26.0 + 16.0 + source_lines.len() as f64 * 14.0 + 10.0;
    let mut last_theme: Option<&str> = None;
    for j in &scope.journeys {
        let route = layout(j);
        let (lo, hi) = y_extent(&route);
        let heading = (last_theme != Some(j.theme.as_str())).then(|| {
            terrain
                .theme(&j.theme)
                .map_or_else(|| j.theme.clone(), |t| t.en.clone())
        });
        if heading.is_some() {
            y += 26.0;
        }
        last_theme = Some(&j.theme);
        let above = (hi.max(3.5) + 2.5) * s + 4.0;
        let below = (-lo).max(3.5) * s + 2.5 * s + 4.0;
        // Room for the id and the title wrapped beside the row.
        let lines = wrap(&j.title, label_w - 12.0, 10.5).len() as f64;
        let height = (above + below).max(44.0).max(26.0 + 13.0 * lines + 12.0);
        rows.push(Row {
            journey: j,
            route,
            top: y,
            above: above.max(height - below),
            height,
            heading,
        });
        y += height + 6.0;
    }
    let axis_y = y + 6.0;

    // The legend: the kinds drawn as shapes in these rows.
    let mut key = Key {
        entries: Vec::new(),
    };
    for j in &scope.journeys {
        for step in &j.steps {
            for (class, f) in features(terrain, step) {
                if matches!(
                    f.shape,
                    Shape::Wall | Shape::Fog | Shape::Water | Shape::Path
                ) && !key.entries.iter().any(|(_, e)| e.id == f.id)
                {
                    key.entries.push((class, f));
                }
            }
        }
    }
    let legend_top = axis_y + 44.0;
    let legend_h = legend_height(&key);
    let height = legend_top + legend_h + 40.0;

    let mut w = Writer::new();
    let title = format!("{} journeys across the terrain", scope.journeys.len());
    open_svg(
        &mut w,
        height,
        &title,
        &format!(
            "The routes of {} journeys side by side on a common progress axis, laid out by terreng {}.",
            scope.journeys.len(),
            env!("CARGO_PKG_VERSION")
        ),
    );
    text(
        &mut w,
        MARGIN,
        34.0,
        20.0,
        &[("font-weight", "bold"), ("fill", INK)],
        &title,
    );
    text(
        &mut w,
        MARGIN,
        56.0,
        12.5,
        &[("fill", INK)],
        "Each row is one journey's route from start (left) toward the goal (right); the number at the right is its final progress.",
    );
    let mut ty = 76.0;
    for line in &source_lines {
        text(&mut w, MARGIN, ty, 11.0, &[("fill", MUTED)], line);
        ty += 14.0;
    }

    let total = rows.len();
    for (done, row) in rows.iter().enumerate() {
        progress(done, total);
        let j = row.journey;
        if let Some(h) = &row.heading {
            text(
                &mut w,
                MARGIN,
                row.top - 8.0,
                13.0,
                &[("font-weight", "bold"), ("fill", INK)],
                h,
            );
        }
        w.empty(
            "rect",
            &[
                ("class", "map"),
                ("x", &px(x0)),
                ("y", &px(row.top)),
                ("width", &px(WIDTH - MARGIN - right - x0)),
                ("height", &px(row.height)),
                ("fill", PAPER),
                ("stroke", "#d8d4c8"),
                ("stroke-width", "1"),
            ],
        );
        let frame = Frame {
            ox: x0 + X_PAD * s,
            oy: row.top + row.above,
            s,
        };
        w.empty(
            "line",
            &[
                ("x1", &px(frame.x(0.0))),
                ("y1", &px(frame.y(0.0))),
                ("x2", &px(frame.x(GOAL_X))),
                ("y2", &px(frame.y(0.0))),
                ("stroke", "#cccccc"),
                ("stroke-width", "1"),
                ("stroke-dasharray", "3 3"),
            ],
        );
        let tips: Vec<String> = (0..j.steps.len()).map(|i| tooltip(scope, j, i)).collect();
        let how = Drawn {
            point_radius: 0.9,
            goal_beyond: None,
            compact: true,
            tag_size: 10.0,
        };
        draw_route(&mut w, &frame, j, &row.route, terrain, &tips, how);
        shape_tags(&mut w, &frame, j, &row.route, terrain, &key, how);
        orphan_notes(&mut w, scope, j);
        let title = wrap(&j.title, label_w - 12.0, 10.5);
        let block = 14.0 + 13.0 * title.len() as f64;
        let top = row.top + (row.height - block) / 2.0;
        let mid = row.top + row.height / 2.0;
        text(
            &mut w,
            MARGIN,
            top + 11.0,
            12.0,
            &[("font-weight", "bold"), ("fill", INK)],
            &j.id,
        );
        let mut ty = top + 25.0;
        for line in &title {
            text(&mut w, MARGIN, ty, 10.5, &[("fill", MUTED)], line);
            ty += 13.0;
        }
        text(
            &mut w,
            WIDTH - MARGIN,
            mid + 4.0,
            11.5,
            &[("text-anchor", "end"), ("fill", INK)],
            &format!("{:.0}%", row.route.final_progress() * 100.0),
        );
    }
    let frame = Frame {
        ox: x0 + X_PAD * s,
        oy: 0.0,
        s,
    };
    axis(&mut w, &frame, axis_y, GOAL_X);
    legend(&mut w, legend_top, &key);
    symbols_line(
        &mut w,
        legend_top + legend_h + 22.0,
        false,
        scope.journeys.iter().any(|j| hypothetical(j)),
    );
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_numbers_collapse_into_ranges() {
        assert_eq!(ranges(&[1]), "1");
        assert_eq!(ranges(&[1, 2]), "1, 2");
        assert_eq!(ranges(&[5, 6, 7, 8]), "5–8");
        assert_eq!(ranges(&[3, 5, 6, 7, 9]), "3, 5–7, 9");
    }

    #[test]
    fn text_wraps_and_fits_within_a_width() {
        let lines = wrap("one two three four five six", 60.0, 10.0);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().all(|l| text_width(l, 10.0) <= 60.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), "one two three four five six");
        let short = fit("a rather long title for a small space", 80.0, 10.0);
        assert!(
            short.ends_with('…') && text_width(&short, 10.0) <= 80.0,
            "{short}"
        );
        assert_eq!(fit("short", 80.0, 10.0), "short");
    }
}
