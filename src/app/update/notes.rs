//! Changes to the analyst's notes, shared by every room that makes them (the editor, the
//! journey screen, the orphans panel, the agreement screen): applied in memory at once, their
//! save asked for as an effect, and their inverse kept for undo.

use std::sync::Arc;

use crate::app::effect::{ChangeSet, Effect};
use crate::app::state::{App, NoteStatus};
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
    true
}
