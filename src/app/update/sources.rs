//! The sources screen: the list of the study's sources, the reading view of one (moving by
//! character, word, sentence and paragraph; `v` and the mouse select; `/` searches), and the
//! passage on its way to a journey — evidence of the current step (`e`), a new step after it
//! (`s`), or the first step of a new journey (`J`, and whenever there is no journey yet),
//! through a form. The journey is changed with [`App::edit_journey`] / [`App::add_journey`],
//! which ask for the save; nothing here touches the disk.

use crate::app::action::Action;
use crate::app::form::{FormOutcome, journey_form, step_form};
use crate::app::key::Key;
use crate::app::reading::{Reading, Unit};
use crate::app::sources::{OpenSource, Passage, PassageForm, Purpose};
use crate::app::state::{App, Screen};
use crate::app::update::{PAGE, jump, set_screen};
use crate::model::edit::{Edit, new_step, next_step_id};
use crate::model::{Journey, StepKind};

/// `6`: the sources screen.
pub(super) fn show(app: &mut App) -> bool {
    let changed = set_screen(app, Screen::Sources);
    app.refresh_citations();
    fit(app);
    changed
}

/// The columns and rows the open source is laid out in, for the last known terminal size.
fn size(app: &App) -> Option<(usize, usize)> {
    let (w, h) = app.frame?;
    let (_, source) = app.sources.open_source()?;
    Some(crate::ui::sources::reading_size(
        w,
        h,
        crate::ui::sources::has_margin(source),
    ))
}

/// Lays the open source out again for the terminal's size, and keeps the cursor in view.
pub(super) fn fit(app: &mut App) {
    let Some((cols, rows)) = size(app) else {
        return;
    };
    if let Some(open) = &mut app.sources.open {
        open.reading.set_width(cols);
        open.reading.follow(rows);
    }
}

/// How many text rows the reading view shows.
fn rows(app: &App) -> usize {
    size(app).map_or(PAGE, |(_, rows)| rows).max(1)
}

/// An action on the sources screen: the list, or the reading view when a source is open.
pub(super) fn update(app: &mut App, action: Action) -> bool {
    if app.sources.open.is_some() {
        read(app, action)
    } else {
        list(app, action)
    }
}

fn list(app: &mut App, action: Action) -> bool {
    let n = app.sources.sources().len();
    let sel = app.sources.selected;
    let to = |d: isize| {
        (sel as isize)
            .saturating_add(d)
            .clamp(0, n.max(1) as isize - 1) as usize
    };
    let moved = match action {
        Action::Down => to(1),
        Action::Up => to(-1),
        Action::PageDown => to(PAGE as isize),
        Action::PageUp => to(-(PAGE as isize)),
        Action::StepFirst => 0,
        Action::StepLast => n.saturating_sub(1),
        Action::SelectRow(i) if i < n => i,
        Action::Open => return open(app),
        Action::Close => return set_screen(app, Screen::Atlas),
        _ => return false,
    };
    app.sources.selected = moved;
    moved != sel
}

/// Enter on the list: the selected source in the reading view.
fn open(app: &mut App) -> bool {
    let Some(s) = app.sources.sources().get(app.sources.selected) else {
        if app.sources.root.is_none() {
            app.flash = Some(
                "the bundled journeys have no sources; make a study with `terreng new DIR`".into(),
            );
        } else {
            app.flash = Some("no sources yet: :source add PATH".into());
        }
        return true;
    };
    let cols = app.frame.map_or(80, |(w, h)| {
        crate::ui::sources::reading_size(w, h, crate::ui::sources::has_margin(s)).0
    });
    let fresh = (app.sources.left.as_ref().map(|l| &l.id) != Some(&s.id)).then(|| OpenSource {
        id: s.id.clone(),
        reading: Reading::new(&s.text, cols),
        search_from: None,
        cite_choice: 0,
    });
    let left = app.sources.left.take();
    app.sources.open = fresh.or(left);
    fit(app);
    true
}

