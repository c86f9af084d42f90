//! Comparing journeys: progress curves, the obstacle × journey matrix, dwell, sequence
//! signatures, and the terrain a selection shares or a theme has to itself.
//!
//! Everything works on [`Coded`] journeys: each step's kind and the set of codes it carries.
//! Where the codes come from — the journey's own coding, the analysts' notes, or both — is
//! decided once, by [`coded`], so every computation can be switched between them.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::codes::{CodeSet, CodeTable};
use crate::model::{Journey, Note, Route, StepKind, Terrain};

/// Where a step's codes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum CodeSource {
    /// The obstacles and enablers in the journey file.
    #[default]
    Journey,
    /// The codes on analysts' notes.
    Notes,
    /// Both together.
    Both,
}

impl CodeSource {
    pub fn label(self) -> &'static str {
        match self {
            CodeSource::Journey => "journey coding",
            CodeSource::Notes => "analysts' codes",
            CodeSource::Both => "journey + analysts",
        }
    }

    pub fn next(self) -> CodeSource {
        match self {
            CodeSource::Journey => CodeSource::Notes,
            CodeSource::Notes => CodeSource::Both,
            CodeSource::Both => CodeSource::Journey,
        }
    }
}

/// A journey reduced to what comparison needs: per step, its kind and its codes, as numbers of
/// `table` (see [`super::codes`]). The journeys coded in one run share one table.
#[derive(Clone)]
pub struct Coded {
    pub id: String,
    pub theme: String,
    /// What the steps' code numbers stand for.
    pub table: Arc<CodeTable>,
    pub steps: Vec<(StepKind, CodeSet)>,
}

impl Coded {
    /// A journey coded by hand, each step's codes given by id (for tests and examples).
    pub fn from_names(id: &str, theme: &str, steps: &[(StepKind, &[&str])]) -> Coded {
        let table = Arc::new(CodeTable::of(
            steps.iter().flat_map(|(_, c)| c.iter().copied()),
        ));
        let steps = steps
            .iter()
            .map(|(k, codes)| {
                let mut set = CodeSet::new();
                for c in *codes {
                    set.insert(table.id(c).expect("the table holds every code"));
                }
                (*k, set)
            })
            .collect();
        Coded {
            id: id.to_string(),
            theme: theme.to_string(),
            table,
            steps,
        }
    }

    /// The codes of step `step`, in the order of their ids.
    pub fn codes(&self, step: usize) -> impl Iterator<Item = &str> + '_ {
        self.steps[step].1.iter().map(|i| self.table.name(i))
    }

    /// Whether step `step` carries `code`.
    pub fn has(&self, step: usize, code: &str) -> bool {
        self.table
            .id(code)
            .is_some_and(|i| self.steps[step].1.contains(i))
    }
}

/// Two coded journeys are equal when their ids, themes, kinds and codes by id are, whatever
/// tables number the codes.
impl PartialEq for Coded {
    fn eq(&self, other: &Coded) -> bool {
        self.id == other.id
            && self.theme == other.theme
            && self.steps.len() == other.steps.len()
            && (0..self.steps.len()).all(|i| {
                self.steps[i].0 == other.steps[i].0
                    && if Arc::ptr_eq(&self.table, &other.table) {
                        self.steps[i].1 == other.steps[i].1
                    } else {
                        self.codes(i).eq(other.codes(i))
                    }
            })
    }
}

impl Eq for Coded {}

impl std::fmt::Debug for Coded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let steps: Vec<(StepKind, Vec<&str>)> = (0..self.steps.len())
            .map(|i| (self.steps[i].0, self.codes(i).collect()))
            .collect();
        f.debug_struct("Coded")
            .field("id", &self.id)
            .field("theme", &self.theme)
            .field("steps", &steps)
            .finish()
    }
}

/// A journey's steps with their codes from `source`; `notes` are (analyst, journey id, note)
/// as the annotation store lists them. Each code counts as what the catalogue resolves it to,
/// so a code merged into another counts as that one ([`Terrain::resolve`]).
pub fn coded(
    j: &Journey,
    notes: &[(&str, &str, &Note)],
    source: CodeSource,
    terrain: &Terrain,
) -> Coded {
    coded_each(&[j], &[notes], source, terrain)
        .pop()
        .expect("one journey in, one out")
}

