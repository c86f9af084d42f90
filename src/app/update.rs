//! `update`: the one place where actions change the app's state. It does no I/O: what must
//! touch the disk, another thread or the clock it returns as [`Effect`]s for the event loop to
//! carry out, and their outcomes come back as actions.

use std::sync::Arc;

use crate::app::action::Action;
use crate::app::editor::Editor;
use crate::app::effect::{ChangeSet, Delivered, Effect, Outcome, SaveReport};
use crate::app::state::{App, CompareFocus, Focus, NoteStatus, Overlay, Screen};
use crate::model::Note;
use crate::store::annotations::{Change, Saved};

/// How many atlas rows a page is when the frame size is not known.
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
    let Some((_, height)) = app.frame else {
        return;
    };
    let status = u16::from(
        app.session.notes.is_some()
            || app.flash.is_some()
            || app.command.is_some()
            || app.session.loading.is_some()
            || app.session.analysis.computing().is_some(),
    );
    let h = usize::from(height.saturating_sub(4 + status));
    if h == 0 {
        return;
    }
    let sel_row = app
        .session
        .row_of
        .get(app.atlas.selected)
        .copied()
        .unwrap_or(0);
    let mut offset = app
        .atlas
        .offset
        .min(app.session.rows.len().saturating_sub(1));
    if sel_row < offset + 1 {
        offset = sel_row.saturating_sub(1);
    }
    if sel_row >= offset + h {
        offset = sel_row + 1 - h;
    }
    app.atlas.offset = offset;
}

