//! The loader against broken input: every file in `tests/fixtures/bad/` gives exactly the
//! located message a user would need, the good files still load, and nothing panics.

use std::path::{Path, PathBuf};

use terreng::store::{self, DataSource, Problem};

const BAD_JOURNEYS: &str = "tests/fixtures/bad/journeys";
const GOOD_JOURNEYS: &str = "tests/fixtures/good/journeys";
const TEST_CATALOGUE: &str = "tests/fixtures/good/terrain.ron";

fn load(dir: &str) -> store::Dataset {
    store::load(
        &DataSource::Dir(PathBuf::from(dir)),
        Some(Path::new(TEST_CATALOGUE)),
    )
}

fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

/// (file, message after `path:`) for every broken journey file.
const EXPECTED: &[(&str, &str)] = &[
    (
        "binary.ron",
        "2:1: binary data (a NUL byte) — expected a RON text file",
    ),
    (
        "catalogue_here.ron",
        "2:1: expected Journey(...) but found Terrain(...) — is this the right kind of file?",
    ),
    ("deep.ron", "1:29: expected opening `(` for struct `Step`"),
    (
        "documented_no_evidence.ron",
        "30:17: step 's02' is Documented but has no evidence — add (quote, translation, locator)",
    ),
    (
        "dup_b.ron",
        "2:9: journey id 'dup_a' differs from the file name 'dup_b.ron' — rename the file to dup_a.ron or set id: \"dup_b\"",
    ),
    (
        "dup_b.ron",
        " duplicate journey id 'dup_a' (also in tests/fixtures/bad/journeys/dup_a.ron)",
    ),
    (
        "duplicate_step.ron",
        "30:17: duplicate step id 's01' (first at line 14)",
    ),
    ("empty.ron", "1:1: empty file — expected Journey(...)"),
    (
        "empty_quote.ron",
        "37:21: step 's02': evidence 1 has an empty quote",
    ),
    ("folder.ron", " is a directory, not a journey file"),
    (
        "invalid_utf8.ron",
        "3:31: invalid UTF-8 (byte 0xc6) — save the file as UTF-8",
    ),
    ("missing_comma.ron", "4:5: expected ',' between items"),
    ("missing_field.ron", "27:9: missing field 'title' in Step"),
    (
        "name_mismatch.ron",
        "2:9: journey id 'g06' differs from the file name 'name_mismatch.ron' — rename the file to g06.ron or set id: \"name_mismatch\"",
    ),
    ("no_steps.ron", "12:5: journey 'no_steps' has no steps"),
    (
        "obstacle_as_enabler.ron",
        "20:24: step 's01': 'tacit_resistance' is an obstacle, not an enabler — move it to obstacles",
    ),
    (
        "path_id.ron",
        "2:9: journey id '../../etc' may hold only ASCII letters, digits, '-' and '_'",
    ),
    (
        "unclosed_bracket.ron",
        "43:7: unexpected end of file — a bracket or quote is not closed",
    ),
    (
        "unclosed_string.ron",
        "20:25: expected ',' between items (the string that starts at 18:24 runs over a line end — is its closing '\"' missing?)",
    ),
    (
        "unknown_enabler.ron",
        "20:24: step 's01': unknown enabler 'thumbsup' — did you mean 'thumbs_up'?",
    ),
    (
        "unknown_field.ron",
        "18:13: unknown field 'narative' in Step — did you mean 'narrative'? (expected one of: id, kind, when, title, narrative, obstacles, enablers, evidence, stride, at, partial, provenance)",
    ),
    (
        "unknown_kind.ron",
        "15:19: unknown step kind 'Advence' — did you mean 'Advance'? (expected one of: Advance, Detour, Circle, Stall, Blocked, Retreat, Wander, Arrive)",
    ),
    (
        "unknown_obstacle.ron",
        "34:25: step 's02': unknown obstacle 'tacit_resistence' — did you mean 'tacit_resistance'?",
    ),
    (
        "unknown_theme.ron",
        "4:12: unknown theme 'modles' — did you mean 'models'?",
    ),
    ("whitespace.ron", "1:1: empty file — expected Journey(...)"),
    (
        "wrong_provenance.ron",
        "9:17: unknown provenance 'Guessed' (expected one of: Documented, Reconstructed, Hypothetical)",
    ),
    ("wrong_type_steps.ron", "12:11: expected opening `[`"),
    ("wrong_type_stride.ron", "16:20: expected float"),
];

#[test]
fn every_broken_journey_file_gets_its_located_message() {
    let data = load(BAD_JOURNEYS);
    let expected: Vec<String> = EXPECTED
        .iter()
        .map(|(file, msg)| format!("{BAD_JOURNEYS}/{file}:{msg}"))
        .collect();
    let got = messages(&data.problems);
    for e in &expected {
        assert!(
            got.contains(e),
            "missing problem:\n  {e}\ngot:\n  {}",
            got.join("\n  ")
        );
    }
    assert_eq!(
        got.len(),
        expected.len(),
        "unexpected extra problems:\n  {}",
        got.join("\n  ")
    );
}

