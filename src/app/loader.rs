//! Loading a large study behind the first frame.
//!
//! A folder of a few hundred journeys loads before the first frame, as it takes a blink. A
//! larger one is read on a thread of its own, a batch of journeys at a time, each batch parsed
//! and validated on every core with its routes laid out and its filter text made. The batches
//! come to the app as actions through the event loop's one channel, so the atlas fills while
//! the user already moves in it. The notes are read meanwhile, on a thread of their own, and
//! come after the last batch, whole. The status line shows how far loading is. Nothing here
//! draws or changes the app but through [`take`], called by `update`.

use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

use crate::app::effect::{Delivered, Outcome};
use crate::app::note_text::NoteText;
use crate::app::{Action, App};
use crate::model::{Journey, Route, Terrain, layout};
use crate::store::annotations::NoteStore;
use crate::store::{self, Opened, Problem, RawFile, Seen};
use crate::ui::theme::Look;

/// Up to this many journey files load before the first frame.
pub const AT_ONCE: usize = 400;

/// The first batch is small so the first frame comes soon; the rest are larger, as each
/// batch re-sorts the atlas.
const FIRST_BATCH: usize = 64;
const BATCH: usize = 1024;

/// A journey ready for the app: laid out, with its filter text.
pub struct Ready {
    pub journey: Journey,
    pub route: Route,
    pub haystack: String,
}

/// What the loading thread sends, each as an [`Outcome::Loaded`] through the loop's channel.
pub enum Loaded {
    Journeys {
        journeys: Vec<Ready>,
        problems: Vec<Problem>,
        /// Files read for this batch.
        files: usize,
    },
    Notes {
        store: NoteStore,
        /// The notes' text for the filter, made on the loading thread.
        text: Box<NoteText>,
        problems: Vec<Problem>,
    },
    /// Everything is in.
    Finished,
}

/// How far loading is, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    /// Journey files read so far, of all.
    pub files_done: usize,
    pub files: usize,
    /// Whether the notes are still to come.
    pub notes_pending: bool,
}

impl Loading {
    /// Journeys are all in.
    pub fn journeys_done(&self) -> bool {
        self.files_done >= self.files
    }
}

/// What is still to load: the journey files listed by [`store::open`], the catalogue they are
/// checked against, and the notes (root and analyst).
pub struct LoadJob {
    files: Vec<RawFile>,
    terrain: Terrain,
    notes: Option<(PathBuf, String)>,
}

impl std::fmt::Debug for LoadJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadJob")
            .field("files", &self.files.len())
            .field("notes", &self.notes)
            .finish_non_exhaustive()
    }
}

impl LoadJob {
    pub fn new(files: Vec<RawFile>, terrain: Terrain, notes: Option<(PathBuf, String)>) -> LoadJob {
        LoadJob {
            files,
            terrain,
            notes,
        }
    }

    /// Loading as it stands before anything is read.
    pub fn progress(&self) -> Loading {
        Loading {
            files_done: 0,
            files: self.files.len(),
            notes_pending: self.notes.is_some(),
        }
    }
}

