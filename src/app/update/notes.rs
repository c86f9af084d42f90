//! Changes to the analyst's notes, shared by every room that makes them (the editor, the
//! journey screen, the orphans panel, the agreement screen): applied in memory at once, their
//! save asked for as an effect, and their inverse kept in the one history (see
//! [`super::history`]).

use std::sync::Arc;

use crate::app::effect::{ChangeSet, Effect};
use crate::app::history::{Entry, Place, Undo};
use crate::app::state::App;
use crate::store::annotations::Change;

/// Applies a group of changes in memory, asks for them to be saved, and returns the group that
/// undoes them. The save's outcome (see [`done`]) says in the status line how it went.
pub(super) fn apply_group(app: &mut App, group: Vec<Change>) -> Vec<Change> {
    let Some(n) = &mut app.session.notes else {
        app.session.notes_gen += 1;
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
    app.notes_changed(group.iter().map(Change::journey));
    app.outbox.push(Effect::Save(ChangeSet::new(group)));
    inverse
}

/// What a group of changes to notes was, in words, and where.
fn describe(group: &[Change], inverse: &[Change]) -> (String, Place) {
    let step_of = |c: &Change| match c {
        Change::Put { journey, note } | Change::Edit { journey, note, .. } => {
            Some((journey.clone(), note.step.clone()))
        }
        Change::Delete { .. } => None,
    };
    let place = group
        .iter()
        .rev()
        .chain(inverse)
        .find_map(step_of)
        .map(|(journey, step)| Place::Step {
            journey,
            step: Some(step),
        })
        .unwrap_or_else(|| Place::Step {
            journey: group
                .first()
                .map(|c| c.journey().to_string())
                .unwrap_or_default(),
            step: None,
        });
    let what = match (group, inverse) {
        ([Change::Delete { .. }, Change::Put { .. }], _) => "note re-attached",
        ([Change::Delete { .. }], _) => "note deleted",
        ([Change::Edit { .. }], _) => "note edited",
        ([Change::Put { .. }], [Change::Delete { .. }]) => "note added",
        _ => "note changed",
    };
    (what.to_string(), place)
}

/// A change made by the analyst: applied, and its inverse put on the history.
pub(super) fn record(app: &mut App, group: Vec<Change>) -> bool {
    let inverse = apply_group(app, group.clone());
    if app.session.notes.is_some() && !inverse.is_empty() {
        let (what, place) = describe(&group, &inverse);
        app.history.record(Entry {
            what,
            place,
            undo: Undo::Notes(inverse),
        });
    }
    true
}

/// `u` / Ctrl-R: undoes or redoes the last group of changes, says what it did and where, and
/// goes there: the journey screen at the note's step (unless a panel is open over the screen,
/// or the step is not in the journey).
pub(super) fn undo_redo(app: &mut App, undo: bool) -> bool {
    super::history::undo_redo(app, undo)
}
