//! Agreement between analysts who coded the same steps independently: percent agreement,
//! Cohen's κ for each pair, Fleiss' κ for more than two, and Krippendorff's α (nominal, any
//! number of analysts, missing values allowed), per code and overall.
//!
//! Steps are the units, so agreement is exact per step: no overlapping character ranges to
//! reconcile. A step counts as coded by an analyst when the analyst has a note on it (conflict
//! copies aside: they hold a losing edit, not a coding). For each code, a coded step is a
//! binary value for that analyst: the code is on one of the analyst's notes on the step, or it
//! is not. *Overall* pools these binary units over every (step, code) pair of the codes listed,
//! that is, the codes some chosen analyst used on a step that two or more of them coded; a code
//! nobody used would add only agreement on absence, and is left out.
//!
//! Which units each figure rests on:
//! - percent agreement and α: the steps coded by two or more of the analysts;
//! - Cohen's κ for a pair: the steps both of them coded;
//! - Fleiss' κ: the steps all of them coded (it needs the same number of ratings per unit).
//!
//! Where the data have no variation (every value the same, as for a code nobody used, or
//! two analysts who both used it everywhere) κ and α are 0/0 and are reported as undefined,
//! as Cohen (1960), Fleiss (1971) and Krippendorff (2011) leave them; percent agreement is
//! then 100%. Nothing here reads files or draws.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use foldhash::HashMapExt as FastMap;
use rayon::prelude::*;
use serde::Serialize;

use super::codes::{CodeSet, CodeTable};
use crate::model::{Journey, Note, Terrain};

/// One unit's values, one per coder, `None` where that coder did not code it.
pub type Values = Vec<Option<u32>>;

/// Percent agreement: over the units with two or more values, the share of agreeing ordered
/// pairs of values within each unit, averaged over units (for two coders, the share of units
/// where they agree). `None` without such a unit. Also returns the number of units.
pub fn percent_agreement(units: &[Values]) -> (Option<f64>, usize) {
    percent_agreement_weighted(&once(units))
}

/// [`percent_agreement`] over distinct units, each with how many times it occurs.
pub fn percent_agreement_weighted(units: &[(Values, u64)]) -> (Option<f64>, usize) {
    let mut sum = 0.0;
    let mut n = 0u64;
    for (unit, w) in units {
        let vals: Vec<u32> = unit.iter().flatten().copied().collect();
        let m = vals.len();
        if m < 2 {
            continue;
        }
        let mut agree = 0usize;
        for (i, a) in vals.iter().enumerate() {
            agree += vals
                .iter()
                .enumerate()
                .filter(|&(j, b)| i != j && a == b)
                .count();
        }
        sum += *w as f64 * agree as f64 / (m * (m - 1)) as f64;
        n += w;
    }
    ((n > 0).then(|| sum / n as f64), n as usize)
}

/// Each unit once.
fn once(units: &[Values]) -> Vec<(Values, u64)> {
    units.iter().map(|u| (u.clone(), 1)).collect()
}

/// Cohen's (1960) κ for two coders' values on the same units: (p_o − p_e) / (1 − p_e), with
/// p_e from each coder's own marginal proportions. `None` when there is no unit or p_e = 1
/// (both coders used one and the same category throughout: 0/0).
pub fn cohen_kappa(pairs: &[(u32, u32)]) -> Option<f64> {
    let mut counted: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    for &p in pairs {
        *counted.entry(p).or_default() += 1;
    }
    cohen_kappa_counted(&counted)
}

/// [`cohen_kappa`] from how many units have each pair of values.
pub fn cohen_kappa_counted(pairs: &BTreeMap<(u32, u32), u64>) -> Option<f64> {
    let n: u64 = pairs.values().sum();
    if n == 0 {
        return None;
    }
    let agree: u64 = pairs
        .iter()
        .filter(|((a, b), _)| a == b)
        .map(|(_, w)| w)
        .sum();
    let mut first: BTreeMap<u32, u64> = BTreeMap::new();
    let mut second: BTreeMap<u32, u64> = BTreeMap::new();
    for (&(a, b), &w) in pairs {
        *first.entry(a).or_default() += w;
        *second.entry(b).or_default() += w;
    }
    // In counts: κ = (n·agree − Σ a_c b_c) / (n² − Σ a_c b_c), exact in integers.
    let chance: u128 = first
        .iter()
        .map(|(c, a)| u128::from(*a) * u128::from(second.get(c).copied().unwrap_or(0)))
        .sum();
    let (n, agree) = (u128::from(n), u128::from(agree));
    let denominator = n * n - chance;
    (denominator > 0).then(|| ((n * agree) as f64 - chance as f64) / denominator as f64)
}

/// Fleiss' (1971) κ: `counts[i][j]` is how many of the coders put unit `i` in category `j`;
/// every unit must have the same number of coders, at least two. `None` when there is no such
/// unit, the units' totals differ, or P̄_e = 1 (one category throughout: 0/0).
pub fn fleiss_kappa(counts: &[Vec<usize>]) -> Option<f64> {
    let weighted: Vec<(Vec<usize>, u64)> = counts.iter().map(|c| (c.clone(), 1)).collect();
    fleiss_kappa_weighted(&weighted)
}

