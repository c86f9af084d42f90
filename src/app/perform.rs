//! Carrying out effects: the app's I/O, apart from the terminal.
//!
//! [`Performer::perform`] does what an [`Effect`] asks. A save (or a retry of failed saves) and
//! the reading of files a scan found changed are done at once, on the loop's thread, and their
//! outcome is returned as the next action, so that a change is on disk before the next frame.
//! Scans of the annotation folder, exports, analysis, reading and adding sources, and loading
//! run on worker threads (rayon's pool; the loader on a thread of its own); each sends its
//! outcome back as an action through the one channel the loop reads ([`Performer::try_recv`]).
//!
//! [`act`] runs an action and every effect it leads to at once, on the calling thread, the
//! workers' jobs included: what tests and benches use to drive the app as the loop would,
//! without a terminal or timing. Nothing here changes the app's state but the store's record
//! of what is on disk; what a result means for the app is `update`'s to decide.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use crate::app::analysis::compute;
use crate::app::effect::{Delivered, Effect, ExportJob, Outcome, SaveReport};
use crate::app::state::App;
use crate::app::update::update;
use crate::app::{Action, loader};
use crate::store::Dataset;
use crate::store::annotations::{NoteStore, SaveError, Saved, scan};

/// After a scan, the next waits this many times as long as the scan took, so that watching a
/// folder of tens of thousands of files costs at most a twenty-fifth of a core.
const SCAN_REST: u32 = 24;

/// Where workers' jobs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// On worker threads; outcomes come back through the channel.
    Workers,
    /// On the calling thread, at once: for tests and benches.
    Inline,
}

/// The loop's performer of effects, with the channel workers answer through.
pub struct Performer {
    mode: Mode,
    tx: Sender<Action>,
    rx: Receiver<Action>,
    /// Jobs sent to workers whose outcome has not come back yet (the loader aside).
    in_flight: usize,
    /// This performer started a loader, which answers through its channel.
    loading: bool,
    /// A scan is running; another is not started until it is done and has rested.
    scanning: Arc<AtomicBool>,
    next_scan: Arc<std::sync::Mutex<Instant>>,
}

impl Default for Performer {
    fn default() -> Self {
        Performer::new()
    }
}

impl Performer {
    /// A performer whose jobs run on worker threads.
    pub fn new() -> Performer {
        let (tx, rx) = mpsc::channel();
        Performer {
            mode: Mode::Workers,
            tx,
            rx,
            in_flight: 0,
            loading: false,
            scanning: Arc::new(AtomicBool::new(false)),
            next_scan: Arc::new(std::sync::Mutex::new(Instant::now())),
        }
    }

    /// A performer that runs every job at once on the calling thread.
    pub fn inline() -> Performer {
        Performer {
            mode: Mode::Inline,
            ..Performer::new()
        }
    }

    /// Whether a worker's outcome is still to come: the loop then looks for it often.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }

    /// An outcome that has come back from a worker, if any.
    pub fn try_recv(&mut self) -> Option<Action> {
        let action = self.rx.try_recv().ok()?;
        if !is_interim(&action) {
            self.in_flight = self.in_flight.saturating_sub(1);
        }
        Some(action)
    }

