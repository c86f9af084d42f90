//! Everything the user can ask of the app. Keys reach an `Action` only through the keymap
//! ([`crate::app::keymap`]); mouse events are hit-tested against the rectangles drawing
//! returned and become actions too. `update` is the only place actions change state.

/// One thing the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Esc: close the open overlay, filter or panel; on the journey screen, back to the atlas.
    Close,
    Help,
    ShowProblems,
    ShowAtlas,
    ShowJourney,
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
    FilterInput(char),
    /// Text pasted while typing a filter (control characters are dropped).
    FilterPaste(String),
    FilterBackspace,
    /// Enter while typing a filter: keep it and go back to the list.
    FilterAccept,

    // Stepping through a journey.
    StepNext,
    StepPrev,
    StepFirst,
    StepLast,
    /// Space: play the journey at a readable pace, or stop playing.
    Play,
    /// A tick of the play timer.
    Tick,
    NextJourney,
    PrevJourney,
    /// Show or hide the part of the route not yet walked.
    ToggleFuture,
    ScrollDetail(i16),

    // From the mouse, after hit-testing.
    SelectRow(usize),
    SelectStep(usize),
    /// The terminal was resized; the next frame adapts.
    Resize,
}
