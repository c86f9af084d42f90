//! Writing journeys and the catalogue: one canonical RON layout, through the one atomic writer.
//!
//! A journey is written field by field in the order of the file format (README, "File
//! formats"): each field of the journey and of each step on a line of its own, a step's
//! `obstacles` and `enablers` on one line each, optional fields left out when empty. The same
//! journey gives the same bytes, and a file read and written again is the same journey, so
//! adding one step shows in `git diff` as that step's lines and nothing else. The writer
//! names every field of every type it writes, without `..`, so a field added to the model does
//! not compile until it is written here too; and each text is read back before it is returned,
//! so that nothing is ever written that would not load as what was meant.
//!
//! Comments: RON allows `//` and `/* */`, and a hand-written file may hold them. The layout
//! keeps a file's leading comment block (the lines of comments before the first value, as a
//! catalogue's header); any other comment would be dropped by a write, which
//! [`dropped_comments`] tells before the first write so that the caller can ask first.
//!
//! This module must not decide *whether* to write (the editor and the command line do) and
//! never writes outside the path it is given.

use std::io;
use std::path::{Path, PathBuf};

use ron::ser::PrettyConfig;

use crate::model::merge::{Conflict, merge};
use crate::model::{Evidence, Journey, Place, Provenance, Source, Step, Terrain};
use crate::store::{DataSource, parse};

/// Writes `bytes` to `path` atomically (a temporary file in the same folder, fsynced, renamed
/// over the old one, the folder fsynced). The one place this module reaches the atomic writer.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::store::fs::write_atomic(path, bytes)
}

/// A RON string literal on one line: escaped as Rust's `str::escape_debug` escapes (quotes,
/// backslashes, control and invisible characters, a combining mark only at the start, where it
/// would join the quote), except that an apostrophe stays as it is, as a hand-written file has
/// it. RON reads every one of these escapes back.
fn lit(value: &str) -> String {
    plain_apostrophes(&format!("\"{}\"", value.escape_debug()))
}

/// A RON number, as RON's own serializer writes it (the shortest text that reads back).
fn num(value: f64) -> String {
    // A float always serialises; were it not to, the read-back below refuses the text.
    ron::to_string(&value).unwrap_or_default()
}

fn provenance(p: &Provenance) -> String {
    match p {
        Provenance::Documented => "Documented".to_string(),
        Provenance::Reconstructed(why) => format!("Reconstructed({})", lit(why)),
        Provenance::Hypothetical(why) => format!("Hypothetical({})", lit(why)),
    }
}

fn list(ids: &[String]) -> String {
    let items: Vec<String> = ids.iter().map(|s| lit(s)).collect();
    format!("[{}]", items.join(", "))
}

/// The canonical text of a journey file, ending with a newline. `header` is a leading comment
/// block to keep (see [`leading_comments`]), written before the value as it is.
pub fn journey_text(journey: &Journey, header: &str) -> Result<String, String> {
    let Journey {
        id,
        title,
        theme,
        source,
        provenance: prov,
        place,
        period,
        variant,
        goal,
        outcome,
        steps,
    } = journey;
    let mut out = String::from(header);
    out.push_str("Journey(\n");
    let mut field = |indent: usize, name: &str, value: &str| {
        out.push_str(&" ".repeat(indent));
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str(",\n");
    };
    field(4, "id", &lit(id));
    field(4, "title", &lit(title));
    field(4, "theme", &lit(theme));
    let Source {
        work,
        doi,
        seed,
        licence,
    } = source;
    let mut src = String::from("(\n");
    let mut sub = |name: &str, value: &str| {
        src.push_str(&format!("        {name}: {value},\n"));
    };
    sub("work", &lit(work));
    if let Some(doi) = doi {
        sub("doi", &lit(doi));
    }
    if let Some(seed) = seed {
        sub("seed", &lit(seed));
    }
    if let Some(licence) = licence {
        sub("licence", &lit(licence));
    }
    src.push_str("    )");
    field(4, "source", &src);
    field(4, "provenance", &provenance(prov));
    if let Some(Place { name, inferred }) = place {
        let inferred = match inferred {
            Some(why) => format!("Some({})", lit(why)),
            None => "None".to_string(),
        };
        field(
            4,
            "place",
            &format!("(name: {}, inferred: {inferred})", lit(name)),
        );
    }
    if let Some(period) = period {
        field(4, "period", &lit(period));
    }
    if let Some(variant) = variant {
        field(4, "variant", &lit(variant));
    }
    field(4, "goal", &lit(goal));
    field(4, "outcome", &lit(outcome));
    if steps.is_empty() {
        field(4, "steps", "[]");
    } else {
        let mut text = String::from("[\n");
        for step in steps {
            text.push_str(&step_text(step));
        }
        text.push_str("    ]");
        field(4, "steps", &text);
    }
    out.push_str(")\n");
    // Read back: the text must be the journey, or nothing is written.
    let back: Journey = parse::parse("the canonical text", &out).map_err(|p| p.to_string())?;
    if !same_journey(&back, journey) {
        return Err(format!(
            "journey '{id}' does not read back as written; it is not saved"
        ));
    }
    Ok(out)
}

