//! The annotation store on disk: memory and disk agree after any sequence of changes, text of
//! any kind survives a round trip, two windows on the same files lose nothing, a folder that
//! cannot be written keeps the change in memory, other analysts' and broken files are never
//! written over, notes on a journey whose file is broken are saved beside it and go back into
//! it once it is repaired, and adding a note adds only its lines to a diff.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use terreng::model::{Annotations, Note};
use terreng::store::annotations::{Change, NoteStore, Saved};

const JOURNEYS: [&str; 3] = ["g01", "g06", "g17"];
const STEPS: [&str; 4] = ["s01", "s02", "s03", "s10"];

/// Every note of a store, owned and in a stable order.
fn snapshot(store: &NoteStore) -> Vec<(String, String, Note)> {
    let mut all: Vec<_> = store
        .all()
        .into_iter()
        .map(|(a, j, n)| (a.to_string(), j.to_string(), n.clone()))
        .collect();
    all.sort_by(|x, y| (&x.0, &x.1, &x.2.id).cmp(&(&y.0, &y.1, &y.2.id)));
    all
}

/// What a store opened now reads from disk.
fn on_disk(root: &Path, analyst: &str) -> Vec<(String, String, Note)> {
    let (store, problems) = NoteStore::open(root, analyst);
    assert!(problems.is_empty(), "{problems:?}");
    snapshot(&store)
}

fn put(journey: &str, note: &Note) -> Change {
    Change::Put {
        journey: journey.to_string(),
        note: note.clone(),
    }
}

fn open(root: &Path, analyst: &str) -> NoteStore {
    let (store, problems) = NoteStore::open(root, analyst);
    assert!(problems.is_empty(), "{problems:?}");
    store
}

/// Every entry of a folder, hidden ones included, by name; but the lock file that saves take
/// turns on, which stays by design.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".terreng.lock")
        .collect();
    names.sort();
    names
}

