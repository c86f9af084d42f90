//! Analysis for the screens that need it (compare, terrain, agreement, sequences), off the
//! input path.
//!
//! `update` never analyses. When the screen in view needs a result its cache does not hold, it
//! asks for one with [`crate::app::Effect::Analyse`]: an [`AnalysisRequest`] that carries
//! shared handles on the study and the notes, and a generation number. A worker runs
//! [`compute`]; the result comes back as an action, and [`Analysis::take`] keeps it only if it
//! answers the newest request, so a stale result never replaces a fresh one. Until it comes,
//! the screen draws what it has: the previous result, or a line naming what is being computed
//! ([`Analysis::computing`]), with how far the work has come where it can tell (the distance
//! matrix of the sequences screen counts its pairs). A request superseded by a newer one is
//! told to stop, so that cycling through distances on a large study does not pile up work.
//! The results a newer one replaces, and those that come back too late, are not freed on the
//! thread that draws but handed to the loop ([`Discarded`], [`crate::app::Effect::Free`]).
//!
//! This module must not touch the terminal or the disk; [`compute`] is a pure function.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use crate::analysis::agree::{self, Agreement};
use crate::analysis::compare::{CodeSource, Coded};
use crate::analysis::sequence::view::{self as seqview, Base, Progress, SeqDistance, SequenceView};
use crate::analysis::view::{
    CompareView, Selection, TerrainSort, TerrainView, catalogue_order, coded_all, compare_view,
    terrain_view,
};
use crate::model::Journey;
use crate::store::Dataset;
use crate::store::annotations::NoteStore;

/// Which screen an analysis is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalysisKind {
    Compare,
    Terrain,
    Agreement,
    Sequences,
}

/// The inputs a coding of every journey depends on.
type CodedKey = (u64, CodeSource);
type CompareKey = (u64, CodeSource, Selection, SeqDistance);
type TerrainKey = (u64, CodeSource, Vec<usize>, TerrainSort);
type AgreeKey = (u64, Vec<usize>);
/// The journeys in view (data-set indices), the distance, and the number of clusters.
type SeqKey = (u64, Vec<usize>, SeqDistance, usize);

/// What a screen's result is computed from: when this changes, the result is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisKey {
    Compare(CompareKey),
    Terrain(TerrainKey),
    Agreement(AgreeKey),
    Sequences(SeqKey),
}

/// Cached analysis: every journey coded from the current source, and the compare, terrain and
/// agreement views, each with the inputs it was computed from; and the request in flight.
#[derive(Debug, Default)]
pub struct Analysis {
    coded_key: Option<CodedKey>,
    pub coded: Arc<Vec<Coded>>,
    compare_key: Option<CompareKey>,
    pub compare: Option<CompareView>,
    terrain_key: Option<TerrainKey>,
    pub terrain: Option<TerrainView>,
    agree_key: Option<AgreeKey>,
    /// The agreement of every analyst with notes on the journeys in view; `None` under blind
    /// coding.
    pub agreement: Option<Agreement>,
    seq_key: Option<SeqKey>,
    /// The sequences of the journeys in view, their distances and typology; or why they could
    /// not be computed.
    pub sequences: Option<Result<SequenceView, String>>,
    /// The newest request made, whose result is awaited: its generation and what it computes.
    pending: Option<(u64, AnalysisKey, String)>,
    /// How far the newest request has come, and the flag that stops it.
    progress: Option<Arc<Progress>>,
    /// Requests made so far: each gets the next number.
    generation: u64,
    /// Results replaced by newer ones, or answering a request no longer asked, waiting to be
    /// freed off the thread that draws ([`Analysis::discarded`]).
    discarded: Discarded,
}

/// Analysis results no longer wanted, to be freed on a worker
/// ([`crate::app::Effect::Free`]): an agreement at XL lists 260,000 disagreements, each with
/// its own strings, and freeing them takes longer than a frame.
#[derive(Default)]
pub struct Discarded(Vec<Box<dyn Send>>);

impl Discarded {
    fn put<T: Send + 'static>(&mut self, value: T) {
        self.0.push(Box::new(value));
    }

    fn put_some<T: Send + 'static>(&mut self, value: Option<T>) {
        if let Some(v) = value {
            self.put(v);
        }
    }

    /// How many results it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Discarded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} discarded results", self.0.len())
    }
}