#[test]
fn the_good_journeys_among_bad_ones_still_load() {
    let data = load(BAD_JOURNEYS);
    let mut ids: Vec<&str> = data.journeys.iter().map(|j| j.id.as_str()).collect();
    ids.sort();
    // A file that parses keeps its journey even with problems in it, so the viewer can show
    // it; unreadable files, journeys without steps, invalid ids (which could name paths
    // outside the data folder) and the second of two equal ids do not load.
    assert_eq!(
        ids,
        [
            "documented_no_evidence",
            "dup_a",
            "duplicate_step",
            "empty_quote",
            "g06",
            "obstacle_as_enabler",
            "unknown_enabler",
            "unknown_obstacle",
            "unknown_theme",
        ]
    );
}

#[test]
fn a_good_folder_loads_clean() {
    let data = load(GOOD_JOURNEYS);
    assert_eq!(messages(&data.problems), Vec::<String>::new());
    assert_eq!(data.summary(), "1 journey, 2 steps, 0 problems");
    assert_eq!(data.journeys[0].title, "A small journey — Ærlig og grei");
}

/// (file, message after `path:`) for every broken catalogue.
const EXPECTED_CATALOGUE: &[(&str, &str)] = &[
    (
        "reserved_glyph.ron",
        "29:17: enabler 'thumbs_up': glyph '◉' is the map's mark for the current step; choose another",
    ),
    (
        "shared_glyph.ron",
        "29:17: enabler 'thumbs_up': glyph '◆' is already the mark of obstacle 'unclear_direction'",
    ),
    (
        "bad_ascii.ron",
        "16:17: obstacle 'unclear_direction': ascii 'ø' must be one printable ASCII character",
    ),
    (
        "bad_color.ron",
        "22:21: unknown colour 'purple' — expected one of black, red, green, yellow, blue, magenta, cyan, gray, dark_gray, light_red, light_green, light_yellow, light_blue, light_magenta, light_cyan, white",
    ),
    (
        "duplicate_id.ron",
        "16:17: duplicate id 'tacit_resistance' (already an obstacle)",
    ),
    (
        "enabler_wall.ron",
        "29:17: enabler 'thumbs_up': shape Wall is not for enablers",
    ),
    (
        "journey_instead.ron",
        "1:1: expected Terrain(...) but found Journey(...) — is this the right kind of file?",
    ),
    ("no_themes.ron", " the catalogue has no themes"),
    (
        "origin_unmarked.ron",
        "17:17: obstacle 'unclear_direction': its label has no origin — mark it Source(\"study, section\") or Coined(\"what it rests on\")",
    ),
    (
        "unknown_shape.ron",
        "19:20: unknown shape 'Cliff' (expected one of: Wall, Fog, Water, Marker, Path, Bridge)",
    ),
    (
        "wide_glyph.ron",
        "16:17: obstacle 'unclear_direction': glyph '山' must be one character one column wide",
    ),
];

#[test]
fn every_broken_catalogue_gets_its_located_message() {
    for (file, msg) in EXPECTED_CATALOGUE {
        let path = format!("tests/fixtures/bad/catalogues/{file}");
        let bytes = std::fs::read(&path).unwrap();
        let problems = store::terrain_from_bytes(&path, &bytes).expect_err(file);
        assert_eq!(messages(&problems), [format!("{path}:{msg}")], "{file}");
    }
}

#[test]
fn a_broken_catalogue_is_reported_and_the_bundled_one_stands_in() {
    let data = store::load(
        &DataSource::Dir(PathBuf::from(GOOD_JOURNEYS)),
        Some(Path::new("tests/fixtures/bad/catalogues/bad_color.ron")),
    );
    let got = messages(&data.problems);
    assert!(
        got.iter().any(|m| m.contains("unknown colour 'purple'")),
        "{got:?}"
    );
    assert!(
        got.iter().any(
            |m| m.ends_with("the catalogue could not be used; the bundled catalogue stands in")
        )
    );
    assert_eq!(data.terrain, store::bundled::terrain());
}

#[test]
fn a_ten_megabyte_single_line_is_reported_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut line = String::from("Journey(id: \"big\", title: \"");
    line.push_str(&"ø".repeat(5 * 1024 * 1024));
    std::fs::write(dir.path().join("big.ron"), &line).unwrap();
    let data = store::load(
        &DataSource::Dir(dir.path().to_path_buf()),
        Some(Path::new(TEST_CATALOGUE)),
    );
    let got = messages(&data.problems);
    assert_eq!(got.len(), 1, "{got:?}");
    // The title string never closes; RON points at its opening quote, column 27.
    assert!(
        got[0].ends_with("big.ron:1:27: string not closed — expected a closing '\"'"),
        "{}",
        got[0]
    );
    assert!(data.journeys.is_empty());
}

#[test]
fn a_missing_folder_is_one_problem() {
    let data = load("tests/fixtures/no-such-folder");
    let got = messages(&data.problems);
    assert_eq!(got.len(), 1);
    assert!(
        got[0].starts_with("tests/fixtures/no-such-folder: cannot read the folder:"),
        "{}",
        got[0]
    );
    assert!(data.journeys.is_empty());
}
