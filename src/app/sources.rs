//! The sources screen's state: the study's sources as read from `sources/` (each record and
//! its text), which steps cite which passage, the source open in the reading view, the search
//! being typed, and the form open over it (a passage becoming evidence or a step).
//!
//! Reading the folder is I/O: [`load`] and [`add`] run on a worker for
//! [`Effect::LoadSources`] and [`Effect::AddSources`], and what they read comes back as an
//! outcome that [`take`] brings in. Everything else here is plain state and pure functions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::effect::Effect;
use crate::app::form::Form;
use crate::app::reading::Reading;
use crate::app::state::App;
use crate::model::source::Document;
use crate::model::{Evidence, Journey};
use crate::store::Problem;
use crate::store::sources::{self as store, Added};

/// One source of the study: its id, its record and its text.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub id: String,
    pub doc: Document,
    pub text: Arc<str>,
    /// The text's length in code points.
    pub chars: usize,
}

impl SourceText {
    /// What the list calls it: the document's own title, else its original file name.
    pub fn title(&self) -> &str {
        self.doc
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.doc.original)
    }
}

/// What a reading of the sources folder found.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The study's title, from `study.ron`.
    pub title: Option<String>,
    pub sources: Vec<SourceText>,
    pub problems: Vec<Problem>,
}

/// A passage cited as evidence: where, and by which step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub start: usize,
    pub end: usize,
    /// Indices into the data set's journeys and that journey's steps.
    pub journey: usize,
    pub step: usize,
}

/// The source open in the reading view.
#[derive(Debug, Clone)]
pub struct OpenSource {
    pub id: String,
    pub reading: Reading,
    /// Where the cursor was when the search being typed began (Esc goes back there).
    pub search_from: Option<usize>,
    /// Which of the steps citing the passage under the cursor Enter jumps to.
    pub cite_choice: usize,
}

/// A passage on its way to a journey: the source, the span and its text, and its locator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub source: String,
    pub span: (usize, usize),
    pub quote: String,
    pub locator: String,
}

impl Passage {
    /// The passage as evidence, with `translation` (empty: translation pending).
    pub fn evidence(&self, translation: &str, locator: &str) -> Evidence {
        Evidence {
            quote: self.quote.clone(),
            source_text: None,
            translation: translation.to_string(),
            locator: locator.to_string(),
            source: Some(self.source.clone()),
            span: Some(self.span),
        }
    }
}

/// What a form open over the reading view is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// One more evidence of a step.
    Evidence { journey: usize, step: String },
    /// A new step after the one at index `after` (`None`: the first) of a journey.
    NewStep {
        journey: usize,
        after: Option<usize>,
    },
    /// A new journey, whose first step the passage then becomes.
    NewJourney,
    /// The first step of this new journey, not yet in the study.
    FirstStep { journey: Box<Journey> },
}

/// A form open over the reading view, with what it is for and the passage it takes.
pub struct PassageForm {
    pub form: Form,
    pub purpose: Purpose,
    pub passage: Passage,
    /// The form as it opened: Esc asks before losing anything typed since.
    pub fresh: Form,
    /// Esc was pressed once on a form with something typed.
    pub confirm_discard: bool,
}

/// The sources screen.
#[derive(Default)]
pub struct SourcesState {
    /// The study's folder, when the data is a study of one's own.
    pub root: Option<PathBuf>,
    /// The sources, once read; `None` until the first reading is in.
    pub list: Option<Vec<SourceText>>,
    /// The study's title, from `study.ron`.
    pub title: Option<String>,
    /// The selected row of the list.
    pub selected: usize,
    /// The source in the reading view.
    pub open: Option<OpenSource>,
    /// The source last read, as it was left: Enter on it again goes back there.
    pub left: Option<OpenSource>,
    /// The search being typed in the reading view.
    pub searching: Option<String>,
    /// A form open over the reading view.
    pub form: Option<PassageForm>,
    /// Documents being added, for the status line.
    pub adding: Option<String>,
    /// The passages cited, by source id, sorted by start; made when journeys change.
    pub cited: HashMap<String, Vec<Citation>>,
    /// The `notes_gen` and journey count `cited` was made at.
    cited_at: Option<(u64, usize)>,
    /// Where a mouse drag began.
    pub drag_from: Option<usize>,
}

impl SourcesState {
    /// The sources read so far (none before the first reading is in).
    pub fn sources(&self) -> &[SourceText] {
        self.list.as_deref().unwrap_or(&[])
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&SourceText> {
        self.sources().iter().find(|s| s.id == id)
    }

    /// The source open in the reading view, with its record.
    pub fn open_source(&self) -> Option<(&OpenSource, &SourceText)> {
        let open = self.open.as_ref()?;
        Some((open, self.source(&open.id)?))
    }

    /// The citations of a source.
    pub fn citations(&self, id: &str) -> &[Citation] {
        self.cited.get(id).map_or(&[], Vec::as_slice)
    }

    /// The citations that hold code point `pos`.
    pub fn citations_at(&self, id: &str, pos: usize) -> Vec<&Citation> {
        self.citations(id)
            .iter()
            .filter(|c| c.start <= pos && pos < c.end.max(c.start + 1))
            .collect()
    }
}

impl App {
    /// Reads the study's sources behind the first frame: the loop performs it first.
    pub fn with_sources(mut self, root: PathBuf) -> App {
        self.sources.root = Some(root.clone());
        self.outbox.push(Effect::LoadSources(root));
        self
    }

