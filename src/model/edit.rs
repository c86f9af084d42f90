//! Editing a journey: pure functions on [`Journey`], each returning the edit that undoes it.
//!
//! A step's id never changes once made, whatever moves around it: annotations refer to steps
//! by id, so every analyst's notes stay on their steps. A new step gets the next free id
//! (`s01`, `s02`, …: one more than the highest number in use), never an id the journey holds or
//! that notes still refer to (the orphans of a deleted step), so an old note never lands on a
//! new step.
//!
//! Nothing here reads or writes files or knows about keys; the editor and the command line
//! apply these edits and save. An edit that cannot apply (an unknown step id) changes nothing
//! and says why.

use std::fmt;

use crate::model::{Journey, Provenance, Source, Step, StepKind};

/// One change to a journey. [`apply`] performs it and returns its inverse, which [`apply`]
/// takes back to the journey as it was.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Put `step` at position `index` (0 = first; the length = last).
    Insert { index: usize, step: Step },
    /// Remove the step with this id.
    Delete { id: String },
    /// Replace the step with the same id by this one (its fields edited).
    Replace { step: Step },
    /// Move the step with this id to position `index` among the steps (after removing it).
    Move { id: String, index: usize },
    /// Replace the journey's own fields (everything but the steps) by this journey's.
    Meta { journey: Box<Journey> },
}

/// Why an edit could not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// No step with this id.
    UnknownStep(String),
    /// A step with this id is there already.
    TakenId(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::UnknownStep(id) => write!(f, "no step '{id}'"),
            EditError::TakenId(id) => write!(f, "a step '{id}' is there already"),
        }
    }
}

impl std::error::Error for EditError {}

impl Edit {
    /// The id of the step this edit is about, if it is about one (for "undid: … at s04").
    pub fn step(&self) -> Option<&str> {
        match self {
            Edit::Insert { step, .. } | Edit::Replace { step } => Some(&step.id),
            Edit::Delete { id } | Edit::Move { id, .. } => Some(id),
            Edit::Meta { .. } => None,
        }
    }
}

fn position(j: &Journey, id: &str) -> Result<usize, EditError> {
    j.steps
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| EditError::UnknownStep(id.to_string()))
}

/// Applies `edit` to `j` and returns the edit that undoes it; on an error `j` is unchanged.
pub fn apply(j: &mut Journey, edit: Edit) -> Result<Edit, EditError> {
    match edit {
        Edit::Insert { index, step } => {
            if j.steps.iter().any(|s| s.id == step.id) {
                return Err(EditError::TakenId(step.id));
            }
            let id = step.id.clone();
            j.steps.insert(index.min(j.steps.len()), step);
            Ok(Edit::Delete { id })
        }
        Edit::Delete { id } => {
            let index = position(j, &id)?;
            let step = j.steps.remove(index);
            Ok(Edit::Insert { index, step })
        }
        Edit::Replace { step } => {
            let index = position(j, &step.id)?;
            let old = std::mem::replace(&mut j.steps[index], step);
            Ok(Edit::Replace { step: old })
        }
        Edit::Move { id, index } => {
            let from = position(j, &id)?;
            let step = j.steps.remove(from);
            j.steps.insert(index.min(j.steps.len()), step);
            Ok(Edit::Move { id, index: from })
        }
        Edit::Meta { journey } => {
            // The steps are not the journey's own fields: they stay where they are.
            let steps = std::mem::take(&mut j.steps);
            let old = std::mem::replace(j, *journey);
            j.steps = steps;
            Ok(Edit::Meta {
                journey: Box::new(old),
            })
        }
    }
}

/// The number of an id of the form `s<digits>`.
fn number(id: &str) -> Option<u64> {
    let digits = id.strip_prefix('s')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The next free step id: `s` and one more than the highest number among the journey's step
/// ids and `taken` (the steps that notes refer to), at least two digits (`s01`, …, `s99`,
/// `s100`).
pub fn next_step_id<'a>(j: &'a Journey, taken: impl IntoIterator<Item = &'a str>) -> String {
    let highest = j
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .chain(taken)
        .filter_map(number)
        .max()
        .unwrap_or(0);
    format!("s{:02}", highest + 1)
}

