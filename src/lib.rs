//! terreng — a terminal workbench for journey analysis.
//!
//! Each group's innovation effort is a *journey*: steps across a *terrain* of obstacles and
//! enablers (after Hauge & Vike 2022, «Under radaren»). The crate is a library with a thin
//! binary; the modules are:
//!
//! - [`model`]: plain data — journeys, the terrain catalogue, the route layout;
//! - [`store`]: loading RON files and the bundled data set, with located problems;
//! - [`analysis`]: computations over journeys (statistics, comparison, agreement);
//! - [`app`]: the interactive app — the session and a state per screen, actions, the keymap
//!   (data: `assets/keymap.ron` patched by the user's), a pure `update` with a room per screen
//!   and overlay (`app::update`), the effects it returns and the performer that carries them
//!   out (saves at once, analysis, scans and exports on workers), the event loop;
//! - [`ui`]: drawing, a pure function of the app's state;
//! - [`cli`]: the command line; [`config`]: the user's settings file;
//! - [`commands`]: what each subcommand does;
//! - [`text`]: text from files and arguments made harmless for terminals and exports;
//! - [`export`]: Markdown, CSV, SVG and REFI-QDA files, for the command line and the app.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod export;
pub mod model;
pub mod store;
pub mod text;
pub mod ui;
