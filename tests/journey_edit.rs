//! Writing journeys and growing the codebook in the app, as the analyst does it: keys in, through
//! `terreng::app::act`, and the files on disk out. A copy of the snapshot study in a temporary
//! folder each time.

mod common;

use std::path::Path;

use terreng::app::key::{Key, KeyCode};
use terreng::app::state::{Overlay, Screen};
use terreng::app::{Action, App, act};
use terreng::model::{Journey, Terrain};
use terreng::store::annotations::NoteStore;
use terreng::store::{self, DataSource, parse};
use terreng::ui::theme::Look;

/// The study in `dir` opened again, as it is on disk.
fn reopen(dir: &Path) -> App {
    let data = store::load(&DataSource::Dir(dir.to_path_buf()), None);
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    let (notes, problems) = NoteStore::open(&dir.join("annotations"), "hh");
    App::new(data, Look::default()).with_notes(notes, problems)
}

/// A copy of the snapshot study in `dir`, opened, with hh's notes folder.
fn study_in(dir: &Path) -> App {
    common::copy_study(dir);
    reopen(dir)
}

fn on_disk(dir: &Path, id: &str) -> Journey {
    let path = dir.join(format!("journeys/{id}.ron"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse::parse(&path.display().to_string(), &text).unwrap()
}

fn catalogue(dir: &Path) -> Terrain {
    let text = std::fs::read_to_string(dir.join("terrain.ron")).unwrap();
    parse::parse("terrain.ron", &text).unwrap()
}

fn ids(j: &Journey) -> Vec<&str> {
    j.steps.iter().map(|s| s.id.as_str()).collect()
}

/// Opens the journey `id` on the journey screen, at step `step` (0-based).
fn open(app: &mut App, id: &str, step: usize) {
    let pos = app
        .session
        .visible
        .iter()
        .position(|&i| app.session.data.journeys[i].id == id)
        .unwrap();
    act(app, Action::SelectRow(pos));
    act(app, Action::Open);
    assert_eq!(app.screen, Screen::Journey);
    act(app, Action::SelectStep(step));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        act(app, Action::FormKey(Key::char(c)));
    }
}

/// Types `text` into the open code picker's search.
fn searched(app: &mut App, text: &str) {
    for c in text.chars() {
        act(app, Action::EditorKey(Key::char(c)));
    }
}

/// The study copied into `dir`, with f01's first step open in the step form and the code
/// picker opened from its codes field.
fn step_picker(dir: &Path) -> App {
    let mut app = study_in(dir);
    open(&mut app, "f01", 0);
    act(&mut app, Action::EditStep);
    to_field(&mut app, "codes");
    act(&mut app, enter());
    app
}

fn enter() -> Action {
    Action::FormKey(Key::plain(KeyCode::Enter))
}

/// Tab to the field `name` of the open form.
fn to_field(app: &mut App, name: &str) {
    for _ in 0..40 {
        let here = app.form.as_ref().unwrap().form.focused().map(|f| f.name);
        if here == Some(name) {
            return;
        }
        act(app, Action::FocusNext);
    }
    panic!("no field {name}");
}

fn journey<'a>(app: &'a App, id: &str) -> &'a Journey {
    app.session.data.journey(id).unwrap()
}

