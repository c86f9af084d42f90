//! The subcommands that print and exit: `check`, `stats`, `compare`, `gen`; `agree`, `code`
//! and `journey` in files of their own. Each returns the process exit code; output goes to the writers given, so
//! tests can read it.

pub mod agree;
pub mod code;
pub mod export;
pub mod journey;
pub mod seq;
pub mod source;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analysis::compare::{CodeSource, Coded};
use crate::analysis::stats;
use crate::analysis::view::{
    CompareView, Selection, TerrainSort, coded_all, compare_view, terrain_view,
};
use crate::model::Terrain;
use crate::store::Dataset;
use crate::store::annotations::{self, NoteStore};
use crate::store::suggest;
use crate::store::{self, DataSource};

/// How `check` verifies quotes: another folder of source texts, and whether to rewrite spans.
#[derive(Debug, Clone, Default)]
pub struct Verify {
    pub sources: Option<PathBuf>,
    pub fix: bool,
}

/// `terreng check`: every problem on `err`, a summary on `out`; 1 if any problem, else 0.
pub fn check(
    dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    annotations: Option<PathBuf>,
    verify: &Verify,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let mut data = load_data(dir, catalogue, err)?;
    writeln!(out, "{}", data.summary())?;
    let mut bad = !data.problems.is_empty();
    bad |= source::check_study(&data, err)?;
    bad |= source::verify_quotes(&data, verify, out, err)?;
    // The annotations beside the data (or as named), when there are any.
    if let Some(root) = annotations
        .or_else(|| data.source.default_annotations())
        .filter(|r| r.is_dir())
    {
        // The notes are checked against the journeys' step ids only: the journeys themselves
        // go before the notes come, so that both are never held at once.
        let steps = annotations::Steps::of(&data.journeys);
        data.journeys = Vec::new();
        let (notes, mut problems) = NoteStore::read(&root);
        problems.extend(annotations::audit(&notes, &steps, &data.terrain));
        print_all(&problems, err)?;
        let all = notes.all();
        let analysts: std::collections::BTreeSet<&str> = all.iter().map(|(a, _, _)| *a).collect();
        writeln!(
            out,
            "annotations in {}: {} notes by {} analysts, {} problems",
            root.display(),
            all.len(),
            analysts.len(),
            problems.len()
        )?;
        bad |= !problems.is_empty();
    }
    Ok(if bad { 1 } else { 0 })
}

/// What the reporting commands read: the data, its catalogue, the notes, and where a step's
/// codes come from.
pub struct Input<'a> {
    pub dir: Option<PathBuf>,
    pub catalogue: Option<&'a Path>,
    pub annotations: Option<PathBuf>,
    pub source: CodeSource,
}

/// Loads the data of `dir` (or the default source), printing its problems to `err`.
pub fn load_data(
    dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    err: &mut impl Write,
) -> std::io::Result<Dataset> {
    let data = store::load(&DataSource::resolve(dir), catalogue);
    print_all(&data.problems, err)?;
    Ok(data)
}

/// [`load_data`] without the steps' words and evidence ([`store::load_codes`]).
pub fn load_codes(
    dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    err: &mut impl Write,
) -> std::io::Result<Dataset> {
    let data = store::load_codes(&DataSource::resolve(dir), catalogue);
    print_all(&data.problems, err)?;
    Ok(data)
}

fn print_all(problems: &[store::Problem], err: &mut impl Write) -> std::io::Result<()> {
    for p in problems {
        writeln!(err, "{p}")?;
    }
    Ok(())
}

/// Reads every analyst's notes under `root`, read-only, printing problems to `err`.
pub fn read_notes(root: &Path, err: &mut impl Write) -> std::io::Result<NoteStore> {
    let (notes, problems) = NoteStore::read(root);
    print_all(&problems, err)?;
    Ok(notes)
}

/// [`read_notes`] without the notes' text, for the commands that count codes
/// ([`NoteStore::read_codes`]).
pub fn read_codes(root: &Path, err: &mut impl Write) -> std::io::Result<NoteStore> {
    let (notes, problems) = NoteStore::read_codes(root);
    print_all(&problems, err)?;
    Ok(notes)
}

/// Loads the data and every analyst's notes: from `annotations`, else the folder beside the
/// data, else `./annotations`.
pub fn load_with_notes(
    dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    annotations: Option<PathBuf>,
    err: &mut impl Write,
) -> std::io::Result<(Dataset, NoteStore)> {
    let data = load_data(dir, catalogue, err)?;
    let notes = read_notes(&notes_root(&data, annotations), err)?;
    Ok((data, notes))
}

