//! Taking the work out of terreng: a Markdown report, tidy CSV for R and spreadsheets, SVG
//! figures, and REFI-QDA projects and codebooks for NVivo, ATLAS.ti, MAXQDA and QualCoder.
//!
//! [`export`] is the one entry point, used by `terreng export` and by the app alike. It first
//! resolves a [`Selection`] (journeys, themes, analysts named by the user) against the data and
//! the notes into a [`Scope`], failing with a suggestion on an unknown id, then hands the scope
//! to the writer of the format. Nothing here prints or touches the terminal: progress is
//! reported through a callback and the outcome returned as a [`Summary`]. Files are written
//! whole by the store's atomic writer, so a failed export never leaves half a file (or its
//! temporary); `-o -` sends the export itself to standard output. The output is deterministic: the same data and notes give the same
//! bytes, so exports can be diffed and tested.

pub mod csv;
pub mod eventlog;
pub mod markdown;
mod palette;
pub mod refi;
pub mod seqplot;
pub mod svg;
mod xml;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::analysis::compare::{self, CodeSource, Coded};
use crate::model::{Journey, Note, Step, Terrain};
use crate::store::annotations::NoteStore;
use crate::store::fs;
use crate::store::suggest::did_you_mean;
use crate::store::{DataSource, Dataset};

/// The formats terreng writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable report: journeys, steps, evidence, notes, per-theme tables.
    #[value(alias = "md")]
    Markdown,
    /// Tidy long CSV of codes, with a code × journey matrix and the notes beside it.
    Csv,
    /// A figure: the map of one journey, or the routes of several side by side.
    Svg,
    /// A REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA and QualCoder.
    Qdpx,
    /// The catalogue alone as a REFI-QDA codebook (.qdc).
    Qdc,
    /// An XES event log (IEEE 1849-2016): a trace per journey, an event per step.
    Xes,
    /// An OCEL 2.0 JSON event log: steps as events, journeys and terrain as objects.
    Ocel,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Svg => "svg",
            Format::Qdpx => "qdpx",
            Format::Qdc => "qdc",
            Format::Xes => "xes",
            Format::Ocel => "ocel",
        }
    }

    /// Every format's name, for messages.
    pub const NAMES: [&'static str; 7] = ["markdown", "csv", "svg", "qdpx", "qdc", "xes", "ocel"];

    /// The format with this name (or `md`), for the app's command line.
    pub fn from_name(name: &str) -> Option<Format> {
        use clap::ValueEnum;
        Format::from_str(name, true).ok()
    }
}

/// What the user asked to export; empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub journeys: Vec<String>,
    pub themes: Vec<String>,
    pub analysts: Vec<String>,
    /// Blind coding as this analyst: every other analyst's notes are left out, whatever
    /// `analysts` says.
    pub blind: Option<String>,
    /// CSV for Excel: each file starts with a UTF-8 byte-order mark, without which Excel reads
    /// UTF-8 as the system's code page (`ø` shown as `Ã¸`).
    pub excel: bool,
    /// The study's title, which names the export (a REFI project's name); without one, the
    /// data folder's own name does.
    pub title: Option<String>,
}

/// `--journey`, `--theme` and `--analyst`, as every command that exports or compares notes
/// takes them (`terreng export`, `terreng agree`, the app's `:export`).
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct Pick {
    /// Only this journey (repeat for more; default: all).
    #[arg(long = "journey", value_name = "ID")]
    pub journeys: Vec<String>,
    /// Only the journeys of this theme (repeat for more; default: all).
    #[arg(long = "theme", value_name = "ID")]
    pub themes: Vec<String>,
    /// Only this analyst's notes (repeat for more; default: every analyst's).
    #[arg(long = "analyst", value_name = "NAME")]
    pub analysts: Vec<String>,
}

impl Pick {
    /// The selection of these journeys, themes and analysts, with nothing else asked.
    pub fn selection(&self) -> Selection {
        Selection {
            journeys: self.journeys.clone(),
            themes: self.themes.clone(),
            analysts: self.analysts.clone(),
            ..Selection::default()
        }
    }
}

/// A selection that names nothing known (a journey, theme or analyst): the user's mistake,
/// which the command line reports with exit code 2, as clap does for other usage errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unknown(pub String);

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Every file written, the main one first.
    pub files: Vec<PathBuf>,
    pub journeys: usize,
    pub steps: usize,
    pub notes: usize,
    /// The analysts whose notes are in the export, by name.
    pub analysts: Vec<String>,
    /// Things the user should know that did not stop the export (a note on a step that is
    /// gone, a timestamp that could not be read).
    pub warnings: Vec<String>,
}

