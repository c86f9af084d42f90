//! The note editor: a multi-line text area and a code picker over the catalogue.
//!
//! Pure state, driven by `update`: key events go to the text area or the picker, and nothing
//! here touches the terminal or the disk. Saving is the store's job, on Ctrl-S.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui_textarea::{CursorMove, Input, TextArea, WrapMode};

use crate::app::key::{Key, KeyCode};

use crate::model::{Note, Terrain};

/// Which half of the editor takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorFocus {
    Text,
    Codes,
}

/// One catalogue entry the picker can offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChoice {
    pub id: String,
    pub en: String,
    pub no: String,
    pub glyph: String,
    pub ascii: String,
    pub obstacle: bool,
}

/// The editor's state.
pub struct Editor {
    /// The journey and step the note is on.
    pub journey: String,
    pub step: String,
    /// The note being edited; `None` for a new note.
    pub editing: Option<Note>,
    pub text: TextArea<'static>,
    pub focus: EditorFocus,
    /// Whether the text area is shown at all (`c` opens the picker alone).
    pub codes_only: bool,
    /// The codes chosen, in the order chosen.
    pub codes: Vec<String>,
    /// What is typed in the picker's search line.
    pub query: String,
    /// Index into [`Editor::matches`].
    pub cursor: usize,
    /// Every code the catalogue offers.
    choices: Vec<CodeChoice>,
    /// The choices that match the query, best first (indices into `choices`).
    matches: Vec<usize>,
    /// Esc was pressed once with changes that would be lost; a second Esc discards them.
    pub confirm_discard: bool,
}

impl Editor {
    /// An editor for a new note on a step, or for an existing note.
    pub fn new(
        journey: &str,
        step: &str,
        editing: Option<Note>,
        terrain: &Terrain,
        codes_only: bool,
    ) -> Editor {
        let lines: Vec<String> = editing
            .as_ref()
            .map(|n| n.text.lines().map(str::to_string).collect())
            .unwrap_or_default();
        let mut text = TextArea::new(lines);
        text.set_wrap_mode(WrapMode::WordOrGlyph);
        text.set_placeholder_text("Write the note here…");
        // Editing goes on where the text ends, as in any editor.
        text.move_cursor(CursorMove::Bottom);
        text.move_cursor(CursorMove::End);
        let choices: Vec<CodeChoice> = terrain
            .obstacles
            .iter()
            .map(|f| (f, true))
            .chain(terrain.enablers.iter().map(|f| (f, false)))
            .map(|(f, obstacle)| CodeChoice {
                id: f.id.clone(),
                en: f.en.clone(),
                no: f.no.clone(),
                glyph: crate::ui::glyphs::feature(f, false).to_string(),
                ascii: crate::ui::glyphs::feature(f, true).to_string(),
                obstacle,
            })
            .collect();
        let codes = editing
            .as_ref()
            .map(|n| n.codes.clone())
            .unwrap_or_default();
        let mut e = Editor {
            journey: journey.to_string(),
            step: step.to_string(),
            editing,
            text,
            focus: if codes_only {
                EditorFocus::Codes
            } else {
                EditorFocus::Text
            },
            codes_only,
            codes,
            query: String::new(),
            cursor: 0,
            choices,
            matches: Vec::new(),
            confirm_discard: false,
        };
        e.rematch();
        e
    }

    /// The note's text as typed.
    pub fn text(&self) -> String {
        self.text.lines().join("\n")
    }

    /// Whether leaving now would lose something typed or chosen.
    pub fn changed(&self) -> bool {
        match &self.editing {
            Some(n) => n.text != self.text() || n.codes != self.codes,
            None => !self.text().trim().is_empty() || !self.codes.is_empty(),
        }
    }

    /// The choices matching the query, best first.
    pub fn matches(&self) -> impl Iterator<Item = &CodeChoice> {
        self.matches.iter().map(|&i| &self.choices[i])
    }

    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    /// The catalogue entry of a code, for showing chosen codes with their labels.
    pub fn choice(&self, id: &str) -> Option<&CodeChoice> {
        self.choices.iter().find(|c| c.id == id)
    }