/// Each of `journeys` coded from `source`, `notes[i]` holding (at least) the notes on
/// `journeys[i]`, on every core; the journeys share one table of the codes they carry.
pub fn coded_each<'n, N: AsRef<[(&'n str, &'n str, &'n Note)]> + Sync>(
    journeys: &[&Journey],
    notes: &[N],
    source: CodeSource,
    terrain: &Terrain,
) -> Vec<Coded> {
    use rayon::prelude::*;
    let table = Arc::new(CodeTable::new(terrain, []));
    let mut out: Vec<(Coded, Vec<(usize, String)>)> = journeys
        .par_iter()
        .enumerate()
        .map(|(i, j)| {
            let mine = notes.get(i).map_or(&[][..], AsRef::as_ref);
            code_one(j, mine, source, terrain, &table)
        })
        .collect();
    // Codes the catalogue does not have: numbered in a table with them, every set renumbered.
    let extra: Vec<&str> = out
        .iter()
        .flat_map(|(_, missing)| missing.iter().map(|(_, c)| c.as_str()))
        .collect();
    if extra.is_empty() {
        return out.into_iter().map(|(c, _)| c).collect();
    }
    let wider = Arc::new(CodeTable::new(terrain, extra));
    let renumber = wider.renumbering(&table);
    out.par_iter_mut().for_each(|(c, missing)| {
        for (_, set) in &mut c.steps {
            let mut moved = CodeSet::new();
            for i in set.iter() {
                moved.insert(renumber[i as usize]);
            }
            *set = moved;
        }
        for (step, code) in missing.drain(..) {
            c.steps[step]
                .1
                .insert(wider.id(&code).expect("the wider table holds every code"));
        }
        c.table = Arc::clone(&wider);
    });
    out.into_iter().map(|(c, _)| c).collect()
}

