//! REFI-QDA projects in (`.qdpx`, a zip of `project.qde` and its source files): the text
//! sources become sources, the codebook is merged into the study's catalogue, and the coded
//! selections become candidate passages of their source.
//!
//! A code is matched to a catalogue code by terreng's own GUID for it (so terreng's export
//! comes back to the same ids), else by its id or English label; a code with no match is added
//! to the catalogue's `unsorted` class with its name, description, nearest named colour and
//! parent (`category`); a code that cannot be coded is added only as the parent of one that
//! is. Text positions are code points, as REFI-QDA counts them, so a source's text is kept
//! byte for byte. Sources other than text (pictures, audio) are skipped; a PDF source's text
//! representation is taken where the project has one. The catalogue file is edited in place:
//! new codes are added to its `unsorted` list and every other byte stays, and nothing is
//! written unless the result is a valid catalogue.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, bail};
use roxmltree::Node;

use super::docx::{part, xml};
use super::{Source, id_from_name, sha256, write_source};
use crate::model::source::{Document, Format, Passage};
use crate::model::terrain::refi_code_guid;
use crate::model::{Feature, NamedColor, Shape, Terrain};
use crate::store::locate::find_key;
use crate::store::{terrain_from_bytes, validate};

/// What a project brought in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The ids of the new sources.
    pub sources: Vec<String>,
    /// Codes added to the catalogue as unsorted.
    pub codes: usize,
    /// Coded passages kept as candidates.
    pub passages: usize,
    /// Sources not taken, with why ("x: already in the study as y", "x: not a text").
    pub skipped: Vec<String>,
}

/// A code of the project's codebook.
struct Code<'a> {
    guid: &'a str,
    name: String,
    codable: bool,
    color: Option<&'a str>,
    description: String,
    parent: Option<&'a str>,
}

