//! Writing journeys on the journey screen (and starting one from the atlas): a step added
//! after the current one or inserted before it, edited, deleted, moved; a new journey; the
//! journey's own fields. Steps and journeys are written in forms (see [`super::form`]); each
//! change goes through [`App::edit_journey`], so the map, the strip and the progress follow
//! and the file is on disk before the next frame, and its inverse goes on the one history.
//!
//! A new step gets the next free id, never one that notes still name (an orphan's), so an old
//! note never lands on a new step; deleting a step with notes on it asks first, and its notes
//! become orphans, kept on disk.

use crate::app::editing::{Asked, Confirm, FormState, Purpose};
use crate::app::form::journey_form;
use crate::app::history::{Entry, Place, Undo};
use crate::app::state::{App, Overlay, Screen};
use crate::app::step_form::{step_edit_form, step_from_form};
use crate::app::update::journey::set_step;
use crate::model::codebook::id_from_label;
use crate::model::edit::{Edit, new_journey, new_step, next_step_id};
use crate::model::{Journey, Provenance, StepKind};

/// Applies an edit to the journey at `index`, records its inverse on the history, and returns
/// nothing but why it could not be made.
pub(super) fn change(
    app: &mut App,
    index: usize,
    edit: Edit,
    what: &str,
    step: Option<String>,
) -> Result<(), String> {
    let journey = app
        .session
        .data
        .journeys
        .get(index)
        .map(|j| j.id.clone())
        .ok_or("no such journey")?;
    let undo = app.edit_journey(index, edit, what)?;
    app.history.record(Entry {
        what: what.to_string(),
        place: Place::Step { journey, step },
        undo: Undo::Journey {
            journey: app.session.data.journeys[index].id.clone(),
            edits: vec![undo],
        },
    });
    Ok(())
}

/// The journey open on the journey screen, if it can be written; otherwise the status line
/// says why (the bundled journeys are never written).
fn writable(app: &mut App) -> Option<usize> {
    if app.screen != Screen::Journey {
        return None;
    }
    let index = app.journey.journey;
    let j = app.session.data.journeys.get(index)?;
    match app.journey_path(&j.id) {
        Ok(_) => Some(index),
        Err(why) => {
            app.flash = Some(why);
            None
        }
    }
}

/// Opens a form over the screen.
fn open(app: &mut App, form: crate::app::form::Form, purpose: Purpose) -> bool {
    app.form = Some(FormState::new(form, purpose));
    app.overlay = Overlay::Form;
    app.journey.playing = false;
    true
}

/// `A` / `I`: a form for a new step after the current one, or before it.
pub(super) fn new_step_form(app: &mut App, after: bool) -> bool {
    let Some(index) = writable(app) else {
        return app.flash.is_some();
    };
    let j = &app.session.data.journeys[index];
    // Every analyst's notes on the journey, hidden or not: their steps' ids are taken.
    let noted: Vec<String> = app
        .session
        .notes
        .as_ref()
        .map(|n| {
            n.store
                .journey_notes(&j.id)
                .into_iter()
                .map(|(_, note)| note.step.clone())
                .collect()
        })
        .unwrap_or_default();
    let id = next_step_id(j, noted.iter().map(String::as_str));
    let (at, heading) = match j.steps.get(app.journey.step) {
        None => (0, format!("New step {id} · {}", j.id)),
        Some(cur) if after => (
            app.journey.step + 1,
            format!("New step {id} · {} after {} {}", j.id, cur.id, cur.title),
        ),
        Some(cur) => (
            app.journey.step,
            format!("New step {id} · {} before {} {}", j.id, cur.id, cur.title),
        ),
    };
    let step = new_step(id.clone(), StepKind::Advance, "");
    let form = step_edit_form(&heading, &step, &j.provenance);
    open(
        app,
        form,
        Purpose::NewStep {
            journey: index,
            index: at,
            id,
        },
    )
}

/// `E`: a form for the current step.
pub(super) fn edit_step_form(app: &mut App) -> bool {
    let Some(index) = writable(app) else {
        return app.flash.is_some();
    };
    let j = &app.session.data.journeys[index];
    let Some(step) = j.steps.get(app.journey.step) else {
        app.flash = Some("this journey has no steps yet; A adds one".into());
        return true;
    };
    let heading = format!("Step {} · {} {}", step.id, j.id, step.title);
    let form = step_edit_form(&heading, step, &j.provenance);
    let purpose = Purpose::EditStep {
        journey: index,
        step: step.id.clone(),
    };
    open(app, form, purpose)
}

