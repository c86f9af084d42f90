//! The keymap: which key does what, where, and the words that say so.
//!
//! Every binding carries a description; the help screen and the key bar are built from them, so
//! they can never drift from what the keys do. A key is looked up in the current context first
//! (filter input, journey screen, atlas), then in the global bindings.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere, unless the context has a binding of its own for the key.
    Global,
    Atlas,
    Journey,
    Compare,
    Terrain,
    Agreement,
    /// While typing a filter: printable keys are text.
    FilterInput,
    /// While typing a command after `:`: printable keys are text.
    CommandLine,
    /// Writing a note: keys are text, but for the editor's own commands.
    Editor,
    /// Choosing codes in the editor: typed letters search.
    Picker,
    /// The orphaned notes panel.
    Orphans,
    /// Asked whether to quit with unsaved changes.
    ConfirmQuit,
    /// The help or the problems, open over a screen.
    Help,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Atlas => "Atlas",
            Context::Journey => "Journey",
            Context::Compare => "Compare",
            Context::Terrain => "Terrain",
            Context::Agreement => "Agreement",
            Context::FilterInput => "Typing a filter",
            Context::CommandLine => "Typing a command (after :)",
            Context::Editor => "Writing a note",
            Context::Picker => "Choosing codes (type to search)",
            Context::Orphans => "Orphaned notes",
            Context::ConfirmQuit => "Quitting with unsaved changes",
            Context::Help => "Reading the help",
        }
    }
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// How the key is written in help and the key bar.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }

    /// The key of a terminal key event, with Shift folded into the character for letters.
    pub fn from_event(e: &KeyEvent) -> Key {
        let mods = e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        Key { code: e.code, mods }
    }
}

/// One binding: keys, the action, where, and what it does in words.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub context: Context,
    pub desc: &'static str,
    /// Shown in the key bar of its context.
    pub bar: bool,
}

