//! The state of the app: what is loaded, what is on screen, and where the user is. Derived
//! data that drawing needs every frame (routes, atlas order, search text) is computed here once,
//! when data is loaded, never per frame.

use crate::app::keymap::{Context, Keymap};
use crate::model::{Journey, Route, Terrain, layout};
use crate::store::Dataset;
use crate::ui::theme::Look;

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Atlas,
    Journey,
}

/// What is drawn over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Problems,
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
    /// First visible row, as the last frame drew it.
    pub offset: usize,
    pub filter: String,
    pub typing: bool,
}

/// Where the user is in the open journey.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JourneyState {
    /// Index into the data set's journeys.
    pub journey: usize,
    /// The current step.
    pub step: usize,
    /// The step chosen in the strip (Enter jumps to it); follows `step` unless the strip has focus.
    pub strip_cursor: usize,
    pub detail_scroll: u16,
}

/// A row of the atlas list: a theme heading or a journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtlasRow {
    /// The theme id.
    Heading(String),
    /// An index into [`App::visible`].
    Journey(usize),
}

/// The whole state of the app.
pub struct App {
    pub data: Dataset,
    /// The route of each journey, by index.
    pub routes: Vec<Route>,
    /// Lower-case text of each journey for the filter: title, theme, terrain, every string.
    haystacks: Vec<String>,
    /// Journey indices in atlas order: by theme (catalogue order), then source, then id.
    pub order: Vec<usize>,
    /// `order` narrowed by the filter.
    pub visible: Vec<usize>,
    /// The atlas list as drawn: headings and journeys, computed when the filter changes.
    pub rows: Vec<AtlasRow>,
    /// For each entry of `visible`, its row in `rows`.
    pub row_of: Vec<usize>,
    pub screen: Screen,
    pub overlay: Overlay,
    pub focus: Focus,
    pub atlas: AtlasState,
    pub journey: JourneyState,
    pub show_future: bool,
    pub playing: bool,
    pub help_scroll: u16,
    pub keymap: Keymap,
    pub look: Look,
}

impl App {
    pub fn new(data: Dataset, look: Look) -> App {
        let routes = data.journeys.iter().map(layout).collect();
        let haystacks = data
            .journeys
            .iter()
            .map(|j| haystack(j, &data.terrain))
            .collect();
        let mut order: Vec<usize> = (0..data.journeys.len()).collect();
        order.sort_by(|&a, &b| {
            let (ja, jb) = (&data.journeys[a], &data.journeys[b]);
            (data.terrain.theme_index(&ja.theme), &ja.source.seed, &ja.id).cmp(&(
                data.terrain.theme_index(&jb.theme),
                &jb.source.seed,
                &jb.id,
            ))
        });
        let visible = order.clone();
        let first = visible.first().copied().unwrap_or(0);
        let mut app = App {
            data,
            routes,
            haystacks,
            order,
            visible,
            rows: Vec::new(),
            row_of: Vec::new(),
            screen: Screen::Atlas,
            overlay: Overlay::None,
            focus: Focus::Map,
            atlas: AtlasState::default(),
            journey: JourneyState {
                journey: first,
                ..JourneyState::default()
            },
            show_future: true,
            playing: false,
            help_scroll: 0,
            keymap: Keymap::default(),
            look,
        };
        app.rebuild_rows();
        app
    }

    /// Recomputes the atlas rows from `visible`: a heading before each run of one theme.
    fn rebuild_rows(&mut self) {
        self.rows.clear();
        self.row_of.clear();
        let mut last_theme: Option<&str> = None;
        for (vi, &ji) in self.visible.iter().enumerate() {
            let theme = self.data.journeys[ji].theme.as_str();
            if last_theme != Some(theme) {
                self.rows.push(AtlasRow::Heading(theme.to_string()));
                last_theme = Some(theme);
            }
            self.row_of.push(self.rows.len());
            self.rows.push(AtlasRow::Journey(vi));
        }
    }

    pub fn terrain(&self) -> &Terrain {
        &self.data.terrain
    }

    /// The journey open on the journey screen, if there is any journey at all.
    pub fn current_journey(&self) -> Option<&Journey> {
        self.data.journeys.get(self.journey.journey)
    }

    /// The journey selected in the atlas.
    pub fn selected_journey(&self) -> Option<usize> {
        self.visible.get(self.atlas.selected).copied()
    }

    /// The context that decides what keys mean now.
    pub fn context(&self) -> Context {
        match self.screen {
            Screen::Atlas if self.atlas.typing => Context::FilterInput,
            Screen::Atlas => Context::Atlas,
            Screen::Journey => Context::Journey,
        }
    }

    /// Re-applies the filter to the atlas, keeping the selection on the same journey if it
    /// is still visible.
    pub fn refilter(&mut self) {
        let keep = self.selected_journey();
        let needle = self.atlas.filter.to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        self.visible = self
            .order
            .iter()
            .copied()
            .filter(|&i| words.iter().all(|w| self.haystacks[i].contains(w)))
            .collect();
        self.atlas.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.rebuild_rows();
    }
}

/// Everything the filter searches in one journey, lower-cased once.
fn haystack(j: &Journey, terrain: &Terrain) -> String {
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
    parts.join("\n").to_lowercase()
}
