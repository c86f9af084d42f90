//! Merging a journey changed in two places at once: in memory (ours) and on disk (theirs, after
//! an editor or a `git pull`), from the version both started from (the base, as last read).
//!
//! The merge is by step id, as the annotation store merges notes by note id:
//! - the journey's own fields (everything but the steps) and each step are units: changed on
//!   one side only, that side's version is taken; changed on both sides the same way, that;
//!   changed on both sides differently, a **conflict**;
//! - a step new on one side is kept; new on both sides under one id with different content, a
//!   conflict;
//! - a step deleted on one side and unchanged on the other is deleted; deleted on one side and
//!   changed on the other, a conflict (an edit is never dropped silently);
//! - the order: if one side reordered the steps both keep, its order is taken; if both did,
//!   differently, a conflict. A new step goes after the step it follows on its own side.
//!
//! With any conflict the merge gives no journey, only the conflicts, so that the caller shows
//! them and never writes over either side blindly. Pure: no files.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Journey, Step};

/// Something changed on both sides in ways that do not fit together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The step it is about; `None` for the journey's own fields or the order of the steps.
    pub step: Option<String>,
    pub what: String,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.step {
            Some(s) => write!(f, "step '{s}': {}", self.what),
            None => f.write_str(&self.what),
        }
    }
}

fn meta(j: &Journey) -> Journey {
    Journey {
        steps: Vec::new(),
        ..j.clone()
    }
}

fn by_id(j: &Journey) -> BTreeMap<&str, &Step> {
    j.steps.iter().map(|s| (s.id.as_str(), s)).collect()
}

/// Merges `ours` and `theirs`, both changed from `base`.
pub fn merge(base: &Journey, ours: &Journey, theirs: &Journey) -> Result<Journey, Vec<Conflict>> {
    let mut conflicts = Vec::new();
    // The journey's own fields.
    let (mb, mo, mt) = (meta(base), meta(ours), meta(theirs));
    let mut merged = if mo == mt || mo == mb {
        mt
    } else if mt == mb {
        mo
    } else {
        conflicts.push(Conflict {
            step: None,
            what: "the journey's title, theme, source or other fields were changed on both sides"
                .to_string(),
        });
        mt
    };

    // The steps, by id.
    let (b, o, t) = (by_id(base), by_id(ours), by_id(theirs));
    let ids: BTreeSet<&str> = b.keys().chain(o.keys()).chain(t.keys()).copied().collect();
    let mut kept: BTreeMap<&str, &Step> = BTreeMap::new();
    for id in ids {
        let (sb, so, st) = (b.get(id), o.get(id), t.get(id));
        let conflict = |what: &str| Conflict {
            step: Some(id.to_string()),
            what: what.to_string(),
        };
        match (so, st) {
            (None, None) => {}
            (Some(x), None) | (None, Some(x)) => match sb {
                None => {
                    kept.insert(id, x);
                }
                Some(sb) if sb == x => {}
                Some(_) => conflicts.push(conflict("deleted on one side and edited on the other")),
            },
            (Some(so), Some(st)) if so == st => {
                kept.insert(id, st);
            }
            (Some(so), Some(st)) if sb == Some(so) => {
                kept.insert(id, st);
            }
            (Some(so), Some(st)) if sb == Some(st) => {
                kept.insert(id, so);
            }
            (Some(_), Some(st)) => {
                conflicts.push(conflict(if sb.is_some() {
                    "edited on both sides"
                } else {
                    "added on both sides with different content"
                }));
                kept.insert(id, st);
            }
        }
    }

    // The order.
    let (ob, oo, ot) = (
        common_order(base, &b, &o, &t),
        common_order(ours, &b, &o, &t),
        common_order(theirs, &b, &o, &t),
    );
    let (leader, other) = if oo == ob {
        (theirs, ours)
    } else if ot == ob || ot == oo {
        (ours, theirs)
    } else {
        conflicts.push(Conflict {
            step: None,
            what: "the steps were reordered on both sides, differently".to_string(),
        });
        (theirs, ours)
    };
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let mut ids: Vec<&str> = leader
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| kept.contains_key(id))
        .collect();
    for (i, s) in other.steps.iter().enumerate() {
        let id = s.id.as_str();
        if !kept.contains_key(id) || ids.contains(&id) {
            continue;
        }
        // After the nearest step before it on its side that is in the result, else first.
        let at = other.steps[..i]
            .iter()
            .rev()
            .find_map(|p| ids.iter().position(|x| *x == p.id))
            .map_or(0, |p| p + 1);
        ids.insert(at, id);
    }
    merged.steps = ids
        .into_iter()
        .filter_map(|id| kept.get(id).map(|s| (*s).clone()))
        .collect();
    Ok(merged)
}