impl Summary {
    /// "28 journeys, 241 steps, 12 notes by 2 analysts".
    pub fn describe(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {}, {} by {}",
            plural(self.journeys, "journey", "journeys"),
            plural(self.steps, "step", "steps"),
            plural(self.notes, "note", "notes"),
            plural(self.analysts.len(), "analyst", "analysts"),
        )
    }
}

/// One note in an export: who wrote it, on which journey, and the note.
#[derive(Debug, Clone, Copy)]
pub struct NoteIn<'a> {
    pub analyst: &'a str,
    pub journey: &'a str,
    pub note: &'a Note,
}

/// A selection resolved against the data: the journeys in report order (catalogue theme
/// order, then the data's order) and the notes on them by the chosen analysts.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub data: &'a Dataset,
    pub journeys: Vec<&'a Journey>,
    /// By analyst, then journey, then note id.
    pub notes: Vec<NoteIn<'a>>,
    /// The analysts with notes in the scope, by name.
    pub analysts: Vec<String>,
    /// Where the notes were read from, for reports.
    pub notes_root: PathBuf,
    /// What the export is called: the study's title, or the data folder's own name.
    pub name: String,
    /// Positions in `notes` by journey, in `notes`' order: built once, so that every step
    /// and journey finds its notes without scanning the others'.
    by_journey: HashMap<&'a str, Vec<usize>>,
}

impl Selection {
    /// Resolves the selection; an unknown journey, theme or analyst is an error that quotes it
    /// and suggests the nearest known one.
    pub fn resolve<'a>(
        &self,
        data: &'a Dataset,
        notes: &'a NoteStore,
    ) -> anyhow::Result<Scope<'a>> {
        let terrain = &data.terrain;
        for id in &self.journeys {
            if data.journey(id).is_none() {
                return Err(unknown(format!(
                    "unknown journey '{id}' in {}{}",
                    data.source.describe(),
                    did_you_mean(id, data.ids())
                )));
            }
        }
        for id in &self.themes {
            if terrain.theme(id).is_none() {
                return Err(unknown(format!(
                    "unknown theme '{id}'{} (themes: {})",
                    did_you_mean(id, terrain.themes.iter().map(|t| t.id.as_str())),
                    terrain
                        .themes
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if !data.journeys.iter().any(|j| &j.theme == id) {
                return Err(unknown(format!(
                    "theme '{id}' has no journeys in {}",
                    data.source.describe()
                )));
            }
        }
        let all = notes.all();
        let known: BTreeSet<&str> = all.iter().map(|(a, _, _)| *a).collect();
        for name in &self.analysts {
            if !known.contains(name.as_str()) {
                let there = if known.is_empty() {
                    " (there are no notes there)".to_string()
                } else {
                    did_you_mean(name, known.iter().copied())
                };
                return Err(unknown(format!(
                    "no notes by analyst '{name}' in {}{there}",
                    notes.root().display()
                )));
            }
        }

        let everything = self.journeys.is_empty() && self.themes.is_empty();
        let mut journeys: Vec<&Journey> = data
            .journeys
            .iter()
            .filter(|j| {
                everything || self.journeys.contains(&j.id) || self.themes.contains(&j.theme)
            })
            .collect();
        if journeys.is_empty() {
            return Err(unknown(format!(
                "there are no journeys in {}",
                data.source.describe()
            )));
        }
        journeys.sort_by_key(|j| terrain.theme_index(&j.theme));

        let chosen: BTreeSet<&str> = journeys.iter().map(|j| j.id.as_str()).collect();
        let mut in_scope: Vec<NoteIn> = all
            .into_iter()
            .filter(|(a, j, _)| {
                chosen.contains(j)
                    && (self.analysts.is_empty() || self.analysts.iter().any(|n| n == a))
                    && self.blind.as_deref().is_none_or(|me| me == *a)
            })
            .map(|(analyst, journey, note)| NoteIn {
                analyst,
                journey,
                note,
            })
            .collect();
        in_scope.sort_by(|a, b| {
            (a.analyst, a.journey, &a.note.id).cmp(&(b.analyst, b.journey, &b.note.id))
        });
        let analysts: BTreeSet<&str> = in_scope.iter().map(|n| n.analyst).collect();
        let mut by_journey: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, n) in in_scope.iter().enumerate() {
            by_journey.entry(n.journey).or_default().push(i);
        }
        let name = match self.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => folder_name(&data.source),
        };
        Ok(Scope {
            data,
            journeys,
            notes: in_scope,
            analysts: analysts.into_iter().map(str::to_string).collect(),
            notes_root: notes.root().to_path_buf(),
            name,
            by_journey,
        })
    }
}

