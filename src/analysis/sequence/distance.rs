//! Distances between sequences, equal to TraMineR's definitions, and the distance matrix.
//!
//! Sources: Gabadinho, A., Ritschard, G., Müller, N. S. & Studer, M. (2011). Analyzing and
//! visualizing state sequences in R with TraMineR. *Journal of Statistical Software* 40(4),
//! 1–37; Studer, M. & Ritschard, G. (2016). What matters in differences between life
//! trajectories: a comparative review of sequence dissimilarity measures. *Journal of the Royal
//! Statistical Society A* 179(2), 481–511; and TraMineR's `seqdist`, `seqcost` and `seqMD`
//! documentation and source (version 2.2), whose rules are followed here to the letter.
//!
//! ## Methods
//!
//! - **OM** (optimal matching): the least total cost of turning `x` (length m) into `y`
//!   (length n) by substitutions (cost `sm[a][b]`, 0 for equal states) and insertions or
//!   deletions (cost `indel` each): `D(i,j) = min(D(i−1,j) + indel, D(i,j−1) + indel,
//!   D(i−1,j−1) + sm[xᵢ][yⱼ])`, `D(i,0) = i·indel`, `D(0,j) = j·indel`.
//! - **LCS**: OM with substitution cost 2 and indel 1, so `d = m + n − 2·LCS(x, y)`.
//! - **HAM** (Hamming): `Σₜ sm[xₜ][yₜ]`, defined only for sequences of equal length (an
//!   error otherwise).
//! - **DHD** (dynamic Hamming, Lesnard 2010): Hamming with a substitution cost per position
//!   from the transition rates around it (below).
//!
//! ## Substitution costs (`seqcost`)
//!
//! - `constant`: `sm[a][b] = C` for `a ≠ b`. C is 2 for OM (`seqdist(sm = "CONSTANT")`) and 1
//!   for HAM unless given; `indel` auto is `C / 2` (as for a cost matrix given to `seqdist`:
//!   `max(sm) / 2`, which for C = 2 is `seqcost`'s indel of 1).
//! - `trate`: `sm[a][b] = 2 − p(a→b) − p(b→a)`, where `p(a→b)` is the share of the
//!   transitions out of `a` (from position t to t + 1, over all sequences in view) that go to
//!   `b`; `indel` auto is `max(sm) / 2`.
//! - `features`: Gower's distance between the states' features (`cluster::daisy(metric =
//!   "gower")`): the mean over features of 0/1 for a nominal feature (direction) and
//!   `|u − v| / range` for a numeric one (forward move), the range taken over the alphabet;
//!   `indel` auto is `max(sm) / 2`. A codes channel has one nominal feature, the codes, so its
//!   cost is 1 between different states.
//! - DHD always uses time-varying transition-rate costs with `cval = 4` (`seqcost(method =
//!   "TRATE", time.varying = TRUE, transition = "both")`): at a position t strictly inside the
//!   sequence, `sm_t[a][b] = 4 − p_{t−1}(a→b) − p_{t−1}(b→a) − p_t(a→b) − p_t(b→a)`; at the
//!   first position `4 − 2·(p_1(a→b) + p_1(b→a))`, at the last `4 − 2·(p_{T−1}(a→b) +
//!   p_{T−1}(b→a))`, never below 0; `p_t` are the transition rates from t to t + 1.
//!
//! With two channels (kind and codes), costs are combined as `seqMD` does with
//! `link = "sum"` and unit weights: `sm[(a₁,a₂)][(b₁,b₂)] = sm₁[a₁][b₁] + sm₂[a₂][b₂]` and
//! `indel = indel₁ + indel₂`, each channel's costs and auto indel computed on its own; a
//! given indel applies to each channel.
//!
//! ## Normalisation (the C code's `normalizeDistance`)
//!
//! With `d` the raw distance, `M` the largest possible distance and `l₁`, `l₂` the lengths
//! measured in cost (0 when `d` = 0):
//!
//! - `maxlength`: `d / max(l₁, l₂)`;
//! - `gmean`: `1 − (M − d) / (2·√(l₁·l₂))`;
//! - `maxdist`: `d / M`;
//! - `YujianBo`: `2d / (d + M)`.
//!
//! For OM and LCS, `l₁ = m·indel`, `l₂ = n·indel` and `M = |m − n|·indel + S·min(m, n)`
//! with `S = min(max sm, 2·indel)` (for `YujianBo`, `S = 2·indel`, Yujian & Bo 2007). For
//! HAM and DHD, `M = l₁ = l₂ = Σₜ maxₐ,ᵦ sm_t[a][b]`. `auto` is `maxlength` for OM, HAM and
//! DHD and `gmean` for LCS (so normalised LCS is `1 − LCS(x,y)/√(m·n)`).
//!
//! ## The matrix
//!
//! [`matrix`] computes every pair on every core (rayon) into a condensed `f32` triangle, the
//! pairs `(0,1), (0,2), …, (0,n−1), (1,2), …` as R's `dist` and SciPy's `pdist` order them,
//! reporting progress through a callback. No terminal code and no I/O here.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context, bail};
use rayon::prelude::*;
use serde::Serialize;

