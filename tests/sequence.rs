//! Sequence distances checked against a published implementation: Sequenzo (PyPI), a Python
//! port of TraMineR, on the bundled seed-001 journeys. Ignored by default: it needs
//! `python3` with `sequenzo` installed (`pip install sequenzo`).

use std::io::Write;
use std::process::{Command, Stdio};

use terreng::analysis::sequence::distance::{self, Method, Norm, Options, Sm};
use terreng::analysis::sequence::{By, CodeClass, Sequences};
use terreng::model::Journey;
use terreng::store::{self, DataSource};

/// One comparison: terreng's options and Sequenzo's arguments for the same distance.
struct Run {
    opts: Options,
    sequenzo: serde_json::Value,
}

fn run(method: Method, sm: Sm, norm: Norm) -> Run {
    let m = match method {
        Method::Om => "OM",
        Method::Lcs => "LCS",
        Method::Ham => "HAM",
        Method::Dhd => "DHD",
    };
    let s = match (method, sm) {
        (Method::Om, Sm::Constant) => Some("CONSTANT"),
        (Method::Om, Sm::Trate) => Some("TRATE"),
        _ => None,
    };
    let n = match norm {
        Norm::None => "none",
        _ => "auto",
    };
    Run {
        opts: Options {
            method,
            sm,
            norm,
            ..Options::default()
        },
        sequenzo: serde_json::json!({"method": m, "sm": s, "norm": n}),
    }
}

/// Sequenzo's matrices for `seqs` under each run.
fn sequenzo(seqs: &Sequences, runs: &[Run]) -> Vec<Vec<Vec<f64>>> {
    let request = serde_json::json!({
        "ids": seqs.ids,
        "alphabet": seqs.alphabet,
        "seqs": seqs.seqs.iter().map(|s| s.iter().map(|&x| seqs.alphabet[x as usize].clone()).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "runs": runs.iter().map(|r| r.sequenzo.clone()).collect::<Vec<_>>(),
    });
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/sequenzo_dist.py"
    );
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.to_string().as_bytes())
        .expect("request written");
    let out = child.wait_with_output().expect("sequenzo finishes");
    assert!(
        out.status.success(),
        "sequenzo failed: {}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from sequenzo");
    serde_json::from_value(v["matrices"].clone()).expect("matrices")
}

fn compare(label: &str, seqs: &Sequences, runs: &[Run]) {
    let theirs = sequenzo(seqs, runs);
    for (r, m) in runs.iter().zip(theirs) {
        let ours = distance::matrix(seqs, &r.opts, &|_, _| {}).expect("distances");
        let mut worst = 0.0f64;
        for (i, row) in m.iter().enumerate() {
            for (j, &theirs) in row.iter().enumerate() {
                let diff = (ours.get(i, j) as f64 - theirs).abs();
                assert!(
                    diff < 1e-4,
                    "{label} {:?}: {} vs {}: terreng {} but sequenzo {}",
                    r.opts,
                    seqs.ids[i],
                    seqs.ids[j],
                    ours.get(i, j),
                    theirs
                );
                worst = worst.max(diff);
            }
        }
        eprintln!("{label} {:?}: largest difference {worst:.2e}", r.opts);
    }
}

/// The 18 groups of Hauge & Vike (g01–g18).
fn groups() -> Vec<Journey> {
    let data = store::load(&DataSource::Bundled, None);
    let mut g: Vec<Journey> = data
        .journeys
        .into_iter()
        .filter(|j| {
            j.source
                .seed
                .as_deref()
                .is_some_and(|s| s.starts_with("001"))
        })
        .collect();
    g.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(g.len(), 18, "the 18 groups of seed 001");
    g
}

#[test]
#[ignore = "needs python3 with sequenzo (pip install sequenzo)"]
fn distances_equal_sequenzo_on_the_groups_of_unequal_length() {
    let g = groups();
    let refs: Vec<&Journey> = g.iter().collect();
    let runs = [
        run(Method::Om, Sm::Constant, Norm::None),
        run(Method::Om, Sm::Constant, Norm::Auto),
        run(Method::Lcs, Sm::Constant, Norm::None),
        run(Method::Lcs, Sm::Constant, Norm::Auto),
    ];
    compare(
        "kind",
        &Sequences::build(&refs, By::Kind, CodeClass::Obstacles),
        &runs,
    );
    compare(
        "obstacles",
        &Sequences::build(&refs, By::Codes, CodeClass::Obstacles),
        &runs,
    );
}

#[test]
#[ignore = "needs python3 with sequenzo (pip install sequenzo)"]
fn distances_equal_sequenzo_on_the_groups_of_equal_length() {
    let g = groups();
    // The most common length among the groups (10 steps in the bundled data).
    let mut lens: Vec<usize> = g.iter().map(|j| j.steps.len()).collect();
    lens.sort_unstable();
    let common = (lens[0]..=lens[lens.len() - 1])
        .max_by_key(|l| lens.iter().filter(|x| *x == l).count())
        .unwrap_or(0);
    let refs: Vec<&Journey> = g.iter().filter(|j| j.steps.len() == common).collect();
    assert!(refs.len() >= 5, "enough groups of {common} steps");
    let runs = [
        run(Method::Om, Sm::Constant, Norm::Auto),
        run(Method::Om, Sm::Trate, Norm::None),
        run(Method::Om, Sm::Trate, Norm::Auto),
        run(Method::Ham, Sm::Constant, Norm::None),
        run(Method::Ham, Sm::Constant, Norm::Auto),
    ];
    compare(
        "kind",
        &Sequences::build(&refs, By::Kind, CodeClass::Obstacles),
        &runs,
    );
    compare(
        "obstacles",
        &Sequences::build(&refs, By::Codes, CodeClass::Obstacles),
        &runs,
    );
}

/// Sequenzo 0.1.42 crashes (SIGSEGV) computing DHD on the groups, so DHD is compared on a
/// small set, worked by hand in the unit tests' manner: rates from t1 to t2 are A→A ½,
/// A→B ½, B→A 1; from t2 to t3 A→B 1, B→B 1. Costs: t1 4 − 2·1.5 = 1, t2 4 − 1.5 − 1 =
/// 1.5, t3 4 − 2·1 = 2; AAB–BAB differ at t1 (1), AAB–ABB at t2 (1.5), BAB–ABB at both
/// (2.5).
#[test]
#[ignore = "needs python3 with sequenzo (pip install sequenzo)"]
fn dhd_equals_sequenzo_on_a_small_set() {
    let s = Sequences::from_letters(&["AAB", "BAB", "ABB"]);
    compare(
        "letters",
        &s,
        &[
            run(Method::Dhd, Sm::Constant, Norm::None),
            run(Method::Dhd, Sm::Constant, Norm::Auto),
            run(Method::Ham, Sm::Constant, Norm::Auto),
            run(Method::Om, Sm::Trate, Norm::Auto),
        ],
    );
    let ours = distance::matrix(
        &s,
        &run(Method::Dhd, Sm::Constant, Norm::None).opts,
        &|_, _| {},
    )
    .expect("distances");
    assert_eq!(
        [ours.get(0, 1), ours.get(0, 2), ours.get(1, 2)],
        [1.0, 1.5, 2.5]
    );
}
