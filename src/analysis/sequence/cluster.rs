//! Typologies of journeys from a distance matrix: PAM and Ward clustering, their quality, the
//! medoids, and cross-tables against themes and outcomes.
//!
//! - **PAM** (k-medoids; Kaufman & Rousseeuw 1990): BUILD, then the FasterPAM swaps of
//!   Schubert & Rousseeuw (2021, *Information Systems* 101, 101804) from the `kmedoids`
//!   crate, so the result is deterministic.
//! - **Ward**: agglomerative clustering with Ward's criterion on the distances as given, from
//!   the `kodama` crate (a port of `fastcluster`), which squares the dissimilarities, merges by
//!   the Lance–Williams update, and takes the root of the heights: R's
//!   `hclust(method = "ward.D2")`. The tree is cut at k clusters.
//!
//! Clusters are numbered from 1 in the order of their first journey; each cluster's medoid
//! is the member with the least sum of distances to the other members.
//!
//! **Quality**, as WeightedCluster's `wcClusterQuality` computes it (Studer 2013,
//! *WeightedCluster Library Manual*, LIVES Working Papers 24; its C source), with unit
//! weights, over the full matrix including the diagonal:
//!
//! - **ASW**, average silhouette width: `s(i) = (b(i) − a(i)) / max(a(i), b(i))` with `a(i)`
//!   the mean distance to the other members of i's cluster (0 for a singleton, so that its
//!   `s` is 1) and `b(i)` the least mean distance to the members of another cluster; the mean
//!   of `s(i)`.
//! - **PBC**, point-biserial correlation: minus Pearson's correlation between the distances
//!   and the indicator "same cluster", over all n² ordered pairs (the diagonal counts as
//!   same-cluster pairs at distance 0).
//! - **HG**, Hubert's Gamma (Goodman–Kruskal's γ between the distances and the indicator
//!   "different clusters"): `(C − D) / (C + D)` over pairs of pairs, C counting a
//!   different-cluster pair farther apart than a same-cluster pair, D the reverse; ties do not
//!   count.
//! - **R²**: the share of the discrepancy explained (Studer, Ritschard, Gabadinho & Müller
//!   2011, *Sociological Methods & Research* 40(3)): with `SS = (1/n) Σ_{i<j} d(i,j)` for the
//!   whole and each cluster, `R² = 1 − Σ_k SS_k / SS`.
//!
//! **Cross-tables** count journeys per (cluster, label) with Cramér's V, `√(χ² / (n·(min(r,
//! c) − 1)))`, and the adjusted Rand index of Hubert & Arabie (1985, *Journal of
//! Classification* 2, 193–218).
//!
//! No terminal code and no I/O here.

use std::collections::BTreeMap;

use serde::Serialize;

use super::distance::Matrix;

/// The clustering algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    #[default]
    Pam,
    Ward,
}

/// A partition of the journeys into k clusters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clustering {
    pub k: usize,
    /// The cluster of each journey, from 0 (clusters are shown from 1).
    pub assignment: Vec<usize>,
    /// The medoid of each cluster, a journey position.
    pub medoids: Vec<usize>,
}

/// The quality of a partition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quality {
    pub asw: f64,
    pub pbc: f64,
    pub hg: f64,
    pub r2: f64,
}

impl kmedoids::ArrayAdapter<f32> for Matrix {
    fn len(&self) -> usize {
        self.n
    }
    fn is_square(&self) -> bool {
        true
    }
    fn get(&self, x: usize, y: usize) -> f32 {
        Matrix::get(self, x, y)
    }
}

/// Renumbers clusters in the order of their first member and finds each one's medoid.
fn finish(m: &Matrix, raw: &[usize], k: usize) -> Clustering {
    let mut order: BTreeMap<usize, usize> = BTreeMap::new();
    let mut next = 0;
    let assignment: Vec<usize> = raw
        .iter()
        .map(|&c| {
            *order.entry(c).or_insert_with(|| {
                next += 1;
                next - 1
            })
        })
        .collect();
    let k = k.min(next);
    let medoids = (0..k)
        .map(|c| {
            let members: Vec<usize> = (0..m.n).filter(|&i| assignment[i] == c).collect();
            members
                .iter()
                .copied()
                .min_by(|&a, &b| {
                    let sa: f64 = members.iter().map(|&j| m.get(a, j) as f64).sum();
                    let sb: f64 = members.iter().map(|&j| m.get(b, j) as f64).sum();
                    sa.total_cmp(&sb)
                })
                .unwrap_or(0)
        })
        .collect();
    Clustering {
        k,
        assignment,
        medoids,
    }
}

