//! Frequent subsequences of states and the ones that set groups of journeys apart, each with
//! its occurrences by journey and step.
//!
//! - **Frequent subsequences** (as TraMineR's `seqefsub`, Ritschard, Bürgin & Studer 2013,
//!   "Exploratory mining of life event histories", in McArdle & Ritschard (eds.),
//!   *Contemporary Issues in Exploratory Data Mining*, Routledge): a subsequence is a list of
//!   states that occur in a journey in that order, with any steps between them (gaps
//!   allowed). Its *support* is the share of journeys that contain it at least once (count
//!   method `COBJ`); the patterns whose support is at least the minimum are listed, most
//!   frequent first, up to a maximum length. Found depth-first by prefix extension
//!   (PrefixSpan, Pei et al. 2001); an occurrence is the leftmost match in a journey.
//! - **Discriminating subsequences** (as `seqecmpgroup(method = "chisq")`): for each frequent
//!   pattern, the groups × {contains, does not} table and its Pearson χ² with `g − 1`
//!   degrees of freedom; the p-value from the χ² distribution, and Bonferroni's correction for
//!   the number of patterns tested (`p·N`, capped at 1). Listed by increasing p-value.
//!
//! No terminal code and no I/O here.

use serde::Serialize;

use super::alphabet::Sequences;

/// Where a pattern occurs in one journey: the positions (from 0) and step ids it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub journey: String,
    pub positions: Vec<usize>,
    pub steps: Vec<String>,
}

/// A frequent subsequence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pattern {
    pub states: Vec<String>,
    /// The share of journeys that contain it.
    pub support: f64,
    pub count: usize,
    pub occurrences: Vec<Occurrence>,
}

impl Pattern {
    /// `A → B → C`.
    pub fn label(&self) -> String {
        self.states.join(" → ")
    }
}

/// The leftmost match of `pattern` in `seq` starting after position `from`.
fn next_at(seq: &[u32], from: usize, state: u32) -> Option<usize> {
    seq.iter()
        .skip(from)
        .position(|&s| s == state)
        .map(|p| p + from)
}

/// For each journey that contains a pattern: the journey and the positions matched.
type Projection = Vec<(usize, Vec<usize>)>;

/// Every subsequence of at most `max_len` states with support at least `min_support`, most
/// frequent first (ties by label).
pub fn frequent(seqs: &Sequences, min_support: f64, max_len: usize) -> Vec<Pattern> {
    let n = seqs.len();
    if n == 0 || max_len == 0 {
        return vec![];
    }
    let need = ((min_support * n as f64) - 1e-9).ceil().max(1.0) as usize;
    let a = seqs.alphabet.len() as u32;
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<u32>, Projection)> = vec![(
        vec![],
        (0..n)
            .map(|i| (i, vec![]))
            .collect::<Vec<(usize, Vec<usize>)>>(),
    )];
    while let Some((pattern, proj)) = stack.pop() {
        if pattern.len() == max_len {
            continue;
        }
        for s in 0..a {
            let next: Vec<(usize, Vec<usize>)> = proj
                .iter()
                .filter_map(|(j, pos)| {
                    let from = pos.last().map_or(0, |p| p + 1);
                    next_at(&seqs.seqs[*j], from, s).map(|p| {
                        let mut v = pos.clone();
                        v.push(p);
                        (*j, v)
                    })
                })
                .collect();
            if next.len() < need {
                continue;
            }
            let mut p = pattern.clone();
            p.push(s);
            out.push(Pattern {
                states: p
                    .iter()
                    .map(|&x| seqs.alphabet[x as usize].clone())
                    .collect(),
                support: next.len() as f64 / n as f64,
                count: next.len(),
                occurrences: next
                    .iter()
                    .map(|(j, pos)| Occurrence {
                        journey: seqs.ids[*j].clone(),
                        positions: pos.clone(),
                        steps: pos
                            .iter()
                            .map(|&q| seqs.steps[*j].get(q).cloned().unwrap_or_default())
                            .collect(),
                    })
                    .collect(),
            });
            stack.push((p, next));
        }
    }
    out.sort_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then_with(|| x.label().cmp(&y.label()))
    });
    out
}

/// A pattern tested for its difference between groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discriminating {
    pub pattern: Pattern,
    pub groups: Vec<String>,
    /// The share of each group's journeys that contain the pattern.
    pub shares: Vec<f64>,
    pub chi2: f64,
    pub df: usize,
    pub p: f64,
    /// `min(1, p·N)` for N patterns tested.
    pub p_bonferroni: f64,
}