/// A new step of `kind` titled `title`, with the id given; everything else empty.
pub fn new_step(id: String, kind: StepKind, title: &str) -> Step {
    Step {
        id,
        kind,
        when: None,
        title: title.to_string(),
        narrative: String::new(),
        obstacles: Vec::new(),
        enablers: Vec::new(),
        evidence: Vec::new(),
        stride: None,
        at: None,
        partial: false,
        provenance: None,
    }
}

/// A new journey with no steps: documented, with an empty source to fill in.
pub fn new_journey(id: &str, title: &str, theme: &str) -> Journey {
    Journey {
        id: id.to_string(),
        title: title.to_string(),
        theme: theme.to_string(),
        source: Source {
            work: String::new(),
            doi: None,
            seed: None,
            licence: None,
        },
        provenance: Provenance::Documented,
        place: None,
        period: None,
        variant: None,
        goal: String::new(),
        outcome: String::new(),
        steps: Vec::new(),
    }
}

/// Adds `step` after the step `after` (`None`: at the end).
pub fn add_after(j: &mut Journey, after: Option<&str>, step: Step) -> Result<Edit, EditError> {
    let index = match after {
        Some(id) => position(j, id)? + 1,
        None => j.steps.len(),
    };
    apply(j, Edit::Insert { index, step })
}

/// Inserts `step` before the step `before`.
pub fn insert_before(j: &mut Journey, before: &str, step: Step) -> Result<Edit, EditError> {
    let index = position(j, before)?;
    apply(j, Edit::Insert { index, step })
}

/// Edits the fields of the step `id` with `change` (its id stays what it is).
pub fn edit_step(
    j: &mut Journey,
    id: &str,
    change: impl FnOnce(&mut Step),
) -> Result<Edit, EditError> {
    let mut step = j.steps[position(j, id)?].clone();
    change(&mut step);
    step.id = id.to_string();
    apply(j, Edit::Replace { step })
}

/// Edits the journey's own fields with `change` (its steps and id stay what they are).
pub fn edit_meta(j: &mut Journey, change: impl FnOnce(&mut Journey)) -> Result<Edit, EditError> {
    let mut new = Journey {
        steps: Vec::new(),
        ..j.clone()
    };
    change(&mut new);
    new.id = j.id.clone();
    apply(
        j,
        Edit::Meta {
            journey: Box::new(new),
        },
    )
}

/// Deletes the step `id`.
pub fn delete_step(j: &mut Journey, id: &str) -> Result<Edit, EditError> {
    apply(j, Edit::Delete { id: id.to_string() })
}

/// Moves the step `id` one place earlier (the first stays first).
pub fn move_earlier(j: &mut Journey, id: &str) -> Result<Edit, EditError> {
    let from = position(j, id)?;
    apply(
        j,
        Edit::Move {
            id: id.to_string(),
            index: from.saturating_sub(1),
        },
    )
}

/// Moves the step `id` one place later (the last stays last).
pub fn move_later(j: &mut Journey, id: &str) -> Result<Edit, EditError> {
    let from = position(j, id)?;
    apply(
        j,
        Edit::Move {
            id: id.to_string(),
            index: from + 1,
        },
    )
}