/// An action in the reading view.
fn read(app: &mut App, action: Action) -> bool {
    let rows = rows(app);
    let Some(open) = &mut app.sources.open else {
        return false;
    };
    let before = (open.reading.cursor, open.reading.anchor, open.reading.top);
    let r = &mut open.reading;
    match action {
        Action::CharNext => r.move_unit(Unit::Char, true),
        Action::CharPrev => r.move_unit(Unit::Char, false),
        Action::WordNext => r.move_unit(Unit::Word, true),
        Action::WordPrev => r.move_unit(Unit::Word, false),
        Action::SentenceNext => r.move_unit(Unit::Sentence, true),
        Action::SentencePrev => r.move_unit(Unit::Sentence, false),
        Action::ParagraphNext => r.move_unit(Unit::Paragraph, true),
        Action::ParagraphPrev => r.move_unit(Unit::Paragraph, false),
        Action::Down => r.move_lines(1),
        Action::Up => r.move_lines(-1),
        Action::PageDown => r.move_lines(rows.saturating_sub(1).max(1) as isize),
        Action::PageUp => r.move_lines(-(rows.saturating_sub(1).max(1) as isize)),
        Action::ScrollDetail(d) => r.move_lines(d as isize),
        Action::StepFirst => r.go(0),
        Action::StepLast => r.go(usize::MAX),
        Action::Select => r.start_or_end_selection(),
        Action::SearchNext | Action::SearchPrev => {
            if r.next_hit(action == Action::SearchNext).is_none() {
                app.flash = Some(if r.search.query.is_empty() {
                    "no search yet: / to search".into()
                } else {
                    format!("«{}» is not in this source", r.search.query)
                });
                return true;
            }
        }
        Action::Filter => {
            open.search_from = Some(r.cursor);
            app.sources.searching = Some(String::new());
            return true;
        }
        Action::NextPassage | Action::PrevPassage => {
            return next_passage(app, action == Action::NextPassage, rows);
        }
        Action::FocusNext | Action::FocusPrev => {
            let (id, cursor) = (open.id.clone(), open.reading.cursor);
            let n = app.sources.citations_at(&id, cursor).len();
            let Some(open) = &mut app.sources.open else {
                return false;
            };
            if n < 2 {
                return false;
            }
            open.cite_choice = if action == Action::FocusNext {
                (open.cite_choice + 1) % n
            } else {
                (open.cite_choice + n - 1) % n
            };
            return true;
        }
        Action::Open => return enter(app),
        Action::ReadAt { row, col, drag } => {
            let line = r.top + usize::from(row);
            let pos = r.position_at(line, usize::from(col));
            if drag {
                if r.anchor.is_none() {
                    r.anchor = Some(app.sources.drag_from.unwrap_or(pos));
                }
                r.go(pos);
            } else {
                r.anchor = None;
                r.go(pos);
                app.sources.drag_from = Some(pos);
            }
        }
        Action::Close => {
            if r.anchor.is_some() {
                r.anchor = None;
            } else {
                // Back to the list; the source opens again where it was left.
                app.sources.left = app.sources.open.take();
                return true;
            }
        }
        Action::PassageEvidence => return evidence(app),
        Action::PassageStep => return new_step_form(app),
        Action::PassageJourney => return new_journey_form(app),
        _ => return false,
    }
    let r = &mut open.reading;
    r.follow(rows);
    if r.cursor != before.0 {
        open.cite_choice = 0;
    }
    (r.cursor, r.anchor, r.top) != before
}

/// `]` / `[`: to the start of the next or previous passage cited or coded elsewhere.
fn next_passage(app: &mut App, forward: bool, rows: usize) -> bool {
    let Some((open, source)) = app.sources.open_source() else {
        return false;
    };
    let cursor = open.reading.cursor;
    let mut starts: Vec<usize> = app
        .sources
        .citations(&open.id)
        .iter()
        .map(|c| c.start)
        .chain(source.doc.passages.iter().map(|p| p.start))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let to = if forward {
        starts.iter().copied().find(|&s| s > cursor)
    } else {
        starts.iter().copied().rev().find(|&s| s < cursor)
    };
    let Some(to) = to else {
        app.flash = Some(if starts.is_empty() {
            "no passage of this source is cited or coded yet".into()
        } else if forward {
            "no passage after this one".into()
        } else {
            "no passage before this one".into()
        });
        return true;
    };
    let Some(open) = &mut app.sources.open else {
        return false;
    };
    open.reading.go(to);
    open.reading.follow(rows);
    open.cite_choice = 0;
    true
}

