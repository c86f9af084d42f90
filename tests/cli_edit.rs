//! Writing a study from the command line: `terreng journey …` and `terreng code …` on a study
//! folder, their files, their refusals and exit codes, and a merged code that still counts as
//! the code it was merged into in `terreng stats` and `terreng agree`.

use std::path::Path;

use assert_cmd::Command;

fn terreng(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("terreng").unwrap();
    let nowhere = std::env::temp_dir().join("terreng-tests-no-home");
    cmd.env("HOME", &nowhere)
        .env("XDG_DATA_HOME", &nowhere)
        .current_dir(dir);
    cmd
}

/// Runs terreng in `dir`; (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = terreng(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(dir, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// A study folder: journeys/ and its own terrain.ron (the bundled catalogue's copy).
fn study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("journeys")).unwrap();
    std::fs::copy("assets/terrain.ron", dir.path().join("terrain.ron")).unwrap();
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn step_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("id: \"s"))
        .map(|rest| format!("s{}", rest.trim_end_matches("\",")))
        .collect()
}

#[test]
fn a_journey_is_built_step_by_step_and_ids_never_move() {
    let s = study();
    let d = s.path();
    ok(
        d,
        &[
            "journey", "new", "j1", "--title", "Første", "--theme", "models",
        ],
    );
    for title in ["One", "Two", "Three"] {
        ok(
            d,
            &[
                "journey", "add-step", "j1", "--kind", "advance", "--title", title,
            ],
        );
    }
    let out = ok(
        d,
        &[
            "journey",
            "add-step",
            "j1",
            "--kind",
            "Blocked",
            "--title",
            "Wall",
            "--after",
            "s01",
            "--obstacle",
            "tacit_resistance",
            "--enabler",
            "thumbs_up",
        ],
    );
    assert_eq!(out, "added step s04 (Blocked, Wall) to j1 after s01\n");
    let file = d.join("journeys/j1.ron");
    assert_eq!(step_ids(&read(&file)), ["s01", "s04", "s02", "s03"]);
    ok(d, &["journey", "move-step", "j1", "s03", "--after", "s01"]);
    assert_eq!(step_ids(&read(&file)), ["s01", "s03", "s04", "s02"]);
    ok(d, &["journey", "move-step", "j1", "s02", "--first"]);
    assert_eq!(step_ids(&read(&file)), ["s02", "s01", "s03", "s04"]);
    ok(d, &["journey", "delete-step", "j1", "s04"]);
    // A deleted last id is not given again while a note names it; with none, it may be.
    assert_eq!(step_ids(&read(&file)), ["s02", "s01", "s03"]);
    let text = read(&file);
    assert!(text.contains("            obstacles: [],\n"), "{text}");
    // The file is in the canonical layout.
    let (code, out, _) = run(d, &["journey", "fmt", "--check"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 of 1 files are not in the canonical layout\n")
    );
}

#[test]
fn deleting_a_step_with_notes_warns_and_its_id_is_never_reused() {
    let s = study();
    let d = s.path();
    ok(
        d,
        &["journey", "new", "j1", "--title", "T", "--theme", "models"],
    );
    ok(
        d,
        &[
            "journey", "add-step", "j1", "--kind", "Advance", "--title", "a",
        ],
    );
    ok(
        d,
        &[
            "journey", "add-step", "j1", "--kind", "Advance", "--title", "b",
        ],
    );
    write_notes(d, "kv", "j1", &[("s02", &["time_scarcity"])]);
    let (code, out, err) = run(d, &["journey", "delete-step", "j1", "s02"]);
    assert_eq!(code, 0);
    assert_eq!(out, "deleted step s02 of j1\n");
    assert_eq!(
        err,
        "terreng journey: warning: 1 note on step s02 is now an orphan, kept on disk (`terreng check` lists orphans; the app re-attaches them)\n"
    );
    assert!(
        d.join("annotations/kv/j1.ron").exists(),
        "the note stays on disk"
    );
    let out = ok(
        d,
        &[
            "journey", "add-step", "j1", "--kind", "Stall", "--title", "c",
        ],
    );
    assert_eq!(
        out, "added step s03 (Stall, c) to j1 at the end\n",
        "s02 is an orphan's"
    );
}

#[test]
fn unknown_ids_exit_2_with_a_suggestion() {
    let s = study();
    let d = s.path();
    ok(
        d,
        &["journey", "new", "j1", "--title", "T", "--theme", "models"],
    );
    ok(
        d,
        &[
            "journey", "add-step", "j1", "--kind", "Advance", "--title", "a",
        ],
    );
    let cases: [(&[&str], &str); 7] = [
        (
            &[
                "journey", "add-step", "j2", "--kind", "Advance", "--title", "x",
            ],
            "no journey 'j2' in journeys — did you mean 'j1'?",
        ),
        (
            &[
                "journey", "add-step", "j1", "--kind", "Advanse", "--title", "x",
            ],
            "unknown step kind 'Advanse' — did you mean 'Advance'?",
        ),
        (
            &[
                "journey",
                "add-step",
                "j1",
                "--kind",
                "Stall",
                "--title",
                "x",
                "--obstacle",
                "time_scarcty",
            ],
            "unknown obstacle 'time_scarcty' — did you mean 'time_scarcity'?",
        ),
        (
            &["journey", "move-step", "j1", "s1", "--first"],
            "journey 'j1' has no step 's1' — did you mean 's01'?",
        ),
        (
            &["journey", "new", "j3", "--title", "T", "--theme", "model"],
            "unknown theme 'model' — did you mean 'models'?",
        ),
        (
            &["code", "rename", "time_scarcty", "Time"],
            "no code 'time_scarcty' in the catalogue — did you mean 'time_scarcity'?",
        ),
        (
            &["code", "merge", "time_scarcity", "tacit_resistence"],
            "no code 'tacit_resistence' in the catalogue — did you mean 'tacit_resistance'?",
        ),
    ];
    let before = read(&d.join("journeys/j1.ron"));
    for (args, message) in cases {
        let (code, out, err) = run(d, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert_eq!(read(&d.join("journeys/j1.ron")), before, "nothing written");
}

#[test]
fn the_bundled_journeys_and_a_shared_catalogue_are_never_written() {
    let elsewhere = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        elsewhere.path(),
        &["code", "add", "X", "--class", "obstacle"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("bundled into terreng, which it never writes"),
        "{err}"
    );
    let (code, _, err) = run(
        elsewhere.path(),
        &[
            "journey", "add-step", "g06", "--kind", "Advance", "--title", "x",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("never writes"), "{err}");
    // A study without a terrain.ron of its own: the catalogue is not written.
    let s = tempfile::tempdir().unwrap();
    std::fs::create_dir(s.path().join("journeys")).unwrap();
    let (code, _, err) = run(s.path(), &["code", "add", "X", "--class", "obstacle"]);
    assert_eq!(code, 1);
    assert!(err.contains("has no terrain.ron of its own"), "{err}");
    assert!(!s.path().join("terrain.ron").exists());
}

#[test]
fn comments_are_kept_in_the_header_and_a_write_that_drops_others_needs_force() {
    let s = study();
    let d = s.path();
    ok(
        d,
        &["journey", "new", "j1", "--title", "T", "--theme", "models"],
    );
    ok(
        d,
        &[
            "journey", "add-step", "j1", "--kind", "Advance", "--title", "a",
        ],
    );
    let file = d.join("journeys/j1.ron");
    let text = read(&file);
    let commented = format!(
        "// Interview 3, coded by hh\n{}",
        text.replace("title: \"a\",", "title: \"a\", // check the date")
    );
    std::fs::write(&file, &commented).unwrap();
    let (code, _, err) = run(
        d,
        &[
            "journey", "add-step", "j1", "--kind", "Stall", "--title", "b",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("a comment on line 16 would be dropped by writing it in the canonical layout; nothing was written (run again with --force"),
        "{err}"
    );
    assert_eq!(read(&file), commented);
    ok(
        d,
        &[
            "journey", "add-step", "j1", "--kind", "Stall", "--title", "b", "--force",
        ],
    );
    let now = read(&file);
    assert!(
        now.starts_with("// Interview 3, coded by hh\nJourney(\n"),
        "{now}"
    );
    assert!(!now.contains("check the date"));
    // The catalogue's header comment is kept by a code change without --force.
    ok(d, &["code", "add", "Kveldstid", "--class", "obstacle"]);
    assert!(read(&d.join("terrain.ron")).starts_with("// The terrain catalogue of terreng"));
}

/// Writes an analyst's notes on a journey: (step, codes), one note per step, in the
/// annotation file format.
fn write_notes(dir: &Path, analyst: &str, journey: &str, notes: &[(&str, &[&str])]) {
    let folder = dir.join("annotations").join(analyst);
    std::fs::create_dir_all(&folder).unwrap();
    let mut text = format!(
        "Annotations(\n    analyst: \"{analyst}\",\n    journey: \"{journey}\",\n    notes: [\n"
    );
    for (i, (step, codes)) in notes.iter().enumerate() {
        let codes: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
        text.push_str(&format!(
            "        (\n            id: \"01KAQ3XK7J9Q0V6N2W8R4T5Y{i}{}\",\n            step: \"{step}\",\n            codes: [{}],\n            text: \"\",\n            created: \"2026-11-23T10:02:11Z\",\n            updated: \"2026-11-23T10:02:11Z\",\n        ),\n",
            &analyst[..1].to_uppercase(),
            codes.join(", ")
        ));
    }
    text.push_str("    ],\n)\n");
    std::fs::write(folder.join(format!("{journey}.ron")), text).unwrap();
}

#[test]
fn a_merged_code_still_counts_for_the_analyst_whose_notes_use_it() {
    let s = study();
    let d = s.path();
    ok(
        d,
        &["journey", "new", "j1", "--title", "T", "--theme", "models"],
    );
    for t in ["a", "b", "c"] {
        ok(
            d,
            &[
                "journey", "add-step", "j1", "--kind", "Advance", "--title", t,
            ],
        );
    }
    let out = ok(
        d,
        &[
            "code",
            "add",
            "Tid på kveldstid",
            "--class",
            "obstacle",
            "--definition",
            "Only evenings are free",
        ],
    );
    assert!(
        out.starts_with("added obstacle 'tid_pa_kveldstid' (Tid på kveldstid)"),
        "{out}"
    );
    // The journey carries the new code on s02; kv's notes use it, hh's the old code.
    ok(
        d,
        &[
            "journey",
            "add-step",
            "j1",
            "--kind",
            "Stall",
            "--title",
            "d",
            "--after",
            "s02",
            "--obstacle",
            "tid_pa_kveldstid",
        ],
    );
    write_notes(
        d,
        "hh",
        "j1",
        &[
            ("s01", &["time_scarcity"]),
            ("s02", &["time_scarcity"]),
            ("s03", &[]),
        ],
    );
    write_notes(
        d,
        "kv",
        "j1",
        &[
            ("s01", &["tid_pa_kveldstid"]),
            ("s02", &[]),
            ("s03", &["tid_pa_kveldstid"]),
        ],
    );
    let journey_before = read(&d.join("journeys/j1.ron"));
    let kv_before = read(&d.join("annotations/kv/j1.ron"));

    let out = ok(d, &["code", "merge", "tid_pa_kveldstid", "time_scarcity"]);
    assert_eq!(
        out,
        "merged 'tid_pa_kveldstid' into 'time_scarcity': 1 step in 1 journey rewritten; 'tid_pa_kveldstid' stays as an alias, so 2 notes that use it count as 'time_scarcity'\n"
    );
    // The journey's diff is that one line; kv's file is untouched.
    let journey_after = read(&d.join("journeys/j1.ron"));
    let diff = similar::TextDiff::from_lines(&journey_before, &journey_after);
    let changed: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value()))
        .collect();
    assert_eq!(
        changed,
        [
            "-            obstacles: [\"tid_pa_kveldstid\"],\n",
            "+            obstacles: [\"time_scarcity\"],\n"
        ]
    );
    assert_eq!(read(&d.join("annotations/kv/j1.ron")), kv_before);
    let catalogue = read(&d.join("terrain.ron"));
    assert!(
        catalogue.contains("merged_into: Some(\"time_scarcity\")"),
        "the alias stays"
    );
    let (code, _, err) = run(d, &["check"]);
    assert!(
        !err.contains("tid_pa_kveldstid"),
        "an alias is no problem: {err}"
    );
    assert_eq!(code, 1, "the steps have no evidence yet");

    // stats from the notes: time_scarcity on s01 (both), s02 (hh) and s03 (kv) = 3 steps;
    // no row for the alias.
    let v: serde_json::Value =
        serde_json::from_str(&ok(d, &["stats", "--source", "notes", "--json"])).unwrap();
    let rows = v["terrain"]["rows"].as_array().unwrap();
    let row = |code: &str| rows.iter().find(|r| r["code"] == code).cloned();
    assert_eq!(row("time_scarcity").unwrap()["steps"], 3);
    assert!(row("tid_pa_kveldstid").is_none());
    // From the journey file too: s04 carries it.
    let v: serde_json::Value =
        serde_json::from_str(&ok(d, &["stats", "--source", "both", "--json"])).unwrap();
    let rows = v["terrain"]["rows"].as_array().unwrap();
    let ts = rows.iter().find(|r| r["code"] == "time_scarcity").unwrap();
    assert_eq!(ts["steps"], 4);

    // Agreement on time_scarcity: hh 1 1 0, kv 1 0 1 on s01–s03 (s04 has no notes).
    // p_o = 1/3; p_e = (2/3)(2/3) + (1/3)(1/3) = 5/9; κ = (1/3 − 5/9) / (1 − 5/9) = −1/2.
    // α (nominal): n = 6 values, four 1s and two 0s, disagreeing pairs Σo = 4:
    // α = 1 − (n − 1)·Σo / (n² − Σn_c²) = 1 − 5·4 / (36 − 16 − 4) = −1/4.
    let v: serde_json::Value = serde_json::from_str(&ok(d, &["agree", "--json"])).unwrap();
    let codes: Vec<&str> = v["per_code"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["time_scarcity"], "the alias counts as its code");
    let ts = &v["per_code"][0];
    assert_eq!(ts["used"], serde_json::json!([2, 2]));
    let f = |x: &serde_json::Value| x.as_f64().unwrap();
    assert_eq!(ts["figures"]["units"], 3);
    assert!((f(&ts["figures"]["percent"]) - 1.0 / 3.0).abs() < 1e-12);
    assert!((f(&ts["figures"]["pairs"][0]["kappa"]) + 0.5).abs() < 1e-12);
    assert!((f(&ts["figures"]["alpha"]) + 0.25).abs() < 1e-12);

    // Neither code can be deleted while used; the list shows the alias.
    let (code, _, err) = run(d, &["code", "delete", "tid_pa_kveldstid"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("'tid_pa_kveldstid' is still used (2 notes)"),
        "{err}"
    );
    let list = ok(d, &["code", "list"]);
    assert!(
        list.contains("  tid_pa_kveldstid -> time_scarcity  Tid på kveldstid\n"),
        "{list}"
    );
}

#[test]
fn codes_are_added_renamed_and_deleted_when_unused() {
    let s = study();
    let d = s.path();
    let out = ok(
        d,
        &[
            "code",
            "add",
            "Støtte fra rådmann",
            "--class",
            "enabler",
            "--no",
            "Støtte fra rådmannen",
            "--definition",
            "The chief executive backs the group",
        ],
    );
    assert!(
        out.starts_with("added enabler 'stotte_fra_radmann'"),
        "{out}"
    );
    let (code, _, err) = run(
        d,
        &[
            "code",
            "add",
            "Again",
            "--class",
            "enabler",
            "--id",
            "stotte_fra_radmann",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("a code 'stotte_fra_radmann' is in the catalogue already"),
        "{err}"
    );
    // A second code with the same label gets the next free id.
    let out = ok(
        d,
        &["code", "add", "Støtte fra rådmann", "--class", "obstacle"],
    );
    assert!(
        out.starts_with("added obstacle 'stotte_fra_radmann_2'"),
        "{out}"
    );
    ok(
        d,
        &[
            "code",
            "rename",
            "stotte_fra_radmann",
            "Backing from the top",
            "--no",
            "Ryggdekning",
        ],
    );
    let t = read(&d.join("terrain.ron"));
    assert!(
        t.contains("en: \"Backing from the top\",\n            no: \"Ryggdekning\","),
        "{t}"
    );
    let (code, _, _) = run(d, &["check"]);
    assert_eq!(code, 0, "the new codes pass the catalogue's checks");
    assert_eq!(
        ok(d, &["code", "delete", "stotte_fra_radmann"]),
        "deleted code 'stotte_fra_radmann'\n"
    );
    assert!(!read(&d.join("terrain.ron")).contains("Ryggdekning"));
}

#[test]
fn fmt_writes_hand_written_files_in_the_canonical_layout() {
    let s = study();
    let d = s.path();
    // A hand-written file on few lines, with a header comment.
    let hand = "// by hand\nJourney(id: \"j1\", title: \"T\", theme: \"models\", source: (work: \"W\", seed: \"x.txt\"),\n provenance: Documented, goal: \"G\", outcome: \"o\",\n steps: [(id: \"s01\", kind: Advance, title: \"a\", narrative: \"n\", evidence: [(quote: \"q\", translation: \"t\", locator: \"l\")])])\n";
    std::fs::write(d.join("journeys/j1.ron"), hand).unwrap();
    let (code, out, _) = run(d, &["journey", "fmt", "--check"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "journeys/j1.ron\n1 of 1 files are not in the canonical layout\n"
    );
    assert_eq!(
        read(&d.join("journeys/j1.ron")),
        hand,
        "--check writes nothing"
    );
    assert_eq!(
        ok(d, &["journey", "fmt", "j1"]),
        "wrote 1 of 1 files in the canonical layout\n"
    );
    let text = read(&d.join("journeys/j1.ron"));
    assert!(
        text.starts_with("// by hand\nJourney(\n    id: \"j1\",\n"),
        "{text}"
    );
    assert!(text.contains("            obstacles: [],\n            enablers: [],\n"));
    let (code, _, _) = run(d, &["journey", "fmt", "--check"]);
    assert_eq!(code, 0);
    let (code, _, err) = run(d, &["journey", "fmt", "j9"]);
    assert_eq!(code, 2);
    assert!(err.contains("no journey 'j9'"), "{err}");
}

/// A study made with an empty codebook grows from the command line: its one theme says where
/// its label comes from, so the first code (which marks its own origin) leaves no unmarked
/// label behind.
#[test]
fn an_empty_codebook_from_terreng_new_takes_its_first_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["new", "study", "--empty-codebook"]);
    let study = d.join("study");
    ok(
        &study,
        &["code", "add", "Budget cuts", "--class", "obstacle"],
    );
    ok(
        &study,
        &["code", "add", "A shared arena", "--class", "enabler"],
    );
    let list = ok(&study, &["code", "list"]);
    assert!(list.contains("budget_cuts"), "{list}");
    assert!(list.contains("a_shared_arena"), "{list}");
    let (code, out, err) = run(&study, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}
