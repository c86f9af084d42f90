//! Checks beyond syntax: ids that must exist in the catalogue, ids that must be unique, and the
//! rules of evidence. Each problem is located in the file's text where possible.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use crate::model::{FeatureClass, Journey, Origin, Provenance, Shape, Terrain};
use crate::store::locate::{LineIndex, find_key, find_string, step_offsets};
use crate::store::problem::Problem;
use crate::store::suggest::did_you_mean;

/// Whether `id` is usable as a journey id and file name: ASCII letters, digits, `-` and `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Checks one parsed journey against its file name and the catalogue.
pub fn journey(path: &str, stem: &str, text: &str, j: &Journey, terrain: &Terrain) -> Vec<Problem> {
    // Every problem is placed from one index of the text's lines.
    let lines = LineIndex::new(text);
    let line_col = |_: &str, offset: usize| lines.line_col(offset);
    let mut out = Vec::new();
    let at = |offset: Option<usize>| offset.map(|o| line_col(text, o));
    let id_at = || at(find_key(text, "id", 0).and_then(|k| find_string(text, &j.id, k)));

    if !is_valid_id(&j.id) {
        out.push(Problem::new(
            path,
            id_at(),
            format!(
                "journey id '{}' may hold only ASCII letters, digits, '-' and '_'",
                j.id
            ),
        ));
    } else if j.id != stem {
        out.push(Problem::new(
            path,
            id_at(),
            format!(
                "journey id '{}' differs from the file name '{stem}.ron' — rename the file to {}.ron or set id: \"{stem}\"",
                j.id, j.id
            ),
        ));
    }

    if terrain.theme(&j.theme).is_none() {
        let theme_at = at(find_key(text, "theme", 0).and_then(|k| find_string(text, &j.theme, k)));
        out.push(Problem::new(
            path,
            theme_at,
            format!(
                "unknown theme '{}'{}",
                j.theme,
                did_you_mean(&j.theme, terrain.themes.iter().map(|t| t.id.as_str()))
            ),
        ));
    }

    if j.steps.is_empty() {
        let steps_at = at(find_key(text, "steps", 0));
        out.push(Problem::new(
            path,
            steps_at,
            format!("journey '{}' has no steps", j.id),
        ));
        return out;
    }

    // Where each step starts in the text: found only when a problem needs a place, since a
    // clean file (the usual case) needs none and finding them costs a pass over the text.
    let ids: Vec<&str> = j.steps.iter().map(|s| s.id.as_str()).collect();
    let offsets = std::cell::OnceCell::new();
    let offset = |i: usize| offsets.get_or_init(|| step_offsets(text, &ids))[i];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, step) in j.steps.iter().enumerate() {
        let start = || offset(i);
        let here = || Some(line_col(text, offset(i)));
        if step.id.trim().is_empty() {
            out.push(Problem::new(
                path,
                here(),
                format!("step {} has an empty id", i + 1),
            ));
        } else if let Some(&first) = seen.get(step.id.as_str()) {
            let (line, _) = line_col(text, offset(first));
            out.push(Problem::new(
                path,
                here(),
                format!("duplicate step id '{}' (first at line {line})", step.id),
            ));
        } else {
            seen.insert(&step.id, i);
        }

        for (ids, class) in [
            (&step.obstacles, FeatureClass::Obstacle),
            (&step.enablers, FeatureClass::Enabler),
        ] {
            for id in ids {
                if let Some(message) = check_feature(terrain, id, class) {
                    let where_ = at(find_string(text, id, start()));
                    out.push(Problem::new(
                        path,
                        where_,
                        format!("step '{}': {message}", step.id),
                    ));
                }
            }
        }

        let documented = matches!(step.provenance(j), Provenance::Documented);
        if documented && step.evidence.is_empty() {
            out.push(Problem::new(
                path,
                here(),
                format!(
                    "step '{}' is Documented but has no evidence — add (quote, translation, locator)",
                    step.id
                ),
            ));
        }
        for (n, ev) in step.evidence.iter().enumerate() {
            if ev.quote.trim().is_empty() {
                let quote_at = at(find_key(text, "quote", start()));
                out.push(Problem::new(
                    path,
                    quote_at,
                    format!("step '{}': evidence {} has an empty quote", step.id, n + 1),
                ));
            }
            if let Some((a, b)) = ev.span
                && a > b
            {
                out.push(Problem::new(
                    path,
                    at(find_key(text, "span", start())),
                    format!(
                        "step '{}': evidence {} has the span ({a}, {b}), which ends before it begins",
                        step.id,
                        n + 1
                    ),
                ));
            }
            if let Some(id) = &ev.source
                && !is_valid_id(id)
            {
                out.push(Problem::new(
                    path,
                    at(find_key(text, "source", start())),
                    format!(
                        "step '{}': evidence {} names the source '{id}'; a source id may hold only ASCII letters, digits, '-' and '_'",
                        step.id,
                        n + 1
                    ),
                ));
            }
        }
    }
    out
}

