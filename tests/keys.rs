//! Keys as a user presses them — through the keymap, as the event loop turns them into
//! actions — and what the key bar says they do. Each test counts or names real keys, so a
//! keymap edit that breaks a promise of the bar fails here.

use std::path::Path;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use terreng::app::state::Overlay;
use terreng::app::{App, act};
use terreng::model::{Annotations, Note};
use terreng::store::annotations::NoteStore;
use terreng::store::{self, DataSource};
use terreng::ui::Hits;
use terreng::ui::help::bar_items;
use terreng::ui::theme::Look;

fn app_with_notes(root: &Path) -> App {
    let (notes, problems) = NoteStore::open(root, "hh");
    assert!(problems.is_empty(), "{problems:?}");
    App::new(store::load(&DataSource::Bundled, None), Look::default()).with_notes(notes, vec![])
}

/// Presses one key as the loop would: through the keymap of the context in view.
fn press(app: &mut App, code: KeyCode) {
    press_with(app, code, KeyModifiers::NONE);
}

fn press_with(app: &mut App, code: KeyCode, m: KeyModifiers) {
    let ev = Event::Key(KeyEvent::new(code, m));
    if let Some(action) = terreng::app::run::to_action(app, &Hits::default(), ev) {
        act(app, action);
    }
}

fn type_keys(app: &mut App, s: &str) -> usize {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
    s.chars().count()
}

/// Opens journey `id` at step `step` (0-based) from the atlas.
fn open_at(app: &mut App, id: &str, step: usize) {
    let pos = app
        .session
        .visible
        .iter()
        .position(|&i| app.session.data.journeys[i].id == id)
        .unwrap();
    act(app, terreng::app::Action::SelectRow(pos));
    act(app, terreng::app::Action::Open);
    act(app, terreng::app::Action::SelectStep(step));
}

fn on_disk(root: &Path, journey: &str) -> Vec<Note> {
    let path = root.join("hh").join(format!("{journey}.ron"));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            store::parse::parse::<Annotations>(&path.display().to_string(), &text)
                .unwrap()
                .notes
        }
        Err(_) => Vec::new(),
    }
}

/// The key bar's items now, as "keys what".
fn bar(app: &App) -> Vec<String> {
    bar_items(app)
        .into_iter()
        .map(|(k, d, _)| format!("{k} {d}"))
        .collect()
}

#[test]
fn coding_a_step_with_one_of_its_own_codes_takes_at_most_five_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path());
    // g06 s02: obstacles unclear_mandate, management_disengagement; enablers goal_latitude…
    open_at(&mut app, "g06", 1);
    let own: Vec<String> = app.current_journey().unwrap().steps[1]
        .codes()
        .map(String::from)
        .collect();
    // The first of the step's codes: c, Space, Enter.
    let mut keys = 0;
    press(&mut app, KeyCode::Char('c'));
    keys += 1;
    assert_eq!(app.overlay, Overlay::Editor);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    keys += 2;
    assert_eq!(app.overlay, Overlay::None, "Enter saved and closed");
    let notes = on_disk(dir.path(), "g06");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].codes, [own[0].clone()]);
    assert!(keys <= 5, "{keys} keys");

    // Another of its codes, the third, on the next step's note: c, ↓, ↓, Space, Enter.
    act(&mut app, terreng::app::Action::StepNext);
    let own: Vec<String> = app.current_journey().unwrap().steps[2]
        .codes()
        .map(String::from)
        .collect();
    assert!(own.len() >= 3, "{own:?}");
    let mut keys = 0;
    for code in [
        KeyCode::Char('c'),
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Char(' '),
        KeyCode::Enter,
    ] {
        press(&mut app, code);
        keys += 1;
    }
    assert!(keys <= 5);
    let step = app.current_journey().unwrap().steps[2].id.clone();
    let note = on_disk(dir.path(), "g06")
        .into_iter()
        .find(|n| n.step == step)
        .expect("the note on the third step");
    assert_eq!(note.codes, [own[2].clone()]);
}

#[test]
fn space_then_enter_saves_the_code_ticked_and_a_space_in_a_search_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path());
    open_at(&mut app, "g06", 0);
    press(&mut app, KeyCode::Char('c'));
    // A two-word search: the space is part of it, nothing is chosen by it.
    type_keys(&mut app, "time sca");
    let e = app.editor.as_ref().unwrap();
    assert_eq!(e.query, "time sca");
    assert!(e.codes.is_empty());
    assert_eq!(e.matches().next().unwrap().id, "time_scarcity");
    assert!(bar(&app).contains(&"Enter choose the code found".to_string()));
    assert!(bar(&app).contains(&"Space a space in the search".to_string()));
    // Enter chooses the code found and clears the search; Enter again saves.
    press(&mut app, KeyCode::Enter);
    let e = app.editor.as_ref().unwrap();
    assert_eq!(e.codes, ["time_scarcity"]);
    assert!(e.query.is_empty());
    assert!(bar(&app).contains(&"Enter save".to_string()));
    assert!(bar(&app).contains(&"Space choose / unchoose".to_string()));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(on_disk(dir.path(), "g06")[0].codes, ["time_scarcity"]);
}

#[test]
fn tab_in_the_quick_picker_goes_to_the_text_as_the_bar_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path());
    open_at(&mut app, "g06", 0);
    press(&mut app, KeyCode::Char('c'));
    assert!(
        bar(&app).contains(&"Tab to the text".to_string()),
        "{:?}",
        bar(&app)
    );
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Tab);
    type_keys(&mut app, "why");
    // Ctrl-S saves from the text.
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let notes = on_disk(dir.path(), "g06");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "why");
    assert_eq!(notes[0].codes.len(), 1);
}

#[test]
fn unticking_the_only_code_of_an_empty_note_deletes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path());
    open_at(&mut app, "g06", 0);
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    assert_eq!(on_disk(dir.path(), "g06").len(), 1);
    // c again: the chosen code is first, under the cursor; Space unticks it, Enter confirms.
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    assert!(
        on_disk(dir.path(), "g06").is_empty(),
        "no empty note is left to count as coded"
    );
    assert!(app.step_notes().is_empty());
    let said = app.flash.clone().unwrap_or_default();
    assert!(
        said.contains("note deleted") && said.contains("u undoes"),
        "{said}"
    );
    // u brings it back.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(on_disk(dir.path(), "g06").len(), 1);
}
