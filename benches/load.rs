//! Loading and validating a corpus, against the floor the format itself sets.
//!
//! For each size (see `common` for the sizes and `TERRENG_BENCH_SIZES`), in the group
//! `load/<size>`:
//! - `read_bytes`: list the folders and read the bytes of every journey, annotation and
//!   catalogue file, nothing more;
//! - `ron_floor_serial` / `ron_floor_parallel`: `ron`'s own `from_str` (with terreng's RON
//!   options) of those same bytes, already in memory, into the same types (`Journey`,
//!   `Annotations`), on one core and split over every core as loading splits it; parsing only;
//! - `json_floor_parallel` / `msgpack_floor_parallel`: the same journeys and notes, once
//!   parsed and written as JSON or MessagePack (named fields), read back into the same types
//!   on every core: what a warm-start cache in either format could cost at best;
//! - `journeys`: `store::load`, the journeys and the catalogue read, parsed and validated;
//! - `notes`: `NoteStore::open`, every analyst's notes read and parsed;
//! - `full`: both, what the app does before it can build its state;
//! - `app_first_frame`: the app started as `terreng --data DIR` starts it, to its first frame
//!   (200×60) with journeys on it: a small folder loads whole first, a large one behind the
//!   frame, so this is the first frame the user can work in;
//! - `app_full`: the same until everything is in, notes included, and a frame of it;
//! - `app_first_frame_warm` / `app_full_warm` (L and XL): the same two with a warm-start
//!   snapshot made by a load before (`store::warm`): every file still read, its parse decoded
//!   from the snapshot;
//! - `bundled_first_frame` (S only): the bundled journeys to their first frame.
//!
//! `full` over `read_bytes` + `ron_floor_parallel` is loading's overhead over the format's own
//! limit. What each iteration returns is dropped outside the timing, as it is kept in use.
//!
//! Run: `cargo bench --bench load`; `TERRENG_BENCH_SIZES=s,l,xl cargo bench --bench load`.

mod common;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use criterion::Criterion;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::perform::Performer;
use terreng::app::{App, loader};
use terreng::model::{Annotations, Journey};
use terreng::store::parse::ron_options;
use terreng::store::{self, annotations::NoteStore};
use terreng::ui::theme::Look;

use common::{BENCH_ANALYST, Size};

/// Every `*.ron` file directly in `dir`, sorted.
fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list a corpus folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

/// The corpus's files, as the loaders find them: journeys, then every analyst's notes.
struct Files {
    journeys: Vec<PathBuf>,
    notes: Vec<PathBuf>,
    catalogue: PathBuf,
}

fn list(dir: &Path) -> Files {
    let journeys = ron_files(&dir.join("journeys"));
    let mut notes = Vec::new();
    let mut analysts: Vec<PathBuf> = std::fs::read_dir(common::annotations(dir))
        .expect("list the annotations")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_dir())
        .collect();
    analysts.sort();
    for a in analysts {
        notes.extend(ron_files(&a));
    }
    Files {
        journeys,
        notes,
        catalogue: dir.join("assets").join("terrain.ron"),
    }
}

/// The bytes of every file.
struct Bytes {
    journeys: Vec<Vec<u8>>,
    notes: Vec<Vec<u8>>,
    catalogue: Vec<u8>,
}

fn read(files: &Files) -> Bytes {
    let read = |p: &PathBuf| std::fs::read(p).expect("read a corpus file");
    Bytes {
        journeys: files.journeys.iter().map(read).collect(),
        notes: files.notes.iter().map(read).collect(),
        catalogue: read(&files.catalogue),
    }
}

/// The bytes of one file, parsed as `T` by `ron` alone (UTF-8 checked, as `from_str` needs).
fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> T {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    ron_options().from_str(text).expect("the corpus parses")
}

