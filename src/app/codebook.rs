//! Changing the codebook from the app: the catalogue changed in memory at once, written before
//! the next frame.
//!
//! [`App::change_codebook`] takes a changed catalogue (and the edits to the journeys' steps a
//! merge makes), checks it as `terreng check` would, puts it in the session, and asks for an
//! [`Effect::SaveCatalogue`]; the journeys' edits go through [`App::edit_journey`]. The loop
//! writes the catalogue with [`save`]: only over the file as the app read it (a catalogue
//! changed on disk meanwhile is not overwritten; the status line says so), through the one
//! writer, in the canonical layout. The catalogue written is the study's own
//! ([`crate::store::write::catalogue_file`]): never the bundled one or a shared one.
//!
//! The operations themselves are [`crate::model::codebook`]'s; this file only carries them
//! into the session and back out as the change that undoes them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::effect::Effect;
use crate::app::history::Undo;
use crate::app::state::{App, haystack};
use crate::model::codebook::{self, CodeError};
use crate::model::edit::Edit;
use crate::model::{FeatureClass, Journey, Terrain};
use crate::store::{parse, validate, write};

/// A catalogue to write: where, what the app last knew of it, and what it holds now.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueWrite {
    pub path: PathBuf,
    pub base: Terrain,
    pub ours: Terrain,
    /// What the change was, for the status line ("obstacle 'x' added").
    pub what: String,
    /// The analyst agreed that the file's comments beyond its header go.
    pub drop_comments: bool,
}

/// What a catalogue save did.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueSaved {
    pub path: PathBuf,
    pub what: String,
    pub result: Result<(), String>,
    /// Not written because the file's comments would go, until the analyst agrees: the write
    /// held back, and the lines of those comments.
    pub held: Option<Box<(CatalogueWrite, Vec<usize>)>>,
}

impl App {
    /// The catalogue file codebook changes are written to, or why there is none.
    pub fn catalogue_path(&self) -> Result<PathBuf, String> {
        write::catalogue_file(&self.session.data.source, self.catalogue.as_deref())
    }

    /// Every note of every analyst, hidden or not: what decides whether a code is in use.
    fn every_note(&self) -> Vec<(&str, &str, &crate::model::Note)> {
        self.session
            .notes
            .as_ref()
            .map(|n| n.store.all())
            .unwrap_or_default()
    }

    /// Puts `terrain` in the session and asks for it to be written, with `edits` to journeys'
    /// steps (by journey index) that go with it. Returns the change that undoes it all; on an
    /// error nothing changes.
    pub fn change_codebook(
        &mut self,
        terrain: Terrain,
        edits: Vec<(usize, Edit)>,
        what: &str,
    ) -> Result<Undo, String> {
        let path = self.catalogue_path()?;
        let shown = path.display().to_string();
        let problems = validate::terrain(&shown, "", &terrain);
        if let Some(p) = problems.first() {
            return Err(format!("the catalogue would not check: {}", p.message));
        }
        // Every journey must be writable before anything changes.
        for (index, _) in &edits {
            let j = self
                .session
                .data
                .journeys
                .get(*index)
                .ok_or("no such journey")?;
            self.journey_path(&j.id)?;
        }
        let base = std::mem::replace(&mut Arc::make_mut(&mut self.session.data).terrain, terrain);
        self.outbox
            .push(Effect::SaveCatalogue(Box::new(CatalogueWrite {
                path: path.clone(),
                base: base.clone(),
                ours: self.session.data.terrain.clone(),
                what: what.to_string(),
                drop_comments: self.consented.contains(&path),
            })));
        let mut journeys: Vec<(String, Vec<Edit>)> = Vec::new();
        for (index, edit) in edits {
            let id = self.session.data.journeys[index].id.clone();
            let undo = self.edit_journey(index, edit, what)?;
            match journeys.iter_mut().find(|(j, _)| *j == id) {
                Some((_, list)) => list.insert(0, undo),
                None => journeys.push((id, vec![undo])),
            }
        }
        self.terrain_changed();
        Ok(Undo::Codebook {
            terrain: Box::new(base),
            journeys,
        })
    }

    /// After the catalogue changed: labels are searched by the atlas filter, and analysis
    /// counts codes as the catalogue resolves them.
    pub(crate) fn terrain_changed(&mut self) {
        for i in 0..self.session.data.journeys.len() {
            let text = haystack(&self.session.data.journeys[i], &self.session.data.terrain);
            self.session.set_haystack(i, text);
        }
        self.refilter();
        self.session.notes_gen += 1;
    }

    /// Every code id in the catalogue (aliases and unsorted codes too).
    pub fn code_ids(&self) -> Vec<String> {
        let t = self.terrain();
        t.all_features()
            .map(|(_, f)| f.id.clone())
            .chain(t.unsorted.iter().map(|f| f.id.clone()))
            .collect()
    }