/// `D`: deletes the current step, asking first when notes are on it; the only step stays (a
/// journey with no steps is not loaded).
pub(super) fn delete_step(app: &mut App) -> bool {
    let Some(index) = writable(app) else {
        return app.flash.is_some();
    };
    let j = &app.session.data.journeys[index];
    let Some(step) = j.steps.get(app.journey.step) else {
        return false;
    };
    let (jid, sid, title) = (j.id.clone(), step.id.clone(), step.title.clone());
    if j.steps.len() == 1 {
        app.flash = Some(format!(
            "{sid} is the journey's only step, and a journey without steps is not loaded: \
             E edits it, or add another (A) first"
        ));
        return true;
    }
    // Every analyst's notes, hidden or not: they all become orphans.
    let notes: Vec<String> = app
        .session
        .notes
        .as_ref()
        .map(|n| {
            n.store
                .notes_on(&jid, &sid)
                .into_iter()
                .map(|(a, _)| a.to_string())
                .collect()
        })
        .unwrap_or_default();
    if notes.is_empty() {
        return delete_now(app, index, &sid);
    }
    let analysts = app.analysts_named(notes.iter().map(String::as_str));
    let n = notes.len();
    app.confirm = Some(Confirm {
        title: format!("Delete step {sid}?"),
        lines: vec![
            format!("{jid} {sid} «{title}»"),
            format!(
                "{n} {} on it ({}) will be orphans: kept on disk, listed under o, \
                 and back on the step if the delete is undone (u).",
                if n == 1 { "note" } else { "notes" },
                analysts.join(", ")
            ),
        ],
        yes: "delete the step".into(),
        no: "keep it".into(),
        asked: Asked::DeleteStep {
            journey: index,
            step: sid,
        },
        back: Overlay::None,
    });
    app.overlay = Overlay::Confirm;
    true
}

/// Deletes a step at once.
pub(super) fn delete_now(app: &mut App, index: usize, step: &str) -> bool {
    let edit = Edit::Delete {
        id: step.to_string(),
    };
    let what = format!("step {step} deleted");
    if let Err(e) = change(app, index, edit, &what, Some(step.to_string())) {
        app.flash = Some(format!("the step was not deleted: {e}"));
    }
    true
}

/// `J` / `K`: moves the current step one place later or earlier; the step stays current.
pub(super) fn move_step(app: &mut App, later: bool) -> bool {
    let Some(index) = writable(app) else {
        return app.flash.is_some();
    };
    let j = &app.session.data.journeys[index];
    let at = app.journey.step;
    let Some(step) = j.steps.get(at) else {
        return false;
    };
    let to = if later {
        at + 1
    } else {
        match at.checked_sub(1) {
            Some(to) => to,
            None => {
                app.flash = Some(format!("{} is the first step already", step.id));
                return true;
            }
        }
    };
    if to >= j.steps.len() {
        app.flash = Some(format!("{} is the last step already", step.id));
        return true;
    }
    let id = step.id.clone();
    let what = format!(
        "step {id} moved {} (now {} of {})",
        if later { "later" } else { "earlier" },
        to + 1,
        j.steps.len()
    );
    let edit = Edit::Move {
        id: id.clone(),
        index: to,
    };
    match change(app, index, edit, &what, Some(id)) {
        Ok(()) => {
            set_step(app, to);
        }
        Err(e) => app.flash = Some(format!("the step was not moved: {e}")),
    }
    true
}

/// The catalogue's themes, as the journey form offers them.
fn themes(app: &App) -> Vec<(String, String, String)> {
    app.terrain()
        .themes
        .iter()
        .map(|t| (t.id.clone(), t.en.clone(), t.image.clone()))
        .collect()
}

/// `N`: a form for a new journey, in the theme of the journey selected or open.
pub(super) fn new_journey_form(app: &mut App) -> bool {
    if let Err(why) = crate::store::write::journeys_dir(&app.session.data.source) {
        app.flash = Some(why);
        return true;
    }
    let near = match app.screen {
        Screen::Atlas => app.selected_journey(),
        _ => Some(app.journey.journey),
    };
    let theme = near
        .and_then(|i| app.session.data.journeys.get(i))
        .map(|j| j.theme.clone())
        .unwrap_or_default();
    let mut form = journey_form("New journey", &themes(app), &[("theme", &theme)]);
    // A journey has a step from the start: one with none is not loaded again.
    let first = crate::app::form::Form::new("")
        .line(
            "first",
            "First step",
            "what happened first, in a few words (A adds the next on the journey screen)",
            "",
        )
        .required();
    let at = form
        .fields
        .iter()
        .position(|f| f.name == "goal")
        .map_or(form.fields.len(), |i| i + 1);
    form.fields.splice(at..at, first.fields);
    open(app, form, Purpose::NewJourney)
}