/// Moves the step `id` to just after the step `after` (`None`: to the front).
pub fn move_after(j: &mut Journey, id: &str, after: Option<&str>) -> Result<Edit, EditError> {
    position(j, id)?;
    let index = match after {
        // Positions after `id` is taken out.
        Some(a) => {
            let a_at = position(j, a)?;
            let from = position(j, id)?;
            if a_at < from { a_at + 1 } else { a_at }
        }
        None => 0,
    };
    apply(
        j,
        Edit::Move {
            id: id.to_string(),
            index,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journey(ids: &[&str]) -> Journey {
        let mut j = new_journey("j", "J", "t");
        j.steps = ids
            .iter()
            .map(|id| new_step(id.to_string(), StepKind::Advance, id))
            .collect();
        j
    }

    fn ids(j: &Journey) -> Vec<&str> {
        j.steps.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn new_ids_follow_the_highest_and_never_reuse_one_notes_hold() {
        let j = journey(&["s01", "s07", "intro"]);
        assert_eq!(next_step_id(&j, []), "s08");
        assert_eq!(
            next_step_id(&j, ["s12"]),
            "s13",
            "an orphan's step is taken"
        );
        assert_eq!(next_step_id(&journey(&[]), []), "s01");
        assert_eq!(next_step_id(&journey(&["s99"]), []), "s100");
    }

    #[test]
    fn each_edit_returns_its_undo() {
        let mut j = journey(&["s01", "s02", "s03"]);
        let before = j.clone();
        let undo = add_after(
            &mut j,
            Some("s01"),
            new_step("s04".into(), StepKind::Stall, "x"),
        )
        .unwrap();
        assert_eq!(ids(&j), ["s01", "s04", "s02", "s03"]);
        apply(&mut j, undo).unwrap();
        assert_eq!(j, before);

        let undo =
            insert_before(&mut j, "s01", new_step("s04".into(), StepKind::Stall, "x")).unwrap();
        assert_eq!(ids(&j), ["s04", "s01", "s02", "s03"]);
        apply(&mut j, undo).unwrap();

        let undo = move_later(&mut j, "s01").unwrap();
        assert_eq!(ids(&j), ["s02", "s01", "s03"]);
        let redo = apply(&mut j, undo).unwrap();
        assert_eq!(j, before);
        apply(&mut j, redo).unwrap();
        assert_eq!(ids(&j), ["s02", "s01", "s03"]);
        let mut j = before.clone();

        let undo = move_earlier(&mut j, "s01").unwrap();
        assert_eq!(j, before, "the first stays first");
        apply(&mut j, undo).unwrap();

        let undo = move_after(&mut j, "s01", Some("s03")).unwrap();
        assert_eq!(ids(&j), ["s02", "s03", "s01"]);
        apply(&mut j, undo).unwrap();
        let undo = move_after(&mut j, "s03", None).unwrap();
        assert_eq!(ids(&j), ["s03", "s01", "s02"]);
        apply(&mut j, undo).unwrap();
        assert_eq!(j, before);

        let undo = edit_step(&mut j, "s02", |s| {
            s.title = "new".into();
            s.id = "ignored".into();
        })
        .unwrap();
        assert_eq!(j.steps[1].title, "new");
        assert_eq!(j.steps[1].id, "s02", "an id never changes");
        apply(&mut j, undo).unwrap();

        let undo = delete_step(&mut j, "s02").unwrap();
        assert_eq!(ids(&j), ["s01", "s03"]);
        apply(&mut j, undo).unwrap();
        assert_eq!(j, before);

        let undo = edit_meta(&mut j, |m| {
            m.title = "Renamed".into();
            m.goal = "A goal".into();
        })
        .unwrap();
        assert_eq!((j.title.as_str(), j.steps.len()), ("Renamed", 3));
        apply(&mut j, undo).unwrap();
        assert_eq!(j, before);
    }

    #[test]
    fn a_bad_edit_changes_nothing() {
        let mut j = journey(&["s01"]);
        let before = j.clone();
        assert_eq!(
            delete_step(&mut j, "s09"),
            Err(EditError::UnknownStep("s09".into()))
        );
        assert_eq!(
            add_after(&mut j, None, new_step("s01".into(), StepKind::Advance, "")),
            Err(EditError::TakenId("s01".into()))
        );
        assert!(move_after(&mut j, "s01", Some("nope")).is_err());
        assert_eq!(j, before);
    }
}
