//! The app told to stop by a signal, or losing its terminal, in a pseudo-terminal: for SIGTERM,
//! SIGHUP, SIGINT and SIGQUIT the terminal is restored (alternate screen left, cursor shown,
//! mouse reporting off, raw mode off), the note that could not be saved is printed and the exit
//! code is 3, as after `q`; a terminal that goes away while hangups are ignored ends the app
//! instead of leaving it reading nothing in a loop.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use terreng::app::App;
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;

struct Session {
    output: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _pair: portable_pty::PtyPair,
}

impl Session {
    /// Starts `sh -c SCRIPT terreng ARGS` (the script runs terreng as `"$0" "$@"`).
    fn start(script: &str, args: &[&str], cwd: &Path) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 140,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(script);
        cmd.arg(env!("CARGO_BIN_EXE_terreng"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", cwd);
        cmd.env("XDG_DATA_HOME", cwd.join("data"));
        cmd.env("XDG_CONFIG_HOME", cwd.join("config"));
        let child = pair.slave.spawn_command(cmd).unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            output,
            writer,
            child,
            _pair: pair,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    fn screen(&self) -> vt100::Parser {
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut p = vt100::Parser::new(nz(40), nz(140), 0);
        p.process(&self.bytes());
        p
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.screen().screen().contents();
            if text.contains(needle) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never saw {needle:?}; the screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_exit(&mut self) {
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < Duration::from_secs(20), "sh did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(200));
    }

    /// The process id of terreng, the shell's child.
    fn terreng_pid(&self) -> i32 {
        let sh = self.child.process_id().unwrap() as i32;
        let start = Instant::now();
        loop {
            if let Some(pid) = child_of(sh) {
                return pid;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no terreng");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A running process whose parent is `parent` (from /proc/PID/stat).
fn child_of(parent: i32) -> Option<i32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: i32 = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // "pid (comm) state ppid ...": the name may hold spaces, so split after the ')'.
        let after = &stat[stat.rfind(')')? + 2..];
        let mut fields = after.split_whitespace();
        let state = fields.next()?;
        let ppid: i32 = fields.next()?.parse().ok()?;
        (ppid == parent && state != "Z").then_some(pid)
    })
}

/// Opens the first journey and writes a note that cannot be saved: the analyst's file for the
/// journey is a FIFO, which terreng never reads or replaces.
fn an_unsaved_note(sig: i32) {
    let dir = tempfile::tempdir().unwrap();
    let ann = dir.path().join("ann");
    let app = App::new(store::load(&DataSource::Bundled, None), Look::default());
    let first = &app.session.data.journeys[app.session.order[0]];
    std::fs::create_dir_all(ann.join("tester")).unwrap();
    let fifo = ann.join("tester").join(format!("{}.ron", first.id));
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let ann_arg = ann.to_str().unwrap().to_string();
    let args = ["--annotations", ann_arg.as_str(), "--analyst", "tester"];
    let script = r#""$0" "$@"; echo "exit=$?"; stty -a"#;
    let mut s = Session::start(script, &args, dir.path());
    s.wait_for("Journeys ·");
    s.send("\r");
    s.wait_for(&first.steps[0].title);
    s.send("a");
    s.wait_for("New note");
    s.send("kept through the signal");
    s.send("\x13"); // Ctrl-S: fails, the note stays in memory
    s.wait_for("NOT SAVED");

    let pid = s.terreng_pid();
    // SAFETY: sends a signal to the terreng this test started.
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    s.wait_exit();

    let after = s.screen();
    assert!(!after.screen().alternate_screen(), "alternate screen left");
    let text = after.screen().contents();
    assert!(text.contains("exit=3"), "{text}");
    assert!(text.contains("could not be saved"), "{text}");
    assert!(text.contains("kept through the signal"), "{text}");
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "raw mode left on:\n{text}"
    );
    let bytes = s.bytes();
    for restore in ["\x1b[?25h", "\x1b[?1000l", "\x1b[?2004l", "\x1b[?1049l"] {
        assert!(
            bytes
                .windows(restore.len())
                .any(|w| w == restore.as_bytes()),
            "{restore:?} never sent"
        );
    }
    // The FIFO is still a FIFO: never replaced.
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn sigterm_restores_the_terminal_and_reports_the_unsaved_note() {
    an_unsaved_note(libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal_and_reports_the_unsaved_note() {
    an_unsaved_note(libc::SIGHUP);
}

#[test]
fn sigint_restores_the_terminal_and_reports_the_unsaved_note() {
    an_unsaved_note(libc::SIGINT);
}

#[test]
fn sigquit_restores_the_terminal_and_reports_the_unsaved_note() {
    an_unsaved_note(libc::SIGQUIT);
}

/// The terminal goes away under terreng, and no SIGHUP comes (it has no controlling terminal,
/// as with a hangup that nohup or the shell ignored): end of input and `POLLHUP` on the
/// terminal end it, where before it read nothing in a loop at 100 % of a core.
#[test]
fn a_terminal_that_goes_away_without_a_hangup_signal_ends_the_app() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 140,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-pointers to two ints and a valid winsize.
    let r = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(r, 0);
    // The master must not be inherited, or the terminal never goes away.
    // SAFETY: fcntl on a descriptor this test owns.
    unsafe { libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC) };
    // SAFETY: openpty returned these descriptors, owned here from now on.
    let slave = unsafe { OwnedFd::from_raw_fd(slave) };
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_terreng"));
    cmd.args(["--analyst", "tester"])
        .current_dir(dir.path())
        .env("TERM", "xterm-256color")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave);
    // SAFETY: setsid is async-signal-safe; the child then has no controlling terminal, so the
    // kernel sends it no SIGHUP when the terminal goes.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    // Read the terminal's output until told to stop, then close it.
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let (stop, seen) = (Arc::clone(&stop), Arc::clone(&seen));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop.load(Ordering::SeqCst) {
                let mut fd = libc::pollfd {
                    fd: master,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd; reads into a buffer of the length given.
                if unsafe { libc::poll(&mut fd, 1, 50) } > 0 {
                    let n = unsafe { libc::read(master, buf.as_mut_ptr().cast(), buf.len()) };
                    if n <= 0 {
                        break;
                    }
                    seen.lock().unwrap().extend_from_slice(&buf[..n as usize]);
                }
            }
            // SAFETY: the master is closed once, here: the terminal goes away.
            unsafe { libc::close(master) };
        })
    };
    let start = Instant::now();
    while !String::from_utf8_lossy(&seen.lock().unwrap()).contains("Journeys") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the app never drew"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("terreng still runs 10 s after its terminal went away");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // Nothing was unsaved: the exit code says the terminal hung up (128 + SIGHUP).
    assert_eq!(status.code(), Some(129));
}