/// [`fleiss_kappa`] over distinct units, each with how many times it occurs.
pub fn fleiss_kappa_weighted(counts: &[(Vec<usize>, u64)]) -> Option<f64> {
    let raters: usize = counts.first()?.0.iter().sum();
    if raters < 2
        || counts
            .iter()
            .any(|(u, _)| u.iter().sum::<usize>() != raters)
    {
        return None;
    }
    let units: u64 = counts.iter().map(|(_, w)| w).sum();
    let categories = counts.iter().map(|(u, _)| u.len()).max().unwrap_or(0);
    let mut column = vec![0u128; categories];
    let mut p_bar = 0.0;
    for (unit, w) in counts {
        let squares: usize = unit.iter().map(|c| c * c).sum();
        p_bar += *w as f64 * (squares - raters) as f64 / (raters * (raters - 1)) as f64;
        for (j, c) in unit.iter().enumerate() {
            column[j] += *c as u128 * u128::from(*w);
        }
    }
    p_bar /= units as f64;
    let total = u128::from(units) * raters as u128;
    let squares: u128 = column.iter().map(|&c| c * c).sum();
    if squares == total * total {
        return None;
    }
    let p_e: f64 = column
        .iter()
        .map(|&c| (c as f64 / total as f64).powi(2))
        .sum();
    Some((p_bar - p_e) / (1.0 - p_e))
}

/// Krippendorff's α for nominal data (Krippendorff 2011, "Computing Krippendorff's
/// Alpha-Reliability"): units × coders with missing values. Units with fewer than two values
/// are not pairable and are left out. α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, where
/// o_ck are the coincidences (each ordered pair of values in a unit of m values weighs
/// 1/(m − 1)), n_c the pairable values of category c and n their number. Returns α (`None`
/// when the pairable values do not vary: 0/0) and the number of pairable units.
pub fn krippendorff_alpha(units: &[Values]) -> (Option<f64>, usize) {
    krippendorff_alpha_weighted(&once(units))
}

/// [`krippendorff_alpha`] over distinct units, each with how many times it occurs.
pub fn krippendorff_alpha_weighted(units: &[(Values, u64)]) -> (Option<f64>, usize) {
    let mut disagreement = 0.0;
    let mut n_c: BTreeMap<u32, u128> = BTreeMap::new();
    let mut pairable = 0u64;
    for (unit, w) in units {
        let vals: Vec<u32> = unit.iter().flatten().copied().collect();
        let m = vals.len();
        if m < 2 {
            continue;
        }
        pairable += w;
        let mut differ = 0usize;
        for (i, a) in vals.iter().enumerate() {
            differ += vals
                .iter()
                .enumerate()
                .filter(|&(j, b)| i != j && a != b)
                .count();
        }
        disagreement += *w as f64 * differ as f64 / (m - 1) as f64;
        for v in vals {
            *n_c.entry(v).or_default() += u128::from(*w);
        }
    }
    let n: u128 = n_c.values().sum();
    let expected = n * n - n_c.values().map(|c| c * c).sum::<u128>();
    if expected == 0 {
        return (None, pairable as usize);
    }
    (
        Some(1.0 - (n - 1) as f64 * disagreement / expected as f64),
        pairable as usize,
    )
}

/// Cohen's κ of one pair of analysts, with the steps it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairKappa {
    pub a: String,
    pub b: String,
    pub kappa: Option<f64>,
    /// Share of the units where the two agree.
    pub percent: Option<f64>,
    pub units: usize,
}

/// The agreement figures on one set of units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// 0–1; see [`percent_agreement`].
    pub percent: Option<f64>,
    /// Krippendorff's α, nominal.
    pub alpha: Option<f64>,
    /// Units coded by two or more analysts: what percent agreement and α rest on.
    pub units: usize,
    /// Fleiss' κ, with more than two analysts.
    pub fleiss: Option<f64>,
    /// Units coded by all the analysts: what Fleiss' κ rests on.
    pub fleiss_units: usize,
    /// Cohen's κ for each pair of analysts, in the order the analysts are given.
    pub pairs: Vec<PairKappa>,
}

/// Computes every figure on units of values, one per analyst (`names`, in that order).
pub fn figures(names: &[String], units: &[Values]) -> Figures {
    let mut counted: BTreeMap<Values, u64> = BTreeMap::new();
    for u in units {
        *counted.entry(u.clone()).or_default() += 1;
    }
    figures_weighted(names, &counted.into_iter().collect::<Vec<_>>())
}

