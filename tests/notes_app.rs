//! Annotating in the app, without a terminal: the editor, undo and redo, others' notes,
//! orphans, and a folder that cannot be written.

mod common;

use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::key::{Key, KeyCode};
use terreng::app::state::{NoteStatus, Overlay};
use terreng::app::{Action, App, Effect, act};
use terreng::model::{Annotations, Note};
use terreng::store::annotations::NoteStore;
use terreng::store::{self, DataSource};
use terreng::ui;
use terreng::ui::theme::Look;

fn app_with_notes(root: &Path, analyst: &str) -> App {
    let (notes, problems) = NoteStore::open(root, analyst);
    assert!(problems.is_empty(), "{problems:?}");
    App::new(store::load(&DataSource::Bundled, None), Look::default()).with_notes(notes, vec![])
}

fn open_journey(app: &mut App, id: &str) {
    let pos = app
        .session
        .visible
        .iter()
        .position(|&i| app.session.data.journeys[i].id == id)
        .unwrap();
    act(app, Action::SelectRow(pos));
    act(app, Action::Open);
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        let k = if c == '\n' {
            Key::plain(KeyCode::Enter)
        } else {
            Key::char(c)
        };
        act(app, Action::EditorKey(k));
    }
}

fn on_disk(root: &Path, analyst: &str, journey: &str) -> Vec<Note> {
    let path = root.join(analyst).join(format!("{journey}.ron"));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            store::parse::parse::<Annotations>(&path.display().to_string(), &text)
                .unwrap()
                .notes
        }
        Err(_) => Vec::new(),
    }
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        ui::draw(f, app);
    })
    .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Writes a note: `a`, text, Tab, codes by search, Ctrl-S.
fn write_note(app: &mut App, text: &str, codes: &[&str]) {
    act(app, Action::AddNote);
    assert_eq!(app.overlay, Overlay::Editor);
    type_text(app, text);
    act(app, Action::EditorFocus);
    for code in codes {
        // Enter after a search chooses the code found and clears the search.
        type_text(app, code);
        act(app, Action::Confirm);
    }
    act(app, Action::SaveNote);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn every_step_of_a_journey_can_be_coded_from_the_keyboard_and_each_change_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path(), "hh");
    open_journey(&mut app, "g06");
    let n = app.current_journey().unwrap().steps.len();
    for step in 0..n {
        // `c`: the picker alone; choose the first code offered for the search.
        act(&mut app, Action::CodeStep);
        assert_eq!(app.overlay, Overlay::Editor);
        type_text(&mut app, "fjellvegg");
        act(&mut app, Action::Confirm);
        act(&mut app, Action::Confirm);
        assert_eq!(on_disk(dir.path(), "hh", "g06").len(), step + 1);
        act(&mut app, Action::StepNext);
    }
    let notes = on_disk(dir.path(), "hh", "g06");
    assert!(notes.iter().all(|n| n.codes == ["tacit_resistance"]));
    // `c` again on a coded step edits that note instead of adding one.
    act(&mut app, Action::CodeStep);
    type_text(&mut app, "timescar");
    act(&mut app, Action::Confirm);
    act(&mut app, Action::SaveNote);
    let notes = on_disk(dir.path(), "hh", "g06");
    assert_eq!(notes.len(), n);
    let last_step = &app.current_journey().unwrap().steps[n - 1].id;
    let last = notes.iter().find(|x| &x.step == last_step).unwrap();
    assert_eq!(last.codes, ["tacit_resistance", "time_scarcity"]);
    assert!(matches!(
        app.session.notes.as_ref().unwrap().status,
        NoteStatus::Saved { .. }
    ));
}