fn named<'a, 'i>(n: Node<'a, 'i>, name: &str) -> impl Iterator<Item = Node<'a, 'i>> {
    let name = name.to_string();
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(n: Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

fn collect_codes<'a>(n: Node<'a, '_>, parent: Option<&'a str>, out: &mut Vec<Code<'a>>) {
    for c in named(n, "Code") {
        let Some(guid) = c.attribute("guid") else {
            continue;
        };
        out.push(Code {
            guid,
            name: c.attribute("name").unwrap_or(guid).trim().to_string(),
            codable: c.attribute("isCodable") != Some("false"),
            color: c.attribute("color"),
            description: named(c, "Description")
                .next()
                .map(text_of)
                .unwrap_or_default(),
            parent,
        });
        collect_codes(c, Some(guid), out);
    }
}

/// Imports the project `bytes` into the sources folder `dir` and the catalogue file `terrain`.
pub fn import(
    dir: &Path,
    bytes: &[u8],
    existing: &[Source],
    terrain_path: &Path,
) -> anyhow::Result<Imported> {
    let qde = part(bytes, "project.qde")
        .map_err(anyhow::Error::msg)?
        .context("not a REFI-QDA project (no project.qde)")?;
    let doc = xml("project.qde", &qde).map_err(anyhow::Error::msg)?;
    let project = doc.root_element();
    if project.tag_name().name() != "Project" {
        bail!("project.qde is not a REFI-QDA project (its root is not <Project>)");
    }
    let catalogue_text = std::fs::read_to_string(terrain_path)
        .with_context(|| format!("cannot read the catalogue {}", terrain_path.display()))?;
    let catalogue = terrain_from_bytes(
        &terrain_path.display().to_string(),
        catalogue_text.as_bytes(),
    )
    .map_err(|ps| {
        let first = ps.first().map(ToString::to_string).unwrap_or_default();
        anyhow::anyhow!("the study's catalogue has problems ({first}); repair it first")
    })?;

    // The codebook: each code to a catalogue id, new ones made unsorted.
    let mut codes = Vec::new();
    if let Some(book) = named(project, "CodeBook").next()
        && let Some(list) = named(book, "Codes").next()
    {
        collect_codes(list, None, &mut codes);
    }
    let (ids, new_features) = map_codes(&codes, &catalogue);

    // The sources.
    let mut imported = Imported::default();
    let mut taken: Vec<String> = existing.iter().map(|s| s.id.clone()).collect();
    let mut shas: HashMap<String, String> = existing
        .iter()
        .map(|s| (s.doc.sha256.clone(), s.id.clone()))
        .collect();
    let mut writes = Vec::new();
    if let Some(sources) = named(project, "Sources").next() {
        for s in sources.children().filter(Node::is_element) {
            let name = s.attribute("name").unwrap_or("source").to_string();
            let text_node = match s.tag_name().name() {
                "TextSource" => Some(s),
                _ => s
                    .descendants()
                    .find(|d| d.tag_name().name() == "Representation"),
            };
            let Some(t) = text_node else {
                imported.skipped.push(format!("{name}: not a text source"));
                continue;
            };
            let text = match source_text(bytes, t) {
                Ok(text) => text,
                Err(why) => {
                    imported.skipped.push(format!("{name}: {why}"));
                    continue;
                }
            };
            let sha = sha256(text.as_bytes());
            if let Some(id) = shas.get(&sha) {
                imported
                    .skipped
                    .push(format!("{name}: already in the study as sources/{id}.txt"));
                continue;
            }
            // "interview 3.docx" → "interview 3"; a dot in a title is kept.
            let stem = match name.rsplit_once('.') {
                Some((s, ext))
                    if (1..=5).contains(&ext.len())
                        && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
                {
                    s
                }
                _ => name.as_str(),
            };
            let base = id_from_name(stem);
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) || dir.join(format!("{id}.txt")).exists() {
                id = format!("{base}-{n}");
                n += 1;
            }
            taken.push(id.clone());
            shas.insert(sha.clone(), id.clone());
            let chars = text.chars().count();
            let mut passages: Vec<Passage> = Vec::new();
            for sel in t
                .descendants()
                .filter(|d| d.tag_name().name() == "PlainTextSelection")
            {
                let pos = |a: &str| sel.attribute(a).and_then(|v| v.parse::<usize>().ok());
                let (Some(start), Some(end)) = (pos("startPosition"), pos("endPosition")) else {
                    continue;
                };
                if start > end || end > chars {
                    continue;
                }
                let mut codes: Vec<String> = sel
                    .descendants()
                    .filter(|d| d.tag_name().name() == "CodeRef")
                    .filter_map(|r| r.attribute("targetGUID"))
                    .filter_map(|g| ids.get(g).cloned())
                    .collect();
                codes.sort();
                codes.dedup();
                if codes.is_empty() {
                    continue;
                }
                match passages
                    .iter_mut()
                    .find(|p| p.start == start && p.end == end)
                {
                    Some(p) => {
                        p.codes.extend(codes);
                        p.codes.sort();
                        p.codes.dedup();
                    }
                    None => passages.push(Passage { start, end, codes }),
                }
            }
            passages.sort_by_key(|p| (p.start, p.end));
            imported.passages += passages.len();
            let doc = Document {
                original: name,
                format: Format::Qdpx,
                sha256: sha,
                added: super::now(),
                title: None,
                page_breaks: Vec::new(),
                headings: Vec::new(),
                passages,
            };
            writes.push((id.clone(), text, doc));
            imported.sources.push(id);
        }
    }

    // The catalogue first (checked before it is written), then the sources.
    imported.codes = new_features.len();
    if !new_features.is_empty() {
        let merged = add_unsorted(&catalogue_text, &new_features)?;
        terrain_from_bytes("terrain.ron", merged.as_bytes()).map_err(|ps| {
            let first = ps.first().map(ToString::to_string).unwrap_or_default();
            anyhow::anyhow!("the merged catalogue would not be valid ({first}); nothing written")
        })?;
        super::write_file(terrain_path, merged.as_bytes())
            .with_context(|| format!("cannot write {}", terrain_path.display()))?;
    }
    for (id, text, doc) in &writes {
        write_source(dir, id, text, doc)?;
    }
    Ok(imported)
}

/// A text source's text: its `PlainTextContent`, or the file its `plainTextPath` names inside
/// the project (`internal://x.txt` is `sources/x.txt`).
fn source_text(bytes: &[u8], t: Node) -> Result<String, String> {
    if let Some(c) = named(t, "PlainTextContent").next() {
        return Ok(text_of(c));
    }
    let path = t
        .attribute("plainTextPath")
        .ok_or("no text (neither plainTextPath nor PlainTextContent)")?;
    let Some(inner) = path.strip_prefix("internal://") else {
        return Err(format!("its text is outside the project ({path})"));
    };
    if inner.contains("..") {
        return Err(format!("its text path is not inside the project ({path})"));
    }
    part(bytes, &format!("sources/{inner}"))?
        .ok_or_else(|| format!("sources/{inner} is missing from the project"))
}