fn apply(app: &mut App, action: Action) -> bool {
    match action {
        Action::ForceQuit => {
            app.outbox.push(Effect::Quit);
            return false;
        }
        Action::Resize(w, h) => {
            app.frame = Some((w, h));
            return true;
        }
        Action::Poll => return poll(app),
        Action::Done(outcome) => return done(app, outcome),
        _ => {}
    }
    match app.overlay {
        Overlay::None => {}
        Overlay::Editor => return editor_update(app, action),
        Overlay::Orphans => return orphans_update(app, action),
        Overlay::ConfirmQuit => {
            return match action {
                Action::Close => {
                    app.overlay = Overlay::None;
                    true
                }
                _ => false,
            };
        }
        Overlay::Help | Overlay::Problems => {
            // The help and the problems take the keys that concern them; others do nothing.
            match action {
                Action::Quit => return quit(app),
                Action::Close | Action::Help | Action::ShowProblems => {
                    app.overlay = Overlay::None;
                    app.help.scroll = 0;
                }
                Action::Down | Action::ScrollDetail(1) => {
                    // The help has a line per binding and a few more; the drawing stops at
                    // its end.
                    let most = app.keymap.bindings.len() as u16 + 32;
                    app.help.scroll = app.help.scroll.saturating_add(1).min(most)
                }
                Action::Up | Action::ScrollDetail(-1) => {
                    app.help.scroll = app.help.scroll.saturating_sub(1)
                }
                Action::Tick => return step_play(app),
                _ => return false,
            }
            return true;
        }
    }

    match action {
        Action::Quit => quit(app),
        Action::ForceQuit | Action::Resize(..) | Action::Poll | Action::Done(_) => true,
        Action::Help => {
            app.overlay = Overlay::Help;
            true
        }
        Action::ShowProblems => {
            app.overlay = Overlay::Problems;
            true
        }
        Action::Close => close(app),
        Action::ShowAtlas => set_screen(app, Screen::Atlas),
        Action::ShowJourney => set_screen(app, Screen::Journey),
        Action::ShowCompare => set_screen(app, Screen::Compare),
        Action::ShowTerrain => set_screen(app, Screen::Terrain),
        Action::ShowAgreement => set_screen(app, Screen::Agreement),
        Action::FocusNext | Action::FocusPrev if app.screen == Screen::Compare => {
            let c = &mut app.compare;
            c.focus = if action == Action::FocusNext {
                c.focus.next()
            } else {
                c.focus.prev()
            };
            c.cell = None;
            true
        }
        Action::FocusNext | Action::FocusPrev if app.screen == Screen::Journey => {
            app.journey.focus = if action == Action::FocusNext {
                app.journey.focus.next()
            } else {
                app.journey.focus.prev()
            };
            app.journey.strip_cursor = app.journey.step;
            true
        }
        Action::FocusNext | Action::FocusPrev => false,

        Action::Down | Action::Up if app.screen == Screen::Agreement => {
            agree_code(app, if action == Action::Down { 1 } else { -1 })
        }
        Action::StepNext | Action::StepPrev | Action::StepFirst | Action::StepLast
            if app.screen == Screen::Agreement =>
        {
            agree_step(app, &action)
        }
        Action::Adopt => adopt(app),
        Action::Down | Action::Up | Action::PageDown | Action::PageUp
            if matches!(app.screen, Screen::Compare | Screen::Terrain) =>
        {
            let d = match action {
                Action::Down => 1,
                Action::Up => -1,
                Action::PageDown => PAGE as isize,
                _ => -(PAGE as isize),
            };
            if app.screen == Screen::Compare {
                compare_rows(app, d)
            } else {
                terrain_rows(app, d)
            }
        }
        Action::StepNext | Action::StepPrev | Action::StepFirst | Action::StepLast
            if app.screen == Screen::Compare =>
        {
            compare_step(app, &action)
        }
        Action::StepFirst if app.screen == Screen::Terrain => terrain_rows(app, isize::MIN / 2),
        Action::StepLast if app.screen == Screen::Terrain => terrain_rows(app, isize::MAX / 2),
        Action::Down => move_row(app, 1),
        Action::Up => move_row(app, -1),
        Action::PageDown => move_row(app, PAGE as isize),
        Action::PageUp => move_row(app, -(PAGE as isize)),
        Action::Mark => mark(app, false),
        Action::MarkTheme => mark(app, true),
        Action::ClearMarks => {
            let any = !app.session.marked.is_empty() || !app.session.marked_themes.is_empty();
            app.session.marked.clear();
            app.session.marked_themes.clear();
            app.compare = Default::default();
            any
        }
        Action::ToggleLockstep => {
            app.compare.by_position = !app.compare.by_position;
            true
        }
        Action::CycleSource => {
            app.session.source = app.session.source.next();
            app.flash = Some(format!(
                "codes counted from: {}",
                app.session.source.label()
            ));
            true
        }
        Action::CycleSort => {
            let t = &mut app.terrain_screen;
            t.sort = t.sort.next();
            t.segments = None;
            true
        }
        Action::SelectRow(i) => {
            let ok = i < app.session.visible.len() && i != app.atlas.selected;
            if ok {
                app.atlas.selected = i;
            }
            ok
        }
        Action::Open => open(app),
        Action::Filter => {
            app.atlas.typing = true;
            true
        }
        Action::FilterInput(c) => {
            app.atlas.filter.push(c);
            app.refilter();
            true
        }
        Action::FilterPaste(text) => {
            let before = app.atlas.filter.len();
            app.atlas
                .filter
                .extend(text.chars().filter(|c| !c.is_control()));
            app.refilter();
            app.atlas.filter.len() != before
        }
        Action::FilterBackspace => {
            app.atlas.filter.pop();
            app.refilter();
            true
        }
        Action::FilterAccept => {
            app.atlas.typing = false;
            true
        }
        Action::CommandLine => {
            app.command = Some(String::new());
            true
        }
        Action::CommandInput(c) => {
            app.command.get_or_insert_with(String::new).push(c);
            true
        }
        Action::CommandPaste(text) => {
            let line = app.command.get_or_insert_with(String::new);
            line.extend(text.chars().filter(|c| !c.is_control()));
            true
        }
        Action::CommandBackspace => {
            // Backspace on an empty line closes it, as in vi.
            if app.command.as_mut().and_then(String::pop).is_none() {
                app.command = None;
            }
            true
        }
        Action::RunCommand => {
            let line = app.command.take().unwrap_or_default();
            match crate::app::command::run(app, &line) {
                crate::app::command::Outcome::Done => {}
                crate::app::command::Outcome::Quit => return quit(app),
                crate::app::command::Outcome::Help => app.overlay = Overlay::Help,
                crate::app::command::Outcome::Export(job) => app.outbox.push(Effect::Export(job)),
            }
            true
        }

        Action::StepNext => move_step(app, 1),
        Action::StepPrev => move_step(app, -1),
        Action::StepFirst if app.screen == Screen::Atlas => move_row(app, isize::MIN / 2),
        Action::StepLast if app.screen == Screen::Atlas => move_row(app, isize::MAX / 2),
        Action::StepFirst => set_step(app, 0),
        Action::StepLast => set_step(app, usize::MAX),
        Action::SelectStep(i) => set_step(app, i),
        Action::Play => {
            let last = step_count(app).saturating_sub(1);
            if !app.journey.playing && app.journey.step >= last {
                // Playing from the end starts again from the first step.
                set_step(app, 0);
            }
            app.journey.playing = !app.journey.playing && step_count(app) > 1;
            true
        }
        Action::Tick => step_play(app),
        Action::NextJourney => switch_journey(app, 1),
        Action::PrevJourney => switch_journey(app, -1),
        Action::ToggleFuture => {
            app.journey.show_future = !app.journey.show_future;
            true
        }
        Action::AddNote => open_editor(app, false, false),
        Action::EditNote => open_editor(app, true, false),
        Action::CodeStep => open_editor(app, true, true),
        Action::DeleteNote => delete_selected(app),
        Action::NextNote | Action::PrevNote => {
            let n = app.step_notes().len();
            if n < 2 {
                return false;
            }
            let cur = app.journey.note_cursor.min(n - 1);
            app.journey.note_cursor = if action == Action::NextNote {
                (cur + 1) % n
            } else {
                (cur + n - 1) % n
            };
            true
        }
        Action::Undo => undo_redo(app, true),
        Action::Redo => undo_redo(app, false),
        Action::ShowOrphans => {
            if app.session.notes.is_some() {
                app.overlay = Overlay::Orphans;
            }
            app.session.notes.is_some()
        }
        Action::SaveNote
        | Action::EditorFocus
        | Action::ToggleCode
        | Action::EditorKey(_)
        | Action::EditorPaste(_) => false,
        Action::ScrollDetail(d) => {
            let before = app.journey.detail_scroll;
            app.journey.detail_scroll = if d >= 0 {
                before.saturating_add(d.unsigned_abs())
            } else {
                before.saturating_sub(d.unsigned_abs())
            };
            before != app.journey.detail_scroll
        }
    }
}