#[test]
fn undo_and_redo_walk_back_and_forth_through_adds_edits_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path(), "hh");
    open_journey(&mut app, "g06");
    write_note(&mut app, "first\nline two", &["fjellvegg"]);
    write_note(&mut app, "second", &[]);
    assert_eq!(on_disk(dir.path(), "hh", "g06").len(), 2);
    // Edit the selected (just saved) note.
    act(&mut app, Action::EditNote);
    type_text(&mut app, " edited");
    act(&mut app, Action::SaveNote);
    let texts = |d: &Path| -> Vec<String> {
        let mut t: Vec<String> = on_disk(d, "hh", "g06")
            .into_iter()
            .map(|n| n.text)
            .collect();
        t.sort();
        t
    };
    assert_eq!(texts(dir.path()), ["first\nline two", "second edited"]);
    act(&mut app, Action::DeleteNote);
    assert_eq!(texts(dir.path()), ["first\nline two"]);
    act(&mut app, Action::Undo);
    assert_eq!(texts(dir.path()), ["first\nline two", "second edited"]);
    act(&mut app, Action::Undo);
    assert_eq!(texts(dir.path()), ["first\nline two", "second"]);
    act(&mut app, Action::Undo);
    assert_eq!(texts(dir.path()), ["first\nline two"]);
    act(&mut app, Action::Undo);
    assert!(texts(dir.path()).is_empty());
    act(&mut app, Action::Undo);
    assert!(matches!(
        &app.session.notes.as_ref().unwrap().status,
        NoteStatus::Info(s) if s == "nothing to undo"
    ));
    for _ in 0..4 {
        act(&mut app, Action::Redo);
    }
    assert_eq!(texts(dir.path()), ["first\nline two"]);
    act(&mut app, Action::Undo);
    assert_eq!(texts(dir.path()), ["first\nline two", "second edited"]);
}

#[test]
fn esc_asks_before_throwing_away_typed_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path(), "hh");
    open_journey(&mut app, "g06");
    act(&mut app, Action::AddNote);
    type_text(&mut app, "half a thought");
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::Editor, "the first Esc only asks");
    assert!(screen(&app, 100, 30).contains("Esc again discards"));
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::None);
    assert!(on_disk(dir.path(), "hh", "g06").is_empty());
    // With nothing typed, one Esc closes.
    act(&mut app, Action::AddNote);
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn others_notes_are_shown_labelled_and_cannot_be_edited_or_deleted() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut other = app_with_notes(dir.path(), "rs");
        open_journey(&mut other, "g06");
        write_note(&mut other, "the colleague's reading", &["fjellvegg"]);
    }
    let mut app = app_with_notes(dir.path(), "hh");
    open_journey(&mut app, "g06");
    let text = screen(&app, 160, 48);
    assert!(text.contains("rs (read-only)"), "{text}");
    assert!(text.contains("the colleague's reading"));
    act(&mut app, Action::EditNote);
    assert_eq!(app.overlay, Overlay::None);
    act(&mut app, Action::DeleteNote);
    assert_eq!(on_disk(dir.path(), "rs", "g06").len(), 1);
    assert!(on_disk(dir.path(), "hh", "g06").is_empty());
}

#[test]
fn a_note_on_a_step_that_is_gone_is_kept_listed_and_can_be_reattached() {
    let dir = tempfile::tempdir().unwrap();
    let stray = Annotations {
        analyst: "hh".into(),
        journey: "g06".into(),
        notes: vec![Note::new(
            "s99",
            vec!["tacit_resistance".into()],
            "stray".into(),
        )],
    };
    std::fs::create_dir_all(dir.path().join("hh")).unwrap();
    std::fs::write(
        dir.path().join("hh/g06.ron"),
        ron::ser::to_string_pretty(&stray, Default::default()).unwrap(),
    )
    .unwrap();
    let mut app = app_with_notes(dir.path(), "hh");
    let orphans = app.orphans();
    assert_eq!(orphans.len(), 1);
    assert!(orphans[0].journey_exists);
    open_journey(&mut app, "g06");
    act(&mut app, Action::StepNext);
    act(&mut app, Action::ShowOrphans);
    assert!(screen(&app, 120, 30).contains("step s99 is gone from g06"));
    act(&mut app, Action::Open);
    assert!(app.orphans().is_empty());
    let notes = on_disk(dir.path(), "hh", "g06");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].step, app.current_journey().unwrap().steps[1].id);
    assert_eq!(notes[0].id, stray.notes[0].id, "the same note, moved");
    // And undo puts it back where it was.
    act(&mut app, Action::Undo);
    assert_eq!(on_disk(dir.path(), "hh", "g06")[0].step, "s99");
}

