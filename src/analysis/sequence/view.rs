//! What the sequences screen shows, computed in one place from the journeys in view: their
//! sequences, the distance matrix, a typology for each number of clusters tried with its
//! quality, the rows of the index plot, the cross-table against themes, the state
//! distributions, the transition rates, entropy and turbulence.
//!
//! The work is split in two. [`Base`] is everything that does not depend on the number of
//! clusters shown — the matrix (the slow part: every pair of journeys) and a PAM clustering
//! for every k of [`KS`] — and is shared ([`Arc`]) from one view to the next, so that changing
//! k costs a cross-table and a sort. [`SequenceView`] is the rest, for one k.
//!
//! [`Progress`] is how a caller on another thread follows the work and stops it when the
//! result is no longer wanted. No terminal code and no I/O here.

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

use super::alphabet::{By, CodeClass, Sequences};
use super::cluster::{self, Clustering, CrossTable, Quality};
use super::distance::{self, Costs, Matrix, Method, Norm, Options, Sm};
use super::plots::{self, Distribution};
use crate::model::Journey;

/// The numbers of clusters tried, the quality table's rows.
pub const KS: RangeInclusive<usize> = 2..=8;

/// The number of clusters shown first: the four themes of the chapter the data set comes from.
pub const DEFAULT_K: usize = 4;

/// The distances the screen offers, in the order a key cycles through them. Hamming and DHD
/// are left to the command line: they need journeys of equal lengths, which journeys seldom
/// are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Optimal matching, substitution 2 and indel 1 (TraMineR's `sm = "CONSTANT"`).
    #[default]
    OmConstant,
    /// Optimal matching with costs from the transition rates.
    OmTrate,
    /// Optimal matching with Gower's distance between the kinds' movement features.
    OmFeatures,
    /// Longest common subsequence.
    Lcs,
}

impl Measure {
    pub fn next(self) -> Measure {
        match self {
            Measure::OmConstant => Measure::OmTrate,
            Measure::OmTrate => Measure::OmFeatures,
            Measure::OmFeatures => Measure::Lcs,
            Measure::Lcs => Measure::OmConstant,
        }
    }

    /// A few words for headers: "OM, constant costs".
    pub fn label(self) -> &'static str {
        match self {
            Measure::OmConstant => "OM, constant costs",
            Measure::OmTrate => "OM, transition-rate costs",
            Measure::OmFeatures => "OM, feature costs",
            Measure::Lcs => "LCS",
        }
    }

    /// The distance options, as `terreng seq dist` takes them (no normalisation, indel auto).
    pub fn options(self) -> Options {
        let (method, sm) = match self {
            Measure::OmConstant => (Method::Om, Sm::Constant),
            Measure::OmTrate => (Method::Om, Sm::Trate),
            Measure::OmFeatures => (Method::Om, Sm::Features),
            Measure::Lcs => (Method::Lcs, Sm::Constant),
        };
        Options {
            method,
            sm,
            sub_cost: None,
            indel: None,
            norm: Norm::None,
        }
    }
}

/// A distance between journeys as the sequences screen chooses it: the channel the states are
/// read from and the measure. The compare screen's "most like" list uses the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeqDistance {
    pub by: By,
    pub measure: Measure,
}

impl SeqDistance {
    /// "OM, constant costs, by kind".
    pub fn label(self) -> String {
        format!("{}, {}", self.measure.label(), channel_label(self.by))
    }
}

/// The next channel, for a key that cycles them: kind, codes, both.
pub fn next_channel(by: By) -> By {
    match by {
        By::Kind => By::Codes,
        By::Codes => By::Both,
        By::Both => By::Kind,
    }
}

/// A channel in a few words.
pub fn channel_label(by: By) -> &'static str {
    match by {
        By::Kind => "by kind",
        By::Codes => "by obstacles",
        By::Both => "by kind and obstacles",
    }
}

/// What the work has reached, for a progress line; and the flag that stops it.
#[derive(Debug, Default)]
pub struct Progress {
    /// 0 reading the sequences, 1 distances, 2 clusters.
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
    stop: AtomicBool,
}

