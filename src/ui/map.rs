//! The landscape map: the route of one journey across its terrain, in terminal cells.
//!
//! Positions come from [`crate::model::route`] (the same layout the SVG export and comparisons
//! use). Drawing order, back to front: fog shading over the steps it covers, water bands, the
//! route (walked part bright, the rest dim or hidden), walls as ridges across the route ahead
//! of a blocked step, markers beside their step, the step points, start and goal, and the
//! current step on top. Only obstacles and enablers of the steps shown are drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use crate::model::route::WALL_AHEAD;
use crate::model::{Feature, Journey, Point, Route, Shape, Terrain};
use crate::ui::glyphs::{self, CURRENT, GOAL, NOTE, START, STEP, STEP_AHEAD};
use crate::ui::theme::Look;

/// What to draw.
pub struct MapView<'a> {
    pub journey: &'a Journey,
    pub route: &'a Route,
    pub terrain: &'a Terrain,
    pub look: &'a Look,
    /// The current step (drawn on top, marked).
    pub current: usize,
    /// Draw the route past the current step (dimmed); hidden when false.
    pub show_future: bool,
    /// Which steps carry notes (drawn with the note mark); empty when none do.
    pub noted: Vec<bool>,
}

/// One item of the legend: a symbol, its style, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    pub symbol: String,
    pub style: Style,
    pub label: String,
    /// The Norwegian label, for catalogue features.
    pub no: Option<String>,
}

/// Maps the map's coordinates onto the cells of an area: x from the start (0) to the goal (100)
/// across the whole width, y over the route's own extent (the start's line included, with a
/// margin for the marks above and below), so that a route that keeps to one side of the start
/// is not drawn in half the height.
struct Grid {
    area: Rect,
    /// The map's y at the top row and at the bottom row.
    top: f64,
    bottom: f64,
}

