//! The note editor's actions: text and picker keys, Tab between them, Ctrl-S to save (a change
//! like any other, undone with `u`), Esc to cancel, asking first if something typed would be
//! lost. The editor's own state is [`crate::app::editor::Editor`]; nothing here touches the disk.

use crate::app::action::Action;
use crate::app::editor::{Editor, EditorFocus};
use crate::app::key::{Key, KeyCode};
use crate::app::state::{App, Overlay};
use crate::app::update::notes::record;
use crate::model::Note;
use crate::store::annotations::Change;

pub(super) fn update(app: &mut App, action: Action) -> bool {
    // The picker on a form's codes, and the offer to make a code a search does not find.
    if app.form.as_ref().is_some_and(|f| f.picking) {
        return super::form::picker(app, action);
    }
    if let Some(done) = super::codebook::offer(app, &action) {
        return done;
    }
    let Some(e) = &mut app.editor else {
        app.overlay = Overlay::None;
        return true;
    };
    match action {
        Action::Close => {
            if e.changed() && !e.confirm_discard {
                e.confirm_discard = true;
                return true;
            }
            app.editor = None;
            app.overlay = Overlay::None;
            true
        }
        Action::SaveNote => save(app),
        Action::Confirm => {
            if e.focus == EditorFocus::Codes && e.choose_found() {
                e.confirm_discard = false;
                return true;
            }
            save(app)
        }
        Action::EditorFocus => e.switch_focus(),
        other => keys(e, other),
    }
}

/// The keys the note's editor and a form's code picker take alike: Space (a space in a search
/// typed, else choose the code), the arrows, and what is typed or pasted.
pub(super) fn keys(e: &mut Editor, action: Action) -> bool {
    match action {
        Action::ToggleCode => {
            e.confirm_discard = false;
            e.space()
        }
        Action::Up => e.key(Key::plain(KeyCode::Up)),
        Action::Down => e.key(Key::plain(KeyCode::Down)),
        Action::EditorKey(k) => e.key(k),
        Action::EditorPaste(s) => e.paste(&s),
        _ => false,
    }
}

/// Ctrl-S (or Enter in the picker): the note as written becomes a change, undone with `u`. A
/// note left with neither codes nor text is deleted rather than kept as an empty note (which
/// would still count as coded for agreement).
fn save(app: &mut App) -> bool {
    let Some(e) = app.editor.take() else {
        return false;
    };
    app.overlay = Overlay::None;
    if !e.changed() {
        return true;
    }
    let text = e.text();
    let empty = e.codes.is_empty() && text.trim().is_empty();
    let journey = e.journey.clone();
    let place = format!("{} {}", e.journey, e.step);
    let (change, said) = match &e.editing {
        Some(old) if empty => (
            Change::Delete {
                journey,
                id: old.id.clone(),
            },
            format!("note deleted on {place}, its last code unticked"),
        ),
        // An edit names the version it was made from, so that another window's save of the
        // same note in the meantime is kept as a conflict copy.
        Some(old) => (
            Change::Edit {
                journey,
                from: old.clone(),
                note: old.edited(e.codes.clone(), text),
            },
            format!("note changed on {place}{}", codes_said(&e.codes)),
        ),
        None if empty => return true,
        None => (
            Change::Put {
                journey,
                note: Note::new(&e.step, e.codes.clone(), text),
            },
            format!("note added on {place}{}", codes_said(&e.codes)),
        ),
    };
    let saved = match &change {
        Change::Put { note, .. } | Change::Edit { note, .. } => Some(note.id.clone()),
        _ => None,
    };
    record(app, vec![change]);
    app.flash = Some(format!("{said} — u undoes"));
    // Select the note just saved.
    if let Some(id) = saved
        && let Some(pos) = app.step_notes().iter().position(|(_, n)| n.id == id)
    {
        app.journey.note_cursor = pos;
    }
    true
}

/// ": 2 codes" for a status line.
fn codes_said(codes: &[String]) -> String {
    match codes {
        [] => String::new(),
        [one] => format!(": {one}"),
        more => format!(": {} codes", more.len()),
    }
}