/// An app whose analyst `hh` cannot write: a regular file stands where the analyst's folder
/// should be under `<dir>/ann`, so no one, root included, can write under it. A note "kept in
/// memory" is written on g06 and fails to save. Returns the annotations folder and the app.
fn unwritable_with_a_note(dir: &Path) -> (std::path::PathBuf, App) {
    let root = dir.join("ann");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("hh"), "not a folder").unwrap();
    let mut app = app_with_notes(&root, "hh");
    open_journey(&mut app, "g06");
    write_note(&mut app, "kept in memory", &[]);
    (root, app)
}

#[test]
fn a_folder_that_cannot_be_written_keeps_the_note_shows_the_error_and_asks_before_quitting() {
    let dir = tempfile::tempdir().unwrap();
    let (root, mut app) = unwritable_with_a_note(dir.path());
    let n = app.session.notes.as_ref().unwrap();
    assert!(matches!(n.status, NoteStatus::Failed(_)), "{:?}", n.status);
    assert_eq!(n.store.unsaved(), ["g06"]);
    assert!(
        app.step_notes()
            .iter()
            .any(|(_, x)| x.text == "kept in memory")
    );
    assert!(screen(&app, 120, 30).contains("NOT SAVED"));
    // q asks; Esc stays.
    assert!(!act(&mut app, Action::Quit).contains(&Effect::Quit));
    assert_eq!(app.overlay, Overlay::ConfirmQuit);
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::None);
    // The folder is repaired; the next poll saves.
    std::fs::remove_file(root.join("hh")).unwrap();
    act(&mut app, Action::Poll);
    assert!(
        app.session
            .notes
            .as_ref()
            .unwrap()
            .store
            .unsaved()
            .is_empty()
    );
    assert_eq!(on_disk(&root, "hh", "g06")[0].text, "kept in memory");
    assert!(act(&mut app, Action::Quit).contains(&Effect::Quit));
}

#[test]
fn a_note_on_a_journey_whose_file_is_broken_is_saved_beside_it_and_the_status_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("hh")).unwrap();
    let broken = "Annotations(analyst: \"hh\", journey: \"g06\", notes: [(]\n";
    std::fs::write(root.join("hh/g06.ron"), broken).unwrap();
    let (notes, problems) = NoteStore::open(root, "hh");
    assert_eq!(problems.len(), 1, "{problems:?}");
    let mut app = App::new(store::load(&DataSource::Bundled, None), Look::default())
        .with_notes(notes, problems);
    open_journey(&mut app, "g06");
    write_note(&mut app, "beside the broken file", &[]);
    let beside = root.join("hh/g06.recovered.ron");
    let n = app.session.notes.as_ref().unwrap();
    match &n.status {
        NoteStatus::Beside { path, conflicts: 0 } => {
            assert_eq!(path, &beside.display().to_string());
        }
        other => panic!("{other:?}"),
    }
    assert!(n.store.unsaved().is_empty());
    assert!(screen(&app, 200, 30).contains("g06.recovered.ron: the journey's own file is broken"));
    assert_eq!(
        std::fs::read_to_string(root.join("hh/g06.ron")).unwrap(),
        broken
    );
    let saved = std::fs::read_to_string(&beside).unwrap();
    let saved: Annotations = store::parse::parse("beside", &saved).unwrap();
    assert_eq!(saved.notes[0].text, "beside the broken file");
    // Undo takes it out of the recovered file again.
    act(&mut app, Action::Undo);
    let saved = std::fs::read_to_string(&beside).unwrap();
    let saved: Annotations = store::parse::parse("beside", &saved).unwrap();
    assert!(saved.notes.is_empty(), "{saved:?}");
    assert!(app.step_notes().is_empty());
}

