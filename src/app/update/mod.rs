//! `update`: the one place where actions change the app's state. It does no I/O: what must
//! touch the disk, another thread or the clock it returns as [`Effect`]s for the event loop to
//! carry out, and their outcomes come back as actions ([`Action::Done`]).
//!
//! The context is decided once, by [`App::context`] — the same function that decides what a
//! key means — and the action goes to that context's room: a file per screen ([`atlas`],
//! [`journey`], [`compare`], [`terrain`], [`agree`], [`codebook`]) and per overlay
//! ([`editor`], [`orphans`], [`command`], [`help`], [`form`], [`confirm`]). Actions that mean
//! the same everywhere (quit, the screen keys, undo, the outcomes of effects) are handled here
//! first; changes to notes, shared by several rooms, are in [`notes`]; writing journeys in
//! [`journey_edit`]; undo and redo of every kind of change in [`history`].
//! [`journey`], [`compare`], [`terrain`], [`agree`], [`sources`]) and per overlay ([`editor`],
//! [`orphans`], [`command`], [`help`]). Actions that mean the same everywhere (quit, the screen keys, undo,
//! the outcomes of effects) are handled here first; changes to notes, shared by several
//! rooms, are in [`notes`].
//!
//! Adding a screen: a state struct in `state.rs` (a field of [`App`], a variant of
//! [`Screen`] and of [`crate::app::keymap::Context`]); a handler file here with
//! `pub(super) fn update(app: &mut App, action: Action) -> bool` (true when something in view
//! changed), called from [`apply`]; a drawing file in `ui/`, called from `ui::draw`; and its
//! keys, with their descriptions, in `assets/keymap.ron` under the new context. If it shows
//! analysis, a kind in [`crate::app::analysis`] asked for in [`App::request_analysis`].

mod agree;
mod atlas;
mod codebook;
mod command;
mod compare;
mod confirm;
mod editor;
mod form;
mod help;
mod history;
mod journey;
mod journey_edit;
mod notes;
mod orphans;
mod sequences;
mod sources;
mod terrain;

use std::sync::Arc;

use crate::app::action::Action;
use crate::app::effect::{Delivered, Effect, Outcome, SaveReport};
use crate::app::keymap::Context;
use crate::app::state::{App, Focus, NoteStatus, Overlay, Screen};
use crate::store::annotations::Saved;

/// How many rows a page is.
const PAGE: usize = 10;

/// Applies an action, and returns what the loop must do: [`Effect::Redraw`] when something in
/// view changed, and any I/O the action asks for.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    // A message lasts until the next key.
    let flashed = !matches!(
        action,
        Action::Tick | Action::Poll | Action::Resize(..) | Action::Done(_)
    ) && app.flash.take().is_some();
    let changed = apply(app, action);
    if changed {
        app.request_analysis();
        codebook::refresh(app);
    }
    if app.screen == Screen::Sources {
        app.refresh_citations();
    }
    if changed || flashed {
        scroll_atlas(app);
        app.outbox.push(Effect::Redraw);
    }
    std::mem::take(&mut app.outbox)
}

/// Keeps the atlas's selected row (and the heading above it, when it fits) in view, in a frame
/// of the last known size: the list is the frame less the header, the status and key bars,
/// and the list's border.
fn scroll_atlas(app: &mut App) {
    let Some(body) = crate::ui::body_area(app) else {
        return;
    };
    let h = usize::from(body.height.saturating_sub(2));
    if h == 0 {
        return;
    }
    app.atlas.offset = app.atlas_offset(h);
}

