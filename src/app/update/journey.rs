//! The journey screen: stepping and playing, the panes, and the notes on the current step
//! (the editor opens from here; deleting is a change like any other). Writing the journey's
//! steps starts here too, and is done in [`super::journey_edit`].

use crate::app::action::Action;
use crate::app::editor::Editor;
use crate::app::state::{App, Focus, NoteStatus, Overlay, Screen};
use crate::app::update::journey_edit;
use crate::app::update::notes::record;
use crate::app::update::set_screen;
use crate::store::annotations::Change;

/// An action on the journey screen.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    match action {
        Action::FocusNext | Action::FocusPrev => {
            app.journey.focus = if action == Action::FocusNext {
                app.journey.focus.next()
            } else {
                app.journey.focus.prev()
            };
            app.journey.strip_cursor = app.journey.step;
            true
        }
        Action::StepNext => move_step(app, 1),
        Action::StepPrev => move_step(app, -1),
        Action::StepFirst => set_step(app, 0),
        Action::StepLast => set_step(app, usize::MAX),
        Action::SelectStep(i) => set_step(app, i),
        Action::Close => {
            app.journey.playing = false;
            let back = app.journey.back.take().unwrap_or(Screen::Atlas);
            set_screen(app, back)
        }
        Action::Play => {
            let last = step_count(app).saturating_sub(1);
            if !app.journey.playing && app.journey.step >= last {
                // Playing from the end starts again from the first step.
                set_step(app, 0);
            }
            app.journey.playing = !app.journey.playing && step_count(app) > 1;
            true
        }
        Action::NextJourney => switch_journey(app, 1),
        Action::PrevJourney => switch_journey(app, -1),
        Action::ToggleFuture => {
            app.journey.show_future = !app.journey.show_future;
            true
        }
        Action::AddStepAfter => journey_edit::new_step_form(app, true),
        Action::InsertStepBefore => journey_edit::new_step_form(app, false),
        Action::EditStep => journey_edit::edit_step_form(app),
        Action::DeleteStep => journey_edit::delete_step(app),
        Action::MoveStepLater => journey_edit::move_step(app, true),
        Action::MoveStepEarlier => journey_edit::move_step(app, false),
        Action::AddNote => open_editor(app, false, false),
        Action::EditNote => open_editor(app, true, false),
        Action::CodeStep => open_editor(app, true, true),
        Action::DeleteNote => delete_selected(app),
        Action::NextNote | Action::PrevNote => {
            let n = app.step_notes().len();
            if n < 2 {
                return false;
            }
            let cur = app.journey.note_cursor.min(n - 1);
            app.journey.note_cursor = if action == Action::NextNote {
                (cur + 1) % n
            } else {
                (cur + n - 1) % n
            };
            true
        }
        // ↑/↓ move in the pane in focus: along the route in the map and the strip, through the
        // text in the step's detail.
        Action::Down | Action::Up => {
            let d: i16 = if action == Action::Down { 1 } else { -1 };
            if app.journey.focus == Focus::Detail {
                scroll_detail(app, d)
            } else {
                move_step(app, isize::from(d))
            }
        }
        Action::ScrollDetail(d) => scroll_detail(app, d),
        _ => false,
    }
}

/// Scrolls the step's detail by `d` lines (back when negative).
fn scroll_detail(app: &mut App, d: i16) -> bool {
    let before = app.journey.detail_scroll;
    app.journey.detail_scroll = if d >= 0 {
        before.saturating_add(d.unsigned_abs())
    } else {
        before.saturating_sub(d.unsigned_abs())
    };
    before != app.journey.detail_scroll
}

pub(super) fn step_count(app: &App) -> usize {
    app.current_journey().map_or(0, |j| j.steps.len())
}

pub(super) fn move_step(app: &mut App, delta: isize) -> bool {
    if app.screen != Screen::Journey {
        return false;
    }
    let n = step_count(app);
    if n == 0 {
        return false;
    }
    app.journey.playing = false;
    let to = (app.journey.step as isize + delta).clamp(0, n as isize - 1) as usize;
    set_step(app, to)
}

