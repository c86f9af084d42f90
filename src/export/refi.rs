//! REFI-QDA: a project (`.qdpx`, a zip of `project.qde` and `sources/`) and a codebook
//! (`.qdc`), for NVivo, ATLAS.ti, MAXQDA and QualCoder (QDA-XML 1.0, the schemas of 2019 and
//! 2017).
//!
//! The mapping: each journey is a text source (its steps as plain text, UTF-8, LF, no BOM)
//! and a case with its theme, provenance, outcome and final progress as variables; a coded
//! step is a `PlainTextSelection` per coding user — one for the codes of the journey file
//! (the journey files are a user of their own) and one for each analyst who coded it, over
//! the same span (Unicode code points, end exclusive), each with that user's `Coding`s and
//! `creatingUser`; the catalogue is the codebook, obstacles and enablers under two parents
//! that cannot be coded; analysts are users; notes are `Note`s with their times, text and
//! place on their step, referred to from their journey's source; themes are sets of sources.
//! Codes filed in a category are nested under it, and a merged code (an alias) is left out of
//! the codebook, its codings made on the code it was merged into.
//! The project is named after the study (its title, else the data folder's own name), never
//! a path.
//!
//! Beyond the schema, what the importers in use need (see the REFI notes in the project's
//! shared folder): `project.qde` at the zip's root and sources as `sources/<guid>.txt`
//! referred to by `plainTextPath="internal://<guid>.txt"` (never `PlainTextContent`), the
//! `Project` children in the schema's order with no empty containers, `origin` on the project,
//! a creation time on every note and a creating user on every coding, GUIDs unique and every
//! reference resolving. GUIDs are name-based (UUID v5), so the same data gives the same file.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;

use rayon::prelude::*;
use uuid::Uuid;

use super::xml::Writer;
use super::{NoteIn, Scope, analyst_codes, lf, num, palette};
use crate::model::{Feature, FeatureClass, Journey, Step, Terrain, layout};

/// The namespace of terreng's name-based GUIDs.
const NAMESPACE: Uuid = crate::model::terrain::REFI_NAMESPACE;

/// The name of the user that stands for the coding in the journey files.
pub const JOURNEY_USER: &str = "journey files";

/// `terreng 0.1.0`: the project's origin.
fn origin() -> String {
    format!("terreng {}", env!("CARGO_PKG_VERSION"))
}

/// A deterministic GUID for a thing named `key` of a kind.
fn guid(kind: &str, key: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes()).to_string()
}

/// The name-based GUID of `kind:key`, made in `name`.
fn name_uuid(name: &mut String, kind: &str, key: std::fmt::Arguments) -> Uuid {
    use std::fmt::Write as _;
    name.clear();
    let _ = write!(name, "{kind}:{key}");
    Uuid::new_v5(&NAMESPACE, name.as_bytes())
}

/// A GUID as its 36 characters, lower-case and hyphenated, held without an allocation: a
/// project at L gives out over a million.
#[derive(Clone, Copy)]
struct Guid([u8; 36]);

impl Guid {
    fn of(uuid: Uuid) -> Guid {
        let mut out = [0; 36];
        uuid.hyphenated().encode_lower(&mut out);
        Guid(out)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a hyphenated GUID is ASCII")
    }
}

/// Hands out GUIDs and makes sure none is given twice, even when two notes share an id.
#[derive(Default)]
struct Guids {
    used: HashSet<Uuid, foldhash::fast::RandomState>,
    /// The name being hashed, `kind:key`, made again in place for each GUID.
    name: String,
    /// Every GUID given, in order, when asked to keep them.
    given: Option<Vec<Uuid>>,
}

impl Guids {
    /// GUIDs for a part of the project made on its own, which keeps the GUIDs it gives for
    /// [`Guids::take`].
    fn recording() -> Guids {
        Guids {
            given: Some(Vec::new()),
            ..Guids::default()
        }
    }

    /// The GUIDs given, in order (none unless [`Guids::recording`]).
    fn given(self) -> Vec<Uuid> {
        self.given.unwrap_or_default()
    }

    /// Takes the GUIDs a part made on its own gave, in order, if none of them was given
    /// here: then what the part wrote is what writing it here would have. Otherwise takes none
    /// and says so.
    fn take(&mut self, given: &[Uuid]) -> bool {
        for (i, g) in given.iter().enumerate() {
            if !self.used.insert(*g) {
                for taken in &given[..i] {
                    self.used.remove(taken);
                }
                return false;
            }
        }
        true
    }

    /// The GUID of `guid(kind, key)`, or when that was given already, of `key#2`, `key#3`…
    fn make(&mut self, kind: &str, key: std::fmt::Arguments) -> Guid {
        let mut g = name_uuid(&mut self.name, kind, key);
        let mut n = 1;
        while !self.used.insert(g) {
            n += 1;
            g = Uuid::new_v5(&NAMESPACE, format!("{}#{n}", self.name).as_bytes());
        }
        if let Some(given) = &mut self.given {
            given.push(g);
        }
        Guid::of(g)
    }

    /// [`Guids::make`] of a GUID already made as `name_uuid(kind, key)`: the same, without
    /// hashing the name again unless it was given before.
    fn make_as(&mut self, made: Uuid, kind: &str, key: std::fmt::Arguments) -> Guid {
        if self.take(&[made]) {
            if let Some(given) = &mut self.given {
                given.push(made);
            }
            return Guid::of(made);
        }
        self.make(kind, key)
    }

    /// Takes a GUID made elsewhere, so that [`Guids::make`] never gives it.
    fn reserve(&mut self, guid: &str) {
        if let Ok(g) = Uuid::parse_str(guid) {
            self.used.insert(g);
        }
    }
}

/// The GUID of a catalogue code: the same in every project and codebook terreng writes.
pub fn code_guid(id: &str) -> String {
    crate::model::terrain::refi_code_guid(id)
}

/// The GUID of a category under the parent of one class (a category of no class may stand
/// under both).
fn category_guid(class: FeatureClass, id: &str) -> String {
    guid("category", &format!("{}/{id}", class.name()))
}

/// The text of one step as it stands in its journey's source: a heading line, the narrative,
/// the terrain, then each piece of evidence.
pub fn step_text(journey: &Journey, step: &Step, terrain: &Terrain) -> String {
    use std::fmt::Write as _;
    let n = super::step_number(journey, step);
    let mut text = String::with_capacity(256 + step.narrative.len());
    let _ = write!(
        text,
        "{n}. {} [{}, {}",
        step.title,
        step.id,
        step.kind.name()
    );
    if let Some(when) = &step.when {
        text.push_str(", ");
        text.push_str(when);
    }
    text.push_str("]\n");
    text.push_str(&step.narrative);
    for (label, ids) in [("Obstacles", &step.obstacles), ("Enablers", &step.enablers)] {
        if ids.is_empty() {
            continue;
        }
        let _ = write!(text, "\n{label}: ");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                text.push_str("; ");
            }
            text.push_str(terrain.feature(id).map_or(id.as_str(), |(_, f)| &f.en));
        }
    }
    for e in &step.evidence {
        let _ = write!(text, "\n«{}» ({}) — {}", e.quote, e.translation, e.locator);
    }
    lf(&text)
}