use super::alphabet::{Channel, Sequences};

/// How two sequences are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Optimal matching.
    #[default]
    Om,
    /// Longest common subsequence.
    Lcs,
    /// Hamming (equal lengths only).
    Ham,
    /// Dynamic Hamming (equal lengths only).
    Dhd,
}

/// Substitution costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Sm {
    /// One cost for every pair of different states.
    #[default]
    Constant,
    /// From the transition rates: 2 − p(a→b) − p(b→a).
    Trate,
    /// Gower's distance between the states' movement features.
    Features,
}

/// Normalisation, as TraMineR names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Norm {
    #[default]
    None,
    /// maxlength for OM, HAM and DHD; gmean for LCS.
    Auto,
    Maxlength,
    Gmean,
    Maxdist,
    #[value(name = "yujianbo", alias = "YujianBo")]
    YujianBo,
}

/// Everything that decides a distance.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Options {
    pub method: Method,
    pub sm: Sm,
    /// The constant substitution cost (default 2 for OM, 1 for HAM).
    pub sub_cost: Option<f64>,
    /// The indel cost; `None` is `auto`.
    pub indel: Option<f64>,
    pub norm: Norm,
}

/// The costs for one set of sequences, over its combined alphabet.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    /// The alphabet size.
    pub a: usize,
    /// Positions of time-varying costs (DHD); 1 for fixed costs.
    pub positions: usize,
    /// `sm[t·a·a + x·a + y]`.
    pub sm: Vec<f64>,
    pub indel: f64,
    pub method: Method,
    /// The normalisation after `auto` is resolved.
    pub norm: Norm,
}

impl Costs {
    /// The cost of substituting `x` by `y` at position `t` (any `t` for fixed costs).
    pub fn sub(&self, x: u32, y: u32, t: usize) -> f64 {
        let t = if self.positions == 1 { 0 } else { t };
        self.sm[t * self.a * self.a + x as usize * self.a + y as usize]
    }

    /// The largest substitution cost at position `t`.
    fn max_at(&self, t: usize) -> f64 {
        let aa = self.a * self.a;
        self.sm[t * aa..(t + 1) * aa]
            .iter()
            .copied()
            .fold(0.0, f64::max)
    }
}

/// Transition rates of one channel, over all positions: `p[a][b]`.
pub fn transition_rates(alphabet: usize, seqs: &[Vec<u32>]) -> Vec<f64> {
    let mut count = vec![0.0; alphabet * alphabet];
    let mut from = vec![0.0; alphabet];
    for s in seqs {
        for w in s.windows(2) {
            count[w[0] as usize * alphabet + w[1] as usize] += 1.0;
            from[w[0] as usize] += 1.0;
        }
    }
    for a in 0..alphabet {
        for b in 0..alphabet {
            if from[a] > 0.0 {
                count[a * alphabet + b] /= from[a];
            }
        }
    }
    count
}

/// Transition rates from position t to t + 1, for each t: `p[t][a][b]`.
fn transition_rates_by_position(alphabet: usize, seqs: &[Vec<u32>], len: usize) -> Vec<f64> {
    let aa = alphabet * alphabet;
    let steps = len.saturating_sub(1);
    let mut out = vec![0.0; aa * steps];
    for t in 0..steps {
        let mut from = vec![0.0; alphabet];
        for s in seqs {
            out[t * aa + s[t] as usize * alphabet + s[t + 1] as usize] += 1.0;
            from[s[t] as usize] += 1.0;
        }
        for a in 0..alphabet {
            for b in 0..alphabet {
                if from[a] > 0.0 {
                    out[t * aa + a * alphabet + b] /= from[a];
                }
            }
        }
    }
    out
}

