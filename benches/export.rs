//! Exports of a whole corpus: every journey and every analyst's notes, written to a file.
//!
//! For each size (see `common` for the sizes and `TERRENG_BENCH_SIZES`), in the group
//! `export/<size>`: `csv` (the three files), `markdown` and `qdpx`, each `terreng export`'s
//! work once the data and notes are loaded — resolving the selection, grouping the notes,
//! formatting, and writing the file(s) into a temporary folder. Loading is not timed.
//!
//! Run: `cargo bench --bench export`; `TERRENG_BENCH_SIZES=s,l,xl cargo bench --bench export`.
//! BENCHMARKS.md has the figures and the growth series from 250 to 2,000 journeys.

mod common;

use std::hint::black_box;

use criterion::Criterion;
use terreng::export::{Format, Selection, export};

use common::Size;

fn bench_size(c: &mut Criterion, size: &Size) {
    let dir = common::corpus(size);
    let (data, notes) = common::load(&dir, common::BENCH_ANALYST);
    let out = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group(format!("export/{}", size.name));
    common::configure(&mut group, size, true);
    for format in [Format::Csv, Format::Markdown, Format::Qdpx] {
        let path = out.path().join(format!("study.{}", format.name()));
        group.bench_function(format.name(), |b| {
            b.iter(|| {
                let summary = export(
                    format,
                    &path,
                    &Selection::default(),
                    &data,
                    &notes,
                    &mut |_, _| {},
                )
                .expect("the export is written");
                assert_eq!(summary.journeys, size.params.journeys);
                black_box(summary)
            });
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for size in common::sizes() {
        bench_size(&mut c, &size);
    }
    c.final_summary();
}
