//! Growing the codebook: codes made from a label, renamed, merged and deleted — pure functions
//! on the catalogue and the journeys, for the app's codebook and `terreng code`.
//!
//! Merging code A into B rewrites the journeys' references to A as B, and leaves A in the
//! catalogue as an alias (`merged_into: "b"`): other analysts' notes, which terreng never
//! rewrites, still name A, and [`Terrain::resolve`] counts them as B. A code is deleted only
//! when nothing uses it: no journey step, no note of any analyst, no alias.
//!
//! Nothing here reads or writes files; callers save what changed.

use std::collections::BTreeSet;

use unicode_width::UnicodeWidthStr;

use crate::model::{Feature, FeatureClass, Journey, NamedColor, Note, Shape, Terrain};

/// An id made from a label: ASCII lower-case snake_case, Norwegian letters transliterated
/// (æ → ae, ø → o, å → a), other accented Latin letters to their base letter, anything else a
/// separator; unique against `taken` by a numeric suffix (`_2`, `_3`, …).
pub fn id_from_label<'a>(label: &str, taken: impl IntoIterator<Item = &'a str>) -> String {
    let mut id = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'æ' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'å' | 'ä' | 'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' | 'ù' | 'û' => "u",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                id.push(c);
                continue;
            }
            _ => "_",
        };
        id.push_str(mapped);
    }
    let mut clean = String::with_capacity(id.len());
    for part in id.split('_').filter(|p| !p.is_empty()) {
        if !clean.is_empty() {
            clean.push('_');
        }
        clean.push_str(part);
    }
    if clean.is_empty() {
        clean.push_str("code");
    }
    let taken: BTreeSet<&str> = taken.into_iter().collect();
    if !taken.contains(clean.as_str()) {
        return clean;
    }
    (2..)
        .map(|n| format!("{clean}_{n}"))
        .find(|c| !taken.contains(c.as_str()))
        .unwrap_or(clean)
}

/// Glyphs for new markers, in the order they are offered: each one column wide and none of
/// them a mark the map draws for itself.
const OBSTACLE_GLYPHS: &[&str] = &[
    "◆", "■", "▼", "◣", "◢", "◤", "◥", "✕", "⊗", "⊘", "⊖", "⊠", "⋈", "※", "♦", "♠",
];
const ENABLER_GLYPHS: &[&str] = &[
    "◇", "□", "△", "▽", "◁", "▷", "✓", "⊕", "⊙", "⊞", "☆", "♣", "♥", "♢", "♤", "⌂",
];
/// The map's own marks (the start, the goal, steps, notes, the route), never a code's glyph.
const MAP_MARKS: &str = "○◎◉•·✎─═│║╱╲";

/// Glyphs to offer a new code, best first: the class's own, the other class's, then the
/// geometric shapes, arrows, mathematical operators and miscellaneous symbols of Unicode that
/// are one column wide, never a mark of the map's own.
fn candidate_glyphs(first: &'static [&'static str]) -> impl Iterator<Item = String> {
    let other = if std::ptr::eq(first, OBSTACLE_GLYPHS) {
        ENABLER_GLYPHS
    } else {
        OBSTACLE_GLYPHS
    };
    let ranges = [
        0x25A0..=0x25FF,
        0x2190..=0x21FF,
        0x2200..=0x22FF,
        0x2600..=0x26FF,
    ];
    first
        .iter()
        .chain(other.iter())
        .map(|g| g.to_string())
        .chain(
            ranges
                .into_iter()
                .flatten()
                .filter_map(char::from_u32)
                .map(String::from),
        )
        .filter(|g| g.width() == 1 && !MAP_MARKS.contains(g.as_str()))
}

const ASCII_MARKS: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+=?@~^<>";