impl Grid {
    fn new(area: Rect, route: &Route) -> Grid {
        let (lo, hi) = route
            .steps
            .iter()
            .flat_map(|p| p.polyline())
            .map(|p| p.y)
            .fold((0.0_f64, 0.0_f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
        // A margin of two for the marks beside a step; never less than twelve in all.
        let (mut top, mut bottom) = (hi + 2.0, lo - 2.0);
        let short = 12.0 - (top - bottom);
        if short > 0.0 {
            top += short / 2.0;
            bottom -= short / 2.0;
        }
        Grid { area, top, bottom }
    }

    /// The map's height in its own units.
    fn span(&self) -> f64 {
        self.top - self.bottom
    }

    fn col(&self, x: f64) -> i32 {
        let w = f64::from(self.area.width.saturating_sub(1));
        (x.clamp(0.0, 100.0) / 100.0 * w).round() as i32
    }

    fn row(&self, y: f64) -> i32 {
        let h = f64::from(self.area.height.saturating_sub(1));
        ((self.top - y) / self.span() * h).round() as i32
    }

    fn cell(&self, p: Point) -> (i32, i32) {
        (self.col(p.x), self.row(p.y))
    }

    /// The buffer position of a grid cell, if it is inside the area.
    fn pos(&self, col: i32, row: i32) -> Option<Position> {
        let inside = col >= 0
            && row >= 0
            && col < i32::from(self.area.width)
            && row < i32::from(self.area.height);
        inside.then(|| Position::new(self.area.x + col as u16, self.area.y + row as u16))
    }
}

impl MapView<'_> {
    /// The last step drawn: the current one when the route ahead is hidden.
    fn last_shown(&self) -> usize {
        if self.show_future {
            self.journey.steps.len().saturating_sub(1)
        } else {
            self.current
        }
    }

    /// The catalogue features of a step, with their shapes, obstacles first.
    fn features(&self, step: usize) -> impl Iterator<Item = &Feature> {
        self.journey.steps[step]
            .codes()
            .filter_map(|id| self.terrain.feature(id).map(|(_, f)| f))
    }

    /// The rows the map needs at a given width to keep its proportions (a cell is about twice
    /// as tall as it is wide), with room for markers above and below the route; never fewer
    /// than `min`. A screen can give the rest of its height to something else.
    pub fn wanted_height(&self, width: u16, min: u16) -> u16 {
        let g = Grid::new(Rect::new(0, 0, width, 1), self.route);
        let rows = g.span() * f64::from(width) / 100.0 * 0.5 + 5.0;
        (rows.ceil() as u16).max(min)
    }

    /// Draws the map into `area` and returns the cell of each drawn step (for mouse
    /// hit-testing), indexed by step.
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Vec<Option<Position>> {
        let n = self.journey.steps.len().min(self.route.steps.len());
        if area.width < 3 || area.height < 3 || n == 0 {
            return vec![None; n];
        }
        let g = Grid::new(area, self.route);
        let look = self.look;
        let ascii = look.ascii;
        let last = self.last_shown().min(n - 1);
        let ahead = |i: usize| i > self.current;

        // Fog: shading over the cells around the steps it covers, in the fog's own glyph, so
        // that kinds of fog are told apart; several on one step interleave.
        let fog: Vec<&str> = self
            .terrain
            .features()
            .filter(|(_, f)| f.shape == Shape::Fog)
            .map(|(_, f)| glyph(f, ascii))
            .collect();
        for i in 0..=last {
            let fogs: Vec<&Feature> = self.features(i).filter(|f| f.shape == Shape::Fog).collect();
            if fogs.is_empty() {
                continue;
            }
            let line = self.route.steps[i].polyline();
            let cells: Vec<(i32, i32)> = line.iter().map(|p| g.cell(*p)).collect();
            let (c0, c1) = span(cells.iter().map(|c| c.0));
            let (r0, r1) = span(cells.iter().map(|c| c.1));
            for r in r0 - 1..=r1 + 1 {
                for c in c0 - 2..=c1 + 2 {
                    let f = fogs[(c + r).rem_euclid(fogs.len() as i32) as usize];
                    let style = if ahead(i) {
                        look.dim()
                    } else {
                        look.named(f.color)
                    };
                    put(buf, &g, c, r, glyph(f, ascii), style, Some(&fog));
                }
            }
        }

        // Water: a band across the route after the step.
        for i in 0..=last {
            for f in self.features(i).filter(|f| f.shape == Shape::Water) {
                let (c, r) = g.cell(self.route.steps[i].to);
                let style = if ahead(i) {
                    look.dim()
                } else {
                    look.named(f.color)
                };
                for dr in -2..=2 {
                    put(buf, &g, c + 1, r + dr, glyph(f, ascii), style, None);
                }
            }
        }

        // The route, step by step; a path-shaped enabler draws its step's segment doubled.
        for i in 0..=last {
            let placed = &self.route.steps[i];
            let path = self.features(i).find(|f| f.shape == Shape::Path);
            let style = match (ahead(i), path) {
                (true, _) => look.dim(),
                (false, Some(f)) => look.named(f.color),
                (false, None) => look.route(),
            };
            let line = placed.polyline();
            for seg in line.windows(2) {
                draw_segment(
                    buf,
                    &g,
                    g.cell(seg[0]),
                    g.cell(seg[1]),
                    path.is_some(),
                    ascii,
                    style,
                );
            }
        }

        // Walls: a ridge across the route just ahead of the step.
        for i in 0..=last {
            for f in self.features(i).filter(|f| f.shape == Shape::Wall) {
                let at = self.route.steps[i].to;
                let c = g.col(at.x + WALL_AHEAD).max(g.col(at.x) + 1);
                let r = g.row(at.y);
                let style = if ahead(i) {
                    look.dim()
                } else {
                    look.named(f.color)
                };
                for dr in -2..=2 {
                    put(buf, &g, c, r + dr, glyph(f, ascii), style, None);
                }
            }
        }

        // Markers, bridges and paths: glyphs beside their step, in the first free cells around
        // it (a path's also doubles the route, as drawn above).
        for i in 0..=last {
            let (c, r) = g.cell(self.route.steps[i].to);
            let mut spots = [
                (0, -1),
                (0, 1),
                (1, -1),
                (1, 1),
                (-1, -1),
                (-1, 1),
                (0, -2),
                (0, 2),
            ]
            .into_iter();
            for f in self.features(i).filter(|f| {
                matches!(f.shape, Shape::Marker | Shape::Bridge)
                    || (f.shape == Shape::Path && glyphs::path_has_mark(f, ascii))
            }) {
                let style = if ahead(i) {
                    look.dim()
                } else {
                    look.named(f.color)
                };
                for (dc, dr) in spots.by_ref() {
                    if is_blank(buf, &g, c + dc, r + dr, &fog) {
                        put(buf, &g, c + dc, r + dr, glyph(f, ascii), style, None);
                        break;
                    }
                }
            }
        }

        // Step points; start and goal over them; the current step on top.
        let mut cells = vec![None; n];
        for (i, cell) in cells.iter_mut().enumerate().take(last + 1) {
            let (c, r) = g.cell(self.route.steps[i].to);
            let noted = self.noted.get(i).copied().unwrap_or(false);
            let (symbol, style) = match (ahead(i), noted) {
                (true, false) => (STEP_AHEAD.get(ascii), look.dim()),
                (true, true) => (NOTE.get(ascii), look.dim()),
                (false, false) => (STEP.get(ascii), look.route()),
                (false, true) => (NOTE.get(ascii), look.accent()),
            };
            if i != self.current {
                put(buf, &g, c, r, symbol, style, None);
            }
            *cell = g.pos(c, r);
        }
        // Start and goal.
        let (sc, sr) = g.cell(Route::START);
        put(buf, &g, sc, sr, START.get(ascii), look.goal(), None);
        let (gc, gr) = g.cell(Route::GOAL);
        put(buf, &g, gc, gr, GOAL.get(ascii), look.goal(), None);

        if self.current < n {
            let (c, r) = g.cell(self.route.steps[self.current].to);
            put(buf, &g, c, r, CURRENT.get(ascii), look.current(), None);
        }
        cells
    }

    /// What the map shows, for a legend: each feature drawn once, nearest the current step
    /// first, then the step marks.
    pub fn legend(&self) -> Vec<LegendItem> {
        let mut items: Vec<LegendItem> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let n = self.journey.steps.len();
        if n == 0 {
            return items;
        }
        // The current step's terrain first, then what was walked, most recent first, then
        // what lies ahead: a legend cut short by a small terminal still names what matters.
        let current = self.current.min(n - 1);
        let order = (0..=current)
            .rev()
            .chain(current + 1..=self.last_shown().min(n - 1));
        for i in order {
            for f in self.features(i) {
                if seen.insert(f.id.as_str()) {
                    let symbol = glyphs::feature(f, self.look.ascii);
                    items.push(LegendItem {
                        symbol: symbol.to_string(),
                        style: self.look.named(f.color),
                        label: f.en.clone(),
                        no: Some(f.no.clone()),
                    });
                }
            }
        }
        if let Some(path) = (0..=self.last_shown().min(n - 1))
            .flat_map(|i| self.features(i))
            .find(|f| f.shape == Shape::Path && glyphs::path_has_mark(f, self.look.ascii))
        {
            items.push(LegendItem {
                symbol: glyphs::segment(1, 0, true, self.look.ascii).to_string(),
                style: self.look.named(path.color),
                label: "the route doubled: a path (its kind's mark beside the step)".to_string(),
                no: None,
            });
        }
        if self.noted.iter().take(self.last_shown() + 1).any(|&b| b) {
            items.push(LegendItem {
                symbol: NOTE.get(self.look.ascii).to_string(),
                style: self.look.accent(),
                label: "step with notes".to_string(),
                no: None,
            });
        }
        items.push(LegendItem {
            symbol: CURRENT.get(self.look.ascii).to_string(),
            style: self.look.current(),
            label: "current step".to_string(),
            no: None,
        });
        items.push(LegendItem {
            symbol: GOAL.get(self.look.ascii).to_string(),
            style: self.look.goal(),
            label: "goal".to_string(),
            no: None,
        });
        items
    }
}

fn glyph(f: &Feature, ascii: bool) -> &str {
    if ascii { &f.ascii } else { &f.glyph }
}

fn span(values: impl Iterator<Item = i32>) -> (i32, i32) {
    values.fold((i32::MAX, i32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// Whether a cell holds nothing but space or fog (which anything else may be drawn over).
fn is_blank(buf: &Buffer, g: &Grid, col: i32, row: i32, fog: &[&str]) -> bool {
    g.pos(col, row)
        .and_then(|p| buf.cell(p))
        .is_some_and(|cell| cell.symbol() == " " || fog.contains(&cell.symbol()))
}

/// Writes a symbol into a grid cell; `under` (for shading, with the fog glyphs) only fills
/// blank cells.
fn put(
    buf: &mut Buffer,
    g: &Grid,
    col: i32,
    row: i32,
    symbol: &str,
    style: Style,
    under: Option<&[&str]>,
) {
    let Some(p) = g.pos(col, row) else { return };
    if let Some(fog) = under
        && !is_blank(buf, g, col, row, fog)
    {
        return;
    }
    if let Some(cell) = buf.cell_mut(p) {
        cell.set_symbol(symbol);
        cell.set_style(style);
    }
}

/// A straight line of segment symbols between two cells (Bresenham), ends excluded where a
/// step point will be drawn.
fn draw_segment(
    buf: &mut Buffer,
    g: &Grid,
    from: (i32, i32),
    to: (i32, i32),
    double: bool,
    ascii: bool,
    style: Style,
) {
    let (mut x, mut y) = from;
    let dx = (to.0 - x).abs();
    let dy = -(to.1 - y).abs();
    let sx = (to.0 - x).signum();
    let sy = (to.1 - y).signum();
    let symbol = glyphs::segment(to.0 - from.0, to.1 - from.1, double, ascii);
    let mut err = dx + dy;
    loop {
        put(buf, g, x, y, symbol, style, None);
        if (x, y) == to {
            break;
        }
        let e2 = 2 * err;
        if e2 >= dy {
            err += dy;
            x += sx;
        }
        if e2 <= dx {
            err += dx;
            y += sy;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Provenance, Source, Step, StepKind, layout};
    use crate::store::terrain_from_bytes;
    use ratatui::style::{Color, Modifier};

    fn terrain() -> Terrain {
        let text = include_str!("../../tests/fixtures/good/terrain.ron");
        terrain_from_bytes("terrain.ron", text.as_bytes()).unwrap()
    }

    fn step(kind: StepKind, obstacles: &[&str], enablers: &[&str]) -> Step {
        Step {
            id: "s".into(),
            kind,
            when: None,
            title: String::new(),
            narrative: String::new(),
            obstacles: obstacles.iter().map(|s| s.to_string()).collect(),
            enablers: enablers.iter().map(|s| s.to_string()).collect(),
            evidence: vec![],
            stride: None,
            at: None,
            partial: false,
            provenance: None,
        }
    }

    /// Advance to x=10; Blocked there by a wall; Wander in fog to (12, 6); Arrive with a
    /// thumbs-up marker at the goal (100, 0).
    fn journey() -> Journey {
        Journey {
            id: "j".into(),
            title: String::new(),
            theme: "models".into(),
            source: Source {
                work: String::new(),
                doi: None,
                seed: None,
                licence: None,
            },
            provenance: Provenance::Documented,
            place: None,
            period: None,
            variant: None,
            goal: String::new(),
            outcome: String::new(),
            steps: vec![
                step(StepKind::Advance, &[], &[]),
                step(StepKind::Blocked, &["tacit_resistance"], &[]),
                step(StepKind::Wander, &["unclear_direction"], &[]),
                step(StepKind::Arrive, &[], &["thumbs_up"]),
            ],
        }
    }

    fn render(area: Rect, current: usize, show_future: bool) -> (Buffer, Vec<Option<Position>>) {
        let j = journey();
        let route = layout(&j);
        let t = terrain();
        let look = Look::default();
        let view = MapView {
            journey: &j,
            route: &route,
            terrain: &t,
            look: &look,
            current,
            show_future,
            noted: Vec::new(),
        };
        let mut buf = Buffer::empty(area);
        let cells = view.render(area, &mut buf);
        (buf, cells)
    }

    /// The symbol, foreground and modifiers of a cell, as a `Style` to compare with.
    fn at(buf: &Buffer, x: u16, y: u16) -> (&str, Style) {
        let c = &buf[(x, y)];
        let mut style = Style::default().add_modifier(c.modifier);
        if c.fg != Color::Reset {
            style = style.fg(c.fg);
        }
        (c.symbol(), style)
    }

    // On a 21×9 map: col(x) = round(x / 100 × 20); the route runs from y = 0 up to the wander
    // at y = 6, so with a margin of 2 it spans −2 to 8, widened to the least span of 12: −3 to
    // 9, and row(y) = round((9 − y) / 12 × 8): row(0) = 6, row(6) = 2. Steps 1 and 2 stand at
    // (10, 0) → cell (2, 6); step 3 at (12, 6) → (2, 2); step 4 at the goal → (20, 6). The wall
    // stands at x = 13 → column 3, rows 4–8; the fog of step 3 shades columns 0–4, rows 1–7.
    #[test]
    fn a_known_journey_draws_route_wall_fog_marker_and_current_step() {
        let (buf, cells) = render(Rect::new(0, 0, 21, 9), 1, true);
        let dim = Style::default().fg(Color::DarkGray);

        assert_eq!(
            at(&buf, 0, 6),
            (
                "○",
                Style::default()
                    .fg(Color::Green)
                    .add_modifier(Modifier::BOLD)
            )
        );
        assert_eq!(
            at(&buf, 1, 6),
            ("─", Style::default().fg(Color::White)),
            "route walked"
        );
        assert_eq!(
            at(&buf, 2, 6),
            (
                "◉",
                Style::default()
                    .fg(Color::Yellow)
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            ),
            "current step"
        );
        for row in 4..=8 {
            assert_eq!(
                at(&buf, 3, row),
                ("▲", Style::default().fg(Color::Red)),
                "wall row {row}"
            );
        }
        assert_eq!(at(&buf, 2, 2), ("·", dim), "a step ahead is dim");
        assert_eq!(at(&buf, 4, 1), ("░", dim), "fog ahead, dim");
        assert_eq!(
            at(&buf, 20, 6),
            (
                "◎",
                Style::default()
                    .fg(Color::Green)
                    .add_modifier(Modifier::BOLD)
            )
        );
        assert_eq!(
            at(&buf, 20, 5),
            ("◆", dim),
            "the marker of the step ahead, beside it"
        );
        assert_eq!(
            cells,
            [
                Some(Position::new(2, 6)),
                Some(Position::new(2, 6)),
                Some(Position::new(2, 2)),
                Some(Position::new(20, 6))
            ]
        );
    }

    #[test]
    fn terrain_of_walked_steps_takes_its_own_colour() {
        let (buf, _) = render(Rect::new(0, 0, 21, 9), 3, true);
        assert_eq!(
            at(&buf, 4, 1),
            ("░", Style::default().fg(Color::Gray)),
            "fog walked through"
        );
        assert_eq!(
            at(&buf, 20, 5),
            ("◆", Style::default().fg(Color::Green)),
            "the marker of a walked step"
        );
        assert_eq!(
            at(&buf, 20, 6).0,
            "◉",
            "the current step on top of the goal"
        );
    }

    #[test]
    fn the_route_ahead_can_be_hidden() {
        let (buf, cells) = render(Rect::new(0, 0, 21, 9), 1, false);
        assert_eq!(at(&buf, 2, 2).0, " ", "no step ahead drawn");
        assert_eq!(at(&buf, 4, 1).0, " ", "no fog ahead drawn");
        assert_eq!(at(&buf, 20, 5).0, " ", "no marker ahead drawn");
        assert_eq!(at(&buf, 3, 6).0, "▲", "the wall of the current step stays");
        assert_eq!(cells[2], None);
    }

    #[test]
    fn ascii_draws_the_fallbacks() {
        let j = journey();
        let route = layout(&j);
        let t = terrain();
        let look = Look {
            ascii: true,
            ..Look::default()
        };
        let view = MapView {
            journey: &j,
            route: &route,
            terrain: &t,
            look: &look,
            current: 1,
            show_future: true,
            noted: Vec::new(),
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 21, 9));
        view.render(buf.area, &mut buf);
        assert_eq!(at(&buf, 0, 6).0, "S");
        assert_eq!(at(&buf, 2, 6).0, "@");
        assert_eq!(at(&buf, 3, 4).0, "^");
        assert_eq!(at(&buf, 20, 6).0, "G");
        assert!(
            buf.content.iter().all(|c| c.symbol().is_ascii()),
            "only ASCII on the map"
        );
    }

    #[test]
    fn tiny_and_empty_areas_do_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (2, 5), (5, 2), (3, 3)] {
            let (_, cells) = render(Rect::new(0, 0, w, h), 2, true);
            assert_eq!(cells.len(), 4);
        }
        // An area that does not start at the origin.
        let (buf, cells) = render(Rect::new(5, 3, 21, 9), 1, true);
        assert_eq!(cells[0], Some(Position::new(7, 9)));
        assert_eq!(at(&buf, 5, 9).0, "○");
    }

    #[test]
    fn the_legend_lists_what_is_drawn_once_each() {
        let j = journey();
        let route = layout(&j);
        let t = terrain();
        let look = Look::default();
        let view = MapView {
            journey: &j,
            route: &route,
            terrain: &t,
            look: &look,
            current: 1,
            show_future: false,
            noted: Vec::new(),
        };
        let labels: Vec<String> = view.legend().into_iter().map(|i| i.label).collect();
        assert_eq!(
            labels,
            ["Cliff wall (silent resistance)", "current step", "goal"]
        );
    }

    #[test]
    fn the_legend_names_the_current_step_first_then_the_walked_then_the_ahead() {
        let j = journey();
        let route = layout(&j);
        let t = terrain();
        let look = Look::default();
        let view = MapView {
            journey: &j,
            route: &route,
            terrain: &t,
            look: &look,
            current: 2,
            show_future: true,
            noted: Vec::new(),
        };
        let labels: Vec<String> = view.legend().into_iter().map(|i| i.label).collect();
        assert_eq!(
            labels,
            [
                "Unclear direction",
                "Cliff wall (silent resistance)",
                "Thumbs up",
                "current step",
                "goal"
            ]
        );
    }
}