    /// Waits up to `timeout` for an outcome from a worker.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<Action> {
        let action = self.rx.recv_timeout(timeout).ok()?;
        if !is_interim(&action) {
            self.in_flight = self.in_flight.saturating_sub(1);
        }
        Some(action)
    }

    /// Carries out an effect. Returns the action that reports its outcome when that is known at
    /// once; a job sent to a worker reports through the channel instead. `Redraw` and `Quit`
    /// are the loop's own and do nothing here.
    pub fn perform(&mut self, app: &mut App, effect: Effect) -> Option<Action> {
        let outcome = match effect {
            Effect::Redraw | Effect::Quit => return None,
            Effect::Save(set) => {
                let store = app
                    .session
                    .notes
                    .as_mut()
                    .map(|n| Arc::make_mut(&mut n.store))?;
                let mut report: Option<SaveReport> = None;
                let mut merged: Vec<&str> = Vec::new();
                for journey in &set.journeys {
                    let result = save(store, journey).map_err(|e| e.to_string());
                    // A merge brought in notes from disk.
                    if matches!(result, Ok(Saved::Merged { .. } | Saved::Beside { .. })) {
                        merged.push(journey);
                    }
                    // Asked after the save, which may have found the journey's file broken (or
                    // repaired).
                    let path = store.path_of(journey).display().to_string();
                    // A failure is what the status must show, even if a later journey saved.
                    if report.as_ref().is_none_or(|r| r.result.is_ok()) {
                        report = Some(SaveReport { path, result });
                    }
                }
                if !merged.is_empty() {
                    app.notes_changed(merged);
                }
                Outcome::Saved(report)
            }
            Effect::Retry { then_quit } => {
                let store = app
                    .session
                    .notes
                    .as_mut()
                    .map(|n| Arc::make_mut(&mut n.store))?;
                let retried: Vec<String> =
                    store.unsaved().into_iter().map(str::to_string).collect();
                let errors = retry(store).iter().map(ToString::to_string).collect();
                // A retried save may have merged notes from disk, as a first save may.
                if !retried.is_empty() {
                    app.notes_changed(retried.iter().map(String::as_str));
                }
                Outcome::Retried { errors, then_quit }
            }
            Effect::TakeScan(found) => {
                let store = app
                    .session
                    .notes
                    .as_mut()
                    .map(|n| Arc::make_mut(&mut n.store))?;
                let (changed, problems) = match found.take() {
                    Some(found) => store.refresh_journeys(found),
                    None => Default::default(),
                };
                Outcome::Reread { changed, problems }
            }
            Effect::Rescan => {
                let root = app.session.notes.as_ref()?.store.root().to_path_buf();
                return self.rescan(root);
            }
            Effect::Export(job) => {
                let data = Arc::clone(&app.session.data);
                let notes = app.session.notes.as_ref().map(|n| Arc::clone(&n.store));
                // On a worker, how far it is goes to the status line, a percent at a time.
                let tx = matches!(self.mode, Mode::Workers).then(|| self.tx.clone());
                return self.spawn(move || {
                    let shown = job.path.display().to_string();
                    let mut last = None;
                    let mut progress = |n: usize, total: usize| {
                        let percent = (n * 100).checked_div(total).unwrap_or(100);
                        if let Some(tx) = &tx
                            && last != Some(percent)
                        {
                            last = Some(percent);
                            let path = shown.clone();
                            let _ = tx.send(done(Outcome::Exporting { path, percent }));
                        }
                    };
                    Outcome::Exported(export(&job, &data, notes, &mut progress))
                });
            }
            Effect::Analyse(req) => {
                return self.spawn(move || {
                    let analysed = compute(req);
                    give_back();
                    Outcome::Analysed(Box::new(analysed))
                });
            }
            Effect::Free(old) => {
                let old = old.take();
                match self.mode {
                    Mode::Inline => drop(old),
                    Mode::Workers => rayon::spawn(move || {
                        drop(old);
                        give_back();
                    }),
                }
                return None;
            }
            Effect::SaveJourney(job) => Outcome::JourneySaved(crate::app::journeys::save(&job)),
            Effect::SaveCatalogue(job) => Outcome::CatalogueSaved(crate::app::codebook::save(&job)),
            Effect::LoadSources(root) => {
                return self.spawn(move || {
                    Outcome::SourcesLoaded(Box::new(crate::app::sources::load(&root)))
                });
            }
            Effect::AddSources { root, files } => {
                return self.spawn(move || {
                    let (message, loaded) = crate::app::sources::add(&root, &files);
                    Outcome::SourcesAdded {
                        message,
                        loaded: Box::new(loaded),
                    }
                });
            }
            Effect::Load(job) => {
                let job = job.take()?;
                loader::start(job, self.tx.clone());
                self.loading = true;
                return None;
            }
        };
        Some(done(outcome))
    }

    /// Applies an action and carries out what it asks: the effects done at once feed their
    /// outcome straight back, so that a save's status is in the state before the next frame;
    /// jobs go to workers. Returns what the loop must do next.
    pub fn handle(&mut self, app: &mut App, action: Action) -> Handled {
        let mut handled = Handled::default();
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            for effect in update(app, action) {
                match effect {
                    Effect::Quit => {
                        handled.quit = true;
                        return handled;
                    }
                    Effect::Redraw => handled.redraw = true,
                    other => queue.extend(self.perform(app, other)),
                }
            }
        }
        handled
    }

    /// Runs a job on a worker (or at once, inline); its outcome comes back as an action.
    fn spawn(&mut self, job: impl FnOnce() -> Outcome + Send + 'static) -> Option<Action> {
        match self.mode {
            Mode::Inline => Some(done(job())),
            Mode::Workers => {
                let tx = self.tx.clone();
                self.in_flight += 1;
                rayon::spawn(move || {
                    let _ = tx.send(done(job()));
                });
                None
            }
        }
    }

    /// Scans the annotation folder on a worker, unless a scan is running or resting.
    fn rescan(&mut self, root: std::path::PathBuf) -> Option<Action> {
        if self.mode == Mode::Inline {
            return Some(done(Outcome::Scanned(scan(&root))));
        }
        let rested = self
            .next_scan
            .lock()
            .map(|next| Instant::now() >= *next)
            .unwrap_or(true);
        if !rested || self.scanning.swap(true, Ordering::SeqCst) {
            return None;
        }
        let (scanning, next_scan) = (Arc::clone(&self.scanning), Arc::clone(&self.next_scan));
        self.spawn(move || {
            let started = Instant::now();
            let found = scan(&root);
            let took = started.elapsed();
            if let Ok(mut next) = next_scan.lock() {
                *next = Instant::now() + took * SCAN_REST;
            }
            scanning.store(false, Ordering::SeqCst);
            Outcome::Scanned(found)
        })
    }
}

