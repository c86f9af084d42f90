//! Undo and redo over the one history of notes, journeys and the codebook (see
//! [`crate::app::history`]): an entry's inverse is applied the way the change was made —
//! through the note store, [`App::edit_journey`] or [`App::change_codebook`] — so it is on
//! disk before the next frame; the status line says what was undone and where, and the app
//! goes there.

use crate::app::history::{Entry, Op, Place, Undo};
use crate::app::state::{App, NoteStatus, Overlay, Screen};
use crate::app::update::{codebook, journey::set_step, jump, notes::apply_group};

/// `u` (`undo`) or Ctrl-r.
pub(super) fn undo_redo(app: &mut App, undo: bool) -> bool {
    let entry = if undo {
        app.history.undo.pop()
    } else {
        app.history.redo.pop()
    };
    let Some(entry) = entry else {
        let msg = if undo {
            "nothing to undo"
        } else {
            "nothing to redo"
        };
        // The notes' status line says it where there is one.
        match &mut app.session.notes {
            Some(n) => n.status = NoteStatus::Info(msg.into()),
            None => app.flash = Some(msg.into()),
        }
        return true;
    };
    let verb = if undo { "undid" } else { "redid" };
    let again = if undo { "Ctrl-R redoes" } else { "u undoes" };
    let label = format!(
        "{verb}: {} · {} — {again}",
        entry.what,
        entry.place.describe()
    );
    // A note changed in a panel over the screen (the orphans) is undone where it is shown;
    // every other change is shown where it was made (on the agreement screen, its step's
    // disagreement stays in view).
    let jump = !matches!(entry.undo, Undo::Notes(_)) || app.overlay == Overlay::None;
    match apply(app, entry.undo.clone(), &label) {
        Ok(inverse) => {
            let back = Entry {
                what: entry.what,
                place: entry.place.clone(),
                undo: inverse,
            };
            if undo {
                app.history.redo.push(back);
            } else {
                app.history.undo.push(back);
            }
            app.history.last = Some(if undo { Op::Undid } else { Op::Redid });
            app.flash = Some(label);
            if jump {
                go_to(app, &entry.place);
            }
        }
        Err(e) => {
            app.flash = Some(format!(
                "could not {}: {} — {e}",
                if undo { "undo" } else { "redo" },
                entry.what
            ));
        }
    }
    true
}

/// Applies what undoes (or redoes) a change; returns what takes it back again.
fn apply(app: &mut App, undo: Undo, label: &str) -> Result<Undo, String> {
    let index_of = |app: &App, id: &str| {
        app.session
            .data
            .journeys
            .iter()
            .position(|j| j.id == id)
            .ok_or_else(|| format!("journey {id} is gone"))
    };
    match undo {
        Undo::Notes(group) => Ok(Undo::Notes(apply_group(app, group))),
        Undo::Journey { journey, edits } => {
            let index = index_of(app, &journey)?;
            let mut back = Vec::new();
            for edit in edits {
                back.push(app.edit_journey(index, edit, label)?);
            }
            back.reverse();
            Ok(Undo::Journey {
                journey,
                edits: back,
            })
        }
        Undo::Codebook { terrain, journeys } => {
            let mut edits = Vec::new();
            for (id, list) in journeys {
                let index = index_of(app, &id)?;
                edits.extend(list.into_iter().map(|e| (index, e)));
            }
            app.change_codebook(*terrain, edits, label)
        }
    }
}

/// Shows where a change was: the journey at its step, or the code on the codebook screen.
fn go_to(app: &mut App, place: &Place) {
    match place {
        Place::Step { journey, step } => {
            let Some(ji) = app
                .session
                .data
                .journeys
                .iter()
                .position(|j| j.id == *journey)
            else {
                return;
            };
            let at = step.as_ref().and_then(|s| {
                app.session.data.journeys[ji]
                    .steps
                    .iter()
                    .position(|x| x.id == *s)
            });
            // The agreement screen shows the step's disagreement: it stays there, on that
            // step's.
            if app.screen == Screen::Agreement {
                if let Some(si) = at {
                    app.agree_screen.keep = Some((ji, si));
                }
                return;
            }
            if app.screen != Screen::Journey || app.journey.journey != ji {
                // Esc goes back to where undo was pressed.
                let from = app.screen;
                let back = app.journey.back.take();
                jump(app, ji, at.unwrap_or(0), from);
                if from == Screen::Journey {
                    app.journey.back = back;
                }
                return;
            }
            // A step taken away: the one now in its place.
            let at = at.unwrap_or(app.journey.step);
            set_step(app, at);
        }
        Place::Code(id) => {
            app.screen = Screen::Codebook;
            codebook::refresh(app);
            if let Some(row) = codebook::row_of(app, id) {
                app.codebook.selected = row;
            }
        }
    }
}