/// One channel's fixed substitution costs and auto indel.
fn channel_costs(c: &Channel, sm: Sm, method: Method, sub_cost: Option<f64>) -> (Vec<f64>, f64) {
    let a = c.alphabet.len();
    let mut m = vec![0.0; a * a];
    match sm {
        Sm::Constant => {
            let cost = sub_cost.unwrap_or(if method == Method::Ham { 1.0 } else { 2.0 });
            for x in 0..a {
                for y in 0..a {
                    if x != y {
                        m[x * a + y] = cost;
                    }
                }
            }
            // seqdist with a cost matrix: indel = max(sm) / 2.
            (m, cost / 2.0)
        }
        Sm::Trate => {
            let p = transition_rates(a, &c.seqs);
            for x in 0..a {
                for y in 0..a {
                    if x != y {
                        m[x * a + y] = 2.0 - p[x * a + y] - p[y * a + x];
                    }
                }
            }
            let max = m.iter().copied().fold(0.0, f64::max);
            (m, max / 2.0)
        }
        Sm::Features => {
            match &c.features {
                Some(f) => {
                    let (lo, hi) = f.iter().fold((f64::MAX, f64::MIN), |(lo, hi), m| {
                        (lo.min(m.forward), hi.max(m.forward))
                    });
                    let range = hi - lo;
                    for x in 0..a {
                        for y in 0..a {
                            let nominal = if f[x].direction == f[y].direction {
                                0.0
                            } else {
                                1.0
                            };
                            let numeric = if range > 0.0 {
                                (f[x].forward - f[y].forward).abs() / range
                            } else {
                                0.0
                            };
                            m[x * a + y] = (nominal + numeric) / 2.0;
                        }
                    }
                }
                None => {
                    for x in 0..a {
                        for y in 0..a {
                            if x != y {
                                m[x * a + y] = 1.0;
                            }
                        }
                    }
                }
            }
            let max = m.iter().copied().fold(0.0, f64::max);
            (m, max / 2.0)
        }
    }
}

/// DHD's time-varying costs for one channel (`cval = 4`, transition "both").
fn channel_costs_dhd(c: &Channel, len: usize) -> Vec<f64> {
    let a = c.alphabet.len();
    let aa = a * a;
    let p = transition_rates_by_position(a, &c.seqs, len);
    let rate = |t: usize, x: usize, y: usize| p[t * aa + x * a + y] + p[t * aa + y * a + x];
    let mut out = vec![0.0; aa * len];
    for t in 0..len {
        let debut = t == 0;
        let fin = t + 1 == len;
        for x in 0..a {
            for y in 0..a {
                if x == y {
                    continue;
                }
                let mut cost = 0.0;
                if !debut {
                    cost -= rate(t - 1, x, y);
                }
                if !fin {
                    cost -= rate(t, x, y);
                }
                let v = if !debut && !fin {
                    4.0 + cost
                } else {
                    4.0 + 2.0 * cost
                };
                out[t * aa + x * a + y] = v.max(0.0);
            }
        }
    }
    out
}

/// The common length of every sequence, or an error naming two that differ.
fn equal_length(seqs: &Sequences, method: &str) -> anyhow::Result<usize> {
    let len = seqs.seqs.first().map_or(0, Vec::len);
    if let Some(i) = seqs.seqs.iter().position(|s| s.len() != len) {
        bail!(
            "{method} is defined only for sequences of equal length: '{}' has {} steps and '{}' has {}",
            seqs.ids[0],
            len,
            seqs.ids[i],
            seqs.seqs[i].len()
        );
    }
    Ok(len)
}

/// The costs `opts` give for `seqs`.
pub fn costs(seqs: &Sequences, opts: &Options) -> anyhow::Result<Costs> {
    let a = seqs.alphabet.len();
    let aa = a * a;
    let norm = match opts.norm {
        Norm::Auto => match opts.method {
            Method::Lcs => Norm::Gmean,
            _ => Norm::Maxlength,
        },
        n => n,
    };
    if let Some(c) = opts.sub_cost
        && !(c.is_finite() && c >= 0.0)
    {
        bail!("the substitution cost must be a number ≥ 0, not {c}");
    }
    if let Some(i) = opts.indel
        && !(i.is_finite() && i > 0.0)
    {
        bail!("the indel cost must be a number > 0, not {i}");
    }
    match opts.method {
        Method::Lcs => {
            let mut sm = vec![2.0; aa];
            for x in 0..a {
                sm[x * a + x] = 0.0;
            }
            Ok(Costs {
                a,
                positions: 1,
                sm,
                indel: 1.0,
                method: Method::Lcs,
                norm,
            })
        }
        Method::Dhd => {
            let len = equal_length(seqs, "DHD")?;
            let per: Vec<Vec<f64>> = seqs
                .channels
                .iter()
                .map(|c| channel_costs_dhd(c, len))
                .collect();
            let mut sm = vec![0.0; aa * len.max(1)];
            for t in 0..len {
                for (x, px) in seqs.parts.iter().enumerate() {
                    for (y, py) in seqs.parts.iter().enumerate() {
                        sm[t * aa + x * a + y] = seqs
                            .channels
                            .iter()
                            .enumerate()
                            .map(|(c, ch)| {
                                let ca = ch.alphabet.len();
                                per[c][t * ca * ca + px[c] as usize * ca + py[c] as usize]
                            })
                            .sum();
                    }
                }
            }
            Ok(Costs {
                a,
                positions: len.max(1),
                sm,
                indel: 1.0,
                method: Method::Dhd,
                norm,
            })
        }
        Method::Om | Method::Ham => {
            if opts.method == Method::Ham {
                equal_length(seqs, "Hamming distance")?;
            }
            let per: Vec<(Vec<f64>, f64)> = seqs
                .channels
                .iter()
                .map(|c| channel_costs(c, opts.sm, opts.method, opts.sub_cost))
                .collect();
            let mut sm = vec![0.0; aa];
            for (x, px) in seqs.parts.iter().enumerate() {
                for (y, py) in seqs.parts.iter().enumerate() {
                    sm[x * a + y] = seqs
                        .channels
                        .iter()
                        .enumerate()
                        .map(|(c, ch)| {
                            let ca = ch.alphabet.len();
                            per[c].0[px[c] as usize * ca + py[c] as usize]
                        })
                        .sum();
                }
            }
            let indel = match opts.indel {
                Some(v) => v * seqs.channels.len() as f64,
                None => per.iter().map(|(_, i)| i).sum(),
            };
            Ok(Costs {
                a,
                positions: 1,
                sm,
                indel,
                method: opts.method,
                norm,
            })
        }
    }
}

