//! One history of the analyst's changes — notes, journeys and the codebook — for `u` and
//! Ctrl-r.
//!
//! Each entry holds what undoes one change (the inverse the change returned), what the change
//! was in words, and where it was, so that the status line can say what an undo changed and
//! the app can jump there. Undoing an entry applies its inverse, which returns the change
//! again: that goes on the redo side, and back. Plain data: applying is `update`'s (see
//! `app/update/history.rs`).

use crate::model::Terrain;
use crate::model::edit::Edit;
use crate::store::annotations::Change;

/// What undoes (or redoes) one change.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// Changes to the analyst's own notes, applied in order.
    Notes(Vec<Change>),
    /// Edits to one journey (by id), applied in order.
    Journey { journey: String, edits: Vec<Edit> },
    /// The catalogue as it was, and the edits to journeys' steps that go with it (a merge
    /// rewrites steps), each journey's applied in order.
    Codebook {
        terrain: Box<Terrain>,
        journeys: Vec<(String, Vec<Edit>)>,
    },
}

/// Where a change was: where an undo of it jumps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A journey, at a step when there is one.
    Step {
        journey: String,
        step: Option<String>,
    },
    /// A code of the codebook.
    Code(String),
}

impl Place {
    /// "f01 · s04", "f01", "code 'x'".
    pub fn describe(&self) -> String {
        match self {
            Place::Step {
                journey,
                step: Some(s),
            } => format!("{journey} · {s}"),
            Place::Step {
                journey,
                step: None,
            } => journey.clone(),
            Place::Code(id) => format!("code '{id}'"),
        }
    }
}

/// One change, undoable.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What the change was: "step s04 added", "note edited".
    pub what: String,
    pub place: Place,
    pub undo: Undo,
}

/// The last thing done to the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Did,
    Undid,
    Redid,
}

/// The undo and redo sides, newest last.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub undo: Vec<Entry>,
    pub redo: Vec<Entry>,
    /// What the last change to the history was: a write held back for the analyst's answer
    /// is taken back the other way.
    pub last: Option<Op>,
}

impl History {
    /// A new change: it can be undone, and what was undone before can no longer be redone.
    pub fn record(&mut self, entry: Entry) {
        self.undo.push(entry);
        self.redo.clear();
        self.last = Some(Op::Did);
    }
}
