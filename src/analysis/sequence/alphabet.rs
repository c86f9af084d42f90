//! Journeys as sequences of states, the form sequence analysis works on.
//!
//! A journey becomes one state per step, read off one or two *channels*:
//!
//! - **kind** (the default): the step's kind (`Advance`, `Blocked`, …);
//! - **codes** of one class: the step's obstacles (or enablers), sorted and joined with `+`
//!   (`hollow_endorsement+tacit_resistance`), or `-` where the step has none;
//! - **both**: kind and codes as two channels, combined as TraMineR's `seqMD` (formerly
//!   `seqdistmc`) combines them: each channel keeps its own alphabet and costs, and the
//!   combined state is the pair (written `Blocked|tacit_resistance`).
//!
//! The alphabet of a channel is the set of states that occur in the sequences in view, sorted
//! by label, as TraMineR's `seqdef` builds it from the data; costs derived from the data
//! (transition rates, the largest substitution cost) depend on it.
//!
//! Each kind also has *movement features*, for feature-based substitution costs (TraMineR's
//! `seqcost(method = "FEATURES")`): its direction (forward: Advance, Arrive; sideways: Detour,
//! Wander; back: Retreat; none: Stall, Blocked, Circle) and its default forward move on the
//! map (see the route layout in `model::route`).
//!
//! Plain data, no terminal code and no I/O; it must not read annotation files itself.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Journey, StepKind};

/// Which codes a codes channel reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum CodeClass {
    #[default]
    Obstacles,
    Enablers,
}

/// What a step's state is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// The step's kind.
    #[default]
    Kind,
    /// The step's codes of one class (obstacles unless chosen otherwise).
    Codes,
    /// Kind and codes as two channels.
    Both,
}

/// Which way a kind moves the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Forward,
    Sideways,
    Back,
    None,
}

/// A kind's movement features.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Movement {
    pub direction: Direction,
    /// The default forward move on the map, in map units (the goal is 100 away).
    pub forward: f64,
}

/// The movement features of a step kind. `Arrive` counts as its partial move (+10): where a
/// full arrival lands depends on where the route was.
pub fn movement(kind: StepKind) -> Movement {
    let (direction, forward) = match kind {
        StepKind::Advance => (Direction::Forward, 10.0),
        StepKind::Arrive => (Direction::Forward, 10.0),
        StepKind::Detour => (Direction::Sideways, 3.0),
        StepKind::Wander => (Direction::Sideways, 2.0),
        StepKind::Retreat => (Direction::Back, -10.0),
        StepKind::Stall | StepKind::Blocked | StepKind::Circle => (Direction::None, 0.0),
    };
    Movement { direction, forward }
}

/// One channel: its alphabet and every journey's sequence of state indices into it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Channel {
    pub name: String,
    pub alphabet: Vec<String>,
    /// The movement features of each state, for a kind channel.
    pub features: Option<Vec<Movement>>,
    pub seqs: Vec<Vec<u32>>,
}

/// Journeys as sequences of states, with what ties each position back to its step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sequences {
    pub ids: Vec<String>,
    pub themes: Vec<String>,
    pub outcomes: Vec<String>,
    /// Per journey, the step id at each position.
    pub steps: Vec<Vec<String>>,
    /// One channel, or two for `By::Both`.
    pub channels: Vec<Channel>,
    /// The combined states that occur, sorted by label; for one channel, its alphabet.
    pub alphabet: Vec<String>,
    /// For each combined state, its state in each channel.
    pub parts: Vec<Vec<u32>>,
    /// Every journey's sequence of combined states.
    pub seqs: Vec<Vec<u32>>,
}

/// The label of a step's codes of one class.
fn codes_label(codes: &[String]) -> String {
    if codes.is_empty() {
        return "-".to_string();
    }
    let mut c: Vec<&str> = codes.iter().map(String::as_str).collect();
    c.sort_unstable();
    c.dedup();
    c.join("+")
}

/// Builds one channel from a label per step.
fn channel(name: &str, labels: Vec<Vec<String>>, kinds: Option<&[Vec<StepKind>]>) -> Channel {
    let mut alphabet: Vec<String> = labels.iter().flatten().cloned().collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    let index: BTreeMap<&str, u32> = alphabet
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as u32))
        .collect();
    let seqs = labels
        .iter()
        .map(|l| l.iter().map(|s| index[s.as_str()]).collect())
        .collect();
    let features = kinds.map(|_| {
        alphabet
            .iter()
            .map(|label| {
                StepKind::ALL.iter().find(|k| k.name() == label).map_or(
                    Movement {
                        direction: Direction::None,
                        forward: 0.0,
                    },
                    |k| movement(*k),
                )
            })
            .collect()
    });
    Channel {
        name: name.to_string(),
        alphabet,
        features,
        seqs,
    }
}

