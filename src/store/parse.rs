//! Turning the bytes of one file into a journey or a catalogue, with a located, readable
//! message when that fails.
//!
//! Guards come before the parser: a file that is empty, binary, not UTF-8 or absurdly large is
//! reported as such instead of as a confusing syntax error. RON's own errors are reworded into
//! sentences that say what was expected, with a "did you mean" where a name was misspelt.

use ron::error::{Error as RonError, SpannedError};
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use crate::store::locate::line_col;
use crate::store::problem::Problem;
use crate::store::suggest::did_you_mean;

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The RON options every terreng file is read with: optional values may be written bare.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Checks that `bytes` can be RON text at all, and returns it as `&str`.
pub fn as_text<'a>(path: &str, bytes: &'a [u8], expected: &str) -> Result<&'a str, Problem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Problem::new(
            path,
            None,
            format!(
                "file is {} MiB; files over {} MiB are not read",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let nul = good.iter().position(|&b| b == 0);
        let upto = nul.unwrap_or(good.len());
        let at = std::str::from_utf8(&good[..upto])
            .map(|t| line_col(t, t.len()))
            .ok();
        Problem::new(
            path,
            at,
            if nul.is_some() {
                "binary data (a NUL byte) — expected a RON text file".to_string()
            } else {
                format!(
                    "invalid UTF-8 (byte 0x{:02x}) — save the file as UTF-8",
                    bytes[e.valid_up_to()]
                )
            },
        )
    })?;
    // A NUL is valid UTF-8 but never text; `find` on a char is a fast byte search.
    if let Some(nul) = text.find('\0') {
        return Err(Problem::new(
            path,
            Some(line_col(text, nul)),
            "binary data (a NUL byte) — expected a RON text file",
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Problem::new(
            path,
            Some((1, 1)),
            format!("empty file — expected {expected}(...)"),
        ));
    }
    Ok(text)
}

/// Parses `text` as a `T`, rewording RON's error into a located problem.
pub fn parse<T: DeserializeOwned>(path: &str, text: &str) -> Result<T, Problem> {
    ron_options()
        .from_str(text)
        .map_err(|e| from_ron(path, text, &e))
}

fn from_ron(path: &str, text: &str, e: &SpannedError) -> Problem {
    let mut at = (e.span.start.line, e.span.start.col);
    // RON reports an unexpected end at the end of input; keep it inside the file.
    if at.0 == 0 {
        at = line_col(text, text.len());
    }
    let mut message = describe(&e.code);
    if let Some((line, col)) = open_string_before(text, at) {
        message.push_str(&format!(
            " (the string that starts at {line}:{col} runs over a line end — is its closing '\"' missing?)"
        ));
    }
    Problem::new(path, Some(at), message)
}

/// Where the last string literal before `at` starts, if that string spans a line end — the
/// usual sign of a missing closing quote, which RON reports only further on.
fn open_string_before(text: &str, at: (usize, usize)) -> Option<(usize, usize)> {
    let mut line = 1;
    let mut col = 1;
    let mut in_string: Option<((usize, usize), bool)> = None;
    let mut last: Option<((usize, usize), bool)> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut prev = '\0';
    for c in text.chars() {
        if (line, col) >= at {
            break;
        }
        if comment || (in_string.is_none() && prev == '/' && c == '/') {
            comment = c != '\n';
        }
        prev = c;
        match in_string.as_mut() {
            _ if comment => {}
            Some((_, spans)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    last = in_string.take();
                } else if c == '\n' {
                    *spans = true;
                }
            }
            None if c == '"' => in_string = Some(((line, col), false)),
            None => {}
        }
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    in_string
        .or(last)
        .filter(|&(_, spans)| spans)
        .map(|(start, _)| start)
}

/// A sentence for a RON error: what was expected, and a suggestion where one helps.
pub fn describe(code: &RonError) -> String {
    match code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let within = outer
                .as_deref()
                .map(|o| format!(" in {o}"))
                .unwrap_or_default();
            format!(
                "unknown field '{found}'{within}{} (expected one of: {})",
                did_you_mean(found, expected.iter().copied()),
                expected.join(", ")
            )
        }
        RonError::MissingStructField { field, outer } => {
            let within = outer
                .as_deref()
                .map(|o| format!(" in {o}"))
                .unwrap_or_default();
            format!("missing field '{field}'{within}")
        }
        RonError::DuplicateStructField { field, outer } => {
            let within = outer
                .as_deref()
                .map(|o| format!(" in {o}"))
                .unwrap_or_default();
            format!("field '{field}' given twice{within}")
        }
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let what = match outer.as_deref() {
                Some("StepKind") => "step kind".to_string(),
                Some("Shape") => "shape".to_string(),
                Some("Provenance") => "provenance".to_string(),
                Some(other) => format!("variant of {other}"),
                None => "variant".to_string(),
            };
            format!(
                "unknown {what} '{found}'{} (expected one of: {})",
                did_you_mean(found, expected.iter().copied()),
                expected.join(", ")
            )
        }
        RonError::ExpectedDifferentStructName { expected, found } => {
            format!(
                "expected {expected}(...) but found {found}(...) — is this the right kind of file?"
            )
        }
        RonError::InvalidValueForType { expected, found } => {
            format!("expected {expected}, found {found}")
        }
        RonError::ExpectedDifferentLength { expected, found } => {
            format!("expected {expected}, found {found} elements")
        }
        RonError::Eof => "unexpected end of file — a bracket or quote is not closed".to_string(),
        RonError::ExpectedString => "expected a string in double quotes".to_string(),
        RonError::ExpectedStringEnd => "string not closed — expected a closing '\"'".to_string(),
        RonError::ExpectedComma => "expected ',' between items".to_string(),
        RonError::Message(m) => m.clone(),
        other => lower_first(&other.to_string()),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
