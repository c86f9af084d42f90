//! The state of the app: the [`Session`] (what is loaded and what is derived from it, whatever
//! the screen) and one state per screen and per overlay, gathered in [`App`]. Derived data that
//! drawing needs every frame (routes, atlas order, search text) is computed here once, when
//! data is loaded, never per frame; analysis is asked for here ([`App::request_analysis`]) and
//! computed on a worker (see [`crate::app::analysis`]). Nothing here does I/O.

use std::sync::Arc;

use crate::analysis::agree;
use crate::analysis::compare::CodeSource;
use crate::analysis::sequence::align::Alignment;
use crate::analysis::sequence::view::{DEFAULT_K, SeqDistance, SequenceView};
use crate::analysis::view::{Selection, TerrainSort};
use crate::app::analysis::{Analysis, AnalysisKind, Inputs, compute};
use crate::app::editor::{Editor, EditorFocus};
use crate::app::effect::Effect;
use crate::app::keymap::{Context, Keymap};
use crate::model::{Journey, Note, Route, Terrain, layout};
use crate::store::annotations::NoteStore;
use crate::store::{Dataset, Problem};
use crate::ui::theme::Look;
use rayon::prelude::*;

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Atlas,
    Journey,
    /// Two to four journeys, or whole themes, side by side.
    Compare,
    /// Every obstacle and enabler kind, how often and where it is met.
    Terrain,
    /// Where analysts' codings of the same steps differ, and how far they agree.
    Agreement,
    /// The codebook: every code by class and category, its definition and use.
    Codebook,
    /// The study's sources: read one, select a passage, make it evidence.
    Sources,
    /// The journeys as sequences of states: the index plot, typologies, alignments.
    Sequences,
}

/// Which part of the compare screen takes the arrow keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompareFocus {
    /// The maps: arrows step them in lockstep.
    #[default]
    Panes,
    /// The obstacle × journey matrix: arrows move between cells.
    Matrix,
    /// The journeys most like the first compared one.
    Similar,
}

impl CompareFocus {
    pub fn next(self) -> CompareFocus {
        match self {
            CompareFocus::Panes => CompareFocus::Matrix,
            CompareFocus::Matrix => CompareFocus::Similar,
            CompareFocus::Similar => CompareFocus::Panes,
        }
    }

    pub fn prev(self) -> CompareFocus {
        self.next().next()
    }
}

/// Where the user is on the compare screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareState {
    /// The lockstep position: a step number (0-based) of the longest journey.
    pub pos: usize,
    /// Lockstep by normalised position (0 to 1 along each journey) instead of step number.
    pub by_position: bool,
    pub focus: CompareFocus,
    /// The matrix cell chosen: row (code) and column (journey or theme).
    pub row: usize,
    pub col: usize,
    /// The list of steps behind the chosen cell, when open, with its cursor.
    pub cell: Option<usize>,
    pub similar: usize,
}

/// Where the user is on the terrain screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerrainState {
    pub selected: usize,
    pub sort: TerrainSort,
    /// The list of steps where the selected kind is met, when open, with its cursor.
    pub segments: Option<usize>,
}

/// Where the user is on the agreement screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreeState {
    /// The disagreement shown, an index into the cached agreement's list.
    pub pos: usize,
    /// The chosen code among the ones that differ there.
    pub code: usize,
    /// The step (journey and step index) whose disagreement stays shown when the analysis comes
    /// back after a change there (an adoption, its undo), rather than whatever is at `pos` then.
    pub keep: Option<(usize, usize)>,
}

/// What the side pane of the sequences screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeqPane {
    /// The quality of each number of clusters, and the clusters with their medoids.
    #[default]
    Clusters,
    /// Themes against clusters, with Cramér's V and the adjusted Rand index.
    Themes,
    /// The state distribution at each position.
    States,
    /// The transition rates between states.
    Rates,
    /// Entropy per position and turbulence per journey.
    Entropy,
}

impl SeqPane {
    pub const ALL: [SeqPane; 5] = [
        SeqPane::Clusters,
        SeqPane::Themes,
        SeqPane::States,
        SeqPane::Rates,
        SeqPane::Entropy,
    ];

    pub fn next(self) -> SeqPane {
        let i = SeqPane::ALL.iter().position(|&p| p == self).unwrap_or(0);
        SeqPane::ALL[(i + 1) % SeqPane::ALL.len()]
    }

    pub fn prev(self) -> SeqPane {
        let i = SeqPane::ALL.iter().position(|&p| p == self).unwrap_or(0);
        SeqPane::ALL[(i + SeqPane::ALL.len() - 1) % SeqPane::ALL.len()]
    }

    /// Its name on the pane's tabs.
    pub fn name(self) -> &'static str {
        match self {
            SeqPane::Clusters => "clusters",
            SeqPane::Themes => "themes",
            SeqPane::States => "states",
            SeqPane::Rates => "rates",
            SeqPane::Entropy => "entropy",
        }
    }
}

