//! Saving one analyst's notes on one journey: under the folder's lock, the files read again,
//! merged with memory if they changed since they were last read or written, and written by
//! [`crate::store::fs::write_atomic`]. It must not decide what a merge keeps (that is
//! [`super::merge`]) nor write anywhere but the analyst's own folder.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::annotation::Note;
use crate::store::Problem;
use crate::store::fs;

use super::codec::{recovered_name, to_bytes};
use super::merge::{by_id, merge, overlay};
use super::scan::outside;
use super::scan::{Parsed, read_optional};
use super::{NoteStore, Pair, Print, SaveError, Saved, prints};

/// How long a save waits for another window's lock on the folder before it reports itself
/// busy and leaves the change to the next retry: long enough for a few saves, short enough
/// not to be felt.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// What the annotations folder's `.gitignore` holds: the temporaries of saves cut short and
/// the lock file, never to be committed.
const GITIGNORE: &str = "# Written by terreng: temporaries of interrupted saves, and the save lock.\n\
                         .*.tmp-*\n.terreng.lock\n";

impl NoteStore {
    /// Writes `.gitignore` into the annotations folder once, unless there is one.
    fn ignore_temporaries(&mut self) {
        if self.ignore_written {
            return;
        }
        self.ignore_written = true;
        let path = self.root.join(".gitignore");
        if std::fs::symlink_metadata(&path).is_err() {
            // Best effort: a folder that cannot take it still takes notes.
            let _ = fs::write_atomic(&path, GITIGNORE.as_bytes());
        }
    }

    /// Takes in the own files of a journey as they are on disk now: the journey's file and the
    /// recovered file beside it (`None`: not there). Returns whether the notes in memory
    /// changed, and how many conflict notes a merge added.
    pub(super) fn take_in(
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
        let (main_print, side_print) = prints(&pair);
        if (main_print, side_print) == (file.disk, file.beside_disk) {
            return (false, 0);
        }
        let (main, side) = pair;
        // A file's problem is reported when it is read anew, not again when the other changes.
        let (main_new, side_new) = (main_print != file.disk, side_print != file.beside_disk);
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
        file.disk = main_print;
        file.beside_disk = side_print;
        (file.notes != before, conflicts)
    }
    /// Saves the own notes on a journey: merged with the files on disk if they changed since
    /// they were last read or written, then written atomically to the journey's file (and the
    /// recovered file beside it removed), or while that file is broken, to the recovered file.
    ///
    /// The analyst's folder is locked from the re-read to the rename, so that two windows
    /// saving at once take turns and each merges what the other wrote. The lock is waited for
    /// only [`LOCK_WAIT`]; while another window holds it longer, the save fails as busy, the
    /// change stays in memory, and the next retry saves it.
    pub(super) fn save(&mut self, journey: &str) -> Result<Saved, SaveError> {
        let folder = self.root.join(&self.analyst);
        let folder_shown = crate::text::inert(&folder.display().to_string()).into_owned();
        if let Some(why) = outside(&self.root, &folder) {
            return Err(SaveError {
                path: folder_shown,
                message: format!("could not save: {why}"),
            });
        }
        let _lock = fs::FolderLock::acquire(&folder, LOCK_WAIT).map_err(|e| SaveError {
            path: folder_shown.clone(),
            message: match e {
                fs::LockError::Busy => "not saved yet: another terreng window is saving these \
                                        notes; the change is kept and saved again in a moment"
                    .to_string(),
                e => format!("could not save: {e}"),
            },
        })?;
        self.ignore_temporaries();
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
        let merged = if prints(&pair) != (file.disk, file.beside_disk) {
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
            fs::write_atomic(&path, &bytes)
                .map_err(|e| error(&shown, format!("could not save: {e}")))?;
            file.base = file.notes.clone();
            file.file_base = file.notes.clone();
            file.disk = Some(Print::of(&bytes));
            // Only now that the file holds every note is the recovered file removed.
            if file.to_fold() {
                fs::remove_durably(&beside_path).map_err(|e| {
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
            let edited = std::mem::take(&mut file.conflicts);
            return Ok(match merged {
                None if edited == 0 => Saved::Written,
                merged => Saved::Merged {
                    conflicts: merged.unwrap_or(0) + edited,
                },
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
        let print = Print::of(&bytes);
        if file.beside_disk != Some(print) {
            fs::write_atomic(&beside_path, &bytes)
                .map_err(|e| error(&beside_shown, format!("could not save: {e}")))?;
        }
        file.base = overlay(&file.file_base, &beside);
        file.beside_base = beside;
        file.beside_disk = Some(print);
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
            conflicts: merged.unwrap_or(0) + std::mem::take(&mut file.conflicts),
        })
    }
}
