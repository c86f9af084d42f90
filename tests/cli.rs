//! The command line as a user meets it: `check`, `stats`, `--help`, `--version`, exit codes,
//! and output on the right stream.

use assert_cmd::Command;

fn terreng() -> Command {
    let mut cmd = Command::cargo_bin("terreng").unwrap();
    // Never the user's own notes: a data folder that does not exist.
    let nowhere = std::env::temp_dir().join("terreng-tests-no-home");
    cmd.env("HOME", &nowhere).env("XDG_DATA_HOME", &nowhere);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn check_reports_the_bundled_data_clean_from_any_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let out = terreng()
        .current_dir(elsewhere.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.ends_with(", 0 problems\n"), "{summary}");
    let journeys: usize = summary.split(' ').next().unwrap().parse().unwrap();
    assert!(journeys >= 25, "{summary}");
}

#[test]
fn check_prints_every_problem_to_stderr_and_exits_1() {
    let out = terreng()
        .args([
            "check",
            "tests/fixtures/bad/journeys",
            "--catalogue",
            "tests/fixtures/good/terrain.ron",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(
        "tests/fixtures/bad/journeys/unknown_obstacle.ron:34:25: step 's02': unknown obstacle 'tacit_resistence' — did you mean 'tacit_resistance'?\n"
    ), "{err}");
    assert_eq!(err.lines().count(), 28, "{err}");
    let out = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out, "9 journeys, 18 steps, 28 problems\n");
}