/// A journey as a text source: its text, and each step's place in it as (start, end) in
/// code points, end exclusive.
pub fn source_text(journey: &Journey, terrain: &Terrain) -> (String, Vec<(usize, usize)>) {
    let theme = terrain
        .theme(&journey.theme)
        .map_or(journey.theme.as_str(), |t| t.en.as_str());
    let mut head = vec![
        journey.title.clone(),
        format!(
            "Journey {} · theme: {theme} · {}",
            journey.id,
            journey.provenance.label()
        ),
        format!("Source: {}", journey.source.work),
    ];
    if let Some(doi) = &journey.source.doi {
        head.push(format!("DOI: {doi}"));
    }
    head.push(format!("Goal: {}", journey.goal));
    head.push(format!("Outcome: {}", journey.outcome));
    if let Some(note) = crate::analysis::stats::unit_note([journey]) {
        head.push(format!("Note: {note}"));
    }
    let mut text = lf(&head.join("\n"));
    let mut at = text.chars().count();
    let mut spans = Vec::with_capacity(journey.steps.len());
    for step in &journey.steps {
        text.push_str("\n\n");
        at += 2;
        let block = step_text(journey, step, terrain);
        let len = block.chars().count();
        spans.push((at, at + len));
        at += len;
        text.push_str(&block);
    }
    text.push('\n');
    (text, spans)
}

/// A REFI timestamp from a note's: RFC 3339 in UTC with whole seconds, or `None` when the
/// note's cannot be read.
fn datetime(s: &str) -> Option<String> {
    if is_plain_utc(s) {
        return Some(s.to_string());
    }
    humantime::parse_rfc3339_weak(s.trim().trim_end_matches('Z'))
        .ok()
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
}

/// Whether a time is already what [`datetime`] makes of it: `YYYY-MM-DDTHH:MM:SSZ` from 1970
/// on, with a day that every month has and no leap second, as terreng writes every note's.
/// Anything else is left to the parser.
fn is_plain_utc(s: &str) -> bool {
    let b = s.as_bytes();
    let field = |at: usize, len: usize| -> Option<u32> {
        let digits = b.get(at..at + len)?;
        digits.iter().try_fold(0, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let shape = b.len() == 20
        && [
            (4, b'-'),
            (7, b'-'),
            (10, b'T'),
            (13, b':'),
            (16, b':'),
            (19, b'Z'),
        ]
        .iter()
        .all(|&(i, c)| b[i] == c);
    let in_range = |at, len, low, high| field(at, len).is_some_and(|n| (low..=high).contains(&n));
    shape
        && in_range(0, 4, 1970, 9999)
        && in_range(5, 2, 1, 12)
        && in_range(8, 2, 1, 28)
        && in_range(11, 2, 0, 23)
        && in_range(14, 2, 0, 59)
        && in_range(17, 2, 0, 59)
}

/// Writes a code and its children; `project` adds nothing the codebook schema lacks.
fn write_feature(w: &mut Writer, class: FeatureClass, f: &Feature) {
    let g = code_guid(&f.id);
    w.open(
        "Code",
        &[
            ("guid", &g),
            ("name", &f.en),
            ("isCodable", "true"),
            ("color", palette::hex(f.color)),
        ],
    );
    let class = match class {
        FeatureClass::Obstacle => "obstacle",
        FeatureClass::Enabler => "enabler",
    };
    w.text(
        "Description",
        &[],
        &lf(&format!(
            "{} ({class} `{}`; Norwegian: {}{})\n\n{}\n\nSource: {}",
            f.en,
            f.id,
            f.no,
            f.origin
                .describe()
                .map(|o| format!(", {o}"))
                .unwrap_or_default(),
            f.definition,
            f.source
        )),
    );
    w.close();
}

/// The catalogue as `Codes`: two parents that cannot be coded, with the obstacles and the
/// enablers under them; in a project, a third parent holds codes used but not in the catalogue.
fn write_codes(w: &mut Writer, terrain: &Terrain, unknown: &[&str]) {
    w.open("Codes", &[]);
    for (class, name, features, about) in [
        (
            FeatureClass::Obstacle,
            "Obstacles",
            &terrain.obstacles,
            "What stands in a journey's way: terreng's catalogue of obstacles.",
        ),
        (
            FeatureClass::Enabler,
            "Enablers",
            &terrain.enablers,
            "What carries a journey forward: terreng's catalogue of enablers.",
        ),
    ] {
        if features.is_empty() {
            continue;
        }
        w.open(
            "Code",
            &[
                ("guid", &guid("parent", name)),
                ("name", name),
                ("isCodable", "false"),
            ],
        );
        w.text("Description", &[], about);
        // Aliases (merged codes) are not codes of their own: their codings are their target's.
        let live: Vec<&Feature> = features
            .iter()
            .filter(|f| f.merged_into.is_none())
            .collect();
        let filed = |f: &&&Feature| {
            f.category
                .as_deref()
                .is_some_and(|c| terrain.category(c).is_some())
        };
        for f in live.iter().filter(|f| !filed(f)) {
            write_feature(w, class, f);
        }
        // Codes filed under a category, nested under it, in the catalogue's order of categories.
        for c in &terrain.categories {
            let under: Vec<&&Feature> = live
                .iter()
                .filter(|f| f.category.as_deref() == Some(c.id.as_str()))
                .collect();
            if under.is_empty() {
                continue;
            }
            w.open(
                "Code",
                &[
                    ("guid", &category_guid(class, &c.id)),
                    ("name", &c.en),
                    ("isCodable", "false"),
                ],
            );
            w.text(
                "Description",
                &[],
                &lf(&format!(
                    "{} (category `{}`; Norwegian: {})",
                    c.en, c.id, c.no
                )),
            );
            for f in under {
                write_feature(w, class, f);
            }
            w.close();
        }
        w.close();
    }
    if !unknown.is_empty() {
        w.open(
            "Code",
            &[
                ("guid", &guid("parent", "unknown")),
                ("name", "Not in the catalogue"),
                ("isCodable", "false"),
            ],
        );
        w.text(
            "Description",
            &[],
            "Codes used in the journeys or notes that the catalogue does not have.",
        );
        for id in unknown {
            w.empty(
                "Code",
                &[
                    ("guid", &code_guid(id)),
                    ("name", id),
                    ("isCodable", "true"),
                ],
            );
        }
        w.close();
    }
    w.close();
}

/// The catalogue alone as a REFI-QDA codebook (`.qdc`).
pub fn codebook(terrain: &Terrain) -> String {
    let mut w = Writer::new();
    w.open(
        "CodeBook",
        &[("xmlns", "urn:QDA-XML:codebook:1.0"), ("origin", &origin())],
    );
    write_codes(&mut w, terrain, &[]);
    w.finish()
}

/// The variables each case carries.
const VARIABLES: [(&str, &str, &str); 4] = [
    (
        "theme",
        "Text",
        "The journey's theme in terreng's catalogue (its id).",
    ),
    (
        "provenance",
        "Text",
        "How far the journey is the source's own account: documented, reconstructed or hypothetical.",
    ),
    (
        "outcome",
        "Text",
        "Where the journey ended, as a short code.",
    ),
    (
        "final progress",
        "Float",
        "Progress toward the goal after the last step, 0 to 1, from terreng's route layout.",
    ),
];

/// What a project is made of, in the order it is made: every source's text first, then
/// `project.qde` in pieces as it is written.
enum Piece {
    /// A source's file name in `sources/` and its text.
    Source(String, String),
    /// A source's file already deflated, named and checked.
    Deflated(Box<zip::write::PreparedZipFile>),
    /// The next piece of `project.qde`.
    Qde(String),
    /// Journeys done of all.
    Progress(usize, usize),
}

/// `project.qde` is handed on in pieces of about this size.
const PIECE: usize = 1 << 20;

/// Writes the project as a `.qdpx` zip to `out` as it is made, and returns warnings about
/// notes it had to adjust. The sources are made and deflated on every core, then the XML is
/// made (on a thread of its own and the rayon pool) while this thread deflates and writes
/// what came before; the zip is streamed (each entry's sizes follow its data), so `out` need
/// not seek and nothing is held whole.
pub fn project_to(
    scope: &Scope,
    progress: &mut dyn FnMut(usize, usize),
    out: &mut dyn Write,
) -> std::io::Result<Vec<String>> {
    let pool = own_pool()?;
    let pool = &pool;
    std::thread::scope(|s| {
        // A few pieces ahead at most: memory stays bounded whichever side is slower.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Piece>(4);
        let making = std::thread::Builder::new()
            .name("qdpx-xml".to_string())
            .spawn_scoped(s, move || {
                pieces(scope, Some(pool), Some(zip_options()), &mut |piece| {
                    tx.send(piece).is_ok()
                })
            })?;
        let written = zip_pieces(rx, progress, out);
        // An error above dropped the receiver, so the maker stops at its next piece.
        let warnings = match making.join() {
            Ok(warnings) => warnings,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        written.map(|()| warnings)
    })
}

/// How every file of the zip is stored: deflate's fastest level, a third of the work of the
/// default for a file a little larger, and no time, so that the same data gives the same bytes.
fn zip_options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
}

/// Deflates the pieces into a zip on `out` as they come. An error writing is the writer's own.
fn zip_pieces(
    rx: std::sync::mpsc::Receiver<Piece>,
    progress: &mut dyn FnMut(usize, usize),
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let io = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(e) => e,
        e => std::io::Error::other(e),
    };
    let mut zip = zip::ZipWriter::new_stream(Stopped { out, failed: false });
    let options = zip_options();
    let mut in_qde = false;
    for piece in rx {
        match piece {
            Piece::Source(name, text) => {
                zip.start_file(format!("sources/{name}"), options)
                    .map_err(io)?;
                zip.write_all(text.as_bytes())?;
            }
            Piece::Deflated(file) => zip.add_prepared_file(*file).map_err(io)?,
            Piece::Qde(text) => {
                if !in_qde {
                    zip.start_file("project.qde", options).map_err(io)?;
                    in_qde = true;
                }
                zip.write_all(text.as_bytes())?;
            }
            Piece::Progress(done, total) => progress(done, total),
        }
    }
    zip.finish().map_err(io)?.flush()
}

/// A writer that, once a write failed, takes what follows without writing it: the zip writer
/// finishes the archive when it is dropped after an error, and that would fail again (and say
/// so on standard error).
struct Stopped<'a> {
    out: &'a mut dyn Write,
    failed: bool,
}