/// Two journeys aligned on the sequences screen.
#[derive(Debug, Clone, PartialEq)]
pub struct SeqAlignment {
    /// The two journeys, as indices into the data set.
    pub left: usize,
    pub right: usize,
    pub alignment: Alignment,
    /// The aligned pair chosen.
    pub column: usize,
    /// Both steps' evidence side by side, open over the screen, and how far it is scrolled.
    pub evidence: bool,
    pub scroll: u16,
}

/// Where the user is on the sequences screen, and what it is asked to show.
#[derive(Debug, Clone, PartialEq)]
pub struct SequencesState {
    /// The channel and distance (the compare screen's nearest journeys use them too).
    pub distance: SeqDistance,
    /// The number of clusters shown.
    pub k: usize,
    pub pane: SeqPane,
    /// The journey under the cursor (an index into the data set) and its step.
    pub journey: Option<usize>,
    pub step: usize,
    /// The first journey of an alignment, chosen, waiting for the second.
    pub first: Option<usize>,
    pub align: Option<SeqAlignment>,
}

impl Default for SequencesState {
    fn default() -> Self {
        SequencesState {
            distance: SeqDistance::default(),
            k: DEFAULT_K,
            pane: SeqPane::default(),
            journey: None,
            step: 0,
            first: None,
            align: None,
        }
    }
}

/// What is drawn over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Problems,
    /// The note editor (its state is [`App::editor`]).
    Editor,
    /// Notes whose journey or step no longer exists.
    Orphans,
    /// `q` with changes that could not be saved: quit anyway, or stay.
    ConfirmQuit,
    /// A form (its state is [`App::form`]).
    Form,
    /// A question before a change (its state is [`App::confirm`]).
    Confirm,
}

/// What the status line says about the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteStatus {
    /// Nothing changed yet in this session.
    Ready,
    /// The last change is on disk, in this file, at this time.
    Saved { path: String, at: String },
    /// The last save merged changes someone else made to the file.
    Merged { path: String, conflicts: usize },
    /// The last change is on disk in this file, beside the journey's own file, which is broken
    /// and left as it is.
    Beside { path: String, conflicts: usize },
    /// A save failed; the change is kept in memory and retried.
    Failed(String),
    /// Something else to say (a file changed on disk was re-read, nothing to undo…).
    Info(String),
}

/// The annotation side of the app: the store and what to say about it. (Undoing a change to
/// notes is in the one history, [`App::history`].)
pub struct Notes {
    /// Shared with analysis running on a worker; changed through `Arc::make_mut`.
    pub store: Arc<NoteStore>,
    pub status: NoteStatus,
    /// The selection in the orphans panel.
    pub orphan_cursor: usize,
}

/// A note whose journey or step no longer exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    pub analyst: String,
    pub journey: String,
    pub note: Note,
    /// Whether the journey exists (so only the step is gone).
    pub journey_exists: bool,
    /// Why the journey is missing when it is not gone: its file failed to load (the problem,
    /// to be repaired), or it is still loading. Such a note waits; nothing is done to it.
    pub waiting: Option<String>,
}

/// Which pane of the journey screen takes the keys that differ by pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Map,
    Strip,
    Detail,
}

impl Focus {
    pub fn next(self) -> Focus {
        match self {
            Focus::Map => Focus::Strip,
            Focus::Strip => Focus::Detail,
            Focus::Detail => Focus::Map,
        }
    }

    pub fn prev(self) -> Focus {
        self.next().next()
    }
}

/// Where the user is in the atlas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AtlasState {
    /// Index into [`App::visible`].
    pub selected: usize,
    /// The first row in view: kept by `update` so that the selection stays in view in a frame
    /// of the last known size.
    pub offset: usize,
    pub filter: String,
    pub typing: bool,
}

/// Where the user is in the open journey, and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyState {
    /// Index into the data set's journeys.
    pub journey: usize,
    /// The current step.
    pub step: usize,
    /// The step chosen in the strip (Enter jumps to it); follows `step` unless the strip has focus.
    pub strip_cursor: usize,
    pub detail_scroll: u16,
    /// The pane that takes the keys that differ by pane.
    pub focus: Focus,
    /// Whether the route not yet walked is drawn.
    pub show_future: bool,
    /// The journey plays, a step at a time.
    pub playing: bool,
    /// The selected note among the notes on the current step.
    pub note_cursor: usize,
    /// The screen a jump to a step came from (compare, terrain, agreement): Esc goes back there.
    pub back: Option<Screen>,
}

impl Default for JourneyState {
    fn default() -> Self {
        JourneyState {
            journey: 0,
            step: 0,
            strip_cursor: 0,
            detail_scroll: 0,
            focus: Focus::Map,
            show_future: true,
            playing: false,
            note_cursor: 0,
            back: None,
        }
    }
}

/// Where the user is on the codebook screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodebookState {
    /// The rows as drawn, made in `update` when the catalogue, journeys or notes change.
    pub rows: Vec<crate::app::codebook::CodeRow>,
    /// The `notes_gen` the rows were made at.
    pub built: Option<u64>,
    /// The selected row (always a code's).
    pub selected: usize,
    /// A code being merged: the next Enter chooses the code it goes into.
    pub merging: Option<String>,
    /// A search being typed (`/`): the selection goes to the first code it matches.
    pub searching: Option<String>,
    /// The last search kept with Enter, for `n` and `N`.
    pub search: String,
}