/// What the loop must do after an action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Handled {
    pub redraw: bool,
    pub quit: bool,
}

/// Whether an action is a loader's batch or a job's progress: neither ends a job the loop
/// counts.
fn is_interim(action: &Action) -> bool {
    matches!(action, Action::Done(d) if d.is_interim())
}

fn done(outcome: Outcome) -> Action {
    Action::Done(Delivered::new(outcome))
}

/// The one way the app saves an analyst's staged changes on a journey.
fn save(store: &mut NoteStore, journey: &str) -> Result<Saved, SaveError> {
    store.save_staged(journey)
}

/// The one way the app retries the saves that failed.
fn retry(store: &mut NoteStore) -> Vec<SaveError> {
    store.retry()
}

/// Writes an export and says how it went, for the status line.
fn export(
    job: &ExportJob,
    data: &Dataset,
    notes: Option<Arc<NoteStore>>,
    progress: &mut dyn FnMut(usize, usize),
) -> String {
    let empty = NoteStore::empty();
    let notes = notes.as_deref().unwrap_or(&empty);
    crate::app::command::export_message(job, data, notes, progress)
}

/// Applies an action and carries out every effect it leads to, at once, on this thread, the
/// workers' jobs included; returns every effect `update` asked for on the way (so a test can
/// see `Quit` or `Redraw`). What the event loop does, without a terminal or waiting.
pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let mut performer = Performer::inline();
    let mut asked = Vec::new();
    let mut queue = VecDeque::from([action]);
    // Effects asked for before the first action: loading, the first analysis.
    for effect in app.startup() {
        if let Some(next) = performer.perform(app, effect) {
            queue.push_back(next);
        }
    }
    loop {
        while let Some(action) = queue.pop_front() {
            for effect in update(app, action) {
                if let Some(next) = performer.perform(app, effect.clone()) {
                    queue.push_back(next);
                }
                asked.push(effect);
            }
        }
        // A study this call started loading: take every batch before returning.
        if !performer.loading || app.session.loading.is_none() {
            return asked;
        }
        match performer.recv_timeout(Duration::from_secs(60)) {
            Some(batch) => queue.push_back(batch),
            None => return asked,
        }
    }
}

