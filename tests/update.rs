//! `update` alone: actions in, state and effects out, with nothing performed. No folder, no
//! terminal: what `update` asks for is checked as it asks, and outcomes are fed back by hand.

mod common;

use std::path::Path;

use terreng::app::analysis::compute;
use terreng::app::effect::{ChangeSet, Delivered, Outcome, SaveReport};
use terreng::app::key::Key;
use terreng::app::state::{NoteStatus, Overlay, Screen};
use terreng::app::{Action, App, Effect, update};
use terreng::store::annotations::{Change, NoteStore, Saved};
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;

/// A folder that is never made: the test fails if anything is written.
const NOWHERE: &str = "target/no-such-annotations-folder";

fn app() -> App {
    let notes = NoteStore::unread(Path::new(NOWHERE), "hh");
    App::new(store::load(&DataSource::Bundled, None), Look::default()).with_notes(notes, vec![])
}

fn key(c: char) -> Action {
    Action::EditorKey(Key::char(c))
}

/// The save a list of effects asks for, the only one.
fn the_save(effects: &[Effect]) -> &ChangeSet {
    let saves: Vec<&ChangeSet> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Save(set) => Some(set),
            _ => None,
        })
        .collect();
    assert_eq!(saves.len(), 1, "{effects:?}");
    saves[0]
}

#[test]
fn annotate_undo_and_redo_ask_for_saves_and_change_nothing_on_disk() {
    let mut app = app();
    let pos = app
        .session
        .visible
        .iter()
        .position(|&i| app.session.data.journeys[i].id == "g06")
        .unwrap();
    assert_eq!(update(&mut app, Action::SelectRow(pos)), [Effect::Redraw]);
    assert_eq!(update(&mut app, Action::Open), [Effect::Redraw]);
    assert_eq!(app.screen, Screen::Journey);
    let step = app.current_journey().unwrap().steps[0].id.clone();

    // Writing a note asks for nothing but frames.
    assert_eq!(update(&mut app, Action::AddNote), [Effect::Redraw]);
    assert_eq!(app.overlay, Overlay::Editor);
    for c in "Høflig".chars() {
        assert_eq!(update(&mut app, key(c)), [Effect::Redraw]);
    }

    // Ctrl-S: the note is in memory at once, and its save is asked for.
    let effects = update(&mut app, Action::SaveNote);
    assert!(effects.contains(&Effect::Redraw));
    let set = the_save(&effects).clone();
    assert_eq!(set.journeys, ["g06"]);
    let [Change::Put { journey, note }] = &set.changes[..] else {
        panic!("{set:?}");
    };
    assert_eq!(
        (journey.as_str(), note.step.as_str()),
        ("g06", step.as_str())
    );
    assert_eq!(note.text, "Høflig");
    assert_eq!(app.overlay, Overlay::None);
    let shown: Vec<String> = app.step_notes().iter().map(|(_, n)| n.id.clone()).collect();
    assert_eq!(shown, std::slice::from_ref(&note.id));
    let store = &app.session.notes.as_ref().unwrap().store;
    assert_eq!(store.unsaved(), ["g06"], "staged, not yet written");

    // The save's outcome, as the loop reports it, goes to the status line.
    let path = format!("{NOWHERE}/hh/g06.ron");
    let report = SaveReport {
        path: path.clone(),
        result: Ok(Saved::Written),
    };
    let effects = update(
        &mut app,
        Action::Done(Delivered::new(Outcome::Saved(Some(report)))),
    );
    assert_eq!(effects, [Effect::Redraw]);
    let status = &app.session.notes.as_ref().unwrap().status;
    assert!(
        matches!(status, NoteStatus::Saved { path: p, .. } if *p == path),
        "{status:?}"
    );

    // Undo asks to save the note's deletion; redo, the note again.
    let effects = update(&mut app, Action::Undo);
    assert_eq!(
        the_save(&effects).changes,
        [Change::Delete {
            journey: "g06".into(),
            id: note.id.clone()
        }]
    );
    assert!(app.step_notes().is_empty());
    let effects = update(&mut app, Action::Redo);
    assert_eq!(
        the_save(&effects).changes,
        [Change::Put {
            journey: "g06".into(),
            note: note.clone()
        }]
    );
    assert_eq!(app.step_notes().len(), 1);
    let effects = update(&mut app, Action::Redo);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Save(_))));

    // Quitting with changes not on disk retries them first; if that fails, it asks.
    let effects = update(&mut app, Action::Quit);
    assert_eq!(effects, [Effect::Retry { then_quit: true }]);
    let failed = Outcome::Retried {
        errors: vec![format!("{path}: could not save: disk full")],
        then_quit: true,
    };
    let effects = update(&mut app, Action::Done(Delivered::new(failed)));
    assert_eq!(effects, [Effect::Redraw]);
    assert_eq!(app.overlay, Overlay::ConfirmQuit);
    assert_eq!(update(&mut app, Action::ForceQuit), [Effect::Quit]);

    assert!(!Path::new(NOWHERE).exists(), "update wrote to disk");
}