/// [`figures`] over distinct units, each with how many times it occurs: the same numbers,
/// at a cost that does not grow with how often a unit repeats.
pub fn figures_weighted(names: &[String], units: &[(Values, u64)]) -> Figures {
    let (percent, units_n) = percent_agreement_weighted(units);
    let (alpha, _) = krippendorff_alpha_weighted(units);
    let mut pairs = Vec::new();
    for a in 0..names.len() {
        for b in a + 1..names.len() {
            let mut both: BTreeMap<(u32, u32), u64> = BTreeMap::new();
            for (u, w) in units {
                if let (Some(Some(x)), Some(Some(y))) = (u.get(a), u.get(b)) {
                    *both.entry((*x, *y)).or_default() += w;
                }
            }
            let n: u64 = both.values().sum();
            let same: u64 = both
                .iter()
                .filter(|((x, y), _)| x == y)
                .map(|(_, w)| w)
                .sum();
            let percent = (n > 0).then(|| same as f64 / n as f64);
            pairs.push(PairKappa {
                a: names[a].clone(),
                b: names[b].clone(),
                kappa: cohen_kappa_counted(&both),
                percent,
                units: n as usize,
            });
        }
    }
    let complete: Vec<(Vec<usize>, u64)> = units
        .iter()
        .filter(|(u, _)| u.iter().all(Option::is_some))
        .map(|(u, w)| {
            let mut counts = vec![0usize; 2];
            for v in u.iter().flatten() {
                let v = *v as usize;
                if counts.len() <= v {
                    counts.resize(v + 1, 0);
                }
                counts[v] += 1;
            }
            (counts, *w)
        })
        .collect();
    let fleiss = if names.len() > 2 {
        fleiss_kappa_weighted(&complete)
    } else {
        None
    };
    Figures {
        percent,
        alpha,
        units: units_n,
        fleiss,
        fleiss_units: complete.iter().map(|(_, w)| *w as usize).sum(),
        pairs,
    }
}

/// A journey's, step's or code's id as a step's coding holds it: shared by every step that
/// names it, not a string of its own. An agreement at XL lists 260,000 disagreements, which
/// with strings of their own took about 1.4 KB each.
pub type Id = Arc<str>;

/// One step as the chosen analysts coded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepCoding {
    pub journey: Id,
    pub step: Id,
    /// Index of the journey in the data set, and of the step in it (not printed).
    #[serde(skip)]
    pub at: (usize, usize),
    /// Each analyst's codes on the step, in the order of the analysts, sorted by id (a list, not
    /// a set: an agreement at XL holds a million of them); `None`: no note there.
    pub codes: Vec<Option<Vec<Id>>>,
}

impl StepCoding {
    /// How many analysts coded the step.
    pub fn coders(&self) -> usize {
        self.codes.iter().flatten().count()
    }

    /// The codes some but not all of the analysts who coded the step put on it.
    pub fn differing(&self) -> Vec<Id> {
        let coded: Vec<&Vec<Id>> = self.codes.iter().flatten().collect();
        let all: BTreeSet<&Id> = coded.iter().flat_map(|s| s.iter()).collect();
        all.into_iter()
            .filter(|c| !coded.iter().all(|s| s.contains(*c)))
            .cloned()
            .collect()
    }
}

/// Agreement on one code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAgreement {
    pub code: String,
    /// On how many of the units each analyst used it, in the order of the analysts.
    pub used: Vec<usize>,
    pub figures: Figures,
}

/// A step where the analysts' codes differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    #[serde(flatten)]
    pub step: StepCoding,
    /// The codes some but not all of its coders used, in catalogue order.
    pub differing: Vec<Id>,
}

/// Everything `terreng agree` prints and the agreement screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub analysts: Vec<String>,
    /// The steps two or more of the analysts coded.
    pub steps: usize,
    /// How overall is computed, in words.
    pub overall_is: &'static str,
    pub per_code: Vec<CodeAgreement>,
    pub overall: Figures,
    /// The steps where the analysts' codes differ, those with the most differing codes first
    /// (then in journey and step order).
    pub disagreements: Vec<Disagreement>,
}

/// How the overall figures pool the codes.
pub const OVERALL: &str = "pooled over every (step, code) unit of the codes listed";

/// The steps two or more of the chosen analysts coded, each analyst's codes on them as a set
/// of numbers of one table: what [`agreement`] counts. Made by [`step_codings`].
#[derive(Debug, Clone, Default)]
pub struct StepCodings<'a> {
    table: CodeTable,
    units: Vec<Unit<'a>>,
}

/// One step as the chosen analysts coded it, codes numbered.
#[derive(Debug, Clone)]
struct Unit<'a> {
    journey: &'a str,
    step: &'a str,
    at: (usize, usize),
    /// Each analyst's codes, in the order of the analysts; `None`: no note there.
    codes: Vec<Option<CodeSet>>,
}

impl StepCodings<'_> {
    /// How many steps two or more analysts coded.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The steps with their codes by id, as [`Agreement`] lists them.
    pub fn steps(&self) -> Vec<StepCoding> {
        let ids = self.ids();
        self.units.iter().map(|u| ids.coding(u)).collect()
    }

    /// The ids of every journey, step and code of the units, each made once.
    fn ids(&self) -> Ids<'_> {
        let mut ids = Ids {
            codes: (0..self.table.len() as u32)
                .map(|i| Id::from(self.table.name(i)))
                .collect(),
            names: HashMap::default(),
        };
        for u in &self.units {
            for name in [u.journey, u.step] {
                ids.names.entry(name).or_insert_with(|| Id::from(name));
            }
        }
        ids
    }
}

