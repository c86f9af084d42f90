//! The keymap: which key does what, where, and the words that say so — as data.
//!
//! The defaults are `assets/keymap.ron`, bundled into the binary. A `keymap.ron` of the user's
//! own (in the config folder beside `config.ron`, or the file `TERRENG_KEYMAP` names) patches
//! them per context, as gitui's key config does: a binding there replaces the keys of the same
//! action in that context (or adds it), and its keys are taken from whatever else in that
//! context had them. A keymap that does not parse, or names a key or an action that does not
//! exist, is reported as `path:line:col: message` and the defaults stay in force.
//!
//! Every binding carries a description; the help screen and the key bar are built from them, so
//! they can never drift from what the keys do. A key is looked up in the current context first,
//! then in the global bindings; where text is typed, printable keys are text. Nothing here
//! reads the terminal: keys are terreng's own [`Key`].

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::app::action::Action;
pub use crate::app::key::{Key, KeyCode};
use crate::store::{Problem, parse};

/// The keymap bundled into the binary.
pub const DEFAULTS: &str = include_str!("../../assets/keymap.ron");

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Context {
    /// Everywhere, unless the context has a binding of its own for the key.
    Global,
    Atlas,
    Journey,
    Compare,
    Terrain,
    Agreement,
    Sequences,
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
    /// The codebook screen.
    Codebook,
    /// Filling in a form: keys are text, but for the form's own commands.
    Form,
    /// A question before a change: yes or no.
    Confirm,
    /// The list of the study's sources.
    Sources,
    /// Reading a source: moving, selecting, searching.
    Reading,
    /// Typing a search in a source: printable keys are text.
    SourceSearch,
    CodebookSearch,
}

impl Context {
    /// Every context, in the order the keymap lists them.
    pub const ALL: [Context; 21] = [
        Context::Global,
        Context::Atlas,
        Context::Journey,
        Context::Compare,
        Context::Terrain,
        Context::Agreement,
        Context::Sequences,
        Context::FilterInput,
        Context::CommandLine,
        Context::Editor,
        Context::Picker,
        Context::Orphans,
        Context::ConfirmQuit,
        Context::Help,
        Context::Codebook,
        Context::Form,
        Context::Confirm,
        Context::Sources,
        Context::Reading,
        Context::SourceSearch,
        Context::CodebookSearch,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Atlas => "Atlas",
            Context::Journey => "Journey",
            Context::Compare => "Compare",
            Context::Terrain => "Terrain",
            Context::Agreement => "Agreement",
            Context::Sequences => "Sequences",
            Context::FilterInput => "Typing a filter",
            Context::CommandLine => "Typing a command (after :)",
            Context::Editor => "Writing a note",
            Context::Picker => "Choosing codes (type to search)",
            Context::Orphans => "Orphaned notes",
            Context::ConfirmQuit => "Quitting with unsaved changes",
            Context::Help => "Reading the help",
            Context::Codebook => "Codebook",
            Context::Form => "Filling in a form (a step, a journey, a code)",
            Context::Confirm => "Answering a question",
            Context::Sources => "Sources",
            Context::Reading => "Reading a source",
            Context::SourceSearch => "Typing a search in a source",
            Context::CodebookSearch => "Typing a search in the codebook",
        }
    }
}

/// One binding: keys, the action, where, and what it does in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub context: Context,
    pub desc: String,
    /// Shown in the key bar of its context.
    pub bar: bool,
}

/// A binding as a keymap file writes it; in a user's file the words and the bar are optional
/// (the default binding's are kept).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    keys: Vec<Key>,
    action: Action,
    #[serde(default)]
    desc: Option<String>,
    #[serde(default)]
    bar: Option<bool>,
}

/// A keymap file: bindings by context.
type KeymapFile = HashMap<Context, Vec<Entry>>;

/// All bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    /// The bundled keymap. It is checked by a test; should it ever fail to parse, the two keys
    /// that quit still work.
    fn default() -> Self {
        match parse::parse::<KeymapFile>("assets/keymap.ron", DEFAULTS) {
            Ok(file) => {
                let mut km = Keymap {
                    bindings: Vec::new(),
                };
                km.patch(file);
                km
            }
            Err(_) => Keymap {
                bindings: vec![
                    Binding {
                        keys: vec![Key::ctrl('c')],
                        action: Action::ForceQuit,
                        context: Context::Global,
                        desc: "quit (always)".into(),
                        bar: false,
                    },
                    Binding {
                        keys: vec![Key::char('q')],
                        action: Action::Quit,
                        context: Context::Global,
                        desc: "quit".into(),
                        bar: true,
                    },
                ],
            },
        }
    }
}

