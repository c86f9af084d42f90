//! The `terreng` binary: parse the command line and hand over to the library.

use std::io::IsTerminal;

use anyhow::bail;
use clap::{CommandFactory, FromArgMatches};
use terreng::app::keymap::Keymap;
use terreng::app::{self, App};
use terreng::cli::{Cli, Command};
use terreng::model::annotation::check_analyst;
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;
use terreng::{commands, config};

fn main() -> anyhow::Result<()> {
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
        Some(Command::Check { dir }) => commands::check(
            dir.or(cli.data),
            catalogue,
            cli.annotations.clone(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
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
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
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
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
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
            &mut std::io::stdout().lock(),
        )?,
        Some(Command::Export(args)) => terreng::export::command::run(
            &args,
            cli.data,
            catalogue,
            cli.annotations.clone(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        Some(Command::Agree(args)) => commands::agree::run(
            &args,
            cli.data,
            catalogue,
            cli.annotations.clone(),
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
                Some(root) => Some((root, analyst_name(cli.analyst)?)),
                None => None,
            };
            let mut app = app::loader::open(opened, look, notes).with_blind(cli.blind);
            app.keymap = keymap;
            let app = app::run::run(app)?;
            report_unsaved(&app)
        }
    };
    std::process::exit(code);
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
    eprintln!(
        "terreng: notes on {} could not be saved to {}; here they are:",
        unsaved.join(", "),
        n.store.root().display()
    );
    for (analyst, journey, note) in n.store.all() {
        if analyst == n.store.analyst() && unsaved.contains(&journey) {
            let text = ron::ser::to_string_pretty(note, ron::ser::PrettyConfig::default())
                .unwrap_or_else(|_| format!("{note:?}"));
            eprintln!("// {journey}\n{text}");
        }
    }
    3
}
