//! Drawing each screen, and a key's whole way to its frame, with a corpus loaded.
//!
//! For each size (see `common` for the sizes and `TERRENG_BENCH_SIZES`), with the corpus and
//! its notes loaded as `terreng --data DIR` loads them and four journeys marked, frames drawn
//! by `ui::draw` into a 200×60 ratatui `TestBackend`, in the group `ui/<size>`:
//! - `draw_atlas`, `draw_journey`, `draw_compare`, `draw_terrain`: one frame of screen `1`,
//!   `2`, `3`, `4`, the state unchanged;
//! - `key_*`: one key through `update` (and the analysis it refreshes) and then its frame:
//!   `key_step` (→ on the journey screen), `key_next_journey` (`n`), `key_atlas_down` (↓ in
//!   the atlas), `key_compare_step` (→ in lockstep on the compare screen), `key_screens` (`1`
//!   `2` `3` `4` in turn), `key_filter` (typing `ø` in the atlas filter and taking it back),
//!   `key_help` (`?` and Esc in turn);
//! - `draw_compare_themes`: a frame of screen `3` with two whole themes marked (on a second
//!   app, so the four journeys stay marked for the keys).
//!
//! Criterion reports means and medians; the target is also on the 99th percentile, so after
//! criterion the same keys are timed one by one, 1,000 of each after a warm-up, and their
//! p50, p99 and maximum are printed and written to `target/bench-keys-<size>.txt`.
//!
//! Run: `cargo bench --bench ui`; `TERRENG_BENCH_SIZES=s,l,xl cargo bench --bench ui`.

mod common;

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::state::Screen;
use terreng::app::{Action, App};

use common::Size;

/// How many journeys are marked for the compare screen.
const MARKED: usize = 4;
/// Keys timed one by one for the percentiles, after `WARM_UP` untimed.
const KEYS: usize = 1_000;
const WARM_UP: usize = 50;

/// A key to press over and over: how to get to where it is pressed, and which action to send
/// next as the app stands (so stepping turns back at the end instead of doing nothing).
struct Key {
    name: &'static str,
    what: &'static str,
    setup: Vec<Action>,
    /// May change the app the way the user would meanwhile (a note saved), so that what the key
    /// does is not a result kept from the last time.
    next: Box<dyn FnMut(&mut App) -> Action>,
}

/// The steps of the longest marked journey: where lockstep stops.
fn longest_marked(app: &App) -> usize {
    app.session
        .marked
        .iter()
        .map(|&i| app.session.data.journeys[i].steps.len())
        .max()
        .unwrap_or(1)
}

fn keys() -> Vec<Key> {
    let mut turn = 0usize;
    let mut screen = 0usize;
    vec![
        Key {
            name: "key_step",
            what: "journey screen: → next step (Home at the last)",
            setup: vec![Action::ShowAtlas, Action::SelectRow(0), Action::Open],
            next: Box::new(|app| {
                let n = app.current_journey().map_or(1, |j| j.steps.len());
                if app.journey.step + 1 < n {
                    Action::StepNext
                } else {
                    Action::StepFirst
                }
            }),
        },
        Key {
            name: "key_next_journey",
            what: "journey screen: n, the next journey",
            setup: vec![Action::ShowAtlas, Action::SelectRow(0), Action::Open],
            next: Box::new(|_| Action::NextJourney),
        },
        Key {
            name: "key_atlas_down",
            what: "atlas: ↓ the next journey (back to the top at the end)",
            setup: vec![Action::ShowAtlas, Action::SelectRow(0)],
            next: Box::new(|app| {
                if app.atlas.selected + 1 < app.session.visible.len() {
                    Action::Down
                } else {
                    Action::SelectRow(0)
                }
            }),
        },
        Key {
            name: "key_compare_step",
            what: "compare screen: → next step in lockstep (Home at the last)",
            setup: vec![Action::ShowCompare, Action::StepFirst],
            next: Box::new(|app| {
                if app.compare.pos + 1 < longest_marked(app) {
                    Action::StepNext
                } else {
                    Action::StepFirst
                }
            }),
        },
        Key {
            name: "key_screens",
            what: "1 2 3 4 in turn: atlas, journey, compare, terrain",
            setup: vec![Action::ShowAtlas],
            next: Box::new(move |_| {
                screen = (screen + 1) % 4;
                [
                    Action::ShowAtlas,
                    Action::ShowJourney,
                    Action::ShowCompare,
                    Action::ShowTerrain,
                ][screen]
                    .clone()
            }),
        },
        Key {
            name: "key_filter",
            what: "atlas filter: ø after a note was saved (a search of all the text), then ⌫",
            setup: vec![Action::ShowAtlas, Action::Filter],
            next: Box::new(move |app| {
                if app.atlas.filter.is_empty() {
                    // A note saved elsewhere: what the filter kept no longer holds, and its
                    // first letter searches every journey's text and notes again.
                    app.notes_changed(std::iter::empty());
                    Action::FilterInput('ø')
                } else {
                    Action::FilterBackspace
                }
            }),
        },
        Key {
            name: "key_help",
            what: "journey screen: ? and Esc in turn",
            setup: vec![Action::ShowAtlas, Action::SelectRow(0), Action::Open],
            next: Box::new(move |_| {
                turn += 1;
                if turn % 2 == 1 {
                    Action::Help
                } else {
                    Action::Close
                }
            }),
        },
    ]
}

