//! The event loop: draw when something changed, wait for the next event (blocking — no busy
//! loop, idle CPU ≈ 0), turn it into an action through the keymap or the hit rectangles, let
//! `update` apply it, and carry out the effects it returns ([`crate::app::perform`]). A save is
//! on disk before the next frame; the outcomes of work on other threads (loading, scans,
//! exports, analysis) come back as actions through the performer's one channel, looked at
//! between events. While a journey plays, the wait has a timeout that ticks it on; while work
//! is out on a worker, the wait is short so that its result shows as soon as it is in, and its
//! progress line (the pairs of a distance matrix counted) is drawn again as it moves on.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Position;

use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::app::perform::Performer;
use crate::app::signals; // signals
use crate::app::state::{App, Overlay, Screen};
use crate::app::terminal::TerminalGuard;
use crate::app::watch::Watch;
use crate::ui::{self, Hits};

/// How long each step shows while a journey plays.
pub const PLAY_PACE: Duration = Duration::from_millis(1200);

/// How often annotation files are checked for changes made elsewhere, and failed saves retried.
pub const POLL_EVERY: Duration = Duration::from_secs(2);

/// How often the loop looks for results while work is out on workers or a study is loading.
pub const LOAD_PACE: Duration = Duration::from_millis(40);

/// Whether the loop goes on after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    Quit,
}

/// An action through `update` and the performer; marks the frame dirty if it must be redrawn.
fn handle(app: &mut App, performer: &mut Performer, action: Action, dirty: &mut bool) -> Flow {
    let handled = performer.handle(app, action);
    *dirty |= handled.redraw;
    if handled.quit { Flow::Quit } else { Flow::Go }
}

/// Runs the app until the user quits, and returns it (the caller reports unsaved notes). The
/// terminal is restored on every way out.
pub fn run(mut app: App) -> anyhow::Result<App> {
    crate::app::signals::install()?; // signals
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let mut performer = Performer::new();
    let mut hits = Hits::default();
    let mut dirty = true;
    let mut next_tick: Option<Instant> = None;
    let mut next_poll = Instant::now() + POLL_EVERY;
    // File events tell when to look at the annotation folder; without them, a look every
    // POLL_EVERY.
    // (Notes may come in after the first frame, from the loader: the watch starts then.)
    let mut watch: Option<Watch> = None;
    let mut watch_tried = false;
    let size = terminal.size()?;
    for effect in app.startup() {
        if let Some(action) = performer.perform(&mut app, effect) {
            handle(&mut app, &mut performer, action, &mut dirty);
        }
    }
    if handle(
        &mut app,
        &mut performer,
        Action::Resize(size.width, size.height),
        &mut dirty,
    ) == Flow::Quit
    {
        return Ok(app);
    }
    // The progress of the analysis in flight as last drawn: drawn again when it moves on.
    let mut progress: Option<String> = None;
    loop {
        // Whatever workers have sent since the last event.
        while let Some(action) = performer.try_recv() {
            if handle(&mut app, &mut performer, action, &mut dirty) == Flow::Quit {
                return Ok(app);
            }
        }
        if performer.busy() || progress.is_some() {
            let now = app.session.analysis.computing();
            if now != progress {
                progress = now;
                dirty = true;
            }
        }
        if dirty {
            let drawn = terminal.draw(|frame| {
                test_panic_hook();
                hits = ui::draw(frame, &app);
            });
            if drawn.is_err() {
                // A frame that cannot be written: the terminal went away between the waits
                // that would have seen it. Stop as for a hangup: save once more, and quit.
                signals::lost_terminal();
                signals::last_save(&mut app);
                std::mem::forget(terminal);
                return Ok(app);
            }
            dirty = false;
        }
        // Wait for an event, but no longer than the next play tick or the next poll of the
        // annotation files (every few seconds, so idle costs next to nothing).
        if !app.journey.playing {
            next_tick = None;
        }
        let now = Instant::now();
        let tick_due = app
            .journey
            .playing
            .then(|| *next_tick.get_or_insert_with(|| now + PLAY_PACE));
        if !watch_tried && let Some(n) = &app.session.notes {
            watch = Watch::start(n.store.root()).ok();
            watch_tried = true;
        }
        // With a watch, the timer only retries saves that failed.
        let unsaved = app
            .session
            .notes
            .as_ref()
            .is_some_and(|n| !n.store.unsaved().is_empty());
        let poll_due = app
            .session
            .notes
            .as_ref()
            .filter(|_| watch.is_none() || unsaved)
            .map(|_| next_poll);
        // While work is out, look for what has come back several times a second.
        let work_due = (app.session.loading.is_some() || performer.busy()).then(|| now + LOAD_PACE);
        let due = [tick_due, poll_due, work_due].into_iter().flatten().min();
        // signals: the wait stops for a signal or a vanished terminal; save once more, quit.
        let changed = || watch.as_ref().is_some_and(Watch::changed);
        let waited = signals::wait(
            due.map(|d| d.saturating_duration_since(Instant::now())),
            &changed,
        );
        if waited == signals::Wait::Stop {
            signals::last_save(&mut app);
            // ratatui's drop prints to a terminal that may be gone (and a failed print panics);
            // the guard restores the terminal instead.
            std::mem::forget(terminal);
            return Ok(app);
        }
        let action = match due {
            _ if waited == signals::Wait::Changed => Some(Action::Poll),
            Some(_) => {
                if waited == signals::Wait::Event {
                    signals::read().and_then(|ev| to_action(&app, &hits, ev))
                } else if tick_due.is_some_and(|t| t <= Instant::now()) {
                    next_tick = Some(Instant::now() + PLAY_PACE);
                    Some(Action::Tick)
                } else if poll_due.is_some_and(|p| p <= Instant::now()) {
                    next_poll = Instant::now() + POLL_EVERY;
                    Some(Action::Poll)
                } else {
                    None
                }
            }
            None => signals::read().and_then(|ev| to_action(&app, &hits, ev)), // signals
        };
        if let Some(action) = action
            && handle(&mut app, &mut performer, action, &mut dirty) == Flow::Quit
        {
            return Ok(app);
        }
    }
}

