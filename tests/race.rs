//! Two and three processes saving the same analyst's notes at once, as two windows of terreng
//! do when Ctrl-S is pressed in both within a few milliseconds: every note a process was told
//! is saved is on disk at the end, and a note both changed since their common base is kept
//! twice (the second as a conflict copy). Also the stale editor: a note opened in one window,
//! edited and saved in another, then saved from the first long after, keeps both texts.
//!
//! The processes are this test binary run again with `TERRENG_RACE_WORKER` set: the `worker`
//! test below then does the saving, and does nothing in an ordinary run.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use terreng::model::Note;
use terreng::store::annotations::{Change, NoteStore, Saved};

const JOURNEY: &str = "g01";
/// The note every process edits now and then.
const SHARED: &str = "01SHARED0000000000000000AA";

/// Run by the spawned processes only: `count` saves, each a new note, every fifth also an edit
/// of the shared note from the version this process last read; prints `ack ID` for each note
/// whose save returned Ok (and `edit TEXT` for each acknowledged edit).
#[test]
fn worker() {
    let Ok(root) = std::env::var("TERRENG_RACE_WORKER") else {
        return;
    };
    let name = std::env::var("TERRENG_RACE_NAME").unwrap();
    let count: usize = std::env::var("TERRENG_RACE_COUNT")
        .unwrap()
        .parse()
        .unwrap();
    let start: u64 = std::env::var("TERRENG_RACE_START")
        .unwrap()
        .parse()
        .unwrap();
    let (mut store, _) = NoteStore::open(Path::new(&root), "hh");
    // Start together: every process waits for the same instant.
    while now_ms() < start {
        std::thread::sleep(Duration::from_micros(200));
    }
    // libtest may print "test worker ... " on the same line first.
    let mut out = String::from("\n");
    for i in 0..count {
        let note = Note::new("s01", vec![], format!("{name} note {i}"));
        let id = note.id.clone();
        let mut changes = vec![Change::Put {
            journey: JOURNEY.into(),
            note,
        }];
        if i % 5 == 0
            && let Some(from) = store.own_note(JOURNEY, SHARED).cloned()
        {
            let text = format!("{name} edit {i}");
            changes.push(Change::Edit {
                journey: JOURNEY.into(),
                note: from.edited(vec![], text),
                from,
            });
        }
        for change in changes {
            let shown = match &change {
                Change::Put { note, .. } => format!("ack {}", note.id),
                Change::Edit { note, .. } => format!("edit {}", note.text),
                Change::Delete { .. } => unreachable!(),
            };
            let mut result = store.apply(change);
            // A busy folder keeps the change in memory; the app retries on its next tick.
            let deadline = Instant::now() + Duration::from_secs(20);
            while result.is_err() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(2));
                result = match store.retry().into_iter().next() {
                    Some(e) => Err(e),
                    None => Ok(Saved::Written),
                };
            }
            match result {
                Ok(_) => {
                    out.push_str(&shown);
                    out.push('\n');
                }
                Err(e) => eprintln!("not saved: {e}"),
            }
        }
        let _ = id;
    }
    print!("{out}");
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Runs `processes` workers of `count` saves each on one folder; returns their outputs.
fn race(root: &Path, processes: usize, count: usize) -> Vec<String> {
    let exe = std::env::current_exe().unwrap();
    let start = now_ms() + 1500;
    let children: Vec<_> = (0..processes)
        .map(|p| {
            Command::new(&exe)
                .args(["--exact", "worker", "--nocapture", "--test-threads=1"])
                .env("TERRENG_RACE_WORKER", root)
                .env("TERRENG_RACE_NAME", format!("p{p}"))
                .env("TERRENG_RACE_COUNT", count.to_string())
                .env("TERRENG_RACE_START", start.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap()
        })
        .collect()
}

/// Seeds the shared note, races, and checks that nothing acknowledged is lost.
fn no_note_lost(processes: usize, count: usize) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (mut seed, _) = NoteStore::open(root, "hh");
    let shared = Note {
        id: SHARED.into(),
        ..Note::new("s02", vec![], "the shared note".into())
    };
    seed.apply(Change::Put {
        journey: JOURNEY.into(),
        note: shared,
    })
    .unwrap();

    let outputs = race(root, processes, count);
    let acked: Vec<&str> = outputs
        .iter()
        .flat_map(|o| o.lines().filter_map(|l| l.strip_prefix("ack ")))
        .collect();
    let edits: BTreeSet<&str> = outputs
        .iter()
        .flat_map(|o| o.lines().filter_map(|l| l.strip_prefix("edit ")))
        .collect();
    // Every save is eventually acknowledged: a busy folder only delays it.
    assert_eq!(acked.len(), processes * count);

    let (disk, problems) = NoteStore::read(root);
    assert_eq!(problems, []);
    let notes = disk.journey_notes(JOURNEY);
    let ids: BTreeSet<&str> = notes.iter().map(|(_, n)| n.id.as_str()).collect();
    let lost: Vec<&&str> = acked.iter().filter(|id| !ids.contains(**id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} notes lost",
        lost.len(),
        acked.len()
    );

    // The shared note holds an acknowledged edit, and edits made from the same version in
    // two processes are both kept: one as the note, the others as conflict copies of it.
    let shared = notes.iter().find(|(_, n)| n.id == SHARED).unwrap().1;
    assert!(edits.contains(shared.text.as_str()), "{}", shared.text);
    let copies: Vec<&Note> = notes
        .iter()
        .map(|(_, n)| *n)
        .filter(|n| n.conflict_of.is_some())
        .collect();
    assert!(
        !copies.is_empty(),
        "no conflict copy among {} notes",
        notes.len()
    );
    for c in &copies {
        assert_eq!(c.conflict_of.as_deref(), Some(SHARED));
        assert!(edits.contains(c.text.as_str()) || c.text == "the shared note");
    }
    // Nothing is left behind but the notes, the lock and the .gitignore.
    let mut names: Vec<String> = std::fs::read_dir(root.join("hh"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".terreng.lock", "g01.ron"]);
}

