//! The orphaned notes panel: notes whose journey or step no longer exists, kept on disk
//! untouched; re-attached to the current step (Enter) or deleted (`d`), as undoable changes.
//! Notes whose journey's file failed to load are listed too, as waiting for the file to be
//! repaired: nothing is done to them.

use crate::app::action::Action;
use crate::app::state::{App, NoteStatus, Overlay};
use crate::app::update::notes::{record, undo_redo};
use crate::app::update::{PAGE, quit};
use crate::store::annotations::Change;

pub(super) fn update(app: &mut App, action: Action) -> bool {
    let orphans = app.orphans();
    let own = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string());
    let Some(n) = &mut app.session.notes else {
        app.overlay = Overlay::None;
        return true;
    };
    let count = orphans.len();
    let cur = n.orphan_cursor.min(count.saturating_sub(1));

    match action {
        Action::Quit => quit(app),
        Action::Close | Action::ShowOrphans => {
            app.overlay = Overlay::None;
            true
        }
        Action::Down | Action::Up | Action::PageDown | Action::PageUp => {
            let d: isize = match action {
                Action::Down => 1,
                Action::Up => -1,
                Action::PageDown => PAGE as isize,
                _ => -(PAGE as isize),
            };
            let to = (cur as isize + d).clamp(0, count.saturating_sub(1) as isize) as usize;
            n.orphan_cursor = to;
            to != cur
        }
        Action::StepFirst => {
            n.orphan_cursor = 0;
            cur != 0
        }
        Action::StepLast => {
            n.orphan_cursor = count.saturating_sub(1);
            cur != n.orphan_cursor
        }
        Action::Undo => undo_redo(app, true),
        Action::Redo => undo_redo(app, false),
        Action::Open | Action::DeleteNote => {
            let Some(o) = orphans.get(cur) else {
                return false;
            };
            // A journey whose file failed to load is not gone: its notes wait for the file
            // to be repaired, and nothing is done to them meanwhile.
            if let Some(why) = &o.waiting {
                app.flash = Some(format!(
                    "{}: {why} — its notes wait, untouched, until it is repaired (! lists the \
                     problems)",
                    o.journey
                ));
                return true;
            }
            if Some(o.analyst.as_str()) != own.as_deref() {
                n.status = NoteStatus::Info(format!("that note is {}'s and read-only", o.analyst));
                return true;
            }
            let mut group = vec![Change::Delete {
                journey: o.journey.clone(),
                id: o.note.id.clone(),
            }];
            let mut said = format!(
                "the note from {} {} deleted — u undoes",
                o.journey, o.note.step
            );
            if action == Action::Open {
                // Re-attach: the same note on the step open in the journey screen.
                let target = app.current_journey().and_then(|j| {
                    j.steps
                        .get(app.journey.step)
                        .map(|s| (j.id.clone(), s.id.clone()))
                });
                let Some((journey, step)) = target else {
                    return false;
                };
                said = format!("the note re-attached to {journey} {step} — u undoes");
                let mut note = o.note.edited(o.note.codes.clone(), o.note.text.clone());
                note.step = step;
                if journey == o.journey {
                    group = vec![Change::Put { journey, note }];
                } else {
                    group.push(Change::Put { journey, note });
                }
            }
            record(app, group);
            app.flash = Some(said);
            true
        }
        _ => false,
    }
}
