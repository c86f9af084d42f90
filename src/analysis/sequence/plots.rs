//! The data behind the sequence plots: the order of the index plot, the state distribution
//! and entropy per position, the transition rates, and each journey's turbulence.
//!
//! - **State distribution** (TraMineR's `seqstatd`): at each position, the share of the
//!   journeys that reach it in each state.
//! - **Entropy** per position: Shannon's `h = −Σ p·ln p`, divided by `ln |alphabet|` so that it
//!   runs from 0 (everyone in one state) to 1 (`seqstatd(norm = TRUE)`).
//! - **Transition rates** (`seqtrate`): `p(a→b)`, the share of moves out of a that go to b.
//! - **Turbulence** (Elzinga, C. H. 2003, "Combinatorial representations of token
//!   sequences", *Journal of Classification* 22, 87–118; Elzinga & Liefbroer 2007, *European
//!   Journal of Population* 23, 225–250; TraMineR's `seqST`):
//!   `T(x) = log₂(φ(x) · (s²_max + 1) / (s² + 1))`, where φ is the number of distinct
//!   subsequences of the sequence of distinct successive states (the empty one included), s²
//!   the variance of the spells' durations (dividing by the number of spells) and
//!   `s²_max = (k − 1)(1 − t̄)²` for k spells of mean duration t̄.
//!
//! No terminal code and no I/O here.

use serde::Serialize;

use super::alphabet::Sequences;
use super::cluster::Clustering;
use super::distance::{self, Matrix};

/// The rows of the index plot in order: by cluster, then by distance to the cluster's medoid
/// (nearest first), then by id.
pub fn index_order(seqs: &Sequences, m: &Matrix, c: &Clustering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..seqs.len()).collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (c.assignment[a], c.assignment[b]);
        let da = m.get(a, c.medoids[ca]);
        let db = m.get(b, c.medoids[cb]);
        ca.cmp(&cb)
            .then(da.total_cmp(&db))
            .then_with(|| seqs.ids[a].cmp(&seqs.ids[b]))
    });
    order
}

/// The state distribution of some journeys, per position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// `counts[t][state]`.
    pub counts: Vec<Vec<usize>>,
    /// The journeys that reach each position.
    pub reach: Vec<usize>,
    /// Normalised Shannon entropy per position.
    pub entropy: Vec<f64>,
}

impl Distribution {
    pub fn share(&self, t: usize, state: usize) -> f64 {
        if self.reach[t] == 0 {
            0.0
        } else {
            self.counts[t][state] as f64 / self.reach[t] as f64
        }
    }
}

/// The state distribution of the journeys `members` (positions in `seqs`).
pub fn distribution(seqs: &Sequences, members: &[usize]) -> Distribution {
    let a = seqs.alphabet.len();
    let len = members
        .iter()
        .map(|&i| seqs.seqs[i].len())
        .max()
        .unwrap_or(0);
    let mut counts = vec![vec![0usize; a]; len];
    let mut reach = vec![0usize; len];
    for &i in members {
        for (t, &s) in seqs.seqs[i].iter().enumerate() {
            counts[t][s as usize] += 1;
            reach[t] += 1;
        }
    }
    let entropy = counts
        .iter()
        .zip(&reach)
        .map(|(row, &r)| {
            if r == 0 || a < 2 {
                return 0.0;
            }
            let h: f64 = row
                .iter()
                .filter(|&&c| c > 0)
                .map(|&c| {
                    let p = c as f64 / r as f64;
                    -p * p.ln()
                })
                .sum();
            h / (a as f64).ln()
        })
        .collect();
    Distribution {
        counts,
        reach,
        entropy,
    }
}

/// The transition rates between the states of `seqs`: `rates[a][b]`.
pub fn transition_rates(seqs: &Sequences) -> Vec<Vec<f64>> {
    let a = seqs.alphabet.len();
    let flat = distance::transition_rates(a, &seqs.seqs);
    flat.chunks(a.max(1)).map(<[f64]>::to_vec).collect()
}

