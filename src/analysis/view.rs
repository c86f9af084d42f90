//! What the compare and terrain screens show and what `terreng compare` and `terreng stats
//! --json` print: one computation for both, so the screen and the command never disagree.

use std::sync::Arc;

use serde::Serialize;

use crate::analysis::apart;
use crate::analysis::codes::CodeTable;
use crate::analysis::compare::{
    self, Band, CodeSource, Coded, band, common, dwell, resample, signature,
};
use crate::analysis::sequence::{self, CodeClass, Sequences, view::SeqDistance};
use crate::model::{FeatureClass, Journey, Note, Terrain, layout};

/// Samples along the normalised position (0 to 1) for theme means.
pub const SAMPLES: usize = 21;

/// How many nearest journeys are listed for each compared journey.
pub const NEAREST: usize = 5;

/// What to compare: journeys, or whole themes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// Journey indices into the data set, in the order chosen.
    Journeys(Vec<usize>),
    /// Theme ids, in the order chosen; every journey of each.
    Themes(Vec<String>),
    #[default]
    Nothing,
}

/// One compared journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JourneyLine {
    /// Index into the data set's journeys (not printed).
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub title: String,
    pub theme: String,
    pub steps: usize,
    /// Progress after each step, 0–100.
    pub curve: Vec<f64>,
    pub final_progress: f64,
    /// The run of step kinds, `A A S C`.
    pub signature: String,
    /// The longest stay at one code: (code, consecutive steps), when any code is met twice
    /// in a row.
    pub longest_dwell: Option<(String, usize)>,
    /// The journeys most like this one (of all in the data set), with their distance 0–1.
    pub nearest: Vec<(String, f64)>,
}

/// One compared theme: its journeys' mean curve with its spread, over the normalised position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeLine {
    pub id: String,
    pub name: String,
    pub journeys: Vec<String>,
    pub mean_final_progress: f64,
    /// Mean, lowest and highest progress (0–100) at [`SAMPLES`] positions from 0 to 1.
    pub mean: Vec<f64>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
}

/// The obstacle × journey (or × theme) matrix with the steps behind each count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixView {
    /// Row labels: catalogue ids, most met first.
    pub codes: Vec<String>,
    /// Column labels: journey ids, or theme ids.
    pub columns: Vec<String>,
    pub counts: Vec<Vec<usize>>,
    /// The steps behind each count: (journey index into the data set, step index).
    #[serde(skip)]
    pub cells: Vec<Vec<Cell>>,
}

/// The steps behind one matrix count: (journey index into the data set, step index).
pub type Cell = Vec<(usize, usize)>;

/// Everything the compare screen and `terreng compare` show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareView {
    pub source: &'static str,
    pub journeys: Vec<JourneyLine>,
    /// Filled when themes are compared.
    pub themes: Vec<ThemeLine>,
    pub matrix: MatrixView,
    /// Codes met by every compared journey.
    pub common: Vec<String>,
    /// The distance behind the nearest journeys: "OM, constant costs, by kind".
    pub nearest_by: String,
}

/// The catalogue's ids in catalogue order: obstacles, then enablers.
pub fn catalogue_order(terrain: &Terrain) -> Vec<&str> {
    terrain.features().map(|(_, f)| f.id.as_str()).collect()
}

/// Every journey coded from `source`, on every core, sharing one table of codes.
pub fn coded_all(
    journeys: &[Journey],
    notes: &[(&str, &str, &Note)],
    source: CodeSource,
    terrain: &Terrain,
) -> Vec<Coded> {
    // Notes grouped by journey first, so each journey looks only at its own.
    let mut by_journey: foldhash::HashMap<&str, Vec<(&str, &str, &Note)>> =
        foldhash::HashMapExt::new();
    if source != CodeSource::Journey {
        for &(a, j, n) in notes {
            by_journey.entry(j).or_default().push((a, j, n));
        }
    }
    let mine: Vec<&[(&str, &str, &Note)]> = journeys
        .iter()
        .map(|j| by_journey.get(j.id.as_str()).map_or(&[][..], Vec::as_slice))
        .collect();
    let every: Vec<&Journey> = journeys.iter().collect();
    compare::coded_each(&every, &mine, source, terrain)
}

