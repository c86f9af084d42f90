//! Everything the user can ask of the app. Keys reach an `Action` only through the keymap
//! ([`crate::app::keymap`]); mouse events are hit-tested against the rectangles drawing
//! returned and become actions too. `update` is the only place actions change state.
//!
//! Actions are read from keymap files by their names (`Quit`, `StepNext`, `ScrollDetail(1)`);
//! the internal ones — typed text, clicks, the timer, outcomes of effects — cannot be bound and
//! are skipped when reading.

use crate::app::effect::{Delivered, Outcome};
use crate::app::key::Key;

/// One thing the user asked for, or an outcome the loop reports back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub enum Action {
    /// `q`: quit, asking first if some change could not be saved.
    Quit,
    /// Ctrl-C: quit at once, whatever is open; unsaved notes are printed on the way out.
    ForceQuit,
    /// Esc: close the open overlay, filter or panel; on the journey screen, back to the atlas.
    Close,
    Help,
    ShowProblems,
    ShowAtlas,
    ShowJourney,
    ShowCompare,
    ShowTerrain,
    ShowAgreement,
    /// `8`: the codebook screen.
    ShowCodebook,
    ShowSequences,
    FocusNext,
    FocusPrev,

    // Lists (atlas rows, the step strip when it has focus).
    Up,
    Down,
    PageUp,
    PageDown,
    /// Enter: open the selected journey, or jump to the step selected in the strip.
    Open,
    /// `/`: start typing a filter.
    Filter,
    /// A character typed into the filter.
    #[serde(skip)]
    FilterInput(char),
    /// Text pasted while typing a filter (control characters are dropped).
    #[serde(skip)]
    FilterPaste(String),
    FilterBackspace,
    /// Enter while typing a filter: keep it and go back to the list.
    FilterAccept,

    /// `:`: open the command line.
    CommandLine,
    /// A character typed into the command line.
    #[serde(skip)]
    CommandInput(char),
    /// Text pasted into the command line (control characters are dropped).
    #[serde(skip)]
    CommandPaste(String),
    CommandBackspace,
    /// Enter on the command line: run the command.
    RunCommand,

    // Stepping through a journey.
    StepNext,
    StepPrev,
    StepFirst,
    StepLast,
    /// Space: play the journey at a readable pace, or stop playing.
    Play,
    /// A tick of the play timer.
    #[serde(skip)]
    Tick,
    NextJourney,
    PrevJourney,
    /// Show or hide the part of the route not yet walked.
    ToggleFuture,
    ScrollDetail(i16),

    // From the mouse, after hit-testing.
    #[serde(skip)]
    SelectRow(usize),
    #[serde(skip)]
    SelectStep(usize),
    /// The terminal's size (columns, rows): at the start, and whenever it is resized.
    #[serde(skip)]
    Resize(u16, u16),
    /// Every few seconds and when the terminal regains focus: re-read annotation files changed
    /// on disk, and retry saves that failed.
    #[serde(skip)]
    Poll,

    // Comparing.
    /// `m`: mark the selected or open journey for comparison, or unmark it.
    Mark,
    /// `M`: mark or unmark the whole theme of the selected or open journey.
    MarkTheme,
    /// `x` on the compare screen: clear every mark.
    ClearMarks,
    /// `t`: lockstep by step number, or by normalised position.
    ToggleLockstep,
    /// `s`: count codes from the journeys, the notes, or both.
    CycleSource,
    /// `r` on the terrain screen: by frequency, distinctiveness, or name.
    CycleSort,
    /// `a` on the agreement screen: put the chosen code, another analyst's, on the analyst's
    /// own note on the step (a new note if they have none there).
    Adopt,

    // Sequences.
    /// `+` on the sequences screen: one cluster more.
    MoreClusters,
    /// `-` on the sequences screen: one cluster fewer.
    FewerClusters,
    /// `d` on the sequences screen: the next distance (OM with constant, transition-rate or
    /// feature costs, LCS).
    CycleDistance,
    /// `c` on the sequences screen: states by kind, by obstacles, or both.
    CycleChannel,
    /// `a` on the sequences screen: choose the journey under the cursor to align, then the
    /// one to align it with.
    Align,

    // Annotating.
    /// `a`: a new note on the current step.
    AddNote,
    /// `e`: edit the selected note.
    EditNote,
    /// `d`: delete the selected note (in the orphans panel, the selected orphan).
    DeleteNote,
    /// `c`: code the step quickly: the picker alone, on the analyst's note on the step.
    CodeStep,
    /// `]` / `[`: select the next or previous note on the step.
    NextNote,
    PrevNote,
    Undo,
    Redo,
    /// `o`: the panel of notes whose journey or step no longer exists.
    ShowOrphans,
    /// Ctrl-S in the editor.
    SaveNote,
    /// Tab in the editor: between the text and the codes.
    EditorFocus,
    /// Space in the code picker: choose or unchoose the code under the cursor (while a search
    /// is typed, a space in it).
    ToggleCode,
    /// Enter in the code picker: after a search, choose the code found; otherwise save the note.
    Confirm,
    /// Any other key in the editor: text, or the picker's search and movement.
    #[serde(skip)]
    EditorKey(Key),
    /// Text pasted into the editor.
    #[serde(skip)]
    EditorPaste(String),

    // Writing journeys.
    /// Add a step after the current one (a form).
    AddStepAfter,
    /// Insert a step before the current one (a form).
    InsertStepBefore,
    /// Edit the current step (a form).
    EditStep,
    /// Delete the current step (asking first when notes are on it).
    DeleteStep,
    /// Move the current step one place later / earlier.
    MoveStepLater,
    MoveStepEarlier,
    /// Start a new journey (a form).
    NewJourney,
    /// Edit the journey's own fields: title, theme, goal, provenance, source (a form).
    EditJourney,

    // Forms and questions.
    /// Ctrl-S in a form.
    SubmitForm,
    // The sources screen.
    /// `6`: the study's sources, and the reading view of one.
    ShowSources,
    /// In the reading view: the cursor a character, a word, a sentence or a paragraph on or
    /// back; while a selection is made, it extends it.
    CharNext,
    CharPrev,
    WordNext,
    WordPrev,
    SentenceNext,
    SentencePrev,
    ParagraphNext,
    ParagraphPrev,
    /// `v`: start a selection at the cursor (on a search hit: select the hit), or end it.
    Select,
    /// `n` / `N`: the next or previous hit of the search.
    SearchNext,
    SearchPrev,
    /// `]` / `[`: the next or previous passage cited or coded elsewhere.
    NextPassage,
    PrevPassage,
    /// `e`: make the selected passage evidence of the current step of the open journey.
    PassageEvidence,
    /// `s`: a new step after the current one, with the selected passage as its evidence.
    PassageStep,
    /// `J`: a new journey, whose first step is the selected passage.
    PassageJourney,
    /// A click in the reading view's text (`drag`: the mouse moved with the button down):
    /// the row and column inside the text.
    #[serde(skip)]
    ReadAt {
        row: u16,
        col: u16,
        drag: bool,
    },
    /// Any other key in a form.
    #[serde(skip)]
    FormKey(Key),
    /// Text pasted into a form.
    #[serde(skip)]
    FormPaste(String),
    /// `y` to a question.
    Yes,

    // The codebook.
    /// Edit the selected code: labels, definition, category, class of an unsorted code, look.
    EditCode,
    /// Merge the selected code into another (chosen next, with Enter).
    MergeCode,
    /// Delete the selected code, if nothing uses it.
    DeleteCode,

    /// The outcome of an effect the loop carried out: a save, a scan, an export, an analysis, a
    /// batch of a study loading.
    #[serde(skip)]
    Done(Delivered<Outcome>),
}