/// `E` in the atlas, Ctrl-e on the journey screen: a form for the journey's own fields.
pub(super) fn edit_journey_form(app: &mut App) -> bool {
    let index = match app.screen {
        Screen::Atlas => app.selected_journey(),
        Screen::Journey => Some(app.journey.journey),
        _ => None,
    };
    let Some(j) = index.and_then(|i| app.session.data.journeys.get(i)) else {
        return false;
    };
    if let Err(why) = app.journey_path(&j.id) {
        app.flash = Some(why);
        return true;
    }
    let why = j.provenance.why().unwrap_or("").to_string();
    let prov = match j.provenance {
        Provenance::Documented => "Documented",
        Provenance::Reconstructed(_) => "Reconstructed",
        Provenance::Hypothetical(_) => "Hypothetical",
    };
    let mut form = journey_form(
        &format!("Journey {}", j.id),
        &themes(app),
        &[
            ("title", &j.title),
            ("theme", &j.theme),
            ("goal", &j.goal),
            ("provenance", prov),
            ("why", &why),
            ("work", &j.source.work),
        ],
    );
    // Ids never change: notes and file names hold them.
    form.remove("id");
    let purpose = Purpose::EditJourney {
        journey: index.unwrap_or(0),
    };
    open(app, form, purpose)
}

/// The provenance a journey form says.
fn provenance(form: &crate::app::form::Form) -> Result<Provenance, String> {
    let why = form.get("why");
    match form.get("provenance").as_str() {
        "Reconstructed" | "Hypothetical" if why.is_empty() => Err(format!(
            "Why is needed for a {} journey",
            form.get("provenance").to_lowercase()
        )),
        "Reconstructed" => Ok(Provenance::Reconstructed(why)),
        "Hypothetical" => Ok(Provenance::Hypothetical(why)),
        _ => Ok(Provenance::Documented),
    }
}

/// A submitted step or journey form: the change made, or why not.
pub(super) fn submit(
    app: &mut App,
    purpose: &Purpose,
    form: &crate::app::form::Form,
) -> Result<(), String> {
    match purpose {
        Purpose::NewStep { journey, index, id } => {
            let old = new_step(id.clone(), StepKind::Advance, "");
            let step = step_from_form(form, &old, app.terrain())?;
            let what = format!("step {id} added");
            change(
                app,
                *journey,
                Edit::Insert {
                    index: *index,
                    step,
                },
                &what,
                Some(id.clone()),
            )?;
            app.journey.journey = *journey;
            set_step(app, *index);
            Ok(())
        }
        Purpose::EditStep { journey, step } => {
            let old = app
                .session
                .data
                .journeys
                .get(*journey)
                .and_then(|j| j.steps.iter().find(|s| s.id == *step))
                .cloned()
                .ok_or_else(|| format!("step {step} is gone"))?;
            let new = step_from_form(form, &old, app.terrain())?;
            if new == old {
                return Ok(());
            }
            let what = format!("step {step} edited");
            change(
                app,
                *journey,
                Edit::Replace { step: new },
                &what,
                Some(step.clone()),
            )
        }
        Purpose::NewJourney => {
            let title = form.get("title");
            let id = match form.get("id") {
                id if id.is_empty() => id_from_label(&title, app.session.data.ids()),
                id => id,
            };
            if !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(format!(
                    "Id '{id}' may hold only ASCII letters, digits, '-' and '_'"
                ));
            }
            let mut j: Journey = new_journey(&id, &title, &form.get("theme"));
            j.goal = form.get("goal");
            j.steps.push(new_step(
                next_step_id(&j, []),
                StepKind::Advance,
                &form.get("first"),
            ));
            j.provenance = provenance(form)?;
            j.source.work = form.get("work");
            let index = app.add_journey(j)?;
            app.journey.journey = index;
            app.journey.step = 0;
            app.journey.strip_cursor = 0;
            app.journey.detail_scroll = 0;
            app.journey.back = None;
            app.screen = Screen::Journey;
            Ok(())
        }
        Purpose::EditJourney { journey } => {
            let old = app
                .session
                .data
                .journeys
                .get(*journey)
                .ok_or("the journey is gone")?;
            let mut new = Journey {
                steps: Vec::new(),
                ..old.clone()
            };
            new.title = form.get("title");
            new.theme = form.get("theme");
            new.goal = form.get("goal");
            new.provenance = provenance(form)?;
            new.source.work = form.get("work");
            let unchanged = Journey {
                steps: Vec::new(),
                ..old.clone()
            };
            if new == unchanged {
                return Ok(());
            }
            let what = format!("journey {}: title, theme, goal or source edited", old.id);
            change(
                app,
                *journey,
                Edit::Meta {
                    journey: Box::new(new),
                },
                &what,
                None,
            )
        }
        Purpose::EditCode { .. } => Err("not a journey form".into()),
    }
}
