//! The note editor: a multi-line text area and a code picker over the catalogue.
//!
//! Pure state, driven by `update`: key events go to the text area or the picker, and nothing
//! here touches the terminal or the disk. Saving is the store's job, on Ctrl-S.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
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
    /// The codes the step itself carries (its obstacles and enablers): offered first.
    step_codes: Vec<String>,
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
            step_codes: Vec::new(),
            matches: Vec::new(),
            confirm_discard: false,
        };
        e.rematch();
        e
    }

    /// Offers the step's own codes first (after those chosen already).
    pub fn with_step_codes(mut self, codes: Vec<String>) -> Editor {
        self.step_codes = codes;
        self.rematch();
        self
    }

    /// Whether a code is one the step itself carries.
    pub fn on_step(&self, id: &str) -> bool {
        self.step_codes.iter().any(|c| c == id)
    }

    /// Whether a search is typed in the picker.
    pub fn searching(&self) -> bool {
        !self.query.trim().is_empty()
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

    /// Recomputes the matches for the query: fuzzy over the id and both labels, each word of
    /// the query anywhere in one of them; an empty query lists the chosen codes first (in the
    /// order chosen), then the step's own codes, then the rest of the catalogue in order.
    fn rematch(&mut self) {
        let q = self.query.trim();
        if q.is_empty() {
            let rank = |c: &CodeChoice| {
                let at = |list: &[String]| list.iter().position(|x| *x == c.id);
                match (at(&self.codes), at(&self.step_codes)) {
                    (Some(i), _) => (0, i),
                    (None, Some(i)) => (1, i),
                    (None, None) => (2, 0),
                }
            };
            let mut all: Vec<usize> = (0..self.choices.len()).collect();
            all.sort_by_key(|&i| rank(&self.choices[i]));
            self.matches = all;
        } else {
            // nucleo-matcher: a fuzzy atom per word, case ignored, "o" also finding "ø"…
            let mut matcher = Matcher::new(Config::DEFAULT);
            let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
            let mut buf = Vec::new();
            let mut scored: Vec<(u32, usize)> = self
                .choices
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    [&c.id, &c.en, &c.no]
                        .iter()
                        .filter_map(|s| pattern.score(Utf32Str::new(s, &mut buf), &mut matcher))
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

    /// Space in the picker: choose or unchoose the code under the cursor; while a search is
    /// typed, a space in it (labels have several words).
    pub fn space(&mut self) -> bool {
        if self.searching() {
            self.query.push(' ');
            return true;
        }
        self.toggle()
    }

    /// Enter in the picker after a search: choose (or unchoose) the code found, and clear the
    /// search for the next one. False when no search is typed (Enter then saves).
    pub fn choose_found(&mut self) -> bool {
        if !self.searching() {
            return false;
        }
        self.toggle();
        self.query.clear();
        self.cursor = 0;
        self.rematch();
        true
    }

    /// Tab: between the text and the codes; from the picker alone (`c`), to the text, which
    /// opens below the note's codes.
    pub fn switch_focus(&mut self) -> bool {
        if self.codes_only {
            self.codes_only = false;
            self.focus = EditorFocus::Text;
            return true;
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
            KeyCode::Char(' ') => self.space(),
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
        assert!(e.choose_found());
        assert_eq!(e.codes, ["tacit_resistance"]);
        for c in "timescar".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        assert_eq!(e.matches().next().unwrap().id, "time_scarcity");
        // Enter after a search chooses the code found and clears the search.
        assert!(e.choose_found());
        assert_eq!(e.codes, ["tacit_resistance", "time_scarcity"]);
        assert!(e.query.is_empty());
        assert!(!e.choose_found(), "with no search, Enter is not a choice");
        // The chosen codes come first; Space on one unchooses it.
        assert_eq!(e.matches().next().unwrap().id, "tacit_resistance");
        e.key(key(KeyCode::Char(' ')));
        assert_eq!(e.codes, ["time_scarcity"]);
        assert!(e.changed());
    }

    #[test]
    fn a_space_in_a_search_is_part_of_it_so_two_word_labels_can_be_found() {
        let t = bundled::terrain();
        let mut e = Editor::new("g06", "s06", None, &t, true);
        for c in "time sca".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        assert_eq!(e.query, "time sca");
        assert!(e.codes.is_empty(), "the space chose nothing");
        assert_eq!(e.matches().next().unwrap().id, "time_scarcity");
        // Words match in any order.
        e.query.clear();
        for c in "vegg fjell".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        assert_eq!(e.matches().next().unwrap().id, "tacit_resistance");
    }

    #[test]
    fn the_steps_own_codes_come_first_after_the_chosen_ones() {
        let t = bundled::terrain();
        let own = vec!["turf_defence".to_string(), "shared_arena".to_string()];
        let note = Note::new("s06", vec!["time_scarcity".into()], String::new());
        let e = Editor::new("g06", "s06", Some(note), &t, true).with_step_codes(own);
        let first: Vec<&str> = e.matches().take(3).map(|c| c.id.as_str()).collect();
        assert_eq!(first, ["time_scarcity", "turf_defence", "shared_arena"]);
        assert!(e.on_step("turf_defence") && !e.on_step("time_scarcity"));
    }

    #[test]
    fn tab_from_the_picker_alone_opens_the_text() {
        let t = bundled::terrain();
        let mut e = Editor::new("g06", "s06", None, &t, true);
        assert_eq!(e.focus, EditorFocus::Codes);
        assert!(e.switch_focus());
        assert_eq!(e.focus, EditorFocus::Text);
        assert!(!e.codes_only);
        e.key(key(KeyCode::Char('x')));
        assert_eq!(e.text(), "x");
        assert!(e.switch_focus());
        assert_eq!(e.focus, EditorFocus::Codes);
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
