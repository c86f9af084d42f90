//! The exports as other programs meet them: REFI-QDA projects and codebooks that validate and
//! whose selections cut exactly the steps, CSV that parses back to the data, Markdown whose
//! structure no note can break, SVG that parses and draws the layout's route, and every
//! note's text in every format.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use terreng::export::{self, Format, Selection, refi};
use terreng::model::{Annotations, Journey, Note, layout};
use terreng::store::annotations::NoteStore;
use terreng::store::{self, DataSource, Dataset};

/// Text that tries to break every format: a formula, Markdown and HTML, XML, quotes, Norwegian
/// letters, an emoji and a second line.
const NASTY: &str = "=HYPERLINK(\"http://x\") | `code` # not a heading <b>html</b> &amp; <![CDATA[x]]> «blåbær» 🙂\n- not a list\n---";

fn note(id: &str, step: &str, codes: &[&str], text: &str, created: &str) -> Note {
    Note {
        id: id.to_string(),
        step: step.to_string(),
        codes: codes.iter().map(|c| c.to_string()).collect(),
        text: text.to_string(),
        created: created.to_string(),
        updated: created.to_string(),
        conflict_of: None,
    }
}

/// Two analysts' notes on the bundled data, written as the app writes them: overlapping codes,
/// a note id both use, a code not in the catalogue, a note on a step that is gone, a note
/// with no codes, and text of every awkward kind.
fn write_notes(root: &Path) {
    let files = [
        (
            "hh",
            "g06",
            vec![
                note(
                    "01JD3Z5K8Q0000000000000001",
                    "s06",
                    &["tacit_resistance", "need_mismatch"],
                    "Polite answers: the model solves a need the staff do not feel.",
                    "2026-11-23T10:02:11Z",
                ),
                note(
                    "01JD3Z5K8Q0000000000000002",
                    "s06",
                    &["tacit_resistance"],
                    NASTY,
                    "2026-11-23T10:03:00Z",
                ),
                note(
                    "01JD3Z5K8Q0000000000000003",
                    "s99",
                    &["time_scarcity"],
                    "On a step that was removed.",
                    "2026-11-23T10:04:00Z",
                ),
            ],
        ),
        (
            "hh",
            "g17",
            vec![note(
                "01JD3Z5K8Q0000000000000004",
                "s01",
                &[],
                "No codes, just a thought.",
                "2026-11-23T11:00:00Z",
            )],
        ),
        (
            "kv",
            "g06",
            vec![
                note(
                    "01JD3Z5K8Q0000000000000001",
                    "s06",
                    &["tacit_resistance", "not_in_catalogue"],
                    "Kari's reading: «taus motstand», ærlig talt 🙂",
                    "2026-11-24T09:00:00Z",
                ),
                note(
                    "01JD3Z5K8Q0000000000000005",
                    "s01",
                    &["thumbs_up"],
                    "@start: +motivation, -resources",
                    "2026-11-24T09:01:00Z",
                ),
            ],
        ),
    ];
    for (analyst, journey, notes) in files {
        let mut a = Annotations::new(analyst, journey);
        a.notes = notes;
        let dir = root.join(analyst);
        std::fs::create_dir_all(&dir).unwrap();
        let text = ron::ser::to_string_pretty(&a, ron::ser::PrettyConfig::default()).unwrap();
        std::fs::write(dir.join(format!("{journey}.ron")), text).unwrap();
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    data: Dataset,
    notes: NoteStore,
}

impl Fixture {
    fn bundled() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("annotations");
        write_notes(&root);
        let (notes, problems) = NoteStore::read(&root);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(notes.all().len(), 6);
        Fixture {
            dir,
            data: store::load(&DataSource::Bundled, None),
            notes,
        }
    }

    fn export(
        &self,
        format: Format,
        name: &str,
        selection: &Selection,
    ) -> (PathBuf, export::Summary) {
        let path = self.dir.path().join(name);
        let mut calls = 0;
        let summary = export::export(
            format,
            &path,
            selection,
            &self.data,
            &self.notes,
            &mut |d, t| {
                assert!(d <= t);
                calls += 1;
            },
        )
        .unwrap();
        assert!(calls > 0 || format == Format::Qdc, "no progress reported");
        (path, summary)
    }

    /// Every note as (analyst, journey, note).
    fn all_notes(&self) -> Vec<(&str, &str, &Note)> {
        self.notes.all()
    }
}

/// Validates a file with xmllint against a schema in `assets/refi/`. A missing xmllint fails
/// the test: CI installs it, and a test that cannot check must not pass.
fn validate(file: &Path, schema: &str) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/refi")
        .join(schema);
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint could not be run ({e}); install it (Debian: apt-get install libxml2-utils; .ci/run does) to check REFI-QDA files against their schemas"
            )
        });
    assert!(
        out.status.success(),
        "{} does not validate against {}:\n{}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The files inside a zip, by name.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(f.name().unwrap().to_string(), bytes);
    }
    out
}

fn utf8(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// What a project says, read back from its XML.
struct Project {
    files: BTreeMap<String, Vec<u8>>,
    qde: String,
}

impl Project {
    fn open(path: &Path) -> Project {
        let files = unzip(path);
        let qde = utf8(&files["project.qde"]).to_string();
        Project { files, qde }
    }

    fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.qde).unwrap()
    }

    /// The text of a source or note file given its `plainTextPath`.
    fn text(&self, plain_text_path: &str) -> &str {
        let name = plain_text_path
            .strip_prefix("internal://")
            .expect("plainTextPath is internal://");
        let bytes = &self.files[&format!("sources/{name}")];
        assert!(!bytes.starts_with(&[0xef, 0xbb, 0xbf]), "{name} has a BOM");
        let text = utf8(bytes);
        assert!(!text.contains('\r'), "{name} has CR line endings");
        text
    }
}

fn elements<'a, 'i>(doc: &'a roxmltree::Document<'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .collect()
}