impl Write for Stopped<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.failed {
            return Ok(bytes.len());
        }
        self.out
            .write(bytes)
            .inspect_err(|e| self.failed = stops(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.failed {
            return Ok(());
        }
        self.out.flush().inspect_err(|e| self.failed = stops(e))
    }
}

/// An error after which nothing more is written: any but an interruption, which the caller
/// tries again.
fn stops(e: &std::io::Error) -> bool {
    e.kind() != std::io::ErrorKind::Interrupted
}

/// `project.qde` and the source files it refers to (name in `sources/`, text), with
/// warnings: the whole project in memory, for reading it back.
pub fn project_xml(
    scope: &Scope,
    progress: &mut dyn FnMut(usize, usize),
) -> (String, Vec<(String, String)>, Vec<String>) {
    let (mut qde, mut files) = (String::new(), Vec::new());
    let warnings = pieces(scope, None, None, &mut |piece| {
        match piece {
            Piece::Source(name, text) => files.push((name, text)),
            Piece::Deflated(_) => unreachable!("sources are deflated only when asked"),
            Piece::Qde(text) => qde.push_str(&text),
            Piece::Progress(done, total) => progress(done, total),
        }
        true
    });
    (qde, files, warnings)
}

/// The threads a project is made on: a pool of its own rather than rayon's global one. The
/// app runs an export on a thread of the global pool, which waits there for this work; on
/// the global pool that work could wait for threads that are all waiting (one core is enough).
fn own_pool() -> std::io::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("qdpx-{i}"))
        .build()
        .map_err(std::io::Error::other)
}