/// One journey coded against `table`; the codes `table` lacks come back as (step, code).
fn code_one(
    j: &Journey,
    notes: &[(&str, &str, &Note)],
    source: CodeSource,
    terrain: &Terrain,
    table: &Arc<CodeTable>,
) -> (Coded, Vec<(usize, String)>) {
    let mut missing = Vec::new();
    let mut steps: Vec<(StepKind, CodeSet)> =
        j.steps.iter().map(|s| (s.kind, CodeSet::new())).collect();
    let mut put = |steps: &mut [(StepKind, CodeSet)], at: usize, code: &str| {
        let code = terrain.resolve(code);
        match table.id(code) {
            Some(i) => steps[at].1.insert(i),
            None => missing.push((at, code.to_string())),
        }
    };
    if source != CodeSource::Notes {
        for (at, s) in j.steps.iter().enumerate() {
            for c in s.codes() {
                put(&mut steps, at, c);
            }
        }
    }
    if source != CodeSource::Journey && !notes.is_empty() {
        // Each note finds its step by id once, instead of every step looking at every note.
        // (A step id given twice, which `check` reports, gives each such step the notes.)
        let mut step_at: foldhash::HashMap<&str, usize> =
            foldhash::HashMapExt::with_capacity(j.steps.len());
        let mut twice = false;
        for (i, s) in j.steps.iter().enumerate() {
            twice |= step_at.insert(s.id.as_str(), i).is_some();
        }
        for (_, jid, n) in notes {
            if *jid != j.id {
                continue;
            }
            if twice {
                for (at, s) in j.steps.iter().enumerate() {
                    if s.id == n.step {
                        for c in &n.codes {
                            put(&mut steps, at, c);
                        }
                    }
                }
            } else if let Some(&at) = step_at.get(n.step.as_str()) {
                for c in &n.codes {
                    put(&mut steps, at, c);
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    (
        Coded {
            id: j.id.clone(),
            theme: j.theme.clone(),
            table: Arc::clone(table),
            steps,
        },
        missing,
    )
}

/// Progress at a normalised position `t` in 0..=1 along a journey whose progress after each
/// step is `curve`: the start (progress 0) is at t = 0 and step i ends at t = (i+1)/n; in
/// between, linear. Journeys of different length line up this way.
pub fn progress_at(curve: &[f64], t: f64) -> f64 {
    let n = curve.len();
    if n == 0 {
        return 0.0;
    }
    let pos = t.clamp(0.0, 1.0) * n as f64;
    let i = pos.floor() as usize;
    if i >= n {
        return curve[n - 1];
    }
    let before = if i == 0 { 0.0 } else { curve[i - 1] };
    let frac = pos - i as f64;
    before + (curve[i] - before) * frac
}

/// A curve sampled at `samples` evenly spaced positions from 0 to 1 (both ends included).
pub fn resample(curve: &[f64], samples: usize) -> Vec<f64> {
    let last = samples.saturating_sub(1).max(1) as f64;
    (0..samples)
        .map(|k| progress_at(curve, k as f64 / last))
        .collect()
}

/// The progress after each step, as comparisons plot it.
pub fn curve(route: &Route) -> Vec<f64> {
    route.progress()
}

/// The mean of several curves at each sample, with their spread: the lowest and highest, and
/// one standard deviation either side of the mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub mean: Vec<f64>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    pub sd: Vec<f64>,
}

/// The band of curves already sampled at the same positions.
pub fn band(curves: &[Vec<f64>]) -> Band {
    let samples = curves.iter().map(Vec::len).min().unwrap_or(0);
    let mut b = Band {
        mean: Vec::with_capacity(samples),
        min: Vec::with_capacity(samples),
        max: Vec::with_capacity(samples),
        sd: Vec::with_capacity(samples),
    };
    let n = curves.len() as f64;
    for k in 0..samples {
        let vals: Vec<f64> = curves.iter().map(|c| c[k]).collect();
        let mean = vals.iter().sum::<f64>() / n;
        let var = vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        b.mean.push(mean);
        b.sd.push(var.sqrt());
        b.min
            .push(vals.iter().copied().fold(f64::INFINITY, f64::min));
        b.max
            .push(vals.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    }
    b
}

/// The obstacle × journey matrix: for each code, how many steps of each journey carry it,
/// and which steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Row labels: codes, in the order given.
    pub codes: Vec<String>,
    /// Column labels: journey ids.
    pub journeys: Vec<String>,
    /// `steps[code][journey]`: the step indices behind the count.
    pub steps: Vec<Vec<Vec<usize>>>,
}

impl Matrix {
    pub fn count(&self, code: usize, journey: usize) -> usize {
        self.steps[code][journey].len()
    }

    /// A row's total over all journeys.
    pub fn row_total(&self, code: usize) -> usize {
        self.steps[code].iter().map(Vec::len).sum()
    }

    /// How many journeys meet the code at least once.
    pub fn reach(&self, code: usize) -> usize {
        self.steps[code].iter().filter(|s| !s.is_empty()).count()
    }
}

/// The matrix over `journeys` for the codes in `order` (catalogue order, say); codes met by
/// no journey are left out.
pub fn matrix(journeys: &[Coded], order: &[&str]) -> Matrix {
    let mut m = Matrix {
        codes: Vec::new(),
        journeys: journeys.iter().map(|j| j.id.clone()).collect(),
        steps: Vec::new(),
    };
    let mut numbered = Numbered::new(order);
    let ids: Vec<Vec<Option<u32>>> = journeys
        .iter()
        .map(|j| numbered.ids(&j.table).to_vec())
        .collect();
    for (ci, code) in order.iter().enumerate() {
        let row: Vec<Vec<usize>> = journeys
            .iter()
            .zip(&ids)
            .map(|(j, ids)| match ids[ci] {
                Some(id) => j
                    .steps
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, codes))| codes.contains(id))
                    .map(|(i, _)| i)
                    .collect(),
                None => Vec::new(),
            })
            .collect();
        if row.iter().any(|s| !s.is_empty()) {
            m.codes.push(code.to_string());
            m.steps.push(row);
        }
    }
    m
}

