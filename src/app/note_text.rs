//! The notes' text the atlas filter searches, lower-cased once: made beside the notes when they
//! are read (on the loading thread for a large study), and made again only for the journeys a
//! change touched. Typing the first letter of a filter never waits for a million notes to be
//! lower-cased.
//!
//! The own analyst's notes and the others' are kept apart, so that blind coding only has to
//! leave the others' out.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::model::annotation::Note;
use crate::store::annotations::NoteStore;

/// The lower-cased text of every note (and its codes) by journey id.
#[derive(Debug, Default, Clone)]
pub struct NoteText {
    own: HashMap<String, String>,
    others: HashMap<String, String>,
}

impl NoteText {
    /// The text of every note in `store`, on every core.
    pub fn of(store: &NoteStore) -> NoteText {
        let mut by_journey: HashMap<&str, Vec<(&str, &Note)>> = HashMap::new();
        for (analyst, journey, note) in store.all() {
            by_journey.entry(journey).or_default().push((analyst, note));
        }
        let own_analyst = store.analyst();
        let made: Vec<(&str, String, String)> = by_journey
            .into_par_iter()
            .map(|(journey, notes)| {
                let (own, others) = texts(own_analyst, notes);
                (journey, own, others)
            })
            .collect();
        let mut text = NoteText::default();
        for (journey, own, others) in made {
            text.put(journey, own, others);
        }
        text
    }

    /// Makes the text of these journeys again from `store`, after their notes changed.
    pub fn remake<'a>(&mut self, store: &NoteStore, journeys: impl IntoIterator<Item = &'a str>) {
        for journey in journeys {
            let (own, others) = texts(store.analyst(), store.journey_notes(journey));
            self.put(journey, own, others);
        }
    }

    /// The text of a journey's notes the filter searches: the own analyst's, and the others'
    /// unless `blind`.
    pub fn of_journey(&self, journey: &str, blind: bool) -> [Option<&str>; 2] {
        let others = if blind {
            None
        } else {
            self.others.get(journey)
        };
        [
            self.own.get(journey).map(String::as_str),
            others.map(String::as_str),
        ]
    }

    fn put(&mut self, journey: &str, own: String, others: String) {
        for (map, text) in [(&mut self.own, own), (&mut self.others, others)] {
            if text.is_empty() {
                map.remove(journey);
            } else {
                map.insert(journey.to_string(), text);
            }
        }
    }
}

/// The text of one journey's notes (each with its analyst): the own analyst's, and the others'.
fn texts(own_analyst: &str, notes: Vec<(&str, &Note)>) -> (String, String) {
    let (mut own, mut others) = (String::new(), String::new());
    for (analyst, note) in notes {
        push_note(
            if analyst == own_analyst {
                &mut own
            } else {
                &mut others
            },
            note,
        );
    }
    (own, others)
}

/// A note's text and codes, lower-cased, each on a line of its own.
fn push_note(out: &mut String, note: &Note) {
    crate::app::state::push_lowercase(out, &note.text);
    out.push('\n');
    for code in &note.codes {
        crate::app::state::push_lowercase(out, code);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::annotations::Change;

    fn note(id: &str, text: &str, codes: &[&str]) -> Note {
        Note {
            id: id.into(),
            step: "s1".into(),
            text: text.into(),
            codes: codes.iter().map(|c| c.to_string()).collect(),
            created: "2026-12-01T00:00:00Z".into(),
            updated: "2026-12-01T00:00:00Z".into(),
            conflict_of: None,
        }
    }

    #[test]
    fn the_text_is_lower_cased_with_codes_and_remade_per_journey() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = NoteStore::open(dir.path(), "ana");
        store.stage(Change::Put {
            journey: "g01".into(),
            note: note("n1", "Silent RESISTANCE", &["Cliff_Wall"]),
        });
        let mut text = NoteText::of(&store);
        assert_eq!(
            text.of_journey("g01", false),
            [Some("silent resistance\ncliff_wall\n"), None]
        );
        assert_eq!(text.of_journey("g02", false), [None, None]);
        // A second note on g02 is not seen until g02 is made again; g01 is untouched by that.
        store.stage(Change::Put {
            journey: "g02".into(),
            note: note("n2", "Walking in Circles", &[]),
        });
        assert_eq!(text.of_journey("g02", false), [None, None]);
        text.remake(&store, ["g02"]);
        assert_eq!(
            text.of_journey("g02", false),
            [Some("walking in circles\n"), None]
        );
        assert_eq!(
            text.of_journey("g01", false),
            [Some("silent resistance\ncliff_wall\n"), None]
        );
        // A journey whose last note went is dropped, not kept as an empty string.
        store.stage(Change::Delete {
            journey: "g02".into(),
            id: "n2".into(),
        });
        text.remake(&store, ["g02"]);
        assert_eq!(text.of_journey("g02", false), [None, None]);
    }
}
