//! Fixtures shared by the integration tests: the small snapshot study, rendering a screen to
//! text, and the real binary in a pseudo-terminal.
//!
//! Each test file takes what it needs with `mod common;`; what one file does not use is not
//! dead code in the others, hence the allowance below.
#![allow(dead_code)]

pub mod pty;

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::App;
use terreng::store::{self, DataSource, Dataset};
use terreng::ui::theme::Look;

/// The folder of the snapshot study: four invented journeys in two themes, with Norwegian
/// letters, a wide CJK phrase and an emoji in their text, and a catalogue with every shape.
/// Whole-screen snapshots render it rather than the bundled data set, so that an edit of the
/// data set does not change them.
pub fn study_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/study")
}

/// A writable copy of the snapshot study in `dir`: its journeys and its catalogue.
pub fn copy_study(dir: &Path) {
    let from = study_dir();
    std::fs::create_dir_all(dir.join("journeys")).unwrap();
    for name in ["f01", "f02", "f03", "f04"] {
        std::fs::copy(
            from.join(format!("journeys/{name}.ron")),
            dir.join(format!("journeys/{name}.ron")),
        )
        .unwrap();
    }
    std::fs::copy(from.join("terrain.ron"), dir.join("terrain.ron")).unwrap();
}

/// The snapshot study, loaded.
pub fn study() -> Dataset {
    let dir = study_dir();
    store::load(
        &DataSource::Dir(dir.join("journeys")),
        Some(&dir.join("terrain.ron")),
    )
}

/// The app on the snapshot study, with the default look.
pub fn study_app() -> App {
    study_app_with(Look::default())
}

/// The app on the snapshot study, with a given look.
pub fn study_app_with(look: Look) -> App {
    let data = study();
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    App::new(data, look)
}

/// The app on the bundled data set.
pub fn bundled_app() -> App {
    App::new(store::load(&DataSource::Bundled, None), Look::default())
}

/// Draws the app on a test terminal of `w`×`h`.
pub fn screen(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    t.draw(|f| {
        terreng::ui::draw(f, app);
    })
    .expect("a frame");
    t
}

/// The symbols of a drawn screen, a line per row, wide symbols counted once.
pub fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            skip = terreng::ui::text::width(s).saturating_sub(1);
            out.push_str(s);
        }
        out.push('\n');
    }
    out
}

/// Types `query` into the atlas filter, a letter at a time, through `update` alone.
pub fn type_filter(app: &mut App, query: &str) {
    use terreng::app::{Action, update};
    update(app, Action::ShowAtlas);
    update(app, Action::Filter);
    for c in query.chars() {
        update(app, Action::FilterInput(c));
    }
}

/// The ids of the journeys the atlas filter shows for `query`; the filter is closed again after.
pub fn filtered(app: &mut App, query: &str) -> Vec<String> {
    type_filter(app, query);
    let ids = app
        .session
        .visible
        .iter()
        .map(|&i| app.session.data.journeys[i].id.clone())
        .collect();
    terreng::app::update(app, terreng::app::Action::Close);
    ids
}