    /// A new code of `class` labelled `label` (in both languages, to be edited on the codebook
    /// screen), its id made from the label. Returns its id and the change that undoes it.
    pub fn create_code(
        &mut self,
        class: FeatureClass,
        label: &str,
    ) -> Result<(String, Undo), String> {
        let label = label.trim();
        if label.is_empty() {
            return Err("a code needs a label".into());
        }
        let taken = self.code_ids();
        let id = codebook::id_from_label(label, taken.iter().map(String::as_str));
        let mut t = self.terrain().clone();
        let mut code = codebook::new_code(&t, class, &id, label, label, "");
        // A catalogue that marks no label's origin stays unmarked (one that marks any must
        // mark all).
        let marked = t.features().any(|(_, f)| !f.origin.is_unmarked())
            || t.themes
                .iter()
                .any(|th| !th.origin.is_unmarked() || !th.image_origin.is_unmarked());
        if !marked {
            code.origin = crate::model::Origin::Unmarked;
        }
        codebook::add(&mut t, class, code).map_err(|e| e.to_string())?;
        let undo =
            self.change_codebook(t, Vec::new(), &format!("{} '{id}' added", class.name()))?;
        Ok((id, undo))
    }

    /// Merges the code `from` into `into`: the journeys' steps that carry `from` carry `into`,
    /// and `from` stays as its alias. Returns the change that undoes it and how many steps
    /// changed.
    pub fn merge_code(&mut self, from: &str, into: &str) -> Result<(Undo, usize), String> {
        let mut t = self.terrain().clone();
        let touched: Vec<usize> = (0..self.session.data.journeys.len())
            .filter(|&i| self.session.data.journeys[i].codes().any(|c| c == from))
            .collect();
        let mut copies: Vec<Journey> = touched
            .iter()
            .map(|&i| self.session.data.journeys[i].clone())
            .collect();
        codebook::merge(&mut t, &mut copies, from, into).map_err(|e| e.to_string())?;
        let mut edits = Vec::new();
        for (&i, copy) in touched.iter().zip(&copies) {
            let before = &self.session.data.journeys[i];
            for (old, new) in before.steps.iter().zip(&copy.steps) {
                if old != new {
                    edits.push((i, Edit::Replace { step: new.clone() }));
                }
            }
        }
        let steps = edits.len();
        let undo = self.change_codebook(t, edits, &format!("'{from}' merged into '{into}'"))?;
        Ok((undo, steps))
    }

    /// Deletes the code `id`, which nothing may use.
    pub fn delete_code(&mut self, id: &str) -> Result<Undo, String> {
        let mut t = self.terrain().clone();
        codebook::delete(&mut t, id, &self.session.data.journeys, &self.every_note())
            .map_err(|e| e.to_string())?;
        self.change_codebook(t, Vec::new(), &format!("code '{id}' deleted"))
    }

    /// Where the code `id` is used, by its own id.
    pub fn code_usage(&self, id: &str) -> codebook::Usage {
        codebook::usage(
            self.terrain(),
            id,
            &self.session.data.journeys,
            &self.every_note(),
        )
    }

    /// Files an unsorted code as an obstacle or an enabler (a shape of that class if its own
    /// is not one).
    pub fn file_code(t: &mut Terrain, id: &str, class: FeatureClass) -> Result<(), CodeError> {
        let at = t
            .unsorted
            .iter()
            .position(|f| f.id == id)
            .ok_or_else(|| CodeError::Unknown(id.to_string()))?;
        let mut code = t.unsorted.remove(at);
        use crate::model::Shape;
        let fits = match class {
            FeatureClass::Obstacle => {
                matches!(
                    code.shape,
                    Shape::Wall | Shape::Fog | Shape::Water | Shape::Marker
                )
            }
            FeatureClass::Enabler => {
                matches!(code.shape, Shape::Path | Shape::Bridge | Shape::Marker)
            }
        };
        if !fits {
            code.shape = Shape::Marker;
        }
        // In a catalogue that marks its labels' origins, every code's is marked.
        let marked = t.features().any(|(_, f)| !f.origin.is_unmarked());
        if marked && code.origin.is_unmarked() {
            code.origin =
                crate::model::Origin::Coined("an imported code, filed by an analyst".into());
        }
        match class {
            FeatureClass::Obstacle => t.obstacles.push(code),
            FeatureClass::Enabler => t.enablers.push(code),
        }
        t.index = Default::default();
        Ok(())
    }
}

/// Writes a catalogue (the I/O of [`Effect::SaveCatalogue`]): only over the file as the app
/// knew it.
pub fn save(job: &CatalogueWrite) -> CatalogueSaved {
    let mut saved = CatalogueSaved {
        path: job.path.clone(),
        what: job.what.clone(),
        result: Ok(()),
        held: None,
    };
    match write_checked(&job.path, &job.base, &job.ours, job.drop_comments) {
        Ok(r) => saved.result = r,
        Err(lines) => {
            saved.result = Err(write::describe_dropped(&lines));
            saved.held = Some(Box::new((job.clone(), lines)));
        }
    }
    saved
}