fn close(app: &mut App) -> bool {
    if app.command.take().is_some() {
        return true;
    }
    if app.atlas.typing {
        app.atlas.typing = false;
        app.atlas.filter.clear();
        app.refilter();
        return true;
    }
    match app.screen {
        Screen::Journey => {
            app.journey.playing = false;
            let back = app.journey.back.take().unwrap_or(Screen::Atlas);
            set_screen(app, back)
        }
        Screen::Compare if app.compare.cell.is_some() => {
            app.compare.cell = None;
            true
        }
        Screen::Terrain if app.terrain_screen.segments.is_some() => {
            app.terrain_screen.segments = None;
            true
        }
        Screen::Compare | Screen::Terrain | Screen::Agreement => set_screen(app, Screen::Atlas),
        Screen::Atlas if !app.atlas.filter.is_empty() => {
            app.atlas.filter.clear();
            app.refilter();
            true
        }
        Screen::Atlas => false,
    }
}

fn set_screen(app: &mut App, screen: Screen) -> bool {
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

fn move_row(app: &mut App, delta: isize) -> bool {
    if app.session.visible.is_empty() {
        return false;
    }
    let last = app.session.visible.len() - 1;
    let to = (app.atlas.selected as isize)
        .saturating_add(delta)
        .clamp(0, last as isize) as usize;
    let changed = to != app.atlas.selected;
    app.atlas.selected = to;
    changed
}

fn open(app: &mut App) -> bool {
    match app.screen {
        Screen::Atlas => match app.selected_journey() {
            Some(i) => {
                if i != app.journey.journey {
                    app.journey.journey = i;
                    app.journey.step = 0;
                    app.journey.strip_cursor = 0;
                    app.journey.detail_scroll = 0;
                }
                app.screen = Screen::Journey;
                app.atlas.typing = false;
                true
            }
            None => false,
        },
        Screen::Journey => {
            let to = app.journey.strip_cursor;
            set_step(app, to)
        }
        Screen::Compare => compare_open(app),
        Screen::Terrain => terrain_open(app),
        Screen::Agreement => match app.disagreement().map(|d| d.step.at) {
            Some((ji, si)) => jump(app, ji, si, Screen::Agreement),
            None => false,
        },
    }
}

fn step_count(app: &App) -> usize {
    app.current_journey().map_or(0, |j| j.steps.len())
}

fn move_step(app: &mut App, delta: isize) -> bool {
    if app.screen != Screen::Journey {
        return false;
    }
    let n = step_count(app);
    if n == 0 {
        return false;
    }
    if app.journey.focus == Focus::Strip {
        let to = (app.journey.strip_cursor as isize + delta).clamp(0, n as isize - 1) as usize;
        let changed = to != app.journey.strip_cursor;
        app.journey.strip_cursor = to;
        return changed;
    }
    app.journey.playing = false;
    let to = (app.journey.step as isize + delta).clamp(0, n as isize - 1) as usize;
    set_step(app, to)
}

fn set_step(app: &mut App, step: usize) -> bool {
    let n = step_count(app);
    if n == 0 {
        return false;
    }
    let to = step.min(n - 1);
    let changed = to != app.journey.step || app.journey.strip_cursor != to;
    if to != app.journey.step {
        app.journey.detail_scroll = 0;
        app.journey.note_cursor = 0;
    }
    app.journey.step = to;
    app.journey.strip_cursor = to;
    changed
}

fn step_play(app: &mut App) -> bool {
    if !app.journey.playing {
        return false;
    }
    let n = step_count(app);
    if app.journey.step + 1 >= n {
        app.journey.playing = false;
        return true;
    }
    let next = app.journey.step + 1;
    set_step(app, next);
    if next + 1 >= n {
        app.journey.playing = false;
    }
    true
}

fn switch_journey(app: &mut App, delta: isize) -> bool {
    let list = if app.session.visible.is_empty() {
        &app.session.order
    } else {
        &app.session.visible
    };
    if list.is_empty() {
        return false;
    }
    let pos = list
        .iter()
        .position(|&i| i == app.journey.journey)
        .unwrap_or(0) as isize;
    let to = (pos + delta).rem_euclid(list.len() as isize) as usize;
    let next = list[to];
    if next == app.journey.journey {
        return false;
    }
    app.journey.playing = false;
    app.journey.journey = next;
    app.journey.step = 0;
    app.journey.strip_cursor = 0;
    app.journey.detail_scroll = 0;
    true
}

/// `q`: quit, unless a change could not be saved; then try once more first, and ask if it
/// fails again (see [`done`]).
fn quit(app: &mut App) -> bool {
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
            if changed {
                app.session.notes_gen += 1;
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
        Outcome::Exported(message) => {
            app.flash = Some(message);
            true
        }
        Outcome::Analysed(result) => app.session.analysis.take(*result),
        Outcome::Loaded(batch) => {
            crate::app::loader::take(app, batch);
            true
        }
    }
}

/// Applies a group of changes in memory, asks for them to be saved, and returns the group that
/// undoes them. The save's outcome (see [`done`]) says in the status line how it went.
fn apply_group(app: &mut App, group: Vec<Change>) -> Vec<Change> {
    app.session.notes_gen += 1;
    let Some(n) = &mut app.session.notes else {
        return Vec::new();
    };
    let store = Arc::make_mut(&mut n.store);
    let mut inverse = Vec::new();
    for change in &group {
        if let Some(inv) = store.inverse(change) {
            inverse.push(inv);
        }
        store.stage(change.clone());
    }
    inverse.reverse();
    app.outbox.push(Effect::Save(ChangeSet::new(group)));
    inverse
}

/// A change made by the analyst: applied, and its inverse put on the undo history.
fn record(app: &mut App, group: Vec<Change>) -> bool {
    let inverse = apply_group(app, group);
    if let Some(n) = &mut app.session.notes
        && !inverse.is_empty()
    {
        n.undo.push(inverse);
        n.redo.clear();
    }
    true
}

fn undo_redo(app: &mut App, undo: bool) -> bool {
    let Some(n) = &mut app.session.notes else {
        return false;
    };
    let group = if undo { n.undo.pop() } else { n.redo.pop() };
    let Some(group) = group else {
        n.status = NoteStatus::Info(if undo {
            "nothing to undo".into()
        } else {
            "nothing to redo".into()
        });
        return true;
    };
    let inverse = apply_group(app, group);
    if let Some(n) = &mut app.session.notes
        && !inverse.is_empty()
    {
        if undo {
            n.redo.push(inverse);
        } else {
            n.undo.push(inverse);
        }
    }
    true
}

/// Opens the editor on the current step: a new note, the selected own note (`edit`), or for
/// `c` the analyst's first note on the step (or a new one) with the picker alone.
fn open_editor(app: &mut App, edit: bool, codes_only: bool) -> bool {
    if app.screen == Screen::Journey
        && app
            .session
            .loading
            .as_ref()
            .is_some_and(|l| l.notes_pending)
    {
        app.flash =
            Some("the notes are still being read; annotating opens once they are in".into());
        return true;
    }
    if app.screen != Screen::Journey || app.session.notes.is_none() {
        return false;
    }
    let Some(j) = app.current_journey() else {
        return false;
    };
    let Some(step) = j.steps.get(app.journey.step) else {
        return false;
    };
    let own = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string());
    let note = if codes_only {
        app.step_notes()
            .into_iter()
            .find(|(a, _)| Some(*a) == own.as_deref())
            .map(|(_, n)| n.clone())
    } else if edit {
        match app.selected_note() {
            Some((a, n)) if Some(a) == own.as_deref() => Some(n.clone()),
            Some((a, _)) => {
                let msg = format!("that note is {a}'s and read-only; a adds your own");
                if let Some(n) = &mut app.session.notes {
                    n.status = NoteStatus::Info(msg);
                }
                return true;
            }
            None => return false,
        }
    } else {
        None
    };
    let editor = Editor::new(&j.id, &step.id, note, app.terrain(), codes_only);
    app.editor = Some(editor);
    app.overlay = Overlay::Editor;
    app.journey.playing = false;
    true
}

