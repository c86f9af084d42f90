//! The compare screen: lockstep through the compared journeys, the obstacle × journey matrix
//! with the steps behind a count, and the journeys most like the first.

use crate::app::action::Action;
use crate::app::state::{App, CompareFocus, Screen};
use crate::app::update::{PAGE, jump, set_screen};

/// An action on the compare screen.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    match action {
        Action::FocusNext | Action::FocusPrev => {
            let c = &mut app.compare;
            c.focus = if action == Action::FocusNext {
                c.focus.next()
            } else {
                c.focus.prev()
            };
            c.cell = None;
            true
        }
        Action::Down => compare_rows(app, 1),
        Action::Up => compare_rows(app, -1),
        Action::PageDown => compare_rows(app, PAGE as isize),
        Action::PageUp => compare_rows(app, -(PAGE as isize)),
        Action::StepNext | Action::StepPrev | Action::StepFirst | Action::StepLast => {
            compare_step(app, &action)
        }
        Action::ToggleLockstep => {
            app.compare.by_position = !app.compare.by_position;
            true
        }
        Action::Open => compare_open(app),
        Action::Close if app.compare.cell.is_some() => {
            app.compare.cell = None;
            true
        }
        Action::Close => set_screen(app, Screen::Atlas),
        _ => false,
    }
}

/// The length of the longest compared journey: the lockstep runs over its steps.
pub(super) fn compare_len(app: &App) -> usize {
    app.session
        .analysis
        .compare
        .as_ref()
        .map_or(0, |v| v.journeys.iter().map(|j| j.steps).max().unwrap_or(0))
}

/// Arrows on the compare screen: the lockstep position (panes), or the matrix column.
pub(super) fn compare_step(app: &mut App, action: &Action) -> bool {
    let c = &mut app.compare;
    if c.focus == CompareFocus::Matrix && c.cell.is_none() {
        let cols = app
            .session
            .analysis
            .compare
            .as_ref()
            .map_or(0, |v| v.matrix.columns.len());
        let to = match action {
            Action::StepNext => c.col + 1,
            Action::StepPrev => c.col.saturating_sub(1),
            Action::StepFirst => 0,
            _ => usize::MAX,
        }
        .min(cols.saturating_sub(1));
        let changed = to != c.col;
        c.col = to;
        return changed;
    }
    let last = compare_len(app).saturating_sub(1);
    let c = &mut app.compare;
    let to = match action {
        Action::StepNext => c.pos + 1,
        Action::StepPrev => c.pos.saturating_sub(1),
        Action::StepFirst => 0,
        _ => last,
    }
    .min(last);
    let changed = to != c.pos;
    c.pos = to;
    changed
}

/// Up and down on the compare screen: the matrix row, the cell's step list, or the list of
/// similar journeys.
pub(super) fn compare_rows(app: &mut App, d: isize) -> bool {
    let Some(v) = &app.session.analysis.compare else {
        return false;
    };
    let c = &mut app.compare;
    let (cur, len) = match (c.focus, c.cell) {
        (CompareFocus::Matrix, Some(i)) => {
            let n = v
                .matrix
                .cells
                .get(c.row)
                .and_then(|r| r.get(c.col))
                .map_or(0, Vec::len);
            (i, n)
        }
        (CompareFocus::Matrix, None) => (c.row, v.matrix.codes.len()),
        (CompareFocus::Similar, _) => {
            (c.similar, v.journeys.first().map_or(0, |j| j.nearest.len()))
        }
        (CompareFocus::Panes, _) => return false,
    };
    if len == 0 {
        return false;
    }
    let to = (cur as isize).saturating_add(d).clamp(0, len as isize - 1) as usize;
    match (c.focus, c.cell) {
        (CompareFocus::Matrix, Some(_)) => c.cell = Some(to),
        (CompareFocus::Matrix, None) => c.row = to,
        _ => c.similar = to,
    }
    to != cur
}

/// Enter on the compare screen: open the steps behind a count, jump to one of them, or open a
/// similar journey.
pub(super) fn compare_open(app: &mut App) -> bool {
    let Some(v) = &app.session.analysis.compare else {
        return false;
    };
    let c = &app.compare;
    match c.focus {
        CompareFocus::Panes => {
            app.flash =
                Some("Tab to the matrix; Enter there lists the steps behind a count".into());
            true
        }
        CompareFocus::Matrix => {
            let steps = v
                .matrix
                .cells
                .get(c.row)
                .and_then(|r| r.get(c.col))
                .cloned()
                .unwrap_or_default();
            match c.cell {
                None if steps.is_empty() => {
                    app.flash = Some("no step behind this count".into());
                    true
                }
                None => {
                    app.compare.cell = Some(0);
                    true
                }
                Some(i) => match steps.get(i) {
                    Some(&(ji, si)) => {
                        app.compare.cell = None;
                        jump(app, ji, si, Screen::Compare)
                    }
                    None => false,
                },
            }
        }
        CompareFocus::Similar => {
            let target = v
                .journeys
                .first()
                .and_then(|j| j.nearest.get(c.similar))
                .and_then(|(id, _)| app.session.data.journeys.iter().position(|j| j.id == *id));
            match target {
                Some(ji) => jump(app, ji, 0, Screen::Compare),
                None => false,
            }
        }
    }
}