/// Enter in the reading view: on a cited passage, to the step citing it (the one chosen with
/// Tab); on a passage coded elsewhere, select it.
fn enter(app: &mut App) -> bool {
    let Some((open, source)) = app.sources.open_source() else {
        return false;
    };
    let cursor = open.reading.cursor;
    let cited = app.sources.citations_at(&open.id, cursor);
    if let Some(c) = cited.get(open.cite_choice.min(cited.len().saturating_sub(1))) {
        let (ji, si) = (c.journey, c.step);
        return jump(app, ji, si, Screen::Sources);
    }
    let coded = source
        .doc
        .passages
        .iter()
        .find(|p| p.start <= cursor && cursor < p.end)
        .map(|p| (p.start, p.end));
    if let Some((start, end)) = coded
        && let Some(open) = &mut app.sources.open
    {
        open.reading.select(start, end);
        return true;
    }
    app.flash = Some("no passage here is cited or coded: v selects one".into());
    true
}

/// The selected passage, with its locator; `None` (and a message why) without one.
fn passage(app: &mut App) -> Option<Passage> {
    let found = app.sources.open_source().and_then(|(open, source)| {
        let (start, end) = open.reading.passage()?;
        Some(Passage {
            source: open.id.clone(),
            span: (start, end),
            quote: open.reading.slice(start, end),
            locator: source.doc.locator(start),
        })
    });
    if found.is_none() {
        app.flash = Some("select a passage first: v, then move (w ) } extend it)".into());
    }
    found
}

/// The journey passages go to and the step they follow: the open journey and its current step.
fn target(app: &App) -> Option<(usize, Option<usize>)> {
    let j = app.current_journey()?;
    let step = (!j.steps.is_empty()).then(|| app.journey.step.min(j.steps.len() - 1));
    Some((app.journey.journey, step))
}

/// `e`: the passage as evidence of the current step — a form for its translation and locator.
fn evidence(app: &mut App) -> bool {
    let Some(passage) = passage(app) else {
        return true;
    };
    let (ji, si) = match target(app) {
        None => return open_journey_form(app, passage),
        Some((_, None)) => {
            app.flash = Some("the journey has no steps yet: s makes the passage its first".into());
            return true;
        }
        Some((ji, Some(si))) => (ji, si),
    };
    let j = &app.session.data.journeys[ji];
    let step = &j.steps[si];
    let title = format!("Evidence of {} {} «{}»", j.id, step.id, step.title);
    let make = || {
        crate::app::form::Form::new(title.clone())
            .line(
                "translation",
                "Translation",
                &format!(
                    "of «{}» — empty: translation pending",
                    crate::store::sources::verify::excerpt(&passage.quote, 60)
                ),
                "",
            )
            .line(
                "locator",
                "Locator",
                "derived from the source's pages and headings; edit if need be",
                &passage.locator,
            )
    };
    let purpose = Purpose::Evidence {
        journey: ji,
        step: step.id.clone(),
    };
    open_form(app, make(), make(), purpose, passage);
    true
}

/// `s`: a new step after the current one, with the passage as its evidence.
fn new_step_form(app: &mut App) -> bool {
    let Some(passage) = passage(app) else {
        return true;
    };
    let Some((ji, after)) = target(app) else {
        return open_journey_form(app, passage);
    };
    let j = &app.session.data.journeys[ji];
    let title = match after {
        Some(si) => format!("New step in {} after {}", j.id, j.steps[si].id),
        None => format!("First step of {}", j.id),
    };
    let make = || {
        with_locator(
            step_form(&title, &excerpt(&passage.quote)),
            &passage.locator,
        )
    };
    let purpose = Purpose::NewStep { journey: ji, after };
    open_form(app, make(), make(), purpose, passage);
    true
}

/// `J`: a new journey, whose first step the passage becomes.
fn new_journey_form(app: &mut App) -> bool {
    match passage(app) {
        Some(passage) => open_journey_form(app, passage),
        None => true,
    }
}