/// PAM with k clusters (k is at most the number of journeys).
pub fn pam(m: &Matrix, k: usize) -> Clustering {
    let k = k.clamp(1, m.n.max(1));
    if m.n == 0 {
        return Clustering {
            k: 0,
            assignment: vec![],
            medoids: vec![],
        };
    }
    let (_, _, mut meds): (f64, Vec<usize>, Vec<usize>) = kmedoids::pam_build(m, k);
    let (_, assignment, _, _): (f64, Vec<usize>, usize, usize) =
        kmedoids::fasterpam(m, &mut meds, 100);
    finish(m, &assignment, k)
}

/// Ward's clustering cut at k clusters.
pub fn ward(m: &Matrix, k: usize) -> Clustering {
    let n = m.n;
    let k = k.clamp(1, n.max(1));
    if n < 2 {
        return finish(m, &vec![0; n], k);
    }
    let mut condensed: Vec<f64> = m.data.iter().map(|&d| d as f64).collect();
    let dend = kodama::linkage(&mut condensed, n, kodama::Method::Ward);
    // Union–find over the first n − k merges; cluster ids ≥ n are the merges in order.
    let mut parent: Vec<usize> = (0..2 * n - 1).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (s, step) in dend.steps().iter().enumerate().take(n - k) {
        let id = n + s;
        let a = root(&mut parent, step.cluster1);
        let b = root(&mut parent, step.cluster2);
        parent[a] = id;
        parent[b] = id;
    }
    let raw: Vec<usize> = (0..n).map(|i| root(&mut parent, i)).collect();
    finish(m, &raw, k)
}

/// Either algorithm.
pub fn cluster(m: &Matrix, k: usize, algorithm: Algorithm) -> Clustering {
    match algorithm {
        Algorithm::Pam => pam(m, k),
        Algorithm::Ward => ward(m, k),
    }
}

/// The quality of a partition of the journeys of `m`.
pub fn quality(m: &Matrix, c: &Clustering) -> Quality {
    let n = m.n;
    let k = c.k.max(1);
    let a = &c.assignment;
    let mut sizes = vec![0.0f64; k];
    for &x in a {
        sizes[x] += 1.0;
    }
    // PBC and R², as the C code sums them: the diagonal with weight 1, each pair with 2.
    let (mut tot, mut wx, mut wx2, mut wy, mut wxy) = (n as f64, 0.0, 0.0, n as f64, 0.0);
    let mut errors = vec![0.0f64; k];
    let mut pairs: Vec<(f32, bool)> = Vec::with_capacity(m.data.len());
    for i in 0..n {
        for j in i + 1..n {
            let d = m.data[Matrix::index(n, i, j)];
            let x = d as f64;
            let same = a[i] == a[j];
            wx += 2.0 * x;
            wx2 += 2.0 * x * x;
            tot += 2.0;
            if same {
                errors[a[i]] += 2.0 * x;
                wxy += 2.0 * x;
                wy += 2.0;
            }
            pairs.push((d, same));
        }
    }
    let (xb, yb) = (wx / tot, wy / tot);
    let covx = wx2 / tot - xb * xb;
    let covy = wy / tot - yb * yb;
    let covxy = wxy / tot - yb * xb;
    let pbc = -(covxy / (covx * covy).sqrt());

    let ss_res: f64 = errors.iter().zip(&sizes).map(|(e, s)| e / s).sum();
    let ss_expl = wx / n as f64 - ss_res;
    let r2 = ss_expl / (ss_res + ss_expl);

    // Hubert's Gamma: distances in increasing order, ties grouped.
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
    let tot0 = wy;
    let tot1 = tot - wy;
    let (mut nc, mut nd, mut cur0, mut cur1) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut groups: Vec<(f64, f64)> = vec![(n as f64, 0.0)]; // the diagonal, at distance 0
    let mut last = 0.0f32;
    for &(d, same) in &pairs {
        if d != last {
            groups.push((0.0, 0.0));
            last = d;
        }
        if let Some(g) = groups.last_mut() {
            if same {
                g.0 += 2.0;
            } else {
                g.1 += 2.0;
            }
        }
    }
    for &(c0, c1) in &groups {
        nc += c1 * cur0;
        nd += c0 * cur1;
        cur0 += c0;
        cur1 += c1;
        nc += c0 * (tot1 - cur1);
        nd += c1 * (tot0 - cur0);
    }
    let hg = (nc - nd) / (nc + nd);

    // ASW.
    let mut asw = 0.0;
    for i in 0..n {
        let mut to = vec![0.0f64; k];
        for j in 0..n {
            if i != j {
                to[a[j]] += m.get(i, j) as f64;
            }
        }
        let own = a[i];
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0.0)
            .map(|c| to[c] / sizes[c])
            .fold(f64::MAX, f64::min);
        let ai = if sizes[own] <= 1.0 {
            0.0
        } else {
            to[own] / (sizes[own] - 1.0)
        };
        let max = ai.max(b);
        if max > 0.0 && b < f64::MAX {
            asw += (b - ai) / max;
        }
    }
    asw /= n.max(1) as f64;
    Quality { asw, pbc, hg, r2 }
}

