//! The Markdown report: what a reader of a paper's appendix or a project wiki wants to see —
//! the terrain common to the journeys, then per theme its progress summary and its terrain ×
//! journey matrix, followed by each of its journeys: metadata, steps in order with their kind,
//! narrative, terrain and evidence, and every analyst's notes and codes.
//!
//! It renders on GitHub and through pandoc: only CommonMark with pipe tables, no raw HTML of
//! our own. Every string from a file goes through [`inline`] (or [`cell`] in a table), which
//! escapes what Markdown, HTML and pandoc's extensions would read as structure, so that no
//! journey or note can add a heading, a list, a table column or a tag.

use std::fmt::Write as _;

use super::{NoteIn, Scope, step_number};
use crate::analysis::compare::{self, CodeSource};
use crate::model::{FeatureClass, Journey, Terrain, layout};
use crate::text::plural;

/// Escapes text for a paragraph: markup characters are backslash-escaped, `<`, `>` and `&`
/// become entities, and a line break becomes a hard break (`\` at the end of the line), so
/// that no line of the text can start a block of its own.
pub fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Lines are cut at a line feed or a carriage return: a `\r\n` leaves an empty line
    // between, and empty lines are dropped.
    let lines = s.trim_start_matches('\u{feff}').split(['\n', '\r']);
    for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str("\\\n");
        }
        escape_line_into(&mut out, line);
    }
    out
}

/// Escapes text of several paragraphs: a blank line (or several) in the text stays one blank
/// line between paragraphs, each escaped as [`inline`]. The paragraphs are joined with `\n\n`;
/// to keep them inside a list item, indent the lines that follow.
pub fn paragraphs(s: &str) -> String {
    let text = super::lf(s);
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(inline(&current.join("\n")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(inline(&current.join("\n")));
    }
    out.join("\n\n")
}

/// Escapes text for a table cell: as [`inline`], with line breaks as spaces.
pub fn cell(s: &str) -> String {
    let one_line: Vec<&str> = s.split(['\n', '\r']).map(str::trim).collect();
    let text = one_line.join(" ");
    if text.trim().is_empty() {
        return " ".to_string();
    }
    escape_line(text.trim())
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    escape_line_into(&mut out, line);
    out
}

/// The bytes of UTF-8 [`escape_line_into`] copies without looking closer: ASCII that is not
/// markup or a control character, and every byte of other characters but the first bytes of
/// those that can be a control or a bidi control (U+0080–U+009F, U+061C, U+200E… U+2069).
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'&' | b'<' | b'>' | b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'#' | b'|' | b'~'
            | b'$' | b'@' | b'^' | b'!' | 0x7f => false,
            0xc2 | 0xd8 | 0xe2 => false,
            c => c >= 0x20,
        };
        b += 1;
    }
    table
};

/// Appends one line escaped: runs of characters that need nothing (most of any text) are
/// copied whole.
fn escape_line_into(out: &mut String, line: &str) {
    let start = out.len();
    let bytes = line.as_bytes();
    // The part of `line` not yet copied starts here.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if PLAIN[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        // Not plain, so a character starts here: ASCII, or the first byte of one.
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        let instead: std::borrow::Cow<str> = match c {
            // Only an ampersand that could start an entity needs escaping.
            '&' if bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'#') =>
            {
                "&amp;".into()
            }
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '$' | '@' | '^' | '!' => {
                // A backslash before it, and the character itself copied with what follows.
                out.push_str(&line[copied..i]);
                out.push('\\');
                copied = i;
                i += 1;
                continue;
            }
            '\t' | '\n' | '\r' => " ".into(),
            // Kept, but as a visible escape: no control sequence or bidi override survives.
            c if c.is_control() || crate::text::is_bidi_control(c) => {
                crate::text::escape_controls(&c.to_string())
                    .into_owned()
                    .into()
            }
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&line[copied..i]);
        out.push_str(&instead);
        i += c.len_utf8();
        copied = i;
    }
    out.push_str(&line[copied..]);
    // What would start a block at the beginning of a line: a list item, a thematic break, a
    // setext underline, an ordered list item.
    if out[start..].starts_with(['-', '+', '=']) {
        out.insert(start, '\\');
    }
    let digits = out[start..].bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && out[start + digits..].starts_with(['.', ')']) {
        out.insert(start + digits, '\\');
    }
}

/// An id in code font where that is safe, else escaped text.
fn code(s: &str) -> String {
    if s.is_empty() || s.contains(['`', '|', '\n', '\r']) {
        inline(s)
    } else {
        format!("`{s}`")
    }
}

