//! The codebook screen, and the code picker's offer to make a code: the codebook grows from the
//! data. On the screen the analyst edits a code (labels, definition, category, the class of an
//! unsorted code, its look), merges one code into another (asking first, with what it changes),
//! and deletes a code nothing uses. Each change goes through [`App::change_codebook`] and onto
//! the one history. The rows are made here, when what they count changed, never per frame.

use crate::app::action::Action;
use crate::app::codebook::CodeRow;
use crate::app::editing::{Asked, Confirm, FormState, Purpose};
use crate::app::editor::CodeChoice;
use crate::app::form::{Choice, Form};
use crate::app::history::{Entry, Place, Undo};
use crate::app::key::KeyCode;
use crate::app::state::{App, Overlay, Screen};
use crate::app::update::{PAGE, set_screen};
use crate::model::{FeatureClass, NamedColor, Shape};
use crate::text::{inert, plural};

/// Makes the rows again if the catalogue, the journeys or the notes changed since.
pub(super) fn refresh(app: &mut App) {
    if app.screen != Screen::Codebook || app.codebook.built == Some(app.session.notes_gen) {
        return;
    }
    let keep = selected_id(app);
    app.codebook.rows = app.codebook_rows();
    app.codebook.built = Some(app.session.notes_gen);
    let at = keep.and_then(|id| row_of(app, &id));
    app.codebook.selected = at.unwrap_or(app.codebook.selected);
    settle(app, true);
}

/// The row of the code `id`.
pub(super) fn row_of(app: &App, id: &str) -> Option<usize> {
    app.codebook
        .rows
        .iter()
        .position(|r| matches!(r, CodeRow::Code { id: c, .. } if c == id))
}

/// The id of the selected code.
pub fn selected_id(app: &App) -> Option<String> {
    match app.codebook.rows.get(app.codebook.selected)? {
        CodeRow::Code { id, .. } => Some(id.clone()),
        CodeRow::Heading { .. } => None,
    }
}

/// Puts the selection on a code row: the nearest one `forward` (or back) from where it is.
fn settle(app: &mut App, forward: bool) {
    let rows = &app.codebook.rows;
    if rows.is_empty() {
        app.codebook.selected = 0;
        return;
    }
    let at = app.codebook.selected.min(rows.len() - 1);
    let is_code = |i: usize| matches!(rows[i], CodeRow::Code { .. });
    let ahead = (at..rows.len()).find(|&i| is_code(i));
    let behind = (0..=at).rev().find(|&i| is_code(i));
    app.codebook.selected = if forward {
        ahead.or(behind)
    } else {
        behind.or(ahead)
    }
    .unwrap_or(at);
}

/// Moves the selection by `delta` codes.
fn move_by(app: &mut App, delta: isize) -> bool {
    let codes: Vec<usize> = (0..app.codebook.rows.len())
        .filter(|&i| matches!(app.codebook.rows[i], CodeRow::Code { .. }))
        .collect();
    if codes.is_empty() {
        return false;
    }
    let pos = codes
        .iter()
        .position(|&i| i == app.codebook.selected)
        .unwrap_or(0) as isize;
    let to = (pos + delta).clamp(0, codes.len() as isize - 1) as usize;
    let changed = codes[to] != app.codebook.selected;
    app.codebook.selected = codes[to];
    changed
}

pub(super) fn update(app: &mut App, action: Action) -> bool {
    refresh(app);
    match action {
        Action::Down => move_by(app, 1),
        Action::Up => move_by(app, -1),
        Action::PageDown => move_by(app, PAGE as isize),
        Action::PageUp => move_by(app, -(PAGE as isize)),
        Action::StepFirst => move_by(app, isize::MIN / 2),
        Action::StepLast => move_by(app, isize::MAX / 2),
        Action::Close if app.codebook.merging.is_some() => {
            app.codebook.merging = None;
            app.flash = Some("not merged".into());
            true
        }
        Action::Close => set_screen(app, Screen::Atlas),
        Action::Open if app.codebook.merging.is_some() => ask_merge(app),
        Action::Open | Action::EditCode => edit_form(app),
        Action::MergeCode => start_merge(app),
        Action::DeleteCode => delete(app),
        Action::Filter => {
            app.codebook.searching = Some(String::new());
            true
        }
        Action::SearchNext => find(app, &app.codebook.search.clone(), 1, true),
        Action::SearchPrev => find(app, &app.codebook.search.clone(), -1, true),
        _ => false,
    }
}

/// Whether a code's id or one of its labels holds `query` (case and accents as typed, but
/// not letter case).
fn code_matches(app: &App, id: &str, query: &str) -> bool {
    let q = query.to_lowercase();
    let t = app.terrain();
    let f = t
        .feature(id)
        .map(|(_, f)| f)
        .or_else(|| t.unsorted.iter().find(|f| f.id == id));
    std::iter::once(id)
        .chain(f.into_iter().flat_map(|f| [f.en.as_str(), f.no.as_str()]))
        .any(|s| s.to_lowercase().contains(&q))
}