#[test]
fn a_step_added_after_the_current_one_in_two_keys_and_its_title() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    open(&mut app, "f01", 0);
    let old: Vec<String> = ids(journey(&app, "f01"))
        .iter()
        .map(|s| s.to_string())
        .collect();
    let before = old.len();
    // A, the title, Ctrl-S.
    act(&mut app, Action::AddStepAfter);
    assert_eq!(app.overlay, Overlay::Form);
    typed(&mut app, "Første møte");
    act(&mut app, Action::SubmitForm);
    assert_eq!(app.overlay, Overlay::None);
    let disk = on_disk(dir.path(), "f01");
    assert_eq!(disk, *journey(&app, "f01"));
    assert_eq!(disk.steps.len(), before + 1);
    let new = &disk.steps[1];
    assert_eq!(
        (new.title.as_str(), new.kind.name()),
        ("Første møte", "Advance")
    );
    // The next id after the highest: never one in use.
    assert!(!old.contains(&new.id), "{} is new", new.id);
    // The new step is the current one; the route has it.
    assert_eq!(app.journey.step, 1);
    let ji = app.journey.journey;
    assert_eq!(app.session.routes[ji].steps.len(), before + 1);

    // I: before the current one, of another kind (a letter picks it), with a narrative.
    act(&mut app, Action::InsertStepBefore);
    typed(&mut app, "Venting");
    act(&mut app, enter());
    typed(&mut app, "s");
    to_field(&mut app, "narrative");
    typed(&mut app, "Ingen svar.");
    act(&mut app, enter());
    typed(&mut app, "Ingen tid.");
    act(&mut app, Action::SubmitForm);
    let disk = on_disk(dir.path(), "f01");
    assert_eq!(disk.steps[1].title, "Venting");
    assert_eq!(disk.steps[1].kind.name(), "Stall");
    assert_eq!(disk.steps[1].narrative, "Ingen svar.\nIngen tid.");
    assert_eq!(disk.steps[2].title, "Første møte");
}

#[test]
fn a_new_step_never_takes_the_id_of_a_deleted_step_that_notes_still_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    let last = journey(&app, "f01").steps.len() - 1;
    open(&mut app, "f01", last);
    let gone = journey(&app, "f01").steps[last].id.clone();
    // A note on the last step, then the step deleted: the note is an orphan.
    act(&mut app, Action::AddNote);
    act(&mut app, Action::EditorKey(Key::char('x')));
    act(&mut app, Action::SaveNote);
    act(&mut app, Action::DeleteStep);
    assert_eq!(app.overlay, Overlay::Confirm);
    let asked = app.confirm.as_ref().unwrap().lines.join(" ");
    assert!(
        asked.contains("1 note on it (hh) will be orphans"),
        "{asked}"
    );
    act(&mut app, Action::Yes);
    assert!(!ids(&on_disk(dir.path(), "f01")).contains(&gone.as_str()));
    assert_eq!(app.orphans().len(), 1, "the note is kept, as an orphan");
    // The next step made is not given the orphan's id.
    act(&mut app, Action::AddStepAfter);
    typed(&mut app, "Ny");
    act(&mut app, Action::SubmitForm);
    let disk = on_disk(dir.path(), "f01");
    let new = disk.steps.last().unwrap();
    assert_ne!(new.id, gone);
    assert_eq!(app.orphans().len(), 1, "the orphan stays an orphan");
    // Undo the add, then the delete: the note is on its step again.
    act(&mut app, Action::Undo);
    act(&mut app, Action::Undo);
    assert!(app.orphans().is_empty());
    assert_eq!(on_disk(dir.path(), "f01"), *journey(&app, "f01"));
    assert!(ids(journey(&app, "f01")).contains(&gone.as_str()));
}

#[test]
fn delete_without_notes_is_at_once_and_n_keeps_a_step_with_notes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    open(&mut app, "f02", 0);
    let first = journey(&app, "f02").steps[0].id.clone();
    act(&mut app, Action::DeleteStep);
    assert_eq!(app.overlay, Overlay::None, "no notes: no question");
    assert!(!ids(&on_disk(dir.path(), "f02")).contains(&first.as_str()));
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("deleted"), "{flash}");

    act(&mut app, Action::AddNote);
    act(&mut app, Action::EditorKey(Key::char('y')));
    act(&mut app, Action::SaveNote);
    let kept = journey(&app, "f02").steps[0].id.clone();
    act(&mut app, Action::DeleteStep);
    assert_eq!(app.overlay, Overlay::Confirm);
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::None);
    assert!(ids(&on_disk(dir.path(), "f02")).contains(&kept.as_str()));
}

