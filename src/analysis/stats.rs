//! Summary counts over a data set: journeys per theme, steps per kind, the terrain met most
//! often, and each theme's mean final progress — what `terreng stats` prints.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::view::TerrainView;
use crate::model::{Journey, StepKind, Terrain, layout};

/// The numbers behind `terreng stats` beside the terrain view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// (theme id, journeys, mean final progress 0–1), in catalogue order.
    pub themes: Vec<ThemeStats>,
    /// Steps of each kind, in [`StepKind::ALL`] order.
    pub kinds: Vec<(StepKind, usize)>,
    /// What the per-journey figures do not mean, when some journeys are not independent cases
    /// (see [`unit_note`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_note: Option<String>,
}

/// Source texts whose findings are reported per theme, not per case: their journeys are
/// reconstructions of a theme's course, so the theme, not the journey, is the unit of evidence.
/// Hauge & Vike (2022, seed 001) report their 18 groups as four themes («Nedenfor redegjøres det
/// først for *likheter mellom kommunegruppene innenfor* hvert temaområde»); g06 and g07 differ only
/// in id, g09–g13 by one quote or none.
pub const THEME_LEVEL_SEEDS: [&str; 1] = ["001_81b23a29114d9df5.txt"];

/// Whether a journey comes from a study whose unit of evidence is the theme.
pub fn theme_is_the_unit(j: &Journey) -> bool {
    j.source
        .seed
        .as_deref()
        .is_some_and(|s| THEME_LEVEL_SEEDS.contains(&s))
}

/// The note that goes beside any per-journey figure (final progress, most-like lists,
/// agreement across journeys) when some of `journeys` come from such a study; `None` otherwise.
pub fn unit_note<'a>(journeys: impl IntoIterator<Item = &'a Journey>) -> Option<String> {
    let (mut n, mut total) = (0, 0);
    for j in journeys {
        total += 1;
        n += usize::from(theme_is_the_unit(j));
    }
    let why = "whose unit of evidence is the theme: its 18 groups are four reconstructed narratives, not independent cases";
    match (n, total) {
        (0, _) => None,
        (1, 1) => Some(format!("This journey comes from seed 001, {why}.")),
        _ => Some(format!(
            "{n} of these {total} journeys come from seed 001, {why}."
        )),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeStats {
    pub theme: String,
    pub journeys: usize,
    pub steps: usize,
    pub mean_final_progress: f64,
}

/// Computes the summary.
pub fn stats(journeys: &[Journey], terrain: &Terrain) -> Stats {
    let mut by_theme: BTreeMap<(usize, &str), (usize, usize, f64)> = BTreeMap::new();
    let mut kinds: BTreeMap<StepKind, usize> = BTreeMap::new();
    for j in journeys {
        let entry = by_theme
            .entry((terrain.theme_index(&j.theme), j.theme.as_str()))
            .or_default();
        entry.0 += 1;
        entry.1 += j.steps.len();
        entry.2 += layout(j).final_progress();
        for s in &j.steps {
            *kinds.entry(s.kind).or_default() += 1;
        }
    }
    Stats {
        themes: by_theme
            .into_iter()
            .map(|((_, theme), (n, steps, sum))| ThemeStats {
                theme: theme.to_string(),
                journeys: n,
                steps,
                mean_final_progress: sum / n as f64,
            })
            .collect(),
        kinds: StepKind::ALL
            .iter()
            .map(|k| (*k, kinds.get(k).copied().unwrap_or(0)))
            .collect(),
        unit_note: unit_note(journeys),
    }
}

/// The report as plain text: the summary, then `top` obstacles and enablers each from the
/// terrain view (the terrain screen's numbers), and the terrain common to every journey.
pub fn render(s: &Stats, view: &TerrainView, terrain: &Terrain, top: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let label = |id: &str| {
        terrain
            .feature(id)
            .map(|(_, f)| f.en.clone())
            .unwrap_or_default()
    };
    let _ = writeln!(out, "Journeys per theme (mean final progress)");
    for t in &s.themes {
        let name = terrain.theme(&t.theme).map_or("", |th| th.en.as_str());
        let _ = writeln!(
            out,
            "  {:<16} {:>3} journeys {:>4} steps  {:>3.0}%  {name}",
            t.theme,
            t.journeys,
            t.steps,
            t.mean_final_progress * 100.0
        );
    }
    if let Some(note) = &s.unit_note {
        let _ = writeln!(out, "  Note: {note}");
    }
    let _ = writeln!(out, "\nSteps per kind");
    for (k, n) in &s.kinds {
        let _ = writeln!(out, "  {:<8} {n:>5}", k.name());
    }
    for (title, obstacles) in [
        ("Obstacles met most often", true),
        ("Enablers met most often", false),
    ] {
        let _ = writeln!(
            out,
            "\n{title} (steps, journeys, a theme met far more than the rest (Fisher); codes from {})",
            view.source
        );
        let rows = view
            .rows
            .iter()
            .filter(|r| r.obstacle == obstacles && r.steps > 0);
        for r in rows.take(top) {
            let apart = r.distinct.as_ref().map_or(String::new(), |a| {
                format!("{} {}/{} p{}", a.theme, a.met_in, a.of_in, p_value(a.p))
            });
            let _ = writeln!(
                out,
                "  {:<26} {:>4} {:>3}/{:<3} {:<24} {}",
                r.code,
                r.steps,
                r.journeys,
                view.journeys,
                apart,
                label(&r.code)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nCommon to every journey: {}",
        if view.common.is_empty() {
            "nothing".to_string()
        } else {
            view.common.join(", ")
        }
    );
    out
}

/// A p-value after `p`: `=` and two decimals, four below 0.01, `<0.0001` below that.
fn p_value(p: f64) -> String {
    if p < 0.0001 {
        "<0.0001".to_string()
    } else if p < 0.01 {
        format!("={p:.4}")
    } else {
        format!("={p:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DataSource, load};

    #[test]
    fn the_unit_note_goes_with_seed_001_journeys_only() {
        let data = load(&DataSource::Bundled, None);
        let of = |ids: &[&str]| -> Vec<&Journey> {
            ids.iter().filter_map(|id| data.journey(id)).collect()
        };
        let note = unit_note(of(&["g06", "g07", "city-unit-build"])).unwrap();
        assert!(
            note.starts_with("2 of these 3 journeys come from seed 001"),
            "{note}"
        );
        assert!(note.contains("unit of evidence is the theme"), "{note}");
        assert_eq!(unit_note(of(&["city-unit-build", "pilot-a"])), None);
        let s = stats(&data.journeys, &data.terrain);
        assert!(
            s.unit_note
                .as_deref()
                .is_some_and(|n| n.starts_with("18 of these"))
        );
        let one = unit_note(of(&["g06"])).unwrap();
        assert!(one.starts_with("This journey comes from seed 001"), "{one}");
    }
}
