//! Text from files and arguments made harmless for a terminal: [`inert`] turns every control
//! character into a visible stand-in, so that nothing read from a file or typed as an argument
//! reaches the terminal as a command. Here, below every other module, so that the app's
//! drawing and the command line's output use the one function. It must not measure or cut
//! text (that is the UI's `text` module).

use std::borrow::Cow;

/// `s` with every control character replaced by a visible stand-in: C0 controls by their
/// Control Pictures symbol (ESC → `␛`), DEL by `␡`, C1 controls (including CSI and OSC) and
/// bidirectional overrides by `�`. Newlines and tabs become spaces here; callers that keep
/// line structure split on `\n` first.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_replacing) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(replace).collect())
}

fn needs_replacing(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn replace(c: char) -> char {
    match c {
        '\n' | '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('�'),
        '\u{7f}' => '␡',
        c if needs_replacing(c) => '�',
        c => c,
    }
}