fn open_journey_form(app: &mut App, passage: Passage) -> bool {
    if let Err(why) = app.journey_path("x") {
        app.flash = Some(why);
        return true;
    }
    let themes: Vec<(String, String, String)> = app
        .terrain()
        .themes
        .iter()
        .map(|t| (t.id.clone(), t.en.clone(), t.image.clone()))
        .collect();
    let title = if app.session.data.journeys.is_empty() {
        "New journey — the study has none yet; the passage becomes its first step"
    } else {
        "New journey — the passage becomes its first step"
    };
    let work = app
        .sources
        .source(&passage.source)
        .map_or_else(String::new, |s| s.title().to_string());
    // Only what a journey needs to begin; the rest is edited with the journey.
    let make = || {
        let mut form = journey_form(title, &themes, &[("work", work.as_str())]);
        form.fields
            .retain(|f| matches!(f.name, "title" | "id" | "theme" | "goal" | "work"));
        form
    };
    open_form(app, make(), make(), Purpose::NewJourney, passage);
    true
}

fn excerpt(quote: &str) -> String {
    crate::store::sources::verify::excerpt(quote, 60)
}

/// The step form with the passage's locator after the translation.
fn with_locator(form: crate::app::form::Form, locator: &str) -> crate::app::form::Form {
    let mut form = form.line(
        "locator",
        "Locator",
        "derived from the source's pages and headings; edit if need be",
        locator,
    );
    if let Some(at) = form.fields.iter().position(|f| f.name == "translation")
        && let Some(field) = form.fields.pop()
    {
        form.fields.insert(at + 1, field);
    }
    form
}

fn open_form(
    app: &mut App,
    form: crate::app::form::Form,
    fresh: crate::app::form::Form,
    purpose: Purpose,
    passage: Passage,
) {
    app.sources.form = Some(PassageForm {
        form,
        purpose,
        passage,
        fresh,
        confirm_discard: false,
    });
}

/// Typing a search: each key searches again (the cursor on the first hit from where the
/// search began); Enter keeps it, Esc goes back.
pub(super) fn search(app: &mut App, action: Action) -> bool {
    let rows = rows(app);
    let Some(query) = &mut app.sources.searching else {
        return false;
    };
    match action {
        Action::FilterInput(c) => query.push(c),
        Action::FilterPaste(text) => query.extend(text.chars().filter(|c| !c.is_control())),
        Action::FilterBackspace => {
            query.pop();
        }
        Action::FilterAccept => {
            let query = app.sources.searching.take().unwrap_or_default();
            let Some(open) = &mut app.sources.open else {
                return true;
            };
            open.search_from = None;
            let n = open.reading.search.hits.len();
            app.flash = Some(match n {
                _ if query.is_empty() => "search cleared".into(),
                0 => format!("«{query}» is not in this source"),
                1 => format!("«{query}»: the one hit · v selects it"),
                n => format!("«{query}»: {n} hits · n/N go through them · v selects one"),
            });
            return true;
        }
        Action::Close => {
            app.sources.searching = None;
            if let Some(open) = &mut app.sources.open {
                if let Some(from) = open.search_from.take() {
                    open.reading.go(from);
                }
                open.reading.search = Default::default();
                open.reading.follow(rows);
            }
            return true;
        }
        _ => return false,
    }
    let query = query.clone();
    if let Some(open) = &mut app.sources.open {
        if let Some(from) = open.search_from {
            open.reading.go(from);
        }
        open.reading.find(&query);
        open.reading.follow(rows);
    }
    true
}

/// A key in the form open over the reading view.
pub(super) fn form(app: &mut App, action: Action) -> bool {
    let Some(pf) = &mut app.sources.form else {
        return false;
    };
    let input = match action {
        Action::FormKey(key) => crate::app::editor::text_input(key),
        Action::SubmitForm => crate::app::editor::text_input(Key::ctrl('s')),
        // Tab and Shift-Tab are bound to the form's fields for every form.
        Action::FocusNext => {
            crate::app::editor::text_input(Key::plain(crate::app::key::KeyCode::Tab))
        }
        Action::FocusPrev => {
            crate::app::editor::text_input(Key::plain(crate::app::key::KeyCode::BackTab))
        }
        Action::Close => crate::app::editor::text_input(Key::plain(crate::app::key::KeyCode::Esc)),
        Action::FormPaste(text) => {
            let Some(field) = pf.form.fields.get_mut(pf.form.focus) else {
                return false;
            };
            let one_line = matches!(field.kind, crate::app::form::FieldKind::Line);
            let clean: String = text
                .chars()
                .map(|c| if one_line && c == '\n' { ' ' } else { c })
                .filter(|c| *c == '\n' || !c.is_control())
                .collect();
            return field.text.insert_str(clean);
        }
        _ => return false,
    };
    match pf.form.input(input) {
        FormOutcome::Editing(changed) => {
            if changed {
                pf.confirm_discard = false;
            }
            changed
        }
        FormOutcome::Cancel => {
            if pf.form.touched(&pf.fresh) && !pf.confirm_discard {
                pf.confirm_discard = true;
                pf.form.error = Some("Esc again discards what was typed".into());
                return true;
            }
            app.sources.form = None;
            true
        }
        FormOutcome::Submit => submit(app),
    }
}