/// The codes of an order as numbers of the journeys' tables, looked up again only when the
/// table changes from one journey to the next (journeys coded in one run share theirs).
struct Numbered<'o, 'a> {
    order: &'o [&'a str],
    table: Option<Arc<CodeTable>>,
    ids: Vec<Option<u32>>,
}

impl<'o, 'a> Numbered<'o, 'a> {
    fn new(order: &'o [&'a str]) -> Self {
        Numbered {
            order,
            table: None,
            ids: Vec::new(),
        }
    }

    fn ids(&mut self, table: &Arc<CodeTable>) -> &[Option<u32>] {
        if !self.table.as_ref().is_some_and(|t| Arc::ptr_eq(t, table)) {
            self.ids = table.ids(self.order);
            self.table = Some(Arc::clone(table));
        }
        &self.ids
    }
}

/// Each theme's sums of a matrix row: theme id → count per code (in the matrix's row order).
pub fn theme_sums(m: &Matrix, journeys: &[Coded]) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (col, j) in journeys.iter().enumerate() {
        let sums = out
            .entry(j.theme.clone())
            .or_insert_with(|| vec![0; m.codes.len()]);
        for (row, sum) in sums.iter_mut().enumerate() {
            *sum += m.count(row, col);
        }
    }
    out
}

/// Dwell: for each code a journey meets, the longest run of consecutive steps that carry it.
pub fn dwell(j: &Coded) -> BTreeMap<String, usize> {
    let n = j.table.len();
    let mut best = vec![0usize; n];
    let mut run = vec![0usize; n];
    for (_, codes) in &j.steps {
        for (id, r) in run.iter_mut().enumerate() {
            if codes.contains(id as u32) {
                *r += 1;
                best[id] = best[id].max(*r);
            } else {
                *r = 0;
            }
        }
    }
    best.iter()
        .enumerate()
        .filter(|(_, b)| **b > 0)
        .map(|(id, b)| (j.table.name(id as u32).to_string(), *b))
        .collect()
}

