//! Locating problems in a hostile file: one journey of N steps, each naming an obstacle the
//! catalogue does not have, so that loading reports N problems, each with its line and column
//! and a "did you mean". Every problem is located from one line index of the file (a binary
//! search), and suggestions are bounded, so the time grows linearly with N.
//!
//! In the group `locate`: `unknown_codes/<N>` for N = 1,000, 10,000 and 100,000 steps
//! (`store::load` of a folder holding that one file, the bundled catalogue beside it).
//!
//! Run: `cargo bench --bench locate`.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput};
use terreng::store::{self, DataSource};

/// A journey file of `n` steps, each naming the unknown obstacle `no_such_code_<i>`.
fn hostile_journey(n: usize) -> String {
    let mut out = String::from(
        "Journey(\n    id: \"big\",\n    title: \"Many unknown codes\",\n    theme: \"leader_team\",\n    goal: \"g\",\n    outcome: \"unknown\",\n    provenance: Documented,\n    source: (work: \"w\"),\n    steps: [\n",
    );
    for i in 0..n {
        let _ = write!(
            out,
            "        (\n            id: \"s{i:06}\",\n            kind: Advance,\n            title: \"Step {i}\",\n            narrative: \"n\",\n            obstacles: [\"no_such_code_{i}\"],\n        ),\n"
        );
    }
    out.push_str("    ],\n)\n");
    out
}

fn write_study(dir: &Path, n: usize) {
    std::fs::write(dir.join("big.ron"), hostile_journey(n)).expect("journey written");
}

fn locate(c: &mut Criterion) {
    let mut group = c.benchmark_group("locate");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        write_study(dir.path(), n);
        let source = DataSource::Dir(dir.path().to_path_buf());
        // The file must give one problem per step, or the bench measures something else.
        let problems = store::load(&source, None).problems.len();
        assert!(problems >= n, "{problems} problems for {n} steps");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("unknown_codes", n), &source, |b, s| {
            b.iter(|| store::load(s, None))
        });
    }
    group.finish();
}

criterion::criterion_group!(benches, locate);
criterion::criterion_main!(benches);