/// Beyond the schema: GUIDs unique, every reference resolves, every user is a user.
fn check_references(doc: &roxmltree::Document) {
    let mut guids = BTreeSet::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        if let Some(g) = n.attribute("guid") {
            assert!(guids.insert(g.to_string()), "GUID {g} is used twice");
        }
    }
    let users: BTreeSet<&str> = elements(doc, "User")
        .iter()
        .map(|u| u.attribute("guid").unwrap())
        .collect();
    let mut refs = 0;
    for n in doc.descendants().filter(|n| n.is_element()) {
        if let Some(t) = n.attribute("targetGUID") {
            assert!(
                guids.contains(t),
                "{} targets {t}, which is nowhere",
                n.tag_name().name()
            );
            refs += 1;
        }
        for user in ["creatingUser", "modifyingUser", "creatingUserGUID"] {
            if let Some(u) = n.attribute(user) {
                assert!(users.contains(u), "{user}={u} is not a user");
            }
        }
    }
    assert!(refs > 0);
}

/// The project with two analysts' notes, as the REFI-QDA schema checks it.
#[test]
#[ignore = "needs xmllint (Debian libxml2-utils)"]
fn the_bundled_project_validates_against_the_schema() {
    let fx = Fixture::bundled();
    let (path, _) = fx.export(Format::Qdpx, "study.qdpx", &Selection::default());
    let qde_path = fx.dir.path().join("project.qde");
    std::fs::write(&qde_path, &Project::open(&path).qde).unwrap();
    validate(&qde_path, "Project-mrt2019.xsd");
}

