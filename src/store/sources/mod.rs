//! A study's sources: documents converted to UTF-8 text in `sources/<id>.txt`, with
//! `sources/<id>.ron` beside each (a [`Document`]: where it came from, its pages and headings).
//!
//! [`add`] converts a file by its extension (one module per format) and writes both files
//! atomically; a file that cannot be read or converted is an error naming it and leaves
//! nothing behind. The text is never edited afterwards: evidence points into it by code point.
//! Nothing here draws or prints; the command line reports what happened.

pub mod docx;
pub mod html;
pub mod md;
pub mod odt;
pub mod pdf;
pub mod qdpx;
pub mod quotes;
pub mod txt;
pub mod verify;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use crate::model::source::{Document, Format, Heading};
use crate::store::problem::Problem;
use crate::store::{parse, validate};

/// Writes a file so that a crash leaves the old one or the new one, never a torn one: the
/// project's atomic writer, in one place so that it can be repointed.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::store::fs::write_atomic(path, bytes)
}

/// A document turned into text: the text, and where its pages and headings begin (in code
/// points).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    pub text: String,
    pub title: Option<String>,
    pub page_breaks: Vec<usize>,
    pub headings: Vec<Heading>,
}

/// Builds a [`Converted`] a piece at a time, counting code points as it goes.
#[derive(Debug, Default)]
pub struct Builder {
    out: Converted,
    chars: usize,
    /// A page break asked for, placed before the next text.
    pending_break: bool,
}

impl Builder {
    /// Appends text.
    pub fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.place_break();
        self.out.text.push_str(s);
        self.chars += s.chars().count();
    }

    pub fn push_char(&mut self, c: char) {
        self.place_break();
        self.out.text.push(c);
        self.chars += 1;
    }

    fn place_break(&mut self) {
        if self.pending_break {
            self.pending_break = false;
            if self.chars > 0 && self.out.page_breaks.last() != Some(&self.chars) {
                self.out.page_breaks.push(self.chars);
            }
        }
    }

    /// The next text begins a new page (a break at the very start is no break).
    pub fn page_break(&mut self) {
        self.pending_break = true;
    }

    /// Ends a paragraph: one blank line between paragraphs, none at the start.
    pub fn end_paragraph(&mut self) {
        let t = &self.out.text;
        if t.is_empty() || t.ends_with("\n\n") {
            return;
        }
        let n = if t.ends_with('\n') { 1 } else { 2 };
        self.out.text.push_str(&"\n".repeat(n));
        self.chars += n;
    }

    /// Ends a line within a paragraph.
    pub fn line_break(&mut self) {
        self.out.text.push('\n');
        self.chars += 1;
    }

    /// A heading of `level` with `text` begins at the current position.
    pub fn heading(&mut self, level: u8, text: &str) {
        self.place_break();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.out.headings.push(Heading {
                at: self.chars,
                level,
                text,
            });
        }
    }

    /// A heading that began at `at` (a position taken earlier), known once its text is read.
    pub fn heading_at(&mut self, at: usize, level: u8, text: &str) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            let i = self.out.headings.partition_point(|h| h.at <= at);
            self.out.headings.insert(i, Heading { at, level, text });
        }
    }

    /// Whether the next character starts a line.
    pub fn at_line_start(&self) -> bool {
        self.out.text.is_empty() || self.out.text.ends_with('\n')
    }

    pub fn title(&mut self, title: &str) {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if !title.is_empty() && self.out.title.is_none() {
            self.out.title = Some(title);
        }
    }

    /// The position of the next character.
    pub fn position(&self) -> usize {
        self.chars
    }

    /// The text, ending with one newline when it has any.
    pub fn finish(mut self) -> Converted {
        while self.out.text.ends_with('\n') {
            self.out.text.pop();
            self.chars -= 1;
        }
        if !self.out.text.is_empty() {
            self.out.text.push('\n');
        }
        let end = self.chars;
        self.out.page_breaks.retain(|&b| b < end);
        self.out.headings.retain(|h| h.at <= end);
        self.out
    }
}