#[test]
fn steps_move_and_keep_their_ids_and_the_current_step_follows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    open(&mut app, "f01", 0);
    let before: Vec<String> = ids(journey(&app, "f01"))
        .iter()
        .map(|s| s.to_string())
        .collect();
    act(&mut app, Action::MoveStepLater);
    act(&mut app, Action::MoveStepLater);
    let disk = on_disk(dir.path(), "f01");
    assert_eq!(disk.steps[2].id, before[0]);
    assert_eq!(app.journey.step, 2, "the moved step stays current");
    act(&mut app, Action::MoveStepEarlier);
    assert_eq!(on_disk(dir.path(), "f01").steps[1].id, before[0]);
    act(&mut app, Action::SelectStep(0));
    act(&mut app, Action::MoveStepEarlier);
    assert!(
        app.flash
            .as_deref()
            .unwrap_or("")
            .contains("first step already")
    );
    // Undo the three moves: the order is the file's first.
    for _ in 0..3 {
        act(&mut app, Action::Undo);
    }
    let back: Vec<String> = ids(&on_disk(dir.path(), "f01"))
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(back, before);
}

#[test]
fn editing_a_step_takes_codes_from_the_picker_and_evidence_typed_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    open(&mut app, "f03", 0);
    let original = journey(&app, "f03").clone();
    assert!(
        !original.steps[0]
            .obstacles
            .contains(&"tacit_resistance".to_string())
    );
    act(&mut app, Action::EditStep);
    let form = &app.form.as_ref().unwrap().form;
    let title = form.get("title");
    assert!(!title.is_empty(), "the form starts from the step");
    to_field(&mut app, "codes");
    // A letter on the codes opens the picker, searching.
    act(&mut app, Action::FormKey(Key::char('t')));
    assert_eq!(app.overlay, Overlay::Editor);
    searched(&mut app, "acit");
    // Enter chooses the code found (Space would type a space in the search).
    act(&mut app, Action::Confirm);
    act(&mut app, Action::SaveNote);
    assert_eq!(app.overlay, Overlay::Form, "back in the form");
    assert!(
        app.form
            .as_ref()
            .unwrap()
            .form
            .ids("codes")
            .contains(&"tacit_resistance".to_string())
    );
    to_field(&mut app, "quote_new");
    typed(&mut app, "det stoppet opp");
    act(&mut app, enter());
    typed(&mut app, "it came to a halt");
    act(&mut app, Action::SubmitForm);
    let disk = on_disk(dir.path(), "f03");
    let s = &disk.steps[0];
    assert!(s.obstacles.contains(&"tacit_resistance".to_string()));
    let ev = s.evidence.last().unwrap();
    assert_eq!(
        (ev.quote.as_str(), ev.translation.as_str()),
        ("det stoppet opp", "it came to a halt")
    );
    // The same step ids, the same number of steps.
    assert_eq!(disk.steps.len(), journey(&app, "f03").steps.len());
    // One undo takes the whole edit back.
    act(&mut app, Action::Undo);
    let back = on_disk(dir.path(), "f03");
    assert!(
        !back.steps[0]
            .obstacles
            .contains(&"tacit_resistance".to_string())
            || title.is_empty()
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.starts_with("undid: step"), "{flash}");
    assert!(flash.contains("f03 ·"), "{flash}");
}

#[test]
fn a_form_with_a_mistake_stays_open_and_says_what_and_esc_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    open(&mut app, "f01", 0);
    act(&mut app, Action::AddStepAfter);
    act(&mut app, Action::SubmitForm);
    let form = &app.form.as_ref().unwrap().form;
    assert_eq!(form.error.as_deref(), Some("Title is needed"));
    typed(&mut app, "T");
    to_field(&mut app, "stride");
    typed(&mut app, "far");
    act(&mut app, Action::SubmitForm);
    assert_eq!(app.overlay, Overlay::Form);
    let error = app.form.as_ref().unwrap().form.error.clone().unwrap();
    assert!(error.contains("'far' is not a number"), "{error}");
    let steps = journey(&app, "f01").steps.len();
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::Form, "the first Esc asks");
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(journey(&app, "f01").steps.len(), steps, "nothing added");
}

