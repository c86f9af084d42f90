//! The optimal alignment of two journeys: which steps match, which are substituted, and which
//! are inserted or deleted, with the step ids on both sides so that a caller can open both
//! steps' evidence side by side.
//!
//! The alignment is the one behind the OM distance of [`super::distance`] (the same costs):
//! the dynamic-programming table `D(i,j) = min(D(i−1,j−1) + sm[xᵢ][yⱼ], D(i−1,j) + indel,
//! D(i,j−1) + indel)` traced back from `D(m,n)`, preferring a match or substitution, then a
//! deletion, then an insertion where costs tie. Hamming and DHD align position by position.
//! The costs of the operations add up to the raw (unnormalised) distance.
//!
//! No terminal code and no I/O here.

use serde::Serialize;

use super::alphabet::Sequences;
use super::distance::{Costs, Method};

/// What happens to a pair of aligned positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The same state on both sides.
    Match,
    /// Different states, one for the other.
    Substitute,
    /// A step of the second journey with nothing in the first.
    Insert,
    /// A step of the first journey with nothing in the second.
    Delete,
}

/// One side of an aligned pair: a step's position (from 0), id and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub position: usize,
    pub step: String,
    pub state: String,
}

/// One column of the alignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aligned {
    pub op: Op,
    pub left: Option<Side>,
    pub right: Option<Side>,
    pub cost: f64,
}

/// The alignment of journeys `i` and `j` of `seqs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    pub left: String,
    pub right: String,
    pub columns: Vec<Aligned>,
    /// The sum of the columns' costs: the raw distance.
    pub total: f64,
}

fn side(seqs: &Sequences, who: usize, position: usize) -> Side {
    Side {
        position,
        step: seqs.steps[who].get(position).cloned().unwrap_or_default(),
        state: seqs.alphabet[seqs.seqs[who][position] as usize].clone(),
    }
}

/// Aligns journeys `i` and `j`.
pub fn align(seqs: &Sequences, costs: &Costs, i: usize, j: usize) -> Alignment {
    let (x, y) = (&seqs.seqs[i], &seqs.seqs[j]);
    let (m, n) = (x.len(), y.len());
    let mut columns = Vec::new();
    let sub_op = |a: u32, b: u32| if a == b { Op::Match } else { Op::Substitute };
    if matches!(costs.method, Method::Ham | Method::Dhd) {
        for t in 0..m.min(n) {
            columns.push(Aligned {
                op: sub_op(x[t], y[t]),
                left: Some(side(seqs, i, t)),
                right: Some(side(seqs, j, t)),
                cost: if x[t] == y[t] {
                    0.0
                } else {
                    costs.sub(x[t], y[t], t)
                },
            });
        }
    } else {
        let w = n + 1;
        let indel = costs.indel;
        let mut d = vec![0.0f64; (m + 1) * w];
        for a in 0..=m {
            d[a * w] = a as f64 * indel;
        }
        for (b, cell) in d.iter_mut().take(n + 1).enumerate() {
            *cell = b as f64 * indel;
        }
        let sub = |a: usize, b: usize| {
            if x[a] == y[b] {
                0.0
            } else {
                costs.sub(x[a], y[b], 0)
            }
        };
        for a in 1..=m {
            for b in 1..=n {
                let s = d[(a - 1) * w + b - 1] + sub(a - 1, b - 1);
                let del = d[(a - 1) * w + b] + indel;
                let ins = d[a * w + b - 1] + indel;
                d[a * w + b] = s.min(del).min(ins);
            }
        }
        let (mut a, mut b) = (m, n);
        let eq = |u: f64, v: f64| (u - v).abs() <= 1e-9 * (1.0 + u.abs());
        while a > 0 || b > 0 {
            let here = d[a * w + b];
            if a > 0 && b > 0 && eq(here, d[(a - 1) * w + b - 1] + sub(a - 1, b - 1)) {
                columns.push(Aligned {
                    op: sub_op(x[a - 1], y[b - 1]),
                    left: Some(side(seqs, i, a - 1)),
                    right: Some(side(seqs, j, b - 1)),
                    cost: sub(a - 1, b - 1),
                });
                a -= 1;
                b -= 1;
            } else if a > 0 && eq(here, d[(a - 1) * w + b] + indel) {
                columns.push(Aligned {
                    op: Op::Delete,
                    left: Some(side(seqs, i, a - 1)),
                    right: None,
                    cost: indel,
                });
                a -= 1;
            } else {
                columns.push(Aligned {
                    op: Op::Insert,
                    left: None,
                    right: Some(side(seqs, j, b - 1)),
                    cost: indel,
                });
                b -= 1;
            }
        }
        columns.reverse();
    }
    let total = columns.iter().map(|c| c.cost).sum();
    Alignment {
        left: seqs.ids[i].clone(),
        right: seqs.ids[j].clone(),
        columns,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sequence::distance::{Norm, Options, between, costs};

    #[test]
    fn alignment_by_hand_adds_up_to_the_distance() {
        // ABC vs ACB with substitution 2 and indel 1. Traced back from the end: C vs B
        // would cost 2 + D(AB, AC) = 4, but deleting C costs 1 + D(AB, ACB) = 1 + 1, so the
        // last column deletes x's C; then B matches B, y's C is inserted, A matches A:
        // 0 + 1 + 0 + 1 = 2, the OM distance.
        let s = Sequences::from_letters(&["ABC", "ACB"]);
        let c = costs(&s, &Options::default()).unwrap();
        let al = align(&s, &c, 0, 1);
        let ops: Vec<Op> = al.columns.iter().map(|c| c.op).collect();
        assert_eq!(ops, [Op::Match, Op::Insert, Op::Match, Op::Delete]);
        assert_eq!(al.total, 2.0);
        assert_eq!(al.total, between(&s, &c, 0, 1));
        // The inserted step is the second of the second journey (id "2", state C); the
        // deleted one the third of the first.
        let right = al.columns[1].right.as_ref().unwrap();
        assert_eq!((right.step.as_str(), right.state.as_str()), ("2", "C"));
        assert_eq!(
            al.columns[3].left.as_ref().map(|s| s.step.as_str()),
            Some("3")
        );
        assert!(al.columns[3].right.is_none());
    }

    #[test]
    fn cheap_substitutions_are_preferred() {
        // Substitution 1 < two indels (2·1.5): AB vs AC substitutes B by C, cost 1.
        let s = Sequences::from_letters(&["AB", "AC"]);
        let o = Options {
            sub_cost: Some(1.0),
            indel: Some(1.5),
            norm: Norm::None,
            ..Options::default()
        };
        let c = costs(&s, &o).unwrap();
        let al = align(&s, &c, 0, 1);
        assert_eq!(al.columns.len(), 2);
        assert_eq!(al.columns[1].op, Op::Substitute);
        assert_eq!(al.total, 1.0);
    }
}