/// One key, then its frame: what the event loop does for a key press.
fn press(app: &mut App, t: &mut Terminal<TestBackend>, action: Action) {
    black_box(terreng::app::act(app, action));
    common::frame(t, app);
}

/// The value at quantile `q` (0 to 1) of sorted durations, in milliseconds.
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

/// Times keys one by one for the percentiles, and writes them to `target/bench-keys-<size>.txt`.
fn percentiles(app: &mut App, t: &mut Terminal<TestBackend>, size: &Size) {
    let count = if common::quick_mode() { 10 } else { KEYS };
    let p = size.params;
    let mut report = format!(
        "key → update → frame, {}×{} TestBackend; size {}: {} journeys × {} steps, {} notes by \
         {} analysts; {count} keys each after {WARM_UP} untimed\n\n{:<18} {:>8} {:>8} {:>8}  what\n",
        common::WIDTH,
        common::HEIGHT,
        size.name,
        p.journeys,
        p.steps,
        p.notes,
        p.analysts,
        "key",
        "p50 ms",
        "p99 ms",
        "max ms",
    );
    for mut key in keys() {
        common::act(app, &key.setup);
        for _ in 0..WARM_UP {
            let a = (key.next)(app);
            press(app, t, a);
        }
        let mut times = Vec::with_capacity(count);
        for _ in 0..count {
            let a = (key.next)(app);
            let start = Instant::now();
            press(app, t, a);
            times.push(start.elapsed());
        }
        times.sort();
        writeln!(
            report,
            "{:<18} {:>8.3} {:>8.3} {:>8.3}  {}",
            key.name,
            quantile(&times, 0.5),
            quantile(&times, 0.99),
            quantile(&times, 1.0),
            key.what
        )
        .expect("write to a string");
    }
    print!("\n{report}\n");
    let path = common::target_dir().join(format!("bench-keys-{}.txt", size.name));
    std::fs::write(&path, &report).expect("write the key percentiles");
    println!("written to {}", path.display());
}

fn bench_size(c: &mut Criterion, size: &Size) {
    let dir = common::corpus(size);
    let mut app = common::app(&dir);
    common::mark_first(&mut app, MARKED);
    assert_eq!(
        app.session.marked.len(),
        MARKED.min(app.session.data.journeys.len())
    );
    let mut t = common::terminal();
    let mut group = c.benchmark_group(format!("ui/{}", size.name));
    common::configure(&mut group, size, false);

    for (name, setup) in [
        ("draw_atlas", vec![Action::ShowAtlas]),
        (
            "draw_journey",
            vec![Action::ShowAtlas, Action::SelectRow(0), Action::Open],
        ),
        ("draw_compare", vec![Action::ShowCompare]),
        ("draw_terrain", vec![Action::ShowTerrain]),
    ] {
        common::act(&mut app, &setup);
        let screen = app.screen;
        group.bench_function(name, |b| b.iter(|| common::frame(&mut t, &app)));
        assert_eq!(app.screen, screen);
    }
    assert_eq!(app.screen, Screen::Terrain);

    for mut key in keys() {
        common::act(&mut app, &key.setup);
        group.bench_function(key.name, |b| {
            b.iter(|| {
                let a = (key.next)(&mut app);
                press(&mut app, &mut t, a);
            })
        });
    }
    // Two whole themes compared: a pane per theme with a row per journey, though only the
    // rows the pane has room for are drawn.
    let mut themed = common::app(&dir);
    let n = themed.session.data.journeys.len();
    common::act(
        &mut themed,
        &[
            Action::SelectRow(0),
            Action::MarkTheme,
            Action::SelectRow(n - 1),
            Action::MarkTheme,
            Action::ShowCompare,
        ],
    );
    if n > 100 {
        assert_eq!(themed.session.marked_themes.len(), 2, "two themes marked");
    }
    group.bench_function("draw_compare_themes", |b| {
        b.iter(|| common::frame(&mut t, &themed))
    });
    group.finish();
    if !std::env::args().any(|a| a == "--list") {
        percentiles(&mut app, &mut t, size);
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for size in common::sizes() {
        bench_size(&mut c, &size);
    }
    c.final_summary();
}
