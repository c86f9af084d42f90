//! A study folder: making one (`terreng new`) and reading its `study.ron`.
//!
//! A study folder holds `study.ron`, `terrain.ron`, `sources/`, `journeys/` and
//! `annotations/`. Making one never writes into a folder that already has anything in it, and
//! every file is written atomically.

use std::path::Path;

use anyhow::{Context, bail};

use crate::model::{Study, Terrain, Theme};
use crate::store::problem::Problem;
use crate::store::{bundled, parse, sources};

/// Makes a study folder at `dir`: the folders, `study.ron` and `terrain.ron` (a copy of the
/// bundled catalogue, or with `empty_codebook` no codes and one theme named after the study).
/// Refuses a `dir` that exists and is not an empty folder.
pub fn create(dir: &Path, study: &Study, empty_codebook: bool) -> anyhow::Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("{} exists and is not a folder", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} exists and is not empty; terreng new makes a study only in a new or empty folder",
                dir.display()
            );
        }
    }
    for sub in ["journeys", "sources", "annotations"] {
        let path = dir.join(sub);
        std::fs::create_dir_all(&path)
            .with_context(|| format!("cannot make {}", path.display()))?;
    }
    let terrain = if empty_codebook {
        to_ron(&empty_terrain(&study.title))?
    } else {
        bundled::terrain_text().to_string()
    };
    let path = dir.join("terrain.ron");
    sources::write_file(&path, terrain.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    let path = dir.join("study.ron");
    sources::write_file(&path, to_ron(study)?.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A codebook with no codes and one theme, `study`, named after the study.
pub fn empty_terrain(title: &str) -> Terrain {
    Terrain {
        obstacles: Vec::new(),
        enablers: Vec::new(),
        themes: vec![Theme {
            id: "study".to_string(),
            en: title.to_string(),
            no: title.to_string(),
            image: String::new(),
            source: String::new(),
            origin: crate::model::Origin::Coined("the study's title".to_string()),
            image_origin: Default::default(),
        }],
        categories: Vec::new(),
        unsorted: Vec::new(),
        index: Default::default(),
    }
}

/// A value as RON in terreng's layout: named structs, pretty, four-space indent, optional
/// values bare.
pub fn to_ron<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    let config = ron::ser::PrettyConfig::default()
        .struct_names(true)
        .indentor("    ".to_string());
    let mut text = parse::ron_options()
        .to_string_pretty(value, config)
        .context("cannot write RON")?;
    text.push('\n');
    Ok(text)
}

/// Reads `root/study.ron`: `None` where there is none (a folder of journeys that is not a
/// study), else the study or the problem with it.
pub fn read(root: &Path) -> Option<Result<Study, Problem>> {
    let path = root.join("study.ron");
    if !path.is_file() {
        return None;
    }
    let name = path.display().to_string();
    Some(
        std::fs::read(&path)
            .map_err(|e| Problem::new(&name, None, format!("cannot read: {e}")))
            .and_then(|bytes| {
                let text = parse::as_text(&name, &bytes, "Study")?;
                parse::parse(&name, text)
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_codebook_is_a_valid_catalogue() {
        let text = to_ron(&empty_terrain("Mi studie")).unwrap();
        let t = crate::store::terrain_from_bytes("terrain.ron", text.as_bytes()).unwrap();
        assert!(t.obstacles.is_empty() && t.enablers.is_empty());
        assert_eq!(t.themes[0].en, "Mi studie");
    }

    #[test]
    fn a_study_is_made_once_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        create(&dir, &Study::new("Samhandling"), false).unwrap();
        for sub in ["journeys", "sources", "annotations"] {
            assert!(dir.join(sub).is_dir(), "{sub}");
        }
        assert_eq!(
            std::fs::read_to_string(dir.join("terrain.ron")).unwrap(),
            bundled::terrain_text()
        );
        assert_eq!(read(&dir).unwrap().unwrap(), Study::new("Samhandling"));
        let again = create(&dir, &Study::new("x"), true)
            .unwrap_err()
            .to_string();
        assert!(again.contains("exists and is not empty"), "{again}");
    }
}
