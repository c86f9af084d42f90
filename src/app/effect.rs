//! What `update` asks the event loop to do, and what comes back.
//!
//! `update` changes state and nothing else; whatever touches the disk, the clock or another
//! thread is an [`Effect`] it returns. The loop ([`crate::app::perform`]) carries effects out:
//! a save at once, before the next frame; scans, exports, analysis and loading on worker
//! threads. Every result comes back the same way, as an [`crate::app::Action::Done`] carrying
//! an [`Outcome`], through the one channel the loop reads. Nothing here does I/O.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::app::analysis::{Analysed, AnalysisRequest, Discarded};
use crate::app::codebook::{CatalogueSaved, CatalogueWrite};
use crate::app::journeys::{JourneySaved, JourneyWrite};
use crate::app::loader::{LoadJob, Loaded};
use crate::export::{Format, Selection};
use crate::store::Problem;
use crate::store::annotations::{Change, Saved, Scan};

/// One thing for the loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Something in view changed: draw a new frame.
    Redraw,
    /// Write the analyst's changed notes to disk, now, before the next frame. The changes are
    /// already in memory; the set says which they are and which journeys' files they touch.
    Save(ChangeSet),
    /// Try again to save every change that could not be saved; quit afterwards if all of them
    /// are on disk and `then_quit`.
    Retry {
        then_quit: bool,
    },
    /// Look at the annotation folder for files changed elsewhere, on a worker.
    Rescan,
    /// Read the files a scan found changed, and merge them into the notes.
    TakeScan(Delivered<Scan>),
    /// Write an export, on a worker.
    Export(ExportJob),
    /// Free results the screens no longer show, on a worker (see [`Discarded`]).
    Free(Delivered<Discarded>),
    /// Analyse for the screen in view, on a worker; a newer request supersedes this one.
    Analyse(AnalysisRequest),
    /// Start loading the rest of a large study behind the screen.
    Load(Delivered<LoadJob>),
    /// Write a journey the analyst changed, now, before the next frame.
    SaveJourney(Box<JourneyWrite>),
    /// Write the catalogue the analyst changed, now, before the next frame.
    SaveCatalogue(Box<CatalogueWrite>),
    /// Read the study's sources (records and texts) at this study folder, on a worker.
    LoadSources(PathBuf),
    /// Bring documents into the study's sources, on a worker, then read them again.
    AddSources {
        root: PathBuf,
        files: Vec<PathBuf>,
    },
    Quit,
}

/// A group of changes the analyst made (one save, one undo, one adoption).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    pub changes: Vec<Change>,
    /// The journeys whose files the changes touch, each once, in the order first touched.
    pub journeys: Vec<String>,
}

impl ChangeSet {
    pub fn new(changes: Vec<Change>) -> ChangeSet {
        let mut journeys: Vec<String> = Vec::new();
        for c in &changes {
            if !journeys.iter().any(|j| j == c.journey()) {
                journeys.push(c.journey().to_string());
            }
        }
        ChangeSet { changes, journeys }
    }
}

/// `:export` as typed, resolved to what is in view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportJob {
    pub format: Format,
    pub path: PathBuf,
    pub selection: Selection,
}

/// What a save did, for the status line: the file of the last change, or of the first that
/// failed, and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveReport {
    pub path: String,
    pub result: Result<Saved, String>,
}

