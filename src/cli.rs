//! The command line: the TUI and its subcommands, with clap's derive.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::analysis::compare::CodeSource;
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

    /// Blind coding: hide the other analysts' notes and codes while annotating, so that
    /// independent coding stays independent.
    #[arg(long)]
    pub blind: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate journey files; print every problem as path:line:col: message; exit 1 on any.
    Check {
        /// Folder to check (default: --data, ./journeys, or the bundled journeys).
        dir: Option<PathBuf>,
        /// Folder of source texts to verify quotes against, besides the study's sources/
        /// (evidence without a `source` is looked up by its journey's `seed` file name here).
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
        /// Rewrite the spans of quotes found elsewhere in their source.
        #[arg(long)]
        fix: bool,
    },
    /// Counts per theme and step kind, the terrain met most often, and mean final progress.
    Stats {
        /// Folder to summarise (default: --data, ./journeys, or the bundled journeys).
        dir: Option<PathBuf>,
        /// How many obstacles and enablers to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Where a step's codes come from: the journey files, the analysts' notes, or both.
        #[arg(long, value_enum, default_value_t = CodeSource::Journey)]
        source: CodeSource,
        /// Print JSON instead of text tables.
        #[arg(long)]
        json: bool,
    },
    /// Make a deterministic synthetic corpus (journeys built from the bundled steps, notes by
    /// several analysts) for measuring terreng at scale; it passes `terreng check`.
    Gen {
        /// Folder to write journeys/, assets/ and annotations/ into.
        #[arg(short, long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, default_value_t = 25)]
        journeys: usize,
        /// Steps per journey.
        #[arg(long, default_value_t = 10)]
        steps: usize,
        #[arg(long, default_value_t = 0)]
        notes: usize,
        #[arg(long, default_value_t = 1)]
        analysts: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Compare journeys (or whole themes): progress, sequences, the obstacle x journey
    /// matrix, the terrain they share and the journeys most like each — the numbers of the
    /// compare screen.
    Compare {
        /// Journey ids to compare.
        ids: Vec<String>,
        /// Compare whole themes instead (repeat for each).
        #[arg(long = "theme", value_name = "ID")]
        themes: Vec<String>,
        /// Where a step's codes come from: the journey files, the analysts' notes, or both.
        #[arg(long, value_enum, default_value_t = CodeSource::Journey)]
        source: CodeSource,
        /// Print JSON instead of text tables.
        #[arg(long)]
        json: bool,
    },
    /// Write a Markdown report, CSV, an SVG figure, or a REFI-QDA project (qdpx) or codebook
    /// (qdc) for NVivo, ATLAS.ti, MAXQDA and QualCoder; every journey and analyst unless named.
    Export(crate::commands::export::ExportArgs),
    /// Make a study folder: journeys/, sources/, annotations/, terrain.ron (a copy of the
    /// bundled catalogue, or an empty codebook) and study.ron. Open it with `terreng --data
    /// DIR`, or `terreng` inside it.
    New {
        /// The folder to make; it must not exist, or be empty.
        dir: PathBuf,
        /// The study's title (default: the folder's name).
        #[arg(long)]
        title: Option<String>,
        /// Start with no codes instead of a copy of the bundled catalogue.
        #[arg(long)]
        empty_codebook: bool,
        /// The language of the sources (BCP 47).
        #[arg(long, default_value = "nb", value_name = "TAG")]
        source_language: String,
        /// The language quotes are translated into.
        #[arg(long, default_value = "en", value_name = "TAG")]
        translation_language: String,
    },
    /// The study's sources: documents converted to text that evidence points into.
    #[command(subcommand)]
    Source(SourceCommand),
    /// Agreement between analysts who coded the same steps: per code and overall, percent
    /// agreement, Cohen's κ for each pair, Fleiss' κ (more than two), Krippendorff's α, and
    /// the steps where they disagree most.
    Agree(crate::commands::agree::AgreeArgs),
    /// Sequence analysis: distance matrices (OM, LCS, Hamming, DHD), typologies with their
    /// quality, frequent and discriminating patterns, and the alignment of two journeys with
    /// the quotes of the aligned steps.
    Seq {
        #[command(subcommand)]
        command: crate::commands::seq::SeqCommand,
    },
    /// The codebook of the study in view: list, add, rename, merge and delete codes.
    Code(crate::commands::code::CodeArgs),
    /// Write journeys of the study in view: new, add-step, move-step, delete-step, fmt.
    Journey(crate::commands::journey::JourneyArgs),
}

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Add documents (.txt .md .docx .odt .html .pdf, or a REFI-QDA .qdpx project) to the
    /// study's sources/.
    Add {
        /// The files to add.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The source id (default: made from the file name); for one file only.
        #[arg(long)]
        id: Option<String>,
    },
    /// List the study's sources.
    List,
}