/// Text of every kind a note can hold: the characters that RON, Rust escapes or a careless
/// writer would trip on, mixed with anything at all.
fn any_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\\n".to_string()),
        Just("r#\"".to_string()),
        Just("\"#".to_string()),
        Just("#".to_string()),
        Just(")".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just("(".to_string()),
        Just("//".to_string()),
        Just("/*".to_string()),
        Just("æøåÆØÅ".to_string()),
        Just("🧭👩‍👩‍👧".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{0}".to_string()),
        "[a-zA-Z0-9 ]{0,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
enum Op {
    Add {
        journey: usize,
        step: usize,
        text: String,
    },
    Edit {
        pick: usize,
        text: String,
    },
    Delete {
        pick: usize,
    },
    Undo,
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..JOURNEYS.len(), 0..STEPS.len(), any_text())
            .prop_map(|(journey, step, text)| Op::Add { journey, step, text }),
        2 => (any::<usize>(), any_text()).prop_map(|(pick, text)| Op::Edit { pick, text }),
        1 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
        1 => Just(Op::Undo),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn memory_and_disk_agree_after_every_change(ops in prop::collection::vec(any_op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("annotations");
        let mut store = open(&root, "hh");
        let mut undo: Vec<Change> = Vec::new();
        for op in ops {
            let own = snapshot(&store);
            let change = match op {
                Op::Add { journey, step, text } => Some(put(
                    JOURNEYS[journey],
                    &Note::new(STEPS[step], vec!["o1".into()], text),
                )),
                Op::Edit { pick, text } if !own.is_empty() => {
                    let (_, journey, note) = &own[pick % own.len()];
                    Some(put(journey, &note.edited(vec![], text)))
                }
                Op::Delete { pick } if !own.is_empty() => {
                    let (_, journey, note) = &own[pick % own.len()];
                    Some(Change::Delete { journey: journey.clone(), id: note.id.clone() })
                }
                Op::Undo => undo.pop(),
                _ => None,
            };
            let Some(change) = change else { continue };
            if let Some(inverse) = store.inverse(&change) {
                undo.push(inverse);
            }
            prop_assert_eq!(store.apply(change), Ok(Saved::Written));
            prop_assert!(store.unsaved().is_empty());
            prop_assert_eq!(snapshot(&store), on_disk(&root, "hh"));
        }
    }

    #[test]
    fn with_a_broken_file_every_change_is_still_on_disk_and_the_repair_loses_nothing(
        ops in prop::collection::vec(any_op(), 1..30),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("annotations");
        let broken = root.join("hh").join("g01.ron");
        fs::create_dir_all(broken.parent().unwrap()).unwrap();
        fs::write(&broken, "Annotations(analyst: \"hh\", journey: \"g01\", notes: 7)").unwrap();
        let mut store = open_with_problems(&root, "hh", 1);
        let mut undo: Vec<Change> = Vec::new();
        for op in ops {
            let own = snapshot(&store);
            let change = match op {
                Op::Add { journey, step, text } => Some(put(
                    JOURNEYS[journey],
                    &Note::new(STEPS[step], vec!["o1".into()], text),
                )),
                Op::Edit { pick, text } if !own.is_empty() => {
                    let (_, journey, note) = &own[pick % own.len()];
                    Some(put(journey, &note.edited(vec![], text)))
                }
                Op::Delete { pick } if !own.is_empty() => {
                    let (_, journey, note) = &own[pick % own.len()];
                    Some(Change::Delete { journey: journey.clone(), id: note.id.clone() })
                }
                Op::Undo => undo.pop(),
                _ => None,
            };
            let Some(change) = change else { continue };
            if let Some(inverse) = store.inverse(&change) {
                undo.push(inverse);
            }
            let want = if change.journey() == "g01" {
                Saved::Beside { conflicts: 0 }
            } else {
                Saved::Written
            };
            prop_assert_eq!(store.apply(change), Ok(want));
            prop_assert!(store.unsaved().is_empty());
            prop_assert_eq!(snapshot(&store), snapshot(&open_with_problems(&root, "hh", 1)));
        }
        prop_assert_eq!(
            fs::read_to_string(&broken).unwrap(),
            "Annotations(analyst: \"hh\", journey: \"g01\", notes: 7)"
        );
        // Repaired: every note is kept, the repaired file's too, in the file, and nothing beside it.
        let held = Note::new("s01", vec![], "held by the repaired file".into());
        let mut repaired = Annotations::new("hh", "g01");
        repaired.notes.push(held.clone());
        fs::write(&broken, ron::to_string(&repaired).unwrap()).unwrap();
        let mut want = snapshot(&store);
        want.push(("hh".into(), "g01".into(), held));
        want.sort_by(|x, y| (&x.0, &x.1, &x.2.id).cmp(&(&y.0, &y.1, &y.2.id)));
        let (_, problems) = store.refresh();
        prop_assert_eq!(problems, vec![]);
        prop_assert_eq!(snapshot(&store), want.clone());
        prop_assert_eq!(on_disk(&root, "hh"), want);
        prop_assert!(!root.join("hh/g01.recovered.ron").exists());
    }

    #[test]
    fn any_text_survives_load_save_load(text in any_text(), code in any_text()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let note = Note::new("s01", vec![code, "o2".into()], text);
        let mut first = open(root, "hh");
        prop_assert_eq!(first.apply(put("g06", &note)), Ok(Saved::Written));
        let path = first.path_of("g06");
        let written = fs::read(&path).unwrap();
        prop_assert!(written.ends_with(b")\n"));

        // Load: the note as it was made.
        let mut second = open(root, "hh");
        prop_assert_eq!(second.own_note("g06", &note.id), Some(&note));
        // Save (a change and its undo make the store write the file twice) ...
        let other = Note::new("s02", vec![], "other".into());
        prop_assert_eq!(second.apply(put("g06", &other)), Ok(Saved::Written));
        let delete = Change::Delete { journey: "g06".into(), id: other.id.clone() };
        prop_assert_eq!(second.apply(delete), Ok(Saved::Written));
        // ... to the same bytes, and load again: the same note.
        prop_assert_eq!(fs::read(&path).unwrap(), written);
        let third = open(root, "hh");
        prop_assert_eq!(third.own_note("g06", &note.id), Some(&note));
        prop_assert_eq!(third.all().len(), 1);
    }
}

#[test]
fn two_windows_on_the_same_files_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut a = open(root, "hh");
    let mut b = open(root, "hh");

    // New notes on both sides are both kept.
    let n1 = Note::new("s01", vec![], "one".into());
    let n2 = Note::new("s02", vec![], "two".into());
    assert_eq!(a.apply(put("g06", &n1)), Ok(Saved::Written));
    assert_eq!(b.apply(put("g06", &n2)), Ok(Saved::Merged { conflicts: 0 }));
    assert!(b.own_note("g06", &n1.id).is_some(), "b took in a's note");
    assert_eq!(on_disk(root, "hh").len(), 2);

    // Edits to different notes: both kept (a has not seen b's save).
    let n1a = n1.edited(vec!["o1".into()], "one, edited in a".into());
    let n2b = n2.edited(vec![], "two, edited in b".into());
    assert_eq!(
        a.apply(put("g06", &n1a)),
        Ok(Saved::Merged { conflicts: 0 })
    );
    assert_eq!(
        b.apply(put("g06", &n2b)),
        Ok(Saved::Merged { conflicts: 0 })
    );
    let disk = on_disk(root, "hh");
    let text_of = |id: &str| {
        disk.iter()
            .find(|(_, _, n)| n.id == id)
            .map(|(_, _, n)| n.text.clone())
    };
    assert_eq!(text_of(&n1.id).as_deref(), Some("one, edited in a"));
    assert_eq!(text_of(&n2.id).as_deref(), Some("two, edited in b"));
    assert_eq!(disk.len(), 2);

    // The same note edited on both sides: the newer wins, even when it is saved first; the
    // other text is kept in a conflict note.
    let mut newer = n1a.edited(vec![], "newer, from a".into());
    newer.updated = "2099-01-01T00:00:00Z".into();
    let mut older = n1a.edited(vec![], "older, from b".into());
    older.updated = "2098-01-01T00:00:00Z".into();
    assert_eq!(
        a.apply(put("g06", &newer)),
        Ok(Saved::Merged { conflicts: 0 })
    );
    assert_eq!(
        b.apply(put("g06", &older)),
        Ok(Saved::Merged { conflicts: 1 })
    );
    let disk = on_disk(root, "hh");
    assert_eq!(disk.len(), 3, "{disk:#?}");
    let winner = disk.iter().find(|(_, _, n)| n.id == n1.id).unwrap();
    assert_eq!(winner.2.text, "newer, from a");
    let conflict = disk
        .iter()
        .find(|(_, _, n)| n.conflict_of.is_some())
        .unwrap();
    assert_eq!(conflict.2.conflict_of.as_deref(), Some(n1.id.as_str()));
    assert_eq!(conflict.2.text, "older, from b");
    assert_eq!(conflict.2.step, "s01");
    assert_eq!(snapshot(&b), disk, "b holds what it wrote");

    // A delete on one side of a note untouched on the other removes it; the other side's new
    // note is kept.
    let (changed, problems) = a.refresh();
    assert!(changed && problems.is_empty());
    a.apply(Change::Delete {
        journey: "g06".into(),
        id: n2.id.clone(),
    })
    .unwrap();
    let n3 = Note::new("s03", vec![], "three, from b".into());
    assert_eq!(b.apply(put("g06", &n3)), Ok(Saved::Merged { conflicts: 0 }));
    let disk = on_disk(root, "hh");
    assert!(disk.iter().all(|(_, _, n)| n.id != n2.id), "{disk:#?}");
    assert!(disk.iter().any(|(_, _, n)| n.id == n3.id));
    assert!(b.own_note("g06", &n2.id).is_none());
    assert_eq!(disk.len(), 3);
    assert_eq!(snapshot(&b), disk);
    // And after a refresh both windows agree with the disk.
    a.refresh();
    assert_eq!(snapshot(&a), disk);
}

#[test]
fn a_folder_that_cannot_be_written_keeps_the_change_until_retry() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("annotations");
    let mut store = open(&root, "hh");
    let first = Note::new("s01", vec![], "first".into());
    store.apply(put("g06", &first)).unwrap();
    let folder = root.join("hh");
    let original = fs::read(folder.join("g06.ron")).unwrap();

    #[cfg(unix)]
    let chmod_works = {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
        // As root, permissions do not stop a write: then test with a folder that cannot be
        // made at all instead.
        let probe = folder.join("probe");
        let denied = fs::write(&probe, "x").is_err();
        let _ = fs::remove_file(&probe);
        if !denied {
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
        }
        denied
    };
    #[cfg(not(unix))]
    let chmod_works = false;

    let second = Note::new("s02", vec![], "second".into());
    if chmod_works {
        let err = store.apply(put("g06", &second)).unwrap_err();
        assert!(err.message.starts_with("could not save: "), "{err}");
        assert!(err.to_string().contains("g06.ron"), "{err}");
        assert!(store.own_note("g06", &second.id).is_some());
        assert_eq!(store.unsaved(), ["g06"]);
        // Nothing half-written, no temporary file, the old file as it was.
        assert_eq!(entries(&folder), ["g06.ron"]);
        assert_eq!(fs::read(folder.join("g06.ron")).unwrap(), original);
        // Still failing: retry says so.
        assert_eq!(store.retry().len(), 1);
        assert_eq!(entries(&folder), ["g06.ron"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
        }
        assert_eq!(store.retry(), []);
        assert!(store.unsaved().is_empty());
        let disk = on_disk(&root, "hh");
        assert_eq!(disk.len(), 2);
        assert!(disk.iter().any(|(_, _, n)| n == &second));
        assert_eq!(entries(&folder), ["g06.ron"]);
    } else {
        // A regular file where a folder above the analyst's folder should be.
        let blocker = dir.path().join("blocker");
        fs::write(&blocker, "a file, not a folder").unwrap();
        let root = blocker.join("annotations");
        let mut store = open(&root, "hh");
        let err = store.apply(put("g06", &second)).unwrap_err();
        assert!(err.message.starts_with("could not save: "), "{err}");
        assert!(store.own_note("g06", &second.id).is_some());
        assert_eq!(store.unsaved(), ["g06"]);
        assert_eq!(snapshot(&store).len(), 1);
        assert_eq!(store.retry().len(), 1);
        assert_eq!(fs::read(&blocker).unwrap(), b"a file, not a folder");
        assert_eq!(entries(dir.path()), ["annotations", "blocker"]);
        // Made writable: the file goes, and the folder can be made.
        fs::remove_file(&blocker).unwrap();
        assert_eq!(store.retry(), []);
        assert!(store.unsaved().is_empty());
        let disk = on_disk(&root, "hh");
        assert_eq!(disk.len(), 1);
        assert_eq!(disk[0].2, second);
        assert_eq!(entries(&root.join("hh")), ["g06.ron"]);
    }
}

#[test]
fn notes_come_own_analyst_first_and_others_files_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Another analyst's files, one written by hand with its notes out of id order.
    let mut aa = open(root, "aa");
    let aa1 = Note::new("s01", vec![], "aa first".into());
    let aa2 = Note::new("s01", vec![], "aa second".into());
    let mut zz = open(root, "zz");
    let zz1 = Note::new("s01", vec![], "zz".into());
    zz.apply(put("g06", &zz1)).unwrap();
    aa.apply(put("g06", &aa1)).unwrap();
    let by_hand = format!(
        "// by hand\nAnnotations(analyst: \"aa\", journey: \"g06\", notes: [\n{}, {}])",
        ron::to_string(&aa2).unwrap(),
        ron::to_string(&aa1).unwrap()
    );
    fs::write(root.join("aa/g06.ron"), &by_hand).unwrap();
    let zz_file = fs::read(root.join("zz/g06.ron")).unwrap();

    let mut hh = open(root, "hh");
    let hh1 = Note::new("s01", vec![], "hh first".into());
    let hh2 = Note::new("s01", vec![], "hh second".into());
    let elsewhere = Note::new("s02", vec![], "another step".into());
    hh.apply(put("g06", &hh2)).unwrap();
    hh.apply(put("g06", &hh1)).unwrap();
    hh.apply(put("g06", &elsewhere)).unwrap();
    hh.apply(Change::Delete {
        journey: "g06".into(),
        id: hh2.id.clone(),
    })
    .unwrap();
    hh.apply(put("g06", &hh2)).unwrap();

    let on: Vec<(&str, &str)> = hh
        .notes_on("g06", "s01")
        .into_iter()
        .map(|(a, n)| (a, n.text.as_str()))
        .collect();
    assert_eq!(
        on,
        [
            ("hh", "hh first"),
            ("hh", "hh second"),
            ("aa", "aa first"),
            ("aa", "aa second"),
            ("zz", "zz"),
        ]
    );
    assert_eq!(hh.notes_on("g06", "s02").len(), 1);
    assert!(hh.notes_on("g01", "s01").is_empty());
    assert_eq!(hh.all().len(), 6);
    // Others' files are as they were, byte for byte.
    assert_eq!(
        fs::read_to_string(root.join("aa/g06.ron")).unwrap(),
        by_hand
    );
    assert_eq!(fs::read(root.join("zz/g06.ron")).unwrap(), zz_file);
    assert_eq!(entries(&root.join("aa")), ["g06.ron"]);
    // The annotations folder gets a .gitignore for the temporaries and the lock file.
    assert_eq!(entries(root), [".gitignore", "aa", "hh", "zz"]);
    let ignore = fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(ignore.contains(".*.tmp-*") && ignore.contains(".terreng.lock"));
}