/// A result from the loop, back to `update`.
pub enum Outcome {
    /// A [`Effect::Save`] is done; `None` when there was nothing to write.
    Saved(Option<SaveReport>),
    /// A [`Effect::Retry`] is done: the errors that remain.
    Retried {
        errors: Vec<String>,
        then_quit: bool,
    },
    /// A scan of the annotation folder is ready.
    Scanned(Scan),
    /// The files a scan found changed were read: the journeys whose notes changed, and the
    /// problems.
    Reread {
        changed: std::collections::BTreeSet<String>,
        problems: Vec<Problem>,
    },
    /// How far an export being written is (the path as shown, and a percent).
    Exporting { path: String, percent: usize },
    /// An export is written (or failed): what to tell the user.
    Exported(String),
    /// Analysis for a screen.
    Analysed(Box<Analysed>),
    /// A batch from the loader.
    Loaded(Loaded),
    /// A [`Effect::SaveJourney`] is done.
    JourneySaved(JourneySaved),
    /// A [`Effect::SaveCatalogue`] is done.
    CatalogueSaved(CatalogueSaved),
    /// The study's sources, read.
    SourcesLoaded(Box<crate::app::sources::Loaded>),
    /// Documents were added (or not): what to tell the user, and the sources read again.
    SourcesAdded {
        message: String,
        loaded: Box<crate::app::sources::Loaded>,
    },
}

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Outcome::Saved(r) => return f.debug_tuple("Saved").field(r).finish(),
            Outcome::Retried { errors, then_quit } => {
                return f
                    .debug_struct("Retried")
                    .field("errors", errors)
                    .field("then_quit", then_quit)
                    .finish();
            }
            Outcome::Scanned(_) => "Scanned",
            Outcome::Reread { changed, .. } => {
                return f.debug_struct("Reread").field("changed", changed).finish();
            }
            Outcome::Exporting { percent, .. } => {
                return f.debug_tuple("Exporting").field(percent).finish();
            }
            Outcome::Exported(m) => return f.debug_tuple("Exported").field(m).finish(),
            Outcome::Analysed(a) => {
                return f.debug_tuple("Analysed").field(&a.generation).finish();
            }
            Outcome::Loaded(_) => "Loaded",
            Outcome::JourneySaved(s) => return f.debug_tuple("JourneySaved").field(s).finish(),
            Outcome::CatalogueSaved(s) => {
                return f.debug_tuple("CatalogueSaved").field(s).finish();
            }
            Outcome::SourcesLoaded(_) => "SourcesLoaded",
            Outcome::SourcesAdded { message, .. } => {
                return f.debug_tuple("SourcesAdded").field(message).finish();
            }
        };
        f.write_str(name)
    }
}

/// A value handed from one owner to the next inside an action or effect: taken once by whoever
/// handles it. Clones share it, and two are equal when they are the same delivery, so that
/// actions and effects stay comparable in tests.
pub struct Delivered<T>(Arc<Mutex<Option<T>>>);

impl<T> Delivered<T> {
    pub fn new(value: T) -> Delivered<T> {
        Delivered(Arc::new(Mutex::new(Some(value))))
    }

    /// The value, if no one took it before.
    pub fn take(&self) -> Option<T> {
        self.0.lock().ok()?.take()
    }
}

impl Delivered<Outcome> {
    /// Whether this is a batch from the loader or word of how far a job is: neither ends a
    /// job the loop waits for.
    pub fn is_interim(&self) -> bool {
        self.0.lock().is_ok_and(|v| {
            matches!(
                v.as_ref(),
                Some(Outcome::Loaded(_) | Outcome::Exporting { .. })
            )
        })
    }
}

impl<T> Clone for Delivered<T> {
    fn clone(&self) -> Self {
        Delivered(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Delivered<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Delivered<T> {}

impl<T: fmt::Debug> fmt::Debug for Delivered<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.lock() {
            Ok(v) => match v.as_ref() {
                Some(v) => v.fmt(f),
                None => f.write_str("(taken)"),
            },
            Err(_) => f.write_str("(poisoned)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_is_taken_once_and_equal_only_to_itself() {
        let d = Delivered::new(3);
        let same = d.clone();
        assert_eq!(d, same);
        assert_ne!(d, Delivered::new(3));
        assert_eq!(same.take(), Some(3));
        assert_eq!(d.take(), None);
    }

    #[test]
    fn a_change_set_names_each_journey_once() {
        let note = crate::model::Note::new("s1", vec![], "x".into());
        let set = ChangeSet::new(vec![
            Change::Put {
                journey: "g06".into(),
                note: note.clone(),
            },
            Change::Delete {
                journey: "g01".into(),
                id: note.id.clone(),
            },
            Change::Delete {
                journey: "g06".into(),
                id: note.id,
            },
        ]);
        assert_eq!(set.journeys, ["g06", "g01"]);
    }
}