/// Moves the selection to the next code (`step` 1) or the previous one (-1) that `query`
/// matches, from the selected code (itself included when `skip_here` is false), round the end.
fn find(app: &mut App, query: &str, step: isize, skip_here: bool) -> bool {
    if query.is_empty() {
        app.flash = Some("no search yet: / searches the codes".into());
        return true;
    }
    let n = app.codebook.rows.len();
    let at = app.codebook.selected.min(n.saturating_sub(1));
    let first = usize::from(skip_here);
    let found = (first..=n).find_map(|k| {
        let i = (at as isize + step * k as isize).rem_euclid(n.max(1) as isize) as usize;
        match app.codebook.rows.get(i)? {
            CodeRow::Code { id, .. } if code_matches(app, id, query) => Some(i),
            _ => None,
        }
    });
    match found {
        Some(i) => {
            app.codebook.selected = i;
            app.flash = None;
        }
        None => app.flash = Some(format!("no code matches «{}»", inert(query))),
    }
    true
}

/// A search typed in the codebook: each letter moves the selection to the first code (from
/// the selected one) whose id or label holds the search; Enter keeps it for `n` and `N`.
pub(super) fn search(app: &mut App, action: Action) -> bool {
    let Some(mut q) = app.codebook.searching.take() else {
        return false;
    };
    match action {
        Action::FilterInput(c) => q.push(c),
        Action::FilterPaste(s) => q.push_str(&s),
        Action::FilterBackspace => {
            q.pop();
        }
        Action::FilterAccept => {
            app.codebook.search = q;
            return true;
        }
        Action::Close => {
            app.flash = None;
            return true;
        }
        _ => {}
    }
    if !q.is_empty() {
        find(app, &q, 1, false);
    }
    app.codebook.searching = Some(q);
    true
}

/// `m`: the selected code is to be merged; the next Enter says into which.
fn start_merge(app: &mut App) -> bool {
    let Some(id) = selected_id(app) else {
        return false;
    };
    if let Some(into) = app
        .terrain()
        .raw_feature(&id)
        .and_then(|(_, f)| f.merged_into.clone())
    {
        app.flash = Some(format!("'{id}' was merged into '{into}' already"));
        return true;
    }
    app.flash = Some(format!(
        "merge '{id}' into…: move to the code it goes into and press Enter · Esc: not now"
    ));
    app.codebook.merging = Some(id);
    true
}

/// Enter while merging: asks, saying what the merge changes.
fn ask_merge(app: &mut App) -> bool {
    let (Some(from), Some(into)) = (app.codebook.merging.clone(), selected_id(app)) else {
        return false;
    };
    if from == into {
        app.flash = Some(format!(
            "'{from}' cannot be merged into itself: move to another code · Esc: not now"
        ));
        return true;
    }
    app.codebook.merging = None;
    let usage = app.code_usage(&from);
    let journeys = {
        let mut j: Vec<&str> = usage.steps.iter().map(|(j, _)| j.as_str()).collect();
        j.dedup();
        j.len()
    };
    let analysts = app.analysts_named(usage.notes.iter().map(|(a, _, _)| a.as_str()));
    let label = |id: &str| {
        app.terrain()
            .raw_feature(id)
            .map(|(_, f)| f.en.clone())
            .unwrap_or_default()
    };
    let mut lines = vec![
        format!(
            "'{from}' ({}) into '{into}' ({}).",
            label(&from),
            label(&into)
        ),
        format!(
            "{} in {} will carry '{into}' instead.",
            plural(usage.steps.len(), "step", "steps"),
            plural(journeys, "journey", "journeys")
        ),
        format!(
            "'{from}' stays in the catalogue as an alias of '{into}': notes that use it count as \
             '{into}' everywhere, and no analyst's notes are rewritten."
        ),
    ];
    if !usage.notes.is_empty() {
        lines.push(format!(
            "{} by {} {} '{from}'.",
            plural(usage.notes.len(), "note", "notes"),
            analysts.join(", "),
            if usage.notes.len() == 1 {
                "uses"
            } else {
                "use"
            }
        ));
    }
    app.confirm = Some(Confirm {
        title: format!("Merge '{from}' into '{into}'?"),
        lines,
        yes: "merge".into(),
        no: "keep both".into(),
        asked: Asked::MergeCode { from, into },
        back: Overlay::None,
    });
    app.overlay = Overlay::Confirm;
    true
}