/// One note by `analyst` on g06's step `step`, written straight to its file.
fn put_file(root: &Path, analyst: &str, notes: &[(&str, &str, &[&str])]) {
    let mut a = Annotations::new(analyst, "g06");
    for (id, step, codes) in notes {
        a.notes.push(Note {
            id: id.to_string(),
            step: step.to_string(),
            codes: codes.iter().map(|c| c.to_string()).collect(),
            text: format!("{analyst}'s note"),
            created: "2026-01-01T00:00:00Z".into(),
            updated: "2026-01-01T00:00:00Z".into(),
            conflict_of: None,
        });
    }
    std::fs::create_dir_all(root.join(analyst)).unwrap();
    std::fs::write(
        root.join(analyst).join("g06.ron"),
        ron::ser::to_string_pretty(&a, ron::ser::PrettyConfig::default()).unwrap(),
    )
    .unwrap();
}

#[test]
fn blind_coding_hides_the_others_notes_codes_and_agreement_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    put_file(dir.path(), "kv", &[("02A", "s01", &["time_scarcity"])]);
    put_file(dir.path(), "hh", &[("01A", "s01", &["high_motivation"])]);
    let mut seeing = app_with_notes(dir.path(), "hh");
    let mut blind = app_with_notes(dir.path(), "hh").with_blind(true);
    act(&mut seeing, Action::ShowAgreement);
    act(&mut blind, Action::ShowAgreement);
    assert!(seeing.session.analysis.agreement.is_some());
    assert!(blind.session.analysis.agreement.is_none());
    act(&mut blind, Action::ShowAtlas);
    act(&mut seeing, Action::ShowAtlas);
    open_journey(&mut blind, "g06");
    let shown: Vec<&str> = blind.step_notes().iter().map(|(a, _)| *a).collect();
    assert_eq!(shown, ["hh"]);
    assert!(blind.session.analysis.agreement.is_none());
    assert!(blind.all_notes().iter().all(|(a, _, _)| *a == "hh"));
    let s = screen(&blind, 100, 30);
    assert!(s.contains("BLIND"), "{s}");
    assert!(!s.contains("kv's note"), "{s}");
    // Without --blind, the same step shows both.
    open_journey(&mut seeing, "g06");
    assert_eq!(seeing.step_notes().len(), 2);
    assert!(screen(&seeing, 100, 30).contains("kv's note"));
}

#[test]
fn adopting_a_code_on_the_agreement_screen_is_the_analysts_own_change_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    put_file(
        dir.path(),
        "kv",
        &[("02A", "s02", &["tacit_resistance", "time_scarcity"])],
    );
    put_file(dir.path(), "hh", &[("01A", "s02", &["tacit_resistance"])]);
    let mut app = app_with_notes(dir.path(), "hh");
    act(&mut app, Action::ShowAgreement);
    let d = app.disagreement().expect("a disagreement").clone();
    assert_eq!(
        d.differing,
        [terreng::analysis::agree::Id::from("time_scarcity")]
    );
    act(&mut app, Action::Adopt);
    let mine = on_disk(dir.path(), "hh", "g06");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, "01A", "the own note, not a new one");
    assert_eq!(mine[0].codes, ["tacit_resistance", "time_scarcity"]);
    assert_eq!(mine[0].text, "hh's note");
    // kv's file is untouched, and now they agree.
    assert_eq!(on_disk(dir.path(), "kv", "g06")[0].codes.len(), 2);
    assert!(app.disagreement().is_none());
    // Undo takes the code off again, on disk.
    act(&mut app, Action::Undo);
    assert_eq!(
        on_disk(dir.path(), "hh", "g06")[0].codes,
        ["tacit_resistance"]
    );
    assert!(app.disagreement().is_some());
    // Enter opens the step in the journey screen; Esc comes back.
    act(&mut app, Action::Open);
    assert_eq!(app.current_journey().unwrap().id, "g06");
    assert_eq!(
        app.current_journey().unwrap().steps[app.journey.step].id,
        "s02"
    );
    act(&mut app, Action::Close);
    assert_eq!(app.screen, terreng::app::state::Screen::Agreement);
}

