//! terreng's own key type: what the keymap binds, what actions carry into the editor, and how
//! a key is written in `keymap.ron`, the help and the key bar. The terminal's key events are
//! turned into it at the edge ([`crate::app::terminal`]); nothing else here knows the terminal.
//!
//! In a keymap a key is a string: a character (`"q"`, `"G"`, `"?"`), a named key (`"Enter"`,
//! `"Esc"`, `"Tab"`, `"BackTab"`, `"Backspace"`, `"Delete"`, `"Space"`, `"Up"`, `"Down"`,
//! `"Left"`, `"Right"`, `"Home"`, `"End"`, `"PageUp"`, `"PageDown"`, `"F1"`…`"F12"`), with
//! `"Ctrl-"` or `"Alt-"` in front for a modifier (`"Ctrl-s"`).

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A key, without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

/// A key with its modifiers. Shift is folded into the character for letters and symbols, so
/// `G` is `Char('G')` with no modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

/// The named keys, as written in a keymap.
const NAMED: [(&str, KeyCode); 16] = [
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Space", KeyCode::Char(' ')),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
];

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Whether the key is a character typed without Ctrl or Alt: text, where text is typed.
    pub fn text(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }

    /// A key as a keymap writes it; the error says what would be right.
    pub fn parse(s: &str) -> Result<Key, String> {
        let (ctrl, rest) = match s.strip_prefix("Ctrl-") {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, s),
        };
        let (alt, rest) = match rest.strip_prefix("Alt-") {
            Some(r) if !r.is_empty() => (true, r),
            _ => (false, rest),
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match NAMED.iter().find(|(name, _)| *name == rest) {
                Some((_, code)) => *code,
                None => match rest.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => {
                        return Err(format!(
                            "unknown key '{s}': a character, F1 to F24, or one of {}, with \
                             Ctrl- or Alt- in front for a modifier",
                            NAMED.map(|(n, _)| n).join(", ")
                        ));
                    }
                },
            },
        };
        Ok(Key { code, ctrl, alt })
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
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Insert => "Ins".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::F(n) => format!("F{n}"),
        };
        let alt = if self.alt { "Alt-" } else { "" };
        if self.ctrl {
            format!("Ctrl-{alt}{base}")
        } else {
            format!("{alt}{base}")
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let s = String::deserialize(d)?;
        Key::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_written_as_characters_names_and_modifiers() {
        assert_eq!(Key::parse("q"), Ok(Key::char('q')));
        assert_eq!(Key::parse("G"), Ok(Key::char('G')));
        assert_eq!(Key::parse("ø"), Ok(Key::char('ø')));
        assert_eq!(Key::parse("Space"), Ok(Key::char(' ')));
        assert_eq!(Key::parse("Ctrl-s"), Ok(Key::ctrl('s')));
        assert_eq!(Key::parse("F1"), Ok(Key::plain(KeyCode::F(1))));
        assert_eq!(Key::parse("PageDown"), Ok(Key::plain(KeyCode::PageDown)));
        let alt = Key::parse("Alt-x").unwrap();
        assert!(alt.alt && !alt.ctrl && alt.text().is_none());
        // A lone "-" is the minus key, not a modifier with nothing after it.
        assert_eq!(Key::parse("-"), Ok(Key::char('-')));
        let e = Key::parse("Ctlr-x").unwrap_err();
        assert!(e.starts_with("unknown key 'Ctlr-x'"), "{e}");
        assert!(Key::parse("F99").is_err());
        assert!(Key::parse("").is_err());
        assert_eq!(Key::ctrl('r').label(), "Ctrl-r");
    }
}