/// An own file that does not parse: a note with a doubled comma on line 5.
const BROKEN: &str = "Annotations(\n    analyst: \"hh\",\n    journey: \"g06\",\n    notes: [\n        Note(id: \"01\", step: \"s01\",, )\n";

/// Writes the broken file for hh's g06 and returns its path.
fn break_g06(root: &Path) -> std::path::PathBuf {
    let path = root.join("hh").join("g06.ron");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, BROKEN).unwrap();
    path
}

/// The notes of a file, which must parse, by id.
fn notes_in(path: &Path, analyst: &str, journey: &str) -> Vec<Note> {
    let text = fs::read_to_string(path).unwrap();
    let file: Annotations = ron::from_str(&text).unwrap();
    assert_eq!(
        (file.analyst.as_str(), file.journey.as_str()),
        (analyst, journey)
    );
    let mut notes = file.notes;
    notes.sort_by(|a, b| a.id.cmp(&b.id));
    notes
}

fn sorted(mut notes: Vec<Note>) -> Vec<Note> {
    notes.sort_by(|a, b| a.id.cmp(&b.id));
    notes
}

#[test]
fn a_broken_own_file_is_reported_left_as_it_is_and_new_notes_go_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = break_g06(root);
    let beside = root.join("hh").join("g06.recovered.ron");

    let (mut store, problems) = NoteStore::open(root, "hh");
    assert_eq!(problems.len(), 1, "{problems:?}");
    let shown = problems[0].to_string();
    assert!(
        shown.starts_with(&format!("{}:5:", path.display())),
        "{shown}"
    );
    assert!(shown.contains("g06.recovered.ron"), "{shown}");

    let note = Note::new("s01", vec!["o1".into()], "saved beside".into());
    assert_eq!(
        store.apply(put("g06", &note)),
        Ok(Saved::Beside { conflicts: 0 })
    );
    assert_eq!(store.path_of("g06"), beside, "where the note went");
    assert!(store.unsaved().is_empty());
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        BROKEN,
        "not one byte changed"
    );
    assert_eq!(entries(&root.join("hh")), ["g06.recovered.ron", "g06.ron"]);
    assert_eq!(notes_in(&beside, "hh", "g06"), std::slice::from_ref(&note));
    // Shown like any other note.
    assert_eq!(store.own_note("g06", &note.id), Some(&note));
    assert_eq!(store.notes_on("g06", "s01"), [("hh", &note)]);
    assert_eq!(store.all(), [("hh", "g06", &note)]);
    // Nothing is waiting, and a retry or refresh changes nothing on disk.
    assert_eq!(store.retry(), []);
    assert_eq!(store.refresh(), (false, vec![]));
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);

    // A second window of the same analyst, another analyst and `check` see the note; the
    // recovered file is not taken for a journey of its own.
    for analyst in ["hh", "aa", ""] {
        let (other, problems) = NoteStore::open(root, analyst);
        assert_eq!(problems.len(), 1, "{analyst}: {problems:?}");
        assert!(problems[0].path.ends_with("g06.ron"), "{problems:?}");
        assert_eq!(snapshot(&other), snapshot(&store), "{analyst}");
    }
    // The second window saves beside the broken file too, merged with the first's note.
    let mut window = open_with_problems(root, "hh", 1);
    let second = Note::new("s02", vec![], "from the second window".into());
    assert_eq!(
        window.apply(put("g06", &second)),
        Ok(Saved::Beside { conflicts: 0 })
    );
    assert_eq!(
        notes_in(&beside, "hh", "g06"),
        sorted(vec![note.clone(), second.clone()])
    );
    assert_eq!(store.refresh(), (true, vec![]));
    assert_eq!(store.own_note("g06", &second.id), Some(&second));
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
    // Nothing else was written: no temporary file is left, nothing renamed.
    assert_eq!(entries(&root.join("hh")), ["g06.recovered.ron", "g06.ron"]);
}