/// Starts reading a job's files, and its notes beside them, on threads, sending each batch through
/// `tx`; the thread stops at the next batch once the receiving end is gone.
pub fn start(job: LoadJob, tx: Sender<Action>) {
    let LoadJob {
        files,
        terrain,
        notes,
    } = job;
    let send = move |loaded: Loaded| {
        tx.send(Action::Done(Delivered::new(Outcome::Loaded(loaded))))
            .is_ok()
    };
    std::thread::spawn(move || {
        // The notes are read alongside the journeys, on a thread of their own (both share the
        // cores), and handed over after the last journey batch, so that no note looks orphaned
        // for want of a journey still to come.
        let reading = notes.map(|(root, analyst)| {
            std::thread::spawn(move || {
                let (store, problems) = NoteStore::open(&root, &analyst);
                let text = Box::new(NoteText::of(&store));
                (store, text, problems)
            })
        });
        let mut seen = Seen::default();
        let mut start = 0;
        while start < files.len() {
            let size = if start == 0 { FIRST_BATCH } else { BATCH };
            let batch = &files[start..(start + size).min(files.len())];
            start += batch.len();
            let mut journeys = Vec::with_capacity(batch.len());
            let mut problems = Vec::new();
            for parsed in store::read_and_parse(batch, &terrain) {
                seen.take(parsed, &mut journeys, &mut problems);
            }
            // Layout and filter text per journey, on every core too.
            let made = journeys
                .par_iter()
                .map(|j| (layout(j), crate::app::state::haystack(j, &terrain)))
                .collect::<Vec<_>>();
            let journeys: Vec<Ready> = journeys
                .into_iter()
                .zip(made)
                .map(|(journey, (route, haystack))| Ready {
                    journey,
                    route,
                    haystack,
                })
                .collect();
            let done = Loaded::Journeys {
                journeys,
                problems,
                files: batch.len(),
            };
            if !send(done) {
                return;
            }
        }
        if let Some(reading) = reading {
            let (store, text, problems) = match reading.join() {
                Ok(read) => read,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            if !send(Loaded::Notes {
                store,
                text,
                problems,
            }) {
                return;
            }
        }
        send(Loaded::Finished);
    });
}

/// The app on an opened data source, with the notes at `notes` (root and analyst): a small
/// source loaded whole first, a large one loading behind the first frame. A study's sources
/// are read behind the first frame too.
pub fn open(opened: Opened, look: Look, notes: Option<(PathBuf, String)>) -> App {
    let study = opened.data.source.study_root();
    let app = if in_background(&opened) {
        let Opened { data, files } = opened;
        let job = LoadJob::new(files, data.terrain.clone(), notes);
        App::new(data, look).with_loading(job)
    } else {
        let app = App::new(store::finish(opened), look);
        match notes {
            Some((root, analyst)) => {
                let (store, problems) = NoteStore::open(&root, &analyst);
                app.with_notes(store, problems)
            }
            None => app,
        }
    };
    match study {
        Some(root) => app.with_sources(root),
        None => app,
    }
}

/// Whether a data source is large enough to load behind the first frame.
pub fn in_background(opened: &Opened) -> bool {
    opened.files.len() > AT_ONCE
}

/// Takes in a batch from the loading thread (through `update`): the atlas grows, the notes
/// arrive, and loading ends when everything is in.
pub fn take(app: &mut App, loaded: Loaded) {
    match loaded {
        Loaded::Journeys {
            journeys,
            problems,
            files,
        } => {
            if let Some(l) = &mut app.session.loading {
                l.files_done += files;
            }
            app.add_journeys(journeys, problems);
        }
        Loaded::Notes {
            store,
            text,
            problems,
        } => {
            if let Some(l) = &mut app.session.loading {
                l.notes_pending = false;
            }
            app.attach_notes_with(store, *text, problems);
        }
        Loaded::Finished => app.session.loading = None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DataSource;
    use crate::store::synthetic::{Params, generate};

    /// The notes are read beside the journeys but handed over after the last journey batch,
    /// then the end: a note never arrives before the journey it is on.
    #[test]
    fn the_notes_come_after_every_journey_batch_and_then_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let p = Params {
            journeys: 150,
            steps: 5,
            notes: 600,
            analysts: 2,
            seed: 7,
        };
        generate(dir.path(), p, &mut |_, _| {}).unwrap();
        let opened = store::open(&DataSource::Dir(dir.path().to_path_buf()), None);
        assert!(opened.files.len() > FIRST_BATCH, "more than one batch");
        let job = LoadJob::new(
            opened.files,
            opened.data.terrain.clone(),
            Some((dir.path().join("annotations"), "reader".to_string())),
        );
        let (tx, rx) = std::sync::mpsc::channel();
        start(job, tx);
        let mut order = Vec::new();
        let mut journeys = 0;
        let mut notes = 0;
        for action in rx {
            let Action::Done(d) = action else {
                panic!("only outcomes come from the loader")
            };
            let Some(Outcome::Loaded(loaded)) = d.take() else {
                panic!("only loading outcomes")
            };
            match loaded {
                Loaded::Journeys { journeys: j, .. } => {
                    journeys += j.len();
                    order.push("journeys");
                }
                Loaded::Notes { store, .. } => {
                    notes = store.all().len();
                    order.push("notes");
                }
                Loaded::Finished => {
                    order.push("end");
                    break;
                }
            }
        }
        assert_eq!(journeys, 150);
        assert_eq!(notes, 600);
        assert!(order.len() >= 4, "two batches or more: {order:?}");
        let n = order.len();
        assert_eq!(&order[n - 2..], &["notes", "end"]);
        assert!(order[..n - 2].iter().all(|o| *o == "journeys"), "{order:?}");
    }
}
