//! The warm start: what the last load of a large study parsed, kept so that the next load need
//! not parse its RON again.
//!
//! Parsing RON is the floor of loading (about 1.0 s at L on two cores, see BENCHMARKS.md); the
//! same journeys and notes read back from MessagePack take a third of that. When the app opens
//! a study large enough to load behind the first frame, each journey and annotation file it
//! reads is looked up here by a 128-bit hash (XXH3) of its bytes and of what it is read as
//! (journey or notes, and a notes file's analyst and journey). Found, it is decoded from the
//! snapshot instead of parsed; not found, it is parsed and kept. Every file is still read
//! whole: nothing is taken on trust from a name, a size or a time, so a file is never shown
//! other than as it is now. Only what parsed is kept; a file with a parse error is parsed
//! again each time, and every check after the parse (a journey against the catalogue, a notes
//! file against its folder) runs on the decoded value as on a parsed one.
//!
//! After the load, if anything was parsed anew or an entry went unused, the snapshot is written
//! again, atomically, with exactly the entries this load used: it never grows beyond the
//! study. It is a cache and nothing more: a snapshot from another build (its header names the
//! program's version and a print of the data model's source), a torn one, an entry whose
//! checksum fails or that does not decode, are all parsed from RON as if they were not there,
//! and a snapshot that cannot be written is not written, silently.
//!
//! It lives in the user's cache folder (on Linux `~/.cache/terreng/warm/`), one file per data
//! folder and annotations folder; `TERRENG_CACHE` names another folder, or `off` for none. It
//! holds the text of the journeys and notes, so a folder it makes is the user's alone (0700).
//!
//! Layout: [`HEADER`]; the entries (MessagePack, fields by name); the index, each entry's key
//! (16 bytes), offset (8), length (4) and XXH3-64 checksum (8); then the index's offset and
//! its count (8 bytes each) and [`TAIL`]. Numbers are little-endian.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::store::Problem;

/// What every snapshot starts with: the format, the program's version and the model's print.
const HEADER: &[u8] = concat!(
    "terreng warm start 1 ",
    env!("CARGO_PKG_VERSION"),
    " ",
    env!("TERRENG_MODEL_PRINT"),
    "\n"
)
.as_bytes();

/// What every snapshot ends with, after the index's place.
const TAIL: &[u8; 4] = b"WARM";

/// The bytes of one index entry.
const ENTRY: usize = 16 + 8 + 4 + 8;

/// The bytes after the index.
const FOOTER: usize = 8 + 8 + TAIL.len();

/// What a file is read as: part of its key, so that the same bytes read as two things are two
/// entries.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Journey,
    /// An annotation file, checked against the analyst and journey of its place.
    Notes,
}

/// A file's key: XXH3-128 of its kind, its context and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u128);

impl Key {
    /// The key of `bytes` read as `kind` in `context` (each part with its length, so that no
    /// two contexts run together into one).
    pub fn of(kind: Kind, context: &[&str], bytes: &[u8]) -> Key {
        let mut h = Xxh3::new();
        h.update(&[kind as u8]);
        for part in context {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.update(bytes);
        Key(h.digest128())
    }
}

/// Where an entry's bytes are, in the snapshot or in the file of entries made anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    offset: u64,
    len: u32,
    check: u64,
}

/// An entry this load used, and where its bytes are.
#[derive(Debug, Clone, Copy)]
enum Used {
    Old(Entry),
    New(Entry),
}

/// The entries made anew during a load, in an unnamed file that is gone when the process is.
struct Fresh {
    file: Option<BufWriter<File>>,
    len: u64,
    used: Vec<(Key, Used)>,
    /// A write to the file failed: no snapshot is written after this load.
    failed: bool,
}

/// The snapshot as the last load left it, and what this load uses of it and makes anew.
pub struct Warm {
    path: PathBuf,
    old: Option<(File, HashMap<Key, Entry, foldhash::fast::RandomState>)>,
    fresh: Mutex<Fresh>,
}

impl std::fmt::Debug for Warm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Warm")
            .field("path", &self.path)
            .field("entries", &self.old.as_ref().map_or(0, |(_, i)| i.len()))
            .finish_non_exhaustive()
    }
}