/// Journeys per (row label, column label), with Cramér's V and the adjusted Rand index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTable {
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    /// `counts[r][c]`.
    pub counts: Vec<Vec<usize>>,
    pub cramers_v: f64,
    pub ari: f64,
}

fn choose2(x: f64) -> f64 {
    x * (x - 1.0) / 2.0
}

/// Cross-tabulates two labellings of the same journeys; rows and columns keep the order of
/// first appearance unless given.
pub fn cross_table(rows: &[String], cols: &[String]) -> CrossTable {
    let order = |v: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for x in v {
            if !out.contains(x) {
                out.push(x.clone());
            }
        }
        out
    };
    let (rl, cl) = (order(rows), order(cols));
    let mut counts = vec![vec![0usize; cl.len()]; rl.len()];
    for (r, c) in rows.iter().zip(cols) {
        let ri = rl.iter().position(|x| x == r).unwrap_or(0);
        let ci = cl.iter().position(|x| x == c).unwrap_or(0);
        counts[ri][ci] += 1;
    }
    let n: f64 = rows.len() as f64;
    let rs: Vec<f64> = counts
        .iter()
        .map(|r| r.iter().sum::<usize>() as f64)
        .collect();
    let cs: Vec<f64> = (0..cl.len())
        .map(|c| counts.iter().map(|r| r[c]).sum::<usize>() as f64)
        .collect();
    let mut chi2 = 0.0;
    for (r, row) in counts.iter().enumerate() {
        for (c, &o) in row.iter().enumerate() {
            let e = rs[r] * cs[c] / n;
            if e > 0.0 {
                chi2 += (o as f64 - e).powi(2) / e;
            }
        }
    }
    let q = rl.len().min(cl.len()) as f64 - 1.0;
    let cramers_v = if q > 0.0 && n > 0.0 {
        (chi2 / (n * q)).sqrt()
    } else {
        0.0
    };
    let index: f64 = counts.iter().flatten().map(|&x| choose2(x as f64)).sum();
    let sa: f64 = rs.iter().map(|&x| choose2(x)).sum();
    let sb: f64 = cs.iter().map(|&x| choose2(x)).sum();
    let expected = if n > 1.0 { sa * sb / choose2(n) } else { 0.0 };
    let max = (sa + sb) / 2.0;
    let ari = if max - expected != 0.0 {
        (index - expected) / (max - expected)
    } else {
        1.0
    };
    CrossTable {
        rows: rl,
        cols: cl,
        counts,
        cramers_v,
        ari,
    }
}

/// A typology: the quality of each number of clusters tried, and the partition chosen (the
/// given k, or the k with the highest ASW) with its cross-tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Typology {
    pub algorithm: Algorithm,
    /// `(k, quality)` for every k tried.
    pub table: Vec<(usize, Quality)>,
    pub clustering: Clustering,
    pub quality: Quality,
    /// Clusters (rows, `1`, `2`, …) against themes.
    pub themes: CrossTable,
    /// Clusters against outcomes.
    pub outcomes: CrossTable,
}