/// Opens a store that must report exactly `problems` problems.
fn open_with_problems(root: &Path, analyst: &str, problems: usize) -> NoteStore {
    let (store, found) = NoteStore::open(root, analyst);
    assert_eq!(found.len(), problems, "{found:?}");
    store
}

#[test]
fn undo_and_redo_work_on_notes_saved_beside_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = break_g06(root);
    let beside = root.join("hh").join("g06.recovered.ron");
    let mut store = open_with_problems(root, "hh", 1);

    let note = Note::new("s01", vec![], "v1".into());
    let add = put("g06", &note);
    let undo_add = store.inverse(&add).unwrap();
    store.apply(add.clone()).unwrap();
    let edit = put("g06", &note.edited(vec!["o1".into()], "v2".into()));
    let undo_edit = store.inverse(&edit).unwrap();
    assert_eq!(undo_edit, add);
    assert_eq!(
        store.apply(edit.clone()),
        Ok(Saved::Beside { conflicts: 0 })
    );
    assert_eq!(notes_in(&beside, "hh", "g06")[0].text, "v2");

    // Undo the edit, then the add: the recovered file follows, and holds no note at the end.
    assert_eq!(store.apply(undo_edit), Ok(Saved::Beside { conflicts: 0 }));
    assert_eq!(notes_in(&beside, "hh", "g06"), std::slice::from_ref(&note));
    let redo_add = store.inverse(&undo_add).unwrap();
    assert_eq!(store.apply(undo_add), Ok(Saved::Beside { conflicts: 0 }));
    assert_eq!(store.own_note("g06", &note.id), None);
    assert_eq!(notes_in(&beside, "hh", "g06"), []);
    assert!(store.unsaved().is_empty());
    assert!(open_with_problems(root, "hh", 1).all().is_empty());

    // Redo brings it back, on disk too.
    store.apply(redo_add).unwrap();
    assert_eq!(notes_in(&beside, "hh", "g06"), std::slice::from_ref(&note));
    assert_eq!(
        open_with_problems(root, "hh", 1).own_note("g06", &note.id),
        Some(&note)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
}