/// Hands the memory a large piece of work freed back to the system. The allocator keeps what
/// is freed between what is still held (an analysis's working sets between its results) for
/// later allocations, but not for the system: at XL the compare screen's working sets stayed
/// in the process as about 50 MB it no longer used.
fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointer and only releases free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Note;
    use crate::store::annotations::Change;
    use crate::store::{self, DataSource};
    use crate::ui::theme::Look;

    /// An export on a worker reports how far it is without ending the job: the loop stays busy
    /// (looking for results) until the export's end, which the status line then shows.
    #[test]
    fn an_exports_progress_does_not_end_it_for_the_loop() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(store::load(&DataSource::Bundled, None), Look::default());
        let mut performer = Performer::new();
        let job = ExportJob {
            format: crate::export::Format::Qdpx,
            path: dir.path().join("all.qdpx"),
            selection: crate::export::Selection::default(),
        };
        assert_eq!(performer.perform(&mut app, Effect::Export(job)), None);
        let mut reports = 0;
        loop {
            assert!(performer.busy(), "the export is still out");
            let Some(action) = performer.recv_timeout(Duration::from_secs(60)) else {
                panic!("the export did not end");
            };
            performer.handle(&mut app, action);
            let flash = app.flash.clone().unwrap_or_default();
            if flash.starts_with("wrote ") {
                break;
            }
            assert!(
                flash.starts_with("writing ") && flash.ends_with('%'),
                "{flash}"
            );
            reports += 1;
        }
        assert!(!performer.busy());
        assert!(reports > 1, "progress came on the way");
        assert!(dir.path().join("all.qdpx").exists());
    }

    /// What the loop does between keys: take whatever the workers sent.
    fn drain(performer: &mut Performer, app: &mut App) {
        while let Some(action) = performer.try_recv() {
            performer.handle(app, action);
        }
    }

    #[test]
    fn polls_scan_on_a_worker_and_bring_in_files_written_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let (mine, _) = NoteStore::open(&root, "hh");
        let mut app = App::new(store::load(&DataSource::Bundled, None), Look::default())
            .with_notes(mine, vec![]);
        let mut performer = Performer::new();
        for (k, journey) in ["g01", "g06", "g17"].into_iter().enumerate() {
            let (mut theirs, _) = NoteStore::open(&root, "aa");
            let note = Note::new("s01", vec![], format!("note {k}"));
            theirs
                .apply(Change::Put {
                    journey: journey.to_string(),
                    note,
                })
                .unwrap();
            // A scan started before the file was written may miss it; a later one must not.
            let seen = (0..1000).any(|_| {
                performer.handle(&mut app, Action::Poll);
                std::thread::sleep(Duration::from_millis(5));
                drain(&mut performer, &mut app);
                app.session
                    .notes
                    .as_ref()
                    .unwrap()
                    .store
                    .notes_on(journey, "s01")
                    .len()
                    == 1
            });
            assert!(seen, "the note on {journey} never came in");
        }
        assert_eq!(app.session.data.problems, []);
    }

    #[test]
    fn a_save_is_done_at_once_and_its_outcome_is_the_next_action() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = NoteStore::open(dir.path(), "hh");
        let mut app = App::new(store::load(&DataSource::Bundled, None), Look::default())
            .with_notes(store, vec![]);
        let note = Note::new("s01", vec![], "x".into());
        let change = Change::Put {
            journey: "g06".into(),
            note,
        };
        Arc::make_mut(&mut app.session.notes.as_mut().unwrap().store).stage(change.clone());
        let set = crate::app::effect::ChangeSet::new(vec![change]);
        let mut performer = Performer::new();
        let next = performer.perform(&mut app, Effect::Save(set));
        assert!(
            dir.path().join("hh/g06.ron").is_file(),
            "written before it returns"
        );
        let Some(Action::Done(outcome)) = next else {
            panic!("{next:?}");
        };
        let Some(Outcome::Saved(Some(report))) = outcome.take() else {
            panic!("not a save report");
        };
        assert_eq!(report.result, Ok(Saved::Written));
        assert!(report.path.ends_with("g06.ron"), "{}", report.path);
    }
}
