//! Notes without their step: a journey whose file failed to load is not gone — its notes wait,
//! untouched, for the file to be repaired — and the panel scrolls with its selection.

use std::path::{Path, PathBuf};

use terreng::app::state::Overlay;
use terreng::app::{Action, App, act};
use terreng::model::{Annotations, Note};
use terreng::store::annotations::NoteStore;
use terreng::store::{self, DataSource};
use terreng::ui::help::bar_items;
use terreng::ui::theme::Look;

mod common;

/// A study folder: the bundled journeys with g05's file broken by a typo, and hh's notes on
/// g05 (one) and on a step of g06 that is not there (`strays` of them).
fn study(strays: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let journeys = dir.path().join("journeys");
    std::fs::create_dir_all(&journeys).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("journeys");
    for entry in std::fs::read_dir(&bundled).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, journeys.join(path.file_name().unwrap())).unwrap();
    }
    let g05 = journeys.join("g05.ron");
    let text = std::fs::read_to_string(&g05).unwrap();
    std::fs::write(&g05, text.replacen("obstacles:", "obstacels:", 1)).unwrap();

    let notes = dir.path().join("annotations");
    let put = |journey: &str, list: Vec<Note>| {
        let a = Annotations {
            analyst: "hh".into(),
            journey: journey.into(),
            notes: list,
        };
        std::fs::create_dir_all(notes.join("hh")).unwrap();
        std::fs::write(
            notes.join("hh").join(format!("{journey}.ron")),
            ron::ser::to_string_pretty(&a, Default::default()).unwrap(),
        )
        .unwrap();
    };
    put(
        "g05",
        vec![Note::new(
            "s03",
            vec!["tacit_resistance".into()],
            "the wall".into(),
        )],
    );
    put(
        "g06",
        (0..strays)
            .map(|i| Note::new("s99", vec![], format!("stray {i}")))
            .collect(),
    );
    (dir, notes)
}

fn app(dir: &Path, notes: &Path) -> App {
    let data = store::load(&DataSource::Dir(dir.to_path_buf()), None);
    assert!(data.journey("g05").is_none(), "g05 did not load");
    assert!(data.journey("g06").is_some());
    let (store, problems) = NoteStore::open(notes, "hh");
    assert!(problems.is_empty(), "{problems:?}");
    App::new(data, Look::default()).with_notes(store, vec![])
}

fn file(notes: &Path, journey: &str) -> String {
    std::fs::read_to_string(notes.join("hh").join(format!("{journey}.ron"))).unwrap()
}

fn screen(app: &App, w: u16, h: u16) -> String {
    common::text(&common::screen(app, w, h))
}

#[test]
fn notes_of_a_journey_that_failed_to_load_wait_and_nothing_destructive_is_offered() {
    let (dir, notes) = study(0);
    let mut app = app(dir.path(), &notes);
    let orphans = app.orphans();
    assert_eq!(orphans.len(), 1);
    let why = orphans[0].waiting.clone().expect("waiting, not gone");
    assert!(
        why.contains("failed to load") && why.contains("g05.ron"),
        "{why}"
    );

    act(&mut app, Action::ShowOrphans);
    assert_eq!(app.overlay, Overlay::Orphans);
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("waiting for its file to be repaired"),
        "{shown}"
    );
    assert!(!shown.contains("is gone"), "{shown}");
    // Neither re-attaching nor deleting is offered, and neither does anything.
    let bar: Vec<String> = bar_items(&app).into_iter().map(|b| b.words).collect();
    assert!(
        !bar.iter()
            .any(|w| w.contains("re-attach") || w.contains("delete")),
        "{bar:?}"
    );
    let before = file(&notes, "g05");
    act(&mut app, Action::DeleteNote);
    act(&mut app, Action::Open);
    assert_eq!(file(&notes, "g05"), before, "the note is untouched");
    assert_eq!(app.orphans().len(), 1);
    assert!(
        app.flash
            .as_deref()
            .unwrap_or("")
            .contains("until it is repaired"),
        "{:?}",
        app.flash
    );
}

#[test]
fn the_panel_scrolls_with_its_selection_and_g_and_end_go_to_the_ends() {
    let (dir, notes) = study(30);
    let mut app = app(dir.path(), &notes);
    act(&mut app, Action::ShowOrphans);
    let count = app.orphans().len();
    assert_eq!(count, 31);
    let selected = |app: &App| {
        let n = app.session.notes.as_ref().unwrap();
        app.orphans()[n.orphan_cursor.min(count - 1)].clone()
    };
    // The selected row, with its marker, is on screen wherever the selection is.
    let in_view = |app: &App| {
        let s = screen(app, 80, 24);
        let o = selected(app);
        let lines: Vec<&str> = s.lines().collect();
        let at = lines.iter().position(|l| l.contains("▶ hh"));
        let below = at.and_then(|i| lines.get(i + 1)).copied().unwrap_or("");
        let first = o.note.text.lines().next().unwrap_or("").to_string();
        let ok = o.waiting.is_some() || below.contains(&format!("{first} "));
        (at.is_some(), ok, s)
    };
    for _ in 0..20 {
        act(&mut app, Action::Down);
    }
    let (marked, text, s) = in_view(&app);
    assert!(marked && text, "{s}");
    act(&mut app, Action::StepLast);
    assert_eq!(app.session.notes.as_ref().unwrap().orphan_cursor, count - 1);
    let (marked, text, s) = in_view(&app);
    assert!(marked && text, "{s}");
    act(&mut app, Action::StepFirst);
    assert_eq!(app.session.notes.as_ref().unwrap().orphan_cursor, 0);
    let (marked, text, s) = in_view(&app);
    assert!(marked && text, "{s}");
    // And the keys: G and End to the last, g and Home to the first.
    let km = &app.keymap;
    use terreng::app::keymap::{Context, Key, KeyCode};
    for (key, action) in [
        (Key::char('G'), Action::StepLast),
        (Key::plain(KeyCode::End), Action::StepLast),
        (Key::char('g'), Action::StepFirst),
        (Key::plain(KeyCode::Home), Action::StepFirst),
    ] {
        assert_eq!(km.action(Context::Orphans, key), Some(action));
    }
    // `d` acts on the row in view: the stray selected at the end.
    act(&mut app, Action::StepLast);
    let last = selected(&app);
    act(&mut app, Action::DeleteNote);
    if last.waiting.is_none() {
        assert!(!app.orphans().iter().any(|o| o.note.id == last.note.id));
    }
}