/// The shared ids a [`StepCoding`] is made of: codes by number, journeys' and steps' by name.
struct Ids<'a> {
    codes: Vec<Id>,
    names: HashMap<&'a str, Id, foldhash::fast::RandomState>,
}

impl Ids<'_> {
    /// A journey's or step's id: every unit's is in the map, made from the same units.
    fn name(&self, name: &str) -> Id {
        self.names[name].clone()
    }

    fn code(&self, i: u32) -> Id {
        self.codes[i as usize].clone()
    }

    fn coding(&self, u: &Unit) -> StepCoding {
        StepCoding {
            journey: self.name(u.journey),
            step: self.name(u.step),
            at: u.at,
            codes: u
                .codes
                .iter()
                .map(|set| {
                    set.as_ref().map(|set| {
                        let mut ids: Vec<Id> = set.iter().map(|i| self.code(i)).collect();
                        ids.sort_unstable();
                        ids
                    })
                })
                .collect(),
        }
    }
}

/// The chosen journeys' steps coded by two or more of `analysts`, in journey and step order.
/// `notes` are (analyst, journey id, note), as [`crate::store::annotations::NoteStore::all`]
/// gives them; each code counts as what the catalogue resolves it to ([`Terrain::resolve`]).
pub fn step_codings<'a>(
    journeys: &'a [Journey],
    chosen: &[usize],
    notes: &[(&str, &str, &Note)],
    analysts: &[String],
    terrain: &Terrain,
) -> StepCodings<'a> {
    // Notes by journey first, so each journey looks only at its own.
    let mut by_journey: foldhash::HashMap<&str, Vec<(&str, &Note)>> = FastMap::new();
    for &(analyst, journey, note) in notes {
        by_journey.entry(journey).or_default().push((analyst, note));
    }
    let notes_of = |journey: &str| by_journey.get(journey).cloned().unwrap_or_default();
    step_codings_by(journeys, chosen, &notes_of, analysts, terrain)
}

/// [`step_codings`], each journey's notes (analyst, note) given by `notes_of` its id: from a
/// note store, which holds them by journey already, no list of every note is made.
pub fn step_codings_by<'a, 'n>(
    journeys: &'a [Journey],
    chosen: &[usize],
    notes_of: &(dyn Fn(&str) -> Vec<(&'n str, &'n Note)> + Sync),
    analysts: &[String],
    terrain: &Terrain,
) -> StepCodings<'a> {
    let index: foldhash::HashMap<&str, usize> = analysts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    // Each journey on its own, on every core, against the catalogue's numbers; a code the
    // catalogue lacks comes back as (unit, analyst, code).
    let table = CodeTable::new(terrain, []);
    type Part<'a> = (Vec<Unit<'a>>, Vec<(usize, usize, String)>);
    let one = |&ji: &usize| -> Option<Part<'a>> {
        let j = journeys.get(ji)?;
        let mine: Vec<(usize, &Note)> = notes_of(&j.id)
            .into_iter()
            .filter(|(_, note)| note.conflict_of.is_none())
            .filter_map(|(analyst, note)| Some((*index.get(analyst)?, note)))
            .collect();
        if mine.is_empty() {
            return None;
        }
        // Step id → each analyst's codes.
        let mut slot_of: foldhash::HashMap<&str, usize> = FastMap::new();
        let mut slots: Vec<Vec<Option<CodeSet>>> = Vec::new();
        let mut missing: Vec<(usize, usize, String)> = Vec::new();
        for &(a, note) in &mine {
            let slot = *slot_of.entry(note.step.as_str()).or_insert_with(|| {
                slots.push(vec![None; analysts.len()]);
                slots.len() - 1
            });
            let set = slots[slot][a].get_or_insert_with(CodeSet::new);
            for c in &note.codes {
                let c = terrain.resolve(c);
                match table.id(c) {
                    Some(i) => set.insert(i),
                    None => missing.push((slot, a, c.to_string())),
                }
            }
        }
        let mut units = Vec::new();
        let mut unit_missing = Vec::new();
        for (si, s) in j.steps.iter().enumerate() {
            let Some(&slot) = slot_of.get(s.id.as_str()) else {
                continue;
            };
            let codes = &slots[slot];
            if codes.iter().flatten().count() < 2 {
                continue;
            }
            for (_, a, c) in missing.iter().filter(|m| m.0 == slot) {
                unit_missing.push((units.len(), *a, c.clone()));
            }
            units.push(Unit {
                journey: &j.id,
                step: &s.id,
                at: (ji, si),
                codes: codes.clone(),
            });
        }
        Some((units, unit_missing))
    };
    let parts: Vec<Part<'a>> = chosen
        .par_iter()
        .with_min_len(PARALLEL_FROM)
        .filter_map(one)
        .collect();
    let mut units = Vec::new();
    let mut missing = Vec::new();
    for (u, m) in parts {
        let base = units.len();
        missing.extend(m.into_iter().map(|(k, a, c)| (base + k, a, c)));
        units.extend(u);
    }
    if missing.is_empty() {
        return StepCodings { table, units };
    }
    // Codes the catalogue lacks: numbered with the rest by id, every set renumbered.
    let wider = CodeTable::new(terrain, missing.iter().map(|m| m.2.as_str()));
    let renumber = wider.renumbering(&table);
    units.par_iter_mut().for_each(|u| {
        for set in u.codes.iter_mut().flatten() {
            *set = set.renumber(&renumber);
        }
    });
    for (k, a, c) in missing {
        if let (Some(set), Some(i)) = (units[k].codes[a].as_mut(), wider.id(&c)) {
            set.insert(i);
        }
    }
    StepCodings {
        table: wider,
        units,
    }
}