    /// Recomputes the matches for the query: fuzzy over the id and both labels; an empty
    /// query lists the chosen codes first, then the catalogue in order.
    fn rematch(&mut self) {
        let q = self.query.trim();
        if q.is_empty() {
            let chosen = |c: &CodeChoice| self.codes.contains(&c.id);
            let mut all: Vec<usize> = (0..self.choices.len()).collect();
            all.sort_by_key(|&i| !chosen(&self.choices[i]));
            self.matches = all;
        } else {
            // nucleo-matcher: one fuzzy atom, case ignored, "o" also finding "ø" and "å"…
            let mut matcher = Matcher::new(Config::DEFAULT);
            let atom = Atom::new(
                q,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
                false,
            );
            let mut buf = Vec::new();
            let mut scored: Vec<(u16, usize)> = self
                .choices
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    [&c.id, &c.en, &c.no]
                        .iter()
                        .filter_map(|s| atom.score(Utf32Str::new(s, &mut buf), &mut matcher))
                        .max()
                        .map(|score| (score, i))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.matches = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.cursor = self.cursor.min(self.matches.len().saturating_sub(1));
    }

    /// Whether the picker offers to make a code of the search, below its matches: the search
    /// is not empty and no code is called so (by id or either label, case aside).
    pub fn offers_new(&self) -> bool {
        let q = self.query.trim().to_lowercase();
        self.focus == EditorFocus::Codes
            && !q.is_empty()
            && !self
                .choices
                .iter()
                .any(|c| [&c.id, &c.en, &c.no].iter().any(|s| s.to_lowercase() == q))
    }

    /// The offer under the cursor, past the matches: 0 a new obstacle, 1 a new enabler.
    pub fn offer_at(&self) -> Option<usize> {
        if !self.offers_new() {
            return None;
        }
        self.cursor
            .checked_sub(self.matches.len())
            .filter(|&k| k < 2)
    }

    /// A code made from the search: offered from now on, chosen, and the search cleared.
    pub fn add_code(&mut self, choice: CodeChoice) {
        if !self.codes.contains(&choice.id) {
            self.codes.push(choice.id.clone());
        }
        self.choices.push(choice);
        self.query.clear();
        self.cursor = 0;
        self.rematch();
    }

    /// Codes no longer in the catalogue (a code made here and taken back) are neither offered
    /// nor chosen.
    pub fn forget_unknown(&mut self, terrain: &Terrain) {
        self.choices.retain(|c| terrain.known(&c.id));
        self.codes.retain(|c| terrain.known(c));
        self.rematch();
    }

    /// Space in the picker: choose the code under the cursor, or unchoose it.
    pub fn toggle(&mut self) -> bool {
        let Some(&i) = self.matches.get(self.cursor) else {
            return false;
        };
        let id = self.choices[i].id.clone();
        if let Some(pos) = self.codes.iter().position(|c| *c == id) {
            self.codes.remove(pos);
        } else {
            self.codes.push(id);
        }
        true
    }

    /// Tab: between the text and the codes (the picker alone has nowhere to go).
    pub fn switch_focus(&mut self) -> bool {
        if self.codes_only {
            return false;
        }
        self.focus = match self.focus {
            EditorFocus::Text => EditorFocus::Codes,
            EditorFocus::Codes => EditorFocus::Text,
        };
        true
    }

    /// A key that is not one of the editor's own commands: text for the text area, or search
    /// and movement for the picker.
    pub fn key(&mut self, key: Key) -> bool {
        self.confirm_discard = false;
        match self.focus {
            EditorFocus::Text => self.text.input(text_input(key)),
            EditorFocus::Codes => self.picker_key(key),
        }
    }

    fn picker_key(&mut self, key: Key) -> bool {
        let n = self.matches.len();
        match key.code {
            KeyCode::Down => {
                self.cursor = (self.cursor + 1).min(n.saturating_sub(1));
                true
            }
            KeyCode::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                true
            }
            KeyCode::PageDown => {
                self.cursor = (self.cursor + 10).min(n.saturating_sub(1));
                true
            }
            KeyCode::PageUp => {
                self.cursor = self.cursor.saturating_sub(10);
                true
            }
            KeyCode::Char(' ') => self.toggle(),
            KeyCode::Enter => self.toggle(),
            KeyCode::Backspace => {
                let popped = self.query.pop().is_some();
                if popped {
                    self.cursor = 0;
                    self.rematch();
                }
                popped
            }
            KeyCode::Char(c) if !key.ctrl && !key.alt => {
                self.query.push(c);
                self.cursor = 0;
                self.rematch();
                true
            }
            _ => false,
        }
    }

