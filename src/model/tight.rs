//! Giving back the room a parse leaves over.
//!
//! RON does not say how long a list is before it ends, so each list is grown as it is read
//! and ends with up to as much room again unused: a journey's 40 steps sit in room for 64, an
//! annotation file's 100 notes in room for 128, and a string with an escape in it is built a
//! character at a time. At XL that was about 350 MB of a loaded study that held nothing.
//! [`Tight::tighten`] shrinks each list and string to its length, in place (a shrinking
//! `realloc` splits the block rather than copying it).

use crate::model::{Annotations, Evidence, Journey, Note, Place, Provenance, Source, Step};

/// `value`, tightened: for a parse's `map`.
pub fn tight<T: Tight>(mut value: T) -> T {
    value.tighten();
    value
}

/// A value whose lists and strings can be shrunk to what they hold.
pub trait Tight {
    fn tighten(&mut self);
}

impl Tight for String {
    fn tighten(&mut self) {
        self.shrink_to_fit();
    }
}

impl<T: Tight> Tight for Vec<T> {
    fn tighten(&mut self) {
        self.shrink_to_fit();
        self.iter_mut().for_each(Tight::tighten);
    }
}

impl<T: Tight> Tight for Option<T> {
    fn tighten(&mut self) {
        if let Some(value) = self {
            value.tighten();
        }
    }
}

// Each value is taken apart field by field, so that a field added to the model without being
// tightened here fails to compile.

impl Tight for Journey {
    fn tighten(&mut self) {
        let Journey {
            id,
            title,
            theme,
            source,
            provenance,
            place,
            period,
            variant,
            goal,
            outcome,
            steps,
        } = self;
        for s in [id, title, theme, goal, outcome] {
            s.tighten();
        }
        source.tighten();
        provenance.tighten();
        place.tighten();
        period.tighten();
        variant.tighten();
        steps.tighten();
    }
}

impl Tight for Source {
    fn tighten(&mut self) {
        let Source {
            work,
            doi,
            seed,
            licence,
        } = self;
        work.tighten();
        for s in [doi, seed, licence] {
            s.tighten();
        }
    }
}

impl Tight for Place {
    fn tighten(&mut self) {
        let Place { name, inferred } = self;
        name.tighten();
        inferred.tighten();
    }
}

impl Tight for Provenance {
    fn tighten(&mut self) {
        match self {
            Provenance::Documented => {}
            Provenance::Reconstructed(why) | Provenance::Hypothetical(why) => why.tighten(),
        }
    }
}

impl Tight for Step {
    fn tighten(&mut self) {
        let Step {
            id,
            kind: _,
            when,
            title,
            narrative,
            obstacles,
            enablers,
            evidence,
            stride: _,
            at: _,
            partial: _,
            provenance,
        } = self;
        for s in [id, title, narrative] {
            s.tighten();
        }
        when.tighten();
        obstacles.tighten();
        enablers.tighten();
        evidence.tighten();
        provenance.tighten();
    }
}

impl Tight for Evidence {
    fn tighten(&mut self) {
        let Evidence {
            quote,
            source_text,
            translation,
            locator,
            source,
            span: _,
        } = self;
        for s in [quote, translation, locator] {
            s.tighten();
        }
        source_text.tighten();
        source.tighten();
    }
}

impl Tight for Annotations {
    fn tighten(&mut self) {
        let Annotations {
            analyst,
            journey,
            notes,
        } = self;
        analyst.tighten();
        journey.tighten();
        notes.tighten();
    }
}

impl Tight for Note {
    fn tighten(&mut self) {
        let Note {
            id,
            step,
            codes,
            text,
            created,
            updated,
            conflict_of,
        } = self;
        for s in [id, step, text, created, updated] {
            s.tighten();
        }
        codes.tighten();
        conflict_of.tighten();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::parse;

    /// A parsed journey's lists and strings hold no more room than they use.
    #[test]
    fn a_parsed_journey_and_its_notes_keep_no_room_over() {
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        let mut journey = data.journeys[0].clone();
        let text = crate::store::write::journey_text(&journey, "").unwrap();
        let mut parsed: Journey = parse::parse("j.ron", &text).unwrap();
        assert_eq!(parsed, journey);
        // RON grows a list as it reads it: some room is over before tightening.
        let over = |j: &Journey| {
            j.steps.capacity() - j.steps.len()
                + j.steps
                    .iter()
                    .map(|s| s.evidence.capacity() - s.evidence.len())
                    .sum::<usize>()
        };
        assert!(over(&parsed) > 0, "the parse left room over");
        parsed.tighten();
        assert_eq!(over(&parsed), 0);
        assert_eq!(parsed, journey, "tightening changes nothing held");
        journey.tighten();

        let note = Note::new(
            "s01",
            vec!["a".into(), "b".into(), "c".into()],
            "it\'s".into(),
        );
        let file = Annotations {
            analyst: "hh".into(),
            journey: journey.id.clone(),
            notes: vec![note; 5],
        };
        let text = ron::ser::to_string(&file).unwrap();
        let mut parsed: Annotations = parse::parse("a.ron", &text).unwrap();
        assert!(parsed.notes.capacity() > parsed.notes.len());
        parsed.tighten();
        assert_eq!(parsed.notes.capacity(), parsed.notes.len());
        assert!(
            parsed
                .notes
                .iter()
                .all(|n| n.codes.capacity() == n.codes.len())
        );
        assert_eq!(parsed, file);
    }
}