/// Sends an action to the room of the context it arrives in.
fn apply(app: &mut App, action: Action) -> bool {
    match action {
        Action::ForceQuit => {
            app.outbox.push(Effect::Quit);
            return false;
        }
        Action::Resize(w, h) => {
            app.frame = Some((w, h));
            sources::fit(app);
            return true;
        }
        Action::Poll => return poll(app),
        Action::Done(outcome) => return done(app, outcome),
        _ => {}
    }
    // A frame too small to draw the screens in says so; keys but quit wait until it is larger,
    // rather than act unseen.
    if app.frame.is_some_and(|(w, h)| crate::ui::too_small(w, h)) && action != Action::Quit {
        return false;
    }
    if action == Action::Tick {
        return journey::step_play(app);
    }
    match app.context() {
        Context::Editor | Context::Picker => editor::update(app, action),
        // A passage's form on the sources screen, or the forms of steps, journeys and codes.
        Context::Form if app.overlay != Overlay::Form && app.sources.form.is_some() => {
            sources::form(app, action)
        }
        Context::Form => form::update(app, action),
        Context::Confirm => confirm::update(app, action),
        Context::Orphans => orphans::update(app, action),
        Context::ConfirmQuit => help::confirm_quit(app, action),
        Context::Help => help::update(app, action),
        Context::CommandLine if command::takes(&action) => command::update(app, action),
        Context::FilterInput if atlas::takes(&action) => atlas::filter(app, action),
        // A search typed in a source takes what the atlas's filter line takes.
        Context::SourceSearch if atlas::takes(&action) => sources::search(app, action),
        Context::CodebookSearch if atlas::takes(&action) => codebook::search(app, action),
        // The screens; and while a line is typed, what it does not take (a click, a quit).
        Context::CommandLine
        | Context::FilterInput
        | Context::Global
        | Context::Atlas
        | Context::Journey
        | Context::Compare
        | Context::Terrain
        | Context::Agreement
        | Context::Codebook
        | Context::Sources
        | Context::Reading
        | Context::SourceSearch
        | Context::CodebookSearch
        | Context::Sequences => {
            if let Some(changed) = everywhere(app, &action) {
                return changed;
            }
            match app.screen {
                Screen::Atlas => atlas::update(app, action),
                Screen::Journey => journey::update(app, action),
                Screen::Compare => compare::update(app, action),
                Screen::Terrain => terrain::update(app, action),
                Screen::Agreement => agree::update(app, action),
                Screen::Codebook => codebook::update(app, action),
                Screen::Sources => sources::update(app, action),
                Screen::Sequences => sequences::update(app, action),
            }
        }
    }
}

/// The actions that mean the same on every screen; `None` for the screen's own.
fn everywhere(app: &mut App, action: &Action) -> Option<bool> {
    let changed = match action {
        Action::Quit => quit(app),
        Action::Help => {
            app.overlay = Overlay::Help;
            true
        }
        Action::ShowProblems => {
            app.overlay = Overlay::Problems;
            true
        }
        Action::ShowAtlas => set_screen(app, Screen::Atlas),
        Action::ShowJourney => set_screen(app, Screen::Journey),
        Action::ShowCompare => set_screen(app, Screen::Compare),
        Action::ShowTerrain => set_screen(app, Screen::Terrain),
        Action::ShowAgreement => set_screen(app, Screen::Agreement),
        Action::ShowCodebook => set_screen(app, Screen::Codebook),
        Action::NewJourney => journey_edit::new_journey_form(app),
        Action::EditJourney => journey_edit::edit_journey_form(app),
        Action::ShowSources => sources::show(app),
        Action::ShowSequences => set_screen(app, Screen::Sequences),
        Action::CommandLine => {
            app.command = Some(String::new());
            true
        }
        Action::Undo => history::undo_redo(app, true),
        Action::Redo => history::undo_redo(app, false),
        Action::ShowOrphans => {
            if app.session.notes.is_some() {
                app.overlay = Overlay::Orphans;
            }
            app.session.notes.is_some()
        }
        Action::Mark => mark(app, false),
        Action::MarkTheme => mark(app, true),
        Action::ClearMarks => {
            let s = &mut app.session;
            let any = !s.marked.is_empty() || !s.marked_themes.is_empty();
            s.marked.clear();
            s.marked_themes.clear();
            app.compare = Default::default();
            any
        }
        Action::CycleSource => {
            app.session.source = app.session.source.next();
            app.flash = Some(format!(
                "codes counted from: {}",
                app.session.source.label()
            ));
            true
        }
        _ => return None,
    };
    Some(changed)
}

pub(super) fn set_screen(app: &mut App, screen: Screen) -> bool {
    if app.screen == screen {
        return false;
    }
    if screen != Screen::Journey {
        app.journey.back = None;
    }
    if screen == Screen::Atlas {
        app.journey.playing = false;
        // Come back to the journey that was open.
        if let Some(pos) = app
            .session
            .visible
            .iter()
            .position(|&i| i == app.journey.journey)
        {
            app.atlas.selected = pos;
        }
    }
    app.screen = screen;
    true
}

/// `q`: quit, unless a change could not be saved; then try once more first, and ask if it
/// fails again (see [`done`]).
pub(super) fn quit(app: &mut App) -> bool {
    let unsaved = app
        .session
        .notes
        .as_ref()
        .is_some_and(|n| !n.store.unsaved().is_empty());
    app.outbox.push(if unsaved {
        Effect::Retry { then_quit: true }
    } else {
        Effect::Quit
    });
    false
}

/// Every few seconds and when the terminal regains focus: retry failed saves, and look for
/// annotation files changed on disk.
fn poll(app: &mut App) -> bool {
    let Some(n) = &app.session.notes else {
        return false;
    };
    if !n.store.unsaved().is_empty() {
        app.outbox.push(Effect::Retry { then_quit: false });
    }
    app.outbox.push(Effect::Rescan);
    false
}

