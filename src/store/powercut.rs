//! A crash-consistency test in the manner of ALICE (Pillai et al., "All File Systems Are Not
//! Created Equal", OSDI 2014): the file-system operations of real saves are recorded through
//! [`crate::store::fs`]'s test-only recorder, and every state a power cut could leave is
//! rebuilt and checked.
//!
//! The model is what POSIX promises and no more. A file's data is on disk only once the file
//! is fsynced: before that, a cut may leave it empty, torn or whole. A name made, renamed or
//! removed in a folder is on disk only once the folder is fsynced: before that, any subset of
//! those changes may have reached the disk, in any order that keeps each change's own effect
//! (so a rename can land while the write before it did not). At every point of the log, for
//! every such subset and every state of unsynced data, the notes file must be the version of
//! the last acknowledged save or of the one under way — never missing a note the store said
//! was saved, never torn. With the file's fsync or the folder's left out (test hooks in
//! `fs.rs`) the same check finds states that lose a note, which shows it can fail.
//!
//! Test only; it must not touch anything but its own temporary folder.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::model::annotation::Note;
use crate::store::annotations::{Change, NoteStore};
use crate::store::fs::{self, Op};

/// A change to names in a folder, not yet known to be on disk.
#[derive(Debug, Clone)]
enum NameOp {
    MkDir(PathBuf),
    Link(PathBuf, usize),
    Rename(PathBuf, PathBuf, usize),
    Unlink(PathBuf),
}

impl NameOp {
    fn folder(&self) -> PathBuf {
        let p = match self {
            NameOp::MkDir(p) | NameOp::Link(p, _) | NameOp::Unlink(p) => p,
            NameOp::Rename(_, to, _) => to,
        };
        p.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// Names as a disk holds them: folders, and files by inode.
#[derive(Debug, Clone, Default)]
struct Names {
    dirs: BTreeSet<PathBuf>,
    files: BTreeMap<PathBuf, usize>,
}

impl Names {
    fn apply(&mut self, op: &NameOp) {
        match op {
            NameOp::MkDir(p) => {
                self.dirs.insert(p.clone());
            }
            NameOp::Link(p, ino) => {
                self.files.insert(p.clone(), *ino);
            }
            NameOp::Rename(from, to, ino) => {
                self.files.remove(from);
                self.files.insert(to.clone(), *ino);
            }
            NameOp::Unlink(p) => {
                self.files.remove(p);
            }
        }
    }

    /// The inode at `path`, if every folder above it down from `root` is there too.
    fn lookup(&self, root: &Path, path: &Path) -> Option<usize> {
        let mut dir = path.parent()?;
        while dir != root {
            if !self.dirs.contains(dir) {
                return None;
            }
            dir = dir.parent()?;
        }
        self.files.get(path).copied()
    }
}

/// One state of the log replayed: what memory sees, and what is durable.
#[derive(Default)]
struct Replay {
    live: BTreeMap<PathBuf, usize>,
    durable: Names,
    pending: Vec<NameOp>,
    /// Each inode's data as written, and as last fsynced (`None`: never).
    data: HashMap<usize, Vec<u8>>,
    synced: HashMap<usize, Vec<u8>>,
    inodes: usize,
}

impl Replay {
    fn step(&mut self, op: &Op) {
        match op {
            Op::MkDir(p) => self.pending.push(NameOp::MkDir(p.clone())),
            Op::Create(p) => {
                self.inodes += 1;
                self.live.insert(p.clone(), self.inodes);
                self.pending.push(NameOp::Link(p.clone(), self.inodes));
            }
            Op::Write(p, bytes) => {
                if let Some(ino) = self.live.get(p) {
                    self.data.insert(*ino, bytes.clone());
                }
            }
            Op::SyncFile(p) => {
                if let Some(ino) = self.live.get(p) {
                    let bytes = self.data.get(ino).cloned().unwrap_or_default();
                    self.synced.insert(*ino, bytes);
                }
            }
            Op::Rename(from, to) => {
                if let Some(ino) = self.live.remove(from) {
                    self.live.insert(to.clone(), ino);
                    self.pending
                        .push(NameOp::Rename(from.clone(), to.clone(), ino));
                }
            }
            Op::Remove(p) => {
                self.live.remove(p);
                self.pending.push(NameOp::Unlink(p.clone()));
            }
            Op::SyncDir(d) => {
                let (now, later): (Vec<NameOp>, Vec<NameOp>) =
                    self.pending.drain(..).partition(|op| &op.folder() == d);
                for op in &now {
                    self.durable.apply(op);
                }
                self.pending = later;
            }
            Op::Acked => {}
        }
    }

    /// Every content a power cut now could leave at `target` (`None`: no file).
    fn outcomes(&self, root: &Path, target: &Path) -> BTreeSet<Option<Vec<u8>>> {
        let mut out = BTreeSet::new();
        let n = self.pending.len();
        assert!(n < 16, "too many unsynced names to enumerate: {n}");
        for mask in 0..(1u32 << n) {
            let mut names = self.durable.clone();
            for (i, op) in self.pending.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    names.apply(op);
                }
            }
            let Some(ino) = names.lookup(root, target) else {
                out.insert(None);
                continue;
            };
            let written = self.data.get(&ino).cloned().unwrap_or_default();
            match self.synced.get(&ino) {
                Some(synced) if *synced == written => {
                    out.insert(Some(written));
                }
                synced => {
                    // Unsynced data: lost, torn, or whole.
                    out.insert(Some(synced.cloned().unwrap_or_default()));
                    out.insert(Some(written[..written.len() / 2].to_vec()));
                    out.insert(Some(written));
                }
            }
        }
        out
    }
}