/// The annotations folder: as named, else the folder beside the data, else `./annotations`.
fn notes_root(data: &Dataset, annotations: Option<PathBuf>) -> PathBuf {
    annotations
        .or_else(|| data.source.default_annotations())
        .unwrap_or_else(|| PathBuf::from("annotations"))
}

impl Input<'_> {
    /// Loads the data (problems to `err`) and every journey coded from the chosen source,
    /// reading the annotation folder when the notes are asked for.
    fn load(&self, err: &mut impl Write) -> std::io::Result<(Dataset, Vec<Coded>)> {
        let data = load_data(self.dir.clone(), self.catalogue, err)?;
        let notes = match self.source {
            CodeSource::Journey => None,
            _ => {
                let root = self
                    .annotations
                    .clone()
                    .or_else(|| data.source.default_annotations());
                match root {
                    Some(root) => Some(read_codes(&root, err)?),
                    None => None,
                }
            }
        };
        let all = notes.as_ref().map(|n| n.all()).unwrap_or_default();
        let coded = coded_all(&data.journeys, &all, self.source, &data.terrain);
        Ok((data, coded))
    }
}

/// `terreng stats`: the summary report on `out` — journeys per theme, steps per kind, and the
/// terrain as the terrain screen shows it; problems, if any, on `err`.
pub fn stats(
    input: &Input,
    top: usize,
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let (data, coded) = input.load(err)?;
    let s = stats::stats(&data.journeys, &data.terrain);
    let everyone: Vec<usize> = (0..data.journeys.len()).collect();
    let terrain = terrain_view(
        &data.terrain,
        &coded,
        &everyone,
        input.source,
        TerrainSort::Frequency,
    );
    if json {
        let value = serde_json::json!({ "summary": s, "terrain": terrain });
        writeln!(
            out,
            "{}",
            crate::text::json_controls(serde_json::to_string_pretty(&value)?)
        )?;
        return Ok(0);
    }
    writeln!(out, "{} ({})\n", data.summary(), data.source.describe())?;
    write!(out, "{}", stats::render(&s, &terrain, &data.terrain, top))?;
    Ok(0)
}

/// `terreng compare`: the numbers of the compare screen for the journeys (or themes) named.
pub fn compare(
    input: &Input,
    ids: &[String],
    themes: &[String],
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let (data, coded) = input.load(err)?;
    let selection = if !themes.is_empty() {
        if !ids.is_empty() {
            writeln!(
                err,
                "terreng compare: give journey ids or --theme, not both"
            )?;
            return Ok(2);
        }
        let known: Vec<&str> = data.terrain.themes.iter().map(|t| t.id.as_str()).collect();
        for t in themes {
            if !known.contains(&t.as_str()) {
                writeln!(
                    err,
                    "terreng compare: no theme '{}'{}",
                    crate::text::inert(t),
                    suggest::did_you_mean(t, known.iter().copied())
                )?;
                return Ok(2);
            }
        }
        Selection::Themes(themes.to_vec())
    } else {
        if ids.len() < 2 {
            writeln!(
                err,
                "terreng compare: name two or more journey ids, or --theme ID (twice or more)"
            )?;
            return Ok(2);
        }
        let mut chosen = Vec::new();
        for id in ids {
            match data.journeys.iter().position(|j| j.id == *id) {
                Some(i) => chosen.push(i),
                None => {
                    let known = data.ids();
                    writeln!(
                        err,
                        "terreng compare: no journey '{}'{}",
                        crate::text::inert(id),
                        suggest::did_you_mean(id, known)
                    )?;
                    return Ok(2);
                }
            }
        }
        Selection::Journeys(chosen)
    };
    let v = compare_view(
        &data.journeys,
        &data.terrain,
        &coded,
        input.source,
        &selection,
        Default::default(),
    );
    if json {
        writeln!(
            out,
            "{}",
            crate::text::json_controls(serde_json::to_string_pretty(&v)?)
        )?;
    } else {
        write!(out, "{}", render_compare(&v, &data.terrain))?;
    }
    Ok(0)
}