/// One file of either kind, for the parallel floor.
enum Kind<'a> {
    Journey(&'a [u8]),
    Notes(&'a [u8]),
}

fn bench_size(c: &mut Criterion, size: &Size) {
    let dir = common::corpus(size);
    let source = common::source(&dir);
    let root = common::annotations(&dir);
    let bytes = read(&list(&dir));
    let mut group = c.benchmark_group(format!("load/{}", size.name));

    // Every bench here handles the whole corpus: one iteration per sample at the big sizes.
    common::configure(&mut group, size, true);
    group.bench_function("read_bytes", |b| {
        b.iter_with_large_drop(|| read(&list(&dir)));
    });
    group.bench_function("ron_floor_serial", |b| {
        b.iter_with_large_drop(|| {
            let journeys: Vec<Journey> = bytes.journeys.iter().map(|b| parse(b)).collect();
            let notes: Vec<Annotations> = bytes.notes.iter().map(|b| parse(b)).collect();
            let catalogue: terreng::model::Terrain = parse(&bytes.catalogue);
            (journeys, notes, catalogue)
        });
    });
    let all: Vec<Kind> = bytes
        .journeys
        .iter()
        .map(|b| Kind::Journey(b))
        .chain(bytes.notes.iter().map(|b| Kind::Notes(b)))
        .collect();
    group.bench_function("ron_floor_parallel", |b| {
        b.iter_with_large_drop(|| {
            let parsed = all
                .par_iter()
                .map(|k| match k {
                    Kind::Journey(b) => (Some(parse::<Journey>(b)), None),
                    Kind::Notes(b) => (None, Some(parse::<Annotations>(b))),
                })
                .collect::<Vec<_>>();
            let catalogue: terreng::model::Terrain = parse(&bytes.catalogue);
            (parsed, catalogue)
        });
    });
    // What a warm-start cache could read instead: the same journeys and notes, parsed once and
    // written as one JSON and one MessagePack value per file (outside the timing), read back
    // into the same types on every core. Both formats are self-describing, as the types' fields
    // that are left out when empty require.
    let parsed: Vec<(Option<Journey>, Option<Annotations>)> = all
        .par_iter()
        .map(|k| match k {
            Kind::Journey(b) => (Some(parse::<Journey>(b)), None),
            Kind::Notes(b) => (None, Some(parse::<Annotations>(b))),
        })
        .collect();
    let encode_all = |format: Format| -> Vec<(bool, Vec<u8>)> {
        parsed
            .iter()
            .map(|p| match p {
                (Some(j), _) => (true, format.encode(j)),
                (_, Some(a)) => (false, format.encode(a)),
                _ => unreachable!(),
            })
            .collect()
    };
    let json = encode_all(Format::Json);
    let msgpack = encode_all(Format::MessagePack);
    drop(parsed);
    // Each file read back on every core into the type it was written from.
    let read_back = |encoded: &[(bool, Vec<u8>)], format: Format| {
        encoded
            .par_iter()
            .map(|(is_journey, b)| {
                if *is_journey {
                    (Some(format.decode::<Journey>(b)), None)
                } else {
                    (None, Some(format.decode::<Annotations>(b)))
                }
            })
            .collect::<Vec<_>>()
    };
    group.bench_function("json_floor_parallel", |b| {
        b.iter_with_large_drop(|| read_back(&json, Format::Json));
    });
    group.bench_function("msgpack_floor_parallel", |b| {
        b.iter_with_large_drop(|| read_back(&msgpack, Format::MessagePack));
    });
    let sizes = |v: &[(bool, Vec<u8>)]| v.iter().map(|(_, b)| b.len()).sum::<usize>();
    let ron_bytes: usize = bytes
        .journeys
        .iter()
        .chain(&bytes.notes)
        .map(Vec::len)
        .sum();
    println!(
        "load/{}: {} bytes as RON, {} as JSON, {} as MessagePack",
        size.name,
        ron_bytes,
        sizes(&json),
        sizes(&msgpack)
    );
    group.bench_function("journeys", |b| {
        b.iter_with_large_drop(|| store::load(&source, None));
    });
    group.bench_function("notes", |b| {
        b.iter_with_large_drop(|| NoteStore::open(&root, BENCH_ANALYST));
    });
    group.bench_function("full", |b| {
        b.iter_with_large_drop(|| common::load(&dir, BENCH_ANALYST));
    });
    // As `terreng --data DIR` starts: a small folder loads before the first frame, a large one
    // behind it (see `app::loader`); first without a warm-start snapshot, then (`_warm`) with
    // one made by a load before (`store::warm`): every file is still read, but decoded from the
    // snapshot instead of parsed.
    // A folder small enough to load before the first frame (S) has no snapshot.
    let snapshots = tempfile::tempdir().expect("a folder for the snapshot");
    let large = loader::in_background(&store::open(&common::source(&dir), None));
    let runs = [("", None), ("_warm", Some(snapshots.path()))];
    for (suffix, warm) in runs.into_iter().take(if large { 2 } else { 1 }) {
        if let Some(folder) = warm {
            make_snapshot(&dir, folder);
        }
        // Timed to the first frame; then, untimed, the rest of the loading is taken in, so that
        // an iteration's notes, read on a thread of their own, do not run on into the next one.
        group.bench_function(format!("app_first_frame{suffix}"), |b| {
            b.iter_custom(|iters| {
                let mut timed = std::time::Duration::ZERO;
                for _ in 0..iters {
                    let began = std::time::Instant::now();
                    let (mut app, mut performer) = start(&dir, warm);
                    while app.session.data.journeys.is_empty() && app.session.loading.is_some() {
                        wait(&mut app, &mut performer);
                    }
                    frame(&app);
                    timed += began.elapsed();
                    while app.session.loading.is_some() {
                        wait(&mut app, &mut performer);
                    }
                }
                timed
            });
        });
        group.bench_function(format!("app_full{suffix}"), |b| {
            b.iter_with_large_drop(|| {
                let (mut app, mut performer) = start(&dir, warm);
                while app.session.loading.is_some() {
                    wait(&mut app, &mut performer);
                }
                assert!(app.session.notes.is_some());
                frame(&app);
                app
            });
        });
    }
    if size.name == "s" {
        // The journeys bundled into the binary, as `cargo run --release` opens them.
        group.bench_function("bundled_first_frame", |b| {
            b.iter_with_large_drop(|| {
                let data = store::load(&store::DataSource::Bundled, None);
                let app = App::new(data, Look::default());
                frame(&app);
                app
            });
        });
    }
    group.finish();
}

/// Loads the corpus once with its warm-start snapshots in `folder`, and waits for the snapshot,
/// which is written behind the loading's end, on the loading thread, and appears whole, by a
/// rename.
fn make_snapshot(dir: &Path, folder: &Path) {
    let (mut app, mut performer) = start(dir, Some(folder));
    while app.session.loading.is_some() {
        wait(&mut app, &mut performer);
    }
    drop(app);
    let written = || {
        folder
            .read_dir()
            .expect("the snapshot folder")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".warm"))
    };
    let mut waited = 0;
    while !written() {
        assert!(waited < 1200, "no snapshot after two minutes");
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
}