/// TraMineR's `normalizeDistance`.
fn normalize(norm: Norm, raw: f64, maxdist: f64, l1: f64, l2: f64) -> f64 {
    if raw == 0.0 {
        return 0.0;
    }
    match norm {
        Norm::None | Norm::Auto => raw,
        Norm::Maxlength => {
            if l1 > l2 {
                raw / l1
            } else if l2 > 0.0 {
                raw / l2
            } else {
                0.0
            }
        }
        Norm::Gmean => {
            if l1 * l2 == 0.0 {
                return if l1 != l2 { 1.0 } else { 0.0 };
            }
            1.0 - (maxdist - raw) / (2.0 * l1.sqrt() * l2.sqrt())
        }
        Norm::Maxdist => {
            if maxdist == 0.0 {
                1.0
            } else {
                raw / maxdist
            }
        }
        Norm::YujianBo => {
            if maxdist == 0.0 {
                1.0
            } else {
                2.0 * raw / (raw + maxdist)
            }
        }
    }
}

/// What one thread reuses between pairs.
#[derive(Debug, Default)]
pub struct Workspace {
    prev: Vec<f64>,
    cur: Vec<f64>,
    /// The same for [`LANES`] pairs at once.
    lanes_prev: Vec<[f64; LANES]>,
    lanes_cur: Vec<[f64; LANES]>,
    lanes_y: Vec<[u32; LANES]>,
}

/// How many pairs of a matrix row [`om_raw_lanes`] computes at once.
pub const LANES: usize = 4;

/// The smaller of two costs. Costs are never NaN, so this is `f64::min` without the NaN
/// handling, which costs several instructions more on the critical path of the table.
#[inline(always)]
fn least(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// The precomputed pieces of a distance that do not depend on the pair.
#[derive(Debug, Clone)]
pub struct Calculator<'a> {
    pub costs: &'a Costs,
    /// OM: the largest substitution cost that counts toward the maximum distance.
    maxscost: f64,
    /// HAM and DHD: the largest possible distance.
    maxdist: f64,
}

impl<'a> Calculator<'a> {
    pub fn new(costs: &'a Costs) -> Calculator<'a> {
        let maxscost = if costs.norm == Norm::YujianBo {
            2.0 * costs.indel
        } else {
            costs.max_at(0).min(2.0 * costs.indel)
        };
        let maxdist = (0..costs.positions).map(|t| costs.max_at(t)).sum::<f64>();
        Calculator {
            costs,
            maxscost,
            maxdist,
        }
    }

    /// The (normalised) distance between `x` and `y`.
    pub fn distance(&self, ws: &mut Workspace, x: &[u32], y: &[u32]) -> f64 {
        let c = self.costs;
        match c.method {
            Method::Om | Method::Lcs => self.om_finish(om_raw(c, ws, x, y), x.len(), y.len()),
            Method::Ham | Method::Dhd => {
                let raw: f64 = x
                    .iter()
                    .zip(y)
                    .enumerate()
                    .map(|(t, (&a, &b))| c.sub(a, b, t))
                    .sum();
                // Fixed costs (HAM) are the same at every position.
                let maxdist = if c.positions == 1 {
                    x.len() as f64 * self.maxdist
                } else {
                    self.maxdist
                };
                normalize(c.norm, raw, maxdist, maxdist, maxdist)
            }
        }
    }
}

impl Calculator<'_> {
    /// An OM or LCS distance from its raw value and the two lengths.
    fn om_finish(&self, raw: f64, m: usize, n: usize) -> f64 {
        let c = self.costs;
        let (m, n) = (m as f64, n as f64);
        let maxdist = (m - n).abs() * c.indel + self.maxscost * m.min(n);
        normalize(c.norm, raw, maxdist, m * c.indel, n * c.indel)
    }

