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
//!
//! The rooms: [`save`] writes (under the folder's lock), [`merge`] decides what a merge keeps,
//! [`scan`] lists and re-reads the folder, [`codec`] turns files into notes and back, and
//! [`audit`] finds what `terreng check` reports. Every byte read or written goes through
//! [`crate::store::fs`].

mod audit;
mod codec;
mod merge;
mod save;
mod scan;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::model::annotation::{Annotations, Note};
use crate::store::Problem;
use crate::store::fs;

pub use audit::{Steps, audit};
pub use codec::to_bytes;
pub use scan::{Scan, scan};

use codec::recovered_name;
use scan::Stamp;

/// A change to the analyst's own notes; undo applies the inverse change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Add the note, or replace the note with the same id.
    Put { journey: String, note: Note },
    /// Remove the note with this id.
    Delete { journey: String, id: String },
    /// Replace a note with an edit of it made from `from`, the version the editor opened. If
    /// the note has changed since (another window saved it, and this one read that in), both
    /// edits are kept: the newer under the note's id, the other as a conflict copy, however
    /// long the editor was open.
    Edit {
        journey: String,
        from: Note,
        note: Note,
    },
}

impl Change {
    pub fn journey(&self) -> &str {
        match self {
            Change::Put { journey, .. }
            | Change::Delete { journey, .. }
            | Change::Edit { journey, .. } => journey,
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
    /// The journey's file as last read or written, to tell whether it changed since.
    disk: Option<Print>,
    /// The same for the recovered file.
    beside_disk: Option<Print>,
    /// Memory differs from disk: a save failed or is pending.
    unsaved: bool,
    /// The journey's file could not be parsed: it is never written over.
    broken: bool,
    /// The recovered file could not be parsed: it is never written over or removed either.
    beside_broken: bool,
    /// Conflict copies made in memory by an [`Change::Edit`] and not yet reported by a save.
    conflicts: usize,
}

impl OwnFile {
    /// The journey's file parses (or is gone) and a recovered file is still beside it.
    fn to_fold(&self) -> bool {
        !self.broken && self.beside_disk.is_some() && !self.beside_broken
    }
}

/// Both files of one analyst's notes on one journey as read from disk (`None`: not there).
type Pair = (Option<Vec<u8>>, Option<Vec<u8>>);

/// What is kept of a file's bytes to tell later whether it changed: its length and a hash
/// keyed at random once per process (SipHash), so that no file can be made to look unchanged
/// on purpose. A million note files' bytes no longer stay in memory for this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Print {
    len: usize,
    hash: u64,
}

impl Print {
    fn of(bytes: &[u8]) -> Print {
        use std::hash::BuildHasher;
        static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
            std::sync::OnceLock::new();
        Print {
            len: bytes.len(),
            hash: KEY.get_or_init(Default::default).hash_one(bytes),
        }
    }
}

/// The prints of both files of a [`Pair`].
fn prints(pair: &Pair) -> (Option<Print>, Option<Print>) {
    (
        pair.0.as_deref().map(Print::of),
        pair.1.as_deref().map(Print::of),
    )
}

/// An error unless `root` can be an annotations folder: missing (it is made on the first save)
/// or a folder. A plain file there would make every save fail, so the app refuses it at start.
pub fn check_root(root: &Path) -> Result<(), String> {
    match std::fs::metadata(root) {
        Ok(m) if !m.is_dir() => Err(format!(
            "{} is a file, not a folder; --annotations names the folder notes are kept in",
            crate::text::inert(&root.display().to_string())
        )),
        _ => Ok(()),
    }
}

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
    /// Other analysts' files as last read (broken ones too), to tell changes.
    others_disk: BTreeMap<(String, String), (Option<Print>, Option<Print>)>,
    /// The size and time of both files of each (analyst, journey) when last read, so that a
    /// refresh reads only what changed.
    stamps: HashMap<(String, String), (Stamp, Stamp)>,
    /// Problems met while saving, for the next [`NoteStore::refresh`] to report.
    found: Vec<Problem>,
    /// The annotations folder's `.gitignore` has been seen to or written.
    ignore_written: bool,
    /// Each note's text is dropped as it is read (see [`NoteStore::read_codes`]).
    lean: bool,
}

impl NoteStore {
    /// Opens the store for `analyst` (already checked with
    /// [`crate::model::annotation::check_analyst`]) and reads every analyst's folder under
    /// `root`. A missing root is not a problem (it is made on the first save); unreadable or
    /// broken files are returned as problems and left untouched. A recovered file beside an own
    /// file that parses again is folded into it at once.
    pub fn open(root: &Path, analyst: &str) -> (NoteStore, Vec<Problem>) {
        NoteStore::open_warm(root, analyst, None)
    }

