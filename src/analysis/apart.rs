//! Which theme a terrain kind sets apart, if any: a theme whose journeys meet the kind far
//! more often than the other journeys in view, by a test of significance rather than a bare
//! difference of shares.
//!
//! For each theme and kind, the journeys in view form a 2 × 2 table — in the theme or not,
//! meeting the kind or not — and **Fisher's exact test**, one-sided (the theme's journeys
//! meet it more often), gives the probability of a table at least as lopsided when the kind
//! falls on journeys regardless of theme: the hypergeometric tail
//! `P(X ≥ a) = Σ_{x ≥ a} C(K, x)·C(N − K, n − x) / C(N, n)`, with N journeys in view, K of them
//! meeting the kind, n in the theme and a of those meeting it (Fisher 1935, *The Design of
//! Experiments*, §2; Agresti 2002, *Categorical Data Analysis*, §3.5.1).
//!
//! Only pairs with a **minimum support** are tested: at least [`MIN_SUPPORT`] of the theme's
//! journeys meet the kind, and some journey outside the theme is in view. The many tests (every
//! theme × every kind) are corrected with the **Benjamini–Hochberg** procedure (1995, *JRSS
//! B* 57:289–300) at a false discovery rate of [`FDR`] = 0.05: a pair is reported only when its
//! p-value is at most `k/m · 0.05`, k being the largest rank whose p-value passes that line and
//! m the number of pairs tested. When several themes pass for one kind, the smallest p-value
//! wins. No terminal code and no I/O.

use std::borrow::Borrow;

use serde::Serialize;

use super::compare::Coded;

/// The fewest of a theme's journeys that must meet a kind for the pair to be tested.
pub const MIN_SUPPORT: usize = 3;

/// The false discovery rate of the Benjamini–Hochberg correction.
pub const FDR: f64 = 0.05;

/// A theme that a kind sets apart, with the table behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Apart {
    pub theme: String,
    /// The theme's journeys that meet the kind, and how many journeys the theme has in view.
    pub met_in: usize,
    pub of_in: usize,
    /// The same for every other journey in view.
    pub met_out: usize,
    pub of_out: usize,
    /// Fisher's one-sided p-value.
    pub p: f64,
}

/// `ln k!` for k up to a bound, for binomial coefficients without overflow.
struct LnFact(Vec<f64>);

impl LnFact {
    fn new(n: usize) -> LnFact {
        let mut v = Vec::with_capacity(n + 1);
        v.push(0.0);
        for k in 1..=n {
            v.push(v[k - 1] + (k as f64).ln());
        }
        LnFact(v)
    }

    fn choose(&self, n: usize, k: usize) -> f64 {
        self.0[n] - self.0[k] - self.0[n - k]
    }
}

/// Fisher's exact test, one-sided: the probability that at least `a` of `n` journeys drawn
/// from `total` meet a kind that `met` of them meet.
pub fn fisher_greater(a: usize, n: usize, met: usize, total: usize) -> f64 {
    fisher_with(&LnFact::new(total), a, n, met, total)
}

fn fisher_with(f: &LnFact, a: usize, n: usize, met: usize, total: usize) -> f64 {
    if n > total || met > total {
        return 1.0;
    }
    let low = a.max((n + met).saturating_sub(total));
    let high = n.min(met);
    if low > high {
        return 0.0;
    }
    let all = f.choose(total, n);
    let p: f64 = (low..=high)
        .map(|x| (f.choose(met, x) + f.choose(total - met, n - x) - all).exp())
        .sum();
    p.min(1.0)
}

/// The Benjamini–Hochberg procedure: which of the p-values are discoveries at rate `q`.
pub fn benjamini_hochberg(p: &[f64], q: f64) -> Vec<bool> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let passing = order
        .iter()
        .enumerate()
        .filter(|(rank, i)| p[**i] <= (rank + 1) as f64 / m as f64 * q)
        .map(|(rank, _)| rank + 1)
        .max()
        .unwrap_or(0);
    let mut out = vec![false; m];
    for &i in &order[..passing] {
        out[i] = true;
    }
    out
}