/// The agreement of `analysts` on the steps in `steps`; codes are listed in `order` (the
/// catalogue's), then any unknown to it by id.
pub fn agreement(analysts: &[String], steps: &StepCodings, order: &[&str]) -> Agreement {
    let table = &steps.table;
    let mut used = CodeSet::new();
    for u in &steps.units {
        for set in u.codes.iter().flatten() {
            used.union_with(set);
        }
    }
    // The codes listed, as numbers: those of `order` used on some unit, then the other used
    // ones by id (the table's order).
    let mut in_order = CodeSet::new();
    let mut codes: Vec<u32> = Vec::new();
    for c in order {
        if let Some(i) = table.id(c) {
            in_order.insert(i);
            if used.contains(i) {
                codes.push(i);
            }
        }
    }
    codes.extend(used.iter().filter(|&i| !in_order.contains(i)));
    // Each (step, code) unit is counted, not kept: a unit is one of at most 3^analysts
    // patterns (no note, without the code, with it), so the figures cost what the patterns
    // do, however many steps there are.
    let mut at: Vec<Option<usize>> = vec![None; table.len()];
    for (ci, &i) in codes.iter().enumerate() {
        at[i as usize].get_or_insert(ci);
    }
    let mut counted: Vec<HashMap<Values, u64>> = vec![HashMap::new(); codes.len()];
    if analysts.len() <= DENSE {
        count_dense(&steps.units, &codes, &at, analysts.len(), &mut counted);
    } else {
        count_each(&steps.units, &at, analysts.len(), &mut counted);
    }
    let mut pooled: BTreeMap<Values, u64> = BTreeMap::new();
    let per_code = codes
        .iter()
        .zip(counted)
        .map(|(&code, units)| {
            let mut units: Vec<(Values, u64)> = units.into_iter().collect();
            units.sort();
            let used = (0..analysts.len())
                .map(|a| {
                    let n: u64 = units
                        .iter()
                        .filter(|(u, _)| u[a] == Some(1))
                        .map(|(_, w)| w)
                        .sum();
                    n as usize
                })
                .collect();
            let figures = figures_weighted(analysts, &units);
            for (u, w) in units {
                *pooled.entry(u).or_default() += w;
            }
            CodeAgreement {
                code: table.name(code).to_string(),
                used,
                figures,
            }
        })
        .collect();
    let pooled: Vec<(Values, u64)> = pooled.into_iter().collect();
    // Each made on every core, of ids made once: the longest part of the work at L and XL.
    let ids = steps.ids();
    let differ = |u: &Unit| {
        // The codes some but not all of the step's coders used.
        let (mut some, mut all) = (CodeSet::new(), None::<CodeSet>);
        for set in u.codes.iter().flatten() {
            some.union_with(set);
            all = Some(match all {
                None => set.clone(),
                Some(all) => all.intersection(set),
            });
        }
        let all = all.unwrap_or_default();
        let mut differing: Vec<u32> = some.iter().filter(|&i| !all.contains(i)).collect();
        if differing.is_empty() {
            return None;
        }
        differing.sort_by_key(|&i| at[i as usize].unwrap_or(usize::MAX));
        Some(Disagreement {
            step: ids.coding(u),
            differing: differing.into_iter().map(|i| ids.code(i)).collect(),
        })
    };
    let mut disagreements: Vec<Disagreement> = steps
        .units
        .par_iter()
        .with_min_len(PARALLEL_FROM)
        .filter_map(differ)
        .collect();
    // Stable: equal counts stay in journey and step order.
    disagreements.sort_by_key(|d| std::cmp::Reverse(d.differing.len()));
    Agreement {
        analysts: analysts.to_vec(),
        steps: steps.len(),
        overall_is: OVERALL,
        per_code,
        overall: figures_weighted(analysts, &pooled),
        disagreements,
    }
}

