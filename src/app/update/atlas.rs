//! The atlas: moving through the journeys, opening one, and the filter as it is typed.

use crate::app::action::Action;
use crate::app::state::{App, Screen};
use crate::app::update::PAGE;

/// An action on the atlas.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    match action {
        Action::Down => move_row(app, 1),
        Action::Up => move_row(app, -1),
        Action::PageDown => move_row(app, PAGE as isize),
        Action::PageUp => move_row(app, -(PAGE as isize)),
        Action::StepFirst => move_row(app, isize::MIN / 2),
        Action::StepLast => move_row(app, isize::MAX / 2),
        Action::SelectRow(i) => {
            let ok = i < app.session.visible.len() && i != app.atlas.selected;
            if ok {
                app.atlas.selected = i;
            }
            ok
        }
        Action::Open => open(app),
        Action::Filter => {
            app.atlas.typing = true;
            true
        }
        Action::Close if !app.atlas.filter.is_empty() => {
            app.atlas.filter.clear();
            app.refilter();
            true
        }
        _ => false,
    }
}

/// Whether a line being typed (the atlas's filter, a search in a source) takes the action.
pub(super) fn takes(action: &Action) -> bool {
    matches!(
        action,
        Action::FilterInput(_)
            | Action::FilterPaste(_)
            | Action::FilterBackspace
            | Action::FilterAccept
            | Action::Close
    )
}

/// An action while the filter is typed: text, Backspace, Enter to keep it, Esc to clear it.
pub(super) fn filter(app: &mut App, action: Action) -> bool {
    match action {
        Action::FilterInput(c) => {
            app.atlas.filter.push(c);
            app.refilter();
            true
        }
        Action::FilterPaste(text) => {
            let before = app.atlas.filter.len();
            app.atlas
                .filter
                .extend(text.chars().filter(|c| !c.is_control()));
            app.refilter();
            app.atlas.filter.len() != before
        }
        Action::FilterBackspace => {
            app.atlas.filter.pop();
            app.refilter();
            true
        }
        Action::FilterAccept => {
            app.atlas.typing = false;
            true
        }
        Action::Close => {
            app.atlas.typing = false;
            app.atlas.filter.clear();
            app.refilter();
            true
        }
        _ => false,
    }
}

pub(super) fn move_row(app: &mut App, delta: isize) -> bool {
    if app.session.visible.is_empty() {
        return false;
    }
    let last = app.session.visible.len() - 1;
    let to = (app.atlas.selected as isize)
        .saturating_add(delta)
        .clamp(0, last as isize) as usize;
    let changed = to != app.atlas.selected;
    app.atlas.selected = to;
    changed
}

/// Enter: open the selected journey.
fn open(app: &mut App) -> bool {
    match app.selected_journey() {
        Some(i) => {
            if i != app.journey.journey {
                app.journey.journey = i;
                app.journey.step = 0;
                app.journey.strip_cursor = 0;
                app.journey.detail_scroll = 0;
            }
            app.screen = Screen::Journey;
            app.atlas.typing = false;
            true
        }
        None => false,
    }
}
