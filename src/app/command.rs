//! The app's command line (`:`): commands typed as words, parsed by clap like the command line
//! outside, so the words, the errors and the help are the same.
//!
//! `:export FORMAT PATH [--journey ID]... [--theme ID]... [--analyst NAME]... [--all]` writes
//! what is in view when no journey or theme is named: the open journey on the journey screen,
//! the compared journeys or themes on the compare screen, everything elsewhere (or with
//! `--all`). `:source add PATH…` brings documents into the study's sources, as `terreng source
//! add` does. `:q` / `:quit` quits; `:help` opens the help.

use std::path::{Path, PathBuf};

use clap::Parser;

use crate::analysis::view::Selection as Compared;
use crate::app::effect::ExportJob;
use crate::app::state::{App, Screen};
use crate::export::{self, Format, Selection};
use crate::store::Dataset;
use crate::store::annotations::NoteStore;

/// The commands, for clap.
#[derive(Debug, Parser)]
#[command(
    name = ":",
    no_binary_name = true,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
enum Command {
    /// Write markdown, csv, svg, qdpx or qdc.
    Export {
        #[arg(value_enum)]
        format: Format,
        /// The file to write; `~/` is the home folder.
        path: PathBuf,
        #[command(flatten)]
        pick: export::Pick,
        /// Every journey, whatever is in view.
        #[arg(long)]
        all: bool,
    },
    /// The study's sources.
    #[command(subcommand)]
    Source(SourceCommand),
    #[command(alias = "q")]
    Quit,
    Help,
}

/// `:source …`.
#[derive(Debug, clap::Subcommand)]
enum SourceCommand {
    /// Bring documents into the study: txt, md, docx, odt, html, pdf, qdpx.
    Add {
        /// The files; `~/` is the home folder.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// What running a command asks of the app beyond the message it leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Quit,
    Help,
    /// Write this export (the loop does it on a worker, and says how it went).
    Export(ExportJob),
    /// Add these documents to the study at this folder (on a worker).
    AddSources {
        root: PathBuf,
        files: Vec<PathBuf>,
    },
}

/// The commands a user can type, for the help screen.
pub const SUMMARY: [(&str, &str); 9] = [
    (":export FORMAT PATH", "markdown, csv, svg, qdpx or qdc of"),
    ("", "the open or compared journeys, or all"),
    ("  --all", "every journey, whatever is in view"),
    (
        "  --journey/--theme ID",
        "these journeys or themes (repeat)",
    ),
    ("  --analyst NAME", "only this analyst's notes (repeat)"),
    (":source add PATH…", "bring documents into the study:"),
    ("", "txt, md, docx, odt, html, pdf, qdpx"),
    (":q, :quit", "quit"),
    (":help", "this help"),
];

/// Runs a typed command line; the message for the status row is left in `app.flash`, and an
/// export is returned for the loop to write.
pub fn run(app: &mut App, line: &str) -> Outcome {
    let words = match shell_words::split(line) {
        Ok(w) => w,
        Err(e) => {
            app.flash = Some(format!("{line}: {e}"));
            return Outcome::Done;
        }
    };
    if words.is_empty() {
        return Outcome::Done;
    }
    let cmd = match Command::try_parse_from(&words) {
        Ok(c) => c,
        Err(e) => {
            app.flash = Some(explain(&e));
            return Outcome::Done;
        }
    };
    match cmd {
        Command::Quit => Outcome::Quit,
        Command::Source(SourceCommand::Add { paths }) => {
            let Some(root) = app.sources.root.clone() else {
                app.flash = Some(
                    "the bundled journeys have no sources; make a study with `terreng new DIR` \
                     and open it with --data DIR"
                        .into(),
                );
                return Outcome::Done;
            };
            let home = std::env::var_os("HOME").map(PathBuf::from);
            let files: Vec<PathBuf> = paths.iter().map(|p| expand_home(p, home.clone())).collect();
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            let what = format!("adding {}…", names.join(", "));
            app.sources.adding = Some(what.clone());
            app.flash = Some(what);
            Outcome::AddSources { root, files }
        }
        Command::Help => Outcome::Help,
        Command::Export {
            format,
            path,
            pick,
            all,
        } => {
            let mut selection = pick.selection();
            // Blind coding is blind in exports too: only the analyst's own notes.
            if app.session.blind {
                selection.blind = Some(
                    app.session
                        .notes
                        .as_ref()
                        .map_or_else(String::new, |n| n.store.analyst().to_string()),
                );
            }
            if !all && selection.journeys.is_empty() && selection.themes.is_empty() {
                in_view(app, &mut selection);
            }
            let path = expand_home(&path, std::env::var_os("HOME").map(PathBuf::from));
            app.flash = Some(format!("writing {}…", path.display()));
            Outcome::Export(ExportJob {
                format,
                path,
                selection,
            })
        }
    }
}

/// Narrows an empty selection to what the screen shows.
fn in_view(app: &App, selection: &mut Selection) {
    match app.screen {
        Screen::Journey => {
            if let Some(j) = app.current_journey() {
                selection.journeys.push(j.id.clone());
            }
        }
        Screen::Compare => match app.selection() {
            Compared::Journeys(ix) => {
                selection.journeys = ix
                    .iter()
                    .filter_map(|&i| app.session.data.journeys.get(i))
                    .map(|j| j.id.clone())
                    .collect();
            }
            Compared::Themes(t) => selection.themes = t,
            Compared::Nothing => {}
        },
        Screen::Sequences => {
            selection.journeys = app
                .sequence_journeys()
                .iter()
                .filter_map(|&i| app.session.data.journeys.get(i))
                .map(|j| j.id.clone())
                .collect();
        }
        Screen::Atlas
        | Screen::Terrain
        | Screen::Agreement
        | Screen::Codebook
        | Screen::Sources => {}
    }
}

/// Writes an export (on a worker) and says how it went, for the status line.
pub fn export_message(
    job: &ExportJob,
    data: &Dataset,
    notes: &NoteStore,
    progress: &mut dyn FnMut(usize, usize),
) -> String {
    let ExportJob {
        format,
        path,
        selection,
    } = job;
    let format = *format;
    match export::export(format, path, selection, data, notes, progress) {
        Ok(summary) => {
            let mut msg = format!("wrote {}", path.display());
            if format != Format::Qdc {
                msg.push_str(&format!(": {}", summary.describe()));
            }
            if let Some(w) = summary.warnings.first() {
                msg.push_str(&format!(
                    " — {} warning(s), the first: {w}",
                    summary.warnings.len()
                ));
            }
            msg
        }
        Err(e) => format!("export failed: {e:#}"),
    }
}

/// `~/x` as the home folder's `x`; anything else as typed.
fn expand_home(path: &Path, home: Option<PathBuf>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// The commands, as the status line lists them after a word that is not one.
const KNOWN: &str = ":export FORMAT PATH, :q (:quit), :help";

/// A clap error as one status message that says what to do: what is missing and how the
/// command goes, or which commands there are.
fn explain(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    };
    let usage = e
        .render()
        .to_string()
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: ").map(str::to_string));
    let usage = match usage {
        // clap's usage line leaves out the options; they are what narrows an export.
        Some(u) if u.starts_with("export") => {
            format!(" — usage: :{u} [--journey ID]… [--theme ID]… [--analyst NAME]… [--all]")
        }
        Some(u) => format!(" — usage: :{u}"),
        None => String::new(),
    };
    match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            let missing = context(ContextKind::InvalidArg).join(" ");
            format!("missing {missing}{usage}")
        }
        ErrorKind::InvalidSubcommand => {
            let word = context(ContextKind::InvalidSubcommand).join(" ");
            format!("unknown command '{word}'; the commands: {KNOWN}")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!("which command? {KNOWN}")
        }
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue);
            if valid.is_empty() {
                format!("{}{usage}", first_line(&e.to_string()))
            } else {
                format!(
                    "{}: one of {}{usage}",
                    first_line(&e.to_string()),
                    valid.join(", ")
                )
            }
        }
        _ => format!("{}{usage}", first_line(&e.to_string())),
    }
}