/// The ids of `j`'s steps that all three sides hold, in `j`'s order.
fn common_order<'a>(
    j: &'a Journey,
    b: &BTreeMap<&str, &Step>,
    o: &BTreeMap<&str, &Step>,
    t: &BTreeMap<&str, &Step>,
) -> Vec<&'a str> {
    j.steps
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| b.contains_key(id) && o.contains_key(id) && t.contains_key(id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StepKind;
    use crate::model::edit::{new_journey, new_step};

    fn journey(steps: &[(&str, &str)]) -> Journey {
        let mut j = new_journey("j", "J", "t");
        j.steps = steps
            .iter()
            .map(|(id, title)| new_step(id.to_string(), StepKind::Advance, title))
            .collect();
        j
    }

    fn view(j: &Journey) -> Vec<(&str, &str)> {
        j.steps
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str()))
            .collect()
    }

    #[test]
    fn changes_to_different_steps_are_both_kept() {
        let base = journey(&[("s01", "a"), ("s02", "b"), ("s03", "c")]);
        // Ours: edits s01, adds s04 after s02. Theirs: deletes s03, adds s05 first, retitles.
        let ours = journey(&[("s01", "A"), ("s02", "b"), ("s04", "d"), ("s03", "c")]);
        let mut theirs = journey(&[("s05", "e"), ("s01", "a"), ("s02", "b")]);
        theirs.title = "New title".into();
        let m = merge(&base, &ours, &theirs).unwrap();
        assert_eq!(
            view(&m),
            [("s05", "e"), ("s01", "A"), ("s02", "b"), ("s04", "d")]
        );
        assert_eq!(m.title, "New title");
        // The same the other way round.
        let m2 = merge(&base, &theirs, &ours).unwrap();
        assert_eq!(view(&m2), view(&m));
    }

    #[test]
    fn a_reorder_on_one_side_is_taken() {
        let base = journey(&[("s01", "a"), ("s02", "b"), ("s03", "c")]);
        let ours = journey(&[("s03", "c"), ("s01", "a"), ("s02", "b")]);
        let theirs = journey(&[("s01", "a"), ("s02", "B"), ("s03", "c")]);
        let m = merge(&base, &ours, &theirs).unwrap();
        assert_eq!(view(&m), [("s03", "c"), ("s01", "a"), ("s02", "B")]);
    }

    #[test]
    fn conflicts_are_reported_not_resolved() {
        let base = journey(&[("s01", "a"), ("s02", "b")]);
        let ours = journey(&[("s01", "mine"), ("s02", "b")]);
        let theirs = journey(&[("s01", "yours")]);
        assert_eq!(
            merge(&base, &ours, &theirs),
            Err(vec![Conflict {
                step: Some("s01".into()),
                what: "edited on both sides".into()
            }])
        );
        // Deleted here, edited there.
        let ours = journey(&[("s01", "a")]);
        let theirs = journey(&[("s01", "a"), ("s02", "edited")]);
        let e = merge(&base, &ours, &theirs).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "step 's02': deleted on one side and edited on the other"
        );
        // Reordered differently on both sides.
        let base = journey(&[("s01", "a"), ("s02", "b"), ("s03", "c")]);
        let ours = journey(&[("s02", "b"), ("s01", "a"), ("s03", "c")]);
        let theirs = journey(&[("s01", "a"), ("s03", "c"), ("s02", "b")]);
        let e = merge(&base, &ours, &theirs).unwrap_err();
        assert_eq!(e[0].step, None);
        // Nothing changed anywhere: the base.
        assert_eq!(merge(&base, &base, &base), Ok(base.clone()));
    }
}
