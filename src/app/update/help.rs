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
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::StepFirst
        | Action::StepLast => {
            // Where the text ends in the last known frame: End goes there, and nothing
            // scrolls past it.
            let most = crate::ui::help::overlay_scroll_max(app);
            let page = crate::ui::help::overlay_page(app);
            let before = app.help.scroll.min(most);
            app.help.scroll = match action {
                Action::Down => before.saturating_add(1),
                Action::Up => before.saturating_sub(1),
                Action::PageDown => before.saturating_add(page),
                Action::PageUp => before.saturating_sub(page),
                Action::StepFirst => 0,
                _ => most,
            }
            .min(most);
            return app.help.scroll != before;
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
