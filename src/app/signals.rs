//! Ending well when the app is told to stop or loses its terminal.
//!
//! SIGTERM, SIGHUP, SIGINT and SIGQUIT only set a flag (signal-hook); the event loop waits for
//! terminal events through [`wait`], which looks at that flag at least every
//! [`CHECK_EVERY`], and at whether the terminal is still there (a hung-up terminal reports
//! `POLLHUP`, and an error or the end of input on it is taken the same way). Then the loop
//! makes [`last_save`], one more attempt to save what is unsaved, and returns as `q` does: the
//! terminal guard restores the terminal, and the caller reports unsaved notes (exit 3), or
//! exits with 128 + the signal's number ([`exit_code`]). A second signal while that runs ends
//! the process at once, as the signal's default would.
//!
//! This module must not draw, and must not do anything in the signal handler but set flags.

use std::io;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

use crate::app::state::App;

/// How often a wait with nothing to do looks for a signal or a vanished terminal: rarely enough
/// that idle costs nothing measurable, often enough that a stop feels immediate.
pub const CHECK_EVERY: Duration = Duration::from_millis(100);

/// The signal that asked the app to stop (0: none yet).
static RECEIVED: AtomicUsize = AtomicUsize::new(0);
/// Set with the first stopping signal: a second one then takes the default action.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// The terminal went away (hangup seen on it, an error, or the end of input).
static HUNG_UP: AtomicBool = AtomicBool::new(false);

/// The signals that stop the app.
#[cfg(unix)]
const STOP: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

/// Installs the handlers (once; later calls do nothing). A handler only sets flags.
pub fn install() -> io::Result<()> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        #[cfg(unix)]
        for sig in STOP {
            // The order matters: the default action is armed by the first signal's flag.
            result = signal_hook::flag::register_conditional_default(sig, &STOPPING)
                .and_then(|_| signal_hook::flag::register(sig, &STOPPING))
                .and_then(|_| signal_hook::flag::register_usize(sig, &RECEIVED, sig as usize))
                .map(|_| ());
            if result.is_err() {
                break;
            }
        }
    });
    result
}

/// The signal that stopped the app, if one did.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        sig => i32::try_from(sig).ok(),
    }
}

/// Whether the app must stop now: a signal came, or the terminal is gone.
pub fn stop_requested() -> bool {
    received().is_some() || HUNG_UP.load(Ordering::SeqCst)
}

/// What a [`wait`] ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// A terminal event is ready to be read.
    Event,
    /// The time asked for passed.
    Timeout,
    /// A signal came or the terminal went away: save and stop.
    Stop,
    /// The annotation folder changed (see [`crate::app::watch`]).
    Changed,
}

/// Waits for a terminal event up to `timeout` (`None`: as long as it takes), looking for a
/// signal, a hangup or a change that `changed` reports every [`CHECK_EVERY`].
///
/// The wait itself is a `poll(2)` on the terminal, not crossterm's: crossterm, once the
/// terminal has hung up, reads its end of input in a loop and never returns. So crossterm is
/// only asked (without waiting) after the terminal is known to be there; a resize, which
/// crossterm learns by a signal of its own, is seen within [`CHECK_EVERY`].
pub fn wait(timeout: Option<Duration>, changed: &dyn Fn() -> bool) -> Wait {
    let deadline = timeout.map(|t| Instant::now() + t);
    loop {
        if stop_requested() || terminal_gone() {
            return Wait::Stop;
        }
        if changed() {
            return Wait::Changed;
        }
        match event::poll(Duration::ZERO) {
            Ok(true) => return Wait::Event,
            Ok(false) => {}
            // The terminal cannot be read: it went away.
            Err(_) => {
                HUNG_UP.store(true, Ordering::SeqCst);
                return Wait::Stop;
            }
        }
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if left.is_some_and(|l| l.is_zero()) {
            return Wait::Timeout;
        }
        input_or(left.map_or(CHECK_EVERY, |l| l.min(CHECK_EVERY)));
    }
}

/// Sleeps until the terminal has input (or hangs up), a signal comes, or `slice` passes.
fn input_or(slice: Duration) {
    #[cfg(unix)]
    {
        let mut fd = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(slice.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd. EINTR (a signal) simply ends the sleep early.
        unsafe { libc::poll(&mut fd, 1, ms.max(1)) };
    }
    #[cfg(not(unix))]
    std::thread::sleep(slice);
}

/// Reads the event [`wait`] found; `None` when reading failed, which is taken as a hangup.
pub fn read() -> Option<Event> {
    match event::read() {
        Ok(ev) => Some(ev),
        Err(_) => {
            HUNG_UP.store(true, Ordering::SeqCst);
            None
        }
    }
}

/// Marks the terminal as gone: writing a frame to it failed.
pub fn lost_terminal() {
    HUNG_UP.store(true, Ordering::SeqCst);
}

/// Whether the terminal on standard input has hung up (checked without reading it). Also
/// marks it so.
fn terminal_gone() -> bool {
    #[cfg(unix)]
    {
        let mut fd = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, no timeout.
        let n = unsafe { libc::poll(&mut fd, 1, 0) };
        if n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            HUNG_UP.store(true, Ordering::SeqCst);
            return true;
        }
    }
    HUNG_UP.load(Ordering::SeqCst)
}

/// One more attempt to save every unsaved change before the app stops for a signal or a
/// hangup; what still fails is reported by the caller, as after `q`.
pub fn last_save(app: &mut App) {
    if let Some(n) = &mut app.session.notes {
        let _ = std::sync::Arc::make_mut(&mut n.store).retry();
    }
}

/// The exit code after the app: 3 when notes could not be saved (as after `q`), else 128 +
/// the signal that stopped it, else 129 (as for SIGHUP) when the terminal went away, else 0.
pub fn exit_code(unsaved_code: i32) -> i32 {
    if unsaved_code != 0 {
        return unsaved_code;
    }
    match received() {
        Some(sig) => 128 + sig,
        None if HUNG_UP.load(Ordering::SeqCst) => 129,
        None => 0,
    }
}
