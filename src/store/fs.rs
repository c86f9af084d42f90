//! The one way terreng touches files it writes or must not be fooled by: a durable atomic
//! writer, a careful reader, and an advisory lock.
//!
//! - [`write_atomic`] writes a whole file so that a crash, a kill or a power cut leaves the old
//!   file or the new one, never a torn one: a temporary name in the same folder, created
//!   exclusively (never through a symlink, never over anything), the bytes written and fsynced,
//!   renamed over the target, and the folder fsynced. Folders it makes are fsynced into their
//!   parents. It never replaces anything that is not a regular file (a device, a FIFO, a
//!   folder, a symlink), and the temporary never outlives an error. Annotation saves and
//!   exports both go through it.
//! - [`read_regular`] reads a file only if, opened (without blocking on a FIFO), the descriptor
//!   is a regular file, and only up to a size limit checked before reading and enforced while
//!   reading: a FIFO, a device, a socket or a symlink to one is a problem, never read.
//! - [`FolderLock`] is an advisory lock on a folder (its `.terreng.lock` file), waited for only
//!   briefly: two terreng processes saving into one folder take turns, and a UI never hangs
//!   on another's lock.
//! - Temporaries left by a killed process are found by name ([`leftovers`]) and removed once
//!   that process is gone ([`sweep_leftovers`]).
//!
//! This module knows nothing of notes or exports: it must not parse, merge or decide what
//! to write. Under `cfg(test)` every operation is also recorded ([`record`]) so that
//! `store::powercut` can replay the states a power cut could leave.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[cfg(unix)]
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};

/// The name of the lock file in a folder saved into by [`FolderLock`].
pub const LOCK_NAME: &str = ".terreng.lock";

/// What a temporary file's name holds between the target's name and the writer's process id.
const TMP_MARK: &str = ".tmp-";

/// Whether a path asks for standard output rather than a file: `-` or `/dev/stdout`.
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-") || path == Path::new("/dev/stdout")
}

/// Writes `bytes` to `path` so that a crash leaves the old file or the new one (see the module
/// doc). Missing folders are made. Refuses, without writing anything, a target that exists
/// and is not a regular file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] of what `write` writes, as it writes it (buffered): a large file need not be
/// held in memory whole first. An error from `write` leaves the old file, as any other does.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let (dir, name) = split(path)?;
    refuse_special(path)?;
    create_dir_durably(&dir)?;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{name}{TMP_MARK}{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    let mut f = options.open(&tmp)?;
    record(Op::Create(tmp.clone()));
    let written = (|| {
        // A file replaced keeps its permissions.
        if let Ok(old) = std::fs::symlink_metadata(path) {
            f.set_permissions(old.permissions())?;
        }
        let mut out = Recorder {
            file: io::BufWriter::with_capacity(1 << 16, &mut f),
            seen: recording().then(Vec::new),
        };
        write(&mut out)?;
        out.file.flush()?;
        let seen = out.seen.take().unwrap_or_default();
        drop(out);
        record(Op::Write(tmp.clone(), seen));
        if !skipped(SKIP_FILE_SYNC) {
            f.sync_all()?;
            record(Op::SyncFile(tmp.clone()));
        }
        drop(f);
        // Checked again just before the rename: the target may have been made since.
        refuse_special(path)?;
        std::fs::rename(&tmp, path)?;
        record(Op::Rename(tmp.clone(), path.to_path_buf()));
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(&dir)
}

/// Removes a file and fsyncs its folder, so that the removal is on disk before anything that
/// follows. A file already gone is not an error.
pub fn remove_durably(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => record(Op::Remove(path.to_path_buf())),
        Err(e) if is_absent(&e) => return Ok(()),
        Err(e) => return Err(e),
    }
    let (dir, _) = split(path)?;
    sync_dir(&dir)
}

/// Makes a folder and any missing folders above it, fsyncing each new one into its parent,
/// so that a file saved in it is not lost with the folder on a power cut.
pub fn create_dir_durably(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dir_durably(parent)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => record(Op::MkDir(dir.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        Err(e) => return Err(e),
    }
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => sync_dir(parent),
        _ => sync_dir(Path::new(".")),
    }
}

/// Fsyncs a folder, so that the names made, renamed or removed in it are on disk. A file
/// system that cannot fsync a folder (it says so with `EINVAL`) is taken at its word.
fn sync_dir(dir: &Path) -> io::Result<()> {
    if skipped(SKIP_DIR_SYNC) {
        return Ok(());
    }
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let d = File::open(dir)?;
    match d.sync_all() {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {}
        Err(e) => return Err(e),
    }
    record(Op::SyncDir(dir.to_path_buf()));
    Ok(())
}

/// The folder (`.` for a bare name) and the file name of a path to write.
fn split(path: &Path) -> io::Result<(PathBuf, String)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("does not name a file"))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

