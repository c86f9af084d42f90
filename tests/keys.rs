//! Keys as a user presses them — through the keymap, as the event loop turns them into
//! actions — and what the key bar says they do. Each test counts or names real keys, so a
//! keymap edit that breaks a promise of the bar fails here.

use std::path::Path;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use terreng::app::state::{Focus, Overlay};
use terreng::app::{App, act};
use terreng::model::{Annotations, Note};
use terreng::store::annotations::NoteStore;
use terreng::store::{self, DataSource};
use terreng::ui::Hits;
use terreng::ui::help::bar_items;
use terreng::ui::theme::Look;

mod common;

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
        .map(|b| format!("{} {}", b.keys, b.words))
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

/// Presses a terreng key (as the bar names it) as the loop would.
fn press_key(app: &mut App, key: terreng::app::key::Key) -> Vec<terreng::app::Effect> {
    let context = app.context();
    match app.keymap.action(context, key) {
        Some(action) => act(app, action),
        None => Vec::new(),
    }
}

#[test]
fn with_the_strip_focused_l_moves_the_step_as_the_bar_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path());
    open_at(&mut app, "g06", 0);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.journey.focus, Focus::Strip);
    assert!(
        bar(&app).contains(&"→/l next step".to_string()),
        "{:?}",
        bar(&app)
    );
    press(&mut app, KeyCode::Char('l'));
    assert_eq!(
        app.journey.step, 1,
        "l moved the step, not a cursor beside it"
    );
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.journey.step, 0);
}

#[test]
fn up_and_down_move_in_the_focused_pane_and_the_bar_follows_the_focus() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path());
    open_at(&mut app, "g06", 0);
    // The map: ↓ steps along the route; the detail does not scroll.
    assert_eq!(app.journey.focus, Focus::Map);
    assert!(
        bar(&app).contains(&"Tab to the steps".to_string()),
        "{:?}",
        bar(&app)
    );
    assert!(!bar(&app).iter().any(|b| b.contains("scroll")));
    press(&mut app, KeyCode::Down);
    assert_eq!((app.journey.step, app.journey.detail_scroll), (1, 0));
    press(&mut app, KeyCode::Up);
    assert_eq!(app.journey.step, 0);
    // The strip: the same.
    press(&mut app, KeyCode::Tab);
    assert!(bar(&app).contains(&"Tab to the step detail".to_string()));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!((app.journey.step, app.journey.detail_scroll), (1, 0));
    // The detail: ↓ scrolls it, and the step stays.
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.journey.focus, Focus::Detail);
    assert_eq!(bar(&app)[0], "↓/↑ scroll the step", "{:?}", bar(&app));
    assert!(bar(&app).contains(&"Tab to the map".to_string()));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    assert_eq!((app.journey.step, app.journey.detail_scroll), (1, 2));
    press(&mut app, KeyCode::Up);
    assert_eq!((app.journey.step, app.journey.detail_scroll), (1, 1));
}

/// Every key in the journey screen's bar, in each pane, changes something when pressed, and
/// the ones that say they step do step.
#[test]
fn every_key_in_the_journey_bar_does_something_in_every_pane() {
    for tabs in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let mut probe = app_with_notes(dir.path());
        open_at(&mut probe, "g06", 2);
        for _ in 0..tabs {
            press(&mut probe, KeyCode::Tab);
        }
        for item in bar_items(&probe) {
            let mut app = app_with_notes(dir.path());
            open_at(&mut app, "g06", 2);
            for _ in 0..tabs {
                press(&mut app, KeyCode::Tab);
            }
            let key = item.key.expect("a key to press");
            let effects = press_key(&mut app, key);
            assert!(
                !effects.is_empty(),
                "pane {tabs}: {} {} did nothing",
                item.keys,
                item.words
            );
            if item.words == "next step" {
                assert_eq!(app.journey.step, 3, "pane {tabs}: {}", item.keys);
            }
            if item.words == "previous step" {
                assert_eq!(app.journey.step, 1, "pane {tabs}: {}", item.keys);
            }
        }
    }
}