/// An effect's outcome, reported back by the loop.
fn done(app: &mut App, outcome: Delivered<Outcome>) -> bool {
    let Some(outcome) = outcome.take() else {
        return false;
    };
    match outcome {
        Outcome::Saved(report) => {
            let Some(n) = &mut app.session.notes else {
                return false;
            };
            let Some(SaveReport { path, result }) = report else {
                return false;
            };
            // What changed is said by the flash; a save that did not simply write (a failure,
            // a merge, a file beside a broken one) is more to the point, so it takes its place.
            if !matches!(result, Ok(Saved::Written)) {
                app.flash = None;
            }
            n.status = match result {
                Ok(Saved::Written) => NoteStatus::Saved {
                    path,
                    at: crate::model::annotation::timestamp(std::time::SystemTime::now()),
                },
                Ok(Saved::Merged { conflicts }) => NoteStatus::Merged { path, conflicts },
                Ok(Saved::Beside { conflicts }) => NoteStatus::Beside { path, conflicts },
                Err(e) => NoteStatus::Failed(e),
            };
            true
        }
        Outcome::Retried { errors, then_quit } => {
            if then_quit && errors.is_empty() {
                app.outbox.push(Effect::Quit);
                return false;
            }
            let Some(n) = &mut app.session.notes else {
                return false;
            };
            n.status = match errors.first() {
                Some(e) => NoteStatus::Failed(e.clone()),
                None => {
                    NoteStatus::Info("the changes that could not be saved are saved now".into())
                }
            };
            if then_quit {
                app.overlay = Overlay::ConfirmQuit;
            }
            true
        }
        Outcome::Scanned(found) => {
            app.outbox.push(Effect::TakeScan(Delivered::new(found)));
            false
        }
        Outcome::Reread { changed, problems } => {
            let mut redraw = false;
            if !changed.is_empty() {
                app.notes_changed(changed.iter().map(String::as_str));
                if let Some(n) = &mut app.session.notes {
                    n.status = NoteStatus::Info("notes changed on disk were read again".into());
                }
                redraw = true;
            }
            for p in problems {
                if !app.session.data.problems.contains(&p) {
                    Arc::make_mut(&mut app.session.data).problems.push(p);
                    app.session.summary = app.session.data.summary();
                    redraw = true;
                }
            }
            redraw
        }
        Outcome::Exporting { path, percent } => {
            app.flash = Some(format!("writing {path}… {percent}%"));
            true
        }
        Outcome::Exported(message) => {
            app.flash = Some(message);
            true
        }
        Outcome::Analysed(result) => {
            let took = app.session.analysis.take(*result);
            if let Some(old) = app.session.analysis.discarded() {
                app.outbox.push(Effect::Free(Delivered::new(old)));
            }
            if took {
                agree::reselect(app);
                sequences::refresh(app);
            }
            took
        }
        Outcome::Loaded(batch) => {
            crate::app::loader::take(app, batch);
            true
        }
        Outcome::JourneySaved(saved) => journey_saved(app, saved),
        Outcome::CatalogueSaved(saved) => catalogue_saved(app, saved),
        Outcome::SourcesLoaded(loaded) => {
            crate::app::sources::take(app, *loaded);
            sources::fit(app);
            true
        }
        Outcome::SourcesAdded { message, loaded } => {
            app.sources.adding = None;
            crate::app::sources::take(app, *loaded);
            app.flash = Some(message);
            true
        }
    }
}

/// A write held back because a hand-written file's comments would go: ask, once per batch.
fn hold(app: &mut App, held: crate::app::editing::Held, lines: &[usize]) -> bool {
    use crate::app::editing::{Asked, Confirm};
    let shown = held.path().display().to_string();
    let line = format!("{shown}: {}.", crate::store::write::describe_dropped(lines));
    app.held.push(held);
    match &mut app.confirm {
        Some(c) if c.asked == Asked::DropComments => c.lines.insert(c.lines.len() - 1, line),
        _ => {
            let back = match app.overlay {
                Overlay::Form | Overlay::Editor => app.overlay,
                _ => Overlay::None,
            };
            app.confirm = Some(Confirm {
                title: "Comments written by hand".into(),
                lines: vec![
                    line,
                    "terreng writes its files in one layout, which keeps a file's opening \
                     comments and no others. Write it anyway (asked once per file), or keep \
                     the file as it is and take the change back?"
                        .into(),
                ],
                yes: "write it; the comments go".into(),
                no: "keep the file, take the change back".into(),
                asked: Asked::DropComments,
                back,
            });
            app.overlay = Overlay::Confirm;
        }
    }
    true
}

/// The catalogue's save is done: say so, or why not.
fn catalogue_saved(app: &mut App, saved: crate::app::codebook::CatalogueSaved) -> bool {
    if let Some(held) = saved.held {
        let (write, lines) = *held;
        return hold(
            app,
            crate::app::editing::Held::Catalogue(Box::new(write)),
            &lines,
        );
    }
    let shown = saved.path.display();
    match saved.result {
        Ok(()) if app.flash.is_some() => {}
        Ok(()) => app.flash = Some(format!("{} — saved to {shown}", saved.what)),
        Err(e) => app.flash = Some(format!("{} — NOT saved: {e}", saved.what)),
    }
    true
}

