//! The `terreng` binary: parse the command line and hand over to the library.
//!
//! Exit codes: 0 done; 1 a problem found (`check`) or a failure (a file that could not be
//! written, no terminal for the app); 2 a usage error — clap's own, and a journey, theme or
//! analyst that is not there; 3 notes the app could not save. An error is one line on
//! stderr, never a backtrace, whatever `RUST_BACKTRACE` says; a closed pipe (`| head`) ends
//! the command quietly with 0.

use std::io::{IsTerminal, Write};

use anyhow::bail;
use clap::{CommandFactory, FromArgMatches};
use terreng::app::keymap::Keymap;
use terreng::app::{self, App};
use terreng::cli::{Cli, Command, SourceCommand};
use terreng::model::annotation::check_analyst;
use terreng::store::{self, DataSource};
use terreng::text::InertWriter;
use terreng::ui::theme::Look;
use terreng::{commands, config};

fn main() {
    let code = match run() {
        Ok(code) => code,
        Err(e) if broken_pipe(&e) => 0,
        Err(e) => {
            // `{:#}` is the chain of causes on one line; `{:?}` would add the backtrace.
            // Never a control sequence from an argument or a file name in it.
            let _ = writeln!(
                std::io::stderr(),
                "terreng: {}",
                terreng::text::inert(&format!("{e:#}"))
            );
            1
        }
    };
    std::process::exit(code);
}