/// What QualCoder's importer (`src/qualcoder/refi.py`) needs to take every coding and note,
/// and what every importer needs: one selection per step and coding user, each coding by its
/// selection's user, unique note names, notes placed on their step's text, no machine path.
#[test]
fn the_bundled_project_takes_every_coding_and_note_and_cuts_exactly_the_steps() {
    let fx = Fixture::bundled();
    let (path, summary) = fx.export(Format::Qdpx, "study.qdpx", &Selection::default());
    assert_eq!(summary.journeys, fx.data.journeys.len());
    assert_eq!(summary.notes, 6);
    assert_eq!(summary.analysts, ["hh", "kv"]);
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(summary.warnings[0].contains("'s99'"));

    // The same data gives the same bytes.
    let (again, _) = fx.export(Format::Qdpx, "again.qdpx", &Selection::default());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&again).unwrap()
    );

    let p = Project::open(&path);
    assert_eq!(p.files.keys().next().unwrap(), "project.qde");
    assert!(
        p.files
            .keys()
            .skip(1)
            .all(|k| k.starts_with("sources/") && k.ends_with(".txt"))
    );

    let doc = p.doc();
    check_references(&doc);
    let project = doc.root_element();
    assert!(project.attribute("origin").unwrap().starts_with("terreng "));

    // Each journey a source; each coded step a selection per coding user, all over the span
    // whose text is the step's.
    let sources = elements(&doc, "TextSource");
    assert_eq!(sources.len(), fx.data.journeys.len());
    let user_name: BTreeMap<&str, &str> = elements(&doc, "User")
        .iter()
        .map(|u| (u.attribute("guid").unwrap(), u.attribute("name").unwrap()))
        .collect();
    let mut found = BTreeSet::new();
    let mut step_spans: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for source in &sources {
        let name = source.attribute("name").unwrap();
        let id = name.split(' ').next().unwrap();
        let journey = fx.data.journey(id).unwrap();
        let path = source.attribute("plainTextPath").unwrap();
        assert_eq!(
            path,
            format!("internal://{}.txt", source.attribute("guid").unwrap())
        );
        let text: Vec<char> = p.text(path).chars().collect();
        let mut users_on: BTreeSet<(usize, usize, &str)> = BTreeSet::new();
        for sel in source
            .children()
            .filter(|n| n.has_tag_name("PlainTextSelection"))
        {
            let sid = sel.attribute("name").unwrap().split(' ').next().unwrap();
            let step = journey.steps.iter().find(|s| s.id == sid).unwrap();
            let start: usize = sel.attribute("startPosition").unwrap().parse().unwrap();
            let end: usize = sel.attribute("endPosition").unwrap().parse().unwrap();
            assert!(
                start < end && end <= text.len(),
                "{id} {sid}: {start}..{end}"
            );
            let cut: String = text[start..end].iter().collect();
            assert_eq!(cut, refi::step_text(journey, step, &fx.data.terrain));
            // The cut is the whole block: what stands either side is a blank line or the end.
            assert!(text[..start].ends_with(&['\n', '\n']), "{id} {sid}");
            assert!(text[end..].starts_with(&['\n']), "{id} {sid}");
            let span = step_spans
                .entry((id.to_string(), sid.to_string()))
                .or_insert((start, end));
            assert_eq!(
                *span,
                (start, end),
                "{id} {sid}: selections of one step differ"
            );
            // One selection per step and user (QualCoder keeps one coding per code, coder
            // and span, and takes the coder from the selection).
            let user = user_name[sel.attribute("creatingUser").expect("creatingUser")];
            assert!(
                users_on.insert((start, end, user)),
                "{id} {sid}: two selections by {user}"
            );
            let codings: Vec<_> = sel
                .children()
                .filter(|n| n.has_tag_name("Coding"))
                .collect();
            assert!(
                !codings.is_empty(),
                "{id} {sid}: a selection with no coding"
            );
            for coding in codings {
                assert_eq!(
                    user_name[coding.attribute("creatingUser").expect("creatingUser")],
                    user,
                    "a coding by someone other than its selection's user"
                );
                let target = coding
                    .children()
                    .find(|n| n.has_tag_name("CodeRef"))
                    .unwrap()
                    .attribute("targetGUID")
                    .unwrap();
                assert!(
                    found.insert((
                        id.to_string(),
                        sid.to_string(),
                        user.to_string(),
                        target.to_string()
                    )),
                    "a coding twice"
                );
            }
        }
    }

    // Codings: every journey code by the journey files' user, every note's code by its analyst.
    let mut expected = BTreeSet::new();
    for j in &fx.data.journeys {
        for s in &j.steps {
            for c in s.codes() {
                expected.insert((
                    j.id.clone(),
                    s.id.clone(),
                    refi::JOURNEY_USER.to_string(),
                    refi::code_guid(c),
                ));
            }
        }
    }
    for (a, j, n) in fx.all_notes() {
        if n.step == "s99" {
            continue;
        }
        for c in &n.codes {
            expected.insert((
                j.to_string(),
                n.step.clone(),
                a.to_string(),
                refi::code_guid(c),
            ));
        }
    }
    assert_eq!(found, expected);

    // The code outside the catalogue is a code, under a parent of its own.
    let codes = elements(&doc, "Code");
    let unknown = codes
        .iter()
        .find(|c| c.attribute("name") == Some("not_in_catalogue"))
        .expect("a code for the unknown id");
    assert_eq!(
        unknown.parent().unwrap().attribute("isCodable"),
        Some("false")
    );

    // Notes: a creation time, a unique name, their own text, their place on their step (the
    // whole source for the note whose step is gone), spans that differ for one analyst's
    // notes on one step, and one reference, from their journey's source.
    let notes = elements(&doc, "Note");
    assert_eq!(notes.len(), 6);
    let mut texts = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut places = BTreeSet::new();
    for n in &notes {
        assert!(n.attribute("creationDateTime").is_some());
        assert!(
            names.insert(n.attribute("name").unwrap()),
            "two notes share a name"
        );
        let user = user_name[n.attribute("creatingUser").unwrap()];
        assert_eq!(user_name[n.attribute("modifyingUser").unwrap()], user);
        let g = n.attribute("guid").unwrap();
        let refs: Vec<_> = doc
            .descendants()
            .filter(|r| r.has_tag_name("NoteRef") && r.attribute("targetGUID") == Some(g))
            .collect();
        assert_eq!(
            refs.len(),
            1,
            "note {g} is referred to {} times",
            refs.len()
        );
        let source = refs[0].parent().unwrap();
        assert!(source.has_tag_name("TextSource"));
        let jid = source.attribute("name").unwrap().split(' ').next().unwrap();
        let about = n
            .children()
            .find(|c| c.has_tag_name("Description"))
            .and_then(|c| c.text())
            .unwrap();
        let step = about
            .split(" on step ")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap();
        let place = n
            .children()
            .find(|c| c.has_tag_name("PlainTextSelection"))
            .expect("a note's place");
        let start: usize = place.attribute("startPosition").unwrap().parse().unwrap();
        let end: usize = place.attribute("endPosition").unwrap().parse().unwrap();
        if step == "s99" {
            let len = p
                .text(source.attribute("plainTextPath").unwrap())
                .chars()
                .count();
            assert_eq!((start, end), (0, len));
        } else {
            let (s0, e0) = step_spans[&(jid.to_string(), step.to_string())];
            assert!(start == s0 && end <= e0 && end > start, "{jid} {step}");
        }
        assert!(
            places.insert((jid, start, end, user)),
            "two notes by {user} on one span"
        );
        let content = n
            .children()
            .find(|c| c.has_tag_name("PlainTextContent"))
            .and_then(|c| c.text())
            .unwrap();
        texts.insert(content.to_string());
    }
    let written: BTreeSet<String> = fx
        .all_notes()
        .iter()
        .map(|(_, _, n)| n.text.clone())
        .collect();
    assert_eq!(texts, written);
    // No machine path: the bundled data names the project.
    assert_eq!(
        project.attribute("name"),
        Some("terreng's bundled journeys")
    );
    assert!(!p.qde.contains(&*fx.dir.path().to_string_lossy()));

    // Users: the journey files and the two analysts; sets: one per theme.
    let names: BTreeSet<&str> = user_name.values().copied().collect();
    assert_eq!(names, BTreeSet::from([refi::JOURNEY_USER, "hh", "kv"]));
    let themes: BTreeSet<&str> = fx.data.journeys.iter().map(|j| j.theme.as_str()).collect();
    let sets = elements(&doc, "Set");
    assert_eq!(sets.len(), themes.len());
    let members: usize = sets
        .iter()
        .map(|s| {
            s.children()
                .filter(|n| n.has_tag_name("MemberSource"))
                .count()
        })
        .sum();
    assert_eq!(members, fx.data.journeys.len());

    // Cases carry the variables.
    let case = elements(&doc, "Case")
        .into_iter()
        .find(|c| c.attribute("name") == Some("g06"))
        .unwrap();
    let values: Vec<&str> = case
        .descendants()
        .filter(|n| n.has_tag_name("TextValue") || n.has_tag_name("FloatValue"))
        .map(|n| n.text().unwrap())
        .collect();
    let g06 = fx.data.journey("g06").unwrap();
    let progress = layout(g06).final_progress();
    assert_eq!(values[..3], ["models", "reconstructed", "blocked_at_wall"]);
    assert!((values[3].parse::<f64>().unwrap() - progress).abs() < 1e-9);
}