/// The help overlay: how far it is scrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    pub scroll: u16,
}

/// A row of the atlas list: a theme heading or a journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtlasRow {
    /// The theme id.
    Heading(String),
    /// An index into [`App::visible`].
    Journey(usize),
}

/// What is loaded and what is derived from it, whatever the screen: the study, its atlas index
/// and filter, the notes, the marks for comparison, and the analysis cache.
pub struct Session {
    /// Shared with analysis and exports running on workers; changed through `Arc::make_mut`.
    pub data: Arc<Dataset>,
    /// The route of each journey, by index.
    pub routes: Vec<Route>,
    /// Lower-case text of each journey for the filter: title, theme, terrain, every string.
    haystacks: Vec<String>,
    /// The width of each journey's id, title and outcome, by index (kept with `haystacks`).
    widths: Vec<Widest>,
    /// Journey indices in atlas order: by theme (catalogue order), then source, then id.
    pub order: Vec<usize>,
    /// `order` narrowed by the filter.
    pub visible: Vec<usize>,
    /// What the filter matched, kept for the queries typed on the way to the one in use: each
    /// query lower-cased with the journeys it matched (in atlas order). A longer query searches
    /// only what the longest of them that begins it matched; a query typed before (Backspace)
    /// searches nothing. Valid for the notes and order in `kept_for`.
    kept: Vec<(String, Vec<usize>)>,
    /// The `notes_gen` and the number of journeys `kept` was made at.
    kept_for: (u64, usize),
    /// How many journeys the last refilter searched: what the kept results save.
    filter_searched: usize,
    /// Lower-case text of the notes on each journey for the filter: made with the notes and
    /// again for each journey whose notes change.
    note_text: crate::app::note_text::NoteText,
    /// The atlas list as drawn: headings and journeys, computed when the filter changes.
    pub rows: Vec<AtlasRow>,
    /// For each entry of `visible`, its row in `rows`.
    pub row_of: Vec<usize>,
    /// The widest id, title and outcome of the `visible` journeys, in columns: the atlas sizes
    /// its columns by them, and each frame would otherwise measure every visible journey once
    /// per row it draws.
    pub widest: Widest,
    /// The notes, when an annotation folder is attached.
    pub notes: Option<Notes>,
    /// Blind coding: other analysts' notes and codes are hidden everywhere in the app, so
    /// that independent coding stays independent.
    pub blind: bool,
    /// Journeys marked for comparison (indices into the data set), in the order marked.
    pub marked: Vec<usize>,
    /// Themes marked for comparison, in the order marked (instead of journeys).
    pub marked_themes: Vec<String>,
    /// Where comparisons take a step's codes from.
    pub source: CodeSource,
    /// Bumped whenever notes or journeys change, so cached analysis knows to recompute.
    pub notes_gen: u64,
    /// A large study still loading behind the screen.
    pub loading: Option<crate::app::loader::Loading>,
    /// "26 journeys, 241 steps, 0 problems", made when the data changes rather than per frame.
    pub summary: String,
    /// Analysis results, recomputed (on a worker) only when their inputs change.
    pub analysis: Analysis,
}

impl Session {
    /// The filter text of a journey added to the data set, at the end.
    pub(crate) fn push_haystack(&mut self, text: String) {
        self.haystacks.push(text);
        let index = self.haystacks.len() - 1;
        self.widths.push(
            self.data
                .journeys
                .get(index)
                .map(Widest::of)
                .unwrap_or_default(),
        );
    }

    /// The filter text of a journey that changed.
    pub(crate) fn set_haystack(&mut self, index: usize, text: String) {
        if let Some(slot) = self.haystacks.get_mut(index) {
            *slot = text;
        }
        if let (Some(slot), Some(j)) = (self.widths.get_mut(index), self.data.journeys.get(index)) {
            *slot = Widest::of(j);
        }
        // What was filtered before no longer says what matches now.
        self.kept.clear();
    }

    /// The atlas order again, after journeys were added or changed theme or title.
    pub(crate) fn reorder(&mut self) {
        self.order = atlas_order(&self.data);
        self.kept.clear();
    }
}

/// The whole state of the app: the session, then one state per screen and per overlay.
pub struct App {
    pub session: Session,
    pub screen: Screen,
    pub overlay: Overlay,
    pub atlas: AtlasState,
    pub journey: JourneyState,
    pub compare: CompareState,
    pub terrain_screen: TerrainState,
    pub agree_screen: AgreeState,
    pub sequences: SequencesState,
    pub help: HelpState,
    pub codebook: CodebookState,
    /// The note editor, while it is open (or the code picker of a form's codes).
    pub editor: Option<Editor>,
    /// The form open over the screen, if any.
    pub form: Option<crate::app::editing::FormState>,
    /// The question open over the screen, if any.
    pub confirm: Option<crate::app::editing::Confirm>,
    /// Writes held back until the analyst says whether a file's comments may go.
    pub held: Vec<crate::app::editing::Held>,
    /// Files whose comments the analyst agreed may go: written without asking again.
    pub consented: Vec<std::path::PathBuf>,
    /// Undo and redo, for notes, journeys and the codebook.
    pub history: crate::app::history::History,
    /// The catalogue file named with `--catalogue`: where codebook changes are written.
    pub catalogue: Option<std::path::PathBuf>,
    /// The command being typed after `:`, while the command line is open.
    pub command: Option<String>,
    /// A short message for the status line (marking, a key that does nothing here…).
    pub flash: Option<String>,
    pub keymap: Keymap,
    pub look: Look,
    /// The terminal's size (columns, rows) as last reported; `None` until it is known.
    pub frame: Option<(u16, u16)>,
    /// The sources screen: the study's sources, the reading view, and its form.
    pub sources: crate::app::sources::SourcesState,
    /// Effects asked for while handling the current action; `update` returns them.
    pub(crate) outbox: Vec<Effect>,
}

