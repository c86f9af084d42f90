//! Journey files as the editor writes them: the canonical layout (load → save → load is the
//! identity; one added step is a diff of only its lines), any run of step edits and undos kept
//! on disk exactly and every note on its step, and a file changed on disk while open merged by
//! step id or refused.

use proptest::prelude::*;
use terreng::model::edit::{self, Edit, new_journey, new_step, next_step_id};
use terreng::model::{Evidence, Journey, Place, Provenance, Source, Step, StepKind};
use terreng::store::parse;
use terreng::store::write::{self, SaveError, Saved};

/// Any text, with what makes writers stumble: quotes, backslashes, newlines, control and
/// bidi characters, Norwegian letters, apostrophes, comment markers.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9 ]{0,6}",
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\t\r".to_string()),
            Just("\u{1b}[31m".to_string()),
            Just("\u{202e}".to_string()),
            Just("æøå ÆØÅ".to_string()),
            Just("'".to_string()),
            Just("// /* */".to_string()),
            Just("«»–—…".to_string()),
            Just("\\u{41}".to_string()),
            Just("\u{30a}a\u{30a}".to_string()),
            Just("\u{200b}\u{feff}".to_string()),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e6..1e6f64,
        Just(0.0),
        Just(-0.0),
        Just(1e-9),
        Just(1e300),
        Just(f64::INFINITY),
    ]
}

fn provenance() -> impl Strategy<Value = Provenance> {
    prop_oneof![
        Just(Provenance::Documented),
        text().prop_map(Provenance::Reconstructed),
        text().prop_map(Provenance::Hypothetical),
    ]
}

fn evidence() -> impl Strategy<Value = Evidence> {
    (
        text(),
        prop::option::of(text()),
        text(),
        text(),
        prop::option::of(text()),
        prop::option::of((0usize..10_000, 0usize..10_000)),
    )
        .prop_map(
            |(quote, source_text, translation, locator, source, span)| Evidence {
                quote,
                source_text,
                translation,
                locator,
                source,
                span,
            },
        )
}

fn step(id: String) -> impl Strategy<Value = Step> {
    (
        (
            prop::sample::select(StepKind::ALL.to_vec()),
            prop::option::of(text()),
            text(),
            text(),
        ),
        (
            prop::collection::vec("[a-z_]{1,8}", 0..3),
            prop::collection::vec("[a-z_]{1,8}", 0..3),
            prop::collection::vec(evidence(), 0..3),
        ),
        (
            prop::option::of(number()),
            prop::option::of((number(), number())),
            any::<bool>(),
            prop::option::of(provenance()),
        ),
    )
        .prop_map(
            move |(
                (kind, when, title, narrative),
                (obstacles, enablers, evidence),
                (stride, at, partial, provenance),
            )| Step {
                id: id.clone(),
                kind,
                when,
                title,
                narrative,
                obstacles,
                enablers,
                evidence,
                stride,
                at,
                partial,
                provenance,
            },
        )
}

fn journey() -> impl Strategy<Value = Journey> {
    let steps = (0usize..5).prop_flat_map(|n| {
        (0..n)
            .map(|i| step(format!("s{:02}", i + 1)))
            .collect::<Vec<_>>()
    });
    (
        (text(), text(), text(), prop::option::of(text())),
        (text(), prop::option::of(text()), provenance()),
        (
            prop::option::of((text(), prop::option::of(text()))),
            prop::option::of(text()),
            prop::option::of(text()),
        ),
        (text(), text(), steps),
    )
        .prop_map(
            |(
                (title, theme, work, doi),
                (seed, licence, provenance),
                (place, period, variant),
                (goal, outcome, steps),
            )| Journey {
                id: "j".to_string(),
                title,
                theme,
                source: Source {
                    work,
                    doi,
                    seed: Some(seed),
                    licence,
                },
                provenance,
                place: place.map(|(name, inferred)| Place { name, inferred }),
                period,
                variant,
                goal,
                outcome,
                steps,
            },
        )
}

fn load(text: &str) -> Journey {
    parse::parse("test", text).unwrap()
}

