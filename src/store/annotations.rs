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
//! A file that cannot be parsed is reported and never written over: changes to that journey
//! stay in memory (and are reported as unsaved) until the file is repaired.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use ron::ser::PrettyConfig;

use crate::model::annotation::{Annotations, Note, new_id};
use crate::model::{Journey, Terrain};
use crate::store::Problem;
use crate::store::{locate, parse};

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
}

/// A save that failed: the change is kept in memory, and [`NoteStore::retry`] tries again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SaveError {
    pub path: String,
    pub message: String,
}

/// One analyst's file as the store holds it.
#[derive(Debug, Clone, Default)]
struct OwnFile {
    /// The notes as they are now, in memory, by id.
    notes: BTreeMap<String, Note>,
    /// The notes as last read from or written to disk, by id: the base of a merge.
    base: BTreeMap<String, Note>,
    /// The bytes last read or written, to tell whether the file changed on disk since.
    disk: Option<Vec<u8>>,
    /// Memory differs from disk: a save failed or is pending.
    unsaved: bool,
    /// The file on disk could not be parsed: it is never written over.
    broken: bool,
}

/// Every analyst's notes under one folder; the own analyst's are editable.
#[derive(Debug, Clone)]
pub struct NoteStore {
    root: PathBuf,
    analyst: String,
    /// Own files, by journey id.
    own: BTreeMap<String, OwnFile>,
    /// Other analysts' files, by (analyst, journey id).
    others: BTreeMap<(String, String), Annotations>,
    /// The bytes of other analysts' files as last read (broken ones too), to tell changes.
    others_disk: BTreeMap<(String, String), Vec<u8>>,
}