#[test]
fn a_screen_that_needs_analysis_asks_for_it_once_and_keys_do_not_wait() {
    let mut app = app();
    let effects = update(&mut app, Action::ShowTerrain);
    let asked: Vec<_> = effects
        .iter()
        .filter(|e| matches!(e, Effect::Analyse(_)))
        .collect();
    assert_eq!(asked.len(), 1, "{effects:?}");
    assert!(
        app.session.analysis.terrain.is_none(),
        "nothing is computed in update"
    );
    assert!(
        app.session
            .analysis
            .computing()
            .unwrap()
            .contains("terrain")
    );
    // A key while it computes: drawn at once, and the analysis is not asked for again.
    let effects = update(&mut app, Action::Down);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Analyse(_))));
    // Leaving and coming back while it is still out asks nothing new either.
    update(&mut app, Action::ShowAtlas);
    let effects = update(&mut app, Action::ShowTerrain);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Analyse(_))));
}

/// The analysis asked for on the terrain screen, computed as a worker would.
fn analysed(effects: &[Effect]) -> Action {
    let req = effects
        .iter()
        .find_map(|e| match e {
            Effect::Analyse(req) => Some(req.clone()),
            _ => None,
        })
        .expect("an analysis is asked for");
    Action::Done(Delivered::new(Outcome::Analysed(Box::new(compute(req)))))
}

/// A result replaced by a newer one, or answering a request no longer asked, is not freed in
/// `update`, on the thread that draws (an agreement at XL lists 260,000 disagreements and takes
/// longer than a frame to free): it goes to the loop in an effect, to be freed on a worker.
#[test]
fn a_replaced_or_stale_analysis_result_is_handed_on_to_be_freed() {
    let frees = |effects: &[Effect]| -> Vec<usize> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Free(d) => Some(d.take().expect("not taken yet").len()),
                _ => None,
            })
            .collect()
    };
    let mut app = app();
    let first = analysed(&update(&mut app, Action::ShowTerrain));
    assert_eq!(
        frees(&update(&mut app, first)),
        [0usize; 0],
        "nothing replaced"
    );
    let by_frequency = app.session.analysis.terrain.clone().expect("taken in");
    // Another order: a new result replaces the first, which is handed on.
    let second = analysed(&update(&mut app, Action::CycleSort));
    let effects = update(&mut app, second);
    assert_eq!(frees(&effects), [1]);
    assert_ne!(app.session.analysis.terrain.as_ref(), Some(&by_frequency));
    // A result for a request superseded before it came is handed on, not taken in.
    let stale = analysed(&update(&mut app, Action::CycleSort));
    let newest = analysed(&update(&mut app, Action::CycleSort));
    let now = app.session.analysis.terrain.clone();
    assert_eq!(frees(&update(&mut app, stale)), [1]);
    assert_eq!(
        app.session.analysis.terrain, now,
        "the stale result is not shown"
    );
    assert_eq!(frees(&update(&mut app, newest)), [1], "the one it replaced");
}

#[test]
fn export_and_rescan_are_effects() {
    let mut app = app();
    update(&mut app, Action::CommandLine);
    for c in "export csv out.csv".chars() {
        update(&mut app, Action::CommandInput(c));
    }
    let effects = update(&mut app, Action::RunCommand);
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::Export(job) => Some(job),
            _ => None,
        })
        .expect("an export");
    assert_eq!(job.path, Path::new("out.csv"));
    assert!(!Path::new("out.csv").exists());
    assert_eq!(app.flash.as_deref(), Some("writing out.csv…"));
    // How far the export is, as the worker says it, then its end.
    let exporting = Outcome::Exporting {
        path: "out.csv".to_string(),
        percent: 42,
    };
    update(&mut app, Action::Done(Delivered::new(exporting)));
    assert_eq!(app.flash.as_deref(), Some("writing out.csv… 42%"));
    let exported = Outcome::Exported("wrote out.csv".to_string());
    update(&mut app, Action::Done(Delivered::new(exported)));
    assert_eq!(app.flash.as_deref(), Some("wrote out.csv"));
    assert!(update(&mut app, Action::Poll).contains(&Effect::Rescan));
}

/// Opens journey `id` at step `step` from the atlas, by `update` alone.
fn open_at(app: &mut App, id: &str, step: usize) {
    let pos = app
        .session
        .visible
        .iter()
        .position(|&i| app.session.data.journeys[i].id == id)
        .unwrap();
    update(app, Action::ShowAtlas);
    update(app, Action::SelectRow(pos));
    update(app, Action::Open);
    update(app, Action::SelectStep(step));
}

