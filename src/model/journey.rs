//! A journey: one group's effort as an ordered run of steps across the terrain.
//!
//! These are the types of `journeys/<id>.ron`. They are plain data: no terminal, no I/O. The
//! field names are the file format's contract (see README, "File formats"); optional fields
//! default so that a hand-written file stays short.

use serde::{Deserialize, Serialize};

/// One group's (or one organisation's) route toward a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journey {
    /// Stable id; equals the file name without `.ron`.
    pub id: String,
    pub title: String,
    /// A theme id from the catalogue.
    pub theme: String,
    pub source: Source,
    pub provenance: Provenance,
    /// Where the journey took place, when the source says (or we infer) it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// When, as the source gives it ("2014–2019").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Which of the source's sub-variants this journey follows, and how sure that is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub goal: String,
    /// A short snake_case code for where the journey ended (`blocked_at_wall`).
    pub outcome: String,
    pub steps: Vec<Step>,
}

/// The study a journey is built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Full citation of the work.
    pub work: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// File name of the source text the quotes come from, for a journey that draws on one
    /// text (the bundled journeys); a journey built from a study's sources names them per
    /// piece of evidence instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
}

/// A place, and whether its name is the source's or our inference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    /// `Some(why)` when the name is our reading, not the authors' word.
    #[serde(default)]
    pub inferred: Option<String>,
}

/// How far the events of a journey (or one step) are the source's own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Provenance {
    /// The source describes these events.
    Documented,
    /// Assembled from aggregate findings, or order/date inferred; the string says why.
    Reconstructed(String),
    /// A route not taken: an author's counterfactual; the string says whose and where.
    Hypothetical(String),
}

impl Provenance {
    /// A one-word label for lists and exports.
    pub fn label(&self) -> &'static str {
        match self {
            Provenance::Documented => "documented",
            Provenance::Reconstructed(_) => "reconstructed",
            Provenance::Hypothetical(_) => "hypothetical",
        }
    }

    /// The explanation given in the file, if any.
    pub fn why(&self) -> Option<&str> {
        match self {
            Provenance::Documented => None,
            Provenance::Reconstructed(why) | Provenance::Hypothetical(why) => Some(why),
        }
    }
}

/// One event on the route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable id within the journey (`s01`); annotations refer to it.
    pub id: String,
    pub kind: StepKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub title: String,
    pub narrative: String,
    /// Obstacle ids from the catalogue met at this step.
    #[serde(default)]
    pub obstacles: Vec<String>,
    /// Enabler ids from the catalogue met at this step.
    #[serde(default)]
    pub enablers: Vec<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Overrides the kind's default move toward the goal (in map units, 0..=100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stride: Option<f64>,
    /// Places the step at an absolute map position `(x, y)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<(f64, f64)>,
    /// For `Arrive`: a sub-goal reached, not the goal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Overrides the journey's provenance for this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Step {
    /// This step's provenance: its own, or else its journey's.
    pub fn provenance<'a>(&'a self, journey: &'a Journey) -> &'a Provenance {
        self.provenance.as_ref().unwrap_or(&journey.provenance)
    }
}

/// How a step moves the route (see [`crate::model::route`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StepKind {
    Advance,
    Detour,
    Circle,
    Stall,
    Blocked,
    Retreat,
    Wander,
    Arrive,
}

impl StepKind {
    pub const ALL: [StepKind; 8] = [
        StepKind::Advance,
        StepKind::Detour,
        StepKind::Circle,
        StepKind::Stall,
        StepKind::Blocked,
        StepKind::Retreat,
        StepKind::Wander,
        StepKind::Arrive,
    ];

    /// The kind's name as written in files.
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Advance => "Advance",
            StepKind::Detour => "Detour",
            StepKind::Circle => "Circle",
            StepKind::Stall => "Stall",
            StepKind::Blocked => "Blocked",
            StepKind::Retreat => "Retreat",
            StepKind::Wander => "Wander",
            StepKind::Arrive => "Arrive",
        }
    }

    /// One letter for sequence signatures and narrow step strips.
    pub fn letter(self) -> char {
        match self {
            StepKind::Advance => 'A',
            StepKind::Detour => 'D',
            StepKind::Circle => 'C',
            StepKind::Stall => 'S',
            StepKind::Blocked => 'B',
            StepKind::Retreat => 'R',
            StepKind::Wander => 'W',
            StepKind::Arrive => 'G',
        }
    }
}

/// A passage of the source behind a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The passage in the original Norwegian, short.
    pub quote: String,
    /// The passage exactly as the source file has it, where `quote` repairs OCR damage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_text: Option<String>,
    pub translation: String,
    /// Section heading, and page where the text has one. Pages follow the source file: for
    /// study 002, "p. N" is the Nth page counted by the file's page breaks (it prints no page
    /// numbers); for study 003, the page on which the section starts, from its table of contents.
    /// Where it is left empty and the evidence has a `source` and a `span`, it is derived from
    /// the source's pages and headings when the journey is loaded.
    #[serde(default)]
    pub locator: String,
    /// The id of the study source the passage is in (`sources/<id>.txt`); without it, the
    /// journey's `seed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where the passage is in that source: start and end, in code points of its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
}

impl Journey {
    /// Every catalogue id this journey's steps meet, obstacles then enablers, in step order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().flat_map(Step::codes)
    }
}

impl Step {
    /// The obstacle and enabler ids of this step.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.obstacles
            .iter()
            .chain(self.enablers.iter())
            .map(String::as_str)
    }
}