fn write_checked(
    path: &Path,
    base: &Terrain,
    ours: &Terrain,
    drop_comments: bool,
) -> Result<Result<(), String>, Vec<usize>> {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Ok(Err(format!("{shown}: cannot read: {e}"))),
    };
    let text = match parse::as_text(&shown, &bytes, "Terrain") {
        Ok(t) => t,
        Err(p) => return Ok(Err(p.to_string())),
    };
    match parse::parse::<Terrain>(&shown, text) {
        Ok(on_disk) if on_disk == *base => {}
        Ok(_) => {
            return Ok(Err(format!(
                "{shown} changed on disk meanwhile; not written over — the change is in the \
                 app only (restart terreng to read the file again)"
            )));
        }
        Err(p) => return Ok(Err(p.to_string())),
    }
    if !drop_comments {
        let lines = write::dropped_comments(text);
        if !lines.is_empty() {
            return Err(lines);
        }
    }
    Ok(write::save_terrain(path, ours, Some(text))
        .map(|_| ())
        .map_err(|e| format!("{shown}: cannot write: {e}")))
}

/// A row of the codebook screen.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeRow {
    /// A class ("Obstacles · 23") or, under it, a category.
    Heading { text: String, category: bool },
    /// A code, with where it is used.
    Code {
        id: String,
        /// `None` for an unsorted code.
        class: Option<FeatureClass>,
        usage: codebook::Usage,
    },
}

impl App {
    /// The codebook screen's rows: obstacles, enablers and unsorted codes, each under its
    /// categories (catalogue order, then the codes filed under none), with where each is used.
    /// Counted in one pass over the journeys and the notes shown (under blind coding, the
    /// analyst's own: what decides a delete is counted apart, over every note).
    pub fn codebook_rows(&self) -> Vec<CodeRow> {
        use std::collections::HashMap;
        let t = self.terrain();
        let mut used: HashMap<&str, codebook::Usage> = HashMap::new();
        for j in &self.session.data.journeys {
            for s in &j.steps {
                for c in s.codes() {
                    used.entry(c)
                        .or_default()
                        .steps
                        .push((j.id.clone(), s.id.clone()));
                }
            }
        }
        let notes = self.all_notes();
        for (a, j, n) in &notes {
            for c in &n.codes {
                used.entry(c.as_str()).or_default().notes.push((
                    a.to_string(),
                    j.to_string(),
                    n.id.clone(),
                ));
            }
        }
        let every = t
            .obstacles
            .iter()
            .map(|f| (Some(FeatureClass::Obstacle), f))
            .chain(t.enablers.iter().map(|f| (Some(FeatureClass::Enabler), f)))
            .chain(t.unsorted.iter().map(|f| (None, f)));
        for (_, f) in every.clone() {
            if let Some(into) = &f.merged_into {
                used.entry(into.as_str())
                    .or_default()
                    .aliases
                    .push(f.id.clone());
            }
        }
        let mut rows = Vec::new();
        for (class, title) in [
            (Some(FeatureClass::Obstacle), "Obstacles"),
            (Some(FeatureClass::Enabler), "Enablers"),
            (None, "Unsorted (from an import: e files them)"),
        ] {
            let codes: Vec<&crate::model::Feature> = every
                .clone()
                .filter(|(c, _)| *c == class)
                .map(|(_, f)| f)
                .collect();
            if codes.is_empty() && class.is_none() {
                continue;
            }
            rows.push(CodeRow::Heading {
                text: format!("{title} · {}", codes.len()),
                category: false,
            });
            // Categories in the catalogue's order, then parent codes, then none.
            let mut groups: Vec<Option<&str>> = Vec::new();
            for f in &codes {
                let g = f.category.as_deref();
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
            groups.sort_by_key(|g| match g {
                Some(id) => (
                    0,
                    t.categories
                        .iter()
                        .position(|c| c.id == *id)
                        .unwrap_or(usize::MAX),
                ),
                None => (1, 0),
            });
            let headed = groups.iter().any(Option::is_some);
            for g in groups {
                if headed {
                    let text = match g {
                        Some(id) => match t.category(id) {
                            Some(c) => format!("{} / {}", c.en, c.no),
                            None => format!("under the code '{id}'"),
                        },
                        None => "no category".to_string(),
                    };
                    rows.push(CodeRow::Heading {
                        text,
                        category: true,
                    });
                }
                for f in codes.iter().filter(|f| f.category.as_deref() == g) {
                    rows.push(CodeRow::Code {
                        id: f.id.clone(),
                        class,
                        usage: used.get(f.id.as_str()).cloned().unwrap_or_default(),
                    });
                }
            }
        }
        rows
    }
}