/// `y` to a merge.
pub(super) fn merge(app: &mut App, from: &str, into: &str) -> bool {
    match app.merge_code(from, into) {
        Ok((undo, steps)) => {
            let what = format!("'{from}' merged into '{into}'");
            record(app, &what, into, undo);
            app.flash = Some(format!(
                "{what}: {steps} {} rewritten; '{from}' is its alias now · u takes it back",
                if steps == 1 { "step" } else { "steps" }
            ));
            if let Some(row) = row_of(app, into) {
                app.codebook.selected = row;
            }
        }
        Err(e) => app.flash = Some(format!("not merged: {e}")),
    }
    true
}

fn record(app: &mut App, what: &str, id: &str, undo: Undo) {
    app.history.record(Entry {
        what: what.to_string(),
        place: Place::Code(id.to_string()),
        undo,
    });
    refresh(app);
}

/// `d`: deletes the selected code if nothing uses it.
fn delete(app: &mut App) -> bool {
    let Some(id) = selected_id(app) else {
        return false;
    };
    match app.delete_code(&id) {
        Ok(undo) => {
            let what = format!("code '{id}' deleted");
            record(app, &what, &id, undo);
            app.flash = Some(format!("{what} · u brings it back"));
            settle(app, true);
        }
        Err(e) => app.flash = Some(format!("not deleted: {e}")),
    }
    true
}

fn choices(items: impl IntoIterator<Item = (String, String, String)>) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label, help)| Choice { value, label, help })
        .collect()
}

/// The shapes a code of `class` may have (`None`: unsorted, any).
fn shapes(class: Option<FeatureClass>) -> Vec<Shape> {
    match class {
        Some(FeatureClass::Obstacle) => vec![Shape::Marker, Shape::Wall, Shape::Fog, Shape::Water],
        Some(FeatureClass::Enabler) => vec![Shape::Marker, Shape::Path, Shape::Bridge],
        None => vec![
            Shape::Marker,
            Shape::Wall,
            Shape::Fog,
            Shape::Water,
            Shape::Path,
            Shape::Bridge,
        ],
    }
}

fn shape_help(s: Shape) -> &'static str {
    match s {
        Shape::Wall => "a ridge across the route",
        Shape::Fog => "shading over the steps where it holds",
        Shape::Water => "water across the route: the ground moves",
        Shape::Marker => "its glyph beside the step",
        Shape::Path => "an enabler that carries the route",
        Shape::Bridge => "an enabler that crosses an obstacle",
    }
}

/// `e` / Enter: a form for the selected code.
fn edit_form(app: &mut App) -> bool {
    let Some(id) = selected_id(app) else {
        return false;
    };
    if let Err(why) = app.catalogue_path() {
        app.flash = Some(why);
        return true;
    }
    let t = app.terrain();
    let (class, f) = match t.raw_feature(&id) {
        Some((c, f)) => (Some(c), f),
        None => match t.unsorted.iter().find(|f| f.id == id) {
            Some(f) => (None, f),
            None => return false,
        },
    };
    let mut form = Form::new(format!("Code '{id}'"))
        .line(
            "en",
            "Label (English)",
            "what the code names, in English",
            &f.en,
        )
        .required()
        .line(
            "no",
            "Label (the sources' language)",
            "the same, in the sources' language",
            &f.no,
        )
        .text(
            "definition",
            "Definition",
            "when a step or a note carries this code, and when it does not",
            &f.definition,
        );
    if class.is_none() {
        form = form.choice(
            "class",
            "File as",
            choices([
                (
                    "unsorted".into(),
                    "unsorted".into(),
                    "leave it unsorted for now".into(),
                ),
                (
                    "obstacle".into(),
                    "obstacle".into(),
                    "it holds a journey back".into(),
                ),
                (
                    "enabler".into(),
                    "enabler".into(),
                    "it carries a journey on".into(),
                ),
            ]),
            "unsorted",
        );
    }
    let mut categories = vec![(
        String::new(),
        "none".to_string(),
        "filed under no category".to_string(),
    )];
    for c in &t.categories {
        if c.class.is_none() || c.class == class {
            categories.push((c.id.clone(), c.en.clone(), c.no.clone()));
        }
    }
    for (_, g) in t.all_features().filter(|(c, _)| Some(*c) == class) {
        if g.id != id && g.merged_into.is_none() {
            categories.push((
                g.id.clone(),
                format!("under the code '{}'", g.id),
                g.en.clone(),
            ));
        }
    }
    let category = f.category.clone().unwrap_or_default();
    form = form
        .choice("category", "Category", choices(categories), &category)
        .choice(
            "shape",
            "Shape",
            choices(shapes(class).into_iter().map(|s| {
                let name = format!("{s:?}");
                (name.clone(), name, shape_help(s).to_string())
            })),
            &format!("{:?}", f.shape),
        )
        .line(
            "glyph",
            "Glyph",
            "one character one column wide, no other marker's",
            &f.glyph,
        )
        .line(
            "ascii",
            "ASCII",
            "one printable ASCII character, for --ascii",
            &f.ascii,
        )
        .choice(
            "color",
            "Colour",
            choices(
                NamedColor::ALL
                    .into_iter()
                    .map(|c| (c.name().to_string(), c.name().to_string(), String::new())),
            ),
            f.color.name(),
        );
    app.form = Some(FormState::new(form, Purpose::EditCode { id }));
    app.overlay = Overlay::Form;
    true
}