/// Equality that takes a NaN stride or position as equal to itself, so that a file holding
/// one can still be written (it reads back the same).
fn same_journey(a: &Journey, b: &Journey) -> bool {
    fn norm(j: &Journey) -> Journey {
        let mut j = j.clone();
        for s in &mut j.steps {
            s.stride = s.stride.map(|x| if x.is_nan() { f64::INFINITY } else { x });
            s.at = s.at.map(|(x, y)| {
                let f = |v: f64| if v.is_nan() { f64::INFINITY } else { v };
                (f(x), f(y))
            });
        }
        j
    }
    norm(a) == norm(b)
}

/// One step, as the lines between `steps: [` and `]`.
fn step_text(step: &Step) -> String {
    let Step {
        id,
        kind,
        when,
        title,
        narrative,
        obstacles,
        enablers,
        evidence,
        stride,
        at,
        partial,
        provenance: prov,
    } = step;
    let mut out = String::from("        (\n");
    let mut field = |name: &str, value: &str| {
        out.push_str(&format!("            {name}: {value},\n"));
    };
    field("id", &lit(id));
    field("kind", kind.name());
    if let Some(when) = when {
        field("when", &lit(when));
    }
    field("title", &lit(title));
    field("narrative", &lit(narrative));
    field("obstacles", &list(obstacles));
    field("enablers", &list(enablers));
    if evidence.is_empty() {
        field("evidence", "[]");
    } else {
        let mut text = String::from("[\n");
        for ev in evidence {
            text.push_str(&evidence_text(ev));
        }
        text.push_str("            ]");
        field("evidence", &text);
    }
    if let Some(stride) = stride {
        field("stride", &num(*stride));
    }
    if let Some((x, y)) = at {
        field("at", &format!("({}, {})", num(*x), num(*y)));
    }
    if *partial {
        field("partial", "true");
    }
    if let Some(p) = prov {
        field("provenance", &provenance(p));
    }
    out.push_str("        ),\n");
    out
}

fn evidence_text(ev: &Evidence) -> String {
    let Evidence {
        quote,
        source_text,
        translation,
        locator,
        source,
        span,
    } = ev;
    let mut out = String::from("                (\n");
    let mut field = |name: &str, value: &str| {
        out.push_str(&format!("                    {name}: {value},\n"));
    };
    field("quote", &lit(quote));
    if let Some(text) = source_text {
        field("source_text", &lit(text));
    }
    field("translation", &lit(translation));
    field("locator", &lit(locator));
    if let Some(source) = source {
        field("source", &lit(source));
    }
    if let Some((start, end)) = span {
        field("span", &format!("({start}, {end})"));
    }
    out.push_str("                ),\n");
    out
}