/// Counts the units of every code one by one, for any number of analysts; `at` gives each
/// code number's place among the codes counted.
fn count_each(
    steps: &[Unit],
    at: &[Option<usize>],
    analysts: usize,
    counted: &mut [HashMap<Values, u64>],
) {
    let mut has: Vec<Vec<bool>> = vec![vec![false; counted.len()]; analysts];
    for s in steps {
        for (a, set) in s.codes.iter().enumerate() {
            has[a].fill(false);
            for c in set.iter().flat_map(CodeSet::iter) {
                if let Some(i) = at[c as usize] {
                    has[a][i] = true;
                }
            }
        }
        for (ci, slot) in counted.iter_mut().enumerate() {
            let unit: Values = s
                .codes
                .iter()
                .enumerate()
                .map(|(a, set)| set.as_ref().map(|_| u32::from(has[a][ci])))
                .collect();
            *slot.entry(unit).or_default() += 1;
        }
    }
}

/// The fewest journeys (or listed steps) a core is given: below twice this the work stays on
/// one, where a split costs more than it saves.
const PARALLEL_FROM: usize = 256;

/// Up to this many analysts, units are counted in a table of every pattern (4^6 per code).
const DENSE: usize = 6;

/// Counts the units of every code in a table indexed by pattern: two bits per analyst (0 no
/// note, 1 without the code, 2 with it). A step touches only the codes used on it: every other
/// code's unit there is the step's base pattern (each coder without the code), counted once
/// per step in `base` and handed to every code at the end, less the codes that were used.
/// `codes` are the numbers counted, `at` each number's place among them.
fn count_dense(
    steps: &[Unit],
    codes: &[u32],
    at: &[Option<usize>],
    analysts: usize,
    counted: &mut [HashMap<Values, u64>],
) {
    let patterns = 1usize << (2 * analysts);
    let mut table = vec![0u64; patterns * codes.len()];
    let mut minus = vec![0u64; patterns * codes.len()];
    let mut base = vec![0u64; patterns];
    for s in steps {
        let mut base_key = 0usize;
        let mut here = CodeSet::new();
        for (a, set) in s.codes.iter().enumerate() {
            if let Some(set) = set {
                base_key |= 1 << (2 * a);
                here.union_with(set);
            }
        }
        base[base_key] += 1;
        for id in here.iter() {
            let Some(ci) = at[id as usize] else { continue };
            let mut key = base_key;
            for (a, set) in s.codes.iter().enumerate() {
                if set.as_ref().is_some_and(|set| set.contains(codes[ci])) {
                    key += 1 << (2 * a);
                }
            }
            table[ci * patterns + key] += 1;
            minus[ci * patterns + base_key] += 1;
        }
    }
    for (ci, slot) in counted.iter_mut().enumerate() {
        for key in 0..patterns {
            let w = table[ci * patterns + key] + base[key] - minus[ci * patterns + key];
            if w > 0 {
                let unit: Values = (0..analysts)
                    .map(|a| match (key >> (2 * a)) & 3 {
                        0 => None,
                        v => Some((v - 1) as u32),
                    })
                    .collect();
                slot.insert(unit, w);
            }
        }
    }
}

/// The analysts with a note on any of the chosen journeys, by name.
pub fn analysts_in(notes: &[(&str, &str, &Note)], journeys: &[&str]) -> Vec<String> {
    let journeys: std::collections::HashSet<&str> = journeys.iter().copied().collect();
    let names: BTreeSet<&str> = notes
        .iter()
        .filter(|(_, j, _)| journeys.contains(j))
        .map(|(a, _, _)| *a)
        .collect();
    names.into_iter().map(str::to_string).collect()
}

/// A κ or α as text: three decimals, or `—` where it is undefined.
pub fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{x:.3}"))
}