#[test]
fn a_new_journey_from_the_atlas_then_its_fields_edited() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    act(&mut app, Action::NewJourney);
    assert_eq!(app.overlay, Overlay::Form);
    typed(&mut app, "Gruppe Nord");
    to_field(&mut app, "goal");
    typed(&mut app, "Et felles team");
    act(&mut app, Action::SubmitForm);
    assert_eq!(
        app.form.as_ref().unwrap().form.error.as_deref(),
        Some("First step is needed"),
        "a journey starts with a step: one without is not loaded"
    );
    act(&mut app, Action::FocusNext);
    typed(&mut app, "Start");
    act(&mut app, Action::SubmitForm);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.screen, Screen::Journey);
    let j = on_disk(dir.path(), "gruppe_nord");
    assert_eq!(
        (j.title.as_str(), j.goal.as_str()),
        ("Gruppe Nord", "Et felles team")
    );
    assert_eq!(ids(&j), ["s01"]);
    assert_eq!(j.steps[0].title, "Start");
    // The only step stays.
    act(&mut app, Action::DeleteStep);
    assert!(app.flash.as_deref().unwrap_or("").contains("only step"));
    assert_eq!(ids(&on_disk(dir.path(), "gruppe_nord")), ["s01"]);
    // Its own fields: the id stays.
    act(&mut app, Action::EditJourney);
    let form = &app.form.as_ref().unwrap().form;
    assert_eq!(form.get("title"), "Gruppe Nord");
    assert_eq!(form.get("id"), "", "no id field: ids never change");
    to_field(&mut app, "goal");
    typed(&mut app, " i nord");
    act(&mut app, Action::SubmitForm);
    let j = on_disk(dir.path(), "gruppe_nord");
    assert_eq!(j.goal, "Et felles team i nord");
    assert_eq!(ids(&j), ["s01"], "the steps stay");
}

#[test]
fn the_bundled_journeys_and_catalogue_are_never_written() {
    let mut app = common::bundled_app();
    act(&mut app, Action::Open);
    act(&mut app, Action::AddStepAfter);
    assert_eq!(app.overlay, Overlay::None, "no form opens");
    assert!(app.flash.as_deref().unwrap_or("").contains("terreng new"));
    act(&mut app, Action::NewJourney);
    assert!(app.flash.as_deref().unwrap_or("").contains("terreng new"));
    act(&mut app, Action::ShowCodebook);
    act(&mut app, Action::EditCode);
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.flash.as_deref().unwrap_or("").contains("terreng new"));
}

/// In the step form's picker, as in the note's, a space while a search is typed is part of the
/// search, even when the search so far matches codes: a two-word label can be searched (and
/// made) without choosing the code that the first word found.
#[test]
fn a_space_in_the_step_forms_search_is_a_space_not_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = step_picker(dir.path());
    let before = app.editor.as_ref().unwrap().codes.clone();
    searched(&mut app, "busy");
    assert!(
        app.editor.as_ref().unwrap().match_count() > 0,
        "«busy» finds Busy calendars"
    );
    act(&mut app, Action::ToggleCode);
    searched(&mut app, "season");
    let e = app.editor.as_ref().unwrap();
    assert_eq!(e.codes, before, "the space chose nothing");
    assert_eq!(e.query, "busy season");
}

