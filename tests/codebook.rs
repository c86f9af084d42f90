//! A codebook with categories and an alias, as the exports see it: the REFI-QDA codebook nests
//! codes under their category and leaves the alias out, and an analyst's coding with the alias
//! is a coding of the code it was merged into, in the project and in the CSV.

use std::io::Read;
use std::path::Path;

use assert_cmd::Command;
use terreng::export::refi::code_guid;
use terreng::model::{Category, Terrain};
use terreng::store::{parse, write};

/// A study with g06, a catalogue whose `time_scarcity` is filed under "Resources" and which has
/// `evenings` merged into it, and kv's note on g06's s01 coded `evenings`.
fn study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("journeys")).unwrap();
    std::fs::copy("journeys/g06.ron", d.join("journeys/g06.ron")).unwrap();
    let mut t: Terrain =
        parse::parse("t", &std::fs::read_to_string("assets/terrain.ron").unwrap()).unwrap();
    t.categories.push(Category {
        id: "resources".into(),
        en: "Resources".into(),
        no: "Ressurser".into(),
        class: None,
    });
    let ts = t
        .obstacles
        .iter()
        .position(|f| f.id == "time_scarcity")
        .unwrap();
    t.obstacles[ts].category = Some("resources".into());
    let mut alias = terreng::model::codebook::new_code(
        &t,
        terreng::model::FeatureClass::Obstacle,
        "evenings",
        "Evenings only",
        "Bare kveldstid",
        "",
    );
    alias.merged_into = Some("time_scarcity".into());
    t.obstacles.push(alias);
    std::fs::write(d.join("terrain.ron"), write::terrain_text(&t, "").unwrap()).unwrap();
    let notes = d.join("annotations/kv");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("g06.ron"),
        "Annotations(analyst: \"kv\", journey: \"g06\", notes: [(id: \"01KAQ3XK7J9Q0V6N2W8R4T5Y1Z\", step: \"s01\", codes: [\"evenings\"], text: \"\", created: \"2026-11-23T10:02:11Z\", updated: \"2026-11-23T10:02:11Z\")])\n",
    )
    .unwrap();
    dir
}

fn terreng(d: &Path, args: &[&str]) {
    let out = Command::cargo_bin("terreng")
        .unwrap()
        .current_dir(d)
        .env("HOME", std::env::temp_dir().join("terreng-tests-no-home"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_refi_codebook_nests_codes_under_categories_and_leaves_aliases_out() {
    let s = study();
    let d = s.path();
    terreng(d, &["check"]);
    terreng(d, &["export", "qdc", "-o", "book.qdc"]);
    let xml = std::fs::read_to_string(d.join("book.qdc")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let code = |guid: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("Code") && n.attribute("guid") == Some(guid))
    };
    let ts = code(&code_guid("time_scarcity")).expect("time_scarcity is in the codebook");
    let parent = ts.parent_element().unwrap();
    assert_eq!(parent.attribute("name"), Some("Resources"));
    assert_eq!(parent.attribute("isCodable"), Some("false"));
    assert_eq!(
        parent.parent_element().unwrap().attribute("name"),
        Some("Obstacles")
    );
    assert!(
        code(&code_guid("evenings")).is_none(),
        "the alias is no code of its own"
    );
    // The other codes stay directly under their class.
    let tr = code(&code_guid("tacit_resistance")).unwrap();
    assert_eq!(
        tr.parent_element().unwrap().attribute("name"),
        Some("Obstacles")
    );
}

#[test]
fn an_aliased_coding_is_exported_as_the_code_it_was_merged_into() {
    let s = study();
    let d = s.path();
    terreng(d, &["export", "qdpx", "-o", "p.qdpx"]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(d.join("p.qdpx")).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("project.qde")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let kv = doc
        .descendants()
        .find(|n| n.has_tag_name("User") && n.attribute("name") == Some("kv"))
        .unwrap()
        .attribute("guid")
        .unwrap();
    let targets: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Coding") && n.attribute("creatingUser") == Some(kv))
        .filter_map(|n| n.children().find(|c| c.has_tag_name("CodeRef")))
        .filter_map(|r| r.attribute("targetGUID"))
        .collect();
    let ts = code_guid("time_scarcity");
    assert_eq!(targets, [ts.as_str()]);
    let alias = code_guid("evenings");
    assert!(!xml.contains(&alias), "nothing refers to the alias");

    terreng(d, &["export", "csv", "-o", "codes.csv"]);
    let csv = std::fs::read_to_string(d.join("codes.csv")).unwrap();
    let kv_rows: Vec<&str> = csv.lines().filter(|l| l.contains(",analyst,kv,")).collect();
    assert_eq!(kv_rows.len(), 1, "{csv}");
    assert!(
        kv_rows[0].contains(",time_scarcity,obstacle,Time scarcity,"),
        "{}",
        kv_rows[0]
    );
}