impl App {
    pub fn new(data: Dataset, look: Look) -> App {
        let routes = data.journeys.iter().map(layout).collect();
        let haystacks = data
            .journeys
            .iter()
            .map(|j| haystack(j, &data.terrain))
            .collect();
        let widths = data.journeys.iter().map(Widest::of).collect();
        let order = atlas_order(&data);
        let visible = order.clone();
        let first = visible.first().copied().unwrap_or(0);
        let session = Session {
            data: Arc::new(data),
            routes,
            haystacks,
            widths,
            order,
            visible,
            kept: Vec::new(),
            kept_for: (0, 0),
            filter_searched: 0,
            note_text: Default::default(),
            rows: Vec::new(),
            row_of: Vec::new(),
            widest: Widest::default(),
            notes: None,
            blind: false,
            marked: Vec::new(),
            marked_themes: Vec::new(),
            source: CodeSource::default(),
            notes_gen: 0,
            loading: None,
            summary: String::new(),
            analysis: Analysis::default(),
        };
        let mut app = App {
            session,
            screen: Screen::Atlas,
            overlay: Overlay::None,
            atlas: AtlasState::default(),
            journey: JourneyState {
                journey: first,
                ..JourneyState::default()
            },
            compare: CompareState::default(),
            terrain_screen: TerrainState::default(),
            agree_screen: AgreeState::default(),
            sequences: SequencesState::default(),
            help: HelpState::default(),
            codebook: CodebookState::default(),
            editor: None,
            form: None,
            confirm: None,
            held: Vec::new(),
            consented: Vec::new(),
            history: Default::default(),
            catalogue: None,
            command: None,
            flash: None,
            keymap: Keymap::default(),
            look,
            frame: None,
            sources: Default::default(),
            outbox: Vec::new(),
        };
        app.session.summary = app.session.data.summary();
        app.rebuild_rows();
        app.request_analysis();
        app
    }

    /// Recomputes the atlas rows from `visible`: a heading before each run of one theme.
    fn rebuild_rows(&mut self) {
        self.session.rows.clear();
        self.session.row_of.clear();
        let widths = &self.session.widths;
        self.session.widest = self
            .session
            .visible
            .iter()
            .filter_map(|&i| widths.get(i))
            .fold(Widest::default(), |a, b| Widest {
                id: a.id.max(b.id),
                title: a.title.max(b.title),
                outcome: a.outcome.max(b.outcome),
            });
        let mut last_theme: Option<&str> = None;
        for (vi, &ji) in self.session.visible.iter().enumerate() {
            let theme = self.session.data.journeys[ji].theme.as_str();
            if last_theme != Some(theme) {
                self.session.rows.push(AtlasRow::Heading(theme.to_string()));
                last_theme = Some(theme);
            }
            self.session.row_of.push(self.session.rows.len());
            self.session.rows.push(AtlasRow::Journey(vi));
        }
    }

    /// Attaches an annotation store; the problems met reading it join the load problems.
    pub fn with_notes(mut self, store: NoteStore, problems: Vec<Problem>) -> App {
        self.attach_notes(store, problems);
        self
    }

    /// Loads the rest of a large study behind the screen (see [`crate::app::loader`]): the
    /// loading starts with the effects the loop performs first.
    pub fn with_loading(mut self, job: crate::app::loader::LoadJob) -> App {
        self.session.loading = Some(job.progress());
        self.outbox
            .push(Effect::Load(crate::app::effect::Delivered::new(job)));
        self
    }

