//! The real binary in a pseudo-terminal, read back through a terminal emulator (vt100): what a
//! user sees, what reaches the terminal, and the state the terminal is left in.
//!
//! Tests wait for the screen to show what they expect, never for a fixed time: keys are
//! written as they come, and a test that needs one key's effect before the next (an `Esc`
//! followed by a letter would otherwise read as Alt+letter) waits for that effect first.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// How long a test waits for the screen before it fails, showing the screen.
const PATIENCE: Duration = Duration::from_secs(20);

pub const RIGHT: &str = "\x1b[C";
pub const ESC: &str = "\x1b";

pub struct Session {
    output: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    size: (u16, u16),
    _pair: portable_pty::PtyPair,
}

impl Session {
    /// Starts `terreng ARGS` in a shell that, once terreng ends, prints its exit code and the
    /// terminal's settings (`stty -a`), so the test can see the state it left behind.
    pub fn start(args: &[&str], env: &[(&str, &str)], cwd: &Path, cols: u16, rows: u16) -> Self {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(r#""$0" "$@"; echo "exit=$?"; stty -a; echo "stty-done""#);
        cmd.arg(env!("CARGO_BIN_EXE_terreng"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env("RUST_BACKTRACE", "0");
        // Whatever the app keeps in the user's folders stays in the test's own folder.
        cmd.env("HOME", cwd);
        cmd.env("XDG_DATA_HOME", cwd.join("data"));
        cmd.env("XDG_CONFIG_HOME", cwd.join("config"));
        cmd.env("XDG_CACHE_HOME", cwd.join("cache"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("terreng starts");
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("output").extend_from_slice(&buf[..n]);
            }
        });
        Session {
            output,
            writer,
            child,
            size: (cols, rows),
            _pair: pair,
        }
    }

    /// Every byte the program (and the shell after it) wrote.
    pub fn bytes(&self) -> Vec<u8> {
        self.output.lock().expect("output").clone()
    }

    /// The terminal as a terminal emulator holds it after every byte written so far.
    pub fn screen(&self) -> vt100::Parser {
        let nz = |n: u16| std::num::NonZeroU16::new(n).expect("a terminal has a size");
        let mut p = vt100::Parser::new(nz(self.size.1), nz(self.size.0), 0);
        p.process(&self.bytes());
        p
    }

    /// The text on the screen now.
    pub fn text(&self) -> String {
        self.screen().screen().contents()
    }

    /// Waits until the screen shows `needle`; fails with the screen if it never does.
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), |t| t.contains(needle))
    }

    /// Waits until the screen no longer shows `needle`.
    pub fn wait_gone(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} to go"), |t| !t.contains(needle))
    }

    /// Waits until `ok` holds for the screen's text; fails with the screen if it never does.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.wait_within(what, PATIENCE, ok)
    }

    /// [`Session::wait_until`] with a patience of its own, for work that is slow by nature
    /// (a large study loading in a debug build).
    pub fn wait_within(&self, what: &str, patience: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if ok(&text) {
                return text;
            }
            assert!(
                start.elapsed() < patience,
                "never saw {what}; the screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `keys` (raw bytes: letters, `\r`, escape sequences).
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("keys written");
        self.writer.flush().expect("keys flushed");
    }

    /// Types `keys`, then waits until the screen shows `needle`.
    pub fn press(&mut self, keys: &str, needle: &str) -> String {
        self.send(keys);
        self.wait_for(needle)
    }

    /// Waits for the program to end and for the shell to print what it left behind.
    pub fn wait_exit(&mut self) {
        let start = Instant::now();
        while self.child.try_wait().expect("the child's state").is_none() {
            assert!(
                start.elapsed() < PATIENCE,
                "terreng did not exit; the screen:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // The reader thread may still be draining the shell's last lines.
        let start = Instant::now();
        while !String::from_utf8_lossy(&self.bytes()).contains("stty-done") {
            if start.elapsed() > PATIENCE {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the program (the shell around it) is still running.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().expect("the child's state").is_none()
    }

    /// Whether the bytes written so far contain `needle`.
    pub fn wrote(&self, needle: &[u8]) -> bool {
        self.bytes().windows(needle.len()).any(|w| w == needle)
    }
}
