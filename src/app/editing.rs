//! The state of writing journeys and codes in the app: a form open over the screen and what
//! it is for, a question asked before a change that cannot simply be taken back, and writes
//! held back until the analyst answers one. Plain state; `update` drives it.

use std::path::PathBuf;

use crate::app::codebook::CatalogueWrite;
use crate::app::form::Form;
use crate::app::journeys::JourneyWrite;

/// What a submitted form changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A new step, with this id, at this position of the journey (by index).
    NewStep {
        journey: usize,
        index: usize,
        id: String,
    },
    /// The step with this id.
    EditStep { journey: usize, step: String },
    /// A new journey.
    NewJourney,
    /// The journey's own fields.
    EditJourney { journey: usize },
    /// A code of the codebook.
    EditCode { id: String },
}

/// A form open over the screen.
pub struct FormState {
    pub form: Form,
    /// The values it opened with: Esc asks first when they changed.
    pub initial: Vec<String>,
    pub purpose: Purpose,
    /// Esc was pressed once with changes that would be lost.
    pub confirm_discard: bool,
    /// The code picker is open on the form's codes (in [`crate::app::App::editor`]).
    pub picking: bool,
}

impl FormState {
    pub fn new(form: Form, purpose: Purpose) -> FormState {
        FormState {
            initial: form.values(),
            form,
            purpose,
            confirm_discard: false,
            picking: false,
        }
    }
}

/// What `y` does to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// Delete a step that carries notes (they become orphans).
    DeleteStep { journey: usize, step: String },
    /// Write the held files, dropping their comments.
    DropComments,
    /// Merge one code into another.
    MergeCode { from: String, into: String },
}

/// A question over the screen: `y` does it, `n` or Esc does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// What `y` does, and what `n` does, in words.
    pub yes: String,
    pub no: String,
    pub asked: Asked,
    /// The overlay the question was asked over (a form, the code picker), open again after.
    pub back: crate::app::state::Overlay,
}

/// A write held back until the analyst says whether a file's comments may go.
#[derive(Debug, Clone, PartialEq)]
pub enum Held {
    Journey(Box<JourneyWrite>),
    Catalogue(Box<CatalogueWrite>),
}

impl Held {
    pub fn path(&self) -> &PathBuf {
        match self {
            Held::Journey(w) => &w.path,
            Held::Catalogue(w) => &w.path,
        }
    }

    /// The same write, allowed to drop the comments.
    pub fn agreed(self) -> crate::app::Effect {
        match self {
            Held::Journey(mut w) => {
                w.drop_comments = true;
                crate::app::Effect::SaveJourney(w)
            }
            Held::Catalogue(mut w) => {
                w.drop_comments = true;
                crate::app::Effect::SaveCatalogue(w)
            }
        }
    }
}