/// Converts the bytes of a document of `format` to text. The error says what is wrong with
/// the document (without its name, which the caller adds).
pub fn convert(format: Format, bytes: &[u8]) -> Result<Converted, String> {
    match format {
        Format::Txt => txt::convert(bytes),
        Format::Md => md::convert(bytes),
        Format::Docx => docx::convert(bytes),
        Format::Odt => odt::convert(bytes),
        Format::Html => html::convert(bytes),
        Format::Pdf => pdf::convert(bytes),
        Format::Qdpx => Err("a REFI-QDA project holds several sources; add it whole".to_string()),
    }
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The time now, RFC 3339 in UTC to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// A source id made from a file name: lower case, Norwegian letters spelt in ASCII, anything
/// else that may not stand in an id a `-`.
pub fn id_from_name(stem: &str) -> String {
    let mut id = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        let piece = match c {
            'æ' => "ae",
            'ø' | 'ö' => "o",
            'å' | 'ä' => "a",
            'é' | 'è' | 'ê' => "e",
            c if c.is_ascii_alphanumeric() || c == '_' => {
                id.push(c);
                continue;
            }
            _ => "-",
        };
        if piece == "-" && (id.is_empty() || id.ends_with('-')) {
            continue;
        }
        id.push_str(piece);
    }
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() {
        "source".to_string()
    } else {
        id
    }
}

/// One source of a study.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub doc: Document,
}

/// The sources folder of a study root.
pub fn folder(root: &Path) -> PathBuf {
    root.join("sources")
}

/// Every source in `dir` (each `<id>.ron` that parses), by id, and the problems with the rest.
pub fn list(dir: &Path) -> (Vec<Source>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (out, problems);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "ron")
                && !p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
                && p.is_file()
        })
        .collect();
    paths.sort();
    for path in paths {
        let Some(id) = path.file_stem().and_then(|s| s.to_str()).map(String::from) else {
            continue;
        };
        match read_document(&path) {
            Ok(doc) => out.push(Source { id, doc }),
            Err(p) => problems.push(p),
        }
    }
    (out, problems)
}

/// Reads one `<id>.ron`.
pub fn read_document(path: &Path) -> Result<Document, Problem> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| Problem::new(&name, None, format!("cannot read: {e}")))?;
    let text = parse::as_text(&name, &bytes, "Document")?;
    parse::parse(&name, text)
}

/// The text of source `id` in `dir`.
pub fn read_text(dir: &Path, id: &str) -> std::io::Result<String> {
    let path = dir.join(format!("{id}.txt"));
    let bytes = std::fs::read(&path)?;
    if bytes.len() > parse::MAX_FILE_BYTES {
        return Err(std::io::Error::other("larger than terreng reads"));
    }
    String::from_utf8(bytes).map_err(|_| std::io::Error::other("not UTF-8"))
}

/// Fills every empty locator of evidence that has a `source` and a `span` from that source's
/// pages and headings (`Funn, p. 2`), for a data source that is a study with `sources/`.
pub fn derive_locators(data: &mut crate::store::Dataset) {
    let Some(root) = data.source.study_root() else {
        return;
    };
    let dir = folder(&root);
    if !dir.is_dir() {
        return;
    }
    let mut docs: std::collections::HashMap<String, Option<Document>> = Default::default();
    for ev in data
        .journeys
        .iter_mut()
        .flat_map(|j| j.steps.iter_mut())
        .flat_map(|s| s.evidence.iter_mut())
    {
        if !ev.locator.trim().is_empty() {
            continue;
        }
        let (Some(id), Some((start, _))) = (&ev.source, ev.span) else {
            continue;
        };
        let doc = docs.entry(id.clone()).or_insert_with(|| {
            validate::is_valid_id(id)
                .then(|| read_document(&dir.join(format!("{id}.ron"))).ok())
                .flatten()
        });
        if let Some(doc) = doc {
            ev.locator = doc.locator(start);
        }
    }
}

/// What adding one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new source, with its id, its length in code points, pages and headings.
    New {
        id: String,
        chars: usize,
        pages: usize,
        headings: usize,
    },
    /// The same file (by SHA-256) is in the study already, as this source.
    Duplicate { id: String },
    /// A REFI-QDA project: the sources it brought, the codes added to the catalogue, and
    /// the coded passages kept as candidates.
    Project(qdpx::Imported),
}

