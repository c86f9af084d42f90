//! `terreng check` against the sources: every quote of every journey looked up in its source
//! text, and with `--fix` the spans of the quotes found elsewhere rewritten in place.
//!
//! An evidence entry's text is `sources/<source>.txt` of the study (or `<source>.txt` in
//! another folder named), or for evidence without a `source` its journey's `seed` file in
//! those folders. The passage looked for is `source_text` where the quote repairs OCR damage,
//! else the quote. Nothing is written unless asked, and then only the span text of the
//! evidence concerned, atomically; every other byte of the journey file stays as it was.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::store::locate::{find_key, find_string, line_col, step_offsets};
use crate::store::sources::verify::{Found, How, Prepared, excerpt, thousands};
use crate::store::{DataSource, Dataset, Problem, bundled, journeys_folder};

/// Where source texts are looked for: (the name shown, the folder), in order.
pub type Folders = Vec<(String, PathBuf)>;

/// What checking the quotes found.
#[derive(Debug, Default)]
pub struct Report {
    /// Quotes looked up (their source text was there).
    pub checked: usize,
    pub at_span: usize,
    pub exact: usize,
    pub normalised: usize,
    pub approximate: usize,
    /// Found, but not at the span the evidence gives.
    pub moved: usize,
    pub not_found: usize,
    /// Quotes whose source is not in any folder.
    pub unverified: usize,
    /// The source texts read.
    pub texts: usize,
    /// Quotes not found: errors.
    pub errors: Vec<Problem>,
    /// Quotes moved or only approximately found.
    pub warnings: Vec<Problem>,
    /// Sources referenced but absent, with how many quotes cite them.
    pub absent: BTreeMap<String, usize>,
    /// Span rewrites `--fix` would make, per journey file.
    pub fixes: BTreeMap<PathBuf, Vec<Fix>>,
}

/// One span to write: the evidence's `quote` key at `key` (a byte offset in the file), the
/// quote, and the new span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub key: usize,
    pub quote: String,
    pub had_span: bool,
    pub span: (usize, usize),
}

/// The folders to look in: the study's `sources/` (shown as `sources`), then `extra`.
pub fn folders(source: &DataSource, extra: Option<&Path>) -> Folders {
    let mut out = Vec::new();
    if let Some(root) = source.study_root() {
        let dir = root.join("sources");
        if dir.is_dir() {
            out.push(("sources".to_string(), dir));
        }
    }
    if let Some(extra) = extra {
        out.push((extra.display().to_string(), extra.to_path_buf()));
    }
    out
}

/// The text of each journey file, by journey id: (name shown, path on disk if any, text).
fn journey_files(data: &Dataset) -> HashMap<String, (String, Option<PathBuf>, String)> {
    let mut out = HashMap::new();
    match &data.source {
        DataSource::Bundled => {
            for (name, text) in bundled::journey_texts() {
                let id = name
                    .trim_start_matches("journeys/")
                    .trim_end_matches(".ron");
                out.insert(id.to_string(), (name.to_string(), None, text.to_string()));
            }
        }
        DataSource::Dir(dir) => {
            let folder = journeys_folder(dir);
            for j in &data.journeys {
                let path = folder.join(format!("{}.ron", j.id));
                if let Ok(text) = std::fs::read_to_string(&path) {
                    out.insert(j.id.clone(), (path.display().to_string(), Some(path), text));
                }
            }
        }
    }
    out
}

/// Checks every quote of `data` against the texts in `folders`.
pub fn check(data: &Dataset, folders: &Folders) -> Report {
    let mut report = Report::default();
    if folders.is_empty() {
        return report;
    }
    let files = journey_files(data);
    // Each text read once: by file name, the name shown and the prepared text (None: absent).
    let mut texts: HashMap<String, Option<(String, Prepared)>> = HashMap::new();
    for j in &data.journeys {
        let Some((name, path, text)) = files.get(&j.id) else {
            continue;
        };
        let ids: Vec<&str> = j.steps.iter().map(|s| s.id.as_str()).collect();
        let offsets = step_offsets(text, &ids);
        for (step, &offset) in j.steps.iter().zip(&offsets) {
            let mut from = offset;
            for ev in &step.evidence {
                let key = find_key(text, "quote", from).unwrap_or(from);
                from = key + 1;
                let here = Some(line_col(text, key));
                let file = match (&ev.source, &j.source.seed) {
                    (Some(id), _) => format!("{id}.txt"),
                    (None, Some(seed)) => seed.clone(),
                    (None, None) => continue,
                };
                // Only a plain file name in the folders given: never a path out of them.
                if file.contains(['/', '\\']) || file.starts_with('.') {
                    report.unverified += 1;
                    *report.absent.entry(file).or_default() += 1;
                    continue;
                }
                let entry = texts.entry(file.clone()).or_insert_with(|| {
                    folders.iter().find_map(|(shown, dir)| {
                        let path = dir.join(&file);
                        let raw = std::fs::read(&path).ok()?;
                        let body = String::from_utf8(raw).ok()?;
                        Some((format!("{shown}/{file}"), Prepared::new(&body)))
                    })
                });
                let Some((shown, prepared)) = entry else {
                    report.unverified += 1;
                    *report.absent.entry(file).or_default() += 1;
                    continue;
                };
                report.checked += 1;
                let passage = ev.source_text.as_deref().unwrap_or(&ev.quote);
                let found = prepared.find(passage, ev.span);
                let wants_span = ev.span.is_some() || ev.source.is_some();
                match found {
                    Found::Yes { span, how } => {
                        match how {
                            How::AtSpan => report.at_span += 1,
                            How::Exact => report.exact += 1,
                            How::Normalised => report.normalised += 1,
                            How::Fuzzy(_) => report.approximate += 1,
                        }
                        let moved = ev.span.is_some_and(|old| old != span);
                        let close = match how {
                            How::Fuzzy(score) => format!(" (a close match, {score:.2})"),
                            _ => String::new(),
                        };
                        if moved {
                            report.moved += 1;
                            let (a, b) = ev.span.unwrap_or_default();
                            report.warnings.push(Problem::new(
                                name,
                                here,
                                format!(
                                    "warning: quote moved in {shown}: now at {}–{} (was {}–{}){close}; `terreng check --fix` rewrites the span",
                                    thousands(span.0),
                                    thousands(span.1),
                                    thousands(a),
                                    thousands(b)
                                ),
                            ));
                        } else if let How::Fuzzy(score) = how {
                            report.warnings.push(Problem::new(
                                name,
                                here,
                                format!(
                                    "warning: quote found only approximately in {shown} ({score:.2}) at {}: «{}»",
                                    thousands(span.0),
                                    excerpt(&prepared.slice(span), 80)
                                ),
                            ));
                        }
                        let needs_fix = moved || (ev.span.is_none() && wants_span);
                        if needs_fix && let Some(path) = path {
                            report.fixes.entry(path.clone()).or_default().push(Fix {
                                key,
                                quote: ev.quote.clone(),
                                had_span: ev.span.is_some(),
                                span,
                            });
                        }
                    }
                    Found::No { closest, score } => {
                        report.not_found += 1;
                        report.errors.push(Problem::new(
                            name,
                            here,
                            format!(
                                "quote not found in {shown} — closest: «{}» ({score:.2}) at {}",
                                excerpt(&prepared.slice(closest), 80),
                                thousands(closest.0)
                            ),
                        ));
                    }
                }
            }
        }
    }
    report.texts = texts.values().filter(|t| t.is_some()).count();
    report
}