/// A panic inside drawing, on request, for the test that the terminal is restored before the
/// panic message prints. Only in debug builds.
fn test_panic_hook() {
    #[cfg(debug_assertions)]
    if std::env::var_os("TERRENG_TEST_PANIC_IN_DRAW").is_some() {
        panic!("a test panic inside drawing");
    }
}

/// The action for a terminal event: keys through the keymap (presses only), mouse events by
/// the rectangles of the last frame.
pub fn to_action(app: &App, hits: &Hits, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind == KeyEventKind::Press => {
            let context = app.context();
            let key = crate::app::terminal::key(&k)?;
            app.keymap.action(context, key).or_else(|| match context {
                // In the editor every other key is text or picker input; in a form, its fields'.
                Context::Editor | Context::Picker => Some(Action::EditorKey(key)),
                Context::Form => Some(Action::FormKey(key)),
                _ => None,
            })
        }
        Event::Key(_) => None,
        Event::Mouse(_)
            if matches!(
                app.overlay,
                Overlay::Editor | Overlay::Form | Overlay::Confirm
            ) =>
        {
            None
        }
        Event::Mouse(_) if app.context() == Context::Form => None,
        Event::Mouse(m) => mouse_action(app, hits, m),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Paste(text) if app.overlay == Overlay::Editor => Some(Action::EditorPaste(text)),
        Event::Paste(text) if app.context() == Context::Form => Some(Action::FormPaste(text)),
        Event::Paste(text) if app.context() == Context::SourceSearch => {
            Some(Action::FilterPaste(text))
        }
        Event::Paste(text) if app.command.is_some() => Some(Action::CommandPaste(text)),
        Event::Paste(text) if app.atlas.typing => Some(Action::FilterPaste(text)),
        // Back in the window: the files may have changed while the analyst was elsewhere.
        Event::FocusGained if app.session.notes.is_some() => Some(Action::Poll),
        Event::Paste(_) | Event::FocusGained | Event::FocusLost => None,
    }
}

fn inside(r: &ratatui::layout::Rect, col: u16, row: u16) -> bool {
    r.contains(Position::new(col, row))
}

/// A click (or a drag) in the reading view's text, as the row and column inside it.
fn reading_at(hits: &Hits, col: u16, row: u16, drag: bool) -> Option<Action> {
    let r = hits.reading?;
    inside(&r, col, row).then(|| Action::ReadAt {
        row: row - r.y,
        col: col - r.x,
        drag,
    })
}

fn mouse_action(app: &App, hits: &Hits, m: MouseEvent) -> Option<Action> {
    let (col, row) = (m.column, m.row);
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => match app.screen {
            Screen::Atlas => hits
                .atlas_rows
                .iter()
                .find(|(r, _)| inside(r, col, row))
                .map(|&(_, vi)| {
                    if vi == app.atlas.selected {
                        Action::Open
                    } else {
                        Action::SelectRow(vi)
                    }
                }),
            Screen::Journey => hits
                .strip
                .iter()
                .find(|(r, _)| inside(r, col, row))
                .map(|&(_, i)| Action::SelectStep(i))
                .or_else(|| {
                    // The nearest step point within a cell of the click.
                    hits.map_steps
                        .iter()
                        .map(|(r, i)| {
                            let d = r.x.abs_diff(col).max(r.y.abs_diff(row));
                            (d, *i)
                        })
                        .filter(|&(d, _)| d <= 1)
                        .min()
                        .map(|(_, i)| Action::SelectStep(i))
                }),
            Screen::Compare
            | Screen::Terrain
            | Screen::Agreement
            | Screen::Codebook
            | Screen::Sequences => None,
            Screen::Sources => reading_at(hits, col, row, false).or_else(|| {
                hits.source_rows
                    .iter()
                    .find(|(r, _)| inside(r, col, row))
                    .map(|&(_, i)| {
                        if i == app.sources.selected {
                            Action::Open
                        } else {
                            Action::SelectRow(i)
                        }
                    })
            }),
        },
        // Dragging in a source's text selects; past its top or bottom, to the line there.
        MouseEventKind::Drag(MouseButton::Left) if app.screen == Screen::Sources => {
            let r = hits.reading?;
            let col = col.clamp(r.x, r.right().saturating_sub(1));
            let row = row.clamp(r.y, r.bottom().saturating_sub(1));
            reading_at(hits, col, row, true)
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = m.kind == MouseEventKind::ScrollDown;
            match app.screen {
                Screen::Journey if hits.detail.is_some_and(|r| inside(&r, col, row)) => {
                    Some(Action::ScrollDetail(if down { 3 } else { -3 }))
                }
                Screen::Journey => Some(if down {
                    Action::StepNext
                } else {
                    Action::StepPrev
                }),
                Screen::Compare | Screen::Agreement => Some(if down {
                    Action::StepNext
                } else {
                    Action::StepPrev
                }),
                Screen::Atlas | Screen::Terrain | Screen::Codebook | Screen::Sequences => {
                    Some(if down { Action::Down } else { Action::Up })
                }
                Screen::Sources if hits.reading.is_some() => {
                    Some(Action::ScrollDetail(if down { 3 } else { -3 }))
                }
                Screen::Sources => Some(if down { Action::Down } else { Action::Up }),
            }
        }
        _ => None,
    }
}