/// Runs `work` on `pool`, or without one where this thread is.
fn on<R: Send>(pool: Option<&rayon::ThreadPool>, work: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Makes a part of the project of each item on every core, a batch of `at_once` items at a
/// time, and gives the parts to `take` in the items' order on this thread, the next batch
/// made while this one is taken. False as soon as `take` is.
fn in_order<T: Sync, P: Send>(
    pool: Option<&rayon::ThreadPool>,
    items: &[T],
    at_once: usize,
    make: impl Fn(&T) -> P + Sync,
    mut take: impl FnMut(&T, P) -> bool,
) -> bool {
    let make = &make;
    let mut batches = items.chunks(at_once.max(1));
    let Some(first) = batches.next() else {
        return true;
    };
    let made: Vec<P> = on(pool, || first.par_iter().map(make).collect());
    let mut current = (first, made);
    loop {
        let next = batches.next();
        let (taken, made) = std::thread::scope(|s| {
            let making = next
                .map(|b| s.spawn(move || on(pool, || b.par_iter().map(make).collect::<Vec<P>>())));
            let (items, parts) = std::mem::take(&mut current);
            let taken = items.iter().zip(parts).all(|(item, part)| take(item, part));
            let made = making.map(|m| m.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            (taken, made)
        });
        match (taken, next, made) {
            (true, Some(next), Some(made)) => current = (next, made),
            (taken, ..) => return taken,
        }
    }
}

/// Each note's name in the project, unique in order: `<analyst> on <journey> <step>`, and for
/// the second note of one name ` (2)` after it, and so on.
fn note_names(notes: &[NoteIn]) -> Vec<String> {
    let one_by_one = |notes: &[NoteIn]| -> Vec<String> {
        let mut seen: HashMap<String, usize, foldhash::fast::RandomState> = HashMap::default();
        (notes.iter())
            .map(|n| {
                let name = format!("{} on {} {}", n.analyst, n.journey, n.note.step);
                let count = seen.entry(name.clone()).or_default();
                *count += 1;
                match *count {
                    1 => name,
                    count => format!("{name} ({count})"),
                }
            })
            .collect()
    };
    // Analysts' names and journeys' ids hold no space, so a name tells its analyst and journey,
    // and notes of one analyst on one journey share names only among themselves: where each
    // analyst's notes on a journey come together (as a scope lists them), each run of them is
    // named on its own, on every core. Otherwise (data made in memory), one by one.
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, n) in notes.iter().enumerate() {
        match runs.last_mut() {
            Some(run)
                if (notes[run.start].analyst, notes[run.start].journey)
                    == (n.analyst, n.journey) =>
            {
                run.end = i + 1
            }
            _ => runs.push(i..i + 1),
        }
    }
    let whose: HashSet<(&str, &str)> = runs
        .iter()
        .map(|r| (notes[r.start].analyst, notes[r.start].journey))
        .collect();
    let spaced = notes
        .iter()
        .any(|n| n.analyst.contains(' ') || n.journey.contains(' '));
    if spaced || whose.len() < runs.len() {
        return one_by_one(notes);
    }
    let named: Vec<Vec<String>> = runs
        .par_iter()
        .map(|r| one_by_one(&notes[r.clone()]))
        .collect();
    named.concat()
}

/// Hands `w`'s text on once there is a piece's worth. False when the receiver is gone.
fn spill(w: &mut Writer, sink: &mut dyn FnMut(Piece) -> bool) -> bool {
    w.pending() < PIECE || sink(Piece::Qde(w.take()))
}

/// The place of a note on its step for the `n`-th note (from 0) of one analyst on that step:
/// the step's span, shortened by `n` code points at the end, so that no two notes of one
/// analyst share a span (QualCoder keeps one annotation per span and user, and aborts the
/// import on a second).
fn note_span((start, end): (usize, usize), n: usize) -> (usize, usize) {
    if end <= start {
        return (start, end);
    }
    (start, end.saturating_sub(n).max(start + 1))
}

/// A part of `project.qde` written on its own, with GUIDs of its own, to be taken in order: its
/// text, what was found on the way, and the GUIDs it gave.
struct Alone<X> {
    xml: String,
    found: Vec<X>,
    given: Vec<Uuid>,
}

impl<X> Alone<X> {
    /// The part `write` writes, on its own.
    fn write(write: impl FnOnce(&mut Guids, &mut Writer, &mut Vec<X>)) -> Alone<X> {
        let (mut own, mut w, mut found) = (Guids::recording(), Writer::inside(2), Vec::new());
        write(&mut own, &mut w, &mut found);
        Alone {
            xml: w.take(),
            found,
            given: own.given(),
        }
    }

    /// Adds the part to `w` if none of its GUIDs was given in `ids`; otherwise (two things of
    /// one name) `write`s it again there, so the document is what one pass in order writes.
    /// Returns what was found.
    fn take(
        self,
        ids: &mut Guids,
        w: &mut Writer,
        write: impl FnOnce(&mut Guids, &mut Writer, &mut Vec<X>),
    ) -> Vec<X> {
        if ids.take(&self.given) {
            w.push(&self.xml);
            return self.found;
        }
        let mut found = Vec::new();
        write(ids, w, &mut found);
        found
    }
}

/// Where a note is placed: its span on its step (or on the whole source) and a name.
type Place = ((usize, usize), String);

/// A note's key in the maps of its GUID and place: its address, which is the note's own for
/// as long as the export runs.
fn note_key(n: &NoteIn) -> usize {
    std::ptr::from_ref(n.note).addr()
}

/// Journeys written on every core at a time, before they are taken in order.
const SOURCES_AT_ONCE: usize = 64;

/// Notes written as one part on a core; sixteen parts are written at a time.
const NOTES_AT_ONCE: usize = 256;

/// The GUID of an analyst's user, or of the journey files' for codes that are no analyst's.
fn user_of<'u>(users: &'u HashMap<&str, Guid>, journey_user: &'u str, analyst: &str) -> &'u str {
    users.get(analyst).map_or(journey_user, Guid::as_str)
}

/// What writing a journey's `TextSource` reads of the project made so far.
struct SourceContext<'s> {
    terrain: &'s Terrain,
    journey_user: &'s str,
    users: &'s HashMap<&'s str, Guid>,
    code_guids: &'s HashMap<&'s str, String, foldhash::fast::RandomState>,
    note_guids: &'s HashMap<usize, Guid, foldhash::fast::RandomState>,
}

