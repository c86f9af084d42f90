//! The annotation store: every analyst's notes under one folder, and safe saving of one
//! analyst's own.
//!
//! Layout: `<root>/<analyst>/<journey-id>.ron`, each file an [`Annotations`]. The store reads
//! every analyst's folder (others' notes are shown read-only) and writes only the files of its
//! own analyst.
//!
//! Saving is atomic: the new text goes to a temporary file in the same folder, which is flushed
//! and fsynced, renamed over the old file, and the folder is fsynced; a crash or kill at any
//! instant leaves the old file or the new one, never a torn one.
//!
//! Nothing is overwritten blindly. For each file the store remembers the notes it last read or
//! wrote (the *base*). Before writing, it reads the file again; if it changed since (another
//! window, `git pull`, an editor), the three sides are merged by note id:
//! - a note new on either side is kept;
//! - a note deleted on one side and untouched on the other is deleted; deleted on one side and
//!   edited on the other, the edit is kept;
//! - a note edited on one side only takes that edit;
//! - a note edited on both sides: the newer `updated` wins, and the other side's version is
//!   kept as a new note with `conflict_of` set to the note's id.
//!
//! A file that cannot be parsed (bad RON, wrong types, another analyst or journey inside, a
//! note id twice) is reported with its place and is never written, renamed or deleted. While
//! the analyst's own `<journey>.ron` is broken, the notes added or edited on that journey are
//! saved, by the same atomic write, to `<journey>.recovered.ron` beside it: an [`Annotations`]
//! for the same analyst and journey, holding the notes that differ from what the broken file
//! held when it last parsed (journey ids hold no dot, so the name is never another journey's).
//! Its notes are shown like any others, for every analyst. A deletion of a note the broken
//! file holds cannot be written anywhere: it stays in memory, reported as unsaved. Once the
//! file parses again (or is removed), the store merges the recovered file into it by the rules
//! above (the base being the file as it last parsed, or nothing), writes it, and only after that
//! write has succeeded removes the recovered file; a crash in between leaves the notes in both,
//! and the next merge finds them the same.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use ron::ser::PrettyConfig;

use crate::model::annotation::{Annotations, Note, new_id};
use crate::model::{Journey, Terrain};
use crate::store::Problem;
use crate::store::{locate, parse};

/// What the name of the file beside a broken one ends with, before `.ron`.
const RECOVERED: &str = ".recovered";

/// A change to the analyst's own notes; undo applies the inverse change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Add the note, or replace the note with the same id.
    Put { journey: String, note: Note },
    /// Remove the note with this id.
    Delete { journey: String, id: String },
}

impl Change {
    pub fn journey(&self) -> &str {
        match self {
            Change::Put { journey, .. } | Change::Delete { journey, .. } => journey,
        }
    }
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written; the file on disk had not changed since it was read.
    Written,
    /// The file had changed on disk; the changes were merged and written. `conflicts` notes
    /// were added to hold the losing side of notes edited on both sides.
    Merged { conflicts: usize },
    /// The journey's file is broken and was left as it is; the change was written to the
    /// recovered file beside it ([`NoteStore::path_of`] names it), merged first if that file
    /// or the broken one had changed on disk (`conflicts` as for `Merged`).
    Beside { conflicts: usize },
}

/// A save that failed: the change is kept in memory, and [`NoteStore::retry`] tries again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SaveError {
    pub path: String,
    pub message: String,
}

/// One analyst's notes on one journey as the store holds them: the journey's file, and the
/// recovered file beside it while that one is broken.
#[derive(Debug, Clone, Default)]
struct OwnFile {
    /// The notes as they are now, in memory, by id.
    notes: BTreeMap<String, Note>,
    /// The notes as last read from or written to disk, both files together, by id: the base of
    /// a merge with what is on disk now.
    base: BTreeMap<String, Note>,
    /// The notes of the journey's file as it last parsed or was written: the base of the merge
    /// that folds the recovered file back in, and what the recovered file is written over.
    file_base: BTreeMap<String, Note>,
    /// The notes of the recovered file as it last parsed or was written.
    beside_base: BTreeMap<String, Note>,
    /// The bytes of the journey's file last read or written, to tell whether it changed since.
    disk: Option<Vec<u8>>,
    /// The same for the recovered file.
    beside_disk: Option<Vec<u8>>,
    /// Memory differs from disk: a save failed or is pending.
    unsaved: bool,
    /// The journey's file could not be parsed: it is never written over.
    broken: bool,
    /// The recovered file could not be parsed: it is never written over or removed either.
    beside_broken: bool,
}

impl OwnFile {
    /// The journey's file parses (or is gone) and a recovered file is still beside it.
    fn to_fold(&self) -> bool {
        !self.broken && self.beside_disk.is_some() && !self.beside_broken
    }
}

/// Both files of one analyst's notes on one journey as read from disk (`None`: not there).
type Pair = (Option<Vec<u8>>, Option<Vec<u8>>);

/// Every analyst's notes under one folder; the own analyst's are editable.
#[derive(Debug, Clone)]
pub struct NoteStore {
    root: PathBuf,
    analyst: String,
    /// Own files, by journey id.
    own: BTreeMap<String, OwnFile>,
    /// Other analysts' notes, by (analyst, journey id): the journey's file and the recovered
    /// file beside it together.
    others: BTreeMap<(String, String), Annotations>,
    /// The other analysts with a file here, by name (kept with `others`).
    other_analysts: BTreeSet<String>,
    /// The bytes of other analysts' files as last read (broken ones too), to tell changes.
    others_disk: BTreeMap<(String, String), Pair>,
    /// The size and time of both files of each (analyst, journey) when last read, so that a
    /// refresh reads only what changed.
    stamps: HashMap<(String, String), (Stamp, Stamp)>,
    /// Problems met while saving, for the next [`NoteStore::refresh`] to report.
    found: Vec<Problem>,
}

impl NoteStore {
    /// Opens the store for `analyst` (already checked with
    /// [`crate::model::annotation::check_analyst`]) and reads every analyst's folder under
    /// `root`. A missing root is not a problem (it is made on the first save); unreadable or
    /// broken files are returned as problems and left untouched. A recovered file beside an own
    /// file that parses again is folded into it at once.
    pub fn open(root: &Path, analyst: &str) -> (NoteStore, Vec<Problem>) {
        let mut store = NoteStore {
            root: root.to_path_buf(),
            analyst: analyst.to_string(),
            ..NoteStore::empty()
        };
        let (_, problems) = store.refresh();
        (store, problems)
    }

