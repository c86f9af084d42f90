//! No input panics a parser: arbitrary bytes, and valid files with bytes changed, inserted or
//! cut, go through the journey, catalogue and annotation parsers and through `inert`, which
//! must return (a problem, or a value) and never panic. `inert` must also leave no control
//! character in what it returns.

use proptest::prelude::*;
use terreng::model::{Annotations, Terrain};
use terreng::store::{self, parse};

const JOURNEY: &str = include_str!("fixtures/study/journeys/f02.ron");
const CATALOGUE: &str = include_str!("fixtures/study/terrain.ron");
const NOTES: &str = r#"Annotations(
    analyst: "hh",
    journey: "f02",
    notes: [
        (
            id: "01KAQ3XK7J9Q0V6N2W8R4T5Y1Z",
            step: "s02",
            codes: ["tacit_resistance"],
            text: "Høflig motstand.",
            created: "2026-11-23T10:02:11Z",
            updated: "2026-11-23T10:05:40Z",
        ),
    ],
)
"#;

/// A valid file with one edit: `at` (a share of the length) replaced by, or followed by,
/// `bytes`, or the file cut there.
fn mutated(base: &str) -> impl Strategy<Value = Vec<u8>> {
    let base = base.as_bytes().to_vec();
    (
        0.0f64..1.0,
        prop::collection::vec(any::<u8>(), 0..8),
        0u8..3,
    )
        .prop_map(move |(at, bytes, how)| {
            let i = ((base.len() as f64) * at) as usize;
            let mut out = base[..i].to_vec();
            match how {
                0 => {
                    out.extend_from_slice(&bytes);
                    out.extend_from_slice(&base[(i + bytes.len()).min(base.len())..]);
                }
                1 => {
                    out.extend_from_slice(&bytes);
                    out.extend_from_slice(&base[i..]);
                }
                _ => {}
            }
            out
        })
}

fn any_input(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..512), mutated(base),]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_journey_parser_never_panics(bytes in any_input(JOURNEY)) {
        let terrain: Terrain = parse::parse("terrain.ron", CATALOGUE).expect("the fixture catalogue");
        // A problem or a journey: either is an answer.
        let _ = store::journey_from_bytes("f02.ron", "f02", &bytes, &terrain);
    }

    #[test]
    fn the_catalogue_parser_never_panics(bytes in any_input(CATALOGUE)) {
        let _ = store::terrain_from_bytes("terrain.ron", &bytes);
    }

    #[test]
    fn the_annotation_parser_never_panics(bytes in any_input(NOTES)) {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = parse::parse::<Annotations>("f02.ron", text);
        }
    }

    #[test]
    fn inert_never_panics_and_leaves_no_control_character(s in any::<String>()) {
        let out = terreng::ui::text::inert(&s);
        prop_assert!(
            !out.chars().any(|c| c.is_control()),
            "{out:?} from {s:?} holds a control character"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The annotation folder as the app reads it: one analyst's file of arbitrary bytes.
    #[test]
    fn an_annotation_file_of_any_bytes_is_read_or_reported(bytes in any_input(NOTES)) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("hh")).expect("the analyst's folder");
        std::fs::write(dir.path().join("hh/f02.ron"), &bytes).expect("the file");
        let (store, problems) = terreng::store::annotations::NoteStore::read(dir.path());
        // Either the file's notes are read, or the file is reported: never both nothing.
        let read = !store.all().is_empty();
        let parsed_empty = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|t| parse::parse::<Annotations>("f02.ron", t).ok())
            .is_some_and(|a| a.notes.is_empty());
        prop_assert!(read || !problems.is_empty() || parsed_empty, "{bytes:?}");
    }
}