    /// The distances between `x` and each of `ys` into `out`: [`LANES`] at a time for OM and
    /// LCS, whose tables are then filled side by side (see [`om_raw_lanes`]).
    fn distances(&self, ws: &mut Workspace, x: &[u32], ys: &[Vec<u32>], out: &mut [f32]) {
        let lanes = matches!(self.costs.method, Method::Om | Method::Lcs);
        let mut k = 0;
        if lanes {
            while k + LANES <= ys.len() {
                let batch: [&[u32]; LANES] = std::array::from_fn(|l| ys[k + l].as_slice());
                let raw = om_raw_lanes(self.costs, ws, x, batch);
                for l in 0..LANES {
                    out[k + l] = self.om_finish(raw[l], x.len(), batch[l].len()) as f32;
                }
                k += LANES;
            }
        }
        for (o, y) in out[k..].iter_mut().zip(&ys[k..]) {
            *o = self.distance(ws, x, y) as f32;
        }
    }
}

/// The raw OM distance, on two rows of the dynamic-programming table, after skipping the
/// common prefix and suffix (which cost nothing, as in TraMineR's C code).
///
/// Each cell is `min(min(up + indel, diag + sub), left + indel)`: the same minimum as
/// `min(min(up, left) + indel, diag + sub)`, to the last bit (adding the indel cost is
/// monotone, and so is its rounding), but only two operations long on the chain from one cell
/// to the next along a row, which is what bounds the speed of the table.
fn om_raw(c: &Costs, ws: &mut Workspace, x: &[u32], y: &[u32]) -> f64 {
    let mut lo = 0;
    while lo < x.len() && lo < y.len() && x[lo] == y[lo] {
        lo += 1;
    }
    let (mut hx, mut hy) = (x.len(), y.len());
    while hx > lo && hy > lo && x[hx - 1] == y[hy - 1] {
        hx -= 1;
        hy -= 1;
    }
    let (x, y) = (&x[lo..hx], &y[lo..hy]);
    let indel = c.indel;
    let n = y.len();
    ws.prev.clear();
    ws.prev.extend((0..=n).map(|j| j as f64 * indel));
    ws.cur.clear();
    ws.cur.resize(n + 1, 0.0);
    let a = c.a;
    for (i, &xi) in x.iter().enumerate() {
        // The substitution costs from xi; sm[xi][xi] is 0, so equal states cost nothing.
        let row = &c.sm[xi as usize * a..(xi as usize + 1) * a];
        let mut left = (i + 1) as f64 * indel;
        let mut diag = ws.prev[0];
        ws.cur[0] = left;
        for ((cell, &up), &yj) in ws.cur[1..].iter_mut().zip(&ws.prev[1..]).zip(y) {
            let v = least(least(up + indel, diag + row[yj as usize]), left + indel);
            diag = up;
            left = v;
            *cell = v;
        }
        std::mem::swap(&mut ws.prev, &mut ws.cur);
    }
    ws.prev[n]
}

/// The raw OM distances between `x` and [`LANES`] sequences at once: their tables filled side
/// by side, cell by cell, so that the processor works on four independent chains instead of
/// waiting on one. The shorter sequences are padded to the longest; a table's cells past its
/// own length do not reach back into it, so each distance is read at its own last column. The
/// common prefix and suffix are not skipped here (they cost nothing either way).
fn om_raw_lanes(c: &Costs, ws: &mut Workspace, x: &[u32], ys: [&[u32]; LANES]) -> [f64; LANES] {
    let n = ys.iter().map(|y| y.len()).max().unwrap_or(0);
    let indel = c.indel;
    ws.lanes_y.clear();
    ws.lanes_y
        .extend((0..n).map(|j| std::array::from_fn(|l| ys[l].get(j).copied().unwrap_or(0))));
    ws.lanes_prev.clear();
    ws.lanes_prev
        .extend((0..=n).map(|j| [j as f64 * indel; LANES]));
    ws.lanes_cur.clear();
    ws.lanes_cur.resize(n + 1, [0.0; LANES]);
    let a = c.a;
    for (i, &xi) in x.iter().enumerate() {
        let row = &c.sm[xi as usize * a..(xi as usize + 1) * a];
        let mut left = [(i + 1) as f64 * indel; LANES];
        let mut diag = ws.lanes_prev[0];
        ws.lanes_cur[0] = left;
        for ((cell, &up), yj) in ws.lanes_cur[1..]
            .iter_mut()
            .zip(&ws.lanes_prev[1..])
            .zip(&ws.lanes_y)
        {
            let v: [f64; LANES] = std::array::from_fn(|l| {
                least(
                    least(up[l] + indel, diag[l] + row[yj[l] as usize]),
                    left[l] + indel,
                )
            });
            diag = up;
            left = v;
            *cell = v;
        }
        std::mem::swap(&mut ws.lanes_prev, &mut ws.lanes_cur);
    }
    std::array::from_fn(|l| ws.lanes_prev[ys[l].len()][l])
}

/// A condensed distance matrix: the upper triangle without the diagonal, row by row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    pub n: usize,
    pub data: Vec<f32>,
}

impl Matrix {
    /// The index of pair `(i, j)`, `i < j`, in the condensed triangle.
    pub fn index(n: usize, i: usize, j: usize) -> usize {
        n * i - i * (i + 1) / 2 + j - i - 1
    }