/// The lines a diff adds and removes, marked `+` and `-`.
fn changed_lines(old: &str, new: &str) -> Vec<String> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// load → save → load is the identity, and saving again gives the same bytes.
    #[test]
    fn the_canonical_layout_reads_back_as_written(j in journey()) {
        let text = write::journey_text(&j, "").unwrap();
        let back = load(&text);
        prop_assert_eq!(&back, &j);
        prop_assert_eq!(write::journey_text(&back, "").unwrap(), text.clone());
        prop_assert!(write::dropped_comments(&text).is_empty(), "no comment is invented");
    }

    /// One added step is a diff of only its lines: a block of added lines, nothing removed.
    #[test]
    fn one_added_step_is_a_diff_of_its_lines_only(
        j in journey(),
        new in step("s99".to_string()),
        at in any::<prop::sample::Index>(),
    ) {
        let before = write::journey_text(&j, "").unwrap();
        let mut after_j = j.clone();
        let index = at.index(j.steps.len() + 1);
        edit::apply(&mut after_j, Edit::Insert { index, step: new.clone() }).unwrap();
        let after = write::journey_text(&after_j, "").unwrap();
        let mut changed = changed_lines(&before, &after);
        // The step's own lines, as the writer writes a step.
        let mut alone = new_journey("j", "", "");
        alone.steps.push(new);
        let alone_text = write::journey_text(&alone, "").unwrap();
        let block = alone_text
            .split_once("    steps: [\n")
            .and_then(|(_, rest)| rest.rsplit_once("    ],\n"))
            .map(|(b, _)| b.to_string())
            .unwrap();
        let lines = block.lines().count();
        if j.steps.is_empty() {
            // `steps: []` becomes the list: that one line goes; the list with the step comes.
            prop_assert_eq!(changed.remove(0), "-    steps: [],\n");
            let added: String = changed.iter().map(|l| &l[1..]).collect();
            prop_assert_eq!(added, format!("    steps: [\n{block}    ],\n"));
        } else {
            // Only additions, as many as the step has lines (a line diff may show the block
            // shifted by a line where the neighbour's closing and opening lines are the same).
            prop_assert!(changed.iter().all(|l| l.starts_with('+')), "{changed:?}");
            prop_assert_eq!(changed.len(), lines, "{:?}", changed);
        }
    }
}

/// One step of a random editing session.
#[derive(Debug, Clone)]
enum Op {
    AddAfter(prop::sample::Index),
    InsertBefore(prop::sample::Index),
    Retitle(prop::sample::Index, String),
    Delete(prop::sample::Index),
    Earlier(prop::sample::Index),
    Later(prop::sample::Index),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Op::AddAfter),
        any::<prop::sample::Index>().prop_map(Op::InsertBefore),
        (any::<prop::sample::Index>(), "[a-zø ]{0,8}").prop_map(|(i, t)| Op::Retitle(i, t)),
        any::<prop::sample::Index>().prop_map(Op::Delete),
        any::<prop::sample::Index>().prop_map(Op::Earlier),
        any::<prop::sample::Index>().prop_map(Op::Later),
        Just(Op::Undo),
        Just(Op::Redo),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any run of step edits, moves, deletes, undos and redos, each saved through the writer:
    /// the file on disk always reads back as the journey in memory, and every note stays on
    /// the step it was made on (a step's narrative is its birth mark, never edited here) — a
    /// note whose step is deleted waits, and is on it again when the delete is undone; a new
    /// step never takes the id of a step a note is on.
    #[test]
    fn edits_and_undos_keep_the_file_the_state_and_notes_on_their_steps(
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ron");
        let mut j = new_journey("j", "J", "t");
        for i in 1..=3 {
            let mut s = new_step(format!("s{i:02}"), StepKind::Advance, "x");
            s.narrative = format!("born as s{i:02}");
            j.steps.push(s);
        }
        // A note on each first step: (step id, the narrative of the step it was made on).
        let notes: Vec<(String, String)> =
            j.steps.iter().map(|s| (s.id.clone(), s.narrative.clone())).collect();
        let (_, _, mut disk) = write::save_journey_merged(&path, None, None, &j).unwrap();
        let mut base = j.clone();
        let mut undo: Vec<Edit> = Vec::new();
        let mut redo: Vec<Edit> = Vec::new();
        let mut born = 3;
        for op in ops {
            let n = j.steps.len();
            let id_at = |i: &prop::sample::Index| (n > 0).then(|| j.steps[i.index(n)].id.clone());
            let done = match op {
                Op::AddAfter(i) | Op::InsertBefore(i) => {
                    let noted = notes.iter().map(|(s, _)| s.as_str());
                    let id = next_step_id(&j, noted);
                    prop_assert!(!notes.iter().any(|(s, _)| *s == id), "a note's step id is never reused");
                    born += 1;
                    let mut s = new_step(id, StepKind::Stall, "new");
                    s.narrative = format!("born {born}");
                    match (&op, id_at(&i)) {
                        (Op::AddAfter(_), after) => edit::add_after(&mut j, after.as_deref(), s).ok(),
                        (_, Some(before)) => edit::insert_before(&mut j, &before, s).ok(),
                        (_, None) => edit::add_after(&mut j, None, s).ok(),
                    }
                }
                Op::Retitle(i, t) => id_at(&i).and_then(|id| edit::edit_step(&mut j, &id, |s| s.title = t).ok()),
                Op::Delete(i) => id_at(&i).and_then(|id| edit::delete_step(&mut j, &id).ok()),
                Op::Earlier(i) => id_at(&i).and_then(|id| edit::move_earlier(&mut j, &id).ok()),
                Op::Later(i) => id_at(&i).and_then(|id| edit::move_later(&mut j, &id).ok()),
                Op::Undo => {
                    if let Some(e) = undo.pop() {
                        redo.push(edit::apply(&mut j, e).unwrap());
                    }
                    None
                }
                Op::Redo => {
                    if let Some(e) = redo.pop() {
                        undo.push(edit::apply(&mut j, e).unwrap());
                    }
                    None
                }
            };
            if let Some(inverse) = done {
                undo.push(inverse);
                redo.clear();
            }
            let (saved, written, text) =
                write::save_journey_merged(&path, Some(&disk), Some(&base), &j).unwrap();
            prop_assert_eq!(saved, Saved::Written);
            prop_assert_eq!(&written, &j);
            disk = text;
            base = j.clone();
            let on_disk = load(&std::fs::read_to_string(&path).unwrap());
            prop_assert_eq!(&on_disk, &j);
            for (step, mark) in &notes {
                if let Some(s) = on_disk.steps.iter().find(|s| s.id == *step) {
                    prop_assert_eq!(&s.narrative, mark, "the note is on its own step");
                }
            }
            let mut ids: Vec<&str> = on_disk.steps.iter().map(|s| s.id.as_str()).collect();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len(), on_disk.steps.len(), "ids are unique");
        }
        // Everything undone: the journey as it began, every note on its step.
        while let Some(e) = undo.pop() {
            edit::apply(&mut j, e).unwrap();
        }
        let ids: Vec<&str> = j.steps.iter().map(|s| s.id.as_str()).collect();
        prop_assert_eq!(ids, ["s01", "s02", "s03"]);
    }
}