/// Adds the document at `file` to the sources folder `dir` as `id` (or an id made from its
/// name). `terrain` is the study's catalogue file, which a REFI-QDA project's codebook is
/// merged into.
pub fn add(dir: &Path, file: &Path, id: Option<&str>, terrain: &Path) -> anyhow::Result<Added> {
    let shown = file.display().to_string();
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let Some(format) = Format::from_extension(ext) else {
        bail!(
            "{shown}: terreng reads .txt, .md, .docx, .odt, .html, .pdf and .qdpx files, not '.{ext}'"
        );
    };
    let meta = std::fs::metadata(file).with_context(|| format!("cannot read {shown}"))?;
    if !meta.is_file() {
        bail!("cannot read {shown}: not a file");
    }
    if meta.len() > 512 * 1024 * 1024 {
        bail!("{shown}: larger than terreng reads (512 MiB)");
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {shown}"))?;
    let sha = sha256(&bytes);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let (existing, _) = list(dir);
    if let Some(same) = existing.iter().find(|s| s.doc.sha256 == sha) {
        return Ok(Added::Duplicate {
            id: same.id.clone(),
        });
    }
    if format == Format::Qdpx {
        if id.is_some() {
            bail!("{shown}: a REFI-QDA project brings its own source names; --id is not for it");
        }
        let imported = qdpx::import(dir, &bytes, &existing, terrain)
            .with_context(|| format!("{shown}: cannot import the REFI-QDA project"))?;
        return Ok(Added::Project(imported));
    }
    let converted = convert(format, &bytes).map_err(|why| anyhow::anyhow!("{shown}: {why}"))?;
    let original = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let id = choose_id(dir, file, id, &existing)?;
    let doc = Document {
        original,
        format,
        sha256: sha,
        added: now(),
        title: converted.title.clone(),
        page_breaks: converted.page_breaks.clone(),
        headings: converted.headings.clone(),
        passages: Vec::new(),
    };
    write_source(dir, &id, &converted.text, &doc)?;
    Ok(Added::New {
        id,
        chars: converted.text.chars().count(),
        pages: doc.page_breaks.len() + 1,
        headings: doc.headings.len(),
    })
}

/// The id for a new source: the one asked for (which must be free and valid), or one made
/// from the file name, with `-2`, `-3`… where that is taken.
fn choose_id(
    dir: &Path,
    file: &Path,
    asked: Option<&str>,
    existing: &[Source],
) -> anyhow::Result<String> {
    let taken =
        |id: &str| existing.iter().any(|s| s.id == id) || dir.join(format!("{id}.txt")).exists();
    if let Some(id) = asked {
        if !validate::is_valid_id(id) {
            bail!("source id '{id}' may hold only ASCII letters, digits, '-' and '_'");
        }
        if taken(id) {
            bail!("there is a source '{id}' already; choose another --id");
        }
        return Ok(id.to_string());
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = id_from_name(&stem);
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    Ok(id)
}

/// Writes `<id>.txt` then `<id>.ron`, each atomically; if the second fails the first is
/// removed, so that no source is left half-written.
pub fn write_source(dir: &Path, id: &str, text: &str, doc: &Document) -> anyhow::Result<()> {
    let txt = dir.join(format!("{id}.txt"));
    let ron_path = dir.join(format!("{id}.ron"));
    let ron_text = crate::store::study::to_ron(doc)?;
    write_file(&txt, text.as_bytes()).with_context(|| format!("cannot write {}", txt.display()))?;
    if let Err(e) = write_file(&ron_path, ron_text.as_bytes()) {
        let _ = std::fs::remove_file(&txt);
        return Err(e).with_context(|| format!("cannot write {}", ron_path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_from_file_names() {
        assert_eq!(id_from_name("Intervju 03 – Bærum"), "intervju-03-baerum");
        assert_eq!(id_from_name("Møte på kontoret"), "mote-pa-kontoret");
        assert_eq!(id_from_name("…"), "source");
    }

    #[test]
    fn the_builder_counts_code_points_and_places_breaks_before_text() {
        let mut b = Builder::default();
        b.heading(1, "Første");
        b.push("Først æøå");
        b.end_paragraph();
        b.page_break();
        b.heading(2, " Andre\n del ");
        b.push("Så");
        b.end_paragraph();
        let c = b.finish();
        assert_eq!(c.text, "Først æøå\n\nSå\n");
        // "Først æøå" is 9 code points (11 bytes), then two newlines: page 2 begins at 11.
        assert_eq!(c.page_breaks, vec![11]);
        assert_eq!(c.headings[1].at, 11);
        assert_eq!(c.headings[1].text, "Andre del");
    }

    #[test]
    fn sha256_of_a_known_text() {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
