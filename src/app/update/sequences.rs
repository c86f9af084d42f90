//! The sequences screen: a cursor over the index plot (a journey and one of its steps), the
//! side pane shown, the number of clusters, the distance and the channel asked for, and the
//! alignment of two journeys with both steps' evidence.
//!
//! The cursor is kept as a journey, not a row, so that it stays on the same journey when the
//! rows are sorted again (another k, another distance). An alignment is computed here, from
//! the cached sequences and costs: one table of two journeys' lengths, far below a frame.

use crate::analysis::sequence::align;
use crate::analysis::sequence::view::{KS, SequenceView, channel_label, next_channel};
use crate::app::action::Action;
use crate::app::state::{App, Screen, SeqAlignment};
use crate::app::update::{PAGE, jump, set_screen};

/// An action on the sequences screen.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    if let Some(a) = &mut app.sequences.align {
        match action {
            Action::StepNext | Action::StepPrev | Action::StepFirst | Action::StepLast => {
                let n = a.alignment.columns.len();
                if n == 0 {
                    return false;
                }
                let to = match action {
                    Action::StepNext => a.column + 1,
                    Action::StepPrev => a.column.saturating_sub(1),
                    Action::StepFirst => 0,
                    _ => n - 1,
                }
                .min(n - 1);
                let changed = to != a.column;
                a.column = to;
                a.scroll = 0;
                return changed;
            }
            Action::Open => {
                a.evidence = !a.evidence;
                a.scroll = 0;
                return true;
            }
            Action::Down | Action::Up | Action::PageDown | Action::PageUp if a.evidence => {
                let d: i32 = match action {
                    Action::Down => 1,
                    Action::Up => -1,
                    Action::PageDown => PAGE as i32,
                    _ => -(PAGE as i32),
                };
                let to = (i32::from(a.scroll) + d).clamp(0, 100) as u16;
                let changed = to != a.scroll;
                a.scroll = to;
                return changed;
            }
            Action::Close => {
                if a.evidence {
                    a.evidence = false;
                } else {
                    app.sequences.align = None;
                }
                return true;
            }
            _ if a.evidence => return false,
            _ => {}
        }
    }
    match action {
        Action::Down => move_row(app, 1),
        Action::Up => move_row(app, -1),
        Action::PageDown => move_row(app, PAGE as isize),
        Action::PageUp => move_row(app, -(PAGE as isize)),
        Action::StepNext | Action::StepPrev | Action::StepFirst | Action::StepLast => {
            move_step(app, &action)
        }
        Action::Open => open(app),
        Action::Close if app.sequences.first.is_some() => {
            app.sequences.first = None;
            app.flash = Some("no alignment".into());
            true
        }
        Action::Close => set_screen(app, Screen::Atlas),
        Action::FocusNext => {
            app.sequences.pane = app.sequences.pane.next();
            true
        }
        Action::FocusPrev => {
            app.sequences.pane = app.sequences.pane.prev();
            true
        }
        Action::MoreClusters | Action::FewerClusters => {
            let s = &mut app.sequences;
            let to = if action == Action::MoreClusters {
                s.k + 1
            } else {
                s.k.saturating_sub(1)
            }
            .clamp(*KS.start(), *KS.end());
            let changed = to != s.k;
            s.k = to;
            if !changed {
                app.flash = Some(format!(
                    "the number of clusters runs from {} to {}",
                    KS.start(),
                    KS.end()
                ));
            }
            true
        }
        Action::CycleDistance => {
            let d = &mut app.sequences.distance;
            d.measure = d.measure.next();
            app.flash = Some(format!("distance: {}", d.measure.label()));
            true
        }
        Action::CycleChannel => {
            let d = &mut app.sequences.distance;
            d.by = next_channel(d.by);
            app.flash = Some(format!("states {}", channel_label(d.by)));
            true
        }
        Action::Align => choose_to_align(app),
        _ => false,
    }
}

