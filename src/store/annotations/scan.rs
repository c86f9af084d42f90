//! Looking at an annotation folder and reading again what changed: [`scan`] lists and stats
//! (cheap, on any thread), [`NoteStore::refresh_from`] reads and parses only the files whose
//! stamps moved, on every core, and takes them in. It must not write: a refresh that finds an
//! own recovered file ready to fold back hands it to the save.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::model::annotation::Annotations;
use crate::store::Problem;
use crate::store::fs;
use crate::store::warm::Warm;

use super::codec::{journey_of, read_file, read_file_warm, read_others, recovered_name};
use super::{NoteStore, prints};

impl NoteStore {
    /// Re-reads every file changed on disk since it was last read (the own analyst's, merged
    /// with unsaved changes by the rules above; others' replaced), and reads files that are new.
    /// An own recovered file whose journey's file parses again is folded into it and removed.
    /// Returns whether any note changed, and the problems met.
    pub fn refresh(&mut self) -> (bool, Vec<Problem>) {
        let scan = scan(&self.root);
        self.refresh_from(scan)
    }

    /// [`NoteStore::refresh`] from a [`scan`] of the folder made before, on any thread: only
    /// files whose size or modification time differ from when they were last read are read
    /// again, and those are read and parsed on every core.
    pub fn refresh_from(&mut self, scan: Scan) -> (bool, Vec<Problem>) {
        let (changed, problems) = self.refresh_journeys(scan);
        (!changed.is_empty(), problems)
    }

    /// [`NoteStore::refresh_from`], returning the journeys whose notes changed.
    pub fn refresh_journeys(&mut self, scan: Scan) -> (BTreeSet<String>, Vec<Problem>) {
        self.read_in(scan, None)
    }

