//! The route layout: where each step of a journey stands on the map.
//!
//! A pure, deterministic function of the journey — same file, same picture, on every machine —
//! shared by the terminal map, the SVG export and every comparison, so that they never disagree.
//! The map is `x` = progress toward the goal (0 at the start, 100 at the goal) and `y` = sideways
//! drift (negative below the straight line, positive above; kept within ±[`Y_LIMIT`]).
//!
//! How each kind moves the route (the default move is the step's `stride` when it has one):
//!
//! | kind      | move                                                                 |
//! |-----------|----------------------------------------------------------------------|
//! | `Advance` | +10 forward; half-way back toward the straight line                   |
//! | `Detour`  | +3 forward and 8 sideways, alternating sides                          |
//! | `Circle`  | a loop that ends where it began: no progress                         |
//! | `Stall`   | no move (a waiting mark)                                             |
//! | `Blocked` | no move (a wall ahead)                                               |
//! | `Retreat` | −10 back                                                             |
//! | `Wander`  | +2 forward and a sideways drift (6, −4, −6, 4, …), drawn in fog       |
//! | `Arrive`  | to the goal (100, 0); with `partial` a sub-goal: +10                   |
//!
//! A step with `at: (x, y)` is placed there, whatever its kind. Positions are clamped to the map.

use crate::model::{Journey, StepKind};

/// The goal's `x`.
pub const GOAL_X: f64 = 100.0;
/// How far a route may drift sideways.
pub const Y_LIMIT: f64 = 40.0;
/// The radius of the loop drawn for a `Circle` step.
pub const LOOP_RADIUS: f64 = 4.0;
/// How far ahead of a `Blocked` step its wall stands.
pub const WALL_AHEAD: f64 = 3.0;

/// A point on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Where one step leads: from the position before it to the position after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub kind: StepKind,
    pub from: Point,
    pub to: Point,
}

impl Placed {
    /// Progress toward the goal after this step, 0.0–1.0.
    pub fn progress(&self) -> f64 {
        self.to.x / GOAL_X
    }

    /// The line to draw for this step, from `from` to `to`: straight for most kinds, a loop for
    /// `Circle`, a short zigzag for `Wander`. The first point is `from` and the last is `to`.
    pub fn polyline(&self) -> Vec<Point> {
        let Placed { kind, from, to } = *self;
        match kind {
            StepKind::Circle => {
                // A loop above the current position, starting and ending at it.
                let centre = Point {
                    x: from.x,
                    y: from.y + LOOP_RADIUS,
                };
                (0..=16)
                    .map(|i| {
                        let a = -std::f64::consts::FRAC_PI_2
                            + std::f64::consts::TAU * f64::from(i) / 16.0;
                        Point {
                            x: centre.x + LOOP_RADIUS * a.cos(),
                            y: centre.y + LOOP_RADIUS * a.sin(),
                        }
                    })
                    .collect()
            }
            StepKind::Wander => {
                let dx = to.x - from.x;
                let dy = to.y - from.y;
                let mid = |t: f64, off: f64| Point {
                    x: from.x + dx * t,
                    y: from.y + dy * t + off,
                };
                vec![from, mid(0.33, 1.5), mid(0.66, -1.5), to]
            }
            _ => vec![from, to],
        }
    }
}

/// The laid-out route of a journey: one entry per step, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub steps: Vec<Placed>,
}

impl Route {
    /// Where the route starts.
    pub const START: Point = Point { x: 0.0, y: 0.0 };
    /// Where the goal stands.
    pub const GOAL: Point = Point { x: GOAL_X, y: 0.0 };

    /// Progress after the last step, 0.0–1.0 (0 for a journey without steps).
    pub fn final_progress(&self) -> f64 {
        self.steps.last().map_or(0.0, Placed::progress)
    }

    /// Progress after each step, 0.0–1.0.
    pub fn progress(&self) -> Vec<f64> {
        self.steps.iter().map(Placed::progress).collect()
    }
}

/// Lays out a journey's route. See the module documentation for the rules.
pub fn layout(journey: &Journey) -> Route {
    let mut pos = Route::START;
    let mut detours = 0usize;
    let mut wanders = 0usize;
    let steps = journey
        .steps
        .iter()
        .map(|step| {
            let from = pos;
            let stride = |default: f64| step.stride.unwrap_or(default);
            let mut to = match step.kind {
                StepKind::Advance => Point {
                    x: from.x + stride(10.0),
                    y: from.y * 0.5,
                },
                StepKind::Detour => {
                    let side = if detours.is_multiple_of(2) { 1.0 } else { -1.0 };
                    detours += 1;
                    Point {
                        x: from.x + stride(3.0),
                        y: from.y + side * 8.0,
                    }
                }
                StepKind::Circle | StepKind::Stall | StepKind::Blocked => from,
                StepKind::Retreat => Point {
                    x: from.x - stride(10.0).abs(),
                    y: from.y,
                },
                StepKind::Wander => {
                    const DRIFT: [f64; 4] = [6.0, -4.0, -6.0, 4.0];
                    let drift = DRIFT[wanders % DRIFT.len()];
                    wanders += 1;
                    Point {
                        x: from.x + stride(2.0),
                        y: from.y + drift,
                    }
                }
                StepKind::Arrive if step.partial => Point {
                    x: from.x + stride(10.0),
                    y: from.y * 0.5,
                },
                StepKind::Arrive => Route::GOAL,
            };
            if let Some((x, y)) = step.at {
                to = Point { x, y };
            }
            to = clamp(to);
            pos = to;
            Placed {
                kind: step.kind,
                from,
                to,
            }
        })
        .collect();
    Route { steps }
}