/// A journey whose header and steps hold Norwegian letters and emoji: positions count code
/// points, so the cut still lands on the step (bytes or UTF-16 units would not).
#[test]
fn selections_count_code_points_past_norwegian_letters_and_emoji() {
    let mut data = store::load(&DataSource::Bundled, None);
    let mut j: Journey = data.journey("g06").unwrap().clone();
    j.title = "Ærlig talt 🙂 — blåbærsyltetøy på Ørsta 👩‍👩‍👧".to_string();
    j.goal = "Få 🚀 til å gå".to_string();
    j.steps[0].narrative = "Først 🌧️ så ☀️: «å» er én bokstav".to_string();
    j.steps[1].title = "Vent på 🐢".to_string();
    data.journeys = vec![j.clone()];
    let (notes, _) = NoteStore::read(Path::new("/nonexistent-terreng-notes"));
    let scope = Selection::default().resolve(&data, &notes).unwrap();
    let (qde, files, _) = refi::project_xml(&scope, &mut |_, _| {});
    let doc = roxmltree::Document::parse(&qde).unwrap();
    let source = elements(&doc, "TextSource")[0];
    let path = source.attribute("plainTextPath").unwrap();
    let name = path.strip_prefix("internal://").unwrap();
    let text = &files.iter().find(|(n, _)| n == name).unwrap().1;
    let chars: Vec<char> = text.chars().collect();
    let mut checked = 0;
    for sel in source
        .children()
        .filter(|n| n.has_tag_name("PlainTextSelection"))
    {
        let sid = sel.attribute("name").unwrap().split(' ').next().unwrap();
        let (i, step) = j
            .steps
            .iter()
            .enumerate()
            .find(|(_, s)| s.id == sid)
            .unwrap();
        let start: usize = sel.attribute("startPosition").unwrap().parse().unwrap();
        let end: usize = sel.attribute("endPosition").unwrap().parse().unwrap();
        let cut: String = chars[start..end].iter().collect();
        assert!(
            cut.starts_with(&format!("{}. {}", i + 1, step.title)),
            "{cut}"
        );
        assert!(cut.contains(&step.narrative));
        assert_eq!(cut, refi::step_text(&j, step, &data.terrain));
        checked += 1;
    }
    // Every step of g06 has codes in its journey file, so each has its selection.
    assert!(j.steps.iter().all(|s| s.codes().next().is_some()));
    assert_eq!(checked, j.steps.len());
    // The byte offset differs from the code-point offset here, so this test can tell them apart.
    let first: usize = elements(&doc, "PlainTextSelection")[0]
        .attribute("startPosition")
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(text.char_indices().nth(first).unwrap().0, first);
}

#[test]
#[ignore = "needs xmllint (Debian libxml2-utils)"]
fn the_codebook_validates_and_holds_the_catalogue_under_two_parents() {
    let fx = Fixture::bundled();
    let (path, _) = fx.export(Format::Qdc, "catalogue.qdc", &Selection::default());
    validate(&path, "Codebook-mrt2019.xsd");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let top: Vec<_> = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("Codes"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("Code"))
        .collect();
    assert_eq!(top.len(), 2);
    let t = &fx.data.terrain;
    for (parent, name, features) in [
        (top[0], "Obstacles", &t.obstacles),
        (top[1], "Enablers", &t.enablers),
    ] {
        assert_eq!(parent.attribute("name"), Some(name));
        assert_eq!(parent.attribute("isCodable"), Some("false"));
        let kids: Vec<_> = parent
            .children()
            .filter(|n| n.has_tag_name("Code"))
            .collect();
        assert_eq!(kids.len(), features.len());
        for (k, f) in kids.iter().zip(features.iter()) {
            assert_eq!(k.attribute("name"), Some(f.en.as_str()));
            assert_eq!(k.attribute("isCodable"), Some("true"));
            assert_eq!(k.attribute("guid"), Some(refi::code_guid(&f.id).as_str()));
            assert!(k.attribute("color").unwrap().starts_with('#'));
            // Whose words the Norwegian label is, in the code's description.
            let about = k
                .children()
                .find(|n| n.has_tag_name("Description"))
                .and_then(|d| d.text())
                .unwrap_or_default();
            let origin = f.origin.describe().unwrap();
            assert!(about.contains(&origin), "{}: {about}", f.id);
        }
    }
}

/// Reads a CSV file back with the csv crate: header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn csv_parses_back_to_the_data_and_guards_formulas() {
    let fx = Fixture::bundled();
    let (path, summary) = fx.export(Format::Csv, "codes.csv", &Selection::default());
    assert_eq!(summary.files.len(), 3);

    // The long file: one row per (journey, step, code, source), as the data has them.
    let (header, rows) = read_csv(&path);
    assert_eq!(header, terreng::export::csv::CODE_COLUMNS);
    let found: BTreeSet<(String, String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["journey"].clone(),
                r["step_id"].clone(),
                r["code"].clone(),
                r["source"].clone(),
                r["analyst"].clone(),
            )
        })
        .collect();
    assert_eq!(found.len(), rows.len(), "a row twice");
    let mut expected = BTreeSet::new();
    for j in &fx.data.journeys {
        let route = layout(j);
        for (i, s) in j.steps.iter().enumerate() {
            for c in s.codes() {
                expected.insert((
                    j.id.clone(),
                    s.id.clone(),
                    c.to_string(),
                    "journey".to_string(),
                    String::new(),
                ));
            }
            // Spot-check the step columns on the journey's rows.
            if let Some(r) = rows
                .iter()
                .find(|r| r["journey"] == j.id && r["step_id"] == s.id)
            {
                assert_eq!(r["step_index"], (i + 1).to_string());
                assert_eq!(r["step_kind"], s.kind.name());
                assert_eq!(r["theme"], j.theme);
                let p: f64 = r["progress"].parse().unwrap();
                assert!((p - route.steps[i].progress()).abs() < 1e-4);
            }
        }
    }
    for (a, j, n) in fx.all_notes() {
        if n.step == "s99" {
            continue;
        }
        for c in &n.codes {
            expected.insert((
                j.to_string(),
                n.step.clone(),
                c.clone(),
                "analyst".to_string(),
                a.to_string(),
            ));
        }
    }
    assert_eq!(found, expected);
    // A code two notes of one analyst carry comes from the first note.
    let r = rows
        .iter()
        .find(|r| r["analyst"] == "hh" && r["code"] == "tacit_resistance")
        .unwrap();
    assert_eq!(r["note_id"], "01JD3Z5K8Q0000000000000001");
    let unknown = rows
        .iter()
        .find(|r| r["code"] == "not_in_catalogue")
        .unwrap();
    assert_eq!(unknown["code_class"], "unknown");

    // The matrix: counts of steps carrying each code, from the journeys and the notes; 0/1.
    let (header, rows) = read_csv(&fx.dir.path().join("codes-matrix.csv"));
    assert_eq!(header[..4], ["measure", "code", "code_class", "code_label"]);
    let ids: Vec<&str> = fx.data.journeys.iter().map(|j| j.id.as_str()).collect();
    let mut in_header: Vec<&str> = header[4..].iter().map(String::as_str).collect();
    in_header.sort();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(in_header, sorted);
    let mut checked = 0;
    for r in &rows {
        for j in &fx.data.journeys {
            let steps = j
                .steps
                .iter()
                .filter(|s| {
                    s.codes().any(|c| c == r["code"])
                        || fx.all_notes().iter().any(|(_, jid, n)| {
                            *jid == j.id && n.step == s.id && n.codes.contains(&r["code"])
                        })
                })
                .count();
            let want = if r["measure"] == "count" {
                steps
            } else {
                usize::from(steps > 0)
            };
            assert_eq!(
                r[&j.id],
                want.to_string(),
                "{} {} {}",
                r["measure"],
                r["code"],
                j.id
            );
            checked += 1;
        }
    }
    assert!(checked > 1000);
    assert_eq!(
        rows.iter().filter(|r| r["measure"] == "count").count() * 2,
        rows.len()
    );

    // The notes: every text back, the formula-looking ones guarded.
    let (header, rows) = read_csv(&fx.dir.path().join("codes-notes.csv"));
    assert_eq!(header, terreng::export::csv::NOTE_COLUMNS);
    assert_eq!(rows.len(), 6);
    for (a, j, n) in fx.all_notes() {
        let r = rows
            .iter()
            .find(|r| r["analyst"] == a && r["journey"] == j && r["note_id"] == n.id)
            .unwrap();
        let guarded = n.text.starts_with(['=', '+', '-', '@']);
        if guarded {
            assert_eq!(r["text"], format!("'{}", n.text));
        } else {
            assert_eq!(r["text"], n.text);
        }
        assert_eq!(r["codes"], n.codes.join(" "));
        let index = fx
            .data
            .journey(j)
            .unwrap()
            .steps
            .iter()
            .position(|s| s.id == n.step)
            .map_or(String::new(), |i| (i + 1).to_string());
        assert_eq!(r["step_index"], index);
    }
    let nasty = rows
        .iter()
        .find(|r| r["text"].contains("HYPERLINK"))
        .unwrap();
    assert!(nasty["text"].starts_with("'="));
    let at = rows
        .iter()
        .find(|r| r["text"].contains("+motivation"))
        .unwrap();
    assert!(at["text"].starts_with("'@"));
}

