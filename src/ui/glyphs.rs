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
pub const BAR_FULL: Glyph = Glyph::new("█", "#");
pub const BAR_EMPTY: Glyph = Glyph::new("░", ".");

/// The symbol a feature is drawn with, wherever it is named: its own glyph, whatever its shape
/// (a wall's ridge, a fog's shading, a water band and a path's mark beside the doubled route
/// are all drawn with it), so that no two kinds look alike with or without colour. A path
/// whose glyph is one of the route's own marks (as in catalogues made before paths had marks
/// of their own) is shown as the doubled route.
pub fn feature(f: &Feature, ascii: bool) -> &str {
    if f.shape == Shape::Path && !path_has_mark(f, ascii) {
        return segment(1, 0, true, ascii);
    }
    if ascii { &f.ascii } else { &f.glyph }
}

/// Whether a path kind has a mark of its own to draw beside its step: a glyph that is not one
/// of the map's own marks.
pub fn path_has_mark(f: &Feature, ascii: bool) -> bool {
    if ascii {
        !RESERVED_ASCII.contains(&f.ascii.as_str())
    } else {
        !crate::store::validate::RESERVED_GLYPHS
            .iter()
            .any(|(g, _)| *g == f.glyph)
    }
}

/// The ASCII stand-ins of the map's own marks (start, goal, steps, notes, the route), never
/// a code's ASCII glyph in the bundled catalogue.
pub const RESERVED_ASCII: &[&str] = &["S", "G", "o", ".", "@", "n", "-", "=", "|", "/", "\\"];

/// The fill of the `k`-th theme's share of a bar on the terrain screen: a shade or a pattern of
/// its own, so that themes are told apart without colour too (with [`Look::series`] giving the
/// colour). Beyond the list, fills repeat.
///
/// [`Look::series`]: crate::ui::theme::Look::series
pub fn theme_fill(k: usize) -> Glyph {
    // Block elements no kind's glyph is (nor, in ASCII, any bundled kind's letter), so that a
    // bar is never read as a kind.
    const FILLS: [Glyph; 12] = [
        Glyph::new("█", "X"),
        Glyph::new("▀", "="),
        Glyph::new("▄", "-"),
        Glyph::new("▌", "o"),
        Glyph::new("▞", "@"),
        Glyph::new("▙", "|"),
        Glyph::new("▜", "/"),
        Glyph::new("▐", "\\"),
        Glyph::new("▟", "("),
        Glyph::new("▛", ")"),
        Glyph::new("▖", "{"),
        Glyph::new("▝", "}"),
    ];
    FILLS[k % FILLS.len()]
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
            assert!(RESERVED_ASCII.contains(&g.ascii), "{}", g.ascii);
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

    /// Every kind of the bundled catalogue is told apart by its glyph alone: no two share one,
    /// in Unicode or (within a journey or a theme, all that one screen shows) in ASCII, and none
    /// is a mark the map draws for itself.
    #[test]
    fn every_kind_has_a_glyph_of_its_own_in_unicode_and_in_ascii() {
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        let t = &data.terrain;
        let mut seen = std::collections::HashMap::new();
        for (_, f) in t.features() {
            assert!(
                !RESERVED_GLYPHS.iter().any(|(r, _)| *r == f.glyph),
                "{} uses a map mark",
                f.id
            );
            assert!(!RESERVED_ASCII.contains(&f.ascii.as_str()), "{}", f.id);
            if let Some(other) = seen.insert(f.glyph.clone(), f.id.clone()) {
                panic!("{} and {other} share {}", f.id, f.glyph);
            }
        }
        // ASCII: 111 kinds are more than printable ASCII has, so distinct where they are seen
        // together: in a journey, and in a theme (compared, filtered, listed together).
        let mut groups: std::collections::BTreeMap<String, std::collections::BTreeSet<&str>> =
            Default::default();
        for j in &data.journeys {
            let ids: std::collections::BTreeSet<&str> = j.codes().collect();
            groups.insert(j.id.clone(), ids.clone());
            groups
                .entry(format!("theme {}", j.theme))
                .or_default()
                .extend(ids);
        }
        for (group, ids) in groups {
            let mut ascii = std::collections::HashMap::new();
            for id in ids {
                let (_, f) = t.feature(id).unwrap();
                if let Some(other) = ascii.insert(f.ascii.as_str(), id) {
                    panic!("{group}: {id} and {other} share '{}' in ASCII", f.ascii);
                }
            }
        }
    }

    /// What the journey screen's legend shows for every bundled journey: no symbol twice, in
    /// Unicode and in ASCII.
    #[test]
    fn no_legend_shows_one_symbol_for_two_things() {
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        for ascii in [false, true] {
            let look = crate::ui::theme::Look {
                ascii,
                ..Default::default()
            };
            for j in &data.journeys {
                let route = crate::model::layout(j);
                let view = crate::ui::map::MapView {
                    journey: j,
                    route: &route,
                    terrain: &data.terrain,
                    look: &look,
                    current: j.steps.len() - 1,
                    show_future: true,
                    noted: vec![true; j.steps.len()],
                };
                let mut seen = std::collections::HashMap::new();
                for item in view.legend() {
                    if let Some(other) = seen.insert(item.symbol.clone(), item.label.clone()) {
                        panic!(
                            "{} (ascii {ascii}): '{}' is both {other} and {}",
                            j.id, item.symbol, item.label
                        );
                    }
                }
            }
        }
    }

    /// The themes on the terrain screen: a colour and a fill each, told apart in both palettes
    /// and, by the fill alone, without colour.
    #[test]
    fn theme_styles_are_distinct_with_and_without_colour() {
        use crate::ui::theme::{Look, ThemeName};
        let themes = crate::store::bundled::terrain().themes.len();
        assert!(themes >= 8);
        let t = crate::store::bundled::terrain();
        for ascii in [false, true] {
            let fills: std::collections::HashSet<&str> =
                (0..themes).map(|k| theme_fill(k).get(ascii)).collect();
            assert_eq!(fills.len(), themes, "ascii {ascii}");
            // Never a kind's mark: a bar is not read as a kind.
            for (_, f) in t.features() {
                assert!(
                    !fills.contains(feature(f, ascii)),
                    "{} (ascii {ascii})",
                    f.id
                );
            }
        }
        for theme in [ThemeName::Dark, ThemeName::Light] {
            let look = Look {
                theme,
                ..Look::default()
            };
            let colours: std::collections::HashSet<_> =
                (0..themes).map(|k| look.series(k).fg).collect();
            assert_eq!(colours.len(), themes, "{theme:?}");
        }
    }
}
