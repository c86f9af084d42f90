//! `terreng export`: the command-line face of [`crate::export::export`]. It loads the data and
//! every analyst's notes (read-only), runs the export, shows a progress bar on stderr when
//! stderr is a terminal and the work takes more than a moment, and prints what was written.
//!
//! This is the only part of exporting that knows about a terminal; the app calls
//! [`crate::export::export`] directly. It must not write anything but the export's files.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::export::{Format, Pick, Unknown, export};

/// The arguments of `terreng export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(value_enum)]
    pub format: Format,
    /// The file to write (for csv, two more beside it: NAME-matrix.csv and NAME-notes.csv).
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    #[command(flatten)]
    pub pick: Pick,
    /// Blind coding: leave out every other analyst's notes (yours are the notes of
    /// --analyst NAME before `export`, $TERRENG_ANALYST, or the login name).
    #[arg(long)]
    pub blind: bool,
    /// CSV for Excel: start each file with a UTF-8 byte-order mark.
    #[arg(long)]
    pub excel: bool,
}

/// How long the work may take before a progress bar appears.
const A_MOMENT: Duration = Duration::from_millis(300);

/// Where the data and notes come from, and who is asking.
pub struct Inputs<'a> {
    pub data_dir: Option<PathBuf>,
    pub catalogue: Option<&'a Path>,
    pub annotations: Option<PathBuf>,
    /// Blind coding as this analyst (`export --blind`, or `terreng --blind export`): only
    /// their notes are exported.
    pub blind: Option<String>,
}

/// Runs `terreng export`; returns the exit code: 0 when written, 2 when the selection names
/// a journey, theme or analyst that is not there, 1 when the files could not be written.
pub fn run(
    args: &ExportArgs,
    inputs: Inputs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let (data, notes) =
        super::load_with_notes(inputs.data_dir, inputs.catalogue, inputs.annotations, err)?;
    let mut selection = args.pick.selection();
    selection.excel = args.excel;
    selection.blind = inputs.blind;

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
            Ok(if e.downcast_ref::<Unknown>().is_some() {
                2
            } else {
                1
            })
        }
    }
}