impl Keymap {
    /// The defaults patched by the user's keymap at `path`, if there is one. A keymap that
    /// does not parse is a located problem, and the defaults stay in force.
    pub fn load(path: Option<&Path>) -> (Keymap, Option<Problem>) {
        let mut km = Keymap::default();
        let Some(path) = path else {
            return (km, None);
        };
        let Ok(bytes) = std::fs::read(path) else {
            return (km, None);
        };
        let name = path.display().to_string();
        let parsed = parse::as_text(&name, &bytes, "keymap")
            .and_then(|text| parse::parse::<KeymapFile>(&name, text));
        match parsed {
            Ok(file) => {
                km.patch(file);
                (km, None)
            }
            Err(p) => (km, Some(p)),
        }
    }

    /// Applies a keymap file over these bindings, context by context in [`Context::ALL`]
    /// order: each entry replaces the keys of its action in its context, or adds the binding,
    /// and its keys stop meaning anything else in that context.
    fn patch(&mut self, mut file: KeymapFile) {
        for context in Context::ALL {
            for e in file.remove(&context).unwrap_or_default() {
                for b in self.bindings.iter_mut().filter(|b| b.context == context) {
                    b.keys.retain(|k| !e.keys.contains(k));
                }
                match self
                    .bindings
                    .iter_mut()
                    .find(|b| b.context == context && b.action == e.action)
                {
                    Some(b) => {
                        b.keys = e.keys;
                        if let Some(desc) = e.desc {
                            b.desc = desc;
                        }
                        if let Some(bar) = e.bar {
                            b.bar = bar;
                        }
                    }
                    None => self.bindings.push(Binding {
                        desc: e.desc.unwrap_or_else(|| format!("{:?}", e.action)),
                        bar: e.bar.unwrap_or(false),
                        keys: e.keys,
                        action: e.action,
                        context,
                    }),
                }
            }
        }
        self.bindings.retain(|b| !b.keys.is_empty());
    }

