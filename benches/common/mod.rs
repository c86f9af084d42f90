//! What every bench shares: the corpora, made by `terreng gen`'s own generator, and how long
//! to measure at each size.
//!
//! Sizes are chosen with `TERRENG_BENCH_SIZES`, a comma-separated list of `s`, `l` and `xl`
//! (default `s,l`, so a plain `cargo bench` finishes in a few minutes):
//!
//! | size | journeys × steps | notes | analysts |
//! | ---- | ---------------- | ----- | -------- |
//! | s    | 25 × 10          | 250   | 2        |
//! | l    | 2,000 × 40       | 200,000 | 4      |
//! | xl   | 10,000 × 40      | 1,000,000 | 5    |
//!
//! A corpus is generated on first use into `target/bench-corpora/<size>/` (under
//! `CARGO_TARGET_DIR` when that is set) and reused afterwards. `params.txt` is written last,
//! once every file is there: a corpus without it, or made with other parameters, is removed
//! and made again, so an interrupted generation never passes for a whole one. Generation is
//! never timed.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, SamplingMode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::{Action, App};
use terreng::store::annotations::NoteStore;
use terreng::store::synthetic::{Params, generate};
use terreng::store::{self, DataSource, Dataset};
use terreng::ui::{self, theme::Look};

/// The analyst the benches open the store as: never one of the corpus's own, so that the
/// corpus's files are only read. The save bench writes under this name and removes its folder
/// afterwards; a folder left by an interrupted run is removed before any measuring.
pub const BENCH_ANALYST: &str = "bench-analyst";

/// The terminal size every frame is drawn at.
pub const WIDTH: u16 = 200;
pub const HEIGHT: u16 = 60;

/// One corpus size.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub name: &'static str,
    pub params: Params,
}

impl Size {
    /// Whether this is one of the big sizes, measured with few samples.
    pub fn big(&self) -> bool {
        self.params.journeys > 100
    }
}

const SIZES: [Size; 3] = [
    Size {
        name: "s",
        params: Params {
            journeys: 25,
            steps: 10,
            notes: 250,
            analysts: 2,
            seed: 1,
        },
    },
    Size {
        name: "l",
        params: Params {
            journeys: 2_000,
            steps: 40,
            notes: 200_000,
            analysts: 4,
            seed: 1,
        },
    },
    Size {
        name: "xl",
        params: Params {
            journeys: 10_000,
            steps: 40,
            notes: 1_000_000,
            analysts: 5,
            seed: 1,
        },
    },
];

/// The sizes asked for in `TERRENG_BENCH_SIZES` (default `s,l`), in the order small to large.
pub fn sizes() -> Vec<Size> {
    let asked = std::env::var("TERRENG_BENCH_SIZES").unwrap_or_else(|_| "s,l".to_string());
    let names: Vec<String> = asked
        .split(',')
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    for n in &names {
        assert!(
            SIZES.iter().any(|s| s.name == n),
            "TERRENG_BENCH_SIZES: unknown size '{n}' (known: s, l, xl)"
        );
    }
    SIZES
        .iter()
        .filter(|s| names.iter().any(|n| n == s.name))
        .copied()
        .collect()
}

/// Whether the bench binary was started only to list benches or as a test (`cargo test
/// --benches`): then the extra timing loops outside criterion are cut short.
pub fn quick_mode() -> bool {
    std::env::args().any(|a| a == "--list" || a == "--test")
}

/// `target/` of this package, or `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

