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
use std::io::Write as _;

use uuid::Uuid;

use super::xml::Writer;
use super::{NoteIn, Scope, analyst_codes, lf, num, palette};
use crate::model::{Feature, FeatureClass, Journey, Note, Step, Terrain, layout};

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

/// Hands out GUIDs and makes sure none is given twice, even when two notes share an id.
#[derive(Default)]
struct Guids {
    used: HashSet<String>,
}

impl Guids {
    fn make(&mut self, kind: &str, key: &str) -> String {
        let mut g = guid(kind, key);
        let mut n = 1;
        while !self.used.insert(g.clone()) {
            n += 1;
            g = guid(kind, &format!("{key}#{n}"));
        }
        g
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
    let n = super::step_number(journey, step);
    let mut head = format!("{n}. {} [{}, {}", step.title, step.id, step.kind.name());
    if let Some(when) = &step.when {
        head.push_str(", ");
        head.push_str(when);
    }
    head.push(']');
    let mut lines = vec![head, step.narrative.clone()];
    let label = |id: &String| {
        terrain
            .feature(id)
            .map_or_else(|| id.clone(), |(_, f)| f.en.clone())
    };
    if !step.obstacles.is_empty() {
        let names: Vec<String> = step.obstacles.iter().map(label).collect();
        lines.push(format!("Obstacles: {}", names.join("; ")));
    }
    if !step.enablers.is_empty() {
        let names: Vec<String> = step.enablers.iter().map(label).collect();
        lines.push(format!("Enablers: {}", names.join("; ")));
    }
    for e in &step.evidence {
        lines.push(format!("«{}» ({}) — {}", e.quote, e.translation, e.locator));
    }
    lf(&lines.join("\n"))
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
    humantime::parse_rfc3339_weak(s.trim().trim_end_matches('Z'))
        .ok()
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
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

/// The project as the bytes of a `.qdpx` zip, and warnings about notes it had to adjust.
pub fn project(
    scope: &Scope,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<(Vec<u8>, Vec<String>)> {
    let (qde, files, warnings) = project_xml(scope, progress);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Deflate's fastest level: a third of the work of the default, for a file a little larger.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default());
    zip.start_file("project.qde", options)?;
    zip.write_all(qde.as_bytes())?;
    for (name, text) in &files {
        zip.start_file(format!("sources/{name}"), options)?;
        zip.write_all(text.as_bytes())?;
    }
    let bytes = zip.finish()?.into_inner();
    Ok((bytes, warnings))
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

/// `project.qde` and the source files it refers to (name in `sources/`, text), with warnings.
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
pub fn project_xml(
    scope: &Scope,
    progress: &mut dyn FnMut(usize, usize),
) -> (String, Vec<(String, String)>, Vec<String>) {
    let terrain = &scope.data.terrain;
    let mut ids = Guids::default();
    let mut warnings = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let total = scope.journeys.len();

    // Users: the journey files, then each analyst.
    let journey_user = ids.make("user", JOURNEY_USER);
    let users: HashMap<&str, String> = scope
        .analysts
        .iter()
        .map(|a| (a.as_str(), ids.make("user", &format!("analyst:{a}"))))
        .collect();
    let user_of = |analyst: &str| {
        users
            .get(analyst)
            .map_or(journey_user.as_str(), String::as_str)
    };

    // Catalogue codes are reserved first so that nothing else can take their GUIDs.
    let order = scope.code_order();
    for id in &order {
        ids.used.insert(code_guid(id));
    }
    for parent in ["Obstacles", "Enablers", "unknown"] {
        ids.used.insert(guid("parent", parent));
    }
    for c in &terrain.categories {
        for class in [FeatureClass::Obstacle, FeatureClass::Enabler] {
            ids.used.insert(category_guid(class, &c.id));
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
            ("creatingUserGUID", &journey_user),
        ],
    );

    w.open("Users", &[]);
    w.empty(
        "User",
        &[
            ("guid", &journey_user),
            ("name", JOURNEY_USER),
            ("id", "journey"),
        ],
    );
    for name in &scope.analysts {
        w.empty(
            "User",
            &[("guid", user_of(name)), ("name", name), ("id", name)],
        );
    }
    w.close();

    w.open("CodeBook", &[]);
    write_codes(&mut w, terrain, &unknown);
    w.close();

    let variables: Vec<String> = VARIABLES
        .iter()
        .map(|(name, _, _)| ids.make("variable", name))
        .collect();
    w.open("Variables", &[]);
    for ((name, kind, about), g) in VARIABLES.iter().zip(&variables) {
        w.open(
            "Variable",
            &[("guid", g), ("name", name), ("typeOfVariable", kind)],
        );
        w.text("Description", &[], about);
        w.close();
    }
    w.close();

    // GUIDs of sources and notes first: cases, sources and sets refer to them.
    let sources: Vec<String> = scope
        .journeys
        .iter()
        .map(|j| ids.make("source", &j.id))
        .collect();
    let note_guids: HashMap<*const Note, String> = scope
        .notes
        .iter()
        .map(|n| {
            let key = format!("{}/{}/{}", n.analyst, n.journey, n.note.id);
            (std::ptr::from_ref(n.note), ids.make("note", &key))
        })
        .collect();
    let note_guid = |n: &NoteIn| note_guids.get(&std::ptr::from_ref(n.note));

    w.open("Cases", &[]);
    for (j, source) in scope.journeys.iter().zip(&sources) {
        let g = ids.make("case", &j.id);
        w.open("Case", &[("guid", &g), ("name", &j.id)]);
        w.text("Description", &[], &lf(&j.title));
        let values = [
            j.theme.clone(),
            j.provenance.label().to_string(),
            j.outcome.clone(),
            num(layout(j).final_progress()),
        ];
        for (((_, kind, _), var), value) in VARIABLES.iter().zip(&variables).zip(values) {
            w.open("VariableValue", &[]);
            w.empty("VariableRef", &[("targetGUID", var)]);
            let element = if *kind == "Float" {
                "FloatValue"
            } else {
                "TextValue"
            };
            w.text(element, &[], &value);
            w.close();
        }
        w.empty("SourceRef", &[("targetGUID", source)]);
        w.close();
    }
    w.close();

    // Where each note goes, found while writing its journey's source: its span and a name.
    let mut places: HashMap<*const Note, ((usize, usize), String)> = HashMap::new();
    w.open("Sources", &[]);
    for (done, (j, source)) in scope.journeys.iter().zip(&sources).enumerate() {
        progress(done, total);
        let (text, spans) = source_text(j, terrain);
        let notes = scope.journey_notes(j);
        let file = format!("{source}.txt");
        w.open(
            "TextSource",
            &[
                ("guid", source),
                ("name", &format!("{} {}", j.id, lf(&j.title))),
                ("plainTextPath", &format!("internal://{file}")),
                ("creatingUser", &journey_user),
            ],
        );
        w.text(
            "Description",
            &[],
            &lf(&format!("{}\n{}", j.title, j.source.work)),
        );
        for ((step, &(start, end)), on_step) in j.steps.iter().zip(&spans).zip(&notes.steps) {
            let key = format!("{}/{}", j.id, step.id);
            let name = lf(&format!("{} {}", step.id, step.title));
            let (start_s, end_s) = (start.to_string(), end.to_string());
            let codes: Vec<&str> = step.codes().map(|c| terrain.resolve(c)).collect();
            if !codes.is_empty() {
                let sel = ids.make("selection", &key);
                w.open(
                    "PlainTextSelection",
                    &[
                        ("guid", &sel),
                        ("name", &name),
                        ("startPosition", &start_s),
                        ("endPosition", &end_s),
                        ("creatingUser", &journey_user),
                    ],
                );
                let mut seen = BTreeSet::new();
                for code in codes {
                    if !seen.insert(code) {
                        continue;
                    }
                    let g = ids.make("coding", &format!("{key}/journey/{code}"));
                    w.open("Coding", &[("guid", &g), ("creatingUser", &journey_user)]);
                    w.empty("CodeRef", &[("targetGUID", &code_guid(code))]);
                    w.close();
                }
                w.close();
            }
            // One selection per analyst who coded the step, with that analyst's codes.
            let coded = analyst_codes(on_step, terrain);
            let mut k = 0;
            while k < coded.len() {
                let analyst = coded[k].0;
                let mine: Vec<_> = coded[k..]
                    .iter()
                    .take_while(|(a, _, _)| *a == analyst)
                    .collect();
                k += mine.len();
                let user = user_of(analyst);
                let sel = ids.make("selection", &format!("{key}/analyst:{analyst}"));
                let mut attrs = vec![
                    ("guid", sel),
                    ("name", name.clone()),
                    ("startPosition", start_s.clone()),
                    ("endPosition", end_s.clone()),
                    ("creatingUser", user.to_string()),
                ];
                if let Some(t) = mine
                    .iter()
                    .filter_map(|(_, _, n)| datetime(&n.created))
                    .min()
                {
                    attrs.push(("creationDateTime", t));
                }
                let attrs: Vec<(&str, &str)> =
                    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                w.open("PlainTextSelection", &attrs);
                for (_, code, note) in mine {
                    let g = ids.make("coding", &format!("{key}/analyst:{analyst}/{code}"));
                    let mut attrs = vec![("guid", g), ("creatingUser", user.to_string())];
                    if let Some(t) = datetime(&note.created) {
                        attrs.push(("creationDateTime", t));
                    }
                    let attrs: Vec<(&str, &str)> =
                        attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    w.open("Coding", &attrs);
                    w.empty("CodeRef", &[("targetGUID", &code_guid(code))]);
                    w.close();
                }
                w.close();
            }
            // Each analyst's notes on the step, each on a span of its own.
            let mut nth: HashMap<&str, usize> = HashMap::new();
            for n in on_step {
                let count = nth.entry(n.analyst).or_default();
                places.insert(
                    std::ptr::from_ref(n.note),
                    (note_span((start, end), *count), name.clone()),
                );
                *count += 1;
            }
        }
        // Notes whose step is gone are placed on the whole source.
        let whole = text.chars().count();
        let mut nth: HashMap<&str, usize> = HashMap::new();
        for n in &notes.orphans {
            let count = nth.entry(n.analyst).or_default();
            places.insert(
                std::ptr::from_ref(n.note),
                (
                    note_span((0, whole), *count),
                    format!("{} (step {} is gone)", j.id, n.note.step),
                ),
            );
            *count += 1;
        }
        for n in notes.steps.iter().flatten().chain(&notes.orphans) {
            if let Some(g) = note_guid(n) {
                w.empty("NoteRef", &[("targetGUID", g)]);
            }
        }
        w.close();
        files.push((file, text));
    }
    w.close();

    if !scope.notes.is_empty() {
        w.open("Notes", &[]);
        let mut names: HashMap<String, usize> = HashMap::new();
        for n in &scope.notes {
            let Some(g) = note_guid(n) else { continue };
            let created = datetime(&n.note.created).unwrap_or_else(|| {
                warnings.push(format!(
                    "note {} by {} has the creation time '{}', which is not RFC 3339; the project gives it 1970-01-01T00:00:00Z",
                    n.note.id, n.analyst, n.note.created
                ));
                "1970-01-01T00:00:00Z".to_string()
            });
            let user = user_of(n.analyst).to_string();
            let mut name = format!("{} on {} {}", n.analyst, n.journey, n.note.step);
            let seen = names.entry(name.clone()).or_default();
            *seen += 1;
            if *seen > 1 {
                name = format!("{name} ({seen})");
            }
            let modified = datetime(&n.note.updated).unwrap_or_else(|| created.clone());
            w.open(
                "Note",
                &[
                    ("guid", g),
                    ("name", &name),
                    ("creatingUser", &user),
                    ("creationDateTime", &created),
                    ("modifyingUser", &user),
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
            if let Some(((start, end), sel_name)) = places.get(&std::ptr::from_ref(n.note)) {
                let key = format!("{}/{}/{}", n.analyst, n.journey, n.note.id);
                w.empty(
                    "PlainTextSelection",
                    &[
                        ("guid", &ids.make("note place", &key)),
                        ("name", sel_name),
                        ("startPosition", &start.to_string()),
                        ("endPosition", &end.to_string()),
                        ("creatingUser", &user),
                    ],
                );
            }
            w.close();
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
        w.open("Set", &[("guid", &ids.make("set", theme)), ("name", name)]);
        if !about.is_empty() {
            w.text("Description", &[], &lf(&about));
        }
        for (j, source) in scope.journeys.iter().zip(&sources) {
            if j.theme == theme {
                w.empty("MemberSource", &[("targetGUID", source)]);
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
    progress(total, total);
    (w.finish(), files, warnings)
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
        let first = ids.make("note", "x");
        let second = ids.make("note", "x");
        assert_eq!(first, a);
        assert_ne!(first, second);
    }

    #[test]
    fn note_times_become_utc_seconds_or_nothing() {
        assert_eq!(
            datetime("2026-11-23T10:02:11Z").as_deref(),
            Some("2026-11-23T10:02:11Z")
        );
        assert_eq!(datetime("yesterday"), None);
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