/// For each kind of `order`, the theme it sets apart among `journeys`, if any; `met[j][c]` says
/// whether journey j meets kind c (as [`super::compare::met_codes`] makes it), `themes` are the
/// themes to test.
pub fn set_apart<J: Borrow<Coded>>(
    themes: &[&str],
    journeys: &[J],
    met: &[Vec<bool>],
    order: &[&str],
) -> Vec<Option<Apart>> {
    let total = journeys.len();
    let f = LnFact::new(total);
    let slot: Vec<Option<usize>> = journeys
        .iter()
        .map(|j| themes.iter().position(|t| *t == j.borrow().theme))
        .collect();
    let mut size = vec![0usize; themes.len()];
    for s in slot.iter().flatten() {
        size[*s] += 1;
    }
    // Journeys meeting each kind, overall and per theme.
    let mut met_all = vec![0usize; order.len()];
    let mut met_theme = vec![vec![0usize; themes.len()]; order.len()];
    for (m, s) in met.iter().zip(&slot) {
        for (c, &is) in m.iter().enumerate() {
            if is {
                met_all[c] += 1;
                if let Some(s) = s {
                    met_theme[c][*s] += 1;
                }
            }
        }
    }
    let mut tested: Vec<(usize, Apart)> = Vec::new();
    for c in 0..order.len() {
        for (t, theme) in themes.iter().enumerate() {
            let (a, n) = (met_theme[c][t], size[t]);
            if a < MIN_SUPPORT || n == total {
                continue;
            }
            tested.push((
                c,
                Apart {
                    theme: theme.to_string(),
                    met_in: a,
                    of_in: n,
                    met_out: met_all[c] - a,
                    of_out: total - n,
                    p: fisher_with(&f, a, n, met_all[c], total),
                },
            ));
        }
    }
    let p: Vec<f64> = tested.iter().map(|(_, a)| a.p).collect();
    let keep = benjamini_hochberg(&p, FDR);
    let mut out: Vec<Option<Apart>> = vec![None; order.len()];
    for ((c, apart), keep) in tested.into_iter().zip(keep) {
        if keep && out[c].as_ref().is_none_or(|best| apart.p < best.p) {
            out[c] = Some(apart);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StepKind;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Fisher's tea-tasting experiment (1935, §2): 8 cups, 4 with milk first; the lady names
    /// 4 as milk-first. All 4 right: 1 table of C(8,4) = 70, p = 1/70. Three or more right:
    /// C(4,3)·C(4,1) = 16 tables, plus the 1, p = 17/70.
    #[test]
    fn the_tea_tasting_lady() {
        assert!(close(fisher_greater(4, 4, 4, 8), 1.0 / 70.0));
        assert!(close(fisher_greater(3, 4, 4, 8), 17.0 / 70.0));
        assert!(close(fisher_greater(0, 4, 4, 8), 1.0));
        // Nothing is more lopsided than impossible.
        assert_eq!(fisher_greater(5, 4, 4, 8), 0.0);
    }

    /// p = 0.01, 0.02, 0.03, 0.5 with q = 0.05 and m = 4: the lines are 0.0125, 0.025,
    /// 0.0375, 0.05; the first three pass (0.03 ≤ 0.0375), the last does not. With 0.04 in
    /// third place, 0.04 > 0.0375, so only the first two.
    #[test]
    fn benjamini_hochberg_by_hand() {
        assert_eq!(
            benjamini_hochberg(&[0.5, 0.02, 0.01, 0.03], 0.05),
            [false, true, true, true]
        );
        assert_eq!(
            benjamini_hochberg(&[0.01, 0.02, 0.04, 0.5], 0.05),
            [true, true, false, false]
        );
        assert!(benjamini_hochberg(&[], 0.05).is_empty());
    }

    fn journey(theme: &str, codes: &[&str]) -> Coded {
        Coded::from_names(
            &format!("{theme}{}", codes.len()),
            theme,
            &[(StepKind::Advance, codes)],
        )
    }

    /// 12 journeys, three themes of 4. Theme "a": all 4 meet `wall`, 3 meet `mud`. Theme "b":
    /// one meets `wall`, 3 meet `mud`, 2 meet `rain`. Every journey meets `fog`.
    /// - (wall, a): K = 5 of N = 12, n = 4, a = 4: p = C(5,4)·C(7,0)/C(12,4) = 5/495 = 0.0101.
    /// - (mud, a) and (mud, b): K = 6, a = 3: p = [C(6,3)·C(6,1) + C(6,4)·C(6,0)]/495 =
    ///   (120 + 15)/495 = 0.273.
    /// - (fog, a/b/c): K = 12: p = 1. `rain`: 2 of b's 4, under the minimum support: untested.
    ///
    /// With `fog`, m = 6 tests: the first line is 0.05/6 = 0.0083 < 0.0101, so nothing passes.
    /// Without it, m = 3: 0.0101 ≤ 0.05/3 = 0.0167 passes; 0.273 > 2/3·0.05 does not.
    #[test]
    fn a_theme_is_set_apart_only_when_the_test_holds_after_correction() {
        let mut js = Vec::new();
        for _ in 0..4 {
            js.push(journey("a", &["wall", "fog", "mud"]));
        }
        js[3] = journey("a", &["wall", "fog"]);
        for i in 0..4 {
            let mut codes = vec!["fog"];
            if i < 2 {
                codes.push("rain");
            }
            if i == 0 {
                codes.push("wall");
            }
            if i < 3 {
                codes.push("mud");
            }
            js.push(journey("b", &codes));
        }
        for _ in 0..4 {
            js.push(journey("c", &["fog"]));
        }
        let themes = ["a", "b", "c"];
        let order = ["wall", "fog", "mud", "rain"];
        let met = super::super::compare::met_codes(&js, &order);
        assert!(close(fisher_greater(4, 4, 5, 12), 5.0 / 495.0));
        assert!(close(fisher_greater(3, 4, 6, 12), 135.0 / 495.0));
        let out = set_apart(&themes, &js, &met, &order);
        assert_eq!(out, vec![None, None, None, None]);

        let order = ["wall", "mud", "rain"];
        let met = super::super::compare::met_codes(&js, &order);
        let out = set_apart(&themes, &js, &met, &order);
        let wall = out[0].as_ref().expect("wall sets a apart");
        assert_eq!(
            (
                wall.theme.as_str(),
                wall.met_in,
                wall.of_in,
                wall.met_out,
                wall.of_out
            ),
            ("a", 4, 4, 1, 8)
        );
        assert!(close(wall.p, 5.0 / 495.0));
        assert_eq!(out[1], None);
        assert_eq!(out[2], None);
    }

    /// One theme alone in view has no rest to differ from: nothing is tested.
    #[test]
    fn a_theme_alone_sets_nothing_apart() {
        let js: Vec<Coded> = (0..6).map(|_| journey("a", &["wall"])).collect();
        let met = super::super::compare::met_codes(&js, &["wall"]);
        assert_eq!(set_apart(&["a"], &js, &met, &["wall"]), vec![None]);
    }
}