/// The corpus of a size: its folder, generated first if it is missing or incomplete.
pub fn corpus(size: &Size) -> PathBuf {
    let dir = target_dir().join("bench-corpora").join(size.name);
    let stamp = dir.join("params.txt");
    let want = format!("{:?}\n", size.params);
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove an incomplete corpus");
        }
        eprintln!(
            "making the {} corpus in {} (once; reused afterwards)…",
            size.name,
            dir.display()
        );
        let started = std::time::Instant::now();
        let mut last = 0;
        let made = generate(&dir, size.params, &mut |done, total| {
            let pct = done * 100 / total.max(1);
            if pct >= last + 10 {
                last = pct;
                eprintln!("  {pct}%");
            }
        })
        .expect("generate the corpus");
        eprintln!(
            "  {} journeys, {} steps, {} notes, {} files, {} MB in {:.1?}",
            made.journeys,
            made.steps,
            made.notes,
            made.files,
            made.bytes / 1_000_000,
            started.elapsed()
        );
        std::fs::write(&stamp, &want).expect("write params.txt");
    }
    // What an interrupted save bench may have left.
    let leftover = dir.join("annotations").join(BENCH_ANALYST);
    if leftover.exists() {
        std::fs::remove_dir_all(&leftover).expect("remove the bench analyst's folder");
    }
    dir
}

/// The data source of a corpus, as `terreng --data DIR` names it.
pub fn source(dir: &Path) -> DataSource {
    DataSource::Dir(dir.to_path_buf())
}

/// The annotation folder of a corpus.
pub fn annotations(dir: &Path) -> PathBuf {
    dir.join("annotations")
}

/// Loads a corpus the way the app does at start: the data set, then the notes opened for
/// `analyst`. Checks the corpus loaded cleanly, so a bench never measures a broken one.
pub fn load(dir: &Path, analyst: &str) -> (Dataset, NoteStore) {
    let data = store::load(&source(dir), None);
    assert!(
        data.problems.is_empty(),
        "the corpus has problems: {:?}",
        &data.problems[..data.problems.len().min(3)]
    );
    let (notes, problems) = NoteStore::open(&annotations(dir), analyst);
    assert!(problems.is_empty(), "the notes have problems: {problems:?}");
    (data, notes)
}

/// The app with a corpus loaded and its notes attached, as `terreng --data DIR` starts.
pub fn app(dir: &Path) -> App {
    let (data, notes) = load(dir, BENCH_ANALYST);
    App::new(data, Look::default()).with_notes(notes, Vec::new())
}

/// Applies actions as keys would.
pub fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        terreng::app::act(app, a.clone());
    }
}

/// Marks the first `n` journeys of the atlas for comparison and leaves the atlas at the top.
pub fn mark_first(app: &mut App, n: usize) {
    for i in 0..n {
        act(app, &[Action::SelectRow(i), Action::Mark]);
    }
    act(app, &[Action::SelectRow(0)]);
}

/// A terminal of the bench size.
pub fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal")
}

/// Draws one frame of the app.
pub fn frame(t: &mut Terminal<TestBackend>, app: &App) {
    t.draw(|f| {
        std::hint::black_box(ui::draw(f, app));
    })
    .expect("draw");
}

/// Whether a criterion option was given on the command line (`cargo bench -- --OPTION N`).
fn given(option: &str) -> bool {
    std::env::args().any(|a| a == option || a.starts_with(&format!("{option}=")))
}

/// Few samples and a longer measuring time at the big sizes, where one iteration can take
/// seconds; criterion's defaults, a little shorter, at the small one. `slow` benches (whole
/// loads) get longer. What is given on the command line (`--sample-size`, `--warm-up-time`,
/// `--measurement-time`) wins, so a brief run stays brief.
pub fn configure(group: &mut BenchmarkGroup<'_, WallTime>, size: &Size, slow: bool) {
    let (samples, warm_up, measure) = match (size.big(), slow) {
        (true, true) => (10, 1, 20),
        (true, false) => (10, 1, 5),
        (false, true) => (20, 1, 3),
        (false, false) => (50, 1, 3),
    };
    // Whole loads take seconds at the big sizes: the same one iteration per sample, rather
    // than criterion's rising counts, which would hold many loaded corpora at once.
    group.sampling_mode(if slow {
        SamplingMode::Flat
    } else {
        SamplingMode::Auto
    });
    if !given("--sample-size") {
        group.sample_size(samples);
    }
    if !given("--warm-up-time") {
        group.warm_up_time(Duration::from_secs(warm_up));
    }
    if !given("--measurement-time") {
        group.measurement_time(Duration::from_secs(measure));
    }
}
