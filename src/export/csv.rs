//! CSV for R and spreadsheets: three files, RFC 4180, UTF-8 without a byte-order mark.
//!
//! - `PATH`, tidy long format: one row per journey, step, code and source of the code (the
//!   journey file, or an analyst), with the step's index (1-based), id, kind and progress,
//!   and the note the code comes from;
//! - `PATH-matrix.csv`: the code × journey matrix twice, stacked — the steps that carry each
//!   code (`measure` = `count`) and whether any does (`measure` = `present`, 0/1); codes from
//!   the journey files and the analysts' notes together;
//! - `PATH-notes.csv`: every note, with its text.
//!
//! With `--excel` each file starts with a UTF-8 byte-order mark, which Excel needs to read
//! UTF-8; R's `read.csv` and most other readers take the files as they are without it.
//!
//! Any text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in
//! front, so that a spreadsheet shows it instead of running it as a formula (the OWASP advice
//! on CSV injection). Numbers terreng computes are written bare.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{NoteIn, Scope, analyst_codes, num, write_file};
use crate::analysis::compare::{self, CodeSource};
use crate::model::{FeatureClass, Terrain, layout};

/// The columns of the long file.
pub const CODE_COLUMNS: [&str; 13] = [
    "journey",
    "theme",
    "step_index",
    "step_id",
    "step_kind",
    "step_title",
    "progress",
    "code",
    "code_class",
    "code_label",
    "source",
    "analyst",
    "note_id",
];

/// The columns of the notes file.
pub const NOTE_COLUMNS: [&str; 10] = [
    "journey",
    "step_index",
    "step_id",
    "analyst",
    "note_id",
    "codes",
    "text",
    "created",
    "updated",
    "conflict_of",
];

/// A text cell made safe for spreadsheets and terminals: a `'` in front of a cell that starts
/// with a tab or a carriage return, or whose first non-blank character is `=`, `+`, `-` or `@`
/// (spreadsheets trim the blanks before they look for a formula); then every control character
/// but the line break, and every bidirectional control, as a visible `\u{..}` escape.
pub fn guard(cell: &str) -> String {
    let formula =
        cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(['=', '+', '-', '@']);
    let cell = crate::text::escape_controls(cell);
    if formula {
        format!("'{cell}")
    } else {
        cell.into_owned()
    }
}

/// The files written beside `path`: the matrix and the notes.
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map_or_else(|| "csv".to_string(), |e| e.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-{suffix}.{ext}"))
}

fn class_and_label(terrain: &Terrain, code: &str) -> (&'static str, String) {
    match terrain.feature(code) {
        Some((FeatureClass::Obstacle, f)) => ("obstacle", f.en.clone()),
        Some((FeatureClass::Enabler, f)) => ("enabler", f.en.clone()),
        None => ("unknown", String::new()),
    }
}

/// A CSV writer into memory; every text cell guarded.
struct Table {
    w: ::csv::Writer<Vec<u8>>,
}

impl Table {
    fn new(header: &[&str]) -> anyhow::Result<Table> {
        let mut t = Table {
            w: ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        };
        t.row(header.iter().map(|s| s.to_string()))?;
        Ok(t)
    }

    fn row(&mut self, cells: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
        let cells: Vec<String> = cells.into_iter().map(|c| guard(&c)).collect();
        self.w.write_record(&cells)?;
        Ok(())
    }

    fn into_bytes(self) -> anyhow::Result<Vec<u8>> {
        self.w.into_inner().context("finishing a CSV file")
    }
}

/// The long file: one row per (journey, step, code, source).
pub fn codes(scope: &Scope, progress: &mut dyn FnMut(usize, usize)) -> anyhow::Result<Vec<u8>> {
    let terrain = &scope.data.terrain;
    let mut t = Table::new(&CODE_COLUMNS)?;
    let total = scope.journeys.len();
    for (done, j) in scope.journeys.iter().enumerate() {
        progress(done, total);
        let route = layout(j);
        let notes = scope.journey_notes(j);
        for (i, (step, on_step)) in j.steps.iter().zip(&notes.steps).enumerate() {
            let p = route.steps.get(i).map_or(0.0, |p| p.progress());
            let from_journey = step
                .codes()
                .map(|c| (terrain.resolve(c), "journey", "", ""));
            let from_notes = analyst_codes(on_step, terrain)
                .into_iter()
                .map(|(a, c, n)| (c, "analyst", a, n.id.as_str()));
            for (code, source, analyst, note) in from_journey.chain(from_notes) {
                let (class, label) = class_and_label(terrain, code);
                t.row([
                    j.id.clone(),
                    j.theme.clone(),
                    (i + 1).to_string(),
                    step.id.clone(),
                    step.kind.name().to_string(),
                    step.title.clone(),
                    num(p),
                    code.to_string(),
                    class.to_string(),
                    label,
                    source.to_string(),
                    analyst.to_string(),
                    note.to_string(),
                ])?;
            }
        }
    }
    t.into_bytes()
}