/// Replays `ops` and returns every (point, content) a power cut could leave at `target` that is
/// neither the last acknowledged version nor the one being written.
fn violations(root: &Path, target: &Path, ops: &[Op]) -> Vec<(usize, Option<Vec<u8>>)> {
    let mut replay = Replay::default();
    // The versions of the target, in the order they were renamed into place.
    let mut versions: Vec<Option<Vec<u8>>> = vec![None];
    let mut acked = 0;
    let mut bad = Vec::new();
    for (k, op) in ops.iter().enumerate() {
        if let Op::Rename(from, to) = op
            && to == target
        {
            let ino = replay.live.get(from).copied();
            versions.push(ino.and_then(|i| replay.data.get(&i).cloned()));
        }
        if matches!(op, Op::Acked) {
            acked = versions.len() - 1;
        }
        replay.step(op);
        let allowed = &versions[acked..];
        for outcome in replay.outcomes(root, target) {
            if !allowed.contains(&outcome) {
                bad.push((k, outcome));
            }
        }
    }
    bad
}

/// Four saves of one analyst's notes on one journey — three new notes and an edit — into a new
/// annotations folder, with the store's acknowledgements marked in the log.
fn record_saves(skip: u8) -> (tempfile::TempDir, PathBuf, Vec<Op>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    let root = dir.path().join("annotations");
    let target = root.join("hh").join("g01.ron");
    let ((), ops) = fs::recorded(skip, || {
        let (mut store, _) = NoteStore::open(&root, "hh");
        let mut first = None;
        for k in 0..3 {
            let note = Note::new("s01", vec![], format!("note {k}"));
            first.get_or_insert_with(|| note.clone());
            let put = Change::Put {
                journey: "g01".into(),
                note,
            };
            if store.apply(put).is_ok() {
                fs::record_marker(Op::Acked);
            }
        }
        if let Some(first) = first {
            let edit = Change::Put {
                journey: "g01".into(),
                note: first.edited(vec![], "note 0, edited".into()),
            };
            if store.apply(edit).is_ok() {
                fs::record_marker(Op::Acked);
            }
        }
    });
    (dir, target, ops)
}

#[test]
fn every_power_cut_during_saves_leaves_the_old_or_the_new_file() {
    let (dir, target, ops) = record_saves(0);
    let root = dir.path().to_path_buf();
    assert_eq!(ops.iter().filter(|o| matches!(o, Op::Acked)).count(), 4);
    assert!(ops.iter().any(|o| matches!(o, Op::SyncFile(_))));
    let bad = violations(&root, &target, &ops);
    assert!(
        bad.is_empty(),
        "{} bad states, the first at op {}",
        bad.len(),
        bad[0].0
    );
}

#[test]
fn without_the_files_fsync_a_power_cut_can_tear_or_empty_the_file() {
    let (dir, target, ops) = record_saves(fs::SKIP_FILE_SYNC);
    let bad = violations(dir.path(), &target, &ops);
    assert!(
        bad.iter()
            .any(|(_, o)| o.as_ref().is_some_and(|b| b.is_empty())),
        "no empty file found among {} bad states",
        bad.len()
    );
}

#[test]
fn without_the_folders_fsync_a_power_cut_can_lose_an_acknowledged_note() {
    let (dir, target, ops) = record_saves(fs::SKIP_DIR_SYNC);
    let bad = violations(dir.path(), &target, &ops);
    assert!(!bad.is_empty(), "no state lost an acknowledged save");
}