#[test]
fn the_help_scrolls_by_page_and_to_both_ends() {
    let mut app = App::new(store::load(&DataSource::Bundled, None), Look::default());
    act(&mut app, terreng::app::Action::Resize(80, 24));
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.overlay, Overlay::Help);
    let shown = |app: &App| common::text(&common::screen(app, 80, 24));
    assert!(shown(&app).contains("terreng — walk journeys"));
    press(&mut app, KeyCode::PageDown);
    let page = app.help.scroll;
    assert!(page > 5, "a page, not a line: {page}");
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.help.scroll, 2 * page, "Space pages too");
    // End: the last line in view, and nothing scrolls past it.
    press(&mut app, KeyCode::End);
    let end = app.help.scroll;
    assert!(shown(&app).contains("the wheel scrolls the step detail"));
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Down);
    assert_eq!(app.help.scroll, end);
    // One line up from the end moves at once (no hidden overshoot to climb back).
    press(&mut app, KeyCode::Up);
    assert_eq!(app.help.scroll, end - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.help.scroll, 0);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.help.scroll, end);
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.help.scroll, end - page);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.help.scroll, 0);
    assert!(shown(&app).contains("terreng — walk journeys"));
}

#[test]
fn on_the_terminal_too_small_screen_keys_wait_but_q_quits() {
    let mut app = App::new(store::load(&DataSource::Bundled, None), Look::default());
    act(&mut app, terreng::app::Action::Resize(50, 12));
    assert!(common::text(&common::screen(&app, 50, 12)).contains("Terminal too small"));
    for code in [
        KeyCode::Enter,
        KeyCode::Down,
        KeyCode::Char('m'),
        KeyCode::Char('3'),
        KeyCode::Char('?'),
    ] {
        press(&mut app, code);
    }
    assert_eq!(app.screen, terreng::app::state::Screen::Atlas);
    assert_eq!(app.atlas.selected, 0);
    assert!(app.session.marked.is_empty());
    assert_eq!(app.overlay, Overlay::None);
    // Larger again: the keys act.
    act(&mut app, terreng::app::Action::Resize(80, 24));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, terreng::app::state::Screen::Journey);
    act(&mut app, terreng::app::Action::Resize(50, 12));
    let ev = Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    let action = terreng::app::run::to_action(&app, &Hits::default(), ev).unwrap();
    assert!(act(&mut app, action).contains(&terreng::app::Effect::Quit));
}

#[test]
fn the_command_line_says_what_is_missing_and_long_messages_wrap_at_80_columns() {
    let mut app = App::new(store::load(&DataSource::Bundled, None), Look::default());
    act(&mut app, terreng::app::Action::Resize(80, 24));
    press(&mut app, KeyCode::Char(':'));
    type_keys(&mut app, "export markdown");
    press(&mut app, KeyCode::Enter);
    let said = app.flash.clone().unwrap();
    assert!(said.starts_with("missing <PATH>"), "{said}");
    assert!(said.ends_with("[--all]"), "{said}");
    // On screen, whole: wrapped over the rows it needs, above the key bar.
    let shown = common::text(&common::screen(&app, 80, 24));
    let rows: Vec<&str> = shown.lines().collect();
    let status = rows[rows.len() - 3..rows.len() - 1].join(" ");
    assert!(status.contains("missing <PATH>"), "{shown}");
    assert!(status.contains("[--all]"), "{shown}");
    assert!(rows[rows.len() - 1].contains("q quit"), "{shown}");

    press(&mut app, KeyCode::Char(':'));
    type_keys(&mut app, "exprot csv out.csv");
    press(&mut app, KeyCode::Enter);
    let said = app.flash.clone().unwrap();
    assert!(said.contains("unknown command 'exprot'"), "{said}");
    assert!(said.contains(":export FORMAT PATH"), "{said}");
}