/// Tests each pattern for a difference between the groups `group` gives each journey (by
/// position in `seqs`), most significant first.
pub fn discriminating(
    seqs: &Sequences,
    patterns: &[Pattern],
    group: &[String],
) -> Vec<Discriminating> {
    let mut groups: Vec<String> = Vec::new();
    for g in group {
        if !groups.contains(g) {
            groups.push(g.clone());
        }
    }
    let size: Vec<f64> = groups
        .iter()
        .map(|g| group.iter().filter(|x| *x == g).count() as f64)
        .collect();
    let n = group.len() as f64;
    let tests = patterns.len() as f64;
    let mut out: Vec<Discriminating> = patterns
        .iter()
        .map(|p| {
            let mut with = vec![0.0f64; groups.len()];
            for o in &p.occurrences {
                if let Some(j) = seqs.position(&o.journey)
                    && let Some(g) = groups.iter().position(|g| *g == group[j])
                {
                    with[g] += 1.0;
                }
            }
            let total_with: f64 = with.iter().sum();
            let mut chi2 = 0.0;
            for g in 0..groups.len() {
                for (obs, col) in [(with[g], total_with), (size[g] - with[g], n - total_with)] {
                    let e = size[g] * col / n;
                    if e > 0.0 {
                        chi2 += (obs - e).powi(2) / e;
                    }
                }
            }
            let df = groups.len().saturating_sub(1);
            let pv = chi2_survival(chi2, df as f64);
            Discriminating {
                pattern: p.clone(),
                groups: groups.clone(),
                shares: with
                    .iter()
                    .zip(&size)
                    .map(|(w, s)| if *s > 0.0 { w / s } else { 0.0 })
                    .collect(),
                chi2,
                df,
                p: pv,
                p_bonferroni: (pv * tests).min(1.0),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.p.total_cmp(&b.p)
            .then_with(|| a.pattern.label().cmp(&b.pattern.label()))
    });
    out
}

/// ln Γ(x), Lanczos' approximation (g = 7, n = 9), accurate to about 15 digits for x > 0.
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised upper incomplete gamma function Q(s, x) (series below s + 1, Lentz's
/// continued fraction above; Press et al., *Numerical Recipes*, §6.2).
fn gamma_q(s: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let lead = (-x + s * x.ln() - ln_gamma(s)).exp();
    if x < s + 1.0 {
        let (mut sum, mut term, mut ap) = (1.0 / s, 1.0 / s, s);
        for _ in 0..1000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        (1.0 - sum * lead).clamp(0.0, 1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - s;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - s);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-15 {
                break;
            }
        }
        (lead * h).clamp(0.0, 1.0)
    }
}

/// P(χ²_df > x).
pub fn chi2_survival(x: f64, df: f64) -> f64 {
    if df <= 0.0 {
        return 1.0;
    }
    gamma_q(df / 2.0, x / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_subsequences_by_hand() {
        // ABC, AC, BA. Single states: A in 3, B in 2, C in 2. Pairs with gaps: A→C in
        // ABC and AC (2); A→B in ABC (1); B→C in ABC (1); B→A in BA (1).
        let s = Sequences::from_letters(&["ABC", "AC", "BA"]);
        let f = frequent(&s, 0.5, 3);
        let got: Vec<(String, usize)> = f.iter().map(|p| (p.label(), p.count)).collect();
        assert_eq!(
            got,
            [
                ("A".to_string(), 3),
                ("A → C".to_string(), 2),
                ("B".to_string(), 2),
                ("C".to_string(), 2)
            ]
        );
        // A → C in ABC matches positions 0 and 2 (steps "1" and "3"), skipping B.
        let ac = &f[1].occurrences[0];
        assert_eq!(
            (ac.journey.as_str(), ac.positions.clone()),
            ("1", vec![0, 2])
        );
        assert_eq!(ac.steps, ["1", "3"]);
    }

    #[test]
    fn chi2_survival_matches_tables() {
        // df 2: P = e^{−x/2} exactly; x = 2 gives e^{−1}.
        assert!((chi2_survival(2.0, 2.0) - (-1.0f64).exp()).abs() < 1e-12);
        // The 5% critical value of χ²₁ is 3.841459.
        assert!((chi2_survival(3.841_459, 1.0) - 0.05).abs() < 1e-6);
        // The 1% critical value of χ²₃ is 11.344867.
        assert!((chi2_survival(11.344_867, 3.0) - 0.01).abs() < 1e-6);
    }

    #[test]
    fn discriminating_by_hand() {
        // Group g has AB, AB; group h has BB, BB. "A": in 2 of g, 0 of h. Table
        // [[2, 0], [0, 2]], expected 1 everywhere: χ² = 4·1 = 4, df 1, p = 0.0455.
        let s = Sequences::from_letters(&["AB", "AB", "BB", "BB"]);
        let f = frequent(&s, 0.5, 1);
        let groups: Vec<String> = ["g", "g", "h", "h"].iter().map(|x| x.to_string()).collect();
        let d = discriminating(&s, &f, &groups);
        let a = d.iter().find(|d| d.pattern.label() == "A").unwrap();
        assert!((a.chi2 - 4.0).abs() < 1e-12);
        assert_eq!(a.shares, vec![1.0, 0.0]);
        assert!((a.p - 0.045_500_26).abs() < 1e-6);
        // Two patterns tested (A and B): Bonferroni doubles p.
        assert!((a.p_bonferroni - 2.0 * a.p).abs() < 1e-12);
        assert_eq!(d[0].pattern.label(), "A");
    }
}