/// An error unless `path` is missing or a regular file (not followed if it is a symlink).
fn refuse_special(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(()),
        Ok(m) => Err(io::Error::other(format!(
            "it is {}, not a regular file; it is left as it is",
            kind_of(&m.file_type())
        ))),
        Err(e) if is_absent(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// What a file that is not a regular file is, in words.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Not there: the file or a folder above it is missing (or is a plain file).
pub fn is_absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Why [`read_regular`] read nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A FIFO, a device, a socket or a folder (after following symlinks): never read.
    #[error("it is {0}, not a regular file; it is not read")]
    Special(&'static str),
    /// Larger than the limit, by its size or by what reading found.
    #[error("the file is over {} MiB; files that large are not read", limit / (1024 * 1024))]
    TooLarge { limit: u64 },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Reads a whole file if it is a regular file of at most `limit` bytes; `None` when it is not
/// there. The file is opened without blocking (a FIFO would otherwise wait for a writer) and
/// its kind is checked on the open descriptor, so a symlink swapped in between cannot fool it;
/// the size is checked before reading and enforced while reading, for a file that grows.
pub fn read_regular(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC);
    let f = match options.open(path) {
        Ok(f) => f,
        Err(e) if is_absent(&e) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let meta = f.metadata()?;
    if !meta.file_type().is_file() {
        return Err(ReadError::Special(kind_of(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(Some(bytes))
}

/// An advisory lock on a folder, held until dropped: the lock file `.terreng.lock` in it,
/// locked with `flock` (fs4). Only terreng processes honour it.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Why [`FolderLock::acquire`] did not lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process held the lock for all of the wait.
    #[error("another terreng window is saving into this folder")]
    Busy,
    #[error("could not lock the folder: {0}")]
    Io(#[from] io::Error),
}

impl FolderLock {
    /// Locks `dir` (made if missing), trying until `wait` has passed.
    pub fn acquire(dir: &Path, wait: Duration) -> Result<FolderLock, LockError> {
        create_dir_durably(dir)?;
        let path = dir.join(LOCK_NAME);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
        let file = options.open(&path)?;
        if !file.metadata()?.file_type().is_file() {
            return Err(LockError::Io(io::Error::other(format!(
                "{} is not a regular file",
                path.display()
            ))));
        }
        let deadline = Instant::now() + wait;
        loop {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => return Ok(FolderLock { _file: file }),
                Err(fs4::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(fs4::TryLockError::WouldBlock) => return Err(LockError::Busy),
                Err(fs4::TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
        }
    }
}

/// The process id in the name of a temporary that [`write_atomic`] makes
/// (`.<name>.tmp-<pid>-<n>`), or `None` for any other name.
pub fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let at = rest.rfind(TMP_MARK)?;
    let (pid, n) = rest[at + TMP_MARK.len()..].split_once('-')?;
    if at == 0 || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether the process with this id is still running (on systems where that cannot be asked,
/// it is taken to be).
pub fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The temporaries of [`write_atomic`] in a folder, with whether their process is gone.
pub fn leftovers(dir: &Path) -> Vec<(PathBuf, bool)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let pid = temporary_pid(name.to_str()?)?;
            let gone = pid != std::process::id() && !process_alive(pid);
            Some((e.path(), gone))
        })
        .collect();
    out.sort();
    out
}

/// Removes the temporaries in a folder whose process is gone; returns those removed.
pub fn sweep_leftovers(dir: &Path) -> Vec<PathBuf> {
    leftovers(dir)
        .into_iter()
        .filter(|(path, gone)| *gone && std::fs::remove_file(path).is_ok())
        .map(|(path, _)| path)
        .collect()
}

/// One operation on the file system, as [`record`] keeps it for the power-cut replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    MkDir(PathBuf),
    /// A new, empty file.
    Create(PathBuf),
    /// The whole content written to a file just created.
    Write(PathBuf, Vec<u8>),
    SyncFile(PathBuf),
    Rename(PathBuf, PathBuf),
    Remove(PathBuf),
    SyncDir(PathBuf),
    /// Test only: a marker the replay reads, not an operation: the save before it returned Ok.
    #[cfg(test)]
    Acked,
}

#[cfg(test)]
thread_local! {
    static RECORDING: std::cell::RefCell<Option<Vec<Op>>> = const { std::cell::RefCell::new(None) };
    static SKIPPING: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

/// Test only: leave out the file's fsync (to show that the replay notices).
pub const SKIP_FILE_SYNC: u8 = 1;
/// Test only: leave out the folder's fsync.
pub const SKIP_DIR_SYNC: u8 = 2;

/// A file being written, and what was written to it while this thread records (tests only).
struct Recorder<W: Write> {
    file: W,
    seen: Option<Vec<u8>>,
}

impl<W: Write> Write for Recorder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        if let Some(seen) = &mut self.seen {
            seen.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Whether this thread is recording operations (tests only; never otherwise).
fn recording() -> bool {
    #[cfg(test)]
    {
        RECORDING.with(|r| r.borrow().is_some())
    }
    #[cfg(not(test))]
    {
        false
    }
}

/// Keeps an operation when this thread is recording (tests only; nothing otherwise).
fn record(op: Op) {
    #[cfg(test)]
    RECORDING.with(|r| {
        if let Some(ops) = r.borrow_mut().as_mut() {
            ops.push(op);
        }
    });
    #[cfg(not(test))]
    let _ = op;
}

fn skipped(what: u8) -> bool {
    #[cfg(test)]
    {
        SKIPPING.with(|s| s.get() & what != 0)
    }
    #[cfg(not(test))]
    {
        let _ = what;
        false
    }
}

/// Test only: runs `f` with this thread's file operations recorded and the fsyncs in `skip`
/// left out; returns what `f` returned and the operations.
#[cfg(test)]
pub fn recorded<T>(skip: u8, f: impl FnOnce() -> T) -> (T, Vec<Op>) {
    RECORDING.with(|r| *r.borrow_mut() = Some(Vec::new()));
    SKIPPING.with(|s| s.set(skip));
    let out = f();
    SKIPPING.with(|s| s.set(0));
    let ops = RECORDING
        .with(|r| r.borrow_mut().take())
        .unwrap_or_default();
    (out, ops)
}

/// Test only: adds an operation to this thread's recording (a marker the replay reads).
#[cfg(test)]
pub fn record_marker(op: Op) {
    record(op);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_that_fails_midway_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        write_atomic(&path, b"old").unwrap();
        let failed = write_atomic_with(&path, |w| {
            w.write_all(b"the first journey")?;
            Err(io::Error::other("stopped"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "stopped");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // Written in pieces larger than the buffer, the file is all of them, in order.
        let piece = vec![b'x'; 100_000];
        write_atomic_with(&path, |w| {
            w.write_all(&piece)?;
            w.write_all(b"end")
        })
        .unwrap();
        let now = std::fs::read(&path).unwrap();
        assert_eq!(now.len(), 100_003);
        assert!(now.ends_with(b"xend"));
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/deeper/a.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_target_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.txt");
        std::fs::write(&other, "keep").unwrap();
        let link = dir.path().join("out.md");
        std::os::unix::fs::symlink(&other, &link).unwrap();
        let e = write_atomic(&link, b"report").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep");
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_device_is_neither_replaced_nor_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.ron");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(
            write_atomic(&fifo, b"x")
                .unwrap_err()
                .to_string()
                .contains("FIFO")
        );
        assert!(matches!(
            read_regular(&fifo, 100),
            Err(ReadError::Special(k)) if k.contains("FIFO")
        ));
        assert!(write_atomic(Path::new("/dev/null"), b"x").is_err());
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 100),
            Err(ReadError::Special("a device"))
        ));
        // A symlink to a device is followed for reading, and refused on the descriptor.
        let link = dir.path().join("zero.ron");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_regular(&link, 100),
            Err(ReadError::Special("a device"))
        ));
    }

    #[test]
    fn the_size_limit_is_checked_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        let f = File::create(&path).unwrap();
        // Sparse: no data is written, so only the size check can refuse it quickly.
        f.set_len(2 << 30).unwrap();
        assert!(matches!(
            read_regular(&path, 64 << 20),
            Err(ReadError::TooLarge { .. })
        ));
        assert_eq!(read_regular(&dir.path().join("none"), 10).unwrap(), None);
        std::fs::write(&path, "abc").unwrap();
        assert_eq!(read_regular(&path, 3).unwrap().unwrap(), b"abc");
        assert!(read_regular(&path, 2).is_err());
    }

    #[test]
    fn temporary_names_are_told_apart() {
        assert_eq!(temporary_pid(".g01.ron.tmp-4242-7"), Some(4242));
        assert_eq!(temporary_pid(".a.tmp-b.ron.tmp-1-0"), Some(1));
        for not in [
            "g01.ron",
            ".g01.ron",
            ".tmp-1-2",
            ".g01.ron.tmp-x-1",
            ".g.tmp-1-",
        ] {
            assert_eq!(temporary_pid(not), None, "{not}");
        }
    }

    #[test]
    fn leftovers_of_a_gone_process_are_swept_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids above the kernel's maximum (4194304 on Linux) are never running.
        let gone = dir.path().join(".g01.ron.tmp-999999999-0");
        let live = dir
            .path()
            .join(format!(".g02.ron.tmp-{}-0", std::process::id()));
        std::fs::write(&gone, "").unwrap();
        std::fs::write(&live, "").unwrap();
        assert_eq!(sweep_leftovers(dir.path()), std::slice::from_ref(&gone));
        assert!(!gone.exists() && live.exists());
    }

    #[test]
    fn a_held_lock_is_waited_for_briefly_then_reported_busy() {
        let dir = tempfile::tempdir().unwrap();
        let held = FolderLock::acquire(dir.path(), Duration::ZERO).unwrap();
        // flock locks belong to the open file, so a second open in this process contends.
        let busy = FolderLock::acquire(dir.path(), Duration::from_millis(20));
        assert!(matches!(busy, Err(LockError::Busy)));
        drop(held);
        assert!(FolderLock::acquire(dir.path(), Duration::ZERO).is_ok());
    }
}