/// clap's first line of an error, without its "error: " prefix.
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_parse_like_the_command_line() {
        let c = Command::try_parse_from(["export", "md", "a b.md", "--journey", "x"]).unwrap();
        match c {
            Command::Export {
                format,
                path,
                pick,
                all,
            } => {
                assert_eq!(format, Format::Markdown);
                assert_eq!(path, PathBuf::from("a b.md"));
                assert_eq!(pick.journeys, vec!["x".to_string()]);
                assert!(!all);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Command::try_parse_from(["q"]).unwrap(),
            Command::Quit
        ));
        let err = Command::try_parse_from(["export", "pdf", "x"]).unwrap_err();
        let said = explain(&err);
        assert!(said.contains("invalid value 'pdf'"), "{said}");
        assert!(said.contains("one of markdown, csv, svg"), "{said}");
        assert!(
            first_line(&err.to_string()).contains("invalid value 'pdf'"),
            "{err}"
        );
    }

    #[test]
    fn a_tilde_is_the_home_folder() {
        let home = Some(PathBuf::from("/home/ane"));
        assert_eq!(
            expand_home(Path::new("~/r.md"), home.clone()),
            PathBuf::from("/home/ane/r.md")
        );
        assert_eq!(expand_home(Path::new("r.md"), home), PathBuf::from("r.md"));
        assert_eq!(
            expand_home(Path::new("~/r.md"), None),
            PathBuf::from("~/r.md")
        );
    }

    #[test]
    fn a_missing_argument_names_it_and_the_usage_and_an_unknown_command_lists_the_known() {
        let err = Command::try_parse_from(["export", "markdown"]).unwrap_err();
        let said = explain(&err);
        assert!(said.starts_with("missing <PATH>"), "{said}");
        assert!(said.contains("usage: :export"), "{said}");
        assert!(said.contains("<FORMAT> <PATH>"), "{said}");
        let err = Command::try_parse_from(["export"]).unwrap_err();
        let said = explain(&err);
        assert!(
            said.contains("<FORMAT>") && said.contains("<PATH>"),
            "{said}"
        );
        let err = Command::try_parse_from(["expotr", "csv"]).unwrap_err();
        let said = explain(&err);
        assert!(said.starts_with("unknown command 'expotr'"), "{said}");
        assert!(
            said.contains(":export FORMAT PATH") && said.contains(":help"),
            "{said}"
        );
    }
}