    /// Text pasted into the editor: into the text area (control characters other than line
    /// breaks and tabs dropped), or into the picker's search line.
    pub fn paste(&mut self, pasted: &str) -> bool {
        self.confirm_discard = false;
        match self.focus {
            EditorFocus::Text => {
                let clean: String = pasted
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .chars()
                    .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                    .collect();
                self.text.insert_str(clean)
            }
            EditorFocus::Codes => {
                self.query
                    .extend(pasted.chars().filter(|c| !c.is_control()));
                self.cursor = 0;
                self.rematch();
                true
            }
        }
    }
}

/// A key as the text area takes it (the forms' fields take it so too).
pub(crate) fn text_input(key: Key) -> Input {
    use ratatui_textarea::Key as K;
    let key_code = match key.code {
        KeyCode::Char(c) => K::Char(c),
        KeyCode::Enter => K::Enter,
        KeyCode::Esc => K::Esc,
        KeyCode::Tab | KeyCode::BackTab => K::Tab,
        KeyCode::Backspace => K::Backspace,
        KeyCode::Delete => K::Delete,
        KeyCode::Left => K::Left,
        KeyCode::Right => K::Right,
        KeyCode::Up => K::Up,
        KeyCode::Down => K::Down,
        KeyCode::Home => K::Home,
        KeyCode::End => K::End,
        KeyCode::PageUp => K::PageUp,
        KeyCode::PageDown => K::PageDown,
        KeyCode::F(n) => K::F(n),
        KeyCode::Insert => K::Null,
    };
    Input {
        key: key_code,
        ctrl: key.ctrl,
        alt: key.alt,
        shift: key.code == KeyCode::BackTab,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::bundled;

    fn key(code: KeyCode) -> Key {
        Key::plain(code)
    }

    #[test]
    fn the_picker_finds_codes_by_either_language_and_toggles_them() {
        let t = bundled::terrain();
        let mut e = Editor::new("g06", "s06", None, &t, false);
        assert!(!e.changed());
        e.switch_focus();
        for c in "fjellvegg".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        assert_eq!(e.matches().next().unwrap().id, "tacit_resistance");
        e.key(key(KeyCode::Char(' ')));
        assert_eq!(e.codes, ["tacit_resistance"]);
        for _ in 0.."fjellvegg".len() {
            e.key(key(KeyCode::Backspace));
        }
        for c in "timescar".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        assert_eq!(e.matches().next().unwrap().id, "time_scarcity");
        e.key(key(KeyCode::Enter));
        assert_eq!(e.codes, ["tacit_resistance", "time_scarcity"]);
        // Toggling again unchooses.
        e.key(key(KeyCode::Char(' ')));
        assert_eq!(e.codes, ["tacit_resistance"]);
        assert!(e.changed());
    }

    #[test]
    fn text_takes_keys_and_pastes_without_control_characters() {
        let t = bundled::terrain();
        let mut e = Editor::new("g06", "s06", None, &t, false);
        for c in "Høflig".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        e.key(key(KeyCode::Enter));
        e.paste("motstand\u{1b}[31m\r\nlinje");
        assert_eq!(e.text(), "Høflig\nmotstand[31m\nlinje");
    }

    #[test]
    fn an_edit_starts_from_the_note_and_knows_when_it_changed() {
        let t = bundled::terrain();
        let note = Note::new("s06", vec!["tacit_resistance".into()], "a\nb".into());
        let mut e = Editor::new("g06", "s06", Some(note), &t, false);
        assert_eq!(e.text(), "a\nb");
        assert_eq!(e.codes, ["tacit_resistance"]);
        assert!(!e.changed());
        e.key(key(KeyCode::Char('c')));
        assert!(e.changed());
    }
}