fn move_row(app: &mut App, d: isize) -> bool {
    let Some(v) = app.sequence_view() else {
        return false;
    };
    let n = v.order.len();
    if n == 0 {
        return false;
    }
    let cur = app.sequence_row(v);
    let to = (cur as isize).saturating_add(d).clamp(0, n as isize - 1) as usize;
    let pos = v.order[to];
    let journey = v.journeys[pos];
    let len = v.seqs().seqs[pos].len();
    let s = &mut app.sequences;
    let changed = to != cur || s.journey.is_none();
    s.journey = Some(journey);
    s.step = s.step.min(len.saturating_sub(1));
    changed
}

fn move_step(app: &mut App, action: &Action) -> bool {
    let Some(v) = app.sequence_view() else {
        return false;
    };
    let Some(&pos) = v.order.get(app.sequence_row(v)) else {
        return false;
    };
    let journey = v.journeys[pos];
    let last = v.seqs().seqs[pos].len().saturating_sub(1);
    let s = &mut app.sequences;
    let to = match action {
        Action::StepNext => s.step + 1,
        Action::StepPrev => s.step.saturating_sub(1),
        Action::StepFirst => 0,
        _ => last,
    }
    .min(last);
    let changed = to != s.step || s.journey != Some(journey);
    s.step = to;
    s.journey = Some(journey);
    changed
}

/// Enter: the step under the cursor, on the journey screen (Esc comes back).
fn open(app: &mut App) -> bool {
    let Some(v) = app.sequence_view() else {
        return false;
    };
    match v.at(app.sequence_row(v), app.sequences.step) {
        Some((ji, si)) => jump(app, ji, si, Screen::Sequences),
        None => false,
    }
}

/// `a`: the journey under the cursor becomes the first of an alignment; on another journey,
/// the two are aligned.
fn choose_to_align(app: &mut App) -> bool {
    let Some(v) = app.sequence_view() else {
        return false;
    };
    let Some(&pos) = v.order.get(app.sequence_row(v)) else {
        return false;
    };
    let here = v.journeys[pos];
    let id = v.seqs().ids[pos].clone();
    let pair = app
        .sequences
        .first
        .filter(|&f| f != here)
        .map(|first| aligned(v, first, here, 0));
    match app.sequences.first {
        None => {
            app.sequences.first = Some(here);
            app.flash = Some(format!(
                "aligning {id} with…: move to another journey and press a (Esc: none)"
            ));
        }
        Some(first) if first == here => {
            app.sequences.first = None;
            app.flash = Some("no alignment".into());
        }
        Some(_) => {
            app.sequences.first = None;
            app.sequences.align = pair.flatten();
            if app.sequences.align.is_none() {
                app.flash = Some("the first journey is no longer in view".into());
            }
        }
    }
    true
}

/// The alignment of two data-set journeys among those of the view.
fn aligned(v: &SequenceView, left: usize, right: usize, column: usize) -> Option<SeqAlignment> {
    let i = v.journeys.iter().position(|&j| j == left)?;
    let j = v.journeys.iter().position(|&j| j == right)?;
    let alignment = align::align(v.seqs(), &v.base.costs, i, j);
    let column = column.min(alignment.columns.len().saturating_sub(1));
    Some(SeqAlignment {
        left,
        right,
        alignment,
        column,
        evidence: false,
        scroll: 0,
    })
}

/// After a new result: the open alignment is made again under its distance (or closed if its
/// journeys are no longer in view), and a first journey chosen that is gone is forgotten.
pub(super) fn refresh(app: &mut App) {
    let Some(v) = app.sequence_view() else {
        return;
    };
    let again = app.sequences.align.as_ref().map(|a| {
        aligned(v, a.left, a.right, a.column).map(|mut x| {
            x.evidence = a.evidence;
            x
        })
    });
    let first_gone = app
        .sequences
        .first
        .is_some_and(|f| !v.journeys.contains(&f));
    if let Some(again) = again {
        app.sequences.align = again;
    }
    if first_gone {
        app.sequences.first = None;
    }
}