/// A journey's sequence of step kinds as letters: `A A S C C D C`.
pub fn signature(j: &Coded) -> String {
    j.steps
        .iter()
        .map(|(k, _)| k.letter().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The codes met by every journey of a selection (in the order of `order`).
pub fn common<J: Borrow<Coded>>(journeys: &[J], order: &[&str]) -> Vec<String> {
    common_met(&met_codes(journeys, order), order)
}

/// For each journey, which of `order`'s codes it meets on any step: one pass over the steps,
/// so that what follows costs journeys × codes rather than journeys × steps × codes.
pub fn met_codes<J: Borrow<Coded>>(journeys: &[J], order: &[&str]) -> Vec<Vec<bool>> {
    let mut numbered = Numbered::new(order);
    journeys
        .iter()
        .map(|j| {
            let j = j.borrow();
            let mut any = CodeSet::new();
            for (_, codes) in &j.steps {
                any.union_with(codes);
            }
            numbered
                .ids(&j.table)
                .iter()
                .map(|id| id.is_some_and(|id| any.contains(id)))
                .collect()
        })
        .collect()
}

/// [`common`] from [`met_codes`].
pub fn common_met(met: &[Vec<bool>], order: &[&str]) -> Vec<String> {
    if met.is_empty() {
        return Vec::new();
    }
    order
        .iter()
        .enumerate()
        .filter(|(i, _)| met.iter().all(|m| m[*i]))
        .map(|(_, c)| c.to_string())
        .collect()
}

/// How much a code sets a theme apart: the share of the theme's journeys that meet it minus
/// the share of the other journeys that do (from −1 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Distinct {
    pub code: String,
    pub inside: f64,
    pub outside: f64,
}

impl Distinct {
    pub fn score(&self) -> f64 {
        self.inside - self.outside
    }
}

/// The codes that set `theme` apart, most distinctive first; only codes with a positive score.
pub fn distinctive<J: Borrow<Coded>>(theme: &str, journeys: &[J], order: &[&str]) -> Vec<Distinct> {
    distinctive_met(theme, journeys, &met_codes(journeys, order), order)
}

/// [`distinctive`] from [`met_codes`] of the same journeys.
pub fn distinctive_met<J: Borrow<Coded>>(
    theme: &str,
    journeys: &[J],
    met: &[Vec<bool>],
    order: &[&str],
) -> Vec<Distinct> {
    let inside: Vec<bool> = journeys.iter().map(|j| j.borrow().theme == theme).collect();
    let ins = inside.iter().filter(|i| **i).count();
    let outs = inside.len() - ins;
    let share = |met: usize, of: usize| if of == 0 { 0.0 } else { met as f64 / of as f64 };
    let mut out: Vec<Distinct> = order
        .iter()
        .enumerate()
        .map(|(ci, code)| {
            let (mut met_in, mut met_out) = (0, 0);
            for (m, &is_in) in met.iter().zip(&inside) {
                if m[ci] {
                    if is_in {
                        met_in += 1;
                    } else {
                        met_out += 1;
                    }
                }
            }
            Distinct {
                code: code.to_string(),
                inside: share(met_in, ins),
                outside: share(met_out, outs),
            }
        })
        .filter(|d| d.score() > 0.0)
        .collect();
    out.sort_by(|a, b| b.score().total_cmp(&a.score()).then(a.code.cmp(&b.code)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use StepKind::*;

    fn j(id: &str, theme: &str, steps: &[(StepKind, &[&str])]) -> Coded {
        Coded::from_names(id, theme, steps)
    }

    #[test]
    fn progress_lines_up_journeys_of_different_length() {
        // Two steps: 0.1 then 0.3. Step 1 ends at t = 0.5, step 2 at t = 1.
        let c = [0.1, 0.3];
        assert_eq!(progress_at(&c, 0.0), 0.0);
        assert!((progress_at(&c, 0.25) - 0.05).abs() < 1e-12);
        assert!((progress_at(&c, 0.5) - 0.1).abs() < 1e-12);
        assert!((progress_at(&c, 0.75) - 0.2).abs() < 1e-12);
        assert_eq!(progress_at(&c, 1.0), 0.3);
        assert_eq!(progress_at(&[], 0.5), 0.0);
        assert_eq!(resample(&c, 3), vec![0.0, 0.1, 0.3]);
    }

    #[test]
    fn a_band_has_the_mean_the_extremes_and_the_spread() {
        let b = band(&[vec![0.0, 0.2], vec![0.0, 0.6]]);
        assert_eq!(b.mean, vec![0.0, 0.4]);
        assert_eq!(b.min, vec![0.0, 0.2]);
        assert_eq!(b.max, vec![0.0, 0.6]);
        assert!((b.sd[1] - 0.2).abs() < 1e-12);
    }

    #[test]
    fn the_matrix_counts_steps_and_keeps_which_ones() {
        let js = [
            j(
                "a",
                "t1",
                &[(Advance, &["wall"]), (Blocked, &["wall", "fog"])],
            ),
            j("b", "t2", &[(Advance, &["fog"]), (Advance, &[])]),
        ];
        let m = matrix(&js, &["fog", "unused", "wall"]);
        assert_eq!(m.codes, ["fog", "wall"], "a code nobody meets is left out");
        assert_eq!(m.steps[1][0], vec![0, 1]);
        assert_eq!(m.count(1, 0), 2);
        assert_eq!(m.count(1, 1), 0);
        assert_eq!(m.row_total(0), 2);
        assert_eq!(m.reach(0), 2);
        assert_eq!(m.reach(1), 1);
        let sums = theme_sums(&m, &js);
        assert_eq!(sums["t1"], vec![1, 2]);
        assert_eq!(sums["t2"], vec![1, 0]);
    }

    #[test]
    fn dwell_is_the_longest_run_at_one_obstacle() {
        let a = j(
            "a",
            "t",
            &[
                (Blocked, &["wall"]),
                (Blocked, &["wall", "fog"]),
                (Advance, &["fog"]),
                (Blocked, &["wall"]),
            ],
        );
        let d = dwell(&a);
        assert_eq!(d["wall"], 2);
        assert_eq!(d["fog"], 2);
    }

    #[test]
    fn signatures() {
        let a = j("a", "t", &[(Advance, &[]), (Stall, &["x"]), (Circle, &[])]);
        assert_eq!(signature(&a), "A S C");
    }

    #[test]
    fn common_and_distinctive_terrain() {
        let js = [
            j("a", "t1", &[(Advance, &["time", "wall"])]),
            j("b", "t1", &[(Advance, &["time", "wall"])]),
            j("c", "t2", &[(Advance, &["time", "fog"])]),
        ];
        assert_eq!(common(&js, &["fog", "time", "wall"]), ["time"]);
        let d = distinctive("t1", &js, &["fog", "time", "wall"]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "wall");
        assert_eq!((d[0].inside, d[0].outside), (1.0, 0.0));
        assert!(common::<Coded>(&[], &["time"]).is_empty());
    }

    #[test]
    fn codes_come_from_the_journey_the_notes_or_both() {
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        let journey: Journey = data.journey("g06").unwrap().clone();
        let step = journey.steps[0].id.clone();
        let note = Note::new(&step, vec!["only_in_a_note".into()], String::new());
        let notes = [("hh", "g06", &note)];
        let own = coded(&journey, &notes, CodeSource::Journey, &data.terrain);
        let theirs = coded(&journey, &notes, CodeSource::Notes, &data.terrain);
        let both = coded(&journey, &notes, CodeSource::Both, &data.terrain);
        assert!(!own.has(0, "only_in_a_note"));
        assert_eq!(theirs.codes(0).collect::<Vec<_>>(), ["only_in_a_note"]);
        assert!(theirs.steps[1].1.is_empty());
        assert!(both.has(0, "only_in_a_note"));
        assert!(own.codes(0).all(|c| both.has(0, c)));
    }

    /// Codes the catalogue lacks are numbered with the rest after every journey is coded: the
    /// journeys still share one table, and each keeps its codes, whatever numbers moved.
    #[test]
    fn codes_unknown_to_the_catalogue_share_the_table_and_keep_every_code() {
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        let [a, b] = ["g01", "g06"].map(|id| data.journey(id).unwrap());
        let first = |j: &Journey| j.steps[0].id.clone();
        // "aaa" sorts before every catalogue id, "zzz" after: every number moves.
        let on_a = Note::new(&first(a), vec!["aaa".into()], String::new());
        let on_b = Note::new(&first(b), vec!["zzz".into(), "aaa".into()], String::new());
        let notes_a = [("hh", "g01", &on_a)];
        let notes_b = [("hh", "g06", &on_b)];
        let both = coded_each(
            &[a, b],
            &[&notes_a[..], &notes_b[..]],
            CodeSource::Both,
            &data.terrain,
        );
        assert!(Arc::ptr_eq(&both[0].table, &both[1].table));
        for (k, j) in [a, b].into_iter().enumerate() {
            let alone = coded(j, &[], CodeSource::Journey, &data.terrain);
            for (i, s) in j.steps.iter().enumerate() {
                let mut want: Vec<&str> = s.codes().map(|c| data.terrain.resolve(c)).collect();
                if i == 0 {
                    want.push("aaa");
                    if k == 1 {
                        want.push("zzz");
                    }
                }
                want.sort_unstable();
                want.dedup();
                assert_eq!(
                    both[k].codes(i).collect::<Vec<_>>(),
                    want,
                    "{} step {i}",
                    j.id
                );
                assert!(alone.codes(i).all(|c| both[k].has(i, c)));
            }
        }
        let m = matrix(&both, &["zzz", "aaa"]);
        assert_eq!(m.codes, ["zzz", "aaa"]);
        assert_eq!((m.count(0, 0), m.count(0, 1)), (0, 1));
        assert_eq!((m.count(1, 0), m.count(1, 1)), (1, 1));
    }
}
