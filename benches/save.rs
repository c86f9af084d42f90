//! Saving one note with a corpus loaded.
//!
//! For each size (see `common` for the sizes and `TERRENG_BENCH_SIZES`), with the corpus and
//! every analyst's notes loaded, the store opened for an analyst of the benches' own
//! (`bench-analyst`, so the corpus's files are only read), whose file on the first journey is
//! first given as many notes as a corpus file holds on average; in the group `save/<size>`:
//! - `store_put`: one `NoteStore::apply(Change::Put)` of a new note: the file merged with
//!   what is on disk if it changed, written to a temporary file, fsynced, renamed, the folder
//!   fsynced. The note is deleted again after each, untimed, so the file keeps its size;
//! - `store_delete`: the same for `Change::Delete` of a note put untimed just before;
//! - `app_save`: the save key (Ctrl-S) in the note editor through `update`: the save, the undo
//!   history and the analysis refreshed for the changed notes; the editor is opened and typed
//!   into before, and the note undone after, untimed;
//! - `app_save_frame`: the same and then the frame it gives (200×60 `TestBackend`).
//!
//! The bench analyst's folder is removed afterwards (and before, if a run was interrupted).
//!
//! Run: `cargo bench --bench save`; `TERRENG_BENCH_SIZES=s,l,xl cargo bench --bench save`.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use terreng::app::state::{NoteStatus, Overlay, Screen};
use terreng::app::{Action, App, act};
use terreng::model::Note;
use terreng::store::annotations::{Change, NoteStore, Saved};

use common::{BENCH_ANALYST, Size};

/// A note on the first step, with two codes from the catalogue.
fn note(app: &App, step: &str) -> Note {
    let codes: Vec<String> = app
        .session
        .data
        .terrain
        .features()
        .take(2)
        .map(|(_, f)| f.id.clone())
        .collect();
    Note::new(
        step,
        codes,
        "Saved by the save bench: a sentence or two, as an analyst writes on a step.".to_string(),
    )
}

fn store(app: &mut App) -> &mut NoteStore {
    std::sync::Arc::make_mut(&mut app.session.notes.as_mut().expect("notes attached").store)
}

fn bench_size(c: &mut Criterion, size: &Size) {
    let dir = common::corpus(size);
    let mut app = common::app(&dir);
    common::act(
        &mut app,
        &[Action::ShowAtlas, Action::SelectRow(0), Action::Open],
    );
    assert_eq!(app.screen, Screen::Journey);
    let journey = app.current_journey().expect("a journey").id.clone();
    let step = app.current_journey().expect("a journey").steps[0]
        .id
        .clone();
    // As many notes as one corpus file holds on average, so the file written is a usual one.
    let p = size.params;
    let per_file = (p.notes / (p.analysts * p.journeys).max(1)).max(1);
    for _ in 0..per_file {
        let n = note(&app, &step);
        store(&mut app)
            .apply(Change::Put {
                journey: journey.clone(),
                note: n,
            })
            .expect("prefill the bench analyst's file");
    }
    app.session.notes_gen += 1;
    app.refresh_analysis();

    let mut group = c.benchmark_group(format!("save/{}", size.name));
    common::configure(&mut group, size, false);
    group.bench_function("store_put", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let n = note(&app, &step);
                let id = n.id.clone();
                let put = Change::Put {
                    journey: journey.clone(),
                    note: n,
                };
                let s = store(&mut app);
                let start = Instant::now();
                let saved = s.apply(put);
                total += start.elapsed();
                assert_eq!(black_box(saved), Ok(Saved::Written));
                let delete = Change::Delete {
                    journey: journey.clone(),
                    id,
                };
                s.apply(delete).expect("delete the note again");
            }
            total
        })
    });
    group.bench_function("store_delete", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let n = note(&app, &step);
                let id = n.id.clone();
                let put = Change::Put {
                    journey: journey.clone(),
                    note: n,
                };
                let s = store(&mut app);
                s.apply(put).expect("put the note");
                let delete = Change::Delete {
                    journey: journey.clone(),
                    id,
                };
                let start = Instant::now();
                let saved = s.apply(delete);
                total += start.elapsed();
                assert_eq!(black_box(saved), Ok(Saved::Written));
            }
            total
        })
    });

    let mut t = common::terminal();
    for (name, draw) in [("app_save", false), ("app_save_frame", true)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    common::act(
                        &mut app,
                        &[
                            Action::AddNote,
                            Action::EditorPaste("A note typed in the editor.".to_string()),
                        ],
                    );
                    assert_eq!(app.overlay, Overlay::Editor);
                    let start = Instant::now();
                    black_box(act(&mut app, Action::SaveNote));
                    if draw {
                        common::frame(&mut t, &app);
                    }
                    total += start.elapsed();
                    let status = &app.session.notes.as_ref().expect("notes").status;
                    assert!(
                        matches!(status, NoteStatus::Saved { .. }),
                        "the note was saved: {status:?}"
                    );
                    common::act(&mut app, &[Action::Undo]);
                }
                total
            })
        });
    }
    group.finish();
    drop(app);
    std::fs::remove_dir_all(common::annotations(&dir).join(BENCH_ANALYST))
        .expect("remove the bench analyst's folder");
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for size in common::sizes() {
        bench_size(&mut c, &size);
    }
    c.final_summary();
}