    /// [`NoteStore::open`], each file's parse taken from the warm start where it is there
    /// (see [`crate::store::warm`]).
    pub fn open_warm(
        root: &Path,
        analyst: &str,
        warm: Option<&crate::store::warm::Warm>,
    ) -> (NoteStore, Vec<Problem>) {
        let mut store = NoteStore {
            root: root.to_path_buf(),
            analyst: analyst.to_string(),
            ..NoteStore::empty()
        };
        let folder = root.join(analyst);
        if !analyst.is_empty() && scan::outside(root, &folder).is_none() {
            // Temporaries of this analyst's saves that a kill cut short, their process gone.
            fs::sweep_leftovers(&folder);
        }
        let (_, problems) = store.read_in(scan(root), warm);
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
            ignore_written: false,
            lean: false,
        }
    }

    /// Reads every analyst's notes under `root`, for reading only: no analyst is its own, so
    /// nothing can be written.
    pub fn read(root: &Path) -> (NoteStore, Vec<Problem>) {
        NoteStore::open(root, "")
    }

    /// [`NoteStore::read`] for the commands that count codes and never show a note's text
    /// (`stats`, `compare`, `agree`): each note's text is dropped as its file is read, which is
    /// most of what the notes take in memory. Everything else (ids, steps, codes, times,
    /// problems) is as `read` gives it.
    pub fn read_codes(root: &Path) -> (NoteStore, Vec<Problem>) {
        let mut store = NoteStore {
            root: root.to_path_buf(),
            lean: true,
            ..NoteStore::empty()
        };
        let (_, problems) = store.refresh();
        (store, problems)
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

    /// The analysts with a note on a journey, as [`NoteStore::journey_notes`] orders them,
    /// without gathering the notes.
    pub fn analysts_on<'s>(&'s self, journey: &str) -> impl Iterator<Item = &'s str> {
        let own = self
            .own
            .get(journey)
            .is_some_and(|file| !file.notes.is_empty())
            .then_some(self.analyst.as_str());
        let journey = journey.to_string();
        let others = self.other_analysts.iter().filter(move |analyst| {
            self.others
                .get(&((*analyst).clone(), journey.clone()))
                .is_some_and(|a| !a.notes.is_empty())
        });
        own.into_iter().chain(others.map(String::as_str))
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
            Change::Edit { from, note, .. } => {
                let now = file.notes.get(&note.id).cloned();
                match now {
                    // Changed here since the editor opened it: the same note edited twice.
                    Some(now) if now != from && now != note => {
                        let (winner, loser) = if note.updated >= now.updated {
                            (note, now)
                        } else {
                            (now, note)
                        };
                        let copy = merge::conflict_copy(loser);
                        file.notes.insert(copy.id.clone(), copy);
                        file.notes.insert(winner.id.clone(), winner);
                        file.conflicts += 1;
                        true
                    }
                    // Unchanged since, or deleted since (the edit is kept).
                    now => {
                        file.notes.insert(note.id.clone(), note.clone());
                        now.as_ref() != Some(&note)
                    }
                }
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
            Change::Put { journey, note } | Change::Edit { journey, note, .. } => {
                match self.own_note(journey, &note.id) {
                    Some(old) if old == note => None,
                    Some(old) => Some(Change::Put {
                        journey: journey.clone(),
                        note: old.clone(),
                    }),
                    None => Some(Change::Delete {
                        journey: journey.clone(),
                        id: note.id.clone(),
                    }),
                }
            }
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
}

#[cfg(test)]
mod print_tests {
    use super::Print;

    /// A print tells a file from itself changed, even by one byte at the same length (a note's
    /// `updated` time rewritten, say), and is the same for the same bytes.
    #[test]
    fn a_print_is_the_same_only_for_the_same_bytes() {
        let a = b"Annotations(notes: [(id: \"n1\", updated: \"2026-12-01T06:00:00Z\")])".to_vec();
        let mut b = a.clone();
        let at = b.iter().position(|&c| c == b'6').unwrap();
        b[at] = b'7';
        assert_eq!(Print::of(&a), Print::of(&a.clone()));
        assert_ne!(Print::of(&a), Print::of(&b), "one byte changed");
        assert_ne!(
            Print::of(&a),
            Print::of(&a[..a.len() - 1]),
            "one byte shorter"
        );
        assert_eq!(Print::of(&a).len, a.len());
    }
}