#[test]
fn csv_of_a_theme_and_one_analyst_holds_only_those() {
    let fx = Fixture::bundled();
    let sel = Selection {
        themes: vec!["models".to_string()],
        analysts: vec!["kv".to_string()],
        ..Selection::default()
    };
    let (path, summary) = fx.export(Format::Csv, "models.csv", &sel);
    assert_eq!(summary.journeys, 4);
    assert_eq!(summary.analysts, ["kv"]);
    let (_, rows) = read_csv(&path);
    assert!(rows.iter().all(|r| r["theme"] == "models"));
    let analysts: BTreeSet<&str> = rows.iter().map(|r| r["analyst"].as_str()).collect();
    assert_eq!(analysts, BTreeSet::from(["", "kv"]));
}

#[test]
fn unknown_ids_are_errors_with_a_suggestion() {
    let fx = Fixture::bundled();
    let path = fx.dir.path().join("x.csv");
    let try_export = |sel: Selection| {
        export::export(
            Format::Csv,
            &path,
            &sel,
            &fx.data,
            &fx.notes,
            &mut |_, _| {},
        )
        .unwrap_err()
        .to_string()
    };
    let e = try_export(Selection {
        journeys: vec!["g6".into()],
        ..Default::default()
    });
    assert_eq!(
        e,
        "unknown journey 'g6' in the bundled journeys — did you mean 'g06'?"
    );
    let e = try_export(Selection {
        themes: vec!["model".into()],
        ..Default::default()
    });
    assert!(
        e.starts_with("unknown theme 'model' — did you mean 'models'?"),
        "{e}"
    );
    let e = try_export(Selection {
        analysts: vec!["kw".into()],
        ..Default::default()
    });
    assert!(
        e.starts_with("no notes by analyst 'kw' in ") && e.ends_with(" — did you mean 'kv'?"),
        "{e}"
    );
    assert!(!path.exists(), "a failed export wrote a file");
}

fn terreng() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("terreng").unwrap();
    let nowhere = std::env::temp_dir().join("terreng-tests-no-home");
    cmd.env("HOME", &nowhere).env("XDG_DATA_HOME", &nowhere);
    cmd
}

#[test]
fn the_command_writes_a_project_and_says_what_it_wrote() {
    let fx = Fixture::bundled();
    let out = terreng()
        .current_dir(fx.dir.path())
        .args([
            "export",
            "qdpx",
            "-o",
            "study.qdpx",
            "--annotations",
            "annotations",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        said,
        format!(
            "wrote study.qdpx: {} journeys, {} steps, 6 notes by 2 analysts\n",
            fx.data.journeys.len(),
            fx.data.step_count()
        )
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("warning: note 01JD3Z5K8Q0000000000000003 by hh"),
        "{err}"
    );
    // Not a terminal: no progress bar.
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(fx.dir.path().join("study.qdpx").is_file());
}

#[test]
fn the_command_rejects_an_unknown_journey_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = terreng()
        .current_dir(dir.path())
        .args(["export", "csv", "-o", "x.csv", "--journey", "g6"])
        .output()
        .unwrap();
    // 2, as for clap's usage errors and an unknown id in `compare` and `agree`.
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "terreng export: unknown journey 'g6' in the bundled journeys — did you mean 'g06'?\n"
    );
    assert!(!dir.path().join("x.csv").exists());
}

