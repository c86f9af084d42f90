//! The terrain screen: every obstacle and enabler kind, sorted three ways, and the steps where
//! the chosen kind is met.

use crate::app::action::Action;
use crate::app::state::{App, Screen};
use crate::app::update::{PAGE, jump, set_screen};

/// An action on the terrain screen.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    match action {
        Action::Down => terrain_rows(app, 1),
        Action::Up => terrain_rows(app, -1),
        Action::PageDown => terrain_rows(app, PAGE as isize),
        Action::PageUp => terrain_rows(app, -(PAGE as isize)),
        Action::StepFirst => terrain_rows(app, isize::MIN / 2),
        Action::StepLast => terrain_rows(app, isize::MAX / 2),
        Action::CycleSort => {
            let t = &mut app.terrain_screen;
            t.sort = t.sort.next();
            t.segments = None;
            true
        }
        Action::Open => terrain_open(app),
        Action::Close if app.terrain_screen.segments.is_some() => {
            app.terrain_screen.segments = None;
            true
        }
        Action::Close => set_screen(app, Screen::Atlas),
        _ => false,
    }
}

/// Up and down on the terrain screen: the kinds, or the steps of the open kind.
pub(super) fn terrain_rows(app: &mut App, d: isize) -> bool {
    let Some(v) = &app.session.analysis.terrain else {
        return false;
    };
    let t = &mut app.terrain_screen;
    let (cur, len) = match t.segments {
        Some(i) => (i, v.rows.get(t.selected).map_or(0, |r| r.segments.len())),
        None => (t.selected, v.rows.len()),
    };
    if len == 0 {
        return false;
    }
    let to = (cur as isize).saturating_add(d).clamp(0, len as isize - 1) as usize;
    match t.segments {
        Some(_) => t.segments = Some(to),
        None => t.selected = to,
    }
    to != cur
}

/// Enter on the terrain screen: list the steps where the kind is met, or jump to one.
pub(super) fn terrain_open(app: &mut App) -> bool {
    let Some(v) = &app.session.analysis.terrain else {
        return false;
    };
    let t = &app.terrain_screen;
    let Some(row) = v.rows.get(t.selected) else {
        return false;
    };
    match t.segments {
        None if row.segments.is_empty() => {
            app.flash = Some("no journey in view meets it".into());
            true
        }
        None => {
            app.terrain_screen.segments = Some(0);
            true
        }
        Some(i) => match row.segments.get(i) {
            Some(&(ji, si)) => jump(app, ji, si, Screen::Terrain),
            None => false,
        },
    }
}