#[test]
fn a_code_made_from_the_picker_is_in_the_catalogue_on_disk_and_on_the_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = step_picker(dir.path());
    assert_eq!(app.overlay, Overlay::Editor);
    searched(&mut app, "Budsjettkutt");
    assert!(
        app.editor.as_ref().unwrap().offers_new(),
        "no code is called so"
    );
    // End goes to the offer below the matches; Space there types a space.
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::End)));
    act(&mut app, Action::ToggleCode);
    searched(&mut app, "igjen");
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::End)));
    assert_eq!(app.editor.as_ref().unwrap().offer_at(), Some(0));
    act(&mut app, Action::Down);
    assert_eq!(app.editor.as_ref().unwrap().offer_at(), Some(1));
    act(&mut app, Action::Up);
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::Enter)));
    let t = catalogue(dir.path());
    let (class, f) = t.feature("budsjettkutt_igjen").expect("on disk");
    assert_eq!(class.name(), "obstacle");
    assert_eq!(
        (f.en.as_str(), f.no.as_str()),
        ("Budsjettkutt igjen", "Budsjettkutt igjen")
    );
    assert_eq!(
        app.editor.as_ref().unwrap().codes.last().unwrap(),
        "budsjettkutt_igjen"
    );
    act(&mut app, Action::SaveNote);
    act(&mut app, Action::SubmitForm);
    let disk = on_disk(dir.path(), "f01");
    assert!(
        disk.steps[0]
            .obstacles
            .contains(&"budsjettkutt_igjen".to_string())
    );

    // The note editor's picker offers it too, and makes codes the same way.
    act(&mut app, Action::CodeStep);
    searched(&mut app, "Nystøtte");
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::End)));
    act(&mut app, Action::Down);
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::Enter)));
    act(&mut app, Action::SaveNote);
    let t = catalogue(dir.path());
    assert_eq!(t.feature("nystotte").unwrap().0.name(), "enabler");
    let notes = app.step_notes();
    assert!(notes[0].1.codes.contains(&"nystotte".to_string()));

    // Undo, three times: the note, the code, the step's edit; each says what and where.
    act(&mut app, Action::Undo);
    act(&mut app, Action::Undo);
    let flash = app.flash.clone().unwrap_or_default();
    assert!(
        flash.contains("enabler 'nystotte' added · code 'nystotte'"),
        "{flash}"
    );
    assert_eq!(
        app.screen,
        Screen::Codebook,
        "undo goes where the change was"
    );
    assert!(catalogue(dir.path()).feature("nystotte").is_none());
    act(&mut app, Action::Undo);
    assert_eq!(app.screen, Screen::Journey);
    assert!(
        !on_disk(dir.path(), "f01").steps[0]
            .obstacles
            .contains(&"budsjettkutt_igjen".to_string())
    );
    act(&mut app, Action::Redo);
    assert!(
        on_disk(dir.path(), "f01").steps[0]
            .obstacles
            .contains(&"budsjettkutt_igjen".to_string())
    );
}