    /// The effects asked for before the loop started (loading, analysis): the loop performs
    /// them first.
    pub fn startup(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.outbox)
    }

    /// Takes in journeys loaded behind the screen: the atlas grows, keeping its selection,
    /// and analysis is redone when next needed.
    pub fn add_journeys(&mut self, ready: Vec<crate::app::loader::Ready>, problems: Vec<Problem>) {
        let was_empty = self.session.data.journeys.is_empty();
        let data = Arc::make_mut(&mut self.session.data);
        data.problems.extend(problems);
        for r in ready {
            self.session.widths.push(Widest::of(&r.journey));
            data.journeys.push(r.journey);
            self.session.routes.push(r.route);
            self.session.haystacks.push(r.haystack);
        }
        self.session.order = atlas_order(&self.session.data);
        self.refilter();
        if was_empty {
            self.journey.journey = self.session.visible.first().copied().unwrap_or(0);
        }
        self.session.summary = self.session.data.summary();
        self.session.notes_gen += 1;
    }

    /// Attaches an annotation store; the problems met reading it join the load problems.
    pub fn attach_notes(&mut self, store: NoteStore, problems: Vec<Problem>) {
        let text = crate::app::note_text::NoteText::of(&store);
        self.attach_notes_with(store, text, problems);
    }

    /// [`App::attach_notes`] with the filter's text of the notes already made (by the loading
    /// thread).
    pub fn attach_notes_with(
        &mut self,
        store: NoteStore,
        text: crate::app::note_text::NoteText,
        problems: Vec<Problem>,
    ) {
        self.session.note_text = text;
        if !problems.is_empty() {
            Arc::make_mut(&mut self.session.data)
                .problems
                .extend(problems);
        }
        self.session.summary = self.session.data.summary();
        self.session.notes = Some(Notes {
            store: Arc::new(store),
            status: NoteStatus::Ready,
            orphan_cursor: 0,
        });
        self.session.notes_gen += 1;
        self.request_analysis();
    }

    /// After the notes on these journeys changed (a change made here, a save that merged, a
    /// file read again): their filter text is made again and cached analysis knows to
    /// recompute.
    pub fn notes_changed<'a>(&mut self, journeys: impl IntoIterator<Item = &'a str>) {
        self.session.notes_gen += 1;
        if let Some(n) = &self.session.notes {
            self.session.note_text.remake(&n.store, journeys);
        }
    }

    /// Turns blind coding on or off.
    pub fn with_blind(mut self, blind: bool) -> App {
        self.session.blind = blind;
        self.session.notes_gen += 1;
        self.request_analysis();
        self
    }

    /// Whether an analyst's notes are shown: always, but for others' under blind coding.
    pub fn shows(&self, analyst: &str) -> bool {
        !self.session.blind
            || self
                .session
                .notes
                .as_ref()
                .is_some_and(|n| n.store.analyst() == analyst)
    }

    /// The analyst whose notes this window writes ("" when no annotation folder is attached).
    pub fn analyst(&self) -> &str {
        self.session
            .notes
            .as_ref()
            .map_or("", |n| n.store.analyst())
    }

    /// The analysts among `names` as a question may name them: each once, sorted, and under
    /// blind coding every other analyst as one "hidden" entry.
    pub fn analysts_named<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let mut named: Vec<&str> = names
            .into_iter()
            .map(|a| {
                if self.shows(a) {
                    a
                } else {
                    "another analyst, hidden under blind coding"
                }
            })
            .collect();
        named.sort_unstable();
        named.dedup();
        named
    }

    /// Every shown note on a journey, own first, as [`NoteStore::journey_notes`] orders them.
    pub fn journey_notes(&self, journey: &str) -> Vec<(&str, &Note)> {
        let Some(n) = &self.session.notes else {
            return Vec::new();
        };
        let mut notes = n.store.journey_notes(journey);
        notes.retain(|(a, _)| self.shows(a));
        notes
    }

    /// Every shown note, as (analyst, journey id, note).
    pub fn all_notes(&self) -> Vec<(&str, &str, &Note)> {
        let Some(n) = &self.session.notes else {
            return Vec::new();
        };
        let mut notes = n.store.all();
        notes.retain(|(a, _, _)| self.shows(a));
        notes
    }

    /// The notes on the current step, every shown analyst's, own first.
    pub fn step_notes(&self) -> Vec<(&str, &Note)> {
        let Some(j) = self.current_journey() else {
            return Vec::new();
        };
        match j.steps.get(self.journey.step) {
            Some(s) => {
                let mut notes = self.journey_notes(&j.id);
                notes.retain(|(_, n)| n.step == s.id);
                notes
            }
            None => Vec::new(),
        }
    }

    /// The selected note on the current step, with its analyst.
    pub fn selected_note(&self) -> Option<(&str, &Note)> {
        let notes = self.step_notes();
        let i = self.journey.note_cursor.min(notes.len().checked_sub(1)?);
        notes.get(i).copied()
    }

    /// Which steps of the open journey carry notes (any analyst's).
    pub fn noted_steps(&self, journey: usize) -> Vec<bool> {
        let Some(j) = self.session.data.journeys.get(journey) else {
            return Vec::new();
        };
        if self.session.notes.is_none() {
            return Vec::new();
        }
        let notes = self.journey_notes(&j.id);
        j.steps
            .iter()
            .map(|s| notes.iter().any(|(_, note)| note.step == s.id))
            .collect()
    }

    /// Notes whose journey or step is not in the data set: kept, and listed for the analyst.
    pub fn orphans(&self) -> Vec<Orphan> {
        self.all_notes()
            .into_iter()
            .filter_map(|(analyst, jid, note)| {
                let journey = self.session.data.journey(jid);
                let step_exists =
                    journey.is_some_and(|j| j.steps.iter().any(|s| s.id == note.step));
                (!step_exists).then(|| Orphan {
                    analyst: analyst.to_string(),
                    journey: jid.to_string(),
                    note: note.clone(),
                    journey_exists: journey.is_some(),
                    waiting: if journey.is_some() {
                        None
                    } else {
                        self.journey_waits(jid)
                    },
                })
            })
            .collect()
    }

    /// Why a journey that is not in the data set is not gone, if it is not: its file is there
    /// but failed to load (the first problem in it, which says what to repair), or the study
    /// is still loading.
    pub fn journey_waits(&self, id: &str) -> Option<String> {
        if let Some(p) = self.failed_journey(id) {
            return Some(format!("its file failed to load: {p}"));
        }
        self.session
            .loading
            .as_ref()
            .filter(|l| !l.journeys_done())
            .map(|_| "the study is still loading".to_string())
    }

    /// The problem that kept a journey's file from loading: one reported for `<id>.ron` in the
    /// journeys folder (the data folder, or its `journeys/`).
    pub fn failed_journey(&self, id: &str) -> Option<&Problem> {
        let crate::store::DataSource::Dir(dir) = &self.session.data.source else {
            return None;
        };
        let inner = dir.join("journeys");
        self.session.data.problems.iter().find(|p| {
            let path = std::path::Path::new(&p.path);
            let parent = path.parent().unwrap_or(std::path::Path::new(""));
            let stem = path.file_stem().and_then(|s| s.to_str());
            path.extension().is_some_and(|e| e == "ron")
                && stem == Some(id)
                && (parent == inner
                    || (parent == dir.as_path() && !matches!(id, "terrain" | "study")))
        })
    }

    pub fn terrain(&self) -> &Terrain {
        &self.session.data.terrain
    }

    /// The disagreement shown on the agreement screen, if there is any.
    pub fn disagreement(&self) -> Option<&agree::Disagreement> {
        let list = &self.session.analysis.agreement.as_ref()?.disagreements;
        list.get(self.agree_screen.pos.min(list.len().checked_sub(1)?))
    }

    /// The journey open on the journey screen, if there is any journey at all.
    pub fn current_journey(&self) -> Option<&Journey> {
        self.session.data.journeys.get(self.journey.journey)
    }

    /// The journey selected in the atlas.
    pub fn selected_journey(&self) -> Option<usize> {
        self.session.visible.get(self.atlas.selected).copied()
    }

    /// The context that decides what keys mean now.
    pub fn context(&self) -> Context {
        match (self.overlay, &self.editor) {
            (Overlay::Editor, Some(e)) if e.focus == EditorFocus::Codes => return Context::Picker,
            (Overlay::Editor, _) => return Context::Editor,
            (Overlay::Orphans, _) => return Context::Orphans,
            (Overlay::ConfirmQuit, _) => return Context::ConfirmQuit,
            (Overlay::Form, _) => return Context::Form,
            (Overlay::Confirm, _) => return Context::Confirm,
            (Overlay::Help | Overlay::Problems, _) => return Context::Help,
            (Overlay::None, _) => {}
        }
        if self.screen == Screen::Sources && self.sources.form.is_some() {
            return Context::Form;
        }
        if self.command.is_some() {
            return Context::CommandLine;
        }
        self.screen_context()
    }

    /// The context of the screen in view, whatever is open over it.
    pub fn screen_context(&self) -> Context {
        match self.screen {
            Screen::Atlas if self.atlas.typing => Context::FilterInput,
            Screen::Atlas => Context::Atlas,
            Screen::Journey => Context::Journey,
            Screen::Compare => Context::Compare,
            Screen::Terrain => Context::Terrain,
            Screen::Agreement => Context::Agreement,
            Screen::Codebook if self.codebook.searching.is_some() => Context::CodebookSearch,
            Screen::Codebook => Context::Codebook,
            Screen::Sources if self.sources.searching.is_some() => Context::SourceSearch,
            Screen::Sources if self.sources.open.is_some() => Context::Reading,
            Screen::Sources => Context::Sources,
            Screen::Sequences => Context::Sequences,
        }
    }

    /// What the compare screen shows: the marked themes, else the marked journeys.
    pub fn selection(&self) -> Selection {
        if !self.session.marked_themes.is_empty() {
            Selection::Themes(self.session.marked_themes.clone())
        } else if !self.session.marked.is_empty() {
            Selection::Journeys(self.session.marked.clone())
        } else {
            Selection::Nothing
        }
    }

    /// The journeys the sequences screen analyses: the marked themes' journeys, else two or
    /// more marked journeys, else the journeys in the atlas (narrowed by its filter), in atlas
    /// order.
    pub fn sequence_journeys(&self) -> Vec<usize> {
        let s = &self.session;
        if !s.marked_themes.is_empty() {
            s.order
                .iter()
                .copied()
                .filter(|&i| s.marked_themes.contains(&s.data.journeys[i].theme))
                .collect()
        } else if s.marked.len() >= 2 {
            s.marked.clone()
        } else {
            s.visible.clone()
        }
    }

    /// The sequences screen's result, when it is in and could be computed.
    pub fn sequence_view(&self) -> Option<&SequenceView> {
        self.session.analysis.sequences.as_ref()?.as_ref().ok()
    }

    /// The row of the index plot under the sequences screen's cursor.
    pub fn sequence_row(&self, v: &SequenceView) -> usize {
        self.sequences
            .journey
            .and_then(|j| v.row_of(j))
            .unwrap_or(0)
            .min(v.order.len().saturating_sub(1))
    }

    /// Where the sequences screen's journeys come from, in a few words.
    pub fn sequence_scope(&self) -> String {
        let s = &self.session;
        if !s.marked_themes.is_empty() {
            "the marked themes".to_string()
        } else if s.marked.len() >= 2 {
            "the marked journeys".to_string()
        } else if !self.atlas.filter.is_empty() {
            format!("the atlas filter /{}", self.atlas.filter)
        } else {
            "all".to_string()
        }
    }

    /// Asks for the analysis the screen in view needs, if the cache does not hold it already
    /// and it is not asked for: an [`Effect::Analyse`] into the outbox, which `update`
    /// returns. Only the screen in view is brought up to date: the others wait until they are
    /// shown, so that stepping through a journey never pays for an analysis of the whole study.
    pub fn request_analysis(&mut self) {
        let kind = match self.screen {
            Screen::Compare => AnalysisKind::Compare,
            Screen::Terrain => AnalysisKind::Terrain,
            Screen::Agreement => AnalysisKind::Agreement,
            // Every pair of journeys is compared: not until every journey is in, as each batch
            // loaded would start it again (and it would hold back the loading).
            Screen::Sequences if self.session.loading.is_some() => return,
            Screen::Sequences => AnalysisKind::Sequences,
            Screen::Atlas | Screen::Journey | Screen::Codebook | Screen::Sources => return,
        };
        let seq_journeys = if kind == AnalysisKind::Sequences {
            self.sequence_journeys()
        } else {
            Vec::new()
        };
        let only = self.session.blind.then(|| {
            self.session
                .notes
                .as_ref()
                .map_or_else(String::new, |n| n.store.analyst().to_string())
        });
        let inputs = Inputs {
            data: &self.session.data,
            notes: self.session.notes.as_ref().map(|n| &n.store),
            only,
            blind: self.session.blind,
            notes_gen: self.session.notes_gen,
            source: self.session.source,
            selection: self.selection(),
            visible: &self.session.visible,
            sort: self.terrain_screen.sort,
            seq_journeys: &seq_journeys,
            distance: self.sequences.distance,
            k: self.sequences.k,
        };
        if let Some(req) = self.session.analysis.request(kind, inputs) {
            self.outbox.push(Effect::Analyse(req));
        }
    }

    /// Brings the analysis for the screen in view up to date now, on this thread: for tests and
    /// benches that look at a result without running the loop.
    pub fn refresh_analysis(&mut self) {
        self.request_analysis();
        let asked: Vec<Effect> = std::mem::take(&mut self.outbox);
        for effect in asked {
            match effect {
                Effect::Analyse(req) => {
                    self.session.analysis.take(compute(req));
                    drop(self.session.analysis.discarded());
                }
                other => self.outbox.push(other),
            }
        }
    }

    /// The first atlas row to draw in a list `height` rows tall: the scroll offset, moved as
    /// little as keeps the selected row (and the heading above it, when it fits) in view.
    pub fn atlas_offset(&self, height: usize) -> usize {
        let sel_row = self
            .session
            .row_of
            .get(self.atlas.selected)
            .copied()
            .unwrap_or(0);
        let mut offset = self
            .atlas
            .offset
            .min(self.session.rows.len().saturating_sub(1));
        if sel_row < offset + 1 {
            offset = sel_row.saturating_sub(1);
        }
        if sel_row >= offset + height {
            offset = sel_row + 1 - height;
        }
        offset
    }

    /// Re-applies the filter to the atlas, keeping the selection on the same journey if it
    /// is still visible.
    pub fn refilter(&mut self) {
        let keep = self.selected_journey();
        let needle = self.atlas.filter.to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        let made_for = (self.session.notes_gen, self.session.order.len());
        if self.session.kept_for != made_for {
            self.session.kept.clear();
            self.session.kept_for = made_for;
        }
        // Only the queries this one continues or was continued by stay useful.
        self.session
            .kept
            .retain(|(q, _)| needle.starts_with(q.as_str()) || q.starts_with(needle.as_str()));
        let again = self.session.kept.iter().position(|(q, _)| *q == needle);
        if let Some(at) = again {
            // Typed before (Backspace back to it): what it matched then, it matches now.
            self.session.visible = self.session.kept[at].1.clone();
            self.session.filter_searched = 0;
        } else if words.is_empty() {
            self.session.visible = self.session.order.clone();
            self.session.filter_searched = 0;
        } else {
            // Typing on can only narrow: only what the longest query this one begins with
            // matched is searched again.
            let from = self
                .session
                .kept
                .iter()
                .filter(|(q, _)| needle.starts_with(q.as_str()))
                .max_by_key(|(q, _)| q.len())
                .map(|(_, v)| v);
            let candidates: &[usize] = from.map_or(&self.session.order, Vec::as_slice);
            let visible = self.search(candidates, &words);
            self.session.filter_searched = candidates.len();
            self.session.visible = visible;
        }
        if again.is_none() && !needle.is_empty() {
            self.session
                .kept
                .push((needle, self.session.visible.clone()));
        }
        self.atlas.selected = keep
            .and_then(|k| self.session.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.rebuild_rows();
    }

    /// How many journeys the last change of the filter searched: none when a query typed
    /// before is typed again (Backspace), only those the query it continues matched when it
    /// grows.
    pub fn filter_searched(&self) -> usize {
        self.session.filter_searched
    }

    /// Those of `candidates` whose text or notes' text holds every one of `words`, on both
    /// cores.
    fn search(&self, candidates: &[usize], words: &[&str]) -> Vec<usize> {
        // The notes' text too: what an analyst wrote about a journey finds it.
        let (data, haystacks) = (&self.session.data, &self.session.haystacks);
        let (notes, blind) = (&self.session.note_text, self.session.blind);
        let keep_it = candidates
            .par_iter()
            .map(|&i| {
                let in_notes = notes.of_journey(&data.journeys[i].id, blind);
                words.iter().all(|w| {
                    haystacks[i].contains(w) || in_notes.iter().flatten().any(|n| n.contains(w))
                })
            })
            .collect::<Vec<_>>();
        candidates
            .iter()
            .zip(keep_it)
            .filter_map(|(&i, kept)| kept.then_some(i))
            .collect()
    }
}