    /// A store for `analyst` at `root` that has read nothing: for driving the app in tests
    /// without a folder. Nothing is read until [`NoteStore::refresh`], nothing written until a
    /// save.
    pub fn unread(root: &Path, analyst: &str) -> NoteStore {
        NoteStore {
            root: root.to_path_buf(),
            analyst: analyst.to_string(),
            ..NoteStore::empty()
        }
    }

    /// A store with no notes and no folder, for when there is nowhere to read notes from.
    pub fn empty() -> NoteStore {
        NoteStore {
            root: PathBuf::new(),
            analyst: String::new(),
            own: BTreeMap::new(),
            others: BTreeMap::new(),
            other_analysts: BTreeSet::new(),
            others_disk: BTreeMap::new(),
            stamps: HashMap::new(),
            found: Vec::new(),
        }
    }

    /// Reads every analyst's notes under `root`, for reading only: no analyst is its own, so
    /// nothing can be written.
    pub fn read(root: &Path) -> (NoteStore, Vec<Problem>) {
        NoteStore::open(root, "")
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn analyst(&self) -> &str {
        &self.analyst
    }

    /// The path the analyst's notes on a journey are saved to: `<journey>.ron`, or while that
    /// file is broken, the recovered file beside it.
    pub fn path_of(&self, journey: &str) -> PathBuf {
        match self.own.get(journey) {
            Some(file) if file.broken => self.beside_path(journey),
            _ => self.file_path(journey),
        }
    }

    /// The analyst's own file for a journey.
    fn file_path(&self, journey: &str) -> PathBuf {
        self.root.join(&self.analyst).join(format!("{journey}.ron"))
    }

    /// The recovered file beside the analyst's own file for a journey.
    fn beside_path(&self, journey: &str) -> PathBuf {
        self.root.join(&self.analyst).join(recovered_name(journey))
    }

    /// Every note on a step, of every analyst: the own analyst's first, then the others by
    /// name; within an analyst by id.
    pub fn notes_on(&self, journey: &str, step: &str) -> Vec<(&str, &Note)> {
        let mut out = self.journey_notes(journey);
        out.retain(|(_, n)| n.step == step);
        out
    }

    /// Every note on a journey, of every analyst: the own analyst's first, then the others by
    /// name; within an analyst by id. Costs what the journey holds, not what the folder holds.
    pub fn journey_notes(&self, journey: &str) -> Vec<(&str, &Note)> {
        let mut out: Vec<(&str, &Note)> = Vec::new();
        if let Some(file) = self.own.get(journey) {
            // By id already: the map is keyed by id.
            out.extend(file.notes.values().map(|n| (self.analyst.as_str(), n)));
        }
        for analyst in &self.other_analysts {
            let key = (analyst.clone(), journey.to_string());
            if let Some(annotations) = self.others.get(&key) {
                let mut notes: Vec<&Note> = annotations.notes.iter().collect();
                notes.sort_by(|a, b| a.id.cmp(&b.id));
                out.extend(notes.into_iter().map(|n| (analyst.as_str(), n)));
            }
        }
        out
    }

    /// The own analyst's note with this id in a journey.
    pub fn own_note(&self, journey: &str, id: &str) -> Option<&Note> {
        self.own.get(journey)?.notes.get(id)
    }

    /// Every note of every analyst, as (analyst, journey id, note).
    pub fn all(&self) -> Vec<(&str, &str, &Note)> {
        let own = self.own.iter().flat_map(|(journey, file)| {
            file.notes
                .values()
                .map(move |n| (self.analyst.as_str(), journey.as_str(), n))
        });
        let others = self.others.iter().flat_map(|((analyst, journey), a)| {
            a.notes
                .iter()
                .map(move |n| (analyst.as_str(), journey.as_str(), n))
        });
        own.chain(others).collect()
    }

    /// Applies a change in memory, then saves the journey's file at once (or the recovered file
    /// beside it, while it is broken). On error the change stays in memory, the journey is
    /// marked unsaved, and the error is returned.
    pub fn apply(&mut self, change: Change) -> Result<Saved, SaveError> {
        let journey = change.journey().to_string();
        self.stage(change);
        self.save_staged(&journey)
    }

    /// Applies a change in memory only, without touching the disk: the journey is marked
    /// unsaved if the change changed anything, for [`NoteStore::save_staged`] to write.
    pub fn stage(&mut self, change: Change) {
        let file = self.own.entry(change.journey().to_string()).or_default();
        let changed = match change {
            Change::Put { note, .. } => {
                let old = file.notes.insert(note.id.clone(), note.clone());
                old.as_ref() != Some(&note)
            }
            Change::Delete { id, .. } => file.notes.remove(&id).is_some(),
        };
        if changed {
            file.unsaved = true;
        }
    }

    /// Saves what is staged for a journey, as [`NoteStore::apply`] does; when nothing is (memory
    /// is what was last read or written), there is nothing to write.
    pub fn save_staged(&mut self, journey: &str) -> Result<Saved, SaveError> {
        match self.own.get(journey) {
            Some(file) if file.unsaved => self.save(journey),
            Some(file) if file.broken => Ok(Saved::Beside { conflicts: 0 }),
            _ => Ok(Saved::Written),
        }
    }

    /// The inverse of a change, as the store is now (before applying it): for `Put`, the old
    /// note back or a delete; for `Delete`, the note back. `None` when the change would do
    /// nothing.
    pub fn inverse(&self, change: &Change) -> Option<Change> {
        match change {
            Change::Put { journey, note } => match self.own_note(journey, &note.id) {
                Some(old) if old == note => None,
                Some(old) => Some(Change::Put {
                    journey: journey.clone(),
                    note: old.clone(),
                }),
                None => Some(Change::Delete {
                    journey: journey.clone(),
                    id: note.id.clone(),
                }),
            },
            Change::Delete { journey, id } => self.own_note(journey, id).map(|old| Change::Put {
                journey: journey.clone(),
                note: old.clone(),
            }),
        }
    }

    /// Journeys whose own notes have changes not yet on disk.
    pub fn unsaved(&self) -> Vec<&str> {
        self.own
            .iter()
            .filter(|(_, f)| f.unsaved)
            .map(|(j, _)| j.as_str())
            .collect()
    }

    /// Tries again to save every unsaved journey; returns the errors that remain.
    pub fn retry(&mut self) -> Vec<SaveError> {
        let journeys: Vec<String> = self.unsaved().into_iter().map(str::to_string).collect();
        journeys.iter().filter_map(|j| self.save(j).err()).collect()
    }

    /// Re-reads every file changed on disk since it was last read (the own analyst's, merged
    /// with unsaved changes by the rules above; others' replaced), and reads files that are new.
    /// An own recovered file whose journey's file parses again is folded into it and removed.
    /// Returns whether anything changed, and the problems met.
    pub fn refresh(&mut self) -> (bool, Vec<Problem>) {
        let scan = scan(&self.root);
        self.refresh_from(scan)
    }

    /// [`NoteStore::refresh`] from a [`scan`] of the folder made before, on any thread: only
    /// files whose size or modification time differ from when they were last read are read
    /// again, and those are read and parsed on every core.
    pub fn refresh_from(&mut self, scan: Scan) -> (bool, Vec<Problem>) {
        let mut problems = std::mem::take(&mut self.found);
        problems.extend(scan.problems);
        let mut changed = false;
        let Some(folders) = scan.folders else {
            return (false, problems);
        };
        // Analysts whose folder could not be listed: their files are not known to be gone.
        let mut unreadable: BTreeSet<String> = BTreeSet::new();
        let mut own_seen: BTreeSet<String> = BTreeSet::new();
        let mut others_seen: BTreeSet<(String, String)> = BTreeSet::new();
        let mut to_read: Vec<ToRead> = Vec::new();
        for folder in folders {
            let Some(files) = folder.files else {
                unreadable.insert(folder.analyst);
                continue;
            };
            let own = folder.analyst == self.analyst;
            for (journey, stamps) in files {
                let key = (folder.analyst.clone(), journey.clone());
                if own {
                    own_seen.insert(journey.clone());
                } else {
                    others_seen.insert(key.clone());
                }
                let trusted = !racy(&stamps.0, scan.taken) && !racy(&stamps.1, scan.taken);
                if trusted && self.stamps.get(&key) == Some(&stamps) {
                    continue;
                }
                to_read.push(ToRead {
                    file: folder.path.join(format!("{journey}.ron")),
                    beside: folder.path.join(recovered_name(&journey)),
                    key,
                    own,
                    stamps,
                });
            }
        }
        // Reading and parsing are the bulk of the work and each file stands alone.
        let read = crate::store::parallel_map(&to_read, |t| {
            let (main, side) = (read_optional(&t.file), read_optional(&t.beside));
            let mut parsed = Parsed::default();
            for (path, bytes) in [(&t.file, &main), (&t.beside, &side)] {
                if let Ok(Some(bytes)) = bytes {
                    let shown = path.display().to_string();
                    let result = read_file(&shown, bytes, &t.key.0, &t.key.1);
                    parsed.insert(shown, result);
                }
            }
            (main, side, parsed)
        });
        for (t, (main, side, mut parsed)) in to_read.into_iter().zip(read) {
            let ToRead {
                key,
                own,
                file,
                beside,
                stamps,
            } = t;
            let pair = match (main, side) {
                // Both gone since the folder was listed.
                (Ok(None), Ok(None)) => {
                    if own {
                        own_seen.remove(&key.1);
                    } else {
                        others_seen.remove(&key);
                    }
                    continue;
                }
                (Ok(main), Ok(side)) => (main, side),
                (main, side) => {
                    for (path, e) in [(&file, main.err()), (&beside, side.err())] {
                        if let Some(e) = e {
                            problems.push(Problem::new(
                                path.display().to_string(),
                                None,
                                format!("could not read: {e}"),
                            ));
                        }
                    }
                    // Unknown, not gone: keep what memory holds.
                    continue;
                }
            };
            self.stamps.insert(key.clone(), stamps);
            let (analyst, journey) = key.clone();
            if own {
                changed |= self.take_in(&journey, pair, &mut parsed, &mut problems).0;
                continue;
            }
            if self.others_disk.get(&key) == Some(&pair) {
                continue;
            }
            let sides = [(&file, &pair.0), (&beside, &pair.1)];
            let mut found = Vec::new();
            let annotations = read_others(sides, &analyst, &journey, &mut parsed, &mut found);
            // A file's problem is reported when it is read anew, not when the other changes.
            let old = self.others_disk.get(&key);
            for (path, bytes, old) in [
                (&file, &pair.0, old.map(|o| &o.0)),
                (&beside, &pair.1, old.map(|o| &o.1)),
            ] {
                if old != Some(bytes) {
                    let shown = path.display().to_string();
                    problems.extend(found.iter().filter(|p| p.path == shown).cloned());
                }
            }
            match annotations {
                Some(annotations) => {
                    self.others.insert(key.clone(), annotations);
                    changed = true;
                }
                None => changed |= self.others.remove(&key).is_some(),
            }
            self.others_disk.insert(key, pair);
        }
        // Files gone from disk.
        if !unreadable.contains(&self.analyst) {
            let gone: Vec<String> = self
                .own
                .keys()
                .filter(|j| !own_seen.contains(*j))
                .cloned()
                .collect();
            for journey in gone {
                // The scan may be older than a save that made the file since: gone only if it
                // is not there now.
                let now = (
                    read_optional(&self.file_path(&journey)),
                    read_optional(&self.beside_path(&journey)),
                );
                let (Ok(main), Ok(side)) = now else {
                    continue;
                };
                self.stamps.remove(&(self.analyst.clone(), journey.clone()));
                let none = &mut Parsed::default();
                changed |= self.take_in(&journey, (main, side), none, &mut problems).0;
            }
        }
        let gone: Vec<(String, String)> = self
            .others_disk
            .keys()
            .filter(|k| !others_seen.contains(*k) && !unreadable.contains(&k.0))
            .cloned()
            .collect();
        for key in gone {
            let folder = self.root.join(&key.0);
            let there = [format!("{}.ron", key.1), recovered_name(&key.1)]
                .iter()
                .any(|name| folder.join(name).exists());
            if there {
                // Made since the scan; the next one reads it.
                continue;
            }
            self.stamps.remove(&key);
            self.others_disk.remove(&key);
            changed |= self.others.remove(&key).is_some();
        }
        self.other_analysts = self.others.keys().map(|(a, _)| a.clone()).collect();
        // Recovered files whose journey's file parses again go back into it.
        let to_fold: Vec<String> = self
            .own
            .iter()
            .filter(|(_, f)| f.to_fold())
            .map(|(j, _)| j.clone())
            .collect();
        for journey in to_fold {
            if let Err(e) = self.save(&journey) {
                problems.push(Problem::new(e.path, None, e.message));
            }
        }
        problems.append(&mut self.found);
        (changed, problems)
    }

    /// Takes in the own files of a journey as they are on disk now: the journey's file and the
    /// recovered file beside it (`None`: not there). Returns whether the notes in memory
    /// changed, and how many conflict notes a merge added.
    fn take_in(
        &mut self,
        journey: &str,
        pair: Pair,
        parsed: &mut Parsed,
        problems: &mut Vec<Problem>,
    ) -> (bool, usize) {
        let shown = self.file_path(journey).display().to_string();
        let beside_shown = self.beside_path(journey).display().to_string();
        let analyst = self.analyst.clone();
        let file = self.own.entry(journey.to_string()).or_default();
        if (&pair.0, &pair.1) == (&file.disk, &file.beside_disk) {
            return (false, 0);
        }
        let (main, side) = pair;
        // A file's problem is reported when it is read anew, not again when the other changes.
        let (main_new, side_new) = (main != file.disk, side != file.beside_disk);
        let mut report = |p: Problem, new: bool| {
            if new {
                problems.push(p);
            }
        };
        let before = file.notes.clone();
        let mut conflicts = 0;
        // The recovered file's notes; while it does not parse, those it held when it last did.
        let beside = match &side {
            None => {
                file.beside_broken = false;
                BTreeMap::new()
            }
            Some(bytes) => match parsed.take(&beside_shown, bytes, &analyst, journey) {
                Ok(annotations) => {
                    file.beside_broken = false;
                    by_id(annotations.notes)
                }
                Err(p) => {
                    report(p, side_new);
                    file.beside_broken = true;
                    file.beside_base.clone()
                }
            },
        };
        let parsed = match &main {
            None => Some(BTreeMap::new()),
            Some(bytes) => match parsed.take(&shown, bytes, &analyst, journey) {
                Ok(annotations) => Some(by_id(annotations.notes)),
                Err(mut p) => {
                    p.message.push_str(&format!(
                        "; until it is repaired, notes on this journey are saved beside it in {}",
                        recovered_name(journey)
                    ));
                    report(p, main_new);
                    None
                }
            },
        };
        match parsed {
            // Broken: taken to hold what it held when it last parsed, under the recovered file.
            None => {
                let theirs = overlay(&file.file_base, &beside);
                if file.unsaved {
                    let (merged, c) = merge(&file.base, &file.notes, &theirs);
                    file.notes = merged;
                    conflicts += c;
                } else {
                    file.notes = theirs.clone();
                }
                file.base = theirs;
                file.broken = true;
            }
            Some(theirs) if side.is_none() => {
                if file.unsaved {
                    let (merged, c) = merge(&file.base, &file.notes, &theirs);
                    file.notes = merged;
                    conflicts += c;
                } else {
                    file.notes = theirs.clone();
                }
                file.base = theirs.clone();
                file.file_base = theirs;
                file.broken = false;
            }
            // Parses, with a recovered file beside it: first take in what the recovered file
            // holds now, then merge the result with the file, whose base is what it held when
            // it last parsed. Memory then holds every note of both, to be written to the file.
            Some(theirs) => {
                let (ours, c1) = merge(&file.base, &file.notes, &overlay(&file.file_base, &beside));
                let (merged, c2) = merge(&file.file_base, &ours, &theirs);
                conflicts += c1 + c2;
                file.notes = merged;
                file.unsaved = file.notes != theirs || !file.beside_broken;
                file.base = theirs.clone();
                file.file_base = theirs;
                file.broken = false;
            }
        }
        file.beside_base = beside;
        file.disk = main;
        file.beside_disk = side;
        (file.notes != before, conflicts)
    }

    /// Saves the own notes on a journey: merged with the files on disk if they changed since
    /// they were last read or written, then written atomically to the journey's file (and the
    /// recovered file beside it removed), or while that file is broken, to the recovered file.
    fn save(&mut self, journey: &str) -> Result<Saved, SaveError> {
        let path = self.file_path(journey);
        let beside_path = self.beside_path(journey);
        let shown = path.display().to_string();
        let beside_shown = beside_path.display().to_string();
        let error = |path: &str, message: String| SaveError {
            path: path.to_string(),
            message,
        };
        let read = |p: &Path, shown: &str| {
            read_optional(p).map_err(|e| {
                error(
                    shown,
                    format!("could not save: could not read it first: {e}"),
                )
            })
        };
        let pair = (read(&path, &shown)?, read(&beside_path, &beside_shown)?);
        let file = self.own.entry(journey.to_string()).or_default();
        let merged = if (&pair.0, &pair.1) != (&file.disk, &file.beside_disk) {
            let mut problems = Vec::new();
            let (_, conflicts) = self.take_in(journey, pair, &mut Parsed::default(), &mut problems);
            self.found.extend(problems);
            Some(conflicts)
        } else {
            None
        };
        let analyst = self.analyst.clone();
        let file = self.own.entry(journey.to_string()).or_default();
        if !file.broken {
            let bytes = to_bytes(&analyst, journey, &file.notes)
                .map_err(|e| error(&shown, format!("could not save: {e}")))?;
            write_atomic(&path, &bytes)
                .map_err(|e| error(&shown, format!("could not save: {e}")))?;
            file.base = file.notes.clone();
            file.file_base = file.notes.clone();
            file.disk = Some(bytes);
            // Only now that the file holds every note is the recovered file removed.
            if file.to_fold() {
                remove_durably(&beside_path).map_err(|e| {
                    error(
                        &beside_shown,
                        format!(
                            "the notes in it are saved in {journey}.ron too, but it could not be \
                             removed: {e}"
                        ),
                    )
                })?;
                file.beside_disk = None;
                file.beside_base.clear();
            }
            file.unsaved = false;
            return Ok(match merged {
                None => Saved::Written,
                Some(conflicts) => Saved::Merged { conflicts },
            });
        }
        if file.beside_broken {
            return Err(error(
                &shown,
                format!(
                    "the file on disk is broken, and so is {} beside it; both are left as they \
                     are, and the change is kept in memory until one is repaired",
                    recovered_name(journey)
                ),
            ));
        }
        // The notes that differ from what the broken file held when it last parsed.
        let beside: BTreeMap<String, Note> = file
            .notes
            .iter()
            .filter(|(id, n)| file.file_base.get(*id) != Some(*n))
            .map(|(id, n)| (id.clone(), n.clone()))
            .collect();
        let bytes = to_bytes(&analyst, journey, &beside)
            .map_err(|e| error(&beside_shown, format!("could not save: {e}")))?;
        if file.beside_disk.as_ref() != Some(&bytes) {
            write_atomic(&beside_path, &bytes)
                .map_err(|e| error(&beside_shown, format!("could not save: {e}")))?;
        }
        file.base = overlay(&file.file_base, &beside);
        file.beside_base = beside;
        file.beside_disk = Some(bytes);
        // A note deleted here that the broken file holds: no file can say so yet.
        if let Some(id) = file
            .file_base
            .keys()
            .find(|id| !file.notes.contains_key(*id))
        {
            return Err(error(
                &shown,
                format!(
                    "the file on disk is broken and is left as it is; it still holds note {id}, \
                     deleted here, and the deletion is kept in memory until the file is repaired"
                ),
            ));
        }
        file.unsaved = false;
        Ok(Saved::Beside {
            conflicts: merged.unwrap_or(0),
        })
    }
}

/// What `terreng check` reports of an annotation folder beyond broken files: codes that are not
/// in the catalogue, notes whose journey or step is gone (orphans, kept but reported), and note
/// ids used twice across files. Each problem names the file and the line of the note: the
/// recovered file beside the journey's file when the note is there (its version is the one
/// shown), else the journey's file.
pub fn audit(store: &NoteStore, journeys: &[Journey], terrain: &Terrain) -> Vec<Problem> {
    // First what is wrong, by note, with indexes so a large folder costs one pass…
    let steps: std::collections::HashMap<&str, BTreeSet<&str>> = journeys
        .iter()
        .map(|j| {
            (
                j.id.as_str(),
                j.steps.iter().map(|s| s.id.as_str()).collect(),
            )
        })
        .collect();
    let mut seen: std::collections::HashMap<&str, (&str, &str)> = std::collections::HashMap::new();
    let mut wrong: Vec<(&str, &str, &Note, String)> = Vec::new();
    for (analyst, journey, note) in store.all() {
        match steps.get(journey) {
            None => wrong.push((analyst, journey, note, format!(
                "note {} is on journey '{journey}', which is not in the data; it is kept as an orphan",
                note.id
            ))),
            Some(ids) if !ids.contains(note.step.as_str()) => wrong.push((analyst, journey, note, format!(
                "note {} is on step '{}', which journey '{journey}' no longer has; it is kept as an orphan",
                note.id, note.step
            ))),
            Some(_) => {}
        }
        for code in &note.codes {
            if terrain.feature(code).is_none() {
                let known = terrain.features().map(|(_, f)| f.id.as_str());
                wrong.push((
                    analyst,
                    journey,
                    note,
                    format!(
                        "note {} has code '{code}', which is not in the catalogue{}",
                        note.id,
                        crate::store::suggest::did_you_mean(code, known)
                    ),
                ));
            }
        }
        if let Some((a, j)) = seen.insert(&note.id, (analyst, journey)) {
            let first = store.root.join(a).join(format!("{j}.ron"));
            wrong.push((
                analyst,
                journey,
                note,
                format!(
                    "note id {} is used twice (also in {})",
                    note.id,
                    first.display()
                ),
            ));
        }
    }
    // …then, for those only, the file and line each note is on.
    let mut texts: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    wrong
        .into_iter()
        .map(|(analyst, journey, note, message)| {
            let folder = store.root.join(analyst);
            let file = folder.join(format!("{journey}.ron"));
            let places = [folder.join(recovered_name(journey)), file.clone()];
            let found = places.into_iter().find_map(|path| {
                let text = texts
                    .entry(path.clone())
                    .or_insert_with(|| std::fs::read_to_string(&path).ok());
                let at = text.as_deref().and_then(|t| {
                    locate::find_string(t, &note.id, 0).map(|i| locate::line_col(t, i))
                })?;
                Some((path, at))
            });
            let (path, at) = match found {
                Some((path, at)) => (path, Some(at)),
                None => (file, None),
            };
            Problem::new(path.display().to_string(), at, message)
        })
        .collect()
}

/// The pretty-printing every annotation file is written with: each note and each of its
/// fields on a line of its own, strings escaped so that a note's text stays on one line.
fn pretty() -> PrettyConfig {
    PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .new_line("\n")
        .escape_strings(true)
        .compact_structs(false)
        .compact_arrays(false)
}

/// The text of an annotation file, ending with a newline: notes sorted by step then id, each
/// field on its own line — what every save writes.
pub fn to_bytes(
    analyst: &str,
    journey: &str,
    notes: &BTreeMap<String, Note>,
) -> Result<Vec<u8>, String> {
    let mut annotations = Annotations::new(analyst, journey);
    annotations.notes = notes.values().cloned().collect();
    annotations.sort();
    let mut text = ron::ser::to_string_pretty(&annotations, pretty()).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// Reads an annotation file and checks it belongs where it is.
fn read_file(
    shown: &str,
    bytes: &[u8],
    analyst: &str,
    journey: &str,
) -> Result<Annotations, Problem> {
    let text = parse::as_text(shown, bytes, "Annotations")?;
    let annotations: Annotations = parse::parse(shown, text)?;
    let at = |key: &str| locate::find_key(text, key, 0).map(|i| locate::line_col(text, i));
    if annotations.analyst != analyst {
        return Err(Problem::new(
            shown,
            at("analyst"),
            format!(
                "the file says analyst '{}' but is in the folder of '{analyst}'; it is not used",
                annotations.analyst
            ),
        ));
    }
    if annotations.journey != journey {
        let name = Path::new(shown).file_name().map_or_else(
            || format!("{journey}.ron"),
            |n| n.to_string_lossy().into_owned(),
        );
        return Err(Problem::new(
            shown,
            at("journey"),
            format!(
                "the file says journey '{}' but is named '{name}'; it is not used",
                annotations.journey
            ),
        ));
    }
    let mut ids = BTreeSet::new();
    for note in &annotations.notes {
        if !ids.insert(note.id.as_str()) {
            let at = locate::find_string(text, &note.id, 0)
                .and_then(|first| locate::find_string(text, &note.id, first + 1))
                .map(|i| locate::line_col(text, i));
            return Err(Problem::new(
                shown,
                at,
                format!("note id '{}' appears twice; the file is not used", note.id),
            ));
        }
    }
    Ok(annotations)
}

/// Another analyst's notes on a journey: its file and the recovered file beside it (path and
/// bytes, if there), read and laid over each other. `None` when neither can be used; a file
/// that does not parse is a problem.
fn read_others(
    files: [(&PathBuf, &Option<Vec<u8>>); 2],
    analyst: &str,
    journey: &str,
    parsed: &mut Parsed,
    problems: &mut Vec<Problem>,
) -> Option<Annotations> {
    let [file, beside] = files.map(|(path, bytes)| {
        let bytes = bytes.as_ref()?;
        parsed
            .take(&path.display().to_string(), bytes, analyst, journey)
            .map_err(|p| problems.push(p))
            .ok()
    });
    match (file, beside) {
        (None, None) => None,
        // The usual case, one file: taken as it is, its notes in the file's order.
        (Some(one), None) | (None, Some(one)) => Some(one),
        (Some(file), Some(beside)) => {
            let notes = overlay(&by_id(file.notes), &by_id(beside.notes));
            let mut annotations = Annotations::new(analyst, journey);
            annotations.notes = notes.into_values().collect();
            Some(annotations)
        }
    }
}

fn by_id(notes: Vec<Note>) -> BTreeMap<String, Note> {
    notes.into_iter().map(|n| (n.id.clone(), n)).collect()
}

/// A journey's notes from its file and the recovered file beside it, which was written over
/// the file's notes: its version of a note wins.
fn overlay(
    file: &BTreeMap<String, Note>,
    beside: &BTreeMap<String, Note>,
) -> BTreeMap<String, Note> {
    let mut notes = file.clone();
    notes.extend(beside.iter().map(|(id, n)| (id.clone(), n.clone())));
    notes
}

/// The name of the recovered file beside a journey's file: `<journey>.recovered.ron`.
fn recovered_name(journey: &str) -> String {
    format!("{journey}{RECOVERED}.ron")
}

/// The journey a file (by its name without `.ron`) holds notes on: a recovered file's is its
/// name without `.recovered`.
fn journey_of(stem: &str) -> &str {
    match stem.strip_suffix(RECOVERED) {
        Some(journey) if !journey.is_empty() => journey,
        _ => stem,
    }
}

/// A file's size and modification time (`None`: not there), to tell whether it changed
/// without reading it.
type Stamp = Option<(u64, SystemTime)>;

/// A stamp this recent may not show a change made in the same tick of a coarse clock (some
/// file systems keep whole seconds), so the file is read whatever its stamp says.
const RACY: Duration = Duration::from_secs(2);

fn racy(stamp: &Stamp, taken: SystemTime) -> bool {
    stamp.is_some_and(|(_, modified)| {
        taken
            .duration_since(modified)
            .map_or(true, |age| age < RACY)
    })
}

/// What a look at an annotation folder found, for [`NoteStore::refresh_from`]: each analyst's
/// folder with the journeys that have files there and the stamps of both files. Made by
/// [`scan`], which only lists and stats, so it can run on another thread.
#[derive(Debug)]
pub struct Scan {
    taken: SystemTime,
    /// `None` when the root could not be read.
    folders: Option<Vec<ScannedFolder>>,
    problems: Vec<Problem>,
}

#[derive(Debug)]
struct ScannedFolder {
    analyst: String,
    path: PathBuf,
    /// `None` when the folder could not be read. By journey: its file's and its recovered
    /// file's stamps.
    files: Option<BTreeMap<String, (Stamp, Stamp)>>,
}

/// One (analyst, journey) whose files are read in a refresh.
struct ToRead {
    key: (String, String),
    own: bool,
    file: PathBuf,
    beside: PathBuf,
    stamps: (Stamp, Stamp),
}

/// Files parsed ahead, on every core, by the path shown in messages; taken once each.
#[derive(Default)]
struct Parsed(HashMap<String, Result<Annotations, Problem>>);

impl Parsed {
    fn insert(&mut self, shown: String, result: Result<Annotations, Problem>) {
        self.0.insert(shown, result);
    }

    /// The file parsed ahead, or parsed now.
    fn take(
        &mut self,
        shown: &str,
        bytes: &[u8],
        analyst: &str,
        journey: &str,
    ) -> Result<Annotations, Problem> {
        self.0
            .remove(shown)
            .unwrap_or_else(|| read_file(shown, bytes, analyst, journey))
    }
}

/// Lists every analyst's folder under `root` with the size and time of each file.
pub fn scan(root: &Path) -> Scan {
    let taken = SystemTime::now();
    let mut problems = Vec::new();
    let folders = list_dir(root, &mut problems, true).map(|folders| {
        folders
            .into_iter()
            .map(|(analyst, path)| {
                let files = list_dir(&path, &mut problems, false).map(|files| {
                    let mut by_journey: BTreeMap<String, (Stamp, Stamp)> = BTreeMap::new();
                    for (stem, file) in files {
                        // A file whose stamp cannot be had is given the time of the scan, so
                        // that it is always read.
                        let stamp = match std::fs::metadata(&file) {
                            Ok(m) => Some((m.len(), m.modified().unwrap_or(taken))),
                            Err(_) => Some((u64::MAX, taken)),
                        };
                        let journey = journey_of(&stem);
                        let entry = by_journey.entry(journey.to_string()).or_default();
                        if journey == stem {
                            entry.0 = stamp;
                        } else {
                            entry.1 = stamp;
                        }
                    }
                    by_journey
                });
                ScannedFolder {
                    analyst,
                    path,
                    files,
                }
            })
            .collect()
    });
    Scan {
        taken,
        folders,
        problems,
    }
}

/// A file's bytes; `None` when it is not there.
fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if is_absent(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Not there: the file or a folder above it is missing (or is a plain file).
fn is_absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// The entries of a folder: sub-folders (`folders`) or `.ron` files, by name, without hidden
/// ones. `None` when the folder could not be read (a problem is added unless it is missing,
/// in which case it is empty).
fn list_dir(
    dir: &Path,
    problems: &mut Vec<Problem>,
    folders: bool,
) -> Option<Vec<(String, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if is_absent(&e) => return Some(Vec::new()),
        Err(e) => {
            problems.push(Problem::new(
                dir.display().to_string(),
                None,
                format!("could not read the folder: {e}"),
            ));
            return None;
        }
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if folders {
            if path.is_dir() {
                out.push((name, path));
            }
        } else if let Some(stem) = name.strip_suffix(".ron")
            && !stem.is_empty()
            && path.is_file()
        {
            out.push((stem.to_string(), path));
        }
    }
    out.sort();
    Some(out)
}

/// Writes `bytes` to `path` so that a crash leaves the old file or the new one: a temporary
/// file in the same folder, fsynced, renamed over the target, then the folder fsynced. The
/// temporary file never outlives an error.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("the file has no folder"))?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("the file has no name"))?
        .to_string_lossy();
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename is what makes the new file durable; some systems cannot fsync a folder, and
    // the file is in place either way.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes a file and fsyncs its folder, so that the removal is on disk before anything that
/// follows. A file already gone is not an error.
fn remove_durably(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if is_absent(&e) => return Ok(()),
        Err(e) => return Err(e),
    }
    if let Some(d) = path.parent().and_then(|dir| File::open(dir).ok()) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Merges the notes of one file by id: `base` as last read or written, `ours` in memory,
/// `theirs` on disk now. Returns the merged notes and how many conflict notes were added.
///
/// - new on either side: kept (new on both with different content: a conflict, as below);
/// - deleted on one side, untouched on the other: deleted; edited on the other: the edit kept;
/// - edited on one side only: that edit;
/// - edited on both sides differently: the newer `updated` wins (a tie goes to the disk),
///   and the other version is kept as a new note with `conflict_of` set to the id.
fn merge(
    base: &BTreeMap<String, Note>,
    ours: &BTreeMap<String, Note>,
    theirs: &BTreeMap<String, Note>,
) -> (BTreeMap<String, Note>, usize) {
    let mut merged = BTreeMap::new();
    let mut losers = Vec::new();
    let ids: BTreeSet<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    for id in ids {
        let b = base.get(id);
        let o = ours.get(id);
        let t = theirs.get(id);
        let keep = match (o, t) {
            (None, None) => None,
            // Present on one side only: new there, or deleted on the other.
            (Some(x), None) | (None, Some(x)) => match b {
                Some(b) if b == x => None,
                _ => Some(x.clone()),
            },
            (Some(o), Some(t)) if o == t => Some(t.clone()),
            (Some(o), Some(t)) if b == Some(o) => Some(t.clone()),
            (Some(o), Some(t)) if b == Some(t) => Some(o.clone()),
            (Some(o), Some(t)) => {
                let (winner, loser) = if o.updated > t.updated {
                    (o, t)
                } else {
                    (t, o)
                };
                losers.push(loser.clone());
                Some(winner.clone())
            }
        };
        if let Some(note) = keep {
            merged.insert(id.clone(), note);
        }
    }
    let conflicts = losers.len();
    for loser in losers {
        let note = Note {
            id: new_id(),
            conflict_of: Some(loser.id.clone()),
            ..loser
        };
        merged.insert(note.id.clone(), note);
    }
    (merged, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str, text: &str, updated: &str) -> Note {
        Note {
            id: id.into(),
            step: "s01".into(),
            codes: vec!["o1".into()],
            text: text.into(),
            created: "2026-01-01T00:00:00Z".into(),
            updated: updated.into(),
            conflict_of: None,
        }
    }

    fn map(notes: &[Note]) -> BTreeMap<String, Note> {
        by_id(notes.to_vec())
    }

    const T1: &str = "2026-01-01T00:00:01Z";
    const T2: &str = "2026-01-01T00:00:02Z";
    const T3: &str = "2026-01-01T00:00:03Z";

    #[test]
    fn unchanged_sides_merge_to_the_base() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let (merged, conflicts) = merge(&base, &base, &base);
        assert_eq!(merged, base);
        assert_eq!(conflicts, 0);
    }

    #[test]
    fn a_note_new_on_either_side_is_kept() {
        let base = map(&[note("a", "x", T1)]);
        let ours = map(&[note("a", "x", T1), note("o", "ours", T2)]);
        let theirs = map(&[note("a", "x", T1), note("t", "theirs", T2)]);
        let (merged, conflicts) = merge(&base, &ours, &theirs);
        assert_eq!(conflicts, 0);
        assert_eq!(merged.keys().collect::<Vec<_>>(), ["a", "o", "t"]);
        assert_eq!(merged["o"].text, "ours");
        assert_eq!(merged["t"].text, "theirs");
    }

    #[test]
    fn a_note_new_on_both_sides_the_same_is_kept_once() {
        let base = map(&[]);
        let both = map(&[note("n", "same", T2)]);
        let (merged, conflicts) = merge(&base, &both, &both);
        assert_eq!((merged, conflicts), (both, 0));
    }

    #[test]
    fn a_note_deleted_on_one_side_and_untouched_on_the_other_is_deleted() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let without_a = map(&[note("b", "y", T1)]);
        let without_b = map(&[note("a", "x", T1)]);
        // Deleted by us.
        let (merged, _) = merge(&base, &without_a, &base);
        assert_eq!(merged, without_a);
        // Deleted on disk.
        let (merged, _) = merge(&base, &base, &without_b);
        assert_eq!(merged, without_b);
        // Deleted on both.
        let (merged, c) = merge(&base, &without_a, &without_a);
        assert_eq!((merged, c), (without_a, 0));
    }