/// A new code of `class` with the given id and labels: a marker, in red for an obstacle and
/// green for an enabler, with the first glyph and ASCII letter no other code has.
pub fn new_code(
    terrain: &Terrain,
    class: FeatureClass,
    id: &str,
    en: &str,
    no: &str,
    definition: &str,
) -> Feature {
    let used: BTreeSet<&str> = terrain
        .all_features()
        .map(|(_, f)| f)
        .chain(terrain.unsorted.iter())
        .flat_map(|f| [f.glyph.as_str(), f.ascii.as_str()])
        .collect();
    let (glyphs, color) = match class {
        FeatureClass::Obstacle => (OBSTACLE_GLYPHS, NamedColor::Red),
        FeatureClass::Enabler => (ENABLER_GLYPHS, NamedColor::Green),
    };
    let glyph = candidate_glyphs(glyphs)
        .find(|g| !used.contains(g.as_str()))
        .unwrap_or_else(|| "◆".to_string());
    let ascii = ASCII_MARKS
        .chars()
        .map(String::from)
        .find(|a| !used.contains(a.as_str()))
        .unwrap_or_else(|| "?".to_string());
    Feature {
        id: id.to_string(),
        en: en.to_string(),
        no: no.to_string(),
        shape: Shape::Marker,
        glyph: glyph.to_string(),
        ascii,
        color,
        definition: definition.to_string(),
        source: String::new(),
        // A code the analysts made: their own word for what they saw.
        origin: crate::model::Origin::Coined("an analyst's code".into()),
        category: None,
        merged_into: None,
    }
}

/// Why a codebook change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// No code with this id.
    Unknown(String),
    /// A code with this id exists already.
    Taken(String),
    /// The id cannot name a code (ASCII letters, digits, `-` and `_`).
    BadId(String),
    /// The code is an alias already: merged into the code named.
    Alias(String, String),
    /// A code merged into itself.
    SameCode(String),
    /// The code is still used; it can be merged into another, not deleted.
    InUse(String, Usage),
}

impl std::fmt::Display for CodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeError::Unknown(id) => write!(f, "no code '{id}'"),
            CodeError::Taken(id) => write!(f, "a code '{id}' is in the catalogue already"),
            CodeError::BadId(id) => write!(
                f,
                "'{id}' cannot be a code id: use ASCII letters, digits, '-' and '_'"
            ),
            CodeError::Alias(id, into) => {
                write!(f, "'{id}' was merged into '{into}' already")
            }
            CodeError::SameCode(id) => write!(f, "'{id}' cannot be merged into itself"),
            CodeError::InUse(id, usage) => write!(
                f,
                "'{id}' is still used ({}); merge it into another code instead",
                usage.describe()
            ),
        }
    }
}

impl std::error::Error for CodeError {}

/// Where a code is used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// (journey id, step id) of every step that carries it.
    pub steps: Vec<(String, String)>,
    /// (analyst, journey id, note id) of every note that carries it.
    pub notes: Vec<(String, String, String)>,
    /// The codes merged into it.
    pub aliases: Vec<String>,
}