/// The widest of some journeys' id, title and outcome, in terminal columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Widest {
    pub id: usize,
    pub title: usize,
    pub outcome: usize,
}

impl Widest {
    /// One journey's widths.
    fn of(j: &Journey) -> Widest {
        use crate::ui::text::width;
        Widest {
            id: width(&j.id),
            title: width(&j.title),
            outcome: width(&j.outcome),
        }
    }
}

/// Journey indices in atlas order: by theme (catalogue order), then source, then id.
fn atlas_order(data: &Dataset) -> Vec<usize> {
    let mut order: Vec<usize> = (0..data.journeys.len()).collect();
    order.sort_by(|&a, &b| {
        let (ja, jb) = (&data.journeys[a], &data.journeys[b]);
        (data.terrain.theme_index(&ja.theme), &ja.source.seed, &ja.id).cmp(&(
            data.terrain.theme_index(&jb.theme),
            &jb.source.seed,
            &jb.id,
        ))
    });
    order
}

/// Everything the filter searches in one journey, lower-cased once.
pub fn haystack(j: &Journey, terrain: &Terrain) -> String {
    let mut parts: Vec<&str> = vec![
        &j.id,
        &j.title,
        &j.theme,
        &j.goal,
        &j.outcome,
        &j.source.work,
    ];
    if let Some(t) = terrain.theme(&j.theme) {
        parts.push(&t.en);
        parts.push(&t.no);
    }
    parts.push(j.provenance.label());
    for s in &j.steps {
        parts.push(&s.title);
        parts.push(&s.narrative);
        parts.push(s.kind.name());
        if let Some(w) = &s.when {
            parts.push(w);
        }
        for id in s.codes() {
            parts.push(id);
            if let Some((_, f)) = terrain.feature(id) {
                parts.push(&f.en);
                parts.push(&f.no);
            }
        }
        for e in &s.evidence {
            parts.push(&e.quote);
            parts.push(&e.translation);
            parts.push(&e.locator);
        }
    }
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for part in parts {
        push_lowercase(&mut out, part);
        out.push('\n');
    }
    out
}