/// `parse`'s value for `bytes` read as `kind` in `context`: from the warm start when there is
/// one ([`Warm::get_or`]), else parsed.
pub fn through<T: Serialize + DeserializeOwned>(
    warm: Option<&Warm>,
    kind: Kind,
    context: &[&str],
    bytes: &[u8],
    parse: impl FnOnce() -> Result<T, Problem>,
) -> Result<T, Problem> {
    match warm {
        Some(warm) => warm.get_or(Key::of(kind, context, bytes), parse),
        None => parse(),
    }
}

/// What [`Warm::finish`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    /// Entries found in the snapshot.
    pub found: usize,
    /// Entries parsed anew.
    pub made: usize,
    /// Whether the snapshot was written again.
    pub written: bool,
}

/// The folder snapshots are kept in: `TERRENG_CACHE`, else the user's cache folder; `None`
/// when `TERRENG_CACHE` is `off` or there is no cache folder.
pub fn folder() -> Option<PathBuf> {
    match std::env::var_os("TERRENG_CACHE") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => directories::ProjectDirs::from("", "", "terreng").map(|d| d.cache_dir().join("warm")),
    }
}

/// The snapshot of the study at `data` with its notes at `notes`, in `folder`: named by a hash
/// of both folders' full paths.
pub fn path_in(folder: &Path, data: &Path, notes: Option<&Path>) -> PathBuf {
    let full = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut h = Xxh3::new();
    h.update(full(data).as_os_str().as_encoded_bytes());
    h.update(&[0]);
    if let Some(notes) = notes {
        h.update(full(notes).as_os_str().as_encoded_bytes());
    }
    folder.join(format!("{:016x}.warm", h.digest()))
}

impl Warm {
    /// The snapshot at `path`, or an empty one where it is missing, from another build or torn.
    /// Its folder is tidied first: temporaries of writes a quit cut short, and snapshots not
    /// opened for [`UNUSED_FOR`], are removed.
    pub fn open(path: PathBuf) -> Warm {
        if let Some(folder) = path.parent() {
            tidy(folder, &path);
        }
        let old = File::open(&path).ok().and_then(|f| read_index(f).ok());
        if old.is_some() {
            // Its time says when it was last used, for the tidying of the folder.
            let now = std::time::SystemTime::now();
            let _ = File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(now));
        }
        Warm {
            path,
            old,
            fresh: Mutex::new(Fresh {
                file: None,
                len: 0,
                used: Vec::new(),
                failed: false,
            }),
        }
    }

    /// The value kept under `key`, or else what `parse` gives, kept when it parsed.
    pub fn get_or<T: Serialize + DeserializeOwned>(
        &self,
        key: Key,
        parse: impl FnOnce() -> Result<T, Problem>,
    ) -> Result<T, Problem> {
        if let Some((file, index)) = &self.old
            && let Some(entry) = index.get(&key)
            && let Some(value) = read_entry(file, entry).and_then(|b| decode(&b))
        {
            self.lock().used.push((key, Used::Old(*entry)));
            return Ok(value);
        }
        let value = parse()?;
        if let Ok(bytes) = rmp_serde::to_vec_named(&value) {
            self.keep(key, &bytes);
        }
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Fresh> {
        self.fresh.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an entry made anew to the file of new entries.
    fn keep(&self, key: Key, bytes: &[u8]) {
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        let mut fresh = self.lock();
        if fresh.failed {
            return;
        }
        if fresh.file.is_none() {
            let dir = self.path.parent().unwrap_or(Path::new("."));
            match private_folder(dir).and_then(|()| tempfile::tempfile_in(dir)) {
                Ok(f) => fresh.file = Some(BufWriter::with_capacity(1 << 20, f)),
                Err(_) => {
                    fresh.failed = true;
                    return;
                }
            }
        }
        let offset = fresh.len;
        let written = fresh.file.as_mut().map(|f| f.write_all(bytes));
        if matches!(written, Some(Ok(()))) {
            fresh.len += u64::from(len);
            let check = xxh3_64(bytes);
            fresh
                .used
                .push((key, Used::New(Entry { offset, len, check })));
        } else {
            fresh.failed = true;
        }
    }

    /// Writes the snapshot again where this load found anything new or left an entry unused,
    /// with exactly the entries it used; says what it did. An error leaves the old snapshot.
    pub fn finish(self) -> io::Result<Finished> {
        let Warm { path, old, fresh } = self;
        let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut seen = std::collections::HashSet::with_capacity(fresh.used.len());
        let used: Vec<(Key, Used)> = fresh
            .used
            .into_iter()
            .filter(|(k, _)| seen.insert(*k))
            .collect();
        let found = used
            .iter()
            .filter(|(_, u)| matches!(u, Used::Old(_)))
            .count();
        let made = used.len() - found;
        let old_len = old.as_ref().map_or(0, |(_, i)| i.len());
        let unchanged = made == 0 && found == old_len && old.is_some();
        if unchanged || fresh.failed {
            return Ok(Finished {
                found,
                made,
                written: false,
            });
        }
        let new = match fresh.file {
            Some(w) => Some(w.into_inner().map_err(io::IntoInnerError::into_error)?),
            None => None,
        };
        let old = old.map(|(f, _)| f);
        crate::store::fs::write_atomic_with(&path, |w| {
            w.write_all(HEADER)?;
            let mut index = Vec::with_capacity(used.len() * ENTRY);
            let mut offset = HEADER.len() as u64;
            let mut buf = Vec::new();
            for (key, at) in &used {
                let (file, entry) = match at {
                    Used::Old(e) => (old.as_ref(), e),
                    Used::New(e) => (new.as_ref(), e),
                };
                let file = file.ok_or_else(|| io::Error::other("an entry without its file"))?;
                buf.resize(entry.len as usize, 0);
                read_exact_at(file, &mut buf, entry.offset)?;
                w.write_all(&buf)?;
                index.extend_from_slice(&key.0.to_le_bytes());
                index.extend_from_slice(&offset.to_le_bytes());
                index.extend_from_slice(&entry.len.to_le_bytes());
                index.extend_from_slice(&entry.check.to_le_bytes());
                offset += u64::from(entry.len);
            }
            w.write_all(&index)?;
            w.write_all(&offset.to_le_bytes())?;
            w.write_all(&(used.len() as u64).to_le_bytes())?;
            w.write_all(TAIL)
        })?;
        Ok(Finished {
            found,
            made,
            written: true,
        })
    }
}

/// How long a snapshot may go unopened before it is removed: its study was likely moved or
/// deleted.
pub const UNUSED_FOR: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 60 * 60);

