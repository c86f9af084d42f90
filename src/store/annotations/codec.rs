//! The annotation file format: the text every save writes (notes sorted by step then id, each
//! field on its own line) and the checks every read makes (the file belongs to the folder's
//! analyst and its own journey, no note id twice), and the names of the files. It must not
//! touch the disk: bytes in, notes out, and back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ron::ser::PrettyConfig;

use crate::model::annotation::{Annotations, Note};
use crate::model::tight;
use crate::store::Problem;
use crate::store::warm::{self, Kind, Warm};
use crate::store::{locate, parse};

use super::merge::{by_id, overlay};
use super::scan::Parsed;

/// What the name of the file beside a broken one ends with, before `.ron`.
const RECOVERED: &str = ".recovered";

/// The pretty-printing every annotation file is written with: each note and each of its
/// fields on a line of its own, strings escaped so that a note's text stays on one line.
fn pretty() -> PrettyConfig {
    PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .new_line("\n")
        .escape_strings(true)
        .compact_structs(false)
        .compact_arrays(false)
}

/// The text of an annotation file, ending with a newline: notes sorted by step then id, each
/// field on its own line — what every save writes.
pub fn to_bytes(
    analyst: &str,
    journey: &str,
    notes: &BTreeMap<String, Note>,
) -> Result<Vec<u8>, String> {
    let mut annotations = Annotations::new(analyst, journey);
    annotations.notes = notes.values().cloned().collect();
    annotations.sort();
    let mut text = ron::ser::to_string_pretty(&annotations, pretty()).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// Reads an annotation file and checks it belongs where it is.
pub(super) fn read_file(
    shown: &str,
    bytes: &[u8],
    analyst: &str,
    journey: &str,
) -> Result<Annotations, Problem> {
    read_file_warm(shown, bytes, analyst, journey, None)
}

/// [`read_file`], the parse taken from the warm start where it is there; the checks that it
/// belongs where it is are made either way.
pub(super) fn read_file_warm(
    shown: &str,
    bytes: &[u8],
    analyst: &str,
    journey: &str,
    warm: Option<&Warm>,
) -> Result<Annotations, Problem> {
    let text = parse::as_text(shown, bytes, "Annotations")?;
    let context = [analyst, journey];
    let annotations: Annotations = warm::through(warm, Kind::Notes, &context, bytes, || {
        parse::parse(shown, text).map(tight)
    })?;
    let at = |key: &str| locate::find_key(text, key, 0).map(|i| locate::line_col(text, i));
    if annotations.analyst != analyst {
        return Err(Problem::new(
            shown,
            at("analyst"),
            format!(
                "the file says analyst '{}' but is in the folder of '{analyst}'; it is not used",
                annotations.analyst
            ),
        ));
    }
    if annotations.journey != journey {
        let name = Path::new(shown).file_name().map_or_else(
            || format!("{journey}.ron"),
            |n| n.to_string_lossy().into_owned(),
        );
        return Err(Problem::new(
            shown,
            at("journey"),
            format!(
                "the file says journey '{}' but is named '{name}'; it is not used",
                annotations.journey
            ),
        ));
    }
    let mut ids = BTreeSet::new();
    for note in &annotations.notes {
        if !ids.insert(note.id.as_str()) {
            let at = locate::find_string(text, &note.id, 0)
                .and_then(|first| locate::find_string(text, &note.id, first + 1))
                .map(|i| locate::line_col(text, i));
            return Err(Problem::new(
                shown,
                at,
                format!("note id '{}' appears twice; the file is not used", note.id),
            ));
        }
    }
    Ok(annotations)
}

/// Another analyst's notes on a journey: its file and the recovered file beside it (path and
/// bytes, if there), read and laid over each other. `None` when neither can be used; a file
/// that does not parse is a problem.
pub(super) fn read_others(
    files: [(&PathBuf, &Option<Vec<u8>>); 2],
    analyst: &str,
    journey: &str,
    parsed: &mut Parsed,
    problems: &mut Vec<Problem>,
) -> Option<Annotations> {
    let [file, beside] = files.map(|(path, bytes)| {
        let bytes = bytes.as_ref()?;
        parsed
            .take(&path.display().to_string(), bytes, analyst, journey)
            .map_err(|p| problems.push(p))
            .ok()
    });
    match (file, beside) {
        (None, None) => None,
        // The usual case, one file: taken as it is, its notes in the file's order.
        (Some(one), None) | (None, Some(one)) => Some(one),
        (Some(file), Some(beside)) => {
            let notes = overlay(&by_id(file.notes), &by_id(beside.notes));
            let mut annotations = Annotations::new(analyst, journey);
            annotations.notes = notes.into_values().collect();
            Some(annotations)
        }
    }
}

/// The name of the recovered file beside a journey's file: `<journey>.recovered.ron`.
pub(super) fn recovered_name(journey: &str) -> String {
    format!("{journey}{RECOVERED}.ron")
}

/// The journey a file (by its name without `.ron`) holds notes on: a recovered file's is its
/// name without `.recovered`.
pub(super) fn journey_of(stem: &str) -> &str {
    match stem.strip_suffix(RECOVERED) {
        Some(journey) if !journey.is_empty() => journey,
        _ => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::annotations::merge::by_id;

    fn note(id: &str, text: &str, updated: &str) -> Note {
        Note {
            id: id.into(),
            step: "s01".into(),
            codes: vec!["o1".into()],
            text: text.into(),
            created: "2026-01-01T00:00:00Z".into(),
            updated: updated.into(),
            conflict_of: None,
        }
    }

    fn map(notes: &[Note]) -> BTreeMap<String, Note> {
        by_id(notes.to_vec())
    }

    const T1: &str = "2026-01-01T00:00:01Z";

    #[test]
    fn the_file_text_puts_every_field_on_its_own_line_and_ends_with_a_newline() {
        let notes = map(&[note("a", "two\nlines \"q\"", T1)]);
        let text = String::from_utf8(to_bytes("hh", "g06", &notes).unwrap()).unwrap();
        assert!(text.starts_with("Annotations(\n"), "{text}");
        assert!(text.ends_with(")\n"), "{text}");
        for field in ["id:", "step:", "codes:", "text:", "created:", "updated:"] {
            assert_eq!(
                text.lines()
                    .filter(|l| l.trim_start().starts_with(field))
                    .count(),
                1,
                "{field} in {text}"
            );
        }
        assert!(!text.contains("conflict_of"), "None is left out: {text}");
        let back: Annotations = parse::parse("x", &text).unwrap();
        assert_eq!(back.notes, notes.values().cloned().collect::<Vec<_>>());
    }
}
