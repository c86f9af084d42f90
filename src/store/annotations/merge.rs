//! The three-way merge of one analyst's notes on one journey, by note id: what memory holds,
//! what the disk holds now, and the base both grew from. It decides what is kept; it must not
//! read or write files (the caller brings the sides and writes the result).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::annotation::{Note, new_id};

pub(super) fn by_id(notes: Vec<Note>) -> BTreeMap<String, Note> {
    notes.into_iter().map(|n| (n.id.clone(), n)).collect()
}

/// A journey's notes from its file and the recovered file beside it, which was written over
/// the file's notes: its version of a note wins.
pub(super) fn overlay(
    file: &BTreeMap<String, Note>,
    beside: &BTreeMap<String, Note>,
) -> BTreeMap<String, Note> {
    let mut notes = file.clone();
    notes.extend(beside.iter().map(|(id, n)| (id.clone(), n.clone())));
    notes
}

/// The losing side of a note edited twice, kept as a new note that names the note it is a
/// conflict of.
pub(super) fn conflict_copy(loser: Note) -> Note {
    Note {
        id: new_id(),
        conflict_of: Some(loser.id.clone()),
        ..loser
    }
}

/// Merges the notes of one file by id: `base` as last read or written, `ours` in memory,
/// `theirs` on disk now. Returns the merged notes and how many conflict notes were added.
///
/// - new on either side: kept (new on both with different content: a conflict, as below);
/// - deleted on one side, untouched on the other: deleted; edited on the other: the edit kept;
/// - edited on one side only: that edit;
/// - edited on both sides differently: the newer `updated` wins (a tie goes to the disk),
///   and the other version is kept as a new note with `conflict_of` set to the id.
pub(super) fn merge(
    base: &BTreeMap<String, Note>,
    ours: &BTreeMap<String, Note>,
    theirs: &BTreeMap<String, Note>,
) -> (BTreeMap<String, Note>, usize) {
    let mut merged = BTreeMap::new();
    let mut losers = Vec::new();
    let ids: BTreeSet<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    for id in ids {
        let b = base.get(id);
        let o = ours.get(id);
        let t = theirs.get(id);
        let keep = match (o, t) {
            (None, None) => None,
            // Present on one side only: new there, or deleted on the other.
            (Some(x), None) | (None, Some(x)) => match b {
                Some(b) if b == x => None,
                _ => Some(x.clone()),
            },
            (Some(o), Some(t)) if o == t => Some(t.clone()),
            (Some(o), Some(t)) if b == Some(o) => Some(t.clone()),
            (Some(o), Some(t)) if b == Some(t) => Some(o.clone()),
            (Some(o), Some(t)) => {
                let (winner, loser) = if o.updated > t.updated {
                    (o, t)
                } else {
                    (t, o)
                };
                losers.push(loser.clone());
                Some(winner.clone())
            }
        };
        if let Some(note) = keep {
            merged.insert(id.clone(), note);
        }
    }
    let conflicts = losers.len();
    for loser in losers {
        let note = conflict_copy(loser);
        merged.insert(note.id.clone(), note);
    }
    (merged, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str, text: &str, updated: &str) -> Note {
        Note {
            id: id.into(),
            step: "s01".into(),
            codes: vec!["o1".into()],
            text: text.into(),
            created: "2026-01-01T00:00:00Z".into(),
            updated: updated.into(),
            conflict_of: None,
        }
    }

    fn map(notes: &[Note]) -> BTreeMap<String, Note> {
        by_id(notes.to_vec())
    }

    const T1: &str = "2026-01-01T00:00:01Z";
    const T2: &str = "2026-01-01T00:00:02Z";
    const T3: &str = "2026-01-01T00:00:03Z";

    #[test]
    fn unchanged_sides_merge_to_the_base() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let (merged, conflicts) = merge(&base, &base, &base);
        assert_eq!(merged, base);
        assert_eq!(conflicts, 0);
    }

    #[test]
    fn a_note_new_on_either_side_is_kept() {
        let base = map(&[note("a", "x", T1)]);
        let ours = map(&[note("a", "x", T1), note("o", "ours", T2)]);
        let theirs = map(&[note("a", "x", T1), note("t", "theirs", T2)]);
        let (merged, conflicts) = merge(&base, &ours, &theirs);
        assert_eq!(conflicts, 0);
        assert_eq!(merged.keys().collect::<Vec<_>>(), ["a", "o", "t"]);
        assert_eq!(merged["o"].text, "ours");
        assert_eq!(merged["t"].text, "theirs");
    }

    #[test]
    fn a_note_new_on_both_sides_the_same_is_kept_once() {
        let base = map(&[]);
        let both = map(&[note("n", "same", T2)]);
        let (merged, conflicts) = merge(&base, &both, &both);
        assert_eq!((merged, conflicts), (both, 0));
    }

    #[test]
    fn a_note_deleted_on_one_side_and_untouched_on_the_other_is_deleted() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let without_a = map(&[note("b", "y", T1)]);
        let without_b = map(&[note("a", "x", T1)]);
        // Deleted by us.
        let (merged, _) = merge(&base, &without_a, &base);
        assert_eq!(merged, without_a);
        // Deleted on disk.
        let (merged, _) = merge(&base, &base, &without_b);
        assert_eq!(merged, without_b);
        // Deleted on both.
        let (merged, c) = merge(&base, &without_a, &without_a);
        assert_eq!((merged, c), (without_a, 0));
    }

    #[test]
    fn a_note_deleted_on_one_side_and_edited_on_the_other_keeps_the_edit() {
        let base = map(&[note("a", "x", T1)]);
        let edited = map(&[note("a", "edited", T2)]);
        let empty = map(&[]);
        let (merged, conflicts) = merge(&base, &edited, &empty);
        assert_eq!((merged, conflicts), (edited.clone(), 0));
        let (merged, conflicts) = merge(&base, &empty, &edited);
        assert_eq!((merged, conflicts), (edited, 0));
    }

    #[test]
    fn a_note_edited_on_one_side_only_takes_that_edit() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let ours = map(&[note("a", "ours", T2), note("b", "y", T1)]);
        let theirs = map(&[note("a", "x", T1), note("b", "theirs", T3)]);
        let (merged, conflicts) = merge(&base, &ours, &theirs);
        assert_eq!(conflicts, 0);
        assert_eq!(merged["a"].text, "ours");
        assert_eq!(merged["b"].text, "theirs");
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn the_same_edit_on_both_sides_is_no_conflict() {
        let base = map(&[note("a", "x", T1)]);
        let both = map(&[note("a", "same", T2)]);
        assert_eq!(merge(&base, &both, &both), (both, 0));
    }

    fn conflict_case(ours_updated: &str, theirs_updated: &str) -> (BTreeMap<String, Note>, usize) {
        let base = map(&[note("a", "x", T1)]);
        let mut o = note("a", "ours", ours_updated);
        o.step = "s02".into();
        let ours = map(&[o]);
        let theirs = map(&[note("a", "theirs", theirs_updated)]);
        merge(&base, &ours, &theirs)
    }

    fn the_conflict(merged: &BTreeMap<String, Note>) -> &Note {
        let conflicts: Vec<&Note> = merged
            .values()
            .filter(|n| n.conflict_of.is_some())
            .collect();
        assert_eq!(conflicts.len(), 1, "{merged:#?}");
        conflicts[0]
    }

    #[test]
    fn both_edited_the_newer_wins_and_the_other_becomes_a_conflict_note() {
        // Ours is newer.
        let (merged, conflicts) = conflict_case(T3, T2);
        assert_eq!(conflicts, 1);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged["a"].text, "ours");
        let c = the_conflict(&merged);
        assert_eq!(c.text, "theirs");
        assert_eq!(c.conflict_of.as_deref(), Some("a"));
        assert_eq!(c.step, "s01", "the losing side's step");
        assert_eq!(c.codes, ["o1"]);
        assert_ne!(c.id, "a");
        assert_eq!(c.id.len(), 26, "a fresh ULID");
        // Theirs is newer.
        let (merged, conflicts) = conflict_case(T2, T3);
        assert_eq!(conflicts, 1);
        assert_eq!(merged["a"].text, "theirs");
        let c = the_conflict(&merged);
        assert_eq!(c.text, "ours");
        assert_eq!(c.step, "s02");
        assert_eq!(c.conflict_of.as_deref(), Some("a"));
    }

    #[test]
    fn both_edited_at_the_same_second_the_disk_wins() {
        let (merged, conflicts) = conflict_case(T2, T2);
        assert_eq!(conflicts, 1);
        assert_eq!(merged["a"].text, "theirs");
        assert_eq!(the_conflict(&merged).text, "ours");
    }

    #[test]
    fn a_note_new_on_both_sides_with_different_content_is_a_conflict() {
        let base = map(&[]);
        let (merged, conflicts) = merge(
            &base,
            &map(&[note("n", "ours", T3)]),
            &map(&[note("n", "theirs", T2)]),
        );
        assert_eq!(conflicts, 1);
        assert_eq!(merged["n"].text, "ours");
        assert_eq!(the_conflict(&merged).text, "theirs");
    }

    #[test]
    fn several_conflicts_are_counted() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let ours = map(&[note("a", "oa", T2), note("b", "ob", T3)]);
        let theirs = map(&[note("a", "ta", T3), note("b", "tb", T2)]);
        let (merged, conflicts) = merge(&base, &ours, &theirs);
        assert_eq!(conflicts, 2);
        assert_eq!(merged.len(), 4);
        assert_eq!(merged["a"].text, "ta");
        assert_eq!(merged["b"].text, "ob");
    }

    #[test]
    fn a_recovered_file_belongs_to_its_journey_and_wins_over_it() {
        assert_eq!(
            super::super::codec::recovered_name("g06"),
            "g06.recovered.ron"
        );
        assert_eq!(super::super::codec::journey_of("g06.recovered"), "g06");
        assert_eq!(super::super::codec::journey_of("g06"), "g06");
        // Only the last part, and never an empty journey id.
        assert_eq!(
            super::super::codec::journey_of("a.recovered.recovered"),
            "a.recovered"
        );
        assert_eq!(super::super::codec::journey_of(".recovered"), ".recovered");
        assert_eq!(super::super::codec::journey_of("recovered"), "recovered");
        let file = map(&[note("a", "file", T1), note("b", "file", T1)]);
        let beside = map(&[note("b", "beside", T2), note("c", "beside", T2)]);
        let both = overlay(&file, &beside);
        let texts: Vec<&str> = both.values().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["file", "beside", "beside"]);
    }
}