#[test]
fn a_long_problem_is_read_whole_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("journeys/g05.ron");
    let text = std::fs::read_to_string(bundled).unwrap();
    std::fs::write(
        dir.path().join("g05.ron"),
        text.replacen("obstacles:", "obstacels:", 1),
    )
    .unwrap();
    let data = store::load(&DataSource::Dir(dir.path().to_path_buf()), None);
    let problem = data.problems[0].to_string();
    assert!(problem.ends_with("provenance)"), "{problem}");
    let mut app = App::new(data, Look::default());
    act(&mut app, terreng::app::Action::Resize(80, 24));
    press(&mut app, KeyCode::Char('!'));
    let shown = common::text(&common::screen(&app, 80, 24));
    assert!(shown.contains("mean 'obstacles'?"), "{shown}");
    assert!(shown.contains("provenance)"), "{shown}");
}

/// On the atlas, compare and terrain screens too, every key the bar shows does something.
#[test]
fn every_key_in_the_bar_of_the_other_screens_does_something() {
    type Setup = fn(&mut App);
    let setups: [(&str, Setup); 3] = [
        ("atlas", |_app| {}),
        ("compare", |app| {
            act(app, terreng::app::Action::Mark);
            act(app, terreng::app::Action::Down);
            act(app, terreng::app::Action::Mark);
            act(app, terreng::app::Action::ShowCompare);
            // Past the start, so that back has somewhere to go.
            act(app, terreng::app::Action::StepNext);
        }),
        ("terrain", |app| {
            act(app, terreng::app::Action::ShowTerrain);
        }),
    ];
    for (name, setup) in setups {
        let dir = tempfile::tempdir().unwrap();
        let mut probe = app_with_notes(dir.path());
        setup(&mut probe);
        for item in bar_items(&probe) {
            let mut app = app_with_notes(dir.path());
            setup(&mut app);
            let effects = press_key(&mut app, item.key.expect("a key"));
            assert!(
                !effects.is_empty(),
                "{name}: {} {} did nothing",
                item.keys,
                item.words
            );
        }
    }
}

/// The code selected on the codebook screen.
fn code_at(app: &App) -> String {
    match &app.codebook.rows[app.codebook.selected] {
        terreng::app::codebook::CodeRow::Code { id, .. } => id.clone(),
        other => panic!("a heading is selected: {other:?}"),
    }
}

/// On the codebook screen (8), `/` searches the codes' ids and labels as they are typed, Enter
/// keeps the code found, `n` finds the next again, and a search that matches nothing says so
/// and leaves the selection where it was — over 100 codes, nobody scrolls to find one.
#[test]
fn the_codebook_finds_a_code_by_what_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_notes(dir.path());
    press(&mut app, KeyCode::Char('8'));
    let first = code_at(&app);
    press(&mut app, KeyCode::Char('/'));
    type_keys(&mut app, "turnover");
    assert_eq!(code_at(&app), "leadership_turnover");
    press(&mut app, KeyCode::Enter);
    assert!(app.codebook.searching.is_none());
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(code_at(&app), first);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(code_at(&app), "leadership_turnover", "n finds it again");
    // A label in Norwegian finds its code too; a letter too many is a miss, Backspace undoes it.
    press(&mut app, KeyCode::Char('/'));
    type_keys(&mut app, "knapphet på tid");
    assert_eq!(code_at(&app), "time_scarcity");
    type_keys(&mut app, "x");
    assert!(
        app.flash
            .as_deref()
            .unwrap_or("")
            .contains("no code matches"),
        "{:?}",
        app.flash
    );
    assert_eq!(code_at(&app), "time_scarcity", "a miss moves nothing");
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.flash, None, "found again");
    press(&mut app, KeyCode::Esc);
    assert!(app.codebook.searching.is_none());
    assert_eq!(app.screen, terreng::app::state::Screen::Codebook);
}