/// The app as `main` starts it on a corpus folder, with the event loop's performer, which
/// starts loading what comes behind the first frame; with `snapshots`, a large folder's
/// warm-start snapshot is kept there.
fn start(dir: &Path, snapshots: Option<&Path>) -> (App, Performer) {
    let opened = store::open(&common::source(dir), None);
    let notes = Some((common::annotations(dir), BENCH_ANALYST.to_string()));
    let mut app = loader::open_warm(opened, Look::default(), notes, snapshots);
    let mut performer = Performer::new();
    for effect in app.startup() {
        if let Some(action) = performer.perform(&mut app, effect) {
            performer.handle(&mut app, action);
        }
    }
    (app, performer)
}

/// Takes in what the loading thread has sent, waiting a moment for it, as the event loop does.
fn wait(app: &mut App, performer: &mut Performer) {
    if let Some(batch) = performer.recv_timeout(std::time::Duration::from_millis(1)) {
        performer.handle(app, batch);
    }
}

/// One frame at 200×60.
fn frame(app: &App) {
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("a test terminal");
    t.draw(|f| {
        terreng::ui::draw(f, app);
    })
    .expect("a frame");
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for size in common::sizes() {
        bench_size(&mut c, &size);
    }
    c.final_summary();
}

/// A format a warm-start cache could keep the study in, for the floors it would set.
#[derive(Clone, Copy)]
enum Format {
    Json,
    /// With named fields, as the types' fields left out when empty require.
    MessagePack,
}

impl Format {
    fn encode<T: serde::Serialize>(self, value: &T) -> Vec<u8> {
        match self {
            Format::Json => serde_json::to_vec(value).expect("JSON"),
            Format::MessagePack => rmp_serde::to_vec_named(value).expect("MessagePack"),
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(self, bytes: &[u8]) -> T {
        match self {
            Format::Json => serde_json::from_slice(bytes).expect("JSON"),
            Format::MessagePack => rmp_serde::from_slice(bytes).expect("MessagePack"),
        }
    }
}