#[test]
fn two_processes_saving_at_once_lose_nothing() {
    no_note_lost(2, 300);
}

#[test]
fn three_processes_saving_at_once_lose_nothing() {
    no_note_lost(3, 200);
}

#[test]
fn a_stale_editor_keeps_the_other_windows_edit_as_a_conflict_copy() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (mut one, _) = NoteStore::open(root, "hh");
    let note = Note::new("s01", vec![], "first".into());
    one.apply(Change::Put {
        journey: JOURNEY.into(),
        note: note.clone(),
    })
    .unwrap();
    let (mut two, _) = NoteStore::open(root, "hh");
    // Window 2 opens the note in its editor.
    let opened = two.own_note(JOURNEY, &note.id).unwrap().clone();
    // Window 1 edits and saves it; window 2 reads that in, as it does every two seconds.
    let by_one = note.edited(vec![], "window one".into());
    one.apply(Change::Put {
        journey: JOURNEY.into(),
        note: by_one,
    })
    .unwrap();
    let (changed, _) = two.refresh();
    assert!(changed);
    // Long after, window 2 saves what its editor holds.
    let by_two = opened.edited(vec![], "window two".into());
    let saved = two
        .apply(Change::Edit {
            journey: JOURNEY.into(),
            from: opened,
            note: by_two,
        })
        .unwrap();
    assert_eq!(saved, Saved::Merged { conflicts: 1 });
    let (disk, _) = NoteStore::read(root);
    let mut texts: Vec<(&str, bool)> = disk
        .journey_notes(JOURNEY)
        .iter()
        .map(|(_, n)| (n.text.as_str(), n.conflict_of.is_some()))
        .collect();
    texts.sort();
    // Both texts are kept; which is the note and which the copy goes by the `updated` time.
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(
        texts.iter().map(|t| t.0).collect::<Vec<_>>(),
        ["window one", "window two"]
    );
    assert_eq!(texts.iter().filter(|t| t.1).count(), 1);
}