fn delete_selected(app: &mut App) -> bool {
    let own = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string());
    let Some(j) = app.current_journey() else {
        return false;
    };
    let jid = j.id.clone();
    match app.selected_note() {
        Some((a, n)) if Some(a) == own.as_deref() => {
            let id = n.id.clone();
            record(app, vec![Change::Delete { journey: jid, id }])
        }
        Some((a, _)) => {
            let msg = format!("that note is {a}'s and read-only");
            if let Some(n) = &mut app.session.notes {
                n.status = NoteStatus::Info(msg);
            }
            true
        }
        None => false,
    }
}

fn editor_update(app: &mut App, action: Action) -> bool {
    let Some(e) = &mut app.editor else {
        app.overlay = Overlay::None;
        return true;
    };
    match action {
        Action::Close => {
            if e.changed() && !e.confirm_discard {
                e.confirm_discard = true;
                return true;
            }
            app.editor = None;
            app.overlay = Overlay::None;
            true
        }
        Action::SaveNote => {
            let e = app.editor.take().expect("the editor is open");
            app.overlay = Overlay::None;
            if !e.changed() {
                return true;
            }
            let text = e.text();
            let note = match &e.editing {
                Some(old) => old.edited(e.codes.clone(), text),
                None => Note::new(&e.step, e.codes.clone(), text),
            };
            let id = note.id.clone();
            record(
                app,
                vec![Change::Put {
                    journey: e.journey.clone(),
                    note,
                }],
            );
            // Select the note just saved.
            if let Some(pos) = app.step_notes().iter().position(|(_, n)| n.id == id) {
                app.journey.note_cursor = pos;
            }
            true
        }
        Action::EditorFocus => e.switch_focus(),
        Action::ToggleCode => {
            e.confirm_discard = false;
            e.toggle()
        }
        Action::Up => e.key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Up,
        )),
        Action::Down => e.key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Down,
        )),
        Action::EditorKey(k) => e.key(k),
        Action::EditorPaste(s) => e.paste(&s),
        _ => false,
    }
}

