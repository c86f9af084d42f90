//! `terreng new` and `terreng source …`: making a study folder and bringing documents into
//! it. Output goes to the writers given; each function returns the exit code. The converting
//! and writing is the store's; this only finds the study and reports, and never imports the
//! app or the UI. Every name and title from a file or an argument is printed on one inert line.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::Study;
use crate::store::sources::verify::one_line;
use crate::store::sources::{self, Added};
use crate::store::{DataSource, study};

/// `terreng new DIR`: makes the study folder and says how to go on.
pub fn new_study(
    dir: &Path,
    study: &Study,
    empty_codebook: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    if let Err(e) = study::create(dir, study, empty_codebook) {
        writeln!(err, "terreng new: {}", one_line(&format!("{e:#}")))?;
        return Ok(1);
    }
    let shown = one_line(&dir.display().to_string());
    writeln!(
        out,
        "made the study '{}' in {shown}: journeys/, sources/, annotations/, {} and study.ron",
        one_line(&study.title),
        if empty_codebook {
            "terrain.ron (an empty codebook)"
        } else {
            "terrain.ron (a copy of the bundled catalogue)"
        }
    )?;
    writeln!(
        out,
        "next: terreng --data {shown} source add FILE…   then   terreng --data {shown}"
    )?;
    Ok(0)
}

/// The study folder the command line points at (`--data DIR`, or the current folder), which
/// must hold `study.ron`.
pub fn study_root(data: Option<PathBuf>) -> Result<PathBuf, String> {
    let asked = data.clone();
    let source = match data {
        Some(d) => DataSource::Dir(d),
        None => DataSource::Dir(PathBuf::from(".")),
    };
    let root = source.study_root().unwrap_or_else(|| PathBuf::from("."));
    // `--data DIR` may name the study folder itself, or its journeys/ folder.
    let candidates = [asked.clone().unwrap_or_else(|| PathBuf::from(".")), root];
    candidates
        .into_iter()
        .find(|r| r.join("study.ron").is_file())
        .ok_or_else(|| {
            let here = asked.map_or_else(|| "this folder".to_string(), |d| d.display().to_string());
            format!(
                "{here} is not a study folder (it has no study.ron); make one with `terreng new DIR`, or name it with --data DIR"
            )
        })
}

/// `terreng source add FILE… [--id ID]`: adds each file, reporting each; 1 if any failed.
pub fn add(
    data: Option<PathBuf>,
    files: &[PathBuf],
    id: Option<&str>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let root = match study_root(data) {
        Ok(r) => r,
        Err(why) => {
            writeln!(err, "terreng source add: {}", one_line(&why))?;
            return Ok(2);
        }
    };
    if id.is_some() && files.len() > 1 {
        writeln!(
            err,
            "terreng source add: --id names one source; give one file with it"
        )?;
        return Ok(2);
    }
    let dir = sources::folder(&root);
    let terrain = root.join("terrain.ron");
    let mut failed = false;
    for file in files {
        let shown = one_line(&file.display().to_string());
        match sources::add(&dir, file, id, &terrain) {
            Ok(Added::New {
                id,
                chars,
                pages,
                headings,
            }) => writeln!(
                out,
                "{shown} → sources/{id}.txt ({chars} characters, {pages} {}, {headings} {})",
                if pages == 1 { "page" } else { "pages" },
                if headings == 1 { "heading" } else { "headings" }
            )?,
            Ok(Added::Duplicate { id }) => writeln!(
                out,
                "{shown} is in the study already, as sources/{id}.txt (the same SHA-256); not added again"
            )?,
            Ok(Added::Project(p)) => {
                let n = |k: usize, one: &'static str, many: &'static str| {
                    if k == 1 { one } else { many }
                };
                writeln!(
                    out,
                    "{shown} → {} {} ({}), {} new {} in terrain.ron as unsorted, {} coded {} as candidates",
                    p.sources.len(),
                    n(p.sources.len(), "source", "sources"),
                    p.sources.join(", "),
                    p.codes,
                    n(p.codes, "code", "codes"),
                    p.passages,
                    n(p.passages, "passage", "passages"),
                )?;
                for why in &p.skipped {
                    writeln!(
                        out,
                        "  not taken: {}",
                        crate::store::sources::verify::excerpt(why, 200)
                    )?;
                }
            }
            Err(e) => {
                failed = true;
                writeln!(err, "terreng source add: {}", one_line(&format!("{e:#}")))?;
            }
        }
    }
    Ok(if failed { 1 } else { 0 })
}