/// Removes from a snapshot folder the temporaries whose writer is gone and the snapshots (not
/// `keep`) unopened for [`UNUSED_FOR`].
fn tidy(folder: &Path, keep: &Path) {
    crate::store::fs::sweep_leftovers(folder);
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let path = e.path();
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > UNUSED_FOR);
        if stale && path != keep && path.extension().is_some_and(|x| x == "warm") {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Makes the snapshot folder, and any folder above it that is missing, readable by the user
/// alone: a snapshot holds the text of the study's journeys and notes.
fn private_folder(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// An entry's bytes, if they are there and their checksum holds.
fn read_entry(file: &File, entry: &Entry) -> Option<Vec<u8>> {
    let mut buf = vec![0; entry.len as usize];
    read_exact_at(file, &mut buf, entry.offset).ok()?;
    (xxh3_64(&buf) == entry.check).then_some(buf)
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    rmp_serde::from_slice(bytes).ok()
}

type Index = HashMap<Key, Entry, foldhash::fast::RandomState>;

/// The index of a snapshot whose header is this build's and whose every entry lies between
/// the header and the index.
fn read_index(mut file: File) -> io::Result<(File, Index)> {
    let bad = || io::Error::other("not a snapshot of this build");
    let size = file.metadata()?.len();
    if size < (HEADER.len() + FOOTER) as u64 {
        return Err(bad());
    }
    let mut header = vec![0; HEADER.len()];
    file.read_exact(&mut header)?;
    if header != HEADER {
        return Err(bad());
    }
    let mut footer = [0; FOOTER];
    file.seek(SeekFrom::End(-(FOOTER as i64)))?;
    file.read_exact(&mut footer)?;
    let number = |at: usize| u64::from_le_bytes(footer[at..at + 8].try_into().expect("8 bytes"));
    let (start, count) = (number(0), number(8));
    if &footer[16..] != TAIL
        || count
            .checked_mul(ENTRY as u64)
            .and_then(|n| n.checked_add(start))
            .and_then(|n| n.checked_add(FOOTER as u64))
            != Some(size)
        || start < HEADER.len() as u64
    {
        return Err(bad());
    }
    let mut raw = vec![0; (count as usize) * ENTRY];
    read_exact_at(&file, &mut raw, start)?;
    let mut index = Index::with_capacity_and_hasher(count as usize, Default::default());
    for e in raw.chunks_exact(ENTRY) {
        let key = Key(u128::from_le_bytes(e[0..16].try_into().expect("16 bytes")));
        let offset = u64::from_le_bytes(e[16..24].try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(e[24..28].try_into().expect("4 bytes"));
        let check = u64::from_le_bytes(e[28..36].try_into().expect("8 bytes"));
        let end = offset.checked_add(u64::from(len));
        if offset < HEADER.len() as u64 || end.is_none_or(|end| end > start) {
            return Err(bad());
        }
        index.insert(key, Entry { offset, len, check });
    }
    Ok((file, index))
}

/// Fills `buf` from `file` at `offset`, without moving the file's place (files are read from
/// on several threads at once).
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Journey;

    /// The bundled journeys as RON text, with their names.
    fn bundled() -> Vec<(String, Vec<u8>)> {
        crate::store::bundled::journeys()
            .map(|f| {
                let bytes = f.read().expect("a bundled file").into_owned();
                (f.name.clone(), bytes)
            })
            .collect()
    }

    fn parse(name: &str, bytes: &[u8]) -> Result<Journey, Problem> {
        let text = crate::store::parse::as_text(name, bytes, "Journey")?;
        crate::store::parse::parse(name, text)
    }

    /// Each file through the warm start, counting the parses it needed.
    fn through(warm: &Warm, files: &[(String, Vec<u8>)]) -> (Vec<Journey>, usize) {
        let mut parses = 0;
        let journeys = files
            .iter()
            .map(|(name, bytes)| {
                let key = Key::of(Kind::Journey, &[], bytes);
                warm.get_or(key, || {
                    parses += 1;
                    parse(name, bytes)
                })
                .expect("the bundled journeys parse")
            })
            .collect();
        (journeys, parses)
    }

    #[test]
    fn a_second_load_decodes_what_the_first_parsed_and_gets_the_same_journeys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("study.warm");
        let files = bundled();
        assert!(files.len() > 10, "the bundled data set");
        let parsed: Vec<Journey> = files.iter().map(|(n, b)| parse(n, b).unwrap()).collect();

        let warm = Warm::open(path.clone());
        let (first, parses) = through(&warm, &files);
        assert_eq!(parses, files.len(), "nothing to find in a missing snapshot");
        assert_eq!(first, parsed);
        let done = warm.finish().unwrap();
        assert_eq!(
            (done.found, done.made, done.written),
            (0, files.len(), true)
        );

        let warm = Warm::open(path.clone());
        let (second, parses) = through(&warm, &files);
        assert_eq!(parses, 0, "every file found in the snapshot");
        assert_eq!(second, parsed, "decoded as RON parses them");
        let done = warm.finish().unwrap();
        assert_eq!(
            (done.found, done.made, done.written),
            (files.len(), 0, false),
            "nothing new: the snapshot is left as it is"
        );
    }

    #[test]
    fn a_changed_file_is_parsed_again_and_the_snapshot_keeps_only_what_was_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("study.warm");
        let mut files = bundled();
        let warm = Warm::open(path.clone());
        through(&warm, &files);
        warm.finish().unwrap();

        // One journey's title changed (same length, so a size check would miss it), one file
        // gone.
        let (name, bytes) = &mut files[0];
        let text = String::from_utf8(bytes.clone()).unwrap();
        let at = text.find("title: \"").unwrap() + "title: \"".len();
        let mut changed = text.into_bytes();
        changed[at] = if changed[at] == b'Q' { b'R' } else { b'Q' };
        *bytes = changed;
        let expected = parse(name, bytes).unwrap();
        files.pop();

        let warm = Warm::open(path.clone());
        let (got, parses) = through(&warm, &files);
        assert_eq!(parses, 1, "only the changed file is parsed");
        assert_eq!(got[0], expected, "the file as it is now, not as it was");
        let done = warm.finish().unwrap();
        assert_eq!(
            (done.found, done.made, done.written),
            (files.len() - 1, 1, true)
        );

        // The snapshot holds exactly this load's entries: a third load finds them all and
        // leaves it.
        let warm = Warm::open(path.clone());
        assert_eq!(warm.old.as_ref().unwrap().1.len(), files.len());
        let (_, parses) = through(&warm, &files);
        assert_eq!(parses, 0);
        assert!(!warm.finish().unwrap().written);
    }

    #[test]
    fn a_torn_or_damaged_or_foreign_snapshot_is_parsed_around() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("study.warm");
        let files = bundled();
        let parsed: Vec<Journey> = files.iter().map(|(n, b)| parse(n, b).unwrap()).collect();
        let warm = Warm::open(path.clone());
        through(&warm, &files);
        warm.finish().unwrap();
        let good = std::fs::read(&path).unwrap();

        // Torn: the end is missing.
        std::fs::write(&path, &good[..good.len() - 10]).unwrap();
        let warm = Warm::open(path.clone());
        assert!(warm.old.is_none());
        assert_eq!(through(&warm, &files), (parsed.clone(), files.len()));

        // One byte of the first entry flipped: its checksum fails, the others are found.
        let mut damaged = good.clone();
        damaged[HEADER.len() + 3] ^= 0x20;
        std::fs::write(&path, &damaged).unwrap();
        let warm = Warm::open(path.clone());
        assert_eq!(through(&warm, &files), (parsed.clone(), 1));

        // Another build's header.
        let mut foreign = good.clone();
        foreign[HEADER.len() - 2] ^= 1;
        std::fs::write(&path, &foreign).unwrap();
        assert!(Warm::open(path.clone()).old.is_none());

        // An index entry pointing past the entries.
        let mut wild = good.clone();
        let start = good.len() - FOOTER - files.len() * ENTRY;
        wild[start + 16..start + 24].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &wild).unwrap();
        assert!(Warm::open(path).old.is_none());
    }

    #[test]
    fn what_does_not_parse_is_not_kept_and_the_same_bytes_in_another_place_are_another_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("study.warm");
        let warm = Warm::open(path.clone());
        let broken = b"Journey(id: \"x\", ".as_slice();
        let got = warm.get_or(Key::of(Kind::Journey, &[], broken), || {
            parse("x.ron", broken)
        });
        assert!(got.is_err());
        let done = warm.finish().unwrap();
        assert_eq!((done.found, done.made), (0, 0));

        assert_ne!(
            Key::of(Kind::Notes, &["ana", "g01"], b"same"),
            Key::of(Kind::Notes, &["bo", "g01"], b"same")
        );
        assert_ne!(
            Key::of(Kind::Notes, &["ab", "c"], b"same"),
            Key::of(Kind::Notes, &["a", "bc"], b"same"),
            "the parts of the context do not run together"
        );
        assert_ne!(
            Key::of(Kind::Notes, &[], b"same"),
            Key::of(Kind::Journey, &[], b"same")
        );
    }

    #[test]
    fn opening_a_snapshot_removes_what_is_left_of_cut_writes_and_long_unused_snapshots() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.warm");
        let touch = |name: &str, days: u64| {
            let p = dir.path().join(name);
            let f = File::create(&p).unwrap();
            let age = std::time::Duration::from_secs(days * 24 * 60 * 60);
            f.set_modified(std::time::SystemTime::now() - age).unwrap();
            p
        };
        let cut = touch(".a.warm.tmp-999999999-0", 0);
        let old = touch("b.warm", 31);
        let recent = touch("c.warm", 29);
        let other = touch("notes.txt", 400);
        let own = touch("a.warm", 40);
        Warm::open(path.clone());
        assert!(!cut.exists() && !old.exists());
        assert!(recent.exists() && other.exists() && own.exists());
    }

    /// A snapshot holds the study's text: the folders made for it are the user's alone.
    #[cfg(unix)]
    #[test]
    fn the_folder_made_for_snapshots_is_the_users_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("cache").join("warm");
        let warm = Warm::open(folder.join("study.warm"));
        through(&warm, &bundled());
        assert!(warm.finish().unwrap().written);
        for made in [dir.path().join("cache"), folder] {
            let mode = std::fs::metadata(&made).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{}", made.display());
        }
    }

    #[test]
    fn each_folder_pair_has_a_snapshot_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let one = path_in(dir.path(), &a, Some(&b));
        assert_eq!(one, path_in(dir.path(), &a, Some(&b)));
        assert_ne!(one, path_in(dir.path(), &b, Some(&a)));
        assert_ne!(one, path_in(dir.path(), &a, None));
        assert_eq!(one.parent(), Some(dir.path()));
    }
}