impl SourceContext<'_> {
    fn user_of(&self, analyst: &str) -> &str {
        user_of(self.users, self.journey_user, analyst)
    }

    fn code_ref(&self, code: &str) -> std::borrow::Cow<'_, str> {
        self.code_guids
            .get(code)
            .map_or_else(|| code_guid(code).into(), |g| g.as_str().into())
    }

    /// A journey's `TextSource`: its coded steps' selections, each analyst's, and a reference
    /// to each of its notes; where each note goes is added to `places`. `at` is the steps'
    /// places in the source's text and its length, in code points.
    #[allow(clippy::too_many_arguments)]
    fn text_source(
        &self,
        j: &Journey,
        source: &Guid,
        (spans, whole): (&[(usize, usize)], usize),
        notes: &super::JourneyNotes,
        ids: &mut Guids,
        w: &mut Writer,
        places: &mut Vec<(usize, Place)>,
    ) {
        w.open(
            "TextSource",
            &[
                ("guid", source.as_str()),
                ("name", &format!("{} {}", j.id, lf(&j.title))),
                (
                    "plainTextPath",
                    &format!("internal://{}.txt", source.as_str()),
                ),
                ("creatingUser", self.journey_user),
            ],
        );
        w.text(
            "Description",
            &[],
            &lf(&format!("{}\n{}", j.title, j.source.work)),
        );
        for ((step, &(start, end)), on_step) in j.steps.iter().zip(spans).zip(&notes.steps) {
            let key = format!("{}/{}", j.id, step.id);
            let name = lf(&format!("{} {}", step.id, step.title));
            let (start_s, end_s) = (start.to_string(), end.to_string());
            let codes: Vec<&str> = step.codes().map(|c| self.terrain.resolve(c)).collect();
            if !codes.is_empty() {
                let sel = ids.make("selection", format_args!("{key}"));
                w.open(
                    "PlainTextSelection",
                    &[
                        ("guid", sel.as_str()),
                        ("name", &name),
                        ("startPosition", &start_s),
                        ("endPosition", &end_s),
                        ("creatingUser", self.journey_user),
                    ],
                );
                let mut seen = BTreeSet::new();
                for code in codes {
                    if !seen.insert(code) {
                        continue;
                    }
                    let g = ids.make("coding", format_args!("{key}/journey/{code}"));
                    w.open(
                        "Coding",
                        &[("guid", g.as_str()), ("creatingUser", self.journey_user)],
                    );
                    w.empty("CodeRef", &[("targetGUID", &self.code_ref(code))]);
                    w.close();
                }
                w.close();
            }
            // One selection per analyst who coded the step, with that analyst's codes.
            let coded = analyst_codes(on_step, self.terrain);
            let mut k = 0;
            while k < coded.len() {
                let analyst = coded[k].0;
                let mine: Vec<_> = coded[k..]
                    .iter()
                    .take_while(|(a, _, _)| *a == analyst)
                    .collect();
                k += mine.len();
                let user = self.user_of(analyst);
                let sel = ids.make("selection", format_args!("{key}/analyst:{analyst}"));
                let first = mine
                    .iter()
                    .filter_map(|(_, _, n)| datetime(&n.created))
                    .min();
                let mut attrs = vec![
                    ("guid", sel.as_str()),
                    ("name", &name),
                    ("startPosition", &start_s),
                    ("endPosition", &end_s),
                    ("creatingUser", user),
                ];
                if let Some(t) = &first {
                    attrs.push(("creationDateTime", t));
                }
                w.open("PlainTextSelection", &attrs);
                for (_, code, note) in mine {
                    let g = ids.make("coding", format_args!("{key}/analyst:{analyst}/{code}"));
                    let created = datetime(&note.created);
                    let mut attrs = vec![("guid", g.as_str()), ("creatingUser", user)];
                    if let Some(t) = &created {
                        attrs.push(("creationDateTime", t));
                    }
                    w.open("Coding", &attrs);
                    w.empty("CodeRef", &[("targetGUID", &self.code_ref(code))]);
                    w.close();
                }
                w.close();
            }
            // Each analyst's notes on the step, each on a span of its own.
            let mut nth: HashMap<&str, usize> = HashMap::new();
            for n in on_step {
                let count = nth.entry(n.analyst).or_default();
                places.push((note_key(n), (note_span((start, end), *count), name.clone())));
                *count += 1;
            }
        }
        // Notes whose step is gone are placed on the whole source.
        let mut nth: HashMap<&str, usize> = HashMap::new();
        for n in &notes.orphans {
            let count = nth.entry(n.analyst).or_default();
            let name = format!("{} (step {} is gone)", j.id, n.note.step);
            places.push((note_key(n), (note_span((0, whole), *count), name)));
            *count += 1;
        }
        for n in notes.steps.iter().flatten().chain(&notes.orphans) {
            if let Some(g) = self.note_guids.get(&note_key(n)) {
                w.empty("NoteRef", &[("targetGUID", g.as_str())]);
            }
        }
        w.close();
    }

    /// A note: its text, times and codes, and its place on its step (`places`).
    fn note(
        &self,
        n: &NoteIn,
        name: &str,
        places: &HashMap<usize, Place, foldhash::fast::RandomState>,
        ids: &mut Guids,
        w: &mut Writer,
        warnings: &mut Vec<String>,
    ) {
        let Some(g) = self.note_guids.get(&note_key(n)) else {
            return;
        };
        let created = datetime(&n.note.created).unwrap_or_else(|| {
            warnings.push(format!(
                "note {} by {} has the creation time '{}', which is not RFC 3339; the project gives it 1970-01-01T00:00:00Z",
                n.note.id, n.analyst, n.note.created
            ));
            "1970-01-01T00:00:00Z".to_string()
        });
        let user = self.user_of(n.analyst);
        let modified = datetime(&n.note.updated).unwrap_or_else(|| created.clone());
        w.open(
            "Note",
            &[
                ("guid", g.as_str()),
                ("name", name),
                ("creatingUser", user),
                ("creationDateTime", &created),
                ("modifyingUser", user),
                ("modifiedDateTime", &modified),
            ],
        );
        let mut about = format!("terreng note {} on step {}", n.note.id, n.note.step);
        if !n.note.codes.is_empty() {
            about.push_str(&format!("; codes: {}", n.note.codes.join(", ")));
        }
        w.text("Description", &[], &about);
        let text = lf(&n.note.text);
        let content = if text.trim().is_empty() {
            // An empty annotation is dropped by QualCoder; say what the note is.
            format!("({about})")
        } else {
            text
        };
        w.text("PlainTextContent", &[], &content);
        if let Some(((start, end), sel_name)) = places.get(&note_key(n)) {
            let key = format_args!("{}/{}/{}", n.analyst, n.journey, n.note.id);
            w.empty(
                "PlainTextSelection",
                &[
                    ("guid", ids.make("note place", key).as_str()),
                    ("name", sel_name),
                    ("startPosition", &start.to_string()),
                    ("endPosition", &end.to_string()),
                    ("creatingUser", user),
                ],
            );
        }
        w.close();
    }
}