/// The canonical text of a catalogue file, ending with a newline: RON's pretty layout, each
/// field on a line of its own, after `header` (a leading comment block to keep).
pub fn terrain_text(terrain: &Terrain, header: &str) -> Result<String, String> {
    let config = PrettyConfig::new()
        .struct_names(false)
        .indentor("    ")
        .new_line("\n")
        .escape_strings(true)
        .compact_structs(false)
        .compact_arrays(false);
    let body = ron::ser::to_string_pretty(terrain, config).map_err(|e| e.to_string())?;
    let text = format!("{header}Terrain{}\n", plain_apostrophes(&body));
    let back: Terrain = parse::parse("the canonical text", &text).map_err(|p| p.to_string())?;
    if back != *terrain {
        return Err("the catalogue does not read back as written; it is not saved".to_string());
    }
    Ok(text)
}

/// RON's serializer writes an apostrophe in a string as `\'`; a hand-written file has it
/// plain, and both read the same. Outside strings nothing changes.
fn plain_apostrophes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_string = !in_string;
                out.push(c);
            }
            '\\' if in_string => match chars.next() {
                Some('\'') => out.push('\''),
                Some(next) => {
                    out.push(c);
                    out.push(next);
                }
                None => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out
}

/// Where the comments of a RON text are: the byte offset of each `//` or `/*` outside a string.
pub fn comments(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i + 1),
            b'r' if raw_string_start(bytes, i).is_some() => {
                let hashes = raw_string_start(bytes, i).unwrap_or(0);
                i = skip_raw_string(bytes, i + 2 + hashes, hashes);
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                out.push(i);
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                out.push(i);
                // RON's block comments nest.
                let mut depth = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// After the opening quote at `i`, the index just past the closing quote.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// At `r`, the number of `#` of a raw string `r#*"`, if one starts here (and `r` does not end
/// an identifier).
fn raw_string_start(bytes: &[u8], i: usize) -> Option<usize> {
    if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
        return None;
    }
    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
    (bytes.get(i + 1 + hashes) == Some(&b'"')).then_some(hashes)
}

fn skip_raw_string(bytes: &[u8], mut i: usize, hashes: usize) -> usize {
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// The leading comment block of a text: every line up to the first line that holds anything
/// but a `//` comment or blanks. Kept by a write.
pub fn leading_comments(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") {
            end += line.len();
        } else {
            break;
        }
    }
    // Blank lines at the end of the block belong to the layout, not to the comments.
    let block = &text[..end];
    let trimmed = block.trim_end();
    if trimmed.is_empty() {
        ""
    } else {
        &text[..trimmed.len() + 1]
    }
}

/// The lines (1-based) of the comments that a write of `text` would drop: every comment but
/// those of the leading block. Empty when a write loses nothing.
pub fn dropped_comments(text: &str) -> Vec<usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let kept = leading_comments(text).len();
    let mut lines: Vec<usize> = comments(text)
        .into_iter()
        .filter(|&o| o >= kept)
        .map(|o| crate::store::locate::line_col(text, o).0)
        .collect();
    lines.dedup();
    lines
}

/// A sentence for [`dropped_comments`]: `"comments on lines 3, 17 would be dropped"`.
pub fn describe_dropped(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(8).map(usize::to_string).collect();
    let more = if lines.len() > 8 { ", …" } else { "" };
    let word = if lines.len() == 1 {
        "a comment on line"
    } else {
        "comments on lines"
    };
    format!("{word} {}{more} would be dropped", shown.join(", "))
}

/// Writes a journey to `path` in the canonical layout, keeping the leading comments of
/// `old` (the file's text as last read, if any).
pub fn save_journey(path: &Path, journey: &Journey, old: Option<&str>) -> io::Result<Vec<u8>> {
    let header = old.map(leading_comments).unwrap_or("");
    let text = journey_text(journey, header).map_err(io::Error::other)?;
    atomic_write(path, text.as_bytes())?;
    Ok(text.into_bytes())
}

