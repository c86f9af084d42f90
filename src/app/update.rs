//! `update`: the one place where actions change the app's state. It does no terminal I/O; it
//! returns an [`Effect`] for the event loop to carry out.

use crate::app::action::Action;
use crate::app::state::{App, Focus, Overlay, Screen};

/// What the event loop must do after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing beyond redrawing if the state changed.
    None,
    Quit,
}

/// How many atlas rows a page is when the frame size is not known.
const PAGE: usize = 10;

/// Applies an action. Returns the effect and whether anything changed (so the loop redraws
/// only then).
pub fn update(app: &mut App, action: Action) -> (Effect, bool) {
    // An overlay takes the keys that concern it; anything else closes it first.
    if app.overlay != Overlay::None {
        match action {
            Action::Quit => return (Effect::Quit, false),
            Action::Resize => return (Effect::None, true),
            Action::Close | Action::Help | Action::ShowProblems => {
                app.overlay = Overlay::None;
                app.help_scroll = 0;
            }
            Action::Down | Action::ScrollDetail(1) => {
                // The help has a line per binding and a few more; the drawing stops at its end.
                let most = app.keymap.bindings.len() as u16 + 16;
                app.help_scroll = app.help_scroll.saturating_add(1).min(most)
            }
            Action::Up | Action::ScrollDetail(-1) => {
                app.help_scroll = app.help_scroll.saturating_sub(1)
            }
            Action::Tick => return (Effect::None, step_play(app)),
            _ => return (Effect::None, false),
        }
        return (Effect::None, true);
    }

    let changed = match action {
        Action::Quit => return (Effect::Quit, false),
        Action::Resize => true,
        Action::Help => {
            app.overlay = Overlay::Help;
            true
        }
        Action::ShowProblems => {
            app.overlay = Overlay::Problems;
            true
        }
        Action::Close => close(app),
        Action::ShowAtlas => set_screen(app, Screen::Atlas),
        Action::ShowJourney => set_screen(app, Screen::Journey),
        Action::FocusNext | Action::FocusPrev if app.screen == Screen::Journey => {
            app.focus = if action == Action::FocusNext {
                app.focus.next()
            } else {
                app.focus.prev()
            };
            app.journey.strip_cursor = app.journey.step;
            true
        }
        Action::FocusNext | Action::FocusPrev => false,

        Action::Down => move_row(app, 1),
        Action::Up => move_row(app, -1),
        Action::PageDown => move_row(app, PAGE as isize),
        Action::PageUp => move_row(app, -(PAGE as isize)),
        Action::SelectRow(i) => {
            let ok = i < app.visible.len() && i != app.atlas.selected;
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

        Action::StepNext => move_step(app, 1),
        Action::StepPrev => move_step(app, -1),
        Action::StepFirst if app.screen == Screen::Atlas => move_row(app, isize::MIN / 2),
        Action::StepLast if app.screen == Screen::Atlas => move_row(app, isize::MAX / 2),
        Action::StepFirst => set_step(app, 0),
        Action::StepLast => set_step(app, usize::MAX),
        Action::SelectStep(i) => set_step(app, i),
        Action::Play => {
            let last = step_count(app).saturating_sub(1);
            if !app.playing && app.journey.step >= last {
                // Playing from the end starts again from the first step.
                set_step(app, 0);
            }
            app.playing = !app.playing && step_count(app) > 1;
            true
        }
        Action::Tick => step_play(app),
        Action::NextJourney => switch_journey(app, 1),
        Action::PrevJourney => switch_journey(app, -1),
        Action::ToggleFuture => {
            app.show_future = !app.show_future;
            true
        }
        Action::ScrollDetail(d) => {
            let before = app.journey.detail_scroll;
            app.journey.detail_scroll = if d >= 0 {
                before.saturating_add(d.unsigned_abs())
            } else {
                before.saturating_sub(d.unsigned_abs())
            };
            before != app.journey.detail_scroll
        }
    };
    (Effect::None, changed)
}

fn close(app: &mut App) -> bool {
    if app.atlas.typing {
        app.atlas.typing = false;
        app.atlas.filter.clear();
        app.refilter();
        return true;
    }
    match app.screen {
        Screen::Journey => {
            app.playing = false;
            set_screen(app, Screen::Atlas)
        }
        Screen::Atlas if !app.atlas.filter.is_empty() => {
            app.atlas.filter.clear();
            app.refilter();
            true
        }
        Screen::Atlas => false,
    }
}

fn set_screen(app: &mut App, screen: Screen) -> bool {
    if app.screen == screen {
        return false;
    }
    if screen == Screen::Atlas {
        app.playing = false;
        // Come back to the journey that was open.
        if let Some(pos) = app.visible.iter().position(|&i| i == app.journey.journey) {
            app.atlas.selected = pos;
        }
    }
    app.screen = screen;
    true
}

fn move_row(app: &mut App, delta: isize) -> bool {
    if app.visible.is_empty() {
        return false;
    }
    let last = app.visible.len() - 1;
    let to = (app.atlas.selected as isize)
        .saturating_add(delta)
        .clamp(0, last as isize) as usize;
    let changed = to != app.atlas.selected;
    app.atlas.selected = to;
    changed
}

fn open(app: &mut App) -> bool {
    match app.screen {
        Screen::Atlas => match app.selected_journey() {
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
        },
        Screen::Journey => {
            let to = app.journey.strip_cursor;
            set_step(app, to)
        }
    }
}

fn step_count(app: &App) -> usize {
    app.current_journey().map_or(0, |j| j.steps.len())
}

fn move_step(app: &mut App, delta: isize) -> bool {
    if app.screen != Screen::Journey {
        return false;
    }
    let n = step_count(app);
    if n == 0 {
        return false;
    }
    if app.focus == Focus::Strip {
        let to = (app.journey.strip_cursor as isize + delta).clamp(0, n as isize - 1) as usize;
        let changed = to != app.journey.strip_cursor;
        app.journey.strip_cursor = to;
        return changed;
    }
    app.playing = false;
    let to = (app.journey.step as isize + delta).clamp(0, n as isize - 1) as usize;
    set_step(app, to)
}

fn set_step(app: &mut App, step: usize) -> bool {
    let n = step_count(app);
    if n == 0 {
        return false;
    }
    let to = step.min(n - 1);
    let changed = to != app.journey.step || app.journey.strip_cursor != to;
    if to != app.journey.step {
        app.journey.detail_scroll = 0;
    }
    app.journey.step = to;
    app.journey.strip_cursor = to;
    changed
}

fn step_play(app: &mut App) -> bool {
    if !app.playing {
        return false;
    }
    let n = step_count(app);
    if app.journey.step + 1 >= n {
        app.playing = false;
        return true;
    }
    let next = app.journey.step + 1;
    set_step(app, next);
    if next + 1 >= n {
        app.playing = false;
    }
    true
}

fn switch_journey(app: &mut App, delta: isize) -> bool {
    let list = if app.visible.is_empty() {
        &app.order
    } else {
        &app.visible
    };
    if list.is_empty() {
        return false;
    }
    let pos = list
        .iter()
        .position(|&i| i == app.journey.journey)
        .unwrap_or(0) as isize;
    let to = (pos + delta).rem_euclid(list.len() as isize) as usize;
    let next = list[to];
    if next == app.journey.journey {
        return false;
    }
    app.playing = false;
    app.journey.journey = next;
    app.journey.step = 0;
    app.journey.strip_cursor = 0;
    app.journey.detail_scroll = 0;
    true
}