#[test]
fn check_takes_the_folder_from_data_too() {
    let out = terreng()
        .args([
            "--data",
            "tests/fixtures/good/journeys",
            "--catalogue",
            "tests/fixtures/good/terrain.ron",
            "check",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "1 journey, 2 steps, 0 problems\n"
    );
}

#[test]
fn stats_lists_themes_kinds_and_the_terrain_met_most() {
    let text = stdout(terreng().args(["stats", "--top", "3"]));
    for needle in [
        "Journeys per theme",
        "leader_team",
        "informal",
        "Steps per kind",
        "Circle",
        "Obstacles met most often",
        "Enablers met most often",
        "Common to every journey",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
    let obstacles = text
        .split("Obstacles met most often")
        .nth(1)
        .unwrap()
        .split_once('\n')
        .map(|(_, rest)| rest)
        .unwrap();
    let listed = obstacles
        .lines()
        .take_while(|l| l.starts_with("  "))
        .count();
    assert_eq!(listed, 3, "{text}");
}

#[test]
fn help_and_version_work() {
    let help = stdout(terreng().arg("--help"));
    assert!(
        help.contains("check") && help.contains("stats") && help.contains("--data"),
        "{help}"
    );
    let version = stdout(terreng().arg("--version"));
    assert_eq!(version, format!("terreng {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_bad_flag_is_an_error_on_stderr() {
    let out = terreng().arg("--no-such-flag").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-such-flag"));
}

/// `check` reads the annotation folder too: a code not in the catalogue, a note on a step that
/// is gone, an id used in two files and a file that does not parse are each reported with the
/// file and line, and the exit code says something is wrong.
#[test]
fn check_reports_unknown_codes_orphans_duplicate_ids_and_broken_annotation_files() {
    let dir = tempfile::tempdir().unwrap();
    let ann = dir.path().join("annotations");
    std::fs::create_dir_all(ann.join("ida")).unwrap();
    std::fs::create_dir_all(ann.join("ola")).unwrap();
    let note = |id: &str, step: &str, code: &str| {
        format!(
            "(id: \"{id}\", step: \"{step}\", codes: [\"{code}\"], text: \"x\", \
             created: \"2026-11-23T10:00:00Z\", updated: \"2026-11-23T10:00:00Z\")"
        )
    };
    std::fs::write(
        ann.join("ida/g06.ron"),
        format!(
            "Annotations(\n analyst: \"ida\",\n journey: \"g06\",\n notes: [\n  {},\n  {},\n ],\n)\n",
            note("01A", "s01", "tacit_resistance"),
            note("01B", "s99", "tacit_resistence"),
        ),
    )
    .unwrap();
    std::fs::write(
        ann.join("ola/g06.ron"),
        format!(
            "Annotations(analyst: \"ola\", journey: \"g06\", notes: [\n{}\n])\n",
            note("01A", "s02", "time_scarcity")
        ),
    )
    .unwrap();
    std::fs::write(
        ann.join("ola/g07.ron"),
        "Annotations(analyst: \"ola\", journey: 7)\n",
    )
    .unwrap();
    let out = terreng()
        .args(["--annotations", ann.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let ida = ann.join("ida/g06.ron").display().to_string();
    let ola = ann.join("ola").display().to_string();
    assert!(
        err.contains(&format!("{ida}:6:")) && err.contains("'s99'"),
        "{err}"
    );
    assert!(
        err.contains("code 'tacit_resistence', which is not in the catalogue — did you mean 'tacit_resistance'?"),
        "{err}"
    );
    assert!(err.contains("note id 01A is used twice"), "{err}");
    assert!(err.contains(&format!("{ola}/g07.ron:1:")), "{err}");
    assert_eq!(err.lines().count(), 4, "{err}");
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("3 notes by 2 analysts, 4 problems"), "{out}");
}

/// The command prints the numbers of the compare screen: its JSON is the same computation the
/// app caches, and the text shows the same counts.
#[test]
fn compare_prints_the_compare_screens_numbers_as_json_and_text() {
    use terreng::analysis::compare::CodeSource;
    use terreng::analysis::view::{Selection, coded_all, compare_view};
    use terreng::store::{self, DataSource};
    let out = terreng()
        .args(["compare", "g01", "g06", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let data = store::load(&DataSource::Bundled, None);
    let all = coded_all(&data.journeys, &[], CodeSource::Journey, &data.terrain);
    let ids = ["g01", "g06"].map(|id| data.journeys.iter().position(|j| j.id == id).unwrap());
    let v = compare_view(
        &data.journeys,
        &data.terrain,
        &all,
        CodeSource::Journey,
        &Selection::Journeys(ids.to_vec()),
        Default::default(),
    );
    assert_eq!(printed, serde_json::to_value(&v).unwrap());
    // The wall: met 5 times in g06 (s05, s06, s07, s09, s10) and never in g01, in the text
    // table too.
    let wall = v
        .matrix
        .codes
        .iter()
        .position(|c| c == "tacit_resistance")
        .unwrap();
    assert_eq!(v.matrix.counts[wall], vec![0, 5]);
    let text = stdout(terreng().args(["compare", "g01", "g06"]));
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("tacit_resistance"))
        .unwrap();
    let counts: Vec<&str> = line.split_whitespace().skip(1).collect();
    assert_eq!(counts, ["0", "5"], "{text}");
}

#[test]
fn compare_says_what_is_wrong_with_its_arguments() {
    let out = terreng().args(["compare", "g1", "g06"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no journey 'g1' — did you mean 'g01'?"),
        "{err}"
    );
    let out = terreng().args(["compare", "g01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = terreng()
        .args(["compare", "--theme", "model"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean 'models'?"), "{err}");
}

/// `stats --json` holds the terrain screen's rows: the wall met at 14 steps of 4 journeys and
/// setting the models theme apart, as the terrain screen shows it.
#[test]
fn stats_json_holds_the_terrain_screens_numbers() {
    let out = terreng().args(["stats", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["terrain"]["rows"].as_array().unwrap();
    let wall = rows
        .iter()
        .find(|r| r["code"] == "tacit_resistance")
        .unwrap();
    // Counted here from the files, independently of the analysis code.
    let data = terreng::store::load(&terreng::store::DataSource::Bundled, None);
    let steps = data
        .journeys
        .iter()
        .flat_map(|j| &j.steps)
        .filter(|s| s.obstacles.iter().any(|o| o == "tacit_resistance"))
        .count();
    let journeys = data
        .journeys
        .iter()
        .filter(|j| {
            j.steps
                .iter()
                .any(|s| s.obstacles.iter().any(|o| o == "tacit_resistance"))
        })
        .count();
    assert_eq!(wall["steps"], steps);
    assert_eq!(wall["journeys"], journeys);
    // Every journey meeting it is one of the models theme's, and that is all of them: Fisher's
    // one-sided p is then 1 / C(N, n), N journeys, n of the theme.
    let models = data.journeys.iter().filter(|j| j.theme == "models").count();
    assert_eq!(
        (journeys, models),
        (4, 4),
        "the bundled data changed; recount"
    );
    let apart = &wall["distinct"];
    assert_eq!(apart["theme"], "models");
    assert_eq!(
        (apart["met_in"].as_u64(), apart["of_in"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(apart["met_out"], 0);
    let n = data.journeys.len() as f64;
    let c_n_4 = n * (n - 1.0) * (n - 2.0) * (n - 3.0) / 24.0;
    assert!((apart["p"].as_f64().unwrap() - 1.0 / c_n_4).abs() < 1e-12);
    // Met by 21 of 28 journeys across every theme: no theme is set apart.
    let time = rows.iter().find(|r| r["code"] == "time_scarcity").unwrap();
    assert!(time["distinct"].is_null(), "{time}");
    assert_eq!(v["summary"]["themes"].as_array().unwrap().len(), 8);
}

/// A recovered file beside a broken annotation file is read as the same journey's notes, and a
/// problem in one of its notes points into it.
#[test]
fn check_reads_a_recovered_file_as_its_journeys_and_points_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let ann = dir.path().join("annotations");
    std::fs::create_dir_all(ann.join("ola")).unwrap();
    let broken = "Annotations(analyst: \"ola\", journey: \"g06\", notes: [(id: )])\n";
    std::fs::write(ann.join("ola/g06.ron"), broken).unwrap();
    std::fs::write(
        ann.join("ola/g06.recovered.ron"),
        "Annotations(\n analyst: \"ola\",\n journey: \"g06\",\n notes: [\n  (id: \"01A\", step: \"s01\", \
         codes: [\"tacit_resistence\"], text: \"x\", created: \"2026-11-23T10:00:00Z\", \
         updated: \"2026-11-23T10:00:00Z\"),\n ],\n)\n",
    )
    .unwrap();
    let out = terreng()
        .args(["--annotations", ann.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let recovered = ann.join("ola/g06.recovered.ron").display().to_string();
    let file = ann.join("ola/g06.ron").display().to_string();
    assert!(err.contains(&format!("{file}:1:")), "{err}");
    assert!(
        err.contains(&format!("{recovered}:5:")) && err.contains("'tacit_resistence'"),
        "{err}"
    );
    assert!(!err.contains("g06.recovered'"), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("1 notes by 1 analysts, 2 problems"), "{out}");
    // check only reads.
    assert_eq!(
        std::fs::read_to_string(ann.join("ola/g06.ron")).unwrap(),
        broken
    );
    assert!(ann.join("ola/g06.recovered.ron").exists());
}

fn tree_bytes(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn gen_makes_the_same_corpus_from_the_same_seed_and_it_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let make = |name: &str, seed: &str| {
        let dir = tmp.path().join(name);
        let args = [
            "gen",
            "-o",
            "",
            "--journeys",
            "12",
            "--steps",
            "30",
            "--notes",
            "90",
            "--analysts",
            "3",
            "--seed",
            seed,
        ];
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        args[2] = dir.to_string_lossy().into_owned();
        let out = terreng().args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8(out.stdout).unwrap();
        assert!(
            said.contains(": 12 journeys, 360 steps, 90 notes by 3 analysts;"),
            "{said}"
        );
        dir
    };
    let a = make("a", "7");
    let b = make("b", "7");
    let c = make("c", "8");
    let (ta, tb, tc) = (tree_bytes(&a), tree_bytes(&b), tree_bytes(&c));
    assert_eq!(ta, tb, "the same seed must give the same bytes");
    assert_ne!(ta, tc, "another seed gives another corpus");

    // 12 journeys, the catalogue, and annotation files for each of the three analysts.
    let journeys = ta.iter().filter(|(p, _)| p.starts_with("journeys")).count();
    assert_eq!(journeys, 12);
    assert!(ta.iter().any(|(p, _)| p.ends_with("terrain.ron")));
    for k in 1..=3 {
        let dir = format!("annotations{}analyst{k}", std::path::MAIN_SEPARATOR);
        assert!(
            ta.iter().any(|(p, _)| p.starts_with(&dir)),
            "no notes by analyst{k}"
        );
    }
    // Every journey says it is made up, and the text keeps its Norwegian letters.
    let all: String = ta
        .iter()
        .filter(|(p, _)| p.starts_with("journeys"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .collect();
    // (Steps copied from the bundled journeys may carry a step-level provenance of their own.)
    assert_eq!(all.matches("\n    provenance: Hypothetical(").count(), 12);
    assert!(all.contains('ø') || all.contains('å') || all.contains('æ'));
    for kind in ["Advance", "Circle", "Stall", "Blocked"] {
        assert!(all.contains(&format!("kind: {kind}")), "no {kind} step");
    }

    // The corpus passes check, journeys and notes together.
    let out = terreng()
        .args(["--data"])
        .arg(&a)
        .args(["--annotations"])
        .arg(a.join("annotations"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.starts_with("12 journeys, 360 steps"), "{summary}");
    assert!(summary.contains("90 notes"), "{summary}");
}

/// Writes one analyst's notes on one journey: (note id, step, codes).
fn write_notes(
    root: &std::path::Path,
    analyst: &str,
    journey: &str,
    notes: &[(&str, &str, &[&str])],
) {
    let mut text = format!("Annotations(analyst: {analyst:?}, journey: {journey:?}, notes: [\n");
    for (id, step, codes) in notes {
        text.push_str(&format!(
            "  (id: {id:?}, step: {step:?}, codes: {codes:?}, text: \"\", created: \"2026-01-01T00:00:00Z\", updated: \"2026-01-01T00:00:00Z\"),\n"
        ));
    }
    text.push_str("])\n");
    let dir = root.join(analyst);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{journey}.ron")), text).unwrap();
}

#[test]
fn agree_prints_kappa_and_alpha_per_code_that_match_a_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    let ann = dir.path();
    write_notes(
        ann,
        "hh",
        "g06",
        &[
            ("01A", "s01", &["high_motivation"]),
            ("01B", "s02", &["tacit_resistance", "time_scarcity"]),
            ("01C", "s05", &["time_scarcity"]),
            // Only hh coded s06: not a unit.
            ("01D", "s06", &["time_scarcity"]),
        ],
    );
    write_notes(
        ann,
        "kv",
        "g06",
        &[
            ("02A", "s01", &["high_motivation"]),
            ("02B", "s02", &["tacit_resistance"]),
            ("02C", "s05", &[]),
        ],
    );
    let out = terreng()
        .args(["--annotations", ann.to_str().unwrap(), "agree", "--json"])
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
    let code = |id: &str| {
        v["per_code"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    // time_scarcity on s01, s02, s05: hh 0 1 1, kv 0 0 0. Agree on 1 of 3. Cohen: p_o = 1/3,
    // p_e = (1/3)(3/3) + (2/3)(0) = 1/3 → κ = 0. α: six values, four 0s and two 1s; two
    // disagreeing units, 2 ordered pairs each → D = 4; α = 1 − 5·4 / (36 − 16 − 4) = −0.25.
    let ts = code("time_scarcity");
    assert_eq!(ts["figures"]["units"], 3);
    let f = |x: &serde_json::Value| x.as_f64().unwrap();
    assert!((f(&ts["figures"]["percent"]) - 1.0 / 3.0).abs() < 1e-12);
    assert!(f(&ts["figures"]["pairs"][0]["kappa"]).abs() < 1e-12);
    assert!((f(&ts["figures"]["alpha"]) + 0.25).abs() < 1e-12);
    // Overall, pooled over 3 steps × 3 codes: 7 of 9 agree; hh has four 1s, kv two:
    // κ = (9·7 − (5·7 + 4·2)) / (81 − 43) = 20/38.
    assert_eq!(v["overall"]["units"], 9);
    assert!((f(&v["overall"]["pairs"][0]["kappa"]) - 20.0 / 38.0).abs() < 1e-12);
    // The steps where they disagree, s02 and s05, each on time_scarcity.
    let steps: Vec<&str> = v["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["s02", "s05"]);

    let text = stdout(terreng().args(["--annotations", ann.to_str().unwrap(), "agree"]));
    let row = |id: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no row {id} in\n{text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        row("time_scarcity"),
        ["time_scarcity", "2", "0", "3", "33.3%", "0.000", "-0.250"]
    );
    assert_eq!(
        row("overall*"),
        ["overall*", "9", "77.8%", "0.526", "0.528"]
    );
    assert!(text.contains("g06 s02: 1 code(s) differ"), "{text}");
}

#[test]
fn agree_with_one_analyst_says_what_it_needs_and_an_unknown_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write_notes(
        dir.path(),
        "hh",
        "g06",
        &[("01A", "s01", &["high_motivation"])],
    );
    let ann = dir.path().to_str().unwrap();
    let out = terreng()
        .args(["--annotations", ann, "agree"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("needs two analysts"));
    let out = terreng()
        .args(["--annotations", ann, "agree", "--analyst", "hx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'hh'?"));
    let out = terreng()
        .args(["--annotations", ann, "agree", "--theme", "model"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'models'?"));
}

/// A reader that goes away (`terreng stats | head -1`) ends the command quietly: no
/// "Broken pipe", exit 0. The pipe is closed before terreng writes, so every write fails.
#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    for args in [
        &["stats"][..],
        &["compare", "g01", "g02"],
        &["stats", "--json"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("terreng"))
            .args(args)
            .env("HOME", std::env::temp_dir().join("terreng-tests-no-home"))
            .env("RUST_BACKTRACE", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "terreng {args:?} complained of the closed pipe"
        );
        assert_eq!(out.status.code(), Some(0), "terreng {args:?}");
    }
}

/// A user's mistake is one line on stderr, never a backtrace, even with RUST_BACKTRACE set.
#[test]
fn user_errors_never_print_a_backtrace() {
    for backtrace in ["1", "full"] {
        // No terminal for the app: an error of the user's situation, exit 1.
        let out = terreng()
            .env("RUST_BACKTRACE", backtrace)
            .env("RUST_LIB_BACKTRACE", backtrace)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("terreng: terreng's app needs a terminal"),
            "{err}"
        );
        assert!(
            !err.contains("backtrace") && !err.contains("Backtrace"),
            "{err}"
        );
    }
}

/// The same mistake, a journey that is not there, is exit 2 for every command that takes
/// journey ids — as clap's own usage errors are.
#[test]
fn an_unknown_id_exits_2_in_export_compare_and_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let runs: [&[&str]; 5] = [
        &["export", "csv", "-o", "x.csv", "--journey", "g99"],
        &["export", "markdown", "-o", "x.md", "--theme", "nothing"],
        &["compare", "g01", "g99"],
        &["agree", "--journey", "g99"],
        &["stats", "--no-such-flag"],
    ];
    for args in runs {
        let out = terreng()
            .current_dir(tmp.path())
            .env("RUST_BACKTRACE", "1")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "terreng {args:?}");
        assert!(out.stdout.is_empty(), "terreng {args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.is_empty() && !err.contains("backtrace"), "{err}");
    }
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "a file was written"
    );
}
