//! The `terreng` binary: parse the command line and hand over to the library.

use clap::Parser;
use terreng::cli::{Cli, Command};
use terreng::commands;

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
        None => commands::stats(
            cli.data,
            catalogue,
            10,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )?,
    };
    std::process::exit(code);
}
