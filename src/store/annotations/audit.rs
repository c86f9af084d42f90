//! What `terreng check` reports of an annotation folder beyond files that do not parse: codes
//! not in the catalogue, orphans, note ids used twice, with the line of each note. It reads
//! the store and the data; it must not change either.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use crate::model::annotation::Note;
use crate::model::{Journey, Terrain};
use crate::store::{Problem, locate};

use super::NoteStore;
use super::codec::recovered_name;

/// The step ids of each journey, all [`audit`] needs of the journeys: `check` keeps this and
/// lets the journeys go before it reads the notes.
#[derive(Debug, Default)]
pub struct Steps(HashMap<String, BTreeSet<String>>);

impl Steps {
    pub fn of(journeys: &[Journey]) -> Steps {
        Steps(
            journeys
                .iter()
                .map(|j| (j.id.clone(), j.steps.iter().map(|s| s.id.clone()).collect()))
                .collect(),
        )
    }
}

/// What `terreng check` reports of an annotation folder beyond broken files: codes that are not
/// in the catalogue, notes whose journey or step is gone (orphans, kept but reported), and note
/// ids used twice across files. Each problem names the file and the line of the note: the
/// recovered file beside the journey's file when the note is there (its version is the one
/// shown), else the journey's file.
pub fn audit(store: &NoteStore, steps: &Steps, terrain: &Terrain) -> Vec<Problem> {
    let steps = &steps.0;
    // First what is wrong, by note, with indexes so a large folder costs one pass…
    let mut seen: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut wrong: Vec<(&str, &str, &Note, String)> = Vec::new();
    for (analyst, journey, note) in store.all() {
        match steps.get(journey) {
            None => wrong.push((analyst, journey, note, format!(
                "note {} is on journey '{journey}', which is not in the data; it is kept as an orphan",
                note.id
            ))),
            Some(ids) if !ids.contains(note.step.as_str()) => wrong.push((analyst, journey, note, format!(
                "note {} is on step '{}', which journey '{journey}' no longer has; it is kept as an orphan",
                note.id, note.step
            ))),
            Some(_) => {}
        }
        for code in &note.codes {
            if terrain.feature(code).is_none() {
                let known = terrain.features().map(|(_, f)| f.id.as_str());
                wrong.push((
                    analyst,
                    journey,
                    note,
                    format!(
                        "note {} has code '{code}', which is not in the catalogue{}",
                        note.id,
                        crate::store::suggest::did_you_mean(code, known)
                    ),
                ));
            }
        }
        if let Some((a, j)) = seen.insert(&note.id, (analyst, journey)) {
            let first = store.root.join(a).join(format!("{j}.ron"));
            wrong.push((
                analyst,
                journey,
                note,
                format!(
                    "note id {} is used twice (also in {})",
                    note.id,
                    first.display()
                ),
            ));
        }
    }
    // …then, for those only, the file and line each note is on.
    let mut texts: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    wrong
        .into_iter()
        .map(|(analyst, journey, note, message)| {
            let folder = store.root.join(analyst);
            let file = folder.join(format!("{journey}.ron"));
            let places = [folder.join(recovered_name(journey)), file.clone()];
            let found = places.into_iter().find_map(|path| {
                let text = texts
                    .entry(path.clone())
                    .or_insert_with(|| std::fs::read_to_string(&path).ok());
                let at = text.as_deref().and_then(|t| {
                    locate::find_string(t, &note.id, 0).map(|i| locate::line_col(t, i))
                })?;
                Some((path, at))
            });
            let (path, at) = match found {
                Some((path, at)) => (path, Some(at)),
                None => (file, None),
            };
            Problem::new(path.display().to_string(), at, message)
        })
        .collect()
}