fn orphans_update(app: &mut App, action: Action) -> bool {
    let orphans = app.orphans();
    let own = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string());
    let Some(n) = &mut app.session.notes else {
        app.overlay = Overlay::None;
        return true;
    };
    let count = orphans.len();
    let cur = n.orphan_cursor.min(count.saturating_sub(1));

    match action {
        Action::Quit => quit(app),
        Action::Close | Action::ShowOrphans => {
            app.overlay = Overlay::None;
            true
        }
        Action::Down => {
            n.orphan_cursor = (cur + 1).min(count.saturating_sub(1));
            true
        }
        Action::Up => {
            n.orphan_cursor = cur.saturating_sub(1);
            true
        }
        Action::Undo => undo_redo(app, true),
        Action::Redo => undo_redo(app, false),
        Action::Open | Action::DeleteNote => {
            let Some(o) = orphans.get(cur) else {
                return false;
            };
            if Some(o.analyst.as_str()) != own.as_deref() {
                n.status = NoteStatus::Info(format!("that note is {}'s and read-only", o.analyst));
                return true;
            }
            let mut group = vec![Change::Delete {
                journey: o.journey.clone(),
                id: o.note.id.clone(),
            }];
            if action == Action::Open {
                // Re-attach: the same note on the step open in the journey screen.
                let target = app.current_journey().and_then(|j| {
                    j.steps
                        .get(app.journey.step)
                        .map(|s| (j.id.clone(), s.id.clone()))
                });
                let Some((journey, step)) = target else {
                    return false;
                };
                let mut note = o.note.edited(o.note.codes.clone(), o.note.text.clone());
                note.step = step;
                if journey == o.journey {
                    group = vec![Change::Put { journey, note }];
                } else {
                    group.push(Change::Put { journey, note });
                }
            }
            record(app, group)
        }
        _ => false,
    }
}