#[test]
fn the_status_says_what_changed_and_undo_goes_back_to_where_it_was() {
    let mut app = app();
    open_at(&mut app, "g06", 3);
    let step = app.current_journey().unwrap().steps[3].id.clone();
    // Code the step (c, Space, Enter): the status names the change and the way back.
    update(&mut app, Action::CodeStep);
    update(&mut app, Action::ToggleCode);
    update(&mut app, Action::Confirm);
    let said = app.flash.clone().unwrap();
    assert!(
        said.starts_with(&format!("note added on g06 {step}")),
        "{said}"
    );
    assert!(said.ends_with("u undoes"), "{said}");
    // Delete it: "note deleted", not only "saved".
    update(&mut app, Action::DeleteNote);
    let said = app.flash.clone().unwrap();
    assert_eq!(said, format!("note deleted on g06 {step} — u undoes"));
    assert!(app.step_notes().is_empty());

    // Elsewhere — another journey, on the atlas — undo brings the note back and goes there.
    open_at(&mut app, "g01", 0);
    update(&mut app, Action::ShowAtlas);
    update(&mut app, Action::Undo);
    assert_eq!(app.screen, Screen::Journey);
    assert_eq!(app.current_journey().unwrap().id, "g06");
    assert_eq!(app.journey.step, 3);
    assert_eq!(
        app.step_notes().len(),
        1,
        "the deleted note is back, in view"
    );
    let said = app.flash.clone().unwrap();
    assert!(said.starts_with("undid: "), "{said}");
    assert!(said.contains(&format!("g06 · {step}")), "{said}");
    assert!(said.contains("Ctrl-R redoes"), "{said}");
    // Esc goes back to the screen undo was pressed on.
    update(&mut app, Action::Close);
    assert_eq!(app.screen, Screen::Atlas);

    // Redo, from another journey's screen: back to g06, the note removed again.
    open_at(&mut app, "g01", 2);
    update(&mut app, Action::Redo);
    assert_eq!(app.current_journey().unwrap().id, "g06");
    assert_eq!(app.journey.step, 3);
    assert!(app.step_notes().is_empty());
    let said = app.flash.clone().unwrap();
    assert!(
        said.starts_with("redid: ") && said.contains("g06 · "),
        "{said}"
    );
}

#[test]
fn the_filter_finds_a_journey_by_the_text_of_a_note_on_it() {
    let mut app = app();
    let find = common::filtered;
    assert!(find(&mut app, "regnbue").is_empty());
    open_at(&mut app, "g06", 2);
    update(&mut app, Action::AddNote);
    for c in "Som en Regnbue etter regnet".chars() {
        update(&mut app, key(c));
    }
    update(&mut app, Action::SaveNote);
    assert_eq!(find(&mut app, "regnbue"), ["g06"]);
    // Words from the journey and from the note together.
    assert_eq!(find(&mut app, "regnbue group"), ["g06"]);
    // Undone, the note no longer finds its journey.
    update(&mut app, Action::Undo);
    assert!(find(&mut app, "regnbue").is_empty());
}

#[test]
fn marking_a_journey_while_themes_are_marked_says_it_unmarks_them_and_the_reverse() {
    let mut app = app();
    update(&mut app, Action::MarkTheme);
    assert_eq!(app.session.marked_themes.len(), 1);
    update(&mut app, Action::Down);
    update(&mut app, Action::Mark);
    assert!(app.session.marked_themes.is_empty());
    assert_eq!(app.session.marked.len(), 1);
    let said = app.flash.clone().unwrap();
    assert!(said.contains("the 1 marked theme is unmarked"), "{said}");
    update(&mut app, Action::Down);
    update(&mut app, Action::Mark);
    update(&mut app, Action::MarkTheme);
    assert!(app.session.marked.is_empty());
    let said = app.flash.clone().unwrap();
    assert!(
        said.contains("the 2 marked journeys are unmarked"),
        "{said}"
    );
    // Marking the same kind again says nothing of the other.
    update(&mut app, Action::Down);
    update(&mut app, Action::MarkTheme);
    assert!(!app.flash.clone().unwrap().contains("unmarked:"));
}

#[test]
fn the_atlas_columns_follow_a_changed_title_and_the_filter() {
    let mut app = app();
    let before = app.session.widest.title;
    let index = app.session.data.ids().position(|id| id == "g06").unwrap();
    let mut changed = app.session.data.journeys[index].clone();
    changed.title = "x".repeat(before + 7);
    app.replace_journey(index, changed);
    assert_eq!(app.session.widest.title, before + 7);
    // Filtered to another journey, the long title no longer sizes the column.
    common::type_filter(&mut app, "g01");
    let g01 = app.session.data.journey("g01").unwrap();
    assert_eq!(app.session.visible.len(), 1);
    assert_eq!(
        app.session.widest.title,
        terreng::ui::text::width(&g01.title)
    );
}
