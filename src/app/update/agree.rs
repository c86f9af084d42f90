//! The agreement screen: the steps where analysts' codes differ, one after another, and the
//! adoption of another analyst's code onto the analyst's own note.

use crate::app::action::Action;
use crate::app::state::{App, Screen};
use crate::app::update::notes::record;
use crate::app::update::{jump, set_screen};
use crate::model::Note;
use crate::store::annotations::Change;

/// An action on the agreement screen.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    match action {
        Action::Down => agree_code(app, 1),
        Action::Up => agree_code(app, -1),
        Action::StepNext | Action::StepPrev | Action::StepFirst | Action::StepLast => {
            agree_step(app, &action)
        }
        Action::Adopt => adopt(app),
        Action::Open => match app.disagreement().map(|d| d.step.at) {
            Some((ji, si)) => jump(app, ji, si, Screen::Agreement),
            None => false,
        },
        Action::Close => set_screen(app, Screen::Atlas),
        _ => false,
    }
}

/// Left and right on the agreement screen: the disagreement shown.
pub(super) fn agree_step(app: &mut App, action: &Action) -> bool {
    let n = app
        .session
        .analysis
        .agreement
        .as_ref()
        .map_or(0, |a| a.disagreements.len());
    if n == 0 {
        return false;
    }
    let a = &mut app.agree_screen;
    let cur = a.pos.min(n - 1);
    let to = match action {
        Action::StepNext => cur + 1,
        Action::StepPrev => cur.saturating_sub(1),
        Action::StepFirst => 0,
        _ => n - 1,
    }
    .min(n - 1);
    let changed = to != a.pos;
    a.pos = to;
    if changed {
        a.code = 0;
    }
    changed
}

/// Up and down on the agreement screen: the chosen code among those that differ.
pub(super) fn agree_code(app: &mut App, d: isize) -> bool {
    let n = app.disagreement().map_or(0, |x| x.differing.len());
    if n == 0 {
        return false;
    }
    let a = &mut app.agree_screen;
    let cur = a.code.min(n - 1);
    let to = (cur as isize + d).clamp(0, n as isize - 1) as usize;
    a.code = to;
    to != cur
}

/// `a` on the agreement screen: the chosen code goes on the analyst's own note on the step
/// (the first, if there are several; a new one if there is none), as their own change, which
/// `u` undoes.
pub(super) fn adopt(app: &mut App) -> bool {
    if app.screen != Screen::Agreement {
        return false;
    }
    let Some(own) = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string())
    else {
        return false;
    };
    let Some(d) = app.disagreement() else {
        return false;
    };
    let Some(code) = d
        .differing
        .get(
            app.agree_screen
                .code
                .min(d.differing.len().saturating_sub(1)),
        )
        .map(|c| c.to_string())
    else {
        return false;
    };
    let (ji, si) = d.step.at;
    app.agree_screen.keep = Some((ji, si));
    let Some((jid, sid)) = app
        .session
        .data
        .journeys
        .get(ji)
        .and_then(|j| j.steps.get(si).map(|s| (j.id.clone(), s.id.clone())))
    else {
        return false;
    };
    let mine: Vec<Note> = app
        .journey_notes(&jid)
        .into_iter()
        .filter(|(a, n)| *a == own && n.step == sid && n.conflict_of.is_none())
        .map(|(_, n)| n.clone())
        .collect();
    // The agreement counts the codes of all the analyst's notes on the step, as the catalogue
    // resolves them: a code on any of them is on the analyst's coding already.
    let terrain = app.terrain();
    if (mine.iter().flat_map(|n| &n.codes)).any(|c| terrain.resolve(c) == code) {
        app.flash = Some(format!("{code} is on your note already"));
        return true;
    }
    let note = match mine.into_iter().next() {
        Some(n) => {
            let mut codes = n.codes.clone();
            codes.push(code.clone());
            n.edited(codes, n.text.clone())
        }
        None => Note::new(&sid, vec![code.clone()], String::new()),
    };
    record(
        app,
        vec![Change::Put {
            journey: jid.clone(),
            note,
        }],
    );
    app.flash = Some(format!(
        "adopted {code} on your note on {jid} {sid} (u undoes)"
    ));
    true
}

/// When a new agreement comes back after a change on a step (see
/// [`crate::app::state::AgreeState::keep`]): the disagreement of that step stays shown if there
/// still is one; if the change settled it, the one now in its place (the next) is shown.
pub(super) fn reselect(app: &mut App) {
    let Some(at) = app.agree_screen.keep else {
        return;
    };
    if app.session.analysis.computing().is_some() {
        return;
    }
    let Some(list) = app
        .session
        .analysis
        .agreement
        .as_ref()
        .map(|a| &a.disagreements)
    else {
        return;
    };
    let a = &mut app.agree_screen;
    match list.iter().position(|d| d.step.at == at) {
        Some(pos) => {
            if pos != a.pos {
                a.code = 0;
            }
            a.pos = pos;
        }
        None => {
            a.pos = a.pos.min(list.len().saturating_sub(1));
            a.code = 0;
        }
    }
    a.keep = None;
}