/// The matrix file: `measure, code, code_class, code_label`, then a column per journey.
pub fn matrix(scope: &Scope) -> anyhow::Result<Vec<u8>> {
    let terrain = &scope.data.terrain;
    let coded = scope.coded(CodeSource::Both);
    let order = scope.code_order();
    let m = compare::matrix(&coded, &order);
    let mut header = vec!["measure", "code", "code_class", "code_label"];
    header.extend(m.journeys.iter().map(String::as_str));
    let mut t = Table::new(&header)?;
    for measure in ["count", "present"] {
        for (row, code) in m.codes.iter().enumerate() {
            let (class, label) = class_and_label(terrain, code);
            let mut cells = vec![measure.to_string(), code.clone(), class.to_string(), label];
            cells.extend((0..m.journeys.len()).map(|col| {
                let n = m.count(row, col);
                if measure == "count" {
                    n.to_string()
                } else {
                    usize::from(n > 0).to_string()
                }
            }));
            t.row(cells)?;
        }
    }
    t.into_bytes()
}

/// The notes file: one row per note, with its text.
pub fn notes(scope: &Scope) -> anyhow::Result<Vec<u8>> {
    let mut t = Table::new(&NOTE_COLUMNS)?;
    // Each step's number, found once for all notes.
    let numbers: HashMap<(&str, &str), usize> = scope
        .journeys
        .iter()
        .flat_map(|j| {
            j.steps
                .iter()
                .enumerate()
                .map(|(i, s)| ((j.id.as_str(), s.id.as_str()), i + 1))
        })
        .collect();
    let index = |n: &NoteIn| {
        numbers
            .get(&(n.journey, n.note.step.as_str()))
            .map_or_else(String::new, usize::to_string)
    };
    for n in &scope.notes {
        t.row([
            n.journey.to_string(),
            index(n),
            n.note.step.clone(),
            n.analyst.to_string(),
            n.note.id.clone(),
            n.note.codes.join(" "),
            n.note.text.clone(),
            n.note.created.clone(),
            n.note.updated.clone(),
            n.note.conflict_of.clone().unwrap_or_default(),
        ])?;
    }
    t.into_bytes()
}

/// The byte-order mark that tells Excel a CSV file is UTF-8.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes the three files (each with a byte-order mark first for `excel`); returns their
/// paths, the long file first.
pub fn write(
    scope: &Scope,
    path: &Path,
    excel: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Vec<PathBuf>> {
    let with_bom = |bytes: Vec<u8>| {
        if excel { [BOM, &bytes].concat() } else { bytes }
    };
    let long = with_bom(codes(scope, progress)?);
    let matrix_path = sibling(path, "matrix");
    let notes_path = sibling(path, "notes");
    write_file(path, &long)?;
    write_file(&matrix_path, &with_bom(matrix(scope)?))?;
    write_file(&notes_path, &with_bom(notes(scope)?))?;
    let total = scope.journeys.len();
    progress(total, total);
    Ok(vec![path.to_path_buf(), matrix_path, notes_path])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_looking_cells_are_guarded() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "  =1+1", " \n@x"] {
            assert_eq!(guard(bad), format!("'{bad}"));
        }
        // A carriage return is guarded and, like every control but the line break, escaped.
        assert_eq!(guard("\rx"), "'\\u{d}x");
        assert_eq!(guard("a\u{1b}]52;c;x\u{7}"), "a\\u{1b}]52;c;x\\u{7}");
        assert_eq!(guard("rtl\u{202e}"), "rtl\\u{202e}");
        for ok in ["1-2", "a=b", "", "Åse", "'quoted"] {
            assert_eq!(guard(ok), ok);
        }
    }

    #[test]
    fn siblings_keep_the_folder_and_extension() {
        assert_eq!(
            sibling(Path::new("out/codes.csv"), "matrix"),
            Path::new("out/codes-matrix.csv")
        );
        assert_eq!(
            sibling(Path::new("codes"), "notes"),
            Path::new("codes-notes.csv")
        );
    }
}