/// `m` / `M`: marks or unmarks the journey selected in the atlas (or open in the journey
/// screen), or its whole theme, for the compare screen. Journeys and themes are not mixed:
/// marking one kind clears the other.
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
    if theme {
        let t = app.session.data.journeys[ji].theme.clone();
        if !app.session.marked.is_empty() {
            app.session.marked.clear();
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
        app.session.marked_themes.clear();
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
    true
}

/// The length of the longest compared journey: the lockstep runs over its steps.
fn compare_len(app: &App) -> usize {
    app.session
        .analysis
        .compare
        .as_ref()
        .map_or(0, |v| v.journeys.iter().map(|j| j.steps).max().unwrap_or(0))
}

/// Arrows on the compare screen: the lockstep position (panes), or the matrix column.
fn compare_step(app: &mut App, action: &Action) -> bool {
    let c = &mut app.compare;
    if c.focus == CompareFocus::Matrix && c.cell.is_none() {
        let cols = app
            .session
            .analysis
            .compare
            .as_ref()
            .map_or(0, |v| v.matrix.columns.len());
        let to = match action {
            Action::StepNext => c.col + 1,
            Action::StepPrev => c.col.saturating_sub(1),
            Action::StepFirst => 0,
            _ => usize::MAX,
        }
        .min(cols.saturating_sub(1));
        let changed = to != c.col;
        c.col = to;
        return changed;
    }
    let last = compare_len(app).saturating_sub(1);
    let c = &mut app.compare;
    let to = match action {
        Action::StepNext => c.pos + 1,
        Action::StepPrev => c.pos.saturating_sub(1),
        Action::StepFirst => 0,
        _ => last,
    }
    .min(last);
    let changed = to != c.pos;
    c.pos = to;
    changed
}

/// Up and down on the compare screen: the matrix row, the cell's step list, or the list of
/// similar journeys.
fn compare_rows(app: &mut App, d: isize) -> bool {
    let Some(v) = &app.session.analysis.compare else {
        return false;
    };
    let c = &mut app.compare;
    let (cur, len) = match (c.focus, c.cell) {
        (CompareFocus::Matrix, Some(i)) => {
            let n = v
                .matrix
                .cells
                .get(c.row)
                .and_then(|r| r.get(c.col))
                .map_or(0, Vec::len);
            (i, n)
        }
        (CompareFocus::Matrix, None) => (c.row, v.matrix.codes.len()),
        (CompareFocus::Similar, _) => {
            (c.similar, v.journeys.first().map_or(0, |j| j.nearest.len()))
        }
        (CompareFocus::Panes, _) => return false,
    };
    if len == 0 {
        return false;
    }
    let to = (cur as isize).saturating_add(d).clamp(0, len as isize - 1) as usize;
    match (c.focus, c.cell) {
        (CompareFocus::Matrix, Some(_)) => c.cell = Some(to),
        (CompareFocus::Matrix, None) => c.row = to,
        _ => c.similar = to,
    }
    to != cur
}

/// Enter on the compare screen: open the steps behind a count, jump to one of them, or open a
/// similar journey.
fn compare_open(app: &mut App) -> bool {
    let Some(v) = &app.session.analysis.compare else {
        return false;
    };
    let c = &app.compare;
    match c.focus {
        CompareFocus::Panes => {
            app.flash =
                Some("Tab to the matrix; Enter there lists the steps behind a count".into());
            true
        }
        CompareFocus::Matrix => {
            let steps = v
                .matrix
                .cells
                .get(c.row)
                .and_then(|r| r.get(c.col))
                .cloned()
                .unwrap_or_default();
            match c.cell {
                None if steps.is_empty() => {
                    app.flash = Some("no step behind this count".into());
                    true
                }
                None => {
                    app.compare.cell = Some(0);
                    true
                }
                Some(i) => match steps.get(i) {
                    Some(&(ji, si)) => {
                        app.compare.cell = None;
                        jump(app, ji, si, Screen::Compare)
                    }
                    None => false,
                },
            }
        }
        CompareFocus::Similar => {
            let target = v
                .journeys
                .first()
                .and_then(|j| j.nearest.get(c.similar))
                .and_then(|(id, _)| app.session.data.journeys.iter().position(|j| j.id == *id));
            match target {
                Some(ji) => jump(app, ji, 0, Screen::Compare),
                None => false,
            }
        }
    }
}

/// Up and down on the terrain screen: the kinds, or the steps of the open kind.
fn terrain_rows(app: &mut App, d: isize) -> bool {
    let Some(v) = &app.session.analysis.terrain else {
        return false;
    };
    let t = &mut app.terrain_screen;
    let (cur, len) = match t.segments {
        Some(i) => (i, v.rows.get(t.selected).map_or(0, |r| r.segments.len())),
        None => (t.selected, v.rows.len()),
    };
    if len == 0 {
        return false;
    }
    let to = (cur as isize).saturating_add(d).clamp(0, len as isize - 1) as usize;
    match t.segments {
        Some(_) => t.segments = Some(to),
        None => t.selected = to,
    }
    to != cur
}

/// Enter on the terrain screen: list the steps where the kind is met, or jump to one.
fn terrain_open(app: &mut App) -> bool {
    let Some(v) = &app.session.analysis.terrain else {
        return false;
    };
    let t = &app.terrain_screen;
    let Some(row) = v.rows.get(t.selected) else {
        return false;
    };
    match t.segments {
        None if row.segments.is_empty() => {
            app.flash = Some("no journey in view meets it".into());
            true
        }
        None => {
            app.terrain_screen.segments = Some(0);
            true
        }
        Some(i) => match row.segments.get(i) {
            Some(&(ji, si)) => jump(app, ji, si, Screen::Terrain),
            None => false,
        },
    }
}

/// Opens a journey at a step in the journey screen; Esc there comes back to `from`.
fn jump(app: &mut App, ji: usize, si: usize, from: Screen) -> bool {
    if ji >= app.session.data.journeys.len() {
        return false;
    }
    app.journey.playing = false;
    app.journey.journey = ji;
    app.journey.step = 0;
    app.journey.detail_scroll = 0;
    app.screen = Screen::Journey;
    app.journey.focus = Focus::Map;
    set_step(app, si);
    app.journey.strip_cursor = app.journey.step;
    app.journey.back = Some(from);
    true
}

/// Left and right on the agreement screen: the disagreement shown.
fn agree_step(app: &mut App, action: &Action) -> bool {
    let n = app
        .session
        .analysis
        .agreement
        .as_ref()
        .map_or(0, |a| a.disagreements.len());
    if n == 0 {
        return false;
    }
    let a = &mut app.agree_screen;
    let cur = a.pos.min(n - 1);
    let to = match action {
        Action::StepNext => cur + 1,
        Action::StepPrev => cur.saturating_sub(1),
        Action::StepFirst => 0,
        _ => n - 1,
    }
    .min(n - 1);
    let changed = to != a.pos;
    a.pos = to;
    if changed {
        a.code = 0;
    }
    changed
}

/// Up and down on the agreement screen: the chosen code among those that differ.
fn agree_code(app: &mut App, d: isize) -> bool {
    let n = app.disagreement().map_or(0, |x| x.differing.len());
    if n == 0 {
        return false;
    }
    let a = &mut app.agree_screen;
    let cur = a.code.min(n - 1);
    let to = (cur as isize + d).clamp(0, n as isize - 1) as usize;
    a.code = to;
    to != cur
}

/// `a` on the agreement screen: the chosen code goes on the analyst's own note on the step
/// (the first, if there are several; a new one if there is none), as their own change, which
/// `u` undoes.
fn adopt(app: &mut App) -> bool {
    if app.screen != Screen::Agreement {
        return false;
    }
    let Some(own) = app
        .session
        .notes
        .as_ref()
        .map(|n| n.store.analyst().to_string())
    else {
        return false;
    };
    let Some(d) = app.disagreement() else {
        return false;
    };
    let Some(code) = d
        .differing
        .get(
            app.agree_screen
                .code
                .min(d.differing.len().saturating_sub(1)),
        )
        .cloned()
    else {
        return false;
    };
    let (ji, si) = d.step.at;
    let Some((jid, sid)) = app
        .session
        .data
        .journeys
        .get(ji)
        .and_then(|j| j.steps.get(si).map(|s| (j.id.clone(), s.id.clone())))
    else {
        return false;
    };
    let mine = app
        .journey_notes(&jid)
        .into_iter()
        .find(|(a, n)| *a == own && n.step == sid && n.conflict_of.is_none())
        .map(|(_, n)| n.clone());
    let note = match mine {
        Some(n) if n.codes.contains(&code) => {
            app.flash = Some(format!("{code} is on your note already"));
            return true;
        }
        Some(n) => {
            let mut codes = n.codes.clone();
            codes.push(code.clone());
            n.edited(codes, n.text.clone())
        }
        None => Note::new(&sid, vec![code.clone()], String::new()),
    };
    record(
        app,
        vec![Change::Put {
            journey: jid.clone(),
            note,
        }],
    );
    app.flash = Some(format!(
        "adopted {code} on your note on {jid} {sid} (u undoes)"
    ));
    true
}