/// All bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Context::*;
        use KeyCode::*;
        let c = |ch: char| Key::plain(Char(ch));
        let k = Key::plain;
        let b =
            |keys: Vec<Key>, action: Action, context: Context, desc: &'static str, bar: bool| {
                Binding {
                    keys,
                    action,
                    context,
                    desc,
                    bar,
                }
            };
        Keymap {
            bindings: vec![
                b(vec![c('q')], Action::Quit, Global, "quit", true),
                b(
                    vec![Key::ctrl('c')],
                    Action::ForceQuit,
                    Global,
                    "quit (always)",
                    false,
                ),
                b(
                    vec![c('u')],
                    Action::Undo,
                    Global,
                    "undo a note change",
                    false,
                ),
                b(
                    vec![Key::ctrl('r')],
                    Action::Redo,
                    Global,
                    "redo a note change",
                    false,
                ),
                b(
                    vec![c('o')],
                    Action::ShowOrphans,
                    Global,
                    "notes whose step is gone",
                    false,
                ),
                b(vec![c('?'), k(F(1))], Action::Help, Global, "help", true),
                b(vec![k(Esc)], Action::Close, Global, "close / back", false),
                b(
                    vec![c('1')],
                    Action::ShowAtlas,
                    Global,
                    "atlas screen",
                    false,
                ),
                b(
                    vec![c('2')],
                    Action::ShowJourney,
                    Global,
                    "journey screen",
                    false,
                ),
                b(
                    vec![c('3')],
                    Action::ShowCompare,
                    Global,
                    "compare screen",
                    false,
                ),
                b(
                    vec![c('4')],
                    Action::ShowTerrain,
                    Global,
                    "terrain screen",
                    false,
                ),
                b(
                    vec![c('5')],
                    Action::ShowAgreement,
                    Global,
                    "agreement screen",
                    false,
                ),
                b(vec![k(Tab)], Action::FocusNext, Global, "next pane", false),
                b(
                    vec![k(BackTab)],
                    Action::FocusPrev,
                    Global,
                    "previous pane",
                    false,
                ),
                b(
                    vec![c(':')],
                    Action::CommandLine,
                    Global,
                    "command line (:export, :q)",
                    false,
                ),
                b(
                    vec![c('!')],
                    Action::ShowProblems,
                    Global,
                    "load problems",
                    false,
                ),
                // Atlas
                b(
                    vec![k(Down), c('j')],
                    Action::Down,
                    Atlas,
                    "next journey",
                    false,
                ),
                b(
                    vec![k(Up), c('k')],
                    Action::Up,
                    Atlas,
                    "previous journey",
                    false,
                ),
                b(
                    vec![k(PageDown)],
                    Action::PageDown,
                    Atlas,
                    "page down",
                    false,
                ),
                b(vec![k(PageUp)], Action::PageUp, Atlas, "page up", false),
                b(
                    vec![c('g'), k(Home)],
                    Action::StepFirst,
                    Atlas,
                    "first journey",
                    false,
                ),
                b(
                    vec![c('G'), k(End)],
                    Action::StepLast,
                    Atlas,
                    "last journey",
                    false,
                ),
                b(vec![k(Enter)], Action::Open, Atlas, "open journey", true),
                b(vec![c('/')], Action::Filter, Atlas, "filter", true),
                b(
                    vec![c('m')],
                    Action::Mark,
                    Atlas,
                    "mark / unmark to compare (2 to 4)",
                    true,
                ),
                b(
                    vec![c('M')],
                    Action::MarkTheme,
                    Atlas,
                    "mark / unmark the whole theme",
                    false,
                ),
                // Journey
                b(
                    vec![k(Right), c('l')],
                    Action::StepNext,
                    Journey,
                    "next step",
                    true,
                ),
                b(
                    vec![k(Left), c('h')],
                    Action::StepPrev,
                    Journey,
                    "previous step",
                    true,
                ),
                b(
                    vec![c('g'), k(Home)],
                    Action::StepFirst,
                    Journey,
                    "first step",
                    false,
                ),
                b(
                    vec![c('G'), k(End)],
                    Action::StepLast,
                    Journey,
                    "last step",
                    false,
                ),
                b(vec![c(' ')], Action::Play, Journey, "play / stop", true),
                b(
                    vec![c('n')],
                    Action::NextJourney,
                    Journey,
                    "next journey",
                    true,
                ),
                b(
                    vec![c('p')],
                    Action::PrevJourney,
                    Journey,
                    "previous journey",
                    false,
                ),
                b(
                    vec![c('f')],
                    Action::ToggleFuture,
                    Journey,
                    "show / hide the route ahead",
                    false,
                ),
                b(
                    vec![k(Enter)],
                    Action::Open,
                    Journey,
                    "jump to the step chosen in the strip",
                    false,
                ),
                b(
                    vec![k(Down), c('j')],
                    Action::ScrollDetail(1),
                    Journey,
                    "scroll the step detail",
                    false,
                ),
                b(
                    vec![k(Up), c('k')],
                    Action::ScrollDetail(-1),
                    Journey,
                    "scroll the step detail back",
                    false,
                ),
                b(
                    vec![k(PageDown)],
                    Action::ScrollDetail(10),
                    Journey,
                    "page the step detail",
                    false,
                ),
                b(
                    vec![k(PageUp)],
                    Action::ScrollDetail(-10),
                    Journey,
                    "page the step detail back",
                    false,
                ),
                b(vec![c('a')], Action::AddNote, Journey, "add a note", true),
                b(
                    vec![c('c')],
                    Action::CodeStep,
                    Journey,
                    "code the step",
                    true,
                ),
                b(
                    vec![c('e')],
                    Action::EditNote,
                    Journey,
                    "edit the selected note",
                    false,
                ),
                b(
                    vec![c('d')],
                    Action::DeleteNote,
                    Journey,
                    "delete the selected note (u brings it back)",
                    false,
                ),
                b(
                    vec![c('m')],
                    Action::Mark,
                    Journey,
                    "mark / unmark to compare (2 to 4)",
                    false,
                ),
                b(
                    vec![c('M')],
                    Action::MarkTheme,
                    Journey,
                    "mark / unmark the whole theme",
                    false,
                ),
                // Compare
                b(
                    vec![k(Right), c('l')],
                    Action::StepNext,
                    Compare,
                    "step all (matrix: column)",
                    true,
                ),
                b(
                    vec![k(Left), c('h')],
                    Action::StepPrev,
                    Compare,
                    "step all back",
                    true,
                ),
                b(
                    vec![c('g'), k(Home)],
                    Action::StepFirst,
                    Compare,
                    "all to the first step",
                    false,
                ),
                b(
                    vec![c('G'), k(End)],
                    Action::StepLast,
                    Compare,
                    "all to the last step",
                    false,
                ),
                b(
                    vec![c('t')],
                    Action::ToggleLockstep,
                    Compare,
                    "lockstep by step / by position",
                    true,
                ),
                b(
                    vec![k(Down), c('j')],
                    Action::Down,
                    Compare,
                    "matrix / list: next row",
                    false,
                ),
                b(
                    vec![k(Up), c('k')],
                    Action::Up,
                    Compare,
                    "matrix / list: previous row",
                    false,
                ),
                b(
                    vec![k(Enter)],
                    Action::Open,
                    Compare,
                    "open the steps behind a count / jump",
                    true,
                ),
                b(
                    vec![c('s')],
                    Action::CycleSource,
                    Compare,
                    "codes from journeys / notes / both",
                    true,
                ),
                b(
                    vec![c('x')],
                    Action::ClearMarks,
                    Compare,
                    "clear the marks",
                    false,
                ),
                // Terrain
                b(
                    vec![k(Down), c('j')],
                    Action::Down,
                    Terrain,
                    "next kind (or step)",
                    false,
                ),
                b(
                    vec![k(Up), c('k')],
                    Action::Up,
                    Terrain,
                    "previous kind (or step)",
                    false,
                ),
                b(
                    vec![k(PageDown)],
                    Action::PageDown,
                    Terrain,
                    "page down",
                    false,
                ),
                b(vec![k(PageUp)], Action::PageUp, Terrain, "page up", false),
                b(
                    vec![c('g'), k(Home)],
                    Action::StepFirst,
                    Terrain,
                    "first",
                    false,
                ),
                b(
                    vec![c('G'), k(End)],
                    Action::StepLast,
                    Terrain,
                    "last",
                    false,
                ),
                b(
                    vec![k(Enter)],
                    Action::Open,
                    Terrain,
                    "where it is met / jump",
                    true,
                ),
                b(vec![c('r')], Action::CycleSort, Terrain, "sort", true),
                b(
                    vec![c('s')],
                    Action::CycleSource,
                    Terrain,
                    "codes from journeys / notes / both",
                    true,
                ),
                // Agreement
                b(
                    vec![c('a')],
                    Action::Adopt,
                    Agreement,
                    "adopt the code (on your note)",
                    true,
                ),
                b(
                    vec![k(Enter)],
                    Action::Open,
                    Agreement,
                    "open the step",
                    true,
                ),
                b(
                    vec![k(Right), c('l')],
                    Action::StepNext,
                    Agreement,
                    "next disagreement",
                    true,
                ),
                b(
                    vec![k(Left), c('h')],
                    Action::StepPrev,
                    Agreement,
                    "previous disagreement",
                    true,
                ),
                b(
                    vec![c('g'), k(Home)],
                    Action::StepFirst,
                    Agreement,
                    "first (the most codes differ)",
                    false,
                ),
                b(
                    vec![c('G'), k(End)],
                    Action::StepLast,
                    Agreement,
                    "last disagreement",
                    false,
                ),
                b(
                    vec![k(Down), c('j')],
                    Action::Down,
                    Agreement,
                    "next code that differs",
                    false,
                ),
                b(
                    vec![k(Up), c('k')],
                    Action::Up,
                    Agreement,
                    "previous code that differs",
                    false,
                ),
                b(
                    vec![c(']')],
                    Action::NextNote,
                    Journey,
                    "select the next note",
                    false,
                ),
                b(
                    vec![c('[')],
                    Action::PrevNote,
                    Journey,
                    "select the previous note",
                    false,
                ),
                // The editor
                b(
                    vec![Key::ctrl('s')],
                    Action::SaveNote,
                    Editor,
                    "save the note",
                    true,
                ),
                b(
                    vec![k(Tab)],
                    Action::EditorFocus,
                    Editor,
                    "to the codes",
                    true,
                ),
                b(
                    vec![k(Esc)],
                    Action::Close,
                    Editor,
                    "cancel (asks if text would be lost)",
                    true,
                ),
                b(
                    vec![Key::ctrl('s')],
                    Action::SaveNote,
                    Picker,
                    "save the note",
                    true,
                ),
                b(
                    vec![c(' ')],
                    Action::ToggleCode,
                    Picker,
                    "choose / unchoose",
                    true,
                ),
                b(
                    vec![k(Tab)],
                    Action::EditorFocus,
                    Picker,
                    "to the text",
                    true,
                ),
                b(vec![k(Esc)], Action::Close, Picker, "cancel", true),
                // Orphans
                b(
                    vec![k(Down), c('j')],
                    Action::Down,
                    Orphans,
                    "next orphan",
                    false,
                ),
                b(
                    vec![k(Up), c('k')],
                    Action::Up,
                    Orphans,
                    "previous orphan",
                    false,
                ),
                b(
                    vec![k(Enter)],
                    Action::Open,
                    Orphans,
                    "re-attach to the current step",
                    true,
                ),
                b(vec![c('d')], Action::DeleteNote, Orphans, "delete", true),
                b(vec![k(Esc)], Action::Close, Orphans, "close", true),
                // The help
                b(
                    vec![k(Down), c('j')],
                    Action::Down,
                    Help,
                    "scroll down",
                    false,
                ),
                b(vec![k(Up), c('k')], Action::Up, Help, "scroll up", false),
                b(vec![k(Esc)], Action::Close, Help, "close", true),
                // Confirm quit
                b(
                    vec![c('q')],
                    Action::ForceQuit,
                    ConfirmQuit,
                    "quit anyway",
                    true,
                ),
                b(vec![k(Esc)], Action::Close, ConfirmQuit, "stay", true),
                // Command line
                b(vec![k(Enter)], Action::RunCommand, CommandLine, "run", true),
                b(vec![k(Esc)], Action::Close, CommandLine, "cancel", true),
                b(
                    vec![k(Backspace)],
                    Action::CommandBackspace,
                    CommandLine,
                    "delete a character",
                    false,
                ),
                // Filter input
                b(
                    vec![k(Enter)],
                    Action::FilterAccept,
                    FilterInput,
                    "keep the filter",
                    true,
                ),
                b(
                    vec![k(Esc)],
                    Action::Close,
                    FilterInput,
                    "clear the filter",
                    true,
                ),
                b(
                    vec![k(Backspace)],
                    Action::FilterBackspace,
                    FilterInput,
                    "delete a character",
                    false,
                ),
            ],
        }
    }
}

