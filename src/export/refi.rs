//! REFI-QDA: a project (`.qdpx`, a zip of `project.qde` and `sources/`) and a codebook
//! (`.qdc`), for NVivo, ATLAS.ti, MAXQDA and QualCoder (QDA-XML 1.0, the schemas of 2019 and
//! 2017).
//!
//! The mapping: each journey is a text source (its steps as plain text, UTF-8, LF, no BOM)
//! and a case with its theme, provenance, outcome and final progress as variables; each step
//! is a `PlainTextSelection` whose positions count Unicode code points, end exclusive; every
//! code of the journey file and every code on an analyst's note is a `Coding` on the step's
//! selection with its `creatingUser` (the journey files are a user of their own); the
//! catalogue is the codebook, obstacles and enablers under two parents that cannot be coded;
//! analysts are users; notes are `Note`s with their times, referred to from their step's
//! selection; themes are sets of sources.
//!
//! Beyond the schema, what the importers in use need (see the REFI notes in the project's
//! shared folder): `project.qde` at the zip's root and sources as `sources/<guid>.txt`
//! referred to by `plainTextPath="internal://<guid>.txt"` (never `PlainTextContent`), the
//! `Project` children in the schema's order with no empty containers, `origin` on the project,
//! a creation time on every note and a creating user on every coding, GUIDs unique and every
//! reference resolving. GUIDs are name-based (UUID v5), so the same data gives the same file.

use std::collections::BTreeSet;
use std::io::Write as _;

use uuid::Uuid;

use super::xml::Writer;
use super::{NoteIn, Scope, analyst_codes, lf, num, palette};
use crate::model::{Feature, FeatureClass, Journey, Step, Terrain, layout};

/// The namespace of terreng's name-based GUIDs.
const NAMESPACE: Uuid = Uuid::from_u128(0x27ec1845_d333_4327_8f33_85266b765388);

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
    used: BTreeSet<String>,
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
    guid("code", id)
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
        for f in features {
            write_feature(w, class, f);
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
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
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

/// `project.qde` and the source files it refers to (name in `sources/`, text), with warnings.
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
    let users: Vec<(String, String)> = scope
        .analysts
        .iter()
        .map(|a| (a.clone(), ids.make("user", &format!("analyst:{a}"))))
        .collect();
    let user_of = |analyst: &str| {
        users
            .iter()
            .find(|(a, _)| a == analyst)
            .map_or(journey_user.as_str(), |(_, g)| g.as_str())
    };

    // Catalogue codes are reserved first so that nothing else can take their GUIDs.
    let order = scope.code_order();
    for id in &order {
        ids.used.insert(code_guid(id));
    }
    for parent in ["Obstacles", "Enablers", "unknown"] {
        ids.used.insert(guid("parent", parent));
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
            (
                "name",
                &format!("terreng: {}", scope.data.source.describe()),
            ),
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
    for (name, g) in &users {
        w.empty("User", &[("guid", g), ("name", name), ("id", name)]);
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

    // GUIDs of sources and notes first: cases, selections and sets refer to them.
    let sources: Vec<String> = scope
        .journeys
        .iter()
        .map(|j| ids.make("source", &j.id))
        .collect();
    let notes: Vec<String> = scope
        .notes
        .iter()
        .map(|n| {
            ids.make(
                "note",
                &format!("{}/{}/{}", n.analyst, n.journey, n.note.id),
            )
        })
        .collect();
    let note_guid = |n: &NoteIn| {
        scope
            .notes
            .iter()
            .position(|m| std::ptr::eq(m.note, n.note) && m.analyst == n.analyst)
            .map(|i| notes[i].clone())
    };

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

    w.open("Sources", &[]);
    for (done, (j, source)) in scope.journeys.iter().zip(&sources).enumerate() {
        progress(done, total);
        let (text, spans) = source_text(j, terrain);
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
        for (step, (start, end)) in j.steps.iter().zip(spans) {
            let key = format!("{}/{}", j.id, step.id);
            let sel = ids.make("selection", &key);
            w.open(
                "PlainTextSelection",
                &[
                    ("guid", &sel),
                    ("name", &lf(&format!("{} {}", step.id, step.title))),
                    ("startPosition", &start.to_string()),
                    ("endPosition", &end.to_string()),
                    ("creatingUser", &journey_user),
                ],
            );
            for code in step.codes() {
                let g = ids.make("coding", &format!("{key}/journey/{code}"));
                w.open("Coding", &[("guid", &g), ("creatingUser", &journey_user)]);
                w.empty("CodeRef", &[("targetGUID", &code_guid(code))]);
                w.close();
            }
            let on_step = scope.notes_on(&j.id, &step.id);
            for (analyst, code, note) in analyst_codes(&on_step) {
                let g = ids.make("coding", &format!("{key}/analyst:{analyst}/{code}"));
                let mut attrs = vec![("guid", g), ("creatingUser", user_of(analyst).to_string())];
                if let Some(t) = datetime(&note.created) {
                    attrs.push(("creationDateTime", t));
                }
                let attrs: Vec<(&str, &str)> =
                    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                w.open("Coding", &attrs);
                w.empty("CodeRef", &[("targetGUID", &code_guid(code))]);
                w.close();
            }
            for n in &on_step {
                if let Some(g) = note_guid(n) {
                    w.empty("NoteRef", &[("targetGUID", &g)]);
                }
            }
            w.close();
        }
        // Notes whose step is gone hang on the source itself.
        for n in scope.orphans(j) {
            if let Some(g) = note_guid(&n) {
                w.empty("NoteRef", &[("targetGUID", &g)]);
            }
        }
        w.close();
        files.push((file, text));
    }
    w.close();

    if !scope.notes.is_empty() {
        w.open("Notes", &[]);
        for (n, g) in scope.notes.iter().zip(&notes) {
            let created = datetime(&n.note.created).unwrap_or_else(|| {
                warnings.push(format!(
                    "note {} by {} has the creation time '{}', which is not RFC 3339; the project gives it 1970-01-01T00:00:00Z",
                    n.note.id, n.analyst, n.note.created
                ));
                "1970-01-01T00:00:00Z".to_string()
            });
            let file = format!("{g}.txt");
            let user = user_of(n.analyst).to_string();
            let name = format!("{} on {} {}", n.analyst, n.journey, n.note.step);
            let path = format!("internal://{file}");
            let mut attrs: Vec<(&str, &str)> = vec![
                ("guid", g),
                ("name", &name),
                ("plainTextPath", &path),
                ("creatingUser", &user),
                ("creationDateTime", &created),
            ];
            let modified = datetime(&n.note.updated);
            if let Some(m) = &modified {
                attrs.push(("modifyingUser", &user));
                attrs.push(("modifiedDateTime", m));
            }
            w.open("Note", &attrs);
            let mut about = format!("terreng note {} on step {}", n.note.id, n.note.step);
            if !n.note.codes.is_empty() {
                about.push_str(&format!("; codes: {}", n.note.codes.join(", ")));
            }
            w.text("Description", &[], &about);
            w.close();
            files.push((file, lf(&n.note.text)));
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
        &format!(
            "Exported by {} from {}: {} journeys; codes from the journey files (user '{JOURNEY_USER}') and from {} analysts' notes.",
            origin(),
            scope.data.source.describe(),
            scope.journeys.len(),
            scope.analysts.len()
        ),
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
}
