//! Working as a team, with git as the store that moves the files between people: two
//! analysts code the same journey in their own clones, commit, merge, and terreng reads both
//! and computes their agreement. Uses the `git` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use terreng::model::Note;
use terreng::store::annotations::{Change, NoteStore};

/// Runs git in `dir` with no user or system configuration but the test's own; panics with its
/// output on failure.
fn git(dir: &Path, home: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .expect("git runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "git {args:?} in {}: {text}",
        dir.display()
    );
    text
}

/// A clone of the team's repository for one analyst, with their name and address set.
fn clone_for(remote: &Path, dir: &Path, home: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    git(dir, home, &["clone", "-q", remote.to_str().unwrap(), name]);
    git(&to, home, &["config", "user.name", name]);
    git(
        &to,
        home,
        &["config", "user.email", &format!("{name}@example.org")],
    );
    to
}

/// Codes steps of g06 as `analyst`, through the store terreng saves with.
fn code(clone: &Path, analyst: &str, steps: &[(&str, &[&str])]) {
    let (mut store, problems) = NoteStore::open(&clone.join("annotations"), analyst);
    assert!(problems.is_empty(), "{problems:?}");
    for (step, codes) in steps {
        let note = Note::new(
            step,
            codes.iter().map(|c| c.to_string()).collect(),
            format!("{analyst} on {step}"),
        );
        store
            .apply(Change::Put {
                journey: "g06".into(),
                note,
            })
            .unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
#[ignore = "needs git"]
fn two_analysts_code_in_their_own_clones_merge_without_conflict_and_terreng_compares_them() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("gitconfig"),
        "[init]\n\tdefaultBranch = main\n[pull]\n\trebase = false\n",
    )
    .unwrap();
    // The team's repository: the journeys and the catalogue, and a shared remote.
    let remote = tmp.path().join("team.git");
    git(tmp.path(), &home, &["init", "-q", "--bare", "team.git"]);
    let seed = clone_for(&remote, tmp.path(), &home, "lead");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&here.join("journeys"), &seed.join("journeys"));
    std::fs::create_dir_all(seed.join("assets")).unwrap();
    std::fs::copy(
        here.join("assets/terrain.ron"),
        seed.join("assets/terrain.ron"),
    )
    .unwrap();
    git(&seed, &home, &["add", "."]);
    git(&seed, &home, &["commit", "-q", "-m", "The journeys"]);
    git(&seed, &home, &["push", "-q", "origin", "HEAD:main"]);

    // Each analyst codes the same steps in their own clone, blind to the other, and commits
    // their own folder; hh shares first.
    let hh = clone_for(&remote, tmp.path(), &home, "hh");
    let kv = clone_for(&remote, tmp.path(), &home, "kv");
    code(
        &hh,
        "hh",
        &[
            ("s01", &["high_motivation"]),
            ("s02", &["tacit_resistance"]),
            ("s05", &["time_scarcity"]),
        ],
    );
    code(
        &kv,
        "kv",
        &[
            ("s01", &["high_motivation"]),
            ("s02", &["tacit_resistance", "time_scarcity"]),
            ("s05", &["time_scarcity"]),
        ],
    );
    for (clone, name) in [(&hh, "hh"), (&kv, "kv")] {
        git(clone, &home, &["add", &format!("annotations/{name}")]);
        git(
            clone,
            &home,
            &["commit", "-q", "-m", &format!("{name} codes g06")],
        );
    }
    git(&hh, &home, &["push", "-q", "origin", "HEAD:main"]);
    // kv's pull is a true merge of two histories: it must go through without a conflict.
    let pulled = git(
        &kv,
        &home,
        &["pull", "--no-rebase", "--no-edit", "origin", "main"],
    );
    assert!(!pulled.contains("CONFLICT"), "{pulled}");
    let unmerged = git(&kv, &home, &["diff", "--name-only", "--diff-filter=U"]);
    assert!(unmerged.trim().is_empty(), "{unmerged}");
    let parents = git(&kv, &home, &["log", "-1", "--format=%P"]);
    assert_eq!(parents.split_whitespace().count(), 2, "a merge commit");
    git(&kv, &home, &["push", "-q", "origin", "HEAD:main"]);
    git(&hh, &home, &["pull", "-q", "--no-edit", "origin", "main"]);

    // Both clones now hold both analysts' notes, and terreng shows them.
    for clone in [&hh, &kv] {
        let (store, problems) = NoteStore::read(&clone.join("annotations"));
        assert!(problems.is_empty(), "{problems:?}");
        let on_s02: Vec<&str> = store
            .notes_on("g06", "s02")
            .iter()
            .map(|(a, _)| *a)
            .collect();
        assert_eq!(on_s02, ["hh", "kv"]);
    }
    let out = assert_cmd::Command::cargo_bin("terreng")
        .unwrap()
        .current_dir(&hh)
        .env("HOME", &home)
        .args(["agree", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["analysts"], serde_json::json!(["hh", "kv"]));
    let f = |x: &serde_json::Value| x.as_f64().unwrap();
    let ts = v["per_code"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "time_scarcity")
        .unwrap();
    // time_scarcity on s01, s02, s05: hh 0 0 1, kv 0 1 1. p_o = 2/3; p_e = (2/3)(1/3) + (1/3)(2/3)
    // = 4/9 → κ = (2/3 − 4/9) / (5/9) = 0.4. α: three 1s and three 0s, one disagreeing
    // unit → α = 1 − 5·2 / (36 − 9 − 9) = 4/9.
    assert!((f(&ts["figures"]["pairs"][0]["kappa"]) - 0.4).abs() < 1e-12);
    assert!((f(&ts["figures"]["alpha"]) - 4.0 / 9.0).abs() < 1e-12);
    // Overall, 3 steps × 3 codes: 8 of 9 agree; hh has three 1s, kv four →
    // κ = (9·8 − (6·5 + 3·4)) / (81 − 42) = 30/39; α = 1 − 17·2 / (324 − 121 − 49) = 1 − 34/154.
    assert_eq!(v["overall"]["units"], 9);
    assert!((f(&v["overall"]["pairs"][0]["kappa"]) - 30.0 / 39.0).abs() < 1e-12);
    assert!((f(&v["overall"]["alpha"]) - (1.0 - 34.0 / 154.0)).abs() < 1e-12);
    assert_eq!(v["disagreements"][0]["step"], "s02");
}