    /// The distance between `i` and `j` (0 on the diagonal).
    pub fn get(&self, i: usize, j: usize) -> f32 {
        match i.cmp(&j) {
            std::cmp::Ordering::Equal => 0.0,
            std::cmp::Ordering::Less => self.data[Matrix::index(self.n, i, j)],
            std::cmp::Ordering::Greater => self.data[Matrix::index(self.n, j, i)],
        }
    }
}

/// The distance matrix of `seqs` under `opts`, on every core. `progress(done, total)` counts
/// pairs and is called from the worker threads.
pub fn matrix(
    seqs: &Sequences,
    opts: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> anyhow::Result<Matrix> {
    let costs = costs(seqs, opts)?;
    Ok(matrix_with(seqs, &costs, progress))
}

/// The distance matrix with costs already made.
pub fn matrix_with(
    seqs: &Sequences,
    costs: &Costs,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Matrix {
    let never = AtomicBool::new(false);
    match matrix_until(seqs, costs, progress, &never) {
        Some(m) => m,
        None => unreachable!("a matrix no one can stop is always finished"),
    }
}

/// [`matrix_with`], given up (`None`) as soon as `stop` is set: a caller whose result is no
/// longer wanted sets it, and the rows not yet begun are skipped.
pub fn matrix_until(
    seqs: &Sequences,
    costs: &Costs,
    progress: &(dyn Fn(usize, usize) + Sync),
    stop: &AtomicBool,
) -> Option<Matrix> {
    let n = seqs.len();
    let total = n * n.saturating_sub(1) / 2;
    let mut data = vec![0f32; total];
    let calc = Calculator::new(costs);
    let mut rows: Vec<(usize, &mut [f32])> = Vec::with_capacity(n);
    let mut rest = &mut data[..];
    for i in 0..n.saturating_sub(1) {
        let (row, tail) = rest.split_at_mut(n - 1 - i);
        rows.push((i, row));
        rest = tail;
    }
    let done = AtomicUsize::new(0);
    rows.into_par_iter()
        .for_each_init(Workspace::default, |ws, (i, row)| {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            calc.distances(ws, &seqs.seqs[i], &seqs.seqs[i + 1..], row);
            let d = done.fetch_add(row.len(), Ordering::Relaxed) + row.len();
            progress(d, total);
        });
    (!stop.load(Ordering::Relaxed)).then_some(Matrix { n, data })
}

/// Every other sequence of `seqs` by its distance to sequence `of`, nearest first (ties by
/// position), computed on every core.
pub fn nearest(seqs: &Sequences, costs: &Costs, of: usize) -> Vec<(usize, f64)> {
    let Some(x) = seqs.seqs.get(of) else {
        return Vec::new();
    };
    let calc = Calculator::new(costs);
    let mut out: Vec<(usize, f64)> = (0..seqs.len())
        .into_par_iter()
        .filter(|&i| i != of)
        .map_init(Workspace::default, |ws, i| {
            (i, calc.distance(ws, x, &seqs.seqs[i]))
        })
        .collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    out
}

/// The distance between two journeys of `seqs`, by position.
pub fn between(seqs: &Sequences, costs: &Costs, i: usize, j: usize) -> f64 {
    Calculator::new(costs).distance(&mut Workspace::default(), &seqs.seqs[i], &seqs.seqs[j])
}

/// Parses `auto` or a number, for the command line's `--indel`.
pub fn parse_indel(s: &str) -> anyhow::Result<Option<f64>> {
    if s.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    let v: f64 = s
        .parse()
        .with_context(|| format!("--indel takes a number or 'auto', not '{s}'"))?;
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(seqs: &Sequences, opts: Options, i: usize, j: usize) -> f64 {
        let c = costs(seqs, &opts).unwrap();
        between(seqs, &c, i, j)
    }

    fn om(sub: f64, indel: f64, norm: Norm) -> Options {
        Options {
            method: Method::Om,
            sm: Sm::Constant,
            sub_cost: Some(sub),
            indel: Some(indel),
            norm,
        }
    }

    #[test]
    fn om_by_hand() {
        let s = Sequences::from_letters(&["ABC", "ACB", "AB", "ABC"]);
        // ABC → ACB: keep A; substitute B→C and C→B costs 2+2 = 4; or delete B, keep C,
        // insert B costs 1+1 = 2. The minimum is 2.
        assert_eq!(d(&s, om(2.0, 1.0, Norm::None), 0, 1), 2.0);
        // ABC → AB: delete C, 1.
        assert_eq!(d(&s, om(2.0, 1.0, Norm::None), 0, 2), 1.0);
        // Identical sequences: 0.
        assert_eq!(d(&s, om(2.0, 1.0, Norm::None), 0, 3), 0.0);
        // With substitutions cheap (1 < 2·indel of 2): ABC → ACB is two substitutions, 2;
        // through indels it would be 4.
        assert_eq!(d(&s, om(1.0, 2.0, Norm::None), 0, 1), 2.0);
        // maxlength: 2 / max(3·1, 3·1) = 0.6667.
        assert!((d(&s, om(2.0, 1.0, Norm::Maxlength), 0, 1) - 2.0 / 3.0).abs() < 1e-12);
        // ABC vs AB under maxlength: 1 / max(3, 2) = 1/3.
        assert!((d(&s, om(2.0, 1.0, Norm::Auto), 0, 2) - 1.0 / 3.0).abs() < 1e-12);
        // YujianBo: M = |3−2|·1 + 2·1·min(3,2) = 5; 2·1 / (1 + 5) = 1/3.
        assert!((d(&s, om(2.0, 1.0, Norm::YujianBo), 0, 2) - 1.0 / 3.0).abs() < 1e-12);
        // maxdist, ABC vs ACB: M = 0 + min(2, 2)·3 = 6; 2/6.
        assert!((d(&s, om(2.0, 1.0, Norm::Maxdist), 0, 1) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn indel_auto_is_half_the_constant() {
        let s = Sequences::from_letters(&["AB", "BA"]);
        let c = costs(
            &s,
            &Options {
                sub_cost: Some(3.0),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(c.indel, 1.5);
        // AB → BA: delete A, insert A = 3, or two substitutions = 6; 3.
        assert_eq!(between(&s, &c, 0, 1), 3.0);
    }

    #[test]
    fn lcs_by_hand() {
        let s = Sequences::from_letters(&["ABCD", "ACBD", "XY"]);
        let lcs = |norm| Options {
            method: Method::Lcs,
            norm,
            ..Options::default()
        };
        // LCS(ABCD, ACBD) = 3 (ABD or ACD): d = 4 + 4 − 2·3 = 2.
        assert_eq!(d(&s, lcs(Norm::None), 0, 1), 2.0);
        // gmean: 1 − 3/√(4·4) = 0.25.
        assert!((d(&s, lcs(Norm::Auto), 0, 1) - 0.25).abs() < 1e-12);
        // Nothing in common: d = 4 + 2 = 6, normalised 1 − 0/√8 = 1.
        assert_eq!(d(&s, lcs(Norm::None), 0, 2), 6.0);
        assert!((d(&s, lcs(Norm::Auto), 0, 2) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn hamming_by_hand_and_unequal_lengths_are_an_error() {
        let s = Sequences::from_letters(&["AABB", "ABAB"]);
        let ham = |norm| Options {
            method: Method::Ham,
            norm,
            ..Options::default()
        };
        // Positions 2 and 3 differ: 2 with cost 1 each.
        assert_eq!(d(&s, ham(Norm::None), 0, 1), 2.0);
        // maxlength: 2 / (4 positions · max cost 1) = 0.5.
        assert_eq!(d(&s, ham(Norm::Auto), 0, 1), 0.5);
        let bad = Sequences::from_letters(&["AB", "ABC"]);
        let e = costs(&bad, &ham(Norm::None)).unwrap_err().to_string();
        assert!(e.contains("equal length"), "{e}");
    }

    #[test]
    fn trate_costs_by_hand() {
        // Transitions: A→A, A→B (from AAB); B→A, A→B (from BAB). Out of A: 3 (A→A 1,
        // A→B 2) so p(A→B) = 2/3; out of B: 1 (B→A), p(B→A) = 1.
        // sm[A][B] = 2 − 2/3 − 1 = 1/3; indel auto = (1/3)/2 = 1/6.
        let s = Sequences::from_letters(&["AAB", "BAB"]);
        let c = costs(
            &s,
            &Options {
                sm: Sm::Trate,
                ..Options::default()
            },
        )
        .unwrap();
        assert!((c.sub(0, 1, 0) - 1.0 / 3.0).abs() < 1e-12);
        assert!((c.indel - 1.0 / 6.0).abs() < 1e-12);
        // AAB vs BAB: one substitution at the start, 1/3 (two indels would also be 1/3).
        assert!((between(&s, &c, 0, 1) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn dhd_by_hand() {
        // Two positions. Rates from t=1 to t=2: A→A (from AA), B→A (from BA): p(A→A) = 1,
        // p(B→A) = 1, p(A→B) = 0. At t=1 (first): 4 − 2·(p(A→B) + p(B→A)) = 4 − 2 = 2. At
        // t=2 (last), rates from t=1 again: the same 2. AA vs BA differ at t=1 only: 2.
        // maxlength: 2 / (2 + 2) = 0.5.
        let s = Sequences::from_letters(&["AA", "BA"]);
        let o = |norm| Options {
            method: Method::Dhd,
            norm,
            ..Options::default()
        };
        assert_eq!(d(&s, o(Norm::None), 0, 1), 2.0);
        assert_eq!(d(&s, o(Norm::Auto), 0, 1), 0.5);
    }

    #[test]
    fn features_use_gower() {
        use crate::model::StepKind;
        use crate::model::{Journey, Provenance, Source, Step};
        let step = |id: &str, kind| Step {
            id: id.into(),
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
        };
        let journey = |id: &str, kinds: &[StepKind]| Journey {
            id: id.into(),
            title: String::new(),
            theme: "t".into(),
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
            outcome: "o".into(),
            steps: kinds
                .iter()
                .enumerate()
                .map(|(i, k)| step(&format!("s{i}"), *k))
                .collect(),
        };
        let a = journey("a", &[StepKind::Advance, StepKind::Retreat]);
        let b = journey("b", &[StepKind::Detour, StepKind::Retreat]);
        let s = Sequences::build(&[&a, &b], super::super::By::Kind, Default::default());
        let c = costs(
            &s,
            &Options {
                sm: Sm::Features,
                ..Options::default()
            },
        )
        .unwrap();
        // Alphabet Advance (forward, +10), Detour (sideways, +3), Retreat (back, −10);
        // range of the forward move 20. Advance–Detour: (1 + 7/20) / 2 = 0.675;
        // Advance–Retreat: (1 + 20/20) / 2 = 1, the largest, so indel auto = 0.5.
        assert!((c.sub(0, 1, 0) - 0.675).abs() < 1e-12);
        assert!((c.sub(0, 2, 0) - 1.0).abs() < 1e-12);
        assert!((c.indel - 0.5).abs() < 1e-12);
        // a vs b: substitute Advance by Detour, 0.675 (two indels would cost 1).
        assert!((between(&s, &c, 0, 1) - 0.675).abs() < 1e-12);
    }

    #[test]
    fn the_matrix_is_the_pairs_in_condensed_order() {
        let s = Sequences::from_letters(&["AB", "AC", "B", "ABC"]);
        let o = om(2.0, 1.0, Norm::None);
        let m = matrix(&s, &o, &|_, _| {}).unwrap();
        assert_eq!(m.data.len(), 6);
        for i in 0..4 {
            for j in 0..4 {
                let c = costs(&s, &o).unwrap();
                assert_eq!(
                    m.get(i, j) as f64,
                    if i == j { 0.0 } else { between(&s, &c, i, j) }
                );
            }
        }
        // (0,1): AB vs AC = 2; (1,3): AC vs ABC = 1 (insert B).
        assert_eq!(m.data[Matrix::index(4, 0, 1)], 2.0);
        assert_eq!(m.data[Matrix::index(4, 1, 3)], 1.0);
    }

    /// The matrix fills four tables side by side; each distance must be the one computed
    /// alone (which skips the common prefix and suffix), for sequences of many lengths.
    #[test]
    fn the_matrix_computed_four_pairs_at_a_time_is_the_pairs_one_by_one() {
        let mut seed = 7u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let letters: Vec<String> = (0..23)
            .map(|_| {
                let len = (next() % 13) as usize;
                (0..len)
                    .map(|_| ['A', 'B', 'C', 'D'][(next() % 4) as usize])
                    .collect()
            })
            .collect();
        let refs: Vec<&str> = letters.iter().map(String::as_str).collect();
        let s = Sequences::from_letters(&refs);
        for opts in [
            om(2.0, 1.0, Norm::None),
            om(1.0, 2.0, Norm::Maxlength),
            Options {
                sm: Sm::Trate,
                norm: Norm::Auto,
                ..Options::default()
            },
            Options {
                method: Method::Lcs,
                norm: Norm::Auto,
                ..Options::default()
            },
        ] {
            let m = matrix(&s, &opts, &|_, _| {}).unwrap();
            let c = costs(&s, &opts).unwrap();
            for i in 0..s.len() {
                for j in i + 1..s.len() {
                    let alone = between(&s, &c, i, j) as f32;
                    let d = (m.get(i, j) - alone).abs();
                    assert!(d <= 1e-6 * alone.abs().max(1.0), "{opts:?} {i} {j}: {d}");
                }
            }
        }
    }

    #[test]
    fn two_channels_add_their_costs() {
        // Channel 1: x y; channel 2: 1 2. Combined pairs (x,1) vs (y,2) cost 2 + 2 = 4 with
        // constant costs; indel = 1 + 1 = 2. One substitution (4) or two indels (4): 4.
        let c1 = Channel {
            name: "a".into(),
            alphabet: vec!["x".into(), "y".into()],
            features: None,
            seqs: vec![vec![0], vec![1]],
        };
        let c2 = Channel {
            name: "b".into(),
            alphabet: vec!["1".into(), "2".into()],
            features: None,
            seqs: vec![vec![0], vec![1]],
        };
        let s = Sequences::from_channels(vec![c1, c2]);
        let c = costs(&s, &Options::default()).unwrap();
        assert_eq!(c.indel, 2.0);
        assert_eq!(between(&s, &c, 0, 1), 4.0);
    }
}