    /// The action for a key in a context, falling back to the global bindings. Where text is
    /// typed (a filter, a command, a note), printable characters are text and of the global
    /// bindings only the forced quit (Ctrl-C) keeps its meaning.
    pub fn action(&self, context: Context, key: Key) -> Option<Action> {
        let find = |ctx: Context| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.keys.contains(&key))
                .map(|b| b.action.clone())
        };
        let force_quit = || find(Context::Global).filter(|a| *a == Action::ForceQuit);
        match context {
            Context::Editor | Context::Picker | Context::Form | Context::Confirm => {
                find(context).or_else(force_quit)
            }
            Context::FilterInput
            | Context::CommandLine
            | Context::SourceSearch
            | Context::CodebookSearch => find(context)
                .or_else(|| {
                    key.text().map(|ch| {
                        if context == Context::CommandLine {
                            Action::CommandInput(ch)
                        } else {
                            Action::FilterInput(ch)
                        }
                    })
                })
                .or_else(force_quit),
            _ => find(context).or_else(|| find(Context::Global)),
        }
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
                        | Context::Codebook
                        | Context::Sources
                        | Context::Reading
                        | Context::Sequences
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

    /// README's "Keys of your own" names every context a user keymap can change, by the name
    /// the file takes (the variant's name, as `Debug` prints it).
    #[test]
    fn the_readme_names_every_context() {
        let readme = include_str!("../../README.md");
        let start = readme.find("### Keys of your own").expect("the section");
        let section = &readme[start..];
        let section = &section[..section[4..].find("\n#").map_or(section.len(), |e| e + 4)];
        for ctx in Context::ALL {
            let name = format!("`{ctx:?}`");
            assert!(section.contains(&name), "README lacks {name}");
        }
    }

    #[test]
    fn context_bindings_come_before_global_ones() {
        let km = Keymap::default();
        let enter = Key::plain(KeyCode::Enter);
        assert_eq!(km.action(Context::Atlas, enter), Some(Action::Open));
        assert_eq!(
            km.action(Context::Journey, Key::char('l')),
            Some(Action::StepNext)
        );
        assert_eq!(
            km.action(Context::Journey, Key::char('q')),
            Some(Action::Quit)
        );
        assert_eq!(km.action(Context::Atlas, Key::char('l')), None);
    }

    #[test]
    fn typing_a_filter_takes_letters_as_text_but_ctrl_c_still_quits() {
        let km = Keymap::default();
        let q = Key::char('q');
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
                assert_eq!(km.action(ctx, Key::char(ch)), None, "{ch}");
            }
            assert_eq!(km.action(ctx, Key::ctrl('s')), Some(Action::SaveNote));
            assert_eq!(km.action(ctx, Key::ctrl('c')), Some(Action::ForceQuit));
            assert_eq!(
                km.action(ctx, Key::plain(KeyCode::Tab)),
                Some(Action::EditorFocus)
            );
        }
        assert_eq!(
            km.action(Context::Picker, Key::char(' ')),
            Some(Action::ToggleCode)
        );
        assert_eq!(km.action(Context::Editor, Key::char(' ')), None);
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

    /// A user's keymap, parsed and applied over the defaults.
    fn patched(text: &str) -> Result<Keymap, Problem> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.ron");
        std::fs::write(&path, text).unwrap();
        match Keymap::load(Some(&path)) {
            (km, None) => Ok(km),
            (km, Some(p)) => {
                // The defaults stay in force.
                assert_eq!(km.bindings, Keymap::default().bindings);
                Err(p)
            }
        }
    }

    #[test]
    fn the_bundled_keymap_parses_and_binds_every_context_it_names() {
        let file = parse::parse::<KeymapFile>("assets/keymap.ron", DEFAULTS).unwrap();
        assert!(file.len() >= 12, "{:?}", file.keys());
        let km = Keymap::default();
        assert!(km.bindings.len() > 90, "{}", km.bindings.len());
        assert!(km.bindings.iter().all(|b| !b.keys.is_empty()));
    }

    #[test]
    fn a_user_keymap_rebinds_an_action_and_takes_its_keys_from_others() {
        let km = patched(
            r#"{ Global: [(keys: ["x"], action: Quit)], Atlas: [(keys: ["j"], action: Up)] }"#,
        )
        .unwrap();
        assert_eq!(
            km.action(Context::Atlas, Key::char('x')),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(Context::Atlas, Key::char('q')),
            None,
            "q no longer quits"
        );
        let quit = km
            .bindings
            .iter()
            .find(|b| b.action == Action::Quit)
            .unwrap();
        assert_eq!(quit.desc, "quit", "the words stay");
        assert!(quit.bar);
        // j moves up now; Down keeps its other key, ↓.
        assert_eq!(km.action(Context::Atlas, Key::char('j')), Some(Action::Up));
        assert_eq!(
            km.action(Context::Atlas, Key::plain(KeyCode::Down)),
            Some(Action::Down)
        );
        // Other contexts are untouched.
        assert_eq!(
            km.action(Context::Journey, Key::char('j')),
            Some(Action::Down)
        );
        // A new binding with words of its own.
        let km =
            patched(r#"{ Journey: [(keys: ["Ctrl-p"], action: Play, desc: "play", bar: true)] }"#)
                .unwrap();
        assert_eq!(
            km.action(Context::Journey, Key::ctrl('p')),
            Some(Action::Play)
        );
        assert_eq!(km.action(Context::Journey, Key::char(' ')), None);
    }

    #[test]
    fn a_bad_user_keymap_is_a_located_problem_and_the_defaults_stay() {
        let p = patched("{ Global: [(keys: [\"Ctlr-x\"], action: Quit)] }").unwrap_err();
        let shown = p.to_string();
        assert!(shown.contains("keymap.ron:1:"), "{shown}");
        assert!(shown.contains("unknown key 'Ctlr-x'"), "{shown}");
        let p = patched("{\n  Global: [(keys: [\"x\"], action: Quitt)],\n}").unwrap_err();
        let shown = p.to_string();
        assert!(shown.contains("keymap.ron:2:"), "{shown}");
        assert!(shown.contains("Quitt"), "{shown}");
        // Internal actions cannot be bound.
        assert!(patched(r#"{ Global: [(keys: ["x"], action: Tick)] }"#).is_err());
    }
}