    #[test]
    fn a_note_deleted_on_one_side_and_edited_on_the_other_keeps_the_edit() {
        let base = map(&[note("a", "x", T1)]);
        let edited = map(&[note("a", "edited", T2)]);
        let empty = map(&[]);
        let (merged, conflicts) = merge(&base, &edited, &empty);
        assert_eq!((merged, conflicts), (edited.clone(), 0));
        let (merged, conflicts) = merge(&base, &empty, &edited);
        assert_eq!((merged, conflicts), (edited, 0));
    }

    #[test]
    fn a_note_edited_on_one_side_only_takes_that_edit() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let ours = map(&[note("a", "ours", T2), note("b", "y", T1)]);
        let theirs = map(&[note("a", "x", T1), note("b", "theirs", T3)]);
        let (merged, conflicts) = merge(&base, &ours, &theirs);
        assert_eq!(conflicts, 0);
        assert_eq!(merged["a"].text, "ours");
        assert_eq!(merged["b"].text, "theirs");
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn the_same_edit_on_both_sides_is_no_conflict() {
        let base = map(&[note("a", "x", T1)]);
        let both = map(&[note("a", "same", T2)]);
        assert_eq!(merge(&base, &both, &both), (both, 0));
    }

    fn conflict_case(ours_updated: &str, theirs_updated: &str) -> (BTreeMap<String, Note>, usize) {
        let base = map(&[note("a", "x", T1)]);
        let mut o = note("a", "ours", ours_updated);
        o.step = "s02".into();
        let ours = map(&[o]);
        let theirs = map(&[note("a", "theirs", theirs_updated)]);
        merge(&base, &ours, &theirs)
    }