/// Everything a worker needs to analyse for one screen.
#[derive(Clone)]
pub struct AnalysisRequest {
    pub generation: u64,
    pub key: AnalysisKey,
    data: Arc<Dataset>,
    notes: Option<Arc<NoteStore>>,
    /// Under blind coding, only this analyst's notes count.
    only: Option<String>,
    /// The coding of every journey, when the cached one is still good.
    coded: Option<Arc<Vec<Coded>>>,
    /// The sequences screen's distances and clusterings, when only the number of clusters
    /// shown changed.
    base: Option<Arc<Base>>,
    progress: Arc<Progress>,
}

impl PartialEq for AnalysisRequest {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation && self.key == other.key
    }
}

impl fmt::Debug for AnalysisRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnalysisRequest")
            .field("generation", &self.generation)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// A worker's result.
pub struct Analysed {
    pub generation: u64,
    key: AnalysisKey,
    coded: Option<(CodedKey, Arc<Vec<Coded>>)>,
    compare: Option<CompareView>,
    terrain: Option<TerrainView>,
    agreement: Option<Agreement>,
    /// `None` when the work was stopped.
    sequences: Option<Result<SequenceView, String>>,
}

/// What the app knows when it asks: the study, the notes, and the screen's inputs.
pub struct Inputs<'a> {
    pub data: &'a Arc<Dataset>,
    pub notes: Option<&'a Arc<NoteStore>>,
    /// Under blind coding, the analyst whose notes alone count.
    pub only: Option<String>,
    pub blind: bool,
    /// Bumped whenever notes or journeys change.
    pub notes_gen: u64,
    pub source: CodeSource,
    pub selection: Selection,
    pub visible: &'a [usize],
    pub sort: TerrainSort,
    /// The journeys the sequences screen analyses.
    pub seq_journeys: &'a [usize],
    /// The distance chosen on the sequences screen (the compare screen's nearest use it too).
    pub distance: SeqDistance,
    /// The number of clusters the sequences screen shows.
    pub k: usize,
}

impl Analysis {
    /// The request for `kind`'s result, if the cache does not hold a fresh one and it is not
    /// asked for already. A new request supersedes the one in flight.
    pub fn request(&mut self, kind: AnalysisKind, inputs: Inputs) -> Option<AnalysisRequest> {
        let generation = inputs.notes_gen;
        let source = inputs.source;
        let key = match kind {
            AnalysisKind::Compare => AnalysisKey::Compare((
                generation,
                source,
                inputs.selection.clone(),
                inputs.distance,
            )),
            AnalysisKind::Terrain => {
                AnalysisKey::Terrain((generation, source, inputs.visible.to_vec(), inputs.sort))
            }
            AnalysisKind::Agreement => {
                // Under blind coding there is no one else to agree with: nothing to compute.
                AnalysisKey::Agreement((generation, inputs.visible.to_vec()))
            }
            AnalysisKind::Sequences => AnalysisKey::Sequences((
                generation,
                inputs.seq_journeys.to_vec(),
                inputs.distance,
                inputs.k,
            )),
        };
        let fresh = match &key {
            AnalysisKey::Compare(k) => self.compare_key.as_ref() == Some(k),
            AnalysisKey::Terrain(k) => self.terrain_key.as_ref() == Some(k),
            AnalysisKey::Agreement(k) => self.agree_key.as_ref() == Some(k),
            AnalysisKey::Sequences(k) => self.seq_key.as_ref() == Some(k),
        };
        if fresh || self.pending.as_ref().is_some_and(|(_, k, _)| *k == key) {
            return None;
        }
        if let AnalysisKey::Agreement(k) = &key
            && inputs.blind
        {
            self.agreement = None;
            self.agree_key = Some(k.clone());
            return None;
        }
        let journeys = inputs.data.journeys.len();
        let what = match &key {
            AnalysisKey::Compare(_) => match &inputs.selection {
                Selection::Themes(t) => format!("comparing {} themes", t.len()),
                Selection::Journeys(j) => format!("comparing {} journeys", j.len()),
                Selection::Nothing => "comparing".to_string(),
            },
            AnalysisKey::Terrain(_) => {
                format!("counting the terrain of {} journeys", inputs.visible.len())
            }
            AnalysisKey::Agreement(_) => format!(
                "the analysts' agreement on {} journeys",
                inputs.visible.len()
            ),
            AnalysisKey::Sequences((_, js, d, _)) => {
                format!("the sequences of {} journeys ({})", js.len(), d.label())
            }
        };
        let what = if matches!(key, AnalysisKey::Agreement(_) | AnalysisKey::Sequences(_))
            || journeys < 2
        {
            what
        } else {
            format!("{what} (coding all {journeys})")
        };
        self.generation += 1;
        let coded_fresh = self.coded_key == Some((generation, source));
        // The distances and clusterings already made for the same journeys and distance.
        let base = match (&key, &self.seq_key, &self.sequences) {
            (AnalysisKey::Sequences((g, js, d, _)), Some((g0, js0, d0, _)), Some(Ok(v)))
                if (g, js, d) == (g0, js0, d0) =>
            {
                Some(Arc::clone(&v.base))
            }
            _ => None,
        };
        // The request this one supersedes need not finish.
        if let Some(p) = self.progress.take() {
            p.stop();
        }
        let progress = Arc::new(Progress::default());
        self.progress = Some(Arc::clone(&progress));
        self.pending = Some((self.generation, key.clone(), what));
        Some(AnalysisRequest {
            generation: self.generation,
            key,
            data: Arc::clone(inputs.data),
            notes: inputs.notes.map(Arc::clone),
            only: inputs.only,
            coded: coded_fresh.then(|| Arc::clone(&self.coded)),
            base,
            progress,
        })
    }