#[test]
fn a_repaired_file_takes_back_the_notes_saved_beside_it_on_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = break_g06(root);
    let beside = root.join("hh").join("g06.recovered.ron");
    let mut store = open_with_problems(root, "hh", 1);
    let first = Note::new("s01", vec![], "first, beside".into());
    let second = Note::new("s02", vec![], "second, beside".into());
    store.apply(put("g06", &first)).unwrap();
    store.apply(put("g06", &second)).unwrap();

    // Repaired by hand: the note it held, now well-formed, and the first note copied in as
    // well (the same note in both files is one note).
    let held = Note::new("s03", vec![], "in the repaired file".into());
    let repaired = format!(
        "Annotations(analyst: \"hh\", journey: \"g06\", notes: [{}, {}])\n",
        ron::to_string(&held).unwrap(),
        ron::to_string(&first).unwrap()
    );
    fs::write(&path, &repaired).unwrap();

    let (changed, problems) = store.refresh();
    assert!(changed, "the repaired file's note is new");
    assert_eq!(problems, []);
    assert!(
        !beside.exists(),
        "the recovered file is removed once folded in"
    );
    assert_eq!(entries(&root.join("hh")), ["g06.ron"]);
    let want = sorted(vec![first.clone(), second.clone(), held.clone()]);
    assert_eq!(notes_in(&path, "hh", "g06"), want);
    assert!(store.unsaved().is_empty());
    assert_eq!(store.path_of("g06"), path);
    assert_eq!(snapshot(&store), on_disk(root, "hh"));
    // Saving goes to the journey's file again.
    let third = Note::new("s01", vec![], "after the repair".into());
    assert_eq!(store.apply(put("g06", &third)), Ok(Saved::Written));
    assert_eq!(notes_in(&path, "hh", "g06").len(), 4);
    assert_eq!(entries(&root.join("hh")), ["g06.ron"]);
}

#[test]
fn a_file_broken_and_repaired_while_open_is_merged_with_what_it_held_as_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut store = open(root, "hh");
    let kept = Note::new("s01", vec![], "kept".into());
    let edited = Note::new("s02", vec![], "edited while broken".into());
    let deleted = Note::new("s03", vec![], "deleted while broken".into());
    for n in [&kept, &edited, &deleted] {
        store.apply(put("g06", n)).unwrap();
    }
    let path = store.path_of("g06");
    let good = fs::read_to_string(&path).unwrap();
    // An editor leaves the file half-typed.
    let half = format!("{}  (id: ", good.trim_end().trim_end_matches(')'));
    fs::write(&path, &half).unwrap();
    let (changed, problems) = store.refresh();
    assert!(!changed, "the notes last read are kept: {:?}", store.all());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(store.all().len(), 3);

    // An edit and a new note go beside it; the deletion of a note the broken file holds
    // cannot be written anywhere yet, and says so.
    let edit = edited.edited(vec![], "edited".into());
    let added = Note::new("s04", vec![], "added while broken".into());
    assert_eq!(
        store.apply(put("g06", &edit)),
        Ok(Saved::Beside { conflicts: 0 })
    );
    assert_eq!(
        store.apply(put("g06", &added)),
        Ok(Saved::Beside { conflicts: 0 })
    );
    let beside = root.join("hh/g06.recovered.ron");
    assert_eq!(
        notes_in(&beside, "hh", "g06"),
        sorted(vec![edit.clone(), added.clone()]),
        "only what differs from the file as it last parsed"
    );
    let err = store
        .apply(Change::Delete {
            journey: "g06".into(),
            id: deleted.id.clone(),
        })
        .unwrap_err();
    assert!(err.message.contains(&deleted.id), "{err}");
    assert!(err.message.contains("broken"), "{err}");
    assert_eq!(store.unsaved(), ["g06"]);
    assert_eq!(store.retry().len(), 1);
    assert_eq!(fs::read_to_string(&path).unwrap(), half);
    assert_eq!(store.own_note("g06", &deleted.id), None);

    // Repaired to what it held, plus a note added by hand: the next save merges both files
    // with the file as it last parsed as the base, so nothing is a conflict and the deletion
    // is carried out.
    let by_hand = Note::new("s05", vec![], "added by hand".into());
    let mut repaired: Annotations = ron::from_str(&good).unwrap();
    repaired.notes.push(by_hand.clone());
    fs::write(&path, ron::to_string(&repaired).unwrap()).unwrap();
    let last = Note::new("s01", vec![], "after the repair".into());
    assert_eq!(
        store.apply(put("g06", &last)),
        Ok(Saved::Merged { conflicts: 0 })
    );
    assert!(!beside.exists());
    assert!(store.unsaved().is_empty());
    let want = sorted(vec![kept, edit, added, by_hand, last]);
    assert_eq!(notes_in(&path, "hh", "g06"), want);
    assert_eq!(snapshot(&store), on_disk(root, "hh"));
}