impl Usage {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.notes.is_empty() && self.aliases.is_empty()
    }

    /// "3 steps, 2 notes, 1 alias".
    pub fn describe(&self) -> String {
        let count = |n: usize, one: &str, many: &str| {
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        };
        let parts: Vec<String> = [
            count(self.steps.len(), "step", "steps"),
            count(self.notes.len(), "note", "notes"),
            count(self.aliases.len(), "alias", "aliases"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "unused".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Where the code `id` is used, by its own id (not through aliases): journeys' steps, notes
/// given as (analyst, journey id, note), and the aliases merged into it.
pub fn usage(
    terrain: &Terrain,
    id: &str,
    journeys: &[Journey],
    notes: &[(&str, &str, &Note)],
) -> Usage {
    let steps = journeys
        .iter()
        .flat_map(|j| {
            j.steps
                .iter()
                .filter(|s| s.codes().any(|c| c == id))
                .map(|s| (j.id.clone(), s.id.clone()))
        })
        .collect();
    let notes = notes
        .iter()
        .filter(|(_, _, n)| n.codes.iter().any(|c| c == id))
        .map(|(a, j, n)| (a.to_string(), j.to_string(), n.id.clone()))
        .collect();
    let aliases = terrain
        .all_features()
        .map(|(_, f)| f)
        .chain(terrain.unsorted.iter())
        .filter(|f| f.merged_into.as_deref() == Some(id))
        .map(|f| f.id.clone())
        .collect();
    Usage {
        steps,
        notes,
        aliases,
    }
}

/// Every code entry of the catalogue with this id, mutable: obstacles, enablers, unsorted.
fn entry_mut<'a>(terrain: &'a mut Terrain, id: &str) -> Option<&'a mut Feature> {
    terrain
        .obstacles
        .iter_mut()
        .chain(terrain.enablers.iter_mut())
        .chain(terrain.unsorted.iter_mut())
        .find(|f| f.id == id)
}

/// Adds a code; its id must be a valid id no code has.
pub fn add(terrain: &mut Terrain, class: FeatureClass, code: Feature) -> Result<(), CodeError> {
    if !valid_id(&code.id) {
        return Err(CodeError::BadId(code.id));
    }
    if terrain.known(&code.id) {
        return Err(CodeError::Taken(code.id));
    }
    match class {
        FeatureClass::Obstacle => terrain.obstacles.push(code),
        FeatureClass::Enabler => terrain.enablers.push(code),
    }
    reindex(terrain);
    Ok(())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The lookup index is made on first use; a change to the lists makes a new one.
fn reindex(terrain: &mut Terrain) {
    terrain.index = Default::default();
}

/// Gives the code `id` new labels (either may be left as it is).
pub fn rename(
    terrain: &mut Terrain,
    id: &str,
    en: Option<&str>,
    no: Option<&str>,
) -> Result<(), CodeError> {
    let f = entry_mut(terrain, id).ok_or_else(|| CodeError::Unknown(id.to_string()))?;
    if let Some(en) = en {
        f.en = en.to_string();
    }
    if let Some(no) = no {
        f.no = no.to_string();
    }
    Ok(())
}

/// Merges the code `from` into `into`: every journey step that carries `from` carries `into`
/// instead (in the list of `into`'s class, once), the codes merged into `from` now point at
/// `into`, and `from` stays as an alias of `into`. Returns the ids of the journeys changed.
pub fn merge(
    terrain: &mut Terrain,
    journeys: &mut [Journey],
    from: &str,
    into: &str,
) -> Result<Vec<String>, CodeError> {
    if from == into {
        return Err(CodeError::SameCode(from.to_string()));
    }
    for id in [from, into] {
        let f = terrain
            .raw_feature(id)
            .map(|(_, f)| f)
            .or_else(|| terrain.unsorted.iter().find(|f| f.id == id))
            .ok_or_else(|| CodeError::Unknown(id.to_string()))?;
        if let Some(target) = &f.merged_into {
            return Err(CodeError::Alias(id.to_string(), target.clone()));
        }
    }
    // An unsorted code has no class on a step; it can be merged, not merged into.
    let Some((class, _)) = terrain.raw_feature(into) else {
        return Err(CodeError::Unknown(into.to_string()));
    };
    let mut changed = Vec::new();
    for j in journeys.iter_mut() {
        let mut touched = false;
        for s in &mut j.steps {
            let had = s.codes().any(|c| c == from);
            if !had {
                continue;
            }
            touched = true;
            s.obstacles.retain(|c| c != from);
            s.enablers.retain(|c| c != from);
            let list = match class {
                FeatureClass::Obstacle => &mut s.obstacles,
                FeatureClass::Enabler => &mut s.enablers,
            };
            if !list.iter().any(|c| c == into) {
                list.push(into.to_string());
            }
        }
        if touched {
            changed.push(j.id.clone());
        }
    }
    for f in terrain
        .obstacles
        .iter_mut()
        .chain(terrain.enablers.iter_mut())
        .chain(terrain.unsorted.iter_mut())
    {
        if f.id == from || f.merged_into.as_deref() == Some(from) {
            f.merged_into = Some(into.to_string());
        }
    }
    reindex(terrain);
    Ok(changed)
}

/// Deletes the code `id`, which nothing may use (see [`usage`]).
pub fn delete(
    terrain: &mut Terrain,
    id: &str,
    journeys: &[Journey],
    notes: &[(&str, &str, &Note)],
) -> Result<Feature, CodeError> {
    if !terrain.known(id) {
        return Err(CodeError::Unknown(id.to_string()));
    }
    let used = usage(terrain, id, journeys, notes);
    if !used.is_empty() {
        return Err(CodeError::InUse(id.to_string(), used));
    }
    let mut removed = None;
    for list in [
        &mut terrain.obstacles,
        &mut terrain.enablers,
        &mut terrain.unsorted,
    ] {
        if let Some(i) = list.iter().position(|f| f.id == id) {
            removed = Some(list.remove(i));
            break;
        }
    }
    reindex(terrain);
    removed.ok_or_else(|| CodeError::Unknown(id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StepKind;
    use crate::model::edit::{new_journey, new_step};

    fn terrain() -> Terrain {
        let mut t = Terrain {
            obstacles: Vec::new(),
            enablers: Vec::new(),
            themes: Vec::new(),
            categories: Vec::new(),
            unsorted: Vec::new(),
            index: Default::default(),
        };
        for (class, id) in [
            (FeatureClass::Obstacle, "wall"),
            (FeatureClass::Obstacle, "fog"),
            (FeatureClass::Enabler, "path"),
        ] {
            let code = new_code(&t, class, id, id, id, "");
            add(&mut t, class, code).unwrap();
        }
        t
    }

    #[test]
    fn ids_from_labels_are_ascii_snake_case_and_unique() {
        assert_eq!(id_from_label("Tid på kveldstid", []), "tid_pa_kveldstid");
        assert_eq!(id_from_label("Særlig støtte!", []), "saerlig_stotte");
        assert_eq!(id_from_label("  Å ØÆ  ", []), "a_oae");
        assert_eq!(id_from_label("Café – møte", []), "cafe_mote");
        assert_eq!(id_from_label("???", []), "code");
        assert_eq!(
            id_from_label("Wall", ["wall", "wall_2"]),
            "wall_3",
            "the first free suffix"
        );
    }

    #[test]
    fn new_codes_get_their_own_marks() {
        let t = terrain();
        let glyphs: BTreeSet<&str> = t.all_features().map(|(_, f)| f.glyph.as_str()).collect();
        assert_eq!(glyphs.len(), 3, "no two codes share a glyph");
        let (_, wall) = t.feature("wall").unwrap();
        assert_eq!((wall.shape, wall.color), (Shape::Marker, NamedColor::Red));
        let (_, path) = t.feature("path").unwrap();
        assert_eq!(path.color, NamedColor::Green);
        assert_ne!(wall.ascii, path.ascii);
    }

    #[test]
    fn a_merged_code_is_an_alias_that_resolves_and_cannot_be_deleted_while_used() {
        let mut t = terrain();
        let mut j = new_journey("j", "J", "t");
        let mut s = new_step("s01".into(), StepKind::Blocked, "x");
        s.obstacles = vec!["fog".into(), "wall".into()];
        j.steps.push(s);
        let mut journeys = vec![j];
        let changed = merge(&mut t, &mut journeys, "fog", "wall").unwrap();
        assert_eq!(changed, ["j"]);
        assert_eq!(journeys[0].steps[0].obstacles, ["wall"], "once");
        assert_eq!(t.resolve("fog"), "wall");
        assert_eq!(t.feature("fog").map(|(_, f)| f.id.as_str()), Some("wall"));
        assert_eq!(t.features().count(), 2, "the alias is not listed as a code");
        assert_eq!(
            merge(&mut t, &mut journeys, "fog", "path"),
            Err(CodeError::Alias("fog".into(), "wall".into()))
        );

        // A note by another analyst still names fog: fog cannot go, and neither can wall.
        let note = Note::new("s01", vec!["fog".into()], String::new());
        let notes = [("kv", "j", &note)];
        let e = delete(&mut t, "fog", &journeys, &notes).unwrap_err();
        assert_eq!(
            e.to_string(),
            "'fog' is still used (1 note); merge it into another code instead"
        );
        let e = delete(&mut t, "wall", &journeys, &[]).unwrap_err();
        assert!(e.to_string().contains("1 step, 1 alias"), "{e}");
        // Unused: gone.
        assert!(delete(&mut t, "fog", &journeys, &[]).is_ok());
        assert!(delete(&mut t, "path", &journeys, &[]).is_ok());
        assert!(!t.known("path"));
    }

    #[test]
    fn merging_a_code_merges_its_aliases_too_and_moves_class() {
        let mut t = terrain();
        let mut journeys = vec![];
        merge(&mut t, &mut journeys, "fog", "wall").unwrap();
        merge(&mut t, &mut journeys, "wall", "path").unwrap();
        assert_eq!(t.resolve("fog"), "path");
        let mut j = new_journey("j", "J", "t");
        let mut s = new_step("s01".into(), StepKind::Blocked, "x");
        s.obstacles = vec!["fog".into()];
        j.steps.push(s);
        let mut t2 = terrain();
        let mut js = vec![j];
        merge(&mut t2, &mut js, "fog", "path").unwrap();
        assert!(js[0].steps[0].obstacles.is_empty());
        assert_eq!(js[0].steps[0].enablers, ["path"]);
    }
}
