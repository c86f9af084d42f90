//! The symbols the UI draws, each with an ASCII fallback for `--ascii`.

use crate::model::{Feature, Shape, StepKind};

/// A symbol in Unicode and in ASCII.
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    pub unicode: &'static str,
    pub ascii: &'static str,
}

impl Glyph {
    pub const fn new(unicode: &'static str, ascii: &'static str) -> Glyph {
        Glyph { unicode, ascii }
    }

    pub fn get(&self, ascii: bool) -> &'static str {
        if ascii { self.ascii } else { self.unicode }
    }
}

pub const START: Glyph = Glyph::new("○", "S");
pub const GOAL: Glyph = Glyph::new("◎", "G");
pub const STEP: Glyph = Glyph::new("•", "o");
pub const STEP_AHEAD: Glyph = Glyph::new("·", ".");
pub const CURRENT: Glyph = Glyph::new("◉", "@");
/// A step with notes, on the map and the strip.
pub const NOTE: Glyph = Glyph::new("✎", "n");
pub const FOG: Glyph = Glyph::new("░", ":");
pub const BAR_FULL: Glyph = Glyph::new("█", "#");
pub const BAR_EMPTY: Glyph = Glyph::new("░", ".");

/// The symbol a feature is drawn with, wherever it is named: a path is drawn as the route
/// doubled, every other feature by its own glyph.
pub fn feature(f: &Feature, ascii: bool) -> &str {
    match (f.shape, ascii) {
        (Shape::Path, _) => segment(1, 0, true, ascii),
        (_, true) => &f.ascii,
        (_, false) => &f.glyph,
    }
}

/// The symbol of a step kind on the step strip.
pub fn kind(k: StepKind) -> Glyph {
    match k {
        StepKind::Advance => Glyph::new("→", "A"),
        StepKind::Detour => Glyph::new("↗", "D"),
        StepKind::Circle => Glyph::new("↻", "C"),
        StepKind::Stall => Glyph::new("‖", "S"),
        StepKind::Blocked => Glyph::new("■", "B"),
        StepKind::Retreat => Glyph::new("←", "R"),
        StepKind::Wander => Glyph::new("~", "W"),
        StepKind::Arrive => Glyph::new("◎", "G"),
    }
}

/// A line segment's symbol for a step in cell space (`dx` right, `dy` down the screen).
pub fn segment(dx: i32, dy: i32, double: bool, ascii: bool) -> &'static str {
    match (dx.signum(), dy.signum(), double, ascii) {
        (_, 0, false, false) => "─",
        (_, 0, true, false) => "═",
        (0, _, false, false) => "│",
        (0, _, true, false) => "║",
        (1, -1, _, false) | (-1, 1, _, false) => "╱",
        (_, _, _, false) => "╲",
        (_, 0, false, true) => "-",
        (_, 0, true, true) => "=",
        (0, _, _, true) => "|",
        (1, -1, _, true) | (-1, 1, _, true) => "/",
        (_, _, _, true) => "\\",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::validate::RESERVED_GLYPHS;

    #[test]
    fn the_catalogue_check_reserves_every_mark_the_map_draws_for_itself() {
        for g in [START, GOAL, CURRENT, STEP, STEP_AHEAD, NOTE] {
            assert!(
                RESERVED_GLYPHS.iter().any(|(r, _)| *r == g.unicode),
                "{} is not reserved",
                g.unicode
            );
        }
        for dx in -1..=1 {
            for dy in -1..=1 {
                for double in [false, true] {
                    let s = segment(dx, dy, double, false);
                    assert!(RESERVED_GLYPHS.iter().any(|(r, _)| *r == s), "{s}");
                }
            }
        }
    }
}
