//! Editing journeys from the app: the change in memory at once, the file on disk before the
//! next frame.
//!
//! [`App::edit_journey`] applies one [`Edit`] (see [`crate::model::edit`]) to a journey held in
//! the session, brings its route and filter text up to date, and asks for an
//! [`Effect::SaveJourney`]. The loop carries it out with [`save`]: the file is written in the
//! canonical layout through the one atomic writer, never over a change made on disk meanwhile
//! — if the file no longer holds the journey as the app last knew it, the two are merged by
//! step id, and on a conflict nothing is written and the status line says why
//! ([`crate::store::write::save_journey_merged`]). The outcome comes back as
//! [`Outcome::JourneySaved`](crate::app::effect::Outcome::JourneySaved); a merge replaces the
//! journey in memory with what was written.
//!
//! The bundled journeys are never written: editing them is refused with the way to make a study
//! of one's own.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::effect::Effect;
use crate::app::state::{App, haystack};
use crate::model::edit::{Edit, apply};
use crate::model::{Journey, layout};
use crate::store::write::{self, Saved};

/// A journey to write: where, what the app last knew of it (`None`: a new file) and what it
/// holds now.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyWrite {
    /// The journey's index in the session's data set.
    pub index: usize,
    pub path: PathBuf,
    pub base: Option<Journey>,
    pub ours: Journey,
    /// What the change was, for the status line ("step s04 added").
    pub what: String,
    /// The analyst agreed that the file's comments beyond its header go (see
    /// [`crate::store::write::dropped_comments`]); without it such a file is not written.
    pub drop_comments: bool,
}

/// What a journey save did.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneySaved {
    pub index: usize,
    pub path: PathBuf,
    pub what: String,
    /// How it was written and the journey as written, or why it was not.
    pub result: Result<(Saved, Journey), String>,
    /// Not written because the file's comments would go, until the analyst agrees: the write
    /// held back, and the lines of those comments.
    pub held: Option<Box<(JourneyWrite, Vec<usize>)>>,
}

impl App {
    /// The file a journey of this study is written to, or why it cannot be (the bundled
    /// journeys).
    pub fn journey_path(&self, id: &str) -> Result<PathBuf, String> {
        write::journeys_dir(&self.session.data.source).map(|dir| dir.join(format!("{id}.ron")))
    }

    /// Applies `edit` to the journey at `index` and asks for it to be saved. Returns the edit
    /// that undoes it; on an error nothing changes and the error says why.
    pub fn edit_journey(&mut self, index: usize, edit: Edit, what: &str) -> Result<Edit, String> {
        let Some(before) = self.session.data.journeys.get(index) else {
            return Err("no such journey".to_string());
        };
        let path = self.journey_path(&before.id)?;
        let base = before.clone();
        let drop_comments = self.consented.contains(&path);
        let data = Arc::make_mut(&mut self.session.data);
        let undo = apply(&mut data.journeys[index], edit).map_err(|e| e.to_string())?;
        self.reindex_journey(index);
        self.outbox.push(Effect::SaveJourney(Box::new(JourneyWrite {
            index,
            path,
            base: Some(base),
            ours: self.session.data.journeys[index].clone(),
            what: what.to_string(),
            drop_comments,
        })));
        Ok(undo)
    }

    /// Adds a new journey to the study and asks for its file to be written. Returns its index.
    pub fn add_journey(&mut self, journey: Journey) -> Result<usize, String> {
        if self.session.data.journey(&journey.id).is_some() {
            return Err(format!("there is a journey '{}' already", journey.id));
        }
        let path = self.journey_path(&journey.id)?;
        let route = layout(&journey);
        let text = haystack(&journey, &self.session.data.terrain);
        let what = format!("journey {} started", journey.id);
        let data = Arc::make_mut(&mut self.session.data);
        data.journeys.push(journey.clone());
        let index = data.journeys.len() - 1;
        self.session.routes.push(route);
        self.session.push_haystack(text);
        self.session.reorder();
        self.refilter();
        self.session.summary = self.session.data.summary();
        self.session.notes_gen += 1;
        self.outbox.push(Effect::SaveJourney(Box::new(JourneyWrite {
            index,
            path,
            base: None,
            ours: journey,
            what,
            drop_comments: false,
        })));
        Ok(index)
    }

    /// Replaces the journey at `index` by `journey` (as merged on disk), without saving.
    pub fn replace_journey(&mut self, index: usize, journey: Journey) {
        let data = Arc::make_mut(&mut self.session.data);
        if let Some(slot) = data.journeys.get_mut(index) {
            *slot = journey;
            self.reindex_journey(index);
        }
    }

    /// After a journey changed: its route, its filter text, the atlas and the summary follow,
    /// and the cached analysis knows to recompute.
    fn reindex_journey(&mut self, index: usize) {
        let j = &self.session.data.journeys[index];
        self.session.routes[index] = layout(j);
        let text = haystack(j, &self.session.data.terrain);
        self.session.set_haystack(index, text);
        self.session.reorder();
        self.refilter();
        self.session.summary = self.session.data.summary();
        self.session.notes_gen += 1;
        let steps = self.session.data.journeys[index].steps.len();
        if self.journey.journey == index && self.journey.step >= steps {
            self.journey.step = steps.saturating_sub(1);
        }
    }
}

/// Writes a journey (the I/O of [`Effect::SaveJourney`]): over the file if it still holds
/// what the app last knew, merged by step id with what changed on disk otherwise.
pub fn save(job: &JourneyWrite) -> JourneySaved {
    let mut saved = JourneySaved {
        index: job.index,
        path: job.path.clone(),
        what: job.what.clone(),
        result: Err(String::new()),
        held: None,
    };
    match save_merged(&job.path, job.base.as_ref(), &job.ours, job.drop_comments) {
        Ok(result) => saved.result = result,
        Err(lines) => {
            saved.result = Err(write::describe_dropped(&lines));
            saved.held = Some(Box::new((job.clone(), lines)));
        }
    }
    saved
}

/// The save, or (as `Err`) the lines of the comments it would drop when the analyst has not
/// agreed to that.
fn save_merged(
    path: &Path,
    base: Option<&Journey>,
    ours: &Journey,
    drop_comments: bool,
) -> Result<Result<(Saved, Journey), String>, Vec<usize>> {
    if !drop_comments && let Ok(text) = std::fs::read_to_string(path) {
        let lines = write::dropped_comments(&text);
        if !lines.is_empty() {
            return Err(lines);
        }
    }
    // No text of the file is kept: the writer compares the journey the file holds now with
    // the one the app knew, and writes over it or merges.
    Ok(write::save_journey_merged(path, None, base, ours)
        .map(|(saved, journey, _)| (saved, journey))
        .map_err(|e| e.to_string()))
}