    /// What is being computed, while a result is awaited, with how far it has come where that
    /// is known.
    pub fn computing(&self) -> Option<String> {
        let (_, key, what) = self.pending.as_ref()?;
        Some(match (key, &self.progress) {
            (AnalysisKey::Sequences(_), Some(p)) => format!("{what}: {}", p.line()),
            _ => what.clone(),
        })
    }

    /// Takes a worker's result in, if it answers the newest request; a stale one is dropped.
    /// Returns whether it was taken.
    pub fn take(&mut self, done: Analysed) -> bool {
        if self
            .pending
            .as_ref()
            .is_none_or(|(g, _, _)| *g != done.generation)
        {
            self.discarded.put(done);
            return false;
        }
        if matches!(done.key, AnalysisKey::Sequences(_)) && done.sequences.is_none() {
            // Stopped work answers nothing (and is never the newest request).
            self.discarded.put(done);
            return false;
        }
        self.pending = None;
        self.progress = None;
        let bin = &mut self.discarded;
        if let Some((key, coded)) = done.coded {
            self.coded_key = Some(key);
            let old = std::mem::replace(&mut self.coded, coded);
            if !old.is_empty() {
                bin.put(old);
            }
        }
        match done.key {
            AnalysisKey::Compare(k) => {
                bin.put_some(std::mem::replace(&mut self.compare, done.compare));
                self.compare_key = Some(k);
            }
            AnalysisKey::Terrain(k) => {
                bin.put_some(std::mem::replace(&mut self.terrain, done.terrain));
                self.terrain_key = Some(k);
            }
            AnalysisKey::Agreement(k) => {
                bin.put_some(std::mem::replace(&mut self.agreement, done.agreement));
                self.agree_key = Some(k);
            }
            AnalysisKey::Sequences(k) => {
                bin.put_some(std::mem::replace(&mut self.sequences, done.sequences));
                self.seq_key = Some(k);
            }
        }
        true
    }

    /// The results [`Analysis::take`] replaced or turned away since last asked, to be freed
    /// elsewhere; `None` when there are none.
    pub fn discarded(&mut self) -> Option<Discarded> {
        (!self.discarded.is_empty()).then(|| std::mem::take(&mut self.discarded))
    }
}