impl Progress {
    /// Asks the work to stop: its result is no longer wanted.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn set(&self, stage: u8, done: usize, total: usize) {
        self.stage.store(stage, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// "distances 45 % (900,000 of 2,000,000 pairs)", or the stage reached.
    pub fn line(&self) -> String {
        let (done, total) = (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        let pct = (done * 100).checked_div(total).unwrap_or(0);
        match self.stage.load(Ordering::Relaxed) {
            0 => "reading the sequences".to_string(),
            1 => format!(
                "distances {pct} % ({} of {} pairs)",
                thousands(done),
                thousands(total)
            ),
            _ => format!("clusters: {done} of {total} numbers of clusters"),
        }
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One number of clusters tried.
#[derive(Debug, Clone, PartialEq)]
pub struct Tried {
    pub clustering: Clustering,
    pub quality: Quality,
}

/// What does not depend on the number of clusters shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Base {
    pub by: By,
    pub measure: Measure,
    pub seqs: Sequences,
    pub costs: Costs,
    pub matrix: Matrix,
    /// A PAM clustering and its quality for each k of [`KS`] up to the number of journeys.
    pub tried: Vec<Tried>,
    /// Each journey's turbulence, by position in `seqs`.
    pub turbulence: Vec<f64>,
    /// `rates[a][b]`, over the journeys in view.
    pub rates: Vec<Vec<f64>>,
    /// The state distribution (and entropy) of every journey in view.
    pub all: Distribution,
}

/// Everything the sequences screen draws.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceView {
    pub base: Arc<Base>,
    /// The journeys in view, as indices into the data set, by position in the sequences.
    pub journeys: Vec<usize>,
    /// The number of clusters shown (at most the number of journeys).
    pub k: usize,
    pub clustering: Clustering,
    pub quality: Option<Quality>,
    /// The rows of the index plot: positions in the sequences, by cluster, then distance to
    /// the medoid, then id.
    pub order: Vec<usize>,
    /// Each journey's distance to its cluster's medoid, by position.
    pub to_medoid: Vec<f32>,
    /// Themes (rows) against clusters (columns), with Cramér's V and the adjusted Rand index.
    pub themes: CrossTable,
    /// The state distribution of each cluster.
    pub clusters: Vec<Distribution>,
}

impl SequenceView {
    pub fn seqs(&self) -> &Sequences {
        &self.base.seqs
    }

    /// The data-set journey and the step index under row `row` (of the plot) and step `t`.
    pub fn at(&self, row: usize, t: usize) -> Option<(usize, usize)> {
        let pos = *self.order.get(row)?;
        (t < self.base.seqs.seqs[pos].len()).then(|| (self.journeys[pos], t))
    }

    /// The row of the plot that shows data-set journey `journey`.
    pub fn row_of(&self, journey: usize) -> Option<usize> {
        let pos = self.journeys.iter().position(|&j| j == journey)?;
        self.order.iter().position(|&p| p == pos)
    }
}

/// The part that does not depend on k; `None` when `progress` was stopped.
pub fn base(
    journeys: &[&Journey],
    by: By,
    measure: Measure,
    progress: &Progress,
) -> anyhow::Result<Option<Base>> {
    progress.set(0, 0, 0);
    let seqs = Sequences::build(journeys, by, CodeClass::Obstacles);
    let costs = distance::costs(&seqs, &measure.options())?;
    let n = seqs.len();
    progress.set(1, 0, n * n.saturating_sub(1) / 2);
    let Some(matrix) = distance::matrix_until(
        &seqs,
        &costs,
        &|done, total| progress.set(1, done, total),
        &progress.stop,
    ) else {
        return Ok(None);
    };
    let ks: Vec<usize> = if n >= 2 {
        (*KS.start()..=(*KS.end()).min(n)).collect()
    } else {
        Vec::new()
    };
    let mut tried = Vec::with_capacity(ks.len());
    for (done, &k) in ks.iter().enumerate() {
        if progress.stopped() {
            return Ok(None);
        }
        progress.set(2, done, ks.len());
        let clustering = cluster::pam(&matrix, k);
        if clustering.k == k {
            let quality = cluster::quality(&matrix, &clustering);
            tried.push(Tried {
                clustering,
                quality,
            });
        }
    }
    let turbulence = seqs.seqs.iter().map(|s| plots::turbulence(s)).collect();
    let rates = plots::transition_rates(&seqs);
    let everyone: Vec<usize> = (0..n).collect();
    let all = plots::distribution(&seqs, &everyone);
    Ok(Some(Base {
        by,
        measure,
        seqs,
        costs,
        matrix,
        tried,
        turbulence,
        rates,
        all,
    }))
}

/// The view of `base` with `k` clusters (clamped to what was tried; a single cluster when
/// there are fewer than two journeys). `journeys` are the data-set indices of the journeys the
/// base was made from, in its order.
pub fn view(base: Arc<Base>, journeys: Vec<usize>, k: usize) -> SequenceView {
    let n = base.seqs.len();
    let chosen = base
        .tried
        .iter()
        .find(|t| t.clustering.k == k)
        .or_else(|| {
            // The nearest k tried.
            base.tried.iter().min_by_key(|t| t.clustering.k.abs_diff(k))
        })
        .cloned();
    let (clustering, quality) = match chosen {
        Some(t) => (t.clustering, Some(t.quality)),
        None => (cluster::pam(&base.matrix, 1), None),
    };
    let order = if n == 0 {
        Vec::new()
    } else {
        plots::index_order(&base.seqs, &base.matrix, &clustering)
    };
    let to_medoid = (0..n)
        .map(|i| {
            let c = clustering.assignment[i];
            base.matrix.get(i, clustering.medoids[c])
        })
        .collect();
    let labels: Vec<String> = clustering
        .assignment
        .iter()
        .map(|c| (c + 1).to_string())
        .collect();
    // Themes as rows, in the order they come in the plot; clusters as columns, 1 to k.
    let mut rows: Vec<String> = Vec::with_capacity(n);
    let mut cols: Vec<String> = Vec::with_capacity(n);
    for &p in &order {
        rows.push(base.seqs.themes[p].clone());
        cols.push(labels[p].clone());
    }
    let themes = cluster::cross_table(&rows, &cols);
    let clusters = (0..clustering.k)
        .map(|c| {
            let members: Vec<usize> = (0..n).filter(|&i| clustering.assignment[i] == c).collect();
            plots::distribution(&base.seqs, &members)
        })
        .collect();
    SequenceView {
        k: clustering.k,
        base,
        journeys,
        clustering,
        quality,
        order,
        to_medoid,
        themes,
        clusters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{self, DataSource};

    #[test]
    fn the_view_groups_rows_by_cluster_and_keeps_every_k_tried() {
        let data = store::load(&DataSource::Bundled, None);
        let chosen: Vec<usize> = (0..data.journeys.len())
            .filter(|&i| data.journeys[i].id.starts_with('g'))
            .collect();
        let journeys: Vec<&Journey> = chosen.iter().map(|&i| &data.journeys[i]).collect();
        let p = Progress::default();
        let base = base(&journeys, By::Kind, Measure::OmConstant, &p)
            .unwrap()
            .unwrap();
        // The 18 groups have six distinct sequences of kinds (g01 = g04, g02 = g03, g05 = g08,
        // g06 = g07, g09–g13 and g14–g18 alike): more clusters than that cannot be made.
        assert_eq!(
            base.tried
                .iter()
                .map(|t| t.clustering.k)
                .collect::<Vec<_>>(),
            (2..=6).collect::<Vec<_>>()
        );
        let n = journeys.len();
        assert!(p.line().starts_with("clusters"), "{}", p.line());
        let v = view(Arc::new(base), chosen.clone(), 4);
        assert_eq!(v.k, 4);
        assert_eq!(v.order.len(), n);
        // Rows come cluster by cluster, each cluster's medoid first (distance 0).
        let clusters: Vec<usize> = v
            .order
            .iter()
            .map(|&p| v.clustering.assignment[p])
            .collect();
        assert!(clusters.windows(2).all(|w| w[0] <= w[1]), "{clusters:?}");
        for c in 0..v.k {
            let first = v.order[clusters.iter().position(|&x| x == c).unwrap()];
            assert_eq!(first, v.clustering.medoids[c]);
            assert_eq!(v.to_medoid[first], 0.0);
        }
        // The cross-table counts every journey once; themes are its rows.
        let total: usize = v.themes.counts.iter().flatten().sum();
        assert_eq!(total, n);
        assert_eq!(v.themes.cols.len(), 4);
        // A cell maps back to a journey of the data set and one of its steps.
        let (ji, si) = v.at(0, 0).unwrap();
        assert_eq!(ji, chosen[v.order[0]]);
        assert_eq!(si, 0);
        assert_eq!(v.row_of(ji), Some(0));
        // k outside what was tried is the nearest tried.
        let v9 = view(Arc::clone(&v.base), chosen, 8);
        assert_eq!(v9.k, 6);
    }

    #[test]
    fn a_stopped_computation_gives_nothing() {
        let data = store::load(&DataSource::Bundled, None);
        let journeys: Vec<&Journey> = data.journeys.iter().collect();
        let p = Progress::default();
        p.stop();
        assert!(
            base(&journeys, By::Kind, Measure::OmTrate, &p)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn measures_cycle_through_all_four() {
        let mut m = Measure::default();
        let mut seen = vec![m];
        for _ in 0..3 {
            m = m.next();
            seen.push(m);
        }
        assert_eq!(m.next(), Measure::default());
        seen.dedup();
        assert_eq!(seen.len(), 4);
        assert_eq!(Measure::OmTrate.options().sm, Sm::Trate);
        assert_eq!(thousands(2_000_000), "2,000,000");
        assert_eq!(thousands(999), "999");
    }
}
