//! Event logs for process mining: XES (IEEE 1849-2016) and OCEL 2.0 JSON, so that pm4py, Disco
//! and ProM can draw flow graphs and variants of the journeys.
//!
//! **XES**: one trace per journey (`concept:name` its id; `theme`, `provenance`, `outcome`,
//! `final_progress` and `title` as trace attributes), one event per step (`concept:name` the
//! step's kind; `step` its id, `position` from 1, `title`, `obstacles` and `enablers` as
//! space-separated catalogue ids, `when` where the file gives it). The steps' `when` is free
//! text, so every event gets a synthetic, strictly increasing `time:timestamp`: one minute
//! per position after 2000-01-01T00:00:00Z, the same clock for every trace. Two classifiers
//! let a tool choose the activity: `Kind` (`concept:name`) and `KindAndObstacles`
//! (`concept:name obstacles`), declared with their attributes as globals. The log element
//! has no namespace, as the standard's schema declares it (no target namespace).
//!
//! **OCEL 2.0** (the JSON format of ocel-standard.org): objects of type `journey` (with theme,
//! provenance, outcome and final progress), `obstacle` and `enabler` (the catalogue's kinds
//! met, with their English and Norwegian names); one event per step, of the type of its
//! kind, related to its journey (qualifier `journey`) and to each obstacle and enabler it
//! meets (qualifiers `obstacle` and `enabler`). Times as in the XES log.
//!
//! The codes are the journey files' own; analysts' notes are not in the event logs. Output is
//! deterministic. No terminal code here; the caller writes the file.

use std::time::{Duration, UNIX_EPOCH};

use serde_json::{Value, json};

use super::xml::Writer;
use super::{Scope, num};
use crate::model::{Journey, layout};

/// 2000-01-01T00:00:00Z, the synthetic clock's start.
const CLOCK_START: u64 = 946_684_800;