/// A journey's save is done: say so, and take in what a merge with changes on disk wrote.
fn journey_saved(app: &mut App, saved: crate::app::journeys::JourneySaved) -> bool {
    use crate::store::write::Saved as Written;
    if let Some(held) = saved.held {
        let (write, lines) = *held;
        return hold(
            app,
            crate::app::editing::Held::Journey(Box::new(write)),
            &lines,
        );
    }
    let shown = saved.path.display();
    app.flash = Some(match saved.result {
        // What the change itself said stands (an undo, a merge across several files).
        Ok((Written::Written, _)) if app.flash.is_some() => return true,
        Ok((Written::Written, _)) => format!("{} — saved to {shown}", saved.what),
        Ok((Written::Merged, journey)) => {
            let same = app
                .session
                .data
                .journeys
                .get(saved.index)
                .is_some_and(|j| j.id == journey.id);
            if same {
                app.replace_journey(saved.index, journey);
            }
            format!(
                "{} — saved to {shown}, merged with what changed there meanwhile",
                saved.what
            )
        }
        Err(e) => format!("{} — NOT saved: {e}", saved.what),
    });
    true
}

/// `m` / `M`: marks or unmarks the journey selected in the atlas (or open in the journey
/// screen), or its whole theme, for the compare screen. Journeys and themes are not mixed:
/// marking one kind clears the other, and the status line says so.
fn mark(app: &mut App, theme: bool) -> bool {
    let target = match app.screen {
        Screen::Atlas => app.selected_journey(),
        Screen::Journey => app.current_journey().map(|_| app.journey.journey),
        _ => None,
    };
    let Some(ji) = target else {
        return false;
    };
    const MOST: usize = 4;
    app.compare.cell = None;
    // What marking one kind drops of the other, said after what was marked.
    let mut dropped = String::new();
    if theme {
        let t = app.session.data.journeys[ji].theme.clone();
        let n = app.session.marked.len();
        if n > 0 {
            app.session.marked.clear();
            dropped = format!(
                " — the {n} marked journey{} unmarked: themes and journeys are compared apart",
                if n == 1 { " is" } else { "s are" }
            );
        }
        let name = app
            .terrain()
            .theme(&t)
            .map_or_else(|| t.clone(), |th| th.en.clone());
        if let Some(pos) = app.session.marked_themes.iter().position(|m| *m == t) {
            app.session.marked_themes.remove(pos);
            app.flash = Some(format!("unmarked the theme {name}"));
        } else if app.session.marked_themes.len() >= MOST {
            app.flash = Some(format!(
                "{MOST} themes are marked already; M on one of them unmarks it"
            ));
        } else {
            app.session.marked_themes.push(t);
            app.flash = Some(format!(
                "marked the theme {name} ({} marked) · 3 compares",
                app.session.marked_themes.len()
            ));
        }
    } else {
        let n = app.session.marked_themes.len();
        if n > 0 {
            app.session.marked_themes.clear();
            dropped = format!(
                " — the {n} marked theme{} unmarked: journeys and themes are compared apart",
                if n == 1 { " is" } else { "s are" }
            );
        }
        let title = app.session.data.journeys[ji].title.clone();
        if let Some(pos) = app.session.marked.iter().position(|&m| m == ji) {
            app.session.marked.remove(pos);
            app.flash = Some(format!("unmarked {title}"));
        } else if app.session.marked.len() >= MOST {
            app.flash = Some(format!(
                "{MOST} journeys are marked already; m on one of them unmarks it"
            ));
        } else {
            app.session.marked.push(ji);
            let n = app.session.marked.len();
            app.flash = Some(if n < 2 {
                format!("marked {title}; mark one more to compare")
            } else {
                format!("marked {title} ({n} marked) · 3 compares")
            });
        }
    }
    if !dropped.is_empty()
        && let Some(said) = &mut app.flash
    {
        said.push_str(&dropped);
    }
    true
}

/// Opens a journey at a step in the journey screen; Esc there comes back to `from`.
pub(super) fn jump(app: &mut App, ji: usize, si: usize, from: Screen) -> bool {
    if ji >= app.session.data.journeys.len() {
        return false;
    }
    app.journey.playing = false;
    app.journey.journey = ji;
    app.journey.step = 0;
    app.journey.detail_scroll = 0;
    app.screen = Screen::Journey;
    app.journey.focus = Focus::Map;
    journey::set_step(app, si);
    app.journey.strip_cursor = app.journey.step;
    app.journey.back = Some(from);
    true
}