/// Clusters `m` for each k in `ks` and keeps the best by ASW (the first on a tie).
pub fn typology(
    m: &Matrix,
    ks: std::ops::RangeInclusive<usize>,
    algorithm: Algorithm,
    themes: &[String],
    outcomes: &[String],
) -> Typology {
    let mut best: Option<(Clustering, Quality)> = None;
    let mut table = Vec::new();
    for k in ks {
        let c = cluster(m, k, algorithm);
        if c.k != k {
            continue;
        }
        let q = quality(m, &c);
        table.push((k, q));
        if best.as_ref().is_none_or(|(_, b)| q.asw > b.asw) {
            best = Some((c, q));
        }
    }
    let (clustering, quality) = best.unwrap_or_else(|| {
        let c = cluster(m, 1, algorithm);
        let q = self::quality(m, &c);
        (c, q)
    });
    let labels: Vec<String> = clustering
        .assignment
        .iter()
        .map(|c| (c + 1).to_string())
        .collect();
    Typology {
        algorithm,
        table,
        themes: cross_table(&labels, themes),
        outcomes: cross_table(&labels, outcomes),
        clustering,
        quality,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Points on a line at 0, 1, 5 and 6; the distance is |x − y|.
    fn line() -> Matrix {
        let x = [0.0f32, 1.0, 5.0, 6.0];
        let mut data = vec![];
        for i in 0..4 {
            for j in i + 1..4 {
                data.push((x[i] - x[j]).abs());
            }
        }
        Matrix { n: 4, data }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-5
    }

    #[test]
    fn pam_and_ward_find_the_two_pairs() {
        for c in [pam(&line(), 2), ward(&line(), 2)] {
            assert_eq!(c.assignment, vec![0, 0, 1, 1]);
            assert_eq!(c.k, 2);
            // Each medoid has sum of distances 1 within its pair; the first member wins ties.
            assert_eq!(c.medoids, vec![0, 2]);
        }
    }

    #[test]
    fn quality_by_hand() {
        let c = Clustering {
            k: 2,
            assignment: vec![0, 0, 1, 1],
            medoids: vec![0, 2],
        };
        let q = quality(&line(), &c);
        // ASW: point 0: a = 1, b = (5 + 6)/2 = 5.5, s = 4.5/5.5; point 1: a = 1,
        // b = (4 + 5)/2 = 4.5, s = 3.5/4.5; points 2 and 3 mirror them.
        // (2·4.5/5.5 + 2·3.5/4.5) / 4 = 0.797980.
        assert!(
            close(q.asw, (2.0 * 4.5 / 5.5 + 2.0 * 3.5 / 4.5) / 4.0),
            "{q:?}"
        );
        // R²: Σd = 1+5+6+4+5+1 = 22; SS = 22/4·2 = 11; within: 2·1/2 + 2·1/2 = 2;
        // R² = (11 − 2)/11.
        assert!(close(q.r2, 9.0 / 11.0), "{q:?}");
        // PBC over 16 ordered pairs: x̄ = 44/16 = 2.75, var x = 208/16 − 2.75² = 5.4375,
        // ȳ = 8/16, var y = 0.25, cov = 4/16 − 0.5·2.75 = −1.125;
        // PBC = 1.125/√(5.4375·0.25) = 0.964901.
        assert!(close(q.pbc, 1.125 / (5.4375f64 * 0.25).sqrt()), "{q:?}");
        // Every different-cluster distance exceeds every same-cluster one: HG = 1.
        assert!(close(q.hg, 1.0), "{q:?}");
    }

    #[test]
    fn hubert_gamma_with_discordance_by_hand() {
        let c = Clustering {
            k: 2,
            assignment: vec![0, 0, 0, 1],
            medoids: vec![1, 3],
        };
        let q = quality(&line(), &c);
        // Same-cluster entries (weight): d 0 (4, the diagonal), 1 (2), 4 (2), 5 (2);
        // different-cluster: 1 (2), 5 (2), 6 (2). Concordant (different farther):
        // 4·6 + 2·4 + 2·4 + 2·2 = 44; discordant: 2·2 (d 4 > 1) + 2·2 (d 5 > 1) = 8;
        // HG = 36/52.
        assert!(close(q.hg, 36.0 / 52.0), "{q:?}");
        // Singleton 3: a = 0 so s = 1. Point 0: a = (1 + 5)/2 = 3, b = 6, s = 0.5;
        // point 1: a = (1 + 4)/2 = 2.5, b = 5, s = 0.5; point 2: a = (5 + 4)/2 = 4.5,
        // b = 1, s = (1 − 4.5)/4.5. ASW = (0.5 + 0.5 − 3.5/4.5 + 1)/4.
        assert!(close(q.asw, (2.0 - 3.5 / 4.5) / 4.0), "{q:?}");
    }

    #[test]
    fn cross_table_by_hand() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let t = cross_table(&s(&["a", "a", "b", "b"]), &s(&["x", "x", "y", "z"]));
        assert_eq!(t.counts, vec![vec![2, 0, 0], vec![0, 1, 1]]);
        // χ²: expected a row [1, .5, .5] twice; (1 + .5 + .5)·2 = 4; V = √(4/(4·1)) = 1.
        assert!(close(t.cramers_v, 1.0));
        // ARI: index C(2,2) = 1; rows ΣC = 2, columns ΣC = 1; expected 2·1/6 = 1/3;
        // max 1.5; (1 − 1/3)/(1.5 − 1/3) = 4/7.
        assert!(close(t.ari, 4.0 / 7.0), "{}", t.ari);
        let same = cross_table(&s(&["a", "b", "a"]), &s(&["1", "2", "1"]));
        assert!(close(same.ari, 1.0));
    }
}
