//! `terreng export`: the command-line face of [`super::export`]. It loads the data and every
//! analyst's notes (read-only), runs the export, shows a progress bar on stderr when stderr is
//! a terminal and the work takes more than a moment, and prints what was written.
//!
//! This is the only part of the exporters that knows about a terminal; the app calls
//! [`super::export`] directly.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Format, Selection, export};

/// The arguments of `terreng export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(value_enum)]
    pub format: Format,
    /// The file to write (for csv, two more beside it: NAME-matrix.csv and NAME-notes.csv).
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
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

/// How long the work may take before a progress bar appears.
const A_MOMENT: Duration = Duration::from_millis(300);

/// Runs `terreng export`; returns the exit code: 0 when written, 1 when not.
pub fn run(
    args: &ExportArgs,
    data_dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    annotations: Option<PathBuf>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let (data, notes) = crate::commands::load_with_notes(data_dir, catalogue, annotations, err)?;
    let selection = Selection {
        journeys: args.journeys.clone(),
        themes: args.themes.clone(),
        analysts: args.analysts.clone(),
    };

    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} journeys")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(format!("exporting {}", args.format.name()));
    let on_terminal = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut shown = false;
    let mut progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if on_terminal && !shown && done < total && started.elapsed() > A_MOMENT {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
    };
    let result = export(
        args.format,
        &args.output,
        &selection,
        &data,
        &notes,
        &mut progress,
    );
    bar.finish_and_clear();

    match result {
        Ok(summary) => {
            for w in &summary.warnings {
                writeln!(err, "warning: {}", crate::text::inert(w))?;
            }
            let files: Vec<String> = summary
                .files
                .iter()
                .map(|p| crate::text::inert(&p.display().to_string()).into_owned())
                .collect();
            let message = if args.format == Format::Qdc {
                format!(
                    "wrote {}: the catalogue, {} obstacles and {} enablers",
                    files.join(", "),
                    data.terrain.obstacles.len(),
                    data.terrain.enablers.len()
                )
            } else {
                format!("wrote {}: {}", files.join(", "), summary.describe())
            };
            // With `-o -` the export itself is on standard output; the message goes aside.
            if crate::store::fs::is_stdout(&args.output) {
                writeln!(err, "{message}")?;
            } else {
                writeln!(out, "{message}")?;
            }
            Ok(0)
        }
        Err(e) => {
            writeln!(
                err,
                "terreng export: {}",
                crate::text::inert(&format!("{e:#}"))
            )?;
            Ok(1)
        }
    }
}