/// The compare view as text tables.
pub fn render_compare(v: &CompareView, terrain: &Terrain) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let ids: Vec<&str> = v.journeys.iter().map(|j| j.id.as_str()).collect();
    let _ = writeln!(
        out,
        "Comparing {} (codes from {})",
        ids.join(", "),
        v.source
    );
    if !v.themes.is_empty() {
        let _ = writeln!(
            out,
            "\nThemes: mean progress (%) at 0, ¼, ½, ¾ and all of the way"
        );
        for t in &v.themes {
            let at = |share: f64| {
                let k = (share * (t.mean.len() - 1) as f64).round() as usize;
                t.mean.get(k).copied().unwrap_or(0.0)
            };
            let _ = writeln!(
                out,
                "  {:<16} {:>2} journeys  {:>3.0} {:>3.0} {:>3.0} {:>3.0} {:>3.0}  {}",
                t.id,
                t.journeys.len(),
                at(0.0),
                at(0.25),
                at(0.5),
                at(0.75),
                at(1.0),
                t.name
            );
        }
    }
    let _ = writeln!(out, "\nJourneys");
    let _ = writeln!(
        out,
        "  {:<12} {:>5} {:>6}  {:<24} longest stay",
        "id", "steps", "final", "step kinds"
    );
    for j in &v.journeys {
        let dwell = j
            .longest_dwell
            .as_ref()
            .map_or("-".to_string(), |(c, n)| format!("{c} x{n}"));
        let _ = writeln!(
            out,
            "  {:<12} {:>5} {:>5.0}%  {:<24} {dwell}",
            j.id, j.steps, j.final_progress, j.signature
        );
    }
    if v.themes.is_empty() {
        let _ = writeln!(out, "\nProgress after each step (%)");
        let _ = write!(out, "  {:>4}", "step");
        for id in &ids {
            let _ = write!(out, " {id:>8}");
        }
        let _ = writeln!(out);
        let longest = v.journeys.iter().map(|j| j.steps).max().unwrap_or(0);
        for k in 0..longest {
            let _ = write!(out, "  {:>4}", k + 1);
            for j in &v.journeys {
                match j.curve.get(k) {
                    Some(p) => {
                        let _ = write!(out, " {p:>8.0}");
                    }
                    None => {
                        let _ = write!(out, " {:>8}", "");
                    }
                }
            }
            let _ = writeln!(out);
        }
    }
    let what = if v.themes.is_empty() {
        "journey"
    } else {
        "theme"
    };
    let _ = writeln!(out, "\nObstacle x {what} (steps)");
    let _ = write!(out, "  {:<28}", "code");
    for c in &v.matrix.columns {
        let _ = write!(out, " {c:>8}");
    }
    let _ = writeln!(out);
    for (r, code) in v.matrix.codes.iter().enumerate() {
        let _ = write!(out, "  {code:<28}");
        for n in &v.matrix.counts[r] {
            let _ = write!(out, " {n:>8}");
        }
        let _ = writeln!(out);
    }
    let names: Vec<String> = v
        .common
        .iter()
        .map(|c| {
            terrain
                .feature(c)
                .map_or_else(|| c.clone(), |(_, f)| format!("{c} ({})", f.en))
        })
        .collect();
    let _ = writeln!(
        out,
        "\nCommon to all: {}",
        if names.is_empty() {
            "nothing".to_string()
        } else {
            names.join(", ")
        }
    );
    if v.themes.is_empty() {
        let _ = writeln!(
            out,
            "\nMost alike ({}; 0 = the same sequence)",
            v.nearest_by
        );
        for j in &v.journeys {
            let near: Vec<String> = j
                .nearest
                .iter()
                .map(|(id, d)| format!("{id} {d:.2}"))
                .collect();
            let _ = writeln!(out, "  {:<12} {}", j.id, near.join(", "));
        }
    }
    out
}

/// `terreng gen`: writes the synthetic corpus, with a progress bar on a terminal.
pub fn generate(
    out_dir: &Path,
    params: crate::store::synthetic::Params,
    out: &mut impl Write,
) -> anyhow::Result<i32> {
    use std::io::IsTerminal;
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let made = crate::store::synthetic::generate(out_dir, params, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    writeln!(
        out,
        "{}: {} journeys, {} steps, {} notes by {} analysts; {} files, {:.1} MB",
        out_dir.display(),
        made.journeys,
        made.steps,
        made.notes,
        params.analysts.min(params.notes.max(1)),
        made.files,
        made.bytes as f64 / 1e6
    )?;
    Ok(0)
}