/// Appends `s` lower-cased. The same as `str::to_lowercase` but for the final sigma rule (which
/// a substring search does not need), and several times faster on text that is mostly ASCII
/// with a few Norwegian letters, as the ASCII characters skip the Unicode tables.
pub(crate) fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

impl App {
    /// The step a compared journey of `n` steps shows at the lockstep position: the same step
    /// number (held at its last step once it is over: `true`), or the same share of the way.
    pub fn lockstep(&self, n: usize) -> (usize, bool) {
        if n == 0 {
            return (0, true);
        }
        let longest = self
            .session
            .analysis
            .compare
            .as_ref()
            .map_or(n, |v| v.journeys.iter().map(|j| j.steps).max().unwrap_or(n))
            .max(1);
        let pos = self.compare.pos.min(longest - 1);
        if self.compare.by_position || !self.session.marked_themes.is_empty() {
            let t = if longest > 1 {
                pos as f64 / (longest - 1) as f64
            } else {
                1.0
            };
            ((t * (n - 1) as f64).round() as usize, false)
        } else {
            (pos.min(n - 1), pos >= n)
        }
    }
}

#[cfg(test)]
mod lowercase_tests {
    use super::push_lowercase;

    #[test]
    fn lowercase_is_the_standard_one() {
        for s in [
            "ÆØÅ Bærum ØSTFOLD",
            "plain ASCII",
            "İstanbul ΣΊΣΥΦΟΣ",
            "Ǆ ß ẞ 🙂 K",
        ] {
            let mut out = String::new();
            push_lowercase(&mut out, s);
            // `to_lowercase` differs only for a final capital sigma.
            assert_eq!(
                out.replace('ς', "σ"),
                s.to_lowercase().replace('ς', "σ"),
                "{s}"
            );
        }
    }
}
