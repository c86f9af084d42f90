//! Route layout and analysis over a whole corpus.
//!
//! For each size (see `common` for the sizes and `TERRENG_BENCH_SIZES`), in the group
//! `analysis/<size>`:
//! - `layout_one` / `layout_all`: `model::layout` of the first journey / of every journey (what
//!   `App::new` does once);
//! - `notes_all`: `NoteStore::all`, every analyst's notes listed, as analysis takes them;
//! - `coded_all_journey` / `coded_all_both`: every journey coded from its own file / from the
//!   file and every note;
//! - `compare_4_journeys` / `compare_2_themes`: the compare screen's view (progress curves,
//!   sequences, the obstacle × journey matrix, common terrain, nearest journeys) of four
//!   journeys / of two whole themes. At L and XL the themes are compared only when
//!   `TERRENG_BENCH_THEMES=1`: one call took about 8 minutes at L when the benches were
//!   written (the nearest journeys of every journey of both themes), which would make the run
//!   hours long;
//! - `terrain_all`: the terrain screen's view (frequency, where met, distinctiveness, what every
//!   journey shares) over every journey;
//! - `agreement_all`: the agreement screen's analysis over every journey and every analyst with
//!   a note on them (as the app computes it for `5` with nothing filtered out): the steps two or
//!   more analysts coded, each code's units counted, every figure, the steps that differ;
//! - `refresh_after_note`: `App::refresh_analysis` after the notes changed, on the compare
//!   screen with two journeys marked and the source at "both": what a saved note costs that
//!   screen besides the save (on the atlas and journey screens it costs nothing, as only the
//!   screen in view is analysed).
//!
//! Run: `cargo bench --bench analysis`; `TERRENG_BENCH_SIZES=s,l,xl cargo bench --bench analysis`.

mod common;

use std::hint::black_box;

use criterion::Criterion;
use terreng::analysis::agree;
use terreng::analysis::compare::CodeSource;
use terreng::analysis::view::{
    Selection, TerrainSort, catalogue_order, coded_all, compare_view, terrain_view,
};
use terreng::app::Action;
use terreng::model::{Note, layout};

use common::Size;

fn bench_size(c: &mut Criterion, size: &Size) {
    let dir = common::corpus(size);
    let mut app = common::app(&dir);
    let mut group = c.benchmark_group(format!("analysis/{}", size.name));
    // Whole-corpus computations: one iteration per sample at the big sizes.
    common::configure(&mut group, size, true);
    {
        let data = &app.session.data;
        let store = &app.session.notes.as_ref().expect("notes attached").store;
        let notes: Vec<(&str, &str, &Note)> = store.all();
        assert!(
            size.params.notes == 0 || !notes.is_empty(),
            "the corpus's notes were read"
        );
        group.bench_function("layout_one", |b| {
            b.iter(|| black_box(layout(black_box(&data.journeys[0]))));
        });
        group.bench_function("layout_all", |b| {
            b.iter(|| black_box(data.journeys.iter().map(layout).collect::<Vec<_>>()));
        });
        group.bench_function("notes_all", |b| {
            b.iter(|| black_box(store.all()));
        });
        group.bench_function("coded_all_journey", |b| {
            b.iter(|| {
                black_box(coded_all(
                    &data.journeys,
                    &[],
                    CodeSource::Journey,
                    &data.terrain,
                ))
            });
        });
        group.bench_function("coded_all_both", |b| {
            b.iter(|| {
                black_box(coded_all(
                    &data.journeys,
                    &notes,
                    CodeSource::Both,
                    &data.terrain,
                ))
            });
        });
        let coded = coded_all(&data.journeys, &notes, CodeSource::Both, &data.terrain);
        let four = Selection::Journeys(app.session.order.iter().copied().take(4).collect());
        group.bench_function("compare_4_journeys", |b| {
            b.iter(|| {
                black_box(compare_view(
                    &data.journeys,
                    &data.terrain,
                    &coded,
                    CodeSource::Both,
                    &four,
                    Default::default(),
                ))
            });
        });
        let mut themes: Vec<String> = Vec::new();
        for &i in &app.session.order {
            let t = &data.journeys[i].theme;
            if !themes.contains(t) {
                themes.push(t.clone());
            }
        }
        themes.truncate(2);
        let two = Selection::Themes(themes);
        let themes_asked = std::env::var("TERRENG_BENCH_THEMES").is_ok_and(|v| v == "1");
        if size.big() && !themes_asked {
            eprintln!(
                "analysis/{}/compare_2_themes: left out at this size (set TERRENG_BENCH_THEMES=1)",
                size.name
            );
        } else {
            group.bench_function("compare_2_themes", |b| {
                b.iter(|| {
                    black_box(compare_view(
                        &data.journeys,
                        &data.terrain,
                        &coded,
                        CodeSource::Both,
                        &two,
                        Default::default(),
                    ))
                });
            });
        }
        let every: Vec<usize> = (0..data.journeys.len()).collect();
        group.bench_function("terrain_all", |b| {
            b.iter(|| {
                black_box(terrain_view(
                    &data.terrain,
                    &coded,
                    &every,
                    CodeSource::Both,
                    TerrainSort::Frequency,
                ))
            });
        });
        let ids: Vec<&str> = data.journeys.iter().map(|j| j.id.as_str()).collect();
        let analysts = agree::analysts_in(&notes, &ids);
        let order = catalogue_order(&data.terrain);
        group.bench_function("agreement_all", |b| {
            b.iter(|| {
                let steps =
                    agree::step_codings(&data.journeys, &every, &notes, &analysts, &data.terrain);
                black_box(agree::agreement(&analysts, &steps, &order))
            });
        });
    }
    // As the app stands after marking two journeys and asking for codes from both sources.
    common::mark_first(&mut app, 2);
    common::act(
        &mut app,
        &[
            Action::CycleSource,
            Action::CycleSource,
            Action::ShowCompare,
        ],
    );
    assert_eq!(app.session.source, CodeSource::Both);
    group.bench_function("refresh_after_note", |b| {
        b.iter(|| {
            app.session.notes_gen += 1;
            app.refresh_analysis();
            black_box(&app.session.analysis);
        });
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for size in common::sizes() {
        bench_size(&mut c, &size);
    }
    c.final_summary();
}
