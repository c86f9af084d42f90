//! A form open over the screen (a step, a journey, a code): keys go to its fields, Tab moves
//! between them, Ctrl-S makes the change the form is for and closes it (or says in the form
//! what to put right), Esc closes it, asking first if something typed would be lost. On a
//! field of codes, Enter or a typed letter opens the code picker, whose choice comes back to
//! the field. Nothing here touches the disk.

use ratatui_textarea::{Input, Key as TextKey};

use crate::app::action::Action;
use crate::app::editing::Purpose;
use crate::app::editor::{Editor, text_input};
use crate::app::form::{FieldKind, FormOutcome};
use crate::app::key::{Key, KeyCode};
use crate::app::state::{App, Overlay};
use crate::app::update::{codebook, journey_edit};
use crate::model::Note;

pub(super) fn update(app: &mut App, action: Action) -> bool {
    let Some(fs) = &mut app.form else {
        app.overlay = Overlay::None;
        return true;
    };
    match action {
        Action::Close => {
            if fs.form.changed_from(&fs.initial) && !fs.confirm_discard {
                fs.confirm_discard = true;
                fs.form.error =
                    Some("Esc again throws away what you typed · Ctrl-S saves it".into());
                return true;
            }
            close(app);
            true
        }
        Action::SubmitForm => {
            fs.confirm_discard = false;
            let ctrl_s = Input {
                key: TextKey::Char('s'),
                ctrl: true,
                ..Input::default()
            };
            match fs.form.input(ctrl_s) {
                FormOutcome::Submit => submit(app),
                _ => true,
            }
        }
        Action::FocusNext | Action::FocusPrev => {
            fs.confirm_discard = false;
            fs.form.move_focus(action == Action::FocusNext);
            true
        }
        Action::FormKey(k) => key(app, k),
        Action::FormPaste(text) => {
            fs.confirm_discard = false;
            let Some(field) = fs.form.fields.get_mut(fs.form.focus) else {
                return false;
            };
            let keep = |c: &char| !c.is_control() || *c == '\t';
            let clean: String = match field.kind {
                FieldKind::Line => text
                    .chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                    .filter(keep)
                    .collect(),
                FieldKind::Text => text
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .chars()
                    .filter(|c| keep(c) || *c == '\n')
                    .collect(),
                _ => return false,
            };
            field.text.insert_str(clean)
        }
        _ => false,
    }
}

fn close(app: &mut App) {
    app.form = None;
    app.editor = None;
    app.overlay = Overlay::None;
}

/// A key for the focused field; on a field of codes, Enter, Space or a letter opens the picker.
fn key(app: &mut App, k: Key) -> bool {
    let Some(fs) = &mut app.form else {
        return false;
    };
    fs.confirm_discard = false;
    let on_codes = fs
        .form
        .focused()
        .is_some_and(|f| f.kind == FieldKind::Codes);
    let opens = match k.code {
        KeyCode::Enter => true,
        KeyCode::Char(_) => !k.ctrl && !k.alt,
        _ => false,
    };
    if on_codes && opens {
        let typed = match k.code {
            KeyCode::Char(c) if c != ' ' => Some(c),
            _ => None,
        };
        return open_picker(app, typed);
    }
    match fs.form.input(text_input(k)) {
        FormOutcome::Editing(changed) => changed,
        FormOutcome::Submit => submit(app),
        FormOutcome::Cancel => update(app, Action::Close),
    }
}

/// The code picker over the form, on the field of codes, with `typed` as the search begun.
fn open_picker(app: &mut App, typed: Option<char>) -> bool {
    let Some(fs) = &mut app.form else {
        return false;
    };
    let codes = fs.form.ids("codes");
    let (journey, step) = match &fs.purpose {
        Purpose::NewStep { journey, id, .. } => (*journey, id.clone()),
        Purpose::EditStep { journey, step } => (*journey, step.clone()),
        _ => return false,
    };
    let jid = app
        .session
        .data
        .journeys
        .get(journey)
        .map(|j| j.id.clone())
        .unwrap_or_default();
    // The picker edits a list of codes as it edits a note's: starting from these.
    let start = Note::new(&step, codes, String::new());
    let mut editor = Editor::new(&jid, &step, Some(start), &app.session.data.terrain, true);
    if let Some(c) = typed {
        editor.key(Key::char(c));
    }
    fs.picking = true;
    app.editor = Some(editor);
    app.overlay = Overlay::Editor;
    true
}

/// The picker open on a form's codes: Ctrl-S takes its choice back to the field, Esc leaves the
/// field as it was (asking first if codes were chosen).
pub(super) fn picker(app: &mut App, action: Action) -> bool {
    if let Some(done) = codebook::offer(app, &action) {
        return done;
    }
    let Some(e) = &mut app.editor else {
        return back_to_form(app);
    };
    match action {
        // Enter after a search chooses the code found, as in the note's picker.
        Action::Confirm if e.choose_found() => true,
        Action::SaveNote | Action::Confirm => {
            let chosen = e.codes.join(", ");
            if let Some(fs) = &mut app.form {
                fs.form.set("codes", &chosen);
            }
            back_to_form(app)
        }
        Action::Close => {
            if e.changed() && !e.confirm_discard {
                e.confirm_discard = true;
                return true;
            }
            back_to_form(app)
        }
        other => super::editor::keys(e, other),
    }
}

fn back_to_form(app: &mut App) -> bool {
    app.editor = None;
    if let Some(fs) = &mut app.form {
        fs.picking = false;
        app.overlay = Overlay::Form;
    } else {
        app.overlay = Overlay::None;
    }
    true
}

/// Ctrl-S with the required fields filled in: the change the form is for, or why not (in the
/// form, which stays open).
fn submit(app: &mut App) -> bool {
    let Some(fs) = app.form.take() else {
        return false;
    };
    app.overlay = Overlay::None;
    let result = match &fs.purpose {
        Purpose::EditCode { id } => codebook::submit(app, id, &fs.form),
        purpose => journey_edit::submit(app, purpose, &fs.form),
    };
    if let Err(e) = result {
        let mut fs = fs;
        fs.form.error = Some(e);
        app.form = Some(fs);
        app.overlay = Overlay::Form;
    }
    true
}