/// Each project code's catalogue id, and the features to add as unsorted.
fn map_codes(codes: &[Code], catalogue: &Terrain) -> (HashMap<String, String>, Vec<Feature>) {
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut by_guid: HashMap<String, String> = HashMap::new();
    let all = || {
        catalogue
            .features()
            .map(|(_, f)| f)
            .chain(catalogue.unsorted.iter())
    };
    for f in all() {
        by_guid.insert(refi_code_guid(&f.id), f.id.clone());
    }
    let known = |name: &str| {
        all()
            .find(|f| f.id == name || f.en == name)
            .map(|f| f.id.clone())
    };
    let mut new: Vec<(usize, Feature)> = Vec::new();
    let mut used: Vec<String> = all().map(|f| f.id.clone()).collect();
    for (i, c) in codes.iter().enumerate() {
        if let Some(id) = by_guid.get(c.guid).cloned().or_else(|| known(&c.name)) {
            ids.insert(c.guid.to_string(), id);
            continue;
        }
        // terreng's own export says each code's id in its description: "(obstacle `id`; …".
        let base =
            exported_id(&c.description).unwrap_or_else(|| id_from_name(&c.name).replace('-', "_"));
        let mut id = base.clone();
        let mut n = 2;
        while used.contains(&id) || !validate::is_valid_id(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        used.push(id.clone());
        ids.insert(c.guid.to_string(), id.clone());
        new.push((
            i,
            Feature {
                id,
                en: c.name.clone(),
                no: c.name.clone(),
                shape: Shape::Marker,
                glyph: "·".to_string(),
                ascii: ".".to_string(),
                color: c
                    .color
                    .and_then(NamedColor::nearest_hex)
                    .unwrap_or(NamedColor::Gray),
                definition: c.description.trim().to_string(),
                source: "REFI-QDA project".to_string(),
                // The label is the other project's coders' word for it.
                origin: crate::model::Origin::Coined(
                    "a code of an imported REFI-QDA project".into(),
                ),
                category: None,
                merged_into: None,
            },
        ));
    }
    // Parents: the id of each new code's parent; a new code that cannot be coded stays only
    // when some new code sits under it.
    for (i, f) in new.iter_mut() {
        f.category = codes[*i].parent.and_then(|p| ids.get(p).cloned());
    }
    let parents: Vec<String> = new.iter().filter_map(|(_, f)| f.category.clone()).collect();
    new.retain(|(i, f)| codes[*i].codable || parents.contains(&f.id));
    (ids, new.into_iter().map(|(_, f)| f).collect())
}

/// The catalogue id terreng's REFI-QDA export writes into a code's description, if it is one
/// of those: "Cliff wall (silent resistance) (obstacle `tacit_resistance`; Norwegian: …".
fn exported_id(description: &str) -> Option<String> {
    let first = description.lines().next()?;
    let rest = ["(obstacle `", "(enabler `"]
        .iter()
        .find_map(|m| first.find(m).map(|i| &first[i + m.len()..]))?;
    let id = &rest[..rest.find('`')?];
    validate::is_valid_id(id).then(|| id.to_string())
}

/// The catalogue text with `features` added to its `unsorted` list (made where it has none),
/// every other byte as it was.
fn add_unsorted(text: &str, features: &[Feature]) -> anyhow::Result<String> {
    let config = ron::ser::PrettyConfig::default()
        .indentor("    ".to_string())
        .new_line("\n".to_string());
    let mut entries = String::new();
    for f in features {
        let one = crate::store::parse::ron_options()
            .to_string_pretty(f, config.clone())
            .context("cannot write a code")?;
        for line in one.lines() {
            entries.push_str("        ");
            entries.push_str(line);
            entries.push('\n');
        }
        // The last line was the closing parenthesis: a comma after it.
        entries.pop();
        entries.push_str(",\n");
    }
    if let Some(key) = find_key(text, "unsorted", 0)
        && let Some(open) = text[key..].find('[').map(|i| key + i)
    {
        let mut out = text.to_string();
        out.insert_str(open + 1, &format!("\n{entries}"));
        return Ok(out);
    }
    let close = text
        .trim_end()
        .rfind(')')
        .context("the catalogue does not end with ')'")?;
    let before = text[..close].trim_end();
    let comma = if before.ends_with(',') || before.ends_with('(') {
        ""
    } else {
        ","
    };
    Ok(format!(
        "{before}{comma}\n    unsorted: [\n{entries}    ],\n{}",
        &text[close..]
    ))
}