/// Writes a catalogue to `path` in the canonical layout, keeping the leading comments of
/// `old`.
pub fn save_terrain(path: &Path, terrain: &Terrain, old: Option<&str>) -> io::Result<Vec<u8>> {
    let header = old.map(leading_comments).unwrap_or("");
    let text = terrain_text(terrain, header).map_err(io::Error::other)?;
    atomic_write(path, text.as_bytes())?;
    Ok(text.into_bytes())
}

/// The folder a data source's journeys are written to; the bundled journeys are never
/// written.
pub fn journeys_dir(source: &DataSource) -> Result<PathBuf, String> {
    match source {
        DataSource::Bundled => Err(
            "these are the journeys bundled into terreng, which it never writes; make a study \
             with `terreng new DIR` and work in it, or name its folder with --data DIR"
                .to_string(),
        ),
        DataSource::Dir(dir) => Ok(crate::store::journeys_folder(dir)),
    }
}

/// The catalogue file a data source's codebook changes are written to: the one named with
/// `--catalogue`, else the study's own `terrain.ron` (in the journeys folder, or beside it in
/// a study folder). A shared catalogue (`../assets/terrain.ron`) and the bundled one are
/// never written: the error says how to give the study its own.
pub fn catalogue_file(source: &DataSource, asked: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(file) = asked {
        return Ok(file.to_path_buf());
    }
    let DataSource::Dir(dir) = source else {
        return Err(
            "the bundled journeys use the catalogue bundled into terreng, which it never \
             writes; make a study with `terreng new DIR` (it gets a terrain.ron of its own) \
             and work in it, or name its folder with --data DIR"
                .to_string(),
        );
    };
    let own = crate::store::own_catalogues(dir);
    if let Some(found) = own.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    let wanted = own
        .last()
        .cloned()
        .unwrap_or_else(|| dir.join("terrain.ron"));
    Err(format!(
        "{} has no terrain.ron of its own: it uses a shared or the bundled catalogue, which \
         terreng does not write; copy the catalogue to {} (terreng's assets/terrain.ron is the \
         bundled one) and run this again",
        dir.display(),
        wanted.display()
    ))
}

/// Why a journey could not be saved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SaveError {
    /// Reading or writing failed.
    #[error("{0}")]
    Io(String),
    /// The file changed on disk since it was read, and the changes conflict.
    #[error("{path} changed on disk, and the changes conflict: {}", conflict_list(.conflicts))]
    Conflicts {
        path: String,
        conflicts: Vec<Conflict>,
    },
    /// The file changed on disk and does not parse now; it is left as it is.
    #[error("{0}")]
    Broken(String),
}

fn conflict_list(conflicts: &[Conflict]) -> String {
    let items: Vec<String> = conflicts.iter().map(Conflict::to_string).collect();
    items.join("; ")
}

/// What [`save_journey_merged`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written; the file had not changed since it was read.
    Written,
    /// The file had changed on disk; the changes were merged by step id and written.
    Merged,
}

