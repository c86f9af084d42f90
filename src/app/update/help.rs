//! The help and problems overlays, and the question asked before quitting with changes not on
//! disk. The help takes the keys that scroll and close it; others do nothing while it is open.

use crate::app::action::Action;
use crate::app::state::{App, Overlay};
use crate::app::update::quit;

/// An action while the help or the problems are open.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    match action {
        Action::Quit => return quit(app),
        Action::Close | Action::Help | Action::ShowProblems => {
            app.overlay = Overlay::None;
            app.help.scroll = 0;
        }
        Action::Down | Action::ScrollDetail(1) => {
            // The help has a line per binding and a few more; the drawing stops at its end.
            let most = app.keymap.bindings.len() as u16 + 32;
            app.help.scroll = app.help.scroll.saturating_add(1).min(most)
        }
        Action::Up | Action::ScrollDetail(-1) => {
            app.help.scroll = app.help.scroll.saturating_sub(1)
        }
        _ => return false,
    }
    true
}

/// `q` with changes that could not be saved: Esc stays (`q` again is a forced quit).
pub(super) fn confirm_quit(app: &mut App, action: Action) -> bool {
    match action {
        Action::Close => {
            app.overlay = Overlay::None;
            true
        }
        _ => false,
    }
}