fn check_feature(terrain: &Terrain, id: &str, class: FeatureClass) -> Option<String> {
    let (want, other) = match class {
        FeatureClass::Obstacle => ("obstacle", "enabler"),
        FeatureClass::Enabler => ("enabler", "obstacle"),
    };
    match terrain.feature(id) {
        Some((found, _)) if found == class => None,
        Some(_) => Some(format!(
            "'{id}' is an {other}, not an {want} — move it to {other}s"
        )),
        None => {
            let known = match class {
                FeatureClass::Obstacle => &terrain.obstacles,
                FeatureClass::Enabler => &terrain.enablers,
            };
            Some(format!(
                "unknown {want} '{id}'{}",
                did_you_mean(id, known.iter().map(|f| f.id.as_str()))
            ))
        }
    }
}

/// Symbols the map draws for itself, which no marker or bridge may take.
pub const RESERVED_GLYPHS: &[(&str, &str)] = &[
    ("○", "the start"),
    ("◎", "the goal"),
    ("◉", "the current step"),
    ("•", "a step walked"),
    ("·", "a step ahead"),
    ("✎", "a step with notes"),
    ("─", "the route"),
    ("═", "the route"),
    ("│", "the route"),
    ("║", "the route"),
    ("╱", "the route"),
    ("╲", "the route"),
];

/// A problem with one origin marking: empty, or missing where the catalogue marks the others.
#[allow(clippy::too_many_arguments)]
fn origin_problem(
    out: &mut Vec<Problem>,
    path: &str,
    here: Option<(usize, usize)>,
    what: &str,
    id: &str,
    part: &str,
    origin: &Origin,
    marked: bool,
) {
    let message = match origin {
        Origin::Unmarked if marked => format!(
            "{what} '{id}': its {part} has no origin — mark it Source(\"study, section\") or Coined(\"what it rests on\")"
        ),
        Origin::Source(text) | Origin::Coined(text) if text.trim().is_empty() => {
            format!(
                "{what} '{id}': the origin of its {part} says nothing — give the locator or what it rests on"
            )
        }
        _ => return,
    };
    out.push(Problem::new(path, here, message));
}