#[test]
fn a_recovered_file_left_by_a_crash_after_the_fold_loses_nothing_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = break_g06(root);
    let beside = root.join("hh/g06.recovered.ron");
    let mut store = open_with_problems(root, "hh", 1);
    let first = Note::new("s01", vec![], "first".into());
    let second = Note::new("s02", vec![], "second".into());
    store.apply(put("g06", &first)).unwrap();
    store.apply(put("g06", &second)).unwrap();
    let recovered = fs::read(&beside).unwrap();
    fs::remove_file(&path).unwrap();
    // The file was deleted rather than repaired: the notes beside it become its notes.
    assert_eq!(store.refresh(), (false, vec![]));
    assert_eq!(
        notes_in(&path, "hh", "g06"),
        sorted(vec![first.clone(), second.clone()])
    );
    assert!(!beside.exists());
    // A crash between writing the file and removing the recovered file leaves both.
    fs::write(&beside, &recovered).unwrap();
    let again = open(root, "hh");
    assert!(!beside.exists());
    assert_eq!(notes_in(&path, "hh", "g06"), sorted(vec![first, second]));
    assert_eq!(again.all().len(), 2);
    assert!(again.unsaved().is_empty());
}

#[test]
fn another_analysts_recovered_file_is_read_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // aa's file, and beside it a recovered file that aa's terreng has not folded in yet: an
    // edit of the file's note and a new note.
    let mut aa = open(root, "aa");
    let old = Note::new("s01", vec![], "old".into());
    aa.apply(put("g06", &old)).unwrap();
    let edit = old.edited(vec![], "edited beside".into());
    let new = Note::new("s02", vec![], "new beside".into());
    let mut side = Annotations::new("aa", "g06");
    side.notes = vec![edit.clone(), new.clone()];
    let file = fs::read(root.join("aa/g06.ron")).unwrap();
    let side_text = ron::to_string(&side).unwrap();
    fs::write(root.join("aa/g06.recovered.ron"), &side_text).unwrap();

    let mut hh = open(root, "hh");
    let seen: Vec<(&str, &str)> = hh
        .all()
        .into_iter()
        .map(|(a, _, n)| (a, n.text.as_str()))
        .collect();
    assert_eq!(seen, [("aa", "edited beside"), ("aa", "new beside")]);
    hh.apply(put("g06", &Note::new("s01", vec![], "mine".into())))
        .unwrap();
    assert_eq!(hh.refresh(), (false, vec![]));
    assert_eq!(fs::read(root.join("aa/g06.ron")).unwrap(), file);
    assert_eq!(
        fs::read_to_string(root.join("aa/g06.recovered.ron")).unwrap(),
        side_text
    );
    // `check` reads the same, and reports nothing.
    let (check, problems) = NoteStore::read(root);
    assert_eq!(problems, []);
    assert_eq!(check.all().len(), 3);
}

#[test]
fn with_the_recovered_file_broken_too_the_change_stays_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = break_g06(root);
    let beside = root.join("hh/g06.recovered.ron");
    fs::write(&beside, "Annotations(analyst: \"hh\", journey: 6)").unwrap();
    let (mut store, problems) = NoteStore::open(root, "hh");
    assert_eq!(problems.len(), 2, "{problems:?}");
    let note = Note::new("s01", vec![], "nowhere to go".into());
    let err = store.apply(put("g06", &note)).unwrap_err();
    assert!(err.message.contains("left as they are"), "{err}");
    assert_eq!(store.unsaved(), ["g06"]);
    assert_eq!(store.own_note("g06", &note.id), Some(&note));
    assert_eq!(fs::read_to_string(&path).unwrap(), BROKEN);
    assert_eq!(
        fs::read_to_string(&beside).unwrap(),
        "Annotations(analyst: \"hh\", journey: 6)"
    );
    // The journey's file repaired (emptied): the note is saved there, and the broken
    // recovered file is still never removed.
    fs::write(&path, "Annotations(analyst: \"hh\", journey: \"g06\")").unwrap();
    assert_eq!(store.retry(), []);
    assert_eq!(notes_in(&path, "hh", "g06"), [note]);
    assert!(beside.exists());
}

