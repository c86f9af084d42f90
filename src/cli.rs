//! The command line: the TUI and its subcommands, with clap's derive.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::ui::theme::ThemeName;

/// A terminal workbench for journey analysis: each group's effort is a route across a landscape
/// of obstacles and enablers.
///
/// With no subcommand, terreng opens ./journeys if it exists, else the journeys bundled into
/// the binary.
#[derive(Debug, Parser)]
#[command(name = "terreng", version, about, long_about)]
pub struct Cli {
    /// Folder of journey files (or a folder holding journeys/ and assets/).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Catalogue file to use instead of the one beside the journeys or the bundled one.
    #[arg(long, global = true, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,

    /// Folder of annotation files (default: ./annotations beside ./journeys or --data, or
    /// the user's data folder for the bundled journeys).
    #[arg(long, global = true, value_name = "DIR")]
    pub annotations: Option<PathBuf>,

    /// Whose notes are written (default: $TERRENG_ANALYST, then the login name).
    #[arg(long, value_name = "NAME")]
    pub analyst: Option<String>,

    /// Colour theme of the app (default: the config file's, else dark).
    #[arg(long, value_enum)]
    pub theme: Option<ThemeName>,

    /// Draw with ASCII only, for terminals without Unicode glyphs.
    #[arg(long)]
    pub ascii: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate journey files; print every problem as path:line:col: message; exit 1 on any.
    Check {
        /// Folder to check (default: --data, ./journeys, or the bundled journeys).
        dir: Option<PathBuf>,
    },
    /// Counts per theme and step kind, the terrain met most often, and mean final progress.
    Stats {
        /// Folder to summarise (default: --data, ./journeys, or the bundled journeys).
        dir: Option<PathBuf>,
        /// How many obstacles and enablers to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Write a Markdown report, CSV, an SVG figure, or a REFI-QDA project (qdpx) or codebook
    /// (qdc) for NVivo, ATLAS.ti, MAXQDA and QualCoder; every journey and analyst unless named.
    Export(crate::export::command::ExportArgs),
}