/// Checks a parsed catalogue: unique ids, one-column glyphs no two markers share, ASCII fallbacks, shapes that fit.
pub fn terrain(path: &str, text: &str, t: &Terrain) -> Vec<Problem> {
    // Every problem is placed from one index of the text's lines.
    let lines = LineIndex::new(text);
    let line_col = |_: &str, offset: usize| lines.line_col(offset);
    let mut out = Vec::new();
    // A catalogue that marks any origin marks them all, so no label passes for the source's
    // words by being left out.
    let marked = t.features().any(|(_, f)| !f.origin.is_unmarked())
        || t.themes
            .iter()
            .any(|th| !th.origin.is_unmarked() || !th.image_origin.is_unmarked());
    let mut seen: HashMap<&str, &str> = HashMap::new();
    // Markers and bridges are told apart by their glyph alone when colour is off.
    let mut marks: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut from = 0;
    let entries = t
        .obstacles
        .iter()
        .map(|f| ("obstacle", f))
        .chain(t.enablers.iter().map(|f| ("enabler", f)))
        .chain(t.unsorted.iter().map(|f| ("unsorted code", f)));
    for (what, f) in entries {
        let offset = find_key(text, "id", from).and_then(|k| find_string(text, &f.id, k));
        if let Some(o) = offset {
            from = o + 1;
        }
        let here = offset.map(|o| line_col(text, o));
        if !is_valid_id(&f.id) {
            out.push(Problem::new(
                path,
                here,
                format!(
                    "{what} id '{}' may hold only ASCII letters, digits, '-' and '_'",
                    f.id
                ),
            ));
        }
        if let Some(first) = seen.insert(&f.id, what) {
            out.push(Problem::new(
                path,
                here,
                format!("duplicate id '{}' (already an {first})", f.id),
            ));
        }
        if f.glyph.chars().count() != 1 || f.glyph.width() != 1 {
            out.push(Problem::new(
                path,
                here,
                format!(
                    "{what} '{}': glyph '{}' must be one character one column wide",
                    f.id, f.glyph
                ),
            ));
        }
        // An alias is never drawn: its glyph may be anyone's; unsorted codes are not drawn yet.
        if f.merged_into.is_none()
            && matches!(f.shape, Shape::Marker | Shape::Bridge)
            && what != "unsorted code"
        {
            if let Some(&(_, role)) = RESERVED_GLYPHS.iter().find(|(g, _)| *g == f.glyph) {
                out.push(Problem::new(
                    path,
                    here,
                    format!(
                        "{what} '{}': glyph '{}' is the map's mark for {role}; choose another",
                        f.id, f.glyph
                    ),
                ));
            } else if let Some((other_what, other)) = marks.insert(&f.glyph, (what, &f.id)) {
                out.push(Problem::new(
                    path,
                    here,
                    format!(
                        "{what} '{}': glyph '{}' is already the mark of {other_what} '{other}'",
                        f.id, f.glyph
                    ),
                ));
            }
        }
        let ascii_ok = f.ascii.len() == 1 && f.ascii.bytes().all(|b| b.is_ascii_graphic());
        if !ascii_ok {
            out.push(Problem::new(
                path,
                here,
                format!(
                    "{what} '{}': ascii '{}' must be one printable ASCII character",
                    f.id, f.ascii
                ),
            ));
        }
        origin_problem(
            &mut out, path, here, what, &f.id, "label", &f.origin, marked,
        );
        let shape_ok = match what {
            "obstacle" => matches!(
                f.shape,
                Shape::Wall | Shape::Fog | Shape::Water | Shape::Marker
            ),
            _ => matches!(f.shape, Shape::Path | Shape::Bridge | Shape::Marker),
        };
        if !shape_ok {
            out.push(Problem::new(
                path,
                here,
                format!("{what} '{}': shape {:?} is not for {what}s", f.id, f.shape),
            ));
        }
    }
    out.extend(codebook(path, text, t));
    let mut themes: HashMap<&str, ()> = HashMap::new();
    let mut from = find_key(text, "themes", 0).unwrap_or(0);
    for th in &t.themes {
        let offset = find_key(text, "id", from).and_then(|k| find_string(text, &th.id, k));
        if let Some(o) = offset {
            from = o + 1;
        }
        let here = offset.map(|o| line_col(text, o));
        origin_problem(
            &mut out, path, here, "theme", &th.id, "label", &th.origin, marked,
        );
        // A theme without a landscape image has no image whose origin to give.
        if !th.image.trim().is_empty() {
            origin_problem(
                &mut out,
                path,
                here,
                "theme",
                &th.id,
                "image",
                &th.image_origin,
                marked,
            );
        }
        if themes.insert(&th.id, ()).is_some() {
            let here = offset.map(|o| line_col(text, o));
            out.push(Problem::new(
                path,
                here,
                format!("duplicate theme id '{}'", th.id),
            ));
        }
    }
    if t.themes.is_empty() {
        out.push(Problem::new(path, None, "the catalogue has no themes"));
    }
    out
}

