//! The interactive app: state, actions, the keymap, `update`, and the event loop that owns
//! the terminal. Only [`run`], [`terminal`] and [`signals`] touch the terminal; everything else is plain
//! state that tests drive directly.

pub mod action;
pub mod command;
pub mod editor;
pub mod form;
pub mod keymap;
pub mod loader;
pub mod reading;
pub mod run;
pub mod signals;
pub mod state;
pub mod terminal;
pub mod update;

pub use action::Action;
pub use state::App;
pub use update::{Effect, update};
