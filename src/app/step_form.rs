//! The step form: every field of a step the analyst writes — title, kind, when, narrative,
//! the codes met, evidence typed in, a provenance of its own, and the route's overrides
//! (stride, position, partial arrival) — built from a step, and read back into one.
//!
//! Pure: nothing here reads keys or files. What the analyst left as it was stays as it was:
//! evidence keeps its source, span and source text when only its words are edited, and
//! evidence beyond the form's room is kept untouched.

use crate::app::form::{Choice, Form, step_kind_choices};
use crate::model::{Evidence, FeatureClass, Provenance, Step, StepKind, Terrain};

/// The fields of each piece of evidence the form shows: quote, translation, locator.
const EVIDENCE: [[&str; 3]; 6] = [
    ["quote1", "translation1", "locator1"],
    ["quote2", "translation2", "locator2"],
    ["quote3", "translation3", "locator3"],
    ["quote4", "translation4", "locator4"],
    ["quote5", "translation5", "locator5"],
    ["quote6", "translation6", "locator6"],
];

/// The fields of a new piece of evidence.
const NEW_EVIDENCE: [&str; 3] = ["quote_new", "translation_new", "locator_new"];

/// The provenance choices of a step: its journey's, or one of its own.
fn provenance_choices(journey: &Provenance) -> Vec<Choice> {
    let own = |v: &str, help: &str| Choice {
        value: v.to_string(),
        label: v.to_string(),
        help: help.to_string(),
    };
    vec![
        Choice {
            value: String::new(),
            label: format!("As the journey ({})", journey.label()),
            help: "the step has no provenance of its own".to_string(),
        },
        own("Documented", "the source describes this event"),
        own(
            "Reconstructed",
            "assembled from aggregate findings, or order or date inferred",
        ),
        own(
            "Hypothetical",
            "a route not taken: an author's counterfactual",
        ),
    ]
}

/// A number as the form shows it: as short as it reads back.
fn number(x: f64) -> String {
    ron::to_string(&x).unwrap_or_default()
}

/// The form for a step: `heading` is the form's title, `step` the step as it is (a new step:
/// as [`crate::model::edit::new_step`] makes it), `journey` the journey's provenance.
pub fn step_edit_form(heading: &str, step: &Step, journey: &Provenance) -> Form {
    let codes: Vec<String> = step.codes().map(str::to_string).collect();
    let (prov, why) = match &step.provenance {
        None => ("", ""),
        Some(p) => (p.label(), p.why().unwrap_or("")),
    };
    let prov = match prov {
        "documented" => "Documented",
        "reconstructed" => "Reconstructed",
        "hypothetical" => "Hypothetical",
        _ => "",
    };
    let mut form = Form::new(heading)
        .line("title", "Title", "a few words: what happened", &step.title)
        .required()
        .choice("kind", "Kind", step_kind_choices(), step.kind.name())
        .line(
            "when",
            "When",
            "optional: a date or a phase",
            step.when.as_deref().unwrap_or(""),
        )
        .text(
            "narrative",
            "Narrative",
            "what happened, in a sentence or two",
            &step.narrative,
        )
        .codes(
            "codes",
            "Obstacles and enablers",
            "Enter or type: choose in the code picker, where a new label makes a new code",
            &codes,
        );
    for (i, (ev, names)) in step.evidence.iter().zip(EVIDENCE).enumerate() {
        let n = i + 1;
        form = form
            .line(
                names[0],
                &format!("Quote {n}"),
                "in the source's language; empty: this piece of evidence goes",
                &ev.quote,
            )
            .line(
                names[1],
                &format!("Translation {n}"),
                "empty: translation pending",
                &ev.translation,
            )
            .line(
                names[2],
                &format!("Locator {n}"),
                "section heading, and page where the text has one",
                &ev.locator,
            );
    }
    if step.evidence.len() > EVIDENCE.len() {
        let more = step.evidence.len() - EVIDENCE.len();
        form.title = format!("{} · {more} more quotes kept as they are", form.title);
    }
    form = form
        .line(
            NEW_EVIDENCE[0],
            "New quote",
            "optional: a passage of the source behind this step, in its language",
            "",
        )
        .line(
            NEW_EVIDENCE[1],
            "Its translation",
            "empty: translation pending",
            "",
        )
        .line(
            NEW_EVIDENCE[2],
            "Its locator",
            "section heading, and page where the text has one",
            "",
        )
        .choice(
            "provenance",
            "Provenance",
            provenance_choices(journey),
            prov,
        )
        .line(
            "why",
            "Why",
            "for Reconstructed or Hypothetical: how it was made, or whose route not taken",
            why,
        )
        .line(
            "stride",
            "Stride",
            "optional: how far it moves toward the goal (0–100); empty: the kind's own",
            &step.stride.map(number).unwrap_or_default(),
        )
        .line(
            "at",
            "Position",
            "optional: x, y to place the step on the map (x 0–100 toward the goal)",
            &step
                .at
                .map(|(x, y)| format!("{}, {}", number(x), number(y)))
                .unwrap_or_default(),
        )
        .choice(
            "partial",
            "Partial arrival",
            vec![
                Choice {
                    value: "no".into(),
                    label: "no".into(),
                    help: "an Arrive reaches the goal".into(),
                },
                Choice {
                    value: "yes".into(),
                    label: "yes".into(),
                    help: "an Arrive reaches a sub-goal, not the goal".into(),
                },
            ],
            if step.partial { "yes" } else { "no" },
        );
    form
}