/// `terreng source list`: each source with its original, size, pages and headings.
pub fn list(
    data: Option<PathBuf>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let root = match study_root(data) {
        Ok(r) => r,
        Err(why) => {
            writeln!(err, "terreng source list: {}", one_line(&why))?;
            return Ok(2);
        }
    };
    let (list, problems) = sources::list(&sources::folder(&root));
    for p in &problems {
        writeln!(err, "{}", one_line(&p.to_string()))?;
    }
    for s in &list {
        writeln!(
            out,
            "{:<24} {:<5} {:>3} pages {:>3} headings {:>3} passages  {}",
            s.id,
            s.doc.format.name(),
            s.doc.page_breaks.len() + 1,
            s.doc.headings.len(),
            s.doc.passages.len(),
            one_line(&s.doc.original)
        )?;
    }
    writeln!(out, "{} sources", list.len())?;
    Ok(if problems.is_empty() { 0 } else { 1 })
}

/// The study's own files for `terreng check`: `study.ron` and every `sources/<id>.ron` must
/// read. Problems on `err`; true if there was any.
pub fn check_study(data: &crate::store::Dataset, err: &mut impl Write) -> std::io::Result<bool> {
    let Some(root) = data.source.study_root() else {
        return Ok(false);
    };
    let mut bad = false;
    if let Some(Err(p)) = study::read(&root) {
        writeln!(err, "{}", one_line(&p.to_string()))?;
        bad = true;
    }
    let (_, problems) = sources::list(&sources::folder(&root));
    for p in &problems {
        writeln!(err, "{}", one_line(&p.to_string()))?;
    }
    Ok(bad || !problems.is_empty())
}

/// The quote check of `terreng check`: every quote looked up in its source text (the study's
/// `sources/`, or the folder `--sources` names), problems on `err`, a summary on `out`, and
/// with `--fix` the spans rewritten. True when a quote was not found (an error).
pub fn verify_quotes(
    data: &crate::store::Dataset,
    verify: &super::Verify,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<bool> {
    use crate::store::sources::quotes;
    let folders = quotes::folders(&data.source, verify.sources.as_deref());
    if folders.is_empty() {
        return Ok(false);
    }
    let report = quotes::check(data, &folders);
    for p in report.warnings.iter().chain(&report.errors) {
        writeln!(err, "{}", one_line(&p.to_string()))?;
    }
    let shown: Vec<&str> = folders.iter().map(|(s, _)| s.as_str()).collect();
    for (file, n) in &report.absent {
        writeln!(
            err,
            "note: {} is not in {}; {n} {} not verified",
            one_line(file),
            one_line(&shown.join(" or ")),
            if *n == 1 { "quote" } else { "quotes" }
        )?;
    }
    writeln!(
        out,
        "quotes: {} checked against {} source {}: {} found ({} at their span, {} exactly, {} normalised, {} approximately), {} moved, {} not found, {} not verified",
        report.checked,
        report.texts,
        if report.texts == 1 { "text" } else { "texts" },
        report.checked - report.not_found,
        report.at_span,
        report.exact,
        report.normalised,
        report.approximate,
        report.moved,
        report.not_found,
        report.unverified
    )?;
    if verify.fix && !report.fixes.is_empty() {
        match quotes::apply(&report.fixes) {
            Ok(n) => writeln!(
                out,
                "--fix: wrote {} in {}",
                crate::text::plural(n, "span", "spans"),
                crate::text::plural(report.fixes.len(), "journey file", "journey files")
            )?,
            Err(e) => {
                writeln!(err, "terreng check --fix: cannot write the spans: {e}")?;
                return Ok(true);
            }
        }
    }
    Ok(!report.errors.is_empty())
}