/// Saves `ours` to `path`, never over a change made on disk meanwhile: `base_text` is the file
/// as last read (`None`: a new file) and `base` the journey it held. If the file is still that
/// text, or holds the same journey written otherwise, `ours` is written; if it changed, the
/// two are merged by step id (see [`crate::model::merge`]) and the merge is written, or, on a
/// conflict, nothing is. Returns what was done, the journey as written and the text written
/// (the next base).
pub fn save_journey_merged(
    path: &Path,
    base_text: Option<&str>,
    base: Option<&Journey>,
    ours: &Journey,
) -> Result<(Saved, Journey, String), SaveError> {
    let shown = path.display().to_string();
    let disk = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(SaveError::Io(format!("{shown}: cannot read: {e}"))),
    };
    let unchanged = disk.as_deref() == base_text.map(str::as_bytes);
    let (saved, journey, header) = if unchanged {
        let header = base_text.map(leading_comments).unwrap_or("").to_string();
        (Saved::Written, ours.clone(), header)
    } else {
        let Some(bytes) = disk else {
            return Err(SaveError::Conflicts {
                path: shown,
                conflicts: vec![Conflict {
                    step: None,
                    what: "the file was removed on disk".to_string(),
                }],
            });
        };
        let text = parse::as_text(&shown, &bytes, "Journey")
            .map_err(|p| SaveError::Broken(p.to_string()))?;
        let theirs: Journey =
            parse::parse(&shown, text).map_err(|p| SaveError::Broken(p.to_string()))?;
        // Written anew but holding the same journey (another layout, an editor's save): no
        // change to merge; ours replaces it, keeping its leading comments.
        if base == Some(&theirs) {
            let header = leading_comments(text).to_string();
            return write_journey(path, &shown, Saved::Written, ours.clone(), &header);
        }
        let Some(base) = base else {
            return Err(SaveError::Conflicts {
                path: shown,
                conflicts: vec![Conflict {
                    step: None,
                    what: "a file for this journey was written meanwhile".to_string(),
                }],
            });
        };
        let merged = merge(base, ours, &theirs).map_err(|conflicts| SaveError::Conflicts {
            path: shown.clone(),
            conflicts,
        })?;
        (Saved::Merged, merged, leading_comments(text).to_string())
    };
    write_journey(path, &shown, saved, journey, &header)
}

/// Writes what [`save_journey_merged`] decided, and returns it with the text written.
fn write_journey(
    path: &Path,
    shown: &str,
    saved: Saved,
    journey: Journey,
    header: &str,
) -> Result<(Saved, Journey, String), SaveError> {
    let text = journey_text(&journey, header).map_err(SaveError::Io)?;
    atomic_write(path, text.as_bytes())
        .map_err(|e| SaveError::Io(format!("{shown}: cannot write: {e}")))?;
    Ok((saved, journey, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::bundled;

    fn parse_journey(text: &str) -> Journey {
        parse::parse("test", text).unwrap()
    }

    #[test]
    fn every_bundled_journey_reads_back_the_same() {
        for (name, text) in bundled::journey_texts() {
            let j = parse_journey(text);
            let canonical = journey_text(&j, "").unwrap();
            assert_eq!(parse_journey(&canonical), j, "{name}");
            // Canonical text is a fixed point.
            let again = journey_text(&parse_journey(&canonical), "").unwrap();
            assert_eq!(again, canonical, "{name}");
        }
    }

    #[test]
    fn the_layout_is_the_bundled_files_own() {
        // g06 was written by hand in this layout; the writer gives it back byte for byte.
        let (_, text) = bundled::journey_texts()
            .iter()
            .find(|(n, _)| n.ends_with("g06.ron"))
            .unwrap();
        assert_eq!(journey_text(&parse_journey(text), "").unwrap(), *text);
    }

    #[test]
    fn the_bundled_catalogue_reads_back_with_its_header() {
        let text = bundled::terrain_text();
        let t: Terrain = parse::parse("t", text).unwrap();
        let out = terrain_text(&t, leading_comments(text)).unwrap();
        assert_eq!(parse::parse::<Terrain>("t", &out).unwrap(), t);
        assert!(out.starts_with("// The terrain catalogue of terreng"));
        assert!(dropped_comments(text).is_empty(), "the header is kept");
        let differ = out.lines().zip(text.lines()).find(|(a, b)| a != b);
        assert_eq!(
            differ, None,
            "the bundled catalogue is in the canonical layout"
        );
        assert_eq!(out, text);
    }

    #[test]
    fn comments_are_found_outside_strings_only() {
        let text = "// head\n// more\n\nJourney(\n  id: \"a//b\", /* x /* nested */ y */\n  title: r#\"//\"#, // tail\n)\n";
        let found = comments(text);
        assert_eq!(found.len(), 4);
        assert_eq!(leading_comments(text), "// head\n// more\n");
        assert_eq!(dropped_comments(text), vec![5, 6]);
        assert_eq!(
            describe_dropped(&[5, 6]),
            "comments on lines 5, 6 would be dropped"
        );
        assert!(dropped_comments("Journey(id: \"http://x\")").is_empty());
    }
}
