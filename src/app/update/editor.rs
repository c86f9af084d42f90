//! The note editor's actions: text and picker keys, Tab between them, Ctrl-S to save (a change
//! like any other, undone with `u`), Esc to cancel, asking first if something typed would be
//! lost. The editor's own state is [`crate::app::editor::Editor`]; nothing here touches the disk.

use crate::app::action::Action;
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
        Action::SaveNote => {
            let e = app.editor.take().expect("the editor is open");
            app.overlay = Overlay::None;
            if !e.changed() {
                return true;
            }
            let text = e.text();
            // An edit names the version it was made from, so that another window's save of
            // the same note in the meantime is kept as a conflict copy.
            let journey = e.journey.clone();
            let change = match &e.editing {
                Some(old) => Change::Edit {
                    journey,
                    from: old.clone(),
                    note: old.edited(e.codes.clone(), text),
                },
                None => Change::Put {
                    journey,
                    note: Note::new(&e.step, e.codes.clone(), text),
                },
            };
            let (Change::Put { note, .. } | Change::Edit { note, .. }) = &change else {
                return true;
            };
            let id = note.id.clone();
            record(app, vec![change]);
            // Select the note just saved.
            if let Some(pos) = app.step_notes().iter().position(|(_, n)| n.id == id) {
                app.journey.note_cursor = pos;
            }
            true
        }
        Action::EditorFocus => e.switch_focus(),
        Action::ToggleCode => {
            e.confirm_discard = false;
            e.toggle()
        }
        Action::Up => e.key(Key::plain(KeyCode::Up)),
        Action::Down => e.key(Key::plain(KeyCode::Down)),
        Action::EditorKey(k) => e.key(k),
        Action::EditorPaste(s) => e.paste(&s),
        _ => false,
    }
}