fn unknown(message: String) -> anyhow::Error {
    Unknown(message).into()
}

/// The name of a study without a title: the data folder's own name (the folder holding
/// `journeys/` when the journeys folder is named), never the path as typed, so that the same
/// data gives the same export wherever it lies.
pub fn folder_name(source: &DataSource) -> String {
    match source {
        DataSource::Bundled => "terreng's bundled journeys".to_string(),
        DataSource::Dir(dir) => {
            let full = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
            let named = |p: &Path| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .filter(|n| !n.is_empty())
            };
            let own = named(&full);
            let name = match own.as_deref() {
                Some("journeys") => full.parent().and_then(named).or(own),
                _ => own,
            };
            name.unwrap_or_else(|| "journeys".to_string())
        }
    }
}

impl<'a> Scope<'a> {
    /// The notes on a journey, by analyst then id.
    pub fn notes_of(&self, journey: &str) -> impl Iterator<Item = NoteIn<'a>> + '_ {
        self.by_journey
            .get(journey)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| self.notes[i])
    }

    /// The notes on a step, by analyst then id.
    pub fn notes_on(&self, journey: &str, step: &str) -> Vec<NoteIn<'a>> {
        self.notes_of(journey)
            .filter(|n| n.note.step == step)
            .collect()
    }

    /// The notes on a journey whose step is no longer in it.
    pub fn orphans(&self, journey: &Journey) -> Vec<NoteIn<'a>> {
        let steps: BTreeSet<&str> = journey.steps.iter().map(|s| s.id.as_str()).collect();
        self.notes_of(&journey.id)
            .filter(|n| !steps.contains(n.note.step.as_str()))
            .collect()
    }

    /// The notes of a journey grouped by step, each group by analyst then id, with the
    /// notes whose step is gone: what a writer needs to go through a journey once.
    pub fn journey_notes(&self, journey: &Journey) -> JourneyNotes<'a> {
        let mut steps: Vec<Vec<NoteIn<'a>>> = vec![Vec::new(); journey.steps.len()];
        let place: HashMap<&str, usize> = journey
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut orphans = Vec::new();
        for n in self.notes_of(&journey.id) {
            match place.get(n.note.step.as_str()) {
                Some(&i) => steps[i].push(n),
                None => orphans.push(n),
            }
        }
        JourneyNotes { steps, orphans }
    }

    pub fn step_count(&self) -> usize {
        self.journeys.iter().map(|j| j.steps.len()).sum()
    }

    /// Every journey with its codes from `source`, in scope order, sharing one table of codes;
    /// each journey looks only at its own notes.
    pub fn coded(&self, source: CodeSource) -> Vec<Coded> {
        let notes: Vec<Vec<(&str, &str, &Note)>> = self
            .journeys
            .iter()
            .map(|j| {
                self.notes_of(&j.id)
                    .map(|n| (n.analyst, n.journey, n.note))
                    .collect()
            })
            .collect();
        compare::coded_each(&self.journeys, &notes, source, &self.data.terrain)
    }

    /// Code ids in catalogue order (obstacles, then enablers), then any code used in the scope
    /// that the catalogue does not have, by id.
    pub fn code_order(&self) -> Vec<&'a str> {
        let terrain = &self.data.terrain;
        let mut order: Vec<&'a str> = terrain.features().map(|(_, f)| f.id.as_str()).collect();
        let mut unknown: BTreeSet<&'a str> = BTreeSet::new();
        for j in &self.journeys {
            unknown.extend(j.codes().filter(|c| terrain.feature(c).is_none()));
        }
        for n in &self.notes {
            unknown.extend(
                n.note
                    .codes
                    .iter()
                    .map(String::as_str)
                    .filter(|c| terrain.feature(c).is_none()),
            );
        }
        order.extend(unknown);
        order
    }

    /// Warnings about the notes that an export cannot place on a step.
    fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for j in &self.journeys {
            for n in self.orphans(j) {
                out.push(format!(
                    "note {} by {} is on step '{}', which journey '{}' no longer has; it is exported without a step",
                    n.note.id, n.analyst, n.note.step, j.id
                ));
            }
        }
        out
    }
}

/// A journey's notes as [`Scope::journey_notes`] groups them.
#[derive(Debug, Clone, Default)]
pub struct JourneyNotes<'a> {
    /// The notes on each step, in the journey's step order.
    pub steps: Vec<Vec<NoteIn<'a>>>,
    /// The notes whose step the journey no longer has.
    pub orphans: Vec<NoteIn<'a>>,
}