/// A share as a percentage with one decimal, or `—`.
pub fn show_percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{:.1}%", x * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_by_table_gives_the_counts_one_by_one() {
        let codes = [0, 1, 2];
        let at = [Some(0), Some(1), Some(2)];
        let set = |cs: &[u32]| {
            let mut s = CodeSet::new();
            for &c in cs {
                s.insert(c);
            }
            Some(s)
        };
        let step = |codes: Vec<Option<CodeSet>>| Unit {
            journey: "j",
            step: "s",
            at: (0, 0),
            codes,
        };
        let steps = [
            step(vec![set(&[0]), set(&[0, 1]), None]),
            step(vec![set(&[]), set(&[2]), set(&[2])]),
            step(vec![None, set(&[1]), set(&[])]),
            step(vec![set(&[0]), set(&[0, 1]), None]),
        ];
        let mut dense = vec![HashMap::new(); codes.len()];
        let mut each = vec![HashMap::new(); codes.len()];
        count_dense(&steps, &codes, &at, 3, &mut dense);
        count_each(&steps, &at, 3, &mut each);
        assert_eq!(dense, each);
        assert_eq!(each[0][&vec![Some(1), Some(1), None]], 2);
    }

    /// `v` rounds to the published value at the published number of decimals.
    fn rounds_to(v: Option<f64>, want: f64, places: i32) {
        let v = v.expect("defined");
        let scale = 10f64.powi(places);
        assert_eq!((v * scale).round() / scale, want, "{v}");
    }

    /// `v` is the exact value `want`, but for floating-point rounding.
    fn near(v: Option<f64>, want: f64) {
        let v = v.expect("defined");
        assert!((v - want).abs() < 1e-12, "{v} is not {want}");
    }

    /// A 2×2 table of two raters as pairs: (yes, yes), (yes, no), (no, yes), (no, no).
    fn table(yy: usize, yn: usize, ny: usize, nn: usize) -> Vec<(u32, u32)> {
        let mut v = vec![(1, 1); yy];
        v.extend(vec![(1, 0); yn]);
        v.extend(vec![(0, 1); ny]);
        v.extend(vec![(0, 0); nn]);
        v
    }

    #[test]
    fn cohen_kappa_matches_the_textbook_tables() {
        // Wikipedia, "Cohen's kappa", Simple example: 50 grant proposals, p_o = 0.7,
        // p_e = 0.5, κ = 0.4.
        rounds_to(cohen_kappa(&table(20, 5, 10, 15)), 0.4, 4);
        // The same article, "Same percentages but different numbers": both p_o = 0.60, yet
        // κ = 0.1304 and κ = 0.2593 (p_e = 0.54 and 0.46).
        rounds_to(cohen_kappa(&table(45, 15, 25, 15)), 0.1304, 4);
        rounds_to(cohen_kappa(&table(25, 35, 5, 35)), 0.2593, 4);
        // Worse than chance is negative: they never agree, p_e = 0.5.
        rounds_to(cohen_kappa(&table(0, 5, 5, 0)), -1.0, 4);
    }

    #[test]
    fn fleiss_kappa_matches_the_worked_example() {
        // Wikipedia, "Fleiss' kappa", Worked example: 10 subjects, 14 raters, 5 categories;
        // P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
        let counts = vec![
            vec![0, 0, 0, 0, 14],
            vec![0, 2, 6, 4, 2],
            vec![0, 0, 3, 5, 6],
            vec![0, 3, 9, 2, 0],
            vec![2, 2, 8, 1, 1],
            vec![7, 7, 0, 0, 0],
            vec![3, 2, 6, 3, 0],
            vec![2, 5, 3, 2, 2],
            vec![6, 5, 2, 1, 0],
            vec![0, 2, 2, 3, 7],
        ];
        rounds_to(fleiss_kappa(&counts), 0.210, 3);
        // Units with different numbers of raters are not what Fleiss' κ is for.
        assert_eq!(fleiss_kappa(&[vec![1, 1], vec![3, 0]]), None);
    }

    #[test]
    fn krippendorff_alpha_matches_krippendorffs_own_examples() {
        // Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, C: nominal data,
        // 4 observers × 12 units with missing values; α = 0.743. Unit 12 has one value and is
        // not pairable.
        let rows: [[u32; 12]; 4] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
            [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
        ];
        let units: Vec<Values> = (0..12)
            .map(|u| rows.iter().map(|r| (r[u] != 0).then_some(r[u])).collect())
            .collect();
        let (alpha, pairable) = krippendorff_alpha(&units);
        rounds_to(alpha, 0.743, 3);
        assert_eq!(pairable, 11);
        // The same paper, A: binary data, two observers, 10 units; α = 0.095.
        let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
        let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
        let units: Vec<Values> = (0..10).map(|u| vec![Some(a[u]), Some(b[u])]).collect();
        rounds_to(krippendorff_alpha(&units).0, 0.095, 3);
        // Percent agreement there: 6 of the 10 units.
        assert_eq!(percent_agreement(&units), (Some(0.6), 10));
    }

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn perfect_agreement_is_one_and_no_variation_is_undefined() {
        let ab = names(&["a", "b"]);
        // The same values, varied: κ = α = 1.
        let units: Vec<Values> = [1, 0, 1, 0, 0]
            .iter()
            .map(|&v| vec![Some(v), Some(v)])
            .collect();
        let f = figures(&ab, &units);
        assert_eq!(f.percent, Some(1.0));
        assert_eq!(f.alpha, Some(1.0));
        assert_eq!(f.pairs[0].kappa, Some(1.0));
        // A code nobody used: every value 0. They agree on every unit, but κ and α are 0/0.
        let none: Vec<Values> = (0..5).map(|_| vec![Some(0), Some(0)]).collect();
        let f = figures(&ab, &none);
        assert_eq!(f.percent, Some(1.0));
        assert_eq!((f.alpha, f.pairs[0].kappa), (None, None));
        assert_eq!(f.units, 5);
        // Three analysts, no variation: Fleiss' κ is undefined too.
        let abc = names(&["a", "b", "c"]);
        let f = figures(&abc, &[vec![Some(1), Some(1), Some(1)]]);
        assert_eq!(f.fleiss, None);
        assert_eq!(f.fleiss_units, 1);
    }

    #[test]
    fn one_analyst_or_no_overlap_gives_no_units_and_no_figures() {
        let ab = names(&["a", "b"]);
        // a coded units 0 and 1, b coded 2 and 3: no unit has two values.
        let units: Vec<Values> = vec![
            vec![Some(1), None],
            vec![Some(0), None],
            vec![None, Some(1)],
            vec![None, Some(0)],
        ];
        let f = figures(&ab, &units);
        assert_eq!((f.percent, f.alpha, f.units), (None, None, 0));
        assert_eq!((f.pairs[0].kappa, f.pairs[0].units), (None, 0));
        let one = figures(&names(&["a"]), &[vec![Some(1)], vec![Some(0)]]);
        assert_eq!((one.percent, one.alpha, one.units), (None, None, 0));
        assert!(one.pairs.is_empty());
        assert_eq!(cohen_kappa(&[]), None);
        assert_eq!(fleiss_kappa(&[]), None);
    }

    #[test]
    fn fleiss_and_alpha_on_three_analysts_with_a_missing_value() {
        let abc = names(&["a", "b", "c"]);
        let units: Vec<Values> = vec![
            vec![Some(1), Some(1), Some(1)],
            vec![Some(0), Some(0), Some(1)],
            vec![Some(0), Some(0), Some(0)],
            vec![Some(1), None, Some(1)],
        ];
        let f = figures(&abc, &units);
        assert_eq!((f.units, f.fleiss_units), (4, 3));
        // Fleiss on the three complete units: P_i = 1, 1/3, 1 → P̄ = 7/9; the 9 ratings hold
        // four 1s → P̄_e = (4/9)² + (5/9)² = 41/81; κ = (63/81 − 41/81) / (40/81) = 0.55.
        near(f.fleiss, 0.55);
        // Percent: (1 + 1/3 + 1 + 1) / 4.
        near(f.percent, 10.0 / 12.0);
        // α: 11 pairable values, six 1s and five 0s; the one disagreeing unit of 3 values
        // has 4 disagreeing ordered pairs of weight 1/2 → D = 2; α = 1 − 10·2 / (121 − 61).
        near(f.alpha, 1.0 - 20.0 / 60.0);
        // Cohen per pair: a–b agree on all three shared units, with variation.
        assert_eq!(f.pairs[0].kappa, Some(1.0));
        assert_eq!(f.pairs.len(), 3);
        assert_eq!((f.pairs[1].a.as_str(), f.pairs[1].b.as_str()), ("a", "c"));
    }

    fn note(step: &str, codes: &[&str]) -> Note {
        let mut n = Note::new(
            step,
            codes.iter().map(|s| s.to_string()).collect(),
            String::new(),
        );
        n.created = "2026-01-01T00:00:00Z".into();
        n.updated = n.created.clone();
        n
    }

    #[test]
    fn steps_are_units_codes_are_binary_and_the_worst_steps_come_first() {
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        let j = data.journey("g06").expect("g06 is bundled").clone();
        let s = |i: usize| j.steps[i].id.clone();
        let notes = [
            ("hh", note(&s(0), &["x", "y"])),
            ("kv", note(&s(0), &["x"])),
            ("hh", note(&s(1), &["y"])),
            ("kv", note(&s(1), &["y"])),
            ("hh", note(&s(2), &["x", "y"])),
            ("kv", note(&s(2), &[])),
            // Only one analyst on this step: not a unit.
            ("hh", note(&s(3), &["z"])),
            // Not a chosen analyst.
            ("zz", note(&s(0), &["z"])),
        ];
        let mut conflict = note(&s(1), &["z"]);
        conflict.conflict_of = Some("other".into());
        let mut all: Vec<(&str, &str, &Note)> = notes.iter().map(|(a, n)| (*a, "g06", n)).collect();
        all.push(("kv", "g06", &conflict));
        let ab = names(&["hh", "kv"]);
        let steps = step_codings(std::slice::from_ref(&j), &[0], &all, &ab, &data.terrain);
        assert_eq!(steps.len(), 3);
        let a = agreement(&ab, &steps, &["y", "x"]);
        let codes: Vec<&str> = a.per_code.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["y", "x"], "catalogue order, z on no unit");
        // x: hh 1,0,1; kv 1,0,0 → 2 of 3 agree.
        let x = &a.per_code[1];
        assert_eq!(x.used, [2, 1]);
        near(x.figures.percent, 2.0 / 3.0);
        // y: hh 1,1,1; kv 0,1,0 → 1 of 3 agree. Pooled: six units (3 steps × 2 codes), 3
        // agree.
        near(a.per_code[0].figures.percent, 1.0 / 3.0);
        assert_eq!(a.overall.units, 6);
        near(a.overall.percent, 3.0 / 6.0);
        // Step 3 differs on both codes, step 1 on one; step 2 agrees.
        let worst: Vec<(&str, usize)> = a
            .disagreements
            .iter()
            .map(|d| (&*d.step.step, d.differing.len()))
            .collect();
        assert_eq!(worst, [(s(2).as_str(), 2), (s(0).as_str(), 1)]);
        let differing: Vec<&str> = a.disagreements[0].differing.iter().map(|c| &**c).collect();
        assert_eq!(differing, ["y", "x"]);
        // y differs on steps 1 and 3: both hold one id, not a string each.
        let (first, second) = (&a.disagreements[0], &a.disagreements[1]);
        assert!(Arc::ptr_eq(&first.differing[0], &second.differing[0]));
        assert!(Arc::ptr_eq(&first.step.journey, &second.step.journey));
    }
}