impl Keymap {
    /// The action for a key in a context, falling back to the global bindings. While typing a
    /// filter, printable characters are text and only Ctrl-C keeps its global meaning.
    pub fn action(&self, context: Context, key: Key) -> Option<Action> {
        let find = |ctx: Context| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.keys.contains(&key))
                .map(|b| b.action.clone())
        };
        // In the editor only its own commands and Ctrl-C are keys; the rest is text.
        if matches!(context, Context::Editor | Context::Picker) {
            return find(context).or_else(|| (key == Key::ctrl('c')).then_some(Action::ForceQuit));
        }
        if matches!(context, Context::FilterInput | Context::CommandLine) {
            if let Some(a) = find(context) {
                return Some(a);
            }
            if let KeyCode::Char(ch) = key.code
                && key.mods.is_empty()
            {
                return Some(if context == Context::CommandLine {
                    Action::CommandInput(ch)
                } else {
                    Action::FilterInput(ch)
                });
            }
            return (key == Key::ctrl('c')).then_some(Action::ForceQuit);
        }
        find(context).or_else(|| find(Context::Global))
    }

    /// The bindings shown in the key bar of a context: the context's own, then the global ones.
    pub fn bar(&self, context: Context) -> Vec<&Binding> {
        let own = self
            .bindings
            .iter()
            .filter(|b| b.bar && b.context == context);
        let global = self.bindings.iter().filter(move |b| {
            b.bar
                && b.context == Context::Global
                && matches!(
                    context,
                    Context::Global
                        | Context::Atlas
                        | Context::Journey
                        | Context::Compare
                        | Context::Terrain
                        | Context::Agreement
                )
        });
        own.chain(global).collect()
    }

    /// The bindings of a context, for the help screen.
    pub fn in_context(&self, context: Context) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.context == context)
    }
}