/// Computes the comparison of `selection`. `all` is every journey coded from the same source,
/// as [`coded_all`] makes it; `near` is the distance the nearest journeys are found by (of
/// every journey in the data set), the one chosen on the sequences screen.
pub fn compare_view(
    journeys: &[Journey],
    terrain: &Terrain,
    all: &[Coded],
    source: CodeSource,
    selection: &Selection,
    near: SeqDistance,
) -> CompareView {
    let order = catalogue_order(terrain);
    let (indices, theme_ids): (Vec<usize>, Vec<String>) = match selection {
        Selection::Journeys(v) => (
            v.iter().copied().filter(|&i| i < journeys.len()).collect(),
            Vec::new(),
        ),
        Selection::Themes(t) => (
            (0..journeys.len())
                .filter(|&i| t.contains(&journeys[i].theme))
                .collect(),
            t.clone(),
        ),
        Selection::Nothing => (Vec::new(), Vec::new()),
    };
    // The journeys most like each compared journey; for whole themes, only the first is
    // shown, so only its are computed.
    let near_for: Vec<usize> = if theme_ids.is_empty() {
        indices.clone()
    } else {
        indices.iter().take(1).copied().collect()
    };
    let nearest_by = near.label();
    let mut near = nearest_many(journeys, &near_for, near).into_iter();
    let lines: Vec<JourneyLine> = indices
        .iter()
        .map(|&i| {
            let j = &journeys[i];
            let route = layout(j);
            let curve: Vec<f64> = route.progress().iter().map(|p| p * 100.0).collect();
            let longest_dwell = dwell(&all[i])
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
            let nearest = near
                .next()
                .unwrap_or_default()
                .into_iter()
                .take(NEAREST)
                .map(|(k, d)| (journeys[k].id.clone(), round3(d)))
                .collect();
            JourneyLine {
                index: i,
                id: j.id.clone(),
                title: j.title.clone(),
                theme: j.theme.clone(),
                steps: j.steps.len(),
                final_progress: curve.last().copied().unwrap_or(0.0),
                curve,
                signature: signature(&all[i]),
                longest_dwell,
                nearest,
            }
        })
        .collect();
    let chosen: Vec<Coded> = indices.iter().map(|&i| all[i].clone()).collect();
    let m = compare::matrix(&chosen, &order);
    // Columns: each journey, or each theme summing its journeys.
    let columns: Vec<String> = if theme_ids.is_empty() {
        lines.iter().map(|l| l.id.clone()).collect()
    } else {
        theme_ids.clone()
    };
    let column_of = |k: usize| -> usize {
        if theme_ids.is_empty() {
            k
        } else {
            theme_ids
                .iter()
                .position(|t| *t == lines[k].theme)
                .unwrap_or(0)
        }
    };
    let mut rows: Vec<(String, Vec<Cell>)> = m
        .codes
        .iter()
        .enumerate()
        .map(|(r, code)| {
            let mut cells = vec![Vec::new(); columns.len()];
            for (k, steps) in m.steps[r].iter().enumerate() {
                cells[column_of(k)].extend(steps.iter().map(|&s| (lines[k].index, s)));
            }
            (code.clone(), cells)
        })
        .collect();
    // Most met first; ties keep catalogue order (the sort is stable).
    rows.sort_by_key(|(_, cells)| std::cmp::Reverse(cells.iter().map(Vec::len).sum::<usize>()));
    let matrix = MatrixView {
        codes: rows.iter().map(|(c, _)| c.clone()).collect(),
        columns,
        counts: rows
            .iter()
            .map(|(_, cells)| cells.iter().map(Vec::len).collect())
            .collect(),
        cells: rows.into_iter().map(|(_, cells)| cells).collect(),
    };
    let themes = theme_ids
        .iter()
        .map(|t| {
            let members: Vec<&JourneyLine> = lines.iter().filter(|l| l.theme == *t).collect();
            let curves: Vec<Vec<f64>> = members
                .iter()
                .map(|l| resample(&l.curve, SAMPLES))
                .collect();
            let Band { mean, min, max, .. } = band(&curves);
            let mean_final = if members.is_empty() {
                0.0
            } else {
                members.iter().map(|l| l.final_progress).sum::<f64>() / members.len() as f64
            };
            ThemeLine {
                id: t.clone(),
                name: terrain
                    .theme(t)
                    .map_or_else(|| t.clone(), |th| th.en.clone()),
                journeys: members.iter().map(|l| l.id.clone()).collect(),
                mean_final_progress: mean_final,
                mean,
                min,
                max,
            }
        })
        .collect();
    CompareView {
        source: source.label(),
        common: common(&chosen, &order),
        journeys: lines,
        themes,
        matrix,
        nearest_by,
    }
}