    fn the_conflict(merged: &BTreeMap<String, Note>) -> &Note {
        let conflicts: Vec<&Note> = merged
            .values()
            .filter(|n| n.conflict_of.is_some())
            .collect();
        assert_eq!(conflicts.len(), 1, "{merged:#?}");
        conflicts[0]
    }

    #[test]
    fn both_edited_the_newer_wins_and_the_other_becomes_a_conflict_note() {
        // Ours is newer.
        let (merged, conflicts) = conflict_case(T3, T2);
        assert_eq!(conflicts, 1);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged["a"].text, "ours");
        let c = the_conflict(&merged);
        assert_eq!(c.text, "theirs");
        assert_eq!(c.conflict_of.as_deref(), Some("a"));
        assert_eq!(c.step, "s01", "the losing side's step");
        assert_eq!(c.codes, ["o1"]);
        assert_ne!(c.id, "a");
        assert_eq!(c.id.len(), 26, "a fresh ULID");
        // Theirs is newer.
        let (merged, conflicts) = conflict_case(T2, T3);
        assert_eq!(conflicts, 1);
        assert_eq!(merged["a"].text, "theirs");
        let c = the_conflict(&merged);
        assert_eq!(c.text, "ours");
        assert_eq!(c.step, "s02");
        assert_eq!(c.conflict_of.as_deref(), Some("a"));
    }

    #[test]
    fn both_edited_at_the_same_second_the_disk_wins() {
        let (merged, conflicts) = conflict_case(T2, T2);
        assert_eq!(conflicts, 1);
        assert_eq!(merged["a"].text, "theirs");
        assert_eq!(the_conflict(&merged).text, "ours");
    }

    #[test]
    fn a_note_new_on_both_sides_with_different_content_is_a_conflict() {
        let base = map(&[]);
        let (merged, conflicts) = merge(
            &base,
            &map(&[note("n", "ours", T3)]),
            &map(&[note("n", "theirs", T2)]),
        );
        assert_eq!(conflicts, 1);
        assert_eq!(merged["n"].text, "ours");
        assert_eq!(the_conflict(&merged).text, "theirs");
    }

    #[test]
    fn several_conflicts_are_counted() {
        let base = map(&[note("a", "x", T1), note("b", "y", T1)]);
        let ours = map(&[note("a", "oa", T2), note("b", "ob", T3)]);
        let theirs = map(&[note("a", "ta", T3), note("b", "tb", T2)]);
        let (merged, conflicts) = merge(&base, &ours, &theirs);
        assert_eq!(conflicts, 2);
        assert_eq!(merged.len(), 4);
        assert_eq!(merged["a"].text, "ta");
        assert_eq!(merged["b"].text, "ob");
    }

    #[test]
    fn a_recovered_file_belongs_to_its_journey_and_wins_over_it() {
        assert_eq!(recovered_name("g06"), "g06.recovered.ron");
        assert_eq!(journey_of("g06.recovered"), "g06");
        assert_eq!(journey_of("g06"), "g06");
        // Only the last part, and never an empty journey id.
        assert_eq!(journey_of("a.recovered.recovered"), "a.recovered");
        assert_eq!(journey_of(".recovered"), ".recovered");
        assert_eq!(journey_of("recovered"), "recovered");
        let file = map(&[note("a", "file", T1), note("b", "file", T1)]);
        let beside = map(&[note("b", "beside", T2), note("c", "beside", T2)]);
        let both = overlay(&file, &beside);
        let texts: Vec<&str> = both.values().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["file", "beside", "beside"]);
    }

    #[test]
    fn the_file_text_puts_every_field_on_its_own_line_and_ends_with_a_newline() {
        let notes = map(&[note("a", "two\nlines \"q\"", T1)]);
        let text = String::from_utf8(to_bytes("hh", "g06", &notes).unwrap()).unwrap();
        assert!(text.starts_with("Annotations(\n"), "{text}");
        assert!(text.ends_with(")\n"), "{text}");
        for field in ["id:", "step:", "codes:", "text:", "created:", "updated:"] {
            assert_eq!(
                text.lines()
                    .filter(|l| l.trim_start().starts_with(field))
                    .count(),
                1,
                "{field} in {text}"
            );
        }
        assert!(!text.contains("conflict_of"), "None is left out: {text}");
        let back: Annotations = parse::parse("x", &text).unwrap();
        assert_eq!(back.notes, notes.values().cloned().collect::<Vec<_>>());
    }
}
