//! Editing journeys from the app: the change is on disk before the next frame, in the
//! canonical layout, never over a change made on disk meanwhile, and never in the bundled
//! journeys.

mod common;

use std::path::Path;

use terreng::app::{Action, App, act};
use terreng::model::edit::{Edit, new_step};
use terreng::model::{Journey, StepKind};
use terreng::store::{self, DataSource, parse};
use terreng::ui::theme::Look;

/// A copy of the snapshot study in `dir`, opened.
fn study_in(dir: &Path) -> App {
    common::copy_study(dir);
    let data = store::load(&DataSource::Dir(dir.to_path_buf()), None);
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    App::new(data, Look::default())
}

fn on_disk(dir: &Path, id: &str) -> Journey {
    let path = dir.join(format!("journeys/{id}.ron"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse::parse(&path.display().to_string(), &text).unwrap()
}

fn index_of(app: &App, id: &str) -> usize {
    app.session
        .data
        .journeys
        .iter()
        .position(|j| j.id == id)
        .unwrap()
}

#[test]
fn an_added_step_is_on_disk_after_the_action_that_made_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    let i = index_of(&app, "f01");
    let before = app.session.data.journeys[i].steps.len();
    let step = new_step("s90".into(), StepKind::Detour, "A new turn");
    let undo = app
        .edit_journey(
            i,
            Edit::Insert {
                index: before,
                step,
            },
            "step s90 added",
        )
        .unwrap();
    assert_eq!(undo, Edit::Delete { id: "s90".into() });
    // The next action carries out the save the edit asked for.
    act(&mut app, Action::Tick);
    let disk = on_disk(dir.path(), "f01");
    assert_eq!(disk.steps.len(), before + 1);
    assert_eq!(disk, app.session.data.journeys[i]);
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.starts_with("step s90 added — saved to"), "{flash}");
    // The route follows the edit.
    assert_eq!(app.session.routes[i].steps.len(), before + 1);
}

#[test]
fn a_change_made_on_disk_meanwhile_is_merged_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    let i = index_of(&app, "f02");
    // Someone else retitles the first step in the file.
    let mut theirs = on_disk(dir.path(), "f02");
    let first = theirs.steps[0].id.clone();
    theirs.steps[0].title = "Retitled elsewhere".into();
    let text = terreng::store::write::journey_text(&theirs, "").unwrap();
    std::fs::write(dir.path().join("journeys/f02.ron"), text).unwrap();
    // The app, not knowing, deletes the last step.
    let last = app.session.data.journeys[i]
        .steps
        .last()
        .unwrap()
        .id
        .clone();
    app.edit_journey(i, Edit::Delete { id: last.clone() }, "step deleted")
        .unwrap();
    act(&mut app, Action::Tick);
    let disk = on_disk(dir.path(), "f02");
    assert!(
        disk.steps.iter().all(|s| s.id != last),
        "our delete is kept"
    );
    let kept = disk.steps.iter().find(|s| s.id == first).unwrap();
    assert_eq!(kept.title, "Retitled elsewhere", "their retitle is kept");
    // The app now holds what was written.
    assert_eq!(app.session.data.journeys[i], disk);
    assert!(app.flash.as_deref().unwrap_or_default().contains("merged"));
}

#[test]
fn the_bundled_journeys_are_never_written() {
    let mut app = common::bundled_app();
    let step = new_step("s90".into(), StepKind::Stall, "x");
    let err = app
        .edit_journey(0, Edit::Insert { index: 0, step }, "added")
        .unwrap_err();
    assert!(err.contains("terreng new"), "{err}");
    assert!(
        app.session.data.journeys[0]
            .steps
            .iter()
            .all(|s| s.id != "s90"),
        "nothing changed in memory either"
    );
}

#[test]
fn a_new_journey_gets_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = study_in(dir.path());
    let theme = app.session.data.journeys[0].theme.clone();
    let j = terreng::model::edit::new_journey("n01", "A new one", &theme);
    let i = app.add_journey(j.clone()).unwrap();
    act(&mut app, Action::Tick);
    assert_eq!(on_disk(dir.path(), "n01"), j);
    assert_eq!(app.session.data.journeys[i].id, "n01");
    assert!(app.session.visible.contains(&i), "the atlas shows it");
    // A second journey with the same id is refused.
    assert!(app.add_journey(j).unwrap_err().contains("already"));
}
