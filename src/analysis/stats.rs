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