/// Blind is blind in exports too: `:export` under `--blind` writes only the analyst's own
/// notes; without it, everyone's.
#[test]
fn export_from_the_app_under_blind_coding_holds_only_the_analysts_notes() {
    let dir = tempfile::tempdir().unwrap();
    put_file(dir.path(), "kv", &[("02A", "s01", &["time_scarcity"])]);
    put_file(dir.path(), "hh", &[("01A", "s01", &["high_motivation"])]);
    for (blind, expect_kv) in [(true, false), (false, true)] {
        let mut app = app_with_notes(dir.path(), "hh").with_blind(blind);
        let out = dir.path().join(format!("report-{blind}.md"));
        let line = format!("export markdown {} --all", out.display());
        act(&mut app, Action::CommandLine);
        act(&mut app, Action::CommandPaste(line));
        act(&mut app, Action::RunCommand);
        let md = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}: {:?}", app.flash));
        assert!(md.contains("hh's note"), "blind={blind}");
        assert_eq!(md.contains("kv's note"), expect_kv, "blind={blind}");
    }
}

#[test]
fn the_filter_searches_notes_read_from_disk_and_leaves_others_out_when_blind() {
    let dir = tempfile::tempdir().unwrap();
    put_file(dir.path(), "kv", &[("02A", "s01", &["time_scarcity"])]);
    let mut seeing = app_with_notes(dir.path(), "hh");
    let mut blind = app_with_notes(dir.path(), "hh").with_blind(true);
    assert_eq!(common::filtered(&mut seeing, "kv's note"), ["g06"]);
    assert!(common::filtered(&mut blind, "kv's note").is_empty());
    assert!(common::filtered(&mut seeing, "rs's note").is_empty());

    // Another analyst writes a note meanwhile; the folder is read again as the loop does it.
    put_file(dir.path(), "rs", &[("03A", "s02", &[])]);
    let mut performer = terreng::app::perform::Performer::new();
    assert_eq!(performer.perform(&mut seeing, Effect::Rescan), None);
    let mut found = Vec::new();
    for _ in 0..2000 {
        while let Some(action) = performer.try_recv() {
            performer.handle(&mut seeing, action);
        }
        found = common::filtered(&mut seeing, "rs's note");
        if !found.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(found, ["g06"], "the note read again is searched");
    // What was there before is still found.
    assert_eq!(common::filtered(&mut seeing, "kv's note"), ["g06"]);
}

#[test]
fn a_retried_save_that_merges_another_windows_note_makes_it_findable_by_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let (root, mut app) = unwritable_with_a_note(dir.path());
    assert_eq!(app.session.notes.as_ref().unwrap().store.unsaved(), ["g06"]);
    // The folder is repaired, and another window of the same analyst saves a note on g06 there.
    std::fs::remove_file(root.join("hh")).unwrap();
    put_file(&root, "hh", &[("09Z", "s01", &[])]);
    act(&mut app, Action::Poll);
    let texts: Vec<String> = on_disk(&root, "hh", "g06")
        .into_iter()
        .map(|n| n.text)
        .collect();
    assert!(texts.contains(&"hh's note".to_string()), "{texts:?}");
    assert!(texts.contains(&"kept in memory".to_string()), "{texts:?}");
    assert_eq!(common::filtered(&mut app, "hh's note"), ["g06"]);
}