/// A submitted code form.
pub(super) fn submit(app: &mut App, id: &str, form: &Form) -> Result<(), String> {
    let mut t = app.terrain().clone();
    let entry = t
        .obstacles
        .iter_mut()
        .chain(t.enablers.iter_mut())
        .chain(t.unsorted.iter_mut())
        .find(|f| f.id == id)
        .ok_or_else(|| format!("no code '{id}'"))?;
    let before = entry.clone();
    entry.en = form.get("en");
    entry.no = form.get("no");
    entry.definition = form.get("definition");
    entry.category = Some(form.get("category")).filter(|c| !c.is_empty());
    let shape = form.get("shape");
    if let Some(s) = shapes(None).into_iter().find(|s| format!("{s:?}") == shape) {
        entry.shape = s;
    }
    entry.glyph = form.get("glyph");
    entry.ascii = form.get("ascii");
    entry.color = NamedColor::try_from(form.get("color"))?;
    let changed = *entry != before;
    let filed = match form.get("class").as_str() {
        "obstacle" => Some(FeatureClass::Obstacle),
        "enabler" => Some(FeatureClass::Enabler),
        _ => None,
    };
    if let Some(class) = filed {
        App::file_code(&mut t, id, class).map_err(|e| e.to_string())?;
    } else if !changed {
        return Ok(());
    }
    let what = match filed {
        Some(class) => format!("code '{id}' filed as an {}", class.name()),
        None => format!("code '{id}' edited"),
    };
    let undo = app.change_codebook(t, Vec::new(), &what)?;
    record(app, &what, id, undo);
    if let Some(row) = row_of(app, id) {
        app.codebook.selected = row;
    }
    Ok(())
}

/// In a code picker whose search names no code: below the matches it offers a new obstacle
/// and a new enabler of that label (the only rows when nothing matches). ↓ past the last
/// match, or End, goes to them; Enter there makes the code and chooses it; Space there types a
/// space. `None` when the action is not for the offer.
pub(super) fn offer(app: &mut App, action: &Action) -> Option<bool> {
    let e = app.editor.as_mut()?;
    if !e.offers_new() {
        return None;
    }
    let code = match action {
        Action::EditorKey(k) if !k.ctrl && !k.alt => Some(k.code),
        Action::Up => Some(KeyCode::Up),
        Action::Down => Some(KeyCode::Down),
        Action::ToggleCode => Some(KeyCode::Char(' ')),
        // Enter in the picker is bound to Confirm: on the offer, it makes the code.
        Action::Confirm => Some(KeyCode::Enter),
        _ => None,
    }?;
    let n = e.match_count();
    let on_offer = e.offer_at().is_some();
    match code {
        KeyCode::Down if e.cursor + 1 >= n => e.cursor = (e.cursor + 1).min(n + 1),
        KeyCode::Up if on_offer && e.cursor > 0 => e.cursor -= 1,
        KeyCode::End => e.cursor = n,
        KeyCode::Char(' ') if on_offer => e.query.push(' '),
        KeyCode::Enter if on_offer => {
            let class = if e.offer_at() == Some(1) {
                FeatureClass::Enabler
            } else {
                FeatureClass::Obstacle
            };
            let label = e.query.trim().to_string();
            match app.create_code(class, &label) {
                Ok((id, undo)) => {
                    let what = format!("{} '{id}' added", class.name());
                    app.history.record(Entry {
                        what: what.clone(),
                        place: Place::Code(id.clone()),
                        undo,
                    });
                    let f = app.terrain().raw_feature(&id).map(|(_, f)| f.clone());
                    if let (Some(f), Some(e)) = (f, app.editor.as_mut()) {
                        e.add_code(CodeChoice {
                            id: f.id.clone(),
                            en: f.en.clone(),
                            no: f.no.clone(),
                            glyph: crate::ui::glyphs::feature(&f, false).to_string(),
                            ascii: crate::ui::glyphs::feature(&f, true).to_string(),
                            obstacle: class == FeatureClass::Obstacle,
                        });
                    }
                    app.flash = Some(format!(
                        "{what} and chosen · its definition: on the codebook screen (8)"
                    ));
                }
                Err(why) => app.flash = Some(format!("no code made: {why}")),
            }
        }
        _ => return None,
    }
    Some(true)
}