fn clamp(p: Point) -> Point {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    Point {
        x: finite(p.x).clamp(0.0, GOAL_X),
        y: finite(p.y).clamp(-Y_LIMIT, Y_LIMIT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Provenance, Source, Step};

    fn step(kind: StepKind) -> Step {
        Step {
            id: "s".into(),
            kind,
            when: None,
            title: String::new(),
            narrative: String::new(),
            obstacles: vec![],
            enablers: vec![],
            evidence: vec![],
            stride: None,
            at: None,
            partial: false,
            provenance: None,
        }
    }

    fn journey(steps: Vec<Step>) -> Journey {
        Journey {
            id: "j".into(),
            title: String::new(),
            theme: String::new(),
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
            steps,
        }
    }

    fn xs(steps: Vec<Step>) -> Vec<(f64, f64)> {
        layout(&journey(steps))
            .steps
            .iter()
            .map(|p| (p.to.x, p.to.y))
            .collect()
    }

    use StepKind::*;

    #[test]
    fn advance_moves_ten_forward_and_straightens() {
        assert_eq!(
            xs(vec![step(Advance), step(Advance)]),
            [(10.0, 0.0), (20.0, 0.0)]
        );
        assert_eq!(
            xs(vec![step(Detour), step(Advance)]),
            [(3.0, 8.0), (13.0, 4.0)]
        );
    }

    #[test]
    fn detour_moves_a_little_and_alternates_sides() {
        assert_eq!(
            xs(vec![step(Detour), step(Detour), step(Detour)]),
            [(3.0, 8.0), (6.0, 0.0), (9.0, 8.0)]
        );
    }

    #[test]
    fn circle_stall_and_blocked_do_not_move() {
        for kind in [Circle, Stall, Blocked] {
            assert_eq!(
                xs(vec![step(Advance), step(kind)])[1],
                (10.0, 0.0),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn circle_draws_a_closed_loop() {
        let route = layout(&journey(vec![step(Advance), step(Circle)]));
        let line = route.steps[1].polyline();
        assert!(line.len() > 8);
        let (first, last) = (line[0], line[line.len() - 1]);
        assert!((first.x - 10.0).abs() < 1e-9 && first.y.abs() < 1e-9);
        assert!((last.x - first.x).abs() < 1e-9 && (last.y - first.y).abs() < 1e-9);
        let top = line.iter().map(|p| p.y).fold(f64::MIN, f64::max);
        assert!((top - 2.0 * LOOP_RADIUS).abs() < 1e-9);
    }

    #[test]
    fn retreat_moves_back_and_never_past_the_start() {
        assert_eq!(
            xs(vec![step(Advance), step(Advance), step(Retreat)])[2],
            (10.0, 0.0)
        );
        assert_eq!(xs(vec![step(Retreat)]), [(0.0, 0.0)]);
    }

    #[test]
    fn wander_drifts_sideways_with_little_progress() {
        assert_eq!(
            xs(vec![step(Wander), step(Wander), step(Wander)]),
            [(2.0, 6.0), (4.0, 2.0), (6.0, -4.0)]
        );
        let route = layout(&journey(vec![step(Wander)]));
        assert_eq!(route.steps[0].polyline().len(), 4);
    }

    #[test]
    fn arrive_reaches_the_goal_and_partial_a_sub_goal() {
        assert_eq!(xs(vec![step(Detour), step(Arrive)])[1], (100.0, 0.0));
        let mut sub = step(Arrive);
        sub.partial = true;
        assert_eq!(xs(vec![step(Advance), sub])[1], (20.0, 0.0));
    }

    #[test]
    fn stride_overrides_the_default_move() {
        let mut big = step(Advance);
        big.stride = Some(25.0);
        let mut back = step(Retreat);
        back.stride = Some(5.0);
        assert_eq!(xs(vec![big, back]), [(25.0, 0.0), (20.0, 0.0)]);
    }

    #[test]
    fn at_places_a_step_absolutely_and_later_steps_follow_from_it() {
        let mut placed = step(Stall);
        placed.at = Some((50.0, -10.0));
        assert_eq!(
            xs(vec![placed, step(Advance)]),
            [(50.0, -10.0), (60.0, -5.0)]
        );
    }

    #[test]
    fn positions_stay_on_the_map() {
        let mut far = step(Advance);
        far.stride = Some(1e9);
        let mut wild = step(Stall);
        wild.at = Some((f64::NAN, 1e9));
        assert_eq!(xs(vec![far, wild]), [(100.0, 0.0), (0.0, Y_LIMIT)]);
    }

    #[test]
    fn progress_is_x_over_the_goal() {
        let route = layout(&journey(vec![step(Advance), step(Advance), step(Stall)]));
        assert_eq!(route.progress(), [0.1, 0.2, 0.2]);
        assert_eq!(route.final_progress(), 0.2);
        assert_eq!(layout(&journey(vec![])).final_progress(), 0.0);
    }
}
