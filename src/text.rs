//! Text from files and arguments made harmless for a terminal, and for the files terreng
//! writes: the one neutralising function every command, error message and screen uses.
//!
//! [`inert`] turns every control character (C0, DEL, C1 including CSI U+009B and OSC U+009D)
//! and every bidirectional control into a visible stand-in, so that nothing from a file or an
//! argument reaches a terminal as a command, and a CR or LF in an id cannot start a line.
//! [`escape_controls`] writes the same characters as visible `\u{..}` escapes, for the
//! exports that keep text faithfully; [`json_controls`] escapes what `serde_json` leaves raw.
//! This module must not know about widths, styles or the terminal itself. [`plural`] counts
//! in words ("1 note", "3 notes") for every message and screen.

use std::borrow::Cow;

/// `s` with every control character replaced by a visible stand-in: C0 controls by their
/// Control Pictures symbol (ESC → `␛`), DEL by `␡`, C1 controls (including CSI and OSC) and
/// bidirectional controls (embeddings, overrides, isolates and the marks U+200E, U+200F,
/// U+061C) by `�`. Newlines and tabs become spaces here; callers that keep
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

pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
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

/// `s` with every control character but LF and TAB, and every bidirectional control, written
/// as a visible escape `\u{1b}`, for exports that keep the text: nothing in the result is a
/// control sequence, and the escape says exactly which character stood there.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the characters `serde_json` leaves raw inside strings — DEL, the C1 controls
/// (U+009B is CSI to a terminal) and the bidirectional controls — written as `\uXXXX`. Valid
/// JSON in, the same JSON value out: such characters only ever occur inside strings.
pub fn json_controls(json: String) -> String {
    let bad = |c: char| c.is_control() || is_bidi_control(c);
    if !json.chars().any(bad) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // serde_json has already escaped C0 inside strings; outside them only LF and spaces.
        if bad(c) && !matches!(c, '\n' | '\t' | '\r') {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A writer that passes text through [`inert`] but keeps its line breaks and tabs: the
/// command line's standard output and error go through it, so that nothing a command prints —
/// a name from a file, an argument quoted in an error — can reach the terminal as a control
/// sequence. (A line break inside a quoted name is made inert where the name is formatted.)
pub struct InertWriter<W: std::io::Write> {
    inner: W,
    /// The start of a UTF-8 character cut off at the end of the last write.
    partial: Vec<u8>,
}

impl<W: std::io::Write> InertWriter<W> {
    pub fn new(inner: W) -> InertWriter<W> {
        InertWriter {
            inner,
            partial: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for InertWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.partial.extend_from_slice(buf);
        let (text, rest) = match std::str::from_utf8(&self.partial) {
            Ok(t) => (t.to_string(), Vec::new()),
            // An incomplete character at the end waits for the next write.
            Err(e) if e.error_len().is_none() => {
                let (good, rest) = self.partial.split_at(e.valid_up_to());
                (String::from_utf8_lossy(good).into_owned(), rest.to_vec())
            }
            Err(_) => (
                String::from_utf8_lossy(&self.partial).into_owned(),
                Vec::new(),
            ),
        };
        self.partial = rest;
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| {
                line.split('\t')
                    .map(|part| inert(part).into_owned())
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect();
        self.inner.write_all(lines.join("\n").as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.partial.is_empty() {
            let rest = String::from_utf8_lossy(&std::mem::take(&mut self.partial)).into_owned();
            self.inner.write_all(inert(&rest).as_bytes())?;
        }
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for InertWriter<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

/// A count with its noun: "1 note", "3 notes", "0 notes".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_and_bidi_mark_becomes_visible() {
        assert_eq!(inert("csi\u{9b}31m"), "csi�31m");
        assert_eq!(inert("osc\u{1b}]52;c;eA==\u{7}"), "osc␛]52;c;eA==␇");
        for mark in ['\u{200e}', '\u{200f}', '\u{061c}', '\u{202e}', '\u{2066}'] {
            assert_eq!(inert(&format!("a{mark}b")), "a�b", "{mark:?}");
        }
        assert_eq!(inert("id\r\nforged"), "id␍ forged");
    }

    #[test]
    fn exports_get_visible_escapes_and_keep_lines() {
        assert_eq!(escape_controls("a\u{1b}[2Jb\nc\td"), "a\\u{1b}[2Jb\nc\td");
        assert_eq!(escape_controls("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert!(matches!(escape_controls("Ærlig"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_command_line_writer_keeps_lines_and_drops_sequences() {
        use std::io::Write;
        let mut out = Vec::new();
        {
            let mut w = InertWriter::new(&mut out);
            write!(w, "a\u{1b}]52;c;x\u{7}\tb\r\nø").unwrap();
            // A character cut in two between writes.
            w.write_all(&"æ".as_bytes()[..1]).unwrap();
            w.write_all(&"æ".as_bytes()[1..]).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "a␛]52;c;x␇\tb␍\nøæ");
    }

    #[test]
    fn json_keeps_its_value_and_loses_raw_c1() {
        let v = serde_json::json!({"id": "a\u{9b}b\u{200f}", "n": [1]});
        let text = json_controls(serde_json::to_string_pretty(&v).unwrap());
        assert!(text.contains("a\\u009bb\\u200f"), "{text}");
        assert!(!text.chars().any(|c| c == '\u{9b}' || c == '\u{200f}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
