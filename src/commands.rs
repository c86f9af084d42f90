//! The subcommands that print and exit: `check` and `stats`. Each returns the process exit code;
//! output goes to the writers given, so tests can read it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analysis::stats;
use crate::store::annotations::{self, NoteStore};
use crate::store::{self, DataSource};

/// `terreng check`: every problem on `err`, a summary on `out`; 1 if any problem, else 0.
pub fn check(
    dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    annotations: Option<PathBuf>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let data = store::load(&DataSource::resolve(dir), catalogue);
    for p in &data.problems {
        writeln!(err, "{p}")?;
    }
    writeln!(out, "{}", data.summary())?;
    let mut bad = !data.problems.is_empty();
    // The annotations beside the data (or as named), when there are any.
    if let Some(root) = annotations
        .or_else(|| data.source.default_annotations())
        .filter(|r| r.is_dir())
    {
        let (notes, mut problems) = NoteStore::read(&root);
        problems.extend(annotations::audit(&notes, &data.journeys, &data.terrain));
        for p in &problems {
            writeln!(err, "{p}")?;
        }
        let analysts: std::collections::BTreeSet<&str> =
            notes.all().iter().map(|(a, _, _)| *a).collect();
        writeln!(
            out,
            "annotations in {}: {} notes by {} analysts, {} problems",
            root.display(),
            notes.all().len(),
            analysts.len(),
            problems.len()
        )?;
        bad |= !problems.is_empty();
    }
    Ok(if bad { 1 } else { 0 })
}

/// `terreng stats`: the summary report on `out`; problems, if any, on `err`.
pub fn stats(
    dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    top: usize,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let data = store::load(&DataSource::resolve(dir), catalogue);
    for p in &data.problems {
        writeln!(err, "{p}")?;
    }
    writeln!(out, "{} ({})\n", data.summary(), data.source.describe())?;
    let s = stats::stats(&data.journeys, &data.terrain);
    write!(out, "{}", stats::render(&s, &data.terrain, top))?;
    Ok(0)
}