impl NoteStore {
    /// Opens the store for `analyst` (already checked with
    /// [`crate::model::annotation::check_analyst`]) and reads every analyst's folder under
    /// `root`. A missing root is not a problem (it is made on the first save); unreadable or
    /// broken files are returned as problems and left untouched.
    pub fn open(root: &Path, analyst: &str) -> (NoteStore, Vec<Problem>) {
        let mut store = NoteStore {
            root: root.to_path_buf(),
            analyst: analyst.to_string(),
            own: BTreeMap::new(),
            others: BTreeMap::new(),
            others_disk: BTreeMap::new(),
        };
        let (_, problems) = store.refresh();
        (store, problems)
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

    /// The path of the analyst's file for a journey.
    pub fn path_of(&self, journey: &str) -> PathBuf {
        self.root.join(&self.analyst).join(format!("{journey}.ron"))
    }

    /// Every note on a step, of every analyst: the own analyst's first, then the others by
    /// name; within an analyst by id.
    pub fn notes_on(&self, journey: &str, step: &str) -> Vec<(&str, &Note)> {
        let mut out: Vec<(&str, &Note)> = Vec::new();
        if let Some(file) = self.own.get(journey) {
            // By id already: the map is keyed by id.
            out.extend(
                file.notes
                    .values()
                    .filter(|n| n.step == step)
                    .map(|n| (self.analyst.as_str(), n)),
            );
        }
        // The map is ordered by (analyst, journey): analysts come by name.
        for ((analyst, j), annotations) in &self.others {
            if j != journey {
                continue;
            }
            let mut notes: Vec<&Note> = annotations
                .notes
                .iter()
                .filter(|n| n.step == step)
                .collect();
            notes.sort_by(|a, b| a.id.cmp(&b.id));
            out.extend(notes.into_iter().map(|n| (analyst.as_str(), n)));
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

    /// Applies a change in memory, then saves the journey's file at once. On error the change
    /// stays in memory, the file is marked unsaved, and the error is returned.
    pub fn apply(&mut self, change: Change) -> Result<Saved, SaveError> {
        let journey = change.journey().to_string();
        let file = self.own.entry(journey.clone()).or_default();
        let changed = match change {
            Change::Put { note, .. } => {
                let old = file.notes.insert(note.id.clone(), note.clone());
                old.as_ref() != Some(&note)
            }
            Change::Delete { id, .. } => file.notes.remove(&id).is_some(),
        };
        if !changed && !file.unsaved {
            // Nothing to write: memory is what was last read or written.
            return Ok(Saved::Written);
        }
        file.unsaved = true;
        self.save(&journey)
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

    /// Journeys whose own file has changes not yet on disk.
    pub fn unsaved(&self) -> Vec<&str> {
        self.own
            .iter()
            .filter(|(_, f)| f.unsaved)
            .map(|(j, _)| j.as_str())
            .collect()
    }

    /// Tries again to save every unsaved file; returns the errors that remain.
    pub fn retry(&mut self) -> Vec<SaveError> {
        let journeys: Vec<String> = self.unsaved().into_iter().map(str::to_string).collect();
        journeys.iter().filter_map(|j| self.save(j).err()).collect()
    }

    /// Re-reads every file changed on disk since it was last read (the own analyst's, merged
    /// with unsaved changes by the rules above; others' replaced), and reads files that are new.
    /// Returns whether anything changed, and the problems met.
    pub fn refresh(&mut self) -> (bool, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut changed = false;
        let Some(folders) = list_dir(&self.root, &mut problems, true) else {
            return (false, problems);
        };
        // Analysts whose folder could not be listed: their files are not known to be gone.
        let mut unreadable: BTreeSet<String> = BTreeSet::new();
        let mut own_seen: BTreeSet<String> = BTreeSet::new();
        let mut others_seen: BTreeSet<(String, String)> = BTreeSet::new();
        for (analyst, folder) in folders {
            let Some(files) = list_dir(&folder, &mut problems, false) else {
                unreadable.insert(analyst);
                continue;
            };
            for (journey, path) in files {
                let shown = path.display().to_string();
                let bytes = match std::fs::read(&path) {
                    Ok(bytes) => bytes,
                    Err(e) if is_absent(&e) => continue,
                    Err(e) => {
                        problems.push(Problem::new(shown, None, format!("could not read: {e}")));
                        // Unknown, not gone: keep what memory holds.
                        if analyst == self.analyst {
                            own_seen.insert(journey);
                        } else {
                            others_seen.insert((analyst.clone(), journey));
                        }
                        continue;
                    }
                };
                if analyst == self.analyst {
                    own_seen.insert(journey.clone());
                    changed |= self.reread_own(&journey, Some(bytes), &mut problems);
                } else {
                    let key = (analyst.clone(), journey.clone());
                    others_seen.insert(key.clone());
                    if self.others_disk.get(&key) == Some(&bytes) {
                        continue;
                    }
                    match read_file(&shown, &bytes, &analyst, &journey) {
                        Ok(annotations) => {
                            self.others.insert(key.clone(), annotations);
                            changed = true;
                        }
                        Err(p) => {
                            problems.push(p);
                            changed |= self.others.remove(&key).is_some();
                        }
                    }
                    self.others_disk.insert(key, bytes);
                }
            }
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
                changed |= self.reread_own(&journey, None, &mut problems);
            }
        }
        let gone: Vec<(String, String)> = self
            .others_disk
            .keys()
            .filter(|k| !others_seen.contains(*k) && !unreadable.contains(&k.0))
            .cloned()
            .collect();
        for key in gone {
            self.others_disk.remove(&key);
            changed |= self.others.remove(&key).is_some();
        }
        (changed, problems)
    }

    /// Takes in the own file of a journey as it is on disk now (`None`: there is none).
    /// Returns whether the notes in memory changed.
    fn reread_own(
        &mut self,
        journey: &str,
        bytes: Option<Vec<u8>>,
        problems: &mut Vec<Problem>,
    ) -> bool {
        let shown = self.path_of(journey).display().to_string();
        let analyst = self.analyst.clone();
        let file = self.own.entry(journey.to_string()).or_default();
        if bytes == file.disk {
            return false;
        }
        let before = file.notes.clone();
        match bytes {
            None => {
                if file.unsaved {
                    file.notes = merge(&file.base, &file.notes, &BTreeMap::new()).0;
                } else {
                    file.notes.clear();
                }
                file.base.clear();
                file.disk = None;
                file.broken = false;
            }
            Some(bytes) => match read_file(&shown, &bytes, &analyst, journey) {
                Ok(annotations) => {
                    let theirs = by_id(annotations.notes);
                    if file.unsaved {
                        file.notes = merge(&file.base, &file.notes, &theirs).0;
                    } else {
                        file.notes = theirs.clone();
                    }
                    file.base = theirs;
                    file.disk = Some(bytes);
                    file.broken = false;
                }
                Err(p) => {
                    // Memory keeps the notes last read; the file is never written over.
                    problems.push(p);
                    file.disk = Some(bytes);
                    file.broken = true;
                }
            },
        }
        file.notes != before
    }

    /// Saves the own file of a journey: merged with the file on disk if that changed since it
    /// was last read or written, then written atomically.
    fn save(&mut self, journey: &str) -> Result<Saved, SaveError> {
        let path = self.path_of(journey);
        let shown = path.display().to_string();
        let analyst = self.analyst.clone();
        let error = |message: String| SaveError {
            path: shown.clone(),
            message,
        };
        let file = self.own.entry(journey.to_string()).or_default();
        let current = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if is_absent(&e) => None,
            Err(e) => {
                return Err(error(format!(
                    "could not save: could not read it first: {e}"
                )));
            }
        };
        let (notes, saved) = if current == file.disk && !file.broken {
            (file.notes.clone(), Saved::Written)
        } else {
            let theirs = match &current {
                None => BTreeMap::new(),
                Some(bytes) => match read_file(&shown, bytes, &analyst, journey) {
                    Ok(annotations) => by_id(annotations.notes),
                    Err(p) => {
                        file.broken = true;
                        file.disk = current;
                        return Err(error(format!(
                            "the file on disk is broken and is left as it is; the change is kept \
                             in memory until the file is repaired ({p})"
                        )));
                    }
                },
            };
            let (merged, conflicts) = merge(&file.base, &file.notes, &theirs);
            // Whatever happens next, memory now holds the merge and the base is the disk.
            file.notes = merged.clone();
            file.base = theirs;
            file.disk = current;
            file.broken = false;
            (merged, Saved::Merged { conflicts })
        };
        let bytes = to_bytes(&analyst, journey, &notes)
            .map_err(|e| error(format!("could not save: {e}")))?;
        write_atomic(&path, &bytes).map_err(|e| error(format!("could not save: {e}")))?;
        file.base = notes;
        file.disk = Some(bytes);
        file.unsaved = false;
        Ok(saved)
    }
}

/// What `terreng check` reports of an annotation folder beyond broken files: codes that are not
/// in the catalogue, notes whose journey or step is gone (orphans, kept but reported), and note
/// ids used twice across files. Each problem names the file and the line of the note.
pub fn audit(store: &NoteStore, journeys: &[Journey], terrain: &Terrain) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let mut texts: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    for (analyst, journey, note) in store.all() {
        let path = store.root.join(analyst).join(format!("{journey}.ron"));
        let text = texts
            .entry(path.clone())
            .or_insert_with(|| std::fs::read_to_string(&path).ok());
        let at = text
            .as_deref()
            .and_then(|t| locate::find_string(t, &note.id, 0).map(|i| locate::line_col(t, i)));
        let shown = path.display().to_string();
        let mut report = |message: String| problems.push(Problem::new(&shown, at, message));
        match journeys.iter().find(|j| j.id == journey) {
            None => report(format!(
                "note {} is on journey '{journey}', which is not in the data; it is kept as an orphan",
                note.id
            )),
            Some(j) if !j.steps.iter().any(|s| s.id == note.step) => report(format!(
                "note {} is on step '{}', which journey '{journey}' no longer has; it is kept as an orphan",
                note.id, note.step
            )),
            Some(_) => {}
        }
        for code in &note.codes {
            if terrain.feature(code).is_none() {
                let known = terrain.features().map(|(_, f)| f.id.as_str());
                report(format!(
                    "note {} has code '{code}', which is not in the catalogue{}",
                    note.id,
                    crate::store::suggest::did_you_mean(code, known)
                ));
            }
        }
        if let Some(first) = seen.insert(&note.id, shown.clone()) {
            report(format!(
                "note id {} is used twice (also in {first})",
                note.id
            ));
        }
    }
    problems
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

/// The text of an annotation file, ending with a newline.
fn to_bytes(
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
        return Err(Problem::new(
            shown,
            at("journey"),
            format!(
                "the file says journey '{}' but is named '{journey}.ron'; it is not used",
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

fn by_id(notes: Vec<Note>) -> BTreeMap<String, Note> {
    notes.into_iter().map(|n| (n.id.clone(), n)).collect()
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
