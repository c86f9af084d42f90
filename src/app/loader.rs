//! Loading a large study behind the first frame.
//!
//! A folder of a few hundred journeys loads before the first frame, as it takes a blink. A
//! larger one is read on a thread of its own, a batch of journeys at a time, each batch parsed
//! and validated on every core with its routes laid out and its filter text made; the app takes
//! the batches in as they come, so the atlas fills while the user already moves in it. The
//! notes come last, whole. The status line shows how far loading is.

use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::app::App;
use crate::model::{Journey, Route, Terrain, layout};
use crate::store::annotations::{NoteStore, Scan, scan};
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

/// What the loading thread sends.
pub enum Loaded {
    Journeys {
        journeys: Vec<Ready>,
        problems: Vec<Problem>,
        /// Files read for this batch.
        files: usize,
    },
    Notes {
        store: NoteStore,
        problems: Vec<Problem>,
    },
}

/// Loading under way: how far it is, and where the rest comes from.
pub struct Loading {
    rx: Receiver<Loaded>,
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

/// Starts reading `files` (listed by [`store::open`]) and then the notes at `notes` (root and
/// analyst) on a thread. Dropping the returned [`Loading`] stops it at the next batch.
pub fn start(files: Vec<RawFile>, terrain: Terrain, notes: Option<(PathBuf, String)>) -> Loading {
    let (tx, rx) = mpsc::channel();
    let total = files.len();
    let notes_pending = notes.is_some();
    std::thread::spawn(move || {
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
            if tx.send(done).is_err() {
                return;
            }
        }
        if let Some((root, analyst)) = notes {
            let (store, problems) = NoteStore::open(&root, &analyst);
            let _ = tx.send(Loaded::Notes { store, problems });
        }
    });
    Loading {
        rx,
        files_done: 0,
        files: total,
        notes_pending,
    }
}

/// Scans the annotation folder on a thread of its own, so that a study with many files is not
/// stat-ed on the thread that draws: each poll takes the scan asked for at the one before and
/// asks for the next. After each scan the thread rests 24 times as long as the scan took, so
/// that watching a folder of tens of thousands of files costs at most a twenty-fifth of a core.
pub struct Watcher {
    rx: Receiver<Scan>,
    ask: mpsc::Sender<()>,
    asked: bool,
}

impl Watcher {
    pub fn start(root: PathBuf) -> Watcher {
        let (ask, asks) = mpsc::channel::<()>();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            while asks.recv().is_ok() {
                let started = std::time::Instant::now();
                let found = scan(&root);
                let took = started.elapsed();
                if tx.send(found).is_err() {
                    return;
                }
                // An ask made while resting is answered once the rest is over.
                std::thread::sleep(took * 24);
            }
        });
        Watcher {
            rx,
            ask,
            asked: false,
        }
    }

    /// The scan asked for before, if it is ready; asks for the next one.
    pub fn poll(&mut self) -> Option<Scan> {
        let ready = self.rx.try_recv().ok();
        if ready.is_some() {
            self.asked = false;
        }
        if !self.asked {
            self.asked = self.ask.send(()).is_ok();
        }
        ready
    }
}

/// The app on an opened data source, with the notes at `notes` (root and analyst): a small
/// source loaded whole first, a large one loading behind the first frame.
pub fn open(opened: Opened, look: Look, notes: Option<(PathBuf, String)>) -> App {
    if in_background(&opened) {
        let Opened { data, files } = opened;
        let loading = start(files, data.terrain.clone(), notes);
        return App::new(data, look).with_loading(loading);
    }
    let app = App::new(store::finish(opened), look);
    match notes {
        Some((root, analyst)) => {
            let (store, problems) = NoteStore::open(&root, &analyst);
            app.with_notes(store, problems)
        }
        None => app,
    }
}

/// Whether a data source is large enough to load behind the first frame.
pub fn in_background(opened: &Opened) -> bool {
    opened.files.len() > AT_ONCE
}

/// Takes in whatever the loading thread has sent; returns whether anything changed. Loading
/// ends (and `app.loading` is cleared) when everything is in or the thread is gone.
pub fn take(app: &mut crate::app::App) -> bool {
    let mut changed = false;
    loop {
        let Some(loading) = &mut app.loading else {
            return changed;
        };
        match loading.rx.try_recv() {
            Ok(Loaded::Journeys {
                journeys,
                problems,
                files,
            }) => {
                loading.files_done += files;
                app.add_journeys(journeys, problems);
                changed = true;
            }
            Ok(Loaded::Notes { store, problems }) => {
                if let Some(l) = &mut app.loading {
                    l.notes_pending = false;
                }
                app.watcher = Some(Watcher::start(store.root().to_path_buf()));
                app.attach_notes(store, problems);
                changed = true;
            }
            Err(TryRecvError::Empty) => return changed,
            Err(TryRecvError::Disconnected) => {
                app.loading = None;
                return true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Note;
    use crate::store::annotations::Change;

    /// Polls until a scan comes, as the app's two-second poll does (faster here).
    fn next_scan(w: &mut Watcher) -> Scan {
        for _ in 0..1000 {
            if let Some(s) = w.poll() {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("no scan in 5 s");
    }

    #[test]
    fn the_watcher_keeps_scanning_and_its_scans_bring_in_new_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let (mut mine, _) = NoteStore::open(&root, "hh");
        let mut w = Watcher::start(root.clone());
        for (k, journey) in ["g01", "g06", "g17"].into_iter().enumerate() {
            let (mut theirs, _) = NoteStore::open(&root, "aa");
            let note = Note::new("s01", vec![], format!("note {k}"));
            theirs
                .apply(Change::Put {
                    journey: journey.to_string(),
                    note,
                })
                .unwrap();
            // A scan asked for before the file was written may not have it; one after must.
            let mut seen = false;
            for _ in 0..3 {
                let (_, problems) = mine.refresh_from(next_scan(&mut w));
                assert_eq!(problems, []);
                if mine.notes_on(journey, "s01").len() == 1 {
                    seen = true;
                    break;
                }
            }
            assert!(seen, "the note on {journey} never came in");
        }
    }
}