/// Makes the project and hands it to `sink` piece by piece: every source's text, then
/// `project.qde`. Returns warnings; stops early when `sink` says its receiver is gone.
///
/// What the importers take, and so what is written (QualCoder's `refi.py` read for each):
/// - a coding's owner is its *selection's* `creatingUser`, and one coding is kept per (code,
///   coder, span): so each step has one `PlainTextSelection` for the journey files' codes
///   and one for each analyst who coded it, over the same span, each holding only its own
///   user's `Coding`s; a step nobody coded has no selection (an uncoded selection is read as
///   an empty annotation);
/// - a note on a step is a `Note` holding its text (`PlainTextContent`) and its place
///   (`PlainTextSelection`), referred to by a `NoteRef` from its journey's source: QualCoder
///   reads that as an annotation of the step's text by the note's analyst, and other readers
///   as a note on the source; a note whose step is gone is placed on the whole source;
/// - note names are unique (QualCoder aborts on a second journal of one name).
fn pieces(
    scope: &Scope,
    pool: Option<&rayon::ThreadPool>,
    zip: Option<zip::write::SimpleFileOptions>,
    sink: &mut dyn FnMut(Piece) -> bool,
) -> Vec<String> {
    let terrain = &scope.data.terrain;
    let mut ids = Guids::default();
    let mut warnings = Vec::new();
    // Progress is counted in three runs: each journey's source text, each journey's source in
    // `project.qde`, each part of the notes.
    let note_parts = scope.notes.len().div_ceil(NOTES_AT_ONCE);
    let total = 2 * scope.journeys.len() + note_parts;
    let mut done = 0;

    // Users: the journey files, then each analyst.
    let journey_user = ids.make("user", format_args!("{JOURNEY_USER}"));
    let journey_user = journey_user.as_str();
    let users: HashMap<&str, Guid> = scope
        .analysts
        .iter()
        .map(|a| (a.as_str(), ids.make("user", format_args!("analyst:{a}"))))
        .collect();

    // Catalogue codes are reserved first so that nothing else can take their GUIDs.
    let order = scope.code_order();
    // Each code's GUID, made once: every coding refers to one.
    let code_guids: HashMap<&str, String, foldhash::fast::RandomState> =
        order.iter().map(|id| (*id, code_guid(id))).collect();
    for g in code_guids.values() {
        ids.reserve(g);
    }
    for parent in ["Obstacles", "Enablers", "unknown"] {
        ids.reserve(&guid("parent", parent));
    }
    for c in &terrain.categories {
        for class in [FeatureClass::Obstacle, FeatureClass::Enabler] {
            ids.reserve(&category_guid(class, &c.id));
        }
    }
    let unknown: Vec<&str> = order
        .iter()
        .copied()
        .filter(|c| terrain.feature(c).is_none())
        .collect();

    let mut w = Writer::new();
    w.open(
        "Project",
        &[
            ("xmlns", "urn:QDA-XML:project:1.0"),
            ("name", &scope.name),
            ("origin", &origin()),
            ("creatingUserGUID", journey_user),
        ],
    );

    w.open("Users", &[]);
    w.empty(
        "User",
        &[
            ("guid", journey_user),
            ("name", JOURNEY_USER),
            ("id", "journey"),
        ],
    );
    for name in &scope.analysts {
        w.empty(
            "User",
            &[
                ("guid", user_of(&users, journey_user, name)),
                ("name", name),
                ("id", name),
            ],
        );
    }
    w.close();

    w.open("CodeBook", &[]);
    write_codes(&mut w, terrain, &unknown);
    w.close();

    let variables: Vec<Guid> = VARIABLES
        .iter()
        .map(|(name, _, _)| ids.make("variable", format_args!("{name}")))
        .collect();
    w.open("Variables", &[]);
    for ((name, kind, about), g) in VARIABLES.iter().zip(&variables) {
        w.open(
            "Variable",
            &[
                ("guid", g.as_str()),
                ("name", name),
                ("typeOfVariable", kind),
            ],
        );
        w.text("Description", &[], about);
        w.close();
    }
    w.close();

    // GUIDs of sources and notes first: cases, sources and sets refer to them.
    let sources: Vec<Guid> = scope
        .journeys
        .iter()
        .map(|j| ids.make("source", format_args!("{}", j.id)))
        .collect();
    // The sources' texts go first, so that none need be held until `project.qde` is done; of
    // each, the steps' places and its length in code points are kept for it. Meanwhile, on a
    // thread of its own, each note's GUID (hashed on every core, given in order) and its name,
    // unique in order: the second of one name gets " (2)"…
    let mut places_in_source = Vec::with_capacity(scope.journeys.len());
    let with_guids: Vec<_> = scope.journeys.iter().zip(&sources).collect();
    let (written, (mut ids, note_guids, named)) = std::thread::scope(|s| {
        let notes_made = s.spawn(move || {
            let mut ids = ids;
            let mut guids: HashMap<usize, Guid, foldhash::fast::RandomState> =
                HashMap::with_capacity_and_hasher(scope.notes.len(), Default::default());
            in_order(
                pool,
                &scope.notes,
                NOTES_AT_ONCE * 16,
                |n| {
                    let key = format_args!("{}/{}/{}", n.analyst, n.journey, n.note.id);
                    name_uuid(&mut String::new(), "note", key)
                },
                |n, made| {
                    let key = format_args!("{}/{}/{}", n.analyst, n.journey, n.note.id);
                    guids.insert(note_key(n), ids.make_as(made, "note", key));
                    true
                },
            );
            let named: Vec<(&NoteIn, String)> = scope
                .notes
                .iter()
                .zip(on(pool, || note_names(&scope.notes)))
                .collect();
            (ids, guids, named)
        });
        // With `zip`, each source is deflated where it is made, on every core.
        let written = in_order(
            pool,
            &with_guids,
            SOURCES_AT_ONCE,
            |(j, source)| {
                let (text, spans) = source_text(j, terrain);
                let whole = text.chars().count();
                let name = format!("{}.txt", source.as_str());
                let deflated = zip.and_then(|options| {
                    let path = format!("sources/{name}");
                    zip::write::PreparedZipFile::from_data(path, options, text.as_bytes()).ok()
                });
                let piece = match deflated {
                    Some(file) => Piece::Deflated(Box::new(file)),
                    // Left to the writing thread, which says what goes wrong.
                    None => Piece::Source(name, text),
                };
                (piece, spans, whole)
            },
            |_, (piece, spans, whole)| {
                places_in_source.push((spans, whole));
                done += 1;
                sink(piece) && sink(Piece::Progress(done, total))
            },
        );
        let made = notes_made.join();
        (
            written,
            made.unwrap_or_else(|p| std::panic::resume_unwind(p)),
        )
    });
    if !written {
        return warnings;
    }

    w.open("Cases", &[]);
    for (j, source) in scope.journeys.iter().zip(&sources) {
        let g = ids.make("case", format_args!("{}", j.id));
        w.open("Case", &[("guid", g.as_str()), ("name", &j.id)]);
        w.text("Description", &[], &lf(&j.title));
        let values = [
            j.theme.clone(),
            j.provenance.label().to_string(),
            j.outcome.clone(),
            num(layout(j).final_progress()),
        ];
        for (((_, kind, _), var), value) in VARIABLES.iter().zip(&variables).zip(values) {
            w.open("VariableValue", &[]);
            w.empty("VariableRef", &[("targetGUID", var.as_str())]);
            let element = if *kind == "Float" {
                "FloatValue"
            } else {
                "TextValue"
            };
            w.text(element, &[], &value);
            w.close();
        }
        w.empty("SourceRef", &[("targetGUID", source.as_str())]);
        w.close();
    }
    w.close();

    // Where each note goes, found while writing its journey's source: its span and a name.
    let mut places: HashMap<usize, Place, foldhash::fast::RandomState> = HashMap::default();
    let cx = SourceContext {
        terrain,
        journey_user,
        users: &users,
        code_guids: &code_guids,
        note_guids: &note_guids,
    };
    w.open("Sources", &[]);
    let journeys: Vec<_> = (scope.journeys.iter().zip(&sources).zip(places_in_source))
        .map(|((j, source), (spans, whole))| (*j, source, spans, whole, scope.journey_notes(j)))
        .collect();
    // Journeys are written on every core, each with GUIDs of its own, and taken in order as
    // long as none of those was given before; one that was (two things of one name) is
    // written again here, so the file is what one pass in order would write.
    let written = in_order(
        pool,
        &journeys,
        SOURCES_AT_ONCE,
        |(j, source, spans, whole, notes)| {
            Alone::write(|ids, w, found| {
                cx.text_source(j, source, (spans, *whole), notes, ids, w, found);
            })
        },
        |(j, source, spans, whole, notes), made| {
            done += 1;
            if !sink(Piece::Progress(done, total)) || !spill(&mut w, sink) {
                return false;
            }
            places.extend(made.take(&mut ids, &mut w, |ids, w, found| {
                cx.text_source(j, source, (spans, *whole), notes, ids, w, found);
            }));
            true
        },
    );
    if !written {
        return warnings;
    }
    w.close();

    if !scope.notes.is_empty() {
        w.open("Notes", &[]);
        // As the sources: written on every core a part at a time, taken in order.
        let parts: Vec<&[(&NoteIn, String)]> = named.chunks(NOTES_AT_ONCE).collect();
        let written = in_order(
            pool,
            &parts,
            16,
            |part| {
                Alone::write(|ids, w, warned| {
                    for (n, name) in *part {
                        cx.note(n, name, &places, ids, w, warned);
                    }
                })
            },
            |part, made| {
                done += 1;
                if !sink(Piece::Progress(done, total)) || !spill(&mut w, sink) {
                    return false;
                }
                warnings.extend(made.take(&mut ids, &mut w, |ids, w, warned| {
                    for (n, name) in *part {
                        cx.note(n, name, &places, ids, w, warned);
                    }
                }));
                true
            },
        );
        if !written {
            return warnings;
        }
        w.close();
    }

    // A set per theme, of its journeys' sources.
    let themes: Vec<&str> = {
        let mut seen = Vec::new();
        for j in &scope.journeys {
            if !seen.contains(&j.theme.as_str()) {
                seen.push(j.theme.as_str());
            }
        }
        seen
    };
    w.open("Sets", &[]);
    for theme in themes {
        let (name, about) = terrain.theme(theme).map_or((theme, String::new()), |t| {
            let origin = t.image_origin.describe().map(|o| format!(" {o}"));
            let image = format!("{}{}", t.image, origin.unwrap_or_default());
            (t.en.as_str(), image)
        });
        let g = ids.make("set", format_args!("{theme}"));
        w.open("Set", &[("guid", g.as_str()), ("name", name)]);
        if !about.is_empty() {
            w.text("Description", &[], &lf(&about));
        }
        for (j, source) in scope.journeys.iter().zip(&sources) {
            if j.theme == theme {
                w.empty("MemberSource", &[("targetGUID", source.as_str())]);
            }
        }
        w.close();
    }
    w.close();

    w.text(
        "Description",
        &[],
        &lf(&format!(
            "{}: exported by {}, {} journeys; codes from the journey files (user '{JOURNEY_USER}') and from {} analysts' notes.",
            scope.name,
            origin(),
            scope.journeys.len(),
            scope.analysts.len()
        )),
    );
    if sink(Piece::Qde(w.finish())) {
        sink(Piece::Progress(total, total));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_hyphenated_stable_and_never_given_twice() {
        let a = guid("note", "x");
        assert_eq!(a, guid("note", "x"));
        assert_ne!(a, guid("note", "y"));
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
        let mut ids = Guids::default();
        let first = ids.make("note", format_args!("x"));
        let second = ids.make("note", format_args!("x"));
        assert_eq!(first.as_str(), a);
        assert_eq!(second.as_str(), guid("note", "x#2"));
        // A GUID reserved before is never given.
        ids.reserve(&guid("note", "y"));
        assert_eq!(
            ids.make("note", format_args!("y")).as_str(),
            guid("note", "y#2")
        );
    }

    /// A writer with room for so many bytes, then full.
    struct Full(usize);

    impl Write for Full {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if bytes.len() > self.0 {
                return Err(std::io::ErrorKind::StorageFull.into());
            }
            self.0 -= bytes.len();
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The bundled journeys, and no notes.
    fn bundled() -> (crate::store::Dataset, crate::store::annotations::NoteStore) {
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        (data, crate::store::annotations::NoteStore::empty())
    }

    /// Every journey and note of `data` and `notes`.
    fn everything<'a>(
        data: &'a crate::store::Dataset,
        notes: &'a crate::store::annotations::NoteStore,
    ) -> Scope<'a> {
        crate::export::Selection::default()
            .resolve(data, notes)
            .unwrap()
    }

    /// Progress moves through the whole export, not only the sources' section: one report per
    /// journey's text, per journey's source in `project.qde` and per part of the notes, in
    /// order, ending at the whole, in the zip as in memory.
    #[test]
    fn progress_counts_the_texts_the_sources_and_the_notes() {
        use crate::model::annotation::Note;
        use crate::store::annotations::{Change, NoteStore};
        let (data, _) = bundled();
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = NoteStore::open(dir.path(), "ana");
        let j = &data.journeys[0];
        for i in 0..600 {
            let step = &j.steps[i % j.steps.len()];
            let note = Note::new(&step.id, vec![], format!("note {i}"));
            // Held in memory, not saved: the export reads what the store holds.
            store.stage(Change::Put {
                journey: j.id.clone(),
                note,
            });
        }
        let scope = everything(&data, &store);
        assert_eq!(scope.notes.len(), 600);
        let journeys = scope.journeys.len();
        // 600 notes are three parts of 256.
        let total = 2 * journeys + 3;
        let mut in_memory = Vec::new();
        project_xml(&scope, &mut |d, t| in_memory.push((d, t)));
        let mut zipped = Vec::new();
        project_to(&scope, &mut |d, t| zipped.push((d, t)), &mut Vec::new()).unwrap();
        for reports in [&in_memory, &zipped] {
            assert!(reports.iter().all(|&(_, t)| t == total), "{reports:?}");
            assert!(reports.windows(2).all(|w| w[0].0 <= w[1].0), "{reports:?}");
            assert_eq!(reports.last(), Some(&(total, total)));
            let seen: std::collections::BTreeSet<usize> = reports.iter().map(|r| r.0).collect();
            assert_eq!(seen, (1..=total).collect(), "every step of the way");
        }
    }

    #[test]
    fn the_zip_holds_what_the_project_is_and_a_full_disk_stops_it_with_its_error() {
        use std::io::Read as _;
        let (data, notes) = bundled();
        let scope = everything(&data, &notes);
        let mut bytes = Vec::new();
        project_to(&scope, &mut |_, _| {}, &mut bytes).unwrap();
        let (qde, files, _) = project_xml(&scope, &mut |_, _| {});
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        assert_eq!(zip.len(), files.len() + 1);
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        assert_eq!(read("project.qde"), qde);
        for (name, text) in &files {
            assert_eq!(&read(&format!("sources/{name}")), text);
        }
        // Full at the start, in the sources, and in `project.qde` (written last): the error
        // comes back as it was, and nothing waits for a reader that is gone.
        assert!(bytes.len() > 60_000, "{}", bytes.len());
        for room in [0, 1_000, bytes.len() - 20_000] {
            let err = project_to(&scope, &mut |_, _| {}, &mut Full(room)).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::StorageFull, "{room}: {err}");
        }
    }

    /// Two journeys of one id (a dataset made in memory; loading refuses the second): the
    /// second one's GUIDs were all given to the first, so the part written for it on another
    /// core is not taken, and it is written again in order, with `#2` GUIDs.
    #[test]
    fn a_journey_whose_guids_were_given_already_is_written_again_with_guids_of_its_own() {
        let (mut data, notes) = bundled();
        let twin = data.journey("g06").unwrap().clone();
        data.journeys.push(twin.clone());
        let scope = everything(&data, &notes);
        let (qde, _, _) = project_xml(&scope, &mut |_, _| {});
        let doc = roxmltree::Document::parse(&qde).unwrap();
        let guids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("guid"))
            .collect();
        let unique: HashSet<&str> = guids.iter().copied().collect();
        assert_eq!(unique.len(), guids.len(), "a GUID given twice");
        let sources: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("TextSource") && n.attribute("name").unwrap().starts_with("g06 ")
            })
            .collect();
        assert_eq!(sources.len(), 2);
        let step = twin
            .steps
            .iter()
            .find(|s| s.codes().next().is_some())
            .unwrap();
        let first_selection = |source: &roxmltree::Node| {
            source
                .children()
                .find(|n| n.has_tag_name("PlainTextSelection"))
                .unwrap()
                .attribute("guid")
                .unwrap()
                .to_string()
        };
        let key = format!("g06/{}", step.id);
        assert_eq!(first_selection(&sources[0]), guid("selection", &key));
        assert_eq!(
            first_selection(&sources[1]),
            guid("selection", &format!("{key}#2"))
        );
        assert_eq!(
            sources[1].attribute("guid").unwrap(),
            guid("source", "g06#2")
        );
    }

    #[test]
    fn note_names_are_unique_in_order_whether_a_runs_notes_come_together_or_not() {
        let note = |step: &str| crate::model::Note {
            id: "n".into(),
            step: step.into(),
            codes: Vec::new(),
            text: String::new(),
            created: String::new(),
            updated: String::new(),
            conflict_of: None,
        };
        let (s1, s2) = (note("s1"), note("s2"));
        let on = |analyst, journey, note| NoteIn {
            analyst,
            journey,
            note,
        };
        // Each analyst's notes on a journey together, as a scope lists them: named run by run.
        let together = [
            on("a", "j1", &s1),
            on("a", "j1", &s1),
            on("a", "j1", &s2),
            on("a", "j2", &s1),
            on("b", "j1", &s1),
            on("b", "j1", &s1),
            on("b", "j1", &s1),
        ];
        assert_eq!(
            note_names(&together),
            [
                "a on j1 s1",
                "a on j1 s1 (2)",
                "a on j1 s2",
                "a on j2 s1",
                "b on j1 s1",
                "b on j1 s1 (2)",
                "b on j1 s1 (3)",
            ]
        );
        // With spaces in them (data made in memory), two analysts and journeys can share a
        // name: "x on y on z s1" is analyst "x on y" on journey "z", or "x" on "y on z".
        let spaced = [on("x on y", "z", &s1), on("x", "y on z", &s1)];
        assert_eq!(
            note_names(&spaced),
            ["x on y on z s1", "x on y on z s1 (2)"]
        );
        // An analyst's notes on a journey in two places: counted across both, in order.
        let apart = [on("a", "j1", &s1), on("b", "j1", &s1), on("a", "j1", &s1)];
        assert_eq!(
            note_names(&apart),
            ["a on j1 s1", "b on j1 s1", "a on j1 s1 (2)"]
        );
    }

    /// The app runs an export on a thread of rayon's global pool. With every thread of that
    /// pool busy until the export is written, the project is still written: its own work runs
    /// on threads of its own, never waiting for the pool it may have been started from.
    #[test]
    fn a_project_is_written_while_every_thread_of_the_global_pool_is_busy() {
        use std::sync::{Arc, Condvar, Mutex, mpsc};
        // Loaded first: loading uses the global pool.
        let (data, notes) = bundled();
        let scope = everything(&data, &notes);
        let released = Arc::new((Mutex::new(false), Condvar::new()));
        let (started, all_started) = mpsc::channel();
        for _ in 0..rayon::current_num_threads() {
            let (released, started) = (released.clone(), started.clone());
            rayon::spawn(move || {
                let _ = started.send(());
                let (lock, wake) = &*released;
                let mut done = lock.lock().unwrap();
                while !*done {
                    done = wake.wait(done).unwrap();
                }
            });
        }
        for _ in 0..rayon::current_num_threads() {
            all_started.recv().unwrap();
        }
        let outcome = std::thread::scope(|s| {
            let (written, finished) = mpsc::channel();
            let scope = &scope;
            s.spawn(move || {
                let mut bytes = Vec::new();
                let result = project_to(scope, &mut |_, _| {}, &mut bytes);
                let _ = written.send(result.is_ok() && !bytes.is_empty());
            });
            let outcome = finished.recv_timeout(std::time::Duration::from_secs(60));
            // Released whatever came of it, so that a project that waited can end.
            let (lock, wake) = &*released;
            *lock.lock().unwrap() = true;
            wake.notify_all();
            outcome
        });
        assert_eq!(outcome, Ok(true), "the export waited for the busy pool");
    }

    #[test]
    fn note_times_become_utc_seconds_or_nothing() {
        assert_eq!(
            datetime("2026-11-23T10:02:11Z").as_deref(),
            Some("2026-11-23T10:02:11Z")
        );
        assert_eq!(datetime("yesterday"), None);
        // Already plain: taken as it is, the same as the parser makes of it.
        for plain in [
            "1970-01-01T00:00:00Z",
            "2026-02-28T23:59:59Z",
            "9999-12-01T12:00:00Z",
        ] {
            assert!(is_plain_utc(plain), "{plain}");
            let parsed = humantime::parse_rfc3339_weak(plain.trim_end_matches('Z')).unwrap();
            assert_eq!(humantime::format_rfc3339_seconds(parsed).to_string(), plain);
        }
        // Left to the parser: a day some months lack, a leap second, fractions, an offset, a
        // month 13, before 1970.
        for other in [
            "2026-02-30T00:00:00Z",
            "2026-01-31T00:00:00Z",
            "2026-06-30T23:59:60Z",
            "2026-11-23T10:02:11.5Z",
            "2026-11-23T10:02:11+01:00",
            "2026-13-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-1a-01T00:00:00Z",
        ] {
            assert!(!is_plain_utc(other), "{other}");
        }
        assert_eq!(datetime("2026-02-30T00:00:00Z"), None);
        assert_eq!(
            datetime("2026-01-31T00:00:00Z").as_deref(),
            Some("2026-01-31T00:00:00Z")
        );
        assert_eq!(datetime(""), None);
    }

    #[test]
    fn notes_of_one_analyst_on_one_step_get_spans_of_their_own() {
        assert_eq!(note_span((10, 50), 0), (10, 50));
        assert_eq!(note_span((10, 50), 1), (10, 49));
        assert_eq!(note_span((10, 50), 39), (10, 11));
        // Past the step's length the span cannot shrink further; it stays inside the step.
        assert_eq!(note_span((10, 50), 45), (10, 11));
        assert_eq!(note_span((0, 0), 0), (0, 0));
    }
}