#[test]
fn a_file_whose_fields_disagree_with_its_path_is_a_problem_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut writer = open(root, "hh");
    let note = Note::new("s01", vec![], "x".into());
    writer.apply(put("g06", &note)).unwrap();
    // Copied to the wrong journey, and into another analyst's folder.
    fs::copy(root.join("hh/g06.ron"), root.join("hh/g07.ron")).unwrap();
    fs::create_dir_all(root.join("aa")).unwrap();
    fs::copy(root.join("hh/g06.ron"), root.join("aa/g06.ron")).unwrap();
    let copied = fs::read(root.join("hh/g07.ron")).unwrap();

    let (mut store, mut problems) = NoteStore::open(root, "hh");
    problems.sort();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].to_string().contains("aa"), "{}", problems[0]);
    assert!(
        problems[0].message.contains("analyst 'hh'"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].message.contains("journey 'g06'"),
        "{}",
        problems[1]
    );
    assert!(problems.iter().all(|p| p.at.is_some()), "{problems:?}");
    assert_eq!(store.all().len(), 1, "only hh/g06.ron is used");
    // A note on g07 goes beside the file that is not used.
    let other = Note::new("s01", vec![], "y".into());
    assert_eq!(
        store.apply(put("g07", &other)),
        Ok(Saved::Beside { conflicts: 0 })
    );
    assert_eq!(fs::read(root.join("hh/g07.ron")).unwrap(), copied);
    assert_eq!(
        notes_in(&root.join("hh/g07.recovered.ron"), "hh", "g07"),
        [other]
    );
}

#[test]
fn refresh_reads_changed_new_and_deleted_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut store = open(root, "hh");
    assert_eq!(store.refresh(), (false, vec![]));
    let mut window = open(root, "hh");
    let mut aa = open(root, "aa");

    let mine = Note::new("s01", vec![], "mine".into());
    window.apply(put("g06", &mine)).unwrap();
    let theirs = Note::new("s01", vec![], "theirs".into());
    aa.apply(put("g06", &theirs)).unwrap();
    assert_eq!(store.refresh(), (true, vec![]));
    assert_eq!(store.notes_on("g06", "s01").len(), 2);
    assert_eq!(store.refresh(), (false, vec![]));

    // Changed on disk.
    window
        .apply(put("g06", &mine.edited(vec![], "mine, edited".into())))
        .unwrap();
    aa.apply(put("g06", &theirs.edited(vec![], "theirs, edited".into())))
        .unwrap();
    assert_eq!(store.refresh(), (true, vec![]));
    let texts: Vec<&str> = store
        .notes_on("g06", "s01")
        .iter()
        .map(|(_, n)| n.text.as_str())
        .collect();
    assert_eq!(texts, ["mine, edited", "theirs, edited"]);

    // Deleted: an own file with nothing unsaved, and another analyst's.
    fs::remove_file(root.join("hh/g06.ron")).unwrap();
    fs::remove_dir_all(root.join("aa")).unwrap();
    assert_eq!(store.refresh(), (true, vec![]));
    assert!(store.all().is_empty());

    // Hidden files, temporary files and other files are not read.
    fs::create_dir_all(root.join("hh")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join("hh/.g06.ron.tmp-1-1"), "Annotations(").unwrap();
    fs::write(root.join("hh/notes.txt"), "not RON").unwrap();
    fs::write(root.join(".git/g06.ron"), "garbage").unwrap();
    fs::write(root.join("README.md"), "hello").unwrap();
    assert_eq!(store.refresh(), (false, vec![]));
    let (_, problems) = NoteStore::open(root, "hh");
    assert_eq!(problems, []);
}

/// A refresh reads a file again only when its size or modification time changed, or when that
/// time is too recent to trust: an old file rewritten with the same size and time back-dated
/// is not read (which shows nothing else is), and one whose time moves on is.
#[test]
fn refresh_reads_only_files_whose_size_or_time_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut aa = open(root, "aa");
    let note = Note::new("s01", vec![], "first".into());
    aa.apply(put("g06", &note)).unwrap();
    let file = root.join("aa/g06.ron");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let set_time = |t| {
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(t)
            .unwrap()
    };
    set_time(an_hour_ago);

    let mut store = open(root, "hh");
    let text = |store: &NoteStore| store.notes_on("g06", "s01")[0].1.text.clone();
    assert_eq!(text(&store), "first");

    // The same length, the same time: taken to be the same file.
    let bytes = fs::read_to_string(&file).unwrap().replace("first", "FIRST");
    fs::write(&file, bytes).unwrap();
    set_time(an_hour_ago);
    assert_eq!(store.refresh(), (false, vec![]));
    assert_eq!(text(&store), "first");

    // A newer time: read again.
    set_time(an_hour_ago + std::time::Duration::from_secs(60));
    assert_eq!(store.refresh(), (true, vec![]));
    assert_eq!(text(&store), "FIRST");

    // A time of now is never trusted, even when it does not change.
    let bytes = fs::read_to_string(&file).unwrap().replace("FIRST", "fIRST");
    fs::write(&file, &bytes).unwrap();
    assert_eq!(store.refresh(), (true, vec![]));
    assert_eq!(text(&store), "fIRST");
    let now = fs::metadata(&file).unwrap().modified().unwrap();
    fs::write(&file, bytes.replace("fIRST", "firsT")).unwrap();
    set_time(now);
    assert_eq!(store.refresh(), (true, vec![]));
    assert_eq!(text(&store), "firsT");
}