/// Elzinga's turbulence of a sequence of states.
pub fn turbulence(seq: &[u32]) -> f64 {
    if seq.is_empty() {
        return 0.0;
    }
    // Spells: distinct successive states and their durations.
    let mut dss: Vec<u32> = Vec::new();
    let mut durations: Vec<f64> = Vec::new();
    for &s in seq {
        if dss.last() == Some(&s) {
            if let Some(d) = durations.last_mut() {
                *d += 1.0;
            }
        } else {
            dss.push(s);
            durations.push(1.0);
        }
    }
    // Distinct subsequences, the empty one included: N(i) = 2·N(i−1) − N(last(xᵢ) − 1).
    let mut count = vec![1.0f64; dss.len() + 1];
    let mut last: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for (i, &s) in dss.iter().enumerate() {
        count[i + 1] = 2.0 * count[i];
        if let Some(&l) = last.get(&s) {
            count[i + 1] -= count[l - 1];
        }
        last.insert(s, i + 1);
    }
    let phi = count[dss.len()];
    let k = durations.len() as f64;
    let mean = durations.iter().sum::<f64>() / k;
    let var = durations.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / k;
    let vmax = (k - 1.0) * (1.0 - mean).powi(2);
    (phi * (vmax + 1.0) / (var + 1.0)).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turbulence_by_hand() {
        // AABBB: spells A(2) B(3); φ(AB) = 4 (∅, A, B, AB); t̄ = 2.5, s² = 0.25,
        // s²max = (2 − 1)(1 − 2.5)² = 2.25; T = log₂(4·3.25/1.25) = log₂ 10.4.
        assert!((turbulence(&[0, 0, 1, 1, 1]) - 10.4f64.log2()).abs() < 1e-12);
        // One spell: φ = 2, s² = s²max = 0: T = 1.
        assert!((turbulence(&[3, 3, 3]) - 1.0).abs() < 1e-12);
        // ABA: φ(ABA) = ∅ A B AB BA AA ABA = 7; durations 1,1,1: s² = 0, s²max = 0;
        // T = log₂ 7.
        assert!((turbulence(&[0, 1, 0]) - 7f64.log2()).abs() < 1e-12);
    }

    #[test]
    fn distribution_and_entropy_by_hand() {
        // AB, AA, B: position 1 has A, A, B; position 2 has B, A.
        let s = Sequences::from_letters(&["AB", "AA", "B"]);
        let d = distribution(&s, &[0, 1, 2]);
        assert_eq!(d.counts, vec![vec![2, 1], vec![1, 1]]);
        assert_eq!(d.reach, vec![3, 2]);
        // Position 2: p = ½, ½: h = ln 2 / ln 2 = 1. Position 1: −(⅔ ln ⅔ + ⅓ ln ⅓)/ln 2.
        assert!((d.entropy[1] - 1.0).abs() < 1e-12);
        let h1 = -(2.0 / 3.0 * (2.0f64 / 3.0).ln() + 1.0 / 3.0 * (1.0f64 / 3.0).ln()) / 2f64.ln();
        assert!((d.entropy[0] - h1).abs() < 1e-12);
        assert!((d.share(0, 0) - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn index_order_groups_by_cluster_then_nearness() {
        let s = Sequences::from_letters(&["A", "B", "C", "D"]);
        let m = Matrix {
            n: 4,
            // (0,1) 1, (0,2) 9, (0,3) 9, (1,2) 9, (1,3) 9, (2,3) 1
            data: vec![1.0, 9.0, 9.0, 9.0, 9.0, 1.0],
        };
        let c = Clustering {
            k: 2,
            assignment: vec![1, 0, 1, 0],
            medoids: vec![3, 2],
        };
        // Cluster 0: 1 and 3 (medoid 3 first, at distance 0); cluster 1: 0 and 2 (medoid 2).
        assert_eq!(index_order(&s, &m, &c), vec![3, 1, 2, 0]);
    }
}
