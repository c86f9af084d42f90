//! The interactive app: state, actions, the keymap, `update`, and the event loop that owns
//! the terminal. Only [`run`], [`terminal`] and [`signals`] touch the terminal, and only [`perform`] (and
//! the workers it starts) the disk; everything else is plain state that tests drive directly.
//!
//! - [`action`]: what the user (or the loop, reporting an outcome) asks for;
//! - [`update`]: the one place actions change state; it returns [`effect::Effect`]s;
//! - [`effect`]: the effects and the outcomes that come back;
//! - [`perform`]: carrying effects out — saves at once, the rest on workers;
//! - [`analysis`]: the analysis cache, requests and the pure computation a worker runs;
//! - [`state`]: the app's state; [`editor`]: the note editor; [`command`]: the `:` line;
//!   [`form`]: forms; [`reading`]: the reading view of a source;
//! - [`journeys`] and [`codebook`]: journeys and the catalogue changed from the app and
//!   written; [`step_form`]: the step form; [`editing`]: open forms, questions, held writes;
//!   [`history`]: one undo history for notes, journeys and the codebook;
//!   [`form`]: forms; [`reading`]: the reading view of a source; [`sources`]: the sources
//!   screen's state and the reading of the study's sources;
//! - [`keymap`]: which key does what, where, read from `assets/keymap.ron` and the user's
//!   `keymap.ron`; [`key`]: terreng's own key type; [`loader`]: a large study behind the first
//!   frame;
//! - [`run`] and [`terminal`]: the event loop and the terminal it owns.

pub mod action;
pub mod analysis;
pub mod codebook;
pub mod command;
pub mod editing;
pub mod editor;
pub mod effect;
pub mod form;
pub mod history;
pub mod journeys;
pub mod key;
pub mod keymap;
pub mod loader;
pub mod note_text;
pub mod perform;
pub mod reading;
pub mod run;
pub mod signals;
pub mod sources;
pub mod state;
pub mod step_form;
pub mod terminal;
pub mod update;
pub mod watch;

pub use action::Action;
pub use effect::Effect;
pub use perform::act;
pub use state::App;
pub use update::update;