#[test]
fn the_codebook_screen_edits_merges_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    act(&mut app, Action::ShowCodebook);
    assert_eq!(app.screen, Screen::Codebook);
    assert!(!app.codebook.rows.is_empty());
    let select = |app: &mut App, id: &str| {
        act(app, Action::StepFirst);
        for _ in 0..50 {
            if app.codebook.rows.get(app.codebook.selected).is_some_and(
                |r| matches!(r, terreng::app::codebook::CodeRow::Code { id: c, .. } if c == id),
            ) {
                return;
            }
            act(app, Action::Down);
        }
        panic!("no code {id}");
    };
    // Edit a definition.
    select(&mut app, "shifting_ground");
    act(&mut app, Action::EditCode);
    to_field(&mut app, "definition");
    typed(&mut app, " Og mer.");
    act(&mut app, Action::SubmitForm);
    let t = catalogue(dir.path());
    assert!(
        t.feature("shifting_ground")
            .unwrap()
            .1
            .definition
            .ends_with(" Og mer.")
    );

    // A second analyst's note names unclear_direction; merging it into shifting_ground
    // rewrites the journeys and leaves it an alias.
    let (mut kv, _) = NoteStore::open(&dir.path().join("annotations"), "kv");
    let users: Vec<(String, String)> = app
        .session
        .data
        .journeys
        .iter()
        .flat_map(|j| {
            j.steps
                .iter()
                .filter(|s| s.obstacles.contains(&"unclear_direction".to_string()))
                .map(|s| (j.id.clone(), s.id.clone()))
        })
        .collect();
    assert!(!users.is_empty(), "the fixture uses unclear_direction");
    kv.apply(terreng::store::annotations::Change::Put {
        journey: users[0].0.clone(),
        note: terreng::model::Note::new(&users[0].1, vec!["unclear_direction".into()], "kv".into()),
    })
    .unwrap();
    let mut app = reopen(dir.path());
    act(&mut app, Action::ShowCodebook);
    select(&mut app, "unclear_direction");
    act(&mut app, Action::DeleteCode);
    assert!(
        app.flash.as_deref().unwrap_or("").contains("still used"),
        "used: not deleted"
    );
    act(&mut app, Action::MergeCode);
    assert_eq!(app.codebook.merging.as_deref(), Some("unclear_direction"));
    select(&mut app, "shifting_ground");
    act(&mut app, Action::Open);
    assert_eq!(app.overlay, Overlay::Confirm);
    let asked = app.confirm.as_ref().unwrap().lines.join(" ");
    assert!(asked.contains("1 note by kv"), "{asked}");
    act(&mut app, Action::Yes);
    let t = catalogue(dir.path());
    assert_eq!(t.resolve("unclear_direction"), "shifting_ground");
    for (j, s) in &users {
        let step = on_disk(dir.path(), j)
            .steps
            .into_iter()
            .find(|x| x.id == *s)
            .unwrap();
        assert!(
            step.obstacles.contains(&"shifting_ground".to_string()),
            "{j} {s}"
        );
        assert!(!step.obstacles.contains(&"unclear_direction".to_string()));
    }
    // The alias is still used (by kv's note): it cannot go. An unused code can.
    select(&mut app, "unclear_direction");
    act(&mut app, Action::DeleteCode);
    assert!(catalogue(dir.path()).known("unclear_direction"));
    // Undo the merge: catalogue and journeys as they were.
    act(&mut app, Action::Undo);
    let t = catalogue(dir.path());
    assert_eq!(t.resolve("unclear_direction"), "unclear_direction");
    let (j, s) = &users[0];
    let step = on_disk(dir.path(), j)
        .steps
        .into_iter()
        .find(|x| x.id == *s)
        .unwrap();
    assert!(step.obstacles.contains(&"unclear_direction".to_string()));
}

#[test]
fn comments_in_a_hand_written_file_are_asked_about_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    let path = dir.path().join("journeys/f04.ron");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "    steps: [",
        "    // the steps as the interviews gave them\n    steps: [",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    open(&mut app, "f04", 0);
    let steps = journey(&app, "f04").steps.len();
    act(&mut app, Action::AddStepAfter);
    typed(&mut app, "Ny");
    act(&mut app, Action::SubmitForm);
    assert_eq!(
        app.overlay,
        Overlay::Confirm,
        "asked before the first write"
    );
    let asked = app.confirm.as_ref().unwrap().lines.join(" ");
    assert!(asked.contains("f04.ron: a comment on line"), "{asked}");
    // No: the file stays, and so does the journey in the app.
    act(&mut app, Action::Close);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert_eq!(journey(&app, "f04").steps.len(), steps);
    // Redo makes the change again, and asks again; yes writes it.
    act(&mut app, Action::Redo);
    assert_eq!(app.overlay, Overlay::Confirm);
    act(&mut app, Action::Yes);
    let disk = on_disk(dir.path(), "f04");
    assert_eq!(disk.steps.len(), steps + 1);
    assert!(
        !std::fs::read_to_string(&path)
            .unwrap()
            .contains("as the interviews")
    );
    // Asked once: the next change is written at once.
    act(&mut app, Action::MoveStepLater);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(on_disk(dir.path(), "f04"), *journey(&app, "f04"));
}