/// The synthetic time of the step at `position` (from 1).
pub fn timestamp(position: usize) -> String {
    let t = UNIX_EPOCH + Duration::from_secs(CLOCK_START + 60 * position as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

fn codes(list: &[String]) -> String {
    list.join(" ")
}

/// The journeys in scope as an XES log.
pub fn xes(scope: &Scope, progress: &mut dyn FnMut(usize, usize)) -> String {
    let total = scope.journeys.len();
    let mut w = Writer::new();
    w.open("log", &[("xes.version", "2.0"), ("xes.features", "")]);
    for (name, prefix) in [("Concept", "concept"), ("Time", "time")] {
        let uri = format!("http://www.xes-standard.org/{prefix}.xesext");
        w.empty(
            "extension",
            &[("name", name), ("prefix", prefix), ("uri", &uri)],
        );
    }
    w.open("global", &[("scope", "trace")]);
    w.empty("string", &[("key", "concept:name"), ("value", "unknown")]);
    w.close();
    w.open("global", &[("scope", "event")]);
    w.empty("string", &[("key", "concept:name"), ("value", "unknown")]);
    w.empty(
        "date",
        &[("key", "time:timestamp"), ("value", &timestamp(0))],
    );
    w.empty("string", &[("key", "obstacles"), ("value", "")]);
    w.close();
    w.empty("classifier", &[("name", "Kind"), ("keys", "concept:name")]);
    w.empty(
        "classifier",
        &[
            ("name", "KindAndObstacles"),
            ("keys", "concept:name obstacles"),
        ],
    );
    w.empty(
        "string",
        &[("key", "concept:name"), ("value", "terreng journeys")],
    );
    for (done, j) in scope.journeys.iter().enumerate() {
        progress(done, total);
        trace(&mut w, j);
    }
    progress(total, total);
    w.finish()
}

fn trace(w: &mut Writer, j: &Journey) {
    w.open("trace", &[]);
    let final_progress = num(layout(j).final_progress());
    for (key, value) in [
        ("concept:name", j.id.as_str()),
        ("title", j.title.as_str()),
        ("theme", j.theme.as_str()),
        ("provenance", j.provenance.label()),
        ("outcome", j.outcome.as_str()),
    ] {
        w.empty("string", &[("key", key), ("value", value)]);
    }
    w.empty(
        "float",
        &[("key", "final_progress"), ("value", &final_progress)],
    );
    for (i, s) in j.steps.iter().enumerate() {
        w.open("event", &[]);
        w.empty(
            "string",
            &[("key", "concept:name"), ("value", s.kind.name())],
        );
        w.empty(
            "date",
            &[("key", "time:timestamp"), ("value", &timestamp(i + 1))],
        );
        w.empty("string", &[("key", "step"), ("value", &s.id)]);
        w.empty(
            "int",
            &[("key", "position"), ("value", &(i + 1).to_string())],
        );
        w.empty("string", &[("key", "title"), ("value", &s.title)]);
        w.empty(
            "string",
            &[("key", "obstacles"), ("value", &codes(&s.obstacles))],
        );
        w.empty(
            "string",
            &[("key", "enablers"), ("value", &codes(&s.enablers))],
        );
        if let Some(when) = &s.when {
            w.empty("string", &[("key", "when"), ("value", when)]);
        }
        w.close();
    }
    w.close();
}

/// The journeys in scope as an OCEL 2.0 JSON log.
pub fn ocel(scope: &Scope, progress: &mut dyn FnMut(usize, usize)) -> anyhow::Result<String> {
    let total = scope.journeys.len();
    let terrain = &scope.data.terrain;
    let attr = |name: &str, ty: &str| json!({"name": name, "type": ty});
    let at_start = timestamp(0);
    let mut kinds: Vec<&str> = Vec::new();
    let mut met: std::collections::BTreeSet<(&str, &str)> = std::collections::BTreeSet::new();
    let mut events: Vec<Value> = Vec::new();
    let mut objects: Vec<Value> = Vec::new();
    for (done, j) in scope.journeys.iter().enumerate() {
        progress(done, total);
        objects.push(json!({
            "id": j.id,
            "type": "journey",
            "attributes": [
                {"name": "title", "value": j.title, "time": at_start},
                {"name": "theme", "value": j.theme, "time": at_start},
                {"name": "provenance", "value": j.provenance.label(), "time": at_start},
                {"name": "outcome", "value": j.outcome, "time": at_start},
                {"name": "final_progress", "value": layout(j).final_progress(), "time": at_start},
            ],
            "relationships": [],
        }));
        for (i, s) in j.steps.iter().enumerate() {
            if !kinds.contains(&s.kind.name()) {
                kinds.push(s.kind.name());
            }
            let mut rel = vec![json!({"objectId": j.id, "qualifier": "journey"})];
            for o in &s.obstacles {
                met.insert(("obstacle", o));
                rel.push(json!({"objectId": o, "qualifier": "obstacle"}));
            }
            for e in &s.enablers {
                met.insert(("enabler", e));
                rel.push(json!({"objectId": e, "qualifier": "enabler"}));
            }
            events.push(json!({
                "id": format!("{}/{}", j.id, s.id),
                "type": s.kind.name(),
                "time": timestamp(i + 1),
                "attributes": [
                    {"name": "step", "value": s.id},
                    {"name": "position", "value": i + 1},
                    {"name": "title", "value": s.title},
                ],
                "relationships": rel,
            }));
        }
    }
    for (class, id) in &met {
        let (en, no) = terrain
            .feature(id)
            .map_or((String::new(), String::new()), |(_, f)| {
                (f.en.clone(), f.no.clone())
            });
        objects.push(json!({
            "id": id,
            "type": class,
            "attributes": [
                {"name": "en", "value": en, "time": at_start},
                {"name": "no", "value": no, "time": at_start},
            ],
            "relationships": [],
        }));
    }
    kinds.sort_unstable();
    let step_attrs = [
        attr("step", "string"),
        attr("position", "integer"),
        attr("title", "string"),
    ];
    let label_attrs = [attr("en", "string"), attr("no", "string")];
    let log = json!({
        "objectTypes": [
            {"name": "journey", "attributes": [
                attr("title", "string"), attr("theme", "string"), attr("provenance", "string"),
                attr("outcome", "string"), attr("final_progress", "float"),
            ]},
            {"name": "obstacle", "attributes": label_attrs},
            {"name": "enabler", "attributes": label_attrs},
        ],
        "eventTypes": kinds.iter().map(|k| json!({"name": k, "attributes": step_attrs})).collect::<Vec<_>>(),
        "objects": objects,
        "events": events,
    });
    progress(total, total);
    Ok(format!("{}\n", serde_json::to_string_pretty(&log)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_starts_in_2000_and_ticks_a_minute_per_step() {
        assert_eq!(timestamp(0), "2000-01-01T00:00:00Z");
        assert_eq!(timestamp(1), "2000-01-01T00:01:00Z");
        assert_eq!(timestamp(61), "2000-01-01T01:01:00Z");
    }
}