/// The small fixture journey with notes whose text is made to break Markdown: a pipe, code
/// ticks, `#`, HTML, a list and a thematic break.
fn small_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("annotations");
    let files = [
        (
            "hh",
            vec![note(
                "01JD3Z5K8Q0000000000000011",
                "s02",
                &["tacit_resistance"],
                NASTY,
                "2026-11-23T10:02:11Z",
            )],
        ),
        (
            "kv",
            vec![note(
                "01JD3Z5K8Q0000000000000012",
                "s01",
                &["thumbs_up", "made_up"],
                "## A heading?\n| a | b |\n|---|---|\n1. not a list <script>alert(1)</script>",
                "2026-11-24T09:00:00Z",
            )],
        ),
    ];
    for (analyst, notes) in files {
        let mut a = Annotations::new(analyst, "ok");
        a.notes = notes;
        std::fs::create_dir_all(root.join(analyst)).unwrap();
        let text = ron::ser::to_string_pretty(&a, ron::ser::PrettyConfig::default()).unwrap();
        std::fs::write(root.join(analyst).join("ok.ron"), text).unwrap();
    }
    let (notes, problems) = NoteStore::read(&root);
    assert!(problems.is_empty(), "{problems:?}");
    let data = store::load(
        &DataSource::Dir(PathBuf::from("tests/fixtures/good/journeys")),
        Some(Path::new("tests/fixtures/good/terrain.ron")),
    );
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    Fixture { dir, data, notes }
}

/// The report as a CommonMark parser with tables sees it: headings (level, text), tables
/// (rows of cell texts), raw HTML, and all text.
struct Parsed {
    headings: Vec<(u8, String)>,
    tables: Vec<Vec<Vec<String>>>,
    html: Vec<String>,
    text: String,
}

fn parse_markdown(md: &str) -> Parsed {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut p = Parsed {
        headings: vec![],
        tables: vec![],
        html: vec![],
        text: String::new(),
    };
    let mut heading: Option<(u8, String)> = None;
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => p.headings.extend(heading.take()),
            Event::Start(Tag::Table(_)) => p.tables.push(vec![]),
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                p.tables.last_mut().unwrap().push(vec![])
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let c = cell.take().unwrap();
                p.tables.last_mut().unwrap().last_mut().unwrap().push(c);
            }
            Event::Html(h) | Event::InlineHtml(h) => p.html.push(h.to_string()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
                p.text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => p.text.push('\n'),
            _ => {}
        }
    }
    p
}

#[test]
fn notes_cannot_break_the_reports_tables_or_headings() {
    let fx = small_fixture();
    let (path, summary) = fx.export(Format::Markdown, "report.md", &Selection::default());
    assert_eq!((summary.journeys, summary.notes), (1, 2));
    let md = std::fs::read_to_string(&path).unwrap();
    let parsed = parse_markdown(&md);

    // Exactly the report's own headings, none from the notes.
    let levels: Vec<u8> = parsed.headings.iter().map(|h| h.0).collect();
    assert_eq!(levels, [1, 2, 2, 3, 3, 3, 4, 4], "{:?}", parsed.headings);
    assert!(
        parsed
            .headings
            .iter()
            .all(|(_, h)| !h.contains("A heading"))
    );
    assert_eq!(parsed.headings[6].1, "1. Set out");

    // Two tables, every row as wide as its header.
    assert_eq!(parsed.tables.len(), 2);
    for t in &parsed.tables {
        for row in t {
            assert_eq!(row.len(), t[0].len(), "{t:?}");
        }
    }
    // The terrain table: thumbs up on s01 (journey and kv), the wall on s02, the unknown code.
    let terrain: Vec<(String, String)> = parsed.tables[1][1..]
        .iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect();
    assert_eq!(
        terrain,
        [
            (
                "Cliff wall (silent resistance)".to_string(),
                "1".to_string()
            ),
            ("Thumbs up".to_string(), "1".to_string()),
            ("made_up".to_string(), "1".to_string()),
        ]
    );

    // No HTML gets through, and each note reads back as it was written.
    assert!(parsed.html.is_empty(), "{:?}", parsed.html);
    for (_, _, n) in fx.all_notes() {
        let lines: Vec<&str> = n.text.lines().collect();
        assert!(
            parsed.text.contains(&lines.join("\n")),
            "{:?} not in\n{}",
            n.text,
            parsed.text
        );
    }
    insta::assert_snapshot!("report_small", md);
}

/// The route polylines of a figure, per journey: step id → points in layout units, with the
/// scale of the group they are drawn in.
/// A journey's route group: its transform, and each step's id and points.
type DrawnRoute = (String, Vec<(String, Vec<(f64, f64)>)>);

fn svg_routes(svg: &str) -> BTreeMap<String, DrawnRoute> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let ns = terreng::export::svg::NAMESPACE;
    let mut out = BTreeMap::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let Some(journey) = g.attribute((ns, "journey")) else {
            continue;
        };
        let steps = g
            .children()
            .filter(|n| n.has_tag_name("polyline"))
            .map(|p| {
                let points = p
                    .attribute("points")
                    .unwrap()
                    .split(' ')
                    .map(|xy| {
                        let (x, y) = xy.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect();
                (p.attribute((ns, "step")).unwrap().to_string(), points)
            })
            .collect();
        out.insert(
            journey.to_string(),
            (g.attribute("transform").unwrap().to_string(), steps),
        );
    }
    out
}

/// Every route in the figure is the layout's, point for point, drawn at a uniform scale.
fn assert_routes_are_the_layouts(svg: &str, journeys: &[&Journey]) {
    let routes = svg_routes(svg);
    assert_eq!(routes.len(), journeys.len());
    for j in journeys {
        let (transform, steps) = &routes[&j.id];
        let scale = transform
            .split("scale(")
            .nth(1)
            .unwrap()
            .trim_end_matches(')');
        let (sx, sy) = scale.split_once(' ').unwrap();
        assert_eq!(format!("-{sx}"), sy, "{transform}");
        let route = layout(j);
        assert_eq!(steps.len(), j.steps.len());
        for ((id, points), (step, placed)) in steps.iter().zip(j.steps.iter().zip(&route.steps)) {
            assert_eq!(id, &step.id);
            let want = placed.polyline();
            assert_eq!(points.len(), want.len(), "{} {id}", j.id);
            for (got, p) in points.iter().zip(&want) {
                assert!(
                    (got.0 - p.x).abs() < 1e-3 && (got.1 - p.y).abs() < 1e-3,
                    "{} {id}: {got:?} != {p:?}",
                    j.id
                );
            }
        }
    }
}