/// The agreement screen reads each journey's notes from the note store; what it finds is what
/// the same notes listed one by one give (as `terreng agree` reads them), conflict copies and
/// all.
#[test]
fn the_agreement_screen_reads_notes_by_journey_and_finds_what_a_list_of_every_note_gives() {
    use terreng::analysis::{agree, view::catalogue_order};
    let dir = tempfile::tempdir().unwrap();
    put_file(
        dir.path(),
        "kv",
        &[
            ("02A", "s02", &["tacit_resistance", "time_scarcity"]),
            ("03A", "s03", &["silo_wall"]),
        ],
    );
    put_file(
        dir.path(),
        "zz",
        &[
            ("02B", "s02", &["tacit_resistance"]),
            ("03B", "s03", &["silo_wall", "not_in_the_catalogue"]),
        ],
    );
    put_file(
        dir.path(),
        "hh",
        &[("01A", "s02", &["time_scarcity"]), ("04A", "s04", &[])],
    );
    // A conflict copy counts as no coding.
    let mut kv = Annotations::new("kv", "g06");
    kv.notes = on_disk(dir.path(), "kv", "g06");
    kv.notes[1].conflict_of = Some("02A".into());
    std::fs::write(
        dir.path().join("kv").join("g06.ron"),
        ron::ser::to_string(&kv).unwrap(),
    )
    .unwrap();
    let mut app = app_with_notes(dir.path(), "hh");
    act(&mut app, Action::ShowAgreement);
    let shown = app
        .session
        .analysis
        .agreement
        .clone()
        .expect("the agreement is computed");

    let (store, _) = NoteStore::open(dir.path(), "hh");
    let all = store.all();
    let data = &app.session.data;
    let visible = &app.session.visible;
    let ids: Vec<&str> = visible
        .iter()
        .map(|&i| data.journeys[i].id.as_str())
        .collect();
    let analysts = agree::analysts_in(&all, &ids);
    assert_eq!(analysts, ["hh", "kv", "zz"]);
    let steps = agree::step_codings(&data.journeys, visible, &all, &analysts, &data.terrain);
    let listed = agree::agreement(&analysts, &steps, &catalogue_order(&data.terrain));
    assert_eq!(shown, listed);
    assert!(!shown.disagreements.is_empty(), "{shown:?}");
}

/// With two notes on a step, the analyst's coding is what both hold: a code on the second is
/// on it already, and adopting it changes nothing.
#[test]
fn adopting_a_code_another_of_the_analysts_notes_holds_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    put_file(
        dir.path(),
        "kv",
        &[("02A", "s02", &["tacit_resistance", "time_scarcity"])],
    );
    put_file(
        dir.path(),
        "hh",
        &[
            ("01A", "s02", &["silo_wall"]),
            ("01B", "s02", &["time_scarcity", "no_arena"]),
        ],
    );
    let mut app = app_with_notes(dir.path(), "hh");
    act(&mut app, Action::ShowAgreement);
    let d = app.disagreement().expect("a disagreement").clone();
    let at = |code: &str| d.differing.iter().position(|c| &**c == code).unwrap();
    assert!(
        d.differing.iter().all(|c| &**c != "time_scarcity"),
        "both have it"
    );
    // hh lacks tacit_resistance: adopting it adds it to the first note.
    app.agree_screen.code = at("tacit_resistance");
    let before = on_disk(dir.path(), "hh", "g06");
    act(&mut app, Action::Adopt);
    let after = on_disk(dir.path(), "hh", "g06");
    assert_eq!(after[0].codes, ["silo_wall", "tacit_resistance"]);
    assert_eq!(after[1], before[1]);
    // no_arena is hh's alone, on the second note; with hh's coding holding it, adopting it
    // changes nothing (it was added to the first note).
    let d = app
        .disagreement()
        .expect("hh's own codes still differ")
        .clone();
    app.agree_screen.code = d.differing.iter().position(|c| &**c == "no_arena").unwrap();
    act(&mut app, Action::Adopt);
    assert_eq!(on_disk(dir.path(), "hh", "g06"), after);
    assert!(
        app.flash.as_deref().unwrap_or("").contains("already"),
        "{:?}",
        app.flash
    );
}