fn three_steps() -> Journey {
    let mut j = new_journey("j", "J", "t");
    for (id, title) in [("s01", "a"), ("s02", "b"), ("s03", "c")] {
        j.steps.push(new_step(id.into(), StepKind::Advance, title));
    }
    j
}

#[test]
fn a_file_changed_on_disk_is_merged_by_step_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ron");
    let base = three_steps();
    let (_, _, base_text) = write::save_journey_merged(&path, None, None, &base).unwrap();
    // Someone else (an editor, a pull) adds a step at the end and retitles s01 …
    let mut theirs = base.clone();
    theirs.steps[0].title = "A".into();
    theirs
        .steps
        .push(new_step("s04".into(), StepKind::Arrive, "d"));
    std::fs::write(&path, write::journey_text(&theirs, "// theirs\n").unwrap()).unwrap();
    // … while here a step is added after s02 (it gets s05: s04 is on disk now, but here it
    // was not known; the merge keeps both since their ids differ) and s03 is deleted.
    let mut ours = base.clone();
    edit::add_after(
        &mut ours,
        Some("s02"),
        new_step("s05".into(), StepKind::Stall, "e"),
    )
    .unwrap();
    edit::delete_step(&mut ours, "s03").unwrap();
    let (saved, merged, text) =
        write::save_journey_merged(&path, Some(&base_text), Some(&base), &ours).unwrap();
    assert_eq!(saved, Saved::Merged);
    let view: Vec<(&str, &str)> = merged
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        view,
        [("s01", "A"), ("s02", "b"), ("s05", "e"), ("s04", "d")]
    );
    assert!(
        text.starts_with("// theirs\nJourney("),
        "their header comment kept"
    );
    assert_eq!(load(&std::fs::read_to_string(&path).unwrap()), merged);
}

#[test]
fn a_conflicting_change_on_disk_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ron");
    let base = three_steps();
    let (_, _, base_text) = write::save_journey_merged(&path, None, None, &base).unwrap();
    let mut theirs = base.clone();
    theirs.steps[1].title = "theirs".into();
    let theirs_text = write::journey_text(&theirs, "").unwrap();
    std::fs::write(&path, &theirs_text).unwrap();
    let mut ours = base.clone();
    ours.steps[1].title = "ours".into();
    let e = write::save_journey_merged(&path, Some(&base_text), Some(&base), &ours).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{} changed on disk, and the changes conflict: step 's02': edited on both sides",
            path.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs_text);
    // A file broken on disk is left as it is.
    std::fs::write(&path, "Journey(id: ").unwrap();
    let e = write::save_journey_merged(&path, Some(&base_text), Some(&base), &ours).unwrap_err();
    assert!(matches!(e, SaveError::Broken(_)), "{e:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "Journey(id: ");
}

/// The bundled journeys are kept in the canonical layout, so that a study copied from them
/// and edited in terreng shows in `git diff` only the lines that were edited.
#[test]
fn every_bundled_journey_file_is_in_the_canonical_layout() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("journeys");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") || path.ends_with("terrain.ron") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let canonical = write::journey_text(&load(&text), write::leading_comments(&text)).unwrap();
        assert!(
            canonical == text,
            "{} is not in the canonical layout; `terreng --data journeys journey fmt` writes it",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 29, "only {checked} journey files found");
}
