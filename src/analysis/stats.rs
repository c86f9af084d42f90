//! Summary counts over a data set: journeys per theme, steps per kind, the terrain met most
//! often, and each theme's mean final progress — what `terreng stats` prints.

use std::collections::BTreeMap;

use crate::model::{Journey, StepKind, Terrain, layout};

/// The numbers behind `terreng stats`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// (theme id, journeys, mean final progress 0–1), in catalogue order.
    pub themes: Vec<ThemeStats>,
    /// Steps of each kind, in [`StepKind::ALL`] order.
    pub kinds: Vec<(StepKind, usize)>,
    /// Obstacle ids by the number of steps that meet them, most first (ties by id).
    pub obstacles: Vec<(String, usize)>,
    /// Enabler ids by the number of steps that meet them, most first (ties by id).
    pub enablers: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
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
    let mut obstacles: BTreeMap<&str, usize> = BTreeMap::new();
    let mut enablers: BTreeMap<&str, usize> = BTreeMap::new();
    for j in journeys {
        let entry = by_theme
            .entry((terrain.theme_index(&j.theme), j.theme.as_str()))
            .or_default();
        entry.0 += 1;
        entry.1 += j.steps.len();
        entry.2 += layout(j).final_progress();
        for s in &j.steps {
            *kinds.entry(s.kind).or_default() += 1;
            for o in &s.obstacles {
                *obstacles.entry(o).or_default() += 1;
            }
            for e in &s.enablers {
                *enablers.entry(e).or_default() += 1;
            }
        }
    }
    let ranked = |m: BTreeMap<&str, usize>| {
        let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
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
        obstacles: ranked(obstacles),
        enablers: ranked(enablers),
    }
}

/// The report as plain text, `top` obstacles and enablers each.
pub fn render(s: &Stats, terrain: &Terrain, top: usize) -> String {
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
    for (title, list) in [
        ("Obstacles met most often", &s.obstacles),
        ("Enablers met most often", &s.enablers),
    ] {
        let _ = writeln!(out, "\n{title} (steps)");
        for (id, n) in list.iter().take(top) {
            let _ = writeln!(out, "  {id:<26} {n:>4}  {}", label(id));
        }
    }
    out
}