#[test]
fn adding_a_note_adds_only_its_lines_to_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), "hh");
    store
        .apply(put(
            "g06",
            &Note::new("s01", vec!["o1".into()], "a\nb".into()),
        ))
        .unwrap();
    store
        .apply(put("g06", &Note::new("s03", vec![], "c".into())))
        .unwrap();
    let path = store.path_of("g06");
    let old = fs::read_to_string(&path).unwrap();
    // A note on a step between the two lands between them in the file.
    let third = Note::new("s02", vec!["o2".into(), "e1".into()], "new \"note\"".into());
    store.apply(put("g06", &third)).unwrap();
    let new = fs::read_to_string(&path).unwrap();
    assert!(new.ends_with('\n') && old.ends_with('\n'));

    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(prefix + suffix, old.len(), "a line of the old file changed");
    let added = &new[prefix..new.len() - suffix];
    assert!(added.len() >= 7, "{added:#?}");
    let added = added.join("\n");
    for piece in [third.id.as_str(), "s02", "o2", "e1", r#"new \"note\""#] {
        assert!(
            added.contains(piece),
            "{piece} not in the added lines: {added}"
        );
    }
    assert!(!added.contains("s01") && !added.contains("s03"), "{added}");
    // Every field of the note on its own line.
    for field in ["id:", "step:", "text:", "created:", "updated:"] {
        assert_eq!(added.matches(field).count(), 1, "{field}: {added}");
    }
}

#[test]
fn inverse_undoes_puts_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), "hh");
    let note = Note::new("s01", vec![], "v1".into());
    let add = put("g06", &note);
    let undo_add = store.inverse(&add).unwrap();
    assert_eq!(
        undo_add,
        Change::Delete {
            journey: "g06".into(),
            id: note.id.clone()
        }
    );
    store.apply(add.clone()).unwrap();
    assert_eq!(
        store.inverse(&add),
        None,
        "putting the same note does nothing"
    );
    let edit = put("g06", &note.edited(vec![], "v2".into()));
    assert_eq!(store.inverse(&edit), Some(add.clone()));
    let delete = Change::Delete {
        journey: "g06".into(),
        id: note.id.clone(),
    };
    assert_eq!(store.inverse(&delete), Some(add));
    store.apply(undo_add).unwrap();
    assert_eq!(store.inverse(&delete), None);
    assert!(on_disk(dir.path(), "hh").is_empty());
}

/// A scan made before a save (as the app's watcher thread makes them) does not make the file
/// the save wrote look deleted, nor another analyst's file made after it.
#[test]
fn a_scan_older_than_a_save_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut store = open(root, "hh");
    let old = terreng::store::annotations::scan(root);
    let mine = Note::new("s01", vec![], "saved after the scan".into());
    store.apply(put("g06", &mine)).unwrap();
    let mut aa = open(root, "aa");
    aa.apply(put("g01", &Note::new("s02", vec![], "theirs".into())))
        .unwrap();
    store.refresh();
    assert_eq!(store.notes_on("g01", "s02").len(), 1);

    let (_, problems) = store.refresh_from(old);
    assert_eq!(problems, []);
    assert_eq!(store.notes_on("g06", "s01").len(), 1, "own note kept");
    assert_eq!(store.notes_on("g01", "s02").len(), 1, "other's note kept");
    assert!(store.unsaved().is_empty());
    assert_eq!(on_disk(root, "hh"), snapshot(&store));
}

/// `read_codes`, for the commands that count codes, reads what `read` does (every analyst's
/// notes, a recovered file's version of a note over the journey file's, the same problems)
/// but each note's text, which it drops.
#[test]
fn reading_for_codes_gives_every_note_but_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut aa = open(root, "aa");
    let coded = Note::new(
        "s01",
        vec!["silent_resistance".into()],
        "a long text".into(),
    );
    aa.apply(put("g01", &coded)).unwrap();
    aa.apply(put("g06", &Note::new("s02", vec![], "x".into())))
        .unwrap();
    let mut zz = open(root, "zz");
    zz.apply(put(
        "g17",
        &Note::new("s03", vec!["trust".into()], "zz".into()),
    ))
    .unwrap();
    // A recovered file beside aa's g01: its version of the note is the one read.
    let mut newer = coded.edited(vec!["unclear_mandate".into()], "recovered".into());
    newer.updated = "2030-01-01T00:00:00Z".into();
    let recovered = Annotations {
        analyst: "aa".into(),
        journey: "g01".into(),
        notes: vec![newer],
    };
    fs::write(
        root.join("aa/g01.recovered.ron"),
        ron::to_string(&recovered).unwrap(),
    )
    .unwrap();
    fs::write(root.join("zz/g06.ron"), "Annotations(").unwrap();

    let (full, full_problems) = NoteStore::read(root);
    let (lean, lean_problems) = NoteStore::read_codes(root);
    assert_eq!(lean_problems, full_problems);
    assert_eq!(full_problems.len(), 1, "the broken file: {full_problems:?}");
    let without_text = |mut all: Vec<(String, String, Note)>| {
        all.iter_mut().for_each(|(_, _, n)| n.text.clear());
        all
    };
    let (full, lean) = (snapshot(&full), snapshot(&lean));
    assert_eq!(full.len(), 3);
    assert!(full.iter().any(|(_, _, n)| n.text == "recovered"));
    assert!(lean.iter().all(|(_, _, n)| n.text.is_empty()));
    assert_eq!(lean, without_text(full));
}
