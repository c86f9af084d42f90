//! Sequence analysis at scale: the distance matrix and PAM on the benches' corpora.
//!
//! For each size (see `common`; `TERRENG_BENCH_SIZES`), in the group `sequence/<size>`, on
//! every journey's sequence of step kinds:
//! - `sequences`: `Sequences::build`, the journeys read as state sequences;
//! - `matrix_om_constant`: the OM distance matrix (substitution 2, indel 1) as the condensed
//!   `f32` triangle, on every core — the target: L ≤ 3 s, XL ≤ 60 s;
//! - `matrix_om_trate`: the same with transition-rate costs, normalised (`--norm auto`);
//! - `matrix_lcs`: LCS, normalised;
//! - `pam_k4`: PAM with k = 4 (BUILD then FasterPAM) on the OM matrix — target XL ≤ 30 s;
//! - `quality_k4`: ASW, PBC, HG and R² of that partition.
//!
//! At XL one matrix takes minutes, so criterion's ten samples are not taken: the OM matrix
//! (constant costs) and PAM with k = 4 are timed once each, outside criterion, and printed with
//! the matrix's size in memory and the process's peak memory (`VmHWM`).
//!
//! The corpora are the common sizes' journeys without notes (sequence analysis reads no
//! notes), made by the same generator (`terreng gen --journeys N --steps M --seed 1`) into
//! `target/bench-corpora/<size>-journeys/`, once.
//!
//! Run: `cargo bench --bench sequence`; `TERRENG_BENCH_SIZES=l cargo bench --bench sequence`.

mod common;

use std::hint::black_box;
use std::path::PathBuf;

use criterion::Criterion;
use terreng::analysis::sequence::cluster;
use terreng::analysis::sequence::distance::{self, Method, Norm, Options, Sm};
use terreng::analysis::sequence::{By, CodeClass, Sequences};
use terreng::store;
use terreng::store::synthetic::{Params, generate};

use common::Size;

fn bench_size(c: &mut Criterion, size: &Size) {
    let dir = journeys_corpus(size);
    let data = store::load(&common::source(&dir), None);
    assert_eq!(data.journeys.len(), size.params.journeys);
    let journeys: Vec<_> = data.journeys.iter().collect();
    if size.name == "xl" {
        once(&journeys, size);
        return;
    }
    let mut group = c.benchmark_group(format!("sequence/{}", size.name));
    common::configure(&mut group, size, true);
    group.bench_function("sequences", |b| {
        b.iter(|| black_box(Sequences::build(&journeys, By::Kind, CodeClass::Obstacles)));
    });
    let seqs = Sequences::build(&journeys, By::Kind, CodeClass::Obstacles);
    let om = Options::default();
    let trate = Options {
        sm: Sm::Trate,
        norm: Norm::Auto,
        ..Options::default()
    };
    let lcs = Options {
        method: Method::Lcs,
        norm: Norm::Auto,
        ..Options::default()
    };
    for (name, opts) in [
        ("matrix_om_constant", om),
        ("matrix_om_trate", trate),
        ("matrix_lcs", lcs),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(distance::matrix(&seqs, &opts, &|_, _| {}).expect("matrix")));
        });
    }
    let m = distance::matrix(&seqs, &om, &|_, _| {}).expect("matrix");
    group.bench_function("pam_k4", |b| {
        b.iter(|| black_box(cluster::pam(&m, 4)));
    });
    let c4 = cluster::pam(&m, 4);
    group.bench_function("quality_k4", |b| {
        b.iter(|| black_box(cluster::quality(&m, &c4)));
    });
    group.finish();
}

/// XL: the OM matrix and PAM, each timed once.
fn once(journeys: &[&terreng::model::Journey], size: &Size) {
    if common::quick_mode() {
        return;
    }
    let seqs = Sequences::build(journeys, By::Kind, CodeClass::Obstacles);
    let started = std::time::Instant::now();
    let m = distance::matrix(&seqs, &Options::default(), &|_, _| {}).expect("matrix");
    let matrix = started.elapsed();
    let started = std::time::Instant::now();
    let c = black_box(cluster::pam(&m, 4));
    let pam = started.elapsed();
    let bytes = m.data.len() * std::mem::size_of::<f32>();
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    println!(
        "sequence/{}/matrix_om_constant (once): {:.2} s, {} pairs, the matrix {:.1} MB",
        size.name,
        matrix.as_secs_f64(),
        m.data.len(),
        bytes as f64 / 1e6
    );
    println!(
        "sequence/{}/pam_k4 (once): {:.2} s ({} clusters); peak memory of the process {peak}",
        size.name,
        pam.as_secs_f64(),
        c.k
    );
}

/// The size's journeys alone: generated once, with a stamp written last.
fn journeys_corpus(size: &Size) -> PathBuf {
    let params = Params {
        notes: 0,
        analysts: 1,
        ..size.params
    };
    let dir = common::target_dir()
        .join("bench-corpora")
        .join(format!("{}-journeys", size.name));
    let stamp = dir.join("params.txt");
    let want = format!("{params:?}\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove an incomplete corpus");
        }
        eprintln!("making {} (once; reused afterwards)…", dir.display());
        generate(&dir, params, &mut |_, _| {}).expect("generate the corpus");
        std::fs::write(&stamp, &want).expect("write params.txt");
    }
    dir
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for size in common::sizes() {
        bench_size(&mut c, &size);
    }
    c.final_summary();
}
