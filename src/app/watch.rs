//! Watching the annotation folder, so that idle is idle.
//!
//! Another analyst's window, `git pull` or an editor can change annotation files while the app
//! is open; the app reads them again (a scan, see [`crate::store::annotations::scan`]). Rather
//! than listing and stat-ing every file every few seconds — at 50,000 files most of the app's
//! idle CPU — the folder is watched with the operating system's file events (inotify on
//! Linux, through the `notify` crate), and a scan runs only after something changed. Events
//! are coalesced into one flag: a burst of writes costs one scan.
//!
//! Where events are not available (the watch could not be set up: a network file system, too
//! many watches), [`Watch::start`] says so and the loop falls back to a scan every few seconds.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// A watch on a folder and its subfolders: [`Watch::changed`] says whether anything changed
/// since it was last asked.
pub struct Watch {
    changed: Arc<AtomicBool>,
    // Dropping the watcher ends the watch.
    _watcher: RecommendedWatcher,
}

impl Watch {
    /// Watches `root` (created if missing is not its job: a missing folder is an error).
    pub fn start(root: &Path) -> notify::Result<Watch> {
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Reading a file (an access) changes nothing; an error may mean events were lost,
                // so it counts as a change and the scan finds out.
                let relevant = match &event {
                    Ok(e) => !matches!(e.kind, notify::EventKind::Access(_)),
                    Err(_) => true,
                };
                if relevant {
                    flag.store(true, Ordering::SeqCst);
                }
            })?;
        watcher.watch(root, RecursiveMode::Recursive)?;
        Ok(Watch {
            changed,
            _watcher: watcher,
        })
    }

    /// Whether anything in the folder changed since the last call.
    pub fn changed(&self) -> bool {
        self.changed.swap(false, Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Waits up to `limit` for the watch to report a change.
    fn reports(w: &Watch, limit: Duration) -> bool {
        let until = Instant::now() + limit;
        while Instant::now() < until {
            if w.changed() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn a_file_written_in_a_subfolder_is_reported_once_and_reading_is_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("kv")).unwrap();
        let w = Watch::start(dir.path()).unwrap();
        assert!(!w.changed(), "nothing happened yet");
        std::fs::write(dir.path().join("kv/g01.ron"), "x").unwrap();
        assert!(reports(&w, Duration::from_secs(10)), "the write is seen");
        // The flag was taken: a read of the file is no change.
        std::thread::sleep(Duration::from_millis(100));
        let _ = w.changed();
        let _ = std::fs::read(dir.path().join("kv/g01.ron")).unwrap();
        assert!(
            !reports(&w, Duration::from_millis(300)),
            "a read is no change"
        );
        // A new analyst's folder, and a file in it, are seen too.
        std::fs::create_dir(dir.path().join("hh")).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(dir.path().join("hh/g02.ron"), "y").unwrap();
        assert!(reports(&w, Duration::from_secs(10)));
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_silent_watch() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Watch::start(&dir.path().join("absent")).is_err());
    }
}