#[test]
fn the_codebook_screen_and_the_step_form_are_laid_out_at_80x24_and_200x60() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    act(&mut app, Action::ShowCodebook);
    for (w, h) in [(80, 24), (200, 60)] {
        act(&mut app, Action::Resize(w, h));
        let shown = common::text(&common::screen(&app, w, h));
        assert!(shown.contains("· codebook"), "{shown}");
        assert!(shown.contains("Obstacles · 4"), "{shown}");
        assert!(shown.contains("The code"), "{shown}");
        assert!(shown.contains("Used: "), "{shown}");
        assert!(shown.contains("e edit the code"), "{shown}");
    }
    // Wide: the list and the code side by side, every use listed.
    let wide = common::text(&common::screen(&app, 200, 60));
    let row = wide.lines().find(|l| l.contains("▶")).unwrap_or("");
    assert!(row.contains("┃│"), "side by side: {row}");
    assert!(wide.contains("Where:"), "{wide}");
    // Merging shows in the list's title.
    act(&mut app, Action::MergeCode);
    let merging = common::text(&common::screen(&app, 80, 24));
    assert!(merging.contains("Merge '"), "{merging}");
    act(&mut app, Action::Close);

    act(&mut app, Action::ShowAtlas);
    open(&mut app, "f01", 0);
    act(&mut app, Action::EditStep);
    for (w, h) in [(80, 24), (200, 60)] {
        let shown = common::text(&common::screen(&app, w, h));
        assert!(shown.contains("▶ Title *"), "{shown}");
        assert!(shown.contains("Ctrl-S save"), "{shown}");
    }
    // Nothing breaks on a terminal too small to draw in.
    let _ = common::screen(&app, 20, 5);
}

#[test]
fn under_blind_coding_the_delete_question_counts_others_notes_without_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    drop(study_in(dir.path()));
    let (mut kv, _) = NoteStore::open(&dir.path().join("annotations"), "kv");
    kv.apply(terreng::store::annotations::Change::Put {
        journey: "f01".into(),
        note: terreng::model::Note::new("s02", vec![], "kv's".into()),
    })
    .unwrap();
    let mut app = reopen(dir.path()).with_blind(true);
    open(&mut app, "f01", 1);
    act(&mut app, Action::DeleteStep);
    assert_eq!(
        app.overlay,
        Overlay::Confirm,
        "kv's hidden note still counts"
    );
    let asked = app.confirm.as_ref().unwrap().lines.join(" ");
    assert!(asked.contains("1 note on it"), "{asked}");
    assert!(!asked.contains("kv"), "{asked}");
}

#[test]
fn a_catalogue_with_comments_asks_before_a_new_code_and_no_keeps_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("terrain.ron");
    drop(study_in(dir.path()));
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "    enablers: [",
        "    // ours\n    enablers: [",
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let mut app = reopen(dir.path());
    open(&mut app, "f01", 0);
    act(&mut app, Action::CodeStep);
    searched(&mut app, "Kveldsmøter");
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::End)));
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::Enter)));
    assert_eq!(app.overlay, Overlay::Confirm, "asked over the picker");
    act(&mut app, Action::Close);
    assert_eq!(app.overlay, Overlay::Editor, "back in the picker");
    assert_eq!(app.screen, Screen::Journey, "where the analyst was");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert!(!app.terrain().known("kveldsmoter"));
    assert!(
        app.editor.as_ref().unwrap().codes.is_empty(),
        "the code is gone from the choice too"
    );
    // Yes, the second time: written, and the comment goes.
    searched(&mut app, "Kveldsmøter");
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::End)));
    act(&mut app, Action::EditorKey(Key::plain(KeyCode::Enter)));
    act(&mut app, Action::Yes);
    assert!(catalogue(dir.path()).known("kveldsmoter"));
    assert!(!std::fs::read_to_string(&path).unwrap().contains("// ours"));
}
