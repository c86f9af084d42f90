//! A question over the screen, before a change that asks first: deleting a step with notes on
//! it, merging two codes, writing a hand-written file whose comments would go. `y` does it; `n`
//! or Esc does not — for the comments, that keeps the files as they are and takes the change
//! back (it can be made again with Ctrl-r, and then it asks again).

use crate::app::action::Action;
use crate::app::editing::{Asked, Held};
use crate::app::effect::Effect;
use crate::app::history::Op;
use crate::app::state::{App, Overlay};
use crate::app::update::{codebook, history, journey_edit};

pub(super) fn update(app: &mut App, action: Action) -> bool {
    let Some(c) = app.confirm.take() else {
        app.overlay = Overlay::None;
        return true;
    };
    let yes = match action {
        Action::Yes => true,
        Action::Close => false,
        _ => {
            app.confirm = Some(c);
            return false;
        }
    };
    app.overlay = c.back;
    match (c.asked, yes) {
        (Asked::DeleteStep { journey, step }, true) => {
            journey_edit::delete_now(app, journey, &step)
        }
        (Asked::MergeCode { from, into }, true) => codebook::merge(app, &from, &into),
        (Asked::DropComments, true) => {
            for held in std::mem::take(&mut app.held) {
                if !app.consented.contains(held.path()) {
                    app.consented.push(held.path().clone());
                }
                app.outbox.push(held.agreed());
            }
            true
        }
        (Asked::DropComments, false) => keep_comments(app),
        (_, false) => {
            app.flash = Some("nothing changed".into());
            true
        }
    }
}

/// `n` to dropping comments: the held files are not written, and the change that wanted to
/// write them is taken back, so that what is in the app is what is on disk.
fn keep_comments(app: &mut App) -> bool {
    let held = std::mem::take(&mut app.held);
    let paths: Vec<std::path::PathBuf> = held.iter().map(|h| h.path().clone()).collect();
    // Taking the change back stays where the analyst is (an undo would go to the change).
    let (screen, journey, step) = (app.screen, app.journey.journey, app.journey.step);
    let took_back = match app.history.last {
        Some(Op::Did | Op::Redid) => history::undo_redo(app, true),
        Some(Op::Undid) => history::undo_redo(app, false),
        None => false,
    };
    app.screen = screen;
    app.journey.journey = journey;
    app.journey.step = step.min(
        app.current_journey()
            .map_or(0, |j| j.steps.len().saturating_sub(1)),
    );
    app.journey.strip_cursor = app.journey.step;
    if !took_back {
        // Not a change of the history (a new journey cannot hold comments): put back what the
        // held writes started from.
        for h in &held {
            match h {
                Held::Journey(w) => {
                    if let Some(base) = &w.base {
                        app.replace_journey(w.index, base.clone());
                    }
                }
                Held::Catalogue(w) => {
                    std::sync::Arc::make_mut(&mut app.session.data).terrain = w.base.clone();
                    app.terrain_changed();
                }
            }
        }
    }
    // The files held are as they were: what taking the change back asks to write there is
    // what is on disk already.
    app.outbox.retain(|e| match e {
        Effect::SaveJourney(w) => !paths.contains(&w.path),
        Effect::SaveCatalogue(w) => !paths.contains(&w.path),
        _ => true,
    });
    // A code taken back is no longer one to choose.
    if let Some(e) = &mut app.editor {
        e.forget_unknown(&app.session.data.terrain);
    }
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    app.flash = Some(format!(
        "kept {} as written by hand; the change is taken back (Ctrl-r makes it again, and asks again)",
        shown.join(", ")
    ));
    true
}