/// For each journey of `ofs`, every other journey of the data set by its distance under `near`,
/// nearest first. The costs that depend on the data (transition rates) are taken from every
/// journey, as the sequences screen takes them from the journeys in view.
pub fn nearest_many(
    journeys: &[Journey],
    ofs: &[usize],
    near: SeqDistance,
) -> Vec<Vec<(usize, f64)>> {
    if ofs.is_empty() {
        return Vec::new();
    }
    let every: Vec<&Journey> = journeys.iter().collect();
    let seqs = Sequences::build(&every, near.by, CodeClass::Obstacles);
    match sequence::distance::costs(&seqs, &near.measure.options()) {
        Ok(costs) => ofs
            .iter()
            .map(|&of| sequence::distance::nearest(&seqs, &costs, of))
            .collect(),
        Err(_) => vec![Vec::new(); ofs.len()],
    }
}

/// How to order the terrain screen's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TerrainSort {
    /// Most steps first.
    #[default]
    Frequency,
    /// The most theme-distinctive first.
    Distinct,
    /// By English name.
    Name,
}

impl TerrainSort {
    pub fn next(self) -> TerrainSort {
        match self {
            TerrainSort::Frequency => TerrainSort::Distinct,
            TerrainSort::Distinct => TerrainSort::Name,
            TerrainSort::Name => TerrainSort::Frequency,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TerrainSort::Frequency => "by frequency",
            TerrainSort::Distinct => "by theme-distinctiveness",
            TerrainSort::Name => "by name",
        }
    }
}

/// One obstacle or enabler kind on the terrain screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerrainRow {
    pub code: String,
    pub obstacle: bool,
    /// Steps that meet it, in all journeys in view.
    pub steps: usize,
    /// Journeys that meet it at least once.
    pub journeys: usize,
    /// Steps that meet it per theme, in catalogue theme order (themes with no journey in view
    /// left out).
    pub by_theme: Vec<(String, usize)>,
    /// The theme whose journeys meet it significantly more often than the other journeys in
    /// view (Fisher's exact test, corrected for the many tests; see [`super::apart`]), when
    /// one does.
    pub distinct: Option<apart::Apart>,
    /// Every step that meets it: (journey index into the data set, step index).
    #[serde(skip)]
    pub segments: Vec<(usize, usize)>,
}

/// Everything the terrain screen shows, for the journeys in view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerrainView {
    pub source: &'static str,
    pub journeys: usize,
    /// Codes met by every journey in view.
    pub common: Vec<String>,
    pub rows: Vec<TerrainRow>,
}

/// Computes the terrain view over the journeys `in_view` (indices into `all`), rows sorted by
/// `sort`. Kinds met nowhere are listed too (with zero), so the catalogue is all there.
pub fn terrain_view(
    terrain: &Terrain,
    all: &[Coded],
    in_view: &[usize],
    source: CodeSource,
    sort: TerrainSort,
) -> TerrainView {
    let order = catalogue_order(terrain);
    let chosen: Vec<&Coded> = in_view.iter().map(|&i| &all[i]).collect();
    let themes: Vec<&str> = terrain
        .themes
        .iter()
        .map(|t| t.id.as_str())
        .filter(|t| chosen.iter().any(|j| j.theme == *t))
        .collect();
    // One pass over every step in view, each code counted where it is met; then per theme
    // and per code from the journeys' sets of codes met. Nothing here walks the steps once
    // per code.
    let met = compare::met_codes(&chosen, &order);
    let apart = apart::set_apart(&themes, &chosen, &met, &order);
    let mut segments: Vec<Vec<(usize, usize)>> = vec![Vec::new(); order.len()];
    let mut per_theme: Vec<Vec<usize>> = vec![vec![0; themes.len()]; order.len()];
    let mut reach = vec![0usize; order.len()];
    // Each code number's row, looked up again only when a journey has another table.
    let mut positions: Option<(Arc<CodeTable>, Vec<Option<usize>>)> = None;
    for ((&ji, j), met) in in_view.iter().zip(&chosen).zip(&met) {
        let slot = themes.iter().position(|t| *t == j.theme);
        if !positions
            .as_ref()
            .is_some_and(|(t, _)| Arc::ptr_eq(t, &j.table))
        {
            positions = Some((Arc::clone(&j.table), j.table.positions(&order)));
        }
        let at = &positions.as_ref().expect("just made").1;
        for (si, (_, codes)) in j.steps.iter().enumerate() {
            for id in codes.iter() {
                if let Some(ci) = at[id as usize] {
                    segments[ci].push((ji, si));
                    if let Some(slot) = slot {
                        per_theme[ci][slot] += 1;
                    }
                }
            }
        }
        for (ci, m) in met.iter().enumerate() {
            reach[ci] += usize::from(*m);
        }
    }
    let mut rows: Vec<TerrainRow> = terrain
        .features()
        .zip(segments.into_iter().zip(per_theme).zip(reach).zip(apart))
        .map(|((class, f), (((segments, per_theme), reach), best))| {
            let by_theme: Vec<(String, usize)> = themes
                .iter()
                .zip(per_theme)
                .map(|(t, n)| (t.to_string(), n))
                .collect();
            TerrainRow {
                code: f.id.clone(),
                obstacle: class == FeatureClass::Obstacle,
                steps: segments.len(),
                journeys: reach,
                by_theme,
                distinct: best,
                segments,
            }
        })
        .collect();
    let name = |code: &str| {
        terrain
            .feature(code)
            .map_or_else(|| code.to_lowercase(), |(_, f)| f.en.to_lowercase())
    };
    match sort {
        TerrainSort::Frequency => rows.sort_by_key(|r| std::cmp::Reverse(r.steps)),
        // Kinds that set a theme apart first, the smallest p-value first.
        TerrainSort::Distinct => rows.sort_by(|a, b| {
            let p = |r: &TerrainRow| r.distinct.as_ref().map_or(2.0, |d| d.p);
            p(a).total_cmp(&p(b)).then(b.steps.cmp(&a.steps))
        }),
        TerrainSort::Name => rows.sort_by_key(|r| name(&r.code)),
    }
    TerrainView {
        source: source.label(),
        journeys: chosen.len(),
        common: compare::common_met(&met, &order),
        rows,
    }
}

