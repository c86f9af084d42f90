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
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;

use crate::app::effect::{Delivered, Outcome};
use crate::app::note_text::NoteText;
use crate::app::{Action, App};
use crate::model::{Journey, Route, Terrain, layout};
use crate::store::annotations::NoteStore;
use crate::store::warm::{self, Warm};
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
    /// The warm-start snapshot to read from and keep up to date, if any.
    warm: Option<PathBuf>,
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
            warm: None,
        }
    }

    /// The job with the parses taken from, and kept in, the warm-start snapshot at `path`
    /// (see [`crate::store::warm`]).
    pub fn with_warm(self, path: Option<PathBuf>) -> LoadJob {
        LoadJob { warm: path, ..self }
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
        warm,
    } = job;
    let send = move |loaded: Loaded| {
        tx.send(Action::Done(Delivered::new(Outcome::Loaded(loaded))))
            .is_ok()
    };
    std::thread::spawn(move || {
        let warm = warm.map(|path| Arc::new(Warm::open(path)));
        // The notes are read alongside the journeys, on a thread of their own (both share the
        // cores), and handed over after the last journey batch, so that no note looks orphaned
        // for want of a journey still to come.
        let reading = notes.map(|(root, analyst)| {
            let warm = warm.clone();
            std::thread::spawn(move || {
                let (store, problems) = NoteStore::open_warm(&root, &analyst, warm.as_deref());
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
            for parsed in store::read_and_parse_warm(batch, &terrain, warm.as_deref()) {
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
        // Everything is in: the snapshot is written again if this load parsed anything anew,
        // behind the user's work. It is only a cache; a failure to write it changes nothing.
        if let Some(warm) = warm.and_then(Arc::into_inner) {
            let _ = warm.finish();
        }
    });
}

/// The app on an opened data source, with the notes at `notes` (root and analyst): a small
/// source loaded whole first, a large one loading behind the first frame. A study's sources
/// are read behind the first frame too.
pub fn open(opened: Opened, look: Look, notes: Option<(PathBuf, String)>) -> App {
    open_warm(opened, look, notes, None)
}

/// [`open`], a large folder's parses taken from and kept in a warm-start snapshot in
/// `snapshots` (see [`crate::store::warm`]).
pub fn open_warm(
    opened: Opened,
    look: Look,
    notes: Option<(PathBuf, String)>,
    snapshots: Option<&Path>,
) -> App {
    let study = opened.data.source.study_root();
    let app = if in_background(&opened) {
        let Opened { data, files } = opened;
        let warm = match (&data.source, snapshots) {
            (store::DataSource::Dir(dir), Some(folder)) => Some(warm::path_in(
                folder,
                dir,
                notes.as_ref().map(|(root, _)| root.as_path()),
            )),
            _ => None,
        };
        let job = LoadJob::new(files, data.terrain.clone(), notes).with_warm(warm);
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
    use crate::store::warm;

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

    /// Everything a load sends, until the loading thread has ended (so that its warm-start
    /// snapshot, written after the end, is there).
    fn load(job: LoadJob) -> (Vec<Journey>, Vec<Problem>, NoteStore) {
        let (tx, rx) = std::sync::mpsc::channel();
        start(job, tx);
        let (mut journeys, mut problems, mut notes) = (Vec::new(), Vec::new(), None);
        for action in rx {
            let Action::Done(d) = action else {
                panic!("only outcomes come from the loader")
            };
            match d.take() {
                Some(Outcome::Loaded(Loaded::Journeys {
                    journeys: j,
                    problems: p,
                    ..
                })) => {
                    journeys.extend(j.into_iter().map(|r| r.journey));
                    problems.extend(p);
                }
                Some(Outcome::Loaded(Loaded::Notes {
                    store, problems: p, ..
                })) => {
                    notes = Some(store);
                    problems.extend(p);
                }
                _ => {}
            }
        }
        (journeys, problems, notes.expect("the notes came"))
    }

    /// With a warm-start snapshot, a study loads as it does without: the first load parses and
    /// writes the snapshot, the second decodes from it; a note file edited in between (to the
    /// same length) is read as it is now, and a broken journey file is reported each time.
    #[test]
    fn a_warm_load_gives_what_a_cold_one_does_and_sees_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let p = Params {
            journeys: 120,
            steps: 4,
            notes: 400,
            analysts: 2,
            seed: 11,
        };
        generate(dir.path(), p, &mut |_, _| {}).unwrap();
        std::fs::write(dir.path().join("journeys/zz-broken.ron"), "Journey(id: ").unwrap();
        let root = dir.path().join("annotations");
        let snapshots = tempfile::tempdir().unwrap();
        let snapshot = warm::path_in(snapshots.path(), dir.path(), Some(&root));
        let job = |warm: Option<PathBuf>| {
            let opened = store::open(&DataSource::Dir(dir.path().to_path_buf()), None);
            let notes = Some((root.clone(), "analyst1".to_string()));
            LoadJob::new(opened.files, opened.data.terrain.clone(), notes).with_warm(warm)
        };
        let notes_of = |store: &NoteStore| {
            let mut all: Vec<(String, String, String)> = store
                .all()
                .into_iter()
                .map(|(a, j, n)| (a.to_string(), j.to_string(), format!("{n:?}")))
                .collect();
            all.sort();
            all
        };

        let cold = load(job(None));
        assert_eq!(cold.0.len(), 120);
        assert_eq!(cold.1.len(), 1, "the broken file: {:?}", cold.1);
        assert!(!snapshot.exists(), "no snapshot unless asked for");
        let first = load(job(Some(snapshot.clone())));
        assert!(snapshot.exists(), "the first warm load writes it");
        let second = load(job(Some(snapshot.clone())));
        for warm in [&first, &second] {
            assert_eq!(warm.0, cold.0);
            assert_eq!(warm.1, cold.1);
            assert_eq!(notes_of(&warm.2), notes_of(&cold.2));
        }

        // Another analyst's notes file edited: one letter of a note's text, same length.
        let file = std::fs::read_dir(root.join("analyst2"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "ron"))
            .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let at = text.find("text: \"").unwrap() + "text: \"".len();
        let mut edited = text.into_bytes();
        edited[at] = if edited[at] == b'Q' { b'R' } else { b'Q' };
        std::fs::write(&file, &edited).unwrap();
        let cold = load(job(None));
        let warm = load(job(Some(snapshot.clone())));
        assert_ne!(notes_of(&warm.2), notes_of(&second.2), "the edit is seen");
        assert_eq!(notes_of(&warm.2), notes_of(&cold.2));
    }
}