fn optional(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn parse_number(what: &str, s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{what} '{s}' is not a number"))
}

/// The step the form describes: `old` with the form's values (its id stays). An error says
/// what to put right, and names the field.
pub fn step_from_form(form: &Form, old: &Step, terrain: &Terrain) -> Result<Step, String> {
    let mut step = old.clone();
    step.title = form.get("title");
    if step.title.is_empty() {
        return Err("Title is needed".into());
    }
    step.kind = StepKind::ALL
        .into_iter()
        .find(|k| k.name() == form.get("kind"))
        .unwrap_or(old.kind);
    step.when = optional(form.get("when"));
    step.narrative = form.get("narrative");
    step.obstacles.clear();
    step.enablers.clear();
    for id in form.ids("codes") {
        let list = match terrain.raw_feature(&id) {
            Some((FeatureClass::Obstacle, _)) => &mut step.obstacles,
            Some((FeatureClass::Enabler, _)) => &mut step.enablers,
            None => {
                return Err(format!(
                    "'{id}' is not an obstacle or an enabler of the catalogue; take it off \
                     (Backspace on the codes)"
                ));
            }
        };
        if !list.contains(&id) {
            list.push(id);
        }
    }
    let mut evidence = Vec::new();
    for (i, ev) in old.evidence.iter().enumerate() {
        let Some(names) = EVIDENCE.get(i) else {
            evidence.push(ev.clone());
            continue;
        };
        let quote = form.get(names[0]);
        if quote.is_empty() {
            continue;
        }
        let mut ev = ev.clone();
        ev.quote = quote;
        ev.translation = form.get(names[1]);
        ev.locator = form.get(names[2]);
        evidence.push(ev);
    }
    let quote = form.get(NEW_EVIDENCE[0]);
    let (translation, locator) = (form.get(NEW_EVIDENCE[1]), form.get(NEW_EVIDENCE[2]));
    if quote.is_empty() && !(translation.is_empty() && locator.is_empty()) {
        return Err("New quote is needed for its translation and locator".into());
    }
    if !quote.is_empty() {
        evidence.push(Evidence {
            quote,
            source_text: None,
            translation,
            locator,
            source: None,
            span: None,
        });
    }
    step.evidence = evidence;
    let why = form.get("why");
    step.provenance = match form.get("provenance").as_str() {
        "Documented" => Some(Provenance::Documented),
        "Reconstructed" | "Hypothetical" if why.is_empty() => {
            return Err(format!(
                "Why is needed for a {} step",
                form.get("provenance").to_lowercase()
            ));
        }
        "Reconstructed" => Some(Provenance::Reconstructed(why)),
        "Hypothetical" => Some(Provenance::Hypothetical(why)),
        _ => None,
    };
    let stride = form.get("stride");
    step.stride = if stride.is_empty() {
        None
    } else {
        Some(parse_number("Stride", &stride)?)
    };
    let at = form.get("at");
    step.at = if at.is_empty() {
        None
    } else {
        let parts: Vec<&str> = at.split(',').collect();
        let [x, y] = parts[..] else {
            return Err(format!("Position '{at}' is not two numbers: x, y"));
        };
        Some((parse_number("Position", x)?, parse_number("Position", y)?))
    };
    step.partial = form.get("partial") == "yes";
    Ok(step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::new_step;
    use crate::store::bundled;

    #[test]
    fn a_step_reads_back_as_it_was() {
        let t = bundled::terrain();
        let data = crate::store::load(&crate::store::DataSource::Bundled, None);
        for j in &data.journeys {
            for s in &j.steps {
                let form = step_edit_form("Edit", s, &j.provenance);
                let back = step_from_form(&form, s, &t).unwrap();
                // Codes are kept by class, in order; a step lists each once.
                assert_eq!(back, *s, "{} {}", j.id, s.id);
            }
        }
    }

    #[test]
    fn fields_become_the_step_and_mistakes_are_named() {
        let t = bundled::terrain();
        let old = new_step("s03".into(), StepKind::Advance, "");
        let mut form = step_edit_form("New", &old, &Provenance::Documented);
        form.set("title", "Møtet");
        form.set("kind", "Blocked");
        form.set("codes", "tacit_resistance, leadership_mandate");
        form.set("quote_new", "vi møttes");
        form.set("stride", "4.5");
        form.set("at", "20, -3");
        let s = step_from_form(&form, &old, &t).unwrap();
        assert_eq!(s.id, "s03");
        assert_eq!(s.kind, StepKind::Blocked);
        assert_eq!(s.obstacles, ["tacit_resistance"]);
        assert_eq!(s.enablers, ["leadership_mandate"]);
        assert_eq!(s.evidence[0].quote, "vi møttes");
        assert_eq!((s.stride, s.at), (Some(4.5), Some((20.0, -3.0))));

        form.set("at", "20");
        assert!(
            step_from_form(&form, &old, &t)
                .unwrap_err()
                .contains("x, y")
        );
        form.set("at", "");
        form.set("provenance", "Hypothetical");
        assert!(step_from_form(&form, &old, &t).unwrap_err().contains("Why"));
        form.set("provenance", "");
        form.set("codes", "no_such_code");
        assert!(
            step_from_form(&form, &old, &t)
                .unwrap_err()
                .contains("no_such_code")
        );
    }

    #[test]
    fn emptying_a_quote_drops_that_evidence_and_edits_keep_the_span() {
        let t = bundled::terrain();
        let mut old = new_step("s01".into(), StepKind::Advance, "x");
        for q in ["a", "b"] {
            old.evidence.push(Evidence {
                quote: q.into(),
                source_text: None,
                translation: String::new(),
                locator: String::new(),
                source: Some("doc".into()),
                span: Some((1, 2)),
            });
        }
        let mut form = step_edit_form("Edit", &old, &Provenance::Documented);
        form.set("quote1", "");
        form.set("translation2", "bee");
        let s = step_from_form(&form, &old, &t).unwrap();
        assert_eq!(s.evidence.len(), 1);
        assert_eq!(s.evidence[0].translation, "bee");
        assert_eq!(s.evidence[0].span, Some((1, 2)));
    }
}