/// Text for a link destination: everything but unreserved characters and `/` and `:`
/// percent-encoded, so that no `)`, space or `<` ends the link early.
fn url_path(s: &str) -> String {
    let mut out = String::new();
    for b in s.trim().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:;".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A code's English label with its id: "Cliff wall (silent resistance) (`tacit_resistance`)".
fn named(terrain: &Terrain, id: &str) -> String {
    match terrain.feature(id) {
        Some((_, f)) => format!("{} ({})", inline(&f.en), code(id)),
        None => format!("{} (not in the catalogue)", code(id)),
    }
}

/// The whole report, written to `w` as it is made: each journey's section is written when it
/// is done, so the whole report is never held in memory at once.
pub fn report_to(
    scope: &Scope,
    progress: &mut dyn FnMut(usize, usize),
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let data = scope.data;
    let mut out = String::new();
    let total = scope.journeys.len();
    let _ = writeln!(out, "# Journeys across the terrain\n");
    let notes = match scope.analysts.len() {
        0 => "no analysts' notes".to_string(),
        n => format!(
            "{} notes by {n} analyst{} ({})",
            scope.notes.len(),
            if n == 1 { "" } else { "s" },
            scope
                .analysts
                .iter()
                .map(|a| inline(a))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = writeln!(
        out,
        "Exported by terreng {} from {}: {}, {}; {notes}. Counts of terrain are steps, with \
         the codes of the journey files and of the analysts' notes together.\n",
        env!("CARGO_PKG_VERSION"),
        inline(&data.source.describe()),
        plural(total, "journey", "journeys"),
        plural(scope.step_count(), "step", "steps"),
    );

    let coded = scope.coded(CodeSource::Both);
    let order = scope.code_order();
    common_terrain(&mut out, scope, &coded, &order);

    let mut themes: Vec<&str> = Vec::new();
    for j in &scope.journeys {
        if !themes.contains(&j.theme.as_str()) {
            themes.push(&j.theme);
        }
    }
    let mut done = 0;
    for theme in themes {
        let members: Vec<usize> = (0..scope.journeys.len())
            .filter(|&i| scope.journeys[i].theme == theme)
            .collect();
        theme_section(&mut out, scope, theme, &members, &coded, &order);
        for &i in &members {
            progress(done, total);
            journey_section(&mut out, scope, scope.journeys[i]);
            w.write_all(out.as_bytes())?;
            out.clear();
            done += 1;
        }
    }
    w.write_all(out.as_bytes())?;
    progress(total, total);
    Ok(())
}

fn common_terrain(out: &mut String, scope: &Scope, coded: &[compare::Coded], order: &[&str]) {
    let terrain = &scope.data.terrain;
    let _ = writeln!(out, "## The common terrain\n");
    let common = compare::common(coded, order);
    if common.is_empty() {
        let _ = writeln!(
            out,
            "No obstacle or enabler is met by every one of the {} journeys.\n",
            coded.len()
        );
        return;
    }
    let _ = match coded.len() {
        1 => writeln!(out, "Met by the one journey in this report:\n"),
        n => writeln!(out, "Met by every one of the {n} journeys:\n"),
    };
    for id in &common {
        let no = terrain
            .feature(id)
            .map(|(class, f)| {
                let class = match class {
                    FeatureClass::Obstacle => "obstacle",
                    FeatureClass::Enabler => "enabler",
                };
                let origin = f.origin.describe().map(|o| format!(" {}", inline(&o)));
                format!(
                    " — {class}; *{}*{}",
                    inline(&f.no),
                    origin.unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let _ = writeln!(out, "- {}{no}", named(terrain, id));
    }
    out.push('\n');
}

fn theme_section(
    out: &mut String,
    scope: &Scope,
    theme: &str,
    members: &[usize],
    coded: &[compare::Coded],
    order: &[&str],
) {
    let terrain = &scope.data.terrain;
    match terrain.theme(theme) {
        Some(t) => {
            let _ = writeln!(out, "## Theme: {}\n", inline(&t.en));
            let [label, image] = [&t.origin, &t.image_origin].map(|o| {
                o.describe()
                    .map(|o| format!(" {}", inline(&o)))
                    .unwrap_or_default()
            });
            let (no, id) = (inline(&t.no), code(theme));
            let _ = writeln!(out, "*{no}*{label} — theme {id}\n");
            let _ = writeln!(out, "> {}{image}\n", inline(&t.image));
        }
        None => {
            let _ = writeln!(out, "## Theme: {}\n", code(theme));
        }
    }

    // Progress.
    let _ = writeln!(out, "### Progress\n");
    let _ = writeln!(
        out,
        "| journey | title | steps | final progress | outcome | step kinds |\n|---|---|--:|--:|---|---|"
    );
    let mut finals = Vec::new();
    for &i in members {
        let j = scope.journeys[i];
        let p = layout(j).final_progress();
        finals.push(p);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            code(&j.id),
            cell(&j.title),
            j.steps.len(),
            percent(p),
            code(&j.outcome),
            code(&compare::signature(&coded[i]))
        );
    }
    let mean = finals.iter().sum::<f64>() / finals.len().max(1) as f64;
    let low = finals.iter().copied().fold(f64::INFINITY, f64::min);
    let high = finals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let _ = writeln!(
        out,
        "\nMean final progress {} (lowest {}, highest {}). Step kinds: A advance, D detour, \
         C circle, S stall, B blocked, R retreat, W wander, G arrive.\n",
        percent(mean),
        percent(low),
        percent(high)
    );

    // Terrain × journey.
    let theirs: Vec<compare::Coded> = members.iter().map(|&i| coded[i].clone()).collect();
    let m = compare::matrix(&theirs, order);
    let _ = writeln!(out, "### Terrain × journey\n");
    if m.codes.is_empty() {
        let _ = writeln!(out, "No terrain is coded on these journeys.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Steps that meet each obstacle and enabler, per journey.\n"
    );
    let mut head = "| terrain | kind |".to_string();
    let mut rule = "|---|---|".to_string();
    for id in &m.journeys {
        let _ = write!(head, " {} |", code(id));
        rule.push_str("--:|");
    }
    let _ = writeln!(out, "{head} total |\n{rule}--:|");
    for (row, id) in m.codes.iter().enumerate() {
        let (label, kind) = match terrain.feature(id) {
            Some((FeatureClass::Obstacle, f)) => (cell(&f.en), "obstacle"),
            Some((FeatureClass::Enabler, f)) => (cell(&f.en), "enabler"),
            None => (code(id), "unknown"),
        };
        let mut line = format!("| {label} | {kind} |");
        for col in 0..m.journeys.len() {
            let n = m.count(row, col);
            if n == 0 {
                line.push_str(" · |");
            } else {
                let _ = write!(line, " {n} |");
            }
        }
        let _ = writeln!(line, " {} |", m.row_total(row));
        out.push_str(&line);
    }
    out.push('\n');
}

fn journey_section(out: &mut String, scope: &Scope, j: &Journey) {
    let terrain = &scope.data.terrain;
    let route = layout(j);
    let notes = scope.journey_notes(j);
    let _ = writeln!(out, "### {} — {}\n", inline(&j.id), inline(&j.title));
    let mut source = inline(&j.source.work);
    if let Some(doi) = &j.source.doi {
        let _ = write!(
            source,
            " [doi:{}](https://doi.org/{})",
            inline(doi),
            url_path(doi)
        );
    }
    if let Some(licence) = &j.source.licence {
        let _ = write!(source, " ({})", inline(licence));
    }
    match &j.source.seed {
        Some(seed) => {
            let _ = writeln!(out, "- **Source:** {source}; text {}", code(seed));
        }
        None => {
            let _ = writeln!(out, "- **Source:** {source}");
        }
    }
    let mut provenance = j.provenance.label().to_string();
    if let Some(why) = j.provenance.why() {
        let _ = write!(provenance, " — {}", inline(why));
    }
    let _ = writeln!(out, "- **Provenance:** {provenance}");
    if let Some(place) = &j.place {
        let guess = if place.inferred.is_some() {
            " (inferred)"
        } else {
            ""
        };
        let _ = writeln!(out, "- **Place:** {}{guess}", inline(&place.name));
    }
    if let Some(period) = &j.period {
        let _ = writeln!(out, "- **Period:** {}", inline(period));
    }
    if let Some(variant) = &j.variant {
        let _ = writeln!(out, "- **Variant:** {}", inline(variant));
    }
    let _ = writeln!(out, "- **Goal:** {}", inline(&j.goal));
    let _ = writeln!(
        out,
        "- **Outcome:** {}; final progress {}\n",
        code(&j.outcome),
        percent(route.final_progress())
    );

    for (i, step) in j.steps.iter().enumerate() {
        let n = step_number(j, step);
        let _ = writeln!(out, "#### {n}. {}\n", inline(&step.title));
        let mut line = format!("*{}* · {}", step.kind.name(), code(&step.id));
        if let Some(when) = &step.when {
            let _ = write!(line, " · {}", inline(when));
        }
        if let Some(p) = route.steps.get(i) {
            let _ = write!(line, " · progress {}", percent(p.progress()));
        }
        if let Some(own) = &step.provenance {
            let _ = write!(line, " · {}", own.label());
        }
        let _ = writeln!(out, "{line}\n");
        let _ = writeln!(out, "{}\n", inline(&step.narrative));
        for (label, ids) in [("Obstacles", &step.obstacles), ("Enablers", &step.enablers)] {
            if !ids.is_empty() {
                let names: Vec<String> = ids.iter().map(|id| named(terrain, id)).collect();
                let _ = writeln!(out, "**{label}:** {}\n", names.join(", "));
            }
        }
        for e in &step.evidence {
            let _ = writeln!(
                out,
                "> «{}»\\\n> {}\\\n> — *{}*\n",
                inline(&e.quote).replace('\n', "\n> "),
                inline(&e.translation).replace('\n', "\n> "),
                inline(&e.locator).replace('\n', "\n> ")
            );
        }
        write_notes(out, terrain, &notes.steps[i]);
    }
    if !notes.orphans.is_empty() {
        let _ = writeln!(out, "#### Notes on steps this journey no longer has\n");
        write_notes(out, terrain, &notes.orphans);
    }
}

fn write_notes(out: &mut String, terrain: &Terrain, notes: &[NoteIn]) {
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "**Notes:**\n");
    for n in notes {
        let mut head = format!("**{}**, {}", inline(n.analyst), inline(&n.note.created));
        if n.note.updated != n.note.created {
            let _ = write!(head, " (edited {})", inline(&n.note.updated));
        }
        let _ = write!(head, ", note {}", code(&n.note.id));
        if n.note.conflict_of.is_some() {
            head.push_str(", a conflict copy");
        }
        // Indented two spaces, every paragraph stays in the note's list item; a blank line
        // stays blank (a line of spaces only is blank to every reader).
        let text = paragraphs(&n.note.text)
            .replace('\n', "\n  ")
            .replace("\n  \n", "\n\n");
        let mut item = format!("- {head}: {text}");
        if !n.note.codes.is_empty() {
            let codes: Vec<String> = n.note.codes.iter().map(|c| named(terrain, c)).collect();
            let _ = write!(item, "\\\n  Codes: {}", codes.join(", "));
        }
        let _ = writeln!(out, "{item}");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(inline("a|b `c` #d"), "a\\|b \\`c\\` \\#d");
        assert_eq!(
            inline("<b>x</b> & y &amp; &#60;"),
            "&lt;b&gt;x&lt;/b&gt; & y &amp;amp; &amp;\\#60;"
        );
        assert_eq!(url_path("10.1/a b)<"), "10.1/a%20b%29%3C");
        assert_eq!(
            inline("- item\n# head\n1. one\n---"),
            "\\- item\\\n\\# head\\\n1\\. one\\\n\\---"
        );
        assert_eq!(cell("two\nlines | here"), "two lines \\| here");
        assert_eq!(cell(""), " ");
        assert_eq!(inline("blåbær 🙂"), "blåbær 🙂");
    }

    /// A line escaped as it was first written, a character at a time over the line's
    /// characters collected: what the run-copying [`escape_line_into`] must agree with.
    fn line_char_by_char(line: &str) -> String {
        {
            let chars: Vec<char> = line.chars().collect();
            let mut out = String::new();
            for (i, &c) in chars.iter().enumerate() {
                match c {
                    '&' if chars
                        .get(i + 1)
                        .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
                    {
                        out.push_str("&amp;")
                    }
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '$' | '@' | '^'
                    | '!' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\t' | '\n' | '\r' => out.push(' '),
                    c if c.is_control() || crate::text::is_bidi_control(c) => {
                        out.push_str(&crate::text::escape_controls(&c.to_string()))
                    }
                    c => out.push(c),
                }
            }
            if out.starts_with(['-', '+', '=']) {
                out.insert(0, '\\');
            }
            let digits = out.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && out[digits..].starts_with(['.', ')']) {
                out.insert(digits, '\\');
            }
            out
        }
    }

    /// [`inline`] as it was first written, over [`line_char_by_char`].
    fn inline_char_by_char(s: &str) -> String {
        let lines: Vec<String> = crate::export::lf(s)
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(line_char_by_char)
            .collect();
        lines.join("\\\n")
    }

    proptest::proptest! {
        #[test]
        fn escaping_copies_runs_and_changes_what_it_always_changed(
            s in "[a-zA-Z0-9 &<>#*_|~$@^!`.)=+\\-\\[\\]\\\\\t\n\r\u{7f}\u{85}\u{9f}\u{a0}\u{61c}\u{600}\u{200e}\u{2014}\u{202e}\u{2069}\u{feff}æ🙂]{0,40}"
        ) {
            proptest::prop_assert_eq!(inline(&s), inline_char_by_char(&s));
            let one_line = s.replace(['\n', '\r'], " ");
            if !one_line.trim().is_empty() {
                proptest::prop_assert_eq!(escape_line(one_line.trim()), line_char_by_char(one_line.trim()));
            }
        }
    }

    #[test]
    fn blank_lines_part_paragraphs_and_nothing_else_does() {
        assert_eq!(paragraphs("one\ntwo\n\n\n  \nthree"), "one\\\ntwo\n\nthree");
        assert_eq!(paragraphs("\r\n\r\nonly\r\n"), "only");
        assert_eq!(paragraphs("- a\n\n# b"), "\\- a\n\n\\# b");
        assert_eq!(paragraphs(""), "");
    }
}
