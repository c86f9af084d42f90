//! Changes to the analyst's notes, shared by every room that makes them (the editor, the
//! journey screen, the orphans panel, the agreement screen): applied in memory at once, their
//! save asked for as an effect, and their inverse kept for undo.

use std::sync::Arc;

use crate::app::effect::{ChangeSet, Effect};
use crate::app::state::{App, NoteStatus, Overlay, Screen};
use crate::app::update::journey::set_step;
use crate::app::update::jump;
use crate::store::annotations::Change;

/// Applies a group of changes in memory, asks for them to be saved, and returns the group that
/// undoes them. The save's outcome (see [`done`]) says in the status line how it went.
fn apply_group(app: &mut App, group: Vec<Change>) -> Vec<Change> {
    app.session.notes_gen += 1;
    let Some(n) = &mut app.session.notes else {
        return Vec::new();
    };
    let store = Arc::make_mut(&mut n.store);
    let mut inverse = Vec::new();
    for change in &group {
        if let Some(inv) = store.inverse(change) {
            inverse.push(inv);
        }
        store.stage(change.clone());
    }
    inverse.reverse();
    app.outbox.push(Effect::Save(ChangeSet::new(group)));
    inverse
}

/// A change made by the analyst: applied, and its inverse put on the undo history.
pub(super) fn record(app: &mut App, group: Vec<Change>) -> bool {
    let inverse = apply_group(app, group);
    if let Some(n) = &mut app.session.notes
        && !inverse.is_empty()
    {
        n.undo.push(inverse);
        n.redo.clear();
    }
    true
}

/// `u` / Ctrl-R: undoes or redoes the last group of changes, says what it did and where, and
/// goes there: the journey screen at the note's step (unless a panel is open over the screen,
/// or the step is not in the journey).
pub(super) fn undo_redo(app: &mut App, undo: bool) -> bool {
    let Some(n) = &mut app.session.notes else {
        return false;
    };
    let group = if undo { n.undo.pop() } else { n.redo.pop() };
    let Some(group) = group else {
        n.status = NoteStatus::Info(if undo {
            "nothing to undo".into()
        } else {
            "nothing to redo".into()
        });
        return true;
    };
    let said = group.first().map(|c| describe(app, c));
    let inverse = apply_group(app, group);
    if let Some(n) = &mut app.session.notes
        && !inverse.is_empty()
    {
        if undo {
            n.redo.push(inverse);
        } else {
            n.undo.push(inverse);
        }
    }
    let Some((what, journey, step, note)) = said else {
        return true;
    };
    let (done, again) = if undo {
        ("undone", "Ctrl-R redoes")
    } else {
        ("redone", "u undoes")
    };
    let at = match &step {
        Some(s) => format!("{journey} {s}"),
        None => journey.clone(),
    };
    app.flash = Some(format!("{done} on {at}: {what} — {again}"));
    if app.overlay == Overlay::None
        && let Some(step) = step
    {
        go_to(app, &journey, &step, note.as_deref());
    }
    true
}

/// What applying a change does, in words, and where: (words, journey, step, the note to select
/// there once it is applied).
fn describe(app: &App, change: &Change) -> (String, String, Option<String>, Option<String>) {
    let existing = |journey: &str, id: &str| {
        app.session
            .notes
            .as_ref()
            .and_then(|n| n.store.own_note(journey, id))
            .cloned()
    };
    match change {
        Change::Put { journey, note } | Change::Edit { journey, note, .. } => {
            let what = match existing(journey, &note.id) {
                Some(old) if old.step != note.step => "the note is back on its step",
                Some(_) => "the note is as it was",
                None => "the note is back",
            };
            (
                what.to_string(),
                journey.clone(),
                Some(note.step.clone()),
                Some(note.id.clone()),
            )
        }
        Change::Delete { journey, id } => (
            "the note is removed".to_string(),
            journey.clone(),
            existing(journey, id).map(|n| n.step),
            None,
        ),
    }
}

/// Opens the journey screen at a journey's step, if the step is in the data set, and selects a
/// note there. From another screen, Esc goes back to it.
fn go_to(app: &mut App, journey: &str, step: &str, note: Option<&str>) {
    let Some(ji) = app
        .session
        .data
        .journeys
        .iter()
        .position(|j| j.id == journey)
    else {
        return;
    };
    let Some(si) = app.session.data.journeys[ji]
        .steps
        .iter()
        .position(|s| s.id == step)
    else {
        return;
    };
    // The agreement screen shows the step's disagreement: it stays there, on that step's.
    if app.screen == Screen::Agreement {
        app.agree_screen.keep = Some((ji, si));
        return;
    }
    if app.screen == Screen::Journey {
        if app.journey.journey != ji {
            let back = app.journey.back.take();
            jump(app, ji, si, Screen::Journey);
            app.journey.back = back;
        } else {
            set_step(app, si);
        }
    } else {
        let from = app.screen;
        jump(app, ji, si, from);
    }
    if let Some(id) = note
        && let Some(pos) = app.step_notes().iter().position(|(_, n)| n.id == id)
    {
        app.journey.note_cursor = pos;
    }
}