/// Whether an error is a write to a pipe whose reader has gone (`terreng stats | head -1`).
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Parses the command line and runs what it asks; returns the exit code.
fn run() -> anyhow::Result<i32> {
    // --help names the folder where notes on the bundled journeys go, which differs by platform.
    let bundled_notes = DataSource::Bundled.default_annotations().map_or_else(
        || "(no data folder on this system)".to_string(),
        |p| p.display().to_string(),
    );
    let matches = Cli::command()
        .after_help(format!(
            "Notes on the bundled journeys are saved in {bundled_notes}; with ./journeys or --data, in annotations/ beside the journeys."
        ))
        .get_matches();
    let cli = Cli::from_arg_matches(&matches)?;
    let catalogue = cli.catalogue.as_deref();
    let code = match cli.command {
        Some(Command::Check { dir, sources, fix }) => commands::check(
            dir.or(cli.data),
            catalogue,
            cli.annotations.clone(),
            &commands::Verify { sources, fix },
            &mut InertWriter::new(std::io::stdout().lock()),
            &mut InertWriter::new(std::io::stderr().lock()),
        )?,
        Some(Command::Stats {
            dir,
            top,
            source,
            json,
        }) => commands::stats(
            &commands::Input {
                dir: dir.or(cli.data),
                catalogue,
                annotations: cli.annotations.clone(),
                source,
            },
            top,
            json,
            &mut InertWriter::new(std::io::stdout().lock()),
            &mut InertWriter::new(std::io::stderr().lock()),
        )?,
        Some(Command::Compare {
            ids,
            themes,
            source,
            json,
        }) => commands::compare(
            &commands::Input {
                dir: cli.data,
                catalogue,
                annotations: cli.annotations.clone(),
                source,
            },
            &ids,
            &themes,
            json,
            &mut InertWriter::new(std::io::stdout().lock()),
            &mut InertWriter::new(std::io::stderr().lock()),
        )?,
        Some(Command::Gen {
            out,
            journeys,
            steps,
            notes,
            analysts,
            seed,
        }) => commands::generate(
            &out,
            terreng::store::synthetic::Params {
                journeys,
                steps,
                notes,
                analysts,
                seed,
            },
            &mut InertWriter::new(std::io::stdout().lock()),
        )?,
        Some(Command::Export(args)) => commands::export::run(
            &args,
            commands::export::Inputs {
                data_dir: cli.data,
                catalogue,
                annotations: cli.annotations.clone(),
                // Only blind coding needs to know who is asking.
                blind: if cli.blind || args.blind {
                    Some(analyst_name(cli.analyst)?)
                } else {
                    None
                },
            },
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        Some(Command::Code(args)) => commands::code::run(
            &args,
            cli.data,
            catalogue,
            cli.annotations.clone(),
            &mut InertWriter::new(std::io::stdout().lock()),
            &mut InertWriter::new(std::io::stderr().lock()),
        )?,
        Some(Command::Journey(args)) => commands::journey::run(
            &args,
            cli.data,
            catalogue,
            cli.annotations.clone(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        Some(Command::New {
            dir,
            title,
            empty_codebook,
            source_language,
            translation_language,
        }) => {
            let title = title.unwrap_or_else(|| {
                dir.file_name()
                    .map_or_else(|| "study".to_string(), |n| n.to_string_lossy().into_owned())
            });
            let study = terreng::model::Study {
                source_language,
                translation_language,
                created: Some(terreng::store::sources::now()),
                ..terreng::model::Study::new(title)
            };
            commands::source::new_study(
                &dir,
                &study,
                empty_codebook,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )?
        }
        Some(Command::Source(SourceCommand::Add { files, id })) => commands::source::add(
            cli.data,
            &files,
            id.as_deref(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        Some(Command::Source(SourceCommand::List)) => commands::source::list(
            cli.data,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        Some(Command::Agree(args)) => commands::agree::run(
            &args,
            cli.data,
            catalogue,
            cli.annotations.clone(),
            &mut InertWriter::new(std::io::stdout().lock()),
            &mut InertWriter::new(std::io::stderr().lock()),
        )?,
        Some(Command::Seq { command }) => commands::seq::run(
            &command,
            cli.data,
            catalogue,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        None => {
            if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
                bail!(
                    "terreng's app needs a terminal; for text output try `terreng stats` or `terreng check`"
                );
            }
            let mut opened = store::open(&DataSource::resolve(cli.data), catalogue);
            let (settings, problem) = config::load();
            opened.data.problems.extend(problem);
            let (keymap, problem) = Keymap::load(config::keymap_path().as_deref());
            opened.data.problems.extend(problem);
            let look = Look {
                theme: cli.theme.or(settings.theme).unwrap_or_default(),
                no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
                ascii: cli.ascii || settings.ascii.unwrap_or(false),
            };
            let notes = match cli
                .annotations
                .or_else(|| opened.data.source.default_annotations())
            {
                Some(root) => {
                    if let Err(why) = store::annotations::check_root(&root) {
                        bail!("{why}");
                    }
                    Some((root, analyst_name(cli.analyst)?))
                }
                None => None,
            };
            let snapshots = store::warm::folder();
            let mut app = app::loader::open_warm(opened, look, notes, snapshots.as_deref())
                .with_blind(cli.blind);
            app.keymap = keymap;
            // Codebook changes go to the catalogue named, as `terreng code` writes them.
            app.catalogue = catalogue.map(std::path::Path::to_path_buf);
            let app = app::run::run(app)?;
            // After a signal or a hangup: 3 if notes are unsaved, else 128 + the signal.
            app::signals::exit_code(report_unsaved(&app))
        }
    };
    Ok(code)
}

/// The analyst's name: as asked, else `$TERRENG_ANALYST`, else the login name; checked, since
/// it names a folder.
fn analyst_name(asked: Option<String>) -> anyhow::Result<String> {
    let name = asked
        .or_else(|| {
            std::env::var("TERRENG_ANALYST")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or_else(|| {
            ["USER", "LOGNAME", "USERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        })
        .unwrap_or_else(|| "analyst".to_string());
    if let Err(why) = check_analyst(&name) {
        bail!("{why} (set it with --analyst NAME or TERRENG_ANALYST)");
    }
    Ok(name)
}

/// After the app: notes that could not be saved are printed, whole, so that nothing is lost;
/// the exit code says so.
fn report_unsaved(app: &App) -> i32 {
    let Some(n) = &app.session.notes else {
        return 0;
    };
    let unsaved = n.store.unsaved();
    if unsaved.is_empty() {
        return 0;
    }
    // Written with errors ignored: after a hangup there may be no terminal to write to, and
    // the exit code still says that notes were not saved.
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "terreng: notes on {} could not be saved to {}; here they are:",
        terreng::text::inert(&unsaved.join(", ")),
        terreng::text::inert(&n.store.root().display().to_string())
    );
    for (analyst, journey, note) in n.store.all() {
        if analyst == n.store.analyst() && unsaved.contains(&journey) {
            // RON escapes every control character in a string; the journey id is made inert.
            let text = ron::ser::to_string_pretty(note, ron::ser::PrettyConfig::default())
                .unwrap_or_else(|_| format!("{note:?}"));
            let _ = writeln!(err, "// {}\n{text}", terreng::text::inert(journey));
        }
    }
    3
}