/// A form submitted: the passage goes where the form was for.
fn submit(app: &mut App) -> bool {
    let Some(pf) = app.sources.form.take() else {
        return false;
    };
    let PassageForm {
        form,
        purpose,
        passage,
        ..
    } = pf;
    let evidence = passage.evidence(&form.get("translation"), &form.get("locator"));
    let result = match purpose {
        Purpose::Evidence { journey, step } => {
            let Some(mut s) = app.session.data.journeys[journey]
                .steps
                .iter()
                .find(|s| s.id == step)
                .cloned()
            else {
                app.flash = Some(format!("step {step} is gone; the passage was not added"));
                return true;
            };
            s.evidence.push(evidence);
            let what = format!("the passage is evidence of {step}");
            app.edit_journey(journey, Edit::Replace { step: s }, &what)
                .map(|_| ())
        }
        Purpose::NewStep { journey, after } => {
            let j = &app.session.data.journeys[journey];
            let id = next_step_id(j, noted_steps(app, &j.id).iter().map(String::as_str));
            let step = step_of(&form, id.clone(), evidence);
            let index = after.map_or(0, |a| a + 1);
            let what = format!("step {id} added");
            let done = app.edit_journey(journey, Edit::Insert { index, step }, &what);
            if done.is_ok() {
                app.journey.journey = journey;
                app.journey.step = index;
                app.journey.strip_cursor = index;
                app.journey.note_cursor = 0;
            }
            done.map(|_| ())
        }
        Purpose::NewJourney => {
            let taken: Vec<&str> = app.session.data.ids().collect();
            let journey = crate::app::sources::journey_from_form(&form, &taken);
            let title = format!("First step of {}", journey.id);
            let make = || {
                with_locator(
                    step_form(&title, &excerpt(&passage.quote)),
                    &passage.locator,
                )
            };
            let purpose = Purpose::FirstStep {
                journey: Box::new(journey),
            };
            open_form(app, make(), make(), purpose, passage);
            return true;
        }
        Purpose::FirstStep { journey } => {
            let mut journey: Journey = *journey;
            let id = next_step_id(
                &journey,
                noted_steps(app, &journey.id).iter().map(String::as_str),
            );
            journey.steps.push(step_of(&form, id, evidence));
            app.add_journey(journey).map(|index| {
                app.journey.journey = index;
                app.journey.step = 0;
                app.journey.strip_cursor = 0;
                app.journey.note_cursor = 0;
            })
        }
    };
    match result {
        Ok(()) => {
            if let Some(open) = &mut app.sources.open {
                open.reading.anchor = None;
            }
        }
        Err(why) => app.flash = Some(format!("the passage was not added: {why}")),
    }
    true
}

/// The step ids notes refer to on a journey (every analyst's): a new step never takes one.
fn noted_steps(app: &App, journey: &str) -> Vec<String> {
    app.session.notes.as_ref().map_or_else(Vec::new, |n| {
        n.store
            .journey_notes(journey)
            .into_iter()
            .map(|(_, note)| note.step.clone())
            .collect()
    })
}

/// A step from the step form's values, with the passage as its evidence.
fn step_of(
    form: &crate::app::form::Form,
    id: String,
    evidence: crate::model::Evidence,
) -> crate::model::Step {
    let kind = StepKind::ALL
        .iter()
        .copied()
        .find(|k| k.name() == form.get("kind"))
        .unwrap_or(StepKind::Advance);
    let mut step = new_step(id, kind, &form.get("title"));
    step.narrative = form.get("narrative");
    let when = form.get("when");
    step.when = (!when.is_empty()).then_some(when);
    step.evidence.push(evidence);
    step
}