#[test]
fn the_svg_map_draws_the_layouts_route_and_a_small_journey_looks_as_reviewed() {
    let fx = small_fixture();
    let (path, _) = fx.export(Format::Svg, "ok.svg", &Selection::default());
    let svg = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert!(
        root.attribute("viewBox").is_some()
            && root
                .attribute("font-family")
                .unwrap()
                .contains("sans-serif")
    );
    let ok = fx.data.journey("ok").unwrap();
    assert_routes_are_the_layouts(&svg, &[ok]);
    // The title names the journey, a line names the source; the legend names the terrain.
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(texts[0], ok.title);
    assert!(texts.iter().any(|t| t.starts_with("Source: A test source")));
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Cliff wall (silent resistance)"))
    );
    assert!(texts.iter().any(|t| t.starts_with("Thumbs up")));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("path") && n.attribute("class") == Some("wall"))
            .count(),
        1
    );
    insta::assert_snapshot!("svg_small", svg);
}

#[test]
fn the_svg_of_a_bundled_journey_and_of_a_theme_draw_the_layouts_routes() {
    let fx = Fixture::bundled();
    let (path, _) = fx.export(
        Format::Svg,
        "g06.svg",
        &Selection {
            journeys: vec!["g06".into()],
            ..Default::default()
        },
    );
    let svg = std::fs::read_to_string(&path).unwrap();
    assert_routes_are_the_layouts(&svg, &[fx.data.journey("g06").unwrap()]);
    let (path, _) = fx.export(Format::Svg, "all.svg", &Selection::default());
    let svg = std::fs::read_to_string(&path).unwrap();
    let all: Vec<&Journey> = fx.data.journeys.iter().collect();
    assert_routes_are_the_layouts(&svg, &all);
}

/// Exporting the bundled data with two analysts' notes: every note's text is in every format.
#[test]
fn every_notes_text_is_in_every_format() {
    let fx = Fixture::bundled();
    let all = Selection::default();
    let texts: Vec<&str> = fx
        .all_notes()
        .iter()
        .map(|(_, _, n)| n.text.as_str())
        .collect();
    assert_eq!(texts.len(), 6);

    let (md, _) = fx.export(Format::Markdown, "r.md", &all);
    let md = parse_markdown(&std::fs::read_to_string(md).unwrap());
    let (csv, _) = fx.export(Format::Csv, "c.csv", &all);
    let (_, rows) = read_csv(&csv.with_file_name("c-notes.csv"));
    let (svg, _) = fx.export(Format::Svg, "f.svg", &all);
    let svg = std::fs::read_to_string(svg).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let svg_text: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title") || n.has_tag_name("desc"))
        .filter_map(|n| n.text())
        .collect();
    let (qdpx, _) = fx.export(Format::Qdpx, "p.qdpx", &all);
    let project = Project::open(&qdpx);
    let doc = project.doc();
    let sources: Vec<&str> = elements(&doc, "PlainTextContent")
        .iter()
        .filter_map(|n| n.text())
        .collect();

    for text in texts {
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            md.text.contains(&lines.join("\n")),
            "markdown lacks {text:?}"
        );
        assert!(
            rows.iter()
                .any(|r| r["text"] == text || r["text"] == format!("'{text}")),
            "csv lacks {text:?}"
        );
        assert!(
            svg_text.iter().any(|t| t.contains(text)),
            "svg lacks {text:?}"
        );
        assert!(sources.contains(&text), "qdpx lacks {text:?}");
    }
}

/// Copies the repository's journeys into `<tmp>/<name>/journeys`, with the notes fixture
/// beside them, and loads them from there.
fn copied_study(tmp: &Path, name: &str) -> (Dataset, NoteStore, PathBuf) {
    let study = tmp.join(name);
    let journeys = study.join("journeys");
    std::fs::create_dir_all(&journeys).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("journeys");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), journeys.join(entry.file_name())).unwrap();
        }
    }
    write_notes(&study.join("annotations"));
    let (notes, _) = NoteStore::read(&study.join("annotations"));
    (
        store::load(&DataSource::Dir(study.clone()), None),
        notes,
        study,
    )
}