/// "←/h" for a binding's keys.
pub fn keys_label(b: &Binding) -> String {
    b.keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_bindings_come_before_global_ones() {
        let km = Keymap::default();
        let enter = Key::plain(KeyCode::Enter);
        assert_eq!(km.action(Context::Atlas, enter), Some(Action::Open));
        assert_eq!(
            km.action(Context::Journey, Key::plain(KeyCode::Char('l'))),
            Some(Action::StepNext)
        );
        assert_eq!(
            km.action(Context::Journey, Key::plain(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(Context::Atlas, Key::plain(KeyCode::Char('l'))),
            None
        );
    }

    #[test]
    fn typing_a_filter_takes_letters_as_text_but_ctrl_c_still_quits() {
        let km = Keymap::default();
        let q = Key::plain(KeyCode::Char('q'));
        assert_eq!(
            km.action(Context::FilterInput, q),
            Some(Action::FilterInput('q'))
        );
        assert_eq!(
            km.action(Context::FilterInput, Key::ctrl('c')),
            Some(Action::ForceQuit)
        );
        assert_eq!(
            km.action(Context::FilterInput, Key::plain(KeyCode::Esc)),
            Some(Action::Close)
        );
        assert_eq!(
            km.action(Context::FilterInput, Key::plain(KeyCode::Enter)),
            Some(Action::FilterAccept)
        );
    }

    #[test]
    fn in_the_editor_letters_are_text_and_only_its_commands_and_ctrl_c_are_keys() {
        let km = Keymap::default();
        for ctx in [Context::Editor, Context::Picker] {
            for ch in ['q', 'a', 'u', '?', '1'] {
                assert_eq!(km.action(ctx, Key::plain(KeyCode::Char(ch))), None, "{ch}");
            }
            assert_eq!(km.action(ctx, Key::ctrl('s')), Some(Action::SaveNote));
            assert_eq!(km.action(ctx, Key::ctrl('c')), Some(Action::ForceQuit));
            assert_eq!(
                km.action(ctx, Key::plain(KeyCode::Tab)),
                Some(Action::EditorFocus)
            );
        }
        assert_eq!(
            km.action(Context::Picker, Key::plain(KeyCode::Char(' '))),
            Some(Action::ToggleCode)
        );
        assert_eq!(
            km.action(Context::Editor, Key::plain(KeyCode::Char(' '))),
            None
        );
    }

    #[test]
    fn every_binding_has_words_and_no_key_is_bound_twice_in_one_context() {
        let km = Keymap::default();
        let mut seen = std::collections::HashSet::new();
        for b in &km.bindings {
            assert!(!b.desc.is_empty());
            for k in &b.keys {
                assert!(
                    seen.insert((b.context, *k)),
                    "{:?} bound twice in {:?}",
                    k,
                    b.context
                );
            }
        }
    }
}