impl Sequences {
    /// The journeys' sequences read by `by`; `class` says which codes a codes channel reads.
    pub fn build(journeys: &[&Journey], by: By, class: CodeClass) -> Sequences {
        let kinds: Vec<Vec<StepKind>> = journeys
            .iter()
            .map(|j| j.steps.iter().map(|s| s.kind).collect())
            .collect();
        let kind_labels = kinds
            .iter()
            .map(|k| k.iter().map(|k| k.name().to_string()).collect())
            .collect();
        let code_labels = journeys
            .iter()
            .map(|j| {
                j.steps
                    .iter()
                    .map(|s| {
                        codes_label(match class {
                            CodeClass::Obstacles => &s.obstacles,
                            CodeClass::Enablers => &s.enablers,
                        })
                    })
                    .collect()
            })
            .collect();
        let class_name = match class {
            CodeClass::Obstacles => "obstacles",
            CodeClass::Enablers => "enablers",
        };
        let channels = match by {
            By::Kind => vec![channel("kind", kind_labels, Some(&kinds))],
            By::Codes => vec![channel(class_name, code_labels, None)],
            By::Both => vec![
                channel("kind", kind_labels, Some(&kinds)),
                channel(class_name, code_labels, None),
            ],
        };
        let mut s = Sequences::from_channels(channels);
        s.ids = journeys.iter().map(|j| j.id.clone()).collect();
        s.themes = journeys.iter().map(|j| j.theme.clone()).collect();
        s.outcomes = journeys.iter().map(|j| j.outcome.clone()).collect();
        s.steps = journeys
            .iter()
            .map(|j| j.steps.iter().map(|s| s.id.clone()).collect())
            .collect();
        s
    }

    /// Sequences from channels alone (ids `1`, `2`, … and step ids `1`, `2`, …), for tests
    /// and for data that is not journeys.
    pub fn from_channels(channels: Vec<Channel>) -> Sequences {
        let n = channels.first().map_or(0, |c| c.seqs.len());
        let label = |tuple: &[u32]| -> String {
            tuple
                .iter()
                .zip(&channels)
                .map(|(&s, c)| c.alphabet[s as usize].as_str())
                .collect::<Vec<_>>()
                .join("|")
        };
        let mut combined: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let tuples: Vec<Vec<Vec<u32>>> = (0..n)
            .map(|i| {
                let len = channels[0].seqs[i].len();
                (0..len)
                    .map(|t| channels.iter().map(|c| c.seqs[i][t]).collect())
                    .collect()
            })
            .collect();
        for seq in &tuples {
            for t in seq {
                combined.entry(label(t)).or_insert_with(|| t.clone());
            }
        }
        let index: BTreeMap<&str, u32> = combined
            .keys()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let seqs = tuples
            .iter()
            .map(|seq| seq.iter().map(|t| index[label(t).as_str()]).collect())
            .collect();
        let alphabet: Vec<String> = combined.keys().cloned().collect();
        let parts: Vec<Vec<u32>> = combined.values().cloned().collect();
        let lens: Vec<usize> = channels[0].seqs.iter().map(Vec::len).collect();
        Sequences {
            ids: (1..=n).map(|i| i.to_string()).collect(),
            themes: vec![String::new(); n],
            outcomes: vec![String::new(); n],
            steps: lens
                .iter()
                .map(|&l| (1..=l).map(|i| i.to_string()).collect())
                .collect(),
            channels,
            alphabet,
            parts,
            seqs,
        }
    }

    /// Single-channel sequences from strings of one-letter states (`"AAB"`), for tests.
    pub fn from_letters(seqs: &[&str]) -> Sequences {
        let labels = seqs
            .iter()
            .map(|s| s.chars().map(|c| c.to_string()).collect())
            .collect();
        Sequences::from_channels(vec![channel("state", labels, None)])
    }

    pub fn len(&self) -> usize {
        self.seqs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seqs.is_empty()
    }

    /// The position of a journey by id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|i| i == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_make_a_sorted_alphabet() {
        let s = Sequences::from_letters(&["BAC", "CA"]);
        assert_eq!(s.alphabet, ["A", "B", "C"]);
        assert_eq!(s.seqs, vec![vec![1, 0, 2], vec![2, 0]]);
    }

    #[test]
    fn two_channels_combine_into_the_pairs_that_occur() {
        let a = channel("a", vec![vec!["x".into(), "y".into(), "x".into()]], None);
        let b = channel("b", vec![vec!["1".into(), "1".into(), "2".into()]], None);
        let s = Sequences::from_channels(vec![a, b]);
        // Pairs: x|1, y|1, x|2 — three of the four possible combinations occur.
        assert_eq!(s.alphabet, ["x|1", "x|2", "y|1"]);
        assert_eq!(s.seqs, vec![vec![0, 2, 1]]);
        assert_eq!(s.parts, vec![vec![0, 0], vec![0, 1], vec![1, 0]]);
    }

    #[test]
    fn codes_label_sorts_and_marks_none() {
        assert_eq!(codes_label(&[]), "-");
        assert_eq!(codes_label(&["b".into(), "a".into(), "b".into()]), "a+b");
    }

    #[test]
    fn movements_follow_the_route_layout() {
        assert_eq!(movement(StepKind::Retreat).direction, Direction::Back);
        assert_eq!(movement(StepKind::Detour).forward, 3.0);
        assert_eq!(movement(StepKind::Blocked).direction, Direction::None);
    }
}
