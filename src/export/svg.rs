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

const FONT: &str = "'Source Sans 3', 'Source Sans Pro', 'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif";
const INK: &str = "#222222";
const MUTED: &str = "#666666";
const PAPER: &str = "#fbfaf6";
const WIDTH: f64 = 960.0;
const MARGIN: f64 = 40.0;
/// Map units either side of 0..100 so that start and goal have room.
const X_PAD: f64 = 4.0;
/// A marker's size in pixels, and the room it takes.
const MARKER: f64 = 18.0;
const MARKER_STEP: f64 = 23.0;
const MARKERS_PER_ROW: usize = 3;

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
    point_radius: f64,
) {
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
        if step.kind == crate::model::StepKind::Wander {
            attrs.push(("stroke-dasharray", "1.2 0.8"));
        }
        w.empty("polyline", &attrs);
    }
    // Walls: a ridge of triangles across the route just ahead of the step; drawn once per
    // place and kind, however many steps stand at it.
    let mut walls: Vec<(String, i64, i64)> = Vec::new();
    for (step, placed) in journey.steps.iter().zip(&route.steps) {
        let ws: Vec<&Feature> = features(terrain, step)
            .into_iter()
            .filter(|(_, f)| f.shape == Shape::Wall)
            .map(|(_, f)| f)
            .collect();
        for f in ws {
            let key = (
                f.id.clone(),
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
            for k in -2..=2 {
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
    // Start, goal, and the step points with their tooltips.
    w.empty(
        "circle",
        &[
            ("class", "start"),
            ("cx", "0"),
            ("cy", "0"),
            ("r", &num(point_radius * 1.5)),
            ("fill", PAPER),
            ("stroke", INK),
            ("stroke-width", "0.35"),
        ],
    );
    for r in [1.6, 0.8] {
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
    fn number(&self, id: &str) -> usize {
        self.entries
            .iter()
            .filter(|(_, f)| matches!(f.shape, Shape::Marker | Shape::Bridge))
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
    let rows = key.entries.len().div_ceil(2);
    for (i, (class, f)) in key.entries.iter().enumerate() {
        let (col, row) = (i / rows, i % rows);
        let x = MARGIN + col as f64 * col_w;
        let y = top + 36.0 + row as f64 * 22.0;
        symbol(w, x, y, *class, f, key);
        let kind = match class {
            FeatureClass::Obstacle => "obstacle",
            FeatureClass::Enabler => "enabler",
        };
        let label = fit(&format!("{} ({kind})", f.en), col_w - 40.0, 11.5);
        text(w, x + 26.0, y + 4.0, 11.5, &[("fill", INK)], &label);
        // The Norwegian label in the room left, if there is enough for a word or two.
        let at = x + 26.0 + text_width(&label, 11.5) + 8.0;
        let room = x + col_w - 12.0 - at;
        if room > 60.0 {
            let no = fit(&f.no, room, 10.5);
            text(
                w,
                at,
                y + 4.0,
                10.5,
                &[("fill", MUTED), ("font-style", "italic")],
                &no,
            );
        }
    }
    36.0 + rows as f64 * 22.0
}

/// The legend line for the figure's own symbols: start, step, goal, and what the line means.
fn symbols_line(w: &mut Writer, y: f64, numbered: bool) {
    let mut x = MARGIN;
    let step = if numbered { "step (numbered)" } else { "step" };
    let items: [(&str, &str); 3] = [("start", "start"), ("step", step), ("goal", "goal")];
    for (kind, label) in items {
        match kind {
            "start" => w.empty(
                "circle",
                &[
                    ("cx", &px(x + 6.0)),
                    ("cy", &px(y - 4.0)),
                    ("r", "5"),
                    ("fill", PAPER),
                    ("stroke", INK),
                    ("stroke-width", "1.5"),
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
            ("stroke-dasharray", "6 4"),
        ],
    );
    text(
        w,
        x + 30.0,
        y,
        11.0,
        &[("fill", INK)],
        "wandering, unsure of position",
    );
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
    let (width, height) = (px(WIDTH), px(height));
    let view = format!("0 0 {width} {height}");
    w.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("xmlns:terreng", NAMESPACE),
            ("version", "1.1"),
            ("width", &width),
            ("height", &height),
            ("viewBox", &view),
            ("font-family", FONT),
        ],
    );
    w.text("title", &[], title);
    w.text("desc", &[], desc);
    w.empty(
        "rect",
        &[
            ("x", "0"),
            ("y", "0"),
            ("width", &width),
            ("height", &height),
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
    let marker_rows = markers
        .iter()
        .map(|m| m.len().div_ceil(MARKERS_PER_ROW))
        .max()
        .unwrap_or(0);

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

    // The map: a uniform scale; room above the route for labels and loops, below for markers.
    let s = (WIDTH - 2.0 * MARGIN) / (GOAL_X + 2.0 * X_PAD);
    let (lo, hi) = y_extent(&route);
    let above = (hi + 2.5) * s + 22.0;
    let below = (-lo + 2.5) * s + 16.0 + marker_rows as f64 * MARKER_STEP;
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
    let axis_y = map_top + map_h + 16.0;

    // Steps list below the map, in two columns.
    let steps_top = axis_y + 30.0;
    let col_w = (WIDTH - 2.0 * MARGIN) / 2.0;
    let rows = j.steps.len().div_ceil(2);
    let steps_h = 28.0 + rows as f64 * 17.0;
    let legend_top = steps_top + steps_h + 10.0;
    let legend_rows = key.entries.len().div_ceil(2);
    let legend_h = if key.entries.is_empty() {
        0.0
    } else {
        36.0 + legend_rows as f64 * 22.0
    };
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
            ("width", &px(WIDTH - 2.0 * MARGIN)),
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
            ("x2", &px(frame.x(GOAL_X))),
            ("y2", &px(frame.y(0.0))),
            ("stroke", "#bbbbbb"),
            ("stroke-width", "1"),
            ("stroke-dasharray", "4 4"),
        ],
    );
    axis(&mut w, &frame, axis_y);

    let tips: Vec<String> = (0..j.steps.len()).map(|i| tooltip(scope, j, i)).collect();
    draw_route(&mut w, &frame, j, &route, terrain, &tips, 0.75);
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
    text(
        &mut w,
        frame.x(GOAL_X),
        frame.y(0.0) + 24.0,
        11.0,
        &[("text-anchor", "middle"), ("fill", MUTED)],
        "goal",
    );

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
    symbols_line(&mut w, legend_top + legend_h + 22.0, true);
    legend(&mut w, legend_top, &key);
    w.finish()
}

/// The progress axis under a map: ticks at every quarter.
fn axis(w: &mut Writer, frame: &Frame, y: f64) {
    w.empty(
        "line",
        &[
            ("x1", &px(frame.x(0.0))),
            ("y1", &px(y)),
            ("x2", &px(frame.x(GOAL_X))),
            ("y2", &px(y)),
            ("stroke", MUTED),
            ("stroke-width", "1"),
        ],
    );
    for q in 0..=4 {
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
        frame.x(GOAL_X / 2.0),
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
        let height = (above + below).max(44.0);
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
    let legend_h = if key.entries.is_empty() {
        0.0
    } else {
        36.0 + key.entries.len().div_ceil(2) as f64 * 22.0
    };
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
        draw_route(&mut w, &frame, j, &row.route, terrain, &tips, 0.9);
        orphan_notes(&mut w, scope, j);
        let mid = row.top + row.height / 2.0;
        text(
            &mut w,
            MARGIN,
            mid - 2.0,
            12.0,
            &[("font-weight", "bold"), ("fill", INK)],
            &j.id,
        );
        let title = fit(&j.title, label_w - 12.0, 10.5);
        text(&mut w, MARGIN, mid + 12.0, 10.5, &[("fill", MUTED)], &title);
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
    axis(&mut w, &frame, axis_y);
    legend(&mut w, legend_top, &key);
    symbols_line(&mut w, legend_top + legend_h + 22.0, false);
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
