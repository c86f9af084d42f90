//! The command line while it is typed: text, Backspace (on an empty line it closes, as in vi),
//! Enter to run it, Esc to cancel. What a command means is [`crate::app::command`]'s; an export
//! or documents to add become an effect, done on a worker.

use crate::app::action::Action;
use crate::app::command::{self as line, Outcome};
use crate::app::effect::Effect;
use crate::app::state::{App, Overlay};
use crate::app::update::quit;

/// Whether the command line, while it is open, takes the action.
pub(super) fn takes(action: &Action) -> bool {
    matches!(
        action,
        Action::CommandInput(_)
            | Action::CommandPaste(_)
            | Action::CommandBackspace
            | Action::RunCommand
            | Action::Close
    )
}

/// An action while the command line is open.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    match action {
        Action::CommandInput(c) => {
            app.command.get_or_insert_with(String::new).push(c);
            true
        }
        Action::CommandPaste(text) => {
            let typed = app.command.get_or_insert_with(String::new);
            typed.extend(text.chars().filter(|c| !c.is_control()));
            true
        }
        Action::CommandBackspace => {
            if app.command.as_mut().and_then(String::pop).is_none() {
                app.command = None;
            }
            true
        }
        Action::RunCommand => {
            let typed = app.command.take().unwrap_or_default();
            match line::run(app, &typed) {
                Outcome::Done => {}
                Outcome::Quit => return quit(app),
                Outcome::Help => app.overlay = Overlay::Help,
                Outcome::Export(job) => app.outbox.push(Effect::Export(job)),
                Outcome::AddSources { root, files } => {
                    app.outbox.push(Effect::AddSources { root, files });
                }
            }
            true
        }
        Action::Close => app.command.take().is_some(),
        _ => false,
    }
}
