//! The `terreng` binary: parse the command line and hand over to the library.

use std::io::IsTerminal;

use anyhow::bail;
use clap::Parser;
use terreng::app::{self, App};
use terreng::cli::{Cli, Command};
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;
use terreng::{commands, config};

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let catalogue = cli.catalogue.as_deref();
    let code = match cli.command {
        Some(Command::Check { dir }) => commands::check(
            dir.or(cli.data),
            catalogue,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        Some(Command::Stats { dir, top }) => commands::stats(
            dir.or(cli.data),
            catalogue,
            top,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
        None => {
            if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
                bail!(
                    "terreng's app needs a terminal; for text output try `terreng stats` or `terreng check`"
                );
            }
            let mut data = store::load(&DataSource::resolve(cli.data), catalogue);
            let (settings, problem) = config::load();
            data.problems.extend(problem);
            let look = Look {
                theme: cli.theme.or(settings.theme).unwrap_or_default(),
                no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
                ascii: cli.ascii || settings.ascii.unwrap_or(false),
            };
            app::run::run(App::new(data, look))?;
            0
        }
    };
    std::process::exit(code);
}