/// The 1-based position of a step in its journey, as reports number steps.
pub(crate) fn step_number(journey: &Journey, step: &Step) -> usize {
    journey
        .steps
        .iter()
        .position(|s| std::ptr::eq(s, step))
        .map_or(0, |i| i + 1)
}

/// Writes `format` to `path`. `progress(done, total)` is called as the work goes on (journeys
/// done out of all); it may be called with the same numbers more than once.
pub fn export(
    format: Format,
    path: &Path,
    selection: &Selection,
    data: &Dataset,
    notes: &NoteStore,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Summary> {
    let scope = selection.resolve(data, notes)?;
    let mut warnings = scope.warnings();
    let files = match format {
        Format::Markdown => {
            write_file_with(path, |w| markdown::report_to(&scope, progress, w))?;
            vec![path.to_path_buf()]
        }
        Format::Csv if fs::is_stdout(path) => {
            bail!("csv writes three files; name a file to write (-o FILE.csv)")
        }
        Format::Csv => csv::write(&scope, path, selection.excel, progress)?,
        Format::Svg => {
            let text = svg::figure(&scope, progress);
            write_file(path, text.as_bytes())?;
            vec![path.to_path_buf()]
        }
        Format::Qdpx => {
            let mut more = Vec::new();
            write_file_with(path, |w| {
                more = refi::project_to(&scope, progress, w)?;
                Ok(())
            })?;
            warnings.append(&mut more);
            vec![path.to_path_buf()]
        }
        Format::Qdc => {
            let text = refi::codebook(&data.terrain);
            write_file(path, text.as_bytes())?;
            vec![path.to_path_buf()]
        }
        Format::Xes => {
            write_file(path, eventlog::xes(&scope, progress).as_bytes())?;
            vec![path.to_path_buf()]
        }
        Format::Ocel => {
            write_file(path, eventlog::ocel(&scope, progress)?.as_bytes())?;
            vec![path.to_path_buf()]
        }
    };
    let (journeys, steps, notes, analysts) = if format == Format::Qdc {
        (0, 0, 0, Vec::new())
    } else {
        (
            scope.journeys.len(),
            scope.step_count(),
            scope.notes.len(),
            scope.analysts.clone(),
        )
    };
    Ok(Summary {
        files,
        journeys,
        steps,
        notes,
        analysts,
        warnings,
    })
}

/// Writes a whole file through the store's one atomic writer ([`crate::store::fs::write_atomic`]:
/// an exclusive temporary name beside the target, fsynced, renamed over it, never through a
/// symlink nor over a device, a FIFO or a folder, the temporary removed on any error), or to
/// standard output when `path` is `-` or `/dev/stdout`.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_file_with(path, |w| w.write_all(bytes))
}

/// [`write_file`] of what `write` writes, as it writes it: a large report is written journey
/// by journey instead of being held whole first.
pub(crate) fn write_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write;
    if fs::is_stdout(path) {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        write(&mut out)
            .and_then(|()| out.flush())
            .context("writing to standard output")?;
        return Ok(());
    }
    let shown = crate::text::inert(&path.display().to_string()).into_owned();
    if path.is_dir() {
        bail!("{shown} is a folder; name a file to write");
    }
    fs::write_atomic_with(path, write).with_context(|| format!("writing {shown}"))
}

/// A number for files: at most four decimals, no trailing zeros (`0.4`, `12`, `-3.25`).
pub(crate) fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Text from a file with line endings made LF and a leading byte-order mark removed.
pub(crate) fn lf(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}');
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The codes of every analyst on a step, deduplicated per analyst: (analyst, code, the first
/// note that carries it), by analyst, then the note's order, then the code's order on the note.
/// A code merged into another counts as that one ([`Terrain::resolve`]).
pub(crate) fn analyst_codes<'a>(
    notes: &[NoteIn<'a>],
    terrain: &'a Terrain,
) -> Vec<(&'a str, &'a str, &'a Note)> {
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut out = Vec::new();
    for n in notes {
        for code in &n.note.codes {
            let code = terrain.resolve(code);
            if seen.insert((n.analyst, code)) {
                out.push((n.analyst, code, n.note));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_enough() {
        assert_eq!(num(0.4), "0.4");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(-3.25), "-3.25");
    }

    #[test]
    fn text_gets_lf_line_endings_and_no_bom() {
        assert_eq!(lf("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn formats_are_found_by_name() {
        for name in Format::NAMES {
            assert_eq!(Format::from_name(name).map(Format::name), Some(name));
        }
        assert_eq!(Format::from_name("md"), Some(Format::Markdown));
        assert_eq!(Format::from_name("pdf"), None);
    }
}