/// The same data in two places gives the same project, named after the folder, with no path
/// in it; a title, when the study has one, names it instead.
#[test]
fn a_project_is_named_by_its_study_never_by_a_path() {
    let tmp = tempfile::tempdir().unwrap();
    let mut written = Vec::new();
    for place in ["a", "b/deeper"] {
        let (data, notes, study) = copied_study(&tmp.path().join(place), "kommunestudien");
        assert!(data.problems.is_empty(), "{:?}", data.problems);
        let out = tmp.path().join(format!("{}.qdpx", place.replace('/', "-")));
        export::export(
            Format::Qdpx,
            &out,
            &Selection::default(),
            &data,
            &notes,
            &mut |_, _| {},
        )
        .unwrap();
        let p = Project::open(&out);
        assert_eq!(
            p.doc().root_element().attribute("name"),
            Some("kommunestudien")
        );
        assert!(!p.qde.contains(&*study.to_string_lossy()));
        assert!(!p.qde.contains(&*tmp.path().to_string_lossy()));
        written.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(written[0], written[1], "the same data gave different files");

    let (data, notes, _) = copied_study(tmp.path(), "c");
    let out = tmp.path().join("titled.qdpx");
    let titled = Selection {
        title: Some("Under radaren".into()),
        ..Selection::default()
    };
    export::export(Format::Qdpx, &out, &titled, &data, &notes, &mut |_, _| {}).unwrap();
    let p = Project::open(&out);
    assert_eq!(
        p.doc().root_element().attribute("name"),
        Some("Under radaren")
    );
}

/// `--blind` leaves out every other analyst's notes, in every format.
#[test]
fn a_blind_export_holds_only_the_analysts_own_notes() {
    let fx = Fixture::bundled();
    let blind = Selection {
        blind: Some("kv".into()),
        ..Selection::default()
    };
    let hh: Vec<&str> = fx
        .all_notes()
        .iter()
        .filter(|(a, _, _)| *a == "hh")
        .map(|(_, _, n)| n.text.as_str())
        .collect();
    assert_eq!(hh.len(), 4);
    for format in [Format::Markdown, Format::Csv, Format::Qdpx] {
        let (path, summary) = fx.export(format, &format!("blind.{}", format.name()), &blind);
        assert_eq!(summary.analysts, ["kv"], "{format:?}");
        assert_eq!(summary.notes, 2, "{format:?}");
        let text = if format == Format::Qdpx {
            Project::open(&path).qde
        } else if format == Format::Csv {
            std::fs::read_to_string(path.with_file_name("blind-notes.csv")).unwrap()
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        assert!(text.contains("taus motstand"), "{format:?} lacks kv's note");
        for t in &hh {
            let first = t.lines().next().unwrap();
            assert!(
                !text.contains(first),
                "{format:?} shows hh's note {first:?}"
            );
        }
    }
    // Blind as someone with no notes: nothing of anyone's.
    let nobody = Selection {
        blind: Some("new".into()),
        ..Selection::default()
    };
    let (_, summary) = fx.export(Format::Markdown, "nobody.md", &nobody);
    assert_eq!(summary.notes, 0);
}

/// `terreng export --blind` is blind as the analyst who runs it.
#[test]
fn the_command_exports_blind_as_its_analyst() {
    let fx = Fixture::bundled();
    let out = terreng()
        .current_dir(fx.dir.path())
        .env("TERRENG_ANALYST", "hh")
        .args([
            "export",
            "csv",
            "-o",
            "b.csv",
            "--annotations",
            "annotations",
            "--blind",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("4 notes by 1 analyst"), "{said}");
    let notes = std::fs::read_to_string(fx.dir.path().join("b-notes.csv")).unwrap();
    assert!(!notes.contains("taus motstand"));
    assert!(notes.contains("Polite answers"));
}

/// `--excel` starts each CSV file with a byte-order mark, and only then; the message names
/// all three files.
#[test]
fn csv_for_excel_has_a_byte_order_mark_and_the_message_names_every_file() {
    let fx = Fixture::bundled();
    for excel in [false, true] {
        let mut args = vec![
            "export",
            "csv",
            "-o",
            "c.csv",
            "--annotations",
            "annotations",
        ];
        if excel {
            args.push("--excel");
        }
        let out = terreng()
            .current_dir(fx.dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let said = String::from_utf8(out.stdout).unwrap();
        assert!(
            said.starts_with("wrote c.csv, c-matrix.csv, c-notes.csv: "),
            "{said}"
        );
        for name in ["c.csv", "c-matrix.csv", "c-notes.csv"] {
            let bytes = std::fs::read(fx.dir.path().join(name)).unwrap();
            assert_eq!(bytes.starts_with(&[0xef, 0xbb, 0xbf]), excel, "{name}");
            // Exactly one mark, and the header right after it.
            let text = std::str::from_utf8(&bytes)
                .unwrap()
                .trim_start_matches('\u{feff}');
            assert!(!text.starts_with('\u{feff}'));
            assert!(
                text.starts_with("journey,") || text.starts_with("measure,"),
                "{name}"
            );
        }
    }
}

/// A blank line in a note is a paragraph break in the report, inside the note's list item;
/// a single line break stays a line break.
#[test]
fn a_notes_paragraphs_stay_paragraphs_of_its_item() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("annotations");
    let mut a = Annotations::new("hh", "ok");
    a.notes = vec![note(
        "01JD3Z5K8Q0000000000000021",
        "s01",
        &[],
        "First paragraph,\nsecond line.\n\n\n- Second paragraph, not a list.\r\n\r\nThird.",
        "2026-11-23T10:02:11Z",
    )];
    std::fs::create_dir_all(root.join("hh")).unwrap();
    let text = ron::ser::to_string_pretty(&a, ron::ser::PrettyConfig::default()).unwrap();
    std::fs::write(root.join("hh").join("ok.ron"), text).unwrap();
    let (notes, _) = NoteStore::read(&root);
    let data = store::load(
        &DataSource::Dir(PathBuf::from("tests/fixtures/good/journeys")),
        Some(Path::new("tests/fixtures/good/terrain.ron")),
    );
    let path = dir.path().join("r.md");
    export::export(
        Format::Markdown,
        &path,
        &Selection::default(),
        &data,
        &notes,
        &mut |_, _| {},
    )
    .unwrap();
    let md = std::fs::read_to_string(&path).unwrap();
    // The paragraphs of the item that holds the note, as text.
    let mut depth = 0;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut in_note = false;
    for event in Parser::new(&md) {
        match event {
            Event::Start(Tag::Item) => depth += 1,
            Event::End(TagEnd::Item) => {
                depth -= 1;
                if in_note {
                    break;
                }
            }
            Event::Start(Tag::List(_)) if in_note => panic!("a list inside the note:\n{md}"),
            Event::Start(Tag::Paragraph) if depth > 0 => paragraphs.push(String::new()),
            Event::Text(t) | Event::Code(t) if depth > 0 => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_str(&t);
                    in_note |= t.contains("First paragraph");
                }
            }
            Event::HardBreak | Event::SoftBreak if depth > 0 => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push('\n');
                }
            }
            _ => {}
        }
    }
    let note: Vec<&String> = paragraphs
        .iter()
        .skip_while(|p| !p.contains("First paragraph"))
        .collect();
    assert_eq!(note.len(), 3, "{note:?}\n{md}");
    assert!(
        note[0].ends_with("First paragraph,\nsecond line."),
        "{:?}",
        note[0]
    );
    assert_eq!(note[1], "- Second paragraph, not a list.");
    assert_eq!(note[2], "Third.");
}