pub(super) fn set_step(app: &mut App, step: usize) -> bool {
    let n = step_count(app);
    if n == 0 {
        return false;
    }
    let to = step.min(n - 1);
    let changed = to != app.journey.step || app.journey.strip_cursor != to;
    if to != app.journey.step {
        app.journey.detail_scroll = 0;
        app.journey.note_cursor = 0;
    }
    app.journey.step = to;
    app.journey.strip_cursor = to;
    changed
}

pub(super) fn step_play(app: &mut App) -> bool {
    if !app.journey.playing {
        return false;
    }
    let n = step_count(app);
    if app.journey.step + 1 >= n {
        app.journey.playing = false;
        return true;
    }
    let next = app.journey.step + 1;
    set_step(app, next);
    if next + 1 >= n {
        app.journey.playing = false;
    }
    true
}

pub(super) fn switch_journey(app: &mut App, delta: isize) -> bool {
    let list = if app.session.visible.is_empty() {
        &app.session.order
    } else {
        &app.session.visible
    };
    if list.is_empty() {
        return false;
    }
    let pos = list
        .iter()
        .position(|&i| i == app.journey.journey)
        .unwrap_or(0) as isize;
    let to = (pos + delta).rem_euclid(list.len() as isize) as usize;
    let next = list[to];
    if next == app.journey.journey {
        return false;
    }
    app.journey.playing = false;
    app.journey.journey = next;
    app.journey.step = 0;
    app.journey.strip_cursor = 0;
    app.journey.detail_scroll = 0;
    true
}

/// Opens the editor on the current step: a new note, the selected own note (`edit`), or for
/// `c` the analyst's first note on the step (or a new one) with the picker alone.
pub(super) fn open_editor(app: &mut App, edit: bool, codes_only: bool) -> bool {
    if app.screen == Screen::Journey
        && app
            .session
            .loading
            .as_ref()
            .is_some_and(|l| l.notes_pending)
    {
        app.flash =
            Some("the notes are still being read; annotating opens once they are in".into());
        return true;
    }
    if app.screen != Screen::Journey || app.session.notes.is_none() {
        return false;
    }
    let Some(j) = app.current_journey() else {
        return false;
    };
    let Some(step) = j.steps.get(app.journey.step) else {
        return false;
    };
    let own = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string());
    let note = if codes_only {
        app.step_notes()
            .into_iter()
            .find(|(a, _)| Some(*a) == own.as_deref())
            .map(|(_, n)| n.clone())
    } else if edit {
        match app.selected_note() {
            Some((a, n)) if Some(a) == own.as_deref() => Some(n.clone()),
            Some((a, _)) => {
                let msg = format!("that note is {a}'s and read-only; a adds your own");
                if let Some(n) = &mut app.session.notes {
                    n.status = NoteStatus::Info(msg);
                }
                return true;
            }
            None => return false,
        }
    } else {
        None
    };
    let editor = Editor::new(&j.id, &step.id, note, app.terrain(), codes_only)
        .with_step_codes(step.codes().map(|c| c.to_string()).collect());
    app.editor = Some(editor);
    app.overlay = Overlay::Editor;
    app.journey.playing = false;
    true
}

pub(super) fn delete_selected(app: &mut App) -> bool {
    let own = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string());
    let Some(j) = app.current_journey() else {
        return false;
    };
    let jid = j.id.clone();
    match app.selected_note() {
        Some((a, n)) if Some(a) == own.as_deref() => {
            let id = n.id.clone();
            let said = format!("note deleted on {jid} {} — u undoes", n.step);
            record(app, vec![Change::Delete { journey: jid, id }]);
            app.flash = Some(said);
            true
        }
        Some((a, _)) => {
            let msg = format!("that note is {a}'s and read-only");
            if let Some(n) = &mut app.session.notes {
                n.status = NoteStatus::Info(msg);
            }
            true
        }
        None => false,
    }
}