/// Three decimals, so printed and compared numbers are stable.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StepKind;

    fn coded_journey(id: &str, theme: &str, steps: &[(StepKind, &[&str])]) -> Coded {
        Coded::from_names(id, theme, steps)
    }

    fn terrain() -> Terrain {
        crate::store::bundled::terrain()
    }

    /// The nearest journeys are found by the sequence distance asked for: by default optimal
    /// matching of the kinds with constant costs (substitution 2, indel 1).
    #[test]
    fn the_nearest_journeys_follow_the_sequence_distance() {
        use crate::analysis::sequence::view::Measure;
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        let all = coded_all(&data.journeys, &[], CodeSource::Journey, &data.terrain);
        let at = |id: &str| data.journeys.iter().position(|j| j.id == id).unwrap();
        let pick = Selection::Journeys(vec![at("g01"), at("g06")]);
        let near = |d: SeqDistance| {
            compare_view(
                &data.journeys,
                &data.terrain,
                &all,
                CodeSource::Journey,
                &pick,
                d,
            )
        };
        let v = near(SeqDistance::default());
        assert_eq!(v.nearest_by, "OM, constant costs, by kind");
        // g04 walks g01's kinds exactly; g02 and g03 insert one Stall (one indel, 1).
        assert_eq!(v.journeys[0].nearest[0], ("g04".to_string(), 0.0));
        assert_eq!(v.journeys[0].nearest[1], ("g02".to_string(), 1.0));
        assert_eq!(v.journeys[0].nearest[2], ("g03".to_string(), 1.0));
        // g06's twin is g07; g05 and g08 lack one Blocked.
        assert_eq!(v.journeys[1].nearest[0], ("g07".to_string(), 0.0));
        assert_eq!(v.journeys[1].nearest.len(), NEAREST);
        // Under transition-rate costs the twin is still at 0, and an extra step still costs one
        // indel (auto: half the largest substitution cost, 2 for states that never follow each
        // other); but substitutions cost less, so farther journeys come nearer.
        let t = near(SeqDistance {
            measure: Measure::OmTrate,
            ..SeqDistance::default()
        });
        assert_eq!(t.nearest_by, "OM, transition-rate costs, by kind");
        assert_eq!(t.journeys[0].nearest[0], ("g04".to_string(), 0.0));
        assert_eq!(t.journeys[0].nearest[1], ("g02".to_string(), 1.0));
        assert_ne!(t.journeys[0].nearest, v.journeys[0].nearest);
    }

    /// Three journeys, two themes. `time_scarcity` is met by a (steps 0 and 1), b (step 0) and
    /// c (step 1): 4 steps, 3 journeys, common to all. `tacit_resistance` only by a's step 1:
    /// theme "models" has it in 1 of 2 journeys, "merger" in 0 of 1 — too few journeys for any
    /// test: no theme is set apart. Merger's c alone has `calendar_waiting`: likewise.
    #[test]
    fn terrain_view_counts_reach_themes_and_distinctiveness() {
        use StepKind::*;
        let all = vec![
            coded_journey(
                "a",
                "models",
                &[
                    (Advance, &["time_scarcity"]),
                    (Stall, &["time_scarcity", "tacit_resistance"]),
                ],
            ),
            coded_journey("b", "models", &[(Advance, &["time_scarcity"])]),
            coded_journey(
                "c",
                "merger",
                &[
                    (Circle, &[]),
                    (Circle, &["time_scarcity", "calendar_waiting"]),
                ],
            ),
        ];
        let t = terrain();
        let v = terrain_view(
            &t,
            &all,
            &[0, 1, 2],
            CodeSource::Journey,
            TerrainSort::Frequency,
        );
        assert_eq!(v.journeys, 3);
        assert_eq!(v.common, vec!["time_scarcity".to_string()]);
        let row = |code: &str| v.rows.iter().find(|r| r.code == code).unwrap();
        let ts = row("time_scarcity");
        assert_eq!((ts.steps, ts.journeys), (4, 3));
        assert_eq!(ts.segments, vec![(0, 0), (0, 1), (1, 0), (2, 1)]);
        assert_eq!(
            ts.distinct, None,
            "met by every journey: sets no theme apart"
        );
        assert_eq!(v.rows[0].code, "time_scarcity", "most steps first");
        let wall = row("tacit_resistance");
        assert_eq!(
            wall.distinct, None,
            "1 journey is under the minimum support"
        );
        let wait = row("calendar_waiting");
        assert_eq!(wait.distinct, None);
        // Per theme, in the catalogue's theme order, only themes in view.
        let themes: Vec<&str> = ts.by_theme.iter().map(|(t, _)| t.as_str()).collect();
        let pos = |id: &str| t.themes.iter().position(|th| th.id == id).unwrap();
        let mut expected = vec!["models", "merger"];
        expected.sort_by_key(|id| pos(id));
        assert_eq!(themes, expected);
        assert_eq!(
            ts.by_theme.iter().map(|(_, n)| *n).sum::<usize>(),
            4,
            "the theme split adds up to the total"
        );
        // Ten journeys: five of "models", each meeting `tacit_resistance` and `time_scarcity`,
        // five of "merger" meeting `time_scarcity` only. (tacit_resistance, models): N = 10,
        // K = 5, n = 5, a = 5: Fisher's p = 1/C(10,5) = 1/252. `time_scarcity`, met by all:
        // p = 1 for both themes. Three tests; 1/252 = 0.004 ≤ 0.05/3 passes.
        let mut ten = Vec::new();
        for i in 0..5 {
            ten.push(coded_journey(
                &format!("m{i}"),
                "models",
                &[(Advance, &["tacit_resistance", "time_scarcity"])],
            ));
            ten.push(coded_journey(
                &format!("g{i}"),
                "merger",
                &[(Advance, &["time_scarcity"])],
            ));
        }
        let d = terrain_view(
            &t,
            &ten,
            &(0..10).collect::<Vec<_>>(),
            CodeSource::Journey,
            TerrainSort::Distinct,
        );
        let apart = d.rows[0]
            .distinct
            .as_ref()
            .expect("tacit_resistance sets models apart");
        assert_eq!(
            d.rows[0].code, "tacit_resistance",
            "sorted: set apart first"
        );
        assert_eq!(apart.theme, "models");
        assert_eq!(
            (apart.met_in, apart.of_in, apart.met_out, apart.of_out),
            (5, 5, 0, 5)
        );
        assert!((apart.p - 1.0 / 252.0).abs() < 1e-12);
        assert!(d.rows[1..].iter().all(|r| r.distinct.is_none()));
        // A narrower view: only journey c. Every code it meets is common.
        let c = terrain_view(&t, &all, &[2], CodeSource::Journey, TerrainSort::Name);
        assert_eq!(c.common, vec!["time_scarcity", "calendar_waiting"]);
        let names: Vec<String> = c
            .rows
            .iter()
            .map(|r| t.feature(&r.code).unwrap().1.en.to_lowercase())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn sorts_cycle_through_all_three() {
        let s = TerrainSort::default();
        assert_eq!(s.next().next().next(), s);
        assert_ne!(s.next(), s);
    }
}