    /// [`NoteStore::refresh_journeys`], each file's parse taken from the warm start where it is
    /// there and kept in it where it is not.
    pub(super) fn read_in(
        &mut self,
        scan: Scan,
        warm: Option<&Warm>,
    ) -> (BTreeSet<String>, Vec<Problem>) {
        let mut problems = std::mem::take(&mut self.found);
        problems.extend(scan.problems);
        let mut changed = BTreeSet::new();
        let Some(folders) = scan.folders else {
            return (changed, problems);
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
        // Reading and parsing are the bulk of the work and each file stands alone: a batch at a
        // time on every core, so that only one batch's bytes are held at once.
        let lean = self.lean;
        let mut to_read = to_read.into_iter().peekable();
        while to_read.peek().is_some() {
            let batch: Vec<ToRead> = to_read.by_ref().take(READ_AT_ONCE).collect();
            let read = read_batch(&batch, warm, lean);
            for (t, (main, side, mut parsed)) in batch.into_iter().zip(read) {
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
                    if self.take_in(&journey, pair, &mut parsed, &mut problems).0 {
                        changed.insert(journey);
                    }
                    continue;
                }
                let print = prints(&pair);
                if self.others_disk.get(&key) == Some(&print) {
                    continue;
                }
                let sides = [(&file, &pair.0), (&beside, &pair.1)];
                let mut found = Vec::new();
                let annotations = read_others(sides, &analyst, &journey, &mut parsed, &mut found);
                // A file's problem is reported when it is read anew, not when the other changes.
                let old = self.others_disk.get(&key);
                for (path, now, old) in [
                    (&file, &print.0, old.map(|o| &o.0)),
                    (&beside, &print.1, old.map(|o| &o.1)),
                ] {
                    if old != Some(now) {
                        let shown = path.display().to_string();
                        problems.extend(found.iter().filter(|p| p.path == shown).cloned());
                    }
                }
                match annotations {
                    Some(annotations) => {
                        self.others.insert(key.clone(), annotations);
                        changed.insert(journey);
                    }
                    None => {
                        if self.others.remove(&key).is_some() {
                            changed.insert(journey);
                        }
                    }
                }
                self.others_disk.insert(key, print);
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
                if self.take_in(&journey, (main, side), none, &mut problems).0 {
                    changed.insert(journey);
                }
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
            if self.others.remove(&key).is_some() {
                changed.insert(key.1);
            }
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
}

/// A file's size and modification time (`None`: not there), to tell whether it changed
/// without reading it.
pub(super) type Stamp = Option<(u64, SystemTime)>;

/// Annotation files (each with its recovered file) read and parsed on every core at a time;
/// in the unit tests a few, so that their folders are read in several batches.
const READ_AT_ONCE: usize = if cfg!(test) { 7 } else { 1024 };

/// A stamp this recent may not show a change made in the same tick of a coarse clock (some
/// file systems keep whole seconds), so the file is read whatever its stamp says.
const RACY: Duration = Duration::from_secs(2);

pub(super) fn racy(stamp: &Stamp, taken: SystemTime) -> bool {
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
pub(super) struct Parsed(HashMap<String, Result<Annotations, Problem>>);

impl Parsed {
    fn insert(&mut self, shown: String, result: Result<Annotations, Problem>) {
        self.0.insert(shown, result);
    }

    /// The file parsed ahead, or parsed now.
    pub(super) fn take(
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
    if let Err(why) = super::check_root(root) {
        problems.push(Problem::new(
            crate::text::inert(&root.display().to_string()),
            None,
            why,
        ));
    }
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

/// Both files of each (analyst, journey) read and parsed, on every core; where `lean`, each
/// note's text is dropped on the thread that parsed it (see [`NoteStore::read_codes`]).
fn read_batch(batch: &[ToRead], warm: Option<&Warm>, lean: bool) -> Vec<(Bytes, Bytes, Parsed)> {
    batch
        .par_iter()
        .map(|t| {
            let (main, side) = (read_optional(&t.file), read_optional(&t.beside));
            let mut parsed = Parsed::default();
            for (path, bytes) in [(&t.file, &main), (&t.beside, &side)] {
                if let Ok(Some(bytes)) = bytes {
                    let shown = path.display().to_string();
                    let mut result = read_file_warm(&shown, bytes, &t.key.0, &t.key.1, warm);
                    if let (true, Ok(read)) = (lean, &mut result) {
                        read.notes.iter_mut().for_each(|n| n.text = String::new());
                    }
                    parsed.insert(shown, result);
                }
            }
            (main, side, parsed)
        })
        .collect()
}

/// What reading a file gave: its bytes, nothing where it is not there, or why not.
type Bytes = Result<Option<Vec<u8>>, fs::ReadError>;

/// A file's bytes if it is a regular file within the size limit; `None` when it is not there.
/// A FIFO, a device or a socket is an error, never read (see [`fs::read_regular`]).
pub(super) fn read_optional(path: &Path) -> Bytes {
    fs::read_regular(path, crate::store::parse::MAX_FILE_BYTES as u64)
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
        Err(e) if fs::is_absent(&e) => return Some(Vec::new()),
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
        let shown = || crate::text::inert(&path.display().to_string()).into_owned();
        if name.starts_with('.') {
            if let Some(pid) = fs::temporary_pid(&name)
                && !folders
                && !fs::process_alive(pid)
            {
                problems.push(Problem::new(
                    shown(),
                    None,
                    "a temporary file left by a save that was cut short; terreng removes it when \
                     this analyst next starts it (it holds nothing the notes file lacks)",
                ));
            }
            continue;
        }
        if folders {
            if let Some(why) = outside(dir, &path) {
                problems.push(Problem::new(
                    shown(),
                    None,
                    format!("this analyst folder is not used: {why}"),
                ));
            } else if !path.is_dir() {
            } else if crate::model::annotation::check_analyst(&name).is_err() {
                // Only terreng's own names can be shown and printed safely as an analyst.
                problems.push(Problem::new(
                    shown(),
                    None,
                    "this folder's name is not an analyst's name (letters, digits, '-', '_' \
                     and '.'); it is not read",
                ));
            } else {
                out.push((name, path));
            }
        } else if let Some(stem) = name.strip_suffix(".ron")
            && !stem.is_empty()
        {
            // Followed if a link: what counts is what would be read.
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => out.push((stem.to_string(), path)),
                Ok(m) if !m.is_dir() => problems.push(Problem::new(
                    shown(),
                    None,
                    "it is not a regular file (a FIFO, a device or a socket); it is not read",
                )),
                _ => {}
            }
        }
    }
    out.sort();
    Some(out)
}

/// Why an analyst's folder under `root` may not be used, or `None` when it may (or is not
/// there yet, or is a plain file, which is no analyst's folder): a symbolic link that
/// resolves outside the annotations folder.
pub(super) fn outside(root: &Path, folder: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(folder).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let (Ok(root), Ok(target)) = (root.canonicalize(), folder.canonicalize()) else {
        return Some("it is a symbolic link that leads nowhere".to_string());
    };
    if target.starts_with(&root) && target != root && target.is_dir() {
        return None;
    }
    Some(format!(
        "it is a symbolic link to {}, outside the annotations folder; notes are never read \
         from or saved there",
        crate::text::inert(&target.display().to_string())
    ))
}
