//! The subcommands that print and exit: `check` and `stats`. Each returns the process exit code;
//! output goes to the writers given, so tests can read it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analysis::stats;
use crate::store::{self, DataSource};

/// `terreng check`: every problem on `err`, a summary on `out`; 1 if any problem, else 0.
pub fn check(
    dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let data = store::load(&DataSource::resolve(dir), catalogue);
    for p in &data.problems {
        writeln!(err, "{p}")?;
    }
    writeln!(out, "{}", data.summary())?;
    Ok(if data.problems.is_empty() { 0 } else { 1 })
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