/// The codebook's own rules: an alias (`merged_into`) names a code that is in the catalogue,
/// and its chain of merges ends; a code's category is one the catalogue has; category ids are
/// unique.
fn codebook(path: &str, text: &str, t: &Terrain) -> Vec<Problem> {
    // Every problem is placed from one index of the text's lines.
    let lines = LineIndex::new(text);
    let line_col = |_: &str, offset: usize| lines.line_col(offset);
    let mut out = Vec::new();
    let at = |id: &str| find_string(text, id, 0).map(|o| line_col(text, o));
    let codes = t.all_features().map(|(_, f)| f).chain(t.unsorted.iter());
    for f in codes {
        if let Some(into) = &f.merged_into {
            if !t.known(into) {
                let known = t.features().map(|(_, f)| f.id.as_str());
                out.push(Problem::new(
                    path,
                    at(&f.id),
                    format!(
                        "'{}' is merged into '{into}', which is not in the catalogue{}",
                        f.id,
                        did_you_mean(into, known)
                    ),
                ));
            } else {
                let end = t.resolve(&f.id);
                let ends = t
                    .raw_feature(end)
                    .map(|(_, g)| g)
                    .or_else(|| t.unsorted.iter().find(|g| g.id == end))
                    .is_some_and(|g| g.merged_into.is_none());
                if !ends {
                    out.push(Problem::new(
                        path,
                        at(&f.id),
                        format!(
                            "'{}' is merged into '{into}', and the merges loop back; point it at a code that is not merged",
                            f.id
                        ),
                    ));
                }
            }
        }
        // A category is one of the catalogue's categories, or a code the catalogue has (a
        // parent code, as a REFI-QDA project's hierarchy brings them).
        if let Some(category) = &f.category
            && t.category(category).is_none()
            && !t
                .all_features()
                .map(|(_, g)| g)
                .chain(t.unsorted.iter())
                .any(|g| g.id == *category)
        {
            out.push(Problem::new(
                path,
                at(&f.id),
                format!(
                    "'{}' is filed under category '{category}', which the catalogue does not have{}",
                    f.id,
                    did_you_mean(category, t.categories.iter().map(|c| c.id.as_str()))
                ),
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for c in &t.categories {
        if !seen.insert(c.id.as_str()) {
            out.push(Problem::new(
                path,
                at(&c.id),
                format!("duplicate category id '{}'", c.id),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::codebook::{add, new_code};
    use crate::model::{Category, Terrain};

    fn catalogue() -> Terrain {
        let mut t = crate::store::bundled::terrain();
        t.obstacles.truncate(2);
        t.enablers.truncate(1);
        t
    }

    fn messages(t: &Terrain) -> Vec<String> {
        terrain("t.ron", "", t)
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    #[test]
    fn aliases_and_categories_are_checked() {
        let mut t = catalogue();
        let a = t.obstacles[0].id.clone();
        let b = t.obstacles[1].id.clone();
        assert!(messages(&t).is_empty(), "{:?}", messages(&t));

        // An alias of a known code, sharing a glyph with it: fine.
        t.obstacles[0].merged_into = Some(b.clone());
        t.obstacles[0].glyph = t.obstacles[1].glyph.clone();
        t.index = Default::default();
        assert!(messages(&t).is_empty(), "{:?}", messages(&t));
        assert_eq!(t.resolve(&a), b);

        // A loop, an unknown target, an unknown category, a category twice.
        t.obstacles[1].merged_into = Some(a.clone());
        t.index = Default::default();
        let m = messages(&t);
        assert_eq!(
            m.iter()
                .filter(|m| m.contains("the merges loop back"))
                .count(),
            2,
            "{m:?}"
        );
        // Resolving a loop ends.
        let _ = t.resolve(&a);
        t.obstacles[1].merged_into = Some("nowhere".into());
        t.obstacles[1].category = Some("resorces".into());
        t.categories = vec![
            Category {
                id: "resources".into(),
                en: "Resources".into(),
                no: "Ressurser".into(),
                class: None,
            };
            2
        ];
        t.index = Default::default();
        let m = messages(&t);
        assert!(
            m.iter()
                .any(|m| m
                    == &format!("'{b}' is merged into 'nowhere', which is not in the catalogue")),
            "{m:?}"
        );
        assert!(m.iter().any(|m| m == &format!("'{b}' is filed under category 'resorces', which the catalogue does not have — did you mean 'resources'?")), "{m:?}");
        assert!(
            m.iter().any(|m| m == "duplicate category id 'resources'"),
            "{m:?}"
        );
    }

    #[test]
    fn a_new_code_passes_the_catalogue_checks() {
        let mut t = catalogue();
        for class in [FeatureClass::Obstacle, FeatureClass::Enabler] {
            for n in 0..20 {
                let id = format!("{}_{n}", class.name());
                let code = new_code(&t, class, &id, &id, &id, "");
                add(&mut t, class, code).unwrap();
            }
        }
        assert!(messages(&t).is_empty(), "{:?}", messages(&t));
    }

    #[test]
    fn a_step_or_a_note_using_an_alias_is_no_problem() {
        let mut t = catalogue();
        let (a, b) = (t.obstacles[0].id.clone(), t.obstacles[1].id.clone());
        t.obstacles[0].merged_into = Some(b);
        t.index = Default::default();
        let mut j = crate::model::edit::new_journey("j", "J", &t.themes[0].id.clone());
        let mut s = crate::model::edit::new_step("s01".into(), crate::model::StepKind::Stall, "x");
        s.obstacles = vec![a];
        s.provenance = Some(Provenance::Reconstructed("test".into()));
        j.steps.push(s);
        assert!(journey("j.ron", "j", "", &j, &t).is_empty());
    }
}