/// Runs a request: the analysis a screen shows. Pure, and as slow as the study is large, so it
/// runs on a worker.
pub fn compute(req: AnalysisRequest) -> Analysed {
    let data = &req.data;
    // Under blind coding, only the analyst's own notes count.
    let counts = |analyst: &str| req.only.as_deref().is_none_or(|only| analyst == only);
    // Every note, listed only where a journey's notes are not enough (a million at XL).
    let all = || {
        let mut notes = req.notes.as_ref().map(|s| s.all()).unwrap_or_default();
        notes.retain(|(a, _, _)| counts(a));
        notes
    };
    // One journey's notes, as the store holds them.
    let notes_of = |journey: &str| {
        let mut notes = (req.notes.as_ref()).map_or_else(Vec::new, |s| s.journey_notes(journey));
        notes.retain(|(a, _)| counts(a));
        notes
    };
    let mut out = Analysed {
        generation: req.generation,
        key: req.key.clone(),
        coded: None,
        compare: None,
        terrain: None,
        agreement: None,
        sequences: None,
    };
    let coded_key = match &req.key {
        AnalysisKey::Compare((generation, source, _, _))
        | AnalysisKey::Terrain((generation, source, _, _)) => Some((*generation, *source)),
        AnalysisKey::Agreement(_) | AnalysisKey::Sequences(_) => None,
    };
    let coded = coded_key.map(|key| match &req.coded {
        Some(c) => Arc::clone(c),
        None => {
            let c = Arc::new(coded_all(&data.journeys, &all(), key.1, &data.terrain));
            out.coded = Some((key, Arc::clone(&c)));
            c
        }
    });
    let coded: &[Coded] = coded.as_deref().map_or(&[], Vec::as_slice);
    match &req.key {
        AnalysisKey::Compare((_, source, selection, near)) => {
            out.compare = (*selection != Selection::Nothing).then(|| {
                compare_view(
                    &data.journeys,
                    &data.terrain,
                    coded,
                    *source,
                    selection,
                    *near,
                )
            });
        }
        AnalysisKey::Terrain((_, source, visible, sort)) => {
            out.terrain = Some(terrain_view(&data.terrain, coded, visible, *source, *sort));
        }
        AnalysisKey::Agreement((_, visible)) => {
            let analysts: BTreeSet<&str> = (req.notes.iter())
                .flat_map(|store| {
                    (visible.iter().filter_map(|&i| data.journeys.get(i)))
                        .flat_map(|j| store.analysts_on(&j.id))
                })
                .filter(|a| counts(a))
                .collect();
            let analysts: Vec<String> = analysts.into_iter().map(str::to_string).collect();
            let steps = agree::step_codings_by(
                &data.journeys,
                visible,
                &notes_of,
                &analysts,
                &data.terrain,
            );
            out.agreement = Some(agree::agreement(
                &analysts,
                &steps,
                &catalogue_order(&data.terrain),
            ));
        }
        AnalysisKey::Sequences((_, journeys, distance, k)) => {
            let journeys: Vec<usize> = journeys
                .iter()
                .copied()
                .filter(|&i| i < data.journeys.len())
                .collect();
            let base = match &req.base {
                Some(b) => Ok(Some(Arc::clone(b))),
                None => {
                    let chosen: Vec<&Journey> =
                        journeys.iter().map(|&i| &data.journeys[i]).collect();
                    seqview::base(&chosen, distance.by, distance.measure, &req.progress)
                        .map(|b| b.map(Arc::new))
                }
            };
            out.sequences = match base {
                Ok(Some(b)) => Some(Ok(seqview::view(b, journeys, *k))),
                Ok(None) => None,
                Err(e) => Some(Err(format!("{e:#}"))),
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{self, DataSource};

    fn inputs<'a>(data: &'a Arc<Dataset>, visible: &'a [usize], generation: u64) -> Inputs<'a> {
        Inputs {
            data,
            notes: None,
            only: None,
            blind: false,
            notes_gen: generation,
            source: CodeSource::Journey,
            selection: Selection::Journeys(vec![0, 1]),
            visible,
            sort: TerrainSort::default(),
            seq_journeys: visible,
            distance: SeqDistance::default(),
            k: 4,
        }
    }

    #[test]
    fn a_newer_request_supersedes_an_older_one_whose_result_is_dropped() {
        let data = Arc::new(store::load(&DataSource::Bundled, None));
        let visible: Vec<usize> = (0..data.journeys.len()).collect();
        let mut a = Analysis::default();
        let old = a
            .request(AnalysisKind::Terrain, inputs(&data, &visible, 0))
            .unwrap();
        // Asking again for the same thing while it is computed asks nothing.
        assert!(
            a.request(AnalysisKind::Terrain, inputs(&data, &visible, 0))
                .is_none()
        );
        assert!(
            a.computing().unwrap().contains("terrain"),
            "{:?}",
            a.computing()
        );
        let new = a
            .request(AnalysisKind::Terrain, inputs(&data, &visible[..3], 1))
            .unwrap();
        assert!(new.generation > old.generation);
        // The old result arrives last but is stale: dropped, and the new one still awaited.
        let (old_done, new_done) = (compute(old), compute(new));
        assert!(a.take(new_done));
        assert!(!a.take(old_done));
        assert_eq!(a.computing(), None);
        let t = a.terrain.as_ref().unwrap();
        let met: usize = t.rows.iter().map(|r| r.segments.len()).max().unwrap_or(0);
        assert!(met > 0, "the three journeys in view meet some terrain");
        // Fresh now: nothing more to ask.
        assert!(
            a.request(AnalysisKind::Terrain, inputs(&data, &visible[..3], 1))
                .is_none()
        );
    }
}