    /// Makes the index of cited passages again if journeys changed since it was made.
    pub fn refresh_citations(&mut self) {
        let at = (self.session.notes_gen, self.session.data.journeys.len());
        if self.sources.cited_at == Some(at) {
            return;
        }
        self.sources.cited_at = Some(at);
        self.sources.cited = citations(&self.session.data.journeys);
    }
}

/// Every passage cited with a source and a span, by source, sorted by where it starts.
pub fn citations(journeys: &[Journey]) -> HashMap<String, Vec<Citation>> {
    let mut out: HashMap<String, Vec<Citation>> = HashMap::new();
    for (ji, j) in journeys.iter().enumerate() {
        for (si, s) in j.steps.iter().enumerate() {
            for e in &s.evidence {
                if let (Some(id), Some((start, end))) = (&e.source, e.span) {
                    out.entry(id.clone()).or_default().push(Citation {
                        start,
                        end,
                        journey: ji,
                        step: si,
                    });
                }
            }
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|c| (c.start, c.end, c.journey, c.step));
    }
    out
}

/// Brings in what a reading of the sources folder found: the list, the title, and the
/// problems (each once). The open source stays open if it is still there.
pub fn take(app: &mut App, loaded: Loaded) {
    let Loaded {
        title,
        sources,
        problems,
    } = loaded;
    if title.is_some() {
        app.sources.title = title;
    }
    if let Some(open) = &app.sources.open
        && !sources.iter().any(|s| s.id == open.id)
    {
        app.sources.open = None;
        app.sources.form = None;
        app.sources.searching = None;
    }
    app.sources.left = None;
    app.sources.selected = app.sources.selected.min(sources.len().saturating_sub(1));
    app.sources.list = Some(sources);
    let mut added = false;
    for p in problems {
        if !app.session.data.problems.contains(&p) {
            Arc::make_mut(&mut app.session.data).problems.push(p);
            added = true;
        }
    }
    if added {
        app.session.summary = app.session.data.summary();
    }
}

/// Reads the sources folder of the study at `root`, and its title: the I/O of
/// [`Effect::LoadSources`], on a worker.
pub fn load(root: &Path) -> Loaded {
    let dir = store::folder(root);
    let (found, mut problems) = store::list(&dir);
    let mut sources = Vec::with_capacity(found.len());
    for s in found {
        match store::read_text(&dir, &s.id) {
            Ok(text) => sources.push(SourceText {
                chars: text.chars().count(),
                text: Arc::from(text),
                id: s.id,
                doc: s.doc,
            }),
            Err(e) => problems.push(Problem::new(
                dir.join(format!("{}.txt", s.id)).display().to_string(),
                None,
                format!("cannot read the text of source '{}': {e}", s.id),
            )),
        }
    }
    let title = match crate::store::study::read(root) {
        Some(Ok(study)) => Some(study.title),
        Some(Err(p)) => {
            problems.push(p);
            None
        }
        None => None,
    };
    Loaded {
        title,
        sources,
        problems,
    }
}

/// Adds documents to the study at `root` as `terreng source add` does, then reads the sources
/// again: the I/O of [`Effect::AddSources`], on a worker. Returns what to tell the user.
pub fn add(root: &Path, files: &[PathBuf]) -> (String, Loaded) {
    let dir = store::folder(root);
    let terrain = root.join("terrain.ron");
    let mut said = Vec::new();
    for file in files {
        let shown = crate::store::sources::verify::one_line(&file.display().to_string());
        said.push(match store::add(&dir, file, None, &terrain) {
            Ok(Added::New { id, chars, .. }) => format!(
                "{shown} → sources/{id}.txt ({} characters)",
                crate::store::sources::verify::thousands(chars)
            ),
            Ok(Added::Duplicate { id }) => {
                format!("{shown} is in the study already, as sources/{id}.txt; not added again")
            }
            Ok(Added::Project(p)) => format!(
                "{shown} → {} source(s), {} code(s) in terrain.ron as unsorted (reopen the study \
                 to code with them), {} candidate passage(s)",
                p.sources.len(),
                p.codes,
                p.passages
            ),
            Err(e) => format!(
                "NOT added: {}",
                crate::store::sources::verify::one_line(&format!("{e:#}"))
            ),
        });
    }
    (said.join(" · "), load(root))
}

/// The journey a new one is made of from the journey form's values: its id as typed, or made
/// from the title, and made unique among `taken`.
pub fn journey_from_form(form: &Form, taken: &[&str]) -> Journey {
    let title = form.get("title");
    let typed = form.get("id");
    let base = if typed.is_empty() {
        store::id_from_name(&title)
    } else {
        store::id_from_name(&typed)
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id.as_str()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let mut j = crate::model::edit::new_journey(&id, &title, &form.get("theme"));
    j.goal = form.get("goal");
    j.source.work = form.get("work");
    j.provenance = match form.get("provenance").as_str() {
        "Reconstructed" => crate::model::Provenance::Reconstructed(form.get("why")),
        "Hypothetical" => crate::model::Provenance::Hypothetical(form.get("why")),
        _ => crate::model::Provenance::Documented,
    };
    j
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StepKind;
    use crate::model::edit::{new_journey, new_step};

    #[test]
    fn citations_are_indexed_by_source_and_sorted() {
        let mut j = new_journey("j", "J", "t");
        for (id, span) in [("s01", (40, 50)), ("s02", (3, 9))] {
            let mut s = new_step(id.into(), StepKind::Advance, "x");
            s.evidence.push(Evidence {
                quote: "q".into(),
                source_text: None,
                translation: String::new(),
                locator: String::new(),
                source: Some("intervju".into()),
                span: Some(span),
            });
            j.steps.push(s);
        }
        let index = citations(&[j]);
        let list = &index["intervju"];
        assert_eq!(list.len(), 2);
        assert_eq!((list[0].start, list[0].step), (3, 1));
        assert_eq!((list[1].start, list[1].step), (40, 0));
    }
}