/// Writes every fix of the report; the number of spans written, per file written.
pub fn apply(fixes: &BTreeMap<PathBuf, Vec<Fix>>) -> std::io::Result<usize> {
    let mut written = 0;
    for (path, list) in fixes {
        let text = std::fs::read_to_string(path)?;
        let new = rewrite(&text, list);
        if new != text {
            super::write_file(path, new.as_bytes())?;
            written += list.len();
        }
    }
    Ok(written)
}

/// The journey text with each fix made: an existing `span: (…)` of the evidence replaced, or
/// a `span:` line added after the quote's line (or before its `quote:` key, where the quote
/// does not end its line).
pub fn rewrite(text: &str, fixes: &[Fix]) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for fix in fixes {
        let (a, b) = fix.span;
        let next_quote = find_key(text, "quote", fix.key + 1).unwrap_or(text.len());
        let existing = find_key(text, "span", fix.key).filter(|&s| s < next_quote);
        if fix.had_span
            && let Some(s) = existing
            && let Some(open) = text[s..].find('(').map(|i| s + i)
            && let Some(close) = text[open..].find(')').map(|i| open + i)
        {
            edits.push((open, close + 1, format!("({a}, {b})")));
            continue;
        }
        // As `find_string` writes the literal: quotes and backslashes escaped.
        let literal_len = fix.quote.replace('\\', "\\\\").replace('"', "\\\"").len() + 2;
        let end_of_line = find_string(text, &fix.quote, fix.key)
            .filter(|&at| at < next_quote)
            .map(|at| at + literal_len)
            .filter(|&end| text[end..].starts_with(",\n") || text[end..].starts_with(",\r\n"))
            .and_then(|end| text[end..].find('\n').map(|i| end + i + 1));
        match end_of_line {
            Some(at) => {
                let line_start = text[..fix.key].rfind('\n').map_or(0, |i| i + 1);
                let indent: String = text[line_start..fix.key]
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .collect();
                edits.push((at, at, format!("{indent}span: ({a}, {b}),\n")));
            }
            None => edits.push((fix.key, fix.key, format!("span: ({a}, {b}), "))),
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (from, to, with) in edits {
        out.replace_range(from..to, &with);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_is_rewritten_or_added_and_nothing_else_changes() {
        let text = "(\n    evidence: [\n        (\n            quote: \"a b\",\n            translation: \"x\",\n            span: (1, 2),\n        ),\n        (\n            quote: \"c d\",\n            translation: \"y\",\n        ),\n        (quote: \"e\", translation: \"z\"),\n    ],\n)\n";
        let key = |n: usize| {
            let mut at = 0;
            for _ in 0..=n {
                at = find_key(text, "quote", at).unwrap() + 1;
            }
            at - 1
        };
        let fixes = vec![
            Fix {
                key: key(0),
                quote: "a b".into(),
                had_span: true,
                span: (10, 13),
            },
            Fix {
                key: key(1),
                quote: "c d".into(),
                had_span: false,
                span: (20, 23),
            },
            Fix {
                key: key(2),
                quote: "e".into(),
                had_span: false,
                span: (30, 31),
            },
        ];
        let out = rewrite(text, &fixes);
        let want = "(\n    evidence: [\n        (\n            quote: \"a b\",\n            translation: \"x\",\n            span: (10, 13),\n        ),\n        (\n            quote: \"c d\",\n            span: (20, 23),\n            translation: \"y\",\n        ),\n        (span: (30, 31), quote: \"e\", translation: \"z\"),\n    ],\n)\n";
        assert_eq!(out, want);
    }
}
